#pragma once

#include "emailtypes.h"
#include "result.h"
#include "schedule.h"

#include <QByteArray>

#include <functional>
#include <span>

class OrgDatabase;

// Internal to the storage code (ScheduleWriter, ScheduleDiff): the exact text a run writes for
// an email, and a fast scan of the stored rows that keeps only keys and a content hash, so a
// million contacts' rows can be compared without copying their strings.
namespace StoredSchedule {

enum class StatusKind : quint8 { PreScheduled, Skipped, Other };

struct StoredRow
{
    qint64 rowid = 0;
    qint64 contactId = 0;
    qint64 dateJd = 0;       // julian day of scheduled_send_date; 0 when not exactly YYYY-MM-DD
    quint64 contentHash = 0; // of the columns compared for "identical" (see newRowHash)
    qint8 type = -1;         // EmailType, case-insensitive (POST_WINDOW_* -> post_window); -1 other
    bool exactType = false;  // email_type is exactly the name this program writes
    StatusKind status = StatusKind::Other;
};

// "birthday" etc. as static UTF-8.
const char *typeName(EmailType type);
// "<reason_code>: <detail>" for skipped emails, empty (NULL) for pre-scheduled ones.
QByteArray skipReasonText(const ContactSchedule &schedule, const ScheduledEmail &email);
// A note on catch-up emails, empty (NULL) otherwise.
QByteArray catchupNote(const ScheduledEmail &email);
// Hash of status, skip_reason, scheduled_send_time, event_year/month/day and catchup_note as
// this program would write them for `email`.
quint64 newRowHash(const ContactSchedule &schedule, const ScheduledEmail &email, const QByteArray &sendTime);

// Fills the type, exactType, dateJd and status of `row` from the stored text, as scan() does
// (for the PostgreSQL scan; contentHash is left alone).
void classify(StoredRow &row, QByteArrayView type, QByteArrayView date, QByteArrayView status);

// Calls `group` once per contact id in [firstId, lastId] that has rows, in ascending id order,
// with all its rows (any status). `group` returns false to stop (cancel). Returns an error
// naming the file on SQL failure.
using GroupFunction = std::function<bool(qint64 contactId, std::span<const StoredRow> rows)>;
Result<void> scan(OrgDatabase &db, qint64 firstId, qint64 lastId, const GroupFunction &group);

} // namespace StoredSchedule
