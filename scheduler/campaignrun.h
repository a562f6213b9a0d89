#pragma once

#include "campaign.h"
#include "config.h"
#include "contact.h"
#include "schedule.h"
#include "staterules.h"

#include <QDate>
#include <QHash>
#include <QList>
#include <QString>
#include <QStringList>

#include <span>
#include <vector>

// The run-level inputs of SPEC sections 12-14, worked out once per run so that scheduling a
// contact costs no parsing: the live campaign instances with their dates, targeting and
// priorities resolved (CampaignRun), and the do-not-email list indexed by address
// (SuppressionList). Both are immutable after construction and safe to share between threads.

// One live campaign instance of a run (SPEC section 12), parsed once.
struct LiveCampaign
{
    qint64 instanceId = 0;
    QString typeName;     // "rate_increase"
    QString emailType;    // the written email_type: "campaign_rate_increase"
    QString instanceName; // as stored, e.g. "Rate increase notice"
    int priority = 30;    // the configuration's priorities["campaign_<name>"], else the type's priority
    int daysBeforeEvent = 30;
    bool respectExclusionWindows = true;
    bool enableFollowups = false;
    bool targetAllContacts = false;
    bool skipFailedUnderwriting = false;
    bool spreadEvenly = false;     // spread_evenly = 1 with readable spread start <= spread end
    QDate activeStart;             // invalid: open (or empty)
    QDate activeEnd;               // invalid: open (or empty)
    QDate spreadStart;             // valid only when spreadEvenly
    QDate spreadEnd;               // valid only when spreadEvenly
    bool allStates = true;         // target_states NULL, empty or ALL
    std::vector<StateCode> states; // the targeted states when !allStates
    bool allCarriers = true;       // target_carriers NULL, empty or ALL
    QStringList carriers;          // trimmed, lower-case, when !allCarriers
    QByteArray hashSuffix;         // "-campaign_<name>-<instance id>" of the catch-up hash
};

// Why an instance is or is not live on a date (the Campaigns window and `campaign list`).
enum class InstanceState : quint8 {
    Live,
    NotStarted,     // today < active_start_date
    Ended,          // today > active_end_date
    TypeInactive,   // its type has active = 0 (not a warning)
    TypeMissing,    // campaign_invalid: no type of that name
    TypeNotAllowed, // campaign_invalid: name not [a-z0-9_]+, or reserved (birthday, followup...)
    UnreadableDate, // campaign_invalid: a non-empty date that no format of section 1 reads
};

// A problem of the run as a whole, reported once (never as a contact problem).
struct RunWarning
{
    QString code; // "campaign_invalid"
    qint64 instanceId = 0;
    QString name;    // the instance's name
    QString message; // readable: what is wrong, naming the instance by id and name

    friend bool operator==(const RunWarning &, const RunWarning &) = default;
};

// The live campaigns of one run (catalog + configuration + today). Default-constructed: no
// campaigns, and scheduling behaves exactly as without sections 12-13's campaign parts.
class CampaignRun final
{
public:
    CampaignRun() = default;
    CampaignRun(const CampaignCatalog &catalog, const Config &config, QDate today);

    QDate today() const { return m_today; }
    bool isEmpty() const { return m_live.empty(); }
    // Sorted by written email_type, then instance id: an email's `campaign` index into this
    // table therefore orders campaign emails by their written names (emailSortKey).
    const std::vector<LiveCampaign> &live() const { return m_live; }
    const LiveCampaign *campaign(quint16 index) const
    {
        return index < m_live.size() ? &m_live[index] : nullptr;
    }
    const LiveCampaign *byInstanceId(qint64 instanceId) const;
    // campaign_invalid warnings, one per invalid instance, in instance id order.
    const std::vector<RunWarning> &warnings() const { return m_warnings; }

    // The written email_type: "campaign_<name>" for a campaign email, else emailTypeName(type).
    QString emailTypeName(const ScheduledEmail &email) const;
    // The campaign_instance_id to write: the instance id of a campaign email, else 0.
    qint64 instanceId(const ScheduledEmail &email) const;
    // Whether a history row of type `campaign_<t>` can be a follow-up's initial email: t names a
    // type with enable_followups = 1 (live or not; case-insensitive).
    bool followupsEnabledFor(QStringView historyType) const;

    // Whether the contact (already checked: no error, not suppressed) is in the audience of
    // live()[index]; `enrolment` is set to its counting enrolment row (lowest id of the rows not
    // cancelled), or null (target_all_contacts, or not enrolled).
    bool inAudience(quint16 index, const Contact &contact, const ContactFacts &facts,
                    std::span<const EnrolmentRow> enrolments, const EnrolmentRow **enrolment = nullptr) const;

    // SPEC 12's "live on today" for one instance of a catalog.
    static InstanceState stateOf(const CampaignInstanceRow &instance, const CampaignCatalog &catalog,
                                 QDate today);
    // [a-z0-9_]+, not birthday/effective_date/aep, not starting with post_window or followup.
    static bool isAllowedTypeName(QStringView name);

private:
    QDate m_today;
    std::vector<LiveCampaign> m_live;
    std::vector<RunWarning> m_warnings;
    QStringList m_followupTypes; // lower-case names of types with enable_followups = 1
};

// The do-not-email list (SPEC section 14), looked up by a contact's email: trimmed and
// case-insensitive, without allocating for the lookup.
class SuppressionList final
{
public:
    SuppressionList() = default;
    explicit SuppressionList(std::vector<SuppressionEntry> entries);

    bool isEmpty() const { return m_entries.empty(); }
    qsizetype size() const { return qsizetype(m_entries.size()); }
    const std::vector<SuppressionEntry> &entries() const { return m_entries; }
    // The entry whose trimmed email equals `email` trimmed, case-insensitively; null for none
    // (of several such entries, the one with the lowest id).
    const SuppressionEntry *find(QStringView email) const;
    // lower(trim(email)): the list's unique key.
    static QString normalized(QStringView email);

private:
    std::vector<SuppressionEntry> m_entries;
    std::vector<std::pair<quint32, quint32>> m_index; // (hash of the key, entry), sorted
};
