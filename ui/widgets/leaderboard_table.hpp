#pragma once
/// \file
/// \brief The leaderboard of a run: every model trained on the same rows, best first.

#include <QTableWidget>

#include "stepwise/core/task_type.hpp"
#include "stepwise/workflow/runner.hpp"

namespace stepwise::ui {

/// \brief One row per `RunResult::leaderboard` entry, in its order: rank, model (the
/// kept one starred and bold, its hyper-parameters on hover), the ranking metric where
/// it was measured (cross-validation mean ± std, validation rows or test rows) with a
/// bar — longer is better whichever way the metric runs —, the cross-validation mean ±
/// std when the ranking is not already it, the test metric (for reference), fit time.
class LeaderboardTable : public QTableWidget {
    Q_OBJECT
public:
    /// \brief The columns.
    enum Column { RankColumn, ModelColumn, RankingColumn, CvColumn, TestColumn, FitColumn, ColumnCount };

    explicit LeaderboardTable(QWidget* parent = nullptr);

    /// \brief Shows the leaderboard of `result` (a run of a `task` recipe); empty when it
    /// has none.
    void showRun(const workflow::RunResult& result, core::TaskType task);
    /// \brief Removes every row.
    void clearRun();
    /// \brief The index into `RunResult::leaderboard` shown in `row`, or -1.
    int entryAt(int row) const;
    /// \brief How the models were ranked, and what to do when the kept one is not
    /// first (rich text); a hint when there is no leaderboard.
    const QString& note() const { return m_note; }

private:
    QString m_note;
};

} // namespace stepwise::ui
