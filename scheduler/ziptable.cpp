#include "ziptable.h"

#include "textview_p.h"

#include <QCoreApplication>
#include <QFile>
#include <QtDebug>

namespace {

// Normalises into `out` without allocating; false when the result is not exactly 5 digits.
bool normalizedDigits(QStringView zip, char16_t (&out)[5])
{
    zip = TextView::trimmed(zip);
    const qsizetype dash = TextView::indexOf(zip, u'-');
    if (dash >= 0)
        zip = zip.first(dash);
    qsizetype pad = 0;
    if (zip.size() == 4)
        pad = 1; // spreadsheets drop the leading zero of New England ZIPs
    else if (zip.size() != 5)
        return false;
    out[0] = u'0';
    for (qsizetype i = 0; i < zip.size(); ++i) {
        const char16_t c = zip[i].unicode();
        if (c < u'0' || c > u'9')
            return false;
        out[i + pad] = c;
    }
    return true;
}

QString tr(const char *text)
{
    return QCoreApplication::translate("ZipTable", text);
}

} // namespace

const ZipTable &ZipTable::defaults()
{
    // Function-local static: initialised once, thread-safe (C++11 magic statics).
    static const ZipTable table = [] {
        QFile file(QStringLiteral(":/data/zip3_state.csv"));
        if (!file.open(QIODevice::ReadOnly)) {
            qWarning("ZipTable: the built-in ZIP table resource is missing");
            return ZipTable();
        }
        Result<ZipTable> parsed = fromCsv(file.readAll());
        if (!parsed) {
            qWarning("ZipTable: %s", qPrintable(parsed.errorMessage()));
            return ZipTable();
        }
        return std::move(parsed).value();
    }();
    return table;
}

Result<ZipTable> ZipTable::fromCsv(const QByteArray &csv)
{
    ZipTable table;
    int lineNumber = 0;
    const QList<QByteArray> lines = csv.split('\n');
    for (const QByteArray &rawLine : lines) {
        ++lineNumber;
        const QByteArray line = rawLine.trimmed();
        if (line.isEmpty())
            continue;
        const qsizetype comma = line.indexOf(',');
        const QByteArray prefix = comma < 0 ? line : line.first(comma).trimmed();
        const QByteArray state = comma < 0 ? QByteArray() : line.sliced(comma + 1).trimmed();
        bool ok = prefix.size() == 3;
        int value = 0;
        for (char c : prefix) {
            ok = ok && c >= '0' && c <= '9';
            value = value * 10 + (c - '0');
        }
        if (!ok) {
            if (lineNumber == 1)
                continue; // header line "zip3,state"
            return Error { tr("ZIP table line %1: \"%2\" is not a three-digit ZIP prefix")
                               .arg(lineNumber)
                               .arg(QString::fromUtf8(prefix)) };
        }
        const StateCode code = StateCode::fromString(QString::fromLatin1(state));
        if (!code.isValid()) {
            return Error { tr("ZIP table line %1: \"%2\" is not a two-letter state code")
                               .arg(lineNumber)
                               .arg(QString::fromUtf8(state)) };
        }
        table.m_prefixes[value] = code;
        if (!table.m_known.test(code.raw())) {
            table.m_known.set(code.raw());
            ++table.m_stateCount;
        }
    }
    if (table.m_stateCount == 0)
        return Error { tr("ZIP table is empty") };
    return table;
}

QString ZipTable::normalize(QStringView zip)
{
    char16_t digits[5];
    if (!normalizedDigits(zip, digits))
        return QString();
    return QString(reinterpret_cast<const QChar *>(digits), 5);
}

StateCode ZipTable::stateForZip(QStringView zip) const
{
    char16_t digits[5];
    if (!normalizedDigits(zip, digits))
        return StateCode();
    const int prefix = (digits[0] - u'0') * 100 + (digits[1] - u'0') * 10 + (digits[2] - u'0');
    return m_prefixes[prefix];
}

bool ZipTable::isKnownState(StateCode state) const
{
    return state.isValid() && m_known.test(state.raw());
}
