#include "items/emailtypelabel.h"

#include "campaignrun.h"
#include "schedule.h"

#include <QCoreApplication>

QString emailTypeLabel(EmailType type)
{
    switch (type) {
    case EmailType::Birthday:
        return QCoreApplication::translate("EmailTypeLabel", "Birthday");
    case EmailType::EffectiveDate:
        return QCoreApplication::translate("EmailTypeLabel", "Policy anniversary");
    case EmailType::Aep:
        return QCoreApplication::translate("EmailTypeLabel", "Annual enrollment (AEP)");
    case EmailType::PostWindow:
        return QCoreApplication::translate("EmailTypeLabel", "Follow-up after rule window");
    case EmailType::Campaign:
        return QCoreApplication::translate("EmailTypeLabel", "Campaign");
    case EmailType::FollowupCold:
        return QCoreApplication::translate("EmailTypeLabel", "Follow-up (no response)");
    case EmailType::FollowupClickedNoHq:
        return QCoreApplication::translate("EmailTypeLabel", "Follow-up (clicked)");
    case EmailType::FollowupHqNoYes:
        return QCoreApplication::translate("EmailTypeLabel", "Follow-up (health answers, no yes)");
    case EmailType::FollowupHqWithYes:
        return QCoreApplication::translate("EmailTypeLabel", "Follow-up (health answers with a yes)");
    }
    return {};
}

QString emailLabel(const ScheduledEmail &email, const CampaignRun *campaigns)
{
    if (email.type == EmailType::Campaign && campaigns) {
        if (const LiveCampaign *c = campaigns->campaign(email.campaign); c && !c->instanceName.isEmpty())
            return c->instanceName;
    }
    return emailTypeLabel(email.type);
}

QString chartKindLabel(EmailType kind)
{
    if (isFollowup(kind))
        return QCoreApplication::translate("EmailTypeLabel", "Follow-up");
    return emailTypeLabel(kind);
}

qint64 chartKindCount(const std::array<qint64, EmailTypeCount> &counts, EmailType kind)
{
    qint64 sum = 0;
    for (int t = 0; t < EmailTypeCount; ++t) {
        if (chartKindOf(static_cast<EmailType>(t)) == chartKindOf(kind))
            sum += counts[std::size_t(t)];
    }
    return sum;
}
