// Times the CSV export of a million stored schedule rows and the import of 100,000 contacts,
// and prints each phase's peak resident memory (getrusage). Usage:
//   bench_csv [--rows N] [--contacts N] [--keep DIR]
// Each phase runs in a child process of this program so its peak RSS is its own.

#include "csv/contactimport.h"
#include "csv/csvexport.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTextStream>

#include <sqlite3.h>
#include <sys/resource.h>

namespace {

long peakRssKiB()
{
    rusage usage {};
    getrusage(RUSAGE_SELF, &usage);
    return usage.ru_maxrss; // KiB on Linux
}

void out(const QString &line)
{
    QTextStream(stdout) << line << Qt::endl;
}

bool exec(const QString &db, const QByteArray &sql)
{
    sqlite3 *h = nullptr;
    if (sqlite3_open(QFile::encodeName(db).constData(), &h) != SQLITE_OK)
        return false;
    char *err = nullptr;
    const int rc = sqlite3_exec(h, sql.constData(), nullptr, nullptr, &err);
    if (rc != SQLITE_OK)
        QTextStream(stderr) << "sqlite: " << err << Qt::endl;
    sqlite3_free(err);
    sqlite3_close(h);
    return rc == SQLITE_OK;
}

// Phase "export": DB path, output path.
int exportPhase(const QString &db, const QString &csv)
{
    ExportRequest request;
    request.what = ExportRequest::What::Schedule;
    request.dbPath = db;
    request.outputPath = csv;
    const long before = peakRssKiB();
    QElapsedTimer timer;
    timer.start();
    const ExportOutcome outcome = CsvExport::run(request, [](qint64, qint64) { return true; });
    const qint64 ms = timer.elapsed();
    if (!outcome.ok()) {
        out(QStringLiteral("export failed: ") + outcome.error->message);
        return 1;
    }
    out(QStringLiteral(
            "export: %1 rows, %2 MB written in %3 s (%4 rows/s), peak RSS %5 MiB (before export %6 MiB)")
            .arg(outcome.rows)
            .arg(double(QFile(csv).size()) / 1e6, 0, 'f', 1)
            .arg(double(ms) / 1000.0, 0, 'f', 2)
            .arg(qint64(double(outcome.rows) * 1000.0 / double(qMax<qint64>(1, ms))))
            .arg(double(peakRssKiB()) / 1024.0, 0, 'f', 1)
            .arg(double(before) / 1024.0, 0, 'f', 1));
    return 0;
}

// Phase "import": DB path, CSV path.
int importPhase(const QString &db, const QString &csv)
{
    const long before = peakRssKiB();
    QElapsedTimer timer;
    timer.start();
    ContactImport::ImportSettings settings;
    settings.csvPath = csv;
    auto dialect = CsvDialect::detectFile(csv);
    if (!dialect.ok()) {
        out(dialect.errorMessage());
        return 1;
    }
    settings.dialect = *dialect;
    auto head = ContactImport::preview(csv, settings.dialect, 0);
    if (!head.ok()) {
        out(head.errorMessage());
        return 1;
    }
    settings.mapping = head->guessedMapping;
    settings.today = QDate(2025, 6, 1);
    auto report = ContactImport::run(db, settings, [](qint64, qint64) { return true; });
    const qint64 ms = timer.elapsed();
    if (!report.ok()) {
        out(QStringLiteral("import failed: ") + report.errorMessage());
        return 1;
    }
    out(QStringLiteral(
            "import: %1 rows (%2 inserted, %3 rejected) in %4 s (%5 rows/s), peak RSS %6 MiB (before "
            "import %7 MiB)")
            .arg(report->rows)
            .arg(report->inserted)
            .arg(report->failedRows)
            .arg(double(ms) / 1000.0, 0, 'f', 2)
            .arg(qint64(double(report->rows) * 1000.0 / double(qMax<qint64>(1, ms))))
            .arg(double(peakRssKiB()) / 1024.0, 0, 'f', 1)
            .arg(double(before) / 1024.0, 0, 'f', 1));
    return 0;
}

int runChild(const QStringList &args)
{
    QProcess p;
    p.setProcessChannelMode(QProcess::ForwardedChannels);
    p.start(QCoreApplication::applicationFilePath(), args);
    p.waitForFinished(-1);
    return p.exitCode();
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments().mid(1);
    if (args.size() == 3 && args[0] == u"export")
        return exportPhase(args[1], args[2]);
    if (args.size() == 3 && args[0] == u"import")
        return importPhase(args[1], args[2]);

    qint64 rows = 1000000;
    qint64 contacts = 100000;
    QString keep;
    for (qsizetype i = 0; i + 1 < args.size(); i += 2) {
        if (args[i] == u"--rows")
            rows = args[i + 1].toLongLong();
        else if (args[i] == u"--contacts")
            contacts = args[i + 1].toLongLong();
        else if (args[i] == u"--keep")
            keep = args[i + 1];
    }
    QTemporaryDir tmp;
    const QString dir = keep.isEmpty() ? tmp.path() : keep;

    // A database with `rows` schedule rows over rows/4 contacts (production schema).
    const QString db = dir + QStringLiteral("/bench.sqlite3");
    QFile::remove(db);
    QElapsedTimer timer;
    timer.start();
    const QByteArray n = QByteArray::number(rows);
    if (!exec(
            db,
            "CREATE TABLE contacts (id INTEGER PRIMARY KEY AUTOINCREMENT, first_name TEXT NOT NULL, "
            "last_name "
            "TEXT NOT NULL, email TEXT NOT NULL UNIQUE, current_carrier TEXT, plan_type TEXT, effective_date "
            "TEXT, birth_date TEXT, tobacco_user INTEGER NOT NULL DEFAULT 0, gender TEXT, state TEXT, "
            "zip_code "
            "TEXT, agent_id INTEGER, last_emailed DATETIME, phone_number TEXT, status TEXT NOT NULL DEFAULT "
            "'', "
            "created_at DATETIME DEFAULT CURRENT_TIMESTAMP, updated_at DATETIME DEFAULT CURRENT_TIMESTAMP);"
            "CREATE TABLE email_schedules (id INTEGER PRIMARY KEY AUTOINCREMENT, contact_id INTEGER NOT "
            "NULL, "
            "email_type TEXT NOT NULL, scheduled_send_date TEXT NOT NULL, scheduled_send_time TEXT NOT NULL "
            "DEFAULT '08:30:00', status TEXT NOT NULL DEFAULT 'scheduled', skip_reason TEXT, created_at TEXT "
            "NOT NULL DEFAULT (datetime('now')), updated_at TEXT NOT NULL DEFAULT (datetime('now')), "
            "batch_id "
            "TEXT, event_year INTEGER, event_month INTEGER, event_day INTEGER, catchup_note TEXT, "
            "actual_send_datetime TEXT);"
            "CREATE UNIQUE INDEX idx_email_schedules_unique ON email_schedules (contact_id, email_type, "
            "scheduled_send_date);"
            "BEGIN;"
            "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < "
                + n
                + " - 1) INSERT INTO email_schedules (contact_id, email_type, scheduled_send_date, status, "
                  "skip_reason, batch_id, event_year, event_month, event_day) SELECT i / 4, CASE i % 4 WHEN "
                  "0 THEN "
                  "'birthday' WHEN 1 THEN 'effective_date' WHEN 2 THEN 'aep' ELSE 'post_window' END, "
                  "date('2025-01-01', '+' || (i % 365) || ' days'), CASE WHEN i % 7 = 0 THEN 'skipped' ELSE "
                  "'pre-scheduled' END, CASE WHEN i % 7 = 0 THEN 'birthday_window: California birthday rule "
                  "window, \"quoted\"' END, 'batch-1', 2025, 1 + i % 12, 1 + i % 28 FROM n;"
                  "INSERT INTO contacts (first_name, last_name, email, state, zip_code) VALUES ('Seed', "
                  "'Row', "
                  "'seed@example.com', 'KS', '66210');"
                  "COMMIT;")) {
        out(QStringLiteral("could not create %1").arg(db));
        return 1;
    }
    out(QStringLiteral("setup: database with %1 schedule rows in %2 s")
            .arg(rows)
            .arg(double(timer.elapsed()) / 1000.0, 0, 'f', 1));
    if (runChild({ QStringLiteral("export"), db, dir + QStringLiteral("/schedule.csv") }) != 0)
        return 1;

    // A contacts CSV with mixed formats and 5% bad rows.
    const QString csv = dir + QStringLiteral("/contacts.csv");
    {
        QFile f(csv);
        if (!f.open(QIODevice::WriteOnly))
            return 1;
        QByteArray buffer = "First Name,Last Name,E-mail,DOB,Effective Date,Zip,State,Phone,Carrier\r\n";
        for (qint64 i = 0; i < contacts; ++i) {
            const QByteArray k = QByteArray::number(i);
            buffer += "Ann" + k + ",\"Smith, Jr\","
                + (i % 20 == 7 ? QByteArray("broken-email") : "ann" + k + "@example.com") + ","
                + QByteArray(i % 2 ? "3/7/1950" : "1950-03-07") + ",2020-01-01,"
                + QByteArray(i % 3 ? "66210" : "2134") + ",,\"0712345\",Aetna\r\n";
            if (buffer.size() > (1 << 20)) {
                f.write(buffer);
                buffer.clear();
            }
        }
        f.write(buffer);
    }
    return runChild({ QStringLiteral("import"), db, csv });
}
