#include "widgets/confusion_matrix_widget.hpp"

#include <QButtonGroup>
#include <QEvent>
#include <QHBoxLayout>
#include <QHelpEvent>
#include <QLinearGradient>
#include <QLocale>
#include <QPainter>
#include <QPainterPath>
#include <QToolButton>
#include <QToolTip>

#include <algorithm>
#include <array>
#include <cmath>

namespace stepwise::ui {
namespace {

constexpr qreal kMargin = 8.0;
constexpr qreal kMaxCell = 150.0;
constexpr qreal kLegendBar = 12.0;
const QColor kCorrect(0x2e, 0x7d, 0x32);

qreal luminance(const QColor& c)
{
    auto channel = [](qreal v) { return v <= 0.03928 ? v / 12.92 : std::pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * channel(c.redF()) + 0.7152 * channel(c.greenF()) + 0.0722 * channel(c.blueF());
}

QString percent(double fraction)
{
    if (fraction > 0 && fraction < 0.001)
        return QStringLiteral("<0.1%");
    return QString::number(fraction * 100.0, 'f', fraction >= 0.9995 || fraction == 0 ? 0 : 1) + QLatin1Char('%');
}

} // namespace

QColor sequentialBlue(double t)
{
    static const std::array<QColor, 9> stops = {
        QColor(0xf7, 0xfb, 0xff), QColor(0xde, 0xeb, 0xf7), QColor(0xc6, 0xdb, 0xef),
        QColor(0x9e, 0xca, 0xe1), QColor(0x6b, 0xae, 0xd6), QColor(0x42, 0x92, 0xc6),
        QColor(0x21, 0x71, 0xb5), QColor(0x08, 0x51, 0x9c), QColor(0x08, 0x30, 0x6b)};
    t = std::clamp(std::isfinite(t) ? t : 0.0, 0.0, 1.0) * double(stops.size() - 1);
    const auto low = std::min<std::size_t>(std::size_t(t), stops.size() - 2);
    const double f = t - double(low);
    const QColor& a = stops[low];
    const QColor& b = stops[low + 1];
    return QColor::fromRgbF(a.redF() + (b.redF() - a.redF()) * f, a.greenF() + (b.greenF() - a.greenF()) * f,
                            a.blueF() + (b.blueF() - a.blueF()) * f);
}

QColor contrastingText(const QColor& background)
{
    // WCAG contrast against black vs white; pick the larger.
    const qreal l = luminance(background);
    const qreal againstBlack = (l + 0.05) / 0.05;
    const qreal againstWhite = 1.05 / (l + 0.05);
    return againstBlack >= againstWhite ? QColor(0x17, 0x1a, 0x1f) : QColor(Qt::white);
}

ConfusionMatrixWidget::ConfusionMatrixWidget(QWidget* parent)
    : QWidget(parent),
      m_placeholder(tr("No confusion matrix yet")),
      m_toggleBar(new QWidget(this)),
      m_countsButton(new QToolButton(m_toggleBar)),
      m_percentButton(new QToolButton(m_toggleBar))
{
    setObjectName(QStringLiteral("confusionMatrix"));
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
    setMouseTracking(true);

    m_countsButton->setText(tr("Counts"));
    m_countsButton->setObjectName(QStringLiteral("countsButton"));
    m_countsButton->setToolTip(tr("Shade by the number of rows in each cell"));
    m_percentButton->setText(tr("Row %"));
    m_percentButton->setObjectName(QStringLiteral("rowPercentButton"));
    m_percentButton->setToolTip(
        tr("Shade by the share of each actual class (row) that landed in the cell — small classes count as much as big ones"));
    auto* group = new QButtonGroup(this);
    for (QToolButton* button : {m_countsButton, m_percentButton}) {
        button->setCheckable(true);
        button->setAutoRaise(false);
        group->addButton(button);
    }
    m_countsButton->setChecked(true);
    auto* bar = new QHBoxLayout(m_toggleBar);
    bar->setContentsMargins(0, 0, 0, 0);
    bar->setSpacing(0);
    bar->addWidget(m_countsButton);
    bar->addWidget(m_percentButton);
    m_toggleBar->adjustSize();
    connect(m_countsButton, &QToolButton::toggled, this, [this](bool on) {
        if (on)
            setMode(Mode::Counts);
    });
    connect(m_percentButton, &QToolButton::toggled, this, [this](bool on) {
        if (on)
            setMode(Mode::RowNormalized);
    });
}

void ConfusionMatrixWidget::setMatrix(const Matrix& matrix, const QStringList& classNames)
{
    m_matrix = matrix;
    m_names = classNames;
    updateGeometry();
    update();
}

void ConfusionMatrixWidget::clear(const QString& placeholder)
{
    m_matrix.clear();
    m_names.clear();
    m_placeholder = placeholder;
    update();
}

void ConfusionMatrixWidget::setModeToggleVisible(bool visible)
{
    m_toggleBar->setVisible(visible);
    update();
}

void ConfusionMatrixWidget::setMode(Mode mode)
{
    if (mode == m_mode)
        return;
    m_mode = mode;
    (mode == Mode::Counts ? m_countsButton : m_percentButton)->setChecked(true);
    update();
    emit modeChanged(mode);
}

QSize ConfusionMatrixWidget::sizeHint() const
{
    const int n = std::max<int>(2, int(m_matrix.size()));
    const int cell = n <= 4 ? 90 : (n <= 8 ? 60 : 40);
    return {int(2 * kMargin) + 130 + n * cell + 70, int(2 * kMargin) + 80 + n * cell};
}

QSize ConfusionMatrixWidget::minimumSizeHint() const { return {240, 180}; }

void ConfusionMatrixWidget::resizeEvent(QResizeEvent* event)
{
    QWidget::resizeEvent(event);
    m_toggleBar->adjustSize();
    m_toggleBar->move(width() - m_toggleBar->width() - int(kMargin), int(kMargin) / 2);
}

QRectF ConfusionMatrixWidget::paintArea() const
{
    QRectF area = QRectF(rect()).adjusted(kMargin, kMargin, -kMargin, -kMargin);
    if (m_toggleBar->isVisible())
        area.setTop(m_toggleBar->geometry().bottom() + 6);
    return area;
}

std::int64_t ConfusionMatrixWidget::rowTotal(std::size_t row) const
{
    std::int64_t total = 0;
    for (auto v : m_matrix[row])
        total += v;
    return total;
}

std::int64_t ConfusionMatrixWidget::maxCount() const
{
    std::int64_t best = 0;
    for (const auto& row : m_matrix)
        for (auto v : row)
            best = std::max(best, v);
    return best;
}

double ConfusionMatrixWidget::shade(std::size_t row, std::size_t column) const
{
    const std::int64_t value = m_matrix[row][column];
    if (m_mode == Mode::RowNormalized) {
        const std::int64_t total = rowTotal(row);
        return total > 0 ? double(value) / double(total) : 0.0;
    }
    const std::int64_t best = maxCount();
    return best > 0 ? double(value) / double(best) : 0.0;
}

QString ConfusionMatrixWidget::className(std::size_t index) const
{
    if (index < std::size_t(m_names.size()) && !m_names[int(index)].isEmpty())
        return m_names[int(index)];
    return tr("class %1").arg(index);
}

ConfusionMatrixWidget::Geometry ConfusionMatrixWidget::layoutGeometry() const
{
    Geometry g;
    const QRectF area = paintArea();
    const QFontMetricsF fm(font());
    const auto n = m_matrix.size();
    const qreal line = fm.height();

    qreal widest = 0;
    for (std::size_t i = 0; i < n; ++i)
        widest = std::max(widest, fm.horizontalAdvance(className(i)));
    g.rowLabelWidth = std::min(widest + 10, std::max<qreal>(60, area.width() * 0.28));

    QString legendMax = m_mode == Mode::Counts ? QLocale().toString(qlonglong(maxCount())) : QStringLiteral("100%");
    const qreal legendWidth = kLegendBar + 6 + fm.horizontalAdvance(legendMax) + 4;
    const qreal axisTitle = line + 4;           // rotated "Actual"
    const qreal top = line + 4 + line + 6;      // "Predicted" + column labels
    const qreal bottom = line + 8;              // footer note

    const qreal availW = area.width() - axisTitle - g.rowLabelWidth - 16 - legendWidth;
    const qreal availH = area.height() - top - bottom;
    g.cell = std::floor(std::min({availW / qreal(n), availH / qreal(n), kMaxCell}));
    if (g.cell < 4)
        g.cell = 4;
    const qreal gridSide = g.cell * qreal(n);
    const qreal blockWidth = axisTitle + g.rowLabelWidth + gridSide + 16 + legendWidth;
    const qreal left = area.left() + std::max<qreal>(0, (area.width() - blockWidth) / 2);
    const qreal blockHeight = top + gridSide + bottom;
    const qreal topY = area.top() + std::max<qreal>(0, (area.height() - blockHeight) / 2);
    g.grid = QRectF(left + axisTitle + g.rowLabelWidth, topY + top, gridSide, gridSide);
    g.legend = QRectF(g.grid.right() + 16, g.grid.top(), kLegendBar, gridSide);
    g.footer = QRectF(left, g.grid.bottom() + 6, blockWidth, line);
    return g;
}

void ConfusionMatrixWidget::paintEvent(QPaintEvent*)
{
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    p.setRenderHint(QPainter::TextAntialiasing);
    const QPalette& pal = palette();
    const QColor textColor = pal.color(QPalette::WindowText);
    QColor muted = textColor;
    muted.setAlphaF(0.6);

    if (m_matrix.empty()) {
        p.setPen(muted);
        p.drawText(paintArea(), Qt::AlignCenter | Qt::TextWordWrap, m_placeholder);
        return;
    }

    const Geometry g = layoutGeometry();
    const auto n = m_matrix.size();
    const QFont base = font();
    const QFontMetricsF fm(base);
    const qreal line = fm.height();
    QFont bold = base;
    bold.setBold(true);
    QFont small = base;
    small.setPointSizeF(base.pointSizeF() * 0.85);

    // Axis titles.
    p.setFont(bold);
    p.setPen(textColor);
    p.drawText(QRectF(g.grid.left(), g.grid.top() - 2 * line - 10, g.grid.width(), line), Qt::AlignCenter,
               tr("Predicted"));
    p.save();
    const QPointF actualCentre(g.grid.left() - g.rowLabelWidth - line / 2 - 2, g.grid.center().y());
    p.translate(actualCentre);
    p.rotate(-90);
    p.drawText(QRectF(-g.grid.height() / 2, -line / 2, g.grid.height(), line), Qt::AlignCenter, tr("Actual"));
    p.restore();

    // Class names.
    p.setFont(base);
    for (std::size_t i = 0; i < n; ++i) {
        const QString name = className(i);
        const QRectF columnLabel(g.grid.left() + qreal(i) * g.cell, g.grid.top() - line - 6, g.cell, line);
        p.drawText(columnLabel, Qt::AlignCenter, fm.elidedText(name, Qt::ElideRight, g.cell - 4));
        const QRectF rowLabel(g.grid.left() - g.rowLabelWidth, g.grid.top() + qreal(i) * g.cell,
                              g.rowLabelWidth - 8, g.cell);
        p.drawText(rowLabel, Qt::AlignRight | Qt::AlignVCenter,
                   fm.elidedText(name, Qt::ElideRight, g.rowLabelWidth - 10));
    }

    // Cells: main number, then the secondary one if there is room.
    QFont cellFont = base;
    cellFont.setBold(true);
    if (g.cell >= 110)
        cellFont.setPointSizeF(base.pointSizeF() * 1.5);
    else if (g.cell >= 70)
        cellFont.setPointSizeF(base.pointSizeF() * 1.2);
    const QFontMetricsF cellFm(cellFont);
    const QFontMetricsF smallFm(small);
    const std::int64_t maxValue = maxCount();
    for (std::size_t r = 0; r < n; ++r) {
        const std::int64_t total = rowTotal(r);
        for (std::size_t c = 0; c < n && c < m_matrix[r].size(); ++c) {
            const QRectF cell(g.grid.left() + qreal(c) * g.cell, g.grid.top() + qreal(r) * g.cell, g.cell, g.cell);
            const QColor fill = sequentialBlue(shade(r, c));
            p.fillRect(cell.adjusted(0.5, 0.5, -0.5, -0.5), fill);
            const QColor ink = contrastingText(fill);
            const std::int64_t count = m_matrix[r][c];
            const double fraction = total > 0 ? double(count) / double(total) : 0.0;
            const QString countText = QLocale().toString(qlonglong(count));
            const QString percentText = percent(fraction);
            const QString mainText = m_mode == Mode::Counts ? countText : percentText;
            const QString subText = m_mode == Mode::Counts ? percentText : tr("n = %1").arg(countText);
            const bool roomForTwo = g.cell >= cellFm.height() + smallFm.height() + 10 &&
                                    smallFm.horizontalAdvance(subText) < g.cell - 6;
            if (cellFm.horizontalAdvance(mainText) > g.cell - 4)
                continue;
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

    // The diagonal: correct predictions, outlined so it reads at a glance.
    QPen correctPen(kCorrect, std::clamp(g.cell / 30.0, 1.5, 3.0));
    correctPen.setJoinStyle(Qt::MiterJoin);
    p.setBrush(Qt::NoBrush);
    for (std::size_t i = 0; i < n; ++i) {
        const QRectF cell(g.grid.left() + qreal(i) * g.cell, g.grid.top() + qreal(i) * g.cell, g.cell, g.cell);
        const qreal inset = correctPen.widthF() / 2 + 1.0;
        p.setPen(correctPen);
        p.drawRect(cell.adjusted(inset, inset, -inset, -inset));
        if (g.cell >= 56) {
            // A small check mark tab in the corner.
            const qreal s = std::min<qreal>(16, g.cell / 5);
            const QRectF tab(cell.right() - inset - s, cell.top() + inset, s, s);
            p.fillRect(tab, kCorrect);
            QPainterPath tick;
            tick.moveTo(tab.left() + s * 0.22, tab.top() + s * 0.52);
            tick.lineTo(tab.left() + s * 0.42, tab.top() + s * 0.72);
            tick.lineTo(tab.left() + s * 0.78, tab.top() + s * 0.30);
            p.setPen(QPen(Qt::white, std::max<qreal>(1.2, s / 8)));
            p.drawPath(tick);
        }
    }
    p.setPen(QPen(pal.color(QPalette::Mid), 1));
    p.drawRect(g.grid);

    // Legend bar: dark (top, the maximum) to light (bottom, zero).
    QLinearGradient gradient(g.legend.bottomLeft(), g.legend.topLeft());
    for (int i = 0; i <= 8; ++i)
        gradient.setColorAt(i / 8.0, sequentialBlue(i / 8.0));
    p.fillRect(g.legend, gradient);
    p.setPen(QPen(pal.color(QPalette::Mid), 1));
    p.drawRect(g.legend);
    p.setFont(small);
    p.setPen(muted);
    const QString top = m_mode == Mode::Counts ? QLocale().toString(qlonglong(maxValue)) : QStringLiteral("100%");
    const QString mid = m_mode == Mode::Counts ? QLocale().toString(qlonglong(maxValue / 2)) : QStringLiteral("50%");
    const QString bottom = m_mode == Mode::Counts ? QStringLiteral("0") : QStringLiteral("0%");
    const qreal lx = g.legend.right() + 4;
    p.drawText(QRectF(lx, g.legend.top() - 2, 200, smallFm.height()), Qt::AlignLeft | Qt::AlignTop, top);
    p.drawText(QRectF(lx, g.legend.center().y() - smallFm.height() / 2, 200, smallFm.height()),
               Qt::AlignLeft | Qt::AlignVCenter, mid);
    p.drawText(QRectF(lx, g.legend.bottom() - smallFm.height() + 2, 200, smallFm.height()),
               Qt::AlignLeft | Qt::AlignBottom, bottom);

    // Footer: how to read it.
    const qreal swatch = smallFm.height() * 0.7;
    QString note = m_mode == Mode::Counts ? tr("correct predictions · rows = actual class · % of the row")
                                           : tr("correct predictions · shading = share of the actual class");
    if (swatch + 6 + smallFm.horizontalAdvance(note) > g.footer.width())
        note = tr("correct predictions");
    const qreal noteWidth = swatch + 6 + smallFm.horizontalAdvance(note);
    const qreal nx = std::max(g.footer.left(), g.grid.center().x() - noteWidth / 2);
    const QRectF swatchRect(nx, g.footer.center().y() - swatch / 2, swatch, swatch);
    p.setPen(QPen(kCorrect, 2));
    p.drawRect(swatchRect);
    p.setPen(muted);
    p.drawText(QRectF(swatchRect.right() + 6, g.footer.top(), g.footer.right() - swatchRect.right(), g.footer.height()),
               Qt::AlignLeft | Qt::AlignVCenter,
               smallFm.elidedText(note, Qt::ElideRight, g.footer.right() - swatchRect.right() - 6));
}

bool ConfusionMatrixWidget::event(QEvent* event)
{
    if (event->type() == QEvent::ToolTip && !m_matrix.empty()) {
        auto* help = static_cast<QHelpEvent*>(event);
        const Geometry g = layoutGeometry();
        if (g.grid.contains(help->pos())) {
            const auto c = std::size_t((help->pos().x() - g.grid.left()) / g.cell);
            const auto r = std::size_t((help->pos().y() - g.grid.top()) / g.cell);
            if (r < m_matrix.size() && c < m_matrix[r].size()) {
                const std::int64_t total = rowTotal(r);
                const std::int64_t count = m_matrix[r][c];
                const QString share = total > 0 ? percent(double(count) / double(total)) : QStringLiteral("0%");
                const QString text =
                    r == c ? tr("Actual %1, predicted %1 (correct): %2 rows — %3 of the actual %1 rows")
                                 .arg(className(r), QLocale().toString(qlonglong(count)), share)
                           : tr("Actual %1, predicted %2 (wrong): %3 rows — %4 of the actual %1 rows")
                                 .arg(className(r), className(c), QLocale().toString(qlonglong(count)), share);
                QToolTip::showText(help->globalPos(), text, this);
                return true;
            }
        }
        QToolTip::hideText();
        event->ignore();
        return true;
    }
    return QWidget::event(event);
}

} // namespace stepwise::ui
