// The knowledge check's questions and its scoring, without widgets: enough questions,
// every step covered, exactly one right option per question (the only explanation that
// says "Right"), an explanation for every option, and scores for right, wrong,
// unanswered and re-answered questions, per step and after a reset.
#include <QtTest>

#include <set>
#include <stdexcept>

#include "teaching/quiz.hpp"

using namespace stepwise::ui::teaching;

class TestQuiz : public QObject {
    Q_OBJECT
private slots:
    void everyStepHasQuestions()
    {
        const auto questions = quizQuestions();
        QVERIFY(questions.size() >= 7);
        for (const Step step : kAllSteps) {
            QVERIFY2(!quizQuestions(step).empty(), qPrintable(stepId(step)));
            for (const QuizQuestion& q : quizQuestions(step))
                QVERIFY(q.step == step);
        }
        std::set<QString> ids;
        for (const QuizQuestion& q : questions)
            QVERIFY2(ids.insert(q.id).second, qPrintable(q.id));
    }

    void eachQuestionHasOneRightOptionAndExplainsEveryOption()
    {
        for (const QuizQuestion& q : quizQuestions()) {
            QVERIFY2(!q.prompt.isEmpty(), qPrintable(q.id));
            QVERIFY2(q.options.size() >= 3, qPrintable(q.id));
            QVERIFY2(q.correct >= 0 && q.correct < int(q.options.size()), qPrintable(q.id));
            int saysRight = 0;
            std::set<QString> texts;
            for (int i = 0; i < int(q.options.size()); ++i) {
                const QuizOption& option = q.options[std::size_t(i)];
                QVERIFY2(!option.text.isEmpty(), qPrintable(q.id));
                QVERIFY2(texts.insert(option.text).second, qPrintable(q.id));
                QVERIFY2(option.explanation.size() > 20, qPrintable(q.id + QStringLiteral(" option ") + QString::number(i)));
                if (option.explanation.startsWith(QStringLiteral("Right")))
                    ++saysRight;
            }
            // The explanations agree with the key: only the right option's says so.
            QVERIFY2(saysRight == 1, qPrintable(q.id));
            QVERIFY2(q.options[std::size_t(q.correct)].explanation.startsWith(QStringLiteral("Right")), qPrintable(q.id));
        }
    }

    void scoresRightWrongUnansweredAndReanswered()
    {
        KnowledgeCheck check(threeQuestions());
        QCOMPARE(check.questionCount(), 3);
        QCOMPARE(check.score(), 0);
        QCOMPARE(check.answeredCount(), 0);
        QCOMPARE(check.scoreText(), QStringLiteral("0 of 3 correct"));
        QVERIFY(!check.chosen(0));

        // Right.
        QuizFeedback feedback = check.answer(0, 1);
        QVERIFY(feedback.correct);
        QCOMPARE(feedback.correctOption, 1);
        QCOMPARE(feedback.explanation, QStringLiteral("b is right"));
        QCOMPARE(check.score(), 1);
        QCOMPARE(check.chosen(0), std::optional<int>(1));

        // Wrong: the chosen option's explanation, and which one was right.
        feedback = check.answer(1, 0);
        QVERIFY(!feedback.correct);
        QCOMPARE(feedback.correctOption, 2);
        QCOMPARE(feedback.explanation, QStringLiteral("x is wrong"));
        QCOMPARE(check.score(), 1);
        QCOMPARE(check.answeredCount(), 2);

        // Question 2 stays unanswered: it counts as not correct.
        QCOMPARE(check.scoreText(), QStringLiteral("1 of 3 correct"));

        // Re-answered: the latest answer counts, both ways.
        QVERIFY(check.answer(1, 2).correct);
        QCOMPARE(check.score(), 2);
        QVERIFY(!check.answer(0, 0).correct);
        QCOMPARE(check.score(), 1);
        QCOMPARE(check.answeredCount(), 2);

        // Per step: Prep has questions 0 and 1 (0 now wrong), Evaluation question 2 (unanswered).
        const auto results = check.stepResults();
        QCOMPARE(results.size(), std::size_t(2));
        QVERIFY(results[0].step == Step::Prep);
        QCOMPARE(results[0].questions, 2);
        QCOMPARE(results[0].answered, 2);
        QCOMPARE(results[0].correct, 1);
        QVERIFY(results[1].step == Step::Evaluation);
        QCOMPARE(results[1].questions, 1);
        QCOMPARE(results[1].answered, 0);
        QCOMPARE(results[1].correct, 0);
        QCOMPARE(check.stepsToRevisit(), (std::vector<Step>{Step::Prep, Step::Evaluation}));

        check.answer(0, 1);
        check.answer(2, 0);
        QCOMPARE(check.score(), 3);
        QVERIFY(check.stepsToRevisit().empty());
        QCOMPARE(check.scoreText(), QStringLiteral("3 of 3 correct"));

        check.reset();
        QCOMPARE(check.score(), 0);
        QCOMPARE(check.answeredCount(), 0);
        QVERIFY(!check.chosen(2));
    }

    void rejectsQuestionsAndOptionsThatDoNotExist()
    {
        KnowledgeCheck check(threeQuestions());
        QVERIFY_THROWS_EXCEPTION(std::out_of_range, check.answer(3, 0));
        QVERIFY_THROWS_EXCEPTION(std::out_of_range, check.answer(-1, 0));
        QVERIFY_THROWS_EXCEPTION(std::out_of_range, check.answer(0, 3));
        QVERIFY_THROWS_EXCEPTION(std::out_of_range, check.question(7));
        QCOMPARE(check.answeredCount(), 0);
    }

    void theRealQuestionsScoreFullMarksOnlyWithTheKey()
    {
        KnowledgeCheck check(quizQuestions());
        for (int i = 0; i < check.questionCount(); ++i)
            QVERIFY(check.answer(i, check.question(i).correct).correct);
        QCOMPARE(check.score(), check.questionCount());
        QVERIFY(check.stepsToRevisit().empty());
        for (int i = 0; i < check.questionCount(); ++i)
            QVERIFY(!check.answer(i, (check.question(i).correct + 1) % int(check.question(i).options.size())).correct);
        QCOMPARE(check.score(), 0);
        QCOMPARE(check.stepsToRevisit().size(), kAllSteps.size());
    }

private:
    static std::vector<QuizQuestion> threeQuestions()
    {
        return {{QStringLiteral("q0"), Step::Prep, QStringLiteral("first?"),
                 {{QStringLiteral("a"), QStringLiteral("a is wrong")}, {QStringLiteral("b"), QStringLiteral("b is right")},
                  {QStringLiteral("c"), QStringLiteral("c is wrong")}},
                 1},
                {QStringLiteral("q1"), Step::Prep, QStringLiteral("second?"),
                 {{QStringLiteral("x"), QStringLiteral("x is wrong")}, {QStringLiteral("y"), QStringLiteral("y is wrong")},
                  {QStringLiteral("z"), QStringLiteral("z is right")}},
                 2},
                {QStringLiteral("q2"), Step::Evaluation, QStringLiteral("third?"),
                 {{QStringLiteral("p"), QStringLiteral("p is right")}, {QStringLiteral("q"), QStringLiteral("q is wrong")}},
                 0}};
    }
};

QTEST_GUILESS_MAIN(TestQuiz)
#include "tst_quiz.moc"
