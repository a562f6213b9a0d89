#include "sqlitetestutil.h"
#include "storage/auditlog.h"
#include "storage/campaignstore.h"
#include "storage/demogenerator.h"
#include "storage/managementtables.h"
#include "storage/orgdatabase.h"

#include <QCryptographicHash>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using SqliteTestUtil::execSql;
using SqliteTestUtil::rows;
using SqliteTestUtil::scalar;

// Campaign types, instances and enrolments (storage/campaignstore), their tables
// (storage/managementtables) and the audit trail of every change (storage/auditlog).
class TestCampaignStore : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    int m_count = 0;
    const AuditActor m_actor { QStringLiteral("tester"), QString() };

    // A small org database with contacts 1..5 (contact 5 has no email) and no campaign tables.
    QString makeDatabase()
    {
        const QString path = m_dir.filePath(QStringLiteral("org-%1.db").arg(++m_count));
        const bool made = execSql(
            path,
            "CREATE TABLE contacts (id INTEGER PRIMARY KEY, first_name TEXT, last_name TEXT, email TEXT, "
            "current_carrier TEXT, plan_type TEXT, effective_date TEXT, birth_date TEXT, gender TEXT, "
            "state TEXT, zip_code TEXT, phone_number TEXT, status TEXT);"
            "INSERT INTO contacts (id, email, state, zip_code, birth_date, effective_date, current_carrier) "
            "VALUES (1, 'one@example.com', 'TX', '75001', '1950-05-01', '2020-01-01', 'Humana'),"
            "(2, 'Two@Example.com', 'CA', '90001', '1951-06-02', '2019-03-01', 'Aetna'),"
            "(3, 'three@example.com', 'NY', '10001', '1952-07-03', '2018-04-01', 'Humana'),"
            "(4, 'four@example.com', 'TX', '75002', '1953-08-04', '2017-05-01', 'Cigna'),"
            "(5, '', 'TX', '75003', '1954-09-05', '2016-06-01', 'Cigna');");
        return made ? path : QString();
    }

    static QByteArray fileHash(const QString &path)
    {
        QFile file(path);
        if (!file.open(QIODevice::ReadOnly))
            return {};
        return QCryptographicHash::hash(file.readAll(), QCryptographicHash::Sha256);
    }

    static OrgDatabase openRw(const QString &path)
    {
        auto db = OrgDatabase::open(path, OrgDatabase::Mode::ReadWrite);
        if (!db)
            qFatal("%s", qPrintable(db.errorMessage()));
        return std::move(*db);
    }

    static CampaignTypeRow type(const QString &name, bool all = false)
    {
        CampaignTypeRow t;
        t.name = name;
        t.targetAllContacts = all;
        return t;
    }

private slots:
    void typeNames_data();
    void typeNames();
    void addTypeWritesRowAndAudit();
    void addTypeRejectsAndWritesNothing_data();
    void addTypeRejectsAndWritesNothing();
    void editTypeAuditsBeforeAndAfter();
    void addInstanceValidatesAndNormalisesDates_data();
    void addInstanceValidatesAndNormalisesDates();
    void enrolRejectsWithLinesAndEnrolsTheRest();
    void enrolUpdatesTriggerOfExistingEnrolment();
    void endInstanceSetsEndDateAndAudits();
    void readOnlyOpenCreatesNothingAndMissingTablesReadEmpty();
    void overviewLiveAndAudience();
    void tablesIdempotentOnProductionSamples_data();
    void tablesIdempotentOnProductionSamples();
    void demoDatabaseHasCampaignData();
};

void TestCampaignStore::typeNames_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<bool>("allowed");
    QTest::newRow("plain") << u"rate_increase"_qs << true;
    QTest::newRow("digits") << u"blast_2025"_qs << true;
    QTest::newRow("upper case") << u"Rate"_qs << false;
    QTest::newRow("space") << u"rate increase"_qs << false;
    QTest::newRow("dash") << u"rate-increase"_qs << false;
    QTest::newRow("empty") << QString() << false;
    QTest::newRow("birthday") << u"birthday"_qs << false;
    QTest::newRow("effective_date") << u"effective_date"_qs << false;
    QTest::newRow("aep") << u"aep"_qs << false;
    QTest::newRow("post_window prefix") << u"post_window_x"_qs << false;
    QTest::newRow("followup prefix") << u"followup_1_cold"_qs << false;
    QTest::newRow("birthday prefix is fine") << u"birthday_card"_qs << true;
}

void TestCampaignStore::typeNames()
{
    QFETCH(QString, name);
    QFETCH(bool, allowed);
    const auto problem = CampaignStore::typeNameProblem(name);
    QCOMPARE(!problem.has_value(), allowed);
    if (problem)
        QVERIFY2(problem->startsWith(u"name: "), qPrintable(*problem));
}

void TestCampaignStore::addTypeWritesRowAndAudit()
{
    const QString path = makeDatabase();
    OrgDatabase db = openRw(path);
    CampaignStore store(db, m_actor);
    CampaignTypeRow t = type(u"rate_increase"_qs);
    t.priority = 10;
    t.daysBeforeEvent = 45;
    t.skipFailedUnderwriting = true;
    auto id = store.addType(t);
    QVERIFY2(id.ok(), qPrintable(id.errorMessage()));
    QCOMPARE(rows(path,
                  "SELECT name, priority, days_before_event, skip_failed_underwriting, active, "
                  "respect_exclusion_windows FROM campaign_types"),
             QStringList { u"rate_increase|10|45|1|1|1"_qs });
    const auto audit = AuditLog::list(db);
    QVERIFY(audit.ok());
    QCOMPARE(audit->size(), size_t(1));
    const AuditEntry &e = audit->front();
    QCOMPARE(e.user, u"tester"_qs);
    QCOMPARE(e.action, u"add"_qs);
    QCOMPARE(e.entity, u"campaign_type"_qs);
    QCOMPARE(e.entityId, *id);
    QVERIFY(e.beforeJson.isEmpty());
    const QJsonObject after = QJsonDocument::fromJson(e.afterJson.toUtf8()).object();
    QCOMPARE(after.value(u"name"_qs).toString(), u"rate_increase"_qs);
    QCOMPARE(after.value(u"days_before_event"_qs).toInt(), 45);
    QVERIFY(!e.at.isEmpty());
}

void TestCampaignStore::addTypeRejectsAndWritesNothing_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("message");
    QTest::newRow("bad name") << u"Rate Increase"_qs << u"name: "_qs;
    QTest::newRow("reserved name") << u"aep"_qs << u"reserved"_qs;
    QTest::newRow("duplicate") << u"newsletter"_qs << u"already exists"_qs;
}

void TestCampaignStore::addTypeRejectsAndWritesNothing()
{
    QFETCH(QString, name);
    QFETCH(QString, message);
    const QString path = makeDatabase();
    OrgDatabase db = openRw(path);
    CampaignStore store(db, m_actor);
    QVERIFY(store.addType(type(u"newsletter"_qs)).ok());
    const qint64 auditRows = scalar(path, u"SELECT count(*) FROM audit_log"_qs);
    auto id = store.addType(type(name));
    QVERIFY(!id.ok());
    QVERIFY(ManagementTables::isInvalidInput(id.error()));
    QVERIFY2(id.errorMessage().contains(message), qPrintable(id.errorMessage()));
    QCOMPARE(scalar(path, u"SELECT count(*) FROM campaign_types"_qs), 1);
    QCOMPARE(scalar(path, u"SELECT count(*) FROM audit_log"_qs), auditRows);
}

void TestCampaignStore::editTypeAuditsBeforeAndAfter()
{
    const QString path = makeDatabase();
    OrgDatabase db = openRw(path);
    CampaignStore store(db, m_actor);
    auto id = store.addType(type(u"newsletter"_qs));
    QVERIFY(id.ok());
    CampaignTypeRow changed = type(u"newsletter"_qs);
    changed.id = *id;
    changed.priority = 5;
    changed.active = false;
    QVERIFY(store.editType(changed).ok());
    QCOMPARE(scalar(path, u"SELECT priority FROM campaign_types"_qs), 5);
    QCOMPARE(scalar(path, u"SELECT active FROM campaign_types"_qs), 0);
    const auto audit = AuditLog::list(db);
    QCOMPARE(audit->size(), size_t(2));
    const AuditEntry &e = audit->front(); // newest first
    QCOMPARE(e.action, u"edit"_qs);
    QCOMPARE(QJsonDocument::fromJson(e.beforeJson.toUtf8()).object().value(u"priority"_qs).toInt(), 30);
    QCOMPARE(QJsonDocument::fromJson(e.afterJson.toUtf8()).object().value(u"priority"_qs).toInt(), 5);

    // Renaming a type that instances use would orphan them.
    CampaignInstanceRow instance;
    instance.campaignType = u"newsletter"_qs;
    instance.instanceName = u"May"_qs;
    QVERIFY(store.addInstance(instance).ok());
    changed.name = u"letters"_qs;
    auto renamed = store.editType(changed);
    QVERIFY(!renamed.ok());
    QVERIFY2(renamed.errorMessage().contains(u"cannot be renamed"), qPrintable(renamed.errorMessage()));
}

void TestCampaignStore::addInstanceValidatesAndNormalisesDates_data()
{
    QTest::addColumn<QString>("typeName");
    QTest::addColumn<QString>("start");
    QTest::addColumn<QString>("end");
    QTest::addColumn<QString>("states");
    QTest::addColumn<QString>("error"); // empty: accepted
    QTest::addColumn<QString>("stored");
    QTest::newRow("iso") << u"blast"_qs << u"2025-03-01"_qs << u"2025-03-31"_qs << u"tx, ca"_qs << QString()
                         << u"2025-03-01|2025-03-31|TX, CA"_qs;
    QTest::newRow("us format normalised")
        << u"blast"_qs << u"3/1/2025"_qs << QString() << QString() << QString() << u"2025-03-01|NULL|NULL"_qs;
    QTest::newRow("all states") << u"blast"_qs << QString() << QString() << u"ALL"_qs << QString()
                                << u"NULL|NULL|ALL"_qs;
    QTest::newRow("unknown type") << u"nope"_qs << QString() << QString() << QString() << u"type: "_qs
                                  << QString();
    QTest::newRow("unreadable start") << u"blast"_qs << u"2025-02-30"_qs << QString() << QString()
                                      << u"start: \"2025-02-30\" is not a date"_qs << QString();
    QTest::newRow("unreadable end") << u"blast"_qs << QString() << u"soon"_qs << QString() << u"end: "_qs
                                    << QString();
    QTest::newRow("end before start") << u"blast"_qs << u"2025-03-02"_qs << u"2025-03-01"_qs << QString()
                                      << u"end: 2025-03-01 is before"_qs << QString();
    QTest::newRow("bad state list") << u"blast"_qs << QString() << QString() << u"Texas"_qs << u"states: "_qs
                                    << QString();
}

void TestCampaignStore::addInstanceValidatesAndNormalisesDates()
{
    QFETCH(QString, typeName);
    QFETCH(QString, start);
    QFETCH(QString, end);
    QFETCH(QString, states);
    QFETCH(QString, error);
    QFETCH(QString, stored);
    const QString path = makeDatabase();
    OrgDatabase db = openRw(path);
    CampaignStore store(db, m_actor);
    QVERIFY(store.addType(type(u"blast"_qs, true)).ok());
    CampaignInstanceRow instance;
    instance.campaignType = typeName;
    instance.instanceName = u"Spring"_qs;
    instance.activeStartDate = start;
    instance.activeEndDate = end;
    instance.targetStates = states;
    auto id = store.addInstance(instance);
    if (!error.isEmpty()) {
        QVERIFY(!id.ok());
        QVERIFY(ManagementTables::isInvalidInput(id.error()));
        QVERIFY2(id.errorMessage().startsWith(error), qPrintable(id.errorMessage()));
        QCOMPARE(scalar(path, u"SELECT count(*) FROM campaign_instances"_qs), 0);
        QCOMPARE(scalar(path, u"SELECT count(*) FROM audit_log WHERE entity = 'campaign_instance'"_qs), 0);
        return;
    }
    QVERIFY2(id.ok(), qPrintable(id.errorMessage()));
    QCOMPARE(rows(path, "SELECT active_start_date, active_end_date, target_states FROM campaign_instances"),
             QStringList { stored });
    const auto audit = AuditLog::list(db, { u"campaign_instance"_qs, *id, 0 });
    QCOMPARE(audit->size(), size_t(1));
    QCOMPARE(audit->front().action, u"add"_qs);
}

void TestCampaignStore::enrolRejectsWithLinesAndEnrolsTheRest()
{
    const QString path = makeDatabase();
    OrgDatabase db = openRw(path);
    CampaignStore store(db, m_actor);
    QVERIFY(store.addType(type(u"rate_increase"_qs)).ok());
    CampaignInstanceRow instance;
    instance.campaignType = u"rate_increase"_qs;
    instance.instanceName = u"RI"_qs;
    auto id = store.addInstance(instance);
    QVERIFY(id.ok());
    const std::vector<EnrolmentInput> input = {
        { 2, 1, QString(), u"2025-07-01"_qs },
        { 3, 0, u" TWO@example.COM "_qs, u"7/15/2025"_qs }, // by email, any case
        { 4, 99, QString(), u"2025-07-01"_qs },             // unknown contact
        { 5, 3, QString(), u"2025-13-01"_qs },              // unreadable date
        { 6, 0, u"nobody@example.com"_qs, QString() },      // unknown email
        { 7, 1, QString(), u"2025-08-01"_qs },              // repeats line 2
        { 8, 4, QString(), QString() },                     // no trigger date: allowed
    };
    auto report = store.enrol(*id, input);
    QVERIFY2(report.ok(), qPrintable(report.errorMessage()));
    QCOMPARE(report->rows, 7);
    QCOMPARE(report->enrolled, 3);
    QCOMPARE(report->rejected.size(), size_t(4));
    QCOMPARE(report->rejected[0].line, 4);
    QCOMPARE(report->rejected[0].field, u"contact_id"_qs);
    QCOMPARE(report->rejected[1].line, 5);
    QCOMPARE(report->rejected[1].field, u"trigger_date"_qs);
    QCOMPARE(report->rejected[2].line, 6);
    QCOMPARE(report->rejected[2].field, u"email"_qs);
    QCOMPARE(report->rejected[3].line, 7);
    QVERIFY(report->rejected[3].reason.contains(u"line 2"));
    QCOMPARE(
        rows(path,
             "SELECT contact_id, campaign_instance_id, trigger_date, status FROM contact_campaigns "
             "ORDER BY contact_id"),
        (QStringList { u"1|1|2025-07-01|pending"_qs, u"2|1|2025-07-15|pending"_qs, u"4|1|NULL|pending"_qs }));
    const auto audit = AuditLog::list(db, { u"enrolment"_qs, *id, 0 });
    QCOMPARE(audit->size(), size_t(1));
    QCOMPARE(audit->front().action, u"enrol"_qs);
    const QJsonObject after = QJsonDocument::fromJson(audit->front().afterJson.toUtf8()).object();
    QCOMPARE(after.value(u"added"_qs).toArray().size(), 3);

    // An unknown instance is an input error; nothing is written.
    auto none = store.enrol(42, input);
    QVERIFY(!none.ok());
    QVERIFY(none.errorMessage().startsWith(u"instance: "));
    QCOMPARE(scalar(path, u"SELECT count(*) FROM contact_campaigns"_qs), 3);
}

void TestCampaignStore::enrolUpdatesTriggerOfExistingEnrolment()
{
    const QString path = makeDatabase();
    OrgDatabase db = openRw(path);
    CampaignStore store(db, m_actor);
    QVERIFY(store.addType(type(u"rate_increase"_qs)).ok());
    CampaignInstanceRow instance;
    instance.campaignType = u"rate_increase"_qs;
    instance.instanceName = u"RI"_qs;
    const qint64 id = *store.addInstance(instance);
    const std::vector<EnrolmentInput> first = { { 2, 1, QString(), u"2025-07-01"_qs } };
    QVERIFY(store.enrol(id, first).ok());
    const std::vector<EnrolmentInput> second = { { 2, 1, QString(), u"2025-09-01"_qs } };
    auto report = store.enrol(id, second);
    QVERIFY(report.ok());
    QCOMPARE(report->enrolled, 1);
    QCOMPARE(rows(path, "SELECT contact_id, trigger_date FROM contact_campaigns"),
             QStringList { u"1|2025-09-01"_qs });
    const auto audit = AuditLog::list(db, { u"enrolment"_qs, id, 0 });
    QCOMPARE(audit->size(), size_t(2));
    QVERIFY(audit->front().beforeJson.contains(u"2025-07-01"));
    QVERIFY(audit->front().afterJson.contains(u"2025-09-01"));
}

void TestCampaignStore::endInstanceSetsEndDateAndAudits()
{
    const QString path = makeDatabase();
    OrgDatabase db = openRw(path);
    CampaignStore store(db, m_actor);
    QVERIFY(store.addType(type(u"blast"_qs, true)).ok());
    CampaignInstanceRow instance;
    instance.campaignType = u"blast"_qs;
    instance.instanceName = u"Spring"_qs;
    instance.activeStartDate = u"2025-01-01"_qs;
    const qint64 id = *store.addInstance(instance);
    QVERIFY(store.endInstance(id, QDate(2025, 2, 28)).ok());
    QCOMPARE(rows(path, "SELECT active_end_date FROM campaign_instances"), QStringList { u"2025-02-28"_qs });
    const auto audit = AuditLog::list(db, { u"campaign_instance"_qs, id, 0 });
    QCOMPARE(audit->front().action, u"end"_qs);
    QCOMPARE(
        QJsonDocument::fromJson(audit->front().beforeJson.toUtf8()).object().value(u"active_end_date"_qs),
        QJsonValue(QJsonValue::Null));
    QCOMPARE(QJsonDocument::fromJson(audit->front().afterJson.toUtf8())
                 .object()
                 .value(u"active_end_date"_qs)
                 .toString(),
             u"2025-02-28"_qs);
    auto missing = store.endInstance(77, QDate(2025, 2, 28));
    QVERIFY(!missing.ok());
    QVERIFY(ManagementTables::isInvalidInput(missing.error()));
}

void TestCampaignStore::readOnlyOpenCreatesNothingAndMissingTablesReadEmpty()
{
    const QString path = makeDatabase();
    const QByteArray before = fileHash(path);
    {
        auto db = OrgDatabase::open(path, OrgDatabase::Mode::ReadOnly);
        QVERIFY(db.ok());
        CampaignStore store(*db, m_actor);
        auto catalog = store.catalog();
        QVERIFY(catalog.ok());
        QVERIFY(catalog->types.empty());
        QVERIFY(catalog->instances.empty());
        auto overview = store.overview(QDate(2025, 3, 1));
        QVERIFY(overview.ok());
        QVERIFY(store.enrolments(1)->empty());
        QVERIFY(AuditLog::list(*db)->empty());
        // A write on a read-only connection is refused, and creates no table.
        auto added = store.addType(type(u"newsletter"_qs));
        QVERIFY(!added.ok());
        QCOMPARE(dbErrorKind(added.error()), DbErrorKind::ReadOnly);
    }
    QCOMPARE(fileHash(path), before);
    QCOMPARE(
        scalar(path,
               u"SELECT count(*) FROM sqlite_master WHERE name LIKE 'campaign%' OR name = 'audit_log'"_qs),
        0);
    // Opening read-write and only reading creates nothing either.
    {
        OrgDatabase db = openRw(path);
        CampaignStore store(db, m_actor);
        QVERIFY(store.catalog().ok());
    }
    QCOMPARE(scalar(path, u"SELECT count(*) FROM sqlite_master WHERE name LIKE 'campaign%'"_qs), 0);
}

void TestCampaignStore::overviewLiveAndAudience()
{
    const QString path = makeDatabase();
    OrgDatabase db = openRw(path);
    CampaignStore store(db, m_actor);
    QVERIFY(store.addType(type(u"blast"_qs, true)).ok());
    QVERIFY(store.addType(type(u"rate_increase"_qs)).ok());
    CampaignInstanceRow all;
    all.campaignType = u"blast"_qs;
    all.instanceName = u"All of Texas"_qs;
    all.activeStartDate = u"2025-03-01"_qs;
    all.targetStates = u"TX"_qs;
    const qint64 allId = *store.addInstance(all);
    CampaignInstanceRow ended = all;
    ended.instanceName = u"Old"_qs;
    ended.activeStartDate = u"2025-01-01"_qs;
    ended.activeEndDate = u"2025-01-31"_qs;
    ended.targetStates.clear();
    QVERIFY(store.addInstance(ended).ok());
    CampaignInstanceRow enrolled;
    enrolled.campaignType = u"rate_increase"_qs;
    enrolled.instanceName = u"RI"_qs;
    enrolled.targetCarriers = u"humana"_qs;
    const qint64 riId = *store.addInstance(enrolled);
    const std::vector<EnrolmentInput> input = { { 2, 1, QString(), u"2025-05-01"_qs },
                                                { 3, 2, QString(), u"2025-05-01"_qs },
                                                { 4, 3, QString(), u"2025-05-01"_qs } };
    QVERIFY(store.enrol(riId, input).ok());

    auto overview = store.overview(QDate(2025, 3, 1));
    QVERIFY2(overview.ok(), qPrintable(overview.errorMessage()));
    QCOMPARE(overview->types.size(), size_t(2));
    QCOMPARE(overview->instances.size(), size_t(3));
    const CampaignInstanceState &texas = overview->instances[0];
    QCOMPARE(texas.row.id, allId);
    QVERIFY(texas.live);
    QCOMPARE(texas.audience, 2); // contacts 1 and 4; contact 5 has no email (an error problem)
    QVERIFY(!overview->instances[1].live);
    QVERIFY(!overview->instances[1].liveDetail.isEmpty());
    QCOMPARE(overview->instances[1].audience, 0);
    const CampaignInstanceState &ri = overview->instances[2];
    QVERIFY(ri.live);
    QCOMPARE(ri.enrolled, 3);
    QCOMPARE(ri.audience, 2); // enrolled with carrier Humana: contacts 1 and 3

    // Before its start the Texas blast is not live.
    auto early = store.overview(QDate(2025, 2, 28));
    QVERIFY(!early->instances[0].live);
}

void TestCampaignStore::tablesIdempotentOnProductionSamples_data()
{
    QTest::addColumn<QString>("sample");
    QTest::newRow("org-206") << u"org-206.sqlite3"_qs;
    QTest::newRow("org-12") << u"org-12.db"_qs;
}

void TestCampaignStore::tablesIdempotentOnProductionSamples()
{
    QFETCH(QString, sample);
    const QString source = qEnvironmentVariable("ES_TEST_DATA") + u"/samples/"_qs + sample;
    const QString path = m_dir.filePath(u"copy-"_qs + sample);
    QFile::remove(path);
    QVERIFY(QFile::copy(source, path));
    QFile::setPermissions(path, QFile::ReadOwner | QFile::WriteOwner);
    const QStringList contactsBefore = rows(path, "SELECT count(*), sum(id) FROM contacts");
    for (int round = 0; round < 2; ++round) {
        OrgDatabase db = openRw(path);
        for (auto ensure :
             { &ManagementTables::ensureCampaignTables, &ManagementTables::ensureSuppressionTable,
               &ManagementTables::ensureAuditTable }) {
            QVERIFY(db.exec("BEGIN", QString()).ok());
            auto made = ensure(db);
            QVERIFY2(made.ok(), qPrintable(made.errorMessage()));
            QVERIFY(db.exec("COMMIT", QString()).ok());
        }
    }
    QCOMPARE(rows(path,
                  "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN ('campaign_types', "
                  "'campaign_instances', 'contact_campaigns', 'email_suppressions', 'audit_log')"),
             QStringList { u"5"_qs });
    QCOMPARE(rows(path, "SELECT group_concat(name, ',') FROM pragma_table_info('campaign_types')"),
             QStringList { u"id,name,respect_exclusion_windows,enable_followups,days_before_event,"
                           u"target_all_contacts,priority,active,spread_evenly,skip_failed_underwriting,"
                           u"created_at,updated_at"_qs });
    QCOMPARE(rows(path, "SELECT count(*) FROM pragma_index_list('email_suppressions') WHERE \"unique\" = 1"),
             QStringList { u"1"_qs });
    QCOMPARE(rows(path, "SELECT count(*), sum(id) FROM contacts"), contactsBefore);
    // The unique index compares trimmed, case-insensitive addresses.
    QVERIFY(execSql(path, "INSERT INTO email_suppressions (email, reason) VALUES ('a@b.com', 'other')"));
    QString error;
    QVERIFY(!execSql(path, "INSERT INTO email_suppressions (email, reason) VALUES (' A@B.com', 'other')",
                     &error));
}

void TestCampaignStore::demoDatabaseHasCampaignData()
{
    const QString path = m_dir.filePath(u"demo.sqlite3"_qs);
    DemoGenerator::Options options;
    options.path = path;
    options.contacts = 3000;
    options.seed = 7;
    options.today = QDate(2025, 3, 1);
    options.overwrite = true;
    auto summary = DemoGenerator::generate(options);
    QVERIFY2(summary.ok(), qPrintable(summary.errorMessage()));
    const QStringList counts
        = rows(path,
               "SELECT (SELECT count(*) FROM campaign_types), (SELECT count(*) FROM campaign_instances), "
               "(SELECT count(*) > 200 FROM contact_campaigns WHERE trigger_date IS NOT NULL), "
               "(SELECT count(*) > 0 FROM contact_events WHERE metadata LIKE '%yes_count\":0%'), "
               "(SELECT count(*) > 0 FROM contact_events WHERE metadata LIKE '%yes_count\":2%'), "
               "(SELECT count(*) > 0 FROM tracking_clicks), "
               "(SELECT count(*) > 0 FROM email_schedules WHERE status IN ('sent', 'delivered') AND "
               "scheduled_send_date >= '2025-01-30'), "
               "(SELECT count(*) > 0 FROM email_send_tracking WHERE send_status = 'bounced'), "
               "(SELECT count(*) > 0 FROM email_suppressions), (SELECT count(*) > 0 FROM audit_log)");
    QCOMPARE(counts, QStringList { u"4|4|1|1|1|1|1|1|1|1"_qs });
    // Deterministic per seed.
    const QByteArray dump
        = rows(path, "SELECT group_concat(contact_id || trigger_date) FROM contact_campaigns")
              .join(u'\n')
              .toUtf8();
    auto again = DemoGenerator::generate(options);
    QVERIFY(again.ok());
    QCOMPARE(rows(path, "SELECT group_concat(contact_id || trigger_date) FROM contact_campaigns")
                 .join(u'\n')
                 .toUtf8(),
             dump);
    // The campaigns show live on the generator's date.
    auto db = OrgDatabase::open(path, OrgDatabase::Mode::ReadOnly);
    QVERIFY(db.ok());
    CampaignStore store(*db, m_actor);
    auto overview = store.overview(QDate(2025, 3, 1));
    QVERIFY(overview.ok());
    int live = 0;
    for (const CampaignInstanceState &s : overview->instances)
        live += s.live ? 1 : 0;
    QCOMPARE(live, 3);
}

QTEST_GUILESS_MAIN(TestCampaignStore)
#include "tst_campaignstore.moc"
