#pragma once
// The stepwise-cli commands (see CLI.md). Each returns the process exit code; errors
// are thrown as engine exceptions and mapped to exit codes by main().

#include <optional>
#include <string>
#include <vector>

#include "model_access.hpp"
#include "step_flags.hpp"

namespace stepwise::cli {

/// Flags every command takes.
struct CommonOptions {
    int threads = 0;  // 0 = all cores
    bool quiet = false;
};

/// How to read DATA (and --test-data): the reading flags of train, predict and inspect.
struct ReadFlags {
    std::string table;      // SQLite table
    std::string sheet;      // xlsx sheet
    std::string query;      // SQLite SELECT
    std::string na;         // comma-separated missing markers, replacing the defaults
    bool naGiven = false;
    std::string delimiter;  // one character or tab|comma|semicolon|pipe|space
    std::string decimal;    // . or ,
    std::string thousands;  // , . ' _ space or none
    std::string encoding;   // auto | utf-8 | latin-1
    std::vector<std::string> types;  // COL=KIND
};

struct GenerateOptions {
    std::string kind;  // classification | regression | blobs
    int rows = 1000;
    int features = 20;
    std::optional<int> informative;
    std::optional<int> redundant;
    int classes = 2;
    std::optional<double> noise;
    std::optional<double> classSep;
    std::vector<double> weights;
    unsigned long long seed = 0;
    std::string out;
};

struct TrainOptions {
    std::string data;
    std::string target;
    std::string task = "classification";
    std::string model = "random_forest";
    std::vector<std::string> params;  // KEY=VALUE
    double testSize = 0.2;
    bool noStratify = false;
    unsigned long long seed = 42;
    double validationSize = 0.0;
    std::string cv;  // kfold:K | stratified:K | loo | timeseries:K[:GAP]
    std::string search;                // grid | random:N
    std::vector<std::string> grid;     // KEY=V1,V2,... or KEY=loguniform(A,B)
    std::string scoring;               // metric the search ranks by
    std::vector<std::string> compare;  // MODEL[:K=V;K=V]
    std::string timeColumn;
    std::vector<std::string> drop;
    StepFlags steps;
    std::string success;
    std::optional<double> maxLatencyMs;  // p99 single-row budget
    std::string testData;
    std::string out;
    bool encrypt = false;     // --encrypt: the saved model needs the passphrase to open
    ModelAccessFlags access;  // where --encrypt's passphrase comes from
    std::string report;
    std::string predictions;
    std::string saveProject;  // --save-project FILE.stepwise-project
    bool embedData = false;   // --embed-data: the project holds a copy of DATA
    ReadFlags read;
};

// `run PROJECT`: replays a project's recipe and compares with its last recorded run.
struct RunOptions {
    std::string project;
    std::string report;
    std::string out;
    std::string predictions;
    bool allowChangedData = false;
    bool record = false;  // append this run to the project
};

struct PredictOptions {
    std::string model;
    ModelAccessFlags access;
    std::string data;
    std::string out;
    bool proba = false;
    ReadFlags read;
};

struct EvaluateOptions {
    std::string model;
    ModelAccessFlags access;
    std::string data;
    std::string report;
    std::string predictions;
    ReadFlags read;
};

struct ExportOptions {
    std::string model;
    std::string python;  // FILE.py
    std::string data;    // the CSV the script reads (default: the recipe's data)
    std::string card;    // FILE.md or FILE.html
    std::string onnx;    // FILE.onnx
    ModelAccessFlags access;
};

struct InspectOptions {
    std::string data;
    std::string target;
    bool json = false;
    ReadFlags read;
};

int runGenerate(const GenerateOptions& options, const CommonOptions& common);
int runTrain(const TrainOptions& options, const CommonOptions& common);
int runProject(const RunOptions& options, const CommonOptions& common);
int runPredict(const PredictOptions& options, const CommonOptions& common);
int runEvaluate(const EvaluateOptions& options, const CommonOptions& common);
int runExport(const ExportOptions& options, const CommonOptions& common);
int runInspect(const InspectOptions& options, const CommonOptions& common);

/// Requests cancellation of the running command (called from the SIGINT handler).
void cancelRunningCommand();

} // namespace stepwise::cli
