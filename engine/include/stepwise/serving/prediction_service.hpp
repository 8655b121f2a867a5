#pragma once
/// \file
/// \brief What the prediction server answers, without HTTP: request bodies in, status
/// codes and bodies out, plus the counters and drift statistics behind `/metrics`. The
/// server (prediction_server.hpp) only moves bytes to and from here, so every answer
/// can be unit-tested and fuzzed without a socket.

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

#include "stepwise/serving/prediction_server.hpp"
#include "stepwise/workflow/pipeline.hpp"

namespace stepwise::serving {

/// \brief One HTTP answer.
struct Reply {
    int status = 200;
    std::string body;
    std::string contentType = "application/json";
};

/// \brief The endpoints `/metrics` counts separately; anything else is counted as
/// "other", so a scanner's random paths cannot grow the label set.
enum class Endpoint { Predict, Health, Schema, Metrics, Other };

/// \brief The endpoint of a request path.
Endpoint endpointOf(std::string_view path);

/// \brief The request handling of one served pipeline. Thread-safe: every method may be
/// called from any number of threads at once.
///
/// `POST /predict` takes `{"rows": [{"column": value, ...}, ...]}`: every input column of
/// the pipeline in every row (null = missing), no other keys. Numbers for numeric and
/// integer columns; `true`/`false` (or numbers) for boolean ones; ISO 8601 text or
/// seconds since 1970 for datetime ones; text, numbers or booleans for categorical ones
/// (numbers and booleans then stand for their text, "3", "True"). The answer is
/// `{"predictions": [...]}` (class labels as text, or numbers for regression) and, for
/// classifiers with probabilities, `"probabilities": [{"class": p, ...}, ...]` in class
/// order. Errors are `{"error": "..."}`: 400 for malformed JSON or a value of the wrong
/// type (naming the row index and column), an empty or non-list "rows"; 422 for unknown
/// or absent columns and values the pipeline cannot use; 413 for more rows than allowed.
///
/// Drift: `/metrics` reports, per input column, the population stability index of all
/// rows predicted since the service was created against the training distribution
/// (cumulative, not a sliding window: restart the server to reset it), and the share of
/// missing values among those rows.
class PredictionService {
public:
    /// \brief Serves `pipeline`; `modelName` is reported by `/health`; more than `maxRows`
    /// rows per request get 413. Throws `InvalidParameter` for a null pipeline or
    /// `maxRows` 0.
    PredictionService(std::shared_ptr<const workflow::FittedPipeline> pipeline, std::string modelName,
                      std::size_t maxRows);
    ~PredictionService();
    PredictionService(const PredictionService&) = delete;
    PredictionService& operator=(const PredictionService&) = delete;

    /// \brief `POST /predict` with `body`.
    Reply predict(std::string_view body);
    /// \brief `GET /health`: status, model name, server version, task, target, classes,
    /// when the model was created.
    Reply health() const;
    /// \brief `GET /schema`: the input columns with their types and categories, the
    /// target, the task and the classes.
    Reply schema() const;
    /// \brief `GET /metrics`: Prometheus text format 0.0.4 (see the class comment).
    Reply metrics() const;

    /// \brief Counts one answered request: its endpoint, status and duration (from the
    /// request's headers read to its answer written).
    void record(Endpoint endpoint, int status, double seconds);
    /// \brief Requests, errors and predicted rows so far.
    ServerCounters counters() const;
    /// \brief The served pipeline.
    const workflow::FittedPipeline& pipeline() const { return *m_pipeline; }
    /// \brief The row limit per request.
    std::size_t maxRows() const { return m_maxRows; }

    /// \brief `{"error": message}` with `status`.
    static Reply error(int status, std::string_view message);

private:
    struct Drift;
    struct Traffic;
    void countRows(const data::Table& table);

    std::shared_ptr<const workflow::FittedPipeline> m_pipeline;
    std::string m_modelName;
    std::size_t m_maxRows;
    std::string m_schemaBody;
    std::string m_healthBody;
    std::unique_ptr<Drift> m_drift;
    std::unique_ptr<Traffic> m_traffic;
};

} // namespace stepwise::serving
