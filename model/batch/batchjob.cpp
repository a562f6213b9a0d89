#include "batch/batchjob.h"

#include "dates.h"
#include "engine.h"
#include "storage/contactreader.h"
#include "storage/orgdatabase.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QThread>
#include <QThreadPool>
#include <QtConcurrent>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <exception>
#include <mutex>
#include <optional>

#ifdef __GLIBC__
#include <malloc.h>
#endif
#ifdef Q_OS_LINUX
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif

namespace {

// Where a worker puts a chunk's results: straight into the final vectors (slots of the
// chunk's ids), so a million schedules are never held twice.
struct ChunkResult
{
    ContactSchedule *schedules;
    Engine::ContactExclusion *exclusions; // what the load balancer's exclusion test needs
    const qint64 *ids;
    std::size_t count;
    std::size_t next = 0; // slot of the next contact

    // The slot of `id`; ids of the chunk that were not read stay empty (contactId 0). A row
    // whose id is not one of the chunk's (a shared id) gets none (count).
    std::size_t slotFor(qint64 id)
    {
        while (next < count && ids[next] < id)
            ++next;
        if (next < count && ids[next] == id)
            return next++;
        return count;
    }
};

ContactSchedule failedSchedule(qint64 id, const QString &reason)
{
    ContactSchedule schedule;
    schedule.contactId = id;
    schedule.problems.append(Problem {
        ProblemCode::ProcessingError, Severity::Error,
        QCoreApplication::translate("BatchJob",
                                    "Contact %1 could not be scheduled (%2); the other contacts were. "
                                    "Report this contact to support.")
            .arg(id)
            .arg(reason) });
    return schedule;
}

// What every worker shares: read once per run, immutable.
struct RunContext
{
    const BatchOptions &options;
    const Engine::ExclusionRules &rules;
    const CampaignRun &campaigns;
    const SuppressionList &suppressions;
};

// Schedules one contact; an exception becomes the contact's ProcessingError problem. A failed
// read of its activity is returned (the chunk then fails).
Result<void> scheduleOne(const Contact &contact, std::span<const HistoryEntry> history,
                         ActivityStream &activities, const RunContext &run, ChunkResult &out)
{
    const std::size_t slot = out.slotFor(contact.id);
    if (slot >= out.count)
        return {}; // not one of the chunk's ids (cannot happen with a consistent read)
    const Result<ContactActivity> activity = activities.seek(contact.id);
    if (!activity)
        return activity.error();
    const BatchOptions &options = run.options;
    Engine::ContactExclusion exclusion; // none for a contact that failed
    try {
        if (options.beforeContact)
            options.beforeContact(contact.id);
        const ContactFacts facts = Engine::checkContact(contact, options.today);
        ContactSchedule schedule = Engine::scheduleContact(contact, facts, history, *activity, options.today,
                                                           options.config, run.campaigns, run.suppressions);
        // Worked out here, on the worker, once per contact: the balancer may test many days.
        exclusion = run.rules.of(facts);
        schedule.contactId = contact.id;
        // The engine may have reserved room for candidates it dropped; a batch holds millions.
        if (schedule.emails.capacity() > schedule.emails.size())
            schedule.emails.shrink_to_fit();
        out.schedules[slot] = std::move(schedule);
    } catch (const std::exception &e) {
        out.schedules[slot] = failedSchedule(contact.id, QString::fromUtf8(e.what()));
    } catch (...) {
        out.schedules[slot]
            = failedSchedule(contact.id, QCoreApplication::translate("BatchJob", "unknown error"));
    }
    out.exclusions[slot] = exclusion;
    return {};
}

// ES_PHASE_TIMES=1 prints how long each phase of a batch took to stderr (for profiling runs
// on large databases; the phases are serial except the chunk work).
void phaseTime(const char *phase, QElapsedTimer &timer)
{
    static const bool enabled = qEnvironmentVariableIsSet("ES_PHASE_TIMES");
    if (enabled)
        std::fprintf(stderr, "phase %s: %.3f s\n", phase, double(timer.nsecsElapsed()) / 1e9);
    timer.restart();
}

} // namespace

namespace BatchJob {

void lowerThreadPriority()
{
    // Linux ignores QThread priorities other than Idle (which would starve the batch on a busy
    // machine), so the thread's nice value is set instead.
#ifdef Q_OS_LINUX
    errno = 0;
    const int processNice = getpriority(PRIO_PROCESS, id_t(getpid())); // the main thread's
    if (errno == 0)
        setpriority(PRIO_PROCESS, id_t(syscall(SYS_gettid)), std::min(19, processNice + 5));
#else
    QThread::currentThread()->setPriority(QThread::LowPriority);
#endif
}

void releaseFreedMemory()
{
#ifdef __GLIBC__
    malloc_trim(0);
#endif
}

static Result<BatchResultPtr> runBatch(const BatchOptions &options, BatchProgress *progress,
                                       const CancelCheck &isCanceled)
{
    QElapsedTimer timer;
    timer.start();
    QElapsedTimer phase;
    phase.start();
    BatchProgress localProgress;
    BatchProgress &live = progress ? *progress : localProgress;
    auto cancelled = [&isCanceled] { return isCanceled && isCanceled(); };
    auto cancelError = [&options] {
        return dbError(DbErrorKind::Cancelled,
                       QCoreApplication::translate("BatchJob", "Cancelled; nothing was written to %1.")
                           .arg(options.databasePath));
    };

    auto result = std::make_shared<BatchResult>();
    result->databasePath = options.databasePath;
    result->today = options.today;
    result->config = options.config;
    result->startedAt = QDateTime::currentDateTimeUtc();
    result->allContacts = options.contactIds.empty();

    if (!Dates::inRange(options.today))
        return Error { QCoreApplication::translate("BatchJob",
                                                   "The as-of date %1 is outside the years 1 to 9999.")
                           .arg(options.today.toString(Qt::ISODate)) };

    std::vector<qint64> ids;
    // Rows whose id names no single contact: reported, never scheduled.
    std::vector<ContactIdProblem> duplicates;
    SuppressionList suppressions;
    {
        auto reader = ContactReader::open(options.databasePath);
        if (!reader)
            return reader.error();
        auto inputs = (*reader)->readRunInputs();
        if (!inputs)
            return inputs.error();
        result->campaigns
            = std::make_shared<const CampaignRun>(inputs->catalog, options.config, options.today);
        result->warnings = result->campaigns->warnings();
        suppressions = SuppressionList(std::move(inputs->suppressions));
        if (result->allContacts) {
            auto all = (*reader)->scanIds();
            if (!all)
                return all.error();
            ids = std::move(all->ids);
            duplicates = std::move(all->duplicates);
            for (const ContactIdProblem &row : all->invalid)
                result->invalidRows.push_back({ row.rowid, row.id, ContactSource::idProblem(row) });
        } else {
            ids = options.contactIds;
            std::sort(ids.begin(), ids.end());
            ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
        }
    }
    live.total.store(qint64(ids.size()));
    phaseTime("ids", phase);

    const qsizetype chunkSize = std::max(1, options.chunkSize);
    const qsizetype chunkCount = (qsizetype(ids.size()) + chunkSize - 1) / chunkSize;
    result->schedules.resize(ids.size());
    std::vector<Engine::ContactExclusion> exclusions(ids.size());
    const Engine::ExclusionRules exclusionRules(options.config);
    const RunContext context { options, exclusionRules, *result->campaigns, suppressions };
    std::atomic<qsizetype> nextChunk { 0 };
    std::atomic<bool> stop { false };
    std::mutex errorMutex;
    std::optional<Error> firstError;
    auto fail = [&](const Error &error) {
        const std::lock_guard lock(errorMutex);
        if (!firstError)
            firstError = error;
        stop = true;
    };

    // Each worker has its own connection and takes chunks until none is left.
    auto worker = [&]() {
        auto reader = ContactReader::open(options.databasePath);
        if (!reader) {
            fail(reader.error());
            return;
        }
        const ContactReader &source = **reader;
        // An explicit list reads each id's activity on its own; ranges scan each chunk's.
        std::unique_ptr<ActivityStream> points;
        if (!result->allContacts) {
            auto cursor = source.openActivityPoints();
            if (!cursor) {
                fail(cursor.error());
                return;
            }
            points = std::move(cursor).value();
        }
        while (!stop.load(std::memory_order_relaxed)) {
            const qsizetype index = nextChunk.fetch_add(1);
            if (index >= chunkCount)
                return;
            if (cancelled()) {
                stop = true;
                return;
            }
            const auto begin = ids.begin() + index * chunkSize;
            const auto end
                = ids.begin() + std::min<qsizetype>(qsizetype(ids.size()), (index + 1) * chunkSize);
            const std::size_t first = std::size_t(begin - ids.begin());
            ChunkResult out { result->schedules.data() + first, exclusions.data() + first, &*begin,
                              std::size_t(end - begin) };
            std::unique_ptr<ActivityStream> range;
            if (!points) {
                auto cursor = source.openActivityRange(*begin, *(end - 1));
                if (!cursor) {
                    fail(cursor.error());
                    return;
                }
                range = std::move(cursor).value();
            }
            ActivityStream &activities = points ? *points : *range;
            std::optional<Error> activityError;
            auto visit = [&](const Contact &contact, std::span<const HistoryEntry> history) {
                if (activityError)
                    return;
                if (auto r = scheduleOne(contact, history, activities, context, out); !r)
                    activityError = r.error();
            };
            const auto read = result->allContacts
                ? source.readRange(*begin, *(end - 1), ContactSource::Fields::Scheduling, visit)
                : source.readIds(std::span<const qint64>(&*begin, size_t(end - begin)),
                                 ContactSource::Fields::Scheduling, visit,
                                 [&](const std::vector<ContactIdProblem> &rows) {
                                     const std::lock_guard lock(errorMutex);
                                     duplicates.insert(duplicates.end(), rows.begin(), rows.end());
                                 });
            if (!read) {
                fail(read.error());
                return;
            }
            if (activityError) {
                fail(*activityError);
                return;
            }
            qint64 scheduled = 0, skipped = 0, problems = 0;
            for (std::size_t i = 0; i < out.count; ++i) {
                problems += out.schedules[i].problems.size();
                for (const ScheduledEmail &email : out.schedules[i].emails)
                    ++(email.status == EmailStatus::PreScheduled ? scheduled : skipped);
            }
            live.scheduled.fetch_add(scheduled, std::memory_order_relaxed);
            live.skipped.fetch_add(skipped, std::memory_order_relaxed);
            live.problems.fetch_add(problems, std::memory_order_relaxed);
            live.processed.fetch_add(qint64(out.count), std::memory_order_relaxed);
        }
    };

    const int jobs = int(std::clamp<qsizetype>(options.jobs > 0 ? options.jobs : QThread::idealThreadCount(),
                                               1, std::max<qsizetype>(1, chunkCount)));
    if (options.background) {
        // The pool's threads end with it, so their lowered priority goes with them.
        QThreadPool pool;
        pool.setMaxThreadCount(jobs);
        QList<QFuture<void>> helpers;
        for (int i = 0; i < jobs; ++i)
            helpers.append(QtConcurrent::run(&pool, [&worker] {
                lowerThreadPriority();
                worker();
            }));
        for (QFuture<void> &helper : helpers)
            helper.waitForFinished();
    } else {
        // The calling thread works too; helpers run on a private pool so a busy global pool
        // (the GUI's own background work) cannot starve the batch.
        QThreadPool pool;
        pool.setMaxThreadCount(std::max(1, jobs - 1));
        QList<QFuture<void>> helpers;
        for (int i = 1; i < jobs; ++i)
            helpers.append(QtConcurrent::run(&pool, worker));
        worker();
        for (QFuture<void> &helper : helpers)
            helper.waitForFinished();
    }
    phaseTime("read+compute", phase);
    if (firstError)
        return *firstError;
    if (cancelled())
        return cancelError();

    // Slots of ids that were not read (unknown ids of an explicit list, contacts deleted
    // meanwhile) are dropped; the rest is already in id order.
    {
        std::size_t kept = 0;
        for (std::size_t i = 0; i < result->schedules.size(); ++i) {
            if (result->schedules[i].contactId == 0 && ids[i] != 0)
                continue;
            if (kept != i) {
                result->schedules[kept] = std::move(result->schedules[i]);
                exclusions[kept] = exclusions[i];
            }
            ++kept;
        }
        result->schedules.resize(kept);
        exclusions.resize(kept);
    }
    std::vector<qint64>().swap(ids);
    // A shared id gets one schedule without emails and an error per row, so its old
    // pre-scheduled rows go and nobody gets another person's emails.
    if (!duplicates.empty()) {
        std::sort(duplicates.begin(), duplicates.end(),
                  [](const ContactIdProblem &a, const ContactIdProblem &b) {
                      return a.sharedId != b.sharedId ? a.sharedId < b.sharedId : a.rowid < b.rowid;
                  });
        std::vector<ContactSchedule> merged;
        std::vector<Engine::ContactExclusion> mergedExclusions;
        merged.reserve(result->schedules.size() + duplicates.size());
        mergedExclusions.reserve(merged.capacity());
        std::size_t next = 0;
        for (std::size_t i = 0; i < duplicates.size();) {
            const qint64 id = duplicates[i].sharedId;
            while (next < result->schedules.size() && result->schedules[next].contactId < id) {
                merged.push_back(std::move(result->schedules[next]));
                mergedExclusions.push_back(exclusions[next++]);
            }
            ContactSchedule shared;
            shared.contactId = id;
            for (; i < duplicates.size() && duplicates[i].sharedId == id; ++i)
                shared.problems.append(ContactSource::idProblem(duplicates[i]));
            merged.push_back(std::move(shared));
            mergedExclusions.push_back({});
        }
        for (; next < result->schedules.size(); ++next) {
            merged.push_back(std::move(result->schedules[next]));
            mergedExclusions.push_back(exclusions[next]);
        }
        result->schedules = std::move(merged);
        exclusions = std::move(mergedExclusions);
    }

    for (const ContactSchedule &schedule : result->schedules) {
        result->problems += schedule.problems.size();
        if (schedule.hasError())
            ++result->contactsWithErrors;
        else if (schedule.isSuppressed())
            ++result->suppressed;
        for (const ScheduledEmail &email : schedule.emails)
            ++(email.status == EmailStatus::PreScheduled ? result->scheduled : result->skipped);
    }
    result->contacts = qint64(result->schedules.size());
    result->validContacts = result->contacts - result->contactsWithErrors;
    result->contacts += qint64(result->invalidRows.size());
    result->contactsWithErrors += qint64(result->invalidRows.size());
    result->problems += qint64(result->invalidRows.size());
    phaseTime("compact+count", phase);

    if (result->allContacts && options.config.loadBalancing.enabled) {
        live.balancing = true;
        result->balance
            = LoadBalancer::balance(result->schedules, result->validContacts, options.today, options.config,
                                    [&exclusions, &exclusionRules](std::size_t index, QDate date) {
                                        return exclusionRules.isExcluded(exclusions[index], date);
                                    });
        result->balanced = true;
        phaseTime("balance", phase);
        if (cancelled())
            return cancelError();
    }
    result->seconds = double(timer.nsecsElapsed()) / 1e9;
    return BatchResultPtr(std::move(result));
}

Result<BatchResultPtr> run(const BatchOptions &options, BatchProgress *progress,
                           const CancelCheck &isCanceled)
{
    Result<BatchResultPtr> result = runBatch(options, progress, isCanceled);
    releaseFreedMemory(); // the workers' and the balancer's temporaries
    return result;
}

QFuture<Result<BatchResultPtr>> start(BatchOptions options, std::shared_ptr<BatchProgress> progress,
                                      QThreadPool *pool)
{
    if (!progress)
        progress = std::make_shared<BatchProgress>();
    return QtConcurrent::run(
        pool ? pool : QThreadPool::globalInstance(),
        [options = std::move(options), progress](QPromise<Result<BatchResultPtr>> &promise) {
            auto result = run(options, progress.get(), [&promise] { return promise.isCanceled(); });
            promise.addResult(std::move(result));
        });
}

} // namespace BatchJob
