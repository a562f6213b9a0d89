#include "connectdialog.h"

#include "messagebanner.h"
#include "storage/pg/pgconnection.h"
#include "storage/pg/pgschema.h"

#include <QDialogButtonBox>
#include <QFormLayout>
#include <QIntValidator>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSettings>
#include <QUrl>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

#include <algorithm>

namespace {

QString encoded(const QString &text)
{
    return QString::fromLatin1(QUrl::toPercentEncoding(text));
}

QString setting(QSettings *settings, const char *key, const QString &fallback)
{
    if (!settings)
        return fallback;
    const QString value = settings->value(QLatin1StringView(key)).toString();
    return value.isEmpty() ? fallback : value;
}

} // namespace

ConnectDialog::ConnectDialog(QSettings *settings, QWidget *parent)
    : QDialog(parent), m_settings(settings), m_banner(new MessageBanner(this)), m_form(new QFormLayout),
      m_host(new QLineEdit(this)), m_port(new QLineEdit(this)), m_database(new QLineEdit(this)),
      m_user(new QLineEdit(this)), m_password(new QLineEdit(this))
{
    setObjectName(QStringLiteral("connectDialog"));
    setWindowTitle(tr("Connect to Server"));

    // The last connection used, else what psql would use (PGHOST, PGPORT, PGDATABASE, PGUSER).
    const PgSpec::Parts defaults = PgSpec::parse(QString());
    const QString host = defaults.host.isEmpty() ? QStringLiteral("localhost") : defaults.host;
    m_host->setText(setting(settings, "connect/host", host));
    m_port->setText(
        setting(settings, "connect/port", defaults.port.isEmpty() ? QStringLiteral("5432") : defaults.port));
    m_port->setValidator(new QIntValidator(1, 65535, m_port));
    m_database->setText(setting(settings, "connect/database", qEnvironmentVariable("PGDATABASE")));
    m_user->setText(setting(settings, "connect/user", defaults.user));
    m_host->setObjectName(QStringLiteral("host"));
    m_port->setObjectName(QStringLiteral("port"));
    m_database->setObjectName(QStringLiteral("database"));
    m_user->setObjectName(QStringLiteral("user"));
    m_password->setObjectName(QStringLiteral("password"));
    m_host->setPlaceholderText(tr("server name or address, e.g. db1.agency.local"));
    m_database->setPlaceholderText(tr("the organisation's database, e.g. agency"));
    m_password->setEchoMode(QLineEdit::Password);
    m_password->setPlaceholderText(tr("used until the program closes; never saved"));

    m_form->addRow(tr("&Host:"), m_host);
    m_form->addRow(tr("&Port:"), m_port);
    m_form->addRow(tr("&Database:"), m_database);
    m_form->addRow(tr("&User:"), m_user);
    m_form->addRow(tr("Pass&word:"), m_password);
    m_form->setRowVisible(m_password, false);

    auto *note = new QLabel(tr("The password comes from ~/.pgpass or PGPASSWORD; when the server asks for "
                               "one that they do not give, you are asked for it here."),
                            this);
    note->setWordWrap(true);
    note->setForegroundRole(QPalette::PlaceholderText);

    auto *buttons = new QDialogButtonBox(this);
    m_connect = buttons->addButton(tr("Connect"), QDialogButtonBox::AcceptRole);
    m_connect->setObjectName(QStringLiteral("connectButton"));
    m_connect->setDefault(true);
    buttons->addButton(QDialogButtonBox::Cancel);
    connect(m_connect, &QPushButton::clicked, this, &ConnectDialog::tryConnect);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(&m_watcher, &QFutureWatcher<Answer>::finished, this, &ConnectDialog::onTested);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_banner);
    layout->addLayout(m_form);
    layout->addWidget(note);
    layout->addStretch(1);
    layout->addWidget(buttons);
    setMinimumWidth(460);
    (m_database->text().isEmpty() ? m_database : m_host)->setFocus();
}

void ConnectDialog::prefill(const QString &spec)
{
    const PgSpec::Parts parts = PgSpec::parse(spec);
    if (!parts.ok)
        return;
    m_host->setText(parts.host);
    m_port->setText(parts.port);
    m_database->setText(parts.dbname);
    m_user->setText(parts.user);
    showPasswordRow();
    m_banner->showMessage(MessageBanner::Kind::Information,
                          tr("The server asks for the password for %1. Type it below; it is kept until the "
                             "program closes and never saved.")
                              .arg(PgSpec::displayName(spec)));
    growToFit();
    m_password->setFocus();
}

QString ConnectDialog::specFor(const QString &host, const QString &port, const QString &database,
                               const QString &user)
{
    // A socket folder cannot stand in the authority part: it goes in ?host=.
    const bool socketFolder = host.startsWith(u'/');
    QString authority = user.isEmpty() ? QString() : encoded(user) + u'@';
    if (!socketFolder && !host.isEmpty())
        authority += host.contains(u':') ? QString(u'[' + host + u']') : encoded(host);
    if (!port.isEmpty())
        authority += u':' + port;
    QString spec = u"postgresql://" + authority + u'/' + encoded(database);
    if (socketFolder)
        spec += u"?host=" + encoded(host);
    return spec;
}

void ConnectDialog::tryConnect()
{
    if (m_watcher.isRunning())
        return;
    const QString host = m_host->text().trimmed();
    const QString port = m_port->text().trimmed();
    const QString database = m_database->text().trimmed();
    const QString user = m_user->text().trimmed();
    if (database.isEmpty()) {
        m_banner->showMessage(
            MessageBanner::Kind::Error,
            tr("Type the name of the organisation's database (ask whoever runs the server)."));
        growToFit();
        m_database->setFocus();
        return;
    }
    const QString spec = specFor(host, port, database, user);
    const QString password = m_form->isRowVisible(m_password) ? m_password->text() : QString();
    const quint64 token = ++m_token;
    m_banner->showMessage(MessageBanner::Kind::Information,
                          tr("Connecting to %1…").arg(PgSpec::displayName(spec)));
    growToFit();
    setTesting(true);
    m_watcher.setFuture(QtConcurrent::run([token, spec, password] {
        Answer answer;
        answer.token = token;
        answer.spec = spec;
        answer.password = password;
        // A typed password travels to libpq only inside this worker's copy of the spec.
        const QString tried = password.isEmpty()
            ? spec
            : QString(spec + (spec.contains(u'?') ? u'&' : u'?') + u"password=" + encoded(password));
        const Result<PgConnection> db = PgSchema::openOrganisation(tried);
        if (!db) {
            answer.error = db.errorMessage();
            answer.needsPassword = db.error().is(PgErrorKind::PasswordNeeded);
            answer.passwordRejected = db.error().is(PgErrorKind::PasswordRejected);
        }
        return answer;
    }));
}

void ConnectDialog::onTested()
{
    const Answer answer = m_watcher.result();
    if (answer.token != m_token)
        return;
    setTesting(false);
    if (answer.needsPassword || (answer.passwordRejected && !answer.password.isEmpty())) {
        const bool wasAsked = m_form->isRowVisible(m_password);
        showPasswordRow();
        const QString who = PgSpec::displayName(answer.spec);
        m_banner->showMessage(
            answer.passwordRejected || wasAsked ? MessageBanner::Kind::Error
                                                : MessageBanner::Kind::Information,
            answer.passwordRejected || wasAsked
                ? tr("The server did not accept the password for %1. Type it again.").arg(who)
                : tr("The server asks for the password for %1. Type it below; it is kept "
                     "until the program closes and never saved.")
                      .arg(who));
        growToFit();
        m_password->selectAll();
        m_password->setFocus();
        return;
    }
    if (!answer.error.isEmpty()) {
        m_banner->showMessage(MessageBanner::Kind::Error, answer.error);
        growToFit();
        return;
    }
    if (!answer.password.isEmpty())
        PgSpec::setSessionPassword(answer.spec, answer.password);
    if (m_settings) {
        m_settings->setValue(QStringLiteral("connect/host"), m_host->text().trimmed());
        m_settings->setValue(QStringLiteral("connect/port"), m_port->text().trimmed());
        m_settings->setValue(QStringLiteral("connect/database"), m_database->text().trimmed());
        m_settings->setValue(QStringLiteral("connect/user"), m_user->text().trimmed());
    }
    m_spec = answer.spec;
    m_banner->hide();
    accept();
}

void ConnectDialog::setTesting(bool testing)
{
    for (QLineEdit *edit : { m_host, m_port, m_database, m_user, m_password })
        edit->setEnabled(!testing);
    m_connect->setEnabled(!testing);
}

void ConnectDialog::showPasswordRow()
{
    m_form->setRowVisible(m_password, true);
    growToFit();
}

void ConnectDialog::growToFit()
{
    // A message or the password row appeared: the dialog grows rather than squeezing its rows.
    resize(width(), std::max(height(), sizeHint().height()));
}
