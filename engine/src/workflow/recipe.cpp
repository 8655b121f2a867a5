#include "stepwise/workflow/recipe.hpp"

#include <cmath>
#include <cstdint>
#include <limits>

#include <nlohmann/json.hpp>

#include "stepwise/core/errors.hpp"

namespace stepwise::workflow {

using nlohmann::json;

std::vector<prep::StepSpec> defaultPrepSteps() { return {{"impute", true, {}, {}}}; }

std::vector<prep::StepSpec> defaultFeatureSteps()
{
    return {{"scale", true, {}, {{"method", "standard"}}}, {"encode", true, {}, {{"method", "onehot"}}}};
}

std::vector<prep::StepSpec> pipelineSteps(const Recipe& recipe)
{
    std::vector<prep::StepSpec> steps = recipe.prep.steps;
    steps.insert(steps.end(), recipe.features.steps.begin(), recipe.features.steps.end());
    return steps;
}

// File-local, but in this namespace so it joins the overload set parseChoice uses.
static const char* toString(data::DataSourceKind kind)
{
    switch (kind) {
    case data::DataSourceKind::File: return "file";
    case data::DataSourceKind::Builtin: return "builtin";
    case data::DataSourceKind::Generated: return "generated";
    }
    return "file";
}

const char* toString(Interpretability value)
{
    switch (value) {
    case Interpretability::Unspecified: return "unspecified";
    case Interpretability::NotNeeded: return "not_needed";
    case Interpretability::Preferred: return "preferred";
    case Interpretability::Required: return "required";
    }
    return "unspecified";
}

const char* toString(RetrainingCadence value)
{
    switch (value) {
    case RetrainingCadence::Unspecified: return "unspecified";
    case RetrainingCadence::Once: return "once";
    case RetrainingCadence::Daily: return "daily";
    case RetrainingCadence::Weekly: return "weekly";
    case RetrainingCadence::Monthly: return "monthly";
    case RetrainingCadence::Quarterly: return "quarterly";
    case RetrainingCadence::Yearly: return "yearly";
    }
    return "unspecified";
}

namespace {

template <typename Enum>
std::optional<Enum> findChoice(const std::string& text, std::initializer_list<Enum> choices)
{
    for (Enum choice : choices)
        if (text == toString(choice))
            return choice;
    return std::nullopt;
}

} // namespace

std::optional<Interpretability> parseInterpretability(const std::string& text)
{
    using enum Interpretability;
    return findChoice(text, {Unspecified, NotNeeded, Preferred, Required});
}

std::optional<RetrainingCadence> parseRetrainingCadence(const std::string& text)
{
    using enum RetrainingCadence;
    return findChoice(text, {Unspecified, Once, Daily, Weekly, Monthly, Quarterly, Yearly});
}

namespace {

// Reverse lookup of the toString spellings above.
template <typename Enum>
Enum parseChoice(const std::string& text, std::initializer_list<Enum> choices, const char* field)
{
    for (Enum choice : choices)
        if (text == toString(choice))
            return choice;
    throw core::ArchiveError(std::string("recipe field '") + field + "' has an unknown value '" + text + "'");
}

json generatorJson(const data::ClassificationSpec& g)
{
    return {{"samples", g.samples},     {"features", g.features},  {"informative", g.informative},
            {"redundant", g.redundant}, {"repeated", g.repeated},  {"classes", g.classes},
            {"clusters_per_class", g.clustersPerClass},           {"weights", g.weights},
            {"flip_y", g.flipY},        {"class_sep", g.classSep}, {"hypercube", g.hypercube},
            {"shift", g.shift},         {"scale", g.scale},        {"shuffle", g.shuffle},
            {"seed", g.seed}};
}

// A whole number that fits T: converting a float or an out-of-range number would be
// undefined, and recipe files may come from anywhere.
template <typename T>
T wholeNumber(const json& j, const char* field)
{
    using Limits = std::numeric_limits<T>;
    bool fits = false;
    if (j.is_number_unsigned()) {
        fits = j.get<std::uint64_t>() <= static_cast<std::uint64_t>(Limits::max());
    } else if (j.is_number_integer()) {
        const auto value = j.get<std::int64_t>();
        fits = value >= 0 ? static_cast<std::uint64_t>(value) <= static_cast<std::uint64_t>(Limits::max())
                          : Limits::is_signed && value >= static_cast<std::int64_t>(Limits::min());
    }
    if (!fits)
        throw core::ArchiveError(std::string("recipe field '") + field + "' is " + j.dump() +
                                 " — it must be a whole number from " + std::to_string(std::numeric_limits<T>::min()) +
                                 " to " + std::to_string(std::numeric_limits<T>::max()));
    return j.get<T>();
}

data::ClassificationSpec generatorFromJson(const json& j)
{
    data::ClassificationSpec g;
    g.samples = wholeNumber<int>(j.at("samples"), "data.generator.samples");
    g.features = wholeNumber<int>(j.at("features"), "data.generator.features");
    g.informative = wholeNumber<int>(j.at("informative"), "data.generator.informative");
    g.redundant = wholeNumber<int>(j.at("redundant"), "data.generator.redundant");
    g.repeated = wholeNumber<int>(j.at("repeated"), "data.generator.repeated");
    g.classes = wholeNumber<int>(j.at("classes"), "data.generator.classes");
    g.clustersPerClass = wholeNumber<int>(j.at("clusters_per_class"), "data.generator.clusters_per_class");
    g.weights = j.at("weights").get<std::vector<double>>();
    g.flipY = j.at("flip_y").get<double>();
    g.classSep = j.at("class_sep").get<double>();
    g.hypercube = j.at("hypercube").get<bool>();
    g.shift = j.at("shift").get<double>();
    g.scale = j.at("scale").get<double>();
    g.shuffle = j.at("shuffle").get<bool>();
    g.seed = wholeNumber<std::uint64_t>(j.at("seed"), "data.generator.seed");
    return g;
}

// Only what differs from the defaults is written, so recipes without read options
// (older files, builtin data) stay as they were.
json stepsJson(const std::vector<prep::StepSpec>& steps)
{
    json list = json::array();
    for (const prep::StepSpec& step : steps) {
        json j = {{"kind", step.kind}, {"params", step.params}};
        if (!step.enabled)
            j["enabled"] = false;
        if (!step.columns.empty())
            j["columns"] = step.columns;
        list.push_back(std::move(j));
    }
    return list;
}

std::vector<prep::StepSpec> stepsFromJson(const json& list)
{
    std::vector<prep::StepSpec> steps;
    for (const json& j : list) {
        prep::StepSpec step;
        step.kind = j.at("kind").get<std::string>();
        step.enabled = j.value("enabled", true);
        step.columns = j.value("columns", std::vector<std::string>());
        step.params = j.value("params", std::map<std::string, std::string>());
        steps.push_back(std::move(step));
    }
    return steps;
}

// Recipes written before the step lists (model format 1) had one imputation choice and
// one scaling and encoding choice; they become the equivalent steps.
std::vector<prep::StepSpec> legacyPrepSteps(const json& prepJson)
{
    if (prepJson.at("drop_missing_rows").get<bool>())
        return {{"drop_missing_rows", true, {}, {}}};
    std::map<std::string, std::string> params = {
        {"numeric", prepJson.at("impute_numeric").get<std::string>()},
        {"categorical", prepJson.at("impute_categorical").get<std::string>()},
        {"categorical_fill", prepJson.at("impute_categorical_constant").get<std::string>()}};
    params["numeric_fill"] = data::formatNumber(prepJson.at("impute_numeric_constant").get<double>());
    return {{"impute", true, {}, params}};
}

std::vector<prep::StepSpec> legacyFeatureSteps(const json& featuresJson)
{
    std::vector<prep::StepSpec> steps;
    const std::string scaling = featuresJson.at("scaling").get<std::string>();
    if (scaling != "none")
        steps.push_back({"scale", true, {}, {{"method", scaling}}});
    steps.push_back({"encode", true, {}, {{"method", featuresJson.at("encoding").get<std::string>()}}});
    return steps;
}

json readOptionsJson(const data::ReadOptions& read)
{
    const data::ReadOptions defaults;
    json j = json::object();
    if (read.csv.delimiter != 0)
        j["delimiter"] = std::string(1, read.csv.delimiter);
    if (read.csv.missingMarkers != defaults.csv.missingMarkers)
        j["missing_markers"] = read.csv.missingMarkers;
    if (read.csv.decimal != defaults.csv.decimal)
        j["decimal"] = std::string(1, read.csv.decimal);
    if (read.csv.thousands != 0)
        j["thousands"] = std::string(1, read.csv.thousands);
    if (read.csv.encoding != defaults.csv.encoding)
        j["encoding"] = data::toString(read.csv.encoding);
    if (!read.sheet.empty())
        j["sheet"] = read.sheet;
    if (!read.table.empty())
        j["table"] = read.table;
    if (!read.query.empty())
        j["query"] = read.query;
    if (!read.columnKinds.empty()) {
        json kinds = json::array();
        for (const auto& k : read.columnKinds)
            kinds.push_back({{"column", k.column}, {"kind", data::toString(k.kind)}});
        j["column_kinds"] = kinds;
    }
    return j;
}

char readCharacter(const json& j, const char* field)
{
    const std::string text = j.get<std::string>();
    if (text.size() != 1)
        throw core::ArchiveError(std::string("recipe field 'data.read.") + field + "' must be one character, not '" +
                                 text + "'");
    return text[0];
}

data::ReadOptions readOptionsFromJson(const json& j)
{
    data::ReadOptions read;
    if (j.contains("delimiter"))
        read.csv.delimiter = readCharacter(j.at("delimiter"), "delimiter");
    if (j.contains("missing_markers"))
        read.csv.missingMarkers = j.at("missing_markers").get<std::vector<std::string>>();
    if (j.contains("decimal"))
        read.csv.decimal = readCharacter(j.at("decimal"), "decimal");
    if (j.contains("thousands"))
        read.csv.thousands = readCharacter(j.at("thousands"), "thousands");
    if (j.contains("encoding")) {
        const std::string name = j.at("encoding").get<std::string>();
        const auto encoding = data::textEncodingFromString(name);
        if (!encoding)
            throw core::ArchiveError("recipe field 'data.read.encoding' has an unknown value '" + name + "'");
        read.csv.encoding = *encoding;
    }
    read.sheet = j.value("sheet", std::string());
    read.table = j.value("table", std::string());
    read.query = j.value("query", std::string());
    if (j.contains("column_kinds")) {
        for (const json& k : j.at("column_kinds")) {
            const std::string name = k.at("kind").get<std::string>();
            const auto kind = data::columnKindFromString(name);
            if (!kind)
                throw core::ArchiveError("recipe field 'data.read.column_kinds' has an unknown kind '" + name + "'");
            read.columnKinds.push_back({k.at("column").get<std::string>(), *kind});
        }
    }
    return read;
}

} // namespace

namespace {

json problemJson(const ProblemStatement& statement)
{
    json problem = {{"task", core::toString(statement.task)},
                    {"objective", statement.objective},
                    {"target", statement.target},
                    {"success", nullptr}};
    if (const auto& success = statement.success)
        problem["success"] = {{"metric", success->metric},
                              {"at_least", success->atLeast},
                              {"threshold", success->threshold}};
    // The constraints are written only when set, so recipes without them look as they did
    // before they existed.
    if (const auto& budget = statement.maxLatencyMs)
        problem["max_latency_ms"] = *budget;
    if (statement.interpretability != Interpretability::Unspecified)
        problem["interpretability"] = toString(statement.interpretability);
    if (statement.retraining != RetrainingCadence::Unspecified)
        problem["retraining"] = toString(statement.retraining);
    return problem;
}

} // namespace

std::string problemToJson(const ProblemStatement& problem) { return problemJson(problem).dump(2); }

std::string recipeToJson(const Recipe& recipe)
{
    const json problem = problemJson(recipe.problem);

    json dataJson = {{"kind", toString(recipe.data.kind)}, {"location", recipe.data.location}};
    if (recipe.data.kind == data::DataSourceKind::Generated)
        dataJson["generator"] = generatorJson(recipe.data.generator);
    if (json read = readOptionsJson(recipe.data.read); !read.empty())
        dataJson["read"] = std::move(read);

    json prepJson = {{"drop_columns", recipe.prep.dropColumns},
                     {"test_size", recipe.prep.testSize},
                     {"validation_size", recipe.prep.validationSize},
                     {"stratify", recipe.prep.stratify},
                     {"time_column", recipe.prep.timeColumn},
                     {"steps", stepsJson(recipe.prep.steps)}};

    json all = {{"problem", problem},
                {"data", dataJson},
                {"prep", prepJson},
                {"features", {{"steps", stepsJson(recipe.features.steps)}}},
                {"model", {{"name", recipe.model.name}, {"params", recipe.model.params}}},
                {"cross_validation",
                 recipe.crossValidation ? json(evaluation::toString(*recipe.crossValidation)) : json(nullptr)},
                {"seed", recipe.seed}};
    json compare = json::array();
    for (const ModelChoice& other : recipe.compareWith)
        compare.push_back({{"name", other.name}, {"params", other.params}});
    all["compare_with"] = std::move(compare);
    all["search"] = nullptr;
    if (const auto& search = recipe.search)
        all["search"] = {{"kind", searchKindText(*search)}, {"space", search->space}, {"scoring", search->scoring}};
    return all.dump(2);
}

Recipe recipeFromJson(const std::string& text)
{
    try {
        const json all = json::parse(text);
        Recipe recipe;
        const json& problem = all.at("problem");
        const auto task = core::parseTaskType(problem.at("task").get<std::string>());
        if (!task)
            throw core::ArchiveError("recipe has an unknown task '" + problem.at("task").get<std::string>() + "'");
        recipe.problem.task = *task;
        recipe.problem.objective = problem.at("objective").get<std::string>();
        recipe.problem.target = problem.at("target").get<std::string>();
        if (const json& success = problem.at("success"); !success.is_null())
            recipe.problem.success = evaluation::SuccessCriterion{success.at("metric").get<std::string>(),
                                                                  success.at("at_least").get<bool>(),
                                                                  success.at("threshold").get<double>()};
        if (const auto budget = problem.find("max_latency_ms"); budget != problem.end() && !budget->is_null()) {
            const double ms = budget->get<double>();
            if (!(ms > 0.0) || !std::isfinite(ms))
                throw core::ArchiveError("recipe field 'problem.max_latency_ms' is " + data::formatNumber(ms) +
                                         " — it must be a positive number of milliseconds");
            recipe.problem.maxLatencyMs = ms;
        }
        if (const auto value = problem.find("interpretability"); value != problem.end()) {
            using enum Interpretability;
            recipe.problem.interpretability = parseChoice(value->get<std::string>(),
                                                          {Unspecified, NotNeeded, Preferred, Required},
                                                          "problem.interpretability");
        }
        if (const auto value = problem.find("retraining"); value != problem.end()) {
            using enum RetrainingCadence;
            recipe.problem.retraining = parseChoice(value->get<std::string>(),
                                                    {Unspecified, Once, Daily, Weekly, Monthly, Quarterly, Yearly},
                                                    "problem.retraining");
        }

        const json& dataJson = all.at("data");
        recipe.data.kind = parseChoice(dataJson.at("kind").get<std::string>(),
                                       {data::DataSourceKind::File, data::DataSourceKind::Builtin,
                                        data::DataSourceKind::Generated},
                                       "data.kind");
        recipe.data.location = dataJson.at("location").get<std::string>();
        if (recipe.data.kind == data::DataSourceKind::Generated)
            recipe.data.generator = generatorFromJson(dataJson.at("generator"));
        if (dataJson.contains("read"))
            recipe.data.read = readOptionsFromJson(dataJson.at("read"));

        const json& prepJson = all.at("prep");
        recipe.prep.dropColumns = prepJson.at("drop_columns").get<std::vector<std::string>>();
        recipe.prep.testSize = prepJson.at("test_size").get<double>();
        recipe.prep.validationSize = prepJson.value("validation_size", 0.0);
        recipe.prep.stratify = prepJson.at("stratify").get<bool>();
        recipe.prep.timeColumn = prepJson.value("time_column", std::string());
        const json& featuresJson = all.at("features");
        if (prepJson.contains("steps")) {
            recipe.prep.steps = stepsFromJson(prepJson.at("steps"));
            recipe.features.steps = stepsFromJson(featuresJson.at("steps"));
        } else {
            recipe.prep.steps = legacyPrepSteps(prepJson);
            recipe.features.steps = legacyFeatureSteps(featuresJson);
        }

        recipe.model.name = all.at("model").at("name").get<std::string>();
        recipe.model.params = all.at("model").at("params").get<std::map<std::string, std::string>>();
        recipe.seed = wholeNumber<std::uint64_t>(all.at("seed"), "seed");
        if (const auto cv = all.find("cross_validation"); cv != all.end() && !cv->is_null()) {
            try {
                recipe.crossValidation = evaluation::parseCvSpec(cv->get<std::string>());
            } catch (const core::InvalidParameter& error) {
                throw core::ArchiveError(std::string("recipe field 'cross_validation': ") + error.what());
            }
        }
        if (const auto compare = all.find("compare_with"); compare != all.end())
            for (const json& other : *compare)
                recipe.compareWith.push_back({other.at("name").get<std::string>(),
                                              other.value("params", std::map<std::string, std::string>())});
        if (const auto search = all.find("search"); search != all.end() && !search->is_null()) {
            try {
                SearchSpec spec = parseSearchKind(search->at("kind").get<std::string>());
                spec.space = search->at("space").get<std::map<std::string, std::vector<std::string>>>();
                spec.scoring = search->value("scoring", std::string());
                recipe.search = std::move(spec);
            } catch (const core::InvalidParameter& error) {
                throw core::ArchiveError(std::string("recipe field 'search': ") + error.what());
            }
        }
        return recipe;
    } catch (const json::exception& e) {
        throw core::ArchiveError(std::string("the recipe is not valid: ") + e.what());
    }
}

} // namespace stepwise::workflow
