#include "items/contactloader.h"

ContactLoader::ContactLoader(std::shared_ptr<std::atomic<quint64>> latestIndex)
    : m_latestIndex(std::move(latestIndex))
{ }

void ContactLoader::open(const QString &path)
{
    m_openError.clear();
    if (path.isEmpty()) {
        m_query.close();
        return;
    }
    const Result<void> opened = m_query.open(path);
    if (!opened)
        m_openError = opened.errorMessage();
}

void ContactLoader::buildIndex(quint64 token, const ContactIndexRequest &request)
{
    if (token != m_latestIndex->load())
        return;
    if (!m_openError.isEmpty()) {
        Q_EMIT indexReady(token, {}, m_openError);
        return;
    }
    const std::shared_ptr<std::atomic<quint64>> latest = m_latestIndex;
    Result<QList<qint64>> ids
        = m_query.buildIndex(request, [latest, token] { return latest->load() != token; });
    if (ids)
        Q_EMIT indexReady(token, ids.value(), QString());
    else if (!ids.error().is(DbErrorKind::Cancelled))
        Q_EMIT indexReady(token, {}, ids.errorMessage());
}

void ContactLoader::fetchPage(quint64 token, int page, const QList<qint64> &ids, QDate today)
{
    Result<QList<ContactRow>> rows = m_query.fetchRows(ids, today);
    // A page that cannot be read stays a placeholder; the index worker reports database errors.
    if (rows)
        Q_EMIT pageReady(token, page, rows.value());
}
