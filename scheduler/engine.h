#pragma once

#include "campaign.h"
#include "campaignrun.h"
#include "config.h"
#include "contact.h"
#include "schedule.h"
#include "ziptable.h"

#include <QDate>

#include <QHash>

#include <optional>

#include <span>
#include <vector>

// The rules engine of SPEC sections 1-7 and 12-14: pure functions of their inputs. It never reads the
// clock, never touches SQL or widgets, and is safe to call from many threads at once.
namespace Engine {

// Section 2: contact checks. `today` is needed because a birth date after today is invalid.
ContactFacts checkContact(const Contact &contact, QDate today, const ZipTable &zips = ZipTable::defaults());

// Section 4: the exclusion windows of a contact whose anchors fall in [from.year-1, to.year+1]
// and that overlap [from, to]; empty for states without a window rule. Year-round states have
// none (every date is excluded; see isYearRound()).
std::vector<ExclusionWindow> exclusionWindows(const ContactFacts &facts, QDate from, QDate to,
                                              const Config &config);

// The window that excludes `date` for this contact, or an invalid window.
ExclusionWindow causingWindow(const ContactFacts &facts, QDate date, const Config &config);
bool isExcluded(const ContactFacts &facts, QDate date, const Config &config);
bool isYearRound(const ContactFacts &facts, const Config &config);

// Section 4 for many dates of one contact: its window rule worked out once (the state's rule
// looked up, the event and birth dates split into year, month and day), so that a test costs a
// few additions. Equivalent to isExcluded(facts, date, config). The batch keeps one per contact
// (16 bytes) for the load balancer, which asks for every day it tries to move an email to.
struct ContactExclusion
{
    qint32 eventYear = 0;
    qint32 birthYear = 0;
    quint16 rule = 0; // index into ExclusionRules' table
    quint8 eventMonth = 0;
    quint8 eventDay = 0;
    quint8 birthMonth = 0; // 0: no birth date
    quint8 birthDay = 0;
    // None: never excluded (no rule, or no event date); YearRound: always; Birthday or
    // EffectiveDate: the event that anchors the windows.
    StateRule::Kind kind = StateRule::Kind::None;
};
static_assert(sizeof(ContactExclusion) == 16);

// The state rules of one configuration in the form ContactExclusion needs. Immutable after
// construction, so any number of threads may use it at once.
class ExclusionRules final
{
public:
    explicit ExclusionRules(const Config &config);

    ContactExclusion of(const ContactFacts &facts) const;
    bool isExcluded(const ContactExclusion &contact, QDate date) const;

private:
    struct Rule
    {
        int before = 0;
        int after = 0;
        int lead = 0;
        int maxAge = -1;
        bool monthStart = false;
    };
    std::vector<Rule> m_rules;
    QHash<quint16, quint16> m_index; // StateCode::raw() -> m_rules
    QHash<quint16, StateRule::Kind> m_kinds;
};

// Sections 2-7 for one contact (single-contact semantics: no load balancing).
// `history` is the contact's rows in email_schedules that this program did not write as
// pre-scheduled/skipped (any status; the engine filters by status itself).
ContactSchedule scheduleContact(const Contact &contact, std::span<const HistoryEntry> history, QDate today,
                                const Config &config, const ZipTable &zips = ZipTable::defaults());

// Same, from already checked facts.
ContactSchedule scheduleContact(const ContactFacts &facts, std::span<const HistoryEntry> history, QDate today,
                                const Config &config);

// Sections 2-7 and 12-14 for one contact: campaigns of `campaigns` (built for the same today
// and config), follow-ups, failed underwriting and suppression. `activity` holds the contact's
// rows of the other tables (empty spans: none). With an empty CampaignRun, an empty
// SuppressionList and no activity the result equals the overloads above (no follow-up can
// arise without sent history rows).
ContactSchedule scheduleContact(const Contact &contact, const ContactFacts &facts,
                                std::span<const HistoryEntry> history, const ContactActivity &activity,
                                QDate today, const Config &config, const CampaignRun &campaigns,
                                const SuppressionList &suppressions);

// Same, checking the contact first.
ContactSchedule scheduleContact(const Contact &contact, std::span<const HistoryEntry> history,
                                const ContactActivity &activity, QDate today, const Config &config,
                                const CampaignRun &campaigns, const SuppressionList &suppressions,
                                const ZipTable &zips = ZipTable::defaults());

// Section 14: whether the contact is suppressed (list entry by trimmed, case-insensitive email;
// else, with suppress_bounced, a bounced/dropped send), and why. No value: not suppressed.
std::optional<SuppressionNote> suppressionOf(const Contact &contact, const ContactActivity &activity,
                                             const SuppressionList &suppressions, const Config &config);

// Section 12's failed underwriting: the contact's latest eligibility_answered event (by
// created_at, then id) shows failed underwriting. `answered` receives that event's date (invalid
// when unreadable) whenever an eligibility event exists.
bool failedUnderwriting(std::span<const ContactEventRow> events, QDate *answered = nullptr);

// Section 12's metadata test on one JSON text: has_medical_conditions true (JSON true, a
// non-zero number, or "true"/"yes"/"1" in any case) or main_questions_yes_count a number > 0.
bool metadataShowsFailedUnderwriting(QStringView json);

} // namespace Engine
