#include "prep/simple_imputer.hpp"

#include <algorithm>
#include <cmath>

#include <boost/archive/binary_iarchive.hpp>
#include <boost/archive/binary_oarchive.hpp>

#include "prep/fitted_columns.hpp"

namespace stepwise::prep {
namespace {

const std::string kStep = "imputer";

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
    std::vector<double> present;
    present.reserve(values.size());
    for (double value : values)
        if (!std::isnan(value))
            present.push_back(value);
    std::sort(present.begin(), present.end());
    const std::size_t middle = present.size() / 2;
    if (present.size() % 2 == 1)
        return present[middle];
    return (present[middle - 1] + present[middle]) / 2.0;
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

std::string numericRule(const ImputationSpec& spec)
{
    switch (spec.numeric) {
    case NumericImputation::Mean:
        return "mean";
    case NumericImputation::Median:
        return "median";
    case NumericImputation::Constant:
        break;
    }
    std::string rule = "constant ";
    rule.append(data::formatNumber(spec.numericConstant));
    return rule;
}

std::string categoricalRule(const ImputationSpec& spec)
{
    if (spec.categorical == CategoricalImputation::MostFrequent)
        return "most frequent";
    std::string rule = "constant '";
    rule.append(spec.categoricalConstant);
    rule.push_back('\'');
    return rule;
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
        text.append(" for categorical columns; not fitted yet)");
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
    return text;
}

void SimpleImputer::fit(const data::Table& train, const TrainingTarget&, core::TaskControl& control)
{
    std::vector<std::string> numericNames, categoricalNames, categoricalFill;
    std::vector<double> numericFill;
    const std::vector<std::string> filled = columnsInScope(train, m_requested, ColumnScope::Any, kStep);
    for (std::size_t index = 0; index < filled.size(); ++index) {
        control.progress(static_cast<double>(index) / static_cast<double>(filled.size()), "fitting the imputer");
        const data::Column& column = train.column(filled[index]);
        const bool empty = column.missingCount() == column.size();
        if (column.isNumeric()) {
            if (m_spec.numeric != NumericImputation::Constant && empty)
                throw noTrainingValues(column.name());
            numericNames.push_back(column.name());
            switch (m_spec.numeric) {
            case NumericImputation::Mean:
                numericFill.push_back(meanOf(column.values()));
                break;
            case NumericImputation::Median:
                numericFill.push_back(medianOf(column.values()));
                break;
            case NumericImputation::Constant:
                numericFill.push_back(m_spec.numericConstant);
                break;
            }
        } else {
            if (m_spec.categorical == CategoricalImputation::MostFrequent && empty)
                throw noTrainingValues(column.name());
            categoricalNames.push_back(column.name());
            categoricalFill.push_back(m_spec.categorical == CategoricalImputation::MostFrequent
                                          ? mostFrequentOf(column)
                                          : m_spec.categoricalConstant);
        }
    }
    m_numericNames = std::move(numericNames);
    m_numericFill = std::move(numericFill);
    m_categoricalNames = std::move(categoricalNames);
    m_categoricalFill = std::move(categoricalFill);
    m_fitted = true;
    control.progress(1.0);
}

data::Table SimpleImputer::transform(const data::Table& table) const
{
    if (!m_fitted)
        throw notFitted(kStep, "transform");
    data::Table result = table;
    for (std::size_t i = 0; i < m_numericNames.size(); ++i) {
        const data::Column& column =
            requireFittedColumn(table, m_numericNames[i], data::ColumnType::Numeric, kStep);
        if (column.missingCount() == 0)
            continue;
        std::vector<double> values = column.values();
        for (double& value : values)
            if (std::isnan(value))
                value = m_numericFill[i];
        result.replaceColumn(data::Column::numeric(column.name(), std::move(values)));
    }
    for (std::size_t i = 0; i < m_categoricalNames.size(); ++i) {
        const data::Column& column =
            requireFittedColumn(table, m_categoricalNames[i], data::ColumnType::Categorical, kStep);
        if (column.missingCount() == 0)
            continue;
        // The fill value is matched by text: the table's codes need not be the
        // training table's, and a fill value it lacks becomes a new level.
        std::vector<std::string> levels = column.levels();
        const auto found = std::find(levels.begin(), levels.end(), m_categoricalFill[i]);
        const auto fillCode = static_cast<std::int32_t>(found - levels.begin());
        if (found == levels.end())
            levels.push_back(m_categoricalFill[i]);
        std::vector<std::int32_t> codes = column.codes();
        for (std::int32_t& code : codes)
            if (code == data::Column::kMissingCode)
                code = fillCode;
        result.replaceColumn(data::Column::categorical(column.name(), std::move(codes), std::move(levels)));
    }
    return result;
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
    if (!loaded.m_fitted || loaded.m_numericNames.size() != loaded.m_numericFill.size() ||
        loaded.m_categoricalNames.size() != loaded.m_categoricalFill.size())
        throw corruptArchive(kStep);
    *this = std::move(loaded);
}

} // namespace stepwise::prep
