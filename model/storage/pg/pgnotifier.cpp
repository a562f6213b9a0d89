#include "storage/pg/pgnotifier.h"

#include "storage/pg/pgconnection.h"

#include <QList>
#include <QPointer>
#include <QSocketNotifier>
#include <QTimer>
#include <QtConcurrent/QtConcurrentRun>

#include <libpq-fe.h>

#include <utility>

namespace {
constexpr int kReconnectMs = 3000;
} // namespace

// One background connection attempt: the connection (already LISTENing) or why it failed.
struct PgNotifier::Attempt
{
    quint64 token = 0;
    Result<PgConnection> connection = Error();
};

PgNotifier::PgNotifier(QObject *parent) : QObject(parent), m_retry(new QTimer(this))
{
    m_retry->setSingleShot(true);
    m_retry->setInterval(kReconnectMs);
    connect(m_retry, &QTimer::timeout, this, &PgNotifier::connectInBackground);
    connect(&m_watcher, &QFutureWatcher<std::shared_ptr<Attempt>>::finished, this, &PgNotifier::onConnected);
}

PgNotifier::~PgNotifier()
{
    if (m_socket)
        m_socket->setEnabled(false); // before its socket is closed
    m_connection.reset();
}

bool PgNotifier::isListening() const
{
    return m_connection != nullptr;
}

void PgNotifier::setReconnectInterval(int milliseconds)
{
    m_retry->setInterval(milliseconds);
}

void PgNotifier::setDatabase(const QString &database)
{
    const QString spec = PgSpec::isConnectionSpec(database) ? database : QString();
    if (spec == m_database && (isListening() || m_retry->isActive() || m_watcher.isRunning()))
        return;
    m_database = spec;
    ++m_token; // an attempt still under way for the old database is dropped when it ends
    m_retry->stop();
    dropConnection(false);
    if (!m_database.isEmpty())
        connectInBackground();
}

void PgNotifier::connectInBackground()
{
    if (m_database.isEmpty() || m_connection)
        return;
    const quint64 token = ++m_token;
    const QString spec = m_database;
    m_watcher.setFuture(QtConcurrent::run([token, spec] {
        auto attempt = std::make_shared<Attempt>();
        attempt->token = token;
        attempt->connection = PgConnection::connect(spec, QStringLiteral("email-scheduler listener"));
        if (attempt->connection) {
            if (auto listened
                = attempt->connection->exec("LISTEN email_scheduler_runs", QStringLiteral("listen on"));
                !listened)
                attempt->connection = listened.error();
        }
        return attempt;
    }));
}

void PgNotifier::onConnected()
{
    const std::shared_ptr<Attempt> attempt = m_watcher.result();
    if (!attempt || attempt->token != m_token || m_database.isEmpty())
        return;
    if (!attempt->connection) {
        // The server is away: the program works on without the offer and tries again later.
        m_retry->start();
        return;
    }
    m_connection = std::make_unique<PgConnection>(std::move(*attempt->connection));
    m_socket = new QSocketNotifier(qintptr(PQsocket(m_connection->handle())), QSocketNotifier::Read, this);
    connect(m_socket, &QSocketNotifier::activated, this, &PgNotifier::onReadable);
    Q_EMIT listeningChanged(true);
    // Whatever arrived between LISTEN and now.
    onReadable();
}

void PgNotifier::onReadable()
{
    if (!m_connection)
        return;
    pg_conn *conn = m_connection->handle();
    if (!PQconsumeInput(conn) || PQstatus(conn) != CONNECTION_OK) {
        dropConnection(true);
        return;
    }
    QList<std::pair<QString, QString>> runs;
    while (PGnotify *notice = PQnotifies(conn)) {
        const QString payload = QString::fromUtf8(notice->extra);
        const qsizetype space = payload.lastIndexOf(u' ');
        if (qstrcmp(notice->relname, "email_scheduler_runs") == 0)
            runs.append({ space < 0 ? QString() : payload.left(space), payload.mid(space + 1) });
        PQfreemem(notice);
    }
    // A receiver may open another database (and so reset this one) while it is told.
    const QString database = m_database;
    const QPointer<PgNotifier> alive(this);
    for (const auto &[user, batchId] : std::as_const(runs)) {
        if (!alive || m_database != database)
            return;
        Q_EMIT runCommitted(database, user, batchId);
    }
}

void PgNotifier::dropConnection(bool reconnect)
{
    if (m_socket) {
        // The notifier goes before the socket it watches is closed.
        m_socket->setEnabled(false);
        m_socket->deleteLater();
        m_socket = nullptr;
    }
    const bool was = m_connection != nullptr;
    m_connection.reset();
    if (was)
        Q_EMIT listeningChanged(false);
    if (reconnect && !m_database.isEmpty())
        m_retry->start();
}
