#include "storage/managementtables.h"

#include "storage/orgdatabase.h"
#include "storage/sqlsession.h"

#include <QCoreApplication>

#ifdef Q_OS_UNIX
#include <pwd.h>
#include <unistd.h>
#endif

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("ManagementTables", text);
}

// What a column holds, spelled in each backend's types (SQLite: the production migration's
// declarations; PostgreSQL: bigint ids, boolean flags, date dates, timestamp(0) times).
enum class Kind : quint8 {
    Key,     // the integer primary key
    AutoKey, // the same, never reused (the audit log)
    Integer,
    Flag, // 0/1 on SQLite, boolean on a server
    Text,
    Date,
    Stamp, // when a row was made or changed, UTC "YYYY-MM-DD HH:MM:SS"
};

// A column: its kind, NOT NULL, and the default (SQLite's literal: 1, 30, 'pending'; "now" for
// the current time).
struct ColumnSpec
{
    const char *name;
    Kind kind;
    bool notNull = false;
    const char *defaultValue = nullptr;
    bool unique = false;
};

// One table: its columns (the first is the key; the others added when missing), its indexes.
struct TableSpec
{
    const char *name;
    std::initializer_list<ColumnSpec> columns;
    std::initializer_list<const char *> indexes;
};

// SPEC 12: the production databases' campaign migration.
const TableSpec kCampaignTypes {
    "campaign_types",
    {
        { "id", Kind::Key },
        { "name", Kind::Text, true, nullptr, true },
        { "respect_exclusion_windows", Kind::Flag, true, "1" },
        { "enable_followups", Kind::Flag, true, "0" },
        { "days_before_event", Kind::Integer, true, "30" },
        { "target_all_contacts", Kind::Flag, true, "0" },
        { "priority", Kind::Integer, true, "30" },
        { "active", Kind::Flag, true, "1" },
        { "spread_evenly", Kind::Flag, true, "0" },
        { "skip_failed_underwriting", Kind::Flag, true, "0" },
        { "created_at", Kind::Stamp, false, "now" },
        { "updated_at", Kind::Stamp, false, "now" },
    },
    {},
};

const TableSpec kCampaignInstances {
    "campaign_instances",
    {
        { "id", Kind::Key },
        { "campaign_type", Kind::Text, true },
        { "instance_name", Kind::Text, true },
        { "email_template", Kind::Text },
        { "sms_template", Kind::Text },
        { "active_start_date", Kind::Date },
        { "active_end_date", Kind::Date },
        { "spread_start_date", Kind::Date },
        { "spread_end_date", Kind::Date },
        { "target_states", Kind::Text },
        { "target_carriers", Kind::Text },
        { "metadata", Kind::Text },
        { "created_at", Kind::Stamp, false, "now" },
        { "updated_at", Kind::Stamp, false, "now" },
    },
    { "CREATE INDEX IF NOT EXISTS idx_campaign_instances_type ON campaign_instances (campaign_type)" },
};

const TableSpec kContactCampaigns {
    "contact_campaigns",
    {
        { "id", Kind::Key },
        { "contact_id", Kind::Integer, true },
        { "campaign_instance_id", Kind::Integer, true },
        { "trigger_date", Kind::Date },
        { "status", Kind::Text, true, "'pending'" },
        { "metadata", Kind::Text },
        { "created_at", Kind::Stamp, false, "now" },
        { "updated_at", Kind::Stamp, false, "now" },
    },
    {
        "CREATE INDEX IF NOT EXISTS idx_contact_campaigns_contact ON contact_campaigns (contact_id)",
        "CREATE INDEX IF NOT EXISTS idx_contact_campaigns_instance ON contact_campaigns "
        "(campaign_instance_id)",
    },
};

// SPEC 14.
const TableSpec kSuppressions {
    "email_suppressions",
    {
        { "id", Kind::Key },
        { "email", Kind::Text, true },
        { "reason", Kind::Text, true },
        { "note", Kind::Text },
        { "created_at", Kind::Stamp, false, "now" },
        { "created_by", Kind::Text },
    },
    { "CREATE UNIQUE INDEX IF NOT EXISTS idx_email_suppressions_email ON email_suppressions "
      "(lower(trim(email)))" },
};

// `at` is text on SQLite (datetime('now')), as the demo and older files have it.
const TableSpec kAudit {
    "audit_log",
    {
        { "id", Kind::AutoKey },
        { "at", Kind::Stamp, true, "now" },
        { "user", Kind::Text },
        { "server_user", Kind::Text },
        { "action", Kind::Text, true },
        { "entity", Kind::Text, true },
        { "entity_id", Kind::Integer },
        { "summary", Kind::Text },
        { "before_json", Kind::Text },
        { "after_json", Kind::Text },
    },
    { "CREATE INDEX IF NOT EXISTS idx_audit_log_entity ON audit_log (entity, entity_id)" },
};

// The declaration of a column in a CREATE TABLE, or (`added`) in an ALTER TABLE ADD COLUMN of an
// existing table, where SQLite takes neither NOT NULL without a constant default nor a default
// that is not constant (rows added later get theirs from the writers).
QByteArray declaration(SqlSession::Backend backend, const TableSpec &table, const ColumnSpec &column,
                       bool added)
{
    const bool server = backend == SqlSession::Backend::PostgreSql;
    const bool audit = &table == &kAudit;
    QByteArray type;
    switch (column.kind) {
    case Kind::Key:
        return server ? "bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY" : "INTEGER PRIMARY KEY";
    case Kind::AutoKey:
        return server ? "bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY"
                      : "INTEGER PRIMARY KEY AUTOINCREMENT";
    case Kind::Integer:
        type = server ? "bigint" : "INTEGER";
        break;
    case Kind::Flag:
        type = server ? "boolean" : "INTEGER";
        break;
    case Kind::Text:
        type = server ? "text" : "TEXT";
        break;
    case Kind::Date:
        type = server ? "date" : "DATE";
        break;
    case Kind::Stamp:
        type = server ? "timestamp(0)" : (audit ? "TEXT" : "DATETIME");
        break;
    }
    QByteArray def;
    if (column.defaultValue) {
        if (qstrcmp(column.defaultValue, "now") == 0) {
            if (server)
                def = "LOCALTIMESTAMP(0)";
            else if (!added)
                def = audit ? "(datetime('now'))" : "CURRENT_TIMESTAMP";
        } else if (server && column.kind == Kind::Flag) {
            def = qstrcmp(column.defaultValue, "0") == 0 ? "false" : "true";
        } else {
            def = column.defaultValue;
        }
    }
    QByteArray sql = type;
    if (column.unique && !added)
        sql += " UNIQUE";
    if (column.notNull && (!added || !def.isEmpty()))
        sql += " NOT NULL";
    if (!def.isEmpty())
        sql += " DEFAULT " + def;
    return sql;
}

// `user` is a keyword on a server: every column name is quoted (SQLite takes it too).
QByteArray quoted(const char *name)
{
    return QByteArray("\"") + name + '"';
}

// A server table copied by an older copy-db has a plain bigint key: new rows need ids after the
// existing ones, so the key becomes an identity column (a key of another type is left alone).
Result<void> ensureServerKey(SqlSession &db, const TableSpec &table)
{
    const QString action = tr("prepare the tables of");
    auto plain = db.prepare(QStringLiteral("SELECT 1 FROM information_schema.columns WHERE table_schema = "
                                           "current_schema() AND table_name = ?1 AND column_name = 'id' AND "
                                           "column_default IS NULL AND is_identity = 'NO' AND data_type IN "
                                           "('bigint', 'integer') AND is_nullable = 'NO'"),
                            action);
    if (!plain)
        return plain.error();
    plain->bindText(1, QString::fromLatin1(table.name));
    auto row = plain->step();
    if (!row)
        return row.error();
    if (!*row)
        return {};
    const QString name = QLatin1StringView(table.name);
    if (auto altered
        = db.exec(u"ALTER TABLE " + name + u" ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY", action);
        !altered)
        return altered;
    return db.exec(u"SELECT setval(pg_get_serial_sequence('" + name
                       + u"', 'id'), coalesce(max(id), 0) + 1, "
                         u"false) FROM "
                       + name,
                   action);
}

Result<void> ensure(SqlSession &db, const TableSpec &table)
{
    const QString action = tr("prepare the tables of");
    const QString name = QLatin1StringView(table.name);
    if (!db.hasTable(name)) {
        QByteArray sql = QByteArray("CREATE TABLE ") + table.name + " (";
        bool first = true;
        for (const ColumnSpec &column : table.columns) {
            sql += (first ? "" : ", ") + quoted(column.name) + ' '
                + declaration(db.backend(), table, column, false);
            first = false;
        }
        if (auto created = db.exec(QString::fromUtf8(sql + ')'), action); !created)
            return created.error();
    } else {
        const QStringList existing = db.columns(name);
        for (const ColumnSpec &column : table.columns) {
            if (existing.contains(QLatin1StringView(column.name), Qt::CaseInsensitive))
                continue;
            const QByteArray sql = QByteArray("ALTER TABLE ") + table.name + " ADD COLUMN "
                + quoted(column.name) + ' ' + declaration(db.backend(), table, column, true);
            if (auto added = db.exec(QString::fromUtf8(sql), action); !added)
                return added.error();
        }
    }
    if (db.backend() == SqlSession::Backend::PostgreSql) {
        if (auto keyed = ensureServerKey(db, table); !keyed)
            return keyed;
    }
    // Existing rows may break a unique index (two spellings of one address): the stores check
    // for duplicates themselves, so go on without it rather than refuse the table.
    for (const char *index : table.indexes) {
        if (auto saved = db.exec(QStringLiteral("SAVEPOINT es_management_index"), action); !saved)
            return saved.error();
        if (auto made = db.exec(QLatin1StringView(index), action); !made) {
            if (dbErrorKind(made.error()) != DbErrorKind::Other)
                return made.error();
            (void)db.exec(QStringLiteral("ROLLBACK TO es_management_index"), action);
        }
        if (auto released = db.exec(QStringLiteral("RELEASE es_management_index"), action); !released)
            return released.error();
    }
    return {};
}

const TableSpec *specOf(ManagementTables::Table table)
{
    switch (table) {
    case ManagementTables::Table::Suppressions:
        return &kSuppressions;
    case ManagementTables::Table::Audit:
        return &kAudit;
    case ManagementTables::Table::Campaigns:
        break;
    }
    return nullptr;
}

} // namespace

namespace ManagementTables {

Result<void> requireWritable(const SqlSession &db)
{
    if (!db.isWritable())
        return dbError(
            DbErrorKind::ReadOnly,
            tr("Internal error: %1 was opened read-only and cannot be changed.").arg(db.displayName()));
    return {};
}

QString emailKey(QStringView email)
{
    QString key = email.trimmed().toString();
    for (QChar &c : key) {
        if (c >= u'A' && c <= u'Z')
            c = QChar(c.unicode() + 32);
    }
    return key;
}

Error invalidInput(const QString &message)
{
    return Error(ErrorKind::InvalidInput, message);
}

bool isInvalidInput(const Error &error)
{
    return error.is(ErrorKind::InvalidInput);
}

Result<void> ensure(SqlSession &db, Table table)
{
    if (auto ok = requireWritable(db); !ok)
        return ok;
    if (const TableSpec *spec = specOf(table))
        return ::ensure(db, *spec);
    for (const TableSpec *spec : { &kCampaignTypes, &kCampaignInstances, &kContactCampaigns }) {
        if (auto done = ::ensure(db, *spec); !done)
            return done;
    }
    return {};
}

Result<void> ensureCampaignTables(OrgDatabase &db)
{
    return ensure(*SqlSession::over(db), Table::Campaigns);
}

Result<void> ensureSuppressionTable(OrgDatabase &db)
{
    return ensure(*SqlSession::over(db), Table::Suppressions);
}

Result<void> ensureAuditTable(OrgDatabase &db)
{
    return ensure(*SqlSession::over(db), Table::Audit);
}

} // namespace ManagementTables

AuditActor AuditActor::current()
{
    QString user = qEnvironmentVariable("USER");
    if (user.isEmpty())
        user = qEnvironmentVariable("USERNAME");
    if (user.isEmpty())
        user = qEnvironmentVariable("LOGNAME");
#ifdef Q_OS_UNIX
    if (user.isEmpty()) {
        if (const passwd *entry = getpwuid(getuid()))
            user = QString::fromLocal8Bit(entry->pw_name);
    }
#endif
    if (user.isEmpty())
        user = QStringLiteral("unknown");
    return AuditActor { user, QString() };
}

QString AuditActor::who() const
{
    return serverUser.isEmpty() ? user : serverUser;
}
