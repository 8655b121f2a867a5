#include "pages/data_page.hpp"

#include <QComboBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QLocale>
#include <QPushButton>
#include <QSettings>
#include <QSignalBlocker>
#include <QSplitter>
#include <QStandardPaths>
#include <QStyle>
#include <QTabWidget>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

#include "models/column_overview_model.hpp"
#include "models/correlation_model.hpp"
#include "models/table_model.hpp"
#include "pages/open_data_dialog.hpp"
#include "pages/synthetic_data_dialog.hpp"
#include "session/session.hpp"
#include "stepwise/data/builtin_datasets.hpp"
#include "stepwise/data/sqlite_reader.hpp"
#include "stepwise/data/xlsx_reader.hpp"
#include "tasks/background_task.hpp"
#include "widgets/charts/distribution_chart.hpp"
#include "widgets/class_balance_bar.hpp"
#include "widgets/column_kind_delegate.hpp"
#include "widgets/heatmap_widget.hpp"
#include "widgets/share_bar_delegate.hpp"
#include "widgets/status_banner.hpp"
#include "widgets/task_progress_panel.hpp"
#include "teaching/why_link.hpp"

namespace stepwise::ui {
namespace {

const char* kLastFolderKey = "paths/lastDataFolder";

QString fileDialogFilter()
{
    return QObject::tr("Data files (*.csv *.tsv *.txt *.xlsx *.json *.jsonl *.ndjson *.sqlite *.sqlite3 *.db);;"
                       "Delimited text (*.csv *.tsv *.txt);;Excel workbooks (*.xlsx);;"
                       "JSON and JSON Lines (*.json *.jsonl *.ndjson);;SQLite databases (*.sqlite *.sqlite3 *.db);;"
                       "All files (*)");
}

void configureTableView(QTableView* view)
{
    view->setAlternatingRowColors(true);
    view->setSelectionBehavior(QAbstractItemView::SelectRows);
    view->setWordWrap(false);
    // Uniform, fixed row heights: the view never measures a row, so a million scroll
    // like a hundred.
    view->verticalHeader()->setDefaultSectionSize(view->fontMetrics().height() + 6);
    view->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    view->horizontalHeader()->setHighlightSections(false);
}

// Whether `path` is read as delimited text, whose read options most often explain a
// failed load. Never throws: also asked about files of no known format.
bool isDelimitedText(const std::string& path)
{
    const QString suffix = QFileInfo(QString::fromStdString(path)).suffix().toLower();
    return suffix == QLatin1String("csv") || suffix == QLatin1String("tsv") || suffix == QLatin1String("txt");
}

} // namespace

QString formatShare(double fraction)
{
    if (fraction > 0 && fraction < 0.001)
        return QStringLiteral("<0.1%");
    const double percent = fraction * 100.0;
    return QString::number(percent, 'f', percent < 10 && percent != std::floor(percent) ? 1 : 0) + QLatin1Char('%');
}

QStringList dataFileSuffixes()
{
    return {QStringLiteral("csv"),  QStringLiteral("tsv"),   QStringLiteral("txt"),
            QStringLiteral("xlsx"), QStringLiteral("json"),  QStringLiteral("jsonl"),
            QStringLiteral("ndjson"), QStringLiteral("sqlite"), QStringLiteral("sqlite3"),
            QStringLiteral("db")};
}

DataPage::DataPage(Session* session, QWidget* parent)
    : WizardStepPage(session, tr("Data"),
                     tr("Load the rows to learn from, look at them, and say which column to predict."), parent),
      m_open(new QPushButton(tr("Open file…"), this)),
      m_readOptions(new QPushButton(tr("Read options…"), this)),
      m_builtin(new QComboBox(this)),
      m_generate(new QPushButton(tr("Generate synthetic…"), this)),
      m_progress(new TaskProgressPanel(TaskProgressPanel::Form::Full, this)),
      m_conversionProgress(new TaskProgressPanel(TaskProgressPanel::Form::Full, this)),
      m_summary(new QLabel(this)),
      m_target(new QComboBox(this)),
      m_targetNote(makeNote({}, this)),
      m_balance(new ClassBalanceBar(this)),
      m_tabs(new QTabWidget(this)),
      m_overview(new QTableView(this)),
      m_overviewModel(new ColumnOverviewModel(this)),
      m_filter(new QLineEdit(this)),
      m_filterColumn(new QComboBox(this)),
      m_rowCount(new QLabel(this)),
      m_arrangeProgress(new TaskProgressPanel(TaskProgressPanel::Form::Full, this)),
      m_view(new QTableView(this)),
      m_model(new TableModel(this)),
      m_filterDelay(new QTimer(this)),
      m_columnList(new QListWidget(this)),
      m_distribution(new DistributionChart(this)),
      m_columnDetails(new QLabel(this)),
      m_correlation(new HeatmapWidget(this)),
      m_correlationModel(new CorrelationModel(this)),
      m_correlationNote(makeNote({}, this)),
      m_largeLoadBytes(OpenDataDialog::kLargeLoadBytes)
{
    m_open->setObjectName(QStringLiteral("openFileButton"));
    m_readOptions->setObjectName(QStringLiteral("readOptionsButton"));
    m_builtin->setObjectName(QStringLiteral("builtinCombo"));
    m_generate->setObjectName(QStringLiteral("generateButton"));
    m_progress->setObjectName(QStringLiteral("dataLoadProgress"));
    m_summary->setObjectName(QStringLiteral("dataSummary"));
    m_target->setObjectName(QStringLiteral("dataTargetCombo"));
    m_tabs->setObjectName(QStringLiteral("dataTabs"));
    m_overview->setObjectName(QStringLiteral("columnOverview"));
    m_filter->setObjectName(QStringLiteral("rowFilterEdit"));
    m_filterColumn->setObjectName(QStringLiteral("rowFilterColumnCombo"));
    m_rowCount->setObjectName(QStringLiteral("rowCountLabel"));
    m_view->setObjectName(QStringLiteral("dataTable"));
    m_columnList->setObjectName(QStringLiteral("distributionColumns"));
    m_columnDetails->setObjectName(QStringLiteral("columnDetails"));
    m_correlation->setObjectName(QStringLiteral("correlationHeatmap"));
    m_correlationNote->setObjectName(QStringLiteral("correlationNote"));

    // --- Sources ------------------------------------------------------------------
    m_open->setIcon(style()->standardIcon(QStyle::SP_DialogOpenButton));
    m_open->setToolTip(tr("Open a CSV/TSV, Excel, JSON or SQLite file (Ctrl+O). You can also drop a file onto the "
                          "window."));
    m_readOptions->setToolTip(tr("Read the open file again with other options: delimiter, decimal separator, "
                                 "encoding, missing-value markers, sheet or table"));
    m_generate->setToolTip(tr("Make a classification table with a known structure — good for experiments"));
    m_builtin->setToolTip(tr("Small real datasets that come with Stepwise"));
    m_builtin->addItem(tr("Choose a bundled dataset…"));
    for (const auto& builtin : data::builtinDatasets()) {
        m_builtin->addItem(QString::fromStdString(builtin.name), QString::fromStdString(builtin.name));
        m_builtin->setItemData(m_builtin->count() - 1,
                               QStringLiteral("%1\nSuggested target: %2 (%3)")
                                   .arg(QString::fromStdString(builtin.description),
                                        QString::fromStdString(builtin.target), QString::fromStdString(builtin.task)),
                               Qt::ToolTipRole);
    }
    m_builtin->setMinimumWidth(200);

    auto* sources = new QHBoxLayout;
    sources->addWidget(m_open);
    sources->addWidget(m_readOptions);
    sources->addSpacing(12);
    sources->addWidget(new QLabel(tr("or a bundled dataset:"), this));
    sources->addWidget(m_builtin);
    sources->addSpacing(12);
    sources->addWidget(new QLabel(tr("or"), this));
    sources->addWidget(m_generate);
    sources->addStretch(1);
    contentLayout()->addLayout(sources);

    m_progress->setTask(session->dataTask());
    m_progress->setHiddenWhenIdle(true);
    contentLayout()->addWidget(m_progress);
    m_conversionProgress->setTask(session->conversionTask());
    m_conversionProgress->setHiddenWhenIdle(true);
    contentLayout()->addWidget(m_conversionProgress);

    // --- Summary and target -------------------------------------------------------
    m_summary->setTextFormat(Qt::RichText);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto* targetRow = new QHBoxLayout;
    auto* targetLabel = new QLabel(tr("&Target column:"), this);
    targetLabel->setBuddy(m_target);
    QFont bold = targetLabel->font();
    bold.setBold(true);
    targetLabel->setFont(bold);
    m_target->setPlaceholderText(tr("choose the column to predict"));
    m_target->setMinimumWidth(200);
    m_target->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_target->setToolTip(tr("The column the model learns to predict (same as on the Problem step)"));
    targetRow->addWidget(targetLabel);
    targetRow->addWidget(m_target);
    targetRow->addSpacing(8);
    m_targetNote->setWordWrap(false);
    targetRow->addWidget(m_targetNote);
    targetRow->addSpacing(8);
    m_balance->setMaximumWidth(360);
    targetRow->addWidget(m_balance, 1);
    targetRow->addStretch(0);
    contentLayout()->addWidget(m_summary);
    contentLayout()->addLayout(targetRow);

    // --- Overview -----------------------------------------------------------------
    m_overview->setModel(m_overviewModel);
    configureTableView(m_overview);
    m_overview->setSelectionMode(QAbstractItemView::SingleSelection);
    m_overview->verticalHeader()->setVisible(false);
    m_overview->verticalHeader()->setDefaultSectionSize(m_overview->fontMetrics().height() + 10);
    m_overview->setEditTriggers(QAbstractItemView::SelectedClicked | QAbstractItemView::EditKeyPressed);
    m_overview->setItemDelegateForColumn(ColumnOverviewModel::Kind, new ColumnKindDelegate(this));
    m_overview->setItemDelegateForColumn(ColumnOverviewModel::Missing,
                                         new ShareBarDelegate(QColor(0xd9, 0x77, 0x06), this));
    m_overview->horizontalHeader()->setStretchLastSection(true);
    m_overview->setToolTip(tr("One row per column. Click a type to change it; double-click a column for its "
                              "distribution."));
    auto* overviewTab = new QWidget(this);
    auto* overviewLayout = new QVBoxLayout(overviewTab);
    overviewLayout->setContentsMargins(6, 6, 6, 6);
    overviewLayout->addWidget(m_overview, 1);
    overviewLayout->addWidget(makeNote(tr("Click a type to change it — the change is kept in the recipe. Double-click "
                                          "a column to see its distribution. Hover a flag for what to do."),
                                       this));
    m_tabs->addTab(overviewTab, tr("&Overview"));

    // --- Table --------------------------------------------------------------------
    m_view->setModel(m_model);
    configureTableView(m_view);
    m_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_view->horizontalHeader()->setDefaultSectionSize(90);
    // Sizing columns to the first rows is instant and representative; all rows is not.
    m_view->horizontalHeader()->setResizeContentsPrecision(200);
    m_view->horizontalHeader()->setSortIndicatorClearable(true);
    m_view->horizontalHeader()->setSortIndicator(-1, Qt::AscendingOrder);
    m_view->setSortingEnabled(true);
    m_filter->setPlaceholderText(tr("Filter rows containing…"));
    m_filter->setClearButtonEnabled(true);
    m_filter->setToolTip(tr("Keep the rows whose text contains this (upper/lower case ignored)"));
    m_filterColumn->setToolTip(tr("Search every column or just one"));
    m_filterColumn->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_filterDelay->setSingleShot(true);
    m_arrangeProgress->setTask(m_model->task());
    m_arrangeProgress->setHiddenWhenIdle(true);
    auto* filterRow = new QHBoxLayout;
    auto* filterLabel = new QLabel(tr("&Filter:"), this);
    filterLabel->setBuddy(m_filter);
    filterRow->addWidget(filterLabel);
    filterRow->addWidget(m_filter, 1);
    filterRow->addWidget(new QLabel(tr("in"), this));
    filterRow->addWidget(m_filterColumn);
    filterRow->addSpacing(12);
    filterRow->addWidget(m_rowCount);
    auto* tableTab = new QWidget(this);
    auto* tableLayout = new QVBoxLayout(tableTab);
    tableLayout->setContentsMargins(6, 6, 6, 6);
    tableLayout->addLayout(filterRow);
    tableLayout->addWidget(m_arrangeProgress);
    tableLayout->addWidget(m_view, 1);
    m_tabs->addTab(tableTab, tr("Ta&ble"));

    // --- Distributions ------------------------------------------------------------
    m_columnList->setToolTip(tr("Choose a column to see how its values are distributed"));
    m_columnList->setMaximumWidth(220);
    m_columnDetails->setTextFormat(Qt::RichText);
    m_columnDetails->setWordWrap(true);
    m_columnDetails->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto* chartBox = new QWidget(this);
    auto* chartLayout = new QVBoxLayout(chartBox);
    chartLayout->setContentsMargins(0, 0, 0, 0);
    chartLayout->addWidget(m_distribution, 1);
    chartLayout->addWidget(m_columnDetails);
    auto* distributions = new QSplitter(Qt::Horizontal, this);
    distributions->addWidget(m_columnList);
    distributions->addWidget(chartBox);
    distributions->setStretchFactor(0, 0);
    distributions->setStretchFactor(1, 1);
    distributions->setSizes({150, 830});
    distributions->setChildrenCollapsible(false);
    auto* distributionTab = new QWidget(this);
    auto* distributionLayout = new QVBoxLayout(distributionTab);
    distributionLayout->setContentsMargins(6, 6, 6, 6);
    distributionLayout->addWidget(distributions, 1);
    m_tabs->addTab(distributionTab, tr("&Distributions"));

    // --- Correlations -------------------------------------------------------------
    m_correlation->setModel(m_correlationModel);
    m_correlation->setPlaceholderText(tr("Correlations appear here for data with at least two numeric columns."));
    m_correlationNote->setWordWrap(true);
    m_correlationNote->setTextFormat(Qt::RichText);
    auto* correlationTab = new QWidget(this);
    auto* correlationLayout = new QVBoxLayout(correlationTab);
    correlationLayout->setContentsMargins(6, 6, 6, 6);
    correlationLayout->addWidget(m_correlation, 1);
    correlationLayout->addWidget(m_correlationNote);
    m_tabs->addTab(correlationTab, tr("&Correlations"));
    m_tabs->setTabToolTip(OverviewTab, tr("Every column at a glance: type, missing values, statistics, flags"));
    m_tabs->setTabToolTip(TableTab, tr("The rows themselves: sort by a column, filter by text"));
    m_tabs->setTabToolTip(DistributionsTab, tr("How the values of each column are spread"));
    m_tabs->setTabToolTip(CorrelationsTab, tr("Which numeric columns move together"));
    contentLayout()->addWidget(m_tabs, 1);

    // "Why?" links: the short why on hover, the glossary entry in the Learn panel.
    teaching::attachWhy(m_builtin, QStringLiteral("option/dataset"));
    teaching::attachWhy(m_target, QStringLiteral("option/target"));
    teaching::attachWhy(m_overview, QStringLiteral("option/column_kind"));
    setLearnStep(teaching::Step::Data);

    // --- Wiring -------------------------------------------------------------------
    connect(m_open, &QPushButton::clicked, this, &DataPage::openFileDialog);
    connect(m_readOptions, &QPushButton::clicked, this, &DataPage::openReadOptionsDialog);
    connect(m_generate, &QPushButton::clicked, this, &DataPage::openGenerateDialog);
    connect(m_builtin, &QComboBox::currentIndexChanged, this, [this](int index) {
        if (index <= 0)
            return;
        data::DataSource source;
        source.kind = data::DataSourceKind::Builtin;
        source.location = m_builtin->itemData(index).toString().toStdString();
        loadSource(source);
    });
    connect(m_target, &QComboBox::currentIndexChanged, this, [this](int index) {
        if (index >= 0)
            this->session()->setTarget(m_target->itemData(index).toString());
    });
    connect(m_overviewModel, &ColumnOverviewModel::kindChangeRequested, this,
            [this](const QString& column, data::ColumnKind kind) {
                banner()->clearMessage(QStringLiteral("kind-error"));
                this->session()->setColumnKind(column.toStdString(), kind);
            });
    connect(m_overview, &QTableView::clicked, this, [this](const QModelIndex& index) {
        if (index.column() == ColumnOverviewModel::Kind)
            m_overview->edit(index);
    });
    connect(m_overview, &QTableView::doubleClicked, this, [this](const QModelIndex& index) {
        if (index.column() == ColumnOverviewModel::Kind)
            return;
        m_tabs->setCurrentIndex(DistributionsTab);
    });
    connect(m_overview->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex& current) {
                if (current.isValid())
                    showColumn(m_overviewModel->index(current.row(), ColumnOverviewModel::Name).data().toString());
            });
    connect(m_columnList, &QListWidget::currentTextChanged, this, [this](const QString& column) {
        if (!column.isEmpty())
            showColumn(column);
    });
    connect(m_filter, &QLineEdit::textChanged, this, [this] {
        // Typing into a filter over many rows waits for a pause; small tables follow at once.
        const bool large = m_model->table() && m_model->table()->rowCount() > TableModel::kBackgroundRows;
        m_filterDelay->start(large ? 400 : 120);
    });
    connect(m_filterDelay, &QTimer::timeout, this, &DataPage::applyFilter);
    connect(m_filterColumn, &QComboBox::currentIndexChanged, this, &DataPage::applyFilter);
    connect(m_model, &TableModel::arranged, this, [this] {
        QHeaderView* header = m_view->horizontalHeader();
        QSignalBlocker block(header);
        header->setSortIndicator(m_model->sortColumn(), m_model->sortOrder());
        header->viewport()->update();
        refreshRowCount();
    });

    connect(session, &Session::dataChanged, this, &DataPage::refreshData);
    connect(session, &Session::profileChanged, this, &DataPage::refreshProfile);
    connect(session, &Session::recipeChanged, this, &DataPage::refreshTarget);
    connect(session->dataTask(), &BackgroundTask::started, this, [this] {
        banner()->clearMessage(QStringLiteral("load-error"));
        m_open->setEnabled(false);
        m_readOptions->setEnabled(false);
        m_generate->setEnabled(false);
        updateCompleteness();
    });
    connect(session->dataTask(), &BackgroundTask::finished, this, [this] {
        m_open->setEnabled(true);
        m_generate->setEnabled(true);
        refreshData();
    });
    connect(session, &Session::dataLoadFailed, this, [this](const QString& message) {
        QString text = message;
        const auto& failed = this->session()->failedSource();
        if (failed && failed->kind == data::DataSourceKind::File && isDelimitedText(failed->location))
            text += tr(". Read options… chooses the delimiter, decimal separator and encoding.");
        showLoadError(text);
    });
    connect(session->conversionTask(), &BackgroundTask::started, this,
            [this] { banner()->clearMessage(QStringLiteral("kind-error")); });
    connect(session, &Session::columnKindFailed, this, [this](const QString& message) {
        banner()->setMessage(QStringLiteral("kind-error"), StatusBanner::Level::Error,
                             tr("The type was not changed: %1").arg(message));
    });
    refreshData();
}

void DataPage::initializePage() { refreshData(); }

void DataPage::openFileDialog()
{
    QString folder;
    if (m_usesSettings)
        folder = QSettings().value(kLastFolderKey).toString();
    if (folder.isEmpty())
        folder = QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation);
    const QString path = QFileDialog::getOpenFileName(this, tr("Open data"), folder, fileDialogFilter());
    if (path.isEmpty())
        return;
    if (m_usesSettings)
        QSettings().setValue(kLastFolderKey, QFileInfo(path).absolutePath());
    OpenDataDialog dialog(path, data::ReadOptions{}, this);
    dialog.setLargeLoadBytes(m_largeLoadBytes);
    if (dialog.exec() == QDialog::Accepted)
        loadSource(dialog.source());
}

void DataPage::openFile(const QString& path)
{
    banner()->clearMessage(QStringLiteral("load-error"));
    data::DataSource source;
    source.kind = data::DataSourceKind::File;
    source.location = QFileInfo(path).absoluteFilePath().toStdString();
    bool ask = false;
    try {
        const data::FileFormat format = data::fileFormatOf(source.location);
        if (format == data::FileFormat::Xlsx)
            ask = data::xlsxSheetNames(source.location).size() > 1;
        else if (format == data::FileFormat::Sqlite)
            ask = data::sqliteTableNames(source.location).size() != 1;
        if (!ask) {
            const data::LoadEstimate estimate = data::estimateLoad(source);
            if (estimate.tooLarge()) {
                banner()->setMessage(
                    QStringLiteral("load-error"), StatusBanner::Level::Error,
                    tr("%1 was not loaded: it needs about %2 of memory but only %3 is available — close other "
                       "programs, or load a smaller extract of the file.")
                        .arg(QFileInfo(path).fileName(),
                             QLocale().formattedDataSize(qint64(estimate.estimatedBytes), 1,
                                                         QLocale::DataSizeTraditionalFormat),
                             QLocale().formattedDataSize(qint64(estimate.availableBytes), 1,
                                                         QLocale::DataSizeTraditionalFormat)));
                return;
            }
            ask = estimate.estimatedBytes > m_largeLoadBytes;
        }
    } catch (const std::exception& error) {
        showLoadError(QString::fromStdString(error.what()));
        return;
    }
    if (ask) {
        OpenDataDialog dialog(path, source.read, this);
        dialog.setLargeLoadBytes(m_largeLoadBytes);
        if (dialog.exec() != QDialog::Accepted)
            return;
        source = dialog.source();
    }
    loadSource(source);
}

void DataPage::showLoadError(const QString& message)
{
    const QString text = session()->table()
                             ? tr("The data could not be loaded — the data loaded before is still here. %1")
                             : tr("The data could not be loaded: %1");
    banner()->setMessage(QStringLiteral("load-error"), StatusBanner::Level::Error, text.arg(message));
}

void DataPage::openReadOptionsDialog()
{
    // After a failed load the file that failed is the one to read differently.
    const auto& failed = session()->failedSource();
    const data::DataSource& loaded = session()->loadedSource();
    data::DataSource source;
    if (failed && failed->kind == data::DataSourceKind::File)
        source = *failed;
    else if (session()->table() && loaded.kind == data::DataSourceKind::File)
        source = loaded;
    else
        return;
    OpenDataDialog dialog(QString::fromStdString(source.location), source.read, this);
    dialog.setLargeLoadBytes(m_largeLoadBytes);
    if (dialog.exec() == QDialog::Accepted)
        loadSource(dialog.source());
}

void DataPage::loadSource(const data::DataSource& source)
{
    banner()->clearMessage(QStringLiteral("load-error"));
    session()->loadData(source);
}

void DataPage::openGenerateDialog()
{
    SyntheticDataDialog dialog(this);
    if (session()->recipe().data.kind == data::DataSourceKind::Generated)
        dialog.setSpec(session()->recipe().data.generator);
    if (dialog.exec() != QDialog::Accepted)
        return;
    data::DataSource source;
    source.kind = data::DataSourceKind::Generated;
    source.location = "synthetic";
    source.generator = dialog.spec();
    loadSource(source);
}

void DataPage::refreshData()
{
    const auto table = session()->table();
    if (m_model->table() != table) {
        m_model->setTable(table);
        m_view->resizeColumnsToContents();
        for (int column = 0; column < m_model->columnCount(); ++column)
            m_view->setColumnWidth(column, std::clamp(m_view->columnWidth(column) + 18, 56, 220));
        QSignalBlocker block(m_filterColumn);
        m_filterColumn->clear();
        m_filterColumn->addItem(tr("all columns"), -1);
        if (table)
            for (std::size_t i = 0; i < table->columnCount(); ++i)
                m_filterColumn->addItem(QString::fromStdString(table->column(i).name()), int(i));
        QSignalBlocker blockFilter(m_filter);
        m_filter->clear();
    }
    const auto& source = session()->loadedSource();
    {
        QSignalBlocker block(m_builtin);
        int index = 0;
        if (table && source.kind == data::DataSourceKind::Builtin)
            index = std::max(0, m_builtin->findData(QString::fromStdString(source.location)));
        m_builtin->setCurrentIndex(index);
    }
    const auto& failed = session()->failedSource();
    m_readOptions->setEnabled(((table && source.kind == data::DataSourceKind::File) ||
                               (failed && failed->kind == data::DataSourceKind::File)) &&
                              !session()->isLoading());
    if (!table) {
        m_summary->setText(tr("<span style='font-size:large'>No data loaded yet.</span>"));
        if (!session()->isLoading())
            banner()->setMessage(QStringLiteral("empty"), StatusBanner::Level::Info,
                                 tr("Open a data file, choose a bundled dataset, or generate synthetic data."));
    } else {
        banner()->clearMessage(QStringLiteral("empty"));
        QString name = QString::fromStdString(source.describe());
        if (source.kind == data::DataSourceKind::File) {
            // Which part of the file, too: a workbook or database holds more than one
            // table. A query may be long; the tooltip has it whole.
            name = QFileInfo(QString::fromStdString(source.location)).fileName();
            if (!source.read.query.empty())
                name += tr(" [query]");
            else if (!source.read.table.empty())
                name += QStringLiteral(" [%1]").arg(QString::fromStdString(source.read.table));
            else if (!source.read.sheet.empty())
                name += QStringLiteral(" [%1]").arg(QString::fromStdString(source.read.sheet));
        }
        const QLocale locale;
        QString overrides;
        if (!source.read.columnKinds.empty())
            overrides = tr(" &nbsp;·&nbsp; %n type change(s)", nullptr, int(source.read.columnKinds.size()));
        m_summary->setText(
            tr("<span style='font-size:large'><b>%1</b></span> &nbsp;·&nbsp; %2 rows × %3 columns &nbsp;·&nbsp; %4 "
               "missing values%5 &nbsp;·&nbsp; <span style='color:gray'>loaded in %6</span>")
                .arg(name.toHtmlEscaped(), locale.toString(qulonglong(table->rowCount())),
                     locale.toString(qulonglong(table->columnCount())), locale.toString(qulonglong(table->missingCount())),
                     overrides, formatElapsed(qint64(session()->loadSeconds() * 1000))));
        m_summary->setToolTip(QString::fromStdString(source.describe()));
    }
    if (session()->isLoading())
        banner()->clearMessage(QStringLiteral("empty"));
    refreshCorrelation();
    refreshProfile();
    refreshRowCount();
}

void DataPage::applyFilter()
{
    m_filterDelay->stop();
    m_model->setFilter(m_filter->text(), m_filterColumn->currentData().toInt());
}

void DataPage::refreshRowCount()
{
    const auto table = m_model->table();
    if (!table) {
        m_rowCount->clear();
        return;
    }
    const QLocale locale;
    if (m_model->filterText().isEmpty())
        m_rowCount->setText(tr("%1 rows").arg(locale.toString(qulonglong(table->rowCount()))));
    else
        m_rowCount->setText(tr("%1 of %2 rows")
                                .arg(locale.toString(m_model->rowCount()), locale.toString(qulonglong(table->rowCount()))));
}

void DataPage::refreshTarget()
{
    const auto table = session()->table();
    const auto& problem = session()->recipe().problem;
    m_model->setTargetColumn(problem.target);
    {
        QSignalBlocker block(m_target);
        QStringList names;
        if (table) {
            for (const auto& column : table->columns())
                names << QString::fromStdString(column.name());
        }
        QStringList existing;
        for (int i = 0; i < m_target->count(); ++i)
            existing << m_target->itemData(i).toString();
        if (existing != names) {
            m_target->clear();
            if (table) {
                for (const auto& column : table->columns()) {
                    const QString name = QString::fromStdString(column.name());
                    m_target->addItem(name, name);
                    m_target->setItemData(m_target->count() - 1,
                                          tr("%1 column").arg(QString::fromLatin1(data::toString(column.kind()))),
                                          Qt::ToolTipRole);
                }
            }
        }
        m_target->setCurrentIndex(m_target->findData(QString::fromStdString(problem.target)));
    }
    m_target->setEnabled(table != nullptr);

    QString note;
    QStringList balanceNames;
    std::vector<std::size_t> balanceCounts;
    banner()->clearMessage(QStringLiteral("target-kind"));
    if (table && table->hasColumn(problem.target)) {
        const auto& column = table->column(problem.target);
        if (problem.task == core::TaskType::Classification) {
            const auto& labels = session()->classLabels();
            QStringList shown;
            for (std::size_t i = 0; i < labels.size() && i < 6; ++i)
                shown << QString::fromStdString(labels[i]);
            if (labels.size() > 6)
                shown << QStringLiteral("…");
            note = labels.size() == 1 ? tr("classification · only one class: %1").arg(shown.join(QString()))
                                      : tr("classification · %1 classes").arg(labels.size());
            if (labels.size() <= 12 && session()->classCounts().size() == labels.size()) {
                for (const auto& label : labels)
                    balanceNames << QString::fromStdString(label);
                balanceCounts = session()->classCounts();
            } else {
                note += QStringLiteral(": ") + shown.join(QStringLiteral(", "));
            }
            if (labels.size() > 20 && column.isNumeric())
                banner()->setMessage(QStringLiteral("target-kind"), StatusBanner::Level::Warning,
                                     tr("The target “%1” has %2 distinct numbers — if it is a quantity, choose "
                                        "Regression on the Problem step.")
                                         .arg(QString::fromStdString(problem.target))
                                         .arg(labels.size()));
        } else {
            note = column.isNumeric() ? tr("regression · numeric target")
                                      : tr("regression needs a numeric target — this column is categorical");
        }
        const std::size_t missing = column.missingCount();
        if (missing > 0)
            note += tr(" · %1 rows without a target are left out").arg(missing);
    }
    m_targetNote->setText(note);
    m_balance->setCounts(balanceNames, balanceCounts);
    updateCompleteness();
}

void DataPage::refreshProfile()
{
    const auto profile = session()->profile();
    const auto table = session()->table();
    banner()->clearMessagesWithPrefix(QStringLiteral("flag:"));
    const QString current = currentColumn();
    m_overviewModel->setProfile(table ? profile : nullptr, session()->recipe().problem.target);
    {
        QSignalBlocker block(m_columnList);
        m_columnList->clear();
        if (profile && table) {
            for (const auto& column : profile->columns) {
                auto* item = new QListWidgetItem(QString::fromStdString(column.name), m_columnList);
                item->setToolTip(tr("%1 — %2").arg(QString::fromStdString(column.name),
                                                  QString::fromStdString(column.kind)));
            }
        }
    }
    if (!profile || !table) {
        refreshDistribution();
        refreshTarget();
        return;
    }
    for (const auto& flag : profile->flags) {
        const auto level = flag.kind == "target_leak" ? StatusBanner::Level::Warning : StatusBanner::Level::Info;
        banner()->setMessage(QStringLiteral("flag:%1:%2").arg(QString::fromStdString(flag.column),
                                                               QString::fromStdString(flag.kind)),
                             level,
                             tr("%1 — “%2”: %3")
                                 .arg(flagTitle(flag.kind), QString::fromStdString(flag.column),
                                      QString::fromStdString(flag.message)));
    }
    m_overview->resizeColumnsToContents();
    m_overview->setColumnWidth(ColumnOverviewModel::Kind,
                               std::max(m_overview->columnWidth(ColumnOverviewModel::Kind),
                                        m_overview->fontMetrics().horizontalAdvance(QStringLiteral("categorical")) + 40));
    m_overview->setColumnWidth(ColumnOverviewModel::Top, std::min(m_overview->columnWidth(ColumnOverviewModel::Top), 190));
    m_overview->setColumnWidth(ColumnOverviewModel::Missing,
                               std::max(m_overview->columnWidth(ColumnOverviewModel::Missing), 84));
    const QString keep = table->hasColumn(current.toStdString()) ? current
                                                                  : QString::fromStdString(table->column(0).name());
    showColumn(keep);
    refreshTarget();
}

void DataPage::showColumn(const QString& column)
{
    const int row = m_overviewModel->rowOf(column.toStdString());
    if (row >= 0 && m_overview->currentIndex().row() != row) {
        QSignalBlocker block(m_overview->selectionModel());
        m_overview->selectionModel()->setCurrentIndex(m_overviewModel->index(row, ColumnOverviewModel::Name),
                                                      QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    }
    const auto items = m_columnList->findItems(column, Qt::MatchExactly);
    if (!items.isEmpty() && m_columnList->currentItem() != items.front()) {
        QSignalBlocker block(m_columnList);
        m_columnList->setCurrentItem(items.front());
    }
    refreshDistribution();
}

QString DataPage::currentColumn() const
{
    return m_columnList->currentItem() ? m_columnList->currentItem()->text() : QString();
}

void DataPage::refreshDistribution()
{
    const auto table = session()->table();
    const auto distributions = session()->distributions();
    const auto profile = session()->profile();
    const QString column = currentColumn();
    const auto index = table ? table->indexOf(column.toStdString()) : std::nullopt;
    if (!table || !distributions || !index || *index >= distributions->size()) {
        m_distribution->clear(table ? tr("Choose a column to see how its values are distributed.")
                                    : tr("Load data to see how its values are distributed."));
        m_columnDetails->clear();
        return;
    }
    const data::Column& data = table->column(*index);
    m_distribution->setDistribution(column, (*distributions)[*index], data.kind() == data::ColumnKind::Datetime);

    QStringList parts;
    const int row = m_overviewModel->rowOf(column.toStdString());
    if (profile && row >= 0) {
        const auto* model = m_overviewModel;
        const auto text = [&](int field) { return model->index(row, field).data().toString(); };
        parts << QStringLiteral("<b>%1</b>").arg(column.toHtmlEscaped()) << text(ColumnOverviewModel::Kind);
        const QString missing = text(ColumnOverviewModel::Missing);
        parts << (missing == QStringLiteral("–") ? tr("no missing values") : tr("%1 missing").arg(missing));
        parts << tr("%1 unique").arg(text(ColumnOverviewModel::Unique));
        const std::pair<int, QString> stats[] = {{ColumnOverviewModel::Mean, tr("mean")},
                                                 {ColumnOverviewModel::Std, tr("std")},
                                                 {ColumnOverviewModel::Min, tr("min")},
                                                 {ColumnOverviewModel::Q1, tr("25%")},
                                                 {ColumnOverviewModel::Median, tr("median")},
                                                 {ColumnOverviewModel::Q3, tr("75%")},
                                                 {ColumnOverviewModel::Max, tr("max")}};
        for (const auto& [field, label] : stats) {
            const QString value = text(field);
            if (!value.isEmpty())
                parts << QStringLiteral("%1 %2").arg(label, value.toHtmlEscaped());
        }
        QString details = parts.join(QStringLiteral(" &nbsp;·&nbsp; "));
        const QString flags = m_overviewModel->index(row, ColumnOverviewModel::Flags).data(Qt::ToolTipRole).toString();
        if (!flags.isEmpty())
            details += QStringLiteral("<br><span style='color:#b45309'>%1</span>")
                           .arg(flags.toHtmlEscaped().replace(QLatin1Char('\n'), QStringLiteral("<br>")));
        m_columnDetails->setText(details);
    }
}

void DataPage::refreshCorrelation()
{
    const auto correlation = session()->table() ? session()->correlation() : nullptr;
    if (m_correlationModel->matrix() != correlation)
        m_correlationModel->setMatrix(correlation && correlation->size() >= 2 ? correlation : nullptr);
    if (!correlation || correlation->size() < 2) {
        m_correlationNote->clear();
        return;
    }
    struct Pair {
        std::size_t a, b;
        double r;
    };
    std::vector<Pair> pairs;
    for (std::size_t i = 0; i < correlation->size(); ++i)
        for (std::size_t j = 0; j < i; ++j)
            if (std::isfinite(correlation->at(i, j)))
                pairs.push_back({i, j, correlation->at(i, j)});
    std::sort(pairs.begin(), pairs.end(), [](const Pair& x, const Pair& y) { return std::abs(x.r) > std::abs(y.r); });
    QStringList strongest;
    for (std::size_t k = 0; k < pairs.size() && k < 3; ++k)
        strongest << QStringLiteral("%1 × %2 (r = %3)")
                         .arg(QString::fromStdString(correlation->columns[pairs[k].a]).toHtmlEscaped(),
                              QString::fromStdString(correlation->columns[pairs[k].b]).toHtmlEscaped(),
                              QString::number(pairs[k].r, 'f', 3).replace(QLatin1Char('-'), QChar(0x2212)));
    m_correlationNote->setText(
        strongest.isEmpty()
            ? tr("No pair of numeric columns has a defined correlation.")
            : tr("Strongest: %1. Near ±1, two columns carry the same information — a model needs only one; "
                 "a column that correlates strongly with the target may be a leak.")
                  .arg(strongest.join(QStringLiteral(", "))));
}

QString DataPage::incompleteReason() const
{
    if (session()->isLoading())
        return tr("wait for the data to finish loading.");
    const auto table = session()->table();
    if (!table)
        return tr("load a dataset — open a file, choose a bundled one, or generate one.");
    const auto& problem = session()->recipe().problem;
    if (problem.target.empty())
        return tr("choose the target column.");
    if (!table->hasColumn(problem.target))
        return tr("“%1” is not a column of this data — choose the target column.")
            .arg(QString::fromStdString(problem.target));
    if (problem.task == core::TaskType::Regression && !table->column(problem.target).isNumeric())
        return tr("regression needs a numeric target, and “%1” is categorical — choose a numeric column or switch "
                  "to classification on the Problem step.")
            .arg(QString::fromStdString(problem.target));
    if (table->columnCount() < 2)
        return tr("the data needs at least one column besides the target.");
    return {};
}

} // namespace stepwise::ui
