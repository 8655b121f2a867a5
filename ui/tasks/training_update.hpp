#pragma once
/// \file
/// \brief What the GUI receives from a model while it trains: new curve points and the
/// latest confusion matrix, already batched for painting.

#include <QList>
#include <QMetaType>
#include <QPointF>
#include <QString>

#include <cstdint>
#include <vector>

namespace stepwise::ui {

/// \brief A batch of live training results delivered on the GUI thread.
struct TrainingUpdate {
    QString stepName;        ///< "trees" or "iteration"
    QString metricName;      ///< "out-of-bag accuracy", "training loss", …
    QString measuredOn;      ///< which rows the metric and matrix were measured on
    int totalSteps = 0;      ///< planned trees or iteration limit
    QList<QPointF> points;   ///< points (step, value) that arrived since the last update
    /// \brief The most recent confusion matrix (rows = actual); empty when none came.
    std::vector<std::vector<std::int64_t>> confusion;
};

} // namespace stepwise::ui

Q_DECLARE_METATYPE(stepwise::ui::TrainingUpdate)
