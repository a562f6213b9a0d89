#include "cli/clioptions.h"
#include "cli/commands.h"

#include "csv/csvexport.h"
#include "csv/managementexport.h"

#include <QCoreApplication>

using Cli::tr;

namespace Cli {

int exportCommand(const QStringList &args)
{
    CommandLine cli(
        QStringLiteral("export"),
        QStringLiteral(
            "export --db PATH --what schedule|contacts|problems|suppressions|campaigns|audit --output FILE "
            "[--today YYYY-MM-DD] [--separator SEP] [--bom] [--lf] [--no-formula-guard]"),
        tr("Writes the stored schedule (email_schedules), the contacts or the contacts' data problems "
           "to a CSV file (RFC 4180, UTF-8, header); also the do-not-email list (suppressions), the "
           "campaign types and instances with their live state and audience on --today (campaigns) and the "
           "audit trail of changes to them (audit). The file is replaced atomically: after an error "
           "or Ctrl+C (exit code 3) the previous file is unchanged. Cells starting with = + - @ get a "
           "leading apostrophe so spreadsheets do not run them; ZIP and phone columns are quoted."));
    cli.addDatabaseOption();
    cli.addOption(QCommandLineOption(
        QStringLiteral("what"),
        tr("What to export: schedule, contacts, problems, suppressions, campaigns or audit."), tr("WHAT")));
    cli.addOption(QCommandLineOption(QStringLiteral("output"), tr("The CSV file to write."), tr("FILE")));
    cli.addTodayOption();
    cli.addOption(QCommandLineOption(QStringLiteral("separator"),
                                     tr("Field separator: comma (default), semicolon, tab or one character."),
                                     tr("SEP")));
    cli.addOption(
        QCommandLineOption(QStringLiteral("bom"), tr("Start the file with a UTF-8 BOM (for Excel).")));
    cli.addOption(QCommandLineOption(QStringLiteral("lf"), tr("End lines with LF instead of CRLF.")));
    cli.addOption(QCommandLineOption(QStringLiteral("no-formula-guard"),
                                     tr("Write cells starting with = + - @ as they are.")));
    if (const auto stop = cli.parse(args))
        return *stop;

    ExportRequest request;
    for (const char *name : { "db", "what", "output" }) {
        if (!cli.required(QLatin1StringView(name)))
            return UsageError;
    }
    request.dbPath = cli.value(QStringLiteral("db"));
    request.outputPath = cli.value(QStringLiteral("output"));
    if (const auto refused = CsvExport::checkOutputPath(request.outputPath, request.dbPath)) {
        printError(tr("--output: %1").arg(refused->message));
        return UsageError;
    }
    const auto what = CsvExport::whatFromName(cli.value(QStringLiteral("what")));
    const auto managed = ManagementExport::whatFromName(cli.value(QStringLiteral("what")));
    if (!what && !managed)
        return cli.usageError(
            tr("--what must be schedule, contacts, problems, suppressions, campaigns or audit, not '%1'")
                .arg(cli.value(QStringLiteral("what"))));
    if (what)
        request.what = *what;
    // Every export reads either backend: the schedule, contacts and problems through CsvExport,
    // the management tables through SqlSession.
    const Result<QDate> today = resolveToday(cli.value(QStringLiteral("today")), Config());
    if (!today)
        return cli.usageError(today.errorMessage());
    request.today = *today;
    if (cli.isSet(QStringLiteral("separator"))) {
        const QString sep = cli.value(QStringLiteral("separator"));
        if (sep == u"comma")
            request.options.separator = u',';
        else if (sep == u"semicolon")
            request.options.separator = u';';
        else if (sep == u"tab")
            request.options.separator = u'\t';
        else if (sep.size() == 1 && sep != u"\"" && sep != u"\n" && sep != u"\r")
            request.options.separator = sep.front();
        else
            return cli.usageError(
                tr("--separator must be comma, semicolon, tab or one character, not '%1'").arg(sep));
    }
    request.options.utf8Bom = cli.isSet(QStringLiteral("bom"));
    if (cli.isSet(QStringLiteral("lf")))
        request.options.lineEnding = CsvOptions::LineEnding::Lf;
    request.options.neutraliseFormulas = !cli.isSet(QStringLiteral("no-formula-guard"));

    const CancelOnSignal cancelOnSignal;
    const ExportOutcome outcome = managed
        ? ManagementExport::run(*managed, request.dbPath, request.outputPath, request.today, request.options)
        : CsvExport::run(request, [](qint64, qint64) { return !CancelOnSignal::isCancelled(); });
    if (!outcome.ok()) {
        printError(outcome.error->message);
        return exitCodeFor(*outcome.error);
    }
    return Success;
}

} // namespace Cli
