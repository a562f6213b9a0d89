#pragma once

#include "config.h"

#include <QDate>
#include <QWidget>

class DailyLoadChart;
class DailyLoadModel;
class QComboBox;
class QLabel;

// The organisation-wide view of upcoming sends: a stacked bar per day by email type for the
// next 30/90/365 days, the daily cap drawn across, days over the cap highlighted, counts on
// hover; clicking a day asks for its contacts. Reads only while it is shown.
class DailyLoadView final : public QWidget
{
    Q_OBJECT

public:
    explicit DailyLoadView(QWidget *parent = nullptr);
    ~DailyLoadView() override;

    DailyLoadModel *model() const { return m_model; }
    QWidget *chart() const;
    QComboBox *rangeBox() const { return m_range; }

    void setDatabase(const QString &path);
    void setToday(QDate today);
    void setConfig(const Config &config);
    // Reads the stored schedule again now, or when the view is next shown.
    void reload();
    int rangeDays() const;
    void setRangeDays(int days);

    // The centre of a day's column in chart() coordinates; (-1, -1) when the day is not shown.
    QPoint dayPosition(QDate date) const;
    QString summaryText() const;

Q_SIGNALS:
    void dayClicked(QDate date);

protected:
    void showEvent(QShowEvent *event) override;

private:
    void updateSummary();

    DailyLoadModel *m_model = nullptr;
    DailyLoadChart *m_chart = nullptr;
    QComboBox *m_range = nullptr;
    QLabel *m_summary = nullptr;
    QString m_path;
    QDate m_today;
    Config m_config;
    bool m_dirty = false;
};
