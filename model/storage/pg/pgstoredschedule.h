#pragma once

#include "storage/storedschedule.h"

// StoredSchedule::scan on a PostgreSQL organisation database, for the comparison of a batch with
// the stored schedule (ScheduleDiff: keys, types, dates and statuses; contentHash stays 0, as
// the PostgreSQL writer compares rows on the server). Read-only; one COPY, streamed.
namespace PgStoredSchedule {

// `hasTable` (optional) is set to whether email_schedules exists; nothing is scanned otherwise.
Result<void> scan(const QString &spec, qint64 firstId, qint64 lastId,
                  const StoredSchedule::CampaignNames &names, const StoredSchedule::GroupFunction &group,
                  bool *hasTable = nullptr);

} // namespace PgStoredSchedule
