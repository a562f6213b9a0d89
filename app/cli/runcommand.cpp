#include "cli/clioptions.h"
#include "cli/commands.h"

#include "batch/batchjob.h"
#include "batch/schedulediff.h"
#include "storage/orgdatabase.h"
#include "storage/schedulewriter.h"

#include <QCoreApplication>
#include <QElapsedTimer>

#include <cstdio>

using Cli::tr;

namespace {

// The CLI exits right after a run: freeing a million schedules (one heap block each) would
// only delay the exit by a tenth of a second, so a successful run's batch is kept reachable
// until the process ends and the OS takes the memory back at once.
void keepUntilExit(const BatchResultPtr &batch)
{
    static auto *kept = new BatchResultPtr;
    *kept = batch;
}

// The fixed part of the summary line, the same for a run and a dry run.
QString summaryLine(const BatchResult &batch, double seconds)
{
    return QStringLiteral("contacts=%1 scheduled=%2 skipped=%3 problems=%4 seconds=%5")
        .arg(batch.contacts)
        .arg(batch.scheduled)
        .arg(batch.skipped)
        .arg(batch.problems)
        .arg(seconds, 0, 'f', 2);
}

// The run's warnings (SPEC 12's campaign_invalid), one line each on stderr, before the summary.
void printWarnings(const BatchResult &batch)
{
    for (const RunWarning &warning : batch.warnings) {
        const QString line = QLatin1StringView(Cli::ProgramName) + QStringLiteral(": warning: ")
            + warning.code + QStringLiteral(": ") + warning.message.simplified() + QLatin1Char('\n');
        std::fputs(line.toLocal8Bit().constData(), stderr);
    }
    std::fflush(stderr);
}

} // namespace

namespace Cli {

int runCommand(const QStringList &args)
{
    CommandLine cli(
        QStringLiteral("run"),
        QStringLiteral("run --db PATH|URI [--today YYYY-MM-DD] [--config FILE] [--dry-run] [--jobs N] "
                       "[--lock-timeout SECONDS]"),
        tr("Computes the schedule of every contact and writes it to the database in one "
           "transaction: the contacts' pre-scheduled and skipped rows are replaced, rows of "
           "any other status are kept. Prints one summary line: contacts, scheduled, "
           "skipped, problems, seconds, then what the run changed. Ctrl+C cancels and "
           "leaves the database unchanged (exit code 3)."));
    cli.addDatabaseOption();
    cli.addTodayOption();
    cli.addConfigOption();
    cli.addOption(QCommandLineOption(QStringLiteral("dry-run"),
                                     tr("Compute and report what would change, without writing.")));
    cli.addJobsOption();
    cli.addOption(QCommandLineOption(QStringLiteral("lock-timeout"),
                                     tr("How long to wait for another program's write (SQLite) or another "
                                        "run (PostgreSQL) before giving up with exit code 2 (default: 10)."),
                                     tr("SECONDS")));
    if (const std::optional<int> exit = cli.parse(args))
        return *exit;
    int lockTimeoutMs = OrgDatabase::DefaultBusyTimeoutMs;
    if (cli.isSet(QStringLiteral("lock-timeout"))) {
        const Result<qint64> seconds = parseInteger(QStringLiteral("lock-timeout"),
                                                    cli.value(QStringLiteral("lock-timeout")), 0, 86400);
        if (!seconds)
            return cli.usageError(seconds.errorMessage());
        lockTimeoutMs = int(*seconds * 1000);
    }

    ComputeInputs inputs;
    if (const std::optional<int> exit = readComputeInputs(cli, inputs))
        return *exit;
    const bool dryRun = cli.isSet(QStringLiteral("dry-run"));

    QElapsedTimer timer;
    timer.start();
    const CancelOnSignal cancelOnSignal;
    auto cancelled = [] {
        printError(tr("run cancelled; the database was not changed"));
        return Cancelled;
    };
    if (CancelOnSignal::isCancelled())
        return cancelled();
    // Fail fast (missing, not a database, read-only file or folder) before computing for
    // minutes.
    if (const std::optional<int> exit = checkDatabase(inputs.databasePath, !dryRun))
        return *exit;
    if (CancelOnSignal::isCancelled())
        return cancelled();

    const BatchOptions options = batchOptions(inputs);
    const Result<BatchResultPtr> batch = BatchJob::run(options, nullptr, &CancelOnSignal::isCancelled);
    if (!batch) {
        printError(batch.errorMessage());
        return exitCodeFor(batch.error());
    }
    if (CancelOnSignal::isCancelled())
        return cancelled();
    printWarnings(**batch);

    if (dryRun) {
        QElapsedTimer diffTimer;
        diffTimer.start();
        const Result<ScheduleDiffSummary> diff = ScheduleDiff::compute(**batch, &CancelOnSignal::isCancelled);
        if (qEnvironmentVariableIsSet("ES_PHASE_TIMES"))
            std::fprintf(stderr, "phase diff: %.3f s\n", double(diffTimer.nsecsElapsed()) / 1e9);
        if (!diff) {
            printError(diff.errorMessage());
            return exitCodeFor(diff.error());
        }
        const DiffCounts total = diff->total();
        printLine(
            summaryLine(**batch, double(timer.nsecsElapsed()) / 1e9)
            + QStringLiteral(
                  " dry_run=yes would_add=%1 would_move=%2 would_change=%3 would_remove=%4 unchanged=%5")
                  .arg(total.added)
                  .arg(total.moved)
                  .arg(total.changed)
                  .arg(total.removed + diff->otherRemoved)
                  .arg(total.unchanged));
        keepUntilExit(*batch);
        return Success;
    }

    WriteOptions writeOptions;
    writeOptions.isCanceled = &CancelOnSignal::isCancelled;
    writeOptions.busyTimeoutMs = lockTimeoutMs;
    writeOptions.onWaiting = [](const QString &message) {
        std::fprintf(stderr, "%s: %s\n", ProgramName, message.toUtf8().constData());
        std::fflush(stderr);
    };
    const Result<WriteSummary> written = ScheduleWriter::write(**batch, writeOptions);
    if (!written) {
        // The writer's message suits the program too; waiting longer is the command line's option.
        if (dbErrorKind(written.error()) == DbErrorKind::Locked)
            printError(written.errorMessage()
                       + QStringLiteral(" Or wait longer with --lock-timeout SECONDS (this run waited %1 s).")
                             .arg(lockTimeoutMs / 1000));
        else
            printError(written.errorMessage());
        return exitCodeFor(written.error());
    }
    printLine(summaryLine(**batch, double(timer.nsecsElapsed()) / 1e9)
              + QStringLiteral(" added=%1 removed=%2 unchanged=%3 batch_id=%4")
                    .arg(written->added)
                    .arg(written->removed)
                    .arg(written->unchanged)
                    .arg(written->batchId));
    keepUntilExit(*batch);
    return Success;
}

} // namespace Cli
