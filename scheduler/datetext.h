#pragma once

#include <QByteArrayView>
#include <QDate>
#include <QString>
#include <QStringView>

// The one YYYY-MM-DD codec: how the program writes dates to the database, the CSV files and the
// explanations, and reads back the dates it wrote. Hand-made because QDate::toString goes through
// QString::asprintf, which dominated the cost of writing a million rows. (Contact dates in their
// many accepted formats are read by Dates::parseContactDate.)
namespace DateText {

inline constexpr qsizetype Length = 10;

// Writes YYYY-MM-DD to out[0..10) (no terminator); false, writing nothing, for an invalid date
// or a year outside 1..9999.
bool write(QDate date, char *out);

// YYYY-MM-DD; QDate::toString(Qt::ISODate) for years outside 1..9999; empty when invalid.
QString toString(QDate date);

// Exactly YYYY-MM-DD naming a real date (years 1..9999); an invalid QDate for anything else,
// including surrounding spaces, a time or other separators.
QDate parse(QByteArrayView text);
QDate parse(QStringView text);

} // namespace DateText
