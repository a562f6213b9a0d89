#pragma once

#include "emailtypes.h"
#include "result.h"
#include "staterules.h"

#include <QByteArray>
#include <QDate>
#include <QList>
#include <QMap>
#include <QString>
#include <QTime>

#include <array>

// Month and day of a yearly date such as an AEP send date ("08-18").
struct MonthDay
{
    int month = 1;
    int day = 1;
    friend bool operator==(const MonthDay &, const MonthDay &) = default;
};

// The batch load balancing settings of SPEC section 8.
struct LoadBalancingConfig
{
    bool enabled = true;
    double dailySendPercentageCap = 0.07;
    int edDailySoftLimit = 15;
    int edSmoothingWindowDays = 5;
    double overageThreshold = 1.2;

    friend bool operator==(const LoadBalancingConfig &, const LoadBalancingConfig &) = default;
};

// The scheduler configuration of SPEC section 10, defaults included.
struct Config
{
    QString timezone = QStringLiteral("America/Chicago");
    QTime sendTime = QTime(8, 30);
    int birthdayDaysBefore = 14;
    int effectiveDateDaysBefore = 30;
    int preWindowLeadDays = 60;
    // Built out of line: an initializer_list here, inlined into every Config at -O3, made
    // GCC 12 report maybe-uninitialized on its backing array (a false positive) and broke
    // -Werror Release builds.
    QList<MonthDay> aepDates = defaultAepDates();
    int catchUpSpreadDays = 7;
    bool postWindowEnabled = true;
    int birthdaySpacingDays = 60;
    int frequencyMaxEmails = 3;
    int frequencyPeriodDays = 30;
    // indexed by EmailType: birthday, effective_date, aep, post_window, campaign (unused: a
    // campaign email has its type's priority or campaignPriorities'), the four follow-ups
    std::array<int, EmailTypeCount> priorities = { 30, 10, 20, 25, 30, 50, 50, 50, 50 };
    // priorities of campaign types named in the configuration: "campaign_<name>" -> priority
    QMap<QString, int> campaignPriorities;
    // SPEC section 13
    bool followupsEnabled = true;
    int followupDelayDays = 2;
    int followupLookbackDays = 35;
    // SPEC sections 12 and 14
    bool excludeFailedUnderwritingGlobal = false;
    bool suppressBounced = true;
    LoadBalancingConfig loadBalancing;
    StateRuleTable stateRules = StateRuleTable::defaults();

    int priority(EmailType type) const { return priorities[static_cast<int>(type)]; }

    // 08-18, 08-25, 09-01, 09-07; one shared list, so a default Config allocates nothing for it.
    static QList<MonthDay> defaultAepDates();

    friend bool operator==(const Config &, const Config &) = default;

    // Parses the JSON configuration; every key optional. An unknown key or a wrongly typed
    // value is an error whose message names the key (e.g. "load_balancing.overage_threshold").
    static Result<Config> fromJson(const QByteArray &json);
    static Result<Config> fromFile(const QString &path); // error names the file
};

// "Today" of SPEC section 1: the current date in the configured time zone (the local date when
// the zone is unknown to the system). The one place the program asks the clock for a date.
QDate currentDate(const Config &config);
