#pragma once
/// \file
/// \brief Scoring new rows with a fitted pipeline: the schema is checked first and every
/// mismatch is explained, then the rows are predicted in chunks with progress.

#include <cstddef>
#include <string>
#include <vector>

#include "stepwise/core/task_control.hpp"
#include "stepwise/data/table.hpp"
#include "stepwise/workflow/pipeline.hpp"

namespace stepwise::workflow {

/// \brief One way new data differs from what the pipeline was trained on.
struct SchemaIssue {
    enum class Kind {
        MissingColumn,    ///< an input column is absent (blocking)
        WrongType,        ///< values of a column cannot be read as its training type (blocking)
        UnseenCategory,   ///< a categorical value not seen in training
        MissingValues,    ///< missing values where the pipeline has no imputer (blocking)
        ExtraColumn       ///< a column the model does not use (ignored)
    };
    Kind kind = Kind::MissingColumn;
    std::string column;
    /// \brief True when scoring cannot go ahead; false for what the pipeline handles
    /// (its effect is said in `message`).
    bool blocking = true;
    std::size_t count = 0;     ///< rows affected (0 for column-level issues)
    std::size_t firstRow = 0;  ///< 0-based data row of the first affected value
    std::string example;       ///< the first offending value, as text
    /// \brief The whole explanation: what differs, where, and what to do.
    std::string message;
};

/// \brief The result of comparing a table with the pipeline's input schema.
struct SchemaCheck {
    std::vector<SchemaIssue> issues;
    /// \brief True when no issue blocks scoring.
    bool canScore() const;
};

/// \brief Compares `table` with the pipeline's input columns, types and categories.
SchemaCheck checkSchema(const FittedPipeline& pipeline, const data::Table& table);

/// \brief Predicts every row of `table` in chunks, reporting progress and honouring
/// cancel through `control`. Runs `checkSchema` first and throws `core::DataError`
/// with the blocking issues' messages when it cannot score.
Predictions scoreTable(const FittedPipeline& pipeline, const data::Table& table, core::TaskControl& control);

} // namespace stepwise::workflow
