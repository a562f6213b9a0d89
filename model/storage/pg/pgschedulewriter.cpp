#include "storage/pg/pgschedulewriter.h"

#include "campaignrun.h"
#include "dates.h"
#include "datetext.h"
#include "storage/orgdatabase.h"
#include "storage/pg/pgconnection.h"
#include "storage/pg/pgrunhistory.h"
#include "storage/pg/pgschema.h"
#include "storage/storedschedule.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QThread>

#include <algorithm>
#include <cstdio>

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("ScheduleWriter", text);
}

// ES_PHASE_TIMES=1 prints how long each step of the write took to stderr (as BatchJob does).
void phaseTime(const char *phase, QElapsedTimer &timer)
{
    static const bool enabled = qEnvironmentVariableIsSet("ES_PHASE_TIMES");
    if (enabled)
        std::fprintf(stderr, "phase pg %s: %.3f s\n", phase, double(timer.nsecsElapsed()) / 1e9);
    timer.restart();
}

Error cancelledError(const QString &name)
{
    return dbError(DbErrorKind::Cancelled, tr("Cancelled; %1 was not changed.").arg(name));
}

// "another run, started by alice at 2024-05-01 12:00:00 UTC, is in progress"
QString holderText(const PgConnection &db)
{
    auto holder = db.query(
        "SELECT a.application_name, a.usename::text, to_char(a.xact_start AT TIME ZONE 'UTC', "
        "'YYYY-MM-DD HH24:MI:SS') FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid WHERE l.locktype "
        "= "
        "'advisory' AND l.granted AND l.database = (SELECT oid FROM pg_database WHERE datname = "
        "current_database()) AND l.classid = $1::int::oid AND l.objid = hashtext(current_schema())::oid AND "
        "l.objsubid = 2 LIMIT 1",
        QString(), { QByteArray::number(PgSchema::LockClassKey) });
    QString user;
    QString started;
    if (holder && holder->rows() == 1) {
        const QString application = holder->text(0, 0);
        const QLatin1StringView prefix("email-scheduler run by ");
        user = application.startsWith(prefix) ? application.mid(prefix.size()) : holder->text(0, 1);
        started = holder->text(0, 2);
    }
    if (user.isEmpty())
        user = tr("another user");
    if (started.isEmpty())
        return tr("another run, started by %1, is in progress").arg(user);
    return tr("another run, started by %1 at %2 UTC, is in progress").arg(user, started);
}

// Takes the organisation's run lock inside the open transaction, waiting up to the busy timeout.
Result<void> lockOrganisation(PgConnection &db, const WriteOptions &options)
{
    const QString action = tr("lock");
    QElapsedTimer waited;
    waited.start();
    bool announced = false;
    const int timeoutSeconds = std::max(0, options.busyTimeoutMs) / 1000;
    for (;;) {
        auto got = db.query("SELECT pg_try_advisory_xact_lock($1::int, hashtext(current_schema()))", action,
                            { QByteArray::number(PgSchema::LockClassKey) });
        if (!got)
            return got.error();
        if (got->value(0, 0) == "t")
            return {};
        if (!announced) {
            announced = true;
            if (options.onWaiting)
                options.onWaiting(tr("%1 is busy: %2; waiting up to %3 s.")
                                      .arg(db.name(), holderText(db))
                                      .arg(timeoutSeconds));
        }
        if (options.isCanceled && options.isCanceled())
            return cancelledError(db.name());
        if (waited.elapsed() >= options.busyTimeoutMs)
            return dbError(DbErrorKind::Locked,
                           tr("Gave up after %1 s: on %2, %3. Try again when it has finished.")
                               .arg(timeoutSeconds)
                               .arg(db.name(), holderText(db)));
        QThread::msleep(200);
    }
}

// The columns of the new rows, in the temporary table and the COPY lines.
constexpr const char *kNewRows
    = "CREATE TEMP TABLE es_new_rows (contact_id bigint, email_type text, scheduled_send_date date, status "
      "text, skip_reason text, event_year integer, event_month integer, event_day integer, catchup_note "
      "text, campaign_instance_id bigint) "
      "ON COMMIT DROP";

// Fills the COPY buffer with the batch's emails, contact by contact, each contact's in the
// order of the SQLite writer; a key the engine gave twice is counted as a collision, not sent.
class NewRows
{
public:
    explicit NewRows(const BatchResult &batch) : m_batch(batch), m_names(batch.campaigns.get()) { }

    bool fill(QByteArray &buffer)
    {
        const std::size_t end = std::min(m_next + 256, m_batch.schedules.size());
        for (; m_next < end; ++m_next) {
            const ContactSchedule &schedule = m_batch.schedules[m_next];
            // As the SQLite writer: the unique index's order, a key the engine gave twice once.
            collisions += StoredSchedule::writeOrder(schedule, m_names, m_order);
            const QByteArray id = QByteArray::number(schedule.contactId);
            for (const quint32 index : m_order) {
                const ScheduledEmail &email = schedule.emails[index];
                char date[DateText::Length];
                if (!DateText::write(email.date, date)) {
                    badDate = true;
                    return false;
                }
                pgCopyField(buffer, id, true);
                if (email.type == EmailType::Campaign)
                    pgCopyField(buffer, m_names.name(m_names.keyOf(email)), false);
                else
                    pgCopyField(buffer, QByteArrayView(StoredSchedule::typeName(email.type)), false);
                pgCopyField(buffer, QByteArrayView(date, DateText::Length), false);
                pgCopyField(buffer, email.status == EmailStatus::Skipped ? "skipped" : "pre-scheduled",
                            false);
                const QByteArray reason
                    = StoredSchedule::skipReasonText(schedule, email, m_batch.campaigns.get());
                pgCopyField(buffer, reason.isNull() ? QByteArrayView() : QByteArrayView(reason), false);
                const bool event = Dates::inRange(email.eventDate);
                pgCopyField(buffer, event ? QByteArray::number(email.eventDate.year()) : QByteArray(), false);
                pgCopyField(buffer, event ? QByteArray::number(email.eventDate.month()) : QByteArray(),
                            false);
                pgCopyField(buffer, event ? QByteArray::number(email.eventDate.day()) : QByteArray(), false);
                const QByteArray note = StoredSchedule::catchupNote(email);
                pgCopyField(buffer, note.isNull() ? QByteArrayView() : QByteArrayView(note), false);
                const qint64 instance = m_batch.campaigns ? m_batch.campaigns->instanceId(email) : 0;
                pgCopyField(buffer, instance ? QByteArray::number(instance) : QByteArray(), false);
                buffer += '\n';
                ++rows;
            }
        }
        return m_next < m_batch.schedules.size();
    }

    qint64 rows = 0;
    qint64 collisions = 0;
    bool badDate = false;

private:
    const BatchResult &m_batch;
    const StoredSchedule::CampaignNames m_names;
    std::size_t m_next = 0;
    std::vector<quint32> m_order;
};

// `n.column` compared with `s.column` of email_schedules, whatever the stored column's type.
QByteArray same(const PgConnection &db, const char *column, const char *newType)
{
    const QString stored = db.columnType(QStringLiteral("email_schedules"), QString::fromLatin1(column));
    if (stored == QLatin1StringView(newType))
        return QByteArray("n.") + column + " IS NOT DISTINCT FROM s." + column;
    return QByteArray("n.") + column + "::text IS NOT DISTINCT FROM s." + column + "::text";
}

Result<WriteSummary> writeTransaction(PgConnection &db, const BatchResult &batch, const WriteOptions &options,
                                      RunRecord &run)
{
    const QString action = tr("write the schedule to");
    auto canceled = [&options] { return options.isCanceled && options.isCanceled(); };
    if (canceled())
        return cancelledError(db.name());
    QElapsedTimer phase;
    phase.start();
    // The staging tables stay in memory (temp_buffers takes effect before the session's first
    // temporary table; it is a limit, allocated as used).
    if (auto r = db.exec("SET temp_buffers = '1GB'; BEGIN; SET LOCAL work_mem = '256MB'", action); !r)
        return r.error();
    if (auto r = lockOrganisation(db, options); !r)
        return r.error();
    if (auto r = PgSchema::ensure(db); !r)
        return r.error();
    // Campaign rows carry their instance (SPEC 9; added as on SQLite).
    auto instanceAdded = StoredSchedule::ensureInstanceColumn(db, batch.campaigns.get(), "bigint", action);
    if (!instanceAdded)
        return instanceAdded.error();
    const bool hasInstanceColumn = *instanceAdded;
    phaseTime("lock+schema", phase);

    // The processed contacts and the new rows, streamed into temporary tables.
    if (auto r = db.exec("CREATE TEMP TABLE es_run_contacts (contact_id bigint) ON COMMIT DROP", action); !r)
        return r.error();
    if (auto r = db.exec(kNewRows, action); !r)
        return r.error();
    std::size_t nextContact = 0;
    auto contacts = db.copyIn("COPY es_run_contacts FROM STDIN", action, [&](QByteArray &buffer) {
        const std::size_t end = std::min(nextContact + 4096, batch.schedules.size());
        for (; nextContact < end; ++nextContact) {
            buffer += QByteArray::number(batch.schedules[nextContact].contactId);
            buffer += '\n';
        }
        return nextContact < batch.schedules.size() && !canceled();
    });
    if (!contacts)
        return contacts.error();
    NewRows newRows(batch);
    auto copied = db.copyIn("COPY es_new_rows FROM STDIN", action,
                            [&](QByteArray &buffer) { return newRows.fill(buffer) && !canceled(); });
    if (!copied)
        return copied.error();
    phaseTime("copy", phase);
    if (newRows.badDate)
        return dbError(
            DbErrorKind::Other,
            tr("Could not %1 %2: a scheduled_send_date outside the years 1-9999.").arg(action, db.name()));
    if (canceled())
        return cancelledError(db.name());
    // Temporary tables have no statistics: without them the planner takes the new rows for a few
    // and probes email_schedules' index once per row instead of joining.
    if (auto r = db.exec("ANALYZE es_run_contacts; ANALYZE es_new_rows", action); !r)
        return r.error();
    phaseTime("analyze", phase);

    const QByteArray sendTime = batch.config.sendTime.toString(QStringLiteral("HH:mm:ss")).toUtf8();
    const QByteArray date = same(db, "scheduled_send_date", "date").contains("::text")
        ? "n.scheduled_send_date::text = s.scheduled_send_date::text"
        : "n.scheduled_send_date = s.scheduled_send_date";
    const QByteArray key = "s.contact_id = n.contact_id AND s.email_type = n.email_type AND " + date;
    const QByteArray own = "s.status IN ('pre-scheduled', 'skipped')";
    // Stored own rows of the processed contacts that no new row matches in every written column.
    const QByteArray identical = key + " AND n.status = s.status AND " + same(db, "skip_reason", "text")
        + " AND s.scheduled_send_time::text IS NOT DISTINCT FROM $1 AND " + same(db, "event_year", "integer")
        + " AND " + same(db, "event_month", "integer") + " AND " + same(db, "event_day", "integer") + " AND "
        + same(db, "catchup_note", "text")
        + (hasInstanceColumn ? " AND " + same(db, "campaign_instance_id", "bigint")
                             : QByteArray(" AND n.campaign_instance_id IS NULL"));
    auto removed = db.queryCancellable(
        "DELETE FROM email_schedules s USING es_run_contacts c WHERE s.contact_id = "
        "c.contact_id AND "
            + own + " AND NOT EXISTS (SELECT 1 FROM es_new_rows n WHERE " + identical + ')',
        action, { sendTime }, options.isCanceled);
    if (!removed)
        return removed.error();
    phaseTime("delete", phase);
    // What is left of the processed contacts' own rows is what stays unchanged.
    auto kept = db.queryCancellable("SELECT count(*) FROM email_schedules s JOIN es_run_contacts c ON "
                                    "s.contact_id = c.contact_id WHERE "
                                        + own,
                                    action, {}, options.isCanceled);
    if (!kept)
        return kept.error();
    phaseTime("count", phase);
    auto typeOf = [&db](const char *column) {
        return db.columnType(QStringLiteral("email_schedules"), QString::fromLatin1(column)).toUtf8();
    };
    const QByteArray instanceColumn = hasInstanceColumn ? ", campaign_instance_id" : "";
    const QByteArray instanceValue = hasInstanceColumn
        ? ", CAST(n.campaign_instance_id AS " + typeOf("campaign_instance_id") + ')'
        : QByteArray();
    const QString now = QDateTime::currentDateTimeUtc().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
    // Keys that are taken (an identical own row, or a row of another status) are skipped.
    const QByteArray skipTaken = " WHERE NOT EXISTS (SELECT 1 FROM email_schedules s WHERE " + key + ')';
    auto added = db.queryCancellable(
        "INSERT INTO email_schedules (contact_id, email_type, scheduled_send_date, scheduled_send_time, "
        "status, "
        "skip_reason, created_at, updated_at, batch_id, event_year, event_month, event_day, catchup_note"
            + instanceColumn
            + ") "
              "SELECT n.contact_id, n.email_type, n.scheduled_send_date, CAST($1::text AS "
            + typeOf("scheduled_send_time") + "), n.status, n.skip_reason, CAST($2::text AS "
            + typeOf("created_at") + "), CAST($2::text AS " + typeOf("updated_at")
            + "), $3, n.event_year, n.event_month, n.event_day, n.catchup_note" + instanceValue
            + " FROM es_new_rows n" + skipTaken,
        action, { sendTime, now.toUtf8(), run.batchId.toUtf8() }, options.isCanceled);
    if (!added)
        return added.error();
    phaseTime("insert", phase);

    WriteSummary summary;
    summary.batchId = run.batchId;
    summary.added = added->affected();
    summary.removed = removed->affected();
    summary.unchanged = kept->int64(0, 0);
    summary.collisions = newRows.collisions + (newRows.rows - summary.added - summary.unchanged);
    run.added = summary.added;
    run.removed = summary.removed;
    run.unchanged = summary.unchanged;
    run.status = QStringLiteral("completed");
    run.finishedAt = QDateTime::currentDateTimeUtc();
    auto id = PgRunHistory::record(db, run);
    if (!id)
        return id.error();
    summary.runId = *id;
    // Every program open on the database hears of the run when it commits.
    if (auto r = db.query("SELECT pg_notify('email_scheduler_runs', $1)", action,
                          { (run.user + u' ' + run.batchId).toUtf8() });
        !r)
        return r.error();
    if (canceled())
        return cancelledError(db.name());
    if (auto r = db.exec("COMMIT", action); !r)
        return r.error();
    phaseTime("record+commit", phase);
    return summary;
}

} // namespace

namespace PgScheduleWriter {

Result<WriteSummary> write(const BatchResult &batch, const WriteOptions &options, RunRecord run)
{
    QElapsedTimer timer;
    timer.start();
    auto db = PgSchema::openOrganisation(batch.databasePath,
                                         QStringLiteral("email-scheduler run by ") + run.user);
    if (!db)
        return db.error();
    Result<WriteSummary> result = writeTransaction(*db, batch, options, run);
    if (!result) {
        (void)db->exec("ROLLBACK", QString());
        Error error = result.error();
        if (options.isCanceled && options.isCanceled())
            error = cancelledError(db->name());
        // The failed run is recorded in its own short transaction (not while another run holds
        // the lock: that would only wait again).
        if (dbErrorKind(error) != DbErrorKind::Locked) {
            run.endWithError(error);
            if (db->exec("BEGIN", QString()) && PgSchema::ensure(*db) && PgRunHistory::record(*db, run))
                (void)db->exec("COMMIT", QString()); // best effort: the run's own error is what is reported
            else
                (void)db->exec("ROLLBACK", QString());
        }
        return error;
    }
    result->seconds = double(timer.nsecsElapsed()) / 1e9;
    return result;
}

} // namespace PgScheduleWriter
