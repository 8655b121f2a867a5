#include "teaching/quiz_dialog.hpp"

#include <QButtonGroup>
#include <QDialogButtonBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QRadioButton>
#include <QStackedWidget>
#include <QVBoxLayout>

namespace stepwise::ui::teaching {

QuizDialog::QuizDialog(std::vector<QuizQuestion> questions, const QString& title, QWidget* parent)
    : QDialog(parent),
      m_check(std::move(questions)),
      m_stack(new QStackedWidget(this)),
      m_progress(new QLabel(this)),
      m_prompt(new QLabel(this)),
      m_optionsLayout(new QVBoxLayout),
      m_options(new QButtonGroup(this)),
      m_feedback(new QLabel(this)),
      m_checkButton(new QPushButton(tr("Check answer"), this)),
      m_nextButton(new QPushButton(tr("Next question"), this)),
      m_score(new QLabel(this)),
      m_summary(new QLabel(this))
{
    setObjectName(QStringLiteral("quizDialog"));
    setWindowTitle(title);
    m_progress->setObjectName(QStringLiteral("quizProgress"));
    m_prompt->setObjectName(QStringLiteral("quizPrompt"));
    m_feedback->setObjectName(QStringLiteral("quizFeedback"));
    m_checkButton->setObjectName(QStringLiteral("quizCheckButton"));
    m_nextButton->setObjectName(QStringLiteral("quizNextButton"));
    m_score->setObjectName(QStringLiteral("quizScore"));
    m_summary->setObjectName(QStringLiteral("quizSummary"));

    QFont promptFont = m_prompt->font();
    promptFont.setPointSizeF(promptFont.pointSizeF() * 1.15);
    promptFont.setBold(true);
    m_prompt->setFont(promptFont);
    m_prompt->setWordWrap(true);
    m_feedback->setWordWrap(true);
    m_feedback->setTextFormat(Qt::RichText);
    m_feedback->setFrameShape(QFrame::StyledPanel);
    m_feedback->setMargin(8);
    m_feedback->setMinimumHeight(60);
    m_feedback->setAlignment(Qt::AlignTop | Qt::AlignLeft);

    auto* questionPage = new QWidget(this);
    auto* questionLayout = new QVBoxLayout(questionPage);
    questionLayout->addWidget(m_progress);
    questionLayout->addWidget(m_prompt);
    m_optionsLayout->setSpacing(6);
    questionLayout->addLayout(m_optionsLayout);
    questionLayout->addWidget(m_feedback, 1);
    auto* buttons = new QHBoxLayout;
    buttons->addStretch(1);
    buttons->addWidget(m_checkButton);
    buttons->addWidget(m_nextButton);
    questionLayout->addLayout(buttons);

    auto* summaryPage = new QWidget(this);
    auto* summaryLayout = new QVBoxLayout(summaryPage);
    QFont scoreFont = m_score->font();
    scoreFont.setPointSizeF(scoreFont.pointSizeF() * 1.6);
    scoreFont.setBold(true);
    m_score->setFont(scoreFont);
    m_summary->setWordWrap(true);
    m_summary->setTextFormat(Qt::RichText);
    m_summary->setAlignment(Qt::AlignTop | Qt::AlignLeft);
    auto* restartButton = new QPushButton(tr("Try again"), this);
    restartButton->setObjectName(QStringLiteral("quizRestartButton"));
    summaryLayout->addWidget(m_score);
    summaryLayout->addWidget(m_summary, 1);
    auto* summaryButtons = new QHBoxLayout;
    summaryButtons->addStretch(1);
    summaryButtons->addWidget(restartButton);
    summaryLayout->addLayout(summaryButtons);

    m_stack->addWidget(questionPage);
    m_stack->addWidget(summaryPage);
    auto* close = new QDialogButtonBox(QDialogButtonBox::Close, this);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_stack, 1);
    layout->addWidget(close);

    connect(close, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_checkButton, &QPushButton::clicked, this, &QuizDialog::checkAnswer);
    connect(m_nextButton, &QPushButton::clicked, this, &QuizDialog::next);
    connect(restartButton, &QPushButton::clicked, this, &QuizDialog::restart);
    connect(m_options, &QButtonGroup::idClicked, this, [this] { m_checkButton->setEnabled(true); });

    resize(560, 460);
    if (m_check.questionCount() > 0)
        showQuestion(0);
    else
        showSummary();
}

QString QuizDialog::scoreText() const { return m_score->text(); }

QString QuizDialog::summaryText() const { return m_summary->text(); }

void QuizDialog::showQuestion(int index)
{
    m_current = index;
    m_summaryShown = false;
    m_stack->setCurrentIndex(0);
    const QuizQuestion& q = m_check.question(index);
    m_progress->setText(tr("Question %1 of %2 · Step: %3").arg(index + 1).arg(m_check.questionCount()).arg(stepName(q.step)));
    m_prompt->setText(q.prompt);
    for (QAbstractButton* button : m_options->buttons()) {
        m_options->removeButton(button);
        delete button;
    }
    for (int i = 0; i < int(q.options.size()); ++i) {
        auto* option = new QRadioButton(q.options[std::size_t(i)].text, this);
        option->setObjectName(QStringLiteral("quizOption%1").arg(i));
        m_options->addButton(option, i);
        m_optionsLayout->addWidget(option);
    }
    m_feedback->setText(tr("Choose an answer, then press “Check answer”."));
    m_checkButton->setEnabled(false);
    m_checkButton->setVisible(true);
    m_nextButton->setVisible(false);
    m_nextButton->setText(index + 1 < m_check.questionCount() ? tr("Next question") : tr("See the score"));
    if (QAbstractButton* first = m_options->button(0))
        first->setFocus();
}

void QuizDialog::checkAnswer()
{
    const int chosen = m_options->checkedId();
    if (chosen < 0)
        return;
    const QuizFeedback feedback = m_check.answer(m_current, chosen);
    const QuizQuestion& q = m_check.question(m_current);
    QString html = feedback.correct
                       // The right option's explanation starts with "Right:" itself.
                       ? QStringLiteral("<p><b style='color:#15803d'>✓</b> %1</p>").arg(feedback.explanation.toHtmlEscaped())
                       : QStringLiteral("<p><b style='color:#b91c1c'>✗ %1</b> %2</p>").arg(tr("Not quite."), feedback.explanation.toHtmlEscaped());
    html += QStringLiteral("<p>");
    for (int i = 0; i < int(q.options.size()); ++i) {
        if (i == chosen)
            continue;
        html += QStringLiteral("%1 <i>%2</i> — %3<br>")
                    .arg(i == q.correct ? QStringLiteral("✓") : QStringLiteral("✗"),
                         q.options[std::size_t(i)].text.toHtmlEscaped(), q.options[std::size_t(i)].explanation.toHtmlEscaped());
    }
    html += QStringLiteral("</p>");
    m_feedback->setText(html);
    // Locked but readable: the right option and a wrong choice are marked in place.
    for (QAbstractButton* button : m_options->buttons()) {
        button->setAttribute(Qt::WA_TransparentForMouseEvents);
        button->setFocusPolicy(Qt::NoFocus);
        const int id = m_options->id(button);
        if (id == q.correct)
            button->setText(QStringLiteral("✓ ") + button->text());
        else if (id == chosen)
            button->setText(QStringLiteral("✗ ") + button->text());
    }
    m_checkButton->setVisible(false);
    m_nextButton->setVisible(true);
    m_nextButton->setFocus();
}

void QuizDialog::next()
{
    if (m_current + 1 < m_check.questionCount())
        showQuestion(m_current + 1);
    else
        showSummary();
}

void QuizDialog::showSummary()
{
    m_summaryShown = true;
    m_stack->setCurrentIndex(1);
    m_score->setText(m_check.scoreText());
    QString html = QStringLiteral("<table cellspacing='4'>");
    for (const QuizStepResult& result : m_check.stepResults()) {
        const bool all = result.correct == result.questions;
        html += QStringLiteral("<tr><td>%1</td><td><b>%2</b></td><td>%3</td></tr>")
                    .arg(all ? QStringLiteral("✓") : QStringLiteral("↻"), stepName(result.step).toHtmlEscaped(),
                         tr("%1 of %2").arg(result.correct).arg(result.questions));
    }
    html += QStringLiteral("</table>");
    const auto revisit = m_check.stepsToRevisit();
    if (revisit.empty()) {
        html += QStringLiteral("<p>%1</p>").arg(tr("Every answer right — well done."));
    } else {
        QStringList names;
        for (const Step step : revisit)
            names << stepName(step);
        html += QStringLiteral("<p>%1</p>")
                    .arg(tr("Worth revisiting: %1. Open the step and read its Learn panel (F1).")
                             .arg(names.join(QStringLiteral(", ")))
                             .toHtmlEscaped());
    }
    m_summary->setText(html);
}

void QuizDialog::restart()
{
    m_check.reset();
    if (m_check.questionCount() > 0)
        showQuestion(0);
}

} // namespace stepwise::ui::teaching
