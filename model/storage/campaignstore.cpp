#include "storage/campaignstore.h"

#include "storage/orgdatabase.h"

namespace {
Error pending()
{
    return Error { QStringLiteral("not implemented yet"), 0 };
}
} // namespace

CampaignStore::CampaignStore(OrgDatabase &db, AuditActor actor) : m_db(db), m_actor(std::move(actor)) { }
Result<CampaignCatalog> CampaignStore::catalog() const
{
    return pending();
}
Result<CampaignOverview> CampaignStore::overview(QDate) const
{
    return pending();
}
Result<std::optional<CampaignTypeRow>> CampaignStore::type(const QString &) const
{
    return pending();
}
Result<std::optional<CampaignInstanceRow>> CampaignStore::instance(qint64) const
{
    return pending();
}
Result<std::vector<EnrolmentRow>> CampaignStore::enrolments(qint64) const
{
    return pending();
}
Result<qint64> CampaignStore::addType(const CampaignTypeRow &)
{
    return pending();
}
Result<void> CampaignStore::editType(const CampaignTypeRow &)
{
    return pending();
}
Result<qint64> CampaignStore::addInstance(const CampaignInstanceRow &)
{
    return pending();
}
Result<void> CampaignStore::editInstance(const CampaignInstanceRow &)
{
    return pending();
}
Result<EnrolmentReport> CampaignStore::enrol(qint64, std::span<const EnrolmentInput>)
{
    return pending();
}
Result<void> CampaignStore::endInstance(qint64, QDate)
{
    return pending();
}
std::optional<QString> CampaignStore::typeNameProblem(QStringView)
{
    return std::nullopt;
}
std::optional<QString> CampaignStore::statesProblem(QStringView)
{
    return std::nullopt;
}
