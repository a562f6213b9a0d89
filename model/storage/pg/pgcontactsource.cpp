#include "storage/pg/pgcontactsource.h"

#include "datetext.h"
#include "storage/orgdatabase.h"

#include <QCoreApplication>

#include <algorithm>

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

// The activity of a server database that holds none of the activity tables (readRunInputs()
// refuses the others): every contact has none.
class NoActivity final : public ActivityStream
{
public:
    Result<ContactActivity> seek(qint64) override { return ContactActivity {}; }
};

} // namespace

Result<RunInputs> PgContactSource::readRunInputs() const
{
    // Sections 12-14 are not read from a server yet: a database that holds their tables is
    // refused rather than scheduled as if they were empty.
    for (const char *table : { "campaign_types", "campaign_instances", "contact_campaigns", "contact_events",
                               "tracking_clicks", "email_send_tracking", "email_suppressions" }) {
        if (m_db.hasTable(QLatin1StringView(table)))
            return Error(DbErrorKind::Other,
                         QCoreApplication::translate("PgContactSource",
                                                     "%1 holds the table %2: campaigns, follow-ups and the "
                                                     "do-not-email list are not read from a PostgreSQL "
                                                     "server yet; copy it to a file with copy-db")
                             .arg(m_db.name(), QLatin1StringView(table)));
    }
    return RunInputs {};
}

Result<std::unique_ptr<ActivityStream>> PgContactSource::openActivityRange(qint64, qint64) const
{
    return std::unique_ptr<ActivityStream>(std::make_unique<NoActivity>());
}

Result<std::unique_ptr<ActivityStream>> PgContactSource::openActivityPoints() const
{
    return std::unique_ptr<ActivityStream>(std::make_unique<NoActivity>());
}
