#pragma once

#include "batch/dailyload.h"

#include <QAbstractTableModel>
#include <QFutureWatcher>

#include <atomic>
#include <memory>

// Sends per day as a table (date, one column per email type, total, over the cap), one row per
// day of the range. Loads the stored schedule of a database or counts a computed batch in the
// background; a newer request makes an older answer stale (request token).
class DailyLoadModel final : public QAbstractTableModel
{
    Q_OBJECT

public:
    // Campaign and Followup (the four follow-up types) are pinned: the cap never moves them.
    enum Column {
        Date,
        Birthday,
        EffectiveDate,
        Aep,
        PostWindow,
        Campaign,
        Followup,
        Other,
        Total,
        OverCap,
        ColumnCount
    };
    enum Role {
        RawRole = Qt::UserRole + 1, // QDate for Date, qint64 counts, bool for OverCap (above dailyCap)
    };

    explicit DailyLoadModel(QObject *parent = nullptr);
    ~DailyLoadModel() override;

    // Reads the stored schedule of `path` for `days` days from `from` (off the GUI thread).
    void loadDatabase(const QString &path, QDate from, int days, const Config &config);
    // Counts a computed, not yet written batch for `days` days from its "today".
    void loadBatch(BatchResultPtr batch, int days);
    // Shows a load at once (tests, and answers of the background work).
    void setLoad(DailyLoad load);
    void clear();

    const DailyLoad &load() const { return m_load; }
    bool isLoading() const { return m_loading; }
    static int columnOfType(EmailType type);

    int rowCount(const QModelIndex &parent = QModelIndex()) const override;
    int columnCount(const QModelIndex &parent = QModelIndex()) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

Q_SIGNALS:
    void loadingChanged(bool loading);
    void loaded();
    void loadFailed(const QString &message);

private:
    struct Answer
    {
        quint64 token = 0;
        Result<DailyLoad> load = DailyLoad();
    };
    void start(QFuture<Answer> future);
    void onFinished();
    void setLoading(bool loading);
    QVariant rawValue(const DailyLoad::Day &day, int column) const;
    QVariant displayValue(const DailyLoad::Day &day, int column) const;

    DailyLoad m_load;
    quint64 m_token = 0;
    // Shared with the worker so a superseded read stops early instead of finishing for nothing.
    std::shared_ptr<std::atomic<quint64>> m_latest;
    bool m_loading = false;
    QFutureWatcher<Answer> m_watcher;
};
