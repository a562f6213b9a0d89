#include "items/emailtypelabel.h"

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
