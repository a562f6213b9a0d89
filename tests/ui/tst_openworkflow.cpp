// Opening databases and finding contacts, end to end through the real MainWindow: File ▸ Open
// through the real QFileDialog (typed path, Enter), a broken file, a locked and a read-only
// database, the recent-file menu with Ctrl+n as real key events, the "as of" date typed into its
// box, the filter row after scrolling sideways, Tab through the filter boxes, Clear all, and the
// keyboard ways into "Show:", "As of" and the docks.

#include "contactspage.h"
#include "dailyloadview.h"
#include "filterheader.h"
#include "items/contacttablemodel.h"
#include "items/dailyloadmodel.h"
#include "items/schedulepreviewmodel.h"
#include "mainwindow.h"
#include "modalscript.h"
#include "schedulepreviewdock.h"

#include <QAction>
#include <QApplication>
#include <QComboBox>
#include <QDateEdit>
#include <QDockWidget>
#include <QFile>
#include <QFileDialog>
#include <QLineEdit>
#include <QMenuBar>
#include <QRegularExpression>
#include <QScrollBar>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QThreadPool>
#include <QToolButton>

#include <sqlite3.h>

using namespace ContactColumn;

namespace {
constexpr int kSampleRows = 663;
constexpr int kWaitMs = 15000;
} // namespace

class TestOpenWorkflow : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void openThroughFileDialog();
    void brokenFileKeepsCurrentDatabase();
    void lockedDatabaseSaysSo();
    void readOnlyDatabaseSaysSoAtOpen();
    void recentMenuShortcutsOpenTheRightFile();
    void anotherDatabaseStartsUnfiltered();
    void demoNoticeStaysAfterOpen();
    void asOfDateTypedChangesPreview();
    void filterBoxFollowsHorizontalScroll();
    void filterBoxFollowsMovedAndHiddenSections();
    void tabWalksFilterBoxesThenTable();
    void clearAllEmptiesEveryFilter();
    void filterChangeScrollsToTop();
    void keyboardReachesShowAsOfAndDocks();

private:
    QString copySample(const QString &name) const;
    void openDirect(const QString &path);
    // File ▸ Open Database… by Ctrl+O; the real file dialog is answered by typing `path`.
    void openThroughDialog(const QString &path);
    void waitLoaded();
    QAction *menuAction(const QString &menu, const QString &text) const;

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<MainWindow> m_window;
    QString m_db;
    const QDate m_today { 2025, 3, 3 };
};

void TestOpenWorkflow::initTestCase()
{
    // The widget file dialog on every platform, so the test types into the same one each time.
    QCoreApplication::setAttribute(Qt::AA_DontUseNativeDialogs);
    // The demo database goes to a throw-away data folder, not the user's.
    QStandardPaths::setTestModeEnabled(true);
}

void TestOpenWorkflow::init()
{
    // Two actions with one key run neither: that must never happen.
    QTest::failOnWarning(QRegularExpression(QStringLiteral("Ambiguous shortcut")));
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_db = copySample(QStringLiteral("org-206.sqlite3"));
    m_window = std::make_unique<MainWindow>(m_dir->filePath(QStringLiteral("settings.ini")));
    m_window->setAsOfDate(m_today);
    m_window->resize(1280, 800);
    m_window->show();
    m_window->activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(m_window.get()));
}

void TestOpenWorkflow::cleanup()
{
    m_window.reset();
    m_dir.reset();
}

QString TestOpenWorkflow::copySample(const QString &name) const
{
    const QString path = m_dir->filePath(name);
    QFile::remove(path);
    if (!QFile::copy(qEnvironmentVariable("ES_TEST_DATA") + QStringLiteral("/samples/org-206.sqlite3"), path))
        return {};
    QFile::setPermissions(path, QFile::ReadOwner | QFile::WriteOwner);
    return path;
}

void TestOpenWorkflow::openDirect(const QString &path)
{
    QSignalSpy opened(m_window.get(), &MainWindow::databaseOpened);
    m_window->openDatabase(path);
    QVERIFY(opened.wait(kWaitMs));
    waitLoaded();
}

void TestOpenWorkflow::waitLoaded()
{
    ContactTableModel *model = m_window->contactsPage()->model();
    QTRY_VERIFY_WITH_TIMEOUT(!model->isLoading() && model->rowCount() > 0, kWaitMs);
}

QAction *TestOpenWorkflow::menuAction(const QString &menu, const QString &text) const
{
    for (QAction *top : m_window->menuBar()->actions()) {
        if (top->text().remove(u'&') != menu || !top->menu())
            continue;
        for (QAction *action : top->menu()->actions()) {
            if (action->text().remove(u'&') == text)
                return action;
        }
    }
    return nullptr;
}

void TestOpenWorkflow::openThroughDialog(const QString &path)
{
    QString typed;
    ModalScript script;
    script.then([&typed, path](QWidget *modal) {
        auto *dialog = qobject_cast<QFileDialog *>(modal);
        QVERIFY(dialog);
        auto *name = dialog->findChild<QLineEdit *>(QStringLiteral("fileNameEdit"));
        QVERIFY(name);
        // Typed with the keyboard focus in the name box, as a user would: without it the dialog
        // replaces the box's text with what its list selected meanwhile.
        dialog->activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(dialog));
        name->setFocus();
        QTRY_VERIFY(name->hasFocus());
        QTest::keyClicks(name, path);
        typed = name->text();
        // Enter goes where the keyboard is: first to the completion list if it popped up
        // (which closes it), then to the dialog.
        for (int presses = 0; presses < 3 && dialog->isVisible(); ++presses) {
            QWidget *popup = QApplication::activePopupWidget();
            QTest::keyClick(popup ? popup : name, Qt::Key_Return);
        }
    });
    // Ctrl+O as a key press on the window: the shortcut opens the dialog, which blocks here
    // until the script has answered it.
    QTest::keyClick(m_window.get(), Qt::Key_O, Qt::ControlModifier);
    QTRY_VERIFY(script.done());
    QCOMPARE(typed, path);
    QCOMPARE(script.titles().value(0), u"Open Organisation Database"_qs);
}

void TestOpenWorkflow::openThroughFileDialog()
{
    QVERIFY(menuAction(u"File"_qs, u"Open Database…"_qs));
    QSignalSpy opened(m_window.get(), &MainWindow::databaseOpened);
    openThroughDialog(m_db);
    QVERIFY(opened.wait(kWaitMs) || !opened.isEmpty());
    QCOMPARE(opened.first().first().toString(), m_db);
    QTRY_COMPARE_WITH_TIMEOUT(m_window->contactsPage()->model()->rowCount(), kSampleRows, kWaitMs);
    QCOMPARE(m_window->databasePath(), m_db);
    QVERIFY(m_window->windowTitle().startsWith(u"org-206.sqlite3"));
    QVERIFY(m_window->bannerText().isEmpty());
    QVERIFY(m_window->noticeText().isEmpty()); // a writable database of the user's own
}

void TestOpenWorkflow::brokenFileKeepsCurrentDatabase()
{
    openDirect(m_db);
    const QString broken = m_dir->filePath(QStringLiteral("budget.db"));
    QFile file(broken);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(QByteArray(4096, 'x'));
    file.close();

    QSignalSpy failed(m_window.get(), &MainWindow::databaseFailed);
    openThroughDialog(broken);
    QVERIFY(failed.wait(kWaitMs) || !failed.isEmpty());
    const QString banner = m_window->bannerText();
    QVERIFY2(banner.contains(u"budget.db") && banner.contains(u"not an SQLite database"), qPrintable(banner));
    QVERIFY2(banner.contains(u"org-206.sqlite3 stays open"), qPrintable(banner));
    QCOMPARE(m_window->databasePath(), m_db);
    QCOMPARE(m_window->contactsPage()->model()->rowCount(), kSampleRows);
    QVERIFY(m_window->windowTitle().startsWith(u"org-206.sqlite3"));
    QVERIFY(QApplication::activeModalWidget() == nullptr); // the banner, no message box

    // Opening a good one afterwards hides the banner.
    QSignalSpy opened(m_window.get(), &MainWindow::databaseOpened);
    m_window->openDatabase(m_db);
    QVERIFY(opened.wait(kWaitMs));
    QVERIFY(m_window->bannerText().isEmpty());
}

void TestOpenWorkflow::lockedDatabaseSaysSo()
{
    openDirect(m_db);
    const QString locked = copySample(QStringLiteral("org-locked.sqlite3"));
    // Another program in the middle of writing: it holds the exclusive lock.
    sqlite3 *other = nullptr;
    QCOMPARE(sqlite3_open(QFile::encodeName(locked).constData(), &other), SQLITE_OK);
    QCOMPARE(sqlite3_exec(other,
                          "PRAGMA locking_mode=EXCLUSIVE; BEGIN EXCLUSIVE; "
                          "UPDATE contacts SET first_name = first_name WHERE id = 1;",
                          nullptr, nullptr, nullptr),
             SQLITE_OK);

    QSignalSpy failed(m_window.get(), &MainWindow::databaseFailed);
    m_window->openDatabase(locked);
    // The open check waits for the lock as long as the program does (10 s), then says so.
    QVERIFY(failed.wait(30000));
    sqlite3_exec(other, "ROLLBACK", nullptr, nullptr, nullptr);
    sqlite3_close(other);
    const QString banner = m_window->bannerText();
    QVERIFY2(banner.contains(u"org-locked.sqlite3") && banner.contains(u"locked by another program"),
             qPrintable(banner));
    QVERIFY2(banner.contains(u"org-206.sqlite3 stays open"), qPrintable(banner));
    QCOMPARE(m_window->databasePath(), m_db);
    QCOMPARE(m_window->contactsPage()->model()->rowCount(), kSampleRows);
}

void TestOpenWorkflow::readOnlyDatabaseSaysSoAtOpen()
{
    const QString readOnly = copySample(QStringLiteral("org-readonly.sqlite3"));
    QVERIFY(QFile::setPermissions(readOnly, QFile::ReadOwner | QFile::ReadGroup | QFile::ReadOther));
    QSignalSpy opened(m_window.get(), &MainWindow::databaseOpened);
    openThroughDialog(readOnly);
    QVERIFY(opened.wait(kWaitMs) || !opened.isEmpty());
    waitLoaded();
    // Said when the file opens, before any batch is computed; the contacts are still shown.
    const QString notice = m_window->noticeText();
    QVERIFY2(notice.contains(u"org-readonly.sqlite3 is read-only") && notice.contains(u"cannot write"),
             qPrintable(notice));
    QCOMPARE(m_window->contactsPage()->model()->rowCount(), kSampleRows);
    QVERIFY(m_window->bannerText().isEmpty());

    // A writable one afterwards has nothing to say.
    openDirect(m_db);
    QVERIFY2(m_window->noticeText().isEmpty(), qPrintable(m_window->noticeText()));

    // A read-only folder (root may write anywhere, so only for other users).
    QTemporaryDir folder;
    const QString inFolder = folder.filePath(QStringLiteral("org-folder.sqlite3"));
    QVERIFY(QFile::copy(m_db, inFolder));
    QVERIFY(QFile::setPermissions(folder.path(), QFile::ReadOwner | QFile::ExeOwner));
    if (QFileInfo(folder.path()).isWritable()) {
        QFile::setPermissions(folder.path(), QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
        return; // running as root: a read-only folder is writable
    }
    openDirect(inFolder);
    QFile::setPermissions(folder.path(), QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
    QVERIFY2(m_window->noticeText().contains(u"folder"), qPrintable(m_window->noticeText()));
}

void TestOpenWorkflow::recentMenuShortcutsOpenTheRightFile()
{
    const QString first = m_db;
    const QString second = copySample(QStringLiteral("org-second.sqlite3"));
    openDirect(first);
    openDirect(second); // recent: second, first
    openDirect(first);  // recent: first, second
    openDirect(second); // recent: second, first — the menu was rebuilt four times

    QAction *recent = menuAction(u"File"_qs, u"Open Recent"_qs);
    QVERIFY(recent && recent->menu());
    const QList<QAction *> items = recent->menu()->actions();
    QCOMPARE(items.size(), 2);
    QCOMPARE(items.at(0)->text(), u"&1 org-second.sqlite3"_qs);
    QCOMPARE(items.at(1)->shortcut(), QKeySequence(Qt::CTRL | Qt::Key_2));
    // One action per key on the whole window, shown in the menu.
    int withCtrl2 = 0;
    for (QAction *action : m_window->findChildren<QAction *>()) {
        if (action->shortcut() == QKeySequence(Qt::CTRL | Qt::Key_2))
            ++withCtrl2;
    }
    QCOMPARE(withCtrl2, 1);

    // Ctrl+2 as a real key press opens the second most recent database.
    QSignalSpy opened(m_window.get(), &MainWindow::databaseOpened);
    m_window->contactsPage()->view()->setFocus();
    QTest::keyClick(m_window->contactsPage()->view(), Qt::Key_2, Qt::ControlModifier);
    QVERIFY(opened.wait(kWaitMs));
    QCOMPARE(opened.last().first().toString(), first);
    QCOMPARE(m_window->databasePath(), first);
    waitLoaded();

    // The menu follows: Ctrl+2 is now the other one.
    opened.clear();
    QTest::keyClick(m_window->contactsPage()->view(), Qt::Key_2, Qt::ControlModifier);
    QVERIFY(opened.wait(kWaitMs));
    QCOMPARE(m_window->databasePath(), second);
    waitLoaded();
}

void TestOpenWorkflow::anotherDatabaseStartsUnfiltered()
{
    openDirect(m_db);
    ContactsPage *page = m_window->contactsPage();
    ContactTableModel *model = page->model();
    page->setColumnFilter(LastName, u"zzzz-nobody"_qs);
    page->setQuickFilter(QuickFilter::YearRoundStates);
    QTRY_VERIFY_WITH_TIMEOUT(!model->isLoading() && model->rowCount() == 0, kWaitMs);
    QVERIFY(page->filterSummary().contains(u"Last name"));

    const QString other = copySample(QStringLiteral("org-other.sqlite3"));
    openDirect(other);
    QTRY_COMPARE_WITH_TIMEOUT(model->rowCount(), kSampleRows, kWaitMs);
    QVERIFY(page->filterHeader()->filterText(LastName).isEmpty());
    QCOMPARE(page->quickFilterBox()->currentData().toInt(), int(QuickFilter::All));
    QVERIFY(page->filterSummary().isEmpty());
    QVERIFY(page->statusText().contains(u"of 663"));

    // Reopening the same database keeps what the user typed.
    page->setColumnFilter(State, u"ks"_qs);
    QTRY_VERIFY_WITH_TIMEOUT(!model->isLoading() && model->rowCount() < kSampleRows, kWaitMs);
    const int kansas = model->rowCount();
    openDirect(other);
    QCOMPARE(page->filterHeader()->filterText(State), u"ks"_qs);
    QTRY_COMPARE_WITH_TIMEOUT(model->rowCount(), kansas, kWaitMs);
}

void TestOpenWorkflow::demoNoticeStaysAfterOpen()
{
    QFile::remove(MainWindow::demoDatabasePath());
    QSignalSpy opened(m_window.get(), &MainWindow::databaseOpened);
    m_window->openDemoDatabase();
    QVERIFY(opened.wait(60000));
    waitLoaded();
    // Everything the open started (the table, sends per day, run history) has answered, and what
    // it queued has been delivered: anything hiding the notice after the open has run.
    QTRY_VERIFY_WITH_TIMEOUT(!m_window->dailyLoadView()->model()->isLoading()
                                 && QThreadPool::globalInstance()->activeThreadCount() == 0,
                             kWaitMs);
    QCoreApplication::processEvents();
    QVERIFY2(m_window->noticeText().contains(u"made-up contacts"), qPrintable(m_window->noticeText()));

    // It stays while the demo is open, also when the demo is opened again, and goes with it.
    openDirect(m_db);
    QVERIFY(m_window->noticeText().isEmpty());
    openDirect(MainWindow::demoDatabasePath());
    QVERIFY(m_window->noticeText().contains(u"made-up contacts"));
    QFile::remove(MainWindow::demoDatabasePath());
}

void TestOpenWorkflow::asOfDateTypedChangesPreview()
{
    openDirect(m_db);
    ContactsPage *page = m_window->contactsPage();
    SchedulePreviewDock *preview = m_window->previewDock();
    QSignalSpy shown(preview, &SchedulePreviewDock::previewShown);
    QVERIFY(page->selectContact(1));
    QTRY_VERIFY_WITH_TIMEOUT(!shown.isEmpty() && shown.last().first().toLongLong() == 1, kWaitMs);
    auto dates = [preview] {
        QStringList list;
        for (int r = 0; r < preview->model()->rowCount(); ++r) {
            for (int c = 0; c < preview->model()->columnCount(); ++c)
                list << preview->model()->index(r, c).data().toString();
        }
        return list;
    };
    const QStringList before = dates();
    QVERIFY(!before.isEmpty());

    // Alt+A (the label's mnemonic) puts the cursor in the date; the year is typed over.
    auto *asOf = m_window->findChild<QDateEdit *>(QStringLiteral("asOfDate"));
    QVERIFY(asOf);
    QTest::keyClick(m_window.get(), Qt::Key_A, Qt::AltModifier);
    QTRY_COMPARE(QApplication::focusWidget(), asOf);
    shown.clear();
    QTest::keyClick(asOf, Qt::Key_End);
    for (int i = 0; i < 4; ++i)
        QTest::keyClick(asOf, Qt::Key_Backspace);
    QTest::keyClicks(asOf, u"2027"_qs);
    QTest::keyClick(asOf, Qt::Key_Return);
    QTRY_COMPARE(m_window->asOfDate(), QDate(2027, 3, 3));
    QTRY_VERIFY_WITH_TIMEOUT(!shown.isEmpty(), kWaitMs);
    QTRY_VERIFY_WITH_TIMEOUT(dates() != before, kWaitMs);
    QVERIFY(dates().join(u' ').contains(u"2027"));
}

void TestOpenWorkflow::filterBoxFollowsHorizontalScroll()
{
    m_window->resize(700, 700); // narrow: the table scrolls sideways
    openDirect(m_db);
    ContactsPage *page = m_window->contactsPage();
    ContactTableModel *model = page->model();
    FilterHeader *header = page->filterHeader();
    QScrollBar *bar = page->view()->horizontalScrollBar();
    QTRY_VERIFY(bar->maximum() > 0);
    // The user is on a contact born in 1953, who stays listed by the filter below.
    qint64 current = 0;
    for (int r = 0; r < 100 && current == 0; ++r) {
        QTRY_VERIFY(model->index(r, BirthDate).data(ContactTableModel::LoadedRole).toBool());
        if (model->index(r, BirthDate).data().toString().contains(u"1953"))
            current = model->contactId(r);
    }
    QVERIFY(current != 0);
    QVERIFY(page->selectContact(current));

    // Scroll right until "Birth date" is in view, as dragging the scroll bar does.
    auto birthDateShown = [header] {
        const int left = header->sectionViewportPosition(BirthDate);
        return left >= 0 && left < header->width() - 20;
    };
    for (int value = 1; value <= bar->maximum() && (bar->value() == 0 || !birthDateShown()); ++value)
        bar->setValue(value);
    QVERIFY(birthDateShown());
    QVERIFY(bar->value() > 0);
    QVERIFY(header->sectionViewportPosition(Id) < 0); // ID is scrolled away

    // Click the box a user sees under "Birth date" and type a year.
    const QPoint under(header->sectionViewportPosition(BirthDate) + 10, header->height() - 4);
    QWidget *clicked = header->childAt(under);
    while (clicked && !qobject_cast<QLineEdit *>(clicked))
        clicked = clicked->parentWidget();
    QVERIFY(clicked);
    QCOMPARE(header->columnOf(clicked), int(BirthDate));
    QTest::mouseClick(clicked, Qt::LeftButton);
    QTest::keyClicks(clicked, u"1953"_qs);
    QTRY_VERIFY_WITH_TIMEOUT(!model->isLoading() && model->rowCount() > 0 && model->rowCount() < kSampleRows,
                             kWaitMs);
    QCOMPARE(model->filter().columnText(BirthDate), u"1953"_qs);
    QVERIFY(model->filter().columnText(Id).isEmpty());
    for (int r = 0; r < model->rowCount(); ++r)
        QTRY_VERIFY(model->index(r, BirthDate).data().toString().contains(u"1953"));
    // The current contact is kept, and the columns stay where the user scrolled them: the box
    // just typed into is still under the pointer.
    QCOMPARE(page->currentContactId(), current);
    QVERIFY(bar->value() > 0);
    QVERIFY(birthDateShown());
    QCOMPARE(clicked->x(), header->sectionViewportPosition(BirthDate));

    // Scrolled back, the active filter is still said beside "Show:", and its box keeps its text.
    bar->setValue(0);
    QTRY_VERIFY(header->sectionViewportPosition(Id) == 0);
    QCOMPARE(page->filterSummary(), u"Filtered by Birth date"_qs);
    QCOMPARE(page->filterSummary(true), u"Filtered by Birth date “1953”"_qs);
    auto *summary = page->findChild<QWidget *>(QStringLiteral("filterSummary"));
    QVERIFY(summary && summary->isVisible());
    QCOMPARE(header->editor(BirthDate)->text(), u"1953"_qs);
    QCOMPARE(header->editor(BirthDate)->x(), header->sectionViewportPosition(BirthDate));
    QCOMPARE(header->editor(Id)->x(), 0);
    QVERIFY(header->editor(Id)->text().isEmpty());
}

void TestOpenWorkflow::filterBoxFollowsMovedAndHiddenSections()
{
    openDirect(m_db);
    ContactsPage *page = m_window->contactsPage();
    FilterHeader *header = page->filterHeader();
    // Drag "State" to the front and hide "Email": every box stays under its own column.
    header->moveSection(header->visualIndex(State), 0);
    header->hideSection(Email);
    QTRY_COMPARE(header->editor(State)->x(), 0);
    QTRY_VERIFY(!header->editor(Email)->isVisible());
    for (int c = 0; c < ColumnCount; ++c) {
        if (c == Email)
            continue;
        QCOMPARE(header->editor(c)->x(), header->sectionViewportPosition(c));
        QCOMPARE(header->editor(c)->width(), header->sectionSize(c));
    }
    header->resizeSection(State, 150);
    QCOMPARE(header->editor(Id)->x(), header->sectionViewportPosition(Id));
    QCOMPARE(header->editor(State)->width(), 150);

    // Typed into the box now first on screen: filters State.
    QTest::mouseClick(header->editor(State), Qt::LeftButton);
    QTest::keyClicks(header->editor(State), u"ks"_qs);
    QTest::keyClick(header->editor(State), Qt::Key_Return);
    ContactTableModel *model = page->model();
    QTRY_VERIFY_WITH_TIMEOUT(!model->isLoading() && model->rowCount() < kSampleRows, kWaitMs);
    QCOMPARE(model->filter().columnText(State), u"ks"_qs);
}

void TestOpenWorkflow::tabWalksFilterBoxesThenTable()
{
    openDirect(m_db);
    ContactsPage *page = m_window->contactsPage();
    FilterHeader *header = page->filterHeader();
    header->moveSection(header->visualIndex(Zip), 1); // ID, ZIP, First name, …
    QList<int> expected;
    for (int visual = 0; visual < header->count(); ++visual)
        expected << header->logicalIndex(visual);
    QCOMPARE(expected.value(1), int(Zip));

    // Into the row from "Show:" (Alt+S), then Tab box by box, left to right as shown.
    QTest::keyClick(m_window.get(), Qt::Key_S, Qt::AltModifier);
    QTRY_COMPARE(QApplication::focusWidget(), page->quickFilterBox());
    QTest::keyClick(QApplication::focusWidget(), Qt::Key_Tab);
    QList<int> walked;
    for (int i = 0; i < header->count(); ++i) {
        QWidget *focus = QApplication::focusWidget();
        walked << header->columnOf(focus);
        // The box with the focus is in view even when its column was scrolled away.
        if (header->columnOf(focus) >= 0) {
            QVERIFY(focus->x() >= 0);
            QVERIFY(focus->x() < header->width());
        }
        QTest::keyClick(focus, Qt::Key_Tab);
    }
    QCOMPARE(walked, expected);
    QCOMPARE(QApplication::focusWidget(), page->view());

    // Shift+Tab goes back the same way, out of the table into the last box.
    QTest::keyClick(page->view(), Qt::Key_Backtab, Qt::ShiftModifier);
    QCOMPARE(header->columnOf(QApplication::focusWidget()), expected.last());
    QTest::keyClick(QApplication::focusWidget(), Qt::Key_Backtab, Qt::ShiftModifier);
    QCOMPARE(header->columnOf(QApplication::focusWidget()), expected.value(expected.size() - 2));

    // Tab from the table leaves it (to the docks) rather than walking its cells.
    page->view()->setFocus();
    QTest::keyClick(page->view(), Qt::Key_Tab);
    QVERIFY(QApplication::focusWidget() != page->view());
    QCOMPARE(header->columnOf(QApplication::focusWidget()), -1);
}

void TestOpenWorkflow::clearAllEmptiesEveryFilter()
{
    openDirect(m_db);
    ContactsPage *page = m_window->contactsPage();
    ContactTableModel *model = page->model();
    FilterHeader *header = page->filterHeader();
    auto *clearAll = page->findChild<QToolButton *>(QStringLiteral("clearFilters"));
    QVERIFY(clearAll);
    QVERIFY(!clearAll->isVisible());

    QTest::keyClicks(header->editor(LastName), u"b"_qs);
    QTest::keyClick(header->editor(LastName), Qt::Key_Return);
    QTest::keyClicks(header->editor(State), u"k"_qs);
    QTest::keyClick(header->editor(State), Qt::Key_Return);
    page->setQuickFilter(QuickFilter::BirthdayRuleStates);
    QTRY_VERIFY_WITH_TIMEOUT(!model->isLoading() && model->rowCount() < kSampleRows, kWaitMs);
    QCOMPARE(page->filterSummary(), u"Filtered by Birthday-rule states, Last name, State"_qs);
    QCOMPARE(page->filterSummary(true), u"Filtered by Birthday-rule states, Last name “b”, State “k”"_qs);
    QVERIFY(clearAll->isVisible());

    QTest::mouseClick(clearAll, Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(model->rowCount(), kSampleRows, kWaitMs);
    for (int c = 0; c < ColumnCount; ++c)
        QVERIFY(header->filterText(c).isEmpty());
    QCOMPARE(page->quickFilterBox()->currentData().toInt(), int(QuickFilter::All));
    QVERIFY(page->filterSummary().isEmpty());
    QVERIFY(!clearAll->isVisible());
}

void TestOpenWorkflow::filterChangeScrollsToTop()
{
    m_window->resize(1000, 700);
    openDirect(m_db);
    ContactsPage *page = m_window->contactsPage();
    ContactTableModel *model = page->model();
    QScrollBar *vertical = page->view()->verticalScrollBar();
    QTRY_VERIFY(vertical->maximum() > 100);
    vertical->setValue(vertical->maximum());
    QTRY_VERIFY(page->view()->rowAt(0) > 100);

    // A filter that still matches many contacts: the view starts at its first match.
    QLineEdit *box = page->filterHeader()->editor(Email);
    QTest::mouseClick(box, Qt::LeftButton);
    QTest::keyClicks(box, u"."_qs);
    QTRY_VERIFY_WITH_TIMEOUT(!model->isLoading() && model->filter().columnText(Email) == u".", kWaitMs);
    QVERIFY(vertical->maximum() > 0);
    QTRY_COMPARE(vertical->value(), 0);
    QTRY_VERIFY(page->statusText().startsWith(u"1–"));

    // The contact the user was on stays in view when the new result still lists it.
    const int near = model->rowCount() - 5;
    const qint64 wanted = model->contactId(near);
    QVERIFY(page->selectContact(wanted));
    QTRY_VERIFY(vertical->value() > 0);
    QTRY_VERIFY(model->index(near, Email).data(ContactTableModel::LoadedRole).toBool());
    const QString email = model->index(near, Email).data().toString();
    const QString domain = email.mid(email.indexOf(u'@'));
    QVERIFY(domain.size() > 2);
    QTest::keyClick(box, Qt::Key_Backspace);
    QTest::keyClicks(box, domain); // the contact's own domain: it stays listed
    QTRY_VERIFY_WITH_TIMEOUT(!model->isLoading() && model->filter().columnText(Email) == domain, kWaitMs);
    const int row = model->rowOfContact(wanted);
    QVERIFY(row >= 0);
    QCOMPARE(page->currentContactId(), wanted);
    QTRY_VERIFY(page->view()->rowAt(0) <= row
                && row <= page->view()->rowAt(page->view()->viewport()->height() - 2));
}

void TestOpenWorkflow::keyboardReachesShowAsOfAndDocks()
{
    openDirect(m_db);
    ContactsPage *page = m_window->contactsPage();
    QTest::keyClick(m_window.get(), Qt::Key_S, Qt::AltModifier);
    QTRY_COMPARE(QApplication::focusWidget(), page->quickFilterBox());
    QTest::keyClick(m_window.get(), Qt::Key_A, Qt::AltModifier);
    QTRY_COMPARE(QApplication::focusWidget(), m_window->findChild<QDateEdit *>(QStringLiteral("asOfDate")));

    // View ▸ Go To: each pane by its key, listed in the menu with that key.
    const QStringList panes { u"Contact Table"_qs, u"Schedule Preview"_qs, u"Batch Run"_qs,
                              u"Problems"_qs,      u"Run History"_qs,      u"Sends per Day"_qs };
    for (int i = 0; i < panes.size(); ++i) {
        QAction *go = menuAction(u"View"_qs, panes[i]);
        QVERIFY2(go, qPrintable(panes[i]));
        QCOMPARE(go->shortcut(), QKeySequence(Qt::ALT | Qt::Key(Qt::Key_1 + i)));
    }
    QTest::keyClick(m_window.get(), Qt::Key_2, Qt::AltModifier);
    QTRY_VERIFY(m_window->previewDock()->isAncestorOf(QApplication::focusWidget()));
    QTest::keyClick(m_window.get(), Qt::Key_5, Qt::AltModifier);
    auto *history = m_window->findChild<QDockWidget *>(u"runHistoryDock"_qs);
    QVERIFY(history);
    QTRY_VERIFY(history->isAncestorOf(QApplication::focusWidget()));
    QVERIFY(!m_window->previewDock()->isAncestorOf(QApplication::focusWidget()));
    QTest::keyClick(m_window.get(), Qt::Key_6, Qt::AltModifier);
    QTRY_VERIFY(m_window->dailyLoadDock()->isAncestorOf(QApplication::focusWidget()));
    QTest::keyClick(m_window.get(), Qt::Key_1, Qt::AltModifier);
    QTRY_COMPARE(QApplication::focusWidget(), page->view());
}

QTEST_MAIN(TestOpenWorkflow)
#include "tst_openworkflow.moc"
