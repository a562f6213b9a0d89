#pragma once

#include "storage/runhistory.h"
#include "storage/schedulewriter.h"

// ScheduleWriter on a PostgreSQL organisation database: the same result as on SQLite (SPEC
// section 9: one transaction, only pre-scheduled/skipped rows of the processed contacts are
// replaced, identical rows are left untouched), done set-based on the server. The new rows and
// the processed contact ids go into temporary tables with COPY; one DELETE removes the stored
// own rows that no new row matches exactly, one INSERT ... SELECT adds the new rows no stored
// row has the key of. A transaction-scoped advisory lock per organisation (schema) keeps two
// runs from interleaving: the second waits (WriteOptions::onWaiting hears who holds it) and
// gives up after WriteOptions::busyTimeoutMs. Readers never wait: they take no lock.
namespace PgScheduleWriter {

// `run` is the record ScheduleWriter::write prepared (batch id, user, counts).
Result<WriteSummary> write(const BatchResult &batch, const WriteOptions &options, RunRecord run);

} // namespace PgScheduleWriter
