#pragma once

#include "csv/csverror.h"
#include "csv/csvwriter.h"
#include "result.h"
#include "storage/contactquery.h"

#include <QDate>
#include <QFuture>
#include <QString>
#include <QStringList>

#include <functional>
#include <memory>
#include <optional>

class QAbstractItemModel;
class QSaveFile;
struct BatchResult;

// Called every few thousand rows from the working thread; returning false cancels.
using CsvProgress = std::function<bool(qint64 done, qint64 total)>;

// One export, as chosen in the dialog or on the command line.
struct ExportRequest
{
    enum class What : quint8 { Schedule, Contacts, Problems };

    // The contact table as the user sees it: the same filter and sort the table's id index is
    // built with (ContactQuery::buildIndex), the visible columns in on-screen order and their
    // header texts; the values are the table's display texts.
    struct ContactView
    {
        ContactIndexRequest index;
        QList<int> columns;  // ContactColumn values
        QStringList headers; // one per column
    };

    // Schedule: the stored schedule in the words staff use, with each contact's name and email
    // (Contact ID, First name, Last name, Email, Email type, Send date, Status, Reason).
    What what = What::Schedule;
    QString dbPath;
    QString outputPath;
    CsvOptions options;
    QDate today; // Problems only: a birth date after today is invalid
    // Contacts only: when set, exactly the rows of that view in its order and columns, instead
    // of every stored column of every contact.
    std::optional<ContactView> contactView;
};

// What an export produced; default-constructible so it can travel through a QFuture.
struct ExportOutcome
{
    qint64 rows = 0;
    std::optional<Error> error; // empty on success
    bool ok() const { return !error.has_value(); }
};

// Streams stored data (rows read from SQLite one at a time) or a computed list to a CSV file
// written atomically through QSaveFile: on error or cancel the previous file stays untouched.
namespace CsvExport {

// "schedule", "contacts", "problems" (the CLI --what values); nullopt for anything else.
std::optional<ExportRequest::What> whatFromName(QStringView name);

// Blocking; for the CLI and for the worker thread of exportAsync().
ExportOutcome run(const ExportRequest &request, const CsvProgress &progress = {});

// Runs run() in QtConcurrent; progress is reported through the future (progressValue in
// per-mille) and QFuture::cancel() stops it, leaving the old file intact.
QFuture<ExportOutcome> runAsync(const ExportRequest &request);

// Writes rows produced by `next` (returns false when there are no more rows); `total` is only
// used for progress (-1 when unknown). The building block of the computed preview export.
// `beforeCommit`, when set, may still refuse the file (an error of the source of the rows):
// the previous file then stays.
ExportOutcome writeRows(const QString &outputPath, const CsvOptions &options, const QStringList &header,
                        const QList<bool> &textColumns, const std::function<bool(QStringList &row)> &next,
                        qint64 total = -1, const CsvProgress &progress = {},
                        const std::function<std::optional<Error>()> &beforeCommit = {});

// Whether a CSV file may be written at `outputPath`. Refused, with a one-line message naming
// the path: the database `dbPath` itself (also through a symbolic link) and its -wal, -shm and
// -journal files; any other SQLite database or journal (a CSV file would replace it); a folder;
// anything that is not a regular file (a FIFO, a device such as /dev/null, a socket). Every
// export, the failures file of an import and the CLI's --output go through this.
std::optional<Error> checkOutputPath(const QString &outputPath, const QString &dbPath = {});

// The computed preview of a run, with the columns and order of `email-scheduler-cli preview`
// (contact_id, email_type, scheduled_send_date, status, reason_code, detail). The batch is
// immutable and shared, so this may run in a worker thread.
ExportOutcome exportPreview(const BatchResult &batch, const QString &outputPath, const CsvOptions &options,
                            const CsvProgress &progress = {});
QFuture<ExportOutcome> exportPreviewAsync(std::shared_ptr<const BatchResult> batch, const QString &outputPath,
                                          const CsvOptions &options);

// Whether a column of this name holds text that must not become a number (ZIP, phone).
bool isTextColumnName(QStringView name);

} // namespace CsvExport

// Writes the rows of an item model (typically the filtered proxy the user is looking at) in
// slices, so the GUI thread can write a large view between events without freezing. Lives on
// the model's thread: item models are not thread-safe, so this never runs in a worker.
class ModelCsvExport
{
public:
    ModelCsvExport(const QAbstractItemModel *model, const QString &outputPath, const CsvOptions &options);
    ~ModelCsvExport();
    ModelCsvExport(const ModelCsvExport &) = delete;
    ModelCsvExport &operator=(const ModelCsvExport &) = delete;

    // Opens the temporary file and writes the header (display role of the horizontal header).
    Result<void> start();
    // Writes up to `count` more rows (fetching more from a lazy model when it can); returns
    // false once every row is written or an error happened (see error()).
    bool writeSome(int count);
    // Commits the file; afterwards the previous file is replaced.
    ExportOutcome finish();
    // Discards what was written; the previous file stays.
    void cancel();

    qint64 rowsDone() const { return m_row; }
    qint64 rowCount() const;
    std::optional<Error> error() const { return m_error; }

private:
    const QAbstractItemModel *m_model;
    QString m_path;
    CsvOptions m_options;
    std::unique_ptr<QSaveFile> m_file;
    std::unique_ptr<CsvWriter> m_writer;
    int m_row = 0;
    std::optional<Error> m_error;
};
