// The do-not-email list as a user meets it: the real MainWindow, Campaigns ▸ Do-Not-Email List…,
// its Add…/Remove/Import from CSV… answered through ModalScript by typing, choosing and
// clicking; "Do not email…" from the contact table's context menu; the "Do not email" quick
// filter; and the preview's plain sentence. Every effect is checked in the database (sqlite)
// and on screen, the audit trail included.

#include "audittrailview.h"
#include "contactspage.h"
#include "dialogtestutil.h"
#include "donotemailwindow.h"
#include "items/auditmodel.h"
#include "items/contacttablemodel.h"
#include "items/schedulepreviewmodel.h"
#include "items/suppressionmodel.h"
#include "listimportdialog.h"
#include "mainwindow.h"
#include "modalscript.h"
#include "rejectedrowsview.h"
#include "schedulepreviewdock.h"
#include "sqlitetestutil.h"

#include <QComboBox>
#include <QContextMenuEvent>
#include <QFile>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMenuBar>
#include <QPointer>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTableView>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <memory>

using namespace DialogTestUtil;
using namespace SqliteTestUtil;

namespace {
// Clicks the item `text` of the next popup menu that opens (a context menu or a button's menu):
// a popup is not a modal widget, so ModalScript does not see it. False when it never showed.
class PopupAnswer final : public QObject
{
public:
    explicit PopupAnswer(const QString &text) : m_text(text)
    {
        m_timer.setInterval(10);
        connect(&m_timer, &QTimer::timeout, this, [this] {
            auto *menu = qobject_cast<QMenu *>(QApplication::activePopupWidget());
            if (!menu || m_done)
                return;
            const QList<QAction *> actions = menu->actions();
            for (QAction *a : actions) {
                if (withoutMnemonic(a->text()) == m_text) {
                    m_done = true;
                    QTest::mouseClick(menu, Qt::LeftButton, {}, menu->actionGeometry(a).center());
                    return;
                }
            }
            m_done = true;
            m_missing = true;
            menu->close();
        });
        m_timer.start();
    }
    bool done() const { return m_done; }
    bool found() const { return m_done && !m_missing; }

private:
    QString m_text;
    QTimer m_timer;
    bool m_done = false;
    bool m_missing = false;
};
} // namespace

class TestDoNotEmailWorkflow : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void addAndRemoveThroughTheWindow();
    void importFromCsvListsRejectedRows();
    void doNotEmailSelectedContactsFromTheContextMenu();

private:
    std::unique_ptr<MainWindow> openWindow(const QString &dbPath);
    QString copyOfDatabase(const QString &name) const;
    DoNotEmailWindow *openList(MainWindow &window);

    QTemporaryDir m_dir;
    QString m_db;
    const QDate m_today { 2025, 3, 3 };
};

void TestDoNotEmailWorkflow::initTestCase()
{
    QVERIFY(m_dir.isValid());
    qputenv("HOME", QFile::encodeName(m_dir.filePath(QStringLiteral("home"))));
    QVERIFY(QDir().mkpath(m_dir.filePath(QStringLiteral("home"))));
    qputenv("USER", "tester");
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(QStringLiteral("es-tests"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_donotemailworkflow"));
    QSettings().clear();
    m_db = m_dir.filePath(QStringLiteral("org.sqlite3"));
    const QString made = makeDemoDatabase(m_db, 400, 9, m_today);
    QVERIFY2(made.isEmpty(), qPrintable(made));
}

QString TestDoNotEmailWorkflow::copyOfDatabase(const QString &name) const
{
    const QString path = m_dir.filePath(name);
    QFile::remove(path);
    if (!QFile::copy(m_db, path))
        return {};
    // A clean list: the demo generator may put a few addresses on it.
    QString ignored; // a database without these tables has nothing to clean
    execSql(path, "DELETE FROM email_suppressions", &ignored);
    execSql(path, "DELETE FROM audit_log", &ignored);
    return path;
}

std::unique_ptr<MainWindow> TestDoNotEmailWorkflow::openWindow(const QString &dbPath)
{
    return DialogTestUtil::openMainWindow(m_dir.filePath(QStringLiteral("window.ini")), m_today, dbPath);
}

DoNotEmailWindow *TestDoNotEmailWorkflow::openList(MainWindow &window)
{
    QAction *action = menuAction(window.menuBar(), u"Campaigns", u"Do-Not-Email List…");
    if (!action)
        return nullptr;
    action->trigger();
    DoNotEmailWindow *list = window.doNotEmailWindow();
    return list && list->isVisible() ? list : nullptr;
}

void TestDoNotEmailWorkflow::addAndRemoveThroughTheWindow()
{
    const QString db = copyOfDatabase(QStringLiteral("add-remove.sqlite3"));
    QVERIFY(!db.isEmpty());
    auto window = openWindow(db);
    QVERIFY(window);
    DoNotEmailWindow *list = openList(*window);
    QVERIFY(list);
    QTRY_VERIFY(ModalScript::button(list, u"Add…") && ModalScript::button(list, u"Add…")->isEnabled());
    QCOMPARE(list->model()->rowCount(), 0);

    // Add…: the address typed, a reason chosen, a note typed, "Add to List" clicked.
    ModalScript script;
    script.then([](QWidget *modal) {
        typeInto(modal->findChild<QLineEdit *>(QStringLiteral("suppressEmail")),
                 QStringLiteral("  Gone.Away@Example.com "));
        QVERIFY(choose(modal->findChild<QComboBox *>(QStringLiteral("suppressReason")),
                       QStringLiteral("Bounced")));
        typeInto(modal->findChild<QLineEdit *>(QStringLiteral("suppressNote")),
                 QStringLiteral("mailbox closed"));
        QVERIFY(ModalScript::click(modal, u"Add to List"));
    });
    QVERIFY(ModalScript::click(list, u"Add…"));
    QTRY_VERIFY(script.done());
    QCOMPARE(script.titles(), QStringList { QStringLiteral("Do not email") });

    QTRY_COMPARE(rows(db, "SELECT lower(trim(email)), reason, note, created_by FROM email_suppressions"),
                 QStringList { QStringLiteral("gone.away@example.com|bounced|mailbox closed|tester") });
    QTRY_COMPARE(list->model()->rowCount(), 1);
    QCOMPARE(list->model()->index(0, SuppressionModel::Reason).data().toString(), QStringLiteral("Bounced"));
    QCOMPARE(list->model()->index(0, SuppressionModel::AddedBy).data().toString(), QStringLiteral("tester"));
    QVERIFY(!list->model()->index(0, SuppressionModel::Added).data().toString().isEmpty());
    // The change is in the audit trail and on the "History of changes" tab.
    QCOMPARE(scalar(db,
                    QStringLiteral(
                        "SELECT COUNT(*) FROM audit_log WHERE entity = 'suppression' AND action = 'add'")),
             1);
    list->tabs()->setCurrentIndex(1);
    QTRY_COMPARE(list->history()->model()->rowCount(), 1);
    QVERIFY2(list->history()
                 ->model()
                 ->index(0, AuditModel::Summary)
                 .data()
                 .toString()
                 .contains(u"gone.away", Qt::CaseInsensitive),
             qPrintable(list->history()->model()->index(0, AuditModel::Summary).data().toString()));
    list->tabs()->setCurrentIndex(0);

    // Remove: the row selected, Remove clicked, the question answered with "Remove".
    list->view()->selectRow(0);
    script.then([](QWidget *modal) { QVERIFY(ModalScript::click(modal, u"Remove")); });
    QVERIFY(ModalScript::click(list, u"Remove"));
    QTRY_VERIFY(script.done());
    QCOMPARE(script.titles().last(), QStringLiteral("Remove from the do-not-email list"));
    QTRY_COMPARE(scalar(db, QStringLiteral("SELECT COUNT(*) FROM email_suppressions")), 0);
    QTRY_COMPARE(list->model()->rowCount(), 0);
    QCOMPARE(scalar(db,
                    QStringLiteral(
                        "SELECT COUNT(*) FROM audit_log WHERE entity = 'suppression' AND action = 'remove'")),
             1);
    QTRY_COMPARE(list->history()->model()->rowCount(), 2);
}

void TestDoNotEmailWorkflow::importFromCsvListsRejectedRows()
{
    const QString db = copyOfDatabase(QStringLiteral("import.sqlite3"));
    QVERIFY(!db.isEmpty());
    const QString csv = m_dir.filePath(QStringLiteral("unsubscribes.csv"));
    {
        QFile f(csv);
        QVERIFY(f.open(QIODevice::WriteOnly));
        // A Mailchimp-style export: "Email Address" and a reason in words.
        f.write("Email Address,Reason,Notes\r\n"            // line 1
                "one@example.com,Unsubscribed,web form\r\n" // line 2
                "two@example.com,hard bounce,\r\n"          // line 3
                "not-an-address,Unsubscribed,\r\n"          // line 4: rejected
                "three@example.com,,no reason given\r\n");  // line 5: the default reason
    }
    auto window = openWindow(db);
    QVERIFY(window);
    DoNotEmailWindow *list = openList(*window);
    QVERIFY(list);
    QTRY_VERIFY(ModalScript::button(list, u"Import from CSV…")->isEnabled());
    ListImportDialog *dialog = openListImport(list, u"Import from CSV…", csv);
    QVERIFY(dialog);
    QVERIFY(choose(dialog->findChild<QComboBox *>(QStringLiteral("listImportDefaultReason")),
                   QStringLiteral("Complained")));
    QSignalSpy finished(dialog, &ListImportDialog::finished);
    // Enter loaded the file; nothing is written before Import is clicked.
    QCOMPARE(
        scalar(db, QStringLiteral("SELECT COUNT(*) FROM sqlite_master WHERE name = 'email_suppressions'"))
            ? scalar(db, QStringLiteral("SELECT COUNT(*) FROM email_suppressions"))
            : 0,
        0);
    QVERIFY(ModalScript::click(dialog, u"Import"));
    QTRY_VERIFY_WITH_TIMEOUT(!finished.isEmpty(), 20000);
    QCOMPARE(finished.first().first().toBool(), true);

    // The good rows are on the list with their reasons; the bad one is listed with its line.
    QCOMPARE(rows(db, "SELECT email, reason FROM email_suppressions ORDER BY email"),
             (QStringList { QStringLiteral("one@example.com|unsubscribed"),
                            QStringLiteral("three@example.com|complained"),
                            QStringLiteral("two@example.com|bounced") }));
    QTableWidget *rejected = dialog->rejectedRows()->table();
    QCOMPARE(rejected->rowCount(), 1);
    QCOMPARE(rejected->item(0, 0)->text(), QStringLiteral("4"));
    QVERIFY2(dialog->summaryText().contains(u"3 added"), qPrintable(dialog->summaryText()));
    QVERIFY2(dialog->summaryText().contains(u"1 rejected"), qPrintable(dialog->summaryText()));
    QVERIFY(ModalScript::click(dialog, u"Close"));
    QTRY_COMPARE(list->model()->rowCount(), 3);
    QCOMPARE(scalar(db, QStringLiteral("SELECT COUNT(*) FROM audit_log WHERE entity = 'suppression'")), 3);
}

void TestDoNotEmailWorkflow::doNotEmailSelectedContactsFromTheContextMenu()
{
    const QString db = copyOfDatabase(QStringLiteral("context.sqlite3"));
    QVERIFY(!db.isEmpty());
    auto window = openWindow(db);
    QVERIFY(window);
    ContactsPage *page = window->contactsPage();
    QTableView *table = page->view();
    QTRY_VERIFY(page->model()->rowCount() > 10);

    // Two contacts selected as a user does: click, then Ctrl+click.
    const auto clickRow = [table](int row, Qt::KeyboardModifiers modifiers) {
        const QRect cell = table->visualRect(table->model()->index(row, 1));
        QTest::mouseClick(table->viewport(), Qt::LeftButton, modifiers, cell.center());
    };
    clickRow(2, {});
    clickRow(5, Qt::ControlModifier);
    const QList<qint64> ids = page->selectedContactIds();
    QCOMPARE(ids.size(), 2);
    const QStringList emails
        = rows(db,
               QByteArray("SELECT lower(trim(email)) FROM contacts WHERE id IN (")
                   + QByteArray::number(ids[0]) + ',' + QByteArray::number(ids[1]) + ") ORDER BY 1");
    QCOMPARE(emails.size(), 2);

    // Right-click ▸ Do Not Email…, then the reason chosen and "Add to List".
    ModalScript script;
    script.then([](QWidget *modal) {
        QVERIFY(choose(modal->findChild<QComboBox *>(QStringLiteral("suppressReason")),
                       QStringLiteral("Unsubscribed")));
        QVERIFY(ModalScript::click(modal, u"Add to List"));
    });
    PopupAnswer popup(QStringLiteral("Do Not Email…"));
    const QPoint at = table->visualRect(table->model()->index(5, 1)).center();
    QContextMenuEvent event(QContextMenuEvent::Mouse, at, table->viewport()->mapToGlobal(at));
    QApplication::sendEvent(table->viewport(), &event);
    QTRY_VERIFY(popup.done());
    QVERIFY(popup.found());
    QTRY_VERIFY(script.done());
    QTRY_COMPARE(rows(db, "SELECT lower(trim(email)), reason FROM email_suppressions ORDER BY 1"),
                 (QStringList { emails[0] + QStringLiteral("|unsubscribed"),
                                emails[1] + QStringLiteral("|unsubscribed") }));
    QCOMPARE(scalar(db, QStringLiteral("SELECT COUNT(*) FROM audit_log WHERE entity = 'suppression'")), 2);

    // The "Do not email" quick filter lists exactly them.
    QVERIFY(choose(page->quickFilterBox(), QStringLiteral("Do not email")));
    QTRY_COMPARE(page->model()->rowCount(), 2);
    QList<qint64> shown { page->model()->contactId(0), page->model()->contactId(1) };
    std::sort(shown.begin(), shown.end());
    QCOMPARE(shown, ids);

    // The preview says it plainly instead of a schedule.
    QVERIFY(page->selectContact(ids[0]));
    SchedulePreviewDock *preview = window->previewDock();
    const QString expected = QStringLiteral("On the do-not-email list since %1 — unsubscribed")
                                 .arg(QLocale().toString(QDate::currentDate(), QStringLiteral("d MMM yyyy")));
    QTRY_VERIFY2(preview->suppressionText().contains(expected), qPrintable(preview->suppressionText()));
    QCOMPARE(preview->model()->rowCount(), 0);
}

QTEST_MAIN(TestDoNotEmailWorkflow)
#include "tst_donotemailworkflow.moc"
