#include "csv/contactimport.h"

#include "csv/importtarget.h"
#include "dates.h"
#include "engine.h"
#include "storage/csvsqlite.h"
#include "storage/orgdatabase.h"
#include "storage/pg/pgconnection.h"
#include "storage/statement.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QJsonDocument>
#include <QJsonObject>
#include <QPromise>
#include <QTemporaryFile>
#include <QtConcurrent/QtConcurrentRun>

#include <algorithm>
#include <map>
#include <optional>

namespace ContactImport {

// Owns the temporary file of the failed rows beyond MaxFailures.
class FailureSpill
{
public:
    explicit FailureSpill(QString path) : m_path(std::move(path)) { }
    ~FailureSpill() { QFile::remove(m_path); }
    FailureSpill(const FailureSpill &) = delete;
    FailureSpill &operator=(const FailureSpill &) = delete;

    const QString &path() const { return m_path; }

private:
    QString m_path;
};

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("ContactImport", text);
}

QString nativePath(const QString &path)
{
    return QDir::toNativeSeparators(path);
}

// The column a check problem is reported against; everything else is about the ZIP code.
Field problemField(ProblemCode code)
{
    switch (code) {
    case ProblemCode::InvalidEmail:
        return Field::Email;
    case ProblemCode::UnknownState:
        return Field::State;
    case ProblemCode::InvalidBirthDate:
        return Field::BirthDate;
    case ProblemCode::InvalidEffectiveDate:
        return Field::EffectiveDate;
    case ProblemCode::InvalidZip:
    case ProblemCode::ZipStateMismatch:
    case ProblemCode::DateOutOfRange:
    case ProblemCode::InvalidId:
    case ProblemCode::DuplicateId:
    case ProblemCode::ProcessingError:
        break;
    }
    return Field::ZipCode;
}

// The Contact member of each Field, in Field order; the column names come from ContactFields.
constexpr std::array<QString Contact::*, FieldCount> FieldMembers = {
    &Contact::firstName,      &Contact::lastName,      &Contact::email,  &Contact::phoneNumber,
    &Contact::birthDate,      &Contact::effectiveDate, &Contact::state,  &Contact::zipCode,
    &Contact::currentCarrier, &Contact::planType,      &Contact::gender, &Contact::status,
};

constexpr QLatin1StringView fieldColumn(Field field)
{
    return contactColumn(FieldMembers[size_t(field)]);
}

// Header cells reduced to lower-case letters and digits, so "Date of Birth", "date_of_birth"
// and "DATE-OF-BIRTH" are the same key.
QString headerKey(QStringView header)
{
    QString key;
    key.reserve(header.size());
    for (QChar c : header) {
        if (c.isLetterOrNumber())
            key += c.toLower();
    }
    return key;
}

const QHash<QString, Field> &synonyms()
{
    static const QHash<QString, Field> table = [] {
        QHash<QString, Field> t;
        const auto add = [&t](Field f, std::initializer_list<const char *> names) {
            for (const char *n : names)
                t.insert(headerKey(QString::fromLatin1(n)), f);
        };
        add(Field::FirstName,
            { "first_name", "First Name", "FirstName", "First", "Given Name", "Forename", "fname" });
        add(Field::LastName,
            { "last_name", "Last Name", "LastName", "Last", "Surname", "Family Name", "lname" });
        add(Field::Email, { "email", "E-mail", "Email Address", "E-mail Address", "Mail", "emailaddress" });
        add(Field::PhoneNumber,
            { "phone_number", "Phone", "Phone Number", "Telephone", "Tel", "Mobile", "Cell", "Cell Phone",
              "Mobile Phone" });
        add(Field::BirthDate,
            { "birth_date", "DOB", "Birthdate", "Birthday", "Date of Birth", "Birth Date", "D.O.B.",
              "BirthDt" });
        add(Field::EffectiveDate,
            { "effective_date", "Effective Date", "Effective", "Policy Effective Date", "Plan Effective Date",
              "Eff Date", "Start Date", "Policy Start Date" });
        add(Field::State, { "state", "State Code", "ST", "Province", "Region" });
        add(Field::ZipCode,
            { "zip_code", "Zip", "ZIP Code", "Zipcode", "Postal Code", "Postcode", "Post Code", "Zip5" });
        add(Field::CurrentCarrier,
            { "current_carrier", "Carrier", "Current Carrier", "Insurance Carrier", "Insurer", "Company" });
        add(Field::PlanType, { "plan_type", "Plan", "Plan Type", "Plan Name" });
        add(Field::Gender, { "gender", "Sex" });
        add(Field::Status, { "status", "Contact Status" });
        return t;
    }();
    return table;
}

// Emails compare case-insensitively for ASCII letters only, exactly like SQLite's lower(),
// so the in-file check and the database lookup agree.
QString emailKey(const QString &email)
{
    QString key = email.trimmed();
    for (QChar &c : key) {
        if (c >= u'A' && c <= u'Z')
            c = QChar(c.unicode() + 32);
    }
    return key;
}

QString undoGuard(const QString &value)
{
    if (value.size() >= 2 && value.front() == u'\'') {
        const QChar c = value[1];
        if (c == u'=' || c == u'+' || c == u'-' || c == u'@' || c == u'\t' || c == u'\r')
            return value.mid(1);
    }
    return value;
}

QString &contactField(Contact &c, Field f)
{
    return c.*FieldMembers[size_t(f)];
}

bool asciiDigits(QStringView text)
{
    return std::all_of(text.begin(), text.end(), [](QChar c) { return c >= u'0' && c <= u'9'; });
}

// Spreadsheets turn the New England ZIP 02134 into the number 2134. Give back the leading zero
// (also of ZIP+4, 2134-1234), so the stored ZIP is right; anything else stays as it was read,
// for the contact checks to report.
void padZip(QString &zip)
{
    const bool fourDigits = zip.size() == 4 && asciiDigits(zip);
    const bool zipPlus4 = zip.size() == 9 && zip[4] == u'-' && asciiDigits(QStringView(zip).first(4))
        && asciiDigits(QStringView(zip).sliced(5));
    if (fourDigits || zipPlus4)
        zip.prepend(u'0');
}

// The result of checking one record.
struct CheckedRow
{
    Contact contact;
    bool stateDerived = false; // state filled in from the ZIP
    std::optional<RowFailure> failure;
};

// Counts of the date formats seen in one column.
struct DateStats
{
    std::map<QString, qint64> formats;
    qint64 parsed = 0;
    qint64 nonEmpty = 0;
};

// Reads, maps and checks records one at a time; the shared core of analyse() and run().
class RowChecker
{
public:
    explicit RowChecker(const ImportSettings &settings) : m_settings(settings) { }

    CheckedRow check(const QStringList &fields, qint64 line)
    {
        CheckedRow row;
        const auto fail = [&](Field field, const QString &reason) {
            row.failure = RowFailure { line, columnName(field), reason, fields };
        };
        for (int i = 0; i < FieldCount; ++i) {
            const int column = m_settings.mapping.columns[size_t(i)];
            if (column < 0)
                continue;
            QString value = column < fields.size() ? fields.at(column).trimmed() : QString();
            // A NUL would be stored and cut the value short in every C program that reads it
            // (a sender included); it is never part of a name, an address or a date.
            if (!row.failure && value.contains(QChar(0))) {
                fail(Field(i),
                     tr("%1 contains a NUL character (a zero byte); if every row says so, the file "
                        "is probably UTF-16 or UTF-32: choose that encoding")
                         .arg(displayName(Field(i))));
            }
            if (m_settings.undoFormulaGuard)
                value = undoGuard(value);
            contactField(row.contact, Field(i)) = value;
        }
        if (row.failure)
            return row;
        padZip(row.contact.zipCode);
        // Dates: every non-empty value must parse; it is stored as YYYY-MM-DD so the database
        // does not collect one more format.
        for (Field f : { Field::BirthDate, Field::EffectiveDate }) {
            if (!m_settings.mapping.isMapped(f))
                continue;
            QString &value = contactField(row.contact, f);
            if (value.isEmpty())
                continue;
            DateStats &stats = m_dates[f == Field::BirthDate ? 0 : 1];
            ++stats.nonEmpty;
            ++stats.formats[dateFormatOf(value)];
            const QDate date = Dates::parseContactDate(value);
            if (!date.isValid()) {
                if (!row.failure)
                    fail(f,
                         tr("%1 \"%2\" is not a date (use YYYY-MM-DD, M/D/YYYY, M-D-YYYY, "
                            "YYYY/MM/DD or MMDDYYYY)")
                             .arg(displayName(f), value));
                continue;
            }
            ++stats.parsed;
            value = date.toString(Qt::ISODate);
        }
        if (row.failure)
            return row;

        const ContactFacts facts = Engine::checkContact(row.contact, m_settings.today);
        for (const Problem &p : facts.problems) {
            // Errors (bad email, no state) and dates the rules would ignore (a birth date after
            // today) fail the row; ZIP warnings do not, the state is known.
            const Field field = problemField(p.code);
            if (field != Field::ZipCode || p.severity == Severity::Error) {
                fail(field, p.message);
                return row;
            }
        }
        row.contact.email = row.contact.email.trimmed();
        if (row.contact.state.isEmpty() && facts.state.isValid()) {
            row.contact.state = facts.state.toString();
            row.stateDerived = true;
        } else {
            row.contact.state = row.contact.state.toUpper();
        }
        const QString key = emailKey(row.contact.email);
        const auto seen = m_emails.constFind(key);
        if (seen != m_emails.constEnd()) {
            fail(Field::Email,
                 tr("email %1 is already on line %2 of this file").arg(row.contact.email).arg(*seen));
            return row;
        }
        m_emails.insert(key, line);
        return row;
    }

    QList<DateColumnReport> dateReports() const
    {
        QList<DateColumnReport> reports;
        for (int i = 0; i < 2; ++i) {
            const Field f = i == 0 ? Field::BirthDate : Field::EffectiveDate;
            if (!m_settings.mapping.isMapped(f))
                continue;
            DateColumnReport r;
            r.field = f;
            r.parsed = m_dates[i].parsed;
            r.nonEmpty = m_dates[i].nonEmpty;
            qint64 best = 0;
            for (const auto &[format, count] : m_dates[i].formats) {
                if (!format.isEmpty() && count > best) {
                    best = count;
                    r.format = format;
                }
            }
            reports.append(r);
        }
        return reports;
    }

private:
    const ImportSettings &m_settings;
    QHash<QString, qint64> m_emails; // email key -> line it was first seen on
    DateStats m_dates[2];
};

Result<void> checkSettings(const ImportSettings &settings)
{
    if (!settings.mapping.isMapped(Field::Email)) {
        return Error(CsvErrorKind::File,
                     tr("%1: no column is mapped to Email; every contact needs one.")
                         .arg(nativePath(settings.csvPath)));
    }
    if (!settings.mapping.isMapped(Field::ZipCode) && !settings.mapping.isMapped(Field::State)) {
        return Error(CsvErrorKind::File,
                     tr("%1: map a ZIP code or a state column; without either no contact has a state.")
                         .arg(nativePath(settings.csvPath)));
    }
    return {};
}

// The CSV file of an import, read after its header.
class CsvInput
{
public:
    explicit CsvInput(const ImportSettings &settings)
        : m_settings(settings), m_file(settings.csvPath), m_reader(&m_file, settings.dialect),
          m_path(settings.csvPath), m_header(settings.dialect.header)
    { }

    // Checks the settings (checkSettings), opens the file and reads its header, if it has one.
    Result<QStringList> open()
    {
        if (auto ok = checkSettings(m_settings); !ok.ok())
            return ok.error();
        if (!m_file.open(QIODevice::ReadOnly))
            return Error(CsvErrorKind::File,
                         tr("Could not read %1: %2").arg(nativePath(m_path), m_file.errorString()));
        m_size = m_file.size();
        QStringList header;
        if (m_header && !m_reader.readRecord(header) && !m_reader.errorString().isEmpty())
            return readError();
        return header;
    }

    CsvReader &reader() { return m_reader; }
    qint64 size() const { return m_size; }
    Error readError() const
    {
        return Error(CsvErrorKind::File,
                     tr("Could not read %1: %2").arg(nativePath(m_path), m_reader.errorString()));
    }

private:
    const ImportSettings &m_settings;
    QFile m_file;
    CsvReader m_reader;
    QString m_path;
    bool m_header;
    qint64 m_size = 0;
};

// Options of the temporary file holding failed rows: read back only by forEachFailure().
CsvOptions spillOptions()
{
    CsvOptions o;
    o.lineEnding = CsvOptions::LineEnding::Lf;
    o.neutraliseFormulas = false;
    return o;
}

// Collects the failed rows of one pass: the first MaxFailures in the report, the rest
// streamed to a temporary file, so a file with millions of bad rows keeps memory flat and
// loses none of them.
class FailureSink
{
public:
    explicit FailureSink(ImportReport &report) : m_report(report) { }

    std::optional<Error> add(RowFailure &&failure)
    {
        ++m_report.failedRows;
        if (m_report.failures.size() < ImportReport::MaxFailures) {
            m_report.failures.append(std::move(failure));
            return std::nullopt;
        }
        if (!m_writer) {
            m_file = std::make_unique<QTemporaryFile>(
                QDir::temp().filePath(QStringLiteral("email-scheduler-rejected-XXXXXX.csv")));
            m_file->setAutoRemove(false); // FailureSpill removes it
            if (!m_file->open())
                return spillError(m_file->errorString());
            m_report.moreFailures = std::make_shared<FailureSpill>(m_file->fileName());
            m_writer = std::make_unique<CsvWriter>(m_file.get(), spillOptions());
        }
        if (!m_writer->writeRow(QStringList { QString::number(failure.line), failure.field, failure.reason }
                                + failure.values))
            return spillError(m_writer->errorString());
        return std::nullopt;
    }

    // Flushes and closes the temporary file before anybody reads it.
    std::optional<Error> finish()
    {
        if (!m_writer)
            return std::nullopt;
        const bool flushed = m_writer->flush();
        const QString error = m_writer->errorString();
        m_writer.reset();
        m_file->close();
        if (!flushed)
            return spillError(error);
        return std::nullopt;
    }

private:
    Error spillError(const QString &why) const
    {
        return Error(CsvErrorKind::File,
                     tr("Could not keep the rejected rows beyond the first %1 in a temporary file in %2: "
                        "%3. Free some disk space and try again.")
                         .arg(ImportReport::MaxFailures)
                         .arg(nativePath(QDir::tempPath()), why));
    }

    ImportReport &m_report;
    std::unique_ptr<QTemporaryFile> m_file;
    std::unique_ptr<CsvWriter> m_writer;
};

Error cancelledImport(const QString &path)
{
    return Error(CsvErrorKind::Cancelled,
                 tr("Import of %1 cancelled; the database was not changed.").arg(nativePath(path)));
}

constexpr qint64 ProgressEvery = 2048;

Result<QList<TableColumn>> contactColumns(const OrgDatabase &db)
{
    const QString action = tr("read the contacts table of");
    auto stmt = Statement::prepare(db, "PRAGMA table_info(contacts)", action);
    if (!stmt.ok())
        return CsvSqlite::fromDbError(stmt.error());
    QList<TableColumn> columns;
    Result<bool> row = stmt->step();
    for (; row.ok() && *row; row = stmt->step()) {
        TableColumn c;
        c.name = stmt->text(1);
        const QString type = stmt->text(2);
        c.notNull = stmt->int64(3) != 0;
        c.hasDefault = !stmt->isNull(4);
        c.primaryKey = stmt->int64(5) != 0;
        c.numeric = type.contains(u"INT", Qt::CaseInsensitive) || type.contains(u"BOOL", Qt::CaseInsensitive)
            || type.contains(u"NUM", Qt::CaseInsensitive) || type.contains(u"REAL", Qt::CaseInsensitive);
        columns.append(c);
    }
    if (!row)
        return CsvSqlite::fromDbError(row.error());
    return columns;
}

// Prepared statements of one import, built for the actual `contacts` table.
struct ImportStatements
{
    std::optional<Statement> lookup;
    std::optional<Statement> insert;
    std::optional<Statement> update; // only with OnConflict::Update
    std::optional<Statement> remember;
    QList<Field> insertFields; // bound first, in this order
    QList<std::pair<int, bool>>
        fillers; // bound after: (parameter, numeric) for NOT NULL columns we do not fill
    QList<Field> updateFields;
};

Result<ImportStatements> prepareStatements(const OrgDatabase &db, const Mapping &mapping,
                                           OnConflict onConflict)
{
    auto columns = contactColumns(db);
    if (!columns.ok())
        return columns.error();
    auto plan = planColumns(*columns, mapping, nativePath(db.path()));
    if (!plan.ok())
        return plan.error();
    ImportStatements s;
    s.insertFields = plan->insertFields;
    s.updateFields = plan->updateFields;
    const QStringList &insertNames = plan->insertNames;
    const QStringList &fillerNames = plan->fillerNames;
    QStringList updateSets;
    for (const QString &name : std::as_const(plan->updateNames))
        updateSets.append(name + QStringLiteral(" = ?"));
    const bool hasUpdatedAt = plan->hasUpdatedAt;
    for (qsizetype i = 0; i < fillerNames.size(); ++i)
        s.fillers.append({ int(s.insertFields.size() + i + 1), plan->fillerNumeric.at(i) });
    const QStringList allInsert = insertNames + fillerNames;
    const QString placeholders = QStringList(allInsert.size(), QStringLiteral("?")).join(u',');
    const QString action = tr("prepare the import into");
    auto insert = Statement::prepare(db,
                                     QStringLiteral("INSERT INTO contacts (") + allInsert.join(u',')
                                         + QStringLiteral(") VALUES (") + placeholders + u')',
                                     action);
    if (!insert.ok())
        return CsvSqlite::fromDbError(insert.error());
    s.insert.emplace(std::move(*insert));
    if (hasUpdatedAt)
        updateSets.append(QStringLiteral("\"updated_at\" = CURRENT_TIMESTAMP"));
    // Only prepared when needed: some production tables carry an UPDATE trigger naming a column
    // they do not have (org-12), which makes every UPDATE fail but inserts work.
    if (onConflict == OnConflict::Update) {
        auto update = Statement::prepare(db,
                                         QStringLiteral("UPDATE contacts SET ") + updateSets.join(u',')
                                             + QStringLiteral(" WHERE \"id\" = ?"),
                                         tr("prepare updating existing contacts in"));
        if (!update.ok())
            return CsvSqlite::fromDbError(update.error());
        s.update.emplace(std::move(*update));
    }
    auto lookup = Statement::prepare(db, "SELECT id FROM temp.es_import_emails WHERE email = ?", action);
    if (!lookup.ok())
        return CsvSqlite::fromDbError(lookup.error());
    s.lookup.emplace(std::move(*lookup));
    auto remember = Statement::prepare(
        db, "INSERT OR IGNORE INTO temp.es_import_emails (email, id) VALUES (?, ?)", action);
    if (!remember.ok())
        return CsvSqlite::fromDbError(remember.error());
    s.remember.emplace(std::move(*remember));
    // Errors of the rows name what the import was doing, not the preparation.
    const QString writeAction = tr("import contacts into");
    for (std::optional<Statement> *stmt : { &s.lookup, &s.insert, &s.update, &s.remember })
        if (*stmt)
            (*stmt)->setAction(writeAction);
    return s;
}

// A null QString binds as '' here: every field we write is text, never NULL.
void bindField(Statement &stmt, int index, const QString &value)
{
    stmt.bindText(index, value);
}

// The write step on an SQLite file: prepared statements in one BEGIN IMMEDIATE transaction,
// the stored emails in a temporary table.
class SqliteImportTarget final : public ImportTarget
{
public:
    static Result<std::unique_ptr<ImportTarget>> open(const QString &path, const Mapping &mapping,
                                                      OnConflict onConflict)
    {
        auto opened = OrgDatabase::open(path, OrgDatabase::Mode::ReadWrite);
        if (!opened.ok())
            return CsvSqlite::fromDbError(opened.error());
        std::unique_ptr<SqliteImportTarget> target(new SqliteImportTarget(std::move(opened).value()));
        OrgDatabase &db = target->m_db;
        // The write lock comes first: an import running meanwhile (another window, another
        // process) must have committed before this one reads which emails exist, or both insert
        // the same contacts. A second import waits here (busy timeout) and then skips or updates
        // them. Every return before the commit rolls the import back (the guard's destructor),
        // after its error was built: a ROLLBACK resets the connection's message to "not an
        // error". Should ROLLBACK fail too, SQLite rolls back when the connection closes.
        auto transaction = Transaction::begin(db, tr("start the import into"));
        if (!transaction.ok())
            return CsvSqlite::fromDbError(transaction.error());
        target->m_transaction.emplace(std::move(transaction).value());
        // Existing emails in a temporary table (not in the database file) with an index: one
        // lookup per row, whatever the size of the table and whether `email` is indexed there.
        if (auto r
            = db.exec("CREATE TEMP TABLE IF NOT EXISTS es_import_emails (email TEXT PRIMARY KEY, id INTEGER) "
                      "WITHOUT ROWID; "
                      "DELETE FROM temp.es_import_emails; "
                      "INSERT OR IGNORE INTO temp.es_import_emails (email, id) "
                      "SELECT lower(trim(email)), id FROM contacts WHERE email IS NOT NULL ORDER BY id",
                      tr("read the contacts of"));
            !r.ok())
            return CsvSqlite::fromDbError(r.error());
        auto prepared = prepareStatements(db, mapping, onConflict);
        if (!prepared.ok())
            return prepared.error();
        target->m_s = std::move(prepared).value();
        return std::unique_ptr<ImportTarget>(std::move(target));
    }

    Result<std::optional<qint64>> find(const QString &emailKey) override
    {
        Statement &lookup = *m_s.lookup;
        lookup.reset();
        lookup.bindText(1, emailKey);
        Result<bool> found = lookup.step();
        if (!found)
            return found.error();
        std::optional<qint64> id;
        if (*found)
            id = lookup.int64(0);
        lookup.reset();
        return id;
    }

    Result<void> insert(const Contact &contact, const QString &emailKey) override
    {
        Statement &ins = *m_s.insert;
        ins.reset();
        int p = 1;
        for (Field f : std::as_const(m_s.insertFields))
            bindField(ins, p++, fieldValue(contact, f));
        for (const auto &[index, numeric] : std::as_const(m_s.fillers)) {
            if (numeric)
                ins.bind(index, qint64(0));
            else
                ins.bindText(index, u"");
        }
        if (auto done = ins.exec(); !done)
            return done;
        Statement &remember = *m_s.remember;
        remember.reset();
        remember.bindText(1, emailKey).bind(2, m_db.lastInsertRowId());
        return remember.exec();
    }

    Result<void> update(qint64 id, const Contact &contact) override
    {
        Statement &u = *m_s.update;
        u.reset();
        int p = 1;
        for (Field f : std::as_const(m_s.updateFields))
            bindField(u, p++, fieldValue(contact, f));
        u.bind(p, id);
        return u.exec();
    }

    Result<void> commit() override
    {
        const QString writeAction = tr("import contacts into");
        // Statements must not keep the table busy while committing.
        m_s = ImportStatements();
        if (auto r = m_transaction->commit(writeAction); !r.ok())
            return CsvSqlite::fromDbError(r.error());
        // The import is committed; a temp table that cannot be dropped goes with the connection.
        (void)m_db.exec("DROP TABLE IF EXISTS temp.es_import_emails", writeAction);
        return {};
    }

private:
    explicit SqliteImportTarget(OrgDatabase db) : m_db(std::move(db)) { }

    // Destroyed in reverse: statements, then the transaction (rollback), then the connection.
    OrgDatabase m_db;
    std::optional<Transaction> m_transaction;
    ImportStatements m_s;
};

} // namespace

const QString &fieldValue(const Contact &contact, Field field)
{
    return contact.*FieldMembers[size_t(field)];
}

Result<ColumnPlan> planColumns(const QList<TableColumn> &columns, const Mapping &mapping,
                               const QString &database)
{
    ColumnPlan plan;
    for (const TableColumn &c : columns) {
        const auto field = fieldFromColumnName(c.name);
        if (c.name == u"updated_at")
            plan.hasUpdatedAt = true;
        // State is always written: it may be derived from the ZIP code.
        if (field && (mapping.isMapped(*field) || *field == Field::State)) {
            plan.insertFields.append(*field);
            plan.insertNames.append(CsvSqlite::identifier(c.name));
            plan.updateFields.append(*field);
            plan.updateNames.append(CsvSqlite::identifier(c.name));
        } else if (c.notNull && !c.hasDefault && !c.primaryKey) {
            // Production tables declare columns like tobacco_user NOT NULL without a default;
            // names are quoted, as they may hold spaces or quotes ("Tobacco User").
            plan.fillerNames.append(CsvSqlite::identifier(c.name));
            plan.fillerNumeric.append(c.numeric);
        }
    }
    if (!plan.insertFields.contains(Field::Email))
        return Error(CsvErrorKind::Database, tr("%1: the contacts table has no email column.").arg(database));
    return plan;
}

QString columnName(Field field)
{
    return QString(fieldColumn(field));
}

QString displayName(Field field)
{
    switch (field) {
    case Field::FirstName:
        return tr("First name");
    case Field::LastName:
        return tr("Last name");
    case Field::Email:
        return tr("Email");
    case Field::PhoneNumber:
        return tr("Phone number");
    case Field::BirthDate:
        return tr("Birth date");
    case Field::EffectiveDate:
        return tr("Effective date");
    case Field::State:
        return tr("State");
    case Field::ZipCode:
        return tr("ZIP code");
    case Field::CurrentCarrier:
        return tr("Carrier");
    case Field::PlanType:
        return tr("Plan type");
    case Field::Gender:
        return tr("Gender");
    case Field::Status:
        return tr("Status");
    }
    return {};
}

std::optional<Field> fieldFromColumnName(QStringView name)
{
    for (int i = 0; i < FieldCount; ++i) {
        if (name.compare(fieldColumn(Field(i)), Qt::CaseInsensitive) == 0)
            return Field(i);
    }
    return std::nullopt;
}

std::optional<Field> fieldForHeader(QStringView header)
{
    const auto it = synonyms().constFind(headerKey(header));
    if (it == synonyms().constEnd())
        return std::nullopt;
    return *it;
}

Mapping Mapping::guess(const QStringList &header)
{
    Mapping m;
    for (qsizetype i = 0; i < header.size(); ++i) {
        const auto f = fieldForHeader(header.at(i));
        if (f && !m.isMapped(*f))
            m.setColumn(*f, int(i));
    }
    return m;
}

Result<Mapping> Mapping::fromJson(const QByteArray &json, const QStringList &header, const QString &fileName)
{
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &parseError);
    if (parseError.error != QJsonParseError::NoError || !doc.isObject()) {
        return Error(CsvErrorKind::File,
                     tr("%1: not a JSON object field -> column header (%2)")
                         .arg(nativePath(fileName),
                              parseError.error != QJsonParseError::NoError
                                  ? parseError.errorString()
                                  : tr("the top level is not an object")));
    }
    Mapping m = guess(header);
    std::array<bool, FieldCount> explicitFields {};
    const QJsonObject object = doc.object();
    for (auto it = object.begin(); it != object.end(); ++it) {
        const auto field = fieldFromColumnName(it.key());
        if (!field) {
            return Error(
                CsvErrorKind::File,
                tr("%1: unknown field \"%2\" (use first_name, last_name, email, phone_number, birth_date, "
                   "effective_date, state, zip_code, current_carrier, plan_type, gender, status)")
                    .arg(nativePath(fileName), it.key()));
        }
        if (it.value().isNull()) {
            m.setColumn(*field, -1); // explicitly not imported
            explicitFields[size_t(*field)] = true;
            continue;
        }
        if (!it.value().isString()) {
            return Error(CsvErrorKind::File,
                         tr("%1: the value of \"%2\" must be a column header (a string) or null")
                             .arg(nativePath(fileName), it.key()));
        }
        const QString column = it.value().toString();
        qsizetype index = header.indexOf(column);
        if (index < 0) {
            for (qsizetype i = 0; i < header.size() && index < 0; ++i) {
                if (header.at(i).trimmed().compare(column.trimmed(), Qt::CaseInsensitive) == 0)
                    index = i;
            }
        }
        if (index < 0) {
            return Error(CsvErrorKind::File,
                         tr("%1: \"%2\" maps to column \"%3\", which is not in the CSV header (%4)")
                             .arg(nativePath(fileName), it.key(), column, header.join(QStringLiteral(", "))));
        }
        // An explicit mapping takes the column from a guessed field (explicit ones may share).
        for (int i = 0; i < FieldCount; ++i) {
            if (m.columns[size_t(i)] == int(index) && !explicitFields[size_t(i)])
                m.columns[size_t(i)] = -1;
        }
        m.setColumn(*field, int(index));
        explicitFields[size_t(*field)] = true;
    }
    return m;
}

std::optional<OnConflict> onConflictFromName(QStringView name)
{
    if (name == u"skip")
        return OnConflict::Skip;
    if (name == u"update")
        return OnConflict::Update;
    if (name == u"abort")
        return OnConflict::Abort;
    return std::nullopt;
}

QString dateFormatOf(QStringView value)
{
    // A shape check only (digits and punctuation), no regular expressions: it runs for every
    // date of a large file.
    const QStringView t = value.trimmed();
    const auto digitsAt = [&t](qsizetype from, qsizetype count) {
        if (from + count > t.size())
            return false;
        for (qsizetype i = from; i < from + count; ++i) {
            if (!t[i].isDigit() || t[i].unicode() > 127)
                return false;
        }
        return true;
    };
    if (t.size() >= 10 && digitsAt(0, 4) && digitsAt(5, 2) && digitsAt(8, 2) && t[4] == t[7]
        && (t[4] == u'-' || t[4] == u'/')) {
        if (t[4] == u'-' && (t.size() == 10 || t[10] == u'T' || t[10] == u' '))
            return QStringLiteral("YYYY-MM-DD");
        if (t[4] == u'/' && t.size() == 10)
            return QStringLiteral("YYYY/MM/DD");
        return {};
    }
    if (t.size() == 8 && digitsAt(0, 8))
        return QStringLiteral("MMDDYYYY");
    for (const QChar sep : { QChar(u'/'), QChar(u'-') }) {
        const qsizetype first = t.indexOf(sep);
        const qsizetype second = first < 0 ? -1 : t.indexOf(sep, first + 1);
        if (first < 1 || first > 2 || second - first < 2 || second - first > 3 || t.size() - second != 5)
            continue;
        if (digitsAt(0, first) && digitsAt(first + 1, second - first - 1) && digitsAt(second + 1, 4))
            return sep == u'/' ? QStringLiteral("M/D/YYYY") : QStringLiteral("M-D-YYYY");
    }
    return {};
}

Result<FilePreview> preview(const QString &csvPath, const CsvDialect &dialect, int maxRows)
{
    QFile file(csvPath);
    if (!file.open(QIODevice::ReadOnly))
        return Error(CsvErrorKind::File,
                     tr("Could not read %1: %2").arg(nativePath(csvPath), file.errorString()));
    CsvReader reader(&file, dialect);
    FilePreview p;
    QStringList record;
    qsizetype columns = 0;
    if (dialect.header && reader.readRecord(record)) {
        p.header = record;
        columns = record.size();
    }
    while (p.rows.size() < maxRows && reader.readRecord(record)) {
        columns = std::max(columns, record.size());
        p.rows.append(record);
    }
    if (!reader.errorString().isEmpty() && p.rows.isEmpty() && p.header.isEmpty())
        return Error(CsvErrorKind::File,
                     tr("Could not read %1: %2").arg(nativePath(csvPath), reader.errorString()));
    if (!dialect.header) {
        for (qsizetype i = 0; i < columns; ++i)
            p.header.append(tr("Column %1").arg(i + 1));
    } else {
        p.guessedMapping = Mapping::guess(p.header);
    }
    return p;
}

namespace {

// The one pass over the file that analyse() and run() share: every record is checked; a failed
// row goes to the report's failures (the first MaxFailures kept, the rest spilled), a good one
// to `store` (which analyse() leaves empty). Fills the report's counts and date columns and asks
// `progress` every ProgressEvery rows; a refusal cancels.
template<typename StoreRow>
Result<ImportReport> readRows(CsvInput &input, QStringList header, const ImportSettings &settings,
                              const CsvProgress &progress, StoreRow &&store)
{
    ImportReport report;
    report.header = std::move(header);
    FailureSink failures(report);
    RowChecker checker(settings);
    QStringList fields;
    while (input.reader().readRecord(fields)) {
        ++report.rows;
        const qint64 line = input.reader().recordLine();
        CheckedRow row = checker.check(fields, line);
        if (row.failure) {
            if (auto error = failures.add(std::move(*row.failure)))
                return *error;
        } else {
            ++report.good;
            if (Result<void> stored = store(row, line, report); !stored.ok())
                return stored.error();
        }
        if (progress && report.rows % ProgressEvery == 0
            && !progress(input.reader().bytesRead(), input.size()))
            return cancelledImport(settings.csvPath);
    }
    if (!input.reader().errorString().isEmpty())
        return input.readError();
    if (auto error = failures.finish())
        return *error;
    report.dates = checker.dateReports();
    return report;
}

} // namespace

Result<ImportReport> analyse(const ImportSettings &settings, const CsvProgress &progress)
{
    CsvInput input(settings);
    auto header = input.open();
    if (!header.ok())
        return header.error();
    return readRows(input, std::move(header).value(), settings, progress,
                    [](const CheckedRow &, qint64, ImportReport &) { return Result<void>(); });
}

Result<ImportReport> run(const QString &dbPath, const ImportSettings &settings, const CsvProgress &progress)
{
    CsvInput input(settings);
    auto header = input.open();
    if (!header.ok())
        return header.error();

    // Only the write step depends on the backend: an SQLite file or a PostgreSQL server.
    const bool onServer = PgSpec::isConnectionSpec(dbPath);
    auto opened = onServer ? openPgImportTarget(dbPath, settings.mapping, settings.onConflict)
                           : SqliteImportTarget::open(dbPath, settings.mapping, settings.onConflict);
    if (!opened.ok())
        return opened.error();
    ImportTarget &target = **opened;
    const QString shownDatabase = onServer ? PgSpec::displayName(dbPath) : nativePath(dbPath);
    const auto rowError = [&](qint64 line, const Error &error) -> Error {
        return Error(CsvErrorKind::Database,
                     tr("%1 line %2: %3").arg(nativePath(settings.csvPath)).arg(line).arg(error.message));
    };

    // A good row: skipped, updated or inserted, by whether its email is stored already.
    const auto store = [&](const CheckedRow &row, qint64 line, ImportReport &report) -> Result<void> {
        const QString key = emailKey(row.contact.email);
        Result<std::optional<qint64>> found = target.find(key);
        if (!found)
            return rowError(line, found.error());
        if (const std::optional<qint64> existing = *found) {
            if (settings.onConflict == OnConflict::Skip) {
                ++report.skippedExisting;
                return {};
            }
            if (settings.onConflict == OnConflict::Abort) {
                return Error(CsvErrorKind::File,
                             tr("%1 line %2: %3 is already contact %4 in %5; import aborted, nothing was "
                                "changed.")
                                 .arg(nativePath(settings.csvPath))
                                 .arg(line)
                                 .arg(row.contact.email)
                                 .arg(*existing)
                                 .arg(shownDatabase));
            }
            if (auto done = target.update(*existing, row.contact); !done)
                return rowError(line, done.error());
            ++report.updated;
            return {};
        }
        if (auto done = target.insert(row.contact, key); !done)
            return rowError(line, done.error());
        ++report.inserted;
        return {};
    };
    Result<ImportReport> report = readRows(input, std::move(header).value(), settings, progress, store);
    if (!report.ok())
        return report;
    if (auto committed = target.commit(); !committed.ok())
        return committed.error();
    return report;
}

QFuture<Result<ImportReport>> runAsync(const QString &dbPath, const ImportSettings &settings)
{
    return QtConcurrent::run([dbPath, settings](QPromise<Result<ImportReport>> &promise) {
        promise.setProgressRange(0, 1000);
        const CsvProgress progress = [&promise](qint64 done, qint64 total) {
            if (total > 0)
                promise.setProgressValue(int(qMin<qint64>(1000, done * 1000 / total)));
            return !promise.isCanceled();
        };
        promise.addResult(dbPath.isEmpty() ? analyse(settings, progress) : run(dbPath, settings, progress));
    });
}

namespace {

// Reads the failed rows back in file order: the report's own, then those of its spill file.
class FailureCursor
{
public:
    explicit FailureCursor(const ImportReport &report) : m_report(report) { }

    // False at the end and on an error (see error()).
    bool next(RowFailure &failure)
    {
        if (m_index < m_report.failures.size()) {
            failure = m_report.failures.at(m_index++);
            return true;
        }
        if (!m_report.moreFailures || m_error)
            return false;
        if (!m_reader) {
            m_file.setFileName(m_report.moreFailures->path());
            if (!m_file.open(QIODevice::ReadOnly)) {
                m_error = readError(m_file.errorString());
                return false;
            }
            CsvDialect dialect;
            dialect.header = false;
            m_reader = std::make_unique<CsvReader>(&m_file, dialect);
        }
        QStringList fields;
        if (!m_reader->readRecord(fields)) {
            if (!m_reader->errorString().isEmpty())
                m_error = readError(m_reader->errorString());
            return false;
        }
        if (fields.size() < 3) {
            m_error = readError(tr("line %1 is damaged").arg(m_reader->recordLine()));
            return false;
        }
        failure.line = fields.at(0).toLongLong();
        failure.field = fields.at(1);
        failure.reason = fields.at(2);
        failure.values = fields.mid(3);
        return true;
    }

    const std::optional<Error> &error() const { return m_error; }

private:
    Error readError(const QString &why) const
    {
        return Error(CsvErrorKind::File,
                     tr("Could not read the rejected rows back from %1: %2")
                         .arg(nativePath(m_report.moreFailures->path()), why));
    }

    const ImportReport &m_report;
    qsizetype m_index = 0;
    QFile m_file;
    std::unique_ptr<CsvReader> m_reader;
    std::optional<Error> m_error;
};

} // namespace

Result<void> forEachFailure(const ImportReport &report, const std::function<bool(const RowFailure &)> &visit)
{
    FailureCursor cursor(report);
    RowFailure failure;
    while (cursor.next(failure)) {
        if (!visit(failure))
            return {};
    }
    if (cursor.error())
        return *cursor.error();
    return {};
}

ExportOutcome writeFailures(const QString &outputPath, const ImportReport &report, const CsvOptions &options)
{
    QStringList header { QStringLiteral("line"), QStringLiteral("field"), QStringLiteral("reason") };
    header += report.header;
    QList<bool> text(3, false);
    for (const QString &h : report.header)
        text.append(CsvExport::isTextColumnName(h) || fieldForHeader(h) == Field::ZipCode
                    || fieldForHeader(h) == Field::PhoneNumber);
    FailureCursor cursor(report);
    RowFailure failure;
    ExportOutcome outcome = CsvExport::writeRows(
        outputPath, options, header, text,
        [&](QStringList &row) {
            if (!cursor.next(failure))
                return false;
            row = QStringList { QString::number(failure.line), failure.field, failure.reason }
                + failure.values;
            return true;
        },
        report.failedRows, {},
        // A spill that could not be read back must not leave a short file that looks complete.
        [&cursor] { return cursor.error(); });
    return outcome;
}

} // namespace ContactImport
