#include "wizard/main_wizard.hpp"

#include <QAbstractButton>
#include <QAction>
#include <QCloseEvent>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileInfo>
#include <QKeyEvent>
#include <QMenu>
#include <QMenuBar>
#include <QMimeData>
#include <QSettings>
#include <QShortcut>
#include <QTimer>
#include <QUndoStack>
#include <QUrl>

#include "pages/data_page.hpp"
#include "pages/evaluation_page.hpp"
#include "pages/export_page.hpp"
#include "pages/features_page.hpp"
#include "pages/prep_page.hpp"
#include "pages/problem_page.hpp"
#include "pages/training_page.hpp"
#include "session/project_document.hpp"
#include "session/session.hpp"
#include "teaching/guided_tour.hpp"
#include "teaching/quiz.hpp"
#include "teaching/quiz_dialog.hpp"
#include "widgets/app_icon.hpp"
#include "widgets/status_banner.hpp"
#include "widgets/task_progress_panel.hpp"
#include "widgets/teaching/fold_diagram.hpp"
#include "widgets/theme.hpp"
#include "wizard/keyboard_navigation.hpp"
#include "wizard/presentation_mode.hpp"
#include "wizard/project_actions.hpp"
#include "wizard/step_rail.hpp"

namespace stepwise::ui {
namespace {

const char* kGeometryKey = "window/geometry";

bool isDataFile(const QUrl& url)
{
    if (!url.isLocalFile())
        return false;
    return dataFileSuffixes().contains(QFileInfo(url.toLocalFile()).suffix().toLower());
}

bool isOpenable(const QUrl& url)
{
    return isDataFile(url) || (url.isLocalFile() && ProjectActions::isProjectFile(url.toLocalFile()));
}

} // namespace

MainWizard::MainWizard(bool usesSettings, QWidget* parent)
    : QWizard(parent),
      m_usesSettings(usesSettings),
      m_session(new Session(this)),
      m_project(new ProjectDocument(m_session, this)),
      m_rail(nullptr),
      m_problem(new ProblemPage(m_session)),
      m_data(new DataPage(m_session)),
      m_prep(new PrepPage(m_session)),
      m_features(new FeaturesPage(m_session)),
      m_training(new TrainingPage(m_session)),
      m_evaluation(new EvaluationPage(m_session)),
      m_export(new ExportPage(m_session)),
      m_undo(m_session->undoStack()->createUndoAction(this, tr("Undo"))),
      m_redo(m_session->undoStack()->createRedoAction(this, tr("Redo"))),
      m_menuBar(new QMenuBar(this)),
      m_fileMenu(m_menuBar->addMenu(tr("&File"))),
      m_viewMenu(m_menuBar->addMenu(tr("&View"))),
      m_learnMenu(m_menuBar->addMenu(tr("&Learn")))
{
    setObjectName(QStringLiteral("mainWizard"));
    setWindowTitle(QStringLiteral("Stepwise"));
    setWindowIcon(appIcon());
    setWizardStyle(QWizard::ClassicStyle);
    setOptions(QWizard::NoCancelButton | QWizard::HaveHelpButton | QWizard::NoBackButtonOnStartPage |
               QWizard::NoDefaultButton);
    setButtonText(QWizard::HelpButton, tr("Learn"));
    button(QWizard::HelpButton)->setToolTip(tr("Show or hide what this step is for, with tips (F1)"));
    button(QWizard::HelpButton)->setCheckable(true);
    button(QWizard::BackButton)->setToolTip(tr("Previous step (Alt+Left)"));
    button(QWizard::NextButton)->setToolTip(tr("Next step (Alt+Right)"));
    button(QWizard::FinishButton)->setToolTip(tr("Close Stepwise"));
    setAcceptDrops(true);
    setSizeGripEnabled(true);
    m_data->setUsesSettings(usesSettings);
    m_export->setUsesSettings(usesSettings);

    setPage(ProblemId, m_problem);
    setPage(DataId, m_data);
    setPage(PrepId, m_prep);
    setPage(FeaturesId, m_features);
    setPage(TrainingId, m_training);
    setPage(EvaluationId, m_evaluation);
    setPage(ExportId, m_export);
    setStartId(ProblemId);

    QStringList titles;
    for (int id = 0; id < PageCount; ++id)
        titles << stepPage(id)->stepTitle();
    m_rail = new StepRail(titles, this);
    for (BackgroundTask* task : m_session->tasks()) {
        auto* panel = new TaskProgressPanel(TaskProgressPanel::Form::Compact, m_rail);
        panel->setTask(task);
        m_rail->addTaskPanel(panel);
    }
    m_rail->setMenuBar(m_menuBar);
    setSideWidget(m_rail);
    connect(m_rail, &StepRail::stepClicked, this, [this](int index) { goToStep(index); });
    connect(this, &QWizard::currentIdChanged, this, &MainWizard::updateRail);
    for (int id = 0; id < PageCount; ++id) {
        connect(stepPage(id), &QWizardPage::completeChanged, this, &MainWizard::updateRail);
        connect(stepPage(id)->banner(), &StatusBanner::changed, this, &MainWizard::updateRail);
    }
    connect(this, &QWizard::helpRequested, this, [this] { setLearnVisible(!m_learnVisible); });

    auto* back = new QShortcut(QKeySequence(Qt::ALT | Qt::Key_Left), this);
    connect(back, &QShortcut::activated, this, [this] {
        if (currentId() != startId())
            this->back();
    });
    auto* next = new QShortcut(QKeySequence(Qt::ALT | Qt::Key_Right), this);
    connect(next, &QShortcut::activated, this, &MainWizard::nextIfComplete);
    // Window-wide, so Ctrl+Z works wherever the focus is — except in a text field, which
    // undoes its own typing first, as text fields do everywhere.
    m_undo->setObjectName(QStringLiteral("undoAction"));
    m_redo->setObjectName(QStringLiteral("redoAction"));
    m_undo->setShortcuts({QKeySequence(Qt::CTRL | Qt::Key_Z)});
    m_redo->setShortcuts({QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Z), QKeySequence(Qt::CTRL | Qt::Key_Y)});
    for (QAction* action : {m_undo, m_redo}) {
        action->setShortcutContext(Qt::WindowShortcut);
        addAction(action);
    }

    m_menuBar->setObjectName(QStringLiteral("menuBar"));
    QAction* quit = m_fileMenu->addAction(tr("&Quit"), this, &QWidget::close);
    quit->setObjectName(QStringLiteral("quitAction"));
    quit->setShortcut(QKeySequence::Quit);
    QMenu* edit = new QMenu(tr("&Edit"), m_menuBar);
    m_menuBar->insertMenu(m_viewMenu->menuAction(), edit);
    edit->addAction(m_undo);
    edit->addAction(m_redo);
    QAction* showLearn = m_viewMenu->addAction(tr("Learn &panel"));
    showLearn->setObjectName(QStringLiteral("learnPanelAction"));
    showLearn->setCheckable(true);
    showLearn->setShortcut(QKeySequence::HelpContents);
    connect(button(QWizard::HelpButton), &QAbstractButton::toggled, showLearn, &QAction::setChecked);
    connect(showLearn, &QAction::triggered, this, &MainWizard::setLearnVisible);
    m_theme = new Theme(usesSettings, this);
    m_presentation = new PresentationMode(this, m_theme);
    m_viewMenu->addAction(m_presentation->action());
    m_viewMenu->addAction(m_presentation->fullScreenAction());
    m_theme->addMenu(m_viewMenu);
    QAction* stillPictures = m_viewMenu->addAction(tr("&Reduce motion"));
    stillPictures->setObjectName(QStringLiteral("reduceMotionAction"));
    stillPictures->setCheckable(true);
    stillPictures->setToolTip(tr("Show the fold diagram and the threshold sweep without animation"));
    stillPictures->setChecked(prefersReducedMotion());
    connect(stillPictures, &QAction::toggled, this, [](bool on) {
        QSettings().setValue(QStringLiteral("view/reducedMotion"), on);
    });
    if (m_theme->scheme() != ColorScheme::System || Theme::platformPrefersDark())
        m_theme->apply();
    m_tour = new GuidedTour(this);
    QAction* tour = m_learnMenu->addAction(tr("Take the &tour"), this, &MainWizard::startTour);
    tour->setObjectName(QStringLiteral("tourAction"));
    new KeyboardNavigation(this);
    for (int id = 0; id < PageCount; ++id)
        connect(stepPage(id), &WizardStepPage::learnPanelRequested, this, [this] { setLearnVisible(true); });
    QAction* knowledgeCheck = m_learnMenu->addAction(tr("&Knowledge check…"));
    knowledgeCheck->setObjectName(QStringLiteral("knowledgeCheckAction"));
    knowledgeCheck->setToolTip(tr("Multiple-choice questions on every step, with explanations and a score"));
    connect(knowledgeCheck, &QAction::triggered, this, [this] {
        auto* dialog = new teaching::QuizDialog(teaching::quizQuestions(), tr("Knowledge check"), this);
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        dialog->open();
    });
    m_projectActions = new ProjectActions(this, m_project, usesSettings);
    // A project remembers presentation mode, so a lesson reopens as it was shown; turning
    // it on or off is not an edit of the project.
    m_project->addWindowState(
        QStringLiteral("presentation"),
        [this] { return isPresentationMode() ? QStringLiteral("1") : QStringLiteral("0"); },
        [this](const QString& value) { setPresentationMode(value == QStringLiteral("1")); }, false);
    if (usesSettings || qEnvironmentVariableIsSet("STEPWISE_AUTOSAVE_DIR")) {
        m_project->setAutosaveDir(ProjectDocument::defaultAutosaveDir());
        QTimer::singleShot(0, m_projectActions, &ProjectActions::offerRecovery);
    }
    setUpRunHistory();

    resize(1280, 800);
    setMinimumSize(1000, 640);
    if (m_usesSettings)
        restoreGeometry(QSettings().value(kGeometryKey).toByteArray());
    updateRail();
    // The tour greets a first start once the window is up; tests and the demo never see it.
    if (m_usesSettings && GuidedTour::isDue(QSettings()))
        QTimer::singleShot(0, this, &MainWizard::startTour);
}

bool MainWizard::isPresentationMode() const { return m_presentation->isActive(); }

void MainWizard::setPresentationMode(bool on) { m_presentation->setActive(on); }

void MainWizard::startTour()
{
    if (m_usesSettings) {
        QSettings settings;
        GuidedTour::markDone(settings);
    }
    m_tour->start();
}

// The project goes first: it listens to the session and the pages, which go after it.
MainWizard::~MainWizard()
{
    delete m_projectActions;
    delete m_project;
}

WizardStepPage* MainWizard::stepPage(int id) const { return qobject_cast<WizardStepPage*>(page(id)); }

bool MainWizard::goToStep(int id)
{
    if (id < 0 || id >= PageCount)
        return false;
    while (currentId() > id)
        back();
    while (currentId() < id) {
        if (!currentPage() || !currentPage()->isComplete())
            break;
        const int before = currentId();
        next();
        if (currentId() == before)
            break;
    }
    return currentId() == id;
}

void MainWizard::nextIfComplete()
{
    if (currentPage() && currentPage()->isComplete() && currentId() != ExportId)
        next();
}

void MainWizard::setLearnVisible(bool visible)
{
    m_learnVisible = visible;
    for (int id = 0; id < PageCount; ++id)
        stepPage(id)->setLearnVisible(visible);
    button(QWizard::HelpButton)->setChecked(visible);
}

void MainWizard::openDataFile(const QString& path)
{
    goToStep(DataId);
    m_data->openFile(path);
}

void MainWizard::updateRail()
{
    if (!m_rail)
        return;
    const int current = currentId();
    if (current >= 0)
        m_reached.insert(current);
    for (int id = 0; id < PageCount; ++id) {
        WizardStepPage* page = stepPage(id);
        StepState state = StepState::NotReached;
        if (id == current)
            state = StepState::Current;
        else if (m_reached.contains(id))
            state = page->isComplete() ? StepState::Done : StepState::Reached;
        m_rail->item(id)->setState(state, state == StepState::NotReached ? 0 : page->banner()->attentionCount());
    }
}

void MainWizard::dragEnterEvent(QDragEnterEvent* event)
{
    const auto urls = event->mimeData()->urls();
    if (urls.size() == 1 && isOpenable(urls.front()))
        event->acceptProposedAction();
}

void MainWizard::dropEvent(QDropEvent* event)
{
    const auto urls = event->mimeData()->urls();
    if (urls.size() == 1 && isOpenable(urls.front())) {
        event->acceptProposedAction();
        const QString path = urls.front().toLocalFile();
        // Opening a project may ask about unsaved changes: not inside the drop itself.
        QTimer::singleShot(0, m_projectActions, [this, path] { m_projectActions->openPath(path); });
    }
}

void MainWizard::closeEvent(QCloseEvent* event)
{
    if (m_usesSettings)
        QSettings().setValue(kGeometryKey, saveGeometry());
    QWizard::closeEvent(event);
}

void MainWizard::done(int result)
{
    // Close, Quit and Finish all end here.
    if (!m_projectActions->confirmDiscard())
        return;
    m_project->discardAutosave();
    if (m_usesSettings)
        QSettings().setValue(kGeometryKey, saveGeometry());
    QWizard::done(result);
}

void MainWizard::keyPressEvent(QKeyEvent* event)
{
    // QDialog closes on Escape; a workbench window must not vanish on a stray key.
    if (event->key() == Qt::Key_Escape) {
        event->accept();
        return;
    }
    QWizard::keyPressEvent(event);
}

} // namespace stepwise::ui
