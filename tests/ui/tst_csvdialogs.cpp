// The CSV dialogs offscreen: the contact table's filtered view exported through SQL, a
// cancelled export, the import of a file with synonym headers, and File ▸ Export / Import.

#include "contactspage.h"
#include "csv/contactimport.h"
#include "dialogtestutil.h"
#include "exportdialog.h"
#include "importdialog.h"
#include "items/contactcolumn.h"
#include "items/contacttablemodel.h"
#include "mainwindow.h"
#include "messagebanner.h"
#include "referencecsv.h"
#include "sqlitetestutil.h"
#include "storage/contactsource.h"
#include "storage/orgdatabase.h"

#include <QAction>
#include <QCheckBox>
#include <QDir>
#include <QFile>
#include <QHeaderView>
#include <QLabel>
#include <QMenuBar>
#include <QProgressBar>
#include <QSignalSpy>
#include <QStandardItemModel>
#include <QStandardPaths>
#include <QTableView>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>

#include <limits>

using namespace ContactColumn;
using namespace DialogTestUtil;
using namespace SqliteTestUtil;

namespace {

// RFC 4180 records, written here without the project's reader so the check is independent.
QList<QStringList> parseCsv(const QString &text)
{
    return ReferenceCsv::parse(text);
}

} // namespace

class TestCsvDialogs : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void exportFilteredContactView();
    void cancelledViewExportKeepsFile();
    void cancelledSqlExportKeepsFile();
    void importWithSynonymHeaders();
    void errorsShowInTheBanner();
    void mainWindowActions();

private:
    QString copyOfDatabase(const QString &name) const;

    QTemporaryDir m_dir;
    QString m_db;
    const QDate m_today { 2025, 3, 3 };
};

void TestCsvDialogs::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(QStringLiteral("es-tests"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_csvdialogs"));
    QVERIFY(m_dir.isValid());
    m_db = m_dir.filePath(QStringLiteral("org.sqlite3"));
    const QString made = makeDemoDatabase(m_db, 20000, 7, m_today);
    QVERIFY2(made.isEmpty(), qPrintable(made));
}

QString TestCsvDialogs::copyOfDatabase(const QString &name) const
{
    const QString path = m_dir.filePath(name);
    QFile::remove(path);
    return QFile::copy(m_db, path) ? path : QString();
}

void TestCsvDialogs::exportFilteredContactView()
{
    ContactsPage page;
    page.resize(1200, 600);
    page.setToday(m_today);
    page.setDatabase(m_db);
    ContactTableModel *model = page.model();
    QTRY_VERIFY_WITH_TIMEOUT(!model->isLoading() && model->rowCount() > 0, 20000);
    const int all = model->rowCount();

    // A column filter, a sort, a moved and a hidden column: what the user sees.
    const QString needle = QStringLiteral("son");
    page.setColumnFilter(LastName, needle);
    page.view()->sortByColumn(LastName, Qt::DescendingOrder);
    QHeaderView *header = page.view()->horizontalHeader();
    header->moveSection(header->visualIndex(Email), 0);
    header->setSectionHidden(Phone, true);
    QTRY_VERIFY_WITH_TIMEOUT(!model->isLoading() && model->filter().columnText(LastName) == needle
                                 && model->sortColumn() == LastName,
                             20000);
    const int shown = model->rowCount();
    QVERIFY(shown > 0);
    QVERIFY(shown < all);

    // The view's rows in its order, every page loaded (the table itself only loads what is seen).
    for (int r = 0; r < shown; ++r)
        (void)model->index(r, LastName).data();
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
            for (int r = 0; r < shown; ++r) {
                if (!model->loadedRow(r)) {
                    (void)model->index(r, LastName).data();
                    return false;
                }
            }
            return true;
        }(),
        20000);
    QList<int> columns;
    QStringList headers;
    for (int v = 0; v < header->count(); ++v) {
        const int logical = header->logicalIndex(v);
        if (!header->isSectionHidden(logical)) {
            columns.append(logical);
            headers.append(model->headerData(logical, Qt::Horizontal).toString());
        }
    }
    QCOMPARE(columns.first(), int(Email));
    QVERIFY(!columns.contains(Phone));
    QList<QStringList> expected { headers };
    for (int r = 0; r < shown; ++r) {
        QStringList row;
        for (int c : columns)
            row.append(model->index(r, c).data().toString());
        expected.append(row);
    }

    const QString out = m_dir.filePath(QStringLiteral("view.csv"));
    ExportDialog dialog(nullptr, m_db);
    dialog.setContactView(ExportDialog::contactViewOf(page.view()));
    dialog.setOutputPath(out);
    // Compare the plain values: no apostrophes before a leading + or -.
    QCheckBox *guard = checkBoxContaining(&dialog, QStringLiteral("formulas"));
    QVERIFY(guard);
    guard->setChecked(false);
    QCheckBox *bom = checkBoxContaining(&dialog, QStringLiteral("BOM"));
    QVERIFY(bom);
    bom->setChecked(false);
    dialog.open();
    QSignalSpy exported(&dialog, &ExportDialog::exported);
    dialog.startExport();
    // No isRunning() check here: a small export may finish on its worker before the check,
    // though its exported() signal has not been delivered yet. The wait below fails if it never
    // started.
    QVERIFY(exported.wait(20000));
    QCOMPARE(exported.first().at(1).toLongLong(), qint64(shown));

    const QList<QStringList> written = parseCsv(QString::fromUtf8(readAll(out)));
    QCOMPARE(written.size(), shown + 1);
    QCOMPARE(written, expected);

    // The rows are exactly the matching contacts, checked without the filter code.
    Result<OrgDatabase> db = OrgDatabase::open(m_db, OrgDatabase::Mode::ReadOnly);
    QVERIFY(db.ok());
    QSet<QString> matching;
    ContactSource source(db.value());
    QVERIFY(source
                .readRange(0, std::numeric_limits<qint64>::max(), ContactSource::Fields::All,
                           [&](const Contact &c, std::span<const HistoryEntry>) {
                               if (c.lastName.contains(needle, Qt::CaseInsensitive))
                                   matching.insert(c.email);
                           })
                .ok());
    QSet<QString> exportedEmails;
    for (qsizetype i = 1; i < written.size(); ++i)
        exportedEmails.insert(written.at(i).at(0));
    QCOMPARE(exportedEmails, matching);
}

void TestCsvDialogs::cancelledViewExportKeepsFile()
{
    QTemporaryDir dir;
    const QString out = dir.filePath(QStringLiteral("problems.csv"));
    const QByteArray previous = "previous,content\r\n";
    {
        QFile file(out);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(previous);
    }
    // More rows than one slice, so the export is still going when Cancel is pressed.
    QStandardItemModel model(12000, 3);
    for (int r = 0; r < model.rowCount(); ++r)
        model.setItem(r, 0, new QStandardItem(QString::number(r)));
    ExportDialog dialog(&model, QString());
    dialog.setOutputPath(out);
    dialog.open();
    dialog.startExport();
    QVERIFY(dialog.isRunning());
    // Cancel once the first slice is written, while the rest is still to come.
    auto *progress = dialog.findChild<QProgressBar *>();
    QVERIFY(progress);
    QTRY_VERIFY(progress->value() > 0);
    QVERIFY(dialog.isRunning());
    dialog.reject();
    QVERIFY(!dialog.isRunning());
    QCOMPARE(readAll(out), previous);
    QCOMPARE(QDir(dir.path()).entryList(QDir::Files), QStringList { QStringLiteral("problems.csv") });
    const QList<QLabel *> labels = dialog.findChildren<QLabel *>();
    QVERIFY(std::any_of(labels.cbegin(), labels.cend(),
                        [](const QLabel *l) { return l->text().contains(QStringLiteral("cancelled")); }));
}

void TestCsvDialogs::cancelledSqlExportKeepsFile()
{
    QTemporaryDir dir;
    const QString out = dir.filePath(QStringLiteral("contacts.csv"));
    const QByteArray previous = "previous,content\r\n";
    {
        QFile file(out);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(previous);
    }
    ContactsPage page;
    page.setToday(m_today);
    page.setDatabase(m_db);
    QTRY_VERIFY_WITH_TIMEOUT(!page.model()->isLoading() && page.model()->rowCount() > 0, 20000);
    ExportDialog dialog(nullptr, m_db);
    dialog.setContactView(ExportDialog::contactViewOf(page.view()));
    dialog.setOutputPath(out);
    dialog.open();
    QSignalSpy exported(&dialog, &ExportDialog::exported);
    dialog.startExport();
    QVERIFY(dialog.isRunning());
    dialog.reject(); // Cancel while writing: stops the worker, the dialog stays with the outcome
    const QList<QLabel *> labels = dialog.findChildren<QLabel *>();
    QTRY_VERIFY_WITH_TIMEOUT(
        std::any_of(labels.cbegin(), labels.cend(),
                    [](const QLabel *l) { return l->text().contains(QStringLiteral("cancelled")); }),
        20000);
    QVERIFY(!dialog.isRunning());
    QVERIFY(dialog.isVisible());
    QCOMPARE(exported.size(), 0);
    QCOMPARE(readAll(out), previous);
    QCOMPARE(QDir(dir.path()).entryList(QDir::Files), QStringList { QStringLiteral("contacts.csv") });
}

void TestCsvDialogs::importWithSynonymHeaders()
{
    const QString db = copyOfDatabase(QStringLiteral("import.sqlite3"));
    QVERIFY(!db.isEmpty());
    const qint64 before = contactCount(db);
    QVERIFY(before > 0);
    const QString csv = m_dir.filePath(QStringLiteral("people.csv"));
    {
        QFile file(csv);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("First Name,Last Name,E-mail,DOB,Zip\r\n"
                   "Ann,Importer,ann.importer@example.org,1950-03-07,02134\r\n"
                   "Bob,Importer,bob.importer@example.org,07/04/1951,77001\r\n"
                   "Cy,Importer,not-an-email,1952-01-01,10001\r\n");
    }

    ImportDialog dialog(db);
    dialog.setToday(m_today);
    dialog.open();
    QSignalSpy analysed(&dialog, &ImportDialog::analysed);
    dialog.setCsvPath(csv);
    QVERIFY(analysed.wait(20000));
    QCOMPARE(analysed.last().at(0).toBool(), true);
    using ContactImport::Field;
    QCOMPARE(dialog.mapping().column(Field::BirthDate), 3);
    QCOMPARE(dialog.mapping().column(Field::ZipCode), 4);
    QCOMPARE(dialog.mapping().column(Field::Email), 2);
    QCOMPARE(dialog.analysis().good, 2);
    QCOMPARE(dialog.analysis().failedRows, 1);

    // The bad row is listed with its line and why.
    auto *rejected = dialog.findChild<QTableWidget *>(QStringLiteral("rejectedRows"));
    QVERIFY(rejected);
    QCOMPARE(rejected->rowCount(), 1);
    QCOMPARE(rejected->item(0, 0)->text(), QStringLiteral("4"));
    QCOMPARE(rejected->item(0, 1)->text(), QStringLiteral("email"));
    QVERIFY2(rejected->item(0, 2)->text().contains(QStringLiteral("not-an-email"))
                 || rejected->item(0, 2)->text().contains(QStringLiteral("mail"), Qt::CaseInsensitive),
             qPrintable(rejected->item(0, 2)->text()));

    QSignalSpy imported(&dialog, &ImportDialog::imported);
    dialog.startImport();
    QVERIFY(imported.wait(20000));
    const auto report = imported.first().at(0).value<ContactImport::ImportReport>();
    QCOMPARE(report.inserted, 2);
    QCOMPARE(contactCount(db), before + 2);
}

// Both dialogs say what went wrong in the project's MessageBanner (error style, the file named),
// not in a restyled label, and hide it again when the next step works.
void TestCsvDialogs::errorsShowInTheBanner()
{
    ImportDialog importer(m_db);
    importer.setToday(m_today);
    importer.open();
    auto *importBanner = importer.findChild<MessageBanner *>(QStringLiteral("importBanner"));
    auto *importMessage = importer.findChild<QLabel *>(QStringLiteral("importMessage"));
    QVERIFY(importBanner);
    QVERIFY(importMessage);
    QVERIFY(!importBanner->isVisible());
    const QString missing = m_dir.filePath(QStringLiteral("no-such-file.csv"));
    importer.setCsvPath(missing);
    QVERIFY(importBanner->isVisible());
    QCOMPARE(importBanner->kind(), MessageBanner::Kind::Error);
    QVERIFY2(importBanner->text().startsWith(u"Could not read " + QDir::toNativeSeparators(missing)),
             qPrintable(importBanner->text()));
    QVERIFY(importMessage->text().isEmpty());
    QVERIFY(importMessage->styleSheet().isEmpty());

    const QString good = m_dir.filePath(QStringLiteral("banner-good.csv"));
    {
        QFile file(good);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("First Name,E-mail,Zip\r\nAnn,ann.banner@example.org,02134\r\n");
    }
    QSignalSpy analysed(&importer, &ImportDialog::analysed);
    importer.setCsvPath(good);
    QVERIFY(analysed.wait(20000));
    QVERIFY(!importBanner->isVisible());

    // Export into a folder that does not exist: the banner names the file, nothing is written.
    QStandardItemModel model(3, 2);
    ExportDialog exporter(&model, QString());
    const QString out = m_dir.filePath(QStringLiteral("no-such-folder/out.csv"));
    exporter.setOutputPath(out);
    exporter.open();
    auto *exportBanner = exporter.findChild<MessageBanner *>(QStringLiteral("exportBanner"));
    auto *exportMessage = exporter.findChild<QLabel *>(QStringLiteral("exportMessage"));
    QVERIFY(exportBanner);
    QVERIFY(exportMessage);
    QVERIFY(!exportBanner->isVisible());
    exporter.startExport();
    QTRY_VERIFY(!exporter.isRunning());
    QVERIFY(exportBanner->isVisible());
    QCOMPARE(exportBanner->kind(), MessageBanner::Kind::Error);
    QVERIFY2(exportBanner->text().contains(QDir::toNativeSeparators(out)), qPrintable(exportBanner->text()));
    QVERIFY(exportMessage->text().isEmpty());
    QVERIFY(exportMessage->styleSheet().isEmpty());
    QVERIFY(!QFile::exists(out));
}

void TestCsvDialogs::mainWindowActions()
{
    QTemporaryDir dir;
    MainWindow window(dir.filePath(QStringLiteral("settings.ini")));
    QSignalSpy opened(&window, &MainWindow::databaseOpened);
    window.openDatabase(m_db);
    QVERIFY(opened.wait(20000));
    QAction *exportAction = nullptr;
    QAction *importAction = nullptr;
    const QList<QAction *> actions = window.menuBar()->actions().first()->menu()->actions();
    for (QAction *a : actions) {
        if (a->shortcut() == QKeySequence(Qt::CTRL | Qt::Key_E))
            exportAction = a;
        if (a->shortcut() == QKeySequence(Qt::CTRL | Qt::Key_I))
            importAction = a;
    }
    QVERIFY(exportAction);
    QVERIFY(importAction);
    QVERIFY(exportAction->toolTip().contains(
        QKeySequence(Qt::CTRL | Qt::Key_E).toString(QKeySequence::NativeText)));

    exportAction->trigger();
    auto *exportDialog = window.findChild<ExportDialog *>();
    QVERIFY(exportDialog);
    QVERIFY(exportDialog->isVisible());
    // The contact table (no filter) is the current view, exported through SQL.
    QTRY_VERIFY_WITH_TIMEOUT(!window.contactsPage()->model()->isLoading(), 20000);
    const QString out = dir.filePath(QStringLiteral("all.csv"));
    exportDialog->setOutputPath(out);
    QSignalSpy exported(exportDialog, &ExportDialog::exported);
    exportDialog->startExport();
    QVERIFY(exported.wait(20000));
    QCOMPARE(exported.first().at(1).toLongLong(), contactCount(m_db));
    const QList<QStringList> written = parseCsv(QString::fromUtf8(readAll(out)));
    QCOMPARE(written.first().first(),
             window.contactsPage()->model()->headerData(Id, Qt::Horizontal).toString());
    exportDialog->close();
    QTRY_VERIFY(!window.findChild<ExportDialog *>());

    importAction->trigger();
    auto *importDialog = window.findChild<ImportDialog *>();
    QVERIFY(importDialog);
    QVERIFY(importDialog->isVisible());
    importDialog->close();
    QTRY_VERIFY(!window.findChild<ImportDialog *>());
}

QTEST_MAIN(TestCsvDialogs)
#include "tst_csvdialogs.moc"
