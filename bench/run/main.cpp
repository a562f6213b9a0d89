// Measures a full run (read, compute, balance, write) on a generated org database against the
// SQLite floor: inserting the same number of rows into a fresh email_schedules with one
// INSERT ... SELECT in one transaction. See docs/STORAGE.md.

#include "batch/batchjob.h"
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

#include <cstdio>

namespace {

QTextStream &out()
{
    static QTextStream stream(stdout);
    return stream;
}

double seconds(const QElapsedTimer &timer)
{
    return double(timer.nsecsElapsed()) / 1e9;
}

long peakRssMb()
{
    rusage usage {};
    getrusage(RUSAGE_SELF, &usage);
    return usage.ru_maxrss / 1024;
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
        auto generated = DemoGenerator::generate(generate);
        if (!generated) {
            out() << generated.errorMessage() << Qt::endl;
            return 2;
        }
        out() << "generated   " << generated->contacts << " contacts in " << generated->seconds << " s"
              << Qt::endl;
    }
    out() << "database    " << path << Qt::endl;

    BatchOptions options;
    options.databasePath = path;
    options.today = today;
    options.jobs = parser.value(QStringLiteral("jobs")).toInt();

    // Dry run: read + compute + balance, nothing written.
    QElapsedTimer timer;
    timer.start();
    auto dry = BatchJob::run(options);
    if (!dry) {
        out() << dry.errorMessage() << Qt::endl;
        return 2;
    }
    const double dryRun = seconds(timer);
    const qint64 rows = (*dry)->scheduled + (*dry)->skipped;
    out() << "dry run     " << dryRun << " s  (" << (*dry)->contacts << " contacts, " << (*dry)->scheduled
          << " scheduled, " << (*dry)->skipped << " skipped, " << (*dry)->problems
          << " problems; peak RSS so far " << peakRssMb() << " MB)" << Qt::endl;
    dry = Error {}; // free it before the full run

    const double floor = sqliteFloor(path + QStringLiteral(".floor"), scheduleSchema(path), rows);
    out() << "floor       " << floor << " s  (INSERT ... SELECT of " << rows << " rows, one transaction)"
          << Qt::endl;

    timer.restart();
    auto full = BatchJob::run(options);
    const double compute = seconds(timer);
    auto written = ScheduleWriter::write(**full, {});
    const double fullRun = seconds(timer);
    if (!written) {
        out() << written.errorMessage() << Qt::endl;
        return 2;
    }
    out() << "full run    " << fullRun << " s  (compute " << compute << " s, write " << fullRun - compute
          << " s; " << written->added << " added, " << written->collisions << " collisions)" << Qt::endl;
    full = Error {};

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
          << " added, " << rewritten->removed << " removed, " << rewritten->unchanged << " unchanged)"
          << Qt::endl;
    out() << "ratio       " << fullRun / floor << " x floor (target <= 2.0, aim 1.5)" << Qt::endl;
    out() << "peak RSS    " << peakRssMb() << " MB" << Qt::endl;
    return 0;
}
