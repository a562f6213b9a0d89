#include "batch/contactpreview.h"

#include "dates.h"
#include "engine.h"
#include "storage/activitysource.h"
#include "storage/contactreader.h"

#include <optional>

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
    // A file or a server (ContactReader is the batch's backend seam).
    Result<std::unique_ptr<ContactReader>> reader = ContactReader::open(databasePath);
    if (!reader)
        return reader.error();
    std::optional<Contact> contact;
    QList<HistoryEntry> history;
    const qint64 ids[] = { contactId };
    const Result<void> read = (*reader)->readIds(
        ids, ContactSource::Fields::All, [&](const Contact &found, std::span<const HistoryEntry> entries) {
            if (contact)
                return; // a duplicated id: the first row, as a run takes it
            contact = found;
            history = QList<HistoryEntry>(entries.begin(), entries.end());
        });
    if (!read)
        return read.error();
    if (!contact) {
        ContactPreview missing;
        missing.contactId = contactId;
        missing.today = today;
        missing.campaigns = std::make_shared<const CampaignRun>();
        return missing;
    }
    Result<RunInputs> inputs = (*reader)->readRunInputs();
    if (!inputs)
        return inputs.error();
    Result<std::unique_ptr<ActivityStream>> stream = (*reader)->openActivityPoints();
    if (!stream)
        return stream.error();
    Result<ContactActivity> activity = (*stream)->seek(contactId);
    if (!activity)
        return activity.error();
    return computeContactPreview(*contact, history, today, config, ContactActivityData::copyOf(*activity),
                                 std::make_shared<const CampaignRun>(inputs->catalog, config, today),
                                 SuppressionList(std::move(inputs->suppressions)));
}
