#pragma once

#include <QString>

#include <span>
#include <vector>

// The inputs of SPEC sections 12-14 (campaigns, follow-ups, the do-not-email list) as the
// storage layer reads them: one plain struct per table row, dates and flags as stored (raw text
// where production may hold anything), so the engine alone decides what a row means. The
// engine never reads SQL; the storage layer never applies these rules.

// One row of `campaign_types` (SPEC section 12). Integer flags are read as "non-zero".
struct CampaignTypeRow
{
    qint64 id = 0;
    QString name;
    bool respectExclusionWindows = true;
    bool enableFollowups = false;
    int daysBeforeEvent = 30;
    bool targetAllContacts = false;
    int priority = 30;
    bool active = true;
    bool spreadEvenly = false;
    bool skipFailedUnderwriting = false;
};

// One row of `campaign_instances`; every date raw text (any format of section 1, or garbage).
struct CampaignInstanceRow
{
    qint64 id = 0;
    QString campaignType; // names a CampaignTypeRow
    QString instanceName;
    QString activeStartDate;
    QString activeEndDate;
    QString spreadStartDate;
    QString spreadEndDate;
    QString targetStates;   // NULL/empty/"ALL" = every state; codes separated by commas/spaces
    QString targetCarriers; // NULL/empty/"ALL" = every carrier; separated by commas
    QString metadata;       // JSON text, as stored
};

// Every campaign type and instance of an organisation database (read once per run).
struct CampaignCatalog
{
    std::vector<CampaignTypeRow> types;
    std::vector<CampaignInstanceRow> instances;
};

// One row of `contact_campaigns` (an enrolment of a contact in an instance).
struct EnrolmentRow
{
    qint64 id = 0;
    qint64 instanceId = 0;
    QString triggerDate; // raw text
    QString status;      // as stored ("pending", "cancelled", ...)
};

// One row of `contact_events` (only the types the rules read, e.g. `eligibility_answered`).
struct ContactEventRow
{
    qint64 id = 0;
    QString eventType;
    QString createdAt; // raw text; its date part decides "dated on or after"
    QString metadata;  // JSON text, as stored
};

// One entry of the do-not-email list, `email_suppressions` (SPEC section 14).
struct SuppressionEntry
{
    qint64 id = 0;
    QString email;  // as stored
    QString reason; // unsubscribed, bounced, complained, deceased, agent_request, other
    QString note;
    QString createdAt; // raw text
    QString createdBy;
};

// What one contact brings to sections 12-14 besides its `contacts` row and its history: the
// rows of the other tables that name it. Empty spans for tables that are missing.
struct ContactActivity
{
    std::span<const EnrolmentRow> enrolments;
    std::span<const ContactEventRow> events;
    std::span<const QString> clickDates;   // `tracking_clicks.clicked_at`, raw text
    std::span<const QString> sendStatuses; // `email_send_tracking.send_status` of its sends
};
