#pragma once

#include <QString>
#include <QStringView>

#include <optional>

// The vocabulary of the schedule: email types, statuses and skip reasons, with their
// machine names as written to the database and the CLI (SPEC sections 5, 6, 9).

enum class EmailType : quint8 {
    Birthday,
    EffectiveDate,
    Aep,
    PostWindow,
};
inline constexpr int EmailTypeCount = 4;

enum class EmailStatus : quint8 {
    PreScheduled,
    Skipped,
};

enum class SkipReason : quint8 {
    None,
    AlreadySent,
    BirthdayWindow,
    EffectiveDateWindow,
    YearRound,
    Spacing,
    FrequencyLimit,
};

// "birthday", "effective_date", "aep", "post_window"
QString emailTypeName(EmailType type);
// Case-insensitive; also accepts the legacy upper-case names. "POST_WINDOW_BIRTHDAY" etc. map to PostWindow.
std::optional<EmailType> emailTypeFromName(QStringView name);
// "pre-scheduled", "skipped"
QString emailStatusName(EmailStatus status);
// "already_sent", "birthday_window", "effective_date_window", "year_round", "spacing",
// "frequency_limit"; empty for None
QString skipReasonCode(SkipReason reason);
std::optional<SkipReason> skipReasonFromCode(QStringView code);
