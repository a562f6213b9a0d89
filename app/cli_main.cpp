#include "cliapp.h"

#include <QCoreApplication>

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("email-scheduler-cli"));
    QCoreApplication::setOrganizationName(QStringLiteral("EmailScheduler"));
    return runCli(QCoreApplication::arguments());
}
