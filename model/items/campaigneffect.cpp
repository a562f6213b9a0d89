#include "items/campaigneffect.h"

#include "campaignrun.h"
#include "dates.h"
#include "engine.h"
#include "loadbalancer.h"
#include "storage/activitysource.h"
#include "storage/contactreader.h"
#include "storage/managementtables.h"
#include "storage/orgdatabase.h" // DbErrorKind

#include <QCoreApplication>
#include <QLocale>
#include <QStringList>

#include <algorithm>
#include <optional>

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

std::map<QDate, qint64> CampaignChange::perDayChange() const
{
    std::map<QDate, qint64> delta = after.perDay;
    for (const auto &[day, count] : before.perDay)
        delta[day] -= count;
    std::erase_if(delta, [](const auto &entry) { return entry.second == 0; });
    return delta;
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
    Result<CampaignChange> change
        = compareChange(dbPath, catalog, catalog, instanceId, {}, today, config, cancelled);
    if (!change)
        return change.error();
    return change->after;
}

namespace {

// One side of a comparison: a catalog's run and what it counts.
struct Side
{
    const CampaignRun *run = nullptr;
    qint64 instanceId = 0;
    bool live = false;
    CampaignEffect *effect = nullptr;
    qint64 *others = nullptr;
};

void count(const Side &side, const ContactSchedule &schedule)
{
    CampaignEffect &effect = *side.effect;
    if (!schedule.hasError())
        ++effect.validContacts;
    bool reached = false;
    for (const ScheduledEmail &email : schedule.emails) {
        if (email.type != EmailType::Campaign)
            continue;
        if (side.run->instanceId(email) != side.instanceId) {
            *side.others += email.status == EmailStatus::PreScheduled ? 1 : 0;
            continue;
        }
        if (!side.live)
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
}

// Contact id -> trigger date (ISO, or empty) of the draft rows CampaignStore::enrol would take.
Result<QHash<qint64, QString>> resolveEnrolments(const ContactReader &source, const std::vector<qint64> &ids,
                                                 std::span<const EnrolmentInput> rows)
{
    QHash<qint64, QString> byContact;
    if (rows.empty() || ids.empty())
        return byContact;
    QHash<QString, qint64> byEmail; // email key -> contact id; -1 when several contacts share it
    for (const EnrolmentInput &in : rows) {
        if (in.contactId <= 0 && !in.email.trimmed().isEmpty())
            byEmail.insert(ManagementTables::emailKey(in.email), 0);
    }
    if (!byEmail.isEmpty()) {
        const Result<void> read
            = source.readRange(ids.front(), ids.back(), ContactSource::Fields::Checks,
                               [&byEmail](const Contact &contact, std::span<const HistoryEntry>) {
                                   const auto it = byEmail.find(ManagementTables::emailKey(contact.email));
                                   if (it != byEmail.end())
                                       *it = *it == 0 || *it == contact.id ? contact.id : -1;
                               });
        if (!read)
            return read.error();
    }
    for (const EnrolmentInput &in : rows) {
        const qint64 contactId
            = in.contactId > 0 ? in.contactId : byEmail.value(ManagementTables::emailKey(in.email), 0);
        if (contactId <= 0 || byContact.contains(contactId))
            continue; // no such contact, several share the email, or a later row of the same contact
        const QString trigger = in.triggerDate.trimmed();
        const QDate date = Dates::parseContactDate(trigger);
        if (!trigger.isEmpty() && (!date.isValid() || !Dates::inRange(date)))
            continue; // rejected when written
        byContact.insert(contactId, trigger.isEmpty() ? QString() : date.toString(Qt::ISODate));
    }
    return byContact;
}

// `stored` with the draft enrolment of the contact into `instanceId` applied as CampaignStore::enrol
// writes it: a new trigger date on its counting row, or a new pending row.
std::vector<EnrolmentRow> withEnrolment(std::span<const EnrolmentRow> stored, qint64 instanceId,
                                        const QString &trigger)
{
    std::vector<EnrolmentRow> rows(stored.begin(), stored.end());
    EnrolmentRow *counting = nullptr;
    qint64 next = 1;
    for (EnrolmentRow &row : rows) {
        next = std::max(next, row.id + 1);
        if (row.instanceId == instanceId && row.status.compare(u"cancelled", Qt::CaseInsensitive) != 0
            && (!counting || row.id < counting->id))
            counting = &row;
    }
    if (counting) {
        counting->triggerDate = trigger;
        return rows;
    }
    EnrolmentRow added;
    added.id = next; // after the contact's rows, as a new row is
    added.instanceId = instanceId;
    added.triggerDate = trigger;
    added.status = QStringLiteral("pending");
    rows.push_back(added);
    return rows;
}

} // namespace

Result<CampaignChange> compareChange(const QString &dbPath, const CampaignCatalog &before,
                                     const CampaignCatalog &after, qint64 instanceId,
                                     std::span<const EnrolmentInput> enrolments, QDate today,
                                     const Config &config, const std::function<bool()> &cancelled)
{
    CampaignChange change;
    change.before.today = today;
    change.after.today = today;
    const auto has = [instanceId](const CampaignCatalog &catalog) {
        return std::find_if(catalog.instances.begin(), catalog.instances.end(),
                            [instanceId](const CampaignInstanceRow &i) { return i.id == instanceId; });
    };
    const auto instance = has(after);
    if (instance == after.instances.end())
        return Error { tr("No campaign instance %1.").arg(instanceId) };
    const bool sameCatalog = &before == &after;

    // A file or a server (ContactReader is the batch's backend seam).
    Result<std::unique_ptr<ContactReader>> reader = ContactReader::open(dbPath);
    if (!reader)
        return reader.error();
    const ContactReader &source = **reader;
    const CampaignRun afterRun(after, config, today);
    const std::optional<CampaignRun> beforeRun
        = sameCatalog ? std::nullopt : std::optional<CampaignRun>(CampaignRun(before, config, today));
    const CampaignRun &runBefore = beforeRun ? *beforeRun : afterRun;
    const Side afterSide { &afterRun, instanceId, afterRun.byInstanceId(instanceId) != nullptr, &change.after,
                           &change.othersAfter };
    const Side beforeSide { &runBefore, instanceId, runBefore.byInstanceId(instanceId) != nullptr,
                            &change.before, &change.othersBefore };
    change.after.live = afterSide.live;
    change.after.notLive = notLiveText(*instance, after, today);
    change.before.live = beforeSide.live;
    if (const auto stored = has(before); stored != before.instances.end())
        change.before.notLive = notLiveText(*stored, before, today);

    Result<RunInputs> inputs = source.readRunInputs();
    if (!inputs)
        return inputs.error();
    const SuppressionList suppressions(std::move(inputs->suppressions));
    Result<ContactIdScan> scan = source.scanIds();
    if (!scan)
        return scan.error();
    const std::vector<qint64> *ids = &scan->ids;
    if (ids->empty())
        return change;
    Result<QHash<qint64, QString>> drafted = resolveEnrolments(source, *ids, enrolments);
    if (!drafted)
        return drafted.error();
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
            const ContactSchedule stored = Engine::scheduleContact(contact, history, *activity, today, config,
                                                                   runBefore, suppressions);
            count(beforeSide, stored);
            const auto draft = drafted->constFind(contact.id);
            if (sameCatalog && draft == drafted->constEnd()) {
                count(afterSide, stored); // nothing of this contact changes
                return;
            }
            std::vector<EnrolmentRow> enrolled;
            ContactActivity changed = *activity;
            if (draft != drafted->constEnd()) {
                enrolled = withEnrolment(activity->enrolments, instanceId, *draft);
                changed.enrolments = enrolled;
            }
            count(afterSide,
                  Engine::scheduleContact(contact, history, changed, today, config, afterRun, suppressions));
        });
    if (stopped)
        return dbError(DbErrorKind::Cancelled, tr("Cancelled."));
    if (failure)
        return *failure;
    if (!read)
        return read.error();
    for (CampaignEffect *effect : { &change.before, &change.after })
        effect->dailyCap
            = LoadBalancer::dailyCap(effect->validContacts, config.loadBalancing.dailySendPercentageCap);
    return change;
}

} // namespace CampaignEffects
