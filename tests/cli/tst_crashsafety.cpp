#include <QCryptographicHash>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>

// kill -9 during `email-scheduler-cli run`: whenever the process dies, the database afterwards
// holds either the complete old schedule or the complete new one (SPEC section 9), never a mix.
class TestCrashSafety : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void killDuringRun_data();
    void killDuringRun();

private:
    int runCli(const QStringList &args) const;
    QString copyOf(const QString &source, const QString &name) const;
    // Digest of every row the run owns, in a fixed order; opening the file also rolls back a
    // hot journal left by the killed process, as any later reader would.
    static QByteArray scheduleDigest(const QString &path);

    QString m_cli;
    QTemporaryDir m_dir;
    QString m_base; // the old schedule: run as of 2025-03-01
    QByteArray m_old;
    QByteArray m_new;   // run as of 2025-07-01 on top of the old one
    qint64 m_runMs = 0; // how long the second run takes when not killed
};

int TestCrashSafety::runCli(const QStringList &args) const
{
    QProcess process;
    process.start(m_cli, args);
    if (!process.waitForFinished(120000))
        return -1;
    return process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
}

QString TestCrashSafety::copyOf(const QString &source, const QString &name) const
{
    const QString target = m_dir.filePath(name);
    QFile::remove(target);
    QFile::remove(target + QStringLiteral("-journal"));
    if (!QFile::copy(source, target))
        return {};
    QFile(target).setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    return target;
}

QByteArray TestCrashSafety::scheduleDigest(const QString &path)
{
    QByteArray digest;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("digest"));
        db.setDatabaseName(path);
        if (!db.open())
            return "cannot open: " + db.lastError().text().toUtf8();
        QSqlQuery query(db);
        query.setForwardOnly(true);
        if (!query.exec(QStringLiteral(
                "SELECT contact_id, email_type, scheduled_send_date, status, skip_reason, event_year "
                "FROM email_schedules WHERE status IN ('pre-scheduled', 'skipped') "
                "ORDER BY contact_id, email_type, scheduled_send_date")))
            return "cannot read: " + query.lastError().text().toUtf8();
        QCryptographicHash hash(QCryptographicHash::Sha256);
        qint64 rows = 0;
        while (query.next()) {
            for (int c = 0; c < 6; ++c) {
                hash.addData(query.value(c).toString().toUtf8());
                hash.addData(QByteArrayView("\x1f", 1));
            }
            ++rows;
        }
        digest = QByteArray::number(rows) + ':' + hash.result().toHex();
    }
    QSqlDatabase::removeDatabase(QStringLiteral("digest"));
    return digest;
}

void TestCrashSafety::initTestCase()
{
    m_cli = qEnvironmentVariable("ES_CLI");
    QVERIFY2(QFileInfo(m_cli).isExecutable(), "ES_CLI must name the built email-scheduler-cli");
    QVERIFY(m_dir.isValid());

    const QString generated = m_dir.filePath(QStringLiteral("generated.sqlite3"));
    QCOMPARE(
        runCli({ QStringLiteral("generate"), QStringLiteral("--db"), generated, QStringLiteral("--contacts"),
                 QStringLiteral("30000"), QStringLiteral("--seed"), QStringLiteral("11") }),
        0);
    m_base = copyOf(generated, QStringLiteral("base.sqlite3"));
    QCOMPARE(runCli({ QStringLiteral("run"), QStringLiteral("--db"), m_base, QStringLiteral("--today"),
                      QStringLiteral("2025-03-01") }),
             0);
    m_old = scheduleDigest(m_base);

    const QString finished = copyOf(m_base, QStringLiteral("finished.sqlite3"));
    QElapsedTimer timer;
    timer.start();
    QCOMPARE(runCli({ QStringLiteral("run"), QStringLiteral("--db"), finished, QStringLiteral("--today"),
                      QStringLiteral("2025-07-01") }),
             0);
    m_runMs = timer.elapsed();
    m_new = scheduleDigest(finished);
    QVERIFY2(m_old != m_new, "the two runs must differ, or the test could not tell them apart");
    QVERIFY(m_old.contains(':') && m_new.contains(':'));
}

void TestCrashSafety::killDuringRun_data()
{
    QTest::addColumn<double>("fraction"); // of the undisturbed run's duration
    for (double f : { 0.05, 0.2, 0.35, 0.5, 0.65, 0.8, 0.9, 0.95, 0.99 })
        QTest::addRow("at %d%%", int(f * 100)) << f;
}

void TestCrashSafety::killDuringRun()
{
    QFETCH(double, fraction);
    const QString path = copyOf(m_base, QStringLiteral("killed.sqlite3"));
    QVERIFY(!path.isEmpty());

    QProcess process;
    process.start(m_cli,
                  { QStringLiteral("run"), QStringLiteral("--db"), path, QStringLiteral("--today"),
                    QStringLiteral("2025-07-01") });
    QVERIFY(process.waitForStarted());
    const int delay = qMax(1, int(m_runMs * fraction));
    // Waiting for the process (not sleeping) ends early when it finishes before the kill.
    if (!process.waitForFinished(delay)) {
        ::kill(static_cast<pid_t>(process.processId()), SIGKILL);
        QVERIFY(process.waitForFinished(10000));
    }

    const QByteArray after = scheduleDigest(path);
    qInfo("killed after %d ms of %lld: %s schedule", delay, m_runMs,
          after == m_old       ? "old"
              : after == m_new ? "new"
                               : "MIXED");
    QVERIFY2(
        after == m_old || after == m_new,
        qPrintable(QStringLiteral("killed after %1 ms: the schedule is neither the old nor the new one (%2)")
                       .arg(delay)
                       .arg(QString::fromUtf8(after))));
}

QTEST_GUILESS_MAIN(TestCrashSafety)
#include "tst_crashsafety.moc"
