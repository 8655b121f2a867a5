#pragma once
/// \file
/// \brief The guided tour: an overlay that dims the window and explains one part of it
/// at a time in a bubble beside it.

#include <QFrame>
#include <QPointer>
#include <QRect>
#include <QWidget>

#include <functional>


class QLabel;
class QPushButton;
class QSettings;

namespace stepwise::ui {

class MainWizard;

/// \brief One stop of the tour: what to point at (resolved when the stop is shown, so it
/// follows the current page) and what to say.
struct TourStop {
    /// \brief The widget the bubble points at, and the part of it (empty: all of it).
    std::function<std::pair<QWidget*, QRect>()> anchor;
    QString title;  ///< the bubble's heading
    QString text;   ///< one or two sentences
};

/// \brief The tour over `wizard`: rail, page title and banner, Learn (F1), Next, the File
/// menu (Ctrl+S), where running work shows. Keyboard: Enter or → next, ← back, Esc skips.
/// Stops whose anchor is not visible (the menu bar while presenting) are passed over.
class GuidedTour : public QWidget {
    Q_OBJECT
public:
    /// \brief A tour over `wizard`; start() shows it.
    explicit GuidedTour(MainWizard* wizard);

    /// \brief The stops, in order.
    const QList<TourStop>& stops() const { return m_stops; }
    /// \brief Index of the stop shown; -1 when not running.
    int currentStop() const { return m_current; }
    /// \brief The widget the current bubble points at (nullptr when not running).
    QWidget* currentAnchor() const { return m_anchor; }
    /// \brief The bubble (for tests and screenshots).
    QWidget* bubble() const { return m_bubble; }

    /// \brief Shows the first stop.
    void start();
    /// \brief Next stop, or the end after the last.
    void next();
    /// \brief Previous stop.
    void back();
    /// \brief Ends the tour now.
    void skip();

    /// \brief True when the tour has not been taken or skipped yet ("tour/done").
    static bool isDue(const QSettings& settings);
    /// \brief Records that the tour was taken or skipped.
    static void markDone(QSettings& settings);

signals:
    /// \brief The tour ended, after the last stop (`completed`) or skipped.
    void finished(bool completed);

protected:
    void paintEvent(QPaintEvent* event) override;
    void keyPressEvent(QKeyEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    void show(int index, int direction);
    void place();
    void finish(bool completed);
    QRect anchorRect() const;

    MainWizard* m_wizard;
    QList<TourStop> m_stops;
    int m_current = -1;
    QPointer<QWidget> m_anchor;
    QRect m_anchorPart;
    QFrame* m_bubble;
    QLabel* m_counter;
    QLabel* m_title;
    QLabel* m_text;
    QPushButton* m_back;
    QPushButton* m_next;
    QPushButton* m_skip;
};

} // namespace stepwise::ui
