#pragma once

#include "campaign.h"
#include "config.h"
#include "emailtypes.h"
#include "result.h"
#include "storage/campaignstore.h"

#include <QDate>
#include <QString>

#include <functional>
#include <map>
#include <span>

// What one campaign instance, saved or only drafted, does on an "as of" day: how many contacts
// it reaches and how many emails it pre-schedules on each day (SPEC section 12, through the
// engine's own rules: exclusion windows, conflicts, the frequency limit, the do-not-email list).
// Shown by the Campaigns window before a change is saved.
struct CampaignEffect
{
    QDate today;
    bool live = false;
    QString notLive;      // why the instance is not live on `today` (readable); empty when live
    qint64 audience = 0;  // contacts with an email of the instance (pre-scheduled or skipped)
    qint64 scheduled = 0; // its pre-scheduled emails
    qint64 skipped = 0;   // its skipped emails
    std::map<SkipReason, qint64> skippedBy; // the skipped emails by reason
    qint64 validContacts = 0;
    int dailyCap = 0;               // SPEC 8's cap for these contacts: what a day's total is measured against
    std::map<QDate, qint64> perDay; // pre-scheduled emails by send date
    qint64 busiestDay() const;
    // "312 campaign conflict, 40 rule windows": the reasons, most frequent first; empty when none.
    QString skippedText() const;
};

// What one change to the campaigns does on an "as of" day (a type or instance saved, contacts
// enrolled, an instance ended): the instance's effect without and with the change, and how the
// pre-scheduled emails of every other campaign move with it (a higher priority takes their days).
struct CampaignChange
{
    CampaignEffect before;   // as stored; all zero (and not live) for an instance not saved yet
    CampaignEffect after;    // with the change
    qint64 othersBefore = 0; // pre-scheduled emails of the other campaign instances
    qint64 othersAfter = 0;
    // The instance's pre-scheduled emails per day, after minus before: only the days that differ.
    std::map<QDate, qint64> perDayChange() const;
};

// Why a campaign email is held back, in a few words ("in a state rule window").
QString skipReasonWords(SkipReason reason);

namespace CampaignEffects {

// Schedules every contact of `dbPath` (read-only) with `catalog` (the stored one with the draft
// put in) and counts the emails of instance `instanceId`. `cancelled` is polled per contact; a
// cancelled computation returns an error with DbErrorKind::Cancelled.
Result<CampaignEffect> compute(const QString &dbPath, const CampaignCatalog &catalog, qint64 instanceId,
                               QDate today, const Config &config,
                               const std::function<bool()> &cancelled = {});

// The change from `before` (the stored catalog) to `after` (with the draft put in; it must hold
// `instanceId`), with `enrolments` (rows of an enrolment file not written yet) enrolled into
// `instanceId` as CampaignStore::enrol would enrol them: a contact by its id, else by an email
// only one contact has; a readable trigger date or none; the first row of a contact; a contact
// already enrolled gets the new trigger date. Both sides come from one pass over the contacts.
Result<CampaignChange> compareChange(const QString &dbPath, const CampaignCatalog &before,
                                     const CampaignCatalog &after, qint64 instanceId,
                                     std::span<const EnrolmentInput> enrolments, QDate today,
                                     const Config &config, const std::function<bool()> &cancelled = {});

// The catalog with `type` and `instance` put in: replacing the rows with their ids, or added
// (with a new id, returned through `instanceId`) when the id is 0.
CampaignCatalog withDraft(CampaignCatalog catalog, CampaignTypeRow type, CampaignInstanceRow instance,
                          qint64 *instanceId);

// Why an instance is not live, in words ("it ended on Jan 31, 2025"); empty when it is.
QString notLiveText(const CampaignInstanceRow &instance, const CampaignCatalog &catalog, QDate today);

} // namespace CampaignEffects
