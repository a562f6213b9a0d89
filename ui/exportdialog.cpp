#include "exportdialog.h"

#include "batch/batchjob.h"
#include "config.h"
#include "items/contacttablemodel.h"
#include "messagebanner.h"

#include <QAbstractItemModel>
#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QProgressBar>
#include <QPushButton>
#include <QSettings>
#include <QStandardItemModel>
#include <QStandardPaths>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>

namespace {

// Rows written per event-loop turn for the view export: small enough to keep the window
// responsive, large enough to write a million rows in seconds.
constexpr int ViewSliceRows = 5000;

const QString LastFolderKey = QStringLiteral("csv/exportFolder");

} // namespace

ExportDialog::ExportDialog(QAbstractItemModel *currentView, const QString &dbPath, QWidget *parent)
    : QDialog(parent), m_view(currentView), m_dbPath(dbPath), m_today(currentDate(Config())),
      m_source(new QComboBox(this)), m_path(new QLineEdit(this)), m_separator(new QComboBox(this)),
      m_otherSeparator(new QLineEdit(this)), m_quote(new QLineEdit(this)),
      m_header(new QCheckBox(tr("First row holds the column names"), this)),
      m_lineEnding(new QComboBox(this)), m_quoteAll(new QCheckBox(tr("Quote every field"), this)),
      m_bom(new QCheckBox(tr("Start with a UTF-8 BOM (Excel needs it for accents)"), this)),
      m_formulaGuard(new QCheckBox(tr("Protect against formulas (prefix = + - @ with ')"), this)),
      m_excelText(new QCheckBox(tr("Write ZIP and phone as =\"…\" so Excel keeps leading zeros"), this)),
      m_progress(new QProgressBar(this)), m_message(new QLabel(this)), m_banner(new MessageBanner(this)),
      m_exportButton(new QPushButton(tr("Export"), this)), m_closeButton(new QPushButton(tr("Close"), this)),
      m_viewTimer(new QTimer(this))
{
    setWindowTitle(tr("Export CSV"));
    m_source->setObjectName(QStringLiteral("exportSource"));
    m_path->setObjectName(QStringLiteral("exportPath"));
    m_separator->setObjectName(QStringLiteral("exportSeparator"));
    m_lineEnding->setObjectName(QStringLiteral("exportLineEnding"));
    m_message->setObjectName(QStringLiteral("exportMessage"));
    m_banner->setObjectName(QStringLiteral("exportBanner"));

    m_source->addItem(tr("Rows of the current table (as filtered)"), int(Source::CurrentView));
    m_source->addItem(tr("Stored schedule (email_schedules)"), int(Source::Schedule));
    m_source->addItem(tr("Contacts"), int(Source::Contacts));
    m_source->addItem(tr("Contact problems"), int(Source::Problems));
    // "Computed preview of the last run" is listed only once setPreviewResult() gives one.

    m_separator->addItem(tr("Comma ( , )"), QStringLiteral(","));
    m_separator->addItem(tr("Semicolon ( ; )"), QStringLiteral(";"));
    m_separator->addItem(tr("Tab"), QStringLiteral("\t"));
    m_separator->addItem(tr("Other…"), QString());
    m_otherSeparator->setMaxLength(1);
    m_otherSeparator->setMaximumWidth(40);
    m_quote->setMaxLength(1);
    m_quote->setMaximumWidth(40);
    m_lineEnding->addItem(tr("CRLF (Windows, RFC 4180)"), true);
    m_lineEnding->addItem(tr("LF (macOS, Linux)"), false);

    auto *browseButton = new QPushButton(tr("Browse…"), this);
    auto *pathRow = new QHBoxLayout;
    pathRow->addWidget(m_path, 1);
    pathRow->addWidget(browseButton);
    auto *separatorRow = new QHBoxLayout;
    separatorRow->addWidget(m_separator, 1);
    separatorRow->addWidget(m_otherSeparator);

    // A row whose field is a layout gets no buddy from QFormLayout, and a label without a
    // buddy shows its '&' literally: those labels name their buddy themselves.
    const auto labelFor = [this](const QString &text, QWidget *buddy) {
        auto *label = new QLabel(text, this);
        label->setBuddy(buddy);
        return label;
    };
    auto *form = new QFormLayout;
    form->addRow(tr("&Export:"), m_source);
    form->addRow(labelFor(tr("&File:"), m_path), pathRow);
    form->addRow(labelFor(tr("&Separator:"), m_separator), separatorRow);
    form->addRow(tr("&Quote character:"), m_quote);
    form->addRow(tr("&Line ending:"), m_lineEnding);
    form->addRow(QString(), m_header);
    form->addRow(QString(), m_quoteAll);
    form->addRow(QString(), m_bom);
    form->addRow(QString(), m_formulaGuard);
    form->addRow(QString(), m_excelText);

    m_progress->setRange(0, 1000);
    m_progress->setVisible(false);
    m_message->setWordWrap(true);
    m_message->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_exportButton->setDefault(true);

    auto *buttons = new QDialogButtonBox(this);
    buttons->addButton(m_exportButton, QDialogButtonBox::AcceptRole);
    buttons->addButton(m_closeButton, QDialogButtonBox::RejectRole);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_progress);
    layout->addWidget(m_banner);
    layout->addWidget(m_message);
    layout->addWidget(buttons);

    // Remembered choices.
    QSettings settings;
    const CsvOptions o = CsvOptions::load(settings);
    const int sepIndex = m_separator->findData(QString(o.separator));
    m_separator->setCurrentIndex(sepIndex >= 0 ? sepIndex : m_separator->count() - 1);
    if (sepIndex < 0)
        m_otherSeparator->setText(QString(o.separator));
    m_quote->setText(QString(o.quote));
    m_header->setChecked(o.header);
    m_lineEnding->setCurrentIndex(o.lineEnding == CsvOptions::LineEnding::CrLf ? 0 : 1);
    m_quoteAll->setChecked(o.quoteAll);
    m_bom->setChecked(o.utf8Bom);
    m_formulaGuard->setChecked(o.neutraliseFormulas);
    m_excelText->setChecked(o.excelTextFormula);
    m_path->setText(QDir(proposedFolder()).filePath(tr("export.csv")));

    if (!m_view)
        setSource(Source::Contacts);
    updateSources();

    connect(browseButton, &QPushButton::clicked, this, &ExportDialog::browse);
    connect(m_exportButton, &QPushButton::clicked, this, &ExportDialog::startExport);
    connect(m_closeButton, &QPushButton::clicked, this, &ExportDialog::reject);
    connect(m_source, &QComboBox::currentIndexChanged, this, &ExportDialog::updateState);
    connect(m_separator, &QComboBox::currentIndexChanged, this, &ExportDialog::updateState);
    connect(m_path, &QLineEdit::textChanged, this, &ExportDialog::updateState);
    connect(m_otherSeparator, &QLineEdit::textChanged, this, &ExportDialog::updateState);
    connect(m_quote, &QLineEdit::textChanged, this, &ExportDialog::updateState);
    connect(&m_watcher, &QFutureWatcher<ExportOutcome>::progressValueChanged, m_progress,
            &QProgressBar::setValue);
    connect(&m_watcher, &QFutureWatcher<ExportOutcome>::finished, this, [this] {
        const QFuture<ExportOutcome> future = m_watcher.future();
        if (future.resultCount() > 0) {
            finished(future.result());
        } else {
            ExportOutcome cancelled;
            cancelled.error = Error(
                CsvErrorKind::Cancelled,
                tr("Export cancelled; %1 was not changed.").arg(QDir::toNativeSeparators(m_path->text())));
            finished(cancelled);
        }
    });
    connect(m_viewTimer, &QTimer::timeout, this, &ExportDialog::writeViewSlice);
    updateState();
}

QString ExportDialog::proposedFolder()
{
    // The last folder written to, else Documents, else home: the first that exists, so the
    // proposed file can be written without the user looking for a folder first.
    const QSettings settings;
    const QStringList candidates { settings.value(LastFolderKey).toString(),
                                   QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation),
                                   QDir::homePath() };
    for (const QString &folder : candidates) {
        if (!folder.isEmpty() && QFileInfo(folder).isDir())
            return QDir::cleanPath(folder);
    }
    return QDir::currentPath();
}

ExportDialog::~ExportDialog()
{
    // The worker only holds copies of its inputs; cancelling is enough, it finishes on its own.
    if (m_watcher.isRunning())
        m_watcher.cancel();
    if (m_viewExport)
        m_viewExport->cancel();
}

ExportDialog *ExportDialog::openForModel(QAbstractItemModel *model, const QString &dbPath, QDate today,
                                         QWidget *parent)
{
    auto *dialog = new ExportDialog(model, dbPath, parent);
    if (today.isValid())
        dialog->setToday(today);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setSource(Source::CurrentView);
    dialog->open();
    return dialog;
}

std::optional<ExportRequest::ContactView> ExportDialog::contactViewOf(const QTableView *table)
{
    const auto *model = table ? qobject_cast<const ContactTableModel *>(table->model()) : nullptr;
    if (!model)
        return std::nullopt;
    ExportRequest::ContactView view;
    view.index
        = ContactIndexRequest { model->filter(), model->sortColumn(), model->sortOrder(), model->today() };
    const QHeaderView *header = table->horizontalHeader();
    for (int visual = 0; visual < header->count(); ++visual) {
        const int logical = header->logicalIndex(visual);
        if (logical < 0 || header->isSectionHidden(logical))
            continue;
        view.columns.append(logical);
        view.headers.append(model->headerData(logical, Qt::Horizontal, Qt::DisplayRole).toString());
    }
    return view;
}

void ExportDialog::setContactView(std::optional<ExportRequest::ContactView> view)
{
    m_contactView = std::move(view);
    updateSources();
    if (m_contactView && !m_dbPath.isEmpty())
        setSource(Source::CurrentView);
    updateState();
}

void ExportDialog::setPreviewResult(std::shared_ptr<const BatchResult> result)
{
    m_preview = std::move(result);
    updateSources();
    updateState();
}

void ExportDialog::updateSources()
{
    // A source that cannot be exported here is greyed out with the reason, never offered and
    // then refused; the computed preview is listed only while there is one.
    const int previewIndex = m_source->findData(int(Source::Preview));
    if (m_preview && previewIndex < 0)
        m_source->addItem(tr("Computed preview of the last run"), int(Source::Preview));
    else if (!m_preview && previewIndex >= 0)
        m_source->removeItem(previewIndex);

    auto *items = qobject_cast<QStandardItemModel *>(m_source->model());
    const bool hasDb = !m_dbPath.isEmpty();
    const bool hasTable = m_view || (m_contactView && hasDb);
    const QString noTable = tr("There is no table on screen to export.");
    const QString noDb = tr("Open a database first.");
    for (int i = 0; i < m_source->count(); ++i) {
        const auto source = Source(m_source->itemData(i).toInt());
        QString why;
        if (source == Source::CurrentView && !hasTable)
            why = noTable;
        else if ((source == Source::Schedule || source == Source::Contacts || source == Source::Problems)
                 && !hasDb)
            why = noDb;
        if (QStandardItem *item = items ? items->item(i) : nullptr) {
            item->setEnabled(why.isEmpty());
            item->setToolTip(why);
        }
    }
    // Never leave a greyed-out source chosen.
    if (items && items->item(m_source->currentIndex())
        && !items->item(m_source->currentIndex())->isEnabled()) {
        for (int i = 0; i < m_source->count(); ++i) {
            if (items->item(i)->isEnabled()) {
                m_source->setCurrentIndex(i);
                break;
            }
        }
    }
}

void ExportDialog::setSource(Source source)
{
    const int index = m_source->findData(int(source));
    if (index >= 0)
        m_source->setCurrentIndex(index);
}

void ExportDialog::setOutputPath(const QString &path)
{
    m_path->setText(path);
}

void ExportDialog::setToday(QDate today)
{
    m_today = today;
}

ExportDialog::Source ExportDialog::currentSource() const
{
    return Source(m_source->currentData().toInt());
}

CsvOptions ExportDialog::options() const
{
    CsvOptions o;
    const QString sep = m_separator->currentData().toString();
    const QString chosen = sep.isEmpty() ? m_otherSeparator->text() : sep;
    if (chosen.size() == 1)
        o.separator = chosen.front();
    if (m_quote->text().size() == 1)
        o.quote = m_quote->text().front();
    o.header = m_header->isChecked();
    o.lineEnding
        = m_lineEnding->currentData().toBool() ? CsvOptions::LineEnding::CrLf : CsvOptions::LineEnding::Lf;
    o.quoteAll = m_quoteAll->isChecked();
    o.utf8Bom = m_bom->isChecked();
    o.neutraliseFormulas = m_formulaGuard->isChecked();
    o.excelTextFormula = m_excelText->isChecked();
    return o;
}

bool ExportDialog::isRunning() const
{
    return m_watcher.isRunning() || m_viewExport != nullptr;
}

void ExportDialog::browse()
{
    const QString path = QFileDialog::getSaveFileName(
        this, tr("Export CSV"), m_path->text(), tr("CSV files (*.csv);;Text files (*.txt);;All files (*)"));
    if (!path.isEmpty())
        m_path->setText(path);
}

void ExportDialog::updateState()
{
    const bool running = isRunning();
    const Source source = currentSource();
    m_otherSeparator->setEnabled(!running && m_separator->currentData().toString().isEmpty());
    const CsvOptions o = options();
    QString problem;
    const QString sep
        = m_separator->currentData().toString().isEmpty() ? m_otherSeparator->text() : QString(o.separator);
    if (sep.size() != 1 || sep == u"\r" || sep == u"\n")
        problem = tr("Type the separator character.");
    else if (m_quote->text().size() != 1 || m_quote->text().front() == o.separator)
        problem = tr("The quote character must be one character other than the separator.");
    else if (m_path->text().trimmed().isEmpty())
        problem = tr("Choose the file to write.");
    else if (source == Source::CurrentView && !m_view && !m_contactView)
        problem = tr("There is no table to export.");
    else if (source == Source::CurrentView && !m_view && m_dbPath.isEmpty())
        problem = tr("Open a database first.");
    else if (source == Source::Preview && !m_preview)
        problem = tr("Run a preview first; there is no computed schedule to export.");
    else if ((source == Source::Schedule || source == Source::Contacts || source == Source::Problems)
             && m_dbPath.isEmpty())
        problem = tr("Open a database first.");
    m_exportButton->setEnabled(!running && problem.isEmpty());
    m_closeButton->setText(running ? tr("Cancel") : tr("Close"));
    m_source->setEnabled(!running);
    if (!running && !problem.isEmpty())
        m_message->setText(problem);
    else if (!running && m_message->property("outcome").toBool() == false)
        m_message->clear();
}

void ExportDialog::startExport()
{
    if (isRunning())
        return;
    const CsvOptions o = options();
    const QString path = m_path->text().trimmed();
    QSettings settings;
    o.save(settings);
    settings.setValue(LastFolderKey, QFileInfo(path).absolutePath());

    m_message->setProperty("outcome", false);
    m_banner->hide();
    m_message->setText(tr("Writing %1…").arg(QDir::toNativeSeparators(path)));
    m_progress->setValue(0);
    m_progress->setVisible(true);

    // The exports a worker reads from the database itself.
    const auto runRequest
        = [&](ExportRequest::What what, const std::optional<ExportRequest::ContactView> &contactView) {
              ExportRequest request;
              request.what = what;
              request.dbPath = m_dbPath;
              request.outputPath = path;
              request.options = o;
              request.today = m_today;
              request.contactView = contactView;
              m_watcher.setFuture(CsvExport::runAsync(request));
          };

    switch (currentSource()) {
    case Source::CurrentView: {
        if (!m_view && m_contactView) {
            // The lazy contact table: the same filter and sort, run in SQLite by a worker.
            runRequest(ExportRequest::What::Contacts, m_contactView);
            break;
        }
        m_viewExport = std::make_unique<ModelCsvExport>(m_view.data(), path, o);
        const Result<void> started = m_viewExport->start();
        if (!started.ok()) {
            m_viewExport.reset();
            ExportOutcome failed;
            failed.error = started.error();
            finished(failed);
            return;
        }
        m_viewTimer->start(0);
        break;
    }
    case Source::Preview:
        m_watcher.setFuture(CsvExport::exportPreviewAsync(m_preview, path, o));
        break;
    case Source::Schedule:
        runRequest(ExportRequest::What::Schedule, std::nullopt);
        break;
    case Source::Contacts:
        runRequest(ExportRequest::What::Contacts, std::nullopt);
        break;
    case Source::Problems:
        runRequest(ExportRequest::What::Problems, std::nullopt);
        break;
    }
    updateState();
}

void ExportDialog::writeViewSlice()
{
    if (!m_viewExport)
        return;
    if (!m_view) {
        m_viewTimer->stop();
        m_viewExport->cancel();
        m_viewExport.reset();
        ExportOutcome gone;
        gone.error = Error(CsvErrorKind::Cancelled,
                           tr("The table was closed during the export; %1 was not changed.")
                               .arg(QDir::toNativeSeparators(m_path->text())));
        finished(gone);
        return;
    }
    if (m_viewExport->writeSome(ViewSliceRows)) {
        const qint64 total = qMax<qint64>(1, m_viewExport->rowCount());
        m_progress->setValue(int(qMin<qint64>(1000, m_viewExport->rowsDone() * 1000 / total)));
        return;
    }
    m_viewTimer->stop();
    const ExportOutcome outcome = m_viewExport->finish();
    m_viewExport.reset();
    finished(outcome);
}

void ExportDialog::finished(const ExportOutcome &outcome)
{
    m_progress->setVisible(false);
    m_message->setProperty("outcome", true);
    if (outcome.ok()) {
        m_banner->hide();
        const QString where = QDir::toNativeSeparators(m_path->text());
        m_message->setText(outcome.rows == 1
                               ? tr("Wrote 1 row to %1.").arg(where)
                               : tr("Wrote %1 rows to %2.").arg(QLocale().toString(outcome.rows), where));
        emit exported(m_path->text(), outcome.rows);
    } else {
        // A cancel is the user's choice, not a failure: said as a warning.
        m_message->clear();
        m_banner->showMessage(outcome.error->is(CsvErrorKind::Cancelled) ? MessageBanner::Kind::Warning
                                                                         : MessageBanner::Kind::Error,
                              outcome.error->message);
    }
    updateState();
}

void ExportDialog::reject()
{
    if (!isRunning()) {
        QDialog::reject();
        return;
    }
    // While writing, Cancel (and Esc) stops the export and keeps the dialog open with the
    // outcome, so the user sees that the file was not changed and can try again.
    if (m_viewExport) {
        m_viewTimer->stop();
        m_viewExport->cancel();
        m_viewExport.reset();
        ExportOutcome cancelled;
        cancelled.error = Error(
            CsvErrorKind::Cancelled,
            tr("Export cancelled; %1 was not changed.").arg(QDir::toNativeSeparators(m_path->text())));
        finished(cancelled);
        return;
    }
    m_message->setText(tr("Cancelling…"));
    m_watcher.cancel();
}
