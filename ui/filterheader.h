#pragma once

#include <QHeaderView>
#include <QList>

class QLineEdit;

// A table header with a filter box under every section. Each box belongs to one logical column
// and stays under it when sections move, resize, hide or the table scrolls sideways; the header
// says what was typed and leaves debouncing to its owner.
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
    // The logical column of a filter box (-1 when it is not one of ours).
    int columnOf(const QWidget *editor) const;
    // The boxes of the shown sections, left to right as the user sees them: the Tab order.
    QList<QLineEdit *> editorsInVisualOrder() const;
    // Scrolls the table sideways until section `logical` (and its filter box) is in view.
    void ensureSectionVisible(int logical);

    QSize sizeHint() const override;

Q_SIGNALS:
    void filterEdited(int logical, const QString &text);
    // Enter in a filter box: apply at once.
    void filterSubmitted(int logical);
    // The boxes changed their left-to-right order (a section moved, was hidden or shown).
    void visualOrderChanged();

protected:
    void updateGeometries() override;
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void placeEditors();
    void markActive(QLineEdit *edit);
    int editorHeight() const;

    QList<QLineEdit *> m_editors;
    QList<int> m_lastOrder; // logical indexes of the shown sections, left to right
};
