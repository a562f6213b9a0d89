#include "items/contacttablemodel.h"

#include "dates.h"
#include "items/contactloader.h"

#include <QMetaObject>
#include <QThread>

#include <limits>

using namespace ContactColumn;

namespace {
// Enough pages for many screens of scrolling back and forth; a million rows are never all held.
constexpr int kMaxCachedPages = 300;
} // namespace

ContactTableModel::ContactTableModel(QObject *parent)
    : QAbstractTableModel(parent), m_today(QDate::currentDate()),
      m_latestIndex(std::make_shared<std::atomic<quint64>>(0))
{
    qRegisterMetaType<QList<qint64>>();
    qRegisterMetaType<QList<ContactRow>>();

    m_indexThread = new QThread;
    m_indexThread->setObjectName(QStringLiteral("ContactIndexLoader"));
    m_indexLoader = new ContactLoader(m_latestIndex);
    m_indexLoader->moveToThread(m_indexThread);
    connect(m_indexLoader, &ContactLoader::indexReady, this, &ContactTableModel::onIndexReady);

    m_pageThread = new QThread;
    m_pageThread->setObjectName(QStringLiteral("ContactPageLoader"));
    m_pageLoader = new ContactLoader(m_latestIndex);
    m_pageLoader->moveToThread(m_pageThread);
    connect(m_pageLoader, &ContactLoader::pageReady, this, &ContactTableModel::onPageReady);

    m_indexThread->start();
    m_pageThread->start();
}

ContactTableModel::~ContactTableModel()
{
    // Stop a running index build at its next progress check, then let both threads end.
    m_latestIndex->store(std::numeric_limits<quint64>::max());
    m_indexThread->quit();
    m_pageThread->quit();
    m_indexThread->wait();
    m_pageThread->wait();
    delete m_indexLoader;
    delete m_pageLoader;
    delete m_indexThread;
    delete m_pageThread;
}

void ContactTableModel::setDatabase(const QString &path)
{
    setDatabase(path, m_filter);
}

void ContactTableModel::setDatabase(const QString &path, const ContactFilter &filter)
{
    m_filter = filter;
    beginResetModel();
    m_path = path;
    m_ids.clear();
    clearPages();
    endResetModel();

    ContactLoader *indexLoader = m_indexLoader;
    ContactLoader *pageLoader = m_pageLoader;
    // Make a running build of the previous database stop before the new one is opened.
    m_latestIndex->store(m_latestIndex->load() + 1);
    QMetaObject::invokeMethod(indexLoader, [indexLoader, path] { indexLoader->open(path); });
    QMetaObject::invokeMethod(pageLoader, [pageLoader, path] { pageLoader->open(path); });
    if (path.isEmpty()) {
        setLoading(false);
        return;
    }
    requestIndex();
}

void ContactTableModel::setFilter(const ContactFilter &filter)
{
    if (filter == m_filter)
        return;
    m_filter = filter;
    if (!m_path.isEmpty())
        requestIndex();
}

void ContactTableModel::setToday(QDate today)
{
    if (today == m_today || !today.isValid())
        return;
    m_today = today;
    if (m_path.isEmpty())
        return;
    if (m_filter.needsCheck() || m_sortColumn == Problems) {
        requestIndex();
        return;
    }
    clearPages();
    if (!m_ids.isEmpty())
        Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
}

void ContactTableModel::refresh()
{
    if (!m_path.isEmpty())
        requestIndex();
}

void ContactTableModel::sort(int column, Qt::SortOrder order)
{
    if (column < 0 || column >= ColumnCount)
        column = Id;
    if (column == m_sortColumn && order == m_sortOrder)
        return;
    m_sortColumn = column;
    m_sortOrder = order;
    if (!m_path.isEmpty())
        requestIndex();
}

void ContactTableModel::requestIndex()
{
    const quint64 token = m_latestIndex->load() + 1;
    m_latestIndex->store(token);
    ContactIndexRequest request { m_filter, m_sortColumn, m_sortOrder, m_today };
    ContactLoader *loader = m_indexLoader;
    QMetaObject::invokeMethod(loader, [loader, token, request] { loader->buildIndex(token, request); });
    setLoading(true);
}

void ContactTableModel::setLoading(bool loading)
{
    if (loading == m_loading)
        return;
    m_loading = loading;
    Q_EMIT loadingChanged(loading);
}

void ContactTableModel::onIndexReady(quint64 token, const QList<qint64> &ids, const QString &error)
{
    if (token != m_latestIndex->load())
        return; // the user asked for something else meanwhile
    setLoading(false);
    if (!error.isEmpty()) {
        beginResetModel();
        m_ids.clear();
        clearPages();
        endResetModel();
        Q_EMIT loadFailed(error);
        return;
    }
    // A whole new result: reset once rather than announcing a million moves.
    beginResetModel();
    m_ids = ids;
    m_indexToken = token;
    clearPages();
    endResetModel();
    Q_EMIT indexLoaded();
}

void ContactTableModel::clearPages()
{
    m_pages.clear();
    m_pendingPages.clear();
    m_pageArrival.clear();
    ++m_pageToken; // pages still on their way belong to the old rows
}

void ContactTableModel::requestPage(int page) const
{
    if (m_pendingPages.contains(page))
        return;
    m_pendingPages.insert(page);
    const QList<qint64> ids = m_ids.mid(qsizetype(page) * PageSize, PageSize);
    ContactLoader *loader = m_pageLoader;
    const quint64 token = m_pageToken;
    const QDate today = m_today;
    QMetaObject::invokeMethod(
        loader, [loader, token, page, ids, today] { loader->fetchPage(token, page, ids, today); });
}

void ContactTableModel::onPageReady(quint64 token, int page, const QList<ContactRow> &rows)
{
    if (token != m_pageToken)
        return;
    m_pendingPages.remove(page);
    const int first = page * PageSize;
    if (first >= m_ids.size())
        return;
    m_pages.insert(page, rows);
    m_pageArrival.append(page);
    while (m_pageArrival.size() > kMaxCachedPages)
        m_pages.remove(m_pageArrival.takeFirst());
    const int last = qMin(first + int(rows.size()), int(m_ids.size())) - 1;
    Q_EMIT dataChanged(index(first, 0), index(last, ColumnCount - 1));
}

qint64 ContactTableModel::contactId(int row) const
{
    return row >= 0 && row < m_ids.size() ? m_ids[row] : 0;
}

int ContactTableModel::rowOfContact(qint64 id) const
{
    return int(m_ids.indexOf(id));
}

const ContactRow *ContactTableModel::loadedRow(int row) const
{
    if (row < 0 || row >= m_ids.size())
        return nullptr;
    const auto it = m_pages.constFind(row / PageSize);
    if (it == m_pages.cend() || row % PageSize >= it->size())
        return nullptr;
    return &it->at(row % PageSize);
}

int ContactTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_ids.size());
}

int ContactTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ContactTableModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const int row = index.row();
    const int column = index.column();
    const ContactRow *loaded = loadedRow(row);
    if (!loaded && (role == Qt::DisplayRole || role == RawValueRole || role == Qt::ToolTipRole))
        requestPage(row / PageSize);

    switch (role) {
    case Qt::DisplayRole:
        if (loaded)
            return displayValue(*loaded, column);
        if (column == Id)
            return QString::number(m_ids[row]);
        return column == FirstName ? QStringLiteral("…") : QString();
    case RawValueRole:
        if (loaded)
            return rawValue(*loaded, column);
        return column == Id ? QVariant(m_ids[row]) : QVariant();
    case Qt::ToolTipRole:
        if (loaded && !loaded->problems.isEmpty() && (column == Id || column == Problems))
            return problemSummary(loaded->problems);
        return {};
    case Qt::TextAlignmentRole:
        if (column == Id)
            return QVariant(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case ContactIdRole:
        return m_ids[row];
    case LoadedRole:
        return loaded != nullptr;
    case ProblemSeverityRole:
        if (!loaded || loaded->problems.isEmpty())
            return -1;
        return int(worstSeverity(loaded->problems));
    default:
        return {};
    }
}

QVariant ContactTableModel::displayValue(const ContactRow &row, int column) const
{
    if (column == Problems)
        return problemSummary(row.problems);
    return rawText(row.contact, column);
}

QVariant ContactTableModel::rawValue(const ContactRow &row, int column) const
{
    if (column == Id)
        return row.contact.id;
    if (isDateColumn(column))
        return Dates::parseContactDate(rawText(row.contact, column));
    return displayValue(row, column);
}

QVariant ContactTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case Id:
        return tr("ID");
    case FirstName:
        return tr("First name");
    case LastName:
        return tr("Last name");
    case Email:
        return tr("Email");
    case State:
        return tr("State");
    case Zip:
        return tr("ZIP");
    case BirthDate:
        return tr("Birth date");
    case EffectiveDate:
        return tr("Effective date");
    case Carrier:
        return tr("Carrier");
    case PlanType:
        return tr("Plan");
    case Phone:
        return tr("Phone");
    case Status:
        return tr("Status");
    case Problems:
        return tr("Problems");
    default:
        return {};
    }
}
