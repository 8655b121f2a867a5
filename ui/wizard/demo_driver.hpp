#pragma once
/// \file
/// \brief `stepwise --demo`: walks the whole wizard on the Titanic data with the real
/// controls, trains, saves the model and a screenshot of every step.

#include <QDir>
#include <QObject>
#include <QString>

#include <functional>

#include <string>

class QWidget;

namespace stepwise::ui {

class BackgroundTask;
class MainWizard;
class PipelineEditor;
class StagePipeline;

/// \brief Drives a `MainWizard` through all seven steps: each action goes through the
/// page's own widgets (combo boxes, check boxes, buttons), waits for the session's
/// signals (data loaded, result ready, model saved) instead of sleeping, and grabs the
/// window into `DIR/NN-step.png` (the Data step also into `02b-data-distribution.png`
/// and `02c-data-correlations.png`; the Prep and Features steps, once their preview is
/// current, also with the Distribution tab into `03b-…` and `04b-…`). On Prep it sets a
/// 20 % test and 10 % validation split and fills numbers with the median; on Features it
/// sets standard scaling and one-hot encoding through the steps' forms. On Training it
/// keeps a 1000-tree random forest and ticks up to two other models (logistic
/// regression, gradient boosting, …), trains them — grabbing `05a-training-live.png`
/// once the forest is half grown, with the live curve and confusion matrix in — and
/// saves the leaderboard as `05-training.png`; then it turns on 5-fold cross-validation
/// and a grid search over the forest's max_depth × min_samples_leaf (200 trees each),
/// trains again, and saves the search results (`05b-training-search.png`), the
/// cross-validated leaderboard (`05c-training-cv.png`) and the fold scores of both
/// models on the Live tab (`05d-training-folds.png`). On Evaluation it lists the missed
/// survivors under the matrix (`06-evaluation.png`), moves the threshold to the best F1
/// (`06b-evaluation-threshold.png`) and shows the curves of every trained model
/// (`06c-evaluation-curves.png`). On Export it saves the model (`DIR/demo.stepwise`),
/// writes the ONNX file, the Python script and the model card into
/// `stepwise-demo-export` in the temporary folder (never the screenshot folder), starts
/// the prediction server and grabs the page with it running and its curl line
/// (`07-export.png`), then scores a CSV with an extra column and an unseen category
/// (`07b-export-scoring.png`), stops the server and saves the project with every run of
/// the walk beside the model (`DIR/demo.stepwise-project`). Emits `finished(0)` on success, or
/// `finished(1)` after writing the reason to stderr.
class DemoDriver : public QObject {
    Q_OBJECT
public:
    /// \brief Longest wait for any one background step.
    static constexpr int kStepTimeoutMs = 180000;

    /// \brief A driver for `wizard`; `screenshotDir` empty = no screenshots.
    DemoDriver(MainWizard* wizard, const QString& screenshotDir, QObject* parent = nullptr);

    /// \brief Starts the walk (returns at once; the event loop runs it).
    void start();

signals:
    /// \brief The walk ended with this exit code.
    void finished(int exitCode);

private:
    void problemStep();
    void dataStep();
    /// The Data page's distribution and correlation tabs, captured on titanic.
    void dataViews();
    void prepStep();
    void featuresStep();
    void trainingStep();
    /// The second training: cross-validation and a grid search.
    void trainingSearchStep();
    void evaluationStep();
    void exportStep();
    /// ONNX, Python and the model card into the export folder.
    void exportFormsStep();
    /// Starts the prediction server (8080, else any free port) and grabs the page.
    void serverStep();
    /// Scores a CSV with an extra column and an unseen category, grabs it, stops the server.
    void scoringStep();
    /// Teaching: the Learn panel beside Training and Evaluation.
    void teachingStep();
    /// Presentation mode and the dark theme on Evaluation.
    void teachingViewsStep();
    /// The run history comparing the first and the last run, then the knowledge check.
    void historyStep();
    /// Saves the project (recipe, every run of the walk) as demo.stepwise-project beside
    /// the model; false (after `fail`) when it cannot.
    bool saveProject();

    /// Row of the first step of `kind` in `editor`, or -1.
    int rowOfKind(PipelineEditor* editor, const std::string& kind) const;
    /// Runs `next` once the pipeline's preview is for the recipe as it is now.
    void waitForPreview(StagePipeline* pipeline, const QString& what, std::function<void()> next);
    /// Shows the preview's Distribution tab, grabs it as `name` when its charts are in,
    /// goes back to the Rows tab and runs `next`.
    void showDistribution(StagePipeline* pipeline, const QString& name, std::function<void()> next);
    /// Runs `next` once `task` is not running (at once when it is idle already).
    void whenIdle(BackgroundTask* task, const QString& what, std::function<void()> next);
    /// Waits until the event loop has laid out and painted, then grabs `name` and runs `next`.
    void capture(const QString& name, std::function<void()> next);
    /// Grabs the window into `name` now; false (after `fail`) when it cannot be written.
    bool grabNow(const QString& name);
    /// Saves `widget` (a window of its own, such as a dialog) as NAME.png.
    bool grabWidget(QWidget* widget, const QString& name);
    /// Advances with the Next button and runs `next` on the new page.
    void clickNext(int expectedId, std::function<void()> next);
    /// Runs `next` when `signal` of `sender` fires, or fails after the timeout.
    template<typename Sender, typename Signal>
    void waitFor(Sender* sender, Signal signal, const QString& what, std::function<void()> next);
    void fail(const QString& message);
    template<typename T>
    T* control(const char* name);

    MainWizard* m_wizard;
    QDir m_dir;
    QString m_exportDir;
    bool m_screenshots;
    bool m_done = false;
    int m_generation = 0;
};

} // namespace stepwise::ui
