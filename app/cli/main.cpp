// stepwise-cli: the Stepwise engine without a GUI. The command-line contract is
// ../shared/CLI.md; this file only parses flags and maps errors to exit codes.
#include <csignal>
#include <cstdio>
#include <new>
#include <string>

#include <CLI/CLI.hpp>

#include "commands.hpp"
#include "serve_command.hpp"
#include "stepwise/core/errors.hpp"
#include "stepwise/core/version.hpp"
#include "stepwise/models/registry.hpp"

namespace {

enum ExitCode { kOk = 0, kFailure = 1, kUsage = 2, kBadData = 3, kBadModelFile = 4, kCancelled = 130 };

int fail(int code, const std::string& message)
{
    std::fprintf(stderr, "stepwise-cli: error: %s\n", message.c_str());
    return code;
}

void onInterrupt(int) { stepwise::cli::cancelRunningCommand(); }

void addCommonOptions(CLI::App* command, stepwise::cli::CommonOptions& common)
{
    command->add_option("--threads", common.threads, "Threads for parallel work (default: all cores)")
        ->check(CLI::PositiveNumber);
    command->add_flag("--quiet", common.quiet, "Print nothing but errors and requested output");
}

constexpr const char* kDataHelp = "Data file (.csv .tsv .xlsx .json .jsonl .sqlite .db), or builtin:NAME";

void addReadOptions(CLI::App* command, stepwise::cli::ReadFlags& read)
{
    CLI::Option* table = command->add_option("--table", read.table, "SQLite: the table to read");
    command->add_option("--query", read.query, "SQLite: a SELECT statement to read instead of a table")
        ->excludes(table);
    command->add_option("--sheet", read.sheet, "xlsx: the sheet to read (default: the first)");
    command->add_option_function<std::string>(
        "--na",
        [&read](const std::string& value) {
            read.na = value;
            read.naGiven = true;
        },
        "Missing-value markers, comma-separated, replacing the default ',NA,N/A,NaN,null,?'");
    command->add_option("--delimiter", read.delimiter, "CSV: field separator, one character or tab (default: sniffed)");
    command->add_option("--decimal", read.decimal, "CSV: decimal separator, . or , (default .)");
    command->add_option("--thousands", read.thousands, "CSV: thousands separator in numbers: , . ' _ space or none");
    command->add_option("--encoding", read.encoding, "CSV: auto | utf-8 | latin-1 (default auto)");
    command->add_option("--type", read.types,
                        "Column type override COL=KIND (repeatable); KIND: numeric, integer, boolean, datetime, "
                        "categorical, text");
}

std::string modelNames()
{
    std::string names;
    for (const auto& info : stepwise::models::modelRegistry())
        names += (names.empty() ? "" : ", ") + info.name;
    return names;
}

} // namespace

int main(int argc, char** argv)
{
    using namespace stepwise::cli;
    CLI::App app{"Stepwise — train, evaluate and use machine-learning models from the command line.",
                 "stepwise-cli"};
    app.set_version_flag("--version", std::string("stepwise-cli ") + stepwise::core::kVersion);
    app.require_subcommand(1);
    CommonOptions common;

    GenerateOptions generate;
    CLI::App* generateCmd = app.add_subcommand("generate", "Write a synthetic data set (scikit-learn's make_*) as CSV");
    generateCmd->add_option("kind", generate.kind, "classification | regression | blobs")
        ->required()
        ->check(CLI::IsMember({"classification", "regression", "blobs"}));
    generateCmd->add_option("--rows", generate.rows, "Number of rows")->required()->check(CLI::Range(1, 100'000'000));
    generateCmd->add_option("--features", generate.features, "Number of feature columns")
        ->required()
        ->check(CLI::Range(1, 100'000));
    generateCmd->add_option("--informative", generate.informative, "Informative features");
    generateCmd->add_option("--redundant", generate.redundant, "Redundant features (classification)");
    generateCmd->add_option("--classes", generate.classes, "Classes (classification), centers (blobs)")
        ->check(CLI::Range(1, 10'000));
    generateCmd->add_option("--noise", generate.noise,
                            "classification: fraction of labels flipped (flip_y, default 0.01); "
                            "regression: noise std (default 0); blobs: cluster std (default 1)");
    generateCmd->add_option("--class-sep", generate.classSep, "Class separation (classification, default 1)");
    generateCmd->add_option("--weights", generate.weights, "Class proportions, e.g. 0.9,0.1 (classification)")
        ->delimiter(',');
    generateCmd->add_option("--seed", generate.seed, "Random seed (same seed ⇒ same data)");
    generateCmd->add_option("--out", generate.out, "Output CSV file")->required();
    addCommonOptions(generateCmd, common);

    TrainOptions train;
    CLI::App* trainCmd = app.add_subcommand("train", "Train a model on a data set, evaluate it on held-out rows");
    trainCmd->add_option("data", train.data, kDataHelp)
        ->required();
    trainCmd->add_option("--target", train.target, "Column to predict")->required();
    trainCmd->add_option("--task", train.task, "classification | regression")
        ->check(CLI::IsMember({"classification", "regression"}));
    trainCmd->add_option("--model", train.model, "Model: " + modelNames());
    trainCmd->add_option("--param", train.params, "Hyper-parameter KEY=VALUE (repeatable)");
    trainCmd->add_option("--test-size", train.testSize, "Fraction of rows held out for testing")
        ->check(CLI::Range(0.0, 1.0));
    bool stratifyFlag = false;
    CLI::Option* stratify =
        trainCmd->add_flag("--stratify", stratifyFlag, "Keep class balance in the split (default)");
    trainCmd->add_flag("--no-stratify", train.noStratify, "Split without regard to class")->excludes(stratify);
    trainCmd->add_option("--seed", train.seed, "Random seed (same seed ⇒ same result)");
    trainCmd->add_option("--validation-size", train.validationSize,
                         "Fraction of rows held out as a validation set (default 0: none)")
        ->check(CLI::Range(0.0, 0.9));
    trainCmd->add_option("--cv", train.cv,
                         "Cross-validate on the training rows, every step refitted per fold: kfold:K | stratified:K "
                         "| loo | timeseries:K[:GAP]");
    trainCmd->add_option("--search", train.search,
                         "Tune the model's hyper-parameters by cross-validation on the training rows, then train "
                         "it with the best: grid (every combination) | random:N (N draws); the folds are --cv's, "
                         "else stratified:5 / kfold:5");
    trainCmd->add_option("--grid", train.grid,
                         "Values to search KEY=V1,V2,... (repeatable); random:N also takes KEY=uniform(A,B), "
                         "KEY=loguniform(A,B) or KEY=randint(A,B) (B exclusive)");
    trainCmd->add_option("--scoring", train.scoring,
                         "Metric the search ranks candidates by (default: --success's metric, else accuracy / r2)");
    trainCmd->add_option("--compare", train.compare,
                         "Also train MODEL[:K=V;K=V...] on the same split, steps and --cv and rank every model in a "
                         "leaderboard (repeatable); the --model one is the one kept");
    trainCmd->add_option("--time-column", train.timeColumn,
                         "Split by time on this column: oldest rows train, newest test (no shuffling)");
    trainCmd->add_option("--drop", train.drop, "Columns never used as features, comma-separated")->delimiter(',');
    addStepOptions(trainCmd, train.steps);
    trainCmd->add_option("--success", train.success, "Success criterion, e.g. f1_macro>=0.85");
    trainCmd->add_option("--max-latency", train.maxLatencyMs,
                         "Latency budget in milliseconds: the pipeline must answer one row within it (99th "
                         "percentile of single-row predictions); part of the success verdict");
    trainCmd->add_option("--test-data", train.testData,
                         "Evaluate on this labelled file instead of a split (read with the same reading flags)");
    CLI::Option* trainOut = trainCmd->add_option("--out", train.out, "Save the fitted pipeline (.stepwise)");
    trainCmd->add_flag("--encrypt", train.encrypt,
                       "Encrypt the saved model (Argon2id + XChaCha20-Poly1305) with the passphrase from "
                       "--passphrase-file or STEPWISE_PASSPHRASE; opening it then needs that passphrase")
        ->needs(trainOut);
    addModelAccessOptions(trainCmd, train.access);
    trainCmd->add_option("--report", train.report, "Write the report JSON");
    trainCmd->add_option("--predictions", train.predictions, "Write the test-row predictions CSV");
    CLI::Option* saveProject = trainCmd->add_option(
        "--save-project", train.saveProject,
        "Write a project (.stepwise-project): the recipe, DATA's path and SHA-256, and this run as run 1 with its "
        "metrics and manifest — `run` replays it");
    trainCmd->add_flag("--embed-data", train.embedData,
                       "With --save-project: keep a copy of the DATA file in the project, used when the file is "
                       "gone or has changed")
        ->needs(saveProject);
    addReadOptions(trainCmd, train.read);
    addCommonOptions(trainCmd, common);

    PredictOptions predict;
    CLI::App* predictCmd = app.add_subcommand("predict", "Predict new rows with a saved model");
    predictCmd->add_option("model", predict.model, "Model file (.stepwise)")->required();
    predictCmd->add_option("data", predict.data, kDataHelp)
        ->required();
    predictCmd->add_option("--out", predict.out, "Predictions CSV (default: standard output)");
    predictCmd->add_flag("--proba", predict.proba, "Add one proba_<class> column per class");
    addModelAccessOptions(predictCmd, predict.access);
    addReadOptions(predictCmd, predict.read);
    addCommonOptions(predictCmd, common);

    EvaluateOptions evaluate;
    CLI::App* evaluateCmd = app.add_subcommand(
        "evaluate", "Score a saved model on labelled data: every metric, the success verdict and the latency");
    evaluateCmd->add_option("model", evaluate.model, "Model file (.stepwise)")->required();
    evaluateCmd->add_option("data", evaluate.data, std::string(kDataHelp) + ", with the target column")->required();
    evaluateCmd->add_option("--report", evaluate.report, "Write the report JSON");
    evaluateCmd->add_option("--predictions", evaluate.predictions, "Write the predictions CSV of the scored rows");
    addModelAccessOptions(evaluateCmd, evaluate.access);
    addReadOptions(evaluateCmd, evaluate.read);
    addCommonOptions(evaluateCmd, common);

    ExportOptions exportOptions;
    CLI::App* exportCmd = app.add_subcommand(
        "export", "Export a saved model: an ONNX graph, a scikit-learn script that rebuilds it, and/or its model card");
    exportCmd->add_option("model", exportOptions.model, "Model file (.stepwise)")->required();
    exportCmd->add_option("--python", exportOptions.python,
                          "Write a pandas + scikit-learn 1.2 script that repeats the recipe (same steps, split, "
                          "model and seed) and prints the test scores");
    exportCmd->add_option("--data", exportOptions.data,
                          "With --python: the CSV the script reads (default: the recipe's data file; a built-in "
                          "or non-CSV source is written as CSV beside the script)");
    exportCmd->add_option("--onnx", exportOptions.onnx,
                          "Write the whole pipeline as one ONNX graph (opset 15 + ai.onnx.ml 3): one [N,1] input per "
                          "training column (float, NaN for missing; string, \"\" for missing), outputs label and "
                          "probabilities; a step or model ONNX cannot express is exit code 4");
    exportCmd->add_option("--card", exportOptions.card,
                          "Write the model card: Markdown, or a self-contained HTML page for FILE.html");
    addModelAccessOptions(exportCmd, exportOptions.access);
    addCommonOptions(exportCmd, common);

    InspectOptions inspect;
    CLI::App* inspectCmd = app.add_subcommand("inspect", "Summarise a data set: types, missing values, statistics, flags");
    inspectCmd->add_option("data", inspect.data, kDataHelp)
        ->required();
    inspectCmd->add_option("--target", inspect.target, "Target column (enables target-leak flags)");
    inspectCmd->add_flag("--json", inspect.json, "Print JSON (see CLI.md)");
    addReadOptions(inspectCmd, inspect.read);
    addCommonOptions(inspectCmd, common);

    RunOptions runOptions;
    CLI::App* runCmd = app.add_subcommand(
        "run", "Replay a project: train its recipe with its seed on its data, write the report, and compare the "
               "metrics with its last recorded run");
    runCmd->add_option("project", runOptions.project, "Project file (.stepwise-project)")->required();
    runCmd->add_option("--report", runOptions.report, "Write the report JSON (as train writes it)");
    runCmd->add_option("--out", runOptions.out, "Save the fitted pipeline (.stepwise)");
    runCmd->add_option("--predictions", runOptions.predictions, "Write the test-row predictions CSV");
    runCmd->add_flag("--allow-changed-data", runOptions.allowChangedData,
                     "Run even though the data's SHA-256 differs from the one the project recorded (otherwise exit "
                     "code 3)");
    runCmd->add_flag("--record", runOptions.record,
                     "Append this run to the project's run history (the file is rewritten atomically)");
    addCommonOptions(runCmd, common);
    runCmd->footer("The data is the project's file, found by its recorded path, else by its path from the project's "
                   "folder; when it is gone or has changed, the copy embedded in the project (train --embed-data) is "
                   "used. Without one, a missing or changed file is exit code 3; a damaged or newer project is exit "
                   "code 4. On stderr (unless --quiet): \"reproduced run N: all K metrics identical\", or one line "
                   "per metric that differs.");

    ServeOptions serve;
    CLI::App* serveCmd = addServeCommand(app, serve);

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        const int code = app.exit(e);
        return code == 0 ? kOk : kUsage;
    }

    std::signal(SIGINT, onInterrupt);
    using namespace stepwise::core;
    try {
        if (*generateCmd)
            return runGenerate(generate, common);
        if (*trainCmd)
            return runTrain(train, common);
        if (*runCmd)
            return runProject(runOptions, common);
        if (*predictCmd)
            return runPredict(predict, common);
        if (*evaluateCmd)
            return runEvaluate(evaluate, common);
        if (*serveCmd)
            return runServe(serve);
        if (*exportCmd)
            return runExport(exportOptions, common);
        return runInspect(inspect, common);
    } catch (const Cancelled&) {
        return fail(kCancelled, "cancelled");
    } catch (const InvalidParameter& e) {
        return fail(kUsage, e.what());
    } catch (const DataError& e) {
        return fail(kBadData, e.what());
    } catch (const ArchiveError& e) {
        return fail(kBadModelFile, e.what());
    } catch (const UnsupportedExport& e) {
        return fail(kBadModelFile, e.what());
    } catch (const std::bad_alloc&) {
        // Readers refuse what cannot fit before reading; this is what got past the estimate.
        return fail(kBadData, "ran out of memory — use a sample of the rows, close other programs, or use a "
                              "machine with more memory");
    } catch (const std::exception& e) {
        return fail(kFailure, e.what());
    }
}
