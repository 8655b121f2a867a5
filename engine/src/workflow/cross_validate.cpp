#include "workflow/cross_validate.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <exception>
#include <limits>
#include <mutex>

#include "models/numpy_sum.hpp"
#include "stepwise/core/errors.hpp"
#include "stepwise/evaluation/success.hpp"
#include "stepwise/models/registry.hpp"

namespace stepwise::workflow {
namespace {

using Clock = std::chrono::steady_clock;

// Folds held in memory at once; more folds than fit (leave-one-out on many rows) are
// prepared and scored in waves.
constexpr std::size_t kWaveBytes = std::size_t(768) << 20;
// A fold's step fitting counts as this many model fits in the progress.
constexpr double kPrepareWeight = 0.5;

// Rows to score a fold's models on: through the fold's fitted steps, with their actual
// classes or values.
struct ScoredRows {
    Eigen::MatrixXd x;
    std::vector<int> classes;
    Eigen::VectorXd values;

    std::size_t bytes() const
    {
        return sizeof(double) * static_cast<std::size_t>(x.size() + values.size()) + sizeof(int) * classes.size();
    }
};

// One fold, ready for any model: the steps fitted on its training rows, its training
// data and its test rows (and, for train scores, its training rows) through those steps.
struct PreparedFold {
    models::Dataset train;
    ScoredRows test;
    std::optional<ScoredRows> trainRows;

    std::size_t bytes() const
    {
        return sizeof(double) * static_cast<std::size_t>(train.x.size() + train.y.size()) + test.bytes() +
               (trainRows ? trainRows->bytes() : 0);
    }
};

// Overall progress of many concurrent fits: the sum of their fractions over the total,
// reported through the caller's control (whose cancel thereby reaches every fit).
class ProgressBoard {
public:
    ProgressBoard(core::TaskControl control, double totalUnits)
        : m_control(std::move(control)), m_total(std::max(totalUnits, 1.0))
    {
    }

    void add(double units, const std::string& stage = {})
    {
        std::lock_guard lock(m_mutex);
        m_done += units;
        m_control.progress((m_done + m_running) / m_total, stage);
    }

    void set(std::size_t slot, double fraction)
    {
        std::lock_guard lock(m_mutex);
        if (slot >= m_fractions.size())
            m_fractions.resize(slot + 1, 0.0);
        const double clamped = std::clamp(fraction, 0.0, 1.0);
        m_running += clamped - m_fractions[slot];
        m_fractions[slot] = clamped;
        m_control.progress((m_done + m_running) / m_total);
    }

    void finish(std::size_t slot)
    {
        std::lock_guard lock(m_mutex);
        if (slot < m_fractions.size()) {
            m_running -= m_fractions[slot];
            m_fractions[slot] = 0.0;
        }
        m_done += 1.0;
        m_control.progress((m_done + m_running) / m_total);
    }

private:
    core::TaskControl m_control;
    std::mutex m_mutex;
    double m_total;
    double m_done = 0.0;
    double m_running = 0.0;
    std::vector<double> m_fractions;
};

// The control of one fit: its progress goes to the board, its own curve is not shown
// (it is measured on a fold's rows), and it stops when the run is cancelled or another
// fit has failed.
class FitObserver : public core::TaskObserver {
public:
    FitObserver(ProgressBoard& board, std::size_t slot, const std::atomic<bool>& failed)
        : m_board(board), m_slot(slot), m_failed(failed)
    {
    }

    void onProgress(double fraction, const std::string&) override
    {
        if (m_failed.load(std::memory_order_relaxed))
            throw core::Cancelled();
        m_board.set(m_slot, fraction);  // throws Cancelled once the run is cancelled
    }

private:
    ProgressBoard& m_board;
    std::size_t m_slot;
    const std::atomic<bool>& m_failed;
};

// Which fit runs next: first one fold of every model, in order, then the other folds of
// the slowest model first (as measured on its first fold), so the fits left at the end,
// when threads fall idle, are the short ones. Only the order changes, never a result.
class FitQueue {
public:
    FitQueue(std::size_t models, std::size_t folds)
        : m_folds(folds), m_nextFold(models, 1), m_firstSeconds(models, -1.0)
    {
    }

    // A task index (model × folds + fold), or nullopt when every fit has been handed out.
    std::optional<std::size_t> next()
    {
        std::lock_guard lock(m_mutex);
        if (m_firstHandedOut < m_nextFold.size())
            return m_firstHandedOut++ * m_folds;
        std::optional<std::size_t> chosen;
        for (std::size_t m = 0; m < m_nextFold.size(); ++m) {
            if (m_nextFold[m] >= m_folds)
                continue;
            // A model whose first fit is still running is taken as the slowest.
            const auto cost = [&](std::size_t i) {
                return m_firstSeconds[i] < 0.0 ? std::numeric_limits<double>::infinity() : m_firstSeconds[i];
            };
            if (!chosen || cost(m) > cost(*chosen))
                chosen = m;
        }
        if (!chosen)
            return std::nullopt;
        return *chosen * m_folds + m_nextFold[*chosen]++;
    }

    void measured(std::size_t model, double seconds)
    {
        std::lock_guard lock(m_mutex);
        m_firstSeconds[model] = seconds;
    }

private:
    std::mutex m_mutex;
    std::size_t m_folds;
    std::size_t m_firstHandedOut = 0;
    std::vector<std::size_t> m_nextFold;
    std::vector<double> m_firstSeconds;
};

CvScores summarise(std::vector<double> scores, double fitSeconds)
{
    CvScores result;
    const Spread spread = spreadOf(scores);
    result.scores = std::move(scores);
    result.fitSeconds = fitSeconds;
    result.mean = spread.mean;
    result.std = spread.std;
    return result;
}

} // namespace

Spread spreadOf(const std::vector<double>& values)
{
    const auto count = static_cast<Eigen::Index>(values.size());
    Spread spread;
    spread.mean = models::numpySum(values.data(), count) / static_cast<double>(count);
    std::vector<double> squares;
    squares.reserve(values.size());
    for (double value : values)
        squares.push_back((value - spread.mean) * (value - spread.mean));
    spread.std = std::sqrt(models::numpySum(squares.data(), count) / static_cast<double>(count));
    return spread;
}

evaluation::CvSpec searchCv(const Recipe& recipe)
{
    if (recipe.crossValidation)
        return *recipe.crossValidation;
    evaluation::CvSpec spec;
    spec.folds = 5;
    if (!recipe.prep.timeColumn.empty())
        spec.strategy = evaluation::CvStrategy::TimeSeries;
    else if (recipe.problem.task == core::TaskType::Classification)
        spec.strategy = evaluation::CvStrategy::StratifiedKFold;
    else
        spec.strategy = evaluation::CvStrategy::KFold;
    return spec;
}

CvFolds cvFolds(const Recipe& recipe, const data::Table& data, const PreparedData& prepared,
                const evaluation::CvSpec& spec)
{
    const bool classification = recipe.problem.task == core::TaskType::Classification;
    CvFolds out;
    out.rows = prepared.train;
    if (!recipe.prep.timeColumn.empty()) {
        const std::vector<double>& time = data.column(recipe.prep.timeColumn).values();
        std::stable_sort(out.rows.begin(), out.rows.end(),
                         [&](std::size_t a, std::size_t b) { return time[a] < time[b]; });
    }
    if (classification)
        for (std::size_t row : out.rows)
            out.rowClasses.push_back(prepared.classes.rowClass[row]);
    if (classification && spec.strategy == evaluation::CvStrategy::StratifiedKFold)
        requireRowsPerClass(out.rowClasses, prepared.classes.labels, static_cast<std::size_t>(spec.folds),
                            recipe.problem.target,
                            "fewer than the " + std::to_string(spec.folds) +
                                " folds of the stratified cross-validation, so some folds would not contain it; use "
                                "fewer folds or kfold");
    out.folds = evaluation::makeFolds(spec, out.rows.size(), classification ? &out.rowClasses : nullptr);
    return out;
}

std::vector<CvSplit> cvSplits(const Recipe& recipe, const data::Table& data, const PreparedData& prepared,
                              const evaluation::CvSpec& spec)
{
    const CvFolds cut = cvFolds(recipe, data, prepared, spec);
    const auto pick = [&](const std::vector<std::size_t>& positions) {
        std::vector<std::size_t> picked;
        picked.reserve(positions.size());
        for (std::size_t i : positions)
            picked.push_back(cut.rows[i]);
        return picked;
    };
    std::vector<CvSplit> splits;
    splits.reserve(cut.folds.size());
    for (std::size_t f = 0; f < cut.folds.size(); ++f) {
        std::string label = "fold ";
        label.append(std::to_string(f + 1)).append(" of ").append(std::to_string(cut.folds.size()));
        splits.push_back({pick(cut.folds[f].train), pick(cut.folds[f].test), std::move(label)});
    }
    return splits;
}

const evaluation::MetricInfo& metricInfo(core::TaskType task, const std::string& metric, const char* what)
{
    const auto& known = evaluation::metricsFor(task);
    const auto it = std::find_if(known.begin(), known.end(),
                                 [&](const evaluation::MetricInfo& info) { return info.name == metric; });
    if (it != known.end())
        return *it;
    std::string names;
    for (const auto& info : known)
        names.append(names.empty() ? "" : ", ").append(info.name);
    throw core::InvalidParameter(std::string(what) + " '" + metric + "' is not a " + core::toString(task) +
                                 " metric — use one of: " + names);
}

std::string defaultMetric(const Recipe& recipe)
{
    if (recipe.problem.success)
        return recipe.problem.success->metric;
    return recipe.problem.task == core::TaskType::Classification ? "accuracy" : "r2";
}

std::vector<InputColumn> inputSchema(const data::Table& train)
{
    std::vector<InputColumn> inputs;
    for (const data::Column& column : train.columns()) {
        InputColumn input{column.name(), column.kind(), {}};
        if (column.isCategorical())
            input.levels = column.levels();
        inputs.push_back(std::move(input));
    }
    return inputs;
}

models::Dataset toDataset(const prep::LabelledRows& train, std::uint64_t seed)
{
    if (const auto problem = modelReadinessProblem(train.table))
        throw core::DataError(*problem);
    models::Dataset dataset;
    const data::Table& table = train.table;
    dataset.x.resize(static_cast<Eigen::Index>(table.rowCount()), static_cast<Eigen::Index>(table.columnCount()));
    for (std::size_t c = 0; c < table.columnCount(); ++c) {
        const data::Column& column = table.column(c);
        for (std::size_t r = 0; r < column.size(); ++r)
            dataset.x(static_cast<Eigen::Index>(r), static_cast<Eigen::Index>(c)) = column.values()[r];
        dataset.featureNames.push_back(column.name());
    }
    dataset.y = Eigen::Map<const Eigen::VectorXd>(train.target.values.data(),
                                                  static_cast<Eigen::Index>(train.target.values.size()));
    dataset.classCount = train.target.classCount;
    dataset.seed = seed;
    return dataset;
}

Eigen::MatrixXd transformedRows(const std::vector<std::unique_ptr<prep::Transformer>>& steps,
                                const data::Table& table)
{
    data::Table current = table;
    for (const auto& step : steps)
        current = step->transform(current);
    return modelMatrix(current);
}

void setMonitorRows(models::Dataset& dataset, const std::vector<std::unique_ptr<prep::Transformer>>& steps,
                    const data::Table& features, const Recipe& recipe, const data::Table& data,
                    const PreparedData& prepared)
{
    dataset.monitorX.resize(0, 0);
    dataset.monitorY.resize(0);
    if (prepared.validation.empty())
        return;
    dataset.monitorX = transformedRows(steps, features.selectRows(prepared.validation));
    const prep::TrainingTarget target = trainingTarget(recipe, data, prepared, prepared.validation);
    dataset.monitorY = Eigen::Map<const Eigen::VectorXd>(target.values.data(),
                                                         static_cast<Eigen::Index>(target.values.size()));
}

Predictions modelPredictions(const models::Model& model, core::TaskType task, const Eigen::MatrixXd& x)
{
    Predictions predictions;
    predictions.task = task;
    if (task == core::TaskType::Classification && !model.hasProbabilities()) {
        // Decision scores only (linear SVM): the model's own predict, no probabilities.
        const Eigen::VectorXd predicted = model.predict(x);
        for (Eigen::Index r = 0; r < predicted.size(); ++r)
            predictions.classIndex.push_back(static_cast<int>(predicted(r)));
    } else if (task == core::TaskType::Classification) {
        predictions.proba = model.predictProba(x);
        predictions.classIndex.resize(static_cast<std::size_t>(x.rows()));
        for (Eigen::Index r = 0; r < predictions.proba.rows(); ++r) {
            Eigen::Index best = 0;
            predictions.proba.row(r).maxCoeff(&best); // first maximum on ties, like numpy.argmax
            predictions.classIndex[static_cast<std::size_t>(r)] = static_cast<int>(best);
        }
    } else {
        predictions.values = model.predict(x);
    }
    return predictions;
}

bool pipelineImputes(const Recipe& recipe)
{
    const auto steps = pipelineSteps(recipe);
    const auto enabled = [&](const char* kind) {
        return std::any_of(steps.begin(), steps.end(),
                           [&](const prep::StepSpec& step) { return step.enabled && step.kind == kind; });
    };
    return enabled("impute") || !enabled("drop_missing_rows");
}

std::vector<int> actualClasses(const Recipe& recipe, const data::Table& table, bool separate,
                               const TargetClasses& classes, const std::vector<std::size_t>& rows)
{
    if (separate)
        return classesByLabel(table.column(recipe.problem.target), classes.labels, rows);
    std::vector<int> actual;
    actual.reserve(rows.size());
    for (std::size_t row : rows)
        actual.push_back(classes.rowClass[row]);
    return actual;
}

std::vector<int> classesByLabel(const data::Column& target, const std::vector<std::string>& labels,
                                const std::vector<std::size_t>& rows)
{
    std::vector<int> actual;
    actual.reserve(rows.size());
    for (std::size_t row : rows) {
        const std::string label = target.textAt(row);
        const auto it = std::find(labels.begin(), labels.end(), label);
        if (it == labels.end())
            throw core::DataError("the target '" + target.name() + "' has the class '" + label + "' (row " +
                                  std::to_string(row) + "), which the training data does not have");
        actual.push_back(static_cast<int>(it - labels.begin()));
    }
    return actual;
}

Eigen::VectorXd actualValues(const Recipe& recipe, const data::Table& table, const std::vector<std::size_t>& rows)
{
    Eigen::VectorXd values(static_cast<Eigen::Index>(rows.size()));
    const data::Column& target = table.column(recipe.problem.target);
    for (std::size_t i = 0; i < rows.size(); ++i)
        values(static_cast<Eigen::Index>(i)) = target.values()[rows[i]];
    return values;
}

std::optional<double> predictionScore(const Predictions& predictions, const std::vector<int>& actualClass,
                                      const Eigen::VectorXd& actualValue, int classCount, const std::string& metric)
{
    if (predictions.task == core::TaskType::Classification)
        return evaluation::metricValue(
            evaluation::classificationMetrics(actualClass, predictions.classIndex, predictions.proba, classCount),
            metric);
    return evaluation::metricValue(evaluation::regressionMetrics(actualValue, predictions.values), metric);
}

double requiredScore(const Predictions& predictions, const std::vector<int>& actualClass,
                     const Eigen::VectorXd& actualValue, int classCount, const std::string& metric,
                     const std::string& model, const std::string& where)
{
    const std::optional<double> score = predictionScore(predictions, actualClass, actualValue, classCount, metric);
    if (!score && predictions.task == core::TaskType::Classification && predictions.proba.size() == 0)
        throw core::InvalidParameter(metric + " needs class probabilities, which " + model +
                                     " does not give — choose another metric");
    if (!score)
        throw core::DataError(metric + " cannot be computed on " + where + " (" + std::to_string(predictions.size()) +
                              " rows, not every class present) — use more rows (fewer folds) or another metric");
    return *score;
}

bool isCancellation(const std::exception_ptr& error)
{
    try {
        std::rethrow_exception(error);
    } catch (const core::Cancelled&) {
        return true;
    } catch (...) {
        return false;
    }
}

void rethrowFirstError(const std::vector<std::exception_ptr>& errors)
{
    for (const std::exception_ptr& error : errors)
        if (error && !isCancellation(error))
            std::rethrow_exception(error);
    for (const std::exception_ptr& error : errors)
        if (error)
            std::rethrow_exception(error);
}

CrossValidationResult crossValidationResult(const evaluation::CvSpec& spec, const std::string& metric,
                                            const CvScores& scores)
{
    CrossValidationResult result;
    result.strategy = evaluation::toString(spec);
    result.metric = metric;
    result.scores = scores.scores;
    result.mean = scores.mean;
    result.std = scores.std;
    return result;
}

std::vector<CvScores> crossValidateModels(const Recipe& recipe, const data::Table& data, const PreparedData& prepared,
                                          const std::vector<CvSplit>& splits, const std::string& metric,
                                          const std::vector<CvModel>& models, const std::string& stage,
                                          core::TaskControl& control, bool trainScores)
{
    const bool classification = recipe.problem.task == core::TaskType::Classification;
    const std::size_t foldCount = splits.size();
    const int classCount = static_cast<int>(prepared.classes.labels.size());
    const data::Table features = data.selectColumns(prepared.features);
    const std::vector<prep::StepSpec> steps = pipelineSteps(recipe);

    const double foldUnits = kPrepareWeight + static_cast<double>(models.size());
    ProgressBoard board(control, foldUnits * static_cast<double>(foldCount));
    const auto scoredRows = [&](const std::vector<std::size_t>& rows, Eigen::MatrixXd x) {
        ScoredRows scored;
        scored.x = std::move(x);
        if (classification)
            scored.classes = actualClasses(recipe, data, false, prepared.classes, rows);
        else
            scored.values = actualValues(recipe, data, rows);
        return scored;
    };
    const auto prepareFold = [&](std::size_t f) {
        const CvSplit& split = splits[f];
        board.add(0.0, stage + " — fitting the steps on " + split.label);
        prep::LabelledRows train{features.selectRows(split.train), trainingTarget(recipe, data, prepared, split.train)};
        // Steps report no progress of their own here: the board counts the fold as a whole.
        core::TaskControl stepControl = control.subRange(0.0, 0.0);
        FittedSteps fitted = fitSteps(steps, std::move(train), recipe.seed, stepControl);
        PreparedFold fold;
        fold.train = toDataset(fitted.train, recipe.seed);
        fold.train.classNames = prepared.classes.labels;
        fold.test = scoredRows(split.test, transformedRows(fitted.transformers, features.selectRows(split.test)));
        if (trainScores) {
            // Without training-only steps the model's own training matrix is those rows.
            fold.trainRows = scoredRows(split.train, fitted.trainingOnly.empty()
                                                         ? fold.train.x
                                                         : transformedRows(fitted.transformers,
                                                                           features.selectRows(split.train)));
        }
        board.add(kPrepareWeight);
        return fold;
    };
    const auto score = [&](const models::Model& model, const CvModel& candidate, const ScoredRows& rows,
                           const std::string& where) {
        return requiredScore(modelPredictions(model, recipe.problem.task, rows.x), rows.classes, rows.values,
                             classCount, metric, candidate.name, where);
    };

    std::vector<std::vector<double>> scores(models.size(), std::vector<double>(foldCount, 0.0));
    std::vector<std::vector<double>> trainScored(models.size(), std::vector<double>(trainScores ? foldCount : 0, 0.0));
    std::vector<std::vector<double>> seconds(models.size(), std::vector<double>(foldCount, 0.0));
    std::size_t nextFold = 0;
    while (nextFold < foldCount) {
        std::vector<PreparedFold> wave;
        std::size_t bytes = 0;
        const std::size_t waveStart = nextFold;
        do {
            wave.push_back(prepareFold(nextFold++));
            bytes += wave.back().bytes();
        } while (nextFold < foldCount && bytes + bytes / wave.size() <= kWaveBytes);

        const std::size_t waveFolds = wave.size();
        const std::size_t taskCount = models.size() * waveFolds;
        std::vector<std::exception_ptr> errors(taskCount);
        std::atomic<bool> failed{false};
        // Parallel over the fits; a model's own parallel loops then run single-threaded
        // (nested OpenMP regions are inactive), so each fit is what it is on one thread.
        FitQueue queue(models.size(), waveFolds);
#pragma omp parallel if (taskCount > 1)
        for (;;) {
            const std::optional<std::size_t> next = queue.next();
            if (!next || failed.load(std::memory_order_relaxed) || control.isCancelled())
                break;
            const std::size_t task = *next;
            const std::size_t m = task / waveFolds;
            const std::size_t local = task % waveFolds;
            const std::size_t f = waveStart + local;
            try {
                const CvModel& candidate = models[m];
                std::string text = stage + " — ";
                if (models.size() > 1)
                    text.append(candidate.source.empty() ? "model " + std::to_string(m + 1) : candidate.source)
                        .append(", ");
                text.append(splits[f].label);
                board.add(0.0, text);
                FitObserver observer(board, task, failed);
                core::TaskControl fitControl(&observer);
                const PreparedFold& fold = wave[local];
                std::unique_ptr<models::Model> model =
                    models::createModel(candidate.name, recipe.problem.task, candidate.params);
                const auto start = Clock::now();
                model->fit(fold.train, fitControl);
                seconds[m][f] = std::chrono::duration<double>(Clock::now() - start).count();
                if (local == 0)
                    queue.measured(m, seconds[m][f]);
                scores[m][f] = score(*model, candidate, fold.test, "cross-validation " + splits[f].label);
                if (fold.trainRows)
                    trainScored[m][f] =
                        score(*model, candidate, *fold.trainRows, "the training rows of " + splits[f].label);
                core::TrainingSnapshot snapshot;
                snapshot.step = static_cast<int>(f + 1);
                snapshot.totalSteps = static_cast<int>(foldCount);
                snapshot.stepName = "fold";
                snapshot.metricName = metric;
                snapshot.value = scores[m][f];
                snapshot.measuredOn = "cross-validation fold";
                snapshot.source = candidate.source;
                control.snapshot(snapshot);
                board.finish(task);
            } catch (...) {
                errors[task] = std::current_exception();
                if (!isCancellation(errors[task]))
                    failed.store(true, std::memory_order_relaxed);
            }
        }
        control.checkCancelled();
        rethrowFirstError(errors);
    }

    std::vector<CvScores> results;
    for (std::size_t m = 0; m < models.size(); ++m) {
        double total = 0.0;
        for (double s : seconds[m])
            total += s;
        results.push_back(summarise(scores[m], total));
        results.back().trainScores = std::move(trainScored[m]);
    }
    return results;
}

} // namespace stepwise::workflow
