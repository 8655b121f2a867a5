#include "pages/evaluation_page.hpp"

#include <QButtonGroup>
#include <QCoreApplication>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QPainter>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSplitter>
#include <QStackedWidget>
#include <QStyledItemDelegate>
#include <QTabBar>
#include <QTabWidget>
#include <QTableView>
#include <QTableWidget>
#include <QToolButton>
#include <QVBoxLayout>

#include <algorithm>
#include <array>
#include <cmath>
#include <tuple>

#include "models/confusion_matrix_model.hpp"
#include "models/test_rows_model.hpp"
#include "pages/misconception_banner.hpp"
#include "session/session.hpp"
#include "stepwise/workflow/misconceptions.hpp"
#include "stepwise/evaluation/metrics.hpp"
#include "stepwise/evaluation/success.hpp"
#include "stepwise/models/registry.hpp"
#include "tasks/background_task.hpp"
#include "tasks/evaluation_curves.hpp"
#include "report/evaluation_report.hpp"
#include "widgets/charts/curve_chart.hpp"
#include "widgets/teaching/confusion_explanation.hpp"
#include "widgets/charts/distribution_chart.hpp"
#include "widgets/charts/interval_bar_chart.hpp"
#include "widgets/charts/residual_chart.hpp"
#include "widgets/charts/scatter_chart.hpp"
#include "widgets/charts/score_curve_chart.hpp"
#include "widgets/evaluation/estimate_check_view.hpp"
#include "widgets/evaluation/importance_view.hpp"
#include "widgets/evaluation/learning_curve_view.hpp"
#include "widgets/evaluation/model_comparison_view.hpp"
#include "widgets/evaluation/residuals_view.hpp"
#include "widgets/curves_view.hpp"
#include "widgets/heatmap_widget.hpp"
#include "widgets/recipe_summary.hpp"
#include "widgets/status_banner.hpp"
#include "widgets/threshold_view.hpp"
#include "widgets/verdict_badge.hpp"
#include "teaching/why_link.hpp"

namespace stepwise::ui {

QString formatMetric(double value, std::optional<double> threshold)
{
    if (!std::isfinite(value))
        return QString::number(value);
    const double magnitude = std::abs(value);
    int decimals = magnitude >= 1000 ? 1 : 3;
    QString text = QString::number(value, 'f', decimals);
    // 0.7496 must not print as "0.750" next to a threshold of 0.75.
    while (threshold && value != *threshold && text.toDouble() == *threshold && decimals < 10)
        text = QString::number(value, 'f', ++decimals);
    return text;
}

namespace {

/// Where a metric sits in the table: scores of the labels, averages over classes, and
/// what needs probabilities.
bool isMulticlassAucVariant(const std::string& metric)
{
    return metric == "roc_auc_ovr_weighted" || metric == "roc_auc_ovo" || metric == "roc_auc_ovo_weighted";
}

int metricGroup(const std::string& name)
{
    const auto has = [&](const char* part) { return name.find(part) != std::string::npos; };
    if (has("roc_auc") || has("average_precision") || has("log_loss") || has("brier"))
        return 2;
    if (has("_macro") || has("_micro") || has("_weighted"))
        return 1;
    return 0;
}

/// Item data marking the first metric of a group (a separator is drawn above it).
constexpr int kGroupStartRole = Qt::UserRole + 1;

/// Draws the line between two groups of metrics.
class MetricGroupDelegate : public QStyledItemDelegate {
public:
    using QStyledItemDelegate::QStyledItemDelegate;
    void paint(QPainter* painter, const QStyleOptionViewItem& option, const QModelIndex& index) const override
    {
        QStyledItemDelegate::paint(painter, option, index);
        if (index.row() == 0 || !index.siblingAtColumn(0).data(kGroupStartRole).toBool())
            return;
        painter->save();
        painter->setPen(QPen(option.palette.color(QPalette::Dark), 1.5));
        painter->drawLine(option.rect.topLeft() + QPointF(0, 0.75), option.rect.topRight() + QPointF(0, 0.75));
        painter->restore();
    }
};

QString groupName(int group)
{
    switch (group) {
    case 1: return EvaluationPage::tr("Averaged over the classes");
    case 2: return EvaluationPage::tr("From the probabilities");
    default: return EvaluationPage::tr("Overall");
    }
}

/// The Counts / Row % / Column % toggle of a confusion-matrix heatmap.
QWidget* makeModeToggle(ConfusionMatrixModel* model, QWidget* parent)
{
    auto* toggle = new QWidget(parent);
    auto* layout = new QHBoxLayout(toggle);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    auto* modes = new QButtonGroup(toggle);
    const std::array<std::tuple<ConfusionMatrixModel::Mode, QString, QString, const char*>, 3> choices = {{
        {ConfusionMatrixModel::Mode::Counts, EvaluationPage::tr("Counts"),
         EvaluationPage::tr("Shade by the number of rows in each cell"), "countsButton"},
        {ConfusionMatrixModel::Mode::RowNormalized, EvaluationPage::tr("Row %"),
         EvaluationPage::tr("Shade by the share of each actual class (row) that landed in the cell — small classes "
                            "count as much as big ones; the diagonal is each class's recall"),
         "rowPercentButton"},
        {ConfusionMatrixModel::Mode::ColumnNormalized, EvaluationPage::tr("Column %"),
         EvaluationPage::tr("Shade by the share of each predicted class (column) in the cell — when the model says "
                            "X, how often is it X; the diagonal is each class's precision"),
         "columnPercentButton"},
    }};
    for (const auto& [mode, text, tip, name] : choices) {
        auto* button = new QToolButton(toggle);
        button->setText(text);
        button->setToolTip(tip);
        button->setObjectName(QString::fromLatin1(name));
        button->setCheckable(true);
        button->setChecked(mode == model->mode());
        modes->addButton(button, int(mode));
        layout->addWidget(button);
    }
    QObject::connect(modes, &QButtonGroup::idToggled, model, [model](int id, bool on) {
        if (on)
            model->setMode(ConfusionMatrixModel::Mode(id));
    });
    QObject::connect(model, &ConfusionMatrixModel::modeChanged, modes,
                     [modes](ConfusionMatrixModel::Mode mode) { modes->button(int(mode))->setChecked(true); });
    return toggle;
}

QStringList classNamesOf(const workflow::RunResult& result)
{
    QStringList names;
    if (result.pipeline)
        for (const auto& name : result.pipeline->classes())
            names << QString::fromStdString(name);
    return names;
}

QString milliseconds(double ms)
{
    // "250 ms", "4.20 ms", "0.042 ms": never an exponent for a budget someone typed.
    const QString number = ms >= 100 ? QString::number(ms, 'f', 0)
                                     : (ms >= 1 ? QString::number(ms, 'f', 2) : QString::number(ms, 'g', 2));
    return number + QStringLiteral(" ms");
}

} // namespace

EvaluationPage::EvaluationPage(Session* session, QWidget* parent)
    : WizardStepPage(session, tr("Evaluation"),
                     tr("Scores on the test rows — data the model never saw while it trained."), parent),
      m_verdict(new VerdictBadge(this)),
      m_summary(makeNote({}, this)),
      m_tabs(new QTabWidget(this)),
      m_metrics(new QTableWidget(this)),
      m_views(new QStackedWidget(this)),
      m_classificationView(new QWidget(this)),
      m_matrixModel(new ConfusionMatrixModel(this)),
      m_matrix(new HeatmapWidget(this)),
      m_matrixSplit(new QSplitter(Qt::Vertical, this)),
      m_cellCaption(makeNote({}, this)),
      m_cellRowsModel(new TestRowsModel(this)),
      m_cellRows(new QTableView(this)),
      m_scatter(new ScatterChart(this)),
      m_details(new QTabWidget(this)),
      m_perClass(new QTableWidget(this)),
      m_report(new QPlainTextEdit(this)),
      m_threshold(new ThresholdView(this)),
      m_curves(new CurvesView(this)),
      m_curvesTask(new BackgroundTask(tr("Curves"), this)),
      m_comparisonTask(new BackgroundTask(tr("Scoring the compared models"), this)),
      m_residuals(new ResidualsView(session, this)),
      m_estimate(new EstimateCheckView(session, this)),
      m_importance(new ImportanceView(session, this)),
      m_learning(new LearningCurveView(session, this)),
      m_comparison(new ModelComparisonView(session, this)),
      m_reportExport(new EvaluationReportExport(session, banner(), this))
{
    m_summary->setObjectName(QStringLiteral("evaluationSummary"));
    m_tabs->setObjectName(QStringLiteral("evaluationTabs"));
    m_metrics->setObjectName(QStringLiteral("metricsTable"));
    m_matrix->setObjectName(QStringLiteral("evaluationConfusionMatrix"));
    m_cellCaption->setObjectName(QStringLiteral("cellRowsCaption"));
    m_cellRows->setObjectName(QStringLiteral("cellRowsView"));
    m_details->setObjectName(QStringLiteral("classDetailsTabs"));
    m_perClass->setObjectName(QStringLiteral("perClassTable"));
    m_report->setObjectName(QStringLiteral("classificationReport"));

    auto* top = new QVBoxLayout;
    top->setSpacing(4);
    top->addWidget(m_verdict);
    top->addWidget(m_summary);
    contentLayout()->addLayout(top);
    contentLayout()->addWidget(m_tabs, 1);

    // Metrics: compact rows, grouped (a line between the groups), scrolling when
    // the list is longer than the room.
    m_metrics->setColumnCount(2);
    m_metrics->setHorizontalHeaderLabels({tr("Metric"), tr("Value")});
    m_metrics->verticalHeader()->setVisible(false);
    m_metrics->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_metrics->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_metrics->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Stretch);
    m_metrics->horizontalHeader()->setSectionResizeMode(1, QHeaderView::ResizeToContents);
    m_metrics->verticalHeader()->setDefaultSectionSize(m_metrics->fontMetrics().height() + 6);
    m_metrics->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_metrics->setMinimumHeight(m_metrics->fontMetrics().height() * 8);
    m_metrics->setItemDelegate(new MetricGroupDelegate(m_metrics));

    m_perClass->setColumnCount(6);
    m_perClass->setHorizontalHeaderLabels(
        {tr("Class"), tr("Precision"), tr("Recall"), tr("F1"), tr("Specificity"), tr("Support")});
    m_perClass->verticalHeader()->setVisible(false);
    m_perClass->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_perClass->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_perClass->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    m_perClass->horizontalHeader()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    m_perClass->verticalHeader()->setDefaultSectionSize(m_perClass->fontMetrics().height() + 6);
    m_perClass->horizontalHeaderItem(1)->setToolTip(tr("Of the rows predicted as this class, the share that were"));
    m_perClass->horizontalHeaderItem(2)->setToolTip(tr("Of the rows that are this class, the share found"));
    m_perClass->horizontalHeaderItem(3)->setToolTip(tr("Harmonic mean of precision and recall"));
    m_perClass->horizontalHeaderItem(4)->setToolTip(
        tr("Of the rows that are not this class, the share not predicted as it"));
    m_perClass->horizontalHeaderItem(5)->setToolTip(tr("Number of test rows of this class"));
    QFont mono = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    mono.setPointSizeF(font().pointSizeF() * 0.9);
    m_report->setFont(mono);
    m_report->setReadOnly(true);
    m_report->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_report->setToolTip(tr("The same layout as scikit-learn's classification_report — paste it into notes"));
    m_details->addTab(m_perClass, tr("Per class"));
    m_details->addTab(m_report, tr("Text report (as scikit-learn prints it)"));
    m_details->setDocumentMode(true);

    auto* left = new QWidget(this);
    auto* leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(0, 0, 0, 0);
    leftLayout->setSpacing(4);
    leftLayout->addWidget(makeSectionTitle(tr("Metrics on the test rows"), this));
    leftLayout->addWidget(m_metrics, 1);
    auto* metricsNote = makeNote(tr("Hover a metric for what it means. ★ marks your success metric."), this);
    leftLayout->addWidget(metricsNote);
    leftLayout->addWidget(m_details, 0);
    // Regression has no details; the metrics keep their own height and the rest is empty.
    leftLayout->addStretch(0);
    left->setMinimumWidth(330);

    m_matrix->setModel(m_matrixModel);
    m_matrix->setCornerWidget(makeModeToggle(m_matrixModel, this));
    m_matrix->setFocusPolicy(Qt::StrongFocus);
    m_matrix->setToolTip(QString());
    connect(m_matrix, &HeatmapWidget::cellClicked, this, &EvaluationPage::showCellRows);
    m_cellExplanation = new QLabel(this);
    m_cellExplanation->setObjectName(QStringLiteral("cellExplanation"));
    m_cellExplanation->setWordWrap(true);
    m_cellExplanation->setTextFormat(Qt::PlainText);
    // Pointing at a cell explains it; leaving the matrix goes back to the clicked cell's.
    connect(m_matrix, &HeatmapWidget::cellHovered, this, [this](int actual, int predicted) {
        const QPoint selected = m_matrix->selectedCell();
        if (actual < 0 && selected.x() < 0) {
            m_cellExplanation->clear();
            return;
        }
        m_cellExplanation->setText(explainConfusionCell(m_matrixModel->matrix(), m_matrixModel->classNames(),
                                                        m_matrixModel->targetName(),
                                                        actual >= 0 ? actual : selected.y(),
                                                        actual >= 0 ? predicted : selected.x()));
    });

    m_cellRows->setModel(m_cellRowsModel);
    m_cellRows->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_cellRows->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_cellRows->setAlternatingRowColors(true);
    m_cellRows->verticalHeader()->setVisible(false);
    m_cellRows->verticalHeader()->setDefaultSectionSize(m_cellRows->fontMetrics().height() + 6);
    m_cellRows->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
    m_cellRows->horizontalHeader()->setDefaultSectionSize(90);
    m_cellRows->hide();

    auto* matrixBox = new QWidget(this);
    auto* matrixLayout = new QVBoxLayout(matrixBox);
    matrixLayout->setContentsMargins(0, 0, 0, 0);
    matrixLayout->addWidget(makeSectionTitle(tr("Confusion matrix of the test rows"), this));
    matrixLayout->addWidget(m_matrix, 1);
    auto* rowsBox = new QWidget(this);
    auto* rowsLayout = new QVBoxLayout(rowsBox);
    rowsLayout->setContentsMargins(0, 0, 0, 0);
    rowsLayout->setSpacing(2);
    rowsLayout->addWidget(m_cellExplanation);
    rowsLayout->addWidget(m_cellCaption);
    rowsLayout->addWidget(m_cellRows, 1);
    m_matrixSplit->setChildrenCollapsible(false);
    m_matrixSplit->addWidget(matrixBox);
    m_matrixSplit->addWidget(rowsBox);
    m_matrixSplit->setStretchFactor(0, 1);
    m_matrixSplit->setStretchFactor(1, 0);
    auto* classificationLayout = new QVBoxLayout(m_classificationView);
    classificationLayout->setContentsMargins(0, 0, 0, 0);
    classificationLayout->addWidget(m_matrixSplit);
    m_views->addWidget(m_classificationView);
    m_views->addWidget(m_scatter);

    auto* overview = new QSplitter(Qt::Horizontal, this);
    overview->setObjectName(QStringLiteral("overviewTab"));
    overview->setChildrenCollapsible(false);
    overview->addWidget(left);
    overview->addWidget(m_views);
    overview->setStretchFactor(0, 0);
    overview->setStretchFactor(1, 1);
    overview->setSizes({380, 620});
    auto* overviewTab = new QWidget(this);
    auto* overviewLayout = new QVBoxLayout(overviewTab);
    overviewLayout->setContentsMargins(6, 8, 6, 4);
    overviewLayout->addWidget(overview);

    auto* thresholdTab = new QWidget(this);
    auto* thresholdLayout = new QVBoxLayout(thresholdTab);
    thresholdLayout->setContentsMargins(6, 8, 6, 4);
    thresholdLayout->addWidget(m_threshold);
    auto* curvesTab = new QWidget(this);
    auto* curvesLayout = new QVBoxLayout(curvesTab);
    curvesLayout->setContentsMargins(6, 8, 6, 4);
    curvesLayout->addWidget(m_curves);
    m_curves->setComparisonTask(m_comparisonTask);

    m_tabs->addTab(overviewTab, tr("Overview"));
    m_tabs->addTab(thresholdTab, tr("Threshold"));
    m_tabs->addTab(curvesTab, tr("Curves"));
    m_tabs->setTabToolTip(OverviewTab, tr("Every metric, the confusion matrix and the per-class scores"));
    m_tabs->setTabToolTip(ThresholdTab, tr("Move the decision threshold and watch precision and recall trade off"));
    m_tabs->setTabToolTip(CurvesTab, tr("ROC, precision-recall and calibration curves, for every trained model"));
    m_tabs->addTab(m_residuals, tr("Residuals"));
    m_tabs->addTab(m_estimate, tr("Train vs test"));
    m_tabs->addTab(m_importance, tr("Importance"));
    m_tabs->addTab(m_learning, tr("Learning curve"));
    m_tabs->addTab(m_comparison, tr("Compare models"));
    m_tabs->setTabToolTip(ResidualsTab, tr("Errors against predictions, and how the errors are spread"));
    m_tabs->setTabToolTip(TrainVsTestTab,
                          tr("The success metric on the training rows, by cross-validation or validation, and on the "
                             "test rows — overfitting shows here — and the measured latency"));
    m_tabs->setTabToolTip(ImportanceTab, tr("Which input columns the model relies on"));
    m_tabs->setTabToolTip(LearningTab, tr("Would more rows help, and how one hyper-parameter moves the score"));
    m_tabs->setTabToolTip(CompareTab, tr("Every trained model side by side; pick the one to export"));

    auto* exportReport = new QPushButton(tr("Export report…"), this);
    exportReport->setObjectName(QStringLiteral("exportReportButton"));
    exportReport->setToolTip(tr("Save this evaluation — verdict, recipe, every metric and the charts — as HTML or PDF"));
    m_tabs->setCornerWidget(exportReport, Qt::TopRightCorner);
    connect(exportReport, &QPushButton::clicked, this,
            [this] { m_reportExport->chooseFileAndExport(reportFigures()); });

    // "Why?" links: the short why on hover, the glossary entry in the Learn panel.
    teaching::attachItemWhy(m_metrics, QStringLiteral("metric/"), Qt::UserRole);
    teaching::attachWhy(m_matrix, QStringLiteral("option/confusion_matrix"));
    teaching::attachWhy(m_threshold, QStringLiteral("option/decision_threshold"));
    setLearnStep(teaching::Step::Evaluation);

    connect(session, &Session::resultChanged, this, &EvaluationPage::refresh);
    connect(session, &Session::recipeChanged, this, &EvaluationPage::refreshVerdict);
    connect(m_comparisonTask, &BackgroundTask::finished, this, [this] {
        if (m_comparisonTask->state() == BackgroundTask::State::Failed)
            m_curves->setComparisonMessage(
                tr("The compared models could not be scored: %1").arg(m_comparisonTask->errorMessage()));
    });
    connect(m_curvesTask, &BackgroundTask::finished, this, [this] {
        if (m_curvesTask->state() != BackgroundTask::State::Failed)
            return;
        const QString message = tr("The curves could not be computed: %1").arg(m_curvesTask->errorMessage());
        m_threshold->showMessage(message);
        m_curves->showMessage(message);
    });
    refresh();
}

EvaluationPage::~EvaluationPage()
{
    // Stop the workers before the views their results would go to are destroyed.
    delete m_comparisonTask;
    delete m_curvesTask;
}

int EvaluationPage::addTab(QWidget* tab, const QString& title) { return m_tabs->addTab(tab, title); }

void EvaluationPage::initializePage() { refresh(); }

void EvaluationPage::refresh()
{
    const auto result = session()->result();
    m_cellRowsModel->clear();
    m_cellRows->hide();
    m_matrix->setSelectedCell(-1, -1);
    m_cellExplanation->clear();
    m_perClass->setRowCount(0);
    m_report->clear();
    refreshMetrics();
    if (!result) {
        m_resultTable.reset();
        m_matrixModel->clear();
        m_matrix->setPlaceholderText(tr("Train a model to see its confusion matrix."));
        m_scatter->clear(tr("Train a model to see its predictions."));
        m_summary->clear();
        m_cellCaption->clear();
        refreshCurves();
        refreshVerdict();
        return;
    }
    const auto& recipe = session()->resultRecipe();
    const auto task = recipe.problem.task;
    const QLocale locale;
    // The loaded table is the one trained on unless other data came in meanwhile; a table
    // without the target or the test rows is not it.
    m_resultTable = session()->table();
    if (result->separateTestData || !m_resultTable || !m_resultTable->hasColumn(recipe.problem.target) ||
        (!result->testRows.empty() && result->testRows.back() >= m_resultTable->rowCount()))
        m_resultTable.reset();
    m_summary->setText(tr("%1 · target “%2” · trained on %3 rows, tested on %4 rows%5 · seed %6")
                           .arg(modelDisplayName(recipe.model.name), QString::fromStdString(recipe.problem.target),
                                locale.toString(qulonglong(result->trainRowCount)),
                                locale.toString(qulonglong(result->testRows.size())),
                                result->separateTestData
                                    ? tr(" (separate test data)")
                                    : tr(" (%1% held out%2)")
                                          .arg(QString::number(recipe.prep.testSize * 100, 'f', 0))
                                          .arg(recipe.prep.stratify && task == core::TaskType::Classification
                                                   ? tr(", stratified")
                                                   : QString()))
                           .arg(recipe.seed));

    m_details->setVisible(result->classification.has_value());
    if (result->classification) {
        m_views->setCurrentWidget(m_classificationView);
        const QStringList names = classNamesOf(*result);
        std::vector<std::string> classNames;
        if (result->pipeline)
            classNames = result->pipeline->classes();
        m_matrixModel->setTargetName(QString::fromStdString(recipe.problem.target));
        m_matrixModel->setMatrix(result->classification->confusion, names);
        m_cellCaption->setText(tr("Click a cell of the matrix to list its test rows; point at one to read what it "
                                  "means."));
        const auto& perClass = result->classification->perClass;
        for (std::size_t i = 0; i < perClass.size(); ++i) {
            const int row = m_perClass->rowCount();
            m_perClass->insertRow(row);
            const auto& scores = perClass[i];
            m_perClass->setItem(row, 0,
                                new QTableWidgetItem(i < classNames.size() ? QString::fromStdString(classNames[i])
                                                                            : QString::number(i)));
            const double values[] = {scores.precision, scores.recall, scores.f1, scores.specificity};
            for (int c = 0; c < 4; ++c) {
                auto* item = new QTableWidgetItem(QString::number(values[c], 'f', 3));
                item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
                m_perClass->setItem(row, c + 1, item);
            }
            auto* support = new QTableWidgetItem(locale.toString(qulonglong(scores.support)));
            support->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
            m_perClass->setItem(row, 5, support);
        }
        m_report->setPlainText(
            QString::fromStdString(evaluation::classificationReport(*result->classification, classNames)));
        // The per-class table as tall as its rows (up to eight, then it scrolls); the
        // metrics above take the rest.
        const int shownRows = std::min(m_perClass->rowCount(), 8);
        const int tableHeight = m_perClass->horizontalHeader()->sizeHint().height() +
                                shownRows * m_perClass->verticalHeader()->defaultSectionSize() +
                                2 * m_perClass->frameWidth() + 4;
        m_details->setFixedHeight(tableHeight + m_details->tabBar()->sizeHint().height() + 4);
    } else if (result->regression) {
        m_views->setCurrentWidget(m_scatter);
        m_matrixModel->clear();
        m_cellCaption->clear();
        const auto& predicted = result->testPredictions.values;
        m_scatter->setData(result->testActualValue, predicted, QString::fromStdString(recipe.problem.target));
    }
    refreshCurves();
    refreshVerdict();
}

void EvaluationPage::refreshMetrics()
{
    const auto result = session()->result();
    m_metrics->setRowCount(0);
    if (!result)
        return;
    const auto task = result->classification ? core::TaskType::Classification : core::TaskType::Regression;
    std::vector<evaluation::MetricInfo> infos = evaluation::metricsFor(task);
    std::stable_sort(infos.begin(), infos.end(),
                     [](const auto& a, const auto& b) { return metricGroup(a.name) < metricGroup(b.name); });
    const auto& success = session()->recipe().problem.success;
    // With two classes the multiclass AUC variants equal ROC AUC; listing them would only
    // repeat it (unless one of them is the success metric).
    if (result->classification && result->classification->perClass.size() == 2)
        std::erase_if(infos, [&](const evaluation::MetricInfo& info) {
            return isMulticlassAucVariant(info.name) && !(success && success->metric == info.name);
        });
    int lastGroup = -1;
    for (const auto& info : infos) {
        std::optional<double> value;
        if (result->classification)
            value = evaluation::metricValue(*result->classification, info.name);
        else if (result->regression)
            value = evaluation::metricValue(*result->regression, info.name);
        const int group = task == core::TaskType::Classification ? metricGroup(info.name) : 0;
        const bool groupStart = group != lastGroup;
        lastGroup = group;
        const int row = m_metrics->rowCount();
        m_metrics->insertRow(row);
        auto* name = new QTableWidgetItem(QString::fromStdString(info.displayName));
        QString tip = QStringLiteral("%1 (%2)\n%3\n%4")
                          .arg(QString::fromStdString(info.displayName), QString::fromStdString(info.name),
                               QString::fromStdString(info.help),
                               info.higherIsBetter ? tr("Higher is better.") : tr("Lower is better."));
        if (task == core::TaskType::Classification)
            tip += QLatin1Char('\n') + tr("Group: %1").arg(groupName(group));
        name->setToolTip(tip);
        name->setData(Qt::UserRole, QString::fromStdString(info.name));
        auto* cell = new QTableWidgetItem(value ? formatMetric(*value) : QStringLiteral("—"));
        cell->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
        cell->setToolTip(value ? tip : tr("Not computed: a class is missing from the test rows, or the model gives no "
                                          "probabilities."));
        if (value)
            cell->setData(Qt::UserRole, *value);
        if (success && success->metric == info.name) {
            QFont bold = name->font();
            bold.setBold(true);
            name->setFont(bold);
            cell->setFont(bold);
            name->setText(name->text() + tr("  ★"));
            name->setToolTip(tip + tr("\nThis is your success metric."));
        }
        name->setData(kGroupStartRole, groupStart);
        m_metrics->setItem(row, 0, name);
        m_metrics->setItem(row, 1, cell);
    }
    // As tall as its rows, scrolling only when the page has less room than that.
    m_metrics->setMaximumHeight(m_metrics->horizontalHeader()->sizeHint().height() +
                                m_metrics->rowCount() * m_metrics->verticalHeader()->defaultSectionSize() +
                                2 * m_metrics->frameWidth() + 2);
}

void EvaluationPage::refreshCurves()
{
    const auto result = session()->result();
    const bool classification = result && result->classification && result->pipeline;
    const QStringList names = result ? classNamesOf(*result) : QStringList();
    const bool binary = classification && names.size() == 2;
    const bool probabilities = classification && result->testPredictions.proba.size() > 0;
    m_tabs->setTabVisible(ThresholdTab, binary);
    m_tabs->setTabVisible(CurvesTab, classification);
    m_tabs->setTabVisible(ResidualsTab, result && result->regression);
    if (!m_tabs->isTabVisible(m_tabs->currentIndex()))
        m_tabs->setCurrentIndex(OverviewTab);
    m_comparisonTask->cancel();
    if (!classification) {
        m_curvesTask->cancel();
        m_threshold->showMessage(tr("Train a classifier with two classes to move its decision threshold."));
        m_curves->showMessage(tr("Train a classifier to see its curves."));
        return;
    }
    const QString modelName = modelDisplayName(session()->resultRecipe().model.name);
    if (!probabilities) {
        m_curvesTask->cancel();
        const QString why = tr("%1 gives decision scores, not probabilities, so there is no threshold on a "
                               "probability to move. Train a model with probabilities (logistic regression, a tree, a "
                               "forest, boosting, k-nearest neighbours) to use the threshold.")
                                .arg(modelName);
        m_threshold->showMessage(why);
        m_curves->setCurves(nullptr, names, 1);
        return;
    }
    m_threshold->showMessage(tr("Computing the curves…"));
    m_curves->showMessage(tr("Computing the curves…"));
    const QString target = QString::fromStdString(session()->resultRecipe().problem.target);
    const int modelCount = int(result->leaderboard.size());
    const auto table = m_resultTable;
    m_curvesTask->start(
        tr("Curves of %1").arg(modelName),
        [result](core::TaskControl& control) -> std::any { return keptModelCurves(*result, control); },
        [this, result, names, target, modelCount, table](const std::any& value) {
            if (result != session()->result())
                return;
            const auto curves = std::any_cast<std::shared_ptr<const EvaluationCurves>>(value);
            if (curves->threshold && !curves->models.empty() && !curves->models.front().classes.empty()) {
                m_threshold->setData(curves->threshold, curves->models.front().classes.front(), names, target);
                m_threshold->setThreshold(0.5);
            }
            m_curves->setCurves(curves, names, modelCount);
            if (modelCount < 2)
                return;
            if (!table) {
                m_curves->setComparisonMessage(
                    tr("The compared models can only be scored on the data they were trained with, which is no "
                       "longer loaded. Train again to compare their curves."));
                return;
            }
            m_comparisonTask->start(
                tr("Scoring %1 models on the test rows").arg(modelCount),
                [result, table](core::TaskControl& control) -> std::any {
                    return comparedModelCurves(*result, *table, control);
                },
                [this, result](const std::any& compared) {
                    if (result == session()->result())
                        m_curves->setComparedCurves(std::any_cast<std::shared_ptr<const EvaluationCurves>>(compared));
                });
        });
}

void EvaluationPage::showCellRows(int actual, int predicted)
{
    const auto result = session()->result();
    if (!result || !result->classification || actual < 0 || predicted < 0 || actual >= m_matrixModel->rowCount() ||
        predicted >= m_matrixModel->columnCount())
        return;
    m_matrix->setSelectedCell(actual, predicted);
    m_cellExplanation->setText(explainConfusionCell(m_matrixModel->matrix(), m_matrixModel->classNames(),
                                                    m_matrixModel->targetName(), actual, predicted));
    std::vector<std::size_t> positions;
    const auto& predictions = result->testPredictions.classIndex;
    for (std::size_t i = 0; i < result->testActualClass.size() && i < predictions.size(); ++i) {
        if (result->testActualClass[i] == actual && predictions[i] == predicted)
            positions.push_back(i);
    }
    m_cellRowsModel->setRows(m_resultTable, result, positions);
    const QStringList names = m_matrixModel->classNames();
    const QString actualName = actual < names.size() ? names[actual] : QString::number(actual);
    const QString predictedName = predicted < names.size() ? names[predicted] : QString::number(predicted);
    const QString count = QLocale().toString(qulonglong(positions.size()));
    m_cellCaption->setText(positions.empty()
                               ? tr("No test row is actually %1 and predicted %2.").arg(actualName, predictedName)
                               : (positions.size() == 1 ? tr("%1 test row actually %2, predicted %3%4:")
                                                        : tr("%1 test rows actually %2, predicted %3%4:"))
                                     .arg(count, actualName, predictedName,
                                          actual == predicted ? tr(" (correct)") : tr(" (wrong)")));
    const bool wasHidden = m_cellRows->isHidden();
    m_cellRows->setVisible(!positions.empty());
    m_cellRows->scrollToTop();
    if (wasHidden && !positions.empty()) {
        // Room for about six rows under the matrix; the splitter handle gives more.
        const int total = m_matrixSplit->height();
        const int rows = std::min(total / 2, m_cellRows->verticalHeader()->defaultSectionSize() * 7 +
                                                 m_cellRows->horizontalHeader()->sizeHint().height() +
                                                 m_cellCaption->sizeHint().height() + 24);
        m_matrixSplit->setSizes({total - rows, rows});
    }
}

void EvaluationPage::refreshVerdict()
{
    const auto result = session()->result();
    banner()->clearMessage(QStringLiteral("stale"));
    if (!result) {
        showMisconception(banner(), "accuracy_on_imbalanced", std::nullopt);
        m_verdict->setVerdict(VerdictBadge::Outcome::Neutral, tr("No result yet"),
                              tr("Train a model on the Training step to evaluate it."));
        updateCompleteness();
        return;
    }
    if (!session()->hasCurrentResult())
        banner()->setMessage(QStringLiteral("stale"), StatusBanner::Level::Warning,
                             tr("These results come from earlier settings. Train again on the Training step to "
                                "evaluate the current recipe."));
    {
        // Accuracy is what this page leads with when no other criterion is set.
        const auto& success = session()->recipe().problem.success;
        const std::string shown = success ? success->metric : std::string("accuracy");
        std::optional<workflow::Misconception> imbalanced;
        if (result->classification)
            imbalanced = workflow::accuracyOnImbalancedTarget(shown, session()->classCounts(), session()->classLabels());
        showMisconception(banner(), "accuracy_on_imbalanced", imbalanced);
    }
    // The current latency budget judged on the measured latency (as the success
    // criterion is: changing either does not make the result stale).
    QString latencyDetail;
    const std::optional<evaluation::LatencyVerdict> latency = session()->latencyVerdict();
    if (latency)
        latencyDetail = tr("latency p99 = %1 %2 %3 %4")
                            .arg(milliseconds(latency->measuredMs),
                                 latency->passed ? QStringLiteral("≤") : QStringLiteral(">"),
                                 milliseconds(latency->budgetMs),
                                 latency->passed ? QStringLiteral("✓") : QStringLiteral("✗"));
    const auto verdict = session()->verdict();
    if (!verdict) {
        QString headline;
        if (result->classification)
            headline = tr("accuracy = %1").arg(formatMetric(result->classification->accuracy));
        else if (result->regression)
            headline = tr("R² = %1").arg(formatMetric(result->regression->r2));
        if (latency)
            m_verdict->setVerdict(latency->passed ? VerdictBadge::Outcome::Passed : VerdictBadge::Outcome::Failed,
                                  latency->passed ? tr("Within the latency budget") : tr("Too slow for the latency budget"),
                                  tr("%1 · %2 — no success criterion set for the score").arg(latencyDetail, headline));
        else
            m_verdict->setVerdict(VerdictBadge::Outcome::Neutral, tr("No success criterion set"),
                                  tr("%1 — set a criterion on the Problem step for a pass/fail verdict.").arg(headline));
        updateCompleteness();
        return;
    }
    const auto& criterion = verdict->criterion;
    const QString metric = QString::fromStdString(criterion.metric);
    const QString threshold = QString::number(criterion.threshold, 'g', 6);
    QString detail;
    if (!verdict->value) {
        detail = tr("%1 could not be computed on the test rows (criterion %2)")
                     .arg(metric, QString::fromStdString(criterion.toString()));
    } else {
        const QString comparison = verdict->passed ? (criterion.atLeast ? QStringLiteral("≥") : QStringLiteral("≤"))
                                                   : (criterion.atLeast ? QStringLiteral("<") : QStringLiteral(">"));
        detail = QStringLiteral("%1 = %2 %3 %4 %5")
                     .arg(metric, formatMetric(*verdict->value, criterion.threshold), comparison, threshold,
                          verdict->passed ? QStringLiteral("✓") : QStringLiteral("✗"));
    }
    const bool scorePassed = verdict->passed;
    const bool fastEnough = !latency || latency->passed;
    QString headline;
    if (scorePassed && fastEnough)
        headline = latency ? tr("Success criterion met, within the latency budget") : tr("Success criterion met");
    else if (!scorePassed && fastEnough)
        headline = tr("Success criterion not met");
    else if (scorePassed)
        headline = tr("Score met, but too slow for the latency budget");
    else
        headline = tr("Success criterion not met, and too slow");
    if (latency)
        detail += QStringLiteral("   ·   ") + latencyDetail;
    m_verdict->setVerdict(scorePassed && fastEnough ? VerdictBadge::Outcome::Passed : VerdictBadge::Outcome::Failed,
                          headline, detail);
    updateCompleteness();
}

QList<ReportFigure> EvaluationPage::reportFigures()
{
    QList<ReportFigure> figures;
    const auto result = session()->result();
    if (!result)
        return figures;
    // A tab that was never shown has no layout yet: show each one in turn, with painting
    // held back, so its charts have their on-screen size when grabbed.
    QWidget* window = this->window();
    window->setUpdatesEnabled(false);
    const int current = m_tabs->currentIndex();
    const auto grabOn = [&](int tab, QWidget* widget, const QString& title) {
        if (!m_tabs->isTabVisible(tab))
            return;
        m_tabs->setCurrentIndex(tab);
        QCoreApplication::sendPostedEvents(nullptr, QEvent::LayoutRequest);
        figures << grabFigure(widget, title);
    };
    if (result->classification)
        grabOn(OverviewTab, m_matrix, tr("Confusion matrix of the test rows"));
    else
        grabOn(OverviewTab, m_scatter, tr("Predicted against actual values"));
    if (result->testPredictions.proba.size() > 0) {
        grabOn(CurvesTab, m_curves->rocChart(), tr("ROC curve"));
        grabOn(CurvesTab, m_curves->precisionRecallChart(), tr("Precision-recall curve"));
        grabOn(CurvesTab, m_curves->calibrationChart(), tr("Calibration curve"));
    }
    if (result->regression) {
        grabOn(ResidualsTab, m_residuals->residualChart(), tr("Residuals"));
        grabOn(ResidualsTab, m_residuals->histogramChart(), tr("Error histogram"));
    }
    grabOn(TrainVsTestTab, m_estimate->chart(), tr("Training, estimate and test scores"));
    if (m_importance->importance())
        grabOn(ImportanceTab, m_importance->permutationChart(), tr("Permutation importance"));
    if (m_learning->learningCurve())
        grabOn(LearningTab, m_learning->learningChart(), tr("Learning curve"));
    if (m_learning->validationCurve())
        grabOn(LearningTab, m_learning->validationChart(), tr("Validation curve"));
    if (result->leaderboard.size() > 1)
        grabOn(CompareTab, m_comparison->chart(), tr("The models compared"));
    m_tabs->setCurrentIndex(current);
    window->setUpdatesEnabled(true);
    return figures;
}

QString EvaluationPage::incompleteReason() const
{
    if (!session()->result())
        return tr("train a model on the Training step first.");
    return {};
}

} // namespace stepwise::ui
