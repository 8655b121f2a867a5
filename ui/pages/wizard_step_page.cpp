#include "pages/wizard_step_page.hpp"

#include <QDesktopServices>
#include <QHBoxLayout>
#include <QLabel>
#include <QScrollBar>
#include <QTextBlock>
#include <QTextBrowser>
#include <QVBoxLayout>

#include "teaching/glossary.hpp"
#include "teaching/learn_content.hpp"
#include "teaching/quiz.hpp"
#include "teaching/quiz_dialog.hpp"
#include "teaching/why_link.hpp"
#include "widgets/status_banner.hpp"

namespace stepwise::ui {

QLabel* makeSectionTitle(const QString& text, QWidget* parent)
{
    auto* label = new QLabel(text, parent);
    QFont font = label->font();
    font.setBold(true);
    font.setPointSizeF(font.pointSizeF() * 1.05);
    label->setFont(font);
    return label;
}

QLabel* makeNote(const QString& text, QWidget* parent)
{
    auto* label = new QLabel(text, parent);
    label->setWordWrap(true);
    QPalette palette = label->palette();
    QColor muted = palette.color(QPalette::WindowText);
    muted.setAlphaF(0.68);
    palette.setColor(QPalette::WindowText, muted);
    label->setPalette(palette);
    return label;
}

WizardStepPage::WizardStepPage(Session* session, const QString& title, const QString& subtitle, QWidget* parent)
    : QWizardPage(parent),
      m_session(session),
      m_title(title),
      m_banner(new StatusBanner(this)),
      m_content(new QVBoxLayout),
      m_hint(new QLabel(this)),
      m_learn(new QTextBrowser(this))
{
    auto* outer = new QHBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);
    outer->setSpacing(14);

    auto* main = new QVBoxLayout;
    main->setSpacing(10);
    auto* heading = new QLabel(title, this);
    heading->setObjectName(QStringLiteral("pageTitle"));
    QFont headingFont = heading->font();
    headingFont.setPointSizeF(headingFont.pointSizeF() * 1.6);
    headingFont.setBold(true);
    heading->setFont(headingFont);
    auto* sub = makeNote(subtitle, this);
    sub->setObjectName(QStringLiteral("pageSubtitle"));
    auto* titleBox = new QVBoxLayout;
    titleBox->setSpacing(2);
    titleBox->addWidget(heading);
    titleBox->addWidget(sub);
    main->addLayout(titleBox);
    main->addWidget(m_banner);
    m_content->setSpacing(10);
    main->addLayout(m_content, 1);

    m_hint->setObjectName(QStringLiteral("incompleteHint"));
    m_hint->setWordWrap(true);
    m_hint->setTextFormat(Qt::RichText);
    main->addWidget(m_hint);
    outer->addLayout(main, 1);

    m_learn->setObjectName(QStringLiteral("learnPanel"));
    // Links are handled here: "quiz:" opens the knowledge check, web links the browser.
    m_learn->setOpenLinks(false);
    // 300 px where there is room; down to 240 px so the busiest pages (Training) still
    // fit beside it in a 1280 px window.
    m_learn->setMinimumWidth(240);
    m_learn->setMaximumWidth(300);
    m_learn->setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Expanding);
    m_learn->setFrameShape(QFrame::StyledPanel);
    m_learn->setVisible(false);
    outer->addWidget(m_learn);

    connect(m_banner, &StatusBanner::changed, this, &WizardStepPage::completeChanged);
    connect(m_learn, &QTextBrowser::anchorClicked, this, [this](const QUrl& url) {
        if (url.scheme() == QLatin1String("quiz"))
            openKnowledgeCheck();
        else if (url.scheme() == QLatin1String("why"))
            showGlossaryEntry(url.path());
        else if (url.scheme() == QLatin1String("http") || url.scheme() == QLatin1String("https"))
            QDesktopServices::openUrl(url);
        else if (url.hasFragment())
            m_learn->scrollToAnchor(url.fragment());
    });
}

bool WizardStepPage::isComplete() const { return incompleteReason().isEmpty(); }

QString WizardStepPage::hintText() const { return m_hint->isVisible() ? m_hint->text() : QString(); }

void WizardStepPage::setLearnVisible(bool visible)
{
    // The page's links may have changed (a model's form is rebuilt): list what is there now.
    if (visible && m_learn->isHidden())
        renderLearn();
    m_learn->setVisible(visible);
}

bool WizardStepPage::isLearnVisible() const { return !m_learn->isHidden(); }

void WizardStepPage::setLearnStep(teaching::Step step)
{
    m_step = step;
    renderLearn();
}

QStringList WizardStepPage::learnGlossaryKeys() const
{
    QStringList keys;
    for (const teaching::WhyLink* link : findChildren<teaching::WhyLink*>())
        for (const QString& key : link->keys())
            if (!keys.contains(key) && teaching::glossaryEntry(key))
                keys << key;
    for (const QString& key : m_extraKeys)
        if (!keys.contains(key))
            keys << key;
    return keys;
}

void WizardStepPage::renderLearn()
{
    if (!m_step)
        return;
    const int position = m_learn->verticalScrollBar() ? m_learn->verticalScrollBar()->value() : 0;
    QString html = teaching::renderLearnHtml(*m_step, teaching::learnContent(*m_step),
                                             int(teaching::quizQuestions(*m_step).size()));
    const QStringList keys = learnGlossaryKeys();
    if (!keys.isEmpty()) {
        html += QStringLiteral("<h4>%1</h4>").arg(tr("Why? — the terms on this page"));
        for (const QString& key : keys) {
            const auto entry = teaching::glossaryEntry(key);
            html += QStringLiteral("<p><a name=\"%1\"><b>%2</b></a><br>%3 <span style='color:#6b7280'>%4</span></p>")
                        .arg(teaching::glossaryAnchor(key), entry->term.toHtmlEscaped(), entry->why.toHtmlEscaped(),
                             entry->more.toHtmlEscaped());
        }
    }
    m_learn->setHtml(html);
    m_learn->verticalScrollBar()->setValue(position);
}

void WizardStepPage::showGlossaryEntry(const QString& key)
{
    if (!teaching::glossaryEntry(key))
        return;
    if (!learnGlossaryKeys().contains(key))
        m_extraKeys << key;
    renderLearn();
    m_learn->setVisible(true);
    emit learnPanelRequested();
    const QString anchor = teaching::glossaryAnchor(key);
    // The cursor goes to the entry too, so a keyboard or screen-reader user lands on it.
    for (QTextBlock block = m_learn->document()->begin(); block.isValid(); block = block.next()) {
        for (auto it = block.begin(); !it.atEnd(); ++it) {
            if (!it.fragment().charFormat().anchorNames().contains(anchor))
                continue;
            QTextCursor cursor(m_learn->document());
            cursor.setPosition(it.fragment().position());
            m_learn->setTextCursor(cursor);
            m_learn->scrollToAnchor(anchor);
            return;
        }
    }
}

void WizardStepPage::openKnowledgeCheck()
{
    if (!m_step)
        return;
    auto* dialog = new teaching::QuizDialog(teaching::quizQuestions(*m_step),
                                            tr("Check yourself: %1").arg(m_title), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->open();
}

// The session holds the user's choices; going back must not reset them (QWizard's
// default would reset registered fields).
void WizardStepPage::cleanupPage() {}

void WizardStepPage::updateCompleteness()
{
    const QString reason = incompleteReason();
    if (reason.isEmpty()) {
        m_hint->clear();
        m_hint->setVisible(false);
    } else {
        m_hint->setText(QStringLiteral("<span style='color:#b45309'>➜</span>&nbsp; <b>%1</b> %2")
                            .arg(tr("To continue:"), reason.toHtmlEscaped()));
        m_hint->setVisible(true);
    }
    emit completeChanged();
}

} // namespace stepwise::ui
