#pragma once

#include "result.h"

#include <QDate>

class OrgDatabase;

// The issue 9 part of a demo database, written after its contacts inside the generator's
// transaction: campaign types and instances (a rate increase with enrolments and trigger dates,
// an initial blast spread over 14 days to all contacts, a carrier update on Jan 31, a newsletter),
// eligibility answers with and without "yes" answers, clicks, recent sends (so follow-ups are
// due; without campaign_instance_id, which the production email_schedules lacks and runs add),
// send tracking with a few bounces, a few do-not-email entries and the audit entries of
// all that. Set-based SQL over the contacts (a handful of scans), deterministic per seed.
namespace DemoActivity {

struct Options
{
    QDate today;
    quint64 seed = 1;
    double enrolledFraction = 0.10; // contacts enrolled in the rate increase
};

// Returns the rows it added to email_schedules (the recent sends).
Result<qint64> write(OrgDatabase &db, const Options &options);

} // namespace DemoActivity
