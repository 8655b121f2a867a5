#include "pages/open_data_dialog.hpp"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFileInfo>
#include <QFormLayout>
#include <QGroupBox>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QVBoxLayout>

#include "stepwise/core/errors.hpp"
#include "stepwise/data/sqlite_reader.hpp"
#include "stepwise/data/xlsx_reader.hpp"

namespace stepwise::ui {
namespace {

QString bytesText(std::uint64_t bytes)
{
    return QLocale().formattedDataSize(qint64(bytes), 1, QLocale::DataSizeTraditionalFormat);
}

QString formatName(data::FileFormat format)
{
    switch (format) {
    case data::FileFormat::Csv:
        return QObject::tr("Delimited text (CSV/TSV)");
    case data::FileFormat::Xlsx:
        return QObject::tr("Excel workbook");
    case data::FileFormat::Sqlite:
        return QObject::tr("SQLite database");
    case data::FileFormat::Json:
        return QObject::tr("JSON records");
    }
    return {};
}

void addChoice(QComboBox* combo, const QString& text, int value)
{
    combo->addItem(text, value);
}

void selectValue(QComboBox* combo, int value) { combo->setCurrentIndex(std::max(0, combo->findData(value))); }

} // namespace

QString formatMissingMarkers(const std::vector<std::string>& markers)
{
    QStringList shown;
    for (const auto& marker : markers)
        if (!marker.empty())
            shown << QString::fromStdString(marker);
    return shown.join(QStringLiteral(", "));
}

std::vector<std::string> parseMissingMarkers(const QString& text, bool emptyIsMissing)
{
    std::vector<std::string> markers;
    if (emptyIsMissing)
        markers.emplace_back();
    for (const QString& part : text.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        const QString marker = part.trimmed();
        if (!marker.isEmpty() && std::find(markers.begin(), markers.end(), marker.toStdString()) == markers.end())
            markers.push_back(marker.toStdString());
    }
    return markers;
}

OpenDataDialog::OpenDataDialog(const QString& path, const data::ReadOptions& options, QWidget* parent)
    : QDialog(parent),
      m_path(path),
      m_initial(options),
      m_header(new QLabel(this)),
      m_textBox(new QGroupBox(tr("Text file"), this)),
      m_delimiter(new QComboBox(this)),
      m_decimal(new QComboBox(this)),
      m_thousands(new QComboBox(this)),
      m_encoding(new QComboBox(this)),
      m_sheetBox(new QGroupBox(tr("Rows to read"), this)),
      m_sheet(new QComboBox(this)),
      m_sqliteBox(new QGroupBox(tr("Rows to read"), this)),
      m_tableRadio(new QRadioButton(tr("&Table:"), this)),
      m_queryRadio(new QRadioButton(tr("&Query:"), this)),
      m_table(new QComboBox(this)),
      m_query(new QPlainTextEdit(this)),
      m_emptyMissing(new QCheckBox(tr("&Empty fields are missing"), this)),
      m_markers(new QLineEdit(this)),
      m_estimateLabel(new QLabel(this)),
      m_problemLabel(new QLabel(this)),
      m_buttons(new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this))
{
    setObjectName(QStringLiteral("openDataDialog"));
    setWindowTitle(tr("Open %1").arg(QFileInfo(path).fileName()));
    m_delimiter->setObjectName(QStringLiteral("delimiterCombo"));
    m_decimal->setObjectName(QStringLiteral("decimalCombo"));
    m_thousands->setObjectName(QStringLiteral("thousandsCombo"));
    m_encoding->setObjectName(QStringLiteral("encodingCombo"));
    m_sheet->setObjectName(QStringLiteral("sheetCombo"));
    m_table->setObjectName(QStringLiteral("sqliteTableCombo"));
    m_query->setObjectName(QStringLiteral("sqliteQueryEdit"));
    m_markers->setObjectName(QStringLiteral("missingMarkersEdit"));
    m_estimateLabel->setObjectName(QStringLiteral("loadEstimate"));
    m_problemLabel->setObjectName(QStringLiteral("openProblem"));
    m_buttons->button(QDialogButtonBox::Ok)->setText(tr("&Load"));

    // Text options.
    addChoice(m_delimiter, tr("Detect (, ; tab |)"), 0);
    addChoice(m_delimiter, tr("Comma ,"), ',');
    addChoice(m_delimiter, tr("Semicolon ;"), ';');
    addChoice(m_delimiter, tr("Tab"), '\t');
    addChoice(m_delimiter, tr("Pipe |"), '|');
    addChoice(m_decimal, tr("Point  3.14"), '.');
    addChoice(m_decimal, tr("Comma  3,14"), ',');
    addChoice(m_thousands, tr("None  1234567"), 0);
    addChoice(m_thousands, tr("Comma  1,234,567"), ',');
    addChoice(m_thousands, tr("Point  1.234.567"), '.');
    addChoice(m_thousands, tr("Space  1 234 567"), ' ');
    addChoice(m_thousands, tr("Apostrophe  1'234'567"), '\'');
    addChoice(m_encoding, tr("Detect (UTF-8, else Latin-1)"), int(data::TextEncoding::Auto));
    addChoice(m_encoding, tr("UTF-8"), int(data::TextEncoding::Utf8));
    addChoice(m_encoding, tr("Latin-1 (ISO-8859-1)"), int(data::TextEncoding::Latin1));
    selectValue(m_delimiter, options.csv.delimiter);
    selectValue(m_decimal, options.csv.decimal);
    selectValue(m_thousands, options.csv.thousands);
    selectValue(m_encoding, int(options.csv.encoding));
    m_delimiter->setToolTip(tr("What separates the fields of a row; Detect looks at the first lines"));
    m_decimal->setToolTip(tr("How the decimal point is written in numbers (many European files use a comma)"));
    m_thousands->setToolTip(tr("The digit-group separator inside numbers, if the file uses one"));
    m_encoding->setToolTip(tr("How characters are stored; Detect reads UTF-8 and falls back to Latin-1"));
    auto* textForm = new QFormLayout(m_textBox);
    textForm->addRow(tr("&Delimiter:"), m_delimiter);
    textForm->addRow(tr("D&ecimal separator:"), m_decimal);
    textForm->addRow(tr("T&housands separator:"), m_thousands);
    textForm->addRow(tr("E&ncoding:"), m_encoding);

    auto* sheetLayout = new QFormLayout(m_sheetBox);
    sheetLayout->addRow(tr("&Sheet:"), m_sheet);
    m_sheet->setToolTip(tr("The worksheet to read; its first row names the columns"));

    auto* sqliteLayout = new QFormLayout(m_sqliteBox);
    sqliteLayout->addRow(m_tableRadio, m_table);
    sqliteLayout->addRow(m_queryRadio, m_query);
    m_query->setPlaceholderText(QStringLiteral("SELECT * FROM measurements WHERE year >= 2020"));
    m_query->setToolTip(tr("One read-only SELECT statement; its result columns become the table"));
    m_query->setTabChangesFocus(true);
    m_query->setFixedHeight(m_query->fontMetrics().height() * 4 + 12);
    m_tableRadio->setChecked(options.query.empty());
    m_queryRadio->setChecked(!options.query.empty());
    m_query->setPlainText(QString::fromStdString(options.query));

    auto* missingBox = new QGroupBox(tr("Missing values"), this);
    auto* missingForm = new QFormLayout(missingBox);
    const auto& markers = options.csv.missingMarkers;
    m_emptyMissing->setChecked(std::find(markers.begin(), markers.end(), std::string()) != markers.end());
    m_markers->setText(formatMissingMarkers(markers));
    m_markers->setToolTip(tr("Texts that mean “no value”, separated by commas. Quoted text in a CSV is always a "
                             "value."));
    missingForm->addRow(m_emptyMissing);
    missingForm->addRow(tr("&Also missing:"), m_markers);

    m_header->setTextFormat(Qt::RichText);
    m_header->setWordWrap(true);
    m_estimateLabel->setWordWrap(true);
    m_estimateLabel->setTextFormat(Qt::RichText);
    m_problemLabel->setWordWrap(true);
    m_problemLabel->setStyleSheet(QStringLiteral("color: #b91c1c;"));

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_header);
    layout->addWidget(m_sheetBox);
    layout->addWidget(m_sqliteBox);
    layout->addWidget(m_textBox);
    layout->addWidget(missingBox);
    layout->addWidget(m_estimateLabel);
    layout->addWidget(m_problemLabel);
    layout->addStretch(1);
    layout->addWidget(m_buttons);
    setMinimumWidth(520);

    const QFileInfo info(path);
    QString header = tr("<b>%1</b><br><span style='color:gray'>%2</span>")
                         .arg(info.fileName().toHtmlEscaped(), info.absolutePath().toHtmlEscaped());
    try {
        m_format = data::fileFormatOf(path.toStdString());
        header += tr("<br>%1 · %2").arg(formatName(*m_format), bytesText(std::uint64_t(info.size())));
        if (*m_format == data::FileFormat::Xlsx) {
            for (const auto& sheet : data::xlsxSheetNames(path.toStdString()))
                m_sheet->addItem(QString::fromStdString(sheet));
            m_sheet->setCurrentIndex(std::max(0, m_sheet->findText(QString::fromStdString(options.sheet))));
        } else if (*m_format == data::FileFormat::Sqlite) {
            for (const auto& table : data::sqliteTableNames(path.toStdString()))
                m_table->addItem(QString::fromStdString(table));
            m_table->setCurrentIndex(std::max(0, m_table->findText(QString::fromStdString(options.table))));
            if (m_table->count() == 0)
                m_queryRadio->setChecked(true);
        }
    } catch (const std::exception& error) {
        m_openError = QString::fromStdString(error.what());
    }
    m_header->setText(header);
    m_textBox->setVisible(m_format == data::FileFormat::Csv);
    m_sheetBox->setVisible(m_format == data::FileFormat::Xlsx);
    m_sqliteBox->setVisible(m_format == data::FileFormat::Sqlite);

    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    for (QComboBox* combo : {m_delimiter, m_decimal, m_thousands, m_encoding, m_sheet, m_table})
        connect(combo, &QComboBox::currentIndexChanged, this, &OpenDataDialog::refresh);
    connect(m_tableRadio, &QRadioButton::toggled, this, &OpenDataDialog::refresh);
    connect(m_query, &QPlainTextEdit::textChanged, this, &OpenDataDialog::refresh);
    connect(m_emptyMissing, &QCheckBox::toggled, this, &OpenDataDialog::refresh);
    connect(m_markers, &QLineEdit::textChanged, this, &OpenDataDialog::refresh);
    refresh();
}

data::DataSource OpenDataDialog::source() const
{
    data::DataSource source;
    source.kind = data::DataSourceKind::File;
    source.location = QFileInfo(m_path).absoluteFilePath().toStdString();
    data::ReadOptions& read = source.read;
    read.csv.delimiter = char(m_delimiter->currentData().toInt());
    read.csv.decimal = char(m_decimal->currentData().toInt());
    read.csv.thousands = char(m_thousands->currentData().toInt());
    read.csv.encoding = data::TextEncoding(m_encoding->currentData().toInt());
    read.csv.missingMarkers = parseMissingMarkers(m_markers->text(), m_emptyMissing->isChecked());
    if (m_format == data::FileFormat::Xlsx)
        read.sheet = m_sheet->currentText().toStdString();
    if (m_format == data::FileFormat::Sqlite) {
        if (m_queryRadio->isChecked())
            read.query = m_query->toPlainText().trimmed().toStdString();
        else
            read.table = m_table->currentText().toStdString();
    }
    // Type overrides name columns of the table as it was read; other read options may
    // give other columns, so they carry over only when nothing else changed.
    data::ReadOptions initial = m_initial;
    initial.columnKinds.clear();
    const bool same = initial.csv.delimiter == read.csv.delimiter && initial.csv.decimal == read.csv.decimal &&
                      initial.csv.thousands == read.csv.thousands && initial.csv.encoding == read.csv.encoding &&
                      initial.csv.missingMarkers == read.csv.missingMarkers && initial.sheet == read.sheet &&
                      initial.table == read.table && initial.query == read.query;
    if (same)
        read.columnKinds = m_initial.columnKinds;
    return source;
}

QString OpenDataDialog::estimateText() const { return m_estimateLabel->text(); }

void OpenDataDialog::setLargeLoadBytes(std::uint64_t bytes)
{
    m_largeLoadBytes = bytes;
    refresh();
}

void OpenDataDialog::refresh()
{
    m_table->setEnabled(m_tableRadio->isChecked());
    m_query->setEnabled(m_queryRadio->isChecked());
    QString problem;
    m_estimate.reset();
    if (!m_openError.isEmpty()) {
        problem = m_openError;
    } else if (m_format == data::FileFormat::Sqlite && m_queryRadio->isChecked() &&
               m_query->toPlainText().trimmed().isEmpty()) {
        problem = tr("Write a SELECT query, or choose a table.");
    } else if (m_format == data::FileFormat::Sqlite && m_tableRadio->isChecked() && m_table->count() == 0) {
        problem = tr("The database has no tables — write a SELECT query instead.");
    } else if (m_format == data::FileFormat::Xlsx && m_sheet->count() == 0) {
        problem = tr("The workbook has no sheets.");
    } else {
        try {
            m_estimate = data::estimateLoad(source());
        } catch (const std::exception& error) {
            problem = QString::fromStdString(error.what());
        }
    }
    QString estimate;
    if (m_estimate) {
        const auto& e = *m_estimate;
        const QLocale locale;
        if (e.rowsKnown)
            estimate = tr("In memory: about <b>%1</b> (≈%2 rows × %3 columns)")
                           .arg(bytesText(e.estimatedBytes), locale.toString(qulonglong(e.estimatedRows)),
                                locale.toString(qulonglong(e.columns)));
        else
            // Counting the rows of a view or query would run it: its size shows once read.
            estimate = (e.columns == 1 ? tr("In memory: 1 column × as many rows as it returns")
                                       : tr("In memory: %1 columns × as many rows as it returns")
                                             .arg(locale.toString(qulonglong(e.columns))));
        if (e.availableBytes > 0)
            estimate += tr("; %1 available now").arg(bytesText(e.availableBytes));
        estimate += QLatin1Char('.');
        if (e.tooLarge()) {
            problem = tr("This table needs about %1 of memory but only %2 is available — close other programs, or "
                         "load a smaller extract of the file.")
                          .arg(bytesText(e.estimatedBytes), bytesText(e.availableBytes));
        } else if (e.estimatedBytes > m_largeLoadBytes) {
            estimate += tr("<br><span style='color:#b45309'>A large load: it runs in the background and can be "
                           "cancelled; the current data stays until it has finished.</span>");
        }
    }
    m_estimateLabel->setText(estimate);
    m_estimateLabel->setVisible(!estimate.isEmpty());
    m_problem = problem;
    m_problemLabel->setText(m_problem);
    m_problemLabel->setVisible(!m_problem.isEmpty());
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(m_problem.isEmpty());
}

} // namespace stepwise::ui
