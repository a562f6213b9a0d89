#pragma once

#include <QLatin1StringView>
#include <QString>
#include <QStringView>

#include <array>
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

// Rank of the machine type names in alphabetical order (aep < birthday < effective_date <
// post_window): the "then type" tie-break of every sort of emails (engine, balancer, CSV).
constexpr int emailTypeOrder(EmailType type)
{
    switch (type) {
    case EmailType::Aep:
        return 0;
    case EmailType::Birthday:
        return 1;
    case EmailType::EffectiveDate:
        return 2;
    case EmailType::PostWindow:
        return 3;
    }
    return 4;
}

// The machine names as written to the database, the CSV files and the configuration, indexed by
// EmailType: the one table every reader and writer of the names uses.
inline constexpr std::array<QLatin1StringView, EmailTypeCount> EmailTypeNames = {
    QLatin1StringView("birthday"),
    QLatin1StringView("effective_date"),
    QLatin1StringView("aep"),
    QLatin1StringView("post_window"),
};
static_assert(int(EmailType::Birthday) == 0 && int(EmailType::PostWindow) == EmailTypeCount - 1);

// EmailTypeNames[type] (a NUL-terminated literal); empty for a value outside the enum.
constexpr QLatin1StringView emailTypeKey(EmailType type)
{
    const auto index = std::size_t(type);
    return index < EmailTypeNames.size() ? EmailTypeNames[index] : QLatin1StringView();
}

// The name as a QString: "birthday", "effective_date", "aep", "post_window"
QString emailTypeName(EmailType type);
// Case-insensitive; also accepts the legacy upper-case names. "POST_WINDOW_BIRTHDAY" etc. map to PostWindow.
std::optional<EmailType> emailTypeFromName(QStringView name);
// "pre-scheduled", "skipped"
QString emailStatusName(EmailStatus status);
// "already_sent", "birthday_window", "effective_date_window", "year_round", "spacing",
// "frequency_limit"; empty for None
QString skipReasonCode(SkipReason reason);
std::optional<SkipReason> skipReasonFromCode(QStringView code);
