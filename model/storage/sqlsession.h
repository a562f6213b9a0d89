#pragma once

#include "result.h"

#include <QString>
#include <QStringList>
#include <QStringView>

#include <memory>

class ContactReader;
class OrgDatabase;

// One prepared statement of an SqlSession, whichever backend runs it (move-only). SQL is written
// once, in SQLite's dialect with numbered parameters (?1, ?2, ...); the session translates what
// the other backend spells differently (see SqlSession). Values are read as SQLite reads them:
// integers (a server's boolean as 0/1), text (a null QString for NULL).
class SqlStatement final
{
public:
    class Impl;
    explicit SqlStatement(std::unique_ptr<Impl> impl);
    SqlStatement(SqlStatement &&other) noexcept;
    SqlStatement &operator=(SqlStatement &&other) noexcept;
    SqlStatement(const SqlStatement &) = delete;
    SqlStatement &operator=(const SqlStatement &) = delete;
    ~SqlStatement();

    // Binding (1-based index), kept until rebound.
    SqlStatement &bind(int index, qint64 value);
    SqlStatement &bind(int index, int value) { return bind(index, qint64(value)); }
    SqlStatement &bind(int index, const QString &text);  // a null QString binds NULL
    SqlStatement &bindText(int index, QStringView text); // always text: a null string binds ''

    // true: a row is ready; false: done.
    Result<bool> step();
    // Steps until done, ignoring any rows.
    Result<void> exec();
    // Ready to be stepped again (with new bindings).
    void reset();

    bool isNull(int column) const;
    // Whether the value is a whole number (SQLite: stored as INTEGER).
    bool isInteger(int column) const;
    qint64 int64(int column) const;
    QString text(int column) const; // a null QString for NULL

private:
    std::unique_ptr<Impl> m_impl;
};

// The backend seam of the management stores (campaigns, the do-not-email list, the audit log):
// one connection to an organisation database, an SQLite file (over OrgDatabase) or a PostgreSQL
// database (over PgConnection), told apart by PgSpec::isConnectionSpec. The stores are written
// once against it; the few differences of the dialects live here:
// - parameters ?N become $N on a server, datetime('now') its LOCALTIMESTAMP(0) (UTC: every
//   connection sets TimeZone = UTC; a text column takes it as 'YYYY-MM-DD HH:MM:SS');
// - a server's boolean column reads as 0/1;
// - `INSERT ... RETURNING id` gives new ids on both (SQLite 3.35+);
// - who makes a change: the server's current_user on a server (serverUser()).
// Tables are created by ManagementTables in each backend's types (backend()).
class SqlSession
{
public:
    enum class Backend : quint8 { Sqlite, PostgreSql };
    enum class Mode : quint8 { ReadOnly, ReadWrite };

    // Opens `database` (an SQLite path or a connection spec) with the checks of OrgDatabase::open
    // or PgSchema::openOrganisation; errors (DbErrorKind) name the file or server in one line.
    // A read-only server session refuses writes on the server too.
    static Result<std::unique_ptr<SqlSession>> open(const QString &database, Mode mode);
    // A session over an open SQLite connection, which must outlive it.
    static std::unique_ptr<SqlSession> over(OrgDatabase &db);

    virtual ~SqlSession();

    virtual Backend backend() const = 0;
    // The file path or the server's displayName, for messages.
    virtual QString displayName() const = 0;
    virtual bool isWritable() const = 0;
    // The server user (current_user) on a server; empty for a file.
    virtual QString serverUser() const = 0;

    virtual bool hasTable(const QString &table) const = 0;
    // The existing columns of `table` (empty when it does not exist).
    virtual QStringList columns(const QString &table) const = 0;

    // `action` is the verb phrase of error messages ("read the campaign types of").
    virtual Result<SqlStatement> prepare(const QString &sql, const QString &action) const = 0;
    Result<SqlStatement> prepare(const char *sql, const QString &action) const
    {
        return prepare(QString::fromUtf8(sql), action);
    }
    // Prepares and runs SQL without results.
    Result<void> exec(const QString &sql, const QString &action) const;
    Result<void> exec(const char *sql, const QString &action) const
    {
        return exec(QString::fromUtf8(sql), action);
    }

    // A reader of the contacts (the batch's seam), read-only, for the audience of campaigns.
    virtual Result<std::unique_ptr<ContactReader>> contactReader() const = 0;

private:
    friend class SqlTransaction;
    virtual Result<void> begin(const QString &action) = 0; // BEGIN IMMEDIATE / BEGIN
    virtual Result<void> commit(const QString &action) = 0;
    virtual void rollback() = 0;
};

// A write transaction on an SqlSession; rolled back in the destructor unless committed.
class SqlTransaction final
{
public:
    static Result<SqlTransaction> begin(SqlSession &session, const QString &action);

    SqlTransaction(SqlTransaction &&other) noexcept;
    SqlTransaction &operator=(SqlTransaction &&) = delete;
    SqlTransaction(const SqlTransaction &) = delete;
    SqlTransaction &operator=(const SqlTransaction &) = delete;
    ~SqlTransaction();

    // Commits; on failure the transaction is rolled back. `action` names what failed (the one
    // given to begin() when empty).
    Result<void> commit(const QString &action = QString());
    void rollback();

private:
    SqlTransaction(SqlSession &session, QString action);

    SqlSession *m_session = nullptr;
    QString m_action;
};
