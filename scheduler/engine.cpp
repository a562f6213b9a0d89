#include "engine.h"

#include "civil_p.h"
#include "dates.h"
#include "fnv1a.h"
#include "textview_p.h"

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
    return ::fnv1a32(QByteArrayView(buffer, p - buffer));
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
    const Civil::Ymd e = Civil::parts(event);
    r.eventYear = e.year;
    r.eventMonth = e.month;
    r.eventDay = e.day;
    if (facts.birthDate.isValid()) {
        const Civil::Ymd b = Civil::parts(facts.birthDate);
        r.hasBirth = true;
        r.birthYear = b.year;
        r.birthMonth = b.month;
        r.birthDay = b.day;
    }
    return r;
}

// a_Y of SPEC section 4 as a Julian day; false when the year has no window.
bool anchorForYear(const WindowRule &r, int year, qint64 &anchor)
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
    anchor = Civil::jd(year, month, day);
    return true;
}

// E_Y of SPEC section 4; false when the year has no window.
bool windowForYear(const WindowRule &r, int year, ExclusionWindow &out)
{
    qint64 anchor = 0;
    if (!anchorForYear(r, year, anchor))
        return false;
    out.anchor = Civil::toDate(anchor);
    out.statutoryStart = Civil::toDate(anchor - r.before);
    out.start = Civil::toDate(anchor - r.before - r.lead);
    out.end = Civil::toDate(anchor + r.after);
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
        // When a window reaches less than a year from its anchor, a date inside E_Y always has
        // D.year in Y-1..Y+1; a date in years firstYear+1..firstYear+Count-2 can then be tested
        // against the cached windows directly, without converting it to a year.
        if (rule.before + rule.lead < 365 && rule.after < 365 && rule.before >= 0 && rule.lead >= 0
            && rule.after >= 0) {
            m_fastFrom = Civil::jd(firstYear + 1, 1, 1);
            m_fastTo = Civil::jd(firstYear + Count - 1, 1, 1);
        }
    }

    // D's causing window: E_Y for Y in {D.year-1, D.year, D.year+1} containing D, lowest Y first.
    bool causing(QDate d, ExclusionWindow &out) const
    {
        if (m_rule.kind == StateRule::Kind::None || !d.isValid())
            return false;
        const qint64 jd = d.toJulianDay();
        if (jd >= m_fastFrom && jd < m_fastTo) {
            for (int i = 0; i < Count; ++i) {
                if (m_has[i] && m_windows[i].contains(d)) {
                    out = m_windows[i];
                    return true;
                }
            }
            return false;
        }
        const int year = Civil::fromJd(jd).year;
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
    qint64 m_fastFrom = 0; // [m_fastFrom, m_fastTo): Julian days answered from the cache alone
    qint64 m_fastTo = 0;
    std::array<ExclusionWindow, Count> m_windows {};
    std::array<bool, Count> m_has {};
};

bool isValidEmail(QStringView email)
{
    email = TextView::trimmed(email);
    qsizetype at = -1;
    for (qsizetype i = 0; i < email.size(); ++i) {
        const QChar c = email[i];
        if (TextView::isSpace(c))
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

// Date of a birthday/effective_date email served on anniversary `a` (Julian day, in `year`),
// with the catch-up rule of SPEC section 5.
void setSendDate(ScheduledEmail &e, qint64 a, int year, qint64 contactId, int daysBefore, qint64 today,
                 int spread)
{
    e.eventDate = Civil::toDate(a);
    qint64 date = a - daysBefore;
    if (date < today) {
        e.catchUp = true;
        const quint32 h = catchUpHash(contactId, emailTypeKey(e.type), year);
        const qint64 offset = spread > 0 ? qint64(h % quint32(spread)) : 0;
        date = std::min(today + offset, std::max(today, a - 1));
    }
    e.date = Civil::toDate(date);
}

// Step 2 for birthday/effective_date: an active history row of the same type for this
// anniversary (event_year, or the scheduled date within [A-60, A] when event_year is empty).
bool alreadyHandled(std::span<const HistoryEntry> history, EmailType type, qint64 anniversary, int year,
                    CompactDate &matched)
{
    const QLatin1StringView key = emailTypeKey(type);
    for (const HistoryEntry &h : history) {
        if (!equalsCi(h.emailType, key) || !isActiveStatus(h.status))
            continue;
        const qint64 d = h.scheduledDate.toJulianDay();
        const bool match = h.eventYear != 0
            ? h.eventYear == year
            : h.scheduledDate.isValid() && d >= anniversary - 60 && d <= anniversary;
        if (match) {
            matched = h.scheduledDate;
            return true;
        }
    }
    return false;
}

// Step 2 for aep: an active aep history row dated in the AEP year (its event_year when the
// stored date is unreadable).
bool aepHandled(std::span<const HistoryEntry> history, int aepYear, CompactDate &matched)
{
    for (const HistoryEntry &h : history) {
        if (!equalsCi(h.emailType, "aep"_L1) || !isActiveStatus(h.status))
            continue;
        const bool match = h.scheduledDate.isValid() ? Civil::parts(h.scheduledDate).year == aepYear
                                                     : h.eventYear == aepYear;
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
        if (h.scheduledDate == date
            && QStringView(h.emailType).startsWith("post_window"_L1, Qt::CaseInsensitive)
            && isActiveStatus(h.status))
            return true;
    }
    return false;
}

// Whether every `period`-day window containing d holds at most `maxEmails` of the kept dates,
// the active history rows and d itself.
bool fitsFrequency(qint64 d, const qint64 *kept, int keptCount, std::span<const HistoryEntry> history,
                   int period, int maxEmails)
{
    if (period <= 0)
        return true;
    QVarLengthArray<int, 32> offsets; // days from d of every dated email near enough to share a window
    offsets.append(0);
    for (int i = 0; i < keptCount; ++i) {
        const qint64 o = kept[i] - d;
        if (o > -period && o < period)
            offsets.append(int(o));
    }
    for (const HistoryEntry &h : history) {
        if (!h.scheduledDate.isValid() || !isActiveStatus(h.status))
            continue;
        const qint64 o = h.scheduledDate.toJulianDay() - d;
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
template<typename T, typename Less> void smallSort(T *first, int count, Less less)
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
    return kind == StateRule::Kind::EffectiveDate ? SkipReason::EffectiveDateWindow
                                                  : SkipReason::BirthdayWindow;
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
        facts.problems.append({ ProblemCode::InvalidEmail, Severity::Error,
                                email.isEmpty()
                                    ? tr("Email address is empty")
                                    : tr("Email address \"%1\" is not a valid address").arg(email) });
    }

    // State: the ZIP's state wins when it maps, else the stored state when it is a known code.
    const QStringView zipText = TextView::trimmed(contact.zipCode);
    const StateCode zipState = zipText.isEmpty() ? StateCode() : zips.stateForZip(zipText);
    const QStringView stateText = TextView::trimmed(contact.state);
    StateCode stored = stateText.isEmpty() ? StateCode() : StateCode::fromString(stateText);
    if (!zips.isKnownState(stored))
        stored = StateCode();
    facts.state = zipState.isValid() ? zipState : stored;
    if (!facts.state.isValid()) {
        facts.problems.append(
            { ProblemCode::UnknownState, Severity::Error,
              zipText.isEmpty() && stateText.isEmpty()
                  ? tr("No state can be determined: ZIP code and state are both empty")
                  : tr("No state can be determined: ZIP code \"%1\" and state \"%2\" are missing or unknown")
                        .arg(zipText.toString(), stateText.toString()) });
    }

    const QStringView birthText = TextView::trimmed(contact.birthDate);
    if (!birthText.isEmpty()) {
        const QDate birth = Dates::parseContactDate(birthText);
        if (!birth.isValid()) {
            facts.problems.append({ ProblemCode::InvalidBirthDate, Severity::Warning,
                                    tr("Birth date \"%1\" is not a valid date").arg(birthText.toString()) });
        } else if (birth > today) {
            facts.problems.append({ ProblemCode::InvalidBirthDate, Severity::Warning,
                                    tr("Birth date \"%1\" is after today (%2)")
                                        .arg(birthText.toString(), today.toString(Qt::ISODate)) });
        } else if (today.isValid() && Dates::nextOccurrence(birth, today) > Dates::lastDate()) {
            facts.problems.append({ ProblemCode::InvalidBirthDate, Severity::Warning,
                                    tr("Birth date \"%1\": the next birthday after %2 falls after the year "
                                       "9999, the last year the scheduler can write; treated as missing")
                                        .arg(birthText.toString(), today.toString(Qt::ISODate)) });
        } else {
            facts.birthDate = birth;
        }
    }

    const QStringView effectiveText = TextView::trimmed(contact.effectiveDate);
    if (!effectiveText.isEmpty()) {
        facts.effectiveDate = Dates::parseContactDate(effectiveText);
        if (!facts.effectiveDate.isValid()) {
            facts.problems.append(
                { ProblemCode::InvalidEffectiveDate, Severity::Warning,
                  tr("Effective date \"%1\" is not a valid date").arg(effectiveText.toString()) });
        } else if (today.isValid()
                   && Dates::nextAnniversary(facts.effectiveDate, today) > Dates::lastDate()) {
            // e.g. the "open-ended" 9999-12-31: its first anniversary would be in the year 10000
            facts.effectiveDate = QDate();
            facts.problems.append({ ProblemCode::InvalidEffectiveDate, Severity::Warning,
                                    tr("Effective date \"%1\": the next policy anniversary falls after the "
                                       "year 9999, the last year the scheduler can write; treated as missing")
                                        .arg(effectiveText.toString()) });
        }
    }

    if (!zipText.isEmpty() && !zipState.isValid()) {
        facts.problems.append({ ProblemCode::InvalidZip, Severity::Warning,
                                tr("ZIP code \"%1\" is not a known US ZIP code").arg(zipText.toString()) });
    }
    if (zipState.isValid() && stored.isValid() && stored != zipState) {
        facts.problems.append({ ProblemCode::ZipStateMismatch, Severity::Warning,
                                tr("State \"%1\" does not match ZIP code \"%2\", which is in %3; %3 is used")
                                    .arg(stateText.toString(), zipText.toString(), zipState.toString()) });
    }
    return facts;
}

std::vector<ExclusionWindow> exclusionWindows(const ContactFacts &facts, QDate from, QDate to,
                                              const Config &config)
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
    // isYearRound() || causingWindow().isValid() with one state-rule lookup: the load balancer
    // asks this for every day it tries to move an email to.
    const StateRule stateRule = ruleFor(facts, config);
    if (stateRule.kind == StateRule::Kind::YearRound)
        return true;
    const WindowRule rule = makeWindowRule(facts, stateRule, config);
    ExclusionWindow w;
    if (date.isValid() && rule.kind != StateRule::Kind::None)
        WindowSet(rule, date.year() - 1).causing(date, w);
    return w.isValid();
}

ExclusionRules::ExclusionRules(const Config &config)
{
    const QList<StateCode> states = config.stateRules.statesWithRules();
    m_rules.reserve(std::size_t(states.size()));
    for (const StateCode state : states) {
        const StateRule rule = config.stateRules.rule(state);
        m_kinds.insert(state.raw(), rule.kind);
        m_index.insert(state.raw(), quint16(m_rules.size()));
        m_rules.push_back(Rule { rule.before, rule.after,
                                 rule.lead >= 0 ? rule.lead : config.preWindowLeadDays, rule.maxAge,
                                 rule.monthStart });
    }
}

ContactExclusion ExclusionRules::of(const ContactFacts &facts) const
{
    ContactExclusion c;
    if (!facts.state.isValid())
        return c;
    const StateRule::Kind kind = m_kinds.value(facts.state.raw(), StateRule::Kind::None);
    if (kind == StateRule::Kind::YearRound) {
        c.kind = kind;
        return c;
    }
    QDate event;
    if (kind == StateRule::Kind::Birthday)
        event = facts.birthDate;
    else if (kind == StateRule::Kind::EffectiveDate)
        event = facts.effectiveDate;
    if (!event.isValid())
        return c;
    const Civil::Ymd e = Civil::parts(event);
    c.kind = kind;
    c.rule = m_index.value(facts.state.raw());
    c.eventYear = e.year;
    c.eventMonth = quint8(e.month);
    c.eventDay = quint8(e.day);
    if (facts.birthDate.isValid()) {
        const Civil::Ymd b = Civil::parts(facts.birthDate);
        c.birthYear = b.year;
        c.birthMonth = quint8(b.month);
        c.birthDay = quint8(b.day);
    }
    return c;
}

bool ExclusionRules::isExcluded(const ContactExclusion &contact, QDate date) const
{
    if (contact.kind == StateRule::Kind::YearRound)
        return true;
    if (contact.kind == StateRule::Kind::None || !date.isValid())
        return false;
    const Rule &rule = m_rules[contact.rule];
    WindowRule r;
    r.kind = contact.kind;
    r.before = rule.before;
    r.after = rule.after;
    r.lead = rule.lead;
    r.monthStart = rule.monthStart;
    r.maxAge = rule.maxAge;
    r.eventYear = contact.eventYear;
    r.eventMonth = contact.eventMonth;
    r.eventDay = contact.eventDay;
    r.hasBirth = contact.birthMonth != 0;
    r.birthYear = contact.birthYear;
    r.birthMonth = contact.birthMonth;
    r.birthDay = contact.birthDay;
    // As WindowSet::causing: E_Y for Y in {D.year-1, D.year, D.year+1} containing D.
    const qint64 jd = date.toJulianDay();
    const int year = Civil::fromJd(jd).year;
    for (int y = year - 1; y <= year + 1; ++y) {
        qint64 anchor = 0;
        if (anchorForYear(r, y, anchor) && jd >= anchor - r.before - r.lead && jd <= anchor + r.after)
            return true;
    }
    return false;
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
    if (facts.hasError() || !Dates::inRange(today))
        return out;
    // Candidates fall on or after today; one past the last writable date is not produced.
    const qint64 lastJd = Dates::lastDate().toJulianDay();
    const qint64 firstJd = Dates::firstDate().toJulianDay();
    auto outOfRange = [&out](EmailType type) {
        const Problem problem { ProblemCode::DateOutOfRange, Severity::Warning,
                                tr("The %1 email would fall outside the years 1 to 9999, the dates the "
                                   "scheduler can write; it is not scheduled")
                                    .arg(emailTypeName(type)) };
        if (!out.problems.contains(problem))
            out.problems.append(problem);
    };

    const qint64 t = today.toJulianDay();
    const int thisYear = Civil::fromJd(t).year;
    const StateRule stateRule = ruleFor(facts, config);
    const bool yearRound = stateRule.kind == StateRule::Kind::YearRound;
    const WindowRule rule = makeWindowRule(facts, stateRule, config);
    // candidate dates lie in [today, today + ~13 months]: years today.year-1 .. today.year+3 cover them
    const WindowSet windows(rule, thisYear - 1);
    const SkipReason ruleReason = windowReason(rule.kind);

    // birthday, effective_date, aep, and at most one post_window per causing window (<= 3)
    std::array<ScheduledEmail, 8> emails {};
    int count = 0;

    // Sections 5 and 6.2: candidates and the already-handled check.
    if (facts.birthDate.isValid()) {
        const Civil::Ymd b = Civil::parts(facts.birthDate);
        int year = thisYear;
        qint64 a = Civil::occurrenceJd(b.month, b.day, year);
        if (a < t)
            a = Civil::occurrenceJd(b.month, b.day, ++year);
        // checkContact treats a birth date whose next birthday is past 9999 as missing
        if (a > lastJd) {
            outOfRange(EmailType::Birthday);
        } else {
            ScheduledEmail &e = emails[count++];
            e.type = EmailType::Birthday;
            setSendDate(e, a, year, facts.contactId, config.birthdayDaysBefore, t, config.catchUpSpreadDays);
            if (alreadyHandled(history, e.type, a, year, e.relatedDate))
                skip(e, SkipReason::AlreadySent);
        }
    }
    if (facts.effectiveDate.isValid()) {
        const Civil::Ymd p = Civil::parts(facts.effectiveDate);
        // the first anniversary is one year after the start (Y > effective.year)
        int year = std::max(thisYear, p.year + 1);
        qint64 a = Civil::occurrenceJd(p.month, p.day, year);
        if (a < t)
            a = Civil::occurrenceJd(p.month, p.day, ++year);
        if (a > lastJd) {
            outOfRange(EmailType::EffectiveDate);
        } else {
            ScheduledEmail &e = emails[count++];
            e.type = EmailType::EffectiveDate;
            setSendDate(e, a, year, facts.contactId, config.effectiveDateDaysBefore, t,
                        config.catchUpSpreadDays);
            if (alreadyHandled(history, e.type, a, year, e.relatedDate))
                skip(e, SkipReason::AlreadySent);
        }
    }
    const qsizetype aepCount = config.aepDates.size();
    if (aepCount > 0) {
        // a list entry that is no date (04-31) is ignored
        auto aepJd = [&](qsizetype i, int year) -> qint64 {
            const MonthDay &md = config.aepDates[i];
            const int day = md.month == 2 && md.day == 29 && !Civil::isLeapYear(year) ? 28 : md.day;
            return Civil::isValid(year, md.month, day) ? Civil::jd(year, md.month, day) : -1;
        };
        // the latest date of the list, compared as (month, day) to avoid date arithmetic
        int latestKey = -1;
        qsizetype latestIndex = 0;
        for (qsizetype i = 0; i < aepCount; ++i) {
            const int key = config.aepDates[i].month * 32 + config.aepDates[i].day;
            const MonthDay &md = config.aepDates[i];
            const bool valid = md.month >= 1 && md.month <= 12 && md.day >= 1
                && md.day <= (md.month == 2 ? 29 : Civil::daysInMonth(2001, md.month));
            if (key > latestKey && valid) {
                latestKey = key;
                latestIndex = i;
            }
        }
        const qint64 latest = latestKey < 0 ? -1 : aepJd(latestIndex, thisYear);
        const int aepYear = latest >= t ? thisYear : thisYear + 1;
        const qsizetype slot = ((facts.contactId % aepCount) + aepCount) % aepCount;
        qint64 chosen = -1;
        qint64 fallback = -1;
        // try order: the slot, then the others in list order
        for (qsizetype step = 0; step < aepCount; ++step) {
            const qsizetype i = step == 0 ? slot : (step <= slot ? step - 1 : step);
            const qint64 d = aepJd(i, aepYear);
            if (d < t)
                continue;
            if (fallback < 0)
                fallback = d;
            ExclusionWindow unused;
            if (!yearRound && !windows.causing(Civil::toDate(d), unused)) {
                chosen = d;
                break;
            }
        }
        if (chosen < 0)
            chosen = fallback; // every date excluded: step 3 skips it at this date
        if (chosen > lastJd) {
            outOfRange(EmailType::Aep);
            chosen = -1;
        }
        if (chosen >= 0) {
            ScheduledEmail &e = emails[count++];
            e.type = EmailType::Aep;
            e.date = Civil::toDate(chosen);
            e.eventDate = e.date;
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
            const qint64 date = std::max(skipped.window.end.toJulianDay() + 1, t);
            const qint64 anchor = skipped.window.anchor.toJulianDay();
            if (date > lastJd || anchor < firstJd || anchor > lastJd) {
                outOfRange(EmailType::PostWindow);
                continue;
            }
            ScheduledEmail &e = emails[count++];
            e.type = EmailType::PostWindow;
            e.window = skipped.window;
            e.eventDate = skipped.window.anchor;
            e.date = Civil::toDate(date);
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
                const qint64 diff = std::abs(o.date.toJulianDay() - b.date.toJulianDay());
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
        return emailTypeOrder(x.type) < emailTypeOrder(y.type);
    });
    std::array<qint64, 8> kept {};
    int keptCount = 0;
    for (int k = 0; k < pending; ++k) {
        ScheduledEmail &e = emails[order[k]];
        const qint64 d = e.date.toJulianDay();
        if (fitsFrequency(d, kept.data(), keptCount, history, config.frequencyPeriodDays,
                          config.frequencyMaxEmails))
            kept[keptCount++] = d;
        else
            skip(e, SkipReason::FrequencyLimit);
    }

    smallSort(emails.data(), count, [](const ScheduledEmail &x, const ScheduledEmail &y) {
        if (x.date != y.date)
            return x.date < y.date;
        return emailTypeOrder(x.type) < emailTypeOrder(y.type);
    });
    out.emails.assign(emails.begin(), emails.begin() + count);
    return out;
}

ContactSchedule scheduleContact(const Contact &contact, const ContactFacts &facts,
                                std::span<const HistoryEntry> history, const ContactActivity &activity,
                                QDate today, const Config &config, const CampaignRun &campaigns,
                                const SuppressionList &suppressions)
{
    Q_UNUSED(contact);
    Q_UNUSED(activity);
    Q_UNUSED(campaigns);
    Q_UNUSED(suppressions);
    return scheduleContact(facts, history, today, config);
}

ContactSchedule scheduleContact(const Contact &contact, std::span<const HistoryEntry> history,
                                const ContactActivity &activity, QDate today, const Config &config,
                                const CampaignRun &campaigns, const SuppressionList &suppressions,
                                const ZipTable &zips)
{
    return scheduleContact(contact, checkContact(contact, today, zips), history, activity, today, config,
                           campaigns, suppressions);
}

std::optional<SuppressionNote> suppressionOf(const Contact &contact, const ContactActivity &activity,
                                             const SuppressionList &suppressions, const Config &config)
{
    Q_UNUSED(contact);
    Q_UNUSED(activity);
    Q_UNUSED(suppressions);
    Q_UNUSED(config);
    return std::nullopt;
}

bool failedUnderwriting(std::span<const ContactEventRow> events, QDate *answered)
{
    Q_UNUSED(events);
    Q_UNUSED(answered);
    return false;
}

bool metadataShowsFailedUnderwriting(QStringView json)
{
    Q_UNUSED(json);
    return false;
}

} // namespace Engine
