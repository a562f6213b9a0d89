#pragma once

#include "result.h"
#include "storage/contactsource.h"

#include <memory>
#include <span>

// The backend seam of the batch: reads contacts with their history from an organisation
// database, whichever backend holds it. open() tells a PostgreSQL connection spec
// (PgSpec::isConnectionSpec) from an SQLite path and returns the matching reader: ContactSource
// over an OrgDatabase for a file, PgContactSource over a PgConnection for a server. One reader
// per thread; every reader sees the same rows in the same order and fills the same fields.
class ContactReader
{
public:
    virtual ~ContactReader() = default;

    // Read-only; errors name the file or server and say what to do.
    static Result<std::unique_ptr<ContactReader>> open(const QString &database);

    // See ContactSource for the meaning of each.
    virtual Result<ContactIdScan> scanIds() const = 0;
    virtual Result<void> readRange(qint64 firstId, qint64 lastId, ContactSource::Fields fields,
                                   const ContactSource::Visitor &visit) const = 0;
    virtual Result<void> readIds(std::span<const qint64> ids, ContactSource::Fields fields,
                                 const ContactSource::Visitor &visit,
                                 const ContactSource::DuplicateVisitor &duplicate = {}) const = 0;
};
