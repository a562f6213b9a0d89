#pragma once

#include "result.h"

#include <QString>
#include <QStringView>

class OrgDatabase;

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
Result<void> requireWritable(const OrgDatabase &db);

// An email as the unique index on lower(trim(email)) keys it: trimmed, ASCII letters lower-cased,
// so in-memory checks and SQLite agree.
QString emailKey(QStringView email);

// `campaign_types`, `campaign_instances` and `contact_campaigns` with the columns of SPEC 12
// (the production migration's), plus their indexes; missing columns of an existing table are
// added (ALTER TABLE ADD COLUMN), foreign columns are never dropped. Call inside a transaction.
Result<void> ensureCampaignTables(OrgDatabase &db);

// `email_suppressions` of SPEC 14 with its unique index on lower(trim(email)).
Result<void> ensureSuppressionTable(OrgDatabase &db);

// `audit_log(id, at, user, server_user, action, entity, entity_id, summary, before_json,
// after_json)`.
Result<void> ensureAuditTable(OrgDatabase &db);

} // namespace ManagementTables

// Who makes a change: the OS user; the server user once a server records changes for a
// signed-in person (empty until then).
struct AuditActor
{
    QString user;
    QString serverUser;

    // The OS user running the program ($USER, $USERNAME, else "unknown").
    static AuditActor current();
};

// A row of a CSV file or a list that a store did not take, and why.
struct RowRejection
{
    qint64 line = 0; // line of the file (1-based, header included); 0 when not from a file
    QString field;   // the column at fault ("contact_id", "email", "trigger_date", ...); may be empty
    QString reason;  // readable, one line
};
