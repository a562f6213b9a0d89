#pragma once

#include "contact.h"
#include "csv/contactimport.h"
#include "result.h"

#include <QList>
#include <QString>
#include <QStringList>

#include <memory>
#include <optional>

// The backend part of an import (ContactImport::run): which columns it writes, decided once for
// both backends, and the write step of each. The reading and checking of the file is shared.
namespace ContactImport {

// A column of `contacts` as the backend describes it.
struct TableColumn
{
    QString name;
    bool notNull = false;
    bool hasDefault = false;
    bool primaryKey = false;
    bool numeric = false; // INTEGER/BOOLEAN/NUMERIC affinity: a missing value is 0, not ''
};

// The columns an import writes: the mapped fields (and State, which may come from the ZIP),
// then the NOT NULL columns without a default it has no value for ('' or 0).
struct ColumnPlan
{
    QList<Field> insertFields;
    QStringList insertNames; // quoted, in insertFields order
    QStringList fillerNames; // quoted
    QList<bool> fillerNumeric;
    QList<Field> updateFields;
    QStringList updateNames; // quoted, in updateFields order
    bool hasUpdatedAt = false;
};
// The error names `database` when the table has no email column.
Result<ColumnPlan> planColumns(const QList<TableColumn> &columns, const Mapping &mapping,
                               const QString &database);

// The value an import writes for `field`.
const QString &fieldValue(const Contact &contact, Field field);

// The write step of one import: one transaction on the organisation's contacts, begun when the
// target is opened, rolled back when it goes without commit(). Emails are keyed by emailKey()
// (trimmed, ASCII letters folded); a contact inserted by this import is found by later rows.
class ImportTarget
{
public:
    virtual ~ImportTarget() = default;
    // The stored contact with this email key (the lowest id when several share it).
    virtual Result<std::optional<qint64>> find(const QString &emailKey) = 0;
    virtual Result<void> insert(const Contact &contact, const QString &emailKey) = 0;
    virtual Result<void> update(qint64 id, const Contact &contact) = 0;
    virtual Result<void> commit() = 0;
};

// The target on a PostgreSQL server (pgimporttarget.cpp); errors are of kind CsvErrorKind.
Result<std::unique_ptr<ImportTarget>> openPgImportTarget(const QString &spec, const Mapping &mapping,
                                                         OnConflict onConflict);

} // namespace ContactImport
