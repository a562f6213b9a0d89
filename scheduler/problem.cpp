#include "problem.h"

using namespace Qt::StringLiterals;

QString problemCodeName(ProblemCode code)
{
    switch (code) {
    case ProblemCode::InvalidEmail:
        return u"invalid_email"_s;
    case ProblemCode::UnknownState:
        return u"unknown_state"_s;
    case ProblemCode::InvalidBirthDate:
        return u"invalid_birth_date"_s;
    case ProblemCode::InvalidEffectiveDate:
        return u"invalid_effective_date"_s;
    case ProblemCode::InvalidZip:
        return u"invalid_zip"_s;
    case ProblemCode::ZipStateMismatch:
        return u"zip_state_mismatch"_s;
    case ProblemCode::DateOutOfRange:
        return u"date_out_of_range"_s;
    case ProblemCode::InvalidId:
        return u"invalid_id"_s;
    case ProblemCode::DuplicateId:
        return u"duplicate_id"_s;
    case ProblemCode::ProcessingError:
        return u"processing_error"_s;
    }
    return QString();
}

QString severityName(Severity severity)
{
    return severity == Severity::Error ? u"error"_s : u"warning"_s;
}
