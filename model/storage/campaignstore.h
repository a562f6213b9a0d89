#pragma once

#include "campaign.h"
#include "result.h"
#include "storage/managementtables.h"

#include <QDate>
#include <QString>
#include <QStringList>

#include <memory>
#include <optional>
#include <span>
#include <vector>

class OrgDatabase;
class SqlSession;

// A campaign instance as the Campaigns window and `campaign list` show it on a date.
struct CampaignInstanceState
{
    CampaignInstanceRow row;
    bool live = false; // SPEC 12 "live instances", decided by the engine's rules
    QString
        liveDetail; // why not live, readable ("ended 2025-01-31", "type x is inactive", ...); empty when live
    qint64 audience = 0; // contacts it would email on the date (SPEC 12 audience); 0 when not live
    qint64 enrolled = 0; // enrolment rows that count (not cancelled, one per contact)
};

// Types and instances with their state on one date.
struct CampaignOverview
{
    QDate asOf;
    std::vector<CampaignTypeRow> types;
    std::vector<CampaignInstanceState> instances;
};

// One enrolment to add: a contact by id or, when contactId is 0, by email; the trigger date in
// any format of SPEC section 1 (stored as YYYY-MM-DD) or empty.
struct EnrolmentInput
{
    qint64 line = 0; // line of the CSV file, for the rejection report
    qint64 contactId = 0;
    QString email;
    QString triggerDate;
};

// What enrol() did: the good rows are enrolled together, the rejected ones listed.
struct EnrolmentReport
{
    qint64 rows = 0;
    qint64 enrolled = 0;
    std::vector<RowRejection> rejected; // unknown contact, unreadable date, ...
};

// Reads and changes campaign types, instances and enrolments (SPEC section 12) in an
// organisation database. Reads work on any connection (a missing table is empty); each write is
// one transaction on a ReadWrite connection that creates the campaign tables when missing and
// records the change in the audit log. Input errors (ManagementTables::ErrorKind::InvalidInput) name the
// field; nothing is written then.
class CampaignStore final
{
public:
    // On `db`, an SQLite file or a server (SqlSession::open).
    explicit CampaignStore(SqlSession &db, AuditActor actor = AuditActor::current());
    // On an open SQLite connection.
    explicit CampaignStore(OrgDatabase &db, AuditActor actor = AuditActor::current());
    CampaignStore(const CampaignStore &) = delete;
    CampaignStore &operator=(const CampaignStore &) = delete;
    ~CampaignStore();

    // --- reading -------------------------------------------------------------------------
    // Every type and instance as stored (by id); what a run reads.
    Result<CampaignCatalog> catalog() const;
    // The catalog with each instance's live state and audience on `asOf`.
    Result<CampaignOverview> overview(QDate asOf) const;
    Result<std::optional<CampaignTypeRow>> type(const QString &name) const;
    Result<std::optional<CampaignInstanceRow>> instance(qint64 id) const;
    // The enrolment rows of an instance (every status), by id.
    Result<std::vector<EnrolmentRow>> enrolments(qint64 instanceId) const;

    // --- writing -------------------------------------------------------------------------
    // Adds a type (id ignored); the name is validated (typeNameProblem) and must be new.
    Result<qint64> addType(const CampaignTypeRow &type);
    // Changes the type with `type.id`; renaming is refused while instances use the old name.
    Result<void> editType(const CampaignTypeRow &type);
    // Adds an instance (id ignored) of an existing type; dates must be readable when given
    // (stored as YYYY-MM-DD), start <= end, spread start <= spread end; state codes are checked.
    Result<qint64> addInstance(const CampaignInstanceRow &instance);
    // Changes the instance with `instance.id` (same checks); its templates are kept.
    Result<void> editInstance(const CampaignInstanceRow &instance);
    // Enrols the rows in instance `instanceId`: rows naming no known contact, with an unreadable
    // trigger date or repeating a contact of the file are rejected with their line; the others
    // are enrolled in one transaction (status `pending`). A contact already enrolled (not
    // cancelled) gets its trigger date updated. One audit entry lists what changed.
    Result<EnrolmentReport> enrol(qint64 instanceId, std::span<const EnrolmentInput> rows);
    // Sets active_end_date to `on` (staff say "end yesterday" by default: the caller decides).
    Result<void> endInstance(qint64 instanceId, QDate on);

    // --- validation (no database) --------------------------------------------------------
    // Why `name` cannot name a campaign type (SPEC 12: [a-z0-9_]+, not birthday, effective_date
    // or aep, not starting with post_window or followup); nothing when it can.
    static std::optional<QString> typeNameProblem(QStringView name);
    // Why a list of state codes is not one (codes separated by commas and/or spaces, or ALL).
    static std::optional<QString> statesProblem(QStringView states);

private:
    std::unique_ptr<SqlSession> m_own; // the session over an OrgDatabase
    SqlSession &m_db;
    AuditActor m_actor;
};
