#include "wizard/presentation_mode.hpp"

#include <QAbstractAxis>
#include <QAbstractBarSeries>
#include <QAbstractButton>
#include <QAbstractItemView>
#include <QAbstractSlider>
#include <QAbstractSpinBox>
#include <QAction>
#include <QApplication>
#include <QBarSet>
#include <QChart>
#include <QChartView>
#include <QComboBox>
#include <QFontInfo>
#include <QKeyEvent>
#include <QLegend>
#include <QLineEdit>
#include <QMenuBar>
#include <QPlainTextEdit>
#include <QScatterSeries>
#include <QTabBar>
#include <QTextEdit>
#include <QXYSeries>

#include <vector>

#include "widgets/theme.hpp"
#include "wizard/main_wizard.hpp"
#include "wizard/step_rail.hpp"

namespace stepwise::ui {
namespace {

constexpr double kScale = 1.5;
const char* kLinesScaled = "stepwisePresentationLines";

double pointSize(const QFont& font)
{
    return font.pointSizeF() > 0 ? font.pointSizeF() : QFontInfo(font).pointSizeF();
}

QFont withPointSize(QFont font, double points)
{
    font.setPointSizeF(points);
    return font;
}

// Space and the arrow keys belong to the widget with the focus when it uses them:
// text fields, spin boxes, lists and tables, sliders, tab bars, buttons (Space presses).
bool focusUsesKey(int key)
{
    QWidget* focus = QApplication::focusWidget();
    if (!focus)
        return false;
    if (qobject_cast<QLineEdit*>(focus) || qobject_cast<QAbstractSpinBox*>(focus) || qobject_cast<QComboBox*>(focus) ||
        qobject_cast<QAbstractItemView*>(focus) || qobject_cast<QAbstractSlider*>(focus) ||
        qobject_cast<QTabBar*>(focus) || qobject_cast<QPlainTextEdit*>(focus))
        return true;
    if (auto* text = qobject_cast<QTextEdit*>(focus))
        return !text->isReadOnly() || key != Qt::Key_Space;
    if (qobject_cast<QAbstractButton*>(focus))
        return key == Qt::Key_Space;
    // A custom widget that takes the keyboard (the heatmap's cell cursor) keeps its keys.
    return focus->focusPolicy() & Qt::ClickFocus && !focus->inherits("QWizard") && !focus->inherits("QLabel");
}

struct ChartFonts {
    QChartView* view;
    double title;
    double legend;
    std::vector<std::pair<QAbstractAxis*, std::pair<double, double>>> axes;
    std::vector<std::pair<QBarSet*, double>> barLabels;
};

} // namespace

PresentationMode::PresentationMode(MainWizard* wizard, Theme* theme)
    : QObject(wizard),
      m_wizard(wizard),
      m_theme(theme),
      m_action(new QAction(tr("&Presentation mode"), this)),
      m_fullScreen(new QAction(tr("&Full screen"), this))
{
    m_action->setObjectName(QStringLiteral("presentationAction"));
    m_action->setCheckable(true);
    m_action->setShortcut(QKeySequence(Qt::Key_F5));
    m_action->setToolTip(tr("Large fonts and charts, high contrast, PageDown/PageUp to step — for a projector "
                            "(F5; Esc leaves)"));
    // On the window as well as in the menu: the menu bar collapses while presenting.
    m_action->setShortcutContext(Qt::WindowShortcut);
    wizard->addAction(m_action);
    connect(m_action, &QAction::toggled, this, &PresentationMode::setActive);
    m_fullScreen->setObjectName(QStringLiteral("fullScreenAction"));
    m_fullScreen->setCheckable(true);
    m_fullScreen->setShortcut(QKeySequence(Qt::Key_F11));
    m_fullScreen->setShortcutContext(Qt::WindowShortcut);
    wizard->addAction(m_fullScreen);
    connect(m_fullScreen, &QAction::toggled, this, [this](bool on) {
        if (on)
            m_wizard->showFullScreen();
        else
            m_wizard->showNormal();
    });
    qApp->installEventFilter(this);
}

PresentationMode::~PresentationMode() = default;

double PresentationMode::scale() { return kScale; }

void PresentationMode::rescaleFonts(QWidget* root, double rootPointSize)
{
    // Record every explicitly set font as a ratio to its parent's before anything moves,
    // so titles stay 1.6× the body text and small print stays small, at any size.
    QList<QWidget*> widgets = root->findChildren<QWidget*>();
    std::vector<std::pair<QWidget*, double>> explicitFonts;
    std::vector<ChartFonts> charts;
    for (QWidget* widget : widgets) {
        QWidget* parent = widget->parentWidget();
        if (!parent || widget->isWindow())
            continue;
        if (widget->testAttribute(Qt::WA_SetFont))
            explicitFonts.emplace_back(widget, pointSize(widget->font()) / pointSize(parent->font()));
        if (auto* view = qobject_cast<QChartView*>(widget); view && view->chart()) {
            QChart* chart = view->chart();
            const double base = pointSize(view->font());
            ChartFonts fonts{view, pointSize(chart->titleFont()) / base, pointSize(chart->legend()->font()) / base, {}, {}};
            for (QAbstractAxis* axis : chart->axes())
                fonts.axes.push_back({axis, {pointSize(axis->labelsFont()) / base, pointSize(axis->titleFont()) / base}});
            for (QAbstractSeries* series : chart->series())
                if (auto* bars = qobject_cast<QAbstractBarSeries*>(series))
                    for (QBarSet* set : bars->barSets())
                        fonts.barLabels.push_back({set, pointSize(set->labelFont()) / base});
            charts.push_back(std::move(fonts));
        }
    }
    root->setFont(withPointSize(root->font(), rootPointSize));
    // findChildren lists parents before their children, so each parent is final first.
    for (const auto& [widget, ratio] : explicitFonts)
        widget->setFont(withPointSize(widget->font(), pointSize(widget->parentWidget()->font()) * ratio));
    for (const ChartFonts& fonts : charts) {
        QChart* chart = fonts.view->chart();
        const double base = pointSize(fonts.view->font());
        chart->setTitleFont(withPointSize(chart->titleFont(), base * fonts.title));
        chart->legend()->setFont(withPointSize(chart->legend()->font(), base * fonts.legend));
        for (const auto& [axis, ratios] : fonts.axes) {
            axis->setLabelsFont(withPointSize(axis->labelsFont(), base * ratios.first));
            axis->setTitleFont(withPointSize(axis->titleFont(), base * ratios.second));
        }
        for (const auto& [set, ratio] : fonts.barLabels)
            set->setLabelFont(withPointSize(set->labelFont(), base * ratio));
    }
}

void PresentationMode::scaleChartLines(double factor)
{
    const bool entering = factor > 1;
    for (QChartView* view : m_wizard->findChildren<QChartView*>()) {
        if (!view->chart())
            continue;
        for (QAbstractSeries* series : view->chart()->series()) {
            auto* xy = qobject_cast<QXYSeries*>(series);
            // Only lines scaled on entry shrink on exit: series drawn meanwhile were drawn
            // at their normal width.
            if (!xy || series->property(kLinesScaled).toBool() != !entering)
                continue;
            series->setProperty(kLinesScaled, entering);
            QPen pen = xy->pen();
            if (pen.style() != Qt::NoPen && pen.widthF() > 0) {
                pen.setWidthF(pen.widthF() * factor);
                xy->setPen(pen);
            }
            if (xy->markerSize() > 0)
                xy->setMarkerSize(xy->markerSize() * factor);
        }
    }
}

void PresentationMode::setActive(bool active)
{
    if (m_active == active)
        return;
    m_active = active;
    m_action->setChecked(active);
    QMenuBar* menuBar = m_wizard->menuBar();
    StepRail* rail = m_wizard->rail();
    if (active) {
        m_basePointSize = pointSize(m_wizard->font());
        // Collapsed rather than hidden: a hidden menu bar would switch off its actions'
        // shortcuts (Ctrl+S, F1, F5 itself).
        m_menuBarMaxHeight = menuBar->maximumHeight();
        menuBar->setMaximumHeight(0);
        rail->setFixedWidth(int(rail->width() * kScale));
        rescaleFonts(m_wizard, m_basePointSize * kScale);
        scaleChartLines(kScale);
        m_wizard->setSizeGripEnabled(false);
    } else {
        menuBar->setMaximumHeight(m_menuBarMaxHeight);
        rail->setFixedWidth(int(rail->width() / kScale));
        rescaleFonts(m_wizard, m_basePointSize);
        scaleChartLines(1 / kScale);
        m_wizard->setSizeGripEnabled(true);
    }
    if (m_theme)
        m_theme->setHighContrast(active);
    emit activeChanged(active);
}

bool PresentationMode::handleKey(int key, Qt::KeyboardModifiers modifiers)
{
    if (modifiers & (Qt::ControlModifier | Qt::AltModifier | Qt::MetaModifier))
        return false;
    const bool forward = key == Qt::Key_PageDown || key == Qt::Key_Space || key == Qt::Key_Right;
    const bool backward = key == Qt::Key_PageUp || key == Qt::Key_Left;
    if (key == Qt::Key_Escape) {
        setActive(false);
        return true;
    }
    if (!forward && !backward)
        return false;
    // Clickers send PageDown/PageUp: they always step. Space and the arrows only when the
    // focused widget has no use for them.
    if (key != Qt::Key_PageDown && key != Qt::Key_PageUp && focusUsesKey(key))
        return false;
    if (forward)
        m_wizard->nextIfComplete();
    else if (m_wizard->currentId() != m_wizard->startId())
        m_wizard->back();
    return true;
}

bool PresentationMode::eventFilter(QObject* watched, QEvent* event)
{
    if (!m_active || event->type() != QEvent::KeyPress || !watched->isWidgetType())
        return QObject::eventFilter(watched, event);
    // Keys for open popups (a combo's list) and dialogs are theirs.
    if (QApplication::activePopupWidget() || static_cast<QWidget*>(watched)->window() != m_wizard)
        return QObject::eventFilter(watched, event);
    auto* key = static_cast<QKeyEvent*>(event);
    if (handleKey(key->key(), key->modifiers()))
        return true;
    return QObject::eventFilter(watched, event);
}

} // namespace stepwise::ui
