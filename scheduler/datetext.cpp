#include "datetext.h"

#include "civil_p.h"

namespace DateText {

bool write(QDate date, char *out)
{
    if (!date.isValid())
        return false;
    const Civil::Ymd p = Civil::parts(date);
    if (p.year < 1 || p.year > 9999)
        return false;
    out[0] = char('0' + p.year / 1000);
    out[1] = char('0' + p.year / 100 % 10);
    out[2] = char('0' + p.year / 10 % 10);
    out[3] = char('0' + p.year % 10);
    out[4] = '-';
    out[5] = char('0' + p.month / 10);
    out[6] = char('0' + p.month % 10);
    out[7] = '-';
    out[8] = char('0' + p.day / 10);
    out[9] = char('0' + p.day % 10);
    return true;
}

QString toString(QDate date)
{
    char text[Length];
    if (!write(date, text))
        return date.isValid() ? date.toString(Qt::ISODate) : QString();
    return QString::fromLatin1(text, Length);
}

namespace {

template<typename Char> QDate parseChars(const Char *text, qsizetype size)
{
    if (size != Length || text[4] != Char('-') || text[7] != Char('-'))
        return QDate();
    int value[8];
    constexpr int at[8] = { 0, 1, 2, 3, 5, 6, 8, 9 };
    for (int i = 0; i < 8; ++i) {
        const auto c = text[at[i]];
        if (c < Char('0') || c > Char('9'))
            return QDate();
        value[i] = int(c - Char('0'));
    }
    const int year = value[0] * 1000 + value[1] * 100 + value[2] * 10 + value[3];
    const int month = value[4] * 10 + value[5];
    const int day = value[6] * 10 + value[7];
    if (year < 1 || !Civil::isValid(year, month, day))
        return QDate();
    return Civil::toDate(Civil::jd(year, month, day));
}

} // namespace

QDate parse(QByteArrayView text)
{
    return parseChars(text.data(), text.size());
}

QDate parse(QStringView text)
{
    return parseChars(text.utf16(), text.size());
}

} // namespace DateText
