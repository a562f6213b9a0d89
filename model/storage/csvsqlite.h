#pragma once

#include "csv/csvexport.h"
#include "storage/orgdatabase.h"

#include <QCoreApplication>

#include <sqlite3.h>

#include <memory>

// Small SQLite C-API helpers shared by the CSV export and the contact import (both stream rows
// through prepared statements on an OrgDatabase connection).
namespace CsvSqlite {

struct StatementDeleter
{
    void operator()(sqlite3_stmt *s) const { sqlite3_finalize(s); }
};
using Statement = std::unique_ptr<sqlite3_stmt, StatementDeleter>;

// A storage error keeps its readable message; its code becomes the CSV layer's (and thereby the
// CLI exit code): cancelled stays cancelled, everything else is a database error.
inline Error fromDbError(const Error &error)
{
    return Error { error.message,
                   dbErrorKind(error) == DbErrorKind::Cancelled ? int(CsvErrorKind::Cancelled)
                                                                : int(CsvErrorKind::Database) };
}

inline Error sqlError(const OrgDatabase &db, int rc, const QString &action)
{
    return fromDbError(db.errorFor(rc, action));
}

inline Result<Statement> prepare(const OrgDatabase &db, const QString &sql, const QString &action)
{
    sqlite3_stmt *stmt = nullptr;
    const QByteArray utf8 = sql.toUtf8();
    const int rc = sqlite3_prepare_v2(db.handle(), utf8.constData(), int(utf8.size()), &stmt, nullptr);
    if (rc != SQLITE_OK) {
        sqlite3_finalize(stmt);
        return sqlError(db, rc, action);
    }
    return Statement(stmt);
}

// The first column of the first row of `sql` as an integer.
inline Result<qint64> scalar(const OrgDatabase &db, const QString &sql, const QString &action)
{
    auto stmt = prepare(db, sql, action);
    if (!stmt.ok())
        return stmt.error();
    const int rc = sqlite3_step(stmt->get());
    if (rc == SQLITE_ROW)
        return qint64(sqlite3_column_int64(stmt->get(), 0));
    if (rc == SQLITE_DONE)
        return qint64(0);
    return sqlError(db, rc, action);
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

// Binds a QString as UTF-8 text (copied by SQLite).
inline int bindText(sqlite3_stmt *stmt, int index, const QString &text)
{
    const QByteArray utf8 = text.toUtf8();
    return sqlite3_bind_text(stmt, index, utf8.constData(), int(utf8.size()), SQLITE_TRANSIENT);
}

} // namespace CsvSqlite
