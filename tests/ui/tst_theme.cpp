// Themes: View ▸ Theme switches the application between light and a Fusion dark palette;
// what copied colours from the old palette follows — charts (background, axes, grid),
// muted notes, status banners — and going back to light restores them.
#include <QtTest>

#include <QAbstractAxis>
#include <QAction>
#include <QApplication>
#include <QChart>
#include <QChartView>
#include <QLabel>
#include <QLegend>
#include <QXYSeries>
#include <QMenu>
#include <QStyleFactory>
#include <QTemporaryDir>

#include "pages/wizard_step_page.hpp"
#include "widgets/status_banner.hpp"
#include "widgets/theme.hpp"
#include "wizard/main_wizard.hpp"

using stepwise::ui::ColorScheme;
using stepwise::ui::MainWizard;
using stepwise::ui::StatusBanner;
using stepwise::ui::Theme;

class TestTheme : public QObject {
    Q_OBJECT

private:
    static bool dark(const QColor& c) { return c.lightness() < 100; }
    static bool light(const QColor& c) { return c.lightness() > 160; }

private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QApplication::setStyle(QStyleFactory::create(QStringLiteral("Fusion")));
    }

    void darkAndBack()
    {
        MainWizard wizard(false);
        wizard.show();
        QVERIFY(QTest::qWaitForWindowExposed(&wizard));
        Theme* theme = wizard.theme();
        QCOMPARE(theme->scheme(), ColorScheme::System);
        QVERIFY(!Theme::platformPrefersDark());  // the offscreen platform is light
        QVERIFY(!theme->isDark());

        auto* note = wizard.stepPage(MainWizard::ProblemId)->findChild<QLabel*>(QStringLiteral("pageSubtitle"));
        QVERIFY(note);
        QVERIFY(note->testAttribute(Qt::WA_SetPalette));  // a muted note: its own palette
        QVERIFY(dark(note->palette().color(QPalette::WindowText)));
        StatusBanner* banner = wizard.stepPage(MainWizard::ProblemId)->banner();
        banner->setMessage(QStringLiteral("test"), StatusBanner::Level::Warning, QStringLiteral("Look here"));
        auto bannerText = [&] { return banner->findChild<QLabel*>(QStringLiteral("bannerText")); };
        QVERIFY(bannerText());
        QVERIFY(bannerText()->styleSheet().contains(QApplication::palette().color(QPalette::Text).name()));

        QList<QChart*> charts;
        for (QChartView* view : wizard.findChildren<QChartView*>())
            charts.append(view->chart());
        QVERIFY(!charts.isEmpty());
        for (QChart* chart : charts)
            QVERIFY(light(chart->backgroundBrush().color()));

        // View ▸ Theme ▸ Dark.
        QMenu* menu = wizard.viewMenu()->findChild<QMenu*>(QStringLiteral("themeMenu"));
        QVERIFY(menu);
        QAction* darkAction = theme->schemeAction(ColorScheme::Dark);
        QVERIFY(darkAction && menu->actions().contains(darkAction));
        darkAction->trigger();
        QCOMPARE(theme->scheme(), ColorScheme::Dark);
        QVERIFY(theme->isDark());
        QVERIFY(darkAction->isChecked());
        QVERIFY(!theme->schemeAction(ColorScheme::Light)->isChecked());
        const QPalette palette = QApplication::palette();
        QVERIFY(dark(palette.color(QPalette::Window)));
        QVERIFY(dark(palette.color(QPalette::Base)));
        QVERIFY(light(palette.color(QPalette::WindowText)));
        QVERIFY(dark(wizard.palette().color(QPalette::Window)));
        QVERIFY(dark(wizard.currentPage()->palette().color(QPalette::Base)));
        // The muted note keeps its alpha but is light now.
        QVERIFY(light(note->palette().color(QPalette::WindowText)));
        QVERIFY(note->palette().color(QPalette::WindowText).alpha() < 255);
        // The banner re-mixed its tint from the dark palette.
        QVERIFY(bannerText()->styleSheet().contains(palette.color(QPalette::Text).name()));
        // Charts: dark background, light labels, grid from the dark palette.
        for (QChart* chart : charts) {
            QVERIFY2(dark(chart->backgroundBrush().color()), qPrintable(chart->backgroundBrush().color().name()));
            for (QAbstractAxis* axis : chart->axes()) {
                QVERIFY(light(axis->labelsColor()));
                QCOMPARE(axis->gridLineColor().rgb(), palette.color(QPalette::Midlight).rgb());
            }
        }

        // Back to light: everything returns.
        theme->schemeAction(ColorScheme::Light)->trigger();
        QVERIFY(!theme->isDark());
        QVERIFY(light(QApplication::palette().color(QPalette::Window)));
        QVERIFY(dark(note->palette().color(QPalette::WindowText)));
        for (QChart* chart : charts) {
            QVERIFY(light(chart->backgroundBrush().color()));
            for (QAbstractAxis* axis : chart->axes())
                QVERIFY(dark(axis->labelsColor()));
        }
        // And "System" on a light platform is light.
        theme->setScheme(ColorScheme::System);
        QVERIFY(!theme->isDark());
    }

    void darkHighContrast()
    {
        MainWizard wizard(false);
        wizard.theme()->setScheme(ColorScheme::Dark);
        wizard.setPresentationMode(true);
        QCOMPARE(QApplication::palette().color(QPalette::Window), QColor(Qt::black));
        QCOMPARE(QApplication::palette().color(QPalette::WindowText), QColor(Qt::white));
        wizard.setPresentationMode(false);
        QVERIFY(wizard.theme()->isDark());
        QVERIFY(QApplication::palette().color(QPalette::Window) != QColor(Qt::black));
        wizard.theme()->setScheme(ColorScheme::Light);
    }

    void remembersTheScheme()
    {
        QCoreApplication::setOrganizationName(QStringLiteral("StepwiseThemeTest"));
        QSettings().clear();
        {
            Theme theme(true);
            QCOMPARE(theme.scheme(), ColorScheme::System);
            theme.setScheme(ColorScheme::Dark);
        }
        {
            Theme theme(true);
            QCOMPARE(theme.scheme(), ColorScheme::Dark);
            theme.setScheme(ColorScheme::Light);
        }
        Theme theme(false);  // tests and the demo never read it
        QCOMPARE(theme.scheme(), ColorScheme::System);
        QSettings().clear();
    }
};

QTEST_MAIN(TestTheme)
#include "tst_theme.moc"
