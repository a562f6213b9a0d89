#pragma once

#include <QDate>

// Private to es_scheduler: proleptic Gregorian date arithmetic on Julian day numbers
// (H. Hinnant's days_from_civil / civil_from_days). The engine's hot path works on these plain
// integers because QDate::year()/QDate(y, m, d) go through QCalendar and cost several times more.
// Valid for years >= 1, the only ones contact data can hold.
namespace Civil {

struct Ymd
{
    int year = 0;
    int month = 0;
    int day = 0;
};

constexpr qint64 UnixEpochJd = 2440588; // Julian day of 1970-01-01

constexpr bool isLeapYear(int year)
{
    return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

constexpr int daysInMonth(int year, int month)
{
    constexpr int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    return month == 2 && isLeapYear(year) ? 29 : days[month - 1];
}

constexpr bool isValid(int year, int month, int day)
{
    return year >= 1 && month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

// Julian day of a valid date.
constexpr qint64 jd(int year, int month, int day)
{
    const qint64 y = year - (month <= 2 ? 1 : 0);
    const qint64 era = (y >= 0 ? y : y - 399) / 400;
    const qint64 yoe = y - era * 400;
    const qint64 doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
    const qint64 doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468 + UnixEpochJd;
}

constexpr Ymd fromJd(qint64 julianDay)
{
    const qint64 z = julianDay - UnixEpochJd + 719468;
    const qint64 era = (z >= 0 ? z : z - 146096) / 146097;
    const qint64 doe = z - era * 146097;
    const qint64 yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const qint64 doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const qint64 mp = (5 * doy + 2) / 153;
    const int day = int(doy - (153 * mp + 2) / 5 + 1);
    const int month = int(mp < 10 ? mp + 3 : mp - 9);
    return { int(yoe + era * 400 + (month <= 2 ? 1 : 0)), month, day };
}

// occurrence() of SPEC section 1 for a month and day: Feb 29 becomes Feb 28 in common years.
constexpr qint64 occurrenceJd(int month, int day, int year)
{
    if (month == 2 && day == 29 && !isLeapYear(year))
        day = 28;
    return jd(year, month, day);
}

inline QDate toDate(qint64 julianDay)
{
    return QDate::fromJulianDay(julianDay);
}

inline Ymd parts(QDate date)
{
    return fromJd(date.toJulianDay());
}

static_assert(jd(1970, 1, 1) == UnixEpochJd);
static_assert(jd(2000, 3, 1) == 2451605);
static_assert(fromJd(2451605).year == 2000 && fromJd(2451605).month == 3 && fromJd(2451605).day == 1);
static_assert(fromJd(jd(2024, 2, 29)).day == 29);

} // namespace Civil
