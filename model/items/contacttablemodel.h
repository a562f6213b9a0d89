#pragma once

#include "items/contactcolumn.h"
#include "items/contactfilter.h"
#include "storage/contactquery.h"

#include <QAbstractTableModel>
#include <QDate>
#include <QHash>
#include <QList>
#include <QSet>

#include <atomic>
#include <memory>

class ContactLoader;
class QThread;

// The contact table, instant at a million rows: a worker builds the sorted, filtered list of
// ids off the GUI thread, and a second worker with its own connection fetches pages of rows
// on demand. data() never blocks: rows not loaded yet show a placeholder until their page
// arrives, then only that page is announced as changed.
class ContactTableModel final : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Role {
        RawValueRole = Qt::UserRole + 1, // sort value: qint64 id, QDate for dates, QString otherwise
        ContactIdRole,
        LoadedRole,          // bool: the row's page has arrived
        ProblemSeverityRole, // int: -1 none, else Severity
    };

    static constexpr int PageSize = 100;

    explicit ContactTableModel(QObject *parent = nullptr);
    ~ContactTableModel() override;

    // Opens `path` on the workers and loads the index; an empty path shows nothing.
    void setDatabase(const QString &path);
    // The same with another filter, in one index build.
    void setDatabase(const QString &path, const ContactFilter &filter);
    QString database() const { return m_path; }
    void setFilter(const ContactFilter &filter);
    const ContactFilter &filter() const { return m_filter; }
    // The "as of" date of the problem checks.
    void setToday(QDate today);
    QDate today() const { return m_today; }
    // Reads the index and the rows again (after a batch run or F5).
    void refresh();

    bool isLoading() const { return m_loading; }
    int sortColumn() const { return m_sortColumn; }
    Qt::SortOrder sortOrder() const { return m_sortOrder; }
    qint64 contactId(int row) const;
    int rowOfContact(qint64 id) const;          // -1 when not shown
    const ContactRow *loadedRow(int row) const; // nullptr until its page arrived

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    void sort(int column, Qt::SortOrder order = Qt::AscendingOrder) override;

Q_SIGNALS:
    void loadingChanged(bool loading);
    // A new index arrived (the row count is known).
    void indexLoaded();
    void loadFailed(const QString &message);

private:
    void requestIndex();
    void clearPages();
    void requestPage(int page) const;
    void onIndexReady(quint64 token, const QList<qint64> &ids, const QString &error);
    void onPageReady(quint64 token, int page, const QList<ContactRow> &rows);
    QVariant displayValue(const ContactRow &row, int column) const;
    QVariant rawValue(const ContactRow &row, int column) const;
    void setLoading(bool loading);

    QString m_path;
    ContactFilter m_filter;
    QDate m_today;
    int m_sortColumn = ContactColumn::Id;
    Qt::SortOrder m_sortOrder = Qt::AscendingOrder;

    QList<qint64> m_ids;
    quint64 m_indexToken = 0;
    std::shared_ptr<std::atomic<quint64>> m_latestIndex;
    bool m_loading = false;

    // Page cache; mutable because data() asks for pages it does not have.
    mutable QHash<int, QList<ContactRow>> m_pages;
    mutable QSet<int> m_pendingPages;
    mutable QList<int> m_pageArrival; // oldest first, for eviction
    quint64 m_pageToken = 1;

    QThread *m_indexThread = nullptr;
    QThread *m_pageThread = nullptr;
    ContactLoader *m_indexLoader = nullptr;
    ContactLoader *m_pageLoader = nullptr;
};
