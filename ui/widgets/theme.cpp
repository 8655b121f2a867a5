#include "widgets/theme.hpp"

#include <QAbstractAxis>
#include <QAbstractBarSeries>
#include <QActionGroup>
#include <QApplication>
#include <QBarSet>
#include <QChart>
#include <QChartView>
#include <QLegend>
#include <QMenu>
#include <QPieSeries>
#include <QSettings>
#include <QStyle>
#include <QTimer>
#include <QXYSeries>

#include <array>

namespace stepwise::ui {
namespace {

const char* kThemeKey = "view/theme";

// The roles a widget or chart copies colours from. Order matters where two roles share a
// colour (Text and WindowText are both black in the light palette): the first wins,
// and the new palette keeps them alike too.
constexpr std::array kRoles = {QPalette::Base,   QPalette::Window,        QPalette::WindowText, QPalette::Text,
                               QPalette::Mid,    QPalette::Midlight,      QPalette::Dark,       QPalette::Light,
                               QPalette::Shadow, QPalette::AlternateBase, QPalette::Button,     QPalette::ButtonText,
                               QPalette::PlaceholderText};

QString schemeName(ColorScheme scheme)
{
    switch (scheme) {
    case ColorScheme::Light:
        return QStringLiteral("light");
    case ColorScheme::Dark:
        return QStringLiteral("dark");
    case ColorScheme::System:
        break;
    }
    return QStringLiteral("system");
}

ColorScheme schemeFromName(const QString& name)
{
    if (name == QLatin1String("light"))
        return ColorScheme::Light;
    if (name == QLatin1String("dark"))
        return ColorScheme::Dark;
    return ColorScheme::System;
}

// The colour of `to` in the role whose colour in `from` is `color` (same RGB), with
// `color`'s alpha; `color` itself when it is no palette colour.
QColor follow(const QColor& color, const QPalette& from, const QPalette& to)
{
    if (!color.isValid())
        return color;
    for (QPalette::ColorGroup group : {QPalette::Active, QPalette::Disabled}) {
        for (QPalette::ColorRole role : kRoles) {
            if (from.color(group, role).rgb() == color.rgb()) {
                QColor moved = to.color(group, role);
                moved.setAlpha(color.alpha());
                return moved;
            }
        }
    }
    return color;
}

QBrush follow(QBrush brush, const QPalette& from, const QPalette& to)
{
    if (brush.style() == Qt::SolidPattern)
        brush.setColor(follow(brush.color(), from, to));
    return brush;
}

QPen follow(QPen pen, const QPalette& from, const QPalette& to)
{
    pen.setColor(follow(pen.color(), from, to));
    return pen;
}

void followChart(QChart* chart, const QPalette& from, const QPalette& to)
{
    chart->setBackgroundBrush(follow(chart->backgroundBrush(), from, to));
    chart->setPlotAreaBackgroundBrush(follow(chart->plotAreaBackgroundBrush(), from, to));
    chart->setTitleBrush(follow(chart->titleBrush(), from, to));
    chart->legend()->setLabelColor(follow(chart->legend()->labelColor(), from, to));
    chart->legend()->setBrush(follow(chart->legend()->brush(), from, to));
    for (QAbstractAxis* axis : chart->axes()) {
        axis->setLabelsColor(follow(axis->labelsColor(), from, to));
        axis->setTitleBrush(follow(axis->titleBrush(), from, to));
        axis->setGridLineColor(follow(axis->gridLineColor(), from, to));
        axis->setMinorGridLineColor(follow(axis->minorGridLineColor(), from, to));
        axis->setLinePenColor(follow(axis->linePenColor(), from, to));
    }
    for (QAbstractSeries* series : chart->series()) {
        if (auto* xy = qobject_cast<QXYSeries*>(series)) {
            xy->setPen(follow(xy->pen(), from, to));
            xy->setBrush(follow(xy->brush(), from, to));
        } else if (auto* bars = qobject_cast<QAbstractBarSeries*>(series)) {
            for (QBarSet* set : bars->barSets()) {
                set->setLabelColor(follow(set->labelColor(), from, to));
                set->setBorderColor(follow(set->borderColor(), from, to));
            }
        }
    }
}

QPalette disabledFrom(QPalette palette, const QColor& muted)
{
    for (QPalette::ColorRole role : {QPalette::WindowText, QPalette::Text, QPalette::ButtonText})
        palette.setColor(QPalette::Disabled, role, muted);
    return palette;
}

} // namespace

Theme::Theme(bool usesSettings, QObject* parent) : QObject(parent), m_usesSettings(usesSettings)
{
    if (m_usesSettings)
        m_scheme = schemeFromName(QSettings().value(kThemeKey).toString());
    qApp->installEventFilter(this);
}

Theme::~Theme() = default;

QPalette Theme::lightPalette()
{
    QStyle* style = QApplication::style();
    return style ? style->standardPalette() : QPalette();
}

QPalette Theme::darkPalette()
{
    QPalette p;
    const QColor window(0x2b, 0x2d, 0x31);
    const QColor base(0x1e, 0x1f, 0x22);
    const QColor text(0xe8, 0xea, 0xed);
    const QColor button(0x36, 0x38, 0x3d);
    p.setColor(QPalette::Window, window);
    p.setColor(QPalette::WindowText, text);
    p.setColor(QPalette::Base, base);
    p.setColor(QPalette::AlternateBase, QColor(0x27, 0x29, 0x2d));
    p.setColor(QPalette::ToolTipBase, QColor(0x3a, 0x3d, 0x42));
    p.setColor(QPalette::ToolTipText, text);
    p.setColor(QPalette::PlaceholderText, QColor(0x9a, 0xa0, 0xa6));
    p.setColor(QPalette::Text, text);
    p.setColor(QPalette::Button, button);
    p.setColor(QPalette::ButtonText, text);
    p.setColor(QPalette::BrightText, QColor(0xff, 0x6b, 0x6b));
    p.setColor(QPalette::Light, QColor(0x4a, 0x4d, 0x53));
    p.setColor(QPalette::Midlight, QColor(0x3e, 0x41, 0x46));
    p.setColor(QPalette::Mid, QColor(0x5f, 0x63, 0x68));
    p.setColor(QPalette::Dark, QColor(0x17, 0x18, 0x1a));
    p.setColor(QPalette::Shadow, QColor(0x0b, 0x0c, 0x0d));
    p.setColor(QPalette::Highlight, QColor(0x3b, 0x82, 0xf6));
    p.setColor(QPalette::HighlightedText, Qt::white);
    p.setColor(QPalette::Link, QColor(0x7a, 0xb4, 0xff));
    p.setColor(QPalette::LinkVisited, QColor(0xc0, 0x9c, 0xff));
    p.setColor(QPalette::Disabled, QPalette::Button, QColor(0x30, 0x32, 0x36));
    p.setColor(QPalette::Disabled, QPalette::Base, window);
    p.setColor(QPalette::Disabled, QPalette::Highlight, QColor(0x4a, 0x4d, 0x53));
    return disabledFrom(p, QColor(0x80, 0x86, 0x8b));
}

QPalette Theme::highContrastPalette(bool dark)
{
    QPalette p = dark ? darkPalette() : lightPalette();
    const QColor ink = dark ? QColor(Qt::white) : QColor(Qt::black);
    const QColor paper = dark ? QColor(Qt::black) : QColor(Qt::white);
    for (QPalette::ColorRole role : {QPalette::Window, QPalette::Base, QPalette::Button, QPalette::ToolTipBase})
        p.setColor(role, paper);
    p.setColor(QPalette::AlternateBase, dark ? QColor(0x1a, 0x1a, 0x1a) : QColor(0xf0, 0xf0, 0xf0));
    for (QPalette::ColorRole role : {QPalette::WindowText, QPalette::Text, QPalette::ButtonText, QPalette::ToolTipText})
        p.setColor(role, ink);
    p.setColor(QPalette::Mid, dark ? QColor(0xb0, 0xb0, 0xb0) : QColor(0x50, 0x50, 0x50));
    p.setColor(QPalette::Midlight, dark ? QColor(0x60, 0x60, 0x60) : QColor(0xa0, 0xa0, 0xa0));
    p.setColor(QPalette::Highlight, dark ? QColor(0xff, 0xd6, 0x00) : QColor(0x00, 0x3c, 0xb4));
    p.setColor(QPalette::HighlightedText, dark ? QColor(Qt::black) : QColor(Qt::white));
    p.setColor(QPalette::Link, dark ? QColor(0x8c, 0xc8, 0xff) : QColor(0x00, 0x3c, 0xb4));
    return disabledFrom(p, dark ? QColor(0xa8, 0xa8, 0xa8) : QColor(0x55, 0x55, 0x55));
}

bool Theme::platformPrefersDark()
{
    // The platform palette is what the application palette resolves to when nothing has
    // been set explicitly; compare its window against its text so themes with a mid-grey
    // window are judged by which side is brighter.
    const QPalette platform = QGuiApplication::palette().resolve(QPalette());
    const QColor window = platform.color(QPalette::Window);
    const QColor text = platform.color(QPalette::WindowText);
    return window.lightness() < 128 && text.lightness() > window.lightness();
}

bool Theme::isDark() const
{
    return QApplication::palette().color(QPalette::Window).lightness() < 128;
}

void Theme::setScheme(ColorScheme scheme)
{
    m_scheme = scheme;
    if (m_usesSettings)
        QSettings().setValue(kThemeKey, schemeName(scheme));
    if (m_group) {
        if (QAction* action = schemeAction(scheme))
            action->setChecked(true);
    }
    apply();
}

void Theme::setHighContrast(bool on)
{
    if (m_highContrast == on)
        return;
    m_highContrast = on;
    apply();
}

void Theme::apply()
{
    const QPalette before = QApplication::palette();
    m_applying = true;
    bool dark = false;
    switch (m_scheme) {
    case ColorScheme::Light:
        break;
    case ColorScheme::Dark:
        dark = true;
        break;
    case ColorScheme::System:
        // An empty application palette hands control back to the platform theme, so its
        // current colours can be read (and, when light and not high contrast, kept).
        QApplication::setPalette(QPalette());
        dark = platformPrefersDark();
        break;
    }
    QPalette next;
    if (m_highContrast)
        next = highContrastPalette(dark);
    else if (dark)
        next = darkPalette();
    else if (m_scheme == ColorScheme::System)
        next = QApplication::palette();
    else
        next = lightPalette();
    QApplication::setPalette(next);
    // Qt hands a new application palette to the windows only once the event loop has
    // started; before that (start-up, tests) the windows are told here.
    QEvent change(QEvent::ApplicationPaletteChange);
    for (QWidget* top : QApplication::topLevelWidgets())
        if (!top->testAttribute(Qt::WA_SetPalette) && top->palette() != QApplication::palette(top))
            QCoreApplication::sendEvent(top, &change);
    m_applying = false;
    const QPalette after = QApplication::palette();
    for (QWidget* top : QApplication::topLevelWidgets())
        followPalette(top, before, after);
    emit changed(isDark());
}

void Theme::followPalette(QWidget* root, const QPalette& from, const QPalette& to)
{
    QList<QWidget*> widgets = root->findChildren<QWidget*>();
    widgets.prepend(root);
    for (QWidget* widget : widgets) {
        // Explicit palettes (muted notes, chart cards) were built from the old palette;
        // move each explicitly set role to the new one.
        if (widget->testAttribute(Qt::WA_SetPalette)) {
            QPalette own = widget->palette();
            bool changed = false;
            for (QPalette::ColorGroup group : {QPalette::Active, QPalette::Inactive, QPalette::Disabled}) {
                for (int r = 0; r < QPalette::NColorRoles; ++r) {
                    const auto role = QPalette::ColorRole(r);
                    if (role == QPalette::NoRole)
                        continue;
                    const QColor old = own.color(group, role);
                    const QColor moved = follow(old, from, to);
                    if (moved != old) {
                        own.setColor(group, role, moved);
                        changed = true;
                    }
                }
            }
            if (changed)
                widget->setPalette(own);
        }
        if (auto* view = qobject_cast<QChartView*>(widget)) {
            view->setBackgroundBrush(follow(view->backgroundBrush(), from, to));
            if (view->chart())
                followChart(view->chart(), from, to);
        }
    }
}

QMenu* Theme::addMenu(QMenu* parentMenu)
{
    QMenu* menu = parentMenu->addMenu(tr("&Theme"));
    menu->setObjectName(QStringLiteral("themeMenu"));
    m_group = new QActionGroup(this);
    m_group->setExclusive(true);
    const std::array<std::pair<ColorScheme, QString>, 3> entries = {{
        {ColorScheme::System, tr("&System")},
        {ColorScheme::Light, tr("&Light")},
        {ColorScheme::Dark, tr("&Dark")},
    }};
    for (const auto& [scheme, text] : entries) {
        QAction* action = menu->addAction(text);
        action->setObjectName(QStringLiteral("theme_") + schemeName(scheme));
        action->setCheckable(true);
        action->setChecked(scheme == m_scheme);
        action->setData(int(scheme));
        m_group->addAction(action);
        connect(action, &QAction::triggered, this, [this, scheme = scheme] { setScheme(scheme); });
    }
    return menu;
}

QAction* Theme::schemeAction(ColorScheme scheme) const
{
    if (!m_group)
        return nullptr;
    for (QAction* action : m_group->actions())
        if (action->data().toInt() == int(scheme))
            return action;
    return nullptr;
}

bool Theme::eventFilter(QObject* watched, QEvent* event)
{
    // The platform switched between light and dark: only "System" follows it. Qt sends
    // ThemeChange to every window, so one re-application is queued for the lot.
    if (event->type() == QEvent::ThemeChange && !m_applying && !m_pending && m_scheme == ColorScheme::System &&
        (watched == qApp || (watched->isWidgetType() && static_cast<QWidget*>(watched)->isWindow()))) {
        m_pending = true;
        QTimer::singleShot(0, this, [this] {
            m_pending = false;
            apply();
        });
    }
    return QObject::eventFilter(watched, event);
}

} // namespace stepwise::ui
