#pragma once

#include "result.h"

#include <QString>
#include <QStringView>

class OrgDatabase;
class SqlSession;

// The tables staff manage besides contacts (SPEC sections 12 and 14, issue 9 item 2) and what
// every writer of them shares: who made a change, and which error says "your input is wrong"
// rather than "the database failed". Tables are created only by a first write (an add), inside
// that write's transaction; a read-only open creates nothing and reads a missing table as empty.
namespace ManagementTables {

// The error kind of a rejected input (bad name, reserved name, unknown type, unreadable date,
// unknown reason, ...): the message names the field. Distinct from every DbErrorKind.
enum class ErrorKind {
    InvalidInput,
};
Error invalidInput(const QString &message);
bool isInvalidInput(const Error &error);

// Fails with DbErrorKind::ReadOnly unless `db` was opened read-write; every writer checks it first.
Result<void> requireWritable(const SqlSession &db);

// An email as the unique index on lower(trim(email)) keys it: trimmed, ASCII letters lower-cased,
// so in-memory checks and SQLite agree.
QString emailKey(QStringView email);

enum class Table : quint8 {
    // `campaign_types`, `campaign_instances` and `contact_campaigns` with the columns of SPEC 12
    // (the production migration's), plus their indexes.
    Campaigns,
    // `email_suppressions` of SPEC 14 with its unique index on lower(trim(email)).
    Suppressions,
    // `audit_log(id, at, user, server_user, action, entity, entity_id, summary, before_json,
    // after_json)`.
    Audit,
};

// Creates the table(s) in the session's backend types (SQLite: the production migration's
// declarations; PostgreSQL: bigint ids, boolean flags, date dates, timestamp(0) times); missing
// columns of an existing table are added (ALTER TABLE ADD COLUMN), foreign columns are never
// dropped. Call inside a transaction.
Result<void> ensure(SqlSession &db, Table table);

// The same on an open SQLite connection (the demo generator).
Result<void> ensureCampaignTables(OrgDatabase &db);
Result<void> ensureSuppressionTable(OrgDatabase &db);
Result<void> ensureAuditTable(OrgDatabase &db);

} // namespace ManagementTables

// Who makes a change: the OS user, and on a server the server user (current_user; the stores
// fill it in from their session when empty).
struct AuditActor
{
    QString user;
    QString serverUser;

    // The OS user running the program ($USER, $USERNAME, else "unknown").
    static AuditActor current();
    // Who to name for a change: the server user on a server, else the OS user.
    QString who() const;
};

// A row of a CSV file or a list that a store did not take, and why.
struct RowRejection
{
    qint64 line = 0; // line of the file (1-based, header included); 0 when not from a file
    QString field;   // the column at fault ("contact_id", "email", "trigger_date", ...); may be empty
    QString reason;  // readable, one line
};
