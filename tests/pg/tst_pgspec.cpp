// Telling a PostgreSQL connection from an SQLite path, and naming it without its password.

#include "storage/pg/pgconnection.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

class TestPgSpec : public QObject
{
    Q_OBJECT

private slots:
    void isConnectionSpec_data();
    void isConnectionSpec();
    void existingFileWithEqualsSignIsAFile();
    void displayNameNeverShowsThePassword();
    void environmentFillsMissingParts();
};

void TestPgSpec::isConnectionSpec_data()
{
    QTest::addColumn<QString>("database");
    QTest::addColumn<bool>("server");
    QTest::newRow("uri") << u"postgresql://alice@db1:5432/agency"_s << true;
    QTest::newRow("short scheme") << u"postgres://db1/agency"_s << true;
    QTest::newRow("scheme in capitals") << u"POSTGRESQL://db1/agency"_s << true;
    QTest::newRow("bare scheme: all from PG*") << u"postgresql://"_s << true;
    QTest::newRow("socket folder") << u"postgresql://postgres@:5433/org?host=/tmp/x"_s << true;
    QTest::newRow("key=value") << u"host=db1 port=5432 dbname=agency user=alice"_s << true;
    QTest::newRow("one key") << u"dbname=agency"_s << true;
    QTest::newRow("spaces around") << u"  postgresql://db1/agency "_s << true;
    QTest::newRow("relative file") << u"org.sqlite3"_s << false;
    QTest::newRow("absolute file") << u"/data/orgs/org-206.sqlite3"_s << false;
    QTest::newRow("windows path") << u"C:/orgs/org.db"_s << false;
    QTest::newRow("unknown key") << u"colour=blue"_s << false;
    QTest::newRow("empty") << QString() << false;
    QTest::newRow("file named like a uri path") << u"postgresql.db"_s << false;
}

void TestPgSpec::isConnectionSpec()
{
    QFETCH(QString, database);
    QFETCH(bool, server);
    QCOMPARE(PgSpec::isConnectionSpec(database), server);
}

void TestPgSpec::existingFileWithEqualsSignIsAFile()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(u"dbname=agency"_s);
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.close();
    // Relative to the current folder, as the CLI would get it.
    QVERIFY(QDir::setCurrent(dir.path()));
    QVERIFY(!PgSpec::isConnectionSpec(u"dbname=agency"_s));
    QVERIFY(PgSpec::isConnectionSpec(u"dbname=other"_s));
}

void TestPgSpec::displayNameNeverShowsThePassword()
{
    const QString shown = PgSpec::displayName(u"postgresql://alice:s3cret@db1:6543/agency"_s);
    QCOMPARE(shown, u"postgresql://alice@db1:6543/agency"_s);
    const QString keyValue = PgSpec::displayName(u"host=db1 password=s3cret user=bob dbname=org"_s);
    QVERIFY2(!keyValue.contains(u"s3cret"_s), qPrintable(keyValue));
    QCOMPARE(keyValue, u"postgresql://bob@db1:5432/org"_s);
}

void TestPgSpec::environmentFillsMissingParts()
{
    qputenv("PGHOST", "envhost");
    qputenv("PGPORT", "7777");
    qputenv("PGUSER", "carol");
    qputenv("PGDATABASE", "envdb");
    const PgSpec::Parts parts = PgSpec::parse(u"postgresql://"_s);
    QVERIFY(parts.ok);
    QCOMPARE(parts.host, u"envhost"_s);
    QCOMPARE(parts.port, u"7777"_s);
    QCOMPARE(parts.user, u"carol"_s);
    QCOMPARE(parts.dbname, u"envdb"_s);
    // What the spec says wins over the environment.
    QCOMPARE(PgSpec::displayName(u"dbname=agency"_s), u"postgresql://carol@envhost:7777/agency"_s);
    for (const char *name : { "PGHOST", "PGPORT", "PGUSER", "PGDATABASE" })
        qunsetenv(name);
    QVERIFY(!PgSpec::parse(u"host='unterminated"_s).ok);
}

QTEST_GUILESS_MAIN(TestPgSpec)
#include "tst_pgspec.moc"
