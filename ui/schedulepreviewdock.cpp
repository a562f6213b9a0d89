#include "schedulepreviewdock.h"

#include "explain.h"
#include "exportdialog.h"
#include "items/contactfilter.h"
#include "items/schedulepreviewmodel.h"
#include "timelinewidget.h"

#include <QAction>
#include <QFontMetrics>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QTableView>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

#include <utility>

SchedulePreviewDock::SchedulePreviewDock(QWidget *parent)
    : QDockWidget(tr("Schedule preview"), parent), m_today(QDate::currentDate()), m_title(new QLabel),
      m_details(new QLabel), m_problems(new QLabel), m_suppressed(new QLabel), m_timeline(new TimelineWidget),
      m_view(new QTableView), m_model(new SchedulePreviewModel(this))
{
    setObjectName(QStringLiteral("schedulePreviewDock"));
    QFont bold = m_title->font();
    bold.setBold(true);
    bold.setPointSizeF(bold.pointSizeF() * 1.15);
    m_title->setFont(bold);
    m_title->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_title->setWordWrap(true); // an error names the whole file or server
    m_details->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_details->setWordWrap(true);
    m_problems->setWordWrap(true);
    m_problems->setStyleSheet(QStringLiteral("color: #a02020;"));
    m_problems->hide();
    // Said where the schedule would be, large enough to be read first.
    m_suppressed->setObjectName(QStringLiteral("previewSuppressed"));
    m_suppressed->setWordWrap(true);
    m_suppressed->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_suppressed->setStyleSheet(
        QStringLiteral("QLabel { background: #fdecea; color: #7a1f16; border: 1px solid "
                       "#e6b0aa; border-radius: 4px; padding: 10px; }"));
    {
        QFont font = m_suppressed->font();
        font.setPointSizeF(font.pointSizeF() * 1.1);
        m_suppressed->setFont(font);
    }
    m_suppressed->hide();

    m_view->setObjectName(QStringLiteral("previewTable"));
    m_view->setModel(m_model);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_view->verticalHeader()->hide();
    m_view->setWordWrap(true);
    m_view->horizontalHeader()->setStretchLastSection(true);
    // The reason is what a reader came for: the other columns keep to a narrow width (long
    // campaign names, the weekday date and "Scheduled (catch-up)" wrap onto a second line), the
    // reason takes the rest of the dock and wraps within it, so it is read without scrolling
    // sideways in the 450 px the dock has next to a 1600 px wide contact table.
    QHeaderView *header = m_view->horizontalHeader();
    const QFontMetrics metrics(m_view->font());
    const int pad = 2 * metrics.averageCharWidth();
    const std::pair<int, QString> narrow[] = { { SchedulePreviewModel::Type, tr("anniversary") },
                                               { SchedulePreviewModel::Date, tr("Mon Nov 30,") },
                                               { SchedulePreviewModel::Status, tr("(catch-up)") } };
    for (const auto &[column, widest] : narrow) {
        header->setSectionResizeMode(column, QHeaderView::Interactive);
        header->resizeSection(column, metrics.horizontalAdvance(widest) + pad);
    }
    header->setSectionResizeMode(SchedulePreviewModel::Details, QHeaderView::Stretch);
    m_view->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_view->setTextElideMode(Qt::ElideNone);
    m_view->verticalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);

    m_export = new QAction(tr("Export…"), this);
    m_export->setToolTip(tr("Write this contact's emails to a CSV file"));
    connect(m_export, &QAction::triggered, this,
            [this] { ExportDialog::openForModel(m_view->model(), m_path, m_today, this); });
    m_view->addAction(m_export);
    m_view->setContextMenuPolicy(Qt::ActionsContextMenu);

    auto *content = new QWidget(this);
    auto *layout = new QVBoxLayout(content);
    layout->addWidget(m_title);
    layout->addWidget(m_details);
    layout->addWidget(m_problems);
    layout->addWidget(m_suppressed);
    layout->addWidget(m_timeline);
    layout->addWidget(m_view, 1);
    // Takes the height a hidden schedule leaves (a contact on the do-not-email list; its stretch
    // is set then), so the lines above stay together at the top.
    layout->addStretch(0);
    m_layout = layout;
    setWidget(content);

    connect(&m_watcher, &QFutureWatcher<Answer>::finished, this, &SchedulePreviewDock::onFinished);
    showMessage(tr("Select a contact to see its emails."));
}

void SchedulePreviewDock::setDatabase(const QString &path)
{
    m_path = path;
    showContact(0);
}

void SchedulePreviewDock::setConfig(const Config &config)
{
    m_config = config;
    reload();
}

void SchedulePreviewDock::setToday(QDate today)
{
    if (today == m_today)
        return;
    m_today = today;
    reload();
}

void SchedulePreviewDock::showContact(qint64 contactId)
{
    m_contactId = contactId;
    reload();
}

void SchedulePreviewDock::reload()
{
    const quint64 token = ++m_token;
    if (m_contactId == 0 || m_path.isEmpty()) {
        showMessage(tr("Select a contact to see its emails."));
        return;
    }
    const QString path = m_path;
    const qint64 id = m_contactId;
    const QDate today = m_today;
    const Config config = m_config;
    m_watcher.setFuture(QtConcurrent::run([token, path, id, today, config] {
        return Answer { token, loadContactPreview(path, id, today, config) };
    }));
}

void SchedulePreviewDock::onFinished()
{
    const Answer answer = m_watcher.result();
    if (answer.token != m_token)
        return; // the user selected another contact meanwhile
    if (!answer.preview) {
        showMessage(answer.preview.errorMessage());
        return;
    }
    showPreview(answer.preview.value());
}

void SchedulePreviewDock::showMessage(const QString &text)
{
    m_title->setText(text);
    m_details->clear();
    m_problems->hide();
    m_suppressed->hide();
    m_suppressed->clear();
    m_timeline->show();
    m_view->show();
    m_layout->setStretch(m_layout->count() - 1, 0);
    m_timeline->clear();
    m_model->clear();
}

void SchedulePreviewDock::showPreview(const ContactPreview &preview)
{
    if (!preview.found) {
        showMessage(tr("Contact %1 no longer exists in this database.").arg(preview.contactId));
        return;
    }
    const Contact &c = preview.contact;
    const QString name = QString(c.firstName % u' ' % c.lastName).trimmed();
    m_title->setText(tr("%1 (contact %2)").arg(name.isEmpty() ? tr("Unnamed contact") : name).arg(c.id));
    const QString state
        = preview.facts.state.isValid() ? stateName(preview.facts.state) : tr("unknown state");
    const QLocale locale;
    const auto dateText = [&locale](QDate d, const QString &raw) {
        if (d.isValid())
            return locale.toString(d, QStringLiteral("MMM d, yyyy"));
        return raw.isEmpty() ? tr("none") : tr("“%1” (not a date)").arg(raw);
    };
    // A birth date after today is not a birth date: the line says what is wrong with it
    // instead of "born <a future day>".
    const QString born = preview.futureBirthDate.isValid()
        ? tr("birth date %1 is in the future — check the record")
              .arg(locale.toString(preview.futureBirthDate, QStringLiteral("MMM d, yyyy")))
        : tr("born %1").arg(dateText(preview.facts.birthDate, c.birthDate));
    m_details->setText(tr("%1 · %2 · %3 · policy since %4 · as of %5")
                           .arg(c.email, state, born, dateText(preview.facts.effectiveDate, c.effectiveDate),
                                locale.toString(preview.today, QStringLiteral("MMM d, yyyy"))));
    // The future birth date is named in the line above; the problems line does not repeat it.
    QList<Problem> problems = preview.facts.problems;
    if (preview.futureBirthDate.isValid())
        problems.removeIf([](const Problem &p) { return p.code == ProblemCode::InvalidBirthDate; });
    if (problems.isEmpty()) {
        m_problems->hide();
    } else {
        const QString prefix
            = preview.facts.hasError() ? tr("This contact gets no emails: ") : tr("Data problems: ");
        m_problems->setText(prefix % problemSummary(problems));
        m_problems->show();
    }
    // A contact on the do-not-email list gets no emails: the sentence says so where its
    // schedule would be.
    const QString suppressed = Explain::suppressionText(preview.schedule);
    m_suppressed->setText(suppressed);
    m_suppressed->setVisible(!suppressed.isEmpty());
    m_timeline->setVisible(suppressed.isEmpty());
    m_view->setVisible(suppressed.isEmpty());
    m_layout->setStretch(m_layout->count() - 1, suppressed.isEmpty() ? 0 : 1);
    m_timeline->setPreview(preview);
    m_model->setSchedule(preview.schedule, preview.campaigns);
    Q_EMIT previewShown(preview.contactId);
}

QString SchedulePreviewDock::suppressionText() const
{
    return m_suppressed->text();
}

QString SchedulePreviewDock::headline() const
{
    return m_title->text();
}
