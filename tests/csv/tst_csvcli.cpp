#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

// `email-scheduler-cli export` and `import`: exit codes and one-line errors naming the file.
class TestCsvCli : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_db;

    struct Run
    {
        int exitCode = -1;
        QString out;
        QString err;
    };

    static Run cli(const QStringList &args)
    {
        QProcess p;
        p.start(qEnvironmentVariable("ES_CLI"), args);
        if (!p.waitForFinished(120000))
            qFatal("cli did not finish");
        return Run { p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1,
                     QString::fromUtf8(p.readAllStandardOutput()),
                     QString::fromUtf8(p.readAllStandardError()) };
    }

    QString writeFile(const QString &name, const QByteArray &bytes)
    {
        const QString path = m_dir.filePath(name);
        QFile f(path);
        if (!f.open(QIODevice::WriteOnly))
            qFatal("cannot write");
        f.write(bytes);
        return path;
    }

private slots:
    void initTestCase()
    {
        QVERIFY(QFile::exists(qEnvironmentVariable("ES_CLI")));
        m_db = m_dir.filePath(u"org.sqlite3"_s);
        QVERIFY(QFile::copy(qEnvironmentVariable("ES_TEST_DATA") + u"/samples/org-206.sqlite3"_s, m_db));
        QFile::setPermissions(m_db, QFile::ReadOwner | QFile::WriteOwner);
    }

    void exportExitCodes_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<int>("exitCode");
        QTest::addColumn<QString>("errorMentions");
        const QString out = m_dir.filePath(u"out.csv"_s);
        QTest::newRow("schedule") << QStringList { u"--db"_s,     m_db,          u"--what"_s,
                                                   u"schedule"_s, u"--output"_s, out }
                                  << 0 << QString();
        QTest::newRow("contacts") << QStringList { u"--db"_s,        m_db,           u"--what"_s,
                                                   u"contacts"_s,    u"--output"_s,  out,
                                                   u"--separator"_s, u"semicolon"_s, u"--bom"_s }
                                  << 0 << QString();
        QTest::newRow("problems") << QStringList { u"--db"_s,     m_db, u"--what"_s,  u"problems"_s,
                                                   u"--output"_s, out,  u"--today"_s, u"2025-06-01"_s }
                                  << 0 << QString();
        QTest::newRow("bad what") << QStringList { u"--db"_s,       m_db,          u"--what"_s,
                                                   u"everything"_s, u"--output"_s, out }
                                  << 1 << u"everything"_s;
        QTest::newRow("no output") << QStringList { u"--db"_s, m_db, u"--what"_s, u"schedule"_s } << 1
                                   << u"--output"_s;
        QTest::newRow("missing db") << QStringList {
            u"--db"_s, m_dir.filePath(u"nope.db"_s), u"--what"_s, u"schedule"_s, u"--output"_s, out
        } << 2 << u"nope.db"_s;
        QTest::newRow("unwritable output")
            << QStringList { u"--db"_s,     m_db,          u"--what"_s,
                             u"schedule"_s, u"--output"_s, m_dir.filePath(u"gone/x.csv"_s) }
            << 1 << m_dir.filePath(u"gone/x.csv"_s);
    }

    void exportExitCodes()
    {
        QFETCH(QStringList, args);
        QFETCH(int, exitCode);
        QFETCH(QString, errorMentions);
        const Run r = cli(QStringList { u"export"_s } + args);
        QVERIFY2(r.exitCode == exitCode, qPrintable(r.err));
        if (exitCode == 0) {
            QVERIFY(r.err.isEmpty());
        } else {
            QCOMPARE(r.err.count(u'\n'), 1);
            QVERIFY2(r.err.contains(errorMentions), qPrintable(r.err));
        }
    }

    void exportContent()
    {
        const QString out = m_dir.filePath(u"schedule.csv"_s);
        QCOMPARE(
            cli({ u"export"_s, u"--db"_s, m_db, u"--what"_s, u"schedule"_s, u"--output"_s, out }).exitCode,
            0);
        QFile f(out);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QVERIFY(f.readLine().startsWith("id,contact_id,email_type,scheduled_send_date"));
        int lines = 1;
        while (!f.readLine().isEmpty())
            ++lines;
        QCOMPARE(lines, 95); // header + the 94 stored rows of org-206
    }

    void importExitCodes()
    {
        const QString csv = writeFile(u"in.csv"_s,
                                      "E-mail,First Name,Zip,DOB\n"
                                      "cli1@example.com,One,66210,1/2/1950\n"
                                      "not-an-email,Two,66210,1950-01-01\n"
                                      "reuben.brooks+contact1@medicaremax.ai,Three,66210,\n");
        Run r = cli({ u"import"_s, u"--db"_s, m_db, u"--input"_s, csv });
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY2(r.out.contains(u"imported 1"_s) && r.out.contains(u"skipped existing 1"_s)
                     && r.out.contains(u"rejected 1"_s),
                 qPrintable(r.out));
        QVERIFY2(r.err.contains(u"line 3"_s), qPrintable(r.err));

        r = cli({ u"import"_s, u"--db"_s, m_db, u"--input"_s, csv, u"--on-conflict"_s, u"abort"_s });
        QCOMPARE(r.exitCode, 1);
        QVERIFY(r.err.contains(u"aborted"_s));

        r = cli({ u"import"_s, u"--db"_s, m_db, u"--input"_s, csv, u"--on-conflict"_s, u"sometimes"_s });
        QCOMPARE(r.exitCode, 1);

        r = cli({ u"import"_s, u"--db"_s, m_dir.filePath(u"missing.db"_s), u"--input"_s, csv });
        QCOMPARE(r.exitCode, 2);
        QVERIFY(r.err.contains(u"missing.db"_s));

        r = cli({ u"import"_s, u"--db"_s, m_db, u"--input"_s, m_dir.filePath(u"absent.csv"_s) });
        QCOMPARE(r.exitCode, 1);
        QVERIFY(r.err.contains(u"absent.csv"_s));

        const QString mapping = writeFile(u"map.json"_s, R"({"email": "No Such Column"})");
        r = cli({ u"import"_s, u"--db"_s, m_db, u"--input"_s, csv, u"--mapping"_s, mapping });
        QCOMPARE(r.exitCode, 1);
        QVERIFY(r.err.contains(u"map.json"_s) && r.err.contains(u"No Such Column"_s));

        const QString good = writeFile(u"map2.json"_s, R"({"first_name": "E-mail", "email": "E-mail"})");
        r = cli({ u"import"_s, u"--db"_s, m_db, u"--input"_s, csv, u"--mapping"_s, good, u"--dry-run"_s });
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));

        const QString failures = m_dir.filePath(u"failures.csv"_s);
        r = cli({ u"import"_s, u"--db"_s, m_db, u"--input"_s, csv, u"--failures"_s, failures });
        QCOMPARE(r.exitCode, 0);
        QFile f(failures);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QVERIFY(f.readAll().contains("not-an-email"));
    }
};

QTEST_GUILESS_MAIN(TestCsvCli)
#include "tst_csvcli.moc"
