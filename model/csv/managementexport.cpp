#include "csv/managementexport.h"

#include "storage/auditlog.h"
#include "storage/campaignstore.h"
#include "storage/sqlsession.h"
#include "storage/suppressionstore.h"

#include "storage/csvsqlite.h"

#include <QCoreApplication>

namespace {

QString flag(bool value)
{
    return value ? QStringLiteral("1") : QStringLiteral("0");
}

} // namespace

namespace ManagementExport {

std::optional<What> whatFromName(QStringView name)
{
    if (name == u"suppressions")
        return What::Suppressions;
    if (name == u"campaigns")
        return What::Campaigns;
    if (name == u"audit")
        return What::Audit;
    return std::nullopt;
}

QStringList header(What what)
{
    switch (what) {
    case What::Suppressions:
        return { QStringLiteral("id"),   QStringLiteral("email"),      QStringLiteral("reason"),
                 QStringLiteral("note"), QStringLiteral("created_at"), QStringLiteral("created_by") };
    case What::Campaigns:
        return { QStringLiteral("kind"),
                 QStringLiteral("id"),
                 QStringLiteral("name"),
                 QStringLiteral("campaign_type"),
                 QStringLiteral("active"),
                 QStringLiteral("priority"),
                 QStringLiteral("days_before_event"),
                 QStringLiteral("target_all_contacts"),
                 QStringLiteral("respect_exclusion_windows"),
                 QStringLiteral("enable_followups"),
                 QStringLiteral("spread_evenly"),
                 QStringLiteral("skip_failed_underwriting"),
                 QStringLiteral("active_start_date"),
                 QStringLiteral("active_end_date"),
                 QStringLiteral("spread_start_date"),
                 QStringLiteral("spread_end_date"),
                 QStringLiteral("target_states"),
                 QStringLiteral("target_carriers"),
                 QStringLiteral("live"),
                 QStringLiteral("audience"),
                 QStringLiteral("enrolled"),
                 QStringLiteral("detail") };
    case What::Audit:
        return AuditLog::csvHeader();
    }
    return {};
}

QList<QStringList> campaignRows(const CampaignOverview &overview)
{
    const QStringList columns = header(What::Campaigns);
    // A row of empty cells but for the named ones: types and instances fill different columns.
    const auto row = [&columns](std::initializer_list<std::pair<QLatin1StringView, QString>> cells) {
        QStringList out(columns.size());
        for (const auto &[name, value] : cells)
            out[columns.indexOf(name)] = value;
        return out;
    };
    using L = QLatin1StringView;
    QList<QStringList> rows;
    for (const CampaignTypeRow &t : overview.types) {
        rows.append(row({ { L("kind"), QStringLiteral("type") },
                          { L("id"), QString::number(t.id) },
                          { L("name"), t.name },
                          { L("active"), flag(t.active) },
                          { L("priority"), QString::number(t.priority) },
                          { L("days_before_event"), QString::number(t.daysBeforeEvent) },
                          { L("target_all_contacts"), flag(t.targetAllContacts) },
                          { L("respect_exclusion_windows"), flag(t.respectExclusionWindows) },
                          { L("enable_followups"), flag(t.enableFollowups) },
                          { L("spread_evenly"), flag(t.spreadEvenly) },
                          { L("skip_failed_underwriting"), flag(t.skipFailedUnderwriting) } }));
    }
    for (const CampaignInstanceState &s : overview.instances) {
        const CampaignInstanceRow &i = s.row;
        rows.append(row({ { L("kind"), QStringLiteral("instance") },
                          { L("id"), QString::number(i.id) },
                          { L("name"), i.instanceName },
                          { L("campaign_type"), i.campaignType },
                          { L("active_start_date"), i.activeStartDate },
                          { L("active_end_date"), i.activeEndDate },
                          { L("spread_start_date"), i.spreadStartDate },
                          { L("spread_end_date"), i.spreadEndDate },
                          { L("target_states"), i.targetStates },
                          { L("target_carriers"), i.targetCarriers },
                          { L("live"), s.live ? QStringLiteral("yes") : QStringLiteral("no") },
                          { L("audience"), QString::number(s.audience) },
                          { L("enrolled"), QString::number(s.enrolled) },
                          { L("detail"), s.liveDetail } }));
    }
    return rows;
}

ExportOutcome run(What what, const QString &dbPath, const QString &outputPath, QDate asOf,
                  const CsvOptions &options)
{
    auto opened = SqlSession::open(dbPath, SqlSession::Mode::ReadOnly);
    if (!opened)
        return ExportOutcome { 0, CsvSqlite::fromDbError(opened.error()) };
    SqlSession &db = **opened;
    QList<QStringList> rows;
    switch (what) {
    case What::Suppressions: {
        SuppressionStore store(db);
        auto entries = store.list();
        if (!entries)
            return ExportOutcome { 0, CsvSqlite::fromDbError(entries.error()) };
        for (const SuppressionEntry &e : *entries)
            rows.append({ QString::number(e.id), e.email, e.reason, e.note, e.createdAt, e.createdBy });
        break;
    }
    case What::Campaigns: {
        CampaignStore store(db);
        auto overview = store.overview(asOf);
        if (!overview)
            return ExportOutcome { 0, CsvSqlite::fromDbError(overview.error()) };
        rows = campaignRows(*overview);
        break;
    }
    case What::Audit: {
        auto entries = AuditLog::list(db);
        if (!entries)
            return ExportOutcome { 0, CsvSqlite::fromDbError(entries.error()) };
        // Oldest first in a file: the order the changes were made in.
        for (auto it = entries->rbegin(); it != entries->rend(); ++it)
            rows.append(AuditLog::csvRow(*it));
        break;
    }
    }
    qsizetype next = 0;
    const QStringList columns = header(what);
    return CsvExport::writeRows(
        outputPath, options, columns, QList<bool>(columns.size(), false),
        [&rows, &next](QStringList &row) {
            if (next >= rows.size())
                return false;
            row = rows.at(next++);
            return true;
        },
        rows.size());
}

} // namespace ManagementExport
