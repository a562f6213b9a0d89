#include "cli/clioptions.h"
#include "cli/commands.h"

#include "batch/batchjob.h"
#include "csv/csvexport.h"
#include "csv/csvwriter.h"
#include "datetext.h"
#include "explain.h"
#include "storage/orgdatabase.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QSaveFile>

#include <algorithm>
#include <array>
#include <cstdio>
#include <string_view>
#include <unordered_set>

using Cli::tr;

namespace {

// The machine names of the output, converted to UTF-8 once instead of once per row.
class Names
{
public:
    Names()
    {
        for (int i = 0; i < EmailTypeCount; ++i)
            m_types[std::size_t(i)] = emailTypeName(EmailType(i)).toUtf8();
        for (int i = 0; i < 2; ++i)
            m_statuses[std::size_t(i)] = emailStatusName(EmailStatus(i)).toUtf8();
        for (int i = 0; i <= int(SkipReason::CampaignConflict); ++i)
            m_reasons[std::size_t(i)] = skipReasonCode(SkipReason(i)).toUtf8();
        for (int i = 0; i <= int(ProblemCode::ProcessingError); ++i)
            m_problems[std::size_t(i)] = problemCodeName(ProblemCode(i)).toUtf8();
        for (int i = 0; i < 2; ++i)
            m_severities[std::size_t(i)] = severityName(Severity(i)).toUtf8();
    }
    QByteArrayView type(EmailType t) const { return m_types.at(std::size_t(t)); }
    QByteArrayView status(EmailStatus s) const { return m_statuses.at(std::size_t(s)); }
    QByteArrayView reason(SkipReason r) const { return m_reasons.at(std::size_t(r)); }
    QByteArrayView problem(ProblemCode c) const { return m_problems.at(std::size_t(c)); }
    QByteArrayView severity(Severity s) const { return m_severities.at(std::size_t(s)); }

private:
    std::array<QByteArray, EmailTypeCount> m_types;
    std::array<QByteArray, 2> m_statuses;
    std::array<QByteArray, int(SkipReason::CampaignConflict) + 1> m_reasons;
    std::array<QByteArray, int(ProblemCode::ProcessingError) + 1> m_problems;
    std::array<QByteArray, 2> m_severities;
};

// One output row before sorting; problem rows have an invalid date and an empty type.
struct PreviewRow
{
    QDate date;
    QByteArrayView type;
    QByteArrayView status;
    QByteArrayView reason;
    QByteArray detail;
};

int compareBytes(QByteArrayView a, QByteArrayView b)
{
    return std::string_view(a.data(), std::size_t(a.size()))
        .compare(std::string_view(b.data(), std::size_t(b.size())));
}

bool rowLess(const PreviewRow &a, const PreviewRow &b)
{
    // SPEC 11: date (empty first), then email_type, then reason_code; status and detail only
    // make the order total, so equal inputs always give equal bytes.
    const qint64 da = a.date.isValid() ? a.date.toJulianDay() : std::numeric_limits<qint64>::min();
    const qint64 db = b.date.isValid() ? b.date.toJulianDay() : std::numeric_limits<qint64>::min();
    if (da != db)
        return da < db;
    if (const int c = compareBytes(a.type, b.type); c != 0)
        return c < 0;
    if (const int c = compareBytes(a.reason, b.reason); c != 0)
        return c < 0;
    if (const int c = compareBytes(a.status, b.status); c != 0)
        return c < 0;
    return compareBytes(a.detail, b.detail) < 0;
}

// "YYYY-MM-DD" without going through QString; empty for an invalid date.
QByteArrayView isoDate(QDate date, std::array<char, DateText::Length> &buffer)
{
    return DateText::write(date, buffer.data()) ? QByteArrayView(buffer.data(), DateText::Length)
                                                : QByteArrayView();
}

enum class WriteOutcome { Written, Failed, Cancelled };

// Streams the rows of every schedule, contact by contact: only one contact's rows are held.
// On failure `error` says what went wrong.
WriteOutcome writePreview(QIODevice *device, const BatchResult &batch, QString &error)
{
    CsvWriter writer(device, CsvOptions());
    if (!writer.writeHeader({ QStringLiteral("contact_id"), QStringLiteral("email_type"),
                              QStringLiteral("scheduled_send_date"), QStringLiteral("status"),
                              QStringLiteral("reason_code"), QStringLiteral("detail") })) {
        error = writer.errorString();
        return WriteOutcome::Failed;
    }

    // The batch is in ascending contact order; sort a list of pointers only if it is not.
    std::vector<const ContactSchedule *> order;
    order.reserve(batch.schedules.size());
    for (const ContactSchedule &schedule : batch.schedules)
        order.push_back(&schedule);
    if (!std::is_sorted(order.begin(), order.end(),
                        [](auto *a, auto *b) { return a->contactId < b->contactId; }))
        std::stable_sort(order.begin(), order.end(),
                         [](auto *a, auto *b) { return a->contactId < b->contactId; });

    const Names names;
    std::vector<PreviewRow> rows;
    std::array<char, DateText::Length> dateBuffer {};
    qint64 written = 0;
    // Rows without a whole-number id have no contact_id to print: they come first, with an
    // empty contact_id; the detail names the row and its id.
    for (const InvalidContactRow &invalid : batch.invalidRows) {
        const QByteArray detail = invalid.problem.message.toUtf8();
        const std::array<QByteArrayView, 6> fields = { QByteArrayView(),
                                                       {},
                                                       {},
                                                       names.severity(invalid.problem.severity),
                                                       names.problem(invalid.problem.code),
                                                       detail };
        if (!writer.writeRow(fields)) {
            error = writer.errorString();
            return WriteOutcome::Failed;
        }
    }
    for (const ContactSchedule *schedule : order) {
        if ((++written & 0x3ff) == 0 && Cli::CancelOnSignal::isCancelled())
            return WriteOutcome::Cancelled;
        rows.clear();
        for (const Problem &problem : schedule->problems)
            rows.push_back({ QDate(),
                             {},
                             names.severity(problem.severity),
                             names.problem(problem.code),
                             problem.message.toUtf8() });
        for (const ScheduledEmail &email : schedule->emails)
            rows.push_back({ email.date, names.type(email.type), names.status(email.status),
                             names.reason(email.reason), Explain::detail(*schedule, email).toUtf8() });
        std::sort(rows.begin(), rows.end(), rowLess);
        const QByteArray id = QByteArray::number(schedule->contactId);
        for (const PreviewRow &row : rows) {
            const std::array<QByteArrayView, 6> fields
                = { id, row.type, isoDate(row.date, dateBuffer), row.status, row.reason, row.detail };
            if (!writer.writeRow(fields)) {
                error = writer.errorString();
                return WriteOutcome::Failed;
            }
        }
    }
    if (!writer.flush()) {
        error = writer.errorString();
        return WriteOutcome::Failed;
    }
    return WriteOutcome::Written;
}

} // namespace

namespace Cli {

int previewCommand(const QStringList &args)
{
    CommandLine cli(QStringLiteral("preview"),
                    QStringLiteral("preview --db PATH [--today YYYY-MM-DD] [--config FILE] [--contact ID]... "
                                   "[--output FILE] [--jobs N]"),
                    tr("Computes the schedule without writing to the database and prints it as CSV "
                       "(RFC 4180, UTF-8) with the columns contact_id, email_type, scheduled_send_date, "
                       "status, reason_code, detail. Problem rows have an empty type and date, status "
                       "error or warning and the problem code in reason_code. Without --contact the whole "
                       "database is computed as a batch (load balancing applies); with --contact only the "
                       "given contacts, each on its own."));
    cli.addDatabaseOption();
    cli.addTodayOption();
    cli.addConfigOption();
    cli.addOption(QCommandLineOption(QStringLiteral("contact"),
                                     tr("Only this contact id (repeatable, or comma-separated); "
                                        "single-contact semantics, no load balancing."),
                                     tr("ID")));
    cli.addOption(QCommandLineOption(QStringLiteral("output"),
                                     tr("Write the CSV to this file (replaced only when complete) instead of "
                                        "standard output."),
                                     tr("FILE")));
    cli.addJobsOption();
    if (const std::optional<int> exit = cli.parse(args))
        return *exit;

    ComputeInputs inputs;
    if (const std::optional<int> exit = readComputeInputs(cli, inputs))
        return *exit;
    const Result<std::vector<qint64>> ids = parseContactIds(cli.values(QStringLiteral("contact")));
    if (!ids)
        return cli.usageError(ids.errorMessage());
    const QString outputPath = cli.value(QStringLiteral("output"));
    // Refused before the computation, not after it.
    if (cli.isSet(QStringLiteral("output"))) {
        if (const auto refused = CsvExport::checkOutputPath(outputPath, inputs.databasePath)) {
            printError(tr("--output: %1").arg(refused->message));
            return UsageError;
        }
    }

    if (const std::optional<int> exit = checkDatabase(inputs.databasePath, false))
        return *exit;

    const CancelOnSignal cancelOnSignal;
    BatchOptions options = batchOptions(inputs);
    options.contactIds = *ids;
    const Result<BatchResultPtr> batch = BatchJob::run(options, nullptr, &CancelOnSignal::isCancelled);
    if (!batch) {
        printError(batch.errorMessage());
        return exitCodeFor(batch.error());
    }
    if (CancelOnSignal::isCancelled()) {
        printError(tr("preview cancelled; nothing was written"));
        return Cancelled;
    }

    if (!ids->empty()) {
        std::unordered_set<qint64> found;
        for (const ContactSchedule &schedule : (*batch)->schedules)
            found.insert(schedule.contactId);
        QStringList missing;
        for (qint64 id : *ids) {
            if (!found.contains(id))
                missing.append(QString::number(id));
        }
        if (!missing.isEmpty()) {
            printError(
                tr("%1 has no contact with id %2")
                    .arg(QDir::toNativeSeparators(inputs.databasePath), missing.join(QStringLiteral(", "))));
            return UsageError;
        }
    }

    QString error;
    if (outputPath.isEmpty()) {
        QFile out;
        if (!out.open(stdout, QIODevice::WriteOnly)) {
            printError(tr("cannot write to standard output: %1").arg(out.errorString()));
            return UsageError;
        }
        switch (writePreview(&out, **batch, error)) {
        case WriteOutcome::Written:
            return Success;
        case WriteOutcome::Cancelled:
            printError(tr("preview cancelled; the output is incomplete"));
            return Cancelled;
        case WriteOutcome::Failed:
            printError(tr("cannot write to standard output: %1").arg(error));
            return UsageError;
        }
    }

    QSaveFile file(outputPath);
    const QString shown = QDir::toNativeSeparators(outputPath);
    if (!file.open(QIODevice::WriteOnly)) {
        printError(tr("cannot write %1: %2").arg(shown, file.errorString()));
        return UsageError;
    }
    switch (writePreview(&file, **batch, error)) {
    case WriteOutcome::Written:
        break;
    case WriteOutcome::Cancelled:
        file.cancelWriting();
        printError(tr("preview cancelled; %1 was not changed").arg(shown));
        return Cancelled;
    case WriteOutcome::Failed:
        file.cancelWriting();
        printError(tr("cannot write %1: %2").arg(shown, error));
        return UsageError;
    }
    if (!file.commit()) {
        printError(tr("cannot write %1: %2").arg(shown, file.errorString()));
        return UsageError;
    }
    return Success;
}

} // namespace Cli
