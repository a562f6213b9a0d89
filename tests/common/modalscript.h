#pragma once

// Answers the real modal dialogs and message boxes of a workflow as a user would. A test queues
// one step per modal it expects, then triggers the action that opens them (which blocks in
// exec()); a timer on the GUI thread finds each new QApplication::activeModalWidget() and hands
// it to the next step, which clicks a button or types. Nothing is injected into the program.
//
//     ModalScript script;
//     script.then([](QWidget *box) { ModalScript::click(box, u"Write schedule"); });
//     window.runAction()->trigger();
//     QTRY_VERIFY(script.done());

#include <QAbstractButton>
#include <QApplication>
#include <QList>
#include <QPointer>
#include <QStringList>
#include <QTest>
#include <QTimer>
#include <QWidget>

#include <functional>

class ModalScript final : public QObject
{
public:
    using Step = std::function<void(QWidget *modal)>;

    explicit ModalScript(QObject *parent = nullptr) : QObject(parent)
    {
        m_timer.setInterval(10);
        QObject::connect(&m_timer, &QTimer::timeout, this, [this] { poll(); });
        m_timer.start();
    }

    // Runs `step` on the next modal widget that appears (one not already answered).
    ModalScript &then(Step step)
    {
        m_steps.append(std::move(step));
        return *this;
    }

    bool done() const { return m_steps.isEmpty(); }
    int answered() const { return int(m_titles.size()); }
    // The window titles of the modals answered so far, in order: tests compare them.
    const QStringList &titles() const { return m_titles; }
    // The visible text of each modal answered (labels and the message box text).
    const QStringList &texts() const { return m_texts; }

    // The button a user would click, matched on its text without the '&' mnemonic.
    static QAbstractButton *button(QWidget *modal, QStringView text)
    {
        const auto buttons = modal->findChildren<QAbstractButton *>();
        for (QAbstractButton *b : buttons) {
            QString label = b->text();
            label.remove(u'&');
            if (label == text && b->isVisible())
                return b;
        }
        return nullptr;
    }

    // Clicks the button with `text`; returns false (and leaves the dialog open) when it is
    // not there, so a test can fail with the button's name.
    static bool click(QWidget *modal, QStringView text)
    {
        QAbstractButton *b = button(modal, text);
        if (!b || !b->isEnabled())
            return false;
        QTest::mouseClick(b, Qt::LeftButton);
        return true;
    }

    static QString visibleText(QWidget *modal)
    {
        QStringList parts;
        const auto labels = modal->findChildren<QWidget *>();
        for (QWidget *w : labels) {
            const QVariant text = w->property("text");
            if (w->isVisible() && text.isValid() && !qobject_cast<QAbstractButton *>(w))
                parts << text.toString();
        }
        return parts.join(u'\n');
    }

private:
    void poll()
    {
        QWidget *modal = QApplication::activeModalWidget();
        if (!modal || !modal->isVisible()) {
            m_last = nullptr;
            return;
        }
        if (modal == m_last || m_steps.isEmpty())
            return;
        m_last = modal;
        m_titles << modal->windowTitle();
        m_texts << visibleText(modal);
        const Step step = m_steps.takeFirst();
        step(modal);
    }

    QTimer m_timer;
    QList<Step> m_steps;
    QPointer<QWidget> m_last;
    QStringList m_titles;
    QStringList m_texts;
};
