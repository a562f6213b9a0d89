#pragma once

#include "schedule.h"

#include <QAbstractTableModel>

// The emails of one contact's schedule: type, date, status and, in plain language, why.
class SchedulePreviewModel final : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column { Type, Date, Status, Details, ColumnCount };
    enum Role {
        RawValueRole = Qt::UserRole + 1, // QDate for Date, the enum value for Type and Status
        SkippedRole,                     // bool
    };

    explicit SchedulePreviewModel(QObject *parent = nullptr);

    void setSchedule(const ContactSchedule &schedule);
    const ContactSchedule &schedule() const { return m_schedule; }
    void clear();

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    static QString statusLabel(const ScheduledEmail &email);

private:
    QVariant displayValue(const ScheduledEmail &email, int column) const;

    ContactSchedule m_schedule;
};
