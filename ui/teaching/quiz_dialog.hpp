#pragma once
/// \file
/// \brief The knowledge-check dialog: one question at a time, the explanation after each
/// answer, and the score with what to revisit at the end.

#include <QDialog>

#include <vector>

#include "teaching/quiz.hpp"

class QButtonGroup;
class QLabel;
class QPushButton;
class QStackedWidget;
class QVBoxLayout;

namespace stepwise::ui::teaching {

/// \brief Asks `questions` in order. Choosing an option and pressing "Check answer"
/// locks the options and explains every one of them; "Next question" moves on; after the
/// last question the score ("5 of 8 correct") and the steps to revisit are shown, with
/// "Try again". Scoring is `KnowledgeCheck`'s.
class QuizDialog : public QDialog {
    Q_OBJECT
public:
    /// \brief A dialog titled `title` asking `questions`, starting at the first.
    QuizDialog(std::vector<QuizQuestion> questions, const QString& title, QWidget* parent = nullptr);

    /// \brief The answers so far and their score.
    const KnowledgeCheck& check() const { return m_check; }
    /// \brief The question shown; -1 while the score is shown.
    int currentQuestion() const { return m_summaryShown ? -1 : m_current; }
    /// \brief The score line of the summary ("5 of 8 correct").
    QString scoreText() const;
    /// \brief The summary's per-step lines, as shown.
    QString summaryText() const;

private:
    void showQuestion(int index);
    void checkAnswer();
    void next();
    void showSummary();
    void restart();

    KnowledgeCheck m_check;
    int m_current = 0;
    bool m_summaryShown = false;
    QStackedWidget* m_stack;
    QLabel* m_progress;
    QLabel* m_prompt;
    QVBoxLayout* m_optionsLayout;
    QButtonGroup* m_options;
    QLabel* m_feedback;
    QPushButton* m_checkButton;
    QPushButton* m_nextButton;
    QLabel* m_score;
    QLabel* m_summary;
};

} // namespace stepwise::ui::teaching
