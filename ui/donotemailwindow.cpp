#include "donotemailwindow.h"

#include "audittrailview.h"
#include "continueongui.h"
#include "csv/managementexport.h"
#include "items/suppressionmodel.h"
#include "listimportdialog.h"
#include "managementcsv.h"
#include "messagebanner.h"
#include "storage/sqlsession.h"
#include "storage/suppressionstore.h"
#include "suppressdialog.h"

#include <QCoreApplication>
#include <QDate>
#include <QDir>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QMessageBox>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QTabWidget>
#include <QTableView>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

namespace {
QString rejectedText(const std::vector<RowRejection> &rejected)
{
    QStringList parts;
    for (const RowRejection &r : rejected) {
        parts << r.reason;
        if (parts.size() == 3)
            break;
    }
    if (rejected.size() > 3)
        parts << DoNotEmailWindow::tr("and %n more", "", int(rejected.size() - 3));
    return parts.join(QStringLiteral("; "));
}
} // namespace

DoNotEmailWindow::DoNotEmailWindow(QWidget *parent)
    : QDialog(parent), m_model(new SuppressionModel(this)), m_proxy(new QSortFilterProxyModel(this)),
      m_tabs(new QTabWidget(this)), m_banner(new MessageBanner(this)), m_search(new QLineEdit(this)),
      m_view(new QTableView(this)), m_count(new QLabel(this)), m_add(new QPushButton(tr("&Add…"), this)),
      m_remove(new QPushButton(tr("&Remove"), this)),
      m_import(new QPushButton(tr("&Import from CSV…"), this)),
      m_export(new QPushButton(tr("E&xport…"), this)),
      m_history(new AuditTrailView({ QStringLiteral("suppression") }, this))
{
    setObjectName(QStringLiteral("doNotEmailWindow"));
    setWindowTitle(tr("Do-not-email list"));
    setWindowFlag(Qt::WindowMaximizeButtonHint);
    m_view->setObjectName(QStringLiteral("suppressionTable"));
    m_search->setObjectName(QStringLiteral("suppressionSearch"));
    m_count->setObjectName(QStringLiteral("suppressionCount"));
    m_banner->setObjectName(QStringLiteral("suppressionBanner"));
    m_banner->hide();

    m_proxy->setSourceModel(m_model);
    m_proxy->setFilterKeyColumn(-1);
    m_proxy->setFilterCaseSensitivity(Qt::CaseInsensitive);
    m_proxy->setSortRole(SuppressionModel::RawValueRole);
    m_view->setModel(m_proxy);
    m_view->setSortingEnabled(true);
    m_view->sortByColumn(SuppressionModel::Added, Qt::DescendingOrder);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_view->setAlternatingRowColors(true);
    m_view->setWordWrap(false);
    m_view->verticalHeader()->hide();
    QHeaderView *header = m_view->horizontalHeader();
    header->resizeSection(SuppressionModel::Email, 260);
    header->resizeSection(SuppressionModel::Reason, 130);
    header->resizeSection(SuppressionModel::Note, 300);
    header->resizeSection(SuppressionModel::Added, 150);
    header->setStretchLastSection(true);

    m_search->setPlaceholderText(tr("Find an address, reason or note"));
    m_search->setClearButtonEnabled(true);
    m_add->setToolTip(tr("Put one address on the list"));
    m_remove->setToolTip(
        tr("Take the selected addresses off the list: they can get emails again from the next "
           "run (Delete)"));
    m_remove->setShortcut(QKeySequence::Delete);
    m_import->setToolTip(tr("Add the addresses of an unsubscribe, bounce or complaint export"));
    m_export->setToolTip(tr("Write the whole list to a CSV file"));

    auto *top = new QHBoxLayout;
    top->addWidget(m_search, 1);
    top->addWidget(m_count);
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_add);
    buttons->addWidget(m_remove);
    buttons->addWidget(m_import);
    buttons->addStretch(1);
    buttons->addWidget(m_export);

    auto *listPage = new QWidget(this);
    auto *listLayout = new QVBoxLayout(listPage);
    listLayout->addLayout(top);
    listLayout->addWidget(m_view, 1);
    listLayout->addLayout(buttons);
    m_tabs->addTab(listPage, tr("Addresses"));
    m_tabs->addTab(m_history, tr("History of changes"));

    auto *close = new QPushButton(tr("Close"), this);
    auto *bottom = new QHBoxLayout;
    bottom->addStretch(1);
    bottom->addWidget(close);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_banner);
    layout->addWidget(m_tabs, 1);
    layout->addLayout(bottom);
    resize(1000, 620);

    connect(m_search, &QLineEdit::textChanged, m_proxy, &QSortFilterProxyModel::setFilterFixedString);
    connect(m_search, &QLineEdit::textChanged, this, &DoNotEmailWindow::updateCount);
    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &DoNotEmailWindow::updateButtons);
    connect(m_add, &QPushButton::clicked, this, &DoNotEmailWindow::addAddress);
    connect(m_remove, &QPushButton::clicked, this, &DoNotEmailWindow::removeSelected);
    connect(m_import, &QPushButton::clicked, this, &DoNotEmailWindow::importCsv);
    connect(close, &QPushButton::clicked, this, &QDialog::close);
    connect(m_export, &QPushButton::clicked, this, [this] {
        ManagementCsv::askAndWrite(
            this, m_banner, ManagementExport::What::Suppressions, m_path, QDate::currentDate(),
            tr("Export the do-not-email list"), QStringLiteral("do-not-email.csv"),
            [](const QString &out, qint64 rows) -> QString {
                return tr("Wrote %n address(es) to %1.", "", int(rows)).arg(QDir::toNativeSeparators(out));
            });
    });
    connect(this, &DoNotEmailWindow::listChanged, m_history, &AuditTrailView::reload);
    updateButtons();
    updateCount();
}

void DoNotEmailWindow::setDatabase(const QString &path)
{
    if (path != m_path)
        m_banner->hide();
    m_path = path;
    m_history->setDatabase(path);
    updateButtons();
    reload();
}

void DoNotEmailWindow::reload()
{
    const quint64 token = ++m_token;
    if (m_path.isEmpty()) {
        m_model->setEntries({});
        updateCount();
        return;
    }
    const QString path = m_path;
    continueOnGui(QtConcurrent::run([path]() -> Result<QList<SuppressionEntry>> {
                      auto db = SqlSession::open(path, SqlSession::Mode::ReadOnly);
                      if (!db)
                          return db.error();
                      Result<std::vector<SuppressionEntry>> list = SuppressionStore(**db).list();
                      if (!list)
                          return list.error();
                      return QList<SuppressionEntry>(list->begin(), list->end());
                  }),
                  this, [this, token](const Result<QList<SuppressionEntry>> &entries) {
                      if (token != m_token)
                          return;
                      if (!entries) {
                          m_banner->showMessage(MessageBanner::Kind::Error, entries.errorMessage());
                          m_model->setEntries({});
                      } else {
                          m_model->setEntries(*entries);
                      }
                      updateCount();
                      updateButtons();
                      Q_EMIT loaded();
                  });
}

QString DoNotEmailWindow::bannerText() const
{
    return m_banner->isVisible() ? m_banner->text() : QString();
}

void DoNotEmailWindow::updateButtons()
{
    const bool open = !m_path.isEmpty();
    m_add->setEnabled(open);
    m_import->setEnabled(open);
    m_export->setEnabled(open);
    m_remove->setEnabled(open && m_view->selectionModel()->hasSelection());
}

void DoNotEmailWindow::updateCount()
{
    const QLocale locale;
    const int all = m_model->rowCount();
    const int shown = m_proxy->rowCount();
    m_count->setText(shown == all
                         ? (all == 1 ? tr("1 address") : tr("%1 addresses").arg(locale.toString(all)))
                         : tr("%1 of %2 addresses").arg(locale.toString(shown), locale.toString(all)));
}

void DoNotEmailWindow::write(Work work)
{
    const QString path = m_path;
    continueOnGui(QtConcurrent::run([path, work]() -> Result<QString> { return work(path); }), this,
                  [this](const Result<QString> &done) {
                      if (!done) {
                          m_banner->showMessage(MessageBanner::Kind::Error, done.errorMessage());
                          Q_EMIT writeFinished(false, done.errorMessage());
                          return;
                      }
                      m_banner->showMessage(MessageBanner::Kind::Information, *done);
                      reload();
                      Q_EMIT listChanged();
                      Q_EMIT writeFinished(true, *done);
                  });
}

void DoNotEmailWindow::addAddress()
{
    if (m_path.isEmpty())
        return;
    SuppressDialog dialog(tr("Nobody at this address gets an email from the next run on."), true, this);
    if (dialog.exec() != QDialog::Accepted)
        return;
    const QString email = dialog.email();
    const QString reason = dialog.reason();
    const QString note = dialog.note();
    write([email, reason, note](const QString &path) -> Result<QString> {
        auto db = SqlSession::open(path, SqlSession::Mode::ReadWrite);
        if (!db)
            return db.error();
        Result<SuppressionStore::AddOutcome> added = SuppressionStore(**db).add(email, reason, note);
        if (!added)
            return added.error();
        if (!added->added)
            return tr("%1 was already on the list (%2); it is left as it was.")
                .arg(added->entry.email, SuppressionModel::reasonLabel(added->entry.reason).toLower());
        return tr("Added %1 to the do-not-email list.").arg(added->entry.email);
    });
}

void DoNotEmailWindow::removeSelected()
{
    QStringList emails;
    for (const QModelIndex &row : m_view->selectionModel()->selectedRows()) {
        if (const SuppressionEntry *e = m_model->entry(m_proxy->mapToSource(row).row()))
            emails << e->email;
    }
    if (emails.isEmpty() || m_path.isEmpty())
        return;
    const QString question = emails.size() == 1
        ? tr("Take %1 off the do-not-email list? The contact can get emails again from the next run.")
              .arg(emails.first())
        : tr("Take %n address(es) off the do-not-email list? These contacts can get emails again from the "
             "next "
             "run.",
             "", int(emails.size()));
    QMessageBox box(QMessageBox::Question, tr("Remove from the do-not-email list"), question,
                    QMessageBox::Cancel, this);
    QPushButton *remove = box.addButton(tr("Remove"), QMessageBox::DestructiveRole);
    box.setDefaultButton(QMessageBox::Cancel);
    box.exec();
    if (box.clickedButton() != remove)
        return;
    write([emails](const QString &path) -> Result<QString> {
        auto db = SqlSession::open(path, SqlSession::Mode::ReadWrite);
        if (!db)
            return db.error();
        SuppressionStore store(**db);
        for (const QString &email : emails) {
            if (Result<SuppressionEntry> removed = store.remove(email); !removed)
                return removed.error();
        }
        return emails.size() == 1
            ? tr("Removed %1 from the do-not-email list.").arg(emails.first())
            : tr("Removed %n address(es) from the do-not-email list.", "", int(emails.size()));
    });
}

void DoNotEmailWindow::importCsv()
{
    if (m_path.isEmpty())
        return;
    auto *dialog = new ListImportDialog(ListImportDialog::Kind::Suppressions, m_path, 0, QString(), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &ListImportDialog::imported, this, [this] {
        reload();
        Q_EMIT listChanged();
    });
    dialog->open();
}

void DoNotEmailWindow::suppressContacts(const QList<qint64> &contactIds, QWidget *parent)
{
    if (m_path.isEmpty() || contactIds.isEmpty())
        return;
    const QString intro = contactIds.size() == 1
        ? tr("Put the email address of contact %1 on the do-not-email list: it gets no email from the next "
             "run on.")
              .arg(contactIds.first())
        : tr("Put the email addresses of the %n selected contacts on the do-not-email list: they get no "
             "email from the next run on.",
             "", int(contactIds.size()));
    SuppressDialog dialog(intro, false, parent ? parent : this);
    if (dialog.exec() != QDialog::Accepted)
        return;
    const std::vector<qint64> ids(contactIds.begin(), contactIds.end());
    const QString reason = dialog.reason();
    const QString note = dialog.note();
    write([ids, reason, note](const QString &path) -> Result<QString> {
        auto db = SqlSession::open(path, SqlSession::Mode::ReadWrite);
        if (!db)
            return db.error();
        Result<SuppressionReport> report = SuppressionStore(**db).addContacts(ids, reason, note);
        if (!report)
            return report.error();
        QString text = tr("Put %n address(es) on the do-not-email list", "", int(report->added));
        if (report->alreadyListed > 0)
            text += u"; " + tr("%n already on it", "", int(report->alreadyListed));
        if (!report->rejected.empty())
            text += u"; " + tr("%n not listed: ", "", int(report->rejected.size()))
                + rejectedText(report->rejected);
        return QString(text + u'.');
    });
}
