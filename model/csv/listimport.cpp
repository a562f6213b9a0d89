#include "csv/listimport.h"

namespace {
Error pending()
{
    return Error { QStringLiteral("not implemented yet"), 0 };
}
} // namespace

namespace EnrolmentImport {
Mapping Mapping::guess(const QStringList &)
{
    return {};
}
ContactImport::ImportReport Report::asImportReport() const
{
    return {};
}
Result<Report> run(OrgDatabase &, const Settings &, const AuditActor &)
{
    return pending();
}
Result<std::vector<EnrolmentInput>> read(const Settings &, QList<ContactImport::RowFailure> *)
{
    return pending();
}
} // namespace EnrolmentImport

namespace SuppressionImport {
Mapping Mapping::guess(const QStringList &)
{
    return {};
}
ContactImport::ImportReport Report::asImportReport() const
{
    return {};
}
Result<Report> run(OrgDatabase &, const Settings &, const AuditActor &)
{
    return pending();
}
} // namespace SuppressionImport
