#include "cli/clioptions.h"
#include "cli/commands.h"

#include "batch/batchjob.h"
#include "csv/csvexport.h"
#include "storage/demogenerator.h"
#include "storage/orgdatabase.h"
#include "storage/pg/pgconnection.h"
#include "storage/pg/pgschema.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QRegularExpression>
#include <QTimeZone>

#include <algorithm>
#include <csignal>
#include <cstdio>

using Cli::tr;

namespace {

std::atomic_bool g_cancelled { false };
static_assert(std::atomic_bool::is_always_lock_free, "the signal handler needs a lock-free flag");

extern "C" void onCancelSignal(int)
{
    g_cancelled.store(true, std::memory_order_relaxed);
}

void writeTo(FILE *stream, const QString &text)
{
    QByteArray bytes = text.toUtf8();
    if (!bytes.endsWith('\n'))
        bytes.append('\n');
    std::fwrite(bytes.constData(), 1, std::size_t(bytes.size()), stream);
    std::fflush(stream);
}

} // namespace

namespace Cli {

void printError(const QString &message)
{
    // One line, even when a lower layer's message carries a newline.
    QString line = message.simplified();
    writeTo(stderr, QLatin1StringView(ProgramName) + QLatin1StringView(": error: ") + line);
}

void printLine(const QString &text)
{
    writeTo(stdout, text);
}

CommandLine::CommandLine(const QString &command, const QString &synopsis, const QString &description)
    : m_command(command), m_synopsis(synopsis), m_description(description)
{
    m_parser.setSingleDashWordOptionMode(QCommandLineParser::ParseAsLongOptions);
    m_parser.setOptionsAfterPositionalArgumentsMode(QCommandLineParser::ParseAsOptions);
    addOption(
        QCommandLineOption({ QStringLiteral("h"), QStringLiteral("help") }, tr("Show this help and exit.")));
}

void CommandLine::addOption(const QCommandLineOption &option)
{
    m_parser.addOption(option);
    m_options.append(option);
}

void CommandLine::addDatabaseOption()
{
    addOption(QCommandLineOption(QStringLiteral("db"),
                                 tr("The organisation database: an SQLite file, or a PostgreSQL server as "
                                    "postgresql://user@host:port/dbname or \"host=... dbname=...\" (missing "
                                    "parts from the PG* environment variables, the password from ~/.pgpass "
                                    "or PGPASSWORD)."),
                                 tr("PATH|URI")));
}

void CommandLine::addTodayOption()
{
    addOption(QCommandLineOption(QStringLiteral("today"),
                                 tr("Compute as of this date (default: the current date in the "
                                    "configuration's time zone)."),
                                 tr("YYYY-MM-DD")));
}

void CommandLine::addConfigOption()
{
    addOption(QCommandLineOption(QStringLiteral("config"),
                                 tr("JSON configuration file (SPEC section 10); unknown keys are errors."),
                                 tr("FILE")));
}

void CommandLine::addJobsOption()
{
    addOption(
        QCommandLineOption(QStringLiteral("jobs"), tr("Worker threads (default: one per core)."), tr("N")));
}

std::optional<int> CommandLine::parse(const QStringList &arguments)
{
    if (!m_parser.parse(QStringList { QLatin1StringView(ProgramName) + u' ' + m_command } + arguments))
        return usageError(m_parser.errorText());
    if (m_parser.isSet(QStringLiteral("help"))) {
        std::fputs(helpText().toUtf8().constData(), stdout);
        std::fflush(stdout);
        return 0;
    }
    if (!m_parser.positionalArguments().isEmpty())
        return usageError(tr("unexpected argument '%1'").arg(m_parser.positionalArguments().constFirst()));
    return std::nullopt;
}

int CommandLine::usageError(const QString &message) const
{
    printError(tr("%1: %2 (see %3 %1 --help)").arg(m_command, message, QLatin1StringView(ProgramName)));
    return 1;
}

std::optional<QString> CommandLine::required(const QString &name) const
{
    const QString value = m_parser.value(name);
    if (value.isEmpty()) {
        usageError(tr("--%1 is required").arg(name));
        return std::nullopt;
    }
    return value;
}

QString CommandLine::helpText() const
{
    QString text = tr("Usage: %1 %2\n\n%3\n\nOptions:\n")
                       .arg(QLatin1StringView(ProgramName), m_synopsis, m_description);
    QList<QPair<QString, QString>> rows;
    qsizetype width = 0;
    for (const QCommandLineOption &option : m_options) {
        QStringList names;
        for (const QString &name : option.names())
            names.append((name.size() == 1 ? QStringLiteral("-") : QStringLiteral("--")) + name);
        QString left = names.join(QStringLiteral(", "));
        if (!option.valueName().isEmpty())
            left += u' ' + option.valueName();
        width = std::max(width, left.size());
        rows.append({ left, option.description() });
    }
    for (const auto &[left, description] : std::as_const(rows))
        text += QStringLiteral("  ") + left.leftJustified(width + 2) + description + u'\n';
    text += tr("\nExit codes: 0 success, 1 usage or configuration error, 2 database error, 3 cancelled.\n");
    return text;
}

Result<Config> loadConfig(const QString &path)
{
    if (path.isEmpty())
        return Config();
    return Config::fromFile(path);
}

Result<QDate> resolveToday(const QString &text, const Config &config)
{
    if (text.isEmpty()) {
        const QTimeZone zone(config.timezone.toUtf8());
        if (!zone.isValid())
            return Error { tr("unknown time zone '%1' in the configuration").arg(config.timezone) };
        return currentDate(config);
    }
    static const QRegularExpression iso(QStringLiteral("^\\d{4}-\\d{2}-\\d{2}$"));
    const QDate date = iso.match(text).hasMatch() ? QDate::fromString(text, Qt::ISODate) : QDate();
    if (!date.isValid())
        return Error { tr("--today must be a real date written YYYY-MM-DD, not '%1'").arg(text) };
    return date;
}

Result<qint64> parseInteger(const QString &option, const QString &text, qint64 minimum, qint64 maximum)
{
    bool ok = false;
    const qint64 value = text.trimmed().toLongLong(&ok);
    if (!ok || value < minimum || value > maximum)
        return Error { tr("--%1 must be a whole number from %2 to %3, not '%4'")
                           .arg(option, QString::number(minimum), QString::number(maximum), text) };
    return value;
}

Result<int> parseJobs(const QString &text)
{
    if (text.isEmpty())
        return 0;
    Result<qint64> jobs = parseInteger(QStringLiteral("jobs"), text, 1, 256);
    if (!jobs)
        return jobs.error();
    return int(*jobs);
}

Result<std::vector<qint64>> parseContactIds(const QStringList &values)
{
    std::vector<qint64> ids;
    for (const QString &value : values) {
        for (const QString &part : value.split(u',')) {
            Result<qint64> id
                = parseInteger(QStringLiteral("contact"), part, 1, std::numeric_limits<qint64>::max());
            if (!id)
                return id.error();
            ids.push_back(*id);
        }
    }
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
    return ids;
}

std::optional<int> readComputeInputs(const CommandLine &cli, ComputeInputs &inputs)
{
    const std::optional<QString> path = cli.required(QStringLiteral("db"));
    if (!path)
        return 1;
    inputs.databasePath = *path;
    const Result<int> jobs = parseJobs(cli.value(QStringLiteral("jobs")));
    if (!jobs)
        return cli.usageError(jobs.errorMessage());
    inputs.jobs = *jobs;
    Result<Config> config = loadConfig(cli.value(QStringLiteral("config")));
    if (!config) {
        printError(config.errorMessage());
        return 1;
    }
    inputs.config = std::move(config).value();
    const Result<QDate> today = resolveToday(cli.value(QStringLiteral("today")), inputs.config);
    if (!today)
        return cli.usageError(today.errorMessage());
    inputs.today = *today;
    return std::nullopt;
}

QString tr(const char *text)
{
    return QCoreApplication::translate("Cli", text);
}

int exitCodeFor(const Error &error)
{
    if (const auto csv = error.kind<CsvErrorKind>()) {
        switch (*csv) {
        case CsvErrorKind::File:
            return UsageError;
        case CsvErrorKind::Database:
            return DatabaseError;
        case CsvErrorKind::Cancelled:
            return Cancelled;
        }
    }
    if (const auto demo = error.kind<DemoGenerator::ErrorKind>()) {
        switch (*demo) {
        case DemoGenerator::ErrorKind::FileExists:
            return UsageError;
        case DemoGenerator::ErrorKind::WriteFailed:
            return DatabaseError;
        case DemoGenerator::ErrorKind::Cancelled:
            return Cancelled;
        }
    }
    // Storage and batch errors (DbErrorKind) and anything without a kind: a database error.
    return error.is(DbErrorKind::Cancelled) ? Cancelled : DatabaseError;
}

std::optional<int> checkDatabase(const QString &path, bool forWriting)
{
    // For writing this also finds a read-only file or folder. Nothing is changed here: missing
    // columns are read as NULL and added by the writer, so a cancelled run leaves the file as
    // it was.
    if (PgSpec::isConnectionSpec(path)) {
        // A server: connects (host, login, database) and finds `contacts`; write access is
        // found at the run's first write, inside its transaction.
        const Result<PgConnection> server = PgSchema::openOrganisation(path);
        if (server)
            return std::nullopt;
        printError(server.errorMessage());
        return exitCodeFor(server.error());
    }
    const Result<OrgDatabase> db
        = OrgDatabase::open(path, forWriting ? OrgDatabase::Mode::ReadWrite : OrgDatabase::Mode::ReadOnly);
    if (db)
        return std::nullopt;
    printError(db.errorMessage());
    return exitCodeFor(db.error());
}

BatchOptions batchOptions(const ComputeInputs &inputs)
{
    BatchOptions options;
    options.databasePath = inputs.databasePath;
    options.today = inputs.today;
    options.config = inputs.config;
    options.jobs = inputs.jobs;
    return options;
}

void installSignalHandlers()
{
    struct sigaction action = {};
    action.sa_handler = onCancelSignal;
    sigemptyset(&action.sa_mask);
    // After the first signal the default comes back, so a second Ctrl+C ends the process at
    // once (SQLite's journal still keeps the database consistent). Interrupted system calls
    // (a read of a slow file) go on; the flag is polled.
    action.sa_flags = SA_RESETHAND | SA_RESTART;
    sigaction(SIGINT, &action, nullptr);
    sigaction(SIGTERM, &action, nullptr);
}

// The handlers stay for the whole process: a signal before a command reaches its work, or
// between two of its phases, still cancels it instead of killing the process.
CancelOnSignal::CancelOnSignal() = default;
CancelOnSignal::~CancelOnSignal() = default;

bool CancelOnSignal::isCancelled()
{
    return g_cancelled.load(std::memory_order_relaxed);
}

const std::atomic_bool *CancelOnSignal::flag()
{
    return &g_cancelled;
}

} // namespace Cli
