#pragma once

#include <QByteArray>
#include <QCryptographicHash>
#include <QDebug>
#include <QDir>
#include <QFile>
#include <QString>
#include <QStringList>

#include <sqlite3.h>

// Raw SQLite and file helpers for tests that build or inspect databases behind the code under
// test's back (deliberately not through OrgDatabase). One copy serves every suite.
namespace SqliteTestUtil {

// Runs `sql` (one or more statements) on `path`, creating the file if needed. On failure the
// message goes to `error` when given, otherwise to the test log.
inline bool execSql(const QString &path, const QByteArray &sql, QString *error = nullptr)
{
    sqlite3 *db = nullptr;
    sqlite3_open_v2(QFile::encodeName(path).constData(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
                    nullptr);
    char *message = nullptr;
    const int rc = sqlite3_exec(db, sql.constData(), nullptr, nullptr, &message);
    if (error)
        *error = QString::fromUtf8(message ? message : "");
    else if (rc != SQLITE_OK)
        qWarning() << message;
    sqlite3_free(message);
    sqlite3_close(db);
    return rc == SQLITE_OK;
}

// Rows of a query as "a|b|c" lines (NULL for NULL), or one "ERROR: …" line. Opens read-write on
// purpose: a read-only open of the code under test's own kind is not what is checked.
inline QStringList rows(const QString &path, const QByteArray &sql)
{
    sqlite3 *db = nullptr;
    sqlite3_open_v2(QFile::encodeName(path).constData(), &db, SQLITE_OPEN_READWRITE, nullptr);
    sqlite3_stmt *stmt = nullptr;
    QStringList result;
    if (sqlite3_prepare_v2(db, sql.constData(), -1, &stmt, nullptr) == SQLITE_OK) {
        while (sqlite3_step(stmt) == SQLITE_ROW) {
            QStringList fields;
            for (int c = 0; c < sqlite3_column_count(stmt); ++c) {
                const auto *text = reinterpret_cast<const char *>(sqlite3_column_text(stmt, c));
                fields << (text ? QString::fromUtf8(text) : QStringLiteral("NULL"));
            }
            result << fields.join(u'|');
        }
    } else {
        result << QStringLiteral("ERROR: ") + QString::fromUtf8(sqlite3_errmsg(db));
    }
    sqlite3_finalize(stmt);
    sqlite3_close(db);
    return result;
}

// The first column of the first row of `sql` (one optional text parameter `bound`), read
// through a read-only connection; -1 when the query fails or returns nothing.
inline qint64 scalar(const QString &path, const QString &sql, const QString &bound = QString())
{
    sqlite3 *db = nullptr;
    qint64 value = -1;
    if (sqlite3_open_v2(QFile::encodeName(path).constData(), &db, SQLITE_OPEN_READONLY, nullptr)
        == SQLITE_OK) {
        sqlite3_stmt *stmt = nullptr;
        const QByteArray text = sql.toUtf8();
        const QByteArray arg = bound.toUtf8();
        if (sqlite3_prepare_v2(db, text.constData(), -1, &stmt, nullptr) == SQLITE_OK) {
            if (!bound.isNull())
                sqlite3_bind_text(stmt, 1, arg.constData(), int(arg.size()), SQLITE_TRANSIENT);
            if (sqlite3_step(stmt) == SQLITE_ROW)
                value = sqlite3_column_int64(stmt, 0);
        }
        sqlite3_finalize(stmt);
    }
    sqlite3_close(db);
    return value;
}

inline qint64 contactCount(const QString &path)
{
    return scalar(path, QStringLiteral("SELECT COUNT(*) FROM contacts"));
}

// A file's bytes; empty when it cannot be read.
inline QByteArray readAll(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

// SHA-256 of a file's bytes; empty when it cannot be read.
inline QByteArray fileHash(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QCryptographicHash::hash(file.readAll(), QCryptographicHash::Sha256);
}

// Every entry of a folder, hidden ones included (to see -wal, -shm and -journal files).
inline QStringList listing(const QString &folder)
{
    return QDir(folder).entryList(QDir::AllEntries | QDir::Hidden | QDir::System | QDir::NoDotAndDotDot);
}

// Makes a folder read-only (no new files in it) or writable again; true when that worked.
inline bool setFolderReadOnly(const QString &folder, bool readOnly)
{
    return QFile::setPermissions(folder,
                                 readOnly
                                     ? QFile::ReadOwner | QFile::ExeOwner | QFile::ReadGroup | QFile::ExeGroup
                                     : QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
}

// The contacts columns after `id`, as the specification lists them, for CREATE TABLE.
inline const char *contactColumns()
{
    return "first_name TEXT, last_name TEXT, email TEXT, current_carrier TEXT, plan_type TEXT, "
           "effective_date TEXT, birth_date TEXT, gender TEXT, state TEXT, zip_code TEXT, phone_number TEXT, "
           "status TEXT";
}

} // namespace SqliteTestUtil
