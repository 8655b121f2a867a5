#include "step_flags.hpp"

#include "stepwise/core/errors.hpp"

namespace stepwise::cli {
namespace {

using prep::StepSpec;

std::vector<std::string> splitOn(const std::string& text, char separator)
{
    std::vector<std::string> parts;
    std::size_t start = 0;
    for (;;) {
        const std::size_t at = text.find(separator, start);
        parts.push_back(text.substr(start, at == std::string::npos ? std::string::npos : at - start));
        if (at == std::string::npos)
            return parts;
        start = at + 1;
    }
}

// "NAME=VALUE" → {NAME, VALUE}; `example` shows the flag's syntax in the error.
std::pair<std::string, std::string> splitPair(const std::string& text, const std::string& flag,
                                              const std::string& example)
{
    const auto equals = text.find('=');
    if (equals == std::string::npos || equals == 0)
        throw core::InvalidParameter(flag + " '" + text + "' is not in the form " + example);
    return {text.substr(0, equals), text.substr(equals + 1)};
}

// The column list of a flag that takes an optional one: "" or "all" means every column.
std::vector<std::string> columnsOf(const std::string& text)
{
    if (text.empty() || text == "all")
        return {};
    return splitOn(text, ',');
}

// One imputation rule ("median", "constant:0", "ffill") into the step's parameters;
// `which` is "numeric" or "categorical".
void addRule(const std::string& which, const std::string& rule, std::map<std::string, std::string>& params)
{
    if (rule.rfind("constant:", 0) == 0) {
        params[which] = "constant";
        params[which + "_fill"] = rule.substr(9);
    } else {
        params[which] = rule;
    }
}

void addImputeSteps(const StepFlags& flags, std::vector<StepSpec>& steps)
{
    StepSpec general{"impute", true, {}, {}};
    std::vector<StepSpec> perColumn;
    if (!flags.impute.empty()) {
        for (const std::string& part : splitOn(flags.impute, ',')) {
            const auto [which, rule] = splitPair(part, "--impute", "numeric=median, categorical=constant:V or COL=RULE");
            if (which == "numeric" || which == "categorical") {
                addRule(which, rule, general.params);
                continue;
            }
            // A rule for one column: numbers-only rules set the numeric rule, the others
            // apply whatever the column holds.
            StepSpec column{"impute", true, {which}, {}};
            addRule("numeric", rule, column.params);
            if (rule != "mean" && rule != "median")
                addRule("categorical", rule, column.params);
            perColumn.push_back(std::move(column));
        }
    }
    if (flags.missingIndicator)
        general.params["indicator"] = "true";
    steps.insert(steps.end(), perColumn.begin(), perColumn.end());
    steps.push_back(std::move(general));
}

// "iqr:remove", "zscore:clip:2.5" → a remove_outliers or clip_outliers step.
StepSpec outlierStep(const std::string& text)
{
    const std::vector<std::string> parts = splitOn(text, ':');
    const bool known = parts.size() >= 2 && parts.size() <= 3 && (parts[0] == "iqr" || parts[0] == "zscore") &&
                       (parts[1] == "remove" || parts[1] == "clip");
    if (!known)
        throw core::InvalidParameter("--outliers '" + text +
                                     "' is not understood — use iqr:remove, iqr:clip, zscore:remove or zscore:clip, "
                                     "optionally with a factor, e.g. iqr:clip:3");
    StepSpec step{parts[1] == "remove" ? "remove_outliers" : "clip_outliers", true, {}, {{"method", parts[0]}}};
    if (parts.size() == 3)
        step.params[parts[0] == "iqr" ? "iqr_factor" : "z_limit"] = parts[2];
    return step;
}

// "age=quantile:4", "age=uniform:5", "age=edges:0,18,65,inf/child,adult,senior".
StepSpec binStep(const std::string& text)
{
    const auto [column, rule] = splitPair(text, "--bin", "COL=uniform:N, COL=quantile:N or COL=edges:E1,E2,…[/L1,L2,…]");
    const auto colon = rule.find(':');
    const std::string strategy = rule.substr(0, colon);
    const std::string value = colon == std::string::npos ? std::string() : rule.substr(colon + 1);
    StepSpec step{"bin", true, {column}, {{"strategy", strategy}}};
    if (strategy == "edges") {
        const auto slash = value.find('/');
        step.params["edges"] = value.substr(0, slash);
        if (slash != std::string::npos) {
            step.params["labels"] = value.substr(slash + 1);
            step.params["output"] = "category";
        }
    } else if (!value.empty()) {
        step.params["bins"] = value;
    }
    return step;
}

// The flag that makes steps of `step`'s kind, for error messages.
std::string flagOf(const StepSpec& step)
{
    static const std::map<std::string, std::string> flags = {
        {"drop_duplicates", "--drop-duplicates"}, {"drop_missing_rows", "--drop-missing"},
        {"drop_sparse_columns", "--drop-sparse"},  {"impute", "--impute"},
        {"clip_outliers", "--outliers"},           {"remove_outliers", "--outliers"},
        {"rename", "--rename"},                    {"resample", "--resample"},
        {"date_parts", "--date-parts"},            {"formula", "--formula"},
        {"math", "--math"},                        {"bin", "--bin"},
        {"scale", "--scale"},                      {"encode", "--encode/--order"},
        {"select_features", "--select"}};
    const auto it = flags.find(step.kind);
    return it == flags.end() ? std::string("--step") : it->second;
}

} // namespace

void addStepOptions(CLI::App* train, StepFlags& flags)
{
    train->add_option_function<std::string>(
             "--drop-duplicates",
             [&flags](const std::string& value) {
                 flags.dropDuplicates = value;
                 flags.dropDuplicatesGiven = true;
             },
             "Drop repeated rows before the split; optionally only comparing COLS (comma-separated)")
        ->expected(0, 1);
    train
        ->add_option_function<std::string>(
            "--drop-missing",
            [&flags](const std::string& value) {
                flags.dropMissing = value;
                flags.dropMissingGiven = true;
            },
            "Drop rows with a missing value before the split; with COLS only gaps in those columns count, and the "
            "others are still filled (--impute)")
        ->expected(0, 1);
    train->add_option("--drop-sparse", flags.dropSparse,
                      "Drop columns whose share of missing training values is above this, e.g. 0.5");
    train->add_option("--impute", flags.impute,
                      "Fill rules: numeric=mean|median|most_frequent|constant:V|ffill|bfill, "
                      "categorical=most_frequent|constant:V|ffill|bfill, COL=RULE for one column (comma-separated); "
                      "none: no filling (the default with --drop-missing on all columns)");
    train->add_flag("--missing-indicator", flags.missingIndicator,
                    "Add a 0/1 'COL_was_missing' column for every filled column");
    train->add_option("--outliers", flags.outliers,
                      "iqr:remove | iqr:clip | zscore:remove | zscore:clip [:FACTOR] (training rows only for remove)");
    train->add_option("--rename", flags.renames, "Rename a column OLD=NEW (repeatable)");
    train->add_option("--resample", flags.resample,
                      "Balance classes in the training rows: over | under | smote[:K] (after all other steps)");
    train->add_option("--date-parts", flags.dateParts,
                      "Split a datetime column into parts: COL[=year,month,day,dayofweek,hour,quarter,days_since]");
    train->add_option("--formula", flags.formulas, "New column NAME=EXPRESSION, e.g. ratio=fare/(age+1) (repeatable)");
    train->add_option("--math", flags.maths,
                      "Transform columns in place FUNCTION=COLS; FUNCTION: log1p, log, sqrt, square, power:P");
    train->add_option("--bin", flags.bins,
                      "Bin a numeric column: COL=uniform:N | quantile:N | edges:E1,E2,…[/LABEL1,LABEL2,…]");
    train->add_option("--scale", flags.scale, "standard | minmax | robust | none, optionally =COLS");
    train->add_option("--encode", flags.encode, "onehot | ordinal | none (none: only the --order and --step encodings)")->check(CLI::IsMember({"onehot", "ordinal", "none"}));
    train->add_option("--order", flags.orders, "Ordinal order of a column COL=LOW,MID,HIGH (repeatable)");
    train->add_option("--select", flags.selects,
                      "Feature selection: variance:THRESHOLD | correlation:MAX_ABS_R | kbest:K (repeatable)");
    train->add_option("--step", flags.steps,
                      "Any pipeline step: KIND[@COL,COL][:KEY=VALUE;KEY=VALUE], after the steps of the other flags (repeatable)");
}

void applyStepFlags(const StepFlags& flags, workflow::Recipe& recipe)
{
    std::vector<StepSpec> prepSteps, featureSteps;
    if (flags.dropDuplicatesGiven)
        prepSteps.push_back({"drop_duplicates", true, columnsOf(flags.dropDuplicates), {}});
    if (flags.dropMissingGiven)
        prepSteps.push_back({"drop_missing_rows", true, columnsOf(flags.dropMissing), {}});
    if (!flags.dropSparse.empty())
        prepSteps.push_back({"drop_sparse_columns", true, {}, {{"max_missing", flags.dropSparse}}});
    for (const std::string& rename : flags.renames) {
        const auto [from, to] = splitPair(rename, "--rename", "OLD=NEW");
        prepSteps.push_back({"rename", true, {from}, {{"to", to}}});
    }
    if (!flags.outliers.empty())
        prepSteps.push_back(outlierStep(flags.outliers));
    // Dropping every row with a gap leaves nothing to fill, unless filling is asked for.
    const bool dropsEveryGap = flags.dropMissingGiven && columnsOf(flags.dropMissing).empty();
    const bool fillAsked = !flags.impute.empty() || flags.missingIndicator;
    if (flags.impute != "none" && (!dropsEveryGap || fillAsked))
        addImputeSteps(flags, prepSteps);
    if (!flags.resample.empty()) {
        const auto parts = splitOn(flags.resample, ':');
        StepSpec step{"resample", true, {}, {{"method", parts[0]}}};
        if (parts.size() == 2)
            step.params["k_neighbors"] = parts[1];
        prepSteps.push_back(std::move(step));
    }

    for (const std::string& dates : flags.dateParts) {
        const auto equals = dates.find('=');
        StepSpec step{"date_parts", true, {dates.substr(0, equals)}, {}};
        if (equals != std::string::npos)
            step.params["parts"] = dates.substr(equals + 1);
        featureSteps.push_back(std::move(step));
    }
    for (const std::string& formula : flags.formulas) {
        const auto [name, expression] = splitPair(formula, "--formula", "NAME=EXPRESSION");
        featureSteps.push_back({"formula", true, {}, {{"name", name}, {"expression", expression}}});
    }
    for (const std::string& math : flags.maths) {
        const auto [function, columns] = splitPair(math, "--math", "FUNCTION=COLS, e.g. log1p=fare");
        StepSpec step{"math", true, columnsOf(columns), {}};
        const auto colon = function.find(':');
        step.params["function"] = function.substr(0, colon);
        if (colon != std::string::npos)
            step.params["power"] = function.substr(colon + 1);
        featureSteps.push_back(std::move(step));
    }
    for (const std::string& bin : flags.bins)
        featureSteps.push_back(binStep(bin));
    {
        const auto equals = flags.scale.find('=');
        const std::string method = flags.scale.substr(0, equals);
        if (method != "none")
            featureSteps.push_back({"scale", true,
                                    equals == std::string::npos ? std::vector<std::string>{}
                                                                : columnsOf(flags.scale.substr(equals + 1)),
                                    {{"method", method}}});
    }
    for (const std::string& order : flags.orders) {
        const auto [column, categories] = splitPair(order, "--order", "COL=LOW,MID,HIGH");
        featureSteps.push_back({"encode", true, {column}, {{"method", "ordinal"}, {"order", categories}}});
    }
    if (flags.encode != "none")
        featureSteps.push_back({"encode", true, {}, {{"method", flags.encode}}});
    for (const std::string& select : flags.selects) {
        const auto parts = splitOn(select, ':');
        if (parts.size() != 2)
            throw core::InvalidParameter("--select '" + select +
                                         "' is not understood — use variance:THRESHOLD, correlation:MAX_ABS_R or kbest:K");
        const std::string key = parts[0] == "variance" ? "variance_threshold"
                                : parts[0] == "correlation" ? "max_correlation"
                                                            : "k";
        featureSteps.push_back({"select_features", true, {}, {{"method", parts[0]}, {key, parts[1]}}});
    }

    for (const std::string& text : flags.steps) {
        StepSpec step = prep::parseStepArgument(text);
        (prep::findStep(step.kind).stage == prep::StepStage::Prep ? prepSteps : featureSteps).push_back(std::move(step));
    }
    // Every step is checked now, so a bad value is a usage error before any data is read,
    // named by the flag that made the step.
    for (const auto* list : {&prepSteps, &featureSteps})
        for (const StepSpec& step : *list)
            try {
                // Building the step also checks what its table cannot (a formula, bin edges).
                const prep::StepInfo& info = prep::findStep(step.kind);
                const core::ParamValues params = prep::resolveStepParams(step);
                if (info.makeTransformer)
                    info.makeTransformer(step.columns, params);
                else if (info.makeRowFilter)
                    info.makeRowFilter(step.columns, params);
                else
                    info.makeSampler(step.columns, params);
            } catch (const core::InvalidParameter& error) {
                throw core::InvalidParameter(flagOf(step) + ": " + error.what());
            }
    recipe.prep.steps = std::move(prepSteps);
    recipe.features.steps = std::move(featureSteps);
}

} // namespace stepwise::cli
