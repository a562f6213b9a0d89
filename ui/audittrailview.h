#pragma once

#include <QStringList>
#include <QWidget>

class AuditModel;
class QLabel;
class QPushButton;
class QTableView;

// The "History of changes" tab of the Campaigns and do-not-email windows: who changed what and
// when, the row before and after the selected change, and "Export…" of the whole audit trail.
// Read off the GUI thread.
class AuditTrailView final : public QWidget
{
    Q_OBJECT

public:
    // Shows the entries of these entities ("campaign_type", "suppression", ...).
    explicit AuditTrailView(const QStringList &entities, QWidget *parent = nullptr);

    void setDatabase(const QString &path);
    void reload();
    AuditModel *model() const { return m_model; }
    QTableView *view() const { return m_view; }
    QPushButton *exportButton() const { return m_export; }
    // Writes the whole audit trail to `path` as CSV (what Export… does after asking where).
    void exportTo(const QString &path);
    QString messageText() const;

Q_SIGNALS:
    void loaded();
    void exported(bool ok);

private:
    void showDetails();
    void askExport();

    QStringList m_entities;
    QString m_path;
    quint64 m_token = 0;
    AuditModel *m_model = nullptr;
    QTableView *m_view = nullptr;
    QLabel *m_details = nullptr;
    QLabel *m_message = nullptr;
    QPushButton *m_export = nullptr;
};
