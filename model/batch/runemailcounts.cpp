#include "batch/runemailcounts.h"

#include "batch/batchjob.h"
#include "campaignrun.h"
#include "items/emailtypelabel.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>
#include <QStringList>

#include <array>
#include <map>

namespace RunEmailCounts {

std::vector<RunEmailCount> count(const BatchResult &batch)
{
    std::map<qint64, RunEmailCount> campaigns; // by instance id
    std::array<RunEmailCount, EmailTypeCount> followups {};
    const CampaignRun *run = batch.campaigns.get();
    for (const ContactSchedule &schedule : batch.schedules) {
        for (const ScheduledEmail &email : schedule.emails) {
            RunEmailCount *counts = nullptr;
            if (email.type == EmailType::Campaign && run) {
                const qint64 id = run->instanceId(email);
                counts = &campaigns[id];
                if (counts->emailType.isEmpty()) {
                    counts->emailType = run->emailTypeName(email);
                    counts->instanceId = id;
                    const LiveCampaign *live = run->byInstanceId(id);
                    counts->name = live ? live->instanceName : QString();
                }
            } else if (isFollowup(email.type)) {
                counts = &followups[std::size_t(email.type)];
                counts->emailType = emailTypeName(email.type);
            } else {
                continue;
            }
            ++(email.status == EmailStatus::PreScheduled ? counts->scheduled : counts->skipped);
        }
    }
    std::vector<RunEmailCount> all;
    for (auto &[id, counts] : campaigns)
        all.push_back(std::move(counts));
    for (RunEmailCount &counts : followups) {
        if (!counts.emailType.isEmpty())
            all.push_back(std::move(counts));
    }
    return all;
}

QString toText(const std::vector<RunEmailCount> &counts)
{
    if (counts.empty())
        return {};
    QJsonArray array;
    for (const RunEmailCount &c : counts) {
        QJsonObject o;
        o.insert(QStringLiteral("type"), c.emailType);
        if (c.instanceId != 0) {
            o.insert(QStringLiteral("instance"), c.instanceId);
            o.insert(QStringLiteral("name"), c.name);
        }
        o.insert(QStringLiteral("scheduled"), c.scheduled);
        o.insert(QStringLiteral("skipped"), c.skipped);
        array.append(o);
    }
    return QString::fromUtf8(QJsonDocument(array).toJson(QJsonDocument::Compact));
}

std::vector<RunEmailCount> fromText(QStringView text)
{
    std::vector<RunEmailCount> counts;
    const QJsonDocument document = QJsonDocument::fromJson(text.toUtf8());
    const QJsonArray array = document.array();
    for (const QJsonValue &value : array) {
        const QJsonObject o = value.toObject();
        RunEmailCount c;
        c.emailType = o.value(QStringLiteral("type")).toString();
        c.instanceId = o.value(QStringLiteral("instance")).toInteger();
        c.name = o.value(QStringLiteral("name")).toString();
        c.scheduled = o.value(QStringLiteral("scheduled")).toInteger();
        c.skipped = o.value(QStringLiteral("skipped")).toInteger();
        if (!c.emailType.isEmpty())
            counts.push_back(c);
    }
    return counts;
}

QString summary(const std::vector<RunEmailCount> &counts, QStringView separator)
{
    const QLocale locale;
    QStringList parts;
    for (const RunEmailCount &c : counts) {
        QString name = c.name;
        if (name.isEmpty()) {
            const std::optional<EmailType> type = emailTypeFromName(c.emailType);
            name = type ? emailTypeLabel(*type) : c.emailType;
        }
        QString part = name + u": " + locale.toString(c.scheduled);
        if (c.skipped > 0)
            part += u' '
                + QCoreApplication::translate("RunEmailCounts", "(%1 skipped)")
                      .arg(locale.toString(c.skipped));
        parts << part;
    }
    return parts.join(separator);
}

} // namespace RunEmailCounts
