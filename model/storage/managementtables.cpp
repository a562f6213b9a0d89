#include "storage/managementtables.h"

#include "storage/orgdatabase.h"
#include "storage/statement.h"

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

// A column with the declaration used when it is missing from an existing table.
struct ColumnSpec
{
    const char *name;
    const char *declaration;
};

// One table: its CREATE statement, its columns (added when missing), its indexes.
struct TableSpec
{
    const char *name;
    const char *create;
    std::initializer_list<ColumnSpec> columns;
    std::initializer_list<const char *> indexes;
};

// SPEC 12: the production databases' campaign migration.
const TableSpec kCampaignTypes {
    "campaign_types",
    "CREATE TABLE campaign_types (id INTEGER PRIMARY KEY, name TEXT UNIQUE NOT NULL, "
    "respect_exclusion_windows INTEGER NOT NULL DEFAULT 1, enable_followups INTEGER NOT NULL DEFAULT 0, "
    "days_before_event INTEGER NOT NULL DEFAULT 30, target_all_contacts INTEGER NOT NULL DEFAULT 0, "
    "priority INTEGER NOT NULL DEFAULT 30, active INTEGER NOT NULL DEFAULT 1, spread_evenly INTEGER NOT "
    "NULL DEFAULT 0, skip_failed_underwriting INTEGER NOT NULL DEFAULT 0, created_at DATETIME DEFAULT "
    "CURRENT_TIMESTAMP, updated_at DATETIME DEFAULT CURRENT_TIMESTAMP)",
    {
        { "respect_exclusion_windows", "INTEGER NOT NULL DEFAULT 1" },
        { "enable_followups", "INTEGER NOT NULL DEFAULT 0" },
        { "days_before_event", "INTEGER NOT NULL DEFAULT 30" },
        { "target_all_contacts", "INTEGER NOT NULL DEFAULT 0" },
        { "priority", "INTEGER NOT NULL DEFAULT 30" },
        { "active", "INTEGER NOT NULL DEFAULT 1" },
        { "spread_evenly", "INTEGER NOT NULL DEFAULT 0" },
        { "skip_failed_underwriting", "INTEGER NOT NULL DEFAULT 0" },
        { "created_at", "DATETIME" },
        { "updated_at", "DATETIME" },
    },
    {},
};

const TableSpec kCampaignInstances {
    "campaign_instances",
    "CREATE TABLE campaign_instances (id INTEGER PRIMARY KEY, campaign_type TEXT NOT NULL, instance_name "
    "TEXT NOT NULL, email_template TEXT, sms_template TEXT, active_start_date DATE, active_end_date DATE, "
    "spread_start_date DATE, spread_end_date DATE, target_states TEXT, target_carriers TEXT, metadata "
    "TEXT, created_at DATETIME DEFAULT CURRENT_TIMESTAMP, updated_at DATETIME DEFAULT CURRENT_TIMESTAMP)",
    {
        { "email_template", "TEXT" },
        { "sms_template", "TEXT" },
        { "active_start_date", "DATE" },
        { "active_end_date", "DATE" },
        { "spread_start_date", "DATE" },
        { "spread_end_date", "DATE" },
        { "target_states", "TEXT" },
        { "target_carriers", "TEXT" },
        { "metadata", "TEXT" },
        { "created_at", "DATETIME" },
        { "updated_at", "DATETIME" },
    },
    { "CREATE INDEX IF NOT EXISTS idx_campaign_instances_type ON campaign_instances (campaign_type)" },
};

const TableSpec kContactCampaigns {
    "contact_campaigns",
    "CREATE TABLE contact_campaigns (id INTEGER PRIMARY KEY, contact_id INTEGER NOT NULL, "
    "campaign_instance_id INTEGER NOT NULL, trigger_date DATE, status TEXT NOT NULL DEFAULT 'pending', "
    "metadata TEXT, created_at DATETIME DEFAULT CURRENT_TIMESTAMP, updated_at DATETIME DEFAULT "
    "CURRENT_TIMESTAMP)",
    {
        { "trigger_date", "DATE" },
        { "status", "TEXT NOT NULL DEFAULT 'pending'" },
        { "metadata", "TEXT" },
        { "created_at", "DATETIME" },
        { "updated_at", "DATETIME" },
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
    "CREATE TABLE email_suppressions (id INTEGER PRIMARY KEY, email TEXT NOT NULL, reason TEXT NOT NULL, "
    "note TEXT, created_at DATETIME DEFAULT CURRENT_TIMESTAMP, created_by TEXT)",
    {
        { "note", "TEXT" },
        { "created_at", "DATETIME" },
        { "created_by", "TEXT" },
    },
    { "CREATE UNIQUE INDEX IF NOT EXISTS idx_email_suppressions_email ON email_suppressions "
      "(lower(trim(email)))" },
};

const TableSpec kAudit {
    "audit_log",
    "CREATE TABLE audit_log (id INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT NOT NULL DEFAULT "
    "(datetime('now')), user TEXT, server_user TEXT, action TEXT NOT NULL, entity TEXT NOT NULL, "
    "entity_id INTEGER, summary TEXT, before_json TEXT, after_json TEXT)",
    {
        { "at", "TEXT" },
        { "user", "TEXT" },
        { "server_user", "TEXT" },
        { "action", "TEXT" },
        { "entity", "TEXT" },
        { "entity_id", "INTEGER" },
        { "summary", "TEXT" },
        { "before_json", "TEXT" },
        { "after_json", "TEXT" },
    },
    { "CREATE INDEX IF NOT EXISTS idx_audit_log_entity ON audit_log (entity, entity_id)" },
};

Result<void> ensure(OrgDatabase &db, const TableSpec &table)
{
    const QString action = tr("prepare the tables of");
    const QString name = QLatin1StringView(table.name);
    if (!db.hasTable(name)) {
        if (auto created = db.exec(table.create, action); !created)
            return created.error();
    } else {
        const QStringList existing = db.columns(name);
        for (const ColumnSpec &column : table.columns) {
            if (existing.contains(QLatin1StringView(column.name), Qt::CaseInsensitive))
                continue;
            const QByteArray sql = QByteArray("ALTER TABLE ") + table.name + " ADD COLUMN " + column.name
                + ' ' + column.declaration;
            if (auto added = db.exec(sql.constData(), action); !added)
                return added.error();
        }
    }
    // Existing rows may break a unique index (two spellings of one address): the stores check
    // for duplicates themselves, so go on without it rather than refuse the table.
    for (const char *index : table.indexes) {
        if (auto saved = db.exec("SAVEPOINT es_management_index", action); !saved)
            return saved.error();
        if (auto made = db.exec(index, action); !made) {
            if (dbErrorKind(made.error()) != DbErrorKind::Other)
                return made.error();
            (void)db.exec("ROLLBACK TO es_management_index", action);
        }
        if (auto released = db.exec("RELEASE es_management_index", action); !released)
            return released.error();
    }
    return {};
}

} // namespace

namespace ManagementTables {

Result<void> requireWritable(const OrgDatabase &db)
{
    if (db.mode() != OrgDatabase::Mode::ReadWrite)
        return dbError(DbErrorKind::ReadOnly,
                       tr("Internal error: %1 was opened read-only and cannot be changed.").arg(db.path()));
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

Result<void> ensureCampaignTables(OrgDatabase &db)
{
    if (auto ok = requireWritable(db); !ok)
        return ok;
    for (const TableSpec *table : { &kCampaignTypes, &kCampaignInstances, &kContactCampaigns }) {
        if (auto done = ensure(db, *table); !done)
            return done;
    }
    return {};
}

Result<void> ensureSuppressionTable(OrgDatabase &db)
{
    if (auto ok = requireWritable(db); !ok)
        return ok;
    return ensure(db, kSuppressions);
}

Result<void> ensureAuditTable(OrgDatabase &db)
{
    if (auto ok = requireWritable(db); !ok)
        return ok;
    return ensure(db, kAudit);
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
