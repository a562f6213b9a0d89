#pragma once

#include <QtGlobal>

struct sqlite3;
struct sqlite3_context;

// Serves rows held in memory to SQLite as an eponymous virtual table, so that one
// `INSERT ... SELECT ... FROM <name>` moves the per-row loop into SQLite (no prepared-statement
// round trip per row). Internal to the storage code.
class MemoryTable
{
public:
    virtual ~MemoryTable() = default;

    // "CREATE TABLE x(col1, col2, ...)" as sqlite3_declare_vtab wants it.
    virtual const char *schema() const = 0;
    virtual qint64 rowCount() const = 0;
    // Sets the result of one cell with sqlite3_result_*.
    virtual void column(sqlite3_context *context, qint64 row, int column) = 0;
    // Test hook: true makes the scan fail at this row (the statement fails, the caller rolls back).
    virtual bool failAt(qint64 row) const
    {
        Q_UNUSED(row);
        return false;
    }

    // Makes `table` readable as `name` on this connection until unregistered; the caller keeps
    // `table` alive. Returns an SQLite result code.
    static int registerAs(sqlite3 *db, const char *name, MemoryTable *table);
    static void unregister(sqlite3 *db, const char *name);
};
