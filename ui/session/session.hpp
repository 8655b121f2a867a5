#pragma once
/// \file
/// \brief The shared state of one workbench session: the recipe every page edits, the
/// loaded data with its profile, and the last run's result.

#include <QObject>
#include <QString>

#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "stepwise/data/column.hpp"
#include "stepwise/data/correlation.hpp"
#include "stepwise/data/distribution.hpp"
#include "stepwise/data/profile.hpp"
#include "stepwise/data/table.hpp"
#include "stepwise/evaluation/success.hpp"
#include "stepwise/workflow/recipe.hpp"
#include "stepwise/workflow/runner.hpp"
#include "tasks/background_task.hpp"

class QUndoStack;

namespace stepwise::ui {

/// \brief One workbench: the `workflow::Recipe` (edited section by section by the
/// pages), the data it runs on, and what running it produced. Engine work (loading,
/// profiling, training, saving) runs on `BackgroundTask`s owned here; only immutable
/// `shared_ptr<const …>` values cross to the workers.
class Session : public QObject {
    Q_OBJECT
public:
    explicit Session(QObject* parent = nullptr);
    ~Session() override;

    // --- the recipe ---------------------------------------------------------------
    /// \brief The current recipe.
    const workflow::Recipe& recipe() const { return m_recipe; }
    /// \brief Replaces the problem section (task, objective, target, success).
    void setProblem(const workflow::ProblemStatement& problem);
    /// \brief Sets the task type. Compared models that cannot solve it leave the
    /// comparison; a kept model that cannot is replaced (by the first compared one, else
    /// the first registry model that can) and its search dropped; stratified folds
    /// become plain k-fold for a regression.
    void setTask(core::TaskType task);
    /// \brief Sets the objective in the user's words.
    void setObjective(const QString& objective);
    /// \brief Sets the target column (shared by the Problem and Data pages); re-profiles
    /// the loaded data for leaks against the new target.
    void setTarget(const QString& target);
    /// \brief Sets or clears the success criterion.
    void setSuccess(const std::optional<evaluation::SuccessCriterion>& success);
    /// \brief Sets or clears the latency budget (`problem.maxLatencyMs`, milliseconds per
    /// row, > 0); like the success criterion it judges a result and does not make it stale.
    void setMaxLatency(std::optional<double> milliseconds);
    /// \brief Sets the interpretability constraint; like the latency budget it judges a
    /// result (the kept model fits it or not) and does not make it stale.
    void setInterpretability(workflow::Interpretability interpretability);
    /// \brief Sets the retraining cadence constraint; it does not make the result stale.
    void setRetraining(workflow::RetrainingCadence cadence);
    /// \brief Replaces the prep section (split, prep steps, dropped columns) as one
    /// undoable edit.
    void setPrep(const workflow::PrepSpec& prep);
    /// \brief Replaces the feature section (the feature steps) as one undoable edit.
    void setFeatures(const workflow::FeatureSpec& features);
    /// \brief Makes `model` the kept model (name and hyper-parameters as typed), as one
    /// undoable edit; it leaves `compareWith` if it was there.
    void setModel(const workflow::ModelChoice& model);
    /// \brief Makes `choice` (typically a compared model) the kept one, as one undoable
    /// edit: it leaves `compareWith`, the model kept until now joins it first, and a
    /// search keeps only the parameters the new model has. Does nothing when `choice` is
    /// already the kept model with the same hyper-parameters.
    void keepModel(const workflow::ModelChoice& choice);
    /// \brief Makes entry `index` of the current result's leaderboard the kept model
    /// (`keepModel`, as one undoable edit that also drops a search: the entry was
    /// trained without one) and trains again on the same rows, steps and folds, so the
    /// next result — what Evaluation shows and Export saves — is that entry's pipeline.
    /// Returns false and changes nothing when the result is not current, the index is
    /// out of range, the entry is already kept, or a model is training.
    bool useLeaderboardEntry(std::size_t index);
    /// \brief Sets the seed used for the split and the model (undoable).
    void setSeed(std::uint64_t seed);
    /// \brief Uses a column as a feature or not (edits `prep.dropColumns`, undoable); the
    /// choice is remembered so profile defaults never override it.
    void setFeatureUsed(const std::string& column, bool used);
    /// \brief Uses `columns` as features or not, as one undoable edit.
    void setFeaturesUsed(const std::vector<std::string>& columns, bool used);
    /// \brief Makes the prep section, the feature section, the seed and the training
    /// sections (kept model, compared models, search, cross-validation) those of `after`,
    /// as one command on `undoStack()` named `text` ("Add step “Scale numbers”"). Edits
    /// with the same non-empty `mergeKey` in a row (typing in one field) become one
    /// command. Does nothing when those sections do not change.
    void editRecipe(const workflow::Recipe& after, const QString& text, const QString& mergeKey = {});
    /// \brief The history of the recipe edits made on the Prep, Features and Training
    /// pages. Each command holds the whole recipe before and after; undo and redo
    /// restore the sections those pages edit (prep, features, seed, model, compareWith,
    /// search, crossValidation), leaving what other pages changed since. Cleared when new
    /// data is loaded: the edits name columns of the old table.
    QUndoStack* undoStack() const { return m_undo; }
    /// \brief True when `column` is an input feature (not the target, not dropped).
    bool isFeatureUsed(const std::string& column) const;

    // --- the data -----------------------------------------------------------------
    /// \brief Sets the recipe's data source and loads it in the background. A builtin
    /// or generated source also sets its suggested target and task when the current
    /// target is empty or not one of its columns.
    void loadData(const data::DataSource& source);
    /// \brief The loaded table (null until a load succeeded).
    std::shared_ptr<const data::Table> table() const { return m_table; }
    /// \brief Profile of the loaded table against the current target.
    std::shared_ptr<const data::DataProfile> profile() const { return m_profile; }
    /// \brief Correlations of the loaded table's numeric columns.
    std::shared_ptr<const data::CorrelationMatrix> correlation() const { return m_correlation; }
    /// \brief The plotted distribution of each column of the loaded table, in table order.
    std::shared_ptr<const std::vector<data::ColumnDistribution>> distributions() const { return m_distributions; }
    /// \brief Converts a column of the loaded table to `kind` in the background and
    /// records the choice in `recipe.data.read.columnKinds`, so re-loading the recipe
    /// gives the same table. A value that does not convert leaves everything as it was
    /// and emits `columnKindFailed`.
    void setColumnKind(const std::string& column, data::ColumnKind kind);
    /// \brief Class labels of the target (classification), in model order.
    const std::vector<std::string>& classLabels() const { return m_classLabels; }
    /// \brief Rows per class of the target, in the order of `classLabels`.
    const std::vector<std::size_t>& classCounts() const { return m_classCounts; }
    /// \brief Which source the loaded table came from.
    const data::DataSource& loadedSource() const { return m_loadedSource; }
    /// \brief Seconds the last load took.
    double loadSeconds() const { return m_loadSeconds; }
    /// \brief True while data loads.
    bool isLoading() const { return m_dataTask->isRunning(); }
    /// \brief Why the last load failed (empty after a success).
    const QString& dataError() const { return m_dataError; }
    /// \brief The source of the last load when it failed (so it can be tried again with
    /// other read options); empty once another load starts.
    const std::optional<data::DataSource>& failedSource() const { return m_failedSource; }
    /// \brief Number of rows with a missing value in a used feature column.
    std::size_t rowsWithMissingFeatures() const;

    // --- training and results -----------------------------------------------------
    /// \brief Trains the recipe on the loaded data in the background.
    void train();
    /// \brief Asks a running training to stop.
    void cancelTraining();
    /// \brief True while a model trains.
    bool isTraining() const { return m_trainingTask->isRunning(); }
    /// \brief The last result (may be stale; see `hasCurrentResult`).
    std::shared_ptr<const workflow::RunResult> result() const { return m_result; }
    /// \brief The recipe the last result was produced with.
    const workflow::Recipe& resultRecipe() const { return m_resultRecipe; }
    /// \brief True when the last result was produced by the current recipe (objective
    /// and success criterion do not count: they do not change what is trained; the
    /// compared models, the search and the cross-validation do).
    bool hasCurrentResult() const;
    /// \brief The current success criterion judged on the last result; nullopt without
    /// a criterion or a result.
    std::optional<evaluation::SuccessVerdict> verdict() const;
    /// \brief The current latency budget judged on the last result's measured 99th
    /// percentile; nullopt without a budget, a result or a measurement.
    std::optional<evaluation::LatencyVerdict> latencyVerdict() const;

    // --- the model file -----------------------------------------------------------
    /// \brief What the saved model file is, read back from the disk after writing it.
    struct SavedModelInfo {
        qint64 fileBytes = 0;
        unsigned formatVersion = 0;
        bool encrypted = false;
        QString fileSha256;     ///< of the whole file, as `sha256sum` prints it
        QString payloadSha256;  ///< the digest the file's header carries
    };
    /// \brief Saves the last result's fitted pipeline to `path` in the background,
    /// encrypted when `passphrase` is set and not empty; then reads the file's header and
    /// digest back (`savedModelInfo`).
    void saveModel(const QString& path, const std::optional<std::string>& passphrase = std::nullopt);
    /// \brief Where the current result was saved (empty if it was not).
    const QString& savedModelPath() const { return m_savedModelPath; }
    /// \brief The saved file's size, format and digests (empty until saved).
    const SavedModelInfo& savedModelInfo() const { return m_savedModelInfo; }

    /// \brief Background slots, for progress displays.
    BackgroundTask* dataTask() const { return m_dataTask; }
    BackgroundTask* profileTask() const { return m_profileTask; }
    BackgroundTask* conversionTask() const { return m_conversionTask; }
    BackgroundTask* trainingTask() const { return m_trainingTask; }
    BackgroundTask* exportTask() const { return m_exportTask; }
    /// \brief All background slots.
    QList<BackgroundTask*> tasks() const
    {
        return {m_dataTask, m_profileTask, m_conversionTask, m_trainingTask, m_exportTask};
    }

signals:
    /// \brief The loaded table changed (also emitted when a load starts and clears it).
    void dataChanged();
    /// \brief The profile (flags, class labels) was recomputed.
    void profileChanged();
    /// \brief Any part of the recipe changed.
    void recipeChanged();
    /// \brief A new result arrived.
    void resultChanged();
    /// \brief The model was saved (or the saved path was reset by a new result).
    void savedModelChanged();
    /// \brief Loading data failed; the message says why and what to do.
    void dataLoadFailed(const QString& message);
    /// \brief Changing a column's kind failed (a value does not convert); the table and
    /// the recipe are unchanged.
    void columnKindFailed(const QString& message);
    /// \brief Training failed; the message says why and what to do.
    void trainingFailed(const QString& message);
    /// \brief Training was cancelled; nothing changed.
    void trainingCancelled();
    /// \brief Saving the model failed.
    void modelSaveFailed(const QString& message);

private:
    void changed();
    void applyEditedSections(const workflow::Recipe& recipe);
    void reprofile();
    void applyProfileDefaults();
    std::string resultKey(const workflow::Recipe& recipe) const;

    workflow::Recipe m_recipe;
    std::shared_ptr<const data::Table> m_table;
    std::shared_ptr<const data::DataProfile> m_profile;
    std::shared_ptr<const data::CorrelationMatrix> m_correlation;
    std::shared_ptr<const std::vector<data::ColumnDistribution>> m_distributions;
    std::vector<std::string> m_classLabels;
    std::vector<std::size_t> m_classCounts;
    data::DataSource m_loadedSource;
    double m_loadSeconds = 0.0;
    QString m_dataError;
    data::DataSource m_requestedSource;
    std::optional<data::DataSource> m_failedSource;
    std::set<std::string> m_featureDecisions;  // columns whose use the user chose
    std::set<std::string> m_autoDropped;       // columns dropped only because of a profile flag

    std::shared_ptr<const workflow::RunResult> m_result;
    workflow::Recipe m_resultRecipe;
    std::string m_resultKey;
    QString m_savedModelPath;
    SavedModelInfo m_savedModelInfo;

    BackgroundTask* m_dataTask;
    BackgroundTask* m_profileTask;
    BackgroundTask* m_conversionTask;
    BackgroundTask* m_trainingTask;
    BackgroundTask* m_exportTask;
    QUndoStack* m_undo;
};

} // namespace stepwise::ui
