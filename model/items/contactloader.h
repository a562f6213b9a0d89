#pragma once

#include "storage/contactquery.h"

#include <QObject>

#include <atomic>
#include <memory>

// Worker object of one loader thread of the contact table. It owns that thread's connection (an
// SQLite file or a PostgreSQL server, ContactQuery) and answers requests with values; it never
// sees the model or a widget.
class ContactLoader final : public QObject
{
    Q_OBJECT

public:
    // `latestIndex` is the newest index request's token; an index build whose token is older
    // stops at once (the user typed on).
    explicit ContactLoader(std::shared_ptr<std::atomic<quint64>> latestIndex);

    void open(const QString &path);
    void buildIndex(quint64 token, const ContactIndexRequest &request);
    void fetchPage(quint64 token, int page, const QList<qint64> &ids, QDate today);

Q_SIGNALS:
    void indexReady(quint64 token, const QList<qint64> &ids, const QString &error);
    void pageReady(quint64 token, int page, const QList<ContactRow> &rows);

private:
    std::shared_ptr<std::atomic<quint64>> m_latestIndex;
    ContactQuery m_query;
    QString m_openError;
};
