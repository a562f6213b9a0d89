#pragma once

#include "schedule.h"

#include <QString>

// Plain-language explanations for people who are not engineers, e.g.
// "Skipped — California birthday rule window Mar 17 – Aug 14, 2024; follow-up email Aug 15".
// Used for the preview, the CLI's detail column and the `skip_reason` detail in the database.
namespace Explain {

// Why an email has its status and date (the follow-up date is looked up in `schedule`).
QString explainEmail(const ContactSchedule &schedule, const ScheduledEmail &email);

// Short detail for `skip_reason` = "<code>: <detail>" and the CLI detail column.
QString detail(const ContactSchedule &schedule, const ScheduledEmail &email);

// "California birthday rule" etc.
QString ruleName(StateCode state, StateRule::Kind kind);

} // namespace Explain
