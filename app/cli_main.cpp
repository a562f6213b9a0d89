#include "cliapp.h"

#include <QCoreApplication>

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("email-scheduler-cli"));
    QCoreApplication::setOrganizationName(QStringLiteral("EmailScheduler"));
    QCoreApplication::setApplicationVersion(QStringLiteral("0.1.0"));
    return runCli(QCoreApplication::arguments());
}
