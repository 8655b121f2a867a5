#include "prep/simple_imputer.hpp"

#include <algorithm>
#include <cmath>

#include "stepwise/core/input_archive.hpp"
#include <boost/archive/binary_oarchive.hpp>

#include "prep/fitted_columns.hpp"
#include "prep/numeric_kind.hpp"
#include "prep/onnx_columns.hpp"

namespace stepwise::prep {
namespace {

const std::string kStep = "imputer";

std::vector<double> presentValues(const std::vector<double>& values)
{
    std::vector<double> present;
    present.reserve(values.size());
    for (double value : values)
        if (!std::isnan(value))
            present.push_back(value);
    return present;
}

double meanOf(const std::vector<double>& values)
{
    double sum = 0.0;
    std::size_t count = 0;
    for (double value : values)
        if (!std::isnan(value)) {
            sum += value;
            ++count;
        }
    return sum / static_cast<double>(count);
}

double medianOf(const std::vector<double>& values)
{
    std::vector<double> present = presentValues(values);
    std::sort(present.begin(), present.end());
    const std::size_t middle = present.size() / 2;
    if (present.size() % 2 == 1)
        return present[middle];
    return (present[middle - 1] + present[middle]) / 2.0;
}

/// The most frequent present number; ties go to the smallest, as scikit-learn does.
double mostFrequentNumber(const std::vector<double>& values)
{
    std::vector<double> present = presentValues(values);
    std::sort(present.begin(), present.end());
    double best = present.front();
    std::size_t bestCount = 0;
    for (std::size_t start = 0; start < present.size();) {
        std::size_t end = start;
        while (end < present.size() && present[end] == present[start])
            ++end;
        // Strictly more: the first (smallest) value of equal counts stays.
        if (end - start > bestCount) {
            best = present[start];
            bestCount = end - start;
        }
        start = end;
    }
    return best;
}

double lastPresentNumber(const std::vector<double>& values)
{
    const auto last = std::find_if(values.rbegin(), values.rend(), [](double value) { return !std::isnan(value); });
    return *last;
}

/// The most frequent present level; ties go to the level that sorts first, as
/// scikit-learn does.
std::string mostFrequentOf(const data::Column& column)
{
    std::vector<std::size_t> counts(column.levels().size(), 0);
    for (std::int32_t code : column.codes())
        if (code != data::Column::kMissingCode)
            ++counts[static_cast<std::size_t>(code)];
    std::size_t best = counts.size();
    for (std::size_t level = 0; level < counts.size(); ++level) {
        if (counts[level] == 0)
            continue;
        if (best == counts.size() || counts[level] > counts[best] ||
            (counts[level] == counts[best] && column.levels()[level] < column.levels()[best]))
            best = level;
    }
    return column.levels()[best];
}

std::string lastPresentLevel(const data::Column& column)
{
    const auto& codes = column.codes();
    const auto last = std::find_if(codes.rbegin(), codes.rend(),
                                   [](std::int32_t code) { return code != data::Column::kMissingCode; });
    return column.levels()[static_cast<std::size_t>(*last)];
}

std::string numericRule(const ImputationSpec& spec)
{
    switch (spec.numeric) {
    case NumericImputation::Mean:
        return "mean";
    case NumericImputation::Median:
        return "median";
    case NumericImputation::MostFrequent:
        return "most frequent";
    case NumericImputation::ForwardFill:
        return "forward fill; a gap with no earlier value takes the last training value";
    case NumericImputation::BackwardFill:
        return "backward fill; a gap with no later value takes the training median";
    case NumericImputation::Constant:
        break;
    }
    std::string rule = "constant ";
    rule.append(data::formatNumber(spec.numericConstant));
    return rule;
}

std::string categoricalRule(const ImputationSpec& spec)
{
    switch (spec.categorical) {
    case CategoricalImputation::MostFrequent:
        return "most frequent";
    case CategoricalImputation::ForwardFill:
        return "forward fill; a gap with no earlier value takes the last training category";
    case CategoricalImputation::BackwardFill:
        return "backward fill; a gap with no later value takes the most frequent training category";
    case CategoricalImputation::Constant:
        break;
    }
    std::string rule = "constant '";
    rule.append(spec.categoricalConstant);
    rule.push_back('\'');
    return rule;
}

bool needsTrainingValues(NumericImputation rule) { return rule != NumericImputation::Constant; }
bool needsTrainingValues(CategoricalImputation rule) { return rule != CategoricalImputation::Constant; }

std::string indicatorName(const std::string& column)
{
    std::string name = column;
    name.append("_was_missing");
    return name;
}

core::DataError indicatorNameTaken(const std::string& column)
{
    std::string message = "the missing-value indicator of column '";
    message.append(column);
    message.append("' would be called '");
    message.append(indicatorName(column));
    message.append("', but a column of that name already exists — rename that column or turn the indicator off");
    return core::DataError(message);
}

/// Fills the gaps of `values` (NaN) with the previous (forward) or next (backward) present
/// value; a gap with no such neighbour takes `fallback`. Works on numbers and codes alike.
template <class T, class IsMissing>
void fillFromNeighbours(std::vector<T>& values, bool forward, T fallback, IsMissing isMissing)
{
    T carried = fallback;
    const auto fill = [&](T& value) {
        if (isMissing(value))
            value = carried;
        else
            carried = value;
    };
    if (forward)
        std::for_each(values.begin(), values.end(), fill);
    else
        std::for_each(values.rbegin(), values.rend(), fill);
}

} // namespace

SimpleImputer::SimpleImputer(const ImputationSpec& spec, std::vector<std::string> columns)
    : m_spec(spec), m_requested(std::move(columns))
{
}

std::string SimpleImputer::describe() const
{
    std::string text = "imputation of ";
    if (!m_fitted) {
        text.append("missing values (");
        text.append(numericRule(m_spec));
        text.append(" for numeric columns, ");
        text.append(categoricalRule(m_spec));
        text.append(" for categorical columns");
        if (m_spec.indicator)
            text.append(", with missing-value indicators");
        text.append("; not fitted yet)");
        return text;
    }
    if (m_numericNames.empty() && m_categoricalNames.empty())
        return "imputation of missing values (no columns)";
    if (!m_numericNames.empty()) {
        text.append(countOf(m_numericNames.size(), "numeric column"));
        text.append(" (");
        text.append(numericRule(m_spec));
        text.push_back(')');
    }
    if (!m_categoricalNames.empty()) {
        if (!m_numericNames.empty())
            text.append(" and ");
        text.append(countOf(m_categoricalNames.size(), "categorical column"));
        text.append(" (");
        text.append(categoricalRule(m_spec));
        text.push_back(')');
    }
    if (m_spec.indicator) {
        text.append(", plus ");
        text.append(countOf(m_indicatorNames.size(), "missing-value indicator column"));
    }
    return text;
}

void SimpleImputer::fit(const data::Table& train, const TrainingTarget&, core::TaskControl& control)
{
    std::vector<std::string> numericNames, categoricalNames, categoricalFill, indicatorNames;
    std::vector<double> numericFill;
    const std::vector<std::string> filled = columnsInScope(train, m_requested, ColumnScope::Any, kStep);
    for (std::size_t index = 0; index < filled.size(); ++index) {
        control.progress(static_cast<double>(index) / static_cast<double>(filled.size()), "fitting the imputer");
        const data::Column& column = train.column(filled[index]);
        const bool empty = column.missingCount() == column.size();
        if (column.isNumeric()) {
            if (needsTrainingValues(m_spec.numeric) && empty)
                throw noTrainingValues(column.name());
            numericNames.push_back(column.name());
            switch (m_spec.numeric) {
            case NumericImputation::Mean:
                numericFill.push_back(meanOf(column.values()));
                break;
            case NumericImputation::Median:
            case NumericImputation::BackwardFill:
                numericFill.push_back(medianOf(column.values()));
                break;
            case NumericImputation::MostFrequent:
                numericFill.push_back(mostFrequentNumber(column.values()));
                break;
            case NumericImputation::ForwardFill:
                numericFill.push_back(lastPresentNumber(column.values()));
                break;
            case NumericImputation::Constant:
                numericFill.push_back(m_spec.numericConstant);
                break;
            }
        } else {
            if (needsTrainingValues(m_spec.categorical) && empty)
                throw noTrainingValues(column.name());
            categoricalNames.push_back(column.name());
            switch (m_spec.categorical) {
            case CategoricalImputation::MostFrequent:
            case CategoricalImputation::BackwardFill:
                categoricalFill.push_back(mostFrequentOf(column));
                break;
            case CategoricalImputation::ForwardFill:
                categoricalFill.push_back(lastPresentLevel(column));
                break;
            case CategoricalImputation::Constant:
                categoricalFill.push_back(m_spec.categoricalConstant);
                break;
            }
        }
        // As scikit-learn's MissingIndicator(features="missing-only"): decided here, on
        // the training rows, and produced for every table transformed later.
        if (m_spec.indicator && column.missingCount() > 0) {
            if (train.hasColumn(indicatorName(column.name())))
                throw indicatorNameTaken(column.name());
            indicatorNames.push_back(column.name());
        }
    }
    m_numericNames = std::move(numericNames);
    m_numericFill = std::move(numericFill);
    m_categoricalNames = std::move(categoricalNames);
    m_categoricalFill = std::move(categoricalFill);
    m_indicatorNames = std::move(indicatorNames);
    m_fitted = true;
    control.progress(1.0);
}

data::Table SimpleImputer::transform(const data::Table& table) const
{
    if (!m_fitted)
        throw notFitted(kStep, "transform");
    for (const std::string& name : m_numericNames)
        requireFittedColumn(table, name, data::ColumnType::Numeric, kStep);
    for (const std::string& name : m_categoricalNames)
        requireFittedColumn(table, name, data::ColumnType::Categorical, kStep);
    for (const std::string& name : m_indicatorNames)
        if (table.hasColumn(indicatorName(name)))
            throw indicatorNameTaken(name);

    const bool forward = m_spec.numeric == NumericImputation::ForwardFill;
    const bool backward = m_spec.numeric == NumericImputation::BackwardFill;
    const bool forwardLevels = m_spec.categorical == CategoricalImputation::ForwardFill;
    const bool backwardLevels = m_spec.categorical == CategoricalImputation::BackwardFill;
    data::Table result;
    for (const data::Column& column : table.columns()) {
        const auto numeric = std::find(m_numericNames.begin(), m_numericNames.end(), column.name());
        const auto categorical = std::find(m_categoricalNames.begin(), m_categoricalNames.end(), column.name());
        if (column.missingCount() == 0) {
            result.addColumn(column);
        } else if (numeric != m_numericNames.end()) {
            const double fill = m_numericFill[static_cast<std::size_t>(numeric - m_numericNames.begin())];
            std::vector<double> values = column.values();
            if (forward || backward)
                fillFromNeighbours(values, forward, fill, [](double value) { return std::isnan(value); });
            else
                std::replace_if(values.begin(), values.end(), [](double value) { return std::isnan(value); }, fill);
            const data::ColumnKind kind = numericKindAfter(column.kind(), values);
            result.addColumn(data::Column::numeric(column.name(), std::move(values), kind));
        } else if (categorical != m_categoricalNames.end()) {
            // The fill value is matched by text: the table's codes need not be the
            // training table's, and a fill value it lacks becomes a new level.
            const std::string& fill =
                m_categoricalFill[static_cast<std::size_t>(categorical - m_categoricalNames.begin())];
            std::vector<std::string> levels = column.levels();
            const auto found = std::find(levels.begin(), levels.end(), fill);
            const auto fillCode = static_cast<std::int32_t>(found - levels.begin());
            if (found == levels.end())
                levels.push_back(fill);
            std::vector<std::int32_t> codes = column.codes();
            const auto isMissing = [](std::int32_t code) { return code == data::Column::kMissingCode; };
            if (forwardLevels || backwardLevels)
                fillFromNeighbours(codes, forwardLevels, fillCode, isMissing);
            else
                std::replace_if(codes.begin(), codes.end(), isMissing, fillCode);
            result.addColumn(
                data::Column::categorical(column.name(), std::move(codes), std::move(levels), column.kind()));
        } else {
            result.addColumn(column);
        }
        if (std::find(m_indicatorNames.begin(), m_indicatorNames.end(), column.name()) != m_indicatorNames.end()) {
            std::vector<double> missing(column.size());
            for (std::size_t row = 0; row < column.size(); ++row)
                missing[row] = column.isMissing(row) ? 1.0 : 0.0;
            result.addColumn(data::Column::numeric(indicatorName(column.name()), std::move(missing),
                                                   data::ColumnKind::Boolean));
        }
    }
    return result;
}

void SimpleImputer::exportOnnx(io::OnnxGraph& graph) const
{
    if (!m_fitted)
        throw notFitted(kStep, "be exported");
    if (m_spec.numeric == NumericImputation::ForwardFill || m_spec.numeric == NumericImputation::BackwardFill ||
        m_spec.categorical == CategoricalImputation::ForwardFill ||
        m_spec.categorical == CategoricalImputation::BackwardFill)
        unsupportedSetting(kStep, "fills gaps from neighbouring rows (forward or backward fill)");
    std::vector<io::OnnxColumn> result;
    for (const io::OnnxColumn& column : graph.columns()) {
        const auto numeric = std::find(m_numericNames.begin(), m_numericNames.end(), column.name);
        const auto categorical = std::find(m_categoricalNames.begin(), m_categoricalNames.end(), column.name);
        const bool indicator =
            std::find(m_indicatorNames.begin(), m_indicatorNames.end(), column.name) != m_indicatorNames.end();
        const bool filled = numeric != m_numericNames.end() || categorical != m_categoricalNames.end();
        const std::string missing = filled || indicator ? onnxMissing(graph, column) : std::string();
        if (numeric != m_numericNames.end()) {
            const std::string value = onnxFloat(graph, column, kStep);
            const auto fill = static_cast<float>(m_numericFill[static_cast<std::size_t>(numeric - m_numericNames.begin())]);
            const std::string constant = graph.constant(std::vector<float>{fill}, {1, 1});
            result.push_back({column.name, graph.addNode("Where", {missing, constant, value}), io::OnnxElement::Float});
        } else if (categorical != m_categoricalNames.end()) {
            if (column.type != io::OnnxElement::String)
                unsupportedSetting(kStep, "fills categories in column \"" + column.name + "\" that holds numbers in the graph");
            const std::string& fill = m_categoricalFill[static_cast<std::size_t>(categorical - m_categoricalNames.begin())];
            const std::string constant = graph.constant(std::vector<std::string>{fill}, {1, 1});
            result.push_back(
                {column.name, graph.addNode("Where", {missing, constant, column.tensor}), io::OnnxElement::String});
        } else {
            result.push_back(column);
        }
        if (indicator)
            result.push_back({indicatorName(column.name), graph.addNode("Cast", {missing}, {{"to", std::int64_t{1}}}),
                              io::OnnxElement::Float});
    }
    graph.setColumns(std::move(result));
}

void SimpleImputer::save(core::OutputArchive& archive) const
{
    if (!m_fitted)
        throw notFitted(kStep, "be saved");
    archive << *this;
}

void SimpleImputer::load(core::InputArchive& archive)
{
    SimpleImputer loaded;
    archive >> loaded;
    const auto filled = [&loaded](const std::string& name) {
        const auto& numeric = loaded.m_numericNames;
        const auto& categorical = loaded.m_categoricalNames;
        return std::find(numeric.begin(), numeric.end(), name) != numeric.end() ||
               std::find(categorical.begin(), categorical.end(), name) != categorical.end();
    };
    const bool knownRules = static_cast<int>(loaded.m_spec.numeric) >= 0 &&
                            loaded.m_spec.numeric <= NumericImputation::BackwardFill &&
                            static_cast<int>(loaded.m_spec.categorical) >= 0 &&
                            loaded.m_spec.categorical <= CategoricalImputation::BackwardFill;
    if (!loaded.m_fitted || !knownRules || loaded.m_numericNames.size() != loaded.m_numericFill.size() ||
        loaded.m_categoricalNames.size() != loaded.m_categoricalFill.size() ||
        !std::all_of(loaded.m_indicatorNames.begin(), loaded.m_indicatorNames.end(), filled))
        throw corruptArchive(kStep);
    *this = std::move(loaded);
}

} // namespace stepwise::prep
