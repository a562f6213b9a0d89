#include "../common/campaignfixture.h"
#include "../common/sqlitetestutil.h"
#include "batch/batchjob.h"
#include "batch/contactpreview.h"
#include "batch/schedulediff.h"
#include "storage/runhistory.h"
#include "storage/schedulewriter.h"

#include <QTemporaryDir>
#include <QTest>

// A run with campaigns, a do-not-email list and a bounce (SPEC 9, 12-14): what the batch
// computes from the database's tables and what the writer leaves in email_schedules and the
// runs table. Expected rows worked out by hand in tests/common/campaignfixture.h.
class TestCampaignWrite : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    int m_files = 0;

    QString fixture()
    {
        const QString path = m_dir.filePath(QStringLiteral("org%1.sqlite3").arg(++m_files));
        return SqliteTestUtil::execSql(path, CampaignFixture::sql()) ? path : QString();
    }

    static BatchResultPtr compute(const QString &path)
    {
        BatchOptions options;
        options.databasePath = path;
        options.today = CampaignFixture::kToday;
        auto result = BatchJob::run(options);
        if (!result)
            qWarning("%s", qPrintable(result.errorMessage()));
        return result ? *result : BatchResultPtr();
    }

    static QStringList rows(const QString &path)
    {
        return SqliteTestUtil::rows(path,
                                    "SELECT contact_id, email_type, scheduled_send_date, status, "
                                    "ifnull(campaign_instance_id, '-') FROM email_schedules ORDER BY "
                                    "contact_id, email_type, scheduled_send_date");
    }

private slots:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void batchCarriesCampaignsAndSuppression()
    {
        const QString path = fixture();
        QVERIFY(!path.isEmpty());
        const BatchResultPtr batch = compute(path);
        QVERIFY(batch);
        QCOMPARE(batch->contacts, 5);
        QCOMPARE(batch->scheduled, 7); // aep + carrier_update for contacts 1, 3 and 6, 6's follow-up
        QCOMPARE(batch->skipped, 3);   // newsletter (campaign_conflict) for contacts 1, 3 and 6
        QCOMPARE(batch->problems,
                 1); // contact 4's invalid_birth_date; campaign_invalid is no contact problem
        QCOMPARE(batch->suppressed, 2);
        QCOMPARE(batch->warnings.size(), std::size_t(1));
        QCOMPARE(batch->warnings[0].code, QStringLiteral("campaign_invalid"));
        QCOMPARE(batch->warnings[0].instanceId, 9);
        QVERIFY(batch->campaigns);
        QCOMPARE(batch->campaigns->live().size(), std::size_t(2));
        QCOMPARE(batch->schedules.size(), std::size_t(5));
        const ContactSchedule &two = batch->schedules[1];
        QVERIFY(two.isSuppressed());
        QCOMPARE(two.suppression()->reason, QStringLiteral("unsubscribed"));
        QVERIFY(two.emails.empty());
        const ContactSchedule &four = batch->schedules[3];
        QVERIFY(four.isSuppressed());
        QCOMPARE(four.suppression()->reason, QStringLiteral("bounced"));
        QCOMPARE(four.problems.size(), 1);
        const ContactSchedule &six = batch->schedules[4];
        QVERIFY(six.followup());
        QCOMPARE(six.followup()->initialDate.toQDate(), QDate(2025, 5, 21));
    }

    void runWritesCampaignRowsAndDropsSuppressedOnes()
    {
        const QString path = fixture();
        QVERIFY(!path.isEmpty());
        const BatchResultPtr batch = compute(path);
        QVERIFY(batch);
        auto written = ScheduleWriter::write(*batch);
        QVERIFY2(written.ok(), qPrintable(written.errorMessage()));
        // The column was added by the run; campaign rows carry their instance, the others NULL.
        // Contact 2 keeps only its sent row; contact 4 has none.
        QCOMPARE(rows(path),
                 (QStringList {
                     QStringLiteral("1|aep|2025-08-25|pre-scheduled|-"),
                     QStringLiteral("1|campaign_carrier_update|2025-06-01|pre-scheduled|6"),
                     QStringLiteral("1|campaign_newsletter|2025-06-01|skipped|5"),
                     QStringLiteral("2|birthday|2024-07-01|sent|-"),
                     QStringLiteral("3|aep|2025-09-07|pre-scheduled|-"),
                     QStringLiteral("3|campaign_carrier_update|2025-06-01|pre-scheduled|6"),
                     QStringLiteral("3|campaign_newsletter|2025-06-01|skipped|5"),
                     QStringLiteral("6|aep|2025-09-01|pre-scheduled|-"),
                     QStringLiteral("6|birthday|2025-05-20|sent|-"),
                     QStringLiteral("6|campaign_carrier_update|2025-06-01|pre-scheduled|6"),
                     QStringLiteral("6|campaign_newsletter|2025-06-01|skipped|5"),
                     QStringLiteral("6|followup_2_clicked_no_hq|2025-06-01|pre-scheduled|-"),
                 }));
        QCOMPARE(written->added, 10);
        QCOMPARE(written->removed, 2);
        // event_year/month/day of a case-3 campaign email is its date.
        QCOMPARE(SqliteTestUtil::rows(path,
                                      "SELECT event_year, event_month, event_day, skip_reason LIKE "
                                      "'campaign_conflict: %' FROM email_schedules WHERE email_type = "
                                      "'campaign_newsletter' AND contact_id = 1"),
                 QStringList { QStringLiteral("2025|6|1|1") });
        // A follow-up's event date is the initial email's send date S.
        QCOMPARE(SqliteTestUtil::rows(path,
                                      "SELECT event_year, event_month, event_day FROM email_schedules "
                                      "WHERE email_type = 'followup_2_clicked_no_hq'"),
                 QStringList { QStringLiteral("2025|5|21") });

        // The run's warning is in the runs table, by instance id and name.
        auto runs = RunHistory::list(path);
        QVERIFY(runs.ok());
        QCOMPARE(runs->size(), 1);
        const QString warnings = runs->first().warnings;
        QVERIFY2(warnings.startsWith(QStringLiteral("campaign_invalid: ")), qPrintable(warnings));
        QVERIFY2(warnings.contains(u'9') && warnings.contains(QStringLiteral("Broken")),
                 qPrintable(warnings));
        QVERIFY(!warnings.contains(u'\n')); // one warning
        QCOMPARE(runs->first().problems, 1);
    }

    void secondRunChangesNothing()
    {
        const QString path = fixture();
        QVERIFY(!path.isEmpty());
        auto first = ScheduleWriter::write(*compute(path));
        QVERIFY2(first.ok(), qPrintable(first.errorMessage()));
        const QStringList before = SqliteTestUtil::rows(path, "SELECT * FROM email_schedules ORDER BY id");
        const BatchResultPtr again = compute(path);
        QVERIFY(again);
        auto diff = ScheduleDiff::compute(*again);
        QVERIFY(diff.ok());
        QVERIFY(diff->changesNothing());
        QCOMPARE(diff->total().unchanged, 10);
        auto second = ScheduleWriter::write(*again);
        QVERIFY2(second.ok(), qPrintable(second.errorMessage()));
        QCOMPARE(second->added, 0);
        QCOMPARE(second->removed, 0);
        QCOMPARE(second->unchanged, 10);
        QCOMPARE(SqliteTestUtil::rows(path, "SELECT * FROM email_schedules ORDER BY id"), before);
    }

    void unsuppressedContactIsScheduledAgain()
    {
        const QString path = fixture();
        QVERIFY(!path.isEmpty());
        QVERIFY(ScheduleWriter::write(*compute(path)).ok());
        QVERIFY(SqliteTestUtil::execSql(path, "DELETE FROM email_suppressions"));
        auto written = ScheduleWriter::write(*compute(path));
        QVERIFY2(written.ok(), qPrintable(written.errorMessage()));
        // Contact 2: AEP slot 2 -> 2025-09-01, and the two campaigns as for the others.
        QCOMPARE(SqliteTestUtil::rows(path,
                                      "SELECT email_type, scheduled_send_date, status, "
                                      "ifnull(campaign_instance_id, '-') FROM email_schedules WHERE "
                                      "contact_id = 2 ORDER BY email_type, scheduled_send_date"),
                 (QStringList { QStringLiteral("aep|2025-09-01|pre-scheduled|-"),
                                QStringLiteral("birthday|2024-07-01|sent|-"),
                                QStringLiteral("campaign_carrier_update|2025-06-01|pre-scheduled|6"),
                                QStringLiteral("campaign_newsletter|2025-06-01|skipped|5") }));
        // Contacts 2 and 6 now share 09-01 (daily cap 1): by (priority, contact_id) contact 6's
        // AEP email moves to the next day.
        QCOMPARE(SqliteTestUtil::rows(path,
                                      "SELECT scheduled_send_date FROM email_schedules WHERE contact_id = "
                                      "6 AND email_type = 'aep'"),
                 QStringList { QStringLiteral("2025-09-02") });
        QCOMPARE(written->added, 4);
        QCOMPARE(written->removed, 1);
    }

    void contactPreviewReadsTheSameInputs()
    {
        const QString path = fixture();
        QVERIFY(!path.isEmpty());
        auto two = loadContactPreview(path, 2, CampaignFixture::kToday, Config());
        QVERIFY2(two.ok(), qPrintable(two.errorMessage()));
        QVERIFY(two->schedule.isSuppressed());
        QCOMPARE(two->schedule.suppression()->reason, QStringLiteral("unsubscribed"));
        auto one = loadContactPreview(path, 1, CampaignFixture::kToday, Config());
        QVERIFY(one.ok());
        QVERIFY(one->campaigns);
        QStringList types;
        for (const ScheduledEmail &email : one->schedule.emails)
            types << one->campaigns->emailTypeName(email) + u'@' + email.date.toQDate().toString(Qt::ISODate);
        types.sort();
        QCOMPARE(types,
                 (QStringList { QStringLiteral("aep@2025-08-25"),
                                QStringLiteral("campaign_carrier_update@2025-06-01"),
                                QStringLiteral("campaign_newsletter@2025-06-01") }));
        auto four = loadContactPreview(path, 4, CampaignFixture::kToday, Config());
        QVERIFY(four.ok());
        QVERIFY(four->schedule.isSuppressed());
        QCOMPARE(four->activity.sendStatuses.size(), std::size_t(1));
    }
};

QTEST_GUILESS_MAIN(TestCampaignWrite)
#include "tst_campaignwrite.moc"
