#include "csv/previewcsv.h"

#include "campaignrun.h"
#include "csv/csvwriter.h"
#include "datetext.h"
#include "explain.h"

#include <algorithm>
#include <array>
#include <limits>
#include <string_view>
#include <vector>

namespace {

constexpr int kReasonCount = int(SkipReason::CampaignConflict) + 1;
constexpr int kProblemCount = int(ProblemCode::ProcessingError) + 1;

// The machine names of the output, converted to UTF-8 once instead of once per row; campaign
// emails by their run's written names ("campaign_rate_increase").
class Names
{
public:
    explicit Names(const CampaignRun *campaigns)
    {
        for (int i = 0; i < EmailTypeCount; ++i)
            m_types[std::size_t(i)] = emailTypeName(EmailType(i)).toUtf8();
        for (int i = 0; i < 2; ++i)
            m_statuses[std::size_t(i)] = emailStatusName(EmailStatus(i)).toUtf8();
        for (int i = 0; i < kReasonCount; ++i)
            m_reasons[std::size_t(i)] = skipReasonCode(SkipReason(i)).toUtf8();
        for (int i = 0; i < kProblemCount; ++i)
            m_problems[std::size_t(i)] = problemCodeName(ProblemCode(i)).toUtf8();
        for (int i = 0; i < 2; ++i)
            m_severities[std::size_t(i)] = severityName(Severity(i)).toUtf8();
        if (campaigns) {
            for (const LiveCampaign &campaign : campaigns->live())
                m_campaigns.push_back(campaign.emailType.toUtf8());
        }
    }
    QByteArrayView type(const ScheduledEmail &email) const
    {
        if (email.type == EmailType::Campaign && email.campaign < m_campaigns.size())
            return m_campaigns[email.campaign];
        return m_types.at(std::size_t(email.type));
    }
    QByteArrayView status(EmailStatus s) const { return m_statuses.at(std::size_t(s)); }
    QByteArrayView reason(SkipReason r) const { return m_reasons.at(std::size_t(r)); }
    QByteArrayView problem(ProblemCode c) const { return m_problems.at(std::size_t(c)); }
    QByteArrayView severity(Severity s) const { return m_severities.at(std::size_t(s)); }

private:
    std::array<QByteArray, EmailTypeCount> m_types;
    std::array<QByteArray, 2> m_statuses;
    std::array<QByteArray, kReasonCount> m_reasons;
    std::array<QByteArray, kProblemCount> m_problems;
    std::array<QByteArray, 2> m_severities;
    std::vector<QByteArray> m_campaigns; // by CampaignRun index
};

// One output row before sorting; problem and suppressed rows have an invalid date and an empty type.
struct Row
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

bool rowLess(const Row &a, const Row &b)
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

constexpr QByteArrayView kSuppressed("suppressed");

} // namespace

namespace PreviewCsv {

QStringList header()
{
    return { QStringLiteral("contact_id"),          QStringLiteral("email_type"),
             QStringLiteral("scheduled_send_date"), QStringLiteral("status"),
             QStringLiteral("reason_code"),         QStringLiteral("detail") };
}

Outcome write(CsvWriter &writer, const BatchResult &batch,
              const std::function<bool(qint64 done, qint64 total)> &keepGoing)
{
    if (!writer.writeHeader(header()))
        return Outcome::Failed;

    // The batch is in ascending contact order; sort a list of pointers only if it is not.
    std::vector<const ContactSchedule *> order;
    order.reserve(batch.schedules.size());
    for (const ContactSchedule &schedule : batch.schedules)
        order.push_back(&schedule);
    const auto byId
        = [](const ContactSchedule *a, const ContactSchedule *b) { return a->contactId < b->contactId; };
    if (!std::is_sorted(order.begin(), order.end(), byId))
        std::stable_sort(order.begin(), order.end(), byId);

    const Names names(batch.campaigns.get());
    std::vector<Row> rows;
    std::array<char, DateText::Length> dateBuffer {};
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
        if (!writer.writeRow(fields))
            return Outcome::Failed;
    }
    const qint64 total = qint64(order.size());
    qint64 done = 0;
    for (const ContactSchedule *schedule : order) {
        if ((++done & 0x3ff) == 0 && keepGoing && !keepGoing(done, total))
            return Outcome::Cancelled;
        rows.clear();
        for (const Problem &problem : schedule->problems)
            rows.push_back({ QDate(),
                             {},
                             names.severity(problem.severity),
                             names.problem(problem.code),
                             problem.message.toUtf8() });
        if (schedule->isSuppressed())
            rows.push_back(
                { QDate(), {}, kSuppressed, kSuppressed, Explain::suppressionDetail(*schedule).toUtf8() });
        for (const ScheduledEmail &email : schedule->emails)
            rows.push_back({ email.date, names.type(email), names.status(email.status),
                             names.reason(email.reason),
                             Explain::detail(*schedule, email, batch.campaigns.get()).toUtf8() });
        std::sort(rows.begin(), rows.end(), rowLess);
        const QByteArray id = QByteArray::number(schedule->contactId);
        for (const Row &row : rows) {
            const std::array<QByteArrayView, 6> fields
                = { id, row.type, isoDate(row.date, dateBuffer), row.status, row.reason, row.detail };
            if (!writer.writeRow(fields))
                return Outcome::Failed;
        }
    }
    return writer.flush() ? Outcome::Written : Outcome::Failed;
}

} // namespace PreviewCsv
