#include "widgets/share_bar_delegate.hpp"

#include <QPainter>

#include <algorithm>

namespace stepwise::ui {

ShareBarDelegate::ShareBarDelegate(QColor color, QObject* parent) : QStyledItemDelegate(parent), m_color(color) {}

void ShareBarDelegate::paint(QPainter* painter, const QStyleOptionViewItem& option, const QModelIndex& index) const
{
    const QVariant share = index.data(Qt::UserRole);
    if (share.isValid()) {
        const double fraction = std::clamp(share.toDouble(), 0.0, 1.0);
        const QRectF cell = QRectF(option.rect).adjusted(2, 3, -2, -3);
        QRectF bar = cell;
        bar.setWidth(std::max(fraction > 0 ? 2.0 : 0.0, cell.width() * fraction));
        QColor fill = m_color;
        fill.setAlphaF(0.28);
        painter->save();
        painter->setPen(Qt::NoPen);
        painter->setBrush(fill);
        painter->drawRoundedRect(bar, 2, 2);
        painter->restore();
    }
    QStyledItemDelegate::paint(painter, option, index);
}

} // namespace stepwise::ui
