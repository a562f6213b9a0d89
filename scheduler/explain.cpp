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

// A campaign for people: the instance's name, else its type's name in words.
QString campaignName(const LiveCampaign *c)
{
    if (!c)
        return tr("Campaign email");
    const QString name = c->instanceName.trimmed();
    if (!name.isEmpty())
        return name;
    QString words = c->typeName;
    words.replace(u'_', u' ');
    if (!words.isEmpty())
        words[0] = words[0].toUpper();
    return words;
}

const LiveCampaign *campaignOf(const ScheduledEmail &email, const CampaignRun *campaigns)
{
    return campaigns && email.type == EmailType::Campaign ? campaigns->campaign(email.campaign) : nullptr;
}

// The initial email of a follow-up in words: "birthday email", "Rate increase notice email".
QString initialNoun(const FollowupBasis &basis, const CampaignRun *campaigns)
{
    const std::optional<EmailType> type = emailTypeFromName(basis.initialType);
    if (type == EmailType::Campaign) {
        const QStringView name = QStringView(basis.initialType).sliced(9);
        if (campaigns) {
            for (const LiveCampaign &c : campaigns->live()) {
                if (name.compare(c.typeName, Qt::CaseInsensitive) == 0)
                    return campaignName(&c) % u' ' % tr("email");
            }
        }
        return name.toString().replace(u'_', u' ') % u' ' % tr("campaign email");
    }
    if (type == EmailType::PostWindow)
        return tr("follow-up email");
    return type ? emailNoun(*type) : tr("email");
}

// "Follow-up — clicked the May 20 birthday email, no health answers"
QString followupText(const ContactSchedule &schedule, const ScheduledEmail &email,
                     const CampaignRun *campaigns)
{
    const FollowupBasis *basis = schedule.followup();
    if (!basis)
        return tr("Follow-up");
    const QString initial = shortDate(basis->initialDate, false) % u' ' % initialNoun(*basis, campaigns);
    switch (email.type) {
    case EmailType::FollowupClickedNoHq:
        return tr("Follow-up — clicked the %1, no health answers").arg(initial);
    case EmailType::FollowupHqNoYes:
        return tr("Follow-up — answered the health questions after the %1, no \"yes\"").arg(initial);
    case EmailType::FollowupHqWithYes:
        return tr("Follow-up — answered \"yes\" to a health question after the %1").arg(initial);
    default:
        return tr("Follow-up — no response to the %1").arg(initial);
    }
}

QString campaignText(const ScheduledEmail &email, const CampaignRun *campaigns)
{
    const LiveCampaign *c = campaignOf(email, campaigns);
    const QString name = campaignName(c);
    const bool triggered
        = c && !c->spreadEvenly && email.eventDate.isValid() && email.eventDate != email.date;
    if (triggered && email.catchUp)
        return tr("%1 — catch-up: the contact's date on %2 is too close for %3 days' notice, so the email "
                  "goes "
                  "out on %4")
            .arg(name, shortDate(email.eventDate, true))
            .arg(c->daysBeforeEvent)
            .arg(shortDate(email.date, true));
    if (triggered)
        return tr("%1 — %2 days before the contact's date on %3")
            .arg(name)
            .arg(email.date.daysTo(email.eventDate))
            .arg(shortDate(email.eventDate, true));
    if (c && c->spreadEvenly)
        return tr("%1 — spread over %2").arg(name, dateRange(c->spreadStart, c->spreadEnd));
    if (email.catchUp)
        return tr("%1 — the campaign has started; catch-up on %2").arg(name, shortDate(email.date, true));
    return tr("%1 — campaign email on %2").arg(name, shortDate(email.date, true));
}

// The campaign kept on the date of a campaign_conflict skip.
const ScheduledEmail *conflictWinner(const ContactSchedule &schedule, const ScheduledEmail &email)
{
    for (const ScheduledEmail &e : schedule.emails) {
        if (&e != &email && e.type == EmailType::Campaign && e.status == EmailStatus::PreScheduled
            && e.date == email.date)
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
    if (email.status == EmailStatus::PreScheduled) {
        QString text;
        switch (email.type) {
        case EmailType::Campaign:
            text = tr("Scheduled — %1").arg(campaignText(email, campaigns));
            break;
        case EmailType::FollowupCold:
        case EmailType::FollowupClickedNoHq:
        case EmailType::FollowupHqNoYes:
        case EmailType::FollowupHqWithYes:
            text = tr("Scheduled — %1").arg(followupText(schedule, email, campaigns));
            break;
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
    case SkipReason::FailedUnderwriting:
        if (email.relatedDate.isValid())
            return tr("Skipped — failed underwriting (answered \"yes\" to health questions on %1)")
                .arg(shortDate(email.relatedDate, true));
        return tr("Skipped — failed underwriting (answered \"yes\" to health questions)");
    case SkipReason::CampaignConflict: {
        const ScheduledEmail *kept = conflictWinner(schedule, email);
        return tr("Skipped — another campaign (%1) is sent that day")
            .arg(kept ? campaignName(campaignOf(*kept, campaigns)) : tr("a campaign of higher priority"));
    }
    case SkipReason::None:
        break;
    }
    return tr("Skipped");
}

QString detail(const ContactSchedule &schedule, const ScheduledEmail &email, const CampaignRun *campaigns)
{
    if (email.status == EmailStatus::PreScheduled) {
        QString text;
        if (email.type == EmailType::Campaign) {
            const LiveCampaign *c = campaignOf(email, campaigns);
            text = c ? tr("campaign instance %1").arg(c->instanceId) : QString();
            if (email.catchUp) {
                const QString note = tr("catch-up");
                text = text.isEmpty() ? note : text % u"; "_s % note;
            }
        } else if (isFollowup(email.type)) {
            if (const FollowupBasis *basis = schedule.followup())
                text = tr("after the %1 email of %2")
                           .arg(basis->initialType, DateText::toString(basis->initialDate));
        } else if (email.type == EmailType::PostWindow)
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
    case SkipReason::FailedUnderwriting:
        if (email.relatedDate.isValid())
            return tr("answered yes to health questions on %1").arg(DateText::toString(email.relatedDate));
        return tr("answered yes to health questions");
    case SkipReason::CampaignConflict: {
        const ScheduledEmail *kept = conflictWinner(schedule, email);
        const LiveCampaign *c = kept ? campaignOf(*kept, campaigns) : nullptr;
        if (c)
            return tr("%1 (instance %2) is sent on %3")
                .arg(c->emailType)
                .arg(c->instanceId)
                .arg(DateText::toString(email.date));
        return tr("another campaign is sent on %1").arg(DateText::toString(email.date));
    }
    case SkipReason::None:
        break;
    }
    return QString();
}

QString suppressionText(const ContactSchedule &schedule)
{
    const SuppressionNote *note = schedule.suppression();
    if (!note)
        return QString();
    if (!note->listed)
        return tr("Not emailed — an earlier email to this address bounced");
    const QString reason = QString(note->reason).replace(u'_', u' ');
    QString text = note->since.isValid()
        ? tr("On the do-not-email list since %1 — %2")
              .arg(QLocale::c().toString(note->since.toQDate(), u"d MMM yyyy"_s), reason)
        : tr("On the do-not-email list — %1").arg(reason);
    if (!note->note.isEmpty())
        text = text % u" ("_s % note->note % u')';
    return text;
}

QString suppressionDetail(const ContactSchedule &schedule)
{
    const SuppressionNote *note = schedule.suppression();
    if (!note)
        return QString();
    return note->note.isEmpty() ? note->reason : note->reason % u": "_s % note->note;
}

} // namespace Explain
