// Opens the MainWindow on a generated database of N contacts (default 1,000,000), measures the
// time until the contact table shows its first rows, then starts a batch run through the UI
// action and, with a 5 ms timer on the GUI thread, measures how long the GUI thread stalls
// during the whole run (compute, compare, confirm, write, reload). Prints
//   first_rows_ms=… max_stall_ms=… p99_stall_ms=… run_ms=… ticks=…

#include "batchpanel.h"
#include "contactspage.h"
#include "items/contacttablemodel.h"
#include "mainwindow.h"
#include "stallprobe.h"
#include "storage/demogenerator.h"

#include <QAction>
#include <QApplication>
#include <QCommandLineParser>
#include <QDeadlineTimer>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QScrollBar>
#include <QTableView>
#include <QTemporaryDir>
#include <QTimer>

#include <algorithm>
#include <cstdio>
#include <functional>
#include <vector>

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("email-scheduler-guistall"));
    QCommandLineParser parser;
    parser.addHelpOption();
    const QCommandLineOption contactsOption(QStringLiteral("contacts"),
                                            QStringLiteral("Contacts (default 1000000)."),
                                            QStringLiteral("n"), QStringLiteral("1000000"));
    const QCommandLineOption dbOption(
        QStringLiteral("db"),
        QStringLiteral("Database to use; generated there when missing (kept for reruns)."),
        QStringLiteral("path"));
    const QCommandLineOption verboseOption(
        QStringLiteral("verbose"), QStringLiteral("List every stall over 20 ms with the run's stage."));
    const QCommandLineOption declineOption(
        QStringLiteral("decline"), QStringLiteral("Answer no to the confirm question (nothing is written)."));
    parser.addOptions({ contactsOption, dbOption, declineOption, verboseOption });
    parser.process(app);
    const bool verbose = parser.isSet(verboseOption);

    QTemporaryDir tmp;
    const qint64 contacts = parser.value(contactsOption).toLongLong();
    const QString dbPath
        = parser.isSet(dbOption) ? parser.value(dbOption) : tmp.filePath(QStringLiteral("guistall.sqlite3"));
    if (!QFileInfo::exists(dbPath)) {
        std::fprintf(stderr, "generating %lld contacts in %s\n", static_cast<long long>(contacts),
                     qPrintable(dbPath));
        DemoGenerator::Options options;
        options.path = dbPath;
        options.contacts = contacts;
        if (const auto made = DemoGenerator::generate(options); !made) {
            std::fprintf(stderr, "%s\n", qPrintable(made.errorMessage()));
            return 1;
        }
    }

    MainWindow window(tmp.filePath(QStringLiteral("settings.ini")));
    window.resize(1400, 900);
    window.show();
    ContactsPage *page = window.contactsPage();
    ContactTableModel *model = page->model();

    QElapsedTimer clock;
    clock.start();
    window.openDatabase(dbPath);
    if (!waitUntil(
            [&] {
                return model->rowCount() > 0
                    && model->index(0, 1).data(ContactTableModel::LoadedRole).toBool();
            },
            120000)) {
        std::fprintf(stderr, "the table showed no rows\n");
        return 2;
    }
    const qint64 firstRowsMs = clock.elapsed();
    std::fprintf(stderr, "first rows after %lld ms (%d rows)\n", static_cast<long long>(firstRowsMs),
                 model->rowCount());

    // The stall probe: a 5 ms timer; any gap beyond 5 ms is time the GUI thread was busy.
    StallProbe probe(20, [&](double stallMs) {
        if (verbose)
            std::fprintf(stderr, "stall %.1f ms at %lld ms, stage %d\n", stallMs,
                         static_cast<long long>(clock.elapsed()), int(window.batchPanel()->stage()));
    });
    // Someone browsing meanwhile: scroll the table every 100 ms (page fetches keep coming).
    QTimer browse;
    browse.setInterval(100);
    QObject::connect(&browse, &QTimer::timeout, &app, [&] {
        QScrollBar *bar = page->view()->verticalScrollBar();
        bar->setValue((bar->value() + 997) % std::max(1, bar->maximum()));
    });

    BatchPanel *batch = window.batchPanel();
    const bool decline = parser.isSet(declineOption);
    batch->setConfirmFunction(
        [decline](const BatchResult &, const ScheduleDiffSummary &) { return !decline; });
    BatchPanel::Outcome outcome = BatchPanel::Outcome::Failed;
    bool done = false;
    QObject::connect(batch, &BatchPanel::finished, &app, [&](BatchPanel::Outcome o) {
        outcome = o;
        done = true;
    });

    probe.start();
    browse.start();
    clock.restart();
    window.runAction()->trigger();
    waitUntil([&] { return done; }, 3600 * 1000);
    // Include the reload of the table after the write.
    waitUntil([&] { return !model->isLoading(); }, 120000);
    const qint64 runMs = clock.elapsed();
    probe.stop();
    browse.stop();

    std::fprintf(stderr, "%s\n", qPrintable(batch->message()));
    std::printf("contacts=%d first_rows_ms=%lld max_stall_ms=%.1f p99_stall_ms=%.1f run_ms=%lld ticks=%zu "
                "outcome=%d\n",
                model->rowCount(), static_cast<long long>(firstRowsMs), probe.maxStall(), probe.p99Stall(),
                static_cast<long long>(runMs), probe.ticks(), int(outcome));
    return outcome == (decline ? BatchPanel::Outcome::Declined : BatchPanel::Outcome::Written) ? 0 : 3;
}
