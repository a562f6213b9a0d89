#include "storage/pg/pgconnection.h"

#include "storage/orgdatabase.h"

#include <QCoreApplication>
#include <QFileInfo>
#include <QHash>
#include <QMutex>

#include <libpq-fe.h>
#include <poll.h>

#include <optional>
#include <utility>

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("PgConnection", text);
}

// The keyword values of a parsed conninfo; freed with it.
struct ConninfoOptions
{
    PQconninfoOption *options = nullptr;
    ~ConninfoOptions()
    {
        if (options)
            PQconninfoFree(options);
    }
    QString value(const char *keyword) const
    {
        for (PQconninfoOption *o = options; o && o->keyword; ++o) {
            if (qstrcmp(o->keyword, keyword) == 0 && o->val)
                return QString::fromUtf8(o->val);
        }
        return QString();
    }
};

QString quotedIdentifier(const QString &name)
{
    QString escaped = name;
    escaped.replace(QLatin1Char('"'), QLatin1StringView("\"\""));
    return QLatin1Char('"') + escaped + QLatin1Char('"');
}

// The first line of a libpq message without the "connection to server ... failed: " prefix.
QString essence(const QString &message)
{
    QString line = message.trimmed().section(QLatin1Char('\n'), 0, 0).trimmed();
    const qsizetype failed = line.lastIndexOf(QLatin1StringView("failed: "));
    if (line.startsWith(QLatin1StringView("connection to server")) && failed >= 0)
        line = line.mid(failed + 8);
    if (line.startsWith(QLatin1StringView("FATAL:")) || line.startsWith(QLatin1StringView("ERROR:")))
        line = line.mid(6).trimmed();
    while (line.endsWith(QLatin1Char('.')))
        line.chop(1);
    return line;
}

int hexValue(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

// Passwords typed into the program, by server, port, database and user; memory only.
struct SessionPasswords
{
    QMutex mutex;
    QHash<QString, QString> byTarget;
};

SessionPasswords &sessionPasswords()
{
    static SessionPasswords passwords;
    return passwords;
}

QString targetKey(const PgSpec::Parts &parts)
{
    return parts.host + u'\n' + parts.port + u'\n' + parts.dbname + u'\n' + parts.user;
}

QString sessionPassword(const PgSpec::Parts &parts)
{
    SessionPasswords &store = sessionPasswords();
    const QMutexLocker lock(&store.mutex);
    return store.byTarget.value(targetKey(parts));
}

} // namespace

namespace PgSpec {

void setSessionPassword(const QString &spec, const QString &password)
{
    const Parts parts = parse(spec);
    if (!parts.ok)
        return;
    SessionPasswords &store = sessionPasswords();
    const QMutexLocker lock(&store.mutex);
    if (password.isEmpty())
        store.byTarget.remove(targetKey(parts));
    else
        store.byTarget.insert(targetKey(parts), password);
}

bool hasSessionPassword(const QString &spec)
{
    const Parts parts = parse(spec);
    return parts.ok && !sessionPassword(parts).isEmpty();
}

bool isConnectionSpec(const QString &database)
{
    const QString text = database.trimmed();
    if (text.startsWith(QLatin1StringView("postgresql://"), Qt::CaseInsensitive)
        || text.startsWith(QLatin1StringView("postgres://"), Qt::CaseInsensitive))
        return true;
    // key=value strings: only when no such file exists, and only when libpq accepts it.
    if (!text.contains(QLatin1Char('=')) || QFileInfo::exists(database))
        return false;
    char *error = nullptr;
    PQconninfoOption *options = PQconninfoParse(text.toUtf8().constData(), &error);
    if (error)
        PQfreemem(error);
    if (!options)
        return false;
    PQconninfoFree(options);
    return true;
}

Parts parse(const QString &spec)
{
    Parts parts;
    char *error = nullptr;
    ConninfoOptions given { PQconninfoParse(spec.trimmed().toUtf8().constData(), &error) };
    if (!given.options) {
        parts.error = error ? essence(QString::fromUtf8(error)) : tr("not a connection string");
        if (error)
            PQfreemem(error);
        return parts;
    }
    ConninfoOptions defaults { PQconndefaults() }; // the PG* environment variables, then libpq's own
    auto pick = [&](const char *keyword) {
        const QString value = given.value(keyword);
        return value.isEmpty() ? defaults.value(keyword) : value;
    };
    parts.host = pick("host");
    if (parts.host.isEmpty())
        parts.host = pick("hostaddr");
    parts.port = pick("port");
    parts.user = pick("user");
    parts.dbname = pick("dbname");
    if (parts.dbname.isEmpty())
        parts.dbname = parts.user;
    parts.password = given.value("password");
    parts.ok = true;
    return parts;
}

QString displayName(const QString &spec)
{
    const Parts parts = parse(spec);
    if (!parts.ok)
        return spec.section(QLatin1Char('?'), 0, 0);
    QString host = parts.host;
    if (host.isEmpty() || host.startsWith(QLatin1Char('/')))
        host = host.isEmpty() ? QStringLiteral("localhost") : host; // a socket folder is shown as it is
    return QStringLiteral("postgresql://%1@%2:%3/%4")
        .arg(parts.user, host, parts.port.isEmpty() ? QStringLiteral("5432") : parts.port, parts.dbname);
}

} // namespace PgSpec

// PgResult

PgResult::PgResult(pg_result *result) : m_result(result, [](pg_result *r) { PQclear(r); }) { }

int PgResult::rows() const
{
    return PQntuples(m_result.get());
}

int PgResult::columns() const
{
    return PQnfields(m_result.get());
}

bool PgResult::isNull(int row, int column) const
{
    return PQgetisnull(m_result.get(), row, column) != 0;
}

QByteArrayView PgResult::value(int row, int column) const
{
    if (isNull(row, column))
        return {};
    return QByteArrayView(PQgetvalue(m_result.get(), row, column), PQgetlength(m_result.get(), row, column));
}

QString PgResult::text(int row, int column) const
{
    if (isNull(row, column))
        return QString();
    const QByteArrayView v = value(row, column);
    return v.isEmpty() ? QStringLiteral("") : QString::fromUtf8(v);
}

qint64 PgResult::int64(int row, int column) const
{
    return isNull(row, column) ? 0 : value(row, column).toLongLong();
}

qint64 PgResult::affected() const
{
    return QByteArray(PQcmdTuples(m_result.get())).toLongLong();
}

// PgCopyRow

void PgCopyRow::parse(QByteArrayView line)
{
    m_fields.clear();
    m_nulls.clear();
    const char *data = line.data();
    const qsizetype size = line.size();
    qsizetype start = 0;
    std::size_t field = 0;
    for (qsizetype i = 0; i <= size; ++i) {
        if (i < size && data[i] != '\t')
            continue;
        const QByteArrayView raw(data + start, i - start);
        if (raw.size() == 2 && raw[0] == '\\' && raw[1] == 'N') {
            m_fields.emplace_back();
            m_nulls.push_back(true);
        } else if (!raw.contains('\\')) {
            // A non-null empty view: data() must not be null.
            m_fields.emplace_back(raw.isEmpty() ? "" : raw.data(), raw.size());
            m_nulls.push_back(false);
        } else {
            if (m_unescaped.size() <= field)
                m_unescaped.resize(field + 1);
            QByteArray &out = m_unescaped[field];
            out.resize(0);
            for (qsizetype j = 0; j < raw.size(); ++j) {
                char c = raw[j];
                if (c != '\\' || j + 1 >= raw.size()) {
                    out += c;
                    continue;
                }
                c = raw[++j];
                switch (c) {
                case 'b':
                    out += '\b';
                    break;
                case 'f':
                    out += '\f';
                    break;
                case 'n':
                    out += '\n';
                    break;
                case 'r':
                    out += '\r';
                    break;
                case 't':
                    out += '\t';
                    break;
                case 'v':
                    out += '\v';
                    break;
                case 'x': {
                    int value = 0, digits = 0;
                    while (digits < 2 && j + 1 < raw.size() && hexValue(raw[j + 1]) >= 0)
                        value = value * 16 + hexValue(raw[++j]), ++digits;
                    out += char(value);
                    break;
                }
                default:
                    if (c >= '0' && c <= '7') {
                        int value = c - '0', digits = 1;
                        while (digits < 3 && j + 1 < raw.size() && raw[j + 1] >= '0' && raw[j + 1] <= '7')
                            value = value * 8 + (raw[++j] - '0'), ++digits;
                        out += char(value);
                    } else {
                        out += c;
                    }
                }
            }
            m_fields.emplace_back(out.constData(), out.size());
            m_nulls.push_back(false);
        }
        ++field;
        start = i + 1;
    }
}

QString PgCopyRow::text(int i) const
{
    if (isNull(i))
        return QString();
    const QByteArrayView v = utf8(i);
    return v.isEmpty() ? QStringLiteral("") : QString::fromUtf8(v);
}

qint64 PgCopyRow::int64(int i) const
{
    return isNull(i) ? 0 : utf8(i).toLongLong();
}

void pgCopyField(QByteArray &line, QByteArrayView value, bool first)
{
    if (!first)
        line += '\t';
    if (value.data() == nullptr) {
        line += "\\N";
        return;
    }
    for (const char c : value) {
        switch (c) {
        case '\\':
            line += "\\\\";
            break;
        case '\t':
            line += "\\t";
            break;
        case '\n':
            line += "\\n";
            break;
        case '\r':
            line += "\\r";
            break;
        default:
            line += c;
        }
    }
}

// PgConnection

PgConnection::PgConnection(pg_conn *conn, QString spec)
    : m_conn(conn), m_spec(std::move(spec)), m_name(PgSpec::displayName(m_spec))
{ }

PgConnection::PgConnection(PgConnection &&other) noexcept
    : m_conn(std::exchange(other.m_conn, nullptr)), m_spec(std::move(other.m_spec)),
      m_name(std::move(other.m_name))
{ }

PgConnection &PgConnection::operator=(PgConnection &&other) noexcept
{
    if (this != &other) {
        close();
        m_conn = std::exchange(other.m_conn, nullptr);
        m_spec = std::move(other.m_spec);
        m_name = std::move(other.m_name);
    }
    return *this;
}

PgConnection::~PgConnection()
{
    close();
}

void PgConnection::close()
{
    if (m_conn) {
        PQfinish(m_conn);
        m_conn = nullptr;
    }
}

Result<PgConnection> PgConnection::connect(const QString &spec, const QString &applicationName)
{
    const QByteArray expanded = spec.trimmed().toUtf8();
    const QByteArray application = applicationName.toUtf8();
    const PgSpec::Parts parts = PgSpec::parse(spec);
    const QByteArray password
        = parts.ok && parts.password.isEmpty() ? sessionPassword(parts).toUtf8() : QByteArray();
    // Keywords are applied in order, so the timeout placed before dbname is only a default the
    // spec may override; after dbname, the session password fills in what the spec lacks.
    std::vector<const char *> keywords;
    std::vector<const char *> values;
    if (qEnvironmentVariableIsEmpty("PGCONNECT_TIMEOUT")) {
        keywords.push_back("connect_timeout");
        values.push_back("10");
    }
    keywords.push_back("dbname");
    values.push_back(expanded.constData());
    keywords.push_back("fallback_application_name");
    values.push_back("email-scheduler");
    if (!application.isEmpty()) {
        keywords.push_back("application_name");
        values.push_back(application.constData());
    }
    if (!password.isEmpty()) {
        keywords.push_back("password");
        values.push_back(password.constData());
    }
    keywords.push_back(nullptr);
    values.push_back(nullptr);
    PgConnection connection(PQconnectdbParams(keywords.data(), values.data(), 1), spec);
    const QString name = connection.name();
    if (!connection.m_conn)
        return dbError(DbErrorKind::Other, tr("Could not connect to %1: out of memory.").arg(name));
    if (PQstatus(connection.m_conn) != CONNECTION_OK) {
        const QString full = QString::fromUtf8(PQerrorMessage(connection.m_conn));
        const QString detail = essence(full);
        if (full.contains(QLatin1StringView("database \""))
            && full.contains(QLatin1StringView("does not exist")))
            return dbError(DbErrorKind::Missing,
                           tr("Could not open %1: %2. Check the database name, or create the database on the "
                              "server first (createdb).")
                               .arg(name, detail));
        const QString login = tr("Could not log in to %1: %2. Check the user name, and put the password in "
                                 "~/.pgpass or PGPASSWORD.")
                                  .arg(name, detail);
        // The program asks for a password when the server wants one that it did not get.
        if (PQconnectionNeedsPassword(connection.m_conn))
            return Error(PgErrorKind::PasswordNeeded, login);
        if (full.contains(QLatin1StringView("password authentication failed"))
            && PQconnectionUsedPassword(connection.m_conn))
            return Error(PgErrorKind::PasswordRejected, login);
        if (full.contains(QLatin1StringView("authentication failed"))
            || full.contains(QLatin1StringView("no password supplied"))
            || (full.contains(QLatin1StringView("role \""))
                && full.contains(QLatin1StringView("does not exist"))))
            return dbError(DbErrorKind::Other, login);
        return dbError(DbErrorKind::Other,
                       tr("Could not connect to %1: %2. Check that the server is running and that the host "
                          "and port are right.")
                           .arg(name, detail));
    }
    PQsetClientEncoding(connection.m_conn, "UTF8");
    // Notices ("table does not exist, skipping") are not for the user's terminal.
    PQsetNoticeProcessor(
        connection.m_conn, [](void *, const char *) {}, nullptr);
    // Dates read as text come out as YYYY-MM-DD, whatever the server's or the role's setting.
    if (auto r = connection.exec("SET DateStyle = 'ISO, YMD'; SET TimeZone = 'UTC'", tr("open")); !r)
        return r.error();
    return connection;
}

Error PgConnection::errorFor(const QString &message, const QString &action) const
{
    return dbError(DbErrorKind::Other, tr("Could not %1 %2: %3.").arg(action, m_name, essence(message)));
}

Error PgConnection::errorFor(const PgResult &result, const QString &action) const
{
    const char *state = result.get() ? PQresultErrorField(result.get(), PG_DIAG_SQLSTATE) : nullptr;
    const char *primary = result.get() ? PQresultErrorField(result.get(), PG_DIAG_MESSAGE_PRIMARY) : nullptr;
    const char *context = result.get() ? PQresultErrorField(result.get(), PG_DIAG_CONTEXT) : nullptr;
    QString detail
        = primary ? QString::fromUtf8(primary) : essence(QString::fromUtf8(PQerrorMessage(m_conn)));
    while (detail.endsWith(QLatin1Char('.')))
        detail.chop(1);
    if (context)
        detail += QLatin1StringView(" (") + QString::fromUtf8(context).section(QLatin1Char('\n'), 0, 0)
            + QLatin1Char(')');
    const QByteArray code = state ? QByteArray(state) : QByteArray();
    if (code == "57014")
        return dbError(DbErrorKind::Cancelled, tr("Cancelled; %1 was not changed.").arg(m_name));
    if (code == "42501" || code == "25006")
        return dbError(DbErrorKind::ReadOnly,
                       tr("Could not %1 %2: %3. Ask the database's owner for write access.")
                           .arg(action, m_name, detail));
    if (code == "55P03" || code == "40P01" || code == "40001")
        return dbError(DbErrorKind::Locked,
                       tr("Could not %1 %2: %3. Wait until the other program is done, then try again.")
                           .arg(action, m_name, detail));
    if (code.startsWith("53") || code.startsWith("58"))
        return dbError(DbErrorKind::Io,
                       tr("Could not %1 %2: %3 (a problem of the server).").arg(action, m_name, detail));
    if (code.startsWith("08") || PQstatus(m_conn) != CONNECTION_OK)
        return dbError(
            DbErrorKind::Other,
            tr("Could not %1 %2: the connection to the server was lost (%3).").arg(action, m_name, detail));
    return dbError(DbErrorKind::Other, tr("Could not %1 %2: %3.").arg(action, m_name, detail));
}

Result<void> PgConnection::exec(const QByteArray &sql, const QString &action)
{
    PgResult result(PQexec(m_conn, sql.constData()));
    const ExecStatusType status = PQresultStatus(result.get());
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK)
        return errorFor(result, action);
    return {};
}

Result<PgResult> PgConnection::query(const QByteArray &sql, const QString &action,
                                     const QList<QByteArray> &params) const
{
    std::vector<const char *> values;
    values.reserve(std::size_t(params.size()));
    for (const QByteArray &param : params)
        values.push_back(param.isNull() ? nullptr : param.constData());
    PgResult result(PQexecParams(m_conn, sql.constData(), int(values.size()), nullptr, values.data(), nullptr,
                                 nullptr, 0));
    const ExecStatusType status = PQresultStatus(result.get());
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK)
        return errorFor(result, action);
    return result;
}

Result<PgResult> PgConnection::queryCancellable(const QByteArray &sql, const QString &action,
                                                const QList<QByteArray> &params,
                                                const std::function<bool()> &isCanceled) const
{
    if (!isCanceled)
        return query(sql, action, params);
    std::vector<const char *> values;
    values.reserve(std::size_t(params.size()));
    for (const QByteArray &param : params)
        values.push_back(param.isNull() ? nullptr : param.constData());
    if (!PQsendQueryParams(m_conn, sql.constData(), int(values.size()), nullptr, values.data(), nullptr,
                           nullptr, 0))
        return errorFor(QString::fromUtf8(PQerrorMessage(m_conn)), action);
    bool cancelSent = false;
    while (PQisBusy(m_conn)) {
        pollfd fd { PQsocket(m_conn), POLLIN, 0 };
        ::poll(&fd, 1, 100);
        if (!PQconsumeInput(m_conn))
            break;
        if (!cancelSent && isCanceled()) {
            if (PGcancel *cancel = PQgetCancel(m_conn)) {
                char error[256];
                PQcancel(cancel, error, sizeof error);
                PQfreeCancel(cancel);
            }
            cancelSent = true;
        }
    }
    std::optional<PgResult> last;
    while (PGresult *raw = PQgetResult(m_conn))
        last.emplace(raw);
    if (!last)
        return errorFor(QString::fromUtf8(PQerrorMessage(m_conn)), action);
    const ExecStatusType status = PQresultStatus(last->get());
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK)
        return errorFor(*last, action);
    return *last;
}

Result<void> PgConnection::copyOut(const QByteArray &copySql, const QString &action,
                                   const std::function<bool(const PgCopyRow &row)> &row)
{
    {
        PgResult start(PQexec(m_conn, copySql.constData()));
        if (PQresultStatus(start.get()) != PGRES_COPY_OUT)
            return errorFor(start, action);
    }
    PgCopyRow decoded;
    bool stopped = false;
    for (;;) {
        char *buffer = nullptr;
        const int length = PQgetCopyData(m_conn, &buffer, 0);
        if (length < 0)
            break;
        if (!stopped) {
            QByteArrayView line(buffer, length);
            if (line.endsWith('\n'))
                line.chop(1);
            decoded.parse(line);
            if (!row(decoded)) {
                stopped = true;
                // Ask the server to stop sending; the rest is drained below.
                if (PGcancel *cancel = PQgetCancel(m_conn)) {
                    char error[256];
                    PQcancel(cancel, error, sizeof error);
                    PQfreeCancel(cancel);
                }
            }
        }
        PQfreemem(buffer);
    }
    std::optional<Error> error;
    while (PGresult *raw = PQgetResult(m_conn)) {
        PgResult end(raw);
        if (PQresultStatus(raw) != PGRES_COMMAND_OK && !error)
            error = errorFor(end, action);
    }
    if (stopped)
        return dbError(DbErrorKind::Cancelled, tr("Cancelled; %1 was not changed.").arg(m_name));
    if (error)
        return *error;
    return {};
}

Result<qint64> PgConnection::copyIn(const QByteArray &copySql, const QString &action,
                                    const std::function<bool(QByteArray &buffer)> &fill)
{
    {
        PgResult start(PQexec(m_conn, copySql.constData()));
        if (PQresultStatus(start.get()) != PGRES_COPY_IN)
            return errorFor(start, action);
    }
    QByteArray buffer;
    buffer.reserve(1 << 20);
    bool more = true;
    bool sendFailed = false;
    while (more && !sendFailed) {
        more = fill(buffer);
        if (buffer.size() >= (1 << 20) || (!more && !buffer.isEmpty())) {
            sendFailed = PQputCopyData(m_conn, buffer.constData(), int(buffer.size())) != 1;
            buffer.resize(0);
        }
    }
    PQputCopyEnd(m_conn, sendFailed ? "the program could not send the rows" : nullptr);
    std::optional<Error> error;
    qint64 rows = 0;
    while (PGresult *raw = PQgetResult(m_conn)) {
        PgResult end(raw);
        if (PQresultStatus(raw) != PGRES_COMMAND_OK) {
            if (!error)
                error = errorFor(end, action);
        } else {
            rows = end.affected();
        }
    }
    if (error)
        return *error;
    return rows;
}

QStringList PgConnection::columns(const QString &table) const
{
    QStringList result;
    auto rows = query("SELECT attname FROM pg_attribute WHERE attrelid = to_regclass($1) AND attnum > 0 "
                      "AND NOT attisdropped ORDER BY attnum",
                      tr("read the tables of"), { quotedIdentifier(table).toUtf8() });
    if (!rows)
        return result;
    for (int r = 0; r < rows->rows(); ++r)
        result.append(rows->text(r, 0));
    return result;
}

QString PgConnection::columnType(const QString &table, const QString &column) const
{
    auto rows = query("SELECT atttypid::regtype::text FROM pg_attribute WHERE attrelid = to_regclass($1) "
                      "AND attname = $2 AND NOT attisdropped",
                      tr("read the tables of"), { quotedIdentifier(table).toUtf8(), column.toUtf8() });
    if (!rows || rows->rows() == 0)
        return QString();
    return rows->text(0, 0);
}

bool PgConnection::hasTable(const QString &table) const
{
    auto rows = query("SELECT to_regclass($1) IS NOT NULL", tr("read the tables of"),
                      { quotedIdentifier(table).toUtf8() });
    return rows && rows->rows() == 1 && rows->value(0, 0) == "t";
}
