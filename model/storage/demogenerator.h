#pragma once

#include "result.h"

#include <QDate>
#include <QString>
#include <QStringList>

#include <atomic>
#include <functional>

// Writes a realistic demo organisation database (production schema, every state, a few percent
// of messy rows and some earlier email history) for the bundled demo, the CLI, tests and
// benchmarks. The output is deterministic for a given seed and reference date.
class DemoGenerator
{
public:
    // The kinds of generate()'s errors.
    enum class ErrorKind {
        FileExists,  // the target exists and overwriting was not asked for
        WriteFailed, // the file could not be created or written
        Cancelled,   // the cancel flag was raised; no file was left behind
    };

    struct Options
    {
        QString path;
        qint64 contacts = 1000;
        quint64 seed = 1;
        // Ages, "future" effective dates and history dates are relative to this date; an invalid
        // date means the current date.
        QDate today;
        bool overwrite = false;
        double messyFraction = 0.05;   // share of rows with odd formats or data problems
        double historyFraction = 0.04; // share of contacts with earlier email_schedules rows
        // Campaigns, enrolments, eligibility answers, clicks, recent sends, send tracking and
        // do-not-email entries (storage/demoactivity.h), so every feature of issue 9 shows
        // something; off: contacts and history only.
        bool activity = true;
        double enrolledFraction = 0.10; // contacts enrolled in the demo's rate increase
    };

    struct Summary
    {
        qint64 contacts = 0;
        qint64 messyRows = 0;
        qint64 historyRows = 0;
        double seconds = 0;
    };

    // Called now and then with the number of contacts written so far.
    using ProgressFunction = std::function<void(qint64 done, qint64 total)>;

    // Writes the database in one transaction into a temporary file next to `options.path` and
    // renames it at the end, so the target never holds half a database. Safe to call from a
    // worker thread (it touches no Qt SQL connection).
    static Result<Summary> generate(const Options &options, const ProgressFunction &progress = {},
                                    const std::atomic_bool *cancel = nullptr);

    // The CREATE statements written by generate(): `contacts` exactly as in the production
    // org databases and an empty `email_schedules` with its unique index (the activity tables
    // come on top when Options::activity is set).
    static QStringList schemaStatements();
};
