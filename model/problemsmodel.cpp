#include "problemsmodel.h"

#include "batchjob.h"

ProblemsModel::ProblemsModel(QObject *parent) : QAbstractTableModel(parent) { }

QList<ProblemRow> ProblemsModel::collect(const BatchResult &batch)
{
    QList<ProblemRow> rows;
    for (const ContactSchedule &schedule : batch.schedules) {
        for (const Problem &problem : schedule.problems)
            rows.append(ProblemRow { schedule.contactId, problem });
    }
    return rows;
}

void ProblemsModel::setProblems(const QList<ProblemRow> &rows)
{
    beginResetModel();
    m_rows = rows;
    endResetModel();
}

int ProblemsModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int ProblemsModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ProblemsModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const ProblemRow &row = m_rows[index.row()];
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case ContactId:
            return QString::number(row.contactId);
        case Severity:
            return row.problem.severity == ::Severity::Error ? tr("Error (no emails)") : tr("Warning");
        case Code:
            return problemCodeName(row.problem.code);
        case Message:
            return row.problem.message;
        default:
            return {};
        }
    case RawValueRole:
        switch (index.column()) {
        case ContactId:
            return row.contactId;
        case Severity:
            return int(row.problem.severity);
        case Code:
            return int(row.problem.code);
        case Message:
            return row.problem.message;
        default:
            return {};
        }
    case Qt::ToolTipRole:
        return row.problem.message;
    case ContactIdRole:
        return row.contactId;
    default:
        return {};
    }
}

QVariant ProblemsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case ContactId:
        return tr("Contact");
    case Severity:
        return tr("Severity");
    case Code:
        return tr("Problem");
    case Message:
        return tr("Details");
    default:
        return {};
    }
}
