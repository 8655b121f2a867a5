#include "widgets/curves_view.hpp"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QStackedWidget>
#include <QVBoxLayout>

#include "tasks/evaluation_curves.hpp"
#include "widgets/charts/chart_view.hpp"
#include "widgets/charts/curve_chart.hpp"
#include "widgets/recipe_summary.hpp"
#include "widgets/task_progress_panel.hpp"

namespace stepwise::ui {
namespace {

QString three(double value) { return QString::number(value, 'f', 3); }

QString percent(double fraction) { return QString::number(fraction * 100.0, 'f', 0) + QLatin1Char('%'); }

/// One line of the three charts: a model's or a class's curves.
struct Entry {
    QString name;
    const ClassCurves* curves = nullptr;
    QColor color;
};

} // namespace

CurvesView::CurvesView(QWidget* parent)
    : QWidget(parent),
      m_pages(new QStackedWidget(this)),
      m_message(new QLabel(this)),
      m_view(new QComboBox(this)),
      m_progress(new TaskProgressPanel(TaskProgressPanel::Form::Full, this)),
      m_roc(new CurveChart(this)),
      m_pr(new CurveChart(this)),
      m_calibration(new CurveChart(this)),
      m_notes(new QLabel(this))
{
    setObjectName(QStringLiteral("curvesView"));
    m_view->setObjectName(QStringLiteral("curveViewCombo"));
    m_roc->setObjectName(QStringLiteral("rocChart"));
    m_pr->setObjectName(QStringLiteral("precisionRecallChart"));
    m_calibration->setObjectName(QStringLiteral("calibrationChart"));
    m_notes->setObjectName(QStringLiteral("curveNotes"));
    stylePlaceholder(m_message);
    m_notes->setWordWrap(true);
    m_progress->setHiddenWhenIdle(true);
    m_progress->hide();
    m_view->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_view->setToolTip(tr("Compare the classes of the kept model, or every trained model on one class"));

    m_roc->setTitle(tr("ROC curve"));
    m_roc->setAxisTitles(tr("False-positive rate"), tr("True-positive rate"));
    m_pr->setTitle(tr("Precision-recall curve"));
    m_pr->setAxisTitles(tr("Recall"), tr("Precision"));
    m_calibration->setTitle(tr("Calibration"));
    m_calibration->setAxisTitles(tr("Mean predicted probability"), tr("Share actually in the class"));
    m_roc->setToolTip(tr("How well the probabilities rank the rows: the further to the top left, the better. The "
                         "area under it (AUC) is the chance a random positive row scores above a random negative "
                         "one."));
    m_pr->setToolTip(tr("Precision against recall over every threshold; useful when the positive class is rare. "
                        "Average precision (AP) summarises it."));
    m_calibration->setToolTip(tr("Can the probabilities be taken at their word? Rows are grouped in ten bins of "
                                 "predicted probability; a calibrated model's points lie on the diagonal. Hover a "
                                 "point for its bin."));
    for (CurveChart* chart : {m_roc, m_pr, m_calibration}) {
        chart->setLegendCheckable(true);
        chart->setMinimumSize(240, 260);
        connect(chart, &CurveChart::curveVisibilityChanged, this, [this](int index, bool visible) {
            for (CurveChart* other : {m_roc, m_pr, m_calibration})
                other->setCurveVisible(index, visible);
        });
    }

    auto* content = new QWidget(this);
    auto* layout = new QVBoxLayout(content);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(6);
    auto* bar = new QHBoxLayout;
    auto* show = new QLabel(tr("Show:"), this);
    show->setBuddy(m_view);
    bar->addWidget(show);
    bar->addWidget(m_view);
    bar->addSpacing(12);
    auto* hint = new QLabel(tr("Click a legend entry to hide or show its curve."), this);
    hint->setEnabled(false);
    bar->addWidget(hint, 1);
    layout->addLayout(bar);
    layout->addWidget(m_progress);
    auto* charts = new QHBoxLayout;
    charts->setSpacing(8);
    charts->addWidget(m_roc, 1);
    charts->addWidget(m_pr, 1);
    charts->addWidget(m_calibration, 1);
    layout->addLayout(charts, 1);
    layout->addWidget(m_notes);

    m_pages->addWidget(m_message);
    m_pages->addWidget(content);
    auto* outer = new QVBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);
    outer->addWidget(m_pages);

    connect(m_view, &QComboBox::currentIndexChanged, this, [this] { render(); });
    showMessage(tr("Train a classifier to see its curves."));
}

void CurvesView::setComparisonTask(BackgroundTask* task) { m_progress->setTask(task); }

void CurvesView::setCurves(std::shared_ptr<const EvaluationCurves> kept, const QStringList& classNames, int modelCount)
{
    m_kept = std::move(kept);
    m_compared.reset();
    m_comparisonMessage.clear();
    m_classes = classNames;
    if (!m_kept || m_kept->models.empty() || !m_kept->models.front().hasProbabilities) {
        showMessage(tr("This model gives decision scores, not probabilities, so there are no ROC, precision-recall or "
                       "calibration curves to draw. Train a model with probabilities (logistic regression, a tree, "
                       "a forest, boosting, k-nearest neighbours) to see them."));
        return;
    }
    const bool binary = m_classes.size() == 2;
    const int previous = m_view->currentData().isValid() ? m_view->currentData().toInt() : -2;
    {
        const QSignalBlocker block(m_view);
        m_view->clear();
        if (binary)
            m_view->addItem(tr("The kept model: “%1” against “%2”").arg(m_classes[1], m_classes[0]), -1);
        else
            m_view->addItem(tr("The kept model: each class against the rest"), -1);
        if (modelCount > 1) {
            if (binary) {
                m_view->addItem(tr("All %1 models: “%2” against “%3”").arg(modelCount).arg(m_classes[1], m_classes[0]),
                                1);
            } else {
                for (int c = 0; c < m_classes.size(); ++c)
                    m_view->addItem(tr("All %1 models: “%2” against the rest").arg(modelCount).arg(m_classes[c]), c);
            }
        }
        // Binary with several models: the overlay is the more telling picture.
        int index = m_view->findData(previous);
        if (index < 0)
            index = binary && modelCount > 1 ? 1 : 0;
        m_view->setCurrentIndex(index);
    }
    m_view->setEnabled(m_view->count() > 1);
    m_pages->setCurrentIndex(1);
    render();
}

void CurvesView::setComparedCurves(std::shared_ptr<const EvaluationCurves> compared)
{
    m_compared = std::move(compared);
    m_comparisonMessage.clear();
    render();
}

void CurvesView::setComparisonMessage(const QString& message)
{
    m_comparisonMessage = message;
    render();
}

void CurvesView::showMessage(const QString& message)
{
    m_kept.reset();
    m_compared.reset();
    m_message->setText(message);
    m_pages->setCurrentIndex(0);
}

QString CurvesView::message() const { return m_pages->currentIndex() == 0 ? m_message->text() : QString(); }

bool CurvesView::selectView(int data)
{
    const int index = m_view->findData(data);
    if (index < 0)
        return false;
    m_view->setCurrentIndex(index);
    return true;
}

QString CurvesView::modelLabel(int index, bool kept) const
{
    const auto& model = m_compared->models[std::size_t(index)];
    QString name = modelDisplayName(model.model);
    // The same model may be compared with other settings; number the repeats.
    int repeat = 0;
    for (int i = 0; i < index; ++i)
        repeat += m_compared->models[std::size_t(i)].model == model.model ? 1 : 0;
    if (repeat > 0)
        name += QStringLiteral(" #%1").arg(repeat + 1);
    return kept ? tr("%1 (kept)").arg(name) : name;
}

void CurvesView::render()
{
    if (!m_kept || m_kept->models.empty())
        return;
    const int view = m_view->currentData().isValid() ? m_view->currentData().toInt() : -1;
    const bool binary = m_classes.size() == 2;
    auto className = [this](int c) { return c >= 0 && c < m_classes.size() ? m_classes[c] : QString::number(c); };

    std::vector<Entry> entries;
    QStringList notes;
    if (view < 0) {
        for (const ClassCurves& curves : m_kept->models.front().classes) {
            const QString name = binary ? tr("“%1” against “%2”").arg(className(1), className(0))
                                        : className(curves.classIndex);
            if (!curves.roc) {
                notes << tr("“%1” has no curves: the test rows hold %2 of its rows.")
                             .arg(className(curves.classIndex))
                             .arg(curves.positives == 0 ? tr("none") : tr("all"));
                continue;
            }
            entries.push_back({name, &curves, seriesColor(curves.classIndex)});
        }
    } else if (!m_compared) {
        const QString message = m_comparisonMessage.isEmpty()
                                    ? tr("Scoring every trained model on the test rows…")
                                    : m_comparisonMessage;
        for (CurveChart* chart : {m_roc, m_pr, m_calibration})
            chart->clear(message);
        m_notes->setText(QString());
        return;
    } else {
        for (std::size_t m = 0; m < m_compared->models.size(); ++m) {
            const ModelCurves& model = m_compared->models[m];
            const QString label = modelLabel(int(m), model.kept);
            if (!model.hasProbabilities) {
                notes << tr("%1 gives no probabilities, so it has no curves.").arg(label);
                continue;
            }
            for (const ClassCurves& curves : model.classes) {
                if (curves.classIndex != view)
                    continue;
                if (!curves.roc) {
                    notes << tr("“%1” has no curves: the test rows hold %2 of its rows.")
                                 .arg(className(view), curves.positives == 0 ? tr("none") : tr("all"));
                    continue;
                }
                entries.push_back({label, &curves, seriesColor(int(m))});
            }
        }
    }

    std::vector<ChartCurve> roc, pr, calibration;
    for (const Entry& entry : entries) {
        const ClassCurves& c = *entry.curves;
        QList<QPointF> rocPoints;
        for (std::size_t i = 0; i < c.roc->fpr.size(); ++i)
            rocPoints.append(QPointF(c.roc->fpr[i], c.roc->tpr[i]));
        roc.push_back({tr("%1 (AUC %2)").arg(entry.name, three(c.roc->auc)), rocPoints, entry.color, {}});
        if (c.precisionRecall)
            pr.push_back({tr("%1 (AP %2)").arg(entry.name, three(c.precisionRecall->averagePrecision)),
                          stepsPost(c.precisionRecall->recall, c.precisionRecall->precision), entry.color, {}});
        else
            pr.push_back({entry.name, {}, entry.color, {}});
        ChartCurve reliability{entry.name, {}, entry.color, {}};
        if (c.calibration) {
            const auto& cal = *c.calibration;
            for (std::size_t i = 0; i < cal.meanPredicted.size(); ++i) {
                reliability.points.append(QPointF(cal.meanPredicted[i], cal.fractionPositive[i]));
                reliability.pointTips << tr("%1 rows in the bin · mean predicted probability %2 · %3 actually “%4”")
                                             .arg(cal.counts[i])
                                             .arg(three(cal.meanPredicted[i]), percent(cal.fractionPositive[i]),
                                                  className(c.classIndex));
            }
        }
        calibration.push_back(reliability);
    }
    if (entries.empty()) {
        const QString message = notes.isEmpty() ? tr("There are no curves to show.") : notes.join(QLatin1Char(' '));
        for (CurveChart* chart : {m_roc, m_pr, m_calibration})
            chart->clear(message);
        m_notes->setText(QString());
        return;
    }
    m_roc->setCurves(roc);
    m_roc->setReference(tr("chance (AUC 0.5)"), {{0.0, 0.0}, {1.0, 1.0}});
    m_pr->setCurves(pr);
    // One class on screen: its share of the rows is what a random ranking scores.
    const int single = view >= 0 ? view : (binary ? 1 : -1);
    if (single >= 0 && entries.front().curves->rows > 0) {
        const double share = double(entries.front().curves->positives) / double(entries.front().curves->rows);
        m_pr->setReference(tr("chance: %1 are “%2”").arg(percent(share), className(single)), {{0.0, share}, {1.0, share}});
    } else {
        m_pr->setReference({}, {});
    }
    m_calibration->setCurves(calibration);
    m_calibration->setReference(tr("perfectly calibrated"), {{0.0, 0.0}, {1.0, 1.0}});
    m_notes->setText(notes.join(QLatin1Char(' ')));
    m_notes->setVisible(!notes.isEmpty());
}

} // namespace stepwise::ui
