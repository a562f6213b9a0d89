#pragma once

#include <QElapsedTimer>
#include <QFile>
#include <QTextStream>

#include <sys/resource.h>

#include <algorithm>

// What every benchmark prints with: standard output, seconds and the process's peak memory.
namespace BenchUtil {

inline QTextStream &out()
{
    static QTextStream stream(stdout);
    return stream;
}

inline double seconds(const QElapsedTimer &timer)
{
    return double(timer.nsecsElapsed()) / 1e9;
}

// The peak resident set (VmHWM) since start or since the last "5" written to
// /proc/self/clear_refs; 0 when /proc cannot be read.
inline long highWaterMb()
{
    QFile status(QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly))
        return 0;
    for (const QByteArray &line : status.readAll().split('\n')) {
        if (line.startsWith("VmHWM:"))
            return line.mid(6).trimmed().split(' ').value(0).toLong() / 1024;
    }
    return 0;
}

// The process's peak resident set so far (getrusage, which a clear_refs reset does not lower).
inline long peakRssMb()
{
    rusage usage {};
    getrusage(RUSAGE_SELF, &usage);
    return std::max(long(usage.ru_maxrss / 1024), highWaterMb());
}

} // namespace BenchUtil
