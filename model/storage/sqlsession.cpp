#include "storage/sqlsession.h"

#include "storage/contactreader.h"
#include "storage/orgdatabase.h"
#include "storage/pg/pgconnection.h"
#include "storage/pg/pgcontactsource.h"
#include "storage/pg/pgschema.h"
#include "storage/statement.h"

#include <QCoreApplication>

#include <optional>

// The backend half of a statement.
class SqlStatement::Impl
{
public:
    virtual ~Impl() = default;
    virtual void bind(int index, qint64 value) = 0;
    virtual void bind(int index, const QString &text) = 0; // null: NULL
    virtual Result<bool> step() = 0;
    virtual void reset() = 0;
    virtual bool isNull(int column) const = 0;
    virtual bool isInteger(int column) const = 0;
    virtual qint64 int64(int column) const = 0;
    virtual QString text(int column) const = 0;
};

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("SqlSession", text);
}

// --- SQLite: Statement on an OrgDatabase -------------------------------------------------------

class SqliteStatement final : public SqlStatement::Impl
{
public:
    explicit SqliteStatement(Statement stmt) : m_stmt(std::move(stmt)) { }
    void bind(int index, qint64 value) override { m_stmt.bind(index, value); }
    void bind(int index, const QString &text) override { m_stmt.bind(index, text); }
    Result<bool> step() override { return m_stmt.step(); }
    void reset() override { m_stmt.reset(); }
    bool isNull(int column) const override { return m_stmt.isNull(column); }
    bool isInteger(int column) const override { return m_stmt.type(column) == Statement::Type::Integer; }
    qint64 int64(int column) const override { return m_stmt.int64(column); }
    QString text(int column) const override { return m_stmt.text(column); }

private:
    Statement m_stmt;
};

class SqliteSession final : public SqlSession
{
public:
    explicit SqliteSession(OrgDatabase &db) : m_db(&db) { }
    explicit SqliteSession(OrgDatabase &&db)
        : m_own(std::make_unique<OrgDatabase>(std::move(db))), m_db(m_own.get())
    { }

    Backend backend() const override { return Backend::Sqlite; }
    QString displayName() const override { return m_db->path(); }
    bool isWritable() const override { return m_db->mode() == OrgDatabase::Mode::ReadWrite; }
    QString serverUser() const override { return QString(); }
    bool hasTable(const QString &table) const override { return m_db->hasTable(table); }
    QStringList columns(const QString &table) const override { return m_db->columns(table); }
    Result<SqlStatement> prepare(const QString &sql, const QString &action) const override
    {
        auto stmt = Statement::prepare(*m_db, sql, action);
        if (!stmt)
            return stmt.error();
        return SqlStatement(std::make_unique<SqliteStatement>(std::move(stmt).value()));
    }
    Result<std::unique_ptr<ContactReader>> contactReader() const override
    {
        return ContactReader::over(*m_db);
    }

private:
    Result<void> begin(const QString &action) override
    {
        auto transaction = Transaction::begin(*m_db, action);
        if (!transaction)
            return transaction.error();
        m_transaction.emplace(std::move(transaction).value());
        return {};
    }
    Result<void> commit(const QString &action) override
    {
        auto done = m_transaction ? m_transaction->commit(action) : Result<void>();
        m_transaction.reset();
        return done;
    }
    void rollback() override { m_transaction.reset(); }

    std::unique_ptr<OrgDatabase> m_own;
    OrgDatabase *m_db;
    std::optional<Transaction> m_transaction;
};

// --- PostgreSQL: libpq on a PgConnection -------------------------------------------------------

// SQLite's dialect as the server spells it: ?N (or ?) as $N, datetime('now') as LOCALTIMESTAMP(0);
// quoted literals and identifiers are left alone.
QByteArray serverSql(const QString &sql)
{
    static const QString now = QStringLiteral("datetime('now')");
    QString out;
    out.reserve(sql.size() + 16);
    int nextBare = 1;
    QChar quote;
    for (qsizetype i = 0; i < sql.size(); ++i) {
        const QChar c = sql[i];
        if (!quote.isNull()) {
            out += c;
            if (c == quote)
                quote = QChar();
            continue;
        }
        if (QStringView(sql).sliced(i).startsWith(now)) {
            out += u"LOCALTIMESTAMP(0)";
            i += now.size() - 1;
            continue;
        }
        if (c == u'\'' || c == u'"') {
            quote = c;
            out += c;
            continue;
        }
        if (c != u'?') {
            out += c;
            continue;
        }
        qsizetype end = i + 1;
        while (end < sql.size() && sql[end].isDigit())
            ++end;
        out += u'$';
        out += end > i + 1 ? sql.mid(i + 1, end - i - 1) : QString::number(nextBare++);
        i = end - 1;
    }
    return out.toUtf8();
}

// SQLite's integer of a text: its leading whole number (0 when none); a boolean's t/f as 1/0.
qint64 leadingInteger(QByteArrayView v)
{
    if (v == "t")
        return 1;
    qsizetype end = 0;
    while (end < v.size() && (v[end] == ' ' || v[end] == '\t'))
        ++end;
    const qsizetype start = end;
    if (end < v.size() && (v[end] == '-' || v[end] == '+'))
        ++end;
    while (end < v.size() && v[end] >= '0' && v[end] <= '9')
        ++end;
    return v.sliced(start, end - start).toLongLong();
}

class PgStatement final : public SqlStatement::Impl
{
public:
    PgStatement(const PgConnection &db, QByteArray sql, QString action)
        : m_db(db), m_sql(std::move(sql)), m_action(std::move(action))
    { }

    void bind(int index, qint64 value) override { param(index) = QByteArray::number(value); }
    void bind(int index, const QString &text) override
    {
        param(index) = text.isNull() ? QByteArray() : (text.isEmpty() ? QByteArray("") : text.toUtf8());
    }
    Result<bool> step() override
    {
        if (!m_result) {
            auto result = m_db.query(m_sql, m_action, m_params);
            if (!result)
                return result.error();
            m_result = std::move(result).value();
            m_row = -1;
        }
        ++m_row;
        return m_row < m_result->rows();
    }
    void reset() override { m_result.reset(); }
    bool isNull(int column) const override { return m_result->isNull(m_row, column); }
    bool isInteger(int column) const override
    {
        const QByteArrayView v = m_result->value(m_row, column);
        bool ok = false;
        (void)v.toLongLong(&ok);
        return ok;
    }
    qint64 int64(int column) const override { return leadingInteger(m_result->value(m_row, column)); }
    QString text(int column) const override { return m_result->text(m_row, column); }

private:
    QByteArray &param(int index)
    {
        while (m_params.size() < index)
            m_params.append(QByteArray());
        return m_params[index - 1];
    }

    const PgConnection &m_db;
    QByteArray m_sql;
    QString m_action;
    QList<QByteArray> m_params;
    std::optional<PgResult> m_result;
    int m_row = -1;
};

class PgSession final : public SqlSession
{
public:
    PgSession(PgConnection db, Mode mode, QString serverUser)
        : m_db(std::move(db)), m_mode(mode), m_serverUser(std::move(serverUser))
    { }
    ~PgSession() override { rollback(); }

    Backend backend() const override { return Backend::PostgreSql; }
    QString displayName() const override { return m_db.name(); }
    bool isWritable() const override { return m_mode == Mode::ReadWrite; }
    QString serverUser() const override { return m_serverUser; }
    bool hasTable(const QString &table) const override { return m_db.hasTable(table); }
    QStringList columns(const QString &table) const override { return m_db.columns(table); }
    Result<SqlStatement> prepare(const QString &sql, const QString &action) const override
    {
        return SqlStatement(std::make_unique<PgStatement>(m_db, serverSql(sql), action));
    }
    Result<std::unique_ptr<ContactReader>> contactReader() const override
    {
        auto source = PgContactSource::open(m_db.spec());
        if (!source)
            return source.error();
        return std::unique_ptr<ContactReader>(std::move(source).value());
    }

private:
    Result<void> begin(const QString &action) override
    {
        if (auto begun = m_db.exec("BEGIN", action); !begun)
            return begun;
        m_inTransaction = true;
        return {};
    }
    Result<void> commit(const QString &action) override
    {
        auto done = m_db.exec("COMMIT", action);
        if (!done)
            rollback();
        m_inTransaction = false;
        return done;
    }
    void rollback() override
    {
        if (m_inTransaction)
            (void)m_db.exec("ROLLBACK", QString());
        m_inTransaction = false;
    }

    PgConnection m_db;
    Mode m_mode;
    QString m_serverUser;
    bool m_inTransaction = false;
};

Result<std::unique_ptr<SqlSession>> openServer(const QString &spec, SqlSession::Mode mode)
{
    auto db = PgSchema::openOrganisation(spec);
    if (!db)
        return db.error();
    // A read-only session cannot change the server, whatever a store asks.
    if (mode == SqlSession::Mode::ReadOnly) {
        if (auto r = db->exec("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY", tr("open")); !r)
            return r.error();
    }
    auto user = db->query("SELECT current_user", tr("open"));
    if (!user)
        return user.error();
    const QString name = user->rows() > 0 ? user->text(0, 0) : QString();
    return std::unique_ptr<SqlSession>(std::make_unique<PgSession>(std::move(db).value(), mode, name));
}

} // namespace

// --- SqlStatement -------------------------------------------------------------------------------

SqlStatement::SqlStatement(std::unique_ptr<Impl> impl) : m_impl(std::move(impl)) { }
SqlStatement::SqlStatement(SqlStatement &&other) noexcept = default;
SqlStatement &SqlStatement::operator=(SqlStatement &&other) noexcept = default;
SqlStatement::~SqlStatement() = default;

SqlStatement &SqlStatement::bind(int index, qint64 value)
{
    m_impl->bind(index, value);
    return *this;
}

SqlStatement &SqlStatement::bind(int index, const QString &text)
{
    m_impl->bind(index, text);
    return *this;
}

SqlStatement &SqlStatement::bindText(int index, QStringView text)
{
    m_impl->bind(index, text.isNull() ? QStringLiteral("") : text.toString());
    return *this;
}

Result<bool> SqlStatement::step()
{
    return m_impl->step();
}

Result<void> SqlStatement::exec()
{
    for (;;) {
        auto row = m_impl->step();
        if (!row)
            return row.error();
        if (!*row)
            return {};
    }
}

void SqlStatement::reset()
{
    m_impl->reset();
}

bool SqlStatement::isNull(int column) const
{
    return m_impl->isNull(column);
}

bool SqlStatement::isInteger(int column) const
{
    return m_impl->isInteger(column);
}

qint64 SqlStatement::int64(int column) const
{
    return m_impl->int64(column);
}

QString SqlStatement::text(int column) const
{
    return m_impl->text(column);
}

// --- SqlSession ---------------------------------------------------------------------------------

SqlSession::~SqlSession() = default;

Result<std::unique_ptr<SqlSession>> SqlSession::open(const QString &database, Mode mode)
{
    if (PgSpec::isConnectionSpec(database))
        return openServer(database, mode);
    auto db = OrgDatabase::open(
        database, mode == Mode::ReadWrite ? OrgDatabase::Mode::ReadWrite : OrgDatabase::Mode::ReadOnly);
    if (!db)
        return db.error();
    return std::unique_ptr<SqlSession>(std::make_unique<SqliteSession>(std::move(db).value()));
}

std::unique_ptr<SqlSession> SqlSession::over(OrgDatabase &db)
{
    return std::make_unique<SqliteSession>(db);
}

Result<void> SqlSession::exec(const QString &sql, const QString &action) const
{
    auto stmt = prepare(sql, action);
    if (!stmt)
        return stmt.error();
    return stmt->exec();
}

// --- SqlTransaction -----------------------------------------------------------------------------

SqlTransaction::SqlTransaction(SqlSession &session, QString action)
    : m_session(&session), m_action(std::move(action))
{ }

Result<SqlTransaction> SqlTransaction::begin(SqlSession &session, const QString &action)
{
    if (auto begun = session.begin(action); !begun)
        return begun.error();
    return SqlTransaction(session, action);
}

SqlTransaction::SqlTransaction(SqlTransaction &&other) noexcept
    : m_session(std::exchange(other.m_session, nullptr)), m_action(std::move(other.m_action))
{ }

SqlTransaction::~SqlTransaction()
{
    rollback();
}

Result<void> SqlTransaction::commit(const QString &action)
{
    if (!m_session)
        return Error(DbErrorKind::Other, QStringLiteral("Internal error: no transaction to commit."));
    SqlSession *session = std::exchange(m_session, nullptr);
    return session->commit(action.isEmpty() ? m_action : action);
}

void SqlTransaction::rollback()
{
    if (SqlSession *session = std::exchange(m_session, nullptr))
        session->rollback();
}
