#pragma once

#include "result.h"

#include <QHash>

class SqlSession;

// What the last run left for one campaign instance: its rows in email_schedules (a run replaces
// every pre-scheduled and skipped row of the contacts it processed, so these are the last run's).
struct InstanceRunCounts
{
    qint64 scheduled = 0; // pre-scheduled
    qint64 skipped = 0;
};

// The counts per campaign_instance_id. `hasRun` (optional) tells whether any run wrote campaign
// rows (the column exists and holds an instance id). A database without email_schedules or
// without the column gives no counts. Works on a read-only connection.
Result<QHash<qint64, InstanceRunCounts>> readInstanceRunCounts(const SqlSession &db, bool *hasRun = nullptr);
