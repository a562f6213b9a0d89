#pragma once

#include "emailtypes.h"

#include <QString>

// The email types as people read them ("Birthday", "Policy anniversary", …), for tables, charts
// and messages; the machine names are in emailtypes.h.
QString emailTypeLabel(EmailType type);
