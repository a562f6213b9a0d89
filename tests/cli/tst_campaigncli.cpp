#include "sqlitetestutil.h"

#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using SqliteTestUtil::rows;
using SqliteTestUtil::scalar;

// The management commands of email-scheduler-cli (SPEC section 11, issue 9 item 3): campaign
// list|add-type|add|enroll|end, suppress, unsuppress and export --what suppressions|campaigns|audit.
class TestCampaignCli : public QObject
{
    Q_OBJECT

private:
    struct Outcome
    {
        int exitCode = -1;
        QString out;
        QString err;
    };

    QTemporaryDir m_dir;
    QString m_cli = qEnvironmentVariable("ES_CLI");
    int m_count = 0;

    Outcome cli(const QStringList &args) const
    {
        QProcess process;
        process.start(m_cli, args);
        Outcome outcome;
        if (!process.waitForFinished(120000)) {
            process.kill();
            process.waitForFinished();
            return outcome;
        }
        outcome.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
        outcome.out = QString::fromUtf8(process.readAllStandardOutput());
        outcome.err = QString::fromUtf8(process.readAllStandardError());
        return outcome;
    }

    // A generated database without demo activity: no campaign or suppression tables.
    QString makeDatabase()
    {
        const QString path = m_dir.filePath(QStringLiteral("org-%1.db").arg(++m_count));
        const Outcome made = cli({ u"generate"_qs, u"--db"_qs, path, u"--contacts"_qs, u"50"_qs,
                                   u"--today"_qs, u"2025-03-01"_qs, u"--no-activity"_qs });
        return made.exitCode == 0 ? path : QString();
    }

    QString writeFile(const QString &name, const QByteArray &content) const
    {
        const QString path = m_dir.filePath(name);
        QFile file(path);
        if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate))
            return {};
        file.write(content);
        return path;
    }

    static qint64 tableCount(const QString &path)
    {
        return scalar(path,
                      u"SELECT count(*) FROM sqlite_master WHERE name IN ('campaign_types', "
                      u"'campaign_instances', 'contact_campaigns', 'email_suppressions', 'audit_log')"_qs);
    }

private slots:
    void initTestCase();
    void helpOnEveryCommand_data();
    void helpOnEveryCommand();
    void campaignWorkflow();
    void badInputWritesNothing_data();
    void badInputWritesNothing();
    void enrollRejectsRowsWithTheirLines();
    void suppressAndUnsuppress();
    void suppressFromFile();
    void readOnlyDatabaseExits2();
    void exports();
};

void TestCampaignCli::initTestCase()
{
    QVERIFY2(QFile::exists(m_cli), "ES_CLI must name email-scheduler-cli");
}

void TestCampaignCli::helpOnEveryCommand_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("expected");
    QTest::newRow("campaign") << QStringList { u"campaign"_qs, u"--help"_qs } << u"campaign enroll"_qs;
    for (const char *sub : { "list", "add-type", "add", "enroll", "end" })
        QTest::newRow(sub) << QStringList { u"campaign"_qs, QString::fromLatin1(sub), u"--help"_qs }
                           << QString(u"campaign "_qs + QString::fromLatin1(sub));
    QTest::newRow("suppress") << QStringList { u"suppress"_qs, u"--help"_qs } << u"--reason"_qs;
    QTest::newRow("unsuppress") << QStringList { u"unsuppress"_qs, u"--help"_qs } << u"--email"_qs;
    QTest::newRow("export") << QStringList { u"export"_qs, u"--help"_qs }
                            << u"suppressions|campaigns|audit"_qs;
}

void TestCampaignCli::helpOnEveryCommand()
{
    QFETCH(QStringList, args);
    QFETCH(QString, expected);
    const Outcome o = cli(args);
    QCOMPARE(o.exitCode, 0);
    QVERIFY2(o.out.contains(expected), qPrintable(o.out));
}

void TestCampaignCli::campaignWorkflow()
{
    const QString db = makeDatabase();
    QVERIFY(!db.isEmpty());
    Outcome o = cli({ u"campaign"_qs, u"list"_qs, u"--db"_qs, db, u"--today"_qs, u"2025-03-01"_qs });
    QCOMPARE(o.exitCode, 0);
    QCOMPARE(o.out.count(u'\n'), 1); // only the header: missing tables read as empty
    QCOMPARE(tableCount(db), 0);     // and listing created none

    o = cli({ u"campaign"_qs, u"add-type"_qs, u"--db"_qs, db, u"--name"_qs, u"rate_increase"_qs,
              u"--priority"_qs, u"10"_qs, u"--days-before"_qs, u"45"_qs, u"--followups"_qs,
              u"--skip-failed-underwriting"_qs });
    QCOMPARE(o.exitCode, 0);
    QCOMPARE(o.out.trimmed(), u"1"_qs);
    o = cli({ u"campaign"_qs, u"add-type"_qs, u"--db"_qs, db, u"--name"_qs, u"blast"_qs, u"--all-contacts"_qs,
              u"--spread"_qs, u"--ignore-windows"_qs });
    QCOMPARE(o.exitCode, 0);
    QCOMPARE(
        rows(db,
             "SELECT name, priority, days_before_event, enable_followups, skip_failed_underwriting, "
             "target_all_contacts, spread_evenly, respect_exclusion_windows FROM campaign_types ORDER BY id"),
        (QStringList { u"rate_increase|10|45|1|1|0|0|1"_qs, u"blast|30|30|0|0|1|1|0"_qs }));

    o = cli({ u"campaign"_qs,       u"add"_qs,        u"--db"_qs,         db,
              u"--type"_qs,         u"blast"_qs,      u"--name"_qs,       u"Welcome, all"_qs,
              u"--start"_qs,        u"2025-03-01"_qs, u"--end"_qs,        u"2025-03-31"_qs,
              u"--spread-start"_qs, u"2025-03-02"_qs, u"--spread-end"_qs, u"2025-03-15"_qs,
              u"--states"_qs,       u"TX,CA"_qs,      u"--carriers"_qs,   u"Humana"_qs });
    QCOMPARE(o.exitCode, 0);
    QCOMPARE(o.out.trimmed(), u"1"_qs);
    QCOMPARE(
        rows(db,
             "SELECT campaign_type, instance_name, active_start_date, active_end_date, spread_start_date, "
             "spread_end_date, target_states, target_carriers FROM campaign_instances"),
        QStringList { u"blast|Welcome, all|2025-03-01|2025-03-31|2025-03-02|2025-03-15|TX,CA|Humana"_qs });

    o = cli({ u"campaign"_qs, u"list"_qs, u"--db"_qs, db, u"--today"_qs, u"2025-03-05"_qs });
    QCOMPARE(o.exitCode, 0);
    const QStringList lines = o.out.split(u'\n', Qt::SkipEmptyParts);
    QCOMPARE(lines.size(), 4);
    QVERIFY(lines[0].startsWith(u"kind,id,name,campaign_type,"));
    QVERIFY2(lines[3].startsWith(u"instance,1,\"Welcome, all\",blast,"), qPrintable(lines[3]));
    QVERIFY2(lines[3].contains(u",yes,"), qPrintable(lines[3]));

    o = cli({ u"campaign"_qs, u"end"_qs, u"--db"_qs, db, u"--instance"_qs, u"1"_qs, u"--on"_qs,
              u"2025-03-04"_qs });
    QCOMPARE(o.exitCode, 0);
    QCOMPARE(rows(db, "SELECT active_end_date FROM campaign_instances"), QStringList { u"2025-03-04"_qs });
    o = cli({ u"campaign"_qs, u"list"_qs, u"--db"_qs, db, u"--today"_qs, u"2025-03-05"_qs });
    QVERIFY2(o.out.contains(u",no,0,0,ended 2025-03-04"), qPrintable(o.out));
    // Without --on the instance ends yesterday (in America/Chicago, a day behind UTC at times).
    o = cli({ u"campaign"_qs, u"end"_qs, u"--db"_qs, db, u"--instance"_qs, u"1"_qs });
    QCOMPARE(o.exitCode, 0);
    QCOMPARE(rows(db,
                  "SELECT active_end_date IN (date('now', '-1 day'), date('now', '-2 days')) FROM "
                  "campaign_instances"),
             QStringList { u"1"_qs });
    QCOMPARE(rows(db, "SELECT group_concat(action || ':' || entity, ' ') FROM audit_log"),
             QStringList { u"add:campaign_type add:campaign_type add:campaign_instance end:campaign_instance "
                           u"end:campaign_instance"_qs });
}

void TestCampaignCli::badInputWritesNothing_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("message");
    QTest::newRow("bad name") << QStringList { u"campaign"_qs, u"add-type"_qs, u"--name"_qs,
                                               u"Rate Increase"_qs }
                              << u"--name: "_qs;
    QTest::newRow("reserved name") << QStringList { u"campaign"_qs, u"add-type"_qs, u"--name"_qs,
                                                    u"birthday"_qs }
                                   << u"reserved"_qs;
    QTest::newRow("bad priority") << QStringList { u"campaign"_qs, u"add-type"_qs,   u"--name"_qs,
                                                   u"x"_qs,        u"--priority"_qs, u"high"_qs }
                                  << u"--priority"_qs;
    QTest::newRow("unknown type") << QStringList { u"campaign"_qs, u"add"_qs,    u"--type"_qs,
                                                   u"nope"_qs,     u"--name"_qs, u"X"_qs }
                                  << u"--type: "_qs;
    QTest::newRow("unreadable date") << QStringList { u"campaign"_qs, u"add"_qs,       u"--type"_qs,
                                                      u"nope"_qs,     u"--name"_qs,    u"X"_qs,
                                                      u"--start"_qs,  u"2025-02-30"_qs }
                                     << u"--start"_qs;
    QTest::newRow("bad states") << QStringList { u"campaign"_qs, u"add"_qs, u"--type"_qs,   u"nope"_qs,
                                                 u"--name"_qs,   u"X"_qs,   u"--states"_qs, u"Texas"_qs }
                                << u"--states: "_qs;
    QTest::newRow("missing name") << QStringList { u"campaign"_qs, u"add"_qs, u"--type"_qs, u"nope"_qs }
                                  << u"--name is required"_qs;
    QTest::newRow("unknown instance")
        << QStringList { u"campaign"_qs, u"end"_qs, u"--instance"_qs, u"7"_qs } << u"--instance: "_qs;
    QTest::newRow("bad instance id") << QStringList { u"campaign"_qs, u"end"_qs, u"--instance"_qs,
                                                      u"seven"_qs }
                                     << u"--instance"_qs;
    QTest::newRow("unknown subcommand")
        << QStringList { u"campaign"_qs, u"remove"_qs } << u"unknown subcommand"_qs;
    QTest::newRow("suppress bad reason")
        << QStringList { u"suppress"_qs, u"--email"_qs, u"a@b.com"_qs, u"--reason"_qs, u"annoyed"_qs }
        << u"--reason must be one of"_qs;
    QTest::newRow("suppress no reason")
        << QStringList { u"suppress"_qs, u"--email"_qs, u"a@b.com"_qs } << u"--reason is required"_qs;
    QTest::newRow("suppress bad email")
        << QStringList { u"suppress"_qs, u"--email"_qs, u"nobody"_qs, u"--reason"_qs, u"other"_qs }
        << u"--email: "_qs;
    QTest::newRow("unsuppress unlisted") << QStringList { u"unsuppress"_qs, u"--email"_qs, u"a@b.com"_qs }
                                         << u"not on the do-not-email list"_qs;
}

void TestCampaignCli::badInputWritesNothing()
{
    QFETCH(QStringList, args);
    QFETCH(QString, message);
    const QString db = makeDatabase();
    QVERIFY(!db.isEmpty());
    QStringList full = args;
    if (args.value(1) != u"remove")
        full.insert(args.front() == u"campaign" ? 2 : 1, u"--db"_qs),
            full.insert(args.front() == u"campaign" ? 3 : 2, db);
    const Outcome o = cli(full);
    QCOMPARE(o.exitCode, 1);
    QVERIFY2(o.err.contains(message), qPrintable(o.err));
    QCOMPARE(o.err.count(u'\n'), 1); // one line
    QCOMPARE(
        scalar(db,
               u"SELECT count(*) FROM sqlite_master WHERE name IN ('campaign_types', 'campaign_instances', "
               u"'email_suppressions')"_qs)
                > 0
            ? scalar(
                db,
                u"SELECT (SELECT count(*) FROM campaign_types) + (SELECT count(*) FROM campaign_instances)"_qs)
            : 0,
        0);
    QCOMPARE(scalar(db, u"SELECT count(*) FROM sqlite_master WHERE name = 'audit_log'"_qs), 0);
}

void TestCampaignCli::enrollRejectsRowsWithTheirLines()
{
    const QString db = makeDatabase();
    QVERIFY(!db.isEmpty());
    QCOMPARE(
        cli({ u"campaign"_qs, u"add-type"_qs, u"--db"_qs, db, u"--name"_qs, u"rate_increase"_qs }).exitCode,
        0);
    QCOMPARE(cli({ u"campaign"_qs, u"add"_qs, u"--db"_qs, db, u"--type"_qs, u"rate_increase"_qs, u"--name"_qs,
                   u"RI"_qs })
                 .exitCode,
             0);
    const QString email = rows(db, "SELECT trim(email) FROM contacts WHERE id = 3").value(0);
    const QString csv = writeFile(u"enrol.csv"_qs,
                                  "Contact ID,Email Address,Trigger Date\n"
                                  "1,,2025-07-01\n"
                                  ",\""
                                      + email.toUtf8()
                                      + "\",7/15/2025\n"
                                        "9999,,2025-07-01\n"
                                        "2,,2025-02-30\n"
                                        "4,,\n");
    Outcome o = cli(
        { u"campaign"_qs, u"enroll"_qs, u"--db"_qs, db, u"--instance"_qs, u"1"_qs, u"--input"_qs, csv });
    QCOMPARE(o.exitCode, 1);
    QVERIFY2(o.err.contains(u"enrol.csv line 4: no contact has id 9999"), qPrintable(o.err));
    QVERIFY2(o.err.contains(u"enrol.csv line 5: trigger_date: \"2025-02-30\" is not a date"),
             qPrintable(o.err));
    QCOMPARE(o.err.count(u'\n'), 2);
    QVERIFY2(o.out.contains(u"rows 5, enrolled 3, rejected 2"), qPrintable(o.out));
    QCOMPARE(rows(db, "SELECT contact_id, trigger_date FROM contact_campaigns ORDER BY contact_id"),
             (QStringList { u"1|2025-07-01"_qs, u"3|2025-07-15"_qs, u"4|NULL"_qs }));
    // All good: exit 0.
    const QString good = writeFile(u"good.csv"_qs, "contact_id,trigger_date\n5,2025-08-01\n");
    o = cli({ u"campaign"_qs, u"enroll"_qs, u"--db"_qs, db, u"--instance"_qs, u"1"_qs, u"--input"_qs, good });
    QCOMPARE(o.exitCode, 0);
    // No contact column: one line naming --input, nothing written.
    const QString bad = writeFile(u"bad.csv"_qs, "name,date\nAnn,2025-01-01\n");
    o = cli({ u"campaign"_qs, u"enroll"_qs, u"--db"_qs, db, u"--instance"_qs, u"1"_qs, u"--input"_qs, bad });
    QCOMPARE(o.exitCode, 1);
    QVERIFY2(o.err.contains(u"--input"), qPrintable(o.err));
    QCOMPARE(scalar(db, u"SELECT count(*) FROM contact_campaigns"_qs), 4);
}

void TestCampaignCli::suppressAndUnsuppress()
{
    const QString db = makeDatabase();
    QVERIFY(!db.isEmpty());
    Outcome o = cli({ u"suppress"_qs, u"--db"_qs, db, u"--email"_qs, u"Jane@Example.com"_qs, u"--reason"_qs,
                      u"deceased"_qs, u"--note"_qs, u"family called"_qs });
    QCOMPARE(o.exitCode, 0);
    QCOMPARE(rows(db, "SELECT email, reason, note FROM email_suppressions"),
             QStringList { u"Jane@Example.com|deceased|family called"_qs });
    o = cli({ u"suppress"_qs, u"--db"_qs, db, u"--email"_qs, u"jane@example.com"_qs, u"--reason"_qs,
              u"other"_qs });
    QCOMPARE(o.exitCode, 0);
    QVERIFY2(o.out.contains(u"already"), qPrintable(o.out));
    o = cli({ u"unsuppress"_qs, u"--db"_qs, db, u"--email"_qs, u"JANE@example.com"_qs });
    QCOMPARE(o.exitCode, 0);
    QCOMPARE(scalar(db, u"SELECT count(*) FROM email_suppressions"_qs), 0);
    QCOMPARE(rows(db, "SELECT group_concat(action, ' ') FROM audit_log WHERE entity = 'suppression'"),
             QStringList { u"add remove"_qs });
}

void TestCampaignCli::suppressFromFile()
{
    const QString db = makeDatabase();
    QVERIFY(!db.isEmpty());
    const QString csv = writeFile(u"bounces.csv"_qs,
                                  "email,reason\n"
                                  "a@example.com,hard bounce\n"
                                  "broken,\n"
                                  "b@example.com,\n");
    const Outcome o
        = cli({ u"suppress"_qs, u"--db"_qs, db, u"--input"_qs, csv, u"--reason"_qs, u"bounced"_qs });
    QCOMPARE(o.exitCode, 1);
    QVERIFY2(o.err.contains(u"bounces.csv line 3: email: \"broken\""), qPrintable(o.err));
    QCOMPARE(rows(db, "SELECT email, reason FROM email_suppressions ORDER BY email"),
             (QStringList { u"a@example.com|bounced"_qs, u"b@example.com|bounced"_qs }));
}

void TestCampaignCli::readOnlyDatabaseExits2()
{
    const QString db = makeDatabase();
    QVERIFY(!db.isEmpty());
    QVERIFY(QFile::setPermissions(db, QFile::ReadOwner | QFile::ReadGroup | QFile::ReadOther));
    const QList<QStringList> commands = {
        { u"campaign"_qs, u"add-type"_qs, u"--db"_qs, db, u"--name"_qs, u"x"_qs },
        { u"suppress"_qs, u"--db"_qs, db, u"--email"_qs, u"a@b.com"_qs, u"--reason"_qs, u"other"_qs },
        { u"unsuppress"_qs, u"--db"_qs, db, u"--email"_qs, u"a@b.com"_qs },
        { u"campaign"_qs, u"end"_qs, u"--db"_qs, db, u"--instance"_qs, u"1"_qs },
    };
    for (const QStringList &args : commands) {
        const Outcome o = cli(args);
        QCOMPARE(o.exitCode, 2);
        QVERIFY2(o.err.contains(u"read-only"), qPrintable(o.err));
    }
    // Reading still works.
    QCOMPARE(cli({ u"campaign"_qs, u"list"_qs, u"--db"_qs, db }).exitCode, 0);
    QCOMPARE(tableCount(db), 0);
}

void TestCampaignCli::exports()
{
    const QString db = m_dir.filePath(u"demo.sqlite3"_qs);
    QCOMPARE(cli({ u"generate"_qs, u"--db"_qs, db, u"--contacts"_qs, u"2000"_qs, u"--today"_qs,
                   u"2025-03-01"_qs, u"--force"_qs })
                 .exitCode,
             0);
    const struct
    {
        const char *what;
        const char *header;
    } cases[] = {
        { "suppressions", "id,email,reason,note,created_at,created_by" },
        { "campaigns", "kind,id,name,campaign_type,active,priority" },
        { "audit", "id,at,user,server_user,action,entity,entity_id,summary,before_json,after_json" },
    };
    for (const auto &c : cases) {
        const QString out = m_dir.filePath(QString::fromLatin1(c.what) + u".csv");
        const Outcome o = cli({ u"export"_qs, u"--db"_qs, db, u"--what"_qs, QString::fromLatin1(c.what),
                                u"--output"_qs, out, u"--today"_qs, u"2025-03-01"_qs });
        QCOMPARE(o.exitCode, 0);
        QFile file(out);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray content = file.readAll();
        QVERIFY2(content.startsWith(c.header), content.left(200).constData());
        QVERIFY(content.count('\n') > 2);
    }
    const Outcome bad = cli({ u"export"_qs, u"--db"_qs, db, u"--what"_qs, u"campaign"_qs, u"--output"_qs,
                              m_dir.filePath(u"x.csv"_qs) });
    QCOMPARE(bad.exitCode, 1);
    QVERIFY(bad.err.contains(u"--what must be"));
}

QTEST_GUILESS_MAIN(TestCampaignCli)
#include "tst_campaigncli.moc"
