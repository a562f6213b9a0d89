#include "contactspage.h"

#include "contactdelegate.h"
#include "filterheader.h"
#include "items/contacttablemodel.h"
#include "messagebanner.h"
#include "tableclipboard.h"

#include <QComboBox>
#include <QFont>
#include <QFontMetrics>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QScrollBar>
#include <QTableView>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>

#include <algorithm>

using namespace ContactColumn;

namespace {
// How long typing in a filter box waits before the table follows (UX.md: ~200 ms).
constexpr int kFilterDelayMs = 200;
// The least width of the last column (Problems), which takes what is left.
constexpr int kProblemsMinWidth = 130;

// A typical value of each column: the first-start width fits it; longer values are elided
// until the user widens the column.
QString typicalText(int column)
{
    switch (column) {
    case Id:
        return QStringLiteral("1000000");
    case FirstName:
        return QStringLiteral("Margaret");
    case LastName:
        return QStringLiteral("Richardson");
    case Email:
        return QStringLiteral("carl.harris2@yahoo.com");
    case State:
        return QStringLiteral("WW");
    case Zip:
        return QStringLiteral("00000");
    case BirthDate:
    case EffectiveDate:
        return QStringLiteral("2000-12-31");
    case Carrier:
        return QStringLiteral("Ace Chubb");
    case PlanType:
        return QStringLiteral("Plan G");
    case Phone:
        return QStringLiteral("+16152865511");
    case Status:
        return QStringLiteral("inactive");
    default:
        return {};
    }
}

QString statesOf(const StateRuleTable &rules, StateRule::Kind kind)
{
    QStringList codes;
    for (StateCode state : rules.statesWithRules()) {
        if (rules.rule(state).kind == kind)
            codes << state.toString();
    }
    return codes.join(QStringLiteral(", "));
}

// The "Filtered by …" line: one line when there is room beside "Show:", wrapped rather than
// widening the window when there is not.
class SummaryLabel final : public QLabel
{
public:
    using QLabel::QLabel;

    QSize sizeHint() const override
    {
        const QMargins margins = contentsMargins();
        const int width
            = fontMetrics().horizontalAdvance(text()) + margins.left() + margins.right() + 2 * margin() + 2;
        return { width, heightForWidth(width) };
    }
};

// A filter text as the summary line quotes it: short enough to keep the line on one row.
QString quoted(const QString &text)
{
    constexpr int kMaxShown = 24;
    const QString shown = text.size() > kMaxShown ? QString(text.left(kMaxShown - 1) + u'…') : text;
    return u'“' + shown + u'”';
}
} // namespace

ContactsPage::ContactsPage(QWidget *parent)
    : QWidget(parent), m_model(new ContactTableModel(this)), m_banner(new MessageBanner(this)),
      m_notice(new MessageBanner(this)), m_quick(new QComboBox(this)), m_dayFilter(new QLabel(this)),
      m_dayClear(new QToolButton(this)), m_filterSummary(new SummaryLabel(this)),
      m_clearAll(new QToolButton(this)), m_loading(new QLabel(this)), m_view(new QTableView(this)),
      m_header(new FilterHeader(m_view)), m_filterDelay(new QTimer(this))
{
    m_quick->setObjectName(QStringLiteral("quickFilter"));
    // The groups name their states; closed, the box keeps a sensible width on small screens.
    m_quick->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_quick->setMinimumContentsLength(20);
    m_quick->setToolTip(tr("Show a group of contacts: states with a birthday or anniversary rule, "
                           "year-round states, contacts with data problems, or contacts on the "
                           "do-not-email list"));
    m_dayFilter->setObjectName(QStringLiteral("scheduledDayFilter"));
    m_dayFilter->hide();
    m_dayClear->setObjectName(QStringLiteral("scheduledDayClear"));
    m_dayClear->setIcon(style()->standardIcon(QStyle::SP_LineEditClearButton));
    m_dayClear->setAutoRaise(true);
    m_dayClear->setToolTip(tr("Show contacts of every day again"));
    m_dayClear->hide();
    connect(m_dayClear, &QToolButton::clicked, this, [this] { setScheduledDateFilter(QDate()); });
    m_notice->setObjectName(QStringLiteral("noticeBanner"));
    m_filterSummary->setObjectName(QStringLiteral("filterSummary"));
    m_filterSummary->setTextFormat(Qt::PlainText);
    // Beside "Show:" it takes the room there is and wraps rather than widening the window.
    m_filterSummary->setWordWrap(true);
    m_filterSummary->setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Preferred);
    m_filterSummary->hide();
    m_clearAll->setObjectName(QStringLiteral("clearFilters"));
    m_clearAll->setText(tr("Clear all"));
    m_clearAll->setAutoRaise(true);
    m_clearAll->setCursor(Qt::PointingHandCursor);
    {
        // Drawn as a link: it acts at once and reads as part of the sentence before it.
        QFont font = m_clearAll->font();
        font.setUnderline(true);
        m_clearAll->setFont(font);
        QPalette palette = m_clearAll->palette();
        palette.setColor(QPalette::ButtonText, palette.color(QPalette::Link));
        m_clearAll->setPalette(palette);
    }
    m_clearAll->setToolTip(tr("Empty every filter box and show all contacts"));
    m_clearAll->hide();
    connect(m_clearAll, &QToolButton::clicked, this, &ContactsPage::clearFilters);
    m_loading->setText(tr("Loading…"));
    m_loading->hide();

    m_view->setObjectName(QStringLiteral("contactTable"));
    m_view->setHorizontalHeader(m_header);
    m_view->setModel(m_model);
    m_view->setItemDelegate(new ContactDelegate(m_view));
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_view->setSortingEnabled(true);
    m_view->sortByColumn(Id, Qt::AscendingOrder);
    m_view->setWordWrap(false);
    m_view->setAlternatingRowColors(true);
    m_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    // Rows are selected whole: Tab leaves the table instead of walking its cells.
    m_view->setTabKeyNavigation(false);
    // Fixed row heights keep a million-row vertical header cheap.
    m_view->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_view->verticalHeader()->setDefaultSectionSize(m_view->fontMetrics().height() + 8);
    m_view->verticalHeader()->hide();
    m_header->setupEditors();
    m_header->setStretchLastSection(true);
    sizeColumns();

    m_filterDelay->setSingleShot(true);
    m_filterDelay->setInterval(kFilterDelayMs);
    connect(m_filterDelay, &QTimer::timeout, this, &ContactsPage::applyFilters);
    connect(m_header, &FilterHeader::filterEdited, this, [this] { m_filterDelay->start(); });
    connect(m_header, &FilterHeader::filterSubmitted, this, &ContactsPage::applyFilters);
    connect(m_quick, &QComboBox::currentIndexChanged, this, &ContactsPage::applyFilters);
    connect(m_header, &FilterHeader::visualOrderChanged, this, &ContactsPage::updateTabOrder);

    connect(m_model, &ContactTableModel::loadingChanged, this, [this](bool loading) {
        m_loading->setVisible(loading);
        updateStatus();
    });
    connect(m_model, &ContactTableModel::indexLoaded, this, &ContactsPage::onIndexLoaded);
    connect(m_model, &ContactTableModel::loadFailed, this,
            [this](const QString &message) { m_banner->showMessage(MessageBanner::Kind::Error, message); });
    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &ContactsPage::updateStatus);
    connect(m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &ContactsPage::onCurrentChanged);
    connect(m_view->verticalScrollBar(), &QScrollBar::valueChanged, this, &ContactsPage::updateStatus);
    connect(m_view->verticalScrollBar(), &QScrollBar::rangeChanged, this, &ContactsPage::updateStatus);

    auto *show = new QLabel(tr("&Show:"), this);
    show->setBuddy(m_quick);
    auto *top = new QHBoxLayout;
    top->addWidget(show);
    top->addWidget(m_quick);
    top->addWidget(m_dayFilter);
    top->addWidget(m_dayClear);
    top->addSpacing(12);
    top->addWidget(m_filterSummary);
    top->addWidget(m_clearAll);
    top->addStretch(1);
    top->addWidget(m_loading);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_notice);
    layout->addWidget(m_banner);
    layout->addLayout(top);
    layout->addWidget(m_view, 1);

    setStateRules(m_rules);
    updateTabOrder();
}

void ContactsPage::updateTabOrder()
{
    // Show: → (day filter ×) → Clear all → the filter boxes left to right → the table.
    QWidget *previous = m_quick;
    for (QWidget *next : { static_cast<QWidget *>(m_dayClear), static_cast<QWidget *>(m_clearAll) }) {
        setTabOrder(previous, next);
        previous = next;
    }
    const QList<QLineEdit *> boxes = m_header->editorsInVisualOrder();
    for (QLineEdit *box : boxes) {
        setTabOrder(previous, box);
        previous = box;
    }
    setTabOrder(previous, m_view);
}

void ContactsPage::setStateRules(const StateRuleTable &rules)
{
    m_rules = rules;
    const QSignalBlocker blocker(m_quick);
    const int current = qMax(0, m_quick->currentIndex());
    m_quick->clear();
    m_quick->addItem(tr("All contacts"), int(QuickFilter::All));
    m_quick->addItem(tr("Birthday-rule states (%1)").arg(statesOf(rules, StateRule::Kind::Birthday)),
                     int(QuickFilter::BirthdayRuleStates));
    m_quick->addItem(tr("Anniversary-rule states (%1)").arg(statesOf(rules, StateRule::Kind::EffectiveDate)),
                     int(QuickFilter::AnniversaryRuleStates));
    m_quick->addItem(tr("Year-round states (%1)").arg(statesOf(rules, StateRule::Kind::YearRound)),
                     int(QuickFilter::YearRoundStates));
    m_quick->addItem(tr("Contacts with problems"), int(QuickFilter::WithProblems));
    m_quick->addItem(tr("Do not email"), int(QuickFilter::DoNotEmail));
    m_quick->setCurrentIndex(current);
    applyFilters();
}

void ContactsPage::setDatabase(const QString &path)
{
    m_currentId = 0;
    // A day of another database's schedule means nothing in this one, nor do filters typed for
    // its contacts ("No contacts match" on a database just opened would look like an empty file).
    const bool another = path != m_model->database();
    m_scheduledOn = QDate();
    m_dayFilter->hide();
    m_dayClear->hide();
    if (another) {
        const QSignalBlocker headerBlocker(m_header);
        const QSignalBlocker quickBlocker(m_quick);
        for (int c = 0; c < ColumnCount; ++c)
            m_header->setFilterText(c, QString());
        m_quick->setCurrentIndex(0);
    }
    m_filterDelay->stop();
    m_model->setDatabase(path, filterFromInputs());
    updateFilterSummary();
    Q_EMIT currentContactChanged(0);
    updateStatus();
}

void ContactsPage::setToday(QDate today)
{
    m_model->setToday(today);
}

void ContactsPage::refresh()
{
    m_model->refresh();
}

void ContactsPage::setColumnFilter(int column, const QString &text)
{
    const QSignalBlocker blocker(m_header);
    m_header->setFilterText(column, text);
    applyFilters();
}

void ContactsPage::setQuickFilter(QuickFilter filter)
{
    m_quick->setCurrentIndex(m_quick->findData(int(filter)));
}

void ContactsPage::clearFilters()
{
    {
        const QSignalBlocker headerBlocker(m_header);
        const QSignalBlocker quickBlocker(m_quick);
        for (int c = 0; c < ColumnCount; ++c)
            m_header->setFilterText(c, QString());
        m_quick->setCurrentIndex(0);
    }
    setScheduledDateFilter(QDate()); // applies the now empty filter once
}

void ContactsPage::setScheduledDateFilter(QDate date)
{
    m_scheduledOn = date;
    m_dayFilter->setText(
        tr("with an email pre-scheduled on %1").arg(QLocale().toString(date, QLocale::LongFormat)));
    m_dayFilter->setVisible(date.isValid());
    m_dayClear->setVisible(date.isValid());
    applyFilters();
}

ContactFilter ContactsPage::filterFromInputs() const
{
    ContactFilter filter;
    filter.setStateRules(m_rules);
    for (int c = 0; c < ColumnCount; ++c)
        filter.setColumnText(c, m_header->filterText(c));
    filter.setQuickFilter(static_cast<QuickFilter>(m_quick->currentData().toInt()));
    filter.setScheduledOn(m_scheduledOn);
    return filter;
}

void ContactsPage::applyFilters()
{
    m_filterDelay->stop();
    const ContactFilter filter = filterFromInputs();
    if (!(filter == m_model->filter()))
        m_scrollToTop = true;
    m_model->setFilter(filter);
    updateFilterSummary();
}

QString ContactsPage::filterSummary(bool withTexts) const
{
    const ContactFilter &filter = m_model->filter();
    QStringList parts;
    if (filter.quickFilter() != QuickFilter::All) {
        QString group = m_quick->currentText();
        const qsizetype paren = group.indexOf(QStringLiteral(" ("));
        if (paren > 0)
            group.truncate(paren); // "Birthday-rule states (CA, ID, …)": the states are in the box
        parts << group;
    }
    for (int visual = 0; visual < m_header->count(); ++visual) {
        const int column = m_header->logicalIndex(visual);
        const QString text = filter.columnText(column).trimmed();
        if (text.isEmpty())
            continue;
        const QString title = m_model->headerData(column, Qt::Horizontal).toString();
        parts << (withTexts ? QString(title + u' ' + quoted(text)) : title);
    }
    if (parts.isEmpty())
        return {};
    return tr("Filtered by %1").arg(parts.join(QStringLiteral(", ")));
}

void ContactsPage::updateFilterSummary()
{
    // Said beside "Show:" whatever part of the filter row is scrolled away. The day filter has
    // its own words and × button; Clear all also clears it.
    const QString summary = filterSummary();
    m_filterSummary->setText(summary.isEmpty() ? QString() : QString(summary + QStringLiteral(" ·")));
    m_filterSummary->setToolTip(filterSummary(true));
    m_filterSummary->setVisible(!summary.isEmpty());
    m_clearAll->setVisible(!summary.isEmpty() || m_scheduledOn.isValid());
}

void ContactsPage::onIndexLoaded()
{
    // A new result resets the model; keep the contact the user was looking at.
    if (m_currentId != 0) {
        const int row = m_model->rowOfContact(m_currentId);
        if (row >= 0) {
            // Centred vertically only: the columns stay where the user scrolled them (the box
            // just typed into stays under the pointer), so the current cell is one in view.
            const QModelIndex index = m_model->index(row, columnInView());
            QScrollBar *sideways = m_view->horizontalScrollBar();
            const int across = sideways->value();
            m_view->selectionModel()->setCurrentIndex(
                index, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
            m_view->scrollTo(index, QAbstractItemView::PositionAtCenter);
            sideways->setValue(across);
            m_scrollToTop = false;
        } else {
            m_currentId = 0;
            Q_EMIT currentContactChanged(0);
        }
    }
    // After a filter change the first matches are what the user wants to see.
    if (m_scrollToTop)
        m_view->verticalScrollBar()->setValue(0);
    m_scrollToTop = false;
    updateStatus();
}

void ContactsPage::onCurrentChanged()
{
    const QModelIndex current = m_view->selectionModel()->currentIndex();
    const qint64 id = current.isValid() ? m_model->contactId(current.row()) : 0;
    if (id == m_currentId)
        return;
    m_currentId = id;
    Q_EMIT currentContactChanged(id);
}

int ContactsPage::columnInView() const
{
    const int column = m_view->columnAt(m_view->viewport()->width() / 2);
    return column < 0 ? 0 : column;
}

bool ContactsPage::selectContact(qint64 id)
{
    const int row = m_model->rowOfContact(id);
    if (row < 0)
        return false;
    const QModelIndex index = m_model->index(row, columnInView());
    m_view->selectionModel()->setCurrentIndex(
        index, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    m_view->scrollTo(index);
    return true;
}

QList<qint64> ContactsPage::selectedContactIds() const
{
    QList<qint64> ids;
    for (const QItemSelectionRange &range : m_view->selectionModel()->selection()) {
        for (int row = range.top(); row <= range.bottom(); ++row)
            ids << m_model->contactId(row);
    }
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
    return ids;
}

int ContactsPage::copySelection() const
{
    return TableClipboard::copySelection(m_view);
}

QString ContactsPage::statusText() const
{
    const int count = m_model->rowCount();
    if (m_model->database().isEmpty())
        return tr("No database open");
    if (count == 0)
        return m_model->isLoading() ? tr("Loading contacts…") : tr("No contacts match");
    int first = m_view->rowAt(0);
    int last = m_view->rowAt(m_view->viewport()->height() - 1);
    if (first < 0)
        first = 0;
    if (last < 0)
        last = count - 1;
    qint64 selected = 0;
    for (const QItemSelectionRange &range : m_view->selectionModel()->selection())
        selected += range.height();
    const QLocale locale;
    QString text = tr("%1–%2 of %3")
                       .arg(locale.toString(first + 1), locale.toString(last + 1), locale.toString(count));
    if (selected > 0)
        text += u" · " % tr("%n selected", "", int(selected));
    return text;
}

void ContactsPage::updateStatus()
{
    const QString text = statusText();
    if (text == m_lastStatus)
        return;
    m_lastStatus = text;
    Q_EMIT statusTextChanged(text);
}

void ContactsPage::sizeColumns()
{
    // Widths from the font rather than fixed pixels, so that at 1600 pixels every column
    // through Problems shows beside the preview (a saved header state replaces them).
    const QFontMetrics cell = m_view->fontMetrics();
    // The header shows its titles in bold while a row is selected (highlighted sections).
    QFont headerFont = m_header->font();
    headerFont.setBold(true);
    const QFontMetrics header(headerFont);
    const int cellPadding = 10;
    const int headerPadding
        = 2 * m_header->style()->pixelMetric(QStyle::PM_HeaderMargin, nullptr, m_header) + 6;
    const int sortMark = m_header->style()->pixelMetric(QStyle::PM_HeaderMarkSize, nullptr, m_header);
    for (int column = 0; column < Problems; ++column) {
        int width = std::max(cell.horizontalAdvance(typicalText(column)) + cellPadding,
                             header.horizontalAdvance(m_model->headerData(column, Qt::Horizontal).toString())
                                 + headerPadding);
        if (column == Id)
            width += 20 + sortMark; // the problem icon; the table starts sorted by ID
        m_header->resizeSection(column, width);
    }
    m_header->resizeSection(Problems, kProblemsMinWidth);
}

int ContactsPage::preferredTableWidth() const
{
    int width = 2 * m_view->frameWidth() + m_view->verticalScrollBar()->sizeHint().width();
    for (int column = 0; column < Problems; ++column)
        width += m_header->isSectionHidden(column) ? 0 : m_header->sectionSize(column);
    return width + kProblemsMinWidth;
}

QByteArray ContactsPage::saveHeaderState() const
{
    return m_header->saveState();
}

void ContactsPage::restoreHeaderState(const QByteArray &state)
{
    if (!state.isEmpty())
        m_header->restoreState(state);
    // The restored sort indicator decides the model's order.
    m_model->sort(m_header->sortIndicatorSection(), m_header->sortIndicatorOrder());
}
