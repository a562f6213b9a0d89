#include "loadbalancer.h"

#include <QElapsedTimer>
#include <QRandomGenerator>
#include <QTest>

#include <ctime>
#include <map>

using namespace Qt::StringLiterals;

namespace {

// FNV-1a 32 bit written out again here, so the test does not trust the code under test.
quint32 referenceFnv1a(const QByteArray &bytes)
{
    quint32 h = 2166136261u;
    for (char c : bytes) {
        h ^= static_cast<unsigned char>(c);
        h *= 16777619u;
    }
    return h;
}

ScheduledEmail email(EmailType type, QDate date, EmailStatus status = EmailStatus::PreScheduled)
{
    ScheduledEmail e;
    e.type = type;
    e.status = status;
    e.date = date;
    e.eventDate = date.addDays(type == EmailType::EffectiveDate ? 30 : 14);
    if (status == EmailStatus::Skipped)
        e.reason = SkipReason::Spacing;
    return e;
}

ContactSchedule contact(qint64 id, std::vector<ScheduledEmail> emails)
{
    ContactSchedule s;
    s.contactId = id;
    s.emails = std::move(emails);
    return s;
}

// Emails by contact id (each test contact has one pre-scheduled email unless noted).
const ScheduledEmail &find(const std::vector<ContactSchedule> &schedules, qint64 id)
{
    for (const ContactSchedule &s : schedules) {
        if (s.contactId == id) {
            for (const ScheduledEmail &e : s.emails) {
                if (e.status == EmailStatus::PreScheduled)
                    return e;
            }
        }
    }
    qFatal("contact %lld has no pre-scheduled email", static_cast<long long>(id));
}

Config capConfig(double percentage)
{
    Config c;
    c.loadBalancing.dailySendPercentageCap = percentage;
    return c;
}

using Exclusions = std::map<qint64, QList<QDate>>; // contact id -> excluded dates

LoadBalancer::ExclusionTest excluding(const std::vector<ContactSchedule> &schedules,
                                      const Exclusions &excluded)
{
    return [&schedules, excluded](std::size_t index, QDate date) {
        const auto it = excluded.find(schedules[index].contactId);
        return it != excluded.end() && it->second.contains(date);
    };
}

} // namespace

// Batch load balancing of SPEC section 8: cap arithmetic, ED smoothing and the cascading cap.
class TestLoadBalancer : public QObject
{
    Q_OBJECT

private slots:
    void dailyCap_data()
    {
        QTest::addColumn<qint64>("validContacts");
        QTest::addColumn<double>("percentage");
        QTest::addColumn<int>("expected");
        QTest::newRow("1000 at 7%") << qint64(1000) << 0.07 << 70;
        QTest::newRow("1M at 7%") << qint64(1000000) << 0.07 << 70000;
        QTest::newRow("29 at 7% = 2.03") << qint64(29) << 0.07 << 2;
        QTest::newRow("14 at 7% = 0.98 -> at least 1") << qint64(14) << 0.07 << 1;
        QTest::newRow("no contacts -> 1") << qint64(0) << 0.07 << 1;
        QTest::newRow("100 at 29% = 29 exactly") << qint64(100) << 0.29 << 29;
        QTest::newRow("50 at 10%") << qint64(50) << 0.1 << 5;
        QTest::newRow("all at 100%") << qint64(12345) << 1.0 << 12345;
    }
    void dailyCap()
    {
        QFETCH(qint64, validContacts);
        QFETCH(double, percentage);
        QFETCH(int, expected);
        QCOMPARE(LoadBalancer::dailyCap(validContacts, percentage), expected);
    }

    void edSoftLimit_data()
    {
        QTest::addColumn<int>("dailyCap");
        QTest::addColumn<int>("configured");
        QTest::addColumn<int>("expected");
        QTest::newRow("cap 70: min(15, 21)") << 70 << 15 << 15;
        QTest::newRow("cap 40: min(15, 12)") << 40 << 15 << 12;
        QTest::newRow("cap 10: min(15, 3)") << 10 << 15 << 3;
        QTest::newRow("cap 3: floor(0.9) = 0 -> 1") << 3 << 15 << 1;
        QTest::newRow("cap 1 -> 1") << 1 << 15 << 1;
        QTest::newRow("cap 70000, configured 100") << 70000 << 100 << 100;
        QTest::newRow("cap 50: min(15, 15)") << 50 << 15 << 15;
    }
    void edSoftLimit()
    {
        QFETCH(int, dailyCap);
        QFETCH(int, configured);
        QFETCH(int, expected);
        QCOMPARE(LoadBalancer::edSoftLimit(dailyCap, configured), expected);
    }

    void overflowThreshold_data()
    {
        QTest::addColumn<int>("dailyCap");
        QTest::addColumn<double>("threshold");
        QTest::addColumn<int>("expected");
        QTest::newRow("70 * 1.2") << 70 << 1.2 << 84;
        QTest::newRow("5 * 1.2") << 5 << 1.2 << 6;
        QTest::newRow("1 * 1.2") << 1 << 1.2 << 1;
        QTest::newRow("4 * 1.2 = 4.8") << 4 << 1.2 << 4;
        QTest::newRow("10 * 1.5") << 10 << 1.5 << 15;
        QTest::newRow("70000 * 1.2") << 70000 << 1.2 << 84000;
    }
    void overflowThreshold()
    {
        QFETCH(int, dailyCap);
        QFETCH(double, threshold);
        QFETCH(int, expected);
        QCOMPARE(LoadBalancer::overflowThreshold(dailyCap, threshold), expected);
    }

    void referenceHash()
    {
        // Published FNV-1a test vectors.
        QCOMPARE(referenceFnv1a(""), 0x811c9dc5u);
        QCOMPARE(referenceFnv1a("a"), 0xe40c292cu);
        QCOMPARE(referenceFnv1a("foobar"), 0xbf9cf968u);
    }

    void smoothingShift_data()
    {
        QTest::addColumn<qint64>("contactId");
        QTest::addColumn<int>("year");
        QTest::addColumn<int>("window");
        QTest::addColumn<quint32>("hash");
        QTest::addColumn<int>("shift");
        // With W = 5, hash mod 5 is read off the last decimal digit; shift = that - 2.
        QTest::newRow("1/2025") << qint64(1) << 2025 << 5 << 1728111575u << -2;
        QTest::newRow("2/2025") << qint64(2) << 2025 << 5 << 1593796934u << 2;
        QTest::newRow("3/2025") << qint64(3) << 2025 << 5 << 1397047625u << -2;
        QTest::newRow("4/2025") << qint64(4) << 2025 << 5 << 3793862616u << -1;
        QTest::newRow("5/2025") << qint64(5) << 2025 << 5 << 3009957147u << 0;
        QTest::newRow("42/2025") << qint64(42) << 2025 << 5 << 1501282104u << 2;
        QTest::newRow("42/2026") << qint64(42) << 2026 << 5 << 1551614961u << -1;
        QTest::newRow("123456789/2025") << qint64(123456789) << 2025 << 5 << 4010806743u << 1;
        // 1744889194 = 7 * 249269884 + 6 -> 6 - 3
        QTest::newRow("1/2026 W=7") << qint64(1) << 2026 << 7 << 1744889194u << 3;
        QTest::newRow("W=1 never moves") << qint64(1) << 2026 << 1 << 1744889194u << 0;
    }
    void smoothingShift()
    {
        QFETCH(qint64, contactId);
        QFETCH(int, year);
        QFETCH(int, window);
        QFETCH(quint32, hash);
        QFETCH(int, shift);
        const QByteArray key = QByteArray::number(contactId) + "-effective_date-" + QByteArray::number(year);
        QCOMPARE(referenceFnv1a(key), hash);
        QCOMPARE(static_cast<int>(hash % quint32(window)) - window / 2, shift);
        QCOMPARE(LoadBalancer::smoothingShift(contactId, year, window), shift);
    }

    // cap 10 (100 contacts at 10%) -> ED soft limit min(15, 3) = 3. Day 04-10 has the ED
    // emails of `contacts`; 1 -> -2, 2 -> +2, 3 -> -2, 4 -> -1, 5 -> 0 (rows above).
    void smoothing_data()
    {
        QTest::addColumn<QDate>("today");
        QTest::addColumn<QList<qint64>>("contacts");
        QTest::addColumn<Exclusions>("excluded");
        QTest::addColumn<QList<QDate>>("expected");
        QTest::addColumn<qint64>("smoothed");

        const QDate day(2025, 4, 10);
        QTest::newRow("five on a day: all move by their shift")
            << QDate(2025, 3, 1) << QList<qint64> { 1, 2, 3, 4, 5 } << Exclusions()
            << QList<QDate> { QDate(2025, 4, 8), QDate(2025, 4, 12), QDate(2025, 4, 8), QDate(2025, 4, 9),
                              day }
            << qint64(4);
        QTest::newRow("three = the soft limit: none move")
            << QDate(2025, 3, 1) << QList<qint64> { 1, 2, 3 } << Exclusions()
            << QList<QDate> { day, day, day } << qint64(0);
        QTest::newRow("four: all move")
            << QDate(2025, 3, 1) << QList<qint64> { 1, 2, 3, 4 } << Exclusions()
            << QList<QDate> { QDate(2025, 4, 8), QDate(2025, 4, 12), QDate(2025, 4, 8), QDate(2025, 4, 9) }
            << qint64(4);
        QTest::newRow("target excluded: stays")
            << QDate(2025, 3, 1) << QList<qint64> { 1, 2, 3, 4 }
            << Exclusions { { 3, { QDate(2025, 4, 8) } }, { 2, { QDate(2025, 4, 13) } } }
            << QList<QDate> { QDate(2025, 4, 8), QDate(2025, 4, 12), day, QDate(2025, 4, 9) } << qint64(3);
        QTest::newRow("target before today: stays")
            << QDate(2025, 4, 9) << QList<qint64> { 1, 2, 3, 4 } << Exclusions()
            << QList<QDate> { day, QDate(2025, 4, 12), day, QDate(2025, 4, 9) } << qint64(2);
    }
    void smoothing()
    {
        QFETCH(QDate, today);
        QFETCH(QList<qint64>, contacts);
        QFETCH(Exclusions, excluded);
        QFETCH(QList<QDate>, expected);
        QFETCH(qint64, smoothed);

        const QDate day(2025, 4, 10);
        std::vector<ContactSchedule> schedules;
        for (qint64 id : contacts) {
            ScheduledEmail ed = email(EmailType::EffectiveDate, day);
            ed.eventDate = QDate(2025, 5, 10);
            schedules.push_back(contact(id, { ed }));
        }
        // Other types and a lone ED email on another day are not smoothed.
        schedules.push_back(contact(42, { email(EmailType::EffectiveDate, QDate(2025, 4, 11)) }));
        schedules.push_back(contact(43, { email(EmailType::Birthday, day) }));

        const auto stats
            = LoadBalancer::balance(schedules, 100, today, capConfig(0.1), excluding(schedules, excluded));
        QCOMPARE(stats.dailyCap, 10);
        QCOMPARE(stats.edSoftLimit, 3);
        QCOMPARE(stats.smoothed, smoothed);
        QCOMPARE(stats.moved, qint64(0));
        for (qsizetype i = 0; i < contacts.size(); ++i) {
            const ScheduledEmail &e = find(schedules, contacts[i]);
            QCOMPARE(e.date, expected[i]);
            QCOMPARE(e.type, EmailType::EffectiveDate);
            QCOMPARE(e.originalDate, e.date == day ? QDate() : day);
        }
        QCOMPARE(find(schedules, 42).date, QDate(2025, 4, 11));
        QCOMPARE(find(schedules, 43).date, day);
    }

    // cap 5 (50 contacts at 10%), over the cap above floor(5 * 1.2) = 6 emails.
    // D0: birthdays of 1..8. D1: birthdays of 20..24 and the ED email of 30 (priority 10).
    // D2: aep emails of 40..42 (priority 20).
    void cap_data()
    {
        QTest::addColumn<Exclusions>("excluded");
        QTest::addColumn<QList<qint64>>("ids");
        QTest::addColumn<QList<int>>("days");
        QTest::addColumn<qint64>("moved");

        const QDate d0(2025, 3, 1);
        const QList<qint64> ids = { 1, 5, 6, 7, 8, 20, 21, 22, 23, 24, 30, 40, 42 };
        // D0 keeps 1..5, moves 6, 7, 8. D1 has 9: keeps 30, 6, 7, 8, 20, moves 21..24. D2 has 7:
        // keeps 40..42, 21, 22, moves 23, 24 to D3.
        QTest::newRow("cascade") << Exclusions() << ids
                                 << QList<int> { 0, 0, 1, 1, 1, 1, 2, 2, 3, 3, 1, 2, 2 } << qint64(7);
        // 7 skips its excluded D1 and D2. D1 then has 8: keeps 30, 6, 8, 20, 21; D2 has 6.
        QTest::newRow("skips excluded days")
            << Exclusions { { 7, { d0.addDays(1), d0.addDays(2) } } } << ids
            << QList<int> { 0, 0, 1, 3, 1, 1, 1, 2, 2, 2, 1, 2, 2 } << qint64(6);
        // 8 has nowhere to go: it stays on D0 (never dropped); D1 has 8: keeps 30, 6, 7, 20, 21.
        QList<QDate> allLater;
        for (int i = 1; i <= 1600; ++i)
            allLater.append(d0.addDays(i));
        QTest::newRow("every later day excluded")
            << Exclusions { { 8, allLater } } << ids << QList<int> { 0, 0, 1, 1, 0, 1, 1, 2, 2, 2, 1, 2, 2 }
            << qint64(5);
    }
    void cap()
    {
        QFETCH(Exclusions, excluded);
        QFETCH(QList<qint64>, ids);
        QFETCH(QList<int>, days);
        QFETCH(qint64, moved);

        const QDate d0(2025, 3, 1);
        std::vector<ContactSchedule> schedules;
        for (qint64 id = 1; id <= 8; ++id)
            schedules.push_back(contact(id, { email(EmailType::Birthday, d0) }));
        for (qint64 id = 20; id <= 24; ++id)
            schedules.push_back(contact(id, { email(EmailType::Birthday, d0.addDays(1)) }));
        schedules.push_back(contact(30, { email(EmailType::EffectiveDate, d0.addDays(1)) }));
        for (qint64 id = 40; id <= 42; ++id)
            schedules.push_back(contact(id, { email(EmailType::Aep, d0.addDays(2)) }));

        const auto stats
            = LoadBalancer::balance(schedules, 50, d0, capConfig(0.1), excluding(schedules, excluded));
        QCOMPARE(stats.dailyCap, 5);
        QCOMPARE(stats.smoothed, qint64(0));
        QCOMPARE(stats.moved, moved);
        for (qsizetype i = 0; i < ids.size(); ++i) {
            const ScheduledEmail &e = find(schedules, ids[i]);
            QVERIFY2(e.date == d0.addDays(days[i]),
                     qPrintable(u"contact %1 on %2"_s.arg(ids[i]).arg(e.date.toString(Qt::ISODate))));
        }
        QCOMPARE(find(schedules, 6).originalDate, d0);
        QCOMPARE(find(schedules, 1).originalDate, QDate());
        QCOMPARE(find(schedules, 30).originalDate, QDate());
    }

    void movedEmailsKeepTheirContactSorted()
    {
        const QDate d0(2025, 3, 1);
        std::vector<ContactSchedule> schedules;
        schedules.push_back(contact(1, { email(EmailType::Birthday, d0) }));
        // Contact 2's birthday email moves past its own skipped aep email of D0.
        schedules.push_back(
            contact(2,
                    { email(EmailType::Birthday, d0), email(EmailType::Aep, d0, EmailStatus::Skipped),
                      email(EmailType::PostWindow, d0.addDays(1)) }));
        Config config = capConfig(0.1);
        config.loadBalancing.overageThreshold = 1.0;
        // 10 contacts -> cap 1, threshold 1: D0 keeps contact 1, moves 2's birthday to D1, where
        // post_window (25) beats birthday (30) and it moves on to D2.
        const auto stats = LoadBalancer::balance(schedules, 10, d0, config, excluding(schedules, {}));
        QCOMPARE(stats.moved, qint64(1));
        const auto &emails = schedules[1].emails;
        QCOMPARE(emails.size(), std::size_t(3));
        QCOMPARE(emails[0].type, EmailType::Aep);
        QCOMPARE(emails[0].date, d0);
        QCOMPARE(emails[0].status, EmailStatus::Skipped);
        QCOMPARE(emails[0].originalDate, QDate());
        QCOMPARE(emails[1].type, EmailType::PostWindow);
        QCOMPARE(emails[1].date, d0.addDays(1));
        QCOMPARE(emails[2].type, EmailType::Birthday);
        QCOMPARE(emails[2].date, d0.addDays(2));
        QCOMPARE(emails[2].originalDate, d0);
    }

    // Equal priorities and one contact: "then type" is the written name, so aep (a) keeps the
    // day and birthday (b) moves, though Birthday comes first in the enum.
    void equalPrioritiesKeepTypesInNameOrder()
    {
        const QDate d0(2025, 3, 1);
        std::vector<ContactSchedule> schedules;
        schedules.push_back(contact(7, { email(EmailType::Birthday, d0), email(EmailType::Aep, d0) }));
        Config config = capConfig(0.1);
        config.loadBalancing.overageThreshold = 1.0;
        config.priorities[std::size_t(EmailType::Birthday)] = 20;
        config.priorities[std::size_t(EmailType::Aep)] = 20;
        // 10 contacts -> cap 1, threshold 1: D0 holds 2 emails, keeps one.
        const auto stats = LoadBalancer::balance(schedules, 10, d0, config, excluding(schedules, {}));
        QCOMPARE(stats.moved, qint64(1));
        const auto &emails = schedules[0].emails;
        QCOMPARE(emails[0].type, EmailType::Aep);
        QCOMPARE(emails[0].date, d0);
        QCOMPARE(emails[1].type, EmailType::Birthday);
        QCOMPARE(emails[1].date, d0.addDays(1));
        QCOMPARE(emails[1].originalDate, d0);
    }

    void disabledChangesNothing()
    {
        const QDate d0(2025, 3, 1);
        std::vector<ContactSchedule> schedules;
        for (qint64 id = 1; id <= 20; ++id)
            schedules.push_back(contact(id, { email(EmailType::EffectiveDate, d0) }));
        const auto before = schedules;
        Config config = capConfig(0.1);
        config.loadBalancing.enabled = false;
        const auto stats = LoadBalancer::balance(schedules, 20, d0, config, excluding(schedules, {}));
        QCOMPARE(stats.dailyCap, 2);
        QCOMPARE(stats.edSoftLimit, 1);
        QCOMPARE(stats.moved, qint64(0));
        QCOMPARE(stats.smoothed, qint64(0));
        for (std::size_t i = 0; i < schedules.size(); ++i)
            QVERIFY(schedules[i].emails == before[i].emails);
    }

    void randomizedProperties_data()
    {
        QTest::addColumn<int>("contacts");
        QTest::addColumn<quint32>("seed");
        QTest::newRow("small") << 300 << 1u;
        QTest::newRow("medium") << 5000 << 7u;
        const bool full = qEnvironmentVariableIsSet("ES_LB_FULL_SCALE");
        // The production size (1M contacts, ~3.5M emails) when asked for; 100k otherwise.
        QTest::newRow("large") << (full ? 1000000 : 100000) << 42u;
    }
    void randomizedProperties()
    {
        QFETCH(int, contacts);
        QFETCH(quint32, seed);
        QRandomGenerator rng(seed);
        const QDate today(2025, 6, 1);
        const QList<QDate> aepDays
            = { QDate(2025, 8, 18), QDate(2025, 8, 25), QDate(2025, 9, 1), QDate(2025, 9, 7) };

        // One exclusion window per contact for a third of them, as julian days [start, end].
        std::vector<std::pair<qint64, qint64>> windows(static_cast<std::size_t>(contacts), { 1, 0 });
        std::vector<ContactSchedule> schedules;
        schedules.reserve(static_cast<std::size_t>(contacts));
        const auto inWindow = [&windows](std::size_t i, QDate d) {
            const qint64 jd = d.toJulianDay();
            return jd >= windows[i].first && jd <= windows[i].second;
        };
        for (int c = 0; c < contacts; ++c) {
            const std::size_t index = static_cast<std::size_t>(c);
            if (rng.bounded(3) == 0) {
                const qint64 start = today.toJulianDay() + rng.bounded(-30, 300);
                windows[index] = { start, start + rng.bounded(30, 160) };
            }
            std::vector<ScheduledEmail> emails;
            const auto add = [&](EmailType type, QDate date, EmailStatus status) {
                if (status == EmailStatus::PreScheduled && inWindow(index, date))
                    status = EmailStatus::Skipped;
                emails.push_back(email(type, date, status));
            };
            add(EmailType::Birthday, today.addDays(rng.bounded(365)), EmailStatus::PreScheduled);
            // ED emails crowd the first of the month, as policies start on the 1st.
            add(EmailType::EffectiveDate, QDate(2025, 6 + rng.bounded(7), 1).addDays(rng.bounded(2)),
                EmailStatus::PreScheduled);
            add(EmailType::Aep, aepDays[c % 4], EmailStatus::PreScheduled);
            if (rng.bounded(2) == 0)
                add(EmailType::PostWindow, today.addDays(rng.bounded(365)),
                    rng.bounded(4) == 0 ? EmailStatus::Skipped : EmailStatus::PreScheduled);
            std::sort(emails.begin(), emails.end(), [](const ScheduledEmail &a, const ScheduledEmail &b) {
                return a.date != b.date ? a.date < b.date : emailTypeOrder(a.type) < emailTypeOrder(b.type);
            });
            schedules.push_back(contact(c + 1, std::move(emails)));
        }
        const auto before = schedules;

        const Config config;
        QElapsedTimer timer;
        timer.start();
        const std::clock_t cpuStart = std::clock();
        const auto stats
            = LoadBalancer::balance(schedules, contacts, today, config,
                                    [&inWindow](std::size_t i, QDate d) { return inWindow(i, d); });
        const qint64 ms = timer.elapsed();
        const double cpuMs = 1000.0 * double(std::clock() - cpuStart) / CLOCKS_PER_SEC;
        qInfo("%d contacts: balance() took %lld ms wall, %.0f ms CPU (cap %d, smoothed %lld, moved %lld)",
              contacts, static_cast<long long>(ms), cpuMs, stats.dailyCap,
              static_cast<long long>(stats.smoothed), static_cast<long long>(stats.moved));
        QVERIFY(stats.moved > 0); // the AEP days are far over the cap
        QVERIFY(stats.smoothed > 0);

        const int threshold
            = LoadBalancer::overflowThreshold(stats.dailyCap, config.loadBalancing.overageThreshold);
        std::map<QDate, int> perDay;
        std::array<qint64, EmailTypeCount> typesAfter {};
        for (std::size_t i = 0; i < schedules.size(); ++i) {
            const auto &now = schedules[i].emails;
            const auto &old = before[i].emails;
            QCOMPARE(now.size(), old.size());
            for (std::size_t k = 0; k < now.size(); ++k) {
                const ScheduledEmail &e = now[k];
                if (k > 0)
                    QVERIFY(now[k - 1].date < e.date
                            || (now[k - 1].date == e.date
                                && emailTypeOrder(now[k - 1].type) <= emailTypeOrder(e.type)));
                if (e.status == EmailStatus::Skipped) {
                    QVERIFY(!e.originalDate.isValid());
                    continue;
                }
                ++typesAfter[static_cast<int>(e.type)];
                ++perDay[e.date];
                QVERIFY(e.date >= today);
                QVERIFY(!inWindow(i, e.date));
                if (e.originalDate.isValid()) {
                    QVERIFY(e.originalDate != e.date);
                    // The email it came from had that date and the same type.
                    const bool found = std::any_of(old.begin(), old.end(), [&e](const ScheduledEmail &o) {
                        return o.type == e.type && o.date == e.originalDate
                            && o.status == EmailStatus::PreScheduled;
                    });
                    QVERIFY(found);
                }
            }
            // Skipped emails are carried over untouched.
            qsizetype skippedNow = std::count_if(now.begin(), now.end(), [](const ScheduledEmail &e) {
                return e.status == EmailStatus::Skipped;
            });
            qsizetype skippedOld = std::count_if(old.begin(), old.end(), [](const ScheduledEmail &e) {
                return e.status == EmailStatus::Skipped;
            });
            QCOMPARE(skippedNow, skippedOld);
        }
        // Nothing dropped, no type changed.
        std::array<qint64, EmailTypeCount> preBefore {};
        for (const ContactSchedule &s : before) {
            for (const ScheduledEmail &e : s.emails) {
                if (e.status == EmailStatus::PreScheduled)
                    ++preBefore[static_cast<int>(e.type)];
            }
        }
        QCOMPARE(typesAfter, preBefore);
        for (const auto &[date, count] : perDay)
            QVERIFY2(
                count <= threshold,
                qPrintable(u"%1 holds %2 > %3"_s.arg(date.toString(Qt::ISODate)).arg(count).arg(threshold)));
    }
};

QTEST_GUILESS_MAIN(TestLoadBalancer)
#include "tst_loadbalancer.moc"
