#include "stepwise/workflow/misconceptions.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <numeric>
#include <unordered_set>
#include "stepwise/core/number_text.hpp"

namespace stepwise::workflow {
namespace {

std::string percent(double share)
{
    const double rounded = std::round(share * 1000.0) / 10.0;
    std::string text = core::formatFixed(rounded, 1);
    if (text.size() > 2 && text.compare(text.size() - 2, 2, ".0") == 0)
        text.erase(text.size() - 2);
    text.append(" %");
    return text;
}

std::string joined(const std::vector<std::string>& names, std::size_t most = 3)
{
    std::string text;
    for (std::size_t i = 0; i < names.size() && i < most; ++i)
        text.append(i == 0 ? "" : ", ").append("'").append(names[i]).append("'");
    if (names.size() > most)
        text.append(" and ").append(std::to_string(names.size() - most)).append(" more");
    return text;
}

// One row's cells as bytes: numbers by bit pattern (every NaN alike), categories by label,
// so rows of two separately read tables compare even though their category codes differ.
std::string rowKey(const std::vector<const data::Column*>& columns, std::size_t row)
{
    std::string key;
    for (const data::Column* column : columns) {
        if (column->isCategorical()) {
            const std::int32_t code = column->codes()[row];
            if (code < 0)
                key.append("\x01", 1);
            else
                key.append(column->levels()[static_cast<std::size_t>(code)]);
            key.push_back('\0');
        } else {
            double value = column->values()[row];
            if (std::isnan(value))
                value = std::numeric_limits<double>::quiet_NaN();
            char bytes[sizeof value];
            std::memcpy(bytes, &value, sizeof value);
            key.append(bytes, sizeof bytes);
        }
    }
    return key;
}

} // namespace

std::vector<Misconception> misconceptionsFromAudit(const std::vector<AuditFinding>& findings)
{
    std::vector<Misconception> found;
    for (const AuditFinding& finding : findings) {
        Misconception item;
        if (finding.kind == "prescaled") {
            item.kind = "scaling_before_splitting";
            const bool several = finding.columns.size() > 1;
            item.seen = std::string(several ? "The numeric columns " : "The numeric column ");
            item.seen.append(joined(finding.columns))
                .append(several ? " already have" : " already has")
                .append(" mean 0 and standard deviation 1 over all rows: the data was scaled before it was split.");
            item.why = "The scale was learnt from every row, the test rows included, so the test rows' mean and "
                       "spread leaked into training and the test score is a little too good.";
            item.fix = "Load the unscaled data and keep the 'Scale numbers' feature step: Stepwise fits scalers on "
                       "the training rows only and applies them to the test rows.";
        } else if (finding.kind == "ordinal_on_nominal") {
            item.kind = "label_encoding_nominal";
            item.seen = "An ordinal (label) encoding step numbers the categories of " + joined(finding.columns) +
                        ", which have no natural order.";
            item.why = "Codes 0, 1, 2 … tell the model that the second category lies between the first and the "
                       "third and that distances between them mean something — true for sizes or grades, false "
                       "for names, colours or ports. Linear models and kNN take that invented order literally.";
            item.fix = "Use one-hot encoding for categories without an order, or give the order explicitly.";
        } else if (finding.kind == "duplicates_across_split") {
            item.kind = "testing_on_training_data";
            item.seen = finding.message;
            item.why = "A test row the model was trained on tests its memory, not how it does on new data: the "
                       "test score is too optimistic.";
            item.fix = finding.fix;
        } else {
            continue;
        }
        found.push_back(std::move(item));
    }
    return found;
}

std::optional<Misconception> accuracyOnImbalancedTarget(const std::string& metric,
                                                        const std::vector<std::size_t>& classCounts,
                                                        const std::vector<std::string>& classLabels)
{
    if (metric != "accuracy" || classCounts.size() < 2)
        return std::nullopt;
    const std::size_t total = std::accumulate(classCounts.begin(), classCounts.end(), std::size_t(0));
    if (total == 0)
        return std::nullopt;
    const auto smallest = std::min_element(classCounts.begin(), classCounts.end());
    const auto largest = std::max_element(classCounts.begin(), classCounts.end());
    const double share = static_cast<double>(*smallest) / static_cast<double>(total);
    if (share >= kImbalancedShare)
        return std::nullopt;
    const double majority = static_cast<double>(*largest) / static_cast<double>(total);
    const auto index = static_cast<std::size_t>(smallest - classCounts.begin());
    Misconception item;
    item.kind = "accuracy_on_imbalanced";
    item.seen = "The success metric is accuracy, but the smallest class";
    if (index < classLabels.size())
        item.seen.append(" ('").append(classLabels[index]).append("')");
    item.seen.append(" is only ").append(percent(share)).append(" of the rows.");
    item.why = "A model that always predicts the largest class already scores " + percent(majority) +
               " accuracy while never finding a single case of the small class, so a high accuracy says little.";
    item.fix = "Judge the model by F1 (macro) or balanced accuracy, and look at the recall of the small class.";
    return item;
}

std::optional<Misconception> testingOnTrainingData(const TestDataFacts& facts)
{
    Misconception item;
    item.kind = "testing_on_training_data";
    item.why = "A model is scored on rows it learnt from tests its memory, not how it will do on new data: the "
               "score is too optimistic — a deep tree or kNN scores close to perfect on its own training rows.";
    if (facts.separateTestData) {
        const bool sameFile = !facts.trainSha256.empty() && facts.trainSha256 == facts.testSha256;
        if (sameFile) {
            item.seen = "The test data is the training data: both have the SHA-256 " + facts.trainSha256.substr(0, 12) +
                        "….";
        } else if (facts.testRows > 0 && facts.overlappingRows >= facts.testRows) {
            item.seen = "Every one of the " + std::to_string(facts.testRows) +
                        " test rows is also a training row: the test data is (a copy of) the training data.";
        } else if (facts.overlappingRows > 0) {
            item.seen = std::to_string(facts.overlappingRows) + " of the " + std::to_string(facts.testRows) +
                        " test rows are also training rows.";
        } else {
            return std::nullopt;
        }
        item.fix = "Test on data the model never saw: a file with other rows, or no separate test file and a split "
                   "of the data.";
        return item;
    }
    if (facts.testSize <= 0.0 || (facts.rows > 0 && std::ceil(facts.testSize * static_cast<double>(facts.rows)) < 1.0)) {
        item.seen = "The split holds out no test row, so the only rows left to score the model on are its training "
                    "rows.";
        item.fix = "Hold out a test set (0.2–0.3 of the rows is common) before training.";
        return item;
    }
    if (facts.overlappingRows > 0) {
        item.seen = std::to_string(facts.overlappingRows) + " test rows are exact copies of training rows.";
        item.fix = "Drop duplicate rows before the split (a 'Drop duplicate rows' step on the Prep step).";
        return item;
    }
    return std::nullopt;
}

std::size_t countOverlappingRows(const data::Table& train, const data::Table& test)
{
    std::vector<const data::Column*> trainColumns, testColumns;
    for (const std::string& name : test.columnNames()) {
        if (!train.hasColumn(name))
            continue;
        const data::Column& a = train.column(name);
        const data::Column& b = test.column(name);
        // A column read as numbers in one file and categories in the other cannot match.
        if (a.isCategorical() != b.isCategorical())
            return 0;
        trainColumns.push_back(&a);
        testColumns.push_back(&b);
    }
    if (testColumns.empty())
        return 0;
    std::unordered_set<std::string> seen;
    seen.reserve(train.rowCount());
    for (std::size_t row = 0; row < train.rowCount(); ++row)
        seen.insert(rowKey(trainColumns, row));
    std::size_t overlapping = 0;
    for (std::size_t row = 0; row < test.rowCount(); ++row)
        overlapping += seen.count(rowKey(testColumns, row));
    return overlapping;
}

TuningRun tuningRunFor(const Recipe& recipe, bool testScoreSeen)
{
    // The recipe without what "trying other hyper-parameters" changes, and without the
    // parts that judge a result (objective, success, constraints) rather than produce it.
    Recipe settings = recipe;
    settings.model.params.clear();
    settings.problem.objective.clear();
    settings.problem.success.reset();
    settings.problem.maxLatencyMs.reset();
    settings.problem.interpretability = Interpretability::Unspecified;
    settings.problem.retraining = RetrainingCadence::Unspecified;
    TuningRun run;
    run.settingsKey = recipeToJson(settings);
    run.params = recipe.model.params;
    run.testScoreSeen = testScoreSeen;
    run.validated = recipe.crossValidation.has_value() || recipe.prep.validationSize > 0.0 || recipe.search.has_value();
    return run;
}

std::optional<Misconception> tuningOnTestSet(const std::vector<TuningRun>& history, std::size_t minRetrains)
{
    if (minRetrains == 0)
        minRetrains = 1;
    std::size_t retrains = 0;
    for (std::size_t i = history.size(); i-- > 1;) {
        const TuningRun& before = history[i - 1];
        const TuningRun& after = history[i];
        const bool onlyParams = before.settingsKey == after.settingsKey && before.params != after.params;
        if (!onlyParams || !before.testScoreSeen || before.validated || after.validated)
            break;
        ++retrains;
    }
    if (retrains < minRetrains)
        return std::nullopt;
    Misconception item;
    item.kind = "tuning_on_test_set";
    item.seen = "You retrained " + std::to_string(retrains) +
                " times in a row after seeing the test score, changing only hyper-parameters, without "
                "cross-validation or a validation set.";
    item.why = "You are choosing hyper-parameters by the test score: each look lets the test rows decide a little, "
               "so the best test score is an optimistic estimate of how the model does on new data.";
    item.fix = "Turn on cross-validation or a validation set (or a hyper-parameter search) and choose by that; "
               "look at the test score once, at the end.";
    return item;
}

bool isInterpretableModel(const ModelChoice& model)
{
    static const std::vector<std::string> linear = {"logistic_regression", "linear_regression", "ridge",
                                                    "lasso",               "linear_svm",        "naive_bayes"};
    if (std::find(linear.begin(), linear.end(), model.name) != linear.end())
        return true;
    if (model.name != "decision_tree")
        return false;
    const auto depth = model.params.find("max_depth");
    if (depth == model.params.end() || depth->second.empty() || depth->second == "none")
        return false;
    try {
        return std::stoi(depth->second) <= 4;
    } catch (const std::exception&) {
        return false;  // an invalid depth is the parameter check's to report
    }
}

std::optional<Misconception> interpretabilityConflict(Interpretability interpretability, const ModelChoice& model)
{
    if (interpretability != Interpretability::Required || isInterpretableModel(model))
        return std::nullopt;
    Misconception item;
    item.kind = "black_box_when_interpretability_required";
    item.seen = "The problem statement requires every prediction to be explainable, but the kept model is '" +
                model.name + "'" + (model.name == "decision_tree" ? " without a small depth limit." : ".");
    item.why = "A forest, a boosted ensemble, kNN or a deep tree combine hundreds of rules or neighbours: nobody "
               "can follow why one row got its prediction.";
    item.fix = "Keep a linear model (logistic or linear regression, ridge, lasso, linear SVM), naive Bayes or a "
               "decision tree with max_depth ≤ 4 — or relax the interpretability constraint on the Problem step.";
    return item;
}

MetricAdvice recommendMetric(core::TaskType task, const std::vector<std::size_t>& classCounts, MistakeCost cost)
{
    MetricAdvice advice;
    if (task == core::TaskType::Regression) {
        if (cost == MistakeCost::LargeErrors) {
            advice.metric = "rmse";
            advice.reason = "RMSE squares each error before averaging, so one large miss weighs more than several "
                            "small ones — what you want when large errors are the expensive ones.";
        } else {
            advice.metric = "mae";
            advice.reason = "MAE is the average size of an error, in the target's own units: every unit of error "
                            "counts the same and one outlier does not dominate.";
        }
        return advice;
    }
    const std::size_t total = std::accumulate(classCounts.begin(), classCounts.end(), std::size_t(0));
    const bool known = classCounts.size() >= 2 && total > 0;
    const double smallest =
        known ? static_cast<double>(*std::min_element(classCounts.begin(), classCounts.end())) / static_cast<double>(total)
              : 0.0;
    const bool imbalanced = known && smallest < kImbalancedShare;
    const std::string balance =
        known ? (imbalanced ? "The classes are imbalanced (the smallest is " + percent(smallest) + " of the rows). "
                            : "The classes are reasonably balanced (the smallest is " + percent(smallest) +
                                  " of the rows). ")
              : std::string("No target is loaded yet, so the class balance is unknown. ");
    switch (cost) {
    case MistakeCost::MissedPositives:
        advice.metric = "recall_macro";
        advice.reason = balance + "Missing a real case costs more than a false alarm: recall counts how many of "
                                  "the real cases of each class the model finds.";
        break;
    case MistakeCost::FalseAlarms:
        advice.metric = "precision_macro";
        advice.reason = balance + "A false alarm costs more than a missed case: precision counts how many of the "
                                  "predicted cases of each class are right.";
        break;
    case MistakeCost::Equal:
    case MistakeCost::LargeErrors:
        if (imbalanced) {
            advice.metric = "f1_macro";
            advice.reason = balance + "Both mistakes cost the same, but accuracy would reward always predicting the "
                                      "large class; F1 (macro) weighs every class equally, balancing missed cases "
                                      "and false alarms.";
        } else {
            advice.metric = "accuracy";
            advice.reason = balance + "Both mistakes cost the same: accuracy, the share of right predictions, is "
                                      "fair here and the easiest to explain.";
        }
        break;
    }
    return advice;
}

} // namespace stepwise::workflow
