#include "storage/campaignaudience.h"

#include "campaignrun.h"
#include "config.h"
#include "dates.h"
#include "engine.h"
#include "storage/activitysource.h"
#include "storage/contactreader.h"
#include "storage/sqlsession.h"

#include <QCoreApplication>
#include <QHash>
#include <QSet>

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("CampaignAudience", text);
}

// Why an instance is not live, in the words of the Campaigns window.
QString stateText(InstanceState state, const CampaignInstanceRow &instance)
{
    switch (state) {
    case InstanceState::Live:
        return QString();
    case InstanceState::NotStarted:
        return tr("starts %1").arg(Dates::parseContactDate(instance.activeStartDate).toString(Qt::ISODate));
    case InstanceState::Ended:
        return tr("ended %1").arg(Dates::parseContactDate(instance.activeEndDate).toString(Qt::ISODate));
    case InstanceState::TypeInactive:
        return tr("type %1 is inactive").arg(instance.campaignType);
    case InstanceState::TypeMissing:
        return tr("no campaign type named %1").arg(instance.campaignType);
    case InstanceState::TypeNotAllowed:
        return tr("type name %1 is not allowed").arg(instance.campaignType);
    case InstanceState::UnreadableDate:
        return tr("a date of the instance cannot be read");
    }
    return QString();
}

// --- the data the audience needs --------------------------------------------------------------

Result<std::vector<SuppressionEntry>> suppressionEntries(const SqlSession &db)
{
    std::vector<SuppressionEntry> entries;
    if (!db.hasTable(QStringLiteral("email_suppressions")))
        return entries;
    auto stmt = db.prepare("SELECT id, email, reason, note, created_at, created_by FROM email_suppressions",
                           tr("read the do-not-email list of"));
    if (!stmt)
        return stmt.error();
    Result<bool> row = stmt->step();
    for (; row.ok() && *row; row = stmt->step())
        entries.push_back(ActivitySource::suppressionEntry(*stmt).value_or(SuppressionEntry {}));
    if (!row)
        return row.error();
    return entries;
}

Result<QSet<qint64>> bouncedContacts(const SqlSession &db)
{
    QSet<qint64> ids;
    if (!db.hasTable(QStringLiteral("email_send_tracking")))
        return ids;
    auto stmt = db.prepare("SELECT DISTINCT contact_id FROM email_send_tracking WHERE lower(send_status) "
                           "IN ('bounced', 'dropped')",
                           tr("read the sends of"));
    if (!stmt)
        return stmt.error();
    Result<bool> row = stmt->step();
    for (; row.ok() && *row; row = stmt->step())
        ids.insert(stmt->int64(0));
    if (!row)
        return row.error();
    return ids;
}

// Every enrolment row by contact (the engine picks the counting one), and the number of
// contacts with a row that counts, per instance.
struct Enrolments
{
    QHash<qint64, std::vector<EnrolmentRow>> byContact;
    QHash<qint64, qint64> countingPerInstance;
};

Result<Enrolments> enrolments(const SqlSession &db)
{
    Enrolments e;
    if (!db.hasTable(QStringLiteral("contact_campaigns")))
        return e;
    auto stmt = db.prepare("SELECT id, campaign_instance_id, contact_id, trigger_date, status FROM "
                           "contact_campaigns ORDER BY id",
                           tr("read the enrolments of"));
    if (!stmt)
        return stmt.error();
    QSet<std::pair<qint64, qint64>> counted; // (instance, contact)
    Result<bool> row = stmt->step();
    for (; row.ok() && *row; row = stmt->step()) {
        const qint64 instance = stmt->int64(1);
        const qint64 contact = stmt->int64(2);
        const QString status = stmt->text(4);
        e.byContact[contact].push_back({ stmt->int64(0), instance, stmt->text(3), status });
        if (status.trimmed().compare(u"cancelled", Qt::CaseInsensitive) != 0
            && !counted.contains({ instance, contact })) {
            counted.insert({ instance, contact });
            ++e.countingPerInstance[instance];
        }
    }
    if (!row)
        return row.error();
    return e;
}

} // namespace

namespace CampaignAudience {

Result<std::vector<CampaignInstanceState>> measure(const SqlSession &db, const CampaignCatalog &catalog,
                                                   QDate asOf)
{
    std::vector<CampaignInstanceState> states;
    auto enrolled = enrolments(db);
    if (!enrolled)
        return enrolled.error();
    // The engine decides what is live and who is in an audience (SPEC 12); the configuration's
    // priorities do not change either.
    const CampaignRun run(catalog, Config(), asOf);
    QHash<qint64, size_t> stateOfInstance; // instance id -> index into states
    for (const CampaignInstanceRow &instance : catalog.instances) {
        CampaignInstanceState state;
        state.row = instance;
        const InstanceState live = CampaignRun::stateOf(instance, catalog, asOf);
        state.live = live == InstanceState::Live;
        state.liveDetail = stateText(live, instance);
        state.enrolled = enrolled->countingPerInstance.value(instance.id);
        stateOfInstance.insert(instance.id, states.size());
        states.push_back(std::move(state));
    }
    if (run.isEmpty())
        return states;
    bool needCarrier = false;
    for (const LiveCampaign &c : run.live())
        needCarrier = needCarrier || !c.allCarriers;

    auto suppressed = suppressionEntries(db);
    if (!suppressed)
        return suppressed.error();
    const SuppressionList list(std::move(*suppressed));
    auto bounced = bouncedContacts(db);
    if (!bounced)
        return bounced.error();
    static const QString bounceStatus[] = { QStringLiteral("bounced") };
    const Config config;
    auto source = db.contactReader();
    if (!source)
        return source.error();
    auto scan = (*source)->scanIds();
    if (!scan)
        return scan.error();
    const std::vector<qint64> *ids = &scan->ids;
    if (ids->empty())
        return states;
    static const std::vector<EnrolmentRow> none;
    const auto visit = [&](const Contact &contact, std::span<const HistoryEntry>) {
        const auto rows = enrolled->byContact.constFind(contact.id);
        ContactActivity activity;
        activity.enrolments = rows == enrolled->byContact.constEnd() ? std::span<const EnrolmentRow>(none)
                                                                     : std::span<const EnrolmentRow>(*rows);
        if (bounced->contains(contact.id))
            activity.sendStatuses = bounceStatus;
        if (Engine::suppressionOf(contact, activity, list, config))
            return;
        const ContactFacts facts = Engine::checkContact(contact, asOf);
        if (facts.hasError())
            return;
        for (quint16 i = 0; i < run.live().size(); ++i) {
            if (run.inAudience(i, contact, facts, activity.enrolments))
                ++states[stateOfInstance.value(run.live()[i].instanceId)].audience;
        }
    };
    auto read = (*source)->readRange(ids->front(), ids->back(),
                                     needCarrier ? ContactSource::Fields::All : ContactSource::Fields::Checks,
                                     visit);
    if (!read)
        return read.error();
    return states;
}

} // namespace CampaignAudience
