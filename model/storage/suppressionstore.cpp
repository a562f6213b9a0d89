#include "storage/suppressionstore.h"

#include "storage/orgdatabase.h"

namespace {
Error pending()
{
    return Error { QStringLiteral("not implemented yet"), 0 };
}
} // namespace

SuppressionStore::SuppressionStore(OrgDatabase &db, AuditActor actor)
    : m_db(db), m_actor(std::move(actor)) { }
const QStringList &SuppressionStore::reasons()
{
    static const QStringList list { QStringLiteral("unsubscribed"),  QStringLiteral("bounced"),
                                    QStringLiteral("complained"),    QStringLiteral("deceased"),
                                    QStringLiteral("agent_request"), QStringLiteral("other") };
    return list;
}
bool SuppressionStore::isReason(QStringView reason)
{
    return reasons().contains(reason);
}
std::optional<QString> SuppressionStore::reasonFromText(QStringView)
{
    return std::nullopt;
}
Result<std::vector<SuppressionEntry>> SuppressionStore::list() const
{
    return pending();
}
Result<std::optional<SuppressionEntry>> SuppressionStore::find(const QString &) const
{
    return pending();
}
Result<SuppressionStore::AddOutcome> SuppressionStore::add(const QString &, const QString &, const QString &)
{
    return pending();
}
Result<SuppressionEntry> SuppressionStore::remove(const QString &)
{
    return pending();
}
Result<SuppressionReport> SuppressionStore::addMany(std::span<const SuppressionInput>, const QString &)
{
    return pending();
}
Result<SuppressionReport> SuppressionStore::addContacts(std::span<const qint64>, const QString &,
                                                        const QString &)
{
    return pending();
}
