#pragma once

#include "csv/contactimport.h"

#include <QDialog>
#include <QFutureWatcher>

class CsvMappingBox;
class CsvSourceBox;
class QComboBox;
class MessageBanner;
class QLabel;
class QProgressBar;
class QPushButton;
class QTimer;
class RejectedRowsView;

// The contact import dialog: pick a CSV file, check the detected separator/quote/encoding/header
// (overridable) against a live preview, map columns onto contact fields (guessed from header
// synonyms), see per date column the detected format and how many rows parse, see the rows
// that will be rejected and why (exportable), choose what happens to existing emails, then
// import the good rows in one transaction in the background.
//
// Use from MainWindow:
//     auto *dialog = new ImportDialog(dbPath, this);
//     connect(dialog, &ImportDialog::imported, this, [...] { reload contacts });
//     dialog->setAttribute(Qt::WA_DeleteOnClose);
//     dialog->open();
class ImportDialog : public QDialog
{
    Q_OBJECT

public:
    explicit ImportDialog(const QString &dbPath, QWidget *parent = nullptr);
    ~ImportDialog() override;

    // Loads a file (also what Browse… does): detects its dialect and guesses the mapping.
    void setCsvPath(const QString &path);
    // The checks' today; the opener passes the configured "today" (until then, currentDate()
    // of the default configuration).
    void setToday(QDate today);

    ContactImport::ImportSettings settings() const;
    ContactImport::Mapping mapping() const;
    // The last completed analysis (for tests and the summary).
    const ContactImport::ImportReport &analysis() const { return m_analysis; }
    bool isBusy() const;

public slots:
    void startImport();
    void reject() override;

signals:
    // The import committed; the contact list should reload.
    void imported(const ContactImport::ImportReport &report);
    // An analysis of the current settings finished (or failed: `ok` false).
    void analysed(bool ok);

private:
    void onPreviewLoaded();
    void scheduleAnalysis();
    void startAnalysis();
    void showAnalysis();
    void importFinished();
    void saveFailures();
    void updateButtons();
    void showError(const QString &message); // in the banner
    void showStatus(const QString &text);   // progress or outcome; hides the banner

    QString m_dbPath;
    QDate m_today;
    QString m_mappedPath; // the file whose header the mapping was guessed from
    ContactImport::ImportReport m_analysis;

    CsvSourceBox *m_source;
    CsvMappingBox *m_mapping;
    QLabel *m_dates;
    QLabel *m_summary;
    RejectedRowsView *m_failures;
    QComboBox *m_conflict;
    QProgressBar *m_progress;
    QLabel *m_message;       // progress and outcome
    MessageBanner *m_banner; // errors
    QPushButton *m_importButton;
    QPushButton *m_closeButton;
    QTimer *m_analysisTimer;

    QFutureWatcher<Result<ContactImport::ImportReport>> m_analysisWatcher;
    QFutureWatcher<Result<ContactImport::ImportReport>> m_importWatcher;
    bool m_analysisValid = false;
    bool m_imported = false; // the analysed file was imported with these settings
};
