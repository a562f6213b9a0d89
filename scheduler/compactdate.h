#pragma once

#include <QDate>
#include <QDebug>

#include <compare>
#include <limits>

// A calendar date in 4 bytes (a Julian day number), for the millions of dates a batch holds.
// Converts implicitly to and from QDate and forwards the QDate calls the code base uses, so a
// ScheduledEmail stays small without changing how dates are written.
class CompactDate
{
public:
    constexpr CompactDate() = default;
    // A date too far out for 32 bits (millions of years; the program writes years 1-9999
    // only) becomes the null date instead of wrapping around to another date.
    CompactDate(QDate date) // NOLINT(google-explicit-constructor): a drop-in for QDate
        : m_jd(date.isValid() && date.toJulianDay() > Null
                       && date.toJulianDay() <= std::numeric_limits<qint32>::max()
                   ? static_cast<qint32>(date.toJulianDay())
                   : Null)
    { }
    operator QDate() const { return toQDate(); } // NOLINT(google-explicit-constructor)

    QDate toQDate() const { return m_jd == Null ? QDate() : QDate::fromJulianDay(m_jd); }
    bool isValid() const { return m_jd != Null; }
    bool isNull() const { return m_jd == Null; }
    qint64 toJulianDay() const { return m_jd; }
    int year() const { return toQDate().year(); }
    int month() const { return toQDate().month(); }
    int day() const { return toQDate().day(); }
    int dayOfWeek() const { return toQDate().dayOfWeek(); }
    int dayOfYear() const { return toQDate().dayOfYear(); }
    QDate addDays(qint64 days) const { return isValid() ? QDate::fromJulianDay(m_jd + days) : QDate(); }
    QDate addMonths(int months) const { return toQDate().addMonths(months); }
    QDate addYears(int years) const { return toQDate().addYears(years); }
    qint64 daysTo(QDate other) const { return toQDate().daysTo(other); }
    QString toString(Qt::DateFormat format = Qt::TextDate) const { return toQDate().toString(format); }
    QString toString(const QString &format) const { return toQDate().toString(format); }

    friend constexpr bool operator==(CompactDate, CompactDate) = default;
    friend constexpr std::strong_ordering operator<=>(CompactDate a, CompactDate b)
    {
        return a.m_jd <=> b.m_jd;
    }
    // Exact-match overloads, so comparing with a QDate is not ambiguous between conversions.
    friend bool operator==(CompactDate a, QDate b) { return a == CompactDate(b); }
    friend std::strong_ordering operator<=>(CompactDate a, QDate b) { return a <=> CompactDate(b); }

    friend QDebug operator<<(QDebug debug, CompactDate date) { return debug << date.toQDate(); }

private:
    // QDate's null date sorts before every valid date; so does this one.
    static constexpr qint32 Null = std::numeric_limits<qint32>::min();
    qint32 m_jd = Null;
};
