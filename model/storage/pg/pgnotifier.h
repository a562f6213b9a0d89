#pragma once

#include <QDateTime>
#include <QFutureWatcher>
#include <QObject>
#include <QSet>
#include <QString>

#include <memory>

class PgConnection;
class QSocketNotifier;
class QTimer;

// Hears the runs that commit on a PostgreSQL organisation database (the writer's
// `NOTIFY email_scheduler_runs, '<user> <batch id>'`): its own connection LISTENs, a socket
// notifier on the GUI thread reads what arrives, and a dropped connection is made again quietly
// in the background. Connecting never blocks the thread it lives on. Runs that committed while it
// was not listening are looked up in the runs table when it is back and told like the others.
class PgNotifier final : public QObject
{
    Q_OBJECT

public:
    explicit PgNotifier(QObject *parent = nullptr);
    ~PgNotifier() override;

    // Listens on `database` when it is a connection spec; a file or "" stops listening.
    void setDatabase(const QString &database);
    QString database() const { return m_database; }
    bool isListening() const;
    // How long to wait before connecting again after the server dropped (tests shorten it).
    void setReconnectInterval(int milliseconds);

Q_SIGNALS:
    // A run of `database` committed; `user` and `batchId` as the writer sent them (or, for a run
    // missed while reconnecting, as its record has them). Each run is told once.
    void runCommitted(const QString &database, const QString &user, const QString &batchId);
    void listeningChanged(bool listening);

private:
    struct Attempt;
    void connectInBackground();
    void onConnected();
    void onReadable();
    void dropConnection(bool reconnect);
    // Tells `runs` (user, batch id) of `m_database`, each not told before.
    void tell(const QList<std::pair<QString, QString>> &runs);

    QString m_database;
    quint64 m_token = 0;
    std::unique_ptr<PgConnection> m_connection;
    QSocketNotifier *m_socket = nullptr;
    QTimer *m_retry = nullptr;
    QFutureWatcher<std::shared_ptr<Attempt>> m_watcher;
    // What was seen of the database's runs: the batch ids told or already there when it was
    // first heard, and the latest finish time read from its runs table.
    bool m_haveBaseline = false;
    QSet<QString> m_seen;
    QDateTime m_lastFinished;
};
