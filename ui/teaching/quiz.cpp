#include "teaching/quiz.hpp"

#include <QCoreApplication>

#include <algorithm>
#include <stdexcept>
#include <string>

namespace stepwise::ui::teaching {
namespace {

class QuizText {
    Q_DECLARE_TR_FUNCTIONS(Quiz)
public:
    static std::vector<QuizQuestion> build();
    static QString score(int correct, int total) { return tr("%1 of %2 correct").arg(correct).arg(total); }
};

std::vector<QuizQuestion> QuizText::build()
{
    std::vector<QuizQuestion> q;
    const auto add = [&q](const char* id, Step step, const QString& prompt, std::vector<QuizOption> options, int correct) {
        q.push_back({QString::fromLatin1(id), step, prompt, std::move(options), correct});
    };

    // --- Problem -----------------------------------------------------------------------
    add("problem-task-type", Step::Problem, tr("A shop wants to know how many scoops of ice cream it will sell tomorrow. Which kind of prediction is this?"),
        {{tr("Classification"), tr("Not quite: classification picks one of a fixed set of labels. A count of scoops is a quantity.")},
         {tr("Regression"), tr("Right: the answer is a number (“how much?”), so it is regression.")},
         {tr("Clustering"), tr("Clustering groups rows without a target; here there is a clear value to predict.")}},
        1);
    add("problem-imbalanced-metric", Step::Problem, tr("Only 3 % of transactions are fraud. Which success metric is the poorest choice?"),
        {{tr("Accuracy"), tr("Right: a model that never says “fraud” scores 0.97 accuracy and catches nothing.")},
         {tr("F1 (macro)"), tr("F1 (macro) gives the rare class as much weight as the common one, so it exposes a model that ignores fraud.")},
         {tr("Balanced accuracy"), tr("Balanced accuracy averages recall over classes: never predicting fraud scores only 0.5.")},
         {tr("Average precision"), tr("Average precision focuses on how well the rare positives are ranked — a good choice here.")}},
        0);

    // --- Data ---------------------------------------------------------------------------
    add("data-leak", Step::Data, tr("On the Titanic data, the column “alive” says “yes” or “no”. What should you do with it when predicting “survived”?"),
        {{tr("Use it: it is strongly correlated with the target"), tr("That correlation is the problem: “alive” is the answer in words, so it would not be known when predicting.")},
         {tr("Leave it out: it is a target leak"), tr("Right: a column that restates the target makes the model look perfect and useless in practice.")},
         {tr("Scale it first"), tr("Scaling does not change what a column tells the model; the column gives the answer away whatever its scale.")}},
        1);
    add("data-id-column", Step::Data, tr("A column “passenger_id” has a different value in every row. Why leave it out of the inputs?"),
        {{tr("It has missing values"), tr("Not the reason: an ID is usually complete. The issue is what it can teach.")},
         {tr("It carries no general signal, so the model can only memorise rows with it"), tr("Right: a new passenger has a new ID, so nothing learned from IDs carries over.")},
         {tr("It is a number, and models need categories"), tr("Models take numbers happily; the problem is that this number means nothing about survival.")}},
        1);

    // --- Prep ---------------------------------------------------------------------------
    add("prep-scale-before-split", Step::Prep, tr("Why must filling and scaling statistics come from the training rows only?"),
        {{tr("It is faster"), tr("Speed is not the point: the order decides whether the test score is honest.")},
         {tr("Otherwise information from the test rows leaks into training and the score is too optimistic"), tr("Right: a mean or scale computed on all rows has seen the test rows, so the “exam” is no longer unseen.")},
         {tr("Test rows cannot contain missing values"), tr("They can; they are filled with the value learned from the training rows.")}},
        1);
    add("prep-time-split", Step::Prep, tr("You predict next month's sales from past months. How should the rows be split?"),
        {{tr("At random, stratified"), tr("A random split puts future months into training, so the model learns from the future; stratifying applies to classes anyway.")},
         {tr("By time: older rows train, the newest rows test"), tr("Right: this mirrors how the model will be used — trained on the past, asked about the future.")},
         {tr("It does not matter with a fixed seed"), tr("A seed makes a split repeatable, not honest; a random split of time-ordered rows still leaks the future.")}},
        1);

    // --- Features -----------------------------------------------------------------------
    add("features-nominal-encoding", Step::Features, tr("The column “embarked” has the values C, Q and S (ports). How should it be encoded for a linear model?"),
        {{tr("Ordinal: C=0, Q=1, S=2"), tr("That invents an order (Q between C and S, S twice C) that the linear model will use as if it were real.")},
         {tr("One-hot: a 0/1 column per port"), tr("Right: ports have no order, and one-hot lets the model give each port its own weight.")},
         {tr("Leave the text as it is"), tr("Models need numbers; the text has to be encoded.")}},
        1);
    add("features-scaling-trees", Step::Features, tr("Which model needs its numeric inputs scaled?"),
        {{tr("Random forest"), tr("Trees split on one column at a time by thresholds, so the scale of a column does not matter.")},
         {tr("k-nearest neighbours"), tr("Right: distances mix the columns, so a column in thousands drowns one in fractions unless they are scaled.")},
         {tr("Decision tree"), tr("Like a forest, a single tree only compares a column with a threshold; scaling changes nothing.")}},
        1);

    // --- Training -----------------------------------------------------------------------
    add("training-tune-on-test", Step::Training, tr("You try 50 settings and keep the one with the best test score. What is wrong?"),
        {{tr("Nothing: the test rows are unseen data"), tr("They were unseen until you chose by them; picking the best of 50 test scores fits the test rows.")},
         {tr("The test score is now an optimistic estimate; choose by validation or cross-validation instead"), tr("Right: keep the test rows for one final check after every choice is made.")},
         {tr("50 settings are too few"), tr("The number of settings is not the problem; where they are scored is.")}},
        1);
    add("training-overfit", Step::Training, tr("Training accuracy is 0.99 and cross-validated accuracy 0.78. What does it suggest?"),
        {{tr("Overfitting: simplify or regularise the model"), tr("Right: the model memorises the training rows; limit depth, raise min_samples_leaf or lower C.")},
         {tr("Underfitting: use a more complex model"), tr("An underfit model scores poorly on the training rows too; 0.99 is not poor.")},
         {tr("A bug in cross-validation"), tr("A gap like this is normal for a model that memorises; it is the warning cross-validation is there to give.")}},
        0);

    // --- Evaluation ---------------------------------------------------------------------
    add("evaluation-confusion-cell", Step::Evaluation, tr("In the confusion matrix, rows are actual classes and columns predicted ones. What does the cell (actual “yes”, predicted “no”) count?"),
        {{tr("True positives"), tr("True positives sit on the diagonal: actual “yes”, predicted “yes”.")},
         {tr("False negatives: cases the model missed"), tr("Right: they were “yes” and the model said “no”. Recall falls as this cell grows.")},
         {tr("False positives: false alarms"), tr("False alarms are actual “no”, predicted “yes” — the opposite cell.")}},
        1);
    add("evaluation-threshold", Step::Evaluation, tr("Lowering the decision threshold from 0.5 to 0.3 usually…"),
        {{tr("raises recall and lowers precision"), tr("Right: more rows are called positive, so fewer are missed and more are false alarms.")},
         {tr("raises both precision and recall"), tr("A threshold trades one for the other; improving both needs a better model.")},
         {tr("changes ROC AUC"), tr("ROC AUC summarises every threshold at once, so moving the threshold does not change it.")}},
        0);

    // --- Export -------------------------------------------------------------------------
    add("export-whole-pipeline", Step::Export, tr("Why does the model file hold the whole pipeline and not only the model?"),
        {{tr("So new rows get the same filling, scaling and encoding learned from the training rows"), tr("Right: a model fed raw or differently prepared rows gives silently wrong answers.")},
         {tr("To make the file smaller"), tr("It makes the file a little larger; correctness is the reason.")},
         {tr("Because ONNX requires it"), tr("The native file holds the pipeline for its own sake; ONNX export carries it too, but that is not why.")}},
        0);
    add("export-drift", Step::Export, tr("Months after deployment, many rows contain categories never seen in training. What does it suggest?"),
        {{tr("Nothing, unknown categories are ignored"), tr("They are ignored so predictions keep running — but the model knows nothing about them, so quality drops unseen.")},
         {tr("The data has drifted; check the model on fresh data and plan to retrain"), tr("Right: the world the model learned from has changed.")},
         {tr("The model file is corrupt"), tr("The SHA-256 tells whether a file arrived whole; new categories come from the data, not the file.")}},
        1);
    return q;
}

} // namespace

std::vector<QuizQuestion> quizQuestions() { return QuizText::build(); }

std::vector<QuizQuestion> quizQuestions(Step step)
{
    std::vector<QuizQuestion> all = quizQuestions();
    std::erase_if(all, [step](const QuizQuestion& q) { return q.step != step; });
    return all;
}

KnowledgeCheck::KnowledgeCheck(std::vector<QuizQuestion> questions)
    : m_questions(std::move(questions)), m_answers(m_questions.size())
{
}

const QuizQuestion& KnowledgeCheck::question(int index) const
{
    if (index < 0 || index >= questionCount())
        throw std::out_of_range("question " + std::to_string(index) + " does not exist: the check has " +
                                std::to_string(questionCount()) + " questions");
    return m_questions[std::size_t(index)];
}

QuizFeedback KnowledgeCheck::answer(int questionIndex, int option)
{
    const QuizQuestion& q = question(questionIndex);
    if (option < 0 || option >= int(q.options.size()))
        throw std::out_of_range("option " + std::to_string(option) + " does not exist: question " +
                                std::to_string(questionIndex) + " has " + std::to_string(q.options.size()) +
                                " options");
    m_answers[std::size_t(questionIndex)] = option;
    return {option == q.correct, q.options[std::size_t(option)].explanation, q.correct};
}

std::optional<int> KnowledgeCheck::chosen(int questionIndex) const
{
    question(questionIndex);
    return m_answers[std::size_t(questionIndex)];
}

int KnowledgeCheck::answeredCount() const
{
    return int(std::count_if(m_answers.begin(), m_answers.end(), [](const auto& a) { return a.has_value(); }));
}

int KnowledgeCheck::score() const
{
    int correct = 0;
    for (std::size_t i = 0; i < m_questions.size(); ++i)
        if (m_answers[i] && *m_answers[i] == m_questions[i].correct)
            ++correct;
    return correct;
}

QString KnowledgeCheck::scoreText() const { return QuizText::score(score(), questionCount()); }

std::vector<QuizStepResult> KnowledgeCheck::stepResults() const
{
    std::vector<QuizStepResult> results;
    for (const Step step : kAllSteps) {
        QuizStepResult result{step};
        for (std::size_t i = 0; i < m_questions.size(); ++i) {
            if (m_questions[i].step != step)
                continue;
            ++result.questions;
            if (m_answers[i]) {
                ++result.answered;
                if (*m_answers[i] == m_questions[i].correct)
                    ++result.correct;
            }
        }
        if (result.questions > 0)
            results.push_back(result);
    }
    return results;
}

std::vector<Step> KnowledgeCheck::stepsToRevisit() const
{
    std::vector<Step> steps;
    for (const QuizStepResult& result : stepResults())
        if (result.correct < result.questions)
            steps.push_back(result.step);
    return steps;
}

void KnowledgeCheck::reset() { std::fill(m_answers.begin(), m_answers.end(), std::nullopt); }

} // namespace stepwise::ui::teaching
