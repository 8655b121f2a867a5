#include "pages/problem_page.hpp"

#include <QButtonGroup>
#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QLineEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QScrollArea>
#include <QSignalBlocker>
#include <QVBoxLayout>

#include <limits>

#include "pages/misconception_banner.hpp"
#include "session/session.hpp"
#include "stepwise/core/errors.hpp"
#include "stepwise/evaluation/success.hpp"
#include "stepwise/io/atomic_file.hpp"
#include "stepwise/workflow/misconceptions.hpp"
#include "teaching/why_link.hpp"
#include "widgets/recipe_summary.hpp"
#include "widgets/status_banner.hpp"

namespace stepwise::ui {
namespace {

/// Metrics bounded to [0, 1] get a matching spin box range; errors are unbounded above.
void setThresholdRange(QDoubleSpinBox* box, const evaluation::MetricInfo& metric)
{
    if (metric.name == "r2")
        box->setRange(-1000.0, 1.0);
    else if (metric.higherIsBetter)
        box->setRange(0.0, 1.0);
    else
        box->setRange(0.0, 1e12);
    box->setSingleStep(metric.higherIsBetter ? 0.01 : 0.1);
}

} // namespace

ProblemPage::ProblemPage(Session* session, QWidget* parent)
    : WizardStepPage(session, tr("Problem"),
                     tr("Say what you want to predict and how you will judge the model — before looking at any "
                        "result."),
                     parent),
      m_classification(new QRadioButton(tr("Classification — predict a category"), this)),
      m_regression(new QRadioButton(tr("Regression — predict a number"), this)),
      m_objective(new QLineEdit(this)),
      m_target(new QComboBox(this)),
      m_targetNote(makeNote({}, this)),
      m_successEnabled(new QCheckBox(tr("Judge the model against a success criterion"), this)),
      m_metric(new QComboBox(this)),
      m_comparator(new QLabel(this)),
      m_threshold(new QDoubleSpinBox(this)),
      m_metricHelp(makeNote({}, this)),
      m_latencyEnabled(new QCheckBox(tr("Answer one row within"), this)),
      m_latency(new QDoubleSpinBox(this)),
      m_latencyHelp(makeNote(tr("Measured after training on the whole pipeline — a raw row in, the answer out, "
                                "every step included — predicting the test rows one at a time; the 99th "
                                "percentile must stay within the budget. Leave it off when speed does not matter."),
                             this)),
      m_interpretability(new QComboBox(this)),
      m_interpretabilityNote(makeNote({}, this)),
      m_retraining(new QComboBox(this)),
      m_mistake(new QComboBox(this)),
      m_advice(makeNote({}, this)),
      m_applyAdvice(new QPushButton(this)),
      m_export(new QPushButton(tr("&Export problem statement…"), this)),
      m_summary(new RecipeSummary(this))
{
    m_classification->setObjectName(QStringLiteral("classificationRadio"));
    m_regression->setObjectName(QStringLiteral("regressionRadio"));
    m_objective->setObjectName(QStringLiteral("objectiveEdit"));
    m_target->setObjectName(QStringLiteral("problemTargetCombo"));
    m_successEnabled->setObjectName(QStringLiteral("successCheck"));
    m_metric->setObjectName(QStringLiteral("metricCombo"));
    m_threshold->setObjectName(QStringLiteral("thresholdSpin"));
    m_latencyEnabled->setObjectName(QStringLiteral("latencyCheck"));
    m_latency->setObjectName(QStringLiteral("latencySpin"));

    auto* taskBox = new QGroupBox(tr("Kind of prediction"), this);
    auto* taskLayout = new QVBoxLayout(taskBox);
    auto* group = new QButtonGroup(this);
    group->addButton(m_classification);
    group->addButton(m_regression);
    m_classification->setToolTip(
        tr("The target is a label from a fixed set: survived or not, the species of a flower, churn."));
    m_regression->setToolTip(tr("The target is a quantity: a price, a tip, a fuel consumption."));
    taskLayout->addWidget(m_classification);
    taskLayout->addWidget(makeNote(tr("e.g. did the passenger survive? which species is this flower?"), this));
    taskLayout->addSpacing(4);
    taskLayout->addWidget(m_regression);
    taskLayout->addWidget(makeNote(tr("e.g. how large will the tip be? how many miles per gallon?"), this));

    auto* goalBox = new QGroupBox(tr("Objective and target"), this);
    auto* goalLayout = new QGridLayout(goalBox);
    m_objective->setPlaceholderText(tr("In one sentence: what is predicted, for whom, and why it matters"));
    m_objective->setToolTip(tr("Writing the goal down first keeps the later choices honest."));
    m_objective->setClearButtonEnabled(true);
    m_target->setEditable(true);
    m_target->setInsertPolicy(QComboBox::NoInsert);
    m_target->lineEdit()->setPlaceholderText(tr("the column to predict"));
    m_target->setToolTip(tr("The column the model learns to predict. Also chosen on the Data step."));
    m_target->setMinimumWidth(220);
    goalLayout->addWidget(new QLabel(tr("&Objective:"), this), 0, 0);
    goalLayout->addWidget(m_objective, 0, 1, 1, 2);
    auto* targetLabel = new QLabel(tr("&Target column:"), this);
    targetLabel->setBuddy(m_target);
    static_cast<QLabel*>(goalLayout->itemAtPosition(0, 0)->widget())->setBuddy(m_objective);
    goalLayout->addWidget(targetLabel, 1, 0);
    goalLayout->addWidget(m_target, 1, 1);
    goalLayout->addWidget(m_targetNote, 2, 1, 1, 2);
    goalLayout->setColumnStretch(2, 1);

    auto* successBox = new QGroupBox(tr("What counts as success"), this);
    auto* successLayout = new QGridLayout(successBox);
    m_successEnabled->setToolTip(
        tr("Decide now what \"good enough\" means; the Evaluation step then gives a plain pass or fail."));
    m_threshold->setDecimals(3);
    // Each edit refreshes the page and QWizard then hides and re-shows it, which reformats a
    // spin box's text under the cursor ("0." becomes "0.000"): take the value when typing ends.
    m_threshold->setKeyboardTracking(false);
    m_comparator->setMinimumWidth(20);
    m_comparator->setAlignment(Qt::AlignCenter);
    QFont comparatorFont = m_comparator->font();
    comparatorFont.setBold(true);
    m_comparator->setFont(comparatorFont);
    successLayout->addWidget(m_successEnabled, 0, 0, 1, 4);
    successLayout->addWidget(m_metric, 1, 0);
    successLayout->addWidget(m_comparator, 1, 1);
    successLayout->addWidget(m_threshold, 1, 2);
    successLayout->addWidget(m_metricHelp, 2, 0, 1, 4);
    successLayout->setRowMinimumHeight(3, 6);
    m_latencyEnabled->setToolTip(tr("A prediction service has a deadline: set one and the Evaluation step judges the "
                                    "trained model against it."));
    m_latency->setDecimals(2);
    m_latency->setKeyboardTracking(false);
    m_latency->setRange(0.01, 60000.0);
    m_latency->setSingleStep(1.0);
    m_latency->setValue(10.0);
    m_latency->setSuffix(tr(" ms"));
    m_latency->setToolTip(tr("Milliseconds for one row, 99th percentile: 99 of 100 single-row predictions must be "
                             "at least this fast."));
    m_latency->setMinimumWidth(110);
    auto* guide = new QGroupBox(tr("Which metric? A short guide"), this);
    buildGuide(guide);
    successLayout->addWidget(guide, 4, 0, 1, 4);
    successLayout->setColumnStretch(3, 1);
    successLayout->setRowStretch(5, 1);
    m_metric->setMinimumWidth(150);  // room for its "Why?" link beside the Learn panel
    m_threshold->setMinimumWidth(110);

    auto* top = new QHBoxLayout;
    top->addWidget(taskBox, 2);
    top->addWidget(successBox, 3);
    auto* constraintsBox = new QGroupBox(tr("Constraints"), this);
    buildConstraints(constraintsBox);
    m_export->setObjectName(QStringLiteral("exportProblemButton"));
    m_export->setToolTip(tr("Save the problem statement as JSON, to share it or to keep it with the project."));
    goalLayout->addWidget(m_export, 1, 2, Qt::AlignRight);

    // The whole statement scrolls when a small window cannot show it at once.
    auto* body = new QWidget(this);
    auto* bodyLayout = new QVBoxLayout(body);
    bodyLayout->setContentsMargins(0, 0, 0, 0);
    bodyLayout->addWidget(goalBox);
    bodyLayout->addLayout(top);
    bodyLayout->addWidget(constraintsBox);
    bodyLayout->addSpacing(6);
    bodyLayout->addWidget(m_summary);
    bodyLayout->addStretch(1);
    auto* scroll = new QScrollArea(this);
    scroll->setObjectName(QStringLiteral("problemScroll"));
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setWidgetResizable(true);
    scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    scroll->setWidget(body);
    contentLayout()->addWidget(scroll, 1);

    // "Why?" links: the short why on hover, the glossary entry in the Learn panel.
    teaching::attachWhy(m_classification, QStringLiteral("option/task"));
    teaching::attachWhy(m_objective, QStringLiteral("option/objective"));
    teaching::attachWhy(m_target, QStringLiteral("option/target"));
    teaching::attachComboWhy(m_metric, QStringLiteral("metric/"), QStringLiteral("option/success_metric"));
    teaching::attachWhy(m_successEnabled, QStringLiteral("option/success_threshold"));
    teaching::attachWhy(m_latency, QStringLiteral("option/latency_budget"));
    teaching::attachWhy(m_interpretability, QStringLiteral("option/interpretability"));
    teaching::attachWhy(m_retraining, QStringLiteral("option/retraining_cadence"));
    setLearnStep(teaching::Step::Problem);

    connect(m_classification, &QRadioButton::toggled, this, [this](bool on) {
        if (on)
            this->session()->setTask(core::TaskType::Classification);
    });
    connect(m_regression, &QRadioButton::toggled, this, [this](bool on) {
        if (on)
            this->session()->setTask(core::TaskType::Regression);
    });
    connect(m_objective, &QLineEdit::textChanged, this, [this](const QString& text) {
        this->session()->setObjective(text);
    });
    connect(m_target, &QComboBox::currentTextChanged, this, [this](const QString& text) {
        this->session()->setTarget(text);
    });
    connect(m_successEnabled, &QCheckBox::toggled, this, [this](bool on) {
        const auto& metrics = evaluation::metricsFor(this->session()->recipe().problem.task);
        const int index = m_metric->currentIndex();
        // A bar of 0 passes every model; start from a common, reachable one instead.
        if (on && m_threshold->value() == 0.0 && index >= 0 && index < int(metrics.size()) &&
            metrics[std::size_t(index)].higherIsBetter) {
            QSignalBlocker block(m_threshold);
            m_threshold->setValue(0.8);
        }
        writeSuccess();
    });
    connect(m_metric, &QComboBox::currentIndexChanged, this, [this] {
        const auto& metrics = evaluation::metricsFor(this->session()->recipe().problem.task);
        const int index = m_metric->currentIndex();
        if (index >= 0 && index < int(metrics.size())) {
            QSignalBlocker block(m_threshold);
            setThresholdRange(m_threshold, metrics[std::size_t(index)]);
        }
        writeSuccess();
    });
    connect(m_threshold, &QDoubleSpinBox::valueChanged, this, &ProblemPage::writeSuccess);
    connect(m_latencyEnabled, &QCheckBox::toggled, this, &ProblemPage::writeLatency);
    connect(m_latency, &QDoubleSpinBox::valueChanged, this, &ProblemPage::writeLatency);
    connect(m_interpretability, &QComboBox::currentIndexChanged, this, [this] {
        if (const auto value = workflow::parseInterpretability(m_interpretability->currentData().toString().toStdString()))
            this->session()->setInterpretability(*value);
    });
    connect(m_retraining, &QComboBox::currentIndexChanged, this, [this] {
        if (const auto value = workflow::parseRetrainingCadence(m_retraining->currentData().toString().toStdString()))
            this->session()->setRetraining(*value);
    });
    connect(m_mistake, &QComboBox::currentIndexChanged, this, &ProblemPage::refreshGuide);
    connect(m_applyAdvice, &QPushButton::clicked, this, [this] {
        const int index = m_metric->findData(m_adviceMetric);
        if (index < 0)
            return;
        {
            QSignalBlocker a(m_successEnabled);
            QSignalBlocker b(m_metric);
            m_successEnabled->setChecked(true);
            m_metric->setCurrentIndex(index);
            const auto& metrics = evaluation::metricsFor(this->session()->recipe().problem.task);
            QSignalBlocker c(m_threshold);
            setThresholdRange(m_threshold, metrics[std::size_t(index)]);
            if (metrics[std::size_t(index)].higherIsBetter && m_threshold->value() == 0.0)
                m_threshold->setValue(0.8);
        }
        writeSuccess();
    });
    connect(m_export, &QPushButton::clicked, this, &ProblemPage::askExport);
    connect(session, &Session::profileChanged, this, &ProblemPage::refresh);
    connect(session, &Session::recipeChanged, this, &ProblemPage::refresh);
    connect(session, &Session::dataChanged, this, &ProblemPage::refresh);
    refresh();
}

void ProblemPage::initializePage() { refresh(); }

void ProblemPage::buildConstraints(QWidget* box)
{
    m_interpretability->setObjectName(QStringLiteral("interpretabilityCombo"));
    m_retraining->setObjectName(QStringLiteral("retrainingCombo"));
    m_interpretabilityNote->setObjectName(QStringLiteral("interpretabilityNote"));
    const std::pair<workflow::Interpretability, QString> levels[] = {
        {workflow::Interpretability::Unspecified, tr("Not decided yet")},
        {workflow::Interpretability::NotNeeded, tr("Not needed — predictions only")},
        {workflow::Interpretability::Preferred, tr("Preferred — explanations help")},
        {workflow::Interpretability::Required, tr("Required — explain every prediction")},
    };
    for (const auto& [value, text] : levels)
        m_interpretability->addItem(text, QString::fromLatin1(workflow::toString(value)));
    m_interpretability->setToolTip(
        tr("How much the people who use the model need to see why it predicts what it does. A loan officer "
           "must explain a refusal; a spam filter need not."));
    const std::pair<workflow::RetrainingCadence, QString> cadences[] = {
        {workflow::RetrainingCadence::Unspecified, tr("Not decided yet")},
        {workflow::RetrainingCadence::Once, tr("Once — trained, then used as it is")},
        {workflow::RetrainingCadence::Daily, tr("Daily")},
        {workflow::RetrainingCadence::Weekly, tr("Weekly")},
        {workflow::RetrainingCadence::Monthly, tr("Monthly")},
        {workflow::RetrainingCadence::Quarterly, tr("Quarterly")},
        {workflow::RetrainingCadence::Yearly, tr("Yearly")},
    };
    for (const auto& [value, text] : cadences)
        m_retraining->addItem(text, QString::fromLatin1(workflow::toString(value)));
    m_retraining->setToolTip(tr("How often new data arrives and the model is trained again. A frequent cadence "
                                "favours models that train quickly and a recipe that runs without hand edits "
                                "(stepwise-cli run)."));
    // Long item texts must not widen the page beyond a small window: the combo boxes elide.
    for (QComboBox* box : {m_interpretability, m_retraining}) {
        box->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
        box->setMinimumContentsLength(18);
        box->setMinimumWidth(220);
    }

    auto* layout = new QGridLayout(box);
    auto* interpretLabel = new QLabel(tr("&Interpretability:"), box);
    interpretLabel->setBuddy(m_interpretability);
    auto* retrainLabel = new QLabel(tr("&Retraining:"), box);
    retrainLabel->setBuddy(m_retraining);
    // Two halves side by side: the latency budget, then how explainable and how often.
    layout->addWidget(m_latencyEnabled, 0, 0);
    layout->addWidget(m_latency, 0, 1);
    layout->addWidget(m_latencyHelp, 1, 0, 3, 3);
    layout->addWidget(interpretLabel, 0, 4);
    layout->addWidget(m_interpretability, 0, 5);
    layout->addWidget(m_interpretabilityNote, 1, 4, 1, 3);
    layout->addWidget(retrainLabel, 2, 4);
    layout->addWidget(m_retraining, 2, 5);
    layout->setColumnMinimumWidth(3, 16);
    layout->setColumnStretch(2, 1);
    layout->setColumnStretch(6, 1);
    layout->setRowStretch(3, 1);
}

void ProblemPage::buildGuide(QWidget* box)
{
    m_mistake->setObjectName(QStringLiteral("mistakeCombo"));
    m_advice->setObjectName(QStringLiteral("metricAdviceLabel"));
    m_applyAdvice->setObjectName(QStringLiteral("applyMetricAdviceButton"));
    m_advice->setTextFormat(Qt::RichText);
    m_mistake->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_mistake->setMinimumContentsLength(16);
    m_mistake->setToolTip(tr("Think of one wrong prediction of each kind and what it costs the people affected."));
    m_applyAdvice->setToolTip(tr("Make the recommended metric the success metric."));
    auto* layout = new QGridLayout(box);
    auto* question = new QLabel(tr("Which &mistake costs more?"), box);
    question->setBuddy(m_mistake);
    layout->addWidget(question, 0, 0);
    layout->addWidget(m_mistake, 0, 1);
    layout->addWidget(m_applyAdvice, 0, 2);
    layout->addWidget(m_advice, 1, 0, 1, 4);
    layout->setColumnStretch(3, 1);
}

void ProblemPage::refreshGuide()
{
    const auto task = session()->recipe().problem.task;
    if (m_mistake->count() == 0 || m_mistake->property("task").toInt() != int(task)) {
        QSignalBlocker block(m_mistake);
        m_mistake->clear();
        if (task == core::TaskType::Classification) {
            m_mistake->addItem(tr("Both cost the same"), int(workflow::MistakeCost::Equal));
            m_mistake->addItem(tr("Missing a real case (a missed positive)"),
                               int(workflow::MistakeCost::MissedPositives));
            m_mistake->addItem(tr("A false alarm"), int(workflow::MistakeCost::FalseAlarms));
        } else {
            m_mistake->addItem(tr("Every unit of error alike"), int(workflow::MistakeCost::Equal));
            m_mistake->addItem(tr("Large errors cost more than their size"), int(workflow::MistakeCost::LargeErrors));
        }
        m_mistake->setProperty("task", int(task));
    }
    const auto cost = static_cast<workflow::MistakeCost>(m_mistake->currentData().toInt());
    const std::vector<std::size_t> counts =
        task == core::TaskType::Classification ? session()->classCounts() : std::vector<std::size_t>{};
    const auto advice = workflow::recommendMetric(task, counts, cost);
    m_adviceMetric = QString::fromStdString(advice.metric);
    QString display = m_adviceMetric;
    for (const auto& metric : evaluation::metricsFor(task))
        if (metric.name == advice.metric)
            display = QString::fromStdString(metric.displayName);
    m_advice->setText(tr("Recommended: <b>%1</b> — %2")
                          .arg(display.toHtmlEscaped(), QString::fromStdString(advice.reason).toHtmlEscaped()));
    m_applyAdvice->setText(tr("&Use %1").arg(display));
    const auto& success = session()->recipe().problem.success;
    m_applyAdvice->setEnabled(!success || success->metric != advice.metric);
}

QString ProblemPage::metricAdvice() const { return m_advice->text(); }

void ProblemPage::refreshWarnings()
{
    const auto& problem = session()->recipe().problem;
    std::optional<workflow::Misconception> imbalanced;
    if (problem.task == core::TaskType::Classification && problem.success)
        imbalanced = workflow::accuracyOnImbalancedTarget(problem.success->metric, session()->classCounts(),
                                                          session()->classLabels());
    showMisconception(banner(), "accuracy_on_imbalanced", imbalanced);

    QString note;
    switch (problem.interpretability) {
    case workflow::Interpretability::Unspecified:
        note = tr("Say how much the people who use the model need to see why it predicts what it does.");
        break;
    case workflow::Interpretability::NotNeeded: note = tr("Any model may be kept; judge them by the metric."); break;
    case workflow::Interpretability::Preferred:
        note = tr("Start with an explainable model (linear, a shallow tree); keep a forest or boosting only if it "
                  "is clearly better.");
        break;
    case workflow::Interpretability::Required:
        note = tr("Models that fit: linear and logistic regression, ridge, lasso, linear SVM, naive Bayes, and "
                  "decision trees with max_depth ≤ 4. Random forests, gradient boosting and kNN do not — the "
                  "Training step warns when one is kept.");
        break;
    }
    m_interpretabilityNote->setText(note);
}

void ProblemPage::askExport()
{
    QString path = QFileDialog::getSaveFileName(this, tr("Export problem statement"),
                                                QStringLiteral("problem-statement.json"),
                                                tr("JSON (*.json);;All files (*)"));
    if (path.isEmpty())
        return;
    if (QFileInfo(path).suffix().isEmpty())
        path += QStringLiteral(".json");
    exportProblemStatement(path);
}

bool ProblemPage::exportProblemStatement(const QString& path)
{
    const std::string json = workflow::problemToJson(session()->recipe().problem);
    try {
        io::writeFileAtomically(path.toStdString(), [&](std::ostream& out) { out << json << '\n'; });
    } catch (const core::Error& error) {
        banner()->setMessage(QStringLiteral("export-problem"), StatusBanner::Level::Error,
                             tr("The problem statement was not saved — %1").arg(QString::fromUtf8(error.what())));
        return false;
    }
    banner()->setMessage(QStringLiteral("export-problem"), StatusBanner::Level::Success,
                         tr("Problem statement saved to %1.").arg(QDir::toNativeSeparators(path)));
    return true;
}

void ProblemPage::fillMetrics()
{
    const auto task = session()->recipe().problem.task;
    const auto& metrics = evaluation::metricsFor(task);
    const QString wanted = m_metric->property("task").toInt() == int(task) ? m_metric->currentData().toString()
                                                                           : QString();
    QSignalBlocker block(m_metric);
    m_metric->clear();
    for (const auto& metric : metrics) {
        const QString display = QString::fromStdString(metric.displayName);
        const QString name = QString::fromStdString(metric.name);
        m_metric->addItem(display.compare(name, Qt::CaseInsensitive) == 0 ? display
                                                                          : QStringLiteral("%1 · %2").arg(display, name),
                          name);
        m_metric->setItemData(m_metric->count() - 1, QString::fromStdString(metric.help), Qt::ToolTipRole);
    }
    m_metric->setProperty("task", int(task));
    if (!wanted.isEmpty())
        m_metric->setCurrentIndex(m_metric->findData(wanted));
}

void ProblemPage::fillTargets()
{
    const auto table = session()->table();
    const QString target = QString::fromStdString(session()->recipe().problem.target);
    QStringList names;
    if (table) {
        for (const auto& name : table->columnNames())
            names << QString::fromStdString(name);
    }
    QStringList existing;
    for (int i = 0; i < m_target->count(); ++i)
        existing << m_target->itemText(i);
    QSignalBlocker block(m_target);
    if (existing != names) {
        m_target->clear();
        m_target->addItems(names);
    }
    if (m_target->currentText() != target)
        m_target->setCurrentText(target);
    if (table) {
        m_targetNote->setText(tr("Columns of %1. You can also pick the target on the Data step.")
                                  .arg(QString::fromStdString(session()->loadedSource().describe())));
    } else {
        m_targetNote->setText(
            tr("Type the column name, or leave it for the Data step, where the loaded columns are listed."));
    }
}

void ProblemPage::refresh()
{
    const auto& problem = session()->recipe().problem;
    {
        QSignalBlocker a(m_classification);
        QSignalBlocker b(m_regression);
        m_classification->setChecked(problem.task == core::TaskType::Classification);
        m_regression->setChecked(problem.task == core::TaskType::Regression);
    }
    const QString objective = QString::fromStdString(problem.objective);
    if (m_objective->text() != objective) {
        QSignalBlocker block(m_objective);
        m_objective->setText(objective);
    }
    fillTargets();
    if (m_metric->count() == 0 || m_metric->property("task").toInt() != int(problem.task))
        fillMetrics();

    const auto& metrics = evaluation::metricsFor(problem.task);
    {
        QSignalBlocker a(m_successEnabled);
        QSignalBlocker b(m_metric);
        QSignalBlocker c(m_threshold);
        m_successEnabled->setChecked(problem.success.has_value());
        if (problem.success) {
            const int index = m_metric->findData(QString::fromStdString(problem.success->metric));
            if (index >= 0)
                m_metric->setCurrentIndex(index);
        }
        const int index = m_metric->currentIndex();
        if (index >= 0 && index < int(metrics.size()))
            setThresholdRange(m_threshold, metrics[std::size_t(index)]);
        if (problem.success)
            m_threshold->setValue(problem.success->threshold);
    }
    const int index = m_metric->currentIndex();
    const bool enabled = m_successEnabled->isChecked();
    m_metric->setEnabled(enabled);
    m_threshold->setEnabled(enabled);
    m_comparator->setEnabled(enabled);
    if (index >= 0 && index < int(metrics.size())) {
        const auto& metric = metrics[std::size_t(index)];
        m_comparator->setText(metric.higherIsBetter ? QStringLiteral("≥") : QStringLiteral("≤"));
        m_metricHelp->setText(QString::fromStdString(metric.help));
        m_metric->setToolTip(QString::fromStdString(metric.help));
    }
    {
        QSignalBlocker a(m_latencyEnabled);
        QSignalBlocker b(m_latency);
        m_latencyEnabled->setChecked(problem.maxLatencyMs.has_value());
        // Re-setting the value while the user types would reformat the text under the cursor.
        if (problem.maxLatencyMs && m_latency->value() != *problem.maxLatencyMs)
            m_latency->setValue(*problem.maxLatencyMs);
    }
    m_latency->setEnabled(m_latencyEnabled->isChecked());
    {
        QSignalBlocker a(m_interpretability);
        QSignalBlocker b(m_retraining);
        m_interpretability->setCurrentIndex(
            m_interpretability->findData(QString::fromLatin1(workflow::toString(problem.interpretability))));
        m_retraining->setCurrentIndex(m_retraining->findData(QString::fromLatin1(workflow::toString(problem.retraining))));
    }
    refreshGuide();
    refreshWarnings();
    m_summary->setRecipe(session()->recipe(), session()->table() != nullptr);
    updateCompleteness();
}

void ProblemPage::writeLatency()
{
    session()->setMaxLatency(m_latencyEnabled->isChecked() ? std::optional<double>(m_latency->value()) : std::nullopt);
    refresh();
}

void ProblemPage::writeSuccess()
{
    const auto& metrics = evaluation::metricsFor(session()->recipe().problem.task);
    const int index = m_metric->currentIndex();
    if (!m_successEnabled->isChecked() || index < 0 || index >= int(metrics.size())) {
        session()->setSuccess(std::nullopt);
        refresh();
        return;
    }
    const auto& metric = metrics[std::size_t(index)];
    evaluation::SuccessCriterion criterion;
    criterion.metric = metric.name;
    criterion.atLeast = metric.higherIsBetter;
    criterion.threshold = m_threshold->value();
    session()->setSuccess(criterion);
    refresh();
}

QString ProblemPage::incompleteReason() const
{
    const auto& problem = session()->recipe().problem;
    if (QString::fromStdString(problem.objective).trimmed().isEmpty())
        return tr("describe the objective in one sentence.");
    const auto table = session()->table();
    if (table && !problem.target.empty() && !table->hasColumn(problem.target))
        return tr("“%1” is not a column of the loaded data — pick the target from the list.")
            .arg(QString::fromStdString(problem.target));
    return {};
}

} // namespace stepwise::ui
