#pragma once

#include "csv/managementexport.h"

#include <QDate>
#include <QString>

#include <functional>

class MessageBanner;
class QWidget;

// The export-to-CSV flow the management windows share (campaigns, the do-not-email list, the
// history of changes): ask where to save, write in the background, report on the GUI thread.
namespace ManagementCsv {

// Asks for the file to write, offering `fileName` in the database's folder (the home folder for
// a server); empty when the user cancels.
QString askPath(QWidget *parent, const QString &title, const QString &database, const QString &fileName);

// Writes `what` of `database` (an SQLite path or a connection spec) to `path` with the saved CSV
// options, off the GUI thread; `done` runs on the GUI thread unless `owner` is gone by then.
void write(QWidget *owner, ManagementExport::What what, const QString &database, const QString &path,
           QDate asOf, std::function<void(const ExportOutcome &outcome)> done);

// The Export… button of a window: askPath(), then write(); `banner` shows the error, or what
// `wrote(path, rows)` says was written.
void askAndWrite(QWidget *owner, MessageBanner *banner, ManagementExport::What what, const QString &database,
                 QDate asOf, const QString &title, const QString &fileName,
                 std::function<QString(const QString &path, qint64 rows)> wrote);

} // namespace ManagementCsv
