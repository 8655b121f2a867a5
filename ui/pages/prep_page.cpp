#include "pages/prep_page.hpp"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QSignalBlocker>
#include <QSpinBox>
#include <QSplitter>
#include <QTableWidget>
#include <QTimer>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>
#include <limits>

#include "models/step_list_model.hpp"
#include "pages/data_page.hpp"
#include "pages/duplicate_rows_dialog.hpp"
#include "pages/misconception_banner.hpp"
#include "pages/stage_pipeline.hpp"
#include "session/live_preview.hpp"
#include "session/session.hpp"
#include "tasks/pipeline_check.hpp"
#include "widgets/audit_list.hpp"
#include "widgets/pipeline_editor.hpp"
#include "widgets/share_bar_delegate.hpp"
#include "widgets/split_bar.hpp"
#include "widgets/status_banner.hpp"
#include "widgets/step_preview_view.hpp"
#include "teaching/why_link.hpp"

namespace stepwise::ui {
namespace {

const char* const kDropDuplicates = "drop_duplicates";

bool isRegistered(const char* kind)
{
    const auto& registry = prep::stepRegistry();
    return std::any_of(registry.begin(), registry.end(), [kind](const prep::StepInfo& info) { return info.kind == kind; });
}

QString factorText(double factor) { return QLocale().toString(factor, 'g', 4); }

} // namespace

PrepPage::PrepPage(Session* session, QWidget* parent)
    : WizardStepPage(session, tr("Prep"),
                     tr("Clean the rows and fill the gaps, step by step, and hold out rows the model never sees for "
                        "an honest test."),
                     parent),
      m_pipeline(new StagePipeline(session, prep::StepStage::Prep, this)),
      m_testSize(new QDoubleSpinBox(this)),
      m_validationSize(new QDoubleSpinBox(this)),
      m_stratify(new QCheckBox(tr("Stratify: keep the class shares in every part"), this)),
      m_timeColumn(new QComboBox(this)),
      m_seed(new QSpinBox(this)),
      m_splitBar(new SplitBar(this)),
      m_splitNote(makeNote({}, this)),
      m_missing(new QTableWidget(this)),
      m_missingNote(makeNote({}, this)),
      m_duplicates(makeNote({}, this)),
      m_showDuplicates(new QPushButton(tr("Show"), this)),
      m_dropDuplicates(new QPushButton(tr("Drop them"), this)),
      m_previewBox(new QGroupBox(tr("Preview of the selected step"), this))
{
    m_testSize->setObjectName(QStringLiteral("testSizeSpin"));
    m_validationSize->setObjectName(QStringLiteral("validationSizeSpin"));
    m_stratify->setObjectName(QStringLiteral("stratifyCheck"));
    m_timeColumn->setObjectName(QStringLiteral("timeColumnCombo"));
    m_seed->setObjectName(QStringLiteral("seedSpin"));
    m_missing->setObjectName(QStringLiteral("missingTable"));
    m_duplicates->setObjectName(QStringLiteral("duplicatesNote"));
    m_showDuplicates->setObjectName(QStringLiteral("showDuplicatesButton"));
    m_dropDuplicates->setObjectName(QStringLiteral("dropDuplicatesButton"));
    m_previewBox->setObjectName(QStringLiteral("prepPreviewBox"));

    // --- the split: one strip, settings beside the picture ------------------------
    auto* splitBox = new QGroupBox(tr("Split"), this);
    auto* splitLayout = new QHBoxLayout(splitBox);
    splitLayout->setSpacing(14);
    auto* grid = new QGridLayout;
    grid->setHorizontalSpacing(8);
    grid->setVerticalSpacing(6);
    for (QDoubleSpinBox* spin : {m_testSize, m_validationSize}) {
        spin->setSingleStep(0.05);
        spin->setDecimals(2);
        spin->setMaximumWidth(80);
    }
    m_testSize->setRange(0.05, 0.5);
    m_testSize->setToolTip(tr("Fraction of rows held out to test the model once, at the end. 0.2–0.3 is common; a "
                              "larger test part gives a steadier estimate but less to learn from."));
    m_validationSize->setRange(0.0, 0.5);
    m_validationSize->setToolTip(tr("Fraction of rows held out to compare settings and models on, so the test part "
                                    "stays untouched until the end. 0: no validation part."));
    m_timeColumn->setToolTip(tr("Split by time: the oldest rows train, the next validate, the newest test — no "
                                "shuffling. Use it when the model will predict the future from the past."));
    m_timeColumn->setMinimumContentsLength(14);
    m_timeColumn->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_seed->setRange(0, std::numeric_limits<int>::max());
    m_seed->setMaximumWidth(100);
    m_seed->setToolTip(tr("Fixes the shuffling of the split and the randomness of the steps and the model: same "
                          "seed, same result."));
    m_stratify->setToolTip(tr("Each class keeps its share in every part — important for small or unbalanced "
                              "classes. Classification with a random split only."));
    auto* testLabel = new QLabel(tr("&Test:"), this);
    testLabel->setBuddy(m_testSize);
    auto* validationLabel = new QLabel(tr("&Validation:"), this);
    validationLabel->setBuddy(m_validationSize);
    auto* timeLabel = new QLabel(tr("Time &order:"), this);
    timeLabel->setBuddy(m_timeColumn);
    auto* seedLabel = new QLabel(tr("S&eed:"), this);
    seedLabel->setBuddy(m_seed);
    grid->addWidget(testLabel, 0, 0);
    grid->addWidget(m_testSize, 0, 1);
    grid->addWidget(validationLabel, 0, 2);
    grid->addWidget(m_validationSize, 0, 3);
    grid->addWidget(timeLabel, 1, 0);
    grid->addWidget(m_timeColumn, 1, 1);
    grid->addWidget(seedLabel, 1, 2);
    grid->addWidget(m_seed, 1, 3);
    grid->addWidget(m_stratify, 2, 0, 1, 4);
    auto* picture = new QVBoxLayout;
    picture->setSpacing(2);
    picture->addWidget(m_splitBar);
    picture->addWidget(m_splitNote);
    splitLayout->addLayout(grid);
    splitLayout->addLayout(picture, 1);

    // --- data checks ----------------------------------------------------------------
    auto* checksBox = new QGroupBox(tr("Data checks"), this);
    auto* checksLayout = new QVBoxLayout(checksBox);
    checksLayout->setSpacing(4);
    m_missing->setColumnCount(2);
    m_missing->setHorizontalHeaderLabels({tr("Column with gaps"), tr("Missing")});
    m_missing->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_missing->verticalHeader()->setVisible(false);
    m_missing->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_missing->setSelectionMode(QAbstractItemView::NoSelection);
    m_missing->setFocusPolicy(Qt::NoFocus);
    m_missing->setWordWrap(false);
    m_missing->verticalHeader()->setDefaultSectionSize(m_missing->fontMetrics().height() + 6);
    m_missing->setItemDelegateForColumn(1, new ShareBarDelegate(QColor(0xd9, 0x77, 0x06), this));
    m_missing->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Stretch);
    m_missing->horizontalHeader()->setSectionResizeMode(1, QHeaderView::Fixed);
    m_missing->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
    m_missing->setToolTip(tr("Columns with missing values; a “Fill missing values” step fills them, a “Drop rows "
                             "with missing values” step drops their rows"));
    checksLayout->addWidget(m_missingNote);
    checksLayout->addWidget(m_missing);
    auto* duplicatesRow = new QHBoxLayout;
    duplicatesRow->setSpacing(6);
    m_duplicates->setTextFormat(Qt::RichText);
    duplicatesRow->addWidget(m_duplicates, 1);
    duplicatesRow->addWidget(m_showDuplicates, 0, Qt::AlignTop);
    duplicatesRow->addWidget(m_dropDuplicates, 0, Qt::AlignTop);
    m_showDuplicates->setToolTip(tr("List the repeated rows beside the rows they repeat"));
    m_dropDuplicates->setToolTip(tr("Add a step that drops the repeated rows before the split, so no row is both "
                                    "learned from and tested on"));
    m_dropDuplicates->setVisible(false);
    m_showDuplicates->setEnabled(false);
    checksLayout->addLayout(duplicatesRow);
    checksLayout->addStretch(1);

    checksBox->setFixedWidth(330);

    // --- the steps, with the audit under them -------------------------------------
    QGroupBox* stepsBox =
        m_pipeline->makeStepsBox(tr("Prep steps — run top to bottom, fitted on the training rows only"), this);

    auto* middle = new QWidget(this);
    auto* middleLayout = new QHBoxLayout(middle);
    middleLayout->setContentsMargins(0, 0, 0, 0);
    middleLayout->setSpacing(10);
    middleLayout->addWidget(stepsBox, 1);
    middleLayout->addWidget(checksBox);

    auto* previewLayout = new QVBoxLayout(m_previewBox);
    previewLayout->setContentsMargins(6, 4, 6, 6);
    previewLayout->addWidget(m_pipeline->previewView());

    m_splitter = new QSplitter(Qt::Vertical, this);
    m_splitter->addWidget(middle);
    m_splitter->addWidget(m_previewBox);
    m_splitter->setChildrenCollapsible(false);
    m_splitter->setStretchFactor(0, 0);
    m_splitter->setStretchFactor(1, 1);
    contentLayout()->addWidget(splitBox);
    contentLayout()->addWidget(m_splitter, 1);

    // "Why?" links: the short why on hover, the glossary entry in the Learn panel.
    teaching::attachWhy(m_testSize, QStringLiteral("option/test_size"));
    teaching::attachWhy(m_validationSize, QStringLiteral("option/validation_size"));
    teaching::attachWhy(m_timeColumn, QStringLiteral("option/time_column"));
    teaching::attachWhy(m_seed, QStringLiteral("option/seed"));
    teaching::attachWhy(m_stratify, QStringLiteral("option/stratify"));
    teaching::attachWhy(m_showDuplicates, QStringLiteral("option/duplicates"));
    setLearnStep(teaching::Step::Prep);

    connect(m_testSize, &QDoubleSpinBox::valueChanged, this, [this](double value) {
        writeSplit(tr("Set the test size to %1").arg(value), QStringLiteral("split:test"));
    });
    connect(m_validationSize, &QDoubleSpinBox::valueChanged, this, [this](double value) {
        writeSplit(tr("Set the validation size to %1").arg(value), QStringLiteral("split:validation"));
    });
    connect(m_stratify, &QCheckBox::toggled, this, [this](bool on) {
        writeSplit(on ? tr("Stratify the split") : tr("Do not stratify the split"), {});
    });
    connect(m_timeColumn, &QComboBox::currentIndexChanged, this, [this] {
        const QString column = m_timeColumn->currentData().toString();
        writeSplit(column.isEmpty() ? tr("Split at random") : tr("Split by time on “%1”").arg(column), {});
    });
    connect(m_seed, &QSpinBox::valueChanged, this, [this](int value) { this->session()->setSeed(std::uint64_t(value)); });
    connect(m_showDuplicates, &QPushButton::clicked, this, &PrepPage::showDuplicates);
    connect(m_dropDuplicates, &QPushButton::clicked, this, [this] {
        // A row filter belongs first: later steps then learn from each row once.
        workflow::Recipe after = this->session()->recipe();
        after.prep.steps.insert(after.prep.steps.begin(), prep::StepSpec{kDropDuplicates, true, {}, {}});
        this->session()->editRecipe(after, tr("Add “%1”").arg(stepDisplayName(kDropDuplicates)));
        m_pipeline->editor()->setCurrentStep(0);
    });
    m_pipeline->livePreview()->setCountsDuplicates(true);
    connect(m_pipeline, &StagePipeline::checked, this, &PrepPage::applyCheck);
    // Misconceptions among the audit's findings, said where the mistake is made.
    connect(m_pipeline, &StagePipeline::checked, this, [this] {
        const auto check = m_pipeline->check();
        const QStringList managed{QStringLiteral("testing_on_training_data")};
        std::vector<workflow::Misconception> found;
        if (check && this->session()->table())
            for (auto& item : workflow::misconceptionsFromAudit(check->findings))
                if (managed.contains(QString::fromStdString(item.kind)))
                    found.push_back(std::move(item));
        showMisconceptions(banner(), found, managed);
    });
    connect(m_pipeline, &StagePipeline::problemChanged, this, [this] { updateCompleteness(); });
    connect(m_pipeline->editor(), &PipelineEditor::currentStepChanged, this, &PrepPage::applyCheck);
    connect(session, &Session::recipeChanged, this, &PrepPage::refresh);
    connect(session, &Session::dataChanged, this, &PrepPage::refreshColumns);
    refreshColumns();
}

PipelineEditor* PrepPage::editor() const { return m_pipeline->editor(); }

void PrepPage::initializePage() { refresh(); }

void PrepPage::showEvent(QShowEvent* event)
{
    WizardStepPage::showEvent(event);
    if (m_splitterPlaced)
        return;
    m_splitterPlaced = true;
    // Once laid out: the steps and the preview share the height; the user moves it after.
    QTimer::singleShot(0, this, [this] {
        const int height = m_splitter->height();
        m_splitter->setSizes({height / 2, height - height / 2});
    });
}

void PrepPage::writeSplit(const QString& what, const QString& mergeKey)
{
    workflow::Recipe after = session()->recipe();
    auto& prep = after.prep;
    prep.testSize = m_testSize->value();
    prep.validationSize = m_validationSize->value();
    prep.timeColumn = m_timeColumn->currentData().toString().toStdString();
    // The engine stratifies a random split of classes only; the recipe says what runs.
    prep.stratify = m_stratify->isChecked() && after.problem.task == core::TaskType::Classification &&
                    prep.timeColumn.empty();
    session()->editRecipe(after, what, mergeKey);
}

void PrepPage::refreshColumns()
{
    // The time order can use a date/time column, or a number that counts time.
    const auto table = session()->table();
    const std::string& target = session()->recipe().problem.target;
    {
        const QSignalBlocker block(m_timeColumn);
        m_timeColumn->clear();
        m_timeColumn->addItem(tr("none — random split"), QString());
        if (table) {
            for (const data::ColumnKind wanted : {data::ColumnKind::Datetime, data::ColumnKind::Integer,
                                                  data::ColumnKind::Numeric}) {
                for (const data::Column& column : table->columns()) {
                    if (column.kind() != wanted || column.name() == target)
                        continue;
                    const QString name = QString::fromStdString(column.name());
                    m_timeColumn->addItem(QStringLiteral("%1 (%2)").arg(name, QString::fromLatin1(data::toString(wanted))),
                                          name);
                }
            }
        }
    }
    refresh();
}

void PrepPage::refresh()
{
    const auto& recipe = session()->recipe();
    const auto& prep = recipe.prep;
    const bool classification = recipe.problem.task == core::TaskType::Classification;
    {
        const QSignalBlocker blocks[] = {QSignalBlocker(m_testSize), QSignalBlocker(m_validationSize),
                                         QSignalBlocker(m_stratify), QSignalBlocker(m_timeColumn),
                                         QSignalBlocker(m_seed)};
        m_testSize->setValue(prep.testSize);
        m_validationSize->setValue(prep.validationSize);
        m_stratify->setChecked(prep.stratify);
        const QString time = QString::fromStdString(prep.timeColumn);
        int index = m_timeColumn->findData(time);
        if (index < 0) {
            // A time column of a recipe the loaded table does not have stays visible.
            m_timeColumn->addItem(tr("%1 (not in the data)").arg(time), time);
            index = m_timeColumn->count() - 1;
        }
        m_timeColumn->setCurrentIndex(index);
        m_seed->setValue(int(std::min<std::uint64_t>(recipe.seed, std::uint64_t(std::numeric_limits<int>::max()))));
    }
    const bool timeOrdered = !prep.timeColumn.empty();
    m_stratify->setEnabled(classification && !timeOrdered);
    m_stratify->setToolTip(!classification ? tr("Stratifying needs classes; it does not apply to regression.")
                           : timeOrdered   ? tr("A split by time keeps the order of the rows; it does not stratify.")
                                           : tr("Each class keeps its share in every part — important for small or "
                                                "unbalanced classes."));
    m_splitNote->setText(timeOrdered ? tr("Oldest rows train, the next ones validate, the newest test.")
                         : prep.stratify && classification ? tr("Every part keeps the class shares of the target.")
                                                           : tr("Rows are assigned at random; the seed fixes which."));

    const auto table = session()->table();
    const QLocale locale;
    m_missing->setRowCount(0);
    if (!table) {
        m_splitBar->setCounts(0, 0, 0);
        m_splitNote->setText(tr("Load data to see the sizes."));
        m_missingNote->setText(tr("Load data on the Data step to see which columns have gaps."));
        m_missing->setVisible(false);
        m_duplicates->setText({});
        updateCompleteness();
        return;
    }
    for (const auto& column : table->columns()) {
        const std::size_t missing = column.missingCount();
        if (missing == 0)
            continue;
        const int row = m_missing->rowCount();
        m_missing->insertRow(row);
        const bool isTarget = column.name() == recipe.problem.target;
        const bool used = session()->isFeatureUsed(column.name());
        const double share = double(missing) / double(std::max<std::size_t>(table->rowCount(), 1));
        QString label = QString::fromStdString(column.name());
        if (isTarget)
            label += tr(" (target: rows left out)");
        else if (!used)
            label += tr(" (not an input)");
        auto* name = new QTableWidgetItem(label);
        name->setToolTip(QString::fromLatin1(data::toString(column.kind())));
        auto* count = new QTableWidgetItem(
            QStringLiteral("%1 · %2").arg(locale.toString(qulonglong(missing)), formatShare(share)));
        count->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
        count->setData(Qt::UserRole, share);
        if (!used || isTarget)
            for (QTableWidgetItem* item : {name, count})
                item->setForeground(palette().color(QPalette::Disabled, QPalette::Text));
        m_missing->setItem(row, 0, name);
        m_missing->setItem(row, 1, count);
    }
    m_missing->setColumnWidth(1, 120);
    m_missing->setVisible(m_missing->rowCount() > 0);
    const int visibleRows = std::min(m_missing->rowCount(), 3);
    m_missing->setFixedHeight(m_missing->horizontalHeader()->sizeHint().height() +
                              visibleRows * m_missing->verticalHeader()->defaultSectionSize() +
                              2 * m_missing->frameWidth() + 2);
    const int columns = m_missing->rowCount();
    m_missingNote->setText(columns == 0 ? tr("No column has missing values.")
                                        : (columns == 1 ? tr("1 column has gaps") : tr("%1 columns have gaps").arg(columns)) +
                                              tr(", %1 missing values in all:")
                                                  .arg(locale.toString(qulonglong(table->missingCount()))));
    applyCheck();
}

void PrepPage::applyCheck()
{
    const auto check = m_pipeline->check();
    const auto table = session()->table();
    const QLocale locale;
    if (table && check) {
        const auto& preview = check->preview;
        if (preview.trainRows > 0)
            m_splitBar->setCounts(preview.trainRows, preview.validationRows, preview.testRows);
        else
            m_splitBar->setCounts(0, 0, 0);
    } else if (table) {
        // Until the first check: a share of the rows, as the split would take it.
        const std::size_t rows = table->rowCount();
        const auto& prep = session()->recipe().prep;
        const auto test = std::size_t(std::ceil(prep.testSize * double(rows)));
        const auto validation = std::min(rows - std::min(rows, test),
                                         std::size_t(std::ceil(prep.validationSize * double(rows))));
        m_splitBar->setCounts(rows - std::min(rows, test + validation), validation, std::min(rows, test));
    }

    // Duplicates: what a drop step would take out, before anyone adds one.
    const bool hasDropStep = std::any_of(session()->recipe().prep.steps.begin(), session()->recipe().prep.steps.end(),
                                         [](const prep::StepSpec& s) { return s.kind == kDropDuplicates && s.enabled; });
    if (check && check->duplicates) {
        const std::size_t repeats = check->duplicates->repeats.size();
        QString text;
        if (repeats == 0)
            text = tr("<b>Duplicates:</b> no row repeats an earlier one.");
        else
            text = tr("<b>Duplicates:</b> %1 rows (%2) repeat an earlier row.")
                       .arg(locale.toString(qulonglong(repeats)),
                            formatShare(double(repeats) / double(std::max<std::size_t>(table ? table->rowCount() : 1, 1))));
        m_duplicates->setToolTip(tr("Compared on the %1 used columns and the target, before the split. A repeated "
                                    "row can land in both the training and the test part, which flatters the test "
                                    "score.")
                                     .arg(check->duplicateColumns.size() > 0 ? check->duplicateColumns.size() - 1 : 0));
        if (repeats > 0 && hasDropStep)
            text += tr(" A step drops them.");
        m_duplicates->setText(text);
        m_showDuplicates->setEnabled(repeats > 0);
        m_dropDuplicates->setVisible(repeats > 0 && !hasDropStep && isRegistered(kDropDuplicates));
    } else {
        m_duplicates->setText(table ? tr("<b>Duplicates:</b> counting…") : QString());
        m_showDuplicates->setEnabled(false);
        m_dropDuplicates->setVisible(false);
    }

    // Outliers: what each rule would do to the rows entering the selected step.
    PipelineEditor* editor = m_pipeline->editor();
    const int row = editor->currentStep();
    QString note;
    if (check && row >= 0 && std::size_t(row) < editor->steps().size() &&
        isOutlierStep(editor->steps()[std::size_t(row)].kind) && check->selectedStep == std::size_t(row) &&
        check->before) {
        const prep::StepSpec& spec = editor->steps()[std::size_t(row)];
        const auto method = spec.params.find("method");
        const bool zscore = method != spec.params.end() && method->second == "zscore";
        QStringList lines;
        for (const OutlierChoice& choice : check->outliers) {
            const bool iqr = choice.rule == prep::OutlierRule::Iqr;
            QString line = (iqr ? tr("IQR ×%1") : tr("z-score ×%1")).arg(factorText(choice.factor)) +
                           tr(": %1 rows removed / %2 values clipped")
                               .arg(locale.toString(qulonglong(choice.rowsRemoved)),
                                    locale.toString(qulonglong(choice.valuesClipped)));
            if (iqr != zscore)
                line = QStringLiteral("<b>%1</b>").arg(line);
            lines << line;
        }
        if (!lines.isEmpty())
            note = tr("What each rule would touch in the %1 rows entering this step:<br>%2")
                       .arg(locale.toString(qulonglong(check->before->rowCount())), lines.join(QStringLiteral("<br>")));
        else
            note = tr("No numeric columns reach this step, so there is nothing to count.");
    }
    editor->setNote(note);
    m_previewBox->setTitle(m_pipeline->previewTitle());
    updateCompleteness();
}

QString PrepPage::duplicatesText() const { return m_duplicates->text(); }

void PrepPage::showDuplicates()
{
    const auto check = m_pipeline->check();
    if (!check || !check->duplicates || check->duplicates->repeats.empty())
        return;
    auto* dialog = new DuplicateRowsDialog(session()->table(), *check->duplicates, check->duplicateColumns, this);
    dialog->show();
}

QString PrepPage::incompleteReason() const
{
    if (!session()->table())
        return tr("load data on the Data step first.");
    const QString problem = m_pipeline->blockingProblem();
    if (!problem.isEmpty())
        return tr("fix the problem shown above — change the step's settings, switch it off (uncheck it) or remove "
                  "it.");
    return {};
}

} // namespace stepwise::ui
