#include "storage/pg/pgschema.h"

#include "storage/orgdatabase.h"

#include <QCoreApplication>

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("PgSchema", text);
}

struct ColumnSpec
{
    const char *name;
    const char *declaration;
};

// Declarations used when a column is missing from an older table.
constexpr ColumnSpec kScheduleColumns[] = {
    { "contact_id", "bigint" },
    { "email_type", "text" },
    { "scheduled_send_date", "date" },
    { "scheduled_send_time", "time DEFAULT '08:30:00'" },
    { "status", "text DEFAULT 'scheduled'" },
    { "skip_reason", "text" },
    { "created_at", "timestamp" },
    { "updated_at", "timestamp" },
    { "batch_id", "text" },
    { "event_year", "integer" },
    { "event_month", "integer" },
    { "event_day", "integer" },
    { "catchup_note", "text" },
    { "actual_send_datetime", "timestamp" },
};

constexpr const char *kCreateSchedules
    = "CREATE TABLE email_schedules (id bigserial PRIMARY KEY, contact_id bigint NOT NULL, "
      "email_type text NOT NULL, scheduled_send_date date NOT NULL, scheduled_send_time time NOT NULL "
      "DEFAULT '08:30:00', status text NOT NULL DEFAULT 'scheduled', skip_reason text, created_at timestamp "
      "NOT NULL DEFAULT (now() AT TIME ZONE 'UTC'), updated_at timestamp NOT NULL DEFAULT (now() AT TIME "
      "ZONE 'UTC'), batch_id text, event_year integer, event_month integer, event_day integer, catchup_note "
      "text, actual_send_datetime timestamp)";

constexpr ColumnSpec kRunColumns[] = {
    { "batch_id", "text" },
    { "started_at", "timestamptz" },
    { "finished_at", "timestamptz" },
    { "today", "date" },
    { "status", "text" },
    { "contacts", "bigint" },
    { "scheduled", "bigint" },
    { "skipped", "bigint" },
    { "problems", "bigint" },
    { "added", "bigint" },
    { "removed", "bigint" },
    { "unchanged", "bigint" },
    { "\"user\"", "text" },
    { "error", "text" },
    // Who ran it on a shared database: the role it logged in as (no default, so older rows stay
    // without one rather than getting the name of whoever added the column).
    { "server_user", "text" },
    // As on SQLite: the run's warnings (one "<code>: <message>" a line) and its campaign and
    // follow-up emails by kind (RunEmailCounts::toText), for the run history.
    { "warnings", "text" },
    { "email_counts", "text" },
};

} // namespace

namespace PgSchema {

QByteArray createSchedulesSql()
{
    return kCreateSchedules;
}

Result<PgConnection> openOrganisation(const QString &spec, const QString &applicationName)
{
    auto db = PgConnection::connect(spec, applicationName);
    if (!db)
        return db.error();
    if (!db->hasTable(QStringLiteral("contacts")))
        return dbError(DbErrorKind::NoContactsTable,
                       tr("The database %1 has no `contacts` table. Choose an organisation database, or copy "
                          "one there with `email-scheduler-cli copy-db`.")
                           .arg(db->name()));
    return db;
}

QString runsTable(const PgConnection &db)
{
    if (!db.hasTable(QStringLiteral("scheduler_runs")))
        return QStringLiteral("scheduler_runs");
    // Required columns the program would not fill make the table someone else's.
    auto required = db.query(
        "SELECT count(*) FROM pg_attribute WHERE attrelid = to_regclass('scheduler_runs') AND attnum > 0 "
        "AND NOT attisdropped AND attnotnull AND NOT atthasdef AND attidentity = '' AND attname <> ALL "
        "(ARRAY['batch_id','started_at','finished_at','today','status','contacts','scheduled','skipped',"
        "'problems','added','removed','unchanged','user','error'])",
        tr("read the tables of"));
    const bool own = required && required->rows() == 1 && required->int64(0, 0) == 0;
    // A view cannot take rows either.
    auto kind = db.query("SELECT relkind::text FROM pg_class WHERE oid = to_regclass('scheduler_runs')",
                         tr("read the tables of"));
    const bool table = kind && kind->rows() == 1 && kind->value(0, 0) == "r";
    return own && table ? QStringLiteral("scheduler_runs") : QStringLiteral("email_scheduler_runs");
}

Result<void> ensure(PgConnection &db)
{
    const QString action = tr("prepare the tables of");
    if (!db.hasTable(QStringLiteral("email_schedules"))) {
        if (auto r = db.exec(kCreateSchedules, action); !r)
            return r;
    } else {
        const QStringList existing = db.columns(QStringLiteral("email_schedules"));
        for (const ColumnSpec &column : kScheduleColumns) {
            if (existing.contains(QLatin1StringView(column.name), Qt::CaseInsensitive))
                continue; // ALTER only what is missing: it locks the table against readers
            if (auto r = db.exec(QByteArray("ALTER TABLE email_schedules ADD COLUMN ") + column.name + ' '
                                     + column.declaration,
                                 action);
                !r)
                return r;
        }
    }
    auto hasIndex = db.query(
        "SELECT 1 FROM pg_index i WHERE i.indrelid = to_regclass('email_schedules') AND i.indisunique AND "
        "i.indpred IS NULL AND i.indexprs IS NULL AND (SELECT array_agg(a.attname::text ORDER BY k.ord) FROM "
        "unnest(i.indkey) WITH ORDINALITY AS k(attnum, ord) JOIN pg_attribute a ON a.attrelid = i.indrelid "
        "AND a.attnum = k.attnum) = ARRAY['contact_id','email_type','scheduled_send_date']",
        action);
    if (!hasIndex)
        return hasIndex.error();
    if (hasIndex->rows() == 0) {
        // Existing duplicates make this fail; the writer copes without the index, so go on.
        if (auto r = db.exec("SAVEPOINT es_index", action); !r)
            return r;
        if (db.exec("CREATE UNIQUE INDEX idx_email_schedules_unique ON email_schedules (contact_id, "
                    "email_type, scheduled_send_date)",
                    action))
            (void)db.exec("RELEASE SAVEPOINT es_index", action);
        else
            (void)db.exec("ROLLBACK TO SAVEPOINT es_index", action);
    }
    const QString runs = runsTable(db);
    const QByteArray quotedRuns = '"' + runs.toUtf8() + '"';
    if (!db.hasTable(runs)) {
        QByteArray sql = "CREATE TABLE " + quotedRuns + " (id bigserial PRIMARY KEY";
        for (const ColumnSpec &column : kRunColumns)
            sql += QByteArray(", ") + column.name + ' ' + column.declaration;
        if (auto r = db.exec(sql + ')', action); !r)
            return r;
    } else {
        const QStringList existing = db.columns(runs);
        for (const ColumnSpec &column : kRunColumns) {
            const QString name = QString::fromLatin1(column.name).remove(QLatin1Char('"'));
            if (existing.contains(name, Qt::CaseInsensitive))
                continue;
            if (auto r = db.exec("ALTER TABLE " + quotedRuns + " ADD COLUMN " + column.name + ' '
                                     + column.declaration,
                                 action);
                !r)
                return r;
        }
    }
    return {};
}

} // namespace PgSchema
