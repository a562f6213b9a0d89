#include "storage/pg/pgrunhistory.h"

#include "storage/pg/pgconnection.h"
#include "storage/pg/pgschema.h"

#include <QCoreApplication>

namespace {

QByteArray isoUtc(const QDateTime &time)
{
    return time.isValid() ? time.toUTC().toString(Qt::ISODate).toUtf8() : QByteArray();
}

// A stored time as text: "2024-05-01 12:00:00+00" (timestamptz) or the ISO text of an older table.
QDateTime storedTime(const QString &text)
{
    if (text.isEmpty())
        return {};
    QString iso = text;
    if (iso.size() > 10 && iso.at(10) == u' ')
        iso[10] = u'T';
    if (iso.endsWith(QLatin1StringView("+00")))
        iso += QLatin1StringView(":00");
    QDateTime time = QDateTime::fromString(iso, Qt::ISODate);
    if (time.isValid() && time.timeSpec() == Qt::LocalTime)
        time.setTimeSpec(Qt::UTC);
    return time.toUTC();
}

} // namespace

namespace PgRunHistory {

Result<qint64> record(PgConnection &db, const RunRecord &run)
{
    const QString action = QCoreApplication::translate("RunHistory", "record the run in");
    const QByteArray sql = "INSERT INTO \"" + PgSchema::runsTable(db).toUtf8()
        + "\" (batch_id, started_at, finished_at, today, status, contacts, scheduled, skipped, problems, "
          "added, "
          "removed, unchanged, \"user\", error, warnings, email_counts, server_user) VALUES ($1, $2, $3, $4, "
          "$5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, session_user) RETURNING id";
    const qint64 counts[]
        = { run.contacts, run.scheduled, run.skipped, run.problems, run.added, run.removed, run.unchanged };
    QList<QByteArray> params { run.batchId.toUtf8(), isoUtc(run.startedAt), isoUtc(run.finishedAt),
                               run.today.isValid() ? run.today.toString(Qt::ISODate).toUtf8() : QByteArray(),
                               run.status.toUtf8() };
    for (const qint64 count : counts)
        params.append(QByteArray::number(count));
    params.append(run.user.isNull() ? QByteArray() : run.user.toUtf8());
    params.append(run.error.isEmpty() ? QByteArray() : run.error.toUtf8());
    params.append(run.warnings.isEmpty() ? QByteArray() : run.warnings.toUtf8());
    params.append(run.emailCounts.isEmpty() ? QByteArray() : run.emailCounts.toUtf8());
    auto result = db.query(sql, action, params);
    if (!result)
        return result.error();
    return result->int64(0, 0);
}

Result<QList<RunRecord>> list(const QString &spec, int limit)
{
    auto db = PgConnection::connect(spec);
    if (!db)
        return db.error();
    return list(*db, limit);
}

Result<QList<RunRecord>> list(const PgConnection &db, int limit)
{
    QList<RunRecord> runs;
    const QString table = PgSchema::runsTable(db);
    if (!db.hasTable(table))
        return runs;
    const QStringList existing = db.columns(table);
    QByteArray sql = "SELECT id::bigint";
    for (const char *column : { "batch_id", "started_at", "finished_at", "today", "status", "contacts",
                                "scheduled", "skipped", "problems", "added", "removed", "unchanged", "user",
                                "error", "server_user", "warnings", "email_counts" })
        sql += existing.contains(QLatin1StringView(column), Qt::CaseInsensitive)
            ? QByteArray(", \"") + column + "\"::text"
            : QByteArray(", NULL");
    sql += " FROM \"" + table.toUtf8() + "\" ORDER BY id DESC LIMIT " + QByteArray::number(limit);
    auto rows = db.query(sql, QCoreApplication::translate("RunHistory", "read the runs of"));
    if (!rows)
        return rows.error();
    for (int r = 0; r < rows->rows(); ++r) {
        RunRecord run;
        run.id = rows->int64(r, 0);
        run.batchId = rows->text(r, 1);
        run.startedAt = storedTime(rows->text(r, 2));
        run.finishedAt = storedTime(rows->text(r, 3));
        run.today = QDate::fromString(rows->text(r, 4).left(10), Qt::ISODate);
        run.status = rows->text(r, 5);
        run.contacts = rows->int64(r, 6);
        run.scheduled = rows->int64(r, 7);
        run.skipped = rows->int64(r, 8);
        run.problems = rows->int64(r, 9);
        run.added = rows->int64(r, 10);
        run.removed = rows->int64(r, 11);
        run.unchanged = rows->int64(r, 12);
        run.user = rows->text(r, 13);
        run.error = rows->text(r, 14);
        run.serverUser = rows->text(r, 15);
        run.warnings = rows->text(r, 16);
        run.emailCounts = rows->text(r, 17);
        runs.append(run);
    }
    return runs;
}

} // namespace PgRunHistory
