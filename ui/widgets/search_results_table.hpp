#pragma once
/// \file
/// \brief Every candidate of a hyper-parameter search, best first.

#include <QTableWidget>

#include "stepwise/core/task_type.hpp"
#include "stepwise/workflow/runner.hpp"

namespace stepwise::ui {

/// \brief One row per `SearchResult` candidate, by rank (ties in generation order):
/// rank, one column per searched parameter, the scoring metric's mean ± std over the
/// folds (the fold scores on hover), fit time. The best candidate — the one the kept
/// model was trained with — is bold on a green band and starred.
class SearchResultsTable : public QTableWidget {
    Q_OBJECT
public:
    explicit SearchResultsTable(QWidget* parent = nullptr);

    /// \brief Shows the candidates of `search` (of a `task` recipe).
    void showSearch(const workflow::SearchResult& search, core::TaskType task);
    /// \brief Removes every row.
    void clearSearch();
    /// \brief What was searched and what won (rich text); a hint when there is no search.
    const QString& note() const { return m_note; }
    /// \brief The row of the best candidate, or -1.
    int bestRow() const { return m_bestRow; }

private:
    QString m_note;
    int m_bestRow = -1;
};

} // namespace stepwise::ui
