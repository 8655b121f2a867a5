#include "tasks/evaluation_curves.hpp"

#include <algorithm>

#include "stepwise/core/errors.hpp"

namespace stepwise::ui {
namespace {

ModelCurves curvesOf(const std::string& model, bool kept, const std::vector<int>& actual, const Eigen::MatrixXd& proba,
                     std::size_t classCount, core::TaskControl& control)
{
    ModelCurves curves;
    curves.model = model;
    curves.kept = kept;
    curves.hasProbabilities = proba.size() > 0 && std::size_t(proba.rows()) == actual.size() &&
                              std::size_t(proba.cols()) == classCount && classCount >= 2;
    if (!curves.hasProbabilities)
        return curves;
    // Binary problems are read as class 1 against class 0 (scikit-learn's pos_label=1).
    const std::size_t first = classCount == 2 ? 1 : 0;
    for (std::size_t c = first; c < classCount; ++c) {
        control.progress(double(c - first) / double(classCount - first));
        ClassCurves one;
        one.classIndex = int(c);
        one.rows = actual.size();
        std::vector<bool> positive(actual.size());
        std::vector<double> score(actual.size());
        for (std::size_t i = 0; i < actual.size(); ++i) {
            positive[i] = actual[i] == int(c);
            one.positives += positive[i] ? 1 : 0;
            // Rounding may leave a probability a hair outside [0, 1]; the calibration
            // curve (rightly) refuses those.
            score[i] = std::clamp(proba(Eigen::Index(i), Eigen::Index(c)), 0.0, 1.0);
        }
        one.roc = evaluation::rocCurve(positive, score);
        one.precisionRecall = evaluation::precisionRecallCurve(positive, score);
        if (!actual.empty())
            one.calibration = evaluation::calibrationCurve(positive, score, 10, evaluation::CalibrationBins::Uniform);
        curves.classes.push_back(std::move(one));
    }
    control.progress(1.0);
    return curves;
}

std::size_t classCountOf(const workflow::RunResult& result)
{
    return result.pipeline ? result.pipeline->classes().size() : 0;
}

} // namespace

std::vector<double> positiveScores(const workflow::RunResult& result)
{
    const Eigen::MatrixXd& proba = result.testPredictions.proba;
    if (classCountOf(result) != 2 || proba.cols() != 2 || std::size_t(proba.rows()) != result.testActualClass.size())
        return {};
    std::vector<double> scores(std::size_t(proba.rows()));
    for (Eigen::Index i = 0; i < proba.rows(); ++i)
        scores[std::size_t(i)] = proba(i, 1);
    return scores;
}

std::shared_ptr<const EvaluationCurves> keptModelCurves(const workflow::RunResult& result, core::TaskControl& control)
{
    auto curves = std::make_shared<EvaluationCurves>();
    if (!result.classification || !result.pipeline)
        return curves;
    control.progress(0.0, "Curves of the kept model");
    auto part = control.subRange(0.0, 0.9);
    curves->models.push_back(curvesOf(result.pipeline->model().name(), true, result.testActualClass,
                                      result.testPredictions.proba, classCountOf(result), part));
    const std::vector<double> scores = positiveScores(result);
    if (!scores.empty()) {
        std::vector<bool> positive(scores.size());
        for (std::size_t i = 0; i < scores.size(); ++i)
            positive[i] = result.testActualClass[i] == 1;
        curves->threshold = std::make_shared<const evaluation::ThresholdAnalysis>(positive, scores);
    }
    control.progress(1.0);
    return curves;
}

std::shared_ptr<const EvaluationCurves> comparedModelCurves(const workflow::RunResult& result,
                                                            const data::Table& table, core::TaskControl& control)
{
    auto curves = std::make_shared<EvaluationCurves>();
    if (!result.classification || result.leaderboard.empty())
        return curves;
    for (std::size_t row : result.testRows) {
        if (row >= table.rowCount())
            throw core::DataError("the test rows are not in the loaded table (it has " +
                                  std::to_string(table.rowCount()) + " rows) — train again on this data");
    }
    const data::Table testTable = table.selectRows(result.testRows);
    const std::size_t classCount = classCountOf(result);
    const double step = 1.0 / double(result.leaderboard.size());
    for (std::size_t m = 0; m < result.leaderboard.size(); ++m) {
        const auto& entry = result.leaderboard[m];
        auto part = control.subRange(double(m) * step, double(m + 1) * step);
        std::string stage = "Scoring ";
        stage.append(entry.model.name);
        stage.append(" on the test rows");
        part.progress(0.0, stage);
        if (entry.kept || entry.pipeline == result.pipeline || !entry.pipeline) {
            auto model = curvesOf(entry.model.name, true, result.testActualClass, result.testPredictions.proba,
                                  classCount, part);
            curves->models.insert(curves->models.begin(), std::move(model));
            continue;
        }
        const workflow::Predictions predictions = entry.pipeline->predict(testTable);
        auto rest = part.subRange(0.5, 1.0);
        const bool sameClasses = entry.pipeline->classes() == result.pipeline->classes();
        curves->models.push_back(curvesOf(entry.model.name, false, result.testActualClass,
                                          sameClasses ? predictions.proba : Eigen::MatrixXd(), classCount, rest));
    }
    control.progress(1.0);
    return curves;
}

} // namespace stepwise::ui
