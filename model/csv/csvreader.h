#pragma once

#include "result.h"

#include <QByteArray>
#include <QChar>
#include <QString>
#include <QStringDecoder>
#include <QStringList>

#include <memory>

class QIODevice;

// How a CSV file is to be read: found by CsvDialect::detect(), overridable in the import dialog.
struct CsvDialect
{
    // Utf16/Utf32: Excel's "Unicode text" (UTF-16 LE with a BOM, tab-separated) and its kin.
    enum class Encoding : quint8 { Utf8, Latin1, Utf16LE, Utf16BE, Utf32LE, Utf32BE };
    static constexpr int EncodingCount = 6;

    QChar separator = u',';
    QChar quote = u'"';
    Encoding encoding = Encoding::Utf8;
    bool hasBom = false; // a byte order mark starts the file (skipped when reading)
    bool header = true;

    // Looks at the first bytes of a file: BOM (UTF-8, UTF-16 LE/BE, UTF-32 LE/BE; UTF-16
    // without a BOM is recognised by its zero bytes), UTF-8 validity (invalid UTF-8 means Latin-1,
    // the usual export encoding of older spreadsheets), the quote character, the separator
    // giving the most consistent field count over the first records (, ; tab |), and whether
    // the first record looks like a header (no cell of it is a number or a date, and at least
    // one cell is a known column name or later rows hold numbers/dates).
    static CsvDialect detect(const QByteArray &sample);
    // detect() on the first 256 KiB of a file, with the encoding checked over the whole file.
    static Result<CsvDialect> detectFile(const QString &path);

    static QString encodingName(Encoding encoding); // "UTF-8", "UTF-16 LE", ...
    friend bool operator==(const CsvDialect &, const CsvDialect &) = default;
};

// Reads RFC 4180 records from a device, decoding as it goes, so a large file costs a few
// kilobytes of memory. Lenient where spreadsheets are: CR, LF and CRLF line ends, quotes in
// the middle of an unquoted field kept as they are, empty lines skipped.
class CsvReader
{
public:
    CsvReader(QIODevice *device, const CsvDialect &dialect);
    ~CsvReader();
    CsvReader(const CsvReader &) = delete;
    CsvReader &operator=(const CsvReader &) = delete;

    // Reads the next record into `fields`; false at the end of the file or on an error.
    bool readRecord(QStringList &fields);

    // Line of the file (1-based) on which the last record started: the row number a
    // spreadsheet user finds the record at.
    qint64 recordLine() const { return m_recordLine; }
    // Bytes consumed so far (for progress).
    qint64 bytesRead() const { return m_bytesRead; }
    // Empty unless the file ended inside a quoted field or could not be read.
    QString errorString() const { return m_error; }

    // Parses all records of a string (tests, previews of a sample).
    static QList<QStringList> parse(const QString &text, QChar separator = u',', QChar quote = u'"');

private:
    bool fill();

    QIODevice *m_device;
    CsvDialect m_dialect;
    QStringDecoder m_decoder;
    QString m_text;
    qsizetype m_pos = 0;
    qint64 m_line = 1;
    qint64 m_recordLine = 0;
    qint64 m_bytesRead = 0;
    bool m_eof = false;
    bool m_first = true;
    QString m_error;
};
