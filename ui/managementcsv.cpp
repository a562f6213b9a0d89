#include "managementcsv.h"

#include "continueongui.h"
#include "messagebanner.h"
#include "storage/pg/pgconnection.h"

#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QSettings>
#include <QtConcurrent>

namespace ManagementCsv {

QString askPath(QWidget *parent, const QString &title, const QString &database, const QString &fileName)
{
    const QString folder = database.isEmpty() || PgSpec::isConnectionSpec(database)
        ? QDir::homePath()
        : QFileInfo(database).absolutePath();
    return QFileDialog::getSaveFileName(
        parent, title, QDir(folder).filePath(fileName),
        QCoreApplication::translate("ManagementCsv", "CSV files (*.csv);;All files (*)"));
}

void write(QWidget *owner, ManagementExport::What what, const QString &database, const QString &path,
           QDate asOf, std::function<void(const ExportOutcome &outcome)> done)
{
    const CsvOptions options = CsvOptions::load(QSettings());
    continueOnGui(QtConcurrent::run([what, database, path, asOf, options] {
                      return ManagementExport::run(what, database, path, asOf, options);
                  }),
                  owner, [done = std::move(done)](const ExportOutcome &outcome) { done(outcome); });
}

void askAndWrite(QWidget *owner, MessageBanner *banner, ManagementExport::What what, const QString &database,
                 QDate asOf, const QString &title, const QString &fileName,
                 std::function<QString(const QString &path, qint64 rows)> wrote)
{
    const QString path = askPath(owner, title, database, fileName);
    if (path.isEmpty())
        return;
    write(owner, what, database, path, asOf,
          [banner, path, wrote = std::move(wrote)](const ExportOutcome &outcome) {
              if (!outcome.ok())
                  banner->showMessage(MessageBanner::Kind::Error, outcome.error->message);
              else
                  banner->showMessage(MessageBanner::Kind::Information, wrote(path, outcome.rows));
          });
}

} // namespace ManagementCsv
