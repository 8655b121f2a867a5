#pragma once
/// \file
/// \brief Confusion-matrix cells and decision thresholds explained in words, with the
/// actual classes and counts — the teaching texts beside the Evaluation page's heatmap
/// and threshold slider.

#include <QString>
#include <QStringList>

#include <cstdint>
#include <vector>

#include "stepwise/evaluation/curves.hpp"

namespace stepwise::ui {

/// \brief What the rows of cell (`actual`, `predicted`) of `matrix` (rows = actual,
/// columns = predicted) are: correct predictions on the diagonal (true positives and
/// negatives for two classes, class 1 positive), else false positives of the predicted
/// class and false negatives of the actual one — with the count, the precision and recall
/// they raise or lower and those metrics' values. `target` names the classes ("survived =
/// 1"); empty says "class 1". Empty for a cell outside the matrix.
QString explainConfusionCell(const std::vector<std::vector<std::int64_t>>& matrix, const QStringList& classNames,
                             const QString& target, int actual, int predicted);

/// \brief How reading the probabilities at `now.threshold` differs from 0.5 (`atHalf`):
/// how many rows are predicted positive (class 1 of `classNames`), how many flipped class
/// and which of them were right, and how precision and recall traded off.
QString explainThreshold(const evaluation::ThresholdPoint& now, const evaluation::ThresholdPoint& atHalf,
                         const QStringList& classNames, const QString& target);

} // namespace stepwise::ui
