#include "widgets/step_preview_view.hpp"

#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QScrollBar>
#include <QSplitter>
#include <QStackedWidget>
#include <QTabWidget>
#include <QTableView>
#include <QVBoxLayout>

#include <algorithm>

#include "models/step_rows_model.hpp"
#include "widgets/charts/distribution_chart.hpp"

namespace stepwise::ui {
namespace {

QTableView* sampleView(StepRowsModel* model, QWidget* parent)
{
    auto* view = new QTableView(parent);
    view->setModel(model);
    view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    view->setSelectionMode(QAbstractItemView::NoSelection);
    view->setWordWrap(false);
    view->setTextElideMode(Qt::ElideRight);
    view->horizontalHeader()->setDefaultSectionSize(84);
    view->horizontalHeader()->setMinimumSectionSize(36);
    view->verticalHeader()->setDefaultSectionSize(view->fontMetrics().height() + 6);
    view->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    return view;
}

QWidget* captioned(QLabel* caption, QWidget* content, QWidget* parent)
{
    auto* box = new QWidget(parent);
    auto* layout = new QVBoxLayout(box);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(3);
    caption->setWordWrap(true);
    QFont bold = caption->font();
    bold.setBold(true);
    caption->setFont(bold);
    layout->addWidget(caption);
    layout->addWidget(content, 1);
    return box;
}

} // namespace

StepPreviewView::StepPreviewView(QWidget* parent)
    : QWidget(parent),
      m_stack(new QStackedWidget(this)),
      m_placeholder(new QLabel(this)),
      m_tabs(new QTabWidget(this)),
      m_beforeModel(new StepRowsModel(StepRowsModel::Side::Before, this)),
      m_afterModel(new StepRowsModel(StepRowsModel::Side::After, this)),
      m_beforeView(sampleView(m_beforeModel, this)),
      m_afterView(sampleView(m_afterModel, this)),
      m_beforeCaption(new QLabel(tr("Before"), this)),
      m_afterCaption(new QLabel(tr("After"), this)),
      m_column(new QComboBox(this)),
      m_beforeChart(new DistributionChart(this)),
      m_afterChart(new DistributionChart(this))
{
    setObjectName(QStringLiteral("stepPreview"));
    m_tabs->setObjectName(QStringLiteral("stepPreviewTabs"));
    m_beforeView->setObjectName(QStringLiteral("rowsBeforeView"));
    m_afterView->setObjectName(QStringLiteral("rowsAfterView"));
    m_column->setObjectName(QStringLiteral("previewColumnCombo"));
    m_beforeChart->setCompact(true);
    m_afterChart->setCompact(true);
    m_beforeChart->setObjectName(QStringLiteral("distributionBefore"));
    m_afterChart->setObjectName(QStringLiteral("distributionAfter"));

    m_placeholder->setAlignment(Qt::AlignCenter);
    m_placeholder->setWordWrap(true);
    m_placeholder->setEnabled(false);
    m_placeholder->setFrameShape(QFrame::StyledPanel);

    auto* rows = new QSplitter(Qt::Horizontal, this);
    rows->addWidget(captioned(m_beforeCaption, m_beforeView, this));
    rows->addWidget(captioned(m_afterCaption, m_afterView, this));
    rows->setChildrenCollapsible(false);
    auto* rowsTab = new QWidget(this);
    auto* rowsLayout = new QVBoxLayout(rowsTab);
    rowsLayout->setContentsMargins(6, 6, 6, 6);
    rowsLayout->addWidget(rows, 1);

    auto* distributionTab = new QWidget(this);
    auto* distributionLayout = new QVBoxLayout(distributionTab);
    distributionLayout->setContentsMargins(6, 6, 6, 6);
    auto* chooser = new QHBoxLayout;
    chooser->addWidget(new QLabel(tr("Column:"), this));
    m_column->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_column->setMinimumContentsLength(12);
    m_column->setToolTip(tr("The column whose values are compared before and after the step"));
    chooser->addWidget(m_column);
    chooser->addStretch(1);
    distributionLayout->addLayout(chooser);
    auto* charts = new QHBoxLayout;
    charts->addWidget(m_beforeChart, 1);
    charts->addWidget(m_afterChart, 1);
    distributionLayout->addLayout(charts, 1);

    m_tabs->addTab(rowsTab, tr("&Rows"));
    m_tabs->addTab(distributionTab, tr("D&istribution"));
    m_tabs->setTabToolTip(RowsTab, tr("The first %1 training rows before and after the step").arg(StepRowsModel::kSampleRows));
    m_tabs->setTabToolTip(DistributionTab, tr("How a column's values are spread before and after the step"));
    m_tabs->setDocumentMode(true);

    m_stack->addWidget(m_placeholder);
    m_stack->addWidget(m_tabs);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_stack);

    // Same rows on both sides: one scroll moves both, so a row can be read across.
    connect(m_beforeView->verticalScrollBar(), &QScrollBar::valueChanged, this, [this](int value) {
        if (m_aligned)
            m_afterView->verticalScrollBar()->setValue(value);
    });
    connect(m_afterView->verticalScrollBar(), &QScrollBar::valueChanged, this, [this](int value) {
        if (m_aligned)
            m_beforeView->verticalScrollBar()->setValue(value);
    });
    connect(m_column, &QComboBox::currentTextChanged, this, &StepPreviewView::focusColumnChanged);
    m_beforeChart->clear(tr("Choose a column."));
    m_afterChart->clear(tr("Choose a column."));
    showPlaceholder(tr("Load data to preview the steps."));
}

bool StepPreviewView::isShowingPlaceholder() const { return m_stack->currentWidget() == m_placeholder; }

void StepPreviewView::showPlaceholder(const QString& text)
{
    m_placeholder->setText(text);
    m_stack->setCurrentWidget(m_placeholder);
    m_beforeModel->setTables(nullptr, nullptr, false);
    m_afterModel->setTables(nullptr, nullptr, false);
    emit tablesChanged();
}

void StepPreviewView::setTables(std::shared_ptr<const data::Table> before, std::shared_ptr<const data::Table> after,
                                const QString& beforeCaption, const QString& afterCaption, bool rowsAligned)
{
    m_aligned = rowsAligned;
    m_beforeModel->setTables(before, after, rowsAligned);
    m_afterModel->setTables(after, before, rowsAligned);
    m_beforeCaption->setText(beforeCaption);
    m_afterCaption->setText(afterCaption);
    // Wide enough for the names and the sample's values, never so wide one column fills the view.
    for (QTableView* view : {m_beforeView, m_afterView}) {
        view->resizeColumnsToContents();
        for (int column = 0; column < view->model()->columnCount(); ++column)
            view->setColumnWidth(column, std::clamp(view->columnWidth(column), 48, 150));
    }
    m_stack->setCurrentWidget(m_tabs);
    emit tablesChanged();
}

void StepPreviewView::setColumnChoices(const QStringList& columns, const QString& current)
{
    QStringList shown;
    for (int i = 0; i < m_column->count(); ++i)
        shown << m_column->itemText(i);
    const QSignalBlocker block(m_column);
    if (shown != columns) {
        m_column->clear();
        m_column->addItems(columns);
    }
    m_column->setCurrentIndex(std::max(0, m_column->findText(current)));
}

QString StepPreviewView::focusColumn() const { return m_column->currentText(); }

void StepPreviewView::setDistributions(const QString& column, const std::optional<data::ColumnDistribution>& before,
                                       bool beforeDatetime, const std::optional<data::ColumnDistribution>& after,
                                       bool afterDatetime)
{
    if (before)
        m_beforeChart->setDistribution(tr("%1 before").arg(column), *before, beforeDatetime);
    else
        m_beforeChart->clear(tr("“%1” does not exist before the step — the step makes it.").arg(column));
    if (after)
        m_afterChart->setDistribution(tr("%1 after").arg(column), *after, afterDatetime);
    else
        m_afterChart->clear(tr("“%1” is gone after the step.").arg(column));
}

} // namespace stepwise::ui
