#include "storage/runhistory.h"

#include "storage/orgdatabase.h"

#include <QCoreApplication>

#include <sqlite3.h>

namespace {

QByteArray isoUtc(const QDateTime &time)
{
    return time.isValid() ? time.toUTC().toString(Qt::ISODate).toUtf8() : QByteArray();
}

void bindText(sqlite3_stmt *stmt, int index, const QByteArray &text)
{
    if (text.isNull())
        sqlite3_bind_null(stmt, index);
    else
        sqlite3_bind_text(stmt, index, text.constData(), int(text.size()), SQLITE_TRANSIENT);
}

QString columnText(sqlite3_stmt *stmt, int column)
{
    const auto *data = reinterpret_cast<const char *>(sqlite3_column_text(stmt, column));
    return data ? QString::fromUtf8(data, sqlite3_column_bytes(stmt, column)) : QString();
}

} // namespace

namespace RunHistory {

Result<qint64> record(OrgDatabase &db, const RunRecord &run)
{
    const QString action = QCoreApplication::translate("RunHistory", "record the run in");
    sqlite3_stmt *stmt = nullptr;
    const QByteArray sql = "INSERT INTO \"" + db.runsTable().toUtf8()
        + "\" (batch_id, started_at, finished_at, today, status, "
          "contacts, scheduled, skipped, problems, added, removed, unchanged, user, error) "
          "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)";
    int rc = sqlite3_prepare_v2(db.handle(), sql.constData(), -1, &stmt, nullptr);
    if (rc != SQLITE_OK)
        return db.errorFor(rc, action);
    bindText(stmt, 1, run.batchId.toUtf8());
    bindText(stmt, 2, isoUtc(run.startedAt));
    bindText(stmt, 3, isoUtc(run.finishedAt));
    bindText(stmt, 4, run.today.isValid() ? run.today.toString(Qt::ISODate).toUtf8() : QByteArray());
    bindText(stmt, 5, run.status.toUtf8());
    const qint64 counts[] = {run.contacts, run.scheduled, run.skipped, run.problems,
                             run.added,    run.removed,   run.unchanged};
    for (int i = 0; i < 7; ++i)
        sqlite3_bind_int64(stmt, 6 + i, counts[i]);
    bindText(stmt, 13, run.user.toUtf8());
    bindText(stmt, 14, run.error.isEmpty() ? QByteArray() : run.error.toUtf8());
    rc = sqlite3_step(stmt);
    sqlite3_finalize(stmt);
    if (rc != SQLITE_DONE)
        return db.errorFor(rc, action);
    return qint64(sqlite3_last_insert_rowid(db.handle()));
}

Result<QList<RunRecord>> list(const QString &databasePath, int limit)
{
    auto db = OrgDatabase::open(databasePath, OrgDatabase::Mode::ReadOnly);
    if (!db)
        return db.error();
    QList<RunRecord> runs;
    const QString table = db->runsTable();
    if (!db->hasTable(table))
        return runs;
    // A shared table may still lack columns a run adds (read-only: they read as NULL).
    const QStringList existing = db->columns(table);
    QByteArray sql = "SELECT rowid";
    for (const char *column : { "batch_id", "started_at", "finished_at", "today", "status", "contacts", "scheduled",
                                "skipped", "problems", "added", "removed", "unchanged", "user", "error" })
        sql += existing.contains(QLatin1StringView(column), Qt::CaseInsensitive) ? QByteArray(", \"") + column + '"'
                                                                                : QByteArray(", NULL");
    sql += " FROM \"" + table.toUtf8() + "\" ORDER BY rowid DESC LIMIT ?1";
    sqlite3_stmt *stmt = nullptr;
    int rc = sqlite3_prepare_v2(db->handle(), sql.constData(), -1, &stmt, nullptr);
    if (rc != SQLITE_OK)
        return db->errorFor(rc, QCoreApplication::translate("RunHistory", "read the runs of"));
    sqlite3_bind_int(stmt, 1, limit);
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
        RunRecord run;
        run.id = sqlite3_column_int64(stmt, 0);
        run.batchId = columnText(stmt, 1);
        run.startedAt = QDateTime::fromString(columnText(stmt, 2), Qt::ISODate);
        run.finishedAt = QDateTime::fromString(columnText(stmt, 3), Qt::ISODate);
        run.today = QDate::fromString(columnText(stmt, 4), Qt::ISODate);
        run.status = columnText(stmt, 5);
        run.contacts = sqlite3_column_int64(stmt, 6);
        run.scheduled = sqlite3_column_int64(stmt, 7);
        run.skipped = sqlite3_column_int64(stmt, 8);
        run.problems = sqlite3_column_int64(stmt, 9);
        run.added = sqlite3_column_int64(stmt, 10);
        run.removed = sqlite3_column_int64(stmt, 11);
        run.unchanged = sqlite3_column_int64(stmt, 12);
        run.user = columnText(stmt, 13);
        run.error = columnText(stmt, 14);
        runs.append(run);
    }
    sqlite3_finalize(stmt);
    if (rc != SQLITE_DONE)
        return db->errorFor(rc, QCoreApplication::translate("RunHistory", "read the runs of"));
    return runs;
}

} // namespace RunHistory
