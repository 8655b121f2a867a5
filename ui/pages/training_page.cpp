#include "pages/training_page.hpp"

#include <QComboBox>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QScrollArea>
#include <QSignalBlocker>
#include <QSplitter>
#include <QStyle>
#include <QVBoxLayout>

#include <algorithm>

#include "session/session.hpp"
#include "stepwise/core/errors.hpp"
#include "stepwise/models/registry.hpp"
#include "widgets/charts/training_chart.hpp"
#include "models/confusion_matrix_model.hpp"
#include "widgets/heatmap_widget.hpp"
#include "widgets/param_form.hpp"
#include "widgets/status_banner.hpp"
#include "widgets/task_progress_panel.hpp"

namespace stepwise::ui {
namespace {

const models::ModelInfo* findInfo(const std::string& name)
{
    const auto& registry = models::modelRegistry();
    auto it = std::find_if(registry.begin(), registry.end(), [&](const auto& info) { return info.name == name; });
    return it == registry.end() ? nullptr : &*it;
}

/// Bold title, and on a second, muted line which rows the matrix counts.
QString matrixCaption(const QString& title, const QString& measuredOn)
{
    const QString rows = measuredOn.isEmpty() ? QObject::tr("appears while a classifier trains")
                                              : QObject::tr("measured on %1").arg(measuredOn);
    return QStringLiteral("<b>%1</b><br><span style='color:gray'>%2</span>")
        .arg(title.toHtmlEscaped(), rows.toHtmlEscaped());
}

QStringList toQStringList(const std::vector<std::string>& values)
{
    QStringList list;
    for (const auto& value : values)
        list << QString::fromStdString(value);
    return list;
}

} // namespace

TrainingPage::TrainingPage(Session* session, QWidget* parent)
    : WizardStepPage(session, tr("Training"),
                     tr("Pick a model, set its hyper-parameters, and train it on the training rows."), parent),
      m_model(new QComboBox(this)),
      m_modelNote(makeNote({}, this)),
      m_form(new ParamForm(this)),
      m_reset(new QPushButton(tr("Reset to defaults"), this)),
      m_chart(new TrainingChart(this)),
      m_matrixBox(new QWidget(this)),
      m_matrixCaption(new QLabel(this)),
      m_matrixModel(new ConfusionMatrixModel(this)),
      m_matrix(new HeatmapWidget(this)),
      m_train(new QPushButton(tr("Train"), this)),
      m_progress(new TaskProgressPanel(TaskProgressPanel::Form::Full, this))
{
    m_model->setObjectName(QStringLiteral("modelCombo"));
    m_reset->setObjectName(QStringLiteral("resetParamsButton"));
    m_train->setObjectName(QStringLiteral("trainButton"));
    m_matrix->setObjectName(QStringLiteral("liveConfusionMatrix"));
    m_matrixCaption->setObjectName(QStringLiteral("liveMatrixCaption"));

    auto* modelRow = new QHBoxLayout;
    auto* modelLabel = new QLabel(tr("&Model:"), this);
    modelLabel->setBuddy(m_model);
    QFont bold = modelLabel->font();
    bold.setBold(true);
    modelLabel->setFont(bold);
    m_model->setMinimumWidth(220);
    modelRow->addWidget(modelLabel);
    modelRow->addWidget(m_model);
    modelRow->addSpacing(8);
    modelRow->addWidget(m_modelNote, 1);
    contentLayout()->addLayout(modelRow);

    auto* paramsBox = new QGroupBox(tr("Hyper-parameters"), this);
    auto* paramsLayout = new QVBoxLayout(paramsBox);
    auto* scroll = new QScrollArea(this);
    scroll->setWidget(m_form);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    // Let the group box show through instead of the viewport's own background.
    scroll->viewport()->setAutoFillBackground(false);
    m_form->setAutoFillBackground(false);
    paramsLayout->addWidget(scroll, 1);
    paramsLayout->addWidget(makeNote(tr("Hover a name for what it does. Empty fields use the default."), this));
    paramsLayout->addWidget(m_reset, 0, Qt::AlignLeft);
    paramsBox->setFixedWidth(318);

    auto* matrixLayout = new QVBoxLayout(m_matrixBox);
    matrixLayout->setContentsMargins(0, 0, 0, 0);
    m_matrixCaption->setWordWrap(true);
    m_matrixCaption->setTextFormat(Qt::RichText);
    m_matrix->setModel(m_matrixModel);
    matrixLayout->addWidget(m_matrixCaption);
    matrixLayout->addWidget(m_matrix, 1);

    auto* live = new QSplitter(Qt::Horizontal, this);
    live->addWidget(m_chart);
    live->addWidget(m_matrixBox);
    live->setChildrenCollapsible(false);
    live->setStretchFactor(0, 1);
    live->setStretchFactor(1, 1);
    live->setSizes({340, 340});
    m_chart->setMinimumWidth(260);
    m_matrixBox->setMinimumWidth(240);

    auto* middle = new QHBoxLayout;
    middle->addWidget(paramsBox);
    middle->addWidget(live, 1);
    contentLayout()->addLayout(middle, 1);

    auto* bottom = new QHBoxLayout;
    m_train->setIcon(style()->standardIcon(QStyle::SP_MediaPlay));
    m_train->setDefault(false);
    m_train->setMinimumHeight(34);
    m_train->setMinimumWidth(130);
    QFont trainFont = m_train->font();
    trainFont.setBold(true);
    m_train->setFont(trainFont);
    m_train->setToolTip(tr("Split the data, fit the prep and feature steps and the model on the training rows, and "
                           "score the test rows"));
    m_progress->setTask(session->trainingTask());
    m_progress->setIdleText(tr("Not trained yet."));
    bottom->addWidget(m_train, 0, Qt::AlignBottom);
    bottom->addSpacing(8);
    bottom->addWidget(m_progress, 1);
    contentLayout()->addLayout(bottom);

    setLearnText(tr("<p>Training fits the whole pipeline on the <b>training rows</b> only: fill values, scales, "
                    "encodings and then the model.</p>"
                    "<p><b>Hyper-parameters</b> are the model's settings, chosen by you rather than learned. "
                    "Start from the defaults; change one thing at a time.</p>"
                    "<p>The live chart shows how the model improves. A random forest reports its "
                    "<b>out-of-bag</b> score — rows each tree did not see, a free honest estimate. Iterative "
                    "models report the <b>training loss</b>, which always looks better than the test.</p>"));

    connect(m_model, &QComboBox::currentIndexChanged, this, [this] {
        const QString name = m_model->currentData().toString();
        if (name.isEmpty() || name.toStdString() == this->session()->recipe().model.name)
            return;
        this->session()->setModel(workflow::ModelChoice{name.toStdString(), {}});
    });
    connect(m_form, &ParamForm::valuesChanged, this, [this] {
        workflow::ModelChoice choice = this->session()->recipe().model;
        choice.params = m_form->values();
        this->session()->setModel(choice);
    });
    connect(m_reset, &QPushButton::clicked, this, [this] {
        workflow::ModelChoice choice = this->session()->recipe().model;
        choice.params.clear();
        this->session()->setModel(choice);
        rebuildForm();
    });
    connect(m_train, &QPushButton::clicked, this, [this] {
        validateParams();
        if (m_paramsValid)
            this->session()->train();
    });

    BackgroundTask* task = session->trainingTask();
    connect(task, &BackgroundTask::started, this, [this] {
        banner()->clearMessagesWithPrefix(QStringLiteral("train"));
        m_chart->reset(tr("Waiting for the first training step…"));
        m_matrixModel->clear();
        m_matrix->setPlaceholderText(tr("The confusion matrix appears after the first training step."));
        m_matrixCaption->setText(matrixCaption(tr("Live confusion matrix"), {}));
        refreshButtons();
    });
    connect(task, &BackgroundTask::trainingUpdated, this, &TrainingPage::onTrainingUpdate);
    connect(task, &BackgroundTask::finished, this, &TrainingPage::refreshButtons);
    connect(session, &Session::resultChanged, this, &TrainingPage::onResult);
    connect(session, &Session::trainingFailed, this, [this](const QString& message) {
        banner()->setMessage(QStringLiteral("train-error"), StatusBanner::Level::Error,
                             tr("Training failed: %1").arg(message));
        updateCompleteness();
    });
    connect(session, &Session::trainingCancelled, this, [this] {
        // The user asked for it: a note, not a warning that needs attention.
        banner()->setMessage(QStringLiteral("train-cancelled"), StatusBanner::Level::Info,
                             tr("Training cancelled — nothing changed. Press Train to start again."));
        updateCompleteness();
    });
    connect(session, &Session::recipeChanged, this, [this] {
        refreshModels();
        validateParams();
        refreshButtons();
    });
    connect(session, &Session::dataChanged, this, &TrainingPage::refreshButtons);
    connect(session, &Session::profileChanged, this, &TrainingPage::refreshButtons);
    refreshModels();
    validateParams();
    refreshButtons();
    m_matrixModel->clear();
    m_matrix->setPlaceholderText(tr("The confusion matrix appears while a classifier trains."));
    m_matrixCaption->setText(matrixCaption(tr("Live confusion matrix"), {}));
}

void TrainingPage::initializePage()
{
    refreshModels();
    validateParams();
    refreshButtons();
    if (session()->hasCurrentResult() && m_chart->pointCount() == 0)
        showResultViews();
}

void TrainingPage::refreshModels()
{
    const auto task = session()->recipe().problem.task;
    const std::string& current = session()->recipe().model.name;
    QSignalBlocker block(m_model);
    if (m_model->property("task").toInt() != int(task) || m_model->count() == 0) {
        m_model->clear();
        for (const auto& info : models::modelRegistry()) {
            if (std::find(info.tasks.begin(), info.tasks.end(), task) == info.tasks.end())
                continue;
            m_model->addItem(QString::fromStdString(info.displayName), QString::fromStdString(info.name));
            m_model->setItemData(m_model->count() - 1, QString::fromStdString(info.description), Qt::ToolTipRole);
        }
        m_model->setProperty("task", int(task));
    }
    m_model->setCurrentIndex(m_model->findData(QString::fromStdString(current)));
    const models::ModelInfo* info = findInfo(current);
    m_modelNote->setText(info ? QString::fromStdString(info->description)
                              : tr("“%1” is not a model Stepwise knows — choose one from the list.")
                                    .arg(QString::fromStdString(current)));
    // Rebuild when the model changed, or when its parameters were set elsewhere (not
    // typed here), so the form always shows the recipe.
    if (current != m_formModel || session()->recipe().model.params != m_form->values())
        rebuildForm();
    m_matrixBox->setVisible(task == core::TaskType::Classification);
}

void TrainingPage::rebuildForm()
{
    const auto& choice = session()->recipe().model;
    m_formModel = choice.name;
    const models::ModelInfo* info = findInfo(choice.name);
    m_form->setSpecs(info ? info->params : std::vector<core::ParamSpec>{}, choice.params, choice.name);
}

void TrainingPage::validateParams()
{
    const auto& choice = session()->recipe().model;
    const models::ModelInfo* info = findInfo(choice.name);
    m_paramsValid = true;
    banner()->clearMessage(QStringLiteral("params"));
    if (!info) {
        m_paramsValid = false;
        banner()->setMessage(QStringLiteral("params"), StatusBanner::Level::Error,
                             tr("Unknown model “%1” — choose one from the list.").arg(QString::fromStdString(choice.name)));
        return;
    }
    try {
        core::resolveParams(info->params, choice.params, info->name);
    } catch (const core::InvalidParameter& error) {
        m_paramsValid = false;
        banner()->setMessage(QStringLiteral("params"), StatusBanner::Level::Error, QString::fromUtf8(error.what()));
    }
}

void TrainingPage::refreshButtons()
{
    const bool training = session()->isTraining();
    const bool ready = session()->table() != nullptr && !session()->isLoading() && m_paramsValid;
    m_train->setEnabled(!training && ready);
    m_train->setText(session()->result() && !training ? tr("Train again") : tr("Train"));
    m_model->setEnabled(!training);
    m_form->setEnabled(!training);
    m_reset->setEnabled(!training);
    if (!training && session()->result() && !session()->hasCurrentResult())
        banner()->setMessage(QStringLiteral("train-stale"), StatusBanner::Level::Info,
                             tr("The settings changed since the last training — press Train again to update the "
                                "results."));
    else
        banner()->clearMessage(QStringLiteral("train-stale"));
    updateCompleteness();
}

void TrainingPage::onTrainingUpdate(const TrainingUpdate& update)
{
    m_chart->append(update);
    if (!update.confusion.empty()) {
        QStringList names = toQStringList(session()->classLabels());
        if (names.size() != int(update.confusion.size()))
            names.clear();
        m_matrixModel->setMatrix(update.confusion, names);
        m_matrixCaption->setText(matrixCaption(tr("Live confusion matrix"), update.measuredOn));
    }
}

void TrainingPage::showResultViews()
{
    const auto result = session()->result();
    if (!result)
        return;
    const auto& curve = result->fit.curve;
    if (!curve.empty())
        m_chart->showCurve(curve);
    else
        m_chart->reset(tr("This model does not report a training curve."));
    auto withMatrix = std::find_if(curve.rbegin(), curve.rend(), [](const auto& s) { return !s.confusion.empty(); });
    if (withMatrix != curve.rend() && result->pipeline) {
        QStringList names = toQStringList(result->pipeline->classes());
        if (names.size() != int(withMatrix->confusion.size()))
            names.clear();
        m_matrixModel->setMatrix(withMatrix->confusion, names);
        m_matrixCaption->setText(matrixCaption(tr("Confusion matrix after training"),
                                               QString::fromStdString(withMatrix->measuredOn)));
    }
}

void TrainingPage::onResult()
{
    const auto result = session()->result();
    if (!result)
        return;
    showResultViews();
    const QLocale locale;
    QString score;
    if (result->classification)
        score = tr("accuracy on the %1 test rows: %2")
                    .arg(locale.toString(qulonglong(result->testRows.size())))
                    .arg(QString::number(result->classification->accuracy, 'f', 3));
    else if (result->regression)
        score = tr("R² on the %1 test rows: %2")
                    .arg(locale.toString(qulonglong(result->testRows.size())))
                    .arg(QString::number(result->regression->r2, 'f', 3));
    const models::ModelInfo* info = findInfo(session()->resultRecipe().model.name);
    banner()->setMessage(QStringLiteral("train-done"), StatusBanner::Level::Success,
                         tr("Trained %1 on %2 rows in %3 — %4. Continue to Evaluation for the full picture.")
                             .arg(info ? QString::fromStdString(info->displayName) : tr("the model"),
                                  locale.toString(qulonglong(result->trainRowCount)),
                                  formatElapsed(qint64((result->timings.prepSeconds + result->timings.fitSeconds +
                                                        result->timings.predictSeconds) *
                                                       1000)),
                                  score));
    int index = 0;
    for (const auto& warning : result->warnings) {
        // Not converging deserves attention; the other notes (rows left out, …) inform.
        const bool convergence = !result->fit.converged && warning == result->fit.message;
        banner()->setMessage(QStringLiteral("train-warning-%1").arg(index++),
                             convergence ? StatusBanner::Level::Warning : StatusBanner::Level::Info,
                             convergence ? tr("The model did not converge: %1 — raise max_iter or scale the features.")
                                               .arg(QString::fromStdString(warning))
                                         : QString::fromStdString(warning));
    }
    refreshButtons();
}

QString TrainingPage::incompleteReason() const
{
    if (session()->isTraining())
        return tr("wait for the training to finish (or cancel it).");
    if (!session()->table())
        return tr("load data on the Data step first.");
    if (!m_paramsValid)
        return tr("fix the hyper-parameter named in the message above.");
    if (!session()->result())
        return tr("press Train to train the model.");
    if (!session()->hasCurrentResult())
        return tr("the settings changed since the last training — press Train again.");
    return {};
}

} // namespace stepwise::ui
