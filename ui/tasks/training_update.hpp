#pragma once
/// \file
/// \brief What the GUI receives from models while they train: new curve points per
/// training run and metric, and the latest confusion matrices, already batched for
/// painting.

#include <QList>
#include <QMetaType>
#include <QPointF>
#include <QString>

#include <cstdint>
#include <vector>

namespace stepwise::ui {

/// \brief New points of one curve: one metric of one training run (`source`).
struct CurveUpdate {
    QString source;      ///< the run's label ("random_forest", "knn #3"); empty for a lone model
    QString metricName;  ///< "out-of-bag accuracy", "training loss", …
    QString stepName;    ///< "trees", "iteration", …
    QString measuredOn;  ///< which rows the metric was measured on
    int totalSteps = 0;  ///< planned trees or iteration limit of the latest point
    /// \brief (step, value) in arrival order. A step not above the one before it means
    /// the run started a new fit (the next cross-validation fold, a refit).
    QList<QPointF> points;
};

/// \brief The latest confusion matrix of one training run on one set of rows.
struct ConfusionUpdate {
    QString source;
    QString measuredOn;
    QString stepName;
    int step = 0;
    int totalSteps = 0;
    /// \brief Rows = actual class, columns = predicted class.
    std::vector<std::vector<std::int64_t>> matrix;
};

/// \brief A batch of live training results delivered on the GUI thread: every snapshot
/// that arrived since the last delivery, merged.
struct TrainingUpdate {
    /// \brief One entry per (source, metric, step name), in order of first arrival.
    QList<CurveUpdate> curves;
    /// \brief The most recent matrix per (source, rows measured on).
    QList<ConfusionUpdate> confusions;
    /// \brief How many snapshots this batch merges.
    int snapshots = 0;

    /// \brief Points over all curves.
    int pointCount() const
    {
        int count = 0;
        for (const CurveUpdate& curve : curves)
            count += int(curve.points.size());
        return count;
    }
};

/// \brief True for curves whose steps index results rather than count progress (the
/// scores of cross-validation folds, stepName "fold"): their points may arrive in any
/// order and a smaller step does not start a new fit.
inline bool isIndexedCurve(const QString& stepName) { return stepName == QLatin1String("fold"); }

/// \brief How honest a live metric is, lower is better: 0 for rows the model never
/// learned from (validation rows, cross-validation folds), 1 for out-of-bag rows, 2 for
/// the training rows — which always flatter the model.
inline int metricHonesty(const QString& metricName, const QString& measuredOn)
{
    const QString both = metricName + QLatin1Char(' ') + measuredOn;
    if (both.contains(QLatin1String("validation"), Qt::CaseInsensitive) ||
        both.contains(QLatin1String("fold"), Qt::CaseInsensitive))
        return 0;
    if (both.contains(QLatin1String("out-of-bag"), Qt::CaseInsensitive))
        return 1;
    return 2;
}

} // namespace stepwise::ui

Q_DECLARE_METATYPE(stepwise::ui::TrainingUpdate)
