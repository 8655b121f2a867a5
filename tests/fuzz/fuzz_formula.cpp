// libFuzzer target: the formula step's expression language. The input is the expression
// text. It goes through checkExpression (the editor's check) and through the step itself
// — factory, fit, transform, save and load — over rows with awkward values (0, negatives,
// missing, ±inf, the largest and smallest doubles), so the parser, its length and nesting
// limits and the evaluator are all reached. Beyond "no crash" it checks that the editor's
// verdict and the step agree, that results are finite or missing, and that a loaded step
// computes bit for bit what the saved one did.
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <sstream>
#include <string>

#include "stepwise/core/input_archive.hpp"
#include <boost/archive/binary_oarchive.hpp>

#include "fuzz_target.hpp"
#include "stepwise/features/expression_check.hpp"
#include "stepwise/prep/step.hpp"
#include "stepwise/prep/transformers.hpp"

namespace {

using namespace stepwise;

const data::Table& rows()
{
    static const data::Table table = [] {
        constexpr double inf = std::numeric_limits<double>::infinity();
        constexpr double nan = std::numeric_limits<double>::quiet_NaN();
        constexpr double big = std::numeric_limits<double>::max();
        constexpr double tiny = std::numeric_limits<double>::denorm_min();
        data::Table t;
        t.addColumn(data::Column::numeric("a", {0.0, -1.0, 2.5, nan, inf, big, tiny, -0.0}));
        t.addColumn(data::Column::numeric("b", {1.0, 0.0, -3.0, 4.0, -inf, -big, 1e-300, nan}));
        t.addColumn(data::Column::numeric("sib sp", {1, 0, 1, 0, 1, 0, 1, 0}, data::ColumnKind::Boolean));
        t.addColumn(data::Column::numeric("log", {3, 1, 4, 1, 5, 9, 2, 6}, data::ColumnKind::Integer));
        t.addColumn(data::Column::categoricalFromText("sex", {"m", "f", "m", "f", "m", "f", "m", "f"},
                                                      std::vector<bool>(8, false)));
        return t;
    }();
    return table;
}

std::size_t characters(const std::string& text)
{
    std::size_t count = 0;
    for (char c : text)
        if ((static_cast<unsigned char>(c) & 0xC0) != 0x80)
            ++count;
    return count;
}

void require(bool condition, const char* what)
{
    if (!condition) {
        std::fprintf(stderr, "fuzz_formula: %s\n", what);
        std::abort();
    }
}

// Fits the step on the rows and checks its output; returns the new column.
std::vector<double> runStep(const std::string& text, std::unique_ptr<prep::Transformer>& step)
{
    const prep::StepSpec spec{"formula", true, {}, {{"name", "f"}, {"expression", text}}};
    step = prep::findStep("formula").makeTransformer({}, prep::resolveStepParams(spec));
    core::TaskControl control;
    step->fit(rows(), {}, control);
    const data::Table out = step->transform(rows());
    std::vector<double> values = out.column("f").values();
    require(values.size() == rows().rowCount(), "wrong number of rows");
    for (double value : values)
        require(std::isnan(value) || std::isfinite(value), "an infinite value escaped");
    require(!step->describe().empty(), "empty description");
    return values;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const std::string text(reinterpret_cast<const char*>(data), size);
    const features::ExpressionCheck check =
        features::checkExpression(text, {"a", "b", "sib sp", "log"});
    require(check.ok == check.message.empty(), "ok and message disagree");
    require(check.position <= characters(text), "position beyond the text");

    std::unique_ptr<prep::Transformer> step;
    if (!check.ok) {
        // The editor said no: the step must refuse too, with a Stepwise error.
        bool refused = false;
        try {
            runStep(text, step);
        } catch (const core::Error&) {
            refused = true;
        }
        require(refused, "checkExpression rejected a formula the step accepted");
        return 0;
    }
    // The editor said yes: the step must run, and survive a save/load round trip.
    const std::vector<double> values = runStep(text, step);
    std::ostringstream out;
    {
        core::OutputArchive archive(out);
        step->save(archive);
    }
    auto copy = prep::makeTransformerForLoading(step->kind());
    std::istringstream in(out.str());
    core::InputArchive archive(in);
    copy->load(archive);
    const std::vector<double> again = copy->transform(rows()).column("f").values();
    require(again.size() == values.size(), "loaded step gives another row count");
    for (std::size_t i = 0; i < values.size(); ++i)
        require(std::memcmp(&values[i], &again[i], sizeof(double)) == 0 || (std::isnan(values[i]) && std::isnan(again[i])),
                "loaded step computes another value");
    return 0;
}
