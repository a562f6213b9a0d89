#pragma once

#include "config.h"
#include "items/campaignpresets.h"
#include "storage/campaignstore.h"

#include <QDate>
#include <QDialog>

class AuditTrailView;
class CampaignInstanceModel;
class CampaignTypeModel;
class MessageBanner;
class QLabel;
class QPushButton;
class QTabWidget;
class QTableView;
class QToolButton;

// The Campaigns window (SPEC section 12, UX "Campaigns and the do-not-email list"): every
// campaign instance with whether it is live, its dates, whom it reaches, its audience on the
// "as of" day and what the last run did with it; the types below. New campaigns start from a
// ready-made kind; changing, enrolling from a CSV file and ending show their effect before they
// are saved. The history of changes is a tab of its own.
class CampaignsWindow final : public QDialog
{
    Q_OBJECT

public:
    explicit CampaignsWindow(QWidget *parent = nullptr);

    void setDatabase(const QString &path);
    void setToday(QDate today);
    void setConfig(const Config &config);
    void reload();

    CampaignInstanceModel *instanceModel() const { return m_instances; }
    CampaignTypeModel *typeModel() const { return m_types; }
    QTableView *instanceView() const { return m_instanceView; }
    QTableView *typeView() const { return m_typeView; }
    QTabWidget *tabs() const { return m_tabs; }
    AuditTrailView *history() const { return m_history; }
    QToolButton *newButton() const { return m_new; }
    QString bannerText() const;
    // The instance of the current row (0 when none).
    qint64 currentInstanceId() const;
    bool selectInstance(qint64 instanceId);

    // What the buttons do.
    void newCampaign(CampaignPreset::Kind kind);
    void editCurrent();
    void enrolCurrent();
    void endCurrent();

Q_SIGNALS:
    void loaded();
    // Campaigns, instances or enrolments changed in the database.
    void campaignsChanged();

private:
    void updateButtons();
    void changed(const QString &message);

    QString m_path;
    QDate m_today;
    Config m_config;
    quint64 m_token = 0;
    qint64 m_selectAfterLoad = 0;
    CampaignInstanceModel *m_instances = nullptr;
    CampaignTypeModel *m_types = nullptr;
    QTabWidget *m_tabs = nullptr;
    MessageBanner *m_banner = nullptr;
    QLabel *m_asOf = nullptr;
    QTableView *m_instanceView = nullptr;
    QTableView *m_typeView = nullptr;
    QToolButton *m_new = nullptr;
    QPushButton *m_edit = nullptr;
    QPushButton *m_enrol = nullptr;
    QPushButton *m_end = nullptr;
    QPushButton *m_export = nullptr;
    AuditTrailView *m_history = nullptr;
};
