#include "../common/campaignfixture.h"
#include "../common/referencecsv.h"
#include "../common/sqlitetestutil.h"
#include "batch/batchjob.h"
#include "csv/csvexport.h"
#include "csv/csvwriter.h"
#include "csv/previewcsv.h"

#include <QBuffer>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

// The one preview CSV writer (model/csv/previewcsv) of SPEC 11: the suppressed row, the sort
// order, and the same bytes from the CLI's `preview` and the program's preview export.
class TestPreviewCsv : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_db;

    BatchResultPtr compute(std::vector<qint64> ids = {}) const
    {
        BatchOptions options;
        options.databasePath = m_db;
        options.today = CampaignFixture::kToday;
        options.contactIds = std::move(ids);
        auto result = BatchJob::run(options);
        if (!result)
            qWarning("%s", qPrintable(result.errorMessage()));
        return result ? *result : BatchResultPtr();
    }

    static QByteArray readFile(const QString &path)
    {
        QFile file(path);
        return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
    }

    QByteArray cliPreview(const QStringList &extra) const
    {
        const QString out = m_dir.filePath(QStringLiteral("cli.csv"));
        QFile::remove(out);
        QProcess p;
        p.start(qEnvironmentVariable("ES_CLI"),
                QStringList { QStringLiteral("preview"), QStringLiteral("--db"), m_db,
                              QStringLiteral("--today"), QStringLiteral("2025-06-01"),
                              QStringLiteral("--output"), out }
                    + extra);
        if (!p.waitForFinished(60000) || p.exitCode() != 0) {
            qWarning("%s", p.readAllStandardError().constData());
            return {};
        }
        return readFile(out);
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_db = m_dir.filePath(QStringLiteral("org.sqlite3"));
        QVERIFY(SqliteTestUtil::execSql(m_db, CampaignFixture::sql()));
    }

    void suppressedRowAndOrder()
    {
        const BatchResultPtr batch = compute();
        QVERIFY(batch);
        QBuffer buffer;
        QVERIFY(buffer.open(QIODevice::WriteOnly));
        CsvWriter writer(&buffer, CsvOptions());
        QCOMPARE(PreviewCsv::write(writer, *batch), PreviewCsv::Outcome::Written);
        const QList<QStringList> rows = ReferenceCsv::parse(QString::fromUtf8(buffer.data()));
        QCOMPARE(rows.first(), PreviewCsv::header());
        QStringList got;
        for (qsizetype i = 1; i < rows.size(); ++i) {
            const QStringList &row = rows[i];
            QCOMPARE(row.size(), 6);
            // The detail of emails is the engine's text; of suppressed rows, the reason.
            got << (row.mid(0, 5).join(u',') + (row[3] == u"suppressed" ? u'|' + row[5] : QString()));
        }
        // Per contact: date (empty first), then email_type, then reason_code (worked out in
        // tests/common/campaignfixture.h).
        QCOMPARE(got,
                 (QStringList {
                     QStringLiteral("1,campaign_carrier_update,2025-06-01,pre-scheduled,"),
                     QStringLiteral("1,campaign_newsletter,2025-06-01,skipped,campaign_conflict"),
                     QStringLiteral("1,aep,2025-08-25,pre-scheduled,"),
                     QStringLiteral("2,,,suppressed,suppressed|unsubscribed"),
                     QStringLiteral("3,campaign_carrier_update,2025-06-01,pre-scheduled,"),
                     QStringLiteral("3,campaign_newsletter,2025-06-01,skipped,campaign_conflict"),
                     QStringLiteral("3,aep,2025-09-07,pre-scheduled,"),
                     QStringLiteral("4,,,warning,invalid_birth_date"),
                     QStringLiteral("4,,,suppressed,suppressed|bounced"),
                     QStringLiteral("6,campaign_carrier_update,2025-06-01,pre-scheduled,"),
                     QStringLiteral("6,campaign_newsletter,2025-06-01,skipped,campaign_conflict"),
                     QStringLiteral("6,followup_2_clicked_no_hq,2025-06-01,pre-scheduled,"),
                     QStringLiteral("6,aep,2025-09-01,pre-scheduled,"),
                 }));
    }

    void cliAndProgramExportAreByteEqual_data()
    {
        QTest::addColumn<QList<qint64>>("ids");
        QTest::newRow("batch") << QList<qint64> {};
        QTest::newRow("--contact 2 --contact 1") << QList<qint64> { 2, 1 };
    }

    void cliAndProgramExportAreByteEqual()
    {
        QFETCH(QList<qint64>, ids);
        QStringList extra;
        for (const qint64 id : ids)
            extra << QStringLiteral("--contact") << QString::number(id);
        const QByteArray cli = cliPreview(extra);
        QVERIFY(!cli.isEmpty());
        const BatchResultPtr batch = compute(std::vector<qint64>(ids.begin(), ids.end()));
        QVERIFY(batch);
        const QString ours = m_dir.filePath(QStringLiteral("program.csv"));
        const ExportOutcome outcome = CsvExport::exportPreview(*batch, ours, CsvOptions());
        QVERIFY(outcome.ok());
        QCOMPARE(outcome.rows, ids.isEmpty() ? 13 : 4);
        QCOMPARE(readFile(ours), cli);
    }
};

QTEST_GUILESS_MAIN(TestPreviewCsv)
#include "tst_previewcsv.moc"
