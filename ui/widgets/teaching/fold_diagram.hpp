#pragma once
/// \file
/// \brief How cross-validation cuts the user's own training rows into folds: an animated
/// diagram fed by `workflow::previewFolds`, and the panel that keeps it in step with the
/// session's recipe.

#include <QWidget>

#include <cstddef>
#include <memory>

#include "stepwise/workflow/fold_preview.hpp"

class QLabel;
class QPushButton;
class QTimer;
class QVariantAnimation;

namespace stepwise::ui {

class BackgroundTask;
class FoldCanvas;
class Session;

/// \brief True when the user asked for less motion (setting `view/reducedMotion`, or the
/// environment variable STEPWISE_REDUCED_MOTION=1): teaching visuals then show a still
/// picture and step only when asked.
bool prefersReducedMotion();

/// \brief Every training row as a thin cell in a strip, coloured by its class; under it
/// one lane per fold, the fold's test rows solid and its training rows pale (a
/// time-series gap grey, rows a fold does not use blank). Playing steps through the folds
/// one by one, fading the current lane in, with a caption that gives the fold's numbers;
/// without animation (reduced motion) it shows all folds at once and steps on request.
class FoldDiagram : public QWidget {
    Q_OBJECT
public:
    /// \brief What a row is in the fold shown.
    enum class RowRole { Train, Test, Gap, Unused };

    explicit FoldDiagram(QWidget* parent = nullptr);

    /// \brief Shows `preview` (null shows the placeholder); starts at fold 1 when
    /// animated, at the all-folds view otherwise.
    void setPreview(std::shared_ptr<const workflow::FoldPreview> preview);
    /// \brief Shows `message` instead of the folds.
    void showMessage(const QString& message);
    /// \brief The folds shown, if any.
    const std::shared_ptr<const workflow::FoldPreview>& preview() const { return m_preview; }

    /// \brief Number of folds shown (0 without a preview).
    int foldCount() const;
    /// \brief The fold highlighted (0-based), or -1 for the all-folds view.
    int currentFold() const { return m_fold; }
    /// \brief Highlights fold `fold` (-1: all folds); clamped to the folds there are.
    void setCurrentFold(int fold);
    /// \brief The next fold (after the last, the first).
    void step();
    /// \brief The previous fold (before the first, the last).
    void stepBack();
    /// \brief Steps through the folds on a timer (only when animation is enabled).
    void play();
    /// \brief Stops stepping.
    void pause();
    /// \brief True while the timer steps the folds.
    bool isPlaying() const;
    /// \brief Turns animation on or off; off shows the still all-folds view.
    void setAnimationEnabled(bool enabled);
    /// \brief False under reduced motion.
    bool animationEnabled() const { return m_animated; }

    /// \brief What row `position` (of `preview()->rows`) is in the fold shown; in the
    /// all-folds view, Test for every row some fold tests.
    RowRole roleAt(std::size_t position) const;
    /// \brief What row `position` is in fold `fold`.
    RowRole roleIn(int fold, std::size_t position) const;
    /// \brief The caption under the diagram.
    QString caption() const;
    /// \brief The colour of class `index` (regression: one colour for every row).
    static QColor classColour(int index);

    QTimer* timer() const { return m_timer; }
    QVariantAnimation* fade() const { return m_fade; }
    QPushButton* playButton() const { return m_play; }
    QPushButton* nextButton() const { return m_next; }
    QPushButton* previousButton() const { return m_previous; }
    QPushButton* allFoldsButton() const { return m_all; }

signals:
    /// \brief The fold shown changed (-1: all folds).
    void currentFoldChanged(int fold);

private:
    void refresh();

    std::shared_ptr<const workflow::FoldPreview> m_preview;
    int m_fold = -1;
    bool m_animated = true;
    FoldCanvas* m_canvas;
    QLabel* m_caption;
    QLabel* m_message;
    QPushButton* m_play;
    QPushButton* m_previous;
    QPushButton* m_next;
    QPushButton* m_all;
    QTimer* m_timer;
    QVariantAnimation* m_fade;

    friend class FoldCanvas;
};

/// \brief The Training page's "Folds" tab: a `FoldDiagram` of the session's recipe on the loaded
/// data, recomputed off the GUI thread (a short while after the recipe or the data
/// changes, and only while it is visible).
class FoldDiagramPanel : public QWidget {
    Q_OBJECT
public:
    explicit FoldDiagramPanel(Session* session, QWidget* parent = nullptr);

    FoldDiagram* diagram() const { return m_diagram; }
    /// \brief The background slot that cuts the folds.
    BackgroundTask* task() const { return m_task; }
    /// \brief Cuts the folds now (normally done after changes, while visible).
    void recompute();

protected:
    void showEvent(QShowEvent* event) override;
    void hideEvent(QHideEvent* event) override;

private:
    void schedule();

    Session* m_session;
    FoldDiagram* m_diagram;
    BackgroundTask* m_task;
    QTimer* m_delay;
    bool m_stale = true;
};

} // namespace stepwise::ui
