#include "csv/contactimport.h"
#include "csv/csvexport.h"
#include "sqlitetestutil.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QSemaphore>
#include <QStringEncoder>
#include <QTemporaryDir>
#include <QTest>

#include <sqlite3.h>

#include <thread>

using namespace Qt::StringLiterals;
using namespace ContactImport;

// ContactImport: mapping, checks through the engine, the transaction and conflicts.
class TestContactImport : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    const QDate m_today { 2025, 6, 1 };

    QString copySample(const QString &sample, const QString &name)
    {
        const QString path = m_dir.filePath(name);
        QFile::remove(path);
        if (!QFile::copy(qEnvironmentVariable("ES_TEST_DATA") + u"/samples/"_s + sample, path))
            qFatal("cannot copy sample");
        QFile::setPermissions(path, QFile::ReadOwner | QFile::WriteOwner);
        return path;
    }

    QString writeCsv(const QString &name, const QByteArray &bytes)
    {
        const QString path = m_dir.filePath(name);
        QFile f(path);
        if (!f.open(QIODevice::WriteOnly))
            qFatal("cannot write csv");
        f.write(bytes);
        return path;
    }

    static QString queryText(const QString &db, const QString &sql)
    {
        sqlite3 *h = nullptr;
        sqlite3_open_v2(QFile::encodeName(db).constData(), &h, SQLITE_OPEN_READONLY, nullptr);
        sqlite3_stmt *s = nullptr;
        sqlite3_prepare_v2(h, sql.toUtf8().constData(), -1, &s, nullptr);
        QString v = u"<no row>"_s;
        if (sqlite3_step(s) == SQLITE_ROW)
            v = QString::fromUtf8(reinterpret_cast<const char *>(sqlite3_column_text(s, 0)));
        sqlite3_finalize(s);
        sqlite3_close(h);
        return v;
    }

    static qint64 count(const QString &db, const QString &sql = u"SELECT COUNT(*) FROM contacts"_s)
    {
        return queryText(db, sql).toLongLong();
    }

    static void exec(const QString &db, const char *sql)
    {
        QString message;
        QVERIFY2(SqliteTestUtil::execSql(db, sql, &message), qPrintable(message));
    }

    static QStringList tempSpillFiles()
    {
        return QDir::temp().entryList({ u"email-scheduler-rejected-*"_s }, QDir::Files);
    }

    ImportSettings settingsFor(const QString &csv)
    {
        ImportSettings s;
        s.csvPath = csv;
        auto dialect = CsvDialect::detectFile(csv);
        if (!dialect.ok())
            qFatal("detect failed");
        s.dialect = *dialect;
        auto p = preview(csv, s.dialect, 5);
        if (!p.ok())
            qFatal("preview failed");
        s.mapping = p->guessedMapping;
        s.today = m_today;
        return s;
    }

private slots:
    void synonyms_data()
    {
        QTest::addColumn<QString>("header");
        QTest::addColumn<int>("field");
        QTest::newRow("DOB") << u"DOB"_s << int(Field::BirthDate);
        QTest::newRow("Birthdate") << u"Birthdate"_s << int(Field::BirthDate);
        QTest::newRow("Date of Birth") << u"Date of Birth"_s << int(Field::BirthDate);
        QTest::newRow("date_of_birth") << u"date_of_birth"_s << int(Field::BirthDate);
        QTest::newRow("Zip") << u"Zip"_s << int(Field::ZipCode);
        QTest::newRow("Postal Code") << u"Postal Code"_s << int(Field::ZipCode);
        QTest::newRow("Effective Date") << u"Effective Date"_s << int(Field::EffectiveDate);
        QTest::newRow("E-mail") << u" E-mail "_s << int(Field::Email);
        QTest::newRow("First Name") << u"First Name"_s << int(Field::FirstName);
        QTest::newRow("LAST_NAME") << u"LAST_NAME"_s << int(Field::LastName);
        QTest::newRow("Phone") << u"Phone"_s << int(Field::PhoneNumber);
        QTest::newRow("unknown") << u"Favourite colour"_s << -1;
    }

    void synonyms()
    {
        QFETCH(QString, header);
        QFETCH(int, field);
        const auto f = fieldForHeader(header);
        QCOMPARE(f ? int(*f) : -1, field);
    }

    void mappingJson()
    {
        const QStringList header { u"Mail Addr"_s, u"Geburtstag"_s, u"Zip"_s, u"DOB"_s };
        auto m
            = Mapping::fromJson(R"({"email": "Mail Addr", "birth_date": "geburtstag"})", header, u"m.json"_s);
        QVERIFY(m.ok());
        QCOMPARE(m->column(Field::Email), 0);
        QCOMPARE(m->column(Field::BirthDate), 1);
        QCOMPARE(m->column(Field::ZipCode), 2); // guessed
        auto bad = Mapping::fromJson(R"({"email": "Missing"})", header, u"m.json"_s);
        QVERIFY(!bad.ok());
        QVERIFY(bad.errorMessage().contains(u"m.json"_s) && bad.errorMessage().contains(u"Missing"_s));
        QVERIFY(!Mapping::fromJson(R"({"shoe_size": "Zip"})", header, u"m.json"_s).ok());
        QVERIFY(!Mapping::fromJson("[1]", header, u"m.json"_s).ok());
    }

    void dateFormats_data()
    {
        QTest::addColumn<QString>("value");
        QTest::addColumn<QString>("format");
        QTest::newRow("iso") << u"1955-01-31"_s << u"YYYY-MM-DD"_s;
        QTest::newRow("iso time") << u"1955-01-31 00:00:00"_s << u"YYYY-MM-DD"_s;
        QTest::newRow("us") << u"1/31/1955"_s << u"M/D/YYYY"_s;
        QTest::newRow("us dash") << u"01-31-1955"_s << u"M-D-YYYY"_s;
        QTest::newRow("slash iso") << u"1955/01/31"_s << u"YYYY/MM/DD"_s;
        QTest::newRow("compact") << u"01311955"_s << u"MMDDYYYY"_s;
        QTest::newRow("garbage") << u"Jan 31"_s << QString();
    }

    void dateFormats()
    {
        QFETCH(QString, value);
        QFETCH(QString, format);
        QCOMPARE(dateFormatOf(value), format);
    }

    void bigImportWithBadRows()
    {
        const QString db = copySample(u"org-206.sqlite3"_s, u"big.sqlite3"_s);
        const qint64 before = count(db);
        QByteArray csv = "First Name,Last Name,E-mail,DOB,Effective Date,Zip,State,Phone\r\n";
        constexpr int N = 100000;
        qint64 expectedBad = 0;
        QList<int> badLines;
        for (int i = 0; i < N; ++i) {
            const bool badEmail = i % 10 == 3;
            const bool badDate = i % 17 == 5;
            const bool noState = i % 23 == 7;
            const QByteArray n = QByteArray::number(i);
            csv += "Ann" + n + ",\"O'Neil, Jr\","
                + (badEmail ? QByteArray("bad-email-" + n) : QByteArray("ann" + n + "@example.com")) + ","
                + QByteArray(badDate ? "13/45/1950" : (i % 2 ? "3/7/1950" : "1950-03-07")) + ",2020-01-01,"
                + QByteArray(noState ? "" : (i % 3 == 0 ? "2134" : "66210")) + ",," + "\"0712345\"\r\n";
            if (badEmail || badDate || noState) {
                ++expectedBad;
                badLines.append(i + 2);
            }
        }
        const QString path = writeCsv(u"big.csv"_s, csv);
        ImportSettings s = settingsFor(path);
        QVERIFY(s.dialect.header);
        QElapsedTimer timer;
        timer.start();
        auto report = run(db, s);
        QVERIFY2(report.ok(), qPrintable(report.errorMessage()));
        qInfo("imported %d rows in %lld ms", N, qint64(timer.elapsed()));
        QCOMPARE(report->rows, N);
        QCOMPARE(report->failedRows, expectedBad);
        QCOMPARE(report->inserted, N - expectedBad);
        QCOMPARE(count(db), before + N - expectedBad);
        QCOMPARE(report->failures.size(), expectedBad);
        for (qsizetype i = 0; i < badLines.size(); ++i)
            QCOMPARE(report->failures[i].line, badLines[i]);
        // Line 5 is i = 3: the bad email.
        QCOMPARE(report->failures.first().field, u"email"_s);
        // Dates are stored as YYYY-MM-DD, the state derived from the ZIP, leading zeros kept.
        QCOMPARE(queryText(db,
                           u"SELECT birth_date || '|' || state || '|' || zip_code || '|' || phone_number "
                           "FROM contacts WHERE email = 'ann0@example.com'"_s),
                 u"1950-03-07|MA|02134|0712345"_s); // the spreadsheet's lost leading zero is back
        QCOMPARE(queryText(db, u"SELECT birth_date FROM contacts WHERE email = 'ann1@example.com'"_s),
                 u"1950-03-07"_s);
        QCOMPARE(queryText(db, u"SELECT last_name FROM contacts WHERE email = 'ann1@example.com'"_s),
                 u"O'Neil, Jr"_s);
        // Date report: N of M parse.
        QCOMPARE(report->dates.size(), 2);
        QCOMPARE(report->dates[0].field, Field::BirthDate);
        QCOMPARE(report->dates[0].parsed + (N + 16) / 17, report->dates[0].nonEmpty);

        // The failures export: line, field, reason, then the record.
        const QString failures = m_dir.filePath(u"failures.csv"_s);
        QVERIFY(writeFailures(failures, *report).ok());
        QFile f(failures);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QVERIFY(f.readLine().startsWith("line,field,reason,First Name"));
        QVERIFY(f.readLine().startsWith("5,email,"));

        // Running the same file again: every good row now exists and is skipped.
        auto again = run(db, s);
        QVERIFY(again.ok());
        QCOMPARE(again->skippedExisting, N - expectedBad);
        QCOMPARE(again->inserted, 0);
    }

    void conflicts()
    {
        const QString db = copySample(u"org-206.sqlite3"_s, u"conflict.sqlite3"_s);
        const qint64 before = count(db);
        const QString path = writeCsv(u"conflict.csv"_s,
                                      "email,first_name,zip_code\n"
                                      "new1@example.com,New,66210\n"
                                      "REUBEN.BROOKS+contact1@medicaremax.ai,Changed,66210\n"
                                      "new2@example.com,New,66210\n");
        ImportSettings s = settingsFor(path);

        s.onConflict = OnConflict::Abort;
        auto aborted = run(db, s);
        QVERIFY(!aborted.ok());
        QVERIFY(aborted.errorMessage().contains(u"line 3"_s));
        QCOMPARE(count(db), before); // all or nothing: new1 was rolled back

        s.onConflict = OnConflict::Skip;
        auto skipped = run(db, s);
        QVERIFY(skipped.ok());
        QCOMPARE(skipped->inserted, 2);
        QCOMPARE(skipped->skippedExisting, 1);
        QCOMPARE(queryText(db, u"SELECT first_name FROM contacts WHERE id = 1"_s), u"Reuben"_s);

        s.onConflict = OnConflict::Update;
        auto updated = run(db, s);
        QVERIFY(updated.ok());
        QCOMPARE(updated->updated, 3);
        QCOMPARE(queryText(db, u"SELECT first_name || '|' || state FROM contacts WHERE id = 1"_s),
                 u"Changed|KS"_s);
        QCOMPARE(count(db), before + 2);
    }

    void duplicateInFile()
    {
        const QString db = copySample(u"org-206.sqlite3"_s, u"dup.sqlite3"_s);
        const QString path = writeCsv(u"dup.csv"_s, "email,zip\na@example.com,66210\nA@Example.com,66210\n");
        auto report = run(db, settingsFor(path));
        QVERIFY(report.ok());
        QCOMPARE(report->inserted, 1);
        QCOMPARE(report->failedRows, 1);
        QVERIFY(report->failures.first().reason.contains(u"line 2"_s));
    }

    void latin1AndOlderSchema()
    {
        // org-12 declares tobacco_user and others NOT NULL without default.
        const QString db = copySample(u"org-12.db"_s, u"org12.db"_s);
        const qint64 before = count(db);
        const QString path
            = writeCsv(u"latin1.csv"_s,
                       QString(u"Prénom;Nom;Courriel;Zip\nZoë;Besançon;zoe@example.fr;66210\n"_s).toLatin1());
        ImportSettings s = settingsFor(path);
        QCOMPARE(s.dialect.encoding, CsvDialect::Encoding::Latin1);
        QCOMPARE(s.dialect.separator, QChar(u';'));
        // "Prénom" is no known header: map by JSON as a user would.
        auto m = Mapping::fromJson(R"({"first_name": "Prénom", "last_name": "Nom", "email": "Courriel"})",
                                   { u"Prénom"_s, u"Nom"_s, u"Courriel"_s, u"Zip"_s }, u"map.json"_s);
        QVERIFY2(m.ok(), qPrintable(m.errorMessage()));
        s.mapping = *m;
        auto report = run(db, s);
        QVERIFY2(report.ok(), qPrintable(report.errorMessage()));
        QCOMPARE(report->inserted, 1);
        QCOMPARE(count(db), before + 1);
        QCOMPARE(
            queryText(db,
                      u"SELECT first_name || ' ' || last_name || ' ' || tobacco_user || ' ' || state FROM "
                      "contacts WHERE email = 'zoe@example.fr'"_s),
            u"Zoë Besançon 0 KS"_s);
    }

    void errors()
    {
        const QString db = copySample(u"org-206.sqlite3"_s, u"err.sqlite3"_s);
        const QString path = writeCsv(u"noemail.csv"_s, "name,zip\nx,66210\n");
        auto noEmail = run(db, settingsFor(path));
        QVERIFY(!noEmail.ok());
        QVERIFY2(noEmail.error().is(CsvErrorKind::File), qPrintable(noEmail.error().message));

        const QString good = writeCsv(u"good.csv"_s, "email,zip\nq@example.com,66210\n");
        auto missingDb = run(m_dir.filePath(u"missing.db"_s), settingsFor(good));
        QVERIFY(!missingDb.ok());
        QVERIFY2(missingDb.error().is(CsvErrorKind::Database), qPrintable(missingDb.error().message));

        ImportSettings s = settingsFor(good);
        s.csvPath = m_dir.filePath(u"gone.csv"_s);
        auto missingCsv = run(db, s);
        QVERIFY(!missingCsv.ok());
        QVERIFY(missingCsv.errorMessage().contains(u"gone.csv"_s));

        auto cancelled
            = run(db,
                  settingsFor(writeCsv(u"many.csv"_s,
                                       [] {
                                           QByteArray b = "email,zip\n";
                                           for (int i = 0; i < 10000; ++i)
                                               b += "c" + QByteArray::number(i) + "@example.com,66210\n";
                                           return b;
                                       }())),
                  [](qint64, qint64) { return false; });
        QVERIFY(!cancelled.ok());
        QVERIFY2(cancelled.error().is(CsvErrorKind::Cancelled), qPrintable(cancelled.error().message));
        QCOMPARE(count(db, u"SELECT COUNT(*) FROM contacts WHERE email LIKE 'c%@example.com'"_s), 0);
    }

    void concurrentImportsAddEachContactOnce()
    {
        // Two imports of the same file at the same time (two windows, two CLI processes): the
        // second must read the existing emails only once the first has committed, so each
        // contact is stored once and the second import skips them all. Without its unique
        // index (some production tables have none) nothing but the import prevents duplicates.
        const QString db = copySample(u"org-12.db"_s, u"concurrent.db"_s);
        exec(db, "DROP INDEX idx_contacts_email_unique");
        const qint64 before = count(db);
        QByteArray csv = "email,first_name,zip\n";
        constexpr int N = 20000;
        for (int i = 0; i < N; ++i)
            csv += "twice" + QByteArray::number(i) + "@example.com,Twice,66210\n";
        const ImportSettings s = settingsFor(writeCsv(u"concurrent.csv"_s, csv));

        // The first import stops inside its transaction (write lock held, rows inserted but not
        // committed) until the second one has started.
        QSemaphore firstHoldsLock;
        QSemaphore secondStarted;
        bool paused = false;
        Result<ImportReport> first = Error { u"not run"_s };
        Result<ImportReport> second = Error { u"not run"_s };
        std::thread firstThread([&] {
            first = run(db, s, [&](qint64, qint64) {
                if (!paused) {
                    paused = true;
                    firstHoldsLock.release();
                    secondStarted.acquire();
                }
                return true;
            });
        });
        QVERIFY(firstHoldsLock.tryAcquire(1, 60000));
        std::thread secondThread([&] {
            secondStarted.release();
            second = run(db, s);
        });
        firstThread.join();
        secondThread.join();
        QVERIFY2(first.ok(), qPrintable(first.errorMessage()));
        QVERIFY2(second.ok(), qPrintable(second.errorMessage()));
        QCOMPARE(first->inserted + second->inserted, N);
        QCOMPARE(first->skippedExisting + second->skippedExisting, N);
        QCOMPARE(count(db), before + N);
        QCOMPARE(count(db,
                       u"SELECT COUNT(*) FROM (SELECT lower(email) FROM contacts GROUP BY lower(email) "
                       "HAVING COUNT(*) > 1)"_s),
                 0);
    }

    void sqliteReasonKeptInErrors()
    {
        // A trigger (or constraint) of the production table refuses a row in the middle of the
        // file: the message says why in SQLite's words and names the line; nothing is written.
        const QString db = copySample(u"org-206.sqlite3"_s, u"trigger.sqlite3"_s);
        const qint64 before = count(db);
        exec(db,
             "CREATE TRIGGER no_blocked BEFORE INSERT ON contacts WHEN NEW.email LIKE '%@blocked.example' "
             "BEGIN SELECT RAISE(ABORT, 'blocked.example is on the agency blocklist'); END");
        const QString path = writeCsv(u"trigger.csv"_s,
                                      "email,zip\n"
                                      "fine1@example.com,66210\n"
                                      "fine2@example.com,66210\n"
                                      "someone@blocked.example,66210\n"
                                      "fine3@example.com,66210\n");
        auto report = run(db, settingsFor(path));
        QVERIFY(!report.ok());
        QVERIFY2(report.error().is(CsvErrorKind::Database), qPrintable(report.error().message));
        QVERIFY2(report.errorMessage().contains(u"blocked.example is on the agency blocklist"_s),
                 qPrintable(report.errorMessage()));
        QVERIFY2(!report.errorMessage().contains(u"not an error"_s), qPrintable(report.errorMessage()));
        QVERIFY2(report.errorMessage().contains(u"trigger.csv line 4"_s), qPrintable(report.errorMessage()));
        QCOMPARE(count(db), before);

        // The same through an update (on conflict: update) and a CHECK-like trigger on UPDATE.
        exec(db,
             "CREATE TRIGGER no_renames BEFORE UPDATE OF first_name ON contacts "
             "BEGIN SELECT RAISE(ABORT, 'names are managed by the CRM'); END");
        const QString update = writeCsv(u"update.csv"_s,
                                        "email,first_name,zip\n"
                                        "REUBEN.BROOKS+contact1@medicaremax.ai,Renamed,66210\n");
        ImportSettings s = settingsFor(update);
        s.onConflict = OnConflict::Update;
        auto updated = run(db, s);
        QVERIFY(!updated.ok());
        QVERIFY2(updated.errorMessage().contains(u"names are managed by the CRM"_s),
                 qPrintable(updated.errorMessage()));
        QCOMPARE(queryText(db, u"SELECT first_name FROM contacts WHERE id = 1"_s), u"Reuben"_s);
    }

    void quotedColumnNames()
    {
        // Column names with spaces and quotes, NOT NULL without a default, as some production
        // tables have them: the import fills them and works.
        const QString db = m_dir.filePath(u"quoted.sqlite3"_s);
        QFile::remove(db);
        exec(db,
             "CREATE TABLE contacts (id INTEGER PRIMARY KEY, first_name TEXT, last_name TEXT, "
             "email TEXT NOT NULL, zip_code TEXT, state TEXT, \"Tobacco User\" INTEGER NOT NULL, "
             "\"Agent \"\"Nick\"\" Name\" TEXT NOT NULL, \"order\" TEXT NOT NULL)");
        const QString path
            = writeCsv(u"quoted.csv"_s,
                       "email,first_name,zip\nq1@example.com,Quinn,66210\nq2@example.com,Quill,66210\n");
        auto report = run(db, settingsFor(path));
        QVERIFY2(report.ok(), qPrintable(report.errorMessage()));
        QCOMPARE(report->inserted, 2);
        QCOMPARE(
            queryText(db,
                      u"SELECT first_name || '|' || \"Tobacco User\" || '|' || \"Agent \"\"Nick\"\" Name\" "
                      "|| '|' || state FROM contacts WHERE email = 'q1@example.com'"_s),
            u"Quinn|0||KS"_s);
        ImportSettings s = settingsFor(path);
        s.onConflict = OnConflict::Update;
        auto updated = run(db, s);
        QVERIFY2(updated.ok(), qPrintable(updated.errorMessage()));
        QCOMPARE(updated->updated, 2);
    }

    void unicodeTextFromExcel_data()
    {
        QTest::addColumn<int>("encoding");
        QTest::newRow("utf-16 le") << int(QStringConverter::Utf16LE);
        QTest::newRow("utf-16 be") << int(QStringConverter::Utf16BE);
        QTest::newRow("utf-32 le") << int(QStringConverter::Utf32LE);
        QTest::newRow("utf-32 be") << int(QStringConverter::Utf32BE);
    }

    void unicodeTextFromExcel()
    {
        // Excel's "Unicode text": UTF-16 LE with a BOM, tab-separated, CRLF.
        QFETCH(int, encoding);
        const QString db = copySample(u"org-206.sqlite3"_s, u"unicode.sqlite3"_s);
        const qint64 before = count(db);
        QStringEncoder encoder(QStringConverter::Encoding(encoding), QStringConverter::Flag::WriteBom);
        const QByteArray bytes = encoder.encode(u"First Name\tLast Name\tE-mail\tZip\r\n"
                                                "Zoë\tBesançon\tzoe.unicode@example.com\t66210\r\n"
                                                "Łukasz\tŻółć\tlukasz.unicode@example.com\t2134\r\n"_s);
        const QString path = writeCsv(u"unicode.txt"_s, bytes);
        const ImportSettings s = settingsFor(path);
        QVERIFY(s.dialect.hasBom);
        auto report = run(db, s);
        QVERIFY2(report.ok(), qPrintable(report.errorMessage()));
        QCOMPARE(report->rows, 2);
        QCOMPARE(report->inserted, 2);
        QCOMPARE(count(db), before + 2);
        QCOMPARE(queryText(db,
                           u"SELECT first_name || ' ' || last_name || ' ' || state FROM contacts "
                           "WHERE email = 'lukasz.unicode@example.com'"_s),
                 u"Łukasz Żółć MA"_s);
    }

    void nulCharactersRejectTheRow()
    {
        const QString db = copySample(u"org-206.sqlite3"_s, u"nul.sqlite3"_s);
        const qint64 before = count(db);
        const QString path = writeCsv(u"nul.csv"_s,
                                      "email,first_name,zip\n"
                                      "good.nul@example.com,Good,66210\n"
                                      "bad.nul@example.com\0evil,Bad,66210\n"
                                      "name.nul@example.com,Na\0me,66210\n"_ba);
        auto report = run(db, settingsFor(path));
        QVERIFY2(report.ok(), qPrintable(report.errorMessage()));
        QCOMPARE(report->inserted, 1);
        QCOMPARE(report->failedRows, 2);
        QCOMPARE(report->failures[0].line, 3);
        QCOMPARE(report->failures[0].field, u"email"_s);
        QVERIFY2(report->failures[0].reason.contains(u"NUL"_s), qPrintable(report->failures[0].reason));
        QCOMPARE(report->failures[1].line, 4);
        QCOMPARE(report->failures[1].field, u"first_name"_s);
        QCOMPARE(count(db), before + 1);
        QCOMPARE(count(db,
                       u"SELECT COUNT(*) FROM contacts WHERE instr(email, char(0)) > 0 "
                       "OR instr(first_name, char(0)) > 0 OR email LIKE 'bad.nul%'"_s),
                 0);
    }

    void everyRejectedRowIsKept()
    {
        // More rejected rows than are kept in memory: the count, the failures file and the
        // listing hold every one of them, in file order; the temporary file goes with the report.
        const QStringList spillsBefore = tempSpillFiles();
        const qint64 total = ImportReport::MaxFailures + 20005;
        QByteArray csv = "email,zip,note\n";
        csv.reserve(total * 40);
        for (qint64 i = 0; i < total; ++i)
            csv += "not-an-email-" + QByteArray::number(i) + ",66210,\"a, b\"\n";
        csv += "last.good@example.com,66210,ok\n";
        const QString path = writeCsv(u"manybad.csv"_s, csv);
        const QString failures = m_dir.filePath(u"manybad-rejected.csv"_s);
        {
            auto report = analyse(settingsFor(path));
            QVERIFY2(report.ok(), qPrintable(report.errorMessage()));
            QCOMPARE(report->rows, total + 1);
            QCOMPARE(report->good, 1);
            QCOMPARE(report->failedRows, total);
            QCOMPARE(report->failures.size(), ImportReport::MaxFailures);
            QVERIFY(report->moreFailures);
            QCOMPARE(tempSpillFiles().size(), spillsBefore.size() + 1);

            qint64 visited = 0;
            bool inOrder = true;
            QVERIFY(forEachFailure(*report, [&](const RowFailure &f) {
                        inOrder = inOrder && f.line == visited + 2 && f.field == u"email"_s
                            && f.values.size() == 3 && f.values[2] == u"a, b"_s;
                        ++visited;
                        return true;
                    }).ok());
            QVERIFY(inOrder);
            QCOMPARE(visited, total);

            const ExportOutcome written = writeFailures(failures, *report);
            QVERIFY2(written.ok(), qPrintable(written.error ? written.error->message : QString()));
            QCOMPARE(written.rows, total);
        }
        // The report is gone, and with it its temporary file.
        QCOMPARE(tempSpillFiles(), spillsBefore);
        QFile f(failures);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QVERIFY(f.readLine().startsWith("line,field,reason,email,zip,note"));
        qint64 lines = 0;
        QByteArray last;
        for (QByteArray line = f.readLine(); !line.isEmpty(); line = f.readLine()) {
            ++lines;
            last = line;
        }
        QCOMPARE(lines, total);
        QVERIFY2(last.startsWith(QByteArray(QByteArray::number(total + 1) + ",email,")), last.constData());
        QVERIFY2(last.contains(QByteArray("not-an-email-" + QByteArray::number(total - 1))),
                 last.constData());
    }

    void fourDigitZipsArePadded()
    {
        const QString db = copySample(u"org-206.sqlite3"_s, u"zips.sqlite3"_s);
        const QString path = writeCsv(u"zips.csv"_s,
                                      "email,zip,state\n"
                                      "z1@example.com,2134,\n"
                                      "z2@example.com,2134-1234,\n"
                                      "z3@example.com,02134,\n"
                                      "z4@example.com,213,MA\n"
                                      "z5@example.com,21x4,MA\n"
                                      "z6@example.com,66210-12,\n");
        auto report = run(db, settingsFor(path));
        QVERIFY2(report.ok(), qPrintable(report.errorMessage()));
        QCOMPARE(report->inserted, 6);
        const auto zip = [&](const char *email) {
            return queryText(db,
                             u"SELECT zip_code || '|' || state FROM contacts WHERE email = '"_s
                                 + QString::fromLatin1(email) + u"'"_s);
        };
        QCOMPARE(zip("z1@example.com"), u"02134|MA"_s);
        QCOMPARE(zip("z2@example.com"), u"02134-1234|MA"_s);
        QCOMPARE(zip("z3@example.com"), u"02134|MA"_s);
        // Clearly wrong ZIPs stay as they are, for the contact checks to report.
        QCOMPARE(zip("z4@example.com"), u"213|MA"_s);
        QCOMPARE(zip("z5@example.com"), u"21x4|MA"_s);
        QCOMPARE(zip("z6@example.com"), u"66210-12|KS"_s);
    }

    void roundTripThroughExport()
    {
        // Export contacts, empty the table, import the file: every contact the rules accept
        // comes back with the same email and ZIP.
        const QString db = copySample(u"org-206.sqlite3"_s, u"rt.sqlite3"_s);
        ExportRequest r;
        r.what = ExportRequest::What::Contacts;
        r.dbPath = db;
        r.outputPath = m_dir.filePath(u"rt.csv"_s);
        r.options.utf8Bom = true;
        QVERIFY(CsvExport::run(r).ok());
        const QString zipsBefore
            = queryText(db,
                        u"SELECT group_concat(email || zip_code, ';') FROM (SELECT * FROM "
                        "contacts ORDER BY id)"_s);
        sqlite3 *h = nullptr;
        sqlite3_open(QFile::encodeName(db).constData(), &h);
        sqlite3_exec(h, "PRAGMA foreign_keys = OFF; DELETE FROM contacts", nullptr, nullptr, nullptr);
        sqlite3_close(h);
        ImportSettings s = settingsFor(r.outputPath);
        QVERIFY(s.dialect.hasBom);
        auto report = run(db, s);
        QVERIFY2(report.ok(), qPrintable(report.errorMessage()));
        QCOMPARE(report->inserted + report->failedRows, report->rows);
        QVERIFY(report->inserted > 600);
        const QString zipsAfter
            = queryText(db,
                        u"SELECT group_concat(email || zip_code, ';') FROM (SELECT * FROM "
                        "contacts ORDER BY id)"_s);
        for (const QString &entry : zipsAfter.split(u';'))
            QVERIFY(zipsBefore.contains(entry));
    }
};

QTEST_GUILESS_MAIN(TestContactImport)
#include "tst_contactimport.moc"
