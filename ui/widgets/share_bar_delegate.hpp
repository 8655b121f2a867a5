#pragma once
/// \file
/// \brief Table cells with a bar behind the text showing a share (e.g. missing values).

#include <QColor>
#include <QStyledItemDelegate>

namespace stepwise::ui {

/// \brief Paints a horizontal bar of length `UserRole` (a fraction in [0, 1]) behind
/// the cell's text, so a column of percentages reads at a glance.
class ShareBarDelegate : public QStyledItemDelegate {
    Q_OBJECT
public:
    /// \brief Bars in `color`.
    explicit ShareBarDelegate(QColor color, QObject* parent = nullptr);
    void paint(QPainter* painter, const QStyleOptionViewItem& option, const QModelIndex& index) const override;

private:
    QColor m_color;
};

} // namespace stepwise::ui
