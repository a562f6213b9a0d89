// The CSV dialogs and the sends-per-day view as a user meets them: the real MainWindow, the
// real dialogs opened from File ▸ Export… and File ▸ Import Contacts…, answered through
// ModalScript by typing, choosing and clicking, and the effect checked on disk (byte-equal to
// the CLI's export, run as its own process) and in the database.

#include "batch/batchjob.h"
#include "contactspage.h"
#include "dailyloadview.h"
#include "dialogtestutil.h"
#include "exportdialog.h"
#include "importdialog.h"
#include "items/contacttablemodel.h"
#include "items/dailyloadmodel.h"
#include "mainwindow.h"
#include "modalscript.h"
#include "referencecsv.h"
#include "sqlitetestutil.h"
#include "storage/schedulewriter.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDockWidget>
#include <QFile>
#include <QFileDialog>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMenuBar>
#include <QPointer>
#include <QProcess>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardItemModel>
#include <QStandardPaths>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

#ifndef ES_CLI_PATH
#define ES_CLI_PATH ""
#endif

using namespace DialogTestUtil;
using namespace SqliteTestUtil;

class TestDialogWorkflow : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void exportProposesAnExistingFolder();
    void exportEqualsCli_data();
    void exportEqualsCli();
    void exportOffersOnlySourcesThatExist();
    void dialogLabelsShowNoAmpersand();
    void importAddsGoodRowsAndSavesRejected();
    void sendsPerDayClickListsThatDaysContacts();

private:
    std::unique_ptr<MainWindow> openWindow(const QString &dbPath);
    QString copyOfDatabase(const QString &name) const;

    QTemporaryDir m_dir;
    QString m_home;
    QString m_db;
    const QDate m_today { 2025, 3, 3 };
};

void TestDialogWorkflow::initTestCase()
{
    QVERIFY(m_dir.isValid());
    // A home of our own, without a Documents folder, before anything reads a standard path.
    m_home = m_dir.filePath(QStringLiteral("home"));
    QVERIFY(QDir().mkpath(m_home));
    qputenv("HOME", QFile::encodeName(m_home));
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(QStringLiteral("es-tests"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_dialogworkflow"));
    QSettings().clear();

    // A demo organisation with a written schedule: something to export and a sends-per-day chart.
    m_db = m_dir.filePath(QStringLiteral("org.sqlite3"));
    const QString made = makeDemoDatabase(m_db, 3000, 5, m_today);
    QVERIFY2(made.isEmpty(), qPrintable(made));
    BatchOptions batchOptions;
    batchOptions.databasePath = m_db;
    batchOptions.today = m_today;
    const Result<BatchResultPtr> batch = BatchJob::run(batchOptions);
    QVERIFY2(batch.ok(), qPrintable(batch.errorMessage()));
    const Result<WriteSummary> written = ScheduleWriter::write(**batch);
    QVERIFY2(written.ok(), qPrintable(written.errorMessage()));
}

QString TestDialogWorkflow::copyOfDatabase(const QString &name) const
{
    const QString path = m_dir.filePath(name);
    QFile::remove(path);
    return QFile::copy(m_db, path) ? path : QString();
}

std::unique_ptr<MainWindow> TestDialogWorkflow::openWindow(const QString &dbPath)
{
    return DialogTestUtil::openMainWindow(m_dir.filePath(QStringLiteral("window.ini")), m_today, dbPath);
}

void TestDialogWorkflow::exportProposesAnExistingFolder()
{
    auto window = openWindow(m_db);
    QVERIFY(window);
    QAction *exportAction = menuAction(window->menuBar(), u"File", u"Export…");
    QVERIFY(exportAction);

    // Opens File ▸ Export… and returns the folder of the file it proposes.
    const auto proposed = [&]() -> QString {
        QString folder;
        ModalScript script;
        script.then([&folder](QWidget *modal) {
            if (auto *path = modal->findChild<QLineEdit *>(QStringLiteral("exportPath")))
                folder = QFileInfo(path->text()).absolutePath();
            ModalScript::click(modal, u"Close");
        });
        exportAction->trigger();
        if (!QTest::qWaitFor([&] { return script.done() && !window->findChild<ExportDialog *>(); }, 10000))
            return QStringLiteral("(no export dialog)");
        return folder;
    };

    QSettings settings;
    settings.remove(QStringLiteral("csv/exportFolder"));
    // No Documents folder: home, not a folder the export would fail in.
    QVERIFY(!QFileInfo::exists(QDir(m_home).filePath(QStringLiteral("Documents"))));
    QCOMPARE(proposed(), QDir(m_home).absolutePath());

    QVERIFY(QDir(m_home).mkpath(QStringLiteral("Documents")));
    QCOMPARE(proposed(), QDir(m_home).absoluteFilePath(QStringLiteral("Documents")));

    const QString last = m_dir.filePath(QStringLiteral("exports"));
    QVERIFY(QDir().mkpath(last));
    settings.setValue(QStringLiteral("csv/exportFolder"), last);
    settings.sync();
    QCOMPARE(proposed(), QDir(last).absolutePath());

    // The last folder was removed since: the next that exists.
    QVERIFY(QDir(last).removeRecursively());
    QCOMPARE(proposed(), QDir(m_home).absoluteFilePath(QStringLiteral("Documents")));
    QVERIFY(QDir(m_home).rmdir(QStringLiteral("Documents")));
    QCOMPARE(proposed(), QDir(m_home).absolutePath());
}

void TestDialogWorkflow::exportEqualsCli_data()
{
    QTest::addColumn<QString>("source");    // the entry a user picks under "Export:"
    QTest::addColumn<QString>("separator"); // the entry under "Separator:"
    QTest::addColumn<bool>("lf");
    QTest::addColumn<bool>("bom");
    QTest::addColumn<QStringList>("cliArgs");

    QTest::newRow("schedule, semicolon, LF, BOM")
        << QStringLiteral("Stored schedule (email_schedules)") << QStringLiteral("Semicolon ( ; )") << true
        << true << QStringList { QStringLiteral("--what"),      QStringLiteral("schedule"),
                                 QStringLiteral("--separator"), QStringLiteral("semicolon"),
                                 QStringLiteral("--lf"),        QStringLiteral("--bom") };
    QTest::newRow("contacts, tab, CRLF")
        << QStringLiteral("Contacts") << QStringLiteral("Tab") << false << false
        << QStringList { QStringLiteral("--what"), QStringLiteral("contacts"), QStringLiteral("--separator"),
                         QStringLiteral("tab") };
    QTest::newRow("problems, comma, CRLF, BOM")
        << QStringLiteral("Contact problems") << QStringLiteral("Comma ( , )") << false << true
        << QStringList { QStringLiteral("--what"), QStringLiteral("problems"), QStringLiteral("--bom") };
}

void TestDialogWorkflow::exportEqualsCli()
{
    QFETCH(QString, source);
    QFETCH(QString, separator);
    QFETCH(bool, lf);
    QFETCH(bool, bom);
    QFETCH(QStringList, cliArgs);

    const QString cli = qEnvironmentVariable("ES_CLI", QStringLiteral(ES_CLI_PATH));
    QVERIFY2(QFileInfo(cli).isExecutable(), qPrintable(u"email-scheduler-cli not found: " + cli));

    auto window = openWindow(m_db);
    QVERIFY(window);
    QAction *exportAction = menuAction(window->menuBar(), u"File", u"Export…");
    QVERIFY(exportAction);

    const QString out = m_dir.filePath(
        QStringLiteral("gui-%1.csv").arg(QString::fromUtf8(QTest::currentDataTag())).replace(u' ', u'_'));
    QFile::remove(out);
    QPointer<QDialog> dialog;
    QStringList missing;
    ModalScript script;
    script.then([&](QWidget *modal) {
        dialog = qobject_cast<QDialog *>(modal);
        if (!choose(modal->findChild<QComboBox *>(QStringLiteral("exportSource")), source))
            missing << source;
        if (!choose(modal->findChild<QComboBox *>(QStringLiteral("exportSeparator")), separator))
            missing << separator;
        if (!choose(modal->findChild<QComboBox *>(QStringLiteral("exportLineEnding")),
                    lf ? QStringLiteral("LF (macOS, Linux)") : QStringLiteral("CRLF (Windows, RFC 4180)")))
            missing << QStringLiteral("line ending");
        // The CLI's fixed choices, ticked as a user would.
        setTicked(checkBoxContaining(modal, QStringLiteral("First row holds")), true);
        setTicked(checkBoxContaining(modal, QStringLiteral("Quote every field")), false);
        setTicked(checkBoxContaining(modal, QStringLiteral("UTF-8 BOM")), bom);
        setTicked(checkBoxContaining(modal, QStringLiteral("Protect against formulas")), true);
        setTicked(checkBoxContaining(modal, QStringLiteral("leading zeros")), false);
        typeInto(modal->findChild<QLineEdit *>(QStringLiteral("exportPath")), out);
        if (!ModalScript::click(modal, u"Export"))
            missing << QStringLiteral("Export button");
    });
    exportAction->trigger();
    QTRY_VERIFY(script.done());
    QVERIFY2(missing.isEmpty(), qPrintable(missing.join(u", ")));
    QVERIFY(dialog);
    QCOMPARE(script.titles(), QStringList { QStringLiteral("Export CSV") });

    // The dialog says it is done, and names the file.
    auto *message = dialog->findChild<QLabel *>(QStringLiteral("exportMessage"));
    QVERIFY(message);
    QTRY_VERIFY_WITH_TIMEOUT(message->text().startsWith(u"Wrote"), 60000);
    QVERIFY2(message->text().contains(QDir::toNativeSeparators(out)), qPrintable(message->text()));
    const QByteArray gui = readAll(out);
    QVERIFY(!gui.isEmpty());
    QCOMPARE(gui.startsWith("\xEF\xBB\xBF"), bom);
    const QList<QStringList> rows = ReferenceCsv::parse(QString::fromUtf8(bom ? gui.mid(3) : gui),
                                                        separator == u"Tab"                      ? u'\t'
                                                            : separator.startsWith(u"Semicolon") ? u';'
                                                                                                 : u',');
    QVERIFY(rows.size() > 1);
    QVERIFY2(message->text().contains(QLocale().toString(rows.size() - 1) + u" rows"),
             qPrintable(message->text()));

    // The same export from the command line.
    const QString cliOut = m_dir.filePath(QStringLiteral("cli-export.csv"));
    QFile::remove(cliOut);
    QProcess process;
    QSignalSpy finished(&process, &QProcess::finished);
    process.start(cli,
                  QStringList { QStringLiteral("export"), QStringLiteral("--db"), m_db,
                                QStringLiteral("--output"), cliOut, QStringLiteral("--today"),
                                m_today.toString(Qt::ISODate) }
                      + cliArgs);
    QVERIFY(finished.wait(120000));
    QVERIFY2(process.exitStatus() == QProcess::NormalExit && process.exitCode() == 0,
             process.readAllStandardError().constData());
    const QByteArray fromCli = readAll(cliOut);
    QCOMPARE(gui.size(), fromCli.size());
    QVERIFY(gui == fromCli);

    QVERIFY(ModalScript::click(dialog, u"Close"));
    QTRY_VERIFY(!dialog);
}

void TestDialogWorkflow::exportOffersOnlySourcesThatExist()
{
    auto window = openWindow(m_db);
    QVERIFY(window);
    QAction *exportAction = menuAction(window->menuBar(), u"File", u"Export…");
    QVERIFY(exportAction);
    QStringList offered;
    bool previewReachable = true;
    ModalScript script;
    script.then([&](QWidget *modal) {
        auto *source = modal->findChild<QComboBox *>(QStringLiteral("exportSource"));
        for (int i = 0; source && i < source->count(); ++i)
            offered << source->itemText(i);
        previewReachable = choose(source, QStringLiteral("Computed preview of the last run"));
        ModalScript::click(modal, u"Close");
    });
    exportAction->trigger();
    QTRY_VERIFY(script.done());
    QTRY_VERIFY(!window->findChild<ExportDialog *>());
    // No run has been computed in this window: the preview is not offered to be refused later.
    QVERIFY2(!offered.isEmpty(), "the export dialog lists no source");
    QVERIFY2(!offered.contains(QStringLiteral("Computed preview of the last run")),
             qPrintable(offered.join(u", ")));
    QVERIFY(!previewReachable);

    // Without a database, the database sources are greyed out with the reason, and a computed
    // run, once there is one, is offered and chosen.
    ExportDialog bare(nullptr, QString());
    auto *source = bare.findChild<QComboBox *>(QStringLiteral("exportSource"));
    auto *items = qobject_cast<QStandardItemModel *>(source->model());
    QVERIFY(items);
    const int contacts = source->findText(QStringLiteral("Contacts"));
    QVERIFY(contacts >= 0);
    QVERIFY(!items->item(contacts)->isEnabled());
    QVERIFY(!items->item(contacts)->toolTip().isEmpty());
    auto batch = std::make_shared<BatchResult>();
    batch->today = m_today;
    bare.setPreviewResult(batch);
    QCOMPARE(source->currentText(), QStringLiteral("Computed preview of the last run"));
    QVERIFY(items->item(source->currentIndex())->isEnabled());
    // The greyed-out sources cannot be picked.
    QVERIFY(!choose(source, QStringLiteral("Contacts")));
    QCOMPARE(source->currentText(), QStringLiteral("Computed preview of the last run"));
}

void TestDialogWorkflow::dialogLabelsShowNoAmpersand()
{
    // A label shows its '&' as a mnemonic only when it has a buddy; otherwise the user reads
    // "&File:". Every label of both dialogs, as opened from the menu.
    auto window = openWindow(m_db);
    QVERIFY(window);
    for (const QString &item : { QStringLiteral("Export…"), QStringLiteral("Import Contacts…") }) {
        QAction *action = menuAction(window->menuBar(), u"File", item);
        QVERIFY2(action, qPrintable(item));
        QStringList literal;
        int labels = 0;
        ModalScript script;
        script.then([&](QWidget *modal) {
            const QList<QLabel *> all = modal->findChildren<QLabel *>();
            for (const QLabel *label : all) {
                ++labels;
                QString text = label->text();
                text.remove(QStringLiteral("&&"));
                if (label->textFormat() != Qt::RichText && text.contains(u'&') && !label->buddy())
                    literal << label->text();
            }
            ModalScript::click(modal, u"Close");
        });
        action->trigger();
        QTRY_VERIFY(script.done());
        // (The Campaigns and do-not-email windows are dialogs that live with the main window.)
        QTRY_VERIFY(!window->findChild<ExportDialog *>() && !window->findChild<ImportDialog *>());
        QVERIFY(labels > 2);
        QVERIFY2(literal.isEmpty(), qPrintable(item + u": " + literal.join(u" | ")));
    }
}

void TestDialogWorkflow::importAddsGoodRowsAndSavesRejected()
{
    const QString db = copyOfDatabase(QStringLiteral("import.sqlite3"));
    QVERIFY(!db.isEmpty());
    const QString csv = m_dir.filePath(QStringLiteral("new-contacts.csv"));
    {
        QFile file(csv);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("First Name,Last Name,E-mail,Date of Birth,Effective Date,State,Zip\r\n"
                   "Alma,Good,alma.good@import.example,1950-04-11,2015-06-01,TX,75001\r\n" // line 2
                   "Bert,Bad,not-an-email,1951-05-12,2016-07-01,TX,75001\r\n"              // line 3
                   "Cleo,Good,cleo.good@import.example,03/14/1952,2014-01-01,CA,90210\r\n" // line 4
                   "Dirk,Bad,dirk.bad@import.example,31/02/1950,2013-01-01,TX,75001\r\n"   // line 5
                   "Edna,Good,edna.good@import.example,1949-12-24,,NV,89501\r\n"           // line 6
                   "Finn,Bad,finn.bad@import.example,2031-11-29,2012-01-01,TX,75001\r\n"); // line 7
    }
    const qint64 before = contactCount(db);
    QVERIFY(before > 0);

    auto window = openWindow(db);
    QVERIFY(window);
    QAction *importAction = menuAction(window->menuBar(), u"File", u"Import Contacts…");
    QVERIFY(importAction);

    QPointer<ImportDialog> dialog;
    ModalScript script;
    script.then([&](QWidget *modal) {
        dialog = qobject_cast<ImportDialog *>(modal);
        QVERIFY(typeCsvPath(modal, QStringLiteral("importPath"), csv));
    });
    importAction->trigger();
    QTRY_VERIFY(script.done());
    QVERIFY(dialog);
    QCOMPARE(script.titles(), QStringList { QStringLiteral("Import contacts") });

    // The check lists the rejected rows by line, with the reason.
    auto *rejected = dialog->findChild<QTableWidget *>(QStringLiteral("rejectedRows"));
    auto *summary = dialog->findChild<QLabel *>(QStringLiteral("importSummary"));
    QVERIFY(rejected && summary);
    QTRY_VERIFY_WITH_TIMEOUT(summary->text().contains(u"3 will be imported"), 20000);
    QVERIFY2(summary->text().contains(u"3 rejected"), qPrintable(summary->text()));
    QCOMPARE(rejected->rowCount(), 3);
    QStringList lines;
    for (int row = 0; row < rejected->rowCount(); ++row)
        lines << rejected->item(row, 0)->text();
    QCOMPARE(lines, (QStringList { QStringLiteral("3"), QStringLiteral("5"), QStringLiteral("7") }));
    QVERIFY2(rejected->item(0, 2)->text().contains(u"not-an-email"),
             qPrintable(rejected->item(0, 2)->text()));
    QVERIFY2(rejected->item(1, 2)->text().contains(u"31/02/1950"), qPrintable(rejected->item(1, 2)->text()));
    QVERIFY2(rejected->item(2, 2)->text().contains(u"2031-11-29"), qPrintable(rejected->item(2, 2)->text()));
    // Room for a page of them, not three.
    QVERIFY2(rejected->height() >= 8 * rejected->verticalHeader()->defaultSectionSize(),
             qPrintable(QString::number(rejected->height())));

    QVERIFY2(QApplication::activeModalWidget() == dialog,
             QApplication::activeModalWidget() ? QApplication::activeModalWidget()->metaObject()->className()
                                               : "none");
    // "Save rejected rows…" through the real file dialog, the name typed.
    const QString failures = m_dir.filePath(QStringLiteral("rejected-by-user.csv"));
    QFile::remove(failures);
    QString fileDialogProblem;
    // It opens in the CSV's folder with a proposed name; the user types another name.
    script.then([&](QWidget *modal) {
        fileDialogProblem = saveThroughFileDialog(modal, QFileInfo(failures).fileName());
    });
    QVERIFY(ModalScript::click(dialog, u"Save rejected rows…"));
    QTRY_VERIFY(script.done());
    QVERIFY2(fileDialogProblem.isEmpty(), qPrintable(fileDialogProblem));
    QVERIFY2(qobject_cast<QFileDialog *>(QApplication::activeModalWidget()) == nullptr,
             "the file dialog is still open");
    QTRY_VERIFY(QFileInfo::exists(failures));
    const QList<QStringList> saved = ReferenceCsv::parse(QString::fromUtf8(readAll(failures)));
    QCOMPARE(saved.size(), 4);
    QCOMPARE(saved.at(0).mid(0, 3),
             (QStringList { QStringLiteral("line"), QStringLiteral("field"), QStringLiteral("reason") }));
    QCOMPARE(saved.at(1).at(0), QStringLiteral("3"));
    QCOMPARE(saved.at(2).at(0), QStringLiteral("5"));
    QCOMPARE(saved.at(3).at(0), QStringLiteral("7"));
    QVERIFY(saved.at(1).contains(QStringLiteral("not-an-email")));

    // Import: the good rows are added, and the window shows them.
    QVERIFY(ModalScript::click(dialog, u"Import"));
    auto *message = dialog->findChild<QLabel *>(QStringLiteral("importMessage"));
    QVERIFY(message);
    QTRY_VERIFY_WITH_TIMEOUT(message->text().startsWith(u"Imported"), 30000);
    QVERIFY2(message->text().contains(u"Imported 3 new contacts"), qPrintable(message->text()));
    QCOMPARE(contactCount(db), before + 3);
    for (const QString &email :
         { QStringLiteral("alma.good@import.example"), QStringLiteral("cleo.good@import.example"),
           QStringLiteral("edna.good@import.example") })
        QCOMPARE(scalar(db, QStringLiteral("SELECT COUNT(*) FROM contacts WHERE email = ?1"), email), 1);
    for (const QString &email :
         { QStringLiteral("dirk.bad@import.example"), QStringLiteral("finn.bad@import.example") })
        QCOMPARE(scalar(db, QStringLiteral("SELECT COUNT(*) FROM contacts WHERE email = ?1"), email), 0);
    QCOMPARE(scalar(db, QStringLiteral("SELECT COUNT(*) FROM contacts WHERE birth_date = ?1"),
                    QStringLiteral("1952-03-14")),
             scalar(m_db, QStringLiteral("SELECT COUNT(*) FROM contacts WHERE birth_date = ?1"),
                    QStringLiteral("1952-03-14"))
                 + 1);
    QTRY_COMPARE_WITH_TIMEOUT(qint64(window->contactsPage()->model()->rowCount()), before + 3, 20000);

    // Done: Import again would only skip the rows just added, so it is off and Enter closes.
    QAbstractButton *importButton = ModalScript::button(dialog, u"Import");
    QVERIFY(importButton);
    QVERIFY(!importButton->isEnabled());
    QVERIFY(!ModalScript::click(dialog, u"Import"));
    auto *closeButton = qobject_cast<QPushButton *>(ModalScript::button(dialog, u"Close"));
    QVERIFY(closeButton && closeButton->isDefault());
    // Another rule for existing emails is a new import of the same file.
    auto *conflict = dialog->findChild<QComboBox *>(QStringLiteral("importConflict"));
    QVERIFY(conflict);
    conflict->setCurrentIndex(1);
    QVERIFY(importButton->isEnabled());
    QCOMPARE(contactCount(db), before + 3);

    QVERIFY(ModalScript::click(dialog, u"Close"));
    QTRY_VERIFY(!dialog);
}

void TestDialogWorkflow::sendsPerDayClickListsThatDaysContacts()
{
    auto window = openWindow(m_db);
    QVERIFY(window);
    window->dailyLoadDock()->show();
    window->dailyLoadDock()->raise();
    DailyLoadView *view = window->dailyLoadView();
    QTRY_VERIFY_WITH_TIMEOUT(view->model()->rowCount() > 0 && !view->model()->isLoading(), 30000);
    ContactTableModel *contacts = window->contactsPage()->model();
    QTRY_VERIFY_WITH_TIMEOUT(!contacts->isLoading(), 20000);
    const int all = contacts->rowCount();

    // The busiest day of the shown range.
    const DailyLoad &load = view->model()->load();
    QDate busiest;
    qint64 most = 0;
    for (const DailyLoad::Day &day : load.days) {
        if (day.total() > most) {
            most = day.total();
            busiest = day.date;
        }
    }
    QVERIFY(busiest.isValid());
    const qint64 expected
        = scalar(m_db,
                 QStringLiteral("SELECT COUNT(DISTINCT contact_id) FROM email_schedules "
                                "WHERE status = 'pre-scheduled' AND scheduled_send_date = ?1"),
                 busiest.toString(Qt::ISODate));
    QVERIFY(expected > 0 && expected < all);

    const QPoint at = view->dayPosition(busiest);
    QVERIFY(view->chart()->rect().contains(at));
    QTest::mouseClick(view->chart(), Qt::LeftButton, {}, at);
    QCOMPARE(window->contactsPage()->scheduledDateFilter(), busiest);
    QTRY_VERIFY_WITH_TIMEOUT(!contacts->isLoading() && contacts->rowCount() == expected, 20000);

    // The summary's "over the cap" is the daily cap's, as the chart's bands.
    qint64 overCap = 0;
    for (const DailyLoad::Day &day : load.days)
        overCap += day.total() > load.dailyCap ? 1 : 0;
    const QString summary = view->summaryText();
    QVERIFY2(summary.contains(QLocale().toString(load.dailyCap)), qPrintable(summary));
    if (overCap == 0)
        QVERIFY2(summary.contains(u"no day over the cap"), qPrintable(summary));
    else
        QVERIFY2(summary.contains(QStringLiteral("%1 day").arg(overCap)), qPrintable(summary));
}

QTEST_MAIN(TestDialogWorkflow)
#include "tst_dialogworkflow.moc"
