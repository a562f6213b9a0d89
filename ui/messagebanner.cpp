#include "messagebanner.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QStyle>
#include <QToolButton>

MessageBanner::MessageBanner(QWidget *parent)
    : QFrame(parent), m_icon(new QLabel(this)), m_text(new QLabel(this)), m_action(new QPushButton(this)),
      m_close(new QToolButton(this))
{
    setObjectName(QStringLiteral("messageBanner"));
    setFrameShape(QFrame::StyledPanel);
    setAutoFillBackground(true);
    m_text->setWordWrap(true);
    m_text->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_close->setAutoRaise(true);
    m_close->setIcon(style()->standardIcon(QStyle::SP_TitleBarCloseButton));
    m_close->setToolTip(tr("Close this message"));
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(8, 4, 4, 4);
    layout->addWidget(m_icon);
    layout->addWidget(m_text, 1);
    m_action->setObjectName(QStringLiteral("bannerAction"));
    m_action->hide();
    layout->addWidget(m_action, 0, Qt::AlignVCenter);
    layout->addWidget(m_close, 0, Qt::AlignTop);
    connect(m_close, &QToolButton::clicked, this, &QWidget::hide);
    connect(m_action, &QPushButton::clicked, this, &MessageBanner::actionTriggered);
    hide();
}

void MessageBanner::showMessage(Kind kind, const QString &text, const QString &actionText)
{
    m_action->setText(actionText);
    m_action->setVisible(!actionText.isEmpty());
    m_kind = kind;
    QStyle::StandardPixmap icon = QStyle::SP_MessageBoxInformation;
    QString sheet = QStringLiteral("#%1 { background: #e4effb; border: 1px solid #a0bde0; }");
    if (kind == Kind::Warning) {
        icon = QStyle::SP_MessageBoxWarning;
        sheet = QStringLiteral("#%1 { background: #fdf3d8; border: 1px solid #e0c070; }");
    } else if (kind == Kind::Error) {
        icon = QStyle::SP_MessageBoxCritical;
        sheet = QStringLiteral("#%1 { background: #fbe3e4; border: 1px solid #e0a0a4; }");
    }
    m_icon->setPixmap(style()->standardIcon(icon).pixmap(20, 20));
    setStyleSheet(sheet.arg(objectName()));
    m_text->setText(text);
    setVisible(!text.isEmpty());
}

QString MessageBanner::text() const
{
    return isVisible() ? m_text->text() : QString();
}
