#include "items/campaignlistmodel.h"

#include "dates.h"

#include <QLocale>

namespace {
// Dates in the campaign tables may use any format of SPEC section 1.
QDate storedDate(const QString &text)
{
    return Dates::parseContactDate(text);
}

QString yesNo(bool value)
{
    return value ? CampaignTypeModel::tr("Yes") : CampaignTypeModel::tr("No");
}
} // namespace

CampaignInstanceModel::CampaignInstanceModel(QObject *parent) : QAbstractTableModel(parent) { }

void CampaignInstanceModel::setOverview(const CampaignOverview &overview,
                                        const QHash<qint64, InstanceRunCounts> &counts, bool hasRun)
{
    beginResetModel();
    m_overview = overview;
    m_counts = counts;
    m_hasRun = hasRun;
    endResetModel();
}

const CampaignInstanceState *CampaignInstanceModel::instance(int row) const
{
    return row >= 0 && row < int(m_overview.instances.size()) ? &m_overview.instances[size_t(row)] : nullptr;
}

const CampaignTypeRow *CampaignInstanceModel::typeOf(const CampaignInstanceRow &instance) const
{
    for (const CampaignTypeRow &t : m_overview.types) {
        if (t.name.compare(instance.campaignType, Qt::CaseInsensitive) == 0)
            return &t;
    }
    return nullptr;
}

int CampaignInstanceModel::rowOf(qint64 instanceId) const
{
    for (size_t i = 0; i < m_overview.instances.size(); ++i) {
        if (m_overview.instances[i].row.id == instanceId)
            return int(i);
    }
    return -1;
}

int CampaignInstanceModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_overview.instances.size());
}

int CampaignInstanceModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString CampaignInstanceModel::dateText(const QString &stored, const QString &empty)
{
    if (stored.trimmed().isEmpty())
        return empty;
    const QDate d = storedDate(stored);
    return d.isValid() ? QLocale().toString(d, QStringLiteral("MMM d, yyyy"))
                       : tr("“%1” (not a date)").arg(stored);
}

QString CampaignInstanceModel::targetsText(const CampaignInstanceRow &instance, const CampaignTypeRow *type)
{
    QStringList parts;
    parts << (type && type->targetAllContacts ? tr("All contacts") : tr("Enrolled contacts"));
    const auto isAll = [](const QString &list) {
        const QString t = list.trimmed();
        return t.isEmpty() || t.compare(QStringLiteral("ALL"), Qt::CaseInsensitive) == 0;
    };
    if (!isAll(instance.targetStates))
        parts << tr("in %1").arg(instance.targetStates.trimmed().toUpper());
    if (!isAll(instance.targetCarriers))
        parts << tr("with %1").arg(instance.targetCarriers.trimmed());
    return parts.join(u' ');
}

QVariant CampaignInstanceModel::displayValue(const CampaignInstanceState &state, int column) const
{
    const QLocale locale;
    const CampaignInstanceRow &row = state.row;
    switch (column) {
    case Name:
        return row.instanceName;
    case Type:
        return row.campaignType;
    case Live:
        return state.live ? tr("Live") : tr("Not live — %1").arg(state.liveDetail);
    case ActiveFrom:
        return dateText(row.activeStartDate, tr("open"));
    case ActiveUntil:
        return dateText(row.activeEndDate, tr("open"));
    case Spread:
        if (row.spreadStartDate.isEmpty() && row.spreadEndDate.isEmpty())
            return QString();
        return tr("%1 – %2").arg(dateText(row.spreadStartDate, tr("?")),
                                 dateText(row.spreadEndDate, tr("?")));
    case Targets:
        return targetsText(row, typeOf(row));
    case Audience:
        return state.live ? locale.toString(state.audience) : QStringLiteral("—");
    case Scheduled:
    case Skipped: {
        if (!m_hasRun)
            return QStringLiteral("—");
        const InstanceRunCounts c = m_counts.value(row.id);
        return locale.toString(column == Scheduled ? c.scheduled : c.skipped);
    }
    default:
        return {};
    }
}

QVariant CampaignInstanceModel::rawValue(const CampaignInstanceState &state, int column) const
{
    switch (column) {
    case Live:
        return state.live;
    case ActiveFrom:
        return storedDate(state.row.activeStartDate);
    case ActiveUntil:
        return storedDate(state.row.activeEndDate);
    case Audience:
        return state.audience;
    case Scheduled:
        return m_counts.value(state.row.id).scheduled;
    case Skipped:
        return m_counts.value(state.row.id).skipped;
    default:
        return displayValue(state, column);
    }
}

QVariant CampaignInstanceModel::data(const QModelIndex &index, int role) const
{
    const CampaignInstanceState *state = index.isValid() ? instance(index.row()) : nullptr;
    if (!state)
        return {};
    switch (role) {
    case Qt::DisplayRole:
        return displayValue(*state, index.column());
    case RawValueRole:
        return rawValue(*state, index.column());
    case IdRole:
        return state->row.id;
    case Qt::TextAlignmentRole:
        if (index.column() >= Audience)
            return int(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case Qt::ToolTipRole:
        if (index.column() == Audience)
            return tr("Contacts this instance emails as of %1 (valid, not on the do-not-email list, "
                      "targeted)")
                .arg(QLocale().toString(m_overview.asOf, QStringLiteral("MMM d, yyyy")));
        if (index.column() == Scheduled || index.column() == Skipped)
            return tr("Emails of this instance the last run pre-scheduled / skipped");
        return displayValue(*state, index.column());
    default:
        return {};
    }
}

QVariant CampaignInstanceModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Name:
        return tr("Campaign");
    case Type:
        return tr("Type");
    case Live:
        return tr("Live?");
    case ActiveFrom:
        return tr("From");
    case ActiveUntil:
        return tr("Until");
    case Spread:
        return tr("Spread over");
    case Targets:
        return tr("Reaches");
    case Audience:
        return tr("Audience");
    case Scheduled:
        return tr("Scheduled");
    case Skipped:
        return tr("Skipped");
    default:
        return {};
    }
}

CampaignTypeModel::CampaignTypeModel(QObject *parent) : QAbstractTableModel(parent) { }

void CampaignTypeModel::setOverview(const CampaignOverview &overview)
{
    beginResetModel();
    m_types = overview.types;
    m_instances.clear();
    for (const CampaignInstanceState &i : overview.instances)
        ++m_instances[i.row.campaignType.toLower()];
    endResetModel();
}

const CampaignTypeRow *CampaignTypeModel::type(int row) const
{
    return row >= 0 && row < int(m_types.size()) ? &m_types[size_t(row)] : nullptr;
}

int CampaignTypeModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_types.size());
}

int CampaignTypeModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant CampaignTypeModel::data(const QModelIndex &index, int role) const
{
    const CampaignTypeRow *t = index.isValid() ? type(index.row()) : nullptr;
    if (!t)
        return {};
    if (role == IdRole)
        return t->id;
    if (role != Qt::DisplayRole)
        return {};
    switch (index.column()) {
    case Name:
        return t->name;
    case Active:
        return t->active ? tr("Active") : tr("Inactive");
    case Priority:
        return t->priority;
    case DaysBefore:
        return t->daysBeforeEvent == 1 ? tr("1 day") : tr("%1 days").arg(t->daysBeforeEvent);
    case Audience:
        return t->targetAllContacts ? tr("All contacts") : tr("Enrolled");
    case Windows:
        return t->respectExclusionWindows ? tr("Respected") : tr("Ignored");
    case Followups:
        return yesNo(t->enableFollowups);
    case Spread:
        return yesNo(t->spreadEvenly);
    case FailedUnderwriting:
        return t->skipFailedUnderwriting ? tr("Skipped") : tr("Emailed");
    case Instances:
        return m_instances.value(t->name.toLower());
    default:
        return {};
    }
}

QVariant CampaignTypeModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Name:
        return tr("Type");
    case Active:
        return tr("State");
    case Priority:
        return tr("Priority");
    case DaysBefore:
        return tr("Before the trigger date");
    case Audience:
        return tr("Audience");
    case Windows:
        return tr("Rule windows");
    case Followups:
        return tr("Follow-ups");
    case Spread:
        return tr("Spread evenly");
    case FailedUnderwriting:
        return tr("Failed underwriting");
    case Instances:
        return tr("Campaigns");
    default:
        return {};
    }
}
