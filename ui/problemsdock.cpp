#include "problemsdock.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLineEdit>
#include <QLocale>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QVBoxLayout>

ProblemsDock::ProblemsDock(QWidget *parent)
    : QDockWidget(tr("Problems"), parent), m_model(new ProblemsModel(this)),
      m_severityProxy(new QSortFilterProxyModel(this)), m_textProxy(new QSortFilterProxyModel(this)),
      m_filter(new QLineEdit), m_severity(new QComboBox), m_view(new QTableView)
{
    setObjectName(QStringLiteral("problemsDock"));
    m_severityProxy->setSourceModel(m_model);
    m_severityProxy->setFilterKeyColumn(ProblemsModel::Severity);
    m_severityProxy->setFilterRole(ProblemsModel::RawValueRole);
    m_textProxy->setSourceModel(m_severityProxy);
    m_textProxy->setFilterKeyColumn(-1);
    m_textProxy->setFilterCaseSensitivity(Qt::CaseInsensitive);
    m_textProxy->setSortRole(ProblemsModel::RawValueRole);

    m_filter->setPlaceholderText(tr("Filter problems"));
    m_filter->setClearButtonEnabled(true);
    m_severity->addItem(tr("All problems"), -1);
    m_severity->addItem(tr("Errors (no emails)"), int(Severity::Error));
    m_severity->addItem(tr("Warnings"), int(Severity::Warning));
    connect(m_filter, &QLineEdit::textChanged, this, [this](const QString &text) {
        m_textProxy->setFilterFixedString(text);
        updateTitle();
    });
    connect(m_severity, &QComboBox::currentIndexChanged, this, [this] {
        const int severity = m_severity->currentData().toInt();
        m_severityProxy->setFilterFixedString(severity < 0 ? QString() : QString::number(severity));
        updateTitle();
    });

    m_view->setModel(m_textProxy);
    m_view->setSortingEnabled(true);
    m_view->sortByColumn(ProblemsModel::ContactId, Qt::AscendingOrder);
    m_view->setWordWrap(false);
    m_view->horizontalHeader()->setSectionResizeMode(ProblemsModel::Severity, QHeaderView::ResizeToContents);
    m_view->horizontalHeader()->setSectionResizeMode(ProblemsModel::Code, QHeaderView::ResizeToContents);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_view->verticalHeader()->hide();
    m_view->horizontalHeader()->setStretchLastSection(true);
    connect(m_view, &QTableView::doubleClicked, this, [this](const QModelIndex &index) {
        Q_EMIT contactActivated(index.data(ProblemsModel::ContactIdRole).toLongLong());
    });

    auto *content = new QWidget(this);
    auto *bar = new QHBoxLayout;
    bar->addWidget(m_filter, 1);
    bar->addWidget(m_severity);
    auto *layout = new QVBoxLayout(content);
    layout->addLayout(bar);
    layout->addWidget(m_view, 1);
    setWidget(content);
}

void ProblemsDock::setProblems(const QList<ProblemRow> &problems)
{
    m_model->setProblems(problems);
    updateTitle();
}

void ProblemsDock::setFilterText(const QString &text)
{
    m_filter->setText(text);
}

QAbstractItemModel *ProblemsDock::filteredModel() const
{
    return m_textProxy;
}

void ProblemsDock::updateTitle()
{
    const int shown = m_textProxy->rowCount();
    const int all = m_model->rowCount();
    if (shown == all)
        setWindowTitle(tr("Problems (%1)").arg(QLocale().toString(all)));
    else
        setWindowTitle(tr("Problems (%1 of %2)").arg(QLocale().toString(shown), QLocale().toString(all)));
}
