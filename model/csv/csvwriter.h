#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QChar>
#include <QList>
#include <QString>
#include <QStringList>

#include <array>
#include <span>

class QIODevice;
class QSettings;

// How a CSV file is written: the choices a spreadsheet user can make in the export dialog
// (remembered in QSettings) and that the CLI uses with its defaults.
struct CsvOptions
{
    enum class LineEnding : quint8 { Lf, CrLf };

    QChar separator = u',';
    QChar quote = u'"';
    bool header = true;
    LineEnding lineEnding = LineEnding::CrLf; // RFC 4180 says CRLF; every spreadsheet reads both
    bool quoteAll = false;
    bool utf8Bom = false;           // Excel on Windows needs it to read UTF-8 as UTF-8
    bool neutraliseFormulas = true; // see CsvWriter::neutralise()
    // Text columns (ZIP, phone) are always quoted. With this on they are written as ="01234"
    // instead, which Excel shows as text with the leading zero kept, at the price of a formula
    // cell other programs show literally. Off by default (see docs/CSV.md).
    bool excelTextFormula = false;

    void save(QSettings &settings) const;
    static CsvOptions load(const QSettings &settings);

    friend bool operator==(const CsvOptions &, const CsvOptions &) = default;
};

// Streams RFC 4180 rows to a device (a QSaveFile when writing to disk) through a byte buffer,
// so writing a million rows costs a few kilobytes of memory.
class CsvWriter
{
public:
    CsvWriter(QIODevice *device, const CsvOptions &options);
    ~CsvWriter();
    CsvWriter(const CsvWriter &) = delete;
    CsvWriter &operator=(const CsvWriter &) = delete;

    // Columns whose values must stay text (ZIP codes, phone numbers): always quoted, never
    // read as numbers by a spreadsheet that honours quotes. Indexes past the list are not text.
    void setTextColumns(const QList<bool> &textColumns);

    // Fields are UTF-8. Returns false when the device refused the bytes (see errorString()).
    bool writeRow(std::span<const QByteArrayView> fields);
    bool writeRow(const QStringList &fields);
    // Writes the header row when the options ask for one.
    bool writeHeader(const QStringList &names);
    // Pushes the buffer to the device; call before committing.
    bool flush();

    QString errorString() const { return m_error; }
    qint64 rowsWritten() const { return m_rows; }

    // True when a spreadsheet would evaluate the cell as a formula: it starts with =, +, -, @,
    // tab or CR. Plain numbers (-12.5, +1e3) and a lone "-" are not formulas and stay as they are.
    static bool needsNeutralising(QByteArrayView utf8);
    // The text of a cell as written (before quoting): a leading apostrophe added when needed.
    static QString neutralise(const QString &cell);

private:
    void appendField(QByteArrayView field, bool text);
    bool writeBytes(const QByteArray &bytes);

    QIODevice *m_device;
    CsvOptions m_options;
    QByteArray m_separator;
    QByteArray m_quote;
    QByteArray m_doubledQuote;
    QByteArray m_eol;
    QByteArray m_buffer;
    QList<bool> m_textColumns;
    std::array<bool, 256> m_special; // bytes that force quoting
    QString m_error;
    qint64 m_rows = 0;
    bool m_first = true;
};
