#pragma once

#include "campaignrun.h"
#include "config.h"
#include "loadbalancer.h"
#include "result.h"
#include "schedule.h"

#include <QDate>
#include <QDateTime>
#include <QFuture>

class QThreadPool;

#include <atomic>
#include <functional>
#include <memory>
#include <vector>

// What to compute: every contact of a database (batch semantics, load balancing) or a given
// list of contacts (single-contact semantics, no load balancing).
struct BatchOptions
{
    QString databasePath;
    QDate today;
    Config config;
    std::vector<qint64> contactIds; // empty: all contacts
    int jobs = 0;                   // worker threads; 0: QThread::idealThreadCount()
    int chunkSize = 4096;           // contacts per work item (each read by its worker)
    // Leave the interactive threads room (GUI): every worker runs on a thread of a private
    // pool at a lower CPU priority (nice +5 on Linux); the calling thread only waits, then
    // balances at its own priority.
    bool background = false;
    // Test hook, called on a worker before each contact is scheduled; it may throw to simulate
    // a contact the engine fails on.
    std::function<void(qint64 contactId)> beforeContact;
};

// Live counters of a running batch. Workers only add to them; any thread (the GUI's timer)
// may read them at any time without locking.
struct BatchProgress
{
    std::atomic<qint64> total { 0 }; // contacts to process (known after the id scan)
    std::atomic<qint64> processed { 0 };
    std::atomic<qint64> scheduled { 0 }; // pre-scheduled emails (before load balancing)
    std::atomic<qint64> skipped { 0 };
    std::atomic<qint64> problems { 0 };    // problem rows (errors and warnings)
    std::atomic<bool> balancing { false }; // all contacts done, load balancing running
};

// A `contacts` row without a usable id (text, NULL, a real number): not scheduled, reported.
struct InvalidContactRow
{
    qint64 rowid = 0; // 0 when the table has no rowid
    QString id;       // the stored id as text ("NULL" for NULL)
    Problem problem;  // invalid_id, naming the row and the id
};

// The computed schedule of a batch. Emails are compact values; readable text comes from
// Explain on demand.
struct BatchResult
{
    QString databasePath;
    QDate today;
    Config config;
    QDateTime startedAt;                    // UTC
    bool allContacts = true;                // false: an explicit id list was processed
    bool balanced = false;                  // load balancing was applied
    std::vector<ContactSchedule> schedules; // every processed contact, ascending contactId
    // Rows whose id is no whole number, by rowid. (Rows sharing an id are in `schedules`: one
    // schedule without emails for the id, with a duplicate_id error per row.)
    std::vector<InvalidContactRow> invalidRows;
    // The live campaigns of the run (SPEC 12), never null: written email_type names
    // (campaigns->emailTypeName(email)), instance ids, priorities, and the run warnings.
    std::shared_ptr<const CampaignRun> campaigns;
    // SPEC 12's campaign_invalid warnings of the run (campaigns->warnings()); never contact problems.
    std::vector<RunWarning> warnings;
    qint64 contacts = 0;           // schedules and invalid rows
    qint64 validContacts = 0;      // contacts without an error problem
    qint64 scheduled = 0;          // pre-scheduled emails
    qint64 skipped = 0;            // skipped emails
    qint64 problems = 0;           // problem rows (errors and warnings)
    qint64 contactsWithErrors = 0; // invalid rows included
    qint64 suppressed = 0;         // contacts on the do-not-email list or bounced (SPEC 14)
    LoadBalancer::Stats balance;
    double seconds = 0; // wall time of read + compute + balance
};
using BatchResultPtr = std::shared_ptr<const BatchResult>;

// Computes schedules for many contacts in parallel: the campaign catalog and the do-not-email
// list are read once, the ids are cut into chunks, each worker reads its chunk (contacts,
// history and activity, merged by id) with its own SQLite connection, schedules it (a contact that throws
// becomes a ProcessingError problem, the batch goes on), then the whole batch is load balanced. Reads only;
// never writes the database.
namespace BatchJob {

using CancelCheck = std::function<bool()>;

// Blocking (CLI). Cancellation is checked per chunk; a cancelled run returns an error with
// DbErrorKind::Cancelled. `progress` may be null.
Result<BatchResultPtr> run(const BatchOptions &options, BatchProgress *progress = nullptr,
                           const CancelCheck &isCanceled = {});

// Runs in the background (GUI): watch the future with a member QFutureWatcher, cancel with
// QFuture::cancel(), poll `progress` from a timer. A finished, not cancelled future holds
// exactly one result (the batch or an error); a cancelled one holds none (Qt drops results
// reported after cancel), so check QFuture::isCanceled() first.
// `pool` runs the job (null: the global pool). A GUI passes a pool of its own: Qt's raster
// paint engine splits large fills across the global pool and waits for them, so a long task
// there freezes painting.
QFuture<Result<BatchResultPtr>> start(BatchOptions options, std::shared_ptr<BatchProgress> progress = {},
                                      QThreadPool *pool = nullptr);

// Gives the pages of freed memory back to the system (glibc keeps them for reuse otherwise):
// a batch and a write free hundreds of megabytes of temporaries, which would otherwise count
// toward the program's memory until reused, and fragment it for the next batch.
void releaseFreedMemory();

// Sets the calling thread's CPU priority a step below the process's (nice +5 on Linux). Only
// for threads that end with the work (a private pool's): an unprivileged process cannot raise
// it again.
void lowerThreadPriority();

} // namespace BatchJob
