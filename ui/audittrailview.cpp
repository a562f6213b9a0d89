#include "audittrailview.h"

#include "continueongui.h"
#include "csv/managementexport.h"
#include "items/auditmodel.h"
#include "managementcsv.h"
#include "storage/sqlsession.h"

#include <QCoreApplication>
#include <QDate>
#include <QDir>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QTableView>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

AuditTrailView::AuditTrailView(const QStringList &entities, QWidget *parent)
    : QWidget(parent), m_entities(entities), m_model(new AuditModel(this)), m_view(new QTableView(this)),
      m_details(new QLabel(this)), m_message(new QLabel(this)), m_export(new QPushButton(tr("Export…"), this))
{
    m_view->setObjectName(QStringLiteral("auditTable"));
    m_export->setObjectName(QStringLiteral("auditExport"));
    m_view->setModel(m_model);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_view->setAlternatingRowColors(true);
    m_view->setWordWrap(false);
    m_view->verticalHeader()->hide();
    QHeaderView *header = m_view->horizontalHeader();
    header->setSectionResizeMode(AuditModel::When, QHeaderView::ResizeToContents);
    header->setSectionResizeMode(AuditModel::Who, QHeaderView::ResizeToContents);
    header->setSectionResizeMode(AuditModel::Action, QHeaderView::ResizeToContents);
    header->setSectionResizeMode(AuditModel::Summary, QHeaderView::Interactive);
    header->resizeSection(AuditModel::Summary, 380);
    header->resizeSection(AuditModel::Before, 220);
    header->setStretchLastSection(true);

    m_details->setObjectName(QStringLiteral("auditDetails"));
    m_details->setWordWrap(true);
    m_details->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_details->setTextFormat(Qt::RichText);
    m_details->setAlignment(Qt::AlignTop | Qt::AlignLeft);
    m_message->setWordWrap(true);
    m_export->setToolTip(tr("Write every recorded change (campaigns, enrolments, the do-not-email list) to a "
                            "CSV file"));

    auto *bottom = new QHBoxLayout;
    bottom->addWidget(m_message, 1);
    bottom->addWidget(m_export);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_view, 3);
    layout->addWidget(m_details, 1);
    layout->addLayout(bottom);

    connect(m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &AuditTrailView::showDetails);
    connect(m_export, &QPushButton::clicked, this, &AuditTrailView::askExport);
    showDetails();
}

void AuditTrailView::setDatabase(const QString &path)
{
    m_path = path;
    reload();
}

void AuditTrailView::reload()
{
    const quint64 token = ++m_token;
    if (m_path.isEmpty()) {
        m_model->setEntries({});
        return;
    }
    const QString path = m_path;
    const QStringList entities = m_entities;
    auto load = QtConcurrent::run([path, entities]() -> Result<std::vector<AuditEntry>> {
        auto db = SqlSession::open(path, SqlSession::Mode::ReadOnly);
        if (!db)
            return db.error();
        Result<std::vector<AuditEntry>> all = AuditLog::list(**db);
        if (!all)
            return all.error();
        std::vector<AuditEntry> mine;
        for (AuditEntry &e : *all) {
            if (entities.isEmpty() || entities.contains(e.entity))
                mine.push_back(std::move(e));
        }
        return mine;
    });
    continueOnGui(std::move(load), this, [this, token](Result<std::vector<AuditEntry>> entries) {
        if (token != m_token)
            return;
        if (!entries) {
            m_model->setEntries({});
            m_message->setText(entries.errorMessage());
        } else {
            m_model->setEntries(std::move(*entries));
            m_message->setText(m_model->rowCount() == 0
                                   ? tr("No changes recorded yet.")
                                   : tr("%n change(s) recorded.", "", m_model->rowCount()));
        }
        showDetails();
        Q_EMIT loaded();
    });
}

void AuditTrailView::showDetails()
{
    const QModelIndex current = m_view->currentIndex();
    if (!current.isValid() || current.row() >= int(m_model->entries().size())) {
        m_details->setText(tr("Select a change to see the values before and after it."));
        return;
    }
    const AuditEntry &e = m_model->entries()[size_t(current.row())];
    const auto block = [](const QString &title, const QString &json) -> QString {
        const QString text = AuditModel::jsonText(json);
        return u"<b>" + title.toHtmlEscaped() + u"</b><br>"
            + (text.isEmpty() ? tr("(none)") : text.toHtmlEscaped()).replace(u'\n', QStringLiteral("<br>"));
    };
    m_details->setText(u"<table width=\"100%\"><tr><td valign=\"top\" width=\"50%\">"
                       + block(tr("Before"), e.beforeJson) + u"</td><td valign=\"top\">"
                       + block(tr("After"), e.afterJson) + u"</td></tr></table>");
}

void AuditTrailView::askExport()
{
    const QString path = ManagementCsv::askPath(this, tr("Export history of changes"), m_path,
                                                QStringLiteral("history-of-changes.csv"));
    if (!path.isEmpty())
        exportTo(path);
}

void AuditTrailView::exportTo(const QString &path)
{
    if (m_path.isEmpty())
        return;
    m_message->setText(tr("Writing %1…").arg(QDir::toNativeSeparators(path)));
    ManagementCsv::write(this, ManagementExport::What::Audit, m_path, path, QDate::currentDate(),
                         [this, path](const ExportOutcome &outcome) {
                             if (!outcome.ok())
                                 m_message->setText(outcome.error->message);
                             else
                                 m_message->setText(tr("Wrote %n change(s) to %1.", "", int(outcome.rows))
                                                        .arg(QDir::toNativeSeparators(path)));
                             Q_EMIT exported(outcome.ok());
                         });
}

QString AuditTrailView::messageText() const
{
    return m_message->text();
}
