#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <sys/stat.h>

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
        QCOMPARE(f.readLine(),
                 QByteArray("Contact ID,First name,Last name,Email,Email type,Send date,Status,Reason\r\n"));
        int lines = 1;
        while (!f.readLine().isEmpty())
            ++lines;
        QCOMPARE(lines, 95); // header + the 94 stored rows of org-206
    }

    void outputNamingTheDatabaseIsRefused_data()
    {
        QTest::addColumn<QString>("command");
        QTest::addColumn<QString>("option");
        QTest::addColumn<QString>("target");
        const QString link = m_dir.filePath(u"db-link.csv"_s);
        QFile::link(m_db, link);
        const QString fifo = m_dir.filePath(u"pipe.csv"_s);
        QCOMPARE(::mkfifo(QFile::encodeName(fifo).constData(), 0600), 0);
        for (const QString &command : { u"export"_s, u"preview"_s, u"import"_s }) {
            const QString option = command == u"import" ? u"--failures"_s : u"--output"_s;
            const QByteArray c = command.toLatin1();
            QTest::addRow("%s: the database", c.constData()) << command << option << m_db;
            QTest::addRow("%s: a symlink to it", c.constData()) << command << option << link;
            QTest::addRow("%s: a FIFO", c.constData()) << command << option << fifo;
            QTest::addRow("%s: /dev/null", c.constData()) << command << option << u"/dev/null"_s;
        }
    }

    void outputNamingTheDatabaseIsRefused()
    {
        // Exit 1 with one line naming the option and the file; the database is untouched (no
        // contact imported either).
        QFETCH(QString, command);
        QFETCH(QString, option);
        QFETCH(QString, target);
        const QString csv
            = writeFile(u"refused.csv"_s, "email,zip\nrefused.import@example.com,66210\nbad,66210\n");
        QStringList args { command, u"--db"_s, m_db, option, target };
        if (command == u"export")
            args << u"--what"_s << u"contacts"_s;
        else if (command == u"preview")
            args << u"--today"_s << u"2025-06-01"_s;
        else
            args << u"--input"_s << csv;
        QFile db(m_db);
        QVERIFY(db.open(QIODevice::ReadOnly));
        const QByteArray before = db.readAll();
        db.close();
        const Run r = cli(args);
        QVERIFY2(r.exitCode == 1, qPrintable(r.err));
        QCOMPARE(r.err.count(u'\n'), 1);
        QVERIFY2(r.err.contains(option) && r.err.contains(target), qPrintable(r.err));
        QVERIFY(r.out.isEmpty());
        QVERIFY(db.open(QIODevice::ReadOnly));
        QVERIFY(db.readAll() == before);
    }

    void importUnicodeText()
    {
        // Excel's "Unicode text" (UTF-16 LE, BOM, tabs) imports like any CSV file.
        QByteArray bytes("\xFF\xFE");
        const QString text = u"E-mail\tFirst Name\tZip\r\nutf16.cli@example.com\tZoë\t66210\r\n"_s;
        bytes += QByteArray(reinterpret_cast<const char *>(text.utf16()), text.size() * 2); // x86: LE
        const QString csv = writeFile(u"unicode.txt"_s, bytes);
        const Run r = cli({ u"import"_s, u"--db"_s, m_db, u"--input"_s, csv });
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY2(r.out.contains(u"rows 1, imported 1"_s), qPrintable(r.out));
    }

    void importListsEveryRejectedRow()
    {
        // More than the 100,000 rejected rows kept in memory: stderr and the failures file list
        // every one.
        constexpr int Bad = 100003;
        QByteArray bytes = "email,zip\n";
        for (int i = 0; i < Bad; ++i)
            bytes += "nobody" + QByteArray::number(i) + ",66210\n";
        const QString csv = writeFile(u"allbad.csv"_s, bytes);
        const QString failures = m_dir.filePath(u"allbad-rejected.csv"_s);
        const Run r = cli(
            { u"import"_s, u"--db"_s, m_db, u"--input"_s, csv, u"--dry-run"_s, u"--failures"_s, failures });
        QVERIFY2(r.exitCode == 0, qPrintable(r.err.right(500)));
        QVERIFY2(r.out.contains(u"rejected 100003"_s), qPrintable(r.out));
        QCOMPARE(r.err.count(u'\n'), Bad);
        QVERIFY(r.err.contains(u"allbad.csv line 100004: "_s));
        QFile f(failures);
        QVERIFY(f.open(QIODevice::ReadOnly));
        qint64 lines = 0;
        while (!f.readLine().isEmpty())
            ++lines;
        QCOMPARE(lines, Bad + 1);
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
