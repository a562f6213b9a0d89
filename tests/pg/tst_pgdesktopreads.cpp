// What the program's docks read besides the contact table, on a PostgreSQL organisation: the
// schedule preview of a contact (its record, history, activity, campaigns and do-not-email
// entry) and the sends per day of the stored schedule are the same as on the SQLite file the
// organisation was copied from.

#include "batch/contactpreview.h"
#include "batch/dailyload.h"
#include "pgcluster.h"
#include "storage/demogenerator.h"
#include "storage/orgdatabase.h"
#include "storage/pg/orgcopy.h"
#include "storage/statement.h"

#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

namespace {

const QDate kToday(2025, 3, 1);

} // namespace

class TestPgDesktopReads : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void previewIsTheSame();
    void missingContactPreviewsAsMissing();
    void sendsPerDayAreTheSame();

private:
    PgCluster m_cluster;
    QTemporaryDir m_dir;
    QString m_file; // generated SQLite organisation with activity and stored rows
    QString m_uri;  // the same, copied to PostgreSQL
};

void TestPgDesktopReads::initTestCase()
{
    QVERIFY2(m_cluster.start(), qPrintable(m_cluster.error()));
    QVERIFY(m_dir.isValid());
    m_file = m_dir.filePath(u"org.sqlite3"_s);
    DemoGenerator::Options options;
    options.path = m_file;
    options.contacts = 2000;
    options.seed = 9;
    options.today = kToday;
    options.messyFraction = 0.2;
    const auto generated = DemoGenerator::generate(options);
    QVERIFY2(generated.ok(), qPrintable(generated.errorMessage()));
    {
        // Stored pre-scheduled rows on a few days of the range, one after it and one of a type
        // the program does not know.
        auto db = OrgDatabase::open(m_file, OrgDatabase::Mode::ReadWrite);
        QVERIFY2(db.ok(), qPrintable(db.errorMessage()));
        const auto changed = db->exec(
            "INSERT OR IGNORE INTO email_schedules (contact_id, email_type, scheduled_send_date, status) "
            "SELECT id, CASE id % 3 WHEN 0 THEN 'birthday' WHEN 1 THEN 'aep' ELSE 'newsletter_x' END, "
            "CASE id % 8 WHEN 0 THEN '2025-03-03' WHEN 2 THEN '2025-03-10' WHEN 4 THEN '2025-03-11' "
            "ELSE '2025-09-01' END, CASE id % 5 WHEN 0 THEN 'skipped' ELSE 'pre-scheduled' END "
            "FROM contacts WHERE id % 2 = 0",
            u"prepare"_s);
        QVERIFY2(changed.ok(), qPrintable(changed.errorMessage()));
    }
    m_uri = m_cluster.createDatabase(u"org"_s);
    QVERIFY2(!m_uri.isEmpty(), qPrintable(m_cluster.error()));
    const auto copied = OrgCopy::copy(m_file, m_uri);
    QVERIFY2(copied.ok(), qPrintable(copied.errorMessage()));
}

void TestPgDesktopReads::cleanupTestCase()
{
    m_cluster.stop();
}

void TestPgDesktopReads::previewIsTheSame()
{
    // Every 7th contact, and one on the do-not-email list.
    QList<qint64> ids;
    for (qint64 id = 1; id <= 2000; id += 7)
        ids << id;
    {
        auto db = OrgDatabase::open(m_file, OrgDatabase::Mode::ReadOnly);
        QVERIFY2(db.ok(), qPrintable(db.errorMessage()));
        auto listed = Statement::prepare(*db,
                                         "SELECT c.id FROM contacts c JOIN email_suppressions s ON "
                                         "lower(trim(s.email)) = lower(trim(c.email)) ORDER BY c.id LIMIT 1",
                                         u"find"_s);
        QVERIFY2(listed.ok(), qPrintable(listed.errorMessage()));
        const Result<bool> row = listed->step();
        QVERIFY(row.ok() && *row);
        ids << listed->int64(0);
    }
    int suppressed = 0, withCampaignEmails = 0, withActivity = 0;
    for (const qint64 id : std::as_const(ids)) {
        const Result<ContactPreview> file = loadContactPreview(m_file, id, kToday, Config());
        const Result<ContactPreview> server = loadContactPreview(m_uri, id, kToday, Config());
        QVERIFY2(file.ok(), qPrintable(file.errorMessage()));
        QVERIFY2(server.ok(), qPrintable(server.errorMessage()));
        QCOMPARE(server->found, file->found);
        QCOMPARE(server->contact.email, file->contact.email);
        QCOMPARE(server->contact.birthDate, file->contact.birthDate);
        QCOMPARE(server->history.size(), file->history.size());
        QCOMPARE(server->activity.enrolments.size(), file->activity.enrolments.size());
        QVERIFY2(server->schedule.emails == file->schedule.emails, qPrintable(u"contact %1"_s.arg(id)));
        QCOMPARE(server->schedule.isSuppressed(), file->schedule.isSuppressed());
        suppressed += file->schedule.isSuppressed() ? 1 : 0;
        withActivity += file->activity.enrolments.empty() ? 0 : 1;
        for (const ScheduledEmail &email : file->schedule.emails)
            withCampaignEmails += email.type == EmailType::Campaign ? 1 : 0;
    }
    // The sample must exercise what the preview reads on a server.
    QVERIFY(withCampaignEmails > 0);
    QVERIFY(withActivity > 0);
    QVERIFY(suppressed > 0);
}

void TestPgDesktopReads::missingContactPreviewsAsMissing()
{
    const Result<ContactPreview> server = loadContactPreview(m_uri, 987654, kToday, Config());
    QVERIFY2(server.ok(), qPrintable(server.errorMessage()));
    QVERIFY(!server->found);
    QCOMPARE(server->contactId, 987654);
}

void TestPgDesktopReads::sendsPerDayAreTheSame()
{
    const QDate to = kToday.addDays(29);
    const Result<DailyLoad> file = DailyLoad::fromDatabase(m_file, kToday, to, Config());
    const Result<DailyLoad> server = DailyLoad::fromDatabase(m_uri, kToday, to, Config());
    QVERIFY2(file.ok(), qPrintable(file.errorMessage()));
    QVERIFY2(server.ok(), qPrintable(server.errorMessage()));
    QCOMPARE(server->dailyCap, file->dailyCap);
    QCOMPARE(server->outsideRange, file->outsideRange);
    QCOMPARE(server->days.size(), file->days.size());
    qint64 total = 0, other = 0;
    for (std::size_t i = 0; i < file->days.size(); ++i) {
        QCOMPARE(server->days[i].counts, file->days[i].counts);
        QCOMPARE(server->days[i].other, file->days[i].other);
        total += file->days[i].total();
        other += file->days[i].other;
    }
    QVERIFY(total > 0);
    QVERIFY(other > 0);
    QVERIFY(file->outsideRange > 0);
}

QTEST_GUILESS_MAIN(TestPgDesktopReads)
#include "tst_pgdesktopreads.moc"
