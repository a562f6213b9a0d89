#include "problemsdock.h"

#include "exportdialog.h"

#include <QAction>
#include <QComboBox>
#include <QFontMetrics>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLineEdit>
#include <QLocale>
#include <QStyle>
#include <QTableView>
#include <QToolButton>
#include <QVBoxLayout>

#include <algorithm>

ProblemsDock::ProblemsDock(QWidget *parent)
    : QDockWidget(tr("Problems"), parent), m_model(new ProblemsModel(this)),
      m_filter(new QLineEdit), m_severity(new QComboBox), m_view(new QTableView)
{
    setObjectName(QStringLiteral("problemsDock"));

    m_filter->setPlaceholderText(tr("Filter problems"));
    m_filter->setClearButtonEnabled(true);
    m_severity->addItem(tr("All problems"), -1);
    m_severity->addItem(tr("Errors (no emails)"), int(Severity::Error));
    m_severity->addItem(tr("Warnings"), int(Severity::Warning));
    connect(m_filter, &QLineEdit::textChanged, this, &ProblemsDock::applyFilter);
    connect(m_severity, &QComboBox::currentIndexChanged, this, &ProblemsDock::applyFilter);

    // The model filters and sorts itself (see ProblemsModel).
    m_view->setModel(m_model);
    m_view->setSortingEnabled(true);
    m_view->sortByColumn(ProblemsModel::ContactId, Qt::AscendingOrder);
    m_view->setWordWrap(false);
    // Widths from the few possible texts, not ResizeToContents: that measures up to a thousand
    // rows again on every reset and sort.
    const QFontMetrics metrics = m_view->fontMetrics();
    const int padding = 2 * m_view->style()->pixelMetric(QStyle::PM_FocusFrameHMargin, nullptr, m_view) + 16;
    int severityWidth = metrics.horizontalAdvance(m_model->headerData(ProblemsModel::Severity, Qt::Horizontal).toString());
    for (const Severity severity : { Severity::Warning, Severity::Error })
        severityWidth = std::max(severityWidth, metrics.horizontalAdvance(ProblemsModel::severityLabel(severity)));
    int codeWidth = metrics.horizontalAdvance(m_model->headerData(ProblemsModel::Code, Qt::Horizontal).toString());
    for (int code = 0; code <= int(ProblemCode::ProcessingError); ++code)
        codeWidth = std::max(codeWidth, metrics.horizontalAdvance(problemCodeName(ProblemCode(code))));
    m_view->horizontalHeader()->resizeSection(ProblemsModel::Severity, severityWidth + padding);
    m_view->horizontalHeader()->resizeSection(ProblemsModel::Code, codeWidth + padding);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_view->verticalHeader()->hide();
    m_view->horizontalHeader()->setStretchLastSection(true);
    connect(m_view, &QTableView::doubleClicked, this, [this](const QModelIndex &index) {
        Q_EMIT contactActivated(index.data(ProblemsModel::ContactIdRole).toLongLong());
    });

    m_export = new QAction(tr("Export…"), this);
    m_export->setToolTip(tr("Write the problems shown here to a CSV file"));
    connect(m_export, &QAction::triggered, this,
            [this] { ExportDialog::openForModel(filteredModel(), QString(), this); });
    m_view->addAction(m_export);
    m_view->setContextMenuPolicy(Qt::ActionsContextMenu);
    auto *exportButton = new QToolButton;
    exportButton->setDefaultAction(m_export);

    auto *content = new QWidget(this);
    auto *bar = new QHBoxLayout;
    bar->addWidget(m_filter, 1);
    bar->addWidget(m_severity);
    bar->addWidget(exportButton);
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
    return m_model;
}

void ProblemsDock::applyFilter()
{
    m_model->setFilter(m_filter->text(), m_severity->currentData().toInt());
    updateTitle();
}

void ProblemsDock::updateTitle()
{
    const int shown = m_model->rowCount();
    const int all = m_model->totalCount();
    if (shown == all)
        setWindowTitle(tr("Problems (%1)").arg(QLocale().toString(all)));
    else
        setWindowTitle(tr("Problems (%1 of %2)").arg(QLocale().toString(shown), QLocale().toString(all)));
}
