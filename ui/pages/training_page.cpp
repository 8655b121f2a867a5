#include "pages/training_page.hpp"

#include <QCheckBox>
#include <QComboBox>
#include <QFormLayout>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QListWidget>
#include <QLocale>
#include <QPushButton>
#include <QRegularExpression>
#include <QScrollArea>
#include <QSignalBlocker>
#include <QSpinBox>
#include <QSplitter>
#include <QStandardItemModel>
#include <QStyle>
#include <QTabWidget>
#include <QTableView>
#include <QTableWidget>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>
#include <set>

#include "models/confusion_matrix_model.hpp"
#include "models/training_progress_model.hpp"
#include "pages/misconception_banner.hpp"
#include "session/session.hpp"
#include "stepwise/core/errors.hpp"
#include "stepwise/core/number_text.hpp"
#include "stepwise/evaluation/success.hpp"
#include "stepwise/models/registry.hpp"
#include "stepwise/workflow/search_spec.hpp"
#include "widgets/charts/training_chart.hpp"
#include "widgets/heatmap_widget.hpp"
#include "widgets/teaching/fold_diagram.hpp"
#include "widgets/leaderboard_table.hpp"
#include "widgets/param_form.hpp"
#include "widgets/score_text.hpp"
#include "widgets/search_results_table.hpp"
#include "widgets/share_bar_delegate.hpp"
#include "widgets/status_banner.hpp"
#include "widgets/task_progress_panel.hpp"
#include "teaching/why_link.hpp"

namespace stepwise::ui {
namespace {

/// The glossary entry of a cross-validation strategy of the CV tab's combo.
QString cvStrategyGlossaryKey(int strategy)
{
    switch (evaluation::CvStrategy(strategy)) {
    case evaluation::CvStrategy::StratifiedKFold: return QStringLiteral("option/cv_stratified");
    case evaluation::CvStrategy::KFold: return QStringLiteral("option/cv_kfold");
    case evaluation::CvStrategy::LeaveOneOut: return QStringLiteral("option/cv_loo");
    case evaluation::CvStrategy::TimeSeries: return QStringLiteral("option/cv_time_series");
    }
    return QStringLiteral("option/cross_validation");
}

const models::ModelInfo* findInfo(const std::string& name)
{
    const auto& registry = models::modelRegistry();
    auto it = std::find_if(registry.begin(), registry.end(), [&](const auto& info) { return info.name == name; });
    return it == registry.end() ? nullptr : &*it;
}

bool solves(const models::ModelInfo& info, core::TaskType task)
{
    return std::find(info.tasks.begin(), info.tasks.end(), task) != info.tasks.end();
}

QString displayName(const std::string& model)
{
    const models::ModelInfo* info = findInfo(model);
    return info ? QString::fromStdString(info->displayName) : QString::fromStdString(model);
}

/// Bold title, and on a second, muted line which rows the matrix counts.
QString matrixCaption(const QString& title, const QString& detail)
{
    return QStringLiteral("<b>%1</b><br><span style='color:gray'>%2</span>")
        .arg(title.toHtmlEscaped(), detail.toHtmlEscaped());
}

QStringList toQStringList(const std::vector<std::string>& values)
{
    QStringList list;
    for (const auto& value : values)
        list << QString::fromStdString(value);
    return list;
}

/// Random search distributions are one entry with commas of their own.
bool isDistribution(const QString& text)
{
    static const QRegularExpression pattern(QStringLiteral("^(uniform|loguniform|randint)\\s*\\(.*\\)$"));
    return pattern.match(text.trimmed()).hasMatch();
}

/// "0.1, 1, 10" → {"0.1", "1", "10"}; a distribution stays whole.
std::vector<std::string> parseValues(const QString& text)
{
    const QString trimmed = text.trimmed();
    if (trimmed.isEmpty())
        return {};
    if (isDistribution(trimmed))
        return {trimmed.toStdString()};
    std::vector<std::string> values;
    for (const QString& part : trimmed.split(QLatin1Char(','))) {
        const QString value = part.trimmed();
        if (!value.isEmpty())
            values.push_back(value.toStdString());
    }
    return values;
}

QString joinValues(const std::vector<std::string>& values)
{
    QStringList parts = toQStringList(values);
    return parts.join(QStringLiteral(", "));
}

/// Values worth trying around a parameter's default, inside its range: the choices of a
/// word parameter, both settings of a flag, and for numbers the default scaled down and
/// up (×0.1 and ×10 for a rate or a penalty, ×½ and ×2 for counts).
std::vector<std::string> suggestedValues(const core::ParamSpec& spec)
{
    std::vector<std::string> values;
    const auto inRange = [&](double v) {
        return (spec.minExclusive ? v > spec.min : v >= spec.min) && v <= spec.max;
    };
    switch (spec.kind) {
    case core::ParamKind::Choice:
        return spec.words;
    case core::ParamKind::Boolean:
        return {"true", "false"};
    case core::ParamKind::Text:
        return {spec.defaultValue};
    case core::ParamKind::Integer: {
        // parseNumberText, not strtod: the GUI runs in the user's locale ("0,5").
        const auto parsed = core::parseNumberText(spec.defaultValue);
        const double base = parsed.value_or(0.0);
        if (!parsed || base <= 0) {
            values.push_back(spec.defaultValue);
            for (const auto& word : spec.words)
                if (word != spec.defaultValue)
                    values.push_back(word);
            return values;
        }
        for (double factor : {0.5, 1.0, 2.0}) {
            const double v = std::round(base * factor);
            if (inRange(v) && std::find(values.begin(), values.end(), QString::number(qlonglong(v)).toStdString()) ==
                                  values.end())
                values.push_back(QString::number(qlonglong(v)).toStdString());
        }
        return values;
    }
    case core::ParamKind::Real: {
        const auto parsed = core::parseNumberText(spec.defaultValue);
        const double base = parsed.value_or(0.0);
        if (!parsed || base == 0) {
            values.push_back(spec.defaultValue);
            return values;
        }
        for (double factor : {0.1, 1.0, 10.0}) {
            const double v = base * factor;
            if (inRange(v))
                values.push_back(QString::number(v, 'g', 6).toStdString());
        }
        return values;
    }
    }
    return values;
}

QTableWidgetItem* readOnlyItem(const QString& text)
{
    auto* item = new QTableWidgetItem(text);
    item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsSelectable);
    return item;
}

} // namespace

QString TrainingPage::sourceDisplayName(const QString& source)
{
    static const QRegularExpression cut(QStringLiteral("[ #]"));
    const qsizetype at = source.indexOf(cut);
    const QString name = at > 0 ? source.left(at) : source;
    const models::ModelInfo* info = findInfo(name.toStdString());
    if (!info)
        return source;
    return QString::fromStdString(info->displayName) + (at > 0 ? source.mid(at) : QString());
}

TrainingPage::TrainingPage(Session* session, QWidget* parent)
    : WizardStepPage(session, tr("Training"),
                     tr("Choose the models, set their hyper-parameters and how to validate them, then train and "
                        "compare them on the same rows."),
                     parent),
      m_modelList(new QListWidget(this)),
      m_keep(new QPushButton(tr("Keep selected"), this)),
      m_modelNote(makeNote(tr("Tick models to compare them. ★ marks the kept model: the one saved, evaluated and "
                              "exported."),
                           this)),
      m_setupTabs(new QTabWidget(this)),
      m_paramsTitle(new QLabel(this)),
      m_form(new ParamForm(this)),
      m_formNote(makeNote({}, this)),
      m_reset(new QPushButton(tr("Reset to defaults"), this)),
      m_cvGroup(new QGroupBox(tr("Cross-validate on the training rows"), this)),
      m_cvStrategy(new QComboBox(this)),
      m_cvFolds(new QSpinBox(this)),
      m_cvGap(new QSpinBox(this)),
      m_cvGapLabel(new QLabel(tr("&Gap:"), this)),
      m_cvNote(makeNote({}, this)),
      m_searchGroup(new QGroupBox(tr("Search the kept model's hyper-parameters"), this)),
      m_searchKind(new QComboBox(this)),
      m_searchIterations(new QSpinBox(this)),
      m_searchIterationsLabel(new QLabel(tr("&Draws:"), this)),
      m_searchScoring(new QComboBox(this)),
      m_searchSpace(new QTableWidget(this)),
      m_suggest(new QPushButton(tr("Suggest values"), this)),
      m_searchCount(makeNote({}, this)),
      m_resultTabs(new QTabWidget(this)),
      m_progressModel(new TrainingProgressModel(this)),
      m_progressTable(new QTableView(this)),
      m_chart(new TrainingChart(this)),
      m_matrixBox(new QWidget(this)),
      m_matrixCaption(new QLabel(this)),
      m_matrixModel(new ConfusionMatrixModel(this)),
      m_matrix(new HeatmapWidget(this)),
      m_leaderboardNote(makeNote({}, this)),
      m_leaderboard(new LeaderboardTable(this)),
      m_keepEntry(new QPushButton(tr("Keep this model"), this)),
      m_searchNote(makeNote({}, this)),
      m_searchResults(new SearchResultsTable(this)),
      m_train(new QPushButton(tr("Train"), this)),
      m_progress(new TaskProgressPanel(TaskProgressPanel::Form::Full, this))
{
    m_modelList->setObjectName(QStringLiteral("modelList"));
    m_keep->setObjectName(QStringLiteral("keepModelButton"));
    m_setupTabs->setObjectName(QStringLiteral("setupTabs"));
    m_reset->setObjectName(QStringLiteral("resetParamsButton"));
    m_cvGroup->setObjectName(QStringLiteral("cvGroup"));
    m_cvStrategy->setObjectName(QStringLiteral("cvStrategyCombo"));
    m_cvFolds->setObjectName(QStringLiteral("cvFoldsSpin"));
    m_cvGap->setObjectName(QStringLiteral("cvGapSpin"));
    m_searchGroup->setObjectName(QStringLiteral("searchGroup"));
    m_searchKind->setObjectName(QStringLiteral("searchKindCombo"));
    m_searchIterations->setObjectName(QStringLiteral("searchIterationsSpin"));
    m_searchScoring->setObjectName(QStringLiteral("searchScoringCombo"));
    m_searchSpace->setObjectName(QStringLiteral("searchSpaceTable"));
    m_suggest->setObjectName(QStringLiteral("suggestValuesButton"));
    m_resultTabs->setObjectName(QStringLiteral("resultTabs"));
    m_progressTable->setObjectName(QStringLiteral("modelProgressTable"));
    m_matrix->setObjectName(QStringLiteral("liveConfusionMatrix"));
    m_matrixCaption->setObjectName(QStringLiteral("liveMatrixCaption"));
    m_keepEntry->setObjectName(QStringLiteral("keepEntryButton"));
    m_train->setObjectName(QStringLiteral("trainButton"));

    // --- models -----------------------------------------------------------------------
    auto* modelsBox = new QGroupBox(tr("Models"), this);
    auto* modelsLayout = new QVBoxLayout(modelsBox);
    modelsLayout->setSpacing(4);
    m_modelList->setToolTip(tr("Tick a model to train it too and compare it on the same split and folds. Select a "
                               "model to edit its hyper-parameters; double-click it to keep it."));
    m_modelList->setUniformItemSizes(true);
    m_keep->setToolTip(tr("Make the selected model the kept one: the model that is saved, evaluated and exported. "
                          "The others stay in the comparison."));
    modelsLayout->addWidget(m_modelList);
    auto* keepRow = new QHBoxLayout;
    keepRow->addWidget(m_keep);
    keepRow->addStretch(1);
    modelsLayout->addLayout(keepRow);
    modelsLayout->addWidget(m_modelNote);

    // --- hyper-parameters -------------------------------------------------------------
    auto* paramsPage = new QWidget(this);
    auto* paramsLayout = new QVBoxLayout(paramsPage);
    paramsLayout->setContentsMargins(6, 6, 6, 6);
    m_paramsTitle->setTextFormat(Qt::RichText);
    m_paramsTitle->setWordWrap(true);
    auto* scroll = new QScrollArea(this);
    scroll->setWidget(m_form);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    // Let the tab show through instead of the viewport's own background.
    scroll->viewport()->setAutoFillBackground(false);
    m_form->setAutoFillBackground(false);
    m_reset->setToolTip(tr("Every hyper-parameter of the selected model back to its default"));
    paramsLayout->addWidget(m_paramsTitle);
    paramsLayout->addWidget(scroll, 1);
    paramsLayout->addWidget(m_formNote);
    paramsLayout->addWidget(m_reset, 0, Qt::AlignLeft);

    // --- cross-validation -------------------------------------------------------------
    auto* validationPage = new QWidget(this);
    auto* validationLayout = new QVBoxLayout(validationPage);
    validationLayout->setContentsMargins(6, 6, 6, 6);
    m_cvGroup->setCheckable(true);
    m_cvGroup->setToolTip(tr("Score each model k times, each time on a part of the training rows it did not learn "
                             "from, with every prep and feature step refitted in each fold. The mean ± std is a "
                             "steadier estimate than one validation set."));
    auto* cvForm = new QFormLayout(m_cvGroup);
    m_cvStrategy->addItem(tr("Stratified k-fold"), int(evaluation::CvStrategy::StratifiedKFold));
    m_cvStrategy->addItem(tr("K-fold"), int(evaluation::CvStrategy::KFold));
    m_cvStrategy->addItem(tr("Leave-one-out"), int(evaluation::CvStrategy::LeaveOneOut));
    m_cvStrategy->addItem(tr("Time series (expanding window)"), int(evaluation::CvStrategy::TimeSeries));
    m_cvFolds->setRange(2, 1000);
    m_cvFolds->setValue(5);
    m_cvFolds->setToolTip(tr("How many folds (k). 5 or 10 is usual; more folds cost more fits."));
    m_cvGap->setRange(0, 1000000);
    m_cvGap->setToolTip(tr("Rows left out between each training window and the block it is tested on, so values "
                           "that spread over time do not leak across the boundary."));
    auto* strategyLabel = new QLabel(tr("&Strategy:"), this);
    strategyLabel->setBuddy(m_cvStrategy);
    auto* foldsLabel = new QLabel(tr("&Folds:"), this);
    foldsLabel->setBuddy(m_cvFolds);
    m_cvGapLabel->setBuddy(m_cvGap);
    cvForm->addRow(strategyLabel, m_cvStrategy);
    cvForm->addRow(foldsLabel, m_cvFolds);
    cvForm->addRow(m_cvGapLabel, m_cvGap);
    validationLayout->addWidget(m_cvGroup);
    validationLayout->addWidget(m_cvNote);
    auto* showFolds = new QPushButton(tr("Show how the folds are made"), this);
    showFolds->setObjectName(QStringLiteral("showFoldsButton"));
    showFolds->setToolTip(tr("The folds of these settings cut from your own training rows, fold by fold"));
    validationLayout->addWidget(showFolds, 0, Qt::AlignLeft);
    validationLayout->addStretch(1);

    // --- search -----------------------------------------------------------------------
    auto* searchPage = new QWidget(this);
    auto* searchPageLayout = new QVBoxLayout(searchPage);
    searchPageLayout->setContentsMargins(6, 6, 6, 6);
    m_searchGroup->setCheckable(true);
    m_searchGroup->setToolTip(tr("Try several settings of the kept model, score each by cross-validation on the "
                                 "training rows, and train the kept model with the best (scikit-learn's "
                                 "GridSearchCV and RandomizedSearchCV)."));
    auto* searchLayout = new QGridLayout(m_searchGroup);
    searchLayout->setHorizontalSpacing(6);
    m_searchKind->addItem(tr("Grid: every combination"), int(workflow::SearchKind::Grid));
    m_searchKind->addItem(tr("Random draws"), int(workflow::SearchKind::Random));
    m_searchKind->setToolTip(tr("Grid tries every combination of the values; random draws a fixed number of "
                                "combinations — better when there are many parameters."));
    m_searchIterations->setRange(1, 10000);
    m_searchIterations->setValue(10);
    m_searchIterations->setToolTip(tr("How many random combinations are tried"));
    m_searchScoring->setToolTip(tr("The metric candidates are ranked by (on the cross-validation folds)"));
    auto* kindLabel = new QLabel(tr("&Kind:"), this);
    kindLabel->setBuddy(m_searchKind);
    m_searchIterationsLabel->setBuddy(m_searchIterations);
    auto* scoringLabel = new QLabel(tr("S&coring:"), this);
    scoringLabel->setBuddy(m_searchScoring);
    m_searchSpace->setColumnCount(2);
    m_searchSpace->setHorizontalHeaderLabels({tr("Parameter"), tr("Values to try")});
    m_searchSpace->verticalHeader()->setVisible(false);
    m_searchSpace->horizontalHeader()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    m_searchSpace->horizontalHeader()->setSectionResizeMode(1, QHeaderView::Stretch);
    m_searchSpace->verticalHeader()->setDefaultSectionSize(m_searchSpace->fontMetrics().height() + 8);
    m_searchSpace->setEditTriggers(QAbstractItemView::AllEditTriggers);
    m_searchSpace->setToolTip(tr("Type the values to try, separated by commas (0.1, 1, 10). A random search also "
                                 "takes a distribution: uniform(A,B), loguniform(A,B) or randint(A,B)."));
    m_suggest->setToolTip(tr("Fill the selected parameter with values around its default, inside its range"));
    searchLayout->addWidget(kindLabel, 0, 0);
    searchLayout->addWidget(m_searchKind, 0, 1);
    searchLayout->addWidget(m_searchIterationsLabel, 0, 2);
    searchLayout->addWidget(m_searchIterations, 0, 3);
    searchLayout->addWidget(scoringLabel, 1, 0);
    searchLayout->addWidget(m_searchScoring, 1, 1, 1, 3);
    searchLayout->addWidget(m_searchSpace, 2, 0, 1, 4);
    auto* suggestRow = new QHBoxLayout;
    suggestRow->addWidget(m_suggest);
    suggestRow->addWidget(m_searchCount, 1);
    searchLayout->addLayout(suggestRow, 3, 0, 1, 4);
    searchLayout->setColumnStretch(1, 1);
    searchLayout->setRowStretch(2, 1);
    searchPageLayout->addWidget(m_searchGroup, 1);

    m_setupTabs->addTab(paramsPage, tr("Parameters"));
    m_setupTabs->addTab(validationPage, tr("CV"));
    m_setupTabs->addTab(searchPage, tr("Search"));

    auto* left = new QWidget(this);
    auto* leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(0, 0, 0, 0);
    leftLayout->addWidget(modelsBox);
    leftLayout->addWidget(m_setupTabs, 1);
    // 380 px normally; narrower (down to 320) when the Learn panel takes its share.
    left->setMinimumWidth(320);
    left->setMaximumWidth(380);

    // --- live -------------------------------------------------------------------------
    auto* livePage = new QWidget(this);
    auto* liveLayout = new QVBoxLayout(livePage);
    liveLayout->setContentsMargins(4, 4, 4, 4);
    m_progressTable->setModel(m_progressModel);
    m_progressTable->setItemDelegateForColumn(TrainingProgressModel::ProgressColumn,
                                              new ShareBarDelegate(QColor(0x25, 0x63, 0xeb), this));
    m_progressTable->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_progressTable->setSelectionMode(QAbstractItemView::SingleSelection);
    m_progressTable->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_progressTable->verticalHeader()->setVisible(false);
    m_progressTable->setWordWrap(false);
    m_progressTable->verticalHeader()->setDefaultSectionSize(m_progressTable->fontMetrics().height() + 6);
    m_progressTable->horizontalHeader()->setSectionResizeMode(TrainingProgressModel::ModelColumn,
                                                              QHeaderView::ResizeToContents);
    m_progressTable->horizontalHeader()->setSectionResizeMode(TrainingProgressModel::ProgressColumn,
                                                              QHeaderView::Stretch);
    m_progressTable->horizontalHeader()->setSectionResizeMode(TrainingProgressModel::LatestColumn,
                                                              QHeaderView::ResizeToContents);
    m_progressTable->setMaximumHeight(m_progressTable->verticalHeader()->defaultSectionSize() * 4 +
                                      m_progressTable->horizontalHeader()->sizeHint().height() + 4);
    m_progressTable->setToolTip(tr("Each model's progress. Select a row to show its confusion matrix."));
    m_progressModel->setSourceNamer(&TrainingPage::sourceDisplayName);
    m_chart->setSourceNamer(&TrainingPage::sourceDisplayName);

    auto* matrixLayout = new QVBoxLayout(m_matrixBox);
    matrixLayout->setContentsMargins(0, 0, 0, 0);
    m_matrixCaption->setWordWrap(true);
    m_matrixCaption->setTextFormat(Qt::RichText);
    m_matrix->setModel(m_matrixModel);
    matrixLayout->addWidget(m_matrixCaption);
    matrixLayout->addWidget(m_matrix, 1);

    auto* live = new QSplitter(Qt::Horizontal, this);
    live->addWidget(m_chart);
    live->addWidget(m_matrixBox);
    live->setChildrenCollapsible(false);
    // The curves need the width (axis labels, a legend of every model); the matrix is square.
    live->setStretchFactor(0, 3);
    live->setStretchFactor(1, 2);
    live->setSizes({370, 250});
    m_chart->setMinimumWidth(200);
    m_matrixBox->setMinimumWidth(180);
    liveLayout->addWidget(m_progressTable);
    liveLayout->addWidget(live, 1);

    // --- leaderboard ------------------------------------------------------------------
    auto* boardPage = new QWidget(this);
    auto* boardLayout = new QVBoxLayout(boardPage);
    boardLayout->setContentsMargins(4, 4, 4, 4);
    m_leaderboardNote->setTextFormat(Qt::RichText);
    m_keepEntry->setToolTip(tr("Make the selected model the kept one. Its pipeline is trained again as the kept "
                               "model when you press Train again, so Evaluation and Export show that model."));
    boardLayout->addWidget(m_leaderboardNote);
    boardLayout->addWidget(m_leaderboard, 1);
    auto* keepEntryRow = new QHBoxLayout;
    keepEntryRow->addWidget(m_keepEntry);
    keepEntryRow->addStretch(1);
    boardLayout->addLayout(keepEntryRow);

    // --- search results ---------------------------------------------------------------
    auto* searchResultsPage = new QWidget(this);
    auto* searchResultsLayout = new QVBoxLayout(searchResultsPage);
    searchResultsLayout->setContentsMargins(4, 4, 4, 4);
    m_searchNote->setTextFormat(Qt::RichText);
    searchResultsLayout->addWidget(m_searchNote);
    searchResultsLayout->addWidget(m_searchResults, 1);

    m_resultTabs->addTab(livePage, tr("Live"));
    m_resultTabs->addTab(boardPage, tr("Leaderboard"));
    m_resultTabs->addTab(searchResultsPage, tr("Search results"));
    // The folds of the current recipe on the loaded rows, so the CV choice can be seen.
    m_resultTabs->addTab(new FoldDiagramPanel(session, this), tr("Folds"));
    connect(showFolds, &QPushButton::clicked, this, [this] { m_resultTabs->setCurrentIndex(FoldsTab); });

    auto* middle = new QHBoxLayout;
    middle->addWidget(left);
    middle->addWidget(m_resultTabs, 1);
    contentLayout()->addLayout(middle, 1);

    auto* bottom = new QHBoxLayout;
    m_train->setIcon(style()->standardIcon(QStyle::SP_MediaPlay));
    m_train->setDefault(false);
    m_train->setMinimumHeight(34);
    m_train->setMinimumWidth(150);
    QFont trainFont = m_train->font();
    trainFont.setBold(true);
    m_train->setFont(trainFont);
    m_train->setToolTip(tr("Split the data, fit the prep and feature steps and each ticked model on the training rows "
                           "(cross-validating and searching if set), and score the test rows"));
    m_progress->setTask(session->trainingTask());
    m_progress->setIdleText(tr("Not trained yet."));
    m_progress->setShowsRemaining(true);
    bottom->addWidget(m_train, 0, Qt::AlignBottom);
    m_history = new QPushButton(tr("History…"), this);
    m_history->setObjectName(QStringLiteral("historyButton"));
    m_history->setMinimumHeight(34);
    m_history->setToolTip(tr("Every training run of this session: compare two runs or restore one (Ctrl+H)"));
    bottom->addWidget(m_history, 0, Qt::AlignBottom);
    bottom->addSpacing(8);
    bottom->addWidget(m_progress, 1);
    contentLayout()->addLayout(bottom);

    // "Why?" links: the short why on hover, the glossary entry in the Learn panel.
    teaching::attachWhy(m_modelList, QStringLiteral("option/models"));
    teaching::attachWhy(
        m_cvStrategy, [this] { return cvStrategyGlossaryKey(m_cvStrategy->currentData().toInt()); },
        [] {
            return QStringList{QStringLiteral("option/cross_validation"), QStringLiteral("option/cv_stratified"),
                               QStringLiteral("option/cv_kfold"), QStringLiteral("option/cv_loo"),
                               QStringLiteral("option/cv_time_series")};
        });
    teaching::attachWhy(m_cvFolds, QStringLiteral("option/cv_folds"));
    teaching::attachWhy(m_cvGap, QStringLiteral("option/cv_gap"));
    teaching::attachWhy(m_searchKind, QStringLiteral("option/search_kind"));
    teaching::attachWhy(m_searchIterations, QStringLiteral("option/search_iterations"));
    teaching::attachComboWhy(m_searchScoring, QStringLiteral("metric/"), QStringLiteral("option/search_scoring"));
    setLearnStep(teaching::Step::Training);

    // --- wiring -----------------------------------------------------------------------
    connect(m_modelList, &QListWidget::currentRowChanged, this, [this](int row) {
        QListWidgetItem* item = m_modelList->item(row);
        if (!item)
            return;
        m_selected = item->data(Qt::UserRole).toString().toStdString();
        refreshForm();
        refreshButtons();
    });
    connect(m_modelList, &QListWidget::itemChanged, this,
            [this](QListWidgetItem* item) { onModelItemChanged(m_modelList->row(item)); });
    connect(m_modelList, &QListWidget::itemDoubleClicked, this, [this] { m_keep->click(); });
    connect(m_keep, &QPushButton::clicked, this, [this] {
        const auto& recipe = this->session()->recipe();
        if (m_selected.empty() || m_selected == recipe.model.name)
            return;
        workflow::ModelChoice choice{m_selected, m_remembered[m_selected]};
        for (const auto& compared : recipe.compareWith)
            if (compared.name == m_selected)
                choice = compared;
        keepModel(choice, {});
    });
    connect(m_form, &ParamForm::valuesChanged, this, &TrainingPage::writeParams);
    connect(m_reset, &QPushButton::clicked, this, [this] {
        workflow::Recipe after = this->session()->recipe();
        if (m_selected == after.model.name)
            after.model.params.clear();
        for (auto& compared : after.compareWith)
            if (compared.name == m_selected)
                compared.params.clear();
        this->session()->editRecipe(after, tr("Reset the parameters of %1").arg(displayName(m_selected)));
    });

    connect(m_cvGroup, &QGroupBox::toggled, this, [this] { writeValidation({}); });
    connect(m_cvStrategy, &QComboBox::currentIndexChanged, this, [this] { writeValidation({}); });
    connect(m_cvFolds, &QSpinBox::valueChanged, this, [this] { writeValidation(QStringLiteral("cv:folds")); });
    connect(m_cvGap, &QSpinBox::valueChanged, this, [this] { writeValidation(QStringLiteral("cv:gap")); });

    connect(m_searchGroup, &QGroupBox::toggled, this, [this](bool on) {
        writeSearch(on ? tr("Search the hyper-parameters") : tr("Stop searching the hyper-parameters"), {});
    });
    connect(m_searchKind, &QComboBox::currentIndexChanged, this,
            [this] { writeSearch(tr("Change the kind of search"), {}); });
    connect(m_searchIterations, &QSpinBox::valueChanged, this,
            [this] { writeSearch(tr("Change the number of random draws"), QStringLiteral("search:draws")); });
    connect(m_searchScoring, &QComboBox::currentIndexChanged, this,
            [this] { writeSearch(tr("Change the search's scoring metric"), {}); });
    connect(m_searchSpace, &QTableWidget::itemChanged, this, [this](QTableWidgetItem* item) {
        if (item->column() != 1)
            return;
        const QString name = m_searchSpace->item(item->row(), 0)->text();
        writeSearch(tr("Set the values to try for %1").arg(name), QStringLiteral("search:") + name);
    });
    connect(m_suggest, &QPushButton::clicked, this, &TrainingPage::suggestSearchValues);

    connect(m_progressTable->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex& current) {
                if (!current.isValid())
                    return;
                m_matrixFollows = false;
                showMatrix(m_progressModel->sourceAt(current.row()));
            });
    connect(m_leaderboard, &QTableWidget::itemSelectionChanged, this, [this] {
        refreshButtons();
        const auto result = this->session()->result();
        const int entry = m_leaderboard->entryAt(m_leaderboard->currentRow());
        if (result && entry >= 0 && entry < int(result->leaderboard.size())) {
            m_matrixFollows = false;
            showMatrix(QString::fromStdString(result->leaderboard[std::size_t(entry)].model.name));
        }
    });
    connect(m_keepEntry, &QPushButton::clicked, this, [this] {
        const auto result = this->session()->result();
        const int entry = m_leaderboard->entryAt(m_leaderboard->currentRow());
        if (!result || entry < 0 || entry >= int(result->leaderboard.size()))
            return;
        const workflow::ModelChoice choice = result->leaderboard[std::size_t(entry)].model;
        keepModel(choice, tr("%1 is now the kept model. Press Train again to fit it as the kept model: Evaluation "
                             "and Export use the kept model of a finished training.")
                              .arg(displayName(choice.name)));
    });

    connect(m_train, &QPushButton::clicked, this, [this] {
        validateSetup();
        if (m_setupValid)
            this->session()->train();
    });

    BackgroundTask* task = session->trainingTask();
    connect(task, &BackgroundTask::started, this, &TrainingPage::onTrainingStarted);
    connect(task, &BackgroundTask::trainingUpdated, this, &TrainingPage::onTrainingUpdate);
    connect(task, &BackgroundTask::finished, this, &TrainingPage::onTrainingFinished);
    connect(session, &Session::resultChanged, this, &TrainingPage::onResult);
    connect(session, &Session::trainingFailed, this, [this](const QString& message) {
        banner()->setMessage(QStringLiteral("train-error"), StatusBanner::Level::Error,
                             tr("Training failed: %1").arg(message));
        updateCompleteness();
    });
    connect(session, &Session::trainingCancelled, this, [this] {
        // The user asked for it: a note, not a warning that needs attention.
        banner()->setMessage(QStringLiteral("train-cancelled"), StatusBanner::Level::Info,
                             tr("Training cancelled — nothing changed. Press Train to start again."));
        updateCompleteness();
    });
    connect(session, &Session::recipeChanged, this, &TrainingPage::refresh);
    connect(session, &Session::dataChanged, this, &TrainingPage::refreshButtons);
    connect(session, &Session::profileChanged, this, &TrainingPage::refreshButtons);
    refresh();
    m_matrixModel->clear();
    m_matrix->setPlaceholderText(tr("The confusion matrix appears while a classifier trains."));
    m_matrixCaption->setText(matrixCaption(tr("Live confusion matrix"), tr("appears while a classifier trains")));
    m_resultTabs->setTabEnabled(LeaderboardTab, false);
    m_resultTabs->setTabEnabled(SearchTab, false);
}

void TrainingPage::initializePage()
{
    refresh();
    if (session()->hasCurrentResult() && m_chart->pointCount() == 0)
        showResultViews();
}

bool TrainingPage::selectModel(const std::string& model)
{
    for (int row = 0; row < m_modelList->count(); ++row) {
        if (m_modelList->item(row)->data(Qt::UserRole).toString().toStdString() == model) {
            m_modelList->setCurrentRow(row);
            return true;
        }
    }
    return false;
}

void TrainingPage::refresh()
{
    // A regression has no confusion matrix: the curves take the room.
    m_matrixBox->setVisible(session()->recipe().problem.task == core::TaskType::Classification);
    refreshModelList();
    refreshForm();
    refreshValidation();
    refreshSearch();
    refreshTabTitles();
    validateSetup();
    refreshButtons();
    refreshMisconceptions();
}

void TrainingPage::refreshMisconceptions()
{
    const auto& recipe = session()->recipe();
    showMisconception(banner(), "black_box_when_interpretability_required",
                      workflow::interpretabilityConflict(recipe.problem.interpretability, recipe.model));
    // Once cross-validation, a validation set or a search is on, the advice is taken.
    std::optional<workflow::Misconception> tuning;
    if (!workflow::tuningRunFor(recipe).validated)
        tuning = workflow::tuningOnTestSet(m_tuningHistory);
    showMisconception(banner(), "tuning_on_test_set", tuning);
}

void TrainingPage::refreshModelList()
{
    const auto& recipe = session()->recipe();
    const auto task = recipe.problem.task;
    const QSignalBlocker block(m_modelList);
    if (m_modelList->property("task").toInt() != int(task) || m_modelList->count() == 0) {
        m_modelList->clear();
        for (const auto& info : models::modelRegistry()) {
            if (!solves(info, task))
                continue;
            auto* item = new QListWidgetItem(QString::fromStdString(info.displayName), m_modelList);
            item->setData(Qt::UserRole, QString::fromStdString(info.name));
        }
        m_modelList->setProperty("task", int(task));
        // As tall as the list, up to eight rows: the form below gets the rest.
        const int rows = std::clamp(m_modelList->count(), 2, 8);
        const int rowHeight = m_modelList->count() > 0 ? m_modelList->sizeHintForRow(0) : fontMetrics().height() + 4;
        m_modelList->setFixedHeight(rows * rowHeight + 2 * m_modelList->frameWidth() + 2);
    }
    std::set<std::string> compared;
    for (const auto& choice : recipe.compareWith)
        compared.insert(choice.name);
    bool selectedListed = false;
    for (int row = 0; row < m_modelList->count(); ++row) {
        QListWidgetItem* item = m_modelList->item(row);
        const std::string name = item->data(Qt::UserRole).toString().toStdString();
        const models::ModelInfo* info = findInfo(name);
        const bool kept = name == recipe.model.name;
        QFont font = m_modelList->font();
        font.setBold(kept);
        item->setFont(font);
        item->setText(kept ? tr("★ %1 — kept").arg(displayName(name)) : displayName(name));
        item->setFlags(kept ? Qt::ItemIsEnabled | Qt::ItemIsSelectable
                            : Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemIsUserCheckable);
        item->setCheckState(kept || compared.count(name) ? Qt::Checked : Qt::Unchecked);
        const QString description = info ? QString::fromStdString(info->description) : QString();
        item->setToolTip(kept ? tr("%1\n\nThe kept model: saved, evaluated and exported. It always trains.")
                                    .arg(description)
                              : tr("%1\n\nTick to train it too and compare it; double-click to keep it.")
                                    .arg(description));
        selectedListed = selectedListed || name == m_selected;
    }
    if (!selectedListed)
        m_selected = recipe.model.name;
    for (int row = 0; row < m_modelList->count(); ++row)
        if (m_modelList->item(row)->data(Qt::UserRole).toString().toStdString() == m_selected)
            m_modelList->setCurrentRow(row);
}

void TrainingPage::refreshForm()
{
    const auto& recipe = session()->recipe();
    const models::ModelInfo* info = findInfo(m_selected);
    const bool kept = m_selected == recipe.model.name;
    const workflow::ModelChoice* trained = kept ? &recipe.model : nullptr;
    for (const auto& compared : recipe.compareWith)
        if (compared.name == m_selected)
            trained = &compared;
    const std::map<std::string, std::string> params = trained ? trained->params : m_remembered[m_selected];
    // Rebuild when the model changed, or when its parameters were set elsewhere (undo,
    // not typing here), so the form always shows the recipe.
    if (m_selected != m_formModel || params != m_form->values()) {
        m_formModel = m_selected;
        m_form->setSpecs(info ? info->params : std::vector<core::ParamSpec>{}, params, m_selected);
    }
    m_paramsTitle->setText(kept ? tr("Hyper-parameters of <b>%1</b> (kept)").arg(displayName(m_selected).toHtmlEscaped())
                                : tr("Hyper-parameters of <b>%1</b>").arg(displayName(m_selected).toHtmlEscaped()));
    m_paramsTitle->setToolTip(info ? QString::fromStdString(info->description) : QString());
    m_selectedTrained = trained != nullptr;
    m_formNote->setText(trained ? tr("Hover a name for what it does and its range. An empty field uses the default.")
                                : tr("Tick %1 in the list to train it too; then set its hyper-parameters here.")
                                      .arg(displayName(m_selected)));
}

void TrainingPage::refreshValidation()
{
    const auto& recipe = session()->recipe();
    const bool classification = recipe.problem.task == core::TaskType::Classification;
    const QSignalBlocker blockGroup(m_cvGroup);
    const QSignalBlocker blockStrategy(m_cvStrategy);
    const QSignalBlocker blockFolds(m_cvFolds);
    const QSignalBlocker blockGap(m_cvGap);
    // Stratified folds need classes.
    if (auto* model = qobject_cast<QStandardItemModel*>(m_cvStrategy->model())) {
        if (QStandardItem* item = model->item(m_cvStrategy->findData(int(evaluation::CvStrategy::StratifiedKFold))))
            item->setEnabled(classification);
    }
    const auto& cv = recipe.crossValidation;
    m_cvGroup->setChecked(cv.has_value());
    const evaluation::CvStrategy strategy =
        cv ? cv->strategy : (classification ? evaluation::CvStrategy::StratifiedKFold : evaluation::CvStrategy::KFold);
    m_cvStrategy->setCurrentIndex(m_cvStrategy->findData(int(strategy)));
    if (cv) {
        m_cvFolds->setValue(cv->folds);
        m_cvGap->setValue(cv->gap);
    }
    const bool timeSeries = strategy == evaluation::CvStrategy::TimeSeries;
    m_cvFolds->setEnabled(strategy != evaluation::CvStrategy::LeaveOneOut);
    m_cvGap->setVisible(timeSeries);
    m_cvGapLabel->setVisible(timeSeries);
    QString note;
    switch (strategy) {
    case evaluation::CvStrategy::StratifiedKFold:
        note = tr("The training rows are cut into k folds that keep the class shares; each fold is scored once by a "
                  "model trained on the other folds.");
        break;
    case evaluation::CvStrategy::KFold:
        note = tr("The training rows are cut into k consecutive folds; each fold is scored once by a model trained on "
                  "the other folds.");
        break;
    case evaluation::CvStrategy::LeaveOneOut:
        note = tr("Every training row is scored by a model trained on all the others: one fit per row — for small "
                  "data only.");
        break;
    case evaluation::CvStrategy::TimeSeries:
        note = tr("Expanding window: train on the past, test on the next block. Use it with a time-ordered split.");
        break;
    }
    m_cvNote->setText(note + QLatin1Char(' ') +
                      tr("Every prep and feature step is refitted in each fold, so no fold's test rows leak into what "
                         "scores them."));
}

void TrainingPage::refreshSearch()
{
    const auto& recipe = session()->recipe();
    const auto task = recipe.problem.task;
    const models::ModelInfo* info = findInfo(recipe.model.name);
    const auto& search = recipe.search;
    const QSignalBlocker blockGroup(m_searchGroup);
    const QSignalBlocker blockKind(m_searchKind);
    const QSignalBlocker blockIterations(m_searchIterations);
    const QSignalBlocker blockScoring(m_searchScoring);
    const QSignalBlocker blockSpace(m_searchSpace);
    m_searchGroup->setTitle(tr("Search the hyper-parameters of %1").arg(displayName(recipe.model.name)));
    m_searchGroup->setChecked(search.has_value());

    if (m_searchScoring->property("task").toInt() != int(task) || m_searchScoring->count() == 0) {
        m_searchScoring->clear();
        m_searchScoring->addItem(QString(), QString());
        for (const auto& metric : evaluation::metricsFor(task)) {
            m_searchScoring->addItem(QString::fromStdString(metric.displayName), QString::fromStdString(metric.name));
            m_searchScoring->setItemData(m_searchScoring->count() - 1, QString::fromStdString(metric.help),
                                         Qt::ToolTipRole);
        }
        m_searchScoring->setProperty("task", int(task));
    }
    const std::string defaultMetric = recipe.problem.success ? recipe.problem.success->metric
                                      : task == core::TaskType::Classification ? "accuracy"
                                                                                 : "r2";
    m_searchScoring->setItemText(0, tr("Default: %1").arg(metricDisplayName(task, defaultMetric)));
    m_searchScoring->setItemData(0, tr("The success criterion's metric, else accuracy (classification) or R² "
                                       "(regression)"),
                                 Qt::ToolTipRole);

    if (search) {
        m_searchKind->setCurrentIndex(m_searchKind->findData(int(search->kind)));
        m_searchIterations->setValue(search->iterations);
        const int scoring = m_searchScoring->findData(QString::fromStdString(search->scoring));
        m_searchScoring->setCurrentIndex(std::max(0, scoring));
    }
    const bool random = m_searchKind->currentData().toInt() == int(workflow::SearchKind::Random);
    m_searchIterations->setVisible(random);
    m_searchIterationsLabel->setVisible(random);

    // One row per parameter of the kept model. While the search is off the typed values
    // stay, so ticking it again brings them back.
    const QString keptName = QString::fromStdString(recipe.model.name);
    if (m_searchSpace->property("model").toString() != keptName) {
        m_searchSpace->setRowCount(0);
        if (info) {
            for (const auto& spec : info->params) {
                const int row = m_searchSpace->rowCount();
                m_searchSpace->insertRow(row);
                auto* name = readOnlyItem(QString::fromStdString(spec.name));
                name->setToolTip(QStringLiteral("<p><b>%1</b></p><p>%2</p><p>Allowed: %3<br>Default: %4</p>")
                                     .arg(QString::fromStdString(spec.name).toHtmlEscaped(),
                                          QString::fromStdString(spec.help).toHtmlEscaped(),
                                          QString::fromStdString(core::describeAllowed(spec)).toHtmlEscaped(),
                                          QString::fromStdString(spec.defaultValue).toHtmlEscaped()));
                m_searchSpace->setItem(row, 0, name);
                auto* values = new QTableWidgetItem;
                values->setToolTip(tr("Values to try for %1, separated by commas; allowed: %2")
                                       .arg(QString::fromStdString(spec.name),
                                            QString::fromStdString(core::describeAllowed(spec))));
                m_searchSpace->setItem(row, 1, values);
            }
        }
        m_searchSpace->setProperty("model", keptName);
    }
    if (search) {
        for (int row = 0; row < m_searchSpace->rowCount(); ++row) {
            const std::string name = m_searchSpace->item(row, 0)->text().toStdString();
            const auto it = search->space.find(name);
            const QString text = it == search->space.end() ? QString() : joinValues(it->second);
            if (parseValues(m_searchSpace->item(row, 1)->text()) != parseValues(text))
                m_searchSpace->item(row, 1)->setText(text);
        }
    }

}

void TrainingPage::refreshSearchCount(int candidates)
{
    const auto& recipe = session()->recipe();
    if (!recipe.search) {
        m_searchCount->setText(tr("Off: the kept model trains with the hyper-parameters on the Parameters tab."));
        return;
    }
    if (candidates < 0) {
        m_searchCount->setText(tr("Type the values to try; the message above says what is missing."));
        return;
    }
    // The search's folds: the recipe's cross-validation, else 5 (scikit-learn's cv=5).
    const QLocale locale;
    const evaluation::CvSpec folds = recipe.crossValidation.value_or(evaluation::CvSpec{});
    const QString fits = folds.strategy == evaluation::CvStrategy::LeaveOneOut
                             ? tr("one fit per training row")
                             : tr("%1 folds = %2 fits").arg(folds.folds).arg(locale.toString(qlonglong(candidates) * folds.folds));
    const QString count = candidates == 1 ? tr("1 candidate") : tr("%1 candidates").arg(locale.toString(candidates));
    m_searchCount->setText(tr("%1 × %2, then the best is trained on all training rows.").arg(count, fits));
}

void TrainingPage::refreshTabTitles()
{
    const auto& recipe = session()->recipe();
    QString cv = tr("CV: off");
    if (const auto& spec = recipe.crossValidation) {
        switch (spec->strategy) {
        case evaluation::CvStrategy::LeaveOneOut:
            cv = tr("CV: leave-one-out");
            break;
        case evaluation::CvStrategy::TimeSeries:
            cv = tr("CV: time, %1 folds").arg(spec->folds);
            break;
        default:
            cv = tr("CV: %1 folds").arg(spec->folds);
            break;
        }
    }
    m_setupTabs->setTabText(ValidationTab, cv);
    QString search = tr("Search: off");
    if (const auto& spec = recipe.search)
        search = spec->kind == workflow::SearchKind::Grid ? tr("Search: grid")
                                                          : tr("Search: random %1").arg(spec->iterations);
    m_setupTabs->setTabText(SearchSetupTab, search);
    m_setupTabs->setTabToolTip(ValidationTab, m_cvGroup->toolTip());
    m_setupTabs->setTabToolTip(SearchSetupTab, m_searchGroup->toolTip());
}

void TrainingPage::validateSetup()
{
    const auto& recipe = session()->recipe();
    const auto task = recipe.problem.task;
    QStringList errors;
    const models::ModelInfo* kept = findInfo(recipe.model.name);
    if (!kept)
        errors << tr("Unknown model “%1” — choose one from the list.").arg(QString::fromStdString(recipe.model.name));
    else if (!solves(*kept, task))
        errors << tr("%1 does not do %2 — keep another model.")
                      .arg(displayName(recipe.model.name), QString::fromStdString(core::toString(task)));
    std::vector<const workflow::ModelChoice*> trained{&recipe.model};
    for (const auto& compared : recipe.compareWith)
        trained.push_back(&compared);
    for (const workflow::ModelChoice* choice : trained) {
        const models::ModelInfo* info = findInfo(choice->name);
        if (!info)
            continue;
        try {
            core::resolveParams(info->params, choice->params, info->name);
        } catch (const core::InvalidParameter& error) {
            // The kept model's message stands alone (it names the parameter); a compared
            // model's says which model it is about.
            errors << (choice == &recipe.model
                           ? QString::fromUtf8(error.what())
                           : tr("%1: %2").arg(displayName(choice->name), QString::fromUtf8(error.what())));
        }
    }
    if (const auto& cv = recipe.crossValidation) {
        if (cv->strategy == evaluation::CvStrategy::StratifiedKFold && task != core::TaskType::Classification)
            errors << tr("Stratified folds keep class shares, and a regression has no classes — choose k-fold.");
    }
    // The engine's own check of the search, before any training: every value against
    // the kept model's table, the grid's size, the distributions.
    int candidates = -1;
    if (const auto& search = recipe.search; search && kept && errors.isEmpty()) {
        try {
            candidates = int(workflow::searchCandidates(*search, kept->params, recipe.model.params, kept->name,
                                                        recipe.seed)
                                 .size());
        } catch (const core::InvalidParameter& error) {
            errors << tr("Search: %1").arg(QString::fromUtf8(error.what()));
        }
    }
    refreshSearchCount(candidates);
    m_setupValid = errors.isEmpty();
    banner()->clearMessage(QStringLiteral("params"));
    if (!errors.isEmpty())
        banner()->setMessage(QStringLiteral("params"), StatusBanner::Level::Error, errors.join(QLatin1Char('\n')));
}

void TrainingPage::refreshButtons()
{
    const auto& recipe = session()->recipe();
    const bool training = session()->isTraining();
    const bool ready = session()->table() != nullptr && !session()->isLoading() && m_setupValid;
    m_train->setEnabled(!training && ready);
    const int models = int(recipe.compareWith.size()) + 1;
    if (session()->result() && !training)
        m_train->setText(tr("Train again"));
    else
        m_train->setText(models > 1 ? tr("Train %n models", nullptr, models) : tr("Train"));
    const bool keptSelected = m_selected == recipe.model.name;
    m_modelList->setEnabled(!training);
    m_keep->setEnabled(!training && !keptSelected && !m_selected.empty());
    m_form->setEnabled(!training && m_selectedTrained);
    m_reset->setEnabled(!training && m_selectedTrained);
    m_cvGroup->setEnabled(!training);
    m_searchGroup->setEnabled(!training);

    bool entryKeepable = false;
    if (const auto result = session()->result(); result && !training) {
        const int entry = m_leaderboard->entryAt(m_leaderboard->currentRow());
        entryKeepable = entry >= 0 && entry < int(result->leaderboard.size()) &&
                        result->leaderboard[std::size_t(entry)].model.name != recipe.model.name;
    }
    m_keepEntry->setEnabled(entryKeepable);

    // "X is now the kept model, train again" holds until the recipe is the trained one.
    if (session()->hasCurrentResult())
        banner()->clearMessage(QStringLiteral("keep"));
    if (!training && session()->result() && !session()->hasCurrentResult())
        banner()->setMessage(QStringLiteral("train-stale"), StatusBanner::Level::Info,
                             tr("The settings changed since the last training — press Train again to update the "
                                "results."));
    else
        banner()->clearMessage(QStringLiteral("train-stale"));
    updateCompleteness();
}

void TrainingPage::onModelItemChanged(int row)
{
    QListWidgetItem* item = m_modelList->item(row);
    if (!item)
        return;
    const std::string name = item->data(Qt::UserRole).toString().toStdString();
    workflow::Recipe after = session()->recipe();
    if (name == after.model.name) {
        refreshModelList();
        return;
    }
    auto& compared = after.compareWith;
    const auto it = std::find_if(compared.begin(), compared.end(), [&](const auto& c) { return c.name == name; });
    const bool checked = item->checkState() == Qt::Checked;
    m_selected = name;
    if (checked && it == compared.end()) {
        compared.push_back(workflow::ModelChoice{name, m_remembered[name]});
        session()->editRecipe(after, tr("Compare with %1").arg(displayName(name)));
    } else if (!checked && it != compared.end()) {
        m_remembered[name] = it->params;
        compared.erase(it);
        session()->editRecipe(after, tr("Stop comparing %1").arg(displayName(name)));
    }
    refresh();
}

void TrainingPage::keepModel(const workflow::ModelChoice& choice, const QString& why)
{
    const workflow::ModelChoice& kept = session()->recipe().model;
    if (choice.name == kept.name && choice.params == kept.params)
        return;
    // Selected first: the recipe change refreshes the list around the selection.
    m_selected = choice.name;
    session()->keepModel(choice);
    if (!why.isEmpty())
        banner()->setMessage(QStringLiteral("keep"), StatusBanner::Level::Info, why);
}

void TrainingPage::writeParams()
{
    workflow::Recipe after = session()->recipe();
    workflow::ModelChoice* target = m_selected == after.model.name ? &after.model : nullptr;
    for (auto& compared : after.compareWith)
        if (compared.name == m_selected)
            target = &compared;
    if (!target)
        return;
    const std::map<std::string, std::string> values = m_form->values();
    // Name the one parameter that changed, so the undo history reads well.
    std::string changed;
    for (const auto& [name, value] : values)
        if (!target->params.count(name) || target->params.at(name) != value)
            changed = name;
    for (const auto& [name, value] : target->params)
        if (!values.count(name))
            changed = name;
    target->params = values;
    session()->editRecipe(after,
                          tr("Set %1 of %2").arg(QString::fromStdString(changed), displayName(m_selected)),
                          QStringLiteral("params:%1:%2")
                              .arg(QString::fromStdString(m_selected), QString::fromStdString(changed)));
}

void TrainingPage::writeValidation(const QString& mergeKey)
{
    workflow::Recipe after = session()->recipe();
    if (m_cvGroup->isChecked()) {
        evaluation::CvSpec spec;
        spec.strategy = evaluation::CvStrategy(m_cvStrategy->currentData().toInt());
        spec.folds = m_cvFolds->value();
        spec.gap = spec.strategy == evaluation::CvStrategy::TimeSeries ? m_cvGap->value() : 0;
        after.crossValidation = spec;
    } else {
        after.crossValidation.reset();
    }
    const bool toggled = after.crossValidation.has_value() != session()->recipe().crossValidation.has_value();
    const QString what = toggled ? (after.crossValidation ? tr("Cross-validate") : tr("Stop cross-validating"))
                                 : tr("Change the cross-validation");
    session()->editRecipe(after, what, toggled ? QString() : mergeKey);
}

void TrainingPage::writeSearch(const QString& what, const QString& mergeKey)
{
    workflow::Recipe after = session()->recipe();
    if (m_searchGroup->isChecked()) {
        workflow::SearchSpec spec;
        spec.kind = workflow::SearchKind(m_searchKind->currentData().toInt());
        spec.iterations = m_searchIterations->value();
        spec.scoring = m_searchScoring->currentData().toString().toStdString();
        for (int row = 0; row < m_searchSpace->rowCount(); ++row) {
            std::vector<std::string> values = parseValues(m_searchSpace->item(row, 1)->text());
            if (!values.empty())
                spec.space[m_searchSpace->item(row, 0)->text().toStdString()] = std::move(values);
        }
        after.search = spec;
    } else {
        after.search.reset();
    }
    session()->editRecipe(after, what, mergeKey);
}

void TrainingPage::suggestSearchValues()
{
    const models::ModelInfo* info = findInfo(session()->recipe().model.name);
    int row = m_searchSpace->currentRow();
    if (!info || m_searchSpace->rowCount() == 0)
        return;
    if (row < 0)
        row = 0;
    const std::string name = m_searchSpace->item(row, 0)->text().toStdString();
    const auto spec = std::find_if(info->params.begin(), info->params.end(),
                                   [&](const core::ParamSpec& s) { return s.name == name; });
    if (spec == info->params.end())
        return;
    m_searchSpace->item(row, 1)->setText(joinValues(suggestedValues(*spec)));
}

void TrainingPage::onTrainingStarted()
{
    const auto& recipe = session()->recipe();
    banner()->clearMessagesWithPrefix(QStringLiteral("train"));
    banner()->clearMessage(QStringLiteral("keep"));
    m_runKept = QString::fromStdString(recipe.model.name);
    QStringList planned{m_runKept};
    for (const auto& compared : recipe.compareWith)
        planned << QString::fromStdString(compared.name);
    m_progressModel->setEmphasisedSource(m_runKept);
    m_progressModel->start(planned);
    m_chart->setEmphasisedSource(m_runKept);
    m_chart->reset(tr("Waiting for the first training step…"));
    m_chart->setSourceOrder(planned);
    m_matrices.clear();
    m_matrixSource.clear();
    m_matrixFollows = true;
    m_matrixModel->clear();
    m_matrix->setPlaceholderText(tr("The confusion matrix appears after the first training step."));
    m_matrixCaption->setText(matrixCaption(tr("Live confusion matrix"), tr("waiting for the first step")));
    m_resultTabs->setCurrentIndex(LiveTab);
    m_resultTabs->setTabEnabled(LeaderboardTab, false);
    m_resultTabs->setTabEnabled(SearchTab, false);
    refreshButtons();
}

void TrainingPage::onTrainingUpdate(const TrainingUpdate& update)
{
    // A lone model's snapshots carry no label: they are the kept model's.
    TrainingUpdate labelled = update;
    const auto task = session()->recipe().problem.task;
    for (CurveUpdate& curve : labelled.curves) {
        if (curve.source.isEmpty())
            curve.source = m_runKept;
        // Fold scores carry the metric's report name ("f1_macro"); show its own name.
        if (isIndexedCurve(curve.stepName))
            curve.metricName = metricDisplayName(task, curve.metricName.toStdString());
    }
    for (ConfusionUpdate& matrix : labelled.confusions)
        if (matrix.source.isEmpty())
            matrix.source = m_runKept;
    m_progressModel->apply(labelled);
    m_chart->append(labelled);
    if (labelled.confusions.isEmpty())
        return;
    bool followedReported = false;
    for (const ConfusionUpdate& matrix : labelled.confusions) {
        rememberMatrix(matrix);
        followedReported = followedReported || matrix.source == m_matrixSource;
    }
    // Follow the run that reported last, but stay with the one shown while it reports.
    if (m_matrixFollows && !followedReported)
        m_matrixSource = labelled.confusions.back().source;
    showMatrix(m_matrixSource);
}

void TrainingPage::rememberMatrix(const ConfusionUpdate& matrix)
{
    const auto it = m_matrices.constFind(matrix.source);
    if (it == m_matrices.cend() || metricHonesty({}, matrix.measuredOn) <= metricHonesty({}, it->measuredOn))
        m_matrices.insert(matrix.source, matrix);
}

void TrainingPage::showMatrix(const QString& source)
{
    m_matrixSource = source;
    const auto it = m_matrices.constFind(source);
    const QString name = sourceDisplayName(source);
    if (it == m_matrices.cend()) {
        m_matrixModel->clear();
        m_matrix->setPlaceholderText(tr("%1 has reported no confusion matrix.").arg(name));
        m_matrixCaption->setText(matrixCaption(tr("Confusion matrix"), name));
        return;
    }
    QStringList names = toQStringList(session()->classLabels());
    if (names.size() != int(it->matrix.size()))
        names.clear();
    m_matrixModel->setMatrix(it->matrix, names);
    const bool live = session()->isTraining();
    QString detail = tr("measured on %1").arg(it->measuredOn);
    if (it->totalSteps > 0)
        detail += tr(", after %1 of %2 %3").arg(it->step).arg(it->totalSteps).arg(it->stepName);
    else if (!live)
        detail += tr(", after training");
    m_matrixCaption->setText(matrixCaption(live ? tr("%1 — live confusion matrix").arg(name)
                                                : tr("%1 — confusion matrix").arg(name),
                                           detail));
}

void TrainingPage::onTrainingFinished()
{
    const auto state = session()->trainingTask()->state();
    m_progressModel->finish(state == BackgroundTask::State::Succeeded);
    if (state != BackgroundTask::State::Succeeded && session()->result()) {
        // The last result still stands; its tables come back.
        m_resultTabs->setTabEnabled(LeaderboardTab, !session()->result()->leaderboard.empty());
        m_resultTabs->setTabEnabled(SearchTab, session()->result()->search.has_value());
    }
    refreshButtons();
}

void TrainingPage::showResultViews()
{
    const auto result = session()->result();
    if (!result)
        return;
    const auto& recipe = session()->resultRecipe();
    const QString kept = QString::fromStdString(recipe.model.name);
    const auto task = recipe.problem.task;
    m_chart->setEmphasisedSource(kept);
    m_progressModel->setEmphasisedSource(kept);
    m_chart->reset(tr("These models report no training curve."));

    // The kept model first in colour (blue, as while it trained), the others after.
    std::vector<const workflow::LeaderboardEntry*> others;
    for (const auto& entry : result->leaderboard)
        if (!entry.kept)
            others.push_back(&entry);
    QStringList order{kept};
    for (const workflow::LeaderboardEntry* entry : others)
        order << QString::fromStdString(entry->model.name);
    m_chart->setSourceOrder(order);

    m_matrices.clear();
    const auto rememberCurve = [&](const QString& source, const std::vector<core::TrainingSnapshot>& curve) {
        for (const auto& snapshot : curve) {
            if (snapshot.confusion.empty())
                continue;
            rememberMatrix(ConfusionUpdate{source, QString::fromStdString(snapshot.measuredOn),
                                           QString::fromStdString(snapshot.stepName), snapshot.step,
                                           snapshot.totalSteps, snapshot.confusion});
        }
    };
    for (const workflow::LeaderboardEntry* entry : others) {
        const QString source = QString::fromStdString(entry->model.name);
        m_chart->appendCurve(source, entry->fit.curve);
        rememberCurve(source, entry->fit.curve);
    }
    m_chart->appendCurve(kept, result->fit.curve);
    rememberCurve(kept, result->fit.curve);
    if (result->validationClassification)
        rememberMatrix(ConfusionUpdate{kept, tr("the validation rows"), {}, 0, 0,
                                       result->validationClassification->confusion});

    // The fold scores last, as one chart of every model: what the leaderboard ranks by,
    // and what the chart then shows. Named as the live fold scores (onTrainingUpdate).
    TrainingUpdate folds;
    const auto addFolds = [&](const QString& source, const workflow::CrossValidationResult& cv) {
        CurveUpdate curve;
        curve.source = source;
        curve.metricName = metricDisplayName(task, cv.metric);
        curve.stepName = QStringLiteral("fold");
        curve.measuredOn = QStringLiteral("cross-validation fold");
        curve.totalSteps = int(cv.scores.size());
        for (std::size_t i = 0; i < cv.scores.size(); ++i)
            curve.points.append(QPointF(double(i + 1), cv.scores[i]));
        folds.curves.append(curve);
    };
    if (result->crossValidation)
        addFolds(kept, *result->crossValidation);
    for (const workflow::LeaderboardEntry* entry : others)
        if (entry->crossValidation)
            addFolds(QString::fromStdString(entry->model.name), *entry->crossValidation);
    m_chart->append(folds);
    m_matrixFollows = true;
    showMatrix(kept);

    if (m_progressModel->rowCount() == 0) {
        if (result->leaderboard.empty()) {
            m_progressModel->addFinished(kept, {});
        } else {
            for (const auto& entry : result->leaderboard)
                m_progressModel->addFinished(QString::fromStdString(entry.model.name), {});
        }
    }
    fillLeaderboard();
    fillSearchResults();
}

void TrainingPage::fillLeaderboard()
{
    const auto result = session()->result();
    if (result)
        m_leaderboard->showRun(*result, session()->resultRecipe().problem.task);
    else
        m_leaderboard->clearRun();
    const int entries = m_leaderboard->rowCount();
    m_resultTabs->setTabEnabled(LeaderboardTab, entries > 0);
    m_resultTabs->setTabText(LeaderboardTab, entries > 0 ? tr("Leaderboard (%1)").arg(entries) : tr("Leaderboard"));
    m_leaderboardNote->setText(m_leaderboard->note());
}

void TrainingPage::fillSearchResults()
{
    const auto result = session()->result();
    if (result && result->search)
        m_searchResults->showSearch(*result->search, session()->resultRecipe().problem.task);
    else
        m_searchResults->clearSearch();
    const int candidates = m_searchResults->rowCount();
    m_resultTabs->setTabEnabled(SearchTab, candidates > 0);
    m_resultTabs->setTabText(SearchTab, candidates > 0 ? tr("Search results (%1)").arg(candidates)
                                                       : tr("Search results"));
    m_searchNote->setText(m_searchResults->note());
}

void TrainingPage::onResult()
{
    const auto result = session()->result();
    if (!result)
        return;
    // The test score is shown below as soon as the run ends: the user has seen it.
    m_tuningHistory.push_back(workflow::tuningRunFor(session()->resultRecipe()));
    refreshMisconceptions();
    showResultViews();
    const QLocale locale;
    const auto& recipe = session()->resultRecipe();
    QString score;
    if (result->classification)
        score = tr("accuracy on the %1 test rows: %2")
                    .arg(locale.toString(qulonglong(result->testRows.size())))
                    .arg(QString::number(result->classification->accuracy, 'f', 3));
    else if (result->regression)
        score = tr("R² on the %1 test rows: %2")
                    .arg(locale.toString(qulonglong(result->testRows.size())))
                    .arg(QString::number(result->regression->r2, 'f', 3));
    const QString took = formatElapsed(session()->trainingTask()->elapsedMs());
    const QString kept = displayName(recipe.model.name);
    if (result->leaderboard.size() > 1)
        banner()->setMessage(QStringLiteral("train-done"), StatusBanner::Level::Success,
                             tr("Trained %1 models on %2 rows in %3. Kept: %4 — %5. Continue to Evaluation for the "
                                "full picture.")
                                 .arg(result->leaderboard.size())
                                 .arg(locale.toString(qulonglong(result->trainRowCount)), took, kept, score));
    else
        banner()->setMessage(QStringLiteral("train-done"), StatusBanner::Level::Success,
                             tr("Trained %1 on %2 rows in %3 — %4. Continue to Evaluation for the full picture.")
                                 .arg(kept, locale.toString(qulonglong(result->trainRowCount)), took, score));
    int index = 0;
    for (const auto& warning : result->warnings) {
        // Not converging deserves attention; the other notes (rows left out, …) inform.
        const bool convergence = !result->fit.converged && warning == result->fit.message;
        banner()->setMessage(QStringLiteral("train-warning-%1").arg(index++),
                             convergence ? StatusBanner::Level::Warning : StatusBanner::Level::Info,
                             convergence ? tr("The model did not converge: %1 — raise max_iter or scale the features.")
                                               .arg(QString::fromStdString(warning))
                                         : QString::fromStdString(warning));
    }
    if (m_resultTabs->currentIndex() == LiveTab) {
        if (!result->leaderboard.empty())
            m_resultTabs->setCurrentIndex(LeaderboardTab);
        else if (result->search)
            m_resultTabs->setCurrentIndex(SearchTab);
    }
    refreshButtons();
}

QString TrainingPage::incompleteReason() const
{
    if (session()->isTraining())
        return tr("wait for the training to finish (or cancel it).");
    if (!session()->table())
        return tr("load data on the Data step first.");
    if (!m_setupValid)
        return tr("fix the setting named in the message above.");
    if (!session()->result())
        return tr("press Train to train the model.");
    if (!session()->hasCurrentResult())
        return tr("the settings changed since the last training — press Train again.");
    return {};
}

} // namespace stepwise::ui
