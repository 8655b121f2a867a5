#pragma once
/// \file
/// \brief What every wizard page has: a title, a status banner, its content, a
/// "to continue" hint when it is not complete, and a Learn panel.

#include <QWizardPage>

#include <optional>

#include "teaching/step.hpp"

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
    /// \brief The Learn panel (the step's text, then the glossary entries of the page's
    /// "Why?" links).
    QTextBrowser* learnPanel() const { return m_learn; }
    /// \brief The glossary keys the Learn panel lists, in order.
    QStringList learnGlossaryKeys() const;
    /// \brief Opens the step's knowledge check ("Check yourself") as a window-modal dialog.
    void openKnowledgeCheck();

    void cleanupPage() override;

public slots:
    /// \brief Shows the Learn panel at glossary entry `key` (what a "Why?" link does):
    /// the entry is added to the panel when the page has no link to it, the panel is
    /// shown (and `learnPanelRequested` asks the wizard to show it on every page) and
    /// the text cursor is put on the entry. Does nothing for an unknown key.
    void showGlossaryEntry(const QString& key);

signals:
    /// \brief A "Why?" link asked for the Learn panel.
    void learnPanelRequested();

protected:
    /// \brief Where the page puts its widgets.
    QVBoxLayout* contentLayout() const { return m_content; }
    /// \brief Makes the Learn panel teach `step` (texts from teaching/learn_content).
    /// Call it at the end of the constructor, after the page's "Why?" links are attached.
    void setLearnStep(teaching::Step step);
    /// \brief Re-evaluates completeness: updates the hint and tells the wizard.
    void updateCompleteness();

private:
    Session* m_session;
    QString m_title;
    StatusBanner* m_banner;
    QVBoxLayout* m_content;
    QLabel* m_hint;
    QTextBrowser* m_learn;
    void renderLearn();
    std::optional<teaching::Step> m_step;
    QStringList m_extraKeys;  // entries opened without a link on this page
};

/// \brief A bold section caption with a hairline under it, for grouping a page's parts.
QLabel* makeSectionTitle(const QString& text, QWidget* parent);
/// \brief A muted, word-wrapped explanatory label.
QLabel* makeNote(const QString& text, QWidget* parent);

} // namespace stepwise::ui
