#pragma once
/// \file
/// \brief The editable Type cell of the column overview: looks like a combo box, edits
/// with one.

#include <QStyledItemDelegate>

namespace stepwise::ui {

/// \brief Paints the kind as a drop-down so it reads as changeable, and edits it with a
/// `QComboBox` of the six kinds (each with a tooltip on what it means); choosing an entry
/// commits at once.
class ColumnKindDelegate : public QStyledItemDelegate {
    Q_OBJECT
public:
    using QStyledItemDelegate::QStyledItemDelegate;

    void paint(QPainter* painter, const QStyleOptionViewItem& option, const QModelIndex& index) const override;
    QSize sizeHint(const QStyleOptionViewItem& option, const QModelIndex& index) const override;
    QWidget* createEditor(QWidget* parent, const QStyleOptionViewItem& option, const QModelIndex& index) const override;
    void setEditorData(QWidget* editor, const QModelIndex& index) const override;
    void setModelData(QWidget* editor, QAbstractItemModel* model, const QModelIndex& index) const override;
    void updateEditorGeometry(QWidget* editor, const QStyleOptionViewItem& option, const QModelIndex& index) const override;
};

} // namespace stepwise::ui
