#pragma once

#include <QCoreApplication>
#include <QFuture>
#include <QObject>
#include <QPointer>

#include <type_traits>
#include <utility>

// Runs `fn(result)` on the GUI thread once `future` has finished, unless `context` is gone by
// then: the continuation is attached to the application object and checks a QPointer, because
// Qt 6.4 asserts (and in release warns and drops the continuation) when a .then() context is
// deleted before its future finishes, as closing a window during a background load does.
template<typename T, typename Fn> void continueOnGui(QFuture<T> future, QObject *context, Fn fn)
{
    if constexpr (std::is_void_v<T>) {
        future.then(QCoreApplication::instance(),
                    [guard = QPointer<QObject>(context), fn = std::move(fn)]() mutable {
                        if (guard)
                            fn();
                    });
    } else {
        future.then(QCoreApplication::instance(),
                    [guard = QPointer<QObject>(context), fn = std::move(fn)](T result) mutable {
                        if (guard)
                            fn(std::move(result));
                    });
    }
}
