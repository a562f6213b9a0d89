#include "loadbalancer.h"

#include "dates.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>

namespace LoadBalancer {

namespace {

// How far the cap looks for a day on which the contact is not excluded. Windows are at most
// 731 days long (config limits), so a longer search only happens for a contact excluded on
// every day; its email then stays where it is rather than being dropped.
constexpr int MaxForwardSearchDays = 1500;

// floor() that forgives the binary representation of decimal fractions: 100 * 0.29 is
// 28.999999999999996 as a double, but the rule means 29.
qint64 tolerantFloor(double x)
{
    return static_cast<qint64>(std::floor(x + 1e-9 * std::max(1.0, std::fabs(x))));
}

int clampToInt(qint64 v)
{
    return static_cast<int>(
        std::clamp<qint64>(v, std::numeric_limits<int>::min(), std::numeric_limits<int>::max()));
}

void prefetchForWrite(const void *address)
{
#if defined(__GNUC__) || defined(__clang__)
    __builtin_prefetch(address, 1);
#else
    Q_UNUSED(address);
#endif
}

// Appends the decimal digits of v to buf at pos.
qsizetype appendNumber(char16_t *buf, qsizetype pos, qint64 v)
{
    quint64 u = v < 0 ? 0 - static_cast<quint64>(v) : static_cast<quint64>(v);
    if (v < 0)
        buf[pos++] = u'-';
    char16_t digits[20];
    int n = 0;
    do {
        digits[n++] = static_cast<char16_t>(u'0' + u % 10);
        u /= 10;
    } while (u != 0);
    while (n > 0)
        buf[pos++] = digits[--n];
    return pos;
}

// One pre-scheduled email taking part in the balancing: 16 bytes, as a batch holds millions
// (its contact id is looked up through `schedule` where needed).
struct Item
{
    quint32 schedule; // index into the schedules
    quint32 email;    // index into that schedule's emails
    qint32 day;       // day index (julian day - base); smoothing may move it
    quint8 type;
    quint8 flags;
    // effective_date emails: the anniversary year smoothing hashes, taken while collect() reads
    // the email anyway (0: look it up, a year past 65535). 0 for other types.
    quint16 eventYear;

    enum Flag : quint8 {
        Changed = 1,  // moved by smoothing or the cap: its email needs the new date
        CapMoved = 2, // counted once in Stats::moved however often it cascades
    };
};
static_assert(sizeof(Item) == 16);

} // namespace

int dailyCap(qint64 validContacts, double dailySendPercentageCap)
{
    return clampToInt(
        std::max<qint64>(1, tolerantFloor(static_cast<double>(validContacts) * dailySendPercentageCap)));
}

int edSoftLimit(int dailyCap, int edDailySoftLimit)
{
    const qint64 share = tolerantFloor(dailyCap * 0.3);
    return clampToInt(std::max<qint64>(1, std::min<qint64>(edDailySoftLimit, share)));
}

int overflowThreshold(int dailyCap, double overageThreshold)
{
    return clampToInt(tolerantFloor(dailyCap * overageThreshold));
}

int smoothingShift(qint64 contactId, int anniversaryYear, int windowDays)
{
    if (windowDays <= 1)
        return 0;
    // "<contactId>-effective_date-<year>" built on the stack: this runs for every effective_date
    // email on a crowded day.
    static constexpr char16_t middle[] = u"-effective_date-";
    char16_t buf[64];
    qsizetype pos = appendNumber(buf, 0, contactId);
    for (char16_t c : middle) {
        if (c != 0)
            buf[pos++] = c;
    }
    pos = appendNumber(buf, pos, anniversaryYear);
    const quint32 h = Dates::fnv1a32(QStringView(buf, pos));
    return static_cast<int>(h % static_cast<quint32>(windowDays)) - windowDays / 2;
}

namespace {

// SPEC section 8 as named steps over one run's schedules: collect() the pre-scheduled emails
// into compact arrays, smooth() crowded effective_date days, bucketByDay(), cap() each day
// with pinned emails and cascading overflow, then restoreOrder() of the contacts it touched.
class Balancer
{
public:
    Balancer(std::vector<ContactSchedule> &schedules, QDate today, const Config &config,
             const ExclusionTest &isExcluded, Stats &stats)
        : m_schedules(schedules), m_today(today), m_config(config), m_isExcluded(isExcluded), m_stats(stats),
          m_window(std::max(1, config.loadBalancing.edSmoothingWindowDays)),
          m_lastJd(Dates::lastDate().toJulianDay()), m_touched(schedules.size(), 0)
    { }

    void run()
    {
        if (!collect())
            return;
        smooth();
        bucketByDay();
        cap();
        restoreOrder();
    }

private:
    QDate dateOf(std::size_t day) const { return QDate::fromJulianDay(m_baseJd + static_cast<qint64>(day)); }

    // The anniversary year smoothing hashes (QDate::year() is a calendar computation: only
    // effective_date emails need it).
    static int eventYearOf(const ScheduledEmail &e)
    {
        return (e.eventDate.isValid() ? e.eventDate : e.date).year();
    }
    ScheduledEmail &emailOf(const Item &item) const { return m_schedules[item.schedule].emails[item.email]; }
    qint64 contactIdOf(const Item &item) const { return m_schedules[item.schedule].contactId; }

    // The only full passes over the schedules (one to size, one to fill): everything after
    // works on one compact array, as a batch holds millions of emails spread over a million
    // heap blocks. False when there is nothing to balance.
    bool collect()
    {
        const qint64 todayJd = m_today.toJulianDay();
        qint64 minJd = todayJd;
        qint64 maxJd = todayJd;
        std::size_t count = 0;
        m_ascendingIds = true;
        for (std::size_t si = 0; si < m_schedules.size(); ++si) {
            const ContactSchedule &s = m_schedules[si];
            if (si > 0 && m_schedules[si - 1].contactId >= s.contactId)
                m_ascendingIds = false;
            for (const ScheduledEmail &e : s.emails) {
                if (e.status != EmailStatus::PreScheduled || !e.date.isValid())
                    continue;
                minJd = std::min<qint64>(minJd, e.date.toJulianDay());
                maxJd = std::max<qint64>(maxJd, e.date.toJulianDay());
                ++count;
            }
        }
        if (count == 0)
            return false;
        // Day index d is baseJd + d; smoothing can move up to floor(W/2) days past the last date.
        m_baseJd = minJd;
        m_days = static_cast<std::size_t>(maxJd - m_baseJd + 1 + m_window);
        m_items.reserve(count);
        for (std::size_t si = 0; si < m_schedules.size(); ++si) {
            const auto &emails = m_schedules[si].emails;
            for (std::size_t ei = 0; ei < emails.size(); ++ei) {
                const ScheduledEmail &e = emails[ei];
                if (e.status != EmailStatus::PreScheduled || !e.date.isValid())
                    continue;
                const int year = e.type == EmailType::EffectiveDate ? eventYearOf(e) : 0;
                m_items.push_back(Item { static_cast<quint32>(si), static_cast<quint32>(ei),
                                         static_cast<qint32>(e.date.toJulianDay() - m_baseJd),
                                         static_cast<quint8>(e.type), 0,
                                         static_cast<quint16>(year > 0 && year <= 0xffff ? year : 0) });
            }
        }
        return true;
    }

    // Smoothing: on a day with more than ed_soft_limit effective_date emails, each of them
    // moves by its hashed shift unless that lands before today or in an exclusion window. The
    // counts use the original dates, so the outcome does not depend on the order of contacts.
    // Leaves each item's day final and counts the emails of each day in m_offset.
    void smooth()
    {
        const auto edType = static_cast<quint8>(EmailType::EffectiveDate);
        std::vector<int> edCount(m_days, 0);
        for (const Item &item : m_items) {
            if (item.type == edType)
                ++edCount[static_cast<std::size_t>(item.day)];
        }
        m_offset.assign(m_days + 1, 0);
        for (Item &item : m_items) {
            std::size_t day = static_cast<std::size_t>(item.day);
            if (item.type == edType && edCount[day] > m_stats.edSoftLimit) {
                const int eventYear = item.eventYear ? item.eventYear : eventYearOf(emailOf(item));
                const int shift = smoothingShift(contactIdOf(item), eventYear, m_window);
                const QDate moved = QDate::fromJulianDay(m_baseJd + item.day + shift);
                if (shift != 0 && moved >= m_today && moved.toJulianDay() <= m_lastJd
                    && !m_isExcluded(item.schedule, moved)) {
                    day = static_cast<std::size_t>(static_cast<qint64>(day) + shift);
                    item.day = static_cast<qint32>(day);
                    item.flags |= Item::Changed;
                    ++m_stats.smoothed;
                }
            }
            ++m_offset[day + 1];
        }
    }

    // Counting sort into day buckets, in place (one array of items, not two):
    // m_items[m_offset[d], m_offset[d + 1]) start on day d. The order within a day does not
    // matter: the cap decides by better(), a total order.
    void bucketByDay()
    {
        for (std::size_t d = 1; d < m_offset.size(); ++d)
            m_offset[d] += m_offset[d - 1];
        std::vector<std::size_t> fill(m_offset.begin(), m_offset.end() - 1);
        for (std::size_t d = 0; d + 1 < m_offset.size(); ++d) {
            const std::size_t end = m_offset[d + 1];
            for (std::size_t i = fill[d]; i < end; i = ++fill[d]) {
                // Each swap puts one item into its own bucket for good.
                while (static_cast<std::size_t>(m_items[i].day) != d)
                    std::swap(m_items[i], m_items[fill[static_cast<std::size_t>(m_items[i].day)]++]);
            }
        }
    }

    // Of two movable emails on a crowded day, the one that keeps its place: by priority, then
    // contact_id, then type (its written name).
    bool better(const Item &a, const Item &b) const
    {
        const int pa = m_config.priorities[a.type];
        const int pb = m_config.priorities[b.type];
        if (pa != pb)
            return pa < pb;
        if (a.schedule != b.schedule) {
            // Schedules in ascending id order (a batch's) compare by index, without a lookup.
            if (m_ascendingIds)
                return a.schedule < b.schedule;
            const qint64 ia = contactIdOf(a), ib = contactIdOf(b);
            if (ia != ib)
                return ia < ib;
        }
        const int ta = emailTypeOrder(EmailType(a.type));
        const int tb = emailTypeOrder(EmailType(b.type));
        if (ta != tb)
            return ta < tb;
        // Same contact and type on one day (two post_window emails): stay deterministic, by
        // their order in the schedule.
        if (a.schedule != b.schedule)
            return a.schedule < b.schedule;
        return a.email < b.email;
    }

    // Writes the day back to an email that changed day; the rest are left alone.
    void settle(const Item &item, std::size_t day)
    {
        if (!(item.flags & Item::Changed))
            return;
        ScheduledEmail &e = emailOf(item);
        const QDate date = dateOf(day);
        if (e.date == date)
            return;
        if (!e.originalDate.isValid())
            e.originalDate = e.date;
        e.date = date;
        m_touched[item.schedule] = 1;
    }

    // Items of a day point all over the heap: ask for the schedules, then their emails, a few
    // items ahead so the write-backs overlap instead of waiting for memory one after another.
    void settleAll(const Item *first, const Item *last, std::size_t day)
    {
        constexpr std::ptrdiff_t ahead = 8;
        for (const Item *it = first; it != last; ++it) {
            if (last - it > 2 * ahead && (it[2 * ahead].flags & Item::Changed))
                prefetchForWrite(&m_schedules[it[2 * ahead].schedule]);
            if (last - it > ahead && (it[ahead].flags & Item::Changed))
                prefetchForWrite(&emailOf(it[ahead]));
            settle(*it, day);
        }
    }

    // The first day after `day` on which the contact of `item` is not excluded, or `day`
    // itself when there is none within reach (an email is never dropped).
    std::size_t nextFreeDay(const Item &item, std::size_t day) const
    {
        const std::size_t last = std::min<std::size_t>(
            day + MaxForwardSearchDays, static_cast<std::size_t>(std::max<qint64>(0, m_lastJd - m_baseJd)));
        std::size_t next = day + 1;
        while (next <= last && m_isExcluded(item.schedule, dateOf(next)))
            ++next;
        return next > last ? day : next;
    }

    // The cap, day by day in ascending order: on a day holding more than the threshold, pinned
    // (campaign and follow-up) emails stay, the movable ones keep max(0, daily_cap - pinned)
    // places by better(), and the rest move to their next free day, where they count again
    // (overflow cascades through `incoming`).
    void cap()
    {
        const int threshold = overflowThreshold(m_stats.dailyCap, m_config.loadBalancing.overageThreshold);
        const std::size_t keep = static_cast<std::size_t>(m_stats.dailyCap);
        std::vector<std::vector<Item>> incoming(m_days);
        std::vector<Item> work;
        for (std::size_t day = 0; day < incoming.size(); ++day) {
            const bool hasOwn = day + 1 < m_offset.size();
            Item *own = hasOwn ? m_items.data() + m_offset[day] : nullptr;
            const std::size_t ownCount = hasOwn ? m_offset[day + 1] - m_offset[day] : 0;
            std::vector<Item> arrived;
            arrived.swap(incoming[day]);
            const std::size_t count = ownCount + arrived.size();
            if (count == 0)
                continue;

            if (count <= static_cast<std::size_t>(std::max(threshold, 0)) || count <= keep) {
                settleAll(own, own + ownCount, day);
                settleAll(arrived.data(), arrived.data() + arrived.size(), day);
                continue;
            }

            Item *begin = own;
            if (!arrived.empty()) {
                work.assign(own, own + ownCount);
                work.insert(work.end(), arrived.begin(), arrived.end());
                begin = work.data();
            }
            Item *end = begin + count;
            Item *movable
                = std::partition(begin, end, [](const Item &i) { return isPinned(EmailType(i.type)); });
            const std::size_t pinned = static_cast<std::size_t>(movable - begin);
            const std::size_t keepMovable = keep > pinned ? keep - pinned : 0;
            if (static_cast<std::size_t>(end - movable) <= keepMovable) {
                settleAll(begin, end, day);
                continue;
            }
            std::nth_element(movable, movable + keepMovable, end,
                             [this](const Item &a, const Item &b) { return better(a, b); });
            settleAll(begin, movable + keepMovable, day);
            for (Item *it = movable + keepMovable; it != end; ++it) {
                const std::size_t next = nextFreeDay(*it, day);
                if (next == day) {
                    settle(*it, day);
                    continue;
                }
                if (!(it->flags & Item::CapMoved))
                    ++m_stats.moved;
                it->flags |= Item::CapMoved | Item::Changed;
                if (next >= incoming.size())
                    incoming.resize(next + 1);
                incoming[next].push_back(*it);
            }
        }
    }

    // Keeps each touched contact's emails ordered by date, then type, as the engine left them.
    // Insertion sort: a contact has a handful of emails, and it neither allocates nor reorders
    // equal elements.
    void restoreOrder()
    {
        for (std::size_t si = 0; si < m_schedules.size(); ++si) {
            if (!m_touched[si])
                continue;
            auto &emails = m_schedules[si].emails;
            for (std::size_t i = 1; i < emails.size(); ++i) {
                for (std::size_t j = i; j > 0; --j) {
                    const ScheduledEmail &a = emails[j - 1];
                    const ScheduledEmail &b = emails[j];
                    if (a.date < b.date || (a.date == b.date && a.sortKey() <= b.sortKey()))
                        break;
                    std::swap(emails[j - 1], emails[j]);
                }
            }
        }
    }

    std::vector<ContactSchedule> &m_schedules;
    const QDate m_today;
    const Config &m_config;
    const ExclusionTest &m_isExcluded;
    Stats &m_stats;
    const int m_window;
    const qint64 m_lastJd; // nothing moves past the last date the program can write
    qint64 m_baseJd = 0;
    std::size_t m_days = 0;
    bool m_ascendingIds = true; // contact ids strictly ascending (as in a batch)
    std::vector<Item> m_items;  // bucketed by day after bucketByDay()
    std::vector<std::size_t> m_offset;
    std::vector<quint8> m_touched;
};

} // namespace

Stats balance(std::vector<ContactSchedule> &schedules, qint64 validContacts, QDate today,
              const Config &config, const ExclusionTest &isExcluded)
{
    const LoadBalancingConfig &lb = config.loadBalancing;
    Stats stats;
    stats.dailyCap = dailyCap(validContacts, lb.dailySendPercentageCap);
    stats.edSoftLimit = edSoftLimit(stats.dailyCap, lb.edDailySoftLimit);
    if (!lb.enabled || !today.isValid())
        return stats;
    Balancer(schedules, today, config, isExcluded, stats).run();
    return stats;
}

} // namespace LoadBalancer
