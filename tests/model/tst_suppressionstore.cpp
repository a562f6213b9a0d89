#include "csv/listimport.h"
#include "sqlitetestutil.h"
#include "storage/auditlog.h"
#include "storage/managementtables.h"
#include "storage/orgdatabase.h"
#include "storage/suppressionstore.h"

#include <QCryptographicHash>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using SqliteTestUtil::execSql;
using SqliteTestUtil::rows;
using SqliteTestUtil::scalar;

// The do-not-email list (storage/suppressionstore), its CSV import (csv/listimport) and the
// audit rows of each change.
class TestSuppressionStore : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    int m_count = 0;
    const AuditActor m_actor { QStringLiteral("tester"), QString() };

    QString makeDatabase()
    {
        const QString path = m_dir.filePath(QStringLiteral("org-%1.db").arg(++m_count));
        const bool made = execSql(path,
                                  "CREATE TABLE contacts (id INTEGER PRIMARY KEY, email TEXT, state TEXT);"
                                  "INSERT INTO contacts VALUES (1, 'one@example.com', 'TX'), "
                                  "(2, ' Two@Example.com ', 'CA'), (3, 'not-an-address', 'NY');");
        return made ? path : QString();
    }

    QString writeFile(const QString &name, const QByteArray &content)
    {
        const QString path = m_dir.filePath(name);
        QFile file(path);
        if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate))
            return {};
        file.write(content);
        return path;
    }

    static OrgDatabase openRw(const QString &path)
    {
        auto db = OrgDatabase::open(path, OrgDatabase::Mode::ReadWrite);
        if (!db)
            qFatal("%s", qPrintable(db.errorMessage()));
        return std::move(*db);
    }

private slots:
    void reasonsFromServiceExports_data();
    void reasonsFromServiceExports();
    void addListsFindsAndAudits();
    void addRejectsBadInput_data();
    void addRejectsBadInput();
    void removeAuditsBefore();
    void readOnlyOpenCreatesNothing();
    void importFromServiceExport();
    void addContactsRejectsUnusableEmails();
};

void TestSuppressionStore::reasonsFromServiceExports_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("reason"); // empty: none
    QTest::newRow("ours") << u"agent_request"_qs << u"agent_request"_qs;
    QTest::newRow("capitalised") << u"Unsubscribed"_qs << u"unsubscribed"_qs;
    QTest::newRow("hard bounce") << u"hard bounce"_qs << u"bounced"_qs;
    QTest::newRow("spam") << u"Spam complaint"_qs << u"complained"_qs;
    QTest::newRow("opt out") << u"opted out"_qs << u"unsubscribed"_qs;
    QTest::newRow("dropped") << u"dropped"_qs << u"bounced"_qs;
    QTest::newRow("unknown") << u"weird"_qs << QString();
}

void TestSuppressionStore::reasonsFromServiceExports()
{
    QFETCH(QString, text);
    QFETCH(QString, reason);
    QCOMPARE(SuppressionStore::reasonFromText(text).value_or(QString()), reason);
}

void TestSuppressionStore::addListsFindsAndAudits()
{
    const QString path = makeDatabase();
    OrgDatabase db = openRw(path);
    SuppressionStore store(db, m_actor);
    auto added = store.add(u" Jane@Example.com "_qs, u"unsubscribed"_qs, u"asked by phone"_qs);
    QVERIFY2(added.ok(), qPrintable(added.errorMessage()));
    QVERIFY(added->added);
    QCOMPARE(rows(path, "SELECT email, reason, note, created_by FROM email_suppressions"),
             QStringList { u"Jane@Example.com|unsubscribed|asked by phone|tester"_qs });
    // The same address in another spelling is already listed: unchanged.
    auto again = store.add(u"jane@example.COM"_qs, u"bounced"_qs);
    QVERIFY(again.ok());
    QVERIFY(!again->added);
    QCOMPARE(again->entry.reason, u"unsubscribed"_qs);
    QCOMPARE(scalar(path, u"SELECT count(*) FROM email_suppressions"_qs), 1);
    auto found = store.find(u"JANE@example.com"_qs);
    QVERIFY(found.ok() && found->has_value());
    QCOMPARE(store.list()->size(), size_t(1));
    const auto audit = AuditLog::list(db, { u"suppression"_qs, 0, 0 });
    QCOMPARE(audit->size(), size_t(1));
    QCOMPARE(audit->front().action, u"add"_qs);
    QCOMPARE(audit->front().user, u"tester"_qs);
    QCOMPARE(
        QJsonDocument::fromJson(audit->front().afterJson.toUtf8()).object().value(u"reason"_qs).toString(),
        u"unsubscribed"_qs);
}

void TestSuppressionStore::addRejectsBadInput_data()
{
    QTest::addColumn<QString>("email");
    QTest::addColumn<QString>("reason");
    QTest::addColumn<QString>("message");
    QTest::newRow("not an address") << u"jane"_qs << u"other"_qs << u"email: "_qs;
    QTest::newRow("empty") << u"  "_qs << u"other"_qs << u"email: "_qs;
    QTest::newRow("two @") << u"a@b@c"_qs << u"other"_qs << u"email: "_qs;
    QTest::newRow("unknown reason") << u"a@b.com"_qs << u"annoyed"_qs << u"reason: "_qs;
}

void TestSuppressionStore::addRejectsBadInput()
{
    QFETCH(QString, email);
    QFETCH(QString, reason);
    QFETCH(QString, message);
    const QString path = makeDatabase();
    OrgDatabase db = openRw(path);
    SuppressionStore store(db, m_actor);
    auto added = store.add(email, reason);
    QVERIFY(!added.ok());
    QVERIFY(ManagementTables::isInvalidInput(added.error()));
    QVERIFY2(added.errorMessage().startsWith(message), qPrintable(added.errorMessage()));
    QCOMPARE(
        scalar(path,
               u"SELECT count(*) FROM sqlite_master WHERE name IN ('email_suppressions', 'audit_log')"_qs),
        0);
}

void TestSuppressionStore::removeAuditsBefore()
{
    const QString path = makeDatabase();
    OrgDatabase db = openRw(path);
    SuppressionStore store(db, m_actor);
    QVERIFY(store.add(u"one@example.com"_qs, u"deceased"_qs).ok());
    auto removed = store.remove(u" ONE@example.com"_qs);
    QVERIFY2(removed.ok(), qPrintable(removed.errorMessage()));
    QCOMPARE(scalar(path, u"SELECT count(*) FROM email_suppressions"_qs), 0);
    const auto audit = AuditLog::list(db);
    QCOMPARE(audit->front().action, u"remove"_qs);
    QVERIFY(audit->front().afterJson.isEmpty());
    QVERIFY(audit->front().beforeJson.contains(u"deceased"));
    auto missing = store.remove(u"one@example.com"_qs);
    QVERIFY(!missing.ok());
    QVERIFY(ManagementTables::isInvalidInput(missing.error()));
    QVERIFY(missing.errorMessage().contains(u"not on the do-not-email list"));
}

void TestSuppressionStore::readOnlyOpenCreatesNothing()
{
    const QString path = makeDatabase();
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray before = QCryptographicHash::hash(file.readAll(), QCryptographicHash::Sha256);
    file.close();
    {
        auto db = OrgDatabase::open(path, OrgDatabase::Mode::ReadOnly);
        QVERIFY(db.ok());
        SuppressionStore store(*db, m_actor);
        QVERIFY(store.list()->empty());
        QVERIFY(!store.find(u"one@example.com"_qs)->has_value());
        auto added = store.add(u"one@example.com"_qs, u"other"_qs);
        QVERIFY(!added.ok());
        QCOMPARE(dbErrorKind(added.error()), DbErrorKind::ReadOnly);
    }
    QVERIFY(file.open(QIODevice::ReadOnly));
    QCOMPARE(QCryptographicHash::hash(file.readAll(), QCryptographicHash::Sha256), before);
}

void TestSuppressionStore::importFromServiceExport()
{
    const QString path = makeDatabase();
    // A Mailchimp-like export: the address under "Email Address", a free-text reason column.
    const QString csv = writeFile(u"unsubscribed.csv"_qs,
                                  "Email Address,First Name,UNSUB_REASON\r\n"
                                  "a@example.com,Ann,No longer interested\r\n"
                                  "b@example.com,Bob,Spam complaint\r\n"
                                  "not-an-address,Cy,\r\n"
                                  "A@EXAMPLE.com,Ann,\r\n"
                                  "c@example.com,Cal,\r\n");
    OrgDatabase db = openRw(path);
    SuppressionImport::Settings settings;
    settings.csvPath = csv;
    auto dialect = CsvDialect::detectFile(csv);
    QVERIFY(dialect.ok());
    settings.dialect = *dialect;
    settings.dialect.header = true;
    settings.mapping
        = SuppressionImport::Mapping::guess({ u"Email Address"_qs, u"First Name"_qs, u"UNSUB_REASON"_qs });
    QCOMPARE(settings.mapping.email, 0);
    QCOMPARE(settings.mapping.reason, 2);
    auto report = SuppressionImport::run(db, settings, m_actor);
    QVERIFY2(report.ok(), qPrintable(report.errorMessage()));
    QCOMPARE(report->rows, 5);
    QCOMPARE(report->added, 3);
    QCOMPARE(report->alreadyListed, 1); // A@EXAMPLE.com repeats line 2
    QCOMPARE(report->failures.size(), 1);
    QCOMPARE(report->failures[0].line, 4);
    QCOMPARE(report->failures[0].field, u"email"_qs);
    QCOMPARE(report->failures[0].values.value(1), u"Cy"_qs);
    // Free text naming none of the reasons gets the default and stays in the note.
    QCOMPARE(rows(path, "SELECT email, reason, note FROM email_suppressions ORDER BY email"),
             (QStringList { u"a@example.com|unsubscribed|No longer interested"_qs,
                            u"b@example.com|complained|NULL"_qs, u"c@example.com|unsubscribed|NULL"_qs }));
    QCOMPARE(scalar(path, u"SELECT count(*) FROM audit_log WHERE entity = 'suppression'"_qs), 3);
    // The rejected rows go into contact import's report for its writer and table.
    QCOMPARE(report->asImportReport().failedRows, 1);
}

void TestSuppressionStore::addContactsRejectsUnusableEmails()
{
    const QString path = makeDatabase();
    OrgDatabase db = openRw(path);
    SuppressionStore store(db, m_actor);
    const std::vector<qint64> ids = { 1, 2, 3, 9 };
    auto report = store.addContacts(ids, u"agent_request"_qs, u"from the contact table"_qs);
    QVERIFY2(report.ok(), qPrintable(report->rejected.empty() ? report.errorMessage() : QString()));
    QCOMPARE(report->rows, 4);
    QCOMPARE(report->added, 2);
    QCOMPARE(report->rejected.size(), size_t(2));
    QVERIFY(report->rejected[0].reason.contains(u"contact 3"));
    QVERIFY(report->rejected[1].reason.contains(u"9"));
    QCOMPARE(rows(path, "SELECT email, reason, note FROM email_suppressions ORDER BY id"),
             (QStringList { u"one@example.com|agent_request|from the contact table"_qs,
                            u"Two@Example.com|agent_request|from the contact table"_qs }));
}

QTEST_GUILESS_MAIN(TestSuppressionStore)
#include "tst_suppressionstore.moc"
