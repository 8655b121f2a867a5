#pragma once
// Shared checks for the reader tests (xlsx, SQLite, JSON): fixture paths, expected
// errors, column values, and a progress recorder.

#include <QtTest>

#include <cmath>
#include <functional>
#include <string>
#include <vector>

#include "stepwise/core/errors.hpp"
#include "stepwise/core/task_control.hpp"
#include "stepwise/data/table.hpp"

namespace readers_test {

inline std::string fixture(const std::string& name)
{
    return std::string(STEPWISE_TEST_DATA_DIR) + "/readers/" + name;
}

/// Runs `read`, expecting a DataError whose message holds every one of `words`; returns it.
inline stepwise::core::DataError expectDataError(const std::function<void()>& read,
                                                 const std::vector<std::string>& words)
{
    try {
        read();
    } catch (const stepwise::core::DataError& error) {
        const std::string message = error.what();
        for (const auto& word : words)
            if (message.find(word) == std::string::npos)
                qFatal("message '%s' lacks '%s'", message.c_str(), word.c_str());
        return error;
    }
    qFatal("no DataError; expected one mentioning '%s'", words.empty() ? "" : words.front().c_str());
}

/// True when the numeric column holds exactly `expected` (NaN = missing).
inline bool numbersAre(const stepwise::data::Column& column, const std::vector<double>& expected)
{
    if (!column.isNumeric() || column.values().size() != expected.size())
        return false;
    for (std::size_t i = 0; i < expected.size(); ++i) {
        const double got = column.values()[i];
        if (std::isnan(expected[i]) ? !std::isnan(got) : got != expected[i])
            return false;
    }
    return true;
}

/// The column's values as display text, "<missing>" for missing ones.
inline std::vector<std::string> textsOf(const stepwise::data::Column& column)
{
    std::vector<std::string> texts;
    for (std::size_t row = 0; row < column.size(); ++row)
        texts.push_back(column.isMissing(row) ? std::string("<missing>") : column.textAt(row));
    return texts;
}

/// The column's kind as text. (QCOMPARE on ColumnKind itself would find
/// `data::toString(ColumnKind)` by ADL and free its static string on a mismatch.)
inline std::string kindOf(const stepwise::data::Column& column) { return toString(column.kind()); }

/// Collects every progress report.
class ProgressRecorder : public stepwise::core::TaskObserver {
public:
    void onProgress(double fraction, const std::string& stage) override
    {
        fractions.push_back(fraction);
        stages.push_back(stage);
    }
    bool monotone() const
    {
        for (std::size_t i = 1; i < fractions.size(); ++i)
            if (fractions[i] < fractions[i - 1])
                return false;
        return !fractions.empty() && fractions.back() == 1.0;
    }
    std::vector<double> fractions;
    std::vector<std::string> stages;
};

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

} // namespace readers_test
