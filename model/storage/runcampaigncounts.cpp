#include "storage/runcampaigncounts.h"

#include "storage/sqlsession.h"

#include <QCoreApplication>

Result<QHash<qint64, InstanceRunCounts>> readInstanceRunCounts(const SqlSession &db, bool *hasRun)
{
    if (hasRun)
        *hasRun = false;
    QHash<qint64, InstanceRunCounts> counts;
    if (!db.hasTable(QStringLiteral("email_schedules"))
        || !db.columns(QStringLiteral("email_schedules")).contains(QStringLiteral("campaign_instance_id")))
        return counts;
    auto stmt = db.prepare("SELECT campaign_instance_id, lower(status), COUNT(*) FROM email_schedules "
                           "WHERE campaign_instance_id IS NOT NULL AND campaign_instance_id <> 0 "
                           "AND lower(status) IN ('pre-scheduled', 'skipped') GROUP BY 1, 2",
                           QCoreApplication::translate("CampaignRunCounts", "read the campaign emails of"));
    if (!stmt)
        return stmt.error();
    Result<bool> row = stmt->step();
    for (; row.ok() && *row; row = stmt->step()) {
        InstanceRunCounts &c = counts[stmt->int64(0)];
        (stmt->text(1) == u"skipped" ? c.skipped : c.scheduled) += stmt->int64(2);
        if (hasRun)
            *hasRun = true;
    }
    if (!row)
        return row.error();
    return counts;
}
