#pragma once
/// \file
/// \brief Step 5: choose the model and its hyper-parameters, train, and watch it learn.

#include "pages/wizard_step_page.hpp"

class QComboBox;
class QLabel;
class QPushButton;
class QWidget;

namespace stepwise::ui {

class ConfusionMatrixModel;
class HeatmapWidget;
class ParamForm;
class TaskProgressPanel;
class TrainingChart;
struct TrainingUpdate;

/// \brief Edits `recipe.model`. Train runs the whole recipe in the background
/// (`Session::train`); the live curve and the live confusion matrix update from the
/// model's snapshots, each labelled with the rows it was measured on. Cancel leaves
/// everything as it was. Complete when a result exists for the current recipe.
class TrainingPage : public WizardStepPage {
    Q_OBJECT
public:
    explicit TrainingPage(Session* session, QWidget* parent = nullptr);
    QString incompleteReason() const override;
    void initializePage() override;

    /// \brief The Train button.
    QPushButton* trainButton() const { return m_train; }
    /// \brief The progress panel (status text, Cancel).
    TaskProgressPanel* progressPanel() const { return m_progress; }
    /// \brief The live curve.
    TrainingChart* chart() const { return m_chart; }
    /// \brief The live confusion matrix.
    HeatmapWidget* liveMatrix() const { return m_matrix; }
    /// \brief What the live confusion matrix shows.
    ConfusionMatrixModel* liveMatrixModel() const { return m_matrixModel; }

private:
    void refreshModels();
    void rebuildForm();
    void validateParams();
    void refreshButtons();
    void onTrainingUpdate(const TrainingUpdate& update);
    void onResult();
    void showResultViews();

    QComboBox* m_model;
    QLabel* m_modelNote;
    ParamForm* m_form;
    QPushButton* m_reset;
    TrainingChart* m_chart;
    QWidget* m_matrixBox;
    QLabel* m_matrixCaption;
    ConfusionMatrixModel* m_matrixModel;
    HeatmapWidget* m_matrix;
    QPushButton* m_train;
    TaskProgressPanel* m_progress;
    std::string m_formModel;
    bool m_paramsValid = true;
};

} // namespace stepwise::ui
