#include "storage/statement.h"

#include "storage/orgdatabase.h"

#include <sqlite3.h>

#include <utility>

Statement::Statement(const OrgDatabase &db, sqlite3_stmt *stmt, QString action)
    : m_db(&db), m_stmt(stmt), m_action(std::move(action))
{ }

Result<Statement> Statement::prepare(const OrgDatabase &db, const char *sql, const QString &action)
{
    sqlite3_stmt *stmt = nullptr;
    const int rc = sqlite3_prepare_v2(db.handle(), sql, -1, &stmt, nullptr);
    if (rc != SQLITE_OK) {
        Error error = db.errorFor(rc, action); // before finalize: the message is still SQLite's
        sqlite3_finalize(stmt);
        return error;
    }
    return Statement(db, stmt, action);
}

Result<Statement> Statement::prepare(const OrgDatabase &db, const QString &sql, const QString &action)
{
    return prepare(db, sql.toUtf8().constData(), action);
}

Statement::Statement(Statement &&other) noexcept
    : m_db(other.m_db), m_stmt(std::exchange(other.m_stmt, nullptr)), m_action(std::move(other.m_action)),
      m_bindError(other.m_bindError)
{ }

Statement &Statement::operator=(Statement &&other) noexcept
{
    if (this != &other) {
        sqlite3_finalize(m_stmt);
        m_db = other.m_db;
        m_stmt = std::exchange(other.m_stmt, nullptr);
        m_action = std::move(other.m_action);
        m_bindError = other.m_bindError;
    }
    return *this;
}

Statement::~Statement()
{
    sqlite3_finalize(m_stmt);
}

namespace {

int firstError(int previous, int rc)
{
    return previous != SQLITE_OK ? previous : rc;
}

} // namespace

Statement &Statement::bind(int index, qint64 value)
{
    m_bindError = firstError(m_bindError, sqlite3_bind_int64(m_stmt, index, value));
    return *this;
}

Statement &Statement::bind(int index, double value)
{
    m_bindError = firstError(m_bindError, sqlite3_bind_double(m_stmt, index, value));
    return *this;
}

Statement &Statement::bind(int index, const QString &text)
{
    if (text.isNull())
        return bindNull(index);
    return bindText(index, text);
}

Statement &Statement::bindText(int index, QStringView text)
{
    const QByteArray utf8 = text.toUtf8(); // constData() is "" for an empty one, never null
    m_bindError = firstError(
        m_bindError, sqlite3_bind_text(m_stmt, index, utf8.constData(), int(utf8.size()), SQLITE_TRANSIENT));
    return *this;
}

Statement &Statement::bindUtf8(int index, QByteArrayView utf8)
{
    if (utf8.isNull())
        return bindNull(index);
    m_bindError = firstError(m_bindError,
                             sqlite3_bind_text(m_stmt, index, utf8.data(), int(utf8.size()), SQLITE_STATIC));
    return *this;
}

Statement &Statement::bindNull(int index)
{
    m_bindError = firstError(m_bindError, sqlite3_bind_null(m_stmt, index));
    return *this;
}

Result<bool> Statement::step()
{
    if (m_bindError != SQLITE_OK) {
        Error error = this->error(m_bindError);
        m_bindError = SQLITE_OK;
        return error;
    }
    const int rc = sqlite3_step(m_stmt);
    if (rc == SQLITE_ROW)
        return true;
    if (rc == SQLITE_DONE)
        return false;
    Error error = this->error(rc);
    sqlite3_reset(m_stmt);
    return error;
}

Result<void> Statement::exec()
{
    for (;;) {
        auto row = step();
        if (!row)
            return row.error();
        if (!*row)
            return {};
    }
}

void Statement::reset()
{
    sqlite3_reset(m_stmt);
}

void Statement::clearBindings()
{
    sqlite3_clear_bindings(m_stmt);
}

int Statement::columnCount() const
{
    return sqlite3_column_count(m_stmt);
}

Statement::Type Statement::type(int column) const
{
    switch (sqlite3_column_type(m_stmt, column)) {
    case SQLITE_INTEGER:
        return Type::Integer;
    case SQLITE_FLOAT:
        return Type::Real;
    case SQLITE_TEXT:
        return Type::Text;
    case SQLITE_BLOB:
        return Type::Blob;
    default:
        return Type::Null;
    }
}

int Statement::bytes(int column) const
{
    return sqlite3_column_bytes(m_stmt, column);
}

bool Statement::isNull(int column) const
{
    return sqlite3_column_type(m_stmt, column) == SQLITE_NULL;
}

qint64 Statement::int64(int column) const
{
    return sqlite3_column_int64(m_stmt, column);
}

double Statement::real(int column) const
{
    return sqlite3_column_double(m_stmt, column);
}

QString Statement::text(int column) const
{
    if (sqlite3_column_type(m_stmt, column) == SQLITE_NULL)
        return QString();
    const auto *text = reinterpret_cast<const char *>(sqlite3_column_text(m_stmt, column));
    return QString::fromUtf8(text, sqlite3_column_bytes(m_stmt, column));
}

QByteArrayView Statement::utf8(int column) const
{
    const auto *data = reinterpret_cast<const char *>(sqlite3_column_text(m_stmt, column));
    return data ? QByteArrayView(data, sqlite3_column_bytes(m_stmt, column)) : QByteArrayView();
}

QString Statement::columnName(int column) const
{
    return QString::fromUtf8(sqlite3_column_name(m_stmt, column));
}

Error Statement::error(int sqliteCode) const
{
    return m_db->errorFor(sqliteCode, m_action);
}

Transaction::Transaction(OrgDatabase &db, QString action) : m_db(&db), m_action(std::move(action)) { }

Result<Transaction> Transaction::begin(OrgDatabase &db, const QString &action)
{
    if (auto r = db.exec("BEGIN IMMEDIATE", action); !r)
        return r.error();
    return Transaction(db, action);
}

Transaction::Transaction(Transaction &&other) noexcept
    : m_db(std::exchange(other.m_db, nullptr)), m_action(std::move(other.m_action))
{ }

Transaction::~Transaction()
{
    rollback();
}

Result<void> Transaction::commit(const QString &action)
{
    if (!m_db)
        return Error(DbErrorKind::Other, QStringLiteral("Internal error: no transaction to commit."));
    auto committed
        = m_db->exec("COMMIT", action.isEmpty() ? m_action : action); // the error is read before the rollback
    if (!committed) {
        rollback();
        return committed;
    }
    m_db = nullptr;
    return {};
}

void Transaction::rollback()
{
    if (!m_db)
        return;
    if (!sqlite3_get_autocommit(m_db->handle()))
        sqlite3_exec(m_db->handle(), "ROLLBACK", nullptr, nullptr, nullptr);
    m_db = nullptr;
}

CancelScope::CancelScope(const OrgDatabase &db, std::function<bool()> cancelled, int instructions)
    : m_db(db.handle()), m_cancelled(std::move(cancelled))
{
    if (m_cancelled)
        sqlite3_progress_handler(m_db, instructions, &CancelScope::onProgress, this);
}

CancelScope::~CancelScope()
{
    remove();
}

void CancelScope::remove()
{
    if (m_db && m_cancelled)
        sqlite3_progress_handler(m_db, 0, nullptr, nullptr);
    m_db = nullptr;
}

int CancelScope::onProgress(void *self)
{
    return static_cast<const CancelScope *>(self)->m_cancelled() ? 1 : 0;
}
