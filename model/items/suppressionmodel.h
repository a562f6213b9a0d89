#pragma once

#include "campaign.h"

#include <QAbstractTableModel>
#include <QList>

// The do-not-email list as a table people read: address, reason, note, when and by whom.
class SuppressionModel final : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column { Email, Reason, Note, Added, AddedBy, ColumnCount };
    enum Role {
        RawValueRole = Qt::UserRole + 1, // QDateTime for Added, the machine reason for Reason
        IdRole,                          // the entry's id
    };

    explicit SuppressionModel(QObject *parent = nullptr);

    void setEntries(const QList<SuppressionEntry> &entries);
    const QList<SuppressionEntry> &entries() const { return m_entries; }
    const SuppressionEntry *entry(int row) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    // The machine reasons of SPEC section 14, in the order a list offers them.
    static QStringList reasonCodes();
    // "Unsubscribed", "Bounced", "Complained", "Deceased", "Agent's request", "Other"; the code
    // itself for one this program does not know.
    static QString reasonLabel(const QString &code);
    // A stored timestamp ("2025-03-03 14:02:11", ISO, or a date) as a date-time; invalid when
    // unreadable.
    static QDateTime parseTimestamp(const QString &text);

private:
    QVariant displayValue(const SuppressionEntry &entry, int column) const;

    QList<SuppressionEntry> m_entries;
};
