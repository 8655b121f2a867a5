#pragma once
// What the window-wide GUI tests share (keyboard, translation, presentation): a wizard
// walked through every step on builtin titanic with a trained model, one page at a time.

#include <QAbstractButton>
#include <QComboBox>
#include <QLineEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QSignalSpy>
#include <QtTest>

#include "pages/training_page.hpp"
#include "pages/wizard_step_page.hpp"
#include "session/session.hpp"
#include "wizard/main_wizard.hpp"

namespace wizard_walk {

using stepwise::ui::MainWizard;

/// Fills in the Problem step (classification, an objective) so Next is enabled.
inline bool completeProblem(MainWizard& wizard)
{
    auto* radio = wizard.findChild<QRadioButton*>(QStringLiteral("classificationRadio"));
    auto* objective = wizard.findChild<QLineEdit*>(QStringLiteral("objectiveEdit"));
    if (!radio || !objective)
        return false;
    radio->click();
    objective->setText(QStringLiteral("Who survived the Titanic"));
    return wizard.currentPage()->isComplete();
}

/// Loads builtin titanic on the Data step (the wizard must be there).
inline bool loadTitanic(MainWizard& wizard)
{
    auto* builtin = wizard.findChild<QComboBox*>(QStringLiteral("builtinCombo"));
    if (!builtin)
        return false;
    QSignalSpy loaded(wizard.session(), &stepwise::ui::Session::dataChanged);
    builtin->setCurrentIndex(builtin->findData(QStringLiteral("titanic")));
    return loaded.wait(30000) && wizard.session()->table() && wizard.session()->table()->rowCount() == 891;
}

/// Trains the page's current model (the wizard must be on the Training step).
inline bool train(MainWizard& wizard)
{
    QSignalSpy result(wizard.session(), &stepwise::ui::Session::resultChanged);
    wizard.trainingPage()->trainButton()->click();
    return result.wait(120000) && wizard.session()->hasCurrentResult();
}

/// Walks from the start through every step, calling `visit(id)` on each page once it is
/// shown and filled in (titanic loaded, a model trained). Returns false if a step could
/// not be completed.
template<typename Visit>
bool walk(MainWizard& wizard, Visit visit)
{
    for (int id = 0; id < MainWizard::PageCount; ++id) {
        if (wizard.currentId() != id)
            return false;
        if (id == MainWizard::ProblemId && !completeProblem(wizard))
            return false;
        if (id == MainWizard::DataId && !loadTitanic(wizard))
            return false;
        if (id == MainWizard::TrainingId && !train(wizard))
            return false;
        QTest::qWait(50);
        visit(id);
        if (id + 1 < MainWizard::PageCount) {
            if (!QTest::qWaitFor([&] { return wizard.currentPage()->isComplete(); }, 30000))
                return false;
            wizard.next();
        }
    }
    return true;
}

} // namespace wizard_walk
