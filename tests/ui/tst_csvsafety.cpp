// The CSV dialogs with hostile targets and files, driven through their buttons as a user would:
// the export dialog refusing to write over the open database, and the import dialog reading
// Excel's "Unicode text" (UTF-16) and saving every rejected row through the real file dialog.

#include "csv/contactimport.h"
#include "dialogtestutil.h"
#include "exportdialog.h"
#include "importdialog.h"
#include "modalscript.h"
#include "referencecsv.h"
#include "sqlitetestutil.h"

#include <QComboBox>
#include <QFile>
#include <QFileDialog>
#include <QLabel>
#include <QLineEdit>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QStringEncoder>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>

using namespace DialogTestUtil;
using namespace SqliteTestUtil;

class TestCsvSafety : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void exportDialogRefusesTheDatabase_data();
    void exportDialogRefusesTheDatabase();
    void importDialogReadsUnicodeTextAndSavesEveryRejectedRow();

private:
    QTemporaryDir m_dir;
    QString m_db;
    const QDate m_today { 2025, 3, 3 };
};

void TestCsvSafety::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(QStringLiteral("es-tests"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_csvsafety"));
    QVERIFY(m_dir.isValid());
    m_db = m_dir.filePath(QStringLiteral("org.sqlite3"));
    const QString made = makeDemoDatabase(m_db, 500, 3, m_today);
    QVERIFY2(made.isEmpty(), qPrintable(made));
}

void TestCsvSafety::exportDialogRefusesTheDatabase_data()
{
    QTest::addColumn<int>("source");
    QTest::addColumn<bool>("throughLink");
    QTest::newRow("contacts, the database") << int(ExportDialog::Source::Contacts) << false;
    QTest::newRow("problems, a link to it") << int(ExportDialog::Source::Problems) << true;
}

void TestCsvSafety::exportDialogRefusesTheDatabase()
{
    // A user types the database's own name as the CSV file and clicks Export: the dialog says
    // why it will not, and the database is byte for byte what it was.
    QFETCH(int, source);
    QFETCH(bool, throughLink);
    QString target = m_db;
    if (throughLink) {
        target = m_dir.filePath(QStringLiteral("looks-like.csv"));
        QFile::remove(target);
        QVERIFY(QFile::link(m_db, target));
    }
    const QByteArray before = readAll(m_db);
    ExportDialog dialog(nullptr, m_db);
    dialog.setToday(m_today);
    dialog.setSource(ExportDialog::Source(source));
    dialog.setOutputPath(target);
    dialog.show();
    QSignalSpy exported(&dialog, &ExportDialog::exported);
    QVERIFY(ModalScript::click(&dialog, u"Export"));
    QTRY_VERIFY_WITH_TIMEOUT(anyLabelContains(&dialog, QStringLiteral("Will not write")), 20000);
    QTRY_VERIFY(!dialog.isRunning());
    QVERIFY(anyLabelContains(&dialog, target));
    QCOMPARE(exported.size(), 0);
    QCOMPARE(readAll(m_db), before);
    QVERIFY(dialog.isVisible()); // the user can pick another name
}

void TestCsvSafety::importDialogReadsUnicodeTextAndSavesEveryRejectedRow()
{
    const QString db = m_dir.filePath(QStringLiteral("import.sqlite3"));
    QVERIFY(QFile::copy(m_db, db));
    const qint64 before = contactCount(db);
    // Excel's "Unicode text": UTF-16 LE with a BOM, tabs; 1,500 rejected rows, more than the
    // dialog lists.
    constexpr int Bad = 1500;
    QString text = QStringLiteral("First Name\tLast Name\tE-mail\tZip\r\n"
                                  "Zoë\tBesançon\tzoe.unicode@example.org\t2134\r\n"
                                  "Łukasz\tŻółć\tlukasz.unicode@example.org\t66210\r\n");
    for (int i = 0; i < Bad; ++i)
        text += QStringLiteral("Bad\tRow\tno-address-%1\t66210\r\n").arg(i);
    QStringEncoder encoder(QStringConverter::Utf16LE, QStringConverter::Flag::WriteBom);
    const QString csv = m_dir.filePath(QStringLiteral("unicode.txt"));
    {
        QFile file(csv);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(encoder.encode(text));
    }

    ImportDialog dialog(db);
    dialog.setToday(m_today);
    dialog.show();
    QSignalSpy analysed(&dialog, &ImportDialog::analysed);
    dialog.setCsvPath(csv);
    QVERIFY(analysed.wait(20000));
    QCOMPARE(analysed.last().at(0).toBool(), true);
    const QList<QComboBox *> combos = dialog.findChildren<QComboBox *>();
    QVERIFY(std::any_of(combos.cbegin(), combos.cend(),
                        [](const QComboBox *c) { return c->currentText() == QStringLiteral("UTF-16 LE"); }));
    QCOMPARE(dialog.analysis().good, 2);
    QCOMPARE(dialog.analysis().failedRows, Bad);
    auto *rejected = dialog.findChild<QTableWidget *>(QStringLiteral("rejectedRows"));
    QVERIFY(rejected);
    QVERIFY(rejected->rowCount() < Bad);
    // The dialog says that the list is cut and that saving writes them all.
    QVERIFY(anyLabelContains(&dialog, QStringLiteral("writes all %1").arg(Bad)));

    // Save rejected rows… through the real file dialog, typing a name as a user would.
    const QString saved = m_dir.filePath(QStringLiteral("rejected-rows.csv"));
    ModalScript script;
    QString fileDialogProblem;
    // It opens in the file's folder (where `saved` goes); the user types the name.
    script.then([&](QWidget *modal) {
        fileDialogProblem = saveThroughFileDialog(modal, QFileInfo(saved).fileName());
    });
    QVERIFY(ModalScript::click(&dialog, u"Save rejected rows…"));
    QTRY_VERIFY(script.done());
    QVERIFY2(fileDialogProblem.isEmpty(), qPrintable(fileDialogProblem));
    QTRY_VERIFY(QFile::exists(saved));
    const QList<QStringList> rows = ReferenceCsv::parse(QString::fromUtf8(readAll(saved)));
    QCOMPARE(rows.size(), Bad + 1);
    QCOMPARE(rows.first().mid(0, 4),
             (QStringList { QStringLiteral("line"), QStringLiteral("field"), QStringLiteral("reason"),
                            QStringLiteral("First Name") }));
    QCOMPARE(rows.last().at(0), QString::number(Bad + 3));
    QCOMPARE(rows.last().at(5), QStringLiteral("no-address-%1").arg(Bad - 1));

    QSignalSpy imported(&dialog, &ImportDialog::imported);
    QVERIFY(ModalScript::click(&dialog, u"Import"));
    QVERIFY(imported.wait(20000));
    QCOMPARE(contactCount(db), before + 2);
}

QTEST_MAIN(TestCsvSafety)
#include "tst_csvsafety.moc"
