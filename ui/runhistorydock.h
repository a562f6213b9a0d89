#pragma once

#include "storage/runhistory.h"

#include <QDockWidget>
#include <QFutureWatcher>
#include <QHash>

class QTableView;
class RunHistoryModel;

// Past runs of the open database (when, as of which day, counts, outcome), read off the GUI
// thread whenever the database changes or a run ends.
class RunHistoryDock final : public QDockWidget
{
    Q_OBJECT

public:
    explicit RunHistoryDock(QWidget *parent = nullptr);

    void setDatabase(const QString &path);
    void reload();
    // Lists a run that ended before writing (declined, cancelled, failed while computing) with
    // the stored runs of `databasePath`: the database holds no record of it.
    void addSessionRun(const QString &databasePath, const RunRecord &run);
    RunHistoryModel *model() const { return m_model; }
    QTableView *view() const { return m_view; }

Q_SIGNALS:
    void loaded();

private:
    struct Answer
    {
        quint64 token = 0;
        Result<QList<RunRecord>> runs = QList<RunRecord>();
    };
    void onFinished();
    void showRuns(QList<RunRecord> stored);

    QString m_path;
    QList<RunRecord> m_stored;                      // last read from the database
    QHash<QString, QList<RunRecord>> m_sessionRuns; // by database path
    quint64 m_token = 0;
    QFutureWatcher<Answer> m_watcher;
    RunHistoryModel *m_model = nullptr;
    QTableView *m_view = nullptr;
};
