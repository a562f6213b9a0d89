#pragma once

#include "config.h"
#include "schedule.h"

#include <QDate>

#include <functional>
#include <vector>

// Batch load balancing of SPEC section 8 over all pre-scheduled emails of a run: ED smoothing,
// then the daily cap with cascading overflow. Never moves an email before today or into an
// exclusion window of its contact, never changes a type, never drops an email.
namespace LoadBalancer {

struct Stats
{
    int dailyCap = 0;
    int edSoftLimit = 0;
    qint64 smoothed = 0; // effective_date emails moved by smoothing
    qint64 moved = 0;    // emails moved by the cap
};

// Tells whether `date` is excluded for the contact of schedules[index] (the caller keeps the
// contact facts; the balancer only needs this question answered).
using ExclusionTest = std::function<bool(std::size_t index, QDate date)>;

// `validContacts`: contacts without an error problem. Moves emails in place and sets
// originalDate on every moved email.
Stats balance(std::vector<ContactSchedule> &schedules, qint64 validContacts, QDate today,
              const Config &config, const ExclusionTest &isExcluded);

} // namespace LoadBalancer
