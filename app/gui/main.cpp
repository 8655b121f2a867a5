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
#include "wizard/project_actions.hpp"

namespace {

// True for the options that never need a screen: the demo, and the ones that only print.
bool runsWithoutScreen(int argc, char** argv)
{
    for (int i = 1; i < argc; ++i) {
        for (const char* option : {"--demo", "--screenshots", "--help", "-h", "--help-all", "--version", "-v"}) {
            const std::size_t length = std::strlen(option);
            if (std::strncmp(argv[i], option, length) == 0 && (argv[i][length] == '\0' || argv[i][length] == '='))
                return true;
        }
    }
    return false;
}

// Without a display the demo (and --help) still has to run, e.g. in CI; the offscreen
// platform renders into memory, which is all the screenshots need.
void chooseHeadlessPlatform(int argc, char** argv)
{
    const bool headlessUse = runsWithoutScreen(argc, argv);
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
                                         QStringLiteral("With --demo: save one PNG per step, the model "
                                                        "(demo.stepwise) and the project (demo.stepwise-project) "
                                                        "into <dir>."),
                                         QStringLiteral("dir"));
    parser.addOption(demo);
    parser.addOption(screenshots);
    // The desktop entry starts `stepwise %f`, so "Open with" and a double-click land here.
    parser.addPositionalArgument(QStringLiteral("file"),
                                 QStringLiteral("A project to open (.stepwise-project), or a data file to open on "
                                                "the Data step: .csv, .tsv, .txt, .xlsx, .json, .jsonl, .sqlite or "
                                                ".db."),
                                 QStringLiteral("[file]"));
    parser.process(app);

    if (parser.isSet(screenshots) && !parser.isSet(demo)) {
        std::fprintf(stderr, "stepwise: error: --screenshots needs --demo — add --demo\n");
        return 2;
    }
    if (parser.positionalArguments().size() > 1) {
        std::fprintf(stderr, "stepwise: error: give at most one file to open\n");
        return 2;
    }

    QApplication::setStyle(QStyleFactory::create(QStringLiteral("Fusion")));

    if (parser.isSet(demo)) {
        // A fixed face and size make the demo screenshots the same on every machine
        // (DejaVu Sans ships wherever Stepwise is installed); normal runs keep the
        // desktop's font.
        if (QFontDatabase::families().contains(QStringLiteral("DejaVu Sans"))) {
            QFont font(QStringLiteral("DejaVu Sans"));
            font.setPointSizeF(9.5);
            QApplication::setFont(font);
        }
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
        QTimer::singleShot(0, &wizard, [&wizard, path] { wizard.projectActions()->openPath(path); });
    }
    return app.exec();
}
