#include "stepwise/workflow/model_analysis.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <exception>
#include <functional>
#include <mutex>
#include <numeric>

#include "core/numpy_random.hpp"
#include "stepwise/core/errors.hpp"
#include "stepwise/models/registry.hpp"
#include "workflow/cross_validate.hpp"
#include "workflow/run_stages.hpp"

namespace stepwise::workflow {
namespace {

// Share of the progress the data preparation takes before the fits.
constexpr double kPrepareShare = 0.05;

CurvePoint curvePoint(std::vector<double> train, std::vector<double> test)
{
    CurvePoint point;
    const Spread trainSpread = spreadOf(train);
    const Spread testSpread = spreadOf(test);
    point.trainScores = std::move(train);
    point.testScores = std::move(test);
    point.trainMean = trainSpread.mean;
    point.trainStd = trainSpread.std;
    point.testMean = testSpread.mean;
    point.testStd = testSpread.std;
    return point;
}

// What the curves share: the model and metric checked before any work, the data prepared
// as a run prepares it, and the folds the search would use.
struct CurveSetup {
    std::string metric;
    evaluation::CvSpec spec;
    PreparedData prepared;
    std::vector<CvSplit> splits;
};

CurveSetup setUpCurve(const Recipe& recipe, const data::Table& data, core::TaskControl& control)
{
    CurveSetup setup;
    models::createModel(recipe.model.name, recipe.problem.task, recipe.model.params);
    setup.metric = defaultMetric(recipe);
    metricInfo(recipe.problem.task, setup.metric, "metric");
    control.progress(0.0, "preparing data");
    core::TaskControl prepControl = control.subRange(0.0, kPrepareShare);
    setup.prepared = prepareData(recipe, data, nullptr, prepControl);
    setup.spec = searchCv(recipe);
    setup.splits = cvSplits(recipe, data, setup.prepared, setup.spec);
    return setup;
}

std::string describeFractions(const std::vector<double>& fractions)
{
    std::string text;
    for (double fraction : fractions) {
        text.append(text.empty() ? "" : ", ");
        text.append(std::isnan(fraction) ? std::string("NaN") : data::formatNumber(fraction));
    }
    return text;
}

// scikit-learn's _translate_train_sizes for fractions: each fraction of `maxRows` (the
// first fold's training rows), truncated to whole rows, at least one; sizes that coincide
// are kept once (scikit-learn warns about them).
std::vector<std::size_t> trainSizes(const std::vector<double>& fractions, std::size_t maxRows)
{
    std::vector<std::size_t> sizes;
    for (double fraction : fractions) {
        const auto rows = static_cast<std::size_t>(fraction * static_cast<double>(maxRows));
        sizes.push_back(std::clamp<std::size_t>(rows, 1, maxRows));
    }
    sizes.erase(std::unique(sizes.begin(), sizes.end()), sizes.end());
    return sizes;
}

} // namespace

LearningCurve learningCurve(const Recipe& recipe, const data::Table& data, core::TaskControl& control,
                            const std::vector<double>& fractions)
{
    const bool valid = !fractions.empty() &&
                       std::all_of(fractions.begin(), fractions.end(), [](double f) { return f > 0.0 && f <= 1.0; }) &&
                       std::adjacent_find(fractions.begin(), fractions.end(), std::greater_equal<>()) == fractions.end();
    if (!valid)
        throw core::InvalidParameter("learning-curve fractions [" + describeFractions(fractions) +
                                     "] are not allowed — give at least one fraction of the training rows, "
                                     "each in (0, 1], in ascending order");
    CurveSetup setup = setUpCurve(recipe, data, control);
    LearningCurve curve;
    curve.metric = setup.metric;
    curve.strategy = evaluation::toString(setup.spec);
    // As scikit-learn: fractions of the first fold's training rows, the first rows of every
    // fold's training rows (a fold with fewer rows gives all it has).
    curve.trainSizes = trainSizes(fractions, setup.splits.front().train.size());
    std::vector<CvSplit> subsets;
    for (const CvSplit& fold : setup.splits)
        for (std::size_t size : curve.trainSizes) {
            CvSplit subset;
            const std::size_t rows = std::min(size, fold.train.size());
            subset.train.assign(fold.train.begin(), fold.train.begin() + static_cast<std::ptrdiff_t>(rows));
            subset.test = fold.test;
            subset.label = fold.label;
            subset.label.append(", first ").append(std::to_string(rows)).append(" training rows");
            subsets.push_back(std::move(subset));
        }
    core::TaskControl fitControl = control.subRange(kPrepareShare, 1.0);
    const CvScores scores =
        crossValidateModels(recipe, data, setup.prepared, subsets, curve.metric,
                            {CvModel{recipe.model.name, recipe.model.params, {}}}, "learning curve", fitControl, true)
            .front();
    const std::size_t sizes = curve.trainSizes.size();
    for (std::size_t s = 0; s < sizes; ++s) {
        std::vector<double> train, test;
        for (std::size_t f = 0; f < setup.splits.size(); ++f) {
            train.push_back(scores.trainScores[f * sizes + s]);
            test.push_back(scores.scores[f * sizes + s]);
        }
        curve.points.push_back(curvePoint(std::move(train), std::move(test)));
    }
    control.progress(1.0, "done");
    return curve;
}

ValidationCurve validationCurve(const Recipe& recipe, const data::Table& data, const std::string& param,
                                const std::vector<std::string>& values, core::TaskControl& control)
{
    const models::ModelInfo& info = models::findModel(recipe.model.name);
    const bool known = std::any_of(info.params.begin(), info.params.end(),
                                   [&](const core::ParamSpec& spec) { return spec.name == param; });
    if (!known) {
        std::string names;
        for (const core::ParamSpec& spec : info.params)
            names.append(names.empty() ? "" : ", ").append(spec.name);
        throw core::InvalidParameter("'" + param + "' is not a hyper-parameter of " + info.name +
                                     " — vary one of: " + names);
    }
    if (values.empty())
        throw core::InvalidParameter("the validation curve of " + param + " has no values — give at least one");
    std::vector<CvModel> candidates;
    for (const std::string& value : values) {
        std::map<std::string, std::string> params = recipe.model.params;
        params[param] = value;
        models::createModel(info.name, recipe.problem.task, params);  // throws naming a bad value
        candidates.push_back({info.name, params, param + "=" + value});
    }
    CurveSetup setup = setUpCurve(recipe, data, control);
    ValidationCurve curve;
    curve.metric = setup.metric;
    curve.strategy = evaluation::toString(setup.spec);
    curve.param = param;
    curve.values = values;
    core::TaskControl fitControl = control.subRange(kPrepareShare, 1.0);
    std::vector<CvScores> scores = crossValidateModels(recipe, data, setup.prepared, setup.splits, curve.metric,
                                                       candidates, "validation curve", fitControl, true);
    for (CvScores& score : scores)
        curve.points.push_back(curvePoint(std::move(score.trainScores), std::move(score.scores)));
    control.progress(1.0, "done");
    return curve;
}

PermutationImportance permutationImportance(const FittedPipeline& pipeline, const data::Table& table,
                                            const std::vector<std::size_t>& rows, const std::string& metric,
                                            int repeats, std::uint64_t seed, core::TaskControl& control)
{
    if (repeats < 1 || repeats > 100)
        throw core::InvalidParameter("repeats=" + std::to_string(repeats) +
                                     " is not allowed — use an integer in [1, 100]");
    // numpy's RandomState takes seeds in [0, 2**32 − 1] only; within it the shuffles are
    // scikit-learn's for random_state=seed.
    if (seed > 0xFFFFFFFFu)
        throw core::InvalidParameter("seed=" + std::to_string(seed) +
                                     " is not allowed for permutation importance — use an integer in [0, 4294967295] "
                                     "(numpy's RandomState range)");
    const evaluation::MetricInfo& info = metricInfo(pipeline.task(), metric, "metric");
    if (rows.empty())
        throw core::DataError("no rows to shuffle for permutation importance — give the rows to score, e.g. the "
                              "test rows");
    for (std::size_t row : rows)
        if (row >= table.rowCount())
            throw core::InvalidParameter("row " + std::to_string(row) + " is outside the table's " +
                                         std::to_string(table.rowCount()) + " rows — give rows in [0, " +
                                         std::to_string(table.rowCount()) + ")");

    // The actual target of the rows, encoded as the pipeline's classes.
    if (!table.hasColumn(pipeline.target()))
        throw core::DataError("the data has no target column '" + pipeline.target() +
                              "' — permutation importance scores labelled rows");
    const data::Column& target = table.column(pipeline.target());
    for (std::size_t row : rows)
        if (target.isMissing(row))
            throw core::DataError("row " + std::to_string(row) + " has no value in the target '" + target.name() +
                                  "' — score only rows with a known target");
    const bool classification = pipeline.task() == core::TaskType::Classification;
    std::vector<int> actualClass;
    Eigen::VectorXd actualValue;
    if (classification) {
        actualClass = classesByLabel(target, pipeline.classes(), rows);
    } else {
        if (!target.isNumeric())
            throw core::DataError("the target '" + target.name() +
                                  "' holds text, but the pipeline predicts numbers — give its numeric target");
        actualValue.resize(static_cast<Eigen::Index>(rows.size()));
        for (std::size_t i = 0; i < rows.size(); ++i)
            actualValue(static_cast<Eigen::Index>(i)) = target.values()[rows[i]];
    }
    const int classCount = static_cast<int>(pipeline.classes().size());

    std::vector<std::string> columns;
    for (const InputColumn& input : pipeline.inputColumns()) {
        if (!table.hasColumn(input.name))
            throw core::DataError("the data has no column '" + input.name +
                                  "', which the model was trained on — add it (missing values are allowed)");
        columns.push_back(input.name);
    }
    const data::Table base = table.selectColumns(columns).selectRows(rows);
    const std::string& model = pipeline.model().name();
    const auto scoreOf = [&](const data::Table& x) {
        return requiredScore(pipeline.predict(x), actualClass, actualValue, classCount, metric, model,
                             "the rows given");
    };

    PermutationImportance result;
    result.metric = metric;
    result.columns = columns;
    control.progress(0.0, "scoring the unshuffled rows");
    result.baseline = scoreOf(base);

    // As permutation_importance: one seed drawn from RandomState(seed), then every column
    // shuffles with a fresh RandomState of that seed — so columns are independent tasks.
    const auto columnSeed = static_cast<std::uint32_t>(core::NumpyRandomState(static_cast<std::uint32_t>(seed))
                                                           .randint(std::uint64_t(1) << 31));
    const std::size_t columnCount = columns.size();
    const auto repeatCount = static_cast<std::size_t>(repeats);
    result.drops.assign(columnCount, std::vector<double>(repeatCount, 0.0));
    std::vector<std::exception_ptr> errors(columnCount);
    std::atomic<bool> failed{false};
    std::mutex progressMutex;
    double done = 1.0;
    const double total = 1.0 + static_cast<double>(columnCount * repeatCount);
    const auto reportOne = [&](const std::string& column) {
        std::lock_guard lock(progressMutex);
        done += 1.0;
        control.progress(done / total, "shuffling the column '" + column + "'");
    };

#pragma omp parallel for schedule(dynamic, 1) if (columnCount > 1)
    for (std::size_t c = 0; c < columnCount; ++c) {
        try {
            core::NumpyRandomState random(columnSeed);
            std::vector<std::size_t> shuffling(rows.size());
            std::iota(shuffling.begin(), shuffling.end(), std::size_t{0});
            // scikit-learn shuffles the already shuffled column again each repeat, by the
            // index array shuffled once more: the column's rows compose the shuffles.
            std::vector<std::size_t> order = shuffling;
            std::vector<std::size_t> next(rows.size());
            data::Table permuted = base;
            const data::Column& original = base.column(c);
            for (std::size_t r = 0; r < repeatCount; ++r) {
                if (failed.load(std::memory_order_relaxed))
                    throw core::Cancelled();
                control.checkCancelled();
                random.shuffle(shuffling);
                for (std::size_t i = 0; i < next.size(); ++i)
                    next[i] = order[shuffling[i]];
                order.swap(next);
                permuted.replaceColumn(original.selectRows(order));
                const double score = scoreOf(permuted);
                result.drops[c][r] = info.higherIsBetter ? result.baseline - score : score - result.baseline;
                reportOne(columns[c]);
            }
        } catch (...) {
            errors[c] = std::current_exception();
            if (!isCancellation(errors[c]))
                failed.store(true, std::memory_order_relaxed);
        }
    }
    control.checkCancelled();
    rethrowFirstError(errors);

    for (const std::vector<double>& drops : result.drops) {
        const Spread spread = spreadOf(drops);
        result.mean.push_back(spread.mean);
        result.std.push_back(spread.std);
    }
    control.progress(1.0, "done");
    return result;
}

} // namespace stepwise::workflow
