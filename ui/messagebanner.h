#pragma once

#include <QFrame>

class QLabel;
class QToolButton;

// An inline message above the content (KeePassXC MessageWidget style): one line saying what
// happened and what to do, closable, instead of a message box.
class MessageBanner final : public QFrame
{
    Q_OBJECT

public:
    enum class Kind { Information, Warning, Error };

    explicit MessageBanner(QWidget *parent = nullptr);

    void showMessage(Kind kind, const QString &text);
    QString text() const;
    Kind kind() const { return m_kind; }

private:
    QLabel *m_icon = nullptr;
    QLabel *m_text = nullptr;
    QToolButton *m_close = nullptr;
    Kind m_kind = Kind::Information;
};
