#include "session/live_preview.hpp"

#include "session/session.hpp"
#include "tasks/background_task.hpp"

namespace stepwise::ui {

LivePreview::LivePreview(Session* session, QObject* parent)
    : QObject(parent),
      m_session(session),
      m_task(new BackgroundTask(tr("Previewing the pipeline"), this)),
      m_distributionTask(new BackgroundTask(tr("Counting values"), this))
{
    m_debounce.setSingleShot(true);
    m_debounce.setInterval(kDebounceMs);
    connect(&m_debounce, &QTimer::timeout, this, &LivePreview::run);
    connect(session, &Session::recipeChanged, this, &LivePreview::schedule);
    connect(session, &Session::dataChanged, this, &LivePreview::schedule);
}

// The tasks cancel and wait in their destructors; they go first, while the data their
// workers read is still held by the lambdas they run.
LivePreview::~LivePreview()
{
    delete m_task;
    delete m_distributionTask;
}

void LivePreview::setActive(bool active)
{
    m_active = active;
    if (!active) {
        m_debounce.stop();
        return;
    }
    if (m_stale)
        schedule();
}

void LivePreview::setSelectedStep(std::optional<std::size_t> index)
{
    if (index == m_selected)
        return;
    m_selected = index;
    schedule();
}

void LivePreview::setCountsDuplicates(bool counts)
{
    if (counts == m_countsDuplicates)
        return;
    m_countsDuplicates = counts;
    schedule();
}

void LivePreview::setFocusColumn(const std::string& column)
{
    if (column == m_focusColumn)
        return;
    m_focusColumn = column;
    // While a result is being delivered the comparison runs once, after the pages chose.
    if (!m_delivering)
        compare();
}

bool LivePreview::isPending() const { return m_debounce.isActive() || m_task->isRunning(); }

bool LivePreview::isCurrent() const
{
    return m_result && !isPending() && m_result->selectedStep == m_selected &&
           workflow::recipeToJson(m_result->recipe) == workflow::recipeToJson(m_session->recipe());
}

void LivePreview::schedule()
{
    m_stale = true;
    if (m_active)
        m_debounce.start();
}

void LivePreview::run()
{
    m_stale = false;
    const auto table = m_session->table();
    if (!table) {
        m_task->cancel();
        m_result.reset();
        m_comparison.reset();
        emit updated();
        emit comparisonUpdated();
        return;
    }
    PipelineCheckRequest request;
    request.recipe = m_session->recipe();
    request.table = table;
    request.selectedStep = m_selected;
    request.countDuplicates = m_countsDuplicates;
    m_task->start(
        tr("Previewing the pipeline"),
        [request](core::TaskControl& control) -> std::any {
            return std::make_shared<const PipelineCheck>(checkPipeline(request, control));
        },
        [this](const std::any& value) {
            m_result = std::any_cast<std::shared_ptr<const PipelineCheck>>(value);
            m_delivering = true;
            emit updated();
            m_delivering = false;
            compare();
        });
}

void LivePreview::compare()
{
    if (!m_result || m_focusColumn.empty() || (!m_result->before && !m_result->after)) {
        m_distributionTask->cancel();
        if (m_comparison) {
            m_comparison.reset();
            emit comparisonUpdated();
        }
        return;
    }
    const auto check = m_result;
    const std::string column = m_focusColumn;
    m_distributionTask->start(
        tr("Counting the values of %1").arg(QString::fromStdString(column)),
        [check, column](core::TaskControl& control) -> std::any {
            return std::make_shared<const ColumnComparison>(compareColumn(check->before, check->after, column, control));
        },
        [this, check](const std::any& value) {
            // Distributions of tables a newer check replaced would show the wrong step.
            if (check != m_result)
                return;
            m_comparison = std::any_cast<std::shared_ptr<const ColumnComparison>>(value);
            emit comparisonUpdated();
        });
}

} // namespace stepwise::ui
