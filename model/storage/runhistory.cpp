#include "storage/runhistory.h"

#include "storage/orgdatabase.h"
#include "storage/pg/pgconnection.h"
#include "storage/pg/pgrunhistory.h"
#include "storage/statement.h"

#include <QCoreApplication>

namespace {

QString isoUtc(const QDateTime &time)
{
    return time.isValid() ? time.toUTC().toString(Qt::ISODate) : QString();
}

} // namespace

void RunRecord::endWithError(const Error &error)
{
    status = dbErrorKind(error) == DbErrorKind::Cancelled ? QStringLiteral("cancelled")
                                                          : QStringLiteral("failed");
    this->error = error.message;
    added = removed = unchanged = 0;
    finishedAt = QDateTime::currentDateTimeUtc();
}

namespace RunHistory {

Result<qint64> record(OrgDatabase &db, const RunRecord &run)
{
    const QString action = QCoreApplication::translate("RunHistory", "record the run in");
    const QString sql = u"INSERT INTO \"" + db.runsTable()
        + u"\" (batch_id, started_at, finished_at, today, status, "
          u"contacts, scheduled, skipped, problems, added, removed, unchanged, user, error, warnings, "
          u"email_counts) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)";
    auto stmt = Statement::prepare(db, sql, action);
    if (!stmt)
        return stmt.error();
    stmt->bind(1, run.batchId)
        .bind(2, isoUtc(run.startedAt))
        .bind(3, isoUtc(run.finishedAt))
        .bind(4, run.today.isValid() ? run.today.toString(Qt::ISODate) : QString())
        .bind(5, run.status);
    const qint64 counts[]
        = { run.contacts, run.scheduled, run.skipped, run.problems, run.added, run.removed, run.unchanged };
    for (int i = 0; i < 7; ++i)
        stmt->bind(6 + i, counts[i]);
    stmt->bind(13, run.user)
        .bind(14, run.error.isEmpty() ? QString() : run.error)
        .bind(15, run.warnings.isEmpty() ? QString() : run.warnings)
        .bind(16, run.emailCounts.isEmpty() ? QString() : run.emailCounts);
    if (auto done = stmt->exec(); !done)
        return done.error();
    return db.lastInsertRowId();
}

Result<QList<RunRecord>> list(const QString &databasePath, int limit)
{
    if (PgSpec::isConnectionSpec(databasePath))
        return PgRunHistory::list(databasePath, limit);
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
    for (const char *column :
         { "batch_id", "started_at", "finished_at", "today", "status", "contacts", "scheduled", "skipped",
           "problems", "added", "removed", "unchanged", "user", "error", "warnings", "email_counts" })
        sql += existing.contains(QLatin1StringView(column), Qt::CaseInsensitive)
            ? QByteArray(", \"") + column + '"'
            : QByteArray(", NULL");
    sql += " FROM \"" + table.toUtf8() + "\" ORDER BY rowid DESC LIMIT ?1";
    auto stmt = Statement::prepare(*db, QString::fromUtf8(sql),
                                   QCoreApplication::translate("RunHistory", "read the runs of"));
    if (!stmt)
        return stmt.error();
    stmt->bind(1, limit);
    Result<bool> row = stmt->step();
    for (; row.ok() && *row; row = stmt->step()) {
        RunRecord run;
        run.id = stmt->int64(0);
        run.batchId = stmt->text(1);
        run.startedAt = QDateTime::fromString(stmt->text(2), Qt::ISODate);
        run.finishedAt = QDateTime::fromString(stmt->text(3), Qt::ISODate);
        run.today = QDate::fromString(stmt->text(4), Qt::ISODate);
        run.status = stmt->text(5);
        run.contacts = stmt->int64(6);
        run.scheduled = stmt->int64(7);
        run.skipped = stmt->int64(8);
        run.problems = stmt->int64(9);
        run.added = stmt->int64(10);
        run.removed = stmt->int64(11);
        run.unchanged = stmt->int64(12);
        run.user = stmt->text(13);
        run.error = stmt->text(14);
        run.warnings = stmt->text(15);
        run.emailCounts = stmt->text(16);
        runs.append(run);
    }
    if (!row)
        return row.error();
    return runs;
}

} // namespace RunHistory
