#pragma once
/// \file
/// \brief The workbench window: a QWizard with the seven step pages and the step rail.

#include <QSet>
#include <QWizard>

class QAction;
class QMenu;
class QMenuBar;

namespace stepwise::ui {

class DataPage;
class EvaluationPage;
class ExportPage;
class FeaturesPage;
class PrepPage;
class ProblemPage;
class RunHistoryDialog;
class Session;
class StepRail;
class TrainingPage;
class WizardStepPage;

/// \brief Problem → Data → Prep → Features → Training → Evaluation → Export. Owns the
/// session. The rail shows each step's state and jumps to visited steps; keyboard:
/// Ctrl+O open data, Ctrl+S save model, Alt+Left/Right back/next, F1 Learn panel.
/// Ctrl+Z undoes the last recipe edit of the Prep and Features steps, Ctrl+Shift+Z or
/// Ctrl+Y redoes it. A .csv dropped on the window is opened on the Data step. Geometry
/// is remembered.
class MainWizard : public QWizard {
    Q_OBJECT
public:
    /// \brief Page ids, in order.
    enum PageId { ProblemId, DataId, PrepId, FeaturesId, TrainingId, EvaluationId, ExportId, PageCount };

    /// \brief A wizard; with `usesSettings` false nothing is read from or written to
    /// QSettings (demo runs and tests).
    explicit MainWizard(bool usesSettings = true, QWidget* parent = nullptr);
    ~MainWizard() override;

    Session* session() const { return m_session; }
    StepRail* rail() const { return m_rail; }
    ProblemPage* problemPage() const { return m_problem; }
    DataPage* dataPage() const { return m_data; }
    PrepPage* prepPage() const { return m_prep; }
    FeaturesPage* featuresPage() const { return m_features; }
    TrainingPage* trainingPage() const { return m_training; }
    EvaluationPage* evaluationPage() const { return m_evaluation; }
    ExportPage* exportPage() const { return m_export; }
    /// \brief Undo and redo of the session's recipe edits (shortcuts installed on the window).
    QAction* undoAction() const { return m_undo; }
    QAction* redoAction() const { return m_redo; }
    /// \brief The window's menu bar: File (projects), View (Learn panel, themes,
    /// presentation), Learn (quiz, tour, history of runs). Parts of the window add their
    /// actions to these menus.
    QMenuBar* menuBar() const { return m_menuBar; }
    QMenu* fileMenu() const { return m_fileMenu; }
    QMenu* viewMenu() const { return m_viewMenu; }
    QMenu* learnMenu() const { return m_learnMenu; }
    /// \brief View ▸ Run history… (Ctrl+H; also the Training page's History… button):
    /// shows `runHistory()`.
    QAction* runHistoryAction() const { return m_runHistoryAction; }
    /// \brief The run history window (hidden until asked for).
    RunHistoryDialog* runHistory() const { return m_runHistory; }
    /// \brief The page of step `id`.
    WizardStepPage* stepPage(int id) const;

    /// \brief Moves to step `id`: back through the history, or forward through complete
    /// pages only. Returns true when the step was reached.
    bool goToStep(int id);
    /// \brief Next, if the current page is complete.
    void nextIfComplete();
    /// \brief Shows or hides the Learn panel on every page.
    void setLearnVisible(bool visible);
    /// \brief Opens `path` on the Data step.
    void openDataFile(const QString& path);

protected:
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;
    void closeEvent(QCloseEvent* event) override;
    void keyPressEvent(QKeyEvent* event) override;
    void done(int result) override;

private:
    void updateRail();
    void saveModelShortcut();
    void setUpRunHistory();  // main_wizard_history.cpp

    bool m_usesSettings;
    QSet<int> m_reached;  // steps shown at least once; QWizard forgets them on Back
    bool m_learnVisible = false;
    Session* m_session;
    StepRail* m_rail;
    ProblemPage* m_problem;
    DataPage* m_data;
    PrepPage* m_prep;
    FeaturesPage* m_features;
    TrainingPage* m_training;
    EvaluationPage* m_evaluation;
    ExportPage* m_export;
    QAction* m_undo;
    QAction* m_redo;
    QMenuBar* m_menuBar;
    QMenu* m_fileMenu;
    QMenu* m_viewMenu;
    QMenu* m_learnMenu;
    RunHistoryDialog* m_runHistory = nullptr;
    QAction* m_runHistoryAction = nullptr;
};

} // namespace stepwise::ui
