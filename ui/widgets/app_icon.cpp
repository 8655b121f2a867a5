#include "widgets/app_icon.hpp"

#include <QLinearGradient>
#include <QPainter>
#include <QPainterPath>
#include <QPixmap>

namespace stepwise::ui {

QPixmap appIconPixmap(int size, qreal devicePixelRatio)
{
    QPixmap pixmap(QSize(size, size) * devicePixelRatio);
    pixmap.setDevicePixelRatio(devicePixelRatio);
    pixmap.fill(Qt::transparent);
    QPainter p(&pixmap);
    p.setRenderHint(QPainter::Antialiasing);
    // Drawn on a 64-unit grid, matching resources/icons/stepwise.svg.
    p.scale(size / 64.0, size / 64.0);
    QLinearGradient background(0, 0, 64, 64);
    background.setColorAt(0, QColor(0x3b, 0x82, 0xf6));
    background.setColorAt(1, QColor(0x1e, 0x3a, 0x8a));
    p.setPen(Qt::NoPen);
    p.setBrush(background);
    p.drawRoundedRect(QRectF(2, 2, 60, 60), 13, 13);
    p.setBrush(QColor(255, 255, 255, 235));
    p.drawRoundedRect(QRectF(12, 38, 12, 14), 2, 2);
    p.drawRoundedRect(QRectF(26, 28, 12, 24), 2, 2);
    p.drawRoundedRect(QRectF(40, 18, 12, 34), 2, 2);
    p.setBrush(QColor(0xfb, 0xbf, 0x24));
    p.drawEllipse(QPointF(46, 11), 4.5, 4.5);
    return pixmap;
}

QIcon appIcon()
{
    QIcon icon;
    for (int size : {16, 24, 32, 48, 64, 128, 256})
        icon.addPixmap(appIconPixmap(size, 1.0));
    return icon;
}

} // namespace stepwise::ui
