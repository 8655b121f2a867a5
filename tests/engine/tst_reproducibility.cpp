// Same seed, same result, whatever the thread count: every registered model, run through
// the whole recipe (default prep and feature steps, cross-validation, a grid search and a
// leaderboard) on 1, 2 and 4 threads and twice on the same count, must give bit-identical
// metrics, predictions, fold and candidate scores, leaderboard entries and fitted
// pipelines. Equality is bitwise (the bytes of every double), never approximate.
//
// Titanic (categories, missing values) and mpg (a regression target, a category, missing
// horsepower) are the real data; most parallel loops only start above a few thousand
// rows, so each model also runs on a synthetic table large enough to take them.
#include <QtTest>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <map>
#include <sstream>

#include "stepwise/core/input_archive.hpp"
#include <boost/archive/binary_oarchive.hpp>

#include <omp.h>

#include "stepwise/core/threads.hpp"
#include "stepwise/data/builtin_datasets.hpp"
#include "stepwise/data/data_source.hpp"
#include "stepwise/data/synthetic.hpp"
#include "stepwise/io/model_archive.hpp"
#include "stepwise/models/dataset.hpp"
#include "stepwise/models/registry.hpp"
#include "stepwise/workflow/runner.hpp"

using namespace stepwise;

namespace {

// Everything a run produced that must not depend on the thread count, as labelled byte
// strings: a mismatch names the field and, for numbers, the first element that differs.
class Fingerprint {
public:
    void numbers(const std::string& label, const double* values, std::size_t count)
    {
        add(label, Kind::Numbers, std::string(reinterpret_cast<const char*>(values), count * sizeof(double)));
    }
    void number(const std::string& label, double value) { numbers(label, &value, 1); }
    void number(const std::string& label, const std::optional<double>& value)
    {
        text(label + " present", value ? "yes" : "no");
        if (value)
            number(label, *value);
    }
    void numbers(const std::string& label, const std::vector<double>& values)
    {
        numbers(label, values.data(), values.size());
    }
    void numbers(const std::string& label, const Eigen::MatrixXd& values)
    {
        text(label + " shape", std::to_string(values.rows()) + "x" + std::to_string(values.cols()));
        numbers(label, values.data(), static_cast<std::size_t>(values.size()));
    }
    void numbers(const std::string& label, const Eigen::VectorXd& values)
    {
        numbers(label, values.data(), static_cast<std::size_t>(values.size()));
    }
    void integers(const std::string& label, const std::vector<long long>& values)
    {
        add(label, Kind::Integers,
            std::string(reinterpret_cast<const char*>(values.data()), values.size() * sizeof(long long)));
    }
    void integer(const std::string& label, long long value) { integers(label, {value}); }
    void text(const std::string& label, const std::string& value) { add(label, Kind::Text, value); }
    void binary(const std::string& label, const std::string& bytes) { add(label, Kind::Binary, bytes); }

    // Empty when equal, else what differs first.
    std::string difference(const Fingerprint& other) const
    {
        if (m_entries.size() != other.m_entries.size())
            return "the runs recorded " + std::to_string(m_entries.size()) + " and " +
                   std::to_string(other.m_entries.size()) + " fields";
        for (std::size_t i = 0; i < m_entries.size(); ++i) {
            const Entry& a = m_entries[i];
            const Entry& b = other.m_entries[i];
            if (a.label != b.label)
                return "field " + std::to_string(i) + " is '" + a.label + "' in one run, '" + b.label + "' in the other";
            if (a.bytes.size() == b.bytes.size() && std::memcmp(a.bytes.data(), b.bytes.data(), a.bytes.size()) == 0)
                continue;
            return a.label + ": " + describe(a, b);
        }
        return {};
    }

private:
    enum class Kind { Numbers, Integers, Text, Binary };
    struct Entry {
        std::string label;
        Kind kind;
        std::string bytes;
    };

    void add(const std::string& label, Kind kind, std::string bytes)
    {
        m_entries.push_back({label, kind, std::move(bytes)});
    }

    static std::string describe(const Entry& a, const Entry& b)
    {
        if (a.bytes.size() != b.bytes.size())
            return std::to_string(a.bytes.size()) + " against " + std::to_string(b.bytes.size()) + " bytes";
        std::size_t first = 0;
        while (a.bytes[first] == b.bytes[first])
            ++first;
        switch (a.kind) {
        case Kind::Numbers: {
            const std::size_t count = a.bytes.size() / sizeof(double);
            std::size_t differing = 0;
            for (std::size_t i = 0; i < count; ++i)
                differing += std::memcmp(a.bytes.data() + i * sizeof(double), b.bytes.data() + i * sizeof(double),
                                         sizeof(double)) != 0;
            const std::size_t at = first / sizeof(double);
            double x = 0.0, y = 0.0;
            std::memcpy(&x, a.bytes.data() + at * sizeof(double), sizeof(double));
            std::memcpy(&y, b.bytes.data() + at * sizeof(double), sizeof(double));
            char text[160];
            std::snprintf(text, sizeof text, "%zu of %zu values differ, first [%zu]: %.17g against %.17g", differing,
                          count, at, x, y);
            return text;
        }
        case Kind::Integers: {
            const std::size_t at = first / sizeof(long long);
            long long x = 0, y = 0;
            std::memcpy(&x, a.bytes.data() + at * sizeof(long long), sizeof(long long));
            std::memcpy(&y, b.bytes.data() + at * sizeof(long long), sizeof(long long));
            return "[" + std::to_string(at) + "]: " + std::to_string(x) + " against " + std::to_string(y);
        }
        case Kind::Text:
            return "'" + a.bytes.substr(0, 200) + "' against '" + b.bytes.substr(0, 200) + "'";
        case Kind::Binary:
            return std::to_string(a.bytes.size()) + " bytes each, first difference at byte " + std::to_string(first);
        }
        return {};
    }

    std::vector<Entry> m_entries;
};

template <class Saveable>
std::string archiveBytes(const Saveable& object)
{
    std::ostringstream out(std::ios::binary);
    {
        core::OutputArchive archive(out);
        object.save(archive);
    }
    return std::move(out).str();
}

// The whole fitted pipeline as the model file stores it. Its metadata records when it was
// made; that one field is set to a fixed text (through a save → load round trip, which
// keeps everything the file holds), every other byte is compared as saved.
std::string normalisedPipelineBytes(const workflow::FittedPipeline& pipeline)
{
    std::istringstream in(archiveBytes(pipeline), std::ios::binary);
    workflow::FittedPipeline copy;
    {
        core::InputArchive archive(in);
        copy.load(archive, io::kModelFormatVersion);
    }
    workflow::PipelineMetadata metadata = copy.metadata();
    if (metadata.createdUtc.empty())
        throw std::runtime_error("the pipeline has no creation time: the normalisation below would hide nothing");
    metadata.createdUtc = "1970-01-01T00:00:00Z";
    copy.setMetadata(std::move(metadata));
    return archiveBytes(copy);
}

std::string paramsText(const std::map<std::string, std::string>& params)
{
    std::string text;
    for (const auto& [key, value] : params)
        text.append(key).append("=").append(value).append(";");
    return text;
}

void addClassification(Fingerprint& print, const std::string& label, const evaluation::ClassificationMetrics& m)
{
    print.numbers(label + " scores",
                  std::vector<double>{m.accuracy, m.balancedAccuracy, m.precisionMacro, m.recallMacro, m.f1Macro,
                                      m.specificityMacro, m.precisionMicro, m.recallMicro, m.f1Micro,
                                      m.precisionWeighted, m.recallWeighted, m.f1Weighted, m.matthews, m.cohenKappa});
    print.number(label + " roc_auc", m.rocAuc);
    print.number(label + " roc_auc_ovr_weighted", m.rocAucOvrWeighted);
    print.number(label + " roc_auc_ovo", m.rocAucOvo);
    print.number(label + " roc_auc_ovo_weighted", m.rocAucOvoWeighted);
    print.number(label + " average_precision", m.averagePrecision);
    print.number(label + " log_loss", m.logLoss);
    print.number(label + " brier", m.brier);
    for (std::size_t c = 0; c < m.perClass.size(); ++c) {
        const evaluation::ClassScores& s = m.perClass[c];
        print.numbers(label + " class " + std::to_string(c), std::vector<double>{s.precision, s.recall, s.f1, s.specificity});
        print.integer(label + " class " + std::to_string(c) + " support", static_cast<long long>(s.support));
    }
    for (std::size_t r = 0; r < m.confusion.size(); ++r)
        print.integers(label + " confusion row " + std::to_string(r),
                       std::vector<long long>(m.confusion[r].begin(), m.confusion[r].end()));
}

void addRegression(Fingerprint& print, const std::string& label, const evaluation::RegressionMetrics& m)
{
    print.numbers(label, std::vector<double>{m.mse, m.rmse, m.mae, m.r2, m.medianAe, m.explainedVariance, m.mape});
}

void addMetrics(Fingerprint& print, const std::string& label,
                const std::optional<evaluation::ClassificationMetrics>& classification,
                const std::optional<evaluation::RegressionMetrics>& regression)
{
    print.text(label + " kind", classification ? "classification" : regression ? "regression" : "none");
    if (classification)
        addClassification(print, label, *classification);
    if (regression)
        addRegression(print, label, *regression);
}

void addPredictions(Fingerprint& print, const std::string& label, const workflow::Predictions& p)
{
    print.integers(label + " classes", std::vector<long long>(p.classIndex.begin(), p.classIndex.end()));
    print.numbers(label + " probabilities", p.proba);
    print.numbers(label + " values", p.values);
}

void addFitReport(Fingerprint& print, const std::string& label, const models::FitReport& fit)
{
    print.integer(label + " iterations", fit.iterations);
    print.text(label + " converged", fit.converged ? "yes" : "no");
    print.text(label + " message", fit.message);
}

// Curve points of the models whose snapshots are paced by the clock (the linear solvers
// watch the time a snapshot costs) are not all present in every run; the points both runs
// have must agree, and so must the last.
std::string curveDifference(const std::string& label, const models::FitReport& a, const models::FitReport& b)
{
    const auto key = [](const core::TrainingSnapshot& s) { return s.metricName + "@" + s.measuredOn + "#" + std::to_string(s.step); };
    std::map<std::string, const core::TrainingSnapshot*> points;
    for (const core::TrainingSnapshot& s : a.curve)
        points[key(s)] = &s;
    for (const core::TrainingSnapshot& s : b.curve) {
        const auto found = points.find(key(s));
        if (found == points.end())
            continue;
        const core::TrainingSnapshot& other = *found->second;
        if (std::memcmp(&s.value, &other.value, sizeof(double)) != 0 || s.confusion != other.confusion) {
            char text[200];
            std::snprintf(text, sizeof text, " curve point %s: %.17g against %.17g", key(s).c_str(), other.value,
                          s.value);
            return label + text;
        }
    }
    if (a.curve.empty() != b.curve.empty() || (!a.curve.empty() && key(a.curve.back()) != key(b.curve.back())))
        return label + " curve ends differently";
    return {};
}

struct RunPrint {
    Fingerprint print;
    std::vector<std::pair<std::string, models::FitReport>> fits;
};

RunPrint fingerprintOf(const workflow::RunResult& r)
{
    RunPrint run;
    Fingerprint& print = run.print;
    print.integers("test rows", std::vector<long long>(r.testRows.begin(), r.testRows.end()));
    print.integers("validation rows", std::vector<long long>(r.validationRows.begin(), r.validationRows.end()));
    print.integer("training rows", static_cast<long long>(r.trainRowCount));
    addMetrics(print, "test", r.classification, r.regression);
    addMetrics(print, "validation", r.validationClassification, r.validationRegression);
    addMetrics(print, "train", r.trainClassification, r.trainRegression);
    addPredictions(print, "test predictions", r.testPredictions);
    addPredictions(print, "validation predictions", r.validationPredictions);
    print.text("verdict", r.verdict ? (r.verdict->passed ? "passed" : "failed") : "none");
    if (r.verdict)
        print.number("verdict value", r.verdict->value);
    print.number("estimate train", r.estimateCheck.train);
    print.number("estimate", r.estimateCheck.estimate);
    print.number("estimate spread", r.estimateCheck.estimateSpread);
    print.number("estimate test", r.estimateCheck.test);
    for (const std::string& warning : r.estimateCheck.warnings)
        print.text("estimate warning", warning);
    for (const std::string& warning : r.warnings)
        print.text("warning", warning);
    for (const workflow::AuditFinding& finding : r.audit)
        print.text("audit " + finding.kind, finding.message);
    addFitReport(print, "kept fit", r.fit);
    run.fits.emplace_back("kept fit", r.fit);
    print.text("cross-validation", r.crossValidation ? r.crossValidation->strategy + " " + r.crossValidation->metric : "none");
    if (r.crossValidation) {
        print.numbers("cross-validation fold scores", r.crossValidation->scores);
        print.numbers("cross-validation mean and std", std::vector<double>{r.crossValidation->mean, r.crossValidation->std});
    }
    print.text("search", r.search ? r.search->kind + " " + r.search->strategy + " " + r.search->metric : "none");
    if (r.search) {
        for (std::size_t i = 0; i < r.search->candidates.size(); ++i) {
            const workflow::SearchCandidate& c = r.search->candidates[i];
            const std::string label = "search candidate " + std::to_string(i);
            print.text(label + " params", paramsText(c.params));
            print.numbers(label + " fold scores", c.foldScores);
            print.numbers(label + " mean and std", std::vector<double>{c.mean, c.std});
            print.integer(label + " rank", c.rank);
        }
        print.integer("search best", static_cast<long long>(r.search->best));
        print.text("search best params", paramsText(r.search->bestParams));
    }
    print.text("leaderboard ranked on", r.leaderboardMetric + " / " + r.leaderboardRankedOn);
    for (std::size_t i = 0; i < r.leaderboard.size(); ++i) {
        const workflow::LeaderboardEntry& e = r.leaderboard[i];
        const std::string label = "leaderboard " + std::to_string(i);
        print.text(label + " model", e.model.name + " " + paramsText(e.model.params) + (e.kept ? " kept" : ""));
        addMetrics(print, label, e.classification, e.regression);
        print.number(label + " validation score", e.validationScore);
        if (e.crossValidation) {
            print.numbers(label + " fold scores", e.crossValidation->scores);
            print.numbers(label + " mean and std", std::vector<double>{e.crossValidation->mean, e.crossValidation->std});
        }
        addFitReport(print, label + " fit", e.fit);
        run.fits.emplace_back(label + " fit", e.fit);
        print.binary(label + " model bytes", archiveBytes(e.pipeline->model()));
        print.binary(label + " pipeline bytes", normalisedPipelineBytes(*e.pipeline));
    }
    // The fitted parts one by one (so a difference says where), then the whole pipeline.
    for (std::size_t i = 0; i < r.pipeline->steps().size(); ++i)
        print.binary("step " + std::to_string(i) + " (" + r.pipeline->steps()[i]->kind() + ") bytes",
                     archiveBytes(*r.pipeline->steps()[i]));
    print.binary("model bytes", archiveBytes(r.pipeline->model()));
    print.binary("pipeline bytes", normalisedPipelineBytes(*r.pipeline));
    return run;
}

enum class Data { Titanic, Mpg, LargeClassification, LargeRegression, WideClassification, WideRegression };

data::Table loadData(Data which)
{
    switch (which) {
    case Data::Titanic:
        return data::loadBuiltinDataset("titanic");
    case Data::Mpg:
        return data::loadTable(data::parseDataLocation(std::string(STEPWISE_DATASETS_DIR) + "/mpg.csv"));
    case Data::LargeClassification: {
        data::ClassificationSpec spec;
        spec.samples = 16000;
        spec.features = 12;
        spec.informative = 6;
        spec.classes = 3;
        spec.seed = 5;
        return data::makeClassification(spec);
    }
    case Data::LargeRegression: {
        data::RegressionSpec spec;
        spec.samples = 16000;
        spec.features = 12;
        spec.informative = 6;
        spec.noise = 10.0;
        spec.seed = 5;
        return data::makeRegression(spec);
    }
    case Data::WideClassification: {
        data::ClassificationSpec spec;
        spec.samples = 300;
        spec.features = 700;
        spec.informative = 20;
        spec.seed = 6;
        return data::makeClassification(spec);
    }
    case Data::WideRegression: {
        data::RegressionSpec spec;
        spec.samples = 300;
        spec.features = 700;
        spec.informative = 20;
        spec.noise = 10.0;
        spec.seed = 6;
        return data::makeRegression(spec);
    }
    }
    return {};
}

// A grid of two values of one parameter each model really has.
std::map<std::string, std::vector<std::string>> smallGrid(const std::string& model)
{
    static const std::map<std::string, std::map<std::string, std::vector<std::string>>> grids = {
        {"logistic_regression", {{"C", {"0.1", "1"}}}},
        {"random_forest", {{"max_depth", {"4", "none"}}}},
        {"linear_regression", {{"fit_intercept", {"true", "false"}}}},
        {"decision_tree", {{"max_depth", {"3", "none"}}}},
        {"gradient_boosting", {{"early_stopping", {"false", "true"}}}},
        {"ridge", {{"alpha", {"0.1", "10"}}}},
        {"lasso", {{"alpha", {"0.01", "1"}}}},
        {"linear_svm", {{"C", {"0.1", "1"}}}},
        {"knn", {{"n_neighbors", {"4", "15"}}}},
        {"naive_bayes", {{"var_smoothing", {"1e-9", "1e-3"}}}},
    };
    return grids.at(model);
}

// Settings that take the model through its random or parallel paths (feature
// subsampling, out-of-bag votes, tied neighbours) and keep the run short.
std::map<std::string, std::string> baseParams(const std::string& model)
{
    if (model == "random_forest")
        return {{"n_estimators", "24"}, {"oob_score", "true"}};
    if (model == "decision_tree")
        return {{"max_features", "0.5"}};
    if (model == "gradient_boosting")
        return {{"max_iter", "40"}};
    if (model == "knn")
        return {{"weights", "distance"}};
    return {};
}

workflow::Recipe recipeFor(const std::string& model, Data which)
{
    workflow::Recipe recipe;
    const bool classification =
        which == Data::Titanic || which == Data::LargeClassification || which == Data::WideClassification;
    const bool large = which != Data::Titanic && which != Data::Mpg;
    recipe.problem.task = classification ? core::TaskType::Classification : core::TaskType::Regression;
    switch (which) {
    case Data::Titanic:
        recipe.problem.target = "survived";
        recipe.prep.dropColumns = {"alive"};
        break;
    case Data::Mpg:
        recipe.problem.target = "mpg";
        recipe.prep.dropColumns = {"name"};
        break;
    default:
        recipe.problem.target = "target";
        break;
    }
    recipe.model.name = model;
    recipe.model.params = baseParams(model);
    recipe.seed = 7;
    evaluation::CvSpec cv;
    cv.strategy = classification ? evaluation::CvStrategy::StratifiedKFold : evaluation::CvStrategy::KFold;
    cv.folds = large ? 2 : 3;
    recipe.crossValidation = cv;
    if (!large) {
        // A validation set, a search and a second model only on the small data: their fits
        // run inside the cross-validation's parallel loop (one thread each), and the large
        // rows are there for the models' own parallel loops.
        recipe.prep.validationSize = 0.15;
        workflow::SearchSpec search;
        search.space = smallGrid(model);
        recipe.search = search;
        recipe.compareWith = {{model, {}}, {"decision_tree", {{"max_depth", "4"}}}};
    }
    return recipe;
}

// The thread counts every run is repeated on: 1, 2 and 4 (more than this machine may have
// cores), then 2 again. The sanitizer presets set STEPWISE_REPRODUCIBILITY_THREADS=2,4:
// under them it is the parallel code that matters, and every run costs ten times more.
std::vector<int> threadCountsToCompare()
{
    const char* text = std::getenv("STEPWISE_REPRODUCIBILITY_THREADS");
    if (text == nullptr || *text == '\0')
        return {1, 2, 4, 2};
    std::vector<int> counts;
    std::istringstream in(text);
    for (std::string item; std::getline(in, item, ',');) {
        const int count = std::atoi(item.c_str());
        if (count < 1)
            qFatal("STEPWISE_REPRODUCIBILITY_THREADS: '%s' is not a thread count (1 or more)", item.c_str());
        counts.push_back(count);
    }
    if (counts.size() < 2)
        qFatal("STEPWISE_REPRODUCIBILITY_THREADS: give at least two thread counts to compare, e.g. 2,4");
    return counts;
}

const char* dataName(Data which)
{
    switch (which) {
    case Data::Titanic:
        return "titanic";
    case Data::Mpg:
        return "mpg";
    case Data::LargeClassification:
        return "synthetic-classification-16000";
    case Data::LargeRegression:
        return "synthetic-regression-16000";
    case Data::WideClassification:
        return "synthetic-classification-300x700";
    case Data::WideRegression:
        return "synthetic-regression-300x700";
    }
    return "";
}

} // namespace

Q_DECLARE_METATYPE(Data)

class TestReproducibility : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { m_defaultThreads = omp_get_max_threads(); }
    void cleanup() { core::setThreadCount(m_defaultThreads); }

    void sameSeedSameBitsOnAnyThreadCount_data()
    {
        QTest::addColumn<QString>("model");
        QTest::addColumn<Data>("data");
        for (const models::ModelInfo& info : models::modelRegistry()) {
            for (core::TaskType task : info.tasks) {
                const bool classification = task == core::TaskType::Classification;
                for (Data which : classification ? std::vector<Data>{Data::Titanic, Data::LargeClassification, Data::WideClassification}
                                                 : std::vector<Data>{Data::Mpg, Data::LargeRegression, Data::WideRegression}) {
                    const std::string name = info.name + "/" + dataName(which);
                    QTest::newRow(name.c_str()) << QString::fromStdString(info.name) << which;
                }
            }
        }
    }

    void sameSeedSameBitsOnAnyThreadCount()
    {
        QFETCH(QString, model);
        QFETCH(Data, data);
        const workflow::Recipe recipe = recipeFor(model.toStdString(), data);
        const std::vector<int> threadCounts = threadCountsToCompare();
        std::vector<RunPrint> prints;
        for (int threads : threadCounts) {
            core::setThreadCount(threads);
            QCOMPARE(core::threadCount(), threads);
            const data::Table table = loadData(data);
            core::TaskControl control;
            const workflow::RunResult result = workflow::runRecipe(recipe, table, nullptr, control);
            if (data == Data::Titanic || data == Data::Mpg) {
                QVERIFY(result.search && result.search->candidates.size() == 2);
                QCOMPARE(result.leaderboard.size(), std::size_t(3));
            }
            QVERIFY(result.crossValidation);
            prints.push_back(fingerprintOf(result));
        }
        for (std::size_t i = 1; i < prints.size(); ++i) {
            const auto earlier = threadCounts.begin() + static_cast<std::ptrdiff_t>(i);
            const bool again = std::find(threadCounts.begin(), earlier, threadCounts[i]) != earlier;
            const std::string which = std::to_string(threadCounts[0]) + " thread(s) against " +
                                      std::to_string(threadCounts[i]) + (again ? " (again)" : "");
            const std::string difference = prints[0].print.difference(prints[i].print);
            QVERIFY2(difference.empty(), (which + ": " + difference).c_str());
            for (std::size_t f = 0; f < prints[0].fits.size(); ++f) {
                const std::string curve =
                    curveDifference(prints[0].fits[f].first, prints[0].fits[f].second, prints[i].fits[f].second);
                QVERIFY2(curve.empty(), (which + ": " + curve).c_str());
            }
        }
    }

    // Nodes of more than 2^19 rows are partitioned by every thread at once (boosting_tree.cpp);
    // no recipe above reaches them, so the model is fitted here on 600,000 rows directly.
    void boostingSplitsHugeNodesTheSameWay()
    {
        data::RegressionSpec spec;
        spec.samples = 600000;
        spec.features = 3;
        spec.informative = 3;
        spec.noise = 5.0;
        spec.seed = 9;
        const data::Table table = data::makeRegression(spec);
        models::Dataset dataset;
        dataset.x.resize(spec.samples, spec.features);
        for (int f = 0; f < spec.features; ++f)
            dataset.x.col(f) = Eigen::Map<const Eigen::VectorXd>(table.column(static_cast<std::size_t>(f)).values().data(),
                                                                 spec.samples);
        dataset.y = Eigen::Map<const Eigen::VectorXd>(table.column("target").values().data(), spec.samples);
        dataset.seed = 3;
        const std::vector<int> threadCounts = threadCountsToCompare();
        std::vector<std::string> fitted;
        for (int threads : threadCounts) {
            core::setThreadCount(threads);
            auto model = models::createModel("gradient_boosting", core::TaskType::Regression,
                                             {{"max_iter", "3"}, {"early_stopping", "false"}});
            core::TaskControl control;
            model->fit(dataset, control);
            fitted.push_back(archiveBytes(*model));
        }
        QVERIFY(fitted[0].size() > 1000);
        for (std::size_t i = 1; i < fitted.size(); ++i) {
            const std::string which =
                std::to_string(threadCounts[0]) + " against " + std::to_string(threadCounts[i]) + " threads";
            QVERIFY2(fitted[0] == fitted[i], (which + ": the boosted trees differ").c_str());
        }
    }

private:
    int m_defaultThreads = 1;
};

QTEST_GUILESS_MAIN(TestReproducibility)
#include "tst_reproducibility.moc"
