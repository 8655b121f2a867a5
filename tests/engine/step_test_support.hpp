#pragma once
// What the step tests share: building a registered step as the runner does, fitting it,
// saving and reloading it, comparing tables bit for bit, and catching messages.

#include <QtTest>

#include <cmath>
#include <cstring>
#include <fstream>
#include <functional>
#include <limits>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "stepwise/core/input_archive.hpp"
#include <boost/archive/binary_oarchive.hpp>
#include <nlohmann/json.hpp>

#include "stepwise/core/archive.hpp"
#include "stepwise/data/table.hpp"
#include "stepwise/prep/step.hpp"
#include "stepwise/prep/transformers.hpp"

namespace step_test {

using namespace stepwise;

inline const double kNaN = std::numeric_limits<double>::quiet_NaN();

/// The references sum in NumPy's or pandas' order, not the engine's, so sums differ in the
/// last bits; 1e-12 relative to the magnitude (at least 1) is far above that and far below
/// any real mistake. Counts, quantiles, fills and kept rows must match exactly but share
/// the comparison.
constexpr double kTolerance = 1e-12;

/// `actual` within `tolerance` of `expected`, relative to a magnitude of at least 1; NaN
/// matches only NaN and an infinity only the same infinity.
inline bool close(double actual, double expected, double tolerance = kTolerance)
{
    if (std::isnan(expected) || std::isnan(actual))
        return std::isnan(expected) && std::isnan(actual);
    if (std::isinf(expected) || std::isinf(actual))
        return actual == expected;
    return std::abs(actual - expected) <= tolerance * std::max(1.0, std::abs(expected));
}

/// A reference file of tests/data, written by the script of the same name in
/// tests/reference (`cleaning_reference.json` ← `cleaning_reference.py`).
inline nlohmann::json loadReference(const std::string& file)
{
    std::ifstream in(std::string(STEPWISE_TEST_DATA_DIR "/") + file);
    if (!in)
        qFatal("cannot open %s — run tests/reference/%s.py", file.c_str(), file.substr(0, file.rfind('.')).c_str());
    return nlohmann::json::parse(in);
}

/// A numeric column from reference values (null = missing).
inline data::Column numericColumn(const std::string& name, const nlohmann::json& values)
{
    std::vector<double> numbers;
    for (const nlohmann::json& value : values)
        numbers.push_back(value.is_null() ? kNaN : value.get<double>());
    return data::Column::numeric(name, std::move(numbers));
}

/// A categorical column from reference texts (null = missing).
inline data::Column categoricalColumn(const std::string& name, const nlohmann::json& values)
{
    std::vector<std::string> texts;
    std::vector<bool> missing;
    for (const nlohmann::json& value : values) {
        missing.push_back(value.is_null());
        texts.push_back(value.is_null() ? std::string() : value.get<std::string>());
    }
    return data::Column::categoricalFromText(name, texts, missing);
}

/// The target of unsupervised steps: they ignore it.
inline const prep::TrainingTarget kNoTarget{};

/// The spec of a step kind with parameters and columns.
inline prep::StepSpec spec(const std::string& kind, std::map<std::string, std::string> params = {},
                           std::vector<std::string> columns = {})
{
    return {kind, true, std::move(columns), std::move(params)};
}

/// An unfitted transformer of a registered step kind, as the runner makes it.
inline std::unique_ptr<prep::Transformer> step(const std::string& kind, std::map<std::string, std::string> params = {},
                                               std::vector<std::string> columns = {})
{
    const prep::StepSpec s = spec(kind, std::move(params), columns);
    return prep::findStep(kind).makeTransformer(columns, prep::resolveStepParams(s));
}

/// `transformer` fitted on `train`.
inline std::unique_ptr<prep::Transformer> fitted(std::unique_ptr<prep::Transformer> transformer,
                                                 const data::Table& train,
                                                 const prep::TrainingTarget& target = kNoTarget)
{
    core::TaskControl control;
    transformer->fit(train, target, control);
    return transformer;
}

/// The bytes `save` writes.
inline std::string saved(const prep::Transformer& transformer)
{
    std::ostringstream out;
    {
        core::OutputArchive archive(out);
        transformer.save(archive);
    }
    return out.str();
}

/// A transformer of `kind` loaded from `bytes`.
inline std::unique_ptr<prep::Transformer> loaded(const std::string& kind, const std::string& bytes)
{
    auto transformer = prep::makeTransformerForLoading(kind);
    std::istringstream in(bytes);
    core::InputArchive archive(in);
    transformer->load(archive);
    return transformer;
}

/// Bitwise equality of two tables (NaN equal to NaN), column kinds included.
inline void compareTables(const data::Table& a, const data::Table& b)
{
    QCOMPARE(a.columnNames(), b.columnNames());
    for (std::size_t c = 0; c < a.columnCount(); ++c) {
        const data::Column& x = a.column(c);
        const data::Column& y = b.column(c);
        // By name: QCOMPARE on the enum would pick up the engine's toString overload.
        QCOMPARE(std::string(data::toString(x.kind())), std::string(data::toString(y.kind())));
        QCOMPARE(x.size(), y.size());
        for (std::size_t row = 0; row < x.size(); ++row) {
            if (x.isNumeric()) {
                const double u = x.values()[row], v = y.values()[row];
                QVERIFY(std::memcmp(&u, &v, sizeof u) == 0 || (std::isnan(u) && std::isnan(v)));
            } else {
                QCOMPARE(x.textAt(row), y.textAt(row));
            }
        }
    }
}

/// Fits `transformer` on `train`, saves and reloads it, and checks the copy transforms
/// `check` exactly as the original does.
inline void checkRoundTrip(prep::Transformer& transformer, const data::Table& train, const data::Table& check)
{
    core::TaskControl control;
    transformer.fit(train, kNoTarget, control);
    const auto copy = loaded(transformer.kind(), saved(transformer));
    QVERIFY(copy->isFitted());
    QCOMPARE(copy->kind(), transformer.kind());
    QCOMPARE(copy->describe(), transformer.describe());
    compareTables(copy->transform(check), transformer.transform(check));
}

/// The message of what `call` throws; empty when it does not throw.
inline std::string messageOf(const std::function<void()>& call)
{
    try {
        call();
    } catch (const std::exception& error) {
        return error.what();
    }
    return {};
}

inline bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

/// A categorical column from texts, nullptr for missing.
inline data::Column text(const std::string& name, const std::vector<const char*>& values)
{
    std::vector<std::string> texts;
    std::vector<bool> missing;
    for (const char* value : values) {
        missing.push_back(value == nullptr);
        texts.emplace_back(value ? value : "");
    }
    return data::Column::categoricalFromText(name, texts, missing);
}

} // namespace step_test
