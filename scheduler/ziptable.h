#pragma once

#include "staterules.h"

#include <QStringView>

#include <array>
#include <bitset>

// ZIP prefix (first three digits) to state, from the shipped zip3_state.csv (SPEC section 2).
class ZipTable
{
public:
    // The shipped table from the resource :/data/zip3_state.csv.
    static const ZipTable &defaults();
    static Result<ZipTable> fromCsv(const QByteArray &csv);

    // Normalises a stored ZIP: trim, cut at the first '-', a 4-digit result gets a leading 0.
    // Returns the 5-digit ZIP, or a null string when the result is not exactly 5 digits.
    static QString normalize(QStringView zip);

    // State of a stored ZIP (normalised first); invalid StateCode when not mappable.
    StateCode stateForZip(QStringView zip) const;

    // Whether the code is one of the table's states (the set of valid stored states).
    bool isKnownState(StateCode state) const;

    // Number of distinct states in the table.
    int stateCount() const { return m_stateCount; }

private:
    std::array<StateCode, 1000> m_prefixes {};
    std::bitset<65536> m_known; // indexed by StateCode::raw(): O(1) and allocation-free
    int m_stateCount = 0;
};
