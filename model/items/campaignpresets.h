#pragma once

#include "campaign.h"

#include <QDate>
#include <QList>
#include <QString>

// The ready-made starting points of the Campaigns window (UX: staff start from a kind of
// campaign, not a blank form): a type with its settings and a first instance dated from the
// "as of" day. Staff change anything before saving.
struct CampaignPreset
{
    enum class Kind { RateIncrease, InitialBlast, CarrierUpdate, Newsletter, Blank };

    Kind kind = Kind::Blank;
    QString title;       // "Rate increase notice"
    QString description; // one sentence: what it sends, to whom, when
    CampaignTypeRow type;
    CampaignInstanceRow instance; // dates as YYYY-MM-DD
};

// Every starting point, dated from `today`: rate increase (30 days before each enrolled
// contact's trigger date), initial blast (every contact, spread over 14 days from tomorrow),
// carrier update (on the next Jan 31), newsletter (every contact, spread over the first week of
// next month), and a blank one. Spread campaigns are live from `today`, so the next run
// schedules them; the carrier update is live from Jan 31, its sending day.
QList<CampaignPreset> campaignPresets(QDate today);
CampaignPreset campaignPreset(CampaignPreset::Kind kind, QDate today);
