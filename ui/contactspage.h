#pragma once

#include "items/contactfilter.h"

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

// The contact table page: banners for database messages and notes, quick filters, the line that
// says what is filtered, the lazily loaded table with a filter box under each header, and the
// status text ("1–50 of 12,345 · 312 selected").
class ContactsPage final : public QWidget
{
    Q_OBJECT

public:
    explicit ContactsPage(QWidget *parent = nullptr);

    ContactTableModel *model() const { return m_model; }
    QTableView *view() const { return m_view; }
    // What just happened (a file that did not open); hidden when a database opens.
    MessageBanner *banner() const { return m_banner; }
    // What the open database is (made-up demo contacts, read-only); set on every open.
    MessageBanner *noticeBanner() const { return m_notice; }
    FilterHeader *filterHeader() const { return m_header; }
    QComboBox *quickFilterBox() const { return m_quick; }

    // Shows `path`; another database than the current one starts without filters (they named
    // the old one's contacts).
    void setDatabase(const QString &path);
    void setToday(QDate today);
    // The quick filter groups follow the configuration's state rules.
    void setStateRules(const StateRuleTable &rules);
    void refresh();

    // Applies a column filter text now (what Enter does in a filter box).
    void setColumnFilter(int column, const QString &text);
    void setQuickFilter(QuickFilter filter);
    // Empties every filter box, the quick filter and the sends-per-day filter ("Clear all").
    void clearFilters();
    // "Filtered by Last name, State" while any filter is on, else empty; with the texts:
    // "Filtered by Last name “smi”, State “KS”" (the line's tooltip).
    QString filterSummary(bool withTexts = false) const;
    // Shows only contacts with a pre-scheduled email on `date` (the sends-per-day click-through);
    // an invalid date clears it.
    void setScheduledDateFilter(QDate date);
    QDate scheduledDateFilter() const { return m_scheduledOn; }

    qint64 currentContactId() const { return m_currentId; }
    bool selectContact(qint64 id);
    // The ids of the selected rows, ascending.
    QList<qint64> selectedContactIds() const;
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
    ContactFilter filterFromInputs() const;
    void applyFilters();
    void sizeColumns();
    void updateFilterSummary();
    void updateTabOrder();
    void updateStatus();
    void onCurrentChanged();
    void onIndexLoaded();
    // A column in the middle of the view: making its cell current scrolls nothing sideways.
    int columnInView() const;

    ContactTableModel *m_model = nullptr;
    MessageBanner *m_banner = nullptr;
    MessageBanner *m_notice = nullptr;
    QComboBox *m_quick = nullptr;
    QLabel *m_dayFilter = nullptr;
    QToolButton *m_dayClear = nullptr;
    QDate m_scheduledOn;
    QLabel *m_filterSummary = nullptr;
    QToolButton *m_clearAll = nullptr;
    QLabel *m_loading = nullptr;
    QTableView *m_view = nullptr;
    FilterHeader *m_header = nullptr;
    QTimer *m_filterDelay = nullptr;
    StateRuleTable m_rules = StateRuleTable::defaults();
    qint64 m_currentId = 0;
    // A changed filter shows its first matches: the next index scrolls to the top unless the
    // current contact is still listed.
    bool m_scrollToTop = false;
    QString m_lastStatus;
};
