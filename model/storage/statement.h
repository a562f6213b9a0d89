#pragma once

#include "result.h"

#include <QByteArrayView>
#include <QString>

#include <functional>

class OrgDatabase;
struct sqlite3;
struct sqlite3_stmt;

// One prepared SQLite statement on an OrgDatabase connection (RAII: finalized in the destructor).
// Errors are built by the connection's errorFor() from SQLite's message while that message is
// still valid, i.e. before the statement is finalized or a transaction rolled back. Move-only.
class Statement final
{
public:
    // `action` is the verb phrase used in error messages, e.g. "read contacts from".
    static Result<Statement> prepare(const OrgDatabase &db, const QString &sql, const QString &action);
    static Result<Statement> prepare(const OrgDatabase &db, const char *sql, const QString &action);

    Statement(Statement &&other) noexcept;
    Statement &operator=(Statement &&other) noexcept;
    Statement(const Statement &) = delete;
    Statement &operator=(const Statement &) = delete;
    ~Statement();

    // Binding (1-based index). A failed bind is remembered and reported by the next step().
    Statement &bind(int index, qint64 value);
    Statement &bind(int index, int value) { return bind(index, qint64(value)); }
    Statement &bind(int index, double value);
    Statement &bind(int index, const QString &text);  // a null QString binds NULL
    Statement &bindText(int index, QStringView text); // always text: a null string binds ''
    Statement &bindNull(int index);
    // UTF-8 bytes bound without a copy: they must stay unchanged until the statement has been
    // stepped (bulk inserts from reused buffers). A null view binds NULL.
    Statement &bindUtf8(int index, QByteArrayView utf8);

    // true: a row is ready; false: done. Errors (including an earlier failed bind) are mapped.
    Result<bool> step();
    // Steps until done, ignoring any rows.
    Result<void> exec();
    // Ready to be stepped again with new bindings (old bindings are kept until rebound).
    void reset();
    void clearBindings();

    // The storage class of a column's value in the current row.
    enum class Type { Integer, Real, Text, Blob, Null };

    int columnCount() const;
    Type type(int column) const;
    int bytes(int column) const; // size of the text or blob in bytes
    bool isNull(int column) const;
    qint64 int64(int column) const;
    double real(int column) const;
    QString text(int column) const; // a null QString for NULL
    // The column's UTF-8 text without a copy, valid until the next step/reset; null for NULL.
    QByteArrayView utf8(int column) const;
    QString columnName(int column) const;

    // The error for an SQLite result code, read now (while the message is valid).
    Error error(int sqliteCode) const;
    const QString &action() const { return m_action; }
    // The verb phrase for errors of later steps, when it differs from the one of the prepare.
    void setAction(const QString &action) { m_action = action; }

private:
    Statement(const OrgDatabase &db, sqlite3_stmt *stmt, QString action);

    const OrgDatabase *m_db = nullptr;
    sqlite3_stmt *m_stmt = nullptr;
    QString m_action;
    int m_bindError = 0; // SQLite code of the first failed bind since the last step
};

// BEGIN IMMEDIATE ... COMMIT on an OrgDatabase; rolled back in the destructor unless committed.
class Transaction final
{
public:
    static Result<Transaction> begin(OrgDatabase &db, const QString &action);

    Transaction(Transaction &&other) noexcept;
    Transaction &operator=(Transaction &&) = delete;
    Transaction(const Transaction &) = delete;
    Transaction &operator=(const Transaction &) = delete;
    ~Transaction();

    // Commits; on failure the transaction is rolled back (the error is read first). `action`
    // names what failed; the one given to begin() when empty.
    Result<void> commit(const QString &action = QString());
    // Rolls back now (also done by the destructor).
    void rollback();
    bool isActive() const { return m_db != nullptr; }

private:
    Transaction(OrgDatabase &db, QString action);

    OrgDatabase *m_db = nullptr;
    QString m_action;
};

// Installs an SQLite progress handler that interrupts the running statement once `cancelled`
// returns true; the handler is removed in the destructor. An empty function installs nothing.
class CancelScope final
{
public:
    CancelScope(const OrgDatabase &db, std::function<bool()> cancelled, int instructions = 2000);
    CancelScope(const CancelScope &) = delete;
    CancelScope &operator=(const CancelScope &) = delete;
    ~CancelScope();

    bool isCancelled() const { return m_cancelled && m_cancelled(); }
    // Removes the handler now (e.g. before a COMMIT that must not be interrupted); idempotent.
    void remove();

private:
    static int onProgress(void *self);

    sqlite3 *m_db = nullptr;
    std::function<bool()> m_cancelled;
};
