// Measures a full run (read, compute, balance, write) on a generated org database against the
// SQLite floor: inserting the same number of rows into a fresh email_schedules with one
// INSERT ... SELECT in one transaction. See docs/STORAGE.md.
//
// Issue 9's figures: unless --no-campaigns, the database gets (by SQL inserts here, independent
// of the demo generator) three live campaigns (an initial blast to all contacts spread over 14
// days, a rate increase with 10% of the contacts enrolled, a carrier update with 5% enrolled),
// eligibility answers, clicks, bounces and a do-not-email list, in the tables and with the
// indexes production has.

#include "batch/batchjob.h"
#include "benchutil.h"
#include "storage/demogenerator.h"
#include "storage/orgdatabase.h"
#include "storage/schedulewriter.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QTemporaryDir>
#include <QTextStream>

#include <sqlite3.h>
#include <sys/resource.h>

#include <algorithm>
#include <cstdio>
#include <ctime>

namespace {

using BenchUtil::highWaterMb;
using BenchUtil::out;
using BenchUtil::seconds;

// VmHWM of /proc/self/status in MB (0 when unreadable).
long g_peakBeforeReset = 0; // the highest VmHWM seen before a resetPhasePeak()

// The process's peak resident set so far, every phase included.
long peakRssMb()
{
    return std::max(BenchUtil::peakRssMb(), g_peakBeforeReset);
}

// Starts measuring a phase's own peak (phasePeakMb): Linux resets VmHWM to the current
// resident set on "5" written to clear_refs.
void resetPhasePeak()
{
    g_peakBeforeReset = peakRssMb();
    QFile clear(QStringLiteral("/proc/self/clear_refs"));
    if (clear.open(QIODevice::WriteOnly))
        clear.write("5");
}

// CPU time of the calling thread: on a busy machine the writer's and the floor's CPU time
// compare better than their wall times (SQLite writes on the calling thread in both).
double threadCpuSeconds()
{
    timespec time {};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time);
    return double(time.tv_sec) + double(time.tv_nsec) / 1e9;
}

// The CREATE statements of email_schedules and its indexes in `source`.
QList<QByteArray> scheduleSchema(const QString &source)
{
    QList<QByteArray> statements;
    sqlite3 *db = nullptr;
    sqlite3_open_v2(QFile::encodeName(source).constData(), &db, SQLITE_OPEN_READONLY, nullptr);
    sqlite3_stmt *stmt = nullptr;
    sqlite3_prepare_v2(db,
                       "SELECT sql FROM sqlite_master WHERE tbl_name = 'email_schedules' AND sql IS NOT NULL "
                       "AND type IN ('table', 'index') ORDER BY type = 'index'",
                       -1, &stmt, nullptr);
    while (sqlite3_step(stmt) == SQLITE_ROW)
        statements.append(reinterpret_cast<const char *>(sqlite3_column_text(stmt, 0)));
    sqlite3_finalize(stmt);
    sqlite3_close(db);
    return statements;
}

// The floor: `rows` rows into a fresh copy of the email_schedules schema, one statement, one
// transaction, the row loop inside SQLite (recursive CTE; the library has no generate_series).
double sqliteFloor(const QString &path, const QList<QByteArray> &schema, qint64 rows)
{
    QFile::remove(path);
    sqlite3 *db = nullptr;
    sqlite3_open(QFile::encodeName(path).constData(), &db);
    sqlite3_exec(db, "CREATE TABLE contacts (id INTEGER PRIMARY KEY)", nullptr, nullptr, nullptr);
    for (const QByteArray &statement : schema)
        sqlite3_exec(db, statement.constData(), nullptr, nullptr, nullptr);
    sqlite3_exec(db, "PRAGMA cache_size = -65536", nullptr, nullptr, nullptr);
    const QByteArray sql = "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < "
        + QByteArray::number(rows - 1)
        + ") INSERT INTO email_schedules (contact_id, email_type, scheduled_send_date, scheduled_send_time, "
          "status, skip_reason, created_at, updated_at, batch_id, event_year, event_month, event_day) "
          "SELECT i / 4 + 1, CASE i % 4 WHEN 0 THEN 'aep' WHEN 1 THEN 'birthday' WHEN 2 THEN "
          "'effective_date' "
          "ELSE 'post_window' END, date('2024-06-01', '+' || (i % 300) || ' days'), '08:30:00', "
          "CASE WHEN i % 5 = 0 THEN 'skipped' ELSE 'pre-scheduled' END, "
          "CASE WHEN i % 5 = 0 THEN 'birthday_window: California birthday rule window' END, "
          "'2024-05-01 00:00:00', '2024-05-01 00:00:00', 'bench', 2024, 6, 1 + i % 28 FROM n";
    QElapsedTimer timer;
    timer.start();
    sqlite3_exec(db, "BEGIN", nullptr, nullptr, nullptr);
    char *error = nullptr;
    if (sqlite3_exec(db, sql.constData(), nullptr, nullptr, &error) != SQLITE_OK)
        out() << "floor failed: " << error << Qt::endl;
    sqlite3_free(error);
    sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr);
    const double elapsed = seconds(timer);
    sqlite3_close(db);
    QFile::remove(path);
    return elapsed;
}

// SPEC 12-14's tables and rows for the issue 9 benchmark; skipped when campaign_types exists.
bool addCampaignData(const QString &path)
{
    sqlite3 *db = nullptr;
    sqlite3_open(QFile::encodeName(path).constData(), &db);
    const char *sql = R"SQL(
BEGIN;
CREATE TABLE campaign_types(id INTEGER PRIMARY KEY, name TEXT UNIQUE NOT NULL, respect_exclusion_windows
  INTEGER NOT NULL DEFAULT 1, enable_followups INTEGER NOT NULL DEFAULT 0, days_before_event INTEGER NOT NULL
  DEFAULT 30, target_all_contacts INTEGER NOT NULL DEFAULT 0, priority INTEGER NOT NULL DEFAULT 30, active
  INTEGER NOT NULL DEFAULT 1, spread_evenly INTEGER NOT NULL DEFAULT 0, skip_failed_underwriting INTEGER NOT
  NULL DEFAULT 0, created_at TEXT, updated_at TEXT);
CREATE TABLE campaign_instances(id INTEGER PRIMARY KEY, campaign_type TEXT NOT NULL, instance_name TEXT NOT
  NULL, email_template TEXT, sms_template TEXT, active_start_date TEXT, active_end_date TEXT,
  spread_start_date TEXT, spread_end_date TEXT, target_states TEXT, target_carriers TEXT, metadata TEXT,
  created_at TEXT, updated_at TEXT);
CREATE TABLE contact_campaigns(id INTEGER PRIMARY KEY, contact_id INTEGER NOT NULL, campaign_instance_id
  INTEGER NOT NULL, trigger_date TEXT, status TEXT NOT NULL DEFAULT 'pending', metadata TEXT, created_at
  TEXT, updated_at TEXT);
CREATE INDEX idx_contact_campaigns_contact ON contact_campaigns(contact_id);
CREATE TABLE IF NOT EXISTS contact_events(id INTEGER PRIMARY KEY AUTOINCREMENT, contact_id INTEGER, lead_id
  INTEGER, event_type TEXT NOT NULL, metadata TEXT, created_at DATETIME DEFAULT CURRENT_TIMESTAMP);
CREATE INDEX IF NOT EXISTS idx_contact_events_contact_id ON contact_events(contact_id);
CREATE TABLE IF NOT EXISTS tracking_clicks(id INTEGER PRIMARY KEY AUTOINCREMENT, tracking_id TEXT NOT NULL,
  contact_id INTEGER, quote_id TEXT, clicked_at DATETIME DEFAULT CURRENT_TIMESTAMP);
CREATE INDEX IF NOT EXISTS idx_tracking_clicks_contact_id ON tracking_clicks(contact_id);
CREATE TABLE IF NOT EXISTS email_send_tracking(id INTEGER PRIMARY KEY AUTOINCREMENT, org_id INTEGER NOT NULL
  DEFAULT 1, contact_id INTEGER NOT NULL, email_type TEXT NOT NULL, scheduled_date TEXT NOT NULL,
  send_status TEXT NOT NULL DEFAULT 'pending', batch_id TEXT NOT NULL DEFAULT 'bench');
CREATE INDEX IF NOT EXISTS idx_email_tracking_contact_id ON email_send_tracking(contact_id);
CREATE TABLE IF NOT EXISTS email_suppressions(id INTEGER PRIMARY KEY, email TEXT NOT NULL, reason TEXT NOT
  NULL, note TEXT, created_at DATETIME DEFAULT CURRENT_TIMESTAMP, created_by TEXT);
CREATE UNIQUE INDEX IF NOT EXISTS idx_email_suppressions_email ON email_suppressions(lower(trim(email)));
INSERT INTO campaign_types(id, name, enable_followups, days_before_event, target_all_contacts, priority,
  spread_evenly) VALUES (1, 'rate_increase', 1, 30, 0, 5, 0), (2, 'initial_blast', 0, 0, 1, 40, 1),
  (3, 'carrier_update', 0, 0, 0, 35, 0);
INSERT INTO campaign_instances(id, campaign_type, instance_name, active_start_date, active_end_date,
  spread_start_date, spread_end_date, target_states, target_carriers) VALUES
  (1, 'rate_increase', 'Rate increase 2024', '2024-04-01', '2024-12-31', NULL, NULL, NULL, NULL),
  (2, 'initial_blast', 'Welcome', '2024-05-01', '2024-06-30', '2024-05-06', '2024-05-19', 'ALL', NULL),
  (3, 'carrier_update', 'Carrier update', '2024-05-01', '2024-07-31', NULL, NULL, NULL, 'ALL');
INSERT INTO contact_campaigns(contact_id, campaign_instance_id, trigger_date, status)
  SELECT id, 1, date('2024-05-01', '+' || (id % 120 + 5) || ' days'), 'pending' FROM contacts
  WHERE typeof(id) = 'integer' AND id % 10 = 3;
INSERT INTO contact_campaigns(contact_id, campaign_instance_id, trigger_date, status)
  SELECT id, 3, NULL, CASE WHEN id % 100 = 7 THEN 'cancelled' ELSE 'pending' END FROM contacts
  WHERE typeof(id) = 'integer' AND id % 20 = 7;
INSERT INTO contact_events(contact_id, event_type, metadata, created_at)
  SELECT id, 'eligibility_answered', CASE WHEN id % 3 = 0 THEN '{"main_questions_yes_count":1}'
  ELSE '{"main_questions_yes_count":0,"has_medical_conditions":false}' END,
  date('2024-05-01', '-' || (id % 30) || ' days') || ' 10:00:00' FROM contacts
  WHERE typeof(id) = 'integer' AND id % 50 = 1;
INSERT INTO tracking_clicks(tracking_id, contact_id, clicked_at)
  SELECT 't' || id, id, date('2024-05-01', '-' || (id % 20) || ' days') || ' 12:00:00' FROM contacts
  WHERE typeof(id) = 'integer' AND id % 33 = 2;
INSERT INTO email_send_tracking(contact_id, email_type, scheduled_date, send_status)
  SELECT id, 'birthday', '2024-04-01', CASE WHEN id % 1000 = 5 THEN 'bounced' ELSE 'delivered' END
  FROM contacts WHERE typeof(id) = 'integer' AND id % 25 = 5;
INSERT OR IGNORE INTO email_suppressions(email, reason, created_by)
  SELECT email, 'unsubscribed', 'bench' FROM contacts WHERE typeof(id) = 'integer' AND id % 200 = 11
  AND email IS NOT NULL AND trim(email) <> '';
COMMIT;
)SQL";
    char *error = nullptr;
    const bool ok = sqlite3_exec(db, sql, nullptr, nullptr, &error) == SQLITE_OK;
    if (!ok)
        out() << "campaign data failed: " << error << Qt::endl;
    sqlite3_free(error);
    sqlite3_close(db);
    return ok;
}

bool hasTable(const QString &path, const char *table)
{
    sqlite3 *db = nullptr;
    sqlite3_open_v2(QFile::encodeName(path).constData(), &db, SQLITE_OPEN_READONLY, nullptr);
    sqlite3_stmt *stmt = nullptr;
    sqlite3_prepare_v2(db, "SELECT 1 FROM sqlite_master WHERE name = ?1", -1, &stmt, nullptr);
    sqlite3_bind_text(stmt, 1, table, -1, SQLITE_STATIC);
    const bool found = sqlite3_step(stmt) == SQLITE_ROW;
    sqlite3_finalize(stmt);
    sqlite3_close(db);
    return found;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Full run vs. SQLite floor on a generated org database."));
    parser.addHelpOption();
    parser.addOption({ QStringLiteral("contacts"), QStringLiteral("Contacts to generate."),
                       QStringLiteral("N"), QStringLiteral("1000000") });
    parser.addOption({ QStringLiteral("db"), QStringLiteral("Database to use (generated when missing)."),
                       QStringLiteral("PATH") });
    parser.addOption({ QStringLiteral("jobs"), QStringLiteral("Worker threads (0: all cores)."),
                       QStringLiteral("N"), QStringLiteral("0") });
    parser.addOption({ QStringLiteral("keep"), QStringLiteral("Keep the generated database.") });
    parser.addOption({ QStringLiteral("no-campaigns"),
                       QStringLiteral("Do not add issue 9's campaigns, activity and do-not-email list.") });
    parser.addOption(
        { QStringLiteral("generate-only"),
          QStringLiteral("Generate the database (with --db) and stop: a pristine copy to measure "
                         "on, as a run fills its email_schedules.") });
    parser.process(app);

    const qint64 contacts = parser.value(QStringLiteral("contacts")).toLongLong();
    const QDate today(2024, 5, 1);
    QTemporaryDir dir;
    QString path = parser.value(QStringLiteral("db"));
    if (path.isEmpty())
        path = dir.filePath(QStringLiteral("bench-org.sqlite3"));
    if (parser.isSet(QStringLiteral("keep")) || parser.isSet(QStringLiteral("db")))
        dir.setAutoRemove(false);

    if (!QFile::exists(path)) {
        DemoGenerator::Options generate;
        generate.path = path;
        generate.contacts = contacts;
        generate.today = today;
        generate.overwrite = true;
        // The demo's own campaigns and activity would hide what --no-campaigns measures.
        generate.activity = !parser.isSet(QStringLiteral("no-campaigns"));
        auto generated = DemoGenerator::generate(generate);
        if (!generated) {
            out() << generated.errorMessage() << Qt::endl;
            return 2;
        }
        out() << "generated   " << generated->contacts << " contacts in " << generated->seconds << " s"
              << Qt::endl;
    }
    if (!parser.isSet(QStringLiteral("no-campaigns")) && !hasTable(path, "campaign_types")) {
        QElapsedTimer added;
        added.start();
        if (!addCampaignData(path))
            return 2;
        out() << "campaigns   added in " << seconds(added) << " s" << Qt::endl;
    }
    out() << "database    " << path << Qt::endl;
    if (parser.isSet(QStringLiteral("generate-only")))
        return 0;

    BatchOptions options;
    options.databasePath = path;
    options.today = today;
    options.jobs = parser.value(QStringLiteral("jobs")).toInt();

    // Dry run: read + compute + balance, nothing written.
    QElapsedTimer timer;
    resetPhasePeak();
    timer.start();
    auto dry = BatchJob::run(options);
    if (!dry) {
        out() << dry.errorMessage() << Qt::endl;
        return 2;
    }
    const double dryRun = seconds(timer);
    const qint64 rows = (*dry)->scheduled + (*dry)->skipped;
    out() << "dry run     " << dryRun << " s  (" << (*dry)->contacts << " contacts, " << (*dry)->scheduled
          << " scheduled, " << (*dry)->skipped << " skipped, " << (*dry)->problems << " problems, "
          << (*dry)->suppressed << " suppressed, " << (*dry)->warnings.size() << " run warnings; peak RSS "
          << highWaterMb() << " MB)" << Qt::endl;
    {
        qint64 campaignEmails = 0, followups = 0;
        for (const ContactSchedule &schedule : (*dry)->schedules) {
            for (const ScheduledEmail &email : schedule.emails) {
                campaignEmails += email.type == EmailType::Campaign ? 1 : 0;
                followups += isFollowup(email.type) ? 1 : 0;
            }
        }
        out() << "            " << campaignEmails << " campaign emails, " << followups << " follow-ups"
              << Qt::endl;
    }
    dry = Error {}; // free it before the full run

    const double floorCpuStart = threadCpuSeconds();
    const double floor = sqliteFloor(path + QStringLiteral(".floor"), scheduleSchema(path), rows);
    const double floorCpu = threadCpuSeconds() - floorCpuStart;
    out() << "floor       " << floor << " s  (INSERT ... SELECT of " << rows << " rows, one transaction; "
          << floorCpu << " s CPU)" << Qt::endl;

    resetPhasePeak();
    timer.restart();
    auto full = BatchJob::run(options);
    const double compute = seconds(timer);
    const double writeCpuStart = threadCpuSeconds();
    auto written = ScheduleWriter::write(**full, {});
    const double writeCpu = threadCpuSeconds() - writeCpuStart;
    const double fullRun = seconds(timer);
    if (!written) {
        out() << written.errorMessage() << Qt::endl;
        return 2;
    }
    out() << "full run    " << fullRun << " s  (compute " << compute << " s, write " << fullRun - compute
          << " s; " << written->added << " added, " << written->collisions << " collisions; write "
          << writeCpu << " s CPU on the calling thread = " << writeCpu / floorCpu
          << " x the floor's; peak RSS " << highWaterMb() << " MB)" << Qt::endl;
    full = Error {};

    resetPhasePeak();
    timer.restart();
    auto again = BatchJob::run(options);
    const double againCompute = seconds(timer);
    auto rewritten = ScheduleWriter::write(**again, {});
    const double secondRun = seconds(timer);
    if (!rewritten) {
        out() << rewritten.errorMessage() << Qt::endl;
        return 2;
    }
    out() << "second run  " << secondRun << " s  (compute " << againCompute << " s; " << rewritten->added
          << " added, " << rewritten->removed << " removed, " << rewritten->unchanged
          << " unchanged; peak RSS " << highWaterMb() << " MB)" << Qt::endl;
    out() << "ratio       " << fullRun / floor << " x floor (target <= 2.0, aim 1.5)" << Qt::endl;
    out() << "peak RSS    " << peakRssMb() << " MB" << Qt::endl;
    return 0;
}
