#pragma once

#include <QDate>
#include <QStringView>

// Calendar helpers of SPEC section 1. Pure functions; "today" is always a parameter.
namespace Dates {

// The dates the program accepts and writes: years 1 to 9999, the years a YYYY-MM-DD text can
// hold. Anything the rules would produce outside them is reported, never written.
inline QDate firstDate()
{
    return QDate(1, 1, 1);
}
inline QDate lastDate()
{
    return QDate(9999, 12, 31);
}
inline bool inRange(QDate date)
{
    return date.isValid() && date >= firstDate() && date <= lastDate();
}

// Parses a contact date in any accepted format (YYYY-MM-DD[T…| …], YYYY/MM/DD, M/D/YYYY,
// M-D-YYYY, MMDDYYYY) after trimming spaces. Returns an invalid QDate for anything else,
// including dates that do not exist.
QDate parseContactDate(QStringView text);

// The event's month and day in year Y; Feb 29 becomes Feb 28 when Y is not a leap year.
QDate occurrence(QDate event, int year);

// Smallest occurrence >= today.
QDate nextOccurrence(QDate event, QDate today);

// Smallest occurrence >= today in a year > event.year (first policy anniversary rule).
QDate nextAnniversary(QDate effective, QDate today);

// FNV-1a, 32 bit, over the UTF-8 bytes of text.
quint32 fnv1a32(QStringView text);

} // namespace Dates
