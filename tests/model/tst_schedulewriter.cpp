#include "batch/batchjob.h"
#include "batch/schedulediff.h"
#include "storage/demogenerator.h"
#include "storage/orgdatabase.h"
#include "storage/runhistory.h"
#include "storage/schedulewriter.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <sqlite3.h>

// Writing runs atomically and idempotently (model/schedulewriter, schedulediff, runhistory).
class TestScheduleWriter : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    int m_copies = 0;

    QString copySample(const QString &name)
    {
        const QString target = m_dir.filePath(QString::number(++m_copies) + QLatin1Char('-') + name);
        if (!QFile::copy(qEnvironmentVariable("ES_TEST_DATA") + QStringLiteral("/samples/") + name, target))
            return {};
        QFile::setPermissions(target, QFile::ReadOwner | QFile::WriteOwner);
        return target;
    }

    static BatchResultPtr compute(const QString &path, QDate today)
    {
        BatchOptions options;
        options.databasePath = path;
        options.today = today;
        options.chunkSize = 100;
        auto result = BatchJob::run(options);
        if (!result)
            qWarning("%s", qPrintable(result.errorMessage()));
        return result ? *result : BatchResultPtr();
    }

    // Every row of email_schedules, one line each, ordered by id.
    static QStringList dump(const QString &path, const char *where = "1")
    {
        sqlite3 *db = nullptr;
        sqlite3_open_v2(QFile::encodeName(path).constData(), &db, SQLITE_OPEN_READONLY, nullptr);
        const QByteArray sql
            = QByteArray("SELECT id, contact_id, email_type, scheduled_send_date, status, "
                         "ifnull(skip_reason, '-'), ifnull(batch_id, '-'), ifnull(event_year, '-'), "
                         "updated_at FROM email_schedules WHERE ")
            + where + " ORDER BY id";
        sqlite3_stmt *stmt = nullptr;
        QStringList rows;
        if (sqlite3_prepare_v2(db, sql.constData(), -1, &stmt, nullptr) == SQLITE_OK) {
            while (sqlite3_step(stmt) == SQLITE_ROW) {
                QStringList fields;
                for (int i = 0; i < 9; ++i)
                    fields.append(
                        QString::fromUtf8(reinterpret_cast<const char *>(sqlite3_column_text(stmt, i))));
                rows.append(fields.join(QLatin1Char('|')));
            }
        }
        sqlite3_finalize(stmt);
        sqlite3_close(db);
        return rows;
    }

    static qint64 count(const QString &path, const char *sql)
    {
        sqlite3 *db = nullptr;
        sqlite3_open_v2(QFile::encodeName(path).constData(), &db, SQLITE_OPEN_READONLY, nullptr);
        sqlite3_stmt *stmt = nullptr;
        qint64 value = -1;
        if (sqlite3_prepare_v2(db, sql, -1, &stmt, nullptr) == SQLITE_OK && sqlite3_step(stmt) == SQLITE_ROW)
            value = sqlite3_column_int64(stmt, 0);
        sqlite3_finalize(stmt);
        sqlite3_close(db);
        return value;
    }

    static void exec(const QString &path, const QByteArray &sql)
    {
        sqlite3 *db = nullptr;
        sqlite3_open(QFile::encodeName(path).constData(), &db);
        QCOMPARE(sqlite3_exec(db, sql.constData(), nullptr, nullptr, nullptr), SQLITE_OK);
        sqlite3_close(db);
    }

private slots:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void firstRunKeepsLegacyRows()
    {
        const QString path = copySample(QStringLiteral("org-206.sqlite3"));
        const QStringList legacy = dump(path);
        QVERIFY(!legacy.isEmpty());
        const BatchResultPtr batch = compute(path, QDate(2024, 5, 1));
        QVERIFY(batch);
        auto written = ScheduleWriter::write(*batch, {});
        QVERIFY2(written.ok(), qPrintable(written.errorMessage()));
        QCOMPARE(written->added + written->collisions, batch->scheduled + batch->skipped);
        QCOMPARE(written->removed, 0);
        QCOMPARE(dump(path, "status NOT IN ('pre-scheduled', 'skipped')"), legacy);
        QCOMPARE(
            count(path, "SELECT count(*) FROM email_schedules WHERE status IN ('pre-scheduled','skipped')"),
            written->added);
        QCOMPARE(count(path,
                       "SELECT count(*) FROM email_schedules WHERE status = 'skipped' AND "
                       "(skip_reason IS NULL OR instr(skip_reason, ': ') = 0)"),
                 0);
        QCOMPARE(count(path,
                       "SELECT count(*) FROM email_schedules WHERE status = 'pre-scheduled' AND "
                       "(batch_id IS NULL OR scheduled_send_time <> '08:30:00' OR event_year IS NULL)"),
                 0);
        auto runs = RunHistory::list(path);
        QVERIFY(runs.ok());
        QCOMPARE(runs->size(), qsizetype(1));
        QCOMPARE(runs->first().status, QStringLiteral("completed"));
        QCOMPARE(runs->first().added, written->added);
        QCOMPARE(runs->first().batchId, written->batchId);
        QCOMPARE(runs->first().today, QDate(2024, 5, 1));
    }

    void secondRunChangesNothing()
    {
        const QString path = copySample(QStringLiteral("org-206.sqlite3"));
        const BatchResultPtr batch = compute(path, QDate(2024, 5, 1));
        QVERIFY(ScheduleWriter::write(*batch, {}).ok());
        const QStringList after = dump(path);
        const BatchResultPtr again = compute(path, QDate(2024, 5, 1));
        auto diff = ScheduleDiff::compute(*again);
        QVERIFY(diff.ok());
        QCOMPARE(diff->total().added + diff->total().moved + diff->total().removed + diff->total().changed,
                 0);
        QCOMPARE(diff->total().unchanged, again->scheduled + again->skipped);
        auto second = ScheduleWriter::write(*again, {});
        QVERIFY2(second.ok(), qPrintable(second.errorMessage()));
        QCOMPARE(second->added, 0);
        QCOMPARE(second->removed, 0);
        QVERIFY(second->unchanged > 0);
        QCOMPARE(dump(path), after); // same ids, same batch ids, same timestamps
        auto runs = RunHistory::list(path);
        QVERIFY(runs.ok());
        QCOMPARE(runs->size(), qsizetype(2));
        QCOMPARE(runs->first().added, 0);
        QCOMPARE(runs->first().removed, 0);
    }

    void laterRunReplacesOwnRows()
    {
        const QString path = copySample(QStringLiteral("org-206.sqlite3"));
        QVERIFY(ScheduleWriter::write(*compute(path, QDate(2024, 5, 1)), {}).ok());
        const QStringList legacy = dump(path, "status NOT IN ('pre-scheduled', 'skipped')");
        const BatchResultPtr later = compute(path, QDate(2024, 9, 15));
        auto diff = ScheduleDiff::compute(*later);
        QVERIFY(diff.ok());
        QVERIFY(diff->total().moved + diff->total().added + diff->total().removed > 0);
        auto written = ScheduleWriter::write(*later, {});
        QVERIFY(written.ok());
        QVERIFY(written->removed > 0);
        QCOMPARE(dump(path, "status NOT IN ('pre-scheduled', 'skipped')"), legacy);
        QCOMPARE(
            count(path, "SELECT count(*) FROM email_schedules WHERE status IN ('pre-scheduled','skipped')"),
            written->added + written->unchanged);
        QCOMPARE(count(path,
                       "SELECT count(*) FROM email_schedules WHERE status = 'pre-scheduled' AND "
                       "scheduled_send_date < '2024-09-15'"),
                 0);
    }

    void bareDatabaseGetsSchema()
    {
        const QString path = copySample(QStringLiteral("org-12.db")); // no email_schedules at all
        const BatchResultPtr batch = compute(path, QDate(2024, 5, 1));
        QVERIFY(batch);
        auto written = ScheduleWriter::write(*batch, {});
        QVERIFY2(written.ok(), qPrintable(written.errorMessage()));
        QCOMPARE(count(path, "SELECT count(*) FROM email_schedules"), written->added);
        QCOMPARE(count(path, "SELECT count(*) FROM scheduler_runs"), 1);
    }

    void collisionWithLegacyRowIsNotWritten()
    {
        const QString path = copySample(QStringLiteral("org-206.sqlite3"));
        const BatchResultPtr batch = compute(path, QDate(2024, 5, 1));
        // A 'sent' row on exactly the key of an email the run wants to write.
        const ContactSchedule *target = nullptr;
        for (const ContactSchedule &schedule : batch->schedules) {
            if (!schedule.emails.empty()) {
                target = &schedule;
                break;
            }
        }
        QVERIFY(target);
        const ScheduledEmail &email = target->emails.front();
        const QByteArray type = emailTypeName(email.type).toUtf8();
        const QByteArray date = email.date.toString(Qt::ISODate).toUtf8();
        exec(path,
             "INSERT INTO email_schedules (contact_id, email_type, scheduled_send_date, status) VALUES ("
                 + QByteArray::number(target->contactId) + ", '" + type + "', '" + date + "', 'sent')");
        auto written = ScheduleWriter::write(*batch, {});
        QVERIFY2(written.ok(), qPrintable(written.errorMessage()));
        QVERIFY(written->collisions >= 1);
        const QByteArray where = "contact_id = " + QByteArray::number(target->contactId)
            + " AND email_type = '" + type + "' AND scheduled_send_date = '" + date + "'";
        const QByteArray all = "SELECT count(*) FROM email_schedules WHERE " + where;
        const QByteArray sent = "SELECT count(*) FROM email_schedules WHERE status = 'sent' AND " + where;
        QCOMPARE(count(path, all.constData()), 1);
        QCOMPARE(count(path, sent.constData()), 1);
    }

    // The writer prepares rows in chunks of 16384 on a helper thread: a run of several chunks
    // writes each email once, in the unique index's order, and a failure in a later chunk
    // still leaves nothing.
    void manyRowsSpanChunksInIndexOrder()
    {
        const QString path = m_dir.filePath(QStringLiteral("chunks.sqlite3"));
        DemoGenerator::Options generate;
        generate.path = path;
        generate.contacts = 12000;
        generate.today = QDate(2024, 5, 1);
        auto generated = DemoGenerator::generate(generate);
        QVERIFY2(generated.ok(), qPrintable(generated.errorMessage()));
        const char *own = "SELECT count(*) FROM email_schedules WHERE status IN ('pre-scheduled', 'skipped')";
        const qint64 before = count(path, own);
        const QStringList legacy = dump(path);
        const BatchResultPtr batch = compute(path, QDate(2024, 5, 1));
        QVERIFY(batch);
        QVERIFY(batch->scheduled + batch->skipped > 2 * 16384);

        WriteOptions failing;
        failing.failAfterRows = 16384 + 100;
        auto failed = ScheduleWriter::write(*batch, failing);
        QVERIFY(!failed.ok());
        QCOMPARE(dump(path), legacy);

        auto written = ScheduleWriter::write(*batch, {});
        QVERIFY2(written.ok(), qPrintable(written.errorMessage()));
        QVERIFY(written->added > 2 * 16384);
        QCOMPARE(written->added + written->unchanged + written->collisions,
                 batch->scheduled + batch->skipped);
        QCOMPARE(count(path, own), before - written->removed + written->added);
        // The rows of this run, by id, follow (contact_id, email_type, scheduled_send_date).
        const QByteArray batchRows = "batch_id = '" + written->batchId.toUtf8() + "'";
        const QByteArray added = "SELECT count(*) FROM email_schedules WHERE " + batchRows;
        QCOMPARE(count(path, added.constData()), written->added);
        const QByteArray outOfOrder = "SELECT count(*) FROM (SELECT contact_id, email_type, "
                                      "scheduled_send_date, lag(contact_id) OVER w "
                                      "AS pc, lag(email_type) OVER w AS pt, lag(scheduled_send_date) OVER w "
                                      "AS pd FROM email_schedules "
                                      "WHERE "
            + batchRows
            + " WINDOW w AS (ORDER BY id)) WHERE pc IS NOT NULL AND (contact_id < pc OR (contact_id = pc AND "
              "(email_type < pt OR (email_type = pt AND scheduled_send_date <= pd))))";
        QCOMPARE(count(path, outOfOrder.constData()), 0);
        // Every email of the batch is stored once (those not added were there already).
        qint64 stored = 0;
        for (const ContactSchedule &schedule : batch->schedules)
            stored += qint64(schedule.emails.size());
        QCOMPARE(count(path, own), stored - written->collisions);
    }

    void injectedFailureKeepsOldSchedule()
    {
        const QString path = copySample(QStringLiteral("org-206.sqlite3"));
        QVERIFY(ScheduleWriter::write(*compute(path, QDate(2024, 5, 1)), {}).ok());
        const QStringList before = dump(path);
        const BatchResultPtr later = compute(path, QDate(2024, 9, 15));
        WriteOptions options;
        options.failAfterRows = 25;
        auto written = ScheduleWriter::write(*later, options);
        QVERIFY(!written.ok());
        QVERIFY(written.errorMessage().contains(path));
        QCOMPARE(dump(path), before);
        auto runs = RunHistory::list(path);
        QVERIFY(runs.ok());
        QCOMPARE(runs->first().status, QStringLiteral("failed"));
        QVERIFY(!runs->first().error.isEmpty());
    }

    void cancelKeepsOldSchedule()
    {
        const QString path = copySample(QStringLiteral("org-206.sqlite3"));
        QVERIFY(ScheduleWriter::write(*compute(path, QDate(2024, 5, 1)), {}).ok());
        const QStringList before = dump(path);
        const BatchResultPtr later = compute(path, QDate(2024, 9, 15));
        for (int after : { 0, 3, 50 }) {
            int calls = 0;
            WriteOptions options;
            options.isCanceled = [&calls, after] { return ++calls > after; };
            auto written = ScheduleWriter::write(*later, options);
            QVERIFY(!written.ok());
            QCOMPARE(dbErrorKind(written.error()), DbErrorKind::Cancelled);
            QCOMPARE(dump(path), before);
        }
        auto runs = RunHistory::list(path);
        QVERIFY(runs.ok());
        QCOMPARE(runs->first().status, QStringLiteral("cancelled"));
    }

    void lockedDatabaseFails()
    {
        const QString path = copySample(QStringLiteral("org-206.sqlite3"));
        const BatchResultPtr batch = compute(path, QDate(2024, 5, 1));
        sqlite3 *other = nullptr;
        sqlite3_open(QFile::encodeName(path).constData(), &other);
        QCOMPARE(sqlite3_exec(other, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr), SQLITE_OK);
        WriteOptions options;
        options.busyTimeoutMs = 300;
        auto written = ScheduleWriter::write(*batch, options);
        sqlite3_exec(other, "ROLLBACK", nullptr, nullptr, nullptr);
        sqlite3_close(other);
        QVERIFY(!written.ok());
        QCOMPARE(dbErrorKind(written.error()), DbErrorKind::Locked);
        QCOMPARE(
            count(path, "SELECT count(*) FROM email_schedules WHERE status IN ('pre-scheduled','skipped')"),
            0);
    }
};

QTEST_GUILESS_MAIN(TestScheduleWriter)
#include "tst_schedulewriter.moc"
