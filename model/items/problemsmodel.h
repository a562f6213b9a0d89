#pragma once

#include "problem.h"

#include <QAbstractTableModel>
#include <QList>

#include <vector>

struct BatchResult;

// One data problem of one contact, as listed in the problems table.
struct ProblemRow
{
    qint64 contactId = 0;
    Problem problem;
};

// Every problem a batch run found, one row per problem, filtered by text and severity and
// sorted by the model itself: a run at a million contacts has tens of thousands of problems,
// and a generic proxy that compares QVariants would stall the GUI thread for a frame or more
// on every new run; comparing the rows directly takes a few milliseconds.
class ProblemsModel final : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column { ContactId, Severity, Code, Message, ColumnCount };
    enum Role { RawValueRole = Qt::UserRole + 1, ContactIdRole };

    explicit ProblemsModel(QObject *parent = nullptr);

    // The problems of a batch in contact order; pure, run it off the GUI thread for big batches.
    static QList<ProblemRow> collect(const BatchResult &batch);

    // Whether ProblemScan finds this kind of problem (the contact checks of SPEC section 2 and
    // the rows without a usable id); the others (ProcessingError) only a batch run finds.
    static bool isContactCheck(ProblemCode code);
    // `checked` (a scan's rows, contact order) plus the rows of `previous` that only a run
    // finds, merged in contact order: a new check keeps what the last run found beyond it.
    static QList<ProblemRow> mergeChecked(QList<ProblemRow> checked, const QList<ProblemRow> &previous);

    void setProblems(QList<ProblemRow> rows);
    const QList<ProblemRow> &problems() const { return m_rows; }
    int totalCount() const { return int(m_rows.size()); }

    // Rows whose shown text contains `text` (case-insensitive) and, unless `severity` is -1,
    // of that Severity.
    void setFilter(const QString &text, int severity);
    QString filterText() const { return m_filterText; }
    int filterSeverity() const { return m_filterSeverity; }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    void sort(int column, Qt::SortOrder order = Qt::AscendingOrder) override;

    static QString severityLabel(::Severity severity);

private:
    bool accepts(const ProblemRow &row) const;
    void rebuildShown();
    void sortShown();
    QString displayText(const ProblemRow &row, int column) const;

    QList<ProblemRow> m_rows;
    std::vector<int> m_shown; // rows of m_rows that pass the filter, in display order
    QString m_filterText;
    int m_filterSeverity = -1;
    int m_sortColumn = -1; // -1: contact order as collected
    Qt::SortOrder m_sortOrder = Qt::AscendingOrder;
};
