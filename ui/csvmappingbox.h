#pragma once

#include <QGroupBox>
#include <QList>
#include <QStringList>

class QComboBox;

// The "columns → fields" part of a CSV import: one box per field listing the file's columns
// (or "(not imported)"), preset from a guess. Shared by contact import and campaign enrolment.
class CsvMappingBox final : public QGroupBox
{
    Q_OBJECT

public:
    // `fields`: the display names, in field order; `perRow` boxes on each row of the grid.
    CsvMappingBox(const QString &title, const QStringList &fields, int perRow, QWidget *parent = nullptr);

    // The file's header; `guess` holds a column per field (-1: not imported). Unless `regardless`
    // (another file), the boxes are rebuilt only when the header differs from the current one,
    // so a choice survives reading the same file with another separator or encoding.
    void setHeader(const QStringList &header, const QList<int> &guess, bool regardless = false);
    const QStringList &header() const { return m_header; }
    // The column chosen for `field`, -1 when it is not imported.
    int column(int field) const;
    QList<int> columns() const;
    QComboBox *combo(int field) const { return m_combos.value(field); }
    // "→ Field" lines for each column of the header, for the file preview's header labels.
    QStringList columnNotes() const;

Q_SIGNALS:
    void mappingChanged();

private:
    QStringList m_fields;
    QStringList m_header;
    QList<QComboBox *> m_combos;
};
