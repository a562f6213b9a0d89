#include "importdialog.h"

#include "config.h"
#include "messagebanner.h"

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

constexpr int PreviewRows = 50;
// The rejected-rows table shows this many; all of them can be saved to a file.
constexpr int ShownFailures = 1000;

const QString LastFolderKey = QStringLiteral("csv/importFolder");

QTableWidgetItem *readOnlyItem(const QString &text)
{
    auto *item = new QTableWidgetItem(text);
    item->setFlags(item->flags() & ~Qt::ItemIsEditable);
    return item;
}

} // namespace

ImportDialog::ImportDialog(const QString &dbPath, QWidget *parent)
    : QDialog(parent), m_dbPath(dbPath), m_today(currentDate(Config())), m_path(new QLineEdit(this)),
      m_detected(new QLabel(this)), m_separator(new QComboBox(this)), m_quote(new QComboBox(this)),
      m_encoding(new QComboBox(this)),
      m_hasHeader(new QCheckBox(tr("First row holds the column names"), this)),
      m_preview(new QTableWidget(this)), m_dates(new QLabel(this)), m_summary(new QLabel(this)),
      m_failures(new QTableWidget(this)), m_saveFailures(new QPushButton(tr("Save rejected rows…"), this)),
      m_conflict(new QComboBox(this)), m_progress(new QProgressBar(this)), m_message(new QLabel(this)),
      m_banner(new MessageBanner(this)), m_importButton(new QPushButton(tr("Import"), this)),
      m_closeButton(new QPushButton(tr("Close"), this)), m_analysisTimer(new QTimer(this))
{
    setWindowTitle(tr("Import contacts"));

    m_separator->addItem(tr("Comma ( , )"), QStringLiteral(","));
    m_separator->addItem(tr("Semicolon ( ; )"), QStringLiteral(";"));
    m_separator->addItem(tr("Tab"), QStringLiteral("\t"));
    m_separator->addItem(tr("Pipe ( | )"), QStringLiteral("|"));
    m_quote->addItem(tr("Double quote ( \" )"), QStringLiteral("\""));
    m_quote->addItem(tr("Single quote ( ' )"), QStringLiteral("'"));
    for (int e = 0; e < CsvDialect::EncodingCount; ++e)
        m_encoding->addItem(CsvDialect::encodingName(CsvDialect::Encoding(e)), e);
    m_conflict->addItem(tr("Skip the row (keep the stored contact)"), int(OnConflict::Skip));
    m_conflict->addItem(tr("Update the stored contact with the file's values"), int(OnConflict::Update));
    m_conflict->addItem(tr("Abort the whole import"), int(OnConflict::Abort));

    auto *browseButton = new QPushButton(tr("Browse…"), this);
    auto *fileRow = new QHBoxLayout;
    fileRow->addWidget(new QLabel(tr("&File:"), this));
    fileRow->addWidget(m_path, 1);
    fileRow->addWidget(browseButton);
    qobject_cast<QLabel *>(fileRow->itemAt(0)->widget())->setBuddy(m_path);

    auto *dialectRow = new QHBoxLayout;
    for (const auto &[text, field] : { std::pair { tr("&Separator:"), static_cast<QWidget *>(m_separator) },
                                       std::pair { tr("&Quote:"), static_cast<QWidget *>(m_quote) },
                                       std::pair { tr("E&ncoding:"), static_cast<QWidget *>(m_encoding) } }) {
        auto *label = new QLabel(text, this);
        label->setBuddy(field); // without a buddy the '&' would show literally
        dialectRow->addWidget(label);
        dialectRow->addWidget(field);
    }
    dialectRow->addWidget(m_hasHeader);
    dialectRow->addStretch(1);

    m_preview->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_preview->verticalHeader()->setVisible(false);

    auto *mappingBox = new QGroupBox(tr("Columns → contact fields"), this);
    auto *mappingGrid = new QGridLayout(mappingBox);
    for (int i = 0; i < FieldCount; ++i) {
        auto *combo = new QComboBox(mappingBox);
        m_mapping[size_t(i)] = combo;
        auto *label = new QLabel(displayName(Field(i)) + u':', mappingBox);
        label->setBuddy(combo);
        // Three fields a row keep the mapping short, leaving the height to the rejected rows.
        mappingGrid->addWidget(label, i / 3, (i % 3) * 2);
        mappingGrid->addWidget(combo, i / 3, (i % 3) * 2 + 1);
        connect(combo, &QComboBox::currentIndexChanged, this, &ImportDialog::scheduleAnalysis);
    }

    m_dates->setWordWrap(true);
    m_summary->setWordWrap(true);
    m_failures->setObjectName(QStringLiteral("rejectedRows"));
    m_path->setObjectName(QStringLiteral("importPath"));
    m_summary->setObjectName(QStringLiteral("importSummary"));
    m_message->setObjectName(QStringLiteral("importMessage"));
    m_banner->setObjectName(QStringLiteral("importBanner"));
    m_conflict->setObjectName(QStringLiteral("importConflict"));
    m_failures->setColumnCount(3);
    m_failures->setHorizontalHeaderLabels({ tr("Line"), tr("Field"), tr("Why it is rejected") });
    m_failures->horizontalHeader()->setStretchLastSection(true);
    m_failures->verticalHeader()->setVisible(false);
    m_failures->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_failures->setAlternatingRowColors(true);
    m_failures->horizontalHeader()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    m_failures->horizontalHeader()->setSectionResizeMode(1, QHeaderView::ResizeToContents);
    // Room for about eight rejected rows before scrolling, whatever the splitter does.
    m_failures->setMinimumHeight(m_failures->horizontalHeader()->sizeHint().height()
                                 + 8 * m_failures->verticalHeader()->defaultSectionSize() + 4);
    m_failures->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);

    auto *checkBox = new QGroupBox(tr("Check"), this);
    auto *checkLayout = new QVBoxLayout(checkBox);
    checkLayout->addWidget(m_dates);
    checkLayout->addWidget(m_summary);
    checkLayout->addWidget(m_failures, 1);
    auto *failuresRow = new QHBoxLayout;
    failuresRow->addStretch(1);
    failuresRow->addWidget(m_saveFailures);
    checkLayout->addLayout(failuresRow);

    auto *splitter = new QSplitter(Qt::Vertical, this);
    splitter->addWidget(m_preview);
    splitter->addWidget(mappingBox);
    splitter->addWidget(checkBox);
    // Extra height goes to the rejected rows first, then to the file preview.
    splitter->setStretchFactor(0, 1);
    splitter->setStretchFactor(1, 0);
    splitter->setStretchFactor(2, 2);
    splitter->setChildrenCollapsible(false);
    m_preview->setMinimumHeight(m_preview->horizontalHeader()->sizeHint().height()
                                + 3 * m_preview->verticalHeader()->defaultSectionSize() + 4);

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
    layout->addLayout(fileRow);
    layout->addWidget(m_detected);
    layout->addLayout(dialectRow);
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

    connect(browseButton, &QPushButton::clicked, this, &ImportDialog::browse);
    connect(m_path, &QLineEdit::editingFinished, this, [this] {
        // Focus leaving the field also ends editing: only a changed path is loaded again.
        if (!m_path->text().isEmpty() && m_path->text() != m_loadedPath)
            setCsvPath(m_path->text());
    });
    connect(m_separator, &QComboBox::currentIndexChanged, this, &ImportDialog::reloadPreview);
    connect(m_quote, &QComboBox::currentIndexChanged, this, &ImportDialog::reloadPreview);
    connect(m_encoding, &QComboBox::currentIndexChanged, this, &ImportDialog::reloadPreview);
    connect(m_hasHeader, &QCheckBox::toggled, this, &ImportDialog::reloadPreview);
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
    connect(m_saveFailures, &QPushButton::clicked, this, &ImportDialog::saveFailures);
    connect(m_importButton, &QPushButton::clicked, this, &ImportDialog::startImport);
    connect(m_closeButton, &QPushButton::clicked, this, &ImportDialog::reject);
    updateButtons();
}

ImportDialog::~ImportDialog()
{
    // Closing moves the focus out of the path field, whose editingFinished must not reach a
    // half-destroyed dialog.
    m_path->disconnect(this);
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

CsvDialect ImportDialog::dialect() const
{
    CsvDialect d;
    d.separator = m_separator->currentData().toString().front();
    d.quote = m_quote->currentData().toString().front();
    d.encoding = CsvDialect::Encoding(m_encoding->currentData().toInt());
    d.header = m_hasHeader->isChecked();
    return d;
}

Mapping ImportDialog::mapping() const
{
    Mapping m;
    for (int i = 0; i < FieldCount; ++i)
        m.setColumn(Field(i), m_mapping[size_t(i)]->currentData().toInt());
    return m;
}

ImportSettings ImportDialog::settings() const
{
    ImportSettings s;
    s.csvPath = m_path->text();
    s.dialect = dialect();
    s.mapping = mapping();
    s.onConflict = OnConflict(m_conflict->currentData().toInt());
    s.today = m_today;
    return s;
}

void ImportDialog::browse()
{
    QSettings settings;
    const QString folder
        = settings.value(LastFolderKey, QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation))
              .toString();
    const QString path = QFileDialog::getOpenFileName(this, tr("Import contacts"), folder,
                                                      tr("CSV files (*.csv *.txt *.tsv);;All files (*)"));
    if (path.isEmpty())
        return;
    settings.setValue(LastFolderKey, QFileInfo(path).absolutePath());
    setCsvPath(path);
}

void ImportDialog::setCsvPath(const QString &path)
{
    m_path->setText(path);
    m_loadedPath = path;
    const Result<CsvDialect> detected = CsvDialect::detectFile(path);
    if (!detected.ok()) {
        showError(detected.errorMessage());
        m_header.clear();
        m_preview->clear();
        m_analysisValid = false;
        updateButtons();
        return;
    }
    const CsvDialect &d = *detected;
    const QSignalBlocker b1(m_separator), b2(m_quote), b3(m_encoding), b4(m_hasHeader);
    int sep = m_separator->findData(QString(d.separator));
    if (sep < 0) {
        m_separator->addItem(QString(d.separator), QString(d.separator));
        sep = m_separator->count() - 1;
    }
    m_separator->setCurrentIndex(sep);
    m_quote->setCurrentIndex(qMax(0, m_quote->findData(QString(d.quote))));
    m_encoding->setCurrentIndex(m_encoding->findData(int(d.encoding)));
    m_hasHeader->setChecked(d.header);
    m_detected->setText(
        tr("Detected: %1, separator %2, %3%4.")
            .arg(CsvDialect::encodingName(d.encoding) + (d.hasBom ? tr(" with BOM") : QString()),
                 m_separator->currentText(), m_quote->currentText(),
                 d.header ? tr(", header row") : tr(", no header row")));
    m_header.clear(); // forces the mapping to be guessed again
    reloadPreview();
}

void ImportDialog::reloadPreview()
{
    if (m_path->text().isEmpty())
        return;
    const Result<FilePreview> p = preview(m_path->text(), dialect(), PreviewRows);
    if (!p.ok()) {
        showError(p.errorMessage());
        return;
    }
    showStatus(QString());
    if (p->header != m_header)
        rebuildMappingCombos(p->header, p->guessedMapping);
    m_preview->clear();
    m_preview->setColumnCount(int(p->header.size()));
    m_preview->setRowCount(int(p->rows.size()));
    const Mapping m = mapping();
    QStringList labels;
    for (qsizetype c = 0; c < p->header.size(); ++c) {
        QString label = p->header.at(c);
        for (int f = 0; f < FieldCount; ++f) {
            if (m.columns[size_t(f)] == int(c))
                label += u"\n→ " + displayName(Field(f));
        }
        labels.append(label);
    }
    m_preview->setHorizontalHeaderLabels(labels);
    for (qsizetype r = 0; r < p->rows.size(); ++r) {
        const QStringList &row = p->rows.at(r);
        for (qsizetype c = 0; c < row.size() && c < p->header.size(); ++c)
            m_preview->setItem(int(r), int(c), readOnlyItem(row.at(c)));
    }
    scheduleAnalysis();
}

void ImportDialog::rebuildMappingCombos(const QStringList &header, const Mapping &guess)
{
    m_header = header;
    for (int i = 0; i < FieldCount; ++i) {
        QComboBox *combo = m_mapping[size_t(i)];
        const QSignalBlocker blocker(combo);
        combo->clear();
        combo->addItem(tr("(not imported)"), -1);
        for (qsizetype c = 0; c < header.size(); ++c)
            combo->addItem(header.at(c), int(c));
        combo->setCurrentIndex(qMax(0, combo->findData(guess.column(Field(i)))));
    }
}

void ImportDialog::scheduleAnalysis()
{
    m_analysisValid = false;
    m_imported = false; // another file or other settings: a new import
    updateButtons();
    if (!m_path->text().isEmpty())
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
    m_failures->setRowCount(0);
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
    const int shown = int(qMin<qsizetype>(ShownFailures, m_analysis.failures.size()));
    if (m_analysis.failedRows > shown)
        m_summary->setText(m_summary->text() + u' '
                           + tr("The list shows the first %1; “Save rejected rows…” writes all %2.")
                                 .arg(shown)
                                 .arg(m_analysis.failedRows));
    m_failures->setRowCount(shown);
    for (int i = 0; i < shown; ++i) {
        const RowFailure &f = m_analysis.failures.at(i);
        m_failures->setItem(i, 0, readOnlyItem(QString::number(f.line)));
        m_failures->setItem(i, 1, readOnlyItem(f.field));
        m_failures->setItem(i, 2, readOnlyItem(f.reason));
    }
    updateButtons();
    emit analysed(true);
}

void ImportDialog::saveFailures()
{
    const QString path = QFileDialog::getSaveFileName(
        this, tr("Save rejected rows"),
        QFileInfo(m_path->text())
            .absoluteDir()
            .filePath(QFileInfo(m_path->text()).completeBaseName() + tr("-rejected.csv")),
        tr("CSV files (*.csv);;All files (*)"));
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
    showStatus(tr("Importing into %1…").arg(QDir::toNativeSeparators(m_dbPath)));
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
    m_saveFailures->setEnabled(m_analysisValid && m_analysis.failedRows > 0);
    m_closeButton->setText(busy ? tr("Cancel") : tr("Close"));
    for (QWidget *w : std::initializer_list<QWidget *> { m_path, m_separator, m_quote, m_encoding,
                                                         m_hasHeader, m_conflict })
        w->setEnabled(!busy);
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
