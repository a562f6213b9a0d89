#include "items/auditmodel.h"

#include "items/suppressionmodel.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>

AuditModel::AuditModel(QObject *parent) : QAbstractTableModel(parent) { }

void AuditModel::setEntries(std::vector<AuditEntry> entries)
{
    beginResetModel();
    m_entries = std::move(entries);
    endResetModel();
}

int AuditModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_entries.size());
}

int AuditModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString AuditModel::actionLabel(const QString &action)
{
    if (action == u"add")
        return tr("Added");
    if (action == u"edit")
        return tr("Changed");
    if (action == u"end")
        return tr("Ended");
    if (action == u"enrol")
        return tr("Enrolled");
    if (action == u"remove")
        return tr("Removed");
    return action;
}

QString AuditModel::jsonText(const QString &json)
{
    if (json.trimmed().isEmpty())
        return {};
    const QJsonDocument doc = QJsonDocument::fromJson(json.toUtf8());
    if (!doc.isObject())
        return json;
    QStringList lines;
    const QJsonObject object = doc.object();
    for (auto it = object.begin(); it != object.end(); ++it) {
        const QJsonValue v = it.value();
        QString text;
        if (v.isString())
            text = v.toString();
        else if (v.isDouble())
            text = QString::number(v.toDouble(), 'g', 15);
        else if (v.isBool())
            text = v.toBool() ? QStringLiteral("true") : QStringLiteral("false");
        else if (v.isNull())
            text = QStringLiteral("—");
        else
            text
                = QString::fromUtf8(v.isArray() ? QJsonDocument(v.toArray()).toJson(QJsonDocument::Compact)
                                                : QJsonDocument(v.toObject()).toJson(QJsonDocument::Compact));
        lines << it.key() + QStringLiteral(": ") + text;
    }
    return lines.join(u'\n');
}

QVariant AuditModel::displayValue(const AuditEntry &entry, int column) const
{
    switch (column) {
    case When: {
        const QDateTime at = SuppressionModel::parseTimestamp(entry.at);
        return at.isValid() ? QLocale().toString(at.toLocalTime(), QStringLiteral("MMM d, yyyy HH:mm:ss"))
                            : entry.at;
    }
    case Who:
        return entry.serverUser.isEmpty() ? entry.user
                                          : QString(entry.serverUser + u" (" + entry.user + u')');
    case Action:
        return actionLabel(entry.action);
    case Summary:
        return entry.summary;
    case Before:
        return jsonText(entry.beforeJson).replace(u'\n', QStringLiteral("; "));
    case After:
        return jsonText(entry.afterJson).replace(u'\n', QStringLiteral("; "));
    default:
        return {};
    }
}

QVariant AuditModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= int(m_entries.size()))
        return {};
    const AuditEntry &e = m_entries[size_t(index.row())];
    switch (role) {
    case Qt::DisplayRole:
        return displayValue(e, index.column());
    case Qt::ToolTipRole:
        if (index.column() == Before)
            return jsonText(e.beforeJson);
        if (index.column() == After)
            return jsonText(e.afterJson);
        return {};
    case RawValueRole:
        if (index.column() == When)
            return SuppressionModel::parseTimestamp(e.at);
        return displayValue(e, index.column());
    default:
        return {};
    }
}

QVariant AuditModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case When:
        return tr("When");
    case Who:
        return tr("Who");
    case Action:
        return tr("Action");
    case Summary:
        return tr("What");
    case Before:
        return tr("Before");
    case After:
        return tr("After");
    default:
        return {};
    }
}
