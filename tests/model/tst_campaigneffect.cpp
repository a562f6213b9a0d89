// What the Campaigns window shows before a change is saved (CampaignEffects::compareChange),
// checked against what the change does once written: enrolments drafted from a file give the
// effect that enrolling them through CampaignStore and working the effect out again gives (the
// same contacts matched by id and email, the same rows left out), an end date removes the
// instance's emails, and a changed priority moves another campaign's emails.

#include "campaignfixture.h"
#include "items/campaigneffect.h"
#include "sqlitetestutil.h"
#include "storage/campaignstore.h"
#include "storage/orgdatabase.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

namespace {
const QDate kToday = CampaignFixture::kToday; // 2025-06-01

// A rate increase (30 days before each enrolled contact's trigger date) as instance 7, and two
// contacts sharing an email (neither can be enrolled by it).
const QByteArray kExtra = R"SQL(
INSERT INTO campaign_types(id, name, target_all_contacts, priority, days_before_event, respect_exclusion_windows)
  VALUES (3, 'rate_increase', 0, 10, 30, 1);
INSERT INTO campaign_instances(id, campaign_type, instance_name, active_start_date) VALUES
  (7, 'rate_increase', 'Rate notice', '2025-06-01');
INSERT INTO contacts(id, email, state) VALUES (8, 'dup@example.com', 'TX'), (9, 'DUP@example.com', 'TX');
)SQL";

EnrolmentInput row(qint64 line, qint64 id, const QString &email, const QString &trigger)
{
    return EnrolmentInput { line, id, email, trigger };
}
} // namespace

class TestCampaignEffect : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void draftEnrolmentsGiveWhatEnrollingGives();
    void endingRemovesItsEmails();
    void priorityMovesAnotherCampaignsEmails();

private:
    CampaignCatalog catalog() const;
    CampaignEffect effectNow(qint64 instanceId) const;

    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_db;
    Config m_config;
};

void TestCampaignEffect::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_db = m_dir->filePath(QStringLiteral("org.sqlite3"));
    QVERIFY(SqliteTestUtil::execSql(m_db, CampaignFixture::sql()));
    QVERIFY(SqliteTestUtil::execSql(m_db, kExtra));
}

CampaignCatalog TestCampaignEffect::catalog() const
{
    Result<OrgDatabase> db = OrgDatabase::open(m_db, OrgDatabase::Mode::ReadOnly);
    if (!db)
        return {};
    Result<CampaignCatalog> catalog = CampaignStore(*db).catalog();
    return catalog ? *catalog : CampaignCatalog();
}

CampaignEffect TestCampaignEffect::effectNow(qint64 instanceId) const
{
    const Result<CampaignEffect> effect
        = CampaignEffects::compute(m_db, catalog(), instanceId, kToday, m_config);
    return effect ? *effect : CampaignEffect();
}

void TestCampaignEffect::draftEnrolmentsGiveWhatEnrollingGives()
{
    // Contact 6 is enrolled already (trigger Jul 10: its email on Jun 10).
    {
        Result<OrgDatabase> db = OrgDatabase::open(m_db, OrgDatabase::Mode::ReadWrite);
        QVERIFY(db);
        const EnrolmentInput first[] = { row(2, 6, {}, QStringLiteral("2025-07-10")) };
        QVERIFY(CampaignStore(*db).enrol(7, first));
    }
    const CampaignCatalog stored = catalog();
    QCOMPARE(stored.instances.size(), std::size_t(4));
    const std::vector<EnrolmentInput> rows {
        row(2, 1, {}, QStringLiteral("2025-07-15")),                                 // Jun 15
        row(3, 0, QStringLiteral(" C3@EXAMPLE.com "), QStringLiteral("08/01/2025")), // by email: Jul 2
        row(4, 99, {}, QStringLiteral("2025-07-15")),                                // no such contact
        row(5, 6, {}, QStringLiteral("31/02/2025")),                                 // not a date
        row(6, 1, {}, QStringLiteral("2025-09-01")), // contact 1 again: left out
        row(7, 0, QStringLiteral("dup@example.com"), QStringLiteral("2025-07-15")), // two contacts
        row(8, 2, {}, QStringLiteral("2025-07-20")), // on the do-not-email list
        row(9, 6, {}, QStringLiteral("2025-08-10")), // new trigger date: Jul 11
    };
    const Result<CampaignChange> change
        = CampaignEffects::compareChange(m_db, stored, stored, 7, rows, kToday, m_config);
    QVERIFY2(change, qPrintable(change.errorMessage()));

    // By hand: before, contact 6 on Jun 10; after, contacts 1, 3 and 6 on Jun 15, Jul 2 and Jul 11.
    QCOMPARE(change->before.audience, 1);
    QCOMPARE(change->before.perDay, (std::map<QDate, qint64> { { QDate(2025, 6, 10), 1 } }));
    QCOMPARE(change->after.audience, 3);
    QCOMPARE(change->after.perDay,
             (std::map<QDate, qint64> {
                 { QDate(2025, 6, 15), 1 }, { QDate(2025, 7, 2), 1 }, { QDate(2025, 7, 11), 1 } }));
    QCOMPARE(change->perDayChange(),
             (std::map<QDate, qint64> { { QDate(2025, 6, 10), -1 },
                                        { QDate(2025, 6, 15), 1 },
                                        { QDate(2025, 7, 2), 1 },
                                        { QDate(2025, 7, 11), 1 } }));
    const CampaignEffect before = effectNow(7);
    QCOMPARE(change->before.audience, before.audience);
    QCOMPARE(change->before.perDay, before.perDay);

    // Enrolled for real, the effect worked out again is what the draft showed.
    {
        Result<OrgDatabase> db = OrgDatabase::open(m_db, OrgDatabase::Mode::ReadWrite);
        QVERIFY(db);
        const Result<EnrolmentReport> report = CampaignStore(*db).enrol(7, rows);
        QVERIFY2(report, qPrintable(report.errorMessage()));
        QCOMPARE(report->enrolled, 4); // 1, 3, 2 and 6
    }
    const CampaignEffect after = effectNow(7);
    QCOMPARE(change->after.audience, after.audience);
    QCOMPARE(change->after.scheduled, after.scheduled);
    QCOMPARE(change->after.skipped, after.skipped);
    QCOMPARE(change->after.perDay, after.perDay);
    QCOMPARE(change->after.validContacts, after.validContacts);
}

void TestCampaignEffect::endingRemovesItsEmails()
{
    // Carrier news (instance 6, every contact, from today): ended yesterday, it sends nothing.
    const CampaignCatalog stored = catalog();
    CampaignCatalog ended = stored;
    for (CampaignInstanceRow &i : ended.instances) {
        if (i.id == 6)
            i.activeEndDate = QStringLiteral("2025-05-31");
    }
    const Result<CampaignChange> change
        = CampaignEffects::compareChange(m_db, stored, ended, 6, {}, kToday, m_config);
    QVERIFY2(change, qPrintable(change.errorMessage()));
    QVERIFY(change->before.live);
    QVERIFY(!change->after.live);
    QVERIFY(change->after.notLive.contains(u"ended"));
    // Contacts 1, 3, 6, 8 and 9 (2 is on the list, 4 bounced).
    QCOMPARE(change->before.audience, 5);
    QCOMPARE(change->after.audience, 0);
    QCOMPARE(change->perDayChange(), (std::map<QDate, qint64> { { kToday, -change->before.scheduled } }));
    // The newsletter lost the conflicts on Jun 1 to it: with it gone, the newsletter sends.
    QCOMPARE(change->othersAfter - change->othersBefore, change->before.scheduled);
}

void TestCampaignEffect::priorityMovesAnotherCampaignsEmails()
{
    // The newsletter (priority 30) made more important than the carrier update (20) takes the
    // shared day: the newsletter's emails go out, the carrier update's are skipped.
    const CampaignCatalog stored = catalog();
    CampaignTypeRow newsletter;
    CampaignInstanceRow june;
    for (const CampaignTypeRow &t : stored.types) {
        if (t.name == u"newsletter")
            newsletter = t;
    }
    for (const CampaignInstanceRow &i : stored.instances) {
        if (i.id == 5)
            june = i;
    }
    newsletter.priority = 5;
    qint64 id = 0;
    const CampaignCatalog changed = CampaignEffects::withDraft(stored, newsletter, june, &id);
    QCOMPARE(id, 5);
    const Result<CampaignChange> change
        = CampaignEffects::compareChange(m_db, stored, changed, 5, {}, kToday, m_config);
    QVERIFY2(change, qPrintable(change.errorMessage()));
    QCOMPARE(change->before.scheduled, 0);
    QCOMPARE(change->after.scheduled, change->before.skipped);
    QVERIFY(change->after.scheduled > 0);
    QCOMPARE(change->othersBefore - change->othersAfter, change->after.scheduled);
}

QTEST_GUILESS_MAIN(TestCampaignEffect)
#include "tst_campaigneffect.moc"
