#include "prep/column_renamer.hpp"

#include "stepwise/core/input_archive.hpp"
#include <boost/archive/binary_oarchive.hpp>

#include "prep/fitted_columns.hpp"
#include "prep/onnx_columns.hpp"
#include "stepwise/core/errors.hpp"

namespace stepwise::prep {
namespace {

const std::string kStep = "rename step";

core::DataError nameTaken(const std::string& from, const std::string& to)
{
    std::string message = "cannot rename '";
    message.append(from);
    message.append("' to '");
    message.append(to);
    message.append("': a column of that name already exists — choose another name, or drop or rename that column "
                   "first");
    return core::DataError(message);
}

} // namespace

ColumnRenamer::ColumnRenamer(std::string from, std::string to) : m_from(std::move(from)), m_to(std::move(to))
{
    if (m_to.empty()) {
        std::string message = "the new name ('to') of column '";
        message.append(m_from);
        message.append("' is empty — give the name the column should have");
        throw core::InvalidParameter(message);
    }
    if (m_to == m_from) {
        std::string message = "renaming column '";
        message.append(m_from);
        message.append("' to the name it has does nothing — give 'to' a different name, or remove the step");
        throw core::InvalidParameter(message);
    }
}

std::string ColumnRenamer::describe() const
{
    std::string text = "rename '";
    text.append(m_from);
    text.append("' to '");
    text.append(m_to);
    text.push_back('\'');
    return text;
}

void ColumnRenamer::fit(const data::Table& train, const TrainingTarget&, core::TaskControl& control)
{
    control.progress(0.0, "renaming a column");
    const std::vector<std::string> found = columnsInScope(train, {m_from}, ColumnScope::Any, kStep);
    if (train.hasColumn(m_to))
        throw nameTaken(m_from, m_to);
    m_type = train.column(found.front()).type();
    m_fitted = true;
    control.progress(1.0);
}

data::Table ColumnRenamer::transform(const data::Table& table) const
{
    if (!m_fitted)
        throw notFitted(kStep, "transform");
    requireFittedColumn(table, m_from, m_type, kStep);
    if (table.hasColumn(m_to))
        throw nameTaken(m_from, m_to);
    data::Table result;
    for (const data::Column& column : table.columns())
        result.addColumn(column.name() == m_from ? column.renamed(m_to) : column);
    return result;
}

void ColumnRenamer::exportOnnx(io::OnnxGraph& graph) const
{
    if (!m_fitted)
        throw notFitted(kStep, "be exported");
    io::OnnxColumn renamed = graph.column(m_from);
    renamed.name = m_to;
    graph.setColumns(withColumn(graph.columns(), m_from, renamed));
}

void ColumnRenamer::save(core::OutputArchive& archive) const
{
    if (!m_fitted)
        throw notFitted(kStep, "be saved");
    archive << *this;
}

void ColumnRenamer::load(core::InputArchive& archive)
{
    ColumnRenamer loaded;
    archive >> loaded;
    if (!loaded.m_fitted || loaded.m_from.empty() || loaded.m_to.empty() || loaded.m_from == loaded.m_to ||
        (loaded.m_type != data::ColumnType::Numeric && loaded.m_type != data::ColumnType::Categorical))
        throw corruptArchive(kStep);
    *this = std::move(loaded);
}

} // namespace stepwise::prep
