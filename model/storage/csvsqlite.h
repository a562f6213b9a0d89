#pragma once

#include "csv/csvexport.h"
#include "storage/orgdatabase.h"
#include "storage/statement.h"

// A thin adapter of the storage kit for the CSV export and the contact import: storage errors
// in the CSV layer's kinds, a scalar query and identifier quoting. Statements, transactions and
// cancel scopes are the kit's (storage/statement.h).
namespace CsvSqlite {

// A storage error keeps its readable message; its kind becomes the CSV layer's: cancelled stays
// cancelled, everything else is a database error.
inline Error fromDbError(const Error &error)
{
    return Error(error.is(DbErrorKind::Cancelled) ? CsvErrorKind::Cancelled : CsvErrorKind::Database,
                 error.message);
}

// The first column of the first row of `sql` as an integer (0 without rows); errors in CSV kinds.
inline Result<qint64> scalar(const OrgDatabase &db, const QString &sql, const QString &action)
{
    auto stmt = Statement::prepare(db, sql, action);
    if (!stmt.ok())
        return fromDbError(stmt.error());
    auto row = stmt->step();
    if (!row.ok())
        return fromDbError(row.error());
    return *row ? stmt->int64(0) : qint64(0);
}

// A name as an SQL identifier: in double quotes, inner quotes doubled. Every column or table name
// that comes from a database (PRAGMA table_info) goes into SQL through this: production tables
// have columns like "Tobacco User".
inline QString identifier(const QString &name)
{
    QString escaped = name;
    escaped.replace(u'"', QStringLiteral("\"\""));
    return u'"' + escaped + u'"';
}

} // namespace CsvSqlite
