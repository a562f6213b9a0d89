#pragma once

#include "contact.h"

#include <QString>

#include <array>

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

// The Contact member a column shows, in Column order; nullptr for Id (not text) and Problems.
inline constexpr std::array<QString Contact::*, ColumnCount> Members = {
    nullptr,
    &Contact::firstName,
    &Contact::lastName,
    &Contact::email,
    &Contact::state,
    &Contact::zipCode,
    &Contact::birthDate,
    &Contact::effectiveDate,
    &Contact::currentCarrier,
    &Contact::planType,
    &Contact::phoneNumber,
    &Contact::status,
    nullptr,
};

// The stored column a table column shows ("id" for Id; empty for Problems, which is computed).
constexpr QLatin1StringView storedColumn(int column)
{
    if (column == Id)
        return QLatin1StringView("id");
    if (column < 0 || column >= ColumnCount || !Members[std::size_t(column)])
        return QLatin1StringView();
    return contactColumn(Members[std::size_t(column)]);
}

// The stored text of a column as the user sees it (Problems has no stored text: empty).
QString rawText(const Contact &contact, int column);

// Whether a column holds a date that sorts as a date rather than as text.
inline bool isDateColumn(int column)
{
    return column == BirthDate || column == EffectiveDate;
}

} // namespace ContactColumn
