#pragma once
// Shared by every transformer: finding, at transform time, the columns a step was
// fitted on, and the small bits of wording and archive checking they all need.

#include <string>

#include "stepwise/core/errors.hpp"
#include "stepwise/data/table.hpp"

namespace stepwise::prep {

/// The column `name` of `table`, which must still have the type it had at fit time;
/// `step` names the transformer in the message ("standard scaler").
inline const data::Column& requireFittedColumn(const data::Table& table, const std::string& name,
                                               data::ColumnType type, const std::string& step)
{
    const auto index = table.indexOf(name);
    if (!index) {
        std::string message = "column '";
        message.append(name);
        message.append("' is missing — the ");
        message.append(step);
        message.append(" was fitted with it; give the same columns as in training");
        throw core::DataError(message);
    }
    const data::Column& column = table.column(*index);
    if (column.type() != type) {
        std::string message = "column '";
        message.append(name);
        message.append("' is ");
        message.append(data::toString(column.type()));
        message.append(" but was ");
        message.append(data::toString(type));
        message.append(" when the ");
        message.append(step);
        message.append(" was fitted — give it ");
        message.append(data::toString(type));
        message.append(" values as in training");
        throw core::DataError(message);
    }
    return column;
}

/// "1 numeric column", "3 numeric columns".
inline std::string countOf(std::size_t count, const std::string& noun)
{
    std::string text = std::to_string(count);
    text.push_back(' ');
    text.append(noun);
    if (count != 1)
        text.push_back('s');
    return text;
}

/// The NotFitted error of a step used before `fit`.
inline core::NotFitted notFitted(const std::string& step, const std::string& action)
{
    std::string message = "the ";
    message.append(step);
    message.append(" cannot ");
    message.append(action);
    message.append(" before it is fitted — fit it on the training rows first");
    return core::NotFitted(message);
}

/// The DataError of a training column without a single present value.
inline core::DataError noTrainingValues(const std::string& name)
{
    std::string message = "column '";
    message.append(name);
    message.append("' has no values in the training rows — drop it");
    return core::DataError(message);
}

/// The ArchiveError of a step whose stored state does not hang together.
inline core::ArchiveError corruptArchive(const std::string& step)
{
    std::string message = "the stored ";
    message.append(step);
    message.append(" is inconsistent — the file is damaged or was not written by Stepwise");
    return core::ArchiveError(message);
}

} // namespace stepwise::prep
