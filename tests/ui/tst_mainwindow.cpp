// Drives the real MainWindow (offscreen): open a database, read a contact's preview, filter,
// copy, run and cancel (database unchanged), decline (unchanged), run and confirm (written),
// open a broken file (banner, still usable), settings remembered.

#include "batchpanel.h"
#include "contactspage.h"
#include "engine.h"
#include "items/contacttablemodel.h"
#include "items/runhistorymodel.h"
#include "items/schedulepreviewmodel.h"
#include "mainwindow.h"
#include "problemsdock.h"
#include "runhistorydock.h"
#include "schedulepreviewdock.h"
#include "storage/contactsource.h"
#include "storage/orgdatabase.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QCryptographicHash>
#include <QFile>
#include <QHeaderView>
#include <QMimeData>
#include <QSettings>
#include <QSignalSpy>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

#include <sqlite3.h>

using namespace ContactColumn;

class TestMainWindow : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void opensAndShowsContacts();
    void previewExplainsSkippedEmail();
    void filterNarrowsTable();
    void copyPutsTextAndHtml();
    void cancelledRunLeavesDatabaseUnchanged();
    void declinedRunLeavesDatabaseUnchanged();
    void confirmedRunWritesSchedule();
    void settingsAreRemembered();
    void runHistoryNewestFirstWithoutAscendingArrow();

private:
    void openSample();
    QByteArray scheduleHash() const;
    BatchPanel::Outcome runBatch(const std::function<bool()> &answer, bool cancelAtOnce);

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<MainWindow> m_window;
    QString m_db;
    const QDate m_today { 2025, 3, 3 };
};

void TestMainWindow::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_db = m_dir->filePath(QStringLiteral("org-206.sqlite3"));
    QVERIFY(
        QFile::copy(qEnvironmentVariable("ES_TEST_DATA") + QStringLiteral("/samples/org-206.sqlite3"), m_db));
    QFile::setPermissions(m_db, QFile::ReadOwner | QFile::WriteOwner);
    m_window = std::make_unique<MainWindow>(m_dir->filePath(QStringLiteral("settings.ini")));
    m_window->setAsOfDate(m_today);
    m_window->show();
}

void TestMainWindow::cleanup()
{
    m_window.reset();
    m_dir.reset();
}

void TestMainWindow::openSample()
{
    QSignalSpy opened(m_window.get(), &MainWindow::databaseOpened);
    m_window->openDatabase(m_db);
    QVERIFY(opened.wait(10000));
    QTRY_COMPARE_WITH_TIMEOUT(m_window->contactsPage()->model()->rowCount(), 663, 10000);
}

QByteArray TestMainWindow::scheduleHash() const
{
    sqlite3 *db = nullptr;
    QCryptographicHash hash(QCryptographicHash::Sha256);
    if (sqlite3_open_v2(m_db.toUtf8().constData(), &db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK)
        return {};
    sqlite3_stmt *stmt = nullptr;
    sqlite3_prepare_v2(db, "SELECT * FROM email_schedules ORDER BY id", -1, &stmt, nullptr);
    while (sqlite3_step(stmt) == SQLITE_ROW) {
        for (int c = 0; c < sqlite3_column_count(stmt); ++c) {
            const auto *text = reinterpret_cast<const char *>(sqlite3_column_text(stmt, c));
            hash.addData(QByteArrayView(text ? text : "\x01NULL"));
            hash.addData("\x1f");
        }
    }
    sqlite3_finalize(stmt);
    sqlite3_close(db);
    return hash.result().toHex();
}

BatchPanel::Outcome TestMainWindow::runBatch(const std::function<bool()> &answer, bool cancelAtOnce)
{
    BatchPanel *batch = m_window->batchPanel();
    batch->setConfirmFunction(
        [answer](const BatchResult &, const ScheduleDiffSummary &) { return answer(); });
    QSignalSpy finished(batch, &BatchPanel::finished);
    m_window->runAction()->trigger();
    if (!batch->isRunning())
        return BatchPanel::Outcome::Failed;
    if (cancelAtOnce)
        batch->cancel();
    if (!finished.wait(60000))
        return BatchPanel::Outcome::Failed;
    return finished.first().first().value<BatchPanel::Outcome>();
}

void TestMainWindow::opensAndShowsContacts()
{
    openSample();
    ContactTableModel *model = m_window->contactsPage()->model();
    QTRY_VERIFY(model->index(0, LastName).data(ContactTableModel::LoadedRole).toBool());
    QCOMPARE(model->index(0, FirstName).data().toString(), u"Reuben"_qs);
    QCOMPARE(m_window->databasePath(), m_db);
    QVERIFY(m_window->windowTitle().contains(u"org-206.sqlite3"));
    QTRY_VERIFY(m_window->contactsPage()->statusText().contains(u"of 663"));
}

void TestMainWindow::previewExplainsSkippedEmail()
{
    openSample();
    // A contact whose schedule has a window-skipped email, found with the engine directly.
    qint64 wanted = 0;
    {
        Result<OrgDatabase> db = OrgDatabase::open(m_db, OrgDatabase::Mode::ReadOnly);
        QVERIFY(db.ok());
        ContactSource source(db.value());
        QVERIFY(source
                    .readRange(0, 100000, ContactSource::Fields::All,
                               [&](const Contact &c, std::span<const HistoryEntry> h) {
                                   if (wanted)
                                       return;
                                   for (const ScheduledEmail &e :
                                        Engine::scheduleContact(c, h, m_today, Config()).emails) {
                                       if (e.reason == SkipReason::BirthdayWindow)
                                           wanted = c.id;
                                   }
                               })
                    .ok());
    }
    QVERIFY(wanted != 0);
    QSignalSpy shown(m_window->previewDock(), &SchedulePreviewDock::previewShown);
    QVERIFY(m_window->contactsPage()->selectContact(wanted));
    QTRY_VERIFY_WITH_TIMEOUT(!shown.isEmpty() && shown.last().first().toLongLong() == wanted, 10000);
    SchedulePreviewModel *preview = m_window->previewDock()->model();
    QVERIFY(preview->rowCount() > 0);
    bool explained = false;
    for (int r = 0; r < preview->rowCount(); ++r) {
        const QString why = preview->index(r, SchedulePreviewModel::Details).data().toString();
        if (preview->index(r, 0).data(SchedulePreviewModel::SkippedRole).toBool() && why.contains(u"window"))
            explained = true;
    }
    QVERIFY(explained);
    QVERIFY(m_window->previewDock()->headline().contains(QString::number(wanted)));

    // Another "as of" date recomputes the preview.
    shown.clear();
    m_window->setAsOfDate(m_today.addMonths(6));
    QVERIFY(shown.wait(10000));
}

void TestMainWindow::filterNarrowsTable()
{
    openSample();
    ContactsPage *page = m_window->contactsPage();
    ContactTableModel *model = page->model();
    page->setColumnFilter(State, u"ks"_qs);
    QTRY_VERIFY_WITH_TIMEOUT(!model->isLoading() && model->rowCount() < 663, 10000);
    QVERIFY(model->rowCount() > 0);
    for (int r = 0; r < model->rowCount(); ++r)
        QTRY_COMPARE(model->index(r, State).data().toString().toUpper(), u"KS"_qs);

    // Debounced typing ends in the same result; clearing shows everything again.
    page->setColumnFilter(State, QString());
    QTRY_COMPARE_WITH_TIMEOUT(model->rowCount(), 663, 10000);
    page->setQuickFilter(QuickFilter::YearRoundStates);
    QTRY_VERIFY_WITH_TIMEOUT(!model->isLoading() && model->rowCount() < 663, 10000);
}

void TestMainWindow::copyPutsTextAndHtml()
{
    openSample();
    QTableView *view = m_window->contactsPage()->view();
    QTRY_VERIFY(
        m_window->contactsPage()->model()->index(1, LastName).data(ContactTableModel::LoadedRole).toBool());
    view->selectRow(0);
    view->selectionModel()->select(view->model()->index(1, 0),
                                   QItemSelectionModel::Select | QItemSelectionModel::Rows);
    QTRY_VERIFY(m_window->contactsPage()->statusText().contains(u"2 selected"));
    QCOMPARE(m_window->contactsPage()->copySelection(), 2);
    const QMimeData *mime = QApplication::clipboard()->mimeData();
    const QStringList lines = mime->text().split(u'\n', Qt::SkipEmptyParts);
    QCOMPARE(lines.size(), 3); // header + 2 rows
    QVERIFY(lines.first().startsWith(u"ID\tFirst name"));
    QVERIFY(lines.at(1).startsWith(u"1\tReuben\tBrooks"));
    QVERIFY(mime->html().contains(u"<td>Reuben</td>"));
}

void TestMainWindow::cancelledRunLeavesDatabaseUnchanged()
{
    openSample();
    const QByteArray before = scheduleHash();
    QVERIFY(!before.isEmpty());
    bool asked = false;
    QCOMPARE(runBatch(
                 [&asked] {
                     asked = true;
                     return true;
                 },
                 true),
             BatchPanel::Outcome::Cancelled);
    QVERIFY(!asked);
    QCOMPARE(scheduleHash(), before);
    QVERIFY(m_window->batchPanel()->message().contains(u"unchanged"));
    QVERIFY(m_window->runAction()->isEnabled());
}

void TestMainWindow::declinedRunLeavesDatabaseUnchanged()
{
    openSample();
    const QByteArray before = scheduleHash();
    bool asked = false;
    QCOMPARE(runBatch(
                 [&asked] {
                     asked = true;
                     return false;
                 },
                 false),
             BatchPanel::Outcome::Declined);
    QVERIFY(asked);
    QCOMPARE(scheduleHash(), before);
    // The problems of the computed run are listed even when nothing was written.
    QVERIFY(m_window->problemsDock()->model()->rowCount() > 0);
}

void TestMainWindow::confirmedRunWritesSchedule()
{
    openSample();
    const QByteArray before = scheduleHash();
    QCOMPARE(runBatch([] { return true; }, false), BatchPanel::Outcome::Written);
    QVERIFY(scheduleHash() != before);
    QVERIFY(m_window->batchPanel()->message().startsWith(u"Done"));
    QTRY_VERIFY_WITH_TIMEOUT(m_window->runHistoryDock()->model()->rowCount() >= 1, 10000);
    const RunRecord latest = m_window->runHistoryDock()->model()->runs().first();
    QCOMPARE(latest.today, m_today);
    QCOMPARE(latest.status, u"completed"_qs);
    QCOMPARE(latest.contacts, 663);
}

void TestMainWindow::settingsAreRemembered()
{
    openSample();
    m_window->setAsOfDate(QDate(2025, 10, 1));
    m_window->close();
    QSettings settings(m_dir->filePath(QStringLiteral("settings.ini")), QSettings::IniFormat);
    QCOMPARE(settings.value(QStringLiteral("lastDatabase")).toString(), m_db);
    QCOMPARE(settings.value(QStringLiteral("recentDatabases")).toStringList().value(0), m_db);
    QCOMPARE(settings.value(QStringLiteral("asOf")).toString(), u"2025-10-01"_qs);
    QVERIFY(!settings.value(QStringLiteral("contacts/header")).toByteArray().isEmpty());

    // A new window restores them: last database and "as of" day.
    MainWindow again(m_dir->filePath(QStringLiteral("settings.ini")));
    QSignalSpy opened(&again, &MainWindow::databaseOpened);
    again.startSession(QString());
    QVERIFY(opened.wait(10000));
    QCOMPARE(again.databasePath(), m_db);
    QCOMPARE(again.asOfDate(), QDate(2025, 10, 1));
}

// Newest run on top, and no arrow that reads as "oldest first" over "When"; a click on a column
// sorts by it and shows its arrow.
void TestMainWindow::runHistoryNewestFirstWithoutAscendingArrow()
{
    RunHistoryDock dock;
    const QDateTime start(QDate(2025, 3, 3), QTime(9, 0), Qt::UTC);
    for (int i = 0; i < 3; ++i) {
        RunRecord run;
        run.startedAt = start.addSecs(60 * i);
        run.finishedAt = run.startedAt.addSecs(5);
        run.today = m_today;
        run.status = QStringLiteral("declined");
        run.contacts = 10 - i; // the newest has the fewest
        dock.addSessionRun(QString(), run);
    }
    dock.resize(800, 300);
    dock.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dock));
    QTableView *view = dock.view();
    QHeaderView *header = view->horizontalHeader();
    QCOMPARE(view->model()->rowCount(), 3);
    auto contactsAt = [view](int row) {
        return view->model()
            ->index(row, RunHistoryModel::Contacts)
            .data(RunHistoryModel::RawValueRole)
            .toLongLong();
    };
    QCOMPARE(contactsAt(0), qint64(8)); // the newest run on top
    QCOMPARE(contactsAt(2), qint64(10));
    QCOMPARE(header->sortIndicatorSection(), int(RunHistoryModel::Started));
    QCOMPARE(header->sortIndicatorOrder(), Qt::DescendingOrder);
    QVERIFY(!header->isSortIndicatorShown());

    const int x = header->sectionViewportPosition(RunHistoryModel::Contacts)
        + header->sectionSize(RunHistoryModel::Contacts) / 2;
    QTest::mouseClick(header->viewport(), Qt::LeftButton, {}, QPoint(x, header->height() / 2));
    QCOMPARE(header->sortIndicatorSection(), int(RunHistoryModel::Contacts));
    QVERIFY(header->isSortIndicatorShown());
    QCOMPARE(contactsAt(0), header->sortIndicatorOrder() == Qt::AscendingOrder ? qint64(8) : qint64(10));
}

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
