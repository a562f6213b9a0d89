#pragma once

#include "csv/contactimport.h"

#include <QWidget>

class QPushButton;
class QTableWidget;

// The rejected-rows part of a CSV import: line, field and why for the first rows that will not
// be imported, and "Save rejected rows…" (the owner writes all of them). Shared by contact
// import and campaign enrolment.
class RejectedRowsView final : public QWidget
{
    Q_OBJECT

public:
    // The table shows this many; all of them can be saved to a file.
    static constexpr int ShownRows = 1000;

    explicit RejectedRowsView(QWidget *parent = nullptr);

    // Shows the first ShownRows of `rows`; `total` counts all of them (for the save button).
    void setRows(const QList<ContactImport::RowFailure> &rows, qint64 total);
    void clear();
    int shownRows() const;
    QTableWidget *table() const { return m_table; }
    QPushButton *saveButton() const { return m_save; }

    // Asks where to save (proposing "<csv name>-rejected.csv" next to `csvPath`); empty when
    // the user cancelled.
    QString askSavePath(const QString &csvPath);

Q_SIGNALS:
    void saveRequested();

private:
    QTableWidget *m_table = nullptr;
    QPushButton *m_save = nullptr;
};
