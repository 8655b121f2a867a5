#pragma once
/// \file
/// \brief The application icon, painted at every size (crisp on high-DPI screens
/// without an SVG image plugin; resources/icons/stepwise.svg is the same drawing).

#include <QIcon>

namespace stepwise::ui {

/// \brief Three rising steps on a blue rounded square.
QIcon appIcon();
/// \brief The same drawing as a pixmap of `size` logical pixels.
QPixmap appIconPixmap(int size, qreal devicePixelRatio);

} // namespace stepwise::ui
