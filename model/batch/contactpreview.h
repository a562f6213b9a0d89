#pragma once

#include "config.h"
#include "contact.h"
#include "result.h"
#include "schedule.h"

#include <QDate>
#include <QList>

#include <vector>

// Everything the schedule preview shows for one contact, computed as one value off the GUI
// thread: the stored contact and history, what the rules decided, and the windows of the
// timeline's span.
struct ContactPreview
{
    qint64 contactId = 0;
    bool found = false; // false: no contact with that id (deleted meanwhile)
    Contact contact;
    QList<HistoryEntry> history;
    ContactFacts facts;
    ContactSchedule schedule;
    QDate today;
    QDate from; // span of the timeline
    QDate to;
    std::vector<ExclusionWindow> windows; // overlapping [from, to]
    bool yearRound = false;
    // The birth date as written when it reads as a date after `today` (the checks then treat
    // the contact as having none); invalid otherwise. The preview names this problem.
    QDate futureBirthDate;
};

// Reads one contact with its history (own read-only connection) and schedules it with
// single-contact semantics. Safe to call from any thread; errors name the file.
Result<ContactPreview> loadContactPreview(const QString &databasePath, qint64 contactId, QDate today,
                                          const Config &config);

// The same for a contact already in memory (tests, and after the row is known).
ContactPreview computeContactPreview(const Contact &contact, const QList<HistoryEntry> &history, QDate today,
                                     const Config &config);
