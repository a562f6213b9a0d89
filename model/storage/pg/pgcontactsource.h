#pragma once

#include "storage/contactreader.h"
#include "storage/pg/pgconnection.h"

// ContactSource's PostgreSQL twin: the same rows in the same order with the same fields, read
// with COPY ... TO STDOUT (one round trip per chunk, streamed, no result set held). Any
// production variant of `contacts` works: missing columns read as null, every column is read as
// text (dates of a `date` column come out YYYY-MM-DD), ids may be any integer type, or text and
// numbers whose value is a whole number. One per thread.
class PgContactSource final : public ContactReader
{
public:
    static Result<std::unique_ptr<PgContactSource>> open(const QString &spec);
    explicit PgContactSource(PgConnection db);

    Result<ContactIdScan> scanIds() const override;
    Result<void> readRange(qint64 firstId, qint64 lastId, ContactSource::Fields fields,
                           const ContactSource::Visitor &visit) const override;
    Result<void> readIds(std::span<const qint64> ids, ContactSource::Fields fields,
                         const ContactSource::Visitor &visit,
                         const ContactSource::DuplicateVisitor &duplicate = {}) const override;
    Result<RunInputs> readRunInputs() const override;
    Result<std::unique_ptr<ActivityStream>> openActivityRange(qint64 firstId, qint64 lastId) const override;
    Result<std::unique_ptr<ActivityStream>> openActivityPoints() const override;

    PgConnection &connection() { return m_db; }
    // The contact id as a bigint expression (NULL when it is no whole number), and the columns
    // `contacts` has (lower case): for other readers of the same table (PgContactQuery).
    const QByteArray &idExpression() const { return m_idExpr; }
    const QStringList &contactColumns() const { return m_contactColumns; }

private:
    QByteArray contactSelect(ContactSource::Fields fields) const;
    QByteArray historySelect() const;
    // Streams the contacts of `where` (in id order) merged with the history of `historyWhere`.
    Result<void> read(const QByteArray &where, const QByteArray &historyWhere, ContactSource::Fields fields,
                      const ContactSource::Visitor &visit,
                      const ContactSource::DuplicateVisitor &duplicate) const;

    mutable PgConnection m_db;
    QStringList m_contactColumns;
    QStringList m_scheduleColumns;
    QByteArray m_idExpr; // the id as bigint; NULL when it is no whole number
};
