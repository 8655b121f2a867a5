#include "pages/prep_page.hpp"

#include <QButtonGroup>
#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QRadioButton>
#include <QSignalBlocker>
#include <QSpinBox>
#include <QTableWidget>
#include <QVBoxLayout>

#include <cmath>
#include <limits>

#include "session/session.hpp"
#include "pages/data_page.hpp"
#include "widgets/share_bar_delegate.hpp"
#include "widgets/split_bar.hpp"
#include "widgets/status_banner.hpp"

namespace stepwise::ui {
namespace {

/// Rows the split would send to the test side (scikit-learn rounds the test side up).
std::size_t testRows(std::size_t rows, double testSize)
{
    return std::size_t(std::ceil(testSize * double(rows)));
}

} // namespace

PrepPage::PrepPage(Session* session, QWidget* parent)
    : WizardStepPage(session, tr("Prep"),
                     tr("Decide what happens to missing values, and hold out rows the model never sees for an "
                        "honest test."),
                     parent),
      m_impute(new QRadioButton(tr("Fill in missing values (impute)"), this)),
      m_dropRows(new QRadioButton(tr("Drop rows that have a missing value"), this)),
      m_numeric(new QComboBox(this)),
      m_numericValue(new QDoubleSpinBox(this)),
      m_categorical(new QComboBox(this)),
      m_categoricalValue(new QLineEdit(this)),
      m_missing(new QTableWidget(this)),
      m_missingNote(makeNote({}, this)),
      m_testSize(new QDoubleSpinBox(this)),
      m_splitNote(makeNote({}, this)),
      m_splitBar(new SplitBar(this)),
      m_rowsNote(makeNote({}, this)),
      m_stratify(new QCheckBox(tr("Stratify: keep the class balance in both parts"), this)),
      m_seed(new QSpinBox(this))
{
    m_impute->setObjectName(QStringLiteral("imputeRadio"));
    m_dropRows->setObjectName(QStringLiteral("dropRowsRadio"));
    m_numeric->setObjectName(QStringLiteral("numericImputeCombo"));
    m_numericValue->setObjectName(QStringLiteral("numericConstantSpin"));
    m_categorical->setObjectName(QStringLiteral("categoricalImputeCombo"));
    m_categoricalValue->setObjectName(QStringLiteral("categoricalConstantEdit"));
    m_missing->setObjectName(QStringLiteral("missingTable"));
    m_testSize->setObjectName(QStringLiteral("testSizeSpin"));
    m_stratify->setObjectName(QStringLiteral("stratifyCheck"));
    m_seed->setObjectName(QStringLiteral("seedSpin"));

    auto* group = new QButtonGroup(this);
    group->addButton(m_impute);
    group->addButton(m_dropRows);
    m_impute->setToolTip(tr("Keep every row and fill the gaps with a value learned from the training rows."));
    m_dropRows->setToolTip(tr("Simple, but every row with a gap in a used column is lost — and new rows with "
                              "gaps cannot be predicted."));

    m_numeric->addItem(tr("Mean"), int(prep::NumericImputation::Mean));
    m_numeric->addItem(tr("Median"), int(prep::NumericImputation::Median));
    m_numeric->addItem(tr("Constant"), int(prep::NumericImputation::Constant));
    m_numeric->setItemData(0, tr("The average of the training rows; pulled by outliers."), Qt::ToolTipRole);
    m_numeric->setItemData(1, tr("The middle value of the training rows; robust to outliers and skew."),
                           Qt::ToolTipRole);
    m_numeric->setItemData(2, tr("A value you choose, e.g. 0 when missing means none."), Qt::ToolTipRole);
    m_numericValue->setRange(-1e12, 1e12);
    m_numericValue->setDecimals(4);
    m_numericValue->setToolTip(tr("The value used for missing numbers"));
    m_categorical->addItem(tr("Most frequent"), int(prep::CategoricalImputation::MostFrequent));
    m_categorical->addItem(tr("Constant"), int(prep::CategoricalImputation::Constant));
    m_categorical->setItemData(0, tr("The commonest category of the training rows."), Qt::ToolTipRole);
    m_categorical->setItemData(1, tr("A category of its own, so \"unknown\" can carry meaning."), Qt::ToolTipRole);
    m_categoricalValue->setToolTip(tr("The category used for missing values"));

    auto* missingBox = new QGroupBox(tr("Missing values"), this);
    auto* missingLayout = new QVBoxLayout(missingBox);
    missingLayout->addWidget(m_impute);
    auto* rules = new QGridLayout;
    rules->setContentsMargins(24, 0, 0, 0);
    rules->addWidget(new QLabel(tr("Numbers:"), this), 0, 0);
    rules->addWidget(m_numeric, 0, 1);
    rules->addWidget(m_numericValue, 0, 2);
    rules->addWidget(new QLabel(tr("Categories:"), this), 1, 0);
    rules->addWidget(m_categorical, 1, 1);
    rules->addWidget(m_categoricalValue, 1, 2);
    rules->setColumnStretch(3, 1);
    missingLayout->addLayout(rules);
    missingLayout->addWidget(m_dropRows);
    missingLayout->addSpacing(4);
    m_missing->setColumnCount(4);
    m_missing->setHorizontalHeaderLabels({tr("Column with gaps"), tr("Kind"), tr("Missing"), tr("Filled with")});
    m_missing->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_missing->verticalHeader()->setVisible(false);
    m_missing->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_missing->setSelectionMode(QAbstractItemView::NoSelection);
    m_missing->setFocusPolicy(Qt::NoFocus);
    m_missing->horizontalHeader()->setStretchLastSection(true);
    m_missing->verticalHeader()->setDefaultSectionSize(m_missing->fontMetrics().height() + 8);
    m_missing->setItemDelegateForColumn(2, new ShareBarDelegate(QColor(0xd9, 0x77, 0x06), this));
    m_missing->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
    m_missing->setVerticalScrollBarPolicy(Qt::ScrollBarAsNeeded);
    missingLayout->addWidget(m_missingNote);
    missingLayout->addWidget(m_missing);
    missingLayout->addWidget(m_rowsNote);

    auto* splitBox = new QGroupBox(tr("Train / test split"), this);
    auto* splitLayout = new QVBoxLayout(splitBox);
    auto* form = new QFormLayout;
    m_testSize->setRange(0.05, 0.5);
    m_testSize->setSingleStep(0.05);
    m_testSize->setDecimals(2);
    m_testSize->setToolTip(tr("Fraction of rows held out to test the model. 0.2–0.3 is common; a larger test part "
                              "gives a steadier estimate but less to learn from."));
    m_seed->setRange(0, std::numeric_limits<int>::max());
    m_seed->setToolTip(tr("Fixes the shuffling of the split and the model's randomness: same seed, same result."));
    m_testSize->setMaximumWidth(110);
    m_seed->setMaximumWidth(130);
    form->addRow(tr("Test size:"), m_testSize);
    form->addRow(tr("Seed:"), m_seed);
    splitLayout->addLayout(form);
    splitLayout->addSpacing(6);
    splitLayout->addWidget(m_splitBar);
    splitLayout->addWidget(m_splitNote);
    splitLayout->addSpacing(6);
    m_stratify->setToolTip(tr("Each class keeps its share in the training and the test part — important for "
                              "small or unbalanced classes. Classification only."));
    splitLayout->addWidget(m_stratify);
    splitLayout->addWidget(makeNote(tr("Imputation values, scaling and encodings are learned from the training "
                                       "part only, then applied to the test part — so the test stays unseen."),
                                    this));
    splitBox->setMinimumWidth(340);

    auto* row = new QHBoxLayout;
    row->addWidget(missingBox, 3, Qt::AlignTop);
    row->addWidget(splitBox, 2, Qt::AlignTop);
    contentLayout()->addLayout(row);
    contentLayout()->addStretch(1);

    setLearnText(tr("<p><b>Missing values</b> must be handled before most models can train. Filling in "
                    "(<i>imputing</i>) keeps every row; the <b>median</b> is robust to outliers.</p>"
                    "<p>The <b>test set</b> is the exam: rows held back until the end. Everything the pipeline "
                    "learns — fill values, scales, categories — comes from the training rows only, otherwise "
                    "information leaks from the exam into the lessons.</p>"
                    "<p><b>Stratifying</b> keeps the class shares equal in both parts.</p>"));

    connect(group, &QButtonGroup::buttonToggled, this, [this](QAbstractButton*, bool on) {
        if (on)
            write();
    });
    connect(m_numeric, &QComboBox::currentIndexChanged, this, &PrepPage::write);
    connect(m_numericValue, &QDoubleSpinBox::valueChanged, this, &PrepPage::write);
    connect(m_categorical, &QComboBox::currentIndexChanged, this, &PrepPage::write);
    connect(m_categoricalValue, &QLineEdit::textChanged, this, &PrepPage::write);
    connect(m_testSize, &QDoubleSpinBox::valueChanged, this, &PrepPage::write);
    connect(m_stratify, &QCheckBox::toggled, this, &PrepPage::write);
    connect(m_seed, &QSpinBox::valueChanged, this, [this](int value) { this->session()->setSeed(std::uint64_t(value)); });
    connect(session, &Session::recipeChanged, this, &PrepPage::refresh);
    connect(session, &Session::dataChanged, this, &PrepPage::refresh);
    refresh();
}

void PrepPage::initializePage() { refresh(); }

void PrepPage::write()
{
    workflow::PrepSpec prep = session()->recipe().prep;
    prep.dropMissingRows = m_dropRows->isChecked();
    prep.imputation.numeric = prep::NumericImputation(m_numeric->currentData().toInt());
    prep.imputation.numericConstant = m_numericValue->value();
    prep.imputation.categorical = prep::CategoricalImputation(m_categorical->currentData().toInt());
    prep.imputation.categoricalConstant = m_categoricalValue->text().toStdString();
    prep.testSize = m_testSize->value();
    prep.stratify = m_stratify->isChecked() && session()->recipe().problem.task == core::TaskType::Classification;
    session()->setPrep(prep);
}

void PrepPage::refresh()
{
    const auto& recipe = session()->recipe();
    const auto& prep = recipe.prep;
    {
        // The button group emits buttonToggled itself, even when its buttons are blocked.
        const QSignalBlocker blocks[] = {QSignalBlocker(m_impute->group()), QSignalBlocker(m_impute),
                                         QSignalBlocker(m_dropRows),
                                         QSignalBlocker(m_numeric),       QSignalBlocker(m_numericValue),
                                         QSignalBlocker(m_categorical),   QSignalBlocker(m_categoricalValue),
                                         QSignalBlocker(m_testSize),      QSignalBlocker(m_stratify),
                                         QSignalBlocker(m_seed)};
        m_impute->setChecked(!prep.dropMissingRows);
        m_dropRows->setChecked(prep.dropMissingRows);
        m_numeric->setCurrentIndex(m_numeric->findData(int(prep.imputation.numeric)));
        m_numericValue->setValue(prep.imputation.numericConstant);
        m_categorical->setCurrentIndex(m_categorical->findData(int(prep.imputation.categorical)));
        const QString constant = QString::fromStdString(prep.imputation.categoricalConstant);
        if (m_categoricalValue->text() != constant)
            m_categoricalValue->setText(constant);
        m_testSize->setValue(prep.testSize);
        m_stratify->setChecked(prep.stratify);
        m_seed->setValue(int(std::min<std::uint64_t>(recipe.seed, std::uint64_t(std::numeric_limits<int>::max()))));
    }
    const bool impute = !prep.dropMissingRows;
    m_numeric->setEnabled(impute);
    m_categorical->setEnabled(impute);
    m_numericValue->setEnabled(impute && prep.imputation.numeric == prep::NumericImputation::Constant);
    m_categoricalValue->setEnabled(impute && prep.imputation.categorical == prep::CategoricalImputation::Constant);
    const bool classification = recipe.problem.task == core::TaskType::Classification;
    m_stratify->setEnabled(classification);
    m_stratify->setToolTip(classification ? m_stratify->toolTip()
                                          : tr("Stratifying needs classes; it does not apply to regression."));

    const auto table = session()->table();
    const QLocale locale;
    m_missing->setRowCount(0);
    banner()->clearMessage(QStringLiteral("drop-rows"));
    if (!table) {
        m_splitNote->setText(tr("Load data to see the sizes."));
        m_splitBar->setCounts(0, 0);
        m_missingNote->setText(tr("Load data on the Data step to see which columns have gaps."));
        m_missing->setVisible(false);
        m_rowsNote->clear();
        updateCompleteness();
        return;
    }

    const std::size_t rows = table->rowCount();
    const std::size_t withGaps = session()->rowsWithMissingFeatures();
    std::size_t usedRows = rows;
    if (prep.dropMissingRows)
        usedRows = rows - withGaps;
    if (table->hasColumn(recipe.problem.target))
        usedRows -= std::min(usedRows, table->column(recipe.problem.target).missingCount());
    const std::size_t test = testRows(usedRows, prep.testSize);
    m_splitBar->setCounts(usedRows > test ? usedRows - test : 0, test);
    m_splitNote->setText(prep.stratify && classification
                             ? tr("Both parts keep the class shares of the target.")
                             : tr("Rows are assigned at random; the seed fixes which."));

    const auto numericRule = m_numeric->currentText().toLower();
    const auto categoricalRule = m_categorical->currentText().toLower();
    for (const auto& column : table->columns()) {
        const std::size_t missing = column.missingCount();
        if (missing == 0)
            continue;
        const int row = m_missing->rowCount();
        m_missing->insertRow(row);
        const bool isTarget = column.name() == recipe.problem.target;
        const bool used = session()->isFeatureUsed(column.name());
        QString what;
        if (isTarget)
            what = tr("target: rows left out");
        else if (!used)
            what = tr("not an input");
        else if (prep.dropMissingRows)
            what = tr("rows dropped");
        else if (column.isNumeric())
            what = prep.imputation.numeric == prep::NumericImputation::Constant
                       ? tr("filled with %1").arg(prep.imputation.numericConstant)
                       : tr("training %1").arg(numericRule);
        else
            what = prep.imputation.categorical == prep::CategoricalImputation::Constant
                       ? tr("filled with “%1”").arg(QString::fromStdString(prep.imputation.categoricalConstant))
                       : tr("most frequent value");
        auto* name = new QTableWidgetItem(QString::fromStdString(column.name()));
        auto* kind = new QTableWidgetItem(QString::fromLatin1(data::toString(column.type())));
        const double share = double(missing) / double(rows);
        auto* count = new QTableWidgetItem(
            QStringLiteral("%1 · %2").arg(locale.toString(qulonglong(missing)), formatShare(share)));
        count->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
        count->setData(Qt::UserRole, share);
        auto* effect = new QTableWidgetItem(what);
        if (!used || isTarget) {
            for (QTableWidgetItem* item : {name, kind, count, effect})
                item->setForeground(palette().color(QPalette::Disabled, QPalette::Text));
        }
        m_missing->setItem(row, 0, name);
        m_missing->setItem(row, 1, kind);
        m_missing->setItem(row, 2, count);
        m_missing->setItem(row, 3, effect);
    }
    m_missing->resizeColumnsToContents();
    m_missing->setColumnWidth(2, std::max(m_missing->columnWidth(2), 130));
    m_missing->setVisible(m_missing->rowCount() > 0);
    const int visibleRows = std::min(m_missing->rowCount(), 12);
    m_missing->setFixedHeight(m_missing->horizontalHeader()->sizeHint().height() +
                              visibleRows * m_missing->verticalHeader()->defaultSectionSize() +
                              2 * m_missing->frameWidth() + 4);
    if (m_missing->rowCount() == 0) {
        m_missingNote->setText(tr("No column has missing values — nothing to fill in."));
        m_rowsNote->clear();
    } else {
        const int columns = m_missing->rowCount();
        m_missingNote->setText((columns == 1 ? tr("1 column has gaps") : tr("%1 columns have gaps").arg(columns)) +
                               tr(", %1 missing values in all:").arg(locale.toString(qulonglong(table->missingCount()))));
        m_rowsNote->setText(
            tr("%1 of %2 rows (%3) have a gap in a used input column. Filling in keeps them; dropping them leaves "
               "%4 rows.")
                .arg(locale.toString(qulonglong(withGaps)), locale.toString(qulonglong(rows)),
                     formatShare(double(withGaps) / double(std::max<std::size_t>(rows, 1))),
                     locale.toString(qulonglong(rows - withGaps))));
    }
    if (prep.dropMissingRows && usedRows < rows) {
        const double kept = double(usedRows) / double(std::max<std::size_t>(rows, 1));
        banner()->setMessage(QStringLiteral("drop-rows"),
                             kept < 0.5 ? StatusBanner::Level::Warning : StatusBanner::Level::Info,
                             tr("Dropping rows with gaps keeps %1 of %2 rows (%3%). Filling in keeps them all; "
                                "leaving out a mostly-empty column on the Features step also helps.")
                                 .arg(locale.toString(qulonglong(usedRows)), locale.toString(qulonglong(rows)))
                                 .arg(QString::number(kept * 100.0, 'f', 0)));
    }
    updateCompleteness();
}

QString PrepPage::incompleteReason() const
{
    const auto table = session()->table();
    if (!table)
        return tr("load data on the Data step first.");
    const auto& prep = session()->recipe().prep;
    std::size_t rows = table->rowCount();
    if (prep.dropMissingRows)
        rows -= session()->rowsWithMissingFeatures();
    if (rows == 0)
        return tr("dropping rows with gaps leaves no rows — fill in missing values instead.");
    const std::size_t test = testRows(rows, prep.testSize);
    if (test < 1 || test >= rows)
        return tr("%1 rows are too few to split into a training and a test part.").arg(rows);
    return {};
}

} // namespace stepwise::ui
