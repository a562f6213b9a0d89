#include "csv/csvwriter.h"

#include <QCoreApplication>
#include <QIODevice>
#include <QSettings>

namespace {

// Flush to the device in blocks of this size: large enough for few system calls, small enough
// that memory stays flat whatever the row count.
constexpr qsizetype FlushThreshold = 256 * 1024;

bool isDigit(char c)
{
    return c >= '0' && c <= '9';
}

// Moves `i` past the digits of `s` starting there; returns how many it passed.
qsizetype skipDigits(QByteArrayView s, qsizetype &i)
{
    const qsizetype start = i;
    while (i < s.size() && isDigit(s[i]))
        ++i;
    return i - start;
}

// Moves `i` past one `+` or `-` at it, if there is one.
void skipSign(QByteArrayView s, qsizetype &i)
{
    if (i < s.size() && (s[i] == '+' || s[i] == '-'))
        ++i;
}

// [+-]? (digits [. digits*] | . digits) ([eE] [+-]? digits)?
bool isPlainNumber(QByteArrayView s)
{
    qsizetype i = 0;
    const qsizetype n = s.size();
    skipSign(s, i);
    const qsizetype intDigits = skipDigits(s, i);
    qsizetype fracDigits = 0;
    if (i < n && s[i] == '.') {
        ++i;
        fracDigits = skipDigits(s, i);
    }
    if (intDigits + fracDigits == 0)
        return false;
    if (i < n && (s[i] == 'e' || s[i] == 'E')) {
        ++i;
        skipSign(s, i);
        if (skipDigits(s, i) == 0)
            return false;
    }
    return i == n;
}

} // namespace

void CsvOptions::save(QSettings &settings) const
{
    settings.setValue(QStringLiteral("csv/separator"), QString(separator));
    settings.setValue(QStringLiteral("csv/quote"), QString(quote));
    settings.setValue(QStringLiteral("csv/header"), header);
    settings.setValue(QStringLiteral("csv/crlf"), lineEnding == LineEnding::CrLf);
    settings.setValue(QStringLiteral("csv/quoteAll"), quoteAll);
    settings.setValue(QStringLiteral("csv/utf8Bom"), utf8Bom);
    settings.setValue(QStringLiteral("csv/neutraliseFormulas"), neutraliseFormulas);
    settings.setValue(QStringLiteral("csv/excelTextFormula"), excelTextFormula);
}

CsvOptions CsvOptions::load(const QSettings &settings)
{
    CsvOptions o;
    const QString sep = settings.value(QStringLiteral("csv/separator"), QString(o.separator)).toString();
    if (sep.size() == 1 && sep[0] != u'\r' && sep[0] != u'\n')
        o.separator = sep[0];
    const QString quote = settings.value(QStringLiteral("csv/quote"), QString(o.quote)).toString();
    if (quote.size() == 1 && quote[0] != o.separator && quote[0] != u'\r' && quote[0] != u'\n')
        o.quote = quote[0];
    o.header = settings.value(QStringLiteral("csv/header"), o.header).toBool();
    o.lineEnding
        = settings.value(QStringLiteral("csv/crlf"), true).toBool() ? LineEnding::CrLf : LineEnding::Lf;
    o.quoteAll = settings.value(QStringLiteral("csv/quoteAll"), o.quoteAll).toBool();
    o.utf8Bom = settings.value(QStringLiteral("csv/utf8Bom"), o.utf8Bom).toBool();
    o.neutraliseFormulas
        = settings.value(QStringLiteral("csv/neutraliseFormulas"), o.neutraliseFormulas).toBool();
    o.excelTextFormula = settings.value(QStringLiteral("csv/excelTextFormula"), o.excelTextFormula).toBool();
    return o;
}

CsvWriter::CsvWriter(QIODevice *device, const CsvOptions &options)
    : m_device(device), m_options(options), m_separator(QString(options.separator).toUtf8()),
      m_quote(QString(options.quote).toUtf8()), m_doubledQuote(m_quote + m_quote),
      m_eol(options.lineEnding == CsvOptions::LineEnding::CrLf ? QByteArrayLiteral("\r\n")
                                                               : QByteArrayLiteral("\n"))
{
    m_buffer.reserve(FlushThreshold + 4096);
    m_special.fill(false);
    m_special[uchar('\n')] = true;
    m_special[uchar('\r')] = true;
    m_special[uchar(m_separator.front())] = true;
    m_special[uchar(m_quote.front())] = true;
}

CsvWriter::~CsvWriter() = default;

void CsvWriter::setTextColumns(const QList<bool> &textColumns)
{
    m_textColumns = textColumns;
}

bool CsvWriter::needsNeutralising(QByteArrayView s)
{
    if (s.isEmpty())
        return false;
    switch (s.front()) {
    case '=':
    case '@':
    case '\t':
    case '\r':
        return true;
    case '+':
    case '-':
        // A lone "-" is the usual "no value" mark; plain numbers are data, not formulas.
        return !(s.size() == 1 && s.front() == '-') && !isPlainNumber(s);
    default:
        return false;
    }
}

QString CsvWriter::neutralise(const QString &cell)
{
    if (cell.isEmpty())
        return cell;
    const QChar c = cell.front();
    if (c != u'=' && c != u'+' && c != u'-' && c != u'@' && c != u'\t' && c != u'\r')
        return cell;
    return needsNeutralising(cell.toUtf8()) ? QString(u'\'' + cell) : cell;
}

void CsvWriter::appendField(QByteArrayView field, bool text)
{
    if (text && m_options.excelTextFormula && !field.isEmpty()) {
        // ="value" as one CSV field: the formula's own quotes are doubled by CSV quoting and
        // the value's quotes are doubled once more inside the formula string literal.
        QByteArray formula = QByteArrayLiteral("=\"");
        formula += QByteArray(field.data(), field.size()).replace("\"", "\"\"");
        formula += '"';
        m_buffer += m_quote;
        m_buffer += formula.replace(m_quote, m_doubledQuote);
        m_buffer += m_quote;
        return;
    }
    const bool neutralise = m_options.neutraliseFormulas && needsNeutralising(field);
    bool quote
        = m_options.quoteAll || text || (!field.isEmpty() && (field.front() == ' ' || field.back() == ' '));
    if (!quote) {
        // One pass over the bytes instead of one search per special character: this is the
        // hot loop of a million-row export.
        for (const char c : field) {
            if (m_special[uchar(c)]) {
                quote = true;
                break;
            }
        }
        // A multi-byte separator or quote (a non-ASCII character) was only flagged by its
        // lead byte; confirm with a real search.
        if (quote && (m_separator.size() > 1 || m_quote.size() > 1))
            quote = field.contains(m_separator) || field.contains(m_quote) || field.contains('\n')
                || field.contains('\r');
    }
    if (quote)
        m_buffer += m_quote;
    if (neutralise)
        m_buffer += '\'';
    if (quote && field.contains(m_quote)) {
        m_buffer += QByteArray(field.data(), field.size()).replace(m_quote, m_doubledQuote);
    } else {
        m_buffer.append(field.data(), field.size());
    }
    if (quote)
        m_buffer += m_quote;
}

bool CsvWriter::writeRow(std::span<const QByteArrayView> fields)
{
    if (!m_error.isEmpty())
        return false;
    if (m_first) {
        m_first = false;
        if (m_options.utf8Bom)
            m_buffer += QByteArrayLiteral("\xEF\xBB\xBF");
    }
    for (size_t i = 0; i < fields.size(); ++i) {
        if (i > 0)
            m_buffer += m_separator;
        const bool text = qsizetype(i) < m_textColumns.size() && m_textColumns.at(qsizetype(i));
        appendField(fields[i], text);
    }
    // A row of one empty field would be an empty line, which readers skip: quote it.
    if (fields.size() == 1 && fields[0].isEmpty() && !m_options.quoteAll)
        m_buffer += m_doubledQuote;
    m_buffer += m_eol;
    ++m_rows;
    if (m_buffer.size() >= FlushThreshold)
        return flush();
    return true;
}

bool CsvWriter::writeRow(const QStringList &fields)
{
    QList<QByteArray> utf8;
    utf8.reserve(fields.size());
    QList<QByteArrayView> views;
    views.reserve(fields.size());
    for (const QString &f : fields)
        utf8.append(f.toUtf8());
    for (const QByteArray &b : std::as_const(utf8))
        views.append(b);
    return writeRow(std::span<const QByteArrayView>(views.constData(), size_t(views.size())));
}

bool CsvWriter::writeHeader(const QStringList &names)
{
    if (!m_options.header)
        return true;
    const QList<bool> text = std::exchange(m_textColumns, {});
    const bool ok = writeRow(names);
    m_textColumns = text;
    --m_rows; // the header is not a data row
    return ok;
}

bool CsvWriter::flush()
{
    if (!m_error.isEmpty())
        return false;
    if (m_buffer.isEmpty())
        return true;
    const bool ok = writeBytes(m_buffer);
    m_buffer.clear();
    return ok;
}

bool CsvWriter::writeBytes(const QByteArray &bytes)
{
    qint64 written = 0;
    while (written < bytes.size()) {
        const qint64 n = m_device->write(bytes.constData() + written, bytes.size() - written);
        if (n <= 0) {
            m_error = m_device->errorString();
            if (m_error.isEmpty())
                m_error = QCoreApplication::translate("CsvWriter", "the device refused the data");
            return false;
        }
        written += n;
    }
    return true;
}
