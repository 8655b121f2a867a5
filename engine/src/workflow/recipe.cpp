#include "stepwise/workflow/recipe.hpp"

#include <nlohmann/json.hpp>

#include "stepwise/core/errors.hpp"

namespace stepwise::workflow {

using nlohmann::json;

const char* toString(features::Scaling scaling)
{
    switch (scaling) {
    case features::Scaling::None: return "none";
    case features::Scaling::Standard: return "standard";
    case features::Scaling::MinMax: return "minmax";
    }
    return "none";
}

const char* toString(features::Encoding encoding)
{
    return encoding == features::Encoding::OneHot ? "onehot" : "ordinal";
}

const char* toString(prep::NumericImputation imputation)
{
    switch (imputation) {
    case prep::NumericImputation::Mean: return "mean";
    case prep::NumericImputation::Median: return "median";
    case prep::NumericImputation::Constant: return "constant";
    }
    return "mean";
}

const char* toString(prep::CategoricalImputation imputation)
{
    return imputation == prep::CategoricalImputation::MostFrequent ? "most_frequent" : "constant";
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

data::ClassificationSpec generatorFromJson(const json& j)
{
    data::ClassificationSpec g;
    g.samples = j.at("samples").get<int>();
    g.features = j.at("features").get<int>();
    g.informative = j.at("informative").get<int>();
    g.redundant = j.at("redundant").get<int>();
    g.repeated = j.at("repeated").get<int>();
    g.classes = j.at("classes").get<int>();
    g.clustersPerClass = j.at("clusters_per_class").get<int>();
    g.weights = j.at("weights").get<std::vector<double>>();
    g.flipY = j.at("flip_y").get<double>();
    g.classSep = j.at("class_sep").get<double>();
    g.hypercube = j.at("hypercube").get<bool>();
    g.shift = j.at("shift").get<double>();
    g.scale = j.at("scale").get<double>();
    g.shuffle = j.at("shuffle").get<bool>();
    g.seed = j.at("seed").get<std::uint64_t>();
    return g;
}

// Only what differs from the defaults is written, so recipes without read options
// (older files, builtin data) stay as they were.
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

std::string recipeToJson(const Recipe& recipe)
{
    json problem = {{"task", core::toString(recipe.problem.task)},
                    {"objective", recipe.problem.objective},
                    {"target", recipe.problem.target},
                    {"success", nullptr}};
    if (const auto& success = recipe.problem.success)
        problem["success"] = {{"metric", success->metric},
                              {"at_least", success->atLeast},
                              {"threshold", success->threshold}};

    json dataJson = {{"kind", toString(recipe.data.kind)}, {"location", recipe.data.location}};
    if (recipe.data.kind == data::DataSourceKind::Generated)
        dataJson["generator"] = generatorJson(recipe.data.generator);
    if (json read = readOptionsJson(recipe.data.read); !read.empty())
        dataJson["read"] = std::move(read);

    const auto& imputation = recipe.prep.imputation;
    json prepJson = {{"drop_columns", recipe.prep.dropColumns},
                     {"drop_missing_rows", recipe.prep.dropMissingRows},
                     {"impute_numeric", toString(imputation.numeric)},
                     {"impute_numeric_constant", imputation.numericConstant},
                     {"impute_categorical", toString(imputation.categorical)},
                     {"impute_categorical_constant", imputation.categoricalConstant},
                     {"test_size", recipe.prep.testSize},
                     {"stratify", recipe.prep.stratify}};

    json all = {{"problem", problem},
                {"data", dataJson},
                {"prep", prepJson},
                {"features",
                 {{"scaling", toString(recipe.features.scaling)}, {"encoding", toString(recipe.features.encoding)}}},
                {"model", {{"name", recipe.model.name}, {"params", recipe.model.params}}},
                {"seed", recipe.seed}};
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
        recipe.prep.dropMissingRows = prepJson.at("drop_missing_rows").get<bool>();
        auto& imputation = recipe.prep.imputation;
        imputation.numeric = parseChoice(prepJson.at("impute_numeric").get<std::string>(),
                                         {prep::NumericImputation::Mean, prep::NumericImputation::Median,
                                          prep::NumericImputation::Constant},
                                         "prep.impute_numeric");
        imputation.numericConstant = prepJson.at("impute_numeric_constant").get<double>();
        imputation.categorical = parseChoice(prepJson.at("impute_categorical").get<std::string>(),
                                             {prep::CategoricalImputation::MostFrequent,
                                              prep::CategoricalImputation::Constant},
                                             "prep.impute_categorical");
        imputation.categoricalConstant = prepJson.at("impute_categorical_constant").get<std::string>();
        recipe.prep.testSize = prepJson.at("test_size").get<double>();
        recipe.prep.stratify = prepJson.at("stratify").get<bool>();

        const json& featuresJson = all.at("features");
        recipe.features.scaling = parseChoice(featuresJson.at("scaling").get<std::string>(),
                                              {features::Scaling::None, features::Scaling::Standard,
                                               features::Scaling::MinMax},
                                              "features.scaling");
        recipe.features.encoding = parseChoice(featuresJson.at("encoding").get<std::string>(),
                                               {features::Encoding::OneHot, features::Encoding::Ordinal},
                                               "features.encoding");

        recipe.model.name = all.at("model").at("name").get<std::string>();
        recipe.model.params = all.at("model").at("params").get<std::map<std::string, std::string>>();
        recipe.seed = all.at("seed").get<std::uint64_t>();
        return recipe;
    } catch (const json::exception& e) {
        throw core::ArchiveError(std::string("the recipe is not valid: ") + e.what());
    }
}

} // namespace stepwise::workflow
