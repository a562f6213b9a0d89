#pragma once

#include "result.h"
#include "storage/runhistory.h"

class PgConnection;

// RunHistory on a PostgreSQL organisation database (the same runs table, PostgreSQL types).
namespace PgRunHistory {

// Newest first; empty when there is no runs table yet.
Result<QList<RunRecord>> list(const QString &spec, int limit = 100);
// The same on an open connection (the run notifier's).
Result<QList<RunRecord>> list(const PgConnection &db, int limit = 100);
// Inserts a record inside the caller's transaction; returns its id.
Result<qint64> record(PgConnection &db, const RunRecord &run);

} // namespace PgRunHistory
