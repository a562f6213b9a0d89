#include "batch/batchjob.h"
#include "batch/schedulediff.h"
#include "sqlitetestutil.h"
#include "storage/contactquery.h"
#include "storage/contactsource.h"
#include "storage/orgdatabase.h"
#include "storage/runhistory.h"
#include "storage/schedulewriter.h"

#include <QDir>
#include <QFile>
#include <QScopeGuard>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace SqliteTestUtil;

// Storage faced with hostile databases (issue 7): contacts whose id is text, NULL or shared,
// an older email_schedules, a foreign scheduler_runs, WAL files and read-only folders.
class TestRobustStorage : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    int m_counter = 0;

    QString freshPath(const QString &name)
    {
        const QString folder = m_dir.filePath(u"case-%1"_s.arg(++m_counter));
        QDir().mkpath(folder);
        return folder + u'/' + name;
    }

    static BatchOptions options(const QString &path)
    {
        BatchOptions o;
        o.databasePath = path;
        o.today = QDate(2025, 1, 15);
        o.jobs = 1;
        return o;
    }

private slots:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void unusableIdsAreReportedAndTheRestScheduled_data();
    void unusableIdsAreReportedAndTheRestScheduled();
    void olderSchedulesTableWithoutEventYear();
    void foreignRunsTable_data();
    void foreignRunsTable();
    void walReadOnlyOpensCreateNoFiles_data();
    void walReadOnlyOpensCreateNoFiles();
    void readOnlyFolderFailsAtOpenForWriting_data();
    void readOnlyFolderFailsAtOpenForWriting();
};

void TestRobustStorage::unusableIdsAreReportedAndTheRestScheduled_data()
{
    QTest::addColumn<int>("chunkSize");
    QTest::addColumn<int>("jobs");
    // Chunks cut between, before and after the bad rows; one chunk for everything.
    for (const int chunk : { 1, 2, 3, 4, 5, 4096 })
        for (const int jobs : { 1, 2 })
            QTest::newRow(qPrintable(u"chunk %1, %2 jobs"_s.arg(chunk).arg(jobs))) << chunk << jobs;
}

void TestRobustStorage::unusableIdsAreReportedAndTheRestScheduled()
{
    QFETCH(int, chunkSize);
    QFETCH(int, jobs);
    const QString path = freshPath(u"ids.sqlite3"_s);
    // `id` without a type keeps text as text, as some exported databases do.
    QByteArray sql = QByteArray("CREATE TABLE contacts (id, ") + contactColumns() + ");";
    // rowid: id
    const QList<QByteArray> ids
        = { "1", "2", "'abc'", "3", "NULL", "4", "5", "4", "'6'", "7.5", "8", "9", "9", "9", "10", "x'00'" };
    for (const QByteArray &id : ids)
        sql += "INSERT INTO contacts (id, email, birth_date, state, zip_code) VALUES (" + id
            + ", 'someone@example.com', '1950-06-01', 'TX', '75201');";
    QString error;
    QVERIFY2(execSql(path, sql, &error), qPrintable(error));
    {
        auto db = OrgDatabase::open(path, OrgDatabase::Mode::ReadWrite);
        QVERIFY2(db, qPrintable(db.errorMessage()));
        QVERIFY(db->ensureSchema());
    }
    // An older run wrote rows for id 4 (whose person?), and a legacy sent row exists.
    QVERIFY2(
        execSql(path,
                "INSERT INTO email_schedules (contact_id, email_type, scheduled_send_date, status) VALUES "
                "(4, 'birthday', '2025-05-18', 'pre-scheduled'), (4, 'aep', '2024-08-18', 'sent'), "
                "(9, 'aep', '2025-08-18', 'skipped')",
                &error),
        qPrintable(error));

    BatchOptions o = options(path);
    o.chunkSize = chunkSize;
    o.jobs = jobs;
    auto batch = BatchJob::run(o);
    QVERIFY2(batch, qPrintable(batch.errorMessage()));

    QList<qint64> scheduled;
    for (const ContactSchedule &s : (*batch)->schedules) {
        scheduled << s.contactId;
        if (s.contactId == 4 || s.contactId == 9) {
            QVERIFY(s.emails.empty());
            QCOMPARE(s.problems.size(), s.contactId == 4 ? 2 : 3);
            for (const Problem &p : s.problems) {
                QCOMPARE(p.code, ProblemCode::DuplicateId);
                QCOMPARE(p.severity, Severity::Error);
                QVERIFY2(p.message.contains(QString::number(s.contactId)), qPrintable(p.message));
            }
            const QList<int> rowids = s.contactId == 4 ? QList<int> { 6, 8 } : QList<int> { 12, 13, 14 };
            for (int i = 0; i < rowids.size(); ++i)
                QVERIFY2(s.problems[i].message.contains(u"rowid %1 "_s.arg(rowids[i])),
                         qPrintable(s.problems[i].message));
        } else {
            QVERIFY2(s.problems.isEmpty(), qPrintable(s.problems.value(0).message));
            QVERIFY(!s.emails.empty());
        }
    }
    QCOMPARE(scheduled, (QList<qint64> { 1, 2, 3, 4, 5, 8, 9, 10 }));

    QStringList invalid;
    for (const InvalidContactRow &row : (*batch)->invalidRows) {
        QCOMPARE(row.problem.code, ProblemCode::InvalidId);
        QVERIFY2(row.problem.message.contains(u"rowid %1 "_s.arg(row.rowid)),
                 qPrintable(row.problem.message));
        QVERIFY2(row.problem.message.contains(row.id), qPrintable(row.problem.message));
        invalid << u"%1=%2"_s.arg(row.rowid).arg(row.id);
    }
    QCOMPARE(invalid,
             (QStringList { u"3=abc"_s, u"5=NULL"_s, u"9=6"_s, u"10=7.5"_s, u"16=a blob of 1 bytes"_s }));
    QCOMPARE((*batch)->contacts, qint64(13));
    QCOMPARE((*batch)->contactsWithErrors, qint64(7));

    // Written, then written again: never a unique-index failure, the second run changes nothing.
    auto first = ScheduleWriter::write(**batch);
    QVERIFY2(first, qPrintable(first.errorMessage()));
    QCOMPARE(rows(path,
                  "SELECT contact_id, email_type, status FROM email_schedules WHERE contact_id IN (4, 9) "
                  "ORDER BY contact_id"),
             QStringList { u"4|aep|sent"_s }); // the shared ids' own rows are gone; the sent row stays
    QCOMPARE(rows(path,
                  "SELECT DISTINCT contact_id FROM email_schedules WHERE status IN ('pre-scheduled', "
                  "'skipped') ORDER BY contact_id"),
             (QStringList { u"1"_s, u"2"_s, u"3"_s, u"5"_s, u"8"_s, u"10"_s }));
    auto again = BatchJob::run(o);
    QVERIFY(again);
    auto second = ScheduleWriter::write(**again);
    QVERIFY2(second, qPrintable(second.errorMessage()));
    QCOMPARE(second->added, qint64(0));
    QCOMPARE(second->removed, qint64(0));

    // An explicit list naming a shared id reports it too (single-contact semantics).
    BatchOptions some = o;
    some.contactIds = { 9, 5, 4 };
    auto listed = BatchJob::run(some);
    QVERIFY(listed);
    QCOMPARE((*listed)->schedules.size(), std::size_t(3));
    QCOMPARE((*listed)->schedules[0].problems.size(), 2);
    QCOMPARE((*listed)->schedules[0].problems[0].code, ProblemCode::DuplicateId);
    QVERIFY(!(*listed)->schedules[1].emails.empty());
    QCOMPARE((*listed)->schedules[2].problems.size(), 3);
}

void TestRobustStorage::olderSchedulesTableWithoutEventYear()
{
    const QString path = freshPath(u"older.sqlite3"_s);
    QString error;
    QVERIFY2(
        execSql(
            path,
            QByteArray("CREATE TABLE contacts (id INTEGER PRIMARY KEY, ") + contactColumns()
                + "); INSERT INTO contacts (id, email, birth_date, state) VALUES "
                  "(1, 'a@example.com', '1950-06-01', 'TX'), (2, 'b@example.com', '1960-03-01', 'TX');"
                  "CREATE TABLE email_schedules (id INTEGER PRIMARY KEY, contact_id INTEGER, email_type "
                  "TEXT, "
                  "scheduled_send_date TEXT, status TEXT);"
                  "INSERT INTO email_schedules (contact_id, email_type, scheduled_send_date, status) VALUES "
                  "(1, 'BIRTHDAY', '2025-05-18', 'sent');",
            &error),
        qPrintable(error));
    const QByteArray before = fileHash(path);
    const QStringList files = listing(QFileInfo(path).path());

    // Read-only: the missing columns read as NULL; the sent row still counts as history.
    auto batch = BatchJob::run(options(path));
    QVERIFY2(batch, qPrintable(batch.errorMessage()));
    const ContactSchedule &one = (*batch)->schedules.front();
    const auto birthday = std::find_if(one.emails.begin(), one.emails.end(),
                                       [](const ScheduledEmail &e) { return e.type == EmailType::Birthday; });
    QVERIFY(birthday != one.emails.end());
    QCOMPARE(birthday->reason, SkipReason::AlreadySent);
    auto diff = ScheduleDiff::compute(**batch);
    QVERIFY2(diff, qPrintable(diff.errorMessage()));
    auto record = [&] {
        auto db = OrgDatabase::open(path, OrgDatabase::Mode::ReadOnly);
        return db ? ContactSource(*db).readContact(1) : Result<std::optional<ContactRecord>>(db.error());
    }();
    QVERIFY2(record, qPrintable(record.errorMessage()));
    QCOMPARE((*record)->history.size(), 1);
    QCOMPARE(fileHash(path), before);
    QCOMPARE(listing(QFileInfo(path).path()), files);

    // Writing adds the columns first.
    auto written = ScheduleWriter::write(**batch);
    QVERIFY2(written, qPrintable(written.errorMessage()));
    QVERIFY(rows(path, "SELECT name FROM pragma_table_info('email_schedules')").contains(u"event_year"_s));
    QCOMPARE(rows(path, "SELECT count(*) FROM email_schedules WHERE status = 'sent'"),
             QStringList { u"1"_s });
}

void TestRobustStorage::foreignRunsTable_data()
{
    QTest::addColumn<QByteArray>("create");
    QTest::addColumn<QString>("table"); // where the program keeps its runs
    QTest::newRow("other columns, some of ours missing") << QByteArray(
        "CREATE TABLE scheduler_runs (run_id INTEGER PRIMARY KEY, job TEXT, ran_at TEXT DEFAULT "
        "CURRENT_TIMESTAMP, status TEXT); INSERT INTO scheduler_runs (job, status) VALUES ('nightly', 'ok');")
                                                         << u"scheduler_runs"_s;
    QTest::newRow("NOT NULL column without a default")
        << QByteArray("CREATE TABLE scheduler_runs (id INTEGER PRIMARY KEY, job TEXT NOT NULL, status TEXT, "
                      "batch_id TEXT); INSERT INTO scheduler_runs (job, status) VALUES ('nightly', 'ok');")
        << u"email_scheduler_runs"_s;
    QTest::newRow("NOT NULL columns of ours too") << QByteArray(
        "CREATE TABLE scheduler_runs (id INTEGER PRIMARY KEY, started_at TEXT NOT NULL, finished_at "
        "TEXT NOT NULL, host TEXT NOT NULL); INSERT INTO scheduler_runs VALUES (1, 'a', 'b', 'c');")
                                                  << u"email_scheduler_runs"_s;
    QTest::newRow("WITHOUT ROWID") << QByteArray(
        "CREATE TABLE scheduler_runs (name TEXT PRIMARY KEY, status TEXT) WITHOUT ROWID; "
        "INSERT INTO scheduler_runs VALUES ('x', 'ok');")
                                   << u"email_scheduler_runs"_s;
    QTest::newRow("a view") << QByteArray(
        "CREATE TABLE jobs (id INTEGER PRIMARY KEY, status TEXT); INSERT INTO jobs (status) VALUES "
        "('ok'); CREATE VIEW scheduler_runs AS SELECT id, status FROM jobs;")
                            << u"email_scheduler_runs"_s;
}

void TestRobustStorage::foreignRunsTable()
{
    QFETCH(QByteArray, create);
    QFETCH(QString, table);
    const QString path = freshPath(u"runs.sqlite3"_s);
    QString error;
    QVERIFY2(execSql(path,
                     QByteArray("CREATE TABLE contacts (id INTEGER PRIMARY KEY, ") + contactColumns()
                         + "); INSERT INTO contacts (id, email, birth_date, state) VALUES "
                           "(1, 'a@example.com', '1950-06-01', 'TX');"
                         + create,
                     &error),
             qPrintable(error));
    const QStringList foreignSchema
        = rows(path, "SELECT sql FROM sqlite_master WHERE name = 'scheduler_runs'");
    const QStringList foreignRows = rows(path, "SELECT * FROM scheduler_runs");

    for (int run = 1; run <= 2; ++run) {
        auto batch = BatchJob::run(options(path));
        QVERIFY(batch);
        auto written = ScheduleWriter::write(**batch);
        QVERIFY2(written, qPrintable(written.errorMessage()));
        auto runs = RunHistory::list(path);
        QVERIFY2(runs, qPrintable(runs.errorMessage()));
        QCOMPARE(runs->first().batchId, written->batchId);
        QCOMPARE(runs->first().status, u"completed"_s);
        QCOMPARE(runs->first().today, QDate(2025, 1, 15));
    }
    auto db = OrgDatabase::open(path, OrgDatabase::Mode::ReadOnly);
    QVERIFY(db);
    QCOMPARE(db->runsTable(), table);
    if (table == u"scheduler_runs") {
        // shared: our columns were added, the other program's row is still there
        const QStringList columns = rows(path, "SELECT name FROM pragma_table_info('scheduler_runs')");
        for (const QString &column : { u"batch_id"_s, u"finished_at"_s, u"error"_s, u"job"_s, u"run_id"_s })
            QVERIFY2(columns.contains(column), qPrintable(column));
        QCOMPARE(rows(path, "SELECT count(*) FROM scheduler_runs"), QStringList { u"3"_s });
        QCOMPARE(rows(path, "SELECT job FROM scheduler_runs WHERE batch_id IS NULL"),
                 QStringList { u"nightly"_s });
    } else {
        // left exactly as it was
        QCOMPARE(rows(path, "SELECT sql FROM sqlite_master WHERE name = 'scheduler_runs'"), foreignSchema);
        QCOMPARE(rows(path, "SELECT * FROM scheduler_runs"), foreignRows);
        QCOMPARE(rows(path, "SELECT count(*) FROM email_scheduler_runs"), QStringList { u"2"_s });
    }
}

void TestRobustStorage::walReadOnlyOpensCreateNoFiles_data()
{
    QTest::addColumn<bool>("readOnlyFolder");
    QTest::newRow("writable folder") << false;
    // As root the folder's permission bits stop nothing; the files must not be made anyway.
    QTest::newRow("read-only folder") << true;
}

void TestRobustStorage::walReadOnlyOpensCreateNoFiles()
{
    QFETCH(bool, readOnlyFolder);
    const QString path = freshPath(u"wal.sqlite3"_s);
    const QString folder = QFileInfo(path).path();
    QString error;
    QVERIFY2(
        execSql(path,
                QByteArray("PRAGMA journal_mode = WAL; CREATE TABLE contacts (id INTEGER PRIMARY KEY, ")
                    + contactColumns()
                    + "); INSERT INTO contacts (id, email, birth_date, state) VALUES "
                      "(1, 'a@example.com', '1950-06-01', 'TX'), (2, 'b@example.com', '1960-03-01', 'CA');",
                &error),
        qPrintable(error));
    {
        auto db = OrgDatabase::open(path, OrgDatabase::Mode::ReadWrite);
        QVERIFY(db);
        QVERIFY(db->ensureSchema());
    }
    QCOMPARE(listing(folder), QStringList { u"wal.sqlite3"_s }); // the last close removed -wal and -shm
    const QByteArray before = fileHash(path);
    if (readOnlyFolder)
        QVERIFY(setFolderReadOnly(folder, true));
    const auto restore = qScopeGuard([&] { setFolderReadOnly(folder, false); });

    {
        auto db = OrgDatabase::open(path, OrgDatabase::Mode::ReadOnly);
        QVERIFY2(db, qPrintable(db.errorMessage()));
        auto ids = ContactSource(*db).contactIds();
        QVERIFY(ids);
        QCOMPARE(ids->size(), std::size_t(2));
        QCOMPARE(listing(folder), QStringList { u"wal.sqlite3"_s }); // not even while open
    }
    auto batch = BatchJob::run(options(path));
    QVERIFY2(batch, qPrintable(batch.errorMessage()));
    QVERIFY(ScheduleDiff::compute(**batch));
    QVERIFY(RunHistory::list(path));
    ContactQuery query;
    QVERIFY(query.open(path));
    auto index = query.buildIndex(ContactIndexRequest { {}, 0, Qt::AscendingOrder, QDate(2025, 1, 15) });
    QVERIFY2(index, qPrintable(index.errorMessage()));
    QCOMPARE(index->size(), 2);
    QVERIFY(query.fetchRows(*index, QDate(2025, 1, 15)));
    QCOMPARE(listing(folder), QStringList { u"wal.sqlite3"_s });
    QCOMPARE(fileHash(path), before);

    // The long-lived query connection still sees what another program writes later.
    QVERIFY(setFolderReadOnly(folder, false));
    QVERIFY(execSql(path, "INSERT INTO contacts (id, email, state) VALUES (3, 'c@example.com', 'TX')"));
    auto after = query.buildIndex(ContactIndexRequest { {}, 0, Qt::AscendingOrder, QDate(2025, 1, 15) });
    QVERIFY(after);
    QCOMPARE(after->size(), 3);
}

void TestRobustStorage::readOnlyFolderFailsAtOpenForWriting_data()
{
    QTest::addColumn<bool>("wal");
    QTest::newRow("rollback journal") << false;
    QTest::newRow("WAL") << true;
}

void TestRobustStorage::readOnlyFolderFailsAtOpenForWriting()
{
    QFETCH(bool, wal);
    const QString path = freshPath(u"folder.sqlite3"_s);
    const QString folder = QFileInfo(path).path();
    QVERIFY(execSql(path,
                    QByteArray(wal ? "PRAGMA journal_mode = WAL;" : "")
                        + "CREATE TABLE contacts (id INTEGER PRIMARY KEY, email TEXT)"));
    QVERIFY(setFolderReadOnly(folder, true));
    const auto restore = qScopeGuard([&] { setFolderReadOnly(folder, false); });
    const QByteArray before = fileHash(path);

    auto db = OrgDatabase::open(path, OrgDatabase::Mode::ReadWrite);
    QVERIFY(!db);
    QCOMPARE(dbErrorKind(db.error()), DbErrorKind::ReadOnly);
    const QString message = db.errorMessage();
    QVERIFY2(message.contains(QDir::toNativeSeparators(path)), qPrintable(message));
    QVERIFY2(message.contains(u"folder"_s), qPrintable(message));
    QVERIFY2(message.contains(wal ? u"folder.sqlite3-wal"_s : u"folder.sqlite3-journal"_s),
             qPrintable(message));
    QCOMPARE(listing(folder), QStringList { u"folder.sqlite3"_s });
    QCOMPARE(fileHash(path), before);
    QVERIFY(OrgDatabase::open(path, OrgDatabase::Mode::ReadOnly)); // reading still works
}

QTEST_GUILESS_MAIN(TestRobustStorage)
#include "tst_robuststorage.moc"
