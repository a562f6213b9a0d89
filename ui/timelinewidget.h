#pragma once

#include "batch/contactpreview.h"

#include <QWidget>

// A drawn strip of one contact's coming year: exclusion windows shaded, emails as marks
// (hollow when skipped), and a line at "today". Emails after the span are counted in the
// header, not drawn. Hovering a mark explains it.
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
    // How many emails of the shown schedule fall after the span (named, not drawn).
    int emailsAfterSpan() const;

    // Where the texts around the strip go; empty rects for texts not shown. Painting uses it,
    // and tests check that nothing overlaps.
    struct Labels
    {
        QRectF today;
        QString todayText;
        QRectF later; // "N more after <month> ▸" in the header row
        QString laterText;
        QRectF notice; // the year-round notice in the strip's top row
        QString noticeText;
    };
    Labels labels() const;
    QRectF plotRect() const;
    double xOf(QDate date) const;

protected:
    void paintEvent(QPaintEvent *event) override;
    bool event(QEvent *event) override;

private:
    double laneY(EmailType type) const;
    int emailAt(QPoint pos) const; // index into the schedule's emails, -1 none
    bool inSpan(QDate date) const;

    ContactPreview m_preview;
    bool m_hasData = false;
};
