#pragma once

#include <QString>
#include <QStringView>

#include <vector>

struct BatchResult;

// The campaign and follow-up emails of one run, one entry per campaign instance and per
// follow-up type (SPEC 12-13): what the run history keeps of a run besides its totals
// (the runs table's `email_counts`), so staff see which campaigns a run scheduled.
struct RunEmailCount
{
    QString emailType;     // as written: campaign_<type>, followup_1_cold, ...
    qint64 instanceId = 0; // the campaign instance; 0 for a follow-up
    QString name;          // the instance's name; empty for a follow-up
    qint64 scheduled = 0;  // pre-scheduled
    qint64 skipped = 0;

    friend bool operator==(const RunEmailCount &, const RunEmailCount &) = default;
};

namespace RunEmailCounts {

// Campaign emails by instance (instance id order), then follow-ups by type (email type order).
std::vector<RunEmailCount> count(const BatchResult &batch);

// Compact JSON for the runs table ("[]" never: empty text when there are none), and back
// (unreadable text gives none).
QString toText(const std::vector<RunEmailCount> &counts);
std::vector<RunEmailCount> fromText(QStringView text);

// "Rate increase Q3: 312 (40 skipped); Follow-up 1 (cold): 12" — one line for a table cell;
// `separator` between the entries.
QString summary(const std::vector<RunEmailCount> &counts, QStringView separator = u"; ");

} // namespace RunEmailCounts
