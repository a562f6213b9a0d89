#include "storage/contactquery.h"

#include "dates.h"
#include "engine.h"
#include "storage/orgdatabase.h"

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

QString columnText(sqlite3_stmt *stmt, int column)
{
    if (sqlite3_column_type(stmt, column) == SQLITE_NULL)
        return {};
    const auto *text = reinterpret_cast<const char *>(sqlite3_column_text(stmt, column));
    return QString::fromUtf8(text, sqlite3_column_bytes(stmt, column));
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
    const QDate date = Dates::parseContactDate(valueText(argv[0]));
    if (date.isValid())
        sqlite3_result_int64(ctx, date.toJulianDay());
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
    const QByteArray summary = problemSummary(Engine::checkContact(contact, *today).problems).toUtf8();
    if (summary.isEmpty())
        sqlite3_result_null(ctx);
    else
        sqlite3_result_text(ctx, summary.constData(), int(summary.size()), SQLITE_TRANSIENT);
}

int progressHandler(void *data)
{
    const auto *isCancelled = static_cast<const std::function<bool()> *>(data);
    return (*isCancelled)() ? 1 : 0;
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

Error ContactQuery::sqlError(const QString &what) const
{
    return Error { QCoreApplication::translate("ContactQuery", "%1 failed on %2: %3")
                       .arg(what, m_path, QString::fromUtf8(sqlite3_errmsg(m_db))),
                   SqlFailed };
}

Result<void> ContactQuery::open(const QString &path)
{
    close();
    m_path = path;
    // No -wal/-shm files are created next to the database (see OrgDatabase::openReadOnlyHandle).
    bool immutable = false;
    const int rc = OrgDatabase::openReadOnlyHandle(path, &m_db, SQLITE_OPEN_NOMUTEX, &immutable);
    m_immutableState = immutable ? OrgDatabase::fileState(path) : QByteArray();
    if (rc != SQLITE_OK) {
        Error error = sqlError(QCoreApplication::translate("ContactQuery", "Opening"));
        close();
        return error;
    }
    // A batch run may hold the write lock for a moment while it commits; wait for it here,
    // on the worker thread, rather than failing the page.
    sqlite3_busy_timeout(m_db, 5000);
    sqlite3_create_function(m_db, "es_date", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC, nullptr, &sqlDate,
                            nullptr, nullptr);
    return {};
}

Result<void> ContactQuery::reopenIfChanged()
{
    // An immutable connection never notices a change: reopen once the file has changed.
    if (!m_db || m_immutableState.isEmpty() || OrgDatabase::fileState(m_path) == m_immutableState)
        return {};
    const QString path = m_path;
    return open(path);
}

void ContactQuery::close()
{
    if (m_db)
        sqlite3_close_v2(m_db);
    m_db = nullptr;
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

bool ContactQuery::hasSchedules() const
{
    sqlite3_stmt *stmt = nullptr;
    if (sqlite3_prepare_v2(m_db, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'email_schedules'",
                           -1, &stmt, nullptr)
        != SQLITE_OK)
        return false;
    const bool found = sqlite3_step(stmt) == SQLITE_ROW;
    sqlite3_finalize(stmt);
    return found;
}

Result<QList<qint64>> ContactQuery::buildIndex(const ContactIndexRequest &request,
                                               const std::function<bool()> &isCancelled)
{
    if (auto reopened = reopenIfChanged(); !reopened)
        return reopened.error();
    if (!m_db)
        return Error { QCoreApplication::translate("ContactQuery", "No database is open."), SqlFailed };

    FilterContext fc { &request.filter, request.filter.usedColumns(), request.today };
    QDate today = request.today;
    sqlite3_create_function(m_db, "es_filter", Problems, SQLITE_UTF8, &fc, &sqlFilter, nullptr, nullptr);
    sqlite3_create_function(m_db, "es_problems", 6, SQLITE_UTF8, &today, &sqlProblems, nullptr, nullptr);

    const QString direction
        = request.order == Qt::AscendingOrder ? QStringLiteral("ASC") : QStringLiteral("DESC");
    const QDate scheduledOn = request.filter.scheduledOn();
    if (scheduledOn.isValid() && !hasSchedules())
        return QList<qint64>(); // nothing has been scheduled in this database yet
    QStringList conditions;
    if (!request.filter.isPredicateEmpty())
        conditions << u"es_filter(" % allColumns() % u')';
    if (scheduledOn.isValid())
        conditions << QStringLiteral("id IN (SELECT contact_id FROM email_schedules "
                                     "WHERE scheduled_send_date = ?1 AND status = 'pre-scheduled')");
    QString sql = QStringLiteral("SELECT id FROM contacts");
    if (!conditions.isEmpty())
        sql += u" WHERE " % conditions.join(QStringLiteral(" AND "));
    if (request.sortColumn == Id)
        sql += u" ORDER BY id " % direction;
    else
        sql += u" ORDER BY " % sortExpression(request.sortColumn) % u' ' % direction % u", id " % direction;

    const std::function<bool()> never = [] { return false; };
    const std::function<bool()> &cancelled = isCancelled ? isCancelled : never;
    sqlite3_progress_handler(m_db, 2000, &progressHandler, const_cast<std::function<bool()> *>(&cancelled));

    sqlite3_stmt *stmt = nullptr;
    const QByteArray utf8 = sql.toUtf8();
    if (sqlite3_prepare_v2(m_db, utf8.constData(), int(utf8.size()), &stmt, nullptr) != SQLITE_OK) {
        Error error = sqlError(QCoreApplication::translate("ContactQuery", "Reading the contacts"));
        sqlite3_progress_handler(m_db, 0, nullptr, nullptr);
        return error;
    }
    const QByteArray scheduledText = scheduledOn.toString(Qt::ISODate).toUtf8();
    if (scheduledOn.isValid())
        sqlite3_bind_text(stmt, 1, scheduledText.constData(), int(scheduledText.size()), SQLITE_STATIC);
    QList<qint64> ids;
    int rc;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW)
        ids.append(sqlite3_column_int64(stmt, 0));
    sqlite3_finalize(stmt);
    sqlite3_progress_handler(m_db, 0, nullptr, nullptr);
    if (rc == SQLITE_INTERRUPT || cancelled())
        return Error { QCoreApplication::translate("ContactQuery", "Cancelled."), Cancelled };
    if (rc != SQLITE_DONE)
        return sqlError(QCoreApplication::translate("ContactQuery", "Reading the contacts"));
    return ids;
}

Result<QList<ContactRow>> ContactQuery::fetchRows(const QList<qint64> &ids, QDate today)
{
    if (auto reopened = reopenIfChanged(); !reopened)
        return reopened.error();
    if (!m_db)
        return Error { QCoreApplication::translate("ContactQuery", "No database is open."), SqlFailed };
    // One statement with every id of the page: a page is small (a few hundred ids).
    QString sql = u"SELECT " % allColumns() % u" FROM contacts WHERE id IN (";
    for (qsizetype i = 0; i < ids.size(); ++i)
        sql += i ? QStringLiteral(",?") : QStringLiteral("?");
    sql += u')';
    sqlite3_stmt *stmt = nullptr;
    const QByteArray utf8 = sql.toUtf8();
    if (sqlite3_prepare_v2(m_db, utf8.constData(), int(utf8.size()), &stmt, nullptr) != SQLITE_OK)
        return sqlError(QCoreApplication::translate("ContactQuery", "Reading contacts"));
    for (qsizetype i = 0; i < ids.size(); ++i)
        sqlite3_bind_int64(stmt, int(i + 1), ids[i]);

    QHash<qint64, ContactRow> byId;
    byId.reserve(ids.size());
    int rc;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
        ContactRow row;
        row.contact.id = sqlite3_column_int64(stmt, Id);
        for (int c = FirstName; c < Problems; ++c)
            setField(row.contact, c, columnText(stmt, c));
        row.problems = Engine::checkContact(row.contact, today).problems;
        byId.insert(row.contact.id, std::move(row));
    }
    sqlite3_finalize(stmt);
    if (rc != SQLITE_DONE)
        return sqlError(QCoreApplication::translate("ContactQuery", "Reading contacts"));

    QList<ContactRow> rows;
    rows.reserve(ids.size());
    for (qint64 id : ids) {
        ContactRow row = byId.value(id);
        row.contact.id = id;
        rows.append(std::move(row));
    }
    return rows;
}
