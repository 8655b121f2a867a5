// The desktop wizard. Thin: parses the command line, sets up the application and
// shows the MainWizard (or lets the DemoDriver walk it).
#include <QApplication>
#include <QCommandLineParser>
#include <QFileInfo>
#include <QFont>
#include <QFontDatabase>
#include <QStyleFactory>
#include <QTimer>

#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "stepwise/core/version.hpp"
#include "widgets/app_icon.hpp"
#include "wizard/demo_driver.hpp"
#include "wizard/main_wizard.hpp"

namespace {

bool hasArgument(int argc, char** argv, const char* wanted)
{
    for (int i = 1; i < argc; ++i) {
        if (std::strcmp(argv[i], wanted) == 0)
            return true;
    }
    return false;
}

// Without a display the demo (and --help) still has to run, e.g. in CI; the offscreen
// platform renders into memory, which is all the screenshots need.
void chooseHeadlessPlatform(int argc, char** argv)
{
    const bool headlessUse = hasArgument(argc, argv, "--demo") || hasArgument(argc, argv, "--help") ||
                             hasArgument(argc, argv, "-h") || hasArgument(argc, argv, "--version") ||
                             hasArgument(argc, argv, "-v");
    const bool noDisplay = std::getenv("DISPLAY") == nullptr && std::getenv("WAYLAND_DISPLAY") == nullptr;
    if (headlessUse && noDisplay && std::getenv("QT_QPA_PLATFORM") == nullptr)
        setenv("QT_QPA_PLATFORM", "offscreen", 1);
}

} // namespace

int main(int argc, char** argv)
{
    chooseHeadlessPlatform(argc, argv);
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("Stepwise"));
    QApplication::setOrganizationName(QStringLiteral("Stepwise"));
    QApplication::setApplicationVersion(QString::fromLatin1(stepwise::core::kVersion));
    QApplication::setApplicationDisplayName(QStringLiteral("Stepwise"));
    QApplication::setWindowIcon(stepwise::ui::appIcon());

    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Stepwise — a step-by-step desktop workbench for machine learning.\n"
                       "Problem → Data → Prep → Features → Training → Evaluation → Export."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption demo(QStringLiteral("demo"),
                                  QStringLiteral("Walk every step on the built-in Titanic data: train, evaluate, "
                                                 "export, then quit."));
    const QCommandLineOption screenshots(QStringLiteral("screenshots"),
                                         QStringLiteral("With --demo: save one PNG per step and the model "
                                                        "(demo.stepwise) into <dir>."),
                                         QStringLiteral("dir"));
    parser.addOption(demo);
    parser.addOption(screenshots);
    parser.addPositionalArgument(QStringLiteral("data"), QStringLiteral("A CSV or TSV file to open on the Data step."),
                                 QStringLiteral("[data.csv]"));
    parser.process(app);

    if (parser.isSet(screenshots) && !parser.isSet(demo)) {
        std::fprintf(stderr, "stepwise: error: --screenshots needs --demo — add --demo\n");
        return 2;
    }
    if (parser.positionalArguments().size() > 1) {
        std::fprintf(stderr, "stepwise: error: give at most one data file\n");
        return 2;
    }

    QApplication::setStyle(QStyleFactory::create(QStringLiteral("Fusion")));
    // DejaVu Sans ships everywhere Stepwise is installed; a fixed face and size also make
    // the demo screenshots the same on every machine.
    if (QFontDatabase::families().contains(QStringLiteral("DejaVu Sans"))) {
        QFont font(QStringLiteral("DejaVu Sans"));
        font.setPointSizeF(parser.isSet(demo) ? 9.5 : QApplication::font().pointSizeF());
        QApplication::setFont(font);
    }

    if (parser.isSet(demo)) {
        stepwise::ui::MainWizard wizard(false);
        wizard.setFixedSize(1280, 800);
        wizard.show();
        stepwise::ui::DemoDriver driver(&wizard, parser.value(screenshots));
        QObject::connect(&driver, &stepwise::ui::DemoDriver::finished, &app,
                         [](int code) { QCoreApplication::exit(code); }, Qt::QueuedConnection);
        driver.start();
        return app.exec();
    }

    stepwise::ui::MainWizard wizard;
    wizard.show();
    if (!parser.positionalArguments().isEmpty()) {
        const QString path = QFileInfo(parser.positionalArguments().front()).absoluteFilePath();
        QTimer::singleShot(0, &wizard, [&wizard, path] { wizard.openDataFile(path); });
    }
    return app.exec();
}
