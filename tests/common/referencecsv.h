#pragma once

#include <QList>
#include <QString>
#include <QStringList>

// A deliberately separate, minimal RFC 4180 parser for tests (not CsvReader): quoted fields,
// doubled quotes, rows ending in LF or CRLF. If the writer and the program's reader shared a bug,
// a round trip through CsvReader alone would not notice. One copy serves every suite.
namespace ReferenceCsv {

// `crlf` (optional) is set to whether every row ended in CRLF.
inline QList<QStringList> parse(const QString &text, QChar separator = u',', QChar quote = u'"',
                                bool *crlf = nullptr)
{
    QList<QStringList> rows;
    QStringList row;
    QString field;
    bool inQuotes = false;
    bool allCrlf = true;
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar c = text.at(i);
        if (inQuotes) {
            if (c == quote && i + 1 < text.size() && text.at(i + 1) == quote) {
                field += quote;
                ++i;
            } else if (c == quote) {
                inQuotes = false;
            } else {
                field += c;
            }
        } else if (c == quote) {
            inQuotes = true;
        } else if (c == separator) {
            row.append(field);
            field.clear();
        } else if (c == u'\r' && i + 1 < text.size() && text.at(i + 1) == u'\n') {
            continue; // the LF ends the row
        } else if (c == u'\n') {
            if (i == 0 || text.at(i - 1) != u'\r')
                allCrlf = false;
            row.append(field);
            rows.append(row);
            row.clear();
            field.clear();
        } else {
            field += c;
        }
    }
    if (!field.isEmpty() || !row.isEmpty()) {
        row.append(field);
        rows.append(row);
    }
    if (crlf)
        *crlf = allCrlf;
    return rows;
}

} // namespace ReferenceCsv
