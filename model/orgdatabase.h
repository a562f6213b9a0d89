#pragma once

#include "result.h"

#include <QString>
#include <QStringList>

struct sqlite3;

// What went wrong with an organisation database; stored in Error::code (never 0).
enum class DbErrorKind : int {
    Missing = 1,     // the file does not exist
    NotADatabase,    // the file is not an SQLite database (or is corrupt)
    NoContactsTable, // an SQLite database without a `contacts` table
    Locked,          // another program kept the database locked for the whole busy timeout
    ReadOnly,        // writing was asked for but the file or its folder is read-only
    Io,              // disk full, I/O error
    Cancelled,       // the user cancelled; nothing was changed
    Other,
};

// The kind of a storage error; Other for errors of other layers.
DbErrorKind dbErrorKind(const Error &error);
Error dbError(DbErrorKind kind, const QString &message);

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

    // Errors (DbErrorKind in Error::code) name the file and say what to do, in one line.
    static Result<OrgDatabase> open(const QString &path, Mode mode,
                                     int busyTimeoutMs = DefaultBusyTimeoutMs);

    OrgDatabase(OrgDatabase &&other) noexcept;
    OrgDatabase &operator=(OrgDatabase &&other) noexcept;
    OrgDatabase(const OrgDatabase &) = delete;
    OrgDatabase &operator=(const OrgDatabase &) = delete;
    ~OrgDatabase();

    sqlite3 *handle() const { return m_db; }
    const QString &path() const { return m_path; }
    Mode mode() const { return m_mode; }

    // Creates what is missing and never drops or rewrites foreign columns: `email_schedules`
    // (org-206's definition with its unique index on (contact_id, email_type,
    // scheduled_send_date)), missing columns of an older email_schedules (ALTER TABLE ADD
    // COLUMN), and the runs table `scheduler_runs`. One short transaction; ReadWrite only.
    Result<void> ensureSchema();

    bool hasTable(const QString &name) const;
    QStringList columns(const QString &table) const; // empty when the table does not exist

    // Runs SQL without results; errors are mapped with errorFor().
    Result<void> exec(const char *sql, const QString &action);

    // An Error for an SQLite result code, e.g. "Could not write /x/org.db: the database is
    // locked by another program (waited 10 s). Close the other program and try again."
    // `action` is a verb phrase such as "read contacts from".
    Error errorFor(int sqliteCode, const QString &action) const;

    // Name of the runs table written by ScheduleWriter and read by RunHistory.
    static QString runsTable() { return QStringLiteral("scheduler_runs"); }

private:
    OrgDatabase(sqlite3 *db, QString path, Mode mode, int busyTimeoutMs);
    void close();

    sqlite3 *m_db = nullptr;
    QString m_path;
    Mode m_mode = Mode::ReadOnly;
    int m_busyTimeoutMs = DefaultBusyTimeoutMs;
};
