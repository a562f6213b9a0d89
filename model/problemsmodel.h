#pragma once

#include "problem.h"

#include <QAbstractTableModel>
#include <QList>

struct BatchResult;

// One data problem of one contact, as listed in the problems table.
struct ProblemRow
{
    qint64 contactId = 0;
    Problem problem;
};

// Every problem a batch run found, one row per problem (filterable through a thin proxy).
class ProblemsModel final : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column { ContactId, Severity, Code, Message, ColumnCount };
    enum Role { RawValueRole = Qt::UserRole + 1, ContactIdRole };

    explicit ProblemsModel(QObject *parent = nullptr);

    // The problems of a batch in contact order; pure, run it off the GUI thread for big batches.
    static QList<ProblemRow> collect(const BatchResult &batch);

    void setProblems(const QList<ProblemRow> &rows);
    const QList<ProblemRow> &problems() const { return m_rows; }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    QList<ProblemRow> m_rows;
};
