#pragma once

#include "config.h"
#include "result.h"

#include <QCommandLineOption>
#include <QCommandLineParser>
#include <QDate>
#include <QList>
#include <QString>
#include <QStringList>

#include <atomic>
#include <optional>
#include <vector>

struct BatchOptions;

// Helpers shared by the commands of email-scheduler-cli: one way to parse options, print
// errors, read the common values and map errors to exit codes (SPEC section 11).
namespace Cli {

inline constexpr char ProgramName[] = "email-scheduler-cli";

// Translation of a user-visible text of the command line program (context "Cli").
QString tr(const char *text);

// "email-scheduler-cli: error: <message>" on stderr, as one line.
void printError(const QString &message);
// Text on stdout, flushed (a newline is appended when missing).
void printLine(const QString &text);

// The option parser of one command: --help, unknown options, missing values and stray
// arguments are handled alike for every command.
class CommandLine
{
public:
    CommandLine(const QString &command, const QString &synopsis, const QString &description);

    void addOption(const QCommandLineOption &option);
    // The options every compute command shares.
    void addDatabaseOption();
    void addTodayOption();
    void addConfigOption();
    void addJobsOption();

    // Parses the arguments after the command name. Returns an exit code when the command must
    // stop here (0 after printing --help, 1 after printing a usage error), nothing otherwise.
    std::optional<int> parse(const QStringList &arguments);

    bool isSet(const QString &name) const { return m_parser.isSet(name); }
    QString value(const QString &name) const { return m_parser.value(name); }
    QStringList values(const QString &name) const { return m_parser.values(name); }

    // Prints "<command>: <message> (see email-scheduler-cli <command> --help)"; returns 1.
    int usageError(const QString &message) const;
    // The value of a required option, or a usage error naming it.
    std::optional<QString> required(const QString &name) const;

    QString helpText() const;

private:
    QString m_command;
    QString m_synopsis;
    QString m_description;
    QCommandLineParser m_parser;
    QList<QCommandLineOption> m_options;
};

// The configuration file named by --config (defaults when `path` is empty). Errors name the
// file and the key.
Result<Config> loadConfig(const QString &path);

// --today: YYYY-MM-DD, a real date. Empty: the current date in the configuration's time zone.
Result<QDate> resolveToday(const QString &text, const Config &config);

// --jobs: 1..256; empty: 0 (one thread per core).
Result<int> parseJobs(const QString &text);

// A whole number in [minimum, maximum]; the error names the option.
Result<qint64> parseInteger(const QString &option, const QString &text, qint64 minimum, qint64 maximum);

// --contact values (repeatable, each also "12,13"): ascending, without duplicates.
Result<std::vector<qint64>> parseContactIds(const QStringList &values);

// The inputs every compute command reads: --db, --config, --today, --jobs.
struct ComputeInputs
{
    QString databasePath;
    Config config;
    QDate today;
    int jobs = 0;
};

// Reads and checks the shared inputs in a fixed order (usage, configuration, date). Returns the
// exit code when the command must stop (the error is printed).
std::optional<int> readComputeInputs(const CommandLine &cli, ComputeInputs &inputs);

// The exit code of an error, by its layer's kind (SPEC section 11): 1 for a bad CSV file or an
// existing demo file, 3 for a cancel, 2 for every database error. The only place kinds become
// numbers.
int exitCodeFor(const Error &error);

// Opens the database once to fail fast with the classified error (missing, not a database,
// read-only, ...) before any thread starts. Returns the exit code when the command must stop
// (the error is printed).
std::optional<int> checkDatabase(const QString &path, bool forWriting);

// The batch options of the shared compute inputs.
::BatchOptions batchOptions(const ComputeInputs &inputs);

// Makes SIGINT and SIGTERM raise the CancelOnSignal flag instead of killing the process, so
// a long command can stop cleanly (the database stays unchanged) and exit with 3; a second
// signal kills the process as usual. The CLI's main() calls it first thing, so a signal that
// arrives while the arguments, configuration or database are still being looked at counts too.
void installSignalHandlers();

// The cancel flag raised by the handlers of installSignalHandlers(); a command creates one to
// mark that it polls the flag (kept for readability; the handlers are process-wide).
class CancelOnSignal
{
public:
    CancelOnSignal();
    ~CancelOnSignal();
    CancelOnSignal(const CancelOnSignal &) = delete;
    CancelOnSignal &operator=(const CancelOnSignal &) = delete;

    static bool isCancelled();
    // The flag itself, for code that takes an std::atomic_bool (DemoGenerator).
    static const std::atomic_bool *flag();
};

} // namespace Cli
