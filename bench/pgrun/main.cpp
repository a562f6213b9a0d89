// Measures a full run (read, compute, balance, write) of a generated organisation on PostgreSQL
// against PostgreSQL's own floor in the same cluster: an INSERT ... SELECT of the same rows into
// a copy of email_schedules with the same indexes, one transaction. The cluster is a throwaway
// one (tests/common/pgcluster.h, durable settings: fsync on) unless --db names a server database
// that already holds the organisation. See docs/BACKENDS.md.

#include "batch/batchjob.h"
#include "benchutil.h"
#include "pgcluster.h"
#include "storage/demogenerator.h"
#include "storage/pg/orgcopy.h"
#include "storage/pg/pgconnection.h"
#include "storage/schedulewriter.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QTemporaryDir>
#include <QTextStream>

#include <sys/resource.h>

namespace {

using namespace BenchUtil;

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Full run on PostgreSQL vs PostgreSQL's insert floor."));
    parser.addHelpOption();
    parser.addOption({ QStringLiteral("contacts"), QStringLiteral("Contacts to generate."),
                       QStringLiteral("N"), QStringLiteral("1000000") });
    parser.addOption(
        { QStringLiteral("db"),
          QStringLiteral("A server database holding the organisation (default: a throwaway cluster "
                         "with a generated one)."),
          QStringLiteral("URI") });
    parser.addOption({ QStringLiteral("jobs"), QStringLiteral("Worker threads (0: all cores)."),
                       QStringLiteral("N"), QStringLiteral("0") });
    parser.process(app);

    QTemporaryDir dir;
    PgCluster cluster;
    QString uri = parser.value(QStringLiteral("db"));
    if (uri.isEmpty()) {
        QElapsedTimer timer;
        timer.start();
        if (!cluster.start(PgClusterOptions { true })) {
            out() << "cluster: " << cluster.error() << Qt::endl;
            return 1;
        }
        out() << "cluster     PostgreSQL in " << cluster.socketDir() << " started in " << seconds(timer)
              << " s" << Qt::endl;
        DemoGenerator::Options options;
        options.path = dir.filePath(QStringLiteral("org.sqlite3"));
        options.contacts = parser.value(QStringLiteral("contacts")).toLongLong();
        auto generated = DemoGenerator::generate(options);
        if (!generated) {
            out() << generated.errorMessage() << Qt::endl;
            return 1;
        }
        uri = cluster.createDatabase(QStringLiteral("bench"));
        timer.restart();
        auto copied = OrgCopy::copy(options.path, uri);
        if (!copied) {
            out() << copied.errorMessage() << Qt::endl;
            return 1;
        }
        out() << "copy-db     " << seconds(timer) << " s  (" << generated->contacts
              << " contacts from SQLite)" << Qt::endl;
    }

    // Every timed step starts from a checkpoint, as the floor does: no step pays for another's
    // dirty pages.
    auto checkpoint = [&uri] {
        if (auto db = PgConnection::connect(uri))
            (void)db->exec("CHECKPOINT", QString());
    };
    checkpoint();
    BatchOptions options;
    options.databasePath = uri;
    options.today = QDate(2025, 3, 1);
    options.jobs = parser.value(QStringLiteral("jobs")).toInt();
    QElapsedTimer timer;
    timer.start();
    auto batch = BatchJob::run(options);
    if (!batch) {
        out() << batch.errorMessage() << Qt::endl;
        return 1;
    }
    const double compute = seconds(timer);
    auto written = ScheduleWriter::write(**batch);
    if (!written) {
        out() << written.errorMessage() << Qt::endl;
        return 1;
    }
    const double fullRun = seconds(timer);
    out() << "full run    " << fullRun << " s  (read + compute " << compute << " s, write "
          << fullRun - compute << " s; " << written->added << " rows added; peak RSS " << peakRssMb()
          << " MB)" << Qt::endl;

    const long fullRunRss = peakRssMb();
    batch = Error {}; // the first batch goes before the second is computed
    checkpoint();
    timer.restart();
    auto again = BatchJob::run(options);
    if (!again) {
        out() << again.errorMessage() << Qt::endl;
        return 1;
    }
    auto rewritten = ScheduleWriter::write(**again);
    if (!rewritten) {
        out() << rewritten.errorMessage() << Qt::endl;
        return 1;
    }
    const double secondRun = seconds(timer);
    out() << "second run  " << secondRun << " s  (" << rewritten->added << " added, " << rewritten->removed
          << " removed, " << rewritten->unchanged << " unchanged)" << Qt::endl;

    // The floor: the same rows, one INSERT ... SELECT into a table with the same indexes.
    auto db = PgConnection::connect(uri);
    if (!db) {
        out() << db.errorMessage() << Qt::endl;
        return 1;
    }
    const QString action = QStringLiteral("measure the floor of");
    if (auto r
        = db->exec("DROP TABLE IF EXISTS es_floor; CREATE TABLE es_floor (LIKE email_schedules INCLUDING "
                   "DEFAULTS INCLUDING INDEXES); CHECKPOINT",
                   action);
        !r) {
        out() << r.errorMessage() << Qt::endl;
        return 1;
    }
    timer.restart();
    auto floorRows = db->query("INSERT INTO es_floor (contact_id, email_type, scheduled_send_date, "
                               "scheduled_send_time, status, skip_reason, "
                               "created_at, updated_at, batch_id, event_year, event_month, event_day, "
                               "catchup_note) SELECT contact_id, "
                               "email_type, scheduled_send_date, scheduled_send_time, status, skip_reason, "
                               "created_at, updated_at, batch_id, "
                               "event_year, event_month, event_day, catchup_note FROM email_schedules WHERE "
                               "status IN ('pre-scheduled', "
                               "'skipped')",
                               action);
    if (!floorRows) {
        out() << floorRows.errorMessage() << Qt::endl;
        return 1;
    }
    const double floor = seconds(timer);
    out() << "floor       " << floor << " s  (INSERT ... SELECT of " << floorRows->affected()
          << " rows into a table with the same indexes, one transaction)" << Qt::endl;
    (void)db->exec("DROP TABLE es_floor", action);
    out() << "ratio       " << fullRun / floor << " x floor (target <= 2.0)" << Qt::endl;
    out() << "peak RSS    " << fullRunRss << " MB in the full run, " << peakRssMb()
          << " MB in all (this process; the server's memory is its own)" << Qt::endl;
    return 0;
}
