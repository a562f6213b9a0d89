#include "items/problemsmodel.h"

#include "batch/batchjob.h"

#include <algorithm>
#include <iterator>
#include <numeric>

ProblemsModel::ProblemsModel(QObject *parent) : QAbstractTableModel(parent) { }

QList<ProblemRow> ProblemsModel::collect(const BatchResult &batch)
{
    qsizetype count = 0;
    for (const ContactSchedule &schedule : batch.schedules)
        count += schedule.problems.size();
    QList<ProblemRow> rows;
    rows.reserve(count + qsizetype(batch.invalidRows.size()));
    // Rows without a usable id first (contact id 0); the message names the row.
    for (const InvalidContactRow &invalid : batch.invalidRows)
        rows.append(ProblemRow { 0, invalid.problem });
    for (const ContactSchedule &schedule : batch.schedules) {
        for (const Problem &problem : schedule.problems)
            rows.append(ProblemRow { schedule.contactId, problem });
    }
    return rows;
}

bool ProblemsModel::isContactCheck(ProblemCode code)
{
    // Listed, so that a kind of problem added later counts as found by a run until the checks
    // find it too.
    return code == ProblemCode::InvalidEmail || code == ProblemCode::UnknownState
        || code == ProblemCode::InvalidBirthDate || code == ProblemCode::InvalidEffectiveDate
        || code == ProblemCode::InvalidZip || code == ProblemCode::ZipStateMismatch
        || code == ProblemCode::InvalidId || code == ProblemCode::DuplicateId;
}

QList<ProblemRow> ProblemsModel::mergeChecked(QList<ProblemRow> checked, const QList<ProblemRow> &previous)
{
    QList<ProblemRow> runOnly;
    for (const ProblemRow &row : previous) {
        if (!isContactCheck(row.problem.code))
            runOnly.append(row);
    }
    if (runOnly.isEmpty())
        return checked;
    QList<ProblemRow> merged;
    merged.reserve(checked.size() + runOnly.size());
    // Both lists are in contact order; a contact's checked problems come before its run's.
    auto byContact = [](const ProblemRow &a, const ProblemRow &b) { return a.contactId < b.contactId; };
    std::stable_sort(runOnly.begin(), runOnly.end(), byContact);
    std::merge(std::make_move_iterator(checked.begin()), std::make_move_iterator(checked.end()),
               runOnly.cbegin(), runOnly.cend(), std::back_inserter(merged), byContact);
    return merged;
}

QString ProblemsModel::severityLabel(::Severity severity)
{
    return severity == ::Severity::Error ? tr("Error (no emails)") : tr("Warning");
}

void ProblemsModel::setProblems(QList<ProblemRow> rows)
{
    beginResetModel();
    m_rows = std::move(rows);
    rebuildShown();
    endResetModel();
}

void ProblemsModel::setFilter(const QString &text, int severity)
{
    if (text == m_filterText && severity == m_filterSeverity)
        return;
    beginResetModel();
    m_filterText = text;
    m_filterSeverity = severity;
    rebuildShown();
    endResetModel();
}

bool ProblemsModel::accepts(const ProblemRow &row) const
{
    if (m_filterSeverity >= 0 && int(row.problem.severity) != m_filterSeverity)
        return false;
    if (m_filterText.isEmpty())
        return true;
    for (int column = 0; column < ColumnCount; ++column) {
        if (displayText(row, column).contains(m_filterText, Qt::CaseInsensitive))
            return true;
    }
    return false;
}

void ProblemsModel::rebuildShown()
{
    m_shown.clear();
    m_shown.reserve(std::size_t(m_rows.size()));
    for (int i = 0; i < int(m_rows.size()); ++i) {
        if (accepts(m_rows[i]))
            m_shown.push_back(i);
    }
    sortShown();
}

void ProblemsModel::sortShown()
{
    if (m_sortColumn < 0)
        return;
    const QList<ProblemRow> &rows = m_rows;
    // Ties keep the collected (contact) order, so equal keys never swap places between runs.
    auto less = [&rows, this](int a, int b) {
        const ProblemRow &ra = rows[a];
        const ProblemRow &rb = rows[b];
        int c = 0;
        switch (m_sortColumn) {
        case ContactId:
            c = ra.contactId < rb.contactId ? -1 : ra.contactId > rb.contactId ? 1 : 0;
            break;
        case Severity:
            c = int(ra.problem.severity) - int(rb.problem.severity);
            break;
        case Code:
            c = int(ra.problem.code) - int(rb.problem.code);
            break;
        case Message:
            c = ra.problem.message.compare(rb.problem.message);
            break;
        default:
            break;
        }
        if (c == 0)
            return a < b;
        return m_sortOrder == Qt::AscendingOrder ? c < 0 : c > 0;
    };
    // Rows arrive in contact order, which is the usual sort: then this is one linear pass.
    if (!std::is_sorted(m_shown.begin(), m_shown.end(), less))
        std::sort(m_shown.begin(), m_shown.end(), less);
}

void ProblemsModel::sort(int column, Qt::SortOrder order)
{
    if (column < 0 || column >= ColumnCount)
        column = -1;
    if (column == m_sortColumn && order == m_sortOrder)
        return;
    Q_EMIT layoutAboutToBeChanged({}, QAbstractItemModel::VerticalSortHint);
    const QModelIndexList before = persistentIndexList();
    QList<int> sourceRows;
    sourceRows.reserve(before.size());
    for (const QModelIndex &index : before)
        sourceRows.append(m_shown[std::size_t(index.row())]);
    m_sortColumn = column;
    m_sortOrder = order;
    if (column < 0)
        std::sort(m_shown.begin(), m_shown.end());
    else
        sortShown();
    if (!before.isEmpty()) {
        std::vector<int> rowOf(std::size_t(m_rows.size()), -1);
        for (std::size_t r = 0; r < m_shown.size(); ++r)
            rowOf[std::size_t(m_shown[r])] = int(r);
        QModelIndexList after;
        after.reserve(before.size());
        for (qsizetype i = 0; i < before.size(); ++i)
            after.append(index(rowOf[std::size_t(sourceRows[i])], before[i].column()));
        changePersistentIndexList(before, after);
    }
    Q_EMIT layoutChanged({}, QAbstractItemModel::VerticalSortHint);
}

int ProblemsModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_shown.size());
}

int ProblemsModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString ProblemsModel::displayText(const ProblemRow &row, int column) const
{
    switch (column) {
    case ContactId: // a row without a usable id has none to show; its message names the row
        return row.problem.code == ProblemCode::InvalidId ? QString() : QString::number(row.contactId);
    case Severity:
        return severityLabel(row.problem.severity);
    case Code:
        return problemCodeName(row.problem.code);
    case Message:
        return row.problem.message;
    default:
        return {};
    }
}

QVariant ProblemsModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const ProblemRow &row = m_rows[m_shown[std::size_t(index.row())]];
    switch (role) {
    case Qt::DisplayRole:
        return displayText(row, index.column());
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
