#pragma once

#include "batch/problemscan.h"
#include "items/problemsmodel.h"

#include <QDockWidget>

class QAction;
class QComboBox;
class QLabel;
class QLineEdit;
class QTableView;

// The data problems of the open database (checked in the background on open and refresh) and
// what the last batch run found beyond them, filterable by text and severity; double-click
// shows the contact in the contact table.
class ProblemsDock final : public QDockWidget
{
    Q_OBJECT

public:
    explicit ProblemsDock(QWidget *parent = nullptr);

    // Every problem of a batch run (its contact checks and processing errors): replaces all rows.
    void setProblems(const QList<ProblemRow> &problems);
    // The contact checks of the whole database: replace the checked rows, keep what only the
    // last run found (processing errors).
    void setCheckedProblems(const ProblemScan::Summary &summary);
    // Another database: no rows until its check or run reports.
    void clear();
    // A check of the database is running (or ended without a result: false).
    void setChecking(bool checking);
    void setCheckFailed(const QString &message);
    // The text under the filter bar: where the rows come from.
    QString sourceText() const;
    void setFilterText(const QString &text);
    ProblemsModel *model() const { return m_model; }
    QAbstractItemModel *filteredModel() const;
    QTableView *view() const { return m_view; }
    // "Export…": the problems as filtered, through ExportDialog (button and context menu).
    QAction *exportAction() const { return m_export; }

Q_SIGNALS:
    void contactActivated(qint64 contactId);

private:
    void updateTitle();

    void applyFilter();

    ProblemsModel *m_model = nullptr;
    QLineEdit *m_filter = nullptr;
    QComboBox *m_severity = nullptr;
    QLabel *m_source = nullptr;
    bool m_checking = false;
    QTableView *m_view = nullptr;
    QAction *m_export = nullptr;
};
