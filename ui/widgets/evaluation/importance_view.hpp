#pragma once
/// \file
/// \brief The Evaluation page's importance tab: which input columns the kept model
/// relies on, measured by shuffling them, beside the model's own importances.

#include <QWidget>

#include <memory>
#include <string>

#include "stepwise/workflow/model_analysis.hpp"

class QLabel;
class QPushButton;
class QSpinBox;

namespace stepwise::workflow {
struct RunResult;
}

namespace stepwise::ui {

class BackgroundTask;
class IntervalBarChart;
class Session;
class TaskProgressPanel;

/// \brief What the model reports about its own features.
enum class OwnImportanceKind {
    Impurity,      ///< trees and forests: mean decrease in impurity
    Gain,          ///< gradient boosting: share of the loss reduction
    Coefficients,  ///< linear models: absolute coefficients
    None           ///< kNN, naive Bayes (and linear regression): nothing of its own
};

/// \brief What `models::Model::featureImportances` means for the model registered as `model`.
OwnImportanceKind ownImportanceKind(const std::string& model);

/// \brief Permutation importance (`workflow::permutationImportance`) of the kept
/// pipeline on the result's test rows of the session's table: horizontal bars sorted by
/// the mean drop of the success metric (or accuracy / R²), whiskers at ± one standard
/// deviation over the repeats, the metric named on the axis; the repeats are set in a
/// spin box (default 5), the seed is the recipe's. Beside it, the model's own view over
/// the pipeline's features: impurity importance for trees and forests, split gain for
/// boosting, absolute coefficients for linear models, or a sentence saying the model has
/// none. Shuffling runs on the view's own `BackgroundTask`, restarted for each new result
/// or repeat count.
class ImportanceView : public QWidget {
    Q_OBJECT
public:
    /// \brief Most bars drawn in either chart; the rest are named in the title.
    static constexpr int kMaxBars = 25;

    explicit ImportanceView(Session* session, QWidget* parent = nullptr);

    /// \brief The permutation importance chart.
    IntervalBarChart* permutationChart() const { return m_permutation; }
    /// \brief The model's own importance chart.
    IntervalBarChart* ownChart() const { return m_own; }
    /// \brief Repeats per column.
    QSpinBox* repeatsSpin() const { return m_repeats; }
    /// \brief Shuffles again (after a cancel or a failure).
    QPushButton* recomputeButton() const { return m_recompute; }
    /// \brief The last permutation importance shown (null while none is).
    std::shared_ptr<const workflow::PermutationImportance> importance() const { return m_importance; }
    /// \brief What the model's own chart is (or why it is empty).
    QString ownCaption() const;
    /// \brief The metric whose drop is measured, as the engine spells it.
    const std::string& metric() const { return m_metric; }
    /// \brief The background slot permutation importance runs on.
    BackgroundTask* task() const { return m_task; }

private:
    void refresh();
    void computePermutation();
    void showPermutation(const std::shared_ptr<const workflow::PermutationImportance>& importance);
    void showOwn(const workflow::RunResult& result);

    Session* m_session;
    BackgroundTask* m_task;
    QSpinBox* m_repeats;
    QPushButton* m_recompute;
    QLabel* m_permutationNote;
    IntervalBarChart* m_permutation;
    QLabel* m_ownNote;
    IntervalBarChart* m_own;
    TaskProgressPanel* m_progress;
    std::shared_ptr<const workflow::PermutationImportance> m_importance;
    std::string m_metric;
    bool m_restarting = false;  // a new run replaces the one under way
};

} // namespace stepwise::ui
