#include "batch/dailyload.h"

#include "engine.h"
#include "loadbalancer.h"
#include "storage/contactreader.h"
#include "storage/orgdatabase.h" // DbErrorKind
#include "storage/sqlsession.h"

#include <QCoreApplication>

#include <algorithm>

namespace {

// Contacts checked between two looks at the cancel flag.
constexpr qsizetype kCheckChunk = 20000;

QString cancelledMessage(const QString &path)
{
    return QCoreApplication::translate("DailyLoad", "Reading the sends per day of %1 was cancelled.")
        .arg(path);
}

} // namespace

qint64 DailyLoad::Day::total() const
{
    qint64 sum = other;
    for (qint64 count : counts)
        sum += count;
    return sum;
}

const DailyLoad::Day *DailyLoad::day(QDate date) const
{
    if (!date.isValid() || !from.isValid() || date < from || date > to)
        return nullptr;
    const qint64 index = from.daysTo(date);
    return index < qint64(days.size()) ? &days[std::size_t(index)] : nullptr;
}

qint64 DailyLoad::overCapDays() const
{
    return std::count_if(days.begin(), days.end(), [this](const Day &d) { return isOverCap(d); });
}

qint64 DailyLoad::overflowDays() const
{
    return std::count_if(days.begin(), days.end(), [this](const Day &d) { return isOverflow(d); });
}

qint64 DailyLoad::maxTotal() const
{
    qint64 most = 0;
    for (const Day &d : days)
        most = std::max(most, d.total());
    return most;
}

DailyLoad DailyLoad::emptyRange(QDate from, QDate to)
{
    DailyLoad load;
    load.from = from;
    load.to = to;
    if (from.isValid() && to.isValid() && from <= to) {
        load.days.resize(std::size_t(from.daysTo(to) + 1));
        for (std::size_t i = 0; i < load.days.size(); ++i)
            load.days[i].date = from.addDays(qint64(i));
    }
    return load;
}

void DailyLoad::setCap(qint64 valid, const Config &config)
{
    validContacts = valid;
    dailyCap = LoadBalancer::dailyCap(valid, config.loadBalancing.dailySendPercentageCap);
    overflowThreshold = LoadBalancer::overflowThreshold(dailyCap, config.loadBalancing.overageThreshold);
}

DailyLoad DailyLoad::fromBatch(const BatchResult &batch, QDate from, QDate to)
{
    DailyLoad load = emptyRange(from, to);
    load.source = Source::Batch;
    load.setCap(batch.validContacts, batch.config);
    const qint64 first = from.toJulianDay();
    const qint64 count = qint64(load.days.size());
    for (const ContactSchedule &schedule : batch.schedules) {
        for (const ScheduledEmail &email : schedule.emails) {
            if (email.status != EmailStatus::PreScheduled || !email.date.isValid())
                continue;
            const qint64 index = email.date.toJulianDay() - first;
            if (index >= count)
                ++load.outsideRange;
            else if (index >= 0)
                ++load.days[std::size_t(index)].counts[static_cast<int>(email.type)];
        }
    }
    return load;
}

Result<DailyLoad> DailyLoad::fromDatabase(const QString &path, QDate from, QDate to, const Config &config,
                                          const CancelCheck &isCanceled)
{
    const CancelCheck never = [] { return false; };
    const CancelCheck &canceled = isCanceled ? isCanceled : never;

    // A file or a server: the stored rows through SqlSession, the contacts through its reader.
    Result<std::unique_ptr<SqlSession>> opened = SqlSession::open(path, SqlSession::Mode::ReadOnly);
    if (!opened)
        return opened.error();
    const SqlSession &db = **opened;
    Result<std::unique_ptr<ContactReader>> reader = db.contactReader();
    if (!reader)
        return reader.error();
    DailyLoad load = emptyRange(from, to);
    load.source = Source::Stored;

    // The cap is measured against the contacts a run would count as valid today.
    const Result<ContactIdScan> scan = (*reader)->scanIds();
    if (!scan)
        return scan.error();
    const std::vector<qint64> &ids = scan->ids;
    qint64 valid = 0;
    for (qsizetype start = 0; start < qsizetype(ids.size()); start += kCheckChunk) {
        if (canceled())
            return dbError(DbErrorKind::Cancelled, cancelledMessage(path));
        const qsizetype last = std::min(start + kCheckChunk, qsizetype(ids.size())) - 1;
        const Result<void> read = (*reader)->readRange(
            ids[std::size_t(start)], ids[std::size_t(last)], ContactSource::Fields::Checks,
            [&](const Contact &contact, std::span<const HistoryEntry>) {
                if (!Engine::checkContact(contact, from).hasError())
                    ++valid;
            });
        if (!read)
            return read.error();
    }
    load.setCap(valid, config);

    if (!db.hasTable(QStringLiteral("email_schedules")) || load.days.empty())
        return load;

    // SQLite keeps dates as YYYY-MM-DD text, so a text comparison is a date comparison; a
    // server's date column compares the parameter as a date.
    static const char kSql[] = "SELECT scheduled_send_date, email_type, COUNT(*) FROM email_schedules "
                               "WHERE status = 'pre-scheduled' AND scheduled_send_date >= ?1 "
                               "GROUP BY scheduled_send_date, email_type";
    const QString action = QCoreApplication::translate("DailyLoad", "read the scheduled emails of");
    auto stmt = db.prepare(kSql, action);
    if (!stmt)
        return stmt.error();
    stmt->bind(1, from.toString(Qt::ISODate));
    Result<bool> row = stmt->step();
    for (; row.ok() && *row && !canceled(); row = stmt->step()) {
        const qint64 count = stmt->int64(2);
        const QDate date = QDate::fromString(stmt->text(0), Qt::ISODate);
        if (!date.isValid() || date < from)
            continue; // a foreign row with an unreadable date cannot be placed on a day
        if (date > to) {
            load.outsideRange += count;
            continue;
        }
        Day &day = load.days[std::size_t(from.daysTo(date))];
        const std::optional<EmailType> type = emailTypeFromName(stmt->text(1));
        if (type)
            day.counts[static_cast<int>(*type)] += count;
        else
            day.other += count;
    }
    if ((!row.ok() && dbErrorKind(row.error()) == DbErrorKind::Cancelled) || canceled())
        return dbError(DbErrorKind::Cancelled, cancelledMessage(path));
    if (!row)
        return row.error();
    return load;
}
