#pragma once

#include "campaign.h"
#include "result.h"
#include "storage/campaignstore.h"

#include <QDate>

#include <vector>

class SqlSession;

// The live state and audience size of every campaign instance on a date, for the Campaigns
// window and `campaign list`: one pass over the contacts (checked by Engine::checkContact, the
// do-not-email list and bounces left out), each instance's enrolments and targeting applied.
// Works on a read-only connection; missing tables are empty.
namespace CampaignAudience {

Result<std::vector<CampaignInstanceState>> measure(const SqlSession &db, const CampaignCatalog &catalog,
                                                   QDate asOf);

} // namespace CampaignAudience
