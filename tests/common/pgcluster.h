#pragma once

#include <QByteArray>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QString>
#include <QStringList>
#include <QTemporaryDir>
#include <QUrl>

#include <libpq-fe.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pwd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <memory>

// How a PgCluster runs its server.
struct PgClusterOptions
{
    bool durable = false; // fsync and synchronous_commit on (benchmarks); off for tests
};

// A throwaway PostgreSQL cluster for tests and benchmarks: initdb into a temporary folder, the
// server's Unix socket in that folder and a free TCP port on 127.0.0.1, stopped and deleted by
// the destructor. As root the server runs as the `postgres` user (runuser), which owns the folder.
// The binaries come from $ES_PG_BINDIR, else Debian's /usr/lib/postgresql/<newest>/bin; a missing
// binary is an error (start() returns false), never a reason to skip.
class PgCluster final
{
public:
    using Options = PgClusterOptions;

    PgCluster() = default;
    PgCluster(const PgCluster &) = delete;
    PgCluster &operator=(const PgCluster &) = delete;
    ~PgCluster() { stop(); }

    // Starts the cluster; on failure error() says why.
    bool start(const PgClusterOptions &options = PgClusterOptions())
    {
        m_binDir = findBinDir();
        if (m_binDir.isEmpty() || !QFileInfo::exists(m_binDir + QStringLiteral("/initdb"))) {
            m_error = QStringLiteral("no PostgreSQL server binaries (initdb) in %1: install Debian's "
                                     "postgresql package (.ci/deps) or set ES_PG_BINDIR")
                          .arg(m_binDir.isEmpty() ? QStringLiteral("/usr/lib/postgresql/*/bin") : m_binDir);
            return false;
        }
        m_dir = std::make_unique<QTemporaryDir>(QDir::tempPath() + QStringLiteral("/es-pg-XXXXXX"));
        if (!m_dir->isValid()) {
            m_error = QStringLiteral("cannot create a temporary folder: %1").arg(m_dir->errorString());
            return false;
        }
        m_asPostgres = ::geteuid() == 0;
        if (m_asPostgres) {
            const passwd *pw = ::getpwnam("postgres");
            if (!pw) {
                m_error
                    = QStringLiteral("running as root, but there is no `postgres` user to run the server");
                return false;
            }
            if (::chown(QFile::encodeName(m_dir->path()).constData(), pw->pw_uid, pw->pw_gid) != 0) {
                m_error = QStringLiteral("cannot give %1 to the postgres user").arg(m_dir->path());
                return false;
            }
        }
        const QString data = m_dir->path() + QStringLiteral("/data");
        QString output;
        if (!runTool(QStringLiteral("initdb"),
                     { QStringLiteral("-D"), data, QStringLiteral("-A"), QStringLiteral("trust"),
                       QStringLiteral("-U"), QStringLiteral("postgres"), QStringLiteral("-E"),
                       QStringLiteral("UTF8"), QStringLiteral("--locale=C"), QStringLiteral("--no-sync") },
                     &output)) {
            m_error = QStringLiteral("initdb failed: %1").arg(output.trimmed());
            return false;
        }
        m_port = freePort();
        const QString settings = QStringLiteral("-k %1 -p %2 -c listen_addresses=127.0.0.1 -c fsync=%3 "
                                                "-c synchronous_commit=%3 -c full_page_writes=%3 "
                                                "-c max_connections=40 -c shared_buffers=128MB")
                                     .arg(m_dir->path())
                                     .arg(m_port)
                                     .arg(options.durable ? QStringLiteral("on") : QStringLiteral("off"));
        if (!runTool(QStringLiteral("pg_ctl"),
                     { QStringLiteral("-D"), data, QStringLiteral("-l"),
                       m_dir->path() + QStringLiteral("/log"), QStringLiteral("-o"), settings,
                       QStringLiteral("-w"), QStringLiteral("-t"), QStringLiteral("60"),
                       QStringLiteral("start") },
                     &output)) {
            QFile log(m_dir->path() + QStringLiteral("/log"));
            (void)log.open(QIODevice::ReadOnly);
            m_error = QStringLiteral("the server did not start: %1 %2")
                          .arg(output.trimmed(), QString::fromUtf8(log.readAll()).trimmed());
            return false;
        }
        m_running = true;
        return true;
    }

    // Stops the server (fast shutdown) and deletes its folder.
    void stop()
    {
        if (m_running) {
            QString output;
            (void)runTool(QStringLiteral("pg_ctl"),
                          { QStringLiteral("-D"), m_dir->path() + QStringLiteral("/data"),
                            QStringLiteral("-m"), QStringLiteral("fast"), QStringLiteral("-w"),
                            QStringLiteral("stop") },
                          &output);
            m_running = false;
        }
        m_dir.reset();
    }

    const QString &error() const { return m_error; }
    QString socketDir() const { return m_dir ? m_dir->path() : QString(); }
    int port() const { return m_port; }

    // A connection URI for `database` over the Unix socket, as user postgres.
    QString uri(const QString &database = QStringLiteral("postgres")) const
    {
        return QStringLiteral("postgresql://postgres@:%1/%2?host=%3")
            .arg(m_port)
            .arg(database, QString::fromUtf8(QUrl::toPercentEncoding(socketDir())));
    }
    // The same over TCP on 127.0.0.1.
    QString tcpUri(const QString &database = QStringLiteral("postgres")) const
    {
        return QStringLiteral("postgresql://postgres@127.0.0.1:%1/%2").arg(m_port).arg(database);
    }

    // Runs SQL in `database` (several statements allowed); false with error() set on failure.
    bool exec(const QByteArray &sql, const QString &database = QStringLiteral("postgres"))
    {
        PGconn *conn = PQconnectdb(uri(database).toUtf8().constData());
        PQsetNoticeProcessor(
            conn, [](void *, const char *) {}, nullptr);
        bool ok = PQstatus(conn) == CONNECTION_OK;
        if (ok) {
            PGresult *res = PQexec(conn, sql.constData());
            const ExecStatusType status = PQresultStatus(res);
            ok = status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK;
            PQclear(res);
        }
        if (!ok)
            m_error = QString::fromUtf8(PQerrorMessage(conn)).trimmed();
        PQfinish(conn);
        return ok;
    }

    // A new empty database (dropped first when it exists); returns its URI, empty on failure.
    QString createDatabase(const QString &name)
    {
        if (!exec("DROP DATABASE IF EXISTS \"" + name.toUtf8() + "\" WITH (FORCE)")
            || !exec("CREATE DATABASE \"" + name.toUtf8() + '"'))
            return QString();
        return uri(name);
    }

    // Rows of a query as "a|b|c" lines (NULL for NULL), or one "ERROR: …" line.
    QStringList rows(const QByteArray &sql, const QString &database)
    {
        QStringList result;
        PGconn *conn = PQconnectdb(uri(database).toUtf8().constData());
        PGresult *res = PQexec(conn, sql.constData());
        if (PQresultStatus(res) != PGRES_TUPLES_OK) {
            result << QStringLiteral("ERROR: ") + QString::fromUtf8(PQerrorMessage(conn)).trimmed();
        } else {
            for (int r = 0; r < PQntuples(res); ++r) {
                QStringList fields;
                for (int c = 0; c < PQnfields(res); ++c)
                    fields << (PQgetisnull(res, r, c) ? QStringLiteral("NULL")
                                                      : QString::fromUtf8(PQgetvalue(res, r, c)));
                result << fields.join(u'|');
            }
        }
        PQclear(res);
        PQfinish(conn);
        return result;
    }

private:
    static QString findBinDir()
    {
        const QString configured = qEnvironmentVariable("ES_PG_BINDIR");
        if (!configured.isEmpty())
            return configured;
        QDir root(QStringLiteral("/usr/lib/postgresql"));
        QStringList versions = root.entryList(QDir::Dirs | QDir::NoDotAndDotDot);
        std::sort(versions.begin(), versions.end(),
                  [](const QString &a, const QString &b) { return a.toInt() > b.toInt(); });
        for (const QString &version : versions) {
            const QString dir = root.filePath(version + QStringLiteral("/bin"));
            if (QFileInfo::exists(dir + QStringLiteral("/initdb")))
                return dir;
        }
        return QString();
    }

    static int freePort()
    {
        const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in address {};
        address.sin_family = AF_INET;
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        address.sin_port = 0;
        socklen_t length = sizeof address;
        int port = 0;
        if (::bind(fd, reinterpret_cast<sockaddr *>(&address), sizeof address) == 0
            && ::getsockname(fd, reinterpret_cast<sockaddr *>(&address), &length) == 0)
            port = ntohs(address.sin_port);
        ::close(fd);
        return port != 0 ? port : 54329;
    }

    // Runs a server tool (as postgres when root) and waits for it; its output goes to `output`.
    bool runTool(const QString &tool, const QStringList &arguments, QString *output) const
    {
        QProcess process;
        process.setProcessChannelMode(QProcess::MergedChannels);
        process.setWorkingDirectory(m_dir->path());
        const QString program = m_binDir + u'/' + tool;
        if (m_asPostgres)
            process.start(QStringLiteral("runuser"),
                          QStringList { QStringLiteral("-u"), QStringLiteral("postgres"),
                                        QStringLiteral("--"), program }
                              + arguments);
        else
            process.start(program, arguments);
        if (!process.waitForStarted(30000)) {
            *output = process.errorString();
            return false;
        }
        process.waitForFinished(120000);
        *output = QString::fromLocal8Bit(process.readAll());
        return process.exitStatus() == QProcess::NormalExit && process.exitCode() == 0;
    }

    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_binDir;
    QString m_error;
    int m_port = 0;
    bool m_asPostgres = false;
    bool m_running = false;
};
