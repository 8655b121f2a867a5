#include "widgets/column_kind_delegate.hpp"

#include <QApplication>
#include <QComboBox>
#include <QPainter>
#include <QTimer>

#include "models/column_overview_model.hpp"
#include "stepwise/data/column.hpp"

namespace stepwise::ui {
namespace {

constexpr data::ColumnKind kKinds[] = {data::ColumnKind::Numeric,     data::ColumnKind::Integer,
                                       data::ColumnKind::Boolean,     data::ColumnKind::Datetime,
                                       data::ColumnKind::Categorical, data::ColumnKind::Text};

} // namespace

void ColumnKindDelegate::paint(QPainter* painter, const QStyleOptionViewItem& option, const QModelIndex& index) const
{
    // The row's selection background first, then a flat combo box frame over it.
    QStyleOptionViewItem background = option;
    initStyleOption(&background, index);
    background.text.clear();
    const QWidget* widget = option.widget;
    QStyle* style = widget ? widget->style() : QApplication::style();
    style->drawControl(QStyle::CE_ItemViewItem, &background, painter, widget);

    QStyleOptionComboBox combo;
    combo.rect = option.rect.adjusted(2, 2, -2, -2);
    combo.state = option.state & (QStyle::State_Enabled | QStyle::State_MouseOver);
    combo.palette = option.palette;
    combo.currentText = index.data(Qt::DisplayRole).toString();
    combo.editable = false;
    combo.frame = true;
    style->drawComplexControl(QStyle::CC_ComboBox, &combo, painter, widget);
    style->drawControl(QStyle::CE_ComboBoxLabel, &combo, painter, widget);
}

QSize ColumnKindDelegate::sizeHint(const QStyleOptionViewItem& option, const QModelIndex& index) const
{
    QSize size = QStyledItemDelegate::sizeHint(option, index);
    QFontMetrics fm(option.font);
    size.setWidth(fm.horizontalAdvance(QStringLiteral("categorical")) + 36);
    return size;
}

QWidget* ColumnKindDelegate::createEditor(QWidget* parent, const QStyleOptionViewItem&, const QModelIndex&) const
{
    auto* combo = new QComboBox(parent);
    combo->setObjectName(QStringLiteral("columnKindEditor"));
    for (data::ColumnKind kind : kKinds) {
        const QString name = QString::fromLatin1(data::toString(kind));
        combo->addItem(name, name);
        combo->setItemData(combo->count() - 1, columnKindHelp(kind), Qt::ToolTipRole);
    }
    // One choice is the whole edit: commit and close as soon as it is made.
    connect(combo, &QComboBox::activated, this, [this, combo] {
        auto* self = const_cast<ColumnKindDelegate*>(this);
        emit self->commitData(combo);
        emit self->closeEditor(combo);
    });
    // Opened by a click, the list shows at once instead of needing a second click.
    QTimer::singleShot(0, combo, [combo] { combo->showPopup(); });
    return combo;
}

void ColumnKindDelegate::setEditorData(QWidget* editor, const QModelIndex& index) const
{
    auto* combo = static_cast<QComboBox*>(editor);
    combo->setCurrentIndex(std::max(0, combo->findData(index.data(Qt::EditRole).toString())));
}

void ColumnKindDelegate::setModelData(QWidget* editor, QAbstractItemModel* model, const QModelIndex& index) const
{
    auto* combo = static_cast<QComboBox*>(editor);
    model->setData(index, combo->currentData(), Qt::EditRole);
}

void ColumnKindDelegate::updateEditorGeometry(QWidget* editor, const QStyleOptionViewItem& option,
                                              const QModelIndex&) const
{
    editor->setGeometry(option.rect);
}

} // namespace stepwise::ui
