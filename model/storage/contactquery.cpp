#include "storage/contactquery.h"

#include "dates.h"
#include "engine.h"
#include "storage/orgdatabase.h"
#include "storage/pg/pgconnection.h"
#include "storage/pg/pgcontactquery.h"
#include "storage/pg/pgcontactsource.h"
#include "storage/statement.h"

#include <QCoreApplication>
#include <QHash>
#include <QStringList>

#include <sqlite3.h>

using namespace ContactColumn;

namespace {

QString valueText(sqlite3_value *value)
{
    if (sqlite3_value_type(value) == SQLITE_NULL)
        return {};
    const auto *text = reinterpret_cast<const char *>(sqlite3_value_text(value));
    return QString::fromUtf8(text, sqlite3_value_bytes(value));
}

void setField(Contact &contact, int column, QString text)
{
    if (column >= 0 && column < ColumnCount && Members[std::size_t(column)])
        contact.*Members[std::size_t(column)] = std::move(text);
}

struct FilterContext
{
    const ContactFilter *filter = nullptr;
    quint32 used = 0;
    QDate today;
};

// es_filter(id, first_name, ..., status): the ContactFilter predicate, converting only the
// columns the filter reads.
void sqlFilter(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    const auto *fc = static_cast<const FilterContext *>(sqlite3_user_data(ctx));
    Contact contact;
    contact.id = sqlite3_value_int64(argv[Id]);
    for (int c = FirstName; c < argc && c < Problems; ++c) {
        if (fc->used & (1u << c))
            setField(contact, c, valueText(argv[c]));
    }
    sqlite3_result_int(ctx, fc->filter->matches(contact, fc->today) ? 1 : 0);
}

// es_date(text): the Julian day of a contact date in any accepted format, NULL when invalid.
void sqlDate(sqlite3_context *ctx, int, sqlite3_value **argv)
{
    if (const std::optional<qint64> day = ContactQuery::dateKey(valueText(argv[0])))
        sqlite3_result_int64(ctx, *day);
    else
        sqlite3_result_null(ctx);
}

// es_problems(id, email, state, zip_code, birth_date, effective_date): the problem summary.
void sqlProblems(sqlite3_context *ctx, int, sqlite3_value **argv)
{
    const auto *today = static_cast<const QDate *>(sqlite3_user_data(ctx));
    Contact contact;
    contact.id = sqlite3_value_int64(argv[0]);
    contact.email = valueText(argv[1]);
    contact.state = valueText(argv[2]);
    contact.zipCode = valueText(argv[3]);
    contact.birthDate = valueText(argv[4]);
    contact.effectiveDate = valueText(argv[5]);
    const QByteArray summary = ContactQuery::problemKey(contact, *today);
    if (summary.isEmpty())
        sqlite3_result_null(ctx);
    else
        sqlite3_result_text(ctx, summary.constData(), int(summary.size()), SQLITE_TRANSIENT);
}

QString allColumns()
{
    QString sql;
    for (int c = 0; c < Problems; ++c) {
        if (c)
            sql += u", ";
        sql += storedColumn(c);
    }
    return sql;
}

} // namespace

ContactQuery::ContactQuery() = default;

ContactQuery::~ContactQuery()
{
    close();
}

Result<void> ContactQuery::open(const QString &path)
{
    close();
    m_path = path;
    if (PgSpec::isConnectionSpec(path)) {
        // MVCC: plain reads never wait for a run that is writing.
        auto source = PgContactSource::open(path);
        if (!source)
            return source.error();
        m_pg = std::move(source).value();
        return {};
    }
    // No -wal/-shm files are created next to the database (see OrgDatabase::openReadOnlyHandle).
    // A batch run may hold the write lock for a moment while it commits; the connection's busy
    // timeout waits for it here, on the worker thread, rather than failing the page.
    auto db = OrgDatabase::open(path, OrgDatabase::Mode::ReadOnly);
    if (!db)
        return db.error();
    m_db.emplace(std::move(db).value());
    m_immutableState = m_db->isImmutable() ? OrgDatabase::fileState(path) : QByteArray();
    sqlite3_create_function(m_db->handle(), "es_date", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC, nullptr,
                            &sqlDate, nullptr, nullptr);
    return {};
}

Result<void> ContactQuery::reopenIfChanged()
{
    // An immutable connection never notices a change: reopen once the file has changed.
    if (!m_db.has_value() || m_immutableState.isEmpty() || OrgDatabase::fileState(m_path) == m_immutableState)
        return {};
    const QString path = m_path;
    return open(path);
}

void ContactQuery::close()
{
    m_db.reset();
    m_pg.reset();
}

std::optional<qint64> ContactQuery::dateKey(QStringView text)
{
    const QDate date = Dates::parseContactDate(text);
    if (!date.isValid())
        return std::nullopt;
    return date.toJulianDay();
}

QByteArray ContactQuery::problemKey(const Contact &contact, QDate today)
{
    return problemSummary(Engine::checkContact(contact, today).problems).toUtf8();
}

QStringList ContactQuery::listConditions(const ContactFilter &filter, Dialect dialect, const QString &id)
{
    const bool pg = dialect == Dialect::Postgres;
    QStringList conditions;
    if (const QDate day = filter.scheduledOn(); day.isValid()) {
        // A date column on a server reads as YYYY-MM-DD; SQLite compares the stored text.
        const QString contactId = pg ? QStringLiteral("contact_id::bigint") : QStringLiteral("contact_id");
        const QString sendDate
            = pg ? QStringLiteral("scheduled_send_date::text") : QStringLiteral("scheduled_send_date");
        conditions << QStringLiteral("%1 IN (SELECT %2 FROM email_schedules WHERE %3 = '%4' AND status = "
                                     "'pre-scheduled')")
                          .arg(id, contactId, sendDate, day.toString(Qt::ISODate));
    }
    // The list's own matching rule (SPEC 14): trimmed, case-insensitive for ASCII letters, as
    // SQLite's lower(); PostgreSQL's lower() folds ASCII only under the "C" collation.
    if (filter.doNotEmailOnly()) {
        const QString key
            = pg ? QStringLiteral("lower(trim(email) COLLATE \"C\")") : QStringLiteral("lower(trim(email))");
        conditions << QStringLiteral("%1 IN (SELECT %1 FROM email_suppressions)").arg(key);
    }
    return conditions;
}

bool ContactQuery::nothingCanMatch(const ContactFilter &filter,
                                   const std::function<bool(const QString &)> &hasTable)
{
    if (filter.scheduledOn().isValid() && !hasTable(QStringLiteral("email_schedules")))
        return true; // nothing has been scheduled in this database yet
    // Nobody has been put on the do-not-email list yet.
    return filter.doNotEmailOnly() && !hasTable(QStringLiteral("email_suppressions"));
}

QString ContactQuery::sortExpression(int column)
{
    if (column == Id || column < 0 || column >= ColumnCount)
        return QStringLiteral("id");
    if (column == Problems)
        return QStringLiteral("es_problems(id, email, state, zip_code, birth_date, effective_date)");
    const QLatin1StringView name = storedColumn(column);
    if (isDateColumn(column))
        return u"es_date(" % name % u')';
    return name % u" COLLATE NOCASE";
}

Result<QList<qint64>> ContactQuery::buildIndex(const ContactIndexRequest &request,
                                               const std::function<bool()> &isCancelled)
{
    if (m_pg)
        return PgContactQuery::buildIndex(*m_pg, request, isCancelled);
    if (auto reopened = reopenIfChanged(); !reopened)
        return reopened.error();
    if (!m_db.has_value())
        return dbError(DbErrorKind::Other,
                       QCoreApplication::translate("ContactQuery", "No database is open."));

    FilterContext fc { &request.filter, request.filter.usedColumns(), request.today };
    QDate today = request.today;
    sqlite3_create_function(m_db->handle(), "es_filter", Problems, SQLITE_UTF8, &fc, &sqlFilter, nullptr,
                            nullptr);
    sqlite3_create_function(m_db->handle(), "es_problems", 6, SQLITE_UTF8, &today, &sqlProblems, nullptr,
                            nullptr);

    const QString direction
        = request.order == Qt::AscendingOrder ? QStringLiteral("ASC") : QStringLiteral("DESC");
    if (nothingCanMatch(request.filter, [this](const QString &table) { return m_db->hasTable(table); }))
        return QList<qint64>();
    QStringList conditions;
    if (!request.filter.isPredicateEmpty())
        conditions << u"es_filter(" % allColumns() % u')';
    conditions << listConditions(request.filter, Dialect::Sqlite, QStringLiteral("id"));
    QString sql = QStringLiteral("SELECT id FROM contacts");
    if (!conditions.isEmpty())
        sql += u" WHERE " % conditions.join(QStringLiteral(" AND "));
    if (request.sortColumn == Id)
        sql += u" ORDER BY id " % direction;
    else
        sql += u" ORDER BY " % sortExpression(request.sortColumn) % u' ' % direction % u", id " % direction;

    const QString action = QCoreApplication::translate("ContactQuery", "read the contacts of");
    CancelScope scope(*m_db, isCancelled);
    auto stmt = Statement::prepare(*m_db, sql, action);
    if (!stmt)
        return stmt.error();
    QList<qint64> ids;
    Result<bool> row = stmt->step();
    for (; row.ok() && *row; row = stmt->step())
        ids.append(stmt->int64(0));
    if ((!row.ok() && dbErrorKind(row.error()) == DbErrorKind::Cancelled) || scope.isCancelled())
        return dbError(DbErrorKind::Cancelled, QCoreApplication::translate("ContactQuery", "Cancelled."));
    if (!row)
        return row.error();
    return ids;
}

Result<QList<ContactRow>> ContactQuery::fetchRows(const QList<qint64> &ids, QDate today)
{
    if (m_pg)
        return PgContactQuery::fetchRows(*m_pg, ids, today);
    if (auto reopened = reopenIfChanged(); !reopened)
        return reopened.error();
    if (!m_db.has_value())
        return dbError(DbErrorKind::Other,
                       QCoreApplication::translate("ContactQuery", "No database is open."));
    // One statement with every id of the page: a page is small (a few hundred ids).
    QString sql = u"SELECT " % allColumns() % u" FROM contacts WHERE id IN (";
    for (qsizetype i = 0; i < ids.size(); ++i)
        sql += i ? QStringLiteral(",?") : QStringLiteral("?");
    sql += u')';
    const QString action = QCoreApplication::translate("ContactQuery", "read contacts from");
    auto stmt = Statement::prepare(*m_db, sql, action);
    if (!stmt)
        return stmt.error();
    for (qsizetype i = 0; i < ids.size(); ++i)
        stmt->bind(int(i + 1), ids[i]);

    QHash<qint64, ContactRow> byId;
    byId.reserve(ids.size());
    Result<bool> step = stmt->step();
    for (; step.ok() && *step; step = stmt->step()) {
        ContactRow row;
        row.contact.id = stmt->int64(Id);
        for (int c = FirstName; c < Problems; ++c)
            setField(row.contact, c, stmt->text(c));
        row.problems = Engine::checkContact(row.contact, today).problems;
        byId.insert(row.contact.id, std::move(row));
    }
    if (!step)
        return step.error();

    return inOrder(ids, byId);
}

QList<ContactRow> ContactQuery::inOrder(const QList<qint64> &ids, const QHash<qint64, ContactRow> &byId)
{
    QList<ContactRow> rows;
    rows.reserve(ids.size());
    for (qint64 id : ids) {
        ContactRow row = byId.value(id);
        row.contact.id = id;
        rows.append(std::move(row));
    }
    return rows;
}
