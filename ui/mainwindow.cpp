#include "mainwindow.h"

#include "batch/problemscan.h"
#include "batchpanel.h"
#include "campaignswindow.h"
#include "connectdialog.h"
#include "contactspage.h"
#include "dailyloadview.h"
#include "donotemailwindow.h"
#include "exportdialog.h"
#include "filterheader.h"
#include "importdialog.h"
#include "items/contacttablemodel.h"
#include "items/runhistorymodel.h"
#include "messagebanner.h"
#include "problemsdock.h"
#include "runhistorydock.h"
#include "schedulepreviewdock.h"
#include "storage/demogenerator.h"
#include "storage/orgdatabase.h"
#include "storage/pg/pgconnection.h"
#include "storage/pg/pgnotifier.h"
#include "storage/pg/pgschema.h"
#include "tableclipboard.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QCoreApplication>
#include <QDateEdit>
#include <QDir>
#include <QDockWidget>
#include <QFileDialog>
#include <QFileInfo>
#include <QGuiApplication>
#include <QLabel>
#include <QLineEdit>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QRegularExpression>
#include <QScreen>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTableView>
#include <QTimeZone>
#include <QToolBar>
#include <QToolButton>
#include <QUrl>
#include <QUrlQuery>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

#include <algorithm>
#include <utility>

namespace {
constexpr int kMaxRecent = 9;
// Contacts in the bundled demo database: enough to feel real, quick to generate.
constexpr qint64 kDemoContacts = 3000;

// "Open (Ctrl+O)": every action's tooltip names its shortcut.
void setShortcutTip(QAction *action)
{
    const QKeySequence key = action->shortcut();
    QString text = action->text();
    text.remove(u'&');
    text.remove(QStringLiteral("…"));
    action->setToolTip(key.isEmpty() ? text : text % u" (" % key.toString(QKeySequence::NativeText) % u')');
}

// Why a batch run could not write `path`, said when the file opens rather than after a run was
// computed and confirmed; empty when it could. Checked on the permission bits like
// OrgDatabase::open(ReadWrite) does, so the answer is the same as root.
QString readOnlyReason(const QString &path)
{
    const QFileInfo info(path);
    const auto writeBits = QFileDevice::WriteOwner | QFileDevice::WriteGroup | QFileDevice::WriteOther;
    const QString name = info.fileName();
    if (!(info.permissions() & writeBits) || !info.isWritable())
        return QCoreApplication::translate(
                   "MainWindow",
                   "%1 is read-only: you can look at its contacts and previews, but a batch run cannot "
                   "write its schedule. Make the file writable or work on a copy.")
            .arg(name);
    const QFileInfo folder(info.absolutePath());
    if (!folder.isWritable())
        return QCoreApplication::translate(
                   "MainWindow",
                   "The folder of %1 (%2) is read-only: you can look at its contacts and previews, but a "
                   "batch run cannot write its schedule there. Make the folder writable or copy the "
                   "database to another folder.")
            .arg(name, QDir::toNativeSeparators(info.absolutePath()));
    return {};
}

// `spec` without a password it may carry (a postgresql://user:secret@… URI, password=…): what
// the recent list and the settings keep. The password itself goes to the session's memory.
QString withoutPassword(const QString &spec)
{
    if (PgSpec::parse(spec).password.isEmpty())
        return spec;
    const QString trimmed = spec.trimmed();
    if (trimmed.contains(QLatin1StringView("://"))) {
        QUrl url(trimmed);
        url.setPassword(QString());
        QUrlQuery query(url);
        query.removeAllQueryItems(QStringLiteral("password"));
        url.setQuery(query);
        return url.toString();
    }
    QString text = trimmed;
    text.remove(QRegularExpression(QStringLiteral("\\bpassword\\s*=\\s*('(?:[^'\\\\]|\\\\.)*'|\\S*)")));
    return text.simplified();
}
} // namespace

MainWindow::MainWindow(const QString &settingsFile, QWidget *parent)
    : QMainWindow(parent),
      m_settings(settingsFile.isEmpty() ? std::make_unique<QSettings>()
                                        : std::make_unique<QSettings>(settingsFile, QSettings::IniFormat)),
      m_contacts(new ContactsPage(this)), m_scanner(new ProblemScanner(this))
{
    setObjectName(QStringLiteral("mainWindow"));
    setWindowTitle(tr("Email Scheduler"));
    setAcceptDrops(true);
    // Above the contact table: the offer to refresh after a colleague's run on a server.
    auto *central = new QWidget(this);
    m_refreshBanner = new MessageBanner(central);
    m_refreshBanner->setObjectName(QStringLiteral("refreshBanner"));
    auto *centralLayout = new QVBoxLayout(central);
    centralLayout->setContentsMargins(0, 0, 0, 0);
    centralLayout->setSpacing(0);
    centralLayout->addWidget(m_refreshBanner);
    centralLayout->addWidget(m_contacts, 1);
    setCentralWidget(central);
    m_notifier = new PgNotifier(this);
    createDocks();
    createActions();

    m_position = new QLabel(this);
    statusBar()->addPermanentWidget(m_position);
    connect(m_contacts, &ContactsPage::statusTextChanged, m_position, &QLabel::setText);
    connect(m_contacts, &ContactsPage::currentContactChanged, m_preview, &SchedulePreviewDock::showContact);
    connect(&m_openWatcher, &QFutureWatcher<OpenAnswer>::finished, this, &MainWindow::onOpenChecked);
    connect(&m_demoWatcher, &QFutureWatcher<QString>::finished, this, &MainWindow::onDemoCreated);
    connect(&m_otherRunWatcher, &QFutureWatcher<OtherRun>::finished, this, &MainWindow::onOtherRunRead);
    connect(m_notifier, &PgNotifier::runCommitted, this, &MainWindow::onRunCommitted);
    connect(m_refreshBanner, &MessageBanner::actionTriggered, this, [this] {
        m_refreshBanner->hide();
        refresh();
    });
    connect(m_contacts->banner(), &MessageBanner::actionTriggered, this, &MainWindow::onBannerAction);

    const QDate today = currentDate(m_config);
    m_asOf->setDate(today);
    m_contacts->setToday(today);
    m_preview->setToday(today);
    m_dailyLoad->setToday(today);
    m_campaigns->setToday(today);
    m_position->setText(m_contacts->statusText());
    resize(1280, 800);
}

MainWindow::~MainWindow() = default;

void MainWindow::createDocks()
{
    m_preview = new SchedulePreviewDock(this);
    addDockWidget(Qt::RightDockWidgetArea, m_preview);

    m_batch = new BatchPanel(this);
    m_batchDock = new QDockWidget(tr("Batch run"), this);
    m_batchDock->setObjectName(QStringLiteral("batchDock"));
    m_batchDock->setWidget(m_batch);
    addDockWidget(Qt::BottomDockWidgetArea, m_batchDock);

    m_problems = new ProblemsDock(this);
    addDockWidget(Qt::BottomDockWidgetArea, m_problems);
    m_history = new RunHistoryDock(this);
    addDockWidget(Qt::BottomDockWidgetArea, m_history);
    tabifyDockWidget(m_problems, m_history);
    m_dailyLoad = new DailyLoadView(this);
    m_dailyLoadDock = new QDockWidget(tr("Sends per day"), this);
    m_dailyLoadDock->setObjectName(QStringLiteral("dailyLoadDock"));
    m_dailyLoadDock->setWidget(m_dailyLoad);
    addDockWidget(Qt::BottomDockWidgetArea, m_dailyLoadDock);
    tabifyDockWidget(m_history, m_dailyLoadDock);
    m_problems->raise();
    resizeDocks({ m_preview }, { 640 }, Qt::Horizontal);
    resizeDocks({ m_batchDock }, { 200 }, Qt::Vertical);

    m_campaigns = new CampaignsWindow(this);
    connect(m_campaigns, &CampaignsWindow::campaignsChanged, this, &MainWindow::onManagementChanged);
    m_doNotEmail = new DoNotEmailWindow(this);
    connect(m_doNotEmail, &DoNotEmailWindow::listChanged, this, &MainWindow::onManagementChanged);
    connect(m_doNotEmail, &DoNotEmailWindow::writeFinished, this,
            [this](bool, const QString &message) { statusBar()->showMessage(message, 8000); });

    connect(m_batch, &BatchPanel::problemsFound, m_problems, &ProblemsDock::setProblems);
    connect(m_scanner, &ProblemScanner::runningChanged, m_problems, &ProblemsDock::setChecking);
    connect(m_scanner, &ProblemScanner::finished, this, [this](const ProblemScan::Summary &summary) {
        if (summary.databasePath == m_path)
            m_problems->setCheckedProblems(summary);
    });
    connect(m_scanner, &ProblemScanner::failed, this, [this](const QString &path, const QString &message) {
        if (path == m_path)
            m_problems->setCheckFailed(message);
    });
    connect(m_batch, &BatchPanel::finished, this, &MainWindow::onRunFinished);
    connect(m_batch, &BatchPanel::unrecordedRun, m_history, &RunHistoryDock::addSessionRun);
    connect(m_dailyLoad, &DailyLoadView::dayClicked, this, [this](QDate date) {
        m_contacts->setScheduledDateFilter(date);
        statusBar()->showMessage(tr("Showing the contacts with an email on %1.")
                                     .arg(QLocale().toString(date, QLocale::LongFormat)),
                                 5000);
    });
    connect(m_problems, &ProblemsDock::contactActivated, this, [this](qint64 id) {
        if (!m_contacts->selectContact(id))
            statusBar()->showMessage(tr("Contact %1 is hidden by the filters; clear them to see it.").arg(id),
                                     5000);
    });
}

void MainWindow::createActions()
{
    QMenu *file = menuBar()->addMenu(tr("&File"));
    QAction *open = file->addAction(tr("&Open Database…"), this, &MainWindow::chooseDatabase);
    open->setShortcut(QKeySequence::Open);
    open->setIcon(style()->standardIcon(QStyle::SP_DialogOpenButton));
    QAction *demo = file->addAction(tr("Open &Demo Database"), this, &MainWindow::openDemoDatabase);
    m_connectAction = file->addAction(tr("Co&nnect to Server…"), this, &MainWindow::connectToServer);
    m_connectAction->setObjectName(QStringLiteral("connectAction"));
    m_connectAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_O));
    m_connectAction->setIcon(style()->standardIcon(QStyle::SP_DriveNetIcon));
    m_connectAction->setStatusTip(tr("Open an organisation database on a PostgreSQL server"));
    m_recentMenu = file->addMenu(tr("Open &Recent"));
    file->addSeparator();
    QAction *exportAction = file->addAction(tr("&Export…"), this, &MainWindow::exportCsv);
    exportAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_E));
    QAction *importAction = file->addAction(tr("&Import Contacts…"), this, &MainWindow::importContacts);
    importAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_I));
    file->addSeparator();
    QAction *quit = file->addAction(tr("&Quit"), this, &QWidget::close);
    quit->setShortcut(QKeySequence::Quit);

    QMenu *edit = menuBar()->addMenu(tr("&Edit"));
    QAction *copy = edit->addAction(tr("&Copy"), this, &MainWindow::copy);
    copy->setShortcut(QKeySequence::Copy);
    QAction *selectAll = edit->addAction(tr("Select &All"), m_contacts->view(), &QTableView::selectAll);
    selectAll->setShortcut(QKeySequence::SelectAll);
    QAction *find = edit->addAction(tr("&Find…"), this, [this] {
        if (QLineEdit *box = m_contacts->filterHeader()->editor(ContactColumn::LastName)) {
            box->setFocus();
            box->selectAll();
        }
    });
    find->setShortcut(QKeySequence::Find);
    edit->addSeparator();
    m_doNotEmailAction = edit->addAction(tr("&Do Not Email…"), this, &MainWindow::doNotEmailSelected);
    m_doNotEmailAction->setObjectName(QStringLiteral("doNotEmailAction"));
    m_doNotEmailAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_D));
    m_doNotEmailAction->setStatusTip(tr("Put the selected contacts' addresses on the do-not-email list"));
    setShortcutTip(m_doNotEmailAction);
    // The contact table's context menu: what the Edit menu does to the selected contacts.
    m_contacts->view()->setContextMenuPolicy(Qt::ActionsContextMenu);
    m_contacts->view()->addAction(copy);
    m_contacts->view()->addAction(m_doNotEmailAction);

    m_viewMenu = menuBar()->addMenu(tr("&View"));
    QAction *refresh = m_viewMenu->addAction(tr("&Refresh"), this, &MainWindow::refresh);
    m_refreshAction = refresh;
    QList<QKeySequence> refreshKeys = QKeySequence::keyBindings(QKeySequence::Refresh);
    if (!refreshKeys.contains(QKeySequence(Qt::Key_F5)))
        refreshKeys.prepend(QKeySequence(Qt::Key_F5));
    refresh->setShortcuts(refreshKeys);
    refresh->setIcon(style()->standardIcon(QStyle::SP_BrowserReload));
    m_viewMenu->addSeparator();
    for (QDockWidget *dock :
         { static_cast<QDockWidget *>(m_preview), m_batchDock, static_cast<QDockWidget *>(m_problems),
           static_cast<QDockWidget *>(m_history), m_dailyLoadDock })
        m_viewMenu->addAction(dock->toggleViewAction());

    QMenu *run = menuBar()->addMenu(tr("&Run"));
    m_runAction = run->addAction(tr("Run &Batch…"), this, &MainWindow::startRun);
    m_runAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_B));
    m_runAction->setIcon(style()->standardIcon(QStyle::SP_MediaPlay));
    m_cancelAction = run->addAction(tr("&Cancel Run"), m_batch, &BatchPanel::cancel);
    m_cancelAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Period));
    m_cancelAction->setIcon(style()->standardIcon(QStyle::SP_MediaStop));
    m_cancelAction->setEnabled(false);
    connect(m_batch, &BatchPanel::runningChanged, m_runAction,
            [this](bool running) { m_runAction->setEnabled(!running); });
    // Like the panel's Cancel button: not while the question is open, not twice.
    connect(m_batch, &BatchPanel::cancellableChanged, m_cancelAction, &QAction::setEnabled);

    QMenu *lists = menuBar()->addMenu(tr("&Campaigns"));
    m_campaignsAction = lists->addAction(tr("&Campaigns…"), this, &MainWindow::showCampaigns);
    m_campaignsAction->setObjectName(QStringLiteral("campaignsAction"));
    m_campaignsAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_C));
    setShortcutTip(m_campaignsAction);
    m_doNotEmailListAction
        = lists->addAction(tr("&Do-Not-Email List…"), this, &MainWindow::showDoNotEmailList);
    m_doNotEmailListAction->setObjectName(QStringLiteral("doNotEmailListAction"));
    m_doNotEmailListAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_L));
    setShortcutTip(m_doNotEmailListAction);

    QMenu *help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&About Email Scheduler"), this, &MainWindow::showAbout);

    for (QAction *action : { open, demo, m_connectAction, exportAction, importAction, quit, copy, selectAll,
                             find, refresh, m_runAction, m_cancelAction })
        setShortcutTip(action);

    QToolBar *tools = addToolBar(tr("Main"));
    tools->setObjectName(QStringLiteral("mainToolBar"));
    tools->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    tools->addAction(open);
    tools->addAction(refresh);
    tools->addSeparator();
    tools->addAction(m_runAction);
    tools->addAction(m_cancelAction);
    tools->addSeparator();
    auto *asOfLabel = new QLabel(tr("&As of: "), tools);
    tools->addWidget(asOfLabel);
    m_asOf = new QDateEdit(tools);
    asOfLabel->setBuddy(m_asOf);
    m_asOf->setObjectName(QStringLiteral("asOfDate"));
    m_asOf->setCalendarPopup(true);
    m_asOf->setDisplayFormat(QStringLiteral("ddd MMM d, yyyy"));
    m_asOf->setToolTip(tr("The day previews and runs treat as today"));
    tools->addWidget(m_asOf);
    QAction *today = tools->addAction(tr("Today"), this, [this] { setAsOfDate(QDate()); });
    today->setToolTip(tr("Use the current date in %1").arg(m_config.timezone));
    connect(m_asOf, &QDateEdit::userDateChanged, this, &MainWindow::onAsOfEdited);
    m_viewMenu->addAction(tools->toggleViewAction());
    createGoToActions();
}

void MainWindow::createGoToActions()
{
    // Every pane can be reached without a mouse: Alt+1 the contact table, Alt+2… the docks
    // (shown and raised first), listed in View with their keys.
    m_viewMenu->addSection(tr("Go To"));
    struct Pane
    {
        QString text;
        QWidget *widget;
    };
    const QList<Pane> panes {
        { tr("&Contact Table"), m_contacts->view() },
        { tr("Schedule &Preview"), m_preview },
        { tr("&Batch Run"), m_batchDock },
        { tr("Probl&ems"), m_problems },
        { tr("Run &History"), m_history },
        { tr("&Sends per Day"), m_dailyLoadDock },
    };
    for (int i = 0; i < panes.size(); ++i) {
        QWidget *pane = panes[i].widget;
        QAction *go = m_viewMenu->addAction(panes[i].text, this, [this, pane] { focusPane(pane); });
        go->setShortcut(QKeySequence(Qt::ALT | Qt::Key(Qt::Key_1 + i)));
        go->setObjectName(QStringLiteral("goToPane%1").arg(i + 1));
        setShortcutTip(go);
    }
}

void MainWindow::focusPane(QWidget *pane)
{
    if (auto *dock = qobject_cast<QDockWidget *>(pane)) {
        dock->show();
        dock->raise();
    }
    if (pane->focusPolicy() & Qt::TabFocus) {
        pane->setFocus(Qt::ShortcutFocusReason);
        return;
    }
    // The first widget inside the pane that Tab would reach.
    for (QWidget *w = pane->nextInFocusChain(); w && w != pane; w = w->nextInFocusChain()) {
        if (pane->isAncestorOf(w) && (w->focusPolicy() & Qt::TabFocus) && w->isVisibleTo(pane)
            && w->isEnabled()) {
            w->setFocus(Qt::ShortcutFocusReason);
            return;
        }
    }
}

QString MainWindow::demoDatabasePath()
{
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation)
        + QStringLiteral("/demo-organisation.sqlite3");
}

void MainWindow::setConfig(const Config &config)
{
    m_config = config;
    m_contacts->setStateRules(config.stateRules);
    m_preview->setConfig(config);
    m_dailyLoad->setConfig(config);
    m_campaigns->setConfig(config);
    if (m_asOfFollowsToday)
        setAsOfDate(QDate());
}

void MainWindow::setAsOfDate(QDate date)
{
    m_asOfFollowsToday = !date.isValid();
    const QDate effective = date.isValid() ? date : currentDate(m_config);
    const bool changed = effective != m_asOf->date();
    {
        const QSignalBlocker blocker(m_asOf);
        m_asOf->setDate(effective);
    }
    m_contacts->setToday(effective);
    m_preview->setToday(effective);
    m_dailyLoad->setToday(effective);
    m_campaigns->setToday(effective);
    // A birth date after the new "as of" date is a problem (or no longer one).
    if (changed && !m_path.isEmpty())
        checkProblems();
}

QDate MainWindow::asOfDate() const
{
    return m_asOf->date();
}

void MainWindow::onAsOfEdited(QDate date)
{
    setAsOfDate(date == currentDate(m_config) ? QDate() : date);
}

void MainWindow::startSession(const QString &path)
{
    const QByteArray geometry = m_settings->value(QStringLiteral("window/geometry")).toByteArray();
    const QByteArray state = m_settings->value(QStringLiteral("window/state")).toByteArray();
    // Remembered geometry and layout win; the first start fills the screen.
    if (geometry.isEmpty() || !restoreGeometry(geometry))
        fillScreen();
    if (state.isEmpty() || !restoreState(state))
        splitDocks();
    m_contacts->restoreHeaderState(m_settings->value(QStringLiteral("contacts/header")).toByteArray());
    setAsOfDate(QDate::fromString(m_settings->value(QStringLiteral("asOf")).toString(), Qt::ISODate));
    rebuildRecentMenu();

    if (!path.isEmpty()) {
        openDatabase(path);
        return;
    }
    const QString last = m_settings->value(QStringLiteral("lastDatabase")).toString();
    // A server is tried in the background (with a connect timeout): if it is away, the window
    // says so and stays empty rather than replacing the user's last database with the demo.
    if (!last.isEmpty() && (PgSpec::isConnectionSpec(last) || QFileInfo::exists(last)))
        openDatabase(last);
    else
        openDemoDatabase();
}

void MainWindow::openDatabase(const QString &path)
{
    QString absolute;
    QString shown;
    if (PgSpec::isConnectionSpec(path)) {
        // A password in the spec stays in memory; the spec kept from here on has none.
        if (const QString password = PgSpec::parse(path).password; !password.isEmpty())
            PgSpec::setSessionPassword(path, password);
        absolute = withoutPassword(path);
        shown = PgSpec::displayName(absolute);
    } else {
        absolute = QFileInfo(path).absoluteFilePath();
        shown = QDir::toNativeSeparators(absolute);
    }
    if (refuseOpenDuringRun(absolute))
        return;
    const quint64 token = ++m_openToken;
    statusBar()->showMessage(tr("Opening %1…").arg(shown));
    m_openWatcher.setFuture(QtConcurrent::run(&MainWindow::checkDatabase, token, absolute));
}

QString MainWindow::databaseLabel(const QString &database)
{
    if (!PgSpec::isConnectionSpec(database))
        return QFileInfo(database).fileName();
    const PgSpec::Parts parts = PgSpec::parse(database);
    if (!parts.ok)
        return PgSpec::displayName(database);
    return tr("%1 on %2:%3")
        .arg(parts.dbname, parts.host.isEmpty() ? QStringLiteral("localhost") : parts.host,
             parts.port.isEmpty() ? QStringLiteral("5432") : parts.port);
}

void MainWindow::connectToServer()
{
    auto *dialog = new ConnectDialog(m_settings.get(), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    if (!m_passwordSpec.isEmpty())
        dialog->prefill(m_passwordSpec);
    connect(dialog, &QDialog::accepted, this, [this, dialog] { openDatabase(dialog->spec()); });
    dialog->open();
}

void MainWindow::onBannerAction()
{
    // The only action the error banner offers: typing the password a server asked for.
    if (!m_passwordSpec.isEmpty())
        connectToServer();
}

MainWindow::OpenAnswer MainWindow::checkDatabase(quint64 token, const QString &path)
{
    if (PgSpec::isConnectionSpec(path)) {
        const Result<PgConnection> server = PgSchema::openOrganisation(path);
        if (!server)
            return OpenAnswer { token, path, server.errorMessage(), QString(),
                                server.error().is(PgErrorKind::PasswordNeeded)
                                    || server.error().is(PgErrorKind::PasswordRejected) };
        return OpenAnswer { token, path, QString(), QString() };
    }
    const Result<OrgDatabase> db = OrgDatabase::open(path, OrgDatabase::Mode::ReadOnly);
    if (!db)
        return OpenAnswer { token, path, db.errorMessage(), QString() };
    return OpenAnswer { token, path, QString(), readOnlyReason(path) };
}

void MainWindow::onOpenChecked()
{
    const OpenAnswer answer = m_openWatcher.result();
    if (answer.token != m_openToken)
        return;
    statusBar()->clearMessage();
    // A run may have started while the file was checked.
    if (answer.error.isEmpty() && refuseOpenDuringRun(answer.path))
        return;
    if (!answer.error.isEmpty()) {
        const QString current
            = m_path.isEmpty() ? QString() : u' ' % tr("%1 stays open.").arg(databaseLabel(m_path));
        m_passwordSpec = answer.needsPassword ? answer.path : QString();
        // libpq's "fe_sendauth: no password supplied" says less than what to do about it.
        const QString error = answer.needsPassword
            ? tr("%1 asks for a password. Type it (it is kept until the program closes, never saved), "
                 "or put it in ~/.pgpass so it is not asked again.")
                  .arg(PgSpec::displayName(answer.path))
            : answer.error;
        m_contacts->banner()->showMessage(MessageBanner::Kind::Error, error % current,
                                          answer.needsPassword ? tr("Type Password…") : QString());
        Q_EMIT databaseFailed(answer.path, answer.error);
        return;
    }
    // The batch panel shows the outcome of a run of the database it ran on.
    if (answer.path != m_path) {
        m_batch->clear();
        m_refreshBanner->hide();
        m_heldRuns.clear();
        m_unreadRuns.clear();
        m_offeredRuns.clear();
    }
    m_path = answer.path;
    m_passwordSpec.clear();
    m_contacts->banner()->hide();
    const bool server = PgSpec::isConnectionSpec(m_path);
    // What this database is stays said while it is open (until the user closes the note).
    QStringList notes;
    MessageBanner::Kind kind = MessageBanner::Kind::Information;
    if (!server && QFileInfo(m_path) == QFileInfo(demoDatabasePath()))
        notes << tr("This is a demo database of made-up contacts. Open your organisation's "
                    "database with File ▸ Open Database or by dropping it here, or its server "
                    "database with File ▸ Connect to Server.");
    if (!answer.readOnly.isEmpty()) {
        notes << answer.readOnly;
        kind = MessageBanner::Kind::Warning;
    }
    m_contacts->noticeBanner()->showMessage(kind, notes.join(u'\n'));
    m_contacts->setDatabase(m_path);
    m_preview->setDatabase(m_path);
    m_history->setDatabase(m_path);
    m_dailyLoad->setDatabase(m_path);
    m_doNotEmail->setDatabase(m_path);
    m_campaigns->setDatabase(m_path);
    m_problems->clear();
    checkProblems();
    m_notifier->setDatabase(m_path);
    setWindowTitle(tr("%1 — Email Scheduler").arg(databaseLabel(m_path)));
    setWindowFilePath(server ? QString() : m_path);
    if (server)
        statusBar()->showMessage(tr("Connected to %1.").arg(PgSpec::displayName(m_path)), 5000);
    addRecent(m_path);
    Q_EMIT databaseOpened(m_path);
}

void MainWindow::openDemoDatabase()
{
    const QString path = demoDatabasePath();
    if (QFileInfo::exists(path)) {
        openDatabase(path);
        return;
    }
    m_contacts->banner()->showMessage(MessageBanner::Kind::Information,
                                      tr("Creating a demo database with %1 made-up contacts in %2…")
                                          .arg(QLocale().toString(kDemoContacts),
                                               QDir::toNativeSeparators(QFileInfo(path).absolutePath())));
    m_demoWatcher.setFuture(QtConcurrent::run([path] {
        QDir().mkpath(QFileInfo(path).absolutePath());
        DemoGenerator::Options options;
        options.path = path;
        options.contacts = kDemoContacts;
        const Result<DemoGenerator::Summary> made = DemoGenerator::generate(options);
        return made ? QString() : made.errorMessage();
    }));
}

void MainWindow::onDemoCreated()
{
    const QString error = m_demoWatcher.result();
    if (!error.isEmpty()) {
        m_contacts->banner()->showMessage(MessageBanner::Kind::Error,
                                          tr("The demo database could not be created: %1").arg(error));
        return;
    }
    const QString path = demoDatabasePath();
    const quint64 token = ++m_openToken;
    m_openWatcher.setFuture(QtConcurrent::run(&MainWindow::checkDatabase, token, path));
}

bool MainWindow::refuseOpenDuringRun(const QString &path)
{
    // A run belongs to the database it computes and may be writing: switching mid-run would
    // show one database while the panel asks about (or writes) another, and cancelling on the
    // user's behalf could throw away a long computation. So the user decides.
    if (!m_batch->isRunning() || path == m_batch->databasePath())
        return false;
    m_contacts->banner()->showMessage(
        MessageBanner::Kind::Information,
        tr("A batch run of %1 is in progress. Cancel it (Esc) or wait until it ends, then open %2 again.")
            .arg(databaseLabel(m_batch->databasePath()), databaseLabel(path)));
    statusBar()->clearMessage();
    return true;
}

QString MainWindow::bannerText() const
{
    return m_contacts->banner()->text();
}

QString MainWindow::noticeText() const
{
    return m_contacts->noticeBanner()->text();
}

void MainWindow::chooseDatabase()
{
    const QString dir = m_path.isEmpty() || PgSpec::isConnectionSpec(m_path)
        ? QDir::homePath()
        : QFileInfo(m_path).absolutePath();
    const QString path
        = QFileDialog::getOpenFileName(this, tr("Open Organisation Database"), dir,
                                       tr("SQLite databases (*.sqlite3 *.sqlite *.db);;All files (*)"));
    if (!path.isEmpty())
        openDatabase(path);
}

void MainWindow::addRecent(const QString &path)
{
    QStringList recent = m_settings->value(QStringLiteral("recentDatabases")).toStringList();
    recent.removeAll(path);
    recent.prepend(path);
    while (recent.size() > kMaxRecent)
        recent.removeLast();
    m_settings->setValue(QStringLiteral("recentDatabases"), recent);
    m_settings->setValue(QStringLiteral("lastDatabase"), path);
    rebuildRecentMenu();
}

void MainWindow::rebuildRecentMenu()
{
    // The old actions go entirely: one left on the window would keep its Ctrl+n next to the new
    // one's, and Qt then runs neither ("Ambiguous shortcut overload").
    // Deleting an action takes it off the menu and the window.
    qDeleteAll(m_recentActions);
    m_recentActions.clear();
    m_recentMenu->clear();
    const QStringList recent = m_settings->value(QStringLiteral("recentDatabases")).toStringList();
    for (int i = 0; i < recent.size(); ++i) {
        const QString path = recent[i];
        // A server connection says so next to its name (and carries no password: addRecent).
        const bool server = PgSpec::isConnectionSpec(path);
        const QString text = server ? tr("&%1 %2 (server)").arg(i + 1).arg(databaseLabel(path))
                                    : tr("&%1 %2").arg(i + 1).arg(databaseLabel(path));
        QAction *action = m_recentMenu->addAction(text, this, [this, path] { openDatabase(path); });
        action->setShortcut(QKeySequence(Qt::CTRL | Qt::Key(Qt::Key_1 + i)));
        action->setIcon(style()->standardIcon(server ? QStyle::SP_DriveNetIcon : QStyle::SP_FileIcon));
        const QString where = server ? PgSpec::displayName(path) : QDir::toNativeSeparators(path);
        action->setStatusTip(where);
        action->setToolTip(where);
        m_recentActions << action;
    }
    m_recentMenu->setEnabled(!recent.isEmpty());
    // Ctrl+1..9 also work while the menu is closed (a disabled menu would disable them).
    addActions(m_recentActions);
}

void MainWindow::refresh()
{
    // What was offered is shown now.
    m_offeredRuns.clear();
    m_refreshBanner->hide();
    m_contacts->refresh();
    m_preview->reload();
    m_campaigns->reload();
    m_doNotEmail->reload();
    m_history->reload();
    m_dailyLoad->reload();
    checkProblems();
}

void MainWindow::checkProblems()
{
    if (m_path.isEmpty()) {
        m_scanner->cancel();
        return;
    }
    // The same "as of" date as the contact table's problem column, so both show the same.
    m_scanner->start(m_path, asOfDate());
}

void MainWindow::fillScreen()
{
    const QScreen *screen = this->screen() ? this->screen() : QGuiApplication::primaryScreen();
    if (!screen)
        return;
    // Maximised where a window manager does it; the size is set too for when none does.
    setGeometry(screen->availableGeometry());
    setWindowState(windowState() | Qt::WindowMaximized);
}

void MainWindow::splitDocks()
{
    // The preview gets what the contact table does not need to show every column through
    // Problems (within limits that keep it readable); the docks below get about two fifths of
    // the height, so their lists show a dozen rows or more and the table twice that.
    const QSize window = size();
    const int separator = style()->pixelMetric(QStyle::PM_DockWidgetSeparatorExtent, nullptr, this);
    const int previewWidth = window.width() - m_contacts->preferredTableWidth() - 2 * separator;
    // On a small screen (1024 px) the table comes first: the preview gets at most two fifths.
    const int previewMax = std::min(640, window.width() * 2 / 5);
    resizeDocks({ m_preview }, { std::clamp(previewWidth, std::min(360, previewMax), previewMax) },
                Qt::Horizontal);
    resizeDocks({ m_batchDock }, { std::clamp(window.height() * 2 / 5, 200, 480) }, Qt::Vertical);
    resizeDocks({ m_batchDock }, { std::clamp(window.width() / 5, 220, 320) }, Qt::Horizontal);
}

void MainWindow::startRun()
{
    if (m_path.isEmpty())
        return;
    m_batchDock->show();
    m_batchDock->raise();
    m_batch->start(m_path, asOfDate(), m_config);
}

void MainWindow::onRunFinished()
{
    // Runs heard while this one was going: this one is not news, the others are.
    if (!m_batch->lastBatchId().isEmpty())
        m_ownBatchIds.insert(m_batch->lastBatchId());
    const QList<std::pair<QString, QString>> held = std::exchange(m_heldRuns, {});
    for (const auto &[user, batchId] : held) {
        if (!m_ownBatchIds.contains(batchId))
            readOtherRun(user, batchId);
    }
    m_history->reload();
    // A run writes email_schedules only: the contact rows and their problems are unchanged, so
    // the (million-row) table is rebuilt only when it is filtered by scheduled emails.
    if (m_contacts->scheduledDateFilter().isValid())
        m_contacts->refresh();
    m_preview->reload();
    m_dailyLoad->reload();
}

void MainWindow::copy()
{
    // The table with the focus (preview, problems, runs), else the contact table.
    const auto *focused = qobject_cast<const QTableView *>(QApplication::focusWidget());
    const QTableView *source = focused ? focused : m_contacts->view();
    const int rows = TableClipboard::copySelection(source);
    statusBar()->showMessage(tr("Copied %n row(s)", "", rows), 3000);
}

void MainWindow::exportCsv()
{
    // The table with the focus (problems, preview) as a loaded model, else the contact table,
    // which is exported through SQL with its filter, sort and visible columns.
    auto *focused = qobject_cast<QTableView *>(QApplication::focusWidget());
    const bool smallTable = focused && focused != m_contacts->view();
    auto *dialog = new ExportDialog(smallTable ? focused->model() : nullptr, m_path, this);
    if (!smallTable && !m_path.isEmpty())
        dialog->setContactView(ExportDialog::contactViewOf(m_contacts->view()));
    dialog->setToday(asOfDate());
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->open();
}

void MainWindow::importContacts()
{
    auto *dialog = new ImportDialog(m_path, this);
    dialog->setToday(asOfDate());
    connect(dialog, &ImportDialog::imported, this, &MainWindow::refresh);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->open();
}

void MainWindow::showAbout()
{
    QMessageBox::about(
        this, tr("About Email Scheduler"),
        tr("<p><b>Email Scheduler</b> %1</p><p>Plans birthday, policy anniversary and AEP emails "
           "for Medicare contacts while keeping out of each state's rule windows.</p>")
            .arg(QApplication::applicationVersion()));
}

void MainWindow::showDoNotEmailList()
{
    m_doNotEmail->show();
    m_doNotEmail->raise();
    m_doNotEmail->activateWindow();
}

void MainWindow::showCampaigns()
{
    m_campaigns->show();
    m_campaigns->raise();
    m_campaigns->activateWindow();
}

void MainWindow::doNotEmailSelected()
{
    const QList<qint64> ids = m_contacts->selectedContactIds();
    if (ids.isEmpty()) {
        statusBar()->showMessage(tr("Select the contacts that must not get emails first."), 5000);
        return;
    }
    m_doNotEmail->suppressContacts(ids, this);
}

void MainWindow::onManagementChanged()
{
    // The list decides who gets emails: the preview says so at once, the quick filter lists
    // them; the stored schedule changes only with the next run.
    if (m_contacts->model()->filter().doNotEmailOnly())
        m_contacts->refresh();
    m_preview->reload();
}

void MainWindow::onRunCommitted(const QString &database, const QString &user, const QString &batchId)
{
    if (database != m_path)
        return;
    // This window's own run is not offered: while it goes, what is heard waits for its batch id.
    if (m_batch->isRunning() && m_batch->databasePath() == m_path) {
        m_heldRuns.append({ user, batchId });
        return;
    }
    if (batchId == m_batch->lastBatchId() || m_ownBatchIds.contains(batchId))
        return;
    readOtherRun(user, batchId);
}

void MainWindow::readOtherRun(const QString &user, const QString &batchId)
{
    Q_EMIT otherRunHeard(batchId);
    m_unreadRuns.append({ user, batchId });
    if (!m_readingRuns)
        readHeardRuns();
}

void MainWindow::readHeardRuns()
{
    if (m_unreadRuns.isEmpty() || m_path.isEmpty())
        return;
    m_readingRuns = true;
    const QString database = m_path;
    const QList<std::pair<QString, QString>> heard = std::exchange(m_unreadRuns, {});
    m_otherRunWatcher.setFuture(QtConcurrent::run([database, heard] {
        return OtherRun { database, heard, RunHistory::list(database, 100) };
    }));
}

void MainWindow::onOtherRunRead()
{
    m_readingRuns = false;
    const OtherRun other = m_otherRunWatcher.result();
    if (other.database == m_path) {
        const QList<RunRecord> runs = other.runs ? other.runs.value() : QList<RunRecord>();
        for (const std::pair<QString, QString> &heard : other.heard) {
            const auto found = std::find_if(runs.cbegin(), runs.cend(), [&heard](const RunRecord &run) {
                return run.batchId == heard.second;
            });
            m_offeredRuns.append(
                { heard.first, found == runs.cend() ? std::nullopt : std::optional<RunRecord>(*found) });
        }
        showOfferedRuns();
    }
    // Those heard while this read went on.
    readHeardRuns();
}

void MainWindow::showOfferedRuns()
{
    if (m_offeredRuns.isEmpty())
        return;
    const QLocale locale;
    QString text;
    if (m_offeredRuns.size() == 1) {
        const OfferedRun &other = m_offeredRuns.first();
        if (!other.record) {
            text = tr("%1's run has finished.").arg(other.user.isEmpty() ? tr("Another user") : other.user);
        } else {
            const RunRecord &run = *other.record;
            const QString runBy = RunHistoryModel::runBy(run);
            const QString who = runBy.isEmpty() ? other.user : runBy;
            const QDateTime finished
                = (run.finishedAt.isValid() ? run.finishedAt : run.startedAt).toLocalTime();
            const QString when = finished.date() == QDate::currentDate()
                ? locale.toString(finished.time(), QLocale::ShortFormat)
                : locale.toString(finished, QLocale::ShortFormat);
            text = run.added == 1
                ? tr("%1's run of %2 added one email.").arg(who, when)
                : tr("%1's run of %2 added %3 emails.").arg(who, when, locale.toString(run.added));
        }
        m_refreshBanner->showMessage(
            MessageBanner::Kind::Information,
            text % u' ' % tr("The contacts, schedules and sends per day shown here are from before it."),
            tr("Refresh"));
        return;
    }
    // Several runs since the last refresh: who ran them and what they added together.
    QStringList names;
    qint64 added = 0;
    bool allFound = true;
    for (const OfferedRun &other : std::as_const(m_offeredRuns)) {
        QString who = other.record ? RunHistoryModel::runBy(*other.record) : QString();
        if (who.isEmpty())
            who = other.user.isEmpty() ? tr("another user") : other.user;
        if (!names.contains(who))
            names.append(who);
        if (other.record)
            added += other.record->added;
        else
            allFound = false;
    }
    const QString last = names.takeLast();
    const QString who = names.isEmpty() ? last : tr("%1 and %2").arg(names.join(QStringLiteral(", ")), last);
    const QString count = locale.toString(m_offeredRuns.size());
    if (!allFound)
        text = tr("%1 runs by %2 have finished.").arg(count, who);
    else if (added == 1)
        text = tr("%1 runs by %2 added one email.").arg(count, who);
    else
        text = tr("%1 runs by %2 added %3 emails.").arg(count, who, locale.toString(added));
    m_refreshBanner->showMessage(
        MessageBanner::Kind::Information,
        text % u' ' % tr("The contacts, schedules and sends per day shown here are from before them."),
        tr("Refresh"));
}

void MainWindow::saveSettings()
{
    m_settings->setValue(QStringLiteral("window/geometry"), saveGeometry());
    m_settings->setValue(QStringLiteral("window/state"), saveState());
    m_settings->setValue(QStringLiteral("contacts/header"), m_contacts->saveHeaderState());
    m_settings->setValue(QStringLiteral("asOf"),
                         m_asOfFollowsToday ? QString() : asOfDate().toString(Qt::ISODate));
    m_settings->sync();
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    if (m_batch->isRunning())
        m_batch->cancel(); // nothing is written after a cancel
    m_scanner->cancel();
    saveSettings();
    event->accept();
}

void MainWindow::dragEnterEvent(QDragEnterEvent *event)
{
    const QList<QUrl> urls = event->mimeData()->urls();
    if (!urls.isEmpty() && urls.first().isLocalFile())
        event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent *event)
{
    const QList<QUrl> urls = event->mimeData()->urls();
    if (urls.isEmpty() || !urls.first().isLocalFile())
        return;
    event->acceptProposedAction();
    openDatabase(urls.first().toLocalFile());
}
