#pragma once

#include "result.h"

#include <QString>
#include <QStringList>

struct sqlite3;

// What went wrong with an organisation database: the kind of every storage error.
enum class DbErrorKind {
    Missing,         // the file does not exist
    NotADatabase,    // the file is not an SQLite database (or is corrupt)
    NoContactsTable, // an SQLite database without a `contacts` table
    Locked,          // another program kept the database locked for the whole busy timeout
    ReadOnly,        // writing was asked for but the file or its folder is read-only
    Io,              // disk full, I/O error
    Cancelled,       // the user cancelled; nothing was changed
    Other,
};

// The kind of a storage error; Other for errors of other layers.
inline DbErrorKind dbErrorKind(const Error &error)
{
    return error.kind<DbErrorKind>().value_or(DbErrorKind::Other);
}
inline Error dbError(DbErrorKind kind, const QString &message)
{
    return Error(kind, message);
}

// One open SQLite connection to an organisation database (SPEC section 9), opened through the
// C API. Move-only; use one per thread. Opening validates the file (exists, is a database, has
// `contacts`). ReadOnly mode never creates or changes anything (preview); schema changes happen
// only in ensureSchema(), on a ReadWrite connection.
class OrgDatabase
{
public:
    enum class Mode { ReadOnly, ReadWrite };
    // A database locked by another writer gives up after this long with DbErrorKind::Locked.
    static constexpr int DefaultBusyTimeoutMs = 10000;

    // Errors (of kind DbErrorKind) name the file and say what to do, in one line.
    static Result<OrgDatabase> open(const QString &path, Mode mode, int busyTimeoutMs = DefaultBusyTimeoutMs);

    // Creates a new database file (or opens the empty file at `path`) for writing, without the
    // checks of open(): for the demo generator, which fills a private file before renaming it.
    static Result<OrgDatabase> create(const QString &path, int busyTimeoutMs = DefaultBusyTimeoutMs);

    OrgDatabase(OrgDatabase &&other) noexcept;
    OrgDatabase &operator=(OrgDatabase &&other) noexcept;
    OrgDatabase(const OrgDatabase &) = delete;
    OrgDatabase &operator=(const OrgDatabase &) = delete;
    ~OrgDatabase();

    // Opens `path` read-only (sqlite3_open_v2 with `extraFlags` added) without creating any file
    // next to it. SQLite creates the -wal and -shm files of a WAL database even for a read-only
    // connection (and, as root, even in a read-only folder); when neither exists, no other
    // connection has the database open and the main file holds all of it, so it is opened
    // immutable instead. `immutable` (optional) tells which happened: such a connection never
    // sees later changes, so a long-lived one reopens when the file changes (see
    // changedSinceOpen()). Returns the SQLite result code; *db is set even on failure.
    static int openReadOnlyHandle(const QString &path, sqlite3 **db, int extraFlags,
                                  bool *immutable = nullptr);
    // A fingerprint of the file and its -wal (size, modification time, existence): a connection
    // opened immutable must be reopened once it differs from the one taken at the open.
    static QByteArray fileState(const QString &path);

    sqlite3 *handle() const { return m_db; }
    const QString &path() const { return m_path; }
    Mode mode() const { return m_mode; }
    // Whether a ReadOnly connection was opened immutable (see openReadOnlyHandle()).
    bool isImmutable() const { return m_immutable; }

    // Creates what is missing and never drops or rewrites foreign columns: `email_schedules`
    // (org-206's definition with its unique index on (contact_id, email_type,
    // scheduled_send_date)), missing columns of an older email_schedules (ALTER TABLE ADD
    // COLUMN), and the runs table (runsTable(); missing columns added). One short transaction;
    // ReadWrite only.
    Result<void> ensureSchema();

    bool hasTable(const QString &name) const;
    // The rowid of the last row inserted on this connection.
    qint64 lastInsertRowId() const;
    QStringList columns(const QString &table) const; // empty when the table does not exist

    // Runs SQL without results; errors are mapped with errorFor().
    Result<void> exec(const char *sql, const QString &action);

    // An Error for an SQLite result code, e.g. "Could not write /x/org.db: the database is
    // locked by another program (waited 10 s). Close the other program and try again."
    // `action` is a verb phrase such as "read contacts from".
    Error errorFor(int sqliteCode, const QString &action) const;

    // Name of the runs table written by ScheduleWriter and read by RunHistory: `scheduler_runs`,
    // unless a table of that name exists that rows cannot be added to by naming the run's
    // columns (NOT NULL columns of its own without a default, no rowid): then the program keeps
    // its own `email_scheduler_runs`. Missing run columns of a shared table are added by
    // ensureSchema().
    QString runsTable() const;

private:
    OrgDatabase(sqlite3 *db, QString path, Mode mode, int busyTimeoutMs);
    void close();

    sqlite3 *m_db = nullptr;
    QString m_path;
    Mode m_mode = Mode::ReadOnly;
    int m_busyTimeoutMs = DefaultBusyTimeoutMs;
    bool m_immutable = false;
};
