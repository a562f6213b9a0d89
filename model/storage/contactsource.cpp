#include "storage/contactsource.h"

#include "storage/orgdatabase.h"

#include <QCoreApplication>

#include <algorithm>

#include <sqlite3.h>

namespace {

// Finalizes a statement on every path.
class Statement
{
public:
    Statement() = default;
    Statement(const Statement &) = delete;
    Statement &operator=(const Statement &) = delete;
    ~Statement() { sqlite3_finalize(m_stmt); }
    sqlite3_stmt **out() { return &m_stmt; }
    sqlite3_stmt *get() const { return m_stmt; }

private:
    sqlite3_stmt *m_stmt = nullptr;
};

QString text(sqlite3_stmt *stmt, int column)
{
    const auto *data = reinterpret_cast<const char *>(sqlite3_column_text(stmt, column));
    if (!data)
        return {};
    return QString::fromUtf8(data, sqlite3_column_bytes(stmt, column));
}

// text() into a string that is reused from row to row: ASCII values (nearly all) are widened
// into its existing buffer, so reading a million contacts does not allocate and free a string
// per field. Anything else goes through text(), so the result is always the same string.
void readText(sqlite3_stmt *stmt, int column, QString &out)
{
    const auto *data = reinterpret_cast<const unsigned char *>(sqlite3_column_text(stmt, column));
    const int size = sqlite3_column_bytes(stmt, column);
    bool ascii = data && size > 0;
    for (int i = 0; ascii && i < size; ++i)
        ascii = data[i] < 0x80;
    if (!ascii) {
        out = text(stmt, column);
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
QDate storedDate(sqlite3_stmt *stmt, int column)
{
    const auto *data = reinterpret_cast<const char *>(sqlite3_column_text(stmt, column));
    const int size = sqlite3_column_bytes(stmt, column);
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

HistoryEntry historyEntry(sqlite3_stmt *stmt)
{
    // columns: contact_id, email_type, scheduled_send_date, status, event_year
    HistoryEntry entry;
    entry.emailType = text(stmt, 1);
    entry.scheduledDate = storedDate(stmt, 2);
    entry.status = text(stmt, 3);
    entry.eventYear = sqlite3_column_type(stmt, 4) == SQLITE_NULL ? 0 : sqlite3_column_int(stmt, 4);
    return entry;
}

constexpr const char *kSchedulingColumns[]
    = { "id", "email", "effective_date", "birth_date", "state", "zip_code" };

Contact contactFrom(sqlite3_stmt *stmt, ContactSource::Fields fields)
{
    Contact c;
    c.id = sqlite3_column_int64(stmt, 0);
    if (fields != ContactSource::Fields::All) {
        c.email = text(stmt, 1);
        c.effectiveDate = text(stmt, 2);
        c.birthDate = text(stmt, 3);
        c.state = text(stmt, 4);
        c.zipCode = text(stmt, 5);
    } else {
        // id, then ContactFields in order (contactSelect()).
        for (std::size_t i = 0; i < ContactFields.size(); ++i)
            c.*ContactFields[i].member = text(stmt, int(i) + 1);
    }
    return c;
}

constexpr const char *kHistoryColumns[] = { "contact_id", "email_type", "scheduled_send_date", "status", "event_year" };

// Whether the table can be read with rowid (not a WITHOUT ROWID table or a view).
bool hasRowid(sqlite3 *db)
{
    sqlite3_stmt *stmt = nullptr;
    const bool ok = sqlite3_prepare_v2(db, "SELECT rowid FROM contacts LIMIT 0", -1, &stmt, nullptr) == SQLITE_OK;
    sqlite3_finalize(stmt);
    return ok;
}

// The stored value of an unusable id, readable in a message.
QString idText(sqlite3_stmt *stmt, int column)
{
    switch (sqlite3_column_type(stmt, column)) {
    case SQLITE_NULL:
        return QStringLiteral("NULL");
    case SQLITE_BLOB:
        return QCoreApplication::translate("ContactSource", "a blob of %1 bytes").arg(sqlite3_column_bytes(stmt, column));
    default: {
        QString value = text(stmt, column);
        if (value.size() > 60)
            value = value.left(57) + QStringLiteral("...");
        return value;
    }
    }
}

} // namespace

ContactSource::ContactSource(OrgDatabase &db)
    : m_db(db), m_contactColumns(db.columns(QStringLiteral("contacts"))),
      m_scheduleColumns(db.columns(QStringLiteral("email_schedules"))), m_hasRowid(hasRowid(db.handle()))
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
        sql += m_scheduleColumns.contains(QLatin1StringView(column), Qt::CaseInsensitive) ? QByteArray(column)
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
    Statement stmt;
    // One pass in id order: NULLs first, then whole numbers (shared ones next to each other),
    // then reals, text and blobs. For an INTEGER PRIMARY KEY this is the rowid order itself.
    const QByteArray sql = QByteArray("SELECT ") + (m_hasRowid ? "rowid" : "NULL")
        + ", id, typeof(id) = 'integer' FROM contacts ORDER BY id" + (m_hasRowid ? ", rowid" : "");
    int rc = sqlite3_prepare_v2(m_db.handle(), sql.constData(), -1, stmt.out(), nullptr);
    if (rc != SQLITE_OK)
        return m_db.errorFor(rc, action);
    ContactIdScan scan;
    qint64 previousId = 0;
    qint64 previousRowid = 0;
    bool havePrevious = false;
    std::size_t groupStart = 0; // first entry of the current shared id in scan.duplicates
    bool inGroup = false;
    while ((rc = sqlite3_step(stmt.get())) == SQLITE_ROW) {
        sqlite3_stmt *row = stmt.get();
        const qint64 rowid = sqlite3_column_int64(row, 0);
        if (sqlite3_column_int(row, 2) == 0) {
            scan.invalid.push_back({ rowid, idText(row, 1), 0, {}, false });
            continue;
        }
        const qint64 id = sqlite3_column_int64(row, 1);
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
    if (rc != SQLITE_DONE)
        return m_db.errorFor(rc, action);
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
                         QCoreApplication::translate("ContactSource",
                                                     "%1 has the id \"%2\", which is not a whole number; it is "
                                                     "not scheduled. Give it a unique whole-number id.")
                             .arg(where, row.id) };
    QStringList others;
    for (const qint64 other : row.others)
        others.append(QString::number(other));
    return Problem { ProblemCode::DuplicateId, Severity::Error,
                     QCoreApplication::translate("ContactSource",
                                                 "%1 has the id %2, as do the rows with rowid %3; none of them is "
                                                 "scheduled until each has its own id.")
                         .arg(where, QString::number(row.sharedId),
                              others.isEmpty() ? QStringLiteral("?") : others.join(QStringLiteral(", "))) };
}

Result<std::vector<ContactIdProblem>> ContactSource::rowsWithId(qint64 id) const
{
    Statement stmt;
    const QByteArray sql = QByteArray("SELECT ") + (m_hasRowid ? "rowid" : "NULL")
        + " FROM contacts WHERE id = ?1 AND typeof(id) = 'integer'" + (m_hasRowid ? " ORDER BY rowid" : "");
    int rc = sqlite3_prepare_v2(m_db.handle(), sql.constData(), -1, stmt.out(), nullptr);
    if (rc != SQLITE_OK)
        return m_db.errorFor(rc, QCoreApplication::translate("ContactSource", "read contacts from"));
    sqlite3_bind_int64(stmt.get(), 1, id);
    std::vector<ContactIdProblem> rows;
    while ((rc = sqlite3_step(stmt.get())) == SQLITE_ROW)
        rows.push_back({ sqlite3_column_int64(stmt.get(), 0), QString::number(id), id, {}, true });
    if (rc != SQLITE_DONE)
        return m_db.errorFor(rc, QCoreApplication::translate("ContactSource", "read contacts from"));
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
    Statement contacts;
    const QByteArray sql = contactSelect(fields) + "WHERE id BETWEEN ?1 AND ?2 AND typeof(id) = 'integer' ORDER BY id";
    int rc = sqlite3_prepare_v2(m_db.handle(), sql.constData(), -1, contacts.out(), nullptr);
    if (rc != SQLITE_OK)
        return m_db.errorFor(rc, action);
    sqlite3_bind_int64(contacts.get(), 1, firstId);
    sqlite3_bind_int64(contacts.get(), 2, lastId);

    Statement history;
    const bool withHistory = m_hasSchedules && fields != Fields::Checks;
    if (withHistory) {
        const QByteArray hsql = historySelect() + "WHERE contact_id BETWEEN ?1 AND ?2"
            + historyFilter(m_scheduleColumns) + " ORDER BY contact_id";
        rc = sqlite3_prepare_v2(m_db.handle(), hsql.constData(), -1, history.out(), nullptr);
        if (rc != SQLITE_OK)
            return m_db.errorFor(rc, action);
        sqlite3_bind_int64(history.get(), 1, firstId);
        sqlite3_bind_int64(history.get(), 2, lastId);
    }

    // Both statements run in id order; history rows are merged into their contact.
    int hrc = withHistory ? sqlite3_step(history.get()) : SQLITE_DONE;
    std::vector<HistoryEntry> entries;
    Contact contact; // reused: its strings keep their buffers from row to row
    while ((rc = sqlite3_step(contacts.get())) == SQLITE_ROW) {
        if (fields != Fields::All) {
            sqlite3_stmt *row = contacts.get();
            contact.id = sqlite3_column_int64(row, 0);
            readText(row, 1, contact.email);
            readText(row, 2, contact.effectiveDate);
            readText(row, 3, contact.birthDate);
            readText(row, 4, contact.state);
            readText(row, 5, contact.zipCode);
        } else {
            contact = contactFrom(contacts.get(), fields);
        }
        entries.clear();
        while (hrc == SQLITE_ROW && sqlite3_column_int64(history.get(), 0) < contact.id)
            hrc = sqlite3_step(history.get());
        while (hrc == SQLITE_ROW && sqlite3_column_int64(history.get(), 0) == contact.id) {
            entries.push_back(historyEntry(history.get()));
            hrc = sqlite3_step(history.get());
        }
        if (hrc != SQLITE_ROW && hrc != SQLITE_DONE)
            return m_db.errorFor(hrc, action);
        visit(contact, entries);
    }
    if (rc != SQLITE_DONE)
        return m_db.errorFor(rc, action);
    return {};
}

Result<void> ContactSource::readIds(std::span<const qint64> ids, Fields fields, const Visitor &visit,
                                    const DuplicateVisitor &duplicate) const
{
    const QString action = QCoreApplication::translate("ContactSource", "read contacts from");
    Statement contacts;
    const QByteArray sql = contactSelect(fields) + "WHERE id = ?1 AND typeof(id) = 'integer'";
    int rc = sqlite3_prepare_v2(m_db.handle(), sql.constData(), -1, contacts.out(), nullptr);
    if (rc != SQLITE_OK)
        return m_db.errorFor(rc, action);
    Statement history;
    const bool withHistory = m_hasSchedules && fields != Fields::Checks;
    if (withHistory) {
        const QByteArray hsql = historySelect() + "WHERE contact_id = ?1" + historyFilter(m_scheduleColumns);
        rc = sqlite3_prepare_v2(m_db.handle(), hsql.constData(), -1, history.out(), nullptr);
        if (rc != SQLITE_OK)
            return m_db.errorFor(rc, action);
    }
    std::vector<HistoryEntry> entries;
    for (const qint64 id : ids) {
        sqlite3_reset(contacts.get());
        sqlite3_bind_int64(contacts.get(), 1, id);
        rc = sqlite3_step(contacts.get());
        if (rc == SQLITE_DONE)
            continue;
        if (rc != SQLITE_ROW)
            return m_db.errorFor(rc, action);
        const Contact contact = contactFrom(contacts.get(), fields);
        rc = sqlite3_step(contacts.get());
        if (rc == SQLITE_ROW) {
            // Several rows share the id: which person is meant cannot be known.
            Result<std::vector<ContactIdProblem>> rows = rowsWithId(id);
            if (!rows)
                return rows.error();
            if (duplicate)
                duplicate(*rows);
            continue;
        }
        if (rc != SQLITE_DONE)
            return m_db.errorFor(rc, action);
        entries.clear();
        if (withHistory) {
            sqlite3_reset(history.get());
            sqlite3_bind_int64(history.get(), 1, id);
            while ((rc = sqlite3_step(history.get())) == SQLITE_ROW)
                entries.push_back(historyEntry(history.get()));
            if (rc != SQLITE_DONE)
                return m_db.errorFor(rc, action);
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
