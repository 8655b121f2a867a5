#include "pages/data_page.hpp"

#include <QComboBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QSettings>
#include <QSignalBlocker>
#include <QSplitter>
#include <QStandardPaths>
#include <QStyle>
#include <QTableView>
#include <QTableWidget>
#include <QVBoxLayout>

#include <cmath>

#include "models/table_model.hpp"
#include "pages/synthetic_data_dialog.hpp"
#include "session/session.hpp"
#include "stepwise/data/builtin_datasets.hpp"
#include "widgets/class_balance_bar.hpp"
#include "widgets/share_bar_delegate.hpp"
#include "widgets/status_banner.hpp"
#include "widgets/task_progress_panel.hpp"

namespace stepwise::ui {
namespace {

const char* kLastFolderKey = "paths/lastDataFolder";

QString shortNumber(double value)
{
    if (!std::isfinite(value))
        return QStringLiteral("—");
    if (value == std::floor(value) && std::abs(value) < 1e7)
        return QLocale().toString(qlonglong(value));
    // Three significant digits are plenty for a summary; the table has the exact values.
    return QLocale().toString(value, 'g', std::abs(value) >= 1000 && std::abs(value) < 1e7 ? 6 : 3);
}

QString flagTitle(const std::string& kind)
{
    if (kind == "target_leak")
        return QObject::tr("Possible target leak");
    if (kind == "id_like")
        return QObject::tr("Looks like an ID");
    if (kind == "constant")
        return QObject::tr("Constant column");
    if (kind == "high_cardinality")
        return QObject::tr("Many categories");
    return QString::fromStdString(kind);
}

} // namespace

QString formatShare(double fraction)
{
    if (fraction > 0 && fraction < 0.001)
        return QStringLiteral("<0.1%");
    const double percent = fraction * 100.0;
    return QString::number(percent, 'f', percent < 10 && percent != std::floor(percent) ? 1 : 0) + QLatin1Char('%');
}

DataPage::DataPage(Session* session, QWidget* parent)
    : WizardStepPage(session, tr("Data"),
                     tr("Load the rows to learn from, look at them, and say which column to predict."), parent),
      m_open(new QPushButton(tr("Open CSV…"), this)),
      m_builtin(new QComboBox(this)),
      m_generate(new QPushButton(tr("Generate synthetic…"), this)),
      m_progress(new TaskProgressPanel(TaskProgressPanel::Form::Full, this)),
      m_summary(new QLabel(this)),
      m_target(new QComboBox(this)),
      m_targetNote(makeNote({}, this)),
      m_balance(new ClassBalanceBar(this)),
      m_view(new QTableView(this)),
      m_model(new TableModel(this)),
      m_columns(new QTableWidget(this))
{
    m_open->setObjectName(QStringLiteral("openCsvButton"));
    m_builtin->setObjectName(QStringLiteral("builtinCombo"));
    m_generate->setObjectName(QStringLiteral("generateButton"));
    m_summary->setObjectName(QStringLiteral("dataSummary"));
    m_target->setObjectName(QStringLiteral("dataTargetCombo"));
    m_view->setObjectName(QStringLiteral("dataTable"));
    m_columns->setObjectName(QStringLiteral("columnSummary"));

    m_open->setIcon(style()->standardIcon(QStyle::SP_DialogOpenButton));
    m_open->setToolTip(tr("Open a comma- or tab-separated file with a header row (Ctrl+O). You can also drop a "
                          "file onto the window."));
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

    m_view->setModel(m_model);
    m_view->setAlternatingRowColors(true);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_view->setWordWrap(false);
    m_view->verticalHeader()->setDefaultSectionSize(m_view->fontMetrics().height() + 6);
    m_view->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_view->horizontalHeader()->setDefaultSectionSize(90);
    m_view->horizontalHeader()->setHighlightSections(false);
    // Sizing columns to the first rows is instant and representative; all rows is not.
    m_view->horizontalHeader()->setResizeContentsPrecision(200);

    m_columns->setColumnCount(5);
    m_columns->setHorizontalHeaderLabels({tr("Column"), tr("Kind"), tr("Missing"), tr("Unique"), tr("Summary")});
    m_columns->verticalHeader()->setVisible(false);
    m_columns->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_columns->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_columns->setAlternatingRowColors(true);
    m_columns->setWordWrap(false);
    m_columns->verticalHeader()->setDefaultSectionSize(m_columns->fontMetrics().height() + 6);
    m_columns->horizontalHeader()->setStretchLastSection(true);
    m_columns->horizontalHeader()->setHighlightSections(false);
    m_columns->setItemDelegateForColumn(2, new ShareBarDelegate(QColor(0xd9, 0x77, 0x06), this));
    m_columns->horizontalHeaderItem(2)->setToolTip(tr("Missing values (share of all rows)"));
    m_columns->horizontalHeaderItem(3)->setToolTip(tr("Distinct values that occur"));

    auto* splitter = new QSplitter(Qt::Horizontal, this);
    splitter->addWidget(m_view);
    splitter->addWidget(m_columns);
    splitter->setStretchFactor(0, 1);
    splitter->setStretchFactor(1, 1);
    splitter->setSizes({570, 440});
    splitter->setChildrenCollapsible(false);
    contentLayout()->addWidget(splitter, 1);

    setLearnText(tr("<p>Look at the data before modelling it. Check the <b>kind</b> of each column, how many "
                    "values are <b>missing</b>, and whether a column could not be known at prediction time.</p>"
                    "<p>A <b>target leak</b> is a column that gives the answer away (on the Titanic data, "
                    "<i>alive</i> is <i>survived</i> in words). A model trained with it looks perfect and is "
                    "useless; Stepwise leaves flagged columns out on the Features step.</p>"
                    "<p>An <b>ID</b> column is different for every row and carries no signal.</p>"));

    connect(m_open, &QPushButton::clicked, this, &DataPage::openFileDialog);
    connect(m_generate, &QPushButton::clicked, this, &DataPage::openGenerateDialog);
    connect(m_builtin, &QComboBox::currentIndexChanged, this, [this](int index) {
        if (index <= 0)
            return;
        data::DataSource source;
        source.kind = data::DataSourceKind::Builtin;
        source.location = m_builtin->itemData(index).toString().toStdString();
        this->session()->loadData(source);
    });
    connect(m_target, &QComboBox::currentIndexChanged, this, [this](int index) {
        if (index >= 0)
            this->session()->setTarget(m_target->itemData(index).toString());
    });
    connect(session, &Session::dataChanged, this, &DataPage::refreshData);
    connect(session, &Session::profileChanged, this, &DataPage::refreshProfile);
    connect(session, &Session::recipeChanged, this, &DataPage::refreshTarget);
    connect(session->dataTask(), &BackgroundTask::started, this, [this] {
        banner()->clearMessage(QStringLiteral("load-error"));
        m_open->setEnabled(false);
        m_generate->setEnabled(false);
        updateCompleteness();
    });
    connect(session->dataTask(), &BackgroundTask::finished, this, [this] {
        m_open->setEnabled(true);
        m_generate->setEnabled(true);
        refreshData();
    });
    connect(session, &Session::dataLoadFailed, this, [this](const QString& message) {
        banner()->setMessage(QStringLiteral("load-error"), StatusBanner::Level::Error,
                             tr("The data could not be loaded: %1").arg(message));
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
    const QString path = QFileDialog::getOpenFileName(this, tr("Open data"), folder,
                                                      tr("Data files (*.csv *.tsv *.txt);;All files (*)"));
    if (path.isEmpty())
        return;
    if (m_usesSettings)
        QSettings().setValue(kLastFolderKey, QFileInfo(path).absolutePath());
    openFile(path);
}

void DataPage::openFile(const QString& path)
{
    data::DataSource source;
    source.kind = data::DataSourceKind::File;
    source.location = QFileInfo(path).absoluteFilePath().toStdString();
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
    session()->loadData(source);
}

void DataPage::refreshData()
{
    const auto table = session()->table();
    if (m_model->table() != table) {
        m_model->setTable(table);
        m_view->resizeColumnsToContents();
        for (int column = 0; column < m_model->columnCount(); ++column)
            m_view->setColumnWidth(column, std::clamp(m_view->columnWidth(column) + 12, 56, 220));
    }
    const auto& source = session()->loadedSource();
    {
        QSignalBlocker block(m_builtin);
        int index = 0;
        if (table && source.kind == data::DataSourceKind::Builtin)
            index = std::max(0, m_builtin->findData(QString::fromStdString(source.location)));
        m_builtin->setCurrentIndex(index);
    }
    if (!table) {
        m_summary->setText(tr("<span style='font-size:large'>No data loaded yet.</span>"));
        if (!session()->isLoading())
            banner()->setMessage(QStringLiteral("empty"), StatusBanner::Level::Info,
                                 tr("Open a CSV file, choose a bundled dataset, or generate synthetic data."));
    } else {
        banner()->clearMessage(QStringLiteral("empty"));
        QString name = QString::fromStdString(source.describe());
        if (source.kind == data::DataSourceKind::File)
            name = QFileInfo(QString::fromStdString(source.location)).fileName();
        const QLocale locale;
        m_summary->setText(
            tr("<span style='font-size:large'><b>%1</b></span> &nbsp;·&nbsp; %2 rows × %3 columns &nbsp;·&nbsp; %4 "
               "missing values &nbsp;·&nbsp; <span style='color:gray'>loaded in %5</span>")
                .arg(name.toHtmlEscaped(), locale.toString(qulonglong(table->rowCount())),
                     locale.toString(qulonglong(table->columnCount())), locale.toString(qulonglong(table->missingCount())),
                     formatElapsed(qint64(session()->loadSeconds() * 1000))));
        m_summary->setToolTip(QString::fromStdString(source.describe()));
    }
    if (session()->isLoading())
        banner()->clearMessage(QStringLiteral("empty"));
    refreshProfile();
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
                                          tr("%1 column").arg(QString::fromLatin1(data::toString(column.type()))),
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
    m_columns->setRowCount(0);
    if (!profile || !table) {
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
    const QLocale locale;
    const std::string& target = session()->recipe().problem.target;
    m_columns->setRowCount(int(profile->columns.size()));
    for (int row = 0; row < int(profile->columns.size()); ++row) {
        const auto& column = profile->columns[std::size_t(row)];
        auto* name = new QTableWidgetItem(QString::fromStdString(column.name));
        QStringList flagText;
        for (const auto& flag : profile->flags) {
            if (flag.column == column.name)
                flagText << flagTitle(flag.kind) + QStringLiteral(": ") + QString::fromStdString(flag.message);
        }
        if (!flagText.isEmpty()) {
            name->setIcon(QIcon(bannerIcon(StatusBanner::Level::Warning, 14, devicePixelRatioF())));
            name->setToolTip(flagText.join(QLatin1Char('\n')));
        }
        if (column.name == target) {
            QFont font = name->font();
            font.setBold(true);
            name->setFont(font);
            name->setToolTip(tr("The target column"));
        }
        auto* kind = new QTableWidgetItem(QString::fromStdString(column.kind));
        const double share = double(column.missing) / double(std::max<std::size_t>(1, profile->rows));
        auto* missing = new QTableWidgetItem(column.missing == 0 ? QStringLiteral("–") : formatShare(share));
        missing->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
        if (column.missing > 0) {
            missing->setData(Qt::UserRole, share);
            missing->setToolTip(tr("%1 of %2 rows missing").arg(locale.toString(qulonglong(column.missing)),
                                                                locale.toString(qulonglong(profile->rows))));
        }
        auto* unique = new QTableWidgetItem(locale.toString(qulonglong(column.unique)));
        unique->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
        QString summary;
        if (column.mean) {
            summary = tr("%1 – %2, mean %3")
                          .arg(shortNumber(column.min.value_or(NAN)), shortNumber(column.max.value_or(NAN)),
                               shortNumber(*column.mean));
        } else if (!column.top.empty()) {
            QStringList tops;
            for (std::size_t i = 0; i < column.top.size() && i < 3; ++i)
                tops << QStringLiteral("%1 (%2)").arg(QString::fromStdString(column.top[i].first)).arg(column.top[i].second);
            summary = tops.join(QStringLiteral(", "));
        }
        auto* summaryItem = new QTableWidgetItem(summary);
        summaryItem->setToolTip(summary);
        m_columns->setItem(row, 0, name);
        m_columns->setItem(row, 1, kind);
        m_columns->setItem(row, 2, missing);
        m_columns->setItem(row, 3, unique);
        m_columns->setItem(row, 4, summaryItem);
    }
    m_columns->resizeColumnsToContents();
    refreshTarget();
}

QString DataPage::incompleteReason() const
{
    if (session()->isLoading())
        return tr("wait for the data to finish loading.");
    const auto table = session()->table();
    if (!table)
        return tr("load a dataset — open a CSV, choose a bundled one, or generate one.");
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
