#include "batchpanel.h"

#include "batch/runemailcounts.h"
#include "exportdialog.h"
#include "items/campaigneffect.h"
#include "items/emailtypelabel.h"

#include "storage/orgdatabase.h"

#include <QCoreApplication>
#include <QGridLayout>
#include <QLabel>
#include <QLocale>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QShortcut>
#include <QTextDocument>
#include <QThreadPool>
#include <QTimer>
#include <QtConcurrent/QtConcurrentRun>

#include <algorithm>
#include <map>
#include <utility>

namespace {
// Often enough for a live feel, rare enough to cost nothing on the GUI thread.
constexpr int kPollMs = 100;

QString durationText(qint64 ms)
{
    const qint64 s = (ms + 999) / 1000;
    if (s < 60)
        return QCoreApplication::translate("BatchPanel", "%n s", "", int(s));
    return QCoreApplication::translate("BatchPanel", "%1 min %2 s").arg(s / 60).arg(s % 60);
}
} // namespace

BatchPanel::BatchPanel(QWidget *parent)
    : QWidget(parent), m_computeWatcher(this), m_analysisWatcher(this), m_writeWatcher(this),
      m_pollTimer(new QTimer(this)), m_state(new QLabel(this)), m_progress(new QProgressBar(this)),
      m_eta(new QLabel(this)), m_counts(new QLabel(this)), m_cancel(new QPushButton(tr("Cancel"), this)),
      m_escape(new QShortcut(QKeySequence(Qt::Key_Escape), this))
{
    setObjectName(QStringLiteral("batchPanel"));
    m_state->setWordWrap(true);
    m_state->setTextFormat(Qt::PlainText);
    m_counts->setTextFormat(Qt::PlainText);
    m_cancel->setEnabled(false);
    m_cancel->setToolTip(tr("Stop the run; nothing is written (Esc)"));
    // Esc cancels at once. As the button's own shortcut it was an animated click 100 ms
    // later, by when the run could be in another stage (the question open, or writing after
    // a quick answer), so a key pressed while computing could cancel the write.
    m_escape->setContext(Qt::WindowShortcut);
    m_escape->setEnabled(false);
    connect(m_escape, &QShortcut::activated, this, &BatchPanel::cancel);
    m_cancel->setObjectName(QStringLiteral("batchCancel"));

    auto *layout = new QGridLayout(this);
    layout->addWidget(m_state, 0, 0, 1, 3);
    layout->addWidget(m_progress, 1, 0);
    layout->addWidget(m_eta, 1, 1);
    layout->addWidget(m_cancel, 1, 2);
    layout->addWidget(m_counts, 2, 0, 1, 3);
    layout->setRowStretch(3, 1);
    layout->setColumnStretch(0, 1);

    // Named children so that tests can deliver a late duplicate `finished`, as Qt does: the
    // compute result is taken with takeResult(), which resets the future to NoState; when the
    // pool deletes the finished task afterwards, ~QPromise sees "not finished" and calls
    // cancelAndFinish(), posting a second Canceled + Finished to the watcher.
    m_computeWatcher.setObjectName(QStringLiteral("computeWatcher"));
    m_analysisWatcher.setObjectName(QStringLiteral("analysisWatcher"));
    m_writeWatcher.setObjectName(QStringLiteral("writeWatcher"));
    // One run at a time, plus freeing the previous run's batch.
    m_pool.setMaxThreadCount(2);
    m_pollTimer->setInterval(kPollMs);
    connect(m_pollTimer, &QTimer::timeout, this, &BatchPanel::poll);
    connect(m_cancel, &QPushButton::clicked, this, &BatchPanel::cancel);
    // Connected once, before any setFuture().
    connect(&m_computeWatcher, &QFutureWatcher<Result<BatchResultPtr>>::finished, this,
            &BatchPanel::onComputed);
    connect(&m_analysisWatcher, &QFutureWatcher<Analysis>::finished, this, &BatchPanel::onAnalysed);
    connect(&m_writeWatcher, &QFutureWatcher<Result<WriteSummary>>::finished, this, &BatchPanel::onWritten);
    // On a server, a run that must wait for a colleague's says whose and since when.
    connect(&m_writeWatcher, &QFutureWatcher<Result<WriteSummary>>::progressTextChanged, this,
            [this](const QString &message) {
                if (m_stage == Stage::Writing && !message.isEmpty())
                    m_state->setText(message % u' '
                                     % tr("Cancel (Esc) stops waiting; nothing is written then."));
            });
    clear();
}

BatchPanel::~BatchPanel()
{
    // Closing the window mid-run: ask the workers to stop; nothing is written after a cancel.
    m_computeWatcher.cancel();
    m_analysisWatcher.cancel();
    m_writeWatcher.cancel();
}

QString BatchPanel::message() const
{
    return m_state->text();
}

void BatchPanel::setStage(Stage stage)
{
    const bool wasRunning = isRunning();
    m_stage = stage;
    setCancellable(stage != Stage::Idle && stage != Stage::Confirming);
    if (wasRunning != isRunning())
        Q_EMIT runningChanged(isRunning());
}

void BatchPanel::setCancellable(bool cancellable)
{
    if (m_cancel->isEnabled() == cancellable)
        return;
    m_cancel->setEnabled(cancellable);
    m_escape->setEnabled(cancellable);
    Q_EMIT cancellableChanged(cancellable);
}

void BatchPanel::start(const QString &databasePath, QDate today, const Config &config)
{
    if (isRunning() || databasePath.isEmpty())
        return;
    m_batch.reset();
    m_cancelRequested = false;
    m_databasePath = databasePath;
    m_today = today;
    m_startedAt = QDateTime::currentDateTimeUtc();
    m_computeMs = -1;
    m_counters = std::make_shared<BatchProgress>();
    BatchOptions options;
    options.databasePath = databasePath;
    options.today = today;
    options.config = config;
    options.background = true;
    m_clock.start();
    m_state->setText(
        tr("Computing the schedule as of %1…").arg(QLocale().toString(today, QLocale::LongFormat)));
    m_progress->setRange(0, 0);
    m_eta->clear();
    m_counts->clear();
    setStage(Stage::Computing);
    m_computeWatcher.setFuture(BatchJob::start(std::move(options), m_counters, &m_pool));
    m_pollTimer->start();
}

void BatchPanel::cancel()
{
    switch (m_stage) {
    case Stage::Computing:
        m_computeWatcher.cancel();
        break;
    case Stage::Comparing:
        m_analysisWatcher.cancel();
        break;
    case Stage::Writing:
        m_writeWatcher.cancel();
        break;
    default:
        return;
    }
    // Remembered apart from the future: a cancel that comes after the worker finished still
    // counts, and an empty future nobody cancelled is not reported as a cancel.
    m_cancelRequested = true;
    m_state->setText(tr("Cancelling…"));
    setCancellable(false);
}

void BatchPanel::clear()
{
    if (isRunning())
        return;
    m_databasePath.clear();
    m_computeMs = -1;
    m_state->setText(tr("No run yet. Start one with Run ▸ Run Batch (Ctrl+B)."));
    m_progress->setRange(0, 1);
    m_progress->setValue(0);
    m_eta->clear();
    m_counts->clear();
}

void BatchPanel::poll()
{
    if (m_stage != Stage::Computing || !m_counters)
        return;
    const BatchProgress &c = *m_counters;
    const qint64 total = c.total.load();
    const qint64 done = c.processed.load();
    const QLocale locale;
    if (m_cancelRequested) {
        // "Cancelling…" stays until the workers have stopped.
    } else if (c.balancing.load()) {
        m_state->setText(tr("Spreading the emails over the days (daily cap)…"));
        m_progress->setRange(0, 0);
        m_eta->clear();
    } else if (total > 0) {
        // The bar counts in thousands so a few million contacts stay within int.
        const int scale = total > 1000000 ? 1000 : 1;
        m_progress->setRange(0, int(total / scale));
        m_progress->setValue(int(done / scale));
        const qint64 elapsed = m_clock.elapsed();
        if (done > 0 && elapsed > 500)
            m_eta->setText(tr("about %1 left").arg(durationText(elapsed * (total - done) / done)));
    }
    m_counts->setText(tr("Processed %1 of %2 · scheduled %3 · skipped %4 · problems %5")
                          .arg(locale.toString(done), locale.toString(total),
                               locale.toString(c.scheduled.load()), locale.toString(c.skipped.load()),
                               locale.toString(c.problems.load())));
}

void BatchPanel::onComputed()
{
    const QFuture<Result<BatchResultPtr>> future = m_computeWatcher.future();
    // Only once, for the computation this run started: in any other stage the signal is late
    // or repeated (its result was already taken), and an unfinished future is a newer run's.
    if (m_stage != Stage::Computing || !future.isFinished())
        return;
    poll();
    if (m_cancelRequested || future.isCanceled()) {
        finish(Outcome::Cancelled, tr("Run cancelled. Nothing was written; the database is unchanged."));
        return;
    }
    if (future.resultCount() == 0) {
        finish(Outcome::Failed,
               tr("The run ended without a result. Nothing was written; the database is unchanged."));
        return;
    }
    // Taken, not copied: the future's result store would otherwise keep the batch alive.
    QFuture<Result<BatchResultPtr>> owned = future;
    const Result<BatchResultPtr> result = owned.takeResult();
    if (!result) {
        finish(Outcome::Failed, tr("The run failed: %1").arg(result.errorMessage()));
        return;
    }
    m_batch = result.value();
    m_state->setText(tr("Comparing with the stored schedule…"));
    m_progress->setRange(0, 0);
    m_eta->clear();
    setStage(Stage::Comparing);
    const BatchResultPtr batch = m_batch;
    m_analysisWatcher.setFuture(QtConcurrent::run(&m_pool, [batch](QPromise<Analysis> &promise) {
        Analysis analysis;
        analysis.diff = ScheduleDiff::compute(*batch, [&promise] { return promise.isCanceled(); });
        analysis.problems = ProblemsModel::collect(*batch);
        analysis.campaigns = campaignSummary(*batch);
        promise.addResult(std::move(analysis));
    }));
}

void BatchPanel::onAnalysed()
{
    const QFuture<Analysis> future = m_analysisWatcher.future();
    if (m_stage != Stage::Comparing || !future.isFinished() || !m_batch)
        return;
    if (m_cancelRequested || future.isCanceled() || future.resultCount() == 0) {
        finish(Outcome::Cancelled, tr("Run cancelled. Nothing was written; the database is unchanged."));
        return;
    }
    m_computeMs = m_clock.elapsed();
    const Analysis analysis = future.result();
    Q_EMIT problemsFound(analysis.problems);
    if (!analysis.diff) {
        finish(Outcome::Failed,
               tr("Could not compare with the stored schedule: %1").arg(analysis.diff.errorMessage()));
        return;
    }
    m_diff = analysis.diff.value();
    m_campaignSummary = analysis.campaigns;
    setStage(Stage::Confirming);
    m_pollTimer->stop();
    m_state->setText(tr("Waiting for your answer: write the new schedule?"));
    m_progress->setRange(0, 1);
    m_progress->setValue(1);
    // Held for the question: whatever the event loop of the dialog delivers, the batch lives.
    const BatchResultPtr batch = m_batch;
    const bool yes = m_confirm ? m_confirm(*batch, m_diff) : confirmWithDialog(batch, m_diff);
    if (m_stage != Stage::Confirming)
        return;
    if (!yes) {
        finish(Outcome::Declined,
               tr("Not written; the stored schedule is unchanged. Computed in %1: %2.")
                   .arg(durationText(m_computeMs), countsText(*batch)));
        return;
    }
    m_state->setText(tr("Writing the schedule…"));
    m_progress->setRange(0, 0);
    setStage(Stage::Writing);
    m_writeClock.start();
    m_writeWatcher.setFuture(QtConcurrent::run(&m_pool, [batch](QPromise<Result<WriteSummary>> &promise) {
        WriteOptions options;
        options.isCanceled = [&promise] { return promise.isCanceled(); };
        // Told (once) when another run holds the organisation's lock; the panel shows it.
        options.onWaiting
            = [&promise](const QString &message) { promise.setProgressValueAndText(1, message); };
        promise.addResult(ScheduleWriter::write(*batch, options));
    }));
}

void BatchPanel::onWritten()
{
    const QFuture<Result<WriteSummary>> future = m_writeWatcher.future();
    if (m_stage != Stage::Writing || !future.isFinished() || !m_batch)
        return;
    if (future.resultCount() == 0) {
        // The writer rolled back; it records cancelled runs itself.
        finish(Outcome::Cancelled, tr("Writing cancelled. The stored schedule is unchanged."), true);
        return;
    }
    const Result<WriteSummary> written = future.result();
    if (!written) {
        const DbErrorKind kind = dbErrorKind(written.error());
        if (kind == DbErrorKind::Cancelled) {
            finish(Outcome::Cancelled, tr("Writing cancelled. The stored schedule is unchanged."), true);
            return;
        }
        // The writer records a failed run unless it could not open the file or take the lock.
        const bool recorded = kind != DbErrorKind::Locked && kind != DbErrorKind::ReadOnly
            && kind != DbErrorKind::Missing && kind != DbErrorKind::NotADatabase;
        finish(Outcome::Failed,
               tr("Writing failed, the stored schedule is unchanged: %1").arg(written.errorMessage()),
               recorded);
        return;
    }
    const QLocale locale;
    const WriteSummary &w = written.value();
    m_lastBatchId = w.batchId;
    finish(Outcome::Written,
           tr("Done. Computed in %1, written in %2: %3. Rows added %4, removed %5, unchanged %6.")
               .arg(durationText(m_computeMs), durationText(m_writeClock.elapsed()), countsText(*m_batch),
                    locale.toString(w.added), locale.toString(w.removed), locale.toString(w.unchanged)),
           true);
}

QString BatchPanel::countsText(const BatchResult &batch) const
{
    const QLocale locale;
    return tr("%1 contacts, %2 emails to send, %3 held back (skipped), %4 problems")
        .arg(locale.toString(batch.contacts), locale.toString(batch.scheduled),
             locale.toString(batch.skipped), locale.toString(batch.problems));
}

void BatchPanel::finish(Outcome outcome, const QString &message, bool recordedByWriter)
{
    m_pollTimer->stop();
    if (!recordedByWriter) {
        RunRecord run;
        run.startedAt = m_startedAt;
        run.finishedAt = QDateTime::currentDateTimeUtc();
        run.today = m_today;
        run.status = outcome == Outcome::Declined ? QStringLiteral("declined")
            : outcome == Outcome::Cancelled       ? QStringLiteral("cancelled")
                                                  : QStringLiteral("failed");
        if (m_batch) {
            run.contacts = m_batch->contacts;
            run.scheduled = m_batch->scheduled;
            run.skipped = m_batch->skipped;
            run.problems = m_batch->problems;
            run.emailCounts = RunEmailCounts::toText(RunEmailCounts::count(*m_batch));
        } else if (m_counters) {
            run.contacts = m_counters->processed.load();
            run.scheduled = m_counters->scheduled.load();
            run.skipped = m_counters->skipped.load();
            run.problems = m_counters->problems.load();
        }
        run.user = qEnvironmentVariable("USER");
        run.error = message;
        run.stored = false;
        Q_EMIT unrecordedRun(m_databasePath, run);
    }
    // A million schedules are not kept after the run, and freeing them takes long enough to
    // be felt: the last reference is dropped on a pool thread.
    if (m_batch)
        m_pool.start([batch = std::exchange(m_batch, {})]() mutable { batch.reset(); });
    m_state->setText(message);
    m_progress->setRange(0, 1);
    // Full when the schedule was computed (written or not), empty when the run stopped early.
    m_progress->setValue(outcome == Outcome::Written || outcome == Outcome::Declined ? 1 : 0);
    m_eta->clear();
    setStage(Stage::Idle);
    Q_EMIT finished(outcome);
}

QString BatchPanel::diffHtml(const ScheduleDiffSummary &diff)
{
    const QLocale locale;
    // Explicit return types: with QT_USE_QSTRINGBUILDER a deduced one would be a builder
    // expression referring to temporaries that die when the lambda returns.
    const auto cell = [&locale](qint64 n) -> QString {
        return u"<td align='right' nowrap>" % locale.toString(n) % u"</td>";
    };
    const auto row = [&cell](const QString &name, const DiffCounts &c, bool bold) -> QString {
        const QString line = u"<td nowrap>" % name.toHtmlEscaped() % u"</td>" % cell(c.addedScheduled())
            % cell(c.addedSkipped) % cell(c.moved) % cell(c.removed) % cell(c.changed) % cell(c.unchanged);
        const QString open = bold ? QStringLiteral("<tr style='font-weight:bold'>") : QStringLiteral("<tr>");
        return open % line % u"</tr>";
    };
    const auto head = [](const QString &title) -> QString {
        return u"<th align='right' nowrap>" % title.toHtmlEscaped() % u"</th>";
    };
    QString html = u"<table cellspacing='0' cellpadding='3'><tr><th align='left'>"
        % tr("Email").toHtmlEscaped() % u"</th>" % head(tr("New sends")) % head(tr("New held back"))
        % head(tr("Moved")) % head(tr("Removed")) % head(tr("Status changed")) % head(tr("Unchanged"))
        % u"</tr>";
    for (int t = 0; t < EmailTypeCount; ++t) {
        const auto type = static_cast<EmailType>(t);
        const DiffCounts &c = diff.perType[std::size_t(t)];
        // Campaign and follow-up rows only when the run has such emails (most runs have few kinds).
        if (isPinned(type) && c.changesNothing() && c.unchanged == 0)
            continue;
        html += row(isPinned(type) ? tr("%1 (pinned)").arg(emailTypeLabel(type)) : emailTypeLabel(type), c,
                    false);
    }
    html += row(tr("All"), diff.total(), true);
    html += u"</table><p>"
        % tr("Held back: computed but skipped (a rule window, the frequency limit…); stored as skipped, "
             "never sent.")
        % u"</p>";
    if (diff.otherRemoved > 0)
        html += u"<p>"
            % tr("%1 stored rows of other email types will be removed.")
                  .arg(locale.toString(diff.otherRemoved))
            % u"</p>";
    return html;
}

QString BatchPanel::campaignSummary(const BatchResult &batch)
{
    struct Counts
    {
        qint64 send = 0;
        qint64 held = 0;
        std::map<SkipReason, qint64> why;
    };
    std::map<qint64, Counts> campaigns; // by instance id
    std::array<qint64, EmailTypeCount> followups {};
    qint64 suppressed = 0;
    const CampaignRun *run = batch.campaigns.get();
    for (const ContactSchedule &schedule : batch.schedules) {
        suppressed += schedule.isSuppressed() ? 1 : 0;
        for (const ScheduledEmail &email : schedule.emails) {
            if (email.type == EmailType::Campaign && run) {
                Counts &c = campaigns[run->instanceId(email)];
                if (email.status == EmailStatus::PreScheduled) {
                    ++c.send;
                } else {
                    ++c.held;
                    ++c.why[email.reason];
                }
            } else if (isFollowup(email.type) && email.status == EmailStatus::PreScheduled) {
                ++followups[std::size_t(email.type)];
            }
        }
    }
    const QLocale locale;
    QStringList lines;
    for (const auto &[id, c] : campaigns) {
        const LiveCampaign *live = run ? run->byInstanceId(id) : nullptr;
        const QString name = live ? live->instanceName : tr("Campaign %1").arg(id);
        QString line = tr("Campaign “%1”: %2 to send").arg(name, locale.toString(c.send));
        if (c.held > 0) {
            const auto most = std::max_element(
                c.why.begin(), c.why.end(), [](const auto &a, const auto &b) { return a.second < b.second; });
            line += u", "
                % tr("%1 held back (mostly %2)").arg(locale.toString(c.held), skipReasonWords(most->first));
        }
        lines << line % tr(" — pinned: the daily cap never moves them.");
    }
    QStringList kinds;
    for (int t = 0; t < EmailTypeCount; ++t) {
        if (followups[std::size_t(t)] > 0)
            kinds << emailTypeLabel(static_cast<EmailType>(t)) % u": "
                    % locale.toString(followups[std::size_t(t)]);
    }
    if (!kinds.isEmpty())
        lines << tr("Follow-ups to send — %1.").arg(kinds.join(QStringLiteral(", ")));
    if (suppressed > 0)
        lines << tr(
            "%n contact(s) on the do-not-email list (or bounced) get no emails; their pre-scheduled and "
            "skipped rows are removed.",
            "", int(suppressed));
    for (const RunWarning &warning : batch.warnings)
        lines << tr("Not run: %1").arg(warning.message);
    return lines.join(u'\n');
}

bool BatchPanel::confirmWithDialog(const BatchResultPtr &batch, const ScheduleDiffSummary &diff)
{
    const QLocale locale;
    const bool nothing = diff.changesNothing();
    QString computed
        = tr("The run as of %1 computed %2 emails to send and %3 held back (skipped) for %4 contacts.")
              .arg(locale.toString(batch->today, QLocale::LongFormat), locale.toString(batch->scheduled),
                   locale.toString(batch->skipped), locale.toString(batch->contacts));
    if (!m_campaignSummary.isEmpty())
        computed += u"\n\n" % m_campaignSummary;
    // The campaign lines end a paragraph: what follows them starts its own.
    const QString then = m_campaignSummary.isEmpty() ? QStringLiteral(" ") : QStringLiteral("\n\n");
    QMessageBox box(QMessageBox::Question, tr("Write the new schedule?"), QString(), QMessageBox::NoButton,
                    window());
    box.setTextFormat(Qt::PlainText);
    if (nothing) {
        box.setText(tr("Nothing would change: the stored schedule already matches this run."));
        box.setInformativeText(computed % then % tr("Writing would only add the run to the run history."));
    } else {
        box.setText(computed % then % tr("Compared with the stored schedule:"));
        const QString table = diffHtml(diff);
        box.setInformativeText(table);
        // QMessageBox wraps its text at about 500 px, which folded the table's headers and
        // type names onto three lines: widen the box to the table's natural width.
        QTextDocument document;
        document.setDefaultFont(box.font());
        document.setHtml(table);
        if (auto *grid = qobject_cast<QGridLayout *>(box.layout()))
            grid->addItem(
                new QSpacerItem(int(document.idealWidth()) + 80, 0, QSizePolicy::Minimum, QSizePolicy::Fixed),
                grid->rowCount(), 0, 1, grid->columnCount());
    }
    QPushButton *write = box.addButton(tr("Write schedule"), QMessageBox::AcceptRole);
    QPushButton *dontWrite = box.addButton(tr("Don't write"), QMessageBox::RejectRole);
    // Staff often want to look at the computed schedule in a spreadsheet before deciding.
    QPushButton *exportPreview = box.addButton(tr("Export Preview…"), QMessageBox::ActionRole);
    box.setDefaultButton(nothing ? dontWrite : write);
    box.setEscapeButton(dontWrite);
    for (;;) {
        box.exec(); // the one modal question of a run
        if (box.clickedButton() != exportPreview)
            return box.clickedButton() == write;
        ExportDialog dialog(nullptr, QString(), window());
        dialog.setPreviewResult(batch);
        dialog.setSource(ExportDialog::Source::Preview);
        dialog.exec();
    }
}
