#include "storage/storedschedule.h"

#include "campaignrun.h"
#include "dates.h"
#include "datetext.h"
#include "explain.h"
#include "fnv1a.h"
#include "storage/orgdatabase.h"
#include "storage/statement.h"

#include <QCoreApplication>

#include <algorithm>
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

void classifyType(const char *data, int size, const CampaignNames &names, StoredRow &row)
{
    row.type = -1;
    row.exactType = false;
    row.campaignKey = -1;
    if (!data)
        return;
    // campaign_<name>: exact when a live campaign writes that name; other campaign names are
    // still campaign rows (an ended campaign's pre-scheduled rows are replaced).
    if (size > 9 && equalsIgnoringCase(data, 9, "campaign_")) {
        row.type = qint8(EmailType::Campaign);
        row.campaignKey = names.keyOf(QByteArrayView(data, size));
        row.exactType = row.campaignKey >= 0;
        return;
    }
    for (int t = 0; t < EmailTypeCount; ++t) {
        if (EmailType(t) == EmailType::Campaign)
            continue;
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

void classify(StoredRow &row, QByteArrayView type, QByteArrayView date, QByteArrayView status,
              const CampaignNames &names)
{
    classifyType(type.data(), int(type.size()), names, row);
    row.dateJd = exactDate(date.data(), int(date.size()));
    if (status == QByteArrayView("pre-scheduled"))
        row.status = StatusKind::PreScheduled;
    else if (status == QByteArrayView("skipped"))
        row.status = StatusKind::Skipped;
    else
        row.status = StatusKind::Other;
}

CampaignNames::CampaignNames(const CampaignRun *campaigns)
{
    if (!campaigns)
        return;
    for (const LiveCampaign &campaign : campaigns->live()) {
        const QByteArray name = campaign.emailType.toUtf8();
        if (m_names.empty() || m_names.back() != name)
            m_names.push_back(name);
        m_keyOfIndex.push_back(qint16(m_names.size() - 1));
    }
}

qint16 CampaignNames::keyOf(QByteArrayView storedName) const
{
    for (std::size_t key = 0; key < m_names.size(); ++key) {
        if (m_names[key] == storedName)
            return qint16(key);
    }
    return -1;
}

qint64 writeOrder(const ContactSchedule &schedule, const CampaignNames &names, std::vector<quint32> &order)
{
    // The written name's order: type, then campaign name (keys follow the names' order).
    const auto nameOrder = [&names](const ScheduledEmail &email) {
        return emailTypeOrder(email.type) * 0x10000 + names.keyOf(email) + 1;
    };
    const auto &emails = schedule.emails;
    order.resize(emails.size());
    for (quint32 i = 0; i < order.size(); ++i)
        order[i] = i;
    std::sort(order.begin(), order.end(), [&emails, &nameOrder](quint32 a, quint32 b) {
        const ScheduledEmail &ea = emails[a];
        const ScheduledEmail &eb = emails[b];
        const int ra = nameOrder(ea), rb = nameOrder(eb);
        if (ra != rb)
            return ra < rb;
        if (ea.date != eb.date)
            return ea.date < eb.date;
        if (ea.status != eb.status)
            return ea.status == EmailStatus::PreScheduled;
        return ea.campaign < eb.campaign;
    });
    // The engine gave one key twice: the unique index allows one.
    std::size_t kept = 0;
    for (std::size_t i = 0; i < order.size(); ++i) {
        if (kept > 0) {
            const ScheduledEmail &previous = emails[order[kept - 1]];
            const ScheduledEmail &email = emails[order[i]];
            if (nameOrder(previous) == nameOrder(email) && previous.date == email.date)
                continue;
        }
        order[kept++] = order[i];
    }
    const auto collisions = qint64(order.size() - kept);
    order.resize(kept);
    return collisions;
}

bool hasLiveCampaigns(const CampaignRun *campaigns)
{
    return campaigns && !campaigns->isEmpty();
}

const char *typeName(EmailType type)
{
    return emailTypeKey(type).data();
}

QByteArray skipReasonText(const ContactSchedule &schedule, const ScheduledEmail &email,
                          const CampaignRun *campaigns)
{
    if (email.status != EmailStatus::Skipped)
        return {};
    const QString detail = Explain::detail(schedule, email, campaigns);
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

quint64 newRowHash(const ContactSchedule &schedule, const ScheduledEmail &email, const QByteArray &sendTime,
                   const CampaignRun *campaigns)
{
    Hasher h;
    const char *status = email.status == EmailStatus::Skipped ? "skipped" : "pre-scheduled";
    h.text(status, qsizetype(std::strlen(status)));
    hashText(h, skipReasonText(schedule, email, campaigns));
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
    const qint64 instance = campaigns ? campaigns->instanceId(email) : 0;
    if (instance != 0)
        h.integer(instance);
    else
        h.null();
    return h.value();
}

Result<void> scan(OrgDatabase &db, qint64 firstId, qint64 lastId, const CampaignNames &names,
                  const GroupFunction &group)
{
    const QString action = QCoreApplication::translate("StoredSchedule", "read the stored schedule of");
    // An older table may lack columns (a read-only open cannot add them): they read as NULL.
    const QStringList existing = db.columns(QStringLiteral("email_schedules"));
    QByteArray sql = "SELECT rowid, contact_id";
    for (const char *column :
         { "email_type", "scheduled_send_date", "status", "skip_reason", "scheduled_send_time", "event_year",
           "event_month", "event_day", "catchup_note", "campaign_instance_id" })
        sql += existing.contains(QLatin1StringView(column), Qt::CaseInsensitive) ? QByteArray(", ") + column
                                                                                 : QByteArray(", NULL");
    sql += " FROM email_schedules WHERE contact_id BETWEEN ?1 AND ?2 ORDER BY contact_id";
    auto stmt = Statement::prepare(db, sql.constData(), action);
    if (!stmt)
        return stmt.error();
    stmt->bind(1, firstId).bind(2, lastId);

    std::vector<StoredRow> rows;
    qint64 current = 0;
    bool stopped = false;
    Result<bool> step = stmt->step();
    for (; step.ok() && *step; step = stmt->step()) {
        StoredRow row;
        row.rowid = stmt->int64(0);
        row.contactId = stmt->int64(1);
        if (!rows.empty() && row.contactId != current) {
            if (!group(current, rows)) {
                stopped = true;
                break;
            }
            rows.clear();
        }
        current = row.contactId;
        const QByteArrayView type = stmt->utf8(2);
        classifyType(type.data(), int(type.size()), names, row);
        const QByteArrayView date = stmt->utf8(3);
        row.dateJd = exactDate(date.data(), int(date.size()));
        const QByteArrayView statusText = stmt->utf8(4);
        const char *status = statusText.data();
        const int statusSize = int(statusText.size());
        if (status && statusSize == 13 && std::memcmp(status, "pre-scheduled", 13) == 0)
            row.status = StatusKind::PreScheduled;
        else if (status && statusSize == 7 && std::memcmp(status, "skipped", 7) == 0)
            row.status = StatusKind::Skipped;
        if (row.status != StatusKind::Other) {
            Hasher h;
            h.text(status, statusSize);
            for (int column : { 5, 6 }) {
                const QByteArrayView value = stmt->utf8(column);
                h.text(value.data(), value.size());
            }
            for (int column : { 7, 8, 9 }) {
                if (stmt->isNull(column))
                    h.null();
                else
                    h.integer(stmt->int64(column));
            }
            const QByteArrayView note = stmt->utf8(10);
            h.text(note.data(), note.size());
            if (stmt->isNull(11) || stmt->int64(11) == 0)
                h.null();
            else
                h.integer(stmt->int64(11));
            row.contentHash = h.value();
        }
        rows.push_back(row);
    }
    if (!stopped && step.ok() && !rows.empty())
        stopped = !group(current, rows);
    if (stopped)
        return dbError(
            DbErrorKind::Cancelled,
            QCoreApplication::translate("StoredSchedule", "Cancelled; %1 was not changed.").arg(db.path()));
    if (!step)
        return step.error();
    return {};
}

} // namespace StoredSchedule
