#pragma once
/// \file
/// \brief Light and dark palettes (following the system or chosen), a high-contrast
/// variant for projectors, and the re-styling of what does not follow a palette by itself.

#include <QObject>
#include <QPalette>

class QAction;
class QActionGroup;
class QMenu;
class QWidget;

namespace stepwise::ui {

/// \brief Which palette the workbench uses.
enum class ColorScheme {
    System,  ///< follow the platform: dark when the platform's window colour is dark
    Light,   ///< Fusion's light palette
    Dark,    ///< a Fusion dark palette
};

/// \brief The application's palette. Qt 6.4 has no QStyleHints::colorScheme, so "System"
/// reads the platform palette (its window colour's lightness) and re-reads it on
/// QEvent::ThemeChange. Applying a palette also moves the colours that widgets copied
/// from the previous palette (explicit label palettes, chart backgrounds, axes, grid,
/// legends) to the matching roles of the new one, so nothing stays light on dark.
class Theme : public QObject {
    Q_OBJECT
public:
    /// \brief A theme; nothing is applied until setScheme/apply. With `usesSettings` the
    /// scheme is read from and written to QSettings ("view/theme").
    explicit Theme(bool usesSettings, QObject* parent = nullptr);
    ~Theme() override;

    /// \brief The chosen scheme.
    ColorScheme scheme() const { return m_scheme; }
    /// \brief Chooses and applies a scheme (remembered when settings are used).
    void setScheme(ColorScheme scheme);
    /// \brief True when the effective palette is dark.
    bool isDark() const;
    /// \brief High contrast (presentation mode): pure black on white, or white on black.
    void setHighContrast(bool on);
    bool isHighContrast() const { return m_highContrast; }
    /// \brief Applies the palette of the current scheme and contrast to the application.
    void apply();

    /// \brief Adds "Theme ▸ System / Light / Dark" to `menu`.
    QMenu* addMenu(QMenu* menu);
    /// \brief The checkable action of `scheme` (after addMenu).
    QAction* schemeAction(ColorScheme scheme) const;

    /// \brief Fusion's light palette.
    static QPalette lightPalette();
    /// \brief A dark palette for Fusion: dark grey window, near-black base, light text.
    static QPalette darkPalette();
    /// \brief Maximum contrast for a projector, light or dark.
    static QPalette highContrastPalette(bool dark);
    /// \brief True when the platform's own palette is dark.
    static bool platformPrefersDark();
    /// \brief Moves the colours `root`'s widgets and charts took from `from` to the same
    /// roles of `to` (keeping their alpha); colours that are not palette colours (data
    /// series, accents) are left alone.
    static void followPalette(QWidget* root, const QPalette& from, const QPalette& to);

signals:
    /// \brief The application palette changed; `dark` is the new effective darkness.
    void changed(bool dark);

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    bool m_usesSettings;
    ColorScheme m_scheme = ColorScheme::System;
    bool m_highContrast = false;
    bool m_applying = false;
    bool m_pending = false;
    QActionGroup* m_group = nullptr;
};

} // namespace stepwise::ui
