#pragma once
/// \file
/// \brief The Export page's predictions: score a new CSV with the model, the schema
/// checked first and every mismatch explained.

#include "widgets/export/export_section.hpp"

#include <memory>

#include "stepwise/data/table.hpp"
#include "stepwise/workflow/pipeline.hpp"
#include "stepwise/workflow/scoring.hpp"

class QListWidget;
class QPushButton;
class QTableWidget;

namespace stepwise::ui {

class BackgroundTask;
class TaskProgressPanel;

/// \brief "Score a CSV…" reads the file with the Data page's reader, compares it with the
/// pipeline's input schema (`workflow::checkSchema`) and lists every issue in words —
/// blocking ones in red, those the pipeline handles in amber, unused columns muted. When
/// nothing blocks, `workflow::scoreTable` predicts every row with a progress bar and
/// Cancel (all in one background run). The first predictions show in a table and "Save
/// predictions…" writes the predictions CSV of CLI.md (`row`, `actual` when the file has
/// the target, `predicted`, one `proba_<class>` per class).
class ScoringSection : public ExportSection {
    Q_OBJECT
public:
    /// \brief Rows shown in the preview table.
    static constexpr int kPreviewRows = 50;

    ScoringSection(Session* session, StatusBanner* banner, QWidget* parent = nullptr);
    ~ScoringSection() override;

    /// \brief Asks for a data file and scores it.
    void scoreInteractively();
    /// \brief Reads, checks and scores `path` in the background; false without a result.
    bool scoreFile(const QString& path);
    /// \brief Asks where to save the predictions and saves them.
    void savePredictionsInteractively();
    /// \brief Writes the predictions CSV to `path` in the background; false when there are
    /// no predictions.
    bool savePredictionsTo(const QString& path);

    QPushButton* scoreButton() const { return m_score; }
    QPushButton* saveButton() const { return m_save; }
    QListWidget* issuesList() const { return m_issues; }
    QTableWidget* previewTable() const { return m_preview; }
    TaskProgressPanel* progressPanel() const { return m_progress; }
    BackgroundTask* task() const { return m_task; }
    BackgroundTask* saveTask() const { return m_saveTask; }
    /// \brief The schema check of the last file read (empty before one).
    const workflow::SchemaCheck& schemaCheck() const { return m_check; }
    /// \brief The last predictions (null when the last file was not scored).
    const std::shared_ptr<const workflow::Predictions>& predictions() const { return m_predictions; }
    /// \brief The last file scored (or checked).
    const QString& scoredPath() const { return m_path; }
    const QString& savedPath() const { return m_savedPath; }

signals:
    /// \brief A file was read and checked (and scored when nothing blocked).
    void scored();

private:
    struct Outcome;
    void showOutcome(const Outcome& outcome);
    void showIssues();
    void fitIssuesHeight();
    void resizeEvent(QResizeEvent* event) override;
    void fillPreview();
    void refresh() override;

    QPushButton* m_score;
    QPushButton* m_save;
    QLabel* m_summary;
    QListWidget* m_issues;
    TaskProgressPanel* m_progress;
    QTableWidget* m_preview;
    BackgroundTask* m_task;
    BackgroundTask* m_saveTask;

    QString m_path;
    QString m_savedPath;
    std::shared_ptr<const workflow::FittedPipeline> m_scoredWith;
    std::shared_ptr<const data::Table> m_table;
    workflow::SchemaCheck m_check;
    std::shared_ptr<const workflow::Predictions> m_predictions;
};

} // namespace stepwise::ui
