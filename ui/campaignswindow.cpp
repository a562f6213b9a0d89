#include "campaignswindow.h"

#include "audittrailview.h"
#include "campaigneditor.h"
#include "campaigneffectview.h"
#include "continueongui.h"
#include "csv/managementexport.h"
#include "items/campaigneffect.h"
#include "items/campaignlistmodel.h"
#include "listimportdialog.h"
#include "managementcsv.h"
#include "messagebanner.h"
#include "storage/runcampaigncounts.h"
#include "storage/sqlsession.h"

#include <QCoreApplication>
#include <QDateEdit>
#include <QDialogButtonBox>
#include <QDir>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QMenu>
#include <QPushButton>
#include <QSplitter>
#include <QTabWidget>
#include <QTableView>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

namespace {
struct Loaded
{
    CampaignOverview overview;
    QHash<qint64, InstanceRunCounts> counts;
    bool hasRun = false;
};

QString longDate(QDate date)
{
    return QLocale().toString(date, QStringLiteral("MMM d, yyyy"));
}

// Asks for the day a campaign ends, showing what ending it then does as of the "as of" day.
class EndCampaignDialog final : public QDialog
{
public:
    EndCampaignDialog(const QString &dbPath, const CampaignCatalog &catalog,
                      const CampaignInstanceRow &instance, QDate today, const Config &config, QWidget *parent)
        : QDialog(parent), m_dbPath(dbPath), m_catalog(catalog), m_instance(instance), m_today(today),
          m_config(config), m_date(new QDateEdit(this)), m_effect(new QLabel(this)),
          m_change(new CampaignChangeView(this))
    {
        setWindowTitle(CampaignsWindow::tr("End campaign"));
        m_date->setObjectName(QStringLiteral("endDate"));
        m_effect->setObjectName(QStringLiteral("endEffect"));
        m_date->setCalendarPopup(true);
        m_date->setDisplayFormat(QStringLiteral("ddd MMM d, yyyy"));
        m_date->setDate(today.addDays(-1)); // "end yesterday": nothing more goes out from today
        m_effect->setWordWrap(true);
        m_effect->setMinimumWidth(420);
        auto *intro
            = new QLabel(CampaignsWindow::tr("%1 sends nothing after its last day. Emails already sent stay "
                                             "in the history; the next run removes its pre-scheduled ones.")
                             .arg(instance.instanceName),
                         this);
        intro->setWordWrap(true);
        auto *form = new QFormLayout;
        form->addRow(CampaignsWindow::tr("&Last day:"), m_date);
        auto *buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, this);
        QPushButton *end
            = buttons->addButton(CampaignsWindow::tr("End Campaign"), QDialogButtonBox::AcceptRole);
        end->setDefault(true);
        connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
        connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
        auto *layout = new QVBoxLayout(this);
        layout->addWidget(intro);
        layout->addLayout(form);
        layout->addWidget(m_effect);
        layout->addWidget(m_change);
        layout->addWidget(buttons);
        connect(m_date, &QDateEdit::dateChanged, this, [this] { compute(); });
        compute();
    }
    QDate date() const { return m_date->date(); }

private:
    void compute()
    {
        const quint64 token = ++m_token;
        m_effect->setText(CampaignsWindow::tr("Working out the effect…"));
        m_change->showWorking();
        CampaignInstanceRow ended = m_instance;
        ended.activeEndDate = m_date->date().toString(Qt::ISODate);
        qint64 id = 0;
        CampaignTypeRow type;
        for (const CampaignTypeRow &t : m_catalog.types) {
            if (t.name.compare(m_instance.campaignType, Qt::CaseInsensitive) == 0)
                type = t;
        }
        const CampaignCatalog catalog = CampaignEffects::withDraft(m_catalog, type, ended, &id);
        const QString path = m_dbPath;
        const QDate today = m_today;
        const Config config = m_config;
        const CampaignCatalog stored = m_catalog;
        continueOnGui(
            QtConcurrent::run([path, stored, catalog, id, today, config] {
                return CampaignEffects::compareChange(path, stored, catalog, id, {}, today, config);
            }),
            this, [this, token](const Result<CampaignChange> &change) {
                if (token != m_token)
                    return;
                if (!change) {
                    m_effect->setText(change.errorMessage());
                    m_change->showError(QString());
                    return;
                }
                // Audience and sends per day, now and once it ends.
                m_change->showChange(*change);
                // The lines and the chart need more room than "working out": grown once the
                // layout has taken in the new text.
                QTimer::singleShot(0, this, [this] { adjustSize(); });
                const CampaignEffect *effect = &change->after;
                const QLocale locale;
                if (!effect->live)
                    m_effect->setText(
                        CampaignsWindow::tr("As of %1 it is no longer live: a run then pre-schedules none "
                                            "of its emails.")
                            .arg(longDate(m_today)));
                else
                    m_effect->setText(
                        CampaignsWindow::tr("As of %1 it is still live until %2: a run then pre-schedules "
                                            "%3 of its emails for %4 contacts.")
                            .arg(longDate(m_today), longDate(m_date->date()),
                                 locale.toString(effect->scheduled), locale.toString(effect->audience)));
            });
    }

    QString m_dbPath;
    CampaignCatalog m_catalog;
    CampaignInstanceRow m_instance;
    QDate m_today;
    Config m_config;
    quint64 m_token = 0;
    QDateEdit *m_date;
    QLabel *m_effect;
    CampaignChangeView *m_change;
};
} // namespace

CampaignsWindow::CampaignsWindow(QWidget *parent)
    : QDialog(parent), m_today(QDate::currentDate()), m_instances(new CampaignInstanceModel(this)),
      m_types(new CampaignTypeModel(this)), m_tabs(new QTabWidget(this)), m_banner(new MessageBanner(this)),
      m_asOf(new QLabel(this)), m_instanceView(new QTableView(this)), m_typeView(new QTableView(this)),
      m_new(new QToolButton(this)), m_edit(new QPushButton(tr("&Change…"), this)),
      m_enrol(new QPushButton(tr("&Enrol Contacts from CSV…"), this)),
      m_end(new QPushButton(tr("E&nd…"), this)), m_export(new QPushButton(tr("E&xport…"), this)),
      m_history(new AuditTrailView({ QStringLiteral("campaign_type"), QStringLiteral("campaign_instance"),
                                     QStringLiteral("enrolment") },
                                   this))
{
    setObjectName(QStringLiteral("campaignsWindow"));
    setWindowTitle(tr("Campaigns"));
    setWindowFlag(Qt::WindowMaximizeButtonHint);
    m_banner->hide();
    m_instanceView->setObjectName(QStringLiteral("campaignTable"));
    m_typeView->setObjectName(QStringLiteral("campaignTypeTable"));
    m_asOf->setObjectName(QStringLiteral("campaignsAsOf"));
    for (QTableView *view : { m_instanceView, m_typeView }) {
        view->setSelectionBehavior(QAbstractItemView::SelectRows);
        view->setSelectionMode(QAbstractItemView::SingleSelection);
        view->setEditTriggers(QAbstractItemView::NoEditTriggers);
        view->setAlternatingRowColors(true);
        view->setWordWrap(false);
        view->verticalHeader()->hide();
        view->horizontalHeader()->setStretchLastSection(true);
    }
    m_instanceView->setModel(m_instances);
    m_typeView->setModel(m_types);
    QHeaderView *header = m_instanceView->horizontalHeader();
    // Every column in view at the window's first size; long names and targets are elided
    // (their tooltips hold all of it).
    header->resizeSection(CampaignInstanceModel::Name, 190);
    header->resizeSection(CampaignInstanceModel::Type, 110);
    header->resizeSection(CampaignInstanceModel::Live, 190);
    header->resizeSection(CampaignInstanceModel::ActiveFrom, 95);
    header->resizeSection(CampaignInstanceModel::ActiveUntil, 95);
    header->resizeSection(CampaignInstanceModel::Spread, 185);
    header->resizeSection(CampaignInstanceModel::Targets, 185);
    header->resizeSection(CampaignInstanceModel::Audience, 75);
    header->resizeSection(CampaignInstanceModel::Scheduled, 75);
    m_typeView->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);

    auto *menu = new QMenu(m_new);
    for (const CampaignPreset &preset : campaignPresets(m_today)) {
        QAction *action
            = menu->addAction(preset.title, this, [this, kind = preset.kind] { newCampaign(kind); });
        action->setToolTip(preset.description);
        action->setObjectName(QStringLiteral("newCampaign%1").arg(int(preset.kind)));
    }
    menu->setToolTipsVisible(true);
    m_new->setText(tr("&New Campaign"));
    m_new->setMenu(menu);
    m_new->setPopupMode(QToolButton::InstantPopup);
    m_new->setToolButtonStyle(Qt::ToolButtonTextOnly);
    m_new->setObjectName(QStringLiteral("newCampaign"));
    m_edit->setToolTip(tr("Change the selected campaign's dates, targeting or settings"));
    m_enrol->setToolTip(
        tr("Add contacts to the selected campaign from a CSV file of contact IDs or emails and "
           "trigger dates"));
    m_end->setToolTip(tr("Set the selected campaign's last day"));
    m_export->setToolTip(tr("Write the campaigns and their state as of the “as of” day to a CSV file"));

    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_new);
    buttons->addWidget(m_edit);
    buttons->addWidget(m_enrol);
    buttons->addWidget(m_end);
    buttons->addStretch(1);
    buttons->addWidget(m_export);

    auto *instancesPage = new QWidget(this);
    auto *instancesLayout = new QVBoxLayout(instancesPage);
    instancesLayout->setContentsMargins(0, 0, 0, 0);
    instancesLayout->addWidget(m_instanceView, 1);
    instancesLayout->addLayout(buttons);
    auto *typesPage = new QWidget(this);
    auto *typesLayout = new QVBoxLayout(typesPage);
    typesLayout->setContentsMargins(0, 0, 0, 0);
    auto *typesTitle = new QLabel(tr("Kinds of campaign (types): settings their campaigns share"), this);
    typesLayout->addWidget(typesTitle);
    typesLayout->addWidget(m_typeView, 1);
    auto *splitter = new QSplitter(Qt::Vertical, this);
    splitter->addWidget(instancesPage);
    splitter->addWidget(typesPage);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 1);
    splitter->setChildrenCollapsible(false);

    auto *campaignsPage = new QWidget(this);
    auto *campaignsLayout = new QVBoxLayout(campaignsPage);
    campaignsLayout->addWidget(m_asOf);
    campaignsLayout->addWidget(splitter, 1);
    m_tabs->addTab(campaignsPage, tr("Campaigns"));
    m_tabs->addTab(m_history, tr("History of changes"));

    auto *close = new QPushButton(tr("Close"), this);
    auto *bottom = new QHBoxLayout;
    bottom->addStretch(1);
    bottom->addWidget(close);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_banner);
    layout->addWidget(m_tabs, 1);
    layout->addLayout(bottom);
    resize(1360, 680);

    connect(close, &QPushButton::clicked, this, &QDialog::close);
    connect(m_edit, &QPushButton::clicked, this, &CampaignsWindow::editCurrent);
    connect(m_enrol, &QPushButton::clicked, this, &CampaignsWindow::enrolCurrent);
    connect(m_end, &QPushButton::clicked, this, &CampaignsWindow::endCurrent);
    connect(m_instanceView, &QTableView::doubleClicked, this, &CampaignsWindow::editCurrent);
    connect(m_instanceView->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &CampaignsWindow::updateButtons);
    connect(m_export, &QPushButton::clicked, this, [this] {
        ManagementCsv::askAndWrite(
            this, m_banner, ManagementExport::What::Campaigns, m_path, m_today, tr("Export campaigns"),
            QStringLiteral("campaigns.csv"), [](const QString &out, qint64 rows) -> QString {
                return tr("Wrote %n row(s) to %1.", "", int(rows)).arg(QDir::toNativeSeparators(out));
            });
    });
    connect(this, &CampaignsWindow::campaignsChanged, m_history, &AuditTrailView::reload);
    updateButtons();
}

void CampaignsWindow::setDatabase(const QString &path)
{
    if (path != m_path)
        m_banner->hide();
    m_path = path;
    m_history->setDatabase(path);
    reload();
}

void CampaignsWindow::setToday(QDate today)
{
    if (today == m_today)
        return;
    m_today = today;
    reload();
}

void CampaignsWindow::setConfig(const Config &config)
{
    m_config = config;
}

void CampaignsWindow::reload()
{
    const quint64 token = ++m_token;
    m_asOf->setText(
        tr("As of %1 (the main window's “as of” day): which campaigns are live, whom they reach, and what "
           "the last run scheduled.")
            .arg(longDate(m_today)));
    if (m_path.isEmpty())
        return;
    const QString path = m_path;
    const QDate today = m_today;
    continueOnGui(QtConcurrent::run([path, today]() -> Result<Loaded> {
                      auto db = SqlSession::open(path, SqlSession::Mode::ReadOnly);
                      if (!db)
                          return db.error();
                      Loaded loaded;
                      Result<CampaignOverview> overview = CampaignStore(**db).overview(today);
                      if (!overview)
                          return overview.error();
                      loaded.overview = std::move(*overview);
                      Result<QHash<qint64, InstanceRunCounts>> counts
                          = readInstanceRunCounts(**db, &loaded.hasRun);
                      if (!counts)
                          return counts.error();
                      loaded.counts = std::move(*counts);
                      return loaded;
                  }),
                  this, [this, token](const Result<Loaded> &answer) {
                      if (token != m_token)
                          return;
                      const qint64 current = m_selectAfterLoad != 0 ? m_selectAfterLoad : currentInstanceId();
                      m_selectAfterLoad = 0;
                      if (!answer) {
                          m_banner->showMessage(MessageBanner::Kind::Error, answer.errorMessage());
                          m_instances->setOverview({}, {}, false);
                          m_types->setOverview({});
                      } else {
                          m_instances->setOverview(answer->overview, answer->counts, answer->hasRun);
                          m_types->setOverview(answer->overview);
                      }
                      if (current != 0)
                          selectInstance(current);
                      updateButtons();
                      Q_EMIT loaded();
                  });
}

QString CampaignsWindow::bannerText() const
{
    return m_banner->isVisible() ? m_banner->text() : QString();
}

qint64 CampaignsWindow::currentInstanceId() const
{
    const CampaignInstanceState *state = m_instances->instance(m_instanceView->currentIndex().row());
    return state ? state->row.id : 0;
}

bool CampaignsWindow::selectInstance(qint64 instanceId)
{
    const int row = m_instances->rowOf(instanceId);
    if (row < 0)
        return false;
    m_instanceView->selectRow(row);
    m_instanceView->setCurrentIndex(m_instances->index(row, 0));
    return true;
}

void CampaignsWindow::updateButtons()
{
    const bool selected = currentInstanceId() != 0;
    m_new->setEnabled(!m_path.isEmpty());
    m_edit->setEnabled(selected);
    m_enrol->setEnabled(selected);
    m_end->setEnabled(selected);
    m_export->setEnabled(!m_path.isEmpty());
}

void CampaignsWindow::changed(const QString &message)
{
    m_banner->showMessage(MessageBanner::Kind::Information, message);
    reload();
    Q_EMIT campaignsChanged();
}

namespace {

// The types and instances the editor checks a campaign against, as the window last read them.
CampaignCatalog catalogOf(const CampaignOverview &overview)
{
    CampaignCatalog catalog;
    catalog.types = overview.types;
    for (const CampaignInstanceState &s : overview.instances)
        catalog.instances.push_back(s.row);
    return catalog;
}

} // namespace

void CampaignsWindow::newCampaign(CampaignPreset::Kind kind)
{
    if (m_path.isEmpty())
        return;
    CampaignEditor editor(m_path, catalogOf(m_instances->overview()), m_today, m_config, this);
    editor.startFrom(campaignPreset(kind, m_today));
    if (editor.exec() != QDialog::Accepted)
        return;
    m_selectAfterLoad = editor.savedInstanceId();
    changed(tr("Saved %1. The next run schedules its emails.").arg(editor.instanceRow().instanceName));
}

void CampaignsWindow::editCurrent()
{
    const qint64 id = currentInstanceId();
    if (id == 0)
        return;
    CampaignEditor editor(m_path, catalogOf(m_instances->overview()), m_today, m_config, this);
    editor.editInstance(id);
    if (editor.exec() != QDialog::Accepted)
        return;
    m_selectAfterLoad = id;
    changed(
        tr("Saved the changes to %1. The next run schedules them.").arg(editor.instanceRow().instanceName));
}

void CampaignsWindow::enrolCurrent()
{
    const CampaignInstanceState *state = m_instances->instance(m_instanceView->currentIndex().row());
    if (!state)
        return;
    auto *dialog = new ListImportDialog(ListImportDialog::Kind::Enrolment, m_path, state->row.id,
                                        state->row.instanceName, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    // The effect of the file's rows on the audience and sends per day, before Enrol is clicked.
    dialog->showEnrolmentEffect(catalogOf(m_instances->overview()), m_today, m_config);
    const QString name = state->row.instanceName;
    connect(dialog, &ListImportDialog::imported, this, [this, name] {
        changed(tr("Enrolled contacts in %1. The next run schedules their emails.").arg(name));
    });
    dialog->open();
}

void CampaignsWindow::endCurrent()
{
    const CampaignInstanceState *state = m_instances->instance(m_instanceView->currentIndex().row());
    if (!state)
        return;
    const CampaignInstanceRow instance = state->row;
    const CampaignOverview &overview = m_instances->overview();
    CampaignCatalog catalog;
    catalog.types = overview.types;
    for (const CampaignInstanceState &s : overview.instances)
        catalog.instances.push_back(s.row);
    EndCampaignDialog dialog(m_path, catalog, instance, m_today, m_config, this);
    if (dialog.exec() != QDialog::Accepted)
        return;
    const QDate on = dialog.date();
    const QString path = m_path;
    const qint64 id = instance.id;
    continueOnGui(QtConcurrent::run([path, id, on]() -> Result<void> {
                      auto db = SqlSession::open(path, SqlSession::Mode::ReadWrite);
                      if (!db)
                          return db.error();
                      return CampaignStore(**db).endInstance(id, on);
                  }),
                  this, [this, instance, on](const Result<void> &done) {
                      if (!done) {
                          m_banner->showMessage(MessageBanner::Kind::Error, done.errorMessage());
                          return;
                      }
                      m_selectAfterLoad = instance.id;
                      changed(tr("%1 ends on %2.").arg(instance.instanceName, longDate(on)));
                  });
}
