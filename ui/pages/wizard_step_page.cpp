#include "pages/wizard_step_page.hpp"

#include <QHBoxLayout>
#include <QLabel>
#include <QTextBrowser>
#include <QVBoxLayout>

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
    m_learn->setOpenExternalLinks(true);
    m_learn->setFixedWidth(260);
    m_learn->setFrameShape(QFrame::StyledPanel);
    m_learn->setVisible(false);
    outer->addWidget(m_learn);

    connect(m_banner, &StatusBanner::changed, this, &WizardStepPage::completeChanged);
}

bool WizardStepPage::isComplete() const { return incompleteReason().isEmpty(); }

QString WizardStepPage::hintText() const { return m_hint->isVisible() ? m_hint->text() : QString(); }

void WizardStepPage::setLearnVisible(bool visible) { m_learn->setVisible(visible); }

bool WizardStepPage::isLearnVisible() const { return m_learn->isVisible(); }

void WizardStepPage::setLearnText(const QString& html)
{
    m_learn->setHtml(QStringLiteral("<h3>Learn: %1</h3>").arg(m_title.toHtmlEscaped()) + html);
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
