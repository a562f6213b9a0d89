#pragma once

#include "storage/campaignstore.h"
#include "storage/runcampaigncounts.h"

#include <QAbstractTableModel>
#include <QHash>

// The campaign instances of the Campaigns window: live or not (and why), dates, targeting,
// audience on the "as of" date, and the scheduled and skipped emails of the last run.
class CampaignInstanceModel final : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column {
        Name,
        Type,
        Live,
        ActiveFrom,
        ActiveUntil,
        Spread,
        Targets,
        Audience,
        Scheduled,
        Skipped,
        ColumnCount
    };
    enum Role {
        RawValueRole = Qt::UserRole + 1, // dates as QDate, counts as qint64, Live as bool
        IdRole,                          // the instance id
    };

    explicit CampaignInstanceModel(QObject *parent = nullptr);

    // `counts` by instance id; `hasRun` false when no run wrote campaign rows yet.
    void setOverview(const CampaignOverview &overview, const QHash<qint64, InstanceRunCounts> &counts,
                     bool hasRun);
    const CampaignOverview &overview() const { return m_overview; }
    const CampaignInstanceState *instance(int row) const;
    const CampaignTypeRow *typeOf(const CampaignInstanceRow &instance) const;
    int rowOf(qint64 instanceId) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    // "All contacts" or "Enrolled contacts", then the states and carriers aimed at.
    static QString targetsText(const CampaignInstanceRow &instance, const CampaignTypeRow *type);
    // A stored date (YYYY-MM-DD, or any text) as "Mar 3, 2025"; "open" for an empty bound.
    static QString dateText(const QString &stored, const QString &empty);

private:
    QVariant displayValue(const CampaignInstanceState &state, int column) const;
    QVariant rawValue(const CampaignInstanceState &state, int column) const;

    CampaignOverview m_overview;
    QHash<qint64, InstanceRunCounts> m_counts;
    bool m_hasRun = false;
};

// The campaign types: their reusable settings (SPEC section 12).
class CampaignTypeModel final : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column {
        Name,
        Active,
        Priority,
        DaysBefore,
        Audience,
        Windows,
        Followups,
        Spread,
        FailedUnderwriting,
        Instances,
        ColumnCount
    };
    enum Role { IdRole = Qt::UserRole + 1 };

    explicit CampaignTypeModel(QObject *parent = nullptr);

    void setOverview(const CampaignOverview &overview);
    const CampaignTypeRow *type(int row) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    std::vector<CampaignTypeRow> m_types;
    QHash<QString, int> m_instances; // per type name (lower case)
};
