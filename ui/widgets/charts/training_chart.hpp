#pragma once
/// \file
/// \brief The live training curves (Qt Charts; kept under widgets/charts/ only).

#include <QColor>
#include <QHash>
#include <QList>
#include <QWidget>

#include <functional>
#include <memory>
#include <vector>

#include "stepwise/core/training_snapshot.hpp"
#include "tasks/training_update.hpp"

class QComboBox;
class QLabel;
class QLineSeries;
class QStackedWidget;

namespace stepwise::ui {

/// \brief Line charts of training metrics, one series per training run (`source`) and
/// metric. Series of the same metric over the same kind of step ("validation accuracy"
/// by "trees") share one chart, so the runs can be compared; a combo switches between
/// the charts when there are several (training loss by iteration, out-of-bag accuracy by
/// trees, fold scores, …). Until the user picks one, the chart follows the training:
/// it shows the most honest metric (validation rows, then out-of-bag rows, then the
/// training rows) of the run that reported last. A run whose step goes back starts a
/// new fit (the next cross-validation fold): its series starts again. Each run keeps
/// one colour on every chart; a chart keeps at most `kMaxSeries` runs, the ones that
/// reported last. A placeholder text shows before the first point.
class TrainingChart : public QWidget {
    Q_OBJECT
public:
    /// \brief Most runs drawn in one chart.
    static constexpr int kMaxSeries = 8;
    /// \brief A series longer than this is thinned to every other point.
    static constexpr int kMaxPoints = 4000;

    explicit TrainingChart(QWidget* parent = nullptr);
    ~TrainingChart() override;

    /// \brief How a source is named in legends ("random_forest #2" → "Random forest #2").
    void setSourceNamer(std::function<QString(const QString&)> namer);
    /// \brief Draws the series of `source` thicker (the kept model).
    void setEmphasisedSource(const QString& source);

    /// \brief Gives `sources` the first colours, in order (the kept model blue), so a run
    /// keeps its colour from the live view to the finished one. Call after `reset`.
    void setSourceOrder(const QStringList& sources);
    /// \brief Removes every chart and shows `placeholder`.
    void reset(const QString& placeholder);
    /// \brief Appends the update's points (creating charts and series as needed).
    void append(const TrainingUpdate& update);
    /// \brief Shows one complete curve (e.g. from a finished run's fit report) as the
    /// series of `source`, after what is already shown.
    void appendCurve(const QString& source, const std::vector<core::TrainingSnapshot>& curve);

    /// \brief Points plotted over all charts.
    int pointCount() const;
    /// \brief Number of charts (metric and step kinds).
    int groupCount() const { return int(m_groups.size()); }
    /// \brief The title of each chart ("Validation accuracy by trees").
    QStringList groupTitles() const;
    /// \brief Index of the chart shown (-1 when none).
    int currentGroup() const;
    /// \brief Shows chart `index` and stops following the training.
    void setCurrentGroup(int index);
    /// \brief Sources of the series of chart `index`, in drawing order.
    QStringList seriesSources(int index) const;
    /// \brief Points of the series of `source` in chart `index` (-1 when absent).
    int seriesPointCount(int index, const QString& source) const;
    /// \brief The chart chooser.
    QComboBox* groupCombo() const { return m_choice; }

private:
    struct Series {
        QString source;
        QLineSeries* line = nullptr;
        double lastX = 0;
        bool hasPoints = false;
        quint64 touched = 0;
    };
    struct Group;

    Group& groupFor(const CurveUpdate& curve);
    Series& seriesFor(Group& group, const QString& source);
    void addPoints(Group& group, Series& series, const QList<QPointF>& points);
    void rescale(Group& group);
    void restyle(Group& group);
    void followTraining();
    void showGroup(int index);
    void refreshChooser();
    QColor colorFor(const QString& source);
    QString nameOf(const QString& source) const;

    QComboBox* m_choice;
    QLabel* m_choiceLabel;
    QStackedWidget* m_stack;
    QLabel* m_placeholder;
    std::vector<std::unique_ptr<Group>> m_groups;
    QHash<QString, QColor> m_colors;
    std::function<QString(const QString&)> m_namer;
    QString m_emphasised;
    quint64 m_batch = 0;
    bool m_following = true;
};

} // namespace stepwise::ui
