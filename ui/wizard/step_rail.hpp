#pragma once
/// \file
/// \brief The wizard's side rail: the seven steps with their state, and running work.

#include <QAbstractButton>
#include <QList>
#include <QWidget>

class QVBoxLayout;

class QMenuBar;

namespace stepwise::ui {

class TaskProgressPanel;

/// \brief State of one step in the rail.
enum class StepState {
    NotReached,  ///< not visited yet
    Reached,     ///< visited, not complete
    Current,     ///< the page shown
    Done,        ///< visited and complete
};

/// \brief One clickable step: a numbered (or ✓) circle, the title, and an amber count
/// of warnings when the step needs attention.
class StepRailItem : public QAbstractButton {
    Q_OBJECT
public:
    StepRailItem(int number, const QString& title, QWidget* parent = nullptr);
    /// \brief Sets the state and the number of warnings/errors shown.
    void setState(StepState state, int attention);
    StepState state() const { return m_state; }
    int attention() const { return m_attention; }
    /// \brief Draws the connector line to the next step.
    void setLast(bool last) { m_last = last; }
    QSize sizeHint() const override;

protected:
    void paintEvent(QPaintEvent* event) override;
    void enterEvent(QEnterEvent* event) override;
    void leaveEvent(QEvent* event) override;

private:
    int m_number;
    StepState m_state = StepState::NotReached;
    int m_attention = 0;
    bool m_last = false;
    bool m_hover = false;
};

/// \brief The rail: application name, the step items, and (at the bottom) a compact
/// progress panel for each background task while it runs, so running work is visible
/// from every page.
class StepRail : public QWidget {
    Q_OBJECT
public:
    explicit StepRail(const QStringList& steps, QWidget* parent = nullptr);
    /// \brief The item of step `index` (0-based).
    StepRailItem* item(int index) const { return m_items.value(index); }
    /// \brief Number of steps.
    int count() const { return int(m_items.size()); }
    /// \brief Puts the window's menu bar at the top of the rail (a QWizard has no room
    /// for one above its pages).
    void setMenuBar(QMenuBar* menuBar);
    /// \brief Adds a task panel at the bottom.
    void addTaskPanel(TaskProgressPanel* panel);

signals:
    /// \brief A reachable step was clicked.
    void stepClicked(int index);

protected:
    void paintEvent(QPaintEvent* event) override;

private:
    QList<StepRailItem*> m_items;
    QVBoxLayout* m_tasks;
};

} // namespace stepwise::ui
