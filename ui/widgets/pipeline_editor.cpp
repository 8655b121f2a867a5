#include "widgets/pipeline_editor.hpp"

#include <QAction>
#include <QApplication>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QListWidget>
#include <QMenu>
#include <QPainter>
#include <QPushButton>
#include <QScrollArea>
#include <QShortcut>
#include <QSplitter>
#include <QStackedWidget>
#include <QStyle>
#include <QStyledItemDelegate>
#include <QToolButton>
#include <QVBoxLayout>

#include <algorithm>

#include "models/step_list_model.hpp"
#include "stepwise/core/errors.hpp"
#include "stepwise/features/expression_check.hpp"
#include "widgets/param_form.hpp"
#include "widgets/status_banner.hpp"

namespace stepwise::ui {
namespace {

const char* const kExpression = "expression";
const char* const kOrder = "order";

const prep::StepInfo* infoOf(const std::string& kind)
{
    for (const prep::StepInfo& info : prep::stepRegistry())
        if (info.kind == kind)
            return &info;
    return nullptr;
}

bool hasParam(const prep::StepInfo* info, const char* name)
{
    return info && std::any_of(info->params.begin(), info->params.end(),
                               [name](const core::ParamSpec& spec) { return spec.name == name; });
}

/// A formula is edited in its own expression field.
bool hasExpressionEditor(const prep::StepInfo* info) { return info && info->kind == "formula" && hasParam(info, kExpression); }

/// Parameters handled by a special editor rather than the generic form.
bool isSpecial(const prep::StepInfo* info, const std::string& name)
{
    return (name == kExpression && hasExpressionEditor(info)) || (name == kOrder && hasParam(info, kOrder));
}

/// The parameters as the form writes them: values equal to the default left out, so a
/// recipe that spells a default and one that does not compare equal.
std::map<std::string, std::string> withoutDefaults(const prep::StepSpec& spec)
{
    std::map<std::string, std::string> params = spec.params;
    if (const prep::StepInfo* info = infoOf(spec.kind))
        for (const core::ParamSpec& param : info->params) {
            const auto it = params.find(param.name);
            if (it != params.end() && it->second == param.defaultValue)
                params.erase(it);
        }
    return params;
}

std::string paramValue(const prep::StepSpec& spec, const std::string& name)
{
    const auto given = spec.params.find(name);
    if (given != spec.params.end())
        return given->second;
    if (const prep::StepInfo* info = infoOf(spec.kind))
        for (const core::ParamSpec& param : info->params)
            if (param.name == name)
                return param.defaultValue;
    return {};
}

bool inScope(const StepColumn& column, prep::ColumnScope scope)
{
    switch (scope) {
    case prep::ColumnScope::None:
        return false;
    case prep::ColumnScope::Any:
        return true;
    case prep::ColumnScope::Numeric:
        return column.type == data::ColumnType::Numeric;
    case prep::ColumnScope::Categorical:
        return column.type == data::ColumnType::Categorical;
    case prep::ColumnScope::Datetime:
        return column.kind == data::ColumnKind::Datetime;
    }
    return false;
}

QString scopeWords(prep::ColumnScope scope)
{
    switch (scope) {
    case prep::ColumnScope::Numeric:
        return QObject::tr("numeric columns");
    case prep::ColumnScope::Categorical:
        return QObject::tr("categorical columns");
    case prep::ColumnScope::Datetime:
        return QObject::tr("date/time columns");
    default:
        return QObject::tr("columns");
    }
}

std::vector<std::string> splitList(const std::string& text)
{
    std::vector<std::string> parts;
    std::size_t start = 0;
    while (start <= text.size()) {
        const std::size_t comma = text.find(',', start);
        const std::string part = text.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
        if (!part.empty())
            parts.push_back(part);
        if (comma == std::string::npos)
            break;
        start = comma + 1;
    }
    return parts;
}

/// Two lines per step: number and name (with the change of row count on the right),
/// then the step's words in a muted, smaller font.
class StepItemDelegate final : public QStyledItemDelegate {
public:
    using QStyledItemDelegate::QStyledItemDelegate;

    QSize sizeHint(const QStyleOptionViewItem& option, const QModelIndex& index) const override
    {
        // Text is elided to the view's width; a long description never scrolls sideways.
        QSize size = QStyledItemDelegate::sizeHint(option, index);
        const QFontMetrics fm(option.font);
        return {120, std::max(size.height(), 2 * fm.height() + 10)};
    }

    void paint(QPainter* painter, const QStyleOptionViewItem& option, const QModelIndex& index) const override
    {
        QStyleOptionViewItem opt = option;
        initStyleOption(&opt, index);
        const QString title = index.data(StepListModel::TitleRole).toString();
        const QString detail = index.data(StepListModel::DetailRole).toString();
        const QString rows = index.data(StepListModel::RowsRole).toString();
        const bool error = !index.data(StepListModel::ErrorRole).toString().isEmpty();
        opt.text.clear();
        const QWidget* widget = opt.widget;
        QStyle* style = widget ? widget->style() : QApplication::style();
        style->drawControl(QStyle::CE_ItemViewItem, &opt, painter, widget);

        const QRect textRect = style->subElementRect(QStyle::SE_ItemViewItemText, &opt, widget).adjusted(2, 0, -4, 0);
        const bool selected = opt.state & QStyle::State_Selected;
        QColor text = opt.palette.color(selected ? QPalette::HighlightedText : QPalette::Text);
        if (const QVariant foreground = index.data(Qt::ForegroundRole); foreground.isValid() && !selected)
            text = foreground.value<QColor>();
        QColor muted = text;
        muted.setAlphaF(text.alphaF() * 0.7);

        painter->save();
        QFont titleFont = opt.font;
        titleFont.setBold(true);
        const QFontMetrics titleMetrics(titleFont);
        QFont detailFont = opt.font;
        detailFont.setPointSizeF(opt.font.pointSizeF() * 0.92);
        const QFontMetrics detailMetrics(detailFont);
        const int top = textRect.top() + (textRect.height() - titleMetrics.height() - detailMetrics.height()) / 2;
        QRect titleRect(textRect.left(), top, textRect.width(), titleMetrics.height());
        if (!rows.isEmpty()) {
            painter->setFont(opt.font);
            const int width = QFontMetrics(opt.font).horizontalAdvance(rows);
            painter->setPen(selected ? text : QColor(0x25, 0x63, 0xeb));
            painter->drawText(titleRect, Qt::AlignRight | Qt::AlignVCenter, rows);
            titleRect.setRight(titleRect.right() - width - 8);
        }
        painter->setFont(titleFont);
        painter->setPen(error && !selected ? bannerColor(StatusBanner::Level::Error) : text);
        painter->drawText(titleRect, Qt::AlignLeft | Qt::AlignVCenter,
                          titleMetrics.elidedText(title, Qt::ElideRight, titleRect.width()));
        painter->setFont(detailFont);
        painter->setPen(muted);
        const QRect detailRect(textRect.left(), titleRect.bottom() + 1, textRect.width(), detailMetrics.height());
        painter->drawText(detailRect, Qt::AlignLeft | Qt::AlignVCenter,
                          detailMetrics.elidedText(detail, Qt::ElideRight, detailRect.width()));
        painter->restore();
    }
};

/// A "+" for Add, painted so it looks the same on every platform theme.
QIcon plusIcon(const QWidget& owner)
{
    const qreal ratio = owner.devicePixelRatioF();
    QPixmap pixmap(QSize(16, 16) * ratio);
    pixmap.setDevicePixelRatio(ratio);
    pixmap.fill(Qt::transparent);
    QPainter painter(&pixmap);
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setPen(QPen(bannerColor(StatusBanner::Level::Success), 2.4, Qt::SolidLine, Qt::RoundCap));
    painter.drawLine(QPointF(8, 3), QPointF(8, 13));
    painter.drawLine(QPointF(3, 8), QPointF(13, 8));
    return QIcon(pixmap);
}

QToolButton* toolButton(QStyle::StandardPixmap icon, const QString& text, const QString& tip, QWidget* parent)
{
    auto* button = new QToolButton(parent);
    button->setIcon(parent->style()->standardIcon(icon));
    button->setText(text);
    button->setToolTip(tip);
    button->setAutoRaise(true);
    return button;
}

} // namespace

std::vector<StepColumn> stepColumnsOf(const data::Table& table, const std::vector<std::string>& excluded)
{
    std::vector<StepColumn> columns;
    for (const data::Column& column : table.columns()) {
        if (std::find(excluded.begin(), excluded.end(), column.name()) != excluded.end())
            continue;
        StepColumn entry{column.name(), column.type(), column.kind(), {}};
        if (column.isCategorical())
            entry.categories = column.levels();
        columns.push_back(std::move(entry));
    }
    return columns;
}

PipelineEditor::PipelineEditor(prep::StepStage stage, QWidget* parent)
    : QWidget(parent),
      m_stage(stage),
      m_model(new StepListModel(this)),
      m_list(new QListView(this)),
      m_add(new QToolButton(this)),
      m_addMenu(new QMenu(this)),
      m_remove(toolButton(QStyle::SP_DialogDiscardButton, tr("Remove"), tr("Remove the selected step (Delete)"), this)),
      m_up(toolButton(QStyle::SP_ArrowUp, tr("Up"), tr("Move the selected step up: it runs earlier (Ctrl+Up)"), this)),
      m_down(toolButton(QStyle::SP_ArrowDown, tr("Down"), tr("Move the selected step down: it runs later (Ctrl+Down)"),
                        this)),
      m_formStack(new QStackedWidget(this)),
      m_title(new QLabel(this)),
      m_error(new QLabel(this)),
      m_columnsCaption(new QLabel(this)),
      m_columns(new QListWidget(this)),
      m_form(new ParamForm(this)),
      m_expressionBox(new QWidget(this)),
      m_expression(new QLineEdit(this)),
      m_expressionStatus(new QLabel(this)),
      m_orderBox(new QWidget(this)),
      m_order(new QListWidget(this)),
      m_orderReset(new QPushButton(tr("Sorted order"), this)),
      m_orderHint(new QLabel(this)),
      m_note(new QLabel(this))
{
    const bool prepStage = stage == prep::StepStage::Prep;
    setObjectName(prepStage ? QStringLiteral("prepPipeline") : QStringLiteral("featurePipeline"));
    m_list->setObjectName(QStringLiteral("stepList"));
    m_add->setObjectName(QStringLiteral("addStepButton"));
    m_remove->setObjectName(QStringLiteral("removeStepButton"));
    m_up->setObjectName(QStringLiteral("moveStepUpButton"));
    m_down->setObjectName(QStringLiteral("moveStepDownButton"));
    m_columns->setObjectName(QStringLiteral("stepColumns"));
    m_expression->setObjectName(QStringLiteral("expressionEdit"));
    m_expressionStatus->setObjectName(QStringLiteral("expressionStatus"));
    m_title->setObjectName(QStringLiteral("stepTitle"));
    m_order->setObjectName(QStringLiteral("categoryOrderList"));
    m_error->setObjectName(QStringLiteral("stepError"));
    m_note->setObjectName(QStringLiteral("stepNote"));

    // --- the steps --------------------------------------------------------------------
    m_add->setText(tr("Add step"));
    m_add->setIcon(plusIcon(*this));
    m_add->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_add->setPopupMode(QToolButton::InstantPopup);
    m_add->setMenu(m_addMenu);
    m_add->setToolTip(tr("Add a step after the selected one (Insert)"));
    m_addMenu->setToolTipsVisible(true);
    for (const prep::StepInfo& info : prep::stepRegistry()) {
        if (info.stage != stage)
            continue;
        QAction* action = m_addMenu->addAction(QString::fromStdString(info.displayName));
        action->setToolTip(QString::fromStdString(info.description));
        action->setStatusTip(QString::fromStdString(info.description));
        action->setData(QString::fromStdString(info.kind));
        action->setObjectName(QStringLiteral("add_") + QString::fromStdString(info.kind));
        connect(action, &QAction::triggered, this, [this, kind = info.kind] { addStep(kind); });
    }
    for (QToolButton* button : {m_remove, m_up, m_down})
        button->setToolButtonStyle(Qt::ToolButtonIconOnly);

    m_list->setModel(m_model);
    m_list->setItemDelegate(new StepItemDelegate(m_list));
    m_list->setSelectionMode(QAbstractItemView::SingleSelection);
    m_list->setDragDropMode(QAbstractItemView::InternalMove);
    m_list->setDefaultDropAction(Qt::MoveAction);
    m_list->setDragEnabled(true);
    m_list->setAcceptDrops(true);
    m_list->setDropIndicatorShown(true);
    m_list->setUniformItemSizes(true);
    m_list->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_list->setTextElideMode(Qt::ElideRight);
    m_list->setToolTip(tr("The steps run top to bottom. Uncheck a step to switch it off; drag to reorder."));

    m_toolbar = new QHBoxLayout;
    m_toolbar->setContentsMargins(0, 0, 0, 0);
    m_toolbar->setSpacing(2);
    m_toolbar->addWidget(m_add);
    m_toolbar->addStretch(1);
    m_toolbar->addWidget(m_up);
    m_toolbar->addWidget(m_down);
    m_toolbar->addWidget(m_remove);
    auto* stepsPanel = new QWidget(this);
    auto* stepsLayout = new QVBoxLayout(stepsPanel);
    stepsLayout->setContentsMargins(0, 0, 0, 0);
    stepsLayout->setSpacing(4);
    stepsLayout->addLayout(m_toolbar);
    stepsLayout->addWidget(m_list, 1);

    auto* removeKey = new QShortcut(QKeySequence::Delete, m_list, nullptr, nullptr, Qt::WidgetShortcut);
    connect(removeKey, &QShortcut::activated, this, &PipelineEditor::removeCurrentStep);
    auto* upKey = new QShortcut(QKeySequence(Qt::CTRL | Qt::Key_Up), m_list, nullptr, nullptr, Qt::WidgetShortcut);
    connect(upKey, &QShortcut::activated, this, [this] { moveCurrentStep(-1); });
    auto* downKey = new QShortcut(QKeySequence(Qt::CTRL | Qt::Key_Down), m_list, nullptr, nullptr, Qt::WidgetShortcut);
    connect(downKey, &QShortcut::activated, this, [this] { moveCurrentStep(1); });
    auto* addKey = new QShortcut(QKeySequence(Qt::Key_Insert), this, nullptr, nullptr, Qt::WidgetWithChildrenShortcut);
    connect(addKey, &QShortcut::activated, this, [this] { m_add->showMenu(); });

    // --- the selected step's form ---------------------------------------------------
    auto* placeholder = new QLabel(tr("Choose a step to see and change its settings, or add one."), this);
    placeholder->setAlignment(Qt::AlignCenter);
    placeholder->setWordWrap(true);
    placeholder->setEnabled(false);

    QFont titleFont = m_title->font();
    titleFont.setBold(true);
    m_title->setFont(titleFont);
    m_title->setWordWrap(true);
    for (QLabel* label : {m_columnsCaption, m_orderHint, m_expressionStatus, m_note}) {
        label->setWordWrap(true);
        QPalette palette = label->palette();
        QColor muted = palette.color(QPalette::WindowText);
        muted.setAlphaF(0.72);
        palette.setColor(QPalette::WindowText, muted);
        label->setPalette(palette);
    }
    m_note->setTextFormat(Qt::RichText);
    m_error->setWordWrap(true);
    m_error->setStyleSheet(QStringLiteral("color: #c62828;"));
    m_error->setTextInteractionFlags(Qt::TextSelectableByMouse);

    m_form->setShowsDefaults(false);
    m_columns->setSelectionMode(QAbstractItemView::NoSelection);
    m_columns->setMaximumHeight(110);
    m_columns->setUniformItemSizes(true);

    auto* expressionLayout = new QVBoxLayout(m_expressionBox);
    expressionLayout->setContentsMargins(0, 0, 0, 0);
    expressionLayout->setSpacing(3);
    expressionLayout->addWidget(new QLabel(tr("Expression:"), m_expressionBox));
    m_expression->setPlaceholderText(tr("e.g. fare / (age + 1)"));
    m_expression->setToolTip(tr("The new column's value for each row, from the columns at this point of the "
                                "pipeline: + − × ÷, parentheses, numbers and column names."));
    expressionLayout->addWidget(m_expression);
    expressionLayout->addWidget(m_expressionStatus);

    auto* orderLayout = new QVBoxLayout(m_orderBox);
    orderLayout->setContentsMargins(0, 0, 0, 0);
    orderLayout->setSpacing(3);
    auto* orderCaption = new QLabel(tr("Order of the categories (drag, lowest first):"), m_orderBox);
    orderLayout->addWidget(orderCaption);
    orderLayout->addWidget(m_orderHint);
    m_order->setDragDropMode(QAbstractItemView::InternalMove);
    m_order->setDefaultDropAction(Qt::MoveAction);
    m_order->setMaximumHeight(120);
    m_order->setToolTip(tr("Ordinal codes follow this order: the first category gets 0, the next 1, …"));
    orderLayout->addWidget(m_order);
    auto* orderButtons = new QHBoxLayout;
    m_orderReset->setToolTip(tr("Forget the order and number the categories in sorted order"));
    orderButtons->addStretch(1);
    orderButtons->addWidget(m_orderReset);
    orderLayout->addLayout(orderButtons);

    auto* formPage = new QWidget(this);
    auto* formLayout = new QVBoxLayout(formPage);
    formLayout->setContentsMargins(4, 0, 4, 0);
    formLayout->setSpacing(6);
    formLayout->addWidget(m_title);
    formLayout->addWidget(m_error);
    // Settings first: they are what most steps are about; the columns list can be long.
    formLayout->addWidget(m_form);
    formLayout->addWidget(m_expressionBox);
    formLayout->addWidget(m_note);
    formLayout->addWidget(m_columnsCaption);
    formLayout->addWidget(m_columns);
    formLayout->addWidget(m_orderBox);
    formLayout->addStretch(1);
    auto* scroll = new QScrollArea(this);
    scroll->setWidget(formPage);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_formStack->addWidget(placeholder);
    m_formStack->addWidget(scroll);

    auto* splitter = new QSplitter(Qt::Horizontal, this);
    splitter->addWidget(stepsPanel);
    splitter->addWidget(m_formStack);
    splitter->setStretchFactor(0, 4);
    splitter->setStretchFactor(1, 5);
    splitter->setChildrenCollapsible(false);
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(splitter);

    connect(m_model, &StepListModel::edited, this, [this](const QString& what) { emitEdit(m_model->steps(), what); });
    connect(m_model, &StepListModel::stepMoved, this, [this] {
        // The selection moved with the row; the form keeps its editors, its number changes,
        // and the preview follows.
        m_shownRow = currentStep();
        updateTitle();
        updateButtons();
        emit currentStepChanged(currentStep());
    });
    connect(m_list->selectionModel(), &QItemSelectionModel::currentChanged, this, &PipelineEditor::onCurrentChanged);
    connect(m_remove, &QToolButton::clicked, this, &PipelineEditor::removeCurrentStep);
    connect(m_up, &QToolButton::clicked, this, [this] { moveCurrentStep(-1); });
    connect(m_down, &QToolButton::clicked, this, [this] { moveCurrentStep(1); });
    connect(m_columns, &QListWidget::itemChanged, this, &PipelineEditor::writeColumns);
    connect(m_form, &ParamForm::valuesChanged, this, &PipelineEditor::writeParams);
    connect(m_expression, &QLineEdit::textEdited, this, [this] {
        writeParams();
        updateStepStatus();
    });
    connect(m_order->model(), &QAbstractItemModel::rowsMoved, this, &PipelineEditor::writeOrder);
    connect(m_orderReset, &QPushButton::clicked, this, [this] {
        const int row = currentStep();
        if (row < 0)
            return;
        std::vector<prep::StepSpec> steps = m_model->steps();
        if (steps[std::size_t(row)].params.erase(kOrder) == 0)
            return;
        m_shownSpec = steps[std::size_t(row)];
        updateSpecialEditors();
        emitEdit(std::move(steps), tr("Sort the categories of “%1”").arg(stepDisplayName(m_shownSpec.kind)));
    });

    syncForm(true);
    updateButtons();
}

const std::vector<prep::StepSpec>& PipelineEditor::steps() const { return m_model->steps(); }

int PipelineEditor::currentStep() const
{
    const QModelIndex current = m_list->currentIndex();
    return current.isValid() ? current.row() : -1;
}

void PipelineEditor::setCurrentStep(int row)
{
    if (row < 0 || row >= m_model->rowCount()) {
        m_list->selectionModel()->clear();
        m_list->setCurrentIndex({});
        return;
    }
    m_list->setCurrentIndex(m_model->index(row));
}

void PipelineEditor::setSteps(const std::vector<prep::StepSpec>& steps)
{
    const int count = int(steps.size());
    int wanted = m_pendingRow >= 0 ? m_pendingRow : currentStep();
    m_pendingRow = -1;
    m_model->setSteps(steps);
    if (count == 0)
        wanted = -1;
    else
        wanted = std::clamp(wanted, 0, count - 1);
    if (currentStep() != wanted)
        setCurrentStep(wanted);
    else
        syncForm(false);
    updateButtons();
}

void PipelineEditor::setOutcomes(std::vector<workflow::StepOutcome> outcomes, std::vector<prep::StepSpec> steps)
{
    m_model->setOutcomes(std::move(outcomes), std::move(steps));
    updateStepStatus();
}

void PipelineEditor::setColumns(std::vector<StepColumn> columns, const QString& source)
{
    const bool same = source == m_columnsSource && columns.size() == m_available.size() &&
                      std::equal(columns.begin(), columns.end(), m_available.begin(),
                                 [](const StepColumn& a, const StepColumn& b) {
                                     return a.name == b.name && a.type == b.type && a.kind == b.kind &&
                                            a.categories == b.categories;
                                 });
    if (same)
        return;
    m_available = std::move(columns);
    m_columnsSource = source;
    rebuildColumns();
    updateSpecialEditors();
    updateStepStatus();  // a formula is checked against these columns
}

void PipelineEditor::addToolActions(const QList<QAction*>& actions)
{
    int at = 1;
    for (QAction* action : actions) {
        auto* button = new QToolButton(this);
        button->setDefaultAction(action);
        button->setAutoRaise(true);
        button->setToolButtonStyle(Qt::ToolButtonIconOnly);
        m_toolbar->insertWidget(at++, button);
    }
}

void PipelineEditor::setNote(const QString& html)
{
    m_note->setText(html);
    m_note->setVisible(!html.isEmpty());
}

void PipelineEditor::emitEdit(std::vector<prep::StepSpec> steps, const QString& what, const QString& mergeKey)
{
    const int row = currentStep();
    if (row >= 0 && std::size_t(row) < steps.size())
        m_shownSpec = steps[std::size_t(row)];
    emit stepsEdited(steps, what, mergeKey);
}

void PipelineEditor::addStep(const std::string& kind)
{
    const prep::StepInfo* info = infoOf(kind);
    if (!info || info->stage != m_stage)
        return;
    std::vector<prep::StepSpec> steps = m_model->steps();
    const int at = currentStep() < 0 ? int(steps.size()) : currentStep() + 1;
    steps.insert(steps.begin() + at, prep::StepSpec{kind, true, {}, {}});
    m_pendingRow = at;
    emit stepsEdited(steps, tr("Add “%1”").arg(QString::fromStdString(info->displayName)), {});
    // Nobody recorded the edit (no owner): the pending selection would apply to a later list.
    m_pendingRow = -1;
}

void PipelineEditor::removeCurrentStep()
{
    const int row = currentStep();
    if (row < 0)
        return;
    std::vector<prep::StepSpec> steps = m_model->steps();
    const QString name = stepDisplayName(steps[std::size_t(row)].kind);
    steps.erase(steps.begin() + row);
    m_pendingRow = std::min(row, int(steps.size()) - 1);
    emit stepsEdited(steps, tr("Remove “%1”").arg(name), {});
    m_pendingRow = -1;
}

void PipelineEditor::moveCurrentStep(int delta)
{
    const int row = currentStep();
    const int to = row + delta;
    if (row < 0 || to < 0 || to >= m_model->rowCount())
        return;
    // The model moves the row (the selection follows it) and reports the edit.
    m_model->moveRows({}, row, 1, {}, delta > 0 ? to + 1 : to);
}

void PipelineEditor::setCurrentColumns(const std::vector<std::string>& columns)
{
    const int row = currentStep();
    if (row < 0)
        return;
    std::vector<prep::StepSpec> steps = m_model->steps();
    steps[std::size_t(row)].columns = columns;
    steps[std::size_t(row)].params.erase(kOrder);
    m_shownSpec = steps[std::size_t(row)];
    rebuildColumns();
    updateSpecialEditors();
    emitEdit(std::move(steps), tr("Choose the columns of “%1”").arg(stepDisplayName(m_shownSpec.kind)));
}

void PipelineEditor::onCurrentChanged()
{
    syncForm(true);
    updateButtons();
    emit currentStepChanged(currentStep());
}

void PipelineEditor::updateButtons()
{
    const int row = currentStep();
    m_remove->setEnabled(row >= 0);
    m_up->setEnabled(row > 0);
    m_down->setEnabled(row >= 0 && row + 1 < m_model->rowCount());
}

void PipelineEditor::syncForm(bool force)
{
    const int row = currentStep();
    if (row < 0) {
        m_shownRow = -1;
        m_shownSpec = {};
        m_formStack->setCurrentIndex(0);
        return;
    }
    m_formStack->setCurrentIndex(1);
    const prep::StepSpec& spec = m_model->steps()[std::size_t(row)];
    const bool otherStep = force || row != m_shownRow || spec.kind != m_shownSpec.kind;
    const bool columnsChanged = spec.columns != m_shownSpec.columns;
    const bool paramsChanged = withoutDefaults(spec) != withoutDefaults(m_shownSpec);
    m_shownRow = row;
    m_shownSpec = spec;
    if (otherStep)
        updateTitle();
    if (otherStep || columnsChanged)
        rebuildColumns();
    if (otherStep || paramsChanged)
        rebuildParams();
    updateSpecialEditors();
    updateStepStatus();
}

void PipelineEditor::updateTitle()
{
    const int row = currentStep();
    if (row < 0)
        return;
    const std::string& kind = m_model->steps()[std::size_t(row)].kind;
    const prep::StepInfo* info = infoOf(kind);
    m_title->setText(QStringLiteral("%1. %2").arg(row + 1).arg(stepDisplayName(kind)));
    // The "why" is on hover, as for every option of the workbench.
    m_title->setToolTip(info ? QString::fromStdString(info->description) : QString());
    m_title->setCursor(Qt::WhatsThisCursor);
}

void PipelineEditor::rebuildColumns()
{
    const int row = currentStep();
    const prep::StepInfo* info = row < 0 ? nullptr : infoOf(m_model->steps()[std::size_t(row)].kind);
    const bool takesColumns = info && info->scope != prep::ColumnScope::None;
    m_columnsCaption->setVisible(takesColumns);
    m_columns->setVisible(takesColumns);
    QSignalBlocker block(m_columns);
    m_columns->clear();
    if (!takesColumns)
        return;
    const prep::StepSpec& spec = m_model->steps()[std::size_t(row)];
    const QString scope = scopeWords(info->scope);
    m_columnsCaption->setText(spec.columns.empty() ? tr("Acts on all %1 — check some to limit it:").arg(scope)
                                                   : tr("Acts on the checked %1:").arg(scope));
    m_columnsCaption->setToolTip(tr("Listed: %1.").arg(m_columnsSource));
    std::vector<std::string> listed;
    for (const StepColumn& column : m_available) {
        if (!inScope(column, info->scope))
            continue;
        auto* item = new QListWidgetItem(QString::fromStdString(column.name), m_columns);
        item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsUserCheckable);
        const bool chosen = std::find(spec.columns.begin(), spec.columns.end(), column.name) != spec.columns.end();
        item->setCheckState(chosen ? Qt::Checked : Qt::Unchecked);
        item->setToolTip(QString::fromLatin1(data::toString(column.kind)));
        listed.push_back(column.name);
    }
    // Chosen columns that do not reach this step stay visible, so they can be unchecked.
    for (const std::string& name : spec.columns) {
        if (std::find(listed.begin(), listed.end(), name) != listed.end())
            continue;
        auto* item = new QListWidgetItem(QString::fromStdString(name), m_columns);
        item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsUserCheckable);
        item->setCheckState(Qt::Checked);
        item->setIcon(QIcon(bannerIcon(StatusBanner::Level::Warning, 14, devicePixelRatioF())));
        item->setToolTip(tr("There is no %1 of this name at this point of the pipeline — uncheck it, or move the "
                            "step after the one that makes it.")
                             .arg(scope.chopped(1)));
    }
    if (m_columns->count() == 0) {
        m_columnsCaption->setText(tr("No %1 reach this step (%2).").arg(scope, m_columnsSource));
        m_columns->setVisible(false);
        return;
    }
    const int rowHeight = m_columns->sizeHintForRow(0);
    m_columns->setFixedHeight(std::min(m_columns->count(), 4) * rowHeight + 2 * m_columns->frameWidth() + 2);
}

void PipelineEditor::rebuildParams()
{
    const int row = currentStep();
    if (row < 0)
        return;
    const prep::StepSpec& spec = m_model->steps()[std::size_t(row)];
    const prep::StepInfo* info = infoOf(spec.kind);
    std::vector<core::ParamSpec> generic;
    if (info)
        for (const core::ParamSpec& param : info->params)
            if (!isSpecial(info, param.name))
                generic.push_back(param);
    m_form->setSpecs(generic, spec.params, spec.kind);
    m_form->setVisible(!generic.empty());
    const QString expression = QString::fromStdString(paramValue(spec, kExpression));
    if (m_expression->text() != expression) {
        QSignalBlocker block(m_expression);
        m_expression->setText(expression);
    }
}

std::vector<std::string> PipelineEditor::orderCategories(const prep::StepSpec& spec) const
{
    if (spec.columns.size() != 1)
        return {};
    std::vector<std::string> categories;
    for (const StepColumn& column : m_available)
        if (column.name == spec.columns.front())
            categories = column.categories;
    std::sort(categories.begin(), categories.end());
    std::vector<std::string> ordered;
    // The chosen order first (even names the data at this point lacks: they stay in the
    // recipe), then the categories it does not mention, sorted as the encoder would.
    for (const std::string& name : splitList(paramValue(spec, kOrder)))
        if (std::find(ordered.begin(), ordered.end(), name) == ordered.end())
            ordered.push_back(name);
    for (const std::string& name : categories)
        if (std::find(ordered.begin(), ordered.end(), name) == ordered.end())
            ordered.push_back(name);
    return ordered;
}

bool PipelineEditor::showsOrderEditor(const prep::StepSpec& spec) const
{
    const prep::StepInfo* info = infoOf(spec.kind);
    if (!hasParam(info, kOrder) || spec.columns.size() != 1)
        return false;
    // An order means something only to an ordinal encoding.
    return !hasParam(info, "method") || paramValue(spec, "method") == "ordinal";
}

void PipelineEditor::updateSpecialEditors()
{
    const int row = currentStep();
    const prep::StepSpec* spec = row < 0 ? nullptr : &m_model->steps()[std::size_t(row)];
    const prep::StepInfo* info = spec ? infoOf(spec->kind) : nullptr;
    m_expressionBox->setVisible(hasExpressionEditor(info));
    const bool hasOrder = hasParam(info, kOrder);
    const bool ordinal = !hasParam(info, "method") || (spec && paramValue(*spec, "method") == "ordinal");
    m_orderBox->setVisible(hasOrder && ordinal);
    if (!hasOrder || !spec)
        return;
    const bool editable = showsOrderEditor(*spec);
    m_order->setVisible(editable);
    m_orderReset->setVisible(editable);
    m_orderReset->setEnabled(editable && spec->params.count(kOrder) > 0);
    m_orderHint->setVisible(!editable);
    m_orderHint->setText(tr("Check exactly one column to put its categories in order; otherwise they are "
                            "numbered in sorted order."));
    if (!editable)
        return;
    const std::vector<std::string> categories = orderCategories(*spec);
    QStringList wanted;
    for (const std::string& name : categories)
        wanted << QString::fromStdString(name);
    QStringList shown;
    for (int i = 0; i < m_order->count(); ++i)
        shown << m_order->item(i)->text();
    if (shown == wanted)
        return;
    QSignalBlocker block(m_order->model());
    m_order->clear();
    m_order->addItems(wanted);
    const int rowHeight = m_order->count() > 0 ? m_order->sizeHintForRow(0) : 20;
    m_order->setFixedHeight(std::clamp(m_order->count(), 2, 6) * rowHeight + 2 * m_order->frameWidth() + 2);
}

void PipelineEditor::updateStepStatus()
{
    const int row = currentStep();
    const workflow::StepOutcome* outcome = row < 0 ? nullptr : m_model->outcome(row);
    const QString error = outcome ? stepErrorText(outcome->error) : QString();
    m_error->setText(error);
    m_error->setVisible(!error.isEmpty());
    if (!m_expressionBox->isVisibleTo(this))
        return;
    // The expression is checked as it is typed, against the numeric columns reaching the
    // step; what only the data can tell (a division by zero) comes from the preview.
    const QString text = m_expression->text().trimmed();
    std::vector<std::string> numeric;
    for (const StepColumn& column : m_available)
        if (column.type == data::ColumnType::Numeric)
            numeric.push_back(column.name);
    bool bad = false;
    if (text.isEmpty()) {
        m_expressionStatus->setText(tr("Write the new column's formula, e.g. fare / (age + 1)."));
        bad = true;
    } else if (const features::ExpressionCheck check = features::checkExpression(text.toStdString(), numeric);
               !check.ok) {
        m_expressionStatus->setText(tr("✗ At character %1: %2")
                                        .arg(check.position + 1)
                                        .arg(QString::fromStdString(check.message)));
        bad = true;
    } else if (!error.isEmpty()) {
        m_expressionStatus->setText(tr("✗ %1").arg(error));
        bad = true;
    } else {
        QStringList used;
        for (const std::string& name : check.columns)
            used << QString::fromStdString(name);
        m_expressionStatus->setText(used.isEmpty() ? tr("✓ A valid expression.")
                                                   : tr("✓ A valid expression of %1.").arg(used.join(QStringLiteral(", "))));
    }
    m_expression->setStyleSheet(bad ? QStringLiteral("border: 1.5px solid #c62828; border-radius: 3px;") : QString());
}

void PipelineEditor::writeColumns()
{
    std::vector<std::string> columns;
    for (int i = 0; i < m_columns->count(); ++i)
        if (m_columns->item(i)->checkState() == Qt::Checked)
            columns.push_back(m_columns->item(i)->text().toStdString());
    const int row = currentStep();
    if (row < 0 || m_model->steps()[std::size_t(row)].columns == columns)
        return;
    std::vector<prep::StepSpec> steps = m_model->steps();
    steps[std::size_t(row)].columns = columns;
    // An order lists one column's categories; another column needs its own.
    steps[std::size_t(row)].params.erase(kOrder);
    m_shownSpec = steps[std::size_t(row)];
    const prep::StepInfo* info = infoOf(m_shownSpec.kind);
    if (info)
        m_columnsCaption->setText(columns.empty()
                                      ? tr("Acts on all %1 — check some to limit it:").arg(scopeWords(info->scope))
                                      : tr("Acts on the checked %1:").arg(scopeWords(info->scope)));
    updateSpecialEditors();
    emitEdit(std::move(steps), tr("Choose the columns of “%1”").arg(stepDisplayName(m_shownSpec.kind)));
}

std::map<std::string, std::string> PipelineEditor::specialParams() const
{
    std::map<std::string, std::string> special;
    const int row = currentStep();
    if (row < 0)
        return special;
    const prep::StepSpec& spec = m_model->steps()[std::size_t(row)];
    const prep::StepInfo* info = infoOf(spec.kind);
    for (const auto& [name, value] : spec.params)
        if (isSpecial(info, name))
            special[name] = value;
    if (hasExpressionEditor(info)) {
        const std::string text = m_expression->text().trimmed().toStdString();
        if (text.empty())
            special.erase(kExpression);
        else
            special[kExpression] = text;
    }
    return special;
}

void PipelineEditor::writeParams()
{
    const int row = currentStep();
    if (row < 0)
        return;
    std::vector<prep::StepSpec> steps = m_model->steps();
    prep::StepSpec& spec = steps[std::size_t(row)];
    std::map<std::string, std::string> params = m_form->values();
    for (const auto& [name, value] : specialParams())
        params[name] = value;
    prep::StepSpec edited = spec;
    edited.params = params;
    const auto before = withoutDefaults(spec);
    const auto after = withoutDefaults(edited);
    if (before == after)
        return;
    // The first parameter that differs names the edit and keys the merging of typing.
    std::string changed;
    for (const auto& [name, value] : after)
        if (!before.count(name) || before.at(name) != value) {
            changed = name;
            break;
        }
    if (changed.empty())
        for (const auto& [name, value] : before)
            if (!after.count(name)) {
                changed = name;
                break;
            }
    spec.params = after;
    // An order belongs to an ordinal encoding; kept for another method it would be an error.
    if (hasParam(infoOf(spec.kind), kOrder) && hasParam(infoOf(spec.kind), "method") &&
        paramValue(spec, "method") != "ordinal")
        spec.params.erase(kOrder);
    m_shownSpec = spec;
    updateSpecialEditors();
    const QString stageKey = m_stage == prep::StepStage::Prep ? QStringLiteral("prep") : QStringLiteral("features");
    const QString what = tr("Set %1 of “%2”").arg(QString::fromStdString(changed), stepDisplayName(spec.kind));
    emitEdit(std::move(steps), what,
             QStringLiteral("param:%1:%2:%3").arg(stageKey).arg(row).arg(QString::fromStdString(changed)));
}

void PipelineEditor::writeOrder()
{
    const int row = currentStep();
    if (row < 0)
        return;
    QStringList order;
    for (int i = 0; i < m_order->count(); ++i)
        order << m_order->item(i)->text();
    std::vector<prep::StepSpec> steps = m_model->steps();
    prep::StepSpec& spec = steps[std::size_t(row)];
    const std::string text = order.join(QLatin1Char(',')).toStdString();
    if (paramValue(spec, kOrder) == text)
        return;
    spec.params[kOrder] = text;
    m_shownSpec = spec;
    m_orderReset->setEnabled(true);
    const QString what = tr("Order the categories of “%1”").arg(QString::fromStdString(spec.columns.front()));
    emitEdit(std::move(steps), what);
}

} // namespace stepwise::ui
