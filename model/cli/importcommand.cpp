#include "commands.h"

#include "contactimport.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QTextStream>
#include <QTimeZone>

#include <csignal>
#include <cstdio>

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("Cli", text);
}

void printError(const QString &message)
{
    QTextStream(stderr) << message << Qt::endl;
}

volatile std::sig_atomic_t g_interrupted = 0;

extern "C" void onImportInterrupt(int)
{
    g_interrupted = 1;
}

int exitCodeFor(const Error &error)
{
    switch (CsvErrorKind(error.code)) {
    case CsvErrorKind::Database:
        return Cli::DatabaseError;
    case CsvErrorKind::Cancelled:
        return Cli::Cancelled;
    case CsvErrorKind::File:
        break;
    }
    return Cli::UsageError;
}

} // namespace

namespace Cli {

int importCommand(const QStringList &args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        tr("Imports contacts from a CSV file into a database in one transaction. Rows that fail the checks are "
           "listed on stderr (and in --failures) and not imported; the others are."));
    parser.addHelpOption();
    const QCommandLineOption dbOption(QStringLiteral("db"), tr("Organisation database."), tr("PATH"));
    const QCommandLineOption inputOption(QStringLiteral("input"), tr("CSV file to import."), tr("FILE"));
    const QCommandLineOption mappingOption(QStringLiteral("mapping"),
                                           tr("JSON object field -> CSV column header, e.g. {\"birth_date\": \"DOB\"}; "
                                              "unlisted fields are matched by header name."),
                                           tr("FILE"));
    const QCommandLineOption conflictOption(QStringLiteral("on-conflict"),
                                            tr("When the email already exists: skip (default), update or abort."),
                                            tr("MODE"));
    const QCommandLineOption failuresOption(QStringLiteral("failures"), tr("Write the failed rows to this CSV file."),
                                            tr("FILE"));
    const QCommandLineOption todayOption(QStringLiteral("today"),
                                         tr("Date for the checks (default: today in America/Chicago)."),
                                         tr("YYYY-MM-DD"));
    const QCommandLineOption dryRunOption(QStringLiteral("dry-run"), tr("Check the file without importing."));
    parser.addOptions({dbOption, inputOption, mappingOption, conflictOption, failuresOption, todayOption, dryRunOption});

    if (!parser.parse(QStringList{QStringLiteral("email-scheduler-cli import")} + args)) {
        printError(tr("import: %1 (see import --help)").arg(parser.errorText()));
        return UsageError;
    }
    if (parser.isSet(QStringLiteral("help"))) {
        QTextStream(stdout) << parser.helpText();
        return Success;
    }
    if (!parser.positionalArguments().isEmpty()) {
        printError(tr("import: unexpected argument %1 (see import --help)").arg(parser.positionalArguments().first()));
        return UsageError;
    }
    for (const QCommandLineOption *required : {&dbOption, &inputOption}) {
        if (!parser.isSet(*required)) {
            printError(tr("import: --%1 is required (see import --help)").arg(required->names().first()));
            return UsageError;
        }
    }

    ContactImport::ImportSettings settings;
    settings.csvPath = parser.value(inputOption);
    if (parser.isSet(conflictOption)) {
        const auto mode = ContactImport::onConflictFromName(parser.value(conflictOption));
        if (!mode) {
            printError(tr("import: --on-conflict must be skip, update or abort, not \"%1\"").arg(parser.value(conflictOption)));
            return UsageError;
        }
        settings.onConflict = *mode;
    }
    if (parser.isSet(todayOption)) {
        settings.today = QDate::fromString(parser.value(todayOption), Qt::ISODate);
        if (!settings.today.isValid()) {
            printError(tr("import: --today must be a date YYYY-MM-DD, not \"%1\"").arg(parser.value(todayOption)));
            return UsageError;
        }
    } else {
        settings.today = QDateTime::currentDateTime().toTimeZone(QTimeZone("America/Chicago")).date();
    }

    auto dialect = CsvDialect::detectFile(settings.csvPath);
    if (!dialect.ok()) {
        printError(dialect.errorMessage());
        return UsageError;
    }
    settings.dialect = *dialect;
    // The CLI always treats the first record as the header: mapping needs column names.
    settings.dialect.header = true;
    auto head = ContactImport::preview(settings.csvPath, settings.dialect, 0);
    if (!head.ok()) {
        printError(head.errorMessage());
        return UsageError;
    }
    settings.mapping = head->guessedMapping;
    if (parser.isSet(mappingOption)) {
        const QString mappingPath = parser.value(mappingOption);
        QFile file(mappingPath);
        if (!file.open(QIODevice::ReadOnly)) {
            printError(tr("Could not read %1: %2").arg(QDir::toNativeSeparators(mappingPath), file.errorString()));
            return UsageError;
        }
        auto mapping = ContactImport::Mapping::fromJson(file.readAll(), head->header, mappingPath);
        if (!mapping.ok()) {
            printError(mapping.errorMessage());
            return UsageError;
        }
        settings.mapping = *mapping;
    }

    g_interrupted = 0;
    const auto previous = std::signal(SIGINT, onImportInterrupt);
    const auto progress = [](qint64, qint64) { return g_interrupted == 0; };
    auto report = parser.isSet(dryRunOption) ? ContactImport::analyse(settings, progress)
                                             : ContactImport::run(parser.value(dbOption), settings, progress);
    std::signal(SIGINT, previous);
    if (!report.ok()) {
        printError(report.errorMessage());
        return exitCodeFor(report.error());
    }

    QTextStream err(stderr);
    for (const ContactImport::RowFailure &f : std::as_const(report->failures)) {
        err << tr("%1 line %2: %3").arg(QDir::toNativeSeparators(settings.csvPath)).arg(f.line).arg(f.reason)
            << Qt::endl;
    }
    if (parser.isSet(failuresOption)) {
        const ExportOutcome written = ContactImport::writeFailures(parser.value(failuresOption), *report);
        if (!written.ok()) {
            printError(written.error->message);
            return UsageError;
        }
    }
    QTextStream(stdout) << tr("rows %1, imported %2, updated %3, skipped existing %4, failed %5")
                               .arg(report->rows)
                               .arg(report->inserted)
                               .arg(report->updated)
                               .arg(report->skippedExisting)
                               .arg(report->failedRows)
                        << Qt::endl;
    return Success;
}

} // namespace Cli
