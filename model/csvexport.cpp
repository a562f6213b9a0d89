#include "csvexport.h"

#include "batchjob.h"
#include "contactcolumn.h"
#include "contactsource.h"
#include "csvsqlite.h"
#include "engine.h"
#include "explain.h"

#include <QAbstractItemModel>
#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QPromise>
#include <QSaveFile>
#include <QtConcurrent/QtConcurrentRun>

#include <sqlite3.h>

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("CsvExport", text);
}

Error fileError(const QString &path, const QString &what)
{
    return Error { tr("Could not write %1: %2").arg(QDir::toNativeSeparators(path), what),
                   int(CsvErrorKind::File) };
}

Error cancelledError(const QString &path)
{
    return Error {
        tr("Export to %1 cancelled; the file was not changed.").arg(QDir::toNativeSeparators(path)),
        int(CsvErrorKind::Cancelled)
    };
}

// How often the progress callback runs: often enough for a smooth bar, rarely enough to cost
// nothing measurable.
constexpr qint64 ProgressEvery = 4096;

// The open QSaveFile plus writer that every export shares: commit on success, discard otherwise.
class AtomicCsvFile
{
public:
    AtomicCsvFile(const QString &path, const CsvOptions &options)
        : m_path(path), m_file(path), m_writer(&m_file, options)
    { }

    std::optional<Error> open()
    {
        // QSaveFile writes beside the target; a missing folder gives a clearer message than
        // the system's "No such file or directory".
        const QFileInfo info(m_path);
        if (!info.absoluteDir().exists())
            return fileError(
                m_path,
                tr("the folder %1 does not exist").arg(QDir::toNativeSeparators(info.absolutePath())));
        if (info.isDir())
            return fileError(m_path, tr("it is a folder"));
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
    QSaveFile m_file;
    CsvWriter m_writer;
};

QList<bool> textColumnsFor(const QStringList &names)
{
    QList<bool> text;
    text.reserve(names.size());
    for (const QString &n : names)
        text.append(CsvExport::isTextColumnName(n));
    return text;
}

// Streams every row of `sql` (columns as stored, as UTF-8 bytes straight from SQLite) to `out`.
ExportOutcome streamQuery(const OrgDatabase &db, const QString &sql, const QString &countSql,
                          AtomicCsvFile &out, const CsvProgress &progress)
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
    auto stmt = CsvSqlite::prepare(db, sql, action);
    if (!stmt.ok()) {
        outcome.error = stmt.error();
        return outcome;
    }
    sqlite3_stmt *s = stmt->get();
    const int columns = sqlite3_column_count(s);
    QStringList header;
    for (int c = 0; c < columns; ++c)
        header.append(QString::fromUtf8(sqlite3_column_name(s, c)));
    out.writer().setTextColumns(textColumnsFor(header));
    if (!out.writer().writeHeader(header)) {
        outcome.error = out.writeFailed();
        return outcome;
    }
    std::vector<QByteArrayView> fields(static_cast<size_t>(columns));
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        for (int c = 0; c < columns; ++c) {
            const auto *text = reinterpret_cast<const char *>(sqlite3_column_text(s, c));
            fields[size_t(c)] = text ? QByteArrayView(text, sqlite3_column_bytes(s, c)) : QByteArrayView();
        }
        if (!out.writer().writeRow(fields)) {
            outcome.error = out.writeFailed();
            return outcome;
        }
        ++outcome.rows;
        if (progress && outcome.rows % ProgressEvery == 0 && !progress(outcome.rows, total)) {
            outcome.error = cancelledError(out.path());
            return outcome;
        }
    }
    if (rc != SQLITE_DONE)
        outcome.error = CsvSqlite::sqlError(db, rc, action);
    return outcome;
}

// Problems are computed, not stored: every contact goes through Engine::checkContact, read in
// slices of ids so memory stays flat and cancel is noticed between slices.
ExportOutcome exportProblems(OrgDatabase &db, QDate today, AtomicCsvFile &out, const CsvProgress &progress)
{
    ExportOutcome outcome;
    ContactSource source(db);
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
        const QStringList fields { row.duplicate ? QString::number(row.sharedId) : QString(), QString(), QString(),
                                   QString(), severityName(p.severity), problemCodeName(p.code), p.message };
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
        outcome.error = Error { opened.error().message, int(CsvErrorKind::Database) };
        return outcome;
    }
    const auto cancelled = [&progress] { return progress && !progress(0, -1); };
    const Result<QList<qint64>> index = query.buildIndex(view.index, cancelled);
    if (!index.ok()) {
        outcome.error = index.error().code == ContactQuery::Cancelled
            ? cancelledError(out.path())
            : Error { index.error().message, int(CsvErrorKind::Database) };
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
            outcome.error = Error { rows.error().message, int(CsvErrorKind::Database) };
            return outcome;
        }
        for (const ContactRow &row : *rows) {
            fields.clear();
            for (const int column : view.columns)
                fields.append(column == ContactColumn::Problems ? problemSummary(row.problems)
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
    // One contact's rows at a time, sorted as the CLI sorts them: date (empty first), type,
    // reason code.
    struct Row
    {
        QDate date;
        QString type, status, reason, detail;
    };
    size_t next = 0;
    std::vector<Row> rows;
    size_t rowIndex = 0;
    QString contactId;
    size_t nextInvalid = 0;
    const auto fill = [&]() {
        while (rowIndex >= rows.size()) {
            // Rows without a usable id first, with an empty contact_id, as the CLI writes them.
            if (nextInvalid < batch.invalidRows.size()) {
                const Problem &p = batch.invalidRows[nextInvalid++].problem;
                rows.clear();
                rowIndex = 0;
                contactId.clear();
                rows.push_back({ QDate(), QString(), severityName(p.severity), problemCodeName(p.code), p.message });
                continue;
            }
            if (next >= batch.schedules.size())
                return false;
            const ContactSchedule &schedule = batch.schedules[next++];
            rows.clear();
            rowIndex = 0;
            contactId = QString::number(schedule.contactId);
            for (const Problem &p : schedule.problems)
                rows.push_back(
                    { QDate(), QString(), severityName(p.severity), problemCodeName(p.code), p.message });
            for (const ScheduledEmail &e : schedule.emails)
                rows.push_back({ e.date, emailTypeName(e.type), emailStatusName(e.status),
                                 skipReasonCode(e.reason), Explain::detail(schedule, e) });
            std::stable_sort(rows.begin(), rows.end(), [](const Row &a, const Row &b) {
                const qint64 da
                    = a.date.isValid() ? a.date.toJulianDay() : std::numeric_limits<qint64>::min();
                const qint64 db
                    = b.date.isValid() ? b.date.toJulianDay() : std::numeric_limits<qint64>::min();
                if (da != db)
                    return da < db;
                if (a.type != b.type)
                    return a.type < b.type;
                return a.reason < b.reason;
            });
        }
        return true;
    };
    const QStringList header { QStringLiteral("contact_id"),          QStringLiteral("email_type"),
                               QStringLiteral("scheduled_send_date"), QStringLiteral("status"),
                               QStringLiteral("reason_code"),         QStringLiteral("detail") };
    const CsvProgress perContact = progress
        ? CsvProgress([&](qint64, qint64) { return progress(qint64(next), qint64(batch.schedules.size())); })
        : CsvProgress();
    return writeRows(
        outputPath, options, header, {},
        [&](QStringList &out) {
            if (!fill())
                return false;
            const Row &r = rows[rowIndex++];
            out = QStringList {
                contactId, r.type,   r.date.isValid() ? r.date.toString(Qt::ISODate) : QString(),
                r.status,  r.reason, r.detail
            };
            return true;
        },
        -1, perContact);
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
    // Open the database first: a missing database must not leave an empty CSV behind.
    auto db = OrgDatabase::open(request.dbPath, OrgDatabase::Mode::ReadOnly);
    if (!db.ok()) {
        outcome.error = CsvSqlite::fromDbError(db.error());
        return outcome;
    }
    if (request.what == ExportRequest::What::Schedule && !db->hasTable(QStringLiteral("email_schedules"))) {
        outcome.error
            = Error { tr("%1 has no schedule yet (no email_schedules table). Run the scheduler first.")
                          .arg(QDir::toNativeSeparators(request.dbPath)),
                      int(CsvErrorKind::Database) };
        return outcome;
    }
    AtomicCsvFile out(request.outputPath, request.options);
    if (auto err = out.open()) {
        outcome.error = err;
        return outcome;
    }
    switch (request.what) {
    case ExportRequest::What::Schedule:
        // The unique index (contact_id, email_type, scheduled_send_date) serves this order,
        // so SQLite streams without sorting a million rows in memory.
        outcome = streamQuery(*db,
                              QStringLiteral("SELECT * FROM email_schedules ORDER BY contact_id, email_type, "
                                             "scheduled_send_date"),
                              QStringLiteral("SELECT COUNT(*) FROM email_schedules"), out, progress);
        break;
    case ExportRequest::What::Contacts:
        if (request.contactView) {
            outcome = exportContactView(*request.contactView, request.dbPath, out, progress);
            break;
        }
        outcome = streamQuery(*db, QStringLiteral("SELECT * FROM contacts ORDER BY id"),
                              QStringLiteral("SELECT COUNT(*) FROM contacts"), out, progress);
        break;
    case ExportRequest::What::Problems:
        outcome = exportProblems(*db, request.today, out, progress);
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

ExportOutcome writeRows(const QString &outputPath, const CsvOptions &options, const QStringList &header,
                        const QList<bool> &textColumns, const std::function<bool(QStringList &row)> &next,
                        qint64 total, const CsvProgress &progress)
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
    const QFileInfo info(m_path);
    if (!info.absoluteDir().exists())
        return fileError(
            m_path, tr("the folder %1 does not exist").arg(QDir::toNativeSeparators(info.absolutePath())));
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
