// The contact table on a PostgreSQL organisation (ContactQuery on a connection spec): for a
// generated organisation with messy rows copied to a throwaway cluster, every filter with every
// sort column in both orders gives the same ids in the same order as on the SQLite file, pages
// hold the same rows, a build can be cancelled and a run that is writing never blocks it.

#include "items/contactcolumn.h"
#include "pgcluster.h"
#include "sqlitetestutil.h"
#include "storage/contactquery.h"
#include "storage/demogenerator.h"
#include "storage/orgdatabase.h"
#include "storage/pg/orgcopy.h"
#include "storage/pg/pgconnection.h"

#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

namespace {

const QDate kToday(2025, 3, 1);
const QDate kScheduledDay(2025, 3, 10);

QString describe(const ContactRow &row)
{
    QStringList parts { QString::number(row.contact.id) };
    for (const ContactField &f : ContactFields)
        parts << ((row.contact.*f.member).isNull() ? u"<null>"_s : u'[' + row.contact.*f.member + u']');
    return parts.join(u'|') + u" problems: " + problemSummary(row.problems);
}

} // namespace

class TestPgContactTable : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void indexIsTheSameOnBothBackends_data();
    void indexIsTheSameOnBothBackends();
    void pagesAreTheSame();
    void buildCanBeCancelled();
    void aRunThatIsWritingDoesNotBlockTheTable();
    void missingServerTablesGiveAnEmptyIndex();

private:
    PgCluster m_cluster;
    QTemporaryDir m_dir;
    QString m_file; // generated SQLite organisation
    QString m_uri;  // the same, copied to PostgreSQL
};

void TestPgContactTable::initTestCase()
{
    QVERIFY2(m_cluster.start(), qPrintable(m_cluster.error()));
    QVERIFY(m_dir.isValid());
    m_file = m_dir.filePath(u"org.sqlite3"_s);
    DemoGenerator::Options options;
    options.path = m_file;
    options.contacts = 4000;
    options.seed = 7;
    options.today = kToday;
    options.messyFraction = 0.3;
    const auto generated = DemoGenerator::generate(options);
    QVERIFY2(generated.ok(), qPrintable(generated.errorMessage()));
    QVERIFY(generated->messyRows > 500);
    {
        // What sorts differently under other collations: accents, case, NULL and '' in one column;
        // pre-scheduled emails on a day for the "scheduled on" filter.
        auto db = OrgDatabase::open(m_file, OrgDatabase::Mode::ReadWrite);
        QVERIFY2(db.ok(), qPrintable(db.errorMessage()));
        const auto changed = db->exec(
            "UPDATE contacts SET current_carrier = CASE id % 7 WHEN 0 THEN 'Élan' WHEN 1 THEN 'élan' "
            "WHEN 2 THEN NULL WHEN 3 THEN '' WHEN 4 THEN 'ZETA' WHEN 5 THEN 'zeta ' ELSE '_x' END "
            "WHERE id <= 140;"
            "UPDATE contacts SET last_name = 'Ñandú' WHERE id IN (5, 50, 500);"
            "UPDATE contacts SET last_name = 'nandu' WHERE id IN (6, 60);"
            "INSERT OR IGNORE INTO email_schedules (contact_id, email_type, scheduled_send_date, status) "
            "SELECT id, 'birthday', '2025-03-10', 'pre-scheduled' FROM contacts WHERE id % 9 = 0;"
            "INSERT OR IGNORE INTO email_schedules (contact_id, email_type, scheduled_send_date, status) "
            "SELECT id, 'effective_date', '2025-03-10', 'sent' FROM contacts WHERE id % 11 = 0;",
            u"prepare"_s);
        QVERIFY2(changed.ok(), qPrintable(changed.errorMessage()));
        QVERIFY(db->hasTable(u"email_suppressions"_s));
    }
    m_uri = m_cluster.createDatabase(u"org"_s);
    QVERIFY2(!m_uri.isEmpty(), qPrintable(m_cluster.error()));
    const auto copied = OrgCopy::copy(m_file, m_uri);
    QVERIFY2(copied.ok(), qPrintable(copied.errorMessage()));
}

void TestPgContactTable::cleanupTestCase()
{
    m_cluster.stop();
}

void TestPgContactTable::indexIsTheSameOnBothBackends_data()
{
    QTest::addColumn<ContactFilter>("filter");
    QTest::addColumn<int>("minimum"); // the filter must match at least this many contacts
    const auto text = [](int column, const QString &value) {
        ContactFilter f;
        f.setColumnText(column, value);
        return f;
    };
    const auto quick = [](QuickFilter q) {
        ContactFilter f;
        f.setQuickFilter(q);
        return f;
    };
    using namespace ContactColumn;
    QTest::newRow("none") << ContactFilter() << 4000;
    QTest::newRow("last name contains 'an'") << text(LastName, u"an"_s) << 100;
    QTest::newRow("carrier contains 'élan' (any case)") << text(Carrier, u"ÉLAN"_s) << 30;
    QTest::newRow("email contains '@gmail'") << text(Email, u"@gmail"_s) << 100;
    QTest::newRow("birth date contains '/'") << text(BirthDate, u"/"_s) << 20;
    QTest::newRow("id contains '7'") << text(Id, u"7"_s) << 100;
    QTest::newRow("problems contain 'ZIP'") << text(Problems, u"zip"_s) << 50;
    QTest::newRow("birthday rule states") << quick(QuickFilter::BirthdayRuleStates) << 100;
    QTest::newRow("anniversary rule states") << quick(QuickFilter::AnniversaryRuleStates) << 10;
    QTest::newRow("year-round states") << quick(QuickFilter::YearRoundStates) << 50;
    QTest::newRow("with problems") << quick(QuickFilter::WithProblems) << 500;
    QTest::newRow("do not email") << quick(QuickFilter::DoNotEmail) << 5;
    ContactFilter scheduled;
    scheduled.setScheduledOn(kScheduledDay);
    QTest::newRow("scheduled on a day") << scheduled << 300;
    ContactFilter combined = text(State, u"a"_s);
    combined.setQuickFilter(QuickFilter::WithProblems);
    combined.setScheduledOn(kScheduledDay);
    QTest::newRow("state, problems and scheduled") << combined << 5;
    ContactFilter listed = text(FirstName, u"a"_s);
    listed.setQuickFilter(QuickFilter::DoNotEmail);
    QTest::newRow("do not email and first name") << listed << 1;
    QTest::newRow("nothing matches") << text(LastName, u"no such name at all"_s) << 0;
}

void TestPgContactTable::indexIsTheSameOnBothBackends()
{
    QFETCH(ContactFilter, filter);
    QFETCH(int, minimum);
    ContactQuery sqlite;
    QVERIFY2(sqlite.open(m_file).ok(), "SQLite open");
    ContactQuery server;
    const Result<void> opened = server.open(m_uri);
    QVERIFY2(opened.ok(), qPrintable(opened.errorMessage()));
    QVERIFY(server.isOpen());
    for (int column = 0; column < ContactColumn::ColumnCount; ++column) {
        for (const Qt::SortOrder order : { Qt::AscendingOrder, Qt::DescendingOrder }) {
            const ContactIndexRequest request { filter, column, order, kToday };
            const auto expected = sqlite.buildIndex(request);
            QVERIFY2(expected.ok(), qPrintable(expected.errorMessage()));
            const auto actual = server.buildIndex(request);
            QVERIFY2(actual.ok(), qPrintable(actual.errorMessage()));
            const QByteArray where = "column " + QByteArray::number(column)
                + (order == Qt::AscendingOrder ? " ascending" : " descending");
            QVERIFY2(expected->size() >= minimum, where.constData());
            if (*actual != *expected) {
                qsizetype i = 0;
                while (i < qMin(actual->size(), expected->size()) && actual->at(i) == expected->at(i))
                    ++i;
                QFAIL(QByteArray(where + ": the server's index differs from position " + QByteArray::number(i)
                                 + " of " + QByteArray::number(expected->size()) + " (server "
                                 + QByteArray::number(i < actual->size() ? actual->at(i) : -1) + ", SQLite "
                                 + QByteArray::number(i < expected->size() ? expected->at(i) : -1) + ")")
                          .constData());
            }
        }
    }
}

void TestPgContactTable::pagesAreTheSame()
{
    ContactQuery sqlite;
    QVERIFY(sqlite.open(m_file).ok());
    ContactQuery server;
    QVERIFY(server.open(m_uri).ok());
    const ContactIndexRequest request { ContactFilter(), ContactColumn::Problems, Qt::DescendingOrder,
                                        kToday };
    const auto ids = sqlite.buildIndex(request);
    QVERIFY(ids.ok());
    // A page with the messiest rows first, ids that do not exist, and one in the middle.
    QList<qint64> page = ids->mid(0, 300);
    page << 999999 << -3 << ids->at(2000);
    const auto expected = sqlite.fetchRows(page, kToday);
    QVERIFY2(expected.ok(), qPrintable(expected.errorMessage()));
    const auto actual = server.fetchRows(page, kToday);
    QVERIFY2(actual.ok(), qPrintable(actual.errorMessage()));
    QCOMPARE(actual->size(), page.size());
    int withProblems = 0;
    for (qsizetype i = 0; i < page.size(); ++i) {
        QCOMPARE(describe(actual->at(i)), describe(expected->at(i)));
        withProblems += expected->at(i).problems.isEmpty() ? 0 : 1;
    }
    QVERIFY(withProblems > 200);
    QCOMPARE(actual->at(300).contact.email, QString());
    QCOMPARE(actual->at(300).contact.id, 999999);
    const auto empty = server.fetchRows({}, kToday);
    QVERIFY(empty.ok() && empty->isEmpty());
}

void TestPgContactTable::buildCanBeCancelled()
{
    ContactQuery server;
    QVERIFY(server.open(m_uri).ok());
    int asked = 0;
    for (const int column :
         { int(ContactColumn::Id), int(ContactColumn::LastName), int(ContactColumn::Problems) }) {
        const auto cancelled
            = server.buildIndex({ ContactFilter(), column, Qt::AscendingOrder, kToday }, [&asked] {
                  ++asked;
                  return true;
              });
        QVERIFY(!cancelled.ok());
        QVERIFY2(cancelled.error().is(DbErrorKind::Cancelled), qPrintable(cancelled.errorMessage()));
    }
    QVERIFY(asked >= 3);
    // The connection is usable afterwards.
    const auto again = server.buildIndex({ ContactFilter(), ContactColumn::Zip, Qt::AscendingOrder, kToday });
    QVERIFY2(again.ok(), qPrintable(again.errorMessage()));
    QCOMPARE(again->size(), 4000);
}

void TestPgContactTable::aRunThatIsWritingDoesNotBlockTheTable()
{
    // Another session writes contacts and schedules and keeps its transaction open.
    auto writer = PgConnection::connect(m_uri);
    QVERIFY2(writer.ok(), qPrintable(writer.errorMessage()));
    QVERIFY(writer
                ->exec("BEGIN; LOCK TABLE email_schedules IN EXCLUSIVE MODE; "
                       "UPDATE contacts SET last_name = 'Changed' WHERE id < 100; "
                       "DELETE FROM email_schedules WHERE id % 2 = 0",
                       u"write"_s)
                .ok());
    ContactQuery server;
    QVERIFY(server.open(m_uri).ok());
    ContactFilter scheduled;
    scheduled.setScheduledOn(kScheduledDay);
    ContactQuery sqlite;
    QVERIFY(sqlite.open(m_file).ok());
    const ContactIndexRequest request { scheduled, ContactColumn::LastName, Qt::AscendingOrder, kToday };
    const auto ids = server.buildIndex(request);
    QVERIFY2(ids.ok(), qPrintable(ids.errorMessage()));
    // The last committed state: as on the SQLite file.
    QCOMPARE(*ids, *sqlite.buildIndex(request));
    const auto rows = server.fetchRows(ids->mid(0, 20), kToday);
    QVERIFY(rows.ok());
    for (const ContactRow &row : *rows)
        QVERIFY(row.contact.lastName != u"Changed");
    QVERIFY(writer->exec("ROLLBACK", u"write"_s).ok());
}

void TestPgContactTable::missingServerTablesGiveAnEmptyIndex()
{
    const QString uri = m_cluster.createDatabase(u"bare"_s);
    QVERIFY(!uri.isEmpty());
    QVERIFY2(m_cluster.exec("CREATE TABLE contacts (id bigint PRIMARY KEY, first_name text, email text);"
                            "INSERT INTO contacts VALUES (2, 'b', 'b@example.com'), (1, NULL, NULL)",
                            u"bare"_s),
             qPrintable(m_cluster.error()));
    ContactQuery server;
    const auto opened = server.open(uri);
    QVERIFY2(opened.ok(), qPrintable(opened.errorMessage()));
    ContactFilter filter;
    filter.setQuickFilter(QuickFilter::DoNotEmail);
    auto ids = server.buildIndex({ filter, ContactColumn::Id, Qt::AscendingOrder, kToday });
    QVERIFY(ids.ok() && ids->isEmpty());
    filter = ContactFilter();
    filter.setScheduledOn(kScheduledDay);
    ids = server.buildIndex({ filter, ContactColumn::Id, Qt::AscendingOrder, kToday });
    QVERIFY(ids.ok() && ids->isEmpty());
    // Columns the table lacks read as empty: sorting by them sorts by id.
    ids = server.buildIndex({ ContactFilter(), ContactColumn::Zip, Qt::DescendingOrder, kToday });
    QVERIFY2(ids.ok(), qPrintable(ids.errorMessage()));
    QCOMPARE(*ids, (QList<qint64> { 2, 1 }));
    ids = server.buildIndex({ ContactFilter(), ContactColumn::FirstName, Qt::AscendingOrder, kToday });
    QCOMPARE(*ids, (QList<qint64> { 1, 2 }));
    const auto rows = server.fetchRows({ 2 }, kToday);
    QVERIFY(rows.ok());
    QCOMPARE(rows->at(0).contact.email, u"b@example.com"_s);
    QVERIFY(!rows->at(0).problems.isEmpty()); // no state, ZIP or dates
}

QTEST_GUILESS_MAIN(TestPgContactTable)
#include "tst_pgcontacttable.moc"
