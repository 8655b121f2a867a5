#pragma once
// What the steps' ONNX forms share: reading a column as float, testing for a missing
// value, and rewriting the graph's column list as transform rewrites the table.

#include <string>
#include <vector>

#include "stepwise/io/onnx_graph.hpp"

namespace stepwise::prep {

/// The column as a float [N, 1] tensor (int64 cast; a string column is an
/// UnsupportedExport naming `step` and the column).
std::string onnxFloat(io::OnnxGraph& graph, const io::OnnxColumn& column, const std::string& step);

/// A bool [N, 1] tensor: true where the column's value is missing (NaN for numbers, the
/// empty string for categories — how the graph's inputs carry a missing category).
std::string onnxMissing(io::OnnxGraph& graph, const io::OnnxColumn& column);

/// The column list with the column called `name` replaced by `replacement` (same place).
std::vector<io::OnnxColumn> withColumn(const std::vector<io::OnnxColumn>& columns, const std::string& name,
                                       const io::OnnxColumn& replacement);

/// The LabelEncoder (ai.onnx.ml) of a string [N, 1] tensor into int64: `keys[i]` ↦ i,
/// anything else ↦ `unknown`.
std::string onnxCategoryIndex(io::OnnxGraph& graph, const std::string& tensor, const std::vector<std::string>& keys,
                              std::int64_t unknown);

/// An UnsupportedExport for a step that ONNX cannot express with its current settings.
[[noreturn]] void unsupportedSetting(const std::string& step, const std::string& why);

} // namespace stepwise::prep

namespace stepwise::prep {

/// The column list without the columns called one of `names`.
std::vector<io::OnnxColumn> withoutColumns(const std::vector<io::OnnxColumn>& columns,
                                           const std::vector<std::string>& names);

/// A float [1, 1] constant.
std::string onnxScalar(io::OnnxGraph& graph, double value);

} // namespace stepwise::prep
