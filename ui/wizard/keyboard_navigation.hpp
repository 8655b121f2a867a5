#pragma once
/// \file
/// \brief Keyboard use of the whole window: step shortcuts and no Tab traps.

#include <QObject>

namespace stepwise::ui {

class MainWizard;

/// \brief Makes `wizard` usable without a mouse: Ctrl+1 … Ctrl+7 jump to a reached step
/// (as a click on the rail would), and Tab always moves on — tables and lists stop taking
/// Tab for cell moves (the arrows do that) and text areas pass it on — in every widget,
/// including those pages build later (applied when each widget is polished).
class KeyboardNavigation : public QObject {
    Q_OBJECT
public:
    /// \brief Installs the shortcuts and the Tab policy on `wizard`.
    explicit KeyboardNavigation(MainWizard* wizard);

    /// \brief Applies the Tab policy to `widget` (a table, list or text area).
    static void release(QWidget* widget);

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    MainWizard* m_wizard;
};

} // namespace stepwise::ui
