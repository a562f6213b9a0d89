#include "cli/cliapp.h"

#include "cli/clioptions.h"
#include "cli/commands.h"

#include <QCoreApplication>

#include <array>
#include <cstdio>

using Cli::tr;

namespace {

struct Command
{
    const char *name;
    int (*run)(const QStringList &args);
    const char *summary;
};

// QT_TRANSLATE_NOOP keeps the summaries translatable while the table stays constexpr.
constexpr std::array<Command, 8> kCommands = { {
    { "generate", &Cli::generateCommand,
      QT_TRANSLATE_NOOP("Cli", "write a realistic demo organisation database") },
    { "preview", &Cli::previewCommand,
      QT_TRANSLATE_NOOP("Cli", "compute the schedule and print it as CSV (read-only)") },
    { "run", &Cli::runCommand,
      QT_TRANSLATE_NOOP("Cli", "compute the schedule and write it to the database") },
    { "export", &Cli::exportCommand,
      QT_TRANSLATE_NOOP("Cli", "write the stored schedule, contacts or problems as CSV") },
    { "import", &Cli::importCommand, QT_TRANSLATE_NOOP("Cli", "read contacts from a CSV file") },
    { "campaign", &Cli::campaignCommand,
      QT_TRANSLATE_NOOP("Cli", "list, add, enrol and end campaign types and instances") },
    { "suppress", &Cli::suppressCommand, QT_TRANSLATE_NOOP("Cli", "put addresses on the do-not-email list") },
    { "unsuppress", &Cli::unsuppressCommand,
      QT_TRANSLATE_NOOP("Cli", "take an address off the do-not-email list") },
} };

QString usage()
{
    QString text = tr("Usage: %1 COMMAND [OPTIONS]\n\nSchedules the birthday, policy anniversary and AEP "
                      "emails of a Medicare agency's contacts.\n\nCommands:\n")
                       .arg(QLatin1StringView(Cli::ProgramName));
    for (const Command &command : kCommands)
        text += QStringLiteral("  %1  %2\n")
                    .arg(QString::fromLatin1(command.name).leftJustified(10),
                         QCoreApplication::translate("Cli", command.summary));
    text += tr("\nRun '%1 COMMAND --help' for the options of a command.\n"
               "Exit codes: 0 success, 1 usage or configuration error, 2 database error, 3 cancelled.\n")
                .arg(QLatin1StringView(Cli::ProgramName));
    return text;
}

const Command *findCommand(const QString &name)
{
    for (const Command &command : kCommands) {
        if (name == QLatin1StringView(command.name))
            return &command;
    }
    return nullptr;
}

} // namespace

int runCli(const QStringList &arguments)
{
    const QStringList args = arguments.mid(1); // arguments[0] is the program
    if (args.isEmpty()) {
        std::fputs(usage().toUtf8().constData(), stderr);
        return Cli::UsageError;
    }
    const QString &first = args.constFirst();
    if (first == u"--help" || first == u"-h" || first == u"help") {
        if (args.size() > 1 && first == u"help") {
            if (const Command *command = findCommand(args.at(1)))
                return command->run({ QStringLiteral("--help") });
            Cli::printError(tr("unknown command '%1' (see %2 --help)")
                                .arg(args.at(1), QLatin1StringView(Cli::ProgramName)));
            return Cli::UsageError;
        }
        std::fputs(usage().toUtf8().constData(), stdout);
        return Cli::Success;
    }
    if (first == u"--version") {
        Cli::printLine(QLatin1StringView(Cli::ProgramName) + u' ' + QCoreApplication::applicationVersion());
        return Cli::Success;
    }
    if (const Command *command = findCommand(first)) {
        // A signal that came before the command started (the handlers are installed first
        // thing in main) cancels it before it touches anything.
        if (Cli::CancelOnSignal::isCancelled()) {
            Cli::printError(tr("%1 cancelled before it started; nothing was changed").arg(first));
            return Cli::Cancelled;
        }
        return command->run(args.mid(1));
    }
    if (first.startsWith(u'-'))
        Cli::printError(tr("a command must come first, not the option '%1' (see %2 --help)")
                            .arg(first, QLatin1StringView(Cli::ProgramName)));
    else
        Cli::printError(
            tr("unknown command '%1' (see %2 --help)").arg(first, QLatin1StringView(Cli::ProgramName)));
    return Cli::UsageError;
}
