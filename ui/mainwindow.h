#pragma once

#include "config.h"
#include "storage/runhistory.h"

#include <QDate>
#include <QFutureWatcher>
#include <QMainWindow>
#include <QSet>
#include <QSettings>

#include <memory>
#include <optional>

class BatchPanel;
class CampaignsWindow;
class MessageBanner;
class PgNotifier;
class ContactsPage;
class DailyLoadView;
class DoNotEmailWindow;
class ProblemScanner;
class ProblemsDock;
class QAction;
class QDateEdit;
class QLabel;
class QMenu;
class RunHistoryDock;
class SchedulePreviewDock;

// The main window wires the pages, docks, actions, settings and the status bar; every feature
// lives in its own widget.
class MainWindow final : public QMainWindow
{
    Q_OBJECT

public:
    // `settingsFile` empty: the user's settings; tests pass a file of their own.
    explicit MainWindow(const QString &settingsFile = QString(), QWidget *parent = nullptr);
    ~MainWindow() override;

    // Restores geometry, layout and the "as of" choice, then opens `path`, else the last
    // database, else the bundled demo database (created on first start).
    void startSession(const QString &path);
    // Checks the file (or the server of a connection spec) off the GUI thread, then shows it; a
    // bad one leaves the current database open and says why in the banner.
    void openDatabase(const QString &path);
    // File ▸ Connect to Server…: the connection dialog; opens the database it connected to.
    void connectToServer();
    // How the window names `database`: the file name, or "agency on db1:5432" for a server.
    static QString databaseLabel(const QString &database);
    void openDemoDatabase();
    QString databasePath() const { return m_path; }

    void setConfig(const Config &config);
    const Config &config() const { return m_config; }
    void setAsOfDate(QDate date); // invalid: follow the current date
    QDate asOfDate() const;
    static QString demoDatabasePath();

    ContactsPage *contactsPage() const { return m_contacts; }
    SchedulePreviewDock *previewDock() const { return m_preview; }
    BatchPanel *batchPanel() const { return m_batch; }
    ProblemsDock *problemsDock() const { return m_problems; }
    RunHistoryDock *runHistoryDock() const { return m_history; }
    DailyLoadView *dailyLoadView() const { return m_dailyLoad; }
    QDockWidget *dailyLoadDock() const { return m_dailyLoadDock; }
    QAction *runAction() const { return m_runAction; }
    QAction *refreshAction() const { return m_refreshAction; }
    ProblemScanner *problemScanner() const { return m_scanner; }
    DoNotEmailWindow *doNotEmailWindow() const { return m_doNotEmail; }
    CampaignsWindow *campaignsWindow() const { return m_campaigns; }
    // Edit ▸ Do Not Email… (also in the contact table's context menu).
    QAction *doNotEmailAction() const { return m_doNotEmailAction; }
    QAction *doNotEmailListAction() const { return m_doNotEmailListAction; }
    QAction *campaignsAction() const { return m_campaignsAction; }
    QAction *connectAction() const { return m_connectAction; }
    QList<QAction *> recentActions() const { return m_recentActions; }
    // "Alice's run of 14:02 added 120 emails" with a Refresh button (server databases).
    MessageBanner *refreshBanner() const { return m_refreshBanner; }
    PgNotifier *runNotifier() const { return m_notifier; }
    // The message of the last failed open (empty when none is shown).
    QString bannerText() const;
    // What the open database is: made-up demo contacts, read-only (empty when nothing to say).
    QString noticeText() const;

Q_SIGNALS:
    void databaseOpened(const QString &path);
    void databaseFailed(const QString &path, const QString &message);
    // Another program's run of the open server database committed (this window's own never
    // does): the refresh offer follows once its record is read.
    void otherRunHeard(const QString &batchId);

protected:
    void closeEvent(QCloseEvent *event) override;
    void dragEnterEvent(QDragEnterEvent *event) override;
    void dropEvent(QDropEvent *event) override;

private:
    struct OpenAnswer
    {
        quint64 token = 0;
        QString path;
        QString error;
        QString readOnly;           // why a run could not write this database; empty when it could
        bool needsPassword = false; // a server that wants a password the program does not have
    };
    // Runs other programs committed on the open server database, and their records.
    struct OtherRun
    {
        QString database;
        QList<std::pair<QString, QString>> heard;           // user and batch id as they were heard
        Result<QList<RunRecord>> runs = QList<RunRecord>(); // the newest runs, read when they were heard
    };
    // A run the refresh banner speaks of: who, and its record when it was found.
    struct OfferedRun
    {
        QString user;
        std::optional<RunRecord> record;
    };
    static OpenAnswer checkDatabase(quint64 token, const QString &path);
    void createActions();
    void createDocks();
    void createGoToActions();
    void focusPane(QWidget *pane);
    void onOpenChecked();
    void onDemoCreated();
    // True (and says why in the banner) when a batch run of another database is going on.
    bool refuseOpenDuringRun(const QString &path);
    void addRecent(const QString &path);
    void rebuildRecentMenu();
    void chooseDatabase();
    void refresh();
    // Checks the open database's contacts in the background for the Problems dock.
    void checkProblems();
    // First start (nothing remembered): fill the screen; split the window between the table and
    // the docks.
    void fillScreen();
    void splitDocks();
    void onAsOfEdited(QDate date);
    void startRun();
    void onRunFinished();
    void copy();
    void exportCsv();
    void importContacts();
    void showAbout();
    void showDoNotEmailList();
    void showCampaigns();
    void doNotEmailSelected();
    // The do-not-email list or the campaigns changed: what shows their effect reloads.
    void onManagementChanged();
    void onRunCommitted(const QString &database, const QString &user, const QString &batchId);
    void readOtherRun(const QString &user, const QString &batchId);
    void readHeardRuns();
    void onOtherRunRead();
    // The refresh banner for every run heard since the last refresh.
    void showOfferedRuns();
    void onBannerAction();
    void saveSettings();

    std::unique_ptr<QSettings> m_settings;
    Config m_config;
    QString m_path;
    bool m_asOfFollowsToday = true;
    quint64 m_openToken = 0;
    QFutureWatcher<OpenAnswer> m_openWatcher;
    QFutureWatcher<QString> m_demoWatcher;
    QFutureWatcher<OtherRun> m_otherRunWatcher;
    PgNotifier *m_notifier = nullptr;
    MessageBanner *m_refreshBanner = nullptr;
    // Runs heard while this window's own run of the same database was going: told once it ends,
    // unless one of them is that run.
    QList<std::pair<QString, QString>> m_heldRuns;
    // Runs heard and not read yet (one read at a time), and those the refresh banner offers.
    QList<std::pair<QString, QString>> m_unreadRuns;
    bool m_readingRuns = false;
    QList<OfferedRun> m_offeredRuns;
    // The batch ids of this window's own runs: never offered, also when heard late.
    QSet<QString> m_ownBatchIds;
    QString m_passwordSpec; // the server whose open failed for want of a password

    ContactsPage *m_contacts = nullptr;
    SchedulePreviewDock *m_preview = nullptr;
    BatchPanel *m_batch = nullptr;
    QDockWidget *m_batchDock = nullptr;
    ProblemsDock *m_problems = nullptr;
    RunHistoryDock *m_history = nullptr;
    DailyLoadView *m_dailyLoad = nullptr;
    QDockWidget *m_dailyLoadDock = nullptr;
    QDateEdit *m_asOf = nullptr;
    QLabel *m_position = nullptr;
    QMenu *m_recentMenu = nullptr;
    QList<QAction *> m_recentActions;
    QMenu *m_viewMenu = nullptr;
    QAction *m_runAction = nullptr;
    QAction *m_cancelAction = nullptr;
    QAction *m_refreshAction = nullptr;
    ProblemScanner *m_scanner = nullptr;
    DoNotEmailWindow *m_doNotEmail = nullptr;
    CampaignsWindow *m_campaigns = nullptr;
    QAction *m_doNotEmailAction = nullptr;
    QAction *m_doNotEmailListAction = nullptr;
    QAction *m_campaignsAction = nullptr;
    QAction *m_connectAction = nullptr;
};
