#pragma once

#include "storage/auditlog.h"

#include <QAbstractTableModel>
#include <QList>

// The audit trail of management changes, newest first: when, who, what, and the row before and
// after the change (SPEC issue 9 item 2), for the "History of changes" tabs.
class AuditModel final : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column { When, Who, Action, Summary, Before, After, ColumnCount };
    enum Role { RawValueRole = Qt::UserRole + 1 };

    explicit AuditModel(QObject *parent = nullptr);

    void setEntries(std::vector<AuditEntry> entries);
    const std::vector<AuditEntry> &entries() const { return m_entries; }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    // "Added", "Changed", "Ended", "Enrolled", "Removed"; the stored word otherwise.
    static QString actionLabel(const QString &action);
    // A stored before/after JSON object as "field: value" lines; empty for none.
    static QString jsonText(const QString &json);

private:
    QVariant displayValue(const AuditEntry &entry, int column) const;

    std::vector<AuditEntry> m_entries;
};
