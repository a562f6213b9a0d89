#pragma once

#include <QHeaderView>
#include <QList>

class QLineEdit;

// A table header with a filter box under every section. Editors follow section moves, resizes
// and horizontal scrolling; the header says what was typed and leaves debouncing to its owner.
class FilterHeader final : public QHeaderView
{
    Q_OBJECT

public:
    explicit FilterHeader(QWidget *parent = nullptr);

    // Creates one editor per logical section of the model (call after setModel()).
    void setupEditors();
    QString filterText(int logical) const;
    void setFilterText(int logical, const QString &text);
    QLineEdit *editor(int logical) const;

    QSize sizeHint() const override;

Q_SIGNALS:
    void filterEdited(int logical, const QString &text);
    // Enter in a filter box: apply at once.
    void filterSubmitted(int logical);

protected:
    void updateGeometries() override;

private:
    void placeEditors();
    int editorHeight() const;

    QList<QLineEdit *> m_editors;
};
