#pragma once

#include "result.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QString>
#include <QStringList>

#include <functional>
#include <memory>
#include <vector>

struct pg_conn;
struct pg_result;

// Connection failures a caller can act on; any other failure is a DbErrorKind (dbErrorKind()
// reads these as DbErrorKind::Other, so the command line's exit codes stay as they are).
enum class PgErrorKind {
    PasswordNeeded,   // the server asked for a password and none was available
    PasswordRejected, // the password given was wrong
};

// Telling a PostgreSQL connection from an SQLite file path, and naming it in messages.
namespace PgSpec {

// Whether `database` (a --db value, a recent-list entry) names a PostgreSQL server rather than
// an SQLite file: a postgresql:// or postgres:// URI, or a libpq key=value string such as
// "host=db1 dbname=agency" (only when no file of that name exists). Missing parts of either come
// from the PG* environment variables and ~/.pgpass, as in psql.
bool isConnectionSpec(const QString &database);

// "postgresql://alice@db1:5432/agency" for messages and titles: never the password.
QString displayName(const QString &spec);

// The fields of a spec as libpq understands them (after the PG* defaults): host, port, dbname,
// user (and password when given; for tests). Empty on a parse error.
struct Parts
{
    QString host;
    QString port;
    QString dbname;
    QString user;
    QString password;
    bool ok = false;
    QString error; // why parsing failed
};
Parts parse(const QString &spec);

// A password typed into the program for the server, database and user of `spec` (from parse()),
// kept in this process's memory only and used by every later PgConnection::connect to them
// whose spec carries none: never written anywhere. An empty `password` forgets it.
void setSessionPassword(const QString &spec, const QString &password);
bool hasSessionPassword(const QString &spec);

} // namespace PgSpec

// A PGresult, freed when it goes.
class PgResult final
{
public:
    explicit PgResult(pg_result *result = nullptr);
    int rows() const;
    int columns() const;
    bool isNull(int row, int column) const;
    QByteArrayView value(int row, int column) const; // text format
    QString text(int row, int column) const;         // a null QString for NULL
    qint64 int64(int row, int column) const;
    qint64 affected() const; // rows changed by INSERT/UPDATE/DELETE
    pg_result *get() const { return m_result.get(); }

private:
    std::shared_ptr<pg_result> m_result;
};

// One decoded line of COPY ... TO STDOUT in text format: tab-separated fields, \N for NULL.
class PgCopyRow final
{
public:
    // Splits and unescapes `line` (without its newline); the views stay valid until the next
    // parse() or until `line` goes.
    void parse(QByteArrayView line);
    int size() const { return int(m_fields.size()); }
    bool isNull(int i) const { return m_nulls[std::size_t(i)]; }
    QByteArrayView utf8(int i) const { return m_fields[std::size_t(i)]; } // null view for NULL
    QString text(int i) const;                                            // null QString for NULL
    qint64 int64(int i) const;                                            // 0 for NULL or garbage

private:
    std::vector<QByteArrayView> m_fields;
    std::vector<bool> m_nulls;
    std::vector<QByteArray> m_unescaped; // fields that had backslash escapes
};

// Appends `value` to a COPY FROM STDIN text-format line, escaped (a null view writes \N).
void pgCopyField(QByteArray &line, QByteArrayView value, bool first);

// One libpq connection to an organisation database on a PostgreSQL server. Move-only; one per
// thread. Every error is a value (DbErrorKind in Error::code) whose one-line message names the
// server and database (never the password) and says what to do.
class PgConnection final
{
public:
    // Connects; `applicationName` shows in pg_stat_activity (who holds a run's lock). Gives up
    // after 10 s when the server does not answer (unless the spec or PGCONNECT_TIMEOUT says
    // otherwise); a password comes from the spec, the session (setSessionPassword), PGPASSWORD
    // or ~/.pgpass.
    static Result<PgConnection> connect(const QString &spec, const QString &applicationName = QString());

    PgConnection(PgConnection &&other) noexcept;
    PgConnection &operator=(PgConnection &&other) noexcept;
    PgConnection(const PgConnection &) = delete;
    PgConnection &operator=(const PgConnection &) = delete;
    ~PgConnection();

    pg_conn *handle() const { return m_conn; }
    const QString &spec() const { return m_spec; }
    const QString &name() const { return m_name; } // displayName() of the spec

    // Runs SQL (several statements allowed) without results.
    Result<void> exec(const QByteArray &sql, const QString &action);
    // Runs one statement with text parameters ($1, $2, ...; a null QByteArray is NULL).
    Result<PgResult> query(const QByteArray &sql, const QString &action,
                           const QList<QByteArray> &params = QList<QByteArray>()) const;
    // The same, sent asynchronously: while it runs, `isCanceled` is polled (every 100 ms) and a
    // true answer cancels the statement on the server (DbErrorKind::Cancelled).
    Result<PgResult> queryCancellable(const QByteArray &sql, const QString &action,
                                      const QList<QByteArray> &params,
                                      const std::function<bool()> &isCanceled) const;
    // COPY (...) TO STDOUT: `row` gets every decoded line; it returns false to stop (cancel).
    Result<void> copyOut(const QByteArray &copySql, const QString &action,
                         const std::function<bool(const PgCopyRow &row)> &row);
    // COPY ... FROM STDIN: `fill` is called until it returns false; each call appends complete
    // lines (escaped with pgCopyField, ending in '\n') to the buffer it is given.
    Result<qint64> copyIn(const QByteArray &copySql, const QString &action,
                          const std::function<bool(QByteArray &buffer)> &fill);

    // The existing columns of `table` in the current schema, lower case; empty when missing.
    QStringList columns(const QString &table) const;
    // The data type (information_schema) of `table`.`column`; empty when missing.
    QString columnType(const QString &table, const QString &column) const;
    bool hasTable(const QString &table) const;

    // The Error of a failed result (SQLSTATE mapped to DbErrorKind).
    Error errorFor(const PgResult &result, const QString &action) const;
    Error errorFor(const QString &message, const QString &action) const;

private:
    PgConnection(pg_conn *conn, QString spec);
    void close();

    pg_conn *m_conn = nullptr;
    QString m_spec;
    QString m_name;
};
