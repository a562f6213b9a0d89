#pragma once

// The kinds of the CSV layer's errors (reading, export, import); the command line maps them to
// exit codes.
enum class CsvErrorKind {
    File,      // the CSV file could not be read, written or committed, or bad input/options
    Database,  // missing, locked, not a database, table missing
    Cancelled, // the user cancelled; nothing was written
};
