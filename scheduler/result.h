#pragma once

#include <QString>

#include <any>
#include <concepts>
#include <optional>
#include <type_traits>
#include <utility>
#include <variant>

// A layer's kinds of failure: a scoped enum (`enum class`) such as storage's DbErrorKind or the
// CSV layer's CsvErrorKind. Plain enums and integers are refused, so kinds never share numbers.
template<typename E>
concept ErrorKindEnum = std::is_enum_v<E> && !std::is_convertible_v<E, int>;

// An error as a value: what went wrong, in one readable line, and optionally which kind of
// failure it is in the layer that reported it (engine and storage never throw). The kind keeps
// its enum type: kind<DbErrorKind>() answers only for a storage error, so kinds of different
// layers cannot be confused. Only the command line turns kinds into exit codes.
class Error
{
public:
    Error() = default;
    explicit Error(QString message) : message(std::move(message)) { }
    template<ErrorKindEnum E> Error(E kind, QString message) : message(std::move(message)), m_kind(kind) { }

    // The kind when this error is of layer enum E; nullopt for another layer's error or none.
    template<ErrorKindEnum E> std::optional<E> kind() const
    {
        if (const E *kind = std::any_cast<E>(&m_kind))
            return *kind;
        return std::nullopt;
    }
    template<ErrorKindEnum E> bool is(E kind) const { return this->kind<E>() == kind; }
    bool hasKind() const { return m_kind.has_value(); }

    QString message;

private:
    std::any m_kind; // empty, or one value of a layer's ErrorKindEnum
};

// Either a value or an Error; the engine and storage return these instead of throwing.
// [[nodiscard]]: a caller handles the error or says why not with (void).
template<typename T> class [[nodiscard]] Result
{
public:
    Result(T value) : m_data(std::move(value)) { }
    Result(Error error) : m_data(std::move(error)) { }

    bool ok() const { return m_data.index() == 0; }
    explicit operator bool() const { return ok(); }

    T &value() & { return std::get<0>(m_data); }
    const T &value() const & { return std::get<0>(m_data); }
    T &&value() && { return std::get<0>(std::move(m_data)); }
    T *operator->() { return &value(); }
    const T *operator->() const { return &value(); }
    T &operator*() & { return value(); }
    const T &operator*() const & { return value(); }

    const Error &error() const { return std::get<1>(m_data); }
    QString errorMessage() const { return ok() ? QString() : error().message; }

private:
    std::variant<T, Error> m_data;
};

// Result of an operation without a value.
template<> class [[nodiscard]] Result<void>
{
public:
    Result() = default;
    Result(Error error) : m_error(std::move(error)) { }

    bool ok() const { return !m_error.has_value(); }
    explicit operator bool() const { return ok(); }
    const Error &error() const { return *m_error; }
    QString errorMessage() const { return ok() ? QString() : m_error->message; }

private:
    std::optional<Error> m_error;
};
