#include "campaigneditor.h"

#include "campaigneffectview.h"
#include "continueongui.h"
#include "dates.h"
#include "messagebanner.h"
#include "storage/campaignstore.h"
#include "storage/sqlsession.h"

#include <QCheckBox>
#include <QCoreApplication>
#include <QDateEdit>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPushButton>
#include <QSpinBox>
#include <QTimer>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

// A date or "open" (no bound): a check box and a date box.
class OptionalDateEdit final : public QWidget
{
public:
    OptionalDateEdit(const QString &openText, QWidget *parent)
        : QWidget(parent), m_set(new QCheckBox(this)), m_date(new QDateEdit(this)), m_openText(openText)
    {
        m_date->setCalendarPopup(true);
        m_date->setDisplayFormat(QStringLiteral("ddd MMM d, yyyy"));
        auto *layout = new QHBoxLayout(this);
        layout->setContentsMargins(0, 0, 0, 0);
        layout->addWidget(m_set);
        layout->addWidget(m_date, 1);
        connect(m_set, &QCheckBox::toggled, m_date, &QWidget::setEnabled);
        connect(m_set, &QCheckBox::toggled, this,
                [this](bool on) { m_set->setText(on ? QString() : m_openText); });
        setValue(QString());
    }
    // Empty: open. Unreadable text shows as open too (the preview then says it is not a date).
    void setValue(const QString &stored)
    {
        const QDate d = Dates::parseContactDate(stored);
        m_set->setChecked(d.isValid());
        m_date->setEnabled(d.isValid());
        m_set->setText(d.isValid() ? QString() : m_openText);
        if (d.isValid())
            m_date->setDate(d);
    }
    void setDefaultDate(QDate date)
    {
        if (!m_set->isChecked())
            m_date->setDate(date);
    }
    QString value() const { return m_set->isChecked() ? m_date->date().toString(Qt::ISODate) : QString(); }
    QCheckBox *check() const { return m_set; }
    QDateEdit *dateEdit() const { return m_date; }

private:
    QCheckBox *m_set;
    QDateEdit *m_date;
    QString m_openText;
};

CampaignEditor::CampaignEditor(const QString &dbPath, const CampaignCatalog &catalog, QDate today,
                               const Config &config, QWidget *parent)
    : QDialog(parent), m_dbPath(dbPath), m_catalog(catalog), m_today(today), m_config(config),
      m_intro(new QLabel(this)), m_typeName(new QLineEdit(this)), m_typeNote(new QLabel(this)),
      m_priority(new QSpinBox(this)), m_daysBefore(new QSpinBox(this)),
      m_allContacts(new QCheckBox(tr("Every contact (no enrolment needed)"), this)),
      m_respectWindows(new QCheckBox(tr("Keep out of the states' rule windows"), this)),
      m_followups(new QCheckBox(tr("Send follow-ups after it"), this)),
      m_spread(new QCheckBox(tr("Spread evenly over the spread dates"), this)),
      m_skipFailed(new QCheckBox(tr("Skip contacts who failed underwriting"), this)),
      m_active(new QCheckBox(tr("Active"), this)), m_name(new QLineEdit(this)),
      m_from(new OptionalDateEdit(tr("from the start"), this)),
      m_until(new OptionalDateEdit(tr("no end"), this)), m_spreadFrom(new OptionalDateEdit(tr("none"), this)),
      m_spreadUntil(new OptionalDateEdit(tr("none"), this)), m_states(new QLineEdit(this)),
      m_carriers(new QLineEdit(this)), m_effectText(new QLabel(this)), m_chart(new EffectChart(this)),
      m_message(new QLabel(this)), m_banner(new MessageBanner(this)),
      m_save(new QPushButton(tr("Save"), this)), m_delay(new QTimer(this))
{
    setWindowTitle(tr("New campaign"));
    m_typeName->setObjectName(QStringLiteral("campaignTypeName"));
    m_daysBefore->setObjectName(QStringLiteral("campaignDaysBefore"));
    m_name->setObjectName(QStringLiteral("campaignName"));
    m_states->setObjectName(QStringLiteral("campaignStates"));
    m_carriers->setObjectName(QStringLiteral("campaignCarriers"));
    m_effectText->setObjectName(QStringLiteral("campaignEffect"));
    m_message->setObjectName(QStringLiteral("campaignMessage"));
    m_intro->setWordWrap(true);
    m_typeNote->setWordWrap(true);
    m_effectText->setWordWrap(true);
    m_message->setWordWrap(true);
    m_banner->hide();
    m_priority->setRange(1, 99);
    m_priority->setToolTip(tr("Lower numbers win when a contact has too many emails in a period"));
    m_daysBefore->setRange(0, 365);
    m_daysBefore->setSuffix(tr(" days"));
    m_typeName->setPlaceholderText(tr("lower-case letters, digits and _ (e.g. rate_increase)"));
    m_states->setPlaceholderText(tr("ALL, or state codes such as CA, TX"));
    m_carriers->setPlaceholderText(tr("ALL, or carriers separated by commas"));
    m_spread->setToolTip(
        tr("Each contact gets its email on one day of the spread dates, so no day is crowded"));

    auto *typeBox = new QGroupBox(tr("Kind of campaign (type: settings shared by its campaigns)"), this);
    auto *typeForm = new QFormLayout(typeBox);
    typeForm->addRow(tr("&Type name:"), m_typeName);
    typeForm->addRow(QString(), m_typeNote);
    auto *numbers = new QHBoxLayout;
    numbers->addWidget(m_priority);
    numbers->addSpacing(16);
    auto *daysLabel = new QLabel(tr("Send &before the trigger date:"), this);
    daysLabel->setBuddy(m_daysBefore);
    numbers->addWidget(daysLabel);
    numbers->addWidget(m_daysBefore);
    numbers->addStretch(1);
    auto *priorityLabel = new QLabel(tr("&Priority:"), this);
    priorityLabel->setBuddy(m_priority); // a row of several fields: the label names the first
    typeForm->addRow(priorityLabel, numbers);
    auto *flags = new QGridLayout;
    flags->addWidget(m_allContacts, 0, 0);
    flags->addWidget(m_respectWindows, 0, 1);
    flags->addWidget(m_spread, 1, 0);
    flags->addWidget(m_followups, 1, 1);
    flags->addWidget(m_skipFailed, 2, 0);
    flags->addWidget(m_active, 2, 1);
    typeForm->addRow(flags);

    auto *instanceBox = new QGroupBox(tr("This campaign"), this);
    auto *instanceForm = new QFormLayout(instanceBox);
    instanceForm->addRow(tr("&Name:"), m_name);
    auto *dates = new QHBoxLayout;
    dates->addWidget(m_from, 1);
    dates->addWidget(new QLabel(tr("until"), this));
    dates->addWidget(m_until, 1);
    auto *liveLabel = new QLabel(tr("&Live from:"), this);
    liveLabel->setBuddy(m_from->dateEdit());
    instanceForm->addRow(liveLabel, dates);
    auto *spread = new QHBoxLayout;
    spread->addWidget(m_spreadFrom, 1);
    spread->addWidget(new QLabel(tr("until"), this));
    spread->addWidget(m_spreadUntil, 1);
    auto *spreadLabel = new QLabel(tr("&Spread from:"), this);
    spreadLabel->setBuddy(m_spreadFrom->dateEdit());
    instanceForm->addRow(spreadLabel, spread);
    instanceForm->addRow(tr("S&tates:"), m_states);
    instanceForm->addRow(tr("&Carriers:"), m_carriers);

    auto *effectBox = new QGroupBox(this);
    m_effectBox = effectBox;
    auto *effectLayout = new QVBoxLayout(effectBox);
    effectLayout->addWidget(m_effectText);
    effectLayout->addWidget(m_chart);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, this);
    buttons->addButton(m_save, QDialogButtonBox::AcceptRole);
    m_save->setDefault(true);
    connect(m_save, &QPushButton::clicked, this, &CampaignEditor::save);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_intro);
    layout->addWidget(typeBox);
    layout->addWidget(instanceBox);
    layout->addWidget(effectBox);
    layout->addWidget(m_banner);
    layout->addWidget(m_message);
    layout->addWidget(buttons);

    m_delay->setSingleShot(true);
    m_delay->setInterval(300);
    connect(m_delay, &QTimer::timeout, this, &CampaignEditor::computeEffect);
    for (QLineEdit *edit : { m_typeName, m_name, m_states, m_carriers })
        connect(edit, &QLineEdit::textChanged, this, &CampaignEditor::scheduleEffect);
    for (QSpinBox *spin : { m_priority, m_daysBefore })
        connect(spin, &QSpinBox::valueChanged, this, &CampaignEditor::scheduleEffect);
    for (QCheckBox *box : { m_allContacts, m_respectWindows, m_followups, m_spread, m_skipFailed, m_active })
        connect(box, &QCheckBox::toggled, this, &CampaignEditor::scheduleEffect);
    for (OptionalDateEdit *edit : { m_from, m_until, m_spreadFrom, m_spreadUntil }) {
        connect(edit->check(), &QCheckBox::toggled, this, &CampaignEditor::scheduleEffect);
        connect(edit->dateEdit(), &QDateEdit::dateChanged, this, &CampaignEditor::scheduleEffect);
    }
    connect(m_typeName, &QLineEdit::textChanged, this, &CampaignEditor::updateTypeNote);
    connect(m_spread, &QCheckBox::toggled, m_spreadFrom, &QWidget::setEnabled);
    connect(m_spread, &QCheckBox::toggled, m_spreadUntil, &QWidget::setEnabled);
    connect(m_allContacts, &QCheckBox::toggled, m_daysBefore,
            [this](bool all) { m_daysBefore->setEnabled(!all); });
    resize(760, 780);
}

CampaignEditor::~CampaignEditor()
{
    if (m_cancel)
        m_cancel->store(true);
}

void CampaignEditor::startFrom(const CampaignPreset &preset)
{
    setWindowTitle(tr("New campaign: %1").arg(preset.title));
    m_intro->setText(preset.description);
    m_instanceId = 0;
    CampaignTypeRow type = preset.type;
    // A type of that name exists: the campaign is one more of it, with its stored settings.
    for (const CampaignTypeRow &t : m_catalog.types) {
        if (!type.name.isEmpty() && t.name.compare(type.name, Qt::CaseInsensitive) == 0)
            type = t;
    }
    fill(type, preset.instance);
}

void CampaignEditor::editInstance(qint64 instanceId)
{
    for (const CampaignInstanceRow &i : m_catalog.instances) {
        if (i.id != instanceId)
            continue;
        setWindowTitle(tr("Change campaign: %1").arg(i.instanceName));
        m_intro->setText(tr("Changes apply from the next run; the effect below is what a run as of the "
                            "“as of” day would do with them."));
        m_instanceId = i.id;
        CampaignTypeRow type;
        type.name = i.campaignType;
        for (const CampaignTypeRow &t : m_catalog.types) {
            if (t.name.compare(i.campaignType, Qt::CaseInsensitive) == 0)
                type = t;
        }
        fill(type, i);
        return;
    }
}

void CampaignEditor::fill(const CampaignTypeRow &type, const CampaignInstanceRow &instance)
{
    m_typeId = type.id;
    m_typeName->setText(type.name);
    m_priority->setValue(type.priority);
    m_daysBefore->setValue(type.daysBeforeEvent);
    m_allContacts->setChecked(type.targetAllContacts);
    m_respectWindows->setChecked(type.respectExclusionWindows);
    m_followups->setChecked(type.enableFollowups);
    m_spread->setChecked(type.spreadEvenly);
    m_skipFailed->setChecked(type.skipFailedUnderwriting);
    m_active->setChecked(type.active);
    m_name->setText(instance.instanceName);
    for (OptionalDateEdit *edit : { m_from, m_until, m_spreadFrom, m_spreadUntil })
        edit->setDefaultDate(m_today);
    m_from->setValue(instance.activeStartDate);
    m_until->setValue(instance.activeEndDate);
    m_spreadFrom->setValue(instance.spreadStartDate);
    m_spreadUntil->setValue(instance.spreadEndDate);
    m_spreadFrom->setEnabled(type.spreadEvenly);
    m_spreadUntil->setEnabled(type.spreadEvenly);
    m_daysBefore->setEnabled(!type.targetAllContacts);
    m_states->setText(instance.targetStates);
    m_carriers->setText(instance.targetCarriers);
    m_typeName->setReadOnly(m_instanceId != 0);
    updateTypeNote();
    computeEffect();
}

CampaignTypeRow CampaignEditor::typeRow() const
{
    CampaignTypeRow t;
    t.id = m_typeId;
    t.name = m_typeName->text().trimmed();
    t.priority = m_priority->value();
    t.daysBeforeEvent = m_daysBefore->value();
    t.targetAllContacts = m_allContacts->isChecked();
    t.respectExclusionWindows = m_respectWindows->isChecked();
    t.enableFollowups = m_followups->isChecked();
    t.spreadEvenly = m_spread->isChecked();
    t.skipFailedUnderwriting = m_skipFailed->isChecked();
    t.active = m_active->isChecked();
    return t;
}

CampaignInstanceRow CampaignEditor::instanceRow() const
{
    CampaignInstanceRow i;
    for (const CampaignInstanceRow &stored : m_catalog.instances) {
        if (m_instanceId != 0 && stored.id == m_instanceId)
            i = stored; // templates and metadata stay as they are
    }
    i.id = m_instanceId;
    i.campaignType = m_typeName->text().trimmed();
    i.instanceName = m_name->text().trimmed();
    i.activeStartDate = m_from->value();
    i.activeEndDate = m_until->value();
    i.spreadStartDate = m_spread->isChecked() ? m_spreadFrom->value() : QString();
    i.spreadEndDate = m_spread->isChecked() ? m_spreadUntil->value() : QString();
    i.targetStates = m_states->text().trimmed();
    i.targetCarriers = m_carriers->text().trimmed();
    return i;
}

void CampaignEditor::updateTypeNote()
{
    const QString name = m_typeName->text().trimmed();
    if (const std::optional<QString> problem = CampaignStore::typeNameProblem(name);
        problem && !name.isEmpty()) {
        m_typeNote->setStyleSheet(QStringLiteral("color: #a02020;"));
        m_typeNote->setText(*problem);
        return;
    }
    m_typeNote->setStyleSheet(QString());
    int uses = 0;
    bool exists = false;
    for (const CampaignTypeRow &t : m_catalog.types)
        exists = exists || t.name.compare(name, Qt::CaseInsensitive) == 0;
    for (const CampaignInstanceRow &i : m_catalog.instances)
        uses += i.campaignType.compare(name, Qt::CaseInsensitive) == 0 && i.id != m_instanceId ? 1 : 0;
    if (!exists)
        m_typeNote->setText(tr("A new type; its emails are written as campaign_%1.").arg(name));
    else if (uses > 0)
        m_typeNote->setText(
            tr("An existing type: changes to its settings apply to its %n other campaign(s) too.", "", uses));
    else
        m_typeNote->setText(tr("An existing type."));
}

void CampaignEditor::scheduleEffect()
{
    m_delay->start();
}

void CampaignEditor::computeEffect()
{
    m_delay->stop();
    if (m_cancel)
        m_cancel->store(true);
    const quint64 token = ++m_token;
    m_computing = true;
    m_effectText->setText(tr("Working out the effect…"));
    qint64 draftId = 0;
    const CampaignInstanceRow instance = instanceRow();
    const CampaignCatalog catalog = CampaignEffects::withDraft(m_catalog, typeRow(), instance, &draftId);
    // A campaign that starts later sends nothing today: its effect is shown as of its first day.
    QDate day = m_today;
    const QDate start = Dates::parseContactDate(instance.activeStartDate);
    if (start.isValid() && start > m_today)
        day = start;
    m_effectDay = day;
    m_effectBox->setTitle(
        day == m_today ? tr("Effect as of %1").arg(QLocale().toString(day, QStringLiteral("MMM d, yyyy")))
                       : tr("Effect as of %1, its first day")
                             .arg(QLocale().toString(day, QStringLiteral("MMM d, yyyy"))));
    auto cancel = std::make_shared<std::atomic<bool>>(false);
    m_cancel = cancel;
    const QString path = m_dbPath;
    const Config config = m_config;
    const CampaignCatalog stored = m_catalog;
    continueOnGui(QtConcurrent::run([path, stored, catalog, draftId, day, config, cancel] {
                      return CampaignEffects::compareChange(path, stored, catalog, draftId, {}, day, config,
                                                            [cancel] { return cancel->load(); });
                  }),
                  this, [this, token](const Result<CampaignChange> &effect) {
                      if (token != m_token)
                          return;
                      m_computing = false;
                      showEffect(effect);
                  });
}

void CampaignEditor::showEffect(const Result<CampaignChange> &change)
{
    const Result<CampaignEffect> effect
        = change ? Result<CampaignEffect>(change->after) : Result<CampaignEffect>(change.error());
    m_change = change ? *change : CampaignChange();
    if (!effect) {
        m_effect = {};
        m_chart->clear();
        m_effectText->setText(effect.errorMessage());
        Q_EMIT effectShown();
        return;
    }
    m_effect = *effect;
    m_chart->setChange(m_change);
    const QLocale locale;
    if (!m_effect.live) {
        m_effectText->setText(tr("Not live on this day (%1): it sends nothing yet.").arg(m_effect.notLive));
    } else if (m_effect.audience == 0) {
        m_effectText->setText(
            typeRow().targetAllContacts
                ? tr("Reaches no contact: check the states and carriers.")
                : tr("Reaches no contact yet: enrol contacts from a CSV file after saving."));
    } else {
        QString text = tr("Reaches %1 contacts: %2 emails pre-scheduled, %3 skipped")
                           .arg(locale.toString(m_effect.audience), locale.toString(m_effect.scheduled),
                                locale.toString(m_effect.skipped));
        text += m_effect.skipped > 0 ? QString(u" (" + m_effect.skippedText() + u").") : QStringLiteral(".");
        if (!m_effect.perDay.empty()) {
            text += u' '
                + (m_effect.perDay.size() == 1
                       ? tr("Sends on 1 day, %1 emails").arg(locale.toString(m_effect.busiestDay()))
                       : tr("Sends on %1 days, at most %2 a day")
                             .arg(locale.toString(qint64(m_effect.perDay.size())),
                                  locale.toString(m_effect.busiestDay())));
            if (m_effect.dailyCap > 0)
                text += u' '
                    + tr("(daily cap %1: campaign emails are never moved).")
                          .arg(locale.toString(m_effect.dailyCap));
            else
                text += u'.';
        }
        m_effectText->setText(text);
    }
    // What saving changes compared with now: the instance as stored, and the other campaigns
    // whose days it takes or gives back (a type's settings reach its other campaigns too).
    if (m_instanceId != 0)
        m_effectText->setText(m_effectText->text() + u"\n" + tr("Compared with now:") + u'\n'
                              + campaignChangeText(m_change));
    else if (m_change.othersBefore != m_change.othersAfter)
        m_effectText->setText(m_effectText->text() + u"\n" + campaignOthersText(m_change));
    Q_EMIT effectShown();
}

QString CampaignEditor::effectText() const
{
    return m_effectText->text();
}

QString CampaignEditor::messageText() const
{
    return m_message->text();
}

void CampaignEditor::showError(const QString &message)
{
    // Errors in a banner, like every dialog's (KeePassXC MessageWidget style).
    m_message->clear();
    m_banner->showMessage(MessageBanner::Kind::Error, message);
}

void CampaignEditor::save()
{
    if (m_saving)
        return;
    const CampaignTypeRow type = typeRow();
    const CampaignInstanceRow instance = instanceRow();
    if (const std::optional<QString> problem = CampaignStore::typeNameProblem(type.name)) {
        showError(*problem);
        m_typeName->setFocus();
        return;
    }
    if (instance.instanceName.isEmpty()) {
        showError(tr("Give the campaign a name."));
        m_name->setFocus();
        return;
    }
    // The stored type, to change it only when its settings changed.
    std::optional<CampaignTypeRow> stored;
    for (const CampaignTypeRow &t : m_catalog.types) {
        if (t.name.compare(type.name, Qt::CaseInsensitive) == 0)
            stored = t;
    }
    m_saving = true;
    m_save->setEnabled(false);
    m_banner->hide();
    m_message->setText(tr("Saving…"));
    const QString path = m_dbPath;
    continueOnGui(
        QtConcurrent::run([path, type, instance, stored]() -> Result<qint64> {
            auto db = SqlSession::open(path, SqlSession::Mode::ReadWrite);
            if (!db)
                return db.error();
            CampaignStore store(**db);
            CampaignTypeRow t = type;
            if (!stored) {
                Result<qint64> id = store.addType(t);
                if (!id)
                    return id.error();
            } else {
                t.id = stored->id;
                t.name = stored->name;
                CampaignTypeRow before = *stored;
                const bool same = before.priority == t.priority && before.daysBeforeEvent == t.daysBeforeEvent
                    && before.targetAllContacts == t.targetAllContacts
                    && before.respectExclusionWindows == t.respectExclusionWindows
                    && before.enableFollowups == t.enableFollowups && before.spreadEvenly == t.spreadEvenly
                    && before.skipFailedUnderwriting == t.skipFailedUnderwriting && before.active == t.active;
                if (!same) {
                    if (Result<void> edited = store.editType(t); !edited)
                        return edited.error();
                }
            }
            CampaignInstanceRow i = instance;
            i.campaignType = t.name;
            if (i.id == 0)
                return store.addInstance(i);
            if (Result<void> edited = store.editInstance(i); !edited)
                return edited.error();
            return i.id;
        }),
        this, [this](const Result<qint64> &id) {
            m_saving = false;
            m_save->setEnabled(true);
            if (!id) {
                showError(id.errorMessage());
                return;
            }
            m_savedId = *id;
            Q_EMIT saved(*id);
            accept();
        });
}
