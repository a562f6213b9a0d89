// Times the check of every contact of a database for the Problems dock, first blocking
// (ProblemScan::run, as the window's background task runs it), then in the real MainWindow:
// open the database and, with a 5 ms timer on the GUI thread, measure the stalls until the
// table shows rows and the Problems dock shows the count, then once more after F5. Prints
//   contacts=… problems=… scan_ms=… first_rows_ms=… dock_count_ms=… refresh_ms=… max_stall_ms=…
//   p99_stall_ms=…

#include "batch/problemscan.h"
#include "contactspage.h"
#include "items/contacttablemodel.h"
#include "mainwindow.h"
#include "problemsdock.h"
#include "stallprobe.h"

#include <QAction>
#include <QApplication>
#include <QCommandLineParser>
#include <QDeadlineTimer>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QTimer>

#include <algorithm>
#include <cstdio>
#include <functional>
#include <vector>

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("email-scheduler-bench-problems"));
    QCommandLineParser parser;
    parser.addHelpOption();
    const QCommandLineOption dbOption(QStringLiteral("db"), QStringLiteral("Database to check."),
                                      QStringLiteral("path"));
    const QCommandLineOption repeatOption(QStringLiteral("repeat"),
                                          QStringLiteral("Blocking scans to time (default 3)."),
                                          QStringLiteral("n"), QStringLiteral("3"));
    parser.addOptions({ dbOption, repeatOption });
    parser.process(app);
    const QString dbPath = QFileInfo(parser.value(dbOption)).absoluteFilePath();
    if (!parser.isSet(dbOption) || !QFileInfo::exists(dbPath)) {
        std::fprintf(stderr,
                     "give an existing database with --db (email-scheduler-cli generate makes one)\n");
        return 1;
    }
    const QDate today(2025, 3, 3);

    double best = 1e9;
    qsizetype problems = 0;
    qint64 contacts = 0;
    for (int i = 0; i < std::max(1, parser.value(repeatOption).toInt()); ++i) {
        QElapsedTimer timer;
        timer.start();
        const auto scan = ProblemScan::run(dbPath, today);
        if (!scan) {
            std::fprintf(stderr, "%s\n", qPrintable(scan.errorMessage()));
            return 2;
        }
        const double ms = double(timer.nsecsElapsed()) / 1e6;
        std::fprintf(stderr, "blocking scan %d: %.0f ms\n", i + 1, ms);
        best = std::min(best, ms);
        problems = scan->problems.size();
        contacts = scan->contacts;
    }

    QTemporaryDir tmp;
    MainWindow window(tmp.filePath(QStringLiteral("settings.ini")));
    window.setAsOfDate(today);
    window.resize(1400, 900);
    window.show();
    ContactTableModel *model = window.contactsPage()->model();
    ProblemsDock *dock = window.problemsDock();
    const QString expectedTitle = QStringLiteral("Problems (%1)").arg(QLocale().toString(problems));

    QElapsedTimer clock;
    StallProbe probe(30, [&](double stallMs) {
        if (qEnvironmentVariableIsSet("ES_BENCH_VERBOSE"))
            std::fprintf(stderr, "stall %.0f ms at %lld ms (rows %d, dock %s)\n", stallMs,
                         static_cast<long long>(clock.elapsed()), model->rowCount(),
                         qPrintable(dock->windowTitle()));
    });

    probe.start();
    clock.start();
    window.openDatabase(dbPath);
    if (!waitUntil(
            [&] {
                return model->rowCount() > 0
                    && model->index(0, 1).data(ContactTableModel::LoadedRole).toBool();
            },
            120000)) {
        std::fprintf(stderr, "the table showed no rows\n");
        return 3;
    }
    const qint64 firstRowsMs = clock.elapsed();
    if (!waitUntil([&] { return dock->windowTitle() == expectedTitle; }, 120000)) {
        std::fprintf(stderr, "the dock says %s, not %s\n", qPrintable(dock->windowTitle()),
                     qPrintable(expectedTitle));
        return 4;
    }
    const qint64 dockMs = clock.elapsed();

    // F5: the table and the dock again.
    clock.restart();
    window.refreshAction()->trigger();
    waitUntil(
        [&] { return !model->isLoading() && dock->sourceText().contains(QStringLiteral("checked as of")); },
        120000);
    const qint64 refreshMs = clock.elapsed();
    probe.stop();

    std::printf(
        "contacts=%lld problems=%lld scan_ms=%.0f first_rows_ms=%lld dock_count_ms=%lld refresh_ms=%lld "
        "max_stall_ms=%.1f p99_stall_ms=%.1f ticks=%zu\n",
        static_cast<long long>(contacts), static_cast<long long>(problems), best,
        static_cast<long long>(firstRowsMs), static_cast<long long>(dockMs),
        static_cast<long long>(refreshMs), probe.maxStall(), probe.p99Stall(), probe.ticks());
    return 0;
}
