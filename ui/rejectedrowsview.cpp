#include "rejectedrowsview.h"

#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>

namespace {
QTableWidgetItem *readOnlyItem(const QString &text)
{
    auto *item = new QTableWidgetItem(text);
    item->setFlags(item->flags() & ~Qt::ItemIsEditable);
    return item;
}
} // namespace

RejectedRowsView::RejectedRowsView(QWidget *parent)
    : QWidget(parent), m_table(new QTableWidget(this)),
      m_save(new QPushButton(tr("Save rejected rows…"), this))
{
    m_table->setObjectName(QStringLiteral("rejectedRows"));
    m_save->setObjectName(QStringLiteral("saveRejectedRows"));
    m_table->setColumnCount(3);
    m_table->setHorizontalHeaderLabels({ tr("Line"), tr("Field"), tr("Why it is rejected") });
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->verticalHeader()->setVisible(false);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setAlternatingRowColors(true);
    m_table->horizontalHeader()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setSectionResizeMode(1, QHeaderView::ResizeToContents);
    // Room for about eight rejected rows before scrolling, whatever the splitter does.
    m_table->setMinimumHeight(m_table->horizontalHeader()->sizeHint().height()
                              + 8 * m_table->verticalHeader()->defaultSectionSize() + 4);
    m_table->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
    m_save->setEnabled(false);
    m_save->setAutoDefault(false);

    auto *buttons = new QHBoxLayout;
    buttons->addStretch(1);
    buttons->addWidget(m_save);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_table, 1);
    layout->addLayout(buttons);
    connect(m_save, &QPushButton::clicked, this, &RejectedRowsView::saveRequested);
}

void RejectedRowsView::setRows(const QList<ContactImport::RowFailure> &rows, qint64 total)
{
    const int shown = int(qMin<qsizetype>(ShownRows, rows.size()));
    m_table->setRowCount(shown);
    for (int i = 0; i < shown; ++i) {
        const ContactImport::RowFailure &f = rows.at(i);
        m_table->setItem(i, 0, readOnlyItem(QString::number(f.line)));
        m_table->setItem(i, 1, readOnlyItem(f.field));
        m_table->setItem(i, 2, readOnlyItem(f.reason));
    }
    m_save->setEnabled(total > 0);
}

void RejectedRowsView::clear()
{
    m_table->setRowCount(0);
    m_save->setEnabled(false);
}

int RejectedRowsView::shownRows() const
{
    return m_table->rowCount();
}

QString RejectedRowsView::askSavePath(const QString &csvPath)
{
    const QFileInfo csv(csvPath);
    return QFileDialog::getSaveFileName(
        this, tr("Save rejected rows"),
        csv.absoluteDir().filePath(csv.completeBaseName() + tr("-rejected.csv")),
        tr("CSV files (*.csv);;All files (*)"));
}
