#pragma once
/// \file
/// \brief What every wizard page has: a title, a status banner, its content, a
/// "to continue" hint when it is not complete, and a Learn panel.

#include <QWizardPage>

class QBoxLayout;
class QLabel;
class QTextBrowser;
class QVBoxLayout;

namespace stepwise::ui {

class Session;
class StatusBanner;

/// \brief Base of the seven step pages. A page edits its section of the session's
/// recipe and shows results; it never computes. `isComplete()` is derived from
/// `incompleteReason()`, which the page also shows, so Next is never disabled
/// without a visible reason.
class WizardStepPage : public QWizardPage {
    Q_OBJECT
public:
    /// \brief A page titled `title`, with `subtitle` saying what the step is for.
    WizardStepPage(Session* session, const QString& title, const QString& subtitle, QWidget* parent = nullptr);

    /// \brief The shared session.
    Session* session() const { return m_session; }
    /// \brief The page's message strip.
    StatusBanner* banner() const { return m_banner; }
    /// \brief The step's short name ("Problem").
    const QString& stepTitle() const { return m_title; }

    /// \brief Why Next is disabled, in words ("Choose the target column"); empty when the
    /// page is complete.
    virtual QString incompleteReason() const = 0;
    bool isComplete() const override;
    /// \brief The hint shown under the content ("To continue: …").
    QString hintText() const;

    /// \brief Shows or hides the Learn panel (F1).
    void setLearnVisible(bool visible);
    /// \brief True when the Learn panel is shown.
    bool isLearnVisible() const;

    void cleanupPage() override;

protected:
    /// \brief Where the page puts its widgets.
    QVBoxLayout* contentLayout() const { return m_content; }
    /// \brief Sets the teaching text of the Learn panel (simple HTML).
    void setLearnText(const QString& html);
    /// \brief Re-evaluates completeness: updates the hint and tells the wizard.
    void updateCompleteness();

private:
    Session* m_session;
    QString m_title;
    StatusBanner* m_banner;
    QVBoxLayout* m_content;
    QLabel* m_hint;
    QTextBrowser* m_learn;
};

/// \brief A bold section caption with a hairline under it, for grouping a page's parts.
QLabel* makeSectionTitle(const QString& text, QWidget* parent);
/// \brief A muted, word-wrapped explanatory label.
QLabel* makeNote(const QString& text, QWidget* parent);

} // namespace stepwise::ui
