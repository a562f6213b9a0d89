#include "storage/activitysource.h"

#include "storage/orgdatabase.h"
#include "storage/statement.h"

#include <QCoreApplication>

#include <span>

namespace {

QString readAction()
{
    return QCoreApplication::translate("ActivitySource", "read campaigns and contact activity from");
}

// "SELECT a, NULL, c FROM table " with NULL for each column the table lacks; empty when the
// table (or its `required` column) is missing, which callers read as "no rows".
QByteArray selectFrom(const OrgDatabase &db, const char *table, std::span<const char *const> columns,
                      const char *required = nullptr)
{
    const QStringList existing = db.columns(QString::fromLatin1(table));
    if (existing.isEmpty())
        return {};
    if (required && !existing.contains(QLatin1StringView(required), Qt::CaseInsensitive))
        return {};
    QByteArray sql = "SELECT ";
    bool first = true;
    for (const char *column : columns) {
        if (!first)
            sql += ", ";
        first = false;
        sql += existing.contains(QLatin1StringView(column), Qt::CaseInsensitive) ? QByteArray(column)
                                                                                 : QByteArray("NULL");
    }
    return sql + " FROM \"" + table + "\" ";
}

// Runs `sql` (may be empty: no rows) and calls `row` for every result row.
// `bound`, when not null, is bound to ?1.
template<typename RowFunction>
Result<void> forEachRow(const OrgDatabase &db, const QByteArray &sql, const QString &bound, RowFunction row)
{
    if (sql.isEmpty())
        return {};
    auto stmt = Statement::prepare(db, sql.constData(), readAction());
    if (!stmt)
        return stmt.error();
    if (!bound.isNull())
        stmt->bindText(1, bound);
    Result<bool> step = stmt->step();
    for (; step.ok() && *step; step = stmt->step())
        row(*stmt);
    if (!step)
        return step.error();
    return {};
}

// The contact id of `table` as an integer expression. A column declared with an integer type
// compares and sorts as stored (its index serves the range scan); production also has
// `contact_id TEXT` (org-12's email_send_tracking), which would compare and sort as text, so
// it is cast (no index then; such tables are small).
QByteArray contactIdExpression(const OrgDatabase &db, const char *table)
{
    const QByteArray sql = QByteArray("PRAGMA table_info(\"") + table + "\")";
    auto stmt = Statement::prepare(db, sql.constData(), readAction());
    if (stmt) {
        for (auto row = stmt->step(); row.ok() && *row; row = stmt->step()) {
            if (stmt->text(1).compare(u"contact_id", Qt::CaseInsensitive) == 0
                && stmt->text(2).contains(u"INT", Qt::CaseInsensitive))
                return "contact_id";
        }
    }
    return "CAST(contact_id AS INTEGER)";
}

} // namespace

namespace ActivitySource {

bool isSuppressingSendStatus(QStringView status)
{
    const QStringView trimmed = status.trimmed();
    return trimmed.compare(u"bounced", Qt::CaseInsensitive) == 0
        || trimmed.compare(u"dropped", Qt::CaseInsensitive) == 0;
}

Result<CampaignCatalog> readCatalog(const OrgDatabase &db)
{
    CampaignCatalog catalog;
    const QByteArray types = selectFrom(db, "campaign_types", CampaignTypeColumns, "name");
    auto readTypes = forEachRow(db, types.isEmpty() ? types : types + "ORDER BY 1", QString(),
                                [&](const Statement &s) { catalog.types.push_back(campaignTypeRow(s)); });
    if (!readTypes)
        return readTypes.error();
    const QByteArray instances
        = selectFrom(db, "campaign_instances", CampaignInstanceColumns, "campaign_type");
    auto readInstances
        = forEachRow(db, instances.isEmpty() ? instances : instances + "ORDER BY 1", QString(),
                     [&](const Statement &s) { catalog.instances.push_back(campaignInstanceRow(s)); });
    if (!readInstances)
        return readInstances.error();
    return catalog;
}

namespace {

Result<std::vector<SuppressionEntry>> readEntries(const OrgDatabase &db, const QString *email)
{
    std::vector<SuppressionEntry> entries;
    QByteArray sql = selectFrom(db, "email_suppressions", SuppressionColumns, "email");
    if (!sql.isEmpty())
        sql += email ? "WHERE lower(trim(email)) = lower(trim(?1)) ORDER BY 1" : "ORDER BY 1";
    const QString bound = email ? (email->isNull() ? QStringLiteral("") : *email) : QString();
    auto read = forEachRow(db, sql, bound, [&](const Statement &s) {
        if (auto entry = suppressionEntry(s))
            entries.push_back(std::move(*entry));
    });
    if (!read)
        return read.error();
    return entries;
}

} // namespace

Result<std::vector<SuppressionEntry>> readSuppressions(const OrgDatabase &db)
{
    return readEntries(db, nullptr);
}

Result<std::vector<SuppressionEntry>> readSuppressions(const OrgDatabase &db, const QString &email)
{
    return readEntries(db, &email);
}

Result<RunInputs> readRunInputs(const OrgDatabase &db)
{
    RunInputs inputs;
    auto catalog = readCatalog(db);
    if (!catalog)
        return catalog.error();
    inputs.catalog = std::move(catalog).value();
    auto suppressions = readSuppressions(db);
    if (!suppressions)
        return suppressions.error();
    inputs.suppressions = std::move(suppressions).value();
    return inputs;
}

} // namespace ActivitySource

// One table's scan: rows of contact ids [?1, ?2] ordered by contact_id (column 0).
struct TableScan
{
    std::optional<Statement> stmt;
    bool hasRow = false;

    Result<void> start(qint64 firstId, qint64 lastId)
    {
        stmt->reset();
        stmt->bind(1, firstId).bind(2, lastId);
        return advance();
    }
    Result<void> advance()
    {
        Result<bool> row = stmt->step();
        if (!row)
            return row.error();
        hasRow = *row;
        return {};
    }
    // Calls `take` for each row of `contactId`, passing over rows of lower ids.
    template<typename Take> Result<void> collect(qint64 contactId, Take take)
    {
        if (!stmt)
            return {};
        while (hasRow && stmt->int64(0) < contactId) {
            if (auto r = advance(); !r)
                return r;
        }
        while (hasRow && stmt->int64(0) == contactId) {
            take(*stmt);
            if (auto r = advance(); !r)
                return r;
        }
        return {};
    }
};

struct ActivityCursor::Tables
{
    TableScan enrolments;
    TableScan events;
    TableScan clicks;
    TableScan sends;
    bool points = false;
    ContactActivityData data; // the current contact's rows (buffers reused)

    TableScan *all[4] = { &enrolments, &events, &clicks, &sends };
};

Result<ActivityCursor> ActivityCursor::openRange(const OrgDatabase &db, qint64 firstId, qint64 lastId)
{
    auto tables = std::make_unique<Tables>();
    // "SELECT <id>, columns... FROM table WHERE <id> BETWEEN ?1 AND ?2 <filter> ORDER BY <id><then>",
    // or empty when the table or its contact_id is missing.
    auto scan = [&db](const char *table, std::span<const char *const> columns, const char *filter,
                      const char *then) -> QByteArray {
        const QByteArray select = selectFrom(db, table, columns, "contact_id");
        if (select.isEmpty())
            return {};
        const QByteArray id = contactIdExpression(db, table);
        return "SELECT " + id + select.mid(int(qstrlen("SELECT contact_id"))) + "WHERE " + id
            + " BETWEEN ?1 AND ?2 " + filter + " ORDER BY " + id + then;
    };
    static constexpr const char *kClickColumns[] = { "contact_id", "clicked_at" };
    static constexpr const char *kSendColumns[] = { "contact_id", "send_status" };
    const bool hasSendStatus = db.columns(QStringLiteral("email_send_tracking"))
                                   .contains(QStringLiteral("send_status"), Qt::CaseInsensitive);
    const QByteArray sql[4] = {
        scan("contact_campaigns", ActivitySource::EnrolmentColumns, "", ", 2"),
        scan("contact_events", ActivitySource::EventColumns,
             "AND event_type = 'eligibility_answered' COLLATE NOCASE", ", 2"),
        scan("tracking_clicks", kClickColumns, "", ""),
        // Without send_status nothing can suppress.
        hasSendStatus ? scan("email_send_tracking", kSendColumns,
                             "AND lower(trim(send_status)) IN ('bounced', 'dropped')", "")
                      : QByteArray(),
    };
    for (int i = 0; i < 4; ++i) {
        if (sql[i].isEmpty())
            continue;
        auto stmt = Statement::prepare(db, sql[i].constData(), readAction());
        if (!stmt)
            return stmt.error();
        tables->all[i]->stmt.emplace(std::move(stmt).value());
        if (auto r = tables->all[i]->start(firstId, lastId); !r)
            return r.error();
    }
    return ActivityCursor(std::move(tables));
}

Result<ActivityCursor> ActivityCursor::openPoints(const OrgDatabase &db)
{
    auto cursor = openRange(db, 1, 0); // an empty range: prepared, nothing read yet
    if (cursor)
        cursor->m_tables->points = true;
    return cursor;
}

ActivityCursor::ActivityCursor(std::unique_ptr<Tables> tables) : m_tables(std::move(tables)) { }
ActivityCursor::ActivityCursor(ActivityCursor &&) noexcept = default;
ActivityCursor &ActivityCursor::operator=(ActivityCursor &&) noexcept = default;
ActivityCursor::~ActivityCursor() = default;

Result<ContactActivity> ActivityCursor::seek(qint64 contactId)
{
    Tables &t = *m_tables;
    ContactActivityData &data = t.data;
    data.enrolments.clear();
    data.events.clear();
    data.clickDates.clear();
    data.sendStatuses.clear();
    if (t.points) {
        for (TableScan *scan : t.all) {
            if (scan->stmt) {
                if (auto r = scan->start(contactId, contactId); !r)
                    return r.error();
            }
        }
    }
    auto r = t.enrolments.collect(
        contactId, [&](const Statement &s) { data.enrolments.push_back(ActivitySource::enrolmentRow(s)); });
    if (r)
        r = t.events.collect(contactId,
                             [&](const Statement &s) { data.events.push_back(ActivitySource::eventRow(s)); });
    if (r)
        r = t.clicks.collect(contactId, [&](const Statement &s) {
            if (!s.isNull(1))
                data.clickDates.push_back(s.text(1));
        });
    if (r)
        r = t.sends.collect(contactId, [&](const Statement &s) { data.sendStatuses.push_back(s.text(1)); });
    if (!r)
        return r.error();
    return data.view();
}

ContactActivityData ContactActivityData::copyOf(const ContactActivity &activity)
{
    ContactActivityData data;
    data.enrolments.assign(activity.enrolments.begin(), activity.enrolments.end());
    data.events.assign(activity.events.begin(), activity.events.end());
    data.clickDates.assign(activity.clickDates.begin(), activity.clickDates.end());
    data.sendStatuses.assign(activity.sendStatuses.begin(), activity.sendStatuses.end());
    return data;
}
