#include "dailyloadview.h"

#include "items/dailyloadmodel.h"
#include "items/emailtypelabel.h"
#include "timelinewidget.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QHelpEvent>
#include <QLabel>
#include <QLocale>
#include <QMouseEvent>
#include <QPainter>
#include <QToolTip>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>
#include <functional>

namespace {

constexpr int kRanges[] = { 30, 90, 365 };
const QColor kOtherColor(0x95, 0x9c, 0xa6);
const QColor kCapColor(0xc0, 0x39, 0x2b);
// Background of a day over the cap, and of one above the overflow threshold.
constexpr int kOverCapAlpha = 45;
constexpr int kOverflowAlpha = 100;
// Drawn over the pinned part of a bar (campaign and follow-up emails, which the cap never moves).
const QBrush kPinnedHatch(QColor(255, 255, 255, 150), Qt::BDiagPattern);

// 1, 2 or 5 times a power of ten, at least `raw`: gridlines people can read at a glance.
qint64 niceStep(double raw)
{
    if (raw <= 1)
        return 1;
    const double power = std::pow(10.0, std::floor(std::log10(raw)));
    for (double factor : { 1.0, 2.0, 5.0, 10.0 }) {
        if (factor * power >= raw)
            return qint64(factor * power);
    }
    return qint64(10 * power);
}

} // namespace

// The painted bars of DailyLoadView; reads the model, reports clicks through a callback.
class DailyLoadChart final : public QWidget
{
public:
    DailyLoadChart(DailyLoadModel *model, QWidget *parent) : QWidget(parent), m_model(model)
    {
        setMouseTracking(true);
        setMinimumSize(320, 140);
        setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
        setAttribute(Qt::WA_OpaquePaintEvent);
    }

    std::function<void(QDate)> onClick;

    QSize sizeHint() const override { return { 900, 240 }; }

    QRectF plotRect() const
    {
        const QFontMetrics fm = fontMetrics();
        const double left = fm.horizontalAdvance(QLocale().toString(axisMax())) + 12.0;
        const double top = legendHeight() + 10.0; // and the marks above days over the cap
        const double bottom = fm.height() + 8.0;  // date labels
        return QRectF(left, top, qMax(1.0, width() - left - 10.0), qMax(1.0, height() - top - bottom));
    }

    // One entry of the legend and where it goes: entries wrap onto further lines when the
    // chart is narrower than the legend, so none is cut off.
    struct LegendItem
    {
        QColor color;
        QString label;
        QPointF at;          // top left of the swatch line
        bool pinned = false; // campaign and follow-up emails: hatched, never moved by the cap
    };

    QList<LegendItem> legendItems() const
    {
        QList<LegendItem> items;
        for (EmailType kind : ChartKinds)
            items.append({ TimelineWidget::typeColor(kind),
                           isPinned(kind) ? DailyLoadView::tr("%1 (pinned)").arg(chartKindLabel(kind))
                                          : chartKindLabel(kind),
                           {},
                           isPinned(kind) });
        const DailyLoad &load = m_model->load();
        if (std::any_of(load.days.begin(), load.days.end(),
                        [](const DailyLoad::Day &d) { return d.other > 0; }))
            items.append({ kOtherColor, DailyLoadView::tr("Other types"), {} });
        QColor overCap = kCapColor;
        overCap.setAlpha(kOverCapAlpha);
        const QLocale locale;
        items.append(
            { overCap, DailyLoadView::tr("Day over the cap (%1)").arg(locale.toString(load.dailyCap)), {} });
        if (load.overflowThreshold > load.dailyCap && load.overflowDays() > 0) {
            QColor moved = kCapColor;
            moved.setAlpha(kOverflowAlpha);
            items.append({ moved,
                           DailyLoadView::tr("Day above %1 (a run moves emails)")
                               .arg(locale.toString(load.overflowThreshold)),
                           {} });
        }

        const QFontMetrics fm = fontMetrics();
        const double left = 6;
        const double right = qMax(left + 1, double(width()) - 6);
        double x = left;
        double y = 4;
        for (LegendItem &item : items) {
            const double w = 14 + fm.horizontalAdvance(item.label);
            if (x > left && x + w > right) {
                x = left;
                y += fm.height() + 2;
            }
            item.at = QPointF(x, y);
            x += w + 16;
        }
        return items;
    }

    double legendHeight() const
    {
        const QList<LegendItem> items = legendItems();
        const double lastTop = items.isEmpty() ? 4.0 : items.last().at.y();
        return lastTop + fontMetrics().height();
    }

    int dayIndexAt(QPointF pos) const
    {
        const QRectF plot = plotRect();
        const int count = m_model->rowCount();
        if (count == 0 || pos.x() < plot.left() || pos.x() >= plot.right() || pos.y() < plot.top()
            || pos.y() > plot.bottom())
            return -1;
        return qBound(0, int((pos.x() - plot.left()) / plot.width() * count), count - 1);
    }

    QPoint dayCenter(int index) const
    {
        const QRectF plot = plotRect();
        const double slot = plot.width() / qMax(1, m_model->rowCount());
        return QPointF(plot.left() + (index + 0.5) * slot, plot.center().y()).toPoint();
    }

protected:
    void paintEvent(QPaintEvent *) override
    {
        QPainter p(this);
        const QPalette pal = palette();
        p.fillRect(rect(), pal.color(QPalette::Base));
        const DailyLoad &load = m_model->load();
        const QRectF plot = plotRect();
        const QFontMetrics fm = fontMetrics();
        if (load.days.empty()) {
            p.setPen(pal.color(QPalette::PlaceholderText));
            p.drawText(rect(), Qt::AlignCenter,
                       m_model->isLoading() ? DailyLoadView::tr("Counting the scheduled emails…")
                                            : DailyLoadView::tr("Open a database to see its sends per day."));
            return;
        }

        const double yMax = double(axisMax());
        const auto yOf = [&](double value) { return plot.bottom() - value / yMax * plot.height(); };
        const double slot = plot.width() / double(load.days.size());
        const double gap = slot >= 6 ? qMax(1.0, slot * 0.18) : 0.0;

        // Days over the cap first, as a band behind everything, so they stand out at 365 days
        // too; darker where a run would move emails away (above the overflow threshold).
        QColor overCapBand = kCapColor;
        overCapBand.setAlpha(kOverCapAlpha);
        QColor overflowBand = kCapColor;
        overflowBand.setAlpha(kOverflowAlpha);
        for (std::size_t i = 0; i < load.days.size(); ++i) {
            const DailyLoad::Day &day = load.days[i];
            if (!load.isOverCap(day))
                continue;
            const double left = plot.left() + double(i) * slot;
            p.fillRect(QRectF(left, plot.top(), slot, plot.height()),
                       load.isOverflow(day) ? overflowBand : overCapBand);
            // A mark above the day: a band one pixel wide is easy to miss at 365 days.
            const double mid = left + slot / 2;
            const double half = qMax(3.0, slot / 2);
            const QPointF mark[]
                = { { mid - half, plot.top() - 6 }, { mid + half, plot.top() - 6 }, { mid, plot.top() } };
            p.setPen(Qt::NoPen);
            p.setBrush(kCapColor);
            p.drawPolygon(mark, 3);
            p.setBrush(Qt::NoBrush);
        }
        if (m_hover >= 0) {
            QColor hover = pal.color(QPalette::Highlight);
            hover.setAlpha(35);
            p.fillRect(QRectF(plot.left() + m_hover * slot, plot.top(), slot, plot.height()), hover);
        }

        // Gridlines and value axis.
        const qint64 step = niceStep(yMax / 4.0);
        QColor grid = pal.color(QPalette::Text);
        grid.setAlpha(30);
        for (qint64 v = 0; double(v) <= yMax; v += step) {
            const double y = yOf(double(v));
            p.setPen(grid);
            p.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y));
            p.setPen(pal.color(QPalette::PlaceholderText));
            p.drawText(QRectF(0, y - fm.height() / 2.0, plot.left() - 6, fm.height()),
                       Qt::AlignRight | Qt::AlignVCenter, QLocale().toString(v));
        }

        // Stacked bars: types in a fixed order, unknown stored types on top.
        for (std::size_t i = 0; i < load.days.size(); ++i) {
            const DailyLoad::Day &day = load.days[i];
            const double x = plot.left() + double(i) * slot + gap / 2;
            const double w = qMax(1.0, slot - gap);
            double base = 0;
            const auto stack = [&](qint64 count, const QColor &color) {
                if (count <= 0)
                    return;
                const double top = yOf(base + double(count));
                p.fillRect(QRectF(x, top, w, yOf(base) - top), color);
                base += double(count);
            };
            for (EmailType kind : ChartKinds) {
                const double below = base;
                stack(chartKindCount(day.counts, kind), TimelineWidget::typeColor(kind));
                // Pinned emails (campaigns, follow-ups) are hatched: the cap never moves them.
                if (isPinned(kind) && base > below)
                    p.fillRect(QRectF(x, yOf(base), w, yOf(below) - yOf(base)), kPinnedHatch);
            }
            stack(day.other, kOtherColor);
        }

        // The cap (solid) and the overflow threshold (dashed) above which the balancer moves.
        const auto capLine = [&](int value, Qt::PenStyle style, const QString &label, bool below) {
            const double y = yOf(double(value));
            p.setPen(QPen(kCapColor, 1.5, style));
            p.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y));
            const QRectF box(plot.right() - fm.horizontalAdvance(label) - 8,
                             below ? y + 2 : y - fm.height() - 1, fm.horizontalAdvance(label) + 6,
                             fm.height());
            QColor back = pal.color(QPalette::Base);
            back.setAlpha(210);
            p.fillRect(box, back);
            p.setPen(kCapColor);
            p.drawText(box, Qt::AlignCenter, label);
        };
        const QLocale locale;
        if (capOffScale()) {
            const QString label = DailyLoadView::tr("▲ Daily cap %1, far above every day")
                                      .arg(locale.toString(load.dailyCap));
            p.setPen(kCapColor);
            p.drawText(QRectF(plot.left(), plot.top(), plot.width() - 4, fm.height()),
                       Qt::AlignRight | Qt::AlignTop, label);
        } else {
            // The cap's label goes under its line when the threshold's label above would touch it.
            const bool crowded = load.overflowThreshold > load.dailyCap
                && yOf(double(load.dailyCap)) - yOf(double(load.overflowThreshold)) < fm.height() + 3;
            if (load.overflowThreshold > load.dailyCap)
                capLine(load.overflowThreshold, Qt::DashLine,
                        DailyLoadView::tr("A run moves emails above %1")
                            .arg(locale.toString(load.overflowThreshold)),
                        false);
            capLine(load.dailyCap, Qt::SolidLine,
                    DailyLoadView::tr("Daily cap %1").arg(locale.toString(load.dailyCap)), crowded);
        }

        p.setPen(pal.color(QPalette::Mid));
        p.drawLine(plot.bottomLeft(), plot.bottomRight());
        paintDateLabels(p, plot, slot);
        paintLegend(p);
    }

    void mouseMoveEvent(QMouseEvent *event) override
    {
        const int index = dayIndexAt(event->position());
        if (index != m_hover) {
            m_hover = index;
            update();
        }
        setCursor(index >= 0 ? Qt::PointingHandCursor : Qt::ArrowCursor);
    }

    void leaveEvent(QEvent *) override
    {
        m_hover = -1;
        update();
    }

    void mousePressEvent(QMouseEvent *event) override
    {
        const int index = dayIndexAt(event->position());
        if (event->button() == Qt::LeftButton && index >= 0 && onClick)
            onClick(m_model->load().days[std::size_t(index)].date);
    }

    bool event(QEvent *event) override
    {
        if (event->type() == QEvent::ToolTip) {
            const auto *help = static_cast<QHelpEvent *>(event);
            const int index = dayIndexAt(help->pos());
            if (index < 0) {
                QToolTip::hideText();
                event->ignore();
            } else {
                QToolTip::showText(help->globalPos(), dayToolTip(m_model->load().days[std::size_t(index)]),
                                   this);
            }
            return true;
        }
        return QWidget::event(event);
    }

private:
    qint64 axisMax() const
    {
        const DailyLoad &load = m_model->load();
        // A cap far above every day would flatten the bars; it is then named, not drawn.
        const qint64 top = capOffScale()
            ? load.maxTotal()
            : qMax(load.maxTotal(), qint64(qMax(load.dailyCap, load.overflowThreshold)));
        return qMax<qint64>(1, qint64(std::ceil(double(top) * 1.12)));
    }

    bool capOffScale() const
    {
        const DailyLoad &load = m_model->load();
        return load.maxTotal() > 0 && double(load.dailyCap) > 2.5 * double(load.maxTotal());
    }

    QString dayToolTip(const DailyLoad::Day &day) const
    {
        const QLocale locale;
        const DailyLoad &load = m_model->load();
        QString html = u"<b>" % locale.toString(day.date, QLocale::LongFormat) % u"</b><table>";
        const auto row = [&](const QString &label, qint64 count, const QColor &color) {
            html += u"<tr><td><span style='color:" % color.name() % u"'>■</span> " % label.toHtmlEscaped()
                % u"</td><td align='right'>&nbsp;" % locale.toString(count) % u"</td></tr>";
        };
        for (int t = 0; t < EmailTypeCount; ++t) {
            const auto type = static_cast<EmailType>(t);
            if (day.counts[t] > 0)
                row(isPinned(type) ? DailyLoadView::tr("%1 (pinned)").arg(emailTypeLabel(type))
                                   : emailTypeLabel(type),
                    day.counts[t], TimelineWidget::typeColor(type));
        }
        if (day.other > 0)
            row(DailyLoadView::tr("Other types"), day.other, kOtherColor);
        html += u"<tr><td><b>" % DailyLoadView::tr("Total") % u"</b></td><td align='right'><b>&nbsp;"
            % locale.toString(day.total()) % u"</b></td></tr></table>";
        const QString over = locale.toString(day.total() - load.dailyCap);
        if (load.isOverflow(day))
            html += u"<p style='color:" % kCapColor.name() % u"'>"
                % DailyLoadView::tr("%1 over the daily cap of %2, and above %3: a run keeps %2 and moves the "
                                    "others to later days (campaign and follow-up emails stay).")
                      .arg(over, locale.toString(load.dailyCap), locale.toString(load.overflowThreshold))
                % u"</p>";
        else if (load.isOverCap(day))
            html += u"<p style='color:" % kCapColor.name() % u"'>"
                % DailyLoadView::tr(
                      "%1 over the daily cap of %2. A run moves emails only from days above %3, "
                      "so it leaves this day as it is.")
                      .arg(over, locale.toString(load.dailyCap), locale.toString(load.overflowThreshold))
                % u"</p>";
        else
            html += u"<p>" % DailyLoadView::tr("Daily cap %1.").arg(locale.toString(load.dailyCap)) % u"</p>";
        if (day.total() > 0)
            html += u"<p><i>" % DailyLoadView::tr("Click to list these contacts.") % u"</i></p>";
        return html;
    }

    void paintDateLabels(QPainter &p, const QRectF &plot, double slot) const
    {
        const DailyLoad &load = m_model->load();
        const QLocale locale;
        const QFontMetrics fm = fontMetrics();
        const bool months = load.days.size() > 62;
        const QString format = months ? QStringLiteral("MMM yyyy") : QStringLiteral("MMM d");
        const double room = fm.horizontalAdvance(locale.toString(QDate(2000, 12, 30), format)) + 12.0;
        double lastRight = -1e9;
        p.setPen(pal().color(QPalette::Text));
        for (std::size_t i = 0; i < load.days.size(); ++i) {
            const QDate date = load.days[i].date;
            // Long ranges label the first of each month; short ones every Monday, and day one.
            const bool wanted = months ? date.day() == 1 : (date.dayOfWeek() == 1 || i == 0);
            const double x = plot.left() + double(i) * slot;
            const QString label = locale.toString(date, format);
            // A label that would run off the right edge is left out rather than cut.
            if (!wanted || x < lastRight || x + 2 + fm.horizontalAdvance(label) > width() - 2)
                continue;
            p.setPen(pal().color(QPalette::Mid));
            p.drawLine(QPointF(x, plot.bottom()), QPointF(x, plot.bottom() + 4));
            p.setPen(pal().color(QPalette::Text));
            p.drawText(QRectF(x + 2, plot.bottom() + 3, room, fm.height() + 2), Qt::AlignLeft | Qt::AlignTop,
                       label);
            lastRight = x + room;
        }
    }

    void paintLegend(QPainter &p) const
    {
        const QFontMetrics fm = fontMetrics();
        for (const LegendItem &item : legendItems()) {
            const QRectF swatch(item.at.x(), item.at.y() + fm.height() / 2.0 - 5, 10, 10);
            p.fillRect(swatch, item.color);
            if (item.pinned)
                p.fillRect(swatch, kPinnedHatch);
            if (item.color.alpha() < 255) { // a band: outlined so that a pale one still shows
                p.setPen(kCapColor);
                p.drawRect(swatch.adjusted(0, 0, -1, -1));
            }
            p.setPen(pal().color(QPalette::Text));
            p.drawText(QPointF(item.at.x() + 14, item.at.y() + fm.ascent()), item.label);
        }
    }

    const QPalette &pal() const { return palette(); }

    DailyLoadModel *m_model;
    int m_hover = -1;
};

DailyLoadView::DailyLoadView(QWidget *parent)
    : QWidget(parent), m_model(new DailyLoadModel(this)), m_range(new QComboBox(this)),
      m_summary(new QLabel(this))
{
    m_chart = new DailyLoadChart(m_model, this);
    m_chart->setObjectName(QStringLiteral("dailyLoadChart"));
    m_chart->onClick = [this](QDate date) { Q_EMIT dayClicked(date); };
    m_range->setObjectName(QStringLiteral("dailyLoadRange"));
    for (int days : kRanges)
        m_range->addItem(tr("Next %1 days").arg(days), days);
    m_range->setToolTip(tr("How many days from the “as of” day to show"));
    m_summary->setTextFormat(Qt::PlainText);
    m_summary->setWordWrap(true);

    auto *top = new QHBoxLayout;
    top->addWidget(m_range);
    top->addWidget(m_summary, 1);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addLayout(top);
    layout->addWidget(m_chart, 1);

    connect(m_range, &QComboBox::currentIndexChanged, this, [this] { reload(); });
    connect(m_model, &QAbstractItemModel::modelReset, m_chart, qOverload<>(&QWidget::update));
    connect(m_model, &DailyLoadModel::loadingChanged, this, [this] {
        updateSummary();
        m_chart->update();
    });
    connect(m_model, &DailyLoadModel::loaded, this, &DailyLoadView::updateSummary);
    connect(m_model, &DailyLoadModel::loadFailed, this, [this](const QString &message) {
        m_model->clear();
        m_summary->setText(message);
    });
    updateSummary();
}

DailyLoadView::~DailyLoadView() = default;

QWidget *DailyLoadView::chart() const
{
    return m_chart;
}

void DailyLoadView::setDatabase(const QString &path)
{
    m_path = path;
    reload();
}

void DailyLoadView::setToday(QDate today)
{
    if (today == m_today)
        return;
    m_today = today;
    reload();
}

void DailyLoadView::setConfig(const Config &config)
{
    if (config == m_config)
        return;
    m_config = config;
    reload();
}

void DailyLoadView::reload()
{
    if (m_path.isEmpty() || !m_today.isValid()) {
        m_model->clear();
        return;
    }
    // A hidden view (closed or behind another tab) reads when it is shown, not for nothing.
    if (!isVisible()) {
        m_dirty = true;
        return;
    }
    m_dirty = false;
    m_model->loadDatabase(m_path, m_today, rangeDays(), m_config);
}

int DailyLoadView::rangeDays() const
{
    return m_range->currentData().toInt();
}

void DailyLoadView::setRangeDays(int days)
{
    const int index = m_range->findData(days);
    if (index >= 0)
        m_range->setCurrentIndex(index);
}

QPoint DailyLoadView::dayPosition(QDate date) const
{
    const DailyLoad &load = m_model->load();
    return load.day(date) ? m_chart->dayCenter(int(load.from.daysTo(date))) : QPoint(-1, -1);
}

QString DailyLoadView::summaryText() const
{
    return m_summary->text();
}

void DailyLoadView::updateSummary()
{
    const DailyLoad &load = m_model->load();
    const QLocale locale;
    if (m_model->isLoading()) {
        m_summary->setText(tr("Counting the scheduled emails…"));
        return;
    }
    if (load.days.empty()) {
        m_summary->setText(QString());
        return;
    }
    qint64 total = 0;
    for (const DailyLoad::Day &day : load.days)
        total += day.total();
    QString text = tr("%1 emails from %2 to %3 · daily cap %4 (%5% of %6 valid contacts)")
                       .arg(locale.toString(total), locale.toString(load.from, QLocale::ShortFormat),
                            locale.toString(load.to, QLocale::ShortFormat), locale.toString(load.dailyCap),
                            locale.toString(m_config.loadBalancing.dailySendPercentageCap * 100, 'g', 3),
                            locale.toString(load.validContacts));
    // "Over the cap" means above the daily cap, as in the chart; the overflow threshold (cap
    // times overage_threshold) is named separately, as the point where a run moves emails.
    const qint64 over = load.overCapDays();
    const qint64 moved = load.overflowDays();
    const QString cap = locale.toString(load.dailyCap);
    const QString threshold = locale.toString(load.overflowThreshold);
    if (over == 0)
        text += u" · " % tr("no day over the cap of %1").arg(cap);
    else
        text += u" · "
            % (over == 1 ? tr("1 day over the cap of %1").arg(cap)
                         : tr("%1 days over the cap of %2").arg(locale.toString(over), cap));
    if (over > 0 && load.overflowThreshold > load.dailyCap)
        text += u" · "
            % (moved > 0 ? tr("%1 above %2, where a run moves emails").arg(locale.toString(moved), threshold)
                         : tr("none above %1, where a run would move emails").arg(threshold));
    if (load.outsideRange > 0)
        text += u" · " % tr("%1 more later").arg(locale.toString(load.outsideRange));
    if (load.source == DailyLoad::Source::Batch)
        text += u" · " % tr("computed, not written yet");
    m_summary->setText(text);
}

void DailyLoadView::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    if (m_dirty)
        reload();
}
