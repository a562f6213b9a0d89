#include "filterheader.h"

#include <QAbstractItemModel>
#include <QAbstractItemView>
#include <QEvent>
#include <QLineEdit>
#include <QScrollBar>

FilterHeader::FilterHeader(QWidget *parent) : QHeaderView(Qt::Horizontal, parent)
{
    setSectionsClickable(true);
    setSectionsMovable(true);
    setSortIndicatorShown(true);
    setHighlightSections(true);
    // Hiding a section resizes it to 0 before it counts as hidden: place again once it settled.
    connect(this, &QHeaderView::sectionResized, this, [this] {
        placeEditors();
        QMetaObject::invokeMethod(this, &FilterHeader::placeEditors, Qt::QueuedConnection);
    });
    connect(this, &QHeaderView::sectionMoved, this, &FilterHeader::placeEditors);
    connect(this, &QHeaderView::sectionCountChanged, this, &FilterHeader::placeEditors);
    connect(this, &QHeaderView::geometriesChanged, this, &FilterHeader::placeEditors);
}

void FilterHeader::setupEditors()
{
    qDeleteAll(m_editors);
    m_editors.clear();
    m_lastOrder.clear();
    // The table scrolls its header by moving the header's offset, which moves only what is
    // inside the header's viewport; the boxes live below it and follow the scroll bar here
    // (the view's own connection runs first, so offset() is already the new one).
    if (auto *view = qobject_cast<QAbstractItemView *>(parentWidget())) {
        QScrollBar *bar = view->horizontalScrollBar();
        connect(bar, &QScrollBar::valueChanged, this, &FilterHeader::placeEditors, Qt::UniqueConnection);
        connect(bar, &QScrollBar::rangeChanged, this, &FilterHeader::placeEditors, Qt::UniqueConnection);
    }
    const int count = model() ? model()->columnCount() : 0;
    for (int i = 0; i < count; ++i) {
        auto *edit = new QLineEdit(this);
        edit->setClearButtonEnabled(true);
        const QString title = model()->headerData(i, Qt::Horizontal).toString();
        edit->setObjectName(QStringLiteral("filter%1").arg(i));
        edit->setPlaceholderText(tr("Filter"));
        edit->setToolTip(tr("Show only rows whose %1 contains this text (Enter applies at once)").arg(title));
        edit->setAccessibleName(tr("Filter %1").arg(title));
        connect(edit, &QLineEdit::textChanged, this, [this, i, edit](const QString &text) {
            markActive(edit);
            Q_EMIT filterEdited(i, text);
        });
        connect(edit, &QLineEdit::returnPressed, this, [this, i] { Q_EMIT filterSubmitted(i); });
        edit->installEventFilter(this);
        edit->show();
        m_editors.append(edit);
    }
    updateGeometries();
}

QString FilterHeader::filterText(int logical) const
{
    const QLineEdit *edit = editor(logical);
    return edit ? edit->text() : QString();
}

void FilterHeader::setFilterText(int logical, const QString &text)
{
    if (QLineEdit *edit = editor(logical))
        edit->setText(text);
}

QLineEdit *FilterHeader::editor(int logical) const
{
    return logical >= 0 && logical < m_editors.size() ? m_editors[logical] : nullptr;
}

int FilterHeader::columnOf(const QWidget *editor) const
{
    for (int i = 0; i < m_editors.size(); ++i) {
        if (m_editors[i] == editor)
            return i;
    }
    return -1;
}

QList<QLineEdit *> FilterHeader::editorsInVisualOrder() const
{
    QList<QLineEdit *> ordered;
    for (int visual = 0; visual < count(); ++visual) {
        const int logical = logicalIndex(visual);
        if (logical >= 0 && logical < m_editors.size() && !isSectionHidden(logical))
            ordered << m_editors[logical];
    }
    return ordered;
}

void FilterHeader::ensureSectionVisible(int logical)
{
    auto *view = qobject_cast<QAbstractItemView *>(parentWidget());
    if (!view || logical < 0 || logical >= count() || isSectionHidden(logical))
        return;
    QScrollBar *bar = view->horizontalScrollBar();
    const int width = viewport()->width();
    // In per-item mode the scroll bar counts sections, in per-pixel mode pixels; step until the
    // section is inside (or as far as it can go), which works for both.
    for (int guard = 0; guard < count() + 2; ++guard) {
        const int left = sectionViewportPosition(logical);
        const int right = left + sectionSize(logical);
        if (left < 0 && bar->value() > bar->minimum()) {
            if (view->horizontalScrollMode() == QAbstractItemView::ScrollPerPixel)
                bar->setValue(bar->value() + left);
            else
                bar->setValue(bar->value() - 1);
        } else if (right > width && left > 0 && bar->value() < bar->maximum()) {
            if (view->horizontalScrollMode() == QAbstractItemView::ScrollPerPixel)
                bar->setValue(bar->value() + qMin(right - width, left));
            else
                bar->setValue(bar->value() + 1);
        } else {
            break;
        }
    }
}

void FilterHeader::markActive(QLineEdit *edit)
{
    // A box that filters is tinted, so a glance along the row shows which columns are filtered.
    QPalette palette = this->palette();
    if (!edit->text().isEmpty())
        palette.setColor(QPalette::Base, QColor(0xff, 0xf4, 0xc7));
    edit->setPalette(palette);
}

int FilterHeader::editorHeight() const
{
    return m_editors.isEmpty() ? 0 : m_editors.first()->sizeHint().height();
}

QSize FilterHeader::sizeHint() const
{
    QSize size = QHeaderView::sizeHint();
    size.setHeight(size.height() + editorHeight());
    return size;
}

void FilterHeader::updateGeometries()
{
    // The section labels keep their place; the editors live in the bottom margin.
    setViewportMargins(0, 0, 0, editorHeight());
    QHeaderView::updateGeometries();
    placeEditors();
}

bool FilterHeader::eventFilter(QObject *watched, QEvent *event)
{
    // A box that gets the focus (Tab, Ctrl+F) scrolls its column into view.
    if (event->type() == QEvent::FocusIn) {
        const int logical = columnOf(qobject_cast<QWidget *>(watched));
        if (logical >= 0)
            ensureSectionVisible(logical);
    }
    return QHeaderView::eventFilter(watched, event);
}

void FilterHeader::placeEditors()
{
    const int h = editorHeight();
    for (int i = 0; i < m_editors.size(); ++i) {
        QLineEdit *edit = m_editors[i];
        if (i >= count() || isSectionHidden(i) || sectionSize(i) == 0) {
            edit->hide();
            continue;
        }
        // Box i filters logical column i and sits under section i wherever it is shown:
        // sectionViewportPosition() counts moves and the horizontal scroll offset.
        edit->setGeometry(sectionViewportPosition(i), height() - h, sectionSize(i), h);
        edit->show();
    }
    QList<int> order;
    for (int visual = 0; visual < count(); ++visual) {
        const int logical = logicalIndex(visual);
        if (logical >= 0 && !isSectionHidden(logical))
            order << logical;
    }
    if (order != m_lastOrder) {
        m_lastOrder = order;
        Q_EMIT visualOrderChanged();
    }
}
