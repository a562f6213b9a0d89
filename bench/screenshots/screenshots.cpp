// Drives the real MainWindow through the documented scenes and saves a PNG of each
// (contacts, preview with a skipped email, run in progress, run finished, sends per day).

#include "batchpanel.h"
#include "contactspage.h"
#include "dailyloadview.h"
#include "engine.h"
#include "items/contacttablemodel.h"
#include "items/dailyloadmodel.h"
#include "mainwindow.h"
#include "schedulepreviewdock.h"
#include "storage/contactsource.h"
#include "storage/demogenerator.h"
#include "storage/orgdatabase.h"

#include <QAction>
#include <QApplication>
#include <QCommandLineParser>
#include <QDeadlineTimer>
#include <QDir>
#include <QDockWidget>
#include <QElapsedTimer>
#include <QMouseEvent>
#include <QProgressBar>
#include <QTableView>
#include <QTemporaryDir>
#include <QTextStream>

#include <cstdio>
#include <functional>

namespace {

bool waitUntil(const std::function<bool()> &condition, int timeoutMs = 60000)
{
    QDeadlineTimer deadline(timeoutMs);
    while (!condition()) {
        if (deadline.hasExpired())
            return false;
        QCoreApplication::processEvents(QEventLoop::AllEvents, 5);
    }
    return true;
}

void settle(int ms)
{
    QElapsedTimer t;
    t.start();
    while (t.elapsed() < ms)
        QCoreApplication::processEvents(QEventLoop::AllEvents, 5);
}

bool save(QWidget *w, const QString &dir, const QString &name)
{
    const QString path = dir + u'/' + name;
    const bool ok = w->grab().save(path);
    std::fprintf(stderr, "%s %s\n", ok ? "saved" : "FAILED", qPrintable(path));
    return ok;
}

// A contact of a birthday-rule state whose birthday email is skipped as of `today`.
qint64 contactWithSkippedEmail(const QString &path, QDate today)
{
    Result<OrgDatabase> db = OrgDatabase::open(path, OrgDatabase::Mode::ReadOnly);
    if (!db)
        return 0;
    ContactSource source(db.value());
    qint64 found = 0;
    const auto read = source.readRange(
        1, 3000, ContactSource::Fields::All, [&](const Contact &c, std::span<const HistoryEntry> h) {
            if (found)
                return;
            const ContactSchedule s = Engine::scheduleContact(c, h, today, Config());
            for (const ScheduledEmail &e : s.emails) {
                if (e.type == EmailType::Birthday && e.status == EmailStatus::Skipped
                    && e.reason == SkipReason::BirthdayWindow && s.state.toString() == u"CA")
                    found = c.id;
            }
        });
    if (!read.ok()) {
        std::fprintf(stderr, "reading the contacts failed: %s\n", qPrintable(read.errorMessage()));
        return 0;
    }
    return found;
}

} // namespace

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("email-scheduler-screenshots"));
    QCommandLineParser parser;
    parser.addHelpOption();
    const QCommandLineOption outOption(QStringLiteral("out"), QStringLiteral("Folder for the PNGs."),
                                       QStringLiteral("dir"));
    const QCommandLineOption contactsOption(QStringLiteral("contacts"),
                                            QStringLiteral("Contacts in the demo database."),
                                            QStringLiteral("n"), QStringLiteral("150000"));
    parser.addOptions({ outOption, contactsOption });
    parser.process(app);
    const QString out
        = parser.isSet(outOption) ? parser.value(outOption) : QStringLiteral("docs/screenshots");
    QDir().mkpath(out);

    QTemporaryDir tmp;
    const QString dbPath = tmp.filePath(QStringLiteral("acme-insurance.sqlite3"));
    const QDate today(2025, 3, 3);
    DemoGenerator::Options options;
    options.path = dbPath;
    options.contacts = parser.value(contactsOption).toLongLong();
    options.seed = 7;
    options.today = today;
    if (const auto made = DemoGenerator::generate(options); !made) {
        std::fprintf(stderr, "%s\n", qPrintable(made.errorMessage()));
        return 1;
    }

    MainWindow window(tmp.filePath(QStringLiteral("settings.ini")));
    window.resize(1500, 900);
    window.show();
    window.setAsOfDate(today);
    window.openDatabase(dbPath);
    ContactsPage *page = window.contactsPage();
    if (!waitUntil([&] { return page->model()->rowCount() > 0; }))
        return 2;
    waitUntil([&] { return page->model()->index(0, 1).data(ContactTableModel::LoadedRole).toBool(); });
    page->view()->selectRow(3);
    settle(300);
    bool ok = save(&window, out, QStringLiteral("contacts.png"));

    const qint64 id = contactWithSkippedEmail(dbPath, today);
    if (id == 0 || !page->selectContact(id)) {
        std::fprintf(stderr, "no contact with a skipped email\n");
        return 3;
    }
    waitUntil([&] {
        return window.previewDock()->contactId() == id
            && window.previewDock()->headline().contains(QString::number(id));
    });
    settle(300);
    ok = save(&window, out, QStringLiteral("preview-skipped.png")) && ok;

    BatchPanel *batch = window.batchPanel();
    bool confirmed = false;
    batch->setConfirmFunction([&](const BatchResult &, const ScheduleDiffSummary &) {
        confirmed = true;
        return true;
    });
    window.runAction()->trigger();
    waitUntil([&] {
        return batch->progressBar()->maximum() > 1
            && batch->progressBar()->value() > batch->progressBar()->maximum() / 3;
    });
    ok = save(&window, out, QStringLiteral("run-in-progress.png")) && ok;
    waitUntil([&] { return !batch->isRunning(); }, 600000);
    settle(800);
    ok = save(&window, out, QStringLiteral("run-finished.png")) && ok;

    // Sends per day of the written run, its busiest day clicked through to the contacts.
    DailyLoadView *load = window.dailyLoadView();
    window.dailyLoadDock()->show();
    window.dailyLoadDock()->raise();
    window.resizeDocks({ window.dailyLoadDock() }, { 330 }, Qt::Vertical);
    load->setRangeDays(90);
    if (!waitUntil([&] { return !load->model()->isLoading() && load->model()->load().maxTotal() > 0; })) {
        std::fprintf(stderr, "no sends per day\n");
        return 5;
    }
    QDate busiest;
    qint64 most = -1;
    for (const DailyLoad::Day &day : load->model()->load().days) {
        if (day.total() > most) {
            most = day.total();
            busiest = day.date;
        }
    }
    const QPoint at = load->dayPosition(busiest);
    QMouseEvent press(QEvent::MouseButtonPress, at, load->chart()->mapToGlobal(at), Qt::LeftButton,
                      Qt::LeftButton, Qt::NoModifier);
    QCoreApplication::sendEvent(load->chart(), &press);
    QMouseEvent move(QEvent::MouseMove, at, load->chart()->mapToGlobal(at), Qt::NoButton, Qt::NoButton,
                     Qt::NoModifier);
    QCoreApplication::sendEvent(load->chart(), &move);
    waitUntil([&] { return !page->model()->isLoading() && page->model()->rowCount() > 0; });
    waitUntil([&] { return page->model()->index(0, 1).data(ContactTableModel::LoadedRole).toBool(); });
    settle(300);
    ok = save(&window, out, QStringLiteral("sends-per-day.png")) && ok;
    return ok && confirmed ? 0 : 4;
}
