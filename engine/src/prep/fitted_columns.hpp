#pragma once
// Shared by every transformer: finding, at transform time, the columns a step was
// fitted on, and the small bits of wording and archive checking they all need.

#include <algorithm>
#include <string>
#include <vector>

#include "stepwise/core/errors.hpp"
#include "stepwise/data/table.hpp"
#include "stepwise/prep/step.hpp"

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

/// True when `column` is one a step of `scope` can act on.
inline bool inScope(const data::Column& column, ColumnScope scope)
{
    switch (scope) {
    case ColumnScope::None:
        return false;
    case ColumnScope::Any:
        return true;
    case ColumnScope::Numeric:
        return column.isNumeric();
    case ColumnScope::Categorical:
        return column.isCategorical();
    case ColumnScope::Datetime:
        return column.kind() == data::ColumnKind::Datetime;
    }
    return false;
}

/// "numbers", "categories", … — what a scope needs, for messages.
inline const char* scopeNoun(ColumnScope scope)
{
    switch (scope) {
    case ColumnScope::Numeric:
        return "numeric columns";
    case ColumnScope::Categorical:
        return "categorical columns";
    case ColumnScope::Datetime:
        return "datetime columns";
    case ColumnScope::None:
    case ColumnScope::Any:
        break;
    }
    return "columns";
}

/// The columns a step acts on at fit time: `requested` in the table's order (each must
/// exist and be in `scope`, else a `DataError` naming it and the step), or, when
/// `requested` is empty, every column of `table` in `scope`.
inline std::vector<std::string> columnsInScope(const data::Table& table, const std::vector<std::string>& requested,
                                               ColumnScope scope, const std::string& step)
{
    std::vector<std::string> names;
    for (const std::string& name : requested) {
        const auto index = table.indexOf(name);
        if (!index) {
            std::string message = "the ";
            message.append(step);
            message.append(" is set to use column '");
            message.append(name);
            message.append("', which is not there at this point of the pipeline — check the spelling, or whether an "
                           "earlier step dropped or renamed it");
            throw core::DataError(message);
        }
        const data::Column& column = table.column(*index);
        if (!inScope(column, scope)) {
            std::string message = "the ";
            message.append(step);
            message.append(" works on ");
            message.append(scopeNoun(scope));
            message.append(", but '");
            message.append(name);
            message.append("' is ");
            message.append(data::toString(column.kind()));
            message.append(" here — choose other columns or change the column's type");
            throw core::DataError(message);
        }
    }
    for (const data::Column& column : table.columns()) {
        const bool wanted = requested.empty() ? inScope(column, scope)
                                              : std::find(requested.begin(), requested.end(), column.name()) !=
                                                    requested.end();
        if (wanted)
            names.push_back(column.name());
    }
    return names;
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
