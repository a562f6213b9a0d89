#pragma once

#include "batchjob.h"
#include "emailtypes.h"
#include "result.h"

#include <array>
#include <functional>

// Counts of one email type (or of all) in a comparison with the stored schedule.
struct DiffCounts
{
    qint64 added = 0;     // new email, nothing stored for that contact and type to pair with
    qint64 moved = 0;     // same contact and type, another date
    qint64 removed = 0;   // stored, no longer scheduled
    qint64 changed = 0;   // same contact, type and date; status or reason differs
    qint64 unchanged = 0; // same contact, type, date and status

    DiffCounts &operator+=(const DiffCounts &other);
};

// How a computed batch differs from the pre-scheduled/skipped rows stored for its contacts.
struct ScheduleDiffSummary
{
    std::array<DiffCounts, EmailTypeCount> perType {}; // indexed by EmailType
    qint64 otherRemoved = 0; // stored own rows of a type this program does not write
    DiffCounts total() const;
};

// Compares a batch with the database (read-only; run it off the GUI thread).
namespace ScheduleDiff {

Result<ScheduleDiffSummary> compute(const BatchResult &batch,
                                    const std::function<bool()> &isCanceled = {});

} // namespace ScheduleDiff
