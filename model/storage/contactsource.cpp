#include "storage/contactsource.h"

#include "storage/orgdatabase.h"
#include "storage/statement.h"

#include <QCoreApplication>

#include <algorithm>
#include <optional>

namespace {

// Statement::text() into a string that is reused from row to row: ASCII values (nearly all) are
// widened into its existing buffer, so reading a million contacts does not allocate and free a
// string per field. Anything else goes through Statement::text(), so the result is always the
// same string.
void readText(const Statement &stmt, int column, QString &out)
{
    const QByteArrayView utf8 = stmt.utf8(column);
    const auto *data = reinterpret_cast<const unsigned char *>(utf8.data());
    const int size = int(utf8.size());
    bool ascii = data && size > 0;
    for (int i = 0; ascii && i < size; ++i)
        ascii = data[i] < 0x80;
    if (!ascii) {
        out = stmt.text(column);
        return;
    }
    out.resize(size); // keeps the buffer when it is unshared and large enough
    char16_t *dst = reinterpret_cast<char16_t *>(out.data());
    for (int i = 0; i < size; ++i)
        dst[i] = char16_t(data[i]);
}

int digit(char c)
{
    return c >= '0' && c <= '9' ? c - '0' : -1;
}

// Stored send dates are normally YYYY-MM-DD (optionally followed by a time); anything else is
// treated as unreadable (an invalid date), which the rules handle.
QDate storedDate(const Statement &stmt, int column)
{
    const QByteArrayView utf8 = stmt.utf8(column);
    const char *data = utf8.data();
    const qsizetype size = utf8.size();
    if (!data || size < 10 || data[4] != '-' || data[7] != '-')
        return {};
    int values[8];
    const int positions[8] = { 0, 1, 2, 3, 5, 6, 8, 9 };
    for (int i = 0; i < 8; ++i) {
        values[i] = digit(data[positions[i]]);
        if (values[i] < 0)
            return {};
    }
    return QDate(values[0] * 1000 + values[1] * 100 + values[2] * 10 + values[3], values[4] * 10 + values[5],
                 values[6] * 10 + values[7]);
}

HistoryEntry historyEntry(const Statement &stmt)
{
    // columns: kHistoryColumns (missing ones are NULL)
    HistoryEntry entry;
    entry.emailType = stmt.text(1);
    entry.scheduledDate = storedDate(stmt, 2);
    entry.status = stmt.text(3);
    entry.eventYear = stmt.isNull(4) ? 0 : int(stmt.int64(4));
    entry.id = stmt.isNull(5) ? 0 : stmt.int64(5);
    entry.campaignInstanceId = stmt.isNull(6) ? 0 : stmt.int64(6);
    entry.actualSendDate = storedDate(stmt, 7);
    return entry;
}

constexpr const char *kSchedulingColumns[]
    = { "id", "email", "effective_date", "birth_date", "state", "zip_code" };

Contact contactFrom(const Statement &stmt, ContactSource::Fields fields)
{
    Contact c;
    c.id = stmt.int64(0);
    if (fields != ContactSource::Fields::All) {
        c.email = stmt.text(1);
        c.effectiveDate = stmt.text(2);
        c.birthDate = stmt.text(3);
        c.state = stmt.text(4);
        c.zipCode = stmt.text(5);
    } else {
        // id, then ContactFields in order (contactSelect()).
        for (std::size_t i = 0; i < ContactFields.size(); ++i)
            c.*ContactFields[i].member = stmt.text(int(i) + 1);
    }
    return c;
}

// campaign_instance_id is added by the first run that writes a campaign email; older and
// production tables lack it (it reads as NULL).
constexpr const char *kHistoryColumns[]
    = { "contact_id", "email_type", "scheduled_send_date",  "status",
        "event_year", "id",         "campaign_instance_id", "actual_send_datetime" };

// Whether the table can be read with rowid (not a WITHOUT ROWID table or a view).
bool hasRowid(const OrgDatabase &db)
{
    return Statement::prepare(db, "SELECT rowid FROM contacts LIMIT 0", QString()).ok();
}

// The stored value of an unusable id, readable in a message.
QString idText(const Statement &stmt, int column)
{
    switch (stmt.type(column)) {
    case Statement::Type::Null:
        return QStringLiteral("NULL");
    case Statement::Type::Blob:
        return QCoreApplication::translate("ContactSource", "a blob of %1 bytes").arg(stmt.bytes(column));
    default: {
        QString value = stmt.text(column);
        if (value.size() > 60)
            value = value.left(57) + QStringLiteral("...");
        return value;
    }
    }
}

} // namespace

ContactSource::ContactSource(OrgDatabase &db)
    : m_db(db), m_contactColumns(db.columns(QStringLiteral("contacts"))),
      m_scheduleColumns(db.columns(QStringLiteral("email_schedules"))), m_hasRowid(hasRowid(db))
{
    // An older or foreign email_schedules may lack columns (they read as NULL); without
    // contact_id it holds no history this program can use.
    m_hasSchedules = m_scheduleColumns.contains(QStringLiteral("contact_id"), Qt::CaseInsensitive);
}

QByteArray ContactSource::historySelect() const
{
    QByteArray sql = "SELECT ";
    for (const char *column : kHistoryColumns) {
        if (sql.size() > 7)
            sql += ", ";
        sql += m_scheduleColumns.contains(QLatin1StringView(column), Qt::CaseInsensitive)
            ? QByteArray(column)
            : QByteArray("NULL");
    }
    return sql + " FROM email_schedules ";
}

// Rows whose status is not pre-scheduled/skipped (all of them when there is no status column).
static QByteArray historyFilter(const QStringList &columns)
{
    return columns.contains(QStringLiteral("status"), Qt::CaseInsensitive)
        ? QByteArray(" AND (status IS NULL OR status NOT IN ('pre-scheduled', 'skipped'))")
        : QByteArray();
}

bool ContactSource::isOwnStatus(QStringView status)
{
    return status == u"pre-scheduled" || status == u"skipped";
}

QByteArray ContactSource::contactSelect(Fields fields) const
{
    QByteArray sql = "SELECT ";
    bool first = true;
    auto add = [&](const char *column) {
        if (!first)
            sql += ", ";
        first = false;
        // Older variants lack some columns; they read as NULL.
        if (m_contactColumns.contains(QLatin1StringView(column), Qt::CaseInsensitive))
            sql += column;
        else
            sql += "NULL";
    };
    if (fields != Fields::All) {
        for (const char *column : kSchedulingColumns)
            add(column);
    } else {
        add("id");
        for (const ContactField &field : ContactFields)
            add(field.column.data());
    }
    sql += " FROM contacts ";
    return sql;
}

Result<std::vector<qint64>> ContactSource::contactIds() const
{
    Result<ContactIdScan> scan = scanIds();
    if (!scan)
        return scan.error();
    return std::move(scan->ids);
}

Result<ContactIdScan> ContactSource::scanIds() const
{
    const QString action = QCoreApplication::translate("ContactSource", "read contacts from");
    // One pass in id order: NULLs first, then whole numbers (shared ones next to each other),
    // then reals, text and blobs. For an INTEGER PRIMARY KEY this is the rowid order itself.
    const QByteArray sql = QByteArray("SELECT ") + (m_hasRowid ? "rowid" : "NULL")
        + ", id, typeof(id) = 'integer' FROM contacts ORDER BY id" + (m_hasRowid ? ", rowid" : "");
    auto stmt = Statement::prepare(m_db, sql.constData(), action);
    if (!stmt)
        return stmt.error();
    ContactIdScan scan;
    qint64 previousId = 0;
    qint64 previousRowid = 0;
    bool havePrevious = false;
    std::size_t groupStart = 0; // first entry of the current shared id in scan.duplicates
    bool inGroup = false;
    Result<bool> step = stmt->step();
    for (; step.ok() && *step; step = stmt->step()) {
        const Statement &row = *stmt;
        const qint64 rowid = row.int64(0);
        if (row.int64(2) == 0) {
            scan.invalid.push_back({ rowid, idText(row, 1), 0, {}, false });
            continue;
        }
        const qint64 id = row.int64(1);
        if (havePrevious && id == previousId) {
            if (!inGroup) {
                scan.ids.pop_back();
                groupStart = scan.duplicates.size();
                scan.duplicates.push_back({ previousRowid, QString::number(id), id, {}, true });
                inGroup = true;
            }
            scan.duplicates.push_back({ rowid, QString::number(id), id, {}, true });
            continue;
        }
        // Close the previous group: every row names the others.
        if (inGroup) {
            for (std::size_t i = groupStart; i < scan.duplicates.size(); ++i)
                for (std::size_t j = groupStart; j < scan.duplicates.size(); ++j)
                    if (i != j)
                        scan.duplicates[i].others.append(scan.duplicates[j].rowid);
            inGroup = false;
        }
        scan.ids.push_back(id);
        previousId = id;
        previousRowid = rowid;
        havePrevious = true;
    }
    if (!step)
        return step.error();
    if (inGroup) {
        for (std::size_t i = groupStart; i < scan.duplicates.size(); ++i)
            for (std::size_t j = groupStart; j < scan.duplicates.size(); ++j)
                if (i != j)
                    scan.duplicates[i].others.append(scan.duplicates[j].rowid);
    }
    std::sort(scan.invalid.begin(), scan.invalid.end(),
              [](const ContactIdProblem &a, const ContactIdProblem &b) { return a.rowid < b.rowid; });
    return scan;
}

Problem ContactSource::idProblem(const ContactIdProblem &row)
{
    const QString where = row.rowid != 0
        ? QCoreApplication::translate("ContactSource", "The contacts row with rowid %1").arg(row.rowid)
        : QCoreApplication::translate("ContactSource", "A contacts row");
    if (!row.duplicate)
        return Problem { ProblemCode::InvalidId, Severity::Error,
                         QCoreApplication::translate(
                             "ContactSource",
                             "%1 has the id \"%2\", which is not a whole number; it is "
                             "not scheduled. Give it a unique whole-number id.")
                             .arg(where, row.id) };
    QStringList others;
    for (const qint64 other : row.others)
        others.append(QString::number(other));
    return Problem { ProblemCode::DuplicateId, Severity::Error,
                     QCoreApplication::translate(
                         "ContactSource",
                         "%1 has the id %2, as do the rows with rowid %3; none of them is "
                         "scheduled until each has its own id.")
                         .arg(where, QString::number(row.sharedId),
                              others.isEmpty() ? QStringLiteral("?") : others.join(QStringLiteral(", "))) };
}

Result<std::vector<ContactIdProblem>> ContactSource::rowsWithId(qint64 id) const
{
    const QByteArray sql = QByteArray("SELECT ") + (m_hasRowid ? "rowid" : "NULL")
        + " FROM contacts WHERE id = ?1 AND typeof(id) = 'integer'" + (m_hasRowid ? " ORDER BY rowid" : "");
    auto stmt = Statement::prepare(m_db, sql.constData(),
                                   QCoreApplication::translate("ContactSource", "read contacts from"));
    if (!stmt)
        return stmt.error();
    stmt->bind(1, id);
    std::vector<ContactIdProblem> rows;
    Result<bool> step = stmt->step();
    for (; step.ok() && *step; step = stmt->step())
        rows.push_back({ stmt->int64(0), QString::number(id), id, {}, true });
    if (!step)
        return step.error();
    for (ContactIdProblem &row : rows)
        for (const ContactIdProblem &other : rows)
            if (&other != &row)
                row.others.append(other.rowid);
    return rows;
}

Result<void> ContactSource::readRange(qint64 firstId, qint64 lastId, Fields fields,
                                      const Visitor &visit) const
{
    const QString action = QCoreApplication::translate("ContactSource", "read contacts from");
    const QByteArray sql
        = contactSelect(fields) + "WHERE id BETWEEN ?1 AND ?2 AND typeof(id) = 'integer' ORDER BY id";
    auto contacts = Statement::prepare(m_db, sql.constData(), action);
    if (!contacts)
        return contacts.error();
    contacts->bind(1, firstId).bind(2, lastId);

    std::optional<Statement> history;
    const bool withHistory = m_hasSchedules && fields != Fields::Checks;
    if (withHistory) {
        const QByteArray hsql = historySelect() + "WHERE contact_id BETWEEN ?1 AND ?2"
            + historyFilter(m_scheduleColumns) + " ORDER BY contact_id";
        auto prepared = Statement::prepare(m_db, hsql.constData(), action);
        if (!prepared)
            return prepared.error();
        history.emplace(std::move(prepared).value());
        history->bind(1, firstId).bind(2, lastId);
    }

    // Both statements run in id order; history rows are merged into their contact.
    Result<bool> historyRow = history ? history->step() : Result<bool>(false);
    std::vector<HistoryEntry> entries;
    Contact contact; // reused: its strings keep their buffers from row to row
    Result<bool> step = contacts->step();
    for (; step.ok() && *step; step = contacts->step()) {
        if (fields != Fields::All) {
            const Statement &row = *contacts;
            contact.id = row.int64(0);
            readText(row, 1, contact.email);
            readText(row, 2, contact.effectiveDate);
            readText(row, 3, contact.birthDate);
            readText(row, 4, contact.state);
            readText(row, 5, contact.zipCode);
        } else {
            contact = contactFrom(*contacts, fields);
        }
        entries.clear();
        while (historyRow.ok() && *historyRow && history->int64(0) < contact.id)
            historyRow = history->step();
        while (historyRow.ok() && *historyRow && history->int64(0) == contact.id) {
            entries.push_back(historyEntry(*history));
            historyRow = history->step();
        }
        if (!historyRow)
            return historyRow.error();
        visit(contact, entries);
    }
    if (!step)
        return step.error();
    return {};
}

Result<void> ContactSource::readIds(std::span<const qint64> ids, Fields fields, const Visitor &visit,
                                    const DuplicateVisitor &duplicate) const
{
    const QString action = QCoreApplication::translate("ContactSource", "read contacts from");
    const QByteArray sql = contactSelect(fields) + "WHERE id = ?1 AND typeof(id) = 'integer'";
    auto contacts = Statement::prepare(m_db, sql.constData(), action);
    if (!contacts)
        return contacts.error();
    std::optional<Statement> history;
    const bool withHistory = m_hasSchedules && fields != Fields::Checks;
    if (withHistory) {
        const QByteArray hsql = historySelect() + "WHERE contact_id = ?1" + historyFilter(m_scheduleColumns);
        auto prepared = Statement::prepare(m_db, hsql.constData(), action);
        if (!prepared)
            return prepared.error();
        history.emplace(std::move(prepared).value());
    }
    std::vector<HistoryEntry> entries;
    for (const qint64 id : ids) {
        contacts->reset();
        contacts->bind(1, id);
        Result<bool> first = contacts->step();
        if (!first)
            return first.error();
        if (!*first)
            continue;
        const Contact contact = contactFrom(*contacts, fields);
        Result<bool> second = contacts->step();
        if (!second)
            return second.error();
        if (*second) {
            // Several rows share the id: which person is meant cannot be known.
            Result<std::vector<ContactIdProblem>> rows = rowsWithId(id);
            if (!rows)
                return rows.error();
            if (duplicate)
                duplicate(*rows);
            continue;
        }
        entries.clear();
        if (history) {
            history->reset();
            history->bind(1, id);
            Result<bool> row = history->step();
            for (; row.ok() && *row; row = history->step())
                entries.push_back(historyEntry(*history));
            if (!row)
                return row.error();
        }
        visit(contact, entries);
    }
    return {};
}

Result<std::optional<ContactRecord>> ContactSource::readContact(qint64 id) const
{
    std::optional<ContactRecord> record;
    const qint64 ids[] = { id };
    auto r
        = readIds(ids, Fields::All, [&record](const Contact &contact, std::span<const HistoryEntry> history) {
              record = ContactRecord { contact, QList<HistoryEntry>(history.begin(), history.end()) };
          });
    if (!r)
        return r.error();
    return record;
}
