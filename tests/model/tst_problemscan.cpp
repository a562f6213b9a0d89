#include "batch/batchjob.h"
#include "batch/problemscan.h"
#include "storage/contactquery.h"
#include "storage/demogenerator.h"
#include "storage/orgdatabase.h"

#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <sqlite3.h>

#include <algorithm>

// The background check of a whole database for the Problems dock (model/problemscan): the
// same problems as a batch run and the contact table, and only the latest request reported.
class TestProblemScan : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_generated;
    QString m_bigger;
    const QDate m_today { 2025, 3, 3 };

    QString sample(const QString &name) const
    {
        const QString path = m_dir.filePath(name);
        if (!QFile::exists(path))
            QFile::copy(qEnvironmentVariable("ES_TEST_DATA") + QStringLiteral("/samples/") + name, path);
        return path;
    }

    static QString generate(const QString &path, qint64 contacts, quint64 seed)
    {
        DemoGenerator::Options options;
        options.path = path;
        options.contacts = contacts;
        options.seed = seed;
        options.today = QDate(2025, 3, 3);
        options.messyFraction = 0.2;
        const auto made = DemoGenerator::generate(options);
        return made ? QString() : made.errorMessage();
    }

    static bool execute(const QString &path, const char *sql)
    {
        sqlite3 *db = nullptr;
        bool ok = sqlite3_open(path.toUtf8().constData(), &db) == SQLITE_OK
            && sqlite3_exec(db, sql, nullptr, nullptr, nullptr) == SQLITE_OK;
        sqlite3_close(db);
        return ok;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_generated = m_dir.filePath(QStringLiteral("generated.sqlite3"));
        QCOMPARE(generate(m_generated, 6000, 7), QString());
        m_bigger = m_dir.filePath(QStringLiteral("bigger.sqlite3"));
        QCOMPARE(generate(m_bigger, 60000, 8), QString());
    }

    void equalsBatchAndTableChecks_data()
    {
        QTest::addColumn<QString>("path");
        QTest::addColumn<bool>("badRows");
        QTest::newRow("org-206") << sample(QStringLiteral("org-206.sqlite3")) << true;
        QTest::newRow("org-12") << sample(QStringLiteral("org-12.db")) << false;
        QTest::newRow("generated") << m_generated << true;
    }

    // What the dock shows without a run is what a run reports, and what the contact table's
    // problem column shows row by row.
    void equalsBatchAndTableChecks()
    {
        QFETCH(QString, path);
        QFETCH(bool, badRows);
        const auto scan = ProblemScan::run(path, m_today, {}, 2);
        QVERIFY2(scan.ok(), qPrintable(scan.errorMessage()));
        QCOMPARE(!scan->problems.isEmpty(), badRows);
        QVERIFY(scan->contacts > 0);
        QCOMPARE(scan->databasePath, path);
        QCOMPARE(scan->today, m_today);

        BatchOptions options;
        options.databasePath = path;
        options.today = m_today;
        options.jobs = 2;
        const auto batch = BatchJob::run(options);
        QVERIFY2(batch.ok(), qPrintable(batch.errorMessage()));
        const QList<ProblemRow> expected = ProblemsModel::collect(**batch);
        QCOMPARE(scan->problems.size(), expected.size());
        for (qsizetype i = 0; i < expected.size(); ++i) {
            QCOMPARE(scan->problems[i].contactId, expected[i].contactId);
            QCOMPARE(scan->problems[i].problem, expected[i].problem);
        }
        QCOMPARE(scan->contacts, (*batch)->contacts);
        QCOMPARE(scan->contactsWithErrors, (*batch)->contactsWithErrors);

        // The contact table reads its rows through another connection and code path.
        ContactQuery query;
        QVERIFY(query.open(path).ok());
        const auto ids
            = query.buildIndex(ContactIndexRequest { {}, ContactColumn::Id, Qt::AscendingOrder, m_today });
        QVERIFY(ids.ok());
        const auto rows = query.fetchRows(*ids, m_today);
        QVERIFY(rows.ok());
        QList<ProblemRow> table;
        qint64 withProblems = 0;
        for (const ContactRow &row : *rows) {
            withProblems += row.problems.isEmpty() ? 0 : 1;
            for (const Problem &problem : row.problems)
                table.append(ProblemRow { row.contact.id, problem });
        }
        QCOMPARE(scan->problems.size(), table.size());
        for (qsizetype i = 0; i < table.size(); ++i) {
            QCOMPARE(scan->problems[i].contactId, table[i].contactId);
            QCOMPARE(scan->problems[i].problem, table[i].problem);
        }
        QCOMPARE(scan->contactsWithProblems, withProblems);
    }

    // Rows whose id names no single contact (text, NULL, a real number; an id that several rows
    // share) are in the dock without a run, as a run reports them: invalid_id first, duplicate_id
    // in id order, and never the contact checks of a shared id's rows.
    void unusableIdsEqualABatchRun_data()
    {
        QTest::addColumn<int>("jobs");
        QTest::newRow("1 job") << 1;
        QTest::newRow("3 jobs") << 3;
    }

    void unusableIdsEqualABatchRun()
    {
        QFETCH(int, jobs);
        const QString path = m_dir.filePath(QStringLiteral("ids-%1.sqlite3").arg(jobs));
        QFile::remove(path);
        // CREATE TABLE ... AS gives `id` no PRIMARY KEY, so text and shared ids can be stored.
        const QByteArray sql = "ATTACH '" + m_generated.toUtf8()
            + "' AS g; CREATE TABLE contacts AS SELECT * FROM g.contacts; DETACH g;"
              "INSERT INTO contacts (id, email, birth_date, state, zip_code) VALUES "
              "('abc', 'a@example.com', '1950-06-01', 'TX', '75201'),"
              "(NULL, 'b@example.com', '1950-06-01', 'TX', '75201'),"
              "(7.5, 'not an email', '1950-06-01', 'TX', '75201'),"
              // Shared ids at the start, in the middle and at the end; the second row's own
              // checks (a bad email, a future birth date) must not be reported.
              "(1, 'not an email', '2099-01-01', 'TX', '75201'),"
              "(3000, 'not an email', '1950-06-01', 'ZZ', '75201'),"
              "(3000, 'c@example.com', '1950-06-01', 'TX', '75201'),"
              "(6000, 'd@example.com', '1950-06-01', 'TX', '75201');";
        QVERIFY(execute(path, sql.constData()));

        const auto scan = ProblemScan::run(path, m_today, {}, jobs);
        QVERIFY2(scan.ok(), qPrintable(scan.errorMessage()));
        BatchOptions options;
        options.databasePath = path;
        options.today = m_today;
        options.jobs = jobs;
        const auto batch = BatchJob::run(options);
        QVERIFY2(batch.ok(), qPrintable(batch.errorMessage()));
        const QList<ProblemRow> expected = ProblemsModel::collect(**batch);

        // The rows are there, in the places a run puts them.
        QCOMPARE((*batch)->invalidRows.size(), std::size_t(3));
        for (qsizetype i = 0; i < 3; ++i) {
            QCOMPARE(scan->problems[i].contactId, qint64(0));
            QCOMPARE(scan->problems[i].problem.code, ProblemCode::InvalidId);
        }
        QList<qint64> shared;
        for (const ProblemRow &row : scan->problems) {
            if (row.problem.code == ProblemCode::DuplicateId)
                shared.append(row.contactId);
            else if (row.contactId == 1 || row.contactId == 3000 || row.contactId == 6000)
                QFAIL(qPrintable(QStringLiteral("contact %1 shares its id but has a check problem: %2")
                                     .arg(row.contactId)
                                     .arg(row.problem.message)));
        }
        QCOMPARE(shared, (QList<qint64> { 1, 1, 3000, 3000, 3000, 6000, 6000 }));

        QCOMPARE(scan->problems.size(), expected.size());
        for (qsizetype i = 0; i < expected.size(); ++i) {
            QCOMPARE(scan->problems[i].contactId, expected[i].contactId);
            QCOMPARE(scan->problems[i].problem, expected[i].problem);
        }
        QCOMPARE(scan->contacts, (*batch)->contacts);
        QCOMPARE(scan->contactsWithErrors, (*batch)->contactsWithErrors);
        QCOMPARE(qint64(scan->problems.size()), (*batch)->problems);
    }

    void threadsDoNotChangeTheResult()
    {
        const auto one = ProblemScan::run(m_bigger, m_today, {}, 1);
        const auto two = ProblemScan::run(m_bigger, m_today, {}, 3);
        QVERIFY(one.ok() && two.ok());
        QCOMPARE(one->contacts, qint64(60000));
        QCOMPARE(one->problems.size(), two->problems.size());
        for (qsizetype i = 0; i < one->problems.size(); ++i) {
            QCOMPARE(one->problems[i].contactId, two->problems[i].contactId);
            QCOMPARE(one->problems[i].problem, two->problems[i].problem);
        }
    }

    // The "as of" date decides whether a birth date lies in the future.
    void todayMatters()
    {
        const QString path = m_dir.filePath(QStringLiteral("today.sqlite3"));
        QFile::copy(sample(QStringLiteral("org-206.sqlite3")), path);
        QVERIFY(execute(path, "UPDATE contacts SET birth_date = '2025-06-01' WHERE id = 1"));
        const auto before = ProblemScan::run(path, QDate(2025, 5, 1));
        const auto after = ProblemScan::run(path, QDate(2025, 7, 1));
        QVERIFY(before.ok() && after.ok());
        auto hasBirthProblem = [](const QList<ProblemRow> &rows) {
            return std::any_of(rows.cbegin(), rows.cend(), [](const ProblemRow &row) {
                return row.contactId == 1 && row.problem.code == ProblemCode::InvalidBirthDate;
            });
        };
        QVERIFY(hasBirthProblem(before->problems));
        QVERIFY(!hasBirthProblem(after->problems));
    }

    void cancelledScanReportsCancelled()
    {
        const auto scan = ProblemScan::run(m_bigger, m_today, [] { return true; });
        QVERIFY(!scan.ok());
        QCOMPARE(dbErrorKind(scan.error()), DbErrorKind::Cancelled);
    }

    void badFileIsAnErrorNamingIt()
    {
        const QString path = m_dir.filePath(QStringLiteral("not-a-database.sqlite3"));
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("these are not the contacts you are looking for");
        file.close();
        const auto scan = ProblemScan::run(path, m_today);
        QVERIFY(!scan.ok());
        QVERIFY2(scan.errorMessage().contains(QStringLiteral("not-a-database.sqlite3")),
                 qPrintable(scan.errorMessage()));
    }

    // A second request (another database) replaces the first: only its result is reported.
    void onlyTheLatestRequestIsReported()
    {
        ProblemScanner scanner;
        QSignalSpy finished(&scanner, &ProblemScanner::finished);
        QSignalSpy running(&scanner, &ProblemScanner::runningChanged);
        const quint64 first = scanner.start(m_bigger, m_today);
        const quint64 second = scanner.start(sample(QStringLiteral("org-206.sqlite3")), m_today);
        QVERIFY(second > first);
        QCOMPARE(scanner.latestToken(), second);
        QVERIFY(scanner.isRunning());
        QVERIFY(finished.wait(60000));
        QCOMPARE(finished.size(), 1);
        const auto summary = finished.first().first().value<ProblemScan::Summary>();
        QCOMPARE(summary.databasePath, sample(QStringLiteral("org-206.sqlite3")));
        QCOMPARE(summary.contacts, qint64(663));
        QVERIFY(!scanner.isRunning());
        QCOMPARE(running.size(), 2); // on, off: the replaced request did not end the running state

        // The pool runs one scan at a time, so a leaked result of a cancelled request would be
        // reported before the next request's.
        scanner.start(m_bigger, m_today);
        scanner.cancel();
        QVERIFY(!scanner.isRunning());
        scanner.start(m_generated, m_today);
        QVERIFY(finished.wait(60000));
        QCOMPARE(finished.size(), 2);
        QCOMPARE(finished.last().first().value<ProblemScan::Summary>().databasePath, m_generated);
    }

    void failureIsReportedWithThePath()
    {
        ProblemScanner scanner;
        QSignalSpy failed(&scanner, &ProblemScanner::failed);
        QSignalSpy finished(&scanner, &ProblemScanner::finished);
        const QString missing = m_dir.filePath(QStringLiteral("missing.sqlite3"));
        scanner.start(missing, m_today);
        QVERIFY(failed.wait(10000));
        QCOMPARE(failed.first().first().toString(), missing);
        QVERIFY(failed.first().last().toString().contains(QStringLiteral("missing.sqlite3")));
        QCOMPARE(finished.size(), 0);
        QVERIFY(!scanner.isRunning());
    }

    // A new check keeps what only the last run found (processing errors) and drops the rest.
    void mergeKeepsRunOnlyProblems()
    {
        const Problem oldEmail { ProblemCode::InvalidEmail, Severity::Error, QStringLiteral("old") };
        const Problem newEmail { ProblemCode::InvalidEmail, Severity::Error, QStringLiteral("new") };
        const Problem zip { ProblemCode::InvalidZip, Severity::Warning, QStringLiteral("zip") };
        const Problem failed { ProblemCode::ProcessingError, Severity::Error, QStringLiteral("failed") };
        const QList<ProblemRow> previous { { 2, oldEmail }, { 3, failed }, { 9, failed }, { 9, zip } };
        const QList<ProblemRow> checked { { 3, newEmail }, { 5, zip }, { 12, zip } };
        const QList<ProblemRow> merged = ProblemsModel::mergeChecked(checked, previous);
        const QList<qint64> ids { 3, 3, 5, 9, 12 };
        QCOMPARE(merged.size(), ids.size());
        for (qsizetype i = 0; i < ids.size(); ++i)
            QCOMPARE(merged[i].contactId, ids[i]);
        QCOMPARE(merged[0].problem, newEmail); // a contact's checks before its run's errors
        QCOMPARE(merged[1].problem, failed);
        QCOMPARE(merged[3].problem, failed);
        QVERIFY(ProblemsModel::mergeChecked(checked, {}).size() == checked.size());
    }
};

QTEST_GUILESS_MAIN(TestProblemScan)
#include "tst_problemscan.moc"
