#pragma once

#include "csv/contactimport.h"

#include <QWidget>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QTableWidget;

// The "which file, read how" part of a CSV import: the file (typed or browsed), the detected
// separator/quote/encoding/header (overridable) and a live preview of the first rows. Shared by
// contact import and campaign enrolment; the owner places previewTable() where it wants it.
class CsvSourceBox final : public QWidget
{
    Q_OBJECT

public:
    // `browseTitle` is the title of the file dialog; the last folder is remembered under
    // `folderKey` in the settings.
    CsvSourceBox(const QString &browseTitle, const QString &folderKey, QWidget *parent = nullptr);
    ~CsvSourceBox() override;

    // Loads a file (also what Browse… does): detects its dialect and shows the preview.
    void setCsvPath(const QString &path);
    QString csvPath() const;
    CsvDialect dialect() const;
    // The preview of the file as last read (header and first rows).
    const ContactImport::FilePreview &preview() const { return m_preview; }
    // Extra lines under each column's name in the preview ("→ Birth date").
    void setColumnNotes(const QStringList &notes);
    void setInputsEnabled(bool enabled);

    QLineEdit *pathEdit() const { return m_path; }
    QTableWidget *previewTable() const { return m_table; }

Q_SIGNALS:
    // The file or how it is read changed and the preview shows it.
    void previewLoaded();
    // The file could not be read; `message` names it.
    void failed(const QString &message);

private:
    void browse();
    void reloadPreview();
    void relabel();

    QString m_browseTitle;
    QString m_folderKey;
    QString m_loadedPath;
    ContactImport::FilePreview m_preview;
    QStringList m_notes;

    QLineEdit *m_path = nullptr;
    QLabel *m_detected = nullptr;
    QComboBox *m_separator = nullptr;
    QComboBox *m_quote = nullptr;
    QComboBox *m_encoding = nullptr;
    QCheckBox *m_hasHeader = nullptr;
    QTableWidget *m_table = nullptr;
    QWidget *m_browse = nullptr;
};
