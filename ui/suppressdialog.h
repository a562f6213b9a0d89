#pragma once

#include <QDialog>

class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;

// Asks for what a do-not-email entry needs: the address (when not given by selected
// contacts), the reason and a note. Used by "Add…" of the do-not-email window and by
// "Do not email…" on the selected contacts.
class SuppressDialog final : public QDialog
{
    Q_OBJECT

public:
    // `intro` says what will be listed; `askEmail` shows the address box.
    SuppressDialog(const QString &intro, bool askEmail, QWidget *parent = nullptr);

    QString email() const;
    QString reason() const; // the machine reason ("unsubscribed", ...)
    QString note() const;
    void setReason(const QString &code);

private:
    void updateButton();

    QLineEdit *m_email = nullptr;
    QComboBox *m_reason = nullptr;
    QLineEdit *m_note = nullptr;
    QPushButton *m_ok = nullptr;
    bool m_askEmail = true;
};
