#include "suppressdialog.h"

#include "items/suppressionmodel.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

SuppressDialog::SuppressDialog(const QString &intro, bool askEmail, QWidget *parent)
    : QDialog(parent), m_email(new QLineEdit(this)), m_reason(new QComboBox(this)),
      m_note(new QLineEdit(this))
{
    setWindowTitle(tr("Do not email"));
    m_email->setObjectName(QStringLiteral("suppressEmail"));
    m_reason->setObjectName(QStringLiteral("suppressReason"));
    m_note->setObjectName(QStringLiteral("suppressNote"));
    for (const QString &code : SuppressionModel::reasonCodes())
        m_reason->addItem(SuppressionModel::reasonLabel(code), code);
    m_email->setPlaceholderText(tr("name@example.com"));
    m_note->setPlaceholderText(tr("Optional: why, or who asked"));
    m_email->setMinimumWidth(320);

    auto *text = new QLabel(intro, this);
    text->setWordWrap(true);
    auto *form = new QFormLayout;
    if (askEmail)
        form->addRow(tr("&Email address:"), m_email);
    else
        m_email->hide();
    form->addRow(tr("&Reason:"), m_reason);
    form->addRow(tr("&Note:"), m_note);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, this);
    m_ok = buttons->addButton(tr("Add to List"), QDialogButtonBox::AcceptRole);
    m_ok->setDefault(true);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_email, &QLineEdit::textChanged, this, &SuppressDialog::updateButton);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(text);
    layout->addLayout(form);
    layout->addWidget(buttons);
    m_askEmail = askEmail;
    updateButton();
}

QString SuppressDialog::email() const
{
    return m_email->text().trimmed();
}

QString SuppressDialog::reason() const
{
    return m_reason->currentData().toString();
}

QString SuppressDialog::note() const
{
    return m_note->text().trimmed();
}

void SuppressDialog::setReason(const QString &code)
{
    m_reason->setCurrentIndex(qMax(0, m_reason->findData(code)));
}

void SuppressDialog::updateButton()
{
    // The store checks the address; the button only waits for something that could be one.
    m_ok->setEnabled(!m_askEmail || email().contains(u'@'));
}
