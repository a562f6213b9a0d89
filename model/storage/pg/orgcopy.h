#pragma once

#include "result.h"

#include <QList>
#include <QString>

#include <functional>

// Copies an organisation database between SQLite and PostgreSQL, in either direction
// (`email-scheduler-cli copy-db`). Every table of the source is copied with all its rows:
// email_schedules and the runs table get the target's own definition (OrgDatabase::ensureSchema
// or PgSchema::ensure, with the unique index of SPEC section 9), other tables a definition
// mapped from the source's column types (INTEGER <-> bigint, REAL <-> double precision, the rest
// text; a column holding values of another type stays text, so messy contact data survives
// byte for byte). The target is written in one transaction (PostgreSQL) or as a new file
// renamed into place at the end (SQLite), and the row counts of every table are checked before
// it is committed: a failure leaves the target as it was.
namespace OrgCopy {

struct TableCount
{
    QString table;
    qint64 rows = 0;
};

// The tables copied, with their row counts (equal in source and target).
Result<QList<TableCount>> copy(const QString &from, const QString &to,
                               const std::function<bool()> &isCanceled = {});

} // namespace OrgCopy
