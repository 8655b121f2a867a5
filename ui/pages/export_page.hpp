#pragma once
/// \file
/// \brief Step 7: save the fitted pipeline and show how to use it outside the GUI.

#include "pages/wizard_step_page.hpp"

#include "stepwise/workflow/recipe.hpp"

class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QFormLayout;

namespace stepwise::ui {

/// \brief Saves the result's pipeline (`io::saveModel`, in the background) and shows the
/// exact `stepwise-cli predict` command for it, plus the `stepwise-cli train` command
/// that reproduces the run. Complete once the current model is saved.
class ExportPage : public WizardStepPage {
    Q_OBJECT
public:
    explicit ExportPage(Session* session, QWidget* parent = nullptr);
    QString incompleteReason() const override;
    void initializePage() override;

    /// \brief Asks where to save (remembering the folder) and saves.
    void saveModelInteractively();
    /// \brief Saves to `path` without asking.
    void saveModelTo(const QString& path);
    /// \brief The predict command as shown.
    QString predictCommand() const;
    /// \brief The train command as shown.
    QString trainCommand() const;
    /// \brief Whether the last-folder setting is read and written (off in demo mode).
    void setUsesSettings(bool uses) { m_usesSettings = uses; }

private:
    void refresh();

    QPushButton* m_save;
    QLabel* m_path;
    QLineEdit* m_predict;
    QPlainTextEdit* m_train;
    QLabel* m_predictNote;
    QFormLayout* m_facts;
    QWidget* m_factsBox;
    bool m_usesSettings = true;
};

/// \brief Quotes `text` for a POSIX shell when it has characters the shell would treat
/// specially.
QString shellQuote(const QString& text);
/// \brief The `stepwise-cli train …` command line equivalent to `recipe`.
QString trainCommandFor(const workflow::Recipe& recipe, const QString& modelPath);
/// \brief The DATA argument of the CLI for a data source ("builtin:titanic", a path).
QString cliDataArgument(const data::DataSource& source);

} // namespace stepwise::ui
