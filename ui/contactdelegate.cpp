#include "contactdelegate.h"

#include "items/contactcolumn.h"
#include "items/contacttablemodel.h"
#include "problem.h"

#include <QApplication>
#include <QStyle>

void ContactDelegate::initStyleOption(QStyleOptionViewItem *option, const QModelIndex &index) const
{
    QStyledItemDelegate::initStyleOption(option, index);
    if (!index.data(ContactTableModel::LoadedRole).toBool()) {
        option->palette.setColor(QPalette::Text, option->palette.color(QPalette::PlaceholderText));
        return;
    }
    if (index.column() != ContactColumn::Id && index.column() != ContactColumn::Problems)
        return;
    const int severity = index.data(ContactTableModel::ProblemSeverityRole).toInt();
    if (severity < 0)
        return;
    const QStyle *style = option->widget ? option->widget->style() : QApplication::style();
    option->icon = style->standardIcon(severity == int(Severity::Error) ? QStyle::SP_MessageBoxCritical
                                                                        : QStyle::SP_MessageBoxWarning);
    option->features |= QStyleOptionViewItem::HasDecoration;
    option->decorationSize = QSize(16, 16);
}
