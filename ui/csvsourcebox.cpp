#include "csvsourcebox.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSettings>
#include <QStandardPaths>
#include <QTableWidget>
#include <QVBoxLayout>

#include <utility>

namespace {
constexpr int PreviewRows = 50;
} // namespace

CsvSourceBox::CsvSourceBox(const QString &browseTitle, const QString &folderKey, QWidget *parent)
    : QWidget(parent), m_browseTitle(browseTitle), m_folderKey(folderKey), m_path(new QLineEdit(this)),
      m_detected(new QLabel(this)), m_separator(new QComboBox(this)), m_quote(new QComboBox(this)),
      m_encoding(new QComboBox(this)),
      m_hasHeader(new QCheckBox(tr("First row holds the column names"), this)),
      m_table(new QTableWidget(this))
{
    m_separator->addItem(tr("Comma ( , )"), QStringLiteral(","));
    m_separator->addItem(tr("Semicolon ( ; )"), QStringLiteral(";"));
    m_separator->addItem(tr("Tab"), QStringLiteral("\t"));
    m_separator->addItem(tr("Pipe ( | )"), QStringLiteral("|"));
    m_quote->addItem(tr("Double quote ( \" )"), QStringLiteral("\""));
    m_quote->addItem(tr("Single quote ( ' )"), QStringLiteral("'"));
    for (int e = 0; e < CsvDialect::EncodingCount; ++e)
        m_encoding->addItem(CsvDialect::encodingName(CsvDialect::Encoding(e)), e);

    auto *browseButton = new QPushButton(tr("Browse…"), this);
    // Enter in the file box loads the typed file; it never opens the file dialog.
    browseButton->setAutoDefault(false);
    m_browse = browseButton;
    auto *fileRow = new QHBoxLayout;
    auto *fileLabel = new QLabel(tr("&File:"), this);
    fileLabel->setBuddy(m_path);
    fileRow->addWidget(fileLabel);
    fileRow->addWidget(m_path, 1);
    fileRow->addWidget(browseButton);

    auto *dialectRow = new QHBoxLayout;
    for (const auto &[text, field] : { std::pair { tr("&Separator:"), static_cast<QWidget *>(m_separator) },
                                       std::pair { tr("&Quote:"), static_cast<QWidget *>(m_quote) },
                                       std::pair { tr("E&ncoding:"), static_cast<QWidget *>(m_encoding) } }) {
        auto *label = new QLabel(text, this);
        label->setBuddy(field); // without a buddy the '&' would show literally
        dialectRow->addWidget(label);
        dialectRow->addWidget(field);
    }
    dialectRow->addWidget(m_hasHeader);
    dialectRow->addStretch(1);

    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->verticalHeader()->setVisible(false);
    m_table->setMinimumHeight(m_table->horizontalHeader()->sizeHint().height()
                              + 3 * m_table->verticalHeader()->defaultSectionSize() + 4);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(fileRow);
    layout->addWidget(m_detected);
    layout->addLayout(dialectRow);

    connect(browseButton, &QPushButton::clicked, this, &CsvSourceBox::browse);
    connect(m_path, &QLineEdit::editingFinished, this, [this] {
        // Focus leaving the field also ends editing: only a changed path is loaded again.
        if (!m_path->text().isEmpty() && m_path->text() != m_loadedPath)
            setCsvPath(m_path->text());
    });
    connect(m_separator, &QComboBox::currentIndexChanged, this, &CsvSourceBox::reloadPreview);
    connect(m_quote, &QComboBox::currentIndexChanged, this, &CsvSourceBox::reloadPreview);
    connect(m_encoding, &QComboBox::currentIndexChanged, this, &CsvSourceBox::reloadPreview);
    connect(m_hasHeader, &QCheckBox::toggled, this, &CsvSourceBox::reloadPreview);
}

CsvSourceBox::~CsvSourceBox()
{
    // Closing moves the focus out of the path field, whose editingFinished must not reach a
    // half-destroyed owner.
    m_path->disconnect(this);
}

QString CsvSourceBox::csvPath() const
{
    return m_path->text();
}

CsvDialect CsvSourceBox::dialect() const
{
    CsvDialect d;
    d.separator = m_separator->currentData().toString().front();
    d.quote = m_quote->currentData().toString().front();
    d.encoding = CsvDialect::Encoding(m_encoding->currentData().toInt());
    d.header = m_hasHeader->isChecked();
    return d;
}

void CsvSourceBox::setInputsEnabled(bool enabled)
{
    for (QWidget *w :
         std::initializer_list<QWidget *> { m_path, m_separator, m_quote, m_encoding, m_hasHeader, m_browse })
        w->setEnabled(enabled);
}

void CsvSourceBox::browse()
{
    QSettings settings;
    const QString folder
        = settings.value(m_folderKey, QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation))
              .toString();
    const QString path = QFileDialog::getOpenFileName(this, m_browseTitle, folder,
                                                      tr("CSV files (*.csv *.txt *.tsv);;All files (*)"));
    if (path.isEmpty())
        return;
    settings.setValue(m_folderKey, QFileInfo(path).absolutePath());
    setCsvPath(path);
}

void CsvSourceBox::setCsvPath(const QString &path)
{
    m_path->setText(path);
    m_loadedPath = path;
    const Result<CsvDialect> detected = CsvDialect::detectFile(path);
    if (!detected.ok()) {
        m_detected->clear();
        Q_EMIT failed(detected.errorMessage());
        return;
    }
    const CsvDialect d = *detected;
    const QSignalBlocker b1(m_separator), b2(m_quote), b3(m_encoding), b4(m_hasHeader);
    int sep = m_separator->findData(QString(d.separator));
    if (sep < 0) {
        m_separator->addItem(QString(d.separator), QString(d.separator));
        sep = m_separator->count() - 1;
    }
    m_separator->setCurrentIndex(sep);
    m_quote->setCurrentIndex(qMax(0, m_quote->findData(QString(d.quote))));
    m_encoding->setCurrentIndex(m_encoding->findData(int(d.encoding)));
    m_hasHeader->setChecked(d.header);
    m_detected->setText(
        tr("Detected: %1, separator %2, %3%4.")
            .arg(CsvDialect::encodingName(d.encoding) + (d.hasBom ? tr(" with BOM") : QString()),
                 m_separator->currentText(), m_quote->currentText(),
                 d.header ? tr(", header row") : tr(", no header row")));
    reloadPreview();
}

void CsvSourceBox::reloadPreview()
{
    if (m_path->text().isEmpty())
        return;
    const Result<ContactImport::FilePreview> p
        = ContactImport::preview(m_path->text(), dialect(), PreviewRows);
    if (!p.ok()) {
        Q_EMIT failed(p.errorMessage());
        return;
    }
    m_preview = *p;
    m_table->clear();
    m_table->setColumnCount(int(m_preview.header.size()));
    m_table->setRowCount(int(m_preview.rows.size()));
    for (qsizetype r = 0; r < m_preview.rows.size(); ++r) {
        const QStringList &row = m_preview.rows.at(r);
        for (qsizetype c = 0; c < row.size() && c < m_preview.header.size(); ++c) {
            auto *item = new QTableWidgetItem(row.at(c));
            item->setFlags(item->flags() & ~Qt::ItemIsEditable);
            m_table->setItem(int(r), int(c), item);
        }
    }
    relabel();
    Q_EMIT previewLoaded();
}

void CsvSourceBox::setColumnNotes(const QStringList &notes)
{
    m_notes = notes;
    relabel();
}

void CsvSourceBox::relabel()
{
    QStringList labels;
    for (qsizetype c = 0; c < m_preview.header.size(); ++c)
        labels << m_preview.header.at(c) + m_notes.value(c);
    m_table->setHorizontalHeaderLabels(labels);
}
