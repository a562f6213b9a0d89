#include "engine.h"
#include "enginetestutil.h"
#include "explain.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace EngineTestUtil;

// Plain-language explanations (explainEmail) and the short skip_reason / CLI detail (detail).
class TestExplain : public QObject
{
    Q_OBJECT

private slots:
    void ruleNames();
    void explain_data();
    void explain();
    void movedByLoadBalancing();
};

void TestExplain::ruleNames()
{
    QCOMPARE(Explain::ruleName(StateCode::fromString(u"CA"), StateRule::Kind::Birthday),
             u"California birthday rule"_s);
    QCOMPARE(Explain::ruleName(StateCode::fromString(u"MO"), StateRule::Kind::EffectiveDate),
             u"Missouri policy anniversary rule"_s);
    QCOMPARE(Explain::ruleName(StateCode::fromString(u"NY"), StateRule::Kind::YearRound),
             u"New York year-round rule"_s);
}

void TestExplain::explain_data()
{
    QTest::addColumn<qint64>("id");
    QTest::addColumn<QString>("state");
    QTest::addColumn<QString>("birth");
    QTest::addColumn<QString>("effective");
    QTest::addColumn<QDate>("today");
    QTest::addColumn<QString>("config");
    QTest::addColumn<QString>("history");
    QTest::addColumn<int>("index"); // which email of the sorted schedule
    QTest::addColumn<QString>("explanation");
    QTest::addColumn<QString>("detail");

    const QDate jan15(2025, 1, 15);
    // CA Jun 1: exclusion window (statutory May 2 plus the 60-day lead) Mar 3 – Jul 31, follow-up Aug 1
    QTest::newRow("window with follow-up")
        << qint64(4) << u"CA"_s << u"1950-06-01"_s << QString() << jan15 << u"aep="_s << QString() << 0
        << u"Skipped — California birthday rule window Mar 3 – Jul 31, 2025; follow-up email Aug 1"_s
        << u"California birthday rule window 2025-03-03 to 2025-07-31"_s;
    QTest::newRow("the follow-up itself")
        << qint64(4) << u"CA"_s << u"1950-06-01"_s << QString() << jan15 << u"aep="_s << QString() << 1
        << u"Scheduled — follow-up the day after the California birthday rule window Mar 3 – Jul 31, 2025 "
           u"ends (an earlier email was held back)"_s
        << u"after California birthday rule window 2025-03-03 to 2025-07-31"_s;
    QTest::newRow("window without follow-up")
        << qint64(4) << u"CA"_s << u"1950-06-01"_s << QString() << jan15 << u"aep= postwindow=0"_s
        << QString() << 0
        << u"Skipped — California birthday rule window Mar 3 – Jul 31, 2025; no follow-up email"_s
        << u"California birthday rule window 2025-03-03 to 2025-07-31"_s;
    QTest::newRow("follow-up already sent")
        << qint64(4) << u"CA"_s << u"1950-06-01"_s << QString() << jan15 << u"aep="_s
        << u"POST_WINDOW_BIRTHDAY|sent|2025-08-01|"_s << 0
        << u"Skipped — California birthday rule window Mar 3 – Jul 31, 2025; follow-up email already sent on Aug 1, 2025"_s
        << u"California birthday rule window 2025-03-03 to 2025-07-31"_s;
    QTest::newRow("follow-up already sent, its own row")
        << qint64(4) << u"CA"_s << u"1950-06-01"_s << QString() << jan15 << u"aep="_s
        << u"POST_WINDOW_BIRTHDAY|sent|2025-08-01|"_s << 1
        << u"Skipped — this follow-up email was already sent or scheduled on Aug 1, 2025"_s
        << u"already sent 2025-08-01"_s;
    // birthday 2026-01-10 -> 2025-12-27 in [2025-10-12, 2026-03-11]: the range spans two years
    QTest::newRow("window across New Year")
        << qint64(4) << u"CA"_s << u"1950-01-10"_s << QString() << QDate(2025, 11, 1) << u"aep="_s
        << QString() << 0
        << u"Skipped — California birthday rule window Oct 12, 2025 – Mar 11, 2026; follow-up email Mar 12"_s
        << u"California birthday rule window 2025-10-12 to 2026-03-11"_s;
    QTest::newRow("effective_date window")
        << qint64(4) << u"MO"_s << QString() << u"2020-07-01"_s << jan15 << u"aep="_s << QString() << 0
        << u"Skipped — Missouri policy anniversary rule window Apr 2 – Aug 3, 2025; follow-up email Aug 4"_s
        << u"Missouri policy anniversary rule window 2025-04-02 to 2025-08-03"_s;
    QTest::newRow("year-round")
        << qint64(4) << u"NY"_s << u"1950-06-01"_s << QString() << jan15 << u"aep="_s << QString() << 0
        << u"Skipped — New York lets people switch plans all year, so no marketing emails are sent there"_s
        << u"New York year-round rule: no marketing emails"_s;
    QTest::newRow("already sent")
        << qint64(4) << u"TX"_s << u"1950-06-01"_s << QString() << jan15 << u"aep="_s
        << u"BIRTHDAY|sent|2025-05-26|2025"_s << 0
        << u"Skipped — this birthday email was already sent or scheduled on May 26, 2025"_s
        << u"already sent 2025-05-26"_s;
    QTest::newRow("already sent, no readable date")
        << qint64(4) << u"TX"_s << u"1950-06-01"_s << QString() << jan15 << u"aep="_s
        << u"BIRTHDAY|sent||2025"_s << 0 << u"Skipped — this birthday email was already sent for 2025"_s
        << u"already sent for 2025"_s;
    // birthday 06-17, effective 07-16
    QTest::newRow("spacing") << qint64(4) << u"TX"_s << u"1950-07-01"_s << u"2020-08-15"_s << jan15
                             << u"aep="_s << QString() << 0
                             << u"Skipped — the policy anniversary email on Jul 16, 2025 is less than 60 "
                                u"days away, and the agency "
                                u"does not send both so close together"_s
                             << u"within 60 days of the effective_date email on 2025-07-16"_s;
    QTest::newRow("frequency limit") << qint64(4) << u"TX"_s << u"1950-06-01"_s << QString() << jan15
                                     << u"aep="_s
                                     << u"a|sent|2025-05-05|;b|sent|2025-05-10|;c|sent|2025-05-20|"_s << 0
                                     << u"Skipped — the contact would get more than 3 emails within 30 days"_s
                                     << u"frequency limit: 3 emails in 30 days"_s;
    QTest::newRow("scheduled") << qint64(4) << u"TX"_s << u"1950-06-01"_s << QString() << jan15 << u"aep="_s
                               << QString() << 0
                               << u"Scheduled — 14 days before the birthday on Jun 1, 2025"_s << QString();
    QTest::newRow("scheduled aep") << qint64(4) << u"TX"_s << QString() << QString() << jan15 << QString()
                                   << QString() << 0
                                   << u"Scheduled — Annual Enrollment Period email for 2025"_s << QString();
    // id 42: catch-up to 01-19 for the birthday 01-25
    QTest::newRow("catch-up")
        << qint64(42) << u"TX"_s << u"1950-01-25"_s << QString() << jan15 << u"aep="_s << QString() << 0
        << u"Scheduled — catch-up: the birthday on Jan 25, 2025 is too close for the usual lead time, so the "
           u"email goes out on Jan 19, 2025"_s
        << u"catch-up: birthday 2025-01-25 is near"_s;
}

void TestExplain::explain()
{
    QFETCH(qint64, id);
    QFETCH(QString, state);
    QFETCH(QString, birth);
    QFETCH(QString, effective);
    QFETCH(QDate, today);
    QFETCH(QString, config);
    QFETCH(QString, history);
    QFETCH(int, index);
    QFETCH(QString, explanation);
    QFETCH(QString, detail);

    const std::vector<HistoryEntry> rows = makeHistory(history);
    const ContactSchedule s
        = Engine::scheduleContact(makeContact(id, state, birth, effective), rows, today, makeConfig(config));
    QVERIFY2(index < int(s.emails.size()), qPrintable(describe(s)));
    const ScheduledEmail &email = s.emails[std::size_t(index)];
    QCOMPARE(Explain::explainEmail(s, email), explanation);
    QCOMPARE(Explain::detail(s, email), detail);
}

void TestExplain::movedByLoadBalancing()
{
    ContactSchedule s = Engine::scheduleContact(makeContact(4, u"TX"_s, u"1950-06-01"_s, QString()), {},
                                                QDate(2025, 1, 15), makeConfig(u"aep="_s));
    ScheduledEmail &e = s.emails[0];
    e.originalDate = e.date;
    e.date = e.date.addDays(1);
    QCOMPARE(Explain::detail(s, e), u"moved from 2025-05-18 by load balancing"_s);
    QVERIFY(Explain::explainEmail(s, e).endsWith(
        u"(moved from May 18, 2025 to spread the day's sending load)"_s));
}

QTEST_GUILESS_MAIN(TestExplain)
#include "tst_explain.moc"
