#include "staterules.h"

#include "ziptable.h"

#include <QCoreApplication>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonValue>

#include <algorithm>
#include <cmath>
#include <limits>

using namespace Qt::StringLiterals;

namespace {

// Windows longer than a year on either side would overlap the neighbouring years' windows,
// which the exclusion rule of SPEC section 4 (Y in {D.year-1, D.year, D.year+1}) cannot see.
constexpr int MaxWindowDays = 365;
constexpr int MaxAgeLimit = 200;

QString tr(const char *text)
{
    return QCoreApplication::translate("StateRules", text);
}

Error keyError(const QString &path, const QString &expectation)
{
    return Error { tr("\"%1\" must be %2").arg(path, expectation) };
}

// A JSON number that is a whole number within [min, max]; JSON has no integer type.
std::optional<int> toBoundedInt(const QJsonValue &value, int min, int max)
{
    if (!value.isDouble())
        return std::nullopt;
    const double d = value.toDouble();
    if (!std::isfinite(d) || d != std::floor(d) || d < min || d > max)
        return std::nullopt;
    return static_cast<int>(d);
}

std::optional<StateRule::Kind> kindFromName(const QString &name)
{
    if (name == "birthday"_L1)
        return StateRule::Kind::Birthday;
    if (name == "effective_date"_L1)
        return StateRule::Kind::EffectiveDate;
    if (name == "year_round"_L1)
        return StateRule::Kind::YearRound;
    return std::nullopt;
}

Result<StateRule> parseRule(const QJsonObject &object, const QString &path)
{
    static const QStringList knownKeys
        = { u"rule"_s, u"before"_s, u"after"_s, u"lead"_s, u"month_start"_s, u"max_age"_s };
    for (auto it = object.begin(); it != object.end(); ++it) {
        if (!knownKeys.contains(it.key()))
            return Error { tr("unknown configuration key \"%1\"").arg(path + u'.' + it.key()) };
    }

    StateRule rule;
    const QJsonValue ruleValue = object.value("rule"_L1);
    if (ruleValue.isUndefined())
        return Error { tr("\"%1\" is missing \"rule\" (birthday, effective_date or year_round)").arg(path) };
    const auto kind = ruleValue.isString() ? kindFromName(ruleValue.toString()) : std::nullopt;
    if (!kind)
        return keyError(path + ".rule"_L1, tr("\"birthday\", \"effective_date\" or \"year_round\""));
    rule.kind = *kind;

    const bool windowed = rule.kind != StateRule::Kind::YearRound;
    const auto readInt
        = [&](QLatin1StringView key, int min, int max, bool required, int &target) -> std::optional<Error> {
        const QJsonValue value = object.value(key);
        const QString keyPath = path + u'.' + key;
        if (value.isUndefined()) {
            if (required)
                return Error { tr("\"%1\" is missing").arg(keyPath) };
            return std::nullopt;
        }
        const auto parsed = toBoundedInt(value, min, max);
        if (!parsed)
            return keyError(keyPath, tr("an integer from %1 to %2").arg(min).arg(max));
        target = *parsed;
        return std::nullopt;
    };

    if (auto err = readInt("before"_L1, 0, MaxWindowDays, windowed, rule.before))
        return *err;
    if (auto err = readInt("after"_L1, 0, MaxWindowDays, windowed, rule.after))
        return *err;
    if (auto err = readInt("lead"_L1, 0, MaxWindowDays, false, rule.lead))
        return *err;
    if (auto err = readInt("max_age"_L1, 0, MaxAgeLimit, false, rule.maxAge))
        return *err;
    if (rule.before + std::max(rule.lead, 0) > MaxWindowDays)
        return Error { tr("\"%1\": before + lead must not exceed %2 days").arg(path).arg(MaxWindowDays) };

    const QJsonValue monthStart = object.value("month_start"_L1);
    if (!monthStart.isUndefined()) {
        if (!monthStart.isBool())
            return keyError(path + ".month_start"_L1, tr("true or false"));
        rule.monthStart = monthStart.toBool();
    }

    if (!windowed) {
        // A year-round state has no window; keep the value canonical so tables compare equal.
        rule.before = rule.after = 0;
        rule.lead = rule.maxAge = -1;
        rule.monthStart = false;
    }
    return rule;
}

StateRuleTable loadDefaults()
{
    QFile file(u":/data/state_rules.json"_s);
    if (!file.open(QIODevice::ReadOnly))
        qFatal("The built-in state rules resource :/data/state_rules.json is missing");
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(file.readAll(), &parseError);
    if (!doc.isObject())
        qFatal("The built-in state rules resource is not a JSON object: %s",
               qPrintable(parseError.errorString()));
    QJsonObject object = doc.object();
    // The resource documents itself with "_comment" keys; a configuration file may not.
    for (const QString &key : object.keys()) {
        if (key.startsWith(u'_'))
            object.remove(key);
    }
    auto table = StateRuleTable::fromJson(object, StateRuleTable());
    if (!table)
        qFatal("The built-in state rules resource is invalid: %s", qPrintable(table.errorMessage()));
    return std::move(table).value();
}

struct StateNameEntry
{
    const char *code;
    const char *name;
};

// Every code of resources/zip3_state.csv, plus the territories that have ZIP codes of their own.
constexpr StateNameEntry stateNames[] = {
    { "AL", QT_TRANSLATE_NOOP("StateName", "Alabama") },
    { "AK", QT_TRANSLATE_NOOP("StateName", "Alaska") },
    { "AZ", QT_TRANSLATE_NOOP("StateName", "Arizona") },
    { "AR", QT_TRANSLATE_NOOP("StateName", "Arkansas") },
    { "CA", QT_TRANSLATE_NOOP("StateName", "California") },
    { "CO", QT_TRANSLATE_NOOP("StateName", "Colorado") },
    { "CT", QT_TRANSLATE_NOOP("StateName", "Connecticut") },
    { "DE", QT_TRANSLATE_NOOP("StateName", "Delaware") },
    { "DC", QT_TRANSLATE_NOOP("StateName", "District of Columbia") },
    { "FL", QT_TRANSLATE_NOOP("StateName", "Florida") },
    { "GA", QT_TRANSLATE_NOOP("StateName", "Georgia") },
    { "HI", QT_TRANSLATE_NOOP("StateName", "Hawaii") },
    { "ID", QT_TRANSLATE_NOOP("StateName", "Idaho") },
    { "IL", QT_TRANSLATE_NOOP("StateName", "Illinois") },
    { "IN", QT_TRANSLATE_NOOP("StateName", "Indiana") },
    { "IA", QT_TRANSLATE_NOOP("StateName", "Iowa") },
    { "KS", QT_TRANSLATE_NOOP("StateName", "Kansas") },
    { "KY", QT_TRANSLATE_NOOP("StateName", "Kentucky") },
    { "LA", QT_TRANSLATE_NOOP("StateName", "Louisiana") },
    { "ME", QT_TRANSLATE_NOOP("StateName", "Maine") },
    { "MD", QT_TRANSLATE_NOOP("StateName", "Maryland") },
    { "MA", QT_TRANSLATE_NOOP("StateName", "Massachusetts") },
    { "MI", QT_TRANSLATE_NOOP("StateName", "Michigan") },
    { "MN", QT_TRANSLATE_NOOP("StateName", "Minnesota") },
    { "MS", QT_TRANSLATE_NOOP("StateName", "Mississippi") },
    { "MO", QT_TRANSLATE_NOOP("StateName", "Missouri") },
    { "MT", QT_TRANSLATE_NOOP("StateName", "Montana") },
    { "NE", QT_TRANSLATE_NOOP("StateName", "Nebraska") },
    { "NV", QT_TRANSLATE_NOOP("StateName", "Nevada") },
    { "NH", QT_TRANSLATE_NOOP("StateName", "New Hampshire") },
    { "NJ", QT_TRANSLATE_NOOP("StateName", "New Jersey") },
    { "NM", QT_TRANSLATE_NOOP("StateName", "New Mexico") },
    { "NY", QT_TRANSLATE_NOOP("StateName", "New York") },
    { "NC", QT_TRANSLATE_NOOP("StateName", "North Carolina") },
    { "ND", QT_TRANSLATE_NOOP("StateName", "North Dakota") },
    { "OH", QT_TRANSLATE_NOOP("StateName", "Ohio") },
    { "OK", QT_TRANSLATE_NOOP("StateName", "Oklahoma") },
    { "OR", QT_TRANSLATE_NOOP("StateName", "Oregon") },
    { "PA", QT_TRANSLATE_NOOP("StateName", "Pennsylvania") },
    { "RI", QT_TRANSLATE_NOOP("StateName", "Rhode Island") },
    { "SC", QT_TRANSLATE_NOOP("StateName", "South Carolina") },
    { "SD", QT_TRANSLATE_NOOP("StateName", "South Dakota") },
    { "TN", QT_TRANSLATE_NOOP("StateName", "Tennessee") },
    { "TX", QT_TRANSLATE_NOOP("StateName", "Texas") },
    { "UT", QT_TRANSLATE_NOOP("StateName", "Utah") },
    { "VT", QT_TRANSLATE_NOOP("StateName", "Vermont") },
    { "VA", QT_TRANSLATE_NOOP("StateName", "Virginia") },
    { "WA", QT_TRANSLATE_NOOP("StateName", "Washington") },
    { "WV", QT_TRANSLATE_NOOP("StateName", "West Virginia") },
    { "WI", QT_TRANSLATE_NOOP("StateName", "Wisconsin") },
    { "WY", QT_TRANSLATE_NOOP("StateName", "Wyoming") },
    { "PR", QT_TRANSLATE_NOOP("StateName", "Puerto Rico") },
    { "VI", QT_TRANSLATE_NOOP("StateName", "U.S. Virgin Islands") },
    { "GU", QT_TRANSLATE_NOOP("StateName", "Guam") },
    { "AS", QT_TRANSLATE_NOOP("StateName", "American Samoa") },
    { "MP", QT_TRANSLATE_NOOP("StateName", "Northern Mariana Islands") },
    { "AA", QT_TRANSLATE_NOOP("StateName", "Armed Forces Americas") },
    { "AE", QT_TRANSLATE_NOOP("StateName", "Armed Forces Europe") },
    { "AP", QT_TRANSLATE_NOOP("StateName", "Armed Forces Pacific") },
};

} // namespace

StateCode StateCode::fromString(QStringView code)
{
    StateCode result;
    if (code.size() != 2)
        return result;
    quint16 packed = 0;
    for (QChar c : code) {
        const char16_t u = c.unicode();
        char16_t upper = u;
        if (u >= u'a' && u <= u'z')
            upper = static_cast<char16_t>(u - (u'a' - u'A'));
        if (upper < u'A' || upper > u'Z')
            return result;
        packed = static_cast<quint16>((packed << 8) | upper);
    }
    result.m_code = packed;
    return result;
}

QString StateCode::toString() const
{
    if (!isValid())
        return QString();
    const QChar chars[2]
        = { QChar(static_cast<char16_t>(m_code >> 8)), QChar(static_cast<char16_t>(m_code & 0xff)) };
    return QString(chars, 2);
}

const StateRuleTable &StateRuleTable::defaults()
{
    static const StateRuleTable table = loadDefaults();
    return table;
}

Result<StateRuleTable> StateRuleTable::fromJson(const QJsonObject &object, const StateRuleTable &base)
{
    StateRuleTable table = base;
    for (auto it = object.begin(); it != object.end(); ++it) {
        const QString path = "state_rules."_L1 + it.key();
        const StateCode state = StateCode::fromString(it.key());
        // Only upper-case codes of the ZIP table: a lower-case or unknown key is most likely a
        // typo, and silently ignoring it would leave a statutory window unenforced.
        if (!state.isValid() || state.toString() != it.key() || !ZipTable::defaults().isKnownState(state))
            return Error { tr("unknown state \"%1\" in \"state_rules\" (expected a two-letter US state "
                              "code such as \"CA\")")
                               .arg(it.key()) };
        const QJsonValue value = it.value();
        if (value.isNull()) {
            table.removeRule(state);
            continue;
        }
        if (!value.isObject())
            return keyError(path, tr("an object with \"rule\", \"before\" and \"after\", or null"));
        auto rule = parseRule(value.toObject(), path);
        if (!rule)
            return rule.error();
        table.setRule(state, *rule);
    }
    return table;
}

StateRule StateRuleTable::rule(StateCode state) const
{
    return m_rules.value(state.raw());
}

void StateRuleTable::setRule(StateCode state, const StateRule &rule)
{
    if (!state.isValid())
        return;
    if (rule.kind == StateRule::Kind::None)
        m_rules.remove(state.raw());
    else
        m_rules.insert(state.raw(), rule);
}

void StateRuleTable::removeRule(StateCode state)
{
    m_rules.remove(state.raw());
}

QList<StateCode> StateRuleTable::statesWithRules() const
{
    QList<StateCode> states;
    states.reserve(m_rules.size());
    for (auto it = m_rules.cbegin(); it != m_rules.cend(); ++it) {
        const QChar chars[2]
            = { QChar(static_cast<char16_t>(it.key() >> 8)), QChar(static_cast<char16_t>(it.key() & 0xff)) };
        states.append(StateCode::fromString(QStringView(chars, 2)));
    }
    std::sort(states.begin(), states.end(), [](StateCode a, StateCode b) { return a.raw() < b.raw(); });
    return states;
}

QString stateName(StateCode state)
{
    const QString code = state.toString();
    for (const StateNameEntry &entry : stateNames) {
        if (code == QLatin1StringView(entry.code))
            return QCoreApplication::translate("StateName", entry.name);
    }
    return code;
}
