#pragma once

#include <QLatin1StringView>
#include <QString>
#include <QStringView>

#include <array>
#include <optional>

// The vocabulary of the schedule: email types, statuses and skip reasons, with their
// machine names as written to the database and the CLI (SPEC sections 5, 6, 9).

// Campaign stands for every `campaign_<name>` type: which campaign an email belongs to is a
// small index into the run's live-campaign table (ScheduledEmail::campaign, CampaignRun), so
// the written name is "campaign_" + the campaign type's name (SPEC sections 9, 12). The four
// follow-up types are those of SPEC section 13.
enum class EmailType : quint8 {
    Birthday,
    EffectiveDate,
    Aep,
    PostWindow,
    Campaign,
    FollowupCold,        // followup_1_cold
    FollowupClickedNoHq, // followup_2_clicked_no_hq
    FollowupHqNoYes,     // followup_3_hq_no_yes
    FollowupHqWithYes,   // followup_4_hq_with_yes
};
inline constexpr int EmailTypeCount = 9;

constexpr bool isFollowup(EmailType type)
{
    return type >= EmailType::FollowupCold && type <= EmailType::FollowupHqWithYes;
}
// Campaign and follow-up emails are pinned in load balancing (SPEC section 8).
constexpr bool isPinned(EmailType type)
{
    return type == EmailType::Campaign || isFollowup(type);
}

enum class EmailStatus : quint8 {
    PreScheduled,
    Skipped,
};

enum class SkipReason : quint8 {
    None,
    AlreadySent,
    BirthdayWindow,
    EffectiveDateWindow,
    YearRound,
    Spacing,
    FrequencyLimit,
    FailedUnderwriting, // SPEC section 12
    CampaignConflict,   // SPEC section 12
};

// Rank of the machine type names in alphabetical order (aep < birthday < campaign_* <
// effective_date < followup_1_cold < ... < followup_4_hq_with_yes < post_window): the "then
// type" tie-break of every sort of emails (engine, balancer, CSV). Every `campaign_<name>` sorts
// between birthday and effective_date; among themselves campaign emails sort by their campaign
// index, which CampaignRun assigns in the order of the written names (emailSortKey below).
constexpr int emailTypeOrder(EmailType type)
{
    switch (type) {
    case EmailType::Aep:
        return 0;
    case EmailType::Birthday:
        return 1;
    case EmailType::Campaign:
        return 2;
    case EmailType::EffectiveDate:
        return 3;
    case EmailType::FollowupCold:
        return 4;
    case EmailType::FollowupClickedNoHq:
        return 5;
    case EmailType::FollowupHqNoYes:
        return 6;
    case EmailType::FollowupHqWithYes:
        return 7;
    case EmailType::PostWindow:
        return 8;
    }
    return 9;
}

// The full "then type" key: orders emails by their written names (campaign emails by campaign
// index, which follows the written names within one run). Compare keys, never names.
constexpr int emailSortKey(EmailType type, quint16 campaign)
{
    return emailTypeOrder(type) * 0x10000 + (type == EmailType::Campaign ? int(campaign) : 0);
}

// The machine names as written to the database, the CSV files and the configuration, indexed by
// EmailType: the one table every reader and writer of the names uses.
inline constexpr std::array<QLatin1StringView, EmailTypeCount> EmailTypeNames = {
    QLatin1StringView("birthday"),
    QLatin1StringView("effective_date"),
    QLatin1StringView("aep"),
    QLatin1StringView("post_window"),
    QLatin1StringView("campaign"), // written as "campaign_<name>" (CampaignRun::emailTypeName)
    QLatin1StringView("followup_1_cold"),
    QLatin1StringView("followup_2_clicked_no_hq"),
    QLatin1StringView("followup_3_hq_no_yes"),
    QLatin1StringView("followup_4_hq_with_yes"),
};
static_assert(int(EmailType::Birthday) == 0 && int(EmailType::FollowupHqWithYes) == EmailTypeCount - 1);

// EmailTypeNames[type] (a NUL-terminated literal); empty for a value outside the enum.
constexpr QLatin1StringView emailTypeKey(EmailType type)
{
    const auto index = std::size_t(type);
    return index < EmailTypeNames.size() ? EmailTypeNames[index] : QLatin1StringView();
}

// The name as a QString: "birthday", "effective_date", "aep", "post_window", "campaign" (the
// prefix; a written campaign type is "campaign_<name>"), "followup_1_cold", ...
QString emailTypeName(EmailType type);
// Case-insensitive; also accepts the legacy upper-case names. "POST_WINDOW_BIRTHDAY" etc. map to
// PostWindow, "campaign" and "campaign_<anything>" to Campaign.
std::optional<EmailType> emailTypeFromName(QStringView name);
// "pre-scheduled", "skipped"
QString emailStatusName(EmailStatus status);
// "already_sent", "birthday_window", "effective_date_window", "year_round", "spacing",
// "frequency_limit", "failed_underwriting", "campaign_conflict"; empty for None
QString skipReasonCode(SkipReason reason);
std::optional<SkipReason> skipReasonFromCode(QStringView code);
