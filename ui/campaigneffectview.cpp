#include "campaigneffectview.h"

#include <QCoreApplication>
#include <QHelpEvent>
#include <QLabel>
#include <QLocale>
#include <QPainter>
#include <QStringList>
#include <QToolTip>
#include <QVBoxLayout>

#include <algorithm>

namespace {
QString effectTr(const char *text, int n = -1)
{
    return QCoreApplication::translate("CampaignEffectView", text, nullptr, n);
}

// "+12" / "−12" (a real minus sign) / "±0".
QString signedCount(qint64 n)
{
    const QString digits = QLocale().toString(n < 0 ? -n : n);
    if (n > 0)
        return u'+' + digits;
    if (n < 0)
        return QChar(0x2212) + digits;
    return QStringLiteral("±0");
}

QString shortDate(QDate day)
{
    return QLocale().toString(day, QStringLiteral("MMM d"));
}
} // namespace

EffectChart::EffectChart(QWidget *parent) : QWidget(parent)
{
    setMinimumHeight(110);
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
    setMouseTracking(true);
}

void EffectChart::setEffect(const CampaignEffect &effect)
{
    m_after = effect;
    m_before = {};
    m_hasBefore = false;
    update();
}

void EffectChart::setChange(const CampaignChange &change)
{
    m_after = change.after;
    m_before = change.before;
    // Outlines only where they tell something: an unchanged instance shows its bars alone.
    m_hasBefore = !change.before.perDay.empty() && change.before.perDay != change.after.perDay;
    update();
}

void EffectChart::clear()
{
    m_after = {};
    m_before = {};
    m_hasBefore = false;
    update();
}

QRectF EffectChart::plot() const
{
    return QRectF(40, 8, width() - 48, height() - 28);
}

QDate EffectChart::first() const
{
    QDate day = m_after.perDay.empty() ? QDate() : m_after.perDay.begin()->first;
    if (m_hasBefore && (!day.isValid() || m_before.perDay.begin()->first < day))
        day = m_before.perDay.begin()->first;
    return day;
}

QDate EffectChart::last() const
{
    QDate day = m_after.perDay.empty() ? QDate() : m_after.perDay.rbegin()->first;
    if (m_hasBefore && (!day.isValid() || m_before.perDay.rbegin()->first > day))
        day = m_before.perDay.rbegin()->first;
    return day;
}

qint64 EffectChart::busiest() const
{
    return std::max<qint64>({ 1, m_after.busiestDay(), m_hasBefore ? m_before.busiestDay() : 0 });
}

bool EffectChart::capInRange() const
{
    // A cap far above the bars would flatten them to a line: it is then named, not drawn.
    return m_after.dailyCap > 0 && m_after.dailyCap <= 3 * busiest();
}

qint64 EffectChart::top() const
{
    return capInRange() ? std::max<qint64>(busiest(), m_after.dailyCap) : busiest();
}

void EffectChart::paintEvent(QPaintEvent *)
{
    QPainter p(this);
    p.fillRect(rect(), palette().base());
    const QRectF area = plot();
    p.setPen(palette().color(QPalette::Mid));
    p.drawRect(area);
    if (m_after.perDay.empty() && !m_hasBefore) {
        p.setPen(palette().color(QPalette::PlaceholderText));
        p.drawText(area, Qt::AlignCenter, effectTr("No emails on any day"));
        return;
    }
    const qint64 days = first().daysTo(last()) + 1;
    const double step = area.width() / double(days);
    const double scale = area.height() / double(top());
    const auto bar = [&](QDate day, qint64 count) {
        const double x = area.left() + step * double(first().daysTo(day));
        const double h = double(count) * scale;
        return QRectF(x + step * 0.1, area.bottom() - h, std::max(1.0, step * 0.8), h);
    };
    for (const auto &[day, count] : m_after.perDay) {
        const bool over = m_after.dailyCap > 0 && count > m_after.dailyCap;
        p.fillRect(bar(day, count), over ? QColor(0xc0, 0x39, 0x2b) : QColor(0x16, 0xa0, 0x85));
    }
    if (m_hasBefore) {
        // What the instance sent before the change: an outline over the new bars.
        QPen pen(QColor(0x34, 0x49, 0x5e));
        pen.setWidthF(1.2);
        p.setPen(pen);
        p.setBrush(Qt::NoBrush);
        for (const auto &[day, count] : m_before.perDay)
            p.drawRect(bar(day, count));
    }
    p.setPen(palette().color(QPalette::Text));
    p.drawText(QRectF(0, area.top() - 6, 36, 14), Qt::AlignRight, QLocale().toString(top()));
    p.drawText(QRectF(0, area.bottom() - 8, 36, 14), Qt::AlignRight, QStringLiteral("0"));
    const QLocale locale;
    p.drawText(QRectF(area.left(), area.bottom() + 3, area.width() / 2, 16), Qt::AlignLeft,
               locale.toString(first(), QStringLiteral("MMM d")));
    p.drawText(QRectF(area.center().x(), area.bottom() + 3, area.width() / 2, 16), Qt::AlignRight,
               locale.toString(last(), QStringLiteral("MMM d, yyyy")));
    if (m_hasBefore) {
        // The key, inside the plot's top left (the cap's note takes the top right).
        const QString key = effectTr("outlined: before the change");
        const QRectF box(area.left() + 4, area.top() + 2, fontMetrics().horizontalAdvance(key) + 8, 15);
        QColor back = palette().color(QPalette::Base);
        back.setAlpha(225);
        p.fillRect(box, back);
        p.setPen(QColor(0x34, 0x49, 0x5e));
        p.drawText(box, Qt::AlignCenter, key);
    }
    if (m_after.dailyCap > 0 && !capInRange()) {
        p.setPen(QColor(0xc0, 0x39, 0x2b));
        p.drawText(area.adjusted(4, 2, -4, 0), Qt::AlignRight | Qt::AlignTop,
                   effectTr("daily cap %1, far above").arg(locale.toString(m_after.dailyCap)));
    } else if (m_after.dailyCap > 0) {
        const double y = area.bottom() - double(m_after.dailyCap) * scale;
        QPen pen(QColor(0xc0, 0x39, 0x2b));
        pen.setStyle(Qt::DashLine);
        p.setPen(pen);
        p.drawLine(QPointF(area.left(), y), QPointF(area.right(), y));
        // On a backing: the bars of a crowded campaign reach above the line. Below the line
        // when there is no room above it.
        const QString cap = effectTr("daily cap %1").arg(locale.toString(m_after.dailyCap));
        const double boxTop = y - 16 < area.top() ? y + 2 : y - 16;
        const QRectF box(area.left() + 4, boxTop, fontMetrics().horizontalAdvance(cap) + 8, 15);
        QColor back = palette().color(QPalette::Base);
        back.setAlpha(225);
        p.fillRect(box, back);
        p.drawText(box, Qt::AlignCenter, cap);
    }
}

bool EffectChart::event(QEvent *e)
{
    if (e->type() == QEvent::ToolTip && first().isValid()) {
        const auto *help = static_cast<QHelpEvent *>(e);
        const QRectF area = plot();
        const qint64 days = first().daysTo(last()) + 1;
        const int index = int((help->pos().x() - area.left()) / (area.width() / double(days)));
        const QDate day = first().addDays(index);
        const auto countOn = [day](const CampaignEffect &effect) {
            const auto it = effect.perDay.find(day);
            return it == effect.perDay.end() ? qint64(0) : it->second;
        };
        if (index >= 0 && index < days) {
            QString text = effectTr("%1: %n email(s)", int(countOn(m_after)))
                               .arg(QLocale().toString(day, QStringLiteral("ddd MMM d, yyyy")));
            if (m_hasBefore && countOn(m_before) != countOn(m_after))
                text += u' ' + effectTr("(%1 before the change)").arg(QLocale().toString(countOn(m_before)));
            QToolTip::showText(help->globalPos(), text, this);
        }
        return true;
    }
    return QWidget::event(e);
}

QString campaignChangeText(const CampaignChange &change)
{
    const QLocale locale;
    const CampaignEffect &before = change.before;
    const CampaignEffect &after = change.after;
    QStringList lines;
    if (before.audience == after.audience && before.scheduled == after.scheduled
        && before.perDay == after.perDay && change.othersBefore == change.othersAfter)
        return effectTr("No change to its audience (%1 contacts) or its sends per day.")
            .arg(locale.toString(after.audience));
    if (before.audience == after.audience && before.scheduled == after.scheduled)
        lines << effectTr("Audience: no change (%1 contacts, %2 emails pre-scheduled).")
                     .arg(locale.toString(after.audience), locale.toString(after.scheduled));
    else
        lines << effectTr("Audience: %1 → %2 contacts (%3); emails pre-scheduled: %4 → %5 (%6).")
                     .arg(locale.toString(before.audience), locale.toString(after.audience),
                          signedCount(after.audience - before.audience), locale.toString(before.scheduled),
                          locale.toString(after.scheduled), signedCount(after.scheduled - before.scheduled));

    // Sends per day: the days that gain and the days that lose, and the busiest day against the cap.
    const std::map<QDate, qint64> delta = change.perDayChange();
    qint64 added = 0;
    qint64 removed = 0;
    qint64 addedDays = 0;
    qint64 removedDays = 0;
    QDate firstAdded;
    QDate firstRemoved;
    for (const auto &[day, count] : delta) {
        if (count > 0) {
            added += count;
            ++addedDays;
            firstAdded = firstAdded.isValid() ? firstAdded : day;
        } else {
            removed -= count;
            ++removedDays;
            firstRemoved = firstRemoved.isValid() ? firstRemoved : day;
        }
    }
    QStringList perDay;
    if (added > 0)
        perDay << effectTr("%1 emails on %2 day(s) from %3")
                      .arg(signedCount(added), locale.toString(addedDays), shortDate(firstAdded));
    if (removed > 0)
        perDay << effectTr("%1 emails on %2 day(s) from %3")
                      .arg(signedCount(-removed), locale.toString(removedDays), shortDate(firstRemoved));
    QString sends = perDay.isEmpty() ? effectTr("Sends per day: no change")
                                     : effectTr("Sends per day: %1").arg(perDay.join(u"; "));
    if (!after.perDay.empty()) {
        sends += u"; "
            + effectTr("busiest day %1 emails (was %2)")
                  .arg(locale.toString(after.busiestDay()), locale.toString(before.busiestDay()));
        if (after.dailyCap > 0)
            sends += u", " + effectTr("daily cap %1").arg(locale.toString(after.dailyCap));
    }
    lines << sends + u'.';
    if (const QString others = campaignOthersText(change); !others.isEmpty())
        lines << others;
    return lines.join(u'\n');
}

QString campaignOthersText(const CampaignChange &change)
{
    if (change.othersBefore == change.othersAfter)
        return {};
    const QLocale locale;
    return effectTr("Other campaigns: %1 → %2 emails pre-scheduled (%3).")
        .arg(locale.toString(change.othersBefore), locale.toString(change.othersAfter),
             signedCount(change.othersAfter - change.othersBefore));
}

CampaignChangeView::CampaignChangeView(QWidget *parent)
    : QWidget(parent), m_text(new QLabel(this)), m_chart(new EffectChart(this))
{
    m_text->setObjectName(QStringLiteral("campaignChange"));
    m_text->setWordWrap(true);
    m_text->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_text);
    layout->addWidget(m_chart);
}

void CampaignChangeView::showWorking()
{
    m_shown = false;
    m_chart->clear();
    m_text->setText(effectTr("Working out the effect…"));
}

void CampaignChangeView::showError(const QString &message)
{
    m_chart->clear();
    m_text->setText(message);
    m_shown = true;
    Q_EMIT shown();
}

void CampaignChangeView::showChange(const CampaignChange &change, const QString &lead)
{
    m_chart->setChange(change);
    const QString lines = campaignChangeText(change);
    m_text->setText(lead.isEmpty() ? lines : QString(lead + u'\n' + lines));
    m_shown = true;
    Q_EMIT shown();
}

QString CampaignChangeView::text() const
{
    return m_text->text();
}
