#pragma once

#include "contact.h"
#include "items/contactcolumn.h"
#include "problem.h"
#include "staterules.h"

#include <QDate>
#include <QList>
#include <QString>

#include <array>

// The quick filters of the contact table. State groups are defined by the configuration's
// state rule table, never by a list of states in the code.
enum class QuickFilter : quint8 {
    All,
    BirthdayRuleStates,
    AnniversaryRuleStates,
    YearRoundStates,
    WithProblems,
    // Contacts whose email is on the do-not-email list (SPEC 14). The list is not part of a
    // Contact, so matches() ignores it and ContactQuery adds it to its SQL.
    DoNotEmail,
};

// What the contact table shows: per column a case-insensitive "contains" text, plus one quick
// filter. A plain value with a pure predicate, so the same rule runs in SQLite (as a function of
// the worker's connection) and in tests.
class ContactFilter
{
public:
    void setColumnText(int column, const QString &text);
    QString columnText(int column) const;
    void setQuickFilter(QuickFilter filter) { m_quick = filter; }
    QuickFilter quickFilter() const { return m_quick; }
    void setStateRules(const StateRuleTable &rules) { m_rules = rules; }
    const StateRuleTable &stateRules() const { return m_rules; }
    // Only contacts with a pre-scheduled email on `date` (invalid: no such condition). The
    // stored schedule is not part of a Contact, so matches() ignores it and ContactQuery adds
    // it to its SQL.
    void setScheduledOn(QDate date) { m_scheduledOn = date; }
    QDate scheduledOn() const { return m_scheduledOn; }

    // Only contacts on the do-not-email list (the DoNotEmail quick filter).
    bool doNotEmailOnly() const { return m_quick == QuickFilter::DoNotEmail; }

    // True when every contact matches (the loader then skips the predicate entirely).
    bool isEmpty() const;
    // True when matches() accepts every contact (the scheduled-on day and the do-not-email
    // list aside).
    bool isPredicateEmpty() const;
    // Bit (1 << column) for every stored column the predicate reads; lets the SQL side convert
    // only what is needed. Checks of the contact need email, state, ZIP and both dates.
    quint32 usedColumns() const;
    // Whether the predicate needs Engine::checkContact (problems, effective state).
    bool needsCheck() const;

    // The predicate. `today` matters for checks (a birth date after today is invalid).
    bool matches(const Contact &contact, QDate today) const;

    friend bool operator==(const ContactFilter &, const ContactFilter &) = default;

private:
    std::array<QString, ContactColumn::ColumnCount> m_texts;
    QuickFilter m_quick = QuickFilter::All;
    StateRuleTable m_rules = StateRuleTable::defaults();
    QDate m_scheduledOn;
};

// The problems of a contact in one line of plain language ("; " between them).
QString problemSummary(const QList<Problem> &problems);
// The highest severity among problems; Warning when there are none (check isEmpty() first).
Severity worstSeverity(const QList<Problem> &problems);
