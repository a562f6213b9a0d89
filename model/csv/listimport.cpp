#include "csv/listimport.h"

#include "storage/sqlsession.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>

#include <algorithm>

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("ListImport", text);
}

// Header cells reduced to lower-case letters and digits ("Trigger Date" = "trigger_date").
QString headerKey(QStringView header)
{
    QString key;
    for (QChar c : header) {
        if (c.isLetterOrNumber())
            key += c.toLower();
    }
    return key;
}

// The first column whose header is one of `names` (compared by headerKey); -1 when none.
int findColumn(const QStringList &header, std::initializer_list<const char *> names)
{
    for (const char *name : names) {
        const QString wanted = headerKey(QString::fromLatin1(name));
        for (int i = 0; i < header.size(); ++i) {
            if (headerKey(header.at(i)) == wanted)
                return i;
        }
    }
    return -1;
}

// The column contact import would map onto Email.
int emailColumn(const QStringList &header)
{
    for (int i = 0; i < header.size(); ++i) {
        if (ContactImport::fieldForHeader(header.at(i)) == ContactImport::Field::Email)
            return i;
    }
    return findColumn(header,
                      { "Subscriber", "Subscriber Email", "Recipient", "Recipient Email", "Address",
                        "Email_Address", "Contact Email" });
}

QString cell(const QStringList &fields, int column)
{
    return column >= 0 && column < fields.size() ? fields.at(column).trimmed() : QString();
}

// Reads every data record of a CSV file, calling `visit(fields, line)`.
Result<void> readRecords(const QString &path, const CsvDialect &dialect,
                         const std::function<void(const QStringList &, qint64)> &visit)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return Error(CsvErrorKind::File,
                     tr("Could not read %1: %2").arg(QDir::toNativeSeparators(path), file.errorString()));
    CsvReader reader(&file, dialect);
    QStringList fields;
    bool first = dialect.header;
    while (reader.readRecord(fields)) {
        if (first) {
            first = false;
            continue;
        }
        visit(fields, reader.recordLine());
    }
    if (!reader.errorString().isEmpty())
        return Error(CsvErrorKind::File,
                     tr("Could not read %1: %2").arg(QDir::toNativeSeparators(path), reader.errorString()));
    return {};
}

// The records of a file by line, to give a failure the values it was read from.
struct Records
{
    QHash<qint64, QStringList> byLine;
};

ContactImport::RowFailure failure(const RowRejection &r, const Records &records)
{
    return ContactImport::RowFailure { r.line, r.field, r.reason, records.byLine.value(r.line) };
}

void sortByLine(QList<ContactImport::RowFailure> &failures)
{
    std::stable_sort(failures.begin(), failures.end(),
                     [](const ContactImport::RowFailure &a, const ContactImport::RowFailure &b) {
                         return a.line < b.line;
                     });
}

ContactImport::ImportReport importReport(qint64 rows, qint64 good,
                                         const QList<ContactImport::RowFailure> &failures)
{
    ContactImport::ImportReport report;
    report.rows = rows;
    report.good = good;
    report.inserted = good;
    report.failedRows = failures.size();
    report.failures = failures;
    return report;
}

} // namespace

namespace EnrolmentImport {

Mapping Mapping::guess(const QStringList &header)
{
    Mapping m;
    m.contactId = findColumn(header, { "contact_id", "Contact ID", "ContactID", "id", "Contact" });
    m.email = emailColumn(header);
    m.triggerDate
        = findColumn(header,
                     { "trigger_date", "Trigger Date", "Trigger", "Date", "Event Date", "Renewal Date",
                       "Rate Increase Date", "Increase Date", "New Premium Date", "Effective Date" });
    return m;
}

ContactImport::ImportReport Report::asImportReport() const
{
    return importReport(rows, enrolled, failures);
}

Result<std::vector<EnrolmentInput>> read(const Settings &settings, QList<ContactImport::RowFailure> *failures)
{
    if (settings.mapping.contactId < 0 && settings.mapping.email < 0)
        return Error(CsvErrorKind::File,
                     tr("%1: no column holds contact_id or email; name one of them in the header")
                         .arg(QDir::toNativeSeparators(settings.csvPath)));
    std::vector<EnrolmentInput> rows;
    const Mapping &m = settings.mapping;
    auto done = readRecords(settings.csvPath, settings.dialect, [&](const QStringList &fields, qint64 line) {
        EnrolmentInput in;
        in.line = line;
        const QString id = cell(fields, m.contactId);
        in.email = cell(fields, m.email);
        in.triggerDate = cell(fields, m.triggerDate);
        if (!id.isEmpty()) {
            bool ok = false;
            in.contactId = id.toLongLong(&ok);
            if (!ok || in.contactId <= 0) {
                if (failures)
                    failures->append({ line, QStringLiteral("contact_id"),
                                       tr("contact_id \"%1\" is not a contact id (a whole number)").arg(id),
                                       fields });
                return;
            }
        }
        rows.push_back(std::move(in));
    });
    if (!done)
        return done.error();
    return rows;
}

Result<Report> run(SqlSession &db, const Settings &settings, const AuditActor &actor)
{
    Report report;
    Records records;
    // The values of each record, for the rejected-rows report.
    auto kept = readRecords(settings.csvPath, settings.dialect, [&](const QStringList &fields, qint64 line) {
        records.byLine.insert(line, fields);
        ++report.rows;
    });
    if (!kept)
        return kept.error();
    auto rows = read(settings, &report.failures);
    if (!rows)
        return rows.error();
    CampaignStore store(db, actor);
    auto enrolled = store.enrol(settings.instanceId, *rows);
    if (!enrolled)
        return enrolled.error();
    report.enrolled = enrolled->enrolled;
    for (const RowRejection &r : enrolled->rejected)
        report.failures.append(failure(r, records));
    sortByLine(report.failures);
    return report;
}

Result<Report> run(OrgDatabase &db, const Settings &settings, const AuditActor &actor)
{
    return run(*SqlSession::over(db), settings, actor);
}

} // namespace EnrolmentImport

namespace SuppressionImport {

Mapping Mapping::guess(const QStringList &header)
{
    Mapping m;
    m.email = emailColumn(header);
    m.reason = findColumn(header,
                          { "reason", "Reason", "Unsub Reason", "UNSUB_REASON", "Unsubscribe Reason",
                            "Bounce Reason", "Suppression Reason", "status", "Type", "Event" });
    m.note = findColumn(header, { "note", "Notes", "Comment", "Comments", "Details", "Description" });
    return m;
}

ContactImport::ImportReport Report::asImportReport() const
{
    return importReport(rows, added, failures);
}

Result<Report> run(SqlSession &db, const Settings &settings, const AuditActor &actor)
{
    if (settings.mapping.email < 0)
        return Error(CsvErrorKind::File,
                     tr("%1: no column holds email addresses; name it email or Email Address in the header")
                         .arg(QDir::toNativeSeparators(settings.csvPath)));
    Report report;
    Records records;
    std::vector<SuppressionInput> rows;
    const Mapping &m = settings.mapping;
    auto read = readRecords(settings.csvPath, settings.dialect, [&](const QStringList &fields, qint64 line) {
        records.byLine.insert(line, fields);
        rows.push_back({ line, cell(fields, m.email), cell(fields, m.reason), cell(fields, m.note) });
    });
    if (!read)
        return read.error();
    report.rows = qint64(rows.size());
    SuppressionStore store(db, actor);
    auto added = store.addMany(rows, settings.defaultReason);
    if (!added)
        return added.error();
    report.added = added->added;
    report.alreadyListed = added->alreadyListed;
    for (const RowRejection &r : added->rejected)
        report.failures.append(failure(r, records));
    sortByLine(report.failures);
    return report;
}

Result<Report> run(OrgDatabase &db, const Settings &settings, const AuditActor &actor)
{
    return run(*SqlSession::over(db), settings, actor);
}

} // namespace SuppressionImport
