#pragma once

#include "campaign.h"
#include "config.h"
#include "csv/listimport.h"

#include <QDate>
#include <QDialog>

#include <atomic>
#include <memory>
#include <optional>

class CampaignChangeView;
class CsvMappingBox;
class CsvSourceBox;
class QComboBox;
class MessageBanner;
class QLabel;
class QPushButton;
class RejectedRowsView;

// Imports one of the lists staff bring as CSV files, with the parts of contact import (file and
// dialect, column mapping, rejected rows with their line, saved on request): the do-not-email
// list (an email service's unsubscribe export) or the enrolments of a campaign instance
// (contact id or email, and trigger date). The good rows are written in one transaction in
// the background; the rejected ones stay listed.
class ListImportDialog final : public QDialog
{
    Q_OBJECT

public:
    enum class Kind { Suppressions, Enrolment };

    // `instanceId` and `instanceTitle`: the instance to enrol into (Enrolment only).
    ListImportDialog(Kind kind, const QString &dbPath, qint64 instanceId = 0,
                     const QString &instanceTitle = {}, QWidget *parent = nullptr);
    ~ListImportDialog() override;

    void setCsvPath(const QString &path);
    // Enrolment: after each check, work out (in the background, through the engine) what
    // enrolling the file's rows does to the instance as of `today`, audience and sends per day,
    // and show it before anything is written. `catalog`: the stored campaigns.
    void showEnrolmentEffect(const CampaignCatalog &catalog, QDate today, const Config &config);
    // The effect's lines (empty before the first check).
    QString effectText() const;
    bool isBusy() const { return m_busy; }
    QString summaryText() const;
    RejectedRowsView *rejectedRows() const { return m_failures; }

public Q_SLOTS:
    void startImport();

Q_SIGNALS:
    // The file was read and checked (Enrolment) or loaded (Suppressions).
    void checked();
    // The effect of enrolling the checked rows is on screen (see showEnrolmentEffect).
    void effectShown();
    // Rows were written; the lists and the contact table should reload.
    void imported();
    // The import ended (written or failed).
    void finished(bool ok);

private:
    void onPreviewLoaded();
    void check();
    void saveFailures();
    void showFailures(const QList<ContactImport::RowFailure> &failures);
    void computeEffect(const std::vector<EnrolmentInput> &rows, quint64 token);
    void showError(const QString &message);
    void updateButtons();
    EnrolmentImport::Settings enrolmentSettings() const;
    SuppressionImport::Settings suppressionSettings() const;

    Kind m_kind;
    QString m_dbPath;
    qint64 m_instanceId = 0;
    QString m_mappedPath;
    bool m_busy = false;
    bool m_done = false;
    quint64 m_token = 0;
    ContactImport::ImportReport m_report; // for "Save rejected rows…"
    // What showEnrolmentEffect() was given.
    struct EffectContext
    {
        CampaignCatalog catalog;
        QDate today;
        Config config;
    };
    std::optional<EffectContext> m_effectContext;
    std::shared_ptr<std::atomic<bool>> m_cancelEffect;

    CsvSourceBox *m_source = nullptr;
    CsvMappingBox *m_mapping = nullptr;
    QComboBox *m_defaultReason = nullptr;
    QLabel *m_summary = nullptr;
    CampaignChangeView *m_effect = nullptr;
    RejectedRowsView *m_failures = nullptr;
    QLabel *m_message = nullptr;
    MessageBanner *m_banner = nullptr;
    QPushButton *m_import = nullptr;
    QPushButton *m_close = nullptr;
};
