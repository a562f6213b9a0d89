// The desktop program on a PostgreSQL server, through the real windows: File ▸ Connect to
// Server… typed and clicked (title, recent list, settings without a password), a wrong port and
// a password the server asks for (kept in memory only), the last server reopened at start and an
// unreachable one, the refresh offer when another program's run commits (and none for the
// window's own run), the listener coming back after the server dropped it, the batch panel
// waiting for a colleague's run, and "Run by" in the run history.

#include "batchpanel.h"
#include "connectdialog.h"
#include "contactspage.h"
#include "items/runhistorymodel.h"
#include "mainwindow.h"
#include "messagebanner.h"
#include "modalscript.h"
#include "pgcluster.h"
#include "runhistorydock.h"
#include "storage/pg/pgconnection.h"
#include "storage/pg/pgnotifier.h"

#include <QAction>
#include <QFile>
#include <QFileInfo>
#include <QLineEdit>
#include <QLocale>
#include <QPointer>
#include <QProcess>
#include <QPushButton>
#include <QRegularExpression>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <memory>

using namespace Qt::StringLiterals;

namespace {
constexpr int kWaitMs = 30000;
const QString kPassword = u"sekret-42-pw"_s;

// Clicks into `edit`, selects what is there and types `text`, as a user would.
void typeInto(QLineEdit *edit, const QString &text)
{
    QVERIFY(edit);
    QTest::mouseClick(edit, Qt::LeftButton);
    QTest::keyClick(edit, Qt::Key_A, Qt::ControlModifier);
    QTest::keyClick(edit, Qt::Key_Backspace);
    QTest::keyClicks(edit, text);
    QCOMPARE(edit->text(), text);
}
} // namespace

class TestPgUiServer : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void connectDialogOpensTheServerDatabase();
    void wrongPortIsSaidInTheDialog();
    void passwordIsAskedForAndKeptInMemoryOnly();
    void lastServerReopensAtStart();
    void unreachableServerAtStartLeavesTheWindowEmpty();
    void anotherProgramsRunOffersRefresh();
    void ownRunIsNotOffered();
    void listenerComesBackAfterTheServerDropsIt();
    void runWaitsForAColleaguesRunAndSaysWho();
    void runsMissedWhileReconnectingAreOfferedTogether();
    void lockWaitGivesUpWithAMessageForTheProgram();

private:
    void makeWindow();
    // File ▸ Connect to Server… with the fields typed; returns the dialog (still open while its
    // test runs, closed when it connected).
    QPointer<ConnectDialog> connectThroughDialog(const QString &port, const QString &user);
    void openAndListen();
    QString settingsText();
    QString spec(const QString &user = u"postgres"_s) const
    {
        return u"postgresql://%1@127.0.0.1:%2/agency"_s.arg(user).arg(m_cluster.port());
    }

    PgCluster m_cluster;
    QTemporaryDir m_data;
    QString m_cliPath;
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<MainWindow> m_window;
};

void TestPgUiServer::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    m_cliPath = qEnvironmentVariable("ES_CLI");
    QVERIFY2(QFileInfo(m_cliPath).isExecutable(), "ES_CLI must name the built email-scheduler-cli");
    QVERIFY2(m_cluster.start(), qPrintable(m_cluster.error()));
    const QString file = m_data.filePath(u"org.sqlite3"_s);
    QProcess cli;
    cli.start(m_cliPath, { u"generate"_s, u"--db"_s, file, u"--contacts"_s, u"400"_s, u"--seed"_s, u"5"_s });
    QVERIFY(cli.waitForFinished(120000));
    QCOMPARE(cli.exitCode(), 0);
    QVERIFY2(!m_cluster.createDatabase(u"agency"_s).isEmpty(), qPrintable(m_cluster.error()));
    cli.start(m_cliPath, { u"copy-db"_s, u"--from"_s, file, u"--to"_s, m_cluster.uri(u"agency"_s) });
    QVERIFY(cli.waitForFinished(120000));
    QVERIFY2(cli.exitCode() == 0, cli.readAllStandardError().constData());
    // carol logs in over TCP with a password only.
    QVERIFY2(m_cluster.exec("CREATE ROLE carol LOGIN PASSWORD '" + kPassword.toUtf8()
                            + "'; GRANT SELECT ON ALL TABLES IN SCHEMA public TO carol"),
             qPrintable(m_cluster.error()));
    QVERIFY2(m_cluster.exec("GRANT SELECT ON ALL TABLES IN SCHEMA public TO carol", u"agency"_s),
             qPrintable(m_cluster.error()));
    QFile hba(m_cluster.socketDir() + u"/data/pg_hba.conf"_s);
    QVERIFY(hba.open(QIODevice::ReadOnly));
    const QByteArray rules = "host all carol 127.0.0.1/32 scram-sha-256\n" + hba.readAll();
    hba.close();
    QVERIFY(hba.open(QIODevice::WriteOnly | QIODevice::Truncate));
    hba.write(rules);
    hba.close();
    QVERIFY(m_cluster.exec("SELECT pg_reload_conf()"));
}

void TestPgUiServer::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
}

void TestPgUiServer::cleanup()
{
    m_window.reset();
    m_dir.reset();
}

void TestPgUiServer::makeWindow()
{
    m_window = std::make_unique<MainWindow>(m_dir->filePath(u"settings.ini"_s));
    m_window->setAsOfDate(QDate(2025, 3, 1));
    m_window->resize(1280, 800);
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
}

QPointer<ConnectDialog> TestPgUiServer::connectThroughDialog(const QString &port, const QString &user)
{
    QPointer<ConnectDialog> dialog;
    ModalScript script;
    script.then([&](QWidget *modal) {
        dialog = qobject_cast<ConnectDialog *>(modal);
        QVERIFY(dialog);
        QCOMPARE(dialog->windowTitle(), u"Connect to Server"_s);
        typeInto(dialog->findChild<QLineEdit *>(u"host"_s), u"127.0.0.1"_s);
        typeInto(dialog->findChild<QLineEdit *>(u"port"_s), port);
        typeInto(dialog->findChild<QLineEdit *>(u"database"_s), u"agency"_s);
        typeInto(dialog->findChild<QLineEdit *>(u"user"_s), user);
        QVERIFY(ModalScript::click(dialog, u"Connect"));
    });
    m_window->connectAction()->trigger();
    [&] { QTRY_VERIFY_WITH_TIMEOUT(script.done(), kWaitMs); }();
    return dialog;
}

void TestPgUiServer::openAndListen()
{
    makeWindow();
    QSignalSpy opened(m_window.get(), &MainWindow::databaseOpened);
    m_window->openDatabase(spec());
    QVERIFY(opened.wait(kWaitMs));
    QTRY_VERIFY_WITH_TIMEOUT(m_window->runNotifier()->isListening(), kWaitMs);
}

QString TestPgUiServer::settingsText()
{
    // The window's settings are written when it goes.
    m_window.reset();
    QFile file(m_dir->filePath(u"settings.ini"_s));
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QString::fromUtf8(file.readAll());
}

void TestPgUiServer::connectDialogOpensTheServerDatabase()
{
    makeWindow();
    const QPointer<ConnectDialog> dialog
        = connectThroughDialog(QString::number(m_cluster.port()), u"postgres"_s);
    QTRY_COMPARE_WITH_TIMEOUT(m_window->databasePath(), spec(), kWaitMs);
    QVERIFY(!dialog || !dialog->isVisible());
    QCOMPARE(m_window->windowTitle(), u"agency on 127.0.0.1:%1 — Email Scheduler"_s.arg(m_cluster.port()));
    // (The contact table may say it cannot read a server yet; the open itself said nothing.)
    QVERIFY(!m_window->bannerText().startsWith(u"Could not connect"_s));
    QVERIFY(m_window->noticeText().isEmpty()); // no demo or read-only note for a server
    const QList<QAction *> recent = m_window->recentActions();
    QVERIFY(!recent.isEmpty());
    QCOMPARE(recent.first()->text(), u"&1 agency on 127.0.0.1:%1 (server)"_s.arg(m_cluster.port()));
    QCOMPARE(recent.first()->toolTip(), PgSpec::displayName(spec()));
    const QString settings = settingsText();
    QVERIFY2(settings.contains(u"lastDatabase="_s + spec()), qPrintable(settings));
    QVERIFY(settings.contains(u"recentDatabases="_s + spec()));
    // The next time, the dialog starts from this connection.
    makeWindow();
    ModalScript script;
    script.then([this](QWidget *modal) {
        QCOMPARE(modal->findChild<QLineEdit *>(u"port"_s)->text(), QString::number(m_cluster.port()));
        QCOMPARE(modal->findChild<QLineEdit *>(u"database"_s)->text(), u"agency"_s);
        QVERIFY(ModalScript::click(modal, u"Cancel"));
    });
    m_window->connectAction()->trigger();
    QTRY_VERIFY(script.done());
}

void TestPgUiServer::wrongPortIsSaidInTheDialog()
{
    makeWindow();
    const QPointer<ConnectDialog> dialog = connectThroughDialog(u"1"_s, u"postgres"_s);
    QVERIFY(dialog);
    QTRY_VERIFY_WITH_TIMEOUT(!dialog->isTesting() && dialog->banner()->kind() == MessageBanner::Kind::Error,
                             kWaitMs);
    const QString text = dialog->banner()->text();
    QVERIFY2(text.startsWith(u"Could not connect to postgresql://postgres@127.0.0.1:1/agency: "_s),
             qPrintable(text));
    QVERIFY2(text.contains(u"Check that the server is running"_s), qPrintable(text));
    QVERIFY(dialog->isVisible());
    QVERIFY(dialog->connectButton()->isEnabled());
    QVERIFY(m_window->databasePath().isEmpty());
    // The right port in the same dialog connects.
    typeInto(dialog->portEdit(), QString::number(m_cluster.port()));
    QTest::mouseClick(dialog->connectButton(), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(m_window->databasePath(), spec(), kWaitMs);
}

void TestPgUiServer::passwordIsAskedForAndKeptInMemoryOnly()
{
    makeWindow();
    const QPointer<ConnectDialog> dialog
        = connectThroughDialog(QString::number(m_cluster.port()), u"carol"_s);
    QVERIFY(dialog);
    QTRY_VERIFY_WITH_TIMEOUT(dialog->passwordEdit()->isVisible() && !dialog->isTesting(), kWaitMs);
    QVERIFY2(dialog->banner()->text().contains(u"asks for the password"_s),
             qPrintable(dialog->banner()->text()));
    // A wrong password is said, and asked again.
    typeInto(dialog->passwordEdit(), u"wrong"_s);
    QTest::keyClick(dialog->passwordEdit(), Qt::Key_Return);
    QTRY_VERIFY_WITH_TIMEOUT(!dialog->isTesting() && dialog->banner()->kind() == MessageBanner::Kind::Error,
                             kWaitMs);
    QVERIFY2(dialog->banner()->text().contains(u"did not accept the password"_s),
             qPrintable(dialog->banner()->text()));
    typeInto(dialog->passwordEdit(), kPassword);
    QTest::keyClick(dialog->passwordEdit(), Qt::Key_Return);
    QTRY_COMPARE_WITH_TIMEOUT(m_window->databasePath(), spec(u"carol"_s), kWaitMs);
    QVERIFY(PgSpec::hasSessionPassword(spec(u"carol"_s)));
    // Other connections of this session (the run history's, the listener's) log in with it.
    QTRY_VERIFY_WITH_TIMEOUT(m_window->runNotifier()->isListening(), kWaitMs);
    const QString settings = settingsText();
    QVERIFY2(settings.contains(u"lastDatabase="_s + spec(u"carol"_s)), qPrintable(settings));
    QVERIFY(!settings.contains(kPassword));
    QVERIFY(!settings.contains(u"password"_s, Qt::CaseInsensitive));
    PgSpec::setSessionPassword(spec(u"carol"_s), QString());
    QVERIFY(!PgSpec::hasSessionPassword(spec(u"carol"_s)));
    // The next start reopens carol's server: it asks for the password again, in the banner.
    makeWindow();
    QSignalSpy failed(m_window.get(), &MainWindow::databaseFailed);
    m_window->startSession(QString());
    QVERIFY(failed.wait(kWaitMs));
    QVERIFY2(
        m_window->bannerText().startsWith(PgSpec::displayName(spec(u"carol"_s)) + u" asks for a password"_s),
        qPrintable(m_window->bannerText()));
    QPushButton *type = m_window->contactsPage()->banner()->actionButton();
    QVERIFY(type->isVisible());
    ModalScript script;
    script.then([](QWidget *modal) {
        auto *again = qobject_cast<ConnectDialog *>(modal);
        QVERIFY(again);
        QCOMPARE(again->userEdit()->text(), u"carol"_s);
        QVERIFY(again->passwordEdit()->isVisible());
        typeInto(again->passwordEdit(), kPassword);
        QTest::keyClick(again->passwordEdit(), Qt::Key_Return);
    });
    QTest::mouseClick(type, Qt::LeftButton);
    QTRY_VERIFY(script.done());
    QTRY_COMPARE_WITH_TIMEOUT(m_window->databasePath(), spec(u"carol"_s), kWaitMs);
    PgSpec::setSessionPassword(spec(u"carol"_s), QString());
}

void TestPgUiServer::lastServerReopensAtStart()
{
    {
        QSettings settings(m_dir->filePath(u"settings.ini"_s), QSettings::IniFormat);
        settings.setValue(u"lastDatabase"_s, spec());
        settings.setValue(u"recentDatabases"_s, QStringList { spec() });
    }
    makeWindow();
    QSignalSpy opened(m_window.get(), &MainWindow::databaseOpened);
    m_window->startSession(QString());
    QVERIFY(opened.wait(kWaitMs));
    QCOMPARE(m_window->databasePath(), spec());
}

void TestPgUiServer::unreachableServerAtStartLeavesTheWindowEmpty()
{
    const QString away = u"postgresql://postgres@127.0.0.1:1/agency"_s;
    {
        QSettings settings(m_dir->filePath(u"settings.ini"_s), QSettings::IniFormat);
        settings.setValue(u"lastDatabase"_s, away);
    }
    makeWindow();
    QSignalSpy failed(m_window.get(), &MainWindow::databaseFailed);
    m_window->startSession(QString());
    QVERIFY(failed.wait(kWaitMs));
    QVERIFY2(m_window->bannerText().startsWith(u"Could not connect to "_s + away),
             qPrintable(m_window->bannerText()));
    QVERIFY(m_window->databasePath().isEmpty());
    // The server stays the last database for the next start, not the demo.
    QVERIFY(settingsText().contains(u"lastDatabase="_s + away));
}

void TestPgUiServer::anotherProgramsRunOffersRefresh()
{
    openAndListen();
    QTRY_VERIFY_WITH_TIMEOUT(!m_window->refreshBanner()->isVisible(), kWaitMs);
    QSignalSpy heard(m_window.get(), &MainWindow::otherRunHeard);
    QProcess run;
    run.start(m_cliPath, { u"run"_s, u"--db"_s, spec(), u"--today"_s, u"2025-03-01"_s });
    QTRY_VERIFY_WITH_TIMEOUT(run.state() == QProcess::NotRunning, 120000);
    QVERIFY2(run.exitCode() == 0, run.readAllStandardError().constData());
    const QByteArray out = run.readAllStandardOutput();
    QTRY_VERIFY_WITH_TIMEOUT(m_window->refreshBanner()->isVisible(), kWaitMs);
    QCOMPARE(heard.size(), 1);
    const QString batchId = heard.first().first().toString();
    QVERIFY2(out.contains(batchId.toUtf8()), out.constData());
    const QString text = m_window->refreshBanner()->text();
    QVERIFY2(QRegularExpression(u"^postgres's run of \\S.* added [\\d,]+ emails\\. The contacts"_s)
                 .match(text)
                 .hasMatch(),
             qPrintable(text));
    QPushButton *refresh = m_window->refreshBanner()->actionButton();
    QVERIFY(refresh->isVisible());
    QCOMPARE(refresh->text(), u"Refresh"_s);
    QSignalSpy historyLoaded(m_window->runHistoryDock(), &RunHistoryDock::loaded);
    QTest::mouseClick(refresh, Qt::LeftButton);
    QVERIFY(!m_window->refreshBanner()->isVisible());
    QVERIFY(historyLoaded.wait(kWaitMs));
    // The history now lists that run, run by the server user.
    const QList<RunRecord> runs = m_window->runHistoryDock()->model()->runs();
    const auto found
        = std::find_if(runs.cbegin(), runs.cend(), [&](const RunRecord &r) { return r.batchId == batchId; });
    QVERIFY(found != runs.cend());
    QCOMPARE(found->serverUser, u"postgres"_s);
    RunHistoryModel *model = m_window->runHistoryDock()->model();
    QCOMPARE(model->headerData(RunHistoryModel::User, Qt::Horizontal).toString(), u"Run by"_s);
    const int row = int(found - runs.cbegin());
    QCOMPARE(model->index(row, RunHistoryModel::User).data().toString(), u"postgres"_s);
}

void TestPgUiServer::ownRunIsNotOffered()
{
    openAndListen();
    QSignalSpy committed(m_window->runNotifier(), &PgNotifier::runCommitted);
    QSignalSpy heard(m_window.get(), &MainWindow::otherRunHeard);
    ModalScript script;
    script.then([](QWidget *box) { QVERIFY(ModalScript::click(box, u"Write schedule")); });
    m_window->runAction()->trigger();
    QTRY_VERIFY_WITH_TIMEOUT(script.done(), 120000);
    QTRY_VERIFY_WITH_TIMEOUT(!m_window->batchPanel()->isRunning(), 120000);
    QVERIFY2(m_window->batchPanel()->message().startsWith(u"Done."_s),
             qPrintable(m_window->batchPanel()->message()));
    const QString own = m_window->batchPanel()->lastBatchId();
    QVERIFY(!own.isEmpty());
    QTRY_VERIFY_WITH_TIMEOUT(!committed.isEmpty(), kWaitMs);
    QCOMPARE(committed.first().at(2).toString(), own);
    // Another program's notice after it is heard and offered; the window's own never was.
    QVERIFY(m_cluster.exec("NOTIFY email_scheduler_runs, 'zed run-from-elsewhere'", u"agency"_s));
    QTRY_VERIFY_WITH_TIMEOUT(m_window->refreshBanner()->isVisible(), kWaitMs);
    QCOMPARE(heard.size(), 1);
    QCOMPARE(heard.first().first().toString(), u"run-from-elsewhere"_s);
    QCOMPARE(m_window->refreshBanner()->text().left(25), u"zed's run has finished. T"_s);
}

void TestPgUiServer::listenerComesBackAfterTheServerDropsIt()
{
    openAndListen();
    m_window->runNotifier()->setReconnectInterval(50);
    QSignalSpy listening(m_window->runNotifier(), &PgNotifier::listeningChanged);
    const QString before = m_window->bannerText();
    QVERIFY(m_cluster.exec("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = "
                           "'email-scheduler listener'"));
    QTRY_VERIFY_WITH_TIMEOUT(listening.size() >= 2, kWaitMs); // dropped, then back
    QCOMPARE(listening.first().first().toBool(), false);
    QCOMPARE(listening.last().first().toBool(), true);
    QCOMPARE(m_window->bannerText(), before); // quietly
    QVERIFY(m_cluster.exec("NOTIFY email_scheduler_runs, 'zed run-after-drop'", u"agency"_s));
    QTRY_VERIFY_WITH_TIMEOUT(m_window->refreshBanner()->isVisible(), kWaitMs);
}

void TestPgUiServer::runWaitsForAColleaguesRunAndSaysWho()
{
    openAndListen();
    auto holder = PgConnection::connect(spec(), u"email-scheduler run by alice"_s);
    QVERIFY2(holder, qPrintable(holder.errorMessage()));
    QVERIFY(holder->exec("BEGIN; SELECT pg_advisory_xact_lock(1397900115, hashtext(current_schema()))",
                         QString()));
    ModalScript script;
    script.then([](QWidget *box) { QVERIFY(ModalScript::click(box, u"Write schedule")); });
    m_window->runAction()->trigger();
    QTRY_VERIFY_WITH_TIMEOUT(script.done(), 120000);
    QTRY_VERIFY_WITH_TIMEOUT(
        m_window->batchPanel()->message().contains(u"another run, started by alice at "_s), kWaitMs);
    const QString message = m_window->batchPanel()->message();
    QVERIFY2(QRegularExpression(
                 u"is busy: another run, started by alice at \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d "
                 "UTC, is in progress; waiting up to \\d+ s\\. Cancel \\(Esc\\) stops waiting"_s)
                 .match(message)
                 .hasMatch(),
             qPrintable(message));
    QVERIFY(m_window->batchPanel()->cancelButton()->isEnabled());
    QTest::mouseClick(m_window->batchPanel()->cancelButton(), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(!m_window->batchPanel()->isRunning(), kWaitMs);
    QVERIFY2(m_window->batchPanel()->message().contains(u"cancelled"_s),
             qPrintable(m_window->batchPanel()->message()));
    QVERIFY(holder->exec("COMMIT", QString()));
}

// Runs that commit while the listener is away are looked up when it is back: the banner sums
// them ("2 runs by alice and bob added …"), and the window's own run is not among them.
void TestPgUiServer::runsMissedWhileReconnectingAreOfferedTogether()
{
    QVERIFY2(m_cluster.exec("DROP ROLE IF EXISTS alice; DROP ROLE IF EXISTS bob; CREATE ROLE alice LOGIN "
                            "SUPERUSER; CREATE ROLE bob LOGIN SUPERUSER"),
             qPrintable(m_cluster.error()));
    openAndListen();
    PgNotifier *notifier = m_window->runNotifier();
    notifier->setReconnectInterval(600000);
    QSignalSpy heard(m_window.get(), &MainWindow::otherRunHeard);
    QVERIFY(m_cluster.exec("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = "
                           "'email-scheduler listener'"));
    QTRY_VERIFY_WITH_TIMEOUT(!notifier->isListening(), kWaitMs);

    // While it is away: the window's own run, then alice's and bob's.
    ModalScript script;
    script.then([](QWidget *box) { QVERIFY(ModalScript::click(box, u"Write schedule")); });
    m_window->runAction()->trigger();
    QTRY_VERIFY_WITH_TIMEOUT(script.done(), 120000);
    QTRY_VERIFY_WITH_TIMEOUT(!m_window->batchPanel()->isRunning(), 120000);
    const QString own = m_window->batchPanel()->lastBatchId();
    QVERIFY(!own.isEmpty());
    QStringList batchIds;
    for (const auto &[user, today] :
         { std::pair(u"alice"_s, u"2025-04-01"_s), std::pair(u"bob"_s, u"2025-05-01"_s) }) {
        QProcess run;
        run.start(m_cliPath, { u"run"_s, u"--db"_s, spec(user), u"--today"_s, today });
        QTRY_VERIFY_WITH_TIMEOUT(run.state() == QProcess::NotRunning, 120000);
        QVERIFY2(run.exitCode() == 0, run.readAllStandardError().constData());
        const auto match
            = QRegularExpression(u"batch_id=(\\S+)"_s).match(QString::fromUtf8(run.readAllStandardOutput()));
        QVERIFY(match.hasMatch());
        batchIds << match.captured(1);
    }
    QVERIFY(heard.isEmpty());
    QVERIFY(!m_window->refreshBanner()->isVisible());
    const QStringList added = m_cluster.rows("SELECT sum(added) FROM scheduler_runs WHERE batch_id IN ('"
                                                 + batchIds.join(u"', '"_s).toUtf8() + "')",
                                             u"agency"_s);
    QCOMPARE(added.size(), 1);
    QVERIFY2(added.first().toLongLong() > 1, qPrintable(added.first()));

    notifier->setReconnectInterval(50);
    QTRY_VERIFY_WITH_TIMEOUT(notifier->isListening(), kWaitMs);
    const QString expected
        = u"2 runs by alice and bob added %1 emails. The contacts, schedules and sends per "
          "day shown here are from before them."_s.arg(QLocale().toString(added.first().toLongLong()));
    QTRY_COMPARE_WITH_TIMEOUT(m_window->refreshBanner()->text(), expected, kWaitMs);
    QVERIFY(m_window->refreshBanner()->isVisible());
    QCOMPARE(heard.size(), 2);
    QCOMPARE(heard.at(0).first().toString(), batchIds.at(0));
    QCOMPARE(heard.at(1).first().toString(), batchIds.at(1));
    // Heard live as well as looked up, a run is still offered once.
    QVERIFY(
        m_cluster.exec("NOTIFY email_scheduler_runs, 'bob " + batchIds.at(1).toUtf8() + "'", u"agency"_s));
    QVERIFY(m_cluster.exec("NOTIFY email_scheduler_runs, 'zed run-after-reconnect'", u"agency"_s));
    QTRY_COMPARE_WITH_TIMEOUT(heard.size(), 3, kWaitMs);
    QCOMPARE(heard.at(2).first().toString(), u"run-after-reconnect"_s);
    QTRY_VERIFY_WITH_TIMEOUT(
        m_window->refreshBanner()->text().startsWith(u"3 runs by alice, bob and zed have finished."_s),
        kWaitMs);
    // Refresh shows them; the next run is offered on its own again.
    QTest::mouseClick(m_window->refreshBanner()->actionButton(), Qt::LeftButton);
    QVERIFY(!m_window->refreshBanner()->isVisible());
    QVERIFY(m_cluster.exec("NOTIFY email_scheduler_runs, 'zed run-after-refresh'", u"agency"_s));
    QTRY_VERIFY_WITH_TIMEOUT(m_window->refreshBanner()->isVisible(), kWaitMs);
    QCOMPARE(m_window->refreshBanner()->text().left(25), u"zed's run has finished. T"_s);
}

// The program gives up waiting for a colleague's run with a message that suits it: no command
// line option in it.
void TestPgUiServer::lockWaitGivesUpWithAMessageForTheProgram()
{
    openAndListen();
    auto holder = PgConnection::connect(spec(), u"email-scheduler run by alice"_s);
    QVERIFY2(holder, qPrintable(holder.errorMessage()));
    QVERIFY(holder->exec("BEGIN; SELECT pg_advisory_xact_lock(1397900115, hashtext(current_schema()))",
                         QString()));
    ModalScript script;
    script.then([](QWidget *box) { QVERIFY(ModalScript::click(box, u"Write schedule")); });
    m_window->runAction()->trigger();
    QTRY_VERIFY_WITH_TIMEOUT(script.done(), 120000);
    QTRY_VERIFY_WITH_TIMEOUT(!m_window->batchPanel()->isRunning(), 120000);
    const QString message = m_window->batchPanel()->message();
    QVERIFY2(message.contains(u"Gave up after 10 s: on "_s), qPrintable(message));
    QVERIFY2(message.contains(u"another run, started by alice at "_s), qPrintable(message));
    QVERIFY2(message.contains(u"is in progress. Try again when it has finished."_s), qPrintable(message));
    QVERIFY2(!message.contains(u"--"_s), qPrintable(message));
    QVERIFY(holder->exec("ROLLBACK", QString()));
}

QTEST_MAIN(TestPgUiServer)
#include "tst_pguiserver.moc"
