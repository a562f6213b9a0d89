// Export and import on a PostgreSQL organisation: every export of a generated organisation (with
// messy rows, a legacy REAL column and schedule rows of every kind) is byte for byte the one of
// the SQLite file it was copied from; importing the same CSV file into both gives the same
// contacts and the same rejected-row report.

#include "csv/contactimport.h"
#include "csv/csvexport.h"
#include "items/contactcolumn.h"
#include "pgcluster.h"
#include "storage/demogenerator.h"
#include "storage/orgdatabase.h"
#include "storage/pg/orgcopy.h"
#include "storage/statement.h"

#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

namespace {

const QDate kToday(2025, 3, 1);

QByteArray readAll(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

// The contact table's view with every column, by id: what the program knows of each contact.
ExportRequest::ContactView everyColumn()
{
    ExportRequest::ContactView view;
    view.index.today = kToday;
    for (int c = 0; c < ContactColumn::ColumnCount; ++c) {
        view.columns << c;
        view.headers << QString::number(c);
    }
    return view;
}

} // namespace

class TestPgCsv : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void exportsAreByteForByteTheSame_data();
    void exportsAreByteForByteTheSame();
    void exportThroughTheCommandLine();
    void importGivesTheSameContacts_data();
    void importGivesTheSameContacts();

private:
    QByteArray exportOf(const QString &database, ExportRequest request, const QString &name);
    QString copyOf(const QString &file, const QString &name);

    PgCluster m_cluster;
    QTemporaryDir m_dir;
    QString m_file; // generated SQLite organisation
    QString m_uri;  // the same, copied to PostgreSQL
};

QString TestPgCsv::copyOf(const QString &file, const QString &name)
{
    const QString uri = m_cluster.createDatabase(name);
    if (uri.isEmpty())
        return {};
    const auto copied = OrgCopy::copy(file, uri);
    return copied.ok() ? uri : QString();
}

void TestPgCsv::initTestCase()
{
    QVERIFY2(m_cluster.start(), qPrintable(m_cluster.error()));
    QVERIFY(m_dir.isValid());
    m_file = m_dir.filePath(u"org.sqlite3"_s);
    DemoGenerator::Options options;
    options.path = m_file;
    options.contacts = 3000;
    options.seed = 5;
    options.today = kToday;
    options.messyFraction = 0.3;
    const auto generated = DemoGenerator::generate(options);
    QVERIFY2(generated.ok(), qPrintable(generated.errorMessage()));
    {
        auto db = OrgDatabase::open(m_file, OrgDatabase::Mode::ReadWrite);
        QVERIFY2(db.ok(), qPrintable(db.errorMessage()));
        const auto changed = db->exec(
            "ALTER TABLE contacts ADD COLUMN score REAL;"
            "UPDATE contacts SET score = CASE id % 5 WHEN 0 THEN id / 7.0 WHEN 1 THEN 2.0 WHEN 2 THEN 1e20 "
            "WHEN 3 THEN -0.1 ELSE NULL END;"
            "UPDATE contacts SET current_carrier = '=cmd()' WHERE id = 3;"
            "UPDATE contacts SET first_name = 'Zoë \"Q\", Jr.' || char(10) || 'line' WHERE id = 4;"
            "INSERT OR IGNORE INTO email_schedules (contact_id, email_type, scheduled_send_date, status, "
            "skip_reason, catchup_note) SELECT id, CASE id % 3 WHEN 0 THEN 'birthday' WHEN 1 THEN "
            "'SCHEDULED_RATE_INCREASE' ELSE 'Followup_1_cold' END, '2025-03-10', CASE id % 4 WHEN 0 THEN "
            "'pre-scheduled' WHEN 1 THEN 'skipped' WHEN 2 THEN 'Delivered' ELSE 'scheduled' END, "
            "CASE id % 4 WHEN 1 THEN 'spacing: too close to the birthday email' END, CASE id % 4 WHEN 3 "
            "THEN 'sent late' END FROM contacts WHERE id % 5 = 0;"
            "INSERT OR IGNORE INTO email_schedules (contact_id, email_type, scheduled_send_date, status) "
            "VALUES (999999, 'birthday', '2025-04-01', 'pre-scheduled');",
            u"prepare"_s);
        QVERIFY2(changed.ok(), qPrintable(changed.errorMessage()));
    }
    m_uri = copyOf(m_file, u"org"_s);
    QVERIFY2(!m_uri.isEmpty(), qPrintable(m_cluster.error()));
}

void TestPgCsv::cleanupTestCase()
{
    m_cluster.stop();
}

QByteArray TestPgCsv::exportOf(const QString &database, ExportRequest request, const QString &name)
{
    request.dbPath = database;
    request.outputPath = m_dir.filePath(name);
    request.today = kToday;
    const ExportOutcome outcome = CsvExport::run(request, [](qint64, qint64) { return true; });
    if (!outcome.ok())
        return "ERROR: " + outcome.error->message.toUtf8();
    return readAll(request.outputPath);
}

void TestPgCsv::exportsAreByteForByteTheSame_data()
{
    QTest::addColumn<int>("what");
    QTest::addColumn<bool>("view");
    QTest::addColumn<int>("minimumLines");
    QTest::newRow("schedule") << int(ExportRequest::What::Schedule) << false << 600;
    QTest::newRow("contacts") << int(ExportRequest::What::Contacts) << false << 3000;
    QTest::newRow("problems") << int(ExportRequest::What::Problems) << false << 400;
    QTest::newRow("the contact table's view") << int(ExportRequest::What::Contacts) << true << 400;
}

void TestPgCsv::exportsAreByteForByteTheSame()
{
    QFETCH(int, what);
    QFETCH(bool, view);
    QFETCH(int, minimumLines);
    ExportRequest request;
    request.what = ExportRequest::What(what);
    if (view) {
        // Contacts with problems, by birth date descending, some columns in another order.
        ExportRequest::ContactView contactView;
        contactView.index.filter.setQuickFilter(QuickFilter::WithProblems);
        contactView.index.sortColumn = ContactColumn::BirthDate;
        contactView.index.order = Qt::DescendingOrder;
        contactView.index.today = kToday;
        contactView.columns = { ContactColumn::BirthDate, ContactColumn::Id, ContactColumn::Email,
                                ContactColumn::Problems, ContactColumn::Zip };
        contactView.headers = { u"Birth date"_s, u"ID"_s, u"Email"_s, u"Problems"_s, u"ZIP"_s };
        request.contactView = contactView;
    }
    const QByteArray sqlite = exportOf(m_file, request, u"sqlite.csv"_s);
    const QByteArray server = exportOf(m_uri, request, u"server.csv"_s);
    QVERIFY2(!sqlite.startsWith("ERROR"), sqlite.constData());
    QVERIFY2(!server.startsWith("ERROR"), server.constData());
    QVERIFY2(sqlite.count('\n') >= minimumLines, QByteArray::number(sqlite.count('\n')).constData());
    if (server != sqlite) {
        const QList<QByteArray> a = sqlite.split('\n');
        const QList<QByteArray> b = server.split('\n');
        for (qsizetype i = 0; i < qMin(a.size(), b.size()); ++i) {
            if (a[i] != b[i])
                QFAIL(
                    QByteArray("line " + QByteArray::number(i + 1) + ": SQLite " + a[i] + " | server " + b[i])
                        .constData());
        }
        QCOMPARE(b.size(), a.size());
    }
    if (request.what == ExportRequest::What::Contacts && !view)
        QVERIFY(sqlite.contains(",1.0e+20\r\n") && sqlite.contains(",-0.1\r\n")
                && sqlite.contains(",2.0\r\n"));
}

void TestPgCsv::exportThroughTheCommandLine()
{
    const QString cliPath = qEnvironmentVariable("ES_CLI");
    const QString csv = m_dir.filePath(u"cli.csv"_s);
    QProcess process;
    process.start(cliPath, { u"export"_s, u"--db"_s, m_uri, u"--what"_s, u"schedule"_s, u"--output"_s, csv });
    QVERIFY(process.waitForFinished(60000));
    QVERIFY2(process.exitCode() == 0, process.readAllStandardError().constData());
    ExportRequest request;
    request.what = ExportRequest::What::Schedule;
    QCOMPARE(readAll(csv), exportOf(m_file, request, u"sqlite-schedule.csv"_s));
    // Missing schedule table: the one-line message names the server, and no file is written.
    const QString bare = m_cluster.createDatabase(u"bare"_s);
    QVERIFY(m_cluster.exec("CREATE TABLE contacts (id bigint, email text)", u"bare"_s));
    const QString none = m_dir.filePath(u"none.csv"_s);
    process.start(cliPath, { u"export"_s, u"--db"_s, bare, u"--what"_s, u"schedule"_s, u"--output"_s, none });
    QVERIFY(process.waitForFinished(60000));
    QCOMPARE(process.exitCode(), 2);
    const QByteArray err = process.readAllStandardError();
    QVERIFY2(err.contains("postgresql://postgres@") && err.contains("has no schedule yet"), err.constData());
    QVERIFY(!QFile::exists(none));
}

void TestPgCsv::importGivesTheSameContacts_data()
{
    QTest::addColumn<int>("onConflict");
    QTest::newRow("skip") << int(ContactImport::OnConflict::Skip);
    QTest::newRow("update") << int(ContactImport::OnConflict::Update);
}

void TestPgCsv::importGivesTheSameContacts()
{
    QFETCH(int, onConflict);
    // A file with new contacts, contacts already stored (by email, any case and spaces), and
    // rows the checks reject (one repeats an email of the file).
    const QString csvPath = m_dir.filePath(u"import.csv"_s);
    {
        QFile csv(csvPath);
        QVERIFY(csv.open(QIODevice::WriteOnly));
        csv.write("First Name,Last Name,E-mail,DOB,Effective Date,State,Zip,Phone\n"
                  "Ada,Byron,ada@example.com,1950-12-10,2020-04-01,CA,90001,555-0100\n"
                  "Alan,Turing,ALAN@example.com ,06/23/1952,2019-01-01,NY,10001,\n"
                  "Grace,Hopper,grace@example.com,1946-12-09,,TX,2134,\n"
                  "Ada,Again,Ada@Example.com,1950-12-10,2020-04-01,CA,90001,\n"
                  "No,Email,,1950-01-01,,CA,90001,\n"
                  "Bad,Date,bad@example.com,1950-13-45,,CA,90001,\n"
                  "Émile,Zola,emile@example.com,1940-04-02,2021-02-03,NJ,07001,\n");
        // Two stored contacts, by their email in another case.
        auto db = OrgDatabase::open(m_file, OrgDatabase::Mode::ReadOnly);
        QVERIFY(db.ok());
        for (const qint64 id : { 10, 11 }) {
            auto stmt
                = Statement::prepare(*db, u"SELECT email FROM contacts WHERE id = %1"_s.arg(id), u"read"_s);
            QVERIFY(stmt.ok());
            const auto row = stmt->step();
            QVERIFY(row.ok() && *row);
            csv.write("Changed,Name," + stmt->text(0).toUpper().toUtf8()
                      + ",1951-01-01,2020-01-01,FL,33101,\n");
        }
    }
    const QString file = m_dir.filePath(u"import-%1.sqlite3"_s.arg(onConflict));
    QVERIFY(QFile::copy(m_file, file));
    const QString uri = copyOf(m_file, u"import%1"_s.arg(onConflict));
    QVERIFY(!uri.isEmpty());

    ContactImport::ImportSettings settings;
    settings.csvPath = csvPath;
    settings.dialect.header = true;
    auto head = ContactImport::preview(csvPath, settings.dialect, 0);
    QVERIFY(head.ok());
    settings.mapping = head->guessedMapping;
    settings.onConflict = ContactImport::OnConflict(onConflict);
    settings.today = kToday;
    const auto sqlite = ContactImport::run(file, settings);
    QVERIFY2(sqlite.ok(), qPrintable(sqlite.errorMessage()));
    const auto server = ContactImport::run(uri, settings);
    QVERIFY2(server.ok(), qPrintable(server.errorMessage()));
    QCOMPARE(server->rows, sqlite->rows);
    QCOMPARE(server->inserted, sqlite->inserted);
    QCOMPARE(server->updated, sqlite->updated);
    QCOMPARE(server->skippedExisting, sqlite->skippedExisting);
    QCOMPARE(server->failedRows, sqlite->failedRows);
    QCOMPARE(sqlite->inserted, 4);   // Ada, Alan, Grace (ZIP 02134), Émile
    QCOMPARE(sqlite->failedRows, 3); // Ada again (in the file), no email, a bad birth date
    QCOMPARE(settings.onConflict == ContactImport::OnConflict::Update ? sqlite->updated
                                                                      : sqlite->skippedExisting,
             2); // the two stored ones
    for (qsizetype i = 0; i < sqlite->failures.size(); ++i) {
        QCOMPARE(server->failures[i].line, sqlite->failures[i].line);
        QCOMPARE(server->failures[i].reason, sqlite->failures[i].reason);
    }

    ExportRequest request;
    request.what = ExportRequest::What::Contacts;
    request.contactView = everyColumn();
    const QByteArray fromFile = exportOf(file, request, u"imported-sqlite.csv"_s);
    const QByteArray fromServer = exportOf(uri, request, u"imported-server.csv"_s);
    QVERIFY(fromFile.contains("grace@example.com") && fromFile.contains("02134"));
    QCOMPARE(fromServer, fromFile);
    request.contactView.reset();
    request.what = ExportRequest::What::Problems;
    QCOMPARE(exportOf(uri, request, u"problems-server.csv"_s),
             exportOf(file, request, u"problems-sqlite.csv"_s));

    // Importing again changes nothing on either backend: every email is stored now.
    const auto again = ContactImport::run(uri, settings);
    QVERIFY2(again.ok(), qPrintable(again.errorMessage()));
    QCOMPARE(again->inserted, 0);
}

QTEST_GUILESS_MAIN(TestPgCsv)
#include "tst_pgcsv.moc"
