// The guided tour: every stop points at a visible part of the window with the bubble
// beside it (never over it), the keyboard drives it, Skip and Esc end it, and it greets
// only the first start.
#include <QtTest>

#include <QAction>
#include <QLabel>
#include <QMenu>
#include <QMenuBar>
#include <QPushButton>
#include <QTemporaryDir>

#include "teaching/guided_tour.hpp"
#include "wizard/main_wizard.hpp"
#include "wizard/step_rail.hpp"

using stepwise::ui::GuidedTour;
using stepwise::ui::MainWizard;

class TestGuidedTour : public QObject {
    Q_OBJECT

private:
    static QRect inWindow(QWidget* widget, MainWizard& wizard)
    {
        return QRect(widget->mapTo(&wizard, QPoint(0, 0)), widget->size());
    }

private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void stepsThroughEveryStop()
    {
        MainWizard wizard(false);
        wizard.show();
        QVERIFY(QTest::qWaitForWindowExposed(&wizard));
        wizard.activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(&wizard));
        GuidedTour* tour = wizard.guidedTour();
        QVERIFY(!tour->isVisible());  // never on its own in tests
        QCOMPARE(tour->stops().size(), 6);

        // Learn ▸ Take the tour.
        auto* action = wizard.findChild<QAction*>(QStringLiteral("tourAction"));
        QVERIFY(action && wizard.learnMenu()->actions().contains(action));
        QSignalSpy finished(tour, &GuidedTour::finished);
        action->trigger();
        QVERIFY(tour->isVisible());
        QCOMPARE(tour->geometry(), wizard.rect());

        const QList<QWidget*> expected = {wizard.rail(), nullptr, wizard.button(QWizard::HelpButton),
                                          wizard.button(QWizard::NextButton), wizard.menuBar(),
                                          wizard.rail()->findChild<QWidget*>(QStringLiteral("railFooter"))};
        QSet<QWidget*> anchors;
        for (int stop = 0; stop < tour->stops().size(); ++stop) {
            QCOMPARE(tour->currentStop(), stop);
            QWidget* anchor = tour->currentAnchor();
            QVERIFY(anchor);
            QVERIFY2(anchor->isVisible() && !anchor->size().isEmpty(), qPrintable(QString::number(stop)));
            if (expected[stop])
                QCOMPARE(anchor, expected[stop]);
            else  // the page title's block: its parent holds the title label
                QVERIFY(anchor->findChild<QLabel*>(QStringLiteral("pageTitle")));
            anchors.insert(anchor);
            QWidget* bubble = tour->bubble();
            QVERIFY(bubble->isVisible());
            QVERIFY(tour->rect().contains(bubble->geometry()));
            // Beside the part, not over it.
            const QRect part = stop == 1 ? inWindow(anchor->findChild<QLabel*>(QStringLiteral("pageTitle")), wizard)
                                         : inWindow(anchor, wizard);
            QVERIFY2(!bubble->geometry().intersects(part), qPrintable(QString::number(stop)));
            const QString counter = bubble->findChild<QLabel*>(QStringLiteral("tourCounter"))->text();
            QVERIFY2(counter.contains(QString::number(stop + 1)), qPrintable(counter));
            QVERIFY(!bubble->findChild<QLabel*>(QStringLiteral("tourText"))->text().isEmpty());
            QVERIFY(!bubble->grab().isNull());
            // Right moves on (from the focused Next button), Left goes back, Right again.
            QWidget* focus = QApplication::focusWidget();
            QCOMPARE(focus, bubble->findChild<QWidget*>(QStringLiteral("tourNext")));
            if (stop > 0) {
                QTest::keyClick(focus, Qt::Key_Left);
                QCOMPARE(tour->currentStop(), stop - 1);
                QTest::keyClick(QApplication::focusWidget(), Qt::Key_Right);
                QCOMPARE(tour->currentStop(), stop);
            }
            QTest::keyClick(QApplication::focusWidget(), stop % 2 ? Qt::Key_Return : Qt::Key_Right);
        }
        QCOMPARE(anchors.size(), 6);
        QVERIFY(!tour->isVisible());
        QCOMPARE(finished.count(), 1);
        QCOMPARE(finished.at(0).at(0).toBool(), true);
        QCOMPARE(tour->currentStop(), -1);
    }

    void skipAndEscapeEndIt()
    {
        MainWizard wizard(false);
        wizard.show();
        QVERIFY(QTest::qWaitForWindowExposed(&wizard));
        wizard.activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(&wizard));
        GuidedTour* tour = wizard.guidedTour();
        QSignalSpy finished(tour, &GuidedTour::finished);
        wizard.startTour();
        tour->next();
        QCOMPARE(tour->currentStop(), 1);
        tour->bubble()->findChild<QPushButton*>(QStringLiteral("tourSkip"))->click();
        QVERIFY(!tour->isVisible());
        QCOMPARE(finished.count(), 1);
        QCOMPARE(finished.at(0).at(0).toBool(), false);
        wizard.startTour();
        QVERIFY(tour->isVisible());
        QTest::keyClick(QApplication::focusWidget(), Qt::Key_Escape);
        QVERIFY(!tour->isVisible());
        QCOMPARE(finished.count(), 2);
        QVERIFY(wizard.isVisible());  // Esc ended the tour, not the window
        // Back does nothing on the first stop.
        wizard.startTour();
        tour->back();
        QCOMPARE(tour->currentStop(), 0);
        QVERIFY(!tour->bubble()->findChild<QPushButton*>(QStringLiteral("tourBack"))->isEnabled());
        tour->skip();
    }

    void skipsStopsThatAreNotShown()
    {
        MainWizard wizard(false);
        wizard.show();
        QVERIFY(QTest::qWaitForWindowExposed(&wizard));
        wizard.setPresentationMode(true);  // the menu bar collapses
        QTRY_COMPARE(wizard.menuBar()->height(), 0);
        GuidedTour* tour = wizard.guidedTour();
        wizard.startTour();
        for (int i = 0; i < 3; ++i)
            tour->next();
        QCOMPARE(tour->currentStop(), 3);
        tour->next();
        QCOMPARE(tour->currentStop(), 5);  // past the menu
        tour->back();
        QCOMPARE(tour->currentStop(), 3);
        tour->skip();
    }

    void showsOnceOnTheFirstStart()
    {
        QCoreApplication::setOrganizationName(QStringLiteral("StepwiseTourTest"));
        QSettings().clear();
        QVERIFY(GuidedTour::isDue(QSettings()));
        {
            MainWizard first(true);
            first.show();
            QTRY_VERIFY(first.guidedTour()->isVisible());
            first.guidedTour()->skip();
        }
        QVERIFY(!GuidedTour::isDue(QSettings()));
        {
            MainWizard second(true);
            second.show();
            QTest::qWait(100);
            QVERIFY(!second.guidedTour()->isVisible());
            // Always available from the Learn menu.
            second.findChild<QAction*>(QStringLiteral("tourAction"))->trigger();
            QVERIFY(second.guidedTour()->isVisible());
        }
        QSettings().clear();
    }
};

QTEST_MAIN(TestGuidedTour)
#include "tst_guided_tour.moc"
