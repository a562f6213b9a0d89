#include "batch/contactpreview.h"

#include "dates.h"
#include "engine.h"
#include "storage/contactsource.h"
#include "storage/orgdatabase.h"

ContactPreview computeContactPreview(const Contact &contact, const QList<HistoryEntry> &history, QDate today,
                                     const Config &config)
{
    ContactPreview preview;
    preview.contactId = contact.id;
    preview.found = true;
    preview.contact = contact;
    preview.history = history;
    preview.today = today;
    // A month of the past gives the "today" line context; a year ahead holds every email.
    preview.from = today.addDays(-30);
    preview.to = today.addYears(1).addDays(30);
    preview.facts = Engine::checkContact(contact, today);
    preview.schedule = Engine::scheduleContact(
        preview.facts, std::span<const HistoryEntry>(history.begin(), history.end()), today, config);
    if (!preview.facts.birthDate.isValid() && !contact.birthDate.trimmed().isEmpty()) {
        const QDate written = Dates::parseContactDate(contact.birthDate.trimmed());
        if (written.isValid() && written > today)
            preview.futureBirthDate = written;
    }
    if (!preview.facts.hasError()) {
        preview.yearRound = Engine::isYearRound(preview.facts, config);
        preview.windows = Engine::exclusionWindows(preview.facts, preview.from, preview.to, config);
    }
    return preview;
}

Result<ContactPreview> loadContactPreview(const QString &databasePath, qint64 contactId, QDate today,
                                          const Config &config)
{
    Result<OrgDatabase> db = OrgDatabase::open(databasePath, OrgDatabase::Mode::ReadOnly);
    if (!db)
        return db.error();
    const ContactSource source(db.value());
    Result<std::optional<ContactRecord>> record = source.readContact(contactId);
    if (!record)
        return record.error();
    if (!record.value()) {
        ContactPreview missing;
        missing.contactId = contactId;
        missing.today = today;
        return missing;
    }
    return computeContactPreview(record.value()->contact, record.value()->history, today, config);
}
