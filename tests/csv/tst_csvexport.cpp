#include "batchjob.h"
#include "csvexport.h"
#include "csvreader.h"

#include <QFile>
#include <QFutureWatcher>
#include <QProcess>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QStringListModel>
#include <QTemporaryDir>
#include <QTest>

#include <sqlite3.h>

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
        sqlite3 *h = nullptr;
        QCOMPARE(sqlite3_open_v2(QFile::encodeName(db).constData(), &h, SQLITE_OPEN_READWRITE, nullptr),
                 SQLITE_OK);
        char *err = nullptr;
        const int rc = sqlite3_exec(h, sql, nullptr, nullptr, &err);
        const QString message = QString::fromUtf8(err ? err : "");
        sqlite3_free(err);
        sqlite3_close(h);
        QVERIFY2(rc == SQLITE_OK, qPrintable(message));
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
        const auto records = CsvReader::parse(QString::fromUtf8(readFile(out)));
        QCOMPARE(records.size(), rows + 1);
        QCOMPARE(records.first().first(), u"id"_s);
        QVERIFY(records.first().contains(u"scheduled_send_date"_s));
        // The formula guard applies to stored text too.
        QCOMPARE(records.last().at(records.first().indexOf(u"skip_reason"_s)),
                 u"spacing: =cmd, \"quoted\""_s);
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
        QCOMPARE(outcome.error->code, int(CsvErrorKind::Database));
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
        QCOMPARE(outcome.error->code, int(CsvErrorKind::File));
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
        QCOMPARE(outcome.error->code, int(CsvErrorKind::Cancelled));
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
