#include "widgets/verdict_badge.hpp"

#include <QPainter>
#include <QPainterPath>

namespace stepwise::ui {
namespace {

QColor accentOf(VerdictBadge::Outcome outcome, const QPalette& palette)
{
    switch (outcome) {
    case VerdictBadge::Outcome::Passed:
        return QColor(0x2e, 0x7d, 0x32);
    case VerdictBadge::Outcome::Failed:
        return QColor(0xc6, 0x28, 0x28);
    case VerdictBadge::Outcome::Neutral:
        return palette.color(QPalette::Mid);
    }
    return {};
}

QColor mix(const QColor& a, const QColor& b, qreal t)
{
    return QColor::fromRgbF(a.redF() + (b.redF() - a.redF()) * t, a.greenF() + (b.greenF() - a.greenF()) * t,
                            a.blueF() + (b.blueF() - a.blueF()) * t);
}

} // namespace

VerdictBadge::VerdictBadge(QWidget* parent) : QWidget(parent)
{
    setObjectName(QStringLiteral("verdictBadge"));
    setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Fixed);
}

void VerdictBadge::setVerdict(Outcome outcome, const QString& headline, const QString& detail)
{
    m_outcome = outcome;
    m_headline = headline;
    m_detail = detail;
    setAccessibleName(headline);
    setAccessibleDescription(detail);
    setToolTip(detail);
    updateGeometry();
    update();
}

QFont VerdictBadge::headlineFont() const
{
    QFont f = font();
    f.setPointSizeF(f.pointSizeF() * 1.7);
    f.setBold(true);
    return f;
}

QFont VerdictBadge::detailFont() const
{
    QFont f = font();
    f.setPointSizeF(f.pointSizeF() * 1.15);
    return f;
}

QSize VerdictBadge::sizeHint() const
{
    const QFontMetrics hf(headlineFont());
    const QFontMetrics df(detailFont());
    const int height = 16 + hf.height() + 4 + df.height() + 16;
    const int text = std::max(hf.horizontalAdvance(m_headline), df.horizontalAdvance(m_detail));
    return {height + 16 + text + 24, height};
}

QSize VerdictBadge::minimumSizeHint() const { return {240, sizeHint().height()}; }

void VerdictBadge::paintEvent(QPaintEvent*)
{
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    const QColor accent = accentOf(m_outcome, palette());
    const QColor base = palette().color(QPalette::Base);
    const QRectF box = QRectF(rect()).adjusted(1, 1, -1, -1);
    p.setPen(QPen(mix(base, accent, 0.45), 1.2));
    p.setBrush(mix(base, accent, 0.10));
    p.drawRoundedRect(box, 8, 8);

    // The mark: a filled circle with ✓, ✕ or a dash.
    const qreal d = box.height() - 28;
    const QRectF circle(box.left() + 14, box.center().y() - d / 2, d, d);
    p.setPen(Qt::NoPen);
    p.setBrush(accent);
    p.drawEllipse(circle);
    QPen markPen(Qt::white, std::max<qreal>(2.5, d / 10));
    markPen.setCapStyle(Qt::RoundCap);
    markPen.setJoinStyle(Qt::RoundJoin);
    p.setPen(markPen);
    p.setBrush(Qt::NoBrush);
    const qreal s = d;
    const QPointF o = circle.topLeft();
    if (m_outcome == Outcome::Passed) {
        QPainterPath tick;
        tick.moveTo(o + QPointF(s * 0.27, s * 0.52));
        tick.lineTo(o + QPointF(s * 0.44, s * 0.69));
        tick.lineTo(o + QPointF(s * 0.74, s * 0.34));
        p.drawPath(tick);
    } else if (m_outcome == Outcome::Failed) {
        p.drawLine(o + QPointF(s * 0.32, s * 0.32), o + QPointF(s * 0.68, s * 0.68));
        p.drawLine(o + QPointF(s * 0.68, s * 0.32), o + QPointF(s * 0.32, s * 0.68));
    } else {
        p.drawLine(o + QPointF(s * 0.3, s * 0.5), o + QPointF(s * 0.7, s * 0.5));
    }

    const qreal textLeft = circle.right() + 16;
    const QRectF textBox(textLeft, box.top() + 12, box.right() - textLeft - 12, box.height() - 24);
    const QFontMetricsF hf(headlineFont());
    const QFontMetricsF df(detailFont());
    p.setFont(headlineFont());
    p.setPen(m_outcome == Outcome::Neutral ? palette().color(QPalette::WindowText) : accent.darker(115));
    p.drawText(QRectF(textBox.left(), textBox.top(), textBox.width(), hf.height()), Qt::AlignLeft | Qt::AlignVCenter,
               hf.elidedText(m_headline, Qt::ElideRight, textBox.width()));
    p.setFont(detailFont());
    p.setPen(palette().color(QPalette::WindowText));
    p.drawText(QRectF(textBox.left(), textBox.top() + hf.height() + 4, textBox.width(), df.height()),
               Qt::AlignLeft | Qt::AlignVCenter, df.elidedText(m_detail, Qt::ElideRight, textBox.width()));
}

} // namespace stepwise::ui
