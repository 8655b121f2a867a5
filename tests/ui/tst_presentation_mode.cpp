// Presentation mode: fonts and charts grow by half, the palette goes high contrast, the
// menu bar collapses while its shortcuts still work, PageDown/PageUp step through
// complete pages only, Space steps unless the focus types it, and Esc restores it all.
#include <QtTest>

#include <QAbstractAxis>
#include <QAction>
#include <QApplication>
#include <QChart>
#include <QChartView>
#include <QLabel>
#include <QLineEdit>
#include <QMenuBar>
#include <QPushButton>
#include <QXYSeries>

#include "widgets/theme.hpp"
#include "wizard/main_wizard.hpp"
#include "wizard/presentation_mode.hpp"
#include "wizard/step_rail.hpp"
#include "wizard_walk_support.hpp"

using stepwise::ui::MainWizard;
using stepwise::ui::PresentationMode;

class TestPresentationMode : public QObject {
    Q_OBJECT

private:
    static double points(const QWidget* widget) { return widget->font().pointSizeF(); }
    static QLabel* label(MainWizard& wizard, int page, const char* name)
    {
        return wizard.stepPage(page)->findChild<QLabel*>(QString::fromLatin1(name));
    }

private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void scalesFontsChartsAndChrome()
    {
        MainWizard wizard(false);
        wizard.show();
        QVERIFY(QTest::qWaitForWindowExposed(&wizard));
        QLabel* title = label(wizard, MainWizard::ProblemId, "pageTitle");
        QLabel* subtitle = label(wizard, MainWizard::ProblemId, "pageSubtitle");
        QVERIFY(title && subtitle);
        const double titleBefore = points(title);
        const double bodyBefore = points(subtitle);
        const double windowBefore = points(&wizard);
        QVERIFY(titleBefore > bodyBefore * 1.3);  // the heading is set explicitly, larger
        const QColor windowColourBefore = QApplication::palette().color(QPalette::Window);
        const int menuHeight = wizard.menuBar()->height();
        QVERIFY(menuHeight > 0);
        const int railWidth = wizard.rail()->width();

        // Every chart's axis labels, with their sizes before.
        QList<QPair<QAbstractAxis*, double>> axes;
        for (QChartView* view : wizard.findChildren<QChartView*>())
            for (QAbstractAxis* axis : view->chart()->axes())
                axes.append({axis, axis->labelsFont().pointSizeF()});
        QVERIFY(!axes.isEmpty());

        QSignalSpy changed(wizard.presentationMode(), &PresentationMode::activeChanged);
        wizard.presentationMode()->action()->trigger();  // the View menu's F5 action
        QVERIFY(wizard.isPresentationMode());
        QCOMPARE(changed.count(), 1);
        QVERIFY(wizard.presentationMode()->action()->isChecked());
        QCOMPARE(points(&wizard), windowBefore * 1.5);
        QCOMPARE(points(subtitle), bodyBefore * 1.5);
        // Explicit sizes keep their proportion: the heading grows too.
        QVERIFY2(qAbs(points(title) - titleBefore * 1.5) < 0.05,
                 qPrintable(QStringLiteral("%1 → %2").arg(titleBefore).arg(points(title))));
        for (const auto& [axis, before] : axes)
            QVERIFY2(qAbs(axis->labelsFont().pointSizeF() - before * 1.5) < 0.05,
                     qPrintable(QStringLiteral("axis %1 → %2").arg(before).arg(axis->labelsFont().pointSizeF())));
        // High contrast: pure white (or black) window and base, pure black (or white) text.
        const QPalette contrast = QApplication::palette();
        QVERIFY(contrast.color(QPalette::Window) == Qt::white || contrast.color(QPalette::Window) == Qt::black);
        QVERIFY(contrast.color(QPalette::WindowText) != windowColourBefore);
        QCOMPARE(qAbs(contrast.color(QPalette::Window).lightness() - contrast.color(QPalette::WindowText).lightness()),
                 255);
        // Chrome: the menu bar collapses (page and rail stay); the rail widens with its text.
        QTRY_COMPARE(wizard.menuBar()->height(), 0);
        QVERIFY(wizard.rail()->isVisible());
        QCOMPARE(wizard.rail()->width(), int(railWidth * 1.5));
        QVERIFY(wizard.currentPage()->isVisible());

        // Esc leaves, and everything is as it was.
        wizard.activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(&wizard));
        QTest::keyClick(wizard.button(QWizard::NextButton), Qt::Key_Escape);
        QVERIFY(!wizard.isPresentationMode());
        QVERIFY(!wizard.presentationMode()->action()->isChecked());
        QCOMPARE(points(&wizard), windowBefore);
        QCOMPARE(points(subtitle), bodyBefore);
        QVERIFY(qAbs(points(title) - titleBefore) < 0.05);
        for (const auto& [axis, before] : axes)
            QVERIFY(qAbs(axis->labelsFont().pointSizeF() - before) < 0.05);
        QCOMPARE(QApplication::palette().color(QPalette::Window), windowColourBefore);
        QTRY_COMPARE(wizard.menuBar()->height(), menuHeight);
        QCOMPARE(wizard.rail()->width(), railWidth);
        QVERIFY(wizard.isVisible());  // Esc never closes the window
    }

    void pageKeysStepThroughCompletePages()
    {
        MainWizard wizard(false);
        wizard.show();
        QVERIFY(QTest::qWaitForWindowExposed(&wizard));
        wizard.activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(&wizard));
        wizard.setPresentationMode(true);
        QWidget* next = wizard.button(QWizard::NextButton);

        // The Problem page is not complete: PageDown stays.
        QTest::keyClick(next, Qt::Key_PageDown);
        QCOMPARE(wizard.currentId(), int(MainWizard::ProblemId));
        QVERIFY(wizard_walk::completeProblem(wizard));
        // In a text field Space is a space, not a step.
        auto* objective = wizard.findChild<QLineEdit*>(QStringLiteral("objectiveEdit"));
        objective->setFocus();
        const QString typed = objective->text();
        QTest::keyClick(objective, Qt::Key_Space);
        QCOMPARE(wizard.currentId(), int(MainWizard::ProblemId));
        QCOMPARE(objective->text(), typed + QLatin1Char(' '));
        // PageDown — what a presenter's clicker sends — steps even from a text field.
        QTest::keyClick(objective, Qt::Key_PageDown);
        QCOMPARE(wizard.currentId(), int(MainWizard::DataId));
        // No data yet: the Data page is incomplete, so neither PageDown nor Space moves on.
        wizard.setFocus();
        QTest::keyClick(&wizard, Qt::Key_PageDown);
        QTest::keyClick(&wizard, Qt::Key_Space);
        QCOMPARE(wizard.currentId(), int(MainWizard::DataId));
        // PageUp and Left go back.
        QTest::keyClick(&wizard, Qt::Key_PageUp);
        QCOMPARE(wizard.currentId(), int(MainWizard::ProblemId));
        QTest::keyClick(&wizard, Qt::Key_PageUp);  // nothing before the first step
        QCOMPARE(wizard.currentId(), int(MainWizard::ProblemId));
        wizard.setFocus();
        QTest::keyClick(&wizard, Qt::Key_Right);
        QCOMPARE(wizard.currentId(), int(MainWizard::DataId));
        QTest::keyClick(&wizard, Qt::Key_Left);
        QCOMPARE(wizard.currentId(), int(MainWizard::ProblemId));

        // Outside presentation mode the keys are the focused widget's again.
        wizard.setPresentationMode(false);
        wizard.setFocus();
        QTest::keyClick(&wizard, Qt::Key_PageDown);
        QCOMPARE(wizard.currentId(), int(MainWizard::ProblemId));
        // F5 (the action's shortcut) turns it on from the keyboard.
        QTest::keyClick(&wizard, Qt::Key_F5);
        QVERIFY(wizard.isPresentationMode());
        QTest::keyClick(&wizard, Qt::Key_F5);
        QVERIFY(!wizard.isPresentationMode());
        // Full screen is a separate choice (F11).
        QVERIFY(!wizard.isFullScreen());
        wizard.presentationMode()->fullScreenAction()->trigger();
        QTRY_VERIFY(wizard.windowState() & Qt::WindowFullScreen);
        wizard.presentationMode()->fullScreenAction()->trigger();
        QTRY_VERIFY(!(wizard.windowState() & Qt::WindowFullScreen));
    }

    void thickensChartLines()
    {
        MainWizard wizard(false);
        wizard.show();
        QVERIFY(QTest::qWaitForWindowExposed(&wizard));
        QList<QPair<QXYSeries*, double>> lines;
        for (QChartView* view : wizard.findChildren<QChartView*>())
            for (QAbstractSeries* series : view->chart()->series())
                if (auto* xy = qobject_cast<QXYSeries*>(series); xy && xy->pen().widthF() > 0)
                    lines.append({xy, xy->pen().widthF()});
        QVERIFY(!lines.isEmpty());
        wizard.setPresentationMode(true);
        for (const auto& [series, width] : lines)
            QCOMPARE(series->pen().widthF(), width * 1.5);
        wizard.setPresentationMode(false);
        for (const auto& [series, width] : lines)
            QCOMPARE(series->pen().widthF(), width);
    }
};

QTEST_MAIN(TestPresentationMode)
#include "tst_presentation_mode.moc"
