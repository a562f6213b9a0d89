#include "storage/auditlog.h"

#include "storage/orgdatabase.h"
#include "storage/sqlsession.h"

#include <QCoreApplication>
#include <QJsonDocument>

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("AuditLog", text);
}

QString compactJson(const QJsonObject &object)
{
    if (object.isEmpty())
        return QString();
    return QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Compact));
}

} // namespace

namespace AuditLog {

Result<qint64> record(SqlSession &db, const AuditActor &actor, const AuditEntry &entry)
{
    if (auto table = ManagementTables::ensure(db, ManagementTables::Table::Audit); !table)
        return table.error();
    auto stmt = db.prepare(
        QStringLiteral(
            "INSERT INTO audit_log (at, \"user\", server_user, action, entity, entity_id, summary, "
            "before_json, after_json) VALUES (COALESCE(?1, datetime('now')), ?2, ?3, ?4, ?5, ?6, "
            "?7, ?8, ?9) RETURNING id"),
        tr("record the change in the audit log of"));
    if (!stmt)
        return stmt.error();
    const QString serverUser = actor.serverUser.isEmpty() ? db.serverUser() : actor.serverUser;
    stmt->bind(1, entry.at.isEmpty() ? QString() : entry.at)
        .bind(2, actor.user.isEmpty() ? QString() : actor.user)
        .bind(3, serverUser.isEmpty() ? QString() : serverUser)
        .bindText(4, entry.action)
        .bindText(5, entry.entity)
        .bind(6, entry.entityId)
        .bind(7, entry.summary.isEmpty() ? QString() : entry.summary)
        .bind(8, entry.beforeJson.isEmpty() ? QString() : entry.beforeJson)
        .bind(9, entry.afterJson.isEmpty() ? QString() : entry.afterJson);
    auto row = stmt->step();
    if (!row)
        return row.error();
    const qint64 id = *row ? stmt->int64(0) : 0;
    if (auto done = stmt->exec(); !done)
        return done.error();
    return id;
}

Result<qint64> record(OrgDatabase &db, const AuditActor &actor, const AuditEntry &entry)
{
    return record(*SqlSession::over(db), actor, entry);
}

Result<qint64> record(SqlSession &db, const AuditActor &actor, const QString &action, const QString &entity,
                      qint64 entityId, const QString &summary, const QJsonObject &before,
                      const QJsonObject &after)
{
    AuditEntry entry;
    entry.action = action;
    entry.entity = entity;
    entry.entityId = entityId;
    entry.summary = summary;
    entry.beforeJson = compactJson(before);
    entry.afterJson = compactJson(after);
    return record(db, actor, entry);
}

Result<qint64> record(OrgDatabase &db, const AuditActor &actor, const QString &action, const QString &entity,
                      qint64 entityId, const QString &summary, const QJsonObject &before,
                      const QJsonObject &after)
{
    return record(*SqlSession::over(db), actor, action, entity, entityId, summary, before, after);
}

Result<std::vector<AuditEntry>> list(const SqlSession &db, const Filter &filter)
{
    std::vector<AuditEntry> entries;
    if (!db.hasTable(QLatin1StringView(TableName)))
        return entries;
    // `at` as text: a server's timestamp reads 'YYYY-MM-DD HH:MM:SS', as SQLite's datetime('now').
    QString sql = QStringLiteral("SELECT id, at, \"user\", server_user, action, entity, entity_id, summary, "
                                 "before_json, after_json FROM audit_log WHERE 1 = 1");
    if (!filter.entity.isEmpty())
        sql += u" AND entity = ?";
    if (filter.entityId != 0)
        sql += u" AND entity_id = ?";
    sql += u" ORDER BY id DESC";
    if (filter.limit > 0)
        sql += u" LIMIT " + QString::number(filter.limit);
    auto stmt = db.prepare(sql, tr("read the audit log of"));
    if (!stmt)
        return stmt.error();
    int parameter = 0;
    if (!filter.entity.isEmpty())
        stmt->bind(++parameter, filter.entity);
    if (filter.entityId != 0)
        stmt->bind(++parameter, filter.entityId);
    Result<bool> row = stmt->step();
    for (; row.ok() && *row; row = stmt->step()) {
        AuditEntry e;
        e.id = stmt->int64(0);
        e.at = stmt->text(1);
        e.user = stmt->text(2);
        e.serverUser = stmt->text(3);
        e.action = stmt->text(4);
        e.entity = stmt->text(5);
        e.entityId = stmt->int64(6);
        e.summary = stmt->text(7);
        e.beforeJson = stmt->text(8);
        e.afterJson = stmt->text(9);
        entries.push_back(std::move(e));
    }
    if (!row)
        return row.error();
    return entries;
}

Result<std::vector<AuditEntry>> list(const OrgDatabase &db, const Filter &filter)
{
    return list(*SqlSession::over(const_cast<OrgDatabase &>(db)), filter);
}

QStringList csvHeader()
{
    return { QStringLiteral("id"),          QStringLiteral("at"),      QStringLiteral("user"),
             QStringLiteral("server_user"), QStringLiteral("action"),  QStringLiteral("entity"),
             QStringLiteral("entity_id"),   QStringLiteral("summary"), QStringLiteral("before_json"),
             QStringLiteral("after_json") };
}

QStringList csvRow(const AuditEntry &e)
{
    return { QString::number(e.id),
             e.at,
             e.user,
             e.serverUser,
             e.action,
             e.entity,
             e.entityId ? QString::number(e.entityId) : QString(),
             e.summary,
             e.beforeJson,
             e.afterJson };
}

} // namespace AuditLog
