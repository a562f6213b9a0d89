#pragma once

#include <QFrame>

class QLabel;
class QPushButton;
class QToolButton;

// An inline message above the content (KeePassXC MessageWidget style): one line saying what
// happened and what to do, closable, instead of a message box.
class MessageBanner final : public QFrame
{
    Q_OBJECT

public:
    enum class Kind { Information, Warning, Error };

    explicit MessageBanner(QWidget *parent = nullptr);

    // `actionText` non-empty: a button with that text next to the message (actionTriggered).
    void showMessage(Kind kind, const QString &text, const QString &actionText = QString());
    QString text() const;
    Kind kind() const { return m_kind; }
    QPushButton *actionButton() const { return m_action; }

Q_SIGNALS:
    void actionTriggered();

private:
    QLabel *m_icon = nullptr;
    QLabel *m_text = nullptr;
    QPushButton *m_action = nullptr;
    QToolButton *m_close = nullptr;
    Kind m_kind = Kind::Information;
};
