#include "cli/clioptions.h"
#include "cli/commands.h"

#include "csv/csvwriter.h"
#include "csv/listimport.h"
#include "csv/managementexport.h"
#include "storage/auditlog.h"
#include "storage/campaignstore.h"
#include "storage/managementtables.h"
#include "storage/sqlsession.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>

#include <cstdio>

using Cli::tr;

namespace Cli {

// Helpers of the management commands (campaign, suppress, unsuppress).
namespace Management {

// Prints a store error; returns the exit code: 1 for input the store refused (the message names
// the field, which is the command's option of the same name), 2 for a database error.
int storeError(const CommandLine &cli, const Error &error)
{
    if (ManagementTables::isInvalidInput(error))
        return cli.usageError(u"--" + error.message);
    printError(error.message);
    return exitCodeFor(error);
}

// Opens the database (an SQLite file or a server) for a change (a read-only file exits 2 with the
// open's message).
std::unique_ptr<SqlSession> openSession(const QString &database, SqlSession::Mode mode, int &exitCode)
{
    auto db = SqlSession::open(database, mode);
    if (!db) {
        printError(db.errorMessage());
        exitCode = exitCodeFor(db.error());
        return nullptr;
    }
    return std::move(db).value();
}

std::unique_ptr<SqlSession> openForWriting(const QString &database, int &exitCode)
{
    return openSession(database, SqlSession::Mode::ReadWrite, exitCode);
}

// Detects the dialect of an import's --input file (which has a header) and reads its header;
// prints the error and returns nothing when the file cannot be read.
std::optional<QStringList> readInputHeader(const QString &csvPath, CsvDialect &dialect)
{
    auto detected = CsvDialect::detectFile(csvPath);
    if (!detected) {
        printError(tr("--input: %1").arg(detected.errorMessage()));
        return std::nullopt;
    }
    dialect = *detected;
    dialect.header = true;
    auto head = ContactImport::preview(csvPath, dialect, 0);
    if (!head) {
        printError(tr("--input: %1").arg(head.errorMessage()));
        return std::nullopt;
    }
    return head->header;
}

// The exit code of an import that failed as a whole (input refused, unreadable file or database).
int importError(const CommandLine &cli, const Error &error)
{
    if (ManagementTables::isInvalidInput(error))
        return storeError(cli, error);
    printError(error.message);
    return error.is(CsvErrorKind::File) ? UsageError : exitCodeFor(error);
}

// Prints the rows of `csvPath` an import did not take, one line each.
void printRejected(const QString &csvPath, const QList<ContactImport::RowFailure> &failures)
{
    const QString shown = QDir::toNativeSeparators(csvPath);
    for (const ContactImport::RowFailure &f : failures)
        printError(tr("%1 line %2: %3").arg(shown).arg(f.line).arg(f.reason));
}

} // namespace Management

namespace {

using Management::importError;
using Management::openForWriting;
using Management::printRejected;
using Management::readInputHeader;
using Management::storeError;

const QString kSynopsis = QStringLiteral(
    "campaign list --db PATH [--today YYYY-MM-DD]\n"
    "       campaign add-type --db PATH --name NAME [--priority P] [--days-before D] [--all-contacts] "
    "[--ignore-windows] [--followups] [--spread] [--skip-failed-underwriting] [--inactive]\n"
    "       campaign add --db PATH --type NAME --name TEXT [--start D] [--end D] [--spread-start D] "
    "[--spread-end D] [--states LIST] [--carriers LIST]\n"
    "       campaign enroll --db PATH --instance ID --input FILE\n"
    "       campaign end --db PATH --instance ID [--on D]");

// A date option in any format of SPEC section 1 (stored as YYYY-MM-DD by the store).
Result<QDate> optionDate(const CommandLine &cli, const QString &name)
{
    const QString text = cli.value(name);
    const QDate date = QDate::fromString(text.trimmed(), Qt::ISODate);
    if (!date.isValid())
        return Error { tr("--%1 must be a real date written YYYY-MM-DD, not '%2'").arg(name, text) };
    return date;
}

int listCommand(const QStringList &args)
{
    CommandLine cli(
        QStringLiteral("campaign list"), QStringLiteral("campaign list --db PATH [--today YYYY-MM-DD]"),
        tr("Prints the campaign types and instances as CSV: one row per type (its settings), then "
           "one per instance (dates, targeting), with whether the instance is live on the date, "
           "its audience (the contacts it would email) and its enrolled contacts. Read-only."));
    cli.addDatabaseOption();
    cli.addTodayOption();
    if (const auto stop = cli.parse(args))
        return *stop;
    if (!cli.required(QStringLiteral("db")))
        return UsageError;
    const Result<QDate> today = resolveToday(cli.value(QStringLiteral("today")), Config());
    if (!today)
        return cli.usageError(today.errorMessage());
    int code = Success;
    auto db = Management::openSession(cli.value(QStringLiteral("db")), SqlSession::Mode::ReadOnly, code);
    if (!db)
        return code;
    CampaignStore store(*db);
    auto overview = store.overview(*today);
    if (!overview)
        return storeError(cli, overview.error());
    QString text;
    const auto line = [&text](const QStringList &cells) {
        QStringList quoted;
        for (const QString &c : cells) {
            if (c.contains(u',') || c.contains(u'"') || c.contains(u'\n') || c.contains(u'\r'))
                quoted.append(u'"' + QString(c).replace(u'"', QStringLiteral("\"\"")) + u'"');
            else
                quoted.append(c);
        }
        text += quoted.join(u',') + u'\n';
    };
    line(ManagementExport::header(ManagementExport::What::Campaigns));
    for (const QStringList &row : ManagementExport::campaignRows(*overview))
        line(row);
    std::fputs(text.toUtf8().constData(), stdout);
    std::fflush(stdout);
    return Success;
}

int addTypeCommand(const QStringList &args)
{
    CommandLine cli(
        QStringLiteral("campaign add-type"),
        QStringLiteral("campaign add-type --db PATH --name NAME [--priority P] [--days-before D] "
                       "[--all-contacts] [--ignore-windows] [--followups] [--spread] "
                       "[--skip-failed-underwriting] [--inactive]"),
        tr("Adds a campaign type (SPEC section 12): reusable settings that instances name. The name "
           "is written in lower-case letters, digits and _, and may not be birthday, "
           "effective_date, aep or start with post_window or followup. Prints the new type's id."));
    cli.addDatabaseOption();
    cli.addOption(
        QCommandLineOption(QStringLiteral("name"), tr("The type's name, e.g. rate_increase."), tr("NAME")));
    cli.addOption(QCommandLineOption(QStringLiteral("priority"),
                                     tr("Priority against other emails; lower wins (default 30)."), tr("P")));
    cli.addOption(QCommandLineOption(QStringLiteral("days-before"),
                                     tr("Days before an enrolment's trigger date to send (default 30)."),
                                     tr("D")));
    cli.addOption(QCommandLineOption(QStringLiteral("all-contacts"),
                                     tr("Target every contact (enrolments are then ignored).")));
    cli.addOption(QCommandLineOption(QStringLiteral("ignore-windows"),
                                     tr("Send even inside a state's exclusion window.")));
    cli.addOption(QCommandLineOption(QStringLiteral("followups"), tr("Send follow-ups after these emails.")));
    cli.addOption(QCommandLineOption(QStringLiteral("spread"),
                                     tr("Spread the emails evenly over the instance's spread dates.")));
    cli.addOption(QCommandLineOption(QStringLiteral("skip-failed-underwriting"),
                                     tr("Skip contacts whose health answers failed underwriting.")));
    cli.addOption(QCommandLineOption(QStringLiteral("inactive"), tr("Add the type switched off.")));
    if (const auto stop = cli.parse(args))
        return *stop;
    for (const char *name : { "db", "name" }) {
        if (!cli.required(QLatin1StringView(name)))
            return UsageError;
    }
    CampaignTypeRow type;
    type.name = cli.value(QStringLiteral("name"));
    if (const auto problem = CampaignStore::typeNameProblem(type.name))
        return cli.usageError(u"--" + *problem);
    if (cli.isSet(QStringLiteral("priority"))) {
        auto p = parseInteger(QStringLiteral("--priority"), cli.value(QStringLiteral("priority")), -1000000,
                              1000000);
        if (!p)
            return cli.usageError(p.errorMessage());
        type.priority = int(*p);
    }
    if (cli.isSet(QStringLiteral("days-before"))) {
        auto d = parseInteger(QStringLiteral("--days-before"), cli.value(QStringLiteral("days-before")), 0,
                              3650);
        if (!d)
            return cli.usageError(d.errorMessage());
        type.daysBeforeEvent = int(*d);
    }
    type.targetAllContacts = cli.isSet(QStringLiteral("all-contacts"));
    type.respectExclusionWindows = !cli.isSet(QStringLiteral("ignore-windows"));
    type.enableFollowups = cli.isSet(QStringLiteral("followups"));
    type.spreadEvenly = cli.isSet(QStringLiteral("spread"));
    type.skipFailedUnderwriting = cli.isSet(QStringLiteral("skip-failed-underwriting"));
    type.active = !cli.isSet(QStringLiteral("inactive"));
    int code = Success;
    auto db = openForWriting(cli.value(QStringLiteral("db")), code);
    if (!db)
        return code;
    CampaignStore store(*db);
    auto id = store.addType(type);
    if (!id)
        return storeError(cli, id.error());
    printLine(QString::number(*id));
    return Success;
}

int addCommand(const QStringList &args)
{
    CommandLine cli(
        QStringLiteral("campaign add"),
        QStringLiteral("campaign add --db PATH --type NAME --name TEXT [--start D] [--end D] "
                       "[--spread-start D] [--spread-end D] [--states LIST] [--carriers LIST]"),
        tr("Adds a campaign instance (one occurrence of a type, with its dates and targeting) and "
           "prints its id. Dates are YYYY-MM-DD; an empty start or end is an open bound. States "
           "are codes separated by commas or spaces (or ALL); carriers are separated by commas."));
    cli.addDatabaseOption();
    cli.addOption(QCommandLineOption(QStringLiteral("type"), tr("The campaign type's name."), tr("NAME")));
    cli.addOption(QCommandLineOption(QStringLiteral("name"),
                                     tr("The instance's name, e.g. \"Rate increase 2025\"."), tr("TEXT")));
    cli.addOption(QCommandLineOption(QStringLiteral("start"), tr("First day it is live."), tr("D")));
    cli.addOption(QCommandLineOption(QStringLiteral("end"), tr("Last day it is live."), tr("D")));
    cli.addOption(
        QCommandLineOption(QStringLiteral("spread-start"), tr("First day of the spread."), tr("D")));
    cli.addOption(QCommandLineOption(QStringLiteral("spread-end"), tr("Last day of the spread."), tr("D")));
    cli.addOption(
        QCommandLineOption(QStringLiteral("states"), tr("Only contacts in these states."), tr("LIST")));
    cli.addOption(
        QCommandLineOption(QStringLiteral("carriers"), tr("Only contacts with these carriers."), tr("LIST")));
    if (const auto stop = cli.parse(args))
        return *stop;
    for (const char *name : { "db", "type", "name" }) {
        if (!cli.required(QLatin1StringView(name)))
            return UsageError;
    }
    CampaignInstanceRow instance;
    instance.campaignType = cli.value(QStringLiteral("type"));
    instance.instanceName = cli.value(QStringLiteral("name"));
    const std::pair<const char *, QString CampaignInstanceRow::*> dates[] = {
        { "start", &CampaignInstanceRow::activeStartDate },
        { "end", &CampaignInstanceRow::activeEndDate },
        { "spread-start", &CampaignInstanceRow::spreadStartDate },
        { "spread-end", &CampaignInstanceRow::spreadEndDate },
    };
    for (const auto &[name, member] : dates) {
        if (!cli.isSet(QLatin1StringView(name)))
            continue;
        auto date = optionDate(cli, QLatin1StringView(name));
        if (!date)
            return cli.usageError(date.errorMessage());
        instance.*member = date->toString(Qt::ISODate);
    }
    instance.targetStates = cli.value(QStringLiteral("states"));
    instance.targetCarriers = cli.value(QStringLiteral("carriers"));
    if (const auto problem = CampaignStore::statesProblem(instance.targetStates))
        return cli.usageError(u"--" + *problem);
    int code = Success;
    auto db = openForWriting(cli.value(QStringLiteral("db")), code);
    if (!db)
        return code;
    CampaignStore store(*db);
    auto id = store.addInstance(instance);
    if (!id)
        return storeError(cli, id.error());
    printLine(QString::number(*id));
    return Success;
}

Result<qint64> instanceId(const CommandLine &cli)
{
    return parseInteger(QStringLiteral("--instance"), cli.value(QStringLiteral("instance")), 1,
                        std::numeric_limits<qint64>::max());
}

int enrollCommand(const QStringList &args)
{
    CommandLine cli(
        QStringLiteral("campaign enroll"),
        QStringLiteral("campaign enroll --db PATH --instance ID --input FILE"),
        tr("Enrols contacts in a campaign instance from a CSV file with a contact_id or email "
           "column and a trigger_date column (headers are matched like contact import's: "
           "\"Contact ID\", \"Email Address\", \"Trigger Date\"...). Rows naming an unknown contact "
           "or an unreadable date are listed on stderr with their line; the others are enrolled "
           "in one transaction. Exit codes: 0 all enrolled, 1 some rows rejected or bad input, "
           "2 database error."));
    cli.addDatabaseOption();
    cli.addOption(
        QCommandLineOption(QStringLiteral("instance"), tr("The campaign instance's id."), tr("ID")));
    cli.addOption(QCommandLineOption(QStringLiteral("input"), tr("The CSV file."), tr("FILE")));
    if (const auto stop = cli.parse(args))
        return *stop;
    for (const char *name : { "db", "instance", "input" }) {
        if (!cli.required(QLatin1StringView(name)))
            return UsageError;
    }
    const auto id = instanceId(cli);
    if (!id)
        return cli.usageError(id.errorMessage());
    EnrolmentImport::Settings settings;
    settings.csvPath = cli.value(QStringLiteral("input"));
    settings.instanceId = *id;
    const auto header = readInputHeader(settings.csvPath, settings.dialect);
    if (!header)
        return UsageError;
    settings.mapping = EnrolmentImport::Mapping::guess(*header);
    if (settings.mapping.contactId < 0 && settings.mapping.email < 0)
        return cli.usageError(tr("--input: %1 has no contact_id or email column (header: %2)")
                                  .arg(QDir::toNativeSeparators(settings.csvPath), header->join(u',')));
    int code = Success;
    auto db = openForWriting(cli.value(QStringLiteral("db")), code);
    if (!db)
        return code;
    auto report = EnrolmentImport::run(*db, settings);
    if (!report)
        return importError(cli, report.error());
    printRejected(settings.csvPath, report->failures);
    printLine(tr("rows %1, enrolled %2, rejected %3")
                  .arg(report->rows)
                  .arg(report->enrolled)
                  .arg(report->failures.size()));
    return report->failures.isEmpty() ? Success : UsageError;
}

int endCommand(const QStringList &args)
{
    CommandLine cli(QStringLiteral("campaign end"),
                    QStringLiteral("campaign end --db PATH --instance ID [--on D]"),
                    tr("Ends a campaign instance: sets its last live day (default: yesterday, so it sends "
                       "nothing from today on)."));
    cli.addDatabaseOption();
    cli.addOption(
        QCommandLineOption(QStringLiteral("instance"), tr("The campaign instance's id."), tr("ID")));
    cli.addOption(QCommandLineOption(QStringLiteral("on"), tr("The last live day (YYYY-MM-DD)."), tr("D")));
    if (const auto stop = cli.parse(args))
        return *stop;
    for (const char *name : { "db", "instance" }) {
        if (!cli.required(QLatin1StringView(name)))
            return UsageError;
    }
    const auto id = instanceId(cli);
    if (!id)
        return cli.usageError(id.errorMessage());
    QDate on;
    if (cli.isSet(QStringLiteral("on"))) {
        auto date = optionDate(cli, QStringLiteral("on"));
        if (!date)
            return cli.usageError(date.errorMessage());
        on = *date;
    } else {
        const Result<QDate> today = resolveToday(QString(), Config());
        if (!today)
            return cli.usageError(today.errorMessage());
        on = today->addDays(-1);
    }
    int code = Success;
    auto db = openForWriting(cli.value(QStringLiteral("db")), code);
    if (!db)
        return code;
    CampaignStore store(*db);
    if (auto ended = store.endInstance(*id, on); !ended)
        return storeError(cli, ended.error());
    printLine(tr("instance %1 ends on %2").arg(*id).arg(on.toString(Qt::ISODate)));
    return Success;
}

} // namespace

int campaignCommand(const QStringList &args)
{
    struct Sub
    {
        const char *name;
        int (*run)(const QStringList &);
    };
    static constexpr Sub subs[] = {
        { "list", &listCommand },     { "add-type", &addTypeCommand }, { "add", &addCommand },
        { "enroll", &enrollCommand }, { "enrol", &enrollCommand },     { "end", &endCommand },
    };
    const QString help = tr("Usage: %1 %2\n\nManages campaign types and instances (SPEC section 12). Run '%1 "
                            "campaign SUBCOMMAND --help' for the options of each.\n")
                             .arg(QLatin1StringView(ProgramName), kSynopsis);
    if (args.isEmpty()) {
        printError(
            tr("campaign: a subcommand is required: list, add-type, add, enroll or end (see %1 campaign "
               "--help)")
                .arg(QLatin1StringView(ProgramName)));
        return UsageError;
    }
    if (args.front() == u"--help" || args.front() == u"-h") {
        std::fputs(help.toUtf8().constData(), stdout);
        std::fflush(stdout);
        return Success;
    }
    for (const Sub &sub : subs) {
        if (args.front() == QLatin1StringView(sub.name))
            return sub.run(args.mid(1));
    }
    printError(
        tr("campaign: unknown subcommand '%1'; use list, add-type, add, enroll or end (see %2 campaign "
           "--help)")
            .arg(args.front(), QLatin1StringView(ProgramName)));
    return UsageError;
}

} // namespace Cli
