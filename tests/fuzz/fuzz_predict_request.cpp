// libFuzzer target: bodies of POST /predict through the prediction server's request
// handling. Every input must get an answer — 200 or a 4xx with a JSON error — never an
// exception, a crash or a sanitizer report; /metrics must stay readable after it.
#include <cstdlib>
#include <memory>
#include <string_view>

#include <nlohmann/json.hpp>

#include "fuzz_target.hpp"
#include "stepwise/data/data_source.hpp"
#include "stepwise/serving/prediction_service.hpp"
#include "stepwise/workflow/runner.hpp"

namespace {

// A small titanic pipeline with every input kind (integer, numeric, boolean,
// categorical), its imputer and encoder; trained once per process.
stepwise::serving::PredictionService& service()
{
    using namespace stepwise;
    static const std::unique_ptr<serving::PredictionService> instance = [] {
        workflow::Recipe recipe;
        recipe.problem.target = "survived";
        recipe.data = data::parseDataLocation("builtin:titanic");
        recipe.prep.dropColumns = {"alive"};
        recipe.prep.steps = {{"impute", true, {}, {{"numeric", "median"}}}};
        recipe.model.name = "random_forest";
        recipe.model.params = {{"n_estimators", "5"}, {"max_depth", "4"}};
        recipe.seed = 1;
        const data::Table table = data::loadTable(recipe.data);
        core::TaskControl control;
        return std::make_unique<serving::PredictionService>(workflow::runRecipe(recipe, table, nullptr, control).pipeline,
                                                            "fuzz", 64);
    }();
    return *instance;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    using namespace stepwise;
    serving::PredictionService& served = service();
    const serving::Reply reply = served.predict(std::string_view(reinterpret_cast<const char*>(data), size));
    const bool known = reply.status == 200 || reply.status == 400 || reply.status == 413 || reply.status == 422;
    const auto answer = nlohmann::json::parse(reply.body, nullptr, false);
    if (!known || answer.is_discarded() || (reply.status != 200 && !answer.contains("error")))
        std::abort();
    served.record(serving::Endpoint::Predict, reply.status, 0.0);
    if (served.metrics().body.empty())
        std::abort();
    return 0;
}
