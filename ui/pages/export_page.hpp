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

class ModelCardSection;
class ModelFileSection;
class OnnxSection;
class PythonSection;
class ScoringSection;
class ServerSection;

/// \brief Every form a deployer needs, from one page: the native model file (optionally
/// encrypted, with its size and SHA-256), the `stepwise-cli predict` and `train` command
/// lines, ONNX, a scikit-learn script, the model card, predictions for a new CSV (schema
/// checked first) and a live prediction server with a working `curl` line. All writing
/// and scoring runs in the background; failures show in the banner and leave existing
/// files as they were. Complete once the current model is saved.
class ExportPage : public WizardStepPage {
    Q_OBJECT
public:
    explicit ExportPage(Session* session, QWidget* parent = nullptr);
    ~ExportPage() override;
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
    /// \brief The export and serve commands as shown, one per line.
    QString deployCommands() const;
    /// \brief Whether the last-folder setting is read and written (off in demo mode).
    void setUsesSettings(bool uses);

    ModelFileSection* modelFileSection() const { return m_modelFile; }
    OnnxSection* onnxSection() const { return m_onnx; }
    PythonSection* pythonSection() const { return m_python; }
    ModelCardSection* modelCardSection() const { return m_card; }
    ScoringSection* scoringSection() const { return m_scoring; }
    ServerSection* serverSection() const { return m_server; }

private:
    void refresh();

    ModelFileSection* m_modelFile;
    OnnxSection* m_onnx;
    PythonSection* m_python;
    ModelCardSection* m_card;
    ScoringSection* m_scoring;
    ServerSection* m_server;
    QLineEdit* m_predict;
    QPlainTextEdit* m_train;
    QPlainTextEdit* m_deploy;
    QLabel* m_predictNote;
    QFormLayout* m_facts;
    QWidget* m_factsBox;
};

/// \brief Quotes `text` for a POSIX shell when it has characters the shell would treat
/// specially.
QString shellQuote(const QString& text);
/// \brief The `stepwise-cli train …` command line equivalent to `recipe`.
QString trainCommandFor(const workflow::Recipe& recipe, const QString& modelPath);
/// \brief The DATA argument of the CLI for a data source ("builtin:titanic", a path).
QString cliDataArgument(const data::DataSource& source);

} // namespace stepwise::ui
