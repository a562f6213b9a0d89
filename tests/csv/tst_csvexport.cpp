#include "batch/batchjob.h"
#include "csv/csvexport.h"
#include "csv/csvreader.h"

#include "referencecsv.h"
#include "sqlitetestutil.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QFutureWatcher>
#include <QProcess>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QStringListModel>
#include <QTemporaryDir>
#include <QTest>

#include <sqlite3.h>
#include <sys/stat.h>

using namespace Qt::StringLiterals;

// CsvExport: stored schedule/contacts/problems to CSV, atomic replacement, errors and cancel.
class TestCsvExport : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_db;

    static QByteArray readFile(const QString &path)
    {
        QFile f(path);
        return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
    }

    static qint64 count(const QString &db, const char *sql)
    {
        sqlite3 *h = nullptr;
        sqlite3_open_v2(QFile::encodeName(db).constData(), &h, SQLITE_OPEN_READONLY, nullptr);
        sqlite3_stmt *s = nullptr;
        sqlite3_prepare_v2(h, sql, -1, &s, nullptr);
        qint64 n = -1;
        if (sqlite3_step(s) == SQLITE_ROW)
            n = sqlite3_column_int64(s, 0);
        sqlite3_finalize(s);
        sqlite3_close(h);
        return n;
    }

    static void exec(const QString &db, const char *sql)
    {
        QString message;
        QVERIFY2(SqliteTestUtil::execSql(db, sql, &message), qPrintable(message));
    }

    ExportRequest request(ExportRequest::What what, const QString &output) const
    {
        ExportRequest r;
        r.what = what;
        r.dbPath = m_db;
        r.outputPath = output;
        r.today = QDate(2025, 6, 1);
        return r;
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_db = m_dir.filePath(u"org.sqlite3"_s);
        QVERIFY(QFile::copy(qEnvironmentVariable("ES_TEST_DATA") + u"/samples/org-206.sqlite3"_s, m_db));
        QFile::setPermissions(m_db, QFile::ReadOwner | QFile::WriteOwner);
        // 20,000 extra schedule rows so progress and cancel have something to interrupt.
        exec(m_db,
             "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 20000) "
             "INSERT INTO email_schedules (contact_id, email_type, scheduled_send_date, status, skip_reason) "
             "SELECT 100000 + i, 'birthday', '2026-01-01', 'skipped', 'spacing: =cmd, \"quoted\"' FROM n");
    }

    void schedule()
    {
        const QString out = m_dir.filePath(u"schedule.csv"_s);
        const ExportOutcome outcome = CsvExport::run(request(ExportRequest::What::Schedule, out));
        QVERIFY2(outcome.ok(), qPrintable(outcome.error ? outcome.error->message : QString()));
        const qint64 rows = count(m_db, "SELECT COUNT(*) FROM email_schedules");
        QCOMPARE(outcome.rows, rows);
        const auto records = ReferenceCsv::parse(QString::fromUtf8(readFile(out)));
        QCOMPARE(records.size(), rows + 1);
        QCOMPARE(records.first(),
                 (QStringList { u"Contact ID"_s, u"First name"_s, u"Last name"_s, u"Email"_s, u"Email type"_s,
                                u"Send date"_s, u"Status"_s, u"Reason"_s }));
        // The formula guard applies to stored text too: the reason is the detail after
        // "spacing: ", which starts with "=".
        QCOMPARE(records.last(),
                 (QStringList { u"120000"_s, QString(), QString(), QString(), u"Birthday"_s, u"2026-01-01"_s,
                                u"Skipped"_s, u"'=cmd, \"quoted\""_s }));
    }

    void scheduleInStaffWords()
    {
        // Stored rows as this program and an older sender write them; the expected file is
        // worked out by hand: sorted by contact, then send date; the contact's name and email
        // from `contacts`; types, statuses and reasons in words.
        const QString db = m_dir.filePath(u"words.sqlite3"_s);
        QVERIFY(QFile::copy(qEnvironmentVariable("ES_TEST_DATA") + u"/samples/org-206.sqlite3"_s, db));
        QFile::setPermissions(db, QFile::ReadOwner | QFile::WriteOwner);
        exec(db,
             "DELETE FROM email_schedules; "
             "INSERT INTO email_schedules (contact_id, email_type, scheduled_send_date, status, skip_reason, "
             "catchup_note) VALUES "
             "(1, 'birthday', '2026-03-01', 'pre-scheduled', NULL, NULL), "
             "(1, 'effective_date', '2026-02-01', 'skipped', "
             "'birthday_window: California birthday rule 2026-01-15 to 2026-03-15', NULL), "
             "(1, 'post_window', '2026-03-16', 'pre-scheduled', NULL, NULL), "
             "(1, 'aep', '2025-09-15', 'pre-scheduled', NULL, "
             "'catch-up: anniversary 2025-09-15 is too close for the usual lead time'), "
             "(2, 'effective_date', '2026-01-10', 'skipped', "
             "'spacing: within 30 days of the birthday email on 2026-01-20', NULL), "
             "(2, 'BIRTHDAY', '2025-05-26', 'sent', NULL, NULL), "
             "(2, 'followup_1_cold', '2025-05-28', 'failed', NULL, NULL), "
             "(999999, 'birthday', '2026-01-01', 'skipped', 'year_round', NULL)");
        ExportRequest r = request(ExportRequest::What::Schedule, m_dir.filePath(u"words.csv"_s));
        r.dbPath = db;
        const ExportOutcome outcome = CsvExport::run(r);
        QVERIFY2(outcome.ok(), qPrintable(outcome.error ? outcome.error->message : QString()));
        QCOMPARE(outcome.rows, 8);
        const QString reuben = u"reuben.brooks+contact1@medicaremax.ai"_s;
        const QString josh = u"reuben.brooks+contact2@medicaremax.ai"_s;
        const QList<QStringList> expected {
            { u"Contact ID"_s, u"First name"_s, u"Last name"_s, u"Email"_s, u"Email type"_s, u"Send date"_s,
              u"Status"_s, u"Reason"_s },
            { u"1"_s, u"Reuben"_s, u"Brooks"_s, reuben, u"Annual Enrollment"_s, u"2025-09-15"_s,
              u"Scheduled"_s, u"Catch-up: anniversary 2025-09-15 is too close for the usual lead time"_s },
            { u"1"_s, u"Reuben"_s, u"Brooks"_s, reuben, u"Policy anniversary"_s, u"2026-02-01"_s,
              u"Skipped"_s, u"California birthday rule 2026-01-15 to 2026-03-15"_s },
            { u"1"_s, u"Reuben"_s, u"Brooks"_s, reuben, u"Birthday"_s, u"2026-03-01"_s, u"Scheduled"_s,
              QString() },
            { u"1"_s, u"Reuben"_s, u"Brooks"_s, reuben, u"Follow-up"_s, u"2026-03-16"_s, u"Scheduled"_s,
              QString() },
            { u"2"_s, u"Josh"_s, u"Musick"_s, josh, u"Birthday"_s, u"2025-05-26"_s, u"Sent"_s, QString() },
            { u"2"_s, u"Josh"_s, u"Musick"_s, josh, u"Follow-up (no response)"_s, u"2025-05-28"_s,
              u"Failed"_s, QString() },
            { u"2"_s, u"Josh"_s, u"Musick"_s, josh, u"Policy anniversary"_s, u"2026-01-10"_s, u"Skipped"_s,
              u"Within 30 days of the birthday email on 2026-01-20"_s },
            { u"999999"_s, QString(), QString(), QString(), u"Birthday"_s, u"2026-01-01"_s, u"Skipped"_s,
              u"State allows plan changes all year"_s },
        };
        const auto records = ReferenceCsv::parse(QString::fromUtf8(readFile(r.outputPath)));
        QCOMPARE(records.size(), expected.size());
        for (qsizetype i = 0; i < expected.size(); ++i)
            QCOMPARE(records[i], expected[i]);
    }

    void refusesToOverwriteTheDatabase_data()
    {
        QTest::addColumn<QString>("output");
        QTest::addColumn<QString>("mentions");
        const QString link = m_dir.filePath(u"link-to-db.csv"_s);
        QFile::link(m_db, link);
        const QString fifo = m_dir.filePath(u"fifo.csv"_s);
        QCOMPARE(::mkfifo(QFile::encodeName(fifo).constData(), 0600), 0);
        const QString other = m_dir.filePath(u"other.sqlite3"_s);
        QFile::copy(m_db, other);
        // `mentions` when the database is known (SQL exports), `orphanMentions` when not.
        QTest::addColumn<QString>("orphanMentions");
        QTest::newRow("the database") << m_db << u"it is the database"_s << u"SQLite database"_s;
        QTest::newRow("a symlink to it") << link << u"it is the database"_s << u"SQLite database"_s;
        QTest::newRow("its WAL") << m_db + u"-wal"_s << u"belongs to the database"_s
                                 << u"belongs to the database"_s;
        QTest::newRow("its journal") << m_db + u"-journal"_s << u"belongs to the database"_s
                                     << u"belongs to the database"_s;
        QTest::newRow("another database") << other << u"SQLite database"_s << u"SQLite database"_s;
        QTest::newRow("a FIFO") << fifo << u"not a regular file"_s << u"not a regular file"_s;
        QTest::newRow("a device") << u"/dev/null"_s << u"not a regular file"_s << u"not a regular file"_s;
    }

    void refusesToOverwriteTheDatabase()
    {
        // Every writer goes through the same check: the SQL exports, the computed preview, the
        // filtered view (the export dialog's three sources) and an import's rejected rows.
        QFETCH(QString, output);
        QFETCH(QString, mentions);
        QFETCH(QString, orphanMentions);
        const QByteArray before = readFile(m_db);
        const auto check = [&](const std::optional<Error> &error, const QString &why) {
            QVERIFY(error.has_value());
            QVERIFY2(error->is(CsvErrorKind::File), qPrintable(error->message));
            QVERIFY2(error->message.contains(output), qPrintable(error->message));
            QVERIFY2(error->message.contains(why), qPrintable(error->message));
            QVERIFY(!error->message.contains(u'\n'));
        };
        for (const auto what :
             { ExportRequest::What::Schedule, ExportRequest::What::Contacts, ExportRequest::What::Problems })
            check(CsvExport::run(request(what, output)).error, mentions);
        check(CsvExport::checkOutputPath(output, m_db), mentions);
        check(CsvExport::writeRows(output, CsvOptions(), { u"a"_s }, {}, [](QStringList &) { return false; })
                  .error,
              orphanMentions);
        QStringListModel model({ u"x"_s });
        ModelCsvExport view(&model, output, CsvOptions());
        QVERIFY(!view.start().ok());
        check(view.error(), orphanMentions);
        QCOMPARE(readFile(m_db), before);
        QVERIFY(QFileInfo(m_db).isFile());
    }

    void contactsKeepZipAsText()
    {
        const QString out = m_dir.filePath(u"contacts.csv"_s);
        ExportRequest r = request(ExportRequest::What::Contacts, out);
        r.options.utf8Bom = true;
        const ExportOutcome outcome = CsvExport::run(r);
        QVERIFY(outcome.ok());
        QCOMPARE(outcome.rows, count(m_db, "SELECT COUNT(*) FROM contacts"));
        const QByteArray bytes = readFile(out);
        QVERIFY(bytes.startsWith("\xEF\xBB\xBF"));
        // ZIP and phone columns are quoted, so leading zeros survive a spreadsheet.
        QVERIFY(bytes.contains(",\"95046\","));
        QVERIFY(bytes.contains("\"+18326598379\""));
    }

    void problems()
    {
        const QString out = m_dir.filePath(u"problems.csv"_s);
        const ExportOutcome outcome = CsvExport::run(request(ExportRequest::What::Problems, out));
        QVERIFY2(outcome.ok(), qPrintable(outcome.error ? outcome.error->message : QString()));
        const auto records = CsvReader::parse(QString::fromUtf8(readFile(out)));
        QCOMPARE(records.size(), outcome.rows + 1);
        QCOMPARE(records.first(),
                 (QStringList { u"contact_id"_s, u"first_name"_s, u"last_name"_s, u"email"_s, u"severity"_s,
                                u"problem_code"_s, u"message"_s }));
        for (qsizetype i = 1; i < records.size(); ++i)
            QVERIFY(records[i][4] == u"error"_s || records[i][4] == u"warning"_s);
    }

    void missingDatabase()
    {
        ExportRequest r = request(ExportRequest::What::Contacts, m_dir.filePath(u"never.csv"_s));
        r.dbPath = m_dir.filePath(u"nope.sqlite3"_s);
        const ExportOutcome outcome = CsvExport::run(r);
        QVERIFY(!outcome.ok());
        QVERIFY2(outcome.error->is(CsvErrorKind::Database), qPrintable(outcome.error->message));
        QVERIFY(outcome.error->message.contains(u"nope.sqlite3"_s));
        QVERIFY(!QFile::exists(r.outputPath));
    }

    void unwritablePath_data()
    {
        QTest::addColumn<QString>("path");
        QTest::newRow("missing folder") << m_dir.filePath(u"no/such/folder/out.csv"_s);
        QTest::newRow("a folder") << m_dir.path();
        // Nobody, root included, can create files in /proc.
        QTest::newRow("no permission") << u"/proc/es-export.csv"_s;
    }

    void unwritablePath()
    {
        QFETCH(QString, path);
        const ExportOutcome outcome = CsvExport::run(request(ExportRequest::What::Schedule, path));
        QVERIFY(!outcome.ok());
        QVERIFY2(outcome.error->is(CsvErrorKind::File), qPrintable(outcome.error->message));
        QVERIFY2(outcome.error->message.contains(path), qPrintable(outcome.error->message));
        if (path != m_dir.path())
            QVERIFY(!QFile::exists(path));
    }

    void cancelKeepsPreviousFile()
    {
        const QString out = m_dir.filePath(u"keep.csv"_s);
        {
            QFile f(out);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write("previous content\n");
        }
        qint64 calls = 0;
        const ExportOutcome outcome
            = CsvExport::run(request(ExportRequest::What::Schedule, out), [&](qint64 done, qint64 total) {
                  ++calls;
                  Q_UNUSED(total);
                  return done < 8192; // cancel half way
              });
        QVERIFY(!outcome.ok());
        QVERIFY2(outcome.error->is(CsvErrorKind::Cancelled), qPrintable(outcome.error->message));
        QVERIFY(calls >= 2);
        QCOMPARE(readFile(out), QByteArray("previous content\n"));
        QCOMPARE(QDir(m_dir.path()).entryList({ u"keep.csv*"_s }, QDir::Files | QDir::Hidden).size(), 1);
    }

    void asyncCancel()
    {
        const QString out = m_dir.filePath(u"async.csv"_s);
        QVERIFY(QFile(out).open(QIODevice::WriteOnly));
        QFuture<ExportOutcome> future = CsvExport::runAsync(request(ExportRequest::What::Schedule, out));
        future.cancel();
        future.waitForFinished();
        // Either the cancel came before the start (no result) or the worker noticed it.
        if (future.resultCount() > 0)
            QVERIFY(!future.result().ok() || future.result().rows > 0);
        QVERIFY(QFile::exists(out));

        QFutureWatcher<ExportOutcome> watcher;
        QSignalSpy finished(&watcher, &QFutureWatcher<ExportOutcome>::finished);
        watcher.setFuture(CsvExport::runAsync(request(ExportRequest::What::Schedule, out)));
        QVERIFY(finished.wait(20000));
        QVERIFY(watcher.future().result().ok());
        QCOMPARE(CsvReader::parse(QString::fromUtf8(readFile(out))).size(),
                 count(m_db, "SELECT COUNT(*) FROM email_schedules") + 1);
    }

    void computedPreviewMatchesCli()
    {
        const QString db = m_dir.filePath(u"preview.sqlite3"_s);
        QVERIFY(QFile::copy(qEnvironmentVariable("ES_TEST_DATA") + u"/samples/org-206.sqlite3"_s, db));
        BatchOptions options;
        options.databasePath = db;
        options.today = QDate(2025, 6, 1);
        auto batch = BatchJob::run(options);
        QVERIFY2(batch.ok(), qPrintable(batch.errorMessage()));
        const QString ours = m_dir.filePath(u"preview-gui.csv"_s);
        const ExportOutcome outcome = CsvExport::exportPreview(**batch, ours, CsvOptions());
        QVERIFY(outcome.ok());
        QVERIFY(outcome.rows > 600);

        const QString cli = m_dir.filePath(u"preview-cli.csv"_s);
        QProcess p;
        p.start(qEnvironmentVariable("ES_CLI"),
                { u"preview"_s, u"--db"_s, db, u"--today"_s, u"2025-06-01"_s, u"--output"_s, cli });
        QVERIFY(p.waitForFinished(120000));
        QCOMPARE(p.exitCode(), 0);
        const auto a = CsvReader::parse(QString::fromUtf8(readFile(ours)));
        const auto b = CsvReader::parse(QString::fromUtf8(readFile(cli)));
        QCOMPARE(a.size(), b.size());
        for (qsizetype i = 0; i < a.size(); ++i)
            QCOMPARE(a[i], b[i]);
    }

    void filteredView()
    {
        QStringListModel source({ u"apple"_s, u"=danger"_s, u"banana"_s, u"apricot"_s });
        QSortFilterProxyModel proxy;
        proxy.setSourceModel(&source);
        proxy.setFilterCaseSensitivity(Qt::CaseSensitive);
        proxy.setFilterRegularExpression(u"^(a|=)"_s);
        const QString out = m_dir.filePath(u"view.csv"_s);
        ModelCsvExport exporter(&proxy, out, CsvOptions());
        QVERIFY(exporter.start().ok());
        int slices = 0;
        while (exporter.writeSome(1))
            ++slices;
        QCOMPARE(slices, 3);
        const ExportOutcome outcome = exporter.finish();
        QVERIFY(outcome.ok());
        QCOMPARE(outcome.rows, 3);
        const auto records = CsvReader::parse(QString::fromUtf8(readFile(out)));
        QCOMPARE(records.size(), 4);
        QCOMPARE(records[1], QStringList { u"apple"_s });
        QCOMPARE(records[2], QStringList { u"'=danger"_s });
        QCOMPARE(records[3], QStringList { u"apricot"_s });

        // A cancelled view export leaves the file as it was.
        ModelCsvExport cancelled(&proxy, out, CsvOptions());
        QVERIFY(cancelled.start().ok());
        cancelled.writeSome(2);
        cancelled.cancel();
        QCOMPARE(CsvReader::parse(QString::fromUtf8(readFile(out))).size(), 4);
    }
};

QTEST_GUILESS_MAIN(TestCsvExport)
#include "tst_csvexport.moc"
