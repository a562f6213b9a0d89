#include "batch/batchjob.h"
#include "batch/schedulediff.h"
#include "storage/demogenerator.h"
#include "storage/schedulewriter.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

// What the batch question shows (model/schedulediff): new emails split into sends and held-back
// (skipped) ones, every computed email counted once, and "nothing would change" after a write.
class TestScheduleDiff : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    const QDate m_today { 2025, 3, 3 };

    static BatchResultPtr compute(const QString &path, QDate today)
    {
        BatchOptions options;
        options.databasePath = path;
        options.today = today;
        auto result = BatchJob::run(options);
        if (!result)
            qWarning("%s", qPrintable(result.errorMessage()));
        return result ? *result : BatchResultPtr();
    }

    // Skipped emails of the batch per type, counted from the schedules themselves.
    static std::array<qint64, EmailTypeCount> skippedPerType(const BatchResult &batch)
    {
        std::array<qint64, EmailTypeCount> counts {};
        for (const ContactSchedule &schedule : batch.schedules) {
            for (const ScheduledEmail &email : schedule.emails) {
                if (email.status == EmailStatus::Skipped)
                    ++counts[std::size_t(email.type)];
            }
        }
        return counts;
    }

    // Every computed email is paired with a stored row of its date (changed, unchanged), moved,
    // or added: once.
    static qint64 newEmailsCounted(const DiffCounts &c)
    {
        return c.added + c.moved + c.changed + c.unchanged;
    }

    QString generated(const QString &name, double historyFraction)
    {
        DemoGenerator::Options options;
        options.path = m_dir.filePath(name);
        options.contacts = 2000;
        options.seed = 5;
        options.today = m_today;
        options.historyFraction = historyFraction;
        const auto made = DemoGenerator::generate(options);
        return made ? options.path : QString();
    }

private Q_SLOTS:
    void firstRunSeparatesSendsFromHeldBack()
    {
        const QString path = generated(QStringLiteral("fresh.sqlite3"), 0);
        QVERIFY(!path.isEmpty());
        const BatchResultPtr batch = compute(path, m_today);
        QVERIFY(batch && batch->skipped > 0 && batch->scheduled > 0);
        const auto diff = ScheduleDiff::compute(*batch);
        QVERIFY2(diff.ok(), qPrintable(diff.errorMessage()));
        const DiffCounts total = diff->total();
        QCOMPARE(total.added, batch->scheduled + batch->skipped);
        QCOMPARE(total.addedSkipped, batch->skipped);
        QCOMPARE(total.addedScheduled(), batch->scheduled);
        const auto skipped = skippedPerType(*batch);
        for (int t = 0; t < EmailTypeCount; ++t)
            QCOMPARE(diff->perType[std::size_t(t)].addedSkipped, skipped[std::size_t(t)]);
        QVERIFY(!diff->changesNothing());
    }

    void afterWriteNothingWouldChange()
    {
        const QString path = generated(QStringLiteral("written.sqlite3"), 0.04);
        QVERIFY(!path.isEmpty());
        const BatchResultPtr batch = compute(path, m_today);
        QVERIFY(batch);
        const auto written = ScheduleWriter::write(*batch, {});
        QVERIFY2(written.ok(), qPrintable(written.errorMessage()));
        const BatchResultPtr again = compute(path, m_today);
        const auto diff = ScheduleDiff::compute(*again);
        QVERIFY(diff.ok());
        QVERIFY(diff->changesNothing());
        QCOMPARE(diff->total().addedSkipped, 0);
        QCOMPARE(newEmailsCounted(diff->total()), again->scheduled + again->skipped);
    }

    void laterRunCountsEveryEmailOnce()
    {
        const QString path = generated(QStringLiteral("later.sqlite3"), 0.04);
        QVERIFY(!path.isEmpty());
        QVERIFY(ScheduleWriter::write(*compute(path, m_today), {}).ok());
        const BatchResultPtr later = compute(path, m_today.addDays(200));
        const auto diff = ScheduleDiff::compute(*later);
        QVERIFY(diff.ok());
        QVERIFY(!diff->changesNothing());
        QCOMPARE(newEmailsCounted(diff->total()), later->scheduled + later->skipped);
        for (const DiffCounts &c : diff->perType) {
            QVERIFY(c.addedSkipped >= 0 && c.addedSkipped <= c.added);
            QCOMPARE(c.addedScheduled() + c.addedSkipped, c.added);
        }
    }
};

QTEST_GUILESS_MAIN(TestScheduleDiff)
#include "tst_schedulediff.moc"
