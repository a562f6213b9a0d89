#pragma once

#include "result.h"
#include "storage/pg/pgconnection.h"

// The organisation tables on a PostgreSQL server (SPEC section 9 in PostgreSQL types: dates as
// `date`, ids `bigint`, times `time`, timestamps `timestamp`), and the checks of an open.
namespace PgSchema {

// Connects and checks that the database has a `contacts` table (NoContactsTable otherwise).
Result<PgConnection> openOrganisation(const QString &spec, const QString &applicationName = QString());

// Creates what is missing: email_schedules with the unique index on (contact_id, email_type,
// scheduled_send_date) (skipped when existing rows break it, as on SQLite), missing columns of
// an older email_schedules, and the runs table. Never drops or rewrites anything, and takes no
// table lock when nothing is missing (readers never wait for a run). Runs inside the caller's
// transaction (BEGIN first).
Result<void> ensure(PgConnection &db);

// The runs table: `scheduler_runs`, unless a table of that name has NOT NULL columns of its own
// without a default; then `email_scheduler_runs` (as on SQLite).
QString runsTable(const PgConnection &db);

// The key of the per-organisation advisory lock: (ClassKey, hashtext(current_schema())).
inline constexpr int LockClassKey = 1397900115; // "SRES"

// What `email_schedules` columns are called for the CREATE of a copy: the whole definition.
QByteArray createSchedulesSql();

} // namespace PgSchema
