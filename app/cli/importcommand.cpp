#include "cli/clioptions.h"
#include "cli/commands.h"

#include "csv/contactimport.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>

using Cli::tr;

namespace Cli {

int importCommand(const QStringList &args)
{
    CommandLine cli(
        QStringLiteral("import"),
        QStringLiteral("import --db PATH --input FILE [--mapping FILE] [--on-conflict skip|update|abort] "
                       "[--failures FILE] [--today YYYY-MM-DD] [--dry-run]"),
        tr("Imports contacts from a CSV file (separator, quotes and encoding detected; the first row is "
           "the header) in one transaction. Rows the checks reject (bad email, no state, a date that "
           "does not parse) are listed on stderr and not imported; the others are. An email that is "
           "already in the database is skipped, updated or aborts the whole import. Prints one summary "
           "line. Exit codes: 0 done, 1 bad file/mapping or aborted on a conflict, 2 database error, "
           "3 cancelled (nothing written)."));
    cli.addDatabaseOption();
    cli.addOption(QCommandLineOption(QStringLiteral("input"), tr("The CSV file to import."), tr("FILE")));
    cli.addOption(
        QCommandLineOption(QStringLiteral("mapping"),
                           tr("JSON object field -> CSV column header, e.g. {\"birth_date\": \"DOB\"}; "
                              "unlisted fields are matched by header name."),
                           tr("FILE")));
    cli.addOption(QCommandLineOption(QStringLiteral("on-conflict"),
                                     tr("When the email already exists: skip (default), update or abort."),
                                     tr("MODE")));
    cli.addOption(QCommandLineOption(QStringLiteral("failures"),
                                     tr("Also write the rejected rows to this CSV file."), tr("FILE")));
    cli.addTodayOption();
    cli.addOption(QCommandLineOption(QStringLiteral("dry-run"), tr("Check the file without importing.")));
    if (const auto stop = cli.parse(args))
        return *stop;
    for (const char *name : { "db", "input" }) {
        if (!cli.required(QLatin1StringView(name)))
            return UsageError;
    }

    ContactImport::ImportSettings settings;
    settings.csvPath = cli.value(QStringLiteral("input"));
    // Checked before importing: the contacts must not be written and the database then replaced.
    if (cli.isSet(QStringLiteral("failures"))) {
        if (const auto refused = CsvExport::checkOutputPath(cli.value(QStringLiteral("failures")),
                                                            cli.value(QStringLiteral("db")))) {
            printError(tr("--failures: %1").arg(refused->message));
            return UsageError;
        }
    }
    if (cli.isSet(QStringLiteral("on-conflict"))) {
        const auto mode = ContactImport::onConflictFromName(cli.value(QStringLiteral("on-conflict")));
        if (!mode)
            return cli.usageError(tr("--on-conflict must be skip, update or abort, not '%1'")
                                      .arg(cli.value(QStringLiteral("on-conflict"))));
        settings.onConflict = *mode;
    }
    const Result<QDate> today = resolveToday(cli.value(QStringLiteral("today")), Config());
    if (!today)
        return cli.usageError(today.errorMessage());
    settings.today = *today;

    auto dialect = CsvDialect::detectFile(settings.csvPath);
    if (!dialect.ok()) {
        printError(dialect.errorMessage());
        return UsageError;
    }
    settings.dialect = *dialect;
    // The mapping works on column names, so the first record is always the header here.
    settings.dialect.header = true;
    auto head = ContactImport::preview(settings.csvPath, settings.dialect, 0);
    if (!head.ok()) {
        printError(head.errorMessage());
        return UsageError;
    }
    settings.mapping = head->guessedMapping;
    if (cli.isSet(QStringLiteral("mapping"))) {
        const QString mappingPath = cli.value(QStringLiteral("mapping"));
        QFile file(mappingPath);
        if (!file.open(QIODevice::ReadOnly)) {
            printError(
                tr("Could not read %1: %2").arg(QDir::toNativeSeparators(mappingPath), file.errorString()));
            return UsageError;
        }
        auto mapping = ContactImport::Mapping::fromJson(file.readAll(), head->header, mappingPath);
        if (!mapping.ok()) {
            printError(mapping.errorMessage());
            return UsageError;
        }
        settings.mapping = *mapping;
    }

    const CancelOnSignal cancelOnSignal;
    const auto progress = [](qint64, qint64) { return !CancelOnSignal::isCancelled(); };
    const bool dryRun = cli.isSet(QStringLiteral("dry-run"));
    auto report = dryRun ? ContactImport::analyse(settings, progress)
                         : ContactImport::run(cli.value(QStringLiteral("db")), settings, progress);
    if (!report.ok()) {
        printError(report.errorMessage());
        return exitCodeFor(report.error());
    }

    const QString shown = QDir::toNativeSeparators(settings.csvPath);
    // Every rejected row, also those beyond the first ImportReport::MaxFailures.
    const Result<void> listed
        = ContactImport::forEachFailure(*report, [&shown](const ContactImport::RowFailure &f) {
              printError(tr("%1 line %2: %3").arg(shown).arg(f.line).arg(f.reason));
              return true;
          });
    if (!listed.ok()) {
        printError(listed.errorMessage());
        return UsageError;
    }
    if (cli.isSet(QStringLiteral("failures"))) {
        const ExportOutcome written
            = ContactImport::writeFailures(cli.value(QStringLiteral("failures")), *report);
        if (!written.ok()) {
            printError(written.error->message);
            return UsageError;
        }
    }
    printLine(tr("rows %1, %2 %3, updated %4, skipped existing %5, rejected %6")
                  .arg(report->rows)
                  .arg(dryRun ? tr("valid") : tr("imported"))
                  .arg(dryRun ? report->good : report->inserted)
                  .arg(report->updated)
                  .arg(report->skippedExisting)
                  .arg(report->failedRows));
    return Success;
}

} // namespace Cli
