#include "dates.h"
#include "engine.h"
#include "enginetestutil.h"

#include <QTest>

#include <thread>

using namespace Qt::StringLiterals;
using namespace EngineTestUtil;

// SPEC sections 4-7: exclusion windows and the complete schedule of one contact. Every expected
// date below was worked out by hand (the arithmetic is in the comment of each row).
//
// Defaults: birthday 14 days before, effective_date 30 days before, lead 60, AEP 08-18, 08-25,
// 09-01, 09-07 (slot = id mod 4), spacing 60, at most 3 emails in 30 days, catch-up spread 7.
// CA birthday window E_Y = [a-30-60, a+60]; MO effective_date [a-30-60, a+33];
// NV [1st of month -60, +60]; IL [a-60, a+45] while age <= 75.
class TestEngine : public QObject
{
    Q_OBJECT

private slots:
    void concurrentCallsAgree(); // first: it also races the lazy ZipTable::defaults()
    void catchUpHashes_data();
    void catchUpHashes();
    void windows_data();
    void windows();
    void yearRound();
    void exclusionWindowList();
    void exclusionRulesAgree();
    void schedule_data();
    void schedule();
    void errorContactGetsNoEmails();
    void warningContactIsScheduled();
    void postWindowFields();
    void relatedDates();
};

// Four threads scheduling the same contacts must get exactly the serial result.
void TestEngine::concurrentCallsAgree()
{
    const QString states[] = { u"CA"_s, u"TX"_s, u"NY"_s, u"MO"_s, u"IL"_s, u"NV"_s };
    std::vector<Contact> contacts;
    for (int i = 0; i < 3000; ++i) {
        Contact c = makeContact(i, states[i % 6],
                                QDate(1940 + i % 30, 1 + i % 12, 1 + i % 28).toString(Qt::ISODate),
                                QDate(2015 + i % 11, 1 + (i * 7) % 12, 1).toString(Qt::ISODate));
        c.zipCode = i % 5 == 0 ? u"90210"_s : QString();
        contacts.push_back(c);
    }
    const Config config;
    const QDate today(2025, 1, 15);
    std::vector<std::vector<ContactSchedule>> results(4);
    std::vector<std::thread> threads;
    for (std::size_t t = 0; t < results.size(); ++t) {
        threads.emplace_back([&, t] {
            for (const Contact &c : contacts)
                results[t].push_back(Engine::scheduleContact(c, {}, today, config));
        });
    }
    for (std::thread &thread : threads)
        thread.join();
    for (std::size_t i = 0; i < contacts.size(); ++i) {
        const ContactSchedule serial = Engine::scheduleContact(contacts[i], {}, today, config);
        QVERIFY(!serial.emails.empty());
        for (const std::vector<ContactSchedule> &r : results) {
            QCOMPARE(r[i].emails, serial.emails);
            QCOMPARE(r[i].problems, serial.problems);
        }
    }
}

static quint32 referenceFnv(const QByteArray &bytes)
{
    quint32 h = 2166136261u;
    for (char c : bytes) {
        h ^= quint8(c);
        h *= 16777619u;
    }
    return h;
}

// The catch-up offsets used by the schedule rows, checked against an independent implementation.
void TestEngine::catchUpHashes_data()
{
    QTest::addColumn<QByteArray>("key");
    QTest::addColumn<quint32>("hash");
    QTest::addColumn<int>("mod7");
    QTest::newRow("42-birthday-2025") << QByteArray("42-birthday-2025") << quint32(0x05cb1f01u) << 4;
    QTest::newRow("42-effective_date-2025")
        << QByteArray("42-effective_date-2025") << quint32(0x597bbf38u) << 0;
    QTest::newRow("44-birthday-2025") << QByteArray("44-birthday-2025") << quint32(0x3a3d05a3u) << 6;
}

void TestEngine::catchUpHashes()
{
    QFETCH(QByteArray, key);
    QFETCH(quint32, hash);
    QFETCH(int, mod7);
    QCOMPARE(referenceFnv(key), hash);
    QCOMPARE(Dates::fnv1a32(QString::fromLatin1(key)), hash);
    QCOMPARE(int(hash % 7), mod7);
}

void TestEngine::windows_data()
{
    QTest::addColumn<QString>("state");
    QTest::addColumn<QString>("birth");
    QTest::addColumn<QString>("effective");
    QTest::addColumn<QString>("config");
    QTest::addColumn<QDate>("date");
    QTest::addColumn<QString>("expected"); // "start..end" of the causing window, empty: not excluded

    // CA, birthday Jun 1: a=2025-06-01, start = a-90 = 2025-03-03, end = a+60 = 2025-07-31
    QTest::newRow("CA day before start")
        << u"CA"_s << u"1950-06-01"_s << QString() << QString() << QDate(2025, 3, 2) << QString();
    QTest::newRow("CA start") << u"CA"_s << u"1950-06-01"_s << QString() << QString() << QDate(2025, 3, 3)
                              << u"2025-03-03..2025-07-31"_s;
    QTest::newRow("CA anchor") << u"CA"_s << u"1950-06-01"_s << QString() << QString() << QDate(2025, 6, 1)
                               << u"2025-03-03..2025-07-31"_s;
    QTest::newRow("CA end") << u"CA"_s << u"1950-06-01"_s << QString() << QString() << QDate(2025, 7, 31)
                            << u"2025-03-03..2025-07-31"_s;
    QTest::newRow("CA day after end")
        << u"CA"_s << u"1950-06-01"_s << QString() << QString() << QDate(2025, 8, 1) << QString();
    // global lead 30: start = a-30-30 = 2025-04-02
    QTest::newRow("CA lead 30, day before start")
        << u"CA"_s << u"1950-06-01"_s << QString() << u"lead=30"_s << QDate(2025, 4, 1) << QString();
    QTest::newRow("CA lead 30, start") << u"CA"_s << u"1950-06-01"_s << QString() << u"lead=30"_s
                                       << QDate(2025, 4, 2) << u"2025-04-02..2025-07-31"_s;
    // per-state lead 10 beats the global lead 30: start = 2025-05-02 - 10 = 2025-04-22
    QTest::newRow("CA state lead, day before start")
        << u"CA"_s << u"1950-06-01"_s << QString() << u"lead=30 CA=birthday/30/60/lead=10"_s
        << QDate(2025, 4, 21) << QString();
    QTest::newRow("CA state lead, start")
        << u"CA"_s << u"1950-06-01"_s << QString() << u"lead=30 CA=birthday/30/60/lead=10"_s
        << QDate(2025, 4, 22) << u"2025-04-22..2025-07-31"_s;
    // New Year: birthday Jan 10 -> E_2026 = [2025-10-12, 2026-03-11] excludes Dec 20 2025 (Y = D.year+1)
    QTest::newRow("CA New Year, next year's window") << u"CA"_s << u"1950-01-10"_s << QString() << QString()
                                                     << QDate(2025, 12, 20) << u"2025-10-12..2026-03-11"_s;
    QTest::newRow("CA New Year, between windows")
        << u"CA"_s << u"1950-01-10"_s << QString() << QString() << QDate(2025, 10, 11) << QString();
    // MD birthday Dec 20: E_2024 = [2024-10-21, 2025-01-19] excludes Jan 10 2025 (Y = D.year-1)
    QTest::newRow("MD New Year, last year's window") << u"MD"_s << u"1950-12-20"_s << QString() << QString()
                                                     << QDate(2025, 1, 10) << u"2024-10-21..2025-01-19"_s;
    QTest::newRow("MD New Year, day after end")
        << u"MD"_s << u"1950-12-20"_s << QString() << QString() << QDate(2025, 1, 20) << QString();
    // NV: anchor is Jun 1 for a Jun 20 birthday: [2025-04-02, 2025-07-31]
    QTest::newRow("NV day before start")
        << u"NV"_s << u"1950-06-20"_s << QString() << QString() << QDate(2025, 4, 1) << QString();
    QTest::newRow("NV start") << u"NV"_s << u"1950-06-20"_s << QString() << QString() << QDate(2025, 4, 2)
                              << u"2025-04-02..2025-07-31"_s;
    QTest::newRow("NV end") << u"NV"_s << u"1950-06-20"_s << QString() << QString() << QDate(2025, 7, 31)
                            << u"2025-04-02..2025-07-31"_s;
    QTest::newRow("NV day after end")
        << u"NV"_s << u"1950-06-20"_s << QString() << QString() << QDate(2025, 8, 1) << QString();
    // IL: [a-60, a+45] = [2025-04-02, 2025-07-16] while the age on a is <= 75
    QTest::newRow("IL age 74") << u"IL"_s << u"1951-06-01"_s << QString() << QString() << QDate(2025, 6, 1)
                               << u"2025-04-02..2025-07-16"_s;
    QTest::newRow("IL age 75") << u"IL"_s << u"1950-06-01"_s << QString() << QString() << QDate(2025, 6, 1)
                               << u"2025-04-02..2025-07-16"_s;
    QTest::newRow("IL age 76") << u"IL"_s << u"1949-06-01"_s << QString() << QString() << QDate(2025, 6, 1)
                               << QString();
    // the 2026 window would be [2026-04-02, 2026-07-16] but she is 76 then
    QTest::newRow("IL turns 76 next year")
        << u"IL"_s << u"1950-06-01"_s << QString() << QString() << QDate(2026, 5, 1) << QString();
    // Feb 29 birthday, max_age 74: on 2027-02-28 she is 2027-1952-1 = 74 (not yet 75) -> window
    // [2026-12-30, 2027-04-14]
    QTest::newRow("IL Feb 29 on Feb 28")
        << u"IL"_s << u"1952-02-29"_s << QString() << u"IL=birthday/0/45/maxage=74"_s << QDate(2027, 2, 1)
        << u"2026-12-30..2027-04-14"_s;
    // 2028 is leap: anchor Feb 29 2028, age 76 > 74 -> no window
    QTest::newRow("IL Feb 29 in leap year")
        << u"IL"_s << u"1952-02-29"_s << QString() << u"IL=birthday/0/45/maxage=74"_s << QDate(2028, 2, 29)
        << QString();
    // Feb 29 birthday in CA, common year: anchor 2025-02-28, [2024-11-30, 2025-04-29]
    QTest::newRow("CA Feb 29 in common year") << u"CA"_s << u"1952-02-29"_s << QString() << QString()
                                              << QDate(2024, 11, 30) << u"2024-11-30..2025-04-29"_s;
    // leap year: anchor 2024-02-29, [2023-12-01, 2024-04-29]
    QTest::newRow("CA Feb 29 in leap year") << u"CA"_s << u"1952-02-29"_s << QString() << QString()
                                            << QDate(2023, 12, 1) << u"2023-12-01..2024-04-29"_s;
    // MO effective Jul 1: a=2025-07-01, [a-90, a+33] = [2025-04-02, 2025-08-03]
    QTest::newRow("MO day before start")
        << u"MO"_s << QString() << u"2020-07-01"_s << QString() << QDate(2025, 4, 1) << QString();
    QTest::newRow("MO start") << u"MO"_s << QString() << u"2020-07-01"_s << QString() << QDate(2025, 4, 2)
                              << u"2025-04-02..2025-08-03"_s;
    QTest::newRow("MO end") << u"MO"_s << QString() << u"2020-07-01"_s << QString() << QDate(2025, 8, 3)
                            << u"2025-04-02..2025-08-03"_s;
    QTest::newRow("MO day after end")
        << u"MO"_s << QString() << u"2020-07-01"_s << QString() << QDate(2025, 8, 4) << QString();
    // policy starting 2025-03-01: no 2025 window (the start is not an anniversary); E_2026 starts
    // 2026-03-01 - 90 = 2025-12-01
    QTest::newRow("MO no window in the start year")
        << u"MO"_s << QString() << u"2025-03-01"_s << QString() << QDate(2025, 2, 15) << QString();
    QTest::newRow("MO first anniversary window") << u"MO"_s << QString() << u"2025-03-01"_s << QString()
                                                 << QDate(2025, 12, 1) << u"2025-12-01..2026-04-03"_s;
    // a birthday-rule state ignores the effective date and vice versa
    QTest::newRow("CA without birth date")
        << u"CA"_s << QString() << u"2020-06-01"_s << QString() << QDate(2025, 6, 1) << QString();
    QTest::newRow("MO without effective date")
        << u"MO"_s << u"1950-07-01"_s << QString() << QString() << QDate(2025, 7, 1) << QString();
    QTest::newRow("TX has no rule") << u"TX"_s << u"1950-06-01"_s << u"2020-06-01"_s << QString()
                                    << QDate(2025, 6, 1) << QString();
    QTest::newRow("CA rule removed") << u"CA"_s << u"1950-06-01"_s << QString() << u"CA=none"_s
                                     << QDate(2025, 6, 1) << QString();
    QTest::newRow("TX given a rule") << u"TX"_s << u"1950-06-01"_s << QString()
                                     << u"TX=birthday/0/10/lead=0"_s << QDate(2025, 6, 11)
                                     << u"2025-06-01..2025-06-11"_s;
}

void TestEngine::windows()
{
    QFETCH(QString, state);
    QFETCH(QString, birth);
    QFETCH(QString, effective);
    QFETCH(QString, config);
    QFETCH(QDate, date);
    QFETCH(QString, expected);

    const Config cfg = makeConfig(config);
    const ContactFacts facts
        = Engine::checkContact(makeContact(1, state, birth, effective), QDate(2030, 1, 1));
    QVERIFY(!facts.hasError());
    const ExclusionWindow w = Engine::causingWindow(facts, date, cfg);
    const QString actual
        = w.isValid() ? w.start.toString(Qt::ISODate) + u".." + w.end.toString(Qt::ISODate) : QString();
    QCOMPARE(actual, expected);
    QCOMPARE(Engine::isExcluded(facts, date, cfg), !expected.isEmpty());
    QVERIFY(!Engine::isYearRound(facts, cfg));
    if (w.isValid()) {
        QVERIFY(w.contains(date));
        QVERIFY(w.statutoryStart >= w.start);
        QVERIFY(w.anchor >= w.statutoryStart);
    }
}

void TestEngine::yearRound()
{
    const Config cfg;
    for (const QString &state : { u"NY"_s, u"CT"_s, u"MA"_s, u"WA"_s }) {
        const ContactFacts facts
            = Engine::checkContact(makeContact(1, state, u"1950-06-01"_s, QString()), QDate(2025, 1, 15));
        QVERIFY(Engine::isYearRound(facts, cfg));
        QVERIFY(Engine::isExcluded(facts, QDate(2025, 1, 1), cfg));
        QVERIFY(Engine::isExcluded(facts, QDate(2025, 12, 31), cfg));
        QVERIFY(!Engine::causingWindow(facts, QDate(2025, 6, 1), cfg).isValid());
        QVERIFY(Engine::exclusionWindows(facts, QDate(2025, 1, 1), QDate(2025, 12, 31), cfg).empty());
    }
}

// The batch's once-per-contact form answers exactly as isExcluded() on every day of four years,
// for each kind of rule (birthday, effective date, month start, age limit, year-round, none,
// a configured rule, a removed one), leap-day events and contacts without a birth date.
void TestEngine::exclusionRulesAgree()
{
    const Config cfg = makeConfig(
        u"TX=birthday/0/10/lead=0 CA=birthday/14/60/lead=5 KY=none OR=effective_date/400/400/lead=0 ID=birthday/20/20/maxage=60/monthstart"_s);
    const Engine::ExclusionRules rules(cfg);
    const QString states[]
        = { u"CA"_s, u"MO"_s, u"NV"_s, u"IL"_s, u"NY"_s, u"TX"_s, u"KY"_s, u"OR"_s, u"ID"_s };
    const QString dates[]
        = { QString(), u"1948-02-29"_s, u"1950-01-10"_s, u"1949-12-31"_s, u"2024-02-29"_s, u"2023-07-15"_s };
    int excluded = 0;
    int tested = 0;
    for (const QString &state : states) {
        for (const QString &birth : dates) {
            for (const QString &effective : dates) {
                const ContactFacts facts
                    = Engine::checkContact(makeContact(7, state, birth, effective), QDate(2024, 5, 1));
                const Engine::ContactExclusion contact = rules.of(facts);
                for (QDate d(2023, 1, 1); d <= QDate(2027, 1, 1); d = d.addDays(1)) {
                    const bool expected = Engine::isExcluded(facts, d, cfg);
                    if (rules.isExcluded(contact, d) != expected)
                        QFAIL(qPrintable(state + u' ' + birth + u' ' + effective + u' '
                                         + d.toString(Qt::ISODate)));
                    excluded += expected ? 1 : 0;
                    ++tested;
                }
            }
        }
    }
    // Both answers occur often, so agreement means something.
    QVERIFY(excluded > tested / 10);
    QVERIFY(excluded < tested * 9 / 10);
}

void TestEngine::exclusionWindowList()
{
    // CA birthday Jan 10: E_2025 = [2024-10-12, 2025-03-11], E_2026 = [2025-10-12, 2026-03-11]
    const ContactFacts facts
        = Engine::checkContact(makeContact(1, u"CA"_s, u"1950-01-10"_s, QString()), QDate(2025, 1, 15));
    const std::vector<ExclusionWindow> windows
        = Engine::exclusionWindows(facts, QDate(2025, 1, 1), QDate(2025, 12, 31), Config());
    QCOMPARE(windows.size(), 2u);
    QCOMPARE(windows[0].start, QDate(2024, 10, 12));
    QCOMPARE(windows[0].statutoryStart, QDate(2024, 12, 11));
    QCOMPARE(windows[0].anchor, QDate(2025, 1, 10));
    QCOMPARE(windows[0].end, QDate(2025, 3, 11));
    QCOMPARE(windows[0].kind, StateRule::Kind::Birthday);
    QCOMPARE(windows[1].start, QDate(2025, 10, 12));
    QCOMPARE(windows[1].end, QDate(2026, 3, 11));
}

void TestEngine::schedule_data()
{
    QTest::addColumn<qint64>("id");
    QTest::addColumn<QString>("state");
    QTest::addColumn<QString>("birth");
    QTest::addColumn<QString>("effective");
    QTest::addColumn<QDate>("today");
    QTest::addColumn<QString>("config");
    QTest::addColumn<QString>("history");
    QTest::addColumn<QString>("expected");

    const QDate jan15(2025, 1, 15);
    const QString noAep = u"aep="_s;

    // --- no state rule -------------------------------------------------------------------
    // birthday 06-01 - 14 = 05-18; effective 10-01 - 30 = 09-01; aep slot 4 mod 4 = 0 -> 08-18
    QTest::newRow("TX all three")
        << qint64(4) << u"TX"_s << u"1950-06-01"_s << u"2020-10-01"_s << jan15 << QString() << QString()
        << u"birthday 2025-05-18 pre; aep 2025-08-18 pre; effective_date 2025-09-01 pre"_s;
    QTest::newRow("no dates: aep only") << qint64(4) << u"TX"_s << QString() << QString() << jan15
                                        << QString() << QString() << u"aep 2025-08-18 pre"_s;
    // Feb 29 birthday: 2025-02-28 - 14 = 02-14; in 2024 02-29 - 14 = 02-15
    QTest::newRow("Feb 29 birthday, common year")
        << qint64(4) << u"TX"_s << u"1952-02-29"_s << QString() << jan15 << noAep << QString()
        << u"birthday 2025-02-14 pre"_s;
    QTest::newRow("Feb 29 birthday, leap year")
        << qint64(4) << u"TX"_s << u"1952-02-29"_s << QString() << QDate(2024, 1, 15) << noAep << QString()
        << u"birthday 2024-02-15 pre"_s;
    // policy starting 2025-07-01: first anniversary 2026-07-01 - 30 = 2026-06-01
    QTest::newRow("future policy first anniversary")
        << qint64(4) << u"TX"_s << QString() << u"2025-07-01"_s << jan15 << noAep << QString()
        << u"effective_date 2026-06-01 pre"_s;

    // --- catch-up (today 2025-01-15; offsets from catchUpHashes) -----------------------------
    // A = 01-25, 01-11 < today: min(today + 4, A-1 = 01-24) = 01-19
    QTest::newRow("catch-up birthday") << qint64(42) << u"TX"_s << u"1950-01-25"_s << QString() << jan15
                                       << noAep << QString() << u"birthday 2025-01-19 pre catchup"_s;
    // A = 01-17: min(01-19, A-1 = 01-16) = 01-16
    QTest::newRow("catch-up capped at the day before")
        << qint64(42) << u"TX"_s << u"1950-01-17"_s << QString() << jan15 << noAep << QString()
        << u"birthday 2025-01-16 pre catchup"_s;
    // A = today: min(01-19, max(today, 01-14)) = today
    QTest::newRow("catch-up birthday today") << qint64(42) << u"TX"_s << u"1950-01-15"_s << QString() << jan15
                                             << noAep << QString() << u"birthday 2025-01-15 pre catchup"_s;
    // 01-29 - 14 = 01-15 = today: not a catch-up
    QTest::newRow("send date today is not catch-up")
        << qint64(42) << u"TX"_s << u"1950-01-29"_s << QString() << jan15 << noAep << QString()
        << u"birthday 2025-01-15 pre"_s;
    // id 44: offset 6 -> min(01-21, 01-24) = 01-21
    QTest::newRow("catch-up other contact") << qint64(44) << u"TX"_s << u"1950-01-25"_s << QString() << jan15
                                            << noAep << QString() << u"birthday 2025-01-21 pre catchup"_s;
    // A_e = 01-25, 12-26 < today: offset 0 -> today
    QTest::newRow("catch-up effective_date")
        << qint64(42) << u"TX"_s << QString() << u"2020-01-25"_s << jan15 << noAep << QString()
        << u"effective_date 2025-01-15 pre catchup"_s;
    QTest::newRow("catch-up spread 0")
        << qint64(42) << u"TX"_s << u"1950-01-25"_s << QString() << jan15 << u"aep= spread=0"_s << QString()
        << u"birthday 2025-01-15 pre catchup"_s;

    // --- birthday windows and post_window ----------------------------------------------------
    // CA Jun 1: window [03-03, 07-31] skips 05-18; follow-up 08-01; aep 08-18 is outside
    QTest::newRow("CA birthday window")
        << qint64(4) << u"CA"_s << u"1950-06-01"_s << QString() << jan15 << QString() << QString()
        << u"birthday 2025-05-18 skip:birthday_window; post_window 2025-08-01 pre; aep 2025-08-18 pre"_s;
    QTest::newRow("CA post_window disabled")
        << qint64(4) << u"CA"_s << u"1950-06-01"_s << QString() << jan15 << u"postwindow=0"_s << QString()
        << u"birthday 2025-05-18 skip:birthday_window; aep 2025-08-18 pre"_s;
    // NV Jun 20: anchor Jun 1, window [04-02, 07-31]; birthday 06-06
    QTest::newRow("NV month start")
        << qint64(4) << u"NV"_s << u"1950-06-20"_s << QString() << jan15 << QString() << QString()
        << u"birthday 2025-06-06 skip:birthday_window; post_window 2025-08-01 pre; aep 2025-08-18 pre"_s;
    // IL: [04-02, 07-16] at 74/75, none at 76; follow-up 07-17
    QTest::newRow("IL age 74")
        << qint64(4) << u"IL"_s << u"1951-06-01"_s << QString() << jan15 << QString() << QString()
        << u"birthday 2025-05-18 skip:birthday_window; post_window 2025-07-17 pre; aep 2025-08-18 pre"_s;
    QTest::newRow("IL age 75")
        << qint64(4) << u"IL"_s << u"1950-06-01"_s << QString() << jan15 << QString() << QString()
        << u"birthday 2025-05-18 skip:birthday_window; post_window 2025-07-17 pre; aep 2025-08-18 pre"_s;
    QTest::newRow("IL age 76") << qint64(4) << u"IL"_s << u"1949-06-01"_s << QString() << jan15 << QString()
                               << QString() << u"birthday 2025-05-18 pre; aep 2025-08-18 pre"_s;
    // Feb 29, max_age 74: 2027-02-28 - 14 = 02-14 in [2026-12-30, 2027-04-14] (age 74) -> follow-up 04-15
    QTest::newRow("IL Feb 29 birthday on Feb 28")
        << qint64(4) << u"IL"_s << u"1952-02-29"_s << QString() << QDate(2027, 1, 15)
        << u"aep= IL=birthday/0/45/maxage=74"_s << QString()
        << u"birthday 2027-02-14 skip:birthday_window; post_window 2027-04-15 pre"_s;
    // two distinct causing windows (CA after=250): E_2025 = [2024-10-12, 2025-09-17] holds every
    // AEP date (skipped at slot 0, 08-18); the birthday 2026-01-10 - 14 = 2025-12-27 lies in
    // E_2026 = [2025-10-12, 2026-09-17]: one follow-up per window
    QTest::newRow("two windows, two post_windows")
        << qint64(4) << u"CA"_s << u"1950-01-10"_s << QString() << jan15 << u"CA=birthday/30/250"_s
        << QString()
        << u"aep 2025-08-18 skip:birthday_window; post_window 2025-09-18 pre; "
           u"birthday 2025-12-27 skip:birthday_window; post_window 2026-09-18 pre"_s;

    // --- effective_date windows ----------------------------------------------------------------
    // MO Jul 1: [04-02, 08-03] skips effective 06-01 and birthday (Jun 20) 06-06: one follow-up 08-04
    QTest::newRow("MO both in one window")
        << qint64(4) << u"MO"_s << u"1950-06-20"_s << u"2020-07-01"_s << jan15 << QString() << QString()
        << u"effective_date 2025-06-01 skip:effective_date_window; birthday 2025-06-06 "
           u"skip:effective_date_window; "
           u"post_window 2025-08-04 pre; aep 2025-08-18 pre"_s;
    // policy from 2025-03-01: first anniversary 2026-03-01 -> 2026-01-30, in E_2026 [2025-12-01, 2026-04-03]
    QTest::newRow("MO future policy")
        << qint64(4) << u"MO"_s << QString() << u"2025-03-01"_s << jan15 << noAep << QString()
        << u"effective_date 2026-01-30 skip:effective_date_window; post_window 2026-04-04 pre"_s;

    // --- AEP slot, fallback, all excluded ------------------------------------------------------
    QTest::newRow("AEP slot 1") << qint64(5) << u"TX"_s << QString() << QString() << jan15 << QString()
                                << QString() << u"aep 2025-08-25 pre"_s;
    QTest::newRow("AEP slot 3") << qint64(7) << u"TX"_s << QString() << QString() << jan15 << QString()
                                << QString() << u"aep 2025-09-07 pre"_s;
    // 09-07 is the latest date: on 09-07 the AEP year is still 2025; slot 0 08-18 < today -> 09-07
    QTest::newRow("AEP on the last date")
        << qint64(4) << u"TX"_s << QString() << QString() << QDate(2025, 9, 7) << QString() << QString()
        << u"aep 2025-09-07 pre"_s;
    QTest::newRow("AEP next year") << qint64(4) << u"TX"_s << QString() << QString() << QDate(2025, 9, 8)
                                   << QString() << QString() << u"aep 2026-08-18 pre"_s;
    // CA Jun 18: window ends 06-18 + 60 = 08-17, the day before the AEP date
    QTest::newRow("AEP day after window end")
        << qint64(4) << u"CA"_s << u"1950-06-18"_s << QString() << jan15 << u"aep=08-18"_s << QString()
        << u"birthday 2025-06-04 skip:birthday_window; aep 2025-08-18 pre; post_window 2025-08-18 pre"_s;
    // CA Jun 19: window ends 08-18 = the only AEP date: skipped there, same window -> one follow-up
    QTest::newRow("AEP on window end")
        << qint64(4) << u"CA"_s << u"1950-06-19"_s << QString() << jan15 << u"aep=08-18"_s << QString()
        << u"birthday 2025-06-05 skip:birthday_window; aep 2025-08-18 skip:birthday_window; post_window 2025-08-19 pre"_s;
    // CA Nov 16: window starts 11-16 - 90 = 08-18; ends 2026-01-15
    QTest::newRow("AEP on window start")
        << qint64(4) << u"CA"_s << u"1950-11-16"_s << QString() << jan15 << u"aep=08-18"_s << QString()
        << u"aep 2025-08-18 skip:birthday_window; birthday 2025-11-02 skip:birthday_window; post_window 2026-01-16 pre"_s;
    // CA Nov 17: window starts 08-19
    QTest::newRow("AEP day before window start")
        << qint64(4) << u"CA"_s << u"1950-11-17"_s << QString() << jan15 << u"aep=08-18"_s << QString()
        << u"aep 2025-08-18 pre; birthday 2025-11-03 skip:birthday_window; post_window 2026-01-17 pre"_s;
    // CA Jul 2: window [04-03, 08-31]: slot 0 (08-18) and 08-25 excluded -> 09-01; follow-up 09-01 too
    QTest::newRow("AEP fallback to a later date")
        << qint64(4) << u"CA"_s << u"1950-07-02"_s << QString() << jan15 << QString() << QString()
        << u"birthday 2025-06-18 skip:birthday_window; aep 2025-09-01 pre; post_window 2025-09-01 pre"_s;
    // slot 2 (09-01) excluded by [08-19, 2026-01-16]; the others in list order: 08-18 is free
    QTest::newRow("AEP fallback in list order")
        << qint64(6) << u"CA"_s << u"1950-11-17"_s << QString() << jan15 << QString() << QString()
        << u"aep 2025-08-18 pre; birthday 2025-11-03 skip:birthday_window; post_window 2026-01-17 pre"_s;
    // CA Oct 20: window [07-22, 12-19] covers every AEP date: skipped at slot 0 (08-18)
    QTest::newRow("AEP all excluded")
        << qint64(4) << u"CA"_s << u"1950-10-20"_s << QString() << jan15 << QString() << QString()
        << u"aep 2025-08-18 skip:birthday_window; birthday 2025-10-06 skip:birthday_window; post_window 2025-12-20 pre"_s;
    // same on 08-20: slot 0 is past, so it is dated at the first date >= today in try order (08-25)
    QTest::newRow("AEP all excluded, slot past")
        << qint64(4) << u"CA"_s << u"1950-10-20"_s << QString() << QDate(2025, 8, 20) << QString()
        << QString()
        << u"aep 2025-08-25 skip:birthday_window; birthday 2025-10-06 skip:birthday_window; post_window 2025-12-20 pre"_s;

    // --- year-round ------------------------------------------------------------------------------
    QTest::newRow("NY year-round")
        << qint64(4) << u"NY"_s << u"1950-06-01"_s << u"2020-07-01"_s << jan15 << QString() << QString()
        << u"birthday 2025-05-18 skip:year_round; effective_date 2025-06-01 skip:year_round; aep 2025-08-18 skip:year_round"_s;
    QTest::newRow("WA year-round, already sent first")
        << qint64(4) << u"WA"_s << u"1950-06-01"_s << QString() << jan15 << QString()
        << u"BIRTHDAY|sent|2025-05-18|2025"_s
        << u"birthday 2025-05-18 skip:already_sent; aep 2025-08-18 skip:year_round"_s;

    // --- already sent (A = 2025-06-01, A-60 = 04-02) --------------------------------------------
    QTest::newRow("already sent by event_year")
        << qint64(4) << u"TX"_s << u"1950-06-01"_s << QString() << jan15 << noAep
        << u"BIRTHDAY|sent|2025-05-18|2025"_s << u"birthday 2025-05-18 skip:already_sent"_s;
    QTest::newRow("event_year of another year")
        << qint64(4) << u"TX"_s << u"1950-06-01"_s << QString() << jan15 << noAep
        << u"birthday|sent|2024-05-18|2024"_s << u"birthday 2025-05-18 pre"_s;
    QTest::newRow("inactive status does not count")
        << qint64(4) << u"TX"_s << u"1950-06-01"_s << QString() << jan15 << noAep
        << u"birthday|failed|2025-05-18|2025"_s << u"birthday 2025-05-18 pre"_s;
    QTest::newRow("status compared case-insensitively")
        << qint64(4) << u"TX"_s << u"1950-06-01"_s << QString() << jan15 << noAep
        << u"Birthday|Delivered|2025-05-18|2025"_s << u"birthday 2025-05-18 skip:already_sent"_s;
    QTest::newRow("other type does not count")
        << qint64(4) << u"TX"_s << u"1950-06-01"_s << QString() << jan15 << noAep
        << u"EFFECTIVE_DATE|sent|2025-05-18|2025"_s << u"birthday 2025-05-18 pre"_s;
    QTest::newRow("empty event_year, date A-60")
        << qint64(4) << u"TX"_s << u"1950-06-01"_s << QString() << jan15 << noAep
        << u"BIRTHDAY|scheduled|2025-04-02|"_s << u"birthday 2025-05-18 skip:already_sent"_s;
    QTest::newRow("empty event_year, date A-61")
        << qint64(4) << u"TX"_s << u"1950-06-01"_s << QString() << jan15 << noAep
        << u"BIRTHDAY|scheduled|2025-04-01|"_s << u"birthday 2025-05-18 pre"_s;
    QTest::newRow("empty event_year, date A")
        << qint64(4) << u"TX"_s << u"1950-06-01"_s << QString() << jan15 << noAep
        << u"BIRTHDAY|processing|2025-06-01|"_s << u"birthday 2025-05-18 skip:already_sent"_s;
    QTest::newRow("empty event_year, date A+1")
        << qint64(4) << u"TX"_s << u"1950-06-01"_s << QString() << jan15 << noAep
        << u"BIRTHDAY|sent|2025-06-02|"_s << u"birthday 2025-05-18 pre"_s;
    QTest::newRow("effective_date already sent")
        << qint64(4) << u"TX"_s << QString() << u"2020-07-01"_s << jan15 << noAep
        << u"EFFECTIVE_DATE|sent||2025"_s << u"effective_date 2025-06-01 skip:already_sent"_s;
    QTest::newRow("aep already sent this AEP year")
        << qint64(4) << u"TX"_s << QString() << QString() << jan15 << QString() << u"AEP|sent|2025-08-20|"_s
        << u"aep 2025-08-18 skip:already_sent"_s;
    QTest::newRow("aep sent last year")
        << qint64(4) << u"TX"_s << QString() << QString() << jan15 << QString()
        << u"AEP|sent|2024-08-20|2024"_s << u"aep 2025-08-18 pre"_s;
    // already sent wins over the window, so no follow-up is due for it
    QTest::newRow("already sent inside a window")
        << qint64(4) << u"CA"_s << u"1950-06-01"_s << QString() << jan15 << QString()
        << u"BIRTHDAY|sent|2025-05-18|2025"_s
        << u"birthday 2025-05-18 skip:already_sent; aep 2025-08-18 pre"_s;

    // --- post_window de-duplication (follow-up date 2025-08-01) ---------------------------------
    QTest::newRow("post_window already sent")
        << qint64(4) << u"CA"_s << u"1950-06-01"_s << QString() << jan15 << noAep
        << u"POST_WINDOW_BIRTHDAY|sent|2025-08-01|"_s
        << u"birthday 2025-05-18 skip:birthday_window; post_window 2025-08-01 skip:already_sent"_s;
    QTest::newRow("post_window plain type")
        << qint64(4) << u"CA"_s << u"1950-06-01"_s << QString() << jan15 << noAep
        << u"post_window|scheduled|2025-08-01|"_s
        << u"birthday 2025-05-18 skip:birthday_window; post_window 2025-08-01 skip:already_sent"_s;
    QTest::newRow("post_window failed earlier")
        << qint64(4) << u"CA"_s << u"1950-06-01"_s << QString() << jan15 << noAep
        << u"POST_WINDOW_BIRTHDAY|failed|2025-08-01|"_s
        << u"birthday 2025-05-18 skip:birthday_window; post_window 2025-08-01 pre"_s;
    QTest::newRow("post_window other date")
        << qint64(4) << u"CA"_s << u"1950-06-01"_s << QString() << jan15 << noAep
        << u"POST_WINDOW_BIRTHDAY|sent|2025-08-02|"_s
        << u"birthday 2025-05-18 skip:birthday_window; post_window 2025-08-01 pre"_s;

    // --- spacing (birthday 07-01 - 14 = 06-17) --------------------------------------------------
    // effective 08-15 - 30 = 07-16: 29 days apart
    QTest::newRow("spacing vs effective_date")
        << qint64(4) << u"TX"_s << u"1950-07-01"_s << u"2020-08-15"_s << jan15 << QString() << QString()
        << u"birthday 2025-06-17 skip:spacing; effective_date 2025-07-16 pre; aep 2025-08-18 pre"_s;
    // effective 09-15 - 30 = 08-16: exactly 60 days apart -> kept
    QTest::newRow("spacing 60 days apart")
        << qint64(4) << u"TX"_s << u"1950-07-01"_s << u"2020-09-15"_s << jan15 << QString() << QString()
        << u"birthday 2025-06-17 pre; effective_date 2025-08-16 pre; aep 2025-08-18 pre"_s;
    // effective 09-14 - 30 = 08-15: 59 days
    QTest::newRow("spacing 59 days apart")
        << qint64(4) << u"TX"_s << u"1950-07-01"_s << u"2020-09-14"_s << jan15 << QString() << QString()
        << u"birthday 2025-06-17 skip:spacing; effective_date 2025-08-15 pre; aep 2025-08-18 pre"_s;
    // birthday 08-01 - 14 = 07-18, aep 08-18: 31 days
    QTest::newRow("spacing vs aep") << qint64(4) << u"TX"_s << u"1950-08-01"_s << QString() << jan15
                                    << QString() << QString()
                                    << u"birthday 2025-07-18 skip:spacing; aep 2025-08-18 pre"_s;
    QTest::newRow("spacing disabled")
        << qint64(4) << u"TX"_s << u"1950-08-01"_s << QString() << jan15 << u"spacing=0"_s << QString()
        << u"birthday 2025-07-18 pre; aep 2025-08-18 pre"_s;
    QTest::newRow("no spacing against a skipped email")
        << qint64(4) << u"TX"_s << u"1950-07-01"_s << u"2020-08-15"_s << jan15 << QString()
        << u"EFFECTIVE_DATE|sent|2025-07-16|2025"_s
        << u"birthday 2025-06-17 pre; effective_date 2025-07-16 skip:already_sent; aep 2025-08-18 pre"_s;

    // --- frequency limit (birthday 06-01 -> 05-18) ----------------------------------------------
    QTest::newRow("frequency: 2 history + 1 fits")
        << qint64(4) << u"TX"_s << u"1950-06-01"_s << QString() << jan15 << noAep
        << u"followup_1_cold|sent|2025-05-10|;followup_2|sent|2025-05-20|"_s << u"birthday 2025-05-18 pre"_s;
    QTest::newRow("frequency: 3 history -> skipped")
        << qint64(4) << u"TX"_s << u"1950-06-01"_s << QString() << jan15 << noAep
        << u"a|sent|2025-05-05|;b|sent|2025-05-10|;c|delivered|2025-05-20|"_s
        << u"birthday 2025-05-18 skip:frequency_limit"_s;
    QTest::newRow("frequency: inactive history ignored")
        << qint64(4) << u"TX"_s << u"1950-06-01"_s << QString() << jan15 << noAep
        << u"a|sent|2025-05-05|;b|failed|2025-05-10|;c|sent|2025-05-20|"_s << u"birthday 2025-05-18 pre"_s;
    // 04-18 is 30 days before 05-18: no 30-day window holds both
    QTest::newRow("frequency: 30 days apart")
        << qint64(4) << u"TX"_s << u"1950-06-01"_s << QString() << jan15 << noAep
        << u"a|sent|2025-04-18|;b|sent|2025-05-17|;c|sent|2025-05-18|"_s << u"birthday 2025-05-18 pre"_s;
    // 04-19 is 29 days before: [04-19, 05-18] holds four
    QTest::newRow("frequency: 29 days apart")
        << qint64(4) << u"TX"_s << u"1950-06-01"_s << QString() << jan15 << noAep
        << u"a|sent|2025-04-19|;b|sent|2025-05-17|;c|sent|2025-05-18|"_s
        << u"birthday 2025-05-18 skip:frequency_limit"_s;
    // after the date: [05-18, 06-16] holds 05-18, 06-01, 06-10, 06-16
    QTest::newRow("frequency: history after the date")
        << qint64(4) << u"TX"_s << u"1950-06-01"_s << QString() << jan15 << noAep
        << u"a|sent|2025-06-01|;b|sent|2025-06-10|;c|sent|2025-06-16|"_s
        << u"birthday 2025-05-18 skip:frequency_limit"_s;
    // birthday Sep 1 -> 08-18 = aep date; limit 1: aep (priority 20) before birthday (30)
    QTest::newRow("frequency: priority aep over birthday")
        << qint64(4) << u"TX"_s << u"1950-09-01"_s << QString() << jan15 << u"spacing=0 freq=1/30"_s
        << QString() << u"aep 2025-08-18 pre; birthday 2025-08-18 skip:frequency_limit"_s;
    // effective 09-10 -> 08-11 (priority 10) beats aep 08-18
    QTest::newRow("frequency: priority effective_date over aep")
        << qint64(4) << u"TX"_s << QString() << u"2020-09-10"_s << jan15 << u"freq=1/30"_s << QString()
        << u"effective_date 2025-08-11 pre; aep 2025-08-18 skip:frequency_limit"_s;
    // aep (priority 20) is placed before the follow-up (25); 08-01 and 08-18 share a 30-day window
    QTest::newRow("frequency: post_window after aep")
        << qint64(4) << u"CA"_s << u"1950-06-01"_s << QString() << jan15 << u"freq=1/30"_s << QString()
        << u"birthday 2025-05-18 skip:birthday_window; post_window 2025-08-01 skip:frequency_limit; aep 2025-08-18 pre"_s;
    QTest::newRow("frequency: kept emails count")
        << qint64(4) << u"TX"_s << u"1950-09-01"_s << u"2020-09-10"_s << jan15 << u"spacing=0 freq=2/30"_s
        << QString()
        << u"effective_date 2025-08-11 pre; aep 2025-08-18 pre; birthday 2025-08-18 skip:frequency_limit"_s;
}

void TestEngine::schedule()
{
    QFETCH(qint64, id);
    QFETCH(QString, state);
    QFETCH(QString, birth);
    QFETCH(QString, effective);
    QFETCH(QDate, today);
    QFETCH(QString, config);
    QFETCH(QString, history);
    QFETCH(QString, expected);

    const Config cfg = makeConfig(config);
    const std::vector<HistoryEntry> rows = makeHistory(history);
    const ContactSchedule s
        = Engine::scheduleContact(makeContact(id, state, birth, effective), rows, today, cfg);
    QVERIFY(s.problems.isEmpty());
    QCOMPARE(s.contactId, id);
    QCOMPARE(describe(s), expected);
    for (const ScheduledEmail &e : s.emails) {
        QVERIFY2(e.date >= today, qPrintable(e.date.toString(Qt::ISODate)));
        QCOMPARE(e.status == EmailStatus::Skipped, e.reason != SkipReason::None);
        if (e.reason == SkipReason::BirthdayWindow || e.reason == SkipReason::EffectiveDateWindow)
            QVERIFY(e.window.contains(e.date));
    }
}

void TestEngine::errorContactGetsNoEmails()
{
    Contact c = makeContact(4, u"TX"_s, u"1950-06-01"_s, u"2020-07-01"_s);
    c.email = u"not an email"_s;
    const ContactSchedule s = Engine::scheduleContact(c, {}, QDate(2025, 1, 15), Config());
    QVERIFY(s.hasError());
    QVERIFY(s.emails.empty());
    QCOMPARE(s.problems.size(), 1);
    QCOMPARE(s.problems[0].code, ProblemCode::InvalidEmail);

    c = makeContact(4, u"XX"_s, u"1950-06-01"_s, QString());
    QVERIFY(Engine::scheduleContact(c, {}, QDate(2025, 1, 15), Config()).emails.empty());
}

void TestEngine::warningContactIsScheduled()
{
    // the bad birth date is treated as missing: only the effective_date and aep emails
    const ContactSchedule s = Engine::scheduleContact(
        makeContact(4, u"TX"_s, u"13/45/1950"_s, u"2020-07-01"_s), {}, QDate(2025, 1, 15), Config());
    QVERIFY(!s.hasError());
    QCOMPARE(s.problems.size(), 1);
    QCOMPARE(s.problems[0].code, ProblemCode::InvalidBirthDate);
    QCOMPARE(describe(s), u"effective_date 2025-06-01 pre; aep 2025-08-18 pre"_s);
}

void TestEngine::postWindowFields()
{
    const ContactSchedule s = Engine::scheduleContact(makeContact(4, u"NV"_s, u"1950-06-20"_s, QString()), {},
                                                      QDate(2025, 1, 15), makeConfig(u"aep="_s));
    QCOMPARE(s.emails.size(), 2u);
    const ScheduledEmail &birthday = s.emails[0];
    const ScheduledEmail &follow = s.emails[1];
    QCOMPARE(birthday.eventDate, QDate(2025, 6, 20));
    QCOMPARE(birthday.window.anchor, QDate(2025, 6, 1));
    QCOMPARE(birthday.window.statutoryStart, QDate(2025, 6, 1));
    QCOMPARE(follow.type, EmailType::PostWindow);
    QCOMPARE(follow.eventDate, QDate(2025, 6, 1)); // the causing window's anchor
    QCOMPARE(follow.window, birthday.window);
}

void TestEngine::relatedDates()
{
    // spacing names the effective_date email; already_sent names the history row's date
    const ContactSchedule s
        = Engine::scheduleContact(makeContact(4, u"TX"_s, u"1950-07-01"_s, u"2020-08-15"_s),
                                  makeHistory(u"AEP|sent|2025-08-20|"_s), QDate(2025, 1, 15), Config());
    QCOMPARE(
        describe(s),
        u"birthday 2025-06-17 skip:spacing; effective_date 2025-07-16 pre; aep 2025-08-18 skip:already_sent"_s);
    QCOMPARE(s.emails[0].relatedDate, QDate(2025, 7, 16));
    QCOMPARE(s.emails[0].relatedType, EmailType::EffectiveDate);
    QCOMPARE(s.emails[2].relatedDate, QDate(2025, 8, 20));
    QCOMPARE(s.spacingDays, 60);
    QCOMPARE(s.frequencyMaxEmails, 3);
    QCOMPARE(s.frequencyPeriodDays, 30);
}

QTEST_GUILESS_MAIN(TestEngine)
#include "tst_engine.moc"
