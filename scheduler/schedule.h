#pragma once

#include "compactdate.h"
#include "emailtypes.h"
#include "problem.h"
#include "staterules.h"

#include <QDate>
#include <QList>

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
    CompactDate date;                            // send date (for skipped emails: the date it would have had)
    CompactDate eventDate;    // anniversary served; aep: the AEP date; post_window: window's anchor
    ExclusionWindow window;   // causing window (skipped by a window) or the window a post_window follows
    CompactDate originalDate; // before load balancing moved it; invalid when not moved
    // The other email behind a skip, for explanations: already_sent -> the history row's date
    // (invalid when that row has no readable date); spacing -> the date and type
    // (relatedType) of the effective_date/aep email it is too close to. Invalid otherwise.
    CompactDate relatedDate;

    friend bool operator==(const ScheduledEmail &, const ScheduledEmail &) = default;
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

    bool hasError() const;
};
