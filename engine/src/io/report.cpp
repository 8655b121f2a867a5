#include "stepwise/io/report.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>

#include <nlohmann/json.hpp>

#include "stepwise/core/threads.hpp"
#include "stepwise/core/version.hpp"
#include "stepwise/data/csv_writer.hpp"
#include "stepwise/evaluation/curves.hpp"
#include "stepwise/evaluation/success.hpp"
#include "stepwise/io/project.hpp"

namespace stepwise::io {
namespace {

using nlohmann::json;

// Parameter values are kept as text; the report shows numbers and booleans as such.
json paramValue(const std::string& text)
{
    if (text == "true" || text == "false")
        return text == "true";
    double number = 0.0;
    const char* end = text.data() + text.size();
    auto [ptr, ec] = std::from_chars(text.data(), end, number);
    if (ec == std::errc() && ptr == end) {
        if (std::floor(number) == number && std::abs(number) < 9e15 && text.find_first_of(".eE") == std::string::npos)
            return static_cast<long long>(number);
        return number;
    }
    return text;
}

json optionalNumber(const std::optional<double>& value)
{
    return value && std::isfinite(*value) ? json(*value) : json(nullptr);
}

// Non-finite values (Cohen's kappa 0/0, R² of one row) are written as null: JSON has no NaN.
json finiteNumber(double value)
{
    return std::isfinite(value) ? json(value) : json(nullptr);
}

json classificationJson(const evaluation::ClassificationMetrics& m)
{
    return {{"accuracy", m.accuracy},
            {"precision_macro", m.precisionMacro},
            {"recall_macro", m.recallMacro},
            {"f1_macro", m.f1Macro},
            {"precision_weighted", m.precisionWeighted},
            {"recall_weighted", m.recallWeighted},
            {"f1_weighted", m.f1Weighted},
            {"roc_auc", optionalNumber(m.rocAuc)},
            {"log_loss", optionalNumber(m.logLoss)},
            {"balanced_accuracy", finiteNumber(m.balancedAccuracy)},
            {"precision_micro", finiteNumber(m.precisionMicro)},
            {"recall_micro", finiteNumber(m.recallMicro)},
            {"f1_micro", finiteNumber(m.f1Micro)},
            {"specificity_macro", finiteNumber(m.specificityMacro)},
            {"mcc", finiteNumber(m.matthews)},
            {"cohen_kappa", finiteNumber(m.cohenKappa)},
            {"roc_auc_ovr_weighted", optionalNumber(m.rocAucOvrWeighted)},
            {"roc_auc_ovo", optionalNumber(m.rocAucOvo)},
            {"roc_auc_ovo_weighted", optionalNumber(m.rocAucOvoWeighted)},
            {"average_precision", optionalNumber(m.averagePrecision)},
            {"brier", optionalNumber(m.brier)}};
}

json regressionJson(const evaluation::RegressionMetrics& m)
{
    return {{"mse", m.mse},
            {"rmse", m.rmse},
            {"mae", m.mae},
            {"r2", m.r2},
            {"median_ae", finiteNumber(m.medianAe)},
            {"explained_variance", finiteNumber(m.explainedVariance)},
            {"mape", finiteNumber(m.mape)}};
}

json paramsJson(const std::map<std::string, std::string>& params)
{
    json out = json::object();
    for (const auto& [name, value] : params)
        out[name] = paramValue(value);
    return out;
}

json crossValidationJson(const workflow::CrossValidationResult& cv)
{
    return {{"strategy", cv.strategy}, {"metric", cv.metric}, {"scores", cv.scores}, {"mean", cv.mean},
            {"std", cv.std}};
}

json searchJson(const workflow::SearchResult& search)
{
    json candidates = json::array();
    for (const workflow::SearchCandidate& c : search.candidates)
        candidates.push_back({{"params", paramsJson(c.params)},
                              {"scores", c.foldScores},
                              {"mean", c.mean},
                              {"std", c.std},
                              {"rank", c.rank},
                              {"fit_s", c.fitSeconds}});
    const workflow::SearchCandidate& best = search.candidates.at(search.best);
    return {{"best_params", paramsJson(best.params)},
            {"best_score", best.mean},
            {"tried", search.candidates.size()},
            {"kind", search.kind},
            {"metric", search.metric},
            {"strategy", search.strategy},
            {"candidates", candidates}};
}

json leaderboardJson(const std::vector<workflow::LeaderboardEntry>& entries)
{
    json board = json::array();
    for (const workflow::LeaderboardEntry& entry : entries) {
        json metrics = nullptr;
        if (entry.classification)
            metrics = classificationJson(*entry.classification);
        else if (entry.regression)
            metrics = regressionJson(*entry.regression);
        board.push_back({{"model", entry.model.name},
                         {"params", paramsJson(entry.pipeline->model().params().all())},
                         {"kept", entry.kept},
                         {"metrics", metrics},
                         {"validation_score", optionalNumber(entry.validationScore)},
                         {"cv", entry.crossValidation ? crossValidationJson(*entry.crossValidation) : json(nullptr)},
                         {"fit_s", entry.fitSeconds}});
    }
    return board;
}

/// `report["curves"]` on the test rows when the model gives probabilities: for two
/// classes the ROC, precision-recall and calibration curves of class 1, for more the ROC
/// and precision-recall curves of each class present against the rest.
void addCurves(json& report, const Eigen::MatrixXd& proba, const std::vector<int>& actualClass,
               const std::vector<std::string>& classes)
{
    if (proba.size() == 0 || actualClass.empty())
        return;
    const auto classCount = static_cast<std::size_t>(proba.cols());
    const auto curvesOf = [&](std::size_t c, bool withCalibration) {
        std::vector<bool> positive(actualClass.size());
        std::vector<double> score(positive.size());
        for (std::size_t i = 0; i < positive.size(); ++i) {
            positive[i] = actualClass[i] == static_cast<int>(c);
            // Probabilities may overshoot [0, 1] by a rounding error; calibration needs them inside.
            score[i] = std::clamp(proba(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(c)), 0.0, 1.0);
        }
        json out;
        if (const auto roc = evaluation::rocCurve(positive, score))
            out["roc"] = {{"fpr", roc->fpr}, {"tpr", roc->tpr}, {"thresholds", roc->thresholds}, {"auc", roc->auc}};
        else
            out["roc"] = nullptr;
        if (const auto pr = evaluation::precisionRecallCurve(positive, score))
            out["precision_recall"] = {{"precision", pr->precision},
                                       {"recall", pr->recall},
                                       {"thresholds", pr->thresholds},
                                       {"average_precision", pr->averagePrecision}};
        else
            out["precision_recall"] = nullptr;
        if (withCalibration) {
            const evaluation::CalibrationCurve calibration = evaluation::calibrationCurve(positive, score, 10);
            out["calibration"] = {{"mean_predicted", calibration.meanPredicted},
                                  {"fraction_positive", calibration.fractionPositive},
                                  {"counts", calibration.counts}};
        }
        return out;
    };
    if (classCount == 2) {
        report["curves"] = curvesOf(1, true);
        return;
    }
    json perClass = json::object();
    for (std::size_t c = 0; c < classCount; ++c)
        if (std::find(actualClass.begin(), actualClass.end(), static_cast<int>(c)) !=
            actualClass.end())
            perClass[classes[c]] = curvesOf(c, false);
    report["curves"] = {{"per_class", perClass}};
}

json latencyJson(const workflow::LatencyMeasurement& latency)
{
    return {{"samples", latency.samples},
            {"median_ms", latency.medianMs},
            {"p99_ms", latency.p99Ms},
            {"max_ms", latency.maxMs}};
}

json estimateCheckJson(const workflow::EstimateCheck& check)
{
    return {{"metric", check.metric},
            {"train", optionalNumber(check.train)},
            {"estimate", optionalNumber(check.estimate)},
            {"estimate_spread", check.estimateSpread},
            {"estimate_source", check.estimateSource.empty() ? json(nullptr) : json(check.estimateSource)},
            {"test", optionalNumber(check.test)},
            {"warnings", check.warnings}};
}

// What train and evaluate report alike about scored rows: the metrics, the per-class
// scores, confusion matrix, text report and curves, the verdict (metric and latency
// budget) and the latency.
void addScoring(json& report, const workflow::FittedPipeline& pipeline,
                const workflow::Predictions& predictions, const std::vector<int>& actualClass,
                const std::optional<evaluation::ClassificationMetrics>& classification,
                const std::optional<evaluation::RegressionMetrics>& regression,
                const std::optional<evaluation::SuccessVerdict>& verdict, const workflow::LatencyMeasurement& latency,
                const std::optional<evaluation::LatencyVerdict>& latencyVerdict)
{
    if (classification) {
        const auto& m = *classification;
        report["classes"] = pipeline.classes();
        report["metrics"] = classificationJson(m);
        json perClass = json::object();
        for (std::size_t c = 0; c < m.perClass.size(); ++c)
            perClass[pipeline.classes()[c]] = {{"precision", m.perClass[c].precision},
                                               {"recall", m.perClass[c].recall},
                                               {"f1", m.perClass[c].f1},
                                               {"specificity", m.perClass[c].specificity},
                                               {"support", m.perClass[c].support}};
        report["per_class"] = perClass;
        report["confusion_matrix"] = m.confusion;
        report["classification_report"] = evaluation::classificationReport(m, pipeline.classes());
        addCurves(report, predictions.proba, actualClass, pipeline.classes());
    } else if (regression) {
        report["metrics"] = regressionJson(*regression);
    }
    if (verdict || latencyVerdict) {
        // With a latency budget, "passed" is the whole verdict: the metric and the budget.
        json success = {{"criterion", verdict ? json(verdict->criterion.toString()) : json(nullptr)},
                        {"value", verdict ? optionalNumber(verdict->value) : json(nullptr)},
                        {"passed", (!verdict || verdict->passed) && (!latencyVerdict || latencyVerdict->passed)}};
        if (latencyVerdict)
            success["latency"] = {{"budget_ms", latencyVerdict->budgetMs},
                                  {"p99_ms", latencyVerdict->measuredMs},
                                  {"passed", latencyVerdict->passed}};
        report["success"] = std::move(success);
    }
    report["latency"] = latencyJson(latency);
}

} // namespace

std::string evaluationReportJson(const workflow::FittedPipeline& pipeline,
                                 const workflow::PipelineEvaluation& evaluation, const std::string& data)
{
    const workflow::PipelineMetadata& trained = pipeline.metadata();
    json report = {{"stepwise_version", core::kVersion},
                   {"task", core::toString(pipeline.task())},
                   {"model", pipeline.model().name()},
                   {"params", paramsJson(pipeline.model().params().all())},
                   {"target", pipeline.target()},
                   {"data", data},
                   {"rows", {{"evaluated", evaluation.rows.size()}, {"skipped", evaluation.skippedRows}}},
                   {"trained",
                    {{"stepwise_version", trained.stepwiseVersion},
                     {"created_utc", trained.createdUtc},
                     {"rows", trained.trainingRows}}}};
    addScoring(report, pipeline, evaluation.predictions, evaluation.actualClass, evaluation.classification,
               evaluation.regression, evaluation.verdict, evaluation.latency, evaluation.latencyVerdict);
    report["warnings"] = evaluation.warnings;
    return report.dump(2) + "\n";
}

std::string reportJson(const workflow::Recipe& recipe, const workflow::RunResult& result)
{
    const workflow::FittedPipeline& pipeline = *result.pipeline;
    const json params = paramsJson(pipeline.model().params().all());

    json steps = json::array();
    for (const auto& step : pipeline.steps())
        steps.push_back(step->describe());

    json report = {{"stepwise_version", core::kVersion},
                   {"task", core::toString(recipe.problem.task)},
                   {"model", pipeline.model().name()},
                   {"params", params},
                   {"target", recipe.problem.target},
                   {"data", recipe.data.describe()},
                   {"seed", recipe.seed},
                   {"rows", {{"train", result.trainRowCount}, {"test", result.testRows.size()}}},
                   {"pipeline", steps},
                   {"training_only_steps", result.trainingOnlySteps},
                   {"fit",
                    {{"iterations", result.fit.iterations},
                     {"converged", result.fit.converged},
                     {"message", result.fit.message}}}};

    addScoring(report, pipeline, result.testPredictions, result.testActualClass, result.classification,
               result.regression, result.verdict, result.latency, result.latencyVerdict);
    if (result.trainClassification)
        report["train_metrics"] = classificationJson(*result.trainClassification);
    else if (result.trainRegression)
        report["train_metrics"] = regressionJson(*result.trainRegression);
    report["estimate_check"] = estimateCheckJson(result.estimateCheck);
    // The problem statement as the Problem page exports it: objective, success, constraints.
    report["problem"] = json::parse(workflow::problemToJson(recipe.problem));
    if (!result.validationRows.empty())
        report["rows"]["validation"] = result.validationRows.size();
    if (result.validationClassification)
        report["validation_metrics"] = classificationJson(*result.validationClassification);
    if (const auto& m = result.validationRegression)
        report["validation_metrics"] = regressionJson(*m);
    if (const auto& cv = result.crossValidation)
        report["cv"] = crossValidationJson(*cv);
    if (const auto& search = result.search)
        report["search"] = searchJson(*search);
    if (!result.leaderboard.empty()) {
        report["leaderboard"] = leaderboardJson(result.leaderboard);
        report["leaderboard_metric"] = result.leaderboardMetric;
        report["leaderboard_ranked_on"] = result.leaderboardRankedOn;
    }
    report["timings"] = {{"load_s", result.timings.loadSeconds},
                         {"audit_s", result.timings.auditSeconds},
                         {"prep_s", result.timings.prepSeconds},
                         {"search_s", result.timings.searchSeconds},
                         {"fit_s", result.timings.fitSeconds},
                         {"predict_s", result.timings.predictSeconds},
                         {"latency_s", result.timings.latencySeconds}};
    report["warnings"] = result.warnings;
    json audit = json::array();
    for (const workflow::AuditFinding& finding : result.audit)
        audit.push_back({{"kind", finding.kind},
                         {"severity", workflow::toString(finding.severity)},
                         {"columns", finding.columns},
                         {"message", finding.message},
                         {"fix", finding.fix}});
    report["audit"] = audit;
    // What the run was made with (versions, seed, data digest, threads, machine), so a
    // re-run can be told apart from a different run.
    report["manifest"] = json::parse(manifestToJson(makeManifest(result, core::threadCount())));
    return report.dump(2) + "\n";
}

std::string predictedText(const workflow::FittedPipeline& pipeline, const workflow::Predictions& predictions,
                          std::size_t i)
{
    if (predictions.task == core::TaskType::Classification)
        return pipeline.classes()[static_cast<std::size_t>(predictions.classIndex[i])];
    return data::formatNumber(predictions.values(static_cast<Eigen::Index>(i)));
}

void writePredictionsCsv(std::ostream& out, const workflow::FittedPipeline& pipeline,
                         const std::vector<std::size_t>& rows, const std::vector<std::string>& actual,
                         const workflow::Predictions& predictions, bool withProba)
{
    const bool probabilities = withProba && predictions.task == core::TaskType::Classification && predictions.proba.size() > 0;
    out << "row";
    if (!actual.empty())
        out << ",actual";
    out << ",predicted";
    if (probabilities)
        for (const std::string& label : pipeline.classes())
            out << ',' << data::csvField("proba_" + label);
    out << '\n';
    for (std::size_t i = 0; i < predictions.size(); ++i) {
        out << rows[i];
        if (!actual.empty())
            out << ',' << data::csvField(actual[i]);
        out << ',' << data::csvField(predictedText(pipeline, predictions, i));
        if (probabilities)
            for (Eigen::Index c = 0; c < predictions.proba.cols(); ++c)
                out << ',' << data::formatNumber(predictions.proba(static_cast<Eigen::Index>(i), c));
        out << '\n';
    }
}

} // namespace stepwise::io
