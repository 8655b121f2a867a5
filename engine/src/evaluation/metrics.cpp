#include "stepwise/evaluation/metrics.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <numeric>

#include "stepwise/core/errors.hpp"

namespace stepwise::evaluation {
namespace {

/// scikit-learn 1.2's `log_loss` default (eps="auto"): probabilities are clipped to
/// [eps, 1 − eps] with eps the float64 machine epsilon, not the older 1e-15.
constexpr double kLogLossEps = std::numeric_limits<double>::epsilon();

double ratioOrZero(double numerator, double denominator) { return denominator == 0.0 ? 0.0 : numerator / denominator; }

void checkLabels(const std::vector<int>& labels, int classCount, const char* what)
{
    for (int label : labels)
        if (label < 0 || label >= classCount) {
            std::string message = what;
            message.append(" contains class index ");
            message.append(std::to_string(label));
            message.append(", outside the allowed range [0, ");
            message.append(std::to_string(classCount - 1));
            message.push_back(']');
            throw core::InvalidParameter(message);
        }
}

/// Mean cross-entropy as scikit-learn 1.2 computes it: clip, renormalise each row,
/// then −log of the actual class's share.
double logLossOf(const std::vector<int>& actual, const Eigen::MatrixXd& proba)
{
    double total = 0.0;
    for (Eigen::Index row = 0; row < proba.rows(); ++row) {
        double rowSum = 0.0;
        for (Eigen::Index c = 0; c < proba.cols(); ++c)
            rowSum += std::clamp(proba(row, c), kLogLossEps, 1.0 - kLogLossEps);
        const double p = std::clamp(proba(row, actual[static_cast<std::size_t>(row)]), kLogLossEps, 1.0 - kLogLossEps);
        total += -std::log(p / rowSum);
    }
    return total / static_cast<double>(proba.rows());
}

/// Number of code points, which is what Python's format widths count.
std::size_t displayLength(const std::string& text)
{
    return static_cast<std::size_t>(
        std::count_if(text.begin(), text.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

std::string padLeft(const std::string& text, std::size_t width)
{
    const std::size_t length = displayLength(text);
    return length >= width ? text : std::string(width - length, ' ') + text;
}

std::string fixed(double value, int digits)
{
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "%.*f", digits, value);
    return buffer;
}

} // namespace

ConfusionMatrix confusionMatrix(const std::vector<int>& actual, const std::vector<int>& predicted, int classCount)
{
    if (classCount < 1) {
        std::string message = "classCount = ";
        message.append(std::to_string(classCount));
        message.append(" is outside the allowed range [1, ∞)");
        throw core::InvalidParameter(message);
    }
    if (actual.size() != predicted.size()) {
        std::string message = "there are ";
        message.append(std::to_string(actual.size()));
        message.append(" actual labels but ");
        message.append(std::to_string(predicted.size()));
        message.append(" predictions — give one prediction per row");
        throw core::InvalidParameter(message);
    }
    checkLabels(actual, classCount, "actual");
    checkLabels(predicted, classCount, "predicted");
    const auto k = static_cast<std::size_t>(classCount);
    ConfusionMatrix matrix(k, std::vector<std::int64_t>(k, 0));
    for (std::size_t row = 0; row < actual.size(); ++row)
        ++matrix[static_cast<std::size_t>(actual[row])][static_cast<std::size_t>(predicted[row])];
    return matrix;
}

std::optional<double> rocAuc(const std::vector<bool>& positive, const std::vector<double>& score)
{
    if (positive.size() != score.size()) {
        std::string message = "there are ";
        message.append(std::to_string(positive.size()));
        message.append(" labels but ");
        message.append(std::to_string(score.size()));
        message.append(" scores — give one score per row");
        throw core::InvalidParameter(message);
    }
    for (double value : score)
        if (std::isnan(value))
            throw core::InvalidParameter("a score is NaN — ROC AUC needs a number for every row");
    const std::size_t positives = static_cast<std::size_t>(std::count(positive.begin(), positive.end(), true));
    const std::size_t negatives = positive.size() - positives;
    if (positives == 0 || negatives == 0)
        return std::nullopt;

    // Mann–Whitney form: AUC = (rank sum of positives − P(P+1)/2) / (P·N), where tied
    // scores share their average rank — the same as the trapezoids of the ROC curve.
    std::vector<std::size_t> order(score.size());
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return score[a] < score[b]; });
    double positiveRankSum = 0.0;
    for (std::size_t begin = 0; begin < order.size();) {
        std::size_t end = begin + 1;
        while (end < order.size() && score[order[end]] == score[order[begin]])
            ++end;
        const double averageRank = (static_cast<double>(begin + 1) + static_cast<double>(end)) / 2.0;
        for (std::size_t i = begin; i < end; ++i)
            if (positive[order[i]])
                positiveRankSum += averageRank;
        begin = end;
    }
    const double p = static_cast<double>(positives);
    const double n = static_cast<double>(negatives);
    return (positiveRankSum - p * (p + 1.0) / 2.0) / (p * n);
}

ClassificationMetrics classificationMetrics(const std::vector<int>& actual, const std::vector<int>& predicted,
                                            const Eigen::MatrixXd& proba, int classCount)
{
    ClassificationMetrics metrics;
    metrics.confusion = confusionMatrix(actual, predicted, classCount);
    if (actual.empty())
        throw core::DataError("there are no rows to evaluate — keep some rows for testing");
    const bool haveProba = proba.size() > 0;
    if (haveProba && (proba.rows() != static_cast<Eigen::Index>(actual.size()) || proba.cols() != classCount)) {
        std::string message = "the probabilities are ";
        message.append(std::to_string(proba.rows()));
        message.append(" × ");
        message.append(std::to_string(proba.cols()));
        message.append(", expected ");
        message.append(std::to_string(actual.size()));
        message.append(" rows × ");
        message.append(std::to_string(classCount));
        message.append(" classes");
        throw core::InvalidParameter(message);
    }

    const auto k = static_cast<std::size_t>(classCount);
    const double rows = static_cast<double>(actual.size());
    std::int64_t correct = 0;
    metrics.perClass.resize(k);
    // scikit-learn's default labels are the classes that occur in the actual or the
    // predicted values; macro and weighted averages run over those only.
    std::size_t present = 0;
    double precisionSum = 0.0, recallSum = 0.0, f1Sum = 0.0;
    double precisionWeighted = 0.0, recallWeighted = 0.0, f1Weighted = 0.0;
    for (std::size_t c = 0; c < k; ++c) {
        std::int64_t predictedCount = 0, actualCount = 0;
        for (std::size_t other = 0; other < k; ++other) {
            predictedCount += metrics.confusion[other][c];
            actualCount += metrics.confusion[c][other];
        }
        const auto truePositives = static_cast<double>(metrics.confusion[c][c]);
        correct += metrics.confusion[c][c];
        ClassScores& scores = metrics.perClass[c];
        scores.precision = ratioOrZero(truePositives, static_cast<double>(predictedCount));
        scores.recall = ratioOrZero(truePositives, static_cast<double>(actualCount));
        const double denominator = scores.precision + scores.recall;
        scores.f1 = denominator == 0.0 ? 0.0 : 2.0 * scores.precision * scores.recall / denominator;
        scores.support = static_cast<std::size_t>(actualCount);
        if (predictedCount == 0 && actualCount == 0)
            continue;
        ++present;
        precisionSum += scores.precision;
        recallSum += scores.recall;
        f1Sum += scores.f1;
        const auto weight = static_cast<double>(actualCount);
        precisionWeighted += scores.precision * weight;
        recallWeighted += scores.recall * weight;
        f1Weighted += scores.f1 * weight;
    }
    metrics.accuracy = static_cast<double>(correct) / rows;
    metrics.precisionMacro = precisionSum / static_cast<double>(present);
    metrics.recallMacro = recallSum / static_cast<double>(present);
    metrics.f1Macro = f1Sum / static_cast<double>(present);
    metrics.precisionWeighted = precisionWeighted / rows;
    metrics.recallWeighted = recallWeighted / rows;
    metrics.f1Weighted = f1Weighted / rows;

    if (haveProba && classCount >= 2) {
        metrics.logLoss = logLossOf(actual, proba);
        if (classCount == 2) {
            std::vector<bool> positive(actual.size());
            std::vector<double> score(actual.size());
            for (std::size_t row = 0; row < actual.size(); ++row) {
                positive[row] = actual[row] == 1;
                score[row] = proba(static_cast<Eigen::Index>(row), 1);
            }
            metrics.rocAuc = rocAuc(positive, score);
        } else {
            // One-vs-rest macro average; undefined (as in scikit-learn) unless every
            // class occurs among the actual labels.
            double sum = 0.0;
            bool defined = true;
            for (std::size_t c = 0; c < k && defined; ++c) {
                std::vector<bool> positive(actual.size());
                std::vector<double> score(actual.size());
                for (std::size_t row = 0; row < actual.size(); ++row) {
                    positive[row] = static_cast<std::size_t>(actual[row]) == c;
                    score[row] = proba(static_cast<Eigen::Index>(row), static_cast<Eigen::Index>(c));
                }
                const std::optional<double> auc = rocAuc(positive, score);
                defined = auc.has_value();
                sum += auc.value_or(0.0);
            }
            if (defined)
                metrics.rocAuc = sum / static_cast<double>(k);
        }
    }
    return metrics;
}

std::string classificationReport(const ClassificationMetrics& metrics, const std::vector<std::string>& classNames,
                                 int digits)
{
    const std::size_t k = metrics.perClass.size();
    if (classNames.size() != k || metrics.confusion.size() != k) {
        std::string message = "there are ";
        message.append(std::to_string(classNames.size()));
        message.append(" class names for ");
        message.append(std::to_string(k));
        message.append(" classes — give one name per class");
        throw core::InvalidParameter(message);
    }
    if (digits < 0 || digits > 17) {
        std::string message = "digits = ";
        message.append(std::to_string(digits));
        message.append(" is outside the allowed range [0, 17]");
        throw core::InvalidParameter(message);
    }
    // The rows are scikit-learn's default labels: classes in the actual or predicted values.
    std::vector<std::size_t> listed;
    for (std::size_t c = 0; c < k; ++c) {
        std::int64_t predictedCount = 0;
        for (std::size_t other = 0; other < k; ++other)
            predictedCount += metrics.confusion[other][c];
        if (metrics.perClass[c].support > 0 || predictedCount > 0)
            listed.push_back(c);
    }

    std::size_t width = std::max<std::size_t>(std::string("weighted avg").size(), static_cast<std::size_t>(digits));
    for (std::size_t c : listed)
        width = std::max(width, displayLength(classNames[c]));
    const auto row = [&](const std::string& heading, double precision, double recall, double f1, std::size_t support) {
        std::string line = padLeft(heading, width);
        line.push_back(' ');
        for (double value : {precision, recall, f1}) {
            line.push_back(' ');
            line.append(padLeft(fixed(value, digits), 9));
        }
        line.push_back(' ');
        line.append(padLeft(std::to_string(support), 9));
        line.push_back('\n');
        return line;
    };

    std::string report = std::string(width, ' ');
    report.push_back(' ');
    for (const char* header : {"precision", "recall", "f1-score", "support"}) {
        report.push_back(' ');
        report.append(padLeft(header, 9));
    }
    report.append("\n\n");
    std::size_t totalSupport = 0;
    for (std::size_t c : listed) {
        const ClassScores& scores = metrics.perClass[c];
        report.append(row(classNames[c], scores.precision, scores.recall, scores.f1, scores.support));
        totalSupport += scores.support;
    }
    report.push_back('\n');

    report.append(padLeft("accuracy", width));
    report.push_back(' ');
    report.append(std::string(2 * 10, ' '));
    report.push_back(' ');
    report.append(padLeft(fixed(metrics.accuracy, digits), 9));
    report.push_back(' ');
    report.append(padLeft(std::to_string(totalSupport), 9));
    report.push_back('\n');
    report.append(row("macro avg", metrics.precisionMacro, metrics.recallMacro, metrics.f1Macro, totalSupport));
    report.append(
        row("weighted avg", metrics.precisionWeighted, metrics.recallWeighted, metrics.f1Weighted, totalSupport));
    return report;
}

RegressionMetrics regressionMetrics(const Eigen::VectorXd& actual, const Eigen::VectorXd& predicted)
{
    if (actual.size() != predicted.size()) {
        std::string message = "there are ";
        message.append(std::to_string(actual.size()));
        message.append(" actual values but ");
        message.append(std::to_string(predicted.size()));
        message.append(" predictions — give one prediction per row");
        throw core::InvalidParameter(message);
    }
    if (actual.size() == 0)
        throw core::DataError("there are no rows to evaluate — keep some rows for testing");
    const double n = static_cast<double>(actual.size());
    double squared = 0.0, absolute = 0.0, sum = 0.0;
    for (Eigen::Index i = 0; i < actual.size(); ++i) {
        const double error = actual[i] - predicted[i];
        squared += error * error;
        absolute += std::abs(error);
        sum += actual[i];
    }
    const double mean = sum / n;
    double total = 0.0;
    for (Eigen::Index i = 0; i < actual.size(); ++i)
        total += (actual[i] - mean) * (actual[i] - mean);

    RegressionMetrics metrics;
    metrics.mse = squared / n;
    metrics.rmse = std::sqrt(metrics.mse);
    metrics.mae = absolute / n;
    // scikit-learn's force_finite: a perfect fit scores 1; constant actual values with
    // any error score 0 instead of −inf; one row leaves R² undefined (NaN).
    if (actual.size() < 2)
        metrics.r2 = std::numeric_limits<double>::quiet_NaN();
    else if (squared == 0.0)
        metrics.r2 = 1.0;
    else if (total == 0.0)
        metrics.r2 = 0.0;
    else
        metrics.r2 = 1.0 - squared / total;
    return metrics;
}

} // namespace stepwise::evaluation
