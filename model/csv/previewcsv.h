#pragma once

#include "batch/batchjob.h"

#include <QStringList>

#include <functional>

class CsvWriter;

// The preview CSV of SPEC section 11, the one writer behind `email-scheduler-cli preview` and the
// program's "Export Preview": columns contact_id, email_type, scheduled_send_date, status,
// reason_code, detail; rows without a usable id first (empty contact_id), then by contact_id,
// then date (empty first), then email_type, then reason_code (then status and detail, so equal
// inputs always give equal bytes). Problem rows have an empty type and date, status error or
// warning and the problem code as reason_code; a suppressed contact (SPEC 14) has one row with
// status and reason_code `suppressed` and its reason in detail (Explain::suppressionDetail).
namespace PreviewCsv {

QStringList header();

enum class Outcome { Written, Failed, Cancelled };

// Streams the header and every row of `batch` to `writer` (its options decide separator, line
// ending and BOM), one contact's rows held at a time, and flushes. `keepGoing(done, total)` is
// asked every 1024 contacts; false stops with Cancelled. Failed: see writer.errorString().
Outcome write(CsvWriter &writer, const BatchResult &batch,
              const std::function<bool(qint64 done, qint64 total)> &keepGoing = {});

} // namespace PreviewCsv
