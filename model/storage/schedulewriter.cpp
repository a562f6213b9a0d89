#include "storage/schedulewriter.h"

#include "batch/runemailcounts.h"

#include "campaignrun.h"
#include "dates.h"
#include "datetext.h"
#include "storage/memorytable.h"
#include "storage/orgdatabase.h"
#include "storage/pg/pgconnection.h"
#include "storage/pg/pgschedulewriter.h"
#include "storage/runhistory.h"
#include "storage/statement.h"
#include "storage/storedschedule.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QRandomGenerator>
#include <QThreadPool>
#include <QtConcurrent>

#include <sqlite3.h>

#include <algorithm>
#include <cstring>
#include <optional>

using namespace StoredSchedule;

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("ScheduleWriter", text);
}

// The emails a run inserts: one bit per email of the batch, numbered schedule by schedule in
// the batch's order (a run may insert millions of rows; listing them took 8 bytes each).
class InsertSet
{
public:
    explicit InsertSet(std::size_t emails) : m_bits((emails + 63) / 64, 0) { }
    void add(std::size_t email)
    {
        m_bits[email / 64] |= quint64(1) << (email % 64);
        ++m_count;
    }
    bool contains(std::size_t email) const { return (m_bits[email / 64] >> (email % 64)) & 1; }
    qint64 count() const { return m_count; }

private:
    std::vector<quint64> m_bits;
    qint64 m_count = 0;
};

// One row of the INSERT, every column worked out; texts point into the chunk's buffer.
struct PreparedRow
{
    qint64 contactId = 0;
    qint64 instance = 0;        // campaign_instance_id; 0: NULL
    const char *type = nullptr; // email_type: static or the run's campaign names
    int typeSize = 0;
    qint32 reason = -1; // skip_reason: offset into the chunk's text; -1: NULL
    qint32 reasonSize = 0;
    qint32 note = -1; // catchup_note: offset into the chunk's text; -1: NULL
    qint32 noteSize = 0;
    qint32 eventYear = 0; // 0: event_year, _month, _day are NULL
    quint8 eventMonth = 0;
    quint8 eventDay = 0;
    bool skipped = false;
    bool dateOk = false; // false: the run fails (see column 2)
    char date[DateText::Length] = {};
};

// A run of consecutive rows to insert.
struct RowChunk
{
    qint64 first = 0; // row number of rows[0]
    std::vector<PreparedRow> rows;
    QByteArray text;
};

// The rows to insert, served to `INSERT ... SELECT` through a virtual table. Working out a
// row's texts (the skip reason above all) costs a good part of SQLite's insert of it, so a
// helper thread prepares the next chunk of rows while SQLite inserts the current one. Texts are
// handed to SQLite without a copy (SQLITE_STATIC): a chunk stays untouched until SQLite asks
// for a row past it, when every row of it has been inserted.
class InsertRows final : public MemoryTable
{
public:
    static constexpr qint64 ChunkRows = 16384;

    InsertRows(const BatchResult &batch, const CampaignNames &names, const InsertSet &inserts,
               qint64 failAfter)
        : m_batch(batch), m_names(names), m_inserts(inserts), m_failAfter(failAfter)
    {
        m_pool.setMaxThreadCount(1);
        prepareNext();
    }
    ~InsertRows() override { m_next.waitForFinished(); } // SQLite stopped early: let the helper end

    const char *schema() const override
    {
        return "CREATE TABLE x(contact_id, email_type, scheduled_send_date, status, skip_reason, event_year, "
               "event_month, event_day, catchup_note, campaign_instance_id)";
    }
    qint64 rowCount() const override { return m_inserts.count(); }
    bool failAt(qint64 row) const override { return m_failAfter >= 0 && row == m_failAfter; }
    void column(sqlite3_context *context, qint64 row, int column) override
    {
        // SQLite reads the rows in order, so the chunk holding `row` is the current or the next.
        if (row - m_current.first >= qint64(m_current.rows.size()) || row < m_current.first) {
            if (!advanceTo(row)) {
                sqlite3_result_error(context, "rows read out of order", -1);
                return;
            }
        }
        const PreparedRow &r = m_current.rows[std::size_t(row - m_current.first)];
        switch (column) {
        case 0:
            sqlite3_result_int64(context, r.contactId);
            break;
        case 1:
            sqlite3_result_text(context, r.type, r.typeSize, SQLITE_STATIC);
            break;
        case 2:
            // The engine never produces such a date; should one slip through, the run fails
            // and rolls back rather than writing a wrong date ("0000-12-01" would be due now).
            if (r.dateOk)
                sqlite3_result_text(context, r.date, DateText::Length, SQLITE_STATIC);
            else
                sqlite3_result_error(context, "a scheduled_send_date outside the years 1-9999", -1);
            break;
        case 3:
            sqlite3_result_text(context, r.skipped ? "skipped" : "pre-scheduled", -1, SQLITE_STATIC);
            break;
        case 4:
            resultText(context, r.reason, r.reasonSize);
            break;
        case 5:
        case 6:
        case 7:
            if (r.eventYear == 0)
                sqlite3_result_null(context);
            else
                sqlite3_result_int(context,
                                   column == 5       ? r.eventYear
                                       : column == 6 ? r.eventMonth
                                                     : r.eventDay);
            break;
        case 8:
            resultText(context, r.note, r.noteSize);
            break;
        case 9:
            if (r.instance)
                sqlite3_result_int64(context, r.instance);
            else
                sqlite3_result_null(context);
            break;
        default:
            sqlite3_result_null(context);
        }
    }

private:
    void resultText(sqlite3_context *context, qint32 offset, qint32 size) const
    {
        if (offset < 0)
            sqlite3_result_null(context);
        else
            sqlite3_result_text(context, m_current.text.constData() + offset, size, SQLITE_STATIC);
    }

    // Starts the helper on the chunk after the current one (nothing past the last row).
    void prepareNext()
    {
        if (m_produced >= rowCount())
            return;
        m_next = QtConcurrent::run(&m_pool, [this] { fill(m_spare); });
    }

    // Takes the prepared chunk, which holds `row` when SQLite reads the rows in order, and
    // starts on the next.
    bool advanceTo(qint64 row)
    {
        m_next.waitForFinished();
        std::swap(m_current, m_spare);
        prepareNext();
        return row >= m_current.first && row - m_current.first < qint64(m_current.rows.size());
    }

    // The next rows (the helper's cursor moves on through the schedules), each contact's in
    // the order planned.
    void fill(RowChunk &chunk)
    {
        chunk.first = m_produced;
        chunk.rows.clear();
        chunk.text.clear();
        const qint64 end = std::min(rowCount(), m_produced + ChunkRows);
        chunk.rows.reserve(std::size_t(end - m_produced));
        auto append = [&chunk](const QByteArray &text, qint32 &offset, qint32 &size) {
            if (text.isNull())
                return;
            offset = qint32(chunk.text.size());
            size = qint32(text.size());
            chunk.text += text;
        };
        while (m_produced < end) {
            while (m_orderNext == m_order.size()) {
                const ContactSchedule &next = m_batch.schedules[m_nextSchedule++];
                (void)writeOrder(next, m_names, m_order); // collisions were counted by the plan
                m_orderNext = 0;
                m_firstEmail = m_nextEmail;
                m_nextEmail += next.emails.size();
            }
            const quint32 index = m_order[m_orderNext++];
            if (!m_inserts.contains(m_firstEmail + index))
                continue;
            ++m_produced;
            const ContactSchedule &schedule = m_batch.schedules[m_nextSchedule - 1];
            const ScheduledEmail &email = schedule.emails[index];
            PreparedRow &r = chunk.rows.emplace_back();
            r.contactId = schedule.contactId;
            if (email.type == EmailType::Campaign) {
                const QByteArray &name = m_names.name(m_names.keyOf(email));
                r.type = name.constData();
                r.typeSize = int(name.size());
            } else {
                r.type = typeName(email.type);
                r.typeSize = int(std::strlen(r.type));
            }
            r.dateOk = DateText::write(email.date, r.date);
            r.skipped = email.status == EmailStatus::Skipped;
            append(skipReasonText(schedule, email, m_batch.campaigns.get()), r.reason, r.reasonSize);
            if (Dates::inRange(email.eventDate)) {
                int year = 0, month = 0, day = 0;
                email.eventDate.toQDate().getDate(&year, &month, &day);
                r.eventYear = year;
                r.eventMonth = quint8(month);
                r.eventDay = quint8(day);
            }
            append(catchupNote(email), r.note, r.noteSize);
            r.instance = m_batch.campaigns ? m_batch.campaigns->instanceId(email) : 0;
        }
    }

    const BatchResult &m_batch;
    const CampaignNames &m_names;
    const InsertSet &m_inserts;
    qint64 m_failAfter;
    RowChunk m_current; // read by SQLite
    RowChunk m_spare;   // filled by the helper while m_next runs
    // The helper's cursor: rows prepared so far, the next schedule and its first email's number,
    // the write order of the schedule being read (its emails from m_firstEmail).
    qint64 m_produced = 0;
    std::size_t m_nextSchedule = 0;
    std::size_t m_nextEmail = 0;
    std::size_t m_firstEmail = 0;
    std::vector<quint32> m_order;
    std::size_t m_orderNext = 0;
    QThreadPool m_pool;
    QFuture<void> m_next;
};

// Row ids to delete.
class DeleteIds final : public MemoryTable
{
public:
    explicit DeleteIds(const std::vector<qint64> &ids) : m_ids(ids) { }
    const char *schema() const override { return "CREATE TABLE x(id INTEGER)"; }
    qint64 rowCount() const override { return qint64(m_ids.size()); }
    void column(sqlite3_context *context, qint64 row, int) override
    {
        sqlite3_result_int64(context, m_ids[size_t(row)]);
    }

private:
    const std::vector<qint64> &m_ids;
};

// What the merge of the batch with the stored rows decided.
struct Plan
{
    explicit Plan(std::size_t emails) : inserts(emails) { }
    std::vector<qint64> deleteIds;
    InsertSet inserts; // inserted contact by contact in writeOrder(): kind to the unique index
    qint64 unchanged = 0;
    qint64 collisions = 0;
};

// Compares one contact's new emails with its stored rows (any status). A suppressed contact
// has no emails: all its pre-scheduled and skipped rows go (SPEC 14). `firstEmail` numbers
// the contact's first email in the InsertSet; `order` and `used` are scratch space, kept
// between contacts.
void planContact(const BatchResult &batch, const CampaignNames &names, const ContactSchedule &schedule,
                 std::size_t firstEmail, std::span<const StoredRow> rows, const QByteArray &sendTime,
                 Plan &plan, std::vector<quint32> &order, std::vector<char> &used)
{
    plan.collisions += writeOrder(schedule, names, order);
    if (rows.empty()) { // nothing stored (every contact of a first run): all are inserted
        for (const quint32 index : order)
            plan.inserts.add(firstEmail + index);
        return;
    }
    used.assign(rows.size(), 0);
    for (const quint32 index : order) {
        const ScheduledEmail &email = schedule.emails[index];
        const qint16 key = names.keyOf(email);
        const qint64 jd = email.date.toJulianDay();
        std::size_t match = rows.size();
        for (std::size_t r = 0; r < rows.size(); ++r) {
            if (!used[r] && rows[r].sameKey(email, key, jd)) {
                match = r;
                break;
            }
        }
        if (match == rows.size()) {
            plan.inserts.add(firstEmail + index);
            continue;
        }
        used[match] = 1;
        const StoredRow &row = rows[match];
        if (row.status == StatusKind::Other) {
            ++plan.collisions; // e.g. a legacy 'sent' row on that contact, type and date
        } else if (row.contentHash == newRowHash(schedule, email, sendTime, batch.campaigns.get())) {
            ++plan.unchanged;
        } else {
            plan.deleteIds.push_back(row.rowid);
            plan.inserts.add(firstEmail + index);
        }
    }
    for (std::size_t r = 0; r < rows.size(); ++r) {
        if (!used[r] && rows[r].status != StatusKind::Other)
            plan.deleteIds.push_back(rows[r].rowid);
    }
}

Error cancelledError(const QString &path)
{
    return dbError(DbErrorKind::Cancelled, tr("Cancelled; %1 was not changed.").arg(path));
}

// Runs one statement to its end, after `bind` (optional) has bound its parameters.
Result<void> step(OrgDatabase &db, const char *sql, const QString &action,
                  const std::function<void(Statement &)> &bind = {})
{
    auto stmt = Statement::prepare(db, sql, action);
    if (!stmt)
        return stmt.error();
    if (bind)
        bind(*stmt);
    return stmt->exec();
}

Result<WriteSummary> writeTransaction(OrgDatabase &db, const BatchResult &batch, const WriteOptions &options,
                                      RunRecord &run, CancelScope &cancelScope)
{
    const QString action = tr("write the schedule to");
    const bool canceled = options.isCanceled && options.isCanceled();
    if (canceled)
        return cancelledError(db.path());
    auto transaction = Transaction::begin(db, action); // rolled back on every early return
    if (!transaction)
        return transaction.error();

    // Campaign rows carry their instance (SPEC 9).
    auto instanceAdded = ensureInstanceColumn(db, batch.campaigns.get(), "INTEGER", action);
    if (!instanceAdded)
        return instanceAdded.error();
    const bool hasInstanceColumn = *instanceAdded;
    const CampaignNames names(batch.campaigns.get());

    const QByteArray sendTime = batch.config.sendTime.toString(QStringLiteral("HH:mm:ss")).toUtf8();
    std::size_t emails = 0;
    for (const ContactSchedule &schedule : batch.schedules)
        emails += schedule.emails.size();
    Plan plan(emails);
    if (!batch.schedules.empty()) {
        std::vector<quint32> order;
        std::vector<char> used;
        std::size_t next = 0;
        std::size_t firstEmail = 0; // of schedules[next]
        auto planNext = [&](std::span<const StoredRow> rows) {
            const ContactSchedule &schedule = batch.schedules[next++];
            planContact(batch, names, schedule, firstEmail, rows, sendTime, plan, order, used);
            firstEmail += schedule.emails.size();
        };
        const std::size_t count = batch.schedules.size();
        auto scanned = scan(db, batch.schedules.front().contactId, batch.schedules.back().contactId, names,
                            [&](qint64 contactId, std::span<const StoredRow> rows) {
                                while (next < count && batch.schedules[next].contactId < contactId)
                                    planNext({});
                                if (next < count && batch.schedules[next].contactId == contactId)
                                    planNext(rows);
                                return !(options.isCanceled && options.isCanceled());
                            });
        if (!scanned)
            return scanned.error();
        while (next < count)
            planNext({});
    }

    if (!plan.deleteIds.empty()) {
        std::sort(plan.deleteIds.begin(), plan.deleteIds.end());
        DeleteIds ids(plan.deleteIds);
        MemoryTable::registerAs(db.handle(), "es_delete_ids", &ids);
        auto r
            = step(db, "DELETE FROM email_schedules WHERE rowid IN (SELECT id FROM es_delete_ids)", action);
        MemoryTable::unregister(db.handle(), "es_delete_ids");
        if (!r)
            return r.error();
    }
    if (plan.inserts.count() > 0) {
        InsertRows rows(batch, names, plan.inserts, options.failAfterRows);
        MemoryTable::registerAs(db.handle(), "es_insert_rows", &rows);
        const QString now = QDateTime::currentDateTimeUtc().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
        const char *insert = hasInstanceColumn
            ? "INSERT INTO email_schedules (contact_id, email_type, scheduled_send_date, "
              "scheduled_send_time, status, skip_reason, created_at, updated_at, batch_id, event_year, "
              "event_month, event_day, catchup_note, campaign_instance_id) SELECT contact_id, email_type, "
              "scheduled_send_date, ?1, status, skip_reason, ?2, ?2, ?3, event_year, event_month, event_day, "
              "catchup_note, campaign_instance_id FROM es_insert_rows"
            : "INSERT INTO email_schedules (contact_id, email_type, scheduled_send_date, "
              "scheduled_send_time, status, skip_reason, created_at, updated_at, batch_id, event_year, "
              "event_month, event_day, catchup_note) SELECT contact_id, email_type, scheduled_send_date, "
              "?1, status, skip_reason, ?2, ?2, ?3, event_year, event_month, event_day, catchup_note "
              "FROM es_insert_rows";
        auto r = step(db, insert, action, [&](Statement &stmt) {
            stmt.bind(1, QString::fromUtf8(sendTime)).bind(2, now).bind(3, run.batchId);
        });
        MemoryTable::unregister(db.handle(), "es_insert_rows");
        if (!r)
            return r.error();
    }

    WriteSummary summary;
    summary.batchId = run.batchId;
    summary.added = plan.inserts.count();
    summary.removed = qint64(plan.deleteIds.size());
    summary.unchanged = plan.unchanged;
    summary.collisions = plan.collisions;
    run.added = summary.added;
    run.removed = summary.removed;
    run.unchanged = summary.unchanged;
    run.status = QStringLiteral("completed");
    run.finishedAt = QDateTime::currentDateTimeUtc();
    auto id = RunHistory::record(db, run);
    if (!id)
        return id.error();
    summary.runId = id.value();

    // Last chance to cancel; COMMIT itself is never interrupted.
    if (options.isCanceled && options.isCanceled())
        return cancelledError(db.path());
    cancelScope.remove();
    if (auto r = transaction->commit(); !r)
        return r.error();
    return summary;
}

} // namespace

namespace ScheduleWriter {

Result<WriteSummary> write(const BatchResult &batch, const WriteOptions &options)
{
    QElapsedTimer timer;
    timer.start();
    RunRecord run;
    run.batchId = options.batchId;
    if (run.batchId.isEmpty())
        run.batchId = QStringLiteral("run-")
            + QDateTime::currentDateTimeUtc().toString(QStringLiteral("yyyyMMddTHHmmssZ")) + QLatin1Char('-')
            + QString::number(QRandomGenerator::global()->generate() & 0xffff, 16);
    run.startedAt = batch.startedAt.isValid() ? batch.startedAt : QDateTime::currentDateTimeUtc();
    run.today = batch.today;
    run.contacts = batch.contacts;
    run.scheduled = batch.scheduled;
    run.skipped = batch.skipped;
    run.problems = batch.problems;
    for (const RunWarning &warning : batch.warnings) {
        if (!run.warnings.isEmpty())
            run.warnings += QLatin1Char('\n');
        run.warnings += warning.code + QStringLiteral(": ") + warning.message;
    }
    // Which campaigns and follow-ups it scheduled, for the run history.
    run.emailCounts = RunEmailCounts::toText(RunEmailCounts::count(batch));
    run.user = options.user.isEmpty() ? qEnvironmentVariable("USER") : options.user;
    if (PgSpec::isConnectionSpec(batch.databasePath))
        return PgScheduleWriter::write(batch, options, run);

    auto db = OrgDatabase::open(batch.databasePath, OrgDatabase::Mode::ReadWrite, options.busyTimeoutMs);
    if (!db)
        return db.error();
    if (auto r = db->ensureSchema(); !r)
        return r.error();
    // A larger page cache keeps the unique index's pages in memory during a big insert.
    (void)db->exec("PRAGMA cache_size = -65536", QString()); // only a speed-up
    std::optional<Result<WriteSummary>> written;
    {
        CancelScope cancelScope(*db, options.isCanceled, 20000);
        written.emplace(writeTransaction(*db, batch, options, run, cancelScope)); // rolled back on failure
    }
    (void)db->exec("PRAGMA shrink_memory", QString()); // the page cache: only memory
    BatchJob::releaseFreedMemory();
    Result<WriteSummary> &result = *written;
    if (!result) {
        Error error = result.error();
        if (options.isCanceled && options.isCanceled())
            error = cancelledError(db->path());
        // The failed run is recorded in its own small transaction; when the database is
        // locked that would only wait again, so it is left out.
        if (dbErrorKind(error) != DbErrorKind::Locked) {
            run.endWithError(error);
            if (auto transaction = Transaction::begin(*db, QString())) {
                if (RunHistory::record(*db, run))
                    (void)transaction->commit(); // best effort: the run's own error is what is reported
            }
        }
        return error;
    }
    result->seconds = double(timer.nsecsElapsed()) / 1e9;
    return result;
}

} // namespace ScheduleWriter
