#include "storage/auditlog.h"

#include "storage/orgdatabase.h"
#include "storage/statement.h"

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

Result<qint64> record(OrgDatabase &db, const AuditActor &actor, const AuditEntry &entry)
{
    if (auto table = ManagementTables::ensureAuditTable(db); !table)
        return table.error();
    auto stmt = Statement::prepare(
        db,
        "INSERT INTO audit_log (at, user, server_user, action, entity, entity_id, summary, before_json, "
        "after_json) VALUES (COALESCE(?1, datetime('now')), ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        tr("record the change in the audit log of"));
    if (!stmt)
        return stmt.error();
    stmt->bind(1, entry.at.isEmpty() ? QString() : entry.at)
        .bind(2, actor.user.isEmpty() ? QString() : actor.user)
        .bind(3, actor.serverUser.isEmpty() ? QString() : actor.serverUser)
        .bindText(4, entry.action)
        .bindText(5, entry.entity)
        .bind(6, entry.entityId)
        .bind(7, entry.summary.isEmpty() ? QString() : entry.summary)
        .bind(8, entry.beforeJson.isEmpty() ? QString() : entry.beforeJson)
        .bind(9, entry.afterJson.isEmpty() ? QString() : entry.afterJson);
    if (auto done = stmt->exec(); !done)
        return done.error();
    return db.lastInsertRowId();
}

Result<qint64> record(OrgDatabase &db, const AuditActor &actor, const QString &action, const QString &entity,
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

Result<std::vector<AuditEntry>> list(const OrgDatabase &db, const Filter &filter)
{
    std::vector<AuditEntry> entries;
    if (!db.hasTable(QLatin1StringView(TableName)))
        return entries;
    auto stmt = Statement::prepare(
        db,
        "SELECT id, at, user, server_user, action, entity, entity_id, summary, before_json, after_json "
        "FROM audit_log WHERE (?1 IS NULL OR entity = ?1) AND (?2 = 0 OR entity_id = ?2) "
        "ORDER BY id DESC LIMIT ?3",
        tr("read the audit log of"));
    if (!stmt)
        return stmt.error();
    stmt->bind(1, filter.entity.isEmpty() ? QString() : filter.entity)
        .bind(2, filter.entityId)
        .bind(3, filter.limit > 0 ? qint64(filter.limit) : qint64(-1));
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
