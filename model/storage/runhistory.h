#pragma once

#include "result.h"

#include <QDate>
#include <QDateTime>
#include <QList>
#include <QString>

class OrgDatabase;

// One row of the runs table `scheduler_runs`.
struct RunRecord
{
    qint64 id = 0;
    QString batchId;
    QDateTime startedAt;  // UTC
    QDateTime finishedAt; // UTC
    QDate today;
    QString status; // "completed", "failed", "cancelled"; "declined" (desktop, never stored)
    qint64 contacts = 0;
    qint64 scheduled = 0;
    qint64 skipped = 0;
    qint64 problems = 0;
    qint64 added = 0;
    qint64 removed = 0;
    qint64 unchanged = 0;
    QString user;       // who ran it on the computer ($USER)
    QString serverUser; // PostgreSQL: the server role it ran as (session_user); empty on SQLite
    QString error;      // empty unless failed/cancelled
    // The run's warnings (SPEC 12's campaign_invalid), one per line: "<code>: <message>"; empty
    // for none. Stored in the runs table's `warnings` column.
    QString warnings;
    // Its campaign and follow-up emails by kind (RunEmailCounts::toText; empty for none), in the
    // runs table's `email_counts` column.
    QString emailCounts;
    // False for a run of this desktop session that ended before writing (declined, cancelled
    // or failed while computing): it left the database untouched, so it is listed from memory.
    bool stored = true;

    // Ends the record of a run that wrote nothing because of `error`: "cancelled" or "failed",
    // the error's message, no rows added, removed or kept, finished now.
    void endWithError(const Error &error);
};

// The record of runs kept in the org database.
namespace RunHistory {

// Newest first; an empty list when the database has no runs table yet. Read-only.
Result<QList<RunRecord>> list(const QString &databasePath, int limit = 100);

// Inserts a record (inside the caller's transaction, if any); returns its id.
Result<qint64> record(OrgDatabase &db, const RunRecord &run);

} // namespace RunHistory
