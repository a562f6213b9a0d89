#include "csv/csvexport.h"

#include "batch/batchjob.h"
#include "csv/previewcsv.h"
#include "emailtypes.h"
#include "engine.h"
#include "explain.h"
#include "items/contactcolumn.h"
#include "storage/contactreader.h"
#include "storage/contactsource.h"
#include "storage/csvsqlite.h"
#include "storage/pg/pgconnection.h"
#include "storage/pg/pgcontactsource.h"
#include "storage/statement.h"

#include <QAbstractItemModel>
#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QPromise>
#include <QSaveFile>
#include <QtConcurrent/QtConcurrentRun>

#include <algorithm>
#include <array>
#include <cstdio>

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("CsvExport", text);
}

Error fileError(const QString &path, const QString &what)
{
    return Error(CsvErrorKind::File, tr("Could not write %1: %2").arg(QDir::toNativeSeparators(path), what));
}

Error cancelledError(const QString &path)
{
    return Error(CsvErrorKind::Cancelled,
                 tr("Export to %1 cancelled; the file was not changed.").arg(QDir::toNativeSeparators(path)));
}

// How often the progress callback runs: often enough for a smooth bar, rarely enough to cost
// nothing measurable.
constexpr qint64 ProgressEvery = 4096;

// The open QSaveFile plus writer that every export shares: commit on success, discard otherwise.
class AtomicCsvFile
{
public:
    // `dbPath`: the database the rows come from, never to be overwritten (empty when none).
    AtomicCsvFile(const QString &path, const CsvOptions &options, const QString &dbPath = {})
        : m_path(path), m_dbPath(dbPath), m_file(path), m_writer(&m_file, options)
    { }

    std::optional<Error> open()
    {
        if (auto refused = CsvExport::checkOutputPath(m_path, m_dbPath))
            return refused;
        if (!m_file.open(QIODevice::WriteOnly))
            return fileError(m_path, m_file.errorString());
        return std::nullopt;
    }

    CsvWriter &writer() { return m_writer; }
    const QString &path() const { return m_path; }

    std::optional<Error> writeFailed() { return fileError(m_path, m_writer.errorString()); }

    std::optional<Error> commit()
    {
        if (!m_writer.flush())
            return writeFailed();
        if (!m_file.commit())
            return fileError(m_path, m_file.errorString());
        return std::nullopt;
    }

    void discard() { m_file.cancelWriting(); }

private:
    QString m_path;
    QString m_dbPath;
    QSaveFile m_file;
    CsvWriter m_writer;
};

// The 16-byte header of an SQLite database, and the first bytes of its WAL and rollback journal.
bool isSqliteFile(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return false;
    const QByteArray head = file.read(16);
    static constexpr unsigned char Journal[] = { 0xd9, 0xd5, 0x05, 0xf9, 0x20, 0xa1, 0x63, 0xd7 };
    return head == QByteArrayView("SQLite format 3\0", 16)
        || head.startsWith(QByteArrayView("\x37\x7f\x06\x82", 4))
        || head.startsWith(QByteArrayView("\x37\x7f\x06\x83", 4))
        || head.startsWith(QByteArrayView(reinterpret_cast<const char *>(Journal), sizeof Journal));
}

// The files SQLite keeps beside a database.
constexpr std::array<const char *, 3> CompanionSuffixes = { "-wal", "-shm", "-journal" };

QList<bool> textColumnsFor(const QStringList &names)
{
    QList<bool> text;
    text.reserve(names.size());
    for (const QString &n : names)
        text.append(CsvExport::isTextColumnName(n));
    return text;
}

// Runs `sql` and writes its rows to `out`: `writeHeader(stmt)` once after the statement is
// prepared, then `writeRow(stmt)` for each row (both return false when the file cannot be
// written). With `progress`, `countSql` gives the total first and cancel is noticed every so often.
template<typename WriteHeader, typename WriteRow>
ExportOutcome streamRows(const OrgDatabase &db, const QString &sql, const QString &countSql,
                         AtomicCsvFile &out, const CsvProgress &progress, const WriteHeader &writeHeader,
                         const WriteRow &writeRow)
{
    ExportOutcome outcome;
    const QString action = tr("read");
    qint64 total = -1;
    if (progress) {
        auto count = CsvSqlite::scalar(db, countSql, action);
        if (!count.ok()) {
            outcome.error = count.error();
            return outcome;
        }
        total = *count;
    }
    auto stmt = Statement::prepare(db, sql, action);
    if (!stmt.ok()) {
        outcome.error = CsvSqlite::fromDbError(stmt.error());
        return outcome;
    }
    const Statement &s = *stmt;
    if (!writeHeader(s)) {
        outcome.error = out.writeFailed();
        return outcome;
    }
    Result<bool> row = stmt->step();
    for (; row.ok() && *row; row = stmt->step()) {
        if (!writeRow(s)) {
            outcome.error = out.writeFailed();
            return outcome;
        }
        ++outcome.rows;
        if (progress && outcome.rows % ProgressEvery == 0 && !progress(outcome.rows, total)) {
            outcome.error = cancelledError(out.path());
            return outcome;
        }
    }
    if (!row)
        outcome.error = CsvSqlite::fromDbError(row.error());
    return outcome;
}

// Streams every row of `sql` (columns as stored, as UTF-8 bytes straight from SQLite) to `out`.
ExportOutcome streamQuery(const OrgDatabase &db, const QString &sql, const QString &countSql,
                          AtomicCsvFile &out, const CsvProgress &progress)
{
    std::vector<QByteArrayView> fields;
    const auto writeHeader = [&](const Statement &s) {
        const int columns = s.columnCount();
        QStringList header;
        for (int c = 0; c < columns; ++c)
            header.append(s.columnName(c));
        fields.resize(static_cast<size_t>(columns));
        out.writer().setTextColumns(textColumnsFor(header));
        return out.writer().writeHeader(header);
    };
    const auto writeRow = [&](const Statement &s) {
        for (size_t c = 0; c < fields.size(); ++c)
            fields[c] = s.utf8(int(c));
        return out.writer().writeRow(fields);
    };
    return streamRows(db, sql, countSql, out, progress, writeHeader, writeRow);
}

// The server's twin of streamRows: `select` streamed with COPY ... TO STDOUT, `writeRow(row)` for
// each row (false when the file cannot be written); cancel stops the server.
template<typename WriteRow>
ExportOutcome streamCopy(PgConnection &db, const QByteArray &select, const QByteArray &countSql,
                         AtomicCsvFile &out, const CsvProgress &progress, const WriteRow &writeRow)
{
    ExportOutcome outcome;
    const QString action = tr("read");
    qint64 total = -1;
    if (progress) {
        auto count = db.query(countSql, action);
        if (!count.ok()) {
            outcome.error = CsvSqlite::fromDbError(count.error());
            return outcome;
        }
        total = count->int64(0, 0);
    }
    bool writeFailed = false;
    bool cancelled = false;
    auto copied = db.copyOut("COPY (" + select + ") TO STDOUT", action, [&](const PgCopyRow &row) {
        if (!writeRow(row)) {
            writeFailed = true;
            return false;
        }
        ++outcome.rows;
        if (progress && outcome.rows % ProgressEvery == 0 && !progress(outcome.rows, total)) {
            cancelled = true;
            return false;
        }
        return true;
    });
    if (writeFailed)
        outcome.error = out.writeFailed();
    else if (cancelled)
        outcome.error = cancelledError(out.path());
    else if (!copied.ok())
        outcome.error = CsvSqlite::fromDbError(copied.error());
    return outcome;
}

// A server's REAL value as SQLite writes it ("%!.15g": 1.0, 0.1, 1.0e+20), so an exported
// organisation reads the same from both backends.
QByteArray sqliteRealText(QByteArrayView serverText)
{
    bool ok = false;
    const double value = serverText.toDouble(&ok);
    if (!ok)
        return serverText.toByteArray();
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "%.15g", value);
    QByteArray text(buffer);
    if (text.contains("inf") || text.contains("nan") || text.contains('.'))
        return text;
    const qsizetype exponent = text.indexOf('e');
    if (exponent < 0)
        return text + ".0";
    return text.insert(exponent, ".0");
}

// Every stored column of every contact on a server, in the table's column order and id order,
// as SQLite's `SELECT * FROM contacts ORDER BY id` gives them.
ExportOutcome exportContactsOnServer(PgConnection &db, AtomicCsvFile &out, const CsvProgress &progress)
{
    ExportOutcome outcome;
    auto described
        = db.query("SELECT attname, format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid "
                   "= to_regclass('contacts') AND attnum > 0 AND NOT attisdropped ORDER BY attnum",
                   tr("read the contacts table of"));
    if (!described.ok()) {
        outcome.error = CsvSqlite::fromDbError(described.error());
        return outcome;
    }
    QStringList header;
    std::vector<bool> real;
    QByteArray select = "SELECT ";
    bool hasId = false;
    for (int r = 0; r < described->rows(); ++r) {
        const QString name = described->text(r, 0);
        const QString type = described->text(r, 1);
        header.append(name);
        real.push_back(type == u"double precision" || type == u"real");
        select += (r ? ", " : "") + CsvSqlite::identifier(name).toUtf8() + "::text";
        hasId = hasId || name == u"id";
    }
    select += " FROM contacts";
    if (hasId)
        select += " ORDER BY contacts.\"id\""; // the column, not the text of the output
    out.writer().setTextColumns(textColumnsFor(header));
    if (!out.writer().writeHeader(header)) {
        outcome.error = out.writeFailed();
        return outcome;
    }
    std::vector<QByteArrayView> fields(real.size());
    std::vector<QByteArray> reals(real.size());
    return streamCopy(db, select, "SELECT count(*) FROM contacts", out, progress, [&](const PgCopyRow &row) {
        for (std::size_t c = 0; c < fields.size(); ++c) {
            fields[c] = row.utf8(int(c));
            if (real[c] && !row.isNull(int(c))) {
                reals[c] = sqliteRealText(fields[c]);
                fields[c] = reals[c];
            }
        }
        return out.writer().writeRow(fields);
    });
}

// Problems are computed, not stored: every contact goes through Engine::checkContact, read in
// slices of ids so memory stays flat and cancel is noticed between slices.
ExportOutcome exportProblems(const QString &database, QDate today, AtomicCsvFile &out,
                             const CsvProgress &progress)
{
    ExportOutcome outcome;
    // Either backend: the same rows in the same order.
    auto reader = ContactReader::open(database);
    if (!reader.ok()) {
        outcome.error = CsvSqlite::fromDbError(reader.error());
        return outcome;
    }
    const ContactReader &source = **reader;
    auto ids = source.scanIds();
    if (!ids.ok()) {
        outcome.error = CsvSqlite::fromDbError(ids.error());
        return outcome;
    }
    const QStringList header { QStringLiteral("contact_id"), QStringLiteral("first_name"),
                               QStringLiteral("last_name"),  QStringLiteral("email"),
                               QStringLiteral("severity"),   QStringLiteral("problem_code"),
                               QStringLiteral("message") };
    out.writer().setTextColumns(textColumnsFor(header));
    if (!out.writer().writeHeader(header)) {
        outcome.error = out.writeFailed();
        return outcome;
    }
    const QDate day = today.isValid() ? today : QDate::currentDate();
    const std::vector<qint64> &all = ids->ids;
    const qint64 total = qint64(all.size());
    // Rows whose id names no single contact: those without a whole number first (no
    // contact_id), those sharing an id just before that id's other problems.
    auto writeIdProblem = [&](const ContactIdProblem &row) {
        const Problem p = ContactSource::idProblem(row);
        const QStringList fields { row.duplicate ? QString::number(row.sharedId) : QString(),
                                   QString(),
                                   QString(),
                                   QString(),
                                   severityName(p.severity),
                                   problemCodeName(p.code),
                                   p.message };
        if (!out.writer().writeRow(fields)) {
            outcome.error = out.writeFailed();
            return false;
        }
        ++outcome.rows;
        return true;
    };
    for (const ContactIdProblem &row : ids->invalid) {
        if (!writeIdProblem(row))
            return outcome;
    }
    size_t nextDuplicate = 0;
    auto writeDuplicatesUpTo = [&](qint64 id) {
        while (outcome.ok() && nextDuplicate < ids->duplicates.size()
               && ids->duplicates[nextDuplicate].sharedId <= id)
            writeIdProblem(ids->duplicates[nextDuplicate++]);
    };
    constexpr size_t Slice = 4096;
    for (size_t first = 0; first < all.size() && outcome.ok(); first += Slice) {
        const size_t last = std::min(all.size(), first + Slice) - 1;
        auto read = source.readRange(
            all[first], all[last], ContactSource::Fields::All,
            [&](const Contact &contact, std::span<const HistoryEntry>) {
                writeDuplicatesUpTo(contact.id);
                if (!outcome.ok())
                    return;
                if (nextDuplicate > 0 && ids->duplicates[nextDuplicate - 1].sharedId == contact.id)
                    return; // one of the rows sharing an id: reported above as duplicate_id only
                const ContactFacts facts = Engine::checkContact(contact, day);
                for (const Problem &p : facts.problems) {
                    const QStringList row {
                        QString::number(contact.id), contact.firstName,       contact.lastName, contact.email,
                        severityName(p.severity),    problemCodeName(p.code), p.message
                    };
                    if (!out.writer().writeRow(row)) {
                        outcome.error = out.writeFailed();
                        return;
                    }
                    ++outcome.rows;
                }
            });
        if (!read.ok() && outcome.ok())
            outcome.error = CsvSqlite::fromDbError(read.error());
        if (outcome.ok() && progress && !progress(qint64(last + 1), total))
            outcome.error = cancelledError(out.path());
    }
    writeDuplicatesUpTo(std::numeric_limits<qint64>::max());
    return outcome;
}

// The contact table's view: ids from the same ContactQuery::buildIndex the table uses (8 bytes a
// row), then rows read in slices of ids and written with the table's display texts, so memory
// does not grow with the rows beyond the id list.
ExportOutcome exportContactView(const ExportRequest::ContactView &view, const QString &dbPath,
                                AtomicCsvFile &out, const CsvProgress &progress)
{
    ExportOutcome outcome;
    ContactQuery query;
    if (const Result<void> opened = query.open(dbPath); !opened.ok()) {
        outcome.error = Error(CsvErrorKind::Database, opened.error().message);
        return outcome;
    }
    const auto cancelled = [&progress] { return progress && !progress(0, -1); };
    const Result<QList<qint64>> index = query.buildIndex(view.index, cancelled);
    if (!index.ok()) {
        outcome.error = index.error().is(DbErrorKind::Cancelled)
            ? cancelledError(out.path())
            : Error(CsvErrorKind::Database, index.error().message);
        return outcome;
    }
    out.writer().setTextColumns(textColumnsFor(view.headers));
    if (!out.writer().writeHeader(view.headers)) {
        outcome.error = out.writeFailed();
        return outcome;
    }
    const QList<qint64> &ids = *index;
    const qint64 total = ids.size();
    // Bound by SQLite's host-parameter limit (fetchRows binds one per id).
    constexpr qsizetype Slice = 500;
    QStringList fields;
    for (qsizetype first = 0; first < ids.size(); first += Slice) {
        const Result<QList<ContactRow>> rows = query.fetchRows(ids.mid(first, Slice), view.index.today);
        if (!rows.ok()) {
            outcome.error = Error(CsvErrorKind::Database, rows.error().message);
            return outcome;
        }
        for (const ContactRow &row : *rows) {
            fields.clear();
            for (const int column : view.columns)
                fields.append(column == ContactColumn::Problems
                                  ? problemSummary(row.problems)
                                  : ContactColumn::rawText(row.contact, column));
            if (!out.writer().writeRow(fields)) {
                outcome.error = out.writeFailed();
                return outcome;
            }
            ++outcome.rows;
        }
        if (progress && !progress(outcome.rows, total)) {
            outcome.error = cancelledError(out.path());
            return outcome;
        }
    }
    return outcome;
}

// Another program's machine name ("SCHEDULED_RATE_INCREASE", "followup_1_cold", "failed") as
// words ("Scheduled rate increase", "Followup 1 cold", "Failed"); other text stays as stored.
QString humanised(const QString &stored)
{
    const QString t = stored.trimmed();
    const bool identifier = !t.isEmpty() && std::all_of(t.begin(), t.end(), [](QChar c) {
        return (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z') || (c >= u'0' && c <= u'9') || c == u'_'
            || c == u'-';
    });
    if (!identifier)
        return stored;
    QString words = t.toLower();
    words.replace(u'_', u' ');
    words[0] = words[0].toUpper();
    return words;
}

// Email types, statuses and skip reasons of the stored schedule in the words staff use; a
// value the program does not know (another program's type or status) is humanised.
QString staffEmailType(const QString &stored, bool inSentence = false)
{
    const std::optional<EmailType> type = emailTypeFromName(stored);
    if (!type)
        return inSentence ? stored : humanised(stored);
    switch (*type) {
    case EmailType::Birthday:
        return inSentence ? tr("birthday") : tr("Birthday");
    case EmailType::EffectiveDate:
        return inSentence ? tr("policy anniversary") : tr("Policy anniversary");
    case EmailType::Aep:
        return tr("Annual Enrollment");
    case EmailType::PostWindow:
        return inSentence ? tr("follow-up") : tr("Follow-up");
    case EmailType::Campaign:
        return inSentence ? tr("campaign") : tr("Campaign");
    case EmailType::FollowupCold:
        return inSentence ? tr("follow-up (no response)") : tr("Follow-up (no response)");
    case EmailType::FollowupClickedNoHq:
        return inSentence ? tr("follow-up (clicked)") : tr("Follow-up (clicked)");
    case EmailType::FollowupHqNoYes:
        return inSentence ? tr("follow-up (health answers, no yes)")
                          : tr("Follow-up (health answers, no yes)");
    case EmailType::FollowupHqWithYes:
        return inSentence ? tr("follow-up (health answers with a yes)")
                          : tr("Follow-up (health answers with a yes)");
    }
    return stored;
}

QString staffStatus(const QString &stored)
{
    const QString s = stored.trimmed().toLower();
    if (s == u"pre-scheduled" || s == u"scheduled")
        return tr("Scheduled");
    if (s == u"skipped")
        return tr("Skipped");
    if (s == u"sent")
        return tr("Sent");
    return humanised(stored);
}

QString staffSkipReason(SkipReason reason)
{
    switch (reason) {
    case SkipReason::AlreadySent:
        return tr("Already sent");
    case SkipReason::BirthdayWindow:
        return tr("State birthday rule");
    case SkipReason::EffectiveDateWindow:
        return tr("State policy anniversary rule");
    case SkipReason::YearRound:
        return tr("State allows plan changes all year");
    case SkipReason::Spacing:
        return tr("Too close to another email");
    case SkipReason::FrequencyLimit:
        return tr("Too many emails in a short time");
    case SkipReason::FailedUnderwriting:
        return tr("Failed underwriting");
    case SkipReason::CampaignConflict:
        return tr("Another campaign that day");
    case SkipReason::None:
        break;
    }
    return {};
}

// skip_reason is "<code>: <detail>" (the detail already in plain words) or a code alone; a
// scheduled email may carry a catch-up note instead.
QString staffReason(const QString &skipReason, const QString &catchupNote)
{
    const QString stored = skipReason.trimmed();
    if (stored.isEmpty()) {
        QString note = catchupNote.trimmed();
        if (!note.isEmpty())
            note[0] = note[0].toUpper();
        return note;
    }
    const qsizetype colon = stored.indexOf(u':');
    const std::optional<SkipReason> code
        = skipReasonFromCode(colon < 0 ? QStringView(stored) : QStringView(stored).first(colon));
    if (!code || *code == SkipReason::None)
        return stored;
    QString detail = colon < 0 ? QString() : stored.sliced(colon + 1).trimmed();
    if (detail.isEmpty())
        return staffSkipReason(*code);
    // The spacing detail names the other email by its machine type.
    for (int t = 0; t < EmailTypeCount; ++t) {
        const QString machine = emailTypeName(EmailType(t));
        detail.replace(QStringLiteral("the ") + machine + QStringLiteral(" email"),
                       QStringLiteral("the ") + staffEmailType(machine, true) + QStringLiteral(" email"));
    }
    detail[0] = detail[0].toUpper();
    return detail;
}

// The stored schedule for staff: one row per email with the contact's name and email, sorted by
// contact, then send date, then type. Columns another program's table lacks are left empty.
// `server`: the organisation is on PostgreSQL (else `db` is the SQLite file); the same rows in
// the same order either way (values read as text, types compared byte by byte).
ExportOutcome exportSchedule(const OrgDatabase *db, PgConnection *server, AtomicCsvFile &out,
                             const CsvProgress &progress)
{
    const QString schedules = QStringLiteral("email_schedules");
    const QString contacts = QStringLiteral("contacts");
    const QStringList scheduleColumns = server ? server->columns(schedules) : db->columns(schedules);
    const QStringList contactColumns = server ? server->columns(contacts) : db->columns(contacts);
    const bool join = contactColumns.contains(QStringLiteral("id"), Qt::CaseInsensitive);
    const auto column = [&](const QStringList &have, QStringView table, const char *name) -> QString {
        const QString n = QString::fromLatin1(name);
        if (!have.contains(n, Qt::CaseInsensitive) || (table == u"c" && !join))
            return QStringLiteral("NULL");
        return table + u'.' + CsvSqlite::identifier(n);
    };
    const auto shown = [&](const QStringList &have, QStringView table, const char *name) -> QString {
        const QString value = column(have, table, name);
        return server ? value + QStringLiteral("::text") : value;
    };
    const QString select = QStringLiteral("SELECT ") + shown(scheduleColumns, u"s", "contact_id") + u','
        + shown(contactColumns, u"c", "first_name") + u',' + shown(contactColumns, u"c", "last_name") + u','
        + shown(contactColumns, u"c", "email") + u',' + shown(scheduleColumns, u"s", "email_type") + u','
        + shown(scheduleColumns, u"s", "scheduled_send_date") + u',' + shown(scheduleColumns, u"s", "status")
        + u',' + shown(scheduleColumns, u"s", "skip_reason") + u','
        + shown(scheduleColumns, u"s", "catchup_note") + QStringLiteral(" FROM email_schedules AS s")
        + (join ? QStringLiteral(" LEFT JOIN contacts AS c ON c.\"id\" = s.\"contact_id\"") : QString());
    const QStringList header { tr("Contact ID"), tr("First name"), tr("Last name"), tr("Email"),
                               tr("Email type"), tr("Send date"),  tr("Status"),    tr("Reason") };
    const auto row = [](const auto &text) {
        return QStringList { text(0),
                             text(1),
                             text(2),
                             text(3),
                             staffEmailType(text(4)),
                             text(5),
                             staffStatus(text(6)),
                             staffReason(text(7), text(8)) };
    };
    if (server) {
        ExportOutcome outcome;
        if (!out.writer().writeHeader(header)) {
            outcome.error = out.writeFailed();
            return outcome;
        }
        // SQLite's order: the id as a number, the date (YYYY-MM-DD sorts as text does), the type
        // as bytes (BINARY), whatever the server's collation.
        const QString order = QStringLiteral(" ORDER BY ") + column(scheduleColumns, u"s", "contact_id")
            + u',' + shown(scheduleColumns, u"s", "scheduled_send_date") + QStringLiteral(" COLLATE \"C\",")
            + shown(scheduleColumns, u"s", "email_type") + QStringLiteral(" COLLATE \"C\"");
        return streamCopy(*server, (select + order).toUtf8(), "SELECT count(*) FROM email_schedules", out,
                          progress, [&](const PgCopyRow &r) {
                              return out.writer().writeRow(row([&r](int c) -> QString { return r.text(c); }));
                          });
    }
    const auto writeHeader = [&](const Statement &) { return out.writer().writeHeader(header); };
    const auto writeRow = [&](const Statement &s) {
        return out.writer().writeRow(row([&s](int c) -> QString { return s.text(c); }));
    };
    return streamRows(*db, select + QStringLiteral(" ORDER BY 1, 6, 5"),
                      QStringLiteral("SELECT COUNT(*) FROM email_schedules"), out, progress, writeHeader,
                      writeRow);
}

ExportOutcome finishOutcome(ExportOutcome outcome, AtomicCsvFile &out)
{
    if (outcome.ok()) {
        if (auto err = out.commit())
            outcome.error = err;
    } else {
        out.discard();
    }
    return outcome;
}

} // namespace

namespace CsvExport {

std::optional<ExportRequest::What> whatFromName(QStringView name)
{
    if (name == u"schedule")
        return ExportRequest::What::Schedule;
    if (name == u"contacts")
        return ExportRequest::What::Contacts;
    if (name == u"problems")
        return ExportRequest::What::Problems;
    return std::nullopt;
}

ExportOutcome exportPreview(const BatchResult &batch, const QString &outputPath, const CsvOptions &options,
                            const CsvProgress &progress)
{
    // The CLI's writer (PreviewCsv), with the options the user chose.
    ExportOutcome outcome;
    AtomicCsvFile out(outputPath, options);
    if (auto err = out.open()) {
        outcome.error = err;
        return outcome;
    }
    switch (PreviewCsv::write(out.writer(), batch, progress)) {
    case PreviewCsv::Outcome::Written:
        outcome.rows = out.writer().rowsWritten();
        break;
    case PreviewCsv::Outcome::Cancelled:
        outcome.error = cancelledError(outputPath);
        break;
    case PreviewCsv::Outcome::Failed:
        outcome.error = out.writeFailed();
        break;
    }
    return finishOutcome(std::move(outcome), out);
}

QFuture<ExportOutcome> exportPreviewAsync(std::shared_ptr<const BatchResult> batch, const QString &outputPath,
                                          const CsvOptions &options)
{
    return QtConcurrent::run([batch, outputPath, options](QPromise<ExportOutcome> &promise) {
        promise.setProgressRange(0, 1000);
        promise.addResult(exportPreview(*batch, outputPath, options, [&promise](qint64 done, qint64 total) {
            if (total > 0)
                promise.setProgressValue(int(qMin<qint64>(1000, done * 1000 / total)));
            return !promise.isCanceled();
        }));
    });
}

bool isTextColumnName(QStringView name)
{
    return name.contains(u"zip", Qt::CaseInsensitive) || name.contains(u"postal", Qt::CaseInsensitive)
        || name.contains(u"phone", Qt::CaseInsensitive);
}

ExportOutcome run(const ExportRequest &request, const CsvProgress &progress)
{
    ExportOutcome outcome;
    // Open the database first: a missing database must not leave an empty CSV behind. A
    // connection spec names an organisation on a PostgreSQL server.
    const bool onServer = PgSpec::isConnectionSpec(request.dbPath);
    std::optional<OrgDatabase> db;
    std::unique_ptr<PgContactSource> server;
    if (onServer) {
        auto opened = PgContactSource::open(request.dbPath);
        if (!opened.ok()) {
            outcome.error = CsvSqlite::fromDbError(opened.error());
            return outcome;
        }
        server = std::move(opened).value();
    } else {
        auto opened = OrgDatabase::open(request.dbPath, OrgDatabase::Mode::ReadOnly);
        if (!opened.ok()) {
            outcome.error = CsvSqlite::fromDbError(opened.error());
            return outcome;
        }
        db.emplace(std::move(opened).value());
    }
    const QString schedules = QStringLiteral("email_schedules");
    if (request.what == ExportRequest::What::Schedule
        && !(server ? server->connection().hasTable(schedules) : db->hasTable(schedules))) {
        outcome.error
            = Error(CsvErrorKind::Database,
                    tr("%1 has no schedule yet (no email_schedules table). Run the scheduler first.")
                        .arg(onServer ? PgSpec::displayName(request.dbPath)
                                      : QDir::toNativeSeparators(request.dbPath)));
        return outcome;
    }
    AtomicCsvFile out(request.outputPath, request.options, onServer ? QString() : request.dbPath);
    if (auto err = out.open()) {
        outcome.error = err;
        return outcome;
    }
    switch (request.what) {
    case ExportRequest::What::Schedule:
        outcome
            = exportSchedule(db ? &*db : nullptr, server ? &server->connection() : nullptr, out, progress);
        break;
    case ExportRequest::What::Contacts:
        if (request.contactView) {
            outcome = exportContactView(*request.contactView, request.dbPath, out, progress);
            break;
        }
        if (server) {
            outcome = exportContactsOnServer(server->connection(), out, progress);
            break;
        }
        outcome = streamQuery(*db, QStringLiteral("SELECT * FROM contacts ORDER BY id"),
                              QStringLiteral("SELECT COUNT(*) FROM contacts"), out, progress);
        break;
    case ExportRequest::What::Problems:
        outcome = exportProblems(request.dbPath, request.today, out, progress);
        break;
    }
    return finishOutcome(std::move(outcome), out);
}

QFuture<ExportOutcome> runAsync(const ExportRequest &request)
{
    return QtConcurrent::run([request](QPromise<ExportOutcome> &promise) {
        promise.setProgressRange(0, 1000);
        const ExportOutcome outcome = run(request, [&promise](qint64 done, qint64 total) {
            if (total > 0)
                promise.setProgressValue(int(qMin<qint64>(1000, done * 1000 / total)));
            promise.suspendIfRequested();
            return !promise.isCanceled();
        });
        promise.addResult(outcome);
    });
}

std::optional<Error> checkOutputPath(const QString &outputPath, const QString &dbPath)
{
    const QString shown = QDir::toNativeSeparators(outputPath);
    const auto refuse = [&shown](const QString &why) {
        return Error(CsvErrorKind::File, tr("Will not write %1: %2").arg(shown, why));
    };
    if (outputPath.isEmpty())
        return Error(CsvErrorKind::File, tr("No file name given for the CSV file."));
    // QFileInfo follows symbolic links: a link to the database is the database.
    const QFileInfo info(outputPath);
    const QString database = dbPath.isEmpty() ? QString() : QFileInfo(dbPath).canonicalFilePath();
    if (!database.isEmpty()) {
        // The file itself when it exists, else where it would be created.
        const QString target = info.exists()
            ? info.canonicalFilePath()
            : QDir(info.absolutePath()).canonicalPath() + u'/' + info.fileName();
        if (target == database)
            return refuse(
                tr("it is the database %1; choose another file name").arg(QDir::toNativeSeparators(dbPath)));
        for (const char *suffix : CompanionSuffixes) {
            if (target == database + QLatin1StringView(suffix))
                return refuse(tr("it belongs to the database %1; choose another file name")
                                  .arg(QDir::toNativeSeparators(dbPath)));
        }
    }
    if (info.exists()) {
        if (info.isDir())
            return refuse(tr("it is a folder; give a file name"));
        if (!info.isFile())
            return refuse(tr("it is not a regular file (a device, pipe or socket); give a file name"));
        if (isSqliteFile(outputPath))
            return refuse(tr("it is an SQLite database or journal, which a CSV file would replace; choose "
                             "another file name"));
    }
    // A database's -wal, -shm or -journal file, even before SQLite created it.
    for (const char *suffix : CompanionSuffixes) {
        const QLatin1StringView s(suffix);
        if (outputPath.endsWith(s) && isSqliteFile(outputPath.chopped(s.size())))
            return refuse(tr("it belongs to the database %1; choose another file name")
                              .arg(QDir::toNativeSeparators(outputPath.chopped(s.size()))));
    }
    // QSaveFile writes beside the target; a missing folder gives a clearer message than
    // the system's "No such file or directory".
    if (!info.absoluteDir().exists())
        return fileError(
            outputPath,
            tr("the folder %1 does not exist").arg(QDir::toNativeSeparators(info.absolutePath())));
    return std::nullopt;
}

ExportOutcome writeRows(const QString &outputPath, const CsvOptions &options, const QStringList &header,
                        const QList<bool> &textColumns, const std::function<bool(QStringList &row)> &next,
                        qint64 total, const CsvProgress &progress,
                        const std::function<std::optional<Error>()> &beforeCommit)
{
    ExportOutcome outcome;
    AtomicCsvFile out(outputPath, options);
    if (auto err = out.open()) {
        outcome.error = err;
        return outcome;
    }
    out.writer().setTextColumns(textColumns);
    if (!out.writer().writeHeader(header))
        outcome.error = out.writeFailed();
    QStringList row;
    while (outcome.ok() && next(row)) {
        if (!out.writer().writeRow(row)) {
            outcome.error = out.writeFailed();
            break;
        }
        ++outcome.rows;
        if (progress && outcome.rows % ProgressEvery == 0 && !progress(outcome.rows, total))
            outcome.error = cancelledError(outputPath);
    }
    if (outcome.ok() && beforeCommit)
        outcome.error = beforeCommit();
    return finishOutcome(std::move(outcome), out);
}

} // namespace CsvExport

ModelCsvExport::ModelCsvExport(const QAbstractItemModel *model, const QString &outputPath,
                               const CsvOptions &options)
    : m_model(model), m_path(outputPath), m_options(options)
{ }

ModelCsvExport::~ModelCsvExport() = default;

qint64 ModelCsvExport::rowCount() const
{
    return m_model->rowCount();
}

Result<void> ModelCsvExport::start()
{
    if (auto refused = CsvExport::checkOutputPath(m_path)) {
        m_error = refused;
        return *refused;
    }
    m_file = std::make_unique<QSaveFile>(m_path);
    if (!m_file->open(QIODevice::WriteOnly)) {
        Error err = fileError(m_path, m_file->errorString());
        m_file.reset();
        m_error = err;
        return err;
    }
    m_writer = std::make_unique<CsvWriter>(m_file.get(), m_options);
    QStringList header;
    const int columns = m_model->columnCount();
    for (int c = 0; c < columns; ++c)
        header.append(m_model->headerData(c, Qt::Horizontal, Qt::DisplayRole).toString());
    m_writer->setTextColumns(textColumnsFor(header));
    if (!m_writer->writeHeader(header)) {
        m_error = fileError(m_path, m_writer->errorString());
        return *m_error;
    }
    return {};
}

bool ModelCsvExport::writeSome(int count)
{
    if (!m_writer || m_error)
        return false;
    const int columns = m_model->columnCount();
    QStringList row;
    for (int i = 0; i < count; ++i) {
        if (m_row >= m_model->rowCount()) {
            // A lazy model (fetchMore) holds only what was shown; the view's rows are all of them.
            if (!m_model->canFetchMore(QModelIndex()))
                return false;
            const_cast<QAbstractItemModel *>(m_model)->fetchMore(QModelIndex());
            if (m_row >= m_model->rowCount())
                return false;
        }
        row.clear();
        for (int c = 0; c < columns; ++c)
            row.append(m_model->index(m_row, c).data(Qt::DisplayRole).toString());
        if (!m_writer->writeRow(row)) {
            m_error = fileError(m_path, m_writer->errorString());
            return false;
        }
        ++m_row;
    }
    return true;
}

ExportOutcome ModelCsvExport::finish()
{
    ExportOutcome outcome;
    outcome.rows = m_row;
    if (m_error) {
        outcome.error = m_error;
    } else if (!m_writer) {
        outcome.error = fileError(m_path, tr("the export was not started"));
    } else if (!m_writer->flush()) {
        outcome.error = fileError(m_path, m_writer->errorString());
    } else if (!m_file->commit()) {
        outcome.error = fileError(m_path, m_file->errorString());
    }
    if (!outcome.ok() && m_file)
        m_file->cancelWriting();
    m_writer.reset();
    m_file.reset();
    return outcome;
}

void ModelCsvExport::cancel()
{
    if (m_file)
        m_file->cancelWriting();
    m_writer.reset();
    m_file.reset();
    m_error = cancelledError(m_path);
}
