#include "dates.h"
#include "engine.h"
#include "enginetestutil.h"
#include "loadbalancer.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace EngineTestUtil;

// An independent reviewer's check of the engine against SPEC sections 1-8, on cases the engine's
// own suites cover thinly: New Year crossings, first policy anniversaries, LA/NV/IL specifics,
// catch-up clamping, AEP fallbacks, boundary spacing and frequency windows, ZIP/state mixes.
// Every expected value was worked out by hand (the arithmetic is in the row's comment) and then
// re-checked with Python's datetime against a separate reference model written from the SPEC.
//
// Defaults: birthday 14 days before, effective_date 30 before, lead 60, AEP 08-18, 08-25, 09-01,
// 09-07 (slot = id mod 4), spacing 60, at most 3 emails in any 30 days, catch-up spread 7.
// Windows E_Y: CA [a-90, a+60]; LA [a-90, a+63]; MO [a-90, a+33] for Y > effective.year;
// NV [1st of the month -60, +60]; IL [a-60, a+45] while the age on a is <= 75.
class TestSpecCases : public QObject
{
    Q_OBJECT

private slots:
    void parse_data();
    void parse();
    void checks_data();
    void checks();
    void windows_data();
    void windows();
    void schedule_data();
    void schedule();
    void balancedScheduleKeepsEngineOrder();
};

void TestSpecCases::parse_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("expected"); // ISO date; empty: invalid

    QTest::newRow("2023-02-30 does not exist") << u"2023-02-30"_s << QString();
    QTest::newRow("2/29/2023 does not exist") << u"2/29/2023"_s << QString();
    QTest::newRow("month 00 in M/D/YYYY") << u"00/10/1950"_s << QString();
    QTest::newRow("month 13 in M-D-YYYY") << u"13-01-1950"_s << QString();
    QTest::newRow("one-digit month and day in YYYY-MM-DD") << u"1950-1-5"_s << QString();
    QTest::newRow("MMDDYYYY with 7 digits") << u"1051950"_s << QString();
    QTest::newRow("YYYYMMDD is not MMDDYYYY") << u"19500105"_s << QString();
    QTest::newRow("M-D-YYYY with a time") << u"1-5-1950 08:00"_s << QString();
    QTest::newRow("M/D/YYYY two-digit year") << u"01/05/50"_s << QString();
    QTest::newRow("MMDDYYYY Dec 31") << u"12311950"_s << u"1950-12-31"_s;
    QTest::newRow("MMDDYYYY leap day") << u"02291952"_s << u"1952-02-29"_s;
    QTest::newRow("YYYY-MM-DD followed by T only") << u"1950-01-05T"_s << u"1950-01-05"_s;
    QTest::newRow("M-D-YYYY padded with spaces") << u"  7-4-1950 "_s << u"1950-07-04"_s;
    QTest::newRow("MM/DD/YYYY") << u"01/05/1950"_s << u"1950-01-05"_s;
}

void TestSpecCases::parse()
{
    QFETCH(QString, text);
    QFETCH(QString, expected);
    const QDate d = Dates::parseContactDate(text);
    QCOMPARE(d.isValid() ? d.toString(Qt::ISODate) : QString(), expected);
}

void TestSpecCases::checks_data()
{
    QTest::addColumn<QString>("zip");
    QTest::addColumn<QString>("state");
    QTest::addColumn<QString>("birth");
    QTest::addColumn<QString>("expectedState"); // empty: unknown
    QTest::addColumn<QString>("problems");      // "severity code" joined by ","

    // "1234" -> "01234", prefix 012 is MA; the stored CA differs
    QTest::newRow("ZIP 1234 gets a leading 0")
        << u"1234"_s << u"CA"_s << QString() << u"MA"_s << u"warning zip_state_mismatch"_s;
    // cut at the first '-': "12345", prefix 123 is NY; stored " ca " trims and upper-cases to CA
    QTest::newRow("ZIP+4 12345-6789")
        << u"12345-6789"_s << u" ca "_s << QString() << u"NY"_s << u"warning zip_state_mismatch"_s;
    QTest::newRow("ZIP 12345-6789 agrees with ny")
        << u"12345-6789"_s << u"ny"_s << QString() << u"NY"_s << QString();
    // 3 digits are not mappable: the stored state is used
    QTest::newRow("ZIP 123, stored ca")
        << u"123"_s << u" ca "_s << QString() << u"CA"_s << u"warning invalid_zip"_s;
    QTest::newRow("ZIP 123, no state")
        << u"123"_s << QString() << QString() << QString() << u"error unknown_state,warning invalid_zip"_s;
    QTest::newRow("ZIP maps, stored state differs")
        << u"90210"_s << u"NV"_s << QString() << u"CA"_s << u"warning zip_state_mismatch"_s;
    QTest::newRow("stored lower-case with spaces")
        << QString() << u" ca "_s << QString() << u"CA"_s << QString();
    // today is 2025-01-15 in every row
    QTest::newRow("birth date == today is valid")
        << QString() << u"TX"_s << u"2025-01-15"_s << u"TX"_s << QString();
    QTest::newRow("birth date tomorrow is invalid")
        << QString() << u"TX"_s << u"01162025"_s << u"TX"_s << u"warning invalid_birth_date"_s;
    QTest::newRow("birth date 2023-02-30")
        << QString() << u"TX"_s << u"2023-02-30"_s << u"TX"_s << u"warning invalid_birth_date"_s;
    QTest::newRow("birth date 00/10/1950")
        << QString() << u"TX"_s << u"00/10/1950"_s << u"TX"_s << u"warning invalid_birth_date"_s;
    QTest::newRow("birth date 13-01-1950")
        << QString() << u"TX"_s << u"13-01-1950"_s << u"TX"_s << u"warning invalid_birth_date"_s;
    QTest::newRow("birth date 1950-1-5")
        << QString() << u"TX"_s << u"1950-1-5"_s << u"TX"_s << u"warning invalid_birth_date"_s;
}

void TestSpecCases::checks()
{
    QFETCH(QString, zip);
    QFETCH(QString, state);
    QFETCH(QString, birth);
    QFETCH(QString, expectedState);
    QFETCH(QString, problems);

    Contact c = makeContact(1, state, birth, QString());
    c.zipCode = zip;
    const ContactFacts facts = Engine::checkContact(c, QDate(2025, 1, 15));
    QCOMPARE(facts.state.isValid() ? facts.state.toString() : QString(), expectedState);
    QStringList actual;
    for (const Problem &p : facts.problems)
        actual << severityName(p.severity) + u' ' + problemCodeName(p.code);
    QCOMPARE(actual.join(u','), problems);
    QCOMPARE(facts.birthDate.isValid(), !birth.isEmpty() && !problems.contains(u"invalid_birth_date"));
}

void TestSpecCases::windows_data()
{
    QTest::addColumn<QString>("state");
    QTest::addColumn<QString>("event"); // birth date, or effective date for MO
    QTest::addColumn<QDate>("date");
    QTest::addColumn<QString>("expected"); // causing window "start..end"; empty: not excluded

    // CA Jan 3: E_2026 = [2026-01-03 - 90 = 2025-10-05, 2026-01-03 + 60 = 2026-03-04]
    // (90 back: 2 days to Jan 1, Dec 31 is 3, Nov 30 is 34, Oct 31 is 64, Oct 5 is 90)
    QTest::newRow("CA Jan 3, day before E_2026")
        << u"CA"_s << u"1950-01-03"_s << QDate(2025, 10, 4) << QString();
    QTest::newRow("CA Jan 3, E_2026 from the year before")
        << u"CA"_s << u"1950-01-03"_s << QDate(2025, 10, 5) << u"2025-10-05..2026-03-04"_s;
    QTest::newRow("CA Jan 3, E_2026 end")
        << u"CA"_s << u"1950-01-03"_s << QDate(2026, 3, 4) << u"2025-10-05..2026-03-04"_s;
    QTest::newRow("CA Jan 3, day after E_2026")
        << u"CA"_s << u"1950-01-03"_s << QDate(2026, 3, 5) << QString();
    // CA Dec 28: E_2025 = [2025-09-29, 2025-12-28 + 60 = 2026-02-26] (3 to Dec 31, 34 to Jan 31)
    QTest::newRow("CA Dec 28, day before E_2025")
        << u"CA"_s << u"1950-12-28"_s << QDate(2025, 9, 28) << QString();
    QTest::newRow("CA Dec 28, E_2025 start")
        << u"CA"_s << u"1950-12-28"_s << QDate(2025, 9, 29) << u"2025-09-29..2026-02-26"_s;
    QTest::newRow("CA Dec 28, E_2025 end in the next year")
        << u"CA"_s << u"1950-12-28"_s << QDate(2026, 2, 26) << u"2025-09-29..2026-02-26"_s;
    QTest::newRow("CA Dec 28, day after E_2025")
        << u"CA"_s << u"1950-12-28"_s << QDate(2026, 2, 27) << QString();
    // CA Dec 31: +60 is Feb 29 in a leap year (31 to Jan 31, 60 to Feb 29), Mar 1 otherwise
    QTest::newRow("CA Dec 31, E_2023 ends Feb 29")
        << u"CA"_s << u"1950-12-31"_s << QDate(2024, 2, 29) << u"2023-10-02..2024-02-29"_s;
    QTest::newRow("CA Dec 31, Mar 1 2024 free")
        << u"CA"_s << u"1950-12-31"_s << QDate(2024, 3, 1) << QString();
    QTest::newRow("CA Dec 31, E_2024 ends Mar 1")
        << u"CA"_s << u"1950-12-31"_s << QDate(2025, 3, 1) << u"2024-10-02..2025-03-01"_s;
    // LA Jun 1: [06-01 - 30 - 60 = 03-03, 06-01 + 63 = 08-03]
    QTest::newRow("LA day before start") << u"LA"_s << u"1950-06-01"_s << QDate(2025, 3, 2) << QString();
    QTest::newRow("LA start") << u"LA"_s << u"1950-06-01"_s << QDate(2025, 3, 3)
                              << u"2025-03-03..2025-08-03"_s;
    QTest::newRow("LA end") << u"LA"_s << u"1950-06-01"_s << QDate(2025, 8, 3) << u"2025-03-03..2025-08-03"_s;
    QTest::newRow("LA day after end") << u"LA"_s << u"1950-06-01"_s << QDate(2025, 8, 4) << QString();
    // NV Oct 31: anchor Oct 1 -> [08-02, 11-30]; Dec 30 (birthday + 60) is not excluded
    QTest::newRow("NV 31st, day before start")
        << u"NV"_s << u"1950-10-31"_s << QDate(2025, 8, 1) << QString();
    QTest::newRow("NV 31st, start") << u"NV"_s << u"1950-10-31"_s << QDate(2025, 8, 2)
                                    << u"2025-08-02..2025-11-30"_s;
    QTest::newRow("NV 31st, end") << u"NV"_s << u"1950-10-31"_s << QDate(2025, 11, 30)
                                  << u"2025-08-02..2025-11-30"_s;
    QTest::newRow("NV 31st, day after end") << u"NV"_s << u"1950-10-31"_s << QDate(2025, 12, 1) << QString();
    QTest::newRow("NV 31st, birthday + 60") << u"NV"_s << u"1950-10-31"_s << QDate(2025, 12, 30) << QString();
    // NV Feb 29: anchor Feb 1 every year. 2025: [2024-12-03, 2025-04-02];
    // 2024 (leap): [2023-12-03, Feb 1 + 28 = Feb 29, + 31 = Mar 31, + 1 = 2024-04-01]
    QTest::newRow("NV Feb 29, day before start")
        << u"NV"_s << u"1952-02-29"_s << QDate(2024, 12, 2) << QString();
    QTest::newRow("NV Feb 29, start")
        << u"NV"_s << u"1952-02-29"_s << QDate(2024, 12, 3) << u"2024-12-03..2025-04-02"_s;
    QTest::newRow("NV Feb 29, end") << u"NV"_s << u"1952-02-29"_s << QDate(2025, 4, 2)
                                    << u"2024-12-03..2025-04-02"_s;
    QTest::newRow("NV Feb 29, day after end") << u"NV"_s << u"1952-02-29"_s << QDate(2025, 4, 3) << QString();
    QTest::newRow("NV Feb 29, leap year end")
        << u"NV"_s << u"1952-02-29"_s << QDate(2024, 4, 1) << u"2023-12-03..2024-04-01"_s;
    QTest::newRow("NV Feb 29, leap year day after end")
        << u"NV"_s << u"1952-02-29"_s << QDate(2024, 4, 2) << QString();
    // MO policy from 2025-06-01: no window in 2025; E_2026 = [2026-03-03, 2026-07-04]
    QTest::newRow("MO this year's start is no anchor")
        << u"MO"_s << u"2025-06-01"_s << QDate(2025, 6, 1) << QString();
    QTest::newRow("MO this year, day before E_2026")
        << u"MO"_s << u"2025-06-01"_s << QDate(2026, 3, 2) << QString();
    QTest::newRow("MO this year, E_2026 start")
        << u"MO"_s << u"2025-06-01"_s << QDate(2026, 3, 3) << u"2026-03-03..2026-07-04"_s;
    // MO policy from 2024-06-01: E_2025 = [06-01 - 90 = 03-03, 06-01 + 33 = 07-04]
    QTest::newRow("MO last year's start is no anchor")
        << u"MO"_s << u"2024-06-01"_s << QDate(2024, 6, 1) << QString();
    QTest::newRow("MO last year, E_2025 start")
        << u"MO"_s << u"2024-06-01"_s << QDate(2025, 3, 3) << u"2025-03-03..2025-07-04"_s;
    QTest::newRow("MO last year, E_2025 end")
        << u"MO"_s << u"2024-06-01"_s << QDate(2025, 7, 4) << u"2025-03-03..2025-07-04"_s;
    QTest::newRow("MO last year, day after end")
        << u"MO"_s << u"2024-06-01"_s << QDate(2025, 7, 5) << QString();
    // IL born 1950-03-10: 75 on 2025-03-10 -> [01-09, 04-24]; 76 on 2026-03-10 -> none
    QTest::newRow("IL 75, day before start") << u"IL"_s << u"1950-03-10"_s << QDate(2025, 1, 8) << QString();
    QTest::newRow("IL 75, start") << u"IL"_s << u"1950-03-10"_s << QDate(2025, 1, 9)
                                  << u"2025-01-09..2025-04-24"_s;
    QTest::newRow("IL 75, end") << u"IL"_s << u"1950-03-10"_s << QDate(2025, 4, 24)
                                << u"2025-01-09..2025-04-24"_s;
    QTest::newRow("IL 76 next year") << u"IL"_s << u"1950-03-10"_s << QDate(2026, 3, 10) << QString();
    // born 1949-03-10: 76 in 2025 (none), 75 in 2024: [2024-03-10 - 60 = 01-10 (leap), + 45 = 04-24]
    QTest::newRow("IL 76 on the anchor") << u"IL"_s << u"1949-03-10"_s << QDate(2025, 3, 10) << QString();
    QTest::newRow("IL 75 the year before")
        << u"IL"_s << u"1949-03-10"_s << QDate(2024, 1, 10) << u"2024-01-10..2024-04-24"_s;
    QTest::newRow("IL 75 the year before, day before start")
        << u"IL"_s << u"1949-03-10"_s << QDate(2024, 1, 9) << QString();
}

void TestSpecCases::windows()
{
    QFETCH(QString, state);
    QFETCH(QString, event);
    QFETCH(QDate, date);
    QFETCH(QString, expected);

    const bool policyRule = state == u"MO";
    const ContactFacts facts = Engine::checkContact(
        makeContact(1, state, policyRule ? QString() : event, policyRule ? event : QString()),
        QDate(2030, 1, 1));
    QVERIFY(facts.problems.isEmpty());
    const Config config;
    const ExclusionWindow w = Engine::causingWindow(facts, date, config);
    QCOMPARE(w.isValid() ? w.start.toString(Qt::ISODate) + u".." + w.end.toString(Qt::ISODate) : QString(),
             expected);
    QCOMPARE(Engine::isExcluded(facts, date, config), !expected.isEmpty());
}

void TestSpecCases::schedule_data()
{
    QTest::addColumn<qint64>("id");
    QTest::addColumn<QString>("state");
    QTest::addColumn<QString>("zip");
    QTest::addColumn<QString>("birth");
    QTest::addColumn<QString>("effective");
    QTest::addColumn<QDate>("today");
    QTest::addColumn<QString>("config");
    QTest::addColumn<QString>("history");
    QTest::addColumn<QString>("problems"); // problem codes joined by ","
    QTest::addColumn<QString>("expected");

    const QDate jan15(2025, 1, 15);
    const QString noAep = u"aep="_s;

    // --- New Year, both directions --------------------------------------------------------------
    // CA Jan 3, today 2025-11-01: A = 2026-01-03, send 2025-12-20 in E_2026 [2025-10-05, 2026-03-04];
    // follow-up 03-05. AEP year 2026 (11-01 > 09-07), slot 0 2026-08-18 lies between E_2026 and
    // E_2027 (starts 2026-10-05)
    QTest::newRow("CA Jan 3, window of next year")
        << qint64(4) << u"CA"_s << QString() << u"1950-01-03"_s << QString() << QDate(2025, 11, 1)
        << QString() << QString() << QString()
        << u"birthday 2025-12-20 skip:birthday_window; post_window 2026-03-05 pre; aep 2026-08-18 pre"_s;
    // today 2025-12-25: send 12-20 is past; fnv1a32("4-birthday-2026") mod 7 = 3 (the year is
    // A.year, not today's): min(12-28, max(12-25, 2026-01-02)) = 12-28, inside E_2026
    QTest::newRow("CA Jan 3, catch-up across New Year")
        << qint64(4) << u"CA"_s << QString() << u"1950-01-03"_s << QString() << QDate(2025, 12, 25)
        << QString() << QString() << QString()
        << u"birthday 2025-12-28 skip:birthday_window catchup; post_window 2026-03-05 pre; aep 2026-08-18 pre"_s;
    QTest::newRow("TX Jan 3, catch-up across New Year")
        << qint64(4) << u"TX"_s << QString() << u"1950-01-03"_s << QString() << QDate(2025, 12, 25) << noAep
        << QString() << QString() << u"birthday 2025-12-28 pre catchup"_s;
    // CA Dec 28, today 2026-01-10 inside E_2025 [2025-09-29, 2026-02-26]: no email falls there.
    // A = 2026-12-28, send 12-14 in E_2026 [2026-09-29, 2027-02-26] -> follow-up 2027-02-27;
    // slot 1 -> 2026-08-25 is free
    QTest::newRow("CA Dec 28, today inside last year's window")
        << qint64(5) << u"CA"_s << QString() << u"1950-12-28"_s << QString() << QDate(2026, 1, 10)
        << QString() << QString() << QString()
        << u"aep 2026-08-25 pre; birthday 2026-12-14 skip:birthday_window; post_window 2027-02-27 pre"_s;
    // CA Dec 31: E_2023 ends 2024-02-29 (leap) -> follow-up 03-01; E_2024 ends 2025-03-01 -> 03-02
    QTest::newRow("CA Dec 31, window ends on Feb 29")
        << qint64(4) << u"CA"_s << QString() << u"1950-12-31"_s << QString() << QDate(2023, 12, 1) << noAep
        << QString() << QString()
        << u"birthday 2023-12-17 skip:birthday_window; post_window 2024-03-01 pre"_s;
    QTest::newRow("CA Dec 31, window ends on Mar 1")
        << qint64(4) << u"CA"_s << QString() << u"1950-12-31"_s << QString() << QDate(2024, 12, 1) << noAep
        << QString() << QString()
        << u"birthday 2024-12-17 skip:birthday_window; post_window 2025-03-02 pre"_s;
    // Feb 29 birthday in 2025: A = 02-28, send 02-14 in [2024-11-30, 2025-04-29] -> follow-up 04-30
    QTest::newRow("CA Feb 29 birthday, common year")
        << qint64(4) << u"CA"_s << QString() << u"1952-02-29"_s << QString() << jan15 << QString()
        << QString() << QString()
        << u"birthday 2025-02-14 skip:birthday_window; post_window 2025-04-30 pre; aep 2025-08-18 pre"_s;

    // --- MO first anniversaries (today 2025-03-01) ----------------------------------------------
    // start 2025-06-01: A_e = 2026-06-01, send 2026-05-02 in E_2026 [2026-03-03, 2026-07-04];
    // no E_2025, so AEP 2025-08-18 is free
    QTest::newRow("MO policy started this year")
        << qint64(4) << u"MO"_s << QString() << QString() << u"2025-06-01"_s << QDate(2025, 3, 1) << QString()
        << QString() << QString()
        << u"aep 2025-08-18 pre; effective_date 2026-05-02 skip:effective_date_window; post_window 2026-07-05 pre"_s;
    // start 2024-06-01: A_e = 2025-06-01, send 05-02 in E_2025 [03-03, 07-04]
    QTest::newRow("MO policy started last year")
        << qint64(4) << u"MO"_s << QString() << QString() << u"2024-06-01"_s << QDate(2025, 3, 1) << QString()
        << QString() << QString()
        << u"effective_date 2025-05-02 skip:effective_date_window; post_window 2025-07-05 pre; aep 2025-08-18 pre"_s;
    // start 2026-02-01 (future): A_e = 2027-02-01, send 2027-01-02; E_2027 = [2026-11-03, 2027-03-06]
    QTest::newRow("MO policy starts next year")
        << qint64(4) << u"MO"_s << QString() << QString() << u"2026-02-01"_s << QDate(2025, 3, 1) << noAep
        << QString() << QString()
        << u"effective_date 2027-01-02 skip:effective_date_window; post_window 2027-03-07 pre"_s;
    // effective Feb 29 in 2025: A_e = 02-28, send 01-29
    QTest::newRow("effective Feb 29, common year")
        << qint64(4) << u"TX"_s << QString() << QString() << u"2024-02-29"_s << jan15 << noAep << QString()
        << QString() << u"effective_date 2025-01-29 pre"_s;

    // --- LA, NV, IL -------------------------------------------------------------------------------
    // LA Jun 1: [03-03, 08-03] -> follow-up 08-04
    QTest::newRow("LA Jun 1")
        << qint64(4) << u"LA"_s << QString() << u"1950-06-01"_s << QString() << jan15 << QString()
        << QString() << QString()
        << u"birthday 2025-05-18 skip:birthday_window; post_window 2025-08-04 pre; aep 2025-08-18 pre"_s;
    // LA Jun 16: [03-18, 06-16 + 63 = 08-18]: slot 0 excluded, 08-25 free; follow-up 08-19
    QTest::newRow("LA Jun 16, window ends on the AEP slot")
        << qint64(4) << u"LA"_s << QString() << u"1950-06-16"_s << QString() << jan15 << QString()
        << QString() << QString()
        << u"birthday 2025-06-02 skip:birthday_window; post_window 2025-08-19 pre; aep 2025-08-25 pre"_s;
    // NV Oct 31: anchor Oct 1, [08-02, 11-30] holds all four AEP dates: skipped at slot 0 (08-18);
    // birthday 10-17 in the same window -> one follow-up on 12-01 (not Dec 31)
    QTest::newRow("NV Oct 31, every AEP date excluded")
        << qint64(4) << u"NV"_s << QString() << u"1950-10-31"_s << QString() << jan15 << QString()
        << QString() << QString()
        << u"aep 2025-08-18 skip:birthday_window; birthday 2025-10-17 skip:birthday_window; post_window 2025-12-01 pre"_s;
    // NV Feb 29: anchor 2025-02-01, [2024-12-03, 2025-04-02]; birthday 02-28 - 14 = 02-14
    QTest::newRow("NV Feb 29")
        << qint64(4) << u"NV"_s << QString() << u"1952-02-29"_s << QString() << jan15 << QString()
        << QString() << QString()
        << u"birthday 2025-02-14 skip:birthday_window; post_window 2025-04-03 pre; aep 2025-08-18 pre"_s;
    // IL born 1950-03-10: 75 on 2025-03-10, [01-09, 04-24]; send 02-24 -> follow-up 04-25
    QTest::newRow("IL age 75 on the anchor")
        << qint64(4) << u"IL"_s << QString() << u"1950-03-10"_s << QString() << jan15 << QString()
        << QString() << QString()
        << u"birthday 2025-02-24 skip:birthday_window; post_window 2025-04-25 pre; aep 2025-08-18 pre"_s;
    QTest::newRow("IL age 76 on the anchor")
        << qint64(4) << u"IL"_s << QString() << u"1949-03-10"_s << QString() << jan15 << QString()
        << QString() << QString() << u"birthday 2025-02-24 pre; aep 2025-08-18 pre"_s;
    QTest::newRow("IL 75 last year, 76 now")
        << qint64(4) << u"IL"_s << QString() << u"1950-03-10"_s << QString() << QDate(2026, 1, 15)
        << QString() << QString() << QString() << u"birthday 2026-02-24 pre; aep 2026-08-18 pre"_s;

    // --- catch-up: fnv1a32("9-birthday-2025") mod 7 = 5, today 2025-01-15 -------------------------
    // A = 01-18: min(01-20, max(01-15, 01-17)) = 01-17 (clamped at A-1)
    QTest::newRow("catch-up clamped at A-1")
        << qint64(9) << u"TX"_s << QString() << u"1950-01-18"_s << QString() << jan15 << noAep << QString()
        << QString() << u"birthday 2025-01-17 pre catchup"_s;
    // A = 01-25: min(01-20, 01-24) = 01-20
    QTest::newRow("catch-up not clamped")
        << qint64(9) << u"TX"_s << QString() << u"1950-01-25"_s << QString() << jan15 << noAep << QString()
        << QString() << u"birthday 2025-01-20 pre catchup"_s;
    // A = 01-16: min(01-20, max(01-15, 01-15)) = today
    QTest::newRow("catch-up A = today + 1")
        << qint64(9) << u"TX"_s << QString() << u"1950-01-16"_s << QString() << jan15 << noAep << QString()
        << QString() << u"birthday 2025-01-15 pre catchup"_s;
    // A = today: min(01-20, max(01-15, 01-14)) = today
    QTest::newRow("catch-up A = today")
        << qint64(9) << u"TX"_s << QString() << u"1950-01-15"_s << QString() << jan15 << noAep << QString()
        << QString() << u"birthday 2025-01-15 pre catchup"_s;
    // born today: a valid birth date; A = today as above
    QTest::newRow("birth date is today")
        << qint64(9) << u"TX"_s << QString() << u"2025-01-15"_s << QString() << jan15 << noAep << QString()
        << QString() << u"birthday 2025-01-15 pre catchup"_s;

    // --- AEP ---------------------------------------------------------------------------------------
    // list 10-01, 08-18: the latest is 10-01 (not the last entry), so on 09-15 the AEP year is 2025;
    // id 4 slot 0 -> 10-01; id 5 slot 1 -> 08-18 is past, the others in list order: 10-01
    QTest::newRow("AEP latest date is not the last entry")
        << qint64(4) << u"TX"_s << QString() << QString() << QString() << QDate(2025, 9, 15)
        << u"aep=10-01,08-18"_s << QString() << QString() << u"aep 2025-10-01 pre"_s;
    QTest::newRow("AEP slot past, custom list")
        << qint64(5) << u"TX"_s << QString() << QString() << QString() << QDate(2025, 9, 15)
        << u"aep=10-01,08-18"_s << QString() << QString() << u"aep 2025-10-01 pre"_s;
    QTest::newRow("AEP after the last date, slot 1")
        << qint64(5) << u"TX"_s << QString() << QString() << QString() << QDate(2025, 12, 31) << QString()
        << QString() << QString() << u"aep 2026-08-25 pre"_s;
    // today 08-20: slot 0 (08-18) past -> next in list order 08-25
    QTest::newRow("AEP slot 0 past") << qint64(4) << u"TX"_s << QString() << QString() << QString()
                                     << QDate(2025, 8, 20) << QString() << QString() << QString()
                                     << u"aep 2025-08-25 pre"_s;
    // today 08-26: slot 1 (08-25) past, then 08-18 past, 09-01
    QTest::newRow("AEP slot 1 past") << qint64(5) << u"TX"_s << QString() << QString() << QString()
                                     << QDate(2025, 8, 26) << QString() << QString() << QString()
                                     << u"aep 2025-09-01 pre"_s;
    QTest::newRow("AEP slot 2 not past")
        << qint64(6) << u"TX"_s << QString() << QString() << QString() << QDate(2025, 8, 20) << QString()
        << QString() << QString() << u"aep 2025-09-01 pre"_s;
    // CA Oct 20: [07-22, 12-19] holds every AEP date: skipped at slot 2 (09-01)
    QTest::newRow("AEP all excluded, dated at slot 2")
        << qint64(6) << u"CA"_s << QString() << u"1950-10-20"_s << QString() << jan15 << QString()
        << QString() << QString()
        << u"aep 2025-09-01 skip:birthday_window; birthday 2025-10-06 skip:birthday_window; post_window 2025-12-20 pre"_s;
    // today 09-02: slot 2 (09-01) is past; try order 09-01, 08-18, 08-25, 09-07 -> first >= today 09-07
    QTest::newRow("AEP all excluded, slot 2 past")
        << qint64(6) << u"CA"_s << QString() << u"1950-10-20"_s << QString() << QDate(2025, 9, 2) << QString()
        << QString() << QString()
        << u"aep 2025-09-07 skip:birthday_window; birthday 2025-10-06 skip:birthday_window; post_window 2025-12-20 pre"_s;
    // today 2025-10-01: birthday 10-06 in E_2025 [07-22, 12-19]; AEP year 2026, all dates in
    // E_2026 [2026-07-22, 2026-12-19]: two causing windows, two follow-ups
    QTest::newRow("two causing windows")
        << qint64(4) << u"CA"_s << QString() << u"1950-10-20"_s << QString() << QDate(2025, 10, 1)
        << QString() << QString() << QString()
        << u"birthday 2025-10-06 skip:birthday_window; post_window 2025-12-20 pre; "
           u"aep 2026-08-18 skip:birthday_window; post_window 2026-12-20 pre"_s;

    // --- post_window de-duplication (CA Jun 1 -> follow-up 08-01) ----------------------------------
    QTest::newRow("post_window de-dup, production type")
        << qint64(4) << u"CA"_s << QString() << u"1950-06-01"_s << QString() << jan15 << QString()
        << u"POST_WINDOW_BIRTHDAY|Delivered|2025-08-01|"_s << QString()
        << u"birthday 2025-05-18 skip:birthday_window; post_window 2025-08-01 skip:already_sent; aep 2025-08-18 pre"_s;
    QTest::newRow("post_window de-dup, another post_window type")
        << qint64(4) << u"CA"_s << QString() << u"1950-06-01"_s << QString() << jan15 << QString()
        << u"POST_WINDOW_EFFECTIVE_DATE|scheduled|2025-08-01|2025"_s << QString()
        << u"birthday 2025-05-18 skip:birthday_window; post_window 2025-08-01 skip:already_sent; aep 2025-08-18 pre"_s;
    QTest::newRow("post_window history a day early")
        << qint64(4) << u"CA"_s << QString() << u"1950-06-01"_s << QString() << jan15 << QString()
        << u"POST_WINDOW_BIRTHDAY|sent|2025-07-31|"_s << QString()
        << u"birthday 2025-05-18 skip:birthday_window; post_window 2025-08-01 pre; aep 2025-08-18 pre"_s;

    // --- spacing against aep 08-18 ---------------------------------------------------------------------
    // Jul 3 -> 06-19, 60 days before 08-18 (11 + 31 + 18); Jul 4 -> 06-20, 59 days
    QTest::newRow("spacing: 60 days before aep")
        << qint64(4) << u"TX"_s << QString() << u"1950-07-03"_s << QString() << jan15 << QString()
        << QString() << QString() << u"birthday 2025-06-19 pre; aep 2025-08-18 pre"_s;
    QTest::newRow("spacing: 59 days before aep")
        << qint64(4) << u"TX"_s << QString() << u"1950-07-04"_s << QString() << jan15 << QString()
        << QString() << QString() << u"birthday 2025-06-20 skip:spacing; aep 2025-08-18 pre"_s;
    // Oct 31 -> 10-17, 60 days after 08-18 (13 + 30 + 17); Oct 30 -> 10-16, 59 days
    QTest::newRow("spacing: 60 days after aep")
        << qint64(4) << u"TX"_s << QString() << u"1950-10-31"_s << QString() << jan15 << QString()
        << QString() << QString() << u"aep 2025-08-18 pre; birthday 2025-10-17 pre"_s;
    QTest::newRow("spacing: 59 days after aep")
        << qint64(4) << u"TX"_s << QString() << u"1950-10-30"_s << QString() << jan15 << QString()
        << QString() << QString() << u"aep 2025-08-18 pre; birthday 2025-10-16 skip:spacing"_s;

    // --- frequency: birthday Jun 3 -> 05-20; windows containing it start in [04-21, 05-20] ----------
    // 04-20 is outside every such window: [04-21, 05-20] holds 04-25, 05-05, 05-20 = 3
    QTest::newRow("frequency: oldest row 30 days before")
        << qint64(4) << u"TX"_s << QString() << u"1950-06-03"_s << QString() << jan15 << noAep
        << u"a|sent|2025-04-20|;b|sent|2025-04-25|;c|scheduled|2025-05-05|"_s << QString()
        << u"birthday 2025-05-20 pre"_s;
    // 04-21: [04-21, 05-20] holds four
    QTest::newRow("frequency: oldest row 29 days before")
        << qint64(4) << u"TX"_s << QString() << u"1950-06-03"_s << QString() << jan15 << noAep
        << u"a|sent|2025-04-21|;b|sent|2025-04-25|;c|scheduled|2025-05-05|"_s << QString()
        << u"birthday 2025-05-20 skip:frequency_limit"_s;
    // 05-01, 05-25, 06-18: [04-21, 05-20] holds 2, [05-01, 05-30] and [05-20, 06-18] hold 3 -> kept
    QTest::newRow("frequency: rows straddling the date")
        << qint64(4) << u"TX"_s << QString() << u"1950-06-03"_s << QString() << jan15 << noAep
        << u"a|sent|2025-05-01|;b|processing|2025-05-25|;c|scheduled|2025-06-18|"_s << QString()
        << u"birthday 2025-05-20 pre"_s;
    // 05-30 instead of 06-18: [05-01, 05-30] holds 05-01, 05-20, 05-25, 05-30 = 4
    QTest::newRow("frequency: rows straddling, one closer")
        << qint64(4) << u"TX"_s << QString() << u"1950-06-03"_s << QString() << jan15 << noAep
        << u"a|sent|2025-05-01|;b|processing|2025-05-25|;c|scheduled|2025-05-30|"_s << QString()
        << u"birthday 2025-05-20 skip:frequency_limit"_s;

    // --- ZIP and state -----------------------------------------------------------------------------
    // "1234" -> "01234" is MA (year-round) although CA is stored
    QTest::newRow("ZIP 1234 is MA")
        << qint64(4) << u"CA"_s << u"1234"_s << u"1950-06-01"_s << QString() << jan15 << QString()
        << QString() << u"zip_state_mismatch"_s
        << u"birthday 2025-05-18 skip:year_round; aep 2025-08-18 skip:year_round"_s;
    QTest::newRow("ZIP 12345-6789 is NY")
        << qint64(4) << u" ca "_s << u"12345-6789"_s << u"1950-06-01"_s << QString() << jan15 << QString()
        << QString() << u"zip_state_mismatch"_s
        << u"birthday 2025-05-18 skip:year_round; aep 2025-08-18 skip:year_round"_s;
    QTest::newRow("ZIP 123 falls back to stored ca")
        << qint64(4) << u" ca "_s << u"123"_s << u"1950-06-01"_s << QString() << jan15 << QString()
        << QString() << u"invalid_zip"_s
        << u"birthday 2025-05-18 skip:birthday_window; post_window 2025-08-01 pre; aep 2025-08-18 pre"_s;
    QTest::newRow("ZIP 90210 beats stored TX")
        << qint64(4) << u"TX"_s << u"90210"_s << u"1950-06-01"_s << QString() << jan15 << QString()
        << QString() << u"zip_state_mismatch"_s
        << u"birthday 2025-05-18 skip:birthday_window; post_window 2025-08-01 pre; aep 2025-08-18 pre"_s;

    // --- invalid dates are treated as missing ---------------------------------------------------------
    QTest::newRow("birth 2023-02-30")
        << qint64(4) << u"CA"_s << QString() << u"2023-02-30"_s << QString() << jan15 << QString()
        << QString() << u"invalid_birth_date"_s << u"aep 2025-08-18 pre"_s;
    QTest::newRow("birth MMDDYYYY") << qint64(4) << u"TX"_s << QString() << u"06011950"_s << QString()
                                    << jan15 << noAep << QString() << QString()
                                    << u"birthday 2025-05-18 pre"_s;
    QTest::newRow("birth MMDDYYYY with 7 digits")
        << qint64(4) << u"TX"_s << QString() << u"6011950"_s << QString() << jan15 << noAep << QString()
        << u"invalid_birth_date"_s << QString();
    QTest::newRow("effective 13-01-2020")
        << qint64(4) << u"TX"_s << QString() << QString() << u"13-01-2020"_s << jan15 << noAep << QString()
        << u"invalid_effective_date"_s << QString();
}

void TestSpecCases::schedule()
{
    QFETCH(qint64, id);
    QFETCH(QString, state);
    QFETCH(QString, zip);
    QFETCH(QString, birth);
    QFETCH(QString, effective);
    QFETCH(QDate, today);
    QFETCH(QString, config);
    QFETCH(QString, history);
    QFETCH(QString, problems);
    QFETCH(QString, expected);

    Contact contact = makeContact(id, state, birth, effective);
    contact.zipCode = zip;
    const std::vector<HistoryEntry> rows = makeHistory(history);
    const ContactSchedule s = Engine::scheduleContact(contact, rows, today, makeConfig(config));
    QStringList codes;
    for (const Problem &p : s.problems)
        codes << problemCodeName(p.code);
    QCOMPARE(codes.join(u','), problems);
    QCOMPARE(describe(s), expected);
    for (const ScheduledEmail &e : s.emails) {
        QVERIFY(e.date >= today);
        if (e.reason == SkipReason::BirthdayWindow || e.reason == SkipReason::EffectiveDateWindow)
            QVERIFY(e.window.contains(e.date));
    }
}

// SPEC section 8 leaves the order of a contact's emails to the engine (date, then type name:
// aep, birthday, ...); a contact whose aep email the cap moves onto its birthday email's day must
// read the same as if the engine had put both there.
void TestSpecCases::balancedScheduleKeepsEngineOrder()
{
    const QDate today(2025, 1, 15);
    const QDate day(2025, 8, 18);
    std::vector<ContactSchedule> schedules;
    for (qint64 id = 1; id <= 3; ++id) {
        ContactSchedule s;
        s.contactId = id;
        ScheduledEmail aep;
        aep.type = EmailType::Aep;
        aep.date = day;
        aep.eventDate = day;
        s.emails.push_back(aep);
        schedules.push_back(s);
    }
    ScheduledEmail birthday;
    birthday.type = EmailType::Birthday;
    birthday.date = day.addDays(1);
    birthday.eventDate = day.addDays(15);
    schedules[2].emails.push_back(birthday);

    // 30 valid contacts: daily_cap = floor(30 * 0.07) = 2, over the cap above floor(2 * 1.2) = 2.
    // 08-18 holds three aep emails: contact 3's (the worst by contact_id) moves to 08-19, which
    // then holds its aep and birthday emails (2, not over).
    const LoadBalancer::Stats stats
        = LoadBalancer::balance(schedules, 30, today, Config(), [](std::size_t, QDate) { return false; });
    QCOMPARE(stats.dailyCap, 2);
    QCOMPARE(stats.moved, 1);
    // Known disagreement, reported to the lead: balance() re-sorts by the EmailType enum
    // (birthday before aep) and tst_loadbalancer asserts that order, while the engine and
    // docs/RULES.md sort by type name. Turns into an XPASS failure once the two agree.
    QCOMPARE(describe(schedules[2]), u"aep 2025-08-19 pre; birthday 2025-08-19 pre"_s);
    for (const ScheduledEmail &e : schedules[2].emails)
        QCOMPARE(e.originalDate, e.type == EmailType::Aep ? day : QDate());
}

QTEST_GUILESS_MAIN(TestSpecCases)
#include "tst_speccases.moc"
