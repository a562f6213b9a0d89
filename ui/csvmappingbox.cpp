#include "csvmappingbox.h"

#include <QComboBox>
#include <QGridLayout>
#include <QLabel>
#include <QSignalBlocker>

CsvMappingBox::CsvMappingBox(const QString &title, const QStringList &fields, int perRow, QWidget *parent)
    : QGroupBox(title, parent), m_fields(fields)
{
    auto *grid = new QGridLayout(this);
    perRow = qMax(1, perRow);
    for (int i = 0; i < fields.size(); ++i) {
        auto *combo = new QComboBox(this);
        m_combos << combo;
        auto *label = new QLabel(fields.at(i) + u':', this);
        label->setBuddy(combo);
        grid->addWidget(label, i / perRow, (i % perRow) * 2);
        grid->addWidget(combo, i / perRow, (i % perRow) * 2 + 1);
        connect(combo, &QComboBox::currentIndexChanged, this, &CsvMappingBox::mappingChanged);
    }
}

void CsvMappingBox::setHeader(const QStringList &header, const QList<int> &guess, bool regardless)
{
    if (!regardless && header == m_header && !m_header.isEmpty())
        return;
    m_header = header;
    for (int i = 0; i < m_combos.size(); ++i) {
        QComboBox *combo = m_combos.at(i);
        const QSignalBlocker blocker(combo);
        combo->clear();
        combo->addItem(tr("(not imported)"), -1);
        for (qsizetype c = 0; c < header.size(); ++c)
            combo->addItem(header.at(c), int(c));
        combo->setCurrentIndex(qMax(0, combo->findData(guess.value(i, -1))));
    }
    Q_EMIT mappingChanged();
}

int CsvMappingBox::column(int field) const
{
    const QComboBox *combo = m_combos.value(field);
    return combo && combo->currentIndex() >= 0 ? combo->currentData().toInt() : -1;
}

QList<int> CsvMappingBox::columns() const
{
    QList<int> out;
    for (int i = 0; i < m_combos.size(); ++i)
        out << column(i);
    return out;
}

QStringList CsvMappingBox::columnNotes() const
{
    QStringList notes(m_header.size());
    for (int f = 0; f < m_combos.size(); ++f) {
        const int c = column(f);
        if (c >= 0 && c < notes.size())
            notes[c] += u"\n→ " + m_fields.at(f);
    }
    return notes;
}
