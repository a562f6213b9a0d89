#pragma once

#include "result.h"
#include "storage/activitysource.h"
#include "storage/contactsource.h"

#include <memory>
#include <span>

// The activity of contacts (SPEC 12-14: enrolments, eligibility events, clicks, suppressing send
// statuses), one contact at a time; ActivityCursor's contract: range streams take ascending ids.
class ActivityStream
{
public:
    virtual ~ActivityStream() = default;
    // The contact's rows; the spans stay valid until the next seek() or the stream's end.
    virtual Result<ContactActivity> seek(qint64 contactId) = 0;
};

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
    // A reader on an open SQLite connection, which must outlive it.
    static std::unique_ptr<ContactReader> over(OrgDatabase &db);

    // See ContactSource for the meaning of each.
    virtual Result<ContactIdScan> scanIds() const = 0;
    virtual Result<void> readRange(qint64 firstId, qint64 lastId, ContactSource::Fields fields,
                                   const ContactSource::Visitor &visit) const = 0;
    virtual Result<void> readIds(std::span<const qint64> ids, ContactSource::Fields fields,
                                 const ContactSource::Visitor &visit,
                                 const ContactSource::DuplicateVisitor &duplicate = {}) const = 0;

    // What a run reads once (the campaign catalog, the do-not-email list); see ActivitySource.
    virtual Result<RunInputs> readRunInputs() const = 0;
    // Activity of the contacts [firstId, lastId] (ascending seeks), or of scattered ids.
    virtual Result<std::unique_ptr<ActivityStream>> openActivityRange(qint64 firstId,
                                                                      qint64 lastId) const = 0;
    virtual Result<std::unique_ptr<ActivityStream>> openActivityPoints() const = 0;
};
