#include "items/suppressionmodel.h"

#include <QDateTime>
#include <QLocale>
#include <QTimeZone>

SuppressionModel::SuppressionModel(QObject *parent) : QAbstractTableModel(parent) { }

void SuppressionModel::setEntries(const QList<SuppressionEntry> &entries)
{
    beginResetModel();
    m_entries = entries;
    endResetModel();
}

const SuppressionEntry *SuppressionModel::entry(int row) const
{
    return row >= 0 && row < m_entries.size() ? &m_entries.at(row) : nullptr;
}

int SuppressionModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_entries.size());
}

int SuppressionModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QStringList SuppressionModel::reasonCodes()
{
    return { QStringLiteral("unsubscribed"), QStringLiteral("bounced"),       QStringLiteral("complained"),
             QStringLiteral("deceased"),     QStringLiteral("agent_request"), QStringLiteral("other") };
}

QString SuppressionModel::reasonLabel(const QString &code)
{
    const QString c = code.trimmed().toLower();
    if (c == u"unsubscribed")
        return tr("Unsubscribed");
    if (c == u"bounced")
        return tr("Bounced");
    if (c == u"complained")
        return tr("Complained");
    if (c == u"deceased")
        return tr("Deceased");
    if (c == u"agent_request")
        return tr("Agent's request");
    if (c == u"other")
        return tr("Other");
    return code;
}

QDateTime SuppressionModel::parseTimestamp(const QString &text)
{
    const QString t = text.trimmed();
    if (t.isEmpty())
        return {};
    // SQLite's CURRENT_TIMESTAMP is UTC without a zone ("2025-03-03 14:02:11").
    QDateTime dt = QDateTime::fromString(t, QStringLiteral("yyyy-MM-dd HH:mm:ss"));
    if (dt.isValid()) {
        dt.setTimeZone(QTimeZone::utc());
        return dt;
    }
    dt = QDateTime::fromString(t, Qt::ISODateWithMs);
    if (dt.isValid())
        return dt;
    const QDate d = QDate::fromString(t.left(10), Qt::ISODate);
    return d.isValid() ? QDateTime(d, QTime(0, 0), QTimeZone::utc()) : QDateTime();
}

QVariant SuppressionModel::displayValue(const SuppressionEntry &entry, int column) const
{
    switch (column) {
    case Email:
        return entry.email;
    case Reason:
        return reasonLabel(entry.reason);
    case Note:
        return entry.note;
    case Added: {
        const QDateTime at = parseTimestamp(entry.createdAt);
        return at.isValid() ? QLocale().toString(at.toLocalTime(), QStringLiteral("MMM d, yyyy HH:mm"))
                            : entry.createdAt;
    }
    case AddedBy:
        return entry.createdBy;
    default:
        return {};
    }
}

QVariant SuppressionModel::data(const QModelIndex &index, int role) const
{
    const SuppressionEntry *e = index.isValid() ? entry(index.row()) : nullptr;
    if (!e)
        return {};
    switch (role) {
    case Qt::DisplayRole:
        return displayValue(*e, index.column());
    case Qt::ToolTipRole:
        return index.column() == Note ? QVariant(e->note) : QVariant();
    case RawValueRole:
        if (index.column() == Added)
            return parseTimestamp(e->createdAt);
        if (index.column() == Reason)
            return e->reason;
        return displayValue(*e, index.column());
    case IdRole:
        return e->id;
    default:
        return {};
    }
}

QVariant SuppressionModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Email:
        return tr("Email address");
    case Reason:
        return tr("Reason");
    case Note:
        return tr("Note");
    case Added:
        return tr("Added");
    case AddedBy:
        return tr("Added by");
    default:
        return {};
    }
}
