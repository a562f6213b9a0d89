#pragma once

#include "config.h"
#include "schedule.h"

#include <QDate>

#include <functional>
#include <vector>

// Batch load balancing of SPEC section 8 over all pre-scheduled emails of a run: ED smoothing,
// then the daily cap with cascading overflow. Campaign and follow-up emails are pinned: they
// count on their date and never move; on a day over the threshold the movable emails keep
// max(0, daily_cap - pinned) places. Never moves an email before today or into an
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

// daily_cap = max(1, floor(validContacts * percentage)).
int dailyCap(qint64 validContacts, double dailySendPercentageCap);
// ed_soft_limit = max(1, min(edDailySoftLimit, floor(dailyCap * 0.3))).
int edSoftLimit(int dailyCap, int edDailySoftLimit);
// floor(dailyCap * overageThreshold): a day holding more emails than this is over the cap.
int overflowThreshold(int dailyCap, double overageThreshold);
// Days an effective_date email of this contact and anniversary year moves when smoothed:
// (fnv1a32("<contactId>-effective_date-<year>") mod window) - floor(window / 2).
int smoothingShift(qint64 contactId, int anniversaryYear, int windowDays);

// `validContacts`: contacts without an error problem. Moves emails in place and sets
// originalDate on every moved email (unless already set). Contacts whose emails moved get
// their emails re-sorted by date, then type. Does nothing but compute the figures when
// config.loadBalancing.enabled is false. See docs/LOAD_BALANCING.md.
Stats balance(std::vector<ContactSchedule> &schedules, qint64 validContacts, QDate today,
              const Config &config, const ExclusionTest &isExcluded);

} // namespace LoadBalancer
