#include "commands.h"

#include "csvexport.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDateTime>
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

// Set by SIGINT so a Ctrl+C during a long export leaves the old file and exits with 3.
volatile std::sig_atomic_t g_interrupted = 0;

extern "C" void onInterrupt(int)
{
    g_interrupted = 1;
}

} // namespace

namespace Cli {

int exportCommand(const QStringList &args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        tr("Writes the stored schedule, the contacts or the contact problems of a database to a CSV file."));
    parser.addHelpOption();
    const QCommandLineOption dbOption(QStringLiteral("db"), tr("Organisation database."), tr("PATH"));
    const QCommandLineOption whatOption(QStringLiteral("what"), tr("What to export: schedule, contacts or problems."),
                                        tr("WHAT"));
    const QCommandLineOption outputOption(QStringLiteral("output"), tr("CSV file to write (replaced atomically)."),
                                          tr("FILE"));
    const QCommandLineOption todayOption(QStringLiteral("today"),
                                         tr("Date for the problem checks (default: today in America/Chicago)."),
                                         tr("YYYY-MM-DD"));
    const QCommandLineOption separatorOption(QStringLiteral("separator"),
                                             tr("Field separator: comma (default), semicolon, tab or one character."),
                                             tr("SEP"));
    const QCommandLineOption bomOption(QStringLiteral("bom"), tr("Start the file with a UTF-8 BOM (for Excel)."));
    const QCommandLineOption lfOption(QStringLiteral("lf"), tr("End lines with LF instead of CRLF."));
    const QCommandLineOption noFormulaGuardOption(
        QStringLiteral("no-formula-guard"), tr("Do not prefix cells starting with = + - @ with an apostrophe."));
    parser.addOptions({dbOption, whatOption, outputOption, todayOption, separatorOption, bomOption, lfOption,
                       noFormulaGuardOption});

    if (!parser.parse(QStringList{QStringLiteral("email-scheduler-cli export")} + args)) {
        printError(tr("export: %1 (see export --help)").arg(parser.errorText()));
        return UsageError;
    }
    if (parser.isSet(QStringLiteral("help"))) {
        QTextStream(stdout) << parser.helpText();
        return Success;
    }
    if (!parser.positionalArguments().isEmpty()) {
        printError(tr("export: unexpected argument %1 (see export --help)").arg(parser.positionalArguments().first()));
        return UsageError;
    }
    for (const QCommandLineOption *required : {&dbOption, &whatOption, &outputOption}) {
        if (!parser.isSet(*required)) {
            printError(tr("export: --%1 is required (see export --help)").arg(required->names().first()));
            return UsageError;
        }
    }

    ExportRequest request;
    request.dbPath = parser.value(dbOption);
    request.outputPath = parser.value(outputOption);
    const auto what = CsvExport::whatFromName(parser.value(whatOption));
    if (!what) {
        printError(tr("export: --what must be schedule, contacts or problems, not \"%1\"").arg(parser.value(whatOption)));
        return UsageError;
    }
    request.what = *what;
    if (parser.isSet(todayOption)) {
        request.today = QDate::fromString(parser.value(todayOption), Qt::ISODate);
        if (!request.today.isValid()) {
            printError(tr("export: --today must be a date YYYY-MM-DD, not \"%1\"").arg(parser.value(todayOption)));
            return UsageError;
        }
    } else {
        request.today = QDateTime::currentDateTime().toTimeZone(QTimeZone("America/Chicago")).date();
    }
    if (parser.isSet(separatorOption)) {
        const QString sep = parser.value(separatorOption);
        if (sep == u"comma")
            request.options.separator = u',';
        else if (sep == u"semicolon")
            request.options.separator = u';';
        else if (sep == u"tab")
            request.options.separator = u'\t';
        else if (sep.size() == 1 && sep != u"\"" && sep != u"\n" && sep != u"\r")
            request.options.separator = sep.front();
        else {
            printError(tr("export: --separator must be comma, semicolon, tab or one character, not \"%1\"").arg(sep));
            return UsageError;
        }
    }
    request.options.utf8Bom = parser.isSet(bomOption);
    if (parser.isSet(lfOption))
        request.options.lineEnding = CsvOptions::LineEnding::Lf;
    request.options.neutraliseFormulas = !parser.isSet(noFormulaGuardOption);

    g_interrupted = 0;
    const auto previous = std::signal(SIGINT, onInterrupt);
    const ExportOutcome outcome = CsvExport::run(request, [](qint64, qint64) { return g_interrupted == 0; });
    std::signal(SIGINT, previous);
    if (!outcome.ok()) {
        printError(outcome.error->message);
        return outcome.error->code == int(CsvErrorKind::Cancelled) ? Cancelled
               : outcome.error->code == int(CsvErrorKind::Database) ? DatabaseError
                                                                     : UsageError;
    }
    return Success;
}

} // namespace Cli
