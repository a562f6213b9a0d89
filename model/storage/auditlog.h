#pragma once

#include "result.h"
#include "storage/managementtables.h"

#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <vector>

class OrgDatabase;
class SqlSession;

// One row of `audit_log`: a change staff made to campaign types, instances, enrolments or the
// do-not-email list.
struct AuditEntry
{
    qint64 id = 0;
    QString at;         // UTC, "YYYY-MM-DD HH:MM:SS" (as SQLite's datetime('now'))
    QString user;       // the OS user
    QString serverUser; // the server user (current_user) on a server; empty for a file
    QString action;     // add, edit, end, enrol, remove (see AuditLog::Action)
    QString entity;     // campaign_type, campaign_instance, enrolment, suppression
    qint64 entityId = 0;
    QString summary;    // one readable line, e.g. "Added campaign type rate_increase"
    QString beforeJson; // the row before the change (JSON object); empty for an addition
    QString afterJson;  // the row after the change (JSON object); empty for a removal
};

// The audit trail of management changes (issue 9 item 2): when, who, what, before and after.
// Every writer (CampaignStore, SuppressionStore) records inside its own transaction, so a change
// and its record are written together or not at all.
namespace AuditLog {

inline constexpr char TableName[] = "audit_log";

// Entities and actions as stored.
namespace Entity {
inline constexpr char CampaignType[] = "campaign_type";
inline constexpr char CampaignInstance[] = "campaign_instance";
inline constexpr char Enrolment[] = "enrolment";
inline constexpr char Suppression[] = "suppression";
} // namespace Entity
namespace Action {
inline constexpr char Add[] = "add";
inline constexpr char Edit[] = "edit";
inline constexpr char End[] = "end";
inline constexpr char Enrol[] = "enrol";
inline constexpr char Remove[] = "remove";
} // namespace Action

// Appends one entry (inside the caller's transaction); `at` is set by SQLite when empty and the
// actor's names fill `user`/`serverUser`. Creates the table when missing. Returns the row id.
// On a server, an actor without a server user gets the session's (current_user).
Result<qint64> record(SqlSession &db, const AuditActor &actor, const AuditEntry &entry);
Result<qint64> record(OrgDatabase &db, const AuditActor &actor, const AuditEntry &entry);
// The same, with the before/after rows as JSON objects (an empty object stores NULL).
Result<qint64> record(SqlSession &db, const AuditActor &actor, const QString &action, const QString &entity,
                      qint64 entityId, const QString &summary, const QJsonObject &before,
                      const QJsonObject &after);
Result<qint64> record(OrgDatabase &db, const AuditActor &actor, const QString &action, const QString &entity,
                      qint64 entityId, const QString &summary, const QJsonObject &before,
                      const QJsonObject &after);

// Which entries to list: all by default.
struct Filter
{
    QString entity;      // empty: every entity
    qint64 entityId = 0; // 0: every id
    int limit = 0;       // 0: no limit
};

// Newest first (by id); empty when the table does not exist. Works on a read-only connection.
Result<std::vector<AuditEntry>> list(const SqlSession &db, const Filter &filter = {});
Result<std::vector<AuditEntry>> list(const OrgDatabase &db, const Filter &filter = {});

// The CSV columns of an export: id, at, user, server_user, action, entity, entity_id, summary,
// before_json, after_json.
QStringList csvHeader();
QStringList csvRow(const AuditEntry &entry);

} // namespace AuditLog
