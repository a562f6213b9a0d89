#include "../common/campaignfixture.h"
#include "../common/sqlitetestutil.h"

#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

// `email-scheduler-cli run` and `preview` on an organisation with campaigns, a do-not-email list
// and an invalid campaign instance (SPEC 11, 12, 14): the run warning goes to stderr, one line,
// never into the problems; the summary line keeps its form. Expected counts worked out in
// tests/common/campaignfixture.h.
class TestCliCampaigns : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;

    struct Outcome
    {
        int exitCode = -1;
        QByteArray out;
        QByteArray err;
    };

    static Outcome cli(const QStringList &args)
    {
        QProcess process;
        process.start(qEnvironmentVariable("ES_CLI"), args);
        Outcome outcome;
        if (!process.waitForFinished(60000))
            return outcome;
        outcome.exitCode = process.exitCode();
        outcome.out = process.readAllStandardOutput();
        outcome.err = process.readAllStandardError();
        return outcome;
    }

private slots:
    void runPrintsWarningsAndWritesOnce()
    {
        const QString db = m_dir.filePath(QStringLiteral("run.sqlite3"));
        QVERIFY(SqliteTestUtil::execSql(db, CampaignFixture::sql()));
        const QStringList args { QStringLiteral("run"), QStringLiteral("--db"), db, QStringLiteral("--today"),
                                 QStringLiteral("2025-06-01") };
        for (int pass = 0; pass < 2; ++pass) {
            const Outcome run = cli(args);
            QCOMPARE(run.exitCode, 0);
            const QList<QByteArray> errLines = run.err.trimmed().split('\n');
            QCOMPARE(errLines.size(), 1);
            QVERIFY2(errLines[0].startsWith("email-scheduler-cli: warning: campaign_invalid: "),
                     run.err.constData());
            QVERIFY2(errLines[0].contains("Broken") && errLines[0].contains('9'), run.err.constData());
            // Same summary form as before campaigns; the warning is not a problem.
            static const QRegularExpression summary(QStringLiteral(
                "^contacts=5 scheduled=7 skipped=3 problems=1 seconds=[0-9.]+ added=(\\d+) removed=(\\d+) "
                "unchanged=(\\d+) batch_id=\\S+\n$"));
            const QRegularExpressionMatch match = summary.match(QString::fromUtf8(run.out));
            QVERIFY2(match.hasMatch(), run.out.constData());
            // First run: 10 rows added, contact 2's two own rows removed; second: nothing changes.
            QCOMPARE(match.captured(1), pass == 0 ? QStringLiteral("10") : QStringLiteral("0"));
            QCOMPARE(match.captured(2), pass == 0 ? QStringLiteral("2") : QStringLiteral("0"));
            QCOMPARE(match.captured(3), pass == 0 ? QStringLiteral("0") : QStringLiteral("10"));
        }
        QCOMPARE(SqliteTestUtil::scalar(db,
                                        QStringLiteral("SELECT count(*) FROM email_schedules WHERE "
                                                       "campaign_instance_id IS NOT NULL")),
                 6);
        QCOMPARE(
            SqliteTestUtil::scalar(db,
                                   QStringLiteral("SELECT count(*) FROM email_schedules WHERE contact_id "
                                                  "IN (2, 4) AND status IN ('pre-scheduled', 'skipped')")),
            0);
    }

    void dryRunWritesNothing()
    {
        const QString db = m_dir.filePath(QStringLiteral("dry.sqlite3"));
        QVERIFY(SqliteTestUtil::execSql(db, CampaignFixture::sql()));
        const QStringList before = SqliteTestUtil::rows(db, "SELECT * FROM email_schedules ORDER BY id");
        const Outcome run
            = cli({ QStringLiteral("run"), QStringLiteral("--db"), db, QStringLiteral("--today"),
                    QStringLiteral("2025-06-01"), QStringLiteral("--dry-run") });
        QCOMPARE(run.exitCode, 0);
        QVERIFY(run.err.contains("warning: campaign_invalid: "));
        QVERIFY2(run.out.contains(" dry_run=yes would_add=10 "), run.out.constData());
        QCOMPARE(SqliteTestUtil::rows(db, "SELECT * FROM email_schedules ORDER BY id"), before);
        // Read-only: not even the campaign_instance_id column was added.
        QVERIFY(!SqliteTestUtil::rows(db, "PRAGMA table_info(email_schedules)")
                     .join(u' ')
                     .contains(QStringLiteral("campaign_instance_id")));
    }
};

QTEST_GUILESS_MAIN(TestCliCampaigns)
#include "tst_clicampaigns.moc"
