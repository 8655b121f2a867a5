// Keyboard use of every page on titanic with a trained model: Tab reaches every enabled
// control of the page, the rail and the buttons, nothing keeps the focus (no Tab traps),
// the chain comes back round, the focus is always on a visible widget, and Ctrl+1 … Ctrl+7
// jump between reached steps.
#include <QtTest>

#include <QAbstractButton>
#include <QAbstractItemView>
#include <QApplication>
#include <QButtonGroup>
#include <QRadioButton>
#include <QScrollArea>

#include "pages/wizard_step_page.hpp"
#include "teaching/guided_tour.hpp"
#include "wizard/main_wizard.hpp"
#include "wizard/step_rail.hpp"
#include "wizard_walk_support.hpp"

using stepwise::ui::MainWizard;

class TestKeyboardNavigation : public QObject {
    Q_OBJECT

private:
    // Qt's rule for exclusive radio buttons: Tab reaches the checked one of a group (the
    // arrows choose within it), so only that one must be in the chain.
    static bool reachedThroughItsGroup(QWidget* widget, const QSet<QWidget*>& chain)
    {
        auto* button = qobject_cast<QAbstractButton*>(widget);
        if (!button)
            return false;
        if (QButtonGroup* group = button->group(); group && group->exclusive()) {
            for (QAbstractButton* other : group->buttons())
                if (chain.contains(other))
                    return true;
        }
        if (button->autoExclusive() && button->parentWidget()) {
            for (auto* other : button->parentWidget()->findChildren<QAbstractButton*>(Qt::FindDirectChildrenOnly))
                if (other->autoExclusive() && chain.contains(other))
                    return true;
        }
        return false;
    }

    // Follows Tab from `start` until the focus comes back; fails on a trap (the focus
    // stays put) or a chain that never closes.
    static QList<QWidget*> tabChain(QWidget* start, QString* problem)
    {
        start->setFocus(Qt::TabFocusReason);
        QList<QWidget*> chain{QApplication::focusWidget()};
        for (int presses = 0; presses < 600; ++presses) {
            QWidget* before = QApplication::focusWidget();
            QTest::keyClick(before, Qt::Key_Tab);
            QWidget* after = QApplication::focusWidget();
            if (!after || !after->isVisible()) {
                *problem = QStringLiteral("Tab from %1 left the focus nowhere visible").arg(before->objectName());
                return chain;
            }
            if (after == before) {
                *problem = QStringLiteral("Tab trap: %1 (%2) keeps the focus")
                               .arg(before->objectName(), QString::fromLatin1(before->metaObject()->className()));
                return chain;
            }
            if (after == chain.front())
                return chain;
            if (chain.contains(after)) {
                *problem = QStringLiteral("the chain loops back to %1 without reaching the start")
                               .arg(after->objectName());
                return chain;
            }
            chain.append(after);
        }
        *problem = QStringLiteral("the Tab chain never comes back round");
        return chain;
    }

    static QString describe(QWidget* widget)
    {
        QString text = QString::fromLatin1(widget->metaObject()->className());
        if (!widget->objectName().isEmpty())
            text += QLatin1Char(' ') + widget->objectName();
        if (auto* button = qobject_cast<QAbstractButton*>(widget))
            text += QStringLiteral(" \"%1\"").arg(button->text());
        for (QWidget* p = widget->parentWidget(); p; p = p->parentWidget())
            if (!p->objectName().isEmpty() && !p->objectName().startsWith(QLatin1String("qt_"))) {
                text += QStringLiteral(" in ") + p->objectName();
                break;
            }
        return text;
    }

private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void everyPageByKeyboard()
    {
        MainWizard wizard(false);
        wizard.show();
        QVERIFY(QTest::qWaitForWindowExposed(&wizard));
        wizard.activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(&wizard));
        QStringList problems;
        const bool walked = wizard_walk::walk(wizard, [&](int id) {
            QString problem;
            const QList<QWidget*> chain = tabChain(wizard.button(QWizard::NextButton)->isEnabled()
                                                       ? wizard.button(QWizard::NextButton)
                                                       : wizard.rail()->item(id),
                                                   &problem);
            if (!problem.isEmpty())
                problems << QStringLiteral("step %1: %2").arg(id + 1).arg(problem);
            const QSet<QWidget*> reached(chain.begin(), chain.end());
            // Every enabled control that takes Tab focus on this page, the rail and the
            // button row must be in the chain.
            for (QWidget* widget : wizard.findChildren<QWidget*>()) {
                if (!widget->isVisible() || !widget->isEnabled() || !(widget->focusPolicy() & Qt::TabFocus) ||
                    widget->focusProxy() || widget->window() != &wizard)
                    continue;
                if (wizard.guidedTour()->isAncestorOf(widget))
                    continue;
                if (!reached.contains(widget) && !reachedThroughItsGroup(widget, reached))
                    problems << QStringLiteral("step %1: Tab never reaches %2").arg(id + 1).arg(describe(widget));
            }
            // Backtab goes the other way round.
            QWidget* here = QApplication::focusWidget();
            QTest::keyClick(here, Qt::Key_Backtab);
            if (QApplication::focusWidget() == here)
                problems << QStringLiteral("step %1: Shift+Tab trap at %2").arg(id + 1).arg(describe(here));
        });
        QVERIFY(walked);
        QVERIFY2(problems.isEmpty(), qPrintable(problems.join(QLatin1Char('\n'))));

        // Ctrl+1 … Ctrl+7: every step is reached now.
        for (int id : {int(MainWizard::ProblemId), int(MainWizard::EvaluationId), int(MainWizard::DataId),
                       int(MainWizard::ExportId)}) {
            QTest::keyClick(QApplication::focusWidget(), Qt::Key(Qt::Key_1 + id), Qt::ControlModifier);
            QCOMPARE(wizard.currentId(), id);
        }
    }

    void stepShortcutsOnlyReachVisitedSteps()
    {
        MainWizard wizard(false);
        wizard.show();
        QVERIFY(QTest::qWaitForWindowExposed(&wizard));
        wizard.activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(&wizard));
        QVERIFY(wizard_walk::completeProblem(wizard));
        QTest::keyClick(&wizard, Qt::Key_3, Qt::ControlModifier);  // Prep: not reached
        QCOMPARE(wizard.currentId(), int(MainWizard::ProblemId));
        wizard.next();
        QCOMPARE(wizard.currentId(), int(MainWizard::DataId));
        QTest::keyClick(&wizard, Qt::Key_1, Qt::ControlModifier);
        QCOMPARE(wizard.currentId(), int(MainWizard::ProblemId));
        QTest::keyClick(&wizard, Qt::Key_2, Qt::ControlModifier);
        QCOMPARE(wizard.currentId(), int(MainWizard::DataId));
    }
};

QTEST_MAIN(TestKeyboardNavigation)
#include "tst_keyboard_navigation.moc"
