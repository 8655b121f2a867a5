#include "pages/evaluation_page.hpp"

#include <QButtonGroup>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QPlainTextEdit>
#include <QSplitter>
#include <QStackedWidget>
#include <QTabWidget>
#include <QTableWidget>
#include <QToolButton>
#include <QVBoxLayout>

#include <array>
#include <cmath>
#include <tuple>

#include "models/confusion_matrix_model.hpp"
#include "session/session.hpp"
#include "stepwise/evaluation/metrics.hpp"
#include "stepwise/evaluation/success.hpp"
#include "stepwise/models/registry.hpp"
#include "widgets/charts/scatter_chart.hpp"
#include "widgets/heatmap_widget.hpp"
#include "widgets/status_banner.hpp"
#include "widgets/verdict_badge.hpp"

namespace stepwise::ui {

QString formatMetric(double value, std::optional<double> threshold)
{
    if (!std::isfinite(value))
        return QString::number(value);
    const double magnitude = std::abs(value);
    int decimals = magnitude >= 1000 ? 1 : 3;
    QString text = QString::number(value, 'f', decimals);
    // 0.7496 must not print as "0.750" next to a threshold of 0.75.
    while (threshold && value != *threshold && text.toDouble() == *threshold && decimals < 10)
        text = QString::number(value, 'f', ++decimals);
    return text;
}

EvaluationPage::EvaluationPage(Session* session, QWidget* parent)
    : WizardStepPage(session, tr("Evaluation"),
                     tr("Scores on the test rows — data the model never saw while it trained."), parent),
      m_verdict(new VerdictBadge(this)),
      m_summary(makeNote({}, this)),
      m_metrics(new QTableWidget(this)),
      m_views(new QStackedWidget(this)),
      m_classificationView(new QWidget(this)),
      m_matrixModel(new ConfusionMatrixModel(this)),
      m_matrix(new HeatmapWidget(this)),
      m_scatter(new ScatterChart(this)),
      m_reportBox(nullptr),
      m_perClass(new QTableWidget(this)),
      m_report(new QPlainTextEdit(this))
{
    m_summary->setObjectName(QStringLiteral("evaluationSummary"));
    m_metrics->setObjectName(QStringLiteral("metricsTable"));
    m_matrix->setObjectName(QStringLiteral("evaluationConfusionMatrix"));
    m_perClass->setObjectName(QStringLiteral("perClassTable"));
    m_report->setObjectName(QStringLiteral("classificationReport"));

    auto* top = new QVBoxLayout;
    top->setSpacing(4);
    top->addWidget(m_verdict);
    top->addWidget(m_summary);
    contentLayout()->addLayout(top);

    m_metrics->setColumnCount(2);
    m_metrics->setHorizontalHeaderLabels({tr("Metric"), tr("Value")});
    m_metrics->verticalHeader()->setVisible(false);
    m_metrics->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_metrics->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_metrics->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Stretch);
    m_metrics->horizontalHeader()->setSectionResizeMode(1, QHeaderView::ResizeToContents);
    m_metrics->verticalHeader()->setDefaultSectionSize(m_metrics->fontMetrics().height() + 9);
    m_metrics->setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_metrics->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);

    m_perClass->setColumnCount(5);
    m_perClass->setHorizontalHeaderLabels({tr("Class"), tr("Precision"), tr("Recall"), tr("F1"), tr("Support")});
    m_perClass->verticalHeader()->setVisible(false);
    m_perClass->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_perClass->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_perClass->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    m_perClass->horizontalHeader()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    m_perClass->verticalHeader()->setDefaultSectionSize(m_perClass->fontMetrics().height() + 8);
    m_perClass->horizontalHeaderItem(1)->setToolTip(tr("Of the rows predicted as this class, the share that were"));
    m_perClass->horizontalHeaderItem(2)->setToolTip(tr("Of the rows that are this class, the share found"));
    m_perClass->horizontalHeaderItem(3)->setToolTip(tr("Harmonic mean of precision and recall"));
    m_perClass->horizontalHeaderItem(4)->setToolTip(tr("Number of test rows of this class"));
    m_perClass->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
    QFont mono = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    mono.setPointSizeF(font().pointSizeF() * 0.95);
    m_report->setFont(mono);
    m_report->setReadOnly(true);
    m_report->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_report->setToolTip(tr("The same layout as scikit-learn's classification_report — paste it into notes"));
    m_reportBox = new QWidget(this);
    auto* details = new QVBoxLayout(m_reportBox);
    details->setContentsMargins(0, 0, 0, 0);
    details->addWidget(makeSectionTitle(tr("Per class"), this));
    details->addWidget(m_perClass);
    details->addSpacing(6);
    details->addWidget(makeSectionTitle(tr("Text report (as scikit-learn prints it)"), this));
    details->addWidget(m_report, 1);

    auto* left = new QWidget(this);
    auto* leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(0, 0, 0, 0);
    leftLayout->addWidget(makeSectionTitle(tr("Metrics on the test rows"), this));
    leftLayout->addWidget(m_metrics);
    leftLayout->addWidget(makeNote(tr("Hover a metric for what it means. ★ marks your success metric."), this));
    leftLayout->addSpacing(6);
    leftLayout->addWidget(m_reportBox, 1);
    leftLayout->addStretch(0);
    left->setFixedWidth(410);

    // Counts or row shares: the same matrix read two ways; row shares are fair to small classes.
    auto* toggle = new QWidget(this);
    auto* toggleLayout = new QHBoxLayout(toggle);
    toggleLayout->setContentsMargins(0, 0, 0, 0);
    toggleLayout->setSpacing(0);
    auto* modes = new QButtonGroup(toggle);
    const std::array<std::tuple<ConfusionMatrixModel::Mode, QString, QString, const char*>, 2> choices = {{
        {ConfusionMatrixModel::Mode::Counts, tr("Counts"), tr("Shade by the number of rows in each cell"),
         "countsButton"},
        {ConfusionMatrixModel::Mode::RowNormalized, tr("Row %"),
         tr("Shade by the share of each actual class (row) that landed in the cell — small classes count as much "
            "as big ones"),
         "rowPercentButton"},
    }};
    for (const auto& [mode, text, tip, name] : choices) {
        auto* button = new QToolButton(toggle);
        button->setText(text);
        button->setToolTip(tip);
        button->setObjectName(QString::fromLatin1(name));
        button->setCheckable(true);
        button->setChecked(mode == m_matrixModel->mode());
        modes->addButton(button, int(mode));
        toggleLayout->addWidget(button);
    }
    connect(modes, &QButtonGroup::idToggled, this, [this](int id, bool on) {
        if (on)
            m_matrixModel->setMode(ConfusionMatrixModel::Mode(id));
    });
    connect(m_matrixModel, &ConfusionMatrixModel::modeChanged, modes,
            [modes](ConfusionMatrixModel::Mode mode) { modes->button(int(mode))->setChecked(true); });
    m_matrix->setModel(m_matrixModel);
    m_matrix->setCornerWidget(toggle);

    auto* matrixLayout = new QVBoxLayout(m_classificationView);
    matrixLayout->setContentsMargins(0, 0, 0, 0);
    matrixLayout->addWidget(makeSectionTitle(tr("Confusion matrix of the test rows"), this));
    matrixLayout->addWidget(m_matrix, 1);
    m_views->addWidget(m_classificationView);
    m_views->addWidget(m_scatter);

    auto* row = new QHBoxLayout;
    row->setSpacing(16);
    row->addWidget(left);
    row->addWidget(m_views, 1);
    contentLayout()->addLayout(row, 1);

    setLearnText(tr("<p>The <b>test rows</b> were held back, so these scores estimate how the model does on new "
                    "data.</p>"
                    "<p>Read the <b>confusion matrix</b> row by row: each row is an actual class, each column a "
                    "prediction; the diagonal is correct. Off-diagonal cells show which classes get mixed up.</p>"
                    "<p><b>Precision</b>: when it says X, how often is it right? <b>Recall</b>: of all X, how "
                    "many does it find? <b>F1</b> balances the two.</p>"
                    "<p>Compare with a baseline: always predicting the largest class already scores its share "
                    "as accuracy.</p>"));

    connect(session, &Session::resultChanged, this, &EvaluationPage::refresh);
    connect(session, &Session::recipeChanged, this, &EvaluationPage::refreshVerdict);
    refresh();
}

void EvaluationPage::initializePage() { refresh(); }

void EvaluationPage::refresh()
{
    const auto result = session()->result();
    m_metrics->setRowCount(0);
    m_perClass->setRowCount(0);
    m_report->clear();
    if (!result) {
        m_matrixModel->clear();
        m_matrix->setPlaceholderText(tr("Train a model to see its confusion matrix."));
        m_scatter->clear(tr("Train a model to see its predictions."));
        m_summary->clear();
        refreshVerdict();
        return;
    }
    const auto& recipe = session()->resultRecipe();
    const auto task = recipe.problem.task;
    QString modelName = QString::fromStdString(recipe.model.name);
    for (const auto& info : models::modelRegistry()) {
        if (info.name == recipe.model.name)
            modelName = QString::fromStdString(info.displayName);
    }
    const QLocale locale;
    m_summary->setText(tr("%1 · target “%2” · trained on %3 rows, tested on %4 rows%5 · seed %6")
                           .arg(modelName, QString::fromStdString(recipe.problem.target),
                                locale.toString(qulonglong(result->trainRowCount)),
                                locale.toString(qulonglong(result->testRows.size())),
                                result->separateTestData
                                    ? tr(" (separate test data)")
                                    : tr(" (%1% held out%2)")
                                          .arg(QString::number(recipe.prep.testSize * 100, 'f', 0))
                                          .arg(recipe.prep.stratify && task == core::TaskType::Classification
                                                   ? tr(", stratified")
                                                   : QString()))
                           .arg(recipe.seed));

    const auto& metricInfos = evaluation::metricsFor(task);
    const auto& success = session()->recipe().problem.success;
    for (const auto& info : metricInfos) {
        std::optional<double> value;
        if (result->classification)
            value = evaluation::metricValue(*result->classification, info.name);
        else if (result->regression)
            value = evaluation::metricValue(*result->regression, info.name);
        const int row = m_metrics->rowCount();
        m_metrics->insertRow(row);
        auto* name = new QTableWidgetItem(QString::fromStdString(info.displayName));
        const QString tip = QStringLiteral("%1 (%2)\n%3\n%4")
                                .arg(QString::fromStdString(info.displayName), QString::fromStdString(info.name),
                                     QString::fromStdString(info.help),
                                     info.higherIsBetter ? tr("Higher is better.") : tr("Lower is better."));
        name->setToolTip(tip);
        name->setData(Qt::UserRole, QString::fromStdString(info.name));
        auto* cell = new QTableWidgetItem(value ? formatMetric(*value) : QStringLiteral("—"));
        cell->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
        cell->setToolTip(value ? tip : tr("Not computed: a class is missing from the test rows, or the model gives no "
                                          "probabilities."));
        if (value)
            cell->setData(Qt::UserRole, *value);
        if (success && success->metric == info.name) {
            QFont bold = name->font();
            bold.setBold(true);
            name->setFont(bold);
            cell->setFont(bold);
            name->setText(name->text() + tr("  ★"));
            name->setToolTip(tip + tr("\nThis is your success metric."));
        }
        m_metrics->setItem(row, 0, name);
        m_metrics->setItem(row, 1, cell);
    }

    m_metrics->setFixedHeight(m_metrics->horizontalHeader()->sizeHint().height() +
                              m_metrics->rowCount() * m_metrics->verticalHeader()->defaultSectionSize() +
                              2 * m_metrics->frameWidth() + 4);
    m_reportBox->setVisible(result->classification.has_value());
    if (result->classification) {
        m_views->setCurrentWidget(m_classificationView);
        QStringList names;
        std::vector<std::string> classNames;
        if (result->pipeline)
            classNames = result->pipeline->classes();
        for (const auto& name : classNames)
            names << QString::fromStdString(name);
        m_matrixModel->setMatrix(result->classification->confusion, names);
        const auto& perClass = result->classification->perClass;
        for (std::size_t i = 0; i < perClass.size(); ++i) {
            const int row = m_perClass->rowCount();
            m_perClass->insertRow(row);
            const auto& scores = perClass[i];
            m_perClass->setItem(row, 0,
                                new QTableWidgetItem(i < classNames.size() ? QString::fromStdString(classNames[i])
                                                                            : QString::number(i)));
            const double values[] = {scores.precision, scores.recall, scores.f1};
            for (int c = 0; c < 3; ++c) {
                auto* item = new QTableWidgetItem(QString::number(values[c], 'f', 3));
                item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
                m_perClass->setItem(row, c + 1, item);
            }
            auto* support = new QTableWidgetItem(locale.toString(qulonglong(scores.support)));
            support->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
            m_perClass->setItem(row, 4, support);
        }
        const int shownRows = std::min(m_perClass->rowCount(), 8);
        m_perClass->setFixedHeight(m_perClass->horizontalHeader()->sizeHint().height() +
                                   shownRows * m_perClass->verticalHeader()->defaultSectionSize() +
                                   2 * m_perClass->frameWidth() + 4);
        m_report->setPlainText(
            QString::fromStdString(evaluation::classificationReport(*result->classification, classNames)));
    } else if (result->regression) {
        m_views->setCurrentWidget(m_scatter);
        const auto& predicted = result->testPredictions.values;
        m_scatter->setData(result->testActualValue, predicted, QString::fromStdString(recipe.problem.target));
    }
    refreshVerdict();
}

void EvaluationPage::refreshVerdict()
{
    const auto result = session()->result();
    banner()->clearMessage(QStringLiteral("stale"));
    if (!result) {
        m_verdict->setVerdict(VerdictBadge::Outcome::Neutral, tr("No result yet"),
                              tr("Train a model on the Training step to evaluate it."));
        updateCompleteness();
        return;
    }
    if (!session()->hasCurrentResult())
        banner()->setMessage(QStringLiteral("stale"), StatusBanner::Level::Warning,
                             tr("These results come from earlier settings. Train again on the Training step to "
                                "evaluate the current recipe."));
    const auto verdict = session()->verdict();
    if (!verdict) {
        QString headline;
        if (result->classification)
            headline = tr("accuracy = %1").arg(formatMetric(result->classification->accuracy));
        else if (result->regression)
            headline = tr("R² = %1").arg(formatMetric(result->regression->r2));
        m_verdict->setVerdict(VerdictBadge::Outcome::Neutral, tr("No success criterion set"),
                              tr("%1 — set a criterion on the Problem step for a pass/fail verdict.").arg(headline));
    } else {
        const auto& criterion = verdict->criterion;
        const QString metric = QString::fromStdString(criterion.metric);
        const QString threshold = QString::number(criterion.threshold, 'g', 6);
        if (!verdict->value) {
            m_verdict->setVerdict(VerdictBadge::Outcome::Failed, tr("Success criterion not met"),
                                  tr("%1 could not be computed on the test rows (criterion %2)")
                                      .arg(metric, QString::fromStdString(criterion.toString())));
        } else {
            const QString comparison = verdict->passed ? (criterion.atLeast ? QStringLiteral("≥") : QStringLiteral("≤"))
                                                       : (criterion.atLeast ? QStringLiteral("<") : QStringLiteral(">"));
            const QString detail = QStringLiteral("%1 = %2 %3 %4 %5")
                                       .arg(metric, formatMetric(*verdict->value, criterion.threshold), comparison,
                                            threshold, verdict->passed ? QStringLiteral("✓") : QStringLiteral("✗"));
            m_verdict->setVerdict(verdict->passed ? VerdictBadge::Outcome::Passed : VerdictBadge::Outcome::Failed,
                                  verdict->passed ? tr("Success criterion met") : tr("Success criterion not met"),
                                  detail);
        }
    }
    updateCompleteness();
}

QString EvaluationPage::incompleteReason() const
{
    if (!session()->result())
        return tr("train a model on the Training step first.");
    return {};
}

} // namespace stepwise::ui
