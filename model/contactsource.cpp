#include "contactsource.h"

#include "orgdatabase.h"

#include <QCoreApplication>

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
constexpr const char *kAllColumns[]
    = { "id",         "first_name", "last_name", "email",    "current_carrier", "plan_type", "effective_date",
        "birth_date", "gender",     "state",     "zip_code", "phone_number",    "status" };

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
        c.firstName = text(stmt, 1);
        c.lastName = text(stmt, 2);
        c.email = text(stmt, 3);
        c.currentCarrier = text(stmt, 4);
        c.planType = text(stmt, 5);
        c.effectiveDate = text(stmt, 6);
        c.birthDate = text(stmt, 7);
        c.gender = text(stmt, 8);
        c.state = text(stmt, 9);
        c.zipCode = text(stmt, 10);
        c.phoneNumber = text(stmt, 11);
        c.status = text(stmt, 12);
    }
    return c;
}

constexpr const char *kHistoryColumns
    = "SELECT contact_id, email_type, scheduled_send_date, status, event_year FROM email_schedules ";
constexpr const char *kHistoryFilter = " AND (status IS NULL OR status NOT IN ('pre-scheduled', 'skipped'))";

} // namespace

ContactSource::ContactSource(OrgDatabase &db)
    : m_db(db), m_contactColumns(db.columns(QStringLiteral("contacts"))),
      m_hasSchedules(db.hasTable(QStringLiteral("email_schedules")))
{ }

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
        for (const char *column : kAllColumns)
            add(column);
    }
    sql += " FROM contacts ";
    return sql;
}

Result<std::vector<qint64>> ContactSource::contactIds() const
{
    Statement stmt;
    int rc = sqlite3_prepare_v2(m_db.handle(), "SELECT id FROM contacts WHERE id IS NOT NULL ORDER BY id", -1,
                                stmt.out(), nullptr);
    if (rc != SQLITE_OK)
        return m_db.errorFor(rc, QCoreApplication::translate("ContactSource", "read contacts from"));
    std::vector<qint64> ids;
    while ((rc = sqlite3_step(stmt.get())) == SQLITE_ROW)
        ids.push_back(sqlite3_column_int64(stmt.get(), 0));
    if (rc != SQLITE_DONE)
        return m_db.errorFor(rc, QCoreApplication::translate("ContactSource", "read contacts from"));
    return ids;
}

Result<void> ContactSource::readRange(qint64 firstId, qint64 lastId, Fields fields,
                                      const Visitor &visit) const
{
    const QString action = QCoreApplication::translate("ContactSource", "read contacts from");
    Statement contacts;
    const QByteArray sql = contactSelect(fields) + "WHERE id BETWEEN ?1 AND ?2 ORDER BY id";
    int rc = sqlite3_prepare_v2(m_db.handle(), sql.constData(), -1, contacts.out(), nullptr);
    if (rc != SQLITE_OK)
        return m_db.errorFor(rc, action);
    sqlite3_bind_int64(contacts.get(), 1, firstId);
    sqlite3_bind_int64(contacts.get(), 2, lastId);

    Statement history;
    const bool withHistory = m_hasSchedules && fields != Fields::Checks;
    if (withHistory) {
        const QByteArray hsql = QByteArray(kHistoryColumns) + "WHERE contact_id BETWEEN ?1 AND ?2"
            + kHistoryFilter + " ORDER BY contact_id";
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

Result<void> ContactSource::readIds(std::span<const qint64> ids, Fields fields, const Visitor &visit) const
{
    const QString action = QCoreApplication::translate("ContactSource", "read contacts from");
    Statement contacts;
    const QByteArray sql = contactSelect(fields) + "WHERE id = ?1";
    int rc = sqlite3_prepare_v2(m_db.handle(), sql.constData(), -1, contacts.out(), nullptr);
    if (rc != SQLITE_OK)
        return m_db.errorFor(rc, action);
    Statement history;
    const bool withHistory = m_hasSchedules && fields != Fields::Checks;
    if (withHistory) {
        const QByteArray hsql = QByteArray(kHistoryColumns) + "WHERE contact_id = ?1" + kHistoryFilter;
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
