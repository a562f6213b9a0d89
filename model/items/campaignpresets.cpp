#include "items/campaignpresets.h"

#include <QCoreApplication>
#include <QLocale>

namespace {
QString tr(const char *text)
{
    return QCoreApplication::translate("CampaignPreset", text);
}

QString iso(QDate date)
{
    return date.toString(Qt::ISODate);
}
} // namespace

CampaignPreset campaignPreset(CampaignPreset::Kind kind, QDate today)
{
    CampaignPreset p;
    p.kind = kind;
    const QLocale english(QLocale::English);
    switch (kind) {
    case CampaignPreset::Kind::RateIncrease:
        p.title = tr("Rate increase notice");
        p.description
            = tr("Tells each enrolled contact about the new premium 30 days before it starts "
                 "(the trigger date of the enrolment). Enrol the contacts from a CSV file after saving.");
        p.type.name = QStringLiteral("rate_increase");
        p.type.daysBeforeEvent = 30;
        p.type.priority = 15;
        p.type.enableFollowups = true;
        p.instance.instanceName
            = tr("Rate increase %1").arg(english.toString(today.addDays(45), QStringLiteral("MMMM yyyy")));
        p.instance.activeStartDate = iso(today);
        p.instance.activeEndDate = iso(today.addDays(180));
        break;
    case CampaignPreset::Kind::InitialBlast: {
        p.title = tr("Initial blast");
        p.description
            = tr("One email to every contact, spread evenly over 14 days from tomorrow so no day is "
                 "crowded.");
        p.type.name = QStringLiteral("initial_blast");
        p.type.daysBeforeEvent = 0;
        p.type.targetAllContacts = true;
        p.type.spreadEvenly = true;
        p.type.enableFollowups = true;
        p.type.priority = 40;
        // Live from today, so the next run schedules every email; they go out over the spread.
        const QDate first = today.addDays(1);
        p.instance.instanceName = tr("Initial blast");
        p.instance.activeStartDate = iso(today);
        p.instance.activeEndDate = iso(first.addDays(13));
        p.instance.spreadStartDate = iso(first);
        p.instance.spreadEndDate = iso(first.addDays(13));
        break;
    }
    case CampaignPreset::Kind::CarrierUpdate: {
        p.title = tr("Carrier update on Jan 31");
        p.description = tr("The yearly carrier update to every contact (narrow it to carriers or states) on "
                           "January 31.");
        p.type.name = QStringLiteral("carrier_update");
        p.type.daysBeforeEvent = 0;
        p.type.targetAllContacts = true;
        p.type.priority = 20;
        QDate jan31(today.year(), 1, 31);
        if (jan31 < today)
            jan31 = QDate(today.year() + 1, 1, 31);
        p.instance.instanceName = tr("Carrier update %1").arg(jan31.year());
        p.instance.activeStartDate = iso(jan31);
        p.instance.activeEndDate = iso(jan31.addDays(14));
        break;
    }
    case CampaignPreset::Kind::Newsletter: {
        p.title = tr("Newsletter");
        p.description
            = tr("A newsletter to every contact, spread over the first week of next month; it gives "
                 "way to every other email.");
        p.type.name = QStringLiteral("newsletter");
        p.type.daysBeforeEvent = 0;
        p.type.targetAllContacts = true;
        p.type.spreadEvenly = true;
        p.type.priority = 60;
        const QDate first = QDate(today.year(), today.month(), 1).addMonths(1);
        p.instance.instanceName
            = tr("Newsletter %1").arg(english.toString(first, QStringLiteral("MMMM yyyy")));
        p.instance.activeStartDate = iso(today);
        p.instance.activeEndDate = iso(first.addMonths(1).addDays(-1));
        p.instance.spreadStartDate = iso(first);
        p.instance.spreadEndDate = iso(first.addDays(6));
        break;
    }
    case CampaignPreset::Kind::Blank:
        p.title = tr("Blank campaign");
        p.description = tr("Start from the defaults and set everything yourself.");
        p.instance.activeStartDate = iso(today);
        break;
    }
    return p;
}

QList<CampaignPreset> campaignPresets(QDate today)
{
    QList<CampaignPreset> all;
    for (auto kind : { CampaignPreset::Kind::RateIncrease, CampaignPreset::Kind::InitialBlast,
                       CampaignPreset::Kind::CarrierUpdate, CampaignPreset::Kind::Newsletter,
                       CampaignPreset::Kind::Blank })
        all << campaignPreset(kind, today);
    return all;
}
