#pragma once

#include "result.h"

#include <QDialog>

#include <functional>

class AuditTrailView;
class MessageBanner;
class QLabel;
class QLineEdit;
class QPushButton;
class QSortFilterProxyModel;
class QTabWidget;
class QTableView;
class SuppressionModel;

// The do-not-email list as a window people read (SPEC section 14): every address with its
// reason, note, date and who added it; Add…, Remove, Import from CSV…, Export…; and the history
// of changes to the list. Reads and writes off the GUI thread; every write is recorded in the
// audit trail by the store.
class DoNotEmailWindow final : public QDialog
{
    Q_OBJECT

public:
    explicit DoNotEmailWindow(QWidget *parent = nullptr);

    void setDatabase(const QString &path);
    void reload();

    SuppressionModel *model() const { return m_model; }
    QTableView *view() const { return m_view; }
    QTabWidget *tabs() const { return m_tabs; }
    AuditTrailView *history() const { return m_history; }
    QString bannerText() const;

    // "Add…": asks for an address, reason and note, then adds it.
    void addAddress();
    // "Remove": asks, then removes the selected addresses.
    void removeSelected();
    // "Import from CSV…".
    void importCsv();
    // "Do not email…" on selected contacts: asks for the reason and note, then lists their
    // addresses. `parent` carries the question (the main window).
    void suppressContacts(const QList<qint64> &contactIds, QWidget *parent);

Q_SIGNALS:
    // The list was read and shown.
    void loaded();
    // The list changed in the database (added, removed, imported): schedules and filters that
    // depend on it should reload.
    void listChanged();
    // A write ended; `message` says what happened in one line.
    void writeFinished(bool ok, const QString &message);

private:
    using Work = std::function<Result<QString>(const QString &path)>;
    // Runs a write on its own ReadWrite connection off the GUI thread, then says what it did.
    void write(Work work);
    void updateButtons();
    void updateCount();

    QString m_path;
    quint64 m_token = 0;
    SuppressionModel *m_model = nullptr;
    QSortFilterProxyModel *m_proxy = nullptr;
    QTabWidget *m_tabs = nullptr;
    MessageBanner *m_banner = nullptr;
    QLineEdit *m_search = nullptr;
    QTableView *m_view = nullptr;
    QLabel *m_count = nullptr;
    QPushButton *m_add = nullptr;
    QPushButton *m_remove = nullptr;
    QPushButton *m_import = nullptr;
    QPushButton *m_export = nullptr;
    AuditTrailView *m_history = nullptr;
};
