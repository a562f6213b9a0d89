#include "listimportdialog.h"

#include "campaigneffectview.h"
#include "continueongui.h"
#include "csvmappingbox.h"
#include "csvsourcebox.h"
#include "items/campaigneffect.h"
#include "items/suppressionmodel.h"
#include "messagebanner.h"
#include "rejectedrowsview.h"
#include "storage/sqlsession.h"

#include <QComboBox>
#include <QCoreApplication>
#include <QDir>
#include <QFormLayout>
#include <QGroupBox>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPushButton>
#include <QScreen>
#include <QSplitter>
#include <QTableWidget>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

namespace {
enum EnrolField { EnrolContactId, EnrolEmail, EnrolTrigger };
enum SuppressField { SuppressEmail, SuppressReason, SuppressNote };

QStringList fieldsOf(ListImportDialog::Kind kind)
{
    if (kind == ListImportDialog::Kind::Enrolment)
        return { ListImportDialog::tr("Contact ID"), ListImportDialog::tr("Email"),
                 ListImportDialog::tr("Trigger date") };
    return { ListImportDialog::tr("Email"), ListImportDialog::tr("Reason"), ListImportDialog::tr("Note") };
}

// What an import of either kind comes to: the summary line and the rows it did not take.
struct ImportOutcome
{
    QString summary;
    QList<ContactImport::RowFailure> failures;
};
} // namespace

ListImportDialog::ListImportDialog(Kind kind, const QString &dbPath, qint64 instanceId,
                                   const QString &instanceTitle, QWidget *parent)
    : QDialog(parent), m_kind(kind), m_dbPath(dbPath), m_instanceId(instanceId),
      m_source(new CsvSourceBox(kind == Kind::Enrolment ? tr("Enrol contacts from a CSV file")
                                                        : tr("Import the do-not-email list"),
                                QStringLiteral("csv/importFolder"), this)),
      m_mapping(
          new CsvMappingBox(kind == Kind::Enrolment ? tr("Columns → enrolment") : tr("Columns → list entry"),
                            fieldsOf(kind), 3, this)),
      m_summary(new QLabel(this)), m_failures(new RejectedRowsView(this)), m_message(new QLabel(this)),
      m_banner(new MessageBanner(this)),
      m_import(new QPushButton(kind == Kind::Enrolment ? tr("Enrol") : tr("Import"), this)),
      m_close(new QPushButton(tr("Close"), this))
{
    setWindowTitle(kind == Kind::Enrolment ? tr("Enrol contacts in %1").arg(instanceTitle)
                                           : tr("Import the do-not-email list"));
    m_source->pathEdit()->setObjectName(QStringLiteral("listImportPath"));
    m_summary->setObjectName(QStringLiteral("listImportSummary"));
    m_message->setObjectName(QStringLiteral("listImportMessage"));
    m_summary->setWordWrap(true);
    m_message->setWordWrap(true);
    m_banner->hide();
    m_message->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto *intro = new QLabel(this);
    intro->setWordWrap(true);
    if (kind == Kind::Enrolment)
        intro->setText(
            tr("Each row names a contact by its ID or email address, and may give the trigger date "
               "(the day the campaign is about, e.g. the new premium's start). Rows naming no known "
               "contact or with an unreadable date are listed below and not enrolled."));
    else
        intro->setText(
            tr("An unsubscribe, bounce or complaint export of your email service: a column of email "
               "addresses, and optionally a reason and a note. Rows without a usable address are "
               "listed below and not imported."));

    auto *options = new QFormLayout;
    if (kind == Kind::Suppressions) {
        m_defaultReason = new QComboBox(this);
        m_defaultReason->setObjectName(QStringLiteral("listImportDefaultReason"));
        for (const QString &code : SuppressionModel::reasonCodes())
            m_defaultReason->addItem(SuppressionModel::reasonLabel(code), code);
        options->addRow(tr("Reason where a row gives &none:"), m_defaultReason);
    }

    auto *checkBox = new QGroupBox(tr("Check"), this);
    auto *checkLayout = new QVBoxLayout(checkBox);
    checkLayout->addWidget(m_summary);
    if (kind == Kind::Enrolment) {
        m_effect = new CampaignChangeView(this);
        m_effect->setObjectName(QStringLiteral("enrolmentEffect"));
        m_effect->hide(); // until there is an effect to work out
        checkLayout->addWidget(m_effect);
    }
    checkLayout->addWidget(m_failures, 1);

    auto *splitter = new QSplitter(Qt::Vertical, this);
    splitter->addWidget(m_source->previewTable());
    splitter->addWidget(m_mapping);
    splitter->addWidget(checkBox);
    splitter->setStretchFactor(0, 1);
    splitter->setStretchFactor(1, 0);
    splitter->setStretchFactor(2, 2);
    splitter->setChildrenCollapsible(false);

    // Enter in the file box loads the file; writing waits for a click on Import, after the
    // check is on screen (a button box would make Import the default button).
    auto *buttons = new QHBoxLayout;
    buttons->addStretch(1);
    buttons->addWidget(m_import);
    buttons->addWidget(m_close);
    m_import->setAutoDefault(false);
    m_close->setAutoDefault(false);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addWidget(m_source);
    layout->addWidget(splitter, 1);
    layout->addLayout(options);
    layout->addWidget(m_banner);
    layout->addWidget(m_message);
    layout->addLayout(buttons);

    QSize size(980, 760);
    if (const QScreen *screen = parent ? parent->screen() : QGuiApplication::primaryScreen())
        size = size.boundedTo(screen->availableSize() * 0.95);
    resize(size);

    connect(m_source, &CsvSourceBox::previewLoaded, this, &ListImportDialog::onPreviewLoaded);
    connect(m_source, &CsvSourceBox::failed, this, &ListImportDialog::showError);
    connect(m_mapping, &CsvMappingBox::mappingChanged, this, [this] {
        m_source->setColumnNotes(m_mapping->columnNotes());
        m_done = false;
        check();
    });
    connect(m_failures, &RejectedRowsView::saveRequested, this, &ListImportDialog::saveFailures);
    connect(m_import, &QPushButton::clicked, this, &ListImportDialog::startImport);
    connect(m_close, &QPushButton::clicked, this, &QDialog::reject);
    m_summary->setText(tr("Choose a CSV file."));
    updateButtons();
}

ListImportDialog::~ListImportDialog()
{
    if (m_cancelEffect)
        m_cancelEffect->store(true);
}

void ListImportDialog::showEnrolmentEffect(const CampaignCatalog &catalog, QDate today, const Config &config)
{
    m_effectContext = EffectContext { catalog, today, config };
}

QString ListImportDialog::effectText() const
{
    return m_effect && m_effect->isVisible() ? m_effect->text() : QString();
}

void ListImportDialog::computeEffect(const std::vector<EnrolmentInput> &rows, quint64 token)
{
    if (!m_effect || !m_effectContext || m_dbPath.isEmpty())
        return;
    if (m_cancelEffect)
        m_cancelEffect->store(true);
    auto cancel = std::make_shared<std::atomic<bool>>(false);
    m_cancelEffect = cancel;
    m_effect->show();
    m_effect->showWorking();
    continueOnGui(
        QtConcurrent::run([path = m_dbPath, context = *m_effectContext, id = m_instanceId, rows, cancel] {
            // The same catalog on both sides: only the enrolments change.
            return CampaignEffects::compareChange(path, context.catalog, context.catalog, id, rows,
                                                  context.today, context.config,
                                                  [cancel] { return cancel->load(); });
        }),
        this, [this, token](const Result<CampaignChange> &change) {
            if (token != m_token)
                return;
            if (!change) {
                m_effect->showError(tr("The effect cannot be worked out: %1").arg(change.errorMessage()));
            } else {
                const QLocale locale;
                const qint64 newly = change->after.audience - change->before.audience;
                m_effect->showChange(
                    *change,
                    !change->after.live
                        ? tr("Enrolling them changes nothing as of %1: the campaign is not live (%2).")
                              .arg(locale.toString(m_effectContext->today, QStringLiteral("MMM d, yyyy")),
                                   change->after.notLive)
                        : tr("Enrolling them as of %1: %2 more contact(s) reached.")
                              .arg(locale.toString(m_effectContext->today, QStringLiteral("MMM d, yyyy")),
                                   locale.toString(newly)));
            }
            Q_EMIT effectShown();
        });
}

void ListImportDialog::setCsvPath(const QString &path)
{
    m_source->setCsvPath(path);
}

QString ListImportDialog::summaryText() const
{
    return m_summary->text();
}

void ListImportDialog::onPreviewLoaded()
{
    m_message->clear();
    m_banner->hide();
    const QStringList header = m_source->preview().header;
    QList<int> guess;
    if (m_kind == Kind::Enrolment) {
        const EnrolmentImport::Mapping m = EnrolmentImport::Mapping::guess(header);
        guess = { m.contactId, m.email, m.triggerDate };
    } else {
        const SuppressionImport::Mapping m = SuppressionImport::Mapping::guess(header);
        guess = { m.email, m.reason, m.note };
    }
    const bool anotherFile = m_source->csvPath() != m_mappedPath;
    m_mappedPath = m_source->csvPath();
    {
        const QSignalBlocker blocker(m_mapping);
        m_mapping->setHeader(header, guess, anotherFile);
    }
    m_source->setColumnNotes(m_mapping->columnNotes());
    m_done = false;
    check();
}

EnrolmentImport::Settings ListImportDialog::enrolmentSettings() const
{
    EnrolmentImport::Settings s;
    s.csvPath = m_source->csvPath();
    s.dialect = m_source->dialect();
    s.mapping.contactId = m_mapping->column(EnrolContactId);
    s.mapping.email = m_mapping->column(EnrolEmail);
    s.mapping.triggerDate = m_mapping->column(EnrolTrigger);
    s.instanceId = m_instanceId;
    return s;
}

SuppressionImport::Settings ListImportDialog::suppressionSettings() const
{
    SuppressionImport::Settings s;
    s.csvPath = m_source->csvPath();
    s.dialect = m_source->dialect();
    s.mapping.email = m_mapping->column(SuppressEmail);
    s.mapping.reason = m_mapping->column(SuppressReason);
    s.mapping.note = m_mapping->column(SuppressNote);
    if (m_defaultReason)
        s.defaultReason = m_defaultReason->currentData().toString();
    return s;
}

void ListImportDialog::check()
{
    const quint64 token = ++m_token;
    m_failures->clear();
    if (m_effect)
        m_effect->hide(); // shown again for the rows this check reads
    updateButtons();
    if (m_source->csvPath().isEmpty())
        return;
    if (m_kind == Kind::Suppressions) {
        // The addresses are checked by the store as they are written; the mapping is what can
        // be wrong before.
        if (m_mapping->column(SuppressEmail) < 0)
            m_summary->setText(tr("Choose the column that holds the email addresses."));
        else
            m_summary->setText(tr("%n row(s) previewed above. Import adds each address to the do-not-email "
                                  "list; rows without a usable address are listed here.",
                                  "", int(m_source->preview().rows.size())));
        Q_EMIT checked();
        updateButtons();
        return;
    }
    if (m_mapping->column(EnrolContactId) < 0 && m_mapping->column(EnrolEmail) < 0) {
        m_summary->setText(tr("Choose the column that holds the contact ID or the email address."));
        Q_EMIT checked();
        updateButtons();
        return;
    }
    m_summary->setText(tr("Checking every row…"));
    const EnrolmentImport::Settings settings = enrolmentSettings();
    continueOnGui(
        QtConcurrent::run([settings] {
            QList<ContactImport::RowFailure> failures;
            Result<std::vector<EnrolmentInput>> rows = EnrolmentImport::read(settings, &failures);
            return std::pair { rows, failures };
        }),
        this,
        [this, token](
            const std::pair<Result<std::vector<EnrolmentInput>>, QList<ContactImport::RowFailure>> &answer) {
            if (token != m_token)
                return;
            const auto &[rows, failures] = answer;
            if (!rows) {
                m_summary->setText(rows.errorMessage());
            } else {
                const QLocale locale;
                m_summary->setText(
                    tr("%1 rows: %2 can be enrolled, %3 rejected so far. Contacts that are not in "
                       "the database are found when you enrol.")
                        .arg(locale.toString(qint64(rows->size()) + failures.size()),
                             locale.toString(qint64(rows->size())), locale.toString(failures.size())));
                showFailures(failures);
                computeEffect(*rows, token);
            }
            Q_EMIT checked();
            updateButtons();
        });
}

void ListImportDialog::showFailures(const QList<ContactImport::RowFailure> &failures)
{
    m_report = ContactImport::ImportReport();
    m_report.failures = failures;
    m_report.failedRows = failures.size();
    m_report.header = m_source->preview().header;
    m_failures->setRows(failures, failures.size());
}

void ListImportDialog::startImport()
{
    if (m_busy || m_dbPath.isEmpty() || m_source->csvPath().isEmpty())
        return;
    m_busy = true;
    ++m_token; // a check still running is stale now
    m_banner->hide();
    m_message->setText(tr("Writing to %1…").arg(QDir::toNativeSeparators(m_dbPath)));
    updateButtons();
    // Each kind runs its import and says what came of it; the rest is shared.
    std::function<Result<ImportOutcome>(SqlSession &)> import;
    if (m_kind == Kind::Enrolment) {
        import = [settings = enrolmentSettings()](SqlSession & db)
                     ->Result<ImportOutcome> {
                         auto report = EnrolmentImport::run(db, settings);
        if (!report)
            return report.error();
        const QLocale locale;
        return ImportOutcome { tr("%1 rows: %2 enrolled, %3 rejected.")
                                   .arg(locale.toString(report->rows), locale.toString(report->enrolled),
                                        locale.toString(report->failures.size())),
                               report->failures };
    };
}
else
{
    import = [settings = suppressionSettings()](SqlSession & db)
                 ->Result<ImportOutcome> {
                     auto report = SuppressionImport::run(db, settings);
    if (!report)
        return report.error();
    const QLocale locale;
    return ImportOutcome { tr("%1 rows: %2 added, %3 already on the list, %4 rejected.")
                               .arg(locale.toString(report->rows), locale.toString(report->added),
                                    locale.toString(report->alreadyListed),
                                    locale.toString(report->failures.size())),
                           report->failures };
};
}
continueOnGui(QtConcurrent::run([path = m_dbPath, import]() -> Result<ImportOutcome> {
                  auto db = SqlSession::open(path, SqlSession::Mode::ReadWrite);
                  if (!db)
                      return db.error();
                  return import(**db);
              }),
              this, [this](const Result<ImportOutcome> &outcome) {
                  m_busy = false;
                  if (!outcome) {
                      showError(outcome.errorMessage());
                      Q_EMIT finished(false);
                  } else {
                      m_done = true;
                      m_summary->setText(outcome->summary);
                      m_message->setText(outcome->summary);
                      showFailures(outcome->failures);
                      Q_EMIT imported();
                      Q_EMIT finished(true);
                  }
                  updateButtons();
              });
}

void ListImportDialog::saveFailures()
{
    const QString path = m_failures->askSavePath(m_source->csvPath());
    if (path.isEmpty())
        return;
    const ExportOutcome outcome = ContactImport::writeFailures(path, m_report);
    if (!outcome.ok())
        showError(outcome.error->message);
    else
        m_message->setText(
            tr("Saved %1 rejected rows to %2.").arg(outcome.rows).arg(QDir::toNativeSeparators(path)));
}

void ListImportDialog::showError(const QString &message)
{
    // Errors in a banner, like every dialog's (KeePassXC MessageWidget style).
    m_message->clear();
    m_banner->showMessage(MessageBanner::Kind::Error, message);
}

void ListImportDialog::updateButtons()
{
    const bool mapped = m_kind == Kind::Enrolment
        ? (m_mapping->column(EnrolContactId) >= 0 || m_mapping->column(EnrolEmail) >= 0)
        : m_mapping->column(SuppressEmail) >= 0;
    m_import->setEnabled(!m_busy && !m_done && mapped && !m_source->csvPath().isEmpty()
                         && !m_dbPath.isEmpty());
    m_source->setInputsEnabled(!m_busy);
    m_close->setEnabled(!m_busy);
}
