#pragma once
/// \file
/// \brief Keeps a page's pipeline check current: after every recipe change (debounced)
/// it runs `checkPipeline` off the GUI thread, cancelling the previous run.

#include <QObject>
#include <QTimer>

#include <memory>
#include <optional>
#include <string>

#include "tasks/pipeline_check.hpp"

namespace stepwise::ui {

class BackgroundTask;
class Session;

/// \brief One page's live preview of the session's recipe. While active (the page is
/// shown) a change of the recipe, the data or the selected step schedules a check
/// `kDebounceMs` later; a newer request cancels the running one. The result and the
/// distributions of the focus column before and after the selected step arrive on the
/// GUI thread as immutable values.
class LivePreview : public QObject {
    Q_OBJECT
public:
    /// \brief Quiet time after a change before a check starts, so typing runs one check.
    static constexpr int kDebounceMs = 150;

    LivePreview(Session* session, QObject* parent = nullptr);
    ~LivePreview() override;

    /// \brief Runs checks only while active; activating with a stale result schedules one.
    void setActive(bool active);
    bool isActive() const { return m_active; }
    /// \brief The step whose rows before and after are shown (index into
    /// `workflow::pipelineSteps`), or none.
    void setSelectedStep(std::optional<std::size_t> index);
    std::optional<std::size_t> selectedStep() const { return m_selected; }
    /// \brief Also counts repeated rows (the Prep page's note).
    void setCountsDuplicates(bool counts);
    /// \brief The column whose distribution before and after the step is wanted.
    void setFocusColumn(const std::string& column);
    const std::string& focusColumn() const { return m_focusColumn; }

    /// \brief The latest check (null before the first, or without data).
    std::shared_ptr<const PipelineCheck> result() const { return m_result; }
    /// \brief Distributions of the focus column in the latest check's tables (or null).
    std::shared_ptr<const ColumnComparison> comparison() const { return m_comparison; }
    /// \brief True while a check is scheduled or running.
    bool isPending() const;
    /// \brief True when the latest check is of the session's recipe as it is now and of
    /// the selected step, with nothing newer on its way.
    bool isCurrent() const;
    /// \brief The slot the checks run on.
    BackgroundTask* task() const { return m_task; }

signals:
    /// \brief A new `result()` arrived (or the result was cleared for want of data).
    void updated();
    /// \brief A new `comparison()` arrived (or was cleared).
    void comparisonUpdated();

private:
    void schedule();
    void run();
    void compare();

    Session* m_session;
    BackgroundTask* m_task;
    BackgroundTask* m_distributionTask;
    QTimer m_debounce;
    bool m_active = false;
    bool m_stale = true;
    bool m_countsDuplicates = false;
    bool m_delivering = false;
    std::optional<std::size_t> m_selected;
    std::string m_focusColumn;
    std::shared_ptr<const PipelineCheck> m_result;
    std::shared_ptr<const ColumnComparison> m_comparison;
};

} // namespace stepwise::ui
