#pragma once

#include <QDate>
#include <QString>

// One row of the organisation's `contacts` table, as stored: every field raw text, because
// production data holds dates in many formats and garbage (SPEC section 9). Fields a caller
// does not need may stay null (a null QString costs no allocation).
struct Contact
{
    qint64 id = 0;
    QString firstName;
    QString lastName;
    QString email;
    QString currentCarrier;
    QString planType;
    QString effectiveDate; // raw text
    QString birthDate;     // raw text
    QString gender;
    QString state;         // raw text
    QString zipCode;       // raw text
    QString phoneNumber;
    QString status;
};

// One row of `email_schedules` written by someone else or by an earlier run, as far as the rules
// need it (already-sent checks, frequency limit).
struct HistoryEntry
{
    QString emailType;      // as stored, any case ("BIRTHDAY", "post_window_birthday", ...)
    QDate scheduledDate;    // invalid when the stored text is not a date
    QString status;         // as stored
    int eventYear = 0;      // 0 when empty
};
