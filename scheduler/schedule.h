#pragma once

#include "compactdate.h"
#include "emailtypes.h"
#include "problem.h"
#include "staterules.h"

#include <QDate>
#include <QList>
#include <QString>

#include <memory>
#include <optional>
#include <vector>

// An exclusion window E_Y of SPEC section 4 (both ends inclusive).
struct ExclusionWindow
{
    CompactDate anchor;         // a_Y
    CompactDate statutoryStart; // a_Y - before
    CompactDate start;          // a_Y - before - lead
    CompactDate end;            // a_Y + after
    StateRule::Kind kind = StateRule::Kind::None;

    bool contains(CompactDate d) const { return d >= start && d <= end; }
    bool isValid() const { return start.isValid(); }
    friend bool operator==(const ExclusionWindow &, const ExclusionWindow &) = default;
};

// One email of a contact's schedule. Compact on purpose (no strings): a batch holds millions;
// readable text is produced on demand by explainEmail().
struct ScheduledEmail
{
    EmailType type = EmailType::Birthday;
    EmailStatus status = EmailStatus::PreScheduled;
    SkipReason reason = SkipReason::None;
    bool catchUp = false;
    EmailType relatedType = EmailType::Birthday; // see relatedDate
    // Campaign emails: the index of its campaign in the run's live-campaign table
    // (CampaignRun::campaign(index): instance id, names, priority). 0 for other types.
    quint16 campaign = 0;
    CompactDate date;         // send date (for skipped emails: the date it would have had)
    CompactDate eventDate;    // anniversary served; aep: the AEP date; post_window: window's anchor
    ExclusionWindow window;   // causing window (skipped by a window) or the window a post_window follows
    CompactDate originalDate; // before load balancing moved it; invalid when not moved
    // The other email behind a skip, for explanations: already_sent -> the history row's date
    // (invalid when that row has no readable date); spacing -> the date and type
    // (relatedType) of the effective_date/aep email it is too close to; failed_underwriting ->
    // the date the contact answered the health questions (invalid when unreadable);
    // campaign_conflict -> the date (the campaign kept that day is the schedule's pre-scheduled
    // campaign email on it). Invalid otherwise.
    CompactDate relatedDate;

    // The "then type" sort key (emailSortKey): orders by written name within one run.
    int sortKey() const { return emailSortKey(type, campaign); }

    friend bool operator==(const ScheduledEmail &, const ScheduledEmail &) = default;
};
static_assert(sizeof(ScheduledEmail) == 44, "a batch holds millions: keep ScheduledEmail small");

// SPEC section 14: why a contact without an error gets no emails at all.
struct SuppressionNote
{
    // The do-not-email list entry's reason as stored ("unsubscribed", "bounced", ...), or
    // "bounced" for a bounced/dropped send in email_send_tracking. A list entry wins over a bounce.
    QString reason;
    QString note;        // the list entry's note (may be empty)
    CompactDate since;   // date of the list entry's created_at; invalid for a bounce or unreadable text
    bool listed = false; // true: on the do-not-email list; false: suppressed by a bounce

    friend bool operator==(const SuppressionNote &, const SuppressionNote &) = default;
};

// SPEC section 13: the email a follow-up follows and what the contact did with it since, so
// explanations can say "Follow-up — clicked the May 20 birthday email, no health answers".
struct FollowupBasis
{
    QString initialType;     // the initial email's type as stored ("birthday", "campaign_rate_increase")
    CompactDate initialDate; // S: its send date
    qint64 initialHistoryId = 0;
    CompactDate answeredDate; // the deciding eligibility_answered event's date (followup_3/4)
    CompactDate clickedDate;  // the latest click dated on or after S (followup_2)

    friend bool operator==(const FollowupBasis &, const FollowupBasis &) = default;
};

// What sections 12-14 found out about one contact beyond its emails. Most contacts have
// nothing to say, so ContactSchedule keeps this behind a pointer that is null for them.
struct ContactNotes
{
    std::optional<SuppressionNote> suppression; // set: suppressed, no emails
    std::optional<FollowupBasis> followup;      // set: the contact has a follow-up email (any status)
    // The date of the latest eligibility answer when it shows failed underwriting (SPEC 12);
    // invalid when the contact has not failed underwriting.
    CompactDate failedUnderwritingDate;
    bool failedUnderwriting = false;

    friend bool operator==(const ContactNotes &, const ContactNotes &) = default;
};

// The result of checks (SPEC section 2): what the rules know about a contact.
struct ContactFacts
{
    qint64 contactId = 0;
    StateCode state;     // invalid when unknown
    QDate birthDate;     // invalid when missing or invalid
    QDate effectiveDate; // invalid when missing or invalid
    QList<Problem> problems;

    bool hasError() const;
};

// Everything the engine decided for one contact.
struct ContactSchedule
{
    qint64 contactId = 0;
    StateCode state;
    QList<Problem> problems;
    std::vector<ScheduledEmail> emails; // sorted by date, then type
    // The limits the engine applied, so explanations can quote them without the Config.
    int spacingDays = 0;
    int frequencyMaxEmails = 0;
    int frequencyPeriodDays = 0;
    // Suppression, follow-up basis, failed underwriting (SPEC 12-14); null when none applies.
    std::shared_ptr<const ContactNotes> notes;

    bool hasError() const;
    // On the do-not-email list or bounced (SPEC 14): no emails, only its warnings.
    bool isSuppressed() const { return notes && notes->suppression.has_value(); }
    const SuppressionNote *suppression() const { return isSuppressed() ? &*notes->suppression : nullptr; }
    const FollowupBasis *followup() const { return notes && notes->followup ? &*notes->followup : nullptr; }
};
