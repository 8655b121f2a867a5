#pragma once
/// \file
/// \brief The History view: every training run of the session, two of them (or one and
/// the current recipe) compared, and a run's recipe restored.

#include <QList>
#include <QWidget>

#include <optional>
#include <vector>

#include "stepwise/io/project.hpp"
#include "stepwise/workflow/recipe.hpp"

class QLabel;
class QListWidget;
class QPushButton;
class QTableView;
class QTableWidget;

namespace stepwise::ui {

class RunTableModel;

/// \brief A table of runs (newest first; the note is editable) over a comparison pane.
/// Two selected runs compare older → newer; one selected run compares with the current
/// recipe (`setCurrentRecipe`), its metrics beside those of the newest run of that recipe
/// if there is one. The pane lists the recipe changes in words and each metric before,
/// after and the change — green when better, red when worse. "Restore this run's recipe"
/// asks for the current run (the one clicked last) to be restored.
class RunHistoryView : public QWidget {
    Q_OBJECT
public:
    /// \brief Columns of `metricTable()`.
    enum MetricColumn { MetricNameColumn, BeforeColumn, AfterColumn, ChangeColumn, MetricColumnCount };

    explicit RunHistoryView(QWidget* parent = nullptr);

    /// \brief Shows `runs` (oldest first, as a project keeps them), keeping the selection
    /// of runs that are still there; with nothing selected, or only the newest run
    /// selected before, the newest run is.
    void setRuns(const std::vector<io::RunRecord>& runs);
    /// \brief The recipe as it is now, compared with a single selected run.
    void setCurrentRecipe(const workflow::Recipe& recipe);
    /// \brief Selects the runs with `runIds`; the last becomes the current one (the run
    /// restore acts on). False when one of them is not listed (nothing changes then).
    bool selectRuns(const QList<int>& runIds);
    /// \brief The selected runs' ids, ascending.
    QList<int> selectedRunIds() const;
    /// \brief The run "Restore" acts on (-1 when none is selected).
    int restoreRunId() const { return m_restoreId; }

    /// \brief The runs table and its model.
    QTableView* runTable() const { return m_table; }
    RunTableModel* runModel() const { return m_model; }
    /// \brief What is compared ("Run #2 → Run #3", "Run #3 → current recipe").
    QLabel* comparisonTitle() const { return m_title; }
    /// \brief The recipe changes, one line each.
    QListWidget* recipeChanges() const { return m_changes; }
    /// \brief The metric diff: metric, before, after, change (coloured by direction).
    QTableWidget* metricTable() const { return m_metrics; }
    /// \brief "Restore run #N's recipe".
    QPushButton* restoreButton() const { return m_restore; }

signals:
    /// \brief The user asked to make run `runId`'s recipe the current one again.
    void restoreRequested(int runId);
    /// \brief The user changed the note of run `runId`.
    void noteEdited(int runId, const QString& note);

private:
    void refreshComparison();
    void showMetrics(const io::RunRecord& before, const io::RunRecord* after, const QString& beforeTitle,
                     const QString& afterTitle, const workflow::Recipe& recipe);

    RunTableModel* m_model;
    QTableView* m_table;
    QLabel* m_empty;
    QLabel* m_title;
    QListWidget* m_changes;
    QTableWidget* m_metrics;
    QPushButton* m_restore;
    std::optional<workflow::Recipe> m_current;
    int m_restoreId = -1;
};

} // namespace stepwise::ui
