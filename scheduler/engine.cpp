#include "engine.h"

#include "dates.h"

#include <QCoreApplication>
#include <QVarLengthArray>

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdlib>

using namespace Qt::StringLiterals;

// The hot path (scheduleContact on a valid contact) allocates only the result vector: no
// QString formatting, no regular expressions, no std::function. Messages are built only when a
// problem exists.

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("Engine", text);
}

bool equalsCi(QStringView a, QLatin1StringView b)
{
    return a.size() == b.size() && a.compare(b, Qt::CaseInsensitive) == 0;
}

// Statuses that mean "this email is (being) sent" (SPEC section 6).
bool isActiveStatus(QStringView status)
{
    switch (status.size()) {
    case 4:
        return equalsCi(status, "sent"_L1);
    case 9:
        return equalsCi(status, "scheduled"_L1) || equalsCi(status, "delivered"_L1);
    case 10:
        return equalsCi(status, "processing"_L1);
    default:
        return false;
    }
}

// occurrence() for a month and day (Feb 29 -> Feb 28 in common years).
QDate occurrenceMd(int month, int day, int year)
{
    if (month == 2 && day == 29 && !QDate::isLeapYear(year))
        day = 28;
    return QDate(year, month, day);
}

// Alphabetical rank of the machine type names: the "then type" tie-break of sorting and of the
// frequency limit (aep < birthday < effective_date < post_window).
int typeRank(EmailType type)
{
    switch (type) {
    case EmailType::Aep:
        return 0;
    case EmailType::Birthday:
        return 1;
    case EmailType::EffectiveDate:
        return 2;
    case EmailType::PostWindow:
        return 3;
    }
    return 4;
}

QLatin1StringView typeKey(EmailType type)
{
    switch (type) {
    case EmailType::Birthday:
        return "birthday"_L1;
    case EmailType::EffectiveDate:
        return "effective_date"_L1;
    case EmailType::Aep:
        return "aep"_L1;
    case EmailType::PostWindow:
        return "post_window"_L1;
    }
    return QLatin1StringView();
}

// fnv1a32("<contact_id>-<type>-<year>") without building a QString.
quint32 catchUpHash(qint64 contactId, QLatin1StringView type, int year)
{
    char buffer[96];
    char *p = buffer;
    char *const end = buffer + sizeof buffer;
    p = std::to_chars(p, end, contactId).ptr;
    *p++ = '-';
    p = std::copy(type.begin(), type.end(), p);
    *p++ = '-';
    p = std::to_chars(p, end, year).ptr;
    quint32 h = 0x811c9dc5u;
    for (const char *c = buffer; c != p; ++c) {
        h ^= static_cast<unsigned char>(*c);
        h *= 0x01000193u;
    }
    return h;
}

// What E_Y needs for one contact: the rule and the event's month/day, unpacked once.
struct WindowRule
{
    StateRule::Kind kind = StateRule::Kind::None; // None: no windows (no rule or no event date)
    int before = 0;
    int after = 0;
    int lead = 0;
    bool monthStart = false;
    int maxAge = -1;
    int eventYear = 0;
    int eventMonth = 0;
    int eventDay = 0;
    bool hasBirth = false;
    int birthYear = 0;
    int birthMonth = 0;
    int birthDay = 0;
};

WindowRule makeWindowRule(const ContactFacts &facts, const StateRule &rule, const Config &config)
{
    WindowRule r;
    QDate event;
    if (rule.kind == StateRule::Kind::Birthday)
        event = facts.birthDate;
    else if (rule.kind == StateRule::Kind::EffectiveDate)
        event = facts.effectiveDate;
    if (!event.isValid())
        return r;
    r.kind = rule.kind;
    r.before = rule.before;
    r.after = rule.after;
    r.lead = rule.lead >= 0 ? rule.lead : config.preWindowLeadDays;
    r.monthStart = rule.monthStart;
    r.maxAge = rule.maxAge;
    event.getDate(&r.eventYear, &r.eventMonth, &r.eventDay);
    if (facts.birthDate.isValid()) {
        r.hasBirth = true;
        facts.birthDate.getDate(&r.birthYear, &r.birthMonth, &r.birthDay);
    }
    return r;
}

// E_Y of SPEC section 4; false when the year has no window.
bool windowForYear(const WindowRule &r, int year, ExclusionWindow &out)
{
    if (r.kind == StateRule::Kind::None)
        return false;
    // the start of a policy is not an anniversary
    if (r.kind == StateRule::Kind::EffectiveDate && year <= r.eventYear)
        return false;
    const int month = r.eventMonth;
    int day = r.monthStart ? 1 : r.eventDay;
    if (month == 2 && day == 29 && !QDate::isLeapYear(year))
        day = 28;
    // Without a birth date the age is unknown; the window then applies (the cautious reading).
    if (r.maxAge >= 0 && r.hasBirth) {
        const bool beforeBirthday = month < r.birthMonth || (month == r.birthMonth && day < r.birthDay);
        const int age = year - r.birthYear - (beforeBirthday ? 1 : 0);
        if (age > r.maxAge)
            return false;
    }
    out.anchor = QDate(year, month, day);
    out.statutoryStart = out.anchor.addDays(-r.before);
    out.start = out.statutoryStart.addDays(-r.lead);
    out.end = out.anchor.addDays(r.after);
    out.kind = r.kind;
    return true;
}

// The windows of years [firstYear, firstYear + Count), computed once per contact; other years
// are computed on demand.
class WindowSet
{
public:
    static constexpr int Count = 5;

    WindowSet(const WindowRule &rule, int firstYear) : m_rule(rule), m_firstYear(firstYear)
    {
        if (rule.kind == StateRule::Kind::None)
            return;
        for (int i = 0; i < Count; ++i)
            m_has[i] = windowForYear(rule, firstYear + i, m_windows[i]);
    }

    // D's causing window: E_Y for Y in {D.year-1, D.year, D.year+1} containing D, lowest Y first.
    bool causing(QDate d, ExclusionWindow &out) const
    {
        if (m_rule.kind == StateRule::Kind::None)
            return false;
        const int year = d.year();
        for (int y = year - 1; y <= year + 1; ++y) {
            const int i = y - m_firstYear;
            if (i >= 0 && i < Count) {
                if (m_has[i] && m_windows[i].contains(d)) {
                    out = m_windows[i];
                    return true;
                }
            } else {
                ExclusionWindow w;
                if (windowForYear(m_rule, y, w) && w.contains(d)) {
                    out = w;
                    return true;
                }
            }
        }
        return false;
    }

private:
    const WindowRule &m_rule;
    int m_firstYear;
    std::array<ExclusionWindow, Count> m_windows {};
    std::array<bool, Count> m_has {};
};

bool isValidEmail(QStringView email)
{
    email = email.trimmed();
    qsizetype at = -1;
    for (qsizetype i = 0; i < email.size(); ++i) {
        const QChar c = email[i];
        if (c.isSpace())
            return false;
        if (c == u'@') {
            if (at >= 0)
                return false;
            at = i;
        }
    }
    if (at <= 0)
        return false;
    const QStringView domain = email.sliced(at + 1);
    for (qsizetype i = 1; i + 1 < domain.size(); ++i) {
        if (domain[i] == u'.')
            return true;
    }
    return false;
}

// Date of a birthday/effective_date email, with the catch-up rule of SPEC section 5.
void setSendDate(ScheduledEmail &e, qint64 contactId, int daysBefore, QDate today, int spread)
{
    e.date = e.eventDate.addDays(-daysBefore);
    if (e.date >= today)
        return;
    e.catchUp = true;
    const quint32 h = catchUpHash(contactId, typeKey(e.type), e.eventDate.year());
    const qint64 offset = spread > 0 ? qint64(h % quint32(spread)) : 0;
    e.date = std::min(today.addDays(offset), std::max(today, e.eventDate.addDays(-1)));
}

// Step 2 for birthday/effective_date: an active history row of the same type for this
// anniversary (event_year, or the scheduled date within [A-60, A] when event_year is empty).
bool alreadyHandled(std::span<const HistoryEntry> history, EmailType type, QDate anniversary, QDate &matched)
{
    const QLatin1StringView key = typeKey(type);
    const int year = anniversary.year();
    const QDate earliest = anniversary.addDays(-60);
    for (const HistoryEntry &h : history) {
        if (!equalsCi(h.emailType, key) || !isActiveStatus(h.status))
            continue;
        const bool match = h.eventYear != 0
            ? h.eventYear == year
            : h.scheduledDate.isValid() && h.scheduledDate >= earliest && h.scheduledDate <= anniversary;
        if (match) {
            matched = h.scheduledDate;
            return true;
        }
    }
    return false;
}

// Step 2 for aep: an active aep history row dated in the AEP year (its event_year when the
// stored date is unreadable).
bool aepHandled(std::span<const HistoryEntry> history, int aepYear, QDate &matched)
{
    for (const HistoryEntry &h : history) {
        if (!equalsCi(h.emailType, "aep"_L1) || !isActiveStatus(h.status))
            continue;
        const bool match = h.scheduledDate.isValid() ? h.scheduledDate.year() == aepYear : h.eventYear == aepYear;
        if (match) {
            matched = h.scheduledDate;
            return true;
        }
    }
    return false;
}

// Section 7's de-duplication: an active history row of any post_window* type on that date.
bool postWindowHandled(std::span<const HistoryEntry> history, QDate date)
{
    for (const HistoryEntry &h : history) {
        if (h.scheduledDate == date && QStringView(h.emailType).startsWith("post_window"_L1, Qt::CaseInsensitive)
            && isActiveStatus(h.status))
            return true;
    }
    return false;
}

// Whether every `period`-day window containing d holds at most `maxEmails` of the kept dates,
// the active history rows and d itself.
bool fitsFrequency(QDate d, const QDate *kept, int keptCount, std::span<const HistoryEntry> history, int period,
                   int maxEmails)
{
    if (period <= 0)
        return true;
    QVarLengthArray<int, 32> offsets; // days from d of every dated email near enough to share a window
    offsets.append(0);
    for (int i = 0; i < keptCount; ++i) {
        const qint64 o = d.daysTo(kept[i]);
        if (o > -period && o < period)
            offsets.append(int(o));
    }
    for (const HistoryEntry &h : history) {
        if (!h.scheduledDate.isValid() || !isActiveStatus(h.status))
            continue;
        const qint64 o = d.daysTo(h.scheduledDate);
        if (o > -period && o < period)
            offsets.append(int(o));
    }
    if (offsets.size() <= maxEmails)
        return true;
    auto countFrom = [&offsets, period](int start) {
        int n = 0;
        for (int o : offsets)
            n += (o >= start && o <= start + period - 1) ? 1 : 0;
        return n;
    };
    // Windows containing d start in [-(period-1), 0]; the count only rises where a window's
    // last day reaches an email, so checking those starts and the first one is enough.
    if (countFrom(-(period - 1)) > maxEmails)
        return false;
    for (int o : offsets) {
        if (o >= 0 && countFrom(o - period + 1) > maxEmails)
            return false;
    }
    return true;
}

// Insertion sort: the arrays hold at most 8 items (and std::sort's unrolled code trips GCC's
// -Warray-bounds on fixed arrays).
template <typename T, typename Less>
void smallSort(T *first, int count, Less less)
{
    for (int i = 1; i < count; ++i) {
        T item = first[i];
        int j = i;
        for (; j > 0 && less(item, first[j - 1]); --j)
            first[j] = first[j - 1];
        first[j] = item;
    }
}

SkipReason windowReason(StateRule::Kind kind)
{
    return kind == StateRule::Kind::EffectiveDate ? SkipReason::EffectiveDateWindow : SkipReason::BirthdayWindow;
}

bool isWindowReason(SkipReason reason)
{
    return reason == SkipReason::BirthdayWindow || reason == SkipReason::EffectiveDateWindow;
}

void skip(ScheduledEmail &e, SkipReason reason)
{
    e.status = EmailStatus::Skipped;
    e.reason = reason;
}

StateRule ruleFor(const ContactFacts &facts, const Config &config)
{
    return facts.state.isValid() ? config.stateRules.rule(facts.state) : StateRule();
}

} // namespace

namespace Engine {

ContactFacts checkContact(const Contact &contact, QDate today, const ZipTable &zips)
{
    ContactFacts facts;
    facts.contactId = contact.id;

    if (!isValidEmail(contact.email)) {
        const QString email = contact.email.trimmed();
        facts.problems.append({ProblemCode::InvalidEmail, Severity::Error,
                               email.isEmpty() ? tr("Email address is empty")
                                               : tr("Email address \"%1\" is not a valid address").arg(email)});
    }

    // State: the ZIP's state wins when it maps, else the stored state when it is a known code.
    const QStringView zipText = QStringView(contact.zipCode).trimmed();
    const StateCode zipState = zipText.isEmpty() ? StateCode() : zips.stateForZip(zipText);
    const QStringView stateText = QStringView(contact.state).trimmed();
    StateCode stored = stateText.isEmpty() ? StateCode() : StateCode::fromString(stateText);
    if (!zips.isKnownState(stored))
        stored = StateCode();
    facts.state = zipState.isValid() ? zipState : stored;
    if (!facts.state.isValid()) {
        facts.problems.append(
            {ProblemCode::UnknownState, Severity::Error,
             tr("No state can be determined: ZIP code \"%1\" and state \"%2\" are missing or unknown")
                 .arg(zipText.toString(), stateText.toString())});
    }

    const QStringView birthText = QStringView(contact.birthDate).trimmed();
    if (!birthText.isEmpty()) {
        const QDate birth = Dates::parseContactDate(birthText);
        if (!birth.isValid()) {
            facts.problems.append({ProblemCode::InvalidBirthDate, Severity::Warning,
                                   tr("Birth date \"%1\" is not a valid date").arg(birthText.toString())});
        } else if (birth > today) {
            facts.problems.append({ProblemCode::InvalidBirthDate, Severity::Warning,
                                   tr("Birth date \"%1\" is after today (%2)")
                                       .arg(birthText.toString(), today.toString(Qt::ISODate))});
        } else {
            facts.birthDate = birth;
        }
    }

    const QStringView effectiveText = QStringView(contact.effectiveDate).trimmed();
    if (!effectiveText.isEmpty()) {
        facts.effectiveDate = Dates::parseContactDate(effectiveText);
        if (!facts.effectiveDate.isValid()) {
            facts.problems.append({ProblemCode::InvalidEffectiveDate, Severity::Warning,
                                   tr("Effective date \"%1\" is not a valid date").arg(effectiveText.toString())});
        }
    }

    if (!zipText.isEmpty() && !zipState.isValid()) {
        facts.problems.append({ProblemCode::InvalidZip, Severity::Warning,
                               tr("ZIP code \"%1\" is not a known US ZIP code").arg(zipText.toString())});
    }
    if (zipState.isValid() && stored.isValid() && stored != zipState) {
        facts.problems.append({ProblemCode::ZipStateMismatch, Severity::Warning,
                               tr("State \"%1\" does not match ZIP code \"%2\", which is in %3; %3 is used")
                                   .arg(stateText.toString(), zipText.toString(), zipState.toString())});
    }
    return facts;
}

std::vector<ExclusionWindow> exclusionWindows(const ContactFacts &facts, QDate from, QDate to, const Config &config)
{
    std::vector<ExclusionWindow> result;
    const WindowRule rule = makeWindowRule(facts, ruleFor(facts, config), config);
    if (rule.kind == StateRule::Kind::None || !from.isValid() || !to.isValid())
        return result;
    for (int year = from.year() - 1; year <= to.year() + 1; ++year) {
        ExclusionWindow w;
        if (windowForYear(rule, year, w) && w.end >= from && w.start <= to)
            result.push_back(w);
    }
    return result;
}

ExclusionWindow causingWindow(const ContactFacts &facts, QDate date, const Config &config)
{
    const WindowRule rule = makeWindowRule(facts, ruleFor(facts, config), config);
    ExclusionWindow w;
    if (date.isValid() && rule.kind != StateRule::Kind::None)
        WindowSet(rule, date.year() - 1).causing(date, w);
    return w;
}

bool isYearRound(const ContactFacts &facts, const Config &config)
{
    return ruleFor(facts, config).kind == StateRule::Kind::YearRound;
}

bool isExcluded(const ContactFacts &facts, QDate date, const Config &config)
{
    return isYearRound(facts, config) || causingWindow(facts, date, config).isValid();
}

ContactSchedule scheduleContact(const Contact &contact, std::span<const HistoryEntry> history, QDate today,
                                const Config &config, const ZipTable &zips)
{
    return scheduleContact(checkContact(contact, today, zips), history, today, config);
}

ContactSchedule scheduleContact(const ContactFacts &facts, std::span<const HistoryEntry> history, QDate today,
                                const Config &config)
{
    ContactSchedule out;
    out.contactId = facts.contactId;
    out.state = facts.state;
    out.problems = facts.problems;
    out.spacingDays = config.birthdaySpacingDays;
    out.frequencyMaxEmails = config.frequencyMaxEmails;
    out.frequencyPeriodDays = config.frequencyPeriodDays;
    if (facts.hasError() || !today.isValid())
        return out;

    const StateRule stateRule = ruleFor(facts, config);
    const bool yearRound = stateRule.kind == StateRule::Kind::YearRound;
    const WindowRule rule = makeWindowRule(facts, stateRule, config);
    // candidate dates lie in [today, today + ~13 months]: years today.year-1 .. today.year+3 cover them
    const WindowSet windows(rule, today.year() - 1);
    const SkipReason ruleReason = windowReason(rule.kind);

    // birthday, effective_date, aep, and at most one post_window per causing window (<= 3)
    std::array<ScheduledEmail, 8> emails {};
    int count = 0;

    // Sections 5 and 6.2: candidates and the already-handled check.
    if (facts.birthDate.isValid()) {
        ScheduledEmail &e = emails[count++];
        e.type = EmailType::Birthday;
        e.eventDate = Dates::nextOccurrence(facts.birthDate, today);
        setSendDate(e, facts.contactId, config.birthdayDaysBefore, today, config.catchUpSpreadDays);
        if (alreadyHandled(history, e.type, e.eventDate, e.relatedDate))
            skip(e, SkipReason::AlreadySent);
    }
    if (facts.effectiveDate.isValid()) {
        ScheduledEmail &e = emails[count++];
        e.type = EmailType::EffectiveDate;
        e.eventDate = Dates::nextAnniversary(facts.effectiveDate, today);
        setSendDate(e, facts.contactId, config.effectiveDateDaysBefore, today, config.catchUpSpreadDays);
        if (alreadyHandled(history, e.type, e.eventDate, e.relatedDate))
            skip(e, SkipReason::AlreadySent);
    }
    const auto isExcludedDate = [&](QDate d) {
        ExclusionWindow unused;
        return yearRound || windows.causing(d, unused);
    };
    const qsizetype aepCount = config.aepDates.size();
    if (aepCount > 0) {
        const int thisYear = today.year();
        QDate latest;
        for (const MonthDay &md : config.aepDates)
            latest = std::max(latest, occurrenceMd(md.month, md.day, thisYear));
        const int aepYear = today <= latest ? thisYear : thisYear + 1;
        const int slot = int(((facts.contactId % aepCount) + aepCount) % aepCount);
        // try order: the slot, then the others in list order
        auto dateAt = [&](qsizetype step) {
            const qsizetype i = step == 0 ? slot : (step <= slot ? step - 1 : step);
            const MonthDay &md = config.aepDates[i];
            return occurrenceMd(md.month, md.day, aepYear);
        };
        QDate chosen;
        QDate fallback;
        for (qsizetype step = 0; step < aepCount; ++step) {
            const QDate d = dateAt(step);
            if (!d.isValid() || d < today)
                continue;
            if (!fallback.isValid())
                fallback = d;
            if (!isExcludedDate(d)) {
                chosen = d;
                break;
            }
        }
        if (!chosen.isValid())
            chosen = fallback; // every date excluded: step 3 skips it at this date
        if (chosen.isValid()) {
            ScheduledEmail &e = emails[count++];
            e.type = EmailType::Aep;
            e.date = chosen;
            e.eventDate = chosen;
            if (aepHandled(history, aepYear, e.relatedDate))
                skip(e, SkipReason::AlreadySent);
        }
    }

    // 6.3: exclusion.
    const int candidateCount = count;
    for (int i = 0; i < candidateCount; ++i) {
        ScheduledEmail &e = emails[i];
        if (e.status == EmailStatus::Skipped)
            continue;
        if (yearRound)
            skip(e, SkipReason::YearRound);
        else if (windows.causing(e.date, e.window))
            skip(e, ruleReason);
    }

    // 6.4 / section 7: one post_window per distinct causing window.
    if (config.postWindowEnabled && !yearRound) {
        for (int i = 0; i < candidateCount; ++i) {
            const ScheduledEmail &skipped = emails[i];
            if (!isWindowReason(skipped.reason))
                continue;
            bool seen = false;
            for (int j = candidateCount; j < count; ++j)
                seen = seen || emails[j].window.anchor == skipped.window.anchor;
            if (seen)
                continue;
            ScheduledEmail &e = emails[count++];
            e.type = EmailType::PostWindow;
            e.window = skipped.window;
            e.eventDate = skipped.window.anchor;
            e.date = std::max(skipped.window.end.addDays(1), today);
            if (postWindowHandled(history, e.date)) {
                skip(e, SkipReason::AlreadySent);
                e.relatedDate = e.date;
            }
        }
    }

    // 6.5: spacing between a birthday email and the effective_date / aep emails.
    if (config.birthdaySpacingDays > 0) {
        for (int i = 0; i < candidateCount; ++i) {
            ScheduledEmail &b = emails[i];
            if (b.type != EmailType::Birthday || b.status != EmailStatus::PreScheduled)
                continue;
            qint64 nearest = config.birthdaySpacingDays;
            const ScheduledEmail *other = nullptr;
            for (int j = 0; j < candidateCount; ++j) {
                const ScheduledEmail &o = emails[j];
                if ((o.type != EmailType::EffectiveDate && o.type != EmailType::Aep)
                    || o.status != EmailStatus::PreScheduled)
                    continue;
                const qint64 diff = std::abs(b.date.daysTo(o.date));
                if (diff < nearest) {
                    nearest = diff;
                    other = &o;
                }
            }
            if (other) {
                skip(b, SkipReason::Spacing);
                b.relatedDate = other->date;
                b.relatedType = other->type;
            }
        }
    }

    // 6.6: frequency limit in priority order.
    std::array<int, 8> order {};
    int pending = 0;
    for (int i = 0; i < count; ++i) {
        if (emails[i].status == EmailStatus::PreScheduled)
            order[pending++] = i;
    }
    smallSort(order.data(), pending, [&](int a, int b) {
        const ScheduledEmail &x = emails[a];
        const ScheduledEmail &y = emails[b];
        const int px = config.priority(x.type);
        const int py = config.priority(y.type);
        if (px != py)
            return px < py;
        if (x.date != y.date)
            return x.date < y.date;
        return typeRank(x.type) < typeRank(y.type);
    });
    std::array<QDate, 8> kept {};
    int keptCount = 0;
    for (int k = 0; k < pending; ++k) {
        ScheduledEmail &e = emails[order[k]];
        if (fitsFrequency(e.date, kept.data(), keptCount, history, config.frequencyPeriodDays,
                          config.frequencyMaxEmails))
            kept[keptCount++] = e.date;
        else
            skip(e, SkipReason::FrequencyLimit);
    }

    smallSort(emails.data(), count, [](const ScheduledEmail &x, const ScheduledEmail &y) {
        if (x.date != y.date)
            return x.date < y.date;
        return typeRank(x.type) < typeRank(y.type);
    });
    out.emails.assign(emails.begin(), emails.begin() + count);
    return out;
}

} // namespace Engine
