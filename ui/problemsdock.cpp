#include "problemsdock.h"

#include "exportdialog.h"

#include <QAction>
#include <QComboBox>
#include <QFontMetrics>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QStyle>
#include <QTableView>
#include <QToolButton>
#include <QVBoxLayout>

#include <algorithm>

ProblemsDock::ProblemsDock(QWidget *parent)
    : QDockWidget(tr("Problems"), parent), m_model(new ProblemsModel(this)), m_filter(new QLineEdit),
      m_severity(new QComboBox), m_source(new QLabel), m_view(new QTableView)
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
    int severityWidth
        = metrics.horizontalAdvance(m_model->headerData(ProblemsModel::Severity, Qt::Horizontal).toString());
    for (const Severity severity : { Severity::Warning, Severity::Error })
        severityWidth
            = std::max(severityWidth, metrics.horizontalAdvance(ProblemsModel::severityLabel(severity)));
    int codeWidth
        = metrics.horizontalAdvance(m_model->headerData(ProblemsModel::Code, Qt::Horizontal).toString());
    for (int code = 0; code <= int(ProblemCode::ProcessingError); ++code)
        codeWidth = std::max(codeWidth, metrics.horizontalAdvance(problemCodeName(ProblemCode(code))));
    m_view->horizontalHeader()->resizeSection(ProblemsModel::Severity, severityWidth + padding);
    m_view->horizontalHeader()->resizeSection(ProblemsModel::Code, codeWidth + padding);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_view->verticalHeader()->hide();
    // Rows as compact as the contact table's, so the dock lists more than a handful.
    m_view->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_view->verticalHeader()->setDefaultSectionSize(m_view->fontMetrics().height() + 8);
    m_view->horizontalHeader()->setStretchLastSection(true);
    connect(m_view, &QTableView::doubleClicked, this, [this](const QModelIndex &index) {
        Q_EMIT contactActivated(index.data(ProblemsModel::ContactIdRole).toLongLong());
    });

    m_export = new QAction(tr("Export…"), this);
    m_export->setToolTip(tr("Write the problems shown here to a CSV file"));
    connect(m_export, &QAction::triggered, this,
            [this] { ExportDialog::openForModel(filteredModel(), QString(), QDate(), this); });
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
    m_source->setObjectName(QStringLiteral("problemsSource"));
    m_source->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_source->setText(tr("No database open."));
    layout->addWidget(m_source);
    setWidget(content);
    updateTitle();
}

void ProblemsDock::setProblems(const QList<ProblemRow> &problems)
{
    m_model->setProblems(problems);
    m_source->setText(tr("Problems found by the last batch run."));
    updateTitle();
}

void ProblemsDock::setCheckedProblems(const ProblemScan::Summary &summary)
{
    m_checking = false;
    m_model->setProblems(ProblemsModel::mergeChecked(summary.problems, m_model->problems()));
    const QLocale locale;
    m_source->setText(tr("%1 of %2 contacts have data problems (%3 get no emails), checked as of %4.")
                          .arg(locale.toString(summary.contactsWithProblems),
                               locale.toString(summary.contacts), locale.toString(summary.contactsWithErrors),
                               locale.toString(summary.today, QLocale::ShortFormat)));
    updateTitle();
}

void ProblemsDock::clear()
{
    m_model->setProblems({});
    m_source->clear();
    updateTitle();
}

void ProblemsDock::setChecking(bool checking)
{
    if (checking == m_checking)
        return;
    m_checking = checking;
    if (checking)
        m_source->setText(tr("Checking the contacts for data problems…"));
    updateTitle();
}

void ProblemsDock::setCheckFailed(const QString &message)
{
    m_checking = false;
    m_source->setText(tr("The contacts could not be checked: %1").arg(message));
    updateTitle();
}

QString ProblemsDock::sourceText() const
{
    return m_source->text();
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
    if (m_checking && all == 0)
        setWindowTitle(tr("Problems (checking…)"));
    else if (shown == all)
        setWindowTitle(tr("Problems (%1)").arg(QLocale().toString(all)));
    else
        setWindowTitle(tr("Problems (%1 of %2)").arg(QLocale().toString(shown), QLocale().toString(all)));
}
