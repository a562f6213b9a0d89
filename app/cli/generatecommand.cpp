#include "cli/clioptions.h"
#include "cli/commands.h"

#include "storage/demogenerator.h"

#include <QCoreApplication>
#include <QDir>

using Cli::tr;

namespace Cli {

int generateCommand(const QStringList &args)
{
    CommandLine cli(
        QStringLiteral("generate"),
        QStringLiteral(
            "generate --db PATH --contacts N [--seed S] [--today YYYY-MM-DD] [--enrolled-percent P] "
            "[--no-activity] [--force]"),
        tr("Writes a realistic demo organisation database: production schema, contacts in every "
           "state, a few percent of messy rows (bad dates, missing or odd ZIP codes and states, "
           "bad emails) and some earlier email history, plus campaigns (a rate increase with "
           "enrolments, an initial blast to all contacts, a carrier update, a newsletter), health "
           "answers, clicks, recent sends with their tracking and a few do-not-email entries. The "
           "same seed and date give the same database."));
    cli.addDatabaseOption();
    cli.addOption(QCommandLineOption(QStringLiteral("contacts"), tr("Number of contacts (0 to 100,000,000)."),
                                     tr("N")));
    cli.addOption(QCommandLineOption(QStringLiteral("seed"), tr("Random seed (default 1)."), tr("S")));
    cli.addOption(QCommandLineOption(QStringLiteral("today"),
                                     tr("Ages and dates are relative to this date (default: the current "
                                        "date in America/Chicago)."),
                                     tr("YYYY-MM-DD")));
    cli.addOption(QCommandLineOption(QStringLiteral("enrolled-percent"),
                                     tr("Contacts enrolled in the rate increase, 0 to 100 (default 10)."),
                                     tr("P")));
    cli.addOption(QCommandLineOption(QStringLiteral("no-activity"),
                                     tr("Contacts and history only: no campaigns, answers, clicks, sends "
                                        "or do-not-email entries.")));
    cli.addOption(QCommandLineOption(QStringLiteral("force"), tr("Replace the file if it exists.")));
    if (const std::optional<int> exit = cli.parse(args))
        return *exit;

    const std::optional<QString> path = cli.required(QStringLiteral("db"));
    if (!path)
        return UsageError;
    const std::optional<QString> count = cli.required(QStringLiteral("contacts"));
    if (!count)
        return UsageError;
    const Result<qint64> contacts = parseInteger(QStringLiteral("contacts"), *count, 0, 100'000'000);
    if (!contacts)
        return cli.usageError(contacts.errorMessage());
    Result<qint64> seed = qint64(1);
    if (cli.isSet(QStringLiteral("seed"))) {
        seed = parseInteger(QStringLiteral("seed"), cli.value(QStringLiteral("seed")), 0,
                            std::numeric_limits<qint64>::max());
        if (!seed)
            return cli.usageError(seed.errorMessage());
    }
    const Result<QDate> today = resolveToday(cli.value(QStringLiteral("today")), Config());
    if (!today)
        return cli.usageError(today.errorMessage());

    Result<qint64> enrolled = qint64(10);
    if (cli.isSet(QStringLiteral("enrolled-percent"))) {
        enrolled = parseInteger(QStringLiteral("enrolled-percent"),
                                cli.value(QStringLiteral("enrolled-percent")), 0, 100);
        if (!enrolled)
            return cli.usageError(enrolled.errorMessage());
    }

    DemoGenerator::Options options;
    options.activity = !cli.isSet(QStringLiteral("no-activity"));
    options.enrolledFraction = double(*enrolled) / 100.0;
    options.path = *path;
    options.contacts = *contacts;
    options.seed = quint64(*seed);
    options.today = *today;
    options.overwrite = cli.isSet(QStringLiteral("force"));

    const CancelOnSignal cancelOnSignal;
    const Result<DemoGenerator::Summary> summary
        = DemoGenerator::generate(options, {}, CancelOnSignal::flag());
    if (!summary) {
        printError(summary.errorMessage()
                   + (summary.error().is(DemoGenerator::ErrorKind::FileExists)
                          ? tr(" (use --force to replace it)")
                          : QString()));
        return exitCodeFor(summary.error());
    }
    printLine(tr("generated %1: contacts=%2 messy=%3 history=%4 seconds=%5")
                  .arg(QDir::toNativeSeparators(*path))
                  .arg(summary->contacts)
                  .arg(summary->messyRows)
                  .arg(summary->historyRows)
                  .arg(summary->seconds, 0, 'f', 2));
    return Success;
}

} // namespace Cli
