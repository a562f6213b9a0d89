// The storage code paths both backends share (ContactReader, BatchJob, ScheduleWriter,
// RunHistory), run as one parameterised suite against SQLite and PostgreSQL: every case runs
// on an SQLite file and on the same organisation copied to a throwaway PostgreSQL cluster, and
// the PostgreSQL row also compares its results with the SQLite row's. Then the cases only a
// server has (PostgreSQL types, legacy server tables, readers during a run).

#include "batch/batchjob.h"
#include "pgcluster.h"
#include "sqlitetestutil.h"
#include "storage/contactreader.h"
#include "storage/orgdatabase.h"
#include "storage/pg/orgcopy.h"
#include "storage/pg/pgconnection.h"
#include "storage/runhistory.h"
#include "storage/schedulewriter.h"

#include <QHash>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

namespace {

constexpr char kContacts[]
    = "CREATE TABLE contacts (id INTEGER PRIMARY KEY, first_name TEXT, last_name TEXT, email TEXT, "
      "current_carrier TEXT, plan_type TEXT, effective_date TEXT, birth_date TEXT, gender TEXT, state TEXT, "
      "zip_code TEXT, phone_number TEXT, status TEXT, tobacco_user INTEGER, agent_note TEXT);"
      "INSERT INTO contacts VALUES (1, 'Ann', 'Lee', 'ann@example.com', 'Acme', 'G', '2020-03-15', "
      "'1950-06-01', 'F', 'TX', '75001', '555-0101', 'active', 0, NULL);"
      "INSERT INTO contacts VALUES (2, 'Bob', 'Ray', 'bob@example.com', 'Acme', 'N', '03/15/2019', "
      "'1948-13-40', 'M', 'CA', '90001', NULL, 'active', 1, 'x');"
      "INSERT INTO contacts VALUES (3, 'Zoë' || char(9) || 'Tab', 'O\\Brien' || char(10) || 'NL', "
      "'zoe@example.com', NULL, NULL, '2018-11-02', '1955-02-28', NULL, 'NY', '10001', '', '', 0, '');"
      "INSERT INTO contacts VALUES (5, 'Eve', '', NULL, NULL, NULL, 'garbage', '', NULL, '', NULL, NULL, "
      "NULL, "
      "NULL, NULL);"
      "INSERT INTO contacts VALUES (7, 'Max', 'Ng', 'max@example.com', 'Acme', 'F', '2021-09-01', "
      "'1957-03-10', 'M', 'FL', '33101', NULL, 'active', 0, NULL);";

// org-206's email_schedules with history: sent and delivered rows, and an own row of an old run.
constexpr char kSchedules[]
    = "CREATE TABLE email_schedules (id INTEGER PRIMARY KEY AUTOINCREMENT, contact_id INTEGER NOT NULL, "
      "email_type TEXT NOT NULL, scheduled_send_date TEXT NOT NULL, scheduled_send_time TEXT NOT NULL "
      "DEFAULT "
      "'08:30:00', status TEXT NOT NULL DEFAULT 'scheduled', skip_reason TEXT, created_at TEXT NOT NULL "
      "DEFAULT "
      "(datetime ('now')), updated_at TEXT NOT NULL DEFAULT (datetime ('now')), batch_id TEXT, event_year "
      "INTEGER, event_month INTEGER, event_day INTEGER, catchup_note TEXT, actual_send_datetime TEXT);"
      "CREATE UNIQUE INDEX idx_email_schedules_unique ON email_schedules (contact_id, email_type, "
      "scheduled_send_date);"
      "INSERT INTO email_schedules (contact_id, email_type, scheduled_send_date, status, event_year, "
      "actual_send_datetime) VALUES (1, 'birthday', '2024-05-17', 'sent', 2024, '2024-05-17 08:31:00');"
      "INSERT INTO email_schedules (contact_id, email_type, scheduled_send_date, status) VALUES (1, "
      "'BIRTHDAY', '2023-05-17', 'delivered');"
      "INSERT INTO email_schedules (contact_id, email_type, scheduled_send_date, status, skip_reason) VALUES "
      "(7, 'aep', '2025-09-15', 'pre-scheduled', NULL);"
      "INSERT INTO email_schedules (contact_id, email_type, scheduled_send_date, status) VALUES (3, "
      "'effective_date', '2025-10-05', 'sent');";

// A legacy contacts table: no primary key, ids shared, text and NULL.
constexpr char kMessyIds[]
    = "CREATE TABLE contacts (id INTEGER, email TEXT, effective_date TEXT, birth_date TEXT, state TEXT, "
      "zip_code TEXT);"
      "INSERT INTO contacts VALUES (1, 'a@example.com', '2020-01-01', '1950-01-01', 'TX', '75001');"
      "INSERT INTO contacts VALUES (2, 'b@example.com', '2020-01-01', '1950-01-01', 'TX', '75001');"
      "INSERT INTO contacts VALUES (2, 'c@example.com', '2020-01-01', '1950-01-01', 'TX', '75001');"
      "INSERT INTO contacts VALUES ('abc', 'd@example.com', '2020-01-01', '1950-01-01', 'TX', '75001');"
      "INSERT INTO contacts VALUES (NULL, 'e@example.com', '2020-01-01', '1950-01-01', 'TX', '75001');"
      "INSERT INTO contacts VALUES (4, 'f@example.com', '2020-01-01', '1950-01-01', 'TX', '75001');";

QString field(const QString &value)
{
    return value.isNull() ? u"<null>"_s : u'[' + value + u']';
}

QString describe(const Contact &c, std::span<const HistoryEntry> history)
{
    QStringList parts { QString::number(c.id) };
    for (const ContactField &f : ContactFields)
        parts << field(c.*f.member);
    QStringList entries;
    for (const HistoryEntry &h : history)
        entries << (h.emailType + u'/' + h.scheduledDate.toString(Qt::ISODate) + u'/' + h.status + u'/'
                    + QString::number(h.eventYear));
    entries.sort();
    return parts.join(u'|') + u" history: " + entries.join(u", ");
}

QString summaryText(const WriteSummary &s)
{
    return u"added=%1 removed=%2 unchanged=%3 collisions=%4"_s.arg(s.added)
        .arg(s.removed)
        .arg(s.unchanged)
        .arg(s.collisions);
}

} // namespace

class TestPgStorage : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();

    void readsContactsAndHistory_data() { backends(); }
    void readsContactsAndHistory();
    void unusableIdsAreReported_data() { backends(); }
    void unusableIdsAreReported();
    void runIsDiffBasedAndIdempotent_data() { backends(); }
    void runIsDiffBasedAndIdempotent();
    void cancelledRunChangesNothingAndIsRecorded_data() { backends(); }
    void cancelledRunChangesNothingAndIsRecorded();

    void serverTablesUsePostgresTypes();
    void legacyServerTablesOpenAsTheyAre();
    void readersDoNotWaitForARun();
    void copyRefusesATargetWithContacts();

private:
    static void backends()
    {
        QTest::addColumn<QString>("backend");
        QTest::newRow("sqlite") << u"sqlite"_s;
        QTest::newRow("postgresql") << u"postgresql"_s;
    }
    // The organisation of `sql` on the current row's backend: an SQLite file, or that file
    // copied with copy-db into a new PostgreSQL database.
    QString organisation(const QByteArray &sql);
    // Rows of `sql` on `database` (either backend) as "a|b|c" lines.
    QStringList rows(const QString &database, const QByteArray &sql);
    // The result of the SQLite row for the PostgreSQL row to compare with.
    void sameAsSqlite(const QString &key, const QStringList &value);

    PgCluster m_cluster;
    QTemporaryDir m_dir;
    int m_next = 0;
    QHash<QString, QString> m_pgDatabase; // URI -> database name
    QHash<QString, QStringList> m_sqliteResults;
};

void TestPgStorage::initTestCase()
{
    QVERIFY2(m_cluster.start(), qPrintable(m_cluster.error()));
    QVERIFY(m_dir.isValid());
}

void TestPgStorage::cleanupTestCase()
{
    m_cluster.stop();
}

QString TestPgStorage::organisation(const QByteArray &sql)
{
    QFETCH(QString, backend);
    const QString name = u"org%1"_s.arg(++m_next);
    const QString file = m_dir.filePath(name + u".sqlite3"_s);
    QString error;
    if (!SqliteTestUtil::execSql(file, sql, &error)) {
        qWarning() << error;
        return QString();
    }
    if (backend == u"sqlite")
        return file;
    const QString uri = m_cluster.createDatabase(name);
    if (uri.isEmpty()) {
        qWarning() << m_cluster.error();
        return QString();
    }
    auto copied = OrgCopy::copy(file, uri);
    if (!copied) {
        qWarning() << copied.errorMessage();
        return QString();
    }
    m_pgDatabase.insert(uri, name);
    return uri;
}

QStringList TestPgStorage::rows(const QString &database, const QByteArray &sql)
{
    if (m_pgDatabase.contains(database))
        return m_cluster.rows(sql, m_pgDatabase.value(database));
    return SqliteTestUtil::rows(database, sql);
}

void TestPgStorage::sameAsSqlite(const QString &key, const QStringList &value)
{
    QFETCH(QString, backend);
    if (backend == u"sqlite") {
        m_sqliteResults.insert(key, value);
        return;
    }
    QVERIFY2(m_sqliteResults.contains(key), "the sqlite row runs first");
    QCOMPARE(value, m_sqliteResults.value(key));
}

void TestPgStorage::readsContactsAndHistory()
{
    const QString db = organisation(QByteArray(kContacts) + kSchedules);
    QVERIFY(!db.isEmpty());
    auto reader = ContactReader::open(db);
    QVERIFY2(reader, qPrintable(reader.errorMessage()));
    auto scan = (*reader)->scanIds();
    QVERIFY2(scan, qPrintable(scan.errorMessage()));
    QCOMPARE(scan->ids, (std::vector<qint64> { 1, 2, 3, 5, 7 }));
    QVERIFY(scan->invalid.empty());
    QVERIFY(scan->duplicates.empty());

    QStringList all;
    auto r = (*reader)->readRange(
        1, 7, ContactSource::Fields::All,
        [&all](const Contact &c, std::span<const HistoryEntry> h) { all << describe(c, h); });
    QVERIFY2(r, qPrintable(r.errorMessage()));
    QCOMPARE(all.size(), 5);
    // Tabs, newlines, backslashes and non-ASCII text survive; NULL stays distinct from ''.
    QVERIFY2(all[2].startsWith(u"3|[Zoë\tTab]|[O\\Brien\nNL]|[zoe@example.com]|<null>|<null>|[2018-11-02]"_s),
             qPrintable(all[2]));
    QVERIFY2(all[3].startsWith(u"5|[Eve]|[]|<null>"_s), qPrintable(all[3]));
    QVERIFY2(all[1].contains(u"[1948-13-40]"_s), qPrintable(all[1])); // garbage is read as it is
    // History: every status but the program's own, whatever the case of the type.
    QVERIFY2(all[0].endsWith(u"history: BIRTHDAY/2023-05-17/delivered/0, birthday/2024-05-17/sent/2024"_s),
             qPrintable(all[0]));
    QVERIFY2(all[4].endsWith(u"history: "_s), qPrintable(all[4])); // its pre-scheduled row is no history

    QStringList some;
    const qint64 ids[] = { 2, 5, 99 };
    r = (*reader)->readIds(
        ids, ContactSource::Fields::Scheduling,
        [&some](const Contact &c, std::span<const HistoryEntry> h) { some << describe(c, h); });
    QVERIFY2(r, qPrintable(r.errorMessage()));
    QCOMPARE(some.size(), 2);
    sameAsSqlite(u"read"_s, all + some);
}

void TestPgStorage::unusableIdsAreReported()
{
    const QString db = organisation(kMessyIds);
    QVERIFY(!db.isEmpty());
    auto reader = ContactReader::open(db);
    QVERIFY2(reader, qPrintable(reader.errorMessage()));
    auto scan = (*reader)->scanIds();
    QVERIFY2(scan, qPrintable(scan.errorMessage()));
    QCOMPARE(scan->ids, (std::vector<qint64> { 1, 4 }));
    QStringList invalid;
    for (const ContactIdProblem &row : scan->invalid)
        invalid << row.id;
    invalid.sort();
    QCOMPARE(invalid, (QStringList { u"NULL"_s, u"abc"_s }));
    QCOMPARE(scan->duplicates.size(), std::size_t(2));
    QCOMPARE(scan->duplicates[0].sharedId, 2);
    QCOMPARE(scan->duplicates[1].sharedId, 2);

    // An explicit id that two rows share is not visited; its rows are reported.
    int visited = 0;
    std::vector<ContactIdProblem> shared;
    const qint64 ids[] = { 1, 2 };
    auto r = (*reader)->readIds(
        ids, ContactSource::Fields::Scheduling,
        [&visited](const Contact &, std::span<const HistoryEntry>) { ++visited; },
        [&shared](const std::vector<ContactIdProblem> &rows) { shared = rows; });
    QVERIFY2(r, qPrintable(r.errorMessage()));
    QCOMPARE(visited, 1);
    QCOMPARE(shared.size(), std::size_t(2));

    // The batch reports them as errors and schedules the rest.
    BatchOptions options;
    options.databasePath = db;
    options.today = QDate(2025, 3, 1);
    auto batch = BatchJob::run(options);
    QVERIFY2(batch, qPrintable(batch.errorMessage()));
    QCOMPARE((*batch)->invalidRows.size(), std::size_t(2));
    QCOMPARE((*batch)->contactsWithErrors, 3); // two invalid rows and the shared id
}

void TestPgStorage::runIsDiffBasedAndIdempotent()
{
    const QString db = organisation(QByteArray(kContacts) + kSchedules);
    QVERIFY(!db.isEmpty());
    QStringList results;
    const QByteArray ownRows
        = "SELECT contact_id, email_type, scheduled_send_date, status, coalesce(skip_reason, "
          "''), event_year, coalesce(catchup_note, '') FROM email_schedules WHERE status IN "
          "('pre-scheduled', 'skipped') ORDER BY 1, 2, 3";
    const QByteArray history
        = "SELECT contact_id, email_type, scheduled_send_date, status FROM email_schedules "
          "WHERE status NOT IN ('pre-scheduled', 'skipped') ORDER BY 1, 2, 3";
    const QStringList historyBefore = rows(db, history);
    QCOMPARE(historyBefore.size(), 3);

    WriteOptions write;
    write.user = u"alice"_s;
    for (const QDate today : { QDate(2025, 3, 1), QDate(2025, 3, 1), QDate(2025, 6, 1) }) {
        BatchOptions options;
        options.databasePath = db;
        options.today = today;
        auto batch = BatchJob::run(options);
        QVERIFY2(batch, qPrintable(batch.errorMessage()));
        auto summary = ScheduleWriter::write(**batch, write);
        QVERIFY2(summary, qPrintable(summary.errorMessage()));
        results << summaryText(*summary);
        const QStringList own = rows(db, ownRows);
        QCOMPARE(qint64(own.size()), (*batch)->scheduled + (*batch)->skipped - summary->collisions);
        results << own;
    }
    // The second run with the same inputs changes nothing.
    QVERIFY2(results[0].startsWith(u"added="_s) && !results[0].startsWith(u"added=0"_s),
             qPrintable(results[0]));
    const qsizetype firstRows = results.indexOf(results.filter(u"added="_s).value(1));
    const QString second = results[firstRows];
    QVERIFY2(second.startsWith(u"added=0 removed=0 unchanged="_s), qPrintable(second));
    // Rows of other statuses are never touched.
    QCOMPARE(rows(db, history), historyBefore);

    auto runs = RunHistory::list(db);
    QVERIFY2(runs, qPrintable(runs.errorMessage()));
    QCOMPARE(runs->size(), 3);
    QCOMPARE(runs->first().today, QDate(2025, 6, 1)); // newest first
    QCOMPARE(runs->first().user, u"alice"_s);
    QCOMPARE(runs->first().status, u"completed"_s);
    QVERIFY(runs->first().startedAt.isValid());
    QCOMPARE(runs->at(1).unchanged, runs->at(2).added);
    sameAsSqlite(u"run"_s, results);
}

void TestPgStorage::cancelledRunChangesNothingAndIsRecorded()
{
    const QString db = organisation(QByteArray(kContacts) + kSchedules);
    QVERIFY(!db.isEmpty());
    const QByteArray all
        = "SELECT contact_id, email_type, scheduled_send_date, status FROM email_schedules ORDER "
          "BY 1, 2, 3";
    const QStringList before = rows(db, all);
    BatchOptions options;
    options.databasePath = db;
    options.today = QDate(2025, 3, 1);
    auto batch = BatchJob::run(options);
    QVERIFY2(batch, qPrintable(batch.errorMessage()));
    WriteOptions write;
    write.isCanceled = [] { return true; };
    auto summary = ScheduleWriter::write(**batch, write);
    QVERIFY(!summary);
    QCOMPARE(dbErrorKind(summary.error()), DbErrorKind::Cancelled);
    QCOMPARE(rows(db, all), before);
    auto runs = RunHistory::list(db);
    QVERIFY2(runs, qPrintable(runs.errorMessage()));
    QCOMPARE(runs->size(), 1);
    QCOMPARE(runs->first().status, u"cancelled"_s);
}

void TestPgStorage::serverTablesUsePostgresTypes()
{
    const QString uri = m_cluster.createDatabase(u"typed"_s);
    QVERIFY2(!uri.isEmpty(), qPrintable(m_cluster.error()));
    QVERIFY(
        m_cluster.exec("CREATE TABLE contacts (id bigint PRIMARY KEY, email text, effective_date date, "
                       "birth_date date, state text, zip_code text);"
                       "INSERT INTO contacts VALUES (1, 'a@example.com', '2020-03-15', '1950-06-01', 'TX', "
                       "'75001')",
                       u"typed"_s));
    BatchOptions options;
    options.databasePath = uri;
    options.today = QDate(2025, 3, 1);
    auto batch = BatchJob::run(options);
    QVERIFY2(batch, qPrintable(batch.errorMessage()));
    QVERIFY((*batch)->scheduled > 0); // date columns are read as YYYY-MM-DD text
    auto summary = ScheduleWriter::write(**batch);
    QVERIFY2(summary, qPrintable(summary.errorMessage()));
    QCOMPARE(
        m_cluster.rows("SELECT column_name, data_type FROM information_schema.columns WHERE table_name = "
                       "'email_schedules' AND column_name IN ('id', 'contact_id', 'scheduled_send_date', "
                       "'scheduled_send_time', 'created_at') ORDER BY 1",
                       u"typed"_s),
        (QStringList { u"contact_id|bigint"_s, u"created_at|timestamp without time zone"_s, u"id|bigint"_s,
                       u"scheduled_send_date|date"_s, u"scheduled_send_time|time without time zone"_s }));
    QCOMPARE(
        m_cluster.rows("SELECT indexdef FROM pg_indexes WHERE tablename = 'email_schedules' AND indexname = "
                       "'idx_email_schedules_unique'",
                       u"typed"_s),
        QStringList { u"CREATE UNIQUE INDEX idx_email_schedules_unique ON public.email_schedules USING btree "
                      "(contact_id, email_type, scheduled_send_date)"_s });
    QCOMPARE(m_cluster.rows("SELECT count(*) FROM scheduler_runs", u"typed"_s), QStringList { u"1"_s });
}

void TestPgStorage::legacyServerTablesOpenAsTheyAre()
{
    // A server database of an older system: TEXT dates, an extra column, text ids, legacy rows.
    const QString uri = m_cluster.createDatabase(u"legacy"_s);
    QVERIFY2(!uri.isEmpty(), qPrintable(m_cluster.error()));
    QVERIFY(m_cluster.exec(
        "CREATE TABLE contacts (id text, email text, effective_date text, birth_date text, state text, "
        "zip_code "
        "text, crm_ref text NOT NULL);"
        "INSERT INTO contacts VALUES ('1', 'a@example.com', '03/15/2020', '1950-06-01', 'TX', '75001', "
        "'c1'), "
        "('x9', 'b@example.com', '2020-01-01', '1950-01-01', 'TX', '75001', 'c2');"
        "CREATE TABLE email_schedules (id serial PRIMARY KEY, contact_id integer, email_type text, "
        "scheduled_send_date text, status text, legacy_flag text DEFAULT 'keep');"
        "INSERT INTO email_schedules (contact_id, email_type, scheduled_send_date, status) VALUES (1, "
        "'BIRTHDAY', '2024-06-01', 'sent'), (1, 'birthday', 'June 1st', 'sent'), (1, 'aep', '2024-09-15', "
        "'pre-scheduled')",
        u"legacy"_s));
    BatchOptions options;
    options.databasePath = uri;
    options.today = QDate(2025, 3, 1);
    auto batch = BatchJob::run(options);
    QVERIFY2(batch, qPrintable(batch.errorMessage()));
    QCOMPARE((*batch)->invalidRows.size(), std::size_t(1)); // 'x9'
    QVERIFY((*batch)->scheduled > 0);
    auto first = ScheduleWriter::write(**batch);
    QVERIFY2(first, qPrintable(first.errorMessage()));
    QCOMPARE(first->removed, 1); // the old pre-scheduled row
    auto second = ScheduleWriter::write(**batch);
    QVERIFY2(second, qPrintable(second.errorMessage()));
    QCOMPARE(second->added, 0);
    QCOMPARE(second->removed, 0);
    QCOMPARE(second->unchanged, first->added);
    // Foreign columns and legacy rows stay; the missing columns were added.
    QCOMPARE(
        m_cluster.rows("SELECT count(*) FROM email_schedules WHERE status = 'sent' AND legacy_flag = 'keep'",
                       u"legacy"_s),
        QStringList { u"2"_s });
    QCOMPARE(m_cluster.rows(
                 "SELECT data_type FROM information_schema.columns WHERE table_name = 'email_schedules' "
                 "AND column_name = 'scheduled_send_date'",
                 u"legacy"_s),
             QStringList { u"text"_s });
    QCOMPARE(m_cluster.rows("SELECT count(*) FROM email_schedules WHERE batch_id IS NOT NULL", u"legacy"_s),
             QStringList { QString::number(first->added) });
}

void TestPgStorage::readersDoNotWaitForARun()
{
    const QString uri = m_cluster.createDatabase(u"busy"_s);
    QVERIFY2(!uri.isEmpty(), qPrintable(m_cluster.error()));
    const QString file = m_dir.filePath(u"busy.sqlite3"_s);
    QVERIFY(SqliteTestUtil::execSql(file, QByteArray(kContacts) + kSchedules));
    QVERIFY(OrgCopy::copy(file, uri));
    // A run in progress: the lock, and every row deleted but not committed.
    auto holder = PgConnection::connect(uri, u"email-scheduler run by bob"_s);
    QVERIFY2(holder, qPrintable(holder.errorMessage()));
    QVERIFY(
        holder->exec("BEGIN; SELECT pg_advisory_xact_lock(1397900115, hashtext(current_schema())); DELETE "
                     "FROM email_schedules; DELETE FROM contacts",
                     QString()));
    BatchOptions options;
    options.databasePath = uri;
    options.today = QDate(2025, 3, 1);
    auto batch = BatchJob::run(options); // would hang on a lock; sees the committed rows
    QVERIFY2(batch, qPrintable(batch.errorMessage()));
    QCOMPARE((*batch)->contacts, 5);
    auto runs = RunHistory::list(uri);
    QVERIFY2(runs, qPrintable(runs.errorMessage()));
    // A second writer gives up after its timeout, naming who holds the lock.
    QString waiting;
    WriteOptions write;
    write.busyTimeoutMs = 1000;
    write.onWaiting = [&waiting](const QString &message) { waiting = message; };
    auto summary = ScheduleWriter::write(**batch, write);
    QVERIFY(!summary);
    QCOMPARE(dbErrorKind(summary.error()), DbErrorKind::Locked);
    QVERIFY2(waiting.contains(u"another run, started by bob at "_s), qPrintable(waiting));
    QVERIFY2(summary.errorMessage().contains(u"Gave up after 1 s"_s), qPrintable(summary.errorMessage()));
    QVERIFY(holder->exec("ROLLBACK", QString()));
    summary = ScheduleWriter::write(**batch, write);
    QVERIFY2(summary, qPrintable(summary.errorMessage()));
}

void TestPgStorage::copyRefusesATargetWithContacts()
{
    const QString uri = m_cluster.createDatabase(u"taken"_s);
    QVERIFY(m_cluster.exec("CREATE TABLE contacts (id bigint)", u"taken"_s));
    const QString file = m_dir.filePath(u"taken.sqlite3"_s);
    QVERIFY(SqliteTestUtil::execSql(file, kContacts));
    auto copied = OrgCopy::copy(file, uri);
    QVERIFY(!copied);
    QVERIFY2(copied.errorMessage().contains(u"already has a `contacts` table"_s),
             qPrintable(copied.errorMessage()));
    // And a file that exists is never overwritten.
    auto back = OrgCopy::copy(uri, file);
    QVERIFY(!back);
    QVERIFY2(back.errorMessage().contains(u"already exists"_s), qPrintable(back.errorMessage()));
}

QTEST_GUILESS_MAIN(TestPgStorage)
#include "tst_pgstorage.moc"
