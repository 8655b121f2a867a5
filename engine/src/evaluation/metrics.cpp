#include "stepwise/evaluation/metrics.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <numeric>

#include "stepwise/core/errors.hpp"
#include "stepwise/core/number_text.hpp"

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

/// Rows in ascending order of score: the one sort ROC AUC and average precision share.
std::vector<std::size_t> ascendingOrder(const std::vector<double>& score)
{
    std::vector<std::size_t> order(score.size());
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return score[a] < score[b]; });
    return order;
}

/// How well `score` ranks the positive rows above the negative ones.
struct Ranking {
    double auc = 0.0;
    double averagePrecision = 0.0;
};

/// Both measures from one sort; the caller makes sure both classes occur.
Ranking rankingOf(const std::vector<bool>& positive, const std::vector<double>& score, std::size_t positives)
{
    const std::vector<std::size_t> order = ascendingOrder(score);
    const std::size_t n = order.size();
    const double p = static_cast<double>(positives);
    const double negatives = static_cast<double>(n - positives);
    Ranking ranking;

    // Mann–Whitney form: AUC = (rank sum of positives − P(P+1)/2) / (P·N), where tied
    // scores share their average rank — the same as the trapezoids of the ROC curve.
    double positiveRankSum = 0.0;
    for (std::size_t begin = 0; begin < n;) {
        std::size_t end = begin + 1;
        while (end < n && score[order[end]] == score[order[begin]])
            ++end;
        const double averageRank = (static_cast<double>(begin + 1) + static_cast<double>(end)) / 2.0;
        for (std::size_t i = begin; i < end; ++i)
            if (positive[order[i]])
                positiveRankSum += averageRank;
        begin = end;
    }
    ranking.auc = (positiveRankSum - p * (p + 1.0) / 2.0) / (p * negatives);

    // Average precision is scikit-learn's step sum Σ (Rₙ − Rₙ₋₁)·Pₙ over the distinct
    // thresholds from the highest score down (tied rows enter together), not the
    // trapezoidal area under the precision-recall curve, which is optimistic.
    std::size_t truePositives = 0, falsePositives = 0;
    double previousRecall = 0.0;
    for (std::size_t end = n; end > 0;) {
        std::size_t begin = end - 1;
        while (begin > 0 && score[order[begin - 1]] == score[order[end - 1]])
            --begin;
        for (std::size_t i = begin; i < end; ++i)
            ++(positive[order[i]] ? truePositives : falsePositives);
        const double recall = static_cast<double>(truePositives) / p;
        const double precision =
            static_cast<double>(truePositives) / static_cast<double>(truePositives + falsePositives);
        ranking.averagePrecision += (recall - previousRecall) * precision;
        previousRecall = recall;
        end = begin;
    }
    return ranking;
}

/// Brier score: binary as `brier_score_loss` on the class-1 probability; more classes
/// in Brier's original form, the squared distance to the one-hot row summed over classes.
double brierOf(const std::vector<int>& actual, const Eigen::MatrixXd& proba)
{
    double total = 0.0;
    for (Eigen::Index row = 0; row < proba.rows(); ++row) {
        const int label = actual[static_cast<std::size_t>(row)];
        if (proba.cols() == 2) {
            const double error = (label == 1 ? 1.0 : 0.0) - proba(row, 1);
            total += error * error;
            continue;
        }
        for (Eigen::Index c = 0; c < proba.cols(); ++c) {
            const double error = (c == label ? 1.0 : 0.0) - proba(row, c);
            total += error * error;
        }
    }
    return total / static_cast<double>(proba.rows());
}

/// One-vs-rest (macro and support-weighted) and one-vs-one (Hand & Till, macro and
/// prevalence-weighted) AUCs and the one-vs-rest macro average precision of three or
/// more classes, every class occurring in `actual`.
void setMulticlassRanking(ClassificationMetrics& metrics, const std::vector<int>& actual, const Eigen::MatrixXd& proba,
                          const std::vector<double>& actualCounts)
{
    const std::size_t k = actualCounts.size();
    const std::size_t n = actual.size();
    double aucSum = 0.0, aucWeighted = 0.0, precisionSum = 0.0;
    std::vector<bool> positive(n);
    std::vector<double> score(n);
    for (std::size_t c = 0; c < k; ++c) {
        for (std::size_t row = 0; row < n; ++row) {
            positive[row] = static_cast<std::size_t>(actual[row]) == c;
            score[row] = proba(static_cast<Eigen::Index>(row), static_cast<Eigen::Index>(c));
        }
        const Ranking ranking = rankingOf(positive, score, static_cast<std::size_t>(actualCounts[c]));
        aucSum += ranking.auc;
        aucWeighted += ranking.auc * actualCounts[c];
        precisionSum += ranking.averagePrecision;
    }
    const double classes = static_cast<double>(k);
    metrics.rocAuc = aucSum / classes;
    metrics.rocAucOvrWeighted = aucWeighted / static_cast<double>(n);
    metrics.averagePrecision = precisionSum / classes;

    // One-vs-one: for each pair, the rows of the two classes only, each class's own
    // probability column ranking it against the other; the pair's AUC is their mean.
    std::vector<std::vector<std::size_t>> rowsOf(k);
    for (std::size_t row = 0; row < n; ++row)
        rowsOf[static_cast<std::size_t>(actual[row])].push_back(row);
    const auto pairAuc = [&](std::size_t a, std::size_t b, std::size_t column) {
        std::vector<bool> isA;
        std::vector<double> pairScore;
        for (std::size_t cls : {a, b})
            for (std::size_t row : rowsOf[cls]) {
                isA.push_back(cls == column);
                pairScore.push_back(proba(static_cast<Eigen::Index>(row), static_cast<Eigen::Index>(column)));
            }
        return rankingOf(isA, pairScore, rowsOf[column].size()).auc;
    };
    double pairSum = 0.0, pairWeighted = 0.0, prevalenceSum = 0.0;
    std::size_t pairs = 0;
    for (std::size_t a = 0; a < k; ++a)
        for (std::size_t b = a + 1; b < k; ++b) {
            const double auc = (pairAuc(a, b, a) + pairAuc(a, b, b)) / 2.0;
            const double prevalence = (actualCounts[a] + actualCounts[b]) / static_cast<double>(n);
            pairSum += auc;
            pairWeighted += auc * prevalence;
            prevalenceSum += prevalence;
            ++pairs;
        }
    metrics.rocAucOvo = pairSum / static_cast<double>(pairs);
    metrics.rocAucOvoWeighted = pairWeighted / prevalenceSum;
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
    return core::formatFixed(value, digits);
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
    if (positives == 0 || positives == positive.size())
        return std::nullopt;
    return rankingOf(positive, score, positives).auc;
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
    if (haveProba && proba.hasNaN())
        throw core::InvalidParameter("a probability is NaN — give a number for every row and class");

    const auto k = static_cast<std::size_t>(classCount);
    const double rows = static_cast<double>(actual.size());
    std::vector<double> actualCounts(k, 0.0), predictedCounts(k, 0.0);
    for (std::size_t c = 0; c < k; ++c)
        for (std::size_t other = 0; other < k; ++other) {
            predictedCounts[c] += static_cast<double>(metrics.confusion[other][c]);
            actualCounts[c] += static_cast<double>(metrics.confusion[c][other]);
        }

    double correct = 0.0;
    metrics.perClass.resize(k);
    // scikit-learn's default labels are the classes that occur in the actual or the
    // predicted values; macro, micro and weighted averages run over those only, balanced
    // accuracy over the classes in the actual values.
    std::size_t present = 0, actuallyPresent = 0;
    double precisionSum = 0.0, recallSum = 0.0, f1Sum = 0.0, specificitySum = 0.0, presentRecallSum = 0.0;
    double precisionWeighted = 0.0, recallWeighted = 0.0, f1Weighted = 0.0;
    double predictedTotal = 0.0, actualTotal = 0.0;
    for (std::size_t c = 0; c < k; ++c) {
        const double predictedCount = predictedCounts[c], actualCount = actualCounts[c];
        const auto truePositives = static_cast<double>(metrics.confusion[c][c]);
        correct += truePositives;
        ClassScores& scores = metrics.perClass[c];
        scores.precision = ratioOrZero(truePositives, predictedCount);
        scores.recall = ratioOrZero(truePositives, actualCount);
        const double denominator = scores.precision + scores.recall;
        scores.f1 = denominator == 0.0 ? 0.0 : 2.0 * scores.precision * scores.recall / denominator;
        // TN / (TN + FP) with FP = predicted − TP and TN + FP = the rows of other classes.
        scores.specificity =
            ratioOrZero(rows - actualCount - predictedCount + truePositives, rows - actualCount);
        scores.support = static_cast<std::size_t>(actualCount);
        if (actualCount > 0.0) {
            ++actuallyPresent;
            presentRecallSum += scores.recall;
        }
        if (predictedCount == 0.0 && actualCount == 0.0)
            continue;
        ++present;
        precisionSum += scores.precision;
        recallSum += scores.recall;
        f1Sum += scores.f1;
        specificitySum += scores.specificity;
        predictedTotal += predictedCount;
        actualTotal += actualCount;
        precisionWeighted += scores.precision * actualCount;
        recallWeighted += scores.recall * actualCount;
        f1Weighted += scores.f1 * actualCount;
    }
    metrics.accuracy = correct / rows;
    metrics.balancedAccuracy = presentRecallSum / static_cast<double>(actuallyPresent);
    metrics.precisionMacro = precisionSum / static_cast<double>(present);
    metrics.recallMacro = recallSum / static_cast<double>(present);
    metrics.f1Macro = f1Sum / static_cast<double>(present);
    metrics.specificityMacro = specificitySum / static_cast<double>(present);
    metrics.precisionWeighted = precisionWeighted / rows;
    metrics.recallWeighted = recallWeighted / rows;
    metrics.f1Weighted = f1Weighted / rows;
    // Micro: pooled counts over the default labels, which for single-label rows equal accuracy.
    metrics.precisionMicro = ratioOrZero(correct, predictedTotal);
    metrics.recallMicro = ratioOrZero(correct, actualTotal);
    const double microSum = metrics.precisionMicro + metrics.recallMicro;
    metrics.f1Micro = microSum == 0.0 ? 0.0 : 2.0 * metrics.precisionMicro * metrics.recallMicro / microSum;

    // Matthews' multiclass form from the confusion matrix's margins (R_K statistic).
    double actualDotPredicted = 0.0, predictedSquares = 0.0, actualSquares = 0.0;
    for (std::size_t c = 0; c < k; ++c) {
        actualDotPredicted += actualCounts[c] * predictedCounts[c];
        predictedSquares += predictedCounts[c] * predictedCounts[c];
        actualSquares += actualCounts[c] * actualCounts[c];
    }
    const double covariance = correct * rows - actualDotPredicted;
    const double predictedVariance = rows * rows - predictedSquares;
    const double actualVariance = rows * rows - actualSquares;
    metrics.matthews =
        predictedVariance * actualVariance == 0.0 ? 0.0 : covariance / std::sqrt(actualVariance * predictedVariance);

    // Cohen's kappa as 1 − observed disagreement / disagreement expected by chance; when
    // chance already agrees perfectly (one class everywhere) it is 0/0, as in scikit-learn.
    double expectedDisagreement = 0.0;
    for (std::size_t i = 0; i < k; ++i)
        for (std::size_t j = 0; j < k; ++j)
            if (i != j)
                expectedDisagreement += predictedCounts[i] * actualCounts[j] / rows;
    metrics.cohenKappa = expectedDisagreement == 0.0 ? std::numeric_limits<double>::quiet_NaN()
                                                     : 1.0 - (rows - correct) / expectedDisagreement;

    if (haveProba && classCount >= 2) {
        metrics.logLoss = logLossOf(actual, proba);
        metrics.brier = brierOf(actual, proba);
        if (classCount == 2) {
            std::vector<bool> positive(actual.size());
            std::vector<double> score(actual.size());
            for (std::size_t row = 0; row < actual.size(); ++row) {
                positive[row] = actual[row] == 1;
                score[row] = proba(static_cast<Eigen::Index>(row), 1);
            }
            const auto positives = static_cast<std::size_t>(actualCounts[1]);
            if (positives > 0 && positives < actual.size()) {
                const Ranking ranking = rankingOf(positive, score, positives);
                metrics.rocAuc = metrics.rocAucOvrWeighted = metrics.rocAucOvo = metrics.rocAucOvoWeighted =
                    ranking.auc;
                metrics.averagePrecision = ranking.averagePrecision;
            }
        } else if (std::all_of(actualCounts.begin(), actualCounts.end(), [](double n) { return n > 0.0; })) {
            // Every ranking measure is undefined (as in scikit-learn) unless every class
            // occurs among the actual labels.
            setMulticlassRanking(metrics, actual, proba, actualCounts);
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

    // scikit-learn quirk: when no row is predicted correctly its per-class counts come out
    // as floats, so the supports print as "12.0".
    std::int64_t correct = 0;
    for (std::size_t c = 0; c < k; ++c)
        correct += metrics.confusion[c][c];
    const auto supportText = [&](std::size_t support) {
        std::string text = std::to_string(support);
        if (correct == 0)
            text.append(".0");
        return text;
    };

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
        line.append(padLeft(supportText(support), 9));
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
    report.append(padLeft(supportText(totalSupport), 9));
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
    const double epsilon = std::numeric_limits<double>::epsilon();
    std::vector<double> absoluteErrors(static_cast<std::size_t>(actual.size()));
    double squared = 0.0, absolute = 0.0, sum = 0.0, errorSum = 0.0, percentage = 0.0;
    for (Eigen::Index i = 0; i < actual.size(); ++i) {
        const double error = actual[i] - predicted[i];
        squared += error * error;
        absolute += std::abs(error);
        absoluteErrors[static_cast<std::size_t>(i)] = std::abs(error);
        sum += actual[i];
        errorSum += error;
        // scikit-learn floors |actual| at machine epsilon: a zero actual value gives a
        // huge but finite term rather than a division by zero.
        percentage += std::abs(error) / std::max(std::abs(actual[i]), epsilon);
    }
    const double mean = sum / n;
    const double errorMean = errorSum / n;
    double total = 0.0, errorSpread = 0.0;
    for (Eigen::Index i = 0; i < actual.size(); ++i) {
        total += (actual[i] - mean) * (actual[i] - mean);
        const double centred = actual[i] - predicted[i] - errorMean;
        errorSpread += centred * centred;
    }

    RegressionMetrics metrics;
    metrics.mse = squared / n;
    metrics.rmse = std::sqrt(metrics.mse);
    metrics.mae = absolute / n;
    metrics.mape = percentage / n;
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
    // Explained variance ignores a constant offset of the errors; same force_finite rule,
    // but scikit-learn has no single-row exception (one row has no error spread: 1).
    const double errorVariance = errorSpread / n, actualVariance = total / n;
    if (errorVariance == 0.0)
        metrics.explainedVariance = 1.0;
    else if (actualVariance == 0.0)
        metrics.explainedVariance = 0.0;
    else
        metrics.explainedVariance = 1.0 - errorVariance / actualVariance;

    // Median as NumPy takes it: the middle value, or the mean of the two middle values;
    // NaN if an error is NaN (which would also break the ordering nth_element needs).
    if (std::any_of(absoluteErrors.begin(), absoluteErrors.end(), [](double e) { return std::isnan(e); })) {
        metrics.medianAe = std::numeric_limits<double>::quiet_NaN();
        return metrics;
    }
    const std::size_t middle = absoluteErrors.size() / 2;
    std::nth_element(absoluteErrors.begin(), absoluteErrors.begin() + static_cast<std::ptrdiff_t>(middle),
                     absoluteErrors.end());
    metrics.medianAe = absoluteErrors[middle];
    if (absoluteErrors.size() % 2 == 0) {
        const double below = *std::max_element(absoluteErrors.begin(),
                                                absoluteErrors.begin() + static_cast<std::ptrdiff_t>(middle));
        metrics.medianAe = (below + metrics.medianAe) / 2.0;
    }
    return metrics;
}

} // namespace stepwise::evaluation
