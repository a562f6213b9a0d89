#pragma once

#include "contactfilter.h"

#include <QDate>
#include <QWidget>

class ContactTableModel;
class FilterHeader;
class MessageBanner;
class QComboBox;
class QLabel;
class QTableView;
class QTimer;
class QToolButton;

// The contact table page: banner for database messages, quick filters, the lazily loaded table
// with a filter box under each header, and the status text ("1–50 of 12,345 · 312 selected").
class ContactsPage final : public QWidget
{
    Q_OBJECT

public:
    explicit ContactsPage(QWidget *parent = nullptr);

    ContactTableModel *model() const { return m_model; }
    QTableView *view() const { return m_view; }
    MessageBanner *banner() const { return m_banner; }
    FilterHeader *filterHeader() const { return m_header; }
    QComboBox *quickFilterBox() const { return m_quick; }

    void setDatabase(const QString &path);
    void setToday(QDate today);
    // The quick filter groups follow the configuration's state rules.
    void setStateRules(const StateRuleTable &rules);
    void refresh();

    // Applies a column filter text now (what Enter does in a filter box).
    void setColumnFilter(int column, const QString &text);
    void setQuickFilter(QuickFilter filter);
    // Shows only contacts with a pre-scheduled email on `date` (the sends-per-day click-through);
    // an invalid date clears it.
    void setScheduledDateFilter(QDate date);
    QDate scheduledDateFilter() const { return m_scheduledOn; }

    qint64 currentContactId() const { return m_currentId; }
    bool selectContact(qint64 id);
    int copySelection() const;
    QString statusText() const;

    // The table's width with every column through "Problems" showing at its first-start width.
    int preferredTableWidth() const;

    QByteArray saveHeaderState() const;
    void restoreHeaderState(const QByteArray &state);

Q_SIGNALS:
    void currentContactChanged(qint64 id); // 0: no contact
    void statusTextChanged(const QString &text);

private:
    void applyFilters();
    void sizeColumns();
    void updateStatus();
    void onCurrentChanged();
    void onIndexLoaded();

    ContactTableModel *m_model = nullptr;
    MessageBanner *m_banner = nullptr;
    QComboBox *m_quick = nullptr;
    QLabel *m_dayFilter = nullptr;
    QToolButton *m_dayClear = nullptr;
    QDate m_scheduledOn;
    QLabel *m_loading = nullptr;
    QTableView *m_view = nullptr;
    FilterHeader *m_header = nullptr;
    QTimer *m_filterDelay = nullptr;
    StateRuleTable m_rules = StateRuleTable::defaults();
    qint64 m_currentId = 0;
    QString m_lastStatus;
};
