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
    }
    return {};
}
