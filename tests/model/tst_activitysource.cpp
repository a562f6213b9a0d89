#include "../common/sqlitetestutil.h"
#include "storage/activitysource.h"
#include "storage/contactsource.h"
#include "storage/orgdatabase.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <limits>

// The readers of a run's campaign, activity and suppression inputs (model/storage/activitysource):
// missing tables and columns read as empty or as the SPEC's defaults, nothing is created, the
// merge by contact id hands every contact exactly its rows, and the production samples read.
class TestActivitySource : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    int m_files = 0;

    QString newDatabase(const QByteArray &sql)
    {
        const QString path = m_dir.filePath(QStringLiteral("db%1.sqlite").arg(++m_files));
        const bool made = SqliteTestUtil::execSql(
            path,
            "CREATE TABLE contacts(id INTEGER PRIMARY KEY, email TEXT, birth_date TEXT, state TEXT);" + sql);
        return made ? path : QString();
    }

    QString copySample(const QString &name)
    {
        const QString target = m_dir.filePath(QString::number(++m_files) + QLatin1Char('-') + name);
        if (!QFile::copy(qEnvironmentVariable("ES_TEST_DATA") + QStringLiteral("/samples/") + name, target))
            return {};
        QFile::setPermissions(target, QFile::ReadOwner | QFile::ReadGroup); // read-only, as shipped
        return target;
    }

    static QStringList schema(const QString &path)
    {
        return SqliteTestUtil::rows(path, "SELECT type, name, sql FROM sqlite_master ORDER BY name");
    }

private slots:
    void missingTablesReadAsEmpty()
    {
        const QString path = newDatabase("INSERT INTO contacts VALUES (1, 'a@x.com', '1960-05-01', 'TX');");
        QVERIFY(!path.isEmpty());
        const QStringList before = schema(path);
        auto db = OrgDatabase::open(path, OrgDatabase::Mode::ReadOnly);
        QVERIFY2(db.ok(), qPrintable(db.errorMessage()));
        auto inputs = ActivitySource::readRunInputs(*db);
        QVERIFY2(inputs.ok(), qPrintable(inputs.errorMessage()));
        QVERIFY(inputs->catalog.types.empty());
        QVERIFY(inputs->catalog.instances.empty());
        QVERIFY(inputs->suppressions.empty());
        auto cursor = ActivityCursor::openRange(*db, 1, 10);
        QVERIFY2(cursor.ok(), qPrintable(cursor.errorMessage()));
        auto activity = cursor->seek(1);
        QVERIFY(activity.ok());
        QVERIFY(activity->enrolments.empty() && activity->events.empty() && activity->clickDates.empty()
                && activity->sendStatuses.empty());
        QCOMPARE(schema(path), before); // nothing created
    }

    void missingColumnsReadAsDefaults()
    {
        const QString path = newDatabase(
            "CREATE TABLE campaign_types(id INTEGER PRIMARY KEY, name TEXT, priority INTEGER);"
            "INSERT INTO campaign_types VALUES (4, 'rate_increase', 5), (7, 'newsletter', NULL);"
            "CREATE TABLE campaign_instances(id INTEGER PRIMARY KEY, campaign_type TEXT, instance_name TEXT);"
            "INSERT INTO campaign_instances VALUES (2, 'rate_increase', 'July');"
            "CREATE TABLE contact_campaigns(id INTEGER PRIMARY KEY, contact_id INTEGER, campaign_instance_id "
            "INTEGER);"
            "INSERT INTO contact_campaigns VALUES (9, 1, 2);"
            "CREATE TABLE email_send_tracking(id INTEGER PRIMARY KEY, contact_id INTEGER);"
            "INSERT INTO email_send_tracking VALUES (1, 1);"
            "CREATE TABLE email_suppressions(id INTEGER PRIMARY KEY, email TEXT);"
            "INSERT INTO email_suppressions VALUES (3, ' A@X.com '), (4, NULL);"
            "CREATE TABLE tracking_clicks(id INTEGER PRIMARY KEY, tracking_id TEXT);");
        QVERIFY(!path.isEmpty());
        auto db = OrgDatabase::open(path, OrgDatabase::Mode::ReadOnly);
        QVERIFY(db.ok());
        auto catalog = ActivitySource::readCatalog(*db);
        QVERIFY2(catalog.ok(), qPrintable(catalog.errorMessage()));
        QCOMPARE(catalog->types.size(), std::size_t(2));
        const CampaignTypeRow &rate = catalog->types[0];
        QCOMPARE(rate.id, 4);
        QCOMPARE(rate.name, QStringLiteral("rate_increase"));
        QCOMPARE(rate.priority, 5);
        // The SPEC's column defaults for what the table lacks.
        QCOMPARE(rate.respectExclusionWindows, true);
        QCOMPARE(rate.enableFollowups, false);
        QCOMPARE(rate.daysBeforeEvent, 30);
        QCOMPARE(rate.active, true);
        QCOMPARE(catalog->types[1].priority, 30); // NULL stored
        QCOMPARE(catalog->instances.size(), std::size_t(1));
        QCOMPARE(catalog->instances[0].id, 2);
        QCOMPARE(catalog->instances[0].instanceName, QStringLiteral("July"));
        QVERIFY(catalog->instances[0].activeStartDate.isNull());
        QVERIFY(catalog->instances[0].metadata.isNull());

        auto suppressions = ActivitySource::readSuppressions(*db);
        QVERIFY(suppressions.ok());
        QCOMPARE(suppressions->size(), std::size_t(1)); // the NULL email names nobody
        QCOMPARE(suppressions->at(0).email, QStringLiteral(" A@X.com "));
        QVERIFY(suppressions->at(0).reason.isNull());

        auto cursor = ActivityCursor::openRange(*db, 1, 1);
        QVERIFY2(cursor.ok(), qPrintable(cursor.errorMessage()));
        auto activity = cursor->seek(1);
        QVERIFY(activity.ok());
        QCOMPARE(activity->enrolments.size(), std::size_t(1));
        QCOMPARE(activity->enrolments[0].id, 9);
        QCOMPARE(activity->enrolments[0].instanceId, 2);
        QVERIFY(activity->enrolments[0].triggerDate.isNull());
        QVERIFY(activity->sendStatuses.empty()); // no send_status column: nothing suppresses
        QVERIFY(activity->clickDates.empty());   // no contact_id column
    }

    void mergesRowsByContact()
    {
        const QString path = newDatabase(
            "INSERT INTO contacts(id) VALUES (1), (2), (3), (4), (5), (6);"
            "CREATE TABLE contact_campaigns(id INTEGER PRIMARY KEY, contact_id INTEGER NOT NULL, "
            "campaign_instance_id INTEGER NOT NULL, trigger_date TEXT, status TEXT NOT NULL DEFAULT "
            "'pending');"
            "CREATE INDEX cc_contact ON contact_campaigns(contact_id);"
            "INSERT INTO contact_campaigns VALUES (20, 3, 7, '2025-07-01', 'pending'), (11, 3, 7, "
            "'07/01/2025', "
            "'cancelled'), (12, 5, 8, NULL, 'pending'), (13, 9, 7, '2025-01-01', 'pending');"
            "CREATE TABLE contact_events(id INTEGER PRIMARY KEY, contact_id INTEGER, lead_id INTEGER, "
            "event_type "
            "TEXT NOT NULL, metadata TEXT, created_at DATETIME);"
            "INSERT INTO contact_events VALUES (1, 1, NULL, 'eligibility_answered', '{\"a\":1}', '2025-04-26 "
            "12:10:23'), (2, 1, NULL, 'quote_viewed', NULL, '2025-04-27'), (3, NULL, 4, "
            "'eligibility_answered', "
            "NULL, '2025-04-27'), (4, 5, NULL, 'ELIGIBILITY_ANSWERED', NULL, '2025-05-01');"
            "CREATE TABLE tracking_clicks(id INTEGER PRIMARY KEY, tracking_id TEXT NOT NULL, contact_id "
            "INTEGER, "
            "clicked_at DATETIME);"
            "INSERT INTO tracking_clicks VALUES (1, 't', 5, '2025-05-02 10:00:00'), (2, 't', 5, "
            "'2025-05-01'), (3, 't', 2, NULL), (4, 't', 0, '2025-05-01');"
            // contact_id TEXT as in org-12: '10' must not sort before '5', nor '2' match 2.0 wrongly.
            "CREATE TABLE email_send_tracking(id INTEGER PRIMARY KEY, contact_id TEXT NOT NULL, send_status "
            "TEXT);"
            "INSERT INTO email_send_tracking VALUES (1, '10', 'bounced'), (2, '5', 'Bounced'), (3, '5', "
            "'delivered'), (4, '6', ' DROPPED'), (5, '6', 'sent'), (6, '2', 'failed');");
        QVERIFY(!path.isEmpty());
        auto db = OrgDatabase::open(path, OrgDatabase::Mode::ReadOnly);
        QVERIFY(db.ok());

        // Expected per contact, worked out from the rows above: enrolments by id, eligibility
        // events only (any case), clicks with a date, bounced/dropped statuses only.
        auto check = [](ActivityCursor &cursor) {
            auto one = cursor.seek(1);
            QVERIFY(one.ok());
            QCOMPARE(one->events.size(), std::size_t(1));
            QCOMPARE(one->events[0].id, 1);
            QCOMPARE(one->events[0].createdAt, QStringLiteral("2025-04-26 12:10:23"));
            QCOMPARE(one->events[0].metadata, QStringLiteral("{\"a\":1}"));
            QVERIFY(one->enrolments.empty() && one->clickDates.empty() && one->sendStatuses.empty());

            auto two = cursor.seek(2);
            QVERIFY(two.ok());
            QVERIFY(two->enrolments.empty() && two->events.empty() && two->clickDates.empty()
                    && two->sendStatuses.empty());

            auto three = cursor.seek(3);
            QVERIFY(three.ok());
            QCOMPARE(three->enrolments.size(), std::size_t(2));
            QCOMPARE(three->enrolments[0].id, 11); // lowest id first
            QCOMPARE(three->enrolments[0].status, QStringLiteral("cancelled"));
            QCOMPARE(three->enrolments[0].triggerDate, QStringLiteral("07/01/2025"));
            QCOMPARE(three->enrolments[1].id, 20);
            QCOMPARE(three->enrolments[1].instanceId, 7);

            // 4 is skipped: its rows (none but a lead's event) are passed over.
            auto five = cursor.seek(5);
            QVERIFY(five.ok());
            QCOMPARE(five->enrolments.size(), std::size_t(1));
            QCOMPARE(five->enrolments[0].instanceId, 8);
            QCOMPARE(five->events.size(), std::size_t(1));
            QCOMPARE(five->events[0].eventType, QStringLiteral("ELIGIBILITY_ANSWERED"));
            QCOMPARE(five->clickDates.size(), std::size_t(2));
            QCOMPARE(five->sendStatuses.size(), std::size_t(1));
            QCOMPARE(five->sendStatuses[0], QStringLiteral("Bounced"));

            auto six = cursor.seek(6);
            QVERIFY(six.ok());
            QCOMPARE(six->sendStatuses.size(), std::size_t(1));
            QCOMPARE(six->sendStatuses[0], QStringLiteral(" DROPPED"));
            QVERIFY(six->enrolments.empty());
        };
        auto range = ActivityCursor::openRange(*db, 1, 6);
        QVERIFY2(range.ok(), qPrintable(range.errorMessage()));
        check(*range);
        auto points = ActivityCursor::openPoints(*db);
        QVERIFY(points.ok());
        check(*points);
        // A range that starts later never sees earlier rows.
        auto later = ActivityCursor::openRange(*db, 6, 10);
        QVERIFY(later.ok());
        auto ten = later->seek(10);
        QVERIFY(ten.ok());
        QCOMPARE(ten->sendStatuses.size(), std::size_t(1));
    }

    void readsProductionSamples()
    {
        const QString path = copySample(QStringLiteral("org-206.sqlite3"));
        QVERIFY(!path.isEmpty());
        const QStringList before = schema(path);
        auto db = OrgDatabase::open(path, OrgDatabase::Mode::ReadOnly);
        QVERIFY2(db.ok(), qPrintable(db.errorMessage()));
        auto inputs = ActivitySource::readRunInputs(*db);
        QVERIFY2(inputs.ok(), qPrintable(inputs.errorMessage()));
        QVERIFY(inputs->catalog.types.empty()); // org-206 has no campaign tables
        QVERIFY(inputs->suppressions.empty());

        auto ids = ContactSource(*db).contactIds();
        QVERIFY(ids.ok());
        auto cursor = ActivityCursor::openRange(*db, ids->front(), ids->back());
        QVERIFY(cursor.ok());
        std::size_t events = 0, clicks = 0, contactsWithClicks = 0;
        for (const qint64 id : *ids) {
            auto activity = cursor->seek(id);
            QVERIFY(activity.ok());
            events += activity->events.size();
            clicks += activity->clickDates.size();
            contactsWithClicks += activity->clickDates.empty() ? 0 : 1;
            for (const ContactEventRow &event : activity->events)
                QCOMPARE(event.eventType, QStringLiteral("eligibility_answered"));
        }
        // The sample's counts for contacts that exist (its 20 events and 119 clicks all name one).
        QCOMPARE(qint64(events),
                 SqliteTestUtil::scalar(
                     path,
                     QStringLiteral("SELECT count(*) FROM contact_events WHERE event_type = "
                                    "'eligibility_answered' AND contact_id IN (SELECT id FROM contacts)")));
        QCOMPARE(qint64(clicks),
                 SqliteTestUtil::scalar(path,
                                        QStringLiteral("SELECT count(*) FROM tracking_clicks WHERE "
                                                       "contact_id IN (SELECT id FROM contacts)")));
        QVERIFY(events > 0 && clicks > 0 && contactsWithClicks > 0);

        // History carries the row id and the send date; org-206 has no campaign_instance_id.
        auto record = ContactSource(*db).readContact(100);
        QVERIFY(record.ok() && record->has_value());
        const QList<HistoryEntry> &history = (*record)->history;
        QVERIFY(!history.isEmpty());
        const qint64 firstId = SqliteTestUtil::scalar(
            path,
            QStringLiteral("SELECT min(id) FROM email_schedules WHERE contact_id = 100 AND status NOT IN "
                           "('pre-scheduled', 'skipped')"));
        QVERIFY(std::any_of(history.begin(), history.end(),
                            [firstId](const HistoryEntry &entry) { return entry.id == firstId; }));
        for (const HistoryEntry &entry : history)
            QCOMPARE(entry.campaignInstanceId, 0);
        QCOMPARE(schema(path), before);

        // org-12: contact_id TEXT in email_send_tracking, no clicks table; reads without error.
        const QString org12 = copySample(QStringLiteral("org-12.db"));
        auto db12 = OrgDatabase::open(org12, OrgDatabase::Mode::ReadOnly);
        QVERIFY2(db12.ok(), qPrintable(db12.errorMessage()));
        auto cursor12 = ActivityCursor::openRange(*db12, 0, std::numeric_limits<qint64>::max());
        QVERIFY2(cursor12.ok(), qPrintable(cursor12.errorMessage()));
        QVERIFY(cursor12->seek(1).ok());
    }

    void historyCarriesNewFields()
    {
        const QString path = newDatabase(
            "INSERT INTO contacts(id) VALUES (7);"
            "CREATE TABLE email_schedules(id INTEGER PRIMARY KEY, contact_id INTEGER, email_type TEXT, "
            "scheduled_send_date TEXT, status TEXT, event_year INTEGER, actual_send_datetime TEXT, "
            "campaign_instance_id INTEGER);"
            "INSERT INTO email_schedules VALUES (41, 7, 'campaign_rate_increase', '2025-05-01', 'sent', "
            "2025, "
            "'2025-05-03 09:12:00', 12), (42, 7, 'birthday', '2025-05-10', 'scheduled', NULL, 'garbage', "
            "NULL), "
            "(43, 7, 'aep', '2025-08-18', 'pre-scheduled', 2025, NULL, NULL);");
        QVERIFY(!path.isEmpty());
        auto db = OrgDatabase::open(path, OrgDatabase::Mode::ReadOnly);
        QVERIFY(db.ok());
        auto record = ContactSource(*db).readContact(7);
        QVERIFY(record.ok() && record->has_value());
        const QList<HistoryEntry> &history = (*record)->history;
        QCOMPARE(history.size(), 2); // pre-scheduled rows are not history
        QCOMPARE(history[0].id, 41);
        QCOMPARE(history[0].campaignInstanceId, 12);
        QCOMPARE(history[0].actualSendDate, QDate(2025, 5, 3));
        QCOMPARE(history[1].id, 42);
        QCOMPARE(history[1].campaignInstanceId, 0);
        QVERIFY(!history[1].actualSendDate.isValid());
    }
};

QTEST_GUILESS_MAIN(TestActivitySource)
#include "tst_activitysource.moc"
