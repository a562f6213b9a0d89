#pragma once

#include "batch/batchjob.h"
#include "config.h"
#include "emailtypes.h"
#include "result.h"

#include <QDate>
#include <QString>

#include <array>
#include <functional>
#include <vector>

// How many pre-scheduled emails go out on each day of a date range, per email type, with the
// daily cap of SPEC section 8 they are measured against. Built off the GUI thread, either from
// the stored email_schedules of a database or from a computed batch before it is written.
struct DailyLoad
{
    // One day of the range; every day of the range has one, days without emails included.
    struct Day
    {
        QDate date;
        std::array<qint64, EmailTypeCount> counts {}; // indexed by EmailType
        qint64 other = 0; // stored rows whose email_type this program does not know
        qint64 total() const;
    };

    enum class Source { Stored, Batch };

    Source source = Source::Stored;
    QDate from;                // first day (inclusive)
    QDate to;                  // last day (inclusive)
    std::vector<Day> days;     // from..to, ascending
    qint64 validContacts = 0;  // contacts without an error problem as of `from`
    int dailyCap = 0;          // LoadBalancer::dailyCap(validContacts, ...)
    int overflowThreshold = 0; // LoadBalancer::overflowThreshold(dailyCap, ...)
    qint64 outsideRange = 0;   // pre-scheduled emails after `to` (for "and N later")

    // A day with more emails than the daily cap (SPEC 8): what "over the cap" means everywhere.
    bool isOverCap(const Day &day) const { return day.total() > dailyCap; }
    // A day with more emails than the overflow threshold (the cap times overage_threshold,
    // 1.2): the only days a run's balancer moves emails away from.
    bool isOverflow(const Day &day) const { return day.total() > overflowThreshold; }
    // The day of `date`, or null when it is outside the range.
    const Day *day(QDate date) const;
    qint64 overCapDays() const;
    qint64 overflowDays() const;
    qint64 maxTotal() const;

    using CancelCheck = std::function<bool()>;

    // Reads `path` through a read-only OrgDatabase connection: one GROUP BY over the
    // pre-scheduled rows of email_schedules in [from, to], and the valid contacts counted with
    // Engine::checkContact as of `from`. A database without email_schedules gives empty days.
    // Errors name the file; a cancelled read returns DbErrorKind::Cancelled.
    static Result<DailyLoad> fromDatabase(const QString &path, QDate from, QDate to, const Config &config,
                                          const CancelCheck &isCanceled = {});
    // Counts the pre-scheduled emails of a computed batch in [from, to]; the cap comes from the
    // batch's valid contacts and configuration.
    static DailyLoad fromBatch(const BatchResult &batch, QDate from, QDate to);

private:
    static DailyLoad emptyRange(QDate from, QDate to);
    void setCap(qint64 valid, const Config &config);
};
