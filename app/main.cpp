#include "config.h"
#include "contactspage.h"
#include "mainwindow.h"
#include "messagebanner.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QThread>
#include <QThreadPool>

#include <algorithm>

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    // Workaround for Qt 6.4's raster paint engine, which splits large fills (a scroll bar, a
    // table background) across the *global* thread pool and blocks the GUI thread until they are
    // done: spare threads keep painting from queuing behind the short background reads the views
    // start there (run history, sends per day, open checks). See docs/GUI.md.
    QThreadPool *pool = QThreadPool::globalInstance();
    pool->setMaxThreadCount(std::max(pool->maxThreadCount(), QThread::idealThreadCount() + 4));
    QApplication::setOrganizationName(QStringLiteral("EmailScheduler"));
    QApplication::setApplicationName(QStringLiteral("email-scheduler"));
    QApplication::setApplicationDisplayName(QStringLiteral("Email Scheduler"));
    QApplication::setApplicationVersion(QStringLiteral(ES_VERSION));

    QCommandLineParser parser;
    parser.setApplicationDescription(
        QApplication::translate("main", "Plans Medicare contact emails around state rule windows."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption configOption(QStringLiteral("config"),
                                          QApplication::translate("main", "Scheduler configuration (JSON)."),
                                          QApplication::translate("main", "file"));
    parser.addOption(configOption);
    parser.addPositionalArgument(QStringLiteral("database"),
                                 QApplication::translate("main",
                                                         "Organisation database to open: an SQLite file or a "
                                                         "postgresql:// connection (no password in it "
                                                         "is kept)."));
    parser.process(app);

    MainWindow window;
    if (parser.isSet(configOption)) {
        const Result<Config> config = Config::fromFile(parser.value(configOption));
        if (config)
            window.setConfig(config.value());
        else
            window.contactsPage()->banner()->showMessage(MessageBanner::Kind::Error, config.errorMessage());
    }
    const QStringList positional = parser.positionalArguments();
    window.startSession(positional.isEmpty() ? QString() : positional.first());
    window.show();
    return QApplication::exec();
}
