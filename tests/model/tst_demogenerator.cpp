#include "storage/demogenerator.h"

#include <QFile>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

// DemoGenerator as the desktop program uses it: progress, cancel, refusing to overwrite.
class TestDemoGenerator : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;

    static qint64 count(const QString &path, const QString &sql)
    {
        qint64 value = -1;
        {
            QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"count"_s);
            db.setDatabaseName(path);
            if (db.open()) {
                QSqlQuery query(db);
                if (query.exec(sql) && query.next())
                    value = query.value(0).toLongLong();
            }
        }
        QSqlDatabase::removeDatabase(u"count"_s);
        return value;
    }

private slots:
    void progressReachesTotal()
    {
        DemoGenerator::Options options;
        options.path = m_dir.filePath(u"progress.db"_s);
        options.contacts = 40000;
        options.today = QDate(2025, 1, 15);
        QList<qint64> seen;
        const auto result = DemoGenerator::generate(options, [&seen](qint64 done, qint64 total) {
            QCOMPARE(total, 40000);
            seen.append(done);
        });
        QVERIFY2(result.ok(), qPrintable(result.errorMessage()));
        QCOMPARE(result->contacts, 40000);
        QVERIFY(result->messyRows > 40000 / 50 && result->messyRows < 40000 / 10);
        QVERIFY(result->historyRows > 0);
        QVERIFY(seen.size() >= 3);
        QVERIFY(std::is_sorted(seen.begin(), seen.end()));
        QCOMPARE(seen.last(), 40000);
        QCOMPARE(count(options.path, u"SELECT COUNT(*) FROM contacts"_s), 40000);
        QCOMPARE(count(options.path, u"SELECT COUNT(*) FROM email_schedules"_s), result->historyRows);
    }

    void cancelLeavesNoFile()
    {
        DemoGenerator::Options options;
        options.path = m_dir.filePath(u"cancelled.db"_s);
        options.contacts = 100000;
        std::atomic_bool cancel { false };
        const auto result = DemoGenerator::generate(
            options, [&cancel](qint64 done, qint64) { cancel = done >= 16384; }, &cancel);
        QVERIFY(!result.ok());
        QVERIFY2(result.error().is(DemoGenerator::ErrorKind::Cancelled), qPrintable(result.error().message));
        QVERIFY(!QFile::exists(options.path));
        QVERIFY(!QFile::exists(options.path + u".generating"_s));
    }

    void refusesToOverwrite()
    {
        const QString path = m_dir.filePath(u"existing.db"_s);
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("keep me");
        file.close();

        DemoGenerator::Options options;
        options.path = path;
        options.contacts = 10;
        const auto refused = DemoGenerator::generate(options);
        QVERIFY(!refused.ok());
        QVERIFY2(refused.error().is(DemoGenerator::ErrorKind::FileExists),
                 qPrintable(refused.error().message));
        QVERIFY(refused.errorMessage().contains(u"existing.db"_s));
        QVERIFY(file.open(QIODevice::ReadOnly));
        QCOMPARE(file.readAll(), QByteArray("keep me"));
        file.close();

        options.overwrite = true;
        const auto replaced = DemoGenerator::generate(options);
        QVERIFY2(replaced.ok(), qPrintable(replaced.errorMessage()));
        QCOMPARE(count(path, u"SELECT COUNT(*) FROM contacts"_s), 10);
    }

    void smallDatabasesAreValid_data()
    {
        QTest::addColumn<int>("contacts");
        QTest::newRow("empty") << 0;
        QTest::newRow("one") << 1;
        QTest::newRow("fewer than the states") << 50;
        QTest::newRow("one full insert plus one") << 65;
    }

    void smallDatabasesAreValid()
    {
        QFETCH(int, contacts);
        DemoGenerator::Options options;
        options.path = m_dir.filePath(u"small-%1.db"_s.arg(contacts));
        options.contacts = contacts;
        const auto result = DemoGenerator::generate(options);
        QVERIFY2(result.ok(), qPrintable(result.errorMessage()));
        QCOMPARE(count(options.path, u"SELECT COUNT(*) FROM contacts"_s), contacts);
        QCOMPARE(count(options.path, u"SELECT COUNT(DISTINCT id) FROM contacts"_s), contacts);
    }
};

QTEST_GUILESS_MAIN(TestDemoGenerator)
#include "tst_demogenerator.moc"
