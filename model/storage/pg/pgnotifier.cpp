#include "storage/pg/pgnotifier.h"

#include "storage/pg/pgconnection.h"
#include "storage/pg/pgrunhistory.h"

#include <QList>
#include <QPointer>
#include <QSocketNotifier>
#include <QTimer>
#include <QtConcurrent/QtConcurrentRun>

#include <libpq-fe.h>

#include <utility>

namespace {
constexpr int kReconnectMs = 3000;
// The newest runs read when (re)connected; more runs than this while away are not expected.
constexpr int kRunsRead = 50;
// A run's finished_at is taken before its COMMIT, so a run may commit after a later-finished one
// was read: runs finished this long before the latest read still count when not seen yet.
constexpr qint64 kCommitSlackSeconds = 300;
} // namespace

// One background connection attempt: the connection (already LISTENing) or why it failed, and
// the newest runs of the runs table read after LISTEN.
struct PgNotifier::Attempt
{
    quint64 token = 0;
    Result<PgConnection> connection = Error();
    QList<RunRecord> runs; // newest first
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
    if (spec != m_database) {
        m_haveBaseline = false;
        m_seen.clear();
        m_lastFinished = QDateTime();
    }
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
        // After LISTEN: a run committing now is either in this list or heard (or both).
        if (attempt->connection) {
            if (auto runs = PgRunHistory::list(*attempt->connection, kRunsRead))
                attempt->runs = *runs;
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
    // Runs that committed while it was not listening (none the first time: what is there then
    // is what the window shows), oldest first.
    QList<std::pair<QString, QString>> missed;
    for (auto run = attempt->runs.crbegin(); run != attempt->runs.crend(); ++run) {
        if (run->status != u"completed" || m_seen.contains(run->batchId))
            continue;
        const bool recent = !m_lastFinished.isValid() || !run->finishedAt.isValid()
            || run->finishedAt > m_lastFinished.addSecs(-kCommitSlackSeconds);
        if (m_haveBaseline && recent)
            missed.append({ run->user, run->batchId });
        m_seen.insert(run->batchId);
    }
    for (const RunRecord &run : std::as_const(attempt->runs)) {
        if (run.finishedAt.isValid() && (!m_lastFinished.isValid() || run.finishedAt > m_lastFinished))
            m_lastFinished = run.finishedAt;
    }
    m_haveBaseline = true;
    Q_EMIT listeningChanged(true);
    // A receiver may open another database (and so reset this one) while it is told.
    const QPointer<PgNotifier> alive(this);
    const QString database = m_database;
    tell(missed);
    if (!alive || m_database != database || !m_connection)
        return;
    // Whatever arrived between LISTEN and now.
    onReadable();
}

void PgNotifier::tell(const QList<std::pair<QString, QString>> &runs)
{
    const QString database = m_database;
    const QPointer<PgNotifier> alive(this);
    for (const auto &[user, batchId] : runs) {
        if (!alive || m_database != database)
            return;
        Q_EMIT runCommitted(database, user, batchId);
    }
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
        const QString batchId = payload.mid(space + 1);
        // A run read from the runs table on reconnecting may be heard as well.
        if (qstrcmp(notice->relname, "email_scheduler_runs") == 0 && !m_seen.contains(batchId)) {
            m_seen.insert(batchId);
            runs.append({ space < 0 ? QString() : payload.left(space), batchId });
        }
        PQfreemem(notice);
    }
    tell(runs);
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
