#include "csv/importtarget.h"

#include "csv/csverror.h"
#include "storage/csvsqlite.h"
#include "storage/pg/pgconnection.h"
#include "storage/pg/pgcontactsource.h"

#include <QCoreApplication>

namespace ContactImport {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("ContactImport", text);
}

// A value as a text parameter: never NULL, as SQLite binds every field as text ('' for none).
QByteArray parameter(const QString &value)
{
    QByteArray bytes = value.toUtf8();
    return bytes.isNull() ? QByteArray("") : bytes;
}

// The write step on a PostgreSQL server: one transaction that holds a lock on `contacts` against
// other writers (readers and runs go on: they only read contacts), the stored emails in a
// temporary table dropped at the commit, one statement per row.
class PgImportTarget final : public ImportTarget
{
public:
    explicit PgImportTarget(std::unique_ptr<PgContactSource> source)
        : m_source(std::move(source)), m_db(m_source->connection())
    { }

    ~PgImportTarget() override
    {
        if (!m_committed)
            (void)m_db.exec("ROLLBACK", QString());
    }

    Result<void> start(const Mapping &mapping)
    {
        const QByteArray id = m_source->idExpression();
        // A second import waits here until the first has committed, then finds its contacts.
        if (auto r = m_db.exec("BEGIN; SET LOCAL lock_timeout = '60s'; "
                               "LOCK TABLE contacts IN SHARE ROW EXCLUSIVE MODE",
                               tr("start the import into"));
            !r)
            return r;
        // SQLite's lower() folds ASCII letters only; so does PostgreSQL's under "C". The lowest
        // id wins an email several contacts share.
        if (auto r = m_db.exec("CREATE TEMP TABLE es_import_emails (email text PRIMARY KEY, id bigint) "
                               "ON COMMIT DROP; "
                               "INSERT INTO es_import_emails (email, id) SELECT lower(trim(email::text) "
                               "COLLATE \"C\"), "
                                   + id + " FROM contacts WHERE email IS NOT NULL ORDER BY " + id
                                   + " ON CONFLICT DO NOTHING",
                               tr("read the contacts of"));
            !r)
            return r;

        auto described = m_db.query(
            "SELECT a.attname, a.attnotnull, a.atthasdef OR a.attidentity <> '', "
            "EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = a.attrelid AND i.indisprimary AND a.attnum "
            "= "
            "ANY(i.indkey)), format_type(a.atttypid, a.atttypmod) FROM pg_attribute a WHERE a.attrelid = "
            "to_regclass('contacts') AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum",
            tr("read the contacts table of"));
        if (!described)
            return described.error();
        QList<TableColumn> columns;
        QString idType;
        bool idHasDefault = false;
        QString updatedAtType;
        for (int r = 0; r < described->rows(); ++r) {
            TableColumn c;
            c.name = described->text(r, 0);
            c.notNull = described->text(r, 1) == u"t";
            c.hasDefault = described->text(r, 2) == u"t";
            c.primaryKey = described->text(r, 3) == u"t";
            const QString type = described->text(r, 4);
            c.numeric = type.contains(u"int") || type.contains(u"numeric") || type.contains(u"bool")
                || type.contains(u"real") || type.contains(u"double");
            if (c.name == u"id") {
                idType = type;
                idHasDefault = c.hasDefault;
            }
            if (c.name == u"updated_at")
                updatedAtType = type;
            columns.append(c);
        }
        auto plan = planColumns(columns, mapping, m_db.name());
        if (!plan)
            return plan.error();
        m_plan = std::move(plan).value();

        // SQLite numbers a new contact max(id) + 1; a table copied from a file has no sequence.
        QStringList names = m_plan.insertNames;
        if (!idHasDefault && (idType == u"bigint" || idType == u"integer")) {
            auto max = m_db.query("SELECT coalesce(max(id), 0) FROM contacts", tr("read the contacts of"));
            if (!max)
                return max.error();
            m_nextId = max->int64(0, 0) + 1;
            names.prepend(QStringLiteral("\"id\""));
        }
        names += m_plan.fillerNames;
        QStringList placeholders;
        for (qsizetype i = 0; i < names.size(); ++i)
            placeholders << u'$' + QString::number(i + 1);
        m_insertSql = "WITH inserted AS (INSERT INTO contacts (" + names.join(u',').toUtf8() + ") VALUES ("
            + placeholders.join(u',').toUtf8() + ") RETURNING " + id
            + ") INSERT INTO es_import_emails (email, id) SELECT $" + QByteArray::number(names.size() + 1)
            + ", * FROM inserted ON CONFLICT DO NOTHING";

        QStringList sets;
        for (qsizetype i = 0; i < m_plan.updateNames.size(); ++i)
            sets << m_plan.updateNames[i] + QStringLiteral(" = $") + QString::number(i + 1);
        if (m_plan.hasUpdatedAt)
            sets << (updatedAtType == u"text"
                         ? QStringLiteral("\"updated_at\" = to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD "
                                          "HH24:MI:SS')")
                         : QStringLiteral("\"updated_at\" = now()"));
        m_updateSql = "UPDATE contacts SET " + sets.join(u',').toUtf8() + " WHERE " + id + " = $"
            + QByteArray::number(m_plan.updateNames.size() + 1);
        return {};
    }

    Result<std::optional<qint64>> find(const QString &emailKey) override
    {
        auto found = m_db.query("SELECT id FROM es_import_emails WHERE email = $1",
                                tr("import contacts into"), { parameter(emailKey) });
        if (!found)
            return found.error();
        std::optional<qint64> id;
        if (found->rows() > 0)
            id = found->int64(0, 0);
        return id;
    }

    Result<void> insert(const Contact &contact, const QString &emailKey) override
    {
        QList<QByteArray> params;
        if (m_nextId)
            params << QByteArray::number(m_nextId);
        for (Field f : std::as_const(m_plan.insertFields))
            params << parameter(fieldValue(contact, f));
        for (const bool numeric : std::as_const(m_plan.fillerNumeric))
            params << QByteArray(numeric ? "0" : "");
        params << parameter(emailKey);
        auto done = m_db.query(m_insertSql, tr("import contacts into"), params);
        if (!done)
            return done.error();
        if (m_nextId)
            ++m_nextId;
        return {};
    }

    Result<void> update(qint64 id, const Contact &contact) override
    {
        QList<QByteArray> params;
        for (Field f : std::as_const(m_plan.updateFields))
            params << parameter(fieldValue(contact, f));
        params << QByteArray::number(id);
        auto done = m_db.query(m_updateSql, tr("import contacts into"), params);
        if (!done)
            return done.error();
        return {};
    }

    Result<void> commit() override
    {
        if (auto r = m_db.exec("COMMIT", tr("import contacts into")); !r)
            return CsvSqlite::fromDbError(r.error());
        m_committed = true;
        return {};
    }

private:
    std::unique_ptr<PgContactSource> m_source;
    PgConnection &m_db;
    ColumnPlan m_plan;
    QByteArray m_insertSql;
    QByteArray m_updateSql;
    qint64 m_nextId = 0; // 0: the table numbers new contacts itself
    bool m_committed = false;
};

} // namespace

Result<std::unique_ptr<ImportTarget>> openPgImportTarget(const QString &spec, const Mapping &mapping,
                                                         OnConflict)
{
    auto source = PgContactSource::open(spec);
    if (!source)
        return CsvSqlite::fromDbError(source.error());
    auto target = std::make_unique<PgImportTarget>(std::move(source).value());
    if (auto started = target->start(mapping); !started)
        return CsvSqlite::fromDbError(started.error());
    return std::unique_ptr<ImportTarget>(std::move(target));
}

} // namespace ContactImport
