#include "stepwise/serving/prediction_service.hpp"

#include <algorithm>
#include <array>
#include <atomic>
#include <cmath>
#include <limits>
#include <map>
#include <mutex>
#include <optional>
#include <unordered_map>
#include <utility>

#include <nlohmann/json.hpp>

#include "stepwise/core/errors.hpp"
#include "stepwise/core/task_type.hpp"
#include "stepwise/core/version.hpp"
#include "stepwise/data/column_kinds.hpp"
#include "stepwise/workflow/feature_drift.hpp"

namespace stepwise::serving {
namespace {

using Json = nlohmann::json;
using OrderedJson = nlohmann::ordered_json;

constexpr std::array<Endpoint, 5> kEndpoints = {Endpoint::Predict, Endpoint::Health, Endpoint::Schema,
                                                Endpoint::Metrics, Endpoint::Other};

const char* endpointLabel(Endpoint endpoint)
{
    switch (endpoint) {
    case Endpoint::Predict: return "/predict";
    case Endpoint::Health: return "/health";
    case Endpoint::Schema: return "/schema";
    case Endpoint::Metrics: return "/metrics";
    case Endpoint::Other: break;
    }
    return "other";
}

// Upper bounds of the latency histogram's buckets, in seconds: fine below a millisecond,
// where a served prediction should land, coarse above.
constexpr std::array<double, 16> kBuckets = {0.0001, 0.00025, 0.0005, 0.00075, 0.001, 0.0025, 0.005, 0.01,
                                             0.025,  0.05,    0.1,    0.25,    0.5,   1.0,    2.5,   10.0};
// Their `le` labels, written as people write them (not "1e-04").
constexpr std::array<const char*, kBuckets.size()> kBucketLabels = {
    "0.0001", "0.00025", "0.0005", "0.00075", "0.001", "0.0025", "0.005", "0.01",
    "0.025",  "0.05",    "0.1",    "0.25",    "0.5",   "1",      "2.5",   "10"};

// Prometheus label values escape backslash, double quote and newline.
std::string labelValue(std::string_view text)
{
    std::string escaped;
    escaped.reserve(text.size());
    for (char c : text) {
        if (c == '\\')
            escaped += "\\\\";
        else if (c == '"')
            escaped += "\\\"";
        else if (c == '\n')
            escaped += "\\n";
        else
            escaped += c;
    }
    return escaped;
}

// Prometheus sample values: Go's float formatting accepts the shortest round-trip text.
std::string sampleValue(double value)
{
    if (std::isnan(value))
        return "NaN";
    if (std::isinf(value))
        return value > 0 ? "+Inf" : "-Inf";
    return data::formatNumber(value);
}

// A JSON value as a short quotation for an error message.
std::string quoted(const Json& value)
{
    std::string text = value.dump(-1, ' ', false, Json::error_handler_t::replace);
    if (text.size() > 60) {
        text.resize(57);
        text += "...";
    }
    return text;
}

const char* jsonTypeName(const Json& value)
{
    if (value.is_string())
        return "text";
    if (value.is_boolean())
        return "a boolean";
    if (value.is_number())
        return "a number";
    if (value.is_array())
        return "a list";
    if (value.is_object())
        return "an object";
    return "null";
}

// A request problem, answered with its status code.
struct RequestError {
    int status;
    std::string message;
};

std::string cellPlace(std::size_t row, const std::string& column)
{
    std::string place = "row ";
    place.append(std::to_string(row)).append(", column '").append(column).append("'");
    return place;
}

[[noreturn]] void wrongType(std::size_t row, const workflow::InputColumn& input, const Json& value,
                            const char* expected)
{
    std::string message = cellPlace(row, input.name);
    message.append(": expected ").append(expected).append(" (the column is ").append(data::toString(input.kind));
    message.append("), got ").append(jsonTypeName(value)).append(" ").append(quoted(value));
    throw RequestError{400, message};
}

double numericCell(std::size_t row, const workflow::InputColumn& input, const Json& value)
{
    if (value.is_null())
        return std::numeric_limits<double>::quiet_NaN();
    if (value.is_number())
        return value.get<double>();
    switch (input.kind) {
    case data::ColumnKind::Boolean:
        if (value.is_boolean())
            return value.get<bool>() ? 1.0 : 0.0;
        if (value.is_string())
            if (const auto parsed = data::parseBoolean(value.get_ref<const std::string&>()))
                return *parsed ? 1.0 : 0.0;
        wrongType(row, input, value, "true, false, 0, 1 or null");
    case data::ColumnKind::Datetime:
        if (value.is_string())
            if (const auto parsed = data::parseDatetime(value.get_ref<const std::string&>()))
                return *parsed;
        wrongType(row, input, value, "an ISO 8601 date text, seconds since 1970, or null");
    default:
        wrongType(row, input, value, "a number or null");
    }
}

// The text a categorical input sees for a cell; nothing for null.
std::optional<std::string> categoryCell(std::size_t row, const workflow::InputColumn& input, const Json& value)
{
    if (value.is_null())
        return std::nullopt;
    if (value.is_string())
        return value.get<std::string>();
    if (value.is_boolean())
        return std::string(value.get<bool>() ? "True" : "False");
    if (value.is_number())
        return data::formatNumber(value.get<double>());
    wrongType(row, input, value, "text, a number, a boolean or null");
}

std::string columnList(const std::vector<workflow::InputColumn>& inputs)
{
    std::string list;
    for (const auto& input : inputs) {
        if (!list.empty())
            list += ", ";
        list += input.name;
    }
    return list;
}

// The request's rows as a table of the pipeline's input columns, in their training kinds.
data::Table requestTable(const Json& request, const std::vector<workflow::InputColumn>& inputs, std::size_t maxRows)
{
    if (!request.is_object())
        throw RequestError{400, std::string("the body must be a JSON object {\"rows\": [...]}, got ") +
                                    jsonTypeName(request)};
    const auto rowsIt = request.find("rows");
    if (rowsIt == request.end())
        throw RequestError{400, "the body has no \"rows\" — send {\"rows\": [{\"column\": value, ...}, ...]}"};
    const Json& rows = *rowsIt;
    if (!rows.is_array())
        throw RequestError{400, std::string("\"rows\" must be a list of row objects, got ") + jsonTypeName(rows)};
    if (rows.empty())
        throw RequestError{400, "\"rows\" is empty — send at least one row"};
    if (rows.size() > maxRows)
        throw RequestError{413, "the request has " + std::to_string(rows.size()) + " rows, more than the " +
                                    std::to_string(maxRows) + " this server accepts — send them in smaller batches"};

    const std::size_t rowCount = rows.size();
    const std::size_t columnCount = inputs.size();
    std::vector<const Json*> cells(rowCount * columnCount);
    for (std::size_t r = 0; r < rowCount; ++r) {
        const Json& row = rows[r];
        if (!row.is_object())
            throw RequestError{400, "row " + std::to_string(r) + " must be an object {\"column\": value, ...}, got " +
                                        jsonTypeName(row)};
        std::size_t found = 0;
        for (std::size_t c = 0; c < columnCount; ++c) {
            const auto cell = row.find(inputs[c].name);
            if (cell != row.end()) {
                cells[r * columnCount + c] = &*cell;
                ++found;
            }
        }
        // An unknown key first: it is usually the misspelling of the one that is absent.
        if (found < row.size())
            for (const auto& item : row.items())
                if (std::none_of(inputs.begin(), inputs.end(),
                                 [&](const workflow::InputColumn& input) { return input.name == item.key(); }))
                    throw RequestError{422, "row " + std::to_string(r) + " has the column '" + item.key() +
                                                "', which the model does not use — its columns are: " +
                                                columnList(inputs)};
        if (found < columnCount)
            for (std::size_t c = 0; c < columnCount; ++c)
                if (!cells[r * columnCount + c])
                    throw RequestError{422, "row " + std::to_string(r) + " has no column '" + inputs[c].name +
                                                "' — every input column is required (null for a missing value)"};
    }

    data::Table table;
    for (std::size_t c = 0; c < columnCount; ++c) {
        const workflow::InputColumn& input = inputs[c];
        if (data::storageOf(input.kind) == data::ColumnType::Numeric) {
            std::vector<double> values(rowCount);
            for (std::size_t r = 0; r < rowCount; ++r)
                values[r] = numericCell(r, input, *cells[r * columnCount + c]);
            table.addColumn(data::Column::numeric(input.name, std::move(values), input.kind));
        } else {
            std::vector<std::int32_t> codes(rowCount, data::Column::kMissingCode);
            std::vector<std::string> levels;
            std::unordered_map<std::string, std::int32_t> codeOf;
            for (std::size_t r = 0; r < rowCount; ++r) {
                std::optional<std::string> text = categoryCell(r, input, *cells[r * columnCount + c]);
                if (!text)
                    continue;
                const auto [it, inserted] = codeOf.try_emplace(*text, static_cast<std::int32_t>(levels.size()));
                if (inserted)
                    levels.push_back(std::move(*text));
                codes[r] = it->second;
            }
            table.addColumn(data::Column::categorical(input.name, std::move(codes), std::move(levels), input.kind));
        }
    }
    return table;
}

} // namespace

Endpoint endpointOf(std::string_view path)
{
    for (Endpoint endpoint : kEndpoints)
        if (endpoint != Endpoint::Other && path == endpointLabel(endpoint))
            return endpoint;
    return Endpoint::Other;
}

// Per input column: its training bins (when the model file has them) and how many served
// values fell in each, and how many were missing. Counted with atomics: predictions on
// many threads never wait for each other here.
struct PredictionService::Drift {
    struct Feature {
        std::string name;
        std::optional<workflow::DistributionBins> bins;
        std::vector<double> expected;
        std::unique_ptr<std::atomic<std::uint64_t>[]> counts;
        std::atomic<std::uint64_t> missing{0};
    };
    std::vector<std::unique_ptr<Feature>> features;
    std::atomic<std::uint64_t> rows{0};
};

// Request counts and latencies. One mutex: a request holds it for a few increments, far
// less than the prediction itself, and /metrics then reads one consistent snapshot.
struct PredictionService::Traffic {
    struct Histogram {
        std::array<std::uint64_t, kBuckets.size() + 1> buckets{};  // not cumulative; last = above every bound
        double sum = 0.0;
        std::uint64_t count = 0;
    };
    mutable std::mutex mutex;
    std::map<std::pair<Endpoint, int>, std::uint64_t> requests;
    std::array<Histogram, kEndpoints.size()> latency{};
    std::uint64_t total = 0;
    std::uint64_t errors = 0;
    std::atomic<std::uint64_t> predictedRows{0};
};

PredictionService::PredictionService(std::shared_ptr<const workflow::FittedPipeline> pipeline, std::string modelName,
                                     std::size_t maxRows)
    : m_pipeline(std::move(pipeline)), m_modelName(std::move(modelName)), m_maxRows(maxRows),
      m_drift(std::make_unique<Drift>()), m_traffic(std::make_unique<Traffic>())
{
    if (!m_pipeline)
        throw core::InvalidParameter("PredictionService: no pipeline to serve — load a model first");
    if (m_maxRows == 0)
        throw core::InvalidParameter("maxRows is 0 — allowed: 1 or more rows per request");
    const workflow::PipelineMetadata& metadata = m_pipeline->metadata();

    for (const workflow::InputColumn& input : m_pipeline->inputColumns()) {
        auto feature = std::make_unique<Drift::Feature>();
        feature->name = input.name;
        const auto distribution =
            std::find_if(metadata.trainingDistribution.begin(), metadata.trainingDistribution.end(),
                         [&](const workflow::FeatureDistribution& d) { return d.column == input.name; });
        if (distribution != metadata.trainingDistribution.end()) {
            workflow::DistributionBins bins(*distribution);
            const bool categorical = data::storageOf(input.kind) == data::ColumnType::Categorical;
            // A distribution that does not fit the column (a damaged file) is left out
            // rather than reported as drift.
            if (bins.size() == distribution->fractions.size() &&
                (bins.categorical() == categorical ||
                 (distribution->categories.empty() && distribution->binEdges.empty()))) {
                feature->expected = distribution->fractions;
                feature->counts = std::make_unique<std::atomic<std::uint64_t>[]>(bins.size());
                feature->bins.emplace(std::move(bins));
            }
        }
        m_drift->features.push_back(std::move(feature));
    }

    OrderedJson health;
    health["status"] = "ok";
    health["model"] = m_modelName;
    health["stepwise_version"] = core::kVersion;
    health["task"] = core::toString(m_pipeline->task());
    health["target"] = m_pipeline->target();
    health["classes"] = m_pipeline->classes();
    health["created"] = metadata.createdUtc;
    health["trained_with"] = metadata.stepwiseVersion;
    health["training_rows"] = metadata.trainingRows;
    m_healthBody = health.dump();

    OrderedJson schema;
    schema["task"] = core::toString(m_pipeline->task());
    schema["target"] = m_pipeline->target();
    schema["classes"] = m_pipeline->classes();
    OrderedJson columns = OrderedJson::array();
    for (const workflow::InputColumn& input : m_pipeline->inputColumns()) {
        OrderedJson column;
        column["name"] = input.name;
        column["type"] = data::toString(input.kind);
        if (data::storageOf(input.kind) == data::ColumnType::Categorical)
            column["categories"] = input.levels;
        const auto distribution =
            std::find_if(metadata.trainingDistribution.begin(), metadata.trainingDistribution.end(),
                         [&](const workflow::FeatureDistribution& d) { return d.column == input.name; });
        if (distribution != metadata.trainingDistribution.end()) {
            OrderedJson training;
            if (distribution->categories.empty())
                training["bin_edges"] = distribution->binEdges;
            training["fractions"] = distribution->fractions;
            column["training_distribution"] = std::move(training);
        }
        columns.push_back(std::move(column));
    }
    schema["columns"] = std::move(columns);
    m_schemaBody = schema.dump();
}

PredictionService::~PredictionService() = default;

Reply PredictionService::error(int status, std::string_view message)
{
    Json body;
    body["error"] = std::string(message);
    return Reply{status, body.dump(-1, ' ', false, Json::error_handler_t::replace), "application/json"};
}

Reply PredictionService::predict(std::string_view body)
{
    const workflow::FittedPipeline& pipeline = *m_pipeline;
    data::Table table;
    try {
        const Json request = Json::parse(body.begin(), body.end());
        table = requestTable(request, pipeline.inputColumns(), m_maxRows);
    } catch (const Json::parse_error& e) {
        // nlohmann's message names the byte and what it expected there.
        std::string message = "the body is not valid JSON: ";
        const std::string what = e.what();
        const auto detail = what.find("parse error");
        message += detail == std::string::npos ? what : what.substr(detail);
        return error(400, message);
    } catch (const Json::exception& e) {
        // Numbers beyond a double's range, say.
        return error(400, std::string("the body is not usable JSON: ") + e.what());
    } catch (const RequestError& e) {
        return error(e.status, e.message);
    } catch (const core::DataError& e) {
        return error(422, e.what());
    }

    workflow::Predictions predictions;
    try {
        predictions = pipeline.predict(table);
    } catch (const core::DataError& e) {
        return error(422, e.what());
    } catch (const std::exception& e) {
        return error(500, std::string("the prediction failed: ") + e.what());
    }
    countRows(table);

    OrderedJson answer;
    OrderedJson& values = answer["predictions"] = OrderedJson::array();
    const std::size_t rows = predictions.size();
    if (predictions.task == core::TaskType::Classification) {
        for (std::size_t i = 0; i < rows; ++i)
            values.push_back(pipeline.classes()[static_cast<std::size_t>(predictions.classIndex[i])]);
        if (predictions.proba.size() > 0) {
            OrderedJson& probabilities = answer["probabilities"] = OrderedJson::array();
            for (std::size_t i = 0; i < rows; ++i) {
                OrderedJson row = OrderedJson::object();
                for (Eigen::Index c = 0; c < predictions.proba.cols(); ++c)
                    row[pipeline.classes()[static_cast<std::size_t>(c)]] =
                        predictions.proba(static_cast<Eigen::Index>(i), c);
                probabilities.push_back(std::move(row));
            }
        }
    } else {
        for (std::size_t i = 0; i < rows; ++i)
            values.push_back(predictions.values(static_cast<Eigen::Index>(i)));
    }
    m_traffic->predictedRows.fetch_add(rows, std::memory_order_relaxed);
    return Reply{200, answer.dump(-1, ' ', false, OrderedJson::error_handler_t::replace), "application/json"};
}

void PredictionService::countRows(const data::Table& table)
{
    for (std::size_t c = 0; c < m_drift->features.size(); ++c) {
        Drift::Feature& feature = *m_drift->features[c];
        const data::Column& column = table.column(c);
        feature.missing.fetch_add(column.missingCount(), std::memory_order_relaxed);
        if (!feature.bins)
            continue;
        const std::vector<std::uint64_t> counts = feature.bins->counts(column);
        for (std::size_t bin = 0; bin < counts.size(); ++bin)
            if (counts[bin] != 0)
                feature.counts[bin].fetch_add(counts[bin], std::memory_order_relaxed);
    }
    m_drift->rows.fetch_add(table.rowCount(), std::memory_order_relaxed);
}

Reply PredictionService::health() const { return Reply{200, m_healthBody, "application/json"}; }

Reply PredictionService::schema() const { return Reply{200, m_schemaBody, "application/json"}; }

void PredictionService::record(Endpoint endpoint, int status, double seconds)
{
    const auto bucket = static_cast<std::size_t>(
        std::lower_bound(kBuckets.begin(), kBuckets.end(), seconds) - kBuckets.begin());
    const std::lock_guard lock(m_traffic->mutex);
    ++m_traffic->requests[{endpoint, status}];
    ++m_traffic->total;
    if (status >= 400)
        ++m_traffic->errors;
    Traffic::Histogram& histogram = m_traffic->latency[static_cast<std::size_t>(endpoint)];
    ++histogram.buckets[bucket];
    histogram.sum += seconds;
    ++histogram.count;
}

ServerCounters PredictionService::counters() const
{
    ServerCounters counters;
    {
        const std::lock_guard lock(m_traffic->mutex);
        counters.requests = m_traffic->total;
        counters.errors = m_traffic->errors;
    }
    counters.predictedRows = m_traffic->predictedRows.load(std::memory_order_relaxed);
    return counters;
}

Reply PredictionService::metrics() const
{
    std::string out;
    out.reserve(4096);
    const auto line = [&out](std::string_view name, std::string_view labels, std::string_view value) {
        out.append(name);
        if (!labels.empty())
            out.append("{").append(labels).append("}");
        out.append(" ").append(value).append("\n");
    };
    const auto header = [&out](std::string_view name, std::string_view type, std::string_view help) {
        out.append("# HELP ").append(name).append(" ").append(help).append("\n");
        out.append("# TYPE ").append(name).append(" ").append(type).append("\n");
    };
    {
        const std::lock_guard lock(m_traffic->mutex);
        header("stepwise_requests_total", "counter", "Requests answered, by endpoint and HTTP status code.");
        for (const auto& [key, count] : m_traffic->requests) {
            std::string labels = "endpoint=\"";
            labels.append(endpointLabel(key.first)).append("\",code=\"").append(std::to_string(key.second)).append("\"");
            line("stepwise_requests_total", labels, std::to_string(count));
        }
        header("stepwise_errors_total", "counter", "Requests answered with a 4xx or 5xx status.");
        line("stepwise_errors_total", "", std::to_string(m_traffic->errors));
        header("stepwise_request_duration_seconds", "histogram",
               "Time from a request's headers read to its answer written, by endpoint.");
        for (Endpoint endpoint : kEndpoints) {
            const Traffic::Histogram& histogram = m_traffic->latency[static_cast<std::size_t>(endpoint)];
            const std::string endpointLabelText = std::string("endpoint=\"") + endpointLabel(endpoint) + "\"";
            std::uint64_t cumulative = 0;
            for (std::size_t b = 0; b <= kBuckets.size(); ++b) {
                cumulative += histogram.buckets[b];
                std::string labels = endpointLabelText;
                labels.append(",le=\"").append(b < kBuckets.size() ? kBucketLabels[b] : "+Inf").append("\"");
                line("stepwise_request_duration_seconds_bucket", labels, std::to_string(cumulative));
            }
            line("stepwise_request_duration_seconds_sum", endpointLabelText, sampleValue(histogram.sum));
            line("stepwise_request_duration_seconds_count", endpointLabelText, std::to_string(histogram.count));
        }
    }
    header("stepwise_predicted_rows_total", "counter", "Rows predicted.");
    line("stepwise_predicted_rows_total", "",
         std::to_string(m_traffic->predictedRows.load(std::memory_order_relaxed)));

    const std::uint64_t rows = m_drift->rows.load(std::memory_order_relaxed);
    header("stepwise_feature_drift_psi", "gauge",
           "Population stability index of every row predicted since the server started against the training rows "
           "(numeric columns: training deciles; categorical: training categories, unseen values; both: missing "
           "values); 0 before the first row. Below 0.1 stable, above 0.25 a significant shift.");
    for (const auto& feature : m_drift->features) {
        if (!feature->bins)
            continue;
        double psi = 0.0;
        if (rows > 0) {
            std::vector<std::uint64_t> counts(feature->bins->size());
            for (std::size_t bin = 0; bin < counts.size(); ++bin)
                counts[bin] = feature->counts[bin].load(std::memory_order_relaxed);
            psi = workflow::populationStabilityIndex(feature->expected, workflow::sharesOf(counts));
        }
        line("stepwise_feature_drift_psi", "feature=\"" + labelValue(feature->name) + "\"", sampleValue(psi));
    }
    header("stepwise_feature_missing_ratio", "gauge",
           "Share of missing values among the rows predicted since the server started; 0 before the first row.");
    for (const auto& feature : m_drift->features) {
        const double ratio =
            rows > 0 ? static_cast<double>(feature->missing.load(std::memory_order_relaxed)) / static_cast<double>(rows)
                     : 0.0;
        line("stepwise_feature_missing_ratio", "feature=\"" + labelValue(feature->name) + "\"", sampleValue(ratio));
    }
    return Reply{200, std::move(out), "text/plain; version=0.0.4; charset=utf-8"};
}

} // namespace stepwise::serving
