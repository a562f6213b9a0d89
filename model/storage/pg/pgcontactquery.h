#pragma once

#include "storage/contactquery.h"

class PgContactSource;

// The contact table's index and pages on a PostgreSQL organisation (ContactQuery on a connection
// spec). The filter is ContactFilter::matches and the sort keys are ContactQuery's (dateKey,
// problemKey, SQLite's NOCASE), evaluated in C++ over one streamed COPY of the columns they read,
// so a server gives the same ids in the same order as SQLite; only the do-not-email and
// scheduled-on conditions run on the server (ContactQuery::listConditions). Plain reads: a run
// that is writing never blocks them (MVCC).
namespace PgContactQuery {

Result<QList<qint64>> buildIndex(PgContactSource &source, const ContactIndexRequest &request,
                                 const std::function<bool()> &isCancelled);
Result<QList<ContactRow>> fetchRows(PgContactSource &source, const QList<qint64> &ids, QDate today);

} // namespace PgContactQuery
