#include "timelinewidget.h"

#include "explain.h"
#include "schedulepreviewmodel.h"

#include <QHelpEvent>
#include <QLocale>
#include <QPainter>
#include <QPainterPath>
#include <QToolTip>

namespace {
constexpr int kMarkRadius = 5;

QString shortTypeLabel(EmailType type)
{
    switch (type) {
    case EmailType::Birthday:
        return TimelineWidget::tr("Birthday");
    case EmailType::EffectiveDate:
        return TimelineWidget::tr("Anniversary");
    case EmailType::Aep:
        return TimelineWidget::tr("AEP");
    case EmailType::PostWindow:
        return TimelineWidget::tr("Follow-up");
    }
    return {};
}
constexpr int kLabelHeight = 16;
} // namespace

TimelineWidget::TimelineWidget(QWidget *parent) : QWidget(parent)
{
    setObjectName(QStringLiteral("timeline"));
    setMouseTracking(true);
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
}

QSize TimelineWidget::sizeHint() const
{
    return { 480, 120 };
}

QSize TimelineWidget::minimumSizeHint() const
{
    return { 240, 120 };
}

void TimelineWidget::setPreview(const ContactPreview &preview)
{
    m_preview = preview;
    m_hasData = preview.found && preview.from.isValid();
    update();
}

void TimelineWidget::clear()
{
    m_preview = {};
    m_hasData = false;
    update();
}

QColor TimelineWidget::typeColor(EmailType type)
{
    switch (type) {
    case EmailType::Birthday:
        return QColor(0x2f, 0x7e, 0xd8);
    case EmailType::EffectiveDate:
        return QColor(0x2e, 0x9e, 0x5b);
    case EmailType::Aep:
        return QColor(0x8e, 0x44, 0xad);
    case EmailType::PostWindow:
        return QColor(0xe6, 0x7e, 0x22);
    }
    return Qt::gray;
}

QRectF TimelineWidget::plotRect() const
{
    return QRectF(8, 6, width() - 16, height() - 6 - 2 * kLabelHeight);
}

double TimelineWidget::xOf(QDate date) const
{
    const QRectF plot = plotRect();
    const double span = double(m_preview.from.daysTo(m_preview.to));
    const double offset = double(m_preview.from.daysTo(date));
    return plot.left() + plot.width() * qBound(0.0, offset / span, 1.0);
}

void TimelineWidget::paintEvent(QPaintEvent *)
{
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    const QPalette pal = palette();
    p.fillRect(rect(), pal.base());
    const QRectF plot = plotRect();
    if (!m_hasData) {
        p.setPen(pal.color(QPalette::PlaceholderText));
        p.drawText(rect(), Qt::AlignCenter, tr("Select a contact to see its year"));
        return;
    }

    // Exclusion windows (or the whole span in a year-round state).
    const QColor windowColor(0xe7, 0x4c, 0x3c, 60);
    if (m_preview.yearRound) {
        p.fillRect(plot, QBrush(windowColor, Qt::BDiagPattern));
        p.setPen(pal.color(QPalette::Text));
        p.drawText(plot.adjusted(4, 2, -4, -2), Qt::AlignLeft | Qt::AlignTop,
                   tr("Year-round rule: no marketing emails"));
    }
    for (const ExclusionWindow &w : m_preview.windows) {
        const QRectF band(QPointF(xOf(w.start), plot.top()), QPointF(xOf(w.end.addDays(1)), plot.bottom()));
        p.fillRect(band, windowColor);
        // The statutory part is darker than the lead-up.
        const QRectF statutory(QPointF(xOf(w.statutoryStart), plot.top()),
                               QPointF(xOf(w.end.addDays(1)), plot.bottom()));
        p.fillRect(statutory, QColor(0xe7, 0x4c, 0x3c, 50));
    }

    // Axis with month ticks.
    p.setPen(pal.color(QPalette::Mid));
    p.drawLine(QPointF(plot.left(), plot.bottom()), QPointF(plot.right(), plot.bottom()));
    const QLocale locale;
    QDate month(m_preview.from.year(), m_preview.from.month(), 1);
    if (month < m_preview.from)
        month = month.addMonths(1);
    const QFontMetrics fm = fontMetrics();
    double labelEnd = -1;
    for (; month <= m_preview.to; month = month.addMonths(1)) {
        const double x = xOf(month);
        p.setPen(pal.color(QPalette::Mid));
        p.drawLine(QPointF(x, plot.bottom()), QPointF(x, plot.bottom() + 4));
        const QString label = month.month() == 1 ? locale.toString(month, QStringLiteral("MMM yyyy"))
                                                 : locale.toString(month, QStringLiteral("MMM"));
        // Narrow widgets skip labels rather than overprint them.
        if (x > labelEnd && x + fm.horizontalAdvance(label) + 2 < width()) {
            labelEnd = x + fm.horizontalAdvance(label) + 6;
            p.setPen(pal.color(QPalette::Text));
            p.drawText(QPointF(x + 2, plot.bottom() + fm.ascent() + 2), label);
        }
    }

    // Today.
    const double tx = xOf(m_preview.today);
    QPen todayPen(QColor(0xc0, 0x39, 0x2b), 1.5, Qt::DashLine);
    p.setPen(todayPen);
    p.drawLine(QPointF(tx, plot.top()), QPointF(tx, plot.bottom()));
    p.drawText(QPointF(tx + 3, plot.top() + fm.ascent()), tr("Today"));

    // Emails: a stem and a dot per email, one lane per type so same-day emails stay visible.
    const auto &emails = m_preview.schedule.emails;
    for (std::size_t i = 0; i < emails.size(); ++i) {
        const ScheduledEmail &e = emails[i];
        const double x = xOf(e.date);
        const double lane = plot.top() + plot.height() * (0.3 + 0.15 * int(e.type));
        const QColor color = typeColor(e.type);
        const bool skipped = e.status == EmailStatus::Skipped;
        p.setPen(QPen(color, 1));
        p.drawLine(QPointF(x, lane), QPointF(x, plot.bottom()));
        p.setPen(QPen(color, 2));
        p.setBrush(skipped ? QBrush(pal.color(QPalette::Base)) : QBrush(color));
        p.drawEllipse(QPointF(x, lane), kMarkRadius, kMarkRadius);
        if (skipped) {
            p.drawLine(QPointF(x - 3, lane - 3), QPointF(x + 3, lane + 3));
        }
    }

    // Legend.
    double lx = plot.left();
    const double ly = height() - kLabelHeight / 2.0;
    for (int t = 0; t < EmailTypeCount; ++t) {
        const auto type = static_cast<EmailType>(t);
        const QString name = shortTypeLabel(type);
        p.setPen(Qt::NoPen);
        p.setBrush(typeColor(type));
        p.drawEllipse(QPointF(lx + 4, ly), 4, 4);
        p.setPen(pal.color(QPalette::Text));
        p.drawText(QPointF(lx + 11, ly + fm.ascent() / 2.0 - 1), name);
        lx += 11 + fm.horizontalAdvance(name) + 12;
    }
    p.fillRect(QRectF(lx, ly - 5, 14, 10), windowColor);
    p.drawText(QPointF(lx + 18, ly + fm.ascent() / 2.0 - 1), tr("Rule window"));
}

int TimelineWidget::emailAt(QPoint pos) const
{
    if (!m_hasData)
        return -1;
    const QRectF plot = plotRect();
    const auto &emails = m_preview.schedule.emails;
    for (std::size_t i = 0; i < emails.size(); ++i) {
        const double x = xOf(emails[i].date);
        const double lane = plot.top() + plot.height() * (0.3 + 0.15 * int(emails[i].type));
        if (qAbs(pos.x() - x) <= kMarkRadius + 2 && qAbs(pos.y() - lane) <= kMarkRadius + 2)
            return int(i);
    }
    return -1;
}

bool TimelineWidget::event(QEvent *event)
{
    if (event->type() == QEvent::ToolTip) {
        auto *help = static_cast<QHelpEvent *>(event);
        const int i = emailAt(help->pos());
        if (i >= 0) {
            const ScheduledEmail &e = m_preview.schedule.emails[std::size_t(i)];
            QToolTip::showText(help->globalPos(),
                               SchedulePreviewModel::typeLabel(e.type) % u" — "
                                   % QLocale().toString(e.date, QStringLiteral("MMM d, yyyy")) % u"\n"
                                   % Explain::explainEmail(m_preview.schedule, e),
                               this);
        } else {
            QToolTip::hideText();
            event->ignore();
        }
        return true;
    }
    return QWidget::event(event);
}
