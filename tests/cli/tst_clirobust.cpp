#include "referencecsv.h"
#include "sqlitetestutil.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QRegularExpression>
#include <QScopeGuard>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace Qt::StringLiterals;
using namespace SqliteTestUtil;

// email-scheduler-cli against hostile inputs (issue 7): dates at the end of the years, contacts
// without a usable id, older and foreign tables, WAL files, read-only folders and early signals.
class TestCliRobust : public QObject
{
    Q_OBJECT

private:
    struct Outcome
    {
        int exitCode = -1;
        QByteArray out;
        QByteArray err;
    };

    Outcome cli(const QStringList &args,
                const QProcessEnvironment &env = QProcessEnvironment::systemEnvironment()) const
    {
        QProcess process;
        process.setProcessEnvironment(env);
        process.start(m_cli, args);
        Outcome outcome;
        if (!process.waitForFinished(180000)) {
            process.kill();
            process.waitForFinished();
            return outcome;
        }
        outcome.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
        outcome.out = process.readAllStandardOutput();
        outcome.err = process.readAllStandardError();
        return outcome;
    }

    // A new folder holding nothing else, and the database path in it.
    QString freshDb(const QString &name)
    {
        const QString folder = m_dir.filePath(u"case-%1"_s.arg(++m_counter));
        QDir().mkpath(folder);
        return folder + u'/' + name;
    }

    QString generate(int contacts)
    {
        const QString db = freshDb(u"generated.sqlite3"_s);
        const Outcome outcome
            = cli({ u"generate"_s, u"--db"_s, db, u"--contacts"_s, QString::number(contacts), u"--seed"_s,
                    u"3"_s, u"--today"_s, m_today });
        if (outcome.exitCode != 0) {
            qWarning() << "generate failed:" << outcome.err;
            return {};
        }
        return db;
    }

    // Whether the process has a handler for SIGTERM (its SigCgt mask in /proc).
    static bool catchesSigterm(qint64 pid)
    {
        QFile status(u"/proc/%1/status"_s.arg(pid));
        if (!status.open(QIODevice::ReadOnly))
            return false;
        for (const QByteArray &line : status.readAll().split('\n')) {
            if (line.startsWith("SigCgt:"))
                return (line.mid(7).trimmed().toULongLong(nullptr, 16) >> (SIGTERM - 1)) & 1;
        }
        return false;
    }

    static void expectOneLineError(const Outcome &outcome, int exitCode)
    {
        QCOMPARE(outcome.exitCode, exitCode);
        QVERIFY2(outcome.err.startsWith("email-scheduler-cli: error: "), outcome.err.constData());
        QCOMPARE(outcome.err.count('\n'), 1);
    }

    QTemporaryDir m_dir;
    QString m_cli;
    int m_counter = 0;
    const QString m_today = u"2025-01-15"_s;

private slots:
    void initTestCase();
    void todayOutsideTheYears_data();
    void todayOutsideTheYears();
    void datesAtTheEndOfTheYears();
    void unusableIds();
    void olderSchedulesTable();
    void foreignRunsTable();
    void walReadOnlyCommandsCreateNoFiles_data();
    void walReadOnlyCommandsCreateNoFiles();
    void runFailsFastWhenItCannotWrite_data();
    void runFailsFastWhenItCannotWrite();
    void sigtermWhileReadingTheConfiguration();
    void sigtermRightAfterStart();
};

void TestCliRobust::initTestCase()
{
    m_cli = qEnvironmentVariable("ES_CLI");
    QVERIFY2(QFileInfo(m_cli).isExecutable(), "ES_CLI must name the built email-scheduler-cli");
    QVERIFY(m_dir.isValid());
}

void TestCliRobust::todayOutsideTheYears_data()
{
    QTest::addColumn<QString>("command");
    QTest::addColumn<QString>("today");
    for (const QString &command : { u"preview"_s, u"run"_s }) {
        for (const QString &today : { u"0000-12-31"_s, u"10000-01-01"_s, u"-001-01-01"_s, u"+9999-12-31"_s })
            QTest::newRow(qPrintable(command + u' ' + today)) << command << today;
    }
}

void TestCliRobust::todayOutsideTheYears()
{
    QFETCH(QString, command);
    QFETCH(QString, today);
    const QString db = freshDb(u"today.sqlite3"_s);
    QVERIFY(
        execSql(db, QByteArray("CREATE TABLE contacts (id INTEGER PRIMARY KEY, ") + contactColumns() + ")"));
    const QByteArray before = fileHash(db);
    const Outcome outcome = cli({ command, u"--db"_s, db, u"--today"_s, today });
    expectOneLineError(outcome, 1);
    QVERIFY2(outcome.err.contains("--today"), outcome.err.constData());
    QVERIFY(outcome.out.isEmpty());
    QCOMPARE(fileHash(db), before);
}

void TestCliRobust::datesAtTheEndOfTheYears()
{
    const QString db = freshDb(u"years.sqlite3"_s);
    QVERIFY(execSql(db,
                    QByteArray("CREATE TABLE contacts (id INTEGER PRIMARY KEY, ") + contactColumns()
                        + "); INSERT INTO contacts (id, email, birth_date, effective_date, state) VALUES "
                          "(1, 'a@example.com', '1950-06-01', '9999-12-31', 'TX'), "
                          "(2, 'b@example.com', '1950-12-31', '9998-12-31', 'TX'), "
                          "(3, 'c@example.com', '1950-12-20', '', 'CA')"));
    const QRegularExpression isoDate(u"^\\d{4}-\\d{2}-\\d{2}$"_s);
    for (const QString &today : { m_today, u"9999-06-01"_s, u"9999-12-31"_s }) {
        const Outcome run = cli({ u"run"_s, u"--db"_s, db, u"--today"_s, today });
        QVERIFY2(run.exitCode == 0, run.err.constData());
        const QStringList dates = rows(db, "SELECT scheduled_send_date FROM email_schedules");
        QVERIFY(!dates.isEmpty());
        for (const QString &date : dates) {
            QVERIFY2(isoDate.match(date).hasMatch(), qPrintable(date));
            QVERIFY2(date >= today && date <= u"9999-12-31"_s,
                     qPrintable(today + u": "_s + date)); // never 0000-…
        }

        const Outcome preview = cli({ u"preview"_s, u"--db"_s, db, u"--today"_s, today });
        QVERIFY2(preview.exitCode == 0, preview.err.constData());
        const QList<QStringList> csv = ReferenceCsv::parse(QString::fromUtf8(preview.out));
        QStringList codes;
        for (const QStringList &row : csv.mid(1)) {
            QCOMPARE(row.size(), 6);
            if (!row[1].isEmpty())
                QVERIFY2(isoDate.match(row[2]).hasMatch(), qPrintable(row.join(u','))); // an email has a date
            else
                codes << row[0] + u':' + row[4];
        }
        QVERIFY2(codes.contains(u"1:invalid_effective_date"_s), qPrintable(codes.join(u' ')));
        if (today == u"9999-12-31")
            QVERIFY2(codes.contains(u"1:invalid_birth_date"_s) && codes.contains(u"3:date_out_of_range"_s),
                     qPrintable(codes.join(u' ')));
    }
    // As of 2025 the 9998-12-31 policy's anniversary 9999-12-31 is the last writable one.
    cli({ u"run"_s, u"--db"_s, db, u"--today"_s, m_today });
    QCOMPARE(rows(db,
                  "SELECT scheduled_send_date FROM email_schedules WHERE contact_id = 2 AND email_type = "
                  "'effective_date'"),
             QStringList { u"9999-12-01"_s });
}

void TestCliRobust::unusableIds()
{
    const QString db = freshDb(u"ids.sqlite3"_s);
    QByteArray sql = QByteArray("CREATE TABLE contacts (id, ") + contactColumns() + ");";
    // rowid 1..9; 4097 sits past the first chunk of 4096 ids
    for (const QByteArray id : { "1", "'abc'", "4", "NULL", "4", "2", "'7'", "4097", "4097" })
        sql += "INSERT INTO contacts (id, email, birth_date, state) VALUES (" + id
            + ", 'someone@example.com', '1950-06-01', 'TX');";
    for (int id = 10; id < 4200; ++id)
        if (id != 4097)
            sql += "INSERT INTO contacts (id, email, birth_date, state) VALUES (" + QByteArray::number(id)
                + ", 'someone@example.com', '1950-06-01', 'TX');";
    QVERIFY(execSql(db, sql));

    const Outcome first = cli({ u"run"_s, u"--db"_s, db, u"--today"_s, m_today });
    QVERIFY2(first.exitCode == 0, first.err.constData());
    const Outcome second = cli({ u"run"_s, u"--db"_s, db, u"--today"_s, m_today });
    QVERIFY2(second.exitCode == 0, second.err.constData());
    QVERIFY2(second.out.contains(" added=0 removed=0 "), second.out.constData());
    // every usable contact scheduled, the last chunk included
    QCOMPARE(rows(db, "SELECT count(DISTINCT contact_id), max(contact_id) FROM email_schedules"),
             QStringList { u"4191|4199"_s });
    QCOMPARE(rows(db, "SELECT count(*) FROM email_schedules WHERE contact_id IN (4, 4097)"),
             QStringList { u"0"_s });

    const Outcome preview = cli({ u"preview"_s, u"--db"_s, db, u"--today"_s, m_today });
    QVERIFY2(preview.exitCode == 0, preview.err.constData());
    QStringList problems;
    for (const QStringList &row : ReferenceCsv::parse(QString::fromUtf8(preview.out)).mid(1)) {
        if (row[4] == u"invalid_id" || row[4] == u"duplicate_id")
            problems << row[0] + u'|' + row[3] + u'|' + row[4] + u'|' + row[5].section(u' ', 4, 5);
    }
    QCOMPARE(problems,
             (QStringList {
                 u"|error|invalid_id|rowid 2"_s,
                 u"|error|invalid_id|rowid 4"_s,
                 u"|error|invalid_id|rowid 7"_s,
                 u"4|error|duplicate_id|rowid 3"_s,
                 u"4|error|duplicate_id|rowid 5"_s,
                 u"4097|error|duplicate_id|rowid 8"_s,
                 u"4097|error|duplicate_id|rowid 9"_s,
             }));

    const QString csv = QFileInfo(db).path() + u"/problems.csv"_s;
    const Outcome exported = cli({ u"export"_s, u"--db"_s, db, u"--what"_s, u"problems"_s, u"--output"_s, csv,
                                   u"--today"_s, m_today });
    QVERIFY2(exported.exitCode == 0, exported.err.constData());
    QFile file(csv);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray text = file.readAll();
    QCOMPARE(text.count("invalid_id"), 3);
    QCOMPARE(text.count("duplicate_id"), 4);
    QVERIFY(text.contains("\"abc\""));
}

void TestCliRobust::olderSchedulesTable()
{
    const QString db = freshDb(u"older.sqlite3"_s);
    QVERIFY(
        execSql(db,
                QByteArray("CREATE TABLE contacts (id INTEGER PRIMARY KEY, ") + contactColumns()
                    + "); INSERT INTO contacts (id, email, birth_date, state) VALUES "
                      "(1, 'a@example.com', '1950-06-01', 'TX');"
                      "CREATE TABLE email_schedules (id INTEGER PRIMARY KEY, contact_id INTEGER, email_type "
                      "TEXT, scheduled_send_date TEXT, status TEXT);"
                      "INSERT INTO email_schedules (contact_id, email_type, scheduled_send_date, status) "
                      "VALUES (1, 'birthday', '2025-05-18', 'sent');"));
    const QByteArray before = fileHash(db);
    for (const QStringList &args :
         { QStringList { u"preview"_s }, QStringList { u"run"_s, u"--dry-run"_s } }) {
        const Outcome outcome = cli(args + QStringList { u"--db"_s, db, u"--today"_s, m_today });
        QVERIFY2(outcome.exitCode == 0, outcome.err.constData());
    }
    QCOMPARE(fileHash(db), before); // read-only commands do not upgrade the table

    const Outcome run = cli({ u"run"_s, u"--db"_s, db, u"--today"_s, m_today });
    QVERIFY2(run.exitCode == 0, run.err.constData());
    QVERIFY(rows(db, "SELECT name FROM pragma_table_info('email_schedules')").contains(u"event_year"_s));
    // The sent row counts as history: no second birthday email (its skipped row would have the
    // sent row's key, so it is not written either).
    QCOMPARE(rows(db, "SELECT status FROM email_schedules WHERE email_type = 'birthday'"),
             QStringList { u"sent"_s });
    QCOMPARE(rows(db, "SELECT count(*) FROM email_schedules WHERE status = 'pre-scheduled'"),
             QStringList { u"1"_s });
}

void TestCliRobust::foreignRunsTable()
{
    const QString db = freshDb(u"runs.sqlite3"_s);
    QVERIFY(
        execSql(db,
                QByteArray("CREATE TABLE contacts (id INTEGER PRIMARY KEY, ") + contactColumns()
                    + "); INSERT INTO contacts (id, email, birth_date, state) VALUES "
                      "(1, 'a@example.com', '1950-06-01', 'TX');"
                      "CREATE TABLE scheduler_runs (id INTEGER PRIMARY KEY, job TEXT NOT NULL, host TEXT NOT "
                      "NULL, status TEXT); INSERT INTO scheduler_runs VALUES (1, 'nightly', 'srv', 'ok');"));
    for (int i = 0; i < 2; ++i) {
        const Outcome run = cli({ u"run"_s, u"--db"_s, db, u"--today"_s, m_today });
        QVERIFY2(run.exitCode == 0, run.err.constData());
    }
    QCOMPARE(rows(db, "SELECT * FROM scheduler_runs"), QStringList { u"1|nightly|srv|ok"_s });
    QCOMPARE(rows(db, "SELECT count(*), min(status) FROM email_scheduler_runs"),
             QStringList { u"2|completed"_s });
}

void TestCliRobust::walReadOnlyCommandsCreateNoFiles_data()
{
    QTest::addColumn<bool>("readOnlyFolder");
    QTest::newRow("writable folder") << false;
    QTest::newRow("read-only folder") << true;
}

void TestCliRobust::walReadOnlyCommandsCreateNoFiles()
{
    QFETCH(bool, readOnlyFolder);
    const QString db = generate(2000);
    QVERIFY(!db.isEmpty());
    QVERIFY(cli({ u"run"_s, u"--db"_s, db, u"--today"_s, m_today }).exitCode == 0);
    QCOMPARE(rows(db, "PRAGMA journal_mode = WAL"), QStringList { u"wal"_s });
    const QString folder = QFileInfo(db).path();
    QCOMPARE(listing(folder), QStringList { QFileInfo(db).fileName() });
    const QByteArray before = fileHash(db);
    const QString outputs = m_dir.filePath(u"outputs-%1"_s.arg(m_counter));
    QVERIFY(QDir().mkpath(outputs));
    setFolderReadOnly(folder, readOnlyFolder);
    const auto restore = qScopeGuard([&] { setFolderReadOnly(folder, false); });

    const QList<QStringList> commands = {
        { u"preview"_s, u"--today"_s, m_today },
        { u"preview"_s, u"--today"_s, m_today, u"--contact"_s, u"5"_s },
        { u"run"_s, u"--dry-run"_s, u"--today"_s, m_today },
        { u"export"_s, u"--what"_s, u"schedule"_s, u"--output"_s, outputs + u"/schedule.csv"_s },
        { u"export"_s, u"--what"_s, u"contacts"_s, u"--output"_s, outputs + u"/contacts.csv"_s },
        { u"export"_s, u"--what"_s, u"problems"_s, u"--today"_s, m_today, u"--output"_s,
          outputs + u"/problems.csv"_s },
    };
    for (const QStringList &args : commands) {
        const Outcome outcome = cli(QStringList { args.first(), u"--db"_s, db } + args.mid(1));
        QVERIFY2(outcome.exitCode == 0,
                 qPrintable(args.join(u' ') + u": "_s + QString::fromUtf8(outcome.err)));
        QVERIFY2(listing(folder) == QStringList { QFileInfo(db).fileName() },
                 qPrintable(args.join(u' ') + u" left "_s + listing(folder).join(u", ")));
    }
    QCOMPARE(fileHash(db), before);
}

void TestCliRobust::runFailsFastWhenItCannotWrite_data()
{
    QTest::addColumn<QString>("kind");
    QTest::addColumn<QString>("mentions");
    QTest::newRow("read-only folder") << u"folder"_s << u"generated.sqlite3-journal"_s;
    QTest::newRow("read-only folder, WAL database") << u"wal"_s << u"generated.sqlite3-wal"_s;
    QTest::newRow("read-only file") << u"file"_s << u"read-only"_s;
}

void TestCliRobust::runFailsFastWhenItCannotWrite()
{
    QFETCH(QString, kind);
    QFETCH(QString, mentions);
    const QString db = generate(5000);
    QVERIFY(!db.isEmpty());
    if (kind == u"wal")
        QCOMPARE(rows(db, "PRAGMA journal_mode = WAL"), QStringList { u"wal"_s });
    const QString folder = QFileInfo(db).path();
    const QByteArray before = fileHash(db);
    const QStringList files = listing(folder);
    if (kind == u"file")
        QVERIFY(QFile::setPermissions(db, QFile::ReadOwner | QFile::ReadGroup));
    else
        setFolderReadOnly(folder, true);
    const auto restore = qScopeGuard([&] {
        setFolderReadOnly(folder, false);
        QFile::setPermissions(db, QFile::ReadOwner | QFile::WriteOwner);
    });

    // ES_PHASE_TIMES prints a line per phase of the computation: none may appear.
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(u"ES_PHASE_TIMES"_s, u"1"_s);
    const Outcome run = cli({ u"run"_s, u"--db"_s, db, u"--today"_s, m_today }, env);
    expectOneLineError(run, 2);
    QVERIFY2(run.err.contains(QFile::encodeName(QDir::toNativeSeparators(db))), run.err.constData());
    QVERIFY2(run.err.contains(mentions.toUtf8()), run.err.constData());
    QVERIFY(!run.err.contains("phase "));
    QVERIFY(run.out.isEmpty());
    QCOMPARE(fileHash(db), before);
    QCOMPARE(listing(folder), files);
}

void TestCliRobust::sigtermWhileReadingTheConfiguration()
{
    // The configuration is a FIFO: the program waits for it, so the signal surely comes before
    // the database is looked at. It used to end the process (exit 143).
    const QString db = generate(3000);
    QVERIFY(!db.isEmpty());
    const QByteArray before = fileHash(db);
    const QString fifo = m_dir.filePath(u"config-fifo.json"_s);
    QVERIFY(::mkfifo(QFile::encodeName(fifo).constData(), 0600) == 0);
    QProcess process;
    process.start(m_cli, { u"run"_s, u"--db"_s, db, u"--today"_s, m_today, u"--config"_s, fifo });
    QVERIFY(process.waitForStarted());
    // Once the program has opened the FIFO it waits to read the configuration.
    int fd = -1;
    const auto openWriter = [&] { // QTRY_VERIFY evaluates its condition once more at the end
        if (fd < 0)
            fd = ::open(QFile::encodeName(fifo).constData(), O_WRONLY | O_NONBLOCK);
        return fd >= 0 || process.state() == QProcess::NotRunning;
    };
    QTRY_VERIFY_WITH_TIMEOUT(openWriter(), 10000);
    QVERIFY(fd >= 0);
    QVERIFY(catchesSigterm(process.processId())); // the handler came first
    QVERIFY(::kill(pid_t(process.processId()), SIGTERM) == 0);
    // Delivered while the program waits to read: the one-shot handler is gone then.
    QTRY_VERIFY_WITH_TIMEOUT(!catchesSigterm(process.processId()), 10000);
    QCOMPARE(::write(fd, "{}", 2), ssize_t(2));
    ::close(fd);
    QVERIFY(process.waitForFinished(60000));
    QCOMPARE(process.exitStatus(), QProcess::NormalExit);
    QCOMPARE(process.exitCode(), 3);
    const QByteArray err = process.readAllStandardError();
    QVERIFY2(err.startsWith("email-scheduler-cli: error: ") && err.count('\n') == 1, err.constData());
    QCOMPARE(fileHash(db), before);
}

void TestCliRobust::sigtermRightAfterStart()
{
    const QString db = generate(100000);
    QVERIFY(!db.isEmpty());
    const QByteArray before = fileHash(db);
    const QStringList files = listing(QFileInfo(db).path());
    QProcess process;
    process.start(m_cli, { u"run"_s, u"--db"_s, db, u"--today"_s, m_today });
    QVERIFY(process.waitForStarted());
    // As soon as the handler is there (first thing in main), before anything else happened.
    QTRY_VERIFY_WITH_TIMEOUT(catchesSigterm(process.processId()), 10000);
    QVERIFY(::kill(pid_t(process.processId()), SIGTERM) == 0);
    QVERIFY(process.waitForFinished(60000));
    QCOMPARE(process.exitStatus(), QProcess::NormalExit);
    QCOMPARE(process.exitCode(), 3);
    QCOMPARE(fileHash(db), before);
    QCOMPARE(listing(QFileInfo(db).path()), files);
}

QTEST_GUILESS_MAIN(TestCliRobust)
#include "tst_clirobust.moc"
