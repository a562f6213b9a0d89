#include "runhistorydock.h"

#include "items/runhistorymodel.h"

#include <QHeaderView>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QtConcurrent/QtConcurrentRun>

#include <algorithm>

RunHistoryDock::RunHistoryDock(QWidget *parent)
    : QDockWidget(tr("Run history"), parent), m_model(new RunHistoryModel(this)), m_view(new QTableView(this))
{
    setObjectName(QStringLiteral("runHistoryDock"));
    auto *proxy = new QSortFilterProxyModel(this);
    proxy->setSourceModel(m_model);
    proxy->setSortRole(RunHistoryModel::RawValueRole);
    m_view->setModel(proxy);
    m_view->setSortingEnabled(true);
    m_view->sortByColumn(RunHistoryModel::Started, Qt::DescendingOrder);
    // Newest on top is what a history means, and the style draws Qt::DescendingOrder as an
    // arrow pointing up, which reads as oldest first: no arrow until the user sorts by a column.
    QHeaderView *header = m_view->horizontalHeader();
    header->setSortIndicatorShown(false);
    connect(header, &QHeaderView::sectionClicked, header, [header] { header->setSortIndicatorShown(true); });
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_view->verticalHeader()->hide();
    m_view->horizontalHeader()->setStretchLastSection(true);
    // The campaigns and follow-ups a run scheduled read with its counts, not after the messages
    // (only the shown order moves); the full list is the cell's tooltip.
    header->moveSection(header->visualIndex(RunHistoryModel::EmailCounts),
                        header->visualIndex(RunHistoryModel::Skipped) + 1);
    m_view->setWordWrap(false);
    setWidget(m_view);
    connect(&m_watcher, &QFutureWatcher<Answer>::finished, this, &RunHistoryDock::onFinished);
}

void RunHistoryDock::setDatabase(const QString &path)
{
    m_path = path;
    showRuns({});
    reload();
}

void RunHistoryDock::reload()
{
    const quint64 token = ++m_token;
    if (m_path.isEmpty())
        return;
    const QString path = m_path;
    m_watcher.setFuture(QtConcurrent::run([token, path] {
        return Answer { token, RunHistory::list(path) };
    }));
}

void RunHistoryDock::onFinished()
{
    const Answer answer = m_watcher.result();
    if (answer.token != m_token)
        return;
    showRuns(answer.runs ? answer.runs.value() : QList<RunRecord>());
    if (answer.runs) {
        m_view->resizeColumnsToContents();
        // A run of many campaigns would push every later column out of sight.
        QHeaderView *header = m_view->horizontalHeader();
        header->resizeSection(RunHistoryModel::EmailCounts,
                              std::min(header->sectionSize(RunHistoryModel::EmailCounts), 420));
    }
    Q_EMIT loaded();
}

void RunHistoryDock::addSessionRun(const QString &databasePath, const RunRecord &run)
{
    RunRecord session = run;
    session.stored = false;
    m_sessionRuns[databasePath].append(session);
    if (databasePath == m_path)
        showRuns(m_stored);
}

void RunHistoryDock::showRuns(QList<RunRecord> stored)
{
    m_stored = stored;
    QList<RunRecord> runs = std::move(stored);
    runs.append(m_sessionRuns.value(m_path));
    std::stable_sort(runs.begin(), runs.end(),
                     [](const RunRecord &a, const RunRecord &b) { return a.startedAt > b.startedAt; });
    m_model->setRuns(runs);
}
