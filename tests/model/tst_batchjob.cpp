#include "batch/batchjob.h"
#include "storage/orgdatabase.h"

#include <QFile>
#include <QFutureWatcher>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <stdexcept>

// The parallel batch computation (model/batchjob).
class TestBatchJob : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_path;

    BatchOptions options() const
    {
        BatchOptions o;
        o.databasePath = m_path;
        o.today = QDate(2024, 5, 1);
        o.chunkSize = 50; // several chunks on the 663 contacts of org-206
        o.jobs = 2;
        return o;
    }

    static void compareSchedules(const BatchResult &a, const BatchResult &b)
    {
        QCOMPARE(a.schedules.size(), b.schedules.size());
        for (std::size_t i = 0; i < a.schedules.size(); ++i) {
            QCOMPARE(a.schedules[i].contactId, b.schedules[i].contactId);
            QCOMPARE(a.schedules[i].problems, b.schedules[i].problems);
            QVERIFY(a.schedules[i].emails == b.schedules[i].emails);
        }
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_path = m_dir.filePath(QStringLiteral("org-206.sqlite3"));
        QVERIFY(QFile::copy(qEnvironmentVariable("ES_TEST_DATA") + QStringLiteral("/samples/org-206.sqlite3"),
                            m_path));
    }

    void allContacts()
    {
        BatchProgress progress;
        auto result = BatchJob::run(options(), &progress);
        QVERIFY2(result.ok(), qPrintable(result.errorMessage()));
        const BatchResult &batch = **result;
        QCOMPARE(batch.contacts, qint64(663));
        QVERIFY(batch.allContacts);
        QVERIFY(batch.balanced);
        QVERIFY(batch.scheduled > 0);
        QVERIFY(batch.skipped > 0);
        QVERIFY(batch.problems > 0); // the sample holds bad emails and dates
        for (std::size_t i = 1; i < batch.schedules.size(); ++i)
            QVERIFY(batch.schedules[i - 1].contactId < batch.schedules[i].contactId);
        QCOMPARE(progress.total.load(), qint64(663));
        QCOMPARE(progress.processed.load(), qint64(663));
        QCOMPARE(progress.problems.load(), batch.problems);
        QCOMPARE(progress.scheduled.load() + progress.skipped.load(), batch.scheduled + batch.skipped);
        QCOMPARE(batch.validContacts + batch.contactsWithErrors, batch.contacts);
    }

    void jobsDoNotChangeTheResult()
    {
        BatchOptions one = options();
        one.jobs = 1;
        one.chunkSize = 4096;
        auto a = BatchJob::run(one);
        auto b = BatchJob::run(options());
        QVERIFY(a.ok() && b.ok());
        compareSchedules(**a, **b);
    }

    void explicitContactsAreNotBalanced()
    {
        BatchOptions o = options();
        o.contactIds = { 999999999, 5, 3, 5 }; // unknown ids are left out, duplicates once
        auto all = BatchJob::run(options());
        QVERIFY(all.ok());
        o.contactIds = { (*all)->schedules[3].contactId, (*all)->schedules[1].contactId, 999999999,
                         (*all)->schedules[3].contactId };
        auto some = BatchJob::run(o);
        QVERIFY2(some.ok(), qPrintable(some.errorMessage()));
        QVERIFY(!(*some)->allContacts);
        QVERIFY(!(*some)->balanced);
        QCOMPARE((*some)->schedules.size(), std::size_t(2));
        QCOMPARE((*some)->schedules[0].contactId, (*all)->schedules[1].contactId);
        QCOMPARE((*some)->schedules[1].contactId, (*all)->schedules[3].contactId);
    }

    void failingContactBecomesProblem()
    {
        auto reference = BatchJob::run(options());
        QVERIFY(reference.ok());
        const qint64 victim = (*reference)->schedules[10].contactId;
        BatchOptions o = options();
        o.beforeContact = [victim](qint64 id) {
            if (id == victim)
                throw std::runtime_error("simulated engine failure");
        };
        auto result = BatchJob::run(o);
        QVERIFY(result.ok());
        QCOMPARE((*result)->contacts, qint64(663));
        const ContactSchedule &failed = (*result)->schedules[10];
        QCOMPARE(failed.contactId, victim);
        QVERIFY(failed.emails.empty());
        QCOMPARE(failed.problems.size(), qsizetype(1));
        QCOMPARE(failed.problems.first().code, ProblemCode::ProcessingError);
        QVERIFY(failed.problems.first().message.contains(QString::number(victim)));
        QCOMPARE((*result)->schedules[11].problems, (*reference)->schedules[11].problems);
    }

    void cancelBlocking()
    {
        int calls = 0;
        auto result = BatchJob::run(options(), nullptr, [&calls] { return ++calls > 2; });
        QVERIFY(!result.ok());
        QCOMPARE(dbErrorKind(result.error()), DbErrorKind::Cancelled);
    }

    void missingDatabase()
    {
        BatchOptions o = options();
        o.databasePath = m_dir.filePath(QStringLiteral("nope.db"));
        auto result = BatchJob::run(o);
        QVERIFY(!result.ok());
        QCOMPARE(dbErrorKind(result.error()), DbErrorKind::Missing);
    }

    void backgroundWithWatcher()
    {
        auto progress = std::make_shared<BatchProgress>();
        QFutureWatcher<Result<BatchResultPtr>> watcher;
        QSignalSpy finished(&watcher, &QFutureWatcher<Result<BatchResultPtr>>::finished);
        watcher.setFuture(BatchJob::start(options(), progress));
        QVERIFY(finished.wait(30000));
        QVERIFY(!watcher.isCanceled());
        const Result<BatchResultPtr> result = watcher.result();
        QVERIFY(result.ok());
        QCOMPARE(progress->processed.load(), qint64(663));
        auto blocking = BatchJob::run(options());
        QVERIFY(blocking.ok());
        compareSchedules(**result, **blocking);
    }

    void backgroundCancel()
    {
        QFuture<Result<BatchResultPtr>> future = BatchJob::start(options());
        future.cancel();
        future.waitForFinished();
        QVERIFY(future.isCanceled());
    }
};

QTEST_GUILESS_MAIN(TestBatchJob)
#include "tst_batchjob.moc"
