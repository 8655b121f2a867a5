// The model card is built once as a small document (sections of paragraphs, lists and
// tables) and rendered to Markdown or HTML, so both say exactly the same. Everything it
// claims comes from the pipeline and its metadata; what is not recorded is said to be
// unknown rather than guessed.

#include "stepwise/io/model_card.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <optional>
#include <initializer_list>
#include <string_view>

#include "stepwise/core/errors.hpp"
#include "stepwise/core/number_text.hpp"
#include "stepwise/data/column.hpp"
#include "stepwise/io/atomic_file.hpp"
#include "stepwise/models/registry.hpp"
#include "stepwise/prep/step.hpp"
#include "stepwise/workflow/recipe.hpp"

namespace stepwise::io {
namespace {

// Categories listed per column before "… and N more".
constexpr std::size_t kListedCategories = 20;

struct Table {
    std::vector<std::string> header;
    std::vector<std::vector<std::string>> rows;
};

struct Block {
    enum class Kind { Paragraph, List, Table } kind = Kind::Paragraph;
    std::string text;                // Paragraph
    std::vector<std::string> items;  // List
    Table table;                     // Table
};

struct Section {
    std::string heading;
    std::vector<Block> blocks;
    void paragraph(std::string text) { blocks.push_back({Block::Kind::Paragraph, std::move(text), {}, {}}); }
    void list(std::vector<std::string> items)
    {
        if (!items.empty())
            blocks.push_back({Block::Kind::List, {}, std::move(items), {}});
    }
    void table(Table table) { blocks.push_back({Block::Kind::Table, {}, {}, std::move(table)}); }
};

struct Card {
    std::string title;
    std::vector<Section> sections;
};

// Joins text pieces; used instead of `"literal" + std::to_string(n)` chains, which g++ 12
// flags with a false -Wrestrict warning.
std::string concat(std::initializer_list<std::string_view> parts)
{
    std::string text;
    for (std::string_view part : parts)
        text.append(part);
    return text;
}

std::string number(double value)
{
    if (!std::isfinite(value))
        return "n/a";
    return core::formatGeneral(value, 4);
}

std::string joined(const std::vector<std::string>& items, const std::string& separator = ", ")
{
    std::string text;
    for (std::size_t i = 0; i < items.size(); ++i)
        text.append(i == 0 ? "" : separator).append(items[i]);
    return text;
}

// The categories sorted (as the encoders order them), the first kListedCategories of them.
std::string categoriesOf(std::vector<std::string> levels)
{
    std::sort(levels.begin(), levels.end());
    std::vector<std::string> listed(levels.begin(), levels.begin() + static_cast<std::ptrdiff_t>(
                                                                         std::min(levels.size(), kListedCategories)));
    std::string text = joined(listed);
    if (levels.size() > kListedCategories)
        text.append(concat({" … and ", std::to_string(levels.size() - kListedCategories), " more"}));
    return text;
}

std::optional<workflow::Recipe> recipeOf(const workflow::FittedPipeline& pipeline)
{
    if (pipeline.metadata().recipeJson.empty())
        return std::nullopt;
    try {
        return workflow::recipeFromJson(pipeline.metadata().recipeJson);
    } catch (const core::Error&) {
        return std::nullopt;
    }
}

const workflow::FeatureDistribution* distributionOf(const workflow::PipelineMetadata& metadata,
                                                    const std::string& column)
{
    for (const auto& distribution : metadata.trainingDistribution)
        if (distribution.column == column)
            return &distribution;
    return nullptr;
}

std::optional<double> scoreOf(const workflow::PipelineMetadata& metadata, const std::string& metric)
{
    for (const auto& score : metadata.testScores)
        if (score.metric == metric)
            return score.value;
    return std::nullopt;
}

Section problemSection(const workflow::FittedPipeline& pipeline, const std::optional<workflow::Recipe>& recipe)
{
    Section section{"Problem", {}};
    std::vector<std::string> items;
    if (recipe && !recipe->problem.objective.empty())
        items.push_back("Objective: " + recipe->problem.objective);
    else
        items.push_back("Objective: not written down when the model was trained");
    items.push_back("Target: " + pipeline.target());
    const bool classification = pipeline.task() == core::TaskType::Classification;
    items.push_back(std::string("Task: ") + (classification ? concat({"classification into ", std::to_string(pipeline.classes().size()),
                                                                          " classes (", categoriesOf(pipeline.classes()), ")"})
                                                            : "regression (predicting a number)"));
    if (recipe && recipe->problem.success)
        items.push_back("Success criterion: " + recipe->problem.success->toString());
    else
        items.push_back("Success criterion: none set");
    if (recipe && recipe->problem.maxLatencyMs)
        items.push_back("Latency budget: " + number(*recipe->problem.maxLatencyMs) +
                        " ms per single-row prediction (99th percentile)");
    else
        items.push_back("Latency budget: none set");
    section.list(std::move(items));
    return section;
}

Section dataSection(const workflow::FittedPipeline& pipeline, const std::optional<workflow::Recipe>& recipe)
{
    const workflow::PipelineMetadata& metadata = pipeline.metadata();
    Section section{"Data", {}};
    std::vector<std::string> items;
    std::string source = !metadata.dataDescription.empty() ? metadata.dataDescription
                         : recipe                          ? recipe->data.describe()
                                                           : std::string("not recorded");
    items.push_back("Source: " + source);
    items.push_back("SHA-256 of the training data: " +
                    (metadata.dataSha256.empty() ? std::string("not recorded") : metadata.dataSha256));
    items.push_back(concat({"Training rows: ", std::to_string(metadata.trainingRows)}));
    items.push_back("Test rows: " + (metadata.testRows > 0 ? std::to_string(metadata.testRows) : std::string("not recorded")));
    if (recipe && !recipe->prep.dropColumns.empty())
        items.push_back("Columns left out by choice: " + joined(recipe->prep.dropColumns));
    section.list(std::move(items));

    Table inputs{{"Input column", "Type", "Training values"}, {}};
    for (const workflow::InputColumn& input : pipeline.inputColumns()) {
        std::string values;
        if (!input.levels.empty()) {
            values = std::to_string(input.levels.size()) + " categories: " + categoriesOf(input.levels);
        } else if (const auto* distribution = distributionOf(metadata, input.name);
                   distribution && !distribution->binEdges.empty()) {
            values = "middle 80 % between " + number(distribution->binEdges.front()) + " and " +
                     number(distribution->binEdges.back());
        } else {
            values = "range not recorded";
        }
        inputs.rows.push_back({input.name, data::toString(input.kind), values});
    }
    section.table(std::move(inputs));
    return section;
}

Section pipelineSection(const workflow::FittedPipeline& pipeline, const std::optional<workflow::Recipe>& recipe)
{
    Section section{"Pipeline", {}};
    std::vector<std::string> rowSteps;
    if (recipe)
        for (const prep::StepSpec& spec : workflow::pipelineSteps(*recipe))
            if (spec.enabled && prep::findStep(spec.kind).phase != prep::StepPhase::Fitted)
                rowSteps.push_back(prep::describeStep(spec));
    if (!rowSteps.empty()) {
        section.paragraph("Steps that chose the training rows (not part of the saved model; new rows are never "
                          "dropped):");
        section.list(std::move(rowSteps));
    }
    std::vector<std::string> steps;
    for (const auto& step : pipeline.steps())
        steps.push_back(step->describe());
    if (steps.empty()) {
        section.paragraph("The raw columns go to the model unchanged.");
    } else {
        section.paragraph("Steps every row goes through, fitted on the training rows only, in this order:");
        section.list(std::move(steps));
    }
    const models::Model& model = pipeline.model();
    section.paragraph("Model: " + models::findModel(model.name()).displayName + " (" + model.name() + "), on " +
                      std::to_string(pipeline.featureNames().size()) + " features.");
    Table params{{"Parameter", "Value"}, {}};
    for (const auto& [name, value] : model.params().all())
        params.rows.push_back({name, value});
    section.table(std::move(params));
    return section;
}

Section metricsSection(const workflow::FittedPipeline& pipeline, const std::optional<workflow::Recipe>& recipe)
{
    const workflow::PipelineMetadata& metadata = pipeline.metadata();
    Section section{"Test scores", {}};
    if (metadata.testScores.empty()) {
        section.paragraph("No test scores were recorded with this model.");
    } else {
        section.paragraph(concat({"Scores on the ", metadata.testRows > 0 ? std::to_string(metadata.testRows) + " " : std::string(),
                                  "held-out test rows, which the model did not train on:"}));
        Table scores{{"Metric", "Value"}, {}};
        for (const auto& score : metadata.testScores)
            scores.rows.push_back({score.metric, number(score.value)});
        section.table(std::move(scores));
    }
    std::string verdict = metadata.verdict;
    if (verdict.empty())
        verdict = recipe && recipe->problem.success
                      ? "not recorded with this model (the criterion was " + recipe->problem.success->toString() + ")"
                      : std::string("no success criterion was set");
    section.paragraph("Verdict: " + verdict);
    return section;
}

Section limitsSection(const workflow::FittedPipeline& pipeline, const std::optional<workflow::Recipe>& recipe)
{
    const workflow::PipelineMetadata& metadata = pipeline.metadata();
    Section section{"Intended use and limits", {}};
    std::vector<std::string> items;
    const std::string source = recipe ? recipe->data.describe() : std::string("its training data");
    items.push_back(concat({"Use it for rows like the ", std::to_string(metadata.trainingRows), " training rows from ", source,
                            ": the same columns, meaning and units, from the same kind of population."}));

    std::vector<std::string> ranges;
    std::vector<std::string> categorical;
    for (const workflow::InputColumn& input : pipeline.inputColumns()) {
        if (!input.levels.empty()) {
            categorical.push_back(input.name);
        } else if (const auto* distribution = distributionOf(metadata, input.name);
                   distribution && !distribution->binEdges.empty()) {
            ranges.push_back(input.name + " " + number(distribution->binEdges.front()) + " to " +
                             number(distribution->binEdges.back()));
        }
    }
    if (!ranges.empty())
        items.push_back("Most training values (the middle 80 %) lie in: " + joined(ranges, "; ") +
                        ". Far outside these, predictions are extrapolations and less reliable.");
    else
        items.push_back("The ranges of the training values were not recorded with this model; check new data "
                        "against the training data before trusting predictions for unusual values.");
    if (!categorical.empty())
        items.push_back("Categorical columns (" + joined(categorical) +
                        ") know only the categories listed under Data; a new category is treated as unknown, so "
                        "those rows are predicted from the other columns alone.");

    if (pipeline.task() == core::TaskType::Classification) {
        const auto accuracy = scoreOf(metadata, "accuracy");
        const auto balanced = scoreOf(metadata, "balanced_accuracy");
        std::string balance = "Classes: " + categoriesOf(pipeline.classes()) + ".";
        if (accuracy && balanced) {
            balance.append(" Test accuracy " + number(*accuracy) + " against balanced accuracy " + number(*balanced));
            balance.append(*accuracy - *balanced > 0.05
                               ? ": the model does clearly better on the larger classes; check the per-class scores "
                                 "before relying on it for the smaller ones."
                               : ": it does about as well on every class on average.");
        } else {
            balance.append(" The class balance was not recorded with this model.");
        }
        items.push_back(balance);
        if (pipeline.model().hasProbabilities())
            items.push_back(pipeline.classes().size() == 2
                                ? "Stepwise predicts '" + pipeline.classes()[1] + "' when its probability is above 0.5 "
                                  "(the default threshold, not tuned for the costs of either mistake); if one mistake "
                                  "costs more, choose a threshold on the probabilities instead."
                                : "Stepwise predicts the class with the highest probability (argmax); no threshold "
                                  "was tuned for the costs of mistakes.");
        else
            items.push_back("The model gives decision scores, not probabilities: it predicts the class with the "
                            "highest score, and its scores are not calibrated probabilities.");
    } else {
        items.push_back("Predictions are numbers on the target's scale; the test error above is the typical size "
                        "of a mistake on rows like the training rows.");
    }
    items.push_back("It was tested only on " +
                    (metadata.testRows > 0 ? std::to_string(metadata.testRows) + " held-out rows" : std::string("held-out rows")) +
                    " of the same data: not on data from a later time or another place, not on categories it "
                    "never saw, and not for fairness between groups of people. Check those before such use.");
    if (recipe && recipe->problem.maxLatencyMs)
        items.push_back("The latency budget was measured on the training machine; other hardware may be slower.");
    section.list(std::move(items));
    return section;
}

Section provenanceSection(const workflow::FittedPipeline& pipeline, const std::optional<workflow::Recipe>& recipe)
{
    const workflow::PipelineMetadata& metadata = pipeline.metadata();
    Section section{"Reproducibility", {}};
    std::vector<std::string> items;
    items.push_back("Stepwise version: " + (metadata.stepwiseVersion.empty() ? std::string("not recorded") : metadata.stepwiseVersion));
    for (const auto& [library, version] : metadata.libraryVersions)
        items.push_back(library + " " + version);
    const std::uint64_t seed = metadata.seed != 0 || !recipe ? metadata.seed : recipe->seed;
    items.push_back(concat({"Seed: ", std::to_string(seed), " (the same recipe, data and seed give the same model)"}));
    items.push_back("Created: " + (metadata.createdUtc.empty() ? std::string("not recorded") : metadata.createdUtc));
    section.list(std::move(items));
    return section;
}

Card buildCard(const workflow::FittedPipeline& pipeline)
{
    const std::optional<workflow::Recipe> recipe = recipeOf(pipeline);
    Card card;
    card.title = "Model card: " + ((recipe && !recipe->problem.objective.empty()) ? recipe->problem.objective
                                                                                 : "predicting " + pipeline.target());
    card.sections = {problemSection(pipeline, recipe),  dataSection(pipeline, recipe),
                     pipelineSection(pipeline, recipe), metricsSection(pipeline, recipe),
                     limitsSection(pipeline, recipe),   provenanceSection(pipeline, recipe)};
    return card;
}

// ---- Markdown ----------------------------------------------------------------------

std::string markdownEscaped(const std::string& text)
{
    std::string out;
    for (char c : text) {
        if (c == '\n' || c == '\r') {
            out.push_back(' ');
            continue;
        }
        if (std::string_view("\\`*_[]<|#").find(c) != std::string_view::npos)
            out.push_back('\\');
        out.push_back(c);
    }
    return out;
}

std::string renderMarkdown(const Card& card)
{
    std::string md = "# ";
    md.append(markdownEscaped(card.title)).append("\n");
    for (const Section& section : card.sections) {
        md.append("\n## ").append(markdownEscaped(section.heading)).append("\n");
        for (const Block& block : section.blocks) {
            md.push_back('\n');
            switch (block.kind) {
            case Block::Kind::Paragraph:
                md.append(markdownEscaped(block.text)).append("\n");
                break;
            case Block::Kind::List:
                for (const std::string& item : block.items)
                    md.append("- ").append(markdownEscaped(item)).append("\n");
                break;
            case Block::Kind::Table: {
                const auto row = [&](const std::vector<std::string>& cells) {
                    std::string line = "|";
                    for (const std::string& cell : cells)
                        line.append(" ").append(markdownEscaped(cell)).append(" |");
                    return line.append("\n");
                };
                md.append(row(block.table.header));
                md.append("|");
                for (std::size_t i = 0; i < block.table.header.size(); ++i)
                    md.append(" --- |");
                md.append("\n");
                for (const auto& cells : block.table.rows)
                    md.append(row(cells));
                break;
            }
            }
        }
    }
    return md;
}

// ---- HTML --------------------------------------------------------------------------

std::string htmlEscaped(const std::string& text)
{
    std::string out;
    for (char c : text) {
        switch (c) {
        case '&': out.append("&amp;"); break;
        case '<': out.append("&lt;"); break;
        case '>': out.append("&gt;"); break;
        case '"': out.append("&quot;"); break;
        case '\'': out.append("&#39;"); break;
        default: out.push_back(c);
        }
    }
    return out;
}

std::string renderHtml(const Card& card)
{
    std::string html = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>" +
                       htmlEscaped(card.title) +
                       "</title>\n<style>\n"
                       "body { font-family: sans-serif; max-width: 60em; margin: 2em auto; padding: 0 1em; "
                       "line-height: 1.45; color: #222; }\n"
                       "table { border-collapse: collapse; margin: 0.5em 0; }\n"
                       "th, td { border: 1px solid #ccc; padding: 0.25em 0.6em; text-align: left; "
                       "vertical-align: top; }\n"
                       "th { background: #f2f2f2; }\n"
                       "h2 { border-bottom: 1px solid #ddd; padding-bottom: 0.2em; }\n"
                       "</style>\n</head>\n<body>\n<h1>" +
                       htmlEscaped(card.title) + "</h1>\n";
    for (const Section& section : card.sections) {
        html.append("<h2>").append(htmlEscaped(section.heading)).append("</h2>\n");
        for (const Block& block : section.blocks) {
            switch (block.kind) {
            case Block::Kind::Paragraph:
                html.append("<p>").append(htmlEscaped(block.text)).append("</p>\n");
                break;
            case Block::Kind::List:
                html.append("<ul>\n");
                for (const std::string& item : block.items)
                    html.append("<li>").append(htmlEscaped(item)).append("</li>\n");
                html.append("</ul>\n");
                break;
            case Block::Kind::Table:
                html.append("<table>\n<tr>");
                for (const std::string& cell : block.table.header)
                    html.append("<th>").append(htmlEscaped(cell)).append("</th>");
                html.append("</tr>\n");
                for (const auto& cells : block.table.rows) {
                    html.append("<tr>");
                    for (const std::string& cell : cells)
                        html.append("<td>").append(htmlEscaped(cell)).append("</td>");
                    html.append("</tr>\n");
                }
                html.append("</table>\n");
                break;
            }
        }
    }
    html.append("</body>\n</html>\n");
    return html;
}

bool endsWith(const std::string& text, const std::string& suffix)
{
    if (text.size() < suffix.size())
        return false;
    return std::equal(suffix.rbegin(), suffix.rend(), text.rbegin(),
                      [](char suffixChar, char textChar) { return std::tolower(static_cast<unsigned char>(textChar)) == suffixChar; });
}

} // namespace

std::string modelCardMarkdown(const workflow::FittedPipeline& pipeline) { return renderMarkdown(buildCard(pipeline)); }

std::string modelCardHtml(const workflow::FittedPipeline& pipeline) { return renderHtml(buildCard(pipeline)); }

void exportModelCard(const workflow::FittedPipeline& pipeline, const std::string& path)
{
    const bool html = endsWith(path, ".html") || endsWith(path, ".htm");
    const std::string card = html ? modelCardHtml(pipeline) : modelCardMarkdown(pipeline);
    writeFileAtomically(path, [&](std::ostream& out) { out << card; });
}

} // namespace stepwise::io
