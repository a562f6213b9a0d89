#pragma once

#include <QFutureWatcher>
#include <QObject>
#include <QString>

#include <memory>

class PgConnection;
class QSocketNotifier;
class QTimer;

// Hears the runs that commit on a PostgreSQL organisation database (the writer's
// `NOTIFY email_scheduler_runs, '<user> <batch id>'`): its own connection LISTENs, a socket
// notifier on the GUI thread reads what arrives, and a dropped connection is made again quietly
// in the background. Connecting never blocks the thread it lives on.
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
    // A run of `database` committed; `user` and `batchId` as the writer sent them.
    void runCommitted(const QString &database, const QString &user, const QString &batchId);
    void listeningChanged(bool listening);

private:
    struct Attempt;
    void connectInBackground();
    void onConnected();
    void onReadable();
    void dropConnection(bool reconnect);

    QString m_database;
    quint64 m_token = 0;
    std::unique_ptr<PgConnection> m_connection;
    QSocketNotifier *m_socket = nullptr;
    QTimer *m_retry = nullptr;
    QFutureWatcher<std::shared_ptr<Attempt>> m_watcher;
};
