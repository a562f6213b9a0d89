#include "batch/schedulediff.h"

#include "storage/orgdatabase.h"
#include "storage/storedschedule.h"

#include <algorithm>

using namespace StoredSchedule;

DiffCounts &DiffCounts::operator+=(const DiffCounts &other)
{
    added += other.added;
    addedSkipped += other.addedSkipped;
    moved += other.moved;
    removed += other.removed;
    changed += other.changed;
    unchanged += other.unchanged;
    return *this;
}

DiffCounts ScheduleDiffSummary::total() const
{
    DiffCounts sum;
    for (const DiffCounts &counts : perType)
        sum += counts;
    return sum;
}

namespace {

// One contact: pairs new emails with stored own rows per type (same date first, then moves).
void diffContact(const ContactSchedule *schedule, std::span<const StoredRow> rows, const CampaignNames &names,
                 ScheduleDiffSummary &summary)
{
    // Nothing stored (every contact of a first run): all emails are added. One pass instead of
    // one per type, as this runs for a million contacts.
    if (rows.empty()) {
        if (schedule) {
            for (const ScheduledEmail &email : schedule->emails) {
                DiffCounts &counts = summary.perType[size_t(email.type)];
                ++counts.added;
                if (email.status == EmailStatus::Skipped)
                    ++counts.addedSkipped;
            }
        }
        return;
    }
    for (const StoredRow &row : rows) {
        if (row.status != StatusKind::Other && row.type < 0)
            ++summary.otherRemoved;
    }
    for (int t = 0; t < EmailTypeCount; ++t) {
        DiffCounts &counts = summary.perType[size_t(t)];
        std::vector<const StoredRow *> stored;
        for (const StoredRow &row : rows) {
            if (row.status != StatusKind::Other && row.type == t)
                stored.push_back(&row);
        }
        // New emails without a stored row on their date, in date order; the first ones pair
        // with the leftover stored rows as moves, the rest are added.
        std::vector<bool> unmatchedSkipped;
        if (schedule) {
            for (const ScheduledEmail &email : schedule->emails) {
                if (int(email.type) != t)
                    continue;
                const qint64 jd = email.date.toJulianDay();
                const qint16 key = names.keyOf(email);
                auto match = std::find_if(stored.begin(), stored.end(), [&](const StoredRow *row) {
                    return row->dateJd == jd
                        && (email.type != EmailType::Campaign || row->campaignKey == key);
                });
                if (match == stored.end()) {
                    unmatchedSkipped.push_back(email.status == EmailStatus::Skipped);
                    continue;
                }
                const StatusKind status
                    = email.status == EmailStatus::Skipped ? StatusKind::Skipped : StatusKind::PreScheduled;
                ++((*match)->status == status ? counts.unchanged : counts.changed);
                stored.erase(match);
            }
        }
        const qint64 unmatchedNew = qint64(unmatchedSkipped.size());
        const qint64 moved = std::min<qint64>(unmatchedNew, qint64(stored.size()));
        counts.moved += moved;
        counts.added += unmatchedNew - moved;
        counts.addedSkipped += std::count(unmatchedSkipped.begin() + moved, unmatchedSkipped.end(), true);
        counts.removed += qint64(stored.size()) - moved;
    }
}

} // namespace

namespace ScheduleDiff {

Result<ScheduleDiffSummary> compute(const BatchResult &batch, const std::function<bool()> &isCanceled)
{
    ScheduleDiffSummary summary;
    auto db = OrgDatabase::open(batch.databasePath, OrgDatabase::Mode::ReadOnly);
    if (!db)
        return db.error();
    const auto &schedules = batch.schedules;
    if (schedules.empty())
        return summary;
    std::size_t next = 0;
    const CampaignNames names(batch.campaigns.get());
    auto flushUpTo = [&](qint64 contactId) {
        while (next < schedules.size() && schedules[next].contactId < contactId)
            diffContact(&schedules[next++], {}, names, summary);
    };
    if (db->hasTable(QStringLiteral("email_schedules"))) {
        auto scanned = scan(*db, schedules.front().contactId, schedules.back().contactId, names,
                            [&](qint64 contactId, std::span<const StoredRow> rows) {
                                flushUpTo(contactId);
                                if (next < schedules.size() && schedules[next].contactId == contactId)
                                    diffContact(&schedules[next++], rows, names, summary);
                                return !(isCanceled && isCanceled());
                            });
        if (!scanned)
            return scanned.error();
    }
    while (next < schedules.size())
        diffContact(&schedules[next++], {}, names, summary);
    return summary;
}

} // namespace ScheduleDiff
