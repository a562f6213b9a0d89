#include "batch/problemscan.h"

#include "batch/batchjob.h"
#include "engine.h"
#include "storage/contactreader.h"
#include "storage/contactsource.h"
#include "storage/orgdatabase.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QThread>
#include <QtConcurrent/QtConcurrentRun>

#include <algorithm>
#include <atomic>
#include <mutex>
#include <optional>
#include <vector>

namespace {
// Contacts per work item: small enough that a cancel is felt within a few milliseconds.
constexpr std::size_t kChunkSize = 8192;

// What one chunk found, kept apart so the chunks can be joined in id order.
struct ChunkProblems
{
    QList<ProblemRow> rows;
    qint64 contacts = 0;
    qint64 withProblems = 0;
    qint64 withErrors = 0;
};
} // namespace

namespace ProblemScan {

Result<Summary> run(const QString &databasePath, QDate today, const CancelCheck &isCanceled, int jobs)
{
    QElapsedTimer timer;
    timer.start();
    auto cancelled = [&isCanceled] { return isCanceled && isCanceled(); };
    auto cancelError = [&databasePath] {
        return dbError(
            DbErrorKind::Cancelled,
            QCoreApplication::translate("ProblemScan", "Checking %1 was cancelled.").arg(databasePath));
    };

    // Rows whose id names no single contact are reported as a batch run reports them: those
    // without a whole-number id first, then one entry per row of a shared id in id order, never
    // with the contact checks of those rows.
    ContactIdScan idScan;
    {
        // ContactReader: an SQLite file or a PostgreSQL server, the same rows either way.
        auto reader = ContactReader::open(databasePath);
        if (!reader)
            return reader.error();
        auto all = (*reader)->scanIds();
        if (!all)
            return all.error();
        idScan = std::move(all).value();
    }
    const std::vector<qint64> &ids = idScan.ids;
    std::vector<qint64> sharedIds; // ascending: scanIds lists duplicates by id
    for (const ContactIdProblem &row : idScan.duplicates) {
        if (sharedIds.empty() || sharedIds.back() != row.sharedId)
            sharedIds.push_back(row.sharedId);
    }
    if (cancelled())
        return cancelError();

    const std::size_t chunkCount = (ids.size() + kChunkSize - 1) / kChunkSize;
    std::vector<ChunkProblems> chunks(chunkCount);
    std::atomic<std::size_t> nextChunk { 0 };
    std::atomic<bool> stop { false };
    std::mutex errorMutex;
    std::optional<Error> firstError;

    // Each worker has its own connection and takes chunks until none is left; a chunk is an id
    // range, read with one statement in id order (as a batch run reads it).
    auto worker = [&] {
        BatchJob::lowerThreadPriority();
        auto reader = ContactReader::open(databasePath);
        if (!reader) {
            const std::lock_guard lock(errorMutex);
            firstError = firstError.value_or(reader.error());
            stop = true;
            return;
        }
        const ContactReader &source = **reader;
        while (!stop.load(std::memory_order_relaxed)) {
            const std::size_t index = nextChunk.fetch_add(1);
            if (index >= chunkCount)
                return;
            if (cancelled()) {
                stop = true;
                return;
            }
            const std::size_t first = index * kChunkSize;
            const std::size_t last = std::min(ids.size(), first + kChunkSize) - 1;
            ChunkProblems &out = chunks[index];
            const auto read = source.readRange(
                ids[first], ids[last], ContactSource::Fields::Checks,
                [&out, &sharedIds, today](const Contact &contact, std::span<const HistoryEntry>) {
                    // A row of a shared id inside the range: reported below as duplicate_id only.
                    if (!sharedIds.empty()
                        && std::binary_search(sharedIds.begin(), sharedIds.end(), contact.id))
                        return;
                    ++out.contacts;
                    const ContactFacts facts = Engine::checkContact(contact, today);
                    if (facts.problems.isEmpty())
                        return;
                    ++out.withProblems;
                    bool error = false;
                    for (const Problem &problem : facts.problems) {
                        error = error || problem.severity == Severity::Error;
                        out.rows.append(ProblemRow { contact.id, problem });
                    }
                    if (error)
                        ++out.withErrors;
                });
            if (!read) {
                const std::lock_guard lock(errorMutex);
                firstError = firstError.value_or(read.error());
                stop = true;
                return;
            }
        }
    };

    const int threads = int(std::clamp<std::size_t>(
        std::size_t(jobs > 0 ? jobs : QThread::idealThreadCount()), 1, std::max<std::size_t>(1, chunkCount)));
    {
        // The pool's threads end with it, so their lowered priority goes with them.
        QThreadPool pool;
        pool.setMaxThreadCount(threads);
        QList<QFuture<void>> workers;
        for (int i = 0; i < threads; ++i)
            workers.append(QtConcurrent::run(&pool, worker));
        for (QFuture<void> &future : workers)
            future.waitForFinished();
    }
    if (firstError)
        return *firstError;
    if (cancelled())
        return cancelError();

    Summary summary;
    summary.databasePath = databasePath;
    summary.today = today;
    qsizetype rows = qsizetype(idScan.invalid.size() + idScan.duplicates.size());
    for (const ChunkProblems &chunk : chunks)
        rows += chunk.rows.size();
    summary.problems.reserve(rows);
    // Rows without a usable id first (contact id 0, as ProblemsModel::collect lists a batch's).
    for (const ContactIdProblem &row : idScan.invalid)
        summary.problems.append(ProblemRow { 0, ContactSource::idProblem(row) });
    const auto invalidCount = qint64(idScan.invalid.size());
    summary.contacts += invalidCount;
    summary.contactsWithProblems += invalidCount;
    summary.contactsWithErrors += invalidCount;
    // Each shared id goes before the first checked contact with a higher id; it counts as one
    // contact with an error, as in a batch run.
    std::size_t nextDuplicate = 0;
    auto addDuplicatesBefore = [&](qint64 id, bool all = false) {
        while (nextDuplicate < idScan.duplicates.size()
               && (all || idScan.duplicates[nextDuplicate].sharedId < id)) {
            const qint64 shared = idScan.duplicates[nextDuplicate].sharedId;
            for (; nextDuplicate < idScan.duplicates.size()
                 && idScan.duplicates[nextDuplicate].sharedId == shared;
                 ++nextDuplicate)
                summary.problems.append(
                    ProblemRow { shared, ContactSource::idProblem(idScan.duplicates[nextDuplicate]) });
            ++summary.contacts;
            ++summary.contactsWithProblems;
            ++summary.contactsWithErrors;
        }
    };
    for (ChunkProblems &chunk : chunks) {
        for (ProblemRow &row : chunk.rows) {
            addDuplicatesBefore(row.contactId);
            summary.problems.append(std::move(row));
        }
        summary.contacts += chunk.contacts;
        summary.contactsWithProblems += chunk.withProblems;
        summary.contactsWithErrors += chunk.withErrors;
    }
    addDuplicatesBefore(0, true);
    summary.seconds = double(timer.nsecsElapsed()) / 1e9;
    return summary;
}

} // namespace ProblemScan

ProblemScanner::ProblemScanner(QObject *parent) : QObject(parent)
{
    qRegisterMetaType<ProblemScan::Summary>();
    // One scan at a time; the scan spreads its own work over a private pool.
    m_pool.setMaxThreadCount(1);
    connect(&m_watcher, &QFutureWatcher<Answer>::finished, this, &ProblemScanner::onFinished);
}

ProblemScanner::~ProblemScanner()
{
    // The pool's destructor waits for the running scan, which stops at its next chunk.
    m_watcher.cancel();
}

quint64 ProblemScanner::start(const QString &databasePath, QDate today)
{
    m_watcher.cancel();
    const quint64 token = ++m_token;
    m_watcher.setFuture(QtConcurrent::run(&m_pool, [token, databasePath, today](QPromise<Answer> &promise) {
        promise.addResult(Answer { token, databasePath, ProblemScan::run(databasePath, today, [&promise] {
                                       return promise.isCanceled();
                                   }) });
    }));
    setRunning(true);
    return token;
}

void ProblemScanner::cancel()
{
    ++m_token; // whatever is still on its way belongs to no request
    m_watcher.cancel();
    setRunning(false);
}

void ProblemScanner::onFinished()
{
    const QFuture<Answer> future = m_watcher.future();
    if (future.isCanceled() || future.resultCount() == 0)
        return; // a newer request or cancel() took over; it reports for itself
    const Answer answer = future.result();
    if (answer.token != m_token)
        return; // the result of an earlier request (another database, an older date)
    setRunning(false);
    if (!answer.result) {
        if (dbErrorKind(answer.result.error()) != DbErrorKind::Cancelled)
            Q_EMIT failed(answer.databasePath, answer.result.errorMessage());
        return;
    }
    Q_EMIT finished(answer.result.value());
}

void ProblemScanner::setRunning(bool running)
{
    if (running == m_running)
        return;
    m_running = running;
    Q_EMIT runningChanged(running);
}
