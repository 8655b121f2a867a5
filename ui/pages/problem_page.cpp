#include "pages/problem_page.hpp"

#include <QButtonGroup>
#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QRadioButton>
#include <QSignalBlocker>
#include <QVBoxLayout>

#include <limits>

#include "session/session.hpp"
#include "stepwise/evaluation/success.hpp"
#include "widgets/recipe_summary.hpp"
#include "widgets/engine_text.hpp"

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
    successLayout->setRowMinimumHeight(3, 10);
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
    successLayout->addWidget(m_latencyEnabled, 4, 0, 1, 2);
    successLayout->addWidget(m_latency, 4, 2);
    successLayout->addWidget(m_latencyHelp, 5, 0, 1, 4);
    successLayout->setColumnStretch(3, 1);
    successLayout->setRowStretch(6, 1);
    m_metric->setMinimumWidth(220);
    m_threshold->setMinimumWidth(110);

    auto* top = new QHBoxLayout;
    top->addWidget(taskBox, 2);
    top->addWidget(successBox, 3);
    contentLayout()->addWidget(goalBox);
    contentLayout()->addLayout(top);
    contentLayout()->addSpacing(6);
    contentLayout()->addWidget(m_summary);
    contentLayout()->addStretch(1);

    setLearnText(tr("<p>Every project starts with a question. <b>Classification</b> answers <i>which one?</i>; "
                    "<b>regression</b> answers <i>how much?</i></p>"
                    "<p>The <b>target</b> is the column you want to predict; every other column may become an "
                    "input.</p>"
                    "<p>Set the <b>success criterion</b> before training. Deciding the bar after seeing the "
                    "numbers makes any result look good.</p>"
                    "<p><b>Tip:</b> for unbalanced classes prefer F1 (macro) over accuracy: predicting the "
                    "majority class always scores a high accuracy.</p>"
                    "<p>A <b>latency budget</b> matters when the model will answer requests one at a time: a "
                    "slower, more accurate model may miss the deadline.</p>"));

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
    connect(session, &Session::recipeChanged, this, &ProblemPage::refresh);
    connect(session, &Session::dataChanged, this, &ProblemPage::refresh);
    refresh();
}

void ProblemPage::initializePage() { refresh(); }

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
        m_metric->setItemData(m_metric->count() - 1, engineText(metric.help), Qt::ToolTipRole);
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
        m_metricHelp->setText(engineText(metric.help));
        m_metric->setToolTip(engineText(metric.help));
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
