#include "config.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonValue>
#include <QTimeZone>

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>

using namespace Qt::StringLiterals;

namespace {

// Day counts beyond a year would make windows and send dates reach past the neighbouring
// years that the rules of SPEC sections 4-5 look at.
constexpr int MaxDays = 365;
constexpr int IntMax = std::numeric_limits<int>::max();

QString tr(const char *text)
{
    return QCoreApplication::translate("Config", text);
}

Error mustBe(const QString &path, const QString &expectation)
{
    return Error { tr("\"%1\" must be %2").arg(path, expectation) };
}

Error unknownKey(const QString &path)
{
    return Error { tr("unknown configuration key \"%1\"").arg(path) };
}

QString intRange(int min, int max)
{
    if (max == IntMax)
        return tr("an integer >= %1").arg(min);
    return tr("an integer from %1 to %2").arg(min).arg(max);
}

// JSON has only doubles; an integer is a finite whole number in range.
std::optional<Error> readInt(const QJsonValue &value, const QString &path, int min, int max, int &target)
{
    if (!value.isDouble())
        return mustBe(path, tr("an integer"));
    const double d = value.toDouble();
    if (!std::isfinite(d) || d != std::floor(d))
        return mustBe(path, tr("an integer"));
    if (d < min || d > max)
        return mustBe(path, intRange(min, max));
    target = static_cast<int>(d);
    return std::nullopt;
}

std::optional<Error> readBool(const QJsonValue &value, const QString &path, bool &target)
{
    if (!value.isBool())
        return mustBe(path, tr("true or false"));
    target = value.toBool();
    return std::nullopt;
}

// A number in (min, max] or [min, max] depending on `minInclusive`.
std::optional<Error> readNumber(const QJsonValue &value, const QString &path, double min, bool minInclusive,
                                double max, double &target)
{
    if (!value.isDouble() || !std::isfinite(value.toDouble()))
        return mustBe(path, tr("a number"));
    const double d = value.toDouble();
    if ((minInclusive ? d < min : d <= min) || d > max) {
        const QString range = minInclusive ? tr("a number from %1 to %2").arg(min).arg(max)
                                           : tr("a number greater than %1 and at most %2").arg(min).arg(max);
        return mustBe(path, range);
    }
    target = d;
    return std::nullopt;
}

// Two digits, optional leading zero: exactly "MM-DD" / "HH:MM".
bool isDigitPair(QStringView s, qsizetype at)
{
    return s.size() >= at + 2 && s[at].isDigit() && s[at + 1].isDigit() && s[at].unicode() < 128
        && s[at + 1].unicode() < 128;
}

int digitPair(QStringView s, qsizetype at)
{
    return (s[at].unicode() - u'0') * 10 + (s[at + 1].unicode() - u'0');
}

std::optional<MonthDay> parseMonthDay(QStringView text)
{
    if (text.size() != 5 || text[2] != u'-' || !isDigitPair(text, 0) || !isDigitPair(text, 3))
        return std::nullopt;
    const MonthDay md { digitPair(text, 0), digitPair(text, 3) };
    // Feb 29 is refused: it does not exist in most AEP years.
    if (!QDate::isValid(2023, md.month, md.day))
        return std::nullopt;
    return md;
}

std::optional<QTime> parseSendTime(QStringView text)
{
    if ((text.size() != 5 && text.size() != 8) || text[2] != u':' || !isDigitPair(text, 0)
        || !isDigitPair(text, 3))
        return std::nullopt;
    int seconds = 0;
    if (text.size() == 8) {
        if (text[5] != u':' || !isDigitPair(text, 6))
            return std::nullopt;
        seconds = digitPair(text, 6);
    }
    const QTime time(digitPair(text, 0), digitPair(text, 3), seconds);
    if (!time.isValid())
        return std::nullopt;
    return time;
}

std::optional<EmailType> typeFromConfigName(const QString &name)
{
    for (int t = 0; t < EmailTypeCount; ++t) {
        // "campaign" alone names no type: campaigns are "campaign_<name>"
        if (EmailType(t) != EmailType::Campaign && name == EmailTypeNames[std::size_t(t)])
            return EmailType(t);
    }
    return std::nullopt;
}

std::optional<Error> parseLoadBalancing(const QJsonValue &value, LoadBalancingConfig &lb)
{
    if (!value.isObject())
        return mustBe(u"load_balancing"_s, tr("an object"));
    const QJsonObject object = value.toObject();
    for (auto it = object.begin(); it != object.end(); ++it) {
        const QString key = it.key();
        const QString path = "load_balancing."_L1 + key;
        std::optional<Error> err;
        if (key == "enabled"_L1)
            err = readBool(*it, path, lb.enabled);
        else if (key == "daily_send_percentage_cap"_L1)
            err = readNumber(*it, path, 0.0, false, 1.0, lb.dailySendPercentageCap);
        else if (key == "ed_daily_soft_limit"_L1)
            err = readInt(*it, path, 1, IntMax, lb.edDailySoftLimit);
        else if (key == "ed_smoothing_window_days"_L1)
            err = readInt(*it, path, 1, MaxDays, lb.edSmoothingWindowDays);
        else if (key == "overage_threshold"_L1)
            err = readNumber(*it, path, 1.0, true, 100.0, lb.overageThreshold);
        else
            err = unknownKey(path);
        if (err)
            return err;
    }
    return std::nullopt;
}

std::optional<Error> parsePriorities(const QJsonValue &value, Config &config)
{
    if (!value.isObject())
        return mustBe(u"priorities"_s, tr("an object of email type to integer"));
    const QJsonObject object = value.toObject();
    for (auto it = object.begin(); it != object.end(); ++it) {
        const QString &key = it.key();
        const bool campaign = key.startsWith("campaign_"_L1) && key.size() > 9
            && std::all_of(key.cbegin() + 9, key.cend(), [](QChar c) {
                                  return (c >= u'a' && c <= u'z') || (c >= u'0' && c <= u'9') || c == u'_';
                              });
        const auto type = campaign ? std::optional<EmailType>() : typeFromConfigName(key);
        if (!type && !campaign)
            return Error { tr("unknown email type \"%1\" in \"priorities\" (expected birthday, "
                              "effective_date, aep, post_window, a follow-up type or campaign_<name>)")
                               .arg(key) };
        int priority = 0;
        if (auto err = readInt(*it, "priorities."_L1 + key, -1000000, 1000000, priority))
            return err;
        if (campaign)
            config.campaignPriorities.insert(key, priority);
        else
            config.priorities[static_cast<int>(*type)] = priority;
    }
    return std::nullopt;
}

std::optional<Error> parseAepDates(const QJsonValue &value, Config &config)
{
    if (!value.isArray())
        return mustBe(u"aep_dates"_s, tr("a list of dates \"MM-DD\""));
    const QJsonArray array = value.toArray();
    if (array.isEmpty())
        return mustBe(u"aep_dates"_s, tr("a non-empty list of dates \"MM-DD\""));
    QList<MonthDay> dates;
    for (qsizetype i = 0; i < array.size(); ++i) {
        const QJsonValue item = array.at(i);
        const auto md = item.isString() ? parseMonthDay(item.toString()) : std::nullopt;
        if (!md)
            return mustBe(u"aep_dates[%1]"_s.arg(i), tr("a date \"MM-DD\""));
        dates.append(*md);
    }
    config.aepDates = dates;
    return std::nullopt;
}

// Line and column (1-based) of a byte offset, for a JSON syntax error a person can find.
std::pair<int, int> lineAndColumn(const QByteArray &json, qsizetype offset)
{
    int line = 1;
    int column = 1;
    const qsizetype end = std::min(offset, json.size());
    for (qsizetype i = 0; i < end; ++i) {
        if (json.at(i) == '\n') {
            ++line;
            column = 1;
        } else {
            ++column;
        }
    }
    return { line, column };
}

} // namespace

QList<MonthDay> Config::defaultAepDates()
{
    static const QList<MonthDay> dates { MonthDay { 8, 18 }, MonthDay { 8, 25 }, MonthDay { 9, 1 },
                                         MonthDay { 9, 7 } };
    return dates;
}

Result<Config> Config::fromJson(const QByteArray &json)
{
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        const auto [line, column] = lineAndColumn(json, parseError.offset);
        return Error { tr("invalid JSON at line %1, column %2 (offset %3): %4")
                           .arg(line)
                           .arg(column)
                           .arg(parseError.offset)
                           .arg(parseError.errorString()) };
    }
    if (!doc.isObject())
        return Error { tr("the configuration must be a JSON object ({ ... })") };

    Config config;
    const QJsonObject object = doc.object();
    using Parser = std::function<std::optional<Error>(const QJsonValue &, const QString &)>;
    const auto intKey = [&config](int Config::*member, int min, int max) -> Parser {
        return [&config, member, min, max](const QJsonValue &v, const QString &path) {
            return readInt(v, path, min, max, config.*member);
        };
    };
    const QHash<QString, Parser> parsers = {
        { u"timezone"_s,
          [&config](const QJsonValue &v, const QString &path) -> std::optional<Error> {
              if (!v.isString() || !QTimeZone::isTimeZoneIdAvailable(v.toString().toUtf8()))
                  return mustBe(path, tr("a known IANA time zone such as \"America/Chicago\""));
              config.timezone = v.toString();
              return std::nullopt;
          } },
        { u"send_time"_s,
          [&config](const QJsonValue &v, const QString &path) -> std::optional<Error> {
              const auto time = v.isString() ? parseSendTime(v.toString()) : std::nullopt;
              if (!time)
                  return mustBe(path, tr("a time \"HH:MM\" or \"HH:MM:SS\""));
              config.sendTime = *time;
              return std::nullopt;
          } },
        { u"birthday_days_before"_s, intKey(&Config::birthdayDaysBefore, 0, MaxDays) },
        { u"effective_date_days_before"_s, intKey(&Config::effectiveDateDaysBefore, 0, MaxDays) },
        { u"pre_window_lead_days"_s, intKey(&Config::preWindowLeadDays, 0, MaxDays) },
        { u"aep_dates"_s,
          [&config](const QJsonValue &v, const QString &) { return parseAepDates(v, config); } },
        // The spread is a modulus: zero would divide by zero.
        { u"catch_up_spread_days"_s, intKey(&Config::catchUpSpreadDays, 1, MaxDays) },
        { u"post_window_enabled"_s,
          [&config](const QJsonValue &v, const QString &path) {
              return readBool(v, path, config.postWindowEnabled);
          } },
        { u"birthday_spacing_days"_s, intKey(&Config::birthdaySpacingDays, 0, MaxDays) },
        { u"frequency_max_emails"_s, intKey(&Config::frequencyMaxEmails, 1, 1000) },
        { u"frequency_period_days"_s, intKey(&Config::frequencyPeriodDays, 1, MaxDays) },
        { u"followups_enabled"_s,
          [&config](const QJsonValue &v, const QString &path) {
              return readBool(v, path, config.followupsEnabled);
          } },
        { u"followup_delay_days"_s, intKey(&Config::followupDelayDays, 0, MaxDays) },
        { u"followup_lookback_days"_s, intKey(&Config::followupLookbackDays, 0, MaxDays) },
        { u"exclude_failed_underwriting_global"_s,
          [&config](const QJsonValue &v, const QString &path) {
              return readBool(v, path, config.excludeFailedUnderwritingGlobal);
          } },
        { u"suppress_bounced"_s,
          [&config](const QJsonValue &v, const QString &path) {
              return readBool(v, path, config.suppressBounced);
          } },
        { u"priorities"_s,
          [&config](const QJsonValue &v, const QString &) { return parsePriorities(v, config); } },
        { u"load_balancing"_s,
          [&config](const QJsonValue &v, const QString &) {
              return parseLoadBalancing(v, config.loadBalancing);
          } },
        { u"state_rules"_s,
          [&config](const QJsonValue &v, const QString &path) -> std::optional<Error> {
              if (!v.isObject())
                  return mustBe(path, tr("an object of state code to rule"));
              auto table = StateRuleTable::fromJson(v.toObject(), StateRuleTable::defaults());
              if (!table)
                  return table.error();
              config.stateRules = std::move(table).value();
              return std::nullopt;
          } },
    };

    for (auto it = object.begin(); it != object.end(); ++it) {
        const auto parser = parsers.constFind(it.key());
        if (parser == parsers.cend())
            return unknownKey(it.key());
        if (auto err = (*parser)(*it, it.key()))
            return *err;
    }
    return config;
}

Result<Config> Config::fromFile(const QString &path)
{
    const QString shown = QDir::toNativeSeparators(path);
    QFile file(path);
    if (!QFileInfo::exists(path))
        return Error { tr("Configuration file \"%1\" does not exist").arg(shown) };
    if (!file.open(QIODevice::ReadOnly))
        return Error { tr("Cannot read configuration file \"%1\": %2").arg(shown, file.errorString()) };
    const QByteArray json = file.readAll();
    if (file.error() != QFileDevice::NoError)
        return Error { tr("Cannot read configuration file \"%1\": %2").arg(shown, file.errorString()) };
    auto config = fromJson(json);
    if (!config)
        return Error { tr("Configuration file \"%1\": %2").arg(shown, config.errorMessage()) };
    return config;
}

QDate currentDate(const Config &config)
{
    const QTimeZone zone(config.timezone.toUtf8());
    const QDateTime now = QDateTime::currentDateTimeUtc();
    return zone.isValid() ? now.toTimeZone(zone).date() : now.toLocalTime().date();
}
