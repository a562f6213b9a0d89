// The item models of the desktop program: every one under QAbstractItemModelTester, the lazy
// contact table against the plain filter predicate, sorting on raw values, stale results.

#include "batch/batchjob.h"
#include "batch/contactpreview.h"
#include "engine.h"
#include "items/contactfilter.h"
#include "items/contacttablemodel.h"
#include "items/problemsmodel.h"
#include "items/runhistorymodel.h"
#include "items/schedulepreviewmodel.h"
#include "storage/contactsource.h"
#include "storage/demogenerator.h"
#include "storage/orgdatabase.h"

#include <QAbstractItemModelTester>
#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace ContactColumn;

class TestContactModels : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void filterPredicate_data();
    void filterPredicate();
    void tableLoadsLazily();
    void sortsOnRawValues_data();
    void sortsOnRawValues();
    void filterMatchesPredicate_data();
    void filterMatchesPredicate();
    void newerFilterWins();
    void brokenFileReportsError();
    void previewModel();
    void problemsModel();
    void runHistoryModel();

private:
    QList<Contact> allContacts() const;
    void waitForIndex(ContactTableModel &model);
    void loadAllRows(ContactTableModel &model);

    QTemporaryDir m_dir;
    QString m_db;
    const QDate m_today { 2025, 3, 3 };
};

void TestContactModels::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_db = m_dir.filePath(QStringLiteral("org.sqlite3"));
    DemoGenerator::Options options;
    options.path = m_db;
    options.contacts = 700;
    options.seed = 11;
    options.today = m_today;
    options.messyFraction = 0.15;
    const auto made = DemoGenerator::generate(options);
    QVERIFY2(made.ok(), qPrintable(made.errorMessage()));
}

QList<Contact> TestContactModels::allContacts() const
{
    QList<Contact> contacts;
    Result<OrgDatabase> db = OrgDatabase::open(m_db, OrgDatabase::Mode::ReadOnly);
    if (!db)
        return contacts;
    ContactSource source(db.value());
    const auto read
        = source.readRange(0, std::numeric_limits<qint64>::max(), ContactSource::Fields::All,
                           [&](const Contact &c, std::span<const HistoryEntry>) { contacts.append(c); });
    if (!read.ok()) {
        qWarning("reading the contacts failed: %s", qPrintable(read.errorMessage()));
        return {}; // the callers' comparisons fail on an empty list
    }
    return contacts;
}

void TestContactModels::waitForIndex(ContactTableModel &model)
{
    QTRY_VERIFY_WITH_TIMEOUT(!model.isLoading(), 20000);
}

void TestContactModels::loadAllRows(ContactTableModel &model)
{
    for (int r = 0; r < model.rowCount(); r += ContactTableModel::PageSize)
        model.index(r, FirstName).data();
    for (int r = 0; r < model.rowCount(); ++r)
        QTRY_VERIFY(model.loadedRow(r) != nullptr);
}

void TestContactModels::filterPredicate_data()
{
    QTest::addColumn<int>("column");
    QTest::addColumn<QString>("text");
    QTest::addColumn<int>("quick");
    QTest::addColumn<QString>("zip");
    QTest::addColumn<QString>("email");
    QTest::addColumn<bool>("expected");

    const int all = int(QuickFilter::All);
    QTest::newRow("name contains, any case")
        << int(LastName) << u"OPE"_qs << all << u"90210"_qs << u"a@b.com"_qs << true;
    QTest::newRow("name does not contain")
        << int(LastName) << u"xyz"_qs << all << u"90210"_qs << u"a@b.com"_qs << false;
    QTest::newRow("CA is a birthday-rule state")
        << -1 << QString() << int(QuickFilter::BirthdayRuleStates) << u"90210"_qs << u"a@b.com"_qs << true;
    QTest::newRow("CA is not year-round")
        << -1 << QString() << int(QuickFilter::YearRoundStates) << u"90210"_qs << u"a@b.com"_qs << false;
    QTest::newRow("NY (ZIP wins) is year-round")
        << -1 << QString() << int(QuickFilter::YearRoundStates) << u"10001"_qs << u"a@b.com"_qs << true;
    QTest::newRow("MO is an anniversary-rule state")
        << -1 << QString() << int(QuickFilter::AnniversaryRuleStates) << u"63101"_qs << u"a@b.com"_qs << true;
    QTest::newRow("bad email has a problem")
        << -1 << QString() << int(QuickFilter::WithProblems) << u"90210"_qs << u"no-at-sign"_qs << true;
    QTest::newRow("clean contact has none")
        << -1 << QString() << int(QuickFilter::WithProblems) << u"90210"_qs << u"a@b.com"_qs << false;
    QTest::newRow("problems column text")
        << int(Problems) << u"email"_qs << all << u"90210"_qs << u"no-at-sign"_qs << true;
}

void TestContactModels::filterPredicate()
{
    QFETCH(int, column);
    QFETCH(QString, text);
    QFETCH(int, quick);
    QFETCH(QString, zip);
    QFETCH(QString, email);
    QFETCH(bool, expected);
    Contact c;
    c.id = 5;
    c.lastName = u"Lopez"_qs;
    c.email = email;
    c.state = u"CA"_qs;
    c.zipCode = zip;
    c.birthDate = u"1950-04-02"_qs;
    ContactFilter filter;
    if (column >= 0)
        filter.setColumnText(column, text);
    filter.setQuickFilter(static_cast<QuickFilter>(quick));
    QCOMPARE(filter.matches(c, m_today), expected);
}

void TestContactModels::tableLoadsLazily()
{
    ContactTableModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setToday(m_today);
    QSignalSpy loaded(&model, &ContactTableModel::indexLoaded);
    model.setDatabase(m_db);
    QVERIFY(loaded.wait(20000));
    QCOMPARE(model.rowCount(), 700);
    QCOMPARE(model.columnCount(), int(ColumnCount));

    // Before its page arrives a row is a placeholder that already knows its id.
    const int lastRow = model.rowCount() - 1;
    QCOMPARE(model.index(lastRow, LastName).data(ContactTableModel::LoadedRole).toBool(), false);
    QCOMPARE(model.index(lastRow, Id).data().toString(), QString::number(model.contactId(lastRow)));
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    QTRY_VERIFY(model.index(lastRow, LastName).data(ContactTableModel::LoadedRole).toBool());
    // Only the page of that row was announced.
    QVERIFY(!changed.isEmpty());
    const QModelIndex top = changed.last().at(0).value<QModelIndex>();
    const QModelIndex bottom = changed.last().at(1).value<QModelIndex>();
    QCOMPARE(top.row(), (lastRow / ContactTableModel::PageSize) * ContactTableModel::PageSize);
    QCOMPARE(bottom.row(), lastRow);

    for (int r = 1; r < model.rowCount(); ++r)
        QVERIFY(model.contactId(r - 1) < model.contactId(r));
    QCOMPARE(model.rowOfContact(model.contactId(42)), 42);

    // Rows with problems carry them (severity, tooltip and the Problems column).
    loadAllRows(model);
    int withProblems = 0;
    for (int r = 0; r < model.rowCount(); ++r) {
        const ContactRow *row = model.loadedRow(r);
        QCOMPARE(row->problems, Engine::checkContact(row->contact, m_today).problems);
        if (!row->problems.isEmpty()) {
            ++withProblems;
            QVERIFY(model.index(r, Problems).data().toString().contains(row->problems.first().message));
            QVERIFY(!model.index(r, Id).data(Qt::ToolTipRole).toString().isEmpty());
            QVERIFY(model.index(r, Id).data(ContactTableModel::ProblemSeverityRole).toInt() >= 0);
        }
    }
    QVERIFY(withProblems > 0);
}

void TestContactModels::sortsOnRawValues_data()
{
    QTest::addColumn<int>("column");
    QTest::addColumn<int>("order");
    QTest::newRow("last name ascending") << int(LastName) << int(Qt::AscendingOrder);
    QTest::newRow("birth date ascending") << int(BirthDate) << int(Qt::AscendingOrder);
    QTest::newRow("effective date descending") << int(EffectiveDate) << int(Qt::DescendingOrder);
    QTest::newRow("id descending") << int(Id) << int(Qt::DescendingOrder);
}

void TestContactModels::sortsOnRawValues()
{
    QFETCH(int, column);
    QFETCH(int, order);
    ContactTableModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setToday(m_today);
    model.setDatabase(m_db);
    model.sort(column, static_cast<Qt::SortOrder>(order));
    waitForIndex(model);
    QCOMPARE(model.rowCount(), 700);
    loadAllRows(model);
    for (int r = 1; r < model.rowCount(); ++r) {
        QVariant a = model.index(r - 1, column).data(ContactTableModel::RawValueRole);
        QVariant b = model.index(r, column).data(ContactTableModel::RawValueRole);
        if (order == Qt::DescendingOrder)
            std::swap(a, b);
        if (isDateColumn(column)) {
            // Dates as dates: "3/7/1950" sorts with 1950, not after "2001-…"; invalid ones first.
            const QDate da = a.toDate(), db = b.toDate();
            QVERIFY2(!db.isValid() ? !da.isValid() : (!da.isValid() || da <= db),
                     qPrintable(da.toString(Qt::ISODate) % u" > " % db.toString(Qt::ISODate)));
        } else if (column == Id) {
            QVERIFY(a.toLongLong() < b.toLongLong());
        } else {
            QVERIFY2(a.toString().compare(b.toString(), Qt::CaseInsensitive) <= 0 || a.toString().isEmpty(),
                     qPrintable(a.toString() % u" > " % b.toString()));
        }
    }
}

void TestContactModels::filterMatchesPredicate_data()
{
    QTest::addColumn<int>("column");
    QTest::addColumn<QString>("text");
    QTest::addColumn<int>("quick");
    QTest::newRow("last name") << int(LastName) << u"son"_qs << int(QuickFilter::All);
    QTest::newRow("zip prefix digits") << int(Zip) << u"90"_qs << int(QuickFilter::All);
    QTest::newRow("birthday-rule states") << -1 << QString() << int(QuickFilter::BirthdayRuleStates);
    QTest::newRow("year-round states") << -1 << QString() << int(QuickFilter::YearRoundStates);
    QTest::newRow("with problems") << -1 << QString() << int(QuickFilter::WithProblems);
    QTest::newRow("problem text") << int(Problems) << u"zip"_qs << int(QuickFilter::All);
    QTest::newRow("nothing matches") << int(Email) << u"no such text anywhere"_qs << int(QuickFilter::All);
}

void TestContactModels::filterMatchesPredicate()
{
    QFETCH(int, column);
    QFETCH(QString, text);
    QFETCH(int, quick);
    ContactFilter filter;
    if (column >= 0)
        filter.setColumnText(column, text);
    filter.setQuickFilter(static_cast<QuickFilter>(quick));

    QList<qint64> expected;
    for (const Contact &c : allContacts()) {
        if (filter.matches(c, m_today))
            expected.append(c.id);
    }

    ContactTableModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setToday(m_today);
    model.setDatabase(m_db);
    model.setFilter(filter);
    waitForIndex(model);
    QList<qint64> shown;
    for (int r = 0; r < model.rowCount(); ++r)
        shown.append(model.contactId(r));
    QCOMPARE(shown, expected);
    if (quick != int(QuickFilter::All) || column >= 0)
        QVERIFY(shown.size() < 700);
}

void TestContactModels::newerFilterWins()
{
    ContactTableModel model;
    model.setToday(m_today);
    model.setDatabase(m_db);
    ContactFilter first;
    first.setQuickFilter(QuickFilter::WithProblems);
    ContactFilter second;
    second.setColumnText(Id, u"7"_qs);
    model.setFilter(first);
    model.setFilter(second); // typed on before the first answer came
    waitForIndex(model);
    QVERIFY(model.rowCount() > 0);
    for (int r = 0; r < model.rowCount(); ++r)
        QVERIFY(QString::number(model.contactId(r)).contains(u'7'));
}

void TestContactModels::brokenFileReportsError()
{
    const QString path = m_dir.filePath(QStringLiteral("notes.sqlite3"));
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("These are meeting notes, not a database.\n");
    file.close();
    ContactTableModel model;
    QSignalSpy failed(&model, &ContactTableModel::loadFailed);
    model.setDatabase(path);
    QVERIFY(failed.wait(10000));
    QVERIFY(failed.first().first().toString().contains(path));
    QCOMPARE(model.rowCount(), 0);
}

void TestContactModels::previewModel()
{
    Contact c;
    c.id = 77;
    c.firstName = u"Maria"_qs;
    c.lastName = u"Lopez"_qs;
    c.email = u"maria@example.com"_qs;
    c.state = u"CA"_qs;
    c.zipCode = u"90210"_qs;
    c.birthDate = u"1950-06-10"_qs;
    c.effectiveDate = u"2019-07-01"_qs;
    const ContactPreview preview = computeContactPreview(c, {}, m_today, Config());
    QVERIFY(!preview.windows.empty());

    SchedulePreviewModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setSchedule(preview.schedule);
    QCOMPARE(model.rowCount(), int(preview.schedule.emails.size()));
    bool sawSkipped = false;
    for (int r = 0; r < model.rowCount(); ++r) {
        const bool skipped = model.index(r, 0).data(SchedulePreviewModel::SkippedRole).toBool();
        QCOMPARE(model.index(r, SchedulePreviewModel::Date).data(SchedulePreviewModel::RawValueRole).toDate(),
                 preview.schedule.emails[std::size_t(r)].date.toQDate());
        if (skipped) {
            sawSkipped = true;
            const QString why = model.index(r, SchedulePreviewModel::Details).data().toString();
            QVERIFY2(why.contains(u"California"), qPrintable(why));
        }
    }
    QVERIFY(sawSkipped);
    model.clear();
    QCOMPARE(model.rowCount(), 0);
}

void TestContactModels::problemsModel()
{
    BatchResult batch;
    ContactSchedule a;
    a.contactId = 3;
    a.problems
        = { Problem { ProblemCode::InvalidEmail, Severity::Error, u"Email address \"x\" is not valid"_qs } };
    ContactSchedule b;
    b.contactId = 9;
    b.problems = { Problem { ProblemCode::InvalidZip, Severity::Warning, u"ZIP code \"1\" is unknown"_qs },
                   Problem { ProblemCode::InvalidBirthDate, Severity::Warning,
                             u"Birth date \"x\" is not a date"_qs } };
    batch.schedules = { a, ContactSchedule {}, b };

    ProblemsModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setProblems(ProblemsModel::collect(batch));
    QCOMPARE(model.rowCount(), 3);
    QCOMPARE(model.index(0, ProblemsModel::ContactId).data(ProblemsModel::ContactIdRole).toLongLong(), 3);
    QCOMPARE(model.index(2, ProblemsModel::Code).data().toString(),
             problemCodeName(ProblemCode::InvalidBirthDate));
}

void TestContactModels::runHistoryModel()
{
    RunRecord run;
    run.id = 1;
    run.batchId = u"run-1"_qs;
    run.startedAt = QDateTime(m_today, QTime(9, 0), Qt::UTC);
    run.today = m_today;
    run.status = u"completed"_qs;
    run.contacts = 1234;
    run.scheduled = 2000;
    RunRecord failed = run;
    failed.status = u"failed"_qs;
    failed.error = u"disk full"_qs;

    RunHistoryModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setRuns({ run, failed });
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(model.index(0, RunHistoryModel::Status).data().toString(),
             RunHistoryModel::statusLabel(u"completed"_qs));
    QCOMPARE(model.index(0, RunHistoryModel::Contacts).data(RunHistoryModel::RawValueRole).toLongLong(),
             1234);
    QCOMPARE(model.index(1, RunHistoryModel::Error).data().toString(), u"disk full"_qs);
}

QTEST_GUILESS_MAIN(TestContactModels)
#include "tst_contactmodels.moc"
