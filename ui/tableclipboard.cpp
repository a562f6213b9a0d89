#include "tableclipboard.h"

#include <QApplication>
#include <QClipboard>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QMimeData>
#include <QTableView>

#include <algorithm>

namespace {

QString tsvCell(QString text)
{
    text.replace(u'\t', u' ');
    text.replace(u'\n', u' ');
    text.replace(u'\r', u' ');
    return text;
}

} // namespace

QMimeData *TableClipboard::selectionMimeData(const QTableView *view, bool withHeaders)
{
    const QAbstractItemModel *model = view->model();
    const QItemSelectionModel *selection = view->selectionModel();
    if (!model || !selection || !selection->hasSelection())
        return nullptr;

    QList<int> rows;
    for (const QItemSelectionRange &range : selection->selection()) {
        for (int r = range.top(); r <= range.bottom(); ++r)
            rows.append(r);
    }
    std::sort(rows.begin(), rows.end());
    rows.erase(std::unique(rows.begin(), rows.end()), rows.end());

    const QHeaderView *header = view->horizontalHeader();
    QList<int> columns;
    for (int visual = 0; visual < header->count(); ++visual) {
        const int logical = header->logicalIndex(visual);
        if (!header->isSectionHidden(logical))
            columns.append(logical);
    }

    QString text;
    QString html = QStringLiteral("<table>");
    if (withHeaders) {
        QStringList cells;
        html += u"<tr>";
        for (int c : columns) {
            const QString title = model->headerData(c, Qt::Horizontal).toString();
            cells << tsvCell(title);
            html += u"<th>" % title.toHtmlEscaped() % u"</th>";
        }
        html += u"</tr>";
        text += cells.join(u'\t') % u'\n';
    }
    for (int r : rows) {
        QStringList cells;
        html += u"<tr>";
        for (int c : columns) {
            const QString value = model->index(r, c).data().toString();
            cells << tsvCell(value);
            html += u"<td>" % value.toHtmlEscaped() % u"</td>";
        }
        html += u"</tr>";
        text += cells.join(u'\t') % u'\n';
    }
    html += u"</table>";

    auto *mime = new QMimeData;
    mime->setText(text);
    mime->setHtml(html);
    return mime;
}

int TableClipboard::copySelection(const QTableView *view, bool withHeaders)
{
    QMimeData *mime = selectionMimeData(view, withHeaders);
    if (!mime)
        return 0;
    const int lines = int(mime->text().count(u'\n')) - (withHeaders ? 1 : 0);
    QApplication::clipboard()->setMimeData(mime);
    return lines;
}
