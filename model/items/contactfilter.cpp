#include "items/contactfilter.h"

#include "engine.h"

#include <QStringList>

#include <algorithm>

using namespace ContactColumn;

QString ContactColumn::rawText(const Contact &contact, int column)
{
    if (column == Id)
        return QString::number(contact.id);
    if (column < 0 || column >= ColumnCount || !Members[std::size_t(column)])
        return {};
    return contact.*Members[std::size_t(column)];
}

void ContactFilter::setColumnText(int column, const QString &text)
{
    if (column >= 0 && column < ColumnCount)
        m_texts[column] = text.trimmed();
}

QString ContactFilter::columnText(int column) const
{
    return column >= 0 && column < ColumnCount ? m_texts[column] : QString();
}

bool ContactFilter::isEmpty() const
{
    return isPredicateEmpty() && !m_scheduledOn.isValid() && !doNotEmailOnly();
}

bool ContactFilter::isPredicateEmpty() const
{
    if (m_quick != QuickFilter::All && m_quick != QuickFilter::DoNotEmail)
        return false;
    return std::all_of(m_texts.begin(), m_texts.end(), [](const QString &t) { return t.isEmpty(); });
}

bool ContactFilter::needsCheck() const
{
    return (m_quick != QuickFilter::All && m_quick != QuickFilter::DoNotEmail)
        || !m_texts[Problems].isEmpty();
}

quint32 ContactFilter::usedColumns() const
{
    quint32 used = 0;
    for (int c = 0; c < ColumnCount; ++c) {
        if (!m_texts[c].isEmpty() && c != Problems)
            used |= 1u << c;
    }
    if (needsCheck())
        used |= (1u << Email) | (1u << State) | (1u << Zip) | (1u << BirthDate) | (1u << EffectiveDate);
    return used;
}

static StateRule::Kind groupKind(QuickFilter filter)
{
    switch (filter) {
    case QuickFilter::BirthdayRuleStates:
        return StateRule::Kind::Birthday;
    case QuickFilter::AnniversaryRuleStates:
        return StateRule::Kind::EffectiveDate;
    case QuickFilter::YearRoundStates:
        return StateRule::Kind::YearRound;
    default:
        return StateRule::Kind::None;
    }
}

bool ContactFilter::matches(const Contact &contact, QDate today) const
{
    for (int c = 0; c < Problems; ++c) {
        if (!m_texts[c].isEmpty() && !rawText(contact, c).contains(m_texts[c], Qt::CaseInsensitive))
            return false;
    }
    if (!needsCheck())
        return true;

    const ContactFacts facts = Engine::checkContact(contact, today);
    if (!m_texts[Problems].isEmpty()
        && !problemSummary(facts.problems).contains(m_texts[Problems], Qt::CaseInsensitive))
        return false;
    switch (m_quick) {
    case QuickFilter::All:
    case QuickFilter::DoNotEmail: // in ContactQuery's SQL
        return true;
    case QuickFilter::WithProblems:
        return !facts.problems.isEmpty();
    default:
        return facts.state.isValid() && m_rules.rule(facts.state).kind == groupKind(m_quick);
    }
}

QString problemSummary(const QList<Problem> &problems)
{
    QStringList parts;
    parts.reserve(problems.size());
    for (const Problem &p : problems)
        parts << p.message;
    return parts.join(QStringLiteral("; "));
}

Severity worstSeverity(const QList<Problem> &problems)
{
    for (const Problem &p : problems) {
        if (p.severity == Severity::Error)
            return Severity::Error;
    }
    return Severity::Warning;
}
