#pragma once

#include "campaign.h"
#include "result.h"
#include "storage/managementtables.h"

#include <QString>
#include <QStringList>

#include <memory>
#include <optional>
#include <span>
#include <vector>

class OrgDatabase;
class SqlSession;

// One address to put on the list (an import row, or a contact's email).
struct SuppressionInput
{
    qint64 line = 0; // line of the CSV file (or 0)
    QString email;
    QString reason; // empty: the default reason of the call
    QString note;
};

// What a bulk add did.
struct SuppressionReport
{
    qint64 rows = 0;
    qint64 added = 0;
    qint64 alreadyListed = 0;           // addresses on the list before (left as they were)
    std::vector<RowRejection> rejected; // no email, not an address, unknown contact
};

// The do-not-email list, `email_suppressions` (SPEC section 14). Reads work on any connection
// (a missing table is an empty list); each write is one transaction on a ReadWrite connection,
// creates the table when missing and records the change in the audit log. Addresses compare
// trimmed and case-insensitively (the table's unique index on lower(trim(email))).
class SuppressionStore final
{
public:
    // On `db`, an SQLite file or a server (SqlSession::open); entries made on a server name the
    // server user (created_by).
    explicit SuppressionStore(SqlSession &db, AuditActor actor = AuditActor::current());
    // On an open SQLite connection.
    explicit SuppressionStore(OrgDatabase &db, AuditActor actor = AuditActor::current());
    SuppressionStore(const SuppressionStore &) = delete;
    SuppressionStore &operator=(const SuppressionStore &) = delete;
    ~SuppressionStore();

    // unsubscribed, bounced, complained, deceased, agent_request, other.
    static const QStringList &reasons();
    static bool isReason(QStringView reason);
    // A reason from an email service's export ("Unsubscribed", "hard bounce", "spam complaint",
    // "abuse", ...) or one of ours; nothing when it says none of these.
    static std::optional<QString> reasonFromText(QStringView text);

    // Every entry, newest first.
    Result<std::vector<SuppressionEntry>> list() const;
    // The entry for an address (trimmed, case-insensitive), if any.
    Result<std::optional<SuppressionEntry>> find(const QString &email) const;

    // Adds one address; InvalidInput when it is not an address or the reason is unknown. An
    // address already listed is left as it is: the result then holds its existing entry with
    // `added` false.
    struct AddOutcome
    {
        SuppressionEntry entry;
        bool added = false;
    };
    Result<AddOutcome> add(const QString &email, const QString &reason, const QString &note = {});
    // Removes the entry of an address; InvalidInput when it is not listed.
    Result<SuppressionEntry> remove(const QString &email);
    // Adds many (an import): rows without a usable address are rejected with their line, the
    // rest added in one transaction; a row's reason goes through reasonFromText(), and
    // `defaultReason` is used where it names none (the row's text is then kept in the note).
    // One audit entry per added address.
    Result<SuppressionReport> addMany(std::span<const SuppressionInput> rows, const QString &defaultReason);
    // Adds the email of each contact ("Do not email…" on selected contacts); contacts without a
    // usable email are rejected (line 0, field "email", naming the contact id).
    Result<SuppressionReport> addContacts(std::span<const qint64> contactIds, const QString &reason,
                                          const QString &note = {});

private:
    std::unique_ptr<SqlSession> m_own; // the session over an OrgDatabase
    SqlSession &m_db;
    AuditActor m_actor;
};
