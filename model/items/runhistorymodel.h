#pragma once

#include "storage/runhistory.h"

#include <QAbstractTableModel>

// Past batch runs of the open database, newest first: when, as of which day, counts, outcome.
class RunHistoryModel final : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column {
        Started,
        User, // "Run by": the server role on PostgreSQL, else the computer user
        Today,
        Status,
        Contacts,
        Scheduled,
        Skipped,
        Problems,
        Changes,
        Error,
        Warnings,    // campaigns the run left out (SPEC 12's campaign_invalid), one per line
        EmailCounts, // its campaign and follow-up emails by instance and type (RunEmailCounts)
        ColumnCount
    };
    enum Role { RawValueRole = Qt::UserRole + 1 };

    explicit RunHistoryModel(QObject *parent = nullptr);

    void setRuns(const QList<RunRecord> &runs);
    const QList<RunRecord> &runs() const { return m_runs; }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    static QString statusLabel(const QString &status);
    // Who ran `run`: the server role on PostgreSQL, else the computer user stored with it.
    static QString runBy(const RunRecord &run);

private:
    QVariant displayValue(const RunRecord &run, int column) const;
    QVariant rawValue(const RunRecord &run, int column) const;

    QList<RunRecord> m_runs;
};
