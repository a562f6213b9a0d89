#include "referencecsv.h"
#include "storage/demogenerator.h"

#include <QCryptographicHash>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QRegularExpression>
#include <QSet>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>

using namespace Qt::StringLiterals;

namespace {

// Whether process `pid` catches SIGINT (the SigCgt mask of /proc/<pid>/status, bit SIGINT - 1).
bool catchesSigint(qint64 pid)
{
    QFile status(u"/proc/%1/status"_s.arg(pid));
    if (!status.open(QIODevice::ReadOnly))
        return false;
    for (const QByteArray &line : status.readAll().split('\n')) {
        if (line.startsWith("SigCgt:"))
            return (line.mid(7).trimmed().toULongLong(nullptr, 16) >> (SIGINT - 1)) & 1U;
    }
    return false;
}

} // namespace

// Drives the real email-scheduler-cli binary (path in $ES_CLI): exit codes, error lines, the
// preview CSV contract and the run's idempotence (SPEC section 11).
class TestCli : public QObject
{
    Q_OBJECT

private:
    struct Outcome
    {
        int exitCode = -1;
        QByteArray out;
        QByteArray err;
        qint64 milliseconds = 0;
    };

    Outcome cli(const QStringList &args, int timeoutMs = 120000) const;
    QString path(const QString &name) const { return m_dir.filePath(name); }
    QString copySample(const QString &name, const QString &copyName) const;
    QString generate(const QString &name, int contacts, int seed = 7) const;
    static QByteArray fileHash(const QString &path);
    static QList<QStringList> parseCsv(const QByteArray &bytes, bool *crlf);
    QList<QStringList> schedulesSnapshot(const QString &dbPath, const QString &where) const;
    void expectUsageError(const Outcome &outcome) const;

    QTemporaryDir m_dir;
    QString m_cli;
    const QString m_today = u"2025-01-15"_s;
    static inline const QStringList kHeader = { u"contact_id"_s, u"email_type"_s,  u"scheduled_send_date"_s,
                                                u"status"_s,     u"reason_code"_s, u"detail"_s };

private slots:
    void initTestCase();
    void helpEverywhere_data();
    void helpEverywhere();
    void usageErrors_data();
    void usageErrors();
    void badToday_data();
    void badToday();
    void badConfig_data();
    void badConfig();
    void databaseErrors_data();
    void databaseErrors();
    void readOnlyDatabaseForRun();
    void lockedDatabase_data();
    void lockedDatabase();
    void generateWritesProductionSchema();
    void generateIsDeterministicAndRefusesOverwrite();
    void previewCsvContract();
    void previewOfSamplesLeavesFileIdentical_data();
    void previewOfSamplesLeavesFileIdentical();
    void runThenRerunIsIdempotent();
    void contactOptionUsesSingleContactSemantics();
    void outputFile();
    void cancelledRunLeavesDatabaseUnchanged();
};

TestCli::Outcome TestCli::cli(const QStringList &args, int timeoutMs) const
{
    QProcess process;
    QElapsedTimer timer;
    timer.start();
    process.start(m_cli, args);
    Outcome outcome;
    if (!process.waitForFinished(timeoutMs)) {
        process.kill();
        process.waitForFinished();
        return outcome;
    }
    outcome.milliseconds = timer.elapsed();
    outcome.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    outcome.out = process.readAllStandardOutput();
    outcome.err = process.readAllStandardError();
    return outcome;
}

QString TestCli::copySample(const QString &name, const QString &copyName) const
{
    const QString source = qEnvironmentVariable("ES_TEST_DATA") + u"/samples/"_s + name;
    const QString target = path(copyName);
    QFile::remove(target);
    if (!QFile::copy(source, target))
        return {};
    QFile::setPermissions(target, QFile::ReadOwner | QFile::WriteOwner);
    return target;
}

QString TestCli::generate(const QString &name, int contacts, int seed) const
{
    const QString db = path(name);
    QFile::remove(db);
    const Outcome outcome = cli({ u"generate"_s, u"--db"_s, db, u"--contacts"_s, QString::number(contacts),
                                  u"--seed"_s, QString::number(seed), u"--today"_s, m_today });
    if (outcome.exitCode != 0) {
        qWarning() << "generate failed:" << outcome.err;
        return {};
    }
    return db;
}

QByteArray TestCli::fileHash(const QString &filePath)
{
    QFile file(filePath);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    QCryptographicHash hash(QCryptographicHash::Sha256);
    hash.addData(&file);
    return hash.result();
}

// RFC 4180: quoted fields may hold separators, quotes (doubled) and line breaks.
QList<QStringList> TestCli::parseCsv(const QByteArray &bytes, bool *crlf)
{
    return ReferenceCsv::parse(QString::fromUtf8(bytes), u',', u'"', crlf);
}

QList<QStringList> TestCli::schedulesSnapshot(const QString &dbPath, const QString &where) const
{
    QList<QStringList> rows;
    const QString connection = u"snapshot-"_s + QString::number(quintptr(&rows));
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, connection);
        db.setDatabaseName(dbPath);
        db.setConnectOptions(u"QSQLITE_OPEN_READONLY"_s);
        if (db.open()) {
            QSqlQuery query(db);
            query.exec(
                u"SELECT contact_id, email_type, scheduled_send_date, status, COALESCE(skip_reason, '') "
                "FROM email_schedules WHERE "_s
                + where + u" ORDER BY contact_id, email_type, scheduled_send_date"_s);
            while (query.next()) {
                QStringList row;
                for (int i = 0; i < 5; ++i)
                    row.append(query.value(i).toString());
                rows.append(row);
            }
        }
    }
    QSqlDatabase::removeDatabase(connection);
    return rows;
}

void TestCli::expectUsageError(const Outcome &outcome) const
{
    QCOMPARE(outcome.exitCode, 1);
    QVERIFY2(outcome.err.startsWith("email-scheduler-cli: error: "), outcome.err.constData());
    QCOMPARE(outcome.err.count('\n'), 1); // one readable line
    QVERIFY(outcome.out.isEmpty());
}

void TestCli::initTestCase()
{
    m_cli = qEnvironmentVariable("ES_CLI");
    QVERIFY2(QFileInfo(m_cli).isExecutable(), "ES_CLI must name the built email-scheduler-cli");
    QVERIFY(m_dir.isValid());
}

void TestCli::helpEverywhere_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("expected");
    QTest::newRow("global") << QStringList { u"--help"_s } << u"Commands:"_s;
    QTest::newRow("help word") << QStringList { u"help"_s } << u"Commands:"_s;
    for (const QString &command : { u"generate"_s, u"preview"_s, u"run"_s }) {
        QTest::newRow(qPrintable(command))
            << QStringList { command, u"--help"_s } << u"Usage: email-scheduler-cli "_s + command;
        QTest::newRow(qPrintable(command + u" -h"_s))
            << QStringList { command, u"-h"_s } << u"Usage: email-scheduler-cli "_s + command;
        QTest::newRow(qPrintable(u"help "_s + command))
            << QStringList { u"help"_s, command } << u"Usage: email-scheduler-cli "_s + command;
    }
}

void TestCli::helpEverywhere()
{
    QFETCH(QStringList, args);
    QFETCH(QString, expected);
    const Outcome outcome = cli(args);
    QCOMPARE(outcome.exitCode, 0);
    QVERIFY2(QString::fromUtf8(outcome.out).contains(expected), outcome.out.constData());
    QVERIFY(outcome.err.isEmpty());
}

void TestCli::usageErrors_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("mentions");
    const QString db = u"whatever.db"_s;
    QTest::newRow("no command") << QStringList {} << QString();
    QTest::newRow("unknown command") << QStringList { u"frobnicate"_s } << u"frobnicate"_s;
    QTest::newRow("option before command") << QStringList { u"--db"_s, db } << u"--db"_s;
    QTest::newRow("unknown option") << QStringList { u"preview"_s, u"--db"_s, db, u"--bogus"_s }
                                    << u"bogus"_s;
    QTest::newRow("unknown run option") << QStringList { u"run"_s, u"--db"_s, db, u"--frob"_s } << u"frob"_s;
    QTest::newRow("missing --db") << QStringList { u"preview"_s } << u"--db"_s;
    QTest::newRow("missing value") << QStringList { u"run"_s, u"--db"_s } << u"db"_s;
    QTest::newRow("stray argument") << QStringList { u"preview"_s, u"--db"_s, db, u"extra"_s } << u"extra"_s;
    QTest::newRow("bad --jobs") << QStringList { u"preview"_s, u"--db"_s, db, u"--jobs"_s, u"0"_s }
                                << u"jobs"_s;
    QTest::newRow("bad --contact") << QStringList { u"preview"_s, u"--db"_s, db, u"--contact"_s, u"abc"_s }
                                   << u"contact"_s;
    QTest::newRow("generate without --contacts")
        << QStringList { u"generate"_s, u"--db"_s, db } << u"contacts"_s;
    QTest::newRow("generate negative")
        << QStringList { u"generate"_s, u"--db"_s, db, u"--contacts"_s, u"-5"_s } << u"contacts"_s;
}

void TestCli::usageErrors()
{
    QFETCH(QStringList, args);
    QFETCH(QString, mentions);
    const Outcome outcome = cli(args);
    QCOMPARE(outcome.exitCode, 1);
    QVERIFY2(QString::fromUtf8(outcome.err).contains(mentions), outcome.err.constData());
    if (!args.isEmpty()) // without a command the usage text goes to stderr
        expectUsageError(outcome);
    QVERIFY(!QFile::exists(path(u"whatever.db"_s)));
}

void TestCli::badToday_data()
{
    QTest::addColumn<QString>("command");
    QTest::addColumn<QString>("today");
    for (const QString &command : { u"preview"_s, u"run"_s }) {
        for (const QString &today :
             { u"2024-02-30"_s, u"05/01/2024"_s, u"tomorrow"_s, u"2024-5-1"_s, u"20240501"_s })
            QTest::newRow(qPrintable(command + u' ' + today)) << command << today;
    }
}

void TestCli::badToday()
{
    QFETCH(QString, command);
    QFETCH(QString, today);
    const QString db = copySample(u"org-206.sqlite3"_s, u"today.db"_s);
    const QByteArray before = fileHash(db);
    const Outcome outcome = cli({ command, u"--db"_s, db, u"--today"_s, today });
    expectUsageError(outcome);
    QVERIFY(QString::fromUtf8(outcome.err).contains(today));
    QCOMPARE(fileHash(db), before);
}

void TestCli::badConfig_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("mentions");
    QTest::newRow("unknown key") << QByteArray(R"({"birthday_days_before": 10, "frobnicate": 1})")
                                 << u"frobnicate"_s;
    QTest::newRow("wrong type") << QByteArray(R"({"birthday_days_before": "ten"})")
                                << u"birthday_days_before"_s;
    QTest::newRow("nested wrong type")
        << QByteArray(R"({"load_balancing": {"overage_threshold": "high"}})") << u"overage_threshold"_s;
    QTest::newRow("unknown nested key") << QByteArray(R"({"load_balancing": {"turbo": true}})") << u"turbo"_s;
    QTest::newRow("not json") << QByteArray("{ birthday_days_before: ") << u"config.json"_s;
}

void TestCli::badConfig()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, mentions);
    const QString config = path(u"config.json"_s);
    QFile file(config);
    QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
    file.write(json);
    file.close();
    const QString db = copySample(u"org-206.sqlite3"_s, u"config.db"_s);
    const QByteArray before = fileHash(db);
    for (const QString &command : { u"preview"_s, u"run"_s }) {
        const Outcome outcome = cli({ command, u"--db"_s, db, u"--config"_s, config, u"--today"_s, m_today });
        expectUsageError(outcome);
        QVERIFY2(QString::fromUtf8(outcome.err).contains(mentions), outcome.err.constData());
    }
    QCOMPARE(fileHash(db), before);

    const Outcome missing = cli({ u"preview"_s, u"--db"_s, db, u"--config"_s, path(u"nope.json"_s) });
    expectUsageError(missing);
    QVERIFY(QString::fromUtf8(missing.err).contains(u"nope.json"_s));
}

void TestCli::databaseErrors_data()
{
    QTest::addColumn<QString>("kind");
    QTest::newRow("missing") << u"missing"_s;
    QTest::newRow("not a database") << u"text"_s;
    QTest::newRow("no contacts table") << u"nocontacts"_s;
}

void TestCli::databaseErrors()
{
    QFETCH(QString, kind);
    const QString db = path(kind + u".db"_s);
    QFile::remove(db);
    if (kind == u"text") {
        QFile file(db);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(QByteArray("id,name\n1,not a database at all\n").repeated(200));
    } else if (kind == u"nocontacts") {
        {
            QSqlDatabase sql = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"nocontacts"_s);
            sql.setDatabaseName(db);
            QVERIFY(sql.open());
            QVERIFY(QSqlQuery(sql).exec(u"CREATE TABLE leads (id INTEGER PRIMARY KEY, email TEXT)"_s));
        }
        QSqlDatabase::removeDatabase(u"nocontacts"_s);
    }
    const QByteArray before = kind == u"missing" ? QByteArray() : fileHash(db);
    for (const QString &command : { u"preview"_s, u"run"_s }) {
        const Outcome outcome = cli({ command, u"--db"_s, db, u"--today"_s, m_today });
        QCOMPARE(outcome.exitCode, 2);
        QVERIFY2(outcome.err.startsWith("email-scheduler-cli: error: "), outcome.err.constData());
        QCOMPARE(outcome.err.count('\n'), 1);
        QVERIFY2(QString::fromUtf8(outcome.err).contains(kind + u".db"_s), outcome.err.constData());
        QVERIFY(outcome.out.isEmpty());
    }
    if (kind == u"missing")
        QVERIFY(!QFile::exists(db)); // never created by a failed open
    else
        QCOMPARE(fileHash(db), before);
}

void TestCli::readOnlyDatabaseForRun()
{
    const QString db = copySample(u"org-206.sqlite3"_s, u"readonly.db"_s);
    QVERIFY(QFile::setPermissions(db, QFile::ReadOwner | QFile::ReadGroup | QFile::ReadOther));
    const QByteArray before = fileHash(db);
    const Outcome run = cli({ u"run"_s, u"--db"_s, db, u"--today"_s, m_today });
    QCOMPARE(run.exitCode, 2);
    QVERIFY2(run.err.startsWith("email-scheduler-cli: error: "), run.err.constData());
    QVERIFY(QString::fromUtf8(run.err).contains(u"readonly.db"_s));
    // Reading is fine: preview and a dry run never write.
    QCOMPARE(cli({ u"preview"_s, u"--db"_s, db, u"--today"_s, m_today }).exitCode, 0);
    QCOMPARE(cli({ u"run"_s, u"--db"_s, db, u"--today"_s, m_today, u"--dry-run"_s }).exitCode, 0);
    QCOMPARE(fileHash(db), before);
    QFile::setPermissions(db, QFile::ReadOwner | QFile::WriteOwner);
}

void TestCli::lockedDatabase_data()
{
    QTest::addColumn<QString>("command");
    QTest::newRow("preview") << u"preview"_s;
    QTest::newRow("run") << u"run"_s;
}

void TestCli::lockedDatabase()
{
    QFETCH(QString, command);
    const QString db = copySample(u"org-206.sqlite3"_s, u"locked.db"_s);
    const QString connection = u"locker"_s;
    {
        QSqlDatabase sql = QSqlDatabase::addDatabase(u"QSQLITE"_s, connection);
        sql.setDatabaseName(db);
        QVERIFY(sql.open());
        QSqlQuery query(sql);
        QVERIFY2(query.exec(u"BEGIN EXCLUSIVE"_s), qPrintable(query.lastError().text()));
        QVERIFY(query.exec(u"UPDATE contacts SET status = status WHERE id = 1"_s));

        const Outcome outcome = cli({ command, u"--db"_s, db, u"--today"_s, m_today }, 60000);
        QCOMPARE(outcome.exitCode, 2);
        QVERIFY2(outcome.milliseconds < 13000, qPrintable(QString::number(outcome.milliseconds)));
        QVERIFY2(outcome.err.startsWith("email-scheduler-cli: error: "), outcome.err.constData());
        QVERIFY2(outcome.err.contains("lock"), outcome.err.constData());
        QCOMPARE(outcome.err.count('\n'), 1);
        QVERIFY(query.exec(u"ROLLBACK"_s));
    }
    QSqlDatabase::removeDatabase(connection);
}

void TestCli::generateWritesProductionSchema()
{
    const QString db = generate(u"schema.db"_s, 3000);
    QVERIFY(!db.isEmpty());
    const QString connection = u"schema"_s;
    {
        QSqlDatabase sql = QSqlDatabase::addDatabase(u"QSQLITE"_s, connection);
        sql.setDatabaseName(db);
        QVERIFY(sql.open());
        QSqlQuery query(sql);

        // contacts exactly as in org-206 (the definition text is compared without whitespace).
        QSqlDatabase sample = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"sample"_s);
        sample.setDatabaseName(qEnvironmentVariable("ES_TEST_DATA") + u"/samples/org-206.sqlite3"_s);
        sample.setConnectOptions(u"QSQLITE_OPEN_READONLY"_s);
        QVERIFY(sample.open());
        const auto definition = [](QSqlDatabase &d, const QString &name) {
            QSqlQuery q(d);
            q.exec(u"SELECT sql FROM sqlite_master WHERE name = '"_s + name + u"'"_s);
            return q.next() ? q.value(0).toString().remove(QRegularExpression(u"\\s+"_s)) : QString();
        };
        QVERIFY(!definition(sql, u"contacts"_s).isEmpty());
        QCOMPARE(definition(sql, u"contacts"_s), definition(sample, u"contacts"_s));
        QCOMPARE(definition(sql, u"email_schedules"_s), definition(sample, u"email_schedules"_s));
        QCOMPARE(definition(sql, u"idx_email_schedules_unique"_s),
                 definition(sample, u"idx_email_schedules_unique"_s));
        sample.close();

        QVERIFY(query.exec(u"SELECT COUNT(*), MIN(id), MAX(id) FROM contacts"_s) && query.next());
        QCOMPARE(query.value(0).toInt(), 3000);
        QCOMPARE(query.value(1).toInt(), 1);
        QCOMPARE(query.value(2).toInt(), 3000);

        // Every state and DC, by the stored state of well-formed rows.
        QVERIFY(
            query.exec(
                u"SELECT COUNT(DISTINCT UPPER(TRIM(state))) FROM contacts WHERE LENGTH(TRIM(state)) = 2"_s)
            && query.next());
        QVERIFY2(query.value(0).toInt() >= 51, qPrintable(query.value(0).toString()));
        QVERIFY(query.exec(u"SELECT COUNT(*) FROM contacts WHERE state = 'CA'"_s) && query.next());
        const int california = query.value(0).toInt();
        QVERIFY(query.exec(u"SELECT COUNT(*) FROM contacts WHERE state = 'WY'"_s) && query.next());
        QVERIFY2(california > 5 * query.value(0).toInt(), "states are weighted by population");

        // Mostly first-of-month effective dates, some in the future.
        QVERIFY(query.exec(
                    u"SELECT SUM(substr(effective_date, 9, 2) = '01'), COUNT(effective_date), "
                    "SUM(effective_date > '2025-01-15' AND effective_date GLOB '[0-9][0-9][0-9][0-9]-*') "
                    "FROM contacts WHERE effective_date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'"_s)
                && query.next());
        QVERIFY(query.value(0).toDouble() > 0.85 * query.value(1).toDouble());
        QVERIFY(query.value(0).toInt() < query.value(1).toInt());
        QVERIFY(query.value(2).toInt() > 0);

        // Messy rows in several formats, and legacy history rows.
        for (
            const QString &condition :
            { u"birth_date IN ('n/a', 'N/A', 'unknown', 'TBD') OR birth_date LIKE '%-02-30' OR birth_date LIKE '2/30/%'"_s,
              u"birth_date LIKE '%/%/%'"_s, u"LENGTH(zip_code) = 4"_s, u"zip_code LIKE '_____-____'"_s,
              u"zip_code IS NULL OR zip_code = ''"_s, u"email NOT LIKE '%_@_%._%' OR email LIKE '% %'"_s,
              u"state <> TRIM(state)"_s }) {
            QVERIFY(query.exec(u"SELECT COUNT(*) FROM contacts WHERE "_s + condition) && query.next());
            QVERIFY2(query.value(0).toInt() > 0, qPrintable(condition));
        }
        QVERIFY(query.exec(
                    u"SELECT COUNT(DISTINCT contact_id), COUNT(*) FROM email_schedules "
                    "WHERE email_type = UPPER(email_type) AND status IN ('sent', 'delivered', 'scheduled')"_s)
                && query.next());
        QVERIFY(query.value(0).toInt() > 30);
        QVERIFY(query.value(0).toInt() < 300);
    }
    QSqlDatabase::removeDatabase(connection);
    QSqlDatabase::removeDatabase(u"sample"_s);
}

void TestCli::generateIsDeterministicAndRefusesOverwrite()
{
    const QString a = generate(u"same-a.db"_s, 2000, 42);
    const QString b = generate(u"same-b.db"_s, 2000, 42);
    const QString c = generate(u"other.db"_s, 2000, 43);
    QVERIFY(!a.isEmpty() && !b.isEmpty() && !c.isEmpty());
    QCOMPARE(fileHash(a), fileHash(b));
    QVERIFY(fileHash(a) != fileHash(c));

    const QByteArray before = fileHash(a);
    const Outcome again = cli({ u"generate"_s, u"--db"_s, a, u"--contacts"_s, u"10"_s });
    expectUsageError(again);
    QVERIFY(again.err.contains("--force"));
    QCOMPARE(fileHash(a), before);

    const Outcome forced = cli({ u"generate"_s, u"--db"_s, a, u"--contacts"_s, u"10"_s, u"--force"_s });
    QCOMPARE(forced.exitCode, 0);
    QVERIFY(forced.out.contains("contacts=10"));
    QVERIFY(fileHash(a) != before);

    const Outcome noFolder
        = cli({ u"generate"_s, u"--db"_s, path(u"no/such/folder.db"_s), u"--contacts"_s, u"10"_s });
    QCOMPARE(noFolder.exitCode, 2);
    QVERIFY(noFolder.err.startsWith("email-scheduler-cli: error: "));
}

void TestCli::previewCsvContract()
{
    const QString db = generate(u"preview.db"_s, 3000);
    QVERIFY(!db.isEmpty());
    const QByteArray before = fileHash(db);
    const Outcome outcome = cli({ u"preview"_s, u"--db"_s, db, u"--today"_s, m_today });
    QCOMPARE(outcome.exitCode, 0);
    QVERIFY2(outcome.err.isEmpty(), outcome.err.constData());
    QCOMPARE(fileHash(db), before);

    bool crlf = false;
    const QList<QStringList> rows = parseCsv(outcome.out, &crlf);
    QVERIFY(crlf);
    QVERIFY(rows.size() > 3000);
    QCOMPARE(rows.first(), kHeader);

    // SPEC 9's written types (the demo database has campaigns and follow-ups) and SPEC 6/12's reasons.
    const QSet<QString> types = { u"birthday"_s,
                                  u"effective_date"_s,
                                  u"aep"_s,
                                  u"post_window"_s,
                                  u"followup_1_cold"_s,
                                  u"followup_2_clicked_no_hq"_s,
                                  u"followup_3_hq_no_yes"_s,
                                  u"followup_4_hq_with_yes"_s };
    static const QRegularExpression campaignType(u"^campaign_[a-z0-9_]+$"_s);
    const QSet<QString> reasons = { u""_s,
                                    u"already_sent"_s,
                                    u"birthday_window"_s,
                                    u"effective_date_window"_s,
                                    u"year_round"_s,
                                    u"spacing"_s,
                                    u"frequency_limit"_s,
                                    u"failed_underwriting"_s,
                                    u"campaign_conflict"_s };
    QSet<QString> problemCodes;
    QSet<QString> seenReasons;
    QSet<qint64> contacts;
    QStringList previousKey;
    qint64 previousId = 0;
    for (qsizetype i = 1; i < rows.size(); ++i) {
        const QStringList &row = rows.at(i);
        QCOMPARE(row.size(), 6);
        bool ok = false;
        const qint64 id = row.at(0).toLongLong(&ok);
        QVERIFY(ok);
        contacts.insert(id);
        if (row.at(3) == u"error" || row.at(3) == u"warning") {
            QVERIFY(row.at(1).isEmpty());
            QVERIFY(row.at(2).isEmpty());
            QVERIFY(!row.at(4).isEmpty());
            QVERIFY(!row.at(5).isEmpty());
            problemCodes.insert(row.at(4));
        } else if (row.at(3) == u"suppressed") {
            // SPEC 11: one row, empty type and date, reason_code suppressed, the reason in detail.
            QVERIFY(row.at(1).isEmpty());
            QVERIFY(row.at(2).isEmpty());
            QCOMPARE(row.at(4), u"suppressed"_s);
            QVERIFY(!row.at(5).isEmpty());
        } else {
            QVERIFY2(types.contains(row.at(1)) || campaignType.match(row.at(1)).hasMatch(),
                     qPrintable(row.join(u',')));
            QVERIFY(QDate::fromString(row.at(2), Qt::ISODate).isValid());
            QVERIFY(QDate::fromString(row.at(2), Qt::ISODate) >= QDate::fromString(m_today, Qt::ISODate)
                    || row.at(3) == u"skipped");
            QVERIFY2(row.at(3) == u"pre-scheduled" || row.at(3) == u"skipped", qPrintable(row.at(3)));
            QVERIFY(reasons.contains(row.at(4)));
            QCOMPARE(row.at(4).isEmpty(), row.at(3) == u"pre-scheduled");
            seenReasons.insert(row.at(4));
        }
        // contact_id, then date (empty first), then email_type, then reason_code.
        const QStringList key = { row.at(2), row.at(1), row.at(4) };
        if (id == previousId)
            QVERIFY2(!(key < previousKey), qPrintable(row.join(u',')));
        else
            QVERIFY2(id > previousId, qPrintable(row.join(u',')));
        previousId = id;
        previousKey = key;
    }
    for (const QString &code : { u"invalid_email"_s, u"unknown_state"_s, u"invalid_birth_date"_s,
                                 u"invalid_effective_date"_s, u"invalid_zip"_s, u"zip_state_mismatch"_s })
        QVERIFY2(problemCodes.contains(code), qPrintable(code));
    for (const QString &reason : { u"birthday_window"_s, u"year_round"_s, u"already_sent"_s })
        QVERIFY2(seenReasons.contains(reason), qPrintable(reason));
    QCOMPARE(contacts.size(), 3000); // every contact has at least one row (an email or a problem)

    // Same inputs, same bytes (the worker count must not matter).
    const Outcome single = cli({ u"preview"_s, u"--db"_s, db, u"--today"_s, m_today, u"--jobs"_s, u"1"_s });
    QCOMPARE(single.exitCode, 0);
    QVERIFY(single.out == outcome.out);
}

void TestCli::previewOfSamplesLeavesFileIdentical_data()
{
    QTest::addColumn<QString>("sample");
    QTest::addColumn<int>("contacts");
    QTest::newRow("org-206") << u"org-206.sqlite3"_s << 663;
    QTest::newRow("org-12") << u"org-12.db"_s << 4;
}

void TestCli::previewOfSamplesLeavesFileIdentical()
{
    QFETCH(QString, sample);
    QFETCH(int, contacts);
    const QString db = copySample(sample, u"sample-"_s + sample);
    QVERIFY(!db.isEmpty());
    const QByteArray before = fileHash(db);
    const QStringList filesBefore = QDir(m_dir.path()).entryList(QDir::Files);
    const Outcome outcome = cli({ u"preview"_s, u"--db"_s, db, u"--today"_s, u"2025-06-01"_s });
    QCOMPARE(outcome.exitCode, 0);
    QVERIFY2(outcome.err.isEmpty(), outcome.err.constData());
    bool crlf = false;
    const QList<QStringList> rows = parseCsv(outcome.out, &crlf);
    QVERIFY(crlf);
    QCOMPARE(rows.first(), kHeader);
    QSet<QString> ids;
    for (const QStringList &row : rows.mid(1))
        ids.insert(row.at(0));
    QCOMPARE(ids.size(), contacts); // every contact has an email or a problem row
    QCOMPARE(fileHash(db), before);
    QCOMPARE(QDir(m_dir.path()).entryList(QDir::Files), filesBefore); // no journal or WAL left behind
}

void TestCli::runThenRerunIsIdempotent()
{
    const QString db = generate(u"run.db"_s, 2000);
    QVERIFY(!db.isEmpty());
    const QList<QStringList> legacyBefore
        = schedulesSnapshot(db, u"status NOT IN ('pre-scheduled', 'skipped')"_s);
    QVERIFY(!legacyBefore.isEmpty());
    const Outcome preview = cli({ u"preview"_s, u"--db"_s, db, u"--today"_s, m_today });
    QCOMPARE(preview.exitCode, 0);

    // A dry run changes nothing and says what a run would add.
    const QByteArray before = fileHash(db);
    const Outcome dry = cli({ u"run"_s, u"--db"_s, db, u"--today"_s, m_today, u"--dry-run"_s });
    QCOMPARE(dry.exitCode, 0);
    QVERIFY2(dry.out.contains("dry_run=yes"), dry.out.constData());
    QCOMPARE(fileHash(db), before);

    const QRegularExpression summary(
        u"^contacts=2000 scheduled=(\\d+) skipped=(\\d+) problems=(\\d+) seconds=[0-9.]+ added=(\\d+) "
        "removed=(\\d+) unchanged=(\\d+) batch_id=\\S+\\n$"_s);
    const Outcome first = cli({ u"run"_s, u"--db"_s, db, u"--today"_s, m_today });
    QCOMPARE(first.exitCode, 0);
    const QRegularExpressionMatch m1 = summary.match(QString::fromUtf8(first.out));
    QVERIFY2(m1.hasMatch(), first.out.constData());
    QVERIFY(m1.captured(4).toLongLong() > 0);
    const QList<QStringList> own = schedulesSnapshot(db, u"status IN ('pre-scheduled', 'skipped')"_s);
    QCOMPARE(qint64(own.size()), m1.captured(4).toLongLong());
    QCOMPARE(m1.captured(1).toLongLong() + m1.captured(2).toLongLong(), qint64(own.size()));
    QCOMPARE(schedulesSnapshot(db, u"status NOT IN ('pre-scheduled', 'skipped')"_s), legacyBefore);

    // What was written is what the preview showed.
    bool crlf = false;
    QSet<QString> previewed;
    for (const QStringList &row : parseCsv(preview.out, &crlf).mid(1)) {
        if (!row.at(1).isEmpty())
            previewed.insert(QStringList { row.at(0), row.at(1), row.at(2), row.at(3) }.join(u'|'));
    }
    QSet<QString> stored;
    for (const QStringList &row : own) {
        stored.insert(QStringList { row.at(0), row.at(1), row.at(2), row.at(3) }.join(u'|'));
        if (row.at(3) == u"skipped")
            QVERIFY2(row.at(4).contains(u": "_s), qPrintable(row.at(4))); // "<reason_code>: <detail>"
    }
    QCOMPARE(stored, previewed);

    const Outcome second = cli({ u"run"_s, u"--db"_s, db, u"--today"_s, m_today });
    QCOMPARE(second.exitCode, 0);
    const QRegularExpressionMatch m2 = summary.match(QString::fromUtf8(second.out));
    QVERIFY2(m2.hasMatch(), second.out.constData());
    QCOMPARE(m2.captured(4), u"0"_s); // added
    QCOMPARE(m2.captured(5), u"0"_s); // removed
    QCOMPARE(m2.captured(6).toLongLong(), qint64(own.size()));
    QCOMPARE(schedulesSnapshot(db, u"status IN ('pre-scheduled', 'skipped')"_s), own);

    // The stored schedule is no history for the next computation: the preview is unchanged.
    const Outcome after = cli({ u"preview"_s, u"--db"_s, db, u"--today"_s, m_today });
    QCOMPARE(after.exitCode, 0);
    QVERIFY(after.out == preview.out);
}

void TestCli::contactOptionUsesSingleContactSemantics()
{
    // 100 contacts in a state without rules share a birthday: the batch's daily cap (7% of
    // 100) must spread their birthday emails, the single-contact computation must not.
    const QString db = path(u"crowd.db"_s);
    QFile::remove(db);
    {
        QSqlDatabase sql = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"crowd"_s);
        sql.setDatabaseName(db);
        QVERIFY(sql.open());
        QSqlQuery query(sql);
        for (const QString &statement : DemoGenerator::schemaStatements())
            QVERIFY2(query.exec(statement), qPrintable(query.lastError().text()));
        sql.transaction();
        QVERIFY(query.prepare(
            u"INSERT INTO contacts (id, first_name, last_name, email, birth_date, state, zip_code) "
            "VALUES (?, 'Pat', 'Doe', ?, '1950-03-10', 'TX', '75201')"_s));
        for (int id = 1; id <= 100; ++id) {
            query.addBindValue(id);
            query.addBindValue(u"pat%1@example.com"_s.arg(id));
            QVERIFY(query.exec());
        }
        sql.commit();
    }
    QSqlDatabase::removeDatabase(u"crowd"_s);

    const auto birthdayDates = [](const QByteArray &csv, QSet<QString> *ids) {
        bool crlf = false;
        QSet<QString> dates;
        for (const QStringList &row : parseCsv(csv, &crlf).mid(1)) {
            if (row.at(1) == u"birthday")
                dates.insert(row.at(2));
            if (ids)
                ids->insert(row.at(0));
        }
        return dates;
    };
    const Outcome batch = cli({ u"preview"_s, u"--db"_s, db, u"--today"_s, m_today });
    QCOMPARE(batch.exitCode, 0);
    QVERIFY2(birthdayDates(batch.out, nullptr).size() > 1, batch.out.left(600).constData());

    QStringList args = { u"preview"_s, u"--db"_s, db, u"--today"_s, m_today };
    for (int id = 1; id <= 100; ++id)
        args << u"--contact"_s << QString::number(id);
    const Outcome single = cli(args);
    QCOMPARE(single.exitCode, 0);
    QCOMPARE(birthdayDates(single.out, nullptr), QSet<QString> { u"2025-02-24"_s });

    QSet<QString> ids;
    const Outcome two
        = cli({ u"preview"_s, u"--db"_s, db, u"--today"_s, m_today, u"--contact"_s, u"42,7"_s });
    QCOMPARE(two.exitCode, 0);
    birthdayDates(two.out, &ids);
    QCOMPARE(ids, (QSet<QString> { u"7"_s, u"42"_s }));
    QVERIFY(two.out.indexOf("\r\n7,") < two.out.indexOf("\r\n42,"));

    const Outcome unknown
        = cli({ u"preview"_s, u"--db"_s, db, u"--today"_s, m_today, u"--contact"_s, u"4242"_s });
    expectUsageError(unknown);
    QVERIFY(unknown.err.contains("4242"));
}

void TestCli::outputFile()
{
    const QString db = copySample(u"org-206.sqlite3"_s, u"output.db"_s);
    const Outcome toStdout = cli({ u"preview"_s, u"--db"_s, db, u"--today"_s, m_today });
    QCOMPARE(toStdout.exitCode, 0);

    const QString csv = path(u"preview.csv"_s);
    const Outcome toFile = cli({ u"preview"_s, u"--db"_s, db, u"--today"_s, m_today, u"--output"_s, csv });
    QCOMPARE(toFile.exitCode, 0);
    QVERIFY(toFile.out.isEmpty());
    QFile file(csv);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QCOMPARE(file.readAll(), toStdout.out);

    const Outcome noFolder = cli({ u"preview"_s, u"--db"_s, db, u"--today"_s, m_today, u"--output"_s,
                                   path(u"missing/preview.csv"_s) });
    expectUsageError(noFolder);
    QVERIFY(!QFile::exists(path(u"missing"_s)));
}

void TestCli::cancelledRunLeavesDatabaseUnchanged()
{
    const QString db = generate(u"cancel.db"_s, 300000);
    QVERIFY(!db.isEmpty());
    const QList<QStringList> before = schedulesSnapshot(db, u"1"_s);
    QVERIFY(!before.isEmpty());
    QProcess process;
    process.start(m_cli, { u"run"_s, u"--db"_s, db, u"--today"_s, m_today, u"--jobs"_s, u"1"_s });
    QVERIFY(process.waitForStarted());
    // Interrupt once the run has installed its SIGINT handler (before that, SIGINT would just
    // kill the process).
    QTRY_VERIFY_WITH_TIMEOUT(catchesSigint(process.processId()), 10000);
    QCOMPARE(process.state(), QProcess::Running); // a 300,000-contact run takes seconds
    ::kill(pid_t(process.processId()), SIGINT);
    QVERIFY(process.waitForFinished(60000));
    QCOMPARE(process.exitStatus(), QProcess::NormalExit);
    QCOMPARE(process.exitCode(), 3);
    const QByteArray err = process.readAllStandardError();
    QVERIFY2(err.startsWith("email-scheduler-cli: error: "), err.constData());
    QCOMPARE(schedulesSnapshot(db, u"1"_s), before);
}

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"
