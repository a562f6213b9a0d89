#pragma once

#include "csv/csvexport.h"

#include <QDialog>
#include <QFutureWatcher>
#include <QPointer>

#include <memory>

class QAbstractItemModel;
class QCheckBox;
class QComboBox;
class MessageBanner;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QTableView;
class QTimer;
struct BatchResult;

// The CSV export dialog: what to export (the current filtered view, the stored schedule, the
// contacts, their problems, or a computed preview), the CSV options (remembered in QSettings)
// and the file; writes in the background with progress and cancel, atomically.
//
// Use from MainWindow:
//     auto *dialog = new ExportDialog(currentView, dbPath, this); // currentView may be null
//     dialog->setPreviewResult(batchResult);                      // optional: offer the preview
//     dialog->setAttribute(Qt::WA_DeleteOnClose);
//     dialog->open();
// `currentView` is the model the user is looking at (the filter proxy): exactly its rows and
// columns are written. `dbPath` may be empty when no database is open (then only the view and
// the preview can be exported). The lazy contact table is not exported through its model (its
// rows arrive page by page): pass null and setContactView(contactViewOf(table)) instead, and
// the same filter and sort run in SQLite in the background.
class ExportDialog : public QDialog
{
    Q_OBJECT

public:
    enum class Source { CurrentView, Schedule, Contacts, Problems, Preview };

    ExportDialog(QAbstractItemModel *currentView, const QString &dbPath, QWidget *parent = nullptr);
    ~ExportDialog() override;

    // Opens a non-modal dialog (deleted on close) exporting `model`, a small fully loaded model
    // such as the problems or the schedule preview; `dbPath` may be empty. `today` is the date the
    // problem checks of the database's sources use (the configured "today"; ignored when invalid).
    static ExportDialog *openForModel(QAbstractItemModel *model, const QString &dbPath, QDate today,
                                      QWidget *parent);
    // The filter, sort and visible columns (on-screen order, header texts) of a table showing a
    // ContactTableModel; nullopt for any other table.
    static std::optional<ExportRequest::ContactView> contactViewOf(const QTableView *table);

    // Makes "the current table" the contact table described by `view` (needs a database).
    void setContactView(std::optional<ExportRequest::ContactView> view);
    void setPreviewResult(std::shared_ptr<const BatchResult> result);
    void setSource(Source source);
    void setOutputPath(const QString &path);
    // The date the problem checks use; the opener passes the configured "today" (until then,
    // currentDate() of the default configuration).
    void setToday(QDate today);

    CsvOptions options() const;
    bool isRunning() const;
    // The folder a new export is proposed in: the last one written to, else Documents, else
    // home — the first of them that exists.
    static QString proposedFolder();

public slots:
    void startExport();
    void reject() override;

signals:
    void exported(const QString &path, qint64 rows);

private:
    void browse();
    void updateState();
    void updateSources();
    void finished(const ExportOutcome &outcome);
    void writeViewSlice();
    Source currentSource() const;

    QPointer<QAbstractItemModel> m_view;
    std::optional<ExportRequest::ContactView> m_contactView;
    QString m_dbPath;
    std::shared_ptr<const BatchResult> m_preview;
    QDate m_today;

    QComboBox *m_source;
    QLineEdit *m_path;
    QComboBox *m_separator;
    QLineEdit *m_otherSeparator;
    QLineEdit *m_quote;
    QCheckBox *m_header;
    QComboBox *m_lineEnding;
    QCheckBox *m_quoteAll;
    QCheckBox *m_bom;
    QCheckBox *m_formulaGuard;
    QCheckBox *m_excelText;
    QProgressBar *m_progress;
    QLabel *m_message;       // progress and outcome
    MessageBanner *m_banner; // errors
    QPushButton *m_exportButton;
    QPushButton *m_closeButton;

    QFutureWatcher<ExportOutcome> m_watcher;
    std::unique_ptr<ModelCsvExport> m_viewExport;
    QTimer *m_viewTimer;
};
