#include "items/runhistorymodel.h"

#include "batch/runemailcounts.h"

#include <QLocale>

RunHistoryModel::RunHistoryModel(QObject *parent) : QAbstractTableModel(parent) { }

void RunHistoryModel::setRuns(const QList<RunRecord> &runs)
{
    beginResetModel();
    m_runs = runs;
    endResetModel();
}

int RunHistoryModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_runs.size());
}

int RunHistoryModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString RunHistoryModel::statusLabel(const QString &status)
{
    if (status == u"completed")
        return tr("Completed");
    if (status == u"cancelled")
        return tr("Cancelled");
    if (status == u"failed")
        return tr("Failed");
    if (status == u"declined")
        return tr("Not written");
    return status;
}

QString RunHistoryModel::runBy(const RunRecord &run)
{
    return run.serverUser.isEmpty() ? run.user : run.serverUser;
}

QVariant RunHistoryModel::displayValue(const RunRecord &run, int column) const
{
    const QLocale locale;
    switch (column) {
    case Started:
        return locale.toString(run.startedAt.toLocalTime(), QLocale::ShortFormat);
    case Today:
        return locale.toString(run.today, QLocale::ShortFormat);
    case Status:
        return statusLabel(run.status);
    case Contacts:
        return locale.toString(run.contacts);
    case Scheduled:
        return locale.toString(run.scheduled);
    case Skipped:
        return locale.toString(run.skipped);
    case Problems:
        return locale.toString(run.problems);
    case Changes:
        if (!run.stored)
            return tr("nothing written");
        return tr("+%1 / −%2 / =%3")
            .arg(locale.toString(run.added), locale.toString(run.removed), locale.toString(run.unchanged));
    case User:
        return runBy(run);
    case Error:
        return run.error;
    case Warnings:
        return QString(run.warnings).replace(u'\n', QStringLiteral("; "));
    case EmailCounts:
        return RunEmailCounts::summary(RunEmailCounts::fromText(run.emailCounts));
    default:
        return {};
    }
}

QVariant RunHistoryModel::rawValue(const RunRecord &run, int column) const
{
    switch (column) {
    case Started:
        return run.startedAt;
    case Today:
        return run.today;
    case Contacts:
        return run.contacts;
    case Scheduled:
        return run.scheduled;
    case Skipped:
        return run.skipped;
    case Problems:
        return run.problems;
    case Changes:
        return run.added + run.removed;
    default:
        return displayValue(run, column);
    }
}

QVariant RunHistoryModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const RunRecord &run = m_runs[index.row()];
    switch (role) {
    case Qt::DisplayRole:
        return displayValue(run, index.column());
    case RawValueRole:
        return rawValue(run, index.column());
    case Qt::ToolTipRole:
        if (!run.stored)
            return tr("This run wrote nothing to the database; it is listed until the program closes.");
        if (index.column() == Warnings && !run.warnings.isEmpty())
            return run.warnings;
        if (index.column() == User && !run.serverUser.isEmpty() && !run.user.isEmpty()
            && run.user != run.serverUser)
            return tr("Server user %1, computer user %2").arg(run.serverUser, run.user);
        if (index.column() == EmailCounts && !run.emailCounts.isEmpty())
            return tr("Emails to send (and skipped) by campaign and follow-up:\n%1")
                .arg(RunEmailCounts::summary(RunEmailCounts::fromText(run.emailCounts), u"\n"));
        return run.error.isEmpty() ? tr("Batch %1").arg(run.batchId) : run.error;
    case Qt::TextAlignmentRole:
        if (index.column() >= Contacts && index.column() <= Changes)
            return QVariant(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    default:
        return {};
    }
}

QVariant RunHistoryModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case Started:
        return tr("When");
    case Today:
        return tr("As of");
    case Status:
        return tr("Outcome");
    case Contacts:
        return tr("Contacts");
    case Scheduled:
        return tr("Scheduled");
    case Skipped:
        return tr("Skipped");
    case Problems:
        return tr("Problems");
    case Changes:
        return tr("Added / removed / unchanged");
    case User:
        return tr("Run by");
    case Error:
        return tr("Message");
    case Warnings:
        return tr("Campaigns left out");
    case EmailCounts:
        return tr("Campaigns and follow-ups");
    default:
        return {};
    }
}
