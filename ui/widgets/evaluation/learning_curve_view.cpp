#include "widgets/evaluation/learning_curve_view.hpp"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPushButton>
#include <QRegularExpression>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>

#include "pages/wizard_step_page.hpp"
#include "session/session.hpp"
#include "stepwise/models/registry.hpp"
#include "stepwise/workflow/runner.hpp"
#include "tasks/background_task.hpp"
#include "widgets/charts/score_curve_chart.hpp"
#include "widgets/score_text.hpp"
#include "widgets/task_progress_panel.hpp"

namespace stepwise::ui {
namespace {

const QColor kTrain(0x25, 0x63, 0xeb);
const QColor kValidation(0xe6, 0x9f, 0x00);

bool isNumeric(const core::ParamSpec& spec)
{
    return spec.kind == core::ParamKind::Integer || spec.kind == core::ParamKind::Real;
}

std::optional<double> parseNumber(const std::string& text)
{
    bool ok = false;
    const double value = QString::fromStdString(text).toDouble(&ok);
    return ok && std::isfinite(value) ? std::optional<double>(value) : std::nullopt;
}

QString numberText(double value) { return QString::number(value, 'g', 6); }

const models::ModelInfo* findInfo(const std::string& name)
{
    for (const auto& info : models::modelRegistry())
        if (info.name == name)
            return &info;
    return nullptr;
}

QString fitsText(int fits) { return fits == 1 ? QObject::tr("1 fit") : QObject::tr("%1 fits").arg(fits); }

QString computingText() { return QObject::tr("Computing… the progress and Cancel are below the chart."); }

} // namespace

QStringList suggestedValues(const core::ParamSpec& spec)
{
    // Ranges that show the whole story for the parameters people vary most: from too
    // simple to too flexible.
    static const std::map<std::string, std::vector<double>> known = {
        {"n_estimators", {10, 25, 50, 100, 200, 400}},
        {"max_depth", {1, 2, 3, 5, 8, 12}},
        {"min_samples_split", {2, 5, 10, 20, 50}},
        {"min_samples_leaf", {1, 2, 5, 10, 20, 50}},
        {"n_neighbors", {1, 3, 5, 9, 15, 25, 51}},
        {"C", {0.001, 0.01, 0.1, 1, 10, 100}},
        {"alpha", {0.0001, 0.001, 0.01, 0.1, 1, 10, 100}},
        {"learning_rate", {0.01, 0.03, 0.1, 0.3, 1}},
        {"l1_ratio", {0, 0.25, 0.5, 0.75, 1}},
        {"max_leaf_nodes", {4, 8, 16, 31, 64, 128}},
        {"var_smoothing", {1e-11, 1e-9, 1e-7, 1e-5, 1e-3}},
        {"l2_regularization", {0, 0.01, 0.1, 1, 10}},
    };
    std::vector<double> candidates;
    const std::optional<double> fallback = parseNumber(spec.defaultValue);
    if (const auto it = known.find(spec.name); it != known.end()) {
        candidates = it->second;
    } else if (spec.kind == core::ParamKind::Integer) {
        const double center = fallback && *fallback > 0 ? *fallback : std::max(1.0, spec.min);
        for (double factor : {0.25, 0.5, 1.0, 2.0, 4.0})
            candidates.push_back(std::max(1.0, std::round(center * factor)));
    } else if (fallback && *fallback > 0 && spec.max > 10.0 * *fallback) {
        for (double factor : {0.01, 0.1, 1.0, 10.0, 100.0})
            candidates.push_back(*fallback * factor);
    } else {
        // A bounded share such as a fraction: evenly across the allowed range.
        const double low = spec.min;
        const double high = spec.max;
        for (int i = 0; i <= 4; ++i)
            candidates.push_back(low + (high - low) * i / 4.0);
    }
    QStringList values;
    for (double value : candidates) {
        const bool above = spec.minExclusive ? value > spec.min : value >= spec.min;
        if (!above || value > spec.max)
            continue;
        const QString text = numberText(value);
        if (!values.contains(text))
            values << text;
    }
    // A word that switches the limit off ("none" for max_depth) ends the range.
    if (std::find(spec.words.begin(), spec.words.end(), spec.defaultValue) != spec.words.end())
        values << QString::fromStdString(spec.defaultValue);
    return values;
}

workflow::Recipe keptModelRecipe(const workflow::Recipe& recipe, const workflow::RunResult& result)
{
    workflow::Recipe kept = recipe;
    if (result.search)
        kept.model.params = result.search->bestParams;
    kept.compareWith.clear();
    kept.search.reset();
    return kept;
}

int curveFoldCount(const workflow::Recipe& recipe, std::size_t trainRows)
{
    if (!recipe.crossValidation)
        return 5;
    if (recipe.crossValidation->strategy == evaluation::CvStrategy::LeaveOneOut)
        return int(trainRows);
    return recipe.crossValidation->folds;
}

const std::vector<double>& LearningCurveView::fractions()
{
    static const std::vector<double> values = {0.1, 0.325, 0.55, 0.775, 1.0};
    return values;
}

LearningCurveView::LearningCurveView(Session* session, QWidget* parent)
    : QWidget(parent),
      m_session(session),
      m_learningTask(new BackgroundTask(tr("Learning curve"), this)),
      m_validationTask(new BackgroundTask(tr("Validation curve"), this)),
      m_learnButton(new QPushButton(this)),
      m_learnNote(makeNote({}, this)),
      m_learningChart(new ScoreCurveChart(this)),
      m_learningProgress(new TaskProgressPanel(TaskProgressPanel::Form::Full, this)),
      m_param(new QComboBox(this)),
      m_values(new QLineEdit(this)),
      m_validateButton(new QPushButton(this)),
      m_validateNote(makeNote({}, this)),
      m_validationChart(new ScoreCurveChart(this)),
      m_validationProgress(new TaskProgressPanel(TaskProgressPanel::Form::Full, this))
{
    setObjectName(QStringLiteral("learningCurveView"));
    m_learnButton->setObjectName(QStringLiteral("computeLearningCurve"));
    m_validateButton->setObjectName(QStringLiteral("computeValidationCurve"));
    m_param->setObjectName(QStringLiteral("validationParam"));
    m_values->setObjectName(QStringLiteral("validationValues"));
    m_learningChart->setObjectName(QStringLiteral("learningCurveChart"));
    m_validationChart->setObjectName(QStringLiteral("validationCurveChart"));
    m_learningProgress->setTask(m_learningTask);
    m_learningProgress->setHiddenWhenIdle(true);
    m_validationProgress->setTask(m_validationTask);
    m_validationProgress->setHiddenWhenIdle(true);
    m_values->setPlaceholderText(tr("values separated by commas"));
    m_values->setToolTip(tr("The values to try, as you would type them on the Training step (numbers, or a word "
                            "such as none where the parameter allows it)."));
    m_param->setToolTip(tr("The hyper-parameter to vary; every other setting stays as the kept model has it."));
    m_learnButton->setToolTip(tr("Refits every step and the model on growing shares of the training rows, in each "
                                 "fold. The test rows are never used."));

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    auto* how = makeNote(tr("<b>How to read them:</b> a wide gap between the training and the validation line is "
                            "variance (overfitting — more rows or a simpler model help); both lines low and close "
                            "together is bias (underfitting — a more flexible model or better features help)."),
                         this);
    how->setObjectName(QStringLiteral("curveReading"));
    how->setTextFormat(Qt::RichText);
    layout->addWidget(how);

    auto* columns = new QHBoxLayout;
    auto* left = new QVBoxLayout;
    left->addWidget(makeSectionTitle(tr("Learning curve: score against training rows"), this));
    auto* learnRow = new QHBoxLayout;
    learnRow->addWidget(m_learnButton);
    learnRow->addStretch(1);
    left->addLayout(learnRow);
    left->addWidget(m_learnNote);
    left->addWidget(m_learningChart, 1);
    left->addWidget(m_learningProgress);

    auto* right = new QVBoxLayout;
    right->addWidget(makeSectionTitle(tr("Validation curve: score against one hyper-parameter"), this));
    auto* validateRow = new QHBoxLayout;
    auto* paramLabel = new QLabel(tr("&Parameter:"), this);
    paramLabel->setBuddy(m_param);
    validateRow->addWidget(paramLabel);
    validateRow->addWidget(m_param);
    auto* valuesLabel = new QLabel(tr("&Values:"), this);
    valuesLabel->setBuddy(m_values);
    validateRow->addWidget(valuesLabel);
    validateRow->addWidget(m_values, 1);
    right->addLayout(validateRow);
    auto* validateButtonRow = new QHBoxLayout;
    validateButtonRow->addWidget(m_validateButton);
    validateButtonRow->addStretch(1);
    right->addLayout(validateButtonRow);
    right->addWidget(m_validateNote);
    right->addWidget(m_validationChart, 1);
    right->addWidget(m_validationProgress);

    columns->addLayout(left, 1);
    columns->addSpacing(8);
    columns->addLayout(right, 1);
    layout->addLayout(columns, 1);

    connect(m_learnButton, &QPushButton::clicked, this, &LearningCurveView::computeLearningCurve);
    connect(m_validateButton, &QPushButton::clicked, this, &LearningCurveView::computeValidationCurve);
    connect(m_values, &QLineEdit::returnPressed, this, &LearningCurveView::computeValidationCurve);
    connect(m_values, &QLineEdit::textChanged, this, &LearningCurveView::refreshButtons);
    connect(m_param, &QComboBox::currentIndexChanged, this, [this] {
        const models::ModelInfo* info = findInfo(m_paramModel);
        const QString name = m_param->currentData().toString();
        if (!info)
            return;
        for (const auto& spec : info->params)
            if (QString::fromStdString(spec.name) == name) {
                m_values->setText(suggestedValues(spec).join(QStringLiteral(", ")));
                m_param->setToolTip(QString::fromStdString(spec.help));
            }
        refreshButtons();
    });
    for (BackgroundTask* task : {m_learningTask, m_validationTask})
        connect(task, &BackgroundTask::finished, this, [this, task] {
            ScoreCurveChart* chart = task == m_learningTask ? m_learningChart : m_validationChart;
            // Only a run the chart still waits for: a new result cancels quietly.
            const bool waiting = chart->placeholderText() == computingText() && chart->curves().empty();
            if (waiting && task->state() == BackgroundTask::State::Cancelled)
                chart->clear(tr("Cancelled — nothing was kept. Press Compute to start again."));
            else if (waiting && task->state() == BackgroundTask::State::Failed)
                chart->clear(tr("The curve could not be computed: %1").arg(task->errorMessage()));
            refreshButtons();
        });
    connect(m_learningTask, &BackgroundTask::started, this, &LearningCurveView::refreshButtons);
    connect(m_validationTask, &BackgroundTask::started, this, &LearningCurveView::refreshButtons);
    connect(session, &Session::resultChanged, this, &LearningCurveView::refresh);
    refresh();
}

std::vector<std::string> LearningCurveView::typedValues() const
{
    std::vector<std::string> values;
    static const QRegularExpression separators(QStringLiteral("[,;\\s]+"));
    for (const QString& part : m_values->text().split(separators, Qt::SkipEmptyParts))
        values.push_back(part.toStdString());
    return values;
}

void LearningCurveView::fillParams()
{
    const std::string& model = m_session->resultRecipe().model.name;
    if (model == m_paramModel && m_param->count() > 0)
        return;
    m_paramModel = model;
    const QSignalBlocker block(m_param);
    m_param->clear();
    if (const models::ModelInfo* info = findInfo(model))
        for (const auto& spec : info->params)
            if (isNumeric(spec))
                m_param->addItem(QString::fromStdString(spec.name), QString::fromStdString(spec.name));
    // The first numeric parameter of a model's table is the one it is known by
    // (n_estimators, max_depth, C, n_neighbors, …).
    m_param->setCurrentIndex(m_param->count() > 0 ? 0 : -1);
    m_values->clear();
    if (const models::ModelInfo* info = findInfo(model); info && m_param->count() > 0)
        for (const auto& spec : info->params)
            if (QString::fromStdString(spec.name) == m_param->currentData().toString()) {
                m_values->setText(suggestedValues(spec).join(QStringLiteral(", ")));
                m_param->setToolTip(QString::fromStdString(spec.help));
            }
}

void LearningCurveView::refresh()
{
    // The curves belong to the model they were computed for.
    m_learningTask->cancel();
    m_validationTask->cancel();
    m_learning.reset();
    m_validation.reset();
    const auto result = m_session->result();
    if (!result || !result->pipeline) {
        const QString why = tr("Learning and validation curves appear once a model is trained — train one on the "
                               "Training step.");
        m_learningChart->clear(why);
        m_validationChart->clear(why);
        m_paramModel.clear();
        m_param->clear();
        m_values->clear();
        refreshButtons();
        return;
    }
    fillParams();
    m_learningChart->clear(tr("Press Compute to see whether more training rows would help this model."));
    m_validationChart->clear(m_param->count() > 0
                                 ? tr("Choose a hyper-parameter and its values, then press Compute.")
                                 : tr("%1 has no numeric hyper-parameter to vary.")
                                       .arg(QString::fromStdString(m_session->resultRecipe().model.name)));
    refreshButtons();
}

void LearningCurveView::refreshButtons()
{
    const auto result = m_session->result();
    const bool ready = result && result->pipeline && m_session->table();
    const int folds = ready ? curveFoldCount(m_session->resultRecipe(), result->trainRowCount) : 5;
    const int learningFits = folds * int(fractions().size());
    const int values = int(typedValues().size());
    m_learnButton->setText(tr("Compute learning curve (%1)").arg(fitsText(learningFits)));
    m_learnButton->setEnabled(ready && !m_learningTask->isRunning());
    m_validateButton->setText(tr("Compute validation curve (%1)").arg(fitsText(folds * values)));
    m_validateButton->setEnabled(ready && values > 0 && m_param->count() > 0 && !m_validationTask->isRunning());
    m_param->setEnabled(ready && m_param->count() > 0);
    m_values->setEnabled(ready && m_param->count() > 0);
    if (!ready) {
        m_learnNote->clear();
        m_validateNote->clear();
        return;
    }
    const QString rows = QLocale().toString(qulonglong(result->trainRowCount));
    m_learnNote->setText(tr("%1 training sizes × %2 folds, each fitting every step and the model again on up to "
                            "%3 training rows; the test rows are never used.")
                             .arg(fractions().size())
                             .arg(folds)
                             .arg(rows));
    m_validateNote->setText(tr("%1 × %2 folds on the %3 training rows; every other setting as the kept "
                               "model has it.")
                                .arg(values == 1 ? tr("1 value") : tr("%1 values").arg(values))
                                .arg(folds)
                                .arg(rows));
}

void LearningCurveView::computeLearningCurve()
{
    const auto result = m_session->result();
    const auto table = m_session->table();
    if (!result || !result->pipeline || !table)
        return;
    const workflow::Recipe recipe = keptModelRecipe(m_session->resultRecipe(), *result);
    m_learning.reset();
    m_learningChart->clear(computingText());
    m_learningTask->start(
        tr("Learning curve"),
        [recipe, table](core::TaskControl& control) -> std::any {
            return std::make_shared<const workflow::LearningCurve>(
                workflow::learningCurve(recipe, *table, control, fractions()));
        },
        [this, result](const std::any& value) {
            if (result != m_session->result())
                return;
            showLearning(std::any_cast<std::shared_ptr<const workflow::LearningCurve>>(value));
        });
    refreshButtons();
}

void LearningCurveView::computeValidationCurve()
{
    const auto result = m_session->result();
    const auto table = m_session->table();
    const std::vector<std::string> values = typedValues();
    if (!result || !result->pipeline || !table || values.empty() || m_param->count() == 0)
        return;
    const workflow::Recipe recipe = keptModelRecipe(m_session->resultRecipe(), *result);
    const std::string param = m_param->currentData().toString().toStdString();
    m_validation.reset();
    m_validationChart->clear(computingText());
    m_validationTask->start(
        tr("Validation curve of %1").arg(QString::fromStdString(param)),
        [recipe, table, param, values](core::TaskControl& control) -> std::any {
            return std::make_shared<const workflow::ValidationCurve>(
                workflow::validationCurve(recipe, *table, param, values, control));
        },
        [this, result](const std::any& value) {
            if (result != m_session->result())
                return;
            showValidation(std::any_cast<std::shared_ptr<const workflow::ValidationCurve>>(value));
        });
    refreshButtons();
}

namespace {

std::vector<ScoreCurve> curvesOf(const std::vector<workflow::CurvePoint>& points)
{
    ScoreCurve train{QObject::tr("training rows"), kTrain, {}, {}};
    ScoreCurve validation{QObject::tr("validation folds"), kValidation, {}, {}};
    for (const workflow::CurvePoint& point : points) {
        train.mean.push_back(point.trainMean);
        train.std.push_back(point.trainStd);
        validation.mean.push_back(point.testMean);
        validation.std.push_back(point.testStd);
    }
    return {train, validation};
}

} // namespace

void LearningCurveView::showLearning(const std::shared_ptr<const workflow::LearningCurve>& curve)
{
    m_learning = curve;
    const core::TaskType task = m_session->resultRecipe().problem.task;
    std::vector<double> x;
    for (std::size_t size : curve->trainSizes)
        x.push_back(double(size));
    const QString metric = metricDisplayName(task, curve->metric);
    m_learningChart->setCurves(tr("Learning curve · %1 · %2").arg(metric, cvText(curve->strategy)),
                               tr("Training rows"), metric, x, curvesOf(curve->points));
}

void LearningCurveView::showValidation(const std::shared_ptr<const workflow::ValidationCurve>& curve)
{
    m_validation = curve;
    const core::TaskType task = m_session->resultRecipe().problem.task;
    QStringList labels;
    for (const std::string& value : curve->values)
        labels << QString::fromStdString(value);
    const QString metric = metricDisplayName(task, curve->metric);
    m_validationChart->setCurves(
        tr("Validation curve of %1 · %2 · %3").arg(QString::fromStdString(curve->param), metric, cvText(curve->strategy)),
        QString::fromStdString(curve->param), metric, labels, curvesOf(curve->points));
}

} // namespace stepwise::ui
