#include "batchpanel.h"

#include "exportdialog.h"

#include "schedulepreviewmodel.h"

#include <QCoreApplication>
#include <QGridLayout>
#include <QLabel>
#include <QLocale>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QThreadPool>
#include <QTimer>
#include <QtConcurrent/QtConcurrentRun>

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
    : QWidget(parent), m_pollTimer(new QTimer(this)), m_state(new QLabel(this)),
      m_progress(new QProgressBar(this)), m_eta(new QLabel(this)), m_counts(new QLabel(this)),
      m_cancel(new QPushButton(tr("Cancel"), this))
{
    setObjectName(QStringLiteral("batchPanel"));
    m_state->setWordWrap(true);
    m_state->setText(tr("No run yet. Start one with Run ▸ Run batch."));
    m_counts->setTextFormat(Qt::PlainText);
    m_cancel->setEnabled(false);
    m_cancel->setToolTip(tr("Stop the run; nothing is written (Esc)"));
    m_cancel->setShortcut(QKeySequence(Qt::Key_Escape));
    m_progress->setRange(0, 1);
    m_progress->setValue(0);

    auto *layout = new QGridLayout(this);
    layout->addWidget(m_state, 0, 0, 1, 3);
    layout->addWidget(m_progress, 1, 0);
    layout->addWidget(m_eta, 1, 1);
    layout->addWidget(m_cancel, 1, 2);
    layout->addWidget(m_counts, 2, 0, 1, 3);
    layout->setRowStretch(3, 1);
    layout->setColumnStretch(0, 1);

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
    m_cancel->setEnabled(stage != Stage::Idle && stage != Stage::Confirming);
    if (wasRunning != isRunning())
        Q_EMIT runningChanged(isRunning());
}

void BatchPanel::start(const QString &databasePath, QDate today, const Config &config)
{
    if (isRunning() || databasePath.isEmpty())
        return;
    m_batch.reset();
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
    m_state->setText(tr("Cancelling…"));
    m_cancel->setEnabled(false);
}

void BatchPanel::poll()
{
    if (m_stage != Stage::Computing || !m_counters)
        return;
    const BatchProgress &c = *m_counters;
    const qint64 total = c.total.load();
    const qint64 done = c.processed.load();
    const QLocale locale;
    if (c.balancing.load()) {
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
    poll();
    const QFuture<Result<BatchResultPtr>> future = m_computeWatcher.future();
    if (future.isCanceled() || future.resultCount() == 0) {
        finish(Outcome::Cancelled, tr("Run cancelled. Nothing was written; the database is unchanged."));
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
        promise.addResult(std::move(analysis));
    }));
}

void BatchPanel::onAnalysed()
{
    const QFuture<Analysis> future = m_analysisWatcher.future();
    if (future.isCanceled() || future.resultCount() == 0) {
        finish(Outcome::Cancelled, tr("Run cancelled. Nothing was written; the database is unchanged."));
        return;
    }
    const Analysis analysis = future.result();
    Q_EMIT problemsFound(analysis.problems);
    if (!analysis.diff) {
        finish(Outcome::Failed,
               tr("Could not compare with the stored schedule: %1").arg(analysis.diff.errorMessage()));
        return;
    }
    m_diff = analysis.diff.value();
    setStage(Stage::Confirming);
    m_state->setText(tr("Waiting for your confirmation…"));
    m_progress->setRange(0, 1);
    m_progress->setValue(1);
    const bool yes = m_confirm ? m_confirm(*m_batch, m_diff) : confirmWithDialog(*m_batch, m_diff);
    if (!yes) {
        finish(Outcome::Declined, tr("Not written. The stored schedule is unchanged."));
        return;
    }
    m_state->setText(tr("Writing the schedule…"));
    m_progress->setRange(0, 0);
    setStage(Stage::Writing);
    const BatchResultPtr batch = m_batch;
    m_writeWatcher.setFuture(QtConcurrent::run(&m_pool, [batch](QPromise<Result<WriteSummary>> &promise) {
        WriteOptions options;
        options.isCanceled = [&promise] { return promise.isCanceled(); };
        promise.addResult(ScheduleWriter::write(*batch, options));
    }));
}

void BatchPanel::onWritten()
{
    const QFuture<Result<WriteSummary>> future = m_writeWatcher.future();
    if (future.isCanceled() || future.resultCount() == 0) {
        finish(Outcome::Cancelled, tr("Writing cancelled. The stored schedule is unchanged."));
        return;
    }
    const Result<WriteSummary> written = future.result();
    if (!written) {
        finish(Outcome::Failed,
               tr("Writing failed, the stored schedule is unchanged: %1").arg(written.errorMessage()));
        return;
    }
    const QLocale locale;
    const WriteSummary &w = written.value();
    finish(Outcome::Written,
           tr("Done in %1: %2 contacts, %3 emails scheduled, %4 skipped, %5 problems. "
              "Rows added %6, removed %7, unchanged %8.")
               .arg(durationText(m_clock.elapsed()), locale.toString(m_batch->contacts),
                    locale.toString(m_batch->scheduled), locale.toString(m_batch->skipped),
                    locale.toString(m_batch->problems), locale.toString(w.added), locale.toString(w.removed),
                    locale.toString(w.unchanged)));
}

void BatchPanel::finish(Outcome outcome, const QString &message)
{
    m_pollTimer->stop();
    // A million schedules are not kept after the run, and freeing them takes long enough to
    // be felt: the last reference is dropped on a pool thread.
    if (m_batch)
        m_pool.start([batch = std::exchange(m_batch, {})]() mutable { batch.reset(); });
    m_state->setText(message);
    m_progress->setRange(0, 1);
    m_progress->setValue(outcome == Outcome::Written ? 1 : 0);
    m_eta->clear();
    setStage(Stage::Idle);
    Q_EMIT finished(outcome);
}

QString BatchPanel::diffHtml(const ScheduleDiffSummary &diff)
{
    const QLocale locale;
    QString html = QStringLiteral("<table cellspacing='0' cellpadding='3'><tr><th align='left'>")
        % tr("Email") % u"</th><th>" % tr("New") % u"</th><th>" % tr("Moved") % u"</th><th>" % tr("Removed")
        % u"</th><th>" % tr("Status changed") % u"</th><th>" % tr("Unchanged") % u"</th></tr>";
    const auto row = [&locale](const QString &name, const DiffCounts &c) {
        return u"<tr><td>" % name.toHtmlEscaped() % u"</td><td align='right'>" % locale.toString(c.added)
            % u"</td><td align='right'>" % locale.toString(c.moved) % u"</td><td align='right'>"
            % locale.toString(c.removed) % u"</td><td align='right'>" % locale.toString(c.changed)
            % u"</td><td align='right'>" % locale.toString(c.unchanged) % u"</td></tr>";
    };
    for (int t = 0; t < EmailTypeCount; ++t)
        html += row(SchedulePreviewModel::typeLabel(static_cast<EmailType>(t)), diff.perType[std::size_t(t)]);
    html += row(tr("All"), diff.total());
    html += u"</table>";
    if (diff.otherRemoved > 0)
        html += u"<p>"
            % tr("%1 stored rows of other email types will be removed.")
                  .arg(locale.toString(diff.otherRemoved))
            % u"</p>";
    return html;
}

bool BatchPanel::confirmWithDialog(const BatchResult &batch, const ScheduleDiffSummary &diff)
{
    const QLocale locale;
    QMessageBox box(QMessageBox::Question, tr("Write the new schedule?"),
                    tr("The run as of %1 computed %2 scheduled and %3 skipped emails for %4 contacts. "
                       "Compared with the stored schedule:")
                        .arg(locale.toString(batch.today, QLocale::LongFormat),
                             locale.toString(batch.scheduled), locale.toString(batch.skipped),
                             locale.toString(batch.contacts)),
                    QMessageBox::NoButton, window());
    box.setInformativeText(diffHtml(diff));
    box.setTextFormat(Qt::RichText);
    QPushButton *write = box.addButton(tr("Write schedule"), QMessageBox::AcceptRole);
    box.addButton(tr("Don't write"), QMessageBox::RejectRole);
    // Staff often want to look at the computed schedule in a spreadsheet before deciding.
    QPushButton *exportPreview = box.addButton(tr("Export Preview…"), QMessageBox::ActionRole);
    box.setDefaultButton(write);
    for (;;) {
        box.exec(); // the one modal question of a run
        if (box.clickedButton() != exportPreview)
            return box.clickedButton() == write;
        ExportDialog dialog(nullptr, QString(), window());
        dialog.setPreviewResult(m_batch);
        dialog.setSource(ExportDialog::Source::Preview);
        dialog.exec();
    }
}
