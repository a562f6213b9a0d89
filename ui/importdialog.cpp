#include "importdialog.h"

#include "config.h"
#include "csvmappingbox.h"
#include "csvsourcebox.h"
#include "messagebanner.h"
#include "rejectedrowsview.h"
#include "storage/pg/pgconnection.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QGridLayout>
#include <QGroupBox>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QScreen>
#include <QSettings>
#include <QSplitter>
#include <QStandardPaths>
#include <QTableWidget>
#include <QTimer>
#include <QVBoxLayout>

#include <utility>

using namespace ContactImport;

namespace {

const QString LastFolderKey = QStringLiteral("csv/importFolder");

QStringList fieldNames()
{
    QStringList names;
    for (int i = 0; i < FieldCount; ++i)
        names << displayName(Field(i));
    return names;
}

} // namespace

ImportDialog::ImportDialog(const QString &dbPath, QWidget *parent)
    : QDialog(parent), m_dbPath(dbPath), m_today(currentDate(Config())),
      m_source(new CsvSourceBox(tr("Import contacts"), LastFolderKey, this)),
      m_mapping(new CsvMappingBox(tr("Columns → contact fields"), fieldNames(), 3, this)),
      m_dates(new QLabel(this)), m_summary(new QLabel(this)), m_failures(new RejectedRowsView(this)),
      m_conflict(new QComboBox(this)), m_progress(new QProgressBar(this)), m_message(new QLabel(this)),
      m_banner(new MessageBanner(this)), m_importButton(new QPushButton(tr("Import"), this)),
      m_closeButton(new QPushButton(tr("Close"), this)), m_analysisTimer(new QTimer(this))
{
    setWindowTitle(tr("Import contacts"));

    m_conflict->addItem(tr("Skip the row (keep the stored contact)"), int(OnConflict::Skip));
    m_conflict->addItem(tr("Update the stored contact with the file's values"), int(OnConflict::Update));
    m_conflict->addItem(tr("Abort the whole import"), int(OnConflict::Abort));

    m_dates->setWordWrap(true);
    m_summary->setWordWrap(true);
    m_source->pathEdit()->setObjectName(QStringLiteral("importPath"));
    m_summary->setObjectName(QStringLiteral("importSummary"));
    m_message->setObjectName(QStringLiteral("importMessage"));
    m_banner->setObjectName(QStringLiteral("importBanner"));
    m_conflict->setObjectName(QStringLiteral("importConflict"));

    auto *checkBox = new QGroupBox(tr("Check"), this);
    auto *checkLayout = new QVBoxLayout(checkBox);
    checkLayout->addWidget(m_dates);
    checkLayout->addWidget(m_summary);
    checkLayout->addWidget(m_failures, 1);

    auto *splitter = new QSplitter(Qt::Vertical, this);
    splitter->addWidget(m_source->previewTable());
    splitter->addWidget(m_mapping);
    splitter->addWidget(checkBox);
    // Extra height goes to the rejected rows first, then to the file preview.
    splitter->setStretchFactor(0, 1);
    splitter->setStretchFactor(1, 0);
    splitter->setStretchFactor(2, 2);
    splitter->setChildrenCollapsible(false);

    auto *conflictRow = new QFormLayout;
    conflictRow->addRow(tr("When the email &already exists:"), m_conflict);

    m_progress->setRange(0, 1000);
    m_progress->setVisible(false);
    m_message->setWordWrap(true);
    m_message->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto *buttons = new QDialogButtonBox(this);
    buttons->addButton(m_importButton, QDialogButtonBox::AcceptRole);
    buttons->addButton(m_closeButton, QDialogButtonBox::RejectRole);
    m_importButton->setDefault(true);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_source);
    layout->addWidget(splitter, 1);
    layout->addLayout(conflictRow);
    layout->addWidget(m_progress);
    layout->addWidget(m_banner);
    layout->addWidget(m_message);
    layout->addWidget(buttons);

    m_analysisTimer->setSingleShot(true);
    m_analysisTimer->setInterval(250);

    // Big enough for the preview, the mapping and a page of rejected rows, within the screen.
    QSize size(1100, 860);
    if (const QScreen *screen = parent ? parent->screen() : QGuiApplication::primaryScreen())
        size = size.boundedTo(screen->availableSize() * 0.95);
    resize(size);

    connect(m_source, &CsvSourceBox::previewLoaded, this, &ImportDialog::onPreviewLoaded);
    connect(m_source, &CsvSourceBox::failed, this, &ImportDialog::showError);
    connect(m_mapping, &CsvMappingBox::mappingChanged, this, [this] {
        m_source->setColumnNotes(m_mapping->columnNotes());
        scheduleAnalysis();
    });
    connect(m_conflict, &QComboBox::currentIndexChanged, this, [this] {
        // Another rule for existing emails (update them, say) makes the same file worth importing.
        m_imported = false;
        updateButtons();
    });
    connect(m_analysisTimer, &QTimer::timeout, this, &ImportDialog::startAnalysis);
    connect(&m_analysisWatcher, &QFutureWatcher<Result<ImportReport>>::finished, this,
            &ImportDialog::showAnalysis);
    connect(&m_importWatcher, &QFutureWatcher<Result<ImportReport>>::finished, this,
            &ImportDialog::importFinished);
    connect(&m_importWatcher, &QFutureWatcher<Result<ImportReport>>::progressValueChanged, m_progress,
            &QProgressBar::setValue);
    connect(m_failures, &RejectedRowsView::saveRequested, this, &ImportDialog::saveFailures);
    connect(m_importButton, &QPushButton::clicked, this, &ImportDialog::startImport);
    connect(m_closeButton, &QPushButton::clicked, this, &ImportDialog::reject);
    updateButtons();
}

ImportDialog::~ImportDialog()
{
    // Workers hold copies of their inputs; a cancelled import rolls back on its own.
    m_analysisWatcher.cancel();
    m_importWatcher.cancel();
}

void ImportDialog::setToday(QDate today)
{
    m_today = today;
    scheduleAnalysis();
}

bool ImportDialog::isBusy() const
{
    return m_importWatcher.isRunning();
}

Mapping ImportDialog::mapping() const
{
    Mapping m;
    for (int i = 0; i < FieldCount; ++i)
        m.setColumn(Field(i), m_mapping->column(i));
    return m;
}

ImportSettings ImportDialog::settings() const
{
    ImportSettings s;
    s.csvPath = m_source->csvPath();
    s.dialect = m_source->dialect();
    s.mapping = mapping();
    s.onConflict = OnConflict(m_conflict->currentData().toInt());
    s.today = m_today;
    return s;
}

void ImportDialog::setCsvPath(const QString &path)
{
    m_source->setCsvPath(path);
}

void ImportDialog::onPreviewLoaded()
{
    showStatus(QString());
    const FilePreview &p = m_source->preview();
    QList<int> guess;
    for (int f = 0; f < FieldCount; ++f)
        guess << p.guessedMapping.column(Field(f));
    // Another file is mapped afresh from its header; the same file keeps the user's choices.
    const bool anotherFile = m_source->csvPath() != m_mappedPath;
    m_mappedPath = m_source->csvPath();
    const QSignalBlocker blocker(m_mapping);
    m_mapping->setHeader(p.header, guess, anotherFile);
    m_source->setColumnNotes(m_mapping->columnNotes());
    scheduleAnalysis();
}

void ImportDialog::scheduleAnalysis()
{
    m_analysisValid = false;
    m_imported = false; // another file or other settings: a new import
    updateButtons();
    if (!m_source->csvPath().isEmpty())
        m_analysisTimer->start();
}

void ImportDialog::startAnalysis()
{
    if (m_importWatcher.isRunning())
        return;
    // A newer request replaces the running one; its result is never shown.
    m_analysisWatcher.cancel();
    m_summary->setText(tr("Checking every row…"));
    m_analysisWatcher.setFuture(ContactImport::runAsync(QString(), settings()));
}

void ImportDialog::showAnalysis()
{
    const QFuture<Result<ImportReport>> future = m_analysisWatcher.future();
    if (future.isCanceled() || future.resultCount() == 0)
        return;
    const Result<ImportReport> result = future.result();
    m_failures->clear();
    if (!result.ok()) {
        m_analysisValid = false;
        m_dates->clear();
        m_summary->setText(result.errorMessage());
        updateButtons();
        emit analysed(false);
        return;
    }
    m_analysis = *result;
    m_analysisValid = true;
    QStringList dates;
    for (const DateColumnReport &d : std::as_const(m_analysis.dates)) {
        dates.append(tr("%1: format %2 — %3 of %4 rows parse")
                         .arg(displayName(d.field), d.format.isEmpty() ? tr("unknown") : d.format)
                         .arg(d.parsed)
                         .arg(d.nonEmpty));
    }
    m_dates->setText(dates.isEmpty() ? tr("No date column is mapped.") : dates.join(u'\n'));
    m_summary->setText(tr("%1 rows: %2 will be imported, %3 rejected.")
                           .arg(m_analysis.rows)
                           .arg(m_analysis.good)
                           .arg(m_analysis.failedRows));
    const int shown = int(qMin<qsizetype>(RejectedRowsView::ShownRows, m_analysis.failures.size()));
    if (m_analysis.failedRows > shown)
        m_summary->setText(m_summary->text() + u' '
                           + tr("The list shows the first %1; “Save rejected rows…” writes all %2.")
                                 .arg(shown)
                                 .arg(m_analysis.failedRows));
    m_failures->setRows(m_analysis.failures, m_analysis.failedRows);
    updateButtons();
    emit analysed(true);
}

void ImportDialog::saveFailures()
{
    const QString path = m_failures->askSavePath(m_source->csvPath());
    if (path.isEmpty())
        return;
    const ExportOutcome outcome = writeFailures(path, m_analysis);
    if (!outcome.ok())
        showError(outcome.error->message);
    else
        showStatus(tr("Saved %1 rejected rows to %2.").arg(outcome.rows).arg(QDir::toNativeSeparators(path)));
}

void ImportDialog::startImport()
{
    if (isBusy() || m_dbPath.isEmpty())
        return;
    m_analysisWatcher.cancel();
    m_progress->setValue(0);
    m_progress->setVisible(true);
    // A server by its name without the password, a file by its path.
    showStatus(tr("Importing into %1…")
                   .arg(PgSpec::isConnectionSpec(m_dbPath) ? PgSpec::displayName(m_dbPath)
                                                           : QDir::toNativeSeparators(m_dbPath)));
    m_importWatcher.setFuture(ContactImport::runAsync(m_dbPath, settings()));
    updateButtons();
}

void ImportDialog::importFinished()
{
    m_progress->setVisible(false);
    const QFuture<Result<ImportReport>> future = m_importWatcher.future();
    if (future.resultCount() == 0) {
        showStatus(tr("Import cancelled; the database was not changed."));
        updateButtons();
        return;
    }
    const Result<ImportReport> result = future.result();
    if (!result.ok()) {
        showError(result.errorMessage());
    } else {
        showStatus(tr("Imported %1 new contacts, updated %2, skipped %3 existing, rejected %4.")
                       .arg(result->inserted)
                       .arg(result->updated)
                       .arg(result->skippedExisting)
                       .arg(result->failedRows));
        // Pressing Import again would only skip the rows just added: done, Close is next.
        m_imported = true;
        emit imported(*result);
    }
    updateButtons();
}

void ImportDialog::showError(const QString &message)
{
    m_message->clear();
    m_banner->showMessage(MessageBanner::Kind::Error, message);
}

void ImportDialog::showStatus(const QString &text)
{
    m_banner->hide();
    m_message->setText(text);
}

void ImportDialog::updateButtons()
{
    const bool busy = isBusy();
    m_importButton->setEnabled(!busy && !m_imported && m_analysisValid && m_analysis.good > 0
                               && !m_dbPath.isEmpty());
    m_importButton->setDefault(!m_imported);
    m_closeButton->setDefault(m_imported);
    m_failures->saveButton()->setEnabled(m_analysisValid && m_analysis.failedRows > 0);
    m_closeButton->setText(busy ? tr("Cancel") : tr("Close"));
    m_source->setInputsEnabled(!busy);
    m_conflict->setEnabled(!busy);
    if (m_dbPath.isEmpty())
        m_importButton->setToolTip(tr("Open a database first."));
    else
        m_importButton->setToolTip(m_imported ? tr("This file is imported. Choose another file or change a "
                                                   "setting to import again.")
                                              : QString());
}

void ImportDialog::reject()
{
    if (isBusy()) {
        m_message->setText(tr("Cancelling…"));
        m_importWatcher.cancel();
        return;
    }
    QDialog::reject();
}
