#pragma once

#include "emailtypes.h"
#include "result.h"
#include "schedule.h"

#include <QByteArray>
#include <QString>
#include <QStringList>

#include <functional>
#include <span>
#include <vector>

class CampaignRun;
class OrgDatabase;

// Internal to the storage code (ScheduleWriter, ScheduleDiff): the exact text a run writes for
// an email, and a fast scan of the stored rows that keeps only keys and a content hash, so a
// million contacts' rows can be compared without copying their strings.
namespace StoredSchedule {

enum class StatusKind : quint8 { PreScheduled, Skipped, Other };

// The written names of a run's campaign emails ("campaign_<name>"): each distinct name gets a
// small key, so stored rows and new emails are compared by key. Several live instances of one
// type share a name (and the unique index's key). A null CampaignRun: no names.
class CampaignNames
{
public:
    explicit CampaignNames(const CampaignRun *campaigns);
    // The key of the written name of the run's campaign `index` (ScheduledEmail::campaign).
    qint16 keyOf(quint16 index) const
    {
        return index < m_keyOfIndex.size() ? m_keyOfIndex[index] : qint16(-1);
    }
    // The key of a stored email_type (exact bytes); -1 when no live campaign writes it.
    qint16 keyOf(QByteArrayView storedName) const;
    const QByteArray &name(qint16 key) const { return m_names[std::size_t(key)]; }
    // The key of an email: its campaign's name key, -1 for other types.
    qint16 keyOf(const ScheduledEmail &email) const
    {
        return email.type == EmailType::Campaign ? keyOf(email.campaign) : qint16(-1);
    }

private:
    std::vector<QByteArray> m_names;  // by key, ascending (the live table is sorted by name)
    std::vector<qint16> m_keyOfIndex; // by CampaignRun index
};

struct StoredRow
{
    qint64 rowid = 0;
    qint64 contactId = 0;
    qint64 dateJd = 0;       // julian day of scheduled_send_date; 0 when not exactly YYYY-MM-DD
    quint64 contentHash = 0; // of the columns compared for "identical" (see newRowHash)
    qint8 type = -1;         // EmailType, case-insensitive (POST_WINDOW_* -> post_window); -1 other
    bool exactType = false;  // email_type is exactly the name this program writes
    qint16 campaignKey = -1; // campaign rows: CampaignNames key of the exact stored name; -1 otherwise
    StatusKind status = StatusKind::Other;

    // Whether this row holds `email`'s (type, name) on `jd`: the key of the unique index.
    bool sameKey(const ScheduledEmail &email, qint16 emailCampaignKey, qint64 jd) const
    {
        return exactType && type == qint8(email.type) && dateJd == jd
            && (email.type != EmailType::Campaign || campaignKey == emailCampaignKey);
    }
};

// The order in which a run writes one contact's emails, the order of the unique index: by
// written name (type, then campaign name), then date. Of two emails with one written key (two
// live instances of a campaign type on one date) only one is written: the pre-scheduled one,
// else the first instance. Fills `order` with the indices of the emails to write and returns
// how many were left out (collisions). Both backends' writers use it.
qint64 writeOrder(const ContactSchedule &schedule, const CampaignNames &names, std::vector<quint32> &order);

// Whether a run has live campaigns (a null CampaignRun has none).
bool hasLiveCampaigns(const CampaignRun *campaigns);

// Campaign rows carry their instance (SPEC 9): adds email_schedules.campaign_instance_id, of
// `columnType`, in the caller's open transaction the first time a run has live campaigns.
// Returns whether the column exists. `Database` is OrgDatabase or PgConnection.
template<typename Database>
Result<bool> ensureInstanceColumn(Database &db, const CampaignRun *campaigns, const char *columnType,
                                  const QString &action)
{
    if (db.columns(QStringLiteral("email_schedules"))
            .contains(QStringLiteral("campaign_instance_id"), Qt::CaseInsensitive))
        return true;
    if (!hasLiveCampaigns(campaigns))
        return false;
    const QByteArray sql
        = QByteArray("ALTER TABLE email_schedules ADD COLUMN campaign_instance_id ") + columnType;
    if (auto r = db.exec(sql.constData(), action); !r)
        return r.error();
    return true;
}

// "birthday" etc. as static UTF-8 ("campaign" for every campaign: see CampaignNames).
const char *typeName(EmailType type);
// "<reason_code>: <detail>" for skipped emails, empty (NULL) for pre-scheduled ones.
QByteArray skipReasonText(const ContactSchedule &schedule, const ScheduledEmail &email,
                          const CampaignRun *campaigns);
// A note on catch-up emails, empty (NULL) otherwise.
QByteArray catchupNote(const ScheduledEmail &email);
// Hash of status, skip_reason, scheduled_send_time, event_year/month/day, catchup_note and
// campaign_instance_id (0: NULL) as this program would write them for `email`.
quint64 newRowHash(const ContactSchedule &schedule, const ScheduledEmail &email, const QByteArray &sendTime,
                   const CampaignRun *campaigns);

// Fills the type, exactType, dateJd and status of `row` from the stored text, as scan() does
// (for the PostgreSQL scan; contentHash is left alone).
void classify(StoredRow &row, QByteArrayView type, QByteArrayView date, QByteArrayView status,
              const CampaignNames &names);

// Calls `group` once per contact id in [firstId, lastId] that has rows, in ascending id order,
// with all its rows (any status). `group` returns false to stop (cancel). Returns an error
// naming the file on SQL failure.
using GroupFunction = std::function<bool(qint64 contactId, std::span<const StoredRow> rows)>;
Result<void> scan(OrgDatabase &db, qint64 firstId, qint64 lastId, const CampaignNames &names,
                  const GroupFunction &group);

} // namespace StoredSchedule
