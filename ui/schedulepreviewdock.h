#pragma once

#include "batch/contactpreview.h"
#include "config.h"
#include "result.h"

#include <QDate>
#include <QDockWidget>
#include <QFutureWatcher>

class QAction;
class QLabel;
class QTableView;
class QVBoxLayout;
class SchedulePreviewModel;
class TimelineWidget;

// The schedule of the selected contact: who it is, its data problems, a timeline of its year
// and every email with type, date, status and the reason in plain language. Computed off the
// GUI thread; a result for a contact the user has already left is dropped.
class SchedulePreviewDock final : public QDockWidget
{
    Q_OBJECT

public:
    explicit SchedulePreviewDock(QWidget *parent = nullptr);

    void setDatabase(const QString &path);
    void setConfig(const Config &config);
    void setToday(QDate today);
    void showContact(qint64 contactId); // 0 clears
    void reload();

    qint64 contactId() const { return m_contactId; }
    SchedulePreviewModel *model() const { return m_model; }
    TimelineWidget *timeline() const { return m_timeline; }
    QTableView *view() const { return m_view; }
    // "Export…" in the table's context menu: the emails shown, through ExportDialog.
    QAction *exportAction() const { return m_export; }
    QString headline() const;
    // "On the do-not-email list since 3 Mar 2025 — unsubscribed" while such a contact is shown
    // (instead of its schedule); empty otherwise.
    QString suppressionText() const;

Q_SIGNALS:
    // The preview of the current contact is on screen.
    void previewShown(qint64 contactId);

private:
    struct Answer
    {
        quint64 token = 0;
        Result<ContactPreview> preview = Error {};
    };
    void onFinished();
    void showPreview(const ContactPreview &preview);
    void showMessage(const QString &text);

    QString m_path;
    Config m_config;
    QDate m_today;
    qint64 m_contactId = 0;
    quint64 m_token = 0;
    QFutureWatcher<Answer> m_watcher;

    QLabel *m_title = nullptr;
    QLabel *m_details = nullptr;
    QLabel *m_problems = nullptr;
    QLabel *m_suppressed = nullptr;
    QVBoxLayout *m_layout = nullptr;
    TimelineWidget *m_timeline = nullptr;
    QTableView *m_view = nullptr;
    SchedulePreviewModel *m_model = nullptr;
    QAction *m_export = nullptr;
};
