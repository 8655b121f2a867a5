// Edge cases in the style of scikit-learn's check_estimator, over EVERY registered model
// (each task it solves) and EVERY registered pipeline step kind, enumerated from the
// registries themselves so a model or step added later is covered or the test fails.
// Each case either works — finite output of the right shape, probabilities summing to 1,
// labels among the training labels, save → load identical, same seed ⇒ same result — or
// is refused with core::DataError / core::InvalidParameter whose message names the
// problem. Anything else (another exception type, NaN output, a crash, minutes of work)
// fails. Three levels: the model API (models::Dataset), the recipe on a data::Table
// (workflow::runRecipe, where string and non-contiguous labels come in) and the steps.
#include <QtTest>

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <map>
#include <set>
#include <sstream>

#include <boost/archive/binary_oarchive.hpp>

#include "stepwise/core/archive.hpp"
#include "stepwise/core/errors.hpp"
#include "stepwise/core/input_archive.hpp"
#include "stepwise/core/random.hpp"
#include "stepwise/models/registry.hpp"
#include "stepwise/prep/step.hpp"
#include "stepwise/prep/transformers.hpp"
#include "stepwise/workflow/runner.hpp"

using namespace stepwise;
using core::TaskType;

Q_DECLARE_METATYPE(stepwise::core::TaskType)

namespace {

const double kNaN = std::numeric_limits<double>::quiet_NaN();
const double kInf = std::numeric_limits<double>::infinity();

// What a case must do.
enum class Expect {
    Fits,           // fits and predicts finite, well-shaped output
    Refuses,        // DataError / InvalidParameter naming the problem
    FitsOrRefuses,  // either, as long as it is one of the two (outcome recorded)
};

// Outcomes for the matrix printed at the end: row = model/task or step variant, column = case.
std::map<std::string, std::map<std::string, std::string>>& outcomes()
{
    static std::map<std::string, std::map<std::string, std::string>> table;
    return table;
}

void record(const std::string& row, const std::string& column, const std::string& outcome)
{
    outcomes()[row][column] = outcome;
}

// The message of a clear refusal: DataError or InvalidParameter, non-empty, containing one
// of `keywords` (case-insensitive) so it names the problem. Other exceptions propagate.
struct Refusal {
    bool refused = false;
    std::string message;
    std::string type;
};

template <class Call>
Refusal attempt(Call&& call)
{
    try {
        call();
    } catch (const core::DataError& error) {
        if (qEnvironmentVariableIsSet("STEPWISE_EDGE_MESSAGES"))
            qInfo("%s: DataError: %s", QTest::currentDataTag(), error.what());
        return {true, error.what(), "DataError"};
    } catch (const core::InvalidParameter& error) {
        if (qEnvironmentVariableIsSet("STEPWISE_EDGE_MESSAGES"))
            qInfo("%s: InvalidParameter: %s", QTest::currentDataTag(), error.what());
        return {true, error.what(), "InvalidParameter"};
    }
    return {};
}

bool mentions(std::string text, const std::vector<std::string>& keywords)
{
    std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::tolower(c); });
    for (std::string keyword : keywords) {
        std::transform(keyword.begin(), keyword.end(), keyword.begin(), [](unsigned char c) { return std::tolower(c); });
        if (text.find(keyword) != std::string::npos)
            return true;
    }
    return keywords.empty();
}

// A clear message: says what is wrong, names it, and (" — ") what to do.
bool clearMessage(const std::string& message, const std::vector<std::string>& keywords)
{
    return message.size() > 20 && mentions(message, keywords) && message.find("—") != std::string::npos;
}

std::string joined(const std::vector<std::string>& words)
{
    std::string text;
    for (const std::string& word : words)
        text.append(text.empty() ? "" : "|").append(word);
    return text;
}

// ---------------------------------------------------------------- model level

std::map<std::string, std::string> quickParams(const std::string& model)
{
    // Fewer trees and boosting rounds keep the suite fast; the code paths are the same.
    if (model == "random_forest")
        return {{"n_estimators", "8"}};
    if (model == "gradient_boosting")
        return {{"max_iter", "10"}};
    return {};
}

// Standard-normal features; classes from linear scores, or a linear target.
models::Dataset baseData(TaskType task, Eigen::Index rows, Eigen::Index features, std::uint64_t seed = 3)
{
    core::RandomSource random(seed);
    models::Dataset data;
    data.x.resize(rows, features);
    for (Eigen::Index i = 0; i < data.x.size(); ++i)
        data.x.data()[i] = random.normal();
    for (Eigen::Index c = 0; c < features; ++c)
        data.featureNames.push_back(std::string("feature_").append(std::to_string(c)));
    data.y.resize(rows);
    for (Eigen::Index r = 0; r < rows; ++r) {
        const double score = features > 0 ? data.x.row(r).sum() : random.normal();
        if (task == TaskType::Regression)
            data.y(r) = 2.0 + score + 0.1 * random.normal();
        else
            data.y(r) = static_cast<double>(r % 3);
    }
    data.classCount = task == TaskType::Classification ? 3 : 0;
    data.seed = seed;
    return data;
}

struct ModelCase {
    std::string name;
    Expect classification;
    Expect regression;
    std::vector<std::string> keywords;  // one must appear in a refusal's message
    std::function<models::Dataset(TaskType)> make;
    // When set, fit on make() and expect predicting on poison(x) to be refused.
    std::function<Eigen::MatrixXd(Eigen::MatrixXd)> poison;
    bool light = false;  // skip the determinism refit (large data)
};

models::Dataset withCell(models::Dataset data, Eigen::Index row, Eigen::Index column, double value)
{
    data.x(row, column) = value;
    return data;
}

std::vector<ModelCase> modelCases()
{
    const Eigen::Index n = 60;
    std::vector<ModelCase> cases;
    const std::vector<std::string> featureWords = {"feature", "infinite", "missing"};
    cases.push_back({"nan_fit", Expect::Refuses, Expect::Refuses, featureWords,
                     [=](TaskType t) { return withCell(baseData(t, n, 3), 7, 1, kNaN); }, {}});
    cases.push_back({"posinf_fit", Expect::Refuses, Expect::Refuses, featureWords,
                     [=](TaskType t) { return withCell(baseData(t, n, 3), 7, 1, kInf); }, {}});
    cases.push_back({"neginf_fit", Expect::Refuses, Expect::Refuses, featureWords,
                     [=](TaskType t) { return withCell(baseData(t, n, 3), 0, 2, -kInf); }, {}});
    for (const auto& [label, value] : std::vector<std::pair<std::string, double>>{
             {"nan_predict", kNaN}, {"posinf_predict", kInf}, {"neginf_predict", -kInf}}) {
        const double poison = value;
        cases.push_back({label, Expect::Refuses, Expect::Refuses, featureWords,
                         [=](TaskType t) { return baseData(t, n, 3); },
                         [poison](Eigen::MatrixXd x) {
                             x(2, 1) = poison;
                             return x;
                         }});
    }
    cases.push_back({"zero_rows", Expect::Refuses, Expect::Refuses, {"row"},
                     [](TaskType t) { return baseData(t, 0, 3); }, {}});
    cases.push_back({"zero_features", Expect::Refuses, Expect::Refuses, {"feature", "column"}, [=](TaskType t) {
                         models::Dataset data = baseData(t, n, 0);
                         return data;
                     }, {}});
    // kNN refuses fewer rows than n_neighbors (scikit-learn too), naming the parameter.
    cases.push_back({"one_row", Expect::Refuses, Expect::FitsOrRefuses, {"class", "n_neighbors"},
                     [](TaskType t) { return baseData(t, 1, 3); }, {}});
    cases.push_back({"one_row_per_class", Expect::FitsOrRefuses, Expect::FitsOrRefuses, {"n_neighbors"},
                     [](TaskType t) { return baseData(t, 3, 3); }, {}});
    cases.push_back({"one_feature", Expect::Fits, Expect::Fits, {}, [=](TaskType t) { return baseData(t, n, 1); }, {}});
    cases.push_back({"constant_feature", Expect::Fits, Expect::Fits, {}, [=](TaskType t) {
                         models::Dataset data = baseData(t, n, 3);
                         data.x.col(1).setConstant(4.5);
                         return data;
                     }, {}});
    // Gaussian naive Bayes has no spread to measure (scikit-learn divides by zero).
    cases.push_back({"all_constant", Expect::FitsOrRefuses, Expect::Fits, {"constant"}, [=](TaskType t) {
                         models::Dataset data = baseData(t, n, 3);
                         data.x.setConstant(-2.0);
                         return data;
                     }, {}});
    cases.push_back({"one_class", Expect::Refuses, Expect::Fits, {"class"}, [=](TaskType t) {
                         models::Dataset data = baseData(t, n, 3);
                         if (t == TaskType::Classification)
                             data.y.setZero();
                         else
                             data.y.setConstant(7.0);  // regression: a constant target
                         return data;
                     }, {}});
    cases.push_back({"singleton_class", Expect::Fits, Expect::Fits, {}, [=](TaskType t) {
                         models::Dataset data = baseData(t, n, 3);
                         if (t == TaskType::Classification) {
                             for (Eigen::Index r = 0; r < n; ++r)
                                 data.y(r) = r % 2;
                             data.y(11) = 2;  // class 2 has one member
                         }
                         return data;
                     }, {}});
    const auto scaled = [=](double factor) {
        return [=](TaskType t) {
            models::Dataset data = baseData(t, n, 3);
            data.x *= factor;
            return data;
        };
    };
    const std::vector<std::string> magnitudeWords = {"feature", "large", "small", "rescale", "overflow", "beyond"};
    cases.push_back({"huge_1e300", Expect::FitsOrRefuses, Expect::FitsOrRefuses, magnitudeWords, scaled(1e300), {}});
    cases.push_back({"tiny_1e-300", Expect::FitsOrRefuses, Expect::FitsOrRefuses, magnitudeWords, scaled(1e-300), {}});
    // Trees bin in single precision (as scikit-learn's do) and refuse values beyond 3.4e38.
    cases.push_back({"huge_1e150", Expect::FitsOrRefuses, Expect::FitsOrRefuses, magnitudeWords, scaled(1e150), {}});
    cases.push_back({"tiny_1e-150", Expect::Fits, Expect::Fits, {}, scaled(1e-150), {}});
    cases.push_back({"mixed_1e15_1e-15", Expect::Fits, Expect::Fits, {}, [=](TaskType t) {
                         models::Dataset data = baseData(t, n, 3);
                         data.x.col(0) *= 1e15;
                         data.x.col(2) *= 1e-15;
                         return data;
                     }, {}});
    cases.push_back({"huge_target_1e300", Expect::Fits, Expect::FitsOrRefuses, {"target", "large", "finite"},
                     [=](TaskType t) {
                         models::Dataset data = baseData(t, n, 3);
                         if (t == TaskType::Regression)
                             data.y *= 1e300;
                         return data;
                     }, {}});
    // Above models::kMaxClassCount every classifier refuses before any work.
    cases.push_back({"classes_10000", Expect::Refuses, Expect::Fits, {"10000 classes"},
                     [](TaskType t) {
                         // 20,000 rows × 3 features, 2 rows per class.
                         models::Dataset data = baseData(t, 20000, 3);
                         if (t == TaskType::Classification) {
                             for (Eigen::Index r = 0; r < data.y.size(); ++r)
                                 data.y(r) = static_cast<double>(r / 2);
                             data.classCount = 10000;
                         }
                         return data;
                     }, {}, true});
    return cases;
}

std::string saveModel(const models::Model& model)
{
    std::ostringstream out;
    {
        core::OutputArchive archive(out);
        model.save(archive);
    }
    return out.str();
}

std::unique_ptr<models::Model> loadModel(const std::string& name, TaskType task, const std::string& bytes)
{
    auto model = models::createModel(name, task, quickParams(name));
    std::istringstream in(bytes);
    core::InputArchive archive(in);
    model->load(archive);
    return model;
}

bool identical(const Eigen::MatrixXd& a, const Eigen::MatrixXd& b)
{
    return a.rows() == b.rows() && a.cols() == b.cols() &&
           std::equal(a.data(), a.data() + a.size(), b.data(), [](double u, double v) {
               return u == v || (std::isnan(u) && std::isnan(v));
           });
}

// The class outputs of a classifier: probabilities, or decision scores without them.
Eigen::MatrixXd classOutput(const models::Model& model, const Eigen::MatrixXd& x)
{
    return model.hasProbabilities() ? model.predictProba(x) : model.decisionScores(x);
}

// ---------------------------------------------------------------- recipe level

data::Table featureTable(std::size_t rows, std::uint64_t seed = 9)
{
    core::RandomSource random(seed);
    std::vector<double> a(rows), b(rows);
    std::vector<std::string> colour(rows);
    std::vector<bool> none(rows, false);
    for (std::size_t r = 0; r < rows; ++r) {
        a[r] = random.normal();
        b[r] = random.normal() * 10.0 + 3.0;
        colour[r] = r % 3 == 0 ? "red" : r % 3 == 1 ? "green" : "blue";
    }
    data::Table table;
    table.addColumn(data::Column::numeric("alpha", a));
    table.addColumn(data::Column::numeric("beta", b));
    table.addColumn(data::Column::categoricalFromText("colour", colour, none));
    return table;
}

data::Table withTarget(data::Table table, data::Column target)
{
    table.addColumn(std::move(target));
    return table;
}

// A classification target from the text labels, cycling so every class has rows.
data::Column textTarget(std::size_t rows, const std::vector<std::string>& labels)
{
    std::vector<std::string> values(rows);
    std::vector<bool> none(rows, false);
    for (std::size_t r = 0; r < rows; ++r)
        values[r] = labels[r % labels.size()];
    return data::Column::categoricalFromText("label", values, none);
}

data::Column numericTarget(std::size_t rows, const std::vector<double>& labels)
{
    std::vector<double> values(rows);
    for (std::size_t r = 0; r < rows; ++r)
        values[r] = labels[r % labels.size()];
    return data::Column::numeric("label", values);
}

data::Table replaced(data::Table table, const std::string& column, std::size_t row, double value)
{
    std::vector<double> values = table.column(column).values();
    values[row] = value;
    table.replaceColumn(data::Column::numeric(column, values));
    return table;
}

workflow::Recipe recipeFor(const std::string& model, TaskType task)
{
    workflow::Recipe recipe;
    recipe.problem.task = task;
    recipe.problem.target = "label";
    recipe.model.name = model;
    recipe.model.params = quickParams(model);
    recipe.seed = 17;
    return recipe;
}

std::string savePipeline(const workflow::FittedPipeline& pipeline)
{
    std::ostringstream out;
    {
        core::OutputArchive archive(out);
        pipeline.save(archive);
    }
    return out.str();
}

workflow::FittedPipeline loadPipeline(const std::string& bytes)
{
    workflow::FittedPipeline pipeline;
    std::istringstream in(bytes);
    core::InputArchive archive(in);
    pipeline.load(archive, 2);
    return pipeline;
}

// ---------------------------------------------------------------- step level

// Every step kind's configurations worth checking; a registered kind missing here fails
// the suite, so a new kind must bring its checks.
std::map<std::string, std::vector<prep::StepSpec>> stepVariants()
{
    const auto spec = [](std::string kind, std::map<std::string, std::string> params = {},
                         std::vector<std::string> columns = {}) {
        return prep::StepSpec{std::move(kind), true, std::move(columns), std::move(params)};
    };
    std::map<std::string, std::vector<prep::StepSpec>> variants;
    variants["drop_missing_rows"] = {spec("drop_missing_rows")};
    variants["drop_duplicates"] = {spec("drop_duplicates"), spec("drop_duplicates", {{"keep", "none"}})};
    for (const char* numeric : {"mean", "median", "most_frequent", "constant", "ffill", "bfill"})
        variants["impute"].push_back(spec("impute", {{"numeric", numeric}}));
    variants["impute"].push_back(spec("impute", {{"indicator", "true"}}));
    variants["drop_sparse_columns"] = {spec("drop_sparse_columns")};
    variants["clip_outliers"] = {spec("clip_outliers"), spec("clip_outliers", {{"method", "zscore"}})};
    variants["remove_outliers"] = {spec("remove_outliers"), spec("remove_outliers", {{"method", "zscore"}})};
    variants["rename"] = {spec("rename", {{"to", "renamed"}}, {"alpha"})};
    variants["resample"] = {spec("resample"), spec("resample", {{"method", "under"}}),
                            spec("resample", {{"method", "smote"}, {"k_neighbors", "2"}})};
    variants["date_parts"] = {spec("date_parts", {}, {"when"}),
                              spec("date_parts", {{"parts", "days_since,hour,quarter"}, {"keep", "true"}}, {"when"})};
    for (const char* function : {"log1p", "log", "sqrt", "square", "power"})
        variants["math"].push_back(spec("math", {{"function", function}}, {"alpha", "beta"}));
    variants["bin"] = {spec("bin", {}, {"alpha", "beta"}), spec("bin", {{"strategy", "uniform"}}, {"alpha", "beta"}),
                       spec("bin", {{"strategy", "edges"}, {"edges", "-inf,0,inf"}}, {"alpha"})};
    for (const char* method : {"standard", "minmax", "robust"})
        variants["scale"].push_back(spec("scale", {{"method", method}}));
    variants["encode"] = {spec("encode"), spec("encode", {{"method", "ordinal"}})};
    variants["formula"] = {spec("formula", {{"name", "ratio"}, {"expression", "alpha / beta + 1"}})};
    variants["select_features"] = {spec("select_features"), spec("select_features", {{"method", "correlation"}}),
                                   spec("select_features", {{"method", "kbest"}, {"k", "1"}})};
    return variants;
}

// Steps whose documented output for a finite input may be missing (a value outside the
// function's domain or the bin edges, a formula without a finite result).
bool mayMakeMissing(const prep::StepSpec& spec)
{
    return spec.kind == "math" || spec.kind == "formula" ||
           (spec.kind == "bin" && spec.params.count("strategy") && spec.params.at("strategy") == "edges");
}

// alpha, beta numeric; colour categorical; when a datetime; 24 rows unless asked.
data::Table stepTable(std::size_t rows = 24)
{
    core::RandomSource random(5);
    std::vector<double> alpha(rows), beta(rows), when(rows);
    std::vector<std::string> colour(rows);
    std::vector<bool> none(rows, false);
    for (std::size_t r = 0; r < rows; ++r) {
        alpha[r] = random.normal() + 3.0;
        beta[r] = random.normal() * 4.0 + 10.0;
        when[r] = 1.6e9 + 86400.0 * static_cast<double>(r) * 7.3;
        colour[r] = r % 3 == 0 ? "red" : r % 3 == 1 ? "green" : "blue";
    }
    data::Table table;
    table.addColumn(data::Column::numeric("alpha", alpha));
    table.addColumn(data::Column::numeric("beta", beta));
    table.addColumn(data::Column::categoricalFromText("colour", colour, none));
    table.addColumn(data::Column::numeric("when", when, data::ColumnKind::Datetime));
    return table;
}

prep::TrainingTarget stepTarget(std::size_t rows)
{
    prep::TrainingTarget target;
    target.task = TaskType::Classification;
    target.classCount = 2;
    for (std::size_t r = 0; r < rows; ++r)
        target.values.push_back(r % 4 == 0 ? 1.0 : 0.0);
    return target;
}

data::Table scaledNumbers(data::Table table, double alphaFactor, double betaFactor)
{
    std::vector<double> alpha = table.column("alpha").values(), beta = table.column("beta").values();
    for (double& v : alpha)
        v *= alphaFactor;
    for (double& v : beta)
        v *= betaFactor;
    table.replaceColumn(data::Column::numeric("alpha", alpha));
    table.replaceColumn(data::Column::numeric("beta", beta));
    return table;
}

struct StepCase {
    std::string name;
    std::function<data::Table()> fitTable;
    // False when the fit table holds a missing or infinite value (samplers may then pass
    // it on; every other output must be finite).
    bool finiteInput = true;
    // When set, fit on fitTable() and transform this (rows with a non-finite input may
    // come out non-finite; the others must not).
    std::function<data::Table()> transformTable;
};

StepCase stepCase(std::string name, std::function<data::Table()> fit, bool finiteInput = true,
                  std::function<data::Table()> transform = {})
{
    return StepCase{std::move(name), std::move(fit), finiteInput, std::move(transform)};
}

std::vector<StepCase> stepCases()
{
    std::vector<StepCase> cases;
    cases.push_back(stepCase("plain", [] { return stepTable(); }));
    cases.push_back(stepCase("nan", [] { return replaced(stepTable(), "alpha", 3, kNaN); }, false));
    cases.push_back(stepCase("posinf_fit", [] { return replaced(stepTable(), "alpha", 3, kInf); }, false));
    cases.push_back(stepCase("neginf_fit", [] { return replaced(stepTable(), "beta", 5, -kInf); }, false));
    cases.push_back(stepCase("posinf_transform", [] { return stepTable(); }, true,
                     [] { return replaced(stepTable(), "alpha", 3, kInf); }));
    cases.push_back(stepCase("neginf_transform", [] { return stepTable(); }, true,
                     [] { return replaced(stepTable(), "beta", 5, -kInf); }));
    cases.push_back(stepCase("zero_rows", [] { return stepTable(0); }));
    cases.push_back(stepCase("one_row", [] { return stepTable(1); }));
    cases.push_back(stepCase("constant_column", [] {
                         data::Table table = stepTable();
                         table.replaceColumn(data::Column::numeric("alpha", std::vector<double>(24, 2.5)));
                         return table;
                     }));
    cases.push_back(stepCase("all_constant", [] {
                         data::Table table = stepTable();
                         table.replaceColumn(data::Column::numeric("alpha", std::vector<double>(24, 2.5)));
                         table.replaceColumn(data::Column::numeric("beta", std::vector<double>(24, -1.0)));
                         return table;
                     }));
    cases.push_back(stepCase("huge_1e300", [] { return scaledNumbers(stepTable(), 1e300, 1e300); }));
    cases.push_back(stepCase("tiny_1e-300", [] { return scaledNumbers(stepTable(), 1e-300, 1e-300); }));
    cases.push_back(stepCase("mixed_1e15_1e-15", [] { return scaledNumbers(stepTable(), 1e15, 1e-15); }));
    return cases;
}

// Rows of `table` with a missing or infinite numeric input.
std::vector<bool> nonFiniteRows(const data::Table& table)
{
    std::vector<bool> bad(table.rowCount(), false);
    for (const data::Column& column : table.columns())
        if (column.isNumeric())
            for (std::size_t r = 0; r < column.size(); ++r)
                if (!std::isfinite(column.values()[r]))
                    bad[r] = true;
    return bad;
}

// A non-finite output value in a row whose inputs were all finite, described; empty if none.
std::string unexpectedNonFinite(const data::Table& out, const std::vector<bool>& badInput)
{
    for (const data::Column& column : out.columns()) {
        if (!column.isNumeric())
            continue;
        for (std::size_t r = 0; r < column.size() && r < badInput.size(); ++r)
            if (!badInput[r] && !std::isfinite(column.values()[r]))
                return "column '" + column.name() + "' row " + std::to_string(r) + " = " +
                       std::to_string(column.values()[r]);
    }
    return {};
}

bool tablesIdentical(const data::Table& a, const data::Table& b)
{
    if (a.columnNames() != b.columnNames() || a.rowCount() != b.rowCount())
        return false;
    for (std::size_t c = 0; c < a.columnCount(); ++c) {
        const data::Column& x = a.column(c);
        const data::Column& y = b.column(c);
        if (x.kind() != y.kind())
            return false;
        for (std::size_t r = 0; r < x.size(); ++r) {
            if (x.isNumeric()) {
                const double u = x.values()[r], v = y.values()[r];
                if (!(u == v || (std::isnan(u) && std::isnan(v))))
                    return false;
            } else if (x.textAt(r) != y.textAt(r)) {
                return false;
            }
        }
    }
    return true;
}

std::string stepLabel(const prep::StepSpec& spec)
{
    return prep::formatStepArgument(spec);
}

} // namespace

class TestEstimatorChecks : public QObject {
    Q_OBJECT

    void addModelTaskRows(const std::function<bool(const std::string&, TaskType)>& keep = {})
    {
        QTest::addColumn<QString>("model");
        QTest::addColumn<TaskType>("task");
        for (const models::ModelInfo& info : models::modelRegistry())
            for (const TaskType task : info.tasks)
                if (!keep || keep(info.name, task))
                    QTest::addRow("%s/%s", info.name.c_str(), core::toString(task))
                        << QString::fromStdString(info.name) << task;
    }

private slots:
    void initTestCase() { qRegisterMetaType<TaskType>(); }

    // Every registered model and step kind has checks (the data functions below read the
    // registries, so this only guards the step variants table).
    void everyRegistryEntryHasChecks()
    {
        QVERIFY(!models::modelRegistry().empty());
        const auto variants = stepVariants();
        for (const prep::StepInfo& info : prep::stepRegistry()) {
            QVERIFY2(variants.count(info.kind) && !variants.at(info.kind).empty(),
                     ("step kind '" + info.kind + "' has no edge-case checks — add it to stepVariants()").c_str());
            for (const prep::StepSpec& spec : variants.at(info.kind))
                QVERIFY2(spec.kind == info.kind, spec.kind.c_str());
        }
        for (const auto& entry : variants)
            QVERIFY2(std::any_of(prep::stepRegistry().begin(), prep::stepRegistry().end(),
                                 [&](const prep::StepInfo& info) { return info.kind == entry.first; }),
                     ("stepVariants() lists '" + entry.first + "', which is not registered").c_str());
        // Every transformer an archive can hold is reachable from some registered kind.
        std::set<std::string> reached;
        for (const auto& entry : variants)
            for (const prep::StepSpec& spec : entry.second) {
                const prep::StepInfo& info = prep::findStep(spec.kind);
                if (info.makeTransformer)
                    reached.insert(info.makeTransformer(spec.columns, prep::resolveStepParams(spec))->kind());
            }
        for (const char* kind : {"simple_imputer", "sparse_column_dropper", "outlier_clipper", "column_renamer",
                                 "standard_scaler", "min_max_scaler", "robust_scaler", "one_hot_encoder",
                                 "ordinal_encoder", "bin_discretizer", "date_part_extractor", "math_transform",
                                 "formula_column", "feature_selector"}) {
            QVERIFY2(reached.count(kind), kind);
            QVERIFY(prep::makeTransformerForLoading(kind) != nullptr);
        }
    }

    // ------------------------------------------------------------ the model API

    void modelEdgeCases_data()
    {
        QTest::addColumn<QString>("model");
        QTest::addColumn<TaskType>("task");
        QTest::addColumn<int>("caseIndex");
        const auto cases = modelCases();
        for (const models::ModelInfo& info : models::modelRegistry())
            for (const TaskType task : info.tasks)
                for (std::size_t i = 0; i < cases.size(); ++i)
                    QTest::addRow("%s/%s/%s", info.name.c_str(), core::toString(task), cases[i].name.c_str())
                        << QString::fromStdString(info.name) << task << static_cast<int>(i);
    }
    void modelEdgeCases()
    {
        try {
            QFETCH(QString, model);
            QFETCH(TaskType, task);
            QFETCH(int, caseIndex);
            const std::string name = model.toStdString();
            const ModelCase edge = modelCases()[static_cast<std::size_t>(caseIndex)];
            const Expect expect = task == TaskType::Classification ? edge.classification : edge.regression;
            const std::string row = name + "/" + core::toString(task);
            const models::Dataset data = edge.make(task);
            QElapsedTimer clock;
            clock.start();

            auto fitted = models::createModel(name, task, quickParams(name));
            core::TaskControl control;
            if (edge.poison) {
                fitted->fit(data, control);
                const Refusal refusal = attempt([&] { fitted->predict(edge.poison(data.x)); });
                QVERIFY2(refusal.refused, "predicting on a non-finite feature was not refused");
                QVERIFY2(clearMessage(refusal.message, edge.keywords), refusal.message.c_str());
                if (fitted->task() == TaskType::Classification) {
                    const Refusal proba = attempt([&] { classOutput(*fitted, edge.poison(data.x)); });
                    QVERIFY2(proba.refused && clearMessage(proba.message, edge.keywords), proba.message.c_str());
                }
                record(row, edge.name, "refused");
                return;
            }
            const Refusal refusal = attempt([&] { fitted->fit(data, control); });
            const double fitSeconds = static_cast<double>(clock.elapsed()) / 1000.0;
            QVERIFY2(fitSeconds < 20.0, qPrintable(QString("fit took %1 s").arg(fitSeconds)));
            if (refusal.refused) {
                QVERIFY2(expect != Expect::Fits, ("refused: " + refusal.type + ": " + refusal.message).c_str());
                QVERIFY2(clearMessage(refusal.message, edge.keywords),
                         ("unclear message (wants one of " + joined(edge.keywords) + " and ' — '): " + refusal.message).c_str());
                QVERIFY(!fitted->isFitted());
                record(row, edge.name, "refused");
                return;
            }
            QVERIFY2(expect != Expect::Refuses, "fitted where a clear refusal was expected");
            QVERIFY(fitted->isFitted());

            // Predict on at most 50 rows: a 10,000-class probability matrix of every row would
            // itself be gigabytes.
            const Eigen::MatrixXd x = data.x.topRows(std::min<Eigen::Index>(data.x.rows(), 50));
            const Eigen::VectorXd predicted = fitted->predict(x);
            QCOMPARE(predicted.size(), x.rows());
            QVERIFY2(predicted.allFinite(), "non-finite prediction");
            Eigen::MatrixXd output;
            if (task == TaskType::Classification) {
                QCOMPARE(fitted->classCount(), data.classCount);
                for (Eigen::Index r = 0; r < predicted.size(); ++r)
                    QVERIFY2(predicted(r) >= 0 && predicted(r) < data.classCount && std::floor(predicted(r)) == predicted(r),
                             qPrintable(QString("predicted class %1").arg(predicted(r))));
                output = classOutput(*fitted, x);
                QCOMPARE(output.rows(), x.rows());
                QVERIFY2(output.allFinite(), "non-finite class output");
                if (fitted->hasProbabilities()) {
                    QCOMPARE(output.cols(), static_cast<Eigen::Index>(data.classCount));
                    for (Eigen::Index r = 0; r < output.rows(); ++r) {
                        QVERIFY(output.row(r).minCoeff() >= 0.0 && output.row(r).maxCoeff() <= 1.0);
                        QVERIFY2(std::abs(output.row(r).sum() - 1.0) < 1e-9,
                                 qPrintable(QString("row %1 sums to %2").arg(r).arg(output.row(r).sum(), 0, 'g', 17)));
                    }
                }
            } else {
                const Refusal proba = attempt([&] { fitted->predictProba(x); });
                QVERIFY2(proba.refused && proba.type == "InvalidParameter", "regression predictProba must be refused");
            }

            // A different column count is a clear error.
            const Eigen::MatrixXd wider = Eigen::MatrixXd::Ones(x.rows(), x.cols() + 1);
            const Refusal wrongShape = attempt([&] { fitted->predict(wider); });
            QVERIFY2(wrongShape.refused && wrongShape.type == "DataError" &&
                         clearMessage(wrongShape.message, {"column", "feature"}),
                     wrongShape.message.c_str());

            // save → load predicts the same, bit for bit.
            const auto copy = loadModel(name, task, saveModel(*fitted));
            QVERIFY(identical(copy->predict(x), predicted));
            if (task == TaskType::Classification)
                QVERIFY(identical(classOutput(*copy, x), output));

            // Same data and seed ⇒ the same model.
            if (!edge.light) {
                auto again = models::createModel(name, task, quickParams(name));
                core::TaskControl second;
                again->fit(data, second);
                QVERIFY(identical(again->predict(x), predicted));
                if (task == TaskType::Classification)
                    QVERIFY(identical(classOutput(*again, x), output));
            }
            record(row, edge.name, "works");
            QVERIFY2(clock.elapsed() < 30000, "case took over 30 s");
        } catch (const std::exception& error) {
            // Another exception type than a clear refusal is a failure, not a crash.
            QFAIL((std::string("unexpected exception: ") + error.what()).c_str());
        }
    }

    // ------------------------------------------------------------ the recipe on a table

    void recipeLabels_data()
    {
        addModelTaskRows([](const std::string&, TaskType task) { return task == TaskType::Classification; });
    }
    // String and non-contiguous numeric labels come back as themselves.
    void recipeLabels()
    {
        try {
            QFETCH(QString, model);
            QFETCH(TaskType, task);
            const std::string row = model.toStdString() + "/" + core::toString(task);
            struct Labels {
                const char* name;
                data::Column target;
                std::vector<std::string> expected;
            };
            const std::size_t rows = 90;
            const std::vector<Labels> cases = {
                // Sorted by code point, as numpy's unique sorts str (UTF-8 bytes sort the same).
                {"string_labels", textTarget(rows, {"zebra", "ant", "Émeu du Pérou", "b c"}),
                 {"ant", "b c", "zebra", "Émeu du Pérou"}},
                {"noncontiguous_labels", numericTarget(rows, {1000, 3, 17}), {"3", "17", "1000"}},
                {"negative_fractional_labels", numericTarget(rows, {-2.5, 0.5, -7}), {"-7", "-2.5", "0.5"}},
            };
            for (const Labels& labels : cases) {
                const data::Table table = withTarget(featureTable(rows), labels.target);
                core::TaskControl control;
                const workflow::RunResult result = workflow::runRecipe(recipeFor(model.toStdString(), task), table, nullptr, control);
                const workflow::FittedPipeline& pipeline = *result.pipeline;
                QCOMPARE(pipeline.classes(), labels.expected);
                const workflow::Predictions predictions = pipeline.predict(table);
                QCOMPARE(predictions.size(), rows);
                std::set<std::string> seen;
                for (int index : predictions.classIndex) {
                    QVERIFY(index >= 0 && static_cast<std::size_t>(index) < labels.expected.size());
                    seen.insert(pipeline.classes()[static_cast<std::size_t>(index)]);
                }
                for (const std::string& label : seen)
                    QVERIFY(std::find(labels.expected.begin(), labels.expected.end(), label) != labels.expected.end());
                if (predictions.proba.size() > 0) {
                    QVERIFY(predictions.proba.allFinite());
                    for (Eigen::Index r = 0; r < predictions.proba.rows(); ++r)
                        QVERIFY(std::abs(predictions.proba.row(r).sum() - 1.0) < 1e-9);
                }
                // The saved pipeline gives the same answers and the same labels.
                const workflow::FittedPipeline copy = loadPipeline(savePipeline(pipeline));
                QCOMPARE(copy.classes(), labels.expected);
                const workflow::Predictions again = copy.predict(table);
                QCOMPARE(again.classIndex, predictions.classIndex);
                QVERIFY(identical(again.proba, predictions.proba));
                record(row, std::string("recipe:") + labels.name, "works");
            }
        } catch (const std::exception& error) {
            // Another exception type than a clear refusal is a failure, not a crash.
            QFAIL((std::string("unexpected exception: ") + error.what()).c_str());
        }
    }

    void recipeEdgeCases_data() { addModelTaskRows(); }
    // The data problems a user can bring, through the default prep and feature steps.
    void recipeEdgeCases()
    {
        try {
            QFETCH(QString, model);
            QFETCH(TaskType, task);
            const std::string name = model.toStdString();
            const std::string row = name + "/" + core::toString(task);
            const bool classification = task == TaskType::Classification;
            const std::size_t rows = 60;
            const auto target = [&](std::size_t count) {
                return classification ? textTarget(count, {"no", "yes"}) : numericTarget(count, {1.5, 2.0, -3.0, 8.25});
            };
            const data::Table clean = withTarget(featureTable(rows), target(rows));
            const auto run = [&](const data::Table& table, workflow::Recipe recipe) {
                core::TaskControl control;
                return workflow::runRecipe(recipe, table, nullptr, control);
            };
            const auto refused = [&](const char* label, const data::Table& table, const workflow::Recipe& recipe,
                                     const std::vector<std::string>& keywords) {
                const Refusal refusal = attempt([&] { run(table, recipe); });
                QVERIFY2(refusal.refused, (std::string(label) + " was not refused").c_str());
                QVERIFY2(clearMessage(refusal.message, keywords),
                         (std::string(label) + ": unclear message: " + refusal.message).c_str());
                record(row, std::string("recipe:") + label, "refused");
            };

            // Missing values are filled by the default steps.
            const workflow::RunResult filled = run(replaced(replaced(clean, "alpha", 4, kNaN), "beta", 9, kNaN),
                                                   recipeFor(name, task));
            const workflow::Predictions predicted = filled.pipeline->predict(clean);
            QCOMPARE(predicted.size(), rows);
            if (!classification)
                QVERIFY(predicted.values.allFinite());
            // ...also in the rows to predict.
            const workflow::Predictions withGap = filled.pipeline->predict(replaced(clean, "alpha", 0, kNaN));
            QCOMPARE(withGap.size(), rows);
            record(row, "recipe:nan", "works");

            // An infinite value is named, at training and at prediction.
            refused("posinf_fit", replaced(clean, "alpha", 4, kInf), recipeFor(name, task), {"'alpha' has the value inf"});
            refused("neginf_fit", replaced(clean, "beta", 4, -kInf), recipeFor(name, task), {"'beta' has the value -inf"});
            {
                const Refusal refusal = attempt([&] { filled.pipeline->predict(replaced(clean, "beta", 2, kInf)); });
                QVERIFY2(refusal.refused && clearMessage(refusal.message, {"beta"}), refusal.message.c_str());
                record(row, "recipe:inf_predict", "refused");
            }
            // A column missing from the rows to predict, or none at all.
            {
                const Refusal refusal = attempt([&] { filled.pipeline->predict(clean.withoutColumns({"beta"})); });
                QVERIFY2(refusal.refused && clearMessage(refusal.message, {"beta"}), refusal.message.c_str());
                record(row, "recipe:missing_column_predict", "refused");
            }
            refused("zero_rows", clean.selectRows({}), recipeFor(name, task), {"row"});
            refused("zero_features", clean.selectColumns({"label"}), recipeFor(name, task), {"column", "feature"});
            refused("one_row", clean.selectRows({0}), recipeFor(name, task), {"row", "class"});
            if (classification) {
                data::Table oneClass = withTarget(featureTable(rows), textTarget(rows, {"only"}));
                refused("one_class", oneClass, recipeFor(name, task), {"class"});
                // A class with one member: a stratified split cannot place it; say so.
                std::vector<std::string> labels(rows);
                for (std::size_t r = 0; r < rows; ++r)
                    labels[r] = r == 7 ? "rare" : (r % 2 ? "no" : "yes");
                const data::Table singleton = withTarget(featureTable(rows), textTarget(rows, labels));
                const Refusal stratified = attempt([&] { run(singleton, recipeFor(name, task)); });
                if (stratified.refused) {
                    QVERIFY2(clearMessage(stratified.message, {"class 'rare'"}), stratified.message.c_str());
                    record(row, "recipe:singleton_class_stratified", "refused");
                } else {
                    record(row, "recipe:singleton_class_stratified", "works");
                }
                workflow::Recipe plain = recipeFor(name, task);
                plain.prep.stratify = false;
                const Refusal unstratified = attempt([&] { run(singleton, plain); });
                QVERIFY2(!unstratified.refused || clearMessage(unstratified.message, {"class 'rare'"}),
                         unstratified.message.c_str());
                record(row, "recipe:singleton_class_random", unstratified.refused ? "refused" : "works");
                // Cross-validation with it.
                workflow::Recipe cv = plain;
                cv.crossValidation = evaluation::CvSpec{};
                const Refusal folds = attempt([&] { run(singleton, cv); });
                QVERIFY2(!folds.refused || clearMessage(folds.message, {"class 'rare'"}), folds.message.c_str());
                record(row, "recipe:singleton_class_cv", folds.refused ? "refused" : "works");
            }
            // Huge and tiny magnitudes through the default steps (scaling).
            for (const auto& [scaleName, factor] :
                 std::vector<std::pair<std::string, double>>{{"huge_1e300", 1e300}, {"tiny_1e-300", 1e-300}}) {
                const std::string label = scaleName;  // a lambda below uses it (clang 14: no binding captures)
                data::Table table = clean;
                for (const char* column : {"alpha", "beta"}) {
                    std::vector<double> values = table.column(column).values();
                    for (double& v : values)
                        v *= factor;
                    table.replaceColumn(data::Column::numeric(column, values));
                }
                const Refusal refusal = attempt([&] {
                    const workflow::RunResult result = run(table, recipeFor(name, task));
                    const workflow::Predictions p = result.pipeline->predict(table);
                    if (!classification && !p.values.allFinite())
                        throw std::runtime_error("non-finite regression predictions on " + label);
                    if (p.proba.size() > 0 && !p.proba.allFinite())
                        throw std::runtime_error("non-finite probabilities on " + label);
                });
                QVERIFY2(!refusal.refused || clearMessage(refusal.message, {"alpha", "beta", "large", "small"}),
                         refusal.message.c_str());
                record(row, "recipe:" + label, refusal.refused ? "refused" : "works");
            }
        } catch (const std::exception& error) {
            // Another exception type than a clear refusal is a failure, not a crash.
            QFAIL((std::string("unexpected exception: ") + error.what()).c_str());
        }
    }

    void recipeManyClasses()
    {
        try {
            // 10,000 classes through the recipe: 20,000 rows, 2 per class, a fast model. The
            // evaluation must not build a 10,000 × 10,000 anything.
            const std::size_t rows = 20000;
            std::vector<double> labels(rows);
            for (std::size_t r = 0; r < rows; ++r)
                labels[r] = static_cast<double>(r / 2) * 3.0 + 1.0;
            const data::Table table = withTarget(featureTable(rows), data::Column::numeric("label", labels));
            workflow::Recipe recipe = recipeFor("naive_bayes", TaskType::Classification);
            recipe.prep.stratify = false;
            QElapsedTimer clock;
            clock.start();
            core::TaskControl control;
            const Refusal refusal = attempt([&] { workflow::runRecipe(recipe, table, nullptr, control); });
            QVERIFY2(refusal.refused && clearMessage(refusal.message, {"'label' has 10000 classes"}),
                     refusal.message.c_str());
            QVERIFY2(clock.elapsed() < 5000, qPrintable(QString("took %1 ms").arg(clock.elapsed())));
            record("naive_bayes/classification", "recipe:classes_10000", "refused");
        } catch (const std::exception& error) {
            // Another exception type than a clear refusal is a failure, not a crash.
            QFAIL((std::string("unexpected exception: ") + error.what()).c_str());
        }
    }

    // ------------------------------------------------------------ the steps

    void stepEdgeCases_data()
    {
        QTest::addColumn<QString>("kind");
        QTest::addColumn<int>("variant");
        QTest::addColumn<int>("caseIndex");
        const auto variants = stepVariants();
        const auto cases = stepCases();
        for (const prep::StepInfo& info : prep::stepRegistry()) {
            if (!variants.count(info.kind))
                continue;  // everyRegistryEntryHasChecks fails for it
            const auto& list = variants.at(info.kind);
            for (std::size_t v = 0; v < list.size(); ++v)
                for (std::size_t c = 0; c < cases.size(); ++c)
                    QTest::addRow("%s/%s", stepLabel(list[v]).c_str(), cases[c].name.c_str())
                        << QString::fromStdString(info.kind) << static_cast<int>(v) << static_cast<int>(c);
        }
    }
    void stepEdgeCases()
    {
        try {
            QFETCH(QString, kind);
            QFETCH(int, variant);
            QFETCH(int, caseIndex);
            const prep::StepSpec spec = stepVariants().at(kind.toStdString()).at(static_cast<std::size_t>(variant));
            const StepCase edge = stepCases().at(static_cast<std::size_t>(caseIndex));
            const prep::StepInfo& info = prep::findStep(spec.kind);
            const std::string row = stepLabel(spec);
            const data::Table train = edge.fitTable();
            const prep::TrainingTarget target = stepTarget(train.rowCount());
            const std::vector<std::string> keywords = {"alpha", "beta", "row", "column", "class", "neighbour", "value"};
            const auto refusedClearly = [&](const Refusal& refusal) {
                QVERIFY2(clearMessage(refusal.message, keywords), ("unclear: " + refusal.message).c_str());
                record(row, edge.name, "refused");
            };
            core::TaskControl control;
            const core::ParamValues params = prep::resolveStepParams(spec);

            if (info.phase == prep::StepPhase::BeforeSplit) {
                std::vector<std::size_t> kept;
                const Refusal refusal =
                    attempt([&] { kept = info.makeRowFilter(spec.columns, params)->keptRows(train, control); });
                if (refusal.refused)
                    return refusedClearly(refusal);
                QVERIFY(std::is_sorted(kept.begin(), kept.end()));
                QVERIFY(std::adjacent_find(kept.begin(), kept.end()) == kept.end());
                QVERIFY(kept.empty() || kept.back() < train.rowCount());
                record(row, edge.name, "works");
                return;
            }
            if (info.phase == prep::StepPhase::TrainingOnly) {
                // Samplers see the model's numeric matrix (they run last), so give them numbers only.
                prep::LabelledRows rows{train.selectColumns({"alpha", "beta", "when"}), target};
                prep::LabelledRows out;
                const Refusal refusal =
                    attempt([&] { out = info.makeSampler(spec.columns, params)->apply(rows, 7, control); });
                if (refusal.refused)
                    return refusedClearly(refusal);
                QCOMPARE(out.target.values.size(), out.table.rowCount());
                for (double value : out.target.values)
                    QVERIFY(std::isfinite(value));
                if (edge.finiteInput) {
                    const std::string bad = unexpectedNonFinite(out.table, std::vector<bool>(out.table.rowCount(), false));
                    QVERIFY2(bad.empty(), bad.c_str());
                }
                // Same seed ⇒ same rows.
                core::TaskControl second;
                const prep::LabelledRows again = info.makeSampler(spec.columns, params)->apply(rows, 7, second);
                QVERIFY(tablesIdentical(again.table, out.table));
                record(row, edge.name, "works");
                return;
            }

            // A fitted transformer.
            auto transformer = info.makeTransformer(spec.columns, params);
            data::Table out;
            const data::Table applyTo = edge.transformTable ? edge.transformTable() : train;
            const Refusal refusal = attempt([&] {
                transformer->fit(train, target, control);
                out = transformer->transform(applyTo);
            });
            if (refusal.refused) {
                // Only at fit time with non-finite or degenerate data; never on plain data.
                QVERIFY2(edge.name != "plain", ("refused plain data: " + refusal.message).c_str());
                return refusedClearly(refusal);
            }
            QCOMPARE(out.rowCount(), applyTo.rowCount());
            if (!mayMakeMissing(spec)) {
                // Missing values stay missing in their own rows (imputers fill them); a
            // non-finite value must not spread to rows that had none.
            const std::vector<bool> badInput = nonFiniteRows(applyTo);
                    const std::string bad = unexpectedNonFinite(out, badInput);
                QVERIFY2(bad.empty(), ("a finite input came out non-finite: " + bad).c_str());
            }
            // save → load transforms identically.
            std::ostringstream bytes;
            {
                core::OutputArchive archive(bytes);
                transformer->save(archive);
            }
            auto copy = prep::makeTransformerForLoading(transformer->kind());
            {
                std::istringstream in(bytes.str());
                core::InputArchive archive(in);
                copy->load(archive);
            }
            QVERIFY(tablesIdentical(copy->transform(applyTo), out));
            // Rows without a column the step was fitted on: a clear error naming it, or the
            // step does not use it.
            if (train.rowCount() > 0) {
                const Refusal missing = attempt([&] { transformer->transform(applyTo.withoutColumns({"alpha"})); });
                QVERIFY2(!missing.refused || clearMessage(missing.message, {"alpha"}), missing.message.c_str());
            }
            record(row, edge.name, "works");
        } catch (const std::exception& error) {
            // Another exception type than a clear refusal is a failure, not a crash.
            QFAIL((std::string("unexpected exception: ") + error.what()).c_str());
        }
    }

    void cleanupTestCase()
    {
        // The outcome matrix, for the report: one line per model/task or step variant.
        for (const auto& [row, cells] : outcomes()) {
            std::string line = row + ":";
            for (const auto& [column, outcome] : cells)
                line.append(" ").append(column).append("=").append(outcome);
            qInfo("%s", line.c_str());
        }
    }
};

QTEST_GUILESS_MAIN(TestEstimatorChecks)
#include "tst_estimator_checks.moc"
