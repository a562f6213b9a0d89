#pragma once

#include "csv/csvexport.h"

#include <QDate>
#include <QList>
#include <QString>
#include <optional>

struct CampaignOverview;

// `export --what suppressions|campaigns|audit`: the do-not-email list, the campaign types and
// instances with their state on a date, and the audit trail, as CSV (written like every other
// export: atomically, formulas guarded, to a path CsvExport::checkOutputPath accepts).
namespace ManagementExport {

enum class What : quint8 { Suppressions, Campaigns, Audit };
std::optional<What> whatFromName(QStringView name); // "suppressions", "campaigns", "audit"

// The columns of each export.
QStringList header(What what);

// The rows of the campaigns export (and of `campaign list`): one per type, then one per instance.
QList<QStringList> campaignRows(const CampaignOverview &overview);

// Reads the database read-only (missing tables give a header-only file). `asOf` is the date of
// the campaigns' live state and audience.
ExportOutcome run(What what, const QString &dbPath, const QString &outputPath, QDate asOf,
                  const CsvOptions &options = {});

} // namespace ManagementExport
