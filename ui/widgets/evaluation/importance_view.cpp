#include "widgets/evaluation/importance_view.hpp"

#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

#include <algorithm>
#include <numeric>
#include <utility>

#include "pages/wizard_step_page.hpp"
#include "session/session.hpp"
#include "stepwise/evaluation/success.hpp"
#include "stepwise/models/registry.hpp"
#include "stepwise/workflow/runner.hpp"
#include "tasks/background_task.hpp"
#include "widgets/charts/interval_bar_chart.hpp"
#include "widgets/score_text.hpp"
#include "widgets/task_progress_panel.hpp"

namespace stepwise::ui {
namespace {

/// "once" / "5 times": `one` for a count of 1, else `many` with the count.
QString repeatsText(int count, const QString& one, const QString& many)
{
    return count == 1 ? one : many.arg(count);
}

const QColor kHelps(0x25, 0x63, 0xeb);
const QColor kNoHelp(0x9c, 0xa3, 0xaf);
const QColor kOwn(0x00, 0x9e, 0x73);

QString modelName(const std::string& model)
{
    for (const auto& info : models::modelRegistry())
        if (info.name == model)
            return QString::fromStdString(info.displayName);
    return QString::fromStdString(model);
}

bool higherIsBetter(core::TaskType task, const std::string& metric)
{
    for (const auto& info : evaluation::metricsFor(task))
        if (info.name == metric)
            return info.higherIsBetter;
    return true;
}

QString valueText(double value) { return QLocale().toString(value, 'g', 3); }

QString computingText() { return QObject::tr("Shuffling each column… the progress and Cancel are below."); }

} // namespace

OwnImportanceKind ownImportanceKind(const std::string& model)
{
    if (model == "decision_tree" || model == "random_forest")
        return OwnImportanceKind::Impurity;
    if (model == "gradient_boosting")
        return OwnImportanceKind::Gain;
    if (model == "logistic_regression" || model == "ridge" || model == "lasso" || model == "linear_svm" ||
        model == "linear_regression")
        return OwnImportanceKind::Coefficients;
    return OwnImportanceKind::None;
}

ImportanceView::ImportanceView(Session* session, QWidget* parent)
    : QWidget(parent),
      m_session(session),
      m_task(new BackgroundTask(tr("Permutation importance"), this)),
      m_repeats(new QSpinBox(this)),
      m_recompute(new QPushButton(tr("Compute again"), this)),
      m_permutationNote(makeNote({}, this)),
      m_permutation(new IntervalBarChart(this)),
      m_ownNote(makeNote({}, this)),
      m_own(new IntervalBarChart(this)),
      m_progress(new TaskProgressPanel(TaskProgressPanel::Form::Full, this))
{
    setObjectName(QStringLiteral("importanceView"));
    m_repeats->setObjectName(QStringLiteral("importanceRepeats"));
    m_permutation->setObjectName(QStringLiteral("permutationChart"));
    m_own->setObjectName(QStringLiteral("ownImportanceChart"));
    m_ownNote->setObjectName(QStringLiteral("ownImportanceNote"));
    m_repeats->setRange(1, 100);
    m_repeats->setValue(5);
    m_repeats->setKeyboardTracking(false);
    m_recompute->setObjectName(QStringLiteral("recomputeImportance"));
    m_recompute->setEnabled(false);
    m_recompute->setToolTip(tr("Shuffle again with the same repeats and seed (the same numbers: it is repeatable)."));
    m_repeats->setToolTip(tr("How many times each column is shuffled. More repeats give steadier means and "
                             "honest error bars, and take proportionally longer."));
    m_progress->setTask(m_task);
    m_progress->setHiddenWhenIdle(true);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    auto* columns = new QHBoxLayout;
    auto* left = new QVBoxLayout;
    left->addWidget(makeSectionTitle(tr("Permutation importance on the test rows"), this));
    auto* controls = new QHBoxLayout;
    auto* repeatsLabel = new QLabel(tr("&Repeats per column:"), this);
    repeatsLabel->setBuddy(m_repeats);
    controls->addWidget(repeatsLabel);
    controls->addWidget(m_repeats);
    controls->addWidget(m_recompute);
    controls->addStretch(1);
    left->addLayout(controls);
    left->addWidget(m_permutationNote);
    left->addWidget(m_permutation, 1);
    auto* right = new QVBoxLayout;
    right->addWidget(makeSectionTitle(tr("The model's own view"), this));
    right->addWidget(m_ownNote);
    right->addWidget(m_own, 1);
    columns->addLayout(left, 3);
    columns->addSpacing(8);
    columns->addLayout(right, 2);
    layout->addLayout(columns, 1);
    layout->addWidget(m_progress);

    connect(m_repeats, &QSpinBox::valueChanged, this, &ImportanceView::computePermutation);
    connect(m_recompute, &QPushButton::clicked, this, &ImportanceView::computePermutation);
    connect(m_task, &BackgroundTask::started, this, [this] { m_recompute->setEnabled(false); });
    connect(m_task, &BackgroundTask::finished, this, [this] {
        m_recompute->setEnabled(m_session->result() != nullptr);
        if (std::exchange(m_restarting, false) || m_permutation->placeholderText() != computingText() ||
            !m_permutation->bars().empty())
            return;
        if (m_task->state() == BackgroundTask::State::Cancelled)
            m_permutation->clear(tr("Cancelled — nothing was kept. Press Compute again to start over."));
        else if (m_task->state() == BackgroundTask::State::Failed)
            m_permutation->clear(tr("Permutation importance could not be computed: %1").arg(m_task->errorMessage()));
    });
    connect(session, &Session::resultChanged, this, &ImportanceView::refresh);
    refresh();
}

QString ImportanceView::ownCaption() const { return m_ownNote->text(); }

void ImportanceView::refresh()
{
    const auto result = m_session->result();
    if (!result || !result->pipeline) {
        const QString why = tr("Feature importance appears once a model is trained — train one on the Training step.");
        m_ownNote->clear();
        m_own->clear(why);
    } else {
        showOwn(*result);
    }
    computePermutation();
}

void ImportanceView::computePermutation()
{
    m_importance.reset();
    const auto result = m_session->result();
    const auto table = m_session->table();
    QString why;
    if (!result || !result->pipeline)
        why = tr("Permutation importance appears once a model is trained — train one on the Training step.");
    else if (result->separateTestData)
        why = tr("The test rows came from a separate file that is not loaded here, so they cannot be shuffled.");
    else if (!table || result->testRows.empty())
        why = tr("There are no test rows to shuffle — load the data and train again.");
    else if (std::any_of(result->testRows.begin(), result->testRows.end(),
                         [&](std::size_t row) { return row >= table->rowCount(); }))
        why = tr("The loaded data is not the data this model was tested on — train again.");
    if (!why.isEmpty()) {
        m_task->cancel();
        m_recompute->setEnabled(false);
        m_permutationNote->setText(why);
        m_permutation->clear(why);
        return;
    }
    const workflow::Recipe& recipe = m_session->resultRecipe();
    const core::TaskType task = result->pipeline->task();
    m_metric = recipe.problem.success ? recipe.problem.success->metric
                                      : (task == core::TaskType::Classification ? "accuracy" : "r2");
    const int repeats = m_repeats->value();
    const std::uint64_t seed = recipe.seed;
    const std::string metric = m_metric;
    m_permutationNote->setText(tr("Each input column is shuffled %1 on the test rows (seed %2) and the "
                                  "whole pipeline re-scored; the bar is how much %3 gets worse. Near zero or "
                                  "below: the model does not rely on it.")
                                   .arg(repeatsText(repeats, tr("once"), tr("%1 times")))
                                   .arg(seed)
                                   .arg(metricDisplayName(task, metric)));
    m_permutation->clear(computingText());
    // The run under way stops quietly; only this one reports how it ended.
    m_restarting = m_task->isRunning();
    m_task->start(
        tr("Permutation importance (%1)").arg(repeatsText(repeats, tr("1 repeat"), tr("%1 repeats"))),
        [result, table, metric, repeats, seed](core::TaskControl& control) -> std::any {
            return std::make_shared<const workflow::PermutationImportance>(workflow::permutationImportance(
                *result->pipeline, *table, result->testRows, metric, repeats, seed, control));
        },
        [this, result](const std::any& value) {
            if (result != m_session->result())
                return;
            showPermutation(std::any_cast<std::shared_ptr<const workflow::PermutationImportance>>(value));
        });
}

void ImportanceView::showPermutation(const std::shared_ptr<const workflow::PermutationImportance>& importance)
{
    m_importance = importance;
    const core::TaskType task = m_session->result()->pipeline->task();
    std::vector<std::size_t> order(importance->columns.size());
    std::iota(order.begin(), order.end(), std::size_t(0));
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) { return importance->mean[a] > importance->mean[b]; });
    std::vector<IntervalBar> bars;
    std::vector<QColor> colors;
    for (std::size_t k = 0; k < order.size() && int(k) < kMaxBars; ++k) {
        const std::size_t c = order[k];
        IntervalBar bar;
        bar.label = QString::fromStdString(importance->columns[c]);
        bar.value = importance->mean[c];
        bar.spread = importance->std[c];
        QStringList each;
        for (double drop : importance->drops[c])
            each << valueText(drop);
        bar.tooltip = tr("%1: %2 ± %3 over %4 (%5)")
                          .arg(bar.label, valueText(bar.value), valueText(bar.spread),
                               repeatsText(int(importance->drops[c].size()), tr("1 repeat"), tr("%1 repeats")),
                               each.join(QStringLiteral(", ")));
        bars.push_back(bar);
        colors.push_back(bar.value > 0.0 ? kHelps : kNoHelp);
    }
    const QString metricName = metricDisplayName(task, importance->metric);
    const QString axis = higherIsBetter(task, importance->metric)
                             ? tr("Drop in %1 when the column is shuffled (mean ± std)").arg(metricName)
                             : tr("Rise in %1 when the column is shuffled (mean ± std)").arg(metricName);
    QString title = tr("Permutation importance · %1 %2 with nothing shuffled").arg(metricName, scoreText(importance->baseline));
    if (int(order.size()) > kMaxBars)
        title += tr(" · top %1 of %2 columns").arg(kMaxBars).arg(order.size());
    m_permutation->setBars(title, axis, bars, kHelps, colors);
}

void ImportanceView::showOwn(const workflow::RunResult& result)
{
    const std::string& model = m_session->resultRecipe().model.name;
    const QString name = modelName(model);
    const Eigen::VectorXd values = result.pipeline->model().featureImportances();
    const auto& features = result.pipeline->featureNames();
    const OwnImportanceKind kind = ownImportanceKind(model);
    if (kind == OwnImportanceKind::None || values.size() == 0 || std::size_t(values.size()) != features.size()) {
        const QString none =
            tr("%1 has no importance of its own: it keeps no per-feature weights. The permutation importance on the "
               "left works for every model.")
                .arg(name);
        m_ownNote->setText(tr("This model has none."));
        m_own->clear(none);
        return;
    }
    QString axis;
    QString what;
    QString chartTitle;
    switch (kind) {
    case OwnImportanceKind::Impurity:
        chartTitle = tr("Impurity importance of the %1").arg(name.toLower());
        axis = tr("Mean decrease in impurity (sums to 1)");
        what = tr("Impurity importance: how much the splits on each feature purified the nodes, on the training "
                  "rows. It favours features with many distinct values; the permutation importance does not.");
        break;
    case OwnImportanceKind::Gain:
        chartTitle = tr("Split-gain importance of the %1").arg(name.toLower());
        axis = tr("Share of the loss reduction (sums to 1)");
        what = tr("Split gain: each feature's share of the loss reduction of all splits on it, on the training rows.");
        break;
    case OwnImportanceKind::Coefficients:
        chartTitle = tr("Coefficients of the %1").arg(name.toLower());
        axis = tr("|coefficient| (summed over classes)");
        what = tr("Absolute coefficients: comparable between features only when they share a scale — add a "
                  "scaler on the Features step if they do not.");
        break;
    case OwnImportanceKind::None:
        break;
    }
    std::vector<std::size_t> order(features.size());
    std::iota(order.begin(), order.end(), std::size_t(0));
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        return values[Eigen::Index(a)] > values[Eigen::Index(b)];
    });
    std::vector<IntervalBar> bars;
    for (std::size_t k = 0; k < order.size() && int(k) < kMaxBars; ++k) {
        IntervalBar bar;
        bar.label = QString::fromStdString(features[order[k]]);
        bar.value = values[Eigen::Index(order[k])];
        bars.push_back(bar);
    }
    if (int(order.size()) > kMaxBars)
        chartTitle += tr(" · top %1 of %2 features").arg(kMaxBars).arg(order.size());
    m_ownNote->setText(what);
    m_own->setBars(chartTitle, axis, bars, kOwn);
}

} // namespace stepwise::ui
