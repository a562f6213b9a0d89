#include "compactdate.h"
#include "dates.h"
#include "engine.h"
#include "enginetestutil.h"
#include "loadbalancer.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace EngineTestUtil;

// Dates near the ends of the years 1-9999 (issue 7): an "open-ended" effective date 9999-12-31
// or an as-of date late in 9999 must never produce a date the program cannot write (it wrote
// 10000-12-01 as "0000-12-01", due at once); such dates become problems instead.
class TestDateRange : public QObject
{
    Q_OBJECT

private slots:
    void schedule_data();
    void schedule();
    void balancerStaysInRange_data();
    void balancerStaysInRange();
    void compactDate_data();
    void compactDate();
};

void TestDateRange::schedule_data()
{
    QTest::addColumn<QString>("state");
    QTest::addColumn<QString>("birth");
    QTest::addColumn<QString>("effective");
    QTest::addColumn<QDate>("today");
    QTest::addColumn<QString>("config");
    QTest::addColumn<QString>("problems"); // codes, comma-separated
    QTest::addColumn<QString>("mentions"); // text every problem message holds
    QTest::addColumn<QString>("expected"); // describe() of the emails

    const QDate jan15(2025, 1, 15);
    // Its first anniversary would be in the year 10000: treated as missing, the rest scheduled.
    QTest::newRow("open-ended effective date 9999-12-31")
        << u"TX"_s << QString() << u"9999-12-31"_s << jan15 << QString() << u"invalid_effective_date"_s
        << u"9999-12-31"_s << u"aep 2025-08-18 pre"_s;
    QTest::newRow("effective date 12/31/9999")
        << u"TX"_s << QString() << u"12/31/9999"_s << jan15 << u"aep="_s << u"invalid_effective_date"_s
        << u"12/31/9999"_s << QString();
    QTest::newRow("effective date early in 9999")
        << u"TX"_s << u"1950-06-01"_s << u"9999-01-01"_s << jan15 << u"aep="_s << u"invalid_effective_date"_s
        << u"Effective date"_s << u"birthday 2025-05-18 pre"_s;
    // The last anniversary that can be written: 9999-12-31, sent 30 days before.
    QTest::newRow("effective date 9998-12-31")
        << u"TX"_s << QString() << u"9998-12-31"_s << jan15 << u"aep="_s << QString() << QString()
        << u"effective_date 9999-12-01 pre"_s;
    // As of the last day: the birthday is next in 10000, and so is the AEP.
    QTest::newRow("today 9999-12-31, birthday in June")
        << u"TX"_s << u"1950-06-01"_s << QString() << QDate(9999, 12, 31) << QString()
        << u"invalid_birth_date,date_out_of_range"_s << u"9999"_s << QString();
    QTest::newRow("today 9999-12-31, birthday that day")
        << u"TX"_s << u"1950-12-31"_s << QString() << QDate(9999, 12, 31) << u"aep="_s << QString()
        << QString() << u"birthday 9999-12-31 pre catchup"_s;
    // CA's birthday window runs 60 days past Dec 20, into 10000: no post_window email after it.
    QTest::newRow("window ends in 10000: no post_window")
        << u"CA"_s << u"1950-12-20"_s << QString() << QDate(9999, 6, 1) << QString() << u"date_out_of_range"_s
        << u"post_window"_s << u"aep 9999-08-18 pre; birthday 9999-12-06 skip:birthday_window"_s;
    QTest::newRow("window and AEP in 10000") << u"CA"_s << u"1950-12-20"_s << QString() << QDate(9999, 11, 1)
                                             << QString() << u"date_out_of_range,date_out_of_range"_s
                                             << u"9999"_s << u"birthday 9999-12-06 skip:birthday_window"_s;
    QTest::newRow("effective date rule state, anniversary 9999-12-31")
        << u"MO"_s << QString() << u"9998-12-31"_s << QDate(9999, 10, 1) << u"aep="_s
        << u"date_out_of_range"_s << u"post_window"_s
        << u"effective_date 9999-12-01 skip:effective_date_window"_s;
    // The first year: nothing before 0001-01-01.
    QTest::newRow("today 0001-01-01")
        << u"TX"_s << u"0001-01-01"_s << QString() << QDate(1, 1, 1) << u"aep="_s << QString() << QString()
        << u"birthday 0001-01-01 pre catchup"_s;
    QTest::newRow("today 0001-01-01, AEP") << u"TX"_s << QString() << QString() << QDate(1, 1, 1) << QString()
                                           << QString() << QString() << u"aep 0001-08-18 pre"_s;
}

void TestDateRange::schedule()
{
    QFETCH(QString, state);
    QFETCH(QString, birth);
    QFETCH(QString, effective);
    QFETCH(QDate, today);
    QFETCH(QString, config);
    QFETCH(QString, problems);
    QFETCH(QString, mentions);
    QFETCH(QString, expected);

    const ContactSchedule s
        = Engine::scheduleContact(makeContact(4, state, birth, effective), {}, today, makeConfig(config));
    QStringList codes;
    for (const Problem &p : s.problems) {
        codes << problemCodeName(p.code);
        QCOMPARE(p.severity, Severity::Warning); // the rest of the contact is still scheduled
        QVERIFY2(p.message.contains(mentions), qPrintable(p.message));
    }
    QCOMPARE(codes.join(u','), problems);
    QCOMPARE(describe(s), expected);
    for (const ScheduledEmail &e : s.emails) {
        QVERIFY2(Dates::inRange(e.date), qPrintable(e.date.toString()));
        QVERIFY2(Dates::inRange(e.eventDate), qPrintable(e.eventDate.toString()));
        QVERIFY(e.date >= today);
    }
}

void TestDateRange::balancerStaysInRange_data()
{
    QTest::addColumn<int>("type");
    QTest::addColumn<QDate>("date");
    QTest::addColumn<QDate>("today");
    // 100 emails on one day with a cap of 5 a day: the overflow runs forward day by day.
    QTest::newRow("cap overflow from 9999-12-31")
        << int(EmailType::Birthday) << QDate(9999, 12, 31) << QDate(9999, 12, 1);
    QTest::newRow("cap overflow from 9999-12-20")
        << int(EmailType::Birthday) << QDate(9999, 12, 20) << QDate(9999, 12, 1);
    // Effective-date smoothing shifts by up to 2 days either way.
    QTest::newRow("ED smoothing on 9999-12-30")
        << int(EmailType::EffectiveDate) << QDate(9999, 12, 30) << QDate(9999, 12, 1);
    QTest::newRow("ED smoothing on 9999-12-31")
        << int(EmailType::EffectiveDate) << QDate(9999, 12, 31) << QDate(9999, 12, 31);
}

void TestDateRange::balancerStaysInRange()
{
    QFETCH(int, type);
    QFETCH(QDate, date);
    QFETCH(QDate, today);
    std::vector<ContactSchedule> schedules;
    for (qint64 id = 1; id <= 100; ++id) {
        ScheduledEmail e;
        e.type = EmailType(type);
        e.date = date;
        e.eventDate = date;
        ContactSchedule s;
        s.contactId = id;
        s.emails.push_back(e);
        schedules.push_back(s);
    }
    Config config;
    config.loadBalancing.dailySendPercentageCap = 0.05;
    const LoadBalancer::Stats stats
        = LoadBalancer::balance(schedules, 100, today, config, [](std::size_t, QDate) { return false; });
    QCOMPARE(stats.dailyCap, 5);
    qint64 moved = 0;
    for (const ContactSchedule &s : schedules) {
        QCOMPARE(s.emails.size(), std::size_t(1)); // never dropped
        const ScheduledEmail &e = s.emails.front();
        QVERIFY2(e.date <= Dates::lastDate(), qPrintable(e.date.toString()));
        QVERIFY(e.date >= today);
        moved += e.originalDate.isValid() ? 1 : 0;
    }
    // Where there was room before the end of 9999, the balancer still used it.
    if (date < QDate(9999, 12, 25))
        QVERIFY(moved > 0);
}

void TestDateRange::compactDate_data()
{
    QTest::addColumn<QDate>("date");
    QTest::addColumn<bool>("kept"); // false: becomes the null date
    QTest::newRow("first date") << QDate(1, 1, 1) << true;
    QTest::newRow("last date") << QDate(9999, 12, 31) << true;
    QTest::newRow("year 10000") << QDate(10000, 12, 1) << true;
    QTest::newRow("null") << QDate() << false;
    // Past 32 bits of Julian days it used to wrap around to some other date.
    QTest::newRow("beyond 32 bits") << QDate::fromJulianDay(qint64(1) << 33) << false;
    QTest::newRow("far before") << QDate::fromJulianDay(-(qint64(1) << 33)) << false;
}

void TestDateRange::compactDate()
{
    QFETCH(QDate, date);
    QFETCH(bool, kept);
    const CompactDate compact(date);
    QCOMPARE(compact.isValid(), kept);
    QCOMPARE(compact.toQDate(), kept ? date : QDate());
}

QTEST_GUILESS_MAIN(TestDateRange)
#include "tst_daterange.moc"
