#pragma once

#include "campaignrun.h"
#include "schedule.h"

#include <QString>

// Plain-language explanations for people who are not engineers, e.g.
// "Skipped — California birthday rule window Mar 17 – Aug 14, 2024; follow-up email Aug 15".
// Used for the preview, the CLI's detail column and the `skip_reason` detail in the database.
namespace Explain {

// Why an email has its status and date (the follow-up date is looked up in `schedule`).
// `campaigns`: the run the schedule was made with, for campaign names ("Rate increase notice —
// 30 days before the new premium on Jul 1"); without it campaign emails are described generally.
QString explainEmail(const ContactSchedule &schedule, const ScheduledEmail &email,
                     const CampaignRun *campaigns = nullptr);

// Short detail for `skip_reason` = "<code>: <detail>" and the CLI detail column.
QString detail(const ContactSchedule &schedule, const ScheduledEmail &email,
               const CampaignRun *campaigns = nullptr);

// SPEC 14, for people: "On the do-not-email list since 3 Mar 2025 — unsubscribed", "Not emailed:
// an earlier email to this address bounced". Empty when the contact is not suppressed.
QString suppressionText(const ContactSchedule &schedule);
// The preview's `suppressed` row detail: the reason ("unsubscribed", "bounced"), with the note
// when there is one ("unsubscribed: asked by phone").
QString suppressionDetail(const ContactSchedule &schedule);

// "California birthday rule" etc.
QString ruleName(StateCode state, StateRule::Kind kind);

} // namespace Explain
