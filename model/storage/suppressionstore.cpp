#include "storage/suppressionstore.h"

#include "storage/activitysource.h"
#include "storage/auditlog.h"
#include "storage/sqlsession.h"

#include <QCoreApplication>
#include <QHash>
#include <QJsonObject>

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("SuppressionStore", text);
}

using ManagementTables::emailKey;
using ManagementTables::requireWritable;

constexpr char kTable[] = "email_suppressions";

// Lenient on purpose: a bounced address may be odd, but it must look like one address.
std::optional<QString> emailProblem(QStringView email)
{
    const QStringView trimmed = email.trimmed();
    if (trimmed.isEmpty())
        return tr("email: the address is empty");
    const qsizetype at = trimmed.indexOf(u'@');
    bool spaces = false;
    for (QChar c : trimmed)
        spaces = spaces || c.isSpace();
    if (at <= 0 || at == trimmed.size() - 1 || trimmed.indexOf(u'@', at + 1) >= 0 || spaces)
        return tr("email: \"%1\" is not an email address").arg(trimmed);
    return std::nullopt;
}

QJsonObject toJson(const SuppressionEntry &e)
{
    QJsonObject o;
    o.insert(QStringLiteral("id"), e.id);
    o.insert(QStringLiteral("email"), e.email);
    o.insert(QStringLiteral("reason"), e.reason);
    o.insert(QStringLiteral("note"), e.note);
    o.insert(QStringLiteral("created_at"), e.createdAt);
    o.insert(QStringLiteral("created_by"), e.createdBy);
    return o;
}

constexpr char kSelect[] = "SELECT id, email, reason, note, created_at, created_by FROM email_suppressions ";

SuppressionEntry readEntry(const SqlStatement &stmt)
{
    return ActivitySource::suppressionEntry(stmt).value_or(SuppressionEntry {});
}

Result<std::optional<SuppressionEntry>> findEntry(const SqlSession &db, const QString &email)
{
    if (!db.hasTable(QLatin1StringView(kTable)))
        return std::optional<SuppressionEntry>();
    auto stmt = db.prepare(QString(QLatin1StringView(kSelect)
                                   + u"WHERE lower(trim(email)) = ?1 "
                                     u"ORDER BY id LIMIT 1"),
                           tr("read the do-not-email list of"));
    if (!stmt)
        return stmt.error();
    stmt->bindText(1, emailKey(email));
    auto row = stmt->step();
    if (!row)
        return row.error();
    if (!*row)
        return std::optional<SuppressionEntry>();
    return std::optional<SuppressionEntry>(readEntry(*stmt));
}

// Inserts one checked entry and its audit record; inside the caller's transaction.
Result<SuppressionEntry> insertEntry(SqlSession &db, const AuditActor &actor, const QString &email,
                                     const QString &reason, const QString &note)
{
    auto stmt = db.prepare("INSERT INTO email_suppressions (email, reason, note, created_at, created_by) "
                           "VALUES (?1, ?2, ?3, datetime('now'), ?4) RETURNING id",
                           tr("add to the do-not-email list of"));
    if (!stmt)
        return stmt.error();
    stmt->bindText(1, email.trimmed())
        .bindText(2, reason)
        .bind(3, note.isEmpty() ? QString() : note)
        .bind(4, actor.who());
    auto row = stmt->step();
    if (!row)
        return row.error();
    const qint64 id = *row ? stmt->int64(0) : 0;
    if (auto done = stmt->exec(); !done)
        return done.error();
    auto stored = findEntry(db, email);
    if (!stored)
        return stored.error();
    SuppressionEntry entry = stored->value_or(SuppressionEntry {});
    entry.id = id;
    if (auto audited = AuditLog::record(db, actor, QLatin1StringView(AuditLog::Action::Add),
                                        QLatin1StringView(AuditLog::Entity::Suppression), id,
                                        tr("Added %1 to the do-not-email list (%2)").arg(entry.email, reason),
                                        {}, toJson(entry));
        !audited)
        return audited.error();
    return entry;
}

} // namespace

SuppressionStore::SuppressionStore(SqlSession &db, AuditActor actor) : m_db(db), m_actor(std::move(actor))
{
    if (m_actor.serverUser.isEmpty())
        m_actor.serverUser = m_db.serverUser();
}

SuppressionStore::SuppressionStore(OrgDatabase &db, AuditActor actor)
    : m_own(SqlSession::over(db)), m_db(*m_own), m_actor(std::move(actor))
{ }

SuppressionStore::~SuppressionStore() = default;

const QStringList &SuppressionStore::reasons()
{
    static const QStringList list { QStringLiteral("unsubscribed"),  QStringLiteral("bounced"),
                                    QStringLiteral("complained"),    QStringLiteral("deceased"),
                                    QStringLiteral("agent_request"), QStringLiteral("other") };
    return list;
}

bool SuppressionStore::isReason(QStringView reason)
{
    return reasons().contains(reason);
}

std::optional<QString> SuppressionStore::reasonFromText(QStringView text)
{
    const QString t = text.trimmed().toString().toLower();
    if (t.isEmpty())
        return std::nullopt;
    if (isReason(t))
        return t;
    if (t.contains(u"bounce") || t.contains(u"invalid") || t == u"dropped" || t.contains(u"undeliverable"))
        return QStringLiteral("bounced");
    if (t.contains(u"complain") || t.contains(u"spam") || t.contains(u"abuse"))
        return QStringLiteral("complained");
    if (t.contains(u"unsub") || t.contains(u"opt out") || t.contains(u"opted out") || t.contains(u"optout")
        || t.contains(u"opt-out"))
        return QStringLiteral("unsubscribed");
    if (t.contains(u"deceased") || t.contains(u"died") || t.contains(u"death"))
        return QStringLiteral("deceased");
    if (t.contains(u"agent"))
        return QStringLiteral("agent_request");
    return std::nullopt;
}

Result<std::vector<SuppressionEntry>> SuppressionStore::list() const
{
    std::vector<SuppressionEntry> entries;
    if (!m_db.hasTable(QLatin1StringView(kTable)))
        return entries;
    auto stmt = m_db.prepare(QString(QLatin1StringView(kSelect) + u"ORDER BY created_at DESC, id DESC"),
                             tr("read the do-not-email list of"));
    if (!stmt)
        return stmt.error();
    Result<bool> row = stmt->step();
    for (; row.ok() && *row; row = stmt->step())
        entries.push_back(readEntry(*stmt));
    if (!row)
        return row.error();
    return entries;
}

Result<std::optional<SuppressionEntry>> SuppressionStore::find(const QString &email) const
{
    return findEntry(m_db, email);
}

Result<SuppressionStore::AddOutcome> SuppressionStore::add(const QString &email, const QString &reason,
                                                           const QString &note)
{
    if (const auto problem = emailProblem(email))
        return ManagementTables::invalidInput(*problem);
    if (!isReason(reason))
        return ManagementTables::invalidInput(
            tr("reason: \"%1\" is not one of %2").arg(reason, reasons().join(QStringLiteral(", "))));
    if (auto writable = requireWritable(m_db); !writable)
        return writable.error();
    auto transaction = SqlTransaction::begin(m_db, tr("add to the do-not-email list of"));
    if (!transaction)
        return transaction.error();
    if (auto table = ManagementTables::ensure(m_db, ManagementTables::Table::Suppressions); !table)
        return table.error();
    auto existing = findEntry(m_db, email);
    if (!existing)
        return existing.error();
    if (existing->has_value()) {
        // Nothing changes; the tables made above stay (an idempotent, harmless first use).
        if (auto done = transaction->commit(); !done)
            return done.error();
        return AddOutcome { **existing, false };
    }
    auto entry = insertEntry(m_db, m_actor, email, reason, note);
    if (!entry)
        return entry.error();
    if (auto done = transaction->commit(); !done)
        return done.error();
    return AddOutcome { *entry, true };
}

Result<SuppressionEntry> SuppressionStore::remove(const QString &email)
{
    if (auto writable = requireWritable(m_db); !writable)
        return writable.error();
    auto existing = findEntry(m_db, email);
    if (!existing)
        return existing.error();
    if (!existing->has_value())
        return ManagementTables::invalidInput(
            tr("email: %1 is not on the do-not-email list").arg(email.trimmed()));
    auto transaction = SqlTransaction::begin(m_db, tr("remove from the do-not-email list of"));
    if (!transaction)
        return transaction.error();
    const SuppressionEntry entry = **existing;
    auto stmt = m_db.prepare("DELETE FROM email_suppressions WHERE lower(trim(email)) = ?1",
                             tr("remove from the do-not-email list of"));
    if (!stmt)
        return stmt.error();
    stmt->bindText(1, emailKey(email));
    if (auto done = stmt->exec(); !done)
        return done.error();
    if (auto audited
        = AuditLog::record(m_db, m_actor, QLatin1StringView(AuditLog::Action::Remove),
                           QLatin1StringView(AuditLog::Entity::Suppression), entry.id,
                           tr("Removed %1 from the do-not-email list").arg(entry.email), toJson(entry), {});
        !audited)
        return audited.error();
    if (auto done = transaction->commit(); !done)
        return done.error();
    return entry;
}

Result<SuppressionReport> SuppressionStore::addMany(std::span<const SuppressionInput> rows,
                                                    const QString &defaultReason)
{
    if (!isReason(defaultReason))
        return ManagementTables::invalidInput(
            tr("reason: \"%1\" is not one of %2").arg(defaultReason, reasons().join(QStringLiteral(", "))));
    if (auto writable = requireWritable(m_db); !writable)
        return writable.error();
    SuppressionReport report;
    report.rows = qint64(rows.size());
    auto transaction = SqlTransaction::begin(m_db, tr("add to the do-not-email list of"));
    if (!transaction)
        return transaction.error();
    if (auto table = ManagementTables::ensure(m_db, ManagementTables::Table::Suppressions); !table)
        return table.error();
    QHash<QString, qint64> seen; // email key -> line it was first seen on
    for (const SuppressionInput &row : rows) {
        if (const auto problem = emailProblem(row.email)) {
            report.rejected.push_back({ row.line, QStringLiteral("email"), *problem });
            continue;
        }
        // Services write free text ("No longer interested"): what names none of our reasons
        // gets the default reason and is kept in the note.
        QString reason = defaultReason;
        QString note = row.note.trimmed();
        if (!row.reason.trimmed().isEmpty()) {
            if (const auto mapped = reasonFromText(row.reason))
                reason = *mapped;
            else
                note = note.isEmpty() ? row.reason.trimmed()
                                      : QString(note + u" (" + row.reason.trimmed() + u')');
        }
        const QString key = emailKey(row.email);
        if (seen.contains(key)) {
            ++report.alreadyListed; // a repeat within the list: listed once
            continue;
        }
        seen.insert(key, row.line);
        auto existing = findEntry(m_db, row.email);
        if (!existing)
            return existing.error();
        if (existing->has_value()) {
            ++report.alreadyListed;
            continue;
        }
        auto entry = insertEntry(m_db, m_actor, row.email, reason, note);
        if (!entry)
            return entry.error();
        ++report.added;
    }
    if (auto done = transaction->commit(); !done)
        return done.error();
    return report;
}

Result<SuppressionReport> SuppressionStore::addContacts(std::span<const qint64> contactIds,
                                                        const QString &reason, const QString &note)
{
    if (!isReason(reason))
        return ManagementTables::invalidInput(
            tr("reason: \"%1\" is not one of %2").arg(reason, reasons().join(QStringLiteral(", "))));
    auto stmt = m_db.prepare("SELECT email FROM contacts WHERE id = ?1", tr("read the contacts of"));
    if (!stmt)
        return stmt.error();
    std::vector<SuppressionInput> inputs;
    SuppressionReport rejectedContacts;
    for (const qint64 id : contactIds) {
        stmt->reset();
        stmt->bind(1, id);
        auto row = stmt->step();
        if (!row)
            return row.error();
        if (!*row) {
            rejectedContacts.rejected.push_back(
                { 0, QStringLiteral("contact_id"), tr("contact %1 does not exist").arg(id) });
            continue;
        }
        const QString email = stmt->text(0);
        if (const auto problem = emailProblem(email)) {
            rejectedContacts.rejected.push_back(
                { 0, QStringLiteral("email"), tr("contact %1: %2").arg(QString::number(id), *problem) });
            continue;
        }
        inputs.push_back({ 0, email, reason, note });
    }
    auto report = addMany(inputs, reason);
    if (!report)
        return report.error();
    report->rows = qint64(contactIds.size());
    report->rejected.insert(report->rejected.begin(), rejectedContacts.rejected.begin(),
                            rejectedContacts.rejected.end());
    return report;
}
