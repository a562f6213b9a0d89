#pragma once

#include "contact.h"
#include "csv/csvexport.h"
#include "csv/csvreader.h"
#include "result.h"

#include <QDate>
#include <QFuture>
#include <QList>
#include <QString>
#include <QStringList>

#include <array>
#include <functional>
#include <memory>
#include <optional>

// Importing contacts from a CSV file into an organisation database: column mapping with header
// synonyms, per-row checks by the rules engine (Engine::checkContact, not a copy of its rules),
// and one all-or-nothing transaction. Shared by the import dialog and `email-scheduler-cli import`.
namespace ContactImport {

// The contact fields a CSV column can be mapped onto; values are the `contacts` column names.
enum class Field : int {
    FirstName,
    LastName,
    Email,
    PhoneNumber,
    BirthDate,
    EffectiveDate,
    State,
    ZipCode,
    CurrentCarrier,
    PlanType,
    Gender,
    Status,
};
inline constexpr int FieldCount = 12;

QString columnName(Field field);  // "first_name", ... (also the key of a mapping file)
QString displayName(Field field); // "First name", ... (translated)
std::optional<Field> fieldFromColumnName(QStringView name);
// The field a CSV header names, through synonyms: "DOB", "Birthdate", "Date of Birth", "Zip",
// "Postal Code", "Effective Date", "E-mail", "First Name", ... (case, spaces, _ and - ignored).
std::optional<Field> fieldForHeader(QStringView header);

// Which CSV column (0-based) feeds each field; -1 when the field is not imported.
struct Mapping
{
    std::array<int, FieldCount> columns;

    Mapping() { columns.fill(-1); }
    int column(Field field) const { return columns[size_t(field)]; }
    void setColumn(Field field, int column) { columns[size_t(field)] = column; }
    bool isMapped(Field field) const { return column(field) >= 0; }

    // Each header cell onto the field it names (first column wins when two name the same field).
    static Mapping guess(const QStringList &header);
    // A JSON object field -> column header, e.g. {"birth_date": "DOB", "email": "E-mail"}.
    // Fields not listed are guessed from the header. Errors name the file and the key.
    static Result<Mapping> fromJson(const QByteArray &json, const QStringList &header,
                                    const QString &fileName);

    friend bool operator==(const Mapping &, const Mapping &) = default;
};

enum class OnConflict : quint8 { Skip, Update, Abort };
std::optional<OnConflict> onConflictFromName(QStringView name); // "skip", "update", "abort"

// Everything that decides how a file is read and checked.
struct ImportSettings
{
    QString csvPath;
    CsvDialect dialect;
    Mapping mapping;
    OnConflict onConflict = OnConflict::Skip;
    QDate today; // the checks' today (a birth date after it is invalid)
    // Removes the apostrophe an export put before =, +, -, @ so a round trip is lossless.
    bool undoFormulaGuard = true;
};

// A row that will not be imported, and why.
struct RowFailure
{
    qint64 line = 0;    // line of the file the record starts on (1-based, header included)
    QString field;      // `contacts` column name, empty when the whole row is at fault
    QString reason;     // readable
    QStringList values; // the record as read
};

// How one date column reads: the most common format and how many values parse.
struct DateColumnReport
{
    Field field = Field::BirthDate;
    QString format;    // "YYYY-MM-DD", "M/D/YYYY", ... or empty when the column is empty
    qint64 parsed = 0; // non-empty values that parse
    qint64 nonEmpty = 0;
};
// "YYYY-MM-DD", "YYYY/MM/DD", "M/D/YYYY", "M-D-YYYY", "MMDDYYYY", or empty for anything else.
QString dateFormatOf(QStringView value);

// The first records of a file, for the dialog's live preview.
struct FilePreview
{
    QStringList header;      // the first record when dialect.header, else "Column 1", ...
    QList<QStringList> rows; // up to the requested count of data records
    Mapping guessedMapping;  // from header synonyms (nothing when there is no header)
};
Result<FilePreview> preview(const QString &csvPath, const CsvDialect &dialect, int maxRows = 50);

// The failed rows beyond ImportReport::MaxFailures, streamed to a temporary file that is
// removed with the last report referring to it.
class FailureSpill;

// The outcome of checking (and, for run(), importing) a file.
struct ImportReport
{
    qint64 rows = 0; // data records read
    qint64 good = 0; // records that pass the checks
    qint64 inserted = 0;
    qint64 updated = 0;
    qint64 skippedExisting = 0;                       // email already in the database and OnConflict::Skip
    qint64 failedRows = 0;                            // records that failed, all of them (see forEachFailure)
    QList<RowFailure> failures;                       // the first MaxFailures of them, in memory for display
    std::shared_ptr<const FailureSpill> moreFailures; // the others, on disk; null when none
    QList<DateColumnReport> dates;                    // birth_date and effective_date when mapped
    QStringList header;
    static constexpr qsizetype MaxFailures = 100000;
};

// Every failed row in file order, the ones on disk included; `visit` returns false to stop.
// An error (the temporary file could not be read back) names the file.
Result<void> forEachFailure(const ImportReport &report, const std::function<bool(const RowFailure &)> &visit);

// Reads and checks the whole file without touching a database.
Result<ImportReport> analyse(const ImportSettings &settings, const CsvProgress &progress = {});

// Checks and imports the good rows in one transaction: on any error, an abort on conflict or a
// cancel nothing is written. Errors are of kind CsvErrorKind.
Result<ImportReport> run(const QString &dbPath, const ImportSettings &settings,
                         const CsvProgress &progress = {});

// run() or analyse() (dbPath empty) in QtConcurrent; cancel through the future.
QFuture<Result<ImportReport>> runAsync(const QString &dbPath, const ImportSettings &settings);

// All failed rows as CSV (line, field, reason, then the record's own columns), streamed.
ExportOutcome writeFailures(const QString &outputPath, const ImportReport &report,
                            const CsvOptions &options = {});

} // namespace ContactImport
