#include "cli/clioptions.h"
#include "cli/commands.h"

#include "batch/batchjob.h"
#include "csv/csvexport.h"
#include "csv/csvwriter.h"
#include "csv/previewcsv.h"
#include "storage/orgdatabase.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QSaveFile>

#include <unordered_set>

using Cli::tr;

namespace {

enum class WriteOutcome { Written, Failed, Cancelled };

// Streams the preview through the one preview CSV writer (model/csv/previewcsv.h). On failure
// `error` says what went wrong.
WriteOutcome writePreview(QIODevice *device, const BatchResult &batch, QString &error)
{
    CsvWriter writer(device, CsvOptions());
    switch (PreviewCsv::write(writer, batch,
                              [](qint64, qint64) { return !Cli::CancelOnSignal::isCancelled(); })) {
    case PreviewCsv::Outcome::Written:
        return WriteOutcome::Written;
    case PreviewCsv::Outcome::Cancelled:
        return WriteOutcome::Cancelled;
    case PreviewCsv::Outcome::Failed:
        break;
    }
    error = writer.errorString();
    return WriteOutcome::Failed;
}

} // namespace

namespace Cli {

int previewCommand(const QStringList &args)
{
    CommandLine cli(QStringLiteral("preview"),
                    QStringLiteral("preview --db PATH [--today YYYY-MM-DD] [--config FILE] [--contact ID]... "
                                   "[--output FILE] [--jobs N]"),
                    tr("Computes the schedule without writing to the database and prints it as CSV "
                       "(RFC 4180, UTF-8) with the columns contact_id, email_type, scheduled_send_date, "
                       "status, reason_code, detail. Problem rows have an empty type and date, status "
                       "error or warning and the problem code in reason_code. Without --contact the whole "
                       "database is computed as a batch (load balancing applies); with --contact only the "
                       "given contacts, each on its own."));
    cli.addDatabaseOption();
    cli.addTodayOption();
    cli.addConfigOption();
    cli.addOption(QCommandLineOption(QStringLiteral("contact"),
                                     tr("Only this contact id (repeatable, or comma-separated); "
                                        "single-contact semantics, no load balancing."),
                                     tr("ID")));
    cli.addOption(QCommandLineOption(QStringLiteral("output"),
                                     tr("Write the CSV to this file (replaced only when complete) instead of "
                                        "standard output."),
                                     tr("FILE")));
    cli.addJobsOption();
    if (const std::optional<int> exit = cli.parse(args))
        return *exit;

    ComputeInputs inputs;
    if (const std::optional<int> exit = readComputeInputs(cli, inputs))
        return *exit;
    const Result<std::vector<qint64>> ids = parseContactIds(cli.values(QStringLiteral("contact")));
    if (!ids)
        return cli.usageError(ids.errorMessage());
    const QString outputPath = cli.value(QStringLiteral("output"));
    // Refused before the computation, not after it.
    if (cli.isSet(QStringLiteral("output"))) {
        if (const auto refused = CsvExport::checkOutputPath(outputPath, inputs.databasePath)) {
            printError(tr("--output: %1").arg(refused->message));
            return UsageError;
        }
    }

    if (const std::optional<int> exit = checkDatabase(inputs.databasePath, false))
        return *exit;

    const CancelOnSignal cancelOnSignal;
    BatchOptions options = batchOptions(inputs);
    options.contactIds = *ids;
    const Result<BatchResultPtr> batch = BatchJob::run(options, nullptr, &CancelOnSignal::isCancelled);
    if (!batch) {
        printError(batch.errorMessage());
        return exitCodeFor(batch.error());
    }
    if (CancelOnSignal::isCancelled()) {
        printError(tr("preview cancelled; nothing was written"));
        return Cancelled;
    }

    if (!ids->empty()) {
        std::unordered_set<qint64> found;
        for (const ContactSchedule &schedule : (*batch)->schedules)
            found.insert(schedule.contactId);
        QStringList missing;
        for (qint64 id : *ids) {
            if (!found.contains(id))
                missing.append(QString::number(id));
        }
        if (!missing.isEmpty()) {
            printError(
                tr("%1 has no contact with id %2")
                    .arg(QDir::toNativeSeparators(inputs.databasePath), missing.join(QStringLiteral(", "))));
            return UsageError;
        }
    }

    QString error;
    if (outputPath.isEmpty()) {
        QFile out;
        if (!out.open(stdout, QIODevice::WriteOnly)) {
            printError(tr("cannot write to standard output: %1").arg(out.errorString()));
            return UsageError;
        }
        switch (writePreview(&out, **batch, error)) {
        case WriteOutcome::Written:
            return Success;
        case WriteOutcome::Cancelled:
            printError(tr("preview cancelled; the output is incomplete"));
            return Cancelled;
        case WriteOutcome::Failed:
            printError(tr("cannot write to standard output: %1").arg(error));
            return UsageError;
        }
    }

    QSaveFile file(outputPath);
    const QString shown = QDir::toNativeSeparators(outputPath);
    if (!file.open(QIODevice::WriteOnly)) {
        printError(tr("cannot write %1: %2").arg(shown, file.errorString()));
        return UsageError;
    }
    switch (writePreview(&file, **batch, error)) {
    case WriteOutcome::Written:
        break;
    case WriteOutcome::Cancelled:
        file.cancelWriting();
        printError(tr("preview cancelled; %1 was not changed").arg(shown));
        return Cancelled;
    case WriteOutcome::Failed:
        file.cancelWriting();
        printError(tr("cannot write %1: %2").arg(shown, error));
        return UsageError;
    }
    if (!file.commit()) {
        printError(tr("cannot write %1: %2").arg(shown, file.errorString()));
        return UsageError;
    }
    return Success;
}

} // namespace Cli
