#include "storage/contactreader.h"

#include "storage/orgdatabase.h"
#include "storage/pg/pgconnection.h"
#include "storage/pg/pgcontactsource.h"

namespace {

// ActivityCursor behind the seam.
class SqliteActivityStream final : public ActivityStream
{
public:
    explicit SqliteActivityStream(ActivityCursor cursor) : m_cursor(std::move(cursor)) { }
    Result<ContactActivity> seek(qint64 contactId) override { return m_cursor.seek(contactId); }

private:
    ActivityCursor m_cursor;
};

Result<std::unique_ptr<ActivityStream>> streamOf(Result<ActivityCursor> cursor)
{
    if (!cursor)
        return cursor.error();
    return std::unique_ptr<ActivityStream>(std::make_unique<SqliteActivityStream>(std::move(cursor).value()));
}

// The SQLite reader: ContactSource on its own read-only connection, or on a borrowed one.
class SqliteContactReader final : public ContactReader
{
public:
    explicit SqliteContactReader(OrgDatabase &&db)
        : m_own(std::make_unique<OrgDatabase>(std::move(db))), m_db(*m_own), m_source(m_db)
    { }
    explicit SqliteContactReader(OrgDatabase &db) : m_db(db), m_source(m_db) { }

    Result<ContactIdScan> scanIds() const override { return m_source.scanIds(); }
    Result<void> readRange(qint64 firstId, qint64 lastId, ContactSource::Fields fields,
                           const ContactSource::Visitor &visit) const override
    {
        return m_source.readRange(firstId, lastId, fields, visit);
    }
    Result<void> readIds(std::span<const qint64> ids, ContactSource::Fields fields,
                         const ContactSource::Visitor &visit,
                         const ContactSource::DuplicateVisitor &duplicate) const override
    {
        return m_source.readIds(ids, fields, visit, duplicate);
    }
    Result<RunInputs> readRunInputs() const override { return ActivitySource::readRunInputs(m_db); }
    Result<std::unique_ptr<ActivityStream>> openActivityRange(qint64 firstId, qint64 lastId) const override
    {
        return streamOf(ActivityCursor::openRange(m_db, firstId, lastId));
    }
    Result<std::unique_ptr<ActivityStream>> openActivityPoints() const override
    {
        return streamOf(ActivityCursor::openPoints(m_db));
    }

private:
    std::unique_ptr<OrgDatabase> m_own;
    OrgDatabase &m_db;
    ContactSource m_source;
};

} // namespace

Result<std::unique_ptr<ContactReader>> ContactReader::open(const QString &database)
{
    if (PgSpec::isConnectionSpec(database)) {
        auto source = PgContactSource::open(database);
        if (!source)
            return source.error();
        return std::unique_ptr<ContactReader>(std::move(source).value());
    }
    auto db = OrgDatabase::open(database, OrgDatabase::Mode::ReadOnly);
    if (!db)
        return db.error();
    return std::unique_ptr<ContactReader>(std::make_unique<SqliteContactReader>(std::move(db).value()));
}

std::unique_ptr<ContactReader> ContactReader::over(OrgDatabase &db)
{
    return std::make_unique<SqliteContactReader>(db);
}
