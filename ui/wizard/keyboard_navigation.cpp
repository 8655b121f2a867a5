#include "wizard/keyboard_navigation.hpp"

#include <QAbstractItemView>
#include <QApplication>
#include <QKeyEvent>
#include <QLabel>
#include <QPlainTextEdit>
#include <QShortcut>
#include <QTextEdit>

#include "wizard/main_wizard.hpp"
#include "wizard/step_rail.hpp"

namespace stepwise::ui {

KeyboardNavigation::KeyboardNavigation(MainWizard* wizard) : QObject(wizard), m_wizard(wizard)
{
    setObjectName(QStringLiteral("keyboardNavigation"));
    for (int step = 0; step < MainWizard::PageCount && step < 9; ++step) {
        auto* shortcut = new QShortcut(QKeySequence(Qt::CTRL | Qt::Key(Qt::Key_1 + step)), wizard);
        shortcut->setObjectName(QStringLiteral("stepShortcut%1").arg(step + 1));
        connect(shortcut, &QShortcut::activated, wizard, [wizard, step] {
            // The same rule as the rail: only steps already reached.
            if (StepRailItem* item = wizard->rail()->item(step); item && item->isEnabled())
                wizard->goToStep(step);
        });
    }
    for (QWidget* widget : wizard->findChildren<QWidget*>())
        release(widget);
    qApp->installEventFilter(this);
}

void KeyboardNavigation::release(QWidget* widget)
{
    if (auto* view = qobject_cast<QAbstractItemView*>(widget))
        view->setTabKeyNavigation(false);
    else if (auto* text = qobject_cast<QTextEdit*>(widget))
        text->setTabChangesFocus(true);
    else if (auto* plain = qobject_cast<QPlainTextEdit*>(widget))
        plain->setTabChangesFocus(true);
}

bool KeyboardNavigation::eventFilter(QObject* watched, QEvent* event)
{
    // A label with keyboard-accessible links cycles Tab through its own links for ever
    // (one link: it never lets go); Tab and Shift+Tab leave it for the next control.
    if (event->type() == QEvent::KeyPress && watched->isWidgetType()) {
        auto* label = qobject_cast<QLabel*>(watched);
        const auto* key = static_cast<QKeyEvent*>(event);
        if (label && label->window() == m_wizard && (label->textInteractionFlags() & Qt::LinksAccessibleByKeyboard) &&
            (key->key() == Qt::Key_Tab || key->key() == Qt::Key_Backtab) &&
            !(key->modifiers() & (Qt::ControlModifier | Qt::AltModifier))) {
            const bool forward = key->key() == Qt::Key_Tab && !(key->modifiers() & Qt::ShiftModifier);
            QWidget* next = label;
            do {
                next = forward ? next->nextInFocusChain() : next->previousInFocusChain();
            } while (next != label && !(next->isVisible() && next->isEnabled() && (next->focusPolicy() & Qt::TabFocus) &&
                                        !next->focusProxy() && next->window() == m_wizard));
            next->setFocus(forward ? Qt::TabFocusReason : Qt::BacktabFocusReason);
            return true;
        }
    }
    if (event->type() == QEvent::Polish && watched->isWidgetType()) {
        auto* widget = static_cast<QWidget*>(watched);
        if (widget->window() == m_wizard)
            release(widget);
    }
    return QObject::eventFilter(watched, event);
}

} // namespace stepwise::ui
