#pragma once

#include "items/campaigneffect.h"

#include <QWidget>

class QLabel;

// The sends per day of one campaign instance: a bar per day, what it sent before a change
// outlined behind, the daily cap drawn across.
class EffectChart final : public QWidget
{
public:
    explicit EffectChart(QWidget *parent);

    void setEffect(const CampaignEffect &effect);
    // `after` as bars, `before` outlined (the change staff are about to save).
    void setChange(const CampaignChange &change);
    void clear();
    QSize sizeHint() const override { return { 520, 110 }; }

protected:
    void paintEvent(QPaintEvent *event) override;
    bool event(QEvent *event) override;

private:
    QRectF plot() const;
    QDate first() const;
    QDate last() const;
    qint64 busiest() const;
    bool capInRange() const;
    qint64 top() const;

    CampaignEffect m_after;
    CampaignEffect m_before;
    bool m_hasBefore = false;
};

// What a change does, in a few lines: the audience and emails before and after, the sends per
// day it adds or removes, and the other campaigns' emails it moves. Words only; the numbers
// come from the engine (CampaignEffects::compareChange).
QString campaignChangeText(const CampaignChange &change);
// Its last line alone: how the other campaigns' emails move; empty when they do not.
QString campaignOthersText(const CampaignChange &change);

// A change's effect on screen: the lines of campaignChangeText() and the chart, or "working" and
// errors while there is none.
class CampaignChangeView final : public QWidget
{
    Q_OBJECT

public:
    explicit CampaignChangeView(QWidget *parent = nullptr);

    void showWorking();
    void showError(const QString &message);
    // `lead`: a first line of the caller's own (what the change is); may be empty.
    void showChange(const CampaignChange &change, const QString &lead = {});
    QString text() const;
    // False while it is being worked out.
    bool isShown() const { return m_shown; }

Q_SIGNALS:
    void shown();

private:
    QLabel *m_text;
    EffectChart *m_chart;
    bool m_shown = false;
};
