// The Campaigns and Do Not Email windows on an organisation on a PostgreSQL server (issue 10
// item 5): opened on a connection spec, a campaign made from a starting point in the real
// editor and an address added and removed through the real dialogs (ModalScript), each change
// checked on the server, with the server user as who made it.

#include "audittrailview.h"
#include "campaigneditor.h"
#include "campaignswindow.h"
#include "dialogtestutil.h"
#include "donotemailwindow.h"
#include "items/auditmodel.h"
#include "items/campaignlistmodel.h"
#include "items/suppressionmodel.h"
#include "modalscript.h"
#include "pgcluster.h"

#include <QComboBox>
#include <QFileInfo>
#include <QLineEdit>
#include <QPointer>
#include <QProcess>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace DialogTestUtil;

class TestPgWindows : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void campaignsWindowOnAServer();
    void doNotEmailWindowOnAServer();

private:
    PgCluster m_cluster;
    QTemporaryDir m_dir;
    QString m_uri;
    const QDate m_today { 2025, 3, 3 };
};

void TestPgWindows::initTestCase()
{
    QVERIFY(m_dir.isValid());
    qputenv("HOME", QFile::encodeName(m_dir.filePath(u"home"_s)));
    QVERIFY(QDir().mkpath(m_dir.filePath(u"home"_s)));
    qputenv("USER", "tester");
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(u"es-tests"_s);
    QCoreApplication::setApplicationName(u"tst_pgwindows"_s);
    const QString cliPath = qEnvironmentVariable("ES_CLI");
    QVERIFY2(QFileInfo(cliPath).isExecutable(), "ES_CLI must name the built email-scheduler-cli");
    QVERIFY2(m_cluster.start(), qPrintable(m_cluster.error()));
    const QString file = m_dir.filePath(u"org.sqlite3"_s);
    const QString made = makeDemoDatabase(file, 300, 5, m_today);
    QVERIFY2(made.isEmpty(), qPrintable(made));
    m_uri = m_cluster.createDatabase(u"org"_s);
    QVERIFY2(!m_uri.isEmpty(), qPrintable(m_cluster.error()));
    QProcess copy;
    copy.start(cliPath, { u"copy-db"_s, u"--from"_s, file, u"--to"_s, m_uri });
    QVERIFY(copy.waitForFinished(120000));
    QVERIFY2(copy.exitCode() == 0, copy.readAllStandardError().constData());
    // No campaigns and an empty list to start from (the demo's own would share the days).
    QVERIFY(m_cluster.exec("DELETE FROM contact_campaigns; DELETE FROM campaign_instances; DELETE FROM "
                           "campaign_types; DELETE FROM email_suppressions; DELETE FROM audit_log",
                           u"org"_s));
}

void TestPgWindows::cleanupTestCase()
{
    m_cluster.stop();
}

void TestPgWindows::campaignsWindowOnAServer()
{
    CampaignsWindow campaigns;
    campaigns.setToday(m_today);
    QSignalSpy loaded(&campaigns, &CampaignsWindow::loaded);
    campaigns.setDatabase(m_uri);
    campaigns.show();
    QVERIFY(QTest::qWaitForWindowExposed(&campaigns));
    QVERIFY(loaded.wait(30000));
    QCOMPARE(campaigns.bannerText(), QString());
    QCOMPARE(campaigns.instanceModel()->rowCount(), 0);

    // New ▸ Initial blast: the editor works out the effect on the server's contacts, then Save.
    QPointer<CampaignEditor> editor;
    QString effect;
    ModalScript script;
    script.then([&](QWidget *modal) {
        editor = qobject_cast<CampaignEditor *>(modal);
        if (!editor || !QTest::qWaitFor([&] { return !editor->isComputing(); }, 60000)) {
            modal->close();
            return;
        }
        effect = editor->effectText();
        QVERIFY(ModalScript::click(modal, u"Save"));
    });
    campaigns.newCampaign(CampaignPreset::Kind::InitialBlast);
    QTRY_VERIFY_WITH_TIMEOUT(script.done(), 60000);
    QVERIFY2(effect.contains(u"Reaches"), qPrintable(effect));
    QTRY_VERIFY_WITH_TIMEOUT(campaigns.currentInstanceId() != 0, 30000);
    const qint64 id = campaigns.currentInstanceId();

    // On the server: the type (a boolean flag) and the instance with its dates, and who made them.
    QCOMPARE(m_cluster.rows("SELECT name, target_all_contacts::text, spread_evenly::text FROM campaign_types",
                            u"org"_s),
             QStringList { u"initial_blast|1|1"_s });
    QCOMPARE(m_cluster.rows(QByteArray("SELECT instance_name, active_start_date, spread_end_date FROM "
                                       "campaign_instances WHERE id = ")
                                + QByteArray::number(id),
                            u"org"_s),
             QStringList { u"Initial blast|%1|%2"_s.arg(m_today.toString(Qt::ISODate),
                                                        m_today.addDays(14).toString(Qt::ISODate)) });
    QCOMPARE(
        m_cluster.rows("SELECT entity, action, \"user\", server_user FROM audit_log ORDER BY id", u"org"_s),
        (QStringList { u"campaign_type|add|tester|postgres"_s, u"campaign_instance|add|tester|postgres"_s }));
    // On screen: live, with its audience, and the history of changes names the server user.
    QTRY_COMPARE(campaigns.instanceModel()->rowCount(), 1);
    const int row = campaigns.instanceModel()->rowOf(id);
    QCOMPARE(campaigns.instanceModel()->index(row, CampaignInstanceModel::Live).data().toString(), u"Live"_s);
    QVERIFY(campaigns.instanceModel()
                ->index(row, CampaignInstanceModel::Audience)
                .data(CampaignInstanceModel::RawValueRole)
                .toLongLong()
            > 100);
    campaigns.tabs()->setCurrentIndex(campaigns.tabs()->count() - 1);
    QTRY_COMPARE(campaigns.history()->model()->rowCount(), 2);
    QCOMPARE(campaigns.history()->model()->index(0, AuditModel::Who).data().toString(),
             u"postgres (tester)"_s);
}

void TestPgWindows::doNotEmailWindowOnAServer()
{
    DoNotEmailWindow list;
    list.setDatabase(m_uri);
    list.show();
    QVERIFY(QTest::qWaitForWindowExposed(&list));
    QTRY_VERIFY(ModalScript::button(&list, u"Add…") && ModalScript::button(&list, u"Add…")->isEnabled());
    QCOMPARE(list.model()->rowCount(), 0);

    ModalScript script;
    script.then([](QWidget *modal) {
        typeInto(modal->findChild<QLineEdit *>(u"suppressEmail"_s), u"  Gone.Away@Example.com "_s);
        QVERIFY(choose(modal->findChild<QComboBox *>(u"suppressReason"_s), u"Bounced"_s));
        typeInto(modal->findChild<QLineEdit *>(u"suppressNote"_s), u"mailbox closed"_s);
        QVERIFY(ModalScript::click(modal, u"Add to List"));
    });
    QVERIFY(ModalScript::click(&list, u"Add…"));
    QTRY_VERIFY(script.done());
    QTRY_COMPARE(m_cluster.rows("SELECT lower(trim(email)), reason, note, created_by FROM email_suppressions",
                                u"org"_s),
                 QStringList { u"gone.away@example.com|bounced|mailbox closed|postgres"_s });
    QTRY_COMPARE(list.model()->rowCount(), 1);
    QCOMPARE(list.model()->index(0, SuppressionModel::AddedBy).data().toString(), u"postgres"_s);
    QVERIFY(!list.model()->index(0, SuppressionModel::Added).data().toString().isEmpty());

    // Remove: selected, Remove clicked, the question answered.
    list.view()->selectRow(0);
    script.then([](QWidget *modal) { QVERIFY(ModalScript::click(modal, u"Remove")); });
    QVERIFY(ModalScript::click(&list, u"Remove"));
    QTRY_VERIFY(script.done());
    QTRY_COMPARE(m_cluster.rows("SELECT count(*) FROM email_suppressions", u"org"_s), QStringList { u"0"_s });
    QTRY_COMPARE(list.model()->rowCount(), 0);
    QCOMPARE(
        m_cluster.rows("SELECT action, server_user FROM audit_log WHERE entity = 'suppression' ORDER BY id",
                       u"org"_s),
        (QStringList { u"add|postgres"_s, u"remove|postgres"_s }));
}

QTEST_MAIN(TestPgWindows)
#include "tst_pgwindows.moc"
