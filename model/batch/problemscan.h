#pragma once

#include "items/problemsmodel.h"
#include "result.h"

#include <QDate>
#include <QFutureWatcher>
#include <QObject>
#include <QThreadPool>

#include <functional>

// The data problems of a whole database (the contact checks of SPEC section 2, the same
// Engine::checkContact a batch run and the contact table use) and the rows without a usable id
// (invalid_id, duplicate_id, as a batch run reports them), found without scheduling anything:
// what the Problems dock shows as soon as a database is open.
namespace ProblemScan {

struct Summary
{
    QString databasePath;
    QDate today;
    // As ProblemsModel::collect lists a batch's: invalid_id rows first (contact id 0), then
    // ascending contact id, each contact's problems in check order.
    QList<ProblemRow> problems;
    qint64 contacts = 0;
    qint64 contactsWithProblems = 0;
    qint64 contactsWithErrors = 0;
    double seconds = 0;
};

using CancelCheck = std::function<bool()>;

// Blocking; reads the contacts in id chunks on `jobs` threads of a private pool at a lowered
// CPU priority (0: QThread::idealThreadCount()). A cancelled scan returns an error with
// DbErrorKind::Cancelled.
Result<Summary> run(const QString &databasePath, QDate today, const CancelCheck &isCanceled = {},
                    int jobs = 0);

} // namespace ProblemScan

// Runs ProblemScan in the background for the open database: start() again (another database,
// F5, a new "as of" date) cancels the previous scan, and a result of an older request is
// dropped, so finished() always describes the latest request.
class ProblemScanner final : public QObject
{
    Q_OBJECT

public:
    explicit ProblemScanner(QObject *parent = nullptr);
    ~ProblemScanner() override;

    // Returns the request's token (increasing).
    quint64 start(const QString &databasePath, QDate today);
    // Cancels the running scan; nothing is reported for it.
    void cancel();
    bool isRunning() const { return m_running; }
    quint64 latestToken() const { return m_token; }

Q_SIGNALS:
    void runningChanged(bool running);
    void finished(const ProblemScan::Summary &summary);
    void failed(const QString &databasePath, const QString &message);

private:
    struct Answer
    {
        quint64 token = 0;
        QString databasePath;
        Result<ProblemScan::Summary> result { Error {} };
    };
    void onFinished();
    void setRunning(bool running);

    // Never the global pool: Qt's raster paint engine splits fills across it and waits.
    QThreadPool m_pool;
    QFutureWatcher<Answer> m_watcher;
    quint64 m_token = 0;
    bool m_running = false;
};
