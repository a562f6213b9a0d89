#include "csv/csvreader.h"
#include "csv/csverror.h"

#include <QBuffer>
#include <QCoreApplication>
#include <QDir>
#include <QFile>

#include <algorithm>
#include <map>
#include <optional>

namespace {

constexpr qint64 ReadBlock = 64 * 1024;
constexpr qint64 SampleSize = 256 * 1024;

// Decoders skip a BOM of their own encoding (QStringConverter's default flags).
QStringDecoder decoderFor(CsvDialect::Encoding encoding)
{
    switch (encoding) {
    case CsvDialect::Encoding::Latin1:
        return QStringDecoder(QStringConverter::Latin1);
    case CsvDialect::Encoding::Utf16LE:
        return QStringDecoder(QStringConverter::Utf16LE);
    case CsvDialect::Encoding::Utf16BE:
        return QStringDecoder(QStringConverter::Utf16BE);
    case CsvDialect::Encoding::Utf32LE:
        return QStringDecoder(QStringConverter::Utf32LE);
    case CsvDialect::Encoding::Utf32BE:
        return QStringDecoder(QStringConverter::Utf32BE);
    case CsvDialect::Encoding::Utf8:
        break;
    }
    return QStringDecoder(QStringConverter::Utf8);
}

bool startsWithBom(const QByteArray &bytes)
{
    return bytes.startsWith("\xEF\xBB\xBF");
}

// The encoding a byte order mark names; UTF-32 LE is tested before UTF-16 LE, whose BOM is
// its prefix.
std::optional<CsvDialect::Encoding> encodingOfBom(const QByteArray &bytes)
{
    using E = CsvDialect::Encoding;
    if (bytes.startsWith(QByteArrayView("\xFF\xFE\x00\x00", 4)))
        return E::Utf32LE;
    if (bytes.startsWith(QByteArrayView("\x00\x00\xFE\xFF", 4)))
        return E::Utf32BE;
    if (bytes.startsWith("\xFF\xFE"))
        return E::Utf16LE;
    if (bytes.startsWith("\xFE\xFF"))
        return E::Utf16BE;
    if (startsWithBom(bytes))
        return E::Utf8;
    return std::nullopt;
}

// UTF-16 without a BOM: text that is mostly ASCII has a zero byte in every other position.
// A UTF-8 or Latin-1 file has (almost) none.
std::optional<CsvDialect::Encoding> utf16WithoutBom(const QByteArray &sample)
{
    const qsizetype n = std::min<qsizetype>(sample.size(), 4096) & ~qsizetype(1);
    if (n < 8)
        return std::nullopt;
    qsizetype evenZeros = 0;
    qsizetype oddZeros = 0;
    for (qsizetype i = 0; i < n; i += 2) {
        evenZeros += sample[i] == 0;
        oddZeros += sample[i + 1] == 0;
    }
    const qsizetype pairs = n / 2;
    if (oddZeros * 10 >= pairs * 7 && evenZeros * 20 <= pairs)
        return CsvDialect::Encoding::Utf16LE;
    if (evenZeros * 10 >= pairs * 7 && oddZeros * 20 <= pairs)
        return CsvDialect::Encoding::Utf16BE;
    return std::nullopt;
}

// Digits with date/number punctuation: a value, not a column title.
bool looksLikeValue(const QString &cell)
{
    const QString t = cell.trimmed();
    if (t.isEmpty())
        return false;
    if (t.contains(u'@'))
        return true;
    bool digit = false;
    for (QChar c : t) {
        if (c.isDigit())
            digit = true;
        else if (c != u'-' && c != u'+' && c != u'/' && c != u'.' && c != u' ' && c != u'(' && c != u')'
                 && c != u':' && c != u'T')
            return false;
    }
    return digit;
}

} // namespace

QString CsvDialect::encodingName(Encoding encoding)
{
    switch (encoding) {
    case Encoding::Latin1:
        return QStringLiteral("Latin-1 (ISO 8859-1)");
    case Encoding::Utf16LE:
        return QStringLiteral("UTF-16 LE");
    case Encoding::Utf16BE:
        return QStringLiteral("UTF-16 BE");
    case Encoding::Utf32LE:
        return QStringLiteral("UTF-32 LE");
    case Encoding::Utf32BE:
        return QStringLiteral("UTF-32 BE");
    case Encoding::Utf8:
        break;
    }
    return QStringLiteral("UTF-8");
}

CsvDialect CsvDialect::detect(const QByteArray &sample)
{
    CsvDialect dialect;
    const std::optional<Encoding> bom = encodingOfBom(sample);
    dialect.hasBom = bom.has_value();
    if (bom && *bom != Encoding::Utf8) {
        dialect.encoding = *bom;
    } else if (const auto utf16 = bom ? std::nullopt : utf16WithoutBom(sample)) {
        dialect.encoding = *utf16;
    } else {
        QStringDecoder utf8(QStringConverter::Utf8);
        const QString decoded = utf8.decode(sample);
        Q_UNUSED(decoded);
        dialect.encoding = utf8.hasError() ? Encoding::Latin1 : Encoding::Utf8;
    }
    QStringDecoder decoder = decoderFor(dialect.encoding);
    QString text = decoder.decode(sample);
    // Drop a last line that the sample may have cut in half.
    if (sample.size() >= SampleSize) {
        const qsizetype lastBreak = text.lastIndexOf(u'\n');
        if (lastBreak > 0)
            text.truncate(lastBreak + 1);
    }

    if (!text.contains(u'"') && text.count(u'\'') >= 2) {
        // Single quotes only count as the quote character when they open fields.
        qsizetype opening = 0;
        for (qsizetype i = 0; i + 1 < text.size(); ++i) {
            if (text[i + 1] == u'\''
                && (text[i] == u',' || text[i] == u';' || text[i] == u'\t' || text[i] == u'\n'))
                ++opening;
        }
        if (opening >= 2)
            dialect.quote = u'\'';
    }

    // The separator whose field count is the most consistent over the first records wins;
    // ties go to the one giving more fields, then to the order below (comma first).
    constexpr char16_t candidates[] = { u',', u';', u'\t', u'|' };
    double bestScore = 0;
    int bestFields = 1;
    for (char16_t sep : candidates) {
        QList<QStringList> records = CsvReader::parse(text, QChar(sep), dialect.quote);
        if (records.size() > 50)
            records.resize(50);
        if (records.isEmpty())
            continue;
        std::map<qsizetype, int> counts;
        for (const QStringList &r : std::as_const(records))
            ++counts[r.size()];
        const auto mode = std::max_element(counts.begin(), counts.end(),
                                           [](const auto &a, const auto &b) { return a.second < b.second; });
        if (mode->first < 2)
            continue;
        // A quote left inside a parsed field means this separator cut through quoted text.
        const auto misparsed = std::count_if(records.cbegin(), records.cend(), [&](const QStringList &r) {
            return std::any_of(r.cbegin(), r.cend(),
                               [&](const QString &f) { return f.contains(dialect.quote); });
        });
        const double score = double(mode->second - misparsed) / double(records.size());
        if (score > bestScore + 1e-9 || (std::abs(score - bestScore) <= 1e-9 && mode->first > bestFields)) {
            bestScore = score;
            bestFields = int(mode->first);
            dialect.separator = QChar(sep);
        }
    }

    const QList<QStringList> records = CsvReader::parse(text, dialect.separator, dialect.quote);
    if (!records.isEmpty()) {
        const QStringList &first = records.first();
        dialect.header = std::none_of(first.begin(), first.end(), looksLikeValue);
    }
    return dialect;
}

Result<CsvDialect> CsvDialect::detectFile(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        return Error(CsvErrorKind::File,
                     QCoreApplication::translate("CsvReader", "Could not read %1: %2")
                         .arg(QDir::toNativeSeparators(path), file.errorString()));
    }
    const QByteArray sample = file.read(SampleSize);
    CsvDialect dialect = detect(sample);
    if (dialect.encoding == Encoding::Utf8) {
        // A Latin-1 "é" far down a UTF-8 looking file must not become a replacement character.
        QStringDecoder utf8(QStringConverter::Utf8);
        const QString decoded = utf8.decode(sample);
        Q_UNUSED(decoded);
        while (!utf8.hasError() && !file.atEnd()) {
            const QString block = utf8.decode(file.read(ReadBlock * 16));
            Q_UNUSED(block);
        }
        if (utf8.hasError())
            dialect.encoding = Encoding::Latin1;
    }
    return dialect;
}

CsvReader::CsvReader(QIODevice *device, const CsvDialect &dialect)
    : m_device(device), m_dialect(dialect), m_decoder(decoderFor(dialect.encoding))
{ }

CsvReader::~CsvReader() = default;

bool CsvReader::fill()
{
    if (m_eof)
        return false;
    QByteArray bytes = m_device->read(ReadBlock);
    if (bytes.isEmpty()) {
        m_eof = true;
        if (!m_device->atEnd() && m_device->errorString().size() && m_error.isEmpty())
            m_error = m_device->errorString();
        return false;
    }
    m_bytesRead += bytes.size();
    if (m_first) {
        m_first = false;
        // The UTF decoders skip their BOM themselves; a Latin-1 override must not show a UTF-8
        // one as "ï»¿".
        if (m_dialect.encoding == CsvDialect::Encoding::Latin1 && startsWithBom(bytes))
            bytes.remove(0, 3);
    }
    m_text = m_decoder.decode(bytes);
    m_pos = 0;
    return true;
}

bool CsvReader::readRecord(QStringList &fields)
{
    enum class State { FieldStart, Unquoted, Quoted, QuoteInQuoted };
    fields.clear();
    QString field;
    State state = State::FieldStart;
    bool started = false;
    qint64 quoteLine = 0;
    const QChar sep = m_dialect.separator;
    const QChar quote = m_dialect.quote;

    while (true) {
        if (m_pos >= m_text.size() && !fill())
            break;
        const QChar c = m_text[m_pos++];
        if (c == u'\r' || c == u'\n') {
            // CRLF is one line end: swallow the LF that follows a CR.
            bool crlf = false;
            if (c == u'\r') {
                if (m_pos >= m_text.size())
                    fill();
                if (m_pos < m_text.size() && m_text[m_pos] == u'\n') {
                    ++m_pos;
                    crlf = true;
                }
            }
            ++m_line;
            if (state == State::Quoted) {
                field += crlf ? QStringLiteral("\r\n") : QString(c);
                continue;
            }
            if (!started)
                continue; // empty line
            fields.append(field);
            return true;
        }
        if (!started) {
            started = true;
            m_recordLine = m_line;
        }
        switch (state) {
        case State::FieldStart:
            if (c == quote) {
                state = State::Quoted;
                quoteLine = m_line;
            } else if (c == sep) {
                fields.append(QString());
            } else {
                field += c;
                state = State::Unquoted;
            }
            break;
        case State::Unquoted:
            if (c == sep) {
                fields.append(field);
                field.clear();
                state = State::FieldStart;
            } else {
                field += c;
            }
            break;
        case State::Quoted:
            if (c == quote)
                state = State::QuoteInQuoted;
            else
                field += c;
            break;
        case State::QuoteInQuoted:
            if (c == quote) {
                field += c;
                state = State::Quoted;
            } else if (c == sep) {
                fields.append(field);
                field.clear();
                state = State::FieldStart;
            } else {
                // "abc"def: keep the text after the closing quote, as spreadsheets do.
                field += c;
                state = State::Unquoted;
            }
            break;
        }
    }
    if (!started)
        return false;
    if (state == State::Quoted) {
        m_error = QCoreApplication::translate("CsvReader", "line %1: a quote opened here is never closed")
                      .arg(quoteLine);
        return false;
    }
    fields.append(field);
    return true;
}

QList<QStringList> CsvReader::parse(const QString &text, QChar separator, QChar quote)
{
    QByteArray utf8 = text.toUtf8();
    QBuffer buffer(&utf8);
    buffer.open(QIODevice::ReadOnly);
    CsvDialect dialect;
    dialect.separator = separator;
    dialect.quote = quote;
    CsvReader reader(&buffer, dialect);
    QList<QStringList> records;
    QStringList fields;
    while (reader.readRecord(fields))
        records.append(fields);
    return records;
}
