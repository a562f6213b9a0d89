#pragma once

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QObject>
#include <QTimer>

#include <algorithm>
#include <functional>
#include <vector>

// Measures how long the GUI thread stalls: a 5 ms precise timer, and any gap between its ticks
// beyond 5 ms is time the thread was busy. Shared by the GUI benchmarks.
class StallProbe final
{
public:
    static constexpr int kTickMs = 5;

    // `onStall(ms)` is called for every gap longer than `reportOverMs` (for verbose listings).
    explicit StallProbe(double reportOverMs = 0, std::function<void(double)> onStall = {})
    {
        m_timer.setTimerType(Qt::PreciseTimer);
        m_timer.setInterval(kTickMs);
        QObject::connect(&m_timer, &QTimer::timeout, &m_timer, [this, reportOverMs, onStall] {
            const double gap = double(m_tick.nsecsElapsed()) / 1e6;
            m_tick.restart();
            m_stalls.push_back(std::max(0.0, gap - kTickMs));
            if (onStall && gap - kTickMs > reportOverMs)
                onStall(gap - kTickMs);
        });
    }

    void start()
    {
        m_tick.start();
        m_timer.start();
    }

    // Stops the timer and sorts what it saw; the figures below are valid after this.
    void stop()
    {
        m_timer.stop();
        std::sort(m_stalls.begin(), m_stalls.end());
    }

    double maxStall() const { return m_stalls.empty() ? 0 : m_stalls.back(); }
    double p99Stall() const
    {
        return m_stalls.empty() ? 0 : m_stalls[std::size_t(double(m_stalls.size() - 1) * 0.99)];
    }
    std::size_t ticks() const { return m_stalls.size(); }

private:
    QTimer m_timer;
    QElapsedTimer m_tick;
    std::vector<double> m_stalls;
};

// Runs the event loop until `condition` holds; false when `timeoutMs` passed first.
inline bool waitUntil(const std::function<bool()> &condition, int timeoutMs)
{
    QDeadlineTimer deadline(timeoutMs);
    while (!condition()) {
        if (deadline.hasExpired())
            return false;
        QCoreApplication::processEvents(QEventLoop::AllEvents | QEventLoop::WaitForMoreEvents, 1);
    }
    return true;
}
