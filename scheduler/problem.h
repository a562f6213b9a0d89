#pragma once

#include <QList>
#include <QString>

// A data problem found in one contact row (SPEC section 2).
enum class ProblemCode : quint8 {
    InvalidEmail,
    UnknownState,
    InvalidBirthDate,
    InvalidEffectiveDate,
    InvalidZip,
    ZipStateMismatch,
    DateOutOfRange,  // an email would fall after 9999-12-31 (or before year 1): not scheduled
    InvalidId,       // the contacts row has no whole-number id (text, NULL, real): not scheduled
    DuplicateId,     // several contacts rows share one id: none of them is scheduled
    ProcessingError, // the engine or storage failed on this contact; the batch goes on (last)
};

enum class Severity : quint8 {
    Warning,
    Error, // the contact gets no emails
};

struct Problem
{
    ProblemCode code = ProblemCode::ProcessingError;
    Severity severity = Severity::Error;
    QString message; // plain language, names the field and the bad value

    friend bool operator==(const Problem &, const Problem &) = default;
};

// "invalid_email", "unknown_state", ...; "processing_error" for ProcessingError
QString problemCodeName(ProblemCode code);
// "error" / "warning"
QString severityName(Severity severity);
