#include "widgets/heatmap_widget.hpp"

#include <QEvent>
#include <QHelpEvent>
#include <QKeyEvent>
#include <QMetaMethod>
#include <QMouseEvent>
#include <QLinearGradient>
#include <QPainter>
#include <QPainterPath>
#include <QToolTip>

#include <algorithm>
#include <array>
#include <cmath>

#include "models/heatmap_model.hpp"

namespace stepwise::ui {
namespace {

constexpr qreal kMargin = 8.0;
constexpr qreal kMaxCell = 150.0;
constexpr qreal kLegendBar = 12.0;
constexpr qreal kLegendGap = 16.0;
const QColor kHighlight(0x2e, 0x7d, 0x32);

qreal luminance(const QColor& c)
{
    auto channel = [](qreal v) { return v <= 0.03928 ? v / 12.92 : std::pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * channel(c.redF()) + 0.7152 * channel(c.greenF()) + 0.0722 * channel(c.blueF());
}

template<std::size_t N>
QColor interpolate(const std::array<QColor, N>& stops, double t)
{
    t = std::clamp(std::isfinite(t) ? t : 0.0, 0.0, 1.0) * double(N - 1);
    const auto low = std::min<std::size_t>(std::size_t(t), N - 2);
    const double f = t - double(low);
    const QColor& a = stops[low];
    const QColor& b = stops[low + 1];
    return QColor::fromRgbF(a.redF() + (b.redF() - a.redF()) * f, a.greenF() + (b.greenF() - a.greenF()) * f,
                            a.blueF() + (b.blueF() - a.blueF()) * f);
}

QFont smallFont(const QFont& base)
{
    QFont small = base;
    small.setPointSizeF(base.pointSizeF() * 0.85);
    return small;
}

} // namespace

QColor sequentialBlue(double t)
{
    static const std::array<QColor, 9> stops = {
        QColor(0xf7, 0xfb, 0xff), QColor(0xde, 0xeb, 0xf7), QColor(0xc6, 0xdb, 0xef),
        QColor(0x9e, 0xca, 0xe1), QColor(0x6b, 0xae, 0xd6), QColor(0x42, 0x92, 0xc6),
        QColor(0x21, 0x71, 0xb5), QColor(0x08, 0x51, 0x9c), QColor(0x08, 0x30, 0x6b)};
    return interpolate(stops, t);
}

QColor divergingRedBlue(double t)
{
    static const std::array<QColor, 11> stops = {
        QColor(0x67, 0x00, 0x1f), QColor(0xb2, 0x18, 0x2b), QColor(0xd6, 0x60, 0x4d), QColor(0xf4, 0xa5, 0x82),
        QColor(0xfd, 0xdb, 0xc7), QColor(0xf7, 0xf7, 0xf7), QColor(0xd1, 0xe5, 0xf0), QColor(0x92, 0xc5, 0xde),
        QColor(0x43, 0x93, 0xc3), QColor(0x21, 0x66, 0xac), QColor(0x05, 0x30, 0x61)};
    return interpolate(stops, t);
}

QColor contrastingText(const QColor& background)
{
    // WCAG contrast against black vs white; pick the larger.
    const qreal l = luminance(background);
    const qreal againstBlack = (l + 0.05) / 0.05;
    const qreal againstWhite = 1.05 / (l + 0.05);
    return againstBlack >= againstWhite ? QColor(0x17, 0x1a, 0x1f) : QColor(Qt::white);
}

HeatmapWidget::HeatmapWidget(QWidget* parent) : QWidget(parent), m_placeholder(tr("Nothing to show yet"))
{
    setObjectName(QStringLiteral("heatmap"));
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
    setMouseTracking(true);
}

void HeatmapWidget::setModel(HeatmapModel* model)
{
    for (const auto& connection : m_connections)
        disconnect(connection);
    m_connections.clear();
    m_model = model;
    if (model) {
        const auto changed = [this] { modelChanged(); };
        m_connections << connect(model, &QAbstractItemModel::modelReset, this, changed)
                      << connect(model, &QAbstractItemModel::dataChanged, this, changed)
                      << connect(model, &QAbstractItemModel::headerDataChanged, this, changed)
                      << connect(model, &QAbstractItemModel::layoutChanged, this, changed)
                      << connect(model, &QAbstractItemModel::rowsInserted, this, changed)
                      << connect(model, &QAbstractItemModel::rowsRemoved, this, changed)
                      << connect(model, &QAbstractItemModel::columnsInserted, this, changed)
                      << connect(model, &QAbstractItemModel::columnsRemoved, this, changed)
                      << connect(model, &QObject::destroyed, this, changed);
    }
    modelChanged();
}

void HeatmapWidget::modelChanged()
{
    // A reset (new matrix, other mode) may leave no cell where the selection was.
    if (!m_model || m_selected.y() >= m_model->rowCount() || m_selected.x() >= m_model->columnCount())
        m_selected = QPoint(-1, -1);
    updateGeometry();
    update();
}

void HeatmapWidget::setPlaceholderText(const QString& text)
{
    m_placeholder = text;
    update();
}

void HeatmapWidget::setCornerWidget(QWidget* widget)
{
    if (m_corner == widget)
        return;
    delete m_corner;
    m_corner = widget;
    if (widget) {
        widget->setParent(this);
        widget->adjustSize();
        widget->move(width() - widget->width() - int(kMargin), int(kMargin) / 2);
        widget->show();
    }
    update();
}

QSize HeatmapWidget::sizeHint() const
{
    const int n = m_model ? std::max({2, m_model->rowCount(), m_model->columnCount()}) : 2;
    const int cell = n <= 4 ? 90 : (n <= 8 ? 60 : (n <= 16 ? 40 : 24));
    return {int(2 * kMargin) + 130 + n * cell + 70, int(2 * kMargin) + 80 + n * cell};
}

QSize HeatmapWidget::minimumSizeHint() const { return {240, 180}; }

void HeatmapWidget::resizeEvent(QResizeEvent* event)
{
    QWidget::resizeEvent(event);
    if (m_corner) {
        m_corner->adjustSize();
        m_corner->move(width() - m_corner->width() - int(kMargin), int(kMargin) / 2);
    }
}

QRectF HeatmapWidget::paintArea() const
{
    QRectF area = QRectF(rect()).adjusted(kMargin, kMargin, -kMargin, -kMargin);
    if (m_corner && m_corner->isVisible())
        area.setTop(m_corner->geometry().bottom() + 6);
    return area;
}

QString HeatmapWidget::header(int section, Qt::Orientation orientation, int role) const
{
    return m_model ? m_model->headerData(section, orientation, role).toString() : QString();
}

QColor HeatmapWidget::fillFor(double value) const
{
    const HeatmapModel::Scale scale = m_model->scale();
    const double span = scale.high - scale.low;
    const double t = span != 0.0 ? (value - scale.low) / span : 0.0;
    return scale.kind == HeatmapModel::Scale::Kind::Diverging ? divergingRedBlue(t) : sequentialBlue(t);
}

HeatmapWidget::Geometry HeatmapWidget::layoutGeometry() const
{
    Geometry g;
    const QRectF area = paintArea();
    const QFontMetricsF fm(font());
    const QFontMetricsF smallFm(smallFont(font()));
    const int rows = m_model->rowCount();
    const int columns = m_model->columnCount();
    const qreal line = fm.height();
    const HeatmapModel::Scale scale = m_model->scale();

    qreal widestRow = 0;
    for (int i = 0; i < rows; ++i)
        widestRow = std::max(widestRow, fm.horizontalAdvance(header(i, Qt::Vertical)));
    qreal widestColumn = 0;
    for (int j = 0; j < columns; ++j)
        widestColumn = std::max(widestColumn, fm.horizontalAdvance(header(j, Qt::Horizontal)));

    qreal legendText = 0;
    for (const QString& text : {scale.lowText, scale.midText, scale.highText})
        legendText = std::max(legendText, smallFm.horizontalAdvance(text));
    const qreal legendWidth = kLegendBar + 6 + legendText + 4;
    const qreal rowTitle = m_model->rowTitle().isEmpty() ? 0 : line + 4;
    const qreal columnTitle = m_model->columnTitle().isEmpty() ? 0 : line + 4;
    const bool hasFooter = !m_model->footnote().isEmpty() || !m_model->highlightMeaning().isEmpty();
    const qreal bottom = hasFooter ? line + 8 : 4;

    // Labels shrink with the cells (down to 70 %), so a 30 × 30 map keeps readable,
    // non-overlapping names and its cells are not squeezed by full-size labels.
    auto layoutAt = [&](qreal labelScale) {
        const qreal labelLine = line * labelScale;
        g.labelScale = labelScale;
        g.rowLabelWidth = std::min(widestRow * labelScale + 10, std::max<qreal>(60, area.width() * 0.28));
        const qreal availW = area.width() - rowTitle - g.rowLabelWidth - kLegendGap - legendWidth;
        auto cellFor = [&](qreal top) {
            const qreal availH = area.height() - top - bottom;
            return std::max<qreal>(4, std::floor(std::min({availW / qreal(columns), availH / qreal(rows), kMaxCell})));
        };
        g.verticalColumnLabels = false;
        g.columnLabelHeight = labelLine + 6;
        g.cell = cellFor(columnTitle + g.columnLabelHeight);
        if (widestColumn * labelScale > g.cell - 4) {
            // Names wider than their cells stand upright instead of being cut to "a…".
            g.verticalColumnLabels = true;
            g.columnLabelHeight = std::min(widestColumn * labelScale + 8, std::max<qreal>(60, area.height() * 0.3));
            g.cell = cellFor(columnTitle + g.columnLabelHeight);
        }
    };
    layoutAt(1.0);
    for (int pass = 0; pass < 2 && line * g.labelScale > g.cell; ++pass)
        layoutAt(std::max<qreal>(0.7, g.cell / line));
    // Still taller than a cell: label every k-th row and column.
    g.labelStep = std::max(1, int(std::ceil(line * g.labelScale / g.cell)));

    const qreal top = columnTitle + g.columnLabelHeight;
    const qreal gridW = g.cell * qreal(columns);
    const qreal gridH = g.cell * qreal(rows);
    const qreal blockWidth = rowTitle + g.rowLabelWidth + gridW + kLegendGap + legendWidth;
    const qreal left = area.left() + std::max<qreal>(0, (area.width() - blockWidth) / 2);
    const qreal blockHeight = top + gridH + bottom;
    const qreal topY = area.top() + std::max<qreal>(0, (area.height() - blockHeight) / 2);
    g.grid = QRectF(left + rowTitle + g.rowLabelWidth, topY + top, gridW, gridH);
    g.legend = QRectF(g.grid.right() + kLegendGap, g.grid.top(), kLegendBar, gridH);
    // The footnote may use the whole width: it is one line of words, not part of the block.
    g.footer = QRectF(area.left(), g.grid.bottom() + 6, area.width(), line);
    return g;
}

QRectF HeatmapWidget::cellRect(int row, int column) const
{
    if (!m_model || row < 0 || column < 0 || row >= m_model->rowCount() || column >= m_model->columnCount())
        return {};
    const Geometry g = layoutGeometry();
    return QRectF(g.grid.left() + column * g.cell, g.grid.top() + row * g.cell, g.cell, g.cell);
}

QPoint HeatmapWidget::cellAt(const QPointF& pos) const
{
    if (!m_model || m_model->rowCount() == 0 || m_model->columnCount() == 0)
        return {-1, -1};
    const Geometry g = layoutGeometry();
    if (!g.grid.contains(pos) || g.cell <= 0)
        return {-1, -1};
    const int c = std::min(int(std::floor((pos.x() - g.grid.left()) / g.cell)), m_model->columnCount() - 1);
    const int r = std::min(int(std::floor((pos.y() - g.grid.top()) / g.cell)), m_model->rowCount() - 1);
    return {c, r};
}

void HeatmapWidget::setSelectedCell(int row, int column)
{
    const bool valid = m_model && row >= 0 && column >= 0 && row < m_model->rowCount() && column < m_model->columnCount();
    const QPoint selected = valid ? QPoint(column, row) : QPoint(-1, -1);
    if (selected == m_selected)
        return;
    m_selected = selected;
    update();
}

void HeatmapWidget::mousePressEvent(QMouseEvent* event)
{
    m_pressed = event->button() == Qt::LeftButton ? cellAt(event->position()) : QPoint(-1, -1);
    QWidget::mousePressEvent(event);
}

void HeatmapWidget::mouseReleaseEvent(QMouseEvent* event)
{
    // A click is a press and a release on the same cell, as for buttons.
    const QPoint cell = event->button() == Qt::LeftButton ? cellAt(event->position()) : QPoint(-1, -1);
    const bool clicked = cell.x() >= 0 && cell == m_pressed;
    m_pressed = QPoint(-1, -1);
    QWidget::mouseReleaseEvent(event);
    if (clicked)
        emit cellClicked(cell.y(), cell.x());
}

void HeatmapWidget::mouseMoveEvent(QMouseEvent* event)
{
    const bool clickable = isSignalConnected(QMetaMethod::fromSignal(&HeatmapWidget::cellClicked));
    const QPoint cell = cellAt(event->position());
    if (cell != m_hovered) {
        m_hovered = cell;
        emit cellHovered(cell.y(), cell.x());
    }
    if (clickable && cell.x() >= 0)
        setCursor(Qt::PointingHandCursor);
    else
        unsetCursor();
    QWidget::mouseMoveEvent(event);
}

void HeatmapWidget::keyPressEvent(QKeyEvent* event)
{
    if (!m_model || m_model->rowCount() == 0 || m_model->columnCount() == 0) {
        QWidget::keyPressEvent(event);
        return;
    }
    QPoint cell = m_selected.x() >= 0 ? m_selected : QPoint(0, 0);
    switch (event->key()) {
    case Qt::Key_Left: cell.rx() -= m_selected.x() >= 0 ? 1 : 0; break;
    case Qt::Key_Right: cell.rx() += m_selected.x() >= 0 ? 1 : 0; break;
    case Qt::Key_Up: cell.ry() -= m_selected.x() >= 0 ? 1 : 0; break;
    case Qt::Key_Down: cell.ry() += m_selected.x() >= 0 ? 1 : 0; break;
    case Qt::Key_Return:
    case Qt::Key_Enter:
    case Qt::Key_Space:
        setSelectedCell(cell.y(), cell.x());
        emit cellClicked(cell.y(), cell.x());
        return;
    default:
        QWidget::keyPressEvent(event);
        return;
    }
    cell.rx() = std::clamp(cell.x(), 0, m_model->columnCount() - 1);
    cell.ry() = std::clamp(cell.y(), 0, m_model->rowCount() - 1);
    setSelectedCell(cell.y(), cell.x());
}

bool HeatmapWidget::columnLabelsVertical() const
{
    return m_model && m_model->rowCount() > 0 && m_model->columnCount() > 0 && layoutGeometry().verticalColumnLabels;
}

void HeatmapWidget::paintEvent(QPaintEvent*)
{
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    p.setRenderHint(QPainter::TextAntialiasing);
    const QPalette& pal = palette();
    const QColor textColor = pal.color(QPalette::WindowText);
    QColor muted = textColor;
    muted.setAlphaF(0.6);

    if (!m_model || m_model->rowCount() == 0 || m_model->columnCount() == 0) {
        p.setPen(muted);
        p.drawText(paintArea(), Qt::AlignCenter | Qt::TextWordWrap, m_placeholder);
        return;
    }

    const Geometry g = layoutGeometry();
    const int rows = m_model->rowCount();
    const int columns = m_model->columnCount();
    const HeatmapModel::Scale scale = m_model->scale();
    const QFont base = font();
    const QFontMetricsF fm(base);
    const qreal line = fm.height();
    QFont bold = base;
    bold.setBold(true);
    const QFont small = smallFont(base);
    const QFontMetricsF smallFm(small);

    // Axis titles.
    p.setFont(bold);
    p.setPen(textColor);
    const QString columnTitle = m_model->columnTitle();
    if (!columnTitle.isEmpty())
        p.drawText(QRectF(g.grid.left(), g.grid.top() - g.columnLabelHeight - line - 4, g.grid.width(), line),
                   Qt::AlignCenter, columnTitle);
    const QString rowTitle = m_model->rowTitle();
    if (!rowTitle.isEmpty()) {
        p.save();
        p.translate(QPointF(g.grid.left() - g.rowLabelWidth - line / 2 - 2, g.grid.center().y()));
        p.rotate(-90);
        p.drawText(QRectF(-g.grid.height() / 2, -line / 2, g.grid.height(), line), Qt::AlignCenter, rowTitle);
        p.restore();
    }

    // Labels.
    QFont labelFont = base;
    labelFont.setPointSizeF(base.pointSizeF() * g.labelScale);
    const QFontMetricsF labelFm(labelFont);
    const qreal labelLine = labelFm.height();
    p.setFont(labelFont);
    for (int i = 0; i < rows; i += g.labelStep) {
        const QRectF rowLabel(g.grid.left() - g.rowLabelWidth, g.grid.top() + (i + 0.5) * g.cell - labelLine / 2,
                              g.rowLabelWidth - 8, labelLine);
        p.drawText(rowLabel, Qt::AlignRight | Qt::AlignVCenter,
                   labelFm.elidedText(header(i, Qt::Vertical), Qt::ElideRight, g.rowLabelWidth - 10));
    }
    for (int j = 0; j < columns; j += g.labelStep) {
        const QString name = header(j, Qt::Horizontal);
        if (g.verticalColumnLabels) {
            p.save();
            p.translate(QPointF(g.grid.left() + (j + 0.5) * g.cell, g.grid.top() - 4));
            p.rotate(-90);
            const qreal length = g.columnLabelHeight - 6;
            p.drawText(QRectF(0, -labelLine / 2, length, labelLine), Qt::AlignLeft | Qt::AlignVCenter,
                       labelFm.elidedText(name, Qt::ElideRight, length));
            p.restore();
        } else {
            const QRectF label(g.grid.left() + j * g.cell, g.grid.top() - labelLine - 6, g.cell, labelLine);
            p.drawText(label, Qt::AlignCenter, labelFm.elidedText(name, Qt::ElideRight, g.cell - 4));
        }
    }
    p.setFont(base);

    // One font for every cell, as large as the cells allow and small enough that the
    // widest text fits (a "−0.54" must not vanish while "0.08" shows).
    QFont cellFont = base;
    cellFont.setBold(true);
    qreal size = base.pointSizeF() * (g.cell >= 110 ? 1.5 : (g.cell >= 70 ? 1.2 : 1.0));
    qreal widest = 0;
    for (int r = 0; r < rows; ++r)
        for (int c = 0; c < columns; ++c)
            widest = std::max(widest, QFontMetricsF(cellFont).horizontalAdvance(m_model->index(r, c).data().toString()) /
                                          cellFont.pointSizeF());
    const qreal room = g.cell - 6;
    if (widest > 0)
        size = std::min(size, room / widest);
    size = std::max(size, base.pointSizeF() * 0.7);
    cellFont.setPointSizeF(size);
    const QFontMetricsF cellFm(cellFont);
    QBrush hatch(pal.color(QPalette::Mid), Qt::BDiagPattern);
    for (int r = 0; r < rows; ++r) {
        for (int c = 0; c < columns; ++c) {
            const QModelIndex index = m_model->index(r, c);
            const QRectF cell(g.grid.left() + c * g.cell, g.grid.top() + r * g.cell, g.cell, g.cell);
            const QRectF inner = cell.adjusted(0.5, 0.5, -0.5, -0.5);
            const QVariant value = index.data(HeatmapModel::ValueRole);
            const double v = value.isValid() ? value.toDouble() : std::nan("");
            QColor fill;
            if (std::isfinite(v)) {
                fill = fillFor(v);
                p.fillRect(inner, fill);
            } else {
                fill = pal.color(QPalette::Base);
                p.fillRect(inner, fill);
                p.fillRect(inner, hatch);
            }
            const QString mainText = index.data(Qt::DisplayRole).toString();
            if (mainText.isEmpty() || !std::isfinite(v) || cellFm.horizontalAdvance(mainText) > g.cell - 4 ||
                cellFm.height() > g.cell - 2)
                continue;
            const QColor ink = contrastingText(fill);
            const QString subText = index.data(HeatmapModel::DetailRole).toString();
            const bool roomForTwo = !subText.isEmpty() && g.cell >= cellFm.height() + smallFm.height() + 10 &&
                                    smallFm.horizontalAdvance(subText) < g.cell - 6;
            p.setPen(ink);
            p.setFont(cellFont);
            if (roomForTwo) {
                const qreal blockH = cellFm.height() + smallFm.height();
                const qreal y0 = cell.center().y() - blockH / 2;
                p.drawText(QRectF(cell.left(), y0, cell.width(), cellFm.height()), Qt::AlignCenter, mainText);
                p.setFont(small);
                QColor subInk = ink;
                subInk.setAlphaF(0.85);
                p.setPen(subInk);
                p.drawText(QRectF(cell.left(), y0 + cellFm.height(), cell.width(), smallFm.height()), Qt::AlignCenter,
                           subText);
            } else {
                p.drawText(cell, Qt::AlignCenter, mainText);
            }
        }
    }

    // Highlighted cells (the confusion matrix's diagonal): outlined so they read at a glance.
    QPen highlightPen(kHighlight, std::clamp(g.cell / 30.0, 1.5, 3.0));
    highlightPen.setJoinStyle(Qt::MiterJoin);
    p.setBrush(Qt::NoBrush);
    for (int r = 0; r < rows; ++r) {
        for (int c = 0; c < columns; ++c) {
            if (!m_model->index(r, c).data(HeatmapModel::HighlightRole).toBool())
                continue;
            const QRectF cell(g.grid.left() + c * g.cell, g.grid.top() + r * g.cell, g.cell, g.cell);
            const qreal inset = highlightPen.widthF() / 2 + 1.0;
            p.setPen(highlightPen);
            p.drawRect(cell.adjusted(inset, inset, -inset, -inset));
            if (g.cell >= 56) {
                const qreal s = std::min<qreal>(16, g.cell / 5);
                const QRectF tab(cell.right() - inset - s, cell.top() + inset, s, s);
                p.fillRect(tab, kHighlight);
                QPainterPath tick;
                tick.moveTo(tab.left() + s * 0.22, tab.top() + s * 0.52);
                tick.lineTo(tab.left() + s * 0.42, tab.top() + s * 0.72);
                tick.lineTo(tab.left() + s * 0.78, tab.top() + s * 0.30);
                p.setPen(QPen(Qt::white, std::max<qreal>(1.2, s / 8)));
                p.drawPath(tick);
            }
        }
    }
    p.setPen(QPen(pal.color(QPalette::Mid), 1));
    p.drawRect(g.grid);

    // The selected cell: a double ring (highlight inside a base-coloured halo) that shows
    // on the lightest and the darkest fill alike.
    if (m_selected.x() >= 0 && m_selected.x() < columns && m_selected.y() < rows) {
        const QRectF cell(g.grid.left() + m_selected.x() * g.cell, g.grid.top() + m_selected.y() * g.cell, g.cell,
                          g.cell);
        const qreal width = std::clamp(g.cell / 25.0, 2.0, 4.0);
        p.setBrush(Qt::NoBrush);
        p.setPen(QPen(pal.color(QPalette::Base), width + 2, Qt::SolidLine, Qt::SquareCap, Qt::MiterJoin));
        p.drawRect(cell.adjusted(-width / 2, -width / 2, width / 2, width / 2));
        p.setPen(QPen(pal.color(QPalette::Highlight), width, Qt::SolidLine, Qt::SquareCap, Qt::MiterJoin));
        p.drawRect(cell.adjusted(-width / 2, -width / 2, width / 2, width / 2));
    }
    if (hasFocus() && m_selected.x() < 0) {
        p.setPen(QPen(pal.color(QPalette::Highlight), 1, Qt::DotLine));
        p.drawRect(g.grid.adjusted(-2, -2, 2, 2));
    }

    // Legend bar: the high end at the top.
    QLinearGradient gradient(g.legend.bottomLeft(), g.legend.topLeft());
    for (int i = 0; i <= 10; ++i) {
        const double t = i / 10.0;
        gradient.setColorAt(t, scale.kind == HeatmapModel::Scale::Kind::Diverging ? divergingRedBlue(t)
                                                                                  : sequentialBlue(t));
    }
    p.fillRect(g.legend, gradient);
    p.setPen(QPen(pal.color(QPalette::Mid), 1));
    p.drawRect(g.legend);
    p.setFont(small);
    p.setPen(muted);
    const qreal lx = g.legend.right() + 4;
    p.drawText(QRectF(lx, g.legend.top() - 2, 200, smallFm.height()), Qt::AlignLeft | Qt::AlignTop, scale.highText);
    p.drawText(QRectF(lx, g.legend.center().y() - smallFm.height() / 2, 200, smallFm.height()),
               Qt::AlignLeft | Qt::AlignVCenter, scale.midText);
    p.drawText(QRectF(lx, g.legend.bottom() - smallFm.height() + 2, 200, smallFm.height()),
               Qt::AlignLeft | Qt::AlignBottom, scale.lowText);

    // Footer: how to read it, led by the highlight swatch when cells are highlighted.
    const QString meaning = m_model->highlightMeaning();
    const QString footnote = m_model->footnote();
    if (meaning.isEmpty() && footnote.isEmpty())
        return;
    const qreal swatch = meaning.isEmpty() ? 0 : smallFm.height() * 0.7;
    const qreal swatchGap = meaning.isEmpty() ? 0 : 6;
    QString note = meaning.isEmpty() ? footnote
                                     : (footnote.isEmpty() ? meaning : meaning + QStringLiteral(" · ") + footnote);
    if (swatch + swatchGap + smallFm.horizontalAdvance(note) > g.footer.width() && !meaning.isEmpty())
        note = meaning;
    const qreal noteWidth = std::min(g.footer.width(), swatch + swatchGap + smallFm.horizontalAdvance(note));
    const qreal nx = std::clamp(g.grid.center().x() - noteWidth / 2, g.footer.left(), g.footer.right() - noteWidth);
    if (!meaning.isEmpty()) {
        const QRectF swatchRect(nx, g.footer.center().y() - swatch / 2, swatch, swatch);
        p.setPen(QPen(kHighlight, 2));
        p.drawRect(swatchRect);
    }
    p.setPen(muted);
    const qreal textLeft = nx + swatch + swatchGap;
    p.drawText(QRectF(textLeft, g.footer.top(), g.footer.right() - textLeft, g.footer.height()),
               Qt::AlignLeft | Qt::AlignVCenter, smallFm.elidedText(note, Qt::ElideRight, g.footer.right() - textLeft));
}

bool HeatmapWidget::event(QEvent* event)
{
    if (event->type() == QEvent::ToolTip && m_model && m_model->rowCount() > 0 && m_model->columnCount() > 0) {
        auto* help = static_cast<QHelpEvent*>(event);
        const Geometry g = layoutGeometry();
        const QPointF pos = help->pos();
        QString text;
        const int c = int(std::floor((pos.x() - g.grid.left()) / g.cell));
        const int r = int(std::floor((pos.y() - g.grid.top()) / g.cell));
        const bool inColumns = c >= 0 && c < m_model->columnCount();
        const bool inRows = r >= 0 && r < m_model->rowCount();
        if (g.grid.contains(pos) && inRows && inColumns)
            text = m_model->index(r, c).data(Qt::ToolTipRole).toString();
        else if (inRows && pos.x() < g.grid.left() && pos.x() >= g.grid.left() - g.rowLabelWidth)
            text = header(r, Qt::Vertical, Qt::ToolTipRole);
        else if (inColumns && pos.y() < g.grid.top() && pos.y() >= g.grid.top() - g.columnLabelHeight)
            text = header(c, Qt::Horizontal, Qt::ToolTipRole);
        if (!text.isEmpty()) {
            QToolTip::showText(help->globalPos(), text, this);
            return true;
        }
        QToolTip::hideText();
        event->ignore();
        return true;
    }
    if (event->type() == QEvent::Leave && m_hovered.x() >= 0) {
        m_hovered = QPoint(-1, -1);
        emit cellHovered(-1, -1);
    }
    return QWidget::event(event);
}

} // namespace stepwise::ui
