#pragma once

#include "csv/contactimport.h"
#include "csv/csvreader.h"
#include "result.h"
#include "storage/campaignstore.h"
#include "storage/suppressionstore.h"

#include <QList>
#include <QString>
#include <QStringList>

class OrgDatabase;
class SqlSession;

// Reading the two lists staff bring as CSV files, the way contact import reads contacts: the
// dialect detected, columns found by header synonyms or chosen by the user, every rejected row
// reported with its line as a ContactImport::RowFailure (so the same report, table and
// "save rejected rows" writer serve all three), the good rows written in one transaction.

// `campaign enroll` and the Campaigns window's "Enrol from CSV": contact_id or email, and
// trigger_date.
namespace EnrolmentImport {

// Which CSV column (0-based) feeds each value; -1 when none.
struct Mapping
{
    int contactId = -1;
    int email = -1;
    int triggerDate = -1;

    // contact_id / Contact ID / id; email synonyms of contact import; trigger_date / Trigger Date
    // / Date / Renewal Date / Rate Increase Date / Effective Date ...
    static Mapping guess(const QStringList &header);
    friend bool operator==(const Mapping &, const Mapping &) = default;
};

struct Settings
{
    QString csvPath;
    CsvDialect dialect;
    Mapping mapping;
    qint64 instanceId = 0;
};

// The outcome; failures in file order (parse-level and store-level rejections merged).
struct Report
{
    qint64 rows = 0;
    qint64 enrolled = 0;
    QList<ContactImport::RowFailure> failures;
    // For ContactImport::writeFailures(): the same failures in an import report.
    ContactImport::ImportReport asImportReport() const;
};

// Reads the file (a missing contact_id and email mapping is an error naming the file) and
// enrols its rows through CampaignStore::enrol. Errors: CsvErrorKind in Error::code for the
// file, the store's errors otherwise (ManagementTables::ErrorKind::InvalidInput, DbErrorKind).
Result<Report> run(SqlSession &db, const Settings &settings, const AuditActor &actor = AuditActor::current());
Result<Report> run(OrgDatabase &db, const Settings &settings,
                   const AuditActor &actor = AuditActor::current());
// The rows as they would be enrolled, without a database (the dialog's preview).
Result<std::vector<EnrolmentInput>> read(const Settings &settings,
                                         QList<ContactImport::RowFailure> *failures);

} // namespace EnrolmentImport

// `suppress --input FILE` and the do-not-email window's import: the unsubscribe, bounce and
// complaint exports of email services (Mailchimp "Email Address", SendGrid "email", ...).
namespace SuppressionImport {

struct Mapping
{
    int email = -1;
    int reason = -1; // optional: each value through SuppressionStore::reasonFromText
    int note = -1;   // optional

    // email / Email Address / E-mail / Subscriber / Recipient ...; reason / Reason / Status /
    // Type / Unsub Reason ...; note / Notes / Comment.
    static Mapping guess(const QStringList &header);
    friend bool operator==(const Mapping &, const Mapping &) = default;
};

struct Settings
{
    QString csvPath;
    CsvDialect dialect;
    Mapping mapping;
    QString defaultReason = QStringLiteral("unsubscribed"); // rows without a usable reason
};

struct Report
{
    qint64 rows = 0;
    qint64 added = 0;
    qint64 alreadyListed = 0;
    QList<ContactImport::RowFailure> failures;
    ContactImport::ImportReport asImportReport() const;
};

Result<Report> run(SqlSession &db, const Settings &settings, const AuditActor &actor = AuditActor::current());
Result<Report> run(OrgDatabase &db, const Settings &settings,
                   const AuditActor &actor = AuditActor::current());

} // namespace SuppressionImport
