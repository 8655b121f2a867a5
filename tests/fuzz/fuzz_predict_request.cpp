// libFuzzer target: the prediction server's request handling, two ways by the first byte:
//  - an upper-case letter (a method: "POST /predict HTTP/1.1…"): the raw bytes of one
//    kept-alive connection, one or more requests, through the server's own routes,
//    bearer-token check, body limits and error answers (PredictionServer::
//    answerConnection, no socket). Every answer must be a well-formed HTTP/1.1 response
//    with a status below 500 (a 500 is an exception escaping a handler);
//  - anything else: a body of POST /predict through the prediction service. Every body
//    must get an answer — 200 or a 4xx with a JSON error — never an exception, a crash or
//    a sanitizer report; /metrics must stay readable after it.
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "fuzz_target.hpp"
#include "stepwise/data/data_source.hpp"
#include "stepwise/serving/prediction_server.hpp"
#include "stepwise/serving/prediction_service.hpp"
#include "stepwise/workflow/runner.hpp"

namespace {

// A small titanic pipeline with every input kind (integer, numeric, boolean,
// categorical), its imputer and encoder; trained once per process.
std::shared_ptr<const stepwise::workflow::FittedPipeline> pipeline()
{
    using namespace stepwise;
    static const std::shared_ptr<const workflow::FittedPipeline> instance = [] {
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
        return std::shared_ptr<const workflow::FittedPipeline>(workflow::runRecipe(recipe, table, nullptr, control).pipeline);
    }();
    return instance;
}

stepwise::serving::PredictionService& service()
{
    static const auto instance = std::make_unique<stepwise::serving::PredictionService>(pipeline(), "fuzz", 64);
    return *instance;
}

// A token and small limits, so that short inputs reach the 401, 413 and row-limit paths.
stepwise::serving::PredictionServer& server()
{
    static const auto instance = [] {
        stepwise::serving::ServerOptions options;
        options.modelName = "fuzz";
        options.bearerToken = "fuzz-token";
        options.maxBodyBytes = 2048;
        options.maxRows = 16;
        return std::make_unique<stepwise::serving::PredictionServer>(pipeline(), options);
    }();
    return *instance;
}

// Walks the answers of one connection: each a status line "HTTP/1.1 NNN", headers, and
// Content-Length bytes of body (none after a HEAD request, whose answer has none).
void checkAnswers(const std::string& answers)
{
    std::size_t at = 0;
    while (at < answers.size()) {
        if (answers.compare(at, 9, "HTTP/1.1 ") != 0 || answers.size() < at + 12)
            std::abort();
        const int status = std::atoi(answers.substr(at + 9, 3).c_str());
        if (status < 100 || status >= 500)
            std::abort();
        const std::size_t headersEnd = answers.find("\r\n\r\n", at);
        if (headersEnd == std::string::npos)
            std::abort();
        std::size_t length = 0;
        const std::size_t field = answers.find("\r\nContent-Length: ", at);
        if (field != std::string::npos && field < headersEnd)
            length = std::strtoull(answers.c_str() + field + 18, nullptr, 10);
        const std::size_t next = headersEnd + 4 + length;
        at = next <= answers.size() && answers.compare(next, 9, "HTTP/1.1 ") == 0 ? next
             : next == answers.size()                                             ? next
                                                                                  : headersEnd + 4;
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    using namespace stepwise;
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    if (size > 0 && data[0] >= 'A' && data[0] <= 'Z') {
        checkAnswers(server().answerConnection(input));
        return 0;
    }
    serving::PredictionService& served = service();
    const serving::Reply reply = served.predict(input);
    const bool known = reply.status == 200 || reply.status == 400 || reply.status == 413 || reply.status == 422;
    const auto answer = nlohmann::json::parse(reply.body, nullptr, false);
    if (!known || answer.is_discarded() || (reply.status != 200 && !answer.contains("error")))
        std::abort();
    served.record(serving::Endpoint::Predict, reply.status, 0.0);
    if (served.metrics().body.empty())
        std::abort();
    return 0;
}
