#include "dates.h"

#include "civil_p.h"
#include "fnv1a.h"
#include "textview_p.h"

#include <algorithm>

namespace {

bool isDigit(QChar c)
{
    return c.unicode() >= u'0' && c.unicode() <= u'9';
}

// Value of text[from, from+count) when every character is an ASCII digit, else -1.
int digits(QStringView text, qsizetype from, qsizetype count)
{
    int value = 0;
    for (qsizetype i = from; i < from + count; ++i) {
        if (!isDigit(text[i]))
            return -1;
        value = value * 10 + (text[i].unicode() - u'0');
    }
    return value;
}

QDate makeDate(int year, int month, int day)
{
    return Civil::isValid(year, month, day) ? Civil::toDate(Civil::jd(year, month, day)) : QDate();
}

// M/D/YYYY or M-D-YYYY: 1-2 digit month and day, the same separator twice, a 4-digit year.
QDate parseMonthFirst(QStringView text)
{
    const qsizetype n = text.size();
    qsizetype i = 0;
    auto number = [&](qsizetype maxDigits) {
        const qsizetype start = i;
        while (i < n && i - start < maxDigits && isDigit(text[i]))
            ++i;
        return i == start ? -1 : digits(text, start, i - start);
    };
    const int month = number(2);
    if (month < 0 || i >= n)
        return QDate();
    const QChar sep = text[i];
    if (sep != u'/' && sep != u'-')
        return QDate();
    ++i;
    const int day = number(2);
    if (day < 0 || i >= n || text[i] != sep)
        return QDate();
    ++i;
    if (n - i != 4)
        return QDate();
    const int year = digits(text, i, 4);
    return year < 0 ? QDate() : makeDate(year, month, day);
}

} // namespace

namespace Dates {

QDate parseContactDate(QStringView text)
{
    text = TextView::trimmed(text);
    const qsizetype n = text.size();
    if (n < 8)
        return QDate();
    // YYYY-MM-DD[T…| …] and YYYY/MM/DD. "12-5-1950" also has a '-' at index 4, so a mismatch
    // falls through to the month-first formats instead of failing.
    if (n >= 10 && (text[4] == u'-' || text[4] == u'/') && text[7] == text[4]) {
        if (n > 10 && (text[4] != u'-' || (text[10] != u'T' && text[10] != u' ')))
            return QDate();
        const int year = digits(text, 0, 4);
        const int month = digits(text, 5, 2);
        const int day = digits(text, 8, 2);
        if (year < 0 || month < 0 || day < 0)
            return QDate();
        return makeDate(year, month, day);
    }
    // MMDDYYYY
    if (n == 8) {
        const int all = digits(text, 0, 8);
        if (all >= 0)
            return makeDate(all % 10000, all / 1000000, all / 10000 % 100);
    }
    return parseMonthFirst(text);
}

QDate occurrence(QDate event, int year)
{
    if (!event.isValid() || year < 1)
        return QDate();
    const Civil::Ymd e = Civil::parts(event);
    return Civil::toDate(Civil::occurrenceJd(e.month, e.day, year));
}

QDate nextOccurrence(QDate event, QDate today)
{
    if (!event.isValid() || !today.isValid())
        return QDate();
    const Civil::Ymd e = Civil::parts(event);
    const qint64 t = today.toJulianDay();
    const int year = Civil::fromJd(t).year;
    const qint64 d = Civil::occurrenceJd(e.month, e.day, year);
    return Civil::toDate(d >= t ? d : Civil::occurrenceJd(e.month, e.day, year + 1));
}

QDate nextAnniversary(QDate effective, QDate today)
{
    if (!effective.isValid() || !today.isValid())
        return QDate();
    const Civil::Ymd e = Civil::parts(effective);
    const qint64 t = today.toJulianDay();
    const int year = std::max(Civil::fromJd(t).year, e.year + 1);
    const qint64 d = Civil::occurrenceJd(e.month, e.day, year);
    return Civil::toDate(d >= t ? d : Civil::occurrenceJd(e.month, e.day, year + 1));
}

quint32 fnv1a32(QStringView text)
{
    Fnv1a32 h;
    auto feed = [&h](char32_t byte) { h.byte(static_cast<unsigned char>(byte)); };
    const qsizetype n = text.size();
    for (qsizetype i = 0; i < n; ++i) {
        char32_t c = text[i].unicode();
        // UTF-8 encode on the fly so hashing never allocates; a lone surrogate becomes U+FFFD
        // as QString::toUtf8() does.
        if (QChar::isHighSurrogate(c) && i + 1 < n && text[i + 1].isLowSurrogate()) {
            c = QChar::surrogateToUcs4(char16_t(c), text[i + 1].unicode());
            ++i;
        } else if (QChar::isSurrogate(c)) {
            c = 0xFFFD;
        }
        if (c < 0x80) {
            feed(c);
        } else if (c < 0x800) {
            feed(0xC0 | (c >> 6));
            feed(0x80 | (c & 0x3F));
        } else if (c < 0x10000) {
            feed(0xE0 | (c >> 12));
            feed(0x80 | ((c >> 6) & 0x3F));
            feed(0x80 | (c & 0x3F));
        } else {
            feed(0xF0 | (c >> 18));
            feed(0x80 | ((c >> 12) & 0x3F));
            feed(0x80 | ((c >> 6) & 0x3F));
            feed(0x80 | (c & 0x3F));
        }
    }
    return h.value();
}

} // namespace Dates
