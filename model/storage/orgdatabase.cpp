#include "storage/orgdatabase.h"

#include <QCoreApplication>
#include <QDir>
#include <QDateTime>
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
    {"contact_id", "INTEGER"},
    {"email_type", "TEXT"},
    {"scheduled_send_date", "TEXT"},
    {"scheduled_send_time", "TEXT DEFAULT '08:30:00'"},
    {"status", "TEXT DEFAULT 'scheduled'"},
    {"skip_reason", "TEXT"},
    {"created_at", "TEXT"},
    {"updated_at", "TEXT"},
    {"batch_id", "TEXT"},
    {"event_year", "INTEGER"},
    {"event_month", "INTEGER"},
    {"event_day", "INTEGER"},
    {"catchup_note", "TEXT"},
    {"actual_send_datetime", "TEXT"},
};

// org-206's definition, so a new table looks like the production ones.
constexpr const char *kCreateSchedules =
    "CREATE TABLE email_schedules (id INTEGER PRIMARY KEY AUTOINCREMENT, contact_id INTEGER NOT NULL, "
    "email_type TEXT NOT NULL, scheduled_send_date TEXT NOT NULL, scheduled_send_time TEXT NOT NULL "
    "DEFAULT '08:30:00', status TEXT NOT NULL DEFAULT 'scheduled', skip_reason TEXT, created_at TEXT "
    "NOT NULL DEFAULT (datetime ('now')), updated_at TEXT NOT NULL DEFAULT (datetime ('now')), "
    "batch_id TEXT, event_year INTEGER, event_month INTEGER, event_day INTEGER, catchup_note TEXT, "
    "actual_send_datetime TEXT, FOREIGN KEY (contact_id) REFERENCES contacts (id) ON DELETE CASCADE)";

// The columns of the runs table (besides its rowid), as added to an existing table.
constexpr ColumnSpec kRunColumns[] = {
    {"batch_id", "TEXT"},       {"started_at", "TEXT"},   {"finished_at", "TEXT"}, {"today", "TEXT"},
    {"status", "TEXT"},         {"contacts", "INTEGER"},  {"scheduled", "INTEGER"}, {"skipped", "INTEGER"},
    {"problems", "INTEGER"},    {"added", "INTEGER"},     {"removed", "INTEGER"},  {"unchanged", "INTEGER"},
    {"user", "TEXT"},           {"error", "TEXT"},
};

constexpr const char *kCreateRunsColumns =
    " (id INTEGER PRIMARY KEY AUTOINCREMENT, batch_id TEXT, "
    "started_at TEXT, finished_at TEXT, today TEXT, status TEXT, contacts INTEGER, scheduled INTEGER, "
    "skipped INTEGER, problems INTEGER, added INTEGER, removed INTEGER, unchanged INTEGER, user TEXT, "
    "error TEXT)";

constexpr const char *kSharedRunsTable = "scheduler_runs";
constexpr const char *kOwnRunsTable = "email_scheduler_runs";

// Whether rows can be added to an existing `scheduler_runs` by naming only the run columns:
// it has a rowid and no NOT NULL column without a default (other than its INTEGER PRIMARY KEY,
// which SQLite fills). A table another program made with columns of its own that must be
// filled is left alone.
bool canShareRunsTable(sqlite3 *db)
{
    sqlite3_stmt *stmt = nullptr;
    bool isTable = false;
    if (sqlite3_prepare_v2(db, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'scheduler_runs'", -1,
                           &stmt, nullptr)
        == SQLITE_OK)
        isTable = sqlite3_step(stmt) == SQLITE_ROW;
    sqlite3_finalize(stmt);
    stmt = nullptr;
    if (!isTable)
        return false; // a view
    if (sqlite3_prepare_v2(db, "SELECT rowid FROM scheduler_runs LIMIT 0", -1, &stmt, nullptr) != SQLITE_OK) {
        sqlite3_finalize(stmt);
        return false; // WITHOUT ROWID
    }
    sqlite3_finalize(stmt);
    bool usable = true;
    int pkColumns = 0;
    bool integerPk = false;
    if (sqlite3_prepare_v2(db, "SELECT type, \"notnull\", dflt_value IS NULL, pk FROM pragma_table_info('scheduler_runs')",
                           -1, &stmt, nullptr)
        != SQLITE_OK) {
        sqlite3_finalize(stmt);
        return false;
    }
    while (sqlite3_step(stmt) == SQLITE_ROW) {
        const QByteArray type = QByteArray(reinterpret_cast<const char *>(sqlite3_column_text(stmt, 0))).toUpper();
        const bool required = sqlite3_column_int(stmt, 1) != 0 && sqlite3_column_int(stmt, 2) != 0;
        if (sqlite3_column_int(stmt, 3) > 0) {
            ++pkColumns;
            integerPk = type == "INTEGER";
        } else if (required) {
            usable = false;
        }
    }
    sqlite3_finalize(stmt);
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

DbErrorKind dbErrorKind(const Error &error)
{
    if (error.code >= static_cast<int>(DbErrorKind::Missing) && error.code <= static_cast<int>(DbErrorKind::Other))
        return static_cast<DbErrorKind>(error.code);
    return DbErrorKind::Other;
}

Error dbError(DbErrorKind kind, const QString &message)
{
    return Error {message, static_cast<int>(kind)};
}

OrgDatabase::OrgDatabase(sqlite3 *db, QString path, Mode mode, int busyTimeoutMs)
    : m_db(db), m_path(std::move(path)), m_mode(mode), m_busyTimeoutMs(busyTimeoutMs)
{
}

OrgDatabase::OrgDatabase(OrgDatabase &&other) noexcept
    : m_db(std::exchange(other.m_db, nullptr)), m_path(std::move(other.m_path)), m_mode(other.m_mode),
      m_busyTimeoutMs(other.m_busyTimeoutMs)
{
}

OrgDatabase &OrgDatabase::operator=(OrgDatabase &&other) noexcept
{
    if (this != &other) {
        close();
        m_db = std::exchange(other.m_db, nullptr);
        m_path = std::move(other.m_path);
        m_mode = other.m_mode;
        m_busyTimeoutMs = other.m_busyTimeoutMs;
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
    const QByteArray uri = QUrl::fromLocalFile(QFileInfo(path).absoluteFilePath()).toEncoded() + "?immutable=1";
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
                          "`email-scheduler-cli generate`.").arg(shown));
    if (info.isDir())
        return dbError(DbErrorKind::NotADatabase,
                       tr("%1 is a folder, not a database. Choose the organisation's .sqlite3 or .db file.").arg(shown));
    if (mode == Mode::ReadWrite) {
        // Checked on the permission bits: as root, SQLite would happily write a file the owner
        // marked read-only.
        const auto writeBits = QFileDevice::WriteOwner | QFileDevice::WriteGroup | QFileDevice::WriteOther;
        if (!(info.permissions() & writeBits) || !info.isWritable())
            return dbError(DbErrorKind::ReadOnly,
                           tr("The database %1 is read-only. Make the file writable or work on a copy, then "
                              "run again.").arg(shown));
        // Writing creates a journal next to the file (-journal, or -wal and -shm in WAL mode);
        // a read-only folder would otherwise be found only at the first write, after the
        // whole computation. Checked before opening, as SQLite may create them on open.
        const QFileInfo folder(info.absolutePath());
        if (!(folder.permissions() & writeBits) || !folder.isWritable()) {
            QStringList missing;
            const QStringList suffixes = isWalFile(path) ? QStringList { QStringLiteral("-wal"), QStringLiteral("-shm") }
                                                         : QStringList { QStringLiteral("-journal") };
            for (const QString &suffix : suffixes) {
                if (!QFileInfo::exists(path + suffix))
                    missing.append(info.fileName() + suffix);
            }
            if (!missing.isEmpty())
                return dbError(DbErrorKind::ReadOnly,
                               tr("The database %1 cannot be written: its folder %2 is read-only, and SQLite must "
                                  "create %3 there to change the file safely. Make the folder writable or work on "
                                  "a copy, then run again.")
                                   .arg(shown, nativePath(folder.absoluteFilePath()),
                                        missing.join(QStringLiteral(" and "))));
        }
    }

    sqlite3 *raw = nullptr;
    const int rc = mode == Mode::ReadOnly
        ? openReadOnlyHandle(path, &raw, SQLITE_OPEN_NOMUTEX)
        : sqlite3_open_v2(QFile::encodeName(path).constData(), &raw, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX,
                          nullptr);
    OrgDatabase db(raw, path, mode, busyTimeoutMs);
    if (rc != SQLITE_OK)
        return db.errorFor(rc, tr("open"));
    sqlite3_busy_timeout(raw, busyTimeoutMs);
    sqlite3_extended_result_codes(raw, 0);

    // The first read validates the header: a text file fails here with SQLITE_NOTADB.
    sqlite3_stmt *stmt = nullptr;
    int step = sqlite3_prepare_v2(raw,
                                  "SELECT 1 FROM sqlite_master WHERE type IN ('table','view') AND name = 'contacts'",
                                  -1, &stmt, nullptr);
    if (step == SQLITE_OK)
        step = sqlite3_step(stmt);
    sqlite3_finalize(stmt);
    if (step == SQLITE_DONE)
        return dbError(DbErrorKind::NoContactsTable,
                       tr("%1 is an SQLite database but has no `contacts` table. Choose an organisation "
                          "database.").arg(shown));
    if (step != SQLITE_ROW)
        return db.errorFor(step, tr("open"));
    if (mode == Mode::ReadWrite && sqlite3_db_readonly(raw, "main") == 1)
        return dbError(DbErrorKind::ReadOnly,
                       tr("The database %1 can only be opened read-only. Make the file and its folder "
                          "writable, then run again.").arg(shown));
    return db;
}

Error OrgDatabase::errorFor(int sqliteCode, const QString &action) const
{
    const QString shown = nativePath(m_path);
    const QString detail = m_db ? QString::fromUtf8(sqlite3_errmsg(m_db)) : QString::fromUtf8(sqlite3_errstr(sqliteCode));
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
        return dbError(DbErrorKind::NotADatabase,
                       tr("Could not %1 %2: the file is not an SQLite database or is damaged (%3). Choose the "
                          "organisation's .sqlite3 or .db file.").arg(action, shown, detail));
    case SQLITE_READONLY:
    case SQLITE_PERM:
    case SQLITE_CANTOPEN:
        return dbError(DbErrorKind::ReadOnly,
                       tr("Could not %1 %2: the file or its folder cannot be written (%3). Make them "
                          "writable or work on a copy.").arg(action, shown, detail));
    case SQLITE_IOERR:
    case SQLITE_FULL:
        return dbError(DbErrorKind::Io,
                       tr("Could not %1 %2: disk error (%3). Check free space and the disk, then try again.")
                           .arg(action, shown, detail));
    case SQLITE_INTERRUPT:
        return dbError(DbErrorKind::Cancelled,
                       tr("Cancelled; %1 was not changed.").arg(shown));
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
    sqlite3_stmt *stmt = nullptr;
    bool exists = true;
    if (sqlite3_prepare_v2(m_db, "SELECT 1 FROM sqlite_master WHERE name = 'scheduler_runs'", -1, &stmt, nullptr)
        == SQLITE_OK)
        exists = sqlite3_step(stmt) == SQLITE_ROW;
    sqlite3_finalize(stmt);
    if (!exists || canShareRunsTable(m_db))
        return QLatin1StringView(kSharedRunsTable);
    return QLatin1StringView(kOwnRunsTable);
}

bool OrgDatabase::hasTable(const QString &name) const
{
    sqlite3_stmt *stmt = nullptr;
    if (sqlite3_prepare_v2(m_db, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?1", -1, &stmt, nullptr)
        != SQLITE_OK)
        return false;
    const QByteArray utf8 = name.toUtf8();
    sqlite3_bind_text(stmt, 1, utf8.constData(), int(utf8.size()), SQLITE_STATIC);
    const bool found = sqlite3_step(stmt) == SQLITE_ROW;
    sqlite3_finalize(stmt);
    return found;
}

QStringList OrgDatabase::columns(const QString &table) const
{
    QStringList result;
    sqlite3_stmt *stmt = nullptr;
    const QByteArray sql = "PRAGMA table_info(" + quoted(table).toUtf8() + ')';
    if (sqlite3_prepare_v2(m_db, sql.constData(), -1, &stmt, nullptr) != SQLITE_OK)
        return result;
    while (sqlite3_step(stmt) == SQLITE_ROW)
        result.append(QString::fromUtf8(reinterpret_cast<const char *>(sqlite3_column_text(stmt, 1))));
    sqlite3_finalize(stmt);
    return result;
}

namespace {

// Whether a unique index covers exactly (contact_id, email_type, scheduled_send_date).
bool hasScheduleUniqueIndex(sqlite3 *db)
{
    sqlite3_stmt *stmt = nullptr;
    bool found = false;
    if (sqlite3_prepare_v2(db,
                           "SELECT il.name FROM pragma_index_list('email_schedules') il WHERE il.\"unique\" = 1 "
                           "AND (SELECT group_concat(name, ',') FROM (SELECT name FROM pragma_index_info(il.name) "
                           "ORDER BY seqno)) = 'contact_id,email_type,scheduled_send_date'",
                           -1, &stmt, nullptr)
        == SQLITE_OK)
        found = sqlite3_step(stmt) == SQLITE_ROW;
    sqlite3_finalize(stmt);
    return found;
}

} // namespace

Result<void> OrgDatabase::ensureSchema()
{
    if (m_mode != Mode::ReadWrite)
        return dbError(DbErrorKind::ReadOnly,
                       tr("Internal error: %1 was opened read-only and cannot be prepared for writing.")
                           .arg(nativePath(m_path)));
    const QString action = tr("prepare the tables of");
    if (auto r = exec("BEGIN IMMEDIATE", action); !r)
        return r;
    auto fail = [this](Error error) -> Result<void> {
        sqlite3_exec(m_db, "ROLLBACK", nullptr, nullptr, nullptr);
        return error;
    };

    if (!hasTable(QStringLiteral("email_schedules"))) {
        if (auto r = exec(kCreateSchedules, action); !r)
            return fail(r.error());
    } else {
        const QStringList existing = columns(QStringLiteral("email_schedules"));
        for (const ColumnSpec &column : kScheduleColumns) {
            if (existing.contains(QLatin1StringView(column.name), Qt::CaseInsensitive))
                continue;
            const QByteArray sql = QByteArray("ALTER TABLE email_schedules ADD COLUMN ") + column.name + ' '
                + column.declaration;
            if (auto r = exec(sql.constData(), action); !r)
                return fail(r.error());
        }
    }
    if (!hasScheduleUniqueIndex(m_db)) {
        // Existing duplicates make this fail; the writer copes without the index, so go on.
        sqlite3_exec(m_db, "SAVEPOINT es_index", nullptr, nullptr, nullptr);
        const int rc = sqlite3_exec(m_db,
                                    "CREATE UNIQUE INDEX IF NOT EXISTS idx_email_schedules_unique ON email_schedules "
                                    "(contact_id, email_type, scheduled_send_date)",
                                    nullptr, nullptr, nullptr);
        if ((rc & 0xff) == SQLITE_CONSTRAINT || rc == SQLITE_ERROR)
            sqlite3_exec(m_db, "ROLLBACK TO es_index", nullptr, nullptr, nullptr);
        else if (rc != SQLITE_OK)
            return fail(errorFor(rc, action));
        sqlite3_exec(m_db, "RELEASE es_index", nullptr, nullptr, nullptr);
    }
    const QString runs = runsTable();
    if (!hasTable(runs)) {
        const QByteArray sql = "CREATE TABLE " + quoted(runs).toUtf8() + kCreateRunsColumns;
        if (auto r = exec(sql.constData(), action); !r)
            return fail(r.error());
    } else {
        const QStringList existing = columns(runs);
        for (const ColumnSpec &column : kRunColumns) {
            if (existing.contains(QLatin1StringView(column.name), Qt::CaseInsensitive))
                continue;
            const QByteArray sql = "ALTER TABLE " + quoted(runs).toUtf8() + " ADD COLUMN " + column.name + ' '
                + column.declaration;
            if (auto r = exec(sql.constData(), action); !r)
                return fail(r.error());
        }
    }
    if (auto r = exec("COMMIT", action); !r)
        return fail(r.error());
    return {};
}
