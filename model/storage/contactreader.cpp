#include "storage/contactreader.h"

#include "storage/orgdatabase.h"
#include "storage/pg/pgconnection.h"
#include "storage/pg/pgcontactsource.h"

namespace {

// The SQLite reader: ContactSource on its own read-only connection.
class SqliteContactReader final : public ContactReader
{
public:
    explicit SqliteContactReader(OrgDatabase db) : m_db(std::move(db)), m_source(m_db) { }

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

private:
    OrgDatabase m_db;
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
