#pragma once

#include <QDate>
#include <QLatin1StringView>
#include <QString>

#include <array>

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
    QString state;   // raw text
    QString zipCode; // raw text
    QString phoneNumber;
    QString status;
};

// A text column of the `contacts` table and the Contact member that holds it.
struct ContactField
{
    QLatin1StringView column;
    QString Contact::*member;
};

// The one field <-> column table: every column of `contacts` but id, in the production table's
// order (SPEC section 9). Readers, the import and the contact table map through it.
inline constexpr std::array<ContactField, 12> ContactFields = { {
    { QLatin1StringView("first_name"), &Contact::firstName },
    { QLatin1StringView("last_name"), &Contact::lastName },
    { QLatin1StringView("email"), &Contact::email },
    { QLatin1StringView("current_carrier"), &Contact::currentCarrier },
    { QLatin1StringView("plan_type"), &Contact::planType },
    { QLatin1StringView("effective_date"), &Contact::effectiveDate },
    { QLatin1StringView("birth_date"), &Contact::birthDate },
    { QLatin1StringView("gender"), &Contact::gender },
    { QLatin1StringView("state"), &Contact::state },
    { QLatin1StringView("zip_code"), &Contact::zipCode },
    { QLatin1StringView("phone_number"), &Contact::phoneNumber },
    { QLatin1StringView("status"), &Contact::status },
} };

// The stored column of a Contact member (a NUL-terminated literal); empty for none.
constexpr QLatin1StringView contactColumn(QString Contact::*member)
{
    for (const ContactField &field : ContactFields) {
        if (field.member == member)
            return field.column;
    }
    return QLatin1StringView();
}

// One row of `email_schedules` written by someone else or by an earlier run, as far as the rules
// need it (already-sent checks, frequency limit).
struct HistoryEntry
{
    QString emailType;   // as stored, any case ("BIRTHDAY", "post_window_birthday", ...)
    QDate scheduledDate; // invalid when the stored text is not a date
    QString status;      // as stored
    int eventYear = 0;   // 0 when empty
    qint64 id = 0;       // the row id (follow-ups: of equal send dates, the highest id is the latest)
    qint64 campaignInstanceId = 0; // 0 when empty or the column is missing
    QDate actualSendDate;          // date of `actual_send_datetime`; invalid when empty or unreadable
};
