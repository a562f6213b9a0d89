#include "items/campaigneffect.h"

#include "campaignrun.h"
#include "dates.h"
#include "engine.h"
#include "loadbalancer.h"
#include "storage/activitysource.h"
#include "storage/contactreader.h"
#include "storage/orgdatabase.h" // DbErrorKind

#include <QCoreApplication>
#include <QLocale>
#include <QStringList>

#include <algorithm>

qint64 CampaignEffect::busiestDay() const
{
    qint64 most = 0;
    for (const auto &[day, count] : perDay)
        most = std::max(most, count);
    return most;
}

QString skipReasonWords(SkipReason reason)
{
    switch (reason) {
    case SkipReason::BirthdayWindow:
    case SkipReason::EffectiveDateWindow:
    case SkipReason::YearRound:
        return QCoreApplication::translate("CampaignEffect", "in a state rule window");
    case SkipReason::CampaignConflict:
        return QCoreApplication::translate("CampaignEffect", "lost to another campaign on the same day");
    case SkipReason::FrequencyLimit:
        return QCoreApplication::translate("CampaignEffect", "too many emails in the period");
    case SkipReason::FailedUnderwriting:
        return QCoreApplication::translate("CampaignEffect", "failed underwriting");
    case SkipReason::AlreadySent:
        return QCoreApplication::translate("CampaignEffect", "already sent");
    case SkipReason::Spacing:
        return QCoreApplication::translate("CampaignEffect", "too close to another email");
    case SkipReason::None:
        break;
    }
    return skipReasonCode(reason);
}

QString CampaignEffect::skippedText() const
{
    // The three rule-window reasons read the same to staff: one count each for what they read.
    std::map<QString, qint64> byWords;
    for (const auto &[reason, count] : skippedBy)
        byWords[skipReasonWords(reason)] += count;
    std::vector<std::pair<qint64, QString>> sorted;
    for (const auto &[words, count] : byWords)
        sorted.emplace_back(count, words);
    std::sort(sorted.begin(), sorted.end(), [](const auto &a, const auto &b) { return a.first > b.first; });
    QStringList parts;
    const QLocale locale;
    for (const auto &[count, words] : sorted)
        parts << locale.toString(count) + u' ' + words;
    return parts.join(QStringLiteral(", "));
}

namespace CampaignEffects {

namespace {
QString tr(const char *text)
{
    return QCoreApplication::translate("CampaignEffect", text);
}

QString dateText(const QString &stored)
{
    const QDate d = Dates::parseContactDate(stored);
    return d.isValid() ? QLocale().toString(d, QStringLiteral("MMM d, yyyy")) : stored;
}
} // namespace

QString notLiveText(const CampaignInstanceRow &instance, const CampaignCatalog &catalog, QDate today)
{
    switch (CampaignRun::stateOf(instance, catalog, today)) {
    case InstanceState::Live:
        return {};
    case InstanceState::NotStarted:
        return tr("it starts on %1").arg(dateText(instance.activeStartDate));
    case InstanceState::Ended:
        return tr("it ended on %1").arg(dateText(instance.activeEndDate));
    case InstanceState::TypeInactive:
        return tr("its type %1 is switched off").arg(instance.campaignType);
    case InstanceState::TypeMissing:
        return tr("there is no campaign type %1").arg(instance.campaignType);
    case InstanceState::TypeNotAllowed:
        return tr("%1 cannot name a campaign type").arg(instance.campaignType);
    case InstanceState::UnreadableDate:
        return tr("one of its dates is not a date");
    }
    return {};
}

CampaignCatalog withDraft(CampaignCatalog catalog, CampaignTypeRow type, CampaignInstanceRow instance,
                          qint64 *instanceId)
{
    auto sameType = [&type](const CampaignTypeRow &t) {
        return type.id != 0 ? t.id == type.id : t.name.compare(type.name, Qt::CaseInsensitive) == 0;
    };
    if (auto it = std::find_if(catalog.types.begin(), catalog.types.end(), sameType);
        it != catalog.types.end()) {
        type.id = it->id;
        *it = type;
    } else {
        qint64 next = 1;
        for (const CampaignTypeRow &t : catalog.types)
            next = std::max(next, t.id + 1);
        type.id = next;
        catalog.types.push_back(type);
    }
    instance.campaignType = type.name;
    auto it = std::find_if(
        catalog.instances.begin(), catalog.instances.end(),
        [&instance](const CampaignInstanceRow &i) { return instance.id != 0 && i.id == instance.id; });
    if (it != catalog.instances.end()) {
        *it = instance;
    } else {
        // The id SQLite gives the next row: the catch-up spread hashes it, so the preview
        // shows the dates the saved instance gets.
        qint64 next = 1;
        for (const CampaignInstanceRow &i : catalog.instances)
            next = std::max(next, i.id + 1);
        instance.id = next;
        catalog.instances.push_back(instance);
    }
    if (instanceId)
        *instanceId = instance.id;
    return catalog;
}

Result<CampaignEffect> compute(const QString &dbPath, const CampaignCatalog &catalog, qint64 instanceId,
                               QDate today, const Config &config, const std::function<bool()> &cancelled)
{
    CampaignEffect effect;
    effect.today = today;
    const auto instance
        = std::find_if(catalog.instances.begin(), catalog.instances.end(),
                       [instanceId](const CampaignInstanceRow &i) { return i.id == instanceId; });
    if (instance == catalog.instances.end())
        return Error { tr("No campaign instance %1.").arg(instanceId) };

    // A file or a server (ContactReader is the batch's backend seam).
    Result<std::unique_ptr<ContactReader>> reader = ContactReader::open(dbPath);
    if (!reader)
        return reader.error();
    const ContactReader &source = **reader;
    const CampaignRun run(catalog, config, today);
    const LiveCampaign *live = run.byInstanceId(instanceId);
    effect.live = live != nullptr;
    effect.notLive = notLiveText(*instance, catalog, today);

    Result<RunInputs> inputs = source.readRunInputs();
    if (!inputs)
        return inputs.error();
    const SuppressionList suppressions(std::move(inputs->suppressions));
    Result<ContactIdScan> scan = source.scanIds();
    if (!scan)
        return scan.error();
    const std::vector<qint64> *ids = &scan->ids;
    if (ids->empty())
        return effect;
    Result<std::unique_ptr<ActivityStream>> cursor = source.openActivityRange(ids->front(), ids->back());
    if (!cursor)
        return cursor.error();

    bool stopped = false;
    std::optional<Error> failure;
    const Result<void> read = source.readRange(
        ids->front(), ids->back(), ContactSource::Fields::Scheduling,
        [&](const Contact &contact, std::span<const HistoryEntry> history) {
            if (stopped || failure)
                return;
            if (cancelled && cancelled()) {
                stopped = true;
                return;
            }
            Result<ContactActivity> activity = (*cursor)->seek(contact.id);
            if (!activity) {
                failure = activity.error();
                return;
            }
            const ContactSchedule schedule
                = Engine::scheduleContact(contact, history, *activity, today, config, run, suppressions);
            if (!schedule.hasError())
                ++effect.validContacts;
            if (!live)
                return;
            bool reached = false;
            for (const ScheduledEmail &email : schedule.emails) {
                if (email.type != EmailType::Campaign || run.instanceId(email) != instanceId)
                    continue;
                reached = true;
                if (email.status == EmailStatus::PreScheduled) {
                    ++effect.scheduled;
                    ++effect.perDay[email.date.toQDate()];
                } else {
                    ++effect.skipped;
                    ++effect.skippedBy[email.reason];
                }
            }
            effect.audience += reached ? 1 : 0;
        });
    if (stopped)
        return dbError(DbErrorKind::Cancelled, tr("Cancelled."));
    if (failure)
        return *failure;
    if (!read)
        return read.error();
    effect.dailyCap
        = LoadBalancer::dailyCap(effect.validContacts, config.loadBalancing.dailySendPercentageCap);
    return effect;
}

} // namespace CampaignEffects
