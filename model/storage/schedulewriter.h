#pragma once

#include "batch/batchjob.h"
#include "result.h"
#include "storage/orgdatabase.h"

#include <functional>

// How to write a run.
struct WriteOptions
{
    QString batchId;                  // empty: generated ("run-20240501T120000Z-1a2b")
    QString user;                     // recorded in the runs table; empty: $USER
    std::function<bool()> isCanceled; // checked during the write; rollback when true
    int busyTimeoutMs = OrgDatabase::DefaultBusyTimeoutMs;
    qint64 failAfterRows = -1; // test hook: fail after inserting this many rows
    // PostgreSQL: told once, with a readable line, when the run waits for another run's lock
    // (which it does for up to busyTimeoutMs).
    std::function<void(const QString &message)> onWaiting;
};

// What a run changed.
struct WriteSummary
{
    QString batchId;
    qint64 runId = 0;      // id in scheduler_runs
    qint64 added = 0;      // rows inserted
    qint64 removed = 0;    // pre-scheduled/skipped rows deleted
    qint64 unchanged = 0;  // identical rows left untouched
    qint64 collisions = 0; // rows not written: same contact/type/date as a row of another status
    double seconds = 0;
};

// Writes a computed batch into the org database as SPEC section 9 says: one transaction that
// replaces, for the processed contacts, every pre-scheduled and skipped row (rows that stay
// identical are left untouched, so a second run with the same inputs changes nothing) and
// never touches rows of other statuses. Cancel, error, failure or kill -9 leave the complete
// old schedule. Every run, failed and cancelled ones included, gets a scheduler_runs row.
namespace ScheduleWriter {

Result<WriteSummary> write(const BatchResult &batch, const WriteOptions &options = {});

} // namespace ScheduleWriter
