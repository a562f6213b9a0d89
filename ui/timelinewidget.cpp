#include "timelinewidget.h"

#include "explain.h"
#include "items/emailtypelabel.h"

#include <QHelpEvent>
#include <QLocale>
#include <QPainter>
#include <QPainterPath>
#include <QToolTip>

#include <algorithm>

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
        return TimelineWidget::tr("After window");
    case EmailType::Campaign:
        return TimelineWidget::tr("Campaign");
    case EmailType::FollowupCold:
    case EmailType::FollowupClickedNoHq:
    case EmailType::FollowupHqNoYes:
    case EmailType::FollowupHqWithYes:
        return TimelineWidget::tr("Follow-up");
    }
    return {};
}
constexpr int kLabelHeight = 16;

// The mark of a pinned email (campaign, follow-up): load balancing never moves it.
QPolygonF diamond(QPointF centre, double r)
{
    return QPolygonF(
        { centre + QPointF(0, -r), centre + QPointF(r, 0), centre + QPointF(0, r), centre + QPointF(-r, 0) });
}
// The row above the strip: the "Today" label and the markers of emails beyond the span, so
// neither is drawn over the year-round notice or inside a shaded window.
constexpr int kHeaderHeight = 18;
} // namespace

TimelineWidget::TimelineWidget(QWidget *parent) : QWidget(parent)
{
    setObjectName(QStringLiteral("timeline"));
    setMouseTracking(true);
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
}

QSize TimelineWidget::sizeHint() const
{
    return { 480, 172 };
}

QSize TimelineWidget::minimumSizeHint() const
{
    return { 240, 172 };
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
    case EmailType::Campaign:
        return QColor(0xc0, 0x39, 0x2b);
    case EmailType::FollowupCold:
    case EmailType::FollowupClickedNoHq:
    case EmailType::FollowupHqNoYes:
    case EmailType::FollowupHqWithYes:
        return QColor(0x16, 0xa0, 0x85);
    }
    return Qt::gray;
}

QRectF TimelineWidget::plotRect() const
{
    // Below the strip: the month labels, then the legend (two rows when the widget is narrow).
    return QRectF(8, kHeaderHeight, width() - 16, height() - kHeaderHeight - 3 * kLabelHeight);
}

double TimelineWidget::laneY(EmailType type) const
{
    // One lane per kind (the follow-up types share one), so same-day emails stay visible;
    // lanes start below the strip's top row, which holds the year-round notice.
    const QRectF plot = plotRect();
    const auto lane = std::find(ChartKinds.begin(), ChartKinds.end(), chartKindOf(type)) - ChartKinds.begin();
    return plot.top() + plot.height() * (0.30 + 0.125 * double(lane));
}

TimelineWidget::Labels TimelineWidget::labels() const
{
    Labels out;
    if (!m_hasData)
        return out;
    const QFontMetrics fm = fontMetrics();
    const QRectF plot = plotRect();
    const double tx = xOf(m_preview.today);
    const double rowHeight = fm.height();
    const double rowTop = qMax(0.0, kHeaderHeight - 3 - rowHeight);

    out.todayText = tr("Today");
    const double todayWidth = fm.horizontalAdvance(out.todayText) + 4;
    const double todayLeft = qBound(0.0, tx - todayWidth / 2.0, qMax(0.0, width() - todayWidth));
    out.today = QRectF(todayLeft, rowTop, todayWidth, rowHeight);

    if (const int later = emailsAfterSpan(); later > 0) {
        out.laterText = tr("%n more after %1 ▸", "", later)
                            .arg(QLocale().toString(m_preview.to, QStringLiteral("MMM yyyy")));
        const double w = fm.horizontalAdvance(out.laterText) + 4;
        const double right = width() - 4.0;
        if (right - w > out.today.right() + 8)
            out.later = QRectF(right - w, rowTop, w, rowHeight);
        else
            out.laterText.clear(); // no room beside "Today": the table below lists every email
    }

    if (m_preview.yearRound) {
        const double left = qMax(plot.left() + 4, tx + 6);
        const double room = plot.right() - 4 - left - 8;
        out.noticeText = fm.elidedText(tr("Year-round rule: no marketing emails"), Qt::ElideRight, int(room));
        if (room > 24 && !out.noticeText.isEmpty())
            out.notice
                = QRectF(left, plot.top() + 2, fm.horizontalAdvance(out.noticeText) + 8, rowHeight + 2);
        else
            out.noticeText.clear();
    }
    return out;
}

bool TimelineWidget::inSpan(QDate date) const
{
    return date.isValid() && date >= m_preview.from && date <= m_preview.to;
}

int TimelineWidget::emailsAfterSpan() const
{
    const auto &emails = m_preview.schedule.emails;
    return int(std::count_if(emails.begin(), emails.end(), [this](const ScheduledEmail &e) {
        return e.date.isValid() && e.date > m_preview.to;
    }));
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
    const QFontMetrics fm = fontMetrics();
    const double tx = xOf(m_preview.today);
    const QLocale locale;
    if (m_preview.yearRound)
        p.fillRect(plot, QBrush(windowColor, Qt::BDiagPattern));
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
    QDate month(m_preview.from.year(), m_preview.from.month(), 1);
    if (month < m_preview.from)
        month = month.addMonths(1);
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

    // Today: the line through the strip, its label in the header row above it; the count of
    // later emails in the header too, and the year-round notice on a backing in the strip's
    // top row right of the line (labels() places them so that none overlaps another).
    const Labels placed = labels();
    const QColor todayColor(0xc0, 0x39, 0x2b);
    p.setPen(QPen(todayColor, 1.5, Qt::DashLine));
    p.drawLine(QPointF(tx, plot.top() - 3), QPointF(tx, plot.bottom()));
    p.setPen(todayColor);
    p.drawText(placed.today, Qt::AlignCenter, placed.todayText);
    if (!placed.later.isEmpty()) {
        p.setPen(pal.color(QPalette::Text));
        p.drawText(placed.later, Qt::AlignRight | Qt::AlignVCenter, placed.laterText);
    }
    if (!placed.notice.isEmpty()) {
        QColor back = pal.color(QPalette::Base);
        back.setAlpha(235);
        p.fillRect(placed.notice, back);
        p.setPen(pal.color(QPalette::Text));
        p.drawText(placed.notice, Qt::AlignCenter, placed.noticeText);
    }

    // Emails: a stem and a dot per email, one lane per type so same-day emails stay visible.
    const auto &emails = m_preview.schedule.emails;
    for (std::size_t i = 0; i < emails.size(); ++i) {
        const ScheduledEmail &e = emails[i];
        if (!inSpan(e.date))
            continue; // beyond the span: counted in the header, never drawn at an edge
        const double x = xOf(e.date);
        const double lane = laneY(e.type);
        const QColor color = typeColor(e.type);
        const bool skipped = e.status == EmailStatus::Skipped;
        p.setPen(QPen(color, 1));
        p.drawLine(QPointF(x, lane), QPointF(x, plot.bottom()));
        p.setPen(QPen(color, 2));
        p.setBrush(skipped ? QBrush(pal.color(QPalette::Base)) : QBrush(color));
        if (isPinned(e.type)) // campaigns and follow-ups: a diamond, they keep their day
            p.drawPolygon(diamond(QPointF(x, lane), kMarkRadius + 1));
        else
            p.drawEllipse(QPointF(x, lane), kMarkRadius, kMarkRadius);
        if (skipped) {
            p.drawLine(QPointF(x - 3, lane - 3), QPointF(x + 3, lane + 3));
        }
    }

    // Legend: one row when it fits, else it wraps onto the row below.
    double lx = plot.left();
    double ly = height() - kLabelHeight * 1.5;
    const auto place = [&](double w) {
        if (lx > plot.left() && lx + w > width() - 4.0) {
            lx = plot.left();
            ly += kLabelHeight;
        }
    };
    for (EmailType type : ChartKinds) {
        const QString name = shortTypeLabel(type);
        place(11 + fm.horizontalAdvance(name));
        p.setPen(Qt::NoPen);
        p.setBrush(typeColor(type));
        if (isPinned(type))
            p.drawPolygon(diamond(QPointF(lx + 4, ly), 5));
        else
            p.drawEllipse(QPointF(lx + 4, ly), 4, 4);
        p.setPen(pal.color(QPalette::Text));
        p.drawText(QPointF(lx + 11, ly + fm.ascent() / 2.0 - 1), name);
        lx += 11 + fm.horizontalAdvance(name) + 10;
    }
    const QString windowText = tr("Rule window");
    place(18 + fm.horizontalAdvance(windowText));
    p.fillRect(QRectF(lx, ly - 5, 14, 10), windowColor);
    p.drawText(QPointF(lx + 18, ly + fm.ascent() / 2.0 - 1), windowText);
}

int TimelineWidget::emailAt(QPoint pos) const
{
    if (!m_hasData)
        return -1;
    const auto &emails = m_preview.schedule.emails;
    for (std::size_t i = 0; i < emails.size(); ++i) {
        if (!inSpan(emails[i].date))
            continue;
        const double x = xOf(emails[i].date);
        const double lane = laneY(emails[i].type);
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
            QToolTip::showText(
                help->globalPos(),
                emailLabel(e, m_preview.campaigns.get()) % u" — "
                    % QLocale().toString(e.date, QStringLiteral("MMM d, yyyy"))
                    % (isPinned(e.type) ? tr(" (pinned: the daily cap never moves it)") : QString()) % u"\n"
                    % Explain::explainEmail(m_preview.schedule, e, m_preview.campaigns.get()),
                this);
        } else {
            QToolTip::hideText();
            event->ignore();
        }
        return true;
    }
    return QWidget::event(event);
}
