#pragma once

#include <QStyledItemDelegate>

// Paints the contact table: a warning or error icon in the rows with data problems (the model
// lives below the widgets layer and knows severities, not icons) and grey placeholders.
class ContactDelegate final : public QStyledItemDelegate
{
    Q_OBJECT

public:
    using QStyledItemDelegate::QStyledItemDelegate;

protected:
    void initStyleOption(QStyleOptionViewItem *option, const QModelIndex &index) const override;
};
