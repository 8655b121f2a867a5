#pragma once
/// \file
/// \brief The Evaluation page's comparison tab: every model of the leaderboard side by
/// side on every metric, and the choice of the one to export.

#include <QWidget>

class QLabel;
class QPushButton;
class QStackedWidget;
class QTableWidget;

namespace stepwise::ui {

class IntervalBarChart;
class Session;

/// \brief When the result has a leaderboard: one row per model (in leaderboard order)
/// with every metric of the task on the test rows (the best of each column in bold),
/// the score the models were ranked on (cross-validation mean ± std or the validation
/// rows) and the fit time; the kept model is starred. Under it the ranking score of
/// each model as bars, with the cross-validation spread as whiskers. "Use this model for export"
/// makes the selected model the kept one through `Session::useLeaderboardEntry`, which
/// trains it again as the kept model so Evaluation and Export use its pipeline. Without
/// a leaderboard it says how to compare models.
class ModelComparisonView : public QWidget {
    Q_OBJECT
public:
    /// \brief The fixed columns around the metrics.
    enum Column { ModelColumn = 0, FirstMetricColumn = 1 };

    explicit ModelComparisonView(Session* session, QWidget* parent = nullptr);

    /// \brief The table (empty without a leaderboard).
    QTableWidget* table() const { return m_table; }
    /// \brief The button that makes the selected model the kept one.
    QPushButton* useButton() const { return m_use; }
    /// \brief The index into `RunResult::leaderboard` shown in `row`, or -1.
    int entryAt(int row) const;
    /// \brief The sentence above the table, or the one that replaces it.
    QString noteText() const;
    /// \brief The ranking score of each model as bars (± the cross-validation spread).
    IntervalBarChart* chart() const { return m_chart; }

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    void refresh();
    void refreshButton();
    void fitTableHeight();

    Session* m_session;
    QStackedWidget* m_stack;
    QLabel* m_empty;
    QLabel* m_note;
    QTableWidget* m_table;
    IntervalBarChart* m_chart;
    QPushButton* m_use;
    QLabel* m_useNote;
};

} // namespace stepwise::ui
