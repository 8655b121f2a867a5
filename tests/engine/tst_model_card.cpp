// The model card: every section says what the pipeline and its metadata hold, in
// Markdown and in escaped, self-contained HTML.
#include <QtTest>

#include <fstream>
#include <sstream>

#include "stepwise/data/builtin_datasets.hpp"
#include "stepwise/data/data_source.hpp"
#include "stepwise/io/model_card.hpp"
#include "stepwise/workflow/runner.hpp"

using namespace stepwise;

namespace {

const char* kObjective = "Who survives? <script>alert('x')</script> & | pipes";

std::shared_ptr<workflow::FittedPipeline> titanicPipeline(bool withMetadata)
{
    workflow::Recipe recipe;
    recipe.problem.target = "survived";
    recipe.problem.objective = kObjective;
    recipe.problem.success = evaluation::SuccessCriterion{"f1_macro", true, 0.7};
    recipe.problem.maxLatencyMs = 5.0;
    recipe.data = data::parseDataLocation("builtin:titanic");
    recipe.prep.dropColumns = {"alive", "class", "who", "adult_male", "deck", "embark_town", "alone"};
    recipe.model.name = "logistic_regression";
    recipe.model.params = {{"C", "0.5"}};
    recipe.seed = 7;
    core::TaskControl control;
    auto result = workflow::runRecipe(recipe, data::loadBuiltinDataset("titanic"), nullptr, control);
    auto pipeline = std::const_pointer_cast<workflow::FittedPipeline>(result.pipeline);
    if (!withMetadata) {
        // What a format 1 file holds: no seed, hash, scores, verdict or distributions.
        const workflow::PipelineMetadata full = pipeline->metadata();
        workflow::PipelineMetadata v1;
        v1.stepwiseVersion = full.stepwiseVersion;
        v1.createdUtc = full.createdUtc;
        v1.recipeJson = full.recipeJson;
        v1.trainingRows = full.trainingRows;
        pipeline->setMetadata(v1);
    } else {
        workflow::PipelineMetadata metadata = pipeline->metadata();
        metadata.seed = 7;
        metadata.dataSha256 = "ab12cd34ef56ab12cd34ef56ab12cd34ef56ab12cd34ef56ab12cd34ef56ab12";
        metadata.dataDescription = "titanic.csv, 891 rows × 15 columns";
        metadata.libraryVersions = {{"eigen", "3.4.0"}, {"boost", "1.74"}};
        metadata.testRows = 179;
        metadata.testScores = {{"accuracy", 0.8101}, {"balanced_accuracy", 0.7012}, {"f1_macro", 0.7912}};
        metadata.verdict = "f1_macro>=0.7: 0.7912 — passed";
        metadata.trainingDistribution = {{"age", {14.0, 20.0, 28.0, 38.0, 50.0}, {}, {0.1, 0.2, 0.2, 0.2, 0.2, 0.1, 0.0}},
                                         {"embarked", {}, {"C", "Q", "S"}, {0.2, 0.1, 0.7, 0.0, 0.0}}};
        pipeline->setMetadata(metadata);
    }
    return pipeline;
}

std::shared_ptr<const workflow::FittedPipeline> diabetesPipeline()
{
    workflow::Recipe recipe;
    recipe.problem.task = core::TaskType::Regression;
    recipe.problem.target = "target";
    recipe.data = data::parseDataLocation("builtin:diabetes");
    recipe.model.name = "ridge";
    core::TaskControl control;
    return workflow::runRecipe(recipe, data::loadBuiltinDataset("diabetes"), nullptr, control).pipeline;
}

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

std::string readFile(const std::string& path)
{
    std::ifstream in(path);
    std::stringstream buffer;
    buffer << in.rdbuf();
    return buffer.str();
}

} // namespace

class TestModelCard : public QObject {
    Q_OBJECT

private slots:
    void markdownHasEverySection()
    {
        const auto pipeline = titanicPipeline(true);
        const std::string md = io::modelCardMarkdown(*pipeline);
        for (const char* heading : {"\n## Problem\n", "\n## Data\n", "\n## Pipeline\n", "\n## Test scores\n",
                                    "\n## Intended use and limits\n", "\n## Reproducibility\n"})
            QVERIFY2(has(md, heading), heading);
        // Problem, from the recipe.
        QVERIFY(has(md, "- Target: survived\n"));
        QVERIFY(has(md, "- Task: classification into 2 classes (0, 1)"));
        QVERIFY(has(md, "- Success criterion: f1\\_macro>=0.7\n"));
        QVERIFY(has(md, "- Latency budget: 5 ms"));
        // Data.
        QVERIFY(has(md, "SHA-256 of the training data: ab12cd34ef56ab12"));
        QVERIFY(has(md, "Source: titanic.csv, 891 rows × 15 columns"));
        QVERIFY(has(md, "- Test rows: 179\n"));
        QVERIFY(has(md, "- Training rows: " + std::to_string(pipeline->metadata().trainingRows) + "\n"));
        QVERIFY(has(md, "| embarked | categorical | 3 categories: C, Q, S |"));
        QVERIFY(has(md, "| sex | categorical | 2 categories: female, male |"));
        QVERIFY(has(md, "| age | numeric | middle 80 % between 14 and 50 |"));
        QVERIFY(has(md, "| fare | numeric | range not recorded |"));
        // Pipeline: every fitted step in words, the model and its parameters.
        for (const auto& step : pipeline->steps())
            QVERIFY2(has(md, "- " + step->describe()), step->describe().c_str());
        QVERIFY(has(md, "Model: Logistic regression (logistic\\_regression)"));
        QVERIFY(has(md, "| C | 0.5 |"));
        QVERIFY(has(md, "| max\\_iter | 100 |"));
        // Scores and verdict.
        QVERIFY(has(md, "| accuracy | 0.8101 |"));
        QVERIFY(has(md, "| f1\\_macro | 0.7912 |"));
        QVERIFY(has(md, "Verdict: f1\\_macro>=0.7: 0.7912 — passed"));
        // Limits, derived from what was recorded.
        QVERIFY(has(md, "age 14 to 50"));
        QVERIFY(has(md, "Test accuracy 0.8101 against balanced accuracy 0.7012: the model does clearly better on "
                        "the larger classes"));
        QVERIFY(has(md, "Stepwise predicts '1' when its probability is above 0.5"));
        QVERIFY(has(md, "not on data from a later time or another place"));
        // Reproducibility.
        QVERIFY(has(md, "- Seed: 7 "));
        QVERIFY(has(md, "- eigen 3.4.0\n"));
        QVERIFY(has(md, "- Created: " + pipeline->metadata().createdUtc));
    }

    void markdownEscapesUserText()
    {
        const std::string md = io::modelCardMarkdown(*titanicPipeline(true));
        QVERIFY(has(md, "# Model card: Who survives? \\<script>alert('x')\\</script> & \\| pipes\n"));
        QVERIFY(!has(md, " <script>"));  // every < escaped
    }

    void htmlIsEscapedAndSelfContained()
    {
        const std::string html = io::modelCardHtml(*titanicPipeline(true));
        QVERIFY(html.rfind("<!DOCTYPE html>", 0) == 0);
        QVERIFY(!has(html, "<script>"));
        QVERIFY(has(html, "Who survives? &lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; | pipes"));
        QVERIFY(!has(html, "src="));
        QVERIFY(!has(html, "<link"));
        QVERIFY(has(html, "<td>embarked</td><td>categorical</td><td>3 categories: C, Q, S</td>"));
        QVERIFY(has(html, "<li>Success criterion: f1_macro&gt;=0.7</li>"));
        QVERIFY(has(html, "<td>accuracy</td><td>0.8101</td>"));
        QVERIFY(has(html, "</html>\n"));
    }

    void unrecordedFactsAreSaidToBeUnknown()
    {
        const std::string md = io::modelCardMarkdown(*titanicPipeline(false));
        QVERIFY(has(md, "SHA-256 of the training data: not recorded"));
        QVERIFY(has(md, "No test scores were recorded with this model."));
        QVERIFY(has(md, "Verdict: not recorded with this model (the criterion was f1\\_macro>=0.7)"));
        QVERIFY(has(md, "The class balance was not recorded"));
        QVERIFY(has(md, "The ranges of the training values were not recorded"));
        QVERIFY(has(md, "- Seed: 7 "));  // from the recipe when the metadata has none
    }

    void regressionCardHasNoThreshold()
    {
        const std::string md = io::modelCardMarkdown(*diabetesPipeline());
        QVERIFY(has(md, "- Task: regression (predicting a number)\n"));
        QVERIFY(has(md, "- Success criterion: none set\n"));
        QVERIFY(has(md, "Model: Ridge regression (ridge)"));
        QVERIFY(!has(md, "0.5 (the default threshold"));
        QVERIFY(has(md, "numbers on the target's scale"));
    }

    void exportPicksTheFormatByExtension()
    {
        const auto pipeline = titanicPipeline(true);
        QTemporaryDir dir;
        const std::string html = QDir(dir.path()).filePath("card.HTML").toStdString();
        const std::string md = QDir(dir.path()).filePath("card.md").toStdString();
        io::exportModelCard(*pipeline, html);
        io::exportModelCard(*pipeline, md);
        QCOMPARE(readFile(html), io::modelCardHtml(*pipeline));
        QCOMPARE(readFile(md), io::modelCardMarkdown(*pipeline));
    }
};

QTEST_APPLESS_MAIN(TestModelCard)
#include "tst_model_card.moc"
