#pragma once

#include "result.h"

#include <QHash>
#include <QString>

#include <array>
#include <optional>

class QJsonObject;

// The statutory rule of one state (SPEC section 3): which event anchors the window and how
// many days it spans before and after the anchor.
struct StateRule
{
    enum class Kind : quint8 { None, Birthday, EffectiveDate, YearRound };

    Kind kind = Kind::None;
    int before = 0;
    int after = 0;
    int lead = -1;           // -1: use the configuration's pre_window_lead_days
    bool monthStart = false; // NV: anchor is the 1st of the event's month
    int maxAge = -1;         // IL: window exists only while age on the anchor <= maxAge; -1 none

    friend bool operator==(const StateRule &, const StateRule &) = default;
};

// A two-letter state code packed in 16 bits, so a million contacts carry their state cheaply.
class StateCode
{
public:
    constexpr StateCode() = default;
    static StateCode fromString(QStringView code); // exactly two letters A-Z (upper-cased), else invalid
    bool isValid() const { return m_code != 0; }
    QString toString() const;
    quint16 raw() const { return m_code; }
    friend bool operator==(StateCode, StateCode) = default;

private:
    quint16 m_code = 0;
};

// The table of state rules: the shipped defaults (resources/state_rules.json) with the
// configuration's overrides applied. Lookups are O(1).
class StateRuleTable
{
public:
    // The built-in defaults from the resource :/data/state_rules.json.
    static const StateRuleTable &defaults();

    // Parses a JSON object state -> rule object or null. Null removes the state's rule.
    // Errors name the state and the key. `base` supplies unlisted states.
    static Result<StateRuleTable> fromJson(const QJsonObject &object, const StateRuleTable &base);

    StateRule rule(StateCode state) const; // Kind::None when the state has no rule
    void setRule(StateCode state, const StateRule &rule);
    void removeRule(StateCode state);
    QList<StateCode> statesWithRules() const; // sorted by code

    friend bool operator==(const StateRuleTable &, const StateRuleTable &) = default;

private:
    QHash<quint16, StateRule> m_rules;
};

// Plain-language name of a US state or territory code ("CA" -> "California"); the code itself
// when unknown.
QString stateName(StateCode state);
