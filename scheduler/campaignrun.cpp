#include "campaignrun.h"

#include "dates.h"
#include "fnv1a.h"
#include "textview_p.h"

#include <QCoreApplication>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("CampaignRun", text);
}

// A date column of an instance: empty is "open" (ok, invalid date), unreadable is an error.
bool readDate(const QString &text, QDate &out)
{
    const QStringView t = TextView::trimmed(text);
    if (t.isEmpty()) {
        out = QDate();
        return true;
    }
    out = Dates::parseContactDate(t);
    return out.isValid();
}

const CampaignTypeRow *findType(const CampaignCatalog &catalog, QStringView name)
{
    for (const CampaignTypeRow &type : catalog.types) {
        if (QStringView(type.name) == name)
            return &type;
    }
    return nullptr;
}

bool isAll(QStringView text)
{
    return text.compare("ALL"_L1, Qt::CaseInsensitive) == 0;
}

quint32 foldedHash(QStringView key)
{
    quint32 h = 2166136261u;
    for (QChar c : key) {
        const char16_t u = c.toLower().unicode();
        h = (h ^ quint32(u & 0xff)) * 16777619u;
        h = (h ^ quint32(u >> 8)) * 16777619u;
    }
    return h;
}

} // namespace

bool CampaignRun::isAllowedTypeName(QStringView name)
{
    if (name.isEmpty())
        return false;
    for (QChar c : name) {
        if (!((c >= u'a' && c <= u'z') || (c >= u'0' && c <= u'9') || c == u'_'))
            return false;
    }
    if (name == "birthday"_L1 || name == "effective_date"_L1 || name == "aep"_L1)
        return false;
    return !name.startsWith("post_window"_L1) && !name.startsWith("followup"_L1);
}

InstanceState CampaignRun::stateOf(const CampaignInstanceRow &instance, const CampaignCatalog &catalog,
                                   QDate today)
{
    const CampaignTypeRow *type = findType(catalog, instance.campaignType);
    if (!type)
        return InstanceState::TypeMissing;
    if (!isAllowedTypeName(type->name))
        return InstanceState::TypeNotAllowed;
    QDate start, end, spreadStart, spreadEnd;
    if (!readDate(instance.activeStartDate, start) || !readDate(instance.activeEndDate, end)
        || !readDate(instance.spreadStartDate, spreadStart) || !readDate(instance.spreadEndDate, spreadEnd))
        return InstanceState::UnreadableDate;
    if (!type->active)
        return InstanceState::TypeInactive;
    if (start.isValid() && today < start)
        return InstanceState::NotStarted;
    if (end.isValid() && today > end)
        return InstanceState::Ended;
    return InstanceState::Live;
}

CampaignRun::CampaignRun(const CampaignCatalog &catalog, const Config &config, QDate today) : m_today(today)
{
    for (const CampaignTypeRow &type : catalog.types) {
        if (type.enableFollowups && isAllowedTypeName(type.name))
            m_followupTypes.append(type.name.toLower());
    }
    std::vector<const CampaignInstanceRow *> instances;
    for (const CampaignInstanceRow &instance : catalog.instances)
        instances.push_back(&instance);
    std::sort(instances.begin(), instances.end(),
              [](const CampaignInstanceRow *a, const CampaignInstanceRow *b) { return a->id < b->id; });
    for (const CampaignInstanceRow *instance : instances) {
        const InstanceState state = stateOf(*instance, catalog, today);
        QString why;
        switch (state) {
        case InstanceState::TypeMissing:
            why = tr("its campaign type \"%1\" does not exist").arg(instance->campaignType);
            break;
        case InstanceState::TypeNotAllowed:
            why = tr("its campaign type name \"%1\" is not allowed (lower-case letters, digits and _ "
                     "only; not birthday, effective_date, aep, post_window… or followup…)")
                      .arg(instance->campaignType);
            break;
        case InstanceState::UnreadableDate:
            why = tr("one of its dates cannot be read (start \"%1\", end \"%2\", spread start \"%3\", "
                     "spread end \"%4\")")
                      .arg(instance->activeStartDate, instance->activeEndDate, instance->spreadStartDate,
                           instance->spreadEndDate);
            break;
        default:
            break;
        }
        if (!why.isEmpty()) {
            m_warnings.push_back(RunWarning { u"campaign_invalid"_s, instance->id, instance->instanceName,
                                              tr("Campaign instance %1 (\"%2\") is never sent: %3")
                                                  .arg(instance->id)
                                                  .arg(instance->instanceName, why) });
            continue;
        }
        if (state != InstanceState::Live)
            continue;
        const CampaignTypeRow &type = *findType(catalog, instance->campaignType);
        LiveCampaign live;
        live.instanceId = instance->id;
        live.typeName = type.name;
        live.emailType = "campaign_"_L1 + type.name;
        live.instanceName = instance->instanceName;
        live.priority = config.campaignPriorities.value(live.emailType, type.priority);
        live.daysBeforeEvent = type.daysBeforeEvent;
        live.respectExclusionWindows = type.respectExclusionWindows;
        live.enableFollowups = type.enableFollowups;
        live.targetAllContacts = type.targetAllContacts;
        live.skipFailedUnderwriting = type.skipFailedUnderwriting;
        readDate(instance->activeStartDate, live.activeStart);
        readDate(instance->activeEndDate, live.activeEnd);
        QDate spreadStart, spreadEnd;
        readDate(instance->spreadStartDate, spreadStart);
        readDate(instance->spreadEndDate, spreadEnd);
        if (type.spreadEvenly && spreadStart.isValid() && spreadEnd.isValid() && spreadStart <= spreadEnd) {
            live.spreadEvenly = true;
            live.spreadStart = spreadStart;
            live.spreadEnd = spreadEnd;
        }
        // states: codes separated by commas and/or spaces
        const QStringView states = TextView::trimmed(instance->targetStates);
        live.allStates = states.isEmpty() || isAll(states);
        if (!live.allStates) {
            qsizetype i = 0;
            while (i < states.size()) {
                while (i < states.size() && (states[i] == u',' || TextView::isSpace(states[i])))
                    ++i;
                qsizetype j = i;
                while (j < states.size() && states[j] != u',' && !TextView::isSpace(states[j]))
                    ++j;
                if (j > i) {
                    const QStringView token = states.sliced(i, j - i);
                    if (isAll(token)) {
                        live.allStates = true;
                        live.states.clear();
                        break;
                    }
                    const StateCode code = StateCode::fromString(token);
                    if (code.isValid())
                        live.states.push_back(code);
                }
                i = j;
            }
        }
        const QStringView carriers = TextView::trimmed(instance->targetCarriers);
        live.allCarriers = carriers.isEmpty() || isAll(carriers);
        if (!live.allCarriers) {
            for (QStringView token : carriers.split(u',')) {
                token = TextView::trimmed(token);
                if (isAll(token)) {
                    live.allCarriers = true;
                    live.carriers.clear();
                    break;
                }
                if (!token.isEmpty())
                    live.carriers.append(token.toString().toLower());
            }
        }
        live.hashSuffix = "-campaign_"_ba + type.name.toUtf8() + '-' + QByteArray::number(instance->id);
        m_live.push_back(std::move(live));
    }
    std::stable_sort(m_live.begin(), m_live.end(), [](const LiveCampaign &a, const LiveCampaign &b) {
        if (a.emailType != b.emailType)
            return a.emailType < b.emailType;
        return a.instanceId < b.instanceId;
    });
    if (m_live.size() > 0xffff)
        m_live.resize(0xffff);
}

const LiveCampaign *CampaignRun::byInstanceId(qint64 instanceId) const
{
    for (const LiveCampaign &c : m_live) {
        if (c.instanceId == instanceId)
            return &c;
    }
    return nullptr;
}

QString CampaignRun::emailTypeName(const ScheduledEmail &email) const
{
    if (email.type == EmailType::Campaign) {
        if (const LiveCampaign *c = campaign(email.campaign))
            return c->emailType;
    }
    return ::emailTypeName(email.type);
}

qint64 CampaignRun::instanceId(const ScheduledEmail &email) const
{
    if (email.type != EmailType::Campaign)
        return 0;
    const LiveCampaign *c = campaign(email.campaign);
    return c ? c->instanceId : 0;
}

bool CampaignRun::followupsEnabledFor(QStringView historyType) const
{
    historyType = TextView::trimmed(historyType);
    if (m_followupTypes.isEmpty() || historyType.size() <= 9
        || !historyType.startsWith("campaign_"_L1, Qt::CaseInsensitive))
        return false;
    const QStringView name = historyType.sliced(9);
    for (const QString &t : m_followupTypes) {
        if (name.compare(t, Qt::CaseInsensitive) == 0)
            return true;
    }
    return false;
}

bool CampaignRun::inAudience(quint16 index, const Contact &contact, const ContactFacts &facts,
                             std::span<const EnrolmentRow> enrolments, const EnrolmentRow **enrolment) const
{
    if (enrolment)
        *enrolment = nullptr;
    const LiveCampaign *c = campaign(index);
    if (!c)
        return false;
    if (!c->targetAllContacts) {
        const EnrolmentRow *counting = nullptr;
        for (const EnrolmentRow &row : enrolments) {
            if (row.instanceId != c->instanceId)
                continue;
            if (TextView::trimmed(row.status).compare("cancelled"_L1, Qt::CaseInsensitive) == 0)
                continue;
            if (!counting || row.id < counting->id)
                counting = &row;
        }
        if (!counting)
            return false;
        if (enrolment)
            *enrolment = counting;
    }
    if (!c->allStates && std::find(c->states.begin(), c->states.end(), facts.state) == c->states.end())
        return false;
    if (!c->allCarriers) {
        const QStringView carrier = TextView::trimmed(contact.currentCarrier);
        const bool match = std::any_of(c->carriers.cbegin(), c->carriers.cend(), [carrier](const QString &t) {
            return carrier.compare(t, Qt::CaseInsensitive) == 0;
        });
        if (!match)
            return false;
    }
    return true;
}

SuppressionList::SuppressionList(std::vector<SuppressionEntry> entries) : m_entries(std::move(entries))
{
    m_index.reserve(m_entries.size());
    for (std::size_t i = 0; i < m_entries.size(); ++i)
        m_index.emplace_back(foldedHash(TextView::trimmed(m_entries[i].email)), quint32(i));
    std::sort(m_index.begin(), m_index.end(), [this](const auto &a, const auto &b) {
        if (a.first != b.first)
            return a.first < b.first;
        return m_entries[a.second].id < m_entries[b.second].id;
    });
}

const SuppressionEntry *SuppressionList::find(QStringView email) const
{
    if (m_index.empty())
        return nullptr;
    const QStringView key = TextView::trimmed(email);
    if (key.isEmpty())
        return nullptr;
    const quint32 h = foldedHash(key);
    auto it = std::lower_bound(m_index.begin(), m_index.end(), h,
                               [](const std::pair<quint32, quint32> &p, quint32 v) { return p.first < v; });
    for (; it != m_index.end() && it->first == h; ++it) {
        const SuppressionEntry &entry = m_entries[it->second];
        const QStringView stored = TextView::trimmed(entry.email);
        if (stored.size() == key.size() && stored.compare(key, Qt::CaseInsensitive) == 0)
            return &entry;
    }
    return nullptr;
}

QString SuppressionList::normalized(QStringView email)
{
    return TextView::trimmed(email).toString().toLower();
}
