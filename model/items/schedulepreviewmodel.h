#pragma once

#include "campaignrun.h"
#include "schedule.h"

#include <QAbstractTableModel>

#include <memory>

// The emails of one contact's schedule: type, date, status and, in plain language, why.
class SchedulePreviewModel final : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column { Type, Date, Status, Details, ColumnCount };
    enum Role {
        RawValueRole = Qt::UserRole + 1, // QDate for Date, the enum value for Type and Status
        SkippedRole,                     // bool
        PinnedRole,                      // bool: a campaign or follow-up email (never moved)
    };

    explicit SchedulePreviewModel(QObject *parent = nullptr);

    // `campaigns`: the live campaigns the schedule was made with (names and reasons of campaign
    // emails); null when none.
    void setSchedule(const ContactSchedule &schedule, std::shared_ptr<const CampaignRun> campaigns = {});
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
    std::shared_ptr<const CampaignRun> m_campaigns;
};
