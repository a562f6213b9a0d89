#pragma once

#include "batch/batchjob.h"
#include "emailtypes.h"
#include "result.h"

#include <array>
#include <functional>

// Counts of one email type (or of all) in a comparison with the stored schedule.
struct DiffCounts
{
    qint64 added = 0;        // new email, nothing stored for that contact and type to pair with
    qint64 addedSkipped = 0; // of `added`, the emails held back (status skipped): not sends
    qint64 moved = 0;        // same contact and type, another date
    qint64 removed = 0;      // stored, no longer scheduled
    qint64 changed = 0;      // same contact, type and date; status or reason differs
    qint64 unchanged = 0;    // same contact, type, date and status

    DiffCounts &operator+=(const DiffCounts &other);
    qint64 addedScheduled() const { return added - addedSkipped; } // new emails that will be sent
    // Nothing added, moved, removed or changed.
    bool changesNothing() const { return added == 0 && moved == 0 && removed == 0 && changed == 0; }
};

// How a computed batch differs from the pre-scheduled/skipped rows stored for its contacts.
struct ScheduleDiffSummary
{
    std::array<DiffCounts, EmailTypeCount> perType {}; // indexed by EmailType
    qint64 otherRemoved = 0; // stored own rows of a type this program does not write
    DiffCounts total() const;
    // Writing would leave the stored schedule as it is (a second run with the same inputs).
    bool changesNothing() const { return otherRemoved == 0 && total().changesNothing(); }
};

// Compares a batch with the database (read-only; run it off the GUI thread).
namespace ScheduleDiff {

Result<ScheduleDiffSummary> compute(const BatchResult &batch, const std::function<bool()> &isCanceled = {});

} // namespace ScheduleDiff
