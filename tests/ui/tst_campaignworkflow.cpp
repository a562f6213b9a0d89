// The Campaigns window as a user meets it: the real MainWindow, Campaigns ▸ Campaigns…, a new
// campaign from a ready-made starting point (its effect shown before saving), enrolment from a
// CSV file with the rejected rows listed, ending an instance, and the history of changes
// exported. Dialogs are answered through ModalScript and popup menus clicked; every effect is
// checked in the database (sqlite), on screen, and in the contact preview.

#include "audittrailview.h"
#include "campaigneditor.h"
#include "campaignswindow.h"
#include "contactspage.h"
#include "dialogtestutil.h"
#include "engine.h"
#include "items/auditmodel.h"
#include "items/campaignlistmodel.h"
#include "items/contacttablemodel.h"
#include "items/schedulepreviewmodel.h"
#include "listimportdialog.h"
#include "mainwindow.h"
#include "modalscript.h"
#include "referencecsv.h"
#include "rejectedrowsview.h"
#include "schedulepreviewdock.h"
#include "sqlitetestutil.h"

#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMenuBar>
#include <QPushButton>
#include <QSet>
#include <QSettings>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTableView>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <QToolButton>

#include <memory>

using namespace DialogTestUtil;
using namespace SqliteTestUtil;

namespace {
// Clicks the item `text` of the next popup menu (a button's menu is not a modal widget).
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
            m_done = true;
            const QList<QAction *> actions = menu->actions();
            for (QAction *a : actions) {
                if (withoutMnemonic(a->text()) == m_text) {
                    m_found = true;
                    QTest::mouseClick(menu, Qt::LeftButton, {}, menu->actionGeometry(a).center());
                    return;
                }
            }
            menu->close();
        });
        m_timer.start();
    }
    bool done() const { return m_done; }
    bool found() const { return m_found; }

private:
    QString m_text;
    QTimer m_timer;
    bool m_done = false;
    bool m_found = false;
};

QString iso(QDate d)
{
    return d.toString(Qt::ISODate);
}
} // namespace

class TestCampaignWorkflow : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void newCampaignFromStartingPoint();
    void enrolFromCsvListsRejectedRows();
    void campaignEmailInThePreviewWithItsReason();
    void changeComparesWithNowBeforeSaving();
    void endInstance();
    void historyOfChangesIsExported();

private:
    std::unique_ptr<MainWindow> openWindow(const QString &dbPath);
    CampaignsWindow *openCampaigns(MainWindow &window);
    // Clicks New Campaign ▸ `preset`, waits for the effect in the editor, checks it with
    // `check` and saves; the new instance id, 0 when something failed.
    qint64 newCampaign(CampaignsWindow *campaigns, const QString &preset,
                       const std::function<void(CampaignEditor *)> &check);
    // Valid contacts (no error problem), by id.
    QList<qint64> validContacts(const QString &db, int count) const;

    QTemporaryDir m_dir;
    QString m_db;
    QString m_flowDb; // enrol, preview and end work on one instance
    qint64 m_rateIncrease = 0;
    QList<qint64> m_enrolled;
    const QDate m_today { 2025, 3, 3 };
};

void TestCampaignWorkflow::initTestCase()
{
    QVERIFY(m_dir.isValid());
    qputenv("HOME", QFile::encodeName(m_dir.filePath(QStringLiteral("home"))));
    QVERIFY(QDir().mkpath(m_dir.filePath(QStringLiteral("home"))));
    qputenv("USER", "tester");
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(QStringLiteral("es-tests"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_campaignworkflow"));
    QSettings().clear();
    m_db = m_dir.filePath(QStringLiteral("org.sqlite3"));
    const QString made = makeDemoDatabase(m_db, 400, 11, m_today);
    QVERIFY2(made.isEmpty(), qPrintable(made));
    m_flowDb = m_dir.filePath(QStringLiteral("flow.sqlite3"));
    QVERIFY(QFile::copy(m_db, m_flowDb));
}

std::unique_ptr<MainWindow> TestCampaignWorkflow::openWindow(const QString &dbPath)
{
    return DialogTestUtil::openMainWindow(m_dir.filePath(QStringLiteral("window.ini")), m_today, dbPath);
}

CampaignsWindow *TestCampaignWorkflow::openCampaigns(MainWindow &window)
{
    QAction *action = menuAction(window.menuBar(), u"Campaigns", u"Campaigns…");
    if (!action)
        return nullptr;
    QSignalSpy loaded(window.campaignsWindow(), &CampaignsWindow::loaded);
    action->trigger();
    CampaignsWindow *campaigns = window.campaignsWindow();
    if (!campaigns->isVisible())
        return nullptr;
    // The window reads the database when it opens (it may have read it already).
    (void)loaded.wait(5000);
    return campaigns;
}

QList<qint64> TestCampaignWorkflow::validContacts(const QString &db, int count) const
{
    QList<qint64> ids;
    const QStringList all
        = rows(db,
               "SELECT id, email, state, zip_code, birth_date, effective_date FROM contacts "
               "ORDER BY id");
    for (const QString &line : all) {
        const QStringList f = line.split(u'|');
        Contact c;
        c.id = f.value(0).toLongLong();
        c.email = f.value(1);
        c.state = f.value(2);
        c.zipCode = f.value(3);
        c.birthDate = f.value(4);
        c.effectiveDate = f.value(5);
        if (!Engine::checkContact(c, m_today).hasError() && !c.email.contains(u'|'))
            ids << c.id;
        if (ids.size() == count)
            break;
    }
    return ids;
}

qint64 TestCampaignWorkflow::newCampaign(CampaignsWindow *campaigns, const QString &preset,
                                         const std::function<void(CampaignEditor *)> &check)
{
    QPointer<CampaignEditor> editor;
    qint64 saved = 0;
    ModalScript script;
    script.then([&](QWidget *modal) {
        editor = qobject_cast<CampaignEditor *>(modal);
        if (!editor) {
            modal->close();
            return;
        }
        // The effect of the starting point is worked out before anything is saved.
        if (!QTest::qWaitFor([&] { return !editor->isComputing(); }, 30000)) {
            modal->close();
            return;
        }
        check(editor);
        saved = 0;
        QSignalSpy done(editor.data(), &CampaignEditor::saved);
        if (ModalScript::click(modal, u"Save"))
            (void)QTest::qWaitFor([&] { return !editor || !editor->isVisible(); }, 10000);
    });
    QSet<qint64> before;
    for (int r = 0; r < campaigns->instanceModel()->rowCount(); ++r)
        before << campaigns->instanceModel()->instance(r)->row.id;
    PopupAnswer popup(preset);
    QTest::mouseClick(campaigns->newButton(), Qt::LeftButton);
    if (!QTest::qWaitFor([&] { return popup.done() && script.done(); }, 60000) || !popup.found())
        return 0;
    // The list reloads and selects the new campaign.
    if (!QTest::qWaitFor(
            [&] {
                return campaigns->currentInstanceId() != 0
                    && !before.contains(campaigns->currentInstanceId());
            },
            10000))
        return 0;
    saved = campaigns->currentInstanceId();
    return saved;
}

void TestCampaignWorkflow::newCampaignFromStartingPoint()
{
    // No campaigns yet (the demo's own would share the days and win the conflicts).
    const QString db = m_dir.filePath(QStringLiteral("new.sqlite3"));
    QVERIFY(QFile::copy(m_db, db));
    QVERIFY(
        execSql(db,
                "DELETE FROM contact_campaigns; DELETE FROM campaign_instances; DELETE FROM campaign_types; "
                "DELETE FROM audit_log;"));
    auto window = openWindow(db);
    QVERIFY(window);
    CampaignsWindow *campaigns = openCampaigns(*window);
    QVERIFY(campaigns);
    const int before = campaigns->instanceModel()->rowCount();

    CampaignEffect shown;
    QString title;
    const qint64 id = newCampaign(campaigns, QStringLiteral("Initial blast"), [&](CampaignEditor *editor) {
        title = editor->windowTitle();
        shown = editor->effect();
        QVERIFY2(editor->effectText().contains(u"Reaches"), qPrintable(editor->effectText()));
    });
    QVERIFY(id != 0);
    QCOMPARE(title, QStringLiteral("New campaign: Initial blast"));
    // Every valid contact not on the list, spread over the 14 days from tomorrow.
    QVERIFY(shown.live);
    QVERIFY2(shown.audience > 300, qPrintable(QString::number(shown.audience)));
    QCOMPARE(shown.scheduled + shown.skipped, shown.audience);
    QVERIFY(!shown.perDay.empty());
    QVERIFY(shown.perDay.begin()->first >= m_today.addDays(1));
    QVERIFY(shown.perDay.rbegin()->first <= m_today.addDays(14));

    // In the database: the type and the instance with the preset's dates, and their audit entries.
    QCOMPARE(rows(db,
                  QByteArray("SELECT campaign_type, instance_name, active_start_date, spread_start_date, "
                             "spread_end_date FROM campaign_instances WHERE id = ")
                      + QByteArray::number(id)),
             QStringList { QStringLiteral("initial_blast|Initial blast|%1|%2|%3")
                               .arg(iso(m_today), iso(m_today.addDays(1)), iso(m_today.addDays(14))) });
    QCOMPARE(scalar(db,
                    QStringLiteral("SELECT target_all_contacts * 10 + spread_evenly FROM campaign_types "
                                   "WHERE name = 'initial_blast'")),
             11);
    QCOMPARE(rows(db,
                  "SELECT entity, action FROM audit_log WHERE entity_id = " + QByteArray::number(id)
                      + " AND entity = 'campaign_instance'"),
             QStringList { QStringLiteral("campaign_instance|add") });
    QCOMPARE(scalar(db, QStringLiteral("SELECT COUNT(*) FROM audit_log WHERE entity = 'campaign_type'")), 1);

    // On screen: one more row, live, its audience the one the editor showed.
    QTRY_COMPARE(campaigns->instanceModel()->rowCount(), before + 1);
    const int row = campaigns->instanceModel()->rowOf(id);
    QVERIFY(row >= 0);
    const auto cell
        = [&](int column) { return campaigns->instanceModel()->index(row, column).data().toString(); };
    QCOMPARE(cell(CampaignInstanceModel::Name), QStringLiteral("Initial blast"));
    QCOMPARE(cell(CampaignInstanceModel::Live), QStringLiteral("Live"));
    QCOMPARE(campaigns->instanceModel()
                 ->index(row, CampaignInstanceModel::Audience)
                 .data(CampaignInstanceModel::RawValueRole)
                 .toLongLong(),
             shown.audience);
}

void TestCampaignWorkflow::enrolFromCsvListsRejectedRows()
{
    auto window = openWindow(m_flowDb);
    QVERIFY(window);
    CampaignsWindow *campaigns = openCampaigns(*window);
    QVERIFY(campaigns);

    QString effectText;
    m_rateIncrease = newCampaign(campaigns, QStringLiteral("Rate increase notice"),
                                 [&](CampaignEditor *editor) { effectText = editor->effectText(); });
    QVERIFY(m_rateIncrease != 0);
    // Nobody is enrolled yet: the editor says what to do next.
    QVERIFY2(effectText.contains(u"enrol"), qPrintable(effectText));

    m_enrolled = validContacts(m_flowDb, 3);
    QCOMPARE(m_enrolled.size(), 3);
    const QString secondEmail
        = rows(m_flowDb, "SELECT email FROM contacts WHERE id = " + QByteArray::number(m_enrolled[1]))
              .value(0);
    const QString csv = m_dir.filePath(QStringLiteral("enrol.csv"));
    {
        QFile f(csv);
        QVERIFY(f.open(QIODevice::WriteOnly));
        QTextStream out(&f);
        out << "contact_id,email,trigger_date\r\n";                             // line 1
        out << m_enrolled[0] << ",," << iso(m_today.addDays(40)) << "\r\n";     // line 2
        out << "," << secondEmail << ',' << iso(m_today.addDays(50)) << "\r\n"; // line 3
        out << "999999,," << iso(m_today.addDays(40)) << "\r\n";                // line 4: unknown
        out << m_enrolled[2] << ",,31/02/2025\r\n";                             // line 5: no date
    }

    ListImportDialog *dialog = openListImport(campaigns, u"Enrol Contacts from CSV…", csv);
    QVERIFY(dialog);

    // Before Enrol is clicked: the effect of the two good rows on the audience and the sends per
    // day (30 days before the trigger dates: as of + 10 and + 20), from the engine; nothing written.
    auto *effect = dialog->findChild<QWidget *>(QStringLiteral("enrolmentEffect"));
    QVERIFY(effect);
    QTRY_VERIFY_WITH_TIMEOUT(effect->isVisible() && !dialog->effectText().startsWith(u"Working"), 20000);
    const QString shown = dialog->effectText();
    QVERIFY2(shown.contains(u"2 more contact(s) reached"), qPrintable(shown));
    QVERIFY2(shown.contains(u"Audience: 0 → 2 contacts (+2)"), qPrintable(shown));
    QVERIFY2(shown.contains(u"Sends per day: +2 emails on 2 day(s) from "
                            + QLocale().toString(m_today.addDays(10), QStringLiteral("MMM d"))),
             qPrintable(shown));
    QCOMPARE(scalar(m_flowDb,
                    QStringLiteral("SELECT COUNT(*) FROM contact_campaigns WHERE campaign_instance_id = ")
                        + QString::number(m_rateIncrease)),
             0);
    QSignalSpy finished(dialog, &ListImportDialog::finished);
    QVERIFY(ModalScript::click(dialog, u"Enrol"));
    QTRY_VERIFY_WITH_TIMEOUT(!finished.isEmpty(), 20000);
    QVERIFY2(finished.first().first().toBool(), qPrintable(dialog->summaryText()));

    // The rejected rows with their lines; the good ones enrolled with ISO trigger dates.
    QTableWidget *rejected = dialog->rejectedRows()->table();
    QStringList lines;
    for (int r = 0; r < rejected->rowCount(); ++r)
        lines << rejected->item(r, 0)->text();
    QCOMPARE(lines, (QStringList { QStringLiteral("4"), QStringLiteral("5") }));
    QVERIFY2(dialog->summaryText().contains(u"2 enrolled"), qPrintable(dialog->summaryText()));
    QCOMPARE(
        rows(m_flowDb,
             "SELECT contact_id, trigger_date, status FROM contact_campaigns WHERE campaign_instance_id = "
                 + QByteArray::number(m_rateIncrease) + " ORDER BY contact_id"),
        (QStringList { QStringLiteral("%1|%2|pending").arg(m_enrolled[0]).arg(iso(m_today.addDays(40))),
                       QStringLiteral("%1|%2|pending").arg(m_enrolled[1]).arg(iso(m_today.addDays(50))) }));
    QCOMPARE(scalar(m_flowDb, QStringLiteral("SELECT COUNT(*) FROM audit_log WHERE entity = 'enrolment'")),
             1);
    QVERIFY(ModalScript::click(dialog, u"Close"));

    // The list shows the audience as of the "as of" day: the two enrolled contacts.
    const int row = campaigns->instanceModel()->rowOf(m_rateIncrease);
    QVERIFY(row >= 0);
    QTRY_COMPARE(
        campaigns->instanceModel()
            ->index(campaigns->instanceModel()->rowOf(m_rateIncrease), CampaignInstanceModel::Audience)
            .data(CampaignInstanceModel::RawValueRole)
            .toLongLong(),
        2);
}

void TestCampaignWorkflow::campaignEmailInThePreviewWithItsReason()
{
    QVERIFY(m_rateIncrease != 0 && m_enrolled.size() == 3);
    auto window = openWindow(m_flowDb);
    QVERIFY(window);
    QTRY_VERIFY(window->contactsPage()->model()->rowCount() > 0);
    QSignalSpy shown(window->previewDock(), &SchedulePreviewDock::previewShown);
    QVERIFY(window->contactsPage()->selectContact(m_enrolled[0]));
    QTRY_VERIFY(!shown.isEmpty() && shown.last().first().toLongLong() == m_enrolled[0]);

    // 30 days before the trigger date (as of + 40): as of + 10, with the reason in words.
    const SchedulePreviewModel *model = window->previewDock()->model();
    int found = -1;
    for (int r = 0; r < model->rowCount(); ++r) {
        if (model->index(r, SchedulePreviewModel::Date).data(SchedulePreviewModel::RawValueRole).toDate()
                == m_today.addDays(10)
            && model->index(r, SchedulePreviewModel::Type).data().toString().contains(u"Rate increase"))
            found = r;
    }
    QVERIFY2(found >= 0, "no rate increase email on the expected day in the preview");
    const QString why = model->index(found, SchedulePreviewModel::Details).data().toString();
    QVERIFY2(why.contains(u"30 days before"), qPrintable(why));
}

void TestCampaignWorkflow::changeComparesWithNowBeforeSaving()
{
    QVERIFY(m_rateIncrease != 0 && m_enrolled.size() == 3);
    auto window = openWindow(m_flowDb);
    QVERIFY(window);
    CampaignsWindow *campaigns = openCampaigns(*window);
    QVERIFY(campaigns);
    QTRY_VERIFY(campaigns->selectInstance(m_rateIncrease));

    // Send 20 days before the trigger dates instead of 30: the editor compares with now (the two
    // emails move ten days later) before Save; Cancel leaves the database as it was.
    CampaignChange change;
    QString text;
    ModalScript script;
    script.then([&](QWidget *modal) {
        auto *editor = qobject_cast<CampaignEditor *>(modal);
        QVERIFY(editor);
        auto *daysBefore = editor->findChild<QSpinBox *>(QStringLiteral("campaignDaysBefore"));
        QVERIFY(daysBefore && daysBefore->value() == 30);
        daysBefore->setFocus();
        QTest::keyClick(daysBefore, Qt::Key_A, Qt::ControlModifier);
        QTest::keyClicks(daysBefore, QStringLiteral("20"));
        // The effect shown first may be the one of 30 days (or of "2" while typing): wait for the
        // one with the later day.
        (void)QTest::qWaitFor(
            [&] {
                return daysBefore->value() == 20 && !editor->isComputing()
                    && editor->change().after.perDay.count(m_today.addDays(30)) == 1;
            },
            30000);
        change = editor->change();
        text = editor->effectText();
        QVERIFY(ModalScript::click(modal, u"Cancel"));
    });
    QVERIFY(ModalScript::click(campaigns, u"Change…"));
    QTRY_VERIFY_WITH_TIMEOUT(script.done(), 40000);
    QVERIFY2(text.contains(u"Compared with now:"), qPrintable(text));
    QCOMPARE(change.before.audience, 2);
    QCOMPARE(change.after.audience, 2);
    QVERIFY(change.before.perDay.count(m_today.addDays(10)) == 1);
    QVERIFY(change.after.perDay.count(m_today.addDays(20)) == 1);
    QVERIFY(change.after.perDay.count(m_today.addDays(10)) == 0);
    QVERIFY2(text.contains(u"Sends per day: +") && text.contains(u"; \u2212"), qPrintable(text));
    QCOMPARE(scalar(m_flowDb,
                    QStringLiteral("SELECT days_before_event FROM campaign_types WHERE name = "
                                   "'rate_increase'")),
             30);
}

void TestCampaignWorkflow::endInstance()
{
    QVERIFY(m_rateIncrease != 0);
    auto window = openWindow(m_flowDb);
    QVERIFY(window);
    CampaignsWindow *campaigns = openCampaigns(*window);
    QVERIFY(campaigns);
    QTRY_VERIFY(campaigns->selectInstance(m_rateIncrease));

    QString effect;
    QString change;
    QString title;
    ModalScript script;
    script.then([&](QWidget *modal) {
        title = modal->windowTitle();
        auto *label = modal->findChild<QLabel *>(QStringLiteral("endEffect"));
        // The effect of ending yesterday, before it is saved.
        (void)QTest::qWaitFor([&] { return label && !label->text().startsWith(u"Working"); }, 30000);
        effect = label ? label->text() : QString();
        auto *lines = modal->findChild<QLabel *>(QStringLiteral("campaignChange"));
        change = lines ? lines->text() : QString();
        QVERIFY(ModalScript::click(modal, u"End Campaign"));
    });
    QVERIFY(ModalScript::click(campaigns, u"End…"));
    QTRY_VERIFY(script.done());
    QCOMPARE(title, QStringLiteral("End campaign"));
    QVERIFY2(effect.contains(u"no longer live"), qPrintable(effect));
    // Audience and sends per day, now and once it ends: both emails go.
    QVERIFY2(change.contains(u"Audience: 2 → 0 contacts (\u22122)"), qPrintable(change));
    QVERIFY2(change.contains(u"Sends per day: \u22122 emails on 2 day(s) from "
                             + QLocale().toString(m_today.addDays(10), QStringLiteral("MMM d"))),
             qPrintable(change));

    QTRY_COMPARE(rows(m_flowDb,
                      "SELECT active_end_date FROM campaign_instances WHERE id = "
                          + QByteArray::number(m_rateIncrease)),
                 QStringList { iso(m_today.addDays(-1)) });
    QCOMPARE(scalar(m_flowDb,
                    QStringLiteral("SELECT COUNT(*) FROM audit_log WHERE entity = 'campaign_instance' AND "
                                   "action = 'end'")),
             1);
    QTRY_VERIFY(campaigns->instanceModel()
                    ->index(campaigns->instanceModel()->rowOf(m_rateIncrease), CampaignInstanceModel::Live)
                    .data()
                    .toString()
                    .startsWith(u"Not live"));
}

void TestCampaignWorkflow::historyOfChangesIsExported()
{
    auto window = openWindow(m_flowDb);
    QVERIFY(window);
    CampaignsWindow *campaigns = openCampaigns(*window);
    QVERIFY(campaigns);
    campaigns->tabs()->setCurrentIndex(1);
    const qint64 recorded = scalar(m_flowDb,
                                   QStringLiteral("SELECT COUNT(*) FROM audit_log WHERE entity IN "
                                                  "('campaign_type', 'campaign_instance', 'enrolment')"));
    QVERIFY(recorded >= 4); // type, instance, enrolment, end
    QTRY_COMPARE(campaigns->history()->model()->rowCount(), int(recorded));

    const QString out = m_dir.filePath(QStringLiteral("history.csv"));
    QString problem;
    ModalScript script;
    // The dialog opens in the database's folder; the user types a name.
    script.then([&](QWidget *modal) { problem = saveThroughFileDialog(modal, QFileInfo(out).fileName()); });
    QSignalSpy exported(campaigns->history(), &AuditTrailView::exported);
    QVERIFY(ModalScript::click(campaigns->history(), u"Export…"));
    QTRY_VERIFY(script.done());
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    QTRY_VERIFY_WITH_TIMEOUT(!exported.isEmpty(), 10000);
    QVERIFY(exported.first().first().toBool());
    const QList<QStringList> csv = ReferenceCsv::parse(QString::fromUtf8(readAll(out)));
    QVERIFY(!csv.isEmpty());
    QCOMPARE(csv.first().mid(0, 3),
             (QStringList { QStringLiteral("id"), QStringLiteral("at"), QStringLiteral("user") }));
    QCOMPARE(qint64(csv.size() - 1), scalar(m_flowDb, QStringLiteral("SELECT COUNT(*) FROM audit_log")));
}

QTEST_MAIN(TestCampaignWorkflow)
#include "tst_campaignworkflow.moc"
