// Sends per day: the aggregation (stored and computed) against hand-counted and independently
// stored data, the table model under QAbstractItemModelTester, stale answers, the chart's
// click-through, and the "email on day D" contact filter down to the main window.

#include "batch/batchjob.h"
#include "batch/dailyload.h"
#include "contactspage.h"
#include "dailyloadview.h"
#include "items/contacttablemodel.h"
#include "items/dailyloadmodel.h"
#include "mainwindow.h"
#include "storage/contactquery.h"
#include "storage/demogenerator.h"
#include "storage/schedulewriter.h"

#include <QAbstractItemModelTester>
#include <QDockWidget>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QThreadPool>

#include <sqlite3.h>

#include <algorithm>

class TestDailyLoad : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void storedCountsPerDayAndType();
    void storedMatchesComputedBatch();
    void batchCountsOnlyPreScheduled();
    void modelPassesTesterAndFlagsOverflow();
    void overTheCapIsTheDailyCap();
    void staleAnswerIsDropped();
    void clickOnBarEmitsDate();
    void contactFilterByScheduledDay();
    void mainWindowClickFiltersContacts();

private:
    QString makeHandDb(const QString &name, bool withSchedules) const;
    static Config capConfig();

    std::unique_ptr<QTemporaryDir> m_dir;
    const QDate m_today { 2025, 3, 3 };
};

namespace {
void exec(sqlite3 *db, const char *sql)
{
    char *error = nullptr;
    if (sqlite3_exec(db, sql, nullptr, nullptr, &error) != SQLITE_OK) {
        const QByteArray message = error ? QByteArray(error) : QByteArray("sqlite error");
        sqlite3_free(error);
        QFAIL(message.constData());
    }
}
} // namespace

void TestDailyLoad::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
}

// daily_cap = max(1, floor(3 valid * 1.0)) = 3; over the cap above floor(3 * 1.2) = 3.
Config TestDailyLoad::capConfig()
{
    Config config;
    config.loadBalancing.dailySendPercentageCap = 1.0;
    return config;
}

// Four contacts (one with an invalid email) and schedule rows of every kind the count must
// tell apart: other statuses, legacy and unknown types, days before, inside and after the range.
QString TestDailyLoad::makeHandDb(const QString &name, bool withSchedules) const
{
    const QString path = m_dir->filePath(name);
    sqlite3 *db = nullptr;
    if (sqlite3_open(path.toUtf8().constData(), &db) != SQLITE_OK)
        return {};
    exec(db,
         "CREATE TABLE contacts (id INTEGER PRIMARY KEY, first_name TEXT, last_name TEXT, email TEXT, "
         "current_carrier TEXT, plan_type TEXT, effective_date TEXT, birth_date TEXT, gender TEXT, "
         "state TEXT, zip_code TEXT, phone_number TEXT, status TEXT)");
    exec(db,
         "INSERT INTO contacts (id, first_name, last_name, email, state, zip_code, birth_date) VALUES "
         "(1, 'Ann', 'Able', 'ann@example.com', 'CA', '90210', '1950-03-19'),"
         "(2, 'Bob', 'Baker', 'bob@example.com', 'TX', '75001', '1951-04-02'),"
         "(3, 'Cy', 'Cole', 'not an email', 'TX', '75001', '1952-05-05'),"
         "(4, 'Di', 'Dunn', 'di@example.com', 'NY', '10001', '1953-06-06')");
    if (withSchedules) {
        exec(db,
             "CREATE TABLE email_schedules (id INTEGER PRIMARY KEY, contact_id INTEGER, email_type TEXT, "
             "scheduled_send_date TEXT, scheduled_send_time TEXT DEFAULT '08:30:00', status TEXT, "
             "skip_reason TEXT, created_at TEXT, updated_at TEXT, batch_id TEXT, event_year INTEGER, "
             "event_month INTEGER, event_day INTEGER, catchup_note TEXT, actual_send_datetime TEXT)");
        exec(db,
             "INSERT INTO email_schedules (contact_id, email_type, scheduled_send_date, status) VALUES "
             "(2, 'birthday', '2025-03-04', 'pre-scheduled'),"
             "(3, 'birthday', '2025-03-04', 'sent'),"
             "(1, 'aep', '2025-03-04', 'skipped'),"
             "(1, 'birthday', '2025-03-05', 'pre-scheduled'),"
             "(2, 'aep', '2025-03-05', 'pre-scheduled'),"
             "(4, 'effective_date', '2025-03-05', 'pre-scheduled'),"
             "(1, 'post_window', '2025-03-05', 'pre-scheduled'),"
             "(4, 'NEWSLETTER', '2025-03-10', 'pre-scheduled'),"
             "(4, 'BIRTHDAY', '2025-03-10', 'pre-scheduled'),"
             "(1, 'birthday', '2025-02-01', 'pre-scheduled'),"
             "(2, 'birthday', '2025-06-01', 'pre-scheduled'),"
             "(2, 'birthday', 'garbage', 'pre-scheduled')");
    }
    sqlite3_close(db);
    return path;
}

void TestDailyLoad::storedCountsPerDayAndType()
{
    const QString path = makeHandDb(QStringLiteral("hand.db"), true);
    const Result<DailyLoad> load = DailyLoad::fromDatabase(path, m_today, m_today.addDays(29), capConfig());
    QVERIFY2(load.ok(), qPrintable(load.errorMessage()));
    QCOMPARE(load->days.size(), std::size_t(30));
    QCOMPARE(load->days.front().date, m_today);
    QCOMPARE(load->days.back().date, m_today.addDays(29));
    QCOMPARE(load->validContacts, 3);
    QCOMPARE(load->dailyCap, 3);
    QCOMPARE(load->overflowThreshold, 3);

    const auto counts = [&](QDate date) {
        const DailyLoad::Day *day = load->day(date);
        return day ? day->counts : std::array<qint64, EmailTypeCount> { -1, -1, -1, -1 };
    };
    QCOMPARE(counts(QDate(2025, 3, 4)), (std::array<qint64, EmailTypeCount> { 1, 0, 0, 0 }));
    QCOMPARE(counts(QDate(2025, 3, 5)), (std::array<qint64, EmailTypeCount> { 1, 1, 1, 1 }));
    QCOMPARE(counts(QDate(2025, 3, 10)), (std::array<qint64, EmailTypeCount> { 1, 0, 0, 0 }));
    QCOMPARE(load->day(QDate(2025, 3, 10))->other, 1);
    QCOMPARE(load->day(QDate(2025, 3, 10))->total(), 2);
    QCOMPARE(load->day(QDate(2025, 3, 3))->total(), 0);
    QVERIFY(load->isOverflow(*load->day(QDate(2025, 3, 5))));
    QVERIFY(!load->isOverflow(*load->day(QDate(2025, 3, 4))));
    QCOMPARE(load->overflowDays(), 1);
    QCOMPARE(load->outsideRange, 1);
    QCOMPARE(load->day(QDate(2025, 2, 1)), nullptr);

    // The default 7 % of 3 contacts still allows one email a day.
    const Result<DailyLoad> defaults = DailyLoad::fromDatabase(path, m_today, m_today.addDays(29), Config());
    QVERIFY(defaults.ok());
    QCOMPARE(defaults->dailyCap, 1);

    const Result<DailyLoad> bare = DailyLoad::fromDatabase(makeHandDb(QStringLiteral("bare.db"), false),
                                                           m_today, m_today.addDays(6), capConfig());
    QVERIFY2(bare.ok(), qPrintable(bare.errorMessage()));
    QCOMPARE(bare->days.size(), std::size_t(7));
    QCOMPARE(bare->maxTotal(), 0);

    const Result<DailyLoad> missing
        = DailyLoad::fromDatabase(m_dir->filePath(QStringLiteral("nope.db")), m_today, m_today, Config());
    QVERIFY(!missing.ok());
    QVERIFY(missing.errorMessage().contains(QStringLiteral("nope.db")));

    const Result<DailyLoad> cancelled
        = DailyLoad::fromDatabase(path, m_today, m_today, Config(), [] { return true; });
    QVERIFY(!cancelled.ok());
    QCOMPARE(dbErrorKind(cancelled.error()), DbErrorKind::Cancelled);
}

void TestDailyLoad::storedMatchesComputedBatch()
{
    DemoGenerator::Options options;
    options.path = m_dir->filePath(QStringLiteral("demo.sqlite3"));
    options.contacts = 400;
    options.seed = 11;
    options.today = m_today;
    options.historyFraction = 0; // no foreign rows that could collide with written ones
    QVERIFY(DemoGenerator::generate(options).ok());

    BatchOptions batchOptions;
    batchOptions.databasePath = options.path;
    batchOptions.today = m_today;
    const Result<BatchResultPtr> batch = BatchJob::run(batchOptions);
    QVERIFY2(batch.ok(), qPrintable(batch.errorMessage()));
    const Result<WriteSummary> written = ScheduleWriter::write(**batch);
    QVERIFY2(written.ok(), qPrintable(written.errorMessage()));
    QCOMPARE(written->collisions, 0);

    const QDate to = m_today.addDays(364);
    const DailyLoad computed = DailyLoad::fromBatch(**batch, m_today, to);
    const Result<DailyLoad> stored = DailyLoad::fromDatabase(options.path, m_today, to, Config());
    QVERIFY2(stored.ok(), qPrintable(stored.errorMessage()));
    QCOMPARE(computed.source, DailyLoad::Source::Batch);
    QCOMPARE(stored->validContacts, (*batch)->validContacts);
    QCOMPARE(stored->dailyCap, (*batch)->balance.dailyCap);
    QCOMPARE(computed.dailyCap, (*batch)->balance.dailyCap);
    QVERIFY(computed.maxTotal() > 0);
    QCOMPARE(stored->days.size(), computed.days.size());
    for (std::size_t i = 0; i < computed.days.size(); ++i) {
        QCOMPARE(stored->days[i].date, computed.days[i].date);
        QCOMPARE(stored->days[i].counts, computed.days[i].counts);
        QCOMPARE(stored->days[i].other, 0);
    }
    QCOMPARE(stored->outsideRange, computed.outsideRange);
    // A balanced run leaves no day over the threshold.
    QCOMPARE(computed.overflowDays(), 0);
}

void TestDailyLoad::batchCountsOnlyPreScheduled()
{
    auto batch = std::make_shared<BatchResult>();
    batch->today = m_today;
    batch->validContacts = 100; // cap floor(100 * 0.07) = 7, over the cap above 8
    ContactSchedule a;
    a.contactId = 1;
    ScheduledEmail birthday;
    birthday.type = EmailType::Birthday;
    birthday.date = m_today.addDays(2);
    ScheduledEmail skipped = birthday;
    skipped.status = EmailStatus::Skipped;
    ScheduledEmail late = birthday;
    late.date = m_today.addDays(40);
    ScheduledEmail early = birthday;
    early.date = m_today.addDays(-1);
    a.emails = { birthday, skipped, late, early };
    ContactSchedule b;
    b.contactId = 2;
    ScheduledEmail aep;
    aep.type = EmailType::Aep;
    aep.date = m_today.addDays(2);
    b.emails = std::vector<ScheduledEmail>(9, aep);
    batch->schedules = { a, b };

    const DailyLoad load = DailyLoad::fromBatch(*batch, m_today, m_today.addDays(29));
    QCOMPARE(load.dailyCap, 7);
    QCOMPARE(load.overflowThreshold, 8);
    const DailyLoad::Day *day = load.day(m_today.addDays(2));
    QVERIFY(day);
    QCOMPARE(day->counts[int(EmailType::Birthday)], 1);
    QCOMPARE(day->counts[int(EmailType::Aep)], 9);
    QCOMPARE(day->total(), 10);
    QVERIFY(load.isOverflow(*day));
    QCOMPARE(load.outsideRange, 1);
    qint64 all = 0;
    for (const DailyLoad::Day &d : load.days)
        all += d.total();
    QCOMPARE(all, 10);

    // The model counts a batch in the background too.
    DailyLoadModel model;
    QSignalSpy loaded(&model, &DailyLoadModel::loaded);
    model.loadBatch(batch, 30);
    QVERIFY(loaded.wait());
    QCOMPARE(model.rowCount(), 30);
    QCOMPARE(model.index(2, DailyLoadModel::Total).data(DailyLoadModel::RawRole).toLongLong(), 10);
    QCOMPARE(model.load().source, DailyLoad::Source::Batch);
}

void TestDailyLoad::modelPassesTesterAndFlagsOverflow()
{
    DailyLoadModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QCOMPARE(model.rowCount(), 0);
    QCOMPARE(model.columnCount(), int(DailyLoadModel::ColumnCount));

    QSignalSpy loaded(&model, &DailyLoadModel::loaded);
    QSignalSpy loading(&model, &DailyLoadModel::loadingChanged);
    model.loadDatabase(makeHandDb(QStringLiteral("hand.db"), true), m_today, 30, capConfig());
    QVERIFY(model.isLoading());
    QVERIFY(loaded.wait());
    QVERIFY(!model.isLoading());
    QCOMPARE(loading.count(), 2);
    QCOMPARE(model.rowCount(), 30);

    const int row = int(m_today.daysTo(QDate(2025, 3, 5)));
    QCOMPARE(model.index(row, DailyLoadModel::Date).data(DailyLoadModel::RawRole).toDate(),
             QDate(2025, 3, 5));
    for (int column : { int(DailyLoadModel::Birthday), int(DailyLoadModel::EffectiveDate),
                        int(DailyLoadModel::Aep), int(DailyLoadModel::PostWindow) })
        QCOMPARE(model.index(row, column).data(DailyLoadModel::RawRole).toLongLong(), 1);
    QCOMPARE(model.index(row, DailyLoadModel::Total).data(DailyLoadModel::RawRole).toLongLong(), 4);
    QCOMPARE(model.index(row, DailyLoadModel::OverCap).data(DailyLoadModel::RawRole).toBool(), true);
    QVERIFY(!model.index(row, DailyLoadModel::OverCap).data().toString().isEmpty());
    QCOMPARE(model.index(row - 1, DailyLoadModel::OverCap).data(DailyLoadModel::RawRole).toBool(), false);
    QCOMPARE(model.index(row + 5, DailyLoadModel::Other).data(DailyLoadModel::RawRole).toLongLong(), 1);
    QCOMPARE(model.headerData(DailyLoadModel::Birthday, Qt::Horizontal).toString().isEmpty(), false);

    model.clear();
    QCOMPARE(model.rowCount(), 0);
}

// The case of the report: 49 emails against a cap of 44 is over the cap although a run would
// move nothing (it moves only above floor(44 * 1.2) = 52); the view must say both, right.
void TestDailyLoad::overTheCapIsTheDailyCap()
{
    DailyLoad load;
    load.from = m_today;
    load.to = m_today.addDays(2);
    load.days.resize(3);
    for (int i = 0; i < 3; ++i)
        load.days[std::size_t(i)].date = m_today.addDays(i);
    load.validContacts = 640;
    load.dailyCap = 44;
    load.overflowThreshold = 52;
    load.days[0].counts[int(EmailType::Birthday)] = 44; // at the cap: not over
    load.days[1].counts[int(EmailType::Birthday)] = 30;
    load.days[1].counts[int(EmailType::Aep)] = 19; // 49: over the cap, under the threshold
    load.days[2].counts[int(EmailType::Birthday)] = 12;

    QVERIFY(!load.isOverCap(load.days[0]));
    QVERIFY(load.isOverCap(load.days[1]));
    QVERIFY(!load.isOverflow(load.days[1]));
    QCOMPARE(load.overCapDays(), 1);
    QCOMPARE(load.overflowDays(), 0);

    DailyLoadView view;
    Config config;
    view.setConfig(config);
    view.model()->setLoad(load);
    QString summary = view.summaryText();
    QVERIFY2(summary.contains(QStringLiteral("1 day over the cap of 44")), qPrintable(summary));
    QVERIFY2(summary.contains(QStringLiteral("none above 52")), qPrintable(summary));
    QVERIFY2(!summary.contains(QStringLiteral("no day over")), qPrintable(summary));
    const DailyLoadModel *model = view.model();
    QCOMPARE(model->index(1, DailyLoadModel::OverCap).data(DailyLoadModel::RawRole).toBool(), true);
    QVERIFY(model->index(1, DailyLoadModel::OverCap).data().toString().contains(QStringLiteral("5")));
    QCOMPARE(model->index(0, DailyLoadModel::OverCap).data(DailyLoadModel::RawRole).toBool(), false);

    // Above the threshold, the summary says a run moves emails.
    load.days[2].counts[int(EmailType::Birthday)] = 60;
    view.model()->setLoad(load);
    summary = view.summaryText();
    QVERIFY2(summary.contains(QStringLiteral("2 days over the cap of 44")), qPrintable(summary));
    QVERIFY2(summary.contains(QStringLiteral("1 above 52")), qPrintable(summary));

    load.days[1].counts[int(EmailType::Aep)] = 0;
    load.days[2].counts[int(EmailType::Birthday)] = 0;
    view.model()->setLoad(load);
    summary = view.summaryText();
    QVERIFY2(summary.contains(QStringLiteral("no day over the cap of 44")), qPrintable(summary));
}

void TestDailyLoad::staleAnswerIsDropped()
{
    const QString path = makeHandDb(QStringLiteral("hand.db"), true);
    DailyLoadModel model;
    QSignalSpy loaded(&model, &DailyLoadModel::loaded);
    QSignalSpy failed(&model, &DailyLoadModel::loadFailed);
    model.loadDatabase(path, m_today, 30, capConfig());
    model.loadDatabase(path, m_today, 90, capConfig());
    QVERIFY(loaded.wait());
    QCOMPARE(model.rowCount(), 90);
    // The first answer never replaces the second, not even if it arrives late: wait until the
    // first read has finished too, then deliver anything it queued.
    QTRY_COMPARE(QThreadPool::globalInstance()->activeThreadCount(), 0);
    QCoreApplication::processEvents();
    QCOMPARE(loaded.count(), 1);
    QCOMPARE(model.rowCount(), 90);
    QCOMPARE(failed.count(), 0);
}

void TestDailyLoad::clickOnBarEmitsDate()
{
    DailyLoadView view;
    view.resize(900, 300);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    view.setToday(m_today);
    view.setConfig(capConfig());
    view.setRangeDays(30);
    QCOMPARE(view.rangeDays(), 30);
    QSignalSpy loaded(view.model(), &DailyLoadModel::loaded);
    view.setDatabase(makeHandDb(QStringLiteral("hand.db"), true));
    QVERIFY(loaded.wait());
    QVERIFY2(view.summaryText().contains(QStringLiteral("1 day")), qPrintable(view.summaryText()));

    QSignalSpy clicked(&view, &DailyLoadView::dayClicked);
    for (const QDate date : { QDate(2025, 3, 5), m_today, m_today.addDays(29) }) {
        const QPoint at = view.dayPosition(date);
        QVERIFY(view.chart()->rect().contains(at));
        QTest::mouseClick(view.chart(), Qt::LeftButton, {}, at);
        QCOMPARE(clicked.count(), 1);
        QCOMPARE(clicked.takeFirst().at(0).toDate(), date);
    }
    QCOMPARE(view.dayPosition(m_today.addDays(30)), QPoint(-1, -1));
    QTest::mouseClick(view.chart(), Qt::LeftButton, {}, QPoint(2, 2)); // the axis, not a day
    QCOMPARE(clicked.count(), 0);

    // A new range reads again and keeps the click mapping right.
    view.setRangeDays(90);
    QVERIFY(loaded.wait());
    QCOMPARE(view.model()->rowCount(), 90);
    QTest::mouseClick(view.chart(), Qt::LeftButton, {}, view.dayPosition(m_today.addDays(60)));
    QCOMPARE(clicked.count(), 1);
    QCOMPARE(clicked.takeFirst().at(0).toDate(), m_today.addDays(60));
}

void TestDailyLoad::contactFilterByScheduledDay()
{
    ContactQuery query;
    QVERIFY(query.open(makeHandDb(QStringLiteral("hand.db"), true)).ok());
    const auto ids = [&](QDate date, const QString &email) {
        ContactIndexRequest request;
        request.today = m_today;
        request.filter.setScheduledOn(date);
        request.filter.setColumnText(ContactColumn::Email, email);
        const Result<QList<qint64>> found = query.buildIndex(request);
        return found ? found.value() : QList<qint64> { -1 };
    };
    QCOMPARE(ids(QDate(2025, 3, 5), QString()), (QList<qint64> { 1, 2, 4 }));
    QCOMPARE(ids(QDate(2025, 3, 4), QString()), (QList<qint64> { 2 })); // not the sent or skipped rows
    QCOMPARE(ids(QDate(2025, 3, 5), QStringLiteral("bob")), (QList<qint64> { 2 }));
    QCOMPARE(ids(QDate(2025, 3, 6), QString()), QList<qint64>());
    QCOMPARE(ids(QDate(), QString()), (QList<qint64> { 1, 2, 3, 4 }));

    ContactFilter filter;
    QVERIFY(filter.isEmpty());
    filter.setScheduledOn(QDate(2025, 3, 5));
    QVERIFY(!filter.isEmpty());
    QVERIFY(filter.isPredicateEmpty());

    ContactQuery bare;
    QVERIFY(bare.open(makeHandDb(QStringLiteral("bare.db"), false)).ok());
    ContactIndexRequest request;
    request.filter.setScheduledOn(QDate(2025, 3, 5));
    const Result<QList<qint64>> none = bare.buildIndex(request);
    QVERIFY2(none.ok(), qPrintable(none.errorMessage()));
    QVERIFY(none->isEmpty());
}

void TestDailyLoad::mainWindowClickFiltersContacts()
{
    MainWindow window(m_dir->filePath(QStringLiteral("settings.ini")));
    window.setConfig(capConfig());
    window.setAsOfDate(m_today);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    window.dailyLoadDock()->show();
    window.dailyLoadDock()->raise();
    DailyLoadView *view = window.dailyLoadView();
    QSignalSpy loaded(view->model(), &DailyLoadModel::loaded);
    window.openDatabase(makeHandDb(QStringLiteral("hand.db"), true));
    QTRY_VERIFY(view->model()->rowCount() > 0 && !view->model()->isLoading());
    ContactTableModel *contacts = window.contactsPage()->model();
    QTRY_COMPARE(contacts->rowCount(), 4);

    QTest::mouseClick(view->chart(), Qt::LeftButton, {}, view->dayPosition(QDate(2025, 3, 5)));
    QCOMPARE(window.contactsPage()->scheduledDateFilter(), QDate(2025, 3, 5));
    QTRY_COMPARE(contacts->rowCount(), 3);
    QTRY_VERIFY(!contacts->isLoading());
    QCOMPARE(contacts->rowCount(), 3);

    window.contactsPage()->setScheduledDateFilter(QDate());
    QTRY_COMPARE(contacts->rowCount(), 4);

    // The day filter belongs to one database's schedule: opening another one clears it.
    QTest::mouseClick(view->chart(), Qt::LeftButton, {}, view->dayPosition(QDate(2025, 3, 5)));
    QTRY_COMPARE(contacts->rowCount(), 3);
    window.openDatabase(makeHandDb(QStringLiteral("other.db"), true));
    QTRY_VERIFY(!window.contactsPage()->scheduledDateFilter().isValid()); // opened off the GUI thread
    QTRY_VERIFY(!contacts->isLoading());
    QTRY_COMPARE(contacts->rowCount(), 4);
}

QTEST_MAIN(TestDailyLoad)
#include "tst_dailyload.moc"
