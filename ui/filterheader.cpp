#include "filterheader.h"

#include <QAbstractItemModel>
#include <QLineEdit>

FilterHeader::FilterHeader(QWidget *parent) : QHeaderView(Qt::Horizontal, parent)
{
    setSectionsClickable(true);
    setSectionsMovable(true);
    setSortIndicatorShown(true);
    setHighlightSections(true);
    connect(this, &QHeaderView::sectionResized, this, &FilterHeader::placeEditors);
    connect(this, &QHeaderView::sectionMoved, this, &FilterHeader::placeEditors);
    connect(this, &QHeaderView::geometriesChanged, this, &FilterHeader::placeEditors);
}

void FilterHeader::setupEditors()
{
    qDeleteAll(m_editors);
    m_editors.clear();
    const int count = model() ? model()->columnCount() : 0;
    for (int i = 0; i < count; ++i) {
        auto *edit = new QLineEdit(this);
        edit->setClearButtonEnabled(true);
        const QString title = model()->headerData(i, Qt::Horizontal).toString();
        edit->setPlaceholderText(tr("Filter"));
        edit->setToolTip(tr("Show only rows whose %1 contains this text (Enter applies at once)").arg(title));
        edit->setAccessibleName(tr("Filter %1").arg(title));
        connect(edit, &QLineEdit::textChanged, this,
                [this, i](const QString &text) { Q_EMIT filterEdited(i, text); });
        connect(edit, &QLineEdit::returnPressed, this, [this, i] { Q_EMIT filterSubmitted(i); });
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

void FilterHeader::placeEditors()
{
    const int h = editorHeight();
    for (int i = 0; i < m_editors.size(); ++i) {
        QLineEdit *edit = m_editors[i];
        if (isSectionHidden(i)) {
            edit->hide();
            continue;
        }
        edit->setGeometry(sectionViewportPosition(i), height() - h, sectionSize(i), h);
        edit->show();
    }
}
