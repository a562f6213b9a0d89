#pragma once

#include "campaign.h"
#include "config.h"
#include "items/campaigneffect.h"
#include "items/campaignpresets.h"

#include <QDate>
#include <QDialog>

#include <atomic>
#include <memory>

class EffectChart;
class OptionalDateEdit;
class QCheckBox;
class QGroupBox;
class MessageBanner;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;
class QTimer;

// Creates or changes a campaign: its type (the reusable settings) and one instance (dates and
// targeting), started from a ready-made kind or from a stored instance. Before anything is
// saved it shows the effect as of the "as of" day: whom it reaches and the emails it adds on
// each day, against the daily cap (computed in the background by the rules engine, again after
// every change). Saving writes through CampaignStore, which records the change in the audit log.
class CampaignEditor final : public QDialog
{
    Q_OBJECT

public:
    // `catalog`: every stored type and instance (a type named like the preset's is reused).
    CampaignEditor(const QString &dbPath, const CampaignCatalog &catalog, QDate today, const Config &config,
                   QWidget *parent = nullptr);
    ~CampaignEditor() override;

    void startFrom(const CampaignPreset &preset);
    void editInstance(qint64 instanceId);

    CampaignTypeRow typeRow() const;
    CampaignInstanceRow instanceRow() const;
    // The instance id once saved (0 before).
    qint64 savedInstanceId() const { return m_savedId; }
    bool isComputing() const { return m_computing; }
    const CampaignEffect &effect() const { return m_effect; }
    // The effect compared with the stored campaigns (before: zero for a new campaign).
    const CampaignChange &change() const { return m_change; }
    QString effectText() const;
    QString messageText() const;

public Q_SLOTS:
    void save();

Q_SIGNALS:
    // The effect of the current settings is on screen.
    void effectShown();
    void saved(qint64 instanceId);

private:
    void fill(const CampaignTypeRow &type, const CampaignInstanceRow &instance);
    void scheduleEffect();
    void computeEffect();
    void showEffect(const Result<CampaignChange> &change);
    void updateTypeNote();
    void showError(const QString &message);

    QString m_dbPath;
    CampaignCatalog m_catalog;
    QDate m_today;
    Config m_config;
    qint64 m_typeId = 0;
    qint64 m_instanceId = 0;
    qint64 m_savedId = 0;
    bool m_saving = false;
    bool m_computing = false;
    quint64 m_token = 0;
    std::shared_ptr<std::atomic<bool>> m_cancel;
    CampaignEffect m_effect;
    CampaignChange m_change;
    QDate m_effectDay;

    QLabel *m_intro = nullptr;
    QLineEdit *m_typeName = nullptr;
    QLabel *m_typeNote = nullptr;
    QSpinBox *m_priority = nullptr;
    QSpinBox *m_daysBefore = nullptr;
    QCheckBox *m_allContacts = nullptr;
    QCheckBox *m_respectWindows = nullptr;
    QCheckBox *m_followups = nullptr;
    QCheckBox *m_spread = nullptr;
    QCheckBox *m_skipFailed = nullptr;
    QCheckBox *m_active = nullptr;
    QLineEdit *m_name = nullptr;
    OptionalDateEdit *m_from = nullptr;
    OptionalDateEdit *m_until = nullptr;
    OptionalDateEdit *m_spreadFrom = nullptr;
    OptionalDateEdit *m_spreadUntil = nullptr;
    QLineEdit *m_states = nullptr;
    QLineEdit *m_carriers = nullptr;
    QGroupBox *m_effectBox = nullptr;
    QLabel *m_effectText = nullptr;
    EffectChart *m_chart = nullptr;
    QLabel *m_message = nullptr;
    MessageBanner *m_banner = nullptr;
    QPushButton *m_save = nullptr;
    QTimer *m_delay = nullptr;
};
