// The Python export writes the recipe, not the fitted numbers: a learner reads how the
// same data, steps, split and model look in pandas and scikit-learn 1.2, runs it, and
// gets the same test scores. Each recipe step becomes one step of a scikit-learn
// Pipeline (rows filters become pandas code), in the recipe's order; tables stay pandas
// DataFrames throughout (set_config(transform_output="pandas")) so steps can name
// columns as the recipe does.

#include "stepwise/io/python_export.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <map>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "stepwise/core/errors.hpp"
#include "stepwise/core/number_text.hpp"
#include "stepwise/core/version.hpp"
#include "stepwise/data/column.hpp"
#include "stepwise/io/atomic_file.hpp"
#include "stepwise/models/registry.hpp"
#include "stepwise/workflow/recipe.hpp"

namespace stepwise::io {
namespace {

using workflow::Recipe;

// ---- Python spelling --------------------------------------------------------------

std::string pyString(const std::string& text) { return nlohmann::json(text).dump(); }

std::string pyStrings(const std::vector<std::string>& texts)
{
    std::string list = "[";
    for (std::size_t i = 0; i < texts.size(); ++i) {
        if (i > 0)
            list.append(", ");
        list.append(pyString(texts[i]));
    }
    list.push_back(']');
    return list;
}

// `NAME = [...]`, one item per line when the list does not fit on one line of 88.
std::string pyAssignment(const std::string& name, const std::vector<std::string>& texts)
{
    const std::string oneLine = name + " = " + pyStrings(texts);
    if (oneLine.size() <= 88)
        return oneLine;
    std::string text = name + " = [\n";
    for (const std::string& item : texts)
        text.append("    ").append(pyString(item)).append(",\n");
    return text.append("]");
}

// A float literal: always with a point or exponent, so Python keeps it a float.
std::string pyReal(double value)
{
    if (std::isinf(value))
        return value > 0 ? "float(\"inf\")" : "-float(\"inf\")";
    if (std::isnan(value))
        return "float(\"nan\")";
    std::string text = data::formatNumber(value);
    if (text.find_first_of(".eE") == std::string::npos)
        text.append(".0");
    return text;
}

std::string pyBool(bool value) { return value ? "True" : "False"; }

// One bin edge of a fitted binning step, as the step wrote it ("0.5", "inf", "-inf").
double parseEdge(const std::string& edge)
{
    if (edge == "inf" || edge == "+inf")
        return INFINITY;
    if (edge == "-inf")
        return -INFINITY;
    if (const auto value = core::parseNumberText(edge))
        return *value;
    throw core::InvalidParameter("bin edge '" + edge + "' is not a number — give the edges as numbers such as 0.5");
}

// A Python identifier for a step name in the pipeline: "2_fill_missing_values".
std::string stepName(std::size_t index, const std::string& displayName)
{
    std::string name = "step" + std::to_string(index + 1) + "_";
    bool underscore = false;
    for (char c : displayName) {
        const bool word = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
        if (word) {
            name.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
            underscore = false;
        } else if (!underscore && name.back() != '_') {
            name.push_back('_');
            underscore = true;
        }
    }
    while (name.back() == '_')
        name.pop_back();
    return name;
}

// Wraps `words` into "# " comment lines of at most 84 characters, indented by `indent`
// (88 once main()'s body is indented).
std::string comment(const std::string& words, const std::string& indent = "")
{
    std::string out;
    std::string lineText;
    std::istringstream in(words);
    std::string word;
    while (in >> word) {
        if (!lineText.empty() && indent.size() + 2 + lineText.size() + 1 + word.size() > 84) {
            out.append(indent).append("# ").append(lineText).append("\n");
            lineText.clear();
        }
        if (!lineText.empty())
            lineText.push_back(' ');
        lineText.append(word);
    }
    if (!lineText.empty())
        out.append(indent).append("# ").append(lineText).append("\n");
    return out;
}

// ---- what the script needs -----------------------------------------------------

// Imports and helper definitions, each written once, in a fixed order.
struct Needs {
    std::set<std::string> sklearnImports;  // "from sklearn.x import Y"
    bool selectors = false;
    std::set<std::string> helpers;  // names of helper classes (kHelpers keys)
};

struct Helper {
    const char* name;
    const char* code;
};

// Small transformers for steps scikit-learn has no single class for. Each follows
// scikit-learn's conventions (fit learns on the training rows, names its columns) so it
// sits in a Pipeline like the built-in ones.
const Helper kHelpers[] = {
    {"RenameColumn", R"PY(class RenameColumn(BaseEstimator, TransformerMixin):
    """Gives one column a new name (Stepwise's "Rename a column")."""

    def __init__(self, old, new):
        self.old = old
        self.new = new

    def fit(self, X, y=None):
        self.columns_ = [self.new if c == self.old else c for c in X.columns]
        return self

    def transform(self, X):
        return X.rename(columns={self.old: self.new})

    def get_feature_names_out(self, input_features=None):
        return np.array(self.columns_, dtype=object)
)PY"},
    {"DropMostlyEmptyColumns", R"PY(class DropMostlyEmptyColumns(BaseEstimator, TransformerMixin):
    """Drops the columns whose share of missing values in the training rows is above
    max_missing (Stepwise's "Drop mostly empty columns")."""

    def __init__(self, max_missing, columns=None):
        self.max_missing = max_missing
        self.columns = columns

    def fit(self, X, y=None):
        candidates = X.columns if self.columns is None else [c for c in self.columns if c in X.columns]
        self.dropped_ = [c for c in candidates if X[c].isna().mean() > self.max_missing]
        self.columns_ = [c for c in X.columns if c not in self.dropped_]
        return self

    def transform(self, X):
        return X.drop(columns=self.dropped_)

    def get_feature_names_out(self, input_features=None):
        return np.array(self.columns_, dtype=object)
)PY"},
    {"ClipOutliers", R"PY(class ClipOutliers(OneToOneFeatureMixin, BaseEstimator, TransformerMixin):
    """Caps every column at bounds learned from the training rows (Stepwise's "Clip
    outliers"): the IQR fences q1 - factor*IQR and q3 + factor*IQR, or mean -/+ factor
    standard deviations (population standard deviation, as scipy.stats.zscore)."""

    def __init__(self, method, factor):
        self.method = method
        self.factor = factor

    def fit(self, X, y=None):
        self.lower_, self.upper_ = outlier_bounds(X, self.method, self.factor)
        self.feature_names_in_ = np.array(X.columns, dtype=object)
        return self

    def transform(self, X):
        return X.clip(lower=self.lower_, upper=self.upper_, axis=1)
)PY"},
    {"DateParts", R"PY(class DateParts(BaseEstimator, TransformerMixin):
    """Replaces each date column (seconds since 1970) by its parts, in place (Stepwise's
    "Split dates into parts"): year, month, day, dayofweek (Monday = 0), hour, quarter,
    days_since (whole days from `since`, or from the earliest training date)."""

    def __init__(self, columns, parts, since=None, keep=False):
        self.columns = columns
        self.parts = parts
        self.since = since
        self.keep = keep

    def fit(self, X, y=None):
        self.start_ = {}
        for column in self.columns:
            dates = pd.to_datetime(X[column], unit="s")
            self.start_[column] = pd.Timestamp(self.since) if self.since else dates.min().normalize()
        self.columns_ = list(self.transform(X.head(0)).columns)
        return self

    def transform(self, X):
        out = {}
        for column in X.columns:
            if column not in self.columns:
                out[column] = X[column]
                continue
            dates = pd.to_datetime(X[column], unit="s")
            if self.keep:
                out[column] = X[column]
            for part in self.parts:
                if part == "days_since":
                    value = (dates - self.start_[column]).dt.days
                else:
                    value = getattr(dates.dt, part)
                out[column + "_" + part] = value.astype(float)
        return pd.DataFrame(out, index=X.index)

    def get_feature_names_out(self, input_features=None):
        return np.array(self.columns_, dtype=object)
)PY"},
    {"NewColumn", R"PY(class NewColumn(BaseEstimator, TransformerMixin):
    """Adds a column computed by `formula` from the other columns (Stepwise's "New column
    from a formula"); results that are not finite numbers (x/0) become missing."""

    def __init__(self, name, formula):
        self.name = name
        self.formula = formula

    def fit(self, X, y=None):
        self.columns_ = list(X.columns) + [self.name]
        return self

    def transform(self, X):
        value = pd.Series(self.formula(X), index=X.index, dtype=float)
        return X.assign(**{self.name: value.replace([np.inf, -np.inf], np.nan)})

    def get_feature_names_out(self, input_features=None):
        return np.array(self.columns_, dtype=object)
)PY"},
    {"DropCorrelated", R"PY(class DropCorrelated(BaseEstimator, TransformerMixin):
    """Drops the later column of every pair whose Pearson correlation on the training rows
    is above max_correlation in size (Stepwise's "Select features", method=correlation)."""

    def __init__(self, max_correlation):
        self.max_correlation = max_correlation

    def fit(self, X, y=None):
        upper = X.corr().abs().where(np.triu(np.ones((X.shape[1], X.shape[1]), dtype=bool), k=1))
        self.columns_ = [c for c in X.columns if not (upper[c] > self.max_correlation).any()]
        return self

    def transform(self, X):
        return X[self.columns_]

    def get_feature_names_out(self, input_features=None):
        return np.array(self.columns_, dtype=object)
)PY"},
    {"KeepBestColumns", R"PY(class KeepBestColumns(BaseEstimator, TransformerMixin):
    """SelectKBest that keeps every column when there are no more than k (Stepwise's
    "Select features", method=kbest)."""

    def __init__(self, score_func, k):
        self.score_func = score_func
        self.k = k

    def fit(self, X, y):
        self.selector_ = SelectKBest(self.score_func, k=min(self.k, X.shape[1])).fit(X, y)
        return self

    def transform(self, X):
        return self.selector_.transform(X)

    def get_feature_names_out(self, input_features=None):
        return self.selector_.get_feature_names_out(input_features)
)PY"},
};

const char* kSelectors = R"PY(def numeric_columns(names=None):
    """Picks the numeric columns of a table (only those among `names` when given)."""
    return lambda table: [c for c in table.columns
                          if pd.api.types.is_numeric_dtype(table[c]) and (names is None or c in names)]


def categorical_columns(names=None):
    """Picks the category (text) columns of a table (only those among `names` when given)."""
    return lambda table: [c for c in table.columns
                          if not pd.api.types.is_numeric_dtype(table[c]) and (names is None or c in names)]


def on_columns(*parts):
    """One pipeline step: each (name, transformer, columns) part changes its columns;
    every other column passes through unchanged."""
    return ColumnTransformer(list(parts), remainder="passthrough", verbose_feature_names_out=False)
)PY";

const char* kOutlierBounds = R"PY(def outlier_bounds(table, method, factor):
    """Per column, the lowest and highest value that is not an outlier."""
    if method == "zscore":
        mean, std = table.mean(), table.std(ddof=0)
        return mean - factor * std, mean + factor * std
    q1, q3 = table.quantile(0.25), table.quantile(0.75)
    return q1 - factor * (q3 - q1), q3 + factor * (q3 - q1)
)PY";

const char* kResample = R"PY(def stepwise_resample(X, y, method, seed):
    """Stepwise's class balancing of the training rows, with Stepwise's random numbers.
    over: each class but the largest gets rows drawn at random (with replacement) from its
    own rows, appended after all rows, until it is as large as the largest class.
    under: each class but the smallest keeps a random sample (without replacement) as
    large as the smallest class; the kept rows stay in their order."""
    classes = sorted(y.unique())
    labels = list(y)
    members = [[row for row, label in enumerate(labels) if label == c] for c in classes]
    sizes = [len(rows) for rows in members]
    random = StepwiseRandom(seed)
    if method == "over":
        largest = sizes.index(max(sizes))
        picked = list(range(len(labels)))
        for c, rows in enumerate(members):
            if c != largest:
                for _ in range(len(rows), sizes[largest]):
                    picked.append(rows[random.below(len(rows))])
    else:
        smallest = sizes.index(min(sizes))
        picked = []
        for c, rows in enumerate(members):
            rows = list(rows)
            if c != smallest:
                for i in range(min(sizes[smallest], len(rows))):
                    j = i + random.below(len(rows) - i)
                    rows[i], rows[j] = rows[j], rows[i]
                rows = rows[:sizes[smallest]]
            picked += rows
        picked.sort()
    return X.iloc[picked], y.iloc[picked]
)PY";

const char* kSplit = R"PY(MASK64 = (1 << 64) - 1


class StepwiseRandom:
    """Stepwise's random numbers: C++'s std::mt19937_64 (the 64-bit Mersenne Twister),
    with Lemire's method for whole numbers below n."""

    def __init__(self, seed):
        self.state = [seed & MASK64]
        for i in range(1, 312):
            previous = self.state[-1]
            self.state.append((6364136223846793005 * (previous ^ (previous >> 62)) + i) & MASK64)
        self.index = 312

    def _twist(self):
        s = self.state
        for i in range(312):
            x = (s[i] & 0xFFFFFFFF80000000) | (s[(i + 1) % 312] & 0x7FFFFFFF)
            s[i] = s[(i + 156) % 312] ^ (x >> 1) ^ (0xB5026F5AA96619E9 if x & 1 else 0)
        self.index = 0

    def next(self):
        if self.index >= 312:
            self._twist()
        y = self.state[self.index]
        self.index += 1
        y ^= (y >> 29) & 0x5555555555555555
        y ^= (y << 17) & 0x71D67FFFEDA60000
        y ^= (y << 37) & 0xFFF7EEE000000000
        y ^= y >> 43
        return y & MASK64

    def below(self, n):
        m = self.next() * n
        if (m & MASK64) < n:
            threshold = ((1 << 64) - n) % n
            while (m & MASK64) < threshold:
                m = self.next() * n
        return m >> 64


def stepwise_split(rows, test_size, seed, strata=None):
    """Stepwise's train/test split of positions 0..rows-1: one shuffle (Fisher-Yates);
    without strata the first ceil(test_size * rows) shuffled positions are the test rows;
    with strata (one class number per row) each class gives its share of them, rounded so
    the shares add up and every class keeps a row on each side. Returns (train, test),
    both ascending."""
    test_rows = math.ceil(test_size * rows)
    order = list(range(rows))
    random = StepwiseRandom(seed)
    for i in range(rows, 1, -1):
        j = random.below(i)
        order[i - 1], order[j] = order[j], order[i - 1]
    if strata is None:
        test = order[:test_rows]
    else:
        classes = sorted(set(strata))
        slot = {c: i for i, c in enumerate(classes)}
        class_rows = [0] * len(classes)
        for c in strata:
            class_rows[slot[c]] += 1
        quota = test_quota(class_rows, rows, test_rows)
        test = []
        for row in order:
            s = slot[strata[row]]
            if quota[s] > 0:
                quota[s] -= 1
                test.append(row)
    chosen = set(test)
    return [r for r in range(rows) if r not in chosen], sorted(test)


def test_quota(class_rows, rows, test_rows):
    """Test rows per class: the exact shares, rounded by largest remainder, then moved so
    that every class with 2 rows or more has a row on each side."""
    exact = [test_rows * n / rows for n in class_rows]
    quota = [math.floor(e) for e in exact]
    order = sorted(range(len(class_rows)), key=lambda c: (-(exact[c] - math.floor(exact[c])), -class_rows[c]))
    for c in order[:test_rows - sum(quota)]:
        quota[c] += 1
    surplus = lambda c: quota[c] - exact[c]
    for c in range(len(class_rows)):
        if quota[c] == 0:
            donors = [d for d in range(len(class_rows)) if d != c and quota[d] >= 2]
            if donors:
                donor = donors[0]
                for d in donors:
                    if surplus(d) > surplus(donor):
                        donor = d
                quota[donor] -= 1
                quota[c] += 1
        elif quota[c] == class_rows[c]:
            receivers = [d for d in range(len(class_rows)) if d != c and quota[d] + 2 <= class_rows[d]]
            if receivers:
                receiver = receivers[0]
                for d in receivers:
                    if surplus(d) < surplus(receiver):
                        receiver = d
                quota[receiver] += 1
                quota[c] -= 1
    return quota


def time_split(times, test_size):
    """Stepwise's time-ordered split: the ceil(test_size * rows) latest rows are the test
    rows (equal times keep their row order). Returns (train, test), both ascending."""
    test_rows = math.ceil(test_size * len(times))
    order = sorted(range(len(times)), key=lambda r: times[r])
    return sorted(order[:len(times) - test_rows]), sorted(order[len(times) - test_rows:])
)PY";

// ---- steps ----------------------------------------------------------------------

std::string selectorCall(const char* selector, const std::vector<std::string>& columns)
{
    return std::string(selector) + "(" + (columns.empty() ? std::string() : pyStrings(columns)) + ")";
}

std::string text(const core::ParamValues& params, const char* name) { return params.text(name); }

[[noreturn]] void unsupported(const prep::StepSpec& spec, const std::string& why)
{
    throw core::UnsupportedExport("the step \"" + prep::describeStep(spec) +
                                  "\" has no scikit-learn equivalent in the Python export (" + why +
                                  ") — turn it off and retrain, or use the native .stepwise file");
}

// The formula language in Python: names become table["name"], ^ becomes **, and the
// functions NumPy's.
std::string pythonFormula(const prep::StepSpec& spec, const std::string& expression)
{
    static const std::map<std::string, std::string> functions = {
        {"log", "np.log"},   {"log1p", "np.log1p"}, {"exp", "np.exp"},         {"sqrt", "np.sqrt"},
        {"abs", "np.abs"},   {"pow", "np.power"},   {"min", "np.minimum"},     {"max", "np.maximum"}};
    const auto isStart = [](char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_'; };
    const auto isDigit = [](char c) { return c >= '0' && c <= '9'; };
    std::string out;
    for (std::size_t i = 0; i < expression.size();) {
        const char c = expression[i];
        if (c == '`') {
            const std::size_t end = expression.find('`', i + 1);
            if (end == std::string::npos)
                unsupported(spec, "its expression has an unclosed backquote");
            out.append("table[" + pyString(expression.substr(i + 1, end - i - 1)) + "]");
            i = end + 1;
        } else if (isStart(c)) {
            std::size_t end = i;
            while (end < expression.size() && (isStart(expression[end]) || isDigit(expression[end])))
                ++end;
            const std::string name = expression.substr(i, end - i);
            std::size_t next = end;
            while (next < expression.size() && expression[next] == ' ')
                ++next;
            const auto function = functions.find(name);
            if (function != functions.end() && next < expression.size() && expression[next] == '(')
                out.append(function->second);
            else
                out.append("table[" + pyString(name) + "]");
            i = end;
        } else if (c == '^') {
            out.append("**");
            ++i;
        } else if (isDigit(c) || c == '.') {
            // A number: its exponent sign must not be read as an operator.
            std::size_t end = i;
            while (end < expression.size() && (isDigit(expression[end]) || expression[end] == '.'))
                ++end;
            if (end < expression.size() && (expression[end] == 'e' || expression[end] == 'E')) {
                ++end;
                if (end < expression.size() && (expression[end] == '+' || expression[end] == '-'))
                    ++end;
                while (end < expression.size() && isDigit(expression[end]))
                    ++end;
            }
            out.append(expression.substr(i, end - i));
            i = end;
        } else {
            out.push_back(c);
            ++i;
        }
    }
    return out;
}

struct PipelineStep {
    std::string name;
    std::string comment;
    std::string code;  // the transformer expression
};

struct RowStep {
    std::string comment;
    std::string code;  // lines of pandas code
};

// A class-balancing step: Stepwise runs it after every other step, on the training rows
// the steps produced, with the seed SEED + its position in the recipe.
struct Resampling {
    std::string comment;
    std::string method;
    std::size_t index = 0;
};

struct Translation {
    std::vector<RowStep> beforeSplit;
    std::vector<RowStep> trainingOnly;
    std::vector<Resampling> resampling;
    std::vector<PipelineStep> steps;
};

std::vector<std::string> datetimeInputs(const workflow::FittedPipeline& pipeline)
{
    std::vector<std::string> names;
    for (const auto& input : pipeline.inputColumns())
        if (input.kind == data::ColumnKind::Datetime)
            names.push_back(input.name);
    return names;
}

void translateStep(std::size_t index, const prep::StepSpec& spec, const workflow::FittedPipeline& pipeline,
                   bool anyFittedBefore, Translation& out, Needs& needs)
{
    const prep::StepInfo& info = prep::findStep(spec.kind);
    const core::ParamValues params = prep::resolveStepParams(spec);
    const std::string name = stepName(index, info.displayName);
    const std::string described = prep::describeStep(spec);
    const std::vector<std::string>& columns = spec.columns;
    const auto add = [&](std::string why, std::string code) {
        out.steps.push_back({name, described + ": " + why, std::move(code)});
    };

    if (spec.kind == "drop_duplicates") {
        const std::string& keep = text(params, "keep");
        const std::string keepArg = keep == "none" ? "False" : pyString(keep);
        out.beforeSplit.push_back(
            {described + ". Rows equal in " + (columns.empty() ? "every input column and the target" : "these columns") +
                 " are duplicates; this runs before the split so no row can be in both the training and the test "
                 "rows.",
             "data = data.drop_duplicates(subset=" + (columns.empty() ? "FEATURES + [TARGET]" : pyStrings(columns)) +
                 ", keep=" + keepArg + ").reset_index(drop=True)"});
        return;
    }
    if (spec.kind == "drop_missing_rows") {
        out.beforeSplit.push_back(
            {described + ". Rows with a gap are removed before the split; new rows with gaps cannot be predicted.",
             "data = data.dropna(subset=" + (columns.empty() ? "FEATURES + [TARGET]" : pyStrings(columns)) +
                 ").reset_index(drop=True)"});
        return;
    }
    if (spec.kind == "remove_outliers") {
        needs.helpers.insert("outlier_bounds");
        std::string code;
        const std::string method = text(params, "method");
        const double factor = method == "zscore" ? params.real("z_limit") : params.real("iqr_factor");
        code.append("checked = numeric_columns(" + (columns.empty() ? std::string() : pyStrings(columns)) +
                    ")(X_train)\n");
        code.append("lower, upper = outlier_bounds(X_train[checked], " + pyString(method) + ", " + pyReal(factor) +
                    ")\n");
        code.append("inside = ~((X_train[checked] < lower) | (X_train[checked] > upper)).any(axis=1)\n");
        code.append("X_train, y_train = X_train[inside], y_train[inside]");
        needs.selectors = true;
        std::string why = described + ". Only training rows are dropped, with bounds from the training rows; test "
                                      "and new rows are never dropped.";
        if (anyFittedBefore)
            why.append(" Stepwise removes them after the steps listed before it in the recipe; here they are removed "
                       "from the raw training values, which is the same unless those steps change these columns.");
        out.trainingOnly.push_back({why, code});
        return;
    }
    if (spec.kind == "resample") {
        const std::string method = text(params, "method");
        if (method == "smote")
            unsupported(spec, "SMOTE needs imbalanced-learn, which the script does not use; method=over or "
                              "method=under can be exported");
        out.resampling.push_back({described + ": " +
                                      (method == "over" ? "rows of the smaller classes are repeated at random until "
                                                          "every class has as many rows as the largest"
                                                        : "rows of the larger classes are dropped at random until "
                                                          "every class has as few rows as the smallest") +
                                      ", on the training rows only, after the other steps (as imbalanced-learn's "
                                      "Random" + (method == "over" ? "Over" : "Under") +
                                      "Sampler does, with Stepwise's random numbers).",
                                  method, index});
        needs.helpers.insert("stepwise_resample");
        return;
    }

    needs.sklearnImports.insert("from sklearn.compose import ColumnTransformer");
    needs.selectors = true;
    if (spec.kind == "impute") {
        needs.sklearnImports.insert("from sklearn.impute import SimpleImputer");
        const std::string numeric = text(params, "numeric");
        const std::string categorical = text(params, "categorical");
        if (numeric == "ffill" || numeric == "bfill" || categorical == "ffill" || categorical == "bfill")
            unsupported(spec, "filling from the previous or next row has no scikit-learn transformer");
        const std::string indicator = params.boolean("indicator") ? ", add_indicator=True" : "";
        std::string numbers = "SimpleImputer(strategy=" + pyString(numeric);
        if (numeric == "constant")
            numbers.append(", fill_value=" + pyReal(params.real("numeric_fill")));
        numbers.append(indicator + ")");
        std::string categories = "SimpleImputer(strategy=" + pyString(categorical);
        if (categorical == "constant")
            categories.append(", fill_value=" + pyString(text(params, "categorical_fill")));
        categories.append(indicator + ")");
        add("gaps are filled with values learned from the training rows only.",
            "on_columns(\n        (\"numbers\", " + numbers + ", " + selectorCall("numeric_columns", columns) +
                "),\n        (\"categories\", " + categories + ", " + selectorCall("categorical_columns", columns) +
                "),\n    )");
        return;
    }
    if (spec.kind == "drop_sparse_columns") {
        needs.helpers.insert("DropMostlyEmptyColumns");
        add("columns with too many gaps in the training rows go.",
            "DropMostlyEmptyColumns(max_missing=" + pyReal(params.real("max_missing")) +
                (columns.empty() ? std::string() : ", columns=" + pyStrings(columns)) + ")");
        return;
    }
    if (spec.kind == "rename") {
        needs.helpers.insert("RenameColumn");
        add("only the name changes.",
            "RenameColumn(" + pyString(columns.empty() ? std::string() : columns.front()) + ", " +
                pyString(text(params, "to")) + ")");
        return;
    }
    if (spec.kind == "clip_outliers") {
        needs.helpers.insert("ClipOutliers");
        needs.helpers.insert("outlier_bounds");
        const std::string method = text(params, "method");
        const double factor = method == "zscore" ? params.real("z_limit") : params.real("iqr_factor");
        add("the bounds are learned from the training rows; every row stays.",
            "on_columns((\"clip\", ClipOutliers(" + pyString(method) + ", " + pyReal(factor) + "), " +
                selectorCall("numeric_columns", columns) + "))");
        return;
    }
    if (spec.kind == "scale") {
        const std::string method = text(params, "method");
        const std::string scaler = method == "minmax" ? "MinMaxScaler" : method == "robust" ? "RobustScaler" : "StandardScaler";
        needs.sklearnImports.insert("from sklearn.preprocessing import " + scaler);
        add("the centre and spread of each number are learned from the training rows.",
            "on_columns((\"scale\", " + scaler + "(), " + selectorCall("numeric_columns", columns) + "))");
        return;
    }
    if (spec.kind == "encode") {
        const bool refuse = text(params, "unknown") == "error";
        if (text(params, "method") == "ordinal") {
            needs.sklearnImports.insert("from sklearn.preprocessing import OrdinalEncoder");
            const std::string order = text(params, "order");
            std::string categories = "\"auto\"";
            if (order.find_first_not_of(" \t") != std::string::npos) {
                std::vector<std::string> levels;
                std::istringstream in(order);
                std::string level;
                while (std::getline(in, level, ',')) {
                    level.erase(0, level.find_first_not_of(" \t"));
                    level.erase(level.find_last_not_of(" \t") + 1);
                    levels.push_back(level);
                }
                categories = "[" + pyStrings(levels) + "]";
            }
            add(std::string("each category becomes a number, 0, 1, 2, … ") +
                    (categories == "\"auto\"" ? "in sorted order" : "in the given order") +
                    (refuse ? "; a category not seen in training is an error." : "; a category not seen in training gets -1."),
                "on_columns((\"ordinal\", OrdinalEncoder(categories=" + categories +
                    (refuse ? std::string(", handle_unknown=\"error\"")
                            : std::string(", handle_unknown=\"use_encoded_value\", unknown_value=-1")) +
                    "), " + selectorCall("categorical_columns", columns) + "))");
        } else {
            needs.sklearnImports.insert("from sklearn.preprocessing import OneHotEncoder");
            add(std::string("one 0/1 column per training category") +
                    (refuse ? "; a category not seen in training is an error." : "; a category not seen in training gives all zeros."),
                "on_columns((\"one_hot\", OneHotEncoder(handle_unknown=" + std::string(refuse ? "\"error\"" : "\"ignore\"") +
                    ", sparse_output=False), " + selectorCall("categorical_columns", columns) + "))");
        }
        return;
    }
    if (spec.kind == "math") {
        needs.sklearnImports.insert("from sklearn.preprocessing import FunctionTransformer");
        const std::string function = text(params, "function");
        std::string call = function == "log1p" ? "np.log1p" : function == "log" ? "np.log" : function == "sqrt" ? "np.sqrt"
                           : function == "square" ? "np.square" : "lambda x: np.power(x, " + pyReal(params.real("power")) + ")";
        add("the function is applied to every value; values outside its domain become missing.",
            "on_columns((\"math\", FunctionTransformer(" + call + ", feature_names_out=\"one-to-one\"), " +
                selectorCall("numeric_columns", columns) + "))");
        return;
    }
    if (spec.kind == "bin") {
        const std::string strategy = text(params, "strategy");
        const bool category = text(params, "output") == "category";
        if (category)
            unsupported(spec, "bins as category labels are a Stepwise form; use output=ordinal for the export");
        if (strategy == "edges") {
            needs.sklearnImports.insert("from sklearn.preprocessing import FunctionTransformer");
            std::vector<double> edges;
            std::istringstream in(text(params, "edges"));
            std::string edge;
            std::string list = "[";
            while (std::getline(in, edge, ',')) {
                edge.erase(0, edge.find_first_not_of(" \t"));
                edge.erase(edge.find_last_not_of(" \t") + 1);
                const double value = parseEdge(edge);
                list.append(list.size() > 1 ? ", " : "").append(pyReal(value));
            }
            list.push_back(']');
            add("pandas' pd.cut numbers the bins between the given edges; a value outside them becomes missing.",
                "on_columns((\"bins\", FunctionTransformer(lambda t: t.apply(lambda c: pd.cut(c, " + list +
                    ", right=" + pyBool(params.boolean("right")) +
                    ", labels=False)).astype(float), feature_names_out=\"one-to-one\"), " +
                    selectorCall("numeric_columns", columns) + "))");
        } else {
            needs.sklearnImports.insert("from sklearn.preprocessing import KBinsDiscretizer");
            add("bin edges are learned from the training rows; each value becomes its bin number.",
                "on_columns((\"bins\", KBinsDiscretizer(n_bins=" + std::to_string(params.integer("bins")) +
                    ", encode=\"ordinal\", strategy=" + pyString(strategy) + (strategy == "quantile" ? ", subsample=None" : "") +
                    "), " + selectorCall("numeric_columns", columns) + "))");
        }
        return;
    }
    if (spec.kind == "date_parts") {
        needs.helpers.insert("DateParts");
        std::vector<std::string> parts;
        std::istringstream in(text(params, "parts"));
        std::string part;
        while (std::getline(in, part, ',')) {
            part.erase(0, part.find_first_not_of(" \t"));
            part.erase(part.find_last_not_of(" \t") + 1);
            if (!part.empty())
                parts.push_back(part);
        }
        const std::string since = text(params, "since");
        add("each date becomes numbers a model can use.",
            "DateParts(" + pyStrings(columns.empty() ? datetimeInputs(pipeline) : columns) + ", " + pyStrings(parts) +
                ", since=" + (since.empty() ? std::string("None") : pyString(since)) +
                ", keep=" + pyBool(params.boolean("keep")) + ")");
        return;
    }
    if (spec.kind == "formula") {
        needs.helpers.insert("NewColumn");
        add("the new column is computed row by row.",
            "NewColumn(" + pyString(text(params, "name")) + ", lambda table: " +
                pythonFormula(spec, text(params, "expression")) + ")");
        return;
    }
    if (spec.kind == "select_features") {
        const std::string method = text(params, "method");
        const std::string target = selectorCall("numeric_columns", columns);
        if (method == "kbest") {
            needs.helpers.insert("KeepBestColumns");
            const char* score =
                pipeline.task() == core::TaskType::Classification ? "f_classif" : "f_regression";
            needs.sklearnImports.insert(std::string("from sklearn.feature_selection import SelectKBest, ") + score);
            add("the columns most related to the target in the training rows stay.",
                "on_columns((\"select\", KeepBestColumns(" + std::string(score) + ", k=" +
                    std::to_string(params.integer("k")) + "), " + target + "))");
        } else if (method == "correlation") {
            needs.helpers.insert("DropCorrelated");
            add("of two nearly duplicate columns, the later one goes.",
                "on_columns((\"select\", DropCorrelated(" + pyReal(params.real("max_correlation")) + "), " + target +
                    "))");
        } else {
            needs.sklearnImports.insert("from sklearn.feature_selection import VarianceThreshold");
            add("columns that hardly vary in the training rows go.",
                "on_columns((\"select\", VarianceThreshold(" + pyReal(params.real("variance_threshold")) + "), " +
                    target + "))");
        }
        return;
    }
    unsupported(spec, "the export does not know this kind of step");
}

// ---- the model ---------------------------------------------------------------------

struct ModelCode {
    std::string import;
    std::string code;
    std::string note;  // what differs from Stepwise's own training, if anything
};

ModelCode translateModel(const models::Model& model, core::TaskType task)
{
    const core::ParamValues& p = model.params();
    const bool classification = task == core::TaskType::Classification;
    const auto real = [&](const char* name) { return std::string(name) + "=" + pyReal(p.real(name)); };
    const auto integer = [&](const char* name) { return std::string(name) + "=" + std::to_string(p.integer(name)); };
    const auto boolean = [&](const char* name) { return std::string(name) + "=" + pyBool(p.boolean(name)); };
    const auto noneOr = [&](const char* name) {
        return std::string(name) + "=" + (p.isWord(name, "none") ? std::string("None") : std::to_string(p.integer(name)));
    };
    const auto classWeight = [&] {
        return std::string("class_weight=") + (p.text("class_weight") == "balanced" ? "\"balanced\"" : "None");
    };
    const auto criterion = [&] {
        const std::string& value = p.text("criterion");
        return "criterion=" + pyString(value == "auto" ? (classification ? "gini" : "squared_error") : value);
    };
    const auto join = [](const std::vector<std::string>& args) {
        std::string text;
        for (std::size_t i = 0; i < args.size(); ++i)
            text.append(i == 0 ? "" : ", ").append(args[i]);
        return text;
    };
    const std::string& name = model.name();
    ModelCode out;
    if (name == "logistic_regression") {
        const std::string penalty = p.text("penalty");
        std::vector<std::string> args = {real("C"),
                                         "penalty=" + (penalty == "none" ? std::string("None") : pyString(penalty))};
        if (penalty == "elasticnet")
            args.push_back(real("l1_ratio"));
        args.push_back(std::string("solver=") + (penalty == "l1" || penalty == "elasticnet" ? "\"saga\"" : "\"lbfgs\""));
        args.insert(args.end(), {integer("max_iter"), real("tol"), boolean("fit_intercept"), classWeight()});
        if (penalty == "l1" || penalty == "elasticnet")
            args.push_back("random_state=SEED");
        out = {"from sklearn.linear_model import LogisticRegression", "LogisticRegression(" + join(args) + ")", ""};
    } else if (name == "linear_regression") {
        out = {"from sklearn.linear_model import LinearRegression", "LinearRegression(" + boolean("fit_intercept") + ")", ""};
    } else if (name == "ridge") {
        out = {"from sklearn.linear_model import Ridge", "Ridge(" + real("alpha") + ", " + boolean("fit_intercept") + ")", ""};
    } else if (name == "lasso") {
        out = {"from sklearn.linear_model import Lasso",
               "Lasso(" + join({real("alpha"), integer("max_iter"), real("tol"), boolean("fit_intercept")}) + ")", ""};
    } else if (name == "naive_bayes") {
        out = {"from sklearn.naive_bayes import GaussianNB", "GaussianNB(" + real("var_smoothing") + ")", ""};
    } else if (name == "knn") {
        const std::string cls = classification ? "KNeighborsClassifier" : "KNeighborsRegressor";
        out = {"from sklearn.neighbors import " + cls,
               cls + "(" +
                   join({integer("n_neighbors"), "weights=" + pyString(p.text("weights")), integer("p"),
                         "algorithm=" + pyString(p.text("algorithm")), integer("leaf_size")}) +
                   ")",
               ""};
    } else if (name == "linear_svm") {
        if (classification)
            out = {"from sklearn.svm import LinearSVC",
                   "LinearSVC(" +
                       join({"loss=\"hinge\"", "dual=True", real("C"), real("tol"), integer("max_iter"),
                             boolean("fit_intercept"), classWeight(), "random_state=SEED"}) +
                       ")",
                   "liblinear visits the rows in its own random order, Stepwise in one drawn from the seed, so the "
                   "weights agree to the solver's tolerance, not digit for digit."};
        else
            out = {"from sklearn.svm import LinearSVR",
                   "LinearSVR(" +
                       join({"loss=\"epsilon_insensitive\"", "dual=True", real("C"), real("epsilon"), real("tol"),
                             integer("max_iter"), boolean("fit_intercept"), "random_state=SEED"}) +
                       ")",
                   "liblinear visits the rows in its own random order, Stepwise in one drawn from the seed, so the "
                   "weights agree to the solver's tolerance, not digit for digit."};
    } else if (name == "decision_tree") {
        const std::string cls = classification ? "DecisionTreeClassifier" : "DecisionTreeRegressor";
        const std::string& features = p.text("max_features");
        std::string maxFeatures = features == "none" ? "None" : features == "sqrt" || features == "log2" ? pyString(features)
                                  : features.find_first_of(".eE") != std::string::npos ? pyReal(p.real("max_features"))
                                                                                        : features;
        std::vector<std::string> args = {criterion(), noneOr("max_depth"), integer("min_samples_split"),
                                         integer("min_samples_leaf"), "max_features=" + maxFeatures};
        if (classification)
            args.push_back(classWeight());
        args.push_back("random_state=SEED");
        out = {"from sklearn.tree import " + cls, cls + "(" + join(args) + ")",
               "Where two splits are equally good, scikit-learn and Stepwise may pick different ones, so the trees "
               "can differ slightly."};
    } else if (name == "random_forest") {
        const std::string cls = classification ? "RandomForestClassifier" : "RandomForestRegressor";
        const std::string& features = p.text("max_features");
        const std::string maxFeatures = features == "auto"  ? (classification ? "\"sqrt\"" : "1.0")
                                        : features == "all" ? "None"
                                        : features == "sqrt" || features == "log2" ? pyString(features)
                                                                                   : features;
        std::vector<std::string> args = {integer("n_estimators"), criterion(), noneOr("max_depth"),
                                         integer("min_samples_split"), integer("min_samples_leaf"),
                                         "max_features=" + maxFeatures, boolean("bootstrap"), boolean("oob_score")};
        if (classification)
            args.push_back(classWeight());
        args.push_back("random_state=SEED");
        out = {"from sklearn.ensemble import " + cls, cls + "(" + join(args) + ")",
               "The forest's random draws (rows for each tree, features at each split) come from NumPy here and "
               "from Stepwise's own generator there, and Stepwise's trees try at most max_bins=" +
                   p.text("max_bins") +
                   " thresholds per feature, so the two forests differ tree by tree; their scores agree closely."};
    } else if (name == "gradient_boosting") {
        const std::string cls = classification ? "HistGradientBoostingClassifier" : "HistGradientBoostingRegressor";
        const std::string& early = p.text("early_stopping");
        std::vector<std::string> args = {real("learning_rate"),
                                         integer("max_iter"),
                                         noneOr("max_leaf_nodes"),
                                         noneOr("max_depth"),
                                         integer("min_samples_leaf"),
                                         real("l2_regularization"),
                                         integer("max_bins"),
                                         "early_stopping=" + (early == "auto" ? std::string("\"auto\"") : pyBool(early == "true")),
                                         "validation_fraction=" + (p.isWord("validation_fraction", "none")
                                                                       ? std::string("None")
                                                                       : pyReal(p.real("validation_fraction"))),
                                         integer("n_iter_no_change"),
                                         real("tol"),
                                         "random_state=SEED"};
        out = {"from sklearn.ensemble import " + cls, cls + "(" + join(args) + ")", ""};
    } else {
        throw core::UnsupportedExport("the model '" + name +
                                      "' has no scikit-learn equivalent in the Python export — choose another model "
                                      "or use the native .stepwise file");
    }
    return out;
}

// `Cls(a=1, b=2)` as it is, or with one argument per line when the line starting with
// `prefix` (at `indent`) would pass 84 characters (88 once main()'s body is indented).
// The arguments the model translation writes hold no ", " of their own.
std::string wrapCall(const std::string& call, const std::string& indent, std::size_t prefix)
{
    if (indent.size() + prefix + call.size() + 3 <= 84)
        return call;
    const std::size_t open = call.find('(');
    std::string text = call.substr(0, open + 1) + "\n";
    const std::string inside = call.substr(open + 1, call.size() - open - 2);
    std::size_t start = 0;
    for (;;) {
        const std::size_t comma = inside.find(", ", start);
        text.append(indent).append("    ").append(inside.substr(start, comma - start)).append(",\n");
        if (comma == std::string::npos)
            break;
        start = comma + 2;
    }
    return text.append(indent).append(")");
}

// `    ("name", transformer),` for the step list; an on_columns(...) that does not fit on
// one line gets its part on a line of its own, as the two-part imputer has.
std::string pipelineEntry(const PipelineStep& step)
{
    const std::string head = "    (" + pyString(step.name) + ", ";
    const std::string prefix = "on_columns((";
    if (head.size() + step.code.size() + 2 <= 84 || step.code.compare(0, prefix.size(), prefix) != 0)
        return head + step.code + "),\n";
    const std::string part = step.code.substr(prefix.size() - 1, step.code.size() - prefix.size());
    return head + "on_columns(\n        " + part + ",\n    )),\n";
}

// ---- metrics ---------------------------------------------------------------------------

const char* kClassificationMetrics = R"PY(predicted = model.predict(X_test)
scores = {
    "accuracy": metrics.accuracy_score(y_test, predicted),
    "balanced_accuracy": metrics.balanced_accuracy_score(y_test, predicted),
    "precision_macro": metrics.precision_score(y_test, predicted, average="macro", zero_division=0),
    "recall_macro": metrics.recall_score(y_test, predicted, average="macro", zero_division=0),
    "f1_macro": metrics.f1_score(y_test, predicted, average="macro", zero_division=0),
    "precision_weighted": metrics.precision_score(y_test, predicted, average="weighted", zero_division=0),
    "recall_weighted": metrics.recall_score(y_test, predicted, average="weighted", zero_division=0),
    "f1_weighted": metrics.f1_score(y_test, predicted, average="weighted", zero_division=0),
    "mcc": metrics.matthews_corrcoef(y_test, predicted),
    "cohen_kappa": metrics.cohen_kappa_score(y_test, predicted),
}
)PY";

const char* kProbabilityMetrics = R"PY(# The probabilities of each class, columns in the order of model.classes_ (sorted).
proba = model.predict_proba(X_test)
if len(model.classes_) == 2:
    scores["roc_auc"] = metrics.roc_auc_score(y_test, proba[:, 1])
else:
    scores["roc_auc"] = metrics.roc_auc_score(y_test, proba, multi_class="ovr", labels=model.classes_)
scores["log_loss"] = metrics.log_loss(y_test, proba, labels=model.classes_)
)PY";

const char* kRegressionMetrics = R"PY(predicted = model.predict(X_test)
mse = metrics.mean_squared_error(y_test, predicted)
scores = {
    "mse": mse,
    "rmse": math.sqrt(mse),
    "mae": metrics.mean_absolute_error(y_test, predicted),
    "r2": metrics.r2_score(y_test, predicted),
    "median_ae": metrics.median_absolute_error(y_test, predicted),
    "explained_variance": metrics.explained_variance_score(y_test, predicted),
}
)PY";

std::string csvReadCall(const Recipe& recipe, const std::string& dataPath)
{
    std::string call = "pd.read_csv(DATA_FILE";
    const data::CsvOptions& csv = recipe.data.read.csv;
    char delimiter = csv.delimiter;
    if (delimiter == 0) {
        const auto dot = dataPath.rfind('.');
        const std::string extension = dot == std::string::npos ? std::string() : dataPath.substr(dot);
        delimiter = extension == ".tsv" ? '\t' : ',';
    }
    if (delimiter != ',')
        call.append(", sep=" + pyString(std::string(1, delimiter)));
    if (csv.decimal != '.')
        call.append(", decimal=" + pyString(std::string(1, csv.decimal)));
    if (csv.thousands != 0)
        call.append(", thousands=" + pyString(std::string(1, csv.thousands)));
    call.append(", keep_default_na=False, na_values=" + pyStrings(csv.missingMarkers) + ")");
    return call;
}

} // namespace

std::string pythonScript(const workflow::FittedPipeline& pipeline, const std::string& dataPath)
{
    const workflow::PipelineMetadata& metadata = pipeline.metadata();
    if (metadata.recipeJson.empty())
        throw core::UnsupportedExport("the model file does not hold the recipe it was trained with, so there is "
                                      "nothing to rebuild the script from — retrain and save it with this version");
    const Recipe recipe = workflow::recipeFromJson(metadata.recipeJson);
    const bool classification = pipeline.task() == core::TaskType::Classification;

    Needs needs;
    Translation translation;
    bool anyFitted = false;
    const std::vector<prep::StepSpec> steps = workflow::pipelineSteps(recipe);
    for (std::size_t i = 0; i < steps.size(); ++i) {
        if (!steps[i].enabled)
            continue;
        translateStep(i, steps[i], pipeline, anyFitted, translation, needs);
        anyFitted = anyFitted || prep::findStep(steps[i].kind).phase == prep::StepPhase::Fitted;
    }
    const ModelCode model = translateModel(pipeline.model(), pipeline.task());

    std::vector<std::string> booleans, datetimes, categories;
    std::vector<std::string> features;
    for (const auto& input : pipeline.inputColumns()) {
        features.push_back(input.name);
        if (input.kind == data::ColumnKind::Boolean)
            booleans.push_back(input.name);
        else if (input.kind == data::ColumnKind::Datetime)
            datetimes.push_back(input.name);
        else if (data::storageOf(input.kind) == data::ColumnType::Categorical)
            categories.push_back(input.name);
    }

    std::string s;
    s.append("\"\"\"" + (recipe.problem.objective.empty() ? "Stepwise recipe" : recipe.problem.objective) + "\n\n");
    s.append("A scikit-learn version of a Stepwise model: it reads the same data, repeats the same\n"
             "steps, split and model with the same settings, trains, and prints the test scores.\n"
             "Generated by Stepwise " + std::string(core::kVersion) + " from a model trained on " +
             recipe.data.describe() + (metadata.createdUtc.empty() ? std::string() : " at " + metadata.createdUtc) +
             ".\n\nRun it with: python3 this_file.py   (needs pandas and scikit-learn 1.2)\n\"\"\"\n");
    s.append("import math\nimport os\n\nimport numpy as np\nimport pandas as pd\nfrom sklearn import metrics, set_config\n");
    if (!needs.helpers.empty() && std::any_of(needs.helpers.begin(), needs.helpers.end(), [](const std::string& h) {
            return h != "outlier_bounds" && h != "stepwise_resample";
        })) {
        const bool oneToOne = needs.helpers.count("ClipOutliers") > 0;
        s.append(std::string("from sklearn.base import BaseEstimator, ") + (oneToOne ? "OneToOneFeatureMixin, " : "") +
                 "TransformerMixin\n");
    }
    for (const std::string& import : needs.sklearnImports)
        s.append(import + "\n");
    s.append(model.import + "\n");
    s.append("from sklearn.pipeline import Pipeline\n\n");
    s.append(comment("Every step below hands the next one a pandas table with named columns, so a step can "
                     "name the columns it works on, as in Stepwise."));
    s.append("set_config(transform_output=\"pandas\")\n\n");

    s.append(comment("The data file; a relative path is taken from this script's folder."));
    s.append("DATA_FILE = os.path.join(os.path.dirname(os.path.abspath(__file__)), " + pyString(dataPath) + ")\n");
    s.append("TARGET = " + pyString(pipeline.target()) + "\n");
    s.append("SEED = " + std::to_string(recipe.seed) + "\n");
    s.append("TEST_SIZE = " + pyReal(recipe.prep.testSize) + "\n");
    if (recipe.prep.validationSize > 0)
        s.append("VALIDATION_SIZE = " + pyReal(recipe.prep.validationSize) + "\n");
    s.append(comment("The input columns the model uses (the target, the columns you dropped and free-text "
                     "columns are left out)."));
    s.append(pyAssignment("FEATURES", features) + "\n\n\n");
    std::string helpers;
    std::string body;

    if (needs.selectors)
        helpers.append(std::string(kSelectors) + "\n\n");
    if (needs.helpers.count("outlier_bounds"))
        helpers.append(std::string(kOutlierBounds) + "\n\n");
    for (const Helper& helper : kHelpers)
        if (needs.helpers.count(helper.name))
            helpers.append(std::string(helper.code) + "\n\n");
    const bool byTime = !recipe.prep.timeColumn.empty();
    helpers.append(std::string(kSplit) + "\n\n");
    if (needs.helpers.count("stepwise_resample"))
        helpers.append(std::string(kResample) + "\n\n");

    body.append("# ---- 1. Read the data ----\n");
    body.append(comment("Stepwise treats these texts as missing values; pandas is told the same."));
    body.append("data = " + csvReadCall(recipe, dataPath) + "\n");
    if (!booleans.empty()) {
        body.append(comment("True/False columns are numbers for the model: 1 and 0."));
        body.append("for column in " + pyStrings(booleans) + ":\n    data[column] = data[column].astype(float)\n");
    }
    if (!datetimes.empty()) {
        body.append(comment("Dates are numbers for the model: seconds since 1970-01-01."));
        body.append("for column in " + pyStrings(datetimes) +
                 ":\n    data[column] = (pd.to_datetime(data[column]) - pd.Timestamp(\"1970-01-01\")).dt.total_seconds()\n");
    }
    if (!categories.empty()) {
        body.append(comment("Category columns hold text, even where a category looks like a number."));
        body.append("for column in " + pyStrings(categories) +
                 ":\n    data[column] = data[column].map(lambda v: v if pd.isna(v) else (str(int(v)) if isinstance(v, "
                 "float) and v.is_integer() else str(v)))\n");
    }
    body.append("\n# ---- 2. Choose the rows ----\n");
    body.append(comment("Rows without a value in the target cannot be learned from or scored."));
    body.append("data = data[data[TARGET].notna()].reset_index(drop=True)\n");
    for (const RowStep& step : translation.beforeSplit) {
        body.append(comment(step.comment));
        body.append(step.code + "\n");
    }
    body.append("X = data[FEATURES]\ny = data[TARGET]\n\n");

    body.append("# ---- 3. Split into training and test rows ----\n");
    if (byTime) {
        body.append(comment("The split is by time: the oldest rows train, the newest are the test rows, as in "
                         "Stepwise (no shuffling)."));
        body.append("times = pd.to_numeric(data[" + pyString(recipe.prep.timeColumn) + "], errors=\"coerce\")\n");
        body.append("if times.isna().all():\n    times = (pd.to_datetime(data[" + pyString(recipe.prep.timeColumn) +
                 "]) - pd.Timestamp(\"1970-01-01\")).dt.total_seconds()\n");
        body.append("train_rows, test_rows = time_split(list(times), TEST_SIZE)\n");
    } else {
        body.append(comment("scikit-learn's train_test_split shuffles with NumPy's random generator and Stepwise "
                         "with its own, so with the same seed they pick different test rows (and the scores "
                         "differ by a few points). stepwise_split (below) repeats Stepwise's shuffle exactly, so "
                         "the test rows here are the ones Stepwise scored. The scikit-learn way, with the same "
                         "share and stratification, would be:"));
        const bool stratify = classification && recipe.prep.stratify;
        body.append("#   X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=TEST_SIZE, " +
                 std::string(stratify ? "stratify=y, " : "") + "random_state=SEED)\n");
        if (stratify) {
            body.append(comment("The split keeps the class balance: each class gives its share of the test rows."));
            body.append("classes = sorted(y.unique())\n");
            body.append("strata = list(y.map({label: number for number, label in enumerate(classes)}))\n");
            body.append("train_rows, test_rows = stepwise_split(len(data), TEST_SIZE, SEED, strata)\n");
        } else {
            body.append("train_rows, test_rows = stepwise_split(len(data), TEST_SIZE, SEED)\n");
        }
    }
    if (recipe.prep.validationSize > 0) {
        body.append(comment("Validation rows are held out of the training rows too (Stepwise uses them to check "
                         "the model while choosing it); the share is of all usable rows."));
        const bool stratify = classification && recipe.prep.stratify && !byTime;
        if (byTime) {
            body.append("kept, _ = time_split([times[r] for r in train_rows], VALIDATION_SIZE / (1 - TEST_SIZE))\n");
        } else {
            body.append(std::string("kept, _ = stepwise_split(len(train_rows), VALIDATION_SIZE / (1 - TEST_SIZE), SEED + 1") +
                     (stratify ? ", [strata[r] for r in train_rows])\n" : ")\n"));
        }
        body.append("train_rows = [train_rows[i] for i in kept]\n");
    }
    body.append("X_train, y_train = X.iloc[train_rows], y.iloc[train_rows]\n");
    body.append("X_test, y_test = X.iloc[test_rows], y.iloc[test_rows]\n");
    for (const RowStep& step : translation.trainingOnly) {
        body.append(comment(step.comment));
        body.append(step.code + "\n");
    }
    body.append("\n# ---- 4. The steps and the model ----\n");
    body.append(comment("A Pipeline runs the steps in order: fit() learns every step from the training rows "
                     "only, then trains the model on what they produce; predict() runs new rows through "
                     "the same fitted steps. So nothing about the test rows leaks into training."));
    if (!model.note.empty())
        body.append(comment(model.note));
    const std::string modelComment =
        models::findModel(pipeline.model().name()).displayName + " with the settings of the Stepwise model.";
    if (translation.resampling.empty()) {
        body.append("model = Pipeline([\n");
        for (const PipelineStep& step : translation.steps) {
            body.append(comment(step.comment, "    "));
            body.append(pipelineEntry(step));
        }
        body.append(comment(modelComment, "    "));
        body.append("    (\"model\", " + wrapCall(model.code, "    ", 15) + "),\n])\n");
        body.append("model.fit(X_train, y_train)\n\n");
    } else {
        // A Pipeline cannot change the rows between its steps, so the steps are fitted,
        // the rows balanced, and the model trained on them one after the other.
        if (translation.steps.empty()) {
            body.append("steps = None\nX_ready = X_train\n");
        } else {
            body.append("steps = Pipeline([\n");
            for (const PipelineStep& step : translation.steps) {
                body.append(comment(step.comment, "    "));
                body.append(pipelineEntry(step));
            }
            body.append("])\nX_ready = steps.fit_transform(X_train, y_train)\n");
        }
        body.append("y_ready = y_train\n");
        for (const Resampling& resampling : translation.resampling) {
            body.append(comment(resampling.comment));
            body.append("X_ready, y_ready = stepwise_resample(X_ready, y_ready, " + pyString(resampling.method) +
                        ", SEED + " + std::to_string(resampling.index) + ")\n");
        }
        body.append(comment(modelComment));
        body.append("estimator = " + wrapCall(model.code, "", 12) + "\n");
        body.append("estimator.fit(X_ready, y_ready)\n");
        body.append(comment("The fitted steps and model together, to predict raw rows."));
        body.append("model = Pipeline(([(\"steps\", steps)] if steps is not None else []) + [(\"model\", estimator)])\n\n");
    }

    body.append("# ---- 5. Test scores ----\n");
    body.append(comment("The same names as the scores in Stepwise's report, so the two can be compared line by line."));
    if (classification) {
        body.append(comment(pipeline.model().hasProbabilities()
                                ? "model.predict picks the class with the highest probability (for two classes: "
                                  "probability above 0.5), as Stepwise does; no threshold was tuned."
                                : "model.predict picks the class with the highest decision score, as Stepwise does."));
        body.append(kClassificationMetrics);
        if (pipeline.model().hasProbabilities())
            body.append(kProbabilityMetrics);
    } else {
        body.append(kRegressionMetrics);
    }
    body.append("for name, value in scores.items():\n    print(f\"{name}: {value:.6f}\")\n");

    // The story first, in main(); the helpers it uses follow it.
    s.append("def main():\n");
    std::istringstream bodyLines(body);
    std::string line;
    while (std::getline(bodyLines, line))
        s.append(line.empty() ? std::string() : "    " + line).append("\n");
    s.append("\n\n# ---- Helpers: Stepwise's split, and the steps scikit-learn has no single class for ----\n\n\n");
    s.append(helpers);
    s.append("if __name__ == \"__main__\":\n    main()\n");
    return s;
}

void exportPython(const workflow::FittedPipeline& pipeline, const std::string& path, const std::string& dataPath)
{
    const std::string script = pythonScript(pipeline, dataPath);
    writeFileAtomically(path, [&](std::ostream& out) { out << script; });
}

} // namespace stepwise::io
