#include "items/dailyloadmodel.h"

#include "items/emailtypelabel.h"
#include "storage/orgdatabase.h"

#include <QLocale>
#include <QtConcurrent/QtConcurrentRun>

DailyLoadModel::DailyLoadModel(QObject *parent)
    : QAbstractTableModel(parent), m_latest(std::make_shared<std::atomic<quint64>>(0))
{
    connect(&m_watcher, &QFutureWatcher<Answer>::finished, this, &DailyLoadModel::onFinished);
}

DailyLoadModel::~DailyLoadModel()
{
    // A running read sees the newer token and stops at its next check; nothing waits for it.
    m_latest->store(++m_token);
}

int DailyLoadModel::columnOfType(EmailType type)
{
    switch (type) {
    case EmailType::Birthday:
        return Birthday;
    case EmailType::EffectiveDate:
        return EffectiveDate;
    case EmailType::Aep:
        return Aep;
    case EmailType::PostWindow:
        return PostWindow;
    case EmailType::Campaign:
        return Campaign;
    case EmailType::FollowupCold:
    case EmailType::FollowupClickedNoHq:
    case EmailType::FollowupHqNoYes:
    case EmailType::FollowupHqWithYes:
        return Followup;
    }
    return Other;
}

void DailyLoadModel::loadDatabase(const QString &path, QDate from, int days, const Config &config)
{
    const quint64 token = ++m_token;
    m_latest->store(token);
    const QDate to = from.addDays(qMax(1, days) - 1);
    std::shared_ptr<std::atomic<quint64>> latest = m_latest;
    start(QtConcurrent::run([token, latest, path, from, to, config] {
        const DailyLoad::CancelCheck stale = [token, latest] { return latest->load() != token; };
        return Answer { token, DailyLoad::fromDatabase(path, from, to, config, stale) };
    }));
}

void DailyLoadModel::loadBatch(BatchResultPtr batch, int days)
{
    const quint64 token = ++m_token;
    m_latest->store(token);
    if (!batch) {
        clear();
        return;
    }
    start(QtConcurrent::run([token, batch, days] {
        return Answer { token,
                        DailyLoad::fromBatch(*batch, batch->today, batch->today.addDays(qMax(1, days) - 1)) };
    }));
}

void DailyLoadModel::start(QFuture<Answer> future)
{
    setLoading(true);
    m_watcher.setFuture(future);
}

void DailyLoadModel::onFinished()
{
    const Answer answer = m_watcher.result();
    if (answer.token != m_token)
        return; // the user asked for something else meanwhile; its answer is on the way
    setLoading(false);
    if (!answer.load) {
        if (dbErrorKind(answer.load.error()) != DbErrorKind::Cancelled)
            Q_EMIT loadFailed(answer.load.errorMessage());
        return;
    }
    setLoad(answer.load.value());
}

void DailyLoadModel::setLoad(DailyLoad load)
{
    beginResetModel();
    m_load = std::move(load);
    endResetModel();
    Q_EMIT loaded();
}

void DailyLoadModel::clear()
{
    m_latest->store(++m_token);
    setLoading(false);
    setLoad(DailyLoad());
}

void DailyLoadModel::setLoading(bool loading)
{
    if (loading == m_loading)
        return;
    m_loading = loading;
    Q_EMIT loadingChanged(loading);
}

int DailyLoadModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_load.days.size());
}

int DailyLoadModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant DailyLoadModel::rawValue(const DailyLoad::Day &day, int column) const
{
    switch (column) {
    case Date:
        return day.date;
    case Birthday:
    case EffectiveDate:
    case Aep:
    case PostWindow:
        return day.counts[column - Birthday];
    case Campaign:
        return chartKindCount(day.counts, EmailType::Campaign);
    case Followup:
        return chartKindCount(day.counts, EmailType::FollowupCold);
    case Other:
        return day.other;
    case Total:
        return day.total();
    case OverCap:
        return m_load.isOverCap(day);
    default:
        return {};
    }
}

QVariant DailyLoadModel::displayValue(const DailyLoad::Day &day, int column) const
{
    const QLocale locale;
    switch (column) {
    case Date:
        return locale.toString(day.date, QStringLiteral("ddd d MMM yyyy"));
    case OverCap:
        if (m_load.isOverflow(day))
            return tr("Over the cap by %1; a run moves emails")
                .arg(locale.toString(day.total() - m_load.dailyCap));
        return m_load.isOverCap(day)
            ? tr("Over the cap by %1").arg(locale.toString(day.total() - m_load.dailyCap))
            : QString();
    default: {
        const QVariant raw = rawValue(day, column);
        return raw.isValid() ? QVariant(locale.toString(raw.toLongLong())) : QVariant();
    }
    }
}

QVariant DailyLoadModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const DailyLoad::Day &day = m_load.days[std::size_t(index.row())];
    switch (role) {
    case Qt::DisplayRole:
        return displayValue(day, index.column());
    case RawRole:
        return rawValue(day, index.column());
    case Qt::TextAlignmentRole:
        return index.column() == Date ? QVariant() : QVariant(int(Qt::AlignRight | Qt::AlignVCenter));
    default:
        return {};
    }
}

QVariant DailyLoadModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case Date:
        return tr("Date");
    case Birthday:
    case EffectiveDate:
    case Aep:
    case PostWindow:
        return emailTypeLabel(static_cast<EmailType>(section - Birthday));
    case Campaign:
        return chartKindLabel(EmailType::Campaign);
    case Followup:
        return chartKindLabel(EmailType::FollowupCold);
    case Other:
        return tr("Other");
    case Total:
        return tr("Total");
    case OverCap:
        return tr("Over the cap");
    default:
        return {};
    }
}
