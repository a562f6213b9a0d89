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
