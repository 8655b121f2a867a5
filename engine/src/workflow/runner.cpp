#include "stepwise/workflow/runner.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <map>
#include <sstream>

#include <Eigen/Core>
#include "stepwise/core/input_archive.hpp"
#include <boost/archive/binary_oarchive.hpp>
#include <boost/version.hpp>
#include <google/protobuf/stubs/common.h>
#include <onnx/common/version.h>
#include <sodium.h>

#include "features/category_codes.hpp"
#include "stepwise/core/errors.hpp"
#include "stepwise/core/number_text.hpp"
#include "stepwise/core/version.hpp"
#include "stepwise/evaluation/success.hpp"
#include "stepwise/models/registry.hpp"
#include "stepwise/prep/transformers.hpp"
#include "stepwise/workflow/feature_drift.hpp"
#include "workflow/cross_validate.hpp"
#include "workflow/run_stages.hpp"

namespace stepwise::workflow {
namespace {

using Clock = std::chrono::steady_clock;

double secondsSince(Clock::time_point start)
{
    return std::chrono::duration<double>(Clock::now() - start).count();
}

std::string utcNow()
{
    const std::time_t now = std::time(nullptr);
    std::tm parts{};
    gmtime_r(&now, &parts);
    char buffer[32];
    std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &parts);
    return buffer;
}

// Which data the model was trained on, recognisably: its digest (data::dataSha256) and a
// one-line description.
void describeTrainingData(const data::DataSource& source, const data::Table& table, PipelineMetadata& metadata)
{
    std::string name = source.describe();
    if (source.kind == data::DataSourceKind::File)
        name = std::filesystem::path(source.location).filename().string();
    metadata.dataSha256 = data::dataSha256(source, table);
    metadata.dataDescription = name;
    metadata.dataDescription.append(", ").append(std::to_string(table.rowCount())).append(" rows × ");
    metadata.dataDescription.append(std::to_string(table.columnCount())).append(" columns");
}

std::vector<std::pair<std::string, std::string>> libraryVersions()
{
    std::string boost = BOOST_LIB_VERSION;
    std::replace(boost.begin(), boost.end(), '_', '.');
    const int protobuf = GOOGLE_PROTOBUF_VERSION;
    std::string protobufText = std::to_string(protobuf / 1000000);
    protobufText.append(".").append(std::to_string(protobuf / 1000 % 1000));
    protobufText.append(".").append(std::to_string(protobuf % 1000));
    std::string eigen = std::to_string(EIGEN_WORLD_VERSION);
    eigen.append(".").append(std::to_string(EIGEN_MAJOR_VERSION)).append(".").append(std::to_string(EIGEN_MINOR_VERSION));
    return {{"eigen", eigen},
            {"boost", boost},
            {"libsodium", sodium_version_string()},
            {"onnx", ONNX_NAMESPACE::LAST_RELEASE_VERSION},
            {"protobuf", protobufText}};
}

// The test scores in the report's spelling, the ones that could be computed.
std::vector<NamedScore> namedScores(core::TaskType task,
                                    const std::optional<evaluation::ClassificationMetrics>& classification,
                                    const std::optional<evaluation::RegressionMetrics>& regression)
{
    std::vector<NamedScore> scores;
    for (const evaluation::MetricInfo& info : evaluation::metricsFor(task)) {
        std::optional<double> value;
        if (classification)
            value = evaluation::metricValue(*classification, info.name);
        else if (regression)
            value = evaluation::metricValue(*regression, info.name);
        if (value && std::isfinite(*value))
            scores.push_back({info.name, *value});
    }
    return scores;
}

// "f1_macro>=0.75: 0.7812 — passed".
std::string verdictText(const evaluation::SuccessVerdict& verdict)
{
    std::string text = verdict.criterion.toString() + ": ";
    if (verdict.value) {
        text.append(core::formatGeneral(*verdict.value, 4));
    } else {
        text.append("not computable on the test rows");
    }
    text.append(verdict.passed ? " — passed" : " — failed");
    return text;
}

// True when `a` ranks before `b`.
bool better(double a, double b, bool higherIsBetter) { return higherIsBetter ? a > b : a < b; }

// Fits a cross-validation costs, counted in fits on all training rows: each of the k
// folds trains on (k − 1)/k of them.
double cvCost(const evaluation::CvSpec& spec, std::size_t trainRows)
{
    const double folds = spec.strategy == evaluation::CvStrategy::LeaveOneOut ? static_cast<double>(trainRows)
                                                                             : static_cast<double>(spec.folds);
    return std::max(1.0, folds - 1.0);
}

// Copies of fitted steps, through their archives, so every leaderboard pipeline owns
// steps that were fitted once.
std::vector<std::unique_ptr<prep::Transformer>> cloneSteps(const std::vector<std::unique_ptr<prep::Transformer>>& steps)
{
    std::vector<std::unique_ptr<prep::Transformer>> copies;
    for (const auto& step : steps) {
        std::stringstream buffer;
        {
            core::OutputArchive out(buffer);
            step->save(out);
        }
        core::InputArchive in(buffer);
        auto copy = prep::makeTransformerForLoading(step->kind());
        copy->load(in);
        copies.push_back(std::move(copy));
    }
    return copies;
}

// How snapshots and stages name each leaderboard model: its name, numbered when a name
// occurs more than once ("random_forest (2)").
std::vector<std::string> leaderboardLabels(const std::vector<ModelChoice>& models)
{
    std::vector<std::string> labels;
    for (std::size_t i = 0; i < models.size(); ++i) {
        const auto same = [&](const ModelChoice& m) { return m.name == models[i].name; };
        const auto total = std::count_if(models.begin(), models.end(), same);
        const auto before = std::count_if(models.begin(), models.begin() + static_cast<std::ptrdiff_t>(i), same);
        labels.push_back(total > 1 ? models[i].name + " (" + std::to_string(before + 1) + ")" : models[i].name);
    }
    return labels;
}

// scikit-learn's rank_test_score: 1 + the number of candidates strictly better (ties
// share the lower rank, scipy's "min"); the best is the first of rank 1.
void rankCandidates(SearchResult& search, bool higherIsBetter)
{
    std::vector<std::size_t> order(search.candidates.size());
    for (std::size_t i = 0; i < order.size(); ++i)
        order[i] = i;
    const auto mean = [&](std::size_t i) { return search.candidates[i].mean; };
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) { return better(mean(a), mean(b), higherIsBetter); });
    for (std::size_t k = 0; k < order.size(); ++k) {
        const bool tied = k > 0 && mean(order[k]) == mean(order[k - 1]);
        search.candidates[order[k]].rank = tied ? search.candidates[order[k - 1]].rank : static_cast<int>(k + 1);
    }
    for (std::size_t i = 0; i < search.candidates.size(); ++i)
        if (search.candidates[i].rank == 1) {
            search.best = i;
            break;
        }
}

// The test and validation metrics of one fitted model.
struct Evaluated {
    Predictions test;
    Predictions validation;
    std::optional<evaluation::ClassificationMetrics> classification, validationClassification;
    std::optional<evaluation::RegressionMetrics> regression, validationRegression;
};

struct EvaluationRows {
    const Eigen::MatrixXd* testX = nullptr;
    const Eigen::MatrixXd* validationX = nullptr;  ///< null without validation rows
    std::vector<int> testClasses, validationClasses;
    Eigen::VectorXd testValues, validationValues;
    int classCount = 0;
};

Evaluated evaluate(const models::Model& model, core::TaskType task, const EvaluationRows& rows)
{
    Evaluated out;
    out.test = modelPredictions(model, task, *rows.testX);
    if (rows.validationX)
        out.validation = modelPredictions(model, task, *rows.validationX);
    if (task == core::TaskType::Classification) {
        out.classification = evaluation::classificationMetrics(rows.testClasses, out.test.classIndex, out.test.proba,
                                                               rows.classCount);
        if (rows.validationX)
            out.validationClassification = evaluation::classificationMetrics(
                rows.validationClasses, out.validation.classIndex, out.validation.proba, rows.classCount);
    } else {
        out.regression = evaluation::regressionMetrics(rows.testValues, out.test.values);
        if (rows.validationX)
            out.validationRegression = evaluation::regressionMetrics(rows.validationValues, out.validation.values);
    }
    return out;
}

std::optional<double> metricOf(const std::optional<evaluation::ClassificationMetrics>& classification,
                               const std::optional<evaluation::RegressionMetrics>& regression,
                               const std::string& metric)
{
    if (classification)
        return evaluation::metricValue(*classification, metric);
    if (regression)
        return evaluation::metricValue(*regression, metric);
    return std::nullopt;
}

// A metric value as the warnings print it: three decimals for scores, four significant
// digits for errors, whose scale is the target's.
std::string metricText(double value, bool higherIsBetter)
{
    return higherIsBetter ? core::formatFixed(value, 3) : core::formatGeneral(value, 4);
}

// The estimate-check rules of `EstimateCheck::warnings`.
std::vector<std::string> estimateWarnings(const EstimateCheck& check, bool higherIsBetter, std::size_t testRows,
                                          bool separateTestData)
{
    std::vector<std::string> warnings;
    const auto text = [&](double value) { return metricText(value, higherIsBetter); };
    const auto estimateText = [&] {
        std::string out = text(*check.estimate);
        if (check.estimateSource == "cross-validation")
            out.append(" ± ").append(text(check.estimateSpread)).append(" by cross-validation");
        else
            out.append(" on the validation rows");
        return out;
    };
    // Much worse: a score 0.10 lower, an error half as large again. Errors on a noiseless
    // target are all about zero; rounding noise there is no overfitting.
    const auto muchWorse = [&](double heldOut) {
        if (higherIsBetter)
            return *check.train - heldOut > 0.10;
        return heldOut > 1.5 * *check.train && heldOut - *check.train > 1e-9 * std::max(1.0, std::abs(heldOut));
    };
    if (check.train) {
        std::vector<std::string> worse;
        if (check.test && muchWorse(*check.test))
            worse.push_back(text(*check.test) + " on the test rows");
        if (check.estimate && muchWorse(*check.estimate))
            worse.push_back(estimateText());
        if (!worse.empty()) {
            std::string message = "Overfitting: " + check.metric + " is " + text(*check.train) +
                                  " on the training rows but " + worse[0];
            if (worse.size() > 1)
                message.append(" and ").append(worse[1]);
            message.append(" — the model has learned the training rows rather than the pattern behind them; try a "
                           "simpler model (e.g. a smaller max_depth or fewer features), more data, or stronger "
                           "regularisation.");
            warnings.push_back(std::move(message));
        }
    }
    if (check.test && check.estimate) {
        const double gap = std::abs(*check.test - *check.estimate);
        const double allowed =
            higherIsBetter ? std::max(2.0 * check.estimateSpread, 0.05) : 0.15 * std::abs(*check.estimate);
        if (gap > allowed) {
            const bool testBetter = higherIsBetter ? *check.test > *check.estimate : *check.test < *check.estimate;
            std::string message = "The test score disagrees with the estimate: " + check.metric + " is " +
                                  text(*check.test) + " on the " + std::to_string(testRows) + " test rows but " +
                                  estimateText() + " — ";
            if (separateTestData)
                message.append(testBetter ? "the separate test data may be easier than the training data; "
                                          : "the separate test data differs from the training data (another "
                                            "period, source or population?); ");
            else
                message.append(testBetter ? "the test rows may be a lucky draw; " : "the test rows may be an unlucky draw; ");
            message.append("trust neither number alone: try another seed, a larger test set, or more data.");
            warnings.push_back(std::move(message));
        }
    }
    return warnings;
}

} // namespace

TargetClasses encodeClasses(const data::Column& target)
{
    TargetClasses classes;
    classes.rowClass.assign(target.size(), -1);
    if (target.isNumeric()) {
        std::vector<double> unique;
        for (double value : target.values())
            if (!std::isnan(value))
                unique.push_back(value);
        std::sort(unique.begin(), unique.end());
        unique.erase(std::unique(unique.begin(), unique.end()), unique.end());
        for (double value : unique)
            classes.labels.push_back(data::formatNumber(value));
        for (std::size_t row = 0; row < target.size(); ++row) {
            const double value = target.values()[row];
            if (!std::isnan(value))
                classes.rowClass[row] =
                    static_cast<int>(std::lower_bound(unique.begin(), unique.end(), value) - unique.begin());
        }
        return classes;
    }
    // Levels that occur, sorted by text (scikit-learn's LabelEncoder order), as the
    // encoders order categories.
    classes.labels = features::sortedPresentLevels(target);
    const std::vector<std::int32_t> classOfCode = features::categoryOfEachLevel(target, classes.labels);
    for (std::size_t row = 0; row < target.size(); ++row) {
        const std::int32_t code = target.codes()[row];
        if (code >= 0)
            classes.rowClass[row] = classOfCode[static_cast<std::size_t>(code)];
    }
    return classes;
}

RunResult runRecipe(const Recipe& recipe, const data::Table& data, const data::Table* testData,
                    core::TaskControl& control)
{
    RunResult result;
    result.separateTestData = testData != nullptr;
    const core::TaskType task = recipe.problem.task;
    const bool classification = task == core::TaskType::Classification;
    control.progress(0.0, "preparing data");

    // Fail on a bad model name, parameter or search before any work is done.
    models::createModel(recipe.model.name, task, recipe.model.params);
    for (const ModelChoice& other : recipe.compareWith)
        models::createModel(other.name, task, other.params);
    std::vector<std::map<std::string, std::string>> candidates;
    std::string searchMetric;
    if (recipe.search) {
        candidates = searchCandidates(*recipe.search, models::findModel(recipe.model.name).params, recipe.model.params,
                                      recipe.model.name, recipe.seed);
        searchMetric = recipe.search->scoring.empty() ? defaultMetric(recipe) : recipe.search->scoring;
        metricInfo(task, searchMetric, "scoring");
    }
    const std::string metric = defaultMetric(recipe);
    const bool higherIsBetter = metricInfo(task, metric, "metric").higherIsBetter;

    const auto auditStart = Clock::now();
    core::TaskControl auditControl = control.subRange(0.0, 0.02);
    result.audit = auditRecipe(recipe, data, auditControl);
    result.timings.auditSeconds = secondsSince(auditStart);
    const auto prepStart = Clock::now();
    core::TaskControl prepControl = control.subRange(0.02, 0.05);
    PreparedData prepared = prepareData(recipe, data, testData, prepControl);
    result.warnings = std::move(prepared.warnings);
    result.testRows = prepared.test;
    result.validationRows = prepared.validation;
    result.trainRowCount = prepared.train.size();

    // Every step is fitted once on the training rows only, then applied to the others;
    // every model of the run trains on what they produce.
    const data::Table featureTable = data.selectColumns(prepared.features);
    prep::LabelledRows train{featureTable.selectRows(prepared.train),
                             trainingTarget(recipe, data, prepared, prepared.train)};
    std::vector<InputColumn> inputs = inputSchema(train.table);
    // The baseline the prediction server measures drift against: the raw training rows.
    std::vector<FeatureDistribution> trainingDistribution = featureDistributions(train.table, inputs);
    FittedSteps fitted = fitSteps(pipelineSteps(recipe), std::move(train), recipe.seed, prepControl);
    result.trainingOnlySteps = std::move(fitted.trainingOnly);
    models::Dataset dataset = toDataset(fitted.train, recipe.seed);
    dataset.classNames = prepared.classes.labels;
    setMonitorRows(dataset, fitted.transformers, featureTable, recipe, data, prepared);
    result.trainRowCount = fitted.train.table.rowCount();
    result.timings.prepSeconds = secondsSince(prepStart);

    // The work ahead in fits on all training rows, to share the progress out fairly.
    const std::size_t trainRows = prepared.train.size();
    const double searchUnits =
        recipe.search ? static_cast<double>(candidates.size()) * cvCost(searchCv(recipe), trainRows) : 0.0;
    const double cvUnits = recipe.crossValidation ? static_cast<double>(1 + recipe.compareWith.size()) *
                                                        cvCost(*recipe.crossValidation, trainRows)
                                                  : 0.0;
    const double fitUnits = static_cast<double>(1 + recipe.compareWith.size());
    const double totalUnits = searchUnits + cvUnits + fitUnits;
    double progressAt = 0.05;
    const auto phase = [&](double units) {
        const double from = progressAt;
        progressAt += 0.9 * units / totalUnits;
        return control.subRange(from, progressAt);
    };

    std::map<std::string, std::string> keptParams = recipe.model.params;
    std::optional<CvScores> keptCv;
    if (recipe.search) {
        const auto searchStart = Clock::now();
        const evaluation::CvSpec spec = searchCv(recipe);
        std::vector<CvModel> cvModels;
        for (std::size_t i = 0; i < candidates.size(); ++i)
            cvModels.push_back({recipe.model.name, candidates[i], recipe.model.name + " #" + std::to_string(i + 1)});
        core::TaskControl searchControl = phase(searchUnits);
        const std::vector<CvScores> scores =
            crossValidateModels(recipe, data, prepared, cvSplits(recipe, data, prepared, spec), searchMetric,
                                cvModels, "search", searchControl);
        SearchResult search;
        search.kind = searchKindText(*recipe.search);
        search.strategy = evaluation::toString(spec);
        search.metric = searchMetric;
        for (std::size_t i = 0; i < candidates.size(); ++i) {
            SearchCandidate candidate;
            for (const auto& entry : recipe.search->space)
                candidate.params[entry.first] = candidates[i].at(entry.first);
            candidate.foldScores = scores[i].scores;
            candidate.mean = scores[i].mean;
            candidate.std = scores[i].std;
            candidate.fitSeconds = scores[i].fitSeconds;
            search.candidates.push_back(std::move(candidate));
        }
        rankCandidates(search, metricInfo(task, searchMetric, "scoring").higherIsBetter);
        search.bestParams = candidates[search.best];
        keptParams = search.bestParams;
        if (recipe.crossValidation && searchMetric == metric)
            keptCv = scores[search.best];  // the same folds, metric and parameters
        if (recipe.search->kind == SearchKind::Random &&
            candidates.size() < static_cast<std::size_t>(recipe.search->iterations))
            result.warnings.push_back("the random search tried all " + std::to_string(candidates.size()) +
                                      " combinations of the listed values, fewer than the " +
                                      std::to_string(recipe.search->iterations) + " asked for");
        result.search = std::move(search);
        result.timings.searchSeconds = secondsSince(searchStart);
    }

    // The leaderboard: the kept model first, then the others in the recipe's order.
    std::vector<ModelChoice> board = {ModelChoice{recipe.model.name, keptParams}};
    board.insert(board.end(), recipe.compareWith.begin(), recipe.compareWith.end());
    const bool leaderboard = !recipe.compareWith.empty();
    const std::vector<std::string> labels = leaderboardLabels(board);

    std::vector<std::optional<CvScores>> boardCv(board.size());
    if (recipe.crossValidation) {
        boardCv[0] = keptCv;
        std::vector<CvModel> cvModels;
        std::vector<std::size_t> which;
        for (std::size_t i = 0; i < board.size(); ++i)
            if (!boardCv[i]) {
                cvModels.push_back({board[i].name, board[i].params, leaderboard ? labels[i] : std::string()});
                which.push_back(i);
            }
        core::TaskControl cvControl = phase(cvUnits);
        const std::vector<CvScores> scores =
            crossValidateModels(recipe, data, prepared, cvSplits(recipe, data, prepared, *recipe.crossValidation),
                                metric, cvModels, "cross-validation", cvControl);
        for (std::size_t k = 0; k < which.size(); ++k)
            boardCv[which[k]] = scores[k];
        result.crossValidation = crossValidationResult(*recipe.crossValidation, metric, *boardCv[0]);
    }

    const auto fitStart = Clock::now();
    core::TaskControl fitControl = phase(1.0);
    if (leaderboard)
        fitControl = fitControl.labelled(labels[0]);
    fitControl.progress(0.0, "training " + recipe.model.name);
    std::unique_ptr<models::Model> model = models::createModel(recipe.model.name, task, keptParams);
    result.fit = model->fit(dataset, fitControl);
    result.timings.fitSeconds = secondsSince(fitStart);

    std::vector<std::unique_ptr<prep::Transformer>> boardSteps;
    if (leaderboard)
        boardSteps = cloneSteps(fitted.transformers);  // before the kept pipeline takes them
    PipelineMetadata metadata;
    metadata.stepwiseVersion = core::kVersion;
    metadata.createdUtc = utcNow();
    metadata.recipeJson = recipeToJson(recipe);
    metadata.trainingRows = result.trainRowCount;
    metadata.seed = recipe.seed;
    describeTrainingData(recipe.data, data, metadata);
    metadata.libraryVersions = libraryVersions();
    metadata.trainingDistribution = std::move(trainingDistribution);
    auto pipeline = std::make_shared<FittedPipeline>(task, recipe.problem.target, inputs, prepared.classes.labels,
                                                     std::move(fitted.transformers), dataset.featureNames,
                                                     std::move(model), pipelineImputes(recipe), metadata);

    control.progress(progressAt, "evaluating on the test rows");
    const auto predictStart = Clock::now();
    const data::Table* evaluated = testData ? testData : &data;
    const Eigen::MatrixXd testX =
        pipeline->transform(evaluated->selectColumns(prepared.features).selectRows(result.testRows));
    EvaluationRows rows;
    rows.testX = &testX;
    rows.classCount = static_cast<int>(prepared.classes.labels.size());
    if (!result.validationRows.empty())
        rows.validationX = &dataset.monitorX;
    if (classification) {
        rows.testClasses = actualClasses(recipe, *evaluated, testData != nullptr, prepared.classes, result.testRows);
        if (rows.validationX)
            rows.validationClasses = actualClasses(recipe, data, false, prepared.classes, result.validationRows);
    } else {
        rows.testValues = actualValues(recipe, *evaluated, result.testRows);
        if (rows.validationX)
            rows.validationValues = actualValues(recipe, data, result.validationRows);
    }
    Evaluated kept = evaluate(pipeline->model(), task, rows);
    // The training rows as they were, through the whole pipeline: rows a training-only
    // step added or removed are not the user's rows.
    const Predictions trainPredictions = pipeline->predict(featureTable.selectRows(prepared.train));
    if (classification)
        result.trainClassification = evaluation::classificationMetrics(
            actualClasses(recipe, data, false, prepared.classes, prepared.train), trainPredictions.classIndex,
            trainPredictions.proba, rows.classCount);
    else
        result.trainRegression =
            evaluation::regressionMetrics(actualValues(recipe, data, prepared.train), trainPredictions.values);
    result.timings.predictSeconds = secondsSince(predictStart);
    result.testPredictions = std::move(kept.test);
    result.validationPredictions = std::move(kept.validation);
    result.classification = kept.classification;
    result.validationClassification = kept.validationClassification;
    result.regression = kept.regression;
    result.validationRegression = kept.validationRegression;
    if (classification) {
        result.testActualClass = rows.testClasses;
        if (!result.classification->rocAuc)
            result.warnings.push_back("ROC-AUC is undefined: some class has no rows in the test set");
    } else {
        result.testActualValue = rows.testValues;
    }

    if (const auto& criterion = recipe.problem.success) {
        const std::optional<double> value = metricOf(result.classification, result.regression, criterion->metric);
        result.verdict = evaluation::judge(*criterion, value);
    }
    // What the saved model says about itself: its own test scores and verdict (each
    // leaderboard pipeline gets its own below).
    metadata.testRows = result.testRows.size();
    metadata.testScores = namedScores(task, result.classification, result.regression);
    metadata.verdict = result.verdict ? verdictText(*result.verdict) : std::string();
    pipeline->setMetadata(metadata);
    if (!result.fit.converged)
        result.warnings.push_back(result.fit.message);

    EstimateCheck& check = result.estimateCheck;
    check.metric = metric;
    check.train = metricOf(result.trainClassification, result.trainRegression, metric);
    check.test = metricOf(result.classification, result.regression, metric);
    if (result.crossValidation) {
        check.estimate = result.crossValidation->mean;
        check.estimateSpread = result.crossValidation->std;
        check.estimateSource = "cross-validation";
    } else if (const auto validation =
                   metricOf(result.validationClassification, result.validationRegression, metric)) {
        check.estimate = validation;
        check.estimateSource = "validation rows";
    }
    check.warnings = estimateWarnings(check, higherIsBetter, result.testRows.size(), result.separateTestData);

    if (leaderboard) {
        LeaderboardEntry first;
        first.model = board[0];
        first.kept = true;
        first.pipeline = pipeline;
        first.classification = result.classification;
        first.regression = result.regression;
        first.validationScore = metricOf(result.validationClassification, result.validationRegression, metric);
        if (boardCv[0])
            first.crossValidation = result.crossValidation;
        first.fitSeconds = result.timings.fitSeconds;
        first.fit = result.fit;
        result.leaderboard.push_back(std::move(first));
        for (std::size_t i = 1; i < board.size(); ++i) {
            core::TaskControl otherControl = phase(1.0).labelled(labels[i]);
            otherControl.progress(0.0, "training " + labels[i]);
            LeaderboardEntry entry;
            entry.model = board[i];
            const auto start = Clock::now();
            std::unique_ptr<models::Model> other = models::createModel(board[i].name, task, board[i].params);
            entry.fit = other->fit(dataset, otherControl);
            entry.fitSeconds = secondsSince(start);
            if (!entry.fit.converged)
                result.warnings.push_back(labels[i] + ": " + entry.fit.message);
            const Evaluated scored = evaluate(*other, task, rows);
            entry.classification = scored.classification;
            entry.regression = scored.regression;
            entry.validationScore = metricOf(scored.validationClassification, scored.validationRegression, metric);
            if (boardCv[i])
                entry.crossValidation = crossValidationResult(*recipe.crossValidation, metric, *boardCv[i]);
            PipelineMetadata otherMetadata = metadata;
            otherMetadata.testScores = namedScores(task, scored.classification, scored.regression);
            otherMetadata.verdict.clear();
            if (const auto& criterion = recipe.problem.success)
                otherMetadata.verdict = verdictText(evaluation::judge(
                    *criterion, metricOf(scored.classification, scored.regression, criterion->metric)));
            otherMetadata.recipeJson = recipeToJson([&] {
                Recipe own = recipe;
                own.model = board[i];
                own.compareWith.clear();
                own.search.reset();
                return own;
            }());
            entry.pipeline = std::make_shared<FittedPipeline>(
                task, recipe.problem.target, inputs, prepared.classes.labels,
                i + 1 == board.size() ? std::move(boardSteps) : cloneSteps(boardSteps), dataset.featureNames,
                std::move(other), pipelineImputes(recipe), std::move(otherMetadata));
            result.leaderboard.push_back(std::move(entry));
        }
        result.leaderboardMetric = metric;
        result.leaderboardRankedOn = recipe.crossValidation    ? "cross-validation"
                                     : rows.validationX != nullptr ? "validation rows"
                                                                  : "test rows";
        const auto rankingValue = [&](const LeaderboardEntry& entry) -> std::optional<double> {
            if (entry.crossValidation)
                return entry.crossValidation->mean;
            if (rows.validationX)
                return entry.validationScore;
            return metricOf(entry.classification, entry.regression, metric);
        };
        // Stable: on equal scores the recipe's order stands, the kept model first.
        std::stable_sort(result.leaderboard.begin(), result.leaderboard.end(),
                         [&](const LeaderboardEntry& a, const LeaderboardEntry& b) {
                             const std::optional<double> x = rankingValue(a), y = rankingValue(b);
                             if (!x || !y)
                                 return x.has_value() && !y.has_value();
                             return better(*x, *y, higherIsBetter);
                         });
    }

    // Last, after every fit, so no other work of this run competes for the cores.
    const auto latencyStart = Clock::now();
    core::TaskControl latencyControl = control.subRange(progressAt, 1.0);
    // Up to 200 test rows spread over all of them, copied alone rather than the whole table.
    constexpr std::size_t kLatencyRows = 200;
    const std::size_t latencyCount = std::min(kLatencyRows, result.testRows.size());
    std::vector<std::size_t> latencyRows(latencyCount), latencyPositions(latencyCount);
    for (std::size_t i = 0; i < latencyCount; ++i) {
        latencyRows[i] = result.testRows[i * result.testRows.size() / latencyCount];
        latencyPositions[i] = i;
    }
    result.latency = measureLatency(*pipeline, evaluated->selectRows(latencyRows).selectColumns(prepared.features),
                                    latencyPositions, latencyControl, kLatencyRows);
    result.timings.latencySeconds = secondsSince(latencyStart);
    if (const auto& budget = recipe.problem.maxLatencyMs)
        result.latencyVerdict = evaluation::LatencyVerdict{*budget, result.latency.p99Ms,
                                                           result.latency.p99Ms <= *budget};

    result.pipeline = std::move(pipeline);
    control.progress(1.0, "done");
    return result;
}

} // namespace stepwise::workflow
