// The first minutes of a new user, through the real MainWindow on a 1600×1000 offscreen screen:
// a database with bad rows shows its problems (tab count, dock rows, table icon) without any
// run; F5 after an outside change updates them; a run declined on its real question keeps dock
// and table in step; the first start fills the screen with every column through "Problems" in
// view, and a remembered window wins on the next start.

#include "batch/batchjob.h"
#include "batch/problemscan.h"
#include "batchpanel.h"
#include "contactspage.h"
#include "filterheader.h"
#include "items/contacttablemodel.h"
#include "mainwindow.h"
#include "modalscript.h"
#include "problemsdock.h"
#include "storage/demogenerator.h"

#include <QAction>
#include <QApplication>
#include <QDockWidget>
#include <QFile>
#include <QHeaderView>
#include <QImage>
#include <QScreen>
#include <QScrollBar>
#include <QSignalSpy>
#include <QTabBar>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

#include <sqlite3.h>

#include <memory>

using namespace ContactColumn;

class TestProblemsWorkflow : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void problemsShowWithoutRun();
    void refreshAfterOutsideChange();
    void asOfDateChecksAgain();
    void runAnswerKeepsDockAndTableInStep();
    void checkKeepsWhatOnlyARunFound();
    void reopenShowsOnlyTheNewDatabase();
    void firstStartFillsTheScreen_data();
    void firstStartFillsTheScreen();
    void rememberedWindowWins();

private:
    void openDatabase(const QString &path);
    // Every problem a batch run of the engine reports for `path` (the reference).
    QList<ProblemRow> runProblems(const QString &path, QDate today = {}) const;
    QString problemsTabText() const;
    // Whether the contact's row in the table shows the red error icon (its pixels).
    bool rowShowsErrorIcon(qint64 contactId) const;
    static bool execute(const QString &path, const char *sql);
    static QByteArray fileBytes(const QString &path);

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<MainWindow> m_window;
    QString m_db;
    QString m_settings;
    const QDate m_today { 2025, 3, 3 };
};

void TestProblemsWorkflow::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_db = m_dir->filePath(QStringLiteral("org-206.sqlite3"));
    QVERIFY(
        QFile::copy(qEnvironmentVariable("ES_TEST_DATA") + QStringLiteral("/samples/org-206.sqlite3"), m_db));
    QFile::setPermissions(m_db, QFile::ReadOwner | QFile::WriteOwner);
    m_settings = m_dir->filePath(QStringLiteral("settings.ini"));
    m_window = std::make_unique<MainWindow>(m_settings);
    m_window->setAsOfDate(m_today);
}

void TestProblemsWorkflow::cleanup()
{
    m_window.reset();
    m_dir.reset();
}

QByteArray TestProblemsWorkflow::fileBytes(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

bool TestProblemsWorkflow::execute(const QString &path, const char *sql)
{
    sqlite3 *db = nullptr;
    const bool ok = sqlite3_open(path.toUtf8().constData(), &db) == SQLITE_OK
        && sqlite3_exec(db, sql, nullptr, nullptr, nullptr) == SQLITE_OK;
    sqlite3_close(db);
    return ok;
}

void TestProblemsWorkflow::openDatabase(const QString &path)
{
    QSignalSpy opened(m_window.get(), &MainWindow::databaseOpened);
    m_window->openDatabase(path);
    QVERIFY(opened.wait(20000));
}

QList<ProblemRow> TestProblemsWorkflow::runProblems(const QString &path, QDate today) const
{
    BatchOptions options;
    options.databasePath = path;
    options.today = today.isValid() ? today : m_today;
    const auto batch = BatchJob::run(options);
    return batch ? ProblemsModel::collect(**batch) : QList<ProblemRow>();
}

QString TestProblemsWorkflow::problemsTabText() const
{
    // The tab a user sees under the tabified docks, not the dock's own title property.
    const auto bars = m_window->findChildren<QTabBar *>();
    for (const QTabBar *bar : bars) {
        for (int i = 0; i < bar->count(); ++i) {
            if (bar->tabText(i).startsWith(QStringLiteral("Problems")))
                return bar->tabText(i);
        }
    }
    return {};
}

bool TestProblemsWorkflow::rowShowsErrorIcon(qint64 contactId) const
{
    QTableView *view = m_window->contactsPage()->view();
    const ContactTableModel *model = m_window->contactsPage()->model();
    const int row = model->rowOfContact(contactId);
    if (row < 0)
        return false;
    const QModelIndex index = model->index(row, Id);
    view->scrollTo(index);
    if (!index.data(ContactTableModel::LoadedRole).toBool())
        return false;
    const QRect cell = view->visualRect(index);
    const QImage image = view->viewport()->grab(cell).toImage();
    int red = 0;
    for (int y = 0; y < image.height(); ++y) {
        for (int x = 0; x < image.width(); ++x) {
            const QColor c = image.pixelColor(x, y);
            if (c.red() > 150 && c.green() < 90 && c.blue() < 90)
                ++red;
        }
    }
    return red >= 10;
}

void TestProblemsWorkflow::problemsShowWithoutRun()
{
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    const QList<ProblemRow> expected = runProblems(m_db);
    QVERIFY(expected.size() > 10);
    openDatabase(m_db);

    // Count on the tab, rows in the dock, without any run.
    const QString tab = QStringLiteral("Problems (%1)").arg(QLocale().toString(expected.size()));
    QTRY_COMPARE_WITH_TIMEOUT(problemsTabText(), tab, 20000);
    QCOMPARE(m_window->problemsDock()->windowTitle(), tab);
    const QAbstractItemModel *rows = m_window->problemsDock()->view()->model();
    QCOMPARE(rows->rowCount(), int(expected.size()));
    for (int i = 0; i < rows->rowCount(); ++i) {
        QCOMPARE(rows->index(i, ProblemsModel::ContactId).data(ProblemsModel::ContactIdRole).toLongLong(),
                 expected[i].contactId);
        QCOMPARE(rows->index(i, ProblemsModel::Message).data().toString(), expected[i].problem.message);
    }
    QVERIFY(m_window->problemsDock()->sourceText().contains(QStringLiteral("of 663 contacts")));
    QCOMPARE(m_window->batchPanel()->stage(), BatchPanel::Stage::Idle);

    // The table agrees: the first contact with an error shows the error icon, a clean one none.
    qint64 withError = 0;
    for (const ProblemRow &row : expected) {
        if (row.problem.severity == Severity::Error) {
            withError = row.contactId;
            break;
        }
    }
    QVERIFY(withError > 0);
    QTRY_VERIFY_WITH_TIMEOUT(rowShowsErrorIcon(withError), 10000);
    const ContactTableModel *model = m_window->contactsPage()->model();
    QCOMPARE(model->index(model->rowOfContact(withError), Problems).data().toString(),
             expected[int(std::find_if(expected.cbegin(), expected.cend(),
                                       [withError](const ProblemRow &r) { return r.contactId == withError; })
                          - expected.cbegin())]
                 .problem.message);
    QTRY_VERIFY(model->index(0, Id).data(ContactTableModel::LoadedRole).toBool());
    QCOMPARE(model->index(0, Id).data(ContactTableModel::ProblemSeverityRole).toInt(), -1);
    QVERIFY(!rowShowsErrorIcon(model->contactId(0)));

    // Double-clicking a problem row selects its contact in the table.
    QTableView *dockView = m_window->problemsDock()->view();
    const QModelIndex first = dockView->model()->index(0, ProblemsModel::Message);
    dockView->scrollTo(first);
    QSignalSpy activated(dockView, &QAbstractItemView::doubleClicked);
    QTest::mouseClick(dockView->viewport(), Qt::LeftButton, {}, dockView->visualRect(first).center());
    QTest::mouseDClick(dockView->viewport(), Qt::LeftButton, {}, dockView->visualRect(first).center());
    QCOMPARE(activated.size(), 1);
    QTRY_COMPARE(m_window->contactsPage()->currentContactId(), expected.first().contactId);
}

void TestProblemsWorkflow::refreshAfterOutsideChange()
{
    m_window->show();
    openDatabase(m_db);
    const qsizetype before = runProblems(m_db).size();
    QTRY_COMPARE_WITH_TIMEOUT(problemsTabText(), QStringLiteral("Problems (%1)").arg(before), 20000);
    const ContactTableModel *model = m_window->contactsPage()->model();
    QTRY_VERIFY(model->index(0, Id).data(ContactTableModel::LoadedRole).toBool());
    const qint64 clean = model->contactId(0);
    QVERIFY(!rowShowsErrorIcon(clean));

    // Another program breaks a clean contact's email; the user presses F5.
    QVERIFY(execute(m_db,
                    QStringLiteral("UPDATE contacts SET email = 'not an email' WHERE id = %1")
                        .arg(clean)
                        .toUtf8()
                        .constData()));
    const qsizetype after = runProblems(m_db).size();
    QCOMPARE(after, before + 1);
    m_window->activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(m_window.get()));
    QTest::keyClick(m_window->contactsPage()->view(), Qt::Key_F5);
    QTRY_COMPARE_WITH_TIMEOUT(problemsTabText(), QStringLiteral("Problems (%1)").arg(after), 20000);
    const QAbstractItemModel *rows = m_window->problemsDock()->view()->model();
    bool listed = false;
    for (int i = 0; i < rows->rowCount(); ++i)
        listed = listed || rows->index(i, 0).data(ProblemsModel::ContactIdRole).toLongLong() == clean;
    QVERIFY(listed);
    QTRY_VERIFY_WITH_TIMEOUT(rowShowsErrorIcon(clean), 10000);
}

void TestProblemsWorkflow::asOfDateChecksAgain()
{
    QVERIFY(execute(m_db, "UPDATE contacts SET birth_date = '2025-06-01' WHERE id = 1"));
    m_window->show();
    openDatabase(m_db);
    const qsizetype atStart = runProblems(m_db).size(); // as of 2025-03-03: born in the future
    QTRY_COMPARE_WITH_TIMEOUT(problemsTabText(), QStringLiteral("Problems (%1)").arg(atStart), 20000);
    const qsizetype later = runProblems(m_db, QDate(2025, 7, 1)).size();
    QVERIFY(later < atStart);
    m_window->setAsOfDate(QDate(2025, 7, 1));
    QTRY_COMPARE_WITH_TIMEOUT(problemsTabText(), QStringLiteral("Problems (%1)").arg(later), 20000);
}

void TestProblemsWorkflow::runAnswerKeepsDockAndTableInStep()
{
    m_window->show();
    openDatabase(m_db);
    const qsizetype expected = runProblems(m_db).size();
    const QString tab = QStringLiteral("Problems (%1)").arg(expected);
    QTRY_COMPARE_WITH_TIMEOUT(problemsTabText(), tab, 20000);

    // A run, declined on its real question as a user would: the run's problems replace the
    // checked ones, and they are the same.
    const QByteArray before = fileBytes(m_db);
    QSignalSpy finished(m_window->batchPanel(), &BatchPanel::finished);
    ModalScript script;
    script.then([](QWidget *box) { QVERIFY(ModalScript::click(box, u"Don't write")); });
    m_window->runAction()->trigger();
    QTRY_VERIFY_WITH_TIMEOUT(finished.size() == 1, 60000);
    QVERIFY(script.done());
    QCOMPARE(script.titles(), QStringList { QStringLiteral("Write the new schedule?") });
    QCOMPARE(finished.first().first().value<BatchPanel::Outcome>(), BatchPanel::Outcome::Declined);
    QCOMPARE(fileBytes(m_db), before);
    QCOMPARE(problemsTabText(), tab);
    QVERIFY(m_window->problemsDock()->sourceText().contains(QStringLiteral("batch run")));
}

void TestProblemsWorkflow::checkKeepsWhatOnlyARunFound()
{
    m_window->show();
    openDatabase(m_db);
    const qsizetype checked = runProblems(m_db).size();
    QTRY_COMPARE_WITH_TIMEOUT(problemsTabText(), QStringLiteral("Problems (%1)").arg(checked), 20000);

    // A run reported a contact the engine failed on (what BatchPanel::problemsFound carries).
    QList<ProblemRow> run = runProblems(m_db);
    run.append(ProblemRow {
        5, Problem { ProblemCode::ProcessingError, Severity::Error, QStringLiteral("failed") } });
    std::stable_sort(run.begin(), run.end(),
                     [](const ProblemRow &a, const ProblemRow &b) { return a.contactId < b.contactId; });
    Q_EMIT m_window->batchPanel()->problemsFound(run);
    QCOMPARE(problemsTabText(), QStringLiteral("Problems (%1)").arg(checked + 1));

    // F5 checks the contacts again; the processing error of the run stays listed.
    m_window->refreshAction()->trigger();
    QTRY_VERIFY_WITH_TIMEOUT(m_window->problemsDock()->sourceText().contains(QStringLiteral("checked as of")),
                             20000);
    QCOMPARE(problemsTabText(), QStringLiteral("Problems (%1)").arg(checked + 1));
    const QAbstractItemModel *rows = m_window->problemsDock()->view()->model();
    int failed = 0;
    for (int i = 0; i < rows->rowCount(); ++i)
        failed += rows->index(i, ProblemsModel::Code).data().toString()
            == problemCodeName(ProblemCode::ProcessingError);
    QCOMPARE(failed, 1);

    // Another database starts clean.
    const QString other = m_dir->filePath(QStringLiteral("org-12.db"));
    QVERIFY(QFile::copy(qEnvironmentVariable("ES_TEST_DATA") + QStringLiteral("/samples/org-12.db"), other));
    openDatabase(other);
    QTRY_VERIFY_WITH_TIMEOUT(m_window->problemsDock()->sourceText().contains(QStringLiteral("checked as of")),
                             20000);
    QCOMPARE(problemsTabText(), QStringLiteral("Problems (0)"));
}

void TestProblemsWorkflow::reopenShowsOnlyTheNewDatabase()
{
    // A big database is opened, then at once the sample: its check must not show up late.
    const QString big = m_dir->filePath(QStringLiteral("big.sqlite3"));
    DemoGenerator::Options options;
    options.path = big;
    options.contacts = 50000;
    options.today = m_today;
    QVERIFY(DemoGenerator::generate(options).ok());
    m_window->show();
    // Each reported check with the database open when it was reported: the big database's check
    // may finish while it is still open (it is quick), but never after the sample replaced it.
    QList<std::pair<QString, QString>> reports;
    const QMetaObject::Connection recording
        = connect(m_window->problemScanner(), &ProblemScanner::finished, this,
                  [this, &reports](const ProblemScan::Summary &summary) {
                      reports.append({ summary.databasePath, m_window->databasePath() });
                  });
    openDatabase(big);
    openDatabase(m_db);
    const qsizetype expected = runProblems(m_db).size();
    QTRY_COMPARE_WITH_TIMEOUT(problemsTabText(), QStringLiteral("Problems (%1)").arg(expected), 20000);
    QVERIFY(m_window->problemsDock()->sourceText().contains(QStringLiteral("of 663 contacts")));
    disconnect(recording);
    QVERIFY(!reports.isEmpty());
    QCOMPARE(reports.last().first, m_db);
    for (const auto &[checked, open] : std::as_const(reports))
        QCOMPARE(checked, open);
}

void TestProblemsWorkflow::firstStartFillsTheScreen_data()
{
    QTest::addColumn<QSize>("screenSize");
    QTest::newRow("1600x1000") << QSize(1600, 1000);
    QTest::newRow("1024x700") << QSize(1024, 700);
}

void TestProblemsWorkflow::firstStartFillsTheScreen()
{
    QFETCH(QSize, screenSize);
    QScreen *screen = nullptr;
    const QList<QScreen *> screens = QGuiApplication::screens();
    for (QScreen *s : screens) {
        if (s->availableGeometry().size() == screenSize)
            screen = s;
    }
    if (!screen)
        QSKIP("no offscreen screen of that size (another platform was chosen)");
    m_window->setScreen(screen);
    const QRect available = m_window->screen()->availableGeometry();
    QCOMPARE(available.size(), screenSize); // the offscreen screens of main() below
    QSignalSpy opened(m_window.get(), &MainWindow::databaseOpened);
    m_window->startSession(m_db); // fresh settings file: a first start
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    QVERIFY(m_window->isMaximized()
            || (m_window->width() >= available.width() * 9 / 10
                && m_window->height() >= available.height() * 9 / 10));
    QTRY_COMPARE_WITH_TIMEOUT(opened.size(), 1, 20000);
    QTRY_VERIFY(m_window->contactsPage()->model()->rowCount() > 0);
    QTableView *table = m_window->contactsPage()->view();
    QDockWidget *preview = m_window->findChild<QDockWidget *>(QStringLiteral("schedulePreviewDock"));
    QVERIFY(preview);
    if (screenSize.width() < 1600) {
        // A small screen: the table comes first, the preview keeps a readable two fifths at most.
        QVERIFY2(
            preview->width() <= m_window->width() * 2 / 5 && preview->width() >= 300,
            qPrintable(QStringLiteral("preview %1 of %2 px").arg(preview->width()).arg(m_window->width())));
        QVERIFY2(table->width() >= m_window->width() * 11 / 20,
                 qPrintable(QStringLiteral("table %1 of %2 px").arg(table->width()).arg(m_window->width())));
        return;
    }

    // Every column through Problems is in view without scrolling sideways.
    const QHeaderView *header = table->horizontalHeader();
    QCOMPARE(table->horizontalScrollBar()->value(), 0);
    for (int column = 0; column <= Problems; ++column) {
        QVERIFY2(!header->isSectionHidden(column), qPrintable(QString::number(column)));
        QVERIFY2(header->sectionViewportPosition(column) >= 0, qPrintable(QString::number(column)));
    }
    const int problemsLeft = header->sectionViewportPosition(Problems);
    QVERIFY2(
        problemsLeft + 100 <= table->viewport()->width(),
        qPrintable(
            QStringLiteral("Problems starts at %1 of %2").arg(problemsLeft).arg(table->viewport()->width())));
    // Dates are not cut: a full date fits its column.
    for (int column : { BirthDate, EffectiveDate })
        QVERIFY(header->sectionSize(column)
                > table->fontMetrics().horizontalAdvance(QStringLiteral("2000-12-31")));

    // The docks below show a useful list: a dozen problem rows or more.
    QTableView *problems = m_window->problemsDock()->view();
    const int rowHeight = problems->verticalHeader()->defaultSectionSize();
    QVERIFY2(
        problems->viewport()->height() / rowHeight >= 12,
        qPrintable(
            QStringLiteral("%1 px for rows of %2 px").arg(problems->viewport()->height()).arg(rowHeight)));
    // And the contact table still shows more rows than the docks.
    QVERIFY(table->viewport()->height() > problems->viewport()->height());
}

void TestProblemsWorkflow::rememberedWindowWins()
{
    m_window->startSession(m_db);
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    // The user makes the window smaller and a dock narrower, then quits.
    m_window->showNormal();
    m_window->setGeometry(QRect(QPoint(40, 30), QSize(1100, 760)));
    QTRY_COMPARE(m_window->size(), QSize(1100, 760));
    QDockWidget *preview = m_window->findChild<QDockWidget *>(QStringLiteral("schedulePreviewDock"));
    QVERIFY(preview);
    m_window->resizeDocks({ preview }, { 420 }, Qt::Horizontal);
    QTRY_COMPARE(preview->width(), 420);
    m_window->close();

    m_window = std::make_unique<MainWindow>(m_settings);
    m_window->startSession(m_db);
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    QVERIFY(!m_window->isMaximized());
    QCOMPARE(m_window->size(), QSize(1100, 760));
    preview = m_window->findChild<QDockWidget *>(QStringLiteral("schedulePreviewDock"));
    QTRY_COMPARE(preview->width(), 420);
}

// A 1600×1000 offscreen screen (the size the first-start layout is made for) and a small
// 1024×700 one beside it, unless the platform was chosen otherwise.
int main(int argc, char *argv[])
{
    QTemporaryDir config;
    const QByteArray platform = qgetenv("QT_QPA_PLATFORM");
    if (platform.isEmpty() || platform == "offscreen") {
        QFile file(config.filePath(QStringLiteral("screen.json")));
        if (file.open(QIODevice::WriteOnly)) {
            file.write(R"({"synchronousWindowSystemEvents": false, "windowFrameMargins": false,
                          "screens": [{"name": "Screen1600", "x": 0, "y": 0, "width": 1600, "height": 1000,
                                       "logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1},
                                      {"name": "Screen1024", "x": 1600, "y": 0, "width": 1024, "height": 700,
                                       "logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1}]})");
            file.close();
            qputenv("QT_QPA_PLATFORM", "offscreen:configfile=" + file.fileName().toUtf8());
        }
    }
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("email-scheduler-tests"));
    TestProblemsWorkflow test;
    return QTest::qExec(&test, argc, argv);
}

#include "tst_problemsworkflow.moc"
