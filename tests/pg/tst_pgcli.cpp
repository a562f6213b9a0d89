// email-scheduler-cli on a PostgreSQL organisation: the same preview bytes as on the SQLite file
// it was copied from, idempotent runs, the run lock's message and --lock-timeout, copy-db in both
// directions with its counts, and the one-line connection errors (exit code 2).

#include "campaignfixture.h"
#include "pgcluster.h"
#include "sqlitetestutil.h"
#include "storage/pg/pgconnection.h"

#include <QElapsedTimer>
#include <QFileInfo>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

class TestPgCli : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void previewIsByteForByteTheSame_data();
    void previewIsByteForByteTheSame();
    void runIsIdempotent();
    void campaignsAndSuppressionsAsOnSqlite();
    void secondRunWaitsWithAClearMessage();
    void lockTimeoutGivesUp();
    void copyDbBothDirectionsWithCounts();
    void exportAndImportSayWhatToDo();
    void connectionErrorsAreOneLineExitTwo_data();
    void connectionErrorsAreOneLineExitTwo();

private:
    struct Outcome
    {
        int exitCode = -1;
        QByteArray out;
        QByteArray err;
    };
    Outcome cli(const QStringList &args) const;

    PgCluster m_cluster;
    QTemporaryDir m_dir;
    QString m_cliPath;
    QString m_demo; // generated SQLite organisation
    QString m_uri;  // the same, copied to PostgreSQL
};

TestPgCli::Outcome TestPgCli::cli(const QStringList &args) const
{
    QProcess process;
    process.start(m_cliPath, args);
    Outcome outcome;
    if (!process.waitForFinished(120000)) {
        process.kill();
        process.waitForFinished();
        return outcome;
    }
    outcome.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    outcome.out = process.readAllStandardOutput();
    outcome.err = process.readAllStandardError();
    return outcome;
}

void TestPgCli::initTestCase()
{
    m_cliPath = qEnvironmentVariable("ES_CLI");
    QVERIFY2(QFileInfo(m_cliPath).isExecutable(), "ES_CLI must name the built email-scheduler-cli");
    QVERIFY2(m_cluster.start(), qPrintable(m_cluster.error()));
    QVERIFY(m_dir.isValid());
    m_demo = m_dir.filePath(u"demo.sqlite3"_s);
    const Outcome generated
        = cli({ u"generate"_s, u"--db"_s, m_demo, u"--contacts"_s, u"3000"_s, u"--seed"_s, u"11"_s });
    QVERIFY2(generated.exitCode == 0, generated.err.constData());
    m_uri = m_cluster.createDatabase(u"demo"_s);
    QVERIFY2(!m_uri.isEmpty(), qPrintable(m_cluster.error()));
    const Outcome copied = cli({ u"copy-db"_s, u"--from"_s, m_demo, u"--to"_s, m_uri });
    QVERIFY2(copied.exitCode == 0, copied.err.constData());
    QVERIFY2(copied.out.contains("table=contacts rows=3000\n"), copied.out.constData());
}

void TestPgCli::cleanupTestCase()
{
    m_cluster.stop();
}

void TestPgCli::previewIsByteForByteTheSame_data()
{
    QTest::addColumn<QStringList>("options");
    QTest::newRow("batch") << QStringList { u"--today"_s, u"2025-03-01"_s };
    QTest::newRow("batch, another day") << QStringList { u"--today"_s, u"2025-11-20"_s, u"--jobs"_s, u"3"_s };
    QTest::newRow("contacts") << QStringList { u"--today"_s, u"2025-03-01"_s, u"--contact"_s,
                                               u"1,17,2999"_s };
}

void TestPgCli::previewIsByteForByteTheSame()
{
    QFETCH(QStringList, options);
    const Outcome sqlite = cli(QStringList { u"preview"_s, u"--db"_s, m_demo } + options);
    QVERIFY2(sqlite.exitCode == 0, sqlite.err.constData());
    const Outcome server = cli(QStringList { u"preview"_s, u"--db"_s, m_uri } + options);
    QVERIFY2(server.exitCode == 0, server.err.constData());
    QVERIFY(sqlite.out.count('\n') > 10);
    QCOMPARE(server.out.size(), sqlite.out.size());
    QVERIFY(server.out == sqlite.out);
    // Over TCP as well as over the socket.
    const Outcome tcp = cli(QStringList { u"preview"_s, u"--db"_s, m_cluster.tcpUri(u"demo"_s) } + options);
    QVERIFY2(tcp.exitCode == 0, tcp.err.constData());
    QVERIFY(tcp.out == sqlite.out);
}

void TestPgCli::runIsIdempotent()
{
    const QString uri = m_cluster.createDatabase(u"runs"_s);
    QVERIFY(cli({ u"copy-db"_s, u"--from"_s, m_demo, u"--to"_s, uri }).exitCode == 0);
    const QStringList run { u"run"_s, u"--db"_s, uri, u"--today"_s, u"2025-03-01"_s };
    const Outcome first = cli(run);
    QVERIFY2(first.exitCode == 0, first.err.constData());
    const QRegularExpression added(u"added=(\\d+) removed=0 unchanged=0 "_s);
    const auto match = added.match(QString::fromUtf8(first.out));
    QVERIFY2(match.hasMatch(), first.out.constData());
    const Outcome second = cli(run);
    QVERIFY2(second.exitCode == 0, second.err.constData());
    QVERIFY2(
        second.out.contains(QByteArray(" added=0 removed=0 unchanged=" + match.captured(1).toUtf8() + ' ')),
        second.out.constData());
    QCOMPARE(m_cluster.rows("SELECT count(*) FROM scheduler_runs WHERE status = 'completed'", u"runs"_s),
             QStringList { u"2"_s });
    // The same counts as a run of the SQLite file.
    const QString file = m_dir.filePath(u"runs.sqlite3"_s);
    QVERIFY(QFile::copy(m_demo, file));
    const Outcome local = cli({ u"run"_s, u"--db"_s, file, u"--today"_s, u"2025-03-01"_s });
    QVERIFY2(local.exitCode == 0, local.err.constData());
    auto counts = [](const QByteArray &line) {
        return QString::fromUtf8(line).remove(QRegularExpression(u" seconds=\\S+| batch_id=\\S+"_s));
    };
    QCOMPARE(counts(local.out), counts(first.out));
    // A dry run compares with the stored schedule alike on both.
    const QStringList dry { u"run"_s, u"--dry-run"_s, u"--today"_s, u"2025-05-20"_s, u"--db"_s };
    const Outcome localDry = cli(dry + QStringList { file });
    const Outcome serverDry = cli(dry + QStringList { uri });
    QVERIFY2(serverDry.exitCode == 0, serverDry.err.constData());
    QVERIFY2(serverDry.out.contains(" would_move="), serverDry.out.constData());
    QVERIFY2(!serverDry.out.contains(" would_move=0 "), serverDry.out.constData());
    QCOMPARE(counts(serverDry.out), counts(localDry.out));
}

// The campaign fixture (campaigns, a conflict, an unknown type, the do-not-email list, a bounce,
// a click follow-up): the same preview bytes and, after a run, the same rows as the SQLite file,
// campaign rows with their written name and instance.
void TestPgCli::campaignsAndSuppressionsAsOnSqlite()
{
    const QString file = m_dir.filePath(u"campaigns.sqlite3"_s);
    QVERIFY(SqliteTestUtil::execSql(file, CampaignFixture::sql()));
    // copy-db creates email_schedules with the server's NOT NULL timestamps.
    QVERIFY(SqliteTestUtil::execSql(file,
                                    "UPDATE email_schedules SET created_at = '2025-01-01 00:00:00', "
                                    "updated_at = '2025-01-01 00:00:00'"));
    const QString uri = m_cluster.createDatabase(u"campaigns"_s);
    const Outcome copied = cli({ u"copy-db"_s, u"--from"_s, file, u"--to"_s, uri });
    QVERIFY2(copied.exitCode == 0, copied.err.constData());
    const QString today = CampaignFixture::kToday.toString(Qt::ISODate);

    for (const QStringList &options : { QStringList {}, QStringList { u"--contact"_s, u"2,4,6"_s } }) {
        const Outcome local
            = cli(QStringList { u"preview"_s, u"--db"_s, file, u"--today"_s, today } + options);
        const Outcome server
            = cli(QStringList { u"preview"_s, u"--db"_s, uri, u"--today"_s, today } + options);
        QVERIFY2(local.exitCode == 0, local.err.constData());
        QVERIFY2(server.exitCode == 0, server.err.constData());
        QVERIFY2(local.out.contains("campaign_carrier_update"), local.out.constData());
        QCOMPARE(server.out, local.out);
        QCOMPARE(server.err, local.err); // the same run warnings
    }

    const QStringList run { u"run"_s, u"--today"_s, today, u"--db"_s };
    const Outcome local = cli(run + QStringList { file });
    const Outcome server = cli(run + QStringList { uri });
    QVERIFY2(local.exitCode == 0, local.err.constData());
    QVERIFY2(server.exitCode == 0, server.err.constData());
    auto counts = [](const QByteArray &line) {
        return QString::fromUtf8(line).remove(QRegularExpression(u" seconds=\\S+| batch_id=\\S+"_s));
    };
    QCOMPARE(counts(server.out), counts(local.out));
    const QByteArray rows
        = "SELECT contact_id, email_type, scheduled_send_date, status, coalesce(skip_reason, ''), "
          "coalesce(CAST(campaign_instance_id AS text), ''), event_year, catchup_note FROM email_schedules "
          "ORDER BY contact_id, email_type, scheduled_send_date";
    const QStringList serverRows = m_cluster.rows(rows, u"campaigns"_s);
    QCOMPARE(serverRows.join(u'\n'), SqliteTestUtil::rows(file, rows).join(u'\n'));
    // Campaign rows carry their instance; the suppressed contact 2 keeps only its sent row.
    QCOMPARE(
        m_cluster.rows(
            "SELECT email_type, status, campaign_instance_id FROM email_schedules WHERE contact_id = 1 "
            "AND email_type LIKE 'campaign%' ORDER BY 1",
            u"campaigns"_s),
        (QStringList { u"campaign_carrier_update|pre-scheduled|6"_s, u"campaign_newsletter|skipped|5"_s }));
    QCOMPARE(
        m_cluster.rows("SELECT email_type, status FROM email_schedules WHERE contact_id = 2", u"campaigns"_s),
        QStringList { u"birthday|sent"_s });
    QCOMPARE(m_cluster.rows(
                 "SELECT data_type FROM information_schema.columns WHERE table_name = 'email_schedules' "
                 "AND column_name = 'campaign_instance_id'",
                 u"campaigns"_s),
             QStringList { u"bigint"_s });
    // Idempotent: a second run changes nothing.
    const Outcome again = cli(run + QStringList { uri });
    QVERIFY2(again.exitCode == 0, again.err.constData());
    QVERIFY2(again.out.contains(" added=0 removed=0 "), again.out.constData());
}

void TestPgCli::secondRunWaitsWithAClearMessage()
{
    // Another user's run holds the organisation's lock.
    auto holder = PgConnection::connect(m_uri, u"email-scheduler run by alice"_s);
    QVERIFY2(holder, qPrintable(holder.errorMessage()));
    QVERIFY(holder->exec("BEGIN; SELECT pg_advisory_xact_lock(1397900115, hashtext(current_schema()))",
                         QString()));
    QProcess process;
    process.start(
        m_cliPath,
        { u"run"_s, u"--db"_s, m_uri, u"--today"_s, u"2025-03-01"_s, u"--lock-timeout"_s, u"60"_s });
    QByteArray err;
    QTRY_VERIFY_WITH_TIMEOUT((err += process.readAllStandardError()).contains("waiting up to 60 s"), 60000);
    QVERIFY2(QRegularExpression(u"is busy: another run, started by alice at \\d{4}-\\d\\d-\\d\\d "
                                "\\d\\d:\\d\\d:\\d\\d UTC, is in progress; waiting up to 60 s"_s)
                 .match(QString::fromUtf8(err))
                 .hasMatch(),
             err.constData());
    QCOMPARE(process.state(), QProcess::Running);
    QVERIFY(holder->exec("COMMIT", QString()));
    QVERIFY(process.waitForFinished(60000));
    QCOMPARE(process.exitCode(), 0);
    QVERIFY(process.readAllStandardOutput().contains(" added="));
}

void TestPgCli::lockTimeoutGivesUp()
{
    auto holder = PgConnection::connect(m_uri, u"email-scheduler run by alice"_s);
    QVERIFY2(holder, qPrintable(holder.errorMessage()));
    QVERIFY(holder->exec("BEGIN; SELECT pg_advisory_xact_lock(1397900115, hashtext(current_schema()))",
                         QString()));
    QElapsedTimer timer;
    timer.start();
    const Outcome outcome
        = cli({ u"run"_s, u"--db"_s, m_uri, u"--today"_s, u"2025-03-01"_s, u"--lock-timeout"_s, u"1"_s });
    QCOMPARE(outcome.exitCode, 2);
    QVERIFY(timer.elapsed() < 30000);
    const QList<QByteArray> lines = outcome.err.trimmed().split('\n');
    QCOMPARE(lines.size(), 2); // the waiting line, then the error
    QVERIFY2(lines[1].startsWith("email-scheduler-cli: error: Gave up after 1 s: on postgresql://postgres@"),
             lines[1].constData());
    QVERIFY2(lines[1].contains("another run, started by alice at "), lines[1].constData());
    QVERIFY2(lines[1].contains("--lock-timeout"), lines[1].constData());
    // Previews are readers: they never wait for the run.
    const Outcome preview = cli({ u"preview"_s, u"--db"_s, m_uri, u"--today"_s, u"2025-03-01"_s });
    QCOMPARE(preview.exitCode, 0);
    QVERIFY(holder->exec("ROLLBACK", QString()));
    const Outcome usage = cli({ u"run"_s, u"--db"_s, m_uri, u"--lock-timeout"_s, u"soon"_s });
    QCOMPARE(usage.exitCode, 1);
}

void TestPgCli::copyDbBothDirectionsWithCounts()
{
    const QString uri = m_cluster.createDatabase(u"roundtrip"_s);
    QVERIFY(cli({ u"copy-db"_s, u"--from"_s, m_demo, u"--to"_s, uri }).exitCode == 0);
    QVERIFY(cli({ u"run"_s, u"--db"_s, uri, u"--today"_s, u"2025-03-01"_s }).exitCode == 0);
    const QStringList serverCounts
        = m_cluster.rows("SELECT (SELECT count(*) FROM contacts) || ' ' || (SELECT count(*) FROM "
                         "email_schedules) || ' ' || (SELECT "
                         "count(*) FROM scheduler_runs)",
                         u"roundtrip"_s);
    const QString back = m_dir.filePath(u"back.sqlite3"_s);
    const Outcome copied = cli({ u"copy-db"_s, u"--from"_s, uri, u"--to"_s, back });
    QVERIFY2(copied.exitCode == 0, copied.err.constData());
    const QStringList parts = serverCounts.value(0).split(u' ');
    QCOMPARE(parts.size(), 3);
    QVERIFY2(copied.out.contains(QByteArray("table=contacts rows=" + parts[0].toUtf8() + '\n')),
             copied.out.constData());
    QVERIFY2(copied.out.contains(QByteArray("table=email_schedules rows=" + parts[1].toUtf8() + '\n')),
             copied.out.constData());
    QVERIFY2(copied.out.contains(QByteArray("table=scheduler_runs rows=" + parts[2].toUtf8() + '\n')),
             copied.out.constData());
    QVERIFY(!QFileInfo::exists(back + u".partial"_s));
    // The copy is a working organisation: the next run there changes nothing, as on the server.
    const Outcome rerun = cli({ u"run"_s, u"--db"_s, back, u"--today"_s, u"2025-03-01"_s });
    QVERIFY2(rerun.exitCode == 0, rerun.err.constData());
    QVERIFY2(rerun.out.contains(" added=0 removed=0 "), rerun.out.constData());
    const Outcome a = cli({ u"preview"_s, u"--db"_s, back, u"--today"_s, u"2025-04-01"_s });
    const Outcome b = cli({ u"preview"_s, u"--db"_s, uri, u"--today"_s, u"2025-04-01"_s });
    QVERIFY(a.exitCode == 0 && b.exitCode == 0);
    QVERIFY(a.out == b.out);
    // Neither direction overwrites anything; both ends being the same kind is a usage mistake.
    QCOMPARE(cli({ u"copy-db"_s, u"--from"_s, uri, u"--to"_s, back }).exitCode, 2);
    QCOMPARE(cli({ u"copy-db"_s, u"--from"_s, back, u"--to"_s, uri }).exitCode, 2);
    QCOMPARE(cli({ u"copy-db"_s, u"--from"_s, back, u"--to"_s, m_dir.filePath(u"x.db"_s) }).exitCode, 2);
    QCOMPARE(cli({ u"copy-db"_s, u"--from"_s, back }).exitCode, 1);
}

void TestPgCli::exportAndImportSayWhatToDo()
{
    // Schedule, contacts and problems export from a server (tst_pgcsv compares the files); the
    // management tables do not yet.
    const QString csv = m_dir.filePath(u"out.csv"_s);
    const Outcome exported
        = cli({ u"export"_s, u"--db"_s, m_uri, u"--what"_s, u"suppressions"_s, u"--output"_s, csv });
    QCOMPARE(exported.exitCode, 2);
    QCOMPARE(exported.err.count('\n'), 1);
    QVERIFY2(exported.err.contains("copy-db --from postgresql://postgres@"), exported.err.constData());
    QVERIFY(!QFileInfo::exists(csv));
    const Outcome contacts
        = cli({ u"export"_s, u"--db"_s, m_uri, u"--what"_s, u"contacts"_s, u"--output"_s, csv });
    QVERIFY2(contacts.exitCode == 0, contacts.err.constData());
    QVERIFY(QFileInfo(csv).size() > 100000);
    // Importing the export into the organisation it came from: every contact is stored already.
    const Outcome imported
        = cli({ u"import"_s, u"--db"_s, m_uri, u"--input"_s, csv, u"--today"_s, u"2025-03-01"_s });
    QVERIFY2(imported.exitCode == 0, imported.err.constData());
    QVERIFY2(imported.out.contains(", imported 0, updated 0, skipped existing "), imported.out.constData());
    const Outcome generated = cli({ u"generate"_s, u"--db"_s, m_uri, u"--contacts"_s, u"10"_s });
    QCOMPARE(generated.exitCode, 1);
    QVERIFY2(generated.err.contains("generate a file and copy it there with `copy-db --from FILE --to "
                                    "postgresql://postgres@"),
             generated.err.constData());
}

void TestPgCli::connectionErrorsAreOneLineExitTwo_data()
{
    QTest::addColumn<QString>("database");
    QTest::addColumn<QString>("message");
    QTest::newRow("no such database") << u"demo_missing"_s << u"database \"demo_missing\" does not exist"_s;
    QTest::newRow("no such user") << u"user"_s << u"Could not log in to postgresql://nobody@"_s;
    QTest::newRow("nothing listening")
        << u"port"_s << u"Could not connect to postgresql://postgres@127.0.0.1:1/"_s;
    QTest::newRow("no contacts table") << u"postgres"_s << u"has no `contacts` table"_s;
}

void TestPgCli::connectionErrorsAreOneLineExitTwo()
{
    QFETCH(QString, database);
    QFETCH(QString, message);
    QString uri = m_cluster.tcpUri(database);
    if (database == u"user")
        uri = m_cluster.tcpUri(u"demo"_s).replace(u"postgres@"_s, u"nobody@"_s);
    else if (database == u"port")
        uri = u"postgresql://postgres@127.0.0.1:1/demo"_s;
    for (const QString &command : { u"preview"_s, u"run"_s }) {
        const Outcome outcome = cli({ command, u"--db"_s, uri, u"--today"_s, u"2025-03-01"_s });
        QCOMPARE(outcome.exitCode, 2);
        QCOMPARE(outcome.err.count('\n'), 1);
        QVERIFY2(outcome.err.contains(message.toUtf8()), outcome.err.constData());
    }
}

QTEST_GUILESS_MAIN(TestPgCli)
#include "tst_pgcli.moc"
