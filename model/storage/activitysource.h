#pragma once

#include "campaign.h"
#include "result.h"

#include <QString>

#include <memory>
#include <optional>
#include <vector>

class OrgDatabase;

// What a run reads once, before any contact: every campaign type and instance, and the
// do-not-email list (SPEC sections 12 and 14).
struct RunInputs
{
    CampaignCatalog catalog;
    std::vector<SuppressionEntry> suppressions;
};

// Reads the inputs of SPEC sections 12-14 from an organisation database as production has them.
// A missing table or column reads as empty (columns with a default in the SPEC read as that
// default); nothing is ever created, so read-only databases work. Only the rows the rules need
// are read: `eligibility_answered` events, and the send statuses that suppress (bounced,
// dropped).
namespace ActivitySource {

Result<CampaignCatalog> readCatalog(const OrgDatabase &db);
Result<std::vector<SuppressionEntry>> readSuppressions(const OrgDatabase &db);
// Only the entries whose trimmed email equals `email` trimmed, case-insensitively (ASCII), for
// one contact's preview.
Result<std::vector<SuppressionEntry>> readSuppressions(const OrgDatabase &db, const QString &email);
Result<RunInputs> readRunInputs(const OrgDatabase &db);

// The send statuses of `email_send_tracking` read for a contact (SPEC 14: suppress_bounced).
bool isSuppressingSendStatus(QStringView status);

// The columns each backend selects, in this order (NULL for a missing column), and the rows
// made of them. `Row` is anything with isNull(i), int64(i) and text(i) (an SQLite Statement, a
// PostgreSQL COPY row): numbers and flags as integers (NULL: the SPEC default, non-zero: set),
// everything else as text.
inline constexpr const char *CampaignTypeColumns[] = { "id",
                                                       "name",
                                                       "respect_exclusion_windows",
                                                       "enable_followups",
                                                       "days_before_event",
                                                       "target_all_contacts",
                                                       "priority",
                                                       "active",
                                                       "spread_evenly",
                                                       "skip_failed_underwriting" };
inline constexpr const char *CampaignInstanceColumns[] = { "id",
                                                           "campaign_type",
                                                           "instance_name",
                                                           "active_start_date",
                                                           "active_end_date",
                                                           "spread_start_date",
                                                           "spread_end_date",
                                                           "target_states",
                                                           "target_carriers",
                                                           "metadata" };
inline constexpr const char *SuppressionColumns[]
    = { "id", "email", "reason", "note", "created_at", "created_by" };
// Activity scans: column 0 is the contact id.
inline constexpr const char *EnrolmentColumns[]
    = { "contact_id", "id", "campaign_instance_id", "trigger_date", "status" };
inline constexpr const char *EventColumns[] = { "contact_id", "id", "event_type", "created_at", "metadata" };

template<typename Row> qint64 intOr(const Row &row, int column, qint64 fallback)
{
    return row.isNull(column) ? fallback : row.int64(column);
}

template<typename Row> bool flagOr(const Row &row, int column, bool fallback)
{
    return row.isNull(column) ? fallback : row.int64(column) != 0;
}

template<typename Row> CampaignTypeRow campaignTypeRow(const Row &s)
{
    const CampaignTypeRow defaults;
    CampaignTypeRow row;
    row.id = intOr(s, 0, 0);
    row.name = s.text(1);
    row.respectExclusionWindows = flagOr(s, 2, defaults.respectExclusionWindows);
    row.enableFollowups = flagOr(s, 3, defaults.enableFollowups);
    row.daysBeforeEvent = int(intOr(s, 4, defaults.daysBeforeEvent));
    row.targetAllContacts = flagOr(s, 5, defaults.targetAllContacts);
    row.priority = int(intOr(s, 6, defaults.priority));
    row.active = flagOr(s, 7, defaults.active);
    row.spreadEvenly = flagOr(s, 8, defaults.spreadEvenly);
    row.skipFailedUnderwriting = flagOr(s, 9, defaults.skipFailedUnderwriting);
    return row;
}

template<typename Row> CampaignInstanceRow campaignInstanceRow(const Row &s)
{
    CampaignInstanceRow row;
    row.id = intOr(s, 0, 0);
    row.campaignType = s.text(1);
    row.instanceName = s.text(2);
    row.activeStartDate = s.text(3);
    row.activeEndDate = s.text(4);
    row.spreadStartDate = s.text(5);
    row.spreadEndDate = s.text(6);
    row.targetStates = s.text(7);
    row.targetCarriers = s.text(8);
    row.metadata = s.text(9);
    return row;
}

// Empty when the row names nobody (a NULL email).
template<typename Row> std::optional<SuppressionEntry> suppressionEntry(const Row &s)
{
    if (s.isNull(1))
        return std::nullopt;
    SuppressionEntry entry;
    entry.id = intOr(s, 0, 0);
    entry.email = s.text(1);
    entry.reason = s.text(2);
    entry.note = s.text(3);
    entry.createdAt = s.text(4);
    entry.createdBy = s.text(5);
    return entry;
}

template<typename Row> EnrolmentRow enrolmentRow(const Row &s)
{
    return { intOr(s, 1, 0), intOr(s, 2, 0), s.text(3), s.text(4) };
}

template<typename Row> ContactEventRow eventRow(const Row &s)
{
    return { intOr(s, 1, 0), s.text(2), s.text(3), s.text(4) };
}

} // namespace ActivitySource

// Streams the activity of contacts (enrolments, eligibility events, clicks, suppressing send
// statuses) in ascending contact id order, merged by contact id from one ordered scan per table
// over an id range: no query per contact, and a contact without activity costs one comparison
// per table. Bound to one OrgDatabase (one per thread) and one range; move-only.
class ActivityCursor
{
public:
    // A cursor over contact ids [firstId, lastId]; seek() must then be called with ascending ids.
    static Result<ActivityCursor> openRange(const OrgDatabase &db, qint64 firstId, qint64 lastId);
    // A cursor for scattered ids (an explicit contact list): each seek() reads only that id.
    static Result<ActivityCursor> openPoints(const OrgDatabase &db);

    ActivityCursor(ActivityCursor &&) noexcept;
    ActivityCursor &operator=(ActivityCursor &&) noexcept;
    ~ActivityCursor();

    // The activity of `contactId`; its spans stay valid until the next seek() or the cursor's end.
    // Range cursors: ids must ascend (rows of skipped ids are passed over).
    Result<ContactActivity> seek(qint64 contactId);

    struct Tables; // the prepared scans (private)

private:
    explicit ActivityCursor(std::unique_ptr<Tables> tables);
    std::unique_ptr<Tables> m_tables;
};

// One contact's activity with owned storage (single-contact preview).
struct ContactActivityData
{
    std::vector<EnrolmentRow> enrolments;
    std::vector<ContactEventRow> events;
    std::vector<QString> clickDates;
    std::vector<QString> sendStatuses;

    ContactActivity view() const { return { enrolments, events, clickDates, sendStatuses }; }
    static ContactActivityData copyOf(const ContactActivity &activity);
};
