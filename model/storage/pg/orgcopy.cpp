#include "storage/pg/orgcopy.h"

#include "storage/orgdatabase.h"
#include "storage/pg/pgconnection.h"
#include "storage/pg/pgschema.h"
#include "storage/statement.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("OrgCopy", text);
}

QByteArray quoted(const QString &identifier)
{
    QString escaped = identifier;
    escaped.replace(QLatin1Char('"'), QLatin1StringView("\"\""));
    return '"' + escaped.toUtf8() + '"';
}

enum class Kind { Integer, Real, Text };

struct Column
{
    QString name;
    Kind kind = Kind::Text;
    bool primaryKey = false; // the single INTEGER PRIMARY KEY / bigint primary key
    QString pgType;          // PostgreSQL source: its type
    QString sqliteDefault;   // SQLite source: its DEFAULT as written (pragma table_info's dflt_value)
};

struct Table
{
    QString name;
    QList<Column> columns;
};

bool isSchedules(const QString &table)
{
    return table == u"email_schedules";
}

bool isRuns(const QString &table)
{
    return table == u"scheduler_runs" || table == u"email_scheduler_runs";
}

Error cancelled(const QString &target)
{
    return dbError(DbErrorKind::Cancelled, tr("Cancelled; %1 was not changed.").arg(target));
}

// --- SQLite source -------------------------------------------------------------------------

Result<QList<Table>> sqliteTables(const OrgDatabase &db)
{
    const QString action = tr("read the tables of");
    QList<Table> tables;
    auto names = Statement::prepare(
        db,
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name = "
        "'contacts' DESC, name",
        action);
    if (!names)
        return names.error();
    for (auto row = names->step(); row.ok() && *row; row = names->step())
        tables.append(Table { names->text(0), {} });
    for (Table &table : tables) {
        auto info = Statement::prepare(db,
                                       QString(u"SELECT name, type, pk, dflt_value FROM pragma_table_info('"
                                               + table.name + u"') ORDER BY cid"),
                                       action);
        if (!info)
            return info.error();
        int pkColumns = 0;
        for (auto row = info->step(); row.ok() && *row; row = info->step()) {
            Column column;
            column.name = info->text(0);
            const QString type = info->text(1).toUpper();
            if (type.contains(u"INT"))
                column.kind = Kind::Integer;
            else if (type.contains(u"REAL") || type.contains(u"FLOA") || type.contains(u"DOUB"))
                column.kind = Kind::Real;
            column.primaryKey = info->int64(2) > 0;
            column.sqliteDefault = info->isNull(3) ? QString() : info->text(3);
            pkColumns += column.primaryKey ? 1 : 0;
            table.columns.append(column);
        }
        for (Column &column : table.columns) {
            if (pkColumns != 1 || column.kind != Kind::Integer)
                column.primaryKey = false;
            if (column.kind == Kind::Text)
                continue;
            // A column with values of other types (garbage in an INTEGER column) is copied as text.
            const QByteArray typeName = column.kind == Kind::Integer ? "'integer'" : "'integer','real'";
            auto other = Statement::prepare(
                db,
                QString::fromUtf8("SELECT 1 FROM " + quoted(table.name) + " WHERE typeof("
                                  + quoted(column.name) + ") NOT IN ('null', " + typeName + ") LIMIT 1"),
                action);
            if (!other)
                return other.error();
            auto row = other->step();
            if (!row)
                return row.error();
            if (*row) {
                column.kind = Kind::Text;
                column.primaryKey = false;
            }
        }
    }
    return tables;
}

// An SQLite column DEFAULT as the server writes it, so a row inserted later without the column
// (an import, the sending service) gets the value the file would give it; empty when there is no
// simple equivalent (an expression, a function other than the current time, a string in a
// numeric column), and the column is then created without a default.
QByteArray pgDefault(const Column &column)
{
    QString text = column.sqliteDefault.trimmed();
    // DEFAULT (0) and DEFAULT (CURRENT_TIMESTAMP) are kept with their parentheses.
    while (text.size() >= 2 && text.startsWith(u'(') && text.endsWith(u')'))
        text = text.mid(1, text.size() - 2).trimmed();
    if (text.isEmpty() || text.compare(u"NULL", Qt::CaseInsensitive) == 0)
        return {};
    static const QRegularExpression integer(QStringLiteral("^[+-]?\\d+$"));
    static const QRegularExpression number(QStringLiteral("^[+-]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][+-]?\\d+)?$"));
    static const QRegularExpression singleQuoted(QStringLiteral("^'((?:[^']|'')*)'$"));
    static const QRegularExpression doubleQuoted(QStringLiteral("^\"((?:[^\"]|\"\")*)\"$"));
    // SQLite's current time is UTC text: 'YYYY-MM-DD HH:MM:SS', 'YYYY-MM-DD', 'HH:MM:SS'. The server
    // gives the same text whatever the session's time zone.
    static const QRegularExpression nowFunction(
        QStringLiteral("^(datetime|date|time)\\s*\\(\\s*'now'\\s*\\)$"),
        QRegularExpression::CaseInsensitiveOption);
    QString timeFormat;
    if (text.compare(u"CURRENT_TIMESTAMP", Qt::CaseInsensitive) == 0)
        timeFormat = QStringLiteral("YYYY-MM-DD HH24:MI:SS");
    else if (text.compare(u"CURRENT_DATE", Qt::CaseInsensitive) == 0)
        timeFormat = QStringLiteral("YYYY-MM-DD");
    else if (text.compare(u"CURRENT_TIME", Qt::CaseInsensitive) == 0)
        timeFormat = QStringLiteral("HH24:MI:SS");
    else if (const auto match = nowFunction.match(text); match.hasMatch()) {
        const QString function = match.captured(1).toLower();
        timeFormat = function == u"datetime" ? QStringLiteral("YYYY-MM-DD HH24:MI:SS")
            : function == u"date"            ? QStringLiteral("YYYY-MM-DD")
                                             : QStringLiteral("HH24:MI:SS");
    }
    if (!timeFormat.isEmpty())
        return column.kind == Kind::Text
            ? QByteArray("to_char(now() AT TIME ZONE 'UTC', '" + timeFormat.toUtf8() + "')")
            : QByteArray();
    if (text.compare(u"TRUE", Qt::CaseInsensitive) == 0)
        text = QStringLiteral("1");
    else if (text.compare(u"FALSE", Qt::CaseInsensitive) == 0)
        text = QStringLiteral("0");
    QString value; // the string value of a quoted default
    bool quotedValue = false;
    if (const auto match = singleQuoted.match(text); match.hasMatch()) {
        value = match.captured(1).replace(QStringLiteral("''"), QStringLiteral("'"));
        quotedValue = true;
    } else if (const auto doubled = doubleQuoted.match(text); doubled.hasMatch()) {
        value = doubled.captured(1).replace(QStringLiteral("\"\""), QStringLiteral("\""));
        quotedValue = true;
    }
    if (quotedValue) {
        // A numeric column takes a quoted number as SQLite's affinity would; other text would
        // stay text there, which the server's column cannot hold.
        if ((column.kind == Kind::Integer && !integer.match(value.trimmed()).hasMatch())
            || (column.kind == Kind::Real && !number.match(value.trimmed()).hasMatch()))
            return {};
        return "'" + value.toUtf8().replace('\'', "''") + "'";
    }
    if (!number.match(text).hasMatch())
        return {};
    if (column.kind == Kind::Integer && !integer.match(text).hasMatch())
        return {};
    // A whole number in a text column is stored as SQLite's text affinity writes it (07001 as
    // '7001'); other numbers are converted by the server.
    if (column.kind == Kind::Text && integer.match(text).hasMatch()) {
        bool ok = false;
        const qlonglong whole = text.toLongLong(&ok);
        return ok ? QByteArray("'" + QByteArray::number(whole) + "'") : QByteArray();
    }
    return text.toUtf8();
}

QByteArray pgDeclaration(const Column &column)
{
    // Rows added later (a campaign type, a do-not-email entry) get ids after the copied ones.
    if (column.primaryKey)
        return "bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY";
    const QByteArray defaultValue = pgDefault(column);
    const QByteArray withDefault = defaultValue.isEmpty() ? QByteArray() : " DEFAULT " + defaultValue;
    switch (column.kind) {
    case Kind::Integer:
        return "bigint" + withDefault;
    case Kind::Real:
        return "double precision" + withDefault;
    case Kind::Text:
        break;
    }
    return "text" + withDefault;
}

// A column of an SQLite source as the COPY to a server reads it: email_schedules' created_at and
// updated_at are NOT NULL on a server (SPEC 9 gives them a default), so a legacy row without one
// takes its other timestamp, else the time of the copy (UTC, as the server's default).
QByteArray sqliteSelected(const Table &table, const QString &column)
{
    if (!isSchedules(table.name) || (column != u"created_at" && column != u"updated_at"))
        return quoted(column);
    const QString other
        = column == u"created_at" ? QStringLiteral("updated_at") : QStringLiteral("created_at");
    const bool hasOther = std::any_of(table.columns.begin(), table.columns.end(),
                                      [&other](const Column &c) { return c.name == other; });
    return "coalesce(" + quoted(column) + ", " + (hasOther ? quoted(other) + ", " : QByteArray())
        + "strftime('%Y-%m-%d %H:%M:%S', 'now'))";
}

Result<qint64> sqliteCount(const OrgDatabase &db, const QString &table)
{
    auto count = Statement::prepare(db, QString::fromUtf8("SELECT count(*) FROM " + quoted(table)),
                                    tr("count the rows of"));
    if (!count)
        return count.error();
    auto row = count->step();
    if (!row)
        return row.error();
    return count->int64(0);
}

Result<QList<OrgCopy::TableCount>> sqliteToPg(const QString &from, const QString &to,
                                              const std::function<bool()> &isCanceled)
{
    auto source = OrgDatabase::open(from, OrgDatabase::Mode::ReadOnly);
    if (!source)
        return source.error();
    auto tables = sqliteTables(*source);
    if (!tables)
        return tables.error();
    auto target = PgConnection::connect(to, QStringLiteral("email-scheduler copy-db"));
    if (!target)
        return target.error();
    const QString action = tr("copy the organisation to");
    if (target->hasTable(QStringLiteral("contacts")))
        return dbError(
            DbErrorKind::Other,
            tr("%1 already has a `contacts` table; copy-db only fills a database without one. Drop "
               "the tables or choose another database.")
                .arg(target->name()));
    if (auto r = target->exec("BEGIN", action); !r)
        return r.error();
    // email_schedules and the runs table in the target's own definition; contacts first, as
    // the schedules refer to it.
    for (const Table &table : *tables) {
        if (isSchedules(table.name) || isRuns(table.name))
            continue;
        QByteArray sql = "CREATE TABLE " + quoted(table.name) + " (";
        for (qsizetype i = 0; i < table.columns.size(); ++i)
            sql += (i ? ", " : "") + quoted(table.columns[i].name) + ' ' + pgDeclaration(table.columns[i]);
        if (auto r = target->exec(sql + ')', action); !r)
            return r.error();
    }
    if (auto r = PgSchema::ensure(*target); !r)
        return r.error();
    const QString runsTarget = PgSchema::runsTable(*target);

    QList<OrgCopy::TableCount> counts;
    for (const Table &table : *tables) {
        const QString targetName = isRuns(table.name) ? runsTarget : table.name;
        const QStringList existing = target->columns(targetName);
        for (const Column &column : table.columns) {
            if (!existing.contains(column.name, Qt::CaseInsensitive)) {
                if (auto r = target->exec(
                        "ALTER TABLE " + quoted(targetName) + " ADD COLUMN " + quoted(column.name) + ' '
                            + (column.primaryKey ? QByteArray("bigint") : pgDeclaration(column)),
                        action);
                    !r)
                    return r.error();
            }
        }
        QByteArray select = "SELECT ";
        QByteArray names;
        for (qsizetype i = 0; i < table.columns.size(); ++i) {
            select += (i ? ", " : "") + sqliteSelected(table, table.columns[i].name);
            names += (i ? ", " : "") + quoted(table.columns[i].name);
        }
        auto rows = Statement::prepare(*source, QString::fromUtf8(select + " FROM " + quoted(table.name)),
                                       tr("read"));
        if (!rows)
            return rows.error();
        std::optional<Error> readError;
        const int columnCount = int(table.columns.size());
        auto copied = target->copyIn("COPY " + quoted(targetName) + " (" + names + ") FROM STDIN", action,
                                     [&](QByteArray &buffer) {
                                         for (int n = 0; n < 1024; ++n) {
                                             auto row = rows->step();
                                             if (!row) {
                                                 readError = row.error();
                                                 return false;
                                             }
                                             if (!*row)
                                                 return false;
                                             for (int c = 0; c < columnCount; ++c)
                                                 pgCopyField(buffer,
                                                             rows->isNull(c)              ? QByteArrayView()
                                                                 : rows->utf8(c).isNull() ? QByteArrayView("")
                                                                                          : rows->utf8(c),
                                                             c == 0);
                                             buffer += '\n';
                                         }
                                         return !(isCanceled && isCanceled());
                                     });
        if (readError)
            return *readError;
        if (!copied)
            return copied.error();
        if (isCanceled && isCanceled())
            return cancelled(target->name());
        auto sourceCount = sqliteCount(*source, table.name);
        if (!sourceCount)
            return sourceCount.error();
        auto targetCount = target->query("SELECT count(*) FROM " + quoted(targetName), action);
        if (!targetCount)
            return targetCount.error();
        if (targetCount->int64(0, 0) != *sourceCount)
            return dbError(DbErrorKind::Other,
                           tr("Copying %1 to %2 gave %3 rows instead of %4; nothing was copied.")
                               .arg(table.name, target->name())
                               .arg(targetCount->int64(0, 0))
                               .arg(*sourceCount));
        // Serial and identity ids go on after the copied ones.
        QByteArray key;
        if (isSchedules(table.name) || isRuns(table.name))
            key = "id";
        for (const Column &column : table.columns) {
            if (column.primaryKey)
                key = column.name.toUtf8();
        }
        if (!key.isEmpty())
            (void)target->query("SELECT setval(pg_get_serial_sequence($1, $2), coalesce(max("
                                    + quoted(QString::fromUtf8(key)) + "), 0) + 1, false) FROM "
                                    + quoted(targetName),
                                action, { quoted(targetName), key });
        counts.append({ table.name, *sourceCount });
    }
    if (auto r = target->exec("COMMIT", action); !r)
        return r.error();
    return counts;
}

// --- PostgreSQL source ---------------------------------------------------------------------

Result<QList<Table>> pgTables(const PgConnection &db)
{
    const QString action = tr("read the tables of");
    auto names = db.query(
        "SELECT c.relname::text FROM pg_class c WHERE c.relnamespace = current_schema()::regnamespace "
        "AND c.relkind IN ('r', 'p') ORDER BY c.relname = 'contacts' DESC, c.relname",
        action);
    if (!names)
        return names.error();
    QList<Table> tables;
    for (int r = 0; r < names->rows(); ++r) {
        Table table { names->text(r, 0), {} };
        auto columns = db.query("SELECT a.attname::text, a.atttypid::regtype::text, coalesce((SELECT "
                                "array_length(i.indkey, 1) = 1 AND "
                                "i.indkey[0] = a.attnum FROM pg_index i WHERE i.indrelid = a.attrelid AND "
                                "i.indisprimary), false) FROM "
                                "pg_attribute a WHERE a.attrelid = to_regclass($1) AND a.attnum > 0 AND NOT "
                                "a.attisdropped ORDER BY "
                                "a.attnum",
                                action, { quoted(table.name) });
        if (!columns)
            return columns.error();
        for (int c = 0; c < columns->rows(); ++c) {
            Column column;
            column.name = columns->text(c, 0);
            column.pgType = columns->text(c, 1);
            if (column.pgType == u"bigint" || column.pgType == u"integer" || column.pgType == u"smallint")
                column.kind = Kind::Integer;
            else if (column.pgType == u"double precision" || column.pgType == u"real"
                     || column.pgType == u"numeric")
                column.kind = Kind::Real;
            column.primaryKey = columns->value(c, 2) == "t" && column.kind == Kind::Integer;
            table.columns.append(column);
        }
        tables.append(table);
    }
    return tables;
}

QByteArray sqliteDeclaration(const Column &column)
{
    if (column.primaryKey)
        return "INTEGER PRIMARY KEY";
    switch (column.kind) {
    case Kind::Integer:
        return "INTEGER";
    case Kind::Real:
        return "REAL";
    case Kind::Text:
        break;
    }
    return "TEXT";
}

// A PostgreSQL column read as the text SQLite files hold: timestamps with a time zone as
// ISO 8601 UTC ("2024-05-01T12:00:00Z", as RunHistory writes them), booleans as 0/1.
QByteArray pgReadExpression(const Column &column)
{
    const QByteArray name = quoted(column.name);
    if (column.pgType == u"timestamp with time zone")
        return "to_char(" + name + " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')";
    if (column.pgType == u"boolean")
        return name + "::int::text";
    return name + "::text";
}

Result<QList<OrgCopy::TableCount>> pgToSqlite(const QString &from, const QString &to,
                                              const std::function<bool()> &isCanceled)
{
    const QString shown = QDir::toNativeSeparators(to);
    if (QFileInfo::exists(to))
        return dbError(
            DbErrorKind::Other,
            tr("%1 already exists; copy-db writes a new file. Choose another name or remove it.").arg(shown));
    auto source = PgSchema::openOrganisation(from, QStringLiteral("email-scheduler copy-db"));
    if (!source)
        return source.error();
    // A consistent view of the whole source.
    if (auto r = source->exec("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", tr("read")); !r)
        return r.error();
    auto tables = pgTables(*source);
    if (!tables)
        return tables.error();

    const QString partial = to + QStringLiteral(".partial");
    QFile::remove(partial);
    struct Cleanup
    {
        QString path;
        bool keep = false;
        ~Cleanup()
        {
            if (!keep)
                QFile::remove(path);
        }
    } cleanup { partial };
    QList<OrgCopy::TableCount> counts;
    {
        auto created = OrgDatabase::create(partial);
        if (!created)
            return created.error();
        OrgDatabase &target = *created;
        const QString action = tr("write");
        for (const Table &table : *tables) {
            if (isSchedules(table.name) || isRuns(table.name))
                continue;
            QByteArray sql = "CREATE TABLE " + quoted(table.name) + " (";
            for (qsizetype i = 0; i < table.columns.size(); ++i)
                sql += (i ? ", " : "") + quoted(table.columns[i].name) + ' '
                    + sqliteDeclaration(table.columns[i]);
            if (auto r = target.exec(QByteArray(sql + ')').constData(), action); !r)
                return r.error();
        }
        if (!target.hasTable(QStringLiteral("contacts")))
            return dbError(DbErrorKind::NoContactsTable,
                           tr("%1 has no `contacts` table.").arg(source->name()));
        if (auto r = target.ensureSchema(); !r)
            return r.error();
        const QString runsTarget = target.runsTable();
        auto transaction = Transaction::begin(target, action);
        if (!transaction)
            return transaction.error();
        for (const Table &table : *tables) {
            const QString targetName = isRuns(table.name) ? runsTarget : table.name;
            const QStringList existing = target.columns(targetName);
            for (const Column &column : table.columns) {
                if (existing.contains(column.name, Qt::CaseInsensitive))
                    continue;
                const QByteArray sql = "ALTER TABLE " + quoted(targetName) + " ADD COLUMN "
                    + quoted(column.name) + ' '
                    + (column.primaryKey ? QByteArray("INTEGER") : sqliteDeclaration(column));
                if (auto r = target.exec(sql.constData(), action); !r)
                    return r.error();
            }
            QByteArray select = "SELECT ";
            QByteArray names;
            QByteArray placeholders;
            for (qsizetype i = 0; i < table.columns.size(); ++i) {
                select += (i ? ", " : "") + pgReadExpression(table.columns[i]);
                names += (i ? ", " : "") + quoted(table.columns[i].name);
                placeholders += (i ? ", ?" : "?");
            }
            auto insert = Statement::prepare(target,
                                             QString::fromUtf8("INSERT INTO " + quoted(targetName) + " ("
                                                               + names + ") VALUES (" + placeholders + ')'),
                                             action);
            if (!insert)
                return insert.error();
            std::optional<Error> writeError;
            qint64 written = 0;
            auto copied = source->copyOut("COPY (" + select + " FROM " + quoted(table.name) + ") TO STDOUT",
                                          tr("read"), [&](const PgCopyRow &row) {
                                              insert->reset();
                                              for (int c = 0; c < row.size(); ++c) {
                                                  if (row.isNull(c))
                                                      insert->bindNull(c + 1);
                                                  else
                                                      insert->bindUtf8(c + 1, row.utf8(c));
                                              }
                                              if (auto r = insert->exec(); !r) {
                                                  writeError = r.error();
                                                  return false;
                                              }
                                              ++written;
                                              return !(isCanceled && isCanceled());
                                          });
            if (writeError)
                return *writeError;
            if (!copied)
                return dbError(dbErrorKind(copied.error()), copied.errorMessage());
            auto sourceCount = source->query("SELECT count(*) FROM " + quoted(table.name), tr("read"));
            if (!sourceCount)
                return sourceCount.error();
            auto targetCount = sqliteCount(target, targetName);
            if (!targetCount)
                return targetCount.error();
            if (*targetCount != sourceCount->int64(0, 0))
                return dbError(DbErrorKind::Other,
                               tr("Copying %1 to %2 gave %3 rows instead of %4; nothing was copied.")
                                   .arg(table.name, shown)
                                   .arg(*targetCount)
                                   .arg(sourceCount->int64(0, 0)));
            counts.append({ table.name, *targetCount });
        }
        if (isCanceled && isCanceled())
            return cancelled(shown);
        if (auto r = transaction->commit(); !r)
            return r.error();
    }
    if (!QFile::rename(partial, to))
        return dbError(DbErrorKind::Io,
                       tr("Could not create %1 (renaming the finished copy failed).").arg(shown));
    cleanup.keep = true;
    return counts;
}

} // namespace

namespace OrgCopy {

Result<QList<TableCount>> copy(const QString &from, const QString &to,
                               const std::function<bool()> &isCanceled)
{
    const bool fromServer = PgSpec::isConnectionSpec(from);
    const bool toServer = PgSpec::isConnectionSpec(to);
    if (fromServer == toServer)
        return dbError(
            DbErrorKind::Other,
            tr("copy-db copies between an SQLite file and a PostgreSQL database: one of --from and "
               "--to must be a file, the other a postgresql:// connection."));
    return fromServer ? pgToSqlite(from, to, isCanceled) : sqliteToPg(from, to, isCanceled);
}

} // namespace OrgCopy
