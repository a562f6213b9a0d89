#include "csv/managementexport.h"

namespace ManagementExport {
std::optional<What> whatFromName(QStringView)
{
    return std::nullopt;
}
QStringList header(What)
{
    return {};
}
ExportOutcome run(What, const QString &, const QString &, QDate, const CsvOptions &)
{
    return {};
}
} // namespace ManagementExport
