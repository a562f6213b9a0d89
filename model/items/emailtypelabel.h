#pragma once

#include "emailtypes.h"

#include <QString>

#include <array>

class CampaignRun;
struct ScheduledEmail;

// The email types as people read them ("Birthday", "Policy anniversary", …), for tables, charts
// and messages; the machine names are in emailtypes.h.
QString emailTypeLabel(EmailType type);

// One email as people read it: a campaign email by its campaign's name ("Rate increase April
// 2025") when `campaigns` knows it, every other email by its type.
QString emailLabel(const ScheduledEmail &email, const CampaignRun *campaigns);

// The kinds of email a chart or legend shows: the types, with the four follow-up types as one
// ("Follow-up"); each stands for the types chartKindOf() maps onto it.
inline constexpr std::array<EmailType, 6> ChartKinds
    = { EmailType::Birthday,   EmailType::EffectiveDate, EmailType::Aep,
        EmailType::PostWindow, EmailType::Campaign,      EmailType::FollowupCold };
constexpr EmailType chartKindOf(EmailType type)
{
    return isFollowup(type) ? EmailType::FollowupCold : type;
}
// "Follow-up" for the follow-up kind, emailTypeLabel() for the others.
QString chartKindLabel(EmailType kind);
// Emails of `kind` among per-type counts (indexed by EmailType).
qint64 chartKindCount(const std::array<qint64, EmailTypeCount> &counts, EmailType kind);
