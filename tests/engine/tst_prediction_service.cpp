// The prediction server's request handling without HTTP: answers equal the pipeline's
// own predictions, every bad request gets its 4xx and a JSON error naming what is wrong,
// and /metrics counts requests, latency and drift.
#include <QtTest>

#include <cmath>
#include <map>
#include <sstream>
#include <thread>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include "stepwise/core/errors.hpp"
#include "stepwise/data/builtin_datasets.hpp"
#include "stepwise/data/data_source.hpp"
#include "stepwise/serving/prediction_service.hpp"
#include "stepwise/workflow/runner.hpp"

using namespace stepwise;
using Json = nlohmann::json;

namespace {

std::shared_ptr<const workflow::FittedPipeline> train(const std::string& dataset, const std::string& target,
                                                      const std::string& model, std::vector<std::string> drop = {})
{
    workflow::Recipe recipe;
    recipe.problem.target = target;
    recipe.problem.task = model == "ridge" ? core::TaskType::Regression : core::TaskType::Classification;
    recipe.data = data::parseDataLocation("builtin:" + dataset);
    recipe.prep.dropColumns = std::move(drop);
    recipe.prep.steps = {{"impute", true, {}, {{"numeric", "median"}}}};
    recipe.model.name = model;
    if (model == "random_forest")
        recipe.model.params = {{"n_estimators", "15"}};
    recipe.seed = 7;
    const data::Table table = data::loadTable(recipe.data);
    core::TaskControl control;
    return workflow::runRecipe(recipe, table, nullptr, control).pipeline;
}

const std::shared_ptr<const workflow::FittedPipeline>& titanicForest()
{
    static const auto pipeline = train("titanic", "survived", "random_forest", {"alive"});
    return pipeline;
}

// One row of `table` as the JSON a client sends: the pipeline's input columns only.
Json rowJson(const workflow::FittedPipeline& pipeline, const data::Table& table, std::size_t row)
{
    Json json = Json::object();
    for (const auto& input : pipeline.inputColumns()) {
        const data::Column& column = table.column(input.name);
        if (column.isMissing(row))
            json[input.name] = nullptr;
        else if (column.isCategorical())
            json[input.name] = column.levels()[static_cast<std::size_t>(column.codes()[row])];
        else if (column.kind() == data::ColumnKind::Boolean)
            json[input.name] = column.values()[row] != 0.0;
        else
            json[input.name] = column.values()[row];
    }
    return json;
}

std::string requestFor(const workflow::FittedPipeline& pipeline, const data::Table& table,
                       const std::vector<std::size_t>& rows)
{
    Json request;
    request["rows"] = Json::array();
    for (std::size_t row : rows)
        request["rows"].push_back(rowJson(pipeline, table, row));
    return request.dump();
}

// The value of the sample `name{labels}` in Prometheus text, or NaN when absent.
double sample(const std::string& text, const std::string& series)
{
    std::istringstream lines(text);
    std::string line;
    while (std::getline(lines, line))
        if (line.compare(0, series.size() + 1, series + " ") == 0)
            return std::stod(line.substr(series.size() + 1));
    return std::nan("");
}

void expectError(serving::PredictionService& service, const std::string& body, int status,
                 std::initializer_list<const char*> fragments)
{
    const serving::Reply reply = service.predict(body);
    QCOMPARE(reply.status, status);
    QCOMPARE(reply.contentType, std::string("application/json"));
    const Json error = Json::parse(reply.body);
    QVERIFY2(error.contains("error") && error.size() == 1, reply.body.c_str());
    const std::string message = error["error"].get<std::string>();
    for (const char* fragment : fragments)
        QVERIFY2(message.find(fragment) != std::string::npos, (message + " lacks " + fragment).c_str());
}

// One HTTP/1.1 exchange on a fresh connection to 127.0.0.1:port; the whole answer.
std::string exchange(int port, const std::string& request)
{
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<std::uint16_t>(port));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0) {
        ::close(fd);
        return {};
    }
    ::send(fd, request.data(), request.size(), 0);
    std::string answer;
    char buffer[4096];
    for (ssize_t n; (n = ::recv(fd, buffer, sizeof buffer, 0)) > 0;)
        answer.append(buffer, static_cast<std::size_t>(n));
    ::close(fd);
    return answer;
}

} // namespace

class TestPredictionService : public QObject {
    Q_OBJECT
private slots:
    void answersEqualThePipelinesPredictions()
    {
        const auto& pipeline = titanicForest();
        serving::PredictionService service(pipeline, "titanic.stepwise", 100);
        const data::Table table = data::loadBuiltinDataset("titanic");
        const std::vector<std::size_t> rows = {0, 1, 5, 17, 888};  // 5, 17 and 888 lack age; 888 lacks deck
        const serving::Reply reply = service.predict(requestFor(*pipeline, table, rows));
        QCOMPARE(reply.status, 200);
        const Json answer = Json::parse(reply.body);
        const workflow::Predictions expected = pipeline->predict(table.selectRows(rows));
        QCOMPARE(answer["predictions"].size(), rows.size());
        QCOMPARE(answer["probabilities"].size(), rows.size());
        for (std::size_t i = 0; i < rows.size(); ++i) {
            QCOMPARE(answer["predictions"][i].get<std::string>(),
                     pipeline->classes()[static_cast<std::size_t>(expected.classIndex[i])]);
            const Json& proba = answer["probabilities"][i];
            QCOMPARE(proba.size(), pipeline->classes().size());
            std::size_t c = 0;
            for (const auto& [label, p] : proba.items()) {  // in class order
                QCOMPARE(label, pipeline->classes()[c]);
                QCOMPARE(p.get<double>(), expected.proba(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(c)));
                ++c;
            }
        }
        QCOMPARE(service.counters().predictedRows, std::uint64_t(rows.size()));
    }

    void acceptsEveryWayOfWritingAValue()
    {
        const auto& pipeline = titanicForest();
        serving::PredictionService service(pipeline, "m", 10);
        const data::Table table = data::loadBuiltinDataset("titanic");
        Json row = rowJson(*pipeline, table, 0);
        row["adult_male"] = 1;           // a number for a boolean
        row["embarked"] = 3;             // a number for a category: never seen, still predicted
        row["deck"] = true;              // a boolean for a category
        row["age"] = nullptr;            // missing, imputed
        row["class"] = "Fourth";         // an unseen category
        Json request{{"rows", {row}}};
        const serving::Reply reply = service.predict(request.dump());
        QVERIFY2(reply.status == 200, reply.body.c_str());
        row["adult_male"] = "True";      // boolean text
        request = {{"rows", {row}}, {"ignored", 1}};
        QCOMPARE(service.predict(request.dump()).status, 200);
    }

    void badRequestsGetTheirStatusAndSayWhatIsWrong()
    {
        const auto& pipeline = titanicForest();
        serving::PredictionService service(pipeline, "m", 3);
        const data::Table table = data::loadBuiltinDataset("titanic");
        const Json good = rowJson(*pipeline, table, 0);

        expectError(service, "", 400, {"not valid JSON"});
        expectError(service, "{\"rows\": [", 400, {"not valid JSON"});
        expectError(service, "[1, 2]", 400, {"JSON object", "a list"});
        expectError(service, "{}", 400, {"no \"rows\""});
        expectError(service, "{\"rows\": {\"age\": 3}}", 400, {"must be a list"});
        expectError(service, "{\"rows\": []}", 400, {"empty"});
        expectError(service, "{\"rows\": [1]}", 400, {"row 0", "object"});
        expectError(service, Json{{"rows", {good, good, good, good}}}.dump(), 413, {"4 rows", "3"});

        Json wrong = good;
        wrong["age"] = "old";
        expectError(service, Json{{"rows", {good, wrong}}}.dump(), 400, {"row 1", "'age'", "number", "\"old\""});
        wrong = good;
        wrong["sex"] = Json::array({1});
        expectError(service, Json{{"rows", {wrong}}}.dump(), 400, {"row 0", "'sex'", "a list"});
        wrong = good;
        wrong["adult_male"] = "maybe";
        expectError(service, Json{{"rows", {wrong}}}.dump(), 400, {"'adult_male'", "true, false"});

        Json unknown = good;
        unknown["Age"] = 3;
        expectError(service, Json{{"rows", {unknown}}}.dump(), 422, {"row 0", "'Age'", "does not use"});
        Json absent = good;
        absent.erase("fare");
        expectError(service, Json{{"rows", {good, good, absent}}}.dump(), 422, {"row 2", "'fare'", "null"});
        Json renamed = absent;
        renamed["Fare"] = 7.25;
        expectError(service, Json{{"rows", {renamed}}}.dump(), 422, {"'Fare'"});  // the typo, not the gap
        expectError(service, "{\"rows\": [{\"sex\": \"\xff\"}]}", 400, {"not valid JSON"});  // not UTF-8
        expectError(service, "{\"rows\": [{\"age\": 1e999}]}", 400, {"JSON"});
    }

    void missingValuesWithoutAnImputerAre422()
    {
        workflow::Recipe recipe;
        recipe.problem.target = "survived";
        recipe.data = data::parseDataLocation("builtin:titanic");
        recipe.prep.dropColumns = {"alive", "deck"};
        recipe.prep.steps = {{"drop_missing_rows", true, {}, {}}};
        recipe.model.name = "logistic_regression";
        const data::Table table = data::loadTable(recipe.data);
        core::TaskControl control;
        const auto pipeline = workflow::runRecipe(recipe, table, nullptr, control).pipeline;
        serving::PredictionService service(pipeline, "m", 10);
        Json row = rowJson(*pipeline, table, 0);
        row["fare"] = nullptr;
        expectError(service, Json{{"rows", {row}}}.dump(), 422, {"fare"});
    }

    void regressionAnswersNumbersWithoutProbabilities()
    {
        const auto pipeline = train("diabetes", "target", "ridge");
        serving::PredictionService service(pipeline, "diabetes", 10);
        const data::Table table = data::loadBuiltinDataset("diabetes");
        const serving::Reply reply = service.predict(requestFor(*pipeline, table, {0, 1}));
        QVERIFY2(reply.status == 200, reply.body.c_str());
        const Json answer = Json::parse(reply.body);
        QVERIFY(!answer.contains("probabilities"));
        const workflow::Predictions expected = pipeline->predict(table.selectRows({0, 1}));
        QCOMPARE(answer["predictions"][0].get<double>(), expected.values(0));
        QCOMPARE(answer["predictions"][1].get<double>(), expected.values(1));
        const Json health = Json::parse(service.health().body);
        QCOMPARE(health["task"].get<std::string>(), std::string("regression"));
    }

    void healthAndSchemaDescribeTheModel()
    {
        const auto& pipeline = titanicForest();
        serving::PredictionService service(pipeline, "titanic.stepwise", 10);
        const Json health = Json::parse(service.health().body);
        QCOMPARE(health["status"].get<std::string>(), std::string("ok"));
        QCOMPARE(health["model"].get<std::string>(), std::string("titanic.stepwise"));
        QVERIFY(!health["stepwise_version"].get<std::string>().empty());
        QCOMPARE(health["classes"].get<std::vector<std::string>>(), pipeline->classes());
        QCOMPARE(health["created"].get<std::string>(), pipeline->metadata().createdUtc);

        const Json schema = Json::parse(service.schema().body);
        QCOMPARE(schema["target"].get<std::string>(), std::string("survived"));
        QCOMPARE(schema["columns"].size(), pipeline->inputColumns().size());
        for (std::size_t i = 0; i < pipeline->inputColumns().size(); ++i) {
            const auto& input = pipeline->inputColumns()[i];
            const Json& column = schema["columns"][i];
            QCOMPARE(column["name"].get<std::string>(), input.name);
            QCOMPARE(column["type"].get<std::string>(), std::string(data::toString(input.kind)));
            if (input.name == "sex")
                QCOMPARE(column["categories"].get<std::vector<std::string>>(), input.levels);
            QVERIFY(column.contains("training_distribution"));
        }
    }

    void metricsCountRequestsLatencyAndDrift()
    {
        const auto& pipeline = titanicForest();
        serving::PredictionService service(pipeline, "m", 2000);
        std::string text = service.metrics().body;
        QCOMPARE(service.metrics().contentType, std::string("text/plain; version=0.0.4; charset=utf-8"));
        QCOMPARE(sample(text, "stepwise_feature_drift_psi{feature=\"age\"}"), 0.0);
        QCOMPARE(sample(text, "stepwise_errors_total"), 0.0);

        service.record(serving::Endpoint::Predict, 200, 0.0003);
        service.record(serving::Endpoint::Predict, 200, 0.002);
        service.record(serving::Endpoint::Predict, 422, 0.0001);
        service.record(serving::endpointOf("/nope"), 404, 0.00001);
        text = service.metrics().body;
        QCOMPARE(sample(text, "stepwise_requests_total{endpoint=\"/predict\",code=\"200\"}"), 2.0);
        QCOMPARE(sample(text, "stepwise_requests_total{endpoint=\"/predict\",code=\"422\"}"), 1.0);
        QCOMPARE(sample(text, "stepwise_requests_total{endpoint=\"other\",code=\"404\"}"), 1.0);
        QCOMPARE(sample(text, "stepwise_errors_total"), 2.0);
        QCOMPARE(sample(text, "stepwise_request_duration_seconds_bucket{endpoint=\"/predict\",le=\"0.0001\"}"), 1.0);
        QCOMPARE(sample(text, "stepwise_request_duration_seconds_bucket{endpoint=\"/predict\",le=\"0.0005\"}"), 2.0);
        QCOMPARE(sample(text, "stepwise_request_duration_seconds_bucket{endpoint=\"/predict\",le=\"0.0025\"}"), 3.0);
        QCOMPARE(sample(text, "stepwise_request_duration_seconds_bucket{endpoint=\"/predict\",le=\"+Inf\"}"), 3.0);
        QCOMPARE(sample(text, "stepwise_request_duration_seconds_count{endpoint=\"/predict\"}"), 3.0);
        QVERIFY(std::abs(sample(text, "stepwise_request_duration_seconds_sum{endpoint=\"/predict\"}") - 0.0024) < 1e-12);
        const serving::ServerCounters counters = service.counters();
        QCOMPARE(counters.requests, std::uint64_t(4));
        QCOMPARE(counters.errors, std::uint64_t(2));

        // Every row of the data set: the training rows are 80 % of it, so little drift.
        const data::Table table = data::loadBuiltinDataset("titanic");
        std::vector<std::size_t> all(table.rowCount());
        for (std::size_t i = 0; i < all.size(); ++i)
            all[i] = i;
        QCOMPARE(service.predict(requestFor(*pipeline, table, all)).status, 200);
        text = service.metrics().body;
        QCOMPARE(sample(text, "stepwise_predicted_rows_total"), double(table.rowCount()));
        for (const auto& input : pipeline->inputColumns()) {
            const double psi = sample(text, "stepwise_feature_drift_psi{feature=\"" + input.name + "\"}");
            QVERIFY2(psi >= 0.0 && psi < 0.05, (input.name + " " + std::to_string(psi)).c_str());
        }
        QVERIFY(std::abs(sample(text, "stepwise_feature_missing_ratio{feature=\"age\"}") - 177.0 / 891.0) < 1e-12);
        QCOMPARE(sample(text, "stepwise_feature_missing_ratio{feature=\"sex\"}"), 0.0);

        // Then as many old, first-class passengers: age and fare drift, sex does not move much.
        Json request{{"rows", Json::array()}};
        for (std::size_t i = 0; i < all.size(); ++i) {
            Json row = rowJson(*pipeline, table, i);
            row["age"] = 70 + static_cast<double>(i % 10);
            request["rows"].push_back(std::move(row));
        }
        QCOMPARE(service.predict(request.dump()).status, 200);
        text = service.metrics().body;
        QVERIFY(sample(text, "stepwise_feature_drift_psi{feature=\"age\"}") > 0.25);
        QVERIFY(sample(text, "stepwise_feature_drift_psi{feature=\"sex\"}") < 0.05);
    }

    void servesFromManyThreadsAtOnce()
    {
        const auto& pipeline = titanicForest();
        serving::PredictionService service(pipeline, "m", 10);
        const data::Table table = data::loadBuiltinDataset("titanic");
        const std::string body = requestFor(*pipeline, table, {3, 4});
        const std::string expected = service.predict(body).body;
        std::vector<std::thread> threads;
        std::atomic<int> mismatches{0};
        for (int t = 0; t < 4; ++t)
            threads.emplace_back([&] {
                for (int i = 0; i < 100; ++i) {
                    if (service.predict(body).body != expected)
                        ++mismatches;
                    service.record(serving::Endpoint::Predict, 200, 0.0001);
                }
            });
        for (auto& thread : threads)
            thread.join();
        QCOMPARE(mismatches.load(), 0);
        QCOMPARE(service.counters().predictedRows, std::uint64_t(2 + 4 * 100 * 2));
        QCOMPARE(service.counters().requests, std::uint64_t(400));
    }

    void theServerListensAnswersAndStops()
    {
        serving::ServerOptions options;
        options.port = 0;
        options.threads = 2;
        options.modelName = "titanic";
        serving::PredictionServer server(titanicForest(), options);
        QVERIFY(!server.running());
        server.start();
        QVERIFY(server.running());
        QVERIFY(server.port() > 0);
        QCOMPARE(server.url(), "http://127.0.0.1:" + std::to_string(server.port()));
        const std::string health = exchange(server.port(), "GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        QVERIFY2(health.rfind("HTTP/1.1 200", 0) == 0, health.c_str());
        QVERIFY(health.find("\"model\":\"titanic\"") != std::string::npos);
        const std::string missing = exchange(server.port(), "GET /nope HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        QVERIFY2(missing.rfind("HTTP/1.1 404", 0) == 0, missing.c_str());
        // The count is taken after the answer is written: give it a moment.
        for (int i = 0; i < 200 && server.counters().requests < 2; ++i)
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
        QCOMPARE(server.counters().requests, std::uint64_t(2));
        QCOMPARE(server.counters().errors, std::uint64_t(1));

        // The port is taken now.
        serving::ServerOptions same = options;
        same.port = server.port();
        serving::PredictionServer second(titanicForest(), same);
        try {
            second.start();
            QFAIL("a second server started on a taken port");
        } catch (const core::Error& error) {
            QVERIFY2(std::string(error.what()).find("cannot listen on 127.0.0.1:" + std::to_string(server.port())) !=
                         std::string::npos, error.what());
        }

        std::thread stopper([&] { server.stop(); });
        server.wait();
        stopper.join();
        QVERIFY(!server.running());
        server.stop();  // twice is fine
        server.wait();
        QVERIFY(exchange(server.port(), "GET /health HTTP/1.1\r\n\r\n").empty());
    }

    void badServerOptionsAreRefused()
    {
        const auto refused = [](auto change) {
            serving::ServerOptions options;
            change(options);
            try {
                serving::PredictionServer server(titanicForest(), options);
            } catch (const core::InvalidParameter&) {
                return true;
            }
            return false;
        };
        QVERIFY(refused([](serving::ServerOptions& o) { o.port = 70000; }));
        QVERIFY(refused([](serving::ServerOptions& o) { o.port = -1; }));
        QVERIFY(refused([](serving::ServerOptions& o) { o.threads = -1; }));
        QVERIFY(refused([](serving::ServerOptions& o) { o.maxThreads = 2000; }));
        QVERIFY(refused([](serving::ServerOptions& o) { o.maxThreads = -1; }));
        QVERIFY(refused([](serving::ServerOptions& o) { o.threads = 9; o.maxThreads = 8; }));
        QVERIFY(refused([](serving::ServerOptions& o) { o.requestTimeoutSeconds = 0; }));
        QVERIFY(refused([](serving::ServerOptions& o) { o.requestTimeoutSeconds = std::nan(""); }));
        QVERIFY(!refused([](serving::ServerOptions& o) { o.threads = 8; o.maxThreads = 8; }));
        QVERIFY(refused([](serving::ServerOptions& o) { o.maxRows = 0; }));
        QVERIFY(refused([](serving::ServerOptions& o) { o.maxBodyBytes = 0; }));
        QVERIFY(refused([](serving::ServerOptions& o) { o.host.clear(); }));
        QVERIFY(refused([](serving::ServerOptions& o) { o.tlsCertificateFile = "cert.pem"; }));
        QVERIFY(refused([](serving::ServerOptions& o) { o.bearerToken = "two words"; }));
        QVERIFY(!refused([](serving::ServerOptions& o) { o.port = 0; }));
    }

    void refusesToServeNothing()
    {
        QVERIFY_THROWS_EXCEPTION(core::InvalidParameter, serving::PredictionService(nullptr, "m", 10));
        QVERIFY_THROWS_EXCEPTION(core::InvalidParameter, serving::PredictionService(titanicForest(), "m", 0));
        QCOMPARE(serving::endpointOf("/predict"), serving::Endpoint::Predict);
        QCOMPARE(serving::endpointOf("/predict/"), serving::Endpoint::Other);
    }
};

QTEST_GUILESS_MAIN(TestPredictionService)
#include "tst_prediction_service.moc"
