#pragma once

#include "problemsmodel.h"

#include <QDockWidget>

class QAction;
class QComboBox;
class QLineEdit;
class QTableView;

// The problems a batch run found, filterable by text and severity; double-click shows the
// contact in the contact table.
class ProblemsDock final : public QDockWidget
{
    Q_OBJECT

public:
    explicit ProblemsDock(QWidget *parent = nullptr);

    void setProblems(const QList<ProblemRow> &problems);
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
    QTableView *m_view = nullptr;
    QAction *m_export = nullptr;
};
