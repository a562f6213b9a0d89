#include "storage/contactsource.h"
#include "storage/orgdatabase.h"

#include <QCryptographicHash>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <sqlite3.h>

// Opening, validating and preparing org databases (model/orgdatabase, model/contactsource).
class TestOrgDatabase : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;

    QString copySample(const QString &name)
    {
        const QString source = qEnvironmentVariable("ES_TEST_DATA") + QStringLiteral("/samples/") + name;
        const QString target = m_dir.filePath(name);
        QFile::remove(target);
        if (!QFile::copy(source, target))
            return {};
        QFile::setPermissions(target,
                              QFile::ReadOwner | QFile::WriteOwner | QFile::ReadGroup | QFile::ReadOther);
        return target;
    }

    static QByteArray fileHash(const QString &path)
    {
        QFile file(path);
        if (!file.open(QIODevice::ReadOnly))
            return {};
        return QCryptographicHash::hash(file.readAll(), QCryptographicHash::Sha256);
    }

    static void execSql(const QString &path, const char *sql)
    {
        sqlite3 *db = nullptr;
        QCOMPARE(sqlite3_open(QFile::encodeName(path).constData(), &db), SQLITE_OK);
        char *message = nullptr;
        const int rc = sqlite3_exec(db, sql, nullptr, nullptr, &message);
        const QString text = QString::fromUtf8(message ? message : "");
        sqlite3_free(message);
        sqlite3_close(db);
        QVERIFY2(rc == SQLITE_OK, qPrintable(text));
    }

    static QString queryText(const QString &path, const char *sql)
    {
        sqlite3 *db = nullptr;
        sqlite3_open_v2(QFile::encodeName(path).constData(), &db, SQLITE_OPEN_READONLY, nullptr);
        sqlite3_stmt *stmt = nullptr;
        QString result;
        if (sqlite3_prepare_v2(db, sql, -1, &stmt, nullptr) == SQLITE_OK && sqlite3_step(stmt) == SQLITE_ROW)
            result = QString::fromUtf8(reinterpret_cast<const char *>(sqlite3_column_text(stmt, 0)));
        sqlite3_finalize(stmt);
        sqlite3_close(db);
        return result;
    }

private slots:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void readOnlyOpenChangesNothing_data()
    {
        QTest::addColumn<QString>("sample");
        QTest::addColumn<int>("contacts");
        QTest::newRow("org-206") << QStringLiteral("org-206.sqlite3") << 663;
        QTest::newRow("org-12") << QStringLiteral("org-12.db") << 4;
    }
    void readOnlyOpenChangesNothing()
    {
        QFETCH(QString, sample);
        QFETCH(int, contacts);
        const QString path = copySample(sample);
        QVERIFY(!path.isEmpty());
        const QByteArray before = fileHash(path);
        const QStringList filesBefore = QDir(m_dir.path()).entryList(QDir::Files);
        {
            auto db = OrgDatabase::open(path, OrgDatabase::Mode::ReadOnly);
            QVERIFY2(db.ok(), qPrintable(db.errorMessage()));
            const ContactSource source(*db);
            auto ids = source.contactIds();
            QVERIFY(ids.ok());
            QCOMPARE(qsizetype(ids->size()), qsizetype(contacts));
            int visited = 0;
            auto read = source.readRange(ids->front(), ids->back(), ContactSource::Fields::All,
                                         [&](const Contact &contact, std::span<const HistoryEntry> history) {
                                             ++visited;
                                             QVERIFY(contact.id > 0);
                                             for (const HistoryEntry &entry : history)
                                                 QVERIFY(!ContactSource::isOwnStatus(entry.status));
                                         });
            QVERIFY2(read.ok(), qPrintable(read.errorMessage()));
            QCOMPARE(visited, contacts);
            auto one = source.readContact(ids->front());
            QVERIFY(one.ok());
            QVERIFY(one->has_value());
            QCOMPARE(one->value().contact.id, ids->front());
            auto none = source.readContact(-42);
            QVERIFY(none.ok());
            QVERIFY(!none->has_value());
        }
        QCOMPARE(fileHash(path), before);
        QCOMPARE(QDir(m_dir.path()).entryList(QDir::Files), filesBefore);
    }

    void historyOfOrg206()
    {
        const QString path = copySample(QStringLiteral("org-206.sqlite3"));
        const qint64 id = queryText(path,
                                    "SELECT contact_id FROM email_schedules WHERE status = 'sent' AND "
                                    "email_type = 'BIRTHDAY' ORDER BY contact_id LIMIT 1")
                              .toLongLong();
        const int expected = queryText(path,
                                       QByteArray("SELECT count(*) FROM email_schedules WHERE contact_id = "
                                                  + QByteArray::number(id))
                                           .constData())
                                 .toInt();
        QVERIFY(id > 0);
        auto db = OrgDatabase::open(path, OrgDatabase::Mode::ReadOnly);
        QVERIFY(db.ok());
        auto record = ContactSource(*db).readContact(id);
        QVERIFY(record.ok() && record->has_value());
        const ContactRecord &contact = **record;
        QCOMPARE(contact.history.size(), qsizetype(expected));
        bool birthday = false;
        for (const HistoryEntry &entry : contact.history) {
            if (entry.emailType == u"BIRTHDAY" && entry.status == u"sent") {
                birthday = true;
                QVERIFY(entry.scheduledDate.isValid());
            }
        }
        QVERIFY(birthday);
    }

    void schemaOnBareDatabase()
    {
        const QString path = m_dir.filePath(QStringLiteral("bare.db"));
        QFile::remove(path);
        execSql(path, "CREATE TABLE contacts (id INTEGER PRIMARY KEY, email TEXT, birth_date TEXT)");
        auto db = OrgDatabase::open(path, OrgDatabase::Mode::ReadWrite);
        QVERIFY2(db.ok(), qPrintable(db.errorMessage()));
        QVERIFY(!db->hasTable(QStringLiteral("email_schedules")));
        auto schema = db->ensureSchema();
        QVERIFY2(schema.ok(), qPrintable(schema.errorMessage()));
        const QStringList columns = db->columns(QStringLiteral("email_schedules"));
        for (const char *column :
             { "id", "contact_id", "email_type", "scheduled_send_date", "scheduled_send_time", "status",
               "skip_reason", "created_at", "updated_at", "batch_id", "event_year", "event_month",
               "event_day", "catchup_note", "actual_send_datetime" })
            QVERIFY2(columns.contains(QLatin1StringView(column)), column);
        QVERIFY(db->hasTable(db->runsTable()));
        QCOMPARE(queryText(path,
                           "SELECT count(*) FROM pragma_index_list('email_schedules') WHERE \"unique\" = 1 "
                           "AND name = 'idx_email_schedules_unique'"),
                 QStringLiteral("1"));
        // A second call changes nothing.
        QVERIFY(db->ensureSchema().ok());
        QCOMPARE(db->columns(QStringLiteral("email_schedules")), columns);
    }

    void schemaKeepsForeignColumns()
    {
        const QString path = m_dir.filePath(QStringLiteral("older.db"));
        QFile::remove(path);
        execSql(path,
                "CREATE TABLE contacts (id INTEGER PRIMARY KEY, email TEXT);"
                "CREATE TABLE email_schedules (id INTEGER PRIMARY KEY, contact_id INTEGER NOT NULL, "
                "email_type TEXT NOT NULL, scheduled_send_date TEXT NOT NULL, status TEXT, "
                "org_note TEXT DEFAULT 'keep');"
                "INSERT INTO email_schedules (contact_id, email_type, scheduled_send_date, status, org_note) "
                "VALUES (1, 'BIRTHDAY', '2023-01-01', 'sent', 'legacy');");
        auto db = OrgDatabase::open(path, OrgDatabase::Mode::ReadWrite);
        QVERIFY(db.ok());
        QVERIFY(db->ensureSchema().ok());
        const QStringList columns = db->columns(QStringLiteral("email_schedules"));
        QVERIFY(columns.contains(QStringLiteral("org_note")));
        QVERIFY(columns.contains(QStringLiteral("batch_id")));
        QVERIFY(columns.contains(QStringLiteral("catchup_note")));
        QCOMPARE(queryText(path, "SELECT org_note || '/' || status FROM email_schedules"),
                 QStringLiteral("legacy/sent"));
    }

    void errors_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QByteArray>("content");
        QTest::addColumn<int>("kind");
        QTest::newRow("missing") << QStringLiteral("nothing-here.db") << QByteArray()
                                 << int(DbErrorKind::Missing);
        QTest::newRow("text file") << QStringLiteral("notes.db")
                                   << QByteArray("These are notes, not a database.\n").repeated(200)
                                   << int(DbErrorKind::NotADatabase);
        QTest::newRow("empty database")
            << QStringLiteral("empty.db") << QByteArray("") << int(DbErrorKind::NoContactsTable);
    }
    void errors()
    {
        QFETCH(QString, file);
        QFETCH(QByteArray, content);
        QFETCH(int, kind);
        const QString path = m_dir.filePath(file);
        QFile::remove(path);
        if (kind != int(DbErrorKind::Missing)) {
            QFile out(path);
            QVERIFY(out.open(QIODevice::WriteOnly));
            out.write(content);
        }
        for (auto mode : { OrgDatabase::Mode::ReadOnly, OrgDatabase::Mode::ReadWrite }) {
            auto db = OrgDatabase::open(path, mode);
            QVERIFY(!db.ok());
            QCOMPARE(int(dbErrorKind(db.error())), kind);
            QVERIFY2(db.errorMessage().contains(path), qPrintable(db.errorMessage()));
            QVERIFY(!db.errorMessage().contains(QLatin1Char('\n')));
        }
        if (kind == int(DbErrorKind::Missing))
            QVERIFY(!QFile::exists(path)); // never created
    }

    void noContactsTable()
    {
        const QString path = m_dir.filePath(QStringLiteral("other.db"));
        QFile::remove(path);
        execSql(path, "CREATE TABLE leads (id INTEGER PRIMARY KEY)");
        auto db = OrgDatabase::open(path, OrgDatabase::Mode::ReadOnly);
        QVERIFY(!db.ok());
        QCOMPARE(dbErrorKind(db.error()), DbErrorKind::NoContactsTable);
    }

    void readOnlyFile()
    {
        const QString path = copySample(QStringLiteral("org-12.db"));
        QVERIFY(QFile::setPermissions(path, QFile::ReadOwner | QFile::ReadGroup | QFile::ReadOther));
        auto writable = OrgDatabase::open(path, OrgDatabase::Mode::ReadWrite);
        QVERIFY(!writable.ok());
        QCOMPARE(dbErrorKind(writable.error()), DbErrorKind::ReadOnly);
        QVERIFY(writable.errorMessage().contains(path));
        auto readable = OrgDatabase::open(path, OrgDatabase::Mode::ReadOnly);
        QVERIFY2(readable.ok(), qPrintable(readable.errorMessage()));
        QFile::setPermissions(path, QFile::ReadOwner | QFile::WriteOwner);
    }

    void lockedDatabase()
    {
        const QString path = copySample(QStringLiteral("org-12.db"));
        sqlite3 *other = nullptr;
        QCOMPARE(sqlite3_open(QFile::encodeName(path).constData(), &other), SQLITE_OK);
        QCOMPARE(sqlite3_exec(other, "BEGIN EXCLUSIVE", nullptr, nullptr, nullptr), SQLITE_OK);
        QElapsedTimer timer;
        timer.start();
        auto db = OrgDatabase::open(path, OrgDatabase::Mode::ReadWrite);
        const qint64 elapsed = timer.elapsed();
        sqlite3_exec(other, "ROLLBACK", nullptr, nullptr, nullptr);
        sqlite3_close(other);
        QVERIFY(!db.ok());
        QCOMPARE(dbErrorKind(db.error()), DbErrorKind::Locked);
        QVERIFY2(elapsed >= 9000 && elapsed < 12000, qPrintable(QString::number(elapsed)));
        QVERIFY(db.errorMessage().contains(QStringLiteral("locked")));
        // Once the other writer is gone, it opens.
        QVERIFY(OrgDatabase::open(path, OrgDatabase::Mode::ReadWrite).ok());
    }
};

QTEST_GUILESS_MAIN(TestOrgDatabase)
#include "tst_orgdatabase.moc"
