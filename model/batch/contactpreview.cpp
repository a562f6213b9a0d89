#include "batch/contactpreview.h"

#include "dates.h"
#include "engine.h"
#include "storage/activitysource.h"
#include "storage/contactsource.h"
#include "storage/orgdatabase.h"

ContactPreview computeContactPreview(const Contact &contact, const QList<HistoryEntry> &history, QDate today,
                                     const Config &config, ContactActivityData activity,
                                     std::shared_ptr<const CampaignRun> campaigns,
                                     const SuppressionList &suppressions)
{
    ContactPreview preview;
    preview.contactId = contact.id;
    preview.found = true;
    preview.contact = contact;
    preview.history = history;
    preview.activity = std::move(activity);
    preview.campaigns = campaigns ? std::move(campaigns) : std::make_shared<const CampaignRun>();
    preview.today = today;
    // A month of the past gives the "today" line context; a year ahead holds every email.
    preview.from = today.addDays(-30);
    preview.to = today.addYears(1).addDays(30);
    preview.facts = Engine::checkContact(contact, today);
    preview.schedule = Engine::scheduleContact(
        contact, preview.facts, std::span<const HistoryEntry>(history.begin(), history.end()),
        preview.activity.view(), today, config, *preview.campaigns, suppressions);
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
        missing.campaigns = std::make_shared<const CampaignRun>();
        return missing;
    }
    const Contact &contact = record.value()->contact;
    auto catalog = ActivitySource::readCatalog(*db);
    if (!catalog)
        return catalog.error();
    // Only the list entries of this contact's address: the list may be long.
    auto entries = ActivitySource::readSuppressions(*db, contact.email);
    if (!entries)
        return entries.error();
    auto cursor = ActivityCursor::openPoints(*db);
    if (!cursor)
        return cursor.error();
    auto activity = cursor->seek(contactId);
    if (!activity)
        return activity.error();
    return computeContactPreview(contact, record.value()->history, today, config,
                                 ContactActivityData::copyOf(*activity),
                                 std::make_shared<const CampaignRun>(*catalog, config, today),
                                 SuppressionList(std::move(entries).value()));
}
