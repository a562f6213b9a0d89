#include "storage/pg/pgcontactquery.h"

#include "engine.h"
#include "storage/pg/pgcontactsource.h"

#include <QCoreApplication>
#include <QHash>

#include <algorithm>
#include <cstring>
#include <vector>

using namespace ContactColumn;

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("ContactQuery", text);
}

// The column as text, or NULL when the table lacks it.
QByteArray textColumn(const QStringList &existing, int column)
{
    const QLatin1StringView name = storedColumn(column);
    if (!existing.contains(name, Qt::CaseInsensitive))
        return "NULL";
    return '"' + QByteArray(name.data(), name.size()) + "\"::text";
}

void setField(Contact &contact, int column, QString text)
{
    if (column > Id && column < Problems && Members[std::size_t(column)])
        contact.*Members[std::size_t(column)] = std::move(text);
}

// One contact of the index: its id and its sort key (a number, or bytes in the arena), NULL
// keys first as SQLite sorts them.
struct Entry
{
    qint64 id = 0;
    qint64 number = 0;
    quint32 offset = 0;
    quint32 length = 0;
    bool null = false;
};

enum class KeyKind : quint8 { Id, Text, Date, Problems };

KeyKind keyKind(int column)
{
    if (column == Problems)
        return KeyKind::Problems;
    if (column <= Id || column >= Problems)
        return KeyKind::Id;
    return isDateColumn(column) ? KeyKind::Date : KeyKind::Text;
}

// The columns a problem check reads (ContactQuery::problemKey).
constexpr quint32 CheckedColumns
    = (1u << Email) | (1u << State) | (1u << Zip) | (1u << BirthDate) | (1u << EffectiveDate);

} // namespace

namespace PgContactQuery {

Result<QList<qint64>> buildIndex(PgContactSource &source, const ContactIndexRequest &request,
                                 const std::function<bool()> &isCancelled)
{
    PgConnection &db = source.connection();
    const ContactFilter &filter = request.filter;
    if (ContactQuery::nothingCanMatch(filter, [&db](const QString &table) { return db.hasTable(table); }))
        return QList<qint64>();

    const bool predicate = !filter.isPredicateEmpty();
    const int sortColumn
        = request.sortColumn >= 0 && request.sortColumn < ColumnCount ? request.sortColumn : Id;
    const KeyKind kind = keyKind(sortColumn);
    quint32 needed = predicate ? filter.usedColumns() : 0;
    if (kind == KeyKind::Text || kind == KeyKind::Date)
        needed |= 1u << sortColumn;
    else if (kind == KeyKind::Problems)
        needed |= CheckedColumns;
    std::vector<int> columns; // in the order of the COPY's fields after the id
    QByteArray sql = "COPY (SELECT " + source.idExpression();
    for (int c = FirstName; c < Problems; ++c) {
        if (needed & (1u << c)) {
            columns.push_back(c);
            sql += ", " + textColumn(source.contactColumns(), c);
        }
    }
    // Rows whose id is no whole number name no contact the table could show.
    QStringList conditions { QString::fromLatin1(source.idExpression() + " IS NOT NULL") };
    conditions << ContactQuery::listConditions(filter, ContactQuery::Dialect::Postgres,
                                               QString::fromLatin1(source.idExpression()));
    sql += " FROM contacts WHERE " + conditions.join(QStringLiteral(" AND ")).toUtf8() + ") TO STDOUT";

    std::vector<Entry> entries;
    QByteArray arena;
    qint64 seen = 0;
    bool cancelled = false;
    const auto addBytes = [&arena](Entry &entry, QByteArrayView bytes, bool foldAscii) {
        entry.offset = quint32(arena.size());
        entry.length = quint32(bytes.size());
        arena.append(bytes);
        if (foldAscii) {
            // SQLite's NOCASE: ASCII letters folded, the rest compared as bytes.
            char *data = arena.data() + entry.offset;
            for (quint32 i = 0; i < entry.length; ++i) {
                if (data[i] >= 'A' && data[i] <= 'Z')
                    data[i] = char(data[i] + ('a' - 'A'));
            }
        }
    };
    auto copied = db.copyOut(sql, tr("read the contacts of"), [&](const PgCopyRow &row) {
        if (isCancelled && (++seen & 1023) == 0 && isCancelled()) {
            cancelled = true;
            return false;
        }
        Contact contact;
        contact.id = row.int64(0);
        if (predicate || kind == KeyKind::Problems) {
            for (std::size_t i = 0; i < columns.size(); ++i)
                setField(contact, columns[i], row.text(int(i) + 1));
            if (predicate && !filter.matches(contact, request.today))
                return true;
        }
        Entry entry;
        entry.id = contact.id;
        switch (kind) {
        case KeyKind::Id:
            break;
        case KeyKind::Text: {
            const int field
                = int(std::find(columns.begin(), columns.end(), sortColumn) - columns.begin()) + 1;
            entry.null = row.isNull(field);
            if (!entry.null)
                addBytes(entry, row.utf8(field), true);
            break;
        }
        case KeyKind::Date: {
            const int field
                = int(std::find(columns.begin(), columns.end(), sortColumn) - columns.begin()) + 1;
            const std::optional<qint64> day = row.isNull(field)
                ? std::nullopt
                : ContactQuery::dateKey(QString::fromUtf8(row.utf8(field)));
            entry.null = !day;
            entry.number = day.value_or(0);
            break;
        }
        case KeyKind::Problems: {
            const QByteArray summary = ContactQuery::problemKey(contact, request.today);
            entry.null = summary.isEmpty();
            if (!entry.null)
                addBytes(entry, summary, false);
            break;
        }
        }
        entries.push_back(entry);
        return true;
    });
    if (cancelled || (!copied && copied.error().is(DbErrorKind::Cancelled)))
        return dbError(DbErrorKind::Cancelled, tr("Cancelled."));
    if (!copied)
        return copied.error();

    // ORDER BY key, id ascending; the descending order is its exact reverse (the ids are unique).
    const char *bytes = arena.constData();
    const auto less = [kind, bytes](const Entry &a, const Entry &b) {
        if (kind != KeyKind::Id) {
            if (a.null != b.null)
                return a.null;
            if (!a.null) {
                if (kind == KeyKind::Date) {
                    if (a.number != b.number)
                        return a.number < b.number;
                } else {
                    const int c
                        = std::memcmp(bytes + a.offset, bytes + b.offset, std::min(a.length, b.length));
                    if (c != 0)
                        return c < 0;
                    if (a.length != b.length)
                        return a.length < b.length;
                }
            }
        }
        return a.id < b.id;
    };
    std::sort(entries.begin(), entries.end(), less);
    if (isCancelled && isCancelled())
        return dbError(DbErrorKind::Cancelled, tr("Cancelled."));
    QList<qint64> ids;
    ids.reserve(qsizetype(entries.size()));
    if (request.order == Qt::AscendingOrder) {
        for (const Entry &entry : entries)
            ids.append(entry.id);
    } else {
        for (auto it = entries.rbegin(); it != entries.rend(); ++it)
            ids.append(it->id);
    }
    return ids;
}

Result<QList<ContactRow>> fetchRows(PgContactSource &source, const QList<qint64> &ids, QDate today)
{
    QList<ContactRow> rows;
    if (ids.isEmpty())
        return rows;
    QByteArray sql = "SELECT " + source.idExpression();
    for (int c = FirstName; c < Problems; ++c)
        sql += ", " + textColumn(source.contactColumns(), c);
    sql += " FROM contacts WHERE " + source.idExpression() + " = ANY($1::bigint[])";
    QByteArray array = "{";
    for (qsizetype i = 0; i < ids.size(); ++i) {
        if (i)
            array += ',';
        array += QByteArray::number(ids[i]);
    }
    array += '}';
    auto result = source.connection().query(sql, tr("read contacts from"), { array });
    if (!result)
        return result.error();

    QHash<qint64, ContactRow> byId;
    byId.reserve(result->rows());
    for (int r = 0; r < result->rows(); ++r) {
        ContactRow row;
        row.contact.id = result->int64(r, 0);
        for (int c = FirstName; c < Problems; ++c)
            setField(row.contact, c, result->text(r, c));
        row.problems = Engine::checkContact(row.contact, today).problems;
        byId.insert(row.contact.id, std::move(row));
    }
    return ContactQuery::inOrder(ids, byId);
}

} // namespace PgContactQuery
