#pragma once

#include "config.h"
#include "contact.h"
#include "schedule.h"

#include <QStringList>

// Compact text forms shared by the engine and explain suites, so one data row reads like the rule
// it checks: configuration tweaks ("lead=30 CA=birthday/30/60"), history rows
// ("BIRTHDAY|sent|2025-05-18|2025") and schedules ("birthday 2025-05-18 skip:birthday_window").
namespace EngineTestUtil {

// Space-separated tweaks on the default Config:
//   aep=MM-DD,MM-DD (empty: no AEP)  lead=N  spacing=N  postwindow=0|1  freq=MAX/DAYS  spread=N
//   XX=none | XX=birthday|effective_date|year_round/BEFORE/AFTER[/lead=N][/maxage=N][/monthstart]
inline Config makeConfig(const QString &tweaks)
{
    Config config;
    const QStringList tokens = tweaks.split(u' ', Qt::SkipEmptyParts);
    for (const QString &token : tokens) {
        const qsizetype eq = token.indexOf(u'=');
        const QString key = token.left(eq);
        const QString value = token.mid(eq + 1);
        if (key == u"aep") {
            config.aepDates.clear();
            for (const QString &md : value.split(u',', Qt::SkipEmptyParts))
                config.aepDates.append({ md.left(2).toInt(), md.mid(3, 2).toInt() });
        } else if (key == u"lead") {
            config.preWindowLeadDays = value.toInt();
        } else if (key == u"spacing") {
            config.birthdaySpacingDays = value.toInt();
        } else if (key == u"postwindow") {
            config.postWindowEnabled = value.toInt() != 0;
        } else if (key == u"freq") {
            config.frequencyMaxEmails = value.section(u'/', 0, 0).toInt();
            config.frequencyPeriodDays = value.section(u'/', 1, 1).toInt();
        } else if (key == u"spread") {
            config.catchUpSpreadDays = value.toInt();
        } else if (key.size() == 2) {
            const StateCode state = StateCode::fromString(key);
            if (value == u"none") {
                config.stateRules.removeRule(state);
                continue;
            }
            const QStringList parts = value.split(u'/');
            StateRule rule;
            rule.kind = parts[0] == u"birthday" ? StateRule::Kind::Birthday
                : parts[0] == u"effective_date" ? StateRule::Kind::EffectiveDate
                                                : StateRule::Kind::YearRound;
            rule.before = parts.value(1).toInt();
            rule.after = parts.value(2).toInt();
            for (const QString &extra : parts.mid(3)) {
                if (extra.startsWith(u"lead="))
                    rule.lead = extra.mid(5).toInt();
                else if (extra.startsWith(u"maxage="))
                    rule.maxAge = extra.mid(7).toInt();
                else if (extra == u"monthstart")
                    rule.monthStart = true;
            }
            config.stateRules.setRule(state, rule);
        }
    }
    return config;
}

// ';'-separated rows "TYPE|status|YYYY-MM-DD|event_year" (date and year may be empty).
inline std::vector<HistoryEntry> makeHistory(const QString &text)
{
    std::vector<HistoryEntry> rows;
    for (const QString &row : text.split(u';', Qt::SkipEmptyParts)) {
        const QStringList f = row.trimmed().split(u'|');
        HistoryEntry h;
        h.emailType = f.value(0);
        h.status = f.value(1);
        h.scheduledDate = QDate::fromString(f.value(2), Qt::ISODate);
        h.eventYear = f.value(3).toInt();
        rows.push_back(h);
    }
    return rows;
}

inline Contact makeContact(qint64 id, const QString &state, const QString &birth, const QString &effective)
{
    Contact c;
    c.id = id;
    c.email = QStringLiteral("someone@example.com");
    c.state = state;
    c.birthDate = birth;
    c.effectiveDate = effective;
    return c;
}

// "birthday 2025-05-18 pre; post_window 2025-08-01 pre catchup; aep 2025-08-18 skip:birthday_window"
inline QString describe(const ContactSchedule &schedule)
{
    QStringList parts;
    for (const ScheduledEmail &e : schedule.emails) {
        QString s = emailTypeName(e.type) + u' ' + e.date.toString(Qt::ISODate) + u' ';
        s += e.status == EmailStatus::PreScheduled
            ? QStringLiteral("pre")
            : QString(QStringLiteral("skip:") + skipReasonCode(e.reason));
        if (e.catchUp)
            s += QStringLiteral(" catchup");
        parts << s;
    }
    return parts.join(QStringLiteral("; "));
}

} // namespace EngineTestUtil
