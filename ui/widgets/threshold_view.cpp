#include "widgets/threshold_view.hpp"

#include <QDoubleSpinBox>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QSlider>
#include <QStackedWidget>
#include <QTableWidget>
#include <QVBoxLayout>
#include <QVariantAnimation>

#include <algorithm>
#include <cmath>

#include "models/confusion_matrix_model.hpp"
#include "tasks/evaluation_curves.hpp"
#include "widgets/charts/chart_view.hpp"
#include "widgets/charts/curve_chart.hpp"
#include "widgets/heatmap_widget.hpp"
#include "widgets/teaching/confusion_explanation.hpp"
#include "widgets/teaching/fold_diagram.hpp"

namespace stepwise::ui {
namespace {

constexpr int kSliderSteps = 1000;

QString rate(double value) { return QString::number(value, 'f', 3); }

QLabel* muted(const QString& text, QWidget* parent)
{
    auto* label = new QLabel(text, parent);
    label->setWordWrap(true);
    QPalette pal = label->palette();
    QColor ink = pal.color(QPalette::WindowText);
    ink.setAlphaF(0.7);
    pal.setColor(QPalette::WindowText, ink);
    label->setPalette(pal);
    return label;
}

} // namespace

ThresholdView::ThresholdView(QWidget* parent)
    : QWidget(parent),
      m_pages(new QStackedWidget(this)),
      m_message(new QLabel(this)),
      m_rule(new QLabel(this)),
      m_status(muted({}, this)),
      m_slider(new QSlider(Qt::Horizontal, this)),
      m_spin(new QDoubleSpinBox(this)),
      m_bestF1(new QPushButton(tr("Maximise F1"), this)),
      m_recallButton(new QPushButton(tr("Recall ≥"), this)),
      m_recall(new QDoubleSpinBox(this)),
      m_reset(new QPushButton(tr("Back to 0.5"), this)),
      m_matrixModel(new ConfusionMatrixModel(this)),
      m_matrix(new HeatmapWidget(this)),
      m_rates(new QTableWidget(this)),
      m_roc(new CurveChart(this)),
      m_pr(new CurveChart(this)),
      m_explanation(new QLabel(this)),
      m_sweepButton(new QPushButton(tr("Sweep 0 → 1"), this)),
      m_sweep(new QVariantAnimation(this))
{
    m_explanation->setObjectName(QStringLiteral("thresholdExplanation"));
    m_explanation->setWordWrap(true);
    m_explanation->setTextFormat(Qt::PlainText);
    m_sweepButton->setObjectName(QStringLiteral("sweepButton"));
    m_sweepButton->setToolTip(tr("Move the threshold slowly from 0 to 1 and watch the confusion matrix and the rates "
                                 "change"));
    m_sweep->setStartValue(0.0);
    m_sweep->setEndValue(1.0);
    m_sweep->setDuration(8000);
    setObjectName(QStringLiteral("thresholdView"));
    m_slider->setObjectName(QStringLiteral("thresholdSlider"));
    m_spin->setObjectName(QStringLiteral("thresholdSpin"));
    m_bestF1->setObjectName(QStringLiteral("maximiseF1Button"));
    m_recallButton->setObjectName(QStringLiteral("recallButton"));
    m_recall->setObjectName(QStringLiteral("recallSpin"));
    m_reset->setObjectName(QStringLiteral("resetThresholdButton"));
    m_matrix->setObjectName(QStringLiteral("thresholdMatrix"));
    m_rates->setObjectName(QStringLiteral("thresholdRates"));
    m_roc->setObjectName(QStringLiteral("thresholdRoc"));
    m_pr->setObjectName(QStringLiteral("thresholdPrecisionRecall"));

    stylePlaceholder(m_message);

    m_slider->setRange(0, kSliderSteps);
    m_slider->setSingleStep(1);
    m_slider->setPageStep(50);
    m_slider->setToolTip(tr("Rows whose probability of the positive class is above this threshold are predicted "
                            "positive. Arrow keys move it by 0.001, Page Up/Down by 0.05."));
    m_spin->setRange(0.0, 1.0);
    m_spin->setDecimals(3);
    m_spin->setSingleStep(0.01);
    m_spin->setToolTip(m_slider->toolTip());
    m_recall->setRange(0.0, 1.0);
    m_recall->setDecimals(2);
    m_recall->setSingleStep(0.05);
    m_recall->setValue(0.90);
    m_recall->setToolTip(tr("The smallest share of the positive rows that must be found"));
    m_bestF1->setToolTip(tr("Move the threshold to where F1 — the balance of precision and recall — is highest on "
                            "the test rows"));
    m_recallButton->setToolTip(tr("Move the threshold to the most precise place that still finds at least this "
                                  "share of the positive rows"));
    m_reset->setToolTip(tr("Back to 0.5, the threshold the saved model uses"));

    auto* controls = new QWidget(this);
    auto* controlLayout = new QVBoxLayout(controls);
    controlLayout->setContentsMargins(0, 0, 0, 0);
    controlLayout->setSpacing(6);
    auto* sliderRow = new QHBoxLayout;
    sliderRow->addWidget(m_rule);
    sliderRow->addWidget(m_slider, 1);
    sliderRow->addWidget(m_spin);
    controlLayout->addLayout(sliderRow);
    auto* buttonRow = new QHBoxLayout;
    buttonRow->addWidget(m_bestF1);
    buttonRow->addSpacing(8);
    buttonRow->addWidget(m_recallButton);
    buttonRow->addWidget(m_recall);
    buttonRow->addSpacing(8);
    buttonRow->addWidget(m_reset);
    buttonRow->addSpacing(8);
    buttonRow->addWidget(m_sweepButton);
    buttonRow->addSpacing(12);
    buttonRow->addWidget(m_status, 1);
    controlLayout->addLayout(buttonRow);
    auto* note = muted(tr("The threshold changes how the probabilities are read, not the trained model: the saved "
                          "model (Export step) still predicts the positive class above 0.5."),
                       this);
    note->setToolTip(tr("To use another threshold, apply it to the probabilities the saved model gives "
                        "(stepwise-cli predict --proba)."));
    note->setObjectName(QStringLiteral("thresholdNote"));
    controlLayout->addWidget(m_explanation);
    controlLayout->addWidget(note);

    m_rates->setColumnCount(3);
    m_rates->setRowCount(5);
    m_rates->setHorizontalHeaderLabels({tr("Rate"), tr("Here"), tr("At 0.5")});
    m_rates->horizontalHeaderItem(2)->setToolTip(tr("The saved model's reading: positive above 0.5"));
    m_rates->verticalHeader()->setVisible(false);
    m_rates->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_rates->setSelectionMode(QAbstractItemView::NoSelection);
    m_rates->setFocusPolicy(Qt::NoFocus);
    m_rates->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    m_rates->verticalHeader()->setDefaultSectionSize(m_rates->fontMetrics().height() + 8);
    m_rates->setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_rates->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    const QString names[] = {tr("Precision"), tr("Recall"), tr("F1"), tr("Specificity"), tr("Accuracy")};
    const QString tips[] = {
        tr("Of the rows predicted positive, the share that are — TP / (TP + FP)"),
        tr("Of the positive rows, the share found — TP / (TP + FN)"),
        tr("Harmonic mean of precision and recall"),
        tr("Of the negative rows, the share rightly left out — TN / (TN + FP)"),
        tr("Share of all rows predicted correctly"),
    };
    for (int row = 0; row < 5; ++row) {
        auto* name = new QTableWidgetItem(names[row]);
        name->setToolTip(tips[row]);
        m_rates->setItem(row, 0, name);
        for (int column = 1; column < 3; ++column) {
            auto* item = new QTableWidgetItem;
            item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
            m_rates->setItem(row, column, item);
        }
        QFont bold = m_rates->item(row, 1)->font();
        bold.setBold(true);
        m_rates->item(row, 1)->setFont(bold);
    }
    m_rates->setFixedHeight(m_rates->horizontalHeader()->sizeHint().height() +
                            5 * m_rates->verticalHeader()->defaultSectionSize() + 2 * m_rates->frameWidth() + 6);

    m_matrix->setModel(m_matrixModel);
    m_matrix->setMinimumSize(240, 200);

    m_roc->setTitle(tr("ROC curve"));
    m_roc->setAxisTitles(tr("False-positive rate"), tr("True-positive rate (recall)"));
    m_roc->setReference(tr("chance (AUC 0.5)"), {{0.0, 0.0}, {1.0, 1.0}});
    m_pr->setTitle(tr("Precision-recall curve"));
    m_pr->setAxisTitles(tr("Recall"), tr("Precision"));
    for (CurveChart* chart : {m_roc, m_pr})
        chart->setMinimumSize(260, 260);

    auto* content = new QWidget(this);
    auto* grid = new QGridLayout(content);
    grid->setContentsMargins(0, 0, 0, 0);
    grid->setHorizontalSpacing(12);
    grid->setVerticalSpacing(6);
    grid->addWidget(controls, 0, 0, 1, 3);
    grid->addWidget(m_matrix, 1, 0);
    grid->addWidget(m_rates, 2, 0);
    grid->addWidget(m_roc, 1, 1, 2, 1);
    grid->addWidget(m_pr, 1, 2, 2, 1);
    grid->setColumnStretch(0, 10);
    grid->setColumnStretch(1, 11);
    grid->setColumnStretch(2, 11);
    grid->setRowStretch(1, 1);

    m_pages->addWidget(m_message);
    m_pages->addWidget(content);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_pages);

    connect(m_slider, &QSlider::valueChanged, this, [this](int value) {
        // The slider's own rounding must not undo an exact threshold set elsewhere.
        if (value != int(std::lround(m_threshold * kSliderSteps)))
            setThreshold(double(value) / kSliderSteps);
    });
    connect(m_spin, &QDoubleSpinBox::valueChanged, this, [this](double value) {
        if (QString::number(value, 'f', 3) != QString::number(m_threshold, 'f', 3))
            setThreshold(value);
    });
    connect(m_bestF1, &QPushButton::clicked, this, [this] {
        if (!m_analysis)
            return;
        const auto best = m_analysis->bestF1();
        // Exact, not clamped: "everything positive" lies just below the lowest score.
        apply(best.threshold);
        m_status->setText(tr("F1 is highest, %1, at threshold %2.").arg(rate(best.f1), QString::number(best.threshold, 'g', 6)));
    });
    connect(m_recallButton, &QPushButton::clicked, this, &ThresholdView::pickForRecall);
    connect(m_sweepButton, &QPushButton::clicked, this, [this] {
        if (m_sweep->state() == QAbstractAnimation::Running) {
            m_sweep->stop();
        } else if (m_analysis) {
            m_status->clear();
            m_sweep->start();
        }
        m_sweepButton->setText(m_sweep->state() == QAbstractAnimation::Running ? tr("Stop sweep") : tr("Sweep 0 → 1"));
    });
    connect(m_sweep, &QVariantAnimation::valueChanged, this, [this](const QVariant& value) {
        if (m_sweep->state() != QAbstractAnimation::Running)
            return;
        // Reduced motion: the threshold jumps in tenths instead of gliding.
        const double t = value.toDouble();
        setThreshold(prefersReducedMotion() ? std::floor(t * 10.0 + 1e-9) / 10.0 : t);
    });
    connect(m_sweep, &QVariantAnimation::finished, this, [this] {
        setThreshold(1.0);
        m_sweepButton->setText(tr("Sweep 0 → 1"));
    });
    connect(m_reset, &QPushButton::clicked, this, [this] {
        setThreshold(0.5);
        m_status->clear();
    });
    showMessage(tr("Train a classifier to move its decision threshold."));
}

void ThresholdView::setData(std::shared_ptr<const evaluation::ThresholdAnalysis> analysis, const ClassCurves& curves,
                            const QStringList& classNames, const QString& target)
{
    m_analysis = std::move(analysis);
    if (!m_analysis) {
        showMessage(tr("There are no probabilities to move a threshold on."));
        return;
    }
    m_classes = classNames;
    while (m_classes.size() < 2)
        m_classes << QString::number(m_classes.size());
    m_target = target;
    m_matrixModel->setTargetName(target);
    const QString positive = m_classes[1];
    m_rule->setText(tr("Predict “%1” when P(%2) >").arg(positive, target.isEmpty() ? positive
                                                                                 : target + QStringLiteral(" = ") + positive));
    m_atHalf = m_analysis->at(0.5);
    for (int row = 0; row < 5; ++row) {
        const double values[] = {m_atHalf.precision, m_atHalf.recall, m_atHalf.f1, m_atHalf.specificity,
                                 m_atHalf.accuracy};
        m_rates->item(row, 2)->setText(rate(values[row]));
    }

    if (curves.roc) {
        QList<QPointF> points;
        for (std::size_t i = 0; i < curves.roc->fpr.size(); ++i)
            points.append(QPointF(curves.roc->fpr[i], curves.roc->tpr[i]));
        m_roc->setCurves({{tr("%1 against %2 (AUC %3)").arg(positive, m_classes[0], rate(curves.roc->auc)), points, {}, {}}});
    } else {
        m_roc->clear(tr("The ROC curve needs test rows of both classes."));
    }
    if (curves.precisionRecall) {
        m_pr->setCurves({{tr("%1 (AP %2)").arg(positive, rate(curves.precisionRecall->averagePrecision)),
                          stepsPost(curves.precisionRecall->recall, curves.precisionRecall->precision), {}, {}}});
        const double prevalence = curves.rows > 0 ? double(curves.positives) / double(curves.rows) : 0.0;
        m_pr->setReference(tr("baseline: %1 of rows are %2").arg(QString::number(prevalence * 100, 'f', 0) + QLatin1Char('%'), positive),
                           {{0.0, prevalence}, {1.0, prevalence}});
    } else {
        m_pr->clear(tr("The precision-recall curve needs test rows of class %1.").arg(positive));
    }
    m_status->clear();
    m_pages->setCurrentIndex(1);
    apply(m_threshold);
}

void ThresholdView::showMessage(const QString& message)
{
    m_sweep->stop();
    m_sweepButton->setText(tr("Sweep 0 → 1"));
    m_analysis.reset();
    m_message->setText(message);
    m_matrixModel->clear();
    m_pages->setCurrentIndex(0);
}

QString ThresholdView::message() const { return m_analysis ? QString() : m_message->text(); }

void ThresholdView::setThreshold(double threshold)
{
    apply(std::clamp(std::isfinite(threshold) ? threshold : 0.5, 0.0, 1.0));
}

void ThresholdView::apply(double threshold)
{
    m_threshold = threshold;
    {
        const QSignalBlocker blockSlider(m_slider);
        const QSignalBlocker blockSpin(m_spin);
        const double shown = std::clamp(threshold, 0.0, 1.0);
        m_slider->setValue(int(std::lround(shown * kSliderSteps)));
        m_spin->setValue(shown);
    }
    if (!m_analysis)
        return;
    m_point = m_analysis->at(threshold);
    const auto& p = m_point;
    m_matrixModel->setMatrix({{p.trueNegatives, p.falsePositives}, {p.falseNegatives, p.truePositives}}, m_classes);
    const double values[] = {p.precision, p.recall, p.f1, p.specificity, p.accuracy};
    for (int row = 0; row < 5; ++row) {
        QTableWidgetItem* item = m_rates->item(row, 1);
        item->setText(rate(values[row]));
        item->setData(Qt::UserRole, values[row]);
    }
    m_rates->horizontalHeaderItem(1)->setText(tr("At %1").arg(QString::number(threshold, 'f', 3)));
    const QString at = tr("threshold %1").arg(QString::number(threshold, 'f', 3));
    m_roc->setMarker(QPointF(p.falsePositiveRate, p.recall), at);
    m_pr->setMarker(QPointF(p.recall, p.precision), at);
    m_explanation->setText(explainThreshold(p, m_atHalf, m_classes, m_target));
    emit thresholdChanged(threshold);
}

void ThresholdView::pickForRecall()
{
    if (!m_analysis)
        return;
    const double wanted = m_recall->value();
    const auto found = m_analysis->forRecall(wanted);
    if (!found) {
        m_status->setText(tr("No threshold finds %1 of the positive rows.").arg(rate(wanted)));
        return;
    }
    apply(found->threshold);
    m_status->setText(tr("Recall %1 ≥ %2 at threshold %3, with precision %4.")
                          .arg(rate(found->recall), QString::number(wanted, 'f', 2),
                               QString::number(found->threshold, 'g', 6), rate(found->precision)));
}

} // namespace stepwise::ui
