#pragma once

#include "contactpreview.h"

#include <QWidget>

// A drawn strip of one contact's coming year: exclusion windows shaded, emails as marks
// (hollow when skipped), and a line at "today". Hovering a mark explains it.
class TimelineWidget final : public QWidget
{
    Q_OBJECT

public:
    explicit TimelineWidget(QWidget *parent = nullptr);

    void setPreview(const ContactPreview &preview);
    void clear();

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

    // Colour of an email type, shared with the legend of the preview table.
    static QColor typeColor(EmailType type);

protected:
    void paintEvent(QPaintEvent *event) override;
    bool event(QEvent *event) override;

private:
    QRectF plotRect() const;
    double xOf(QDate date) const;
    int emailAt(QPoint pos) const; // index into the schedule's emails, -1 none

    ContactPreview m_preview;
    bool m_hasData = false;
};
