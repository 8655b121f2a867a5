#pragma once
/// \file
/// \brief The Evaluation page's learning tab: would more data help (learning curve), and
/// how one hyper-parameter moves the score (validation curve).

#include <QStringList>
#include <QWidget>

#include <memory>
#include <string>

#include "stepwise/core/params.hpp"
#include "stepwise/workflow/model_analysis.hpp"
#include "stepwise/workflow/recipe.hpp"

class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;

namespace stepwise::workflow {
struct RunResult;
}

namespace stepwise::ui {

class BackgroundTask;
class ScoreCurveChart;
class Session;
class TaskProgressPanel;

/// \brief Values worth trying for a numeric hyper-parameter in a validation curve: a
/// spread around its default on the scale it acts on (decades for C and alpha, doublings
/// for depths and counts), within its allowed range, as text.
QStringList suggestedValues(const core::ParamSpec& spec);

/// \brief The recipe of the kept model alone: the result's recipe with the searched
/// parameters (when there was a search) written in, and no comparison or search left.
workflow::Recipe keptModelRecipe(const workflow::Recipe& recipe, const workflow::RunResult& result);

/// \brief Number of folds the curves are cross-validated on (the recipe's, else 5).
int curveFoldCount(const workflow::Recipe& recipe, std::size_t trainRows);

/// \brief A learning curve (`workflow::learningCurve`: training and validation score as
/// the training rows grow) and a validation curve (`workflow::validationCurve` of one
/// numeric hyper-parameter of the kept model, chosen in a combo from the model's
/// parameter table, its values prefilled with a sensible range). Both are expensive and
/// start on their "Compute" buttons, which say how many fits they run; each runs on its
/// own `BackgroundTask` with progress and Cancel, and a new result cancels them and
/// clears the charts. Train and validation are mean lines with ± one standard deviation
/// bands; one line explains how to read them.
class LearningCurveView : public QWidget {
    Q_OBJECT
public:
    /// \brief The training-set fractions of the learning curve (scikit-learn's default).
    static const std::vector<double>& fractions();

    explicit LearningCurveView(Session* session, QWidget* parent = nullptr);

    /// \brief Starts the learning curve (what the button does).
    void computeLearningCurve();
    /// \brief Starts the validation curve of the chosen parameter over the typed values.
    void computeValidationCurve();

    QPushButton* learningButton() const { return m_learnButton; }
    QPushButton* validationButton() const { return m_validateButton; }
    QComboBox* paramCombo() const { return m_param; }
    QLineEdit* valuesEdit() const { return m_values; }
    ScoreCurveChart* learningChart() const { return m_learningChart; }
    ScoreCurveChart* validationChart() const { return m_validationChart; }
    BackgroundTask* learningTask() const { return m_learningTask; }
    BackgroundTask* validationTask() const { return m_validationTask; }
    TaskProgressPanel* learningProgress() const { return m_learningProgress; }
    TaskProgressPanel* validationProgress() const { return m_validationProgress; }
    /// \brief The last curves computed (null before or after a new result).
    std::shared_ptr<const workflow::LearningCurve> learningCurve() const { return m_learning; }
    std::shared_ptr<const workflow::ValidationCurve> validationCurve() const { return m_validation; }
    /// \brief The values typed, split at commas and spaces.
    std::vector<std::string> typedValues() const;

private:
    void refresh();
    void refreshButtons();
    void fillParams();
    void showLearning(const std::shared_ptr<const workflow::LearningCurve>& curve);
    void showValidation(const std::shared_ptr<const workflow::ValidationCurve>& curve);

    Session* m_session;
    BackgroundTask* m_learningTask;
    BackgroundTask* m_validationTask;
    QPushButton* m_learnButton;
    QLabel* m_learnNote;
    ScoreCurveChart* m_learningChart;
    TaskProgressPanel* m_learningProgress;
    QComboBox* m_param;
    QLineEdit* m_values;
    QPushButton* m_validateButton;
    QLabel* m_validateNote;
    ScoreCurveChart* m_validationChart;
    TaskProgressPanel* m_validationProgress;
    std::shared_ptr<const workflow::LearningCurve> m_learning;
    std::shared_ptr<const workflow::ValidationCurve> m_validation;
    std::string m_paramModel;  // the model whose parameters the combo lists
};

} // namespace stepwise::ui
