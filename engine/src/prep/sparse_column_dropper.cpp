#include "prep/sparse_column_dropper.hpp"

#include "stepwise/core/input_archive.hpp"
#include <boost/archive/binary_oarchive.hpp>

#include "prep/fitted_columns.hpp"
#include "prep/onnx_columns.hpp"

namespace stepwise::prep {
namespace {

const std::string kStep = "sparse-column drop";

std::string percent(double share)
{
    std::string text = data::formatNumber(share * 100.0);
    text.push_back('%');
    return text;
}

} // namespace

SparseColumnDropper::SparseColumnDropper(double maxMissing, std::vector<std::string> columns)
    : m_maxMissing(maxMissing), m_requested(std::move(columns))
{
}

std::string SparseColumnDropper::describe() const
{
    std::string text;
    if (!m_fitted) {
        text = "drop columns with more than ";
        text.append(percent(m_maxMissing));
        text.append(" missing values in the training rows (not fitted yet)");
        return text;
    }
    if (m_dropped.empty()) {
        text = "drop columns with more than ";
        text.append(percent(m_maxMissing));
        text.append(" missing values in the training rows: none of the ");
        text.append(countOf(m_checked, "column"));
        text.append(" has that many");
        return text;
    }
    text = "drop ";
    text.append(countOf(m_dropped.size(), "column"));
    text.append(" with more than ");
    text.append(percent(m_maxMissing));
    text.append(" missing values in the training rows: ");
    for (std::size_t i = 0; i < m_dropped.size(); ++i) {
        if (i > 0)
            text.append(", ");
        text.append(m_dropped[i]);
    }
    return text;
}

void SparseColumnDropper::fit(const data::Table& train, const TrainingTarget&, core::TaskControl& control)
{
    const std::vector<std::string> names = columnsInScope(train, m_requested, ColumnScope::Any, kStep);
    std::vector<std::string> dropped;
    for (std::size_t index = 0; index < names.size(); ++index) {
        control.progress(static_cast<double>(index) / static_cast<double>(names.size()),
                         "counting missing values per column");
        const data::Column& column = train.column(names[index]);
        // No rows: nothing says the column is sparse.
        if (train.rowCount() == 0)
            continue;
        // The same division pandas' isna().mean() makes, so a share exactly at the
        // threshold is kept by both.
        const double share = static_cast<double>(column.missingCount()) / static_cast<double>(train.rowCount());
        if (share > m_maxMissing)
            dropped.push_back(column.name());
    }
    m_checked = names.size();
    m_dropped = std::move(dropped);
    m_fitted = true;
    control.progress(1.0);
}

data::Table SparseColumnDropper::transform(const data::Table& table) const
{
    if (!m_fitted)
        throw notFitted(kStep, "transform");
    return table.withoutColumns(m_dropped);
}

void SparseColumnDropper::exportOnnx(io::OnnxGraph& graph) const
{
    if (!m_fitted)
        throw notFitted(kStep, "be exported");
    graph.setColumns(withoutColumns(graph.columns(), m_dropped));
}

void SparseColumnDropper::save(core::OutputArchive& archive) const
{
    if (!m_fitted)
        throw notFitted(kStep, "be saved");
    archive << *this;
}

void SparseColumnDropper::load(core::InputArchive& archive)
{
    SparseColumnDropper loaded;
    archive >> loaded;
    if (!loaded.m_fitted || !(loaded.m_maxMissing >= 0.0 && loaded.m_maxMissing <= 1.0) ||
        loaded.m_dropped.size() > loaded.m_checked)
        throw corruptArchive(kStep);
    *this = std::move(loaded);
}

} // namespace stepwise::prep
