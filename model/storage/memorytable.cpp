#include "storage/memorytable.h"

#include <sqlite3.h>

namespace {

struct Table
{
    sqlite3_vtab base; // must be first: SQLite hands out pointers to it
    MemoryTable *rows;
};

struct Cursor
{
    sqlite3_vtab_cursor base; // must be first
    qint64 row;
};

MemoryTable *rowsOf(sqlite3_vtab *vtab)
{
    return reinterpret_cast<Table *>(vtab)->rows;
}

int xConnect(sqlite3 *db, void *aux, int, const char *const *, sqlite3_vtab **out, char **)
{
    auto *rows = static_cast<MemoryTable *>(aux);
    const int rc = sqlite3_declare_vtab(db, rows->schema());
    if (rc != SQLITE_OK)
        return rc;
    auto *table = static_cast<Table *>(sqlite3_malloc(sizeof(Table)));
    if (!table)
        return SQLITE_NOMEM;
    *table = Table {};
    table->rows = rows;
    *out = &table->base;
    return SQLITE_OK;
}

int xDisconnect(sqlite3_vtab *vtab)
{
    sqlite3_free(vtab);
    return SQLITE_OK;
}

int xBestIndex(sqlite3_vtab *vtab, sqlite3_index_info *info)
{
    // Only full scans in row order.
    const auto count = double(rowsOf(vtab)->rowCount());
    info->estimatedCost = count + 1;
    info->estimatedRows = rowsOf(vtab)->rowCount() + 1;
    return SQLITE_OK;
}

int xOpen(sqlite3_vtab *, sqlite3_vtab_cursor **out)
{
    auto *cursor = static_cast<Cursor *>(sqlite3_malloc(sizeof(Cursor)));
    if (!cursor)
        return SQLITE_NOMEM;
    *cursor = Cursor {};
    *out = &cursor->base;
    return SQLITE_OK;
}

int xClose(sqlite3_vtab_cursor *cursor)
{
    sqlite3_free(cursor);
    return SQLITE_OK;
}

int checkRow(sqlite3_vtab_cursor *base)
{
    auto *cursor = reinterpret_cast<Cursor *>(base);
    MemoryTable *rows = rowsOf(base->pVtab);
    if (cursor->row < rows->rowCount() && rows->failAt(cursor->row)) {
        sqlite3_free(base->pVtab->zErrMsg);
        base->pVtab->zErrMsg = sqlite3_mprintf("injected failure at row %lld", cursor->row);
        return SQLITE_ERROR;
    }
    return SQLITE_OK;
}

int xFilter(sqlite3_vtab_cursor *base, int, const char *, int, sqlite3_value **)
{
    reinterpret_cast<Cursor *>(base)->row = 0;
    return checkRow(base);
}

int xNext(sqlite3_vtab_cursor *base)
{
    ++reinterpret_cast<Cursor *>(base)->row;
    return checkRow(base);
}

int xEof(sqlite3_vtab_cursor *base)
{
    return reinterpret_cast<Cursor *>(base)->row >= rowsOf(base->pVtab)->rowCount();
}

int xColumn(sqlite3_vtab_cursor *base, sqlite3_context *context, int column)
{
    rowsOf(base->pVtab)->column(context, reinterpret_cast<Cursor *>(base)->row, column);
    return SQLITE_OK;
}

int xRowid(sqlite3_vtab_cursor *base, sqlite3_int64 *rowid)
{
    *rowid = reinterpret_cast<Cursor *>(base)->row;
    return SQLITE_OK;
}

sqlite3_module makeModule()
{
    sqlite3_module module {};
    module.iVersion = 0;
    module.xCreate = nullptr; // eponymous-only: never CREATE VIRTUAL TABLE
    module.xConnect = xConnect;
    module.xBestIndex = xBestIndex;
    module.xDisconnect = xDisconnect;
    module.xDestroy = xDisconnect;
    module.xOpen = xOpen;
    module.xClose = xClose;
    module.xFilter = xFilter;
    module.xNext = xNext;
    module.xEof = xEof;
    module.xColumn = xColumn;
    module.xRowid = xRowid;
    return module;
}

const sqlite3_module kModule = makeModule();

} // namespace

int MemoryTable::registerAs(sqlite3 *db, const char *name, MemoryTable *table)
{
    return sqlite3_create_module_v2(db, name, &kModule, table, nullptr);
}

void MemoryTable::unregister(sqlite3 *db, const char *name)
{
    sqlite3_create_module_v2(db, name, nullptr, nullptr, nullptr);
}
