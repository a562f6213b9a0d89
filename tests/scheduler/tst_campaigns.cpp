#include "campaignrun.h"
#include "engine.h"
#include "enginetestutil.h"
#include "explain.h"
#include "loadbalancer.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace EngineTestUtil;

// SPEC v2 sections 6-8 and 12-14 (campaigns, failed underwriting, follow-ups, the do-not-email
// list, pinned emails), one data row per rule. Every expected date is worked out by hand in the
// row's comment; catch-up offsets are fnv1a32("<id>-campaign_<name>-<instance>") mod 7, computed
// with Python: 7-campaign_blast-1 -> 2, 7-campaign_rate_increase-2 -> 5,
// 10-campaign_rate_increase-2 -> 0.
//
// Unless a row says otherwise: today 2025-06-01, no AEP, contact 7 in TX (no state rule) with
// no birth or effective date, so the campaign and follow-up emails stand alone.
namespace {

// ';'-separated rows:
//   type|NAME|PRIORITY|DAYS_BEFORE|FLAGS   flags: a all contacts, x ignore windows, f follow-ups,
//                                          s spread evenly, u skip failed underwriting, i inactive
//   inst|ID|TYPE|START|END|SPREAD_START|SPREAD_END|STATES|CARRIERS|NAME
CampaignCatalog makeCatalog(const QString &text)
{
    CampaignCatalog catalog;
    for (const QString &row : text.split(u';', Qt::SkipEmptyParts)) {
        const QStringList f = row.trimmed().split(u'|');
        if (f[0] == u"type") {
            CampaignTypeRow t;
            t.id = qint64(catalog.types.size() + 1);
            t.name = f.value(1);
            t.priority = f.value(2, u"30"_s).toInt();
            t.daysBeforeEvent = f.value(3, u"30"_s).toInt();
            const QString flags = f.value(4);
            t.targetAllContacts = flags.contains(u'a');
            t.respectExclusionWindows = !flags.contains(u'x');
            t.enableFollowups = flags.contains(u'f');
            t.spreadEvenly = flags.contains(u's');
            t.skipFailedUnderwriting = flags.contains(u'u');
            t.active = !flags.contains(u'i');
            catalog.types.push_back(t);
        } else {
            CampaignInstanceRow i;
            i.id = f.value(1).toLongLong();
            i.campaignType = f.value(2);
            i.activeStartDate = f.value(3);
            i.activeEndDate = f.value(4);
            i.spreadStartDate = f.value(5);
            i.spreadEndDate = f.value(6);
            i.targetStates = f.value(7);
            i.targetCarriers = f.value(8);
            i.instanceName = f.value(9, u"Instance %1"_s.arg(i.id));
            catalog.instances.push_back(i);
        }
    }
    return catalog;
}

// The contact's activity, ';'-separated:
//   enrol|ID|INSTANCE|TRIGGER|STATUS   event|ID|CREATED_AT|METADATA (eligibility_answered)
//   click|CLICKED_AT                   send|SEND_STATUS
struct Activity
{
    std::vector<EnrolmentRow> enrolments;
    std::vector<ContactEventRow> events;
    std::vector<QString> clicks;
    std::vector<QString> sends;

    ContactActivity view() const { return ContactActivity { enrolments, events, clicks, sends }; }
};

Activity makeActivity(const QString &text)
{
    Activity a;
    for (const QString &row : text.split(u';', Qt::SkipEmptyParts)) {
        const QStringList f = row.trimmed().split(u'|');
        if (f[0] == u"enrol")
            a.enrolments.push_back(
                { f.value(1).toLongLong(), f.value(2).toLongLong(), f.value(3), f.value(4, u"pending"_s) });
        else if (f[0] == u"event")
            a.events.push_back(
                { f.value(1).toLongLong(), u"eligibility_answered"_s, f.value(2), f.value(3) });
        else if (f[0] == u"click")
            a.clicks.push_back(f.value(1));
        else if (f[0] == u"send")
            a.sends.push_back(f.value(1));
    }
    return a;
}

// ';'-separated "TYPE|status|scheduled|event_year|instance|actual_send|id".
std::vector<HistoryEntry> makeRichHistory(const QString &text)
{
    std::vector<HistoryEntry> rows;
    for (const QString &row : text.split(u';', Qt::SkipEmptyParts)) {
        const QStringList f = row.trimmed().split(u'|');
        HistoryEntry h;
        h.emailType = f.value(0);
        h.status = f.value(1);
        h.scheduledDate = QDate::fromString(f.value(2), Qt::ISODate);
        h.eventYear = f.value(3).toInt();
        h.campaignInstanceId = f.value(4).toLongLong();
        h.actualSendDate = QDate::fromString(f.value(5), Qt::ISODate);
        h.id = f.value(6).toLongLong();
        rows.push_back(h);
    }
    return rows;
}

// Tweaks of makeConfig plus: fug=1 (exclude_failed_underwriting_global), followups=0,
// bounced=0, delay=N, lookback=N, prio:campaign_<name>=N.
Config makeRunConfig(const QString &tweaks)
{
    QStringList rest;
    Config extra;
    for (const QString &token : tweaks.split(u' ', Qt::SkipEmptyParts)) {
        if (token == u"fug=1")
            extra.excludeFailedUnderwritingGlobal = true;
        else if (token == u"followups=0")
            extra.followupsEnabled = false;
        else if (token == u"bounced=0")
            extra.suppressBounced = false;
        else if (token.startsWith(u"delay="))
            extra.followupDelayDays = token.mid(6).toInt();
        else if (token.startsWith(u"lookback="))
            extra.followupLookbackDays = token.mid(9).toInt();
        else if (token.startsWith(u"prio:"))
            extra.campaignPriorities.insert(token.mid(5).section(u'=', 0, 0), token.section(u'=', 1).toInt());
        else
            rest << token;
    }
    Config config = makeConfig(rest.join(u' '));
    config.excludeFailedUnderwritingGlobal = extra.excludeFailedUnderwritingGlobal;
    config.followupsEnabled = extra.followupsEnabled;
    config.suppressBounced = extra.suppressBounced;
    config.followupDelayDays = extra.followupDelayDays;
    config.followupLookbackDays = extra.followupLookbackDays;
    config.campaignPriorities = extra.campaignPriorities;
    return config;
}

// describe() with the written campaign names.
QString describeRun(const ContactSchedule &schedule, const CampaignRun &run)
{
    QStringList parts;
    for (const ScheduledEmail &e : schedule.emails) {
        QString s = run.emailTypeName(e) + u' ' + e.date.toString(Qt::ISODate) + u' ';
        s += e.status == EmailStatus::PreScheduled ? u"pre"_s
                                                   : QString(u"skip:"_s + skipReasonCode(e.reason));
        if (e.catchUp)
            s += u" catchup"_s;
        parts << s;
    }
    if (const SuppressionNote *n = schedule.suppression())
        parts << u"suppressed:"_s + n->reason;
    return parts.join(u"; "_s);
}

} // namespace

class TestCampaigns : public QObject
{
    Q_OBJECT

private slots:
    void live_data();
    void live();
    void schedule_data();
    void schedule();
    void followups_data();
    void followups();
    void suppression_data();
    void suppression();
    void failedUnderwritingMetadata_data();
    void failedUnderwritingMetadata();
    void withoutCampaignsNothingChanges();
    void pinnedEmailsInLoadBalancing_data();
    void pinnedEmailsInLoadBalancing();
    void configKeys_data();
    void configKeys();
    void sortKeyFollowsWrittenNames();
    void explanations();
};

void TestCampaigns::live_data()
{
    QTest::addColumn<QString>("catalog");
    QTest::addColumn<QString>("liveIds");    // ascending instance ids
    QTest::addColumn<QString>("warningIds"); // campaign_invalid, ascending

    const QString type = u"type|blast|30|30|a;"_s;
    QTest::newRow("open bounds") << type + u"inst|1|blast||"_s << u"1"_s << QString();
    QTest::newRow("start is today") << type + u"inst|1|blast|2025-06-01|"_s << u"1"_s << QString();
    QTest::newRow("start tomorrow") << type + u"inst|1|blast|2025-06-02|"_s << QString() << QString();
    QTest::newRow("end is today") << type + u"inst|1|blast||2025-06-01"_s << u"1"_s << QString();
    QTest::newRow("end yesterday") << type + u"inst|1|blast||2025-05-31"_s << QString() << QString();
    QTest::newRow("bounds in M/D/YYYY and MMDDYYYY")
        << type + u"inst|1|blast|5/1/2025|06302025"_s << u"1"_s << QString();
    QTest::newRow("unreadable start") << type + u"inst|1|blast|2025-13-01|"_s << QString() << u"1"_s;
    QTest::newRow("unreadable end") << type + u"inst|1|blast||soon"_s << QString() << u"1"_s;
    QTest::newRow("unreadable spread date") << type + u"inst|1|blast|||2025-02-30|"_s << QString() << u"1"_s;
    QTest::newRow("missing type") << type + u"inst|1|nothing||"_s << QString() << u"1"_s;
    QTest::newRow("inactive type: not live, no warning")
        << u"type|blast|30|30|ai;inst|1|blast||"_s << QString() << QString();
    QTest::newRow("reserved name birthday")
        << u"type|birthday|30|30|a;inst|1|birthday||"_s << QString() << u"1"_s;
    QTest::newRow("reserved prefix post_window")
        << u"type|post_window_x|30|30|a;inst|1|post_window_x||"_s << QString() << u"1"_s;
    QTest::newRow("reserved prefix followup")
        << u"type|followup_extra|30|30|a;inst|1|followup_extra||"_s << QString() << u"1"_s;
    QTest::newRow("upper case name") << u"type|Blast|30|30|a;inst|1|Blast||"_s << QString() << u"1"_s;
    QTest::newRow("one of each") << type
            + u"inst|3|blast||;inst|1|gone||;inst|2|blast|2026-01-01|;inst|4|blast|x|"_s
                                 << u"3"_s << u"1,4"_s;
}

void TestCampaigns::live()
{
    QFETCH(QString, catalog);
    QFETCH(QString, liveIds);
    QFETCH(QString, warningIds);
    const CampaignRun run(makeCatalog(catalog), Config(), QDate(2025, 6, 1));
    QStringList live;
    for (const LiveCampaign &c : run.live())
        live << QString::number(c.instanceId);
    QStringList warned;
    for (const RunWarning &w : run.warnings()) {
        QCOMPARE(w.code, u"campaign_invalid"_s);
        QVERIFY2(w.message.contains(QString::number(w.instanceId)) && w.message.contains(w.name),
                 qPrintable(w.message));
        warned << QString::number(w.instanceId);
    }
    QCOMPARE(live.join(u','), liveIds);
    QCOMPARE(warned.join(u','), warningIds);
}

void TestCampaigns::schedule_data()
{
    QTest::addColumn<qint64>("id");
    QTest::addColumn<QString>("state");
    QTest::addColumn<QString>("birth");
    QTest::addColumn<QString>("carrier");
    QTest::addColumn<QString>("config");
    QTest::addColumn<QString>("catalog");
    QTest::addColumn<QString>("activity");
    QTest::addColumn<QString>("history");
    QTest::addColumn<QString>("expected");

    const QString noAep = u"aep="_s;
    const QString blast = u"type|blast|30|30|a;inst|1|blast|2025-06-01|"_s;
    const QString rate = u"type|rate_increase|30|30|;inst|2|rate_increase||"_s;

    // --- audience and the three date cases -----------------------------------------------------
    // case 3: D = active_start_date 2025-06-01 (a live instance starts on or before today)
    QTest::newRow("all contacts, start date")
        << qint64(7) << u"TX"_s << QString() << QString() << noAep << blast << QString() << QString()
        << u"campaign_blast 2025-06-01 pre"_s;
    // case 3 without a start: D = today
    QTest::newRow("all contacts, open start is today")
        << qint64(7) << u"TX"_s << QString() << QString() << noAep << u"type|blast|30|30|a;inst|1|blast||"_s
        << QString() << QString() << u"campaign_blast 2025-06-01 pre"_s;
    // start 05-01 < today: catch-up today + 2 (hash of "7-campaign_blast-1" mod 7) = 06-03
    QTest::newRow("all contacts, start in the past is a catch-up")
        << qint64(7) << u"TX"_s << QString() << QString() << noAep
        << u"type|blast|30|30|a;inst|1|blast|2025-05-01|"_s << QString() << QString()
        << u"campaign_blast 2025-06-03 pre catchup"_s;
    // spread 06-10..06-23 is 14 days; 7 mod 14 = 7 -> 06-17
    QTest::newRow("spread evenly, id 7")
        << qint64(7) << u"TX"_s << QString() << QString() << noAep
        << u"type|blast|30|30|as;inst|1|blast|2025-06-01||2025-06-10|2025-06-23"_s << QString() << QString()
        << u"campaign_blast 2025-06-17 pre"_s;
    // 20 mod 14 = 6 -> 06-16
    QTest::newRow("spread evenly, id 20")
        << qint64(20) << u"TX"_s << QString() << QString() << noAep
        << u"type|blast|30|30|as;inst|1|blast|2025-06-01||2025-06-10|2025-06-23"_s << QString() << QString()
        << u"campaign_blast 2025-06-16 pre"_s;
    // spread end before start: case 3, the start date 06-01
    QTest::newRow("spread with end before start uses the start date")
        << qint64(7) << u"TX"_s << QString() << QString() << noAep
        << u"type|blast|30|30|as;inst|1|blast|2025-06-01||2025-06-23|2025-06-10"_s << QString() << QString()
        << u"campaign_blast 2025-06-01 pre"_s;
    // spread_evenly = 0: spread dates ignored
    QTest::newRow("spread dates without spread_evenly")
        << qint64(7) << u"TX"_s << QString() << QString() << noAep
        << u"type|blast|30|30|a;inst|1|blast|2025-06-01||2025-06-10|2025-06-23"_s << QString() << QString()
        << u"campaign_blast 2025-06-01 pre"_s;
    // case 2: T 2025-08-01 - 30 days = 07-02
    QTest::newRow("enrolled, trigger date")
        << qint64(7) << u"TX"_s << QString() << QString() << noAep << rate << u"enrol|1|2|2025-08-01"_s
        << QString() << u"campaign_rate_increase 2025-07-02 pre"_s;
    QTest::newRow("enrolled, trigger in M/D/YYYY")
        << qint64(7) << u"TX"_s << QString() << QString() << noAep << rate << u"enrol|1|2|8/1/2025"_s
        << QString() << u"campaign_rate_increase 2025-07-02 pre"_s;
    // T 06-05 - 30 = 05-06 < today: today + 5 = 06-06, capped at max(today, T-1) = 06-04
    QTest::newRow("catch-up capped the day before the trigger")
        << qint64(7) << u"TX"_s << QString() << QString() << noAep << rate << u"enrol|1|2|2025-06-05"_s
        << QString() << u"campaign_rate_increase 2025-06-04 pre catchup"_s;
    // id 10: offset 0 -> 06-01, below the cap 06-04
    QTest::newRow("catch-up below the cap")
        << qint64(10) << u"TX"_s << QString() << QString() << noAep << rate << u"enrol|1|2|2025-06-05"_s
        << QString() << u"campaign_rate_increase 2025-06-01 pre catchup"_s;
    // T 05-20 < today: no cap, today + 5 = 06-06
    QTest::newRow("catch-up with a past trigger is not capped")
        << qint64(7) << u"TX"_s << QString() << QString() << noAep << rate << u"enrol|1|2|2025-05-20"_s
        << QString() << u"campaign_rate_increase 2025-06-06 pre catchup"_s;
    // unreadable trigger: case 3, no start -> today
    QTest::newRow("enrolled, unreadable trigger uses today")
        << qint64(7) << u"TX"_s << QString() << QString() << noAep << rate << u"enrol|1|2|someday"_s
        << QString() << u"campaign_rate_increase 2025-06-01 pre"_s;
    QTest::newRow("not enrolled") << qint64(7) << u"TX"_s << QString() << QString() << noAep << rate
                                  << QString() << QString() << QString();
    QTest::newRow("enrolled in another instance")
        << qint64(7) << u"TX"_s << QString() << QString() << noAep << rate << u"enrol|1|9|2025-08-01"_s
        << QString() << QString();
    QTest::newRow("only a cancelled enrolment (any case)")
        << qint64(7) << u"TX"_s << QString() << QString() << noAep << rate
        << u"enrol|1|2|2025-08-01|Cancelled"_s << QString() << QString();
    // rows 5 (T 08-01) and 3 (T 09-01): the lowest id counts: 09-01 - 30 = 08-02
    QTest::newRow("duplicate enrolments: lowest id counts")
        << qint64(7) << u"TX"_s << QString() << QString() << noAep << rate
        << u"enrol|5|2|2025-08-01;enrol|3|2|2025-09-01"_s << QString()
        << u"campaign_rate_increase 2025-08-02 pre"_s;
    // row 1 is cancelled; row 4 (T 08-01) counts -> 07-02
    QTest::newRow("cancelled lowest row is skipped")
        << qint64(7) << u"TX"_s << QString() << QString() << noAep << rate
        << u"enrol|1|2|2025-07-01|cancelled;enrol|4|2|2025-08-01"_s << QString()
        << u"campaign_rate_increase 2025-07-02 pre"_s;
    // target_all_contacts ignores the enrolment's trigger: start 06-01
    QTest::newRow("all contacts ignores enrolments")
        << qint64(7) << u"TX"_s << QString() << QString() << noAep << blast << u"enrol|1|1|2025-08-01"_s
        << QString() << u"campaign_blast 2025-06-01 pre"_s;
    // --- targeting -----------------------------------------------------------------------------
    QTest::newRow("states list includes TX") << qint64(7) << u"TX"_s << QString() << QString() << noAep
                                             << u"type|blast|30|30|a;inst|1|blast|2025-06-01||||CA, tx"_s
                                             << QString() << QString() << u"campaign_blast 2025-06-01 pre"_s;
    QTest::newRow("states list without TX")
        << qint64(7) << u"TX"_s << QString() << QString() << noAep
        << u"type|blast|30|30|a;inst|1|blast|2025-06-01||||CA NY,FL"_s << QString() << QString() << QString();
    QTest::newRow("states ALL") << qint64(7) << u"TX"_s << QString() << QString() << noAep
                                << u"type|blast|30|30|a;inst|1|blast|2025-06-01||||all"_s << QString()
                                << QString() << u"campaign_blast 2025-06-01 pre"_s;
    QTest::newRow("carriers include the contact's (trimmed, any case)")
        << qint64(7) << u"TX"_s << QString() << u" aetna "_s << noAep
        << u"type|blast|30|30|a;inst|1|blast|2025-06-01|||||Humana, AETNA"_s << QString() << QString()
        << u"campaign_blast 2025-06-01 pre"_s;
    QTest::newRow("carriers without the contact's")
        << qint64(7) << u"TX"_s << QString() << u"Aetna"_s << noAep
        << u"type|blast|30|30|a;inst|1|blast|2025-06-01|||||Humana"_s << QString() << QString() << QString();
    QTest::newRow("carriers ALL") << qint64(7) << u"TX"_s << QString() << u"Aetna"_s << noAep
                                  << u"type|blast|30|30|a;inst|1|blast|2025-06-01|||||ALL"_s << QString()
                                  << QString() << u"campaign_blast 2025-06-01 pre"_s;
    // --- already sent by instance --------------------------------------------------------------
    QTest::newRow("already sent for this instance")
        << qint64(7) << u"TX"_s << QString() << QString() << noAep << blast << QString()
        << u"CAMPAIGN_BLAST|sent|2025-05-01||1"_s << u"campaign_blast 2025-06-01 skip:already_sent"_s;
    QTest::newRow("sent for another instance of the type")
        << qint64(7) << u"TX"_s << QString() << QString() << noAep << blast << QString()
        << u"campaign_blast|sent|2025-05-01||5"_s << u"campaign_blast 2025-06-01 pre"_s;
    QTest::newRow("cancelled history row does not count")
        << qint64(7) << u"TX"_s << QString() << QString() << noAep << blast << QString()
        << u"campaign_blast|cancelled|2025-05-01||1"_s << u"campaign_blast 2025-06-01 pre"_s;
    // --- failed underwriting -------------------------------------------------------------------
    const QString failed = u"event|1|2025-05-01 10:00:00|{\"has_medical_conditions\": true}"_s;
    QTest::newRow("type skips failed underwriting")
        << qint64(7) << u"TX"_s << QString() << QString() << noAep
        << u"type|blast|30|30|au;inst|1|blast|2025-06-01|"_s << failed << QString()
        << u"campaign_blast 2025-06-01 skip:failed_underwriting"_s;
    QTest::newRow("type without the flag goes on")
        << qint64(7) << u"TX"_s << QString() << QString() << noAep << blast << failed << QString()
        << u"campaign_blast 2025-06-01 pre"_s;
    // the later answer (05-02) has no yes: not failed
    QTest::newRow("latest answer decides")
        << qint64(7) << u"TX"_s << QString() << QString() << noAep
        << u"type|blast|30|30|au;inst|1|blast|2025-06-01|"_s
        << failed + u";event|2|2025-05-02|{\"has_medical_conditions\": false}"_s << QString()
        << u"campaign_blast 2025-06-01 pre"_s;
    // same created_at: the higher id (3, failed) decides
    QTest::newRow("same created_at: highest id decides")
        << qint64(7) << u"TX"_s << QString() << QString() << noAep
        << u"type|blast|30|30|au;inst|1|blast|2025-06-01|"_s
        << u"event|3|2025-05-01 10:00:00|{\"main_questions_yes_count\": 1};event|2|2025-05-01 "
           u"10:00:00|{}"_s
        << QString() << u"campaign_blast 2025-06-01 skip:failed_underwriting"_s;
    // global: birthday (TX, A 2025-07-15, send 07-01) and campaign skipped; the one AEP date
    // 2025-08-25 stays
    QTest::newRow("global failed underwriting: AEP untouched")
        << qint64(7) << u"TX"_s << u"1950-07-15"_s << QString() << u"aep=08-25 fug=1"_s << blast << failed
        << QString()
        << u"campaign_blast 2025-06-01 skip:failed_underwriting; birthday 2025-07-01 "
           u"skip:failed_underwriting; "
           u"aep 2025-08-25 pre"_s;
    // --- exclusion -----------------------------------------------------------------------------
    // CA birth 1950-07-15: E_2025 = [07-15 - 30 - 60 = 04-16, 07-15 + 60 = 09-13]; campaign 06-01
    // inside; birthday 07-01 inside; one post_window 09-14
    QTest::newRow("campaign excluded by a CA window")
        << qint64(7) << u"CA"_s << u"1950-07-15"_s << QString() << noAep << blast << QString() << QString()
        << u"campaign_blast 2025-06-01 skip:birthday_window; birthday 2025-07-01 skip:birthday_window; "
           u"post_window 2025-09-14 pre"_s;
    // respect_exclusion_windows = 0: the campaign goes out in the window
    QTest::newRow("campaign ignoring windows")
        << qint64(7) << u"CA"_s << u"1950-07-15"_s << QString() << noAep
        << u"type|blast|30|30|ax;inst|1|blast|2025-06-01|"_s << QString() << QString()
        << u"campaign_blast 2025-06-01 pre; birthday 2025-07-01 skip:birthday_window; post_window 2025-09-14 pre"_s;
    QTest::newRow("year-round state skips the campaign")
        << qint64(7) << u"NY"_s << QString() << QString() << noAep << blast << QString() << QString()
        << u"campaign_blast 2025-06-01 skip:year_round"_s;
    QTest::newRow("year-round state, campaign ignoring windows")
        << qint64(7) << u"NY"_s << QString() << QString() << noAep
        << u"type|blast|30|30|ax;inst|1|blast|2025-06-01|"_s << QString() << QString()
        << u"campaign_blast 2025-06-01 pre"_s;
    // the birthday is already sent (event_year 2025), so only the campaign causes the post_window
    QTest::newRow("post_window caused by a campaign alone")
        << qint64(7) << u"CA"_s << u"1950-07-15"_s << QString() << noAep << blast << QString()
        << u"birthday|sent|2025-07-01|2025"_s
        << u"campaign_blast 2025-06-01 skip:birthday_window; birthday 2025-07-01 skip:already_sent; "
           u"post_window 2025-09-14 pre"_s;
    // failed underwriting skips before exclusion: neither email causes a post_window
    QTest::newRow("failed underwriting causes no post_window")
        << qint64(7) << u"CA"_s << u"1950-07-15"_s << QString() << u"aep= fug=1"_s << blast << failed
        << QString()
        << u"campaign_blast 2025-06-01 skip:failed_underwriting; birthday 2025-07-01 skip:failed_underwriting"_s;
    // --- campaign conflicts --------------------------------------------------------------------
    const QString two
        = u"type|blast|30|30|a;type|news|20|30|a;inst|1|blast|2025-06-01|;inst|2|news|2025-06-01|"_s;
    QTest::newRow("conflict: lower priority number stays")
        << qint64(7) << u"TX"_s << QString() << QString() << noAep << two << QString() << QString()
        << u"campaign_blast 2025-06-01 skip:campaign_conflict; campaign_news 2025-06-01 pre"_s;
    QTest::newRow("conflict: configured priority wins over the type's")
        << qint64(7) << u"TX"_s << QString() << QString() << u"aep= prio:campaign_blast=5"_s << two
        << QString() << QString()
        << u"campaign_blast 2025-06-01 pre; campaign_news 2025-06-01 skip:campaign_conflict"_s;
    QTest::newRow("conflict: equal priority, lower instance id stays")
        << qint64(7) << u"TX"_s << QString() << QString() << noAep
        << u"type|blast|30|30|a;inst|4|blast|2025-06-01|;inst|3|blast|2025-06-01|"_s << QString() << QString()
        << u"campaign_blast 2025-06-01 pre; campaign_blast 2025-06-01 skip:campaign_conflict"_s;
    QTest::newRow("different dates do not conflict")
        << qint64(7) << u"TX"_s << QString() << QString() << noAep
        << u"type|blast|30|30|a;type|news|20|30|as;inst|1|blast|2025-06-01|;inst|2|news|2025-06-01||2025-06-11|2025-06-11"_s
        << QString() << QString() << u"campaign_blast 2025-06-01 pre; campaign_news 2025-06-11 pre"_s;
    // --- frequency limit -----------------------------------------------------------------------
    // at most 1 email in 30 days: the campaign (priority 5) on 06-01 is kept before the birthday
    // (30; A 06-25, send 06-11), 10 days later
    QTest::newRow("frequency: campaign priority 5 beats the birthday")
        << qint64(7) << u"TX"_s << u"1950-06-25"_s << QString() << u"aep= freq=1/30"_s
        << u"type|blast|5|30|a;inst|1|blast|2025-06-01|"_s << QString() << QString()
        << u"campaign_blast 2025-06-01 pre; birthday 2025-06-11 skip:frequency_limit"_s;
    QTest::newRow("frequency: campaign priority 40 loses to the birthday")
        << qint64(7) << u"TX"_s << u"1950-06-25"_s << QString() << u"aep= freq=1/30"_s
        << u"type|blast|40|30|a;inst|1|blast|2025-06-01|"_s << QString() << QString()
        << u"campaign_blast 2025-06-01 skip:frequency_limit; birthday 2025-06-11 pre"_s;
    // at most 2 in 30 days: the sent birthday of 05-20 (history counts) and the campaign of 06-01
    // fit; the follow-up of 06-01 neither counts nor is skipped
    QTest::newRow("frequency: follow-ups exempt and not counted")
        << qint64(7) << u"TX"_s << QString() << QString() << u"aep= freq=2/30"_s << blast << QString()
        << u"birthday|sent|2025-05-20|2025||"_s
        << u"campaign_blast 2025-06-01 pre; followup_1_cold 2025-06-01 pre"_s;
    // at most 1: the history row alone fills the window of 06-01, the follow-up still goes
    QTest::newRow("frequency: history counts, follow-up still goes")
        << qint64(7) << u"TX"_s << QString() << QString() << u"aep= freq=1/30"_s << blast << QString()
        << u"birthday|sent|2025-05-20|2025||"_s
        << u"campaign_blast 2025-06-01 skip:frequency_limit; followup_1_cold 2025-06-01 pre"_s;
}

void TestCampaigns::schedule()
{
    QFETCH(qint64, id);
    QFETCH(QString, state);
    QFETCH(QString, birth);
    QFETCH(QString, carrier);
    QFETCH(QString, config);
    QFETCH(QString, catalog);
    QFETCH(QString, activity);
    QFETCH(QString, history);
    QFETCH(QString, expected);

    const QDate today(2025, 6, 1);
    const Config cfg = makeRunConfig(config);
    const CampaignRun run(makeCatalog(catalog), cfg, today);
    QVERIFY(run.warnings().empty());
    Contact contact = makeContact(id, state, birth, QString());
    contact.currentCarrier = carrier;
    const Activity a = makeActivity(activity);
    const std::vector<HistoryEntry> h = makeRichHistory(history);
    const ContactSchedule s
        = Engine::scheduleContact(contact, h, a.view(), today, cfg, run, SuppressionList());
    QCOMPARE(describeRun(s, run), expected);
}

void TestCampaigns::followups_data()
{
    QTest::addColumn<QString>("state");
    QTest::addColumn<QString>("config");
    QTest::addColumn<QString>("catalog");
    QTest::addColumn<QString>("activity");
    QTest::addColumn<QString>("history");
    QTest::addColumn<QString>("expected");
    QTest::addColumn<QString>("initial"); // "TYPE DATE" of the basis; empty: none

    // today 2025-06-01, lookback 35: S must lie in [2025-04-27, 2025-06-01]; date max(S + 2, today)
    const QString sent = u"birthday|sent|2025-05-20|2025||"_s;
    QTest::newRow("cold: no events") << u"TX"_s << QString() << QString() << QString() << sent
                                     << u"followup_1_cold 2025-06-01 pre"_s << u"birthday 2025-05-20"_s;
    // actual send 05-31 wins over the scheduled date: 05-31 + 2 = 06-02
    QTest::newRow("date from actual send")
        << u"TX"_s << QString() << QString() << QString() << u"birthday|sent|2025-05-20|2025||2025-05-31|"_s
        << u"followup_1_cold 2025-06-02 pre"_s << u"birthday 2025-05-31"_s;
    QTest::newRow("delay 5") << u"TX"_s << u"delay=5"_s << QString() << QString()
                             << u"aep|delivered|2025-05-30||||"_s << u"followup_1_cold 2025-06-04 pre"_s
                             << u"aep 2025-05-30"_s;
    QTest::newRow("clicked after S") << u"TX"_s << QString() << QString() << u"click|2025-05-25 09:00:00"_s
                                     << sent << u"followup_2_clicked_no_hq 2025-06-01 pre"_s
                                     << u"birthday 2025-05-20"_s;
    QTest::newRow("click before S is not engagement")
        << u"TX"_s << QString() << QString() << u"click|2025-05-19"_s << sent
        << u"followup_1_cold 2025-06-01 pre"_s << u"birthday 2025-05-20"_s;
    QTest::newRow("click on S counts")
        << u"TX"_s << QString() << QString() << u"click|2025-05-20T18:00:00"_s << sent
        << u"followup_2_clicked_no_hq 2025-06-01 pre"_s << u"birthday 2025-05-20"_s;
    QTest::newRow("answered, no yes")
        << u"TX"_s << QString() << QString()
        << u"click|2025-05-21;event|1|2025-05-22|{\"main_questions_yes_count\":0}"_s << sent
        << u"followup_3_hq_no_yes 2025-06-01 pre"_s << u"birthday 2025-05-20"_s;
    QTest::newRow("answered with a yes")
        << u"TX"_s << QString() << QString() << u"event|1|2025-05-22|{\"has_medical_conditions\":\"Yes\"}"_s
        << sent << u"followup_4_hq_with_yes 2025-06-01 pre"_s << u"birthday 2025-05-20"_s;
    // an answer before S is ignored; the click decides
    QTest::newRow("answer before S ignored")
        << u"TX"_s << QString() << QString()
        << u"event|1|2025-05-10|{\"has_medical_conditions\":true};click|2025-05-21"_s << sent
        << u"followup_2_clicked_no_hq 2025-06-01 pre"_s << u"birthday 2025-05-20"_s;
    // lookback boundaries: 06-01 - 35 = 04-27 qualifies, 04-26 does not; today qualifies
    QTest::newRow("S = today - 35 qualifies")
        << u"TX"_s << QString() << QString() << QString() << u"effective_date|sent|2025-04-27|2025||"_s
        << u"followup_1_cold 2025-06-01 pre"_s << u"effective_date 2025-04-27"_s;
    QTest::newRow("S = today - 36 does not")
        << u"TX"_s << QString() << QString() << QString() << u"effective_date|sent|2025-04-26|2025||"_s
        << QString() << QString();
    QTest::newRow("S = today qualifies, date today + 2")
        << u"TX"_s << QString() << QString() << QString() << u"post_window_birthday|sent|2025-06-01|||"_s
        << u"followup_1_cold 2025-06-03 pre"_s << u"post_window_birthday 2025-06-01"_s;
    QTest::newRow("S after today does not") << u"TX"_s << QString() << QString() << QString()
                                            << u"birthday|sent|2025-06-02|2025||"_s << QString() << QString();
    QTest::newRow("lookback 10") << u"TX"_s << u"lookback=10"_s << QString() << QString() << sent << QString()
                                 << QString();
    QTest::newRow("scheduled is no initial email")
        << u"TX"_s << QString() << QString() << QString() << u"birthday|scheduled|2025-05-20|2025||"_s
        << QString() << QString();
    QTest::newRow("unknown type is no initial email")
        << u"TX"_s << QString() << QString() << QString() << u"newsletter|sent|2025-05-20|||"_s << QString()
        << QString();
    // latest S wins (05-25 aep over 05-20 birthday); equal S: highest id
    QTest::newRow("latest initial email")
        << u"TX"_s << QString() << QString() << QString() << sent + u";aep|sent|2025-05-25|||"_s
        << u"followup_1_cold 2025-06-01 pre"_s << u"aep 2025-05-25"_s;
    QTest::newRow("equal S: highest id")
        << u"TX"_s << QString() << QString() << QString()
        << u"effective_date|sent|2025-05-25||||9;aep|sent|2025-05-25||||4"_s
        << u"followup_1_cold 2025-06-01 pre"_s << u"effective_date 2025-05-25"_s;
    QTest::newRow("existing follow-up on or after S")
        << u"TX"_s << QString() << QString() << QString() << sent + u";FOLLOWUP_1_COLD|sent|2025-05-22|||"_s
        << QString() << QString();
    QTest::newRow("follow-up before S does not count")
        << u"TX"_s << QString() << QString() << QString()
        << sent + u";followup_2_clicked_no_hq|sent|2025-05-01|||"_s << u"followup_1_cold 2025-06-01 pre"_s
        << u"birthday 2025-05-20"_s;
    QTest::newRow("followups disabled")
        << u"TX"_s << u"followups=0"_s << QString() << QString() << sent << QString() << QString();
    // campaign_rate_increase (enable_followups = 1, instance ended) qualifies; campaign_blast not
    QTest::newRow("campaign type with follow-ups")
        << u"TX"_s << QString() << u"type|rate_increase|30|30|f;inst|2|rate_increase|2025-01-01|2025-03-01"_s
        << QString() << u"campaign_rate_increase|sent|2025-05-20||2||"_s
        << u"followup_1_cold 2025-06-01 pre"_s << u"campaign_rate_increase 2025-05-20"_s;
    QTest::newRow("campaign type without follow-ups")
        << u"TX"_s << QString() << u"type|blast|30|30|a;inst|1|blast|2025-01-01|2025-03-01"_s << QString()
        << u"campaign_blast|sent|2025-05-20||1||"_s << QString() << QString();
    // excluded like any email (CA window of the 1950-07-15 birthday covers 06-01), no post_window
    // from it; the birthday itself (07-01) is in the window too and brings the one post_window
    QTest::newRow("follow-up excluded, causes no post_window")
        << u"CA"_s << QString() << QString() << QString() << sent
        << u"followup_1_cold 2025-06-01 skip:birthday_window; birthday 2025-07-01 skip:already_sent"_s
        << u"birthday 2025-05-20"_s;
}

void TestCampaigns::followups()
{
    QFETCH(QString, state);
    QFETCH(QString, config);
    QFETCH(QString, catalog);
    QFETCH(QString, activity);
    QFETCH(QString, history);
    QFETCH(QString, expected);
    QFETCH(QString, initial);

    const QDate today(2025, 6, 1);
    const Config cfg = makeRunConfig(u"aep= "_s + config);
    const CampaignRun run(makeCatalog(catalog), cfg, today);
    // CA rows have a birthday (its window excludes the follow-up); TX rows none
    const Contact contact = makeContact(7, state, state == u"CA" ? u"1950-07-15"_s : QString(), QString());
    const Activity a = makeActivity(activity);
    const std::vector<HistoryEntry> h = makeRichHistory(history);
    const ContactSchedule s
        = Engine::scheduleContact(contact, h, a.view(), today, cfg, run, SuppressionList());
    QCOMPARE(describeRun(s, run), expected);
    const FollowupBasis *basis = s.followup();
    QCOMPARE(basis ? basis->initialType + u' ' + basis->initialDate.toString(Qt::ISODate) : QString(),
             initial);
}

void TestCampaigns::suppression_data()
{
    QTest::addColumn<QString>("email");
    QTest::addColumn<QString>("sends");
    QTest::addColumn<QString>("config");
    QTest::addColumn<QString>("expected"); // reason; empty: not suppressed
    QTest::addColumn<QString>("since");

    QTest::newRow("on the list, other case and spaces")
        << u"  Someone@Example.COM "_s << QString() << QString() << u"unsubscribed"_s << u"2025-03-03"_s;
    QTest::newRow("not on the list") << u"other@example.com"_s << QString() << QString() << QString()
                                     << QString();
    QTest::newRow("bounced send") << u"other@example.com"_s << u"send|Bounced"_s << QString() << u"bounced"_s
                                  << QString();
    QTest::newRow("dropped send") << u"other@example.com"_s << u"send|delivered;send|DROPPED"_s << QString()
                                  << u"bounced"_s << QString();
    QTest::newRow("delivered sends only")
        << u"other@example.com"_s << u"send|delivered;send|opened"_s << QString() << QString() << QString();
    QTest::newRow("bounce with suppress_bounced off")
        << u"other@example.com"_s << u"send|bounced"_s << u"bounced=0"_s << QString() << QString();
    QTest::newRow("list and bounce: the list's reason")
        << u"someone@example.com"_s << u"send|bounced"_s << QString() << u"unsubscribed"_s << u"2025-03-03"_s;
    QTest::newRow("second entry") << u"dead@example.com"_s << QString() << QString() << u"deceased"_s
                                  << QString();
}

void TestCampaigns::suppression()
{
    QFETCH(QString, email);
    QFETCH(QString, sends);
    QFETCH(QString, config);
    QFETCH(QString, expected);
    QFETCH(QString, since);

    const QDate today(2025, 6, 1);
    const Config cfg = makeRunConfig(config);
    const SuppressionList list(
        { { 1, u" SOMEONE@example.com"_s, u"unsubscribed"_s, QString(), u"2025-03-03 12:00:00"_s,
            u"staff"_s },
          { 2, u"dead@example.com"_s, u"deceased"_s, u"family called"_s, u"garbage"_s, QString() } });
    const CampaignRun run(makeCatalog(u"type|blast|30|30|a;inst|1|blast||"_s), cfg, today);
    // a contact with a warning (unreadable effective date) and a birthday
    Contact contact = makeContact(7, u"TX"_s, u"1950-07-15"_s, u"not a date"_s);
    contact.email = email;
    const Activity a = makeActivity(sends);
    const std::vector<HistoryEntry> h = makeRichHistory(u"birthday|sent|2025-05-20|2025||"_s);
    const ContactSchedule s = Engine::scheduleContact(contact, h, a.view(), today, cfg, run, list);
    const SuppressionNote *note = s.suppression();
    QCOMPARE(note ? note->reason : QString(), expected);
    if (note) {
        QVERIFY(s.emails.empty());
        QCOMPARE(note->since.isValid() ? note->since.toString(Qt::ISODate) : QString(), since);
        // the warning stays
        QCOMPARE(s.problems.size(), 1);
        QCOMPARE(s.problems.first().code, ProblemCode::InvalidEffectiveDate);
    } else {
        QVERIFY(!s.emails.empty());
    }
}

void TestCampaigns::failedUnderwritingMetadata_data()
{
    QTest::addColumn<QString>("json");
    QTest::addColumn<bool>("failed");

    QTest::newRow("true") << u"{\"has_medical_conditions\": true}"_s << true;
    QTest::newRow("false") << u"{\"has_medical_conditions\": false}"_s << false;
    QTest::newRow("number 1") << u"{\"has_medical_conditions\": 1}"_s << true;
    QTest::newRow("number 0") << u"{\"has_medical_conditions\": 0}"_s << false;
    QTest::newRow("number 2.5") << u"{\"has_medical_conditions\": 2.5}"_s << true;
    QTest::newRow("string TRUE") << u"{\"has_medical_conditions\": \"TRUE\"}"_s << true;
    QTest::newRow("string yes") << u"{\"has_medical_conditions\": \"yes\"}"_s << true;
    QTest::newRow("string 1") << u"{\"has_medical_conditions\": \"1\"}"_s << true;
    QTest::newRow("string no") << u"{\"has_medical_conditions\": \"no\"}"_s << false;
    QTest::newRow("string 0") << u"{\"has_medical_conditions\": \"0\"}"_s << false;
    QTest::newRow("null") << u"{\"has_medical_conditions\": null}"_s << false;
    QTest::newRow("yes count 2") << u"{\"main_questions_yes_count\": 2}"_s << true;
    QTest::newRow("yes count 0") << u"{\"main_questions_yes_count\": 0}"_s << false;
    QTest::newRow("yes count as text") << u"{\"main_questions_yes_count\": \"2\"}"_s << false;
    QTest::newRow("either field") << u"{\"has_medical_conditions\": false, \"main_questions_yes_count\": 1}"_s
                                  << true;
    QTest::newRow("not JSON") << u"yes"_s << false;
    QTest::newRow("empty") << QString() << false;
    QTest::newRow("array") << u"[true]"_s << false;
}

void TestCampaigns::failedUnderwritingMetadata()
{
    QFETCH(QString, json);
    QFETCH(bool, failed);
    QCOMPARE(Engine::metadataShowsFailedUnderwriting(json), failed);
    const std::vector<ContactEventRow> events { { 1, u"Eligibility_Answered"_s, u"3/4/2025"_s, json } };
    QDate answered;
    QCOMPARE(Engine::failedUnderwriting(events, &answered), failed);
    QCOMPARE(answered, QDate(2025, 3, 4));
}

void TestCampaigns::withoutCampaignsNothingChanges()
{
    // The new overload with no campaigns, no list and no activity gives the old schedule, for
    // contacts of every kind of rule.
    const QDate today(2025, 6, 1);
    const Config config;
    for (const Contact &c : { makeContact(1, u"CA"_s, u"1950-07-15"_s, u"2010-08-01"_s),
                              makeContact(2, u"NY"_s, u"1950-07-15"_s, QString()),
                              makeContact(3, u"MO"_s, QString(), u"2019-06-20"_s),
                              makeContact(4, u"TX"_s, u"1950-06-05"_s, u"2010-06-20"_s) }) {
        const std::vector<HistoryEntry> h = makeHistory(u"birthday|sent|2024-07-01|2024"_s);
        const ContactSchedule before = Engine::scheduleContact(c, h, today, config);
        const ContactSchedule after = Engine::scheduleContact(c, h, ContactActivity(), today, config,
                                                              CampaignRun(), SuppressionList());
        QCOMPARE(after.emails, before.emails);
        QCOMPARE(after.problems, before.problems);
        QVERIFY(!after.notes);
    }
}

void TestCampaigns::pinnedEmailsInLoadBalancing_data()
{
    QTest::addColumn<int>("pinned");   // campaign emails on 2025-06-10
    QTest::addColumn<int>("followup"); // follow-up emails on 2025-06-10
    QTest::addColumn<int>("movable");  // birthday emails on 2025-06-10
    QTest::addColumn<int>("stay");     // birthday emails expected to stay on 06-10

    // 100 valid contacts: daily_cap 7, threshold floor(8.4) = 8
    QTest::newRow("under the threshold: nothing moves") << 3 << 0 << 5 << 5;
    // 5 pinned + 6 = 11 > 8: movable keep max(0, 7 - 5) = 2
    QTest::newRow("pinned take places first") << 5 << 0 << 6 << 2;
    QTest::newRow("follow-ups are pinned too") << 3 << 2 << 6 << 2;
    // 9 pinned > cap: they all stay, every movable email moves
    QTest::newRow("more pinned than the cap") << 9 << 0 << 2 << 0;
    // no pinned: the usual cap of 7
    QTest::newRow("no pinned") << 0 << 0 << 10 << 7;
}

void TestCampaigns::pinnedEmailsInLoadBalancing()
{
    QFETCH(int, pinned);
    QFETCH(int, followup);
    QFETCH(int, movable);
    QFETCH(int, stay);

    const QDate today(2025, 6, 1);
    const QDate day(2025, 6, 10);
    std::vector<ContactSchedule> schedules;
    qint64 id = 0;
    auto addEmail = [&](EmailType type) {
        ContactSchedule s;
        s.contactId = ++id;
        ScheduledEmail e;
        e.type = type;
        e.date = day;
        e.eventDate = day.addDays(14);
        s.emails.push_back(e);
        schedules.push_back(s);
    };
    for (int i = 0; i < pinned; ++i)
        addEmail(EmailType::Campaign);
    for (int i = 0; i < followup; ++i)
        addEmail(EmailType::FollowupClickedNoHq);
    for (int i = 0; i < movable; ++i)
        addEmail(EmailType::Birthday);
    const auto stats
        = LoadBalancer::balance(schedules, 100, today, Config(), [](std::size_t, QDate) { return false; });
    QCOMPARE(stats.dailyCap, 7);
    int stayed = 0;
    int moved = 0;
    for (const ContactSchedule &s : schedules) {
        const ScheduledEmail &e = s.emails.front();
        if (isPinned(e.type)) {
            QCOMPARE(e.date, CompactDate(day));
            QVERIFY(!e.originalDate.isValid());
            continue;
        }
        if (e.date == day) {
            ++stayed;
        } else {
            ++moved;
            QCOMPARE(e.date, CompactDate(day.addDays(1)));
            QCOMPARE(e.originalDate, CompactDate(day));
        }
    }
    QCOMPARE(stayed, stay);
    QCOMPARE(moved, movable - stay);
    // the lowest contact ids of the movable ones stay (priority, contact_id, type)
    for (const ContactSchedule &s : schedules) {
        if (s.emails.front().type == EmailType::Birthday)
            QCOMPARE(s.emails.front().date == day, s.contactId <= pinned + followup + stay);
    }
}

void TestCampaigns::configKeys_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("error"); // a key the message names; empty: valid

    QTest::newRow("all new keys") << QByteArray(
        R"({"followups_enabled": false, "followup_delay_days": 5, "followup_lookback_days": 10,
            "exclude_failed_underwriting_global": true, "suppress_bounced": false,
            "priorities": {"campaign_rate_increase": 4, "followup_1_cold": 60}})")
                                  << QString();
    QTest::newRow("followups_enabled not a bool")
        << QByteArray(R"({"followups_enabled": 1})") << u"followups_enabled"_s;
    QTest::newRow("delay negative") << QByteArray(R"({"followup_delay_days": -1})")
                                    << u"followup_delay_days"_s;
    QTest::newRow("lookback text") << QByteArray(R"({"followup_lookback_days": "35"})")
                                   << u"followup_lookback_days"_s;
    QTest::newRow("global not a bool") << QByteArray(R"({"exclude_failed_underwriting_global": "yes"})")
                                       << u"exclude_failed_underwriting_global"_s;
    QTest::newRow("suppress_bounced not a bool")
        << QByteArray(R"({"suppress_bounced": null})") << u"suppress_bounced"_s;
    QTest::newRow("campaign priority not an int")
        << QByteArray(R"({"priorities": {"campaign_x": "high"}})") << u"priorities.campaign_x"_s;
    QTest::newRow("campaign name upper case")
        << QByteArray(R"({"priorities": {"campaign_X": 3}})") << u"campaign_X"_s;
    QTest::newRow("bare campaign") << QByteArray(R"({"priorities": {"campaign": 3}})") << u"campaign"_s;
    QTest::newRow("unknown key") << QByteArray(R"({"followup_days": 3})") << u"followup_days"_s;
}

void TestCampaigns::configKeys()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, error);
    const Result<Config> config = Config::fromJson(json);
    if (error.isEmpty()) {
        QVERIFY2(config, qPrintable(config.errorMessage()));
        QCOMPARE(config->followupsEnabled, false);
        QCOMPARE(config->followupDelayDays, 5);
        QCOMPARE(config->followupLookbackDays, 10);
        QCOMPARE(config->excludeFailedUnderwritingGlobal, true);
        QCOMPARE(config->suppressBounced, false);
        QCOMPARE(config->campaignPriorities.value(u"campaign_rate_increase"_s), 4);
        QCOMPARE(config->priority(EmailType::FollowupCold), 60);
        // the configured priority replaces the type's
        const CampaignRun run(makeCatalog(u"type|rate_increase|30|30|a;inst|1|rate_increase||"_s), *config,
                              QDate(2025, 6, 1));
        QCOMPARE(run.live().front().priority, 4);
    } else {
        QVERIFY(!config);
        QVERIFY2(config.errorMessage().contains(error), qPrintable(config.errorMessage()));
    }
    // defaults
    const Config defaults;
    QCOMPARE(defaults.followupsEnabled, true);
    QCOMPARE(defaults.followupDelayDays, 2);
    QCOMPARE(defaults.followupLookbackDays, 35);
    QCOMPARE(defaults.excludeFailedUnderwritingGlobal, false);
    QCOMPARE(defaults.suppressBounced, true);
    QCOMPARE(defaults.priority(EmailType::FollowupHqWithYes), 50);
}

void TestCampaigns::sortKeyFollowsWrittenNames()
{
    // The CSV sorts by written name: aep < birthday < campaign_a < campaign_b < effective_date <
    // followup_1 < ... < followup_4 < post_window. Campaign indices follow the written names.
    const CampaignRun run(makeCatalog(u"type|zeta|30|30|a;type|alpha|30|30|a;inst|1|zeta||;inst|2|alpha||"_s),
                          Config(), QDate(2025, 6, 1));
    QCOMPARE(run.live().size(), std::size_t(2));
    QCOMPARE(run.live()[0].emailType, u"campaign_alpha"_s);
    QCOMPARE(run.live()[1].emailType, u"campaign_zeta"_s);
    std::vector<ScheduledEmail> emails;
    for (int t = 0; t < EmailTypeCount; ++t) {
        ScheduledEmail e;
        e.type = EmailType(t);
        emails.push_back(e);
        if (e.type == EmailType::Campaign) {
            e.campaign = 1;
            emails.push_back(e);
        }
    }
    std::sort(emails.begin(), emails.end(),
              [](const ScheduledEmail &a, const ScheduledEmail &b) { return a.sortKey() < b.sortKey(); });
    QStringList names;
    for (const ScheduledEmail &e : emails)
        names << run.emailTypeName(e);
    QStringList sorted = names;
    sorted.sort();
    QCOMPARE(names, sorted);
    QCOMPARE(names.size(), EmailTypeCount + 1);
    QCOMPARE(emailTypeFromName(u"Campaign_Rate_Increase"), std::optional<EmailType>(EmailType::Campaign));
    QCOMPARE(emailTypeFromName(u"FOLLOWUP_3_HQ_NO_YES"),
             std::optional<EmailType>(EmailType::FollowupHqNoYes));
    QCOMPARE(skipReasonFromCode(u"campaign_conflict"),
             std::optional<SkipReason>(SkipReason::CampaignConflict));
    QCOMPARE(skipReasonFromCode(u"failed_underwriting"),
             std::optional<SkipReason>(SkipReason::FailedUnderwriting));
}

void TestCampaigns::explanations()
{
    const QDate today(2025, 6, 1);
    const Config config = makeRunConfig(u"aep="_s);
    const CampaignRun run(
        makeCatalog(u"type|rate_increase|10|30|u;inst|2|rate_increase|||||||Rate increase notice;"
                    u"type|news|20|30|as;inst|3|news|2025-06-01||2025-07-01|2025-07-01|||June newsletter"_s),
        config, today);
    Contact contact = makeContact(7, u"TX"_s, QString(), QString());
    // trigger Jul 31 -> Jul 1 (rate increase); news on Jul 1 conflicts and loses (20 > 10)
    const Activity a = makeActivity(u"enrol|1|2|2025-07-31;click|2025-05-21"_s);
    const std::vector<HistoryEntry> h = makeRichHistory(u"birthday|sent|2025-05-20|2025|||"_s);
    const ContactSchedule s
        = Engine::scheduleContact(contact, h, a.view(), today, config, run, SuppressionList());
    QCOMPARE(describeRun(s, run),
             u"followup_2_clicked_no_hq 2025-06-01 pre; campaign_news 2025-07-01 skip:campaign_conflict; "
             u"campaign_rate_increase 2025-07-01 pre"_s);
    const QString followup = Explain::explainEmail(s, s.emails[0], &run);
    QVERIFY2(followup.contains(u"clicked the May 20 birthday email, no health answers"),
             qPrintable(followup));
    const QString conflict = Explain::explainEmail(s, s.emails[1], &run);
    QVERIFY2(conflict.contains(u"Rate increase notice"), qPrintable(conflict));
    const QString rate = Explain::explainEmail(s, s.emails[2], &run);
    QVERIFY2(rate.contains(u"Rate increase notice — 30 days before"), qPrintable(rate));
    QVERIFY2(rate.contains(u"Jul 31"), qPrintable(rate));
    QVERIFY(!Explain::detail(s, s.emails[1], &run).isEmpty());

    // failed underwriting
    const Activity failed
        = makeActivity(u"enrol|1|2|2025-07-31;event|1|2025-04-02|{\"has_medical_conditions\":1}"_s);
    const ContactSchedule f
        = Engine::scheduleContact(contact, {}, failed.view(), today, config, run, SuppressionList());
    const auto skipped = std::find_if(f.emails.begin(), f.emails.end(), [](const ScheduledEmail &e) {
        return e.reason == SkipReason::FailedUnderwriting;
    });
    QVERIFY(skipped != f.emails.end());
    const QString fu = Explain::explainEmail(f, *skipped, &run);
    QVERIFY2(fu.contains(u"failed underwriting") && fu.contains(u"Apr 2, 2025"), qPrintable(fu));

    // suppression
    const SuppressionList list(
        { { 1, u"someone@example.com"_s, u"unsubscribed"_s, QString(), u"2025-03-03"_s, QString() } });
    const ContactSchedule sup
        = Engine::scheduleContact(contact, {}, ContactActivity(), today, config, run, list);
    QCOMPARE(Explain::suppressionText(sup), u"On the do-not-email list since 3 Mar 2025 — unsubscribed"_s);
    QCOMPARE(Explain::suppressionDetail(sup), u"unsubscribed"_s);
    const Activity bounced = makeActivity(u"send|bounced"_s);
    const ContactSchedule b
        = Engine::scheduleContact(contact, {}, bounced.view(), today, config, run, SuppressionList());
    QVERIFY2(Explain::suppressionText(b).contains(u"bounced"), qPrintable(Explain::suppressionText(b)));
    QVERIFY(Explain::suppressionText(s).isEmpty());
}

QTEST_GUILESS_MAIN(TestCampaigns)
#include "tst_campaigns.moc"
