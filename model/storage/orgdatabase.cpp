#include "storage/orgdatabase.h"

#include "storage/statement.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QFileInfo>
#include <QUrl>

#include <sqlite3.h>

#include <utility>

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("OrgDatabase", text);
}

QString nativePath(const QString &path)
{
    return QDir::toNativeSeparators(path);
}

// The email_schedules columns of SPEC section 9 with the declarations used when one is missing
// from an older table (ALTER TABLE ADD COLUMN cannot add NOT NULL without a constant default).
struct ColumnSpec
{
    const char *name;
    const char *declaration;
};
constexpr ColumnSpec kScheduleColumns[] = {
    { "contact_id", "INTEGER" },
    { "email_type", "TEXT" },
    { "scheduled_send_date", "TEXT" },
    { "scheduled_send_time", "TEXT DEFAULT '08:30:00'" },
    { "status", "TEXT DEFAULT 'scheduled'" },
    { "skip_reason", "TEXT" },
    { "created_at", "TEXT" },
    { "updated_at", "TEXT" },
    { "batch_id", "TEXT" },
    { "event_year", "INTEGER" },
    { "event_month", "INTEGER" },
    { "event_day", "INTEGER" },
    { "catchup_note", "TEXT" },
    { "actual_send_datetime", "TEXT" },
};

// org-206's definition, so a new table looks like the production ones.
constexpr const char *kCreateSchedules
    = "CREATE TABLE email_schedules (id INTEGER PRIMARY KEY AUTOINCREMENT, contact_id INTEGER NOT NULL, "
      "email_type TEXT NOT NULL, scheduled_send_date TEXT NOT NULL, scheduled_send_time TEXT NOT NULL "
      "DEFAULT '08:30:00', status TEXT NOT NULL DEFAULT 'scheduled', skip_reason TEXT, created_at TEXT "
      "NOT NULL DEFAULT (datetime ('now')), updated_at TEXT NOT NULL DEFAULT (datetime ('now')), "
      "batch_id TEXT, event_year INTEGER, event_month INTEGER, event_day INTEGER, catchup_note TEXT, "
      "actual_send_datetime TEXT, FOREIGN KEY (contact_id) REFERENCES contacts (id) ON DELETE CASCADE)";

// The columns of the runs table (besides its rowid), as added to an existing table.
constexpr ColumnSpec kRunColumns[] = {
    { "batch_id", "TEXT" },     { "started_at", "TEXT" }, { "finished_at", "TEXT" },
    { "today", "TEXT" },        { "status", "TEXT" },     { "contacts", "INTEGER" },
    { "scheduled", "INTEGER" }, { "skipped", "INTEGER" }, { "problems", "INTEGER" },
    { "added", "INTEGER" },     { "removed", "INTEGER" }, { "unchanged", "INTEGER" },
    { "user", "TEXT" },         { "error", "TEXT" },      { "warnings", "TEXT" },
    { "email_counts", "TEXT" },
};

constexpr const char *kCreateRunsColumns
    = " (id INTEGER PRIMARY KEY AUTOINCREMENT, batch_id TEXT, "
      "started_at TEXT, finished_at TEXT, today TEXT, status TEXT, contacts INTEGER, scheduled INTEGER, "
      "skipped INTEGER, problems INTEGER, added INTEGER, removed INTEGER, unchanged INTEGER, user TEXT, "
      "error TEXT, warnings TEXT, email_counts TEXT)";

constexpr const char *kSharedRunsTable = "scheduler_runs";
constexpr const char *kOwnRunsTable = "email_scheduler_runs";

// Whether rows can be added to an existing `scheduler_runs` by naming only the run columns:
// it has a rowid and no NOT NULL column without a default (other than its INTEGER PRIMARY KEY,
// which SQLite fills). A table another program made with columns of its own that must be
// filled is left alone.
bool canShareRunsTable(const OrgDatabase &db)
{
    const QString action = QCoreApplication::translate("OrgDatabase", "read the tables of");
    // Whether the first step of `sql` gives a row; false when it fails.
    auto hasRow = [&db, &action](const char *sql) {
        auto stmt = Statement::prepare(db, sql, action);
        if (!stmt)
            return false;
        auto row = stmt->step();
        return row.ok() && *row;
    };
    if (!hasRow("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'scheduler_runs'"))
        return false; // a view
    if (!Statement::prepare(db, "SELECT rowid FROM scheduler_runs LIMIT 0", action).ok())
        return false; // WITHOUT ROWID
    bool usable = true;
    int pkColumns = 0;
    bool integerPk = false;
    auto stmt = Statement::prepare(
        db, "SELECT type, \"notnull\", dflt_value IS NULL, pk FROM pragma_table_info('scheduler_runs')",
        action);
    if (!stmt)
        return false;
    for (auto row = stmt->step(); row.ok() && *row; row = stmt->step()) {
        const QString type = stmt->text(0).toUpper();
        const bool required = stmt->int64(1) != 0 && stmt->int64(2) != 0;
        if (stmt->int64(3) > 0) {
            ++pkColumns;
            integerPk = type == u"INTEGER";
        } else if (required) {
            usable = false;
        }
    }
    // Only a single INTEGER PRIMARY KEY is the rowid and filled by SQLite.
    if (pkColumns > 1 || (pkColumns == 1 && !integerPk))
        usable = false;
    return usable;
}

// Whether the file is an SQLite database in WAL mode (header bytes 18 and 19 are 2).
bool isWalFile(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return false;
    const QByteArray header = file.read(20);
    return header.size() == 20 && header.startsWith("SQLite format 3") && header[18] == 2 && header[19] == 2;
}

QString quoted(const QString &identifier)
{
    QString escaped = identifier;
    escaped.replace(QLatin1Char('"'), QLatin1StringView("\"\""));
    return QLatin1Char('"') + escaped + QLatin1Char('"');
}

} // namespace

OrgDatabase::OrgDatabase(sqlite3 *db, QString path, Mode mode, int busyTimeoutMs)
    : m_db(db), m_path(std::move(path)), m_mode(mode), m_busyTimeoutMs(busyTimeoutMs)
{ }

OrgDatabase::OrgDatabase(OrgDatabase &&other) noexcept
    : m_db(std::exchange(other.m_db, nullptr)), m_path(std::move(other.m_path)), m_mode(other.m_mode),
      m_busyTimeoutMs(other.m_busyTimeoutMs), m_immutable(other.m_immutable)
{ }

OrgDatabase &OrgDatabase::operator=(OrgDatabase &&other) noexcept
{
    if (this != &other) {
        close();
        m_db = std::exchange(other.m_db, nullptr);
        m_path = std::move(other.m_path);
        m_mode = other.m_mode;
        m_busyTimeoutMs = other.m_busyTimeoutMs;
        m_immutable = other.m_immutable;
    }
    return *this;
}

OrgDatabase::~OrgDatabase()
{
    close();
}

void OrgDatabase::close()
{
    if (m_db) {
        sqlite3_close_v2(m_db);
        m_db = nullptr;
    }
}

int OrgDatabase::openReadOnlyHandle(const QString &path, sqlite3 **db, int extraFlags, bool *immutable)
{
    const bool useImmutable = isWalFile(path) && !QFileInfo::exists(path + QStringLiteral("-wal"))
        && !QFileInfo::exists(path + QStringLiteral("-shm"));
    if (immutable)
        *immutable = useImmutable;
    const int flags = SQLITE_OPEN_READONLY | extraFlags;
    if (!useImmutable)
        return sqlite3_open_v2(QFile::encodeName(path).constData(), db, flags, nullptr);
    const QByteArray uri
        = QUrl::fromLocalFile(QFileInfo(path).absoluteFilePath()).toEncoded() + "?immutable=1";
    return sqlite3_open_v2(uri.constData(), db, flags | SQLITE_OPEN_URI, nullptr);
}

QByteArray OrgDatabase::fileState(const QString &path)
{
    QByteArray state;
    for (const QString &file : QStringList { path, path + QStringLiteral("-wal") }) {
        const QFileInfo info(file);
        state += info.exists() ? QByteArray::number(info.size()) + '@'
                + QByteArray::number(info.lastModified().toMSecsSinceEpoch()) + ';'
                               : QByteArray("-;");
    }
    return state;
}

Result<OrgDatabase> OrgDatabase::open(const QString &path, Mode mode, int busyTimeoutMs)
{
    const QFileInfo info(path);
    const QString shown = nativePath(path);
    if (path.isEmpty() || !info.exists())
        return dbError(DbErrorKind::Missing,
                       tr("The database %1 does not exist. Check the path, or create a demo database with "
                          "`email-scheduler-cli generate`.")
                           .arg(shown));
    if (info.isDir())
        return dbError(
            DbErrorKind::NotADatabase,
            tr("%1 is a folder, not a database. Choose the organisation's .sqlite3 or .db file.").arg(shown));
    if (mode == Mode::ReadWrite) {
        // Checked on the permission bits: as root, SQLite would happily write a file the owner
        // marked read-only.
        const auto writeBits = QFileDevice::WriteOwner | QFileDevice::WriteGroup | QFileDevice::WriteOther;
        if (!(info.permissions() & writeBits) || !info.isWritable())
            return dbError(DbErrorKind::ReadOnly,
                           tr("The database %1 is read-only. Make the file writable or work on a copy, then "
                              "run again.")
                               .arg(shown));
        // Writing creates a journal next to the file (-journal, or -wal and -shm in WAL mode);
        // a read-only folder would otherwise be found only at the first write, after the
        // whole computation. Checked before opening, as SQLite may create them on open.
        const QFileInfo folder(info.absolutePath());
        if (!(folder.permissions() & writeBits) || !folder.isWritable()) {
            QStringList missing;
            const QStringList suffixes = isWalFile(path)
                ? QStringList { QStringLiteral("-wal"), QStringLiteral("-shm") }
                : QStringList { QStringLiteral("-journal") };
            for (const QString &suffix : suffixes) {
                if (!QFileInfo::exists(path + suffix))
                    missing.append(info.fileName() + suffix);
            }
            if (!missing.isEmpty())
                return dbError(
                    DbErrorKind::ReadOnly,
                    tr("The database %1 cannot be written: its folder %2 is read-only, and SQLite must "
                       "create %3 there to change the file safely. Make the folder writable or work on "
                       "a copy, then run again.")
                        .arg(shown, nativePath(folder.absoluteFilePath()),
                             missing.join(QStringLiteral(" and "))));
        }
    }

    sqlite3 *raw = nullptr;
    bool immutable = false;
    const int rc = mode == Mode::ReadOnly
        ? openReadOnlyHandle(path, &raw, SQLITE_OPEN_NOMUTEX, &immutable)
        : sqlite3_open_v2(QFile::encodeName(path).constData(), &raw,
                          SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nullptr);
    OrgDatabase db(raw, path, mode, busyTimeoutMs);
    db.m_immutable = immutable;
    if (rc != SQLITE_OK)
        return db.errorFor(rc, tr("open"));
    sqlite3_busy_timeout(raw, busyTimeoutMs);
    sqlite3_extended_result_codes(raw, 0);

    // The first read validates the header: a text file fails here with SQLITE_NOTADB.
    {
        auto stmt = Statement::prepare(
            db, "SELECT 1 FROM sqlite_master WHERE type IN ('table','view') AND name = 'contacts'",
            tr("open"));
        if (!stmt)
            return stmt.error();
        auto row = stmt->step();
        if (!row)
            return row.error();
        if (!*row)
            return dbError(DbErrorKind::NoContactsTable,
                           tr("%1 is an SQLite database but has no `contacts` table. Choose an organisation "
                              "database.")
                               .arg(shown));
    }
    if (mode == Mode::ReadWrite && sqlite3_db_readonly(raw, "main") == 1)
        return dbError(DbErrorKind::ReadOnly,
                       tr("The database %1 can only be opened read-only. Make the file and its folder "
                          "writable, then run again.")
                           .arg(shown));
    return db;
}

Result<OrgDatabase> OrgDatabase::create(const QString &path, int busyTimeoutMs)
{
    sqlite3 *raw = nullptr;
    const int rc = sqlite3_open_v2(QFile::encodeName(path).constData(), &raw,
                                   SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
    OrgDatabase db(raw, path, Mode::ReadWrite, busyTimeoutMs);
    if (rc != SQLITE_OK)
        return db.errorFor(rc, tr("create"));
    sqlite3_busy_timeout(raw, busyTimeoutMs);
    sqlite3_extended_result_codes(raw, 0);
    return db;
}

Error OrgDatabase::errorFor(int sqliteCode, const QString &action) const
{
    const QString shown = nativePath(m_path);
    const QString detail
        = m_db ? QString::fromUtf8(sqlite3_errmsg(m_db)) : QString::fromUtf8(sqlite3_errstr(sqliteCode));
    switch (sqliteCode & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        return dbError(DbErrorKind::Locked,
                       tr("Could not %1 %2: the database is locked by another program (waited %3 s). Close "
                          "the other program or wait until it is done, then try again.")
                           .arg(action, shown)
                           .arg(m_busyTimeoutMs / 1000));
    case SQLITE_NOTADB:
    case SQLITE_CORRUPT:
        return dbError(
            DbErrorKind::NotADatabase,
            tr("Could not %1 %2: the file is not an SQLite database or is damaged (%3). Choose the "
               "organisation's .sqlite3 or .db file.")
                .arg(action, shown, detail));
    case SQLITE_READONLY:
    case SQLITE_PERM:
    case SQLITE_CANTOPEN:
        return dbError(DbErrorKind::ReadOnly,
                       tr("Could not %1 %2: the file or its folder cannot be written (%3). Make them "
                          "writable or work on a copy.")
                           .arg(action, shown, detail));
    case SQLITE_IOERR:
    case SQLITE_FULL:
        return dbError(DbErrorKind::Io,
                       tr("Could not %1 %2: disk error (%3). Check free space and the disk, then try again.")
                           .arg(action, shown, detail));
    case SQLITE_INTERRUPT:
        return dbError(DbErrorKind::Cancelled, tr("Cancelled; %1 was not changed.").arg(shown));
    default:
        return dbError(DbErrorKind::Other, tr("Could not %1 %2: %3.").arg(action, shown, detail));
    }
}

Result<void> OrgDatabase::exec(const char *sql, const QString &action)
{
    const int rc = sqlite3_exec(m_db, sql, nullptr, nullptr, nullptr);
    if (rc != SQLITE_OK)
        return errorFor(rc, action);
    return {};
}

QString OrgDatabase::runsTable() const
{
    // Any object of that name counts: a view called scheduler_runs cannot take rows either.
    bool exists = true;
    if (auto stmt = Statement::prepare(*this, "SELECT 1 FROM sqlite_master WHERE name = 'scheduler_runs'",
                                       tr("read the tables of"))) {
        auto row = stmt->step();
        exists = row.ok() && *row;
    }
    if (!exists || canShareRunsTable(*this))
        return QLatin1StringView(kSharedRunsTable);
    return QLatin1StringView(kOwnRunsTable);
}

qint64 OrgDatabase::lastInsertRowId() const
{
    return sqlite3_last_insert_rowid(m_db);
}

bool OrgDatabase::hasTable(const QString &name) const
{
    auto stmt = Statement::prepare(*this, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?1",
                                   tr("read the tables of"));
    if (!stmt)
        return false;
    stmt->bind(1, name);
    auto row = stmt->step();
    return row.ok() && *row;
}

QStringList OrgDatabase::columns(const QString &table) const
{
    QStringList result;
    auto stmt = Statement::prepare(*this, QString(u"PRAGMA table_info(" + quoted(table) + u')'),
                                   tr("read the tables of"));
    if (!stmt)
        return result;
    for (auto row = stmt->step(); row.ok() && *row; row = stmt->step())
        result.append(stmt->text(1));
    return result;
}

namespace {

// Whether a unique index covers exactly (contact_id, email_type, scheduled_send_date).
bool hasScheduleUniqueIndex(const OrgDatabase &db)
{
    auto stmt = Statement::prepare(
        db,
        "SELECT il.name FROM pragma_index_list('email_schedules') il WHERE il.\"unique\" = 1 "
        "AND (SELECT group_concat(name, ',') FROM (SELECT name FROM "
        "pragma_index_info(il.name) ORDER BY seqno)) = "
        "'contact_id,email_type,scheduled_send_date'",
        QCoreApplication::translate("OrgDatabase", "read the tables of"));
    if (!stmt)
        return false;
    auto row = stmt->step();
    return row.ok() && *row;
}

} // namespace

Result<void> OrgDatabase::ensureSchema()
{
    if (m_mode != Mode::ReadWrite)
        return dbError(DbErrorKind::ReadOnly,
                       tr("Internal error: %1 was opened read-only and cannot be prepared for writing.")
                           .arg(nativePath(m_path)));
    const QString action = tr("prepare the tables of");
    auto transaction = Transaction::begin(*this, action);
    if (!transaction)
        return transaction.error();

    if (!hasTable(QStringLiteral("email_schedules"))) {
        if (auto r = exec(kCreateSchedules, action); !r)
            return r.error(); // the transaction rolls back
    } else {
        const QStringList existing = columns(QStringLiteral("email_schedules"));
        for (const ColumnSpec &column : kScheduleColumns) {
            if (existing.contains(QLatin1StringView(column.name), Qt::CaseInsensitive))
                continue;
            const QByteArray sql = QByteArray("ALTER TABLE email_schedules ADD COLUMN ") + column.name + ' '
                + column.declaration;
            if (auto r = exec(sql.constData(), action); !r)
                return r.error(); // the transaction rolls back
        }
    }
    if (!hasScheduleUniqueIndex(*this)) {
        // Existing duplicates make this fail; the writer copes without the index, so go on.
        sqlite3_exec(m_db, "SAVEPOINT es_index", nullptr, nullptr, nullptr);
        const int rc
            = sqlite3_exec(m_db,
                           "CREATE UNIQUE INDEX IF NOT EXISTS idx_email_schedules_unique ON email_schedules "
                           "(contact_id, email_type, scheduled_send_date)",
                           nullptr, nullptr, nullptr);
        if ((rc & 0xff) == SQLITE_CONSTRAINT || rc == SQLITE_ERROR)
            sqlite3_exec(m_db, "ROLLBACK TO es_index", nullptr, nullptr, nullptr);
        else if (rc != SQLITE_OK)
            return errorFor(rc, action); // the transaction rolls back
        sqlite3_exec(m_db, "RELEASE es_index", nullptr, nullptr, nullptr);
    }
    const QString runs = runsTable();
    if (!hasTable(runs)) {
        const QByteArray sql = "CREATE TABLE " + quoted(runs).toUtf8() + kCreateRunsColumns;
        if (auto r = exec(sql.constData(), action); !r)
            return r.error(); // the transaction rolls back
    } else {
        const QStringList existing = columns(runs);
        for (const ColumnSpec &column : kRunColumns) {
            if (existing.contains(QLatin1StringView(column.name), Qt::CaseInsensitive))
                continue;
            const QByteArray sql = "ALTER TABLE " + quoted(runs).toUtf8() + " ADD COLUMN " + column.name + ' '
                + column.declaration;
            if (auto r = exec(sql.constData(), action); !r)
                return r.error(); // the transaction rolls back
        }
    }
    return transaction->commit();
}
