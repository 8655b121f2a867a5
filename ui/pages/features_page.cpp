#include "pages/features_page.hpp"

#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QSignalBlocker>
#include <QSplitter>
#include <QTableWidget>
#include <QTimer>
#include <QVBoxLayout>

#include "pages/misconception_banner.hpp"
#include "pages/stage_pipeline.hpp"
#include "session/session.hpp"
#include "tasks/pipeline_check.hpp"
#include "widgets/audit_list.hpp"
#include "widgets/pipeline_editor.hpp"
#include "widgets/status_banner.hpp"
#include "widgets/step_preview_view.hpp"
#include "teaching/why_link.hpp"

namespace stepwise::ui {
namespace {

QString flagNote(const std::string& kind)
{
    if (kind == "target_leak")
        return QObject::tr("Target leak");
    if (kind == "id_like")
        return QObject::tr("ID-like");
    if (kind == "constant")
        return QObject::tr("Constant");
    if (kind == "high_cardinality")
        return QObject::tr("Many categories");
    return QString::fromStdString(kind);
}

} // namespace

FeaturesPage::FeaturesPage(Session* session, QWidget* parent)
    : WizardStepPage(session, tr("Features"),
                     tr("Choose the input columns and the steps that turn them into numbers the model can use."),
                     parent),
      m_pipeline(new StagePipeline(session, prep::StepStage::Features, this)),
      m_columns(new QTableWidget(this)),
      m_count(makeNote({}, this)),
      m_inputs(new QLabel(this))
{
    m_columns->setObjectName(QStringLiteral("featureColumns"));
    m_inputs->setObjectName(QStringLiteral("modelInputsSummary"));

    auto* columnsBox = new QGroupBox(tr("Input columns"), this);
    auto* columnsLayout = new QVBoxLayout(columnsBox);
    columnsLayout->setSpacing(4);
    m_columns->setColumnCount(3);
    m_columns->setHorizontalHeaderLabels({tr("Use"), tr("Kind"), tr("Note")});
    m_columns->verticalHeader()->setVisible(false);
    m_columns->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_columns->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_columns->setWordWrap(false);
    m_columns->setAlternatingRowColors(true);
    m_columns->horizontalHeader()->setStretchLastSection(true);
    m_columns->verticalHeader()->setDefaultSectionSize(m_columns->fontMetrics().height() + 6);
    auto* buttons = new QHBoxLayout;
    auto* all = new QPushButton(tr("Use all"), this);
    auto* none = new QPushButton(tr("Use none"), this);
    all->setObjectName(QStringLiteral("useAllButton"));
    none->setObjectName(QStringLiteral("useNoneButton"));
    all->setToolTip(tr("Check every column, including flagged ones"));
    buttons->addWidget(m_count, 1);
    buttons->addWidget(all);
    buttons->addWidget(none);
    columnsLayout->addWidget(m_columns, 1);
    columnsLayout->addLayout(buttons);
    m_inputs->setWordWrap(true);
    m_inputs->setTextFormat(Qt::RichText);
    m_inputs->setFrameShape(QFrame::StyledPanel);
    m_inputs->setMargin(8);
    m_inputs->setToolTip(tr("What the model will see after the prep and feature steps, counted on the training "
                            "rows by the preview"));
    columnsLayout->addWidget(m_inputs);
    auto* columnsPanel = new QWidget(this);
    auto* columnsPanelLayout = new QVBoxLayout(columnsPanel);
    columnsPanelLayout->setContentsMargins(0, 0, 0, 0);
    columnsPanelLayout->addWidget(columnsBox);
    columnsPanel->setFixedWidth(340);

    QGroupBox* stepsBox = m_pipeline->makeStepsBox(
        tr("Feature steps — run after the prep steps, fitted on the training rows only"), this);

    auto* top = new QWidget(this);
    auto* topLayout = new QHBoxLayout(top);
    topLayout->setContentsMargins(0, 0, 0, 0);
    topLayout->setSpacing(10);
    topLayout->addWidget(columnsPanel);
    topLayout->addWidget(stepsBox, 1);

    auto* previewBox = new QGroupBox(tr("Preview of the selected step"), this);
    previewBox->setObjectName(QStringLiteral("featuresPreviewBox"));
    auto* previewLayout = new QVBoxLayout(previewBox);
    previewLayout->setContentsMargins(6, 4, 6, 6);
    previewLayout->addWidget(m_pipeline->previewView());

    m_splitter = new QSplitter(Qt::Vertical, this);
    m_splitter->addWidget(top);
    m_splitter->addWidget(previewBox);
    m_splitter->setChildrenCollapsible(false);
    m_splitter->setStretchFactor(0, 0);
    m_splitter->setStretchFactor(1, 1);
    contentLayout()->addWidget(m_splitter, 1);

    // "Why?" links: the short why on hover, the glossary entry in the Learn panel.
    teaching::attachWhy(m_columns, QStringLiteral("option/target_leak"));
    setLearnStep(teaching::Step::Features);

    connect(m_columns, &QTableWidget::itemChanged, this, &FeaturesPage::onItemChanged);
    const auto useAll = [this](bool used) {
        std::vector<std::string> names;
        for (int row = 0; row < m_columns->rowCount(); ++row)
            names.push_back(m_columns->item(row, 0)->data(Qt::UserRole).toString().toStdString());
        if (!names.empty())
            this->session()->setFeaturesUsed(names, used);
    };
    connect(all, &QPushButton::clicked, this, [useAll] { useAll(true); });
    connect(none, &QPushButton::clicked, this, [useAll] { useAll(false); });
    connect(m_pipeline, &StagePipeline::checked, this, &FeaturesPage::applyCheck);
    // Misconceptions among the audit's findings, said where the mistake is made.
    connect(m_pipeline, &StagePipeline::checked, this, [this] {
        const auto check = m_pipeline->check();
        const QStringList managed{QStringLiteral("scaling_before_splitting"), QStringLiteral("label_encoding_nominal")};
        std::vector<workflow::Misconception> found;
        if (check && this->session()->table())
            for (auto& item : workflow::misconceptionsFromAudit(check->findings))
                if (managed.contains(QString::fromStdString(item.kind)))
                    found.push_back(std::move(item));
        showMisconceptions(banner(), found, managed);
    });
    connect(m_pipeline, &StagePipeline::checked, previewBox,
            [this, previewBox] { previewBox->setTitle(m_pipeline->previewTitle()); });
    connect(m_pipeline, &StagePipeline::problemChanged, this, [this] { updateCompleteness(); });
    connect(session, &Session::recipeChanged, this, &FeaturesPage::refresh);
    connect(session, &Session::dataChanged, this, &FeaturesPage::rebuildColumns);
    connect(session, &Session::profileChanged, this, &FeaturesPage::rebuildColumns);
    rebuildColumns();
}

PipelineEditor* FeaturesPage::editor() const { return m_pipeline->editor(); }

void FeaturesPage::initializePage() { rebuildColumns(); }

void FeaturesPage::showEvent(QShowEvent* event)
{
    WizardStepPage::showEvent(event);
    if (m_splitterPlaced)
        return;
    m_splitterPlaced = true;
    // Once laid out: columns and steps get half, the preview the rest; the user moves it after.
    QTimer::singleShot(0, this, [this] {
        const int height = m_splitter->height();
        m_splitter->setSizes({height / 2, height - height / 2});
    });
}

int FeaturesPage::columnCount() const { return m_columns->rowCount(); }

bool FeaturesPage::isChecked(const QString& column) const
{
    for (int row = 0; row < m_columns->rowCount(); ++row) {
        if (m_columns->item(row, 0)->data(Qt::UserRole).toString() == column)
            return m_columns->item(row, 0)->checkState() == Qt::Checked;
    }
    return false;
}

void FeaturesPage::setChecked(const QString& column, bool checked)
{
    for (int row = 0; row < m_columns->rowCount(); ++row) {
        QTableWidgetItem* item = m_columns->item(row, 0);
        if (item && item->data(Qt::UserRole).toString() == column)
            item->setCheckState(checked ? Qt::Checked : Qt::Unchecked);
    }
}

QString FeaturesPage::inputsSummary() const { return m_inputs->text(); }

void FeaturesPage::onItemChanged(QTableWidgetItem* item)
{
    if (item->column() != 0)
        return;
    session()->setFeatureUsed(item->data(Qt::UserRole).toString().toStdString(), item->checkState() == Qt::Checked);
}

void FeaturesPage::rebuildColumns()
{
    const auto table = session()->table();
    const auto profile = session()->profile();
    const std::string& target = session()->recipe().problem.target;
    QSignalBlocker block(m_columns);
    m_columns->setRowCount(0);
    // Banner changes re-evaluate completeness, which reads the table: build it first.
    QList<QPair<QString, QString>> leftOut;
    if (table) {
        for (const auto& column : table->columns()) {
            if (column.name() == target)
                continue;
            const int row = m_columns->rowCount();
            m_columns->insertRow(row);
            const QString name = QString::fromStdString(column.name());
            auto* use = new QTableWidgetItem(name);
            use->setData(Qt::UserRole, name);
            use->setFlags(Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemIsUserCheckable);
            use->setCheckState(session()->isFeatureUsed(column.name()) ? Qt::Checked : Qt::Unchecked);
            QString kind = QString::fromLatin1(data::toString(column.type()));
            QStringList notes;
            bool flagged = false;
            if (profile) {
                for (const auto& profileColumn : profile->columns) {
                    if (profileColumn.name == column.name())
                        kind = QString::fromStdString(profileColumn.kind);
                }
                for (const auto& flag : profile->flags) {
                    if (flag.column != column.name())
                        continue;
                    notes << QStringLiteral("%1: %2").arg(flagNote(flag.kind), QString::fromStdString(flag.message));
                    flagged = true;
                    if (flag.kind == "target_leak" || flag.kind == "id_like")
                        leftOut.append({name, QString::fromStdString(flag.message)});
                }
            }
            if (column.missingCount() > 0)
                notes << tr("%1 missing").arg(column.missingCount());
            auto* kindItem = new QTableWidgetItem(kind);
            auto* note = new QTableWidgetItem(notes.join(QStringLiteral(" · ")));
            note->setToolTip(notes.join(QLatin1Char('\n')));
            if (flagged) {
                use->setIcon(QIcon(bannerIcon(StatusBanner::Level::Warning, 14, devicePixelRatioF())));
                use->setToolTip(notes.join(QLatin1Char('\n')));
                note->setForeground(QColor(0xb4, 0x53, 0x09));
            }
            m_columns->setItem(row, 0, use);
            m_columns->setItem(row, 1, kindItem);
            m_columns->setItem(row, 2, note);
        }
    }
    m_columns->resizeColumnsToContents();
    banner()->clearMessagesWithPrefix(QStringLiteral("flag:"));
    for (const auto& [name, message] : leftOut) {
        QString reason = message.trimmed();
        if (!reason.endsWith(QLatin1Char('.')))
            reason += QLatin1Char('.');
        banner()->setMessage(QStringLiteral("flag:%1").arg(name), StatusBanner::Level::Warning,
                             tr("“%1” starts unchecked — %2 Check it only if its value is known when you predict.")
                                 .arg(name, reason));
    }
    refresh();
}

void FeaturesPage::refresh()
{
    const std::string& target = session()->recipe().problem.target;
    bool targetListed = false;
    int used = 0;
    {
        QSignalBlocker block(m_columns);
        for (int row = 0; row < m_columns->rowCount(); ++row) {
            QTableWidgetItem* item = m_columns->item(row, 0);
            if (!item)
                continue;
            const std::string name = item->data(Qt::UserRole).toString().toStdString();
            targetListed = targetListed || name == target;
            const bool on = session()->isFeatureUsed(name);
            item->setCheckState(on ? Qt::Checked : Qt::Unchecked);
            used += on ? 1 : 0;
        }
    }
    if (targetListed) {
        // The target changed since the list was built; the list must never offer it.
        rebuildColumns();
        return;
    }
    m_count->setText(tr("%1 of %2 columns used as inputs").arg(used).arg(m_columns->rowCount()));
    applyCheck();
}

void FeaturesPage::applyCheck()
{
    // What the model will see: the used columns, plus what the steps added, minus what
    // they removed — as the preview ran them on the training rows.
    const auto check = m_pipeline->check();
    if (!session()->table()) {
        m_inputs->setText(tr("<b>Load data to see what the model will get.</b>"));
    } else if (!check) {
        m_inputs->setText(tr("<b>Counting the model's inputs…</b>"));
    } else if (!check->preview.problem.empty()) {
        m_inputs->setText(tr("<b>The pipeline does not produce model inputs yet</b><br>%1")
                              .arg(tr("See the message above.")));
    } else {
        long long inputs = 0;
        for (const std::string& name : session()->table()->columnNames())
            if (check->recipe.problem.target != name &&
                std::find(check->recipe.prep.dropColumns.begin(), check->recipe.prep.dropColumns.end(), name) ==
                    check->recipe.prep.dropColumns.end())
                ++inputs;
        const long long columns = inputs;
        std::size_t steps = 0;
        for (const workflow::StepOutcome& outcome : check->preview.steps) {
            if (!outcome.ran)
                continue;
            ++steps;
            inputs += (long long)outcome.columnsAdded.size() - (long long)outcome.columnsRemoved.size();
        }
        m_inputs->setText(tr("<b>The model will see %1 numeric inputs</b><br>from %2 columns after %3 steps, "
                             "learned on %4 training rows.")
                              .arg(inputs)
                              .arg(columns)
                              .arg(steps)
                              .arg(QLocale().toString(qulonglong(check->preview.trainRows))));
    }
    updateCompleteness();
}

QString FeaturesPage::incompleteReason() const
{
    if (!session()->table())
        return tr("load data on the Data step first.");
    bool any = false;
    for (int row = 0; row < m_columns->rowCount() && !any; ++row) {
        const QTableWidgetItem* item = m_columns->item(row, 0);
        any = item && item->checkState() == Qt::Checked;
    }
    if (!any)
        return tr("check at least one input column.");
    if (!m_pipeline->blockingProblem().isEmpty())
        return tr("fix the problem shown above — change the step's settings, add the step it asks for, switch a "
                  "step off or remove it.");
    return {};
}

} // namespace stepwise::ui
