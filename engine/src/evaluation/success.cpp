#include "stepwise/evaluation/success.hpp"

#include <algorithm>
#include <charconv>
#include <cctype>
#include <cmath>

#include "stepwise/core/errors.hpp"
#include "stepwise/data/column.hpp"

namespace stepwise::evaluation {
namespace {

std::string trimmed(const std::string& text)
{
    const auto first = text.find_first_not_of(" \t");
    if (first == std::string::npos)
        return {};
    const auto last = text.find_last_not_of(" \t");
    return text.substr(first, last - first + 1);
}

std::string metricNames(core::TaskType task)
{
    std::string names;
    for (const MetricInfo& info : metricsFor(task)) {
        if (!names.empty())
            names.append(", ");
        names.append(info.name);
    }
    return names;
}

[[noreturn]] void unknownMetric(const std::string& name, core::TaskType task)
{
    std::string message = "metric '";
    message.append(name);
    message.append("' is not a ");
    message.append(core::toString(task));
    message.append(" metric — use one of: ");
    message.append(metricNames(task));
    throw core::InvalidParameter(message);
}

} // namespace

std::string SuccessCriterion::toString() const
{
    std::string text = metric;
    text.append(atLeast ? ">=" : "<=");
    text.append(data::formatNumber(threshold));
    return text;
}

const std::vector<MetricInfo>& metricsFor(core::TaskType task)
{
    static const std::vector<MetricInfo> classification = {
        {"accuracy", "Accuracy", true,
         "Share of rows whose class is predicted correctly; misleading when one class dominates."},
        {"precision_macro", "Precision (macro)", true,
         "Of the rows predicted as a class, the share that really are, averaged over classes with equal weight."},
        {"recall_macro", "Recall (macro)", true,
         "Of the rows of a class, the share that are found, averaged over classes with equal weight."},
        {"f1_macro", "F1 (macro)", true,
         "Harmonic mean of precision and recall averaged over classes with equal weight; prefer it when small "
         "classes matter as much as large ones."},
        {"f1_weighted", "F1 (weighted)", true,
         "F1 averaged over classes weighted by their number of rows; follows the class balance of the data."},
        {"roc_auc", "ROC AUC", true,
         "Chance that a random row of a class is scored above a random row of another (one-vs-rest for more than "
         "two classes); judges the ranking of probabilities, not a threshold."},
        {"log_loss", "Log loss", false,
         "Average negative log probability given to the true class; lower is better and confident mistakes cost "
         "the most."},
        {"balanced_accuracy", "Balanced accuracy", true,
         "Recall averaged over the classes, so every class counts equally; prefer it to accuracy when one class "
         "dominates."},
        {"precision_weighted", "Precision (weighted)", true,
         "Precision averaged over classes weighted by their number of rows; follows the class balance of the "
         "data."},
        {"recall_weighted", "Recall (weighted)", true,
         "Recall averaged over classes weighted by their number of rows; for single-label data it equals "
         "accuracy."},
        {"precision_micro", "Precision (micro)", true,
         "Precision from the counts pooled over all classes; for single-label data it equals accuracy."},
        {"recall_micro", "Recall (micro)", true,
         "Recall from the counts pooled over all classes; for single-label data it equals accuracy."},
        {"f1_micro", "F1 (micro)", true,
         "F1 from the counts pooled over all classes, so large classes dominate; for single-label data it equals "
         "accuracy."},
        {"specificity_macro", "Specificity (macro)", true,
         "Of the rows that are not a class, the share not predicted as it, averaged over classes; use it when "
         "false alarms are costly."},
        {"mcc", "Matthews correlation", true,
         "Correlation between actual and predicted classes from -1 to 1, 0 being chance; one of the fairest "
         "single numbers when classes are imbalanced."},
        {"cohen_kappa", "Cohen's kappa", true,
         "Agreement between actual and predicted classes beyond what chance alone would give; 0 is chance, 1 is "
         "perfect."},
        {"roc_auc_ovr_weighted", "ROC AUC (one-vs-rest, weighted)", true,
         "One-vs-rest ROC AUC averaged over classes weighted by their number of rows; follows the class balance "
         "of the data."},
        {"roc_auc_ovo", "ROC AUC (one-vs-one)", true,
         "ROC AUC averaged over every pair of classes (Hand and Till); less affected by class imbalance than "
         "one-vs-rest."},
        {"roc_auc_ovo_weighted", "ROC AUC (one-vs-one, weighted)", true,
         "One-vs-one ROC AUC with each pair of classes weighted by how common the pair is."},
        {"average_precision", "Average precision", true,
         "Precision averaged over every recall level as the threshold falls (one-vs-rest for more classes); "
         "prefer it to ROC AUC when the positive class is rare."},
        {"brier", "Brier score", false,
         "Mean squared difference between the predicted probabilities and what happened; lower is better and it "
         "judges how well calibrated the probabilities are."},
    };
    static const std::vector<MetricInfo> regression = {
        {"r2", "R²", true,
         "Share of the variance of the target the model explains: 1 is perfect, 0 is no better than predicting "
         "the mean."},
        {"rmse", "RMSE", false,
         "Root mean squared error in the target's units; lower is better and large errors weigh heavily."},
        {"mae", "MAE", false,
         "Mean absolute error in the target's units; lower is better and it is less sensitive to outliers than "
         "RMSE."},
        {"mse", "MSE", false, "Mean squared error, in squared target units; lower is better."},
        {"median_ae", "Median absolute error", false,
         "Middle absolute error in the target's units; lower is better and a few wild errors do not move it."},
        {"explained_variance", "Explained variance", true,
         "Share of the target's variance the model explains, ignoring a constant offset of the predictions; "
         "equals R² when the errors average zero."},
        {"mape", "MAPE", false,
         "Mean absolute error relative to the actual value, as a fraction (0.1 is 10 %); lower is better and it "
         "is meaningless when actual values are near zero."},
    };
    return task == core::TaskType::Classification ? classification : regression;
}

SuccessCriterion parseSuccessCriterion(const std::string& text, core::TaskType task)
{
    std::size_t op = text.find(">=");
    bool atLeast = true;
    if (op == std::string::npos) {
        op = text.find("<=");
        atLeast = false;
    }
    if (op == std::string::npos) {
        std::string message = "success criterion '";
        message.append(text);
        message.append("' is not of the form METRIC>=VALUE or METRIC<=VALUE — e.g. f1_macro>=0.85 or rmse<=3");
        throw core::InvalidParameter(message);
    }
    SuccessCriterion criterion;
    criterion.metric = trimmed(text.substr(0, op));
    std::transform(criterion.metric.begin(), criterion.metric.end(), criterion.metric.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    criterion.atLeast = atLeast;
    const std::vector<MetricInfo>& known = metricsFor(task);
    if (std::none_of(known.begin(), known.end(),
                     [&](const MetricInfo& info) { return info.name == criterion.metric; }))
        unknownMetric(criterion.metric, task);

    const std::string number = trimmed(text.substr(op + 2));
    const char* end = number.data() + number.size();
    const auto [stop, error] = std::from_chars(number.data(), end, criterion.threshold);
    if (number.empty() || error != std::errc() || stop != end || !std::isfinite(criterion.threshold)) {
        std::string message = "success criterion '";
        message.append(text);
        message.append("': threshold '");
        message.append(number);
        message.append("' is not a finite number — write e.g. ");
        message.append(criterion.metric);
        message.append(atLeast ? ">=" : "<=");
        message.append("0.85");
        throw core::InvalidParameter(message);
    }
    return criterion;
}

std::optional<double> metricValue(const ClassificationMetrics& metrics, const std::string& name)
{
    if (name == "accuracy")
        return metrics.accuracy;
    if (name == "precision_macro")
        return metrics.precisionMacro;
    if (name == "recall_macro")
        return metrics.recallMacro;
    if (name == "f1_macro")
        return metrics.f1Macro;
    if (name == "f1_weighted")
        return metrics.f1Weighted;
    if (name == "roc_auc")
        return metrics.rocAuc;
    if (name == "log_loss")
        return metrics.logLoss;
    if (name == "balanced_accuracy")
        return metrics.balancedAccuracy;
    if (name == "precision_weighted")
        return metrics.precisionWeighted;
    if (name == "recall_weighted")
        return metrics.recallWeighted;
    if (name == "precision_micro")
        return metrics.precisionMicro;
    if (name == "recall_micro")
        return metrics.recallMicro;
    if (name == "f1_micro")
        return metrics.f1Micro;
    if (name == "specificity_macro")
        return metrics.specificityMacro;
    if (name == "mcc")
        return metrics.matthews;
    if (name == "cohen_kappa")
        return metrics.cohenKappa;
    if (name == "roc_auc_ovr_weighted")
        return metrics.rocAucOvrWeighted;
    if (name == "roc_auc_ovo")
        return metrics.rocAucOvo;
    if (name == "roc_auc_ovo_weighted")
        return metrics.rocAucOvoWeighted;
    if (name == "average_precision")
        return metrics.averagePrecision;
    if (name == "brier")
        return metrics.brier;
    unknownMetric(name, core::TaskType::Classification);
}

std::optional<double> metricValue(const RegressionMetrics& metrics, const std::string& name)
{
    if (name == "r2")
        return metrics.r2;
    if (name == "rmse")
        return metrics.rmse;
    if (name == "mae")
        return metrics.mae;
    if (name == "mse")
        return metrics.mse;
    if (name == "median_ae")
        return metrics.medianAe;
    if (name == "explained_variance")
        return metrics.explainedVariance;
    if (name == "mape")
        return metrics.mape;
    unknownMetric(name, core::TaskType::Regression);
}

SuccessVerdict judge(const SuccessCriterion& criterion, std::optional<double> value)
{
    SuccessVerdict verdict;
    verdict.criterion = criterion;
    verdict.value = value;
    // NaN fails either comparison, so an undefined value never passes.
    verdict.passed = value.has_value() &&
                     (criterion.atLeast ? *value >= criterion.threshold : *value <= criterion.threshold);
    return verdict;
}

} // namespace stepwise::evaluation
