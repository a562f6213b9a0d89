#include "items/schedulepreviewmodel.h"

#include "explain.h"
#include "items/emailtypelabel.h"

#include <QLocale>

SchedulePreviewModel::SchedulePreviewModel(QObject *parent) : QAbstractTableModel(parent) { }

void SchedulePreviewModel::setSchedule(const ContactSchedule &schedule,
                                       std::shared_ptr<const CampaignRun> campaigns)
{
    beginResetModel();
    m_schedule = schedule;
    m_campaigns = std::move(campaigns);
    endResetModel();
}

void SchedulePreviewModel::clear()
{
    setSchedule({});
}

int SchedulePreviewModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_schedule.emails.size());
}

int SchedulePreviewModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString SchedulePreviewModel::statusLabel(const ScheduledEmail &email)
{
    if (email.status == EmailStatus::Skipped)
        return tr("Skipped");
    return email.catchUp ? tr("Scheduled (catch-up)") : tr("Scheduled");
}

QVariant SchedulePreviewModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const ScheduledEmail &email = m_schedule.emails[std::size_t(index.row())];
    switch (role) {
    case Qt::DisplayRole:
        return displayValue(email, index.column());
    case Qt::ToolTipRole:
        return Explain::explainEmail(m_schedule, email, m_campaigns.get());
    case RawValueRole:
        switch (index.column()) {
        case Type:
            return int(email.type);
        case Date:
            return email.date.toQDate();
        case Status:
            return int(email.status);
        default:
            return displayValue(email, index.column());
        }
    case SkippedRole:
        return email.status == EmailStatus::Skipped;
    case PinnedRole:
        return isPinned(email.type);
    default:
        return {};
    }
}

QVariant SchedulePreviewModel::displayValue(const ScheduledEmail &email, int column) const
{
    switch (column) {
    case Type:
        return emailLabel(email, m_campaigns.get());
    case Date:
        return QLocale().toString(email.date, QStringLiteral("ddd MMM d, yyyy"));
    case Status:
        return statusLabel(email);
    case Details:
        return Explain::explainEmail(m_schedule, email, m_campaigns.get());
    default:
        return {};
    }
}

QVariant SchedulePreviewModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case Type:
        return tr("Email");
    case Date:
        return tr("Date");
    case Status:
        return tr("Status");
    case Details:
        return tr("Why");
    default:
        return {};
    }
}
