#include "cli/cliapp.h"
#include "cli/clioptions.h"

#include <QCoreApplication>

int main(int argc, char *argv[])
{
    // First thing: a SIGTERM from here on cancels (exit 3) instead of killing (exit 143).
    Cli::installSignalHandlers();
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("email-scheduler-cli"));
    QCoreApplication::setOrganizationName(QStringLiteral("EmailScheduler"));
    QCoreApplication::setApplicationVersion(QStringLiteral("0.1.0"));
    return runCli(QCoreApplication::arguments());
}
