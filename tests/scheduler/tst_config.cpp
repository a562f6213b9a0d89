#include "config.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

// Configuration parsing of SPEC section 10: defaults, every key, and errors naming the key.
class TestConfig : public QObject
{
    Q_OBJECT

private:
    static Config with(const std::function<void(Config &)> &change)
    {
        Config c;
        change(c);
        return c;
    }

    static StateRule rule(StateRule::Kind kind, int before, int after, int lead = -1)
    {
        StateRule r;
        r.kind = kind;
        r.before = before;
        r.after = after;
        r.lead = lead;
        return r;
    }

    static StateCode state(const char *code) { return StateCode::fromString(QString::fromLatin1(code)); }

private slots:
    void defaults()
    {
        const Config c;
        QCOMPARE(c.timezone, u"America/Chicago"_s);
        QCOMPARE(c.sendTime, QTime(8, 30, 0));
        QCOMPARE(c.birthdayDaysBefore, 14);
        QCOMPARE(c.effectiveDateDaysBefore, 30);
        QCOMPARE(c.preWindowLeadDays, 60);
        QCOMPARE(c.aepDates, (QList<MonthDay> { { 8, 18 }, { 8, 25 }, { 9, 1 }, { 9, 7 } }));
        QCOMPARE(c.catchUpSpreadDays, 7);
        QCOMPARE(c.postWindowEnabled, true);
        QCOMPARE(c.birthdaySpacingDays, 60);
        QCOMPARE(c.frequencyMaxEmails, 3);
        QCOMPARE(c.frequencyPeriodDays, 30);
        QCOMPARE(c.priority(EmailType::EffectiveDate), 10);
        QCOMPARE(c.priority(EmailType::Aep), 20);
        QCOMPARE(c.priority(EmailType::PostWindow), 25);
        QCOMPARE(c.priority(EmailType::Birthday), 30);
        QCOMPARE(c.loadBalancing.enabled, true);
        QCOMPARE(c.loadBalancing.dailySendPercentageCap, 0.07);
        QCOMPARE(c.loadBalancing.edDailySoftLimit, 15);
        QCOMPARE(c.loadBalancing.edSmoothingWindowDays, 5);
        QCOMPARE(c.loadBalancing.overageThreshold, 1.2);
        QCOMPARE(c.stateRules.rule(state("CA")), rule(StateRule::Kind::Birthday, 30, 60));

        const auto empty = Config::fromJson("{}");
        QVERIFY2(empty.ok(), qPrintable(empty.errorMessage()));
        QVERIFY(*empty == c);
        const auto spaced = Config::fromJson(" \n{ }\n");
        QVERIFY(spaced.ok());
        QVERIFY(*spaced == c);
    }

    void keys_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<Config>("expected");

        QTest::newRow("timezone") << QByteArray(R"({"timezone": "Europe/Berlin"})")
                                  << with([](Config &c) { c.timezone = u"Europe/Berlin"_s; });
        QTest::newRow("send_time HH:MM")
            << QByteArray(R"({"send_time": "07:05"})") << with([](Config &c) { c.sendTime = QTime(7, 5); });
        QTest::newRow("send_time HH:MM:SS") << QByteArray(R"({"send_time": "23:59:58"})")
                                            << with([](Config &c) { c.sendTime = QTime(23, 59, 58); });
        QTest::newRow("birthday_days_before") << QByteArray(R"({"birthday_days_before": 21})")
                                              << with([](Config &c) { c.birthdayDaysBefore = 21; });
        QTest::newRow("birthday_days_before 0") << QByteArray(R"({"birthday_days_before": 0})")
                                                << with([](Config &c) { c.birthdayDaysBefore = 0; });
        QTest::newRow("effective_date_days_before")
            << QByteArray(R"({"effective_date_days_before": 45.0})")
            << with([](Config &c) { c.effectiveDateDaysBefore = 45; });
        QTest::newRow("pre_window_lead_days") << QByteArray(R"({"pre_window_lead_days": 0})")
                                              << with([](Config &c) { c.preWindowLeadDays = 0; });
        QTest::newRow("aep_dates") << QByteArray(R"({"aep_dates": ["10-01", "09-15"]})")
                                   << with([](Config &c) {
                                          c.aepDates = { { 10, 1 }, { 9, 15 } };
                                      });
        QTest::newRow("aep_dates one") << QByteArray(R"({"aep_dates": ["12-31"]})") << with([](Config &c) {
            c.aepDates = { { 12, 31 } };
        });
        QTest::newRow("catch_up_spread_days") << QByteArray(R"({"catch_up_spread_days": 1})")
                                              << with([](Config &c) { c.catchUpSpreadDays = 1; });
        QTest::newRow("post_window_enabled") << QByteArray(R"({"post_window_enabled": false})")
                                             << with([](Config &c) { c.postWindowEnabled = false; });
        QTest::newRow("birthday_spacing_days") << QByteArray(R"({"birthday_spacing_days": 0})")
                                               << with([](Config &c) { c.birthdaySpacingDays = 0; });
        QTest::newRow("frequency_max_emails") << QByteArray(R"({"frequency_max_emails": 5})")
                                              << with([](Config &c) { c.frequencyMaxEmails = 5; });
        QTest::newRow("frequency_period_days") << QByteArray(R"({"frequency_period_days": 14})")
                                               << with([](Config &c) { c.frequencyPeriodDays = 14; });
        QTest::newRow("priorities") << QByteArray(R"({"priorities": {"birthday": 1, "post_window": -3}})")
                                    << with([](Config &c) {
                                           c.priorities[int(EmailType::Birthday)] = 1;
                                           c.priorities[int(EmailType::PostWindow)] = -3;
                                       });
        QTest::newRow("priorities all")
            << QByteArray(R"({"priorities": {"birthday": 4, "effective_date": 3,
                                                         "aep": 2, "post_window": 1}})")
            << with([](Config &c) { c.priorities = { 4, 3, 2, 1, 30, 50, 50, 50, 50 }; });
        QTest::newRow("load_balancing") << QByteArray(R"({"load_balancing": {"enabled": false,
                                            "daily_send_percentage_cap": 0.5, "ed_daily_soft_limit": 3,
                                            "ed_smoothing_window_days": 7, "overage_threshold": 1}})")
                                        << with([](Config &c) {
                                               c.loadBalancing.enabled = false;
                                               c.loadBalancing.dailySendPercentageCap = 0.5;
                                               c.loadBalancing.edDailySoftLimit = 3;
                                               c.loadBalancing.edSmoothingWindowDays = 7;
                                               c.loadBalancing.overageThreshold = 1.0;
                                           });
        QTest::newRow("load_balancing partial")
            << QByteArray(R"({"load_balancing": {"daily_send_percentage_cap": 1}})")
            << with([](Config &c) { c.loadBalancing.dailySendPercentageCap = 1.0; });
        QTest::newRow("state_rules") << QByteArray(
            R"({"state_rules": {"CA": {"rule": "birthday", "before": 1, "after": 2, "lead": 3},
                                                                      "NY": null,
                                                                      "TX": {"rule": "year_round"}}})")
                                     << with([](Config &c) {
                                            c.stateRules.setRule(state("CA"),
                                                                 rule(StateRule::Kind::Birthday, 1, 2, 3));
                                            c.stateRules.removeRule(state("NY"));
                                            StateRule yearRound;
                                            yearRound.kind = StateRule::Kind::YearRound;
                                            c.stateRules.setRule(state("TX"), yearRound);
                                        });
        QTest::newRow("state_rules empty") << QByteArray(R"({"state_rules": {}})") << Config();
    }
    void keys()
    {
        QFETCH(QByteArray, json);
        QFETCH(Config, expected);
        const auto config = Config::fromJson(json);
        QVERIFY2(config.ok(), qPrintable(config.errorMessage()));
        QVERIFY(*config == expected);
        QVERIFY(!(*config == Config()) || json.contains("{}"));
    }

    void stateRulesOverrideKeepsOthers()
    {
        const auto config = Config::fromJson(R"({"state_rules": {"CA": null}})");
        QVERIFY(config.ok());
        QCOMPARE(config->stateRules.rule(state("CA")).kind, StateRule::Kind::None);
        QCOMPARE(config->stateRules.rule(state("MO")), rule(StateRule::Kind::EffectiveDate, 30, 33));
        QCOMPARE(config->stateRules.statesWithRules().size(), 14);
        // The shipped table itself is not changed by an override.
        QCOMPARE(StateRuleTable::defaults().rule(state("CA")).kind, StateRule::Kind::Birthday);
    }

    void errors_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("message");

        QTest::newRow("unknown key") << QByteArray(R"({"timezones": "UTC"})")
                                     << u"unknown configuration key \"timezones\""_s;
        QTest::newRow("comment key") << QByteArray(R"({"_comment": "x"})")
                                     << u"unknown configuration key \"_comment\""_s;
        QTest::newRow("unknown nested key") << QByteArray(R"({"load_balancing": {"foo": 1}})")
                                            << u"unknown configuration key \"load_balancing.foo\""_s;
        QTest::newRow("timezone type")
            << QByteArray(R"({"timezone": 5})")
            << u"\"timezone\" must be a known IANA time zone such as \"America/Chicago\""_s;
        QTest::newRow("timezone unknown")
            << QByteArray(R"({"timezone": "Mars/Olympus"})")
            << u"\"timezone\" must be a known IANA time zone such as \"America/Chicago\""_s;
        QTest::newRow("send_time hour") << QByteArray(R"({"send_time": "24:00"})")
                                        << u"\"send_time\" must be a time \"HH:MM\" or \"HH:MM:SS\""_s;
        QTest::newRow("send_time short") << QByteArray(R"({"send_time": "8:30"})")
                                         << u"\"send_time\" must be a time \"HH:MM\" or \"HH:MM:SS\""_s;
        QTest::newRow("send_time number") << QByteArray(R"({"send_time": 830})")
                                          << u"\"send_time\" must be a time \"HH:MM\" or \"HH:MM:SS\""_s;
        QTest::newRow("negative days") << QByteArray(R"({"birthday_days_before": -1})")
                                       << u"\"birthday_days_before\" must be an integer from 0 to 365"_s;
        QTest::newRow("days as string") << QByteArray(R"({"effective_date_days_before": "30"})")
                                        << u"\"effective_date_days_before\" must be an integer"_s;
        QTest::newRow("fractional days") << QByteArray(R"({"pre_window_lead_days": 1.5})")
                                         << u"\"pre_window_lead_days\" must be an integer"_s;
        QTest::newRow("days as bool") << QByteArray(R"({"birthday_spacing_days": true})")
                                      << u"\"birthday_spacing_days\" must be an integer"_s;
        QTest::newRow("zero spread") << QByteArray(R"({"catch_up_spread_days": 0})")
                                     << u"\"catch_up_spread_days\" must be an integer from 1 to 365"_s;
        QTest::newRow("zero frequency") << QByteArray(R"({"frequency_max_emails": 0})")
                                        << u"\"frequency_max_emails\" must be an integer from 1 to 1000"_s;
        QTest::newRow("zero period") << QByteArray(R"({"frequency_period_days": 0})")
                                     << u"\"frequency_period_days\" must be an integer from 1 to 365"_s;
        QTest::newRow("post_window type") << QByteArray(R"({"post_window_enabled": "no"})")
                                          << u"\"post_window_enabled\" must be true or false"_s;
        QTest::newRow("aep_dates empty") << QByteArray(R"({"aep_dates": []})")
                                         << u"\"aep_dates\" must be a non-empty list of dates \"MM-DD\""_s;
        QTest::newRow("aep_dates not list") << QByteArray(R"({"aep_dates": "08-18"})")
                                            << u"\"aep_dates\" must be a list of dates \"MM-DD\""_s;
        QTest::newRow("aep_dates bad day") << QByteArray(R"({"aep_dates": ["08-18", "09-01", "02-30"]})")
                                           << u"\"aep_dates[2]\" must be a date \"MM-DD\""_s;
        QTest::newRow("aep_dates feb 29")
            << QByteArray(R"({"aep_dates": ["02-29"]})") << u"\"aep_dates[0]\" must be a date \"MM-DD\""_s;
        QTest::newRow("aep_dates month 13")
            << QByteArray(R"({"aep_dates": ["13-01"]})") << u"\"aep_dates[0]\" must be a date \"MM-DD\""_s;
        QTest::newRow("aep_dates one digit")
            << QByteArray(R"({"aep_dates": ["8-18"]})") << u"\"aep_dates[0]\" must be a date \"MM-DD\""_s;
        QTest::newRow("aep_dates number") << QByteArray(R"({"aep_dates": ["08-18", 818]})")
                                          << u"\"aep_dates[1]\" must be a date \"MM-DD\""_s;
        QTest::newRow("priorities type") << QByteArray(R"({"priorities": [1, 2]})")
                                         << u"\"priorities\" must be an object of email type to integer"_s;
        QTest::newRow("priority value") << QByteArray(R"({"priorities": {"birthday": "high"}})")
                                        << u"\"priorities.birthday\" must be an integer"_s;
        QTest::newRow("priority unknown type")
            << QByteArray(R"({"priorities": {"newsletter": 1}})")
            << u"unknown email type \"newsletter\" in \"priorities\" (expected birthday, effective_date, aep, post_window, a follow-up type or campaign_<name>)"_s;
        QTest::newRow("load_balancing type")
            << QByteArray(R"({"load_balancing": true})") << u"\"load_balancing\" must be an object"_s;
        QTest::newRow("enabled type") << QByteArray(R"({"load_balancing": {"enabled": 1}})")
                                      << u"\"load_balancing.enabled\" must be true or false"_s;
        QTest::newRow("percentage zero")
            << QByteArray(R"({"load_balancing": {"daily_send_percentage_cap": 0}})")
            << u"\"load_balancing.daily_send_percentage_cap\" must be a number greater than 0 and at most 1"_s;
        QTest::newRow("percentage string")
            << QByteArray(R"({"load_balancing": {"daily_send_percentage_cap": "7%"}})")
            << u"\"load_balancing.daily_send_percentage_cap\" must be a number"_s;
        QTest::newRow("soft limit zero")
            << QByteArray(R"({"load_balancing": {"ed_daily_soft_limit": 0}})")
            << u"\"load_balancing.ed_daily_soft_limit\" must be an integer >= 1"_s;
        QTest::newRow("window zero")
            << QByteArray(R"({"load_balancing": {"ed_smoothing_window_days": 0}})")
            << u"\"load_balancing.ed_smoothing_window_days\" must be an integer from 1 to 365"_s;
        QTest::newRow("threshold below 1")
            << QByteArray(R"({"load_balancing": {"overage_threshold": 0.9}})")
            << u"\"load_balancing.overage_threshold\" must be a number from 1 to 100"_s;
        QTest::newRow("state_rules type") << QByteArray(R"({"state_rules": []})")
                                          << u"\"state_rules\" must be an object of state code to rule"_s;
        QTest::newRow("state_rules unknown state")
            << QByteArray(R"({"state_rules": {"XY": null}})")
            << u"unknown state \"XY\" in \"state_rules\" (expected a two-letter US state code such as \"CA\")"_s;
        QTest::newRow("state_rules nested key")
            << QByteArray(R"({"state_rules": {"MO": {"rule": "effective_date", "before": 1, "after": "2"}}})")
            << u"\"state_rules.MO.after\" must be an integer from 0 to 365"_s;
        QTest::newRow("not an object")
            << QByteArray("[1, 2]") << u"the configuration must be a JSON object ({ ... })"_s;
        QTest::newRow("empty input") << QByteArray("")
                                     << u"invalid JSON at line 1, column 1 (offset 0): illegal value"_s;
        QTest::newRow("syntax error")
            << QByteArray("{\n  \"timezone\": \"UTC\"\n  \"send_time\": \"08:00\"\n}")
            << u"invalid JSON at line 3, column 4 (offset 25): unterminated object"_s;
    }
    void errors()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, message);
        const auto config = Config::fromJson(json);
        QVERIFY(!config.ok());
        QCOMPARE(config.errorMessage(), message);
    }

    void fromFile()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString good = dir.filePath(u"good.json"_s);
        {
            QFile f(good);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(R"({"birthday_days_before": 7, "aep_dates": ["09-01"]})");
        }
        const auto config = Config::fromFile(good);
        QVERIFY2(config.ok(), qPrintable(config.errorMessage()));
        QCOMPARE(config->birthdayDaysBefore, 7);
        QCOMPARE(config->aepDates, QList<MonthDay>({ { 9, 1 } }));

        const QString missing = dir.filePath(u"missing.json"_s);
        const auto noFile = Config::fromFile(missing);
        QVERIFY(!noFile.ok());
        QCOMPARE(noFile.errorMessage(),
                 u"Configuration file \"%1\" does not exist"_s.arg(QDir::toNativeSeparators(missing)));

        const QString bad = dir.filePath(u"bad.json"_s);
        {
            QFile f(bad);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write("{\n\"load_balancing\": {\"overage_threshold\": \"high\"}\n}\n");
        }
        const auto badConfig = Config::fromFile(bad);
        QVERIFY(!badConfig.ok());
        QCOMPARE(badConfig.errorMessage(),
                 u"Configuration file \"%1\": \"load_balancing.overage_threshold\" must be a number"_s.arg(
                     QDir::toNativeSeparators(bad)));

        const QString broken = dir.filePath(u"broken.json"_s);
        {
            QFile f(broken);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write("{\n\n  \"timezone\": \"UTC\",\n}");
        }
        const auto brokenConfig = Config::fromFile(broken);
        QVERIFY(!brokenConfig.ok());
        QVERIFY2(
            brokenConfig.errorMessage().startsWith(
                u"Configuration file \"%1\": invalid JSON at line 4"_s.arg(QDir::toNativeSeparators(broken))),
            qPrintable(brokenConfig.errorMessage()));

        // A directory exists but cannot be read as a file.
        const auto dirConfig = Config::fromFile(dir.path());
        QVERIFY(!dirConfig.ok());
        QVERIFY2(dirConfig.errorMessage().startsWith(
                     u"Cannot read configuration file \"%1\""_s.arg(QDir::toNativeSeparators(dir.path()))),
                 qPrintable(dirConfig.errorMessage()));
    }
};

QTEST_GUILESS_MAIN(TestConfig)
#include "tst_config.moc"
