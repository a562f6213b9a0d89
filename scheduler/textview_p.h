#pragma once

#include <QStringView>

// Private to es_scheduler: allocation-free text helpers for the per-contact hot path, inline so
// that the common case (short ASCII fields) never leaves the caller.
namespace TextView {

inline bool isSpace(QChar c)
{
    const char16_t u = c.unicode();
    if (u > u' ' && u < 0x7f)
        return false; // printable ASCII: the common case
    return c.isSpace();
}

// QStringView::trimmed() without the library call.
inline QStringView trimmed(QStringView text)
{
    qsizetype begin = 0;
    qsizetype end = text.size();
    while (begin < end && isSpace(text[begin]))
        ++begin;
    while (end > begin && isSpace(text[end - 1]))
        --end;
    return text.sliced(begin, end - begin);
}

inline qsizetype indexOf(QStringView text, char16_t c)
{
    for (qsizetype i = 0; i < text.size(); ++i) {
        if (text[i].unicode() == c)
            return i;
    }
    return -1;
}

} // namespace TextView
