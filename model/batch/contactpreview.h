#pragma once

#include "campaignrun.h"
#include "config.h"
#include "contact.h"
#include "result.h"
#include "schedule.h"
#include "storage/activitysource.h"

#include <QDate>
#include <QList>

#include <memory>
#include <vector>

// Everything the schedule preview shows for one contact, computed as one value off the GUI
// thread: the stored contact and history, what the rules decided, and the windows of the
// timeline's span.
struct ContactPreview
{
    qint64 contactId = 0;
    bool found = false; // false: no contact with that id (deleted meanwhile)
    Contact contact;
    QList<HistoryEntry> history;
    // Its rows of the activity tables (enrolments, eligibility answers, clicks, bounces).
    ContactActivityData activity;
    // The live campaigns on `today`, never null: campaigns->emailTypeName(email) is the written
    // type of a campaign email ("campaign_rate_increase"), campaigns->campaign(email.campaign)
    // its instance; Explain::explainEmail(schedule, email, campaigns.get()) its reason.
    std::shared_ptr<const CampaignRun> campaigns;
    ContactFacts facts;
    // schedule.isSuppressed() / suppression(): on the do-not-email list (no emails);
    // schedule.followup(): what a follow-up follows (SPEC 12-14, ContactNotes).
    ContactSchedule schedule;
    QDate today;
    QDate from; // span of the timeline
    QDate to;
    std::vector<ExclusionWindow> windows; // overlapping [from, to]
    bool yearRound = false;
    // The birth date as written when it reads as a date after `today` (the checks then treat
    // the contact as having none); invalid otherwise. The preview names this problem.
    QDate futureBirthDate;
};

// Reads one contact with its history, its activity, the campaign catalog and its entry of the
// do-not-email list (own read-only connection) and schedules it with single-contact semantics.
// Safe to call from any thread; errors name the file.
Result<ContactPreview> loadContactPreview(const QString &databasePath, qint64 contactId, QDate today,
                                          const Config &config);

// The same for a contact already in memory (tests, and after the row is known). Null
// `campaigns`: none live.
ContactPreview computeContactPreview(const Contact &contact, const QList<HistoryEntry> &history, QDate today,
                                     const Config &config, ContactActivityData activity = {},
                                     std::shared_ptr<const CampaignRun> campaigns = {},
                                     const SuppressionList &suppressions = {});
