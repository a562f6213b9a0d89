#pragma once

#include "batch/batchjob.h"
#include "batch/schedulediff.h"
#include "items/problemsmodel.h"
#include "storage/runhistory.h"
#include "storage/schedulewriter.h"

#include <QElapsedTimer>
#include <QFutureWatcher>
#include <QThreadPool>
#include <QWidget>

#include <functional>
#include <memory>

class QLabel;
class QProgressBar;
class QPushButton;
class QShortcut;
class QTimer;

// The batch run, non-modal: computes every contact's schedule in the background (BatchJob),
// shows progress, ETA and live counts with a Cancel button, compares the result with the stored
// schedule, asks to confirm, and only then writes. Cancel or "no" leaves the database as it was.
// Each stage acts only on the `finished` of the future it started, once: a late or repeated
// signal of a watcher (after a cancel, or of a run that already ended) is ignored.
class BatchPanel final : public QWidget
{
    Q_OBJECT

public:
    enum class Stage { Idle, Computing, Comparing, Confirming, Writing };
    enum class Outcome { Written, Declined, Cancelled, Failed };

    // Asked before anything is written; true writes. Tests inject one instead of the dialog.
    using ConfirmFunction = std::function<bool(const BatchResult &batch, const ScheduleDiffSummary &diff)>;

    explicit BatchPanel(QWidget *parent = nullptr);
    ~BatchPanel() override;

    void setConfirmFunction(ConfirmFunction confirm) { m_confirm = std::move(confirm); }
    void start(const QString &databasePath, QDate today, const Config &config);
    void cancel();
    // Back to "No run yet" (another database was opened); does nothing while a run is going.
    void clear();

    Stage stage() const { return m_stage; }
    bool isRunning() const { return m_stage != Stage::Idle; }
    QString message() const;
    QProgressBar *progressBar() const { return m_progress; }
    QPushButton *cancelButton() const { return m_cancel; }
    // The database of the running (or last) run.
    QString databasePath() const { return m_databasePath; }
    // The batch id of the last run this panel wrote (empty before one): a server's notice of
    // that run is this window's own.
    QString lastBatchId() const { return m_lastBatchId; }
    // Time of the last run's computation and comparison, without the time the question was open
    // and without writing; -1 before it is known.
    qint64 computeMilliseconds() const { return m_computeMs; }

    // "Added 120, moved 4, removed 7" per type, for the confirm dialog (HTML table).
    static QString diffHtml(const ScheduleDiffSummary &diff);
    // What the run does with campaigns, follow-ups and the do-not-email list, in lines of plain
    // text for the confirm dialog: each campaign by name with its emails to send and held back
    // (with the most common reason), the follow-ups by kind, the contacts that get no email
    // because of the list, and the campaigns left out (run warnings). Empty when none applies.
    static QString campaignSummary(const BatchResult &batch);
    // The campaign summary of the run waiting for the answer (tests read it).
    QString pendingCampaignSummary() const { return m_campaignSummary; }

Q_SIGNALS:
    void runningChanged(bool running);
    // Whether Cancel (button, Esc) can stop the run now: not while asking, not twice.
    void cancellableChanged(bool cancellable);
    void finished(BatchPanel::Outcome outcome);
    // Problems of the computed batch, available before the confirm question.
    void problemsFound(const QList<ProblemRow> &problems);
    // A run that ended before anything was written (declined, cancelled or failed while
    // computing, or refused by the database when writing): the database keeps no record of it.
    void unrecordedRun(const QString &databasePath, const RunRecord &run);

private:
    struct Analysis
    {
        Result<ScheduleDiffSummary> diff = Error {};
        QList<ProblemRow> problems;
        QString campaigns; // campaignSummary() of the batch
    };

    void setStage(Stage stage);
    void setCancellable(bool cancellable);
    void poll();
    void onComputed();
    void onAnalysed();
    void onWritten();
    void finish(Outcome outcome, const QString &message, bool recordedByWriter = false);
    bool confirmWithDialog(const BatchResultPtr &batch, const ScheduleDiffSummary &diff);
    QString countsText(const BatchResult &batch) const;

    Stage m_stage = Stage::Idle;
    bool m_cancelRequested = false;
    ConfirmFunction m_confirm;
    QString m_databasePath;
    QString m_lastBatchId;
    QDate m_today;
    QDateTime m_startedAt;
    qint64 m_computeMs = -1;
    QElapsedTimer m_writeClock;
    std::shared_ptr<BatchProgress> m_counters;
    BatchResultPtr m_batch;
    ScheduleDiffSummary m_diff;
    QString m_campaignSummary;
    QElapsedTimer m_clock;
    QFutureWatcher<Result<BatchResultPtr>> m_computeWatcher;
    QFutureWatcher<Analysis> m_analysisWatcher;
    QFutureWatcher<Result<WriteSummary>> m_writeWatcher;
    // Every task of a run (compute, compare, write, free) runs here, never on the global pool:
    // Qt's raster paint engine splits fills across the global pool and waits for them, so a
    // run there froze the window for seconds. These tasks use one thread each at the normal
    // priority (a lowered writer took four times as long on a busy machine); the batch's
    // parallel workers run lowered (BatchOptions::background).
    QThreadPool m_pool;
    QTimer *m_pollTimer = nullptr;

    QLabel *m_state = nullptr;
    QProgressBar *m_progress = nullptr;
    QLabel *m_eta = nullptr;
    QLabel *m_counts = nullptr;
    QPushButton *m_cancel = nullptr;
    QShortcut *m_escape = nullptr; // Esc: cancel, enabled with the button
};
