#include "engine.h"

#include "civil_p.h"
#include "dates.h"
#include "fnv1a.h"
#include "textview_p.h"

#include <QCoreApplication>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonValue>
#include <QVarLengthArray>

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdlib>
#include <memory>

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

} // namespace Engine

namespace {

// Section 12's "has_medical_conditions": JSON true, a non-zero number, or "true"/"yes"/"1".
bool truthy(const QJsonValue &v)
{
    if (v.isBool())
        return v.toBool();
    if (v.isDouble())
        return v.toDouble() != 0.0;
    if (v.isString()) {
        const QString s = v.toString().trimmed();
        return s.compare("true"_L1, Qt::CaseInsensitive) == 0 || s.compare("yes"_L1, Qt::CaseInsensitive) == 0
            || s == "1"_L1;
    }
    return false;
}

bool isEligibilityEvent(const ContactEventRow &e)
{
    return equalsCi(TextView::trimmed(e.eventType), "eligibility_answered"_L1);
}

// Orders raw `created_at` / `clicked_at` texts: the date (any format of section 1), then a time
// "HH:MM[:SS]" after it when there is one. Unreadable texts order first (jd 0).
struct Stamp
{
    qint64 jd = 0;
    int seconds = 0;
    QDate date() const { return jd > 0 ? QDate::fromJulianDay(jd) : QDate(); }
    friend auto operator<=>(const Stamp &, const Stamp &) = default;
};

Stamp stampOf(QStringView raw)
{
    Stamp s;
    const QStringView text = TextView::trimmed(raw);
    const QDate date = Dates::parseContactDate(text);
    if (!date.isValid())
        return s;
    s.jd = date.toJulianDay();
    // a time after "YYYY-MM-DD" and a 'T' or space
    if (text.size() >= 16 && (text[10] == u'T' || text[10] == u' ')) {
        const QStringView t = text.sliced(11);
        auto digits = [&t](qsizetype at) {
            return at + 1 < t.size() && t[at].isDigit() && t[at + 1].isDigit()
                ? (t[at].unicode() - u'0') * 10 + (t[at + 1].unicode() - u'0')
                : -1;
        };
        const int h = digits(0);
        const int m = t.size() >= 5 && t[2] == u':' ? digits(3) : -1;
        const int sec = t.size() >= 8 && t[5] == u':' ? digits(6) : 0;
        if (h >= 0 && m >= 0 && sec >= 0)
            s.seconds = h * 3600 + m * 60 + sec;
    }
    return s;
}

// The latest eligibility_answered event (created_at, then id), optionally only those dated on or
// after `from` (an invalid `from`: all).
const ContactEventRow *latestEligibility(std::span<const ContactEventRow> events, qint64 fromJd = 0)
{
    const ContactEventRow *latest = nullptr;
    Stamp latestStamp;
    for (const ContactEventRow &e : events) {
        if (!isEligibilityEvent(e))
            continue;
        const Stamp s = stampOf(e.createdAt);
        if (fromJd > 0 && (s.jd == 0 || s.jd < fromJd))
            continue;
        if (!latest || s > latestStamp || (s == latestStamp && e.id > latest->id)) {
            latest = &e;
            latestStamp = s;
        }
    }
    return latest;
}

bool isSentStatus(QStringView status)
{
    status = TextView::trimmed(status);
    return equalsCi(status, "sent"_L1) || equalsCi(status, "delivered"_L1);
}

// Section 13: whether a sent history row's type can be a follow-up's initial email.
bool isInitialType(QStringView type, const CampaignRun &campaigns)
{
    type = TextView::trimmed(type);
    if (equalsCi(type, "birthday"_L1) || equalsCi(type, "effective_date"_L1) || equalsCi(type, "aep"_L1)
        || type.startsWith("post_window"_L1, Qt::CaseInsensitive))
        return type.size() == 11 || !type.startsWith("post_window"_L1, Qt::CaseInsensitive)
            || type[11] == u'_';
    return campaigns.followupsEnabledFor(type);
}

// fnv1a32("<contact_id><suffix>") with suffix "-campaign_<name>-<instance id>".
quint32 campaignHash(qint64 contactId, const QByteArray &suffix)
{
    char buffer[24];
    const char *end = std::to_chars(buffer, buffer + sizeof buffer, contactId).ptr;
    Fnv1a32 h;
    h.bytes(QByteArrayView(buffer, end - buffer));
    h.bytes(suffix);
    return h.value();
}

// The rules of SPEC section 6 for one contact, one named step per rule, in the section's order.
// Candidates live in a small inline array: a contact without campaigns and activity allocates
// only its result.
class ContactScheduler final
{
public:
    ContactScheduler(const ContactFacts &facts, std::span<const HistoryEntry> history, QDate today,
                     const Config &config, ContactSchedule &out)
        : m_facts(facts), m_history(history), m_config(config), m_out(out), m_t(today.toJulianDay()),
          m_thisYear(Civil::fromJd(m_t).year), m_stateRule(ruleFor(facts, config)),
          m_yearRound(m_stateRule.kind == StateRule::Kind::YearRound),
          m_rule(makeWindowRule(facts, m_stateRule, config)), m_windows(m_rule, m_thisYear - 1),
          m_lastJd(Dates::lastDate().toJulianDay()), m_firstJd(Dates::firstDate().toJulianDay())
    { }

    // Sections 12-13's inputs; without them the contact gets exactly the emails of sections 5-7.
    void setActivity(const Contact *contact, const ContactActivity *activity, const CampaignRun *campaigns)
    {
        m_contact = contact;
        m_activity = activity;
        m_campaigns = campaigns;
    }

    void run()
    {
        addBirthday();
        addEffectiveDate();
        addAep();
        addCampaigns();
        addFollowup();
        skipFailedUnderwriting();
        skipExcluded();
        addPostWindows();
        skipSpacing();
        skipCampaignConflicts();
        applyFrequencyLimit();
        finish();
    }

private:
    ScheduledEmail &add(EmailType type)
    {
        m_emails.append(ScheduledEmail {});
        ScheduledEmail &e = m_emails.back();
        e.type = type;
        return e;
    }

    void outOfRange(EmailType type)
    {
        const Problem problem { ProblemCode::DateOutOfRange, Severity::Warning,
                                tr("The %1 email would fall outside the years 1 to 9999, the dates the "
                                   "scheduler can write; it is not scheduled")
                                    .arg(emailTypeName(type)) };
        if (!m_out.problems.contains(problem))
            m_out.problems.append(problem);
    }

    ContactNotes &notes()
    {
        if (!m_notes)
            m_notes = std::make_shared<ContactNotes>();
        return *m_notes;
    }

    int priorityOf(const ScheduledEmail &e) const
    {
        if (e.type == EmailType::Campaign && m_campaigns) {
            if (const LiveCampaign *c = m_campaigns->campaign(e.campaign))
                return c->priority;
        }
        return m_config.priority(e.type);
    }

    // Section 5 and step 2: the birthday email and whether it is already handled.
    void addBirthday()
    {
        if (!m_facts.birthDate.isValid())
            return;
        const Civil::Ymd b = Civil::parts(m_facts.birthDate);
        int year = m_thisYear;
        qint64 a = Civil::occurrenceJd(b.month, b.day, year);
        if (a < m_t)
            a = Civil::occurrenceJd(b.month, b.day, ++year);
        // checkContact treats a birth date whose next birthday is past 9999 as missing
        if (a > m_lastJd) {
            outOfRange(EmailType::Birthday);
            return;
        }
        ScheduledEmail &e = add(EmailType::Birthday);
        setSendDate(e, a, year, m_facts.contactId, m_config.birthdayDaysBefore, m_t,
                    m_config.catchUpSpreadDays);
        if (alreadyHandled(m_history, e.type, a, year, e.relatedDate))
            skip(e, SkipReason::AlreadySent);
    }

    // Section 5 and step 2: the effective_date email (first anniversary: Y > effective.year).
    void addEffectiveDate()
    {
        if (!m_facts.effectiveDate.isValid())
            return;
        const Civil::Ymd p = Civil::parts(m_facts.effectiveDate);
        int year = std::max(m_thisYear, p.year + 1);
        qint64 a = Civil::occurrenceJd(p.month, p.day, year);
        if (a < m_t)
            a = Civil::occurrenceJd(p.month, p.day, ++year);
        if (a > m_lastJd) {
            outOfRange(EmailType::EffectiveDate);
            return;
        }
        ScheduledEmail &e = add(EmailType::EffectiveDate);
        setSendDate(e, a, year, m_facts.contactId, m_config.effectiveDateDaysBefore, m_t,
                    m_config.catchUpSpreadDays);
        if (alreadyHandled(m_history, e.type, a, year, e.relatedDate))
            skip(e, SkipReason::AlreadySent);
    }

    // Section 5's AEP slot and step 2.
    void addAep()
    {
        const qsizetype aepCount = m_config.aepDates.size();
        if (aepCount == 0)
            return;
        // a list entry that is no date (04-31) is ignored
        auto aepJd = [this](qsizetype i, int year) -> qint64 {
            const MonthDay &md = m_config.aepDates[i];
            const int day = md.month == 2 && md.day == 29 && !Civil::isLeapYear(year) ? 28 : md.day;
            return Civil::isValid(year, md.month, day) ? Civil::jd(year, md.month, day) : -1;
        };
        // the latest date of the list, compared as (month, day) to avoid date arithmetic
        int latestKey = -1;
        qsizetype latestIndex = 0;
        for (qsizetype i = 0; i < aepCount; ++i) {
            const MonthDay &md = m_config.aepDates[i];
            const int key = md.month * 32 + md.day;
            const bool valid = md.month >= 1 && md.month <= 12 && md.day >= 1
                && md.day <= (md.month == 2 ? 29 : Civil::daysInMonth(2001, md.month));
            if (key > latestKey && valid) {
                latestKey = key;
                latestIndex = i;
            }
        }
        const qint64 latest = latestKey < 0 ? -1 : aepJd(latestIndex, m_thisYear);
        const int aepYear = latest >= m_t ? m_thisYear : m_thisYear + 1;
        const qsizetype slot = ((m_facts.contactId % aepCount) + aepCount) % aepCount;
        qint64 chosen = -1;
        qint64 fallback = -1;
        // try order: the slot, then the others in list order
        for (qsizetype step = 0; step < aepCount; ++step) {
            const qsizetype i = step == 0 ? slot : (step <= slot ? step - 1 : step);
            const qint64 d = aepJd(i, aepYear);
            if (d < m_t)
                continue;
            if (fallback < 0)
                fallback = d;
            ExclusionWindow unused;
            if (!m_yearRound && !m_windows.causing(Civil::toDate(d), unused)) {
                chosen = d;
                break;
            }
        }
        if (chosen < 0)
            chosen = fallback; // every date excluded: step 3 skips it at this date
        if (chosen > m_lastJd) {
            outOfRange(EmailType::Aep);
            return;
        }
        if (chosen < 0)
            return;
        ScheduledEmail &e = add(EmailType::Aep);
        e.date = Civil::toDate(chosen);
        e.eventDate = e.date;
        if (aepHandled(m_history, aepYear, e.relatedDate))
            skip(e, SkipReason::AlreadySent);
    }

    // Section 12's candidates: one per live instance whose audience holds the contact, with its
    // date (spread, trigger date, or start) and the catch-up rule; step 2 by instance.
    void addCampaigns()
    {
        if (!m_campaigns || m_campaigns->isEmpty())
            return;
        static const Contact noContact;
        const Contact &contact = m_contact ? *m_contact : noContact;
        const std::span<const EnrolmentRow> enrolments
            = m_activity ? m_activity->enrolments : std::span<const EnrolmentRow>();
        const auto &live = m_campaigns->live();
        for (std::size_t i = 0; i < live.size(); ++i) {
            const LiveCampaign &c = live[i];
            const EnrolmentRow *enrolment = nullptr;
            if (!m_campaigns->inAudience(quint16(i), contact, m_facts, enrolments, &enrolment))
                continue;
            qint64 d = 0;
            qint64 trigger = -1; // case 2's T
            if (c.spreadEvenly) {
                const qint64 start = c.spreadStart.toJulianDay();
                const qint64 n = c.spreadEnd.toJulianDay() - start + 1;
                d = start + ((m_facts.contactId % n) + n) % n;
            } else if (const QDate t = enrolment
                           ? Dates::parseContactDate(TextView::trimmed(enrolment->triggerDate))
                           : QDate();
                       t.isValid()) {
                trigger = t.toJulianDay();
                d = trigger - c.daysBeforeEvent;
            } else {
                d = c.activeStart.isValid() ? c.activeStart.toJulianDay() : m_t;
            }
            bool catchUp = false;
            if (d < m_t) {
                catchUp = true;
                const int spread = m_config.catchUpSpreadDays;
                const quint32 h = campaignHash(m_facts.contactId, c.hashSuffix);
                d = m_t + (spread > 0 ? qint64(h % quint32(spread)) : 0);
                if (trigger >= m_t)
                    d = std::min(d, std::max(m_t, trigger - 1));
            }
            const qint64 event = trigger >= 0 ? trigger : d;
            if (d > m_lastJd || event < m_firstJd || event > m_lastJd) {
                outOfRange(EmailType::Campaign);
                continue;
            }
            ScheduledEmail &e = add(EmailType::Campaign);
            e.campaign = quint16(i);
            e.catchUp = catchUp;
            e.date = Civil::toDate(d);
            e.eventDate = Civil::toDate(event);
            for (const HistoryEntry &h : m_history) {
                if (h.campaignInstanceId == c.instanceId && isActiveStatus(h.status)
                    && TextView::trimmed(h.emailType).compare(c.emailType, Qt::CaseInsensitive) == 0) {
                    skip(e, SkipReason::AlreadySent);
                    e.relatedDate = h.scheduledDate;
                    break;
                }
            }
        }
    }

    // Section 13: one follow-up of the latest sent initial email within the lookback.
    void addFollowup()
    {
        if (!m_activity || !m_campaigns || !m_config.followupsEnabled)
            return;
        const HistoryEntry *initial = nullptr;
        qint64 s = 0;
        for (const HistoryEntry &h : m_history) {
            if (!isSentStatus(h.status) || !isInitialType(h.emailType, *m_campaigns))
                continue;
            const QDate sent = h.actualSendDate.isValid() ? h.actualSendDate : h.scheduledDate;
            if (!sent.isValid())
                continue;
            const qint64 jd = sent.toJulianDay();
            if (!initial || jd > s || (jd == s && h.id > initial->id)) {
                initial = &h;
                s = jd;
            }
        }
        if (!initial || s < m_t - m_config.followupLookbackDays || s > m_t)
            return;
        for (const HistoryEntry &h : m_history) {
            if (QStringView(h.emailType).trimmed().startsWith("followup"_L1, Qt::CaseInsensitive)
                && isActiveStatus(h.status) && h.scheduledDate.isValid()
                && h.scheduledDate.toJulianDay() >= s)
                return;
        }
        FollowupBasis basis;
        basis.initialType = initial->emailType.trimmed();
        basis.initialDate = Civil::toDate(s);
        basis.initialHistoryId = initial->id;
        EmailType type = EmailType::FollowupCold;
        if (const ContactEventRow *answer = latestEligibility(m_activity->events, s)) {
            basis.answeredDate = stampOf(answer->createdAt).date();
            type
                = metadataShows(answer->metadata) ? EmailType::FollowupHqWithYes : EmailType::FollowupHqNoYes;
        } else {
            Stamp latestClick;
            for (const QString &clicked : m_activity->clickDates) {
                const Stamp c = stampOf(clicked);
                if (c.jd >= s && c > latestClick)
                    latestClick = c;
            }
            if (latestClick.jd > 0) {
                basis.clickedDate = latestClick.date();
                type = EmailType::FollowupClickedNoHq;
            }
        }
        const qint64 date = std::max(s + m_config.followupDelayDays, m_t);
        if (date > m_lastJd) {
            outOfRange(type);
            return;
        }
        ScheduledEmail &e = add(type);
        e.date = Civil::toDate(date);
        e.eventDate = basis.initialDate;
        notes().followup = std::move(basis);
    }

    static bool metadataShows(const QString &json) { return Engine::metadataShowsFailedUnderwriting(json); }

    // After step 2 (section 12): failed underwriting skips birthday, effective_date and campaign
    // emails globally when configured, and a type's emails when the type says so.
    void skipFailedUnderwriting()
    {
        if (!m_activity || m_activity->events.empty())
            return;
        bool any = m_config.excludeFailedUnderwritingGlobal;
        if (!any && m_campaigns) {
            for (const ScheduledEmail &e : m_emails) {
                const LiveCampaign *c
                    = e.type == EmailType::Campaign ? m_campaigns->campaign(e.campaign) : nullptr;
                any = any || (c && c->skipFailedUnderwriting);
            }
        }
        const ContactEventRow *answer = latestEligibility(m_activity->events);
        if (!answer || !metadataShows(answer->metadata))
            return;
        const QDate answered = stampOf(answer->createdAt).date();
        ContactNotes &n = notes();
        n.failedUnderwriting = true;
        n.failedUnderwritingDate = answered;
        if (!any)
            return;
        for (ScheduledEmail &e : m_emails) {
            if (e.status != EmailStatus::PreScheduled)
                continue;
            bool applies = false;
            if (e.type == EmailType::Birthday || e.type == EmailType::EffectiveDate)
                applies = m_config.excludeFailedUnderwritingGlobal;
            else if (e.type == EmailType::Campaign) {
                const LiveCampaign *c = m_campaigns ? m_campaigns->campaign(e.campaign) : nullptr;
                applies = m_config.excludeFailedUnderwritingGlobal || (c && c->skipFailedUnderwriting);
            }
            if (applies) {
                skip(e, SkipReason::FailedUnderwriting);
                e.relatedDate = answered;
            }
        }
    }

    bool respectsWindows(const ScheduledEmail &e) const
    {
        if (e.type != EmailType::Campaign || !m_campaigns)
            return true;
        const LiveCampaign *c = m_campaigns->campaign(e.campaign);
        return !c || c->respectExclusionWindows;
    }

    // Step 3: exclusion windows and year-round states, for every candidate still standing.
    void skipExcluded()
    {
        for (ScheduledEmail &e : m_emails) {
            if (e.status == EmailStatus::Skipped || !respectsWindows(e))
                continue;
            if (m_yearRound)
                skip(e, SkipReason::YearRound);
            else if (m_windows.causing(e.date, e.window))
                skip(e, windowReason(m_rule.kind));
        }
    }

    // Step 4 / section 7: one post_window email per distinct causing window of a skipped
    // birthday, effective_date, aep or campaign email (follow-ups never cause one).
    void addPostWindows()
    {
        if (!m_config.postWindowEnabled || m_yearRound)
            return;
        const qsizetype candidates = m_emails.size();
        for (qsizetype i = 0; i < candidates; ++i) {
            const ScheduledEmail skipped = m_emails[i];
            if (!isWindowReason(skipped.reason) || isFollowup(skipped.type))
                continue;
            bool seen = false;
            for (qsizetype j = candidates; j < m_emails.size(); ++j)
                seen = seen || m_emails[j].window.anchor == skipped.window.anchor;
            if (seen)
                continue;
            const qint64 date = std::max(skipped.window.end.toJulianDay() + 1, m_t);
            const qint64 anchor = skipped.window.anchor.toJulianDay();
            if (date > m_lastJd || anchor < m_firstJd || anchor > m_lastJd) {
                outOfRange(EmailType::PostWindow);
                continue;
            }
            ScheduledEmail &e = add(EmailType::PostWindow);
            e.window = skipped.window;
            e.eventDate = skipped.window.anchor;
            e.date = Civil::toDate(date);
            if (postWindowHandled(m_history, e.date)) {
                skip(e, SkipReason::AlreadySent);
                e.relatedDate = e.date;
            }
        }
    }

    // Step 5: a birthday email too close to an effective_date or aep email.
    void skipSpacing()
    {
        if (m_config.birthdaySpacingDays <= 0)
            return;
        for (ScheduledEmail &b : m_emails) {
            if (b.type != EmailType::Birthday || b.status != EmailStatus::PreScheduled)
                continue;
            qint64 nearest = m_config.birthdaySpacingDays;
            const ScheduledEmail *other = nullptr;
            for (const ScheduledEmail &o : m_emails) {
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

    // After step 5 (section 12): of several campaign emails on one date, the lowest priority
    // number (then the lowest instance id) stays.
    void skipCampaignConflicts()
    {
        if (!m_campaigns)
            return;
        for (ScheduledEmail &e : m_emails) {
            if (e.type != EmailType::Campaign || e.status != EmailStatus::PreScheduled)
                continue;
            const LiveCampaign *c = m_campaigns->campaign(e.campaign);
            for (const ScheduledEmail &o : m_emails) {
                if (&o == &e || o.type != EmailType::Campaign || o.status != EmailStatus::PreScheduled
                    || o.date != e.date)
                    continue;
                const LiveCampaign *oc = m_campaigns->campaign(o.campaign);
                const bool beats = oc->priority < c->priority
                    || (oc->priority == c->priority && oc->instanceId < c->instanceId);
                if (beats) {
                    skip(e, SkipReason::CampaignConflict);
                    e.relatedDate = e.date;
                    break;
                }
            }
        }
    }

    // Step 6: in priority order, an email is kept only if every frequency window containing it
    // stays within the limit; follow-ups are exempt and not counted.
    void applyFrequencyLimit()
    {
        QVarLengthArray<int, 16> order;
        for (qsizetype i = 0; i < m_emails.size(); ++i) {
            if (m_emails[i].status == EmailStatus::PreScheduled && !isFollowup(m_emails[i].type))
                order.append(int(i));
        }
        smallSort(order.data(), int(order.size()), [this](int a, int b) {
            const ScheduledEmail &x = m_emails[a];
            const ScheduledEmail &y = m_emails[b];
            const int px = priorityOf(x);
            const int py = priorityOf(y);
            if (px != py)
                return px < py;
            if (x.date != y.date)
                return x.date < y.date;
            return x.sortKey() < y.sortKey();
        });
        QVarLengthArray<qint64, 16> kept;
        for (int index : order) {
            ScheduledEmail &e = m_emails[index];
            const qint64 d = e.date.toJulianDay();
            if (fitsFrequency(d, kept.data(), int(kept.size()), m_history, m_config.frequencyPeriodDays,
                              m_config.frequencyMaxEmails))
                kept.append(d);
            else
                skip(e, SkipReason::FrequencyLimit);
        }
    }

    void finish()
    {
        smallSort(m_emails.data(), int(m_emails.size()),
                  [](const ScheduledEmail &x, const ScheduledEmail &y) {
                      if (x.date != y.date)
                          return x.date < y.date;
                      return x.sortKey() < y.sortKey();
                  });
        m_out.emails.assign(m_emails.begin(), m_emails.end());
        if (m_notes)
            m_out.notes = std::move(m_notes);
    }

    const ContactFacts &m_facts;
    std::span<const HistoryEntry> m_history;
    const Config &m_config;
    ContactSchedule &m_out;
    const Contact *m_contact = nullptr;
    const ContactActivity *m_activity = nullptr;
    const CampaignRun *m_campaigns = nullptr;
    const qint64 m_t;
    const int m_thisYear;
    const StateRule m_stateRule;
    const bool m_yearRound;
    const WindowRule m_rule;
    // candidate dates lie in [today, today + ~13 months]: years today.year-1 .. today.year+3
    const WindowSet m_windows;
    const qint64 m_lastJd;
    const qint64 m_firstJd;
    QVarLengthArray<ScheduledEmail, 12> m_emails;
    std::shared_ptr<ContactNotes> m_notes;
};

// Step 1's setup shared by every overload: the output's identity and limits; false when the
// contact ends at its checks.
bool startSchedule(const ContactFacts &facts, QDate today, const Config &config, ContactSchedule &out)
{
    out.contactId = facts.contactId;
    out.state = facts.state;
    out.problems = facts.problems;
    out.spacingDays = config.birthdaySpacingDays;
    out.frequencyMaxEmails = config.frequencyMaxEmails;
    out.frequencyPeriodDays = config.frequencyPeriodDays;
    return !facts.hasError() && Dates::inRange(today);
}

} // namespace

namespace Engine {

ContactSchedule scheduleContact(const Contact &contact, std::span<const HistoryEntry> history, QDate today,
                                const Config &config, const ZipTable &zips)
{
    return scheduleContact(checkContact(contact, today, zips), history, today, config);
}

ContactSchedule scheduleContact(const ContactFacts &facts, std::span<const HistoryEntry> history, QDate today,
                                const Config &config)
{
    ContactSchedule out;
    if (!startSchedule(facts, today, config, out))
        return out;
    ContactScheduler(facts, history, today, config, out).run();
    return out;
}

ContactSchedule scheduleContact(const Contact &contact, const ContactFacts &facts,
                                std::span<const HistoryEntry> history, const ContactActivity &activity,
                                QDate today, const Config &config, const CampaignRun &campaigns,
                                const SuppressionList &suppressions)
{
    ContactSchedule out;
    if (!startSchedule(facts, today, config, out))
        return out;
    // Step 1: a suppressed contact ends here (SPEC 14), keeping its warnings.
    if (auto suppressed = suppressionOf(contact, activity, suppressions, config)) {
        auto notes = std::make_shared<ContactNotes>();
        notes->suppression = std::move(suppressed);
        out.notes = std::move(notes);
        return out;
    }
    ContactScheduler scheduler(facts, history, today, config, out);
    scheduler.setActivity(&contact, &activity, &campaigns);
    scheduler.run();
    return out;
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
    if (const SuppressionEntry *entry = suppressions.find(contact.email)) {
        SuppressionNote note;
        note.reason = entry->reason.trimmed();
        note.note = entry->note.trimmed();
        note.since = stampOf(entry->createdAt).date();
        note.listed = true;
        return note;
    }
    if (config.suppressBounced) {
        for (const QString &status : activity.sendStatuses) {
            const QStringView s = TextView::trimmed(status);
            if (equalsCi(s, "bounced"_L1) || equalsCi(s, "dropped"_L1)) {
                SuppressionNote note;
                note.reason = u"bounced"_s;
                return note;
            }
        }
    }
    return std::nullopt;
}

bool failedUnderwriting(std::span<const ContactEventRow> events, QDate *answered)
{
    const ContactEventRow *latest = latestEligibility(events);
    if (answered)
        *answered = latest ? stampOf(latest->createdAt).date() : QDate();
    return latest && metadataShowsFailedUnderwriting(latest->metadata);
}

bool metadataShowsFailedUnderwriting(QStringView json)
{
    const QStringView text = TextView::trimmed(json);
    if (text.isEmpty())
        return false;
    const QJsonDocument doc = QJsonDocument::fromJson(text.toUtf8());
    if (!doc.isObject())
        return false;
    const QJsonObject o = doc.object();
    const QJsonValue count = o.value("main_questions_yes_count"_L1);
    return truthy(o.value("has_medical_conditions"_L1)) || (count.isDouble() && count.toDouble() > 0);
}

} // namespace Engine
