#include "teaching/learn_content.hpp"

#include <QCoreApplication>

namespace stepwise::ui::teaching {
namespace {

class LearnText {
    Q_DECLARE_TR_FUNCTIONS(Learn)
public:
    static LearnContent of(Step step);
    static QStringList titles()
    {
        return {tr("What this step is for"), tr("Key activities"), tr("Common pitfalls"), tr("Tips"),
                tr("Typical share of project time")};
    }
    static QString checkYourself(int count)
    {
        return count == 1 ? tr("Check yourself: 1 question") : tr("Check yourself: %1 questions").arg(count);
    }
    static QString heading(const QString& step) { return tr("Learn: %1").arg(step); }
};

LearnContent LearnText::of(Step step)
{
    switch (step) {
    case Step::Problem:
        return {tr("Turn a wish into a question a model can answer, and decide how you will judge the answer — "
                   "before you see any result."),
                {tr("Write the <b>Objective</b> in one sentence: what is predicted, for whom, and why."),
                 tr("Choose the <b>Kind of prediction</b>: <i>Classification</i> answers “which one?”, "
                    "<i>Regression</i> “how much?”."),
                 tr("Pick the <b>Target column</b> — the value to predict."),
                 tr("Under <b>What counts as success</b>, choose a metric and a threshold; add a latency budget "
                    "(<b>Answer one row within</b>) if predictions must be fast.")},
                {tr("Choosing accuracy for an unbalanced target: predicting the majority class always scores "
                    "high."),
                 tr("Setting the bar after seeing the score — then every model “passes”."),
                 tr("A target that is not known at prediction time in the same form, or a question nobody will act "
                    "on.")},
                {tr("Unbalanced classes: F1 (macro) or balanced accuracy. Errors in money or minutes: MAE or RMSE, "
                    "in the target's units."),
                 tr("Take the threshold from the need or a baseline (“better than today's rule”), not from hope."),
                 tr("Hover any control for its short why; the <b>Why?</b> links open the explanations below.")},
                tr("About 5–10 % of a project in time, but it steers everything after it; a wrong question wastes "
                   "the rest. Shares vary widely between projects.")};
    case Step::Data:
        return {tr("Meet the data before modelling it: what each column is, how it is stored, what is missing, "
                   "and what could not be known at prediction time."),
                {tr("Load a table with <b>Open file…</b>, <b>Choose a bundled dataset…</b>, or <b>Generate synthetic…</b>."),
                 tr("On <b>Overview</b>, check each column's type, missing share and flags (ID, leak, constant)."),
                 tr("Look at <b>Distributions</b> for skew and outliers and at the target's class balance."),
                 tr("Read <b>Correlations</b>: values near ±1 mean two columns carry the same information.")},
                {tr("Keeping a <b>target leak</b> — on Titanic, <i>alive</i> is <i>survived</i> in words; the model "
                    "looks perfect and is useless."),
                 tr("Numbers that name groups (a class 1/2/3, a postcode) left as numbers, so the model assumes an "
                    "order."),
                 tr("Using an ID column as an input: it is different for every row and only memorises.")},
                {tr("For each column ask: would I know this value when I must predict?"),
                 tr("A gap can carry meaning (no cabin recorded); note it now, fill it on the Prep step."),
                 tr("Change a column's type in the <b>Overview</b> table when the guess is wrong.")},
                tr("Data and preparation together often take 60–80 % of a real project; collecting and "
                   "understanding the data is a large part of it. It varies: clean teaching data sets take far less.")};
    case Step::Prep:
        return {tr("Hold out honest test rows and clean the rest, so that everything the model learns comes "
                   "from the training rows only."),
                {tr("Set the <b>Split</b>: <b>Test</b> and <b>Validation</b> shares, <b>Stratify</b> for classes, "
                    "<b>Time order</b> when rows are ordered in time, and a <b>Seed</b>."),
                 tr("Read the <b>Data checks</b>: columns with gaps and duplicate rows (<b>Show</b>, "
                    "<b>Drop them</b>)."),
                 tr("Add <b>Prep steps</b>: fill missing values, clip or remove outliers, resample classes — they "
                    "run top to bottom."),
                 tr("Select a step to see the training rows before and after it in the <b>Preview</b>.")},
                {tr("Filling or scaling with statistics of <i>all</i> rows before splitting: the test rows leak "
                    "into training and the score is too good."),
                 tr("A random split of rows ordered in time: the model learns from the future."),
                 tr("Duplicates on both sides of the split — the model is tested on rows it has seen."),
                 tr("Removing outliers that are real, rare cases the model will meet.")},
                {tr("The median is a safer fill than the mean when a column has outliers."),
                 tr("Resampling and outlier removal change the training rows only; the test rows keep the real "
                    "class shares."),
                 tr("<b>Ctrl+Z</b> undoes any change on this page.")},
                tr("Part of the 60–80 % that data and preparation often take in a real project. It varies: messy "
                   "sources push it higher, clean sample data far lower.")};
    case Step::Features:
        return {tr("Decide which columns the model sees and turn them into numbers it can use."),
                {tr("Tick the <b>Input columns</b> to use (<b>Use all</b> / <b>Use none</b>); leaks and IDs are "
                    "left out for you."),
                 tr("Add feature steps: scale numbers, encode categories (one-hot or ordinal), extract date parts, "
                    "bin, or write a formula."),
                 tr("Check each step's columns before and after in the <b>Preview of the selected step</b>.")},
                {tr("Ordinal encoding of a category without an order (a port, a colour): the model reads a ranking "
                    "that is not there."),
                 tr("Fitting a scaler or a feature selection on all rows instead of the training rows."),
                 tr("Inputs that will not exist at prediction time, or that are computed from the target.")},
                {tr("Linear models, SVMs and k-nearest neighbours need scaling; trees do not."),
                 tr("One-hot for unordered categories; ordinal with an explicit order for ordered ones."),
                 tr("Fewer, meaningful features often beat many: a formula such as family size = siblings + "
                    "parents + 1 can say more than its parts.")},
                tr("Often 10–20 % of a project, and repeated: ideas for features come back after every evaluation. "
                   "It varies with how raw the data is.")};
    case Step::Training:
        return {tr("Fit candidate models on the training rows, compare them fairly, and keep one."),
                {tr("Tick several <b>Models</b> to compare them on the same rows; <b>Keep selected</b> chooses the "
                    "one to evaluate and export."),
                 tr("Set hyper-parameters on the <b>Parameters</b> tab — start from the defaults."),
                 tr("Turn on <b>Cross-validate on the training rows</b> (<b>CV</b> tab) for a steadier score, or "
                    "<b>Search</b> the kept model's hyper-parameters."),
                 tr("Press <b>Train</b>; watch the <b>Live</b> chart and the <b>Leaderboard</b>.")},
                {tr("Choosing a model or its settings by the test score: the test rows become training rows in "
                    "disguise."),
                 tr("Trusting a training score: it always looks better than new data will."),
                 tr("Skipping a simple baseline: a complex model must beat logistic or linear regression clearly "
                    "to be worth it.")},
                {tr("Change one thing at a time, with the seed fixed, so you know what helped."),
                 tr("A large gap between training and validation scores means overfitting: simplify or regularise."),
                 tr("The ± std of cross-validation tells how much of a difference is luck.")},
                tr("Often only 10–20 % of a project's time, though it is the part people picture; most of it is "
                   "waiting for runs. It varies: searches on large data take longer.")};
    case Step::Evaluation:
        return {tr("Judge the kept model on the test rows it never saw, against the success criterion set on the "
                   "Problem step."),
                {tr("Read the verdict and the <b>Metrics on the test rows</b>; hover a metric or use its "
                    "<b>Why?</b> link."),
                 tr("Read the <b>Confusion matrix</b> row by row; click a cell to see its rows."),
                 tr("On <b>Threshold</b>, trade precision for recall; on <b>Curves</b>, read ROC, precision-recall "
                    "and calibration."),
                 tr("Compare <b>Train vs test</b> for overfitting, and check <b>Importance</b> for columns that "
                    "should not matter.")},
                {tr("Accuracy on an unbalanced target without a baseline."),
                 tr("Going back to tune until the test score passes — the test score is then no longer an "
                    "estimate."),
                 tr("A suspiciously perfect score: look for a leak before celebrating.")},
                {tr("Compare with a baseline: always predicting the largest class already scores its share as "
                    "accuracy."),
                 tr("Choose the decision threshold for the cost of each mistake, on validation rows."),
                 tr("<b>Export report…</b> keeps the verdict and every number for later.")},
                tr("About 10–15 % of a project; more when results must be explained to others or checked for "
                   "fairness. It varies with the stakes.")};
    case Step::Export:
        return {tr("Put the model where predictions are needed, with everything needed to repeat and check it."),
                {tr("<b>Save model…</b> writes the whole pipeline — prep, features and model — in one file."),
                 tr("Export to ONNX or a Python script, write a model card, or <b>Score a CSV…</b> of new rows."),
                 tr("Start the prediction server and try the curl line; keep the <b>Command line</b> train command "
                    "with the model.")},
                {tr("Shipping the model without its preparation: new rows are not filled, scaled or encoded the "
                    "same way."),
                 tr("Ignoring drift: categories never seen in training and shifted values quietly worsen "
                    "predictions."),
                 tr("No record of how the model was made, so nobody can repeat or audit it.")},
                {tr("Check a few exported predictions against Stepwise's before relying on them."),
                 tr("The model card says what the model is for and where it must not be used."),
                 tr("Plan when to retrain: data changes.")},
                tr("Deployment and monitoring often take 10–20 % of a project, and much more in organisations "
                   "without a ready path to production. It varies the most of all steps.")};
    }
    return {};
}

} // namespace

QStringList learnSectionTitles() { return LearnText::titles(); }

LearnContent learnContent(Step step) { return LearnText::of(step); }

QString renderLearnHtml(Step step, const LearnContent& content, int questionCount)
{
    const QStringList titles = learnSectionTitles();
    const auto list = [](const QStringList& items) {
        QString html = QStringLiteral("<ul style='margin-left:-18px'>");
        for (const QString& item : items)
            html += QStringLiteral("<li>%1</li>").arg(item);
        return html + QStringLiteral("</ul>");
    };
    QString html = QStringLiteral("<h3>%1</h3>").arg(LearnText::heading(stepName(step)).toHtmlEscaped());
    html += QStringLiteral("<h4>%1</h4><p>%2</p>").arg(titles[0], content.purpose);
    html += QStringLiteral("<h4>%1</h4>").arg(titles[1]) + list(content.activities);
    html += QStringLiteral("<h4>%1</h4>").arg(titles[2]) + list(content.pitfalls);
    html += QStringLiteral("<h4>%1</h4>").arg(titles[3]) + list(content.tips);
    html += QStringLiteral("<h4>%1</h4><p>%2</p>").arg(titles[4], content.timeShare);
    if (questionCount > 0)
        html += QStringLiteral("<p><a href='quiz:%1'><b>%2</b></a></p>")
                    .arg(stepId(step), LearnText::checkYourself(questionCount).toHtmlEscaped());
    return html;
}

} // namespace stepwise::ui::teaching
