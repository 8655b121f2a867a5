#include "widgets/class_balance_bar.hpp"

#include <QLocale>
#include <QPainter>
#include <QPainterPath>

#include <array>
#include <numeric>

#include "widgets/heatmap_widget.hpp"

namespace stepwise::ui {

QColor categoryColor(int index)
{
    static const std::array<QColor, 10> colors = {
        QColor(0x4e, 0x79, 0xa7), QColor(0xf2, 0x8e, 0x2b), QColor(0xe1, 0x57, 0x59), QColor(0x76, 0xb7, 0xb2),
        QColor(0x59, 0xa1, 0x4f), QColor(0xed, 0xc9, 0x48), QColor(0xb0, 0x7a, 0xa1), QColor(0xff, 0x9d, 0xa7),
        QColor(0x9c, 0x75, 0x5f), QColor(0xba, 0xb0, 0xac)};
    return colors[std::size_t(index) % colors.size()];
}

ClassBalanceBar::ClassBalanceBar(QWidget* parent) : QWidget(parent)
{
    setObjectName(QStringLiteral("classBalanceBar"));
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
}

void ClassBalanceBar::setCounts(const QStringList& names, const std::vector<std::size_t>& counts)
{
    m_names = names;
    m_counts = counts;
    const std::size_t total = std::accumulate(counts.begin(), counts.end(), std::size_t(0));
    QStringList lines;
    const QLocale locale;
    for (std::size_t i = 0; i < counts.size(); ++i) {
        const QString name = int(i) < names.size() ? names[int(i)] : QString::number(i);
        lines << tr("%1: %2 rows (%3%)")
                     .arg(name, locale.toString(qulonglong(counts[i])))
                     .arg(total > 0 ? QString::number(100.0 * double(counts[i]) / double(total), 'f', 1)
                                    : QStringLiteral("0"));
    }
    setToolTip(tr("Rows per class of the target\n") + lines.join(QLatin1Char('\n')));
    setVisible(!counts.empty());
    update();
}

QSize ClassBalanceBar::sizeHint() const { return {320, fontMetrics().height() + 8}; }

QSize ClassBalanceBar::minimumSizeHint() const { return {120, sizeHint().height()}; }

void ClassBalanceBar::paintEvent(QPaintEvent*)
{
    const std::size_t total = std::accumulate(m_counts.begin(), m_counts.end(), std::size_t(0));
    if (total == 0)
        return;
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    const QRectF bar = QRectF(rect()).adjusted(0.5, 0.5, -0.5, -0.5);
    QPainterPath clip;
    clip.addRoundedRect(bar, 4, 4);
    p.setClipPath(clip);
    const QFontMetricsF fm(font());
    qreal x = bar.left();
    for (std::size_t i = 0; i < m_counts.size(); ++i) {
        const qreal width = bar.width() * qreal(m_counts[i]) / qreal(total);
        const QRectF segment(x, bar.top(), width, bar.height());
        const QColor color = categoryColor(int(i));
        p.fillRect(segment, color);
        const QString name = int(i) < m_names.size() ? m_names[int(i)] : QString::number(i);
        const QString label =
            QStringLiteral("%1 · %2%").arg(name).arg(qRound(100.0 * double(m_counts[i]) / double(total)));
        p.setPen(contrastingText(color));
        if (fm.horizontalAdvance(label) + 8 < width)
            p.drawText(segment, Qt::AlignCenter, label);
        else if (fm.horizontalAdvance(name) + 6 < width)
            p.drawText(segment, Qt::AlignCenter, name);
        if (i > 0) {
            p.setPen(QPen(palette().color(QPalette::Base), 1.5));
            p.drawLine(segment.topLeft(), segment.bottomLeft());
        }
        x += width;
    }
}

} // namespace stepwise::ui
