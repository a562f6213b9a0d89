#include "explain.h"

#include "datetext.h"

#include <QCoreApplication>
#include <QLocale>

using namespace Qt::StringLiterals;

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("Explain", text);
}

// "Mar 17" / "Mar 17, 2024": English month abbreviations whatever the system locale, because
// the rest of the text is English until a translation exists.
QString shortDate(QDate d, bool withYear)
{
    return QLocale::c().toString(d, withYear ? u"MMM d, yyyy"_s : u"MMM d"_s);
}

// "Mar 17 – Aug 14, 2024" or "Dec 1, 2024 – Jan 30, 2025"
QString dateRange(QDate from, QDate to)
{
    return from.year() == to.year() ? shortDate(from, false) % u" – "_s % shortDate(to, true)
                                    : shortDate(from, true) % u" – "_s % shortDate(to, true);
}

// What an email is about, for people: "birthday", "policy anniversary", ...
QString eventNoun(EmailType type)
{
    switch (type) {
    case EmailType::Birthday:
        return tr("birthday");
    case EmailType::EffectiveDate:
        return tr("policy anniversary");
    case EmailType::Aep:
        return tr("Annual Enrollment Period");
    case EmailType::PostWindow:
        return tr("follow-up");
    case EmailType::Campaign:
        return tr("campaign");
    case EmailType::FollowupCold:
    case EmailType::FollowupClickedNoHq:
    case EmailType::FollowupHqNoYes:
    case EmailType::FollowupHqWithYes:
        return tr("follow-up");
    }
    return QString();
}

QString emailNoun(EmailType type)
{
    switch (type) {
    case EmailType::Birthday:
        return tr("birthday email");
    case EmailType::EffectiveDate:
        return tr("policy anniversary email");
    case EmailType::Aep:
        return tr("Annual Enrollment Period email");
    case EmailType::PostWindow:
        return tr("follow-up email");
    case EmailType::Campaign:
        return tr("campaign email");
    case EmailType::FollowupCold:
    case EmailType::FollowupClickedNoHq:
    case EmailType::FollowupHqNoYes:
    case EmailType::FollowupHqWithYes:
        return tr("follow-up email");
    }
    return QString();
}

QString windowName(const ContactSchedule &schedule, const ExclusionWindow &w)
{
    return Explain::ruleName(schedule.state, w.kind) % u' ' % tr("window");
}

// The post_window email that follows `w`, if the schedule has one.
const ScheduledEmail *followUp(const ContactSchedule &schedule, const ExclusionWindow &w)
{
    for (const ScheduledEmail &e : schedule.emails) {
        if (e.type == EmailType::PostWindow && e.window.anchor == w.anchor)
            return &e;
    }
    return nullptr;
}

QString movedNote(const ScheduledEmail &email)
{
    if (!email.originalDate.isValid() || email.originalDate == email.date)
        return QString();
    return tr(" (moved from %1 to spread the day's sending load)").arg(shortDate(email.originalDate, true));
}

} // namespace

namespace Explain {

QString ruleName(StateCode state, StateRule::Kind kind)
{
    const QString name = stateName(state);
    switch (kind) {
    case StateRule::Kind::Birthday:
        return tr("%1 birthday rule").arg(name);
    case StateRule::Kind::EffectiveDate:
        return tr("%1 policy anniversary rule").arg(name);
    case StateRule::Kind::YearRound:
        return tr("%1 year-round rule").arg(name);
    case StateRule::Kind::None:
        break;
    }
    return tr("%1 (no state rule)").arg(name);
}

QString explainEmail(const ContactSchedule &schedule, const ScheduledEmail &email,
                     const CampaignRun *campaigns)
{
    Q_UNUSED(campaigns);
    if (email.status == EmailStatus::PreScheduled) {
        QString text;
        switch (email.type) {
        case EmailType::Birthday:
        case EmailType::EffectiveDate:
            if (email.catchUp) {
                text = tr("Scheduled — catch-up: the %1 on %2 is too close for the usual lead time, so "
                          "the email goes out on %3")
                           .arg(eventNoun(email.type), shortDate(email.eventDate, true),
                                shortDate(email.date, true));
            } else {
                text = tr("Scheduled — %1 days before the %2 on %3")
                           .arg(email.date.daysTo(email.eventDate))
                           .arg(eventNoun(email.type), shortDate(email.eventDate, true));
            }
            break;
        case EmailType::Aep:
            text = tr("Scheduled — Annual Enrollment Period email for %1").arg(email.eventDate.year());
            break;
        case EmailType::PostWindow:
            text = tr("Scheduled — follow-up the day after the %1 %2 ends (an earlier email was held back)")
                       .arg(windowName(schedule, email.window),
                            dateRange(email.window.start, email.window.end));
            break;
        default:
            text = tr("Scheduled");
            break;
        }
        return text % movedNote(email);
    }

    switch (email.reason) {
    case SkipReason::BirthdayWindow:
    case SkipReason::EffectiveDateWindow: {
        const ScheduledEmail *next = followUp(schedule, email.window);
        QString after;
        if (!next)
            after = tr("no follow-up email");
        else if (next->status == EmailStatus::Skipped)
            after = tr("follow-up email already sent on %1").arg(shortDate(next->date, true));
        else
            after = tr("follow-up email %1")
                        .arg(shortDate(next->date, next->date.year() != email.window.end.year()));
        return tr("Skipped — %1 %2; %3")
            .arg(windowName(schedule, email.window), dateRange(email.window.start, email.window.end), after);
    }
    case SkipReason::YearRound:
        return tr("Skipped — %1 lets people switch plans all year, so no marketing emails are sent there")
            .arg(stateName(schedule.state));
    case SkipReason::AlreadySent:
        if (email.relatedDate.isValid())
            return tr("Skipped — this %1 was already sent or scheduled on %2")
                .arg(emailNoun(email.type), shortDate(email.relatedDate, true));
        return tr("Skipped — this %1 was already sent for %2")
            .arg(emailNoun(email.type))
            .arg(email.eventDate.year());
    case SkipReason::Spacing:
        return tr("Skipped — the %1 on %2 is less than %3 days away, and the agency does not send both so "
                  "close "
                  "together")
            .arg(emailNoun(email.relatedType), shortDate(email.relatedDate, true))
            .arg(schedule.spacingDays);
    case SkipReason::FrequencyLimit:
        return tr("Skipped — the contact would get more than %1 emails within %2 days")
            .arg(schedule.frequencyMaxEmails)
            .arg(schedule.frequencyPeriodDays);
    default:
        break;
    }
    return tr("Skipped");
}

QString detail(const ContactSchedule &schedule, const ScheduledEmail &email, const CampaignRun *campaigns)
{
    Q_UNUSED(campaigns);
    if (email.status == EmailStatus::PreScheduled) {
        QString text;
        if (email.type == EmailType::PostWindow)
            text = tr("after %1 %2 to %3")
                       .arg(windowName(schedule, email.window), DateText::toString(email.window.start),
                            DateText::toString(email.window.end));
        else if (email.catchUp)
            text = tr("catch-up: %1 %2 is near")
                       .arg(eventNoun(email.type), DateText::toString(email.eventDate));
        if (email.originalDate.isValid() && email.originalDate != email.date) {
            const QString moved
                = tr("moved from %1 by load balancing").arg(DateText::toString(email.originalDate));
            text = text.isEmpty() ? moved : text % u"; "_s % moved;
        }
        return text;
    }
    switch (email.reason) {
    case SkipReason::BirthdayWindow:
    case SkipReason::EffectiveDateWindow:
        return tr("%1 %2 to %3")
            .arg(windowName(schedule, email.window), DateText::toString(email.window.start),
                 DateText::toString(email.window.end));
    case SkipReason::YearRound:
        return tr("%1: no marketing emails").arg(ruleName(schedule.state, StateRule::Kind::YearRound));
    case SkipReason::AlreadySent:
        if (email.relatedDate.isValid())
            return tr("already sent %1").arg(DateText::toString(email.relatedDate));
        return tr("already sent for %1").arg(email.eventDate.year());
    case SkipReason::Spacing:
        return tr("within %1 days of the %2 email on %3")
            .arg(schedule.spacingDays)
            .arg(emailTypeName(email.relatedType), DateText::toString(email.relatedDate));
    case SkipReason::FrequencyLimit:
        return tr("frequency limit: %1 emails in %2 days")
            .arg(schedule.frequencyMaxEmails)
            .arg(schedule.frequencyPeriodDays);
    default:
        break;
    }
    return QString();
}

QString suppressionText(const ContactSchedule &schedule)
{
    const SuppressionNote *note = schedule.suppression();
    if (!note)
        return QString();
    return tr("On the do-not-email list — %1").arg(note->reason);
}

QString suppressionDetail(const ContactSchedule &schedule)
{
    const SuppressionNote *note = schedule.suppression();
    return note ? note->reason : QString();
}

} // namespace Explain
