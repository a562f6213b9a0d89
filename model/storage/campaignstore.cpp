#include "storage/campaignstore.h"

#include "campaignrun.h"
#include "dates.h"
#include "storage/activitysource.h"
#include "storage/auditlog.h"
#include "storage/campaignaudience.h"
#include "storage/sqlsession.h"

#include <QCoreApplication>
#include <QHash>
#include <QJsonArray>
#include <QJsonObject>
#include <QRegularExpression>

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("CampaignStore", text);
}

using ManagementTables::emailKey;
using ManagementTables::invalidInput;
using ManagementTables::requireWritable;

QJsonObject toJson(const CampaignTypeRow &t)
{
    QJsonObject o;
    o.insert(QStringLiteral("id"), t.id);
    o.insert(QStringLiteral("name"), t.name);
    o.insert(QStringLiteral("respect_exclusion_windows"), t.respectExclusionWindows ? 1 : 0);
    o.insert(QStringLiteral("enable_followups"), t.enableFollowups ? 1 : 0);
    o.insert(QStringLiteral("days_before_event"), t.daysBeforeEvent);
    o.insert(QStringLiteral("target_all_contacts"), t.targetAllContacts ? 1 : 0);
    o.insert(QStringLiteral("priority"), t.priority);
    o.insert(QStringLiteral("active"), t.active ? 1 : 0);
    o.insert(QStringLiteral("spread_evenly"), t.spreadEvenly ? 1 : 0);
    o.insert(QStringLiteral("skip_failed_underwriting"), t.skipFailedUnderwriting ? 1 : 0);
    return o;
}

QJsonValue nullable(const QString &text)
{
    return text.isNull() ? QJsonValue(QJsonValue::Null) : QJsonValue(text);
}

QJsonObject toJson(const CampaignInstanceRow &i)
{
    QJsonObject o;
    o.insert(QStringLiteral("id"), i.id);
    o.insert(QStringLiteral("campaign_type"), i.campaignType);
    o.insert(QStringLiteral("instance_name"), i.instanceName);
    o.insert(QStringLiteral("active_start_date"), nullable(i.activeStartDate));
    o.insert(QStringLiteral("active_end_date"), nullable(i.activeEndDate));
    o.insert(QStringLiteral("spread_start_date"), nullable(i.spreadStartDate));
    o.insert(QStringLiteral("spread_end_date"), nullable(i.spreadEndDate));
    o.insert(QStringLiteral("target_states"), nullable(i.targetStates));
    o.insert(QStringLiteral("target_carriers"), nullable(i.targetCarriers));
    o.insert(QStringLiteral("metadata"), nullable(i.metadata));
    return o;
}

constexpr char kTypeSelect[]
    = "SELECT id, name, respect_exclusion_windows, enable_followups, days_before_event, target_all_contacts, "
      "priority, active, spread_evenly, skip_failed_underwriting FROM campaign_types ";
constexpr char kInstanceSelect[]
    = "SELECT id, campaign_type, instance_name, active_start_date, active_end_date, spread_start_date, "
      "spread_end_date, target_states, target_carriers, metadata FROM campaign_instances ";

// The columns a production table may lack are read as NULL (a read-only open adds nothing).
QString selectWithColumns(const SqlSession &db, const char *table, const char *select)
{
    QString sql = QString::fromLatin1(select);
    const QStringList existing = db.columns(QLatin1StringView(table));
    // Replace each missing column of the select list by NULL.
    const qsizetype from = sql.indexOf(u"SELECT ") + 7;
    const qsizetype to = sql.indexOf(u" FROM ");
    QStringList names = sql.mid(from, to - from).split(QStringLiteral(", "));
    for (QString &name : names) {
        if (!existing.contains(name, Qt::CaseInsensitive))
            name = QStringLiteral("NULL");
    }
    return QString(u"SELECT " + names.join(QStringLiteral(", ")) + sql.mid(to));
}

// A date field of an instance: empty stays empty (an open bound), a readable date is stored as
// YYYY-MM-DD, anything else is an error naming the field.
Result<QString> normalisedDate(const QString &field, const QString &text)
{
    const QString trimmed = text.trimmed();
    if (trimmed.isEmpty())
        return QString();
    const QDate date = Dates::parseContactDate(trimmed);
    if (!date.isValid() || !Dates::inRange(date))
        return invalidInput(tr("%1: \"%2\" is not a date (use YYYY-MM-DD, M/D/YYYY, M-D-YYYY, YYYY/MM/DD or "
                               "MMDDYYYY)")
                                .arg(field, trimmed));
    return date.toString(Qt::ISODate);
}

Result<std::optional<CampaignTypeRow>> findType(const SqlSession &db, const QString &name, qint64 id = 0)
{
    if (!db.hasTable(QStringLiteral("campaign_types")))
        return std::optional<CampaignTypeRow>();
    auto stmt = db.prepare(
        QString(selectWithColumns(db, "campaign_types", kTypeSelect) + u"WHERE name = ?1 OR id = ?2 LIMIT 1"),
        tr("read the campaign types of"));
    if (!stmt)
        return stmt.error();
    stmt->bind(1, name.isEmpty() ? QString() : name).bind(2, id);
    auto row = stmt->step();
    if (!row)
        return row.error();
    if (!*row)
        return std::optional<CampaignTypeRow>();
    return std::optional<CampaignTypeRow>(ActivitySource::campaignTypeRow(*stmt));
}

Result<std::optional<CampaignInstanceRow>> findInstance(const SqlSession &db, qint64 id)
{
    if (!db.hasTable(QStringLiteral("campaign_instances")))
        return std::optional<CampaignInstanceRow>();
    auto stmt
        = db.prepare(QString(selectWithColumns(db, "campaign_instances", kInstanceSelect) + u"WHERE id = ?1"),
                     tr("read the campaign instances of"));
    if (!stmt)
        return stmt.error();
    stmt->bind(1, id);
    auto row = stmt->step();
    if (!row)
        return row.error();
    if (!*row)
        return std::optional<CampaignInstanceRow>();
    return std::optional<CampaignInstanceRow>(ActivitySource::campaignInstanceRow(*stmt));
}

Error noInstance(qint64 id)
{
    return invalidInput(tr("instance: there is no campaign instance with id %1").arg(id));
}

// Checks an instance and brings its dates into YYYY-MM-DD; errors name the field.
Result<CampaignInstanceRow> checkedInstance(const SqlSession &db, const CampaignInstanceRow &in)
{
    CampaignInstanceRow out = in;
    out.campaignType = in.campaignType.trimmed();
    out.instanceName = in.instanceName.trimmed();
    if (out.campaignType.isEmpty())
        return invalidInput(tr("type: a campaign instance needs a campaign type"));
    auto type = findType(db, out.campaignType);
    if (!type)
        return type.error();
    if (!type->has_value())
        return invalidInput(
            tr("type: there is no campaign type named \"%1\" (add it first)").arg(out.campaignType));
    if (out.instanceName.isEmpty())
        return invalidInput(tr("name: a campaign instance needs a name"));
    const std::pair<QString CampaignInstanceRow::*, const char *> dates[] = {
        { &CampaignInstanceRow::activeStartDate, "start" },
        { &CampaignInstanceRow::activeEndDate, "end" },
        { &CampaignInstanceRow::spreadStartDate, "spread-start" },
        { &CampaignInstanceRow::spreadEndDate, "spread-end" },
    };
    for (const auto &[member, field] : dates) {
        auto date = normalisedDate(QLatin1StringView(field), in.*member);
        if (!date)
            return date.error();
        out.*member = *date;
    }
    // ISO dates compare as text.
    if (!out.activeStartDate.isEmpty() && !out.activeEndDate.isEmpty()
        && out.activeEndDate < out.activeStartDate)
        return invalidInput(tr("end: %1 is before the start %2").arg(out.activeEndDate, out.activeStartDate));
    if (!out.spreadStartDate.isEmpty() && !out.spreadEndDate.isEmpty()
        && out.spreadEndDate < out.spreadStartDate)
        return invalidInput(
            tr("spread-end: %1 is before the spread start %2").arg(out.spreadEndDate, out.spreadStartDate));
    if ((*type)->spreadEvenly && (out.spreadStartDate.isEmpty() != out.spreadEndDate.isEmpty()))
        return invalidInput(tr("spread-start: type %1 spreads its emails evenly; give both the spread start "
                               "and the spread end, or neither")
                                .arg(out.campaignType));
    if (const auto problem = CampaignStore::statesProblem(out.targetStates))
        return invalidInput(*problem);
    out.targetStates = out.targetStates.trimmed().toUpper();
    out.targetCarriers = out.targetCarriers.trimmed();
    return out;
}

Result<void> checkType(const CampaignTypeRow &type)
{
    if (const auto problem = CampaignStore::typeNameProblem(type.name))
        return invalidInput(*problem);
    if (type.daysBeforeEvent < 0 || type.daysBeforeEvent > 3650)
        return invalidInput(
            tr("days-before: %1 is not a number of days from 0 to 3650").arg(type.daysBeforeEvent));
    return {};
}

void bindType(SqlStatement &s, const CampaignTypeRow &t)
{
    s.bindText(1, t.name)
        .bind(2, t.respectExclusionWindows ? 1 : 0)
        .bind(3, t.enableFollowups ? 1 : 0)
        .bind(4, t.daysBeforeEvent)
        .bind(5, t.targetAllContacts ? 1 : 0)
        .bind(6, t.priority)
        .bind(7, t.active ? 1 : 0)
        .bind(8, t.spreadEvenly ? 1 : 0)
        .bind(9, t.skipFailedUnderwriting ? 1 : 0);
}

QString orNull(const QString &text)
{
    return text.isEmpty() ? QString() : text;
}

void bindInstance(SqlStatement &s, const CampaignInstanceRow &i)
{
    s.bindText(1, i.campaignType)
        .bindText(2, i.instanceName)
        .bind(3, orNull(i.activeStartDate))
        .bind(4, orNull(i.activeEndDate))
        .bind(5, orNull(i.spreadStartDate))
        .bind(6, orNull(i.spreadEndDate))
        .bind(7, orNull(i.targetStates))
        .bind(8, orNull(i.targetCarriers))
        .bind(9, orNull(i.metadata));
}

// Opens the write transaction of `action` with the campaign tables in place; rolled back
// when they cannot be made.
Result<SqlTransaction> beginCampaignWrite(SqlSession &db, const QString &action)
{
    auto transaction = SqlTransaction::begin(db, action);
    if (!transaction)
        return transaction.error();
    if (auto tables = ManagementTables::ensure(db, ManagementTables::Table::Campaigns); !tables)
        return tables.error();
    return transaction;
}

// Prepares `sql`, lets `bind` fill in its parameters and runs it once; the first column of its
// first row (an INSERT's RETURNING id), 0 when it gives none.
Result<qint64> execOnce(SqlSession &db, const char *sql, const QString &action,
                        const std::function<void(SqlStatement &)> &bind)
{
    auto stmt = db.prepare(sql, action);
    if (!stmt)
        return stmt.error();
    bind(*stmt);
    auto row = stmt->step();
    if (!row)
        return row.error();
    const qint64 first = *row ? stmt->int64(0) : 0;
    if (auto done = stmt->exec(); !done)
        return done.error();
    return first;
}

// Records the change in the audit log and commits it with `transaction`.
Result<void> auditAndCommit(SqlTransaction &transaction, SqlSession &db, const AuditActor &actor,
                            const char *action, const char *entity, qint64 entityId, const QString &summary,
                            const QJsonObject &before, const QJsonObject &after)
{
    if (auto audited = AuditLog::record(db, actor, QLatin1StringView(action), QLatin1StringView(entity),
                                        entityId, summary, before, after);
        !audited)
        return audited.error();
    return transaction.commit();
}

} // namespace

CampaignStore::CampaignStore(SqlSession &db, AuditActor actor) : m_db(db), m_actor(std::move(actor)) { }

CampaignStore::CampaignStore(OrgDatabase &db, AuditActor actor)
    : m_own(SqlSession::over(db)), m_db(*m_own), m_actor(std::move(actor))
{ }

CampaignStore::~CampaignStore() = default;

std::optional<QString> CampaignStore::typeNameProblem(QStringView name)
{
    // The rule is the engine's (SPEC 12); the message says which part of it the name breaks.
    if (CampaignRun::isAllowedTypeName(name))
        return std::nullopt;
    if (name.isEmpty())
        return tr("name: a campaign type needs a name");
    for (QChar c : name) {
        if (!((c >= u'a' && c <= u'z') || (c >= u'0' && c <= u'9') || c == u'_'))
            return tr("name: \"%1\" may only hold lower-case letters a-z, digits and _").arg(name);
    }
    if (name == u"birthday" || name == u"effective_date" || name == u"aep" || name.startsWith(u"post_window")
        || name.startsWith(u"followup"))
        return tr("name: \"%1\" is reserved for the program's own emails (birthday, effective_date, aep, "
                  "post_window…, followup…)")
            .arg(name);
    return tr("name: \"%1\" cannot name a campaign type").arg(name);
}

std::optional<QString> CampaignStore::statesProblem(QStringView states)
{
    static const QRegularExpression separators(QStringLiteral("[,\\s]+"));
    const QStringList codes = states.trimmed().toString().split(separators, Qt::SkipEmptyParts);
    if (codes.size() == 1 && codes.front().compare(u"ALL", Qt::CaseInsensitive) == 0)
        return std::nullopt;
    for (const QString &code : codes) {
        const bool letters = code.size() == 2 && code[0].isLetter() && code[1].isLetter()
            && code[0].unicode() < 128 && code[1].unicode() < 128;
        if (!letters)
            return tr("states: \"%1\" is not a two-letter state code (give codes like CA, NY separated by "
                      "commas or spaces, or ALL)")
                .arg(code);
    }
    return std::nullopt;
}

Result<CampaignCatalog> CampaignStore::catalog() const
{
    CampaignCatalog catalog;
    if (m_db.hasTable(QStringLiteral("campaign_types"))) {
        auto stmt
            = m_db.prepare(QString(selectWithColumns(m_db, "campaign_types", kTypeSelect) + u"ORDER BY id"),
                           tr("read the campaign types of"));
        if (!stmt)
            return stmt.error();
        Result<bool> row = stmt->step();
        for (; row.ok() && *row; row = stmt->step())
            catalog.types.push_back(ActivitySource::campaignTypeRow(*stmt));
        if (!row)
            return row.error();
    }
    if (m_db.hasTable(QStringLiteral("campaign_instances"))) {
        auto stmt = m_db.prepare(
            QString(selectWithColumns(m_db, "campaign_instances", kInstanceSelect) + u"ORDER BY id"),
            tr("read the campaign instances of"));
        if (!stmt)
            return stmt.error();
        Result<bool> row = stmt->step();
        for (; row.ok() && *row; row = stmt->step())
            catalog.instances.push_back(ActivitySource::campaignInstanceRow(*stmt));
        if (!row)
            return row.error();
    }
    return catalog;
}

Result<CampaignOverview> CampaignStore::overview(QDate asOf) const
{
    auto catalog = this->catalog();
    if (!catalog)
        return catalog.error();
    CampaignOverview overview;
    overview.asOf = asOf;
    overview.types = catalog->types;
    auto states = CampaignAudience::measure(m_db, *catalog, asOf);
    if (!states)
        return states.error();
    overview.instances = std::move(*states);
    return overview;
}

Result<std::optional<CampaignTypeRow>> CampaignStore::type(const QString &name) const
{
    return findType(m_db, name);
}

Result<std::optional<CampaignInstanceRow>> CampaignStore::instance(qint64 id) const
{
    return findInstance(m_db, id);
}

Result<std::vector<EnrolmentRow>> CampaignStore::enrolments(qint64 instanceId) const
{
    std::vector<EnrolmentRow> rows;
    if (!m_db.hasTable(QStringLiteral("contact_campaigns")))
        return rows;
    auto stmt = m_db.prepare("SELECT id, campaign_instance_id, trigger_date, status FROM contact_campaigns "
                             "WHERE campaign_instance_id = ?1 ORDER BY id",
                             tr("read the enrolments of"));
    if (!stmt)
        return stmt.error();
    stmt->bind(1, instanceId);
    Result<bool> row = stmt->step();
    for (; row.ok() && *row; row = stmt->step())
        rows.push_back({ stmt->int64(0), stmt->int64(1), stmt->text(2), stmt->text(3) });
    if (!row)
        return row.error();
    return rows;
}

Result<qint64> CampaignStore::addType(const CampaignTypeRow &type)
{
    if (auto checked = checkType(type); !checked)
        return checked.error();
    if (auto writable = requireWritable(m_db); !writable)
        return writable.error();
    const QString action = tr("add a campaign type to");
    auto transaction = beginCampaignWrite(m_db, action);
    if (!transaction)
        return transaction.error();
    auto existing = findType(m_db, type.name);
    if (!existing)
        return existing.error();
    if (existing->has_value())
        return invalidInput(tr("name: a campaign type named \"%1\" already exists").arg(type.name));
    auto id = execOnce(
        m_db,
        "INSERT INTO campaign_types (name, respect_exclusion_windows, enable_followups, "
        "days_before_event, target_all_contacts, priority, active, spread_evenly, "
        "skip_failed_underwriting, created_at, updated_at) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, datetime('now'), datetime('now')) RETURNING id",
        action, [&](SqlStatement &stmt) { bindType(stmt, type); });
    if (!id)
        return id.error();
    CampaignTypeRow stored = type;
    stored.id = *id;
    if (auto done
        = auditAndCommit(*transaction, m_db, m_actor, AuditLog::Action::Add, AuditLog::Entity::CampaignType,
                         stored.id, tr("Added campaign type %1").arg(stored.name), {}, toJson(stored));
        !done)
        return done.error();
    return stored.id;
}

Result<void> CampaignStore::editType(const CampaignTypeRow &type)
{
    if (auto checked = checkType(type); !checked)
        return checked.error();
    if (auto writable = requireWritable(m_db); !writable)
        return writable.error();
    auto before = findType(m_db, QString(), type.id);
    if (!before)
        return before.error();
    if (!before->has_value())
        return invalidInput(tr("type: there is no campaign type with id %1").arg(type.id));
    const QString action = tr("change a campaign type of");
    auto transaction = beginCampaignWrite(m_db, action);
    if (!transaction)
        return transaction.error();
    if ((*before)->name != type.name) {
        auto clash = findType(m_db, type.name);
        if (!clash)
            return clash.error();
        if (clash->has_value())
            return invalidInput(tr("name: a campaign type named \"%1\" already exists").arg(type.name));
        auto used = m_db.prepare("SELECT count(*) FROM campaign_instances WHERE campaign_type = ?1", action);
        if (!used)
            return used.error();
        used->bindText(1, (*before)->name);
        if (auto row = used->step(); !row)
            return row.error();
        if (used->int64(0) > 0)
            return invalidInput(tr("name: type %1 cannot be renamed while %2 instance(s) use it")
                                    .arg((*before)->name)
                                    .arg(used->int64(0)));
    }
    if (auto done = execOnce(
            m_db,
            "UPDATE campaign_types SET name = ?1, respect_exclusion_windows = ?2, enable_followups = ?3, "
            "days_before_event = ?4, target_all_contacts = ?5, priority = ?6, active = ?7, "
            "spread_evenly = ?8, skip_failed_underwriting = ?9, updated_at = datetime('now') WHERE id = ?10",
            action,
            [&](SqlStatement &stmt) {
                bindType(stmt, type);
                stmt.bind(10, type.id);
            });
        !done)
        return done.error();
    return auditAndCommit(*transaction, m_db, m_actor, AuditLog::Action::Edit, AuditLog::Entity::CampaignType,
                          type.id, tr("Changed campaign type %1").arg(type.name), toJson(**before),
                          toJson(type));
}

Result<qint64> CampaignStore::addInstance(const CampaignInstanceRow &instance)
{
    auto checked = checkedInstance(m_db, instance);
    if (!checked)
        return checked.error();
    if (auto writable = requireWritable(m_db); !writable)
        return writable.error();
    const QString action = tr("add a campaign instance to");
    auto transaction = beginCampaignWrite(m_db, action);
    if (!transaction)
        return transaction.error();
    auto id = execOnce(
        m_db,
        "INSERT INTO campaign_instances (campaign_type, instance_name, active_start_date, "
        "active_end_date, spread_start_date, spread_end_date, target_states, target_carriers, metadata, "
        "created_at, updated_at) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, datetime('now'), datetime('now')) RETURNING id",
        action, [&](SqlStatement &stmt) { bindInstance(stmt, *checked); });
    if (!id)
        return id.error();
    checked->id = *id;
    if (auto done = auditAndCommit(
            *transaction, m_db, m_actor, AuditLog::Action::Add, AuditLog::Entity::CampaignInstance,
            checked->id,
            tr("Added campaign instance %1 \"%2\"").arg(checked->campaignType, checked->instanceName), {},
            toJson(*checked));
        !done)
        return done.error();
    return checked->id;
}

Result<void> CampaignStore::editInstance(const CampaignInstanceRow &instance)
{
    auto before = findInstance(m_db, instance.id);
    if (!before)
        return before.error();
    if (!before->has_value())
        return noInstance(instance.id);
    auto checked = checkedInstance(m_db, instance);
    if (!checked)
        return checked.error();
    if (auto writable = requireWritable(m_db); !writable)
        return writable.error();
    const QString action = tr("change a campaign instance of");
    auto transaction = beginCampaignWrite(m_db, action);
    if (!transaction)
        return transaction.error();
    if (auto done = execOnce(
            m_db,
            "UPDATE campaign_instances SET campaign_type = ?1, instance_name = ?2, active_start_date = ?3, "
            "active_end_date = ?4, spread_start_date = ?5, spread_end_date = ?6, target_states = ?7, "
            "target_carriers = ?8, metadata = ?9, updated_at = datetime('now') WHERE id = ?10",
            action,
            [&](SqlStatement &stmt) {
                bindInstance(stmt, *checked);
                stmt.bind(10, instance.id);
            });
        !done)
        return done.error();
    return auditAndCommit(
        *transaction, m_db, m_actor, AuditLog::Action::Edit, AuditLog::Entity::CampaignInstance, instance.id,
        tr("Changed campaign instance %1 \"%2\"").arg(checked->campaignType, checked->instanceName),
        toJson(**before), toJson(*checked));
}

Result<void> CampaignStore::endInstance(qint64 instanceId, QDate on)
{
    if (!on.isValid() || !Dates::inRange(on))
        return invalidInput(tr("on: not a date"));
    auto before = findInstance(m_db, instanceId);
    if (!before)
        return before.error();
    if (!before->has_value())
        return noInstance(instanceId);
    if (auto writable = requireWritable(m_db); !writable)
        return writable.error();
    const QString action = tr("end a campaign instance of");
    auto transaction = beginCampaignWrite(m_db, action);
    if (!transaction)
        return transaction.error();
    if (auto done = execOnce(
            m_db,
            "UPDATE campaign_instances SET active_end_date = ?1, updated_at = datetime('now') WHERE id = ?2",
            action,
            [&](SqlStatement &stmt) { stmt.bindText(1, on.toString(Qt::ISODate)).bind(2, instanceId); });
        !done)
        return done.error();
    CampaignInstanceRow after = **before;
    after.activeEndDate = on.toString(Qt::ISODate);
    return auditAndCommit(*transaction, m_db, m_actor, AuditLog::Action::End,
                          AuditLog::Entity::CampaignInstance, instanceId,
                          tr("Ended campaign instance %1 \"%2\" on %3")
                              .arg(after.campaignType, after.instanceName, after.activeEndDate),
                          toJson(**before), toJson(after));
}

Result<EnrolmentReport> CampaignStore::enrol(qint64 instanceId, std::span<const EnrolmentInput> rows)
{
    auto instance = findInstance(m_db, instanceId);
    if (!instance)
        return instance.error();
    if (!instance->has_value())
        return noInstance(instanceId);
    if (auto writable = requireWritable(m_db); !writable)
        return writable.error();
    const QString action = tr("enrol contacts in");
    EnrolmentReport report;
    report.rows = qint64(rows.size());

    // Emails are looked up in one pass over contacts (no index on email is assumed).
    QHash<QString, qint64> byEmail; // email key -> contact id; -1 when several contacts share it
    const bool anyEmail
        = std::any_of(rows.begin(), rows.end(), [](const EnrolmentInput &r) { return r.contactId <= 0; });
    if (anyEmail) {
        auto stmt = m_db.prepare("SELECT id, email FROM contacts WHERE email IS NOT NULL", action);
        if (!stmt)
            return stmt.error();
        Result<bool> row = stmt->step();
        for (; row.ok() && *row; row = stmt->step()) {
            if (!stmt->isInteger(0))
                continue;
            const QString key = emailKey(stmt->text(1));
            auto it = byEmail.find(key);
            if (it == byEmail.end())
                byEmail.insert(key, stmt->int64(0));
            else if (*it != stmt->int64(0))
                *it = -1;
        }
        if (!row)
            return row.error();
    }
    auto byId = m_db.prepare("SELECT 1 FROM contacts WHERE id = ?1", action);
    if (!byId)
        return byId.error();

    struct Good
    {
        qint64 contactId;
        QString triggerDate;
    };
    std::vector<Good> good;
    QHash<qint64, qint64> lineOfContact;
    for (const EnrolmentInput &in : rows) {
        qint64 contactId = in.contactId;
        if (contactId > 0) {
            byId->reset();
            byId->bind(1, contactId);
            auto row = byId->step();
            if (!row)
                return row.error();
            if (!*row) {
                report.rejected.push_back(
                    { in.line, QStringLiteral("contact_id"), tr("no contact has id %1").arg(contactId) });
                continue;
            }
        } else if (!in.email.trimmed().isEmpty()) {
            const qint64 found = byEmail.value(emailKey(in.email), 0);
            if (found == 0) {
                report.rejected.push_back({ in.line, QStringLiteral("email"),
                                            tr("no contact has the email %1").arg(in.email.trimmed()) });
                continue;
            }
            if (found < 0) {
                report.rejected.push_back(
                    { in.line, QStringLiteral("email"),
                      tr("several contacts have the email %1; give the contact_id instead")
                          .arg(in.email.trimmed()) });
                continue;
            }
            contactId = found;
        } else {
            report.rejected.push_back({ in.line, QStringLiteral("contact_id"),
                                        tr("the row names no contact (contact_id or email)") });
            continue;
        }
        auto trigger = normalisedDate(QStringLiteral("trigger_date"), in.triggerDate);
        if (!trigger) {
            report.rejected.push_back({ in.line, QStringLiteral("trigger_date"), trigger.errorMessage() });
            continue;
        }
        if (const auto seen = lineOfContact.constFind(contactId); seen != lineOfContact.constEnd()) {
            report.rejected.push_back(
                { in.line, QStringLiteral("contact_id"),
                  tr("contact %1 is already on line %2 of this file").arg(contactId).arg(*seen) });
            continue;
        }
        lineOfContact.insert(contactId, in.line);
        good.push_back({ contactId, *trigger });
    }

    auto transaction = beginCampaignWrite(m_db, action);
    if (!transaction)
        return transaction.error();
    // The counting row of each enrolled contact: the lowest id that is not cancelled.
    QHash<qint64, std::pair<qint64, QString>> existing; // contact -> (enrolment id, trigger date)
    {
        auto stmt = m_db.prepare("SELECT id, contact_id, trigger_date FROM contact_campaigns WHERE "
                                 "campaign_instance_id = ?1 AND lower(status) <> 'cancelled' ORDER BY id",
                                 action);
        if (!stmt)
            return stmt.error();
        stmt->bind(1, instanceId);
        Result<bool> row = stmt->step();
        for (; row.ok() && *row; row = stmt->step()) {
            if (!existing.contains(stmt->int64(1)))
                existing.insert(stmt->int64(1), { stmt->int64(0), stmt->text(2) });
        }
        if (!row)
            return row.error();
    }
    auto insert
        = m_db.prepare("INSERT INTO contact_campaigns (contact_id, campaign_instance_id, trigger_date, "
                       "status, created_at, updated_at) VALUES (?1, ?2, ?3, 'pending', "
                       "datetime('now'), datetime('now')) RETURNING id",
                       action);
    if (!insert)
        return insert.error();
    auto update = m_db.prepare(
        "UPDATE contact_campaigns SET trigger_date = ?1, updated_at = datetime('now') WHERE id = ?2", action);
    if (!update)
        return update.error();
    QJsonArray added;
    QJsonArray changedBefore;
    QJsonArray changedAfter;
    for (const Good &g : good) {
        const auto it = existing.constFind(g.contactId);
        if (it != existing.constEnd()) {
            if (it->second != g.triggerDate) {
                update->reset();
                update->bind(1, orNull(g.triggerDate)).bind(2, it->first);
                if (auto done = update->exec(); !done)
                    return done.error();
                changedBefore.append(QJsonArray { it->first, g.contactId, nullable(it->second) });
                changedAfter.append(QJsonArray { it->first, g.contactId, nullable(orNull(g.triggerDate)) });
            }
            ++report.enrolled;
            continue;
        }
        insert->reset();
        insert->bind(1, g.contactId).bind(2, instanceId).bind(3, orNull(g.triggerDate));
        auto inserted = insert->step();
        if (!inserted)
            return inserted.error();
        const qint64 enrolmentId = *inserted ? insert->int64(0) : 0;
        if (auto done = insert->exec(); !done)
            return done.error();
        added.append(QJsonArray { enrolmentId, g.contactId, nullable(orNull(g.triggerDate)) });
        ++report.enrolled;
    }
    if (!added.isEmpty() || !changedAfter.isEmpty()) {
        const QString columns = QStringLiteral("id, contact_id, trigger_date");
        QJsonObject before;
        QJsonObject after;
        after.insert(QStringLiteral("campaign_instance_id"), instanceId);
        after.insert(QStringLiteral("columns"), columns);
        after.insert(QStringLiteral("added"), added);
        if (!changedAfter.isEmpty()) {
            before.insert(QStringLiteral("campaign_instance_id"), instanceId);
            before.insert(QStringLiteral("columns"), columns);
            before.insert(QStringLiteral("changed"), changedBefore);
            after.insert(QStringLiteral("changed"), changedAfter);
        }
        if (auto audited
            = AuditLog::record(m_db, m_actor, QLatin1StringView(AuditLog::Action::Enrol),
                               QLatin1StringView(AuditLog::Entity::Enrolment), instanceId,
                               tr("Enrolled %1 contact(s) in campaign instance %2 \"%3\" (%4 trigger "
                                  "date(s) changed)")
                                   .arg(added.size())
                                   .arg(instanceId)
                                   .arg((*instance)->instanceName)
                                   .arg(changedAfter.size()),
                               before, after);
            !audited)
            return audited.error();
    }
    if (auto done = transaction->commit(); !done)
        return done.error();
    return report;
}
