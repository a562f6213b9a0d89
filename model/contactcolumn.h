#pragma once

#include "contact.h"

#include <QString>

// The columns of the contact table, shared by the filter predicate, the loader and the item model.
namespace ContactColumn {

enum Column : int {
    Id,
    FirstName,
    LastName,
    Email,
    State,
    Zip,
    BirthDate,
    EffectiveDate,
    Carrier,
    PlanType,
    Phone,
    Status,
    Problems,
    ColumnCount
};

// The stored text of a column as the user sees it (Problems has no stored text: empty).
QString rawText(const Contact &contact, int column);

// Whether a column holds a date that sorts as a date rather than as text.
inline bool isDateColumn(int column)
{
    return column == BirthDate || column == EffectiveDate;
}

} // namespace ContactColumn
