#pragma once
/// \file
/// \brief The knowledge check: multiple-choice questions per step and their scoring,
/// kept apart from any widget so it can be tested on its own.

#include <QString>
#include <QStringList>

#include <optional>
#include <vector>

#include "teaching/step.hpp"

namespace stepwise::ui::teaching {

/// \brief One answer to choose, with why it is right or wrong.
struct QuizOption {
    QString text;
    QString explanation;
};

/// \brief One multiple-choice question; exactly one option is correct.
struct QuizQuestion {
    QString id;  ///< stable, e.g. "prep-scale-before-split"
    Step step;
    QString prompt;
    std::vector<QuizOption> options;
    int correct = 0;  ///< index into `options`
};

/// \brief Every question, translated, in step order.
std::vector<QuizQuestion> quizQuestions();
/// \brief The questions of one step.
std::vector<QuizQuestion> quizQuestions(Step step);

/// \brief What answering says: whether it was right, why, and which option was right.
struct QuizFeedback {
    bool correct = false;
    QString explanation;  ///< the chosen option's explanation
    int correctOption = 0;
};

/// \brief How one step went.
struct QuizStepResult {
    Step step;
    int questions = 0;
    int answered = 0;
    int correct = 0;
};

/// \brief One run through a set of questions: records the answers and scores them. A
/// question answered again keeps only the latest answer; unanswered questions count as
/// not correct.
class KnowledgeCheck {
public:
    /// \brief A check over `questions` (e.g. `quizQuestions()` or one step's).
    explicit KnowledgeCheck(std::vector<QuizQuestion> questions);

    /// \brief The number of questions.
    int questionCount() const { return int(m_questions.size()); }
    /// \brief Question `index`; throws `std::out_of_range` for an index outside the set.
    const QuizQuestion& question(int index) const;
    /// \brief Records option `option` for question `question` and says whether it is
    /// right. Throws `std::out_of_range` for a question or option that does not exist.
    QuizFeedback answer(int question, int option);
    /// \brief The option chosen for `question`; nullopt while unanswered.
    std::optional<int> chosen(int question) const;
    /// \brief How many questions have an answer.
    int answeredCount() const;
    /// \brief How many answers are correct.
    int score() const;
    /// \brief "5 of 8 correct".
    QString scoreText() const;
    /// \brief One entry per step that has questions here, in step order.
    std::vector<QuizStepResult> stepResults() const;
    /// \brief Steps with a wrong or missing answer, in step order: what to revisit.
    std::vector<Step> stepsToRevisit() const;
    /// \brief Forgets every answer.
    void reset();

private:
    std::vector<QuizQuestion> m_questions;
    std::vector<std::optional<int>> m_answers;
};

} // namespace stepwise::ui::teaching
