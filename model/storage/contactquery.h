#pragma once

#include "contact.h"
#include "items/contactfilter.h"
#include "problem.h"
#include "result.h"
#include "storage/orgdatabase.h"

#include <QByteArray>
#include <QDate>
#include <QHash>
#include <QList>
#include <QString>

#include <functional>
#include <memory>
#include <optional>

class PgContactSource;

// One row of the contact table: the stored contact and what the checks found.
struct ContactRow
{
    Contact contact;
    QList<Problem> problems;
};

// What the contact table asks for: filter, sort column and order, and the "as of" date.
struct ContactIndexRequest
{
    ContactFilter filter;
    int sortColumn = ContactColumn::Id;
    Qt::SortOrder order = Qt::AscendingOrder;
    QDate today;
};

// A read-only connection owned by one worker thread (an SQLite file, or a PostgreSQL server when
// the database is a connection spec): builds the contact table's sorted, filtered id index and
// reads pages of rows. Both backends give the same ids in the same order and the same rows.
// Blocking on purpose; never used on the GUI thread.
class ContactQuery
{
public:
    ContactQuery();
    ~ContactQuery();
    ContactQuery(const ContactQuery &) = delete;
    ContactQuery &operator=(const ContactQuery &) = delete;

    // Opens `path` read-only through OrgDatabase (its busy timeout and messages), or connects to
    // the server when it is a connection spec (PgSpec::isConnectionSpec); the error names the
    // file or server.
    Result<void> open(const QString &path);
    void close();
    bool isOpen() const { return m_db.has_value() || m_pg != nullptr; }
    QString path() const { return m_path; }

    // Every contact id that matches, in the requested order (dates sort as dates, unparsable
    // dates first). `isCancelled` is polled while SQLite works; a cancelled build returns an
    // storage error of kind DbErrorKind::Cancelled.
    Result<QList<qint64>> buildIndex(const ContactIndexRequest &request,
                                     const std::function<bool()> &isCancelled = {});

    // The rows of `ids`, in that order, checked as of `today`. Ids that no longer exist give a
    // row with only the id set.
    Result<QList<ContactRow>> fetchRows(const QList<qint64> &ids, QDate today);

    // The SQL expression the index sorts `column` by on SQLite (exposed for tests). A server
    // sorts by the same keys, computed in C++ (pg/pgcontactquery.h): dateKey, problemKey and
    // SQLite's NOCASE (ASCII letters folded, then bytes compared).
    static QString sortExpression(int column);

    // es_date(): the Julian day of a contact date in any accepted format; nullopt when invalid.
    static std::optional<qint64> dateKey(QStringView text);
    // es_problems(): the problem summary of the contact's checks; empty when it has none (NULL).
    static QByteArray problemKey(const Contact &contact, QDate today);

    // The conditions of a filter that are no ContactFilter predicate (a pre-scheduled email on
    // the day, the do-not-email list), as SQL of either backend; `id` is the contact id
    // expression. Empty when there are none. The one place their SQL differs by backend.
    enum class Dialect : quint8 { Sqlite, Postgres };
    static QStringList listConditions(const ContactFilter &filter, Dialect dialect, const QString &id);
    // fetchRows' answer from the rows found: `ids` in order, an id not found as a row with only
    // the id set.
    static QList<ContactRow> inOrder(const QList<qint64> &ids, const QHash<qint64, ContactRow> &byId);
    // Whether nothing can match because a table the filter needs does not exist yet.
    static bool nothingCanMatch(const ContactFilter &filter,
                                const std::function<bool(const QString &)> &hasTable);

private:
    Result<void> reopenIfChanged();

    std::optional<OrgDatabase> m_db;
    std::unique_ptr<PgContactSource> m_pg; // instead of m_db on a server
    QString m_path;
    QByteArray m_immutableState; // the file's state at an immutable open; empty otherwise
};
