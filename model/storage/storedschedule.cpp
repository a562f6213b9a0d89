#include "storage/storedschedule.h"

#include "datetext.h"
#include "dates.h"
#include "explain.h"
#include "fnv1a.h"
#include "storage/orgdatabase.h"

#include <QCoreApplication>

#include <sqlite3.h>

#include <cstring>
#include <vector>

namespace StoredSchedule {

namespace {

// FNV-1a 64 over tagged fields, so NULL, '' and 0 hash differently.
class Hasher
{
public:
    void bytes(const char *data, qsizetype size) { m_fnv.bytes(QByteArrayView(data, size)); }
    void null() { byte(1); }
    void text(const char *data, qsizetype size)
    {
        if (!data) {
            null();
            return;
        }
        byte(2);
        bytes(data, size);
        byte(0);
    }
    void integer(qint64 value)
    {
        byte(3);
        for (int i = 0; i < 8; ++i)
            byte(static_cast<unsigned char>(value >> (8 * i)));
    }
    quint64 value() const { return m_fnv.value(); }

private:
    void byte(unsigned char b) { m_fnv.byte(b); }
    Fnv1a64 m_fnv;
};

void hashText(Hasher &h, const QByteArray &text)
{
    if (text.isNull())
        h.null();
    else
        h.text(text.constData(), text.size());
}

// Case-insensitive ASCII comparison of a stored type name.
bool equalsIgnoringCase(const char *data, int size, const char *name)
{
    const int length = int(std::strlen(name));
    if (size != length)
        return false;
    for (int i = 0; i < size; ++i) {
        char c = data[i];
        if (c >= 'A' && c <= 'Z')
            c = char(c - 'A' + 'a');
        if (c != name[i])
            return false;
    }
    return true;
}

void classifyType(const char *data, int size, StoredRow &row)
{
    row.type = -1;
    row.exactType = false;
    if (!data)
        return;
    for (int t = 0; t < EmailTypeCount; ++t) {
        const char *name = typeName(EmailType(t));
        if (equalsIgnoringCase(data, size, name)) {
            row.type = qint8(t);
            row.exactType = std::memcmp(data, name, size_t(size)) == 0;
            return;
        }
    }
    // Production writes POST_WINDOW_BIRTHDAY and the like.
    if (size > 11 && equalsIgnoringCase(data, 11, "post_window"))
        row.type = qint8(EmailType::PostWindow);
}

qint64 exactDate(const char *data, int size)
{
    const QDate date = data ? DateText::parse(QByteArrayView(data, size)) : QDate();
    return date.isValid() ? date.toJulianDay() : 0;
}

} // namespace

const char *typeName(EmailType type)
{
    return emailTypeKey(type).data();
}


QByteArray skipReasonText(const ContactSchedule &schedule, const ScheduledEmail &email)
{
    if (email.status != EmailStatus::Skipped)
        return {};
    const QString detail = Explain::detail(schedule, email);
    QString text = skipReasonCode(email.reason);
    if (!detail.isEmpty())
        text += QLatin1StringView(": ") + detail;
    return text.toUtf8();
}

QByteArray catchupNote(const ScheduledEmail &email)
{
    if (!email.catchUp)
        return {};
    char event[10];
    if (!DateText::write(email.eventDate, event))
        return QByteArray("catch-up: the anniversary is too close for the usual lead time");
    return QByteArray("catch-up: anniversary ") + QByteArray(event, 10)
        + QByteArray(" is too close for the usual lead time");
}

quint64 newRowHash(const ContactSchedule &schedule, const ScheduledEmail &email, const QByteArray &sendTime)
{
    Hasher h;
    const char *status = email.status == EmailStatus::Skipped ? "skipped" : "pre-scheduled";
    h.text(status, qsizetype(std::strlen(status)));
    hashText(h, skipReasonText(schedule, email));
    h.text(sendTime.constData(), sendTime.size());
    if (Dates::inRange(email.eventDate)) {
        h.integer(email.eventDate.year());
        h.integer(email.eventDate.month());
        h.integer(email.eventDate.day());
    } else {
        h.null();
        h.null();
        h.null();
    }
    hashText(h, catchupNote(email));
    return h.value();
}

Result<void> scan(OrgDatabase &db, qint64 firstId, qint64 lastId, const GroupFunction &group)
{
    const QString action = QCoreApplication::translate("StoredSchedule", "read the stored schedule of");
    sqlite3_stmt *stmt = nullptr;
    // An older table may lack columns (a read-only open cannot add them): they read as NULL.
    const QStringList existing = db.columns(QStringLiteral("email_schedules"));
    QByteArray sql = "SELECT rowid, contact_id";
    for (const char *column : { "email_type", "scheduled_send_date", "status", "skip_reason", "scheduled_send_time",
                                "event_year", "event_month", "event_day", "catchup_note" })
        sql += existing.contains(QLatin1StringView(column), Qt::CaseInsensitive) ? QByteArray(", ") + column
                                                                                : QByteArray(", NULL");
    sql += " FROM email_schedules WHERE contact_id BETWEEN ?1 AND ?2 ORDER BY contact_id";
    int rc = sqlite3_prepare_v2(db.handle(), sql.constData(), -1, &stmt, nullptr);
    if (rc != SQLITE_OK)
        return db.errorFor(rc, action);
    sqlite3_bind_int64(stmt, 1, firstId);
    sqlite3_bind_int64(stmt, 2, lastId);

    auto textOf = [stmt](int column) { return reinterpret_cast<const char *>(sqlite3_column_text(stmt, column)); };
    std::vector<StoredRow> rows;
    qint64 current = 0;
    bool stopped = false;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
        StoredRow row;
        row.rowid = sqlite3_column_int64(stmt, 0);
        row.contactId = sqlite3_column_int64(stmt, 1);
        if (!rows.empty() && row.contactId != current) {
            if (!group(current, rows)) {
                stopped = true;
                break;
            }
            rows.clear();
        }
        current = row.contactId;
        classifyType(textOf(2), sqlite3_column_bytes(stmt, 2), row);
        row.dateJd = exactDate(textOf(3), sqlite3_column_bytes(stmt, 3));
        const char *status = textOf(4);
        const int statusSize = sqlite3_column_bytes(stmt, 4);
        if (status && statusSize == 13 && std::memcmp(status, "pre-scheduled", 13) == 0)
            row.status = StatusKind::PreScheduled;
        else if (status && statusSize == 7 && std::memcmp(status, "skipped", 7) == 0)
            row.status = StatusKind::Skipped;
        if (row.status != StatusKind::Other) {
            Hasher h;
            h.text(status, statusSize);
            for (int column : {5, 6}) {
                const char *value = textOf(column);
                h.text(value, sqlite3_column_bytes(stmt, column));
            }
            for (int column : {7, 8, 9}) {
                if (sqlite3_column_type(stmt, column) == SQLITE_NULL)
                    h.null();
                else
                    h.integer(sqlite3_column_int64(stmt, column));
            }
            h.text(textOf(10), sqlite3_column_bytes(stmt, 10));
            row.contentHash = h.value();
        }
        rows.push_back(row);
    }
    if (!stopped && rc == SQLITE_DONE && !rows.empty())
        stopped = !group(current, rows);
    sqlite3_finalize(stmt);
    if (stopped)
        return dbError(DbErrorKind::Cancelled,
                       QCoreApplication::translate("StoredSchedule", "Cancelled; %1 was not changed.")
                           .arg(db.path()));
    if (rc != SQLITE_DONE)
        return db.errorFor(rc, action);
    return {};
}

} // namespace StoredSchedule
