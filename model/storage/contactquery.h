#pragma once

#include "contact.h"
#include "items/contactfilter.h"
#include "problem.h"
#include "result.h"
#include "storage/orgdatabase.h"

#include <QByteArray>
#include <QDate>
#include <QList>
#include <QString>

#include <functional>
#include <optional>

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

// A read-only SQLite connection owned by one worker thread: builds the contact table's sorted,
// filtered id index and reads pages of rows. Blocking on purpose; never used on the GUI thread.
class ContactQuery
{
public:
    ContactQuery();
    ~ContactQuery();
    ContactQuery(const ContactQuery &) = delete;
    ContactQuery &operator=(const ContactQuery &) = delete;

    // Opens `path` read-only through OrgDatabase (its busy timeout and messages); the error names
    // the file.
    Result<void> open(const QString &path);
    void close();
    bool isOpen() const { return m_db.has_value(); }
    QString path() const { return m_path; }

    // Every contact id that matches, in the requested order (dates sort as dates, unparsable
    // dates first). `isCancelled` is polled while SQLite works; a cancelled build returns an
    // storage error of kind DbErrorKind::Cancelled.
    Result<QList<qint64>> buildIndex(const ContactIndexRequest &request,
                                     const std::function<bool()> &isCancelled = {});

    // The rows of `ids`, in that order, checked as of `today`. Ids that no longer exist give a
    // row with only the id set.
    Result<QList<ContactRow>> fetchRows(const QList<qint64> &ids, QDate today);

    // The SQL expression the index sorts `column` by (exposed for tests).
    static QString sortExpression(int column);

private:
    bool hasSchedules() const; // whether the database has an email_schedules table

    Result<void> reopenIfChanged();

    std::optional<OrgDatabase> m_db;
    QString m_path;
    QByteArray m_immutableState; // the file's state at an immutable open; empty otherwise
};
