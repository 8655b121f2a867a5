// Build-time tool: writes the application icon as a PNG for the hicolor theme
// (share/icons/hicolor/<size>x<size>/apps/stepwise.png). It paints with the same code as
// the window icon (ui/widgets/app_icon.cpp), so the PNG needs no SVG renderer.
//   stepwise-render-icon SIZE OUT.png
#include <QGuiApplication>
#include <QPixmap>

#include <cstdio>
#include <cstdlib>

#include "widgets/app_icon.hpp"

int main(int argc, char** argv)
{
    // A build machine has no display; the offscreen platform paints into memory.
    if (std::getenv("QT_QPA_PLATFORM") == nullptr)
        setenv("QT_QPA_PLATFORM", "offscreen", 1);
    QGuiApplication app(argc, argv);
    if (argc != 3) {
        std::fprintf(stderr, "usage: stepwise-render-icon SIZE OUT.png\n");
        return 2;
    }
    bool ok = false;
    const int size = QString::fromLocal8Bit(argv[1]).toInt(&ok);
    if (!ok || size < 16 || size > 1024) {
        std::fprintf(stderr, "stepwise-render-icon: error: SIZE must be a whole number of pixels in 16..1024, "
                             "not '%s'\n", argv[1]);
        return 2;
    }
    const QPixmap pixmap = stepwise::ui::appIconPixmap(size, 1.0);
    if (!pixmap.save(QString::fromLocal8Bit(argv[2]), "PNG")) {
        std::fprintf(stderr, "stepwise-render-icon: error: cannot write %s — check the folder exists and is "
                             "writable\n", argv[2]);
        return 1;
    }
    return 0;
}
