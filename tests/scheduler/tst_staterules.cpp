#include "staterules.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>
#include <QTest>

using namespace Qt::StringLiterals;

// State codes, the shipped rule table (SPEC section 3), overrides and state names.
class TestStateRules : public QObject
{
    Q_OBJECT

private:
    static QJsonObject object(const QByteArray &json)
    {
        QJsonParseError error;
        const QJsonDocument doc = QJsonDocument::fromJson(json, &error);
        if (!doc.isObject())
            qFatal("bad test JSON: %s", qPrintable(error.errorString()));
        return doc.object();
    }

    static StateRule rule(StateRule::Kind kind, int before, int after, int lead = -1, bool monthStart = false,
                          int maxAge = -1)
    {
        StateRule r;
        r.kind = kind;
        r.before = before;
        r.after = after;
        r.lead = lead;
        r.monthStart = monthStart;
        r.maxAge = maxAge;
        return r;
    }

private slots:
    void stateCode_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<bool>("valid");
        QTest::addColumn<QString>("normalised");

        QTest::newRow("upper") << u"CA"_s << true << u"CA"_s;
        QTest::newRow("lower") << u"ny"_s << true << u"NY"_s;
        QTest::newRow("mixed") << u"pR"_s << true << u"PR"_s;
        QTest::newRow("one letter") << u"C"_s << false << QString();
        QTest::newRow("three letters") << u"CAL"_s << false << QString();
        QTest::newRow("digit") << u"C1"_s << false << QString();
        QTest::newRow("space") << u" C"_s << false << QString();
        QTest::newRow("empty") << QString() << false << QString();
        QTest::newRow("non-ascii") << u"\u00c9A"_s << false << QString();
    }
    void stateCode()
    {
        QFETCH(QString, text);
        QFETCH(bool, valid);
        QFETCH(QString, normalised);
        const StateCode code = StateCode::fromString(text);
        QCOMPARE(code.isValid(), valid);
        QCOMPARE(code.toString(), normalised);
        if (valid)
            QCOMPARE(StateCode::fromString(normalised), code);
    }

    void stateCodesDiffer()
    {
        QVERIFY(StateCode::fromString(u"CA") != StateCode::fromString(u"AC"));
        QVERIFY(StateCode::fromString(u"CA") != StateCode());
    }

    void defaults_data()
    {
        QTest::addColumn<QString>("state");
        QTest::addColumn<StateRule>("expected");
        using K = StateRule::Kind;
        QTest::newRow("CA") << u"CA"_s << rule(K::Birthday, 30, 60);
        QTest::newRow("ID") << u"ID"_s << rule(K::Birthday, 0, 63);
        QTest::newRow("IL") << u"IL"_s << rule(K::Birthday, 0, 45, -1, false, 75);
        QTest::newRow("KY") << u"KY"_s << rule(K::Birthday, 0, 60);
        QTest::newRow("LA") << u"LA"_s << rule(K::Birthday, 30, 63);
        QTest::newRow("MD") << u"MD"_s << rule(K::Birthday, 0, 30);
        QTest::newRow("NV") << u"NV"_s << rule(K::Birthday, 0, 60, -1, true);
        QTest::newRow("OK") << u"OK"_s << rule(K::Birthday, 0, 60);
        QTest::newRow("OR") << u"OR"_s << rule(K::Birthday, 0, 31);
        QTest::newRow("VA") << u"VA"_s << rule(K::Birthday, 0, 30);
        QTest::newRow("MO") << u"MO"_s << rule(K::EffectiveDate, 30, 33);
        QTest::newRow("CT") << u"CT"_s << rule(K::YearRound, 0, 0);
        QTest::newRow("MA") << u"MA"_s << rule(K::YearRound, 0, 0);
        QTest::newRow("NY") << u"NY"_s << rule(K::YearRound, 0, 0);
        QTest::newRow("WA") << u"WA"_s << rule(K::YearRound, 0, 0);
        QTest::newRow("TX none") << u"TX"_s << StateRule();
        QTest::newRow("DC none") << u"DC"_s << StateRule();
        QTest::newRow("invalid none") << QString() << StateRule();
    }
    void defaults()
    {
        QFETCH(QString, state);
        QFETCH(StateRule, expected);
        QCOMPARE(StateRuleTable::defaults().rule(StateCode::fromString(state)), expected);
    }

    void defaultStatesWithRules()
    {
        QStringList codes;
        for (StateCode s : StateRuleTable::defaults().statesWithRules())
            codes.append(s.toString());
        QCOMPARE(codes,
                 QStringList({ u"CA"_s, u"CT"_s, u"ID"_s, u"IL"_s, u"KY"_s, u"LA"_s, u"MA"_s, u"MD"_s,
                               u"MO"_s, u"NV"_s, u"NY"_s, u"OK"_s, u"OR"_s, u"VA"_s, u"WA"_s }));
    }

    void overrides_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("state");
        QTest::addColumn<StateRule>("expected");
        using K = StateRule::Kind;
        QTest::newRow("replace CA") << QByteArray(
            R"({"CA": {"rule": "birthday", "before": 10, "after": 20}})")
                                    << u"CA"_s << rule(K::Birthday, 10, 20);
        QTest::newRow("replacing drops unlisted fields")
            << QByteArray(R"({"IL": {"rule": "birthday", "before": 0, "after": 45}})") << u"IL"_s
            << rule(K::Birthday, 0, 45);
        QTest::newRow("all fields") << QByteArray(
            R"({"TX": {"rule": "effective_date", "before": 5, "after": 6, "lead": 7,
                             "month_start": true, "max_age": 80}})")
                                    << u"TX"_s << rule(K::EffectiveDate, 5, 6, 7, true, 80);
        QTest::newRow("year round without days")
            << QByteArray(R"({"FL": {"rule": "year_round"}})") << u"FL"_s << rule(K::YearRound, 0, 0);
        QTest::newRow("null removes") << QByteArray(R"({"NY": null})") << u"NY"_s << StateRule();
        QTest::newRow("null on a state without rule")
            << QByteArray(R"({"TX": null})") << u"TX"_s << StateRule();
        QTest::newRow("unlisted keeps default")
            << QByteArray(R"({"NY": null})") << u"CA"_s << rule(K::Birthday, 30, 60);
        QTest::newRow("territory") << QByteArray(R"({"PR": {"rule": "birthday", "before": 0, "after": 1}})")
                                   << u"PR"_s << rule(K::Birthday, 0, 1);
        QTest::newRow("lead zero") << QByteArray(
            R"({"MD": {"rule": "birthday", "before": 0, "after": 30, "lead": 0}})")
                                   << u"MD"_s << rule(K::Birthday, 0, 30, 0);
    }
    void overrides()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, state);
        QFETCH(StateRule, expected);
        const auto table = StateRuleTable::fromJson(object(json), StateRuleTable::defaults());
        QVERIFY2(table.ok(), qPrintable(table.errorMessage()));
        QCOMPARE(table->rule(StateCode::fromString(state)), expected);
    }

    void errors_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("message");
        QTest::newRow("unknown state")
            << QByteArray(R"({"XX": null})")
            << u"unknown state \"XX\" in \"state_rules\" (expected a two-letter US state code such as \"CA\")"_s;
        QTest::newRow("lower-case state")
            << QByteArray(R"({"ca": null})")
            << u"unknown state \"ca\" in \"state_rules\" (expected a two-letter US state code such as \"CA\")"_s;
        QTest::newRow("long name")
            << QByteArray(R"({"California": null})")
            << u"unknown state \"California\" in \"state_rules\" (expected a two-letter US state code such as \"CA\")"_s;
        QTest::newRow("not an object")
            << QByteArray(R"({"CA": 5})")
            << u"\"state_rules.CA\" must be an object with \"rule\", \"before\" and \"after\", or null"_s;
        QTest::newRow("unknown key") << QByteArray(
            R"({"CA": {"rule": "birthday", "before": 1, "after": 2, "foo": 1}})")
                                     << u"unknown configuration key \"state_rules.CA.foo\""_s;
        QTest::newRow("missing rule")
            << QByteArray(R"({"CA": {"before": 1, "after": 2}})")
            << u"\"state_rules.CA\" is missing \"rule\" (birthday, effective_date or year_round)"_s;
        QTest::newRow("bad rule")
            << QByteArray(R"({"CA": {"rule": "bday", "before": 1, "after": 2}})")
            << u"\"state_rules.CA.rule\" must be \"birthday\", \"effective_date\" or \"year_round\""_s;
        QTest::newRow("missing before") << QByteArray(R"({"CA": {"rule": "birthday", "after": 2}})")
                                        << u"\"state_rules.CA.before\" is missing"_s;
        QTest::newRow("missing after") << QByteArray(R"({"MO": {"rule": "effective_date", "before": 2}})")
                                       << u"\"state_rules.MO.after\" is missing"_s;
        QTest::newRow("negative before")
            << QByteArray(R"({"CA": {"rule": "birthday", "before": -1, "after": 2}})")
            << u"\"state_rules.CA.before\" must be an integer from 0 to 365"_s;
        QTest::newRow("fractional after")
            << QByteArray(R"({"CA": {"rule": "birthday", "before": 1, "after": 2.5}})")
            << u"\"state_rules.CA.after\" must be an integer from 0 to 365"_s;
        QTest::newRow("string lead") << QByteArray(
            R"({"CA": {"rule": "birthday", "before": 1, "after": 2, "lead": "60"}})")
                                     << u"\"state_rules.CA.lead\" must be an integer from 0 to 365"_s;
        QTest::newRow("max_age") << QByteArray(
            R"({"IL": {"rule": "birthday", "before": 1, "after": 2, "max_age": -5}})")
                                 << u"\"state_rules.IL.max_age\" must be an integer from 0 to 200"_s;
        QTest::newRow("month_start") << QByteArray(
            R"({"NV": {"rule": "birthday", "before": 0, "after": 2, "month_start": 1}})")
                                     << u"\"state_rules.NV.month_start\" must be true or false"_s;
        QTest::newRow("window too long")
            << QByteArray(R"({"CA": {"rule": "birthday", "before": 300, "after": 2, "lead": 66}})")
            << u"\"state_rules.CA\": before + lead must not exceed 365 days"_s;
    }
    void errors()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, message);
        const auto table = StateRuleTable::fromJson(object(json), StateRuleTable::defaults());
        QVERIFY(!table.ok());
        QCOMPARE(table.errorMessage(), message);
    }

    void setAndRemove()
    {
        StateRuleTable table;
        const StateCode tx = StateCode::fromString(u"TX");
        QCOMPARE(table.rule(tx).kind, StateRule::Kind::None);
        table.setRule(tx, rule(StateRule::Kind::Birthday, 1, 2));
        QCOMPARE(table.rule(tx), rule(StateRule::Kind::Birthday, 1, 2));
        QCOMPARE(table.statesWithRules(), QList<StateCode> { tx });
        table.setRule(tx, StateRule()); // Kind::None means "no rule"
        QVERIFY(table.statesWithRules().isEmpty());
        table.setRule(tx, rule(StateRule::Kind::YearRound, 0, 0));
        table.removeRule(tx);
        QCOMPARE(table.rule(tx), StateRule());
        table.setRule(StateCode(), rule(StateRule::Kind::YearRound, 0, 0));
        QVERIFY(table.statesWithRules().isEmpty());
    }

    // Every code a contact can carry has a real name.
    void stateNamesCoverZipTable()
    {
        QFile file(u":/data/zip3_state.csv"_s);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QSet<QString> codes;
        bool header = true;
        while (!file.atEnd()) {
            const QString line = QString::fromUtf8(file.readLine()).trimmed();
            if (header || line.isEmpty()) {
                header = false;
                continue;
            }
            codes.insert(line.section(u',', 1, 1));
        }
        QVERIFY(codes.size() >= 50);
        for (const QString &code : codes) {
            const StateCode state = StateCode::fromString(code);
            QVERIFY2(state.isValid(), qPrintable(code));
            const QString name = ::stateName(state);
            QVERIFY2(name != code && name.size() > 2, qPrintable(code));
        }
    }

    void stateName_data()
    {
        QTest::addColumn<QString>("code");
        QTest::addColumn<QString>("name");
        QTest::newRow("CA") << u"CA"_s << u"California"_s;
        QTest::newRow("WV") << u"WV"_s << u"West Virginia"_s;
        QTest::newRow("DC") << u"DC"_s << u"District of Columbia"_s;
        QTest::newRow("PR") << u"PR"_s << u"Puerto Rico"_s;
        QTest::newRow("VI") << u"VI"_s << u"U.S. Virgin Islands"_s;
        QTest::newRow("GU") << u"GU"_s << u"Guam"_s;
        QTest::newRow("AS") << u"AS"_s << u"American Samoa"_s;
        QTest::newRow("MP") << u"MP"_s << u"Northern Mariana Islands"_s;
        QTest::newRow("AA") << u"AA"_s << u"Armed Forces Americas"_s;
        QTest::newRow("AE") << u"AE"_s << u"Armed Forces Europe"_s;
        QTest::newRow("AP") << u"AP"_s << u"Armed Forces Pacific"_s;
        QTest::newRow("unknown is the code") << u"ZZ"_s << u"ZZ"_s;
        QTest::newRow("invalid is empty") << u"1"_s << QString();
    }
    void stateName()
    {
        QFETCH(QString, code);
        QFETCH(QString, name);
        QCOMPARE(::stateName(StateCode::fromString(code)), name);
    }
};

QTEST_GUILESS_MAIN(TestStateRules)
#include "tst_staterules.moc"
