#pragma once
/// \file
/// \brief Presentation mode: the workbench for a projector — fonts and charts ×1.5, a
/// high-contrast palette, the secondary chrome hidden, one key to step forward.

#include <QObject>
#include <QPointer>

class QAction;
class QWidget;

namespace stepwise::ui {

class MainWizard;
class Theme;

/// \brief Turns presentation mode on and off for one wizard. While on: the window font
/// (and with it every page, the rail, the heatmaps) and the charts' fonts and line
/// widths are scaled by `scale()`, the theme switches to high contrast, the menu bar
/// collapses (its shortcuts keep working), and PageDown / PageUp — what presenter
/// clickers send — step forward (to the next complete step) and back; Space and Right /
/// Left do the same when the focus is not in something that uses those keys. Esc or F5
/// leaves the mode.
class PresentationMode : public QObject {
    Q_OBJECT
public:
    /// \brief The mode for `wizard`, switching `theme` to high contrast while on.
    PresentationMode(MainWizard* wizard, Theme* theme);
    ~PresentationMode() override;

    /// \brief The checkable View menu action (F5).
    QAction* action() const { return m_action; }
    /// \brief The checkable View menu action for full screen (F11), with or without
    /// presentation mode.
    QAction* fullScreenAction() const { return m_fullScreen; }
    /// \brief True while presenting.
    bool isActive() const { return m_active; }
    /// \brief Enters or leaves the mode.
    void setActive(bool active);
    /// \brief How much fonts and lines grow (1.5).
    static double scale();

    /// \brief Scales the fonts of `root` and its descendants — and of the charts inside —
    /// so each keeps its size relative to its parent while `root`'s own font becomes
    /// `rootPointSize` points. Used on entry and exit; exposed for tests.
    static void rescaleFonts(QWidget* root, double rootPointSize);

signals:
    /// \brief The mode was entered or left.
    void activeChanged(bool active);

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    void scaleChartLines(double factor);
    bool handleKey(int key, Qt::KeyboardModifiers modifiers);

    MainWizard* m_wizard;
    QPointer<Theme> m_theme;
    QAction* m_action;
    QAction* m_fullScreen;
    bool m_active = false;
    double m_basePointSize = 0;
    int m_menuBarMaxHeight = 0;
};

} // namespace stepwise::ui
