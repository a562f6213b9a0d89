#include "storage/pg/pgstoredschedule.h"

#include "storage/orgdatabase.h"
#include "storage/pg/pgconnection.h"

#include <QCoreApplication>

#include <vector>

namespace PgStoredSchedule {

Result<void> scan(const QString &spec, qint64 firstId, qint64 lastId,
                  const StoredSchedule::CampaignNames &names, const StoredSchedule::GroupFunction &group,
                  bool *hasTable)
{
    using StoredSchedule::StoredRow;
    auto db = PgConnection::connect(spec);
    if (!db)
        return db.error();
    const bool exists = db->hasTable(QStringLiteral("email_schedules"));
    if (hasTable)
        *hasTable = exists;
    if (!exists)
        return {};
    const QStringList columns = db->columns(QStringLiteral("email_schedules"));
    QByteArray sql = "COPY (SELECT id::bigint, contact_id::bigint";
    for (const char *column : { "email_type", "scheduled_send_date", "status" })
        sql += columns.contains(QLatin1StringView(column), Qt::CaseInsensitive)
            ? QByteArray(", ") + column + "::text"
            : QByteArray(", NULL");
    sql += " FROM email_schedules WHERE contact_id BETWEEN " + QByteArray::number(firstId) + " AND "
        + QByteArray::number(lastId) + " ORDER BY contact_id) TO STDOUT";
    std::vector<StoredRow> rows;
    qint64 current = 0;
    bool stopped = false;
    auto r = db->copyOut(sql, QCoreApplication::translate("StoredSchedule", "read the stored schedule of"),
                         [&](const PgCopyRow &line) {
                             StoredRow row;
                             row.rowid = line.int64(0);
                             row.contactId = line.int64(1);
                             if (!rows.empty() && row.contactId != current) {
                                 if (!group(current, rows)) {
                                     stopped = true;
                                     return false;
                                 }
                                 rows.clear();
                             }
                             current = row.contactId;
                             StoredSchedule::classify(row, line.utf8(2), line.utf8(3), line.utf8(4), names);
                             rows.push_back(row);
                             return true;
                         });
    if (stopped || (r.ok() && !rows.empty() && !group(current, rows)))
        return dbError(
            DbErrorKind::Cancelled,
            QCoreApplication::translate("StoredSchedule", "Cancelled; %1 was not changed.").arg(db->name()));
    return r;
}

} // namespace PgStoredSchedule
