#include "storage/campaignaudience.h"

#include "dates.h"
#include "engine.h"
#include "storage/contactsource.h"
#include "storage/orgdatabase.h"
#include "storage/statement.h"

#include <QCoreApplication>
#include <QHash>
#include <QRegularExpression>
#include <QSet>

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("CampaignAudience", text);
}

// --- SPEC 12 "live instances" and targeting -----------------------------------------------
// TEMPORARY: until the engine (branch e9-engine) exposes these rules, they are read here in the
// simplest form; replace by the engine's functions when it lands (see the issue 9 report).

const CampaignTypeRow *typeOf(const CampaignCatalog &catalog, const QString &name)
{
    for (const CampaignTypeRow &t : catalog.types) {
        if (t.name == name)
            return &t;
    }
    return nullptr;
}

// Whether the instance is live on `today`; `why` says why not.
bool isLive(const CampaignCatalog &catalog, const CampaignInstanceRow &instance, QDate today, QString &why)
{
    const CampaignTypeRow *type = typeOf(catalog, instance.campaignType);
    if (!type) {
        why = tr("no campaign type named %1").arg(instance.campaignType);
        return false;
    }
    if (CampaignStore::typeNameProblem(type->name)) {
        why = tr("type name %1 is not allowed").arg(type->name);
        return false;
    }
    if (!type->active) {
        why = tr("type %1 is inactive").arg(type->name);
        return false;
    }
    QDate bounds[2];
    const QString *texts[2] = { &instance.activeStartDate, &instance.activeEndDate };
    for (int i = 0; i < 2; ++i) {
        if (texts[i]->trimmed().isEmpty())
            continue;
        bounds[i] = Dates::parseContactDate(*texts[i]);
        if (!bounds[i].isValid()) {
            why = tr("unreadable %1 date \"%2\"").arg(i == 0 ? tr("start") : tr("end"), *texts[i]);
            return false;
        }
    }
    if (bounds[0].isValid() && today < bounds[0]) {
        why = tr("starts %1").arg(bounds[0].toString(Qt::ISODate));
        return false;
    }
    if (bounds[1].isValid() && today > bounds[1]) {
        why = tr("ended %1").arg(bounds[1].toString(Qt::ISODate));
        return false;
    }
    return true;
}

// States and carriers of an instance as sets; empty = every one.
struct Targeting
{
    QSet<QString> states;
    QSet<QString> carriers; // lower-case, trimmed

    bool matches(const QString &state, const QString &carrier) const
    {
        return (states.isEmpty() || states.contains(state))
            && (carriers.isEmpty() || carriers.contains(carrier.trimmed().toLower()));
    }
};

Targeting targetingOf(const CampaignInstanceRow &instance)
{
    static const QRegularExpression separators(QStringLiteral("[,\\s]+"));
    Targeting t;
    const QStringList states = instance.targetStates.toUpper().split(separators, Qt::SkipEmptyParts);
    if (!(states.isEmpty() || (states.size() == 1 && states.front() == u"ALL")))
        t.states = QSet<QString>(states.begin(), states.end());
    QStringList carriers;
    for (const QString &c : instance.targetCarriers.split(u',')) {
        if (!c.trimmed().isEmpty())
            carriers.append(c.trimmed().toLower());
    }
    if (!(carriers.isEmpty() || (carriers.size() == 1 && carriers.front() == u"all")))
        t.carriers = QSet<QString>(carriers.begin(), carriers.end());
    return t;
}

// --- the data the audience needs --------------------------------------------------------------

QString emailKey(QStringView email)
{
    QString key = email.trimmed().toString();
    for (QChar &c : key) {
        if (c >= u'A' && c <= u'Z')
            c = QChar(c.unicode() + 32);
    }
    return key;
}

Result<QSet<QString>> suppressedEmails(const OrgDatabase &db)
{
    QSet<QString> emails;
    if (!db.hasTable(QStringLiteral("email_suppressions")))
        return emails;
    auto stmt
        = Statement::prepare(db, "SELECT email FROM email_suppressions", tr("read the do-not-email list of"));
    if (!stmt)
        return stmt.error();
    Result<bool> row = stmt->step();
    for (; row.ok() && *row; row = stmt->step())
        emails.insert(emailKey(stmt->text(0)));
    if (!row)
        return row.error();
    return emails;
}

Result<QSet<qint64>> bouncedContacts(const OrgDatabase &db)
{
    QSet<qint64> ids;
    if (!db.hasTable(QStringLiteral("email_send_tracking")))
        return ids;
    auto stmt
        = Statement::prepare(db,
                             "SELECT DISTINCT contact_id FROM email_send_tracking WHERE lower(send_status) "
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

// Enrolled contacts per instance: the contacts with a row that is not cancelled.
Result<QHash<qint64, QSet<qint64>>> enrolledContacts(const OrgDatabase &db)
{
    QHash<qint64, QSet<qint64>> enrolled;
    if (!db.hasTable(QStringLiteral("contact_campaigns")))
        return enrolled;
    auto stmt = Statement::prepare(db,
                                   "SELECT campaign_instance_id, contact_id FROM contact_campaigns WHERE "
                                   "status IS NULL OR lower(status) <> 'cancelled'",
                                   tr("read the enrolments of"));
    if (!stmt)
        return stmt.error();
    Result<bool> row = stmt->step();
    for (; row.ok() && *row; row = stmt->step())
        enrolled[stmt->int64(0)].insert(stmt->int64(1));
    if (!row)
        return row.error();
    return enrolled;
}

} // namespace

namespace CampaignAudience {

Result<std::vector<CampaignInstanceState>> measure(const OrgDatabase &db, const CampaignCatalog &catalog,
                                                   QDate asOf)
{
    std::vector<CampaignInstanceState> states;
    auto enrolled = enrolledContacts(db);
    if (!enrolled)
        return enrolled.error();
    struct LiveInstance
    {
        size_t index;
        bool all;
        Targeting targeting;
    };
    std::vector<LiveInstance> live;
    bool needCarrier = false;
    for (const CampaignInstanceRow &instance : catalog.instances) {
        CampaignInstanceState state;
        state.row = instance;
        state.enrolled = enrolled->value(instance.id).size();
        state.live = isLive(catalog, instance, asOf, state.liveDetail);
        if (state.live) {
            const CampaignTypeRow *type = typeOf(catalog, instance.campaignType);
            LiveInstance l { states.size(), type->targetAllContacts, targetingOf(instance) };
            needCarrier = needCarrier || !l.targeting.carriers.isEmpty();
            live.push_back(std::move(l));
        }
        states.push_back(std::move(state));
    }
    if (live.empty())
        return states;

    auto suppressed = suppressedEmails(db);
    if (!suppressed)
        return suppressed.error();
    auto bounced = bouncedContacts(db);
    if (!bounced)
        return bounced.error();
    // ContactSource is bound to a connection it may read from; it never writes.
    ContactSource source(const_cast<OrgDatabase &>(db));
    auto ids = source.contactIds();
    if (!ids)
        return ids.error();
    if (ids->empty())
        return states;
    const auto visit = [&](const Contact &contact, std::span<const HistoryEntry>) {
        if (bounced->contains(contact.id) || suppressed->contains(emailKey(contact.email)))
            return;
        const ContactFacts facts = Engine::checkContact(contact, asOf);
        if (facts.hasError())
            return;
        const QString state = facts.state.isValid() ? facts.state.toString() : QString();
        for (const LiveInstance &l : live) {
            CampaignInstanceState &s = states[l.index];
            if (!l.all && !enrolled->value(s.row.id).contains(contact.id))
                continue;
            if (l.targeting.matches(state, contact.currentCarrier))
                ++s.audience;
        }
    };
    auto read
        = source.readRange(ids->front(), ids->back(),
                           needCarrier ? ContactSource::Fields::All : ContactSource::Fields::Checks, visit);
    if (!read)
        return read.error();
    return states;
}

} // namespace CampaignAudience
