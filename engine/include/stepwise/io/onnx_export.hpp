#pragma once
/// \file
/// \brief Export of a fitted pipeline as one ONNX graph (opset 15 with ai.onnx.ml 3):
/// raw columns in, `label` and `probabilities` out (CLI.md "ONNX graph").
///
/// A missing categorical value is passed as the empty string (a missing number as NaN).
/// The graph computes in float32 and cannot refuse a row: where `predict` throws (a gap
/// in a pipeline trained without imputation, a category an encoder with unknown=error
/// never saw, a non-finite feature) the graph still gives an output — encoders then
/// treat the category as unknown=ignore would.

#include <string>

#include "stepwise/workflow/pipeline.hpp"

namespace stepwise::io {

/// \brief Default-domain opset the graphs are written for.
inline constexpr int kOnnxOpset = 15;
/// \brief ai.onnx.ml opset the graphs are written for.
inline constexpr int kOnnxMlOpset = 3;

/// \brief The serialised ONNX ModelProto of the whole pipeline. Throws
/// `core::UnsupportedExport` naming the first part ONNX cannot express (a step, the
/// model, a column type) and what to do instead.
std::string onnxModelBytes(const workflow::FittedPipeline& pipeline);

/// \brief Why the pipeline cannot be exported, or empty when it can (builds the graph
/// in memory; for the Export page to say so before the user picks a file).
std::string onnxExportProblem(const workflow::FittedPipeline& pipeline);

/// \brief Writes `onnxModelBytes` to `path` atomically.
void exportOnnx(const workflow::FittedPipeline& pipeline, const std::string& path);

} // namespace stepwise::io
