#pragma once

#include <QStringList>

// Entry point of email-scheduler-cli: dispatches to a command, returns the exit code.
int runCli(const QStringList &arguments);
