#include "cli/clioptions.h"
#include "cli/commands.h"

#include "csv/listimport.h"
#include "storage/managementtables.h"
#include "storage/sqlsession.h"
#include "storage/suppressionstore.h"

#include <QCoreApplication>
#include <QDir>

using Cli::tr;

namespace Cli {

namespace Management {
int storeError(const CommandLine &cli, const Error &error);
std::unique_ptr<SqlSession> openForWriting(const QString &database, int &exitCode);
std::optional<QStringList> readInputHeader(const QString &csvPath, CsvDialect &dialect);
int importError(const CommandLine &cli, const Error &error);
void printRejected(const QString &csvPath, const QList<ContactImport::RowFailure> &failures);
} // namespace Management

int suppressCommand(const QStringList &args)
{
    const QString reasons = SuppressionStore::reasons().join(u'|');
    CommandLine cli(
        QStringLiteral("suppress"),
        tr("suppress --db PATH --email ADDR --reason %1 [--note TEXT]\n"
           "       suppress --db PATH --input FILE [--reason %1]")
            .arg(reasons),
        tr("Puts addresses on the do-not-email list (SPEC section 14): no email is scheduled for a contact "
           "whose address is on it. --input reads a CSV file such as an email service's unsubscribe, bounce "
           "or complaint export: the address column is found by its header (email, Email Address, ...), a "
           "reason column is optional (its words are mapped: \"hard bounce\" is bounced, \"spam complaint\" "
           "is complained) and --reason is used where a row has none (default unsubscribed). Rejected rows "
           "are listed on stderr with their line; the others are added in one transaction. An address "
           "already listed stays as it was. Exit codes: 0 done, 1 bad input or rows rejected, 2 database "
           "error."));
    cli.addDatabaseOption();
    cli.addOption(QCommandLineOption(QStringLiteral("email"), tr("The address to list."), tr("ADDR")));
    cli.addOption(QCommandLineOption(QStringLiteral("reason"), tr("Why: %1.").arg(reasons), tr("R")));
    cli.addOption(QCommandLineOption(QStringLiteral("note"), tr("A note for colleagues."), tr("TEXT")));
    cli.addOption(QCommandLineOption(QStringLiteral("input"), tr("A CSV file of addresses."), tr("FILE")));
    if (const auto stop = cli.parse(args))
        return *stop;
    if (!cli.required(QStringLiteral("db")))
        return UsageError;
    const bool single = cli.isSet(QStringLiteral("email"));
    const bool file = cli.isSet(QStringLiteral("input"));
    if (single == file)
        return cli.usageError(tr("give either --email or --input"));
    const QString reason = cli.value(QStringLiteral("reason"));
    if (single && reason.isEmpty())
        return cli.usageError(tr("--reason is required with --email (%1)").arg(reasons));
    if (!reason.isEmpty() && !SuppressionStore::isReason(reason))
        return cli.usageError(tr("--reason must be one of %1, not '%2'").arg(reasons, reason));
    if (file && cli.isSet(QStringLiteral("note")))
        return cli.usageError(tr("--note goes with --email; a file's notes come from its note column"));

    if (single) {
        const QString email = cli.value(QStringLiteral("email"));
        int code = Success;
        auto db = Management::openForWriting(cli.value(QStringLiteral("db")), code);
        if (!db)
            return code;
        SuppressionStore store(*db);
        auto added = store.add(email, reason, cli.value(QStringLiteral("note")));
        if (!added)
            return Management::storeError(cli, added.error());
        if (added->added)
            printLine(tr("%1 is on the do-not-email list (%2)").arg(added->entry.email, added->entry.reason));
        else
            printLine(tr("%1 was already on the do-not-email list (%2, since %3); unchanged")
                          .arg(added->entry.email, added->entry.reason, added->entry.createdAt));
        return Success;
    }

    SuppressionImport::Settings settings;
    settings.csvPath = cli.value(QStringLiteral("input"));
    if (!reason.isEmpty())
        settings.defaultReason = reason;
    const auto header = Management::readInputHeader(settings.csvPath, settings.dialect);
    if (!header)
        return UsageError;
    settings.mapping = SuppressionImport::Mapping::guess(*header);
    if (settings.mapping.email < 0)
        return cli.usageError(tr("--input: %1 has no email column (header: %2)")
                                  .arg(QDir::toNativeSeparators(settings.csvPath), header->join(u',')));
    int code = Success;
    auto db = Management::openForWriting(cli.value(QStringLiteral("db")), code);
    if (!db)
        return code;
    auto report = SuppressionImport::run(*db, settings);
    if (!report)
        return Management::importError(cli, report.error());
    Management::printRejected(settings.csvPath, report->failures);
    printLine(tr("rows %1, added %2, already listed %3, rejected %4")
                  .arg(report->rows)
                  .arg(report->added)
                  .arg(report->alreadyListed)
                  .arg(report->failures.size()));
    return report->failures.isEmpty() ? Success : UsageError;
}

int unsuppressCommand(const QStringList &args)
{
    CommandLine cli(QStringLiteral("unsuppress"), QStringLiteral("unsuppress --db PATH --email ADDR"),
                    tr("Removes an address from the do-not-email list; its contact is scheduled again at the "
                       "next run. Exit code 1 when the address is not listed."));
    cli.addDatabaseOption();
    cli.addOption(QCommandLineOption(QStringLiteral("email"), tr("The address to remove."), tr("ADDR")));
    if (const auto stop = cli.parse(args))
        return *stop;
    for (const char *name : { "db", "email" }) {
        if (!cli.required(QLatin1StringView(name)))
            return UsageError;
    }
    int code = Success;
    auto db = Management::openForWriting(cli.value(QStringLiteral("db")), code);
    if (!db)
        return code;
    SuppressionStore store(*db);
    auto removed = store.remove(cli.value(QStringLiteral("email")));
    if (!removed)
        return Management::storeError(cli, removed.error());
    printLine(tr("%1 is no longer on the do-not-email list").arg(removed->email));
    return Success;
}

} // namespace Cli
