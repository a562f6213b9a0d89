#include "schedule.h"

#include <algorithm>

static bool anyError(const QList<Problem> &problems)
{
    return std::any_of(problems.cbegin(), problems.cend(),
                       [](const Problem &p) { return p.severity == Severity::Error; });
}

bool ContactFacts::hasError() const
{
    return anyError(problems);
}

bool ContactSchedule::hasError() const
{
    return anyError(problems);
}
