#pragma once

#include <QString>

class QMimeData;
class QTableView;

// Copy of a table's selection as tab-separated text and as an HTML table (spreadsheets and
// mail programs take either), columns in their on-screen order, with a header row.
namespace TableClipboard {

// The selected rows of `view`; nullptr when nothing is selected.
QMimeData *selectionMimeData(const QTableView *view, bool withHeaders = true);
// Puts it on the clipboard; returns the number of rows copied.
int copySelection(const QTableView *view, bool withHeaders = true);

} // namespace TableClipboard
