// email-scheduler-cli on a PostgreSQL organisation: the same preview bytes as on the SQLite file
// it was copied from, idempotent runs, the run lock's message and --lock-timeout, copy-db in both
// directions with its counts, and the one-line connection errors (exit code 2).

#include "campaignfixture.h"
#include "items/runhistorymodel.h"
#include "pgcluster.h"
#include "sqlitetestutil.h"
#include "storage/pg/pgconnection.h"
#include "storage/runhistory.h"

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
    void runHistoryAsOnSqlite();
    void managementCommandsAsOnSqlite_data();
    void managementCommandsAsOnSqlite();
    void managementBadInputWritesNothing();
    void copyDbFillsMissingScheduleTimestamps();
    void copyDbKeepsSimpleColumnDefaults();
    void secondRunWaitsWithAClearMessage();
    void lockTimeoutGivesUp();
    void copyDbBothDirectionsWithCounts();
    void exportAndImportWorkOnAServer();
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
    // A new organisation made by `sql`, as an SQLite file and as its copy-db copy on the server.
    struct Pair
    {
        QString file;
        QString uri;
        QString name; // the server database
    };
    Pair makePair(const QString &name, const QByteArray &sql);

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

// The run history dock shows the same rows for a run of the file and of its copy on the server,
// warnings and campaign/follow-up counts included; only the times and who ran it differ.
void TestPgCli::runHistoryAsOnSqlite()
{
    const Pair pair = makePair(u"history"_s, CampaignFixture::sql());
    QVERIFY(!pair.uri.isEmpty());
    const QString today = CampaignFixture::kToday.toString(Qt::ISODate);
    for (const QString &db : { pair.file, pair.uri, pair.file, pair.uri }) {
        const Outcome run = cli({ u"run"_s, u"--today"_s, today, u"--db"_s, db });
        QVERIFY2(run.exitCode == 0, run.err.constData());
    }
    const auto local = RunHistory::list(pair.file);
    QVERIFY2(local, qPrintable(local.errorMessage()));
    const auto server = RunHistory::list(pair.uri);
    QVERIFY2(server, qPrintable(server.errorMessage()));
    QCOMPARE(local->size(), 2);
    QCOMPARE(server->size(), 2);
    // The fixture's unknown campaign type is a warning; its campaigns and follow-ups are counted.
    QVERIFY2(local->first().warnings.contains(u"campaign_invalid: "_s), qPrintable(local->first().warnings));
    QVERIFY(!local->first().emailCounts.isEmpty());
    RunHistoryModel localModel;
    localModel.setRuns(*local);
    RunHistoryModel serverModel;
    serverModel.setRuns(*server);
    for (int row = 0; row < 2; ++row) {
        QCOMPARE(server->at(row).warnings, local->at(row).warnings);
        QCOMPARE(server->at(row).emailCounts, local->at(row).emailCounts);
        for (int column = 0; column < RunHistoryModel::ColumnCount; ++column) {
            if (column == RunHistoryModel::Started || column == RunHistoryModel::User)
                continue;
            const QString what
                = u"row %1, %2"_s.arg(row).arg(localModel.headerData(column, Qt::Horizontal).toString());
            QVERIFY2(serverModel.index(row, column).data() == localModel.index(row, column).data(),
                     qPrintable(what + u": "_s + serverModel.index(row, column).data().toString() + u" vs "_s
                                + localModel.index(row, column).data().toString()));
        }
        for (const int column : { int(RunHistoryModel::Warnings), int(RunHistoryModel::EmailCounts) })
            QCOMPARE(serverModel.index(row, column).data(Qt::ToolTipRole).toString(),
                     localModel.index(row, column).data(Qt::ToolTipRole).toString());
    }
    QVERIFY(!localModel.index(0, RunHistoryModel::EmailCounts).data().toString().isEmpty());
}

TestPgCli::Pair TestPgCli::makePair(const QString &name, const QByteArray &sql)
{
    Pair pair;
    pair.file = m_dir.filePath(name + u".sqlite3"_s);
    pair.name = name;
    if (!SqliteTestUtil::execSql(pair.file, sql))
        return {};
    pair.uri = m_cluster.createDatabase(name);
    const Outcome copied = cli({ u"copy-db"_s, u"--from"_s, pair.file, u"--to"_s, pair.uri });
    if (copied.exitCode != 0) {
        qWarning("%s", copied.err.constData());
        return {};
    }
    return pair;
}

void TestPgCli::managementCommandsAsOnSqlite_data()
{
    QTest::addColumn<QByteArray>("sql");
    // The campaign and do-not-email tables as production has them (copied by copy-db, integer
    // flags, plain ids), and an organisation where they are made on first use (boolean flags,
    // date dates, identity ids on the server).
    QTest::newRow("production tables") << CampaignFixture::sql();
    QTest::newRow("tables made on first use") << QByteArray(
        "CREATE TABLE contacts (id INTEGER PRIMARY KEY, email TEXT, state TEXT, birth_date TEXT, "
        "effective_date TEXT, zip_code TEXT);"
        "INSERT INTO contacts VALUES (1, 'c1@example.com', 'CA', '1960-03-04', NULL, NULL), "
        "(2, 'c2@example.com', 'NY', NULL, NULL, NULL), (3, 'c3@example.com', 'TX', NULL, "
        "'2020-02-01', NULL), (4, 'c4@example.com', 'CA', NULL, NULL, NULL), (6, "
        "'c6@example.com', 'NY', NULL, NULL, NULL);");
}

// The same command sequence on the SQLite file and on its copy on the server gives the same
// output, byte for byte; the exports differ only in the time and the name of who made a change.
void TestPgCli::managementCommandsAsOnSqlite()
{
    QFETCH(QByteArray, sql);
    static int round = 0;
    const Pair pair = makePair(u"manage%1"_s.arg(++round), sql);
    QVERIFY(!pair.uri.isEmpty());
    const QString enrolCsv = m_dir.filePath(u"enrol.csv"_s);
    const QString suppressCsv = m_dir.filePath(u"unsubscribed.csv"_s);
    {
        QFile f(enrolCsv);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("contact_id,email,trigger_date\n1,,2025-07-01\n,C3@example.com,8/15/2025\n99,,2025-07-01\n"
                "4,,not a date\n1,,2025-07-02\n");
    }
    {
        QFile f(suppressCsv);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("Email Address,Reason\nc4@example.com,hard bounce\nnot-an-address,Unsubscribed\n"
                "C4@Example.com ,spam complaint\nc6@example.com,No longer interested\n");
    }
    const QString today = u"2025-06-01"_s;
    // {id}: the instance the `campaign add` before printed.
    const QList<QStringList> commands {
        { u"campaign"_s, u"add-type"_s, u"--name"_s, u"rate_bump"_s, u"--priority"_s, u"15"_s,
          u"--days-before"_s, u"14"_s, u"--followups"_s, u"--skip-failed-underwriting"_s },
        { u"campaign"_s, u"add"_s, u"--type"_s, u"rate_bump"_s, u"--name"_s, u"Spring increase"_s,
          u"--start"_s, u"2025-03-01"_s, u"--end"_s, u"2025-12-31"_s, u"--states"_s, u"ca, tx"_s },
        { u"campaign"_s, u"enroll"_s, u"--instance"_s, u"{id}"_s, u"--input"_s, enrolCsv },
        { u"campaign"_s, u"enroll"_s, u"--instance"_s, u"{id}"_s, u"--input"_s, enrolCsv },
        { u"campaign"_s, u"end"_s, u"--instance"_s, u"{id}"_s, u"--on"_s, u"2025-11-30"_s },
        { u"campaign"_s, u"list"_s, u"--today"_s, today },
        { u"suppress"_s, u"--email"_s, u" C1@Example.com"_s, u"--reason"_s, u"agent_request"_s, u"--note"_s,
          u"asked by phone"_s },
        { u"suppress"_s, u"--email"_s, u"c1@example.com"_s, u"--reason"_s, u"bounced"_s },
        { u"suppress"_s, u"--input"_s, suppressCsv, u"--reason"_s, u"other"_s },
        { u"unsuppress"_s, u"--email"_s, u"C6@example.com"_s },
        { u"campaign"_s, u"list"_s, u"--today"_s, today },
        { u"preview"_s, u"--today"_s, today },
    };
    QString id[2];
    QByteArray outputs[2];
    const QString databases[2] = { pair.file, pair.uri };
    for (int b = 0; b < 2; ++b) {
        for (QStringList args : commands) {
            args.replaceInStrings(u"{id}"_s, id[b]);
            args.insert(args[0] == u"campaign"_s ? 2 : 1, databases[b]);
            args.insert(args[0] == u"campaign"_s ? 2 : 1, u"--db"_s);
            const Outcome outcome = cli(args);
            QVERIFY2(outcome.exitCode == 0 || outcome.exitCode == 1,
                     qPrintable(args.join(u' ') + u": "_s + QString::fromUtf8(outcome.err)));
            if (args[1] == u"add"_s)
                id[b] = QString::fromUtf8(outcome.out).trimmed();
            // The time an entry was made ("already listed since ...") differs.
            const QString said = QString::fromUtf8(outcome.out + outcome.err)
                                     .replace(QRegularExpression(u"since \\d{4}-\\d\\d-\\d\\d \\S+\\)"_s),
                                              u"since <when>)"_s);
            outputs[b] += args.mid(0, 2).join(u' ').toUtf8() + " exit=" + QByteArray::number(outcome.exitCode)
                + '\n' + said.toUtf8();
        }
        for (const QString &what : { u"campaigns"_s, u"suppressions"_s, u"audit"_s }) {
            const QString csv = m_dir.filePath(u"%1-%2-%3.csv"_s.arg(pair.name, what).arg(b));
            const Outcome exported = cli({ u"export"_s, u"--db"_s, databases[b], u"--what"_s, what,
                                           u"--output"_s, csv, u"--today"_s, today, u"--lf"_s });
            QVERIFY2(exported.exitCode == 0, exported.err.constData());
            QFile f(csv);
            QVERIFY(f.open(QIODevice::ReadOnly));
            QByteArray text = f.readAll();
            // When and who: created_at, created_by of the list; at, user, server_user of the audit.
            QStringList lines = QString::fromUtf8(text).split(u'\n');
            for (QString &line : lines) {
                if (what == u"suppressions"_s)
                    line.replace(QRegularExpression(u",[^,]*,[^,]*$"_s), u",<when>,<who>"_s);
                else if (what == u"audit"_s)
                    line.replace(QRegularExpression(u"^(\\d+),[^,]*,[^,]*,[^,]*,"_s), u"\\1,<at>,<who>,"_s)
                        .replace(QRegularExpression(u"created_(at|by)\"\":\"\"[^\"]*\"\""_s),
                                 u"created_\\1\"\":\"\"<x>\"\""_s);
            }
            outputs[b] += what.toUtf8() + ":\n" + lines.join(u'\n').toUtf8();
        }
    }
    QVERIFY2(!id[0].isEmpty() && id[0] == id[1], qPrintable(id[0] + u" / "_s + id[1]));
    QVERIFY2(outputs[0].contains("rate_bump"), outputs[0].constData());
    QVERIFY2(outputs[0].contains("line 4: no contact has id 99"), outputs[0].constData());
    QVERIFY2(outputs[0].contains("c4@example.com,bounced"), outputs[0].constData());
    // Both enrolled contacts are in the audience until one is put on the do-not-email list.
    QVERIFY2(outputs[0].contains(",\"CA, TX\",,yes,2,2,"), outputs[0].constData());
    QVERIFY2(outputs[0].contains(",\"CA, TX\",,yes,1,2,"), outputs[0].constData());
    // Line by line, so that a difference shows where it is.
    QCOMPARE(QString::fromUtf8(outputs[1]).split(u'\n'), QString::fromUtf8(outputs[0]).split(u'\n'));

    // Who made the changes on the server: its user; the rows in the server's own types.
    QCOMPARE(m_cluster.rows("SELECT DISTINCT coalesce(server_user, 'NULL') FROM audit_log", pair.name),
             QStringList { u"postgres"_s });
    QCOMPARE(m_cluster.rows("SELECT DISTINCT created_by FROM email_suppressions WHERE created_by IS NOT NULL",
                            pair.name),
             QStringList { u"postgres"_s });
    QCOMPARE(m_cluster.rows(QByteArray("SELECT trigger_date::text FROM contact_campaigns WHERE "
                                       "campaign_instance_id = ")
                                + id[1].toUtf8() + " ORDER BY contact_id",
                            pair.name),
             (QStringList { u"2025-07-01"_s, u"2025-08-15"_s }));
}

// Bad input on a server: a one-line error naming the argument, exit code 1, nothing written.
void TestPgCli::managementBadInputWritesNothing()
{
    const Pair pair = makePair(u"badinput"_s, CampaignFixture::sql());
    QVERIFY(!pair.uri.isEmpty());
    const QByteArray counts
        = "SELECT (SELECT count(*) FROM campaign_types) || ' ' || (SELECT count(*) FROM "
          "campaign_instances) || ' ' || (SELECT count(*) FROM email_suppressions) || ' ' || "
          "(SELECT count(*) FROM contact_campaigns)";
    const QStringList before = m_cluster.rows(counts, pair.name);
    const QList<std::pair<QStringList, QByteArray>> cases {
        { { u"campaign"_s, u"add-type"_s, u"--name"_s, u"birthday"_s }, "--name: " },
        { { u"campaign"_s, u"add-type"_s, u"--name"_s, u"newsletter"_s }, "--name: " },
        { { u"campaign"_s, u"add"_s, u"--type"_s, u"nosuch"_s, u"--name"_s, u"x"_s }, "--type: " },
        { { u"campaign"_s, u"add"_s, u"--type"_s, u"newsletter"_s, u"--name"_s, u"x"_s, u"--start"_s,
            u"2025-13-01"_s },
          "--start" },
        { { u"campaign"_s, u"add"_s, u"--type"_s, u"newsletter"_s, u"--name"_s, u"x"_s, u"--states"_s,
            u"California"_s },
          "--states: " },
        { { u"campaign"_s, u"end"_s, u"--instance"_s, u"999"_s }, "--instance: " },
        { { u"suppress"_s, u"--email"_s, u"not-an-address"_s, u"--reason"_s, u"bounced"_s }, "--email: " },
        { { u"suppress"_s, u"--email"_s, u"a@b.com"_s, u"--reason"_s, u"bored"_s }, "--reason" },
        { { u"unsuppress"_s, u"--email"_s, u"never@example.com"_s }, "--email: " },
    };
    for (const auto &[command, named] : cases) {
        for (const QString &database : { pair.file, pair.uri }) {
            QStringList args = command;
            args.insert(args[0] == u"campaign"_s ? 2 : 1, database);
            args.insert(args[0] == u"campaign"_s ? 2 : 1, u"--db"_s);
            const Outcome outcome = cli(args);
            QCOMPARE(outcome.exitCode, 1);
            QVERIFY2(outcome.err.count('\n') == 1 && outcome.err.contains(named),
                     qPrintable(command.join(u' ') + u": "_s + QString::fromUtf8(outcome.err)));
            QVERIFY(outcome.out.isEmpty());
        }
    }
    QCOMPARE(m_cluster.rows(counts, pair.name), before);
    QCOMPARE(m_cluster.rows("SELECT count(*) FROM information_schema.tables WHERE table_name = 'audit_log'",
                            pair.name),
             QStringList { u"0"_s });
    QCOMPARE(SqliteTestUtil::rows(pair.file, "SELECT count(*) FROM sqlite_master WHERE name = 'audit_log'"),
             QStringList { u"0"_s });
}

// copy-db: schedule rows without created_at/updated_at (legacy SQLite) take the other timestamp,
// else the time of the copy; the server's columns are NOT NULL.
void TestPgCli::copyDbFillsMissingScheduleTimestamps()
{
    const Pair pair = makePair(
        u"nullstamps"_s,
        CampaignFixture::sql()
            + "INSERT INTO email_schedules(contact_id, email_type, scheduled_send_date, status, created_at) "
              "VALUES (3, 'birthday', '2024-03-01', 'sent', '2024-02-01 10:00:00');"
              "INSERT INTO email_schedules(contact_id, email_type, scheduled_send_date, status, updated_at) "
              "VALUES (3, 'aep', '2024-09-01', 'sent', '2024-08-01 10:00:00');");
    QVERIFY(!pair.uri.isEmpty());
    QCOMPARE(SqliteTestUtil::rows(pair.file,
                                  "SELECT count(*) FROM email_schedules WHERE created_at IS NULL "
                                  "AND updated_at IS NULL"),
             QStringList { u"4"_s });
    QCOMPARE(
        m_cluster.rows("SELECT count(*) FROM email_schedules WHERE created_at IS NULL OR updated_at IS NULL",
                       pair.name),
        QStringList { u"0"_s });
    QCOMPARE(
        m_cluster.rows("SELECT email_type, created_at, updated_at FROM email_schedules WHERE contact_id = 3 "
                       "ORDER BY email_type",
                       pair.name),
        (QStringList { u"aep|2024-08-01 10:00:00|2024-08-01 10:00:00"_s,
                       u"birthday|2024-02-01 10:00:00|2024-02-01 10:00:00"_s }));
    QCOMPARE(
        m_cluster.rows("SELECT count(*) FROM email_schedules WHERE created_at > now() - interval '1 hour' "
                       "AND created_at = updated_at",
                       pair.name),
        QStringList { u"4"_s });
    // New rows of a copied table get ids after the copied ones.
    const Outcome added
        = cli({ u"campaign"_s, u"add-type"_s, u"--db"_s, pair.uri, u"--name"_s, u"after_copy"_s });
    QVERIFY2(added.exitCode == 0, added.err.constData());
    QCOMPARE(m_cluster.rows("SELECT id FROM campaign_types WHERE name = 'after_copy'", pair.name),
             QStringList { u"3"_s });
}

// copy-db gives the server's columns SQLite's simple defaults (numbers, quoted strings, the
// current time), so a row inserted later without them is filled as in the file; other defaults
// are left out.
void TestPgCli::copyDbKeepsSimpleColumnDefaults()
{
    const Pair pair
        = makePair(u"defaults"_s,
                   "CREATE TABLE contacts(id INTEGER PRIMARY KEY, email TEXT NOT NULL, "
                   "tobacco_user INTEGER NOT NULL DEFAULT 0, status TEXT NOT NULL DEFAULT 'active', "
                   "note TEXT DEFAULT 'it''s \"new\"', rate REAL DEFAULT (1.5), neg INTEGER DEFAULT -3, "
                   "zip TEXT DEFAULT 07001, flag BOOLEAN DEFAULT FALSE, quoted_number INTEGER DEFAULT '12', "
                   "word_in_number INTEGER DEFAULT 'abc', lowered TEXT DEFAULT (lower('X')), "
                   "created_at DATETIME DEFAULT CURRENT_TIMESTAMP, stamp TEXT DEFAULT (datetime ('now')), "
                   "day TEXT DEFAULT CURRENT_DATE, unset TEXT DEFAULT NULL);"
                   "INSERT INTO contacts(id, email, created_at, word_in_number) VALUES (1, 'a@example.com', "
                   "'2020-01-01 00:00:00', 5);");
    QVERIFY(!pair.uri.isEmpty());
    // Copied rows keep what they hold: a default fills only rows inserted later.
    const QByteArray copied = "SELECT created_at, stamp, coalesce(unset, 'NULL') FROM contacts WHERE id = 1";
    QCOMPARE(m_cluster.rows(copied, pair.name), SqliteTestUtil::rows(pair.file, copied));
    QVERIFY(m_cluster.rows(copied, pair.name).first().startsWith(u"2020-01-01 00:00:00|"_s));
    QVERIFY(
        SqliteTestUtil::execSql(pair.file, "INSERT INTO contacts(id, email) VALUES (2, 'b@example.com')"));
    QVERIFY(m_cluster.exec("INSERT INTO contacts(id, email) VALUES (2, 'b@example.com')", pair.name));
    const QByteArray plain = "SELECT tobacco_user, status, note, rate, neg, zip, flag, quoted_number, "
                             "coalesce(CAST(word_in_number AS text), 'NULL'), coalesce(lowered, 'NULL'), "
                             "coalesce(unset, 'NULL') FROM contacts WHERE id = 2";
    const QStringList server = m_cluster.rows(plain, pair.name);
    QCOMPARE(server, (QStringList { u"0|active|it's \"new\"|1.5|-3|7001|0|12|NULL|NULL|NULL"_s }));
    // The same as the file, but for the defaults left out: text in an integer column, an expression.
    QCOMPARE(SqliteTestUtil::rows(pair.file, plain),
             (QStringList { u"0|active|it's \"new\"|1.5|-3|7001|0|12|abc|x|NULL"_s }));
    const QByteArray times = "SELECT created_at, stamp, day FROM contacts WHERE id = 2";
    const QStringList serverTimes = m_cluster.rows(times, pair.name);
    QCOMPARE(serverTimes.size(), 1);
    const QStringList fields = serverTimes.first().split(u'|');
    const QString now = QDateTime::currentDateTimeUtc().toString(u"yyyy-MM-dd HH:mm:ss"_s);
    QVERIFY2(QRegularExpression(u"^\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d$"_s).match(fields[0]).hasMatch(),
             qPrintable(serverTimes.first()));
    QVERIFY2(qAbs(QDateTime::fromString(fields[0], u"yyyy-MM-dd HH:mm:ss"_s)
                      .secsTo(QDateTime::fromString(now, u"yyyy-MM-dd HH:mm:ss"_s)))
                 < 120,
             qPrintable(serverTimes.first() + u" vs "_s + now));
    QCOMPARE(fields[1], fields[0]);
    QCOMPARE(fields[2], fields[0].left(10));
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
    // The hint to wait longer is the command line's own; the writer's message ends before it.
    QVERIFY2(lines[1].endsWith(
                 ", is in progress. Try again when it has finished. Or wait longer with --lock-timeout "
                 "SECONDS (this run waited 1 s)."),
             lines[1].constData());
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

void TestPgCli::exportAndImportWorkOnAServer()
{
    // Every export reads a server (tst_pgcsv compares the schedule, contacts and problems files,
    // managementCommandsAsOnSqlite the management ones).
    const QString csv = m_dir.filePath(u"out.csv"_s);
    const Outcome exported
        = cli({ u"export"_s, u"--db"_s, m_uri, u"--what"_s, u"suppressions"_s, u"--output"_s, csv });
    QVERIFY2(exported.exitCode == 0, exported.err.constData());
    QFile suppressions(csv);
    QVERIFY(suppressions.open(QIODevice::ReadOnly));
    QVERIFY(suppressions.readLine().startsWith("id,email,reason,"));
    QVERIFY(suppressions.readLine().contains('@'));
    suppressions.close();
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
