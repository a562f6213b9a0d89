#include "storage/demoactivity.h"

#include "storage/auditlog.h"
#include "storage/managementtables.h"
#include "storage/orgdatabase.h"
#include "storage/statement.h"

#include <QCoreApplication>
#include <QJsonObject>

#include <algorithm>

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("DemoActivity", text);
}

// The production definitions (org-206) of the activity tables the rules read.
constexpr const char *kActivityTables[] = {
    R"(CREATE TABLE IF NOT EXISTS "contact_events" (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    contact_id INTEGER,
    lead_id INTEGER,
    event_type TEXT NOT NULL,
    metadata TEXT,
    created_at DATETIME DEFAULT CURRENT_TIMESTAMP,
    FOREIGN KEY (contact_id) REFERENCES contacts(id) ON DELETE CASCADE))",
    R"(CREATE TABLE IF NOT EXISTS "tracking_clicks" (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  tracking_id TEXT NOT NULL,
  contact_id INTEGER,
  quote_id TEXT,
  clicked_at DATETIME DEFAULT CURRENT_TIMESTAMP,
  FOREIGN KEY (contact_id) REFERENCES contacts(id) ON DELETE CASCADE))",
    R"(CREATE TABLE IF NOT EXISTS email_send_tracking (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  org_id INTEGER NOT NULL,
  contact_id INTEGER NOT NULL,
  email_type TEXT NOT NULL,
  scheduled_date TEXT NOT NULL,
  send_status TEXT NOT NULL CHECK(send_status IN ('pending', 'processing', 'accepted', 'delivered', 'sent', 'deferred', 'bounced', 'dropped', 'failed', 'skipped')) DEFAULT 'pending',
  send_mode TEXT NOT NULL CHECK(send_mode IN ('test', 'production')) DEFAULT 'test',
  test_email TEXT,
  send_attempt_count INTEGER NOT NULL DEFAULT 0,
  last_attempt_date TEXT,
  last_error TEXT,
  batch_id TEXT NOT NULL,
  message_id TEXT,
  delivery_status TEXT,
  status_checked_at TEXT,
  status_details TEXT,
  created_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP,
  updated_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP,
  FOREIGN KEY (contact_id) REFERENCES contacts(id) ON DELETE CASCADE))",
    "CREATE INDEX IF NOT EXISTS idx_contact_events_eligibility_check ON contact_events (contact_id, "
    "event_type, created_at DESC)",
    "CREATE INDEX IF NOT EXISTS idx_tracking_clicks_contact_id ON tracking_clicks(contact_id)",
    "CREATE INDEX IF NOT EXISTS idx_email_tracking_contact_id ON email_send_tracking(contact_id)",
};

// A bucket 0..999 per contact and purpose, from the id, the seed and a salt: deterministic,
// evenly spread, and cheap in SQL. `?9` is the seed.
QByteArray bucket(int salt)
{
    return "(((id * 2654435761 + ?9 * 40503 + " + QByteArray::number(salt) + " * 97) % 1000003) % 1000)";
}

} // namespace

namespace DemoActivity {

Result<qint64> write(OrgDatabase &db, const Options &options)
{
    const QString action = tr("write the demo database");
    if (auto tables = ManagementTables::ensureCampaignTables(db); !tables)
        return tables.error();
    if (auto tables = ManagementTables::ensureSuppressionTable(db); !tables)
        return tables.error();
    for (const char *sql : kActivityTables) {
        if (auto done = db.exec(sql, action); !done)
            return done.error();
    }
    const QDate t = options.today;
    const AuditActor actor { QStringLiteral("demo"), QString() };

    // Types: name, exclusion windows, follow-ups, days before, all contacts, priority, spread,
    // skip failed underwriting.
    struct Type
    {
        const char *name;
        int windows, followups, daysBefore, all, priority, spread, skipFailed;
    };
    const Type types[] = {
        { "rate_increase", 1, 1, 30, 0, 10, 0, 1 },
        { "initial_blast", 1, 1, 0, 1, 40, 1, 0 },
        { "carrier_update", 1, 0, 0, 1, 20, 0, 0 },
        { "newsletter", 0, 0, 0, 1, 50, 1, 0 },
    };
    {
        auto stmt = Statement::prepare(
            db,
            "INSERT INTO campaign_types (name, respect_exclusion_windows, enable_followups, "
            "days_before_event, "
            "target_all_contacts, priority, active, spread_evenly, skip_failed_underwriting, created_at, "
            "updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, 1, ?7, ?8, ?9, ?9)",
            action);
        if (!stmt)
            return stmt.error();
        for (const Type &type : types) {
            stmt->reset();
            stmt->bindText(1, QString::fromLatin1(type.name))
                .bind(2, type.windows)
                .bind(3, type.followups)
                .bind(4, type.daysBefore)
                .bind(5, type.all)
                .bind(6, type.priority)
                .bind(7, type.spread)
                .bind(8, type.skipFailed)
                .bindText(9, t.addDays(-45).toString(Qt::ISODate));
            if (auto done = stmt->exec(); !done)
                return done.error();
            QJsonObject after;
            after.insert(QStringLiteral("name"), QString::fromLatin1(type.name));
            after.insert(QStringLiteral("priority"), type.priority);
            if (auto audited
                = AuditLog::record(db, actor, QLatin1StringView(AuditLog::Action::Add),
                                   QLatin1StringView(AuditLog::Entity::CampaignType), db.lastInsertRowId(),
                                   tr("Added campaign type %1").arg(QLatin1StringView(type.name)), {}, after);
                !audited)
                return audited.error();
        }
    }
    // Instances, relative to today: the rate increase and the blast are live now, the newsletter
    // goes to three states, the carrier update starts on the next Jan 31.
    const QDate jan31 = QDate(t.month() == 1 && t.day() <= 31 ? t.year() : t.year() + 1, 1, 31);
    struct Instance
    {
        const char *type;
        QString name;
        QDate start, end, spreadStart, spreadEnd;
        const char *states;
        const char *carriers;
    };
    const Instance instances[] = {
        { "rate_increase",
          tr("Rate increase %1").arg(t.year()),
          t.addDays(-30),
          t.addDays(120),
          {},
          {},
          nullptr,
          nullptr },
        { "initial_blast", tr("Welcome to the agency"), t.addDays(-1), t.addDays(30), t.addDays(1),
          t.addDays(14), nullptr, nullptr },
        { "carrier_update",
          tr("Carrier update %1").arg(jan31.year()),
          jan31,
          jan31.addDays(14),
          {},
          {},
          nullptr,
          "Humana, Aetna" },
        { "newsletter", tr("Spring newsletter"), t.addDays(-3), t.addDays(40), t.addDays(20), t.addDays(26),
          "TX, FL, AZ", nullptr },
    };
    {
        auto stmt = Statement::prepare(db,
                                       "INSERT INTO campaign_instances (campaign_type, instance_name, "
                                       "email_template, active_start_date, "
                                       "active_end_date, spread_start_date, spread_end_date, target_states, "
                                       "target_carriers, created_at, "
                                       "updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?10)",
                                       action);
        if (!stmt)
            return stmt.error();
        const auto date = [](QDate d) { return d.isValid() ? d.toString(Qt::ISODate) : QString(); };
        for (const Instance &i : instances) {
            stmt->reset();
            stmt->bindText(1, QString::fromLatin1(i.type))
                .bindText(2, i.name)
                .bindText(3, QString(QString::fromLatin1(i.type) + QStringLiteral(".html")))
                .bind(4, date(i.start))
                .bind(5, date(i.end))
                .bind(6, date(i.spreadStart))
                .bind(7, date(i.spreadEnd))
                .bind(8, i.states ? QString::fromLatin1(i.states) : QString())
                .bind(9, i.carriers ? QString::fromLatin1(i.carriers) : QString())
                .bindText(10, t.addDays(-40).toString(Qt::ISODate));
            if (auto done = stmt->exec(); !done)
                return done.error();
            QJsonObject after;
            after.insert(QStringLiteral("campaign_type"), QString::fromLatin1(i.type));
            after.insert(QStringLiteral("instance_name"), i.name);
            after.insert(QStringLiteral("active_start_date"), date(i.start));
            after.insert(QStringLiteral("active_end_date"), date(i.end));
            if (auto audited = AuditLog::record(
                    db, actor, QLatin1StringView(AuditLog::Action::Add),
                    QLatin1StringView(AuditLog::Entity::CampaignInstance), db.lastInsertRowId(),
                    tr("Added campaign instance %1 \"%2\"").arg(QLatin1StringView(i.type), i.name), {},
                    after);
                !audited)
                return audited.error();
        }
    }

    // The setup's audit rows are dated on the demo's today, not the clock: the same seed and
    // today give the same file (generate is deterministic).
    const QByteArray datedSql = "UPDATE audit_log SET at = '" + t.toString(Qt::ISODate).toLatin1()
        + " 09:00:00' WHERE user = 'demo'";
    if (auto dated = db.exec(datedSql.constData(), action); !dated)
        return dated.error();

    // Set-based rows over the contacts. ?1 today, ?2 the enrolled share in thousandths, ?9 seed.
    const int enrolledPerMille = int(std::clamp(options.enrolledFraction, 0.0, 1.0) * 1000.0 + 0.5);
    const QByteArray b1 = bucket(1), b2 = bucket(2), b3 = bucket(3);
    const QByteArray steps[] = {
        // ~10%: enrolled in the rate increase (instance 1), trigger dates over the next 5-95 days;
        // one in fifty cancelled.
        "INSERT INTO contact_campaigns (contact_id, campaign_instance_id, trigger_date, status, created_at, "
        "updated_at) SELECT id, 1, date(?1, '+' || (5 + id % 91) || ' days'), CASE WHEN id % 50 = 7 THEN "
        "'cancelled' ELSE 'pending' END, date(?1, '-20 days'), date(?1, '-20 days') FROM contacts WHERE "
            + b1 + " < ?2",
        // ~5%: a birthday, AEP or rate-increase email sent in the last 30 days (follow-ups due).
        "INSERT OR IGNORE INTO email_schedules (contact_id, email_type, scheduled_send_date, "
        "scheduled_send_time, status, created_at, updated_at, batch_id, event_year, event_month, event_day, "
        "actual_send_datetime) SELECT id, CASE id % 3 WHEN 0 THEN 'birthday' WHEN 1 THEN 'aep' ELSE "
        "'campaign_rate_increase' END, date(?1, '-' || (1 + id % 30) || ' days'), '08:30:00', CASE WHEN "
        "id % 4 = 0 THEN 'delivered' ELSE 'sent' END, date(?1, '-40 days'), date(?1, '-' || (1 + id % 30) "
        "|| ' days'), 'demo-recent', NULL, NULL, NULL, date(?1, '-' || (1 + id % 30) || ' days') || ' 08:3' "
        "|| (id % 10) || ':00' FROM contacts WHERE "
            + b2 + " < 50",
        // Their send tracking: delivered, a few bounced or dropped.
        "INSERT INTO email_send_tracking (org_id, contact_id, email_type, scheduled_date, send_status, "
        "send_mode, "
        "send_attempt_count, batch_id, created_at, updated_at) SELECT 1, contact_id, email_type, "
        "scheduled_send_date, CASE WHEN contact_id % 97 = 3 THEN 'bounced' WHEN contact_id % 211 = 5 THEN "
        "'dropped' ELSE 'delivered' END, 'production', 1, batch_id, actual_send_datetime, "
        "actual_send_datetime "
        "FROM email_schedules WHERE batch_id = 'demo-recent'",
        // Of the recent recipients, ~40% answered the health questions after the send: half of
        // them with a "yes" (failed underwriting), in both metadata forms.
        "INSERT INTO contact_events (contact_id, event_type, metadata, created_at) SELECT contact_id, "
        "'eligibility_answered', CASE contact_id % 4 WHEN 0 THEN "
        "'{\"answers_count\":7,\"source\":\"quote\",\"main_questions_yes_count\":2,\"has_medical_"
        "conditions\":"
        "true}' WHEN 1 THEN '{\"answers_count\":7,\"source\":\"quote\",\"main_questions_yes_count\":1}' ELSE "
        "'{\"answers_count\":7,\"source\":\"quote\",\"main_questions_yes_count\":0,\"has_medical_"
        "conditions\":"
        "false}' END, date(scheduled_send_date, '+1 days') || ' 14:2' || (contact_id % 10) || ':00' FROM "
        "email_schedules WHERE batch_id = 'demo-recent' AND contact_id % 5 < 2",
        // ~30% more clicked the email without answering.
        "INSERT INTO tracking_clicks (tracking_id, contact_id, quote_id, clicked_at) SELECT 'demo' || "
        "contact_id, contact_id, '1-' || contact_id, date(scheduled_send_date, '+1 days') || ' 09:1' || "
        "(contact_id % 10) || ':00' FROM email_schedules WHERE batch_id = 'demo-recent' AND contact_id % 5 "
        "IN "
        "(2, 3)",
        // A few earlier answers, older than the follow-up lookback, some with yes answers.
        "INSERT INTO contact_events (contact_id, event_type, metadata, created_at) SELECT id, "
        "'eligibility_answered', CASE WHEN id % 2 = 0 THEN '{\"main_questions_yes_count\":0,"
        "\"has_medical_conditions\":false}' ELSE '{\"main_questions_yes_count\":3,\"has_medical_conditions\":"
        "\"yes\"}' END, date(?1, '-' || (60 + id % 200) || ' days') || ' 11:00:00' FROM contacts WHERE "
            + b3 + " < 20",
        // ~0.5% on the do-not-email list, with every reason.
        "INSERT OR IGNORE INTO email_suppressions (email, reason, note, created_at, created_by) SELECT "
        "trim(email), CASE id % 6 WHEN 0 THEN 'unsubscribed' WHEN 1 THEN 'bounced' WHEN 2 THEN 'complained' "
        "WHEN "
        "3 THEN 'deceased' WHEN 4 THEN 'agent_request' ELSE 'other' END, CASE WHEN id % 6 = 4 THEN 'asked "
        "their agent by phone' END, date(?1, '-' || (1 + id % 300) || ' days') || ' 10:00:00', 'demo' FROM "
        "contacts WHERE "
            + b3 + " >= 995 AND email LIKE '%_@_%'",
    };
    for (const QByteArray &sql : steps) {
        auto stmt = Statement::prepare(db, QString::fromUtf8(sql), action);
        if (!stmt)
            return stmt.error();
        if (sql.contains("?1"))
            stmt->bindText(1, t.toString(Qt::ISODate));
        // Binding a parameter a statement lacks is an error: bind what each one names.
        if (sql.contains("?2"))
            stmt->bind(2, enrolledPerMille);
        if (sql.contains("?9"))
            stmt->bind(9, qint64(options.seed % 1000003));
        if (auto done = stmt->exec(); !done)
            return done.error();
    }
    auto recent = Statement::prepare(
        db, "SELECT count(*) FROM email_schedules WHERE batch_id = 'demo-recent'", action);
    if (!recent)
        return recent.error();
    if (auto row = recent->step(); !row)
        return row.error();
    return recent->int64(0);
}

} // namespace DemoActivity
