#pragma once

#include "listimportdialog.h"
#include "mainwindow.h"
#include "modalscript.h"
#include "storage/demogenerator.h"

#include <QAbstractButton>
#include <QCheckBox>
#include <QComboBox>
#include <QDate>
#include <QFileDialog>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMenuBar>
#include <QSignalSpy>
#include <QTest>

#include <algorithm>
#include <memory>

// What the widget suites do the way a user would: type, choose, tick, pick a menu item, answer a
// file dialog; and the demo organisation they start from. One copy serves every UI suite.
namespace DialogTestUtil {

// A demo organisation at `path`; the generator's error message, or empty when it worked.
inline QString makeDemoDatabase(const QString &path, qint64 contacts, quint64 seed, QDate today)
{
    DemoGenerator::Options options;
    options.path = path;
    options.contacts = contacts;
    options.seed = seed;
    options.today = today;
    const auto made = DemoGenerator::generate(options);
    return made.ok() ? QString() : made.errorMessage();
}

inline QString withoutMnemonic(QString text)
{
    text.remove(u'&');
    return text;
}

// The menu item a user clicks: <menu> ▸ <text>.
inline QAction *menuAction(const QMenuBar *bar, QStringView menu, QStringView text)
{
    const QList<QAction *> menus = bar->actions();
    for (QAction *m : menus) {
        if (withoutMnemonic(m->text()) != menu || !m->menu())
            continue;
        const QList<QAction *> items = m->menu()->actions();
        for (QAction *a : items) {
            if (withoutMnemonic(a->text()) == text)
                return a;
        }
    }
    return nullptr;
}

// Replaces a line edit's text by typing, as a user does: select all, type.
inline void typeInto(QLineEdit *edit, const QString &text)
{
    edit->setFocus();
    QTest::keyClick(edit, Qt::Key_A, Qt::ControlModifier);
    QTest::keyClicks(edit, text);
}

// Picks `text` in a combo box with the keyboard (Home, then Down): disabled entries cannot be
// reached this way, just as a user cannot pick them. False when it is not reachable.
inline bool choose(QComboBox *combo, const QString &text)
{
    if (!combo)
        return false;
    combo->setFocus();
    QTest::keyClick(combo, Qt::Key_Home);
    for (int i = 0; i <= combo->count(); ++i) {
        if (combo->currentText() == text)
            return true;
        QTest::keyClick(combo, Qt::Key_Down);
    }
    return combo->currentText() == text;
}

// Ticks or clears a check box with the space bar.
inline void setTicked(QCheckBox *box, bool ticked)
{
    if (box && box->isChecked() != ticked) {
        box->setFocus();
        QTest::keyClick(box, Qt::Key_Space);
    }
}

inline QCheckBox *checkBoxContaining(QWidget *parent, const QString &text)
{
    const QList<QCheckBox *> boxes = parent->findChildren<QCheckBox *>();
    for (QCheckBox *box : boxes) {
        if (box->text().contains(text))
            return box;
    }
    return nullptr;
}

inline bool anyLabelContains(const QWidget *parent, const QString &text)
{
    const QList<QLabel *> labels = parent->findChildren<QLabel *>();
    return std::any_of(labels.cbegin(), labels.cend(),
                       [&](const QLabel *l) { return l->text().contains(text); });
}

// Chooses `csv` in an import dialog as a user does: types its path into the file box named
// `pathEdit` and presses Enter (the dialog then loads and checks it). False without that box.
inline bool typeCsvPath(QWidget *dialog, const QString &pathEdit, const QString &csv)
{
    auto *path = dialog ? dialog->findChild<QLineEdit *>(pathEdit) : nullptr;
    if (!path)
        return false;
    typeInto(path, csv);
    QTest::keyClick(path, Qt::Key_Return);
    return true;
}

// Clicks `button` of `owner` (its "…from CSV…" button), and in the list import dialog that
// opens loads `csv`; returns the dialog once it has checked the file, or null (after `timeoutMs`).
inline ListImportDialog *openListImport(QWidget *owner, QStringView button, const QString &csv,
                                        int timeoutMs = 10000)
{
    if (!ModalScript::click(owner, button))
        return nullptr;
    ListImportDialog *dialog = nullptr;
    if (!QTest::qWaitFor(
            [&] { return (dialog = owner->findChild<ListImportDialog *>()) && dialog->isVisible(); },
            timeoutMs))
        return nullptr;
    QSignalSpy checked(dialog, &ListImportDialog::checked);
    if (!typeCsvPath(dialog, QStringLiteral("listImportPath"), csv))
        return nullptr;
    if (checked.isEmpty() && !checked.wait(timeoutMs))
        return nullptr;
    return dialog;
}

// Answers a save file dialog (a ModalScript step): types `name` into its name box and clicks
// Save once the dialog enables it. Returns what went wrong (and closes the modal), or empty.
inline QString saveThroughFileDialog(QWidget *modal, const QString &name)
{
    auto *dialog = qobject_cast<QFileDialog *>(modal);
    auto *edit = modal->findChild<QLineEdit *>(QStringLiteral("fileNameEdit"));
    if (!dialog || !edit) {
        modal->close();
        return u"not a file dialog: " + QString::fromLatin1(modal->metaObject()->className());
    }
    typeInto(edit, name);
    // The dialog enables Save once its folder model has caught up with the typed name.
    (void)QTest::qWaitFor(
        [modal] {
            QAbstractButton *save = ModalScript::button(modal, u"Save");
            return save && save->isEnabled();
        },
        10000);
    if (ModalScript::click(modal, u"Save"))
        return {};
    QString problem = QStringLiteral("Save cannot be clicked; buttons:");
    const QList<QAbstractButton *> buttons = modal->findChildren<QAbstractButton *>();
    for (const QAbstractButton *b : buttons)
        problem += u" [" + b->text() + (b->isEnabled() ? u"]" : u" disabled]");
    problem += u" selected: " + dialog->selectedFiles().join(u", ");
    modal->close();
    return problem;
}

// A main window with its own settings file, shown, as of `today`, with `dbPath` opened; null
// when it was not exposed or the database did not open within 30 s.
inline std::unique_ptr<MainWindow> openMainWindow(const QString &settingsPath, QDate today,
                                                  const QString &dbPath)
{
    auto window = std::make_unique<MainWindow>(settingsPath);
    window->setAsOfDate(today);
    window->resize(1400, 900);
    window->show();
    if (!QTest::qWaitForWindowExposed(window.get()))
        return nullptr;
    QSignalSpy opened(window.get(), &MainWindow::databaseOpened);
    window->openDatabase(dbPath);
    if (!opened.wait(30000))
        return nullptr;
    return window;
}

} // namespace DialogTestUtil
