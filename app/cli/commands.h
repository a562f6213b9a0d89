#pragma once

#include <QStringList>

// The sub-commands of email-scheduler-cli. Each takes the arguments after the command name
// and returns the process exit code of SPEC section 11:
// 0 success, 1 usage or configuration error, 2 database error, 3 cancelled.
namespace Cli {

enum ExitCode { Success = 0, UsageError = 1, DatabaseError = 2, Cancelled = 3 };

int generateCommand(const QStringList &args);
int previewCommand(const QStringList &args);
int runCommand(const QStringList &args);
int exportCommand(const QStringList &args);   // CSV owner
int importCommand(const QStringList &args);   // CSV owner
int campaignCommand(const QStringList &args); // campaign list|add-type|add|enroll|end
int suppressCommand(const QStringList &args);
int unsuppressCommand(const QStringList &args);

} // namespace Cli
