#pragma once
/// \file
/// \brief Step 5: choose the models and their hyper-parameters, set up cross-validation
/// and a search, train, watch them learn, and compare them.

#include <QHash>

#include <map>
#include <string>

#include "pages/wizard_step_page.hpp"
#include "stepwise/workflow/misconceptions.hpp"
#include "stepwise/workflow/recipe.hpp"
#include "tasks/training_update.hpp"

class QCheckBox;
class QComboBox;
class QGroupBox;
class QLabel;
class QListWidget;
class QPushButton;
class QSpinBox;
class QTableView;
class QTableWidget;
class QTabWidget;
class QWidget;

namespace stepwise::ui {

class ConfusionMatrixModel;
class HeatmapWidget;
class LeaderboardTable;
class ParamForm;
class SearchResultsTable;
class TaskProgressPanel;
class TrainingChart;
class TrainingProgressModel;

/// \brief Edits the training sections of the recipe — the kept model (`model`), the
/// models compared with it (`compareWith`), the cross-validation and the search — each
/// edit one command on the session's undo stack. Train runs the whole recipe in the
/// background (`Session::train`). While it runs: overall progress with elapsed and
/// remaining time, progress per model, the live curves (a series per model and metric)
/// and the live confusion matrix of one model, side by side. After it: the leaderboard
/// (with "Keep this model") and the search results. Cancel leaves everything as it was.
/// Complete when a result exists for the current recipe.
class TrainingPage : public WizardStepPage {
    Q_OBJECT
public:
    /// \brief Tabs of the results area.
    enum ResultTab { LiveTab, LeaderboardTab, SearchTab, FoldsTab };
    /// \brief Tabs of the set-up area.
    enum SetupTab { ParamsTab, ValidationTab, SearchSetupTab };

    explicit TrainingPage(Session* session, QWidget* parent = nullptr);
    QString incompleteReason() const override;
    void initializePage() override;

    /// \brief Every model that solves the task, checked when it trains; the kept one is
    /// marked. Item data (Qt::UserRole): the model name.
    QListWidget* modelList() const { return m_modelList; }
    /// \brief Makes the model selected in the list the kept one.
    QPushButton* keepButton() const { return m_keep; }
    /// \brief Selects `model` in the list (its form shows); false if it is not listed.
    bool selectModel(const std::string& model);
    /// \brief The model whose hyper-parameters the form shows.
    const std::string& selectedModel() const { return m_selected; }
    /// \brief The hyper-parameter form of the selected model.
    ParamForm* paramForm() const { return m_form; }
    /// \brief The set-up tabs (hyper-parameters, cross-validation, search).
    QTabWidget* setupTabs() const { return m_setupTabs; }
    /// \brief The results tabs (live, leaderboard, search results).
    QTabWidget* resultTabs() const { return m_resultTabs; }
    /// \brief The Train button.
    QPushButton* trainButton() const { return m_train; }
    /// \brief Opens the run history (the window connects it).
    QPushButton* historyButton() const { return m_history; }
    /// \brief The progress panel (status text, elapsed and remaining time, Cancel).
    TaskProgressPanel* progressPanel() const { return m_progress; }
    /// \brief The per-model progress.
    TrainingProgressModel* progressModel() const { return m_progressModel; }
    /// \brief The live curves.
    TrainingChart* chart() const { return m_chart; }
    /// \brief The live confusion matrix.
    HeatmapWidget* liveMatrix() const { return m_matrix; }
    /// \brief What the live confusion matrix shows.
    ConfusionMatrixModel* liveMatrixModel() const { return m_matrixModel; }
    /// \brief The source whose matrix is shown ("" when none).
    const QString& matrixSource() const { return m_matrixSource; }
    /// \brief The leaderboard of the last run (kept model marked).
    LeaderboardTable* leaderboard() const { return m_leaderboard; }
    /// \brief Makes the model selected in the leaderboard the kept one.
    QPushButton* keepEntryButton() const { return m_keepEntry; }
    /// \brief Every candidate of the last search.
    SearchResultsTable* searchResults() const { return m_searchResults; }
    /// \brief The values to try per parameter of the kept model (column 1 editable).
    QTableWidget* searchSpaceTable() const { return m_searchSpace; }

    /// \brief "Random forest", "k-nearest neighbours #3" for a snapshot's source.
    static QString sourceDisplayName(const QString& source);

private:
    void refresh();
    void refreshMisconceptions();
    void refreshModelList();
    void refreshForm();
    void refreshValidation();
    void refreshSearch();
    void refreshSearchCount(int candidates);
    void refreshTabTitles();
    void validateSetup();
    void refreshButtons();
    void onModelItemChanged(int row);
    void keepModel(const workflow::ModelChoice& choice, const QString& why);
    void writeParams();
    void writeValidation(const QString& mergeKey);
    void writeSearch(const QString& what, const QString& mergeKey);
    void suggestSearchValues();
    void onTrainingStarted();
    void onTrainingUpdate(const TrainingUpdate& update);
    void onTrainingFinished();
    void onResult();
    void showResultViews();
    void fillLeaderboard();
    void fillSearchResults();
    void rememberMatrix(const ConfusionUpdate& matrix);
    void showMatrix(const QString& source);

    /// The runs trained on this page, oldest first: the tuning-on-the-test-set detector's input.
    std::vector<workflow::TuningRun> m_tuningHistory;
    QListWidget* m_modelList;
    QPushButton* m_keep;
    QLabel* m_modelNote;
    QTabWidget* m_setupTabs;
    QLabel* m_paramsTitle;
    ParamForm* m_form;
    QLabel* m_formNote;
    QPushButton* m_reset;
    QGroupBox* m_cvGroup;
    QComboBox* m_cvStrategy;
    QSpinBox* m_cvFolds;
    QSpinBox* m_cvGap;
    QLabel* m_cvGapLabel;
    QLabel* m_cvNote;
    QGroupBox* m_searchGroup;
    QComboBox* m_searchKind;
    QSpinBox* m_searchIterations;
    QLabel* m_searchIterationsLabel;
    QComboBox* m_searchScoring;
    QTableWidget* m_searchSpace;
    QPushButton* m_suggest;
    QLabel* m_searchCount;

    QTabWidget* m_resultTabs;
    TrainingProgressModel* m_progressModel;
    QTableView* m_progressTable;
    TrainingChart* m_chart;
    QWidget* m_matrixBox;
    QLabel* m_matrixCaption;
    ConfusionMatrixModel* m_matrixModel;
    HeatmapWidget* m_matrix;
    QLabel* m_leaderboardNote;
    LeaderboardTable* m_leaderboard;
    QPushButton* m_keepEntry;
    QLabel* m_searchNote;
    SearchResultsTable* m_searchResults;

    QPushButton* m_train;
    QPushButton* m_history = nullptr;
    TaskProgressPanel* m_progress;

    std::string m_selected;   // the model the form edits
    std::string m_formModel;  // the model the form was built for
    QString m_runKept;        // the kept model of the run under way: unlabelled snapshots are its
    /// Parameters of models unticked in this session, restored when ticked again.
    std::map<std::string, std::map<std::string, std::string>> m_remembered;
    /// The most honest latest matrix per source, and the source shown (followed while
    /// `m_matrixFollows`: the run that reported last).
    QHash<QString, ConfusionUpdate> m_matrices;
    QString m_matrixSource;
    bool m_matrixFollows = true;
    bool m_setupValid = true;
    bool m_selectedTrained = true;  // the selected model trains (kept or ticked)
};

} // namespace stepwise::ui
