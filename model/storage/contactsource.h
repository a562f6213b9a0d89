#pragma once

#include "contact.h"
#include "problem.h"
#include "result.h"

#include <QList>
#include <QStringList>

#include <functional>
#include <optional>
#include <span>
#include <vector>

class OrgDatabase;

// A contact with its email history (rows of email_schedules whose status is not
// pre-scheduled/skipped), as the engine needs it for a single-contact preview.
struct ContactRecord
{
    Contact contact;
    QList<HistoryEntry> history;
};

// A `contacts` row whose id cannot name one contact: not a whole number (text, NULL, a real
// number, a blob) or shared with other rows. Such rows are never scheduled; they are reported.
struct ContactIdProblem
{
    qint64 rowid = 0;     // the row's rowid; 0 when the table has none (WITHOUT ROWID, a view)
    QString id;           // the stored id as text ("NULL" for NULL)
    qint64 sharedId = 0;  // duplicates: the shared whole-number id
    QList<qint64> others; // duplicates: the rowids of the other rows with that id
    bool duplicate = false;
};

// All ids of `contacts`, split into the usable ones and the rows that cannot be scheduled.
struct ContactIdScan
{
    std::vector<qint64> ids;                  // unique whole-number ids, ascending
    std::vector<ContactIdProblem> invalid;    // id not a whole number, in rowid order
    std::vector<ContactIdProblem> duplicates; // every row of a shared id, by id then rowid
};

// Reads contacts and their history through the SQLite C API (fast: prepared statements, id
// ranges, only the needed columns). Works with any production variant of `contacts`: missing
// columns read as null, NULLs as null strings, numbers as text. Bound to one OrgDatabase, so
// use one per thread.
class ContactSource
{
public:
    enum class Fields {
        Scheduling, // id, email, effective_date, birth_date, state, zip_code (what the rules use)
        All,        // every column of SPEC section 9
        Checks,     // the Scheduling columns without history: what the contact checks need
    };

    explicit ContactSource(OrgDatabase &db);

    // All usable contact ids (whole numbers that exactly one row has), ascending.
    Result<std::vector<qint64>> contactIds() const;
    // The same ids, and the rows left out of them.
    Result<ContactIdScan> scanIds() const;
    // The problem a row with an unusable id gets: invalid_id or duplicate_id, an error that
    // names the row and the id.
    static Problem idProblem(const ContactIdProblem &row);

    using Visitor = std::function<void(const Contact &contact, std::span<const HistoryEntry> history)>;

    // Calls `visit` for every contact with firstId <= id <= lastId, in id order, with its history.
    // Rows whose id is not a whole number are left out; rows sharing an id are all visited.
    Result<void> readRange(qint64 firstId, qint64 lastId, Fields fields, const Visitor &visit) const;

    // Same for the given ids (ascending, no duplicates); ids without a contact are left out.
    // An id that several rows share is not visited: `duplicate` (when given) gets its rows.
    using DuplicateVisitor = std::function<void(const std::vector<ContactIdProblem> &rows)>;
    Result<void> readIds(std::span<const qint64> ids, Fields fields, const Visitor &visit,
                         const DuplicateVisitor &duplicate = {}) const;

    // One contact with every field and its history; std::nullopt when there is no such id.
    Result<std::optional<ContactRecord>> readContact(qint64 id) const;

    // The statuses the program writes itself; every other status is history.
    static bool isOwnStatus(QStringView status);

private:
    QByteArray contactSelect(Fields fields) const;

    QByteArray historySelect() const;
    Result<std::vector<ContactIdProblem>> rowsWithId(qint64 id) const;

    OrgDatabase &m_db;
    QStringList m_contactColumns;
    QStringList m_scheduleColumns;
    bool m_hasSchedules = false;
    bool m_hasRowid = false;
};
