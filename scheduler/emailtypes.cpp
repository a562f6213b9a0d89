#include "emailtypes.h"

using namespace Qt::StringLiterals;

QString emailTypeName(EmailType type)
{
    return QString(emailTypeKey(type));
}

std::optional<EmailType> emailTypeFromName(QStringView name)
{
    const QStringView n = name.trimmed();
    for (EmailType t : { EmailType::Birthday, EmailType::EffectiveDate, EmailType::Aep, EmailType::Campaign,
                         EmailType::FollowupCold, EmailType::FollowupClickedNoHq, EmailType::FollowupHqNoYes,
                         EmailType::FollowupHqWithYes }) {
        if (n.compare(emailTypeKey(t), Qt::CaseInsensitive) == 0)
            return t;
    }
    if (n.size() > 9 && n.startsWith("campaign_"_L1, Qt::CaseInsensitive))
        return EmailType::Campaign;
    // production writes POST_WINDOW_BIRTHDAY / POST_WINDOW_EFFECTIVE_DATE as well
    if (n.startsWith(emailTypeName(EmailType::PostWindow), Qt::CaseInsensitive))
        return EmailType::PostWindow;
    return std::nullopt;
}

QString emailStatusName(EmailStatus status)
{
    switch (status) {
    case EmailStatus::PreScheduled:
        return u"pre-scheduled"_s;
    case EmailStatus::Skipped:
        return u"skipped"_s;
    }
    return QString();
}

QString skipReasonCode(SkipReason reason)
{
    switch (reason) {
    case SkipReason::None:
        return QString();
    case SkipReason::AlreadySent:
        return u"already_sent"_s;
    case SkipReason::BirthdayWindow:
        return u"birthday_window"_s;
    case SkipReason::EffectiveDateWindow:
        return u"effective_date_window"_s;
    case SkipReason::YearRound:
        return u"year_round"_s;
    case SkipReason::Spacing:
        return u"spacing"_s;
    case SkipReason::FrequencyLimit:
        return u"frequency_limit"_s;
    case SkipReason::FailedUnderwriting:
        return u"failed_underwriting"_s;
    case SkipReason::CampaignConflict:
        return u"campaign_conflict"_s;
    }
    return QString();
}

std::optional<SkipReason> skipReasonFromCode(QStringView code)
{
    const QStringView c = code.trimmed();
    if (c.isEmpty())
        return SkipReason::None;
    for (SkipReason r :
         { SkipReason::AlreadySent, SkipReason::BirthdayWindow, SkipReason::EffectiveDateWindow,
           SkipReason::YearRound, SkipReason::Spacing, SkipReason::FrequencyLimit,
           SkipReason::FailedUnderwriting, SkipReason::CampaignConflict }) {
        if (c.compare(skipReasonCode(r), Qt::CaseInsensitive) == 0)
            return r;
    }
    return std::nullopt;
}
