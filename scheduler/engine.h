#pragma once

#include "config.h"
#include "contact.h"
#include "schedule.h"
#include "ziptable.h"

#include <QDate>

#include <span>

// The rules engine of SPEC sections 1-7: pure functions of their inputs. It never reads the
// clock, never touches SQL or widgets, and is safe to call from many threads at once.
namespace Engine {

// Section 2: contact checks. `today` is needed because a birth date after today is invalid.
ContactFacts checkContact(const Contact &contact, QDate today, const ZipTable &zips = ZipTable::defaults());

// Section 4: the exclusion windows of a contact whose anchors fall in [from.year-1, to.year+1]
// and that overlap [from, to]; empty for states without a window rule. Year-round states have
// none (every date is excluded; see isYearRound()).
std::vector<ExclusionWindow> exclusionWindows(const ContactFacts &facts, QDate from, QDate to, const Config &config);

// The window that excludes `date` for this contact, or an invalid window.
ExclusionWindow causingWindow(const ContactFacts &facts, QDate date, const Config &config);
bool isExcluded(const ContactFacts &facts, QDate date, const Config &config);
bool isYearRound(const ContactFacts &facts, const Config &config);

// Sections 2-7 for one contact (single-contact semantics: no load balancing).
// `history` is the contact's rows in email_schedules that this program did not write as
// pre-scheduled/skipped (any status; the engine filters by status itself).
ContactSchedule scheduleContact(const Contact &contact, std::span<const HistoryEntry> history,
                                QDate today, const Config &config,
                                const ZipTable &zips = ZipTable::defaults());

// Same, from already checked facts.
ContactSchedule scheduleContact(const ContactFacts &facts, std::span<const HistoryEntry> history,
                                QDate today, const Config &config);

} // namespace Engine
