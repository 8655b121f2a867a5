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
class GuidedTour;
class PresentationMode;
class Theme;
class ExportPage;
class FeaturesPage;
class PrepPage;
class ProblemPage;
class ProjectActions;
class ProjectDocument;
class RunHistoryDialog;
class Session;
class StepRail;
class TrainingPage;
class WizardStepPage;

/// \brief Problem → Data → Prep → Features → Training → Evaluation → Export. Owns the
/// session and its project. The rail shows each step's state and jumps to visited steps;
/// keyboard: Ctrl+N new project, Ctrl+O open a project or data, Ctrl+S save the project
/// (the Export step's Save model… saves the model), Ctrl+Shift+S save the project as,
/// Alt+Left/Right back/next, F1 Learn panel. Ctrl+Z undoes the last recipe edit of the
/// Prep and Features steps, Ctrl+Shift+Z or Ctrl+Y redoes it. A project dropped on the
/// window opens; a data file (.csv, …) opens on the Data step. Closing, Quit and Finish
/// ask first when the project has unsaved changes. The project autosaves (with settings,
/// or when `STEPWISE_AUTOSAVE_DIR` is set) and on start offers to restore a session that
/// did not exit cleanly. Geometry is remembered.
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
    /// \brief The project: file, unsaved changes, run history, autosave.
    ProjectDocument* project() const { return m_project; }
    /// \brief The File menu's project commands and prompts.
    ProjectActions* projectActions() const { return m_projectActions; }
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

    /// \brief Presentation mode (View menu, F5): large fonts and charts, high contrast,
    /// PageDown/PageUp step. Part of the window state a project remembers.
    bool isPresentationMode() const;
    void setPresentationMode(bool on);
    PresentationMode* presentationMode() const { return m_presentation; }
    /// \brief The light/dark palette (View ▸ Theme).
    Theme* theme() const { return m_theme; }
    /// \brief The guided tour (Learn ▸ Take the tour; once on the first start).
    GuidedTour* guidedTour() const { return m_tour; }
    /// \brief Starts the guided tour.
    void startTour();

protected:
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;
    void closeEvent(QCloseEvent* event) override;
    void keyPressEvent(QKeyEvent* event) override;
    void done(int result) override;

private:
    void updateRail();
    void setUpRunHistory();  // main_wizard_history.cpp

    bool m_usesSettings;
    QSet<int> m_reached;  // steps shown at least once; QWizard forgets them on Back
    bool m_learnVisible = false;
    Session* m_session;
    ProjectDocument* m_project;
    ProjectActions* m_projectActions = nullptr;
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
    Theme* m_theme;
    PresentationMode* m_presentation;
    GuidedTour* m_tour;
    RunHistoryDialog* m_runHistory = nullptr;
    QAction* m_runHistoryAction = nullptr;
};

} // namespace stepwise::ui
