#include "storage/pg/pgcontactsource.h"

#include "datetext.h"
#include "storage/orgdatabase.h"

#include <QCoreApplication>

#include <algorithm>
#include <array>
#include <initializer_list>
#include <span>

namespace {

QString readAction()
{
    return QCoreApplication::translate("ContactSource", "read contacts from");
}

constexpr const char *kSchedulingColumns[] = { "email", "effective_date", "birth_date", "state", "zip_code" };

// The column as text, or NULL when the table lacks it.
QByteArray textColumn(const QStringList &existing, const char *column, const char *prefix = "")
{
    if (!existing.contains(QLatin1StringView(column), Qt::CaseInsensitive))
        return "NULL";
    return QByteArray(prefix) + '"' + column + "\"::text";
}

// A stored send date: YYYY-MM-DD at the start (a timestamp's date part), as ContactSource reads.
QDate storedDate(QByteArrayView text)
{
    if (text.size() < DateText::Length)
        return {};
    return DateText::parse(text.first(DateText::Length));
}

struct HistoryRow
{
    qint64 contactId;
    HistoryEntry entry;
};

QByteArray number(qint64 value)
{
    return QByteArray::number(value);
}

} // namespace

Result<std::unique_ptr<PgContactSource>> PgContactSource::open(const QString &spec)
{
    auto db = PgConnection::connect(spec);
    if (!db)
        return db.error();
    if (!db->hasTable(QStringLiteral("contacts")))
        return dbError(DbErrorKind::NoContactsTable,
                       QCoreApplication::translate("PgSchema",
                                                   "The database %1 has no `contacts` table. Choose an "
                                                   "organisation database, or copy one there with "
                                                   "`email-scheduler-cli copy-db`.")
                           .arg(db->name()));
    return std::make_unique<PgContactSource>(std::move(db).value());
}

PgContactSource::PgContactSource(PgConnection db)
    : m_db(std::move(db)), m_contactColumns(m_db.columns(QStringLiteral("contacts"))),
      m_scheduleColumns(m_db.columns(QStringLiteral("email_schedules")))
{
    const QString type = m_db.columnType(QStringLiteral("contacts"), QStringLiteral("id"));
    if (type == u"bigint" || type == u"integer" || type == u"smallint")
        m_idExpr = "id::bigint";
    else if (type == u"numeric" || type == u"double precision" || type == u"real")
        m_idExpr = "(CASE WHEN id = trunc(id) AND abs(id) < 1e18 THEN id::bigint END)";
    else if (type.isEmpty())
        m_idExpr = "NULL::bigint";
    else // text and anything else: a whole number written as digits
        m_idExpr = "(CASE WHEN id::text ~ '^-?[0-9]{1,18}$' THEN id::text::bigint END)";
}

QByteArray PgContactSource::contactSelect(ContactSource::Fields fields) const
{
    QByteArray sql = "SELECT " + m_idExpr;
    if (fields != ContactSource::Fields::All) {
        for (const char *column : kSchedulingColumns)
            sql += ", " + textColumn(m_contactColumns, column);
    } else {
        for (const ContactField &field : ContactFields)
            sql += ", " + textColumn(m_contactColumns, field.column.data());
    }
    return sql + " FROM contacts ";
}

QByteArray PgContactSource::historySelect() const
{
    // contact_id, email_type, scheduled_send_date, status, event_year, id, campaign_instance_id,
    // actual_send_datetime
    QByteArray sql = "SELECT contact_id::bigint";
    for (const char *column : { "email_type", "scheduled_send_date", "status", "event_year", "id",
                                "campaign_instance_id", "actual_send_datetime" })
        sql += ", " + textColumn(m_scheduleColumns, column);
    return sql + " FROM email_schedules ";
}

Result<ContactIdScan> PgContactSource::scanIds() const
{
    ContactIdScan scan;
    // NULLs (ids that are no whole number) first, then whole numbers; shared ones are adjacent.
    const QByteArray sql = "COPY (SELECT " + m_idExpr + ", CASE WHEN " + m_idExpr
        + " IS NULL THEN coalesce(left(id::text, 61), 'NULL') END FROM contacts ORDER BY 1 NULLS FIRST) TO "
          "STDOUT";
    std::vector<qint64> shared; // ids seen more than once
    bool havePrevious = false;
    qint64 previous = 0;
    auto r = m_db.copyOut(sql, readAction(), [&](const PgCopyRow &row) {
        if (row.isNull(0)) {
            QString value = row.text(1);
            if (value.size() > 60)
                value = value.left(57) + QStringLiteral("...");
            scan.invalid.push_back({ 0, value, 0, {}, false });
            return true;
        }
        const qint64 id = row.int64(0);
        if (havePrevious && id == previous) {
            if (shared.empty() || shared.back() != id) {
                shared.push_back(id);
                scan.ids.pop_back();
                scan.duplicates.push_back({ 0, QString::number(id), id, {}, true });
            }
            scan.duplicates.push_back({ 0, QString::number(id), id, {}, true });
            return true;
        }
        scan.ids.push_back(id);
        previous = id;
        havePrevious = true;
        return true;
    });
    if (!r)
        return r.error();
    return scan;
}

Result<void> PgContactSource::read(const QByteArray &where, const QByteArray &historyWhere,
                                   ContactSource::Fields fields, const ContactSource::Visitor &visit,
                                   const ContactSource::DuplicateVisitor &duplicate) const
{
    // History first (a chunk's is small), then the contacts streamed and merged with it.
    std::vector<HistoryRow> history;
    const bool hasSchedules = m_scheduleColumns.contains(QStringLiteral("contact_id"), Qt::CaseInsensitive);
    if (hasSchedules && fields != ContactSource::Fields::Checks) {
        QByteArray sql = "COPY (" + historySelect() + "WHERE " + historyWhere;
        if (m_scheduleColumns.contains(QStringLiteral("status"), Qt::CaseInsensitive))
            sql += " AND (status IS NULL OR status NOT IN ('pre-scheduled', 'skipped'))";
        sql += " ORDER BY contact_id, id) TO STDOUT";
        auto r = m_db.copyOut(sql, readAction(), [&history](const PgCopyRow &row) {
            HistoryRow h;
            h.contactId = row.int64(0);
            h.entry.emailType = row.text(1);
            h.entry.scheduledDate = storedDate(row.utf8(2));
            h.entry.status = row.text(3);
            h.entry.eventYear = int(row.int64(4));
            h.entry.id = row.int64(5);
            h.entry.campaignInstanceId = row.int64(6);
            h.entry.actualSendDate = storedDate(row.utf8(7));
            history.push_back(std::move(h));
            return true;
        });
        if (!r)
            return r;
    }

    std::size_t next = 0;
    std::vector<HistoryEntry> entries;
    Contact contact;
    bool pending = false; // `contact` read, not yet visited (a duplicate may follow)
    std::vector<ContactIdProblem> sharedRows;
    auto flush = [&]() {
        if (!pending)
            return;
        pending = false;
        if (!sharedRows.empty()) {
            if (duplicate)
                duplicate(sharedRows);
            sharedRows.clear();
            return;
        }
        entries.clear();
        while (next < history.size() && history[next].contactId < contact.id)
            ++next;
        while (next < history.size() && history[next].contactId == contact.id)
            entries.push_back(history[next++].entry);
        visit(contact, entries);
    };
    const bool single = bool(duplicate); // readIds: shared ids are reported, not visited
    const QByteArray sql = "COPY (" + contactSelect(fields) + "WHERE " + where + " ORDER BY 1) TO STDOUT";
    auto r = m_db.copyOut(sql, readAction(), [&](const PgCopyRow &row) {
        const qint64 id = row.int64(0);
        if (single && pending && id == contact.id) {
            if (sharedRows.empty())
                sharedRows.push_back({ 0, QString::number(id), id, {}, true });
            sharedRows.push_back({ 0, QString::number(id), id, {}, true });
            return true;
        }
        flush(); // readRange visits every row of a shared id, as ContactSource does

        contact = Contact();
        contact.id = id;
        if (fields != ContactSource::Fields::All) {
            contact.email = row.text(1);
            contact.effectiveDate = row.text(2);
            contact.birthDate = row.text(3);
            contact.state = row.text(4);
            contact.zipCode = row.text(5);
        } else {
            for (std::size_t i = 0; i < ContactFields.size(); ++i)
                contact.*ContactFields[i].member = row.text(int(i) + 1);
        }
        pending = true;
        return true;
    });
    if (!r)
        return r;
    flush();
    return {};
}

Result<void> PgContactSource::readRange(qint64 firstId, qint64 lastId, ContactSource::Fields fields,
                                        const ContactSource::Visitor &visit) const
{
    const QByteArray range = " BETWEEN " + number(firstId) + " AND " + number(lastId);
    return read(m_idExpr + range, "contact_id" + range, fields, visit, {});
}

Result<void> PgContactSource::readIds(std::span<const qint64> ids, ContactSource::Fields fields,
                                      const ContactSource::Visitor &visit,
                                      const ContactSource::DuplicateVisitor &duplicate) const
{
    if (ids.empty())
        return {};
    QByteArray list;
    for (const qint64 id : ids) {
        if (!list.isEmpty())
            list += ',';
        list += number(id);
    }
    const QByteArray in = " IN (" + list + ')';
    // Without a duplicate visitor a shared id is still not visited (reported nowhere).
    const ContactSource::DuplicateVisitor report
        = duplicate ? duplicate : [](const std::vector<ContactIdProblem> &) {};
    return read(m_idExpr + in, "contact_id" + in, fields, visit, report);
}

namespace {

QString activityAction()
{
    return QCoreApplication::translate("ActivitySource", "read campaigns and contact activity from");
}

// A column as the text an SQLite file holds (as copy-db writes it back): booleans as 0/1,
// timestamps with a time zone as ISO 8601 UTC; `integer` columns (numbers and flags) of a
// floating type truncated, as SQLite reads a REAL as an integer.
QByteArray columnText(const PgConnection &db, const char *table, const char *column, bool integer)
{
    const QString type = db.columnType(QString::fromLatin1(table), QString::fromLatin1(column));
    const QByteArray name = QByteArray("\"") + column + '"';
    if (type == u"boolean")
        return name + "::int::text";
    if (type == u"timestamp with time zone")
        return "to_char(" + name + " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')";
    if (integer && (type == u"double precision" || type == u"real" || type == u"numeric"))
        return "trunc(" + name + ")::bigint::text";
    return name + "::text";
}

// "SELECT a, NULL, c FROM table " (ActivitySource's selectFrom on the server) with the columns
// numbered in `integers` read as integers; empty when the table or its `required` column is missing.
QByteArray selectFrom(const PgConnection &db, const char *table, std::span<const char *const> columns,
                      std::initializer_list<int> integers, const char *required)
{
    const QStringList existing = db.columns(QString::fromLatin1(table));
    if (existing.isEmpty() || !existing.contains(QLatin1StringView(required), Qt::CaseInsensitive))
        return {};
    QByteArray sql = "SELECT ";
    for (std::size_t i = 0; i < columns.size(); ++i) {
        if (i > 0)
            sql += ", ";
        const bool integer = std::find(integers.begin(), integers.end(), int(i)) != integers.end();
        sql += existing.contains(QLatin1StringView(columns[i]), Qt::CaseInsensitive)
            ? columnText(db, table, columns[i], integer)
            : QByteArray("NULL");
    }
    return sql + " FROM \"" + table + "\" ";
}

// The contact id of an activity table as bigint: as stored when an integer type, else the
// leading whole number of its text (SQLite's CAST(contact_id AS INTEGER)).
QByteArray activityIdExpression(const PgConnection &db, const char *table)
{
    const QString type = db.columnType(QString::fromLatin1(table), QStringLiteral("contact_id"));
    if (type == u"bigint" || type == u"integer" || type == u"smallint")
        return "contact_id::bigint";
    return "coalesce(substring(contact_id::text from '^\\s*([-+]?[0-9]{1,18})')::bigint, 0)";
}

// One activity table's rows of a chunk, ordered by contact id (column 0).
struct PgTableScan
{
    QByteArray sql; // "SELECT ... WHERE <id> " up to the range; empty: no such table
    QByteArray order;
    std::vector<QStringList> rows; // every column as text (NULL: a null QString)
    std::vector<qint64> ids;
    std::size_t next = 0;

    Result<void> load(PgConnection &db, const QByteArray &where)
    {
        rows.clear();
        ids.clear();
        next = 0;
        if (sql.isEmpty())
            return {};
        return db.copyOut("COPY (" + sql + where + order + ") TO STDOUT", activityAction(),
                          [this](const PgCopyRow &row) {
                              ids.push_back(row.int64(0));
                              QStringList values;
                              values.reserve(row.size());
                              for (int i = 0; i < row.size(); ++i)
                                  values.append(row.text(i));
                              rows.push_back(std::move(values));
                              return true;
                          });
    }
};

// A stored row as ActivitySource's row conversions read it.
struct TextRow
{
    const QStringList &values;
    bool isNull(int i) const { return values[i].isNull(); }
    QString text(int i) const { return values[i]; }
    // SQLite's integer of a text: its leading whole number, 0 when there is none.
    qint64 int64(int i) const
    {
        const QString &v = values[i];
        qsizetype end = 0;
        while (end < v.size() && v[end].isSpace())
            ++end;
        const qsizetype start = end;
        if (end < v.size() && (v[end] == u'-' || v[end] == u'+'))
            ++end;
        while (end < v.size() && v[end].isDigit())
            ++end;
        return QStringView(v).sliced(start, end - start).toLongLong();
    }
};

// ActivityCursor's PostgreSQL twin: per range, one COPY per table ordered by contact id (read
// before the chunk's contacts), merged by contact id; in points mode, one COPY per table per
// contact on a connection of its own (seek() is called while the contacts' COPY streams).
class PgActivityStream final : public ActivityStream
{
public:
    PgActivityStream(PgConnection *db, std::array<PgTableScan, 4> scans)
        : m_db(*db), m_scans(std::move(scans))
    { }
    PgActivityStream(PgConnection own, std::array<PgTableScan, 4> scans)
        : m_own(std::make_unique<PgConnection>(std::move(own))), m_db(*m_own), m_scans(std::move(scans)),
          m_points(true)
    { }

    Result<void> loadRange(qint64 firstId, qint64 lastId)
    {
        for (PgTableScan &scan : m_scans) {
            if (auto r = scan.load(
                    m_db, " BETWEEN " + QByteArray::number(firstId) + " AND " + QByteArray::number(lastId));
                !r)
                return r;
        }
        return {};
    }

    Result<ContactActivity> seek(qint64 contactId) override
    {
        if (m_points) {
            if (auto r = loadRange(contactId, contactId); !r)
                return r.error();
        }
        m_data.enrolments.clear();
        m_data.events.clear();
        m_data.clickDates.clear();
        m_data.sendStatuses.clear();
        auto collect = [contactId](PgTableScan &scan, auto take) {
            while (scan.next < scan.rows.size() && scan.ids[scan.next] < contactId)
                ++scan.next;
            for (; scan.next < scan.rows.size() && scan.ids[scan.next] == contactId; ++scan.next)
                take(TextRow { scan.rows[scan.next] });
        };
        collect(m_scans[0],
                [&](const TextRow &r) { m_data.enrolments.push_back(ActivitySource::enrolmentRow(r)); });
        collect(m_scans[1], [&](const TextRow &r) { m_data.events.push_back(ActivitySource::eventRow(r)); });
        collect(m_scans[2], [&](const TextRow &r) {
            if (!r.isNull(1))
                m_data.clickDates.push_back(r.text(1));
        });
        collect(m_scans[3], [&](const TextRow &r) { m_data.sendStatuses.push_back(r.text(1)); });
        return m_data.view();
    }

private:
    std::unique_ptr<PgConnection> m_own; // points mode
    PgConnection &m_db;
    std::array<PgTableScan, 4> m_scans;
    bool m_points = false;
    ContactActivityData m_data;
};

// " ORDER BY id" (by the stored value, as SQLite's ORDER BY 1), or nothing without an id.
QByteArray orderById(const PgConnection &db, const char *table)
{
    return db.columns(QString::fromLatin1(table)).contains(QStringLiteral("id")) ? " ORDER BY \"id\"" : "";
}

} // namespace

Result<RunInputs> PgContactSource::readRunInputs() const
{
    RunInputs inputs;
    const QString action = activityAction();
    // Numbers and flags: id, respect_exclusion_windows ... skip_failed_underwriting.
    const QByteArray types = selectFrom(m_db, "campaign_types", ActivitySource::CampaignTypeColumns,
                                        { 0, 2, 3, 4, 5, 6, 7, 8, 9 }, "name");
    if (!types.isEmpty()) {
        auto r = m_db.copyOut("COPY (" + types + orderById(m_db, "campaign_types") + ") TO STDOUT", action,
                              [&](const PgCopyRow &row) {
                                  inputs.catalog.types.push_back(ActivitySource::campaignTypeRow(row));
                                  return true;
                              });
        if (!r)
            return r.error();
    }
    const QByteArray instances = selectFrom(m_db, "campaign_instances",
                                            ActivitySource::CampaignInstanceColumns, { 0 }, "campaign_type");
    if (!instances.isEmpty()) {
        auto r
            = m_db.copyOut("COPY (" + instances + orderById(m_db, "campaign_instances") + ") TO STDOUT",
                           action, [&](const PgCopyRow &row) {
                               inputs.catalog.instances.push_back(ActivitySource::campaignInstanceRow(row));
                               return true;
                           });
        if (!r)
            return r.error();
    }
    const QByteArray suppressions
        = selectFrom(m_db, "email_suppressions", ActivitySource::SuppressionColumns, { 0 }, "email");
    if (!suppressions.isEmpty()) {
        auto r = m_db.copyOut("COPY (" + suppressions + orderById(m_db, "email_suppressions") + ") TO STDOUT",
                              action, [&](const PgCopyRow &row) {
                                  if (auto entry = ActivitySource::suppressionEntry(row))
                                      inputs.suppressions.push_back(std::move(*entry));
                                  return true;
                              });
        if (!r)
            return r.error();
    }
    return inputs;
}

namespace {

// The four scans of an activity stream (SQLite's ActivityCursor: the same columns, filters and
// order; rows of one contact by id, clicks and send statuses in any order, which the rules
// do not depend on).
std::array<PgTableScan, 4> activityScans(const PgConnection &db)
{
    static constexpr const char *kClickColumns[] = { "contact_id", "clicked_at" };
    static constexpr const char *kSendColumns[] = { "contact_id", "send_status" };
    auto scan = [&db](const char *table, std::span<const char *const> columns,
                      std::initializer_list<int> integers, const QByteArray &filter, const char *then) {
        // `then`: the column ordering one contact's rows (nullptr: any order)
        PgTableScan result;
        const QByteArray select = selectFrom(db, table, columns, integers, "contact_id");
        if (select.isEmpty())
            return result;
        const QByteArray id = activityIdExpression(db, table);
        // select starts "SELECT <contact_id text>, ...": the id replaces the first column.
        const qsizetype comma = select.indexOf(',');
        result.sql = "SELECT " + id + "::text" + select.mid(comma) + filter
            + (filter.isEmpty() ? "WHERE " : " AND ") + id;
        // Then by the stored id (as SQLite orders its values), when the table has one.
        result.order = QByteArray(" ORDER BY ") + id;
        if (then && db.columns(QString::fromLatin1(table)).contains(QStringLiteral("id")))
            result.order += ", \"id\"";
        return result;
    };
    const QStringList events = db.columns(QStringLiteral("contact_events"));
    const QStringList sends = db.columns(QStringLiteral("email_send_tracking"));
    std::array<PgTableScan, 4> scans;
    scans[0] = scan("contact_campaigns", ActivitySource::EnrolmentColumns, { 0, 1, 2 }, {}, "id");
    if (events.contains(QStringLiteral("event_type")))
        scans[1] = scan("contact_events", ActivitySource::EventColumns, { 0, 1 },
                        "WHERE lower(event_type::text) = 'eligibility_answered'", "id");
    scans[2] = scan("tracking_clicks", kClickColumns, { 0 }, {}, nullptr);
    // Without send_status nothing can suppress.
    if (sends.contains(QStringLiteral("send_status")))
        scans[3] = scan("email_send_tracking", kSendColumns, { 0 },
                        "WHERE lower(trim(send_status::text)) IN ('bounced', 'dropped')", nullptr);
    return scans;
}

} // namespace

Result<std::unique_ptr<ActivityStream>> PgContactSource::openActivityRange(qint64 firstId,
                                                                           qint64 lastId) const
{
    auto stream = std::make_unique<PgActivityStream>(&m_db, activityScans(m_db));
    if (auto r = stream->loadRange(firstId, lastId); !r)
        return r.error();
    return std::unique_ptr<ActivityStream>(std::move(stream));
}

Result<std::unique_ptr<ActivityStream>> PgContactSource::openActivityPoints() const
{
    auto own = PgConnection::connect(m_db.spec());
    if (!own)
        return own.error();
    auto scans = activityScans(*own);
    return std::unique_ptr<ActivityStream>(
        std::make_unique<PgActivityStream>(std::move(own).value(), std::move(scans)));
}
