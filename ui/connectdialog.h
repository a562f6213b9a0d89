#pragma once

#include <QDialog>
#include <QFutureWatcher>

class MessageBanner;
class QFormLayout;
class QLineEdit;
class QPushButton;
class QSettings;

// File ▸ Connect to Server…: the host, port, database and user of an organisation database on a
// PostgreSQL server, tested in the background before the dialog closes. The password comes from
// ~/.pgpass or PGPASSWORD; only when the server asks for one that neither gives does the dialog
// ask, and the password then lives in this process's memory (PgSpec::setSessionPassword), never
// in the settings or the connection string.
class ConnectDialog final : public QDialog
{
    Q_OBJECT

public:
    // `settings` remembers the last fields used (never a password); may be null.
    explicit ConnectDialog(QSettings *settings, QWidget *parent = nullptr);

    // Fills the fields from `spec` (a server whose open failed) and asks for its password.
    void prefill(const QString &spec);
    // The connection that worked, as a spec without password; empty until accepted.
    QString spec() const { return m_spec; }
    // "postgresql://user@host:port/dbname" (a socket folder as ?host=…); no password.
    static QString specFor(const QString &host, const QString &port, const QString &database,
                           const QString &user);

    MessageBanner *banner() const { return m_banner; }
    QLineEdit *hostEdit() const { return m_host; }
    QLineEdit *portEdit() const { return m_port; }
    QLineEdit *databaseEdit() const { return m_database; }
    QLineEdit *userEdit() const { return m_user; }
    QLineEdit *passwordEdit() const { return m_password; }
    QPushButton *connectButton() const { return m_connect; }
    bool isTesting() const { return m_watcher.isRunning(); }

private:
    struct Answer
    {
        quint64 token = 0;
        QString spec;
        QString password;
        QString error; // empty when the database opened
        bool needsPassword = false;
        bool passwordRejected = false;
    };
    void tryConnect();
    void onTested();
    void setTesting(bool testing);
    void showPasswordRow();
    void growToFit();

    QSettings *m_settings = nullptr;
    MessageBanner *m_banner = nullptr;
    QFormLayout *m_form = nullptr;
    QLineEdit *m_host = nullptr;
    QLineEdit *m_port = nullptr;
    QLineEdit *m_database = nullptr;
    QLineEdit *m_user = nullptr;
    QLineEdit *m_password = nullptr;
    QPushButton *m_connect = nullptr;
    quint64 m_token = 0;
    QString m_spec;
    QFutureWatcher<Answer> m_watcher;
};
