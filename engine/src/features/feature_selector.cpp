#include "features/feature_selector.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "stepwise/core/input_archive.hpp"
#include <boost/archive/binary_oarchive.hpp>
#include <Eigen/Core>

#include "prep/fitted_columns.hpp"
#include "prep/onnx_columns.hpp"

namespace stepwise::features {
namespace {

constexpr const char* kStep = "feature selection";

double mean(const std::vector<double>& values)
{
    return std::accumulate(values.begin(), values.end(), 0.0) / static_cast<double>(values.size());
}

// NumPy's nanvar with ddof = 0 (two passes); with a zero threshold scikit-learn takes
// the smaller of it and the range, so a constant column is exactly 0 despite rounding.
double varianceScore(const std::vector<double>& values, bool withRange)
{
    const double centre = mean(values);
    double squares = 0.0;
    for (double value : values)
        squares += (value - centre) * (value - centre);
    const double variance = squares / static_cast<double>(values.size());
    if (!withRange)
        return variance;
    const auto [low, high] = std::minmax_element(values.begin(), values.end());
    return std::min(variance, *high - *low);
}

// scikit-learn's f_oneway (behind f_classif), with its sums-of-squares formulas so the
// ranking agrees with it; only the classes present count. A constant column gives NaN.
double anovaF(const std::vector<double>& values, const std::vector<double>& classes)
{
    std::vector<double> sums, counts;
    double squares = 0.0, total = 0.0;
    for (std::size_t row = 0; row < values.size(); ++row) {
        const auto label = static_cast<std::size_t>(classes[row]);
        if (label >= sums.size()) {
            sums.resize(label + 1, 0.0);
            counts.resize(label + 1, 0.0);
        }
        sums[label] += values[row];
        counts[label] += 1.0;
        squares += values[row] * values[row];
        total += values[row];
    }
    const double n = static_cast<double>(values.size());
    double between = 0.0;
    double groups = 0.0;
    for (std::size_t k = 0; k < sums.size(); ++k)
        if (counts[k] > 0.0) {
            between += sums[k] * sums[k] / counts[k];
            groups += 1.0;
        }
    const double correction = total * total / n;
    const double sstot = squares - correction;
    const double ssbn = between - correction;
    const double sswn = sstot - ssbn;
    return (ssbn / (groups - 1.0)) / (sswn / (n - groups));
}

// scikit-learn's f_regression (center=True, force_finite=True): r from its formulas,
// F = r² / (1 − r²) · (n − 2); a perfect correlation scores the largest double, a constant
// column or target 0.
double regressionF(const std::vector<double>& values, const std::vector<double>& centredTarget, double targetNorm)
{
    const double n = static_cast<double>(values.size());
    const double centre = mean(values);
    double squares = 0.0, product = 0.0;
    for (std::size_t row = 0; row < values.size(); ++row) {
        squares += values[row] * values[row];
        product += centredTarget[row] * values[row];
    }
    double r = product / std::sqrt(squares - n * centre * centre) / targetNorm;
    if (std::isnan(r))
        r = 0.0;
    const double f = r * r / (1.0 - r * r) * (n - 2.0);
    if (std::isinf(f))
        return std::numeric_limits<double>::max();
    return std::isnan(f) ? 0.0 : f;
}

// "a, b, c" — at most 20 names, then how many more.
std::string nameList(const std::vector<std::string>& names)
{
    constexpr std::size_t kShown = 20;
    std::string text;
    for (std::size_t i = 0; i < names.size() && i < kShown; ++i) {
        if (i > 0)
            text.append(", ");
        text.append(names[i]);
    }
    if (names.size() > kShown) {
        text.append(" and ");
        text.append(std::to_string(names.size() - kShown));
        text.append(" more");
    }
    return text;
}

} // namespace

std::string FeatureSelector::rule() const
{
    switch (m_spec.method) {
    case SelectionMethod::Variance:
        return "keep numeric columns whose training variance is above " + data::formatNumber(m_spec.varianceThreshold);
    case SelectionMethod::Correlation:
        return "drop the later column of every pair with |r| above " + data::formatNumber(m_spec.maxCorrelation);
    case SelectionMethod::KBest:
        return "keep the " + std::to_string(m_spec.k) + " numeric columns with the highest F statistic";
    }
    return {};
}

std::string FeatureSelector::describe() const
{
    std::string text = "feature selection (";
    text.append(rule());
    text.push_back(')');
    if (!m_fitted) {
        text.append(" (not fitted yet)");
        return text;
    }
    if (m_dropped.empty()) {
        text.append(": kept all ");
        text.append(prep::countOf(m_candidates.size(), "numeric column"));
        return text;
    }
    text.append(": dropped ");
    text.append(std::to_string(m_dropped.size()));
    text.append(" of ");
    text.append(prep::countOf(m_candidates.size(), "numeric column"));
    text.append(" — ");
    text.append(nameList(m_dropped));
    // When most go (k best), the few that stay say more.
    if (m_kept.size() < m_dropped.size()) {
        text.append("; kept ");
        text.append(nameList(m_kept));
    }
    return text;
}

void FeatureSelector::fit(const data::Table& train, const prep::TrainingTarget& target, core::TaskControl& control)
{
    control.progress(0.0, "selecting features");
    const std::vector<std::string> candidates = prep::columnsInScope(train, m_requested, prep::ColumnScope::Numeric, kStep);
    if (candidates.empty())
        throw core::DataError("the feature selection has no numeric columns to choose from — put it after the "
                              "encoding step, or remove it");
    if (train.rowCount() == 0)
        throw core::DataError("the feature selection has no training rows to learn from — check the earlier steps");
    std::vector<const std::vector<double>*> columns;
    for (const std::string& name : candidates) {
        const std::vector<double>& values = train.column(name).values();
        const auto bad = std::find_if(values.begin(), values.end(), [](double v) { return !std::isfinite(v); });
        if (bad != values.end()) {
            std::string message = "column '";
            message.append(name);
            message.append(std::isnan(*bad) ? "' has missing values" : "' has infinite values");
            message.append(" in the training rows — the feature selection cannot score them: put it after a 'Fill "
                           "missing values' step");
            if (!std::isnan(*bad))
                message.append(" and check the formula or transformation that makes them");
            throw core::DataError(message);
        }
        columns.push_back(&values);
    }
    const std::size_t count = candidates.size();
    const auto report = [&](std::size_t done) {
        control.progress(static_cast<double>(done) / static_cast<double>(count), "selecting features");
    };

    std::vector<double> scores(count, 0.0);
    std::vector<bool> keep(count, true);
    switch (m_spec.method) {
    case SelectionMethod::Variance: {
        for (std::size_t i = 0; i < count; ++i) {
            report(i);
            scores[i] = varianceScore(*columns[i], m_spec.varianceThreshold == 0.0);
            keep[i] = scores[i] > m_spec.varianceThreshold;
        }
        if (std::none_of(keep.begin(), keep.end(), [](bool k) { return k; }))
            throw core::DataError("no numeric column has a training variance above " +
                                  data::formatNumber(m_spec.varianceThreshold) +
                                  ", so the feature selection would drop them all — lower variance_threshold");
        break;
    }
    case SelectionMethod::Correlation: {
        // Centred columns; a constant column has no correlation (pandas gives NaN), which
        // the exact min == max test catches where rounding in the mean would not.
        const auto rows = static_cast<Eigen::Index>(train.rowCount());
        Eigen::MatrixXd centred(rows, static_cast<Eigen::Index>(count));
        std::vector<double> norms(count);
        std::vector<bool> constant(count);
        for (std::size_t i = 0; i < count; ++i) {
            const std::vector<double>& values = *columns[i];
            const auto [low, high] = std::minmax_element(values.begin(), values.end());
            constant[i] = *low == *high;
            const double centre = mean(values);
            for (Eigen::Index row = 0; row < rows; ++row)
                centred(row, static_cast<Eigen::Index>(i)) = values[static_cast<std::size_t>(row)] - centre;
            norms[i] = centred.col(static_cast<Eigen::Index>(i)).norm();
        }
        // Column j goes when any earlier column, kept or not, exceeds the limit with it:
        // `upper = corr.abs().where(np.triu(ones, k=1)); drop = [c for c in upper if any(upper[c] > t)]`.
        for (std::size_t j = 0; j < count; ++j) {
            report(j);
            double largest = 0.0;
            if (!constant[j])
                for (std::size_t i = 0; i < j; ++i) {
                    if (constant[i])
                        continue;
                    // Column dot products, not a matrix product, so the sums do not depend
                    // on the thread count.
                    const double r = centred.col(static_cast<Eigen::Index>(i)).dot(centred.col(static_cast<Eigen::Index>(j))) /
                                     (norms[i] * norms[j]);
                    largest = std::max(largest, std::abs(r));
                }
            scores[j] = largest;
            keep[j] = !(largest > m_spec.maxCorrelation);
        }
        break;
    }
    case SelectionMethod::KBest: {
        if (target.values.size() != train.rowCount())
            throw core::DataError("the feature selection by k best needs the target of every training row (" +
                                  std::to_string(train.rowCount()) + " rows, " +
                                  std::to_string(target.values.size()) + " target values)");
        const bool classification = target.task == core::TaskType::Classification;
        std::vector<double> centredTarget;
        double targetNorm = 0.0;
        if (classification) {
            for (double label : target.values)
                if (!(label >= 0.0) || label != std::floor(label) || label > 1e6)
                    throw core::DataError("the feature selection by k best got a class index that is not a small "
                                          "whole number — the target of the training rows is damaged");
        } else {
            const double centre = mean(target.values);
            for (double value : target.values) {
                centredTarget.push_back(value - centre);
                targetNorm += (value - centre) * (value - centre);
            }
            targetNorm = std::sqrt(targetNorm);
        }
        for (std::size_t i = 0; i < count; ++i) {
            report(i);
            scores[i] = classification ? anovaF(*columns[i], target.values)
                                       : regressionF(*columns[i], centredTarget, targetNorm);
        }
        if (static_cast<long long>(count) > m_spec.k) {
            // SelectKBest: NaN scores lowest, a stable ascending sort, the last k kept — so
            // among equal scores the later columns win.
            std::vector<double> ranked = scores;
            for (double& score : ranked)
                if (std::isnan(score))
                    score = std::numeric_limits<double>::lowest();
            std::vector<std::size_t> order(count);
            std::iota(order.begin(), order.end(), std::size_t(0));
            std::stable_sort(order.begin(), order.end(),
                             [&](std::size_t a, std::size_t b) { return ranked[a] < ranked[b]; });
            std::fill(keep.begin(), keep.end(), false);
            for (std::size_t position = count - static_cast<std::size_t>(m_spec.k); position < count; ++position)
                keep[order[position]] = true;
        }
        break;
    }
    }

    std::vector<std::string> kept, dropped;
    for (std::size_t i = 0; i < count; ++i)
        (keep[i] ? kept : dropped).push_back(candidates[i]);
    m_candidates = candidates;
    m_scores = std::move(scores);
    m_kept = std::move(kept);
    m_dropped = std::move(dropped);
    m_fitted = true;
    control.progress(1.0);
}

data::Table FeatureSelector::transform(const data::Table& table) const
{
    if (!m_fitted)
        throw prep::notFitted(kStep, "transform");
    for (const std::string& name : m_kept)
        prep::requireFittedColumn(table, name, data::ColumnType::Numeric, kStep);
    return table.withoutColumns(m_dropped);
}

void FeatureSelector::exportOnnx(io::OnnxGraph& graph) const
{
    if (!m_fitted)
        throw prep::notFitted(kStep, "be exported");
    graph.setColumns(prep::withoutColumns(graph.columns(), m_dropped));
}

void FeatureSelector::save(core::OutputArchive& archive) const
{
    if (!m_fitted)
        throw prep::notFitted(kStep, "be saved");
    archive << *this;
}

void FeatureSelector::load(core::InputArchive& archive)
{
    archive >> *this;
    const bool knownMethod = m_spec.method == SelectionMethod::Variance ||
                             m_spec.method == SelectionMethod::Correlation || m_spec.method == SelectionMethod::KBest;
    if (!m_fitted || !knownMethod || m_scores.size() != m_candidates.size() ||
        m_kept.size() + m_dropped.size() != m_candidates.size()) {
        m_fitted = false;
        throw prep::corruptArchive(kStep);
    }
}

} // namespace stepwise::features
