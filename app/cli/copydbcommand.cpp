#include "cli/clioptions.h"
#include "cli/commands.h"

#include "storage/pg/orgcopy.h"

using Cli::tr;

namespace Cli {

int copyDbCommand(const QStringList &args)
{
    CommandLine cli(QStringLiteral("copy-db"), QStringLiteral("copy-db --from PATH|URI --to PATH|URI"),
                    tr("Copies an organisation database between an SQLite file and a PostgreSQL database, "
                       "in either direction: every table with all its rows, in one transaction, checking "
                       "the row counts before committing. The target must be a new file, or a database "
                       "without a `contacts` table. Prints one line per table: table=NAME rows=N."));
    cli.addOption(
        QCommandLineOption(QStringLiteral("from"), tr("The organisation to copy."), tr("PATH|URI")));
    cli.addOption(QCommandLineOption(QStringLiteral("to"), tr("Where to copy it."), tr("PATH|URI")));
    if (const std::optional<int> exit = cli.parse(args))
        return *exit;
    const std::optional<QString> from = cli.required(QStringLiteral("from"));
    if (!from)
        return UsageError;
    const std::optional<QString> to = cli.required(QStringLiteral("to"));
    if (!to)
        return UsageError;
    const CancelOnSignal cancelOnSignal;
    const auto copied = OrgCopy::copy(*from, *to, &CancelOnSignal::isCancelled);
    if (!copied) {
        printError(copied.errorMessage());
        return exitCodeFor(copied.error());
    }
    for (const OrgCopy::TableCount &table : *copied)
        printLine(QStringLiteral("table=%1 rows=%2").arg(table.table).arg(table.rows));
    return Success;
}

} // namespace Cli
