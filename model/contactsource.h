#pragma once

#include "contact.h"
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

// Reads contacts and their history through the SQLite C API (fast: prepared statements, id
// ranges, only the needed columns). Works with any production variant of `contacts`: missing
// columns read as null, NULLs as null strings, numbers as text. Bound to one OrgDatabase, so
// use one per thread.
class ContactSource
{
public:
    enum class Fields {
        Scheduling, // id, email, effective_date, birth_date, state, zip_code (what the rules use)
        All, // every column of SPEC section 9
        Checks, // the Scheduling columns without history: what the contact checks need
    };

    explicit ContactSource(OrgDatabase &db);

    // All contact ids, ascending.
    Result<std::vector<qint64>> contactIds() const;

    using Visitor = std::function<void(const Contact &contact, std::span<const HistoryEntry> history)>;

    // Calls `visit` for every contact with firstId <= id <= lastId, in id order, with its history.
    Result<void> readRange(qint64 firstId, qint64 lastId, Fields fields, const Visitor &visit) const;

    // Same for the given ids (ascending, no duplicates); ids without a contact are left out.
    Result<void> readIds(std::span<const qint64> ids, Fields fields, const Visitor &visit) const;

    // One contact with every field and its history; std::nullopt when there is no such id.
    Result<std::optional<ContactRecord>> readContact(qint64 id) const;

    // The statuses the program writes itself; every other status is history.
    static bool isOwnStatus(QStringView status);

private:
    QByteArray contactSelect(Fields fields) const;

    OrgDatabase &m_db;
    QStringList m_contactColumns;
    bool m_hasSchedules = false;
};
