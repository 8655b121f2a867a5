#include "pages/features_page.hpp"

#include <QButtonGroup>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QRadioButton>
#include <QSignalBlocker>
#include <QTableWidget>
#include <QVBoxLayout>

#include "session/session.hpp"
#include "widgets/status_banner.hpp"

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

QRadioButton* option(const QString& text, const QString& tip, QWidget* parent)
{
    auto* button = new QRadioButton(text, parent);
    button->setToolTip(tip);
    return button;
}

} // namespace

FeaturesPage::FeaturesPage(Session* session, QWidget* parent)
    : WizardStepPage(session, tr("Features"),
                     tr("Choose the input columns and how they are turned into numbers the model can use."), parent),
      m_standard(option(tr("Standardise (mean 0, std 1)"),
                        tr("Subtract the mean and divide by the standard deviation, both learned on the training "
                           "rows. The usual choice for linear models, SVMs and k-NN."),
                        this)),
      m_minMax(option(tr("Min–max (0 to 1)"),
                      tr("Rescale each column to [0, 1] using the training rows' minimum and maximum. Sensitive "
                         "to outliers."),
                      this)),
      m_noScaling(option(tr("None"),
                         tr("Keep the original units. Trees do not need scaling; distance- and gradient-based "
                            "models do."),
                         this)),
      m_oneHot(option(tr("One-hot"),
                      tr("One 0/1 column per category. No false order between categories; many categories make "
                         "many columns."),
                      this)),
      m_ordinal(option(tr("Ordinal"),
                       tr("One integer per category. Compact, but implies an order — fine for trees, misleading "
                          "for linear models."),
                       this)),
      m_columns(new QTableWidget(this)),
      m_count(makeNote({}, this)),
      m_inputs(new QLabel(this))
{
    m_standard->setObjectName(QStringLiteral("scaleStandardRadio"));
    m_minMax->setObjectName(QStringLiteral("scaleMinMaxRadio"));
    m_noScaling->setObjectName(QStringLiteral("scaleNoneRadio"));
    m_oneHot->setObjectName(QStringLiteral("encodeOneHotRadio"));
    m_ordinal->setObjectName(QStringLiteral("encodeOrdinalRadio"));
    m_columns->setObjectName(QStringLiteral("featureColumns"));

    auto* scaling = new QGroupBox(tr("Scaling of numeric columns"), this);
    auto* scalingLayout = new QVBoxLayout(scaling);
    auto* scalingGroup = new QButtonGroup(this);
    for (QRadioButton* button : {m_standard, m_minMax, m_noScaling}) {
        scalingGroup->addButton(button);
        scalingLayout->addWidget(button);
    }
    scalingLayout->addStretch(1);
    auto* encoding = new QGroupBox(tr("Encoding of categorical columns"), this);
    auto* encodingLayout = new QVBoxLayout(encoding);
    auto* encodingGroup = new QButtonGroup(this);
    for (QRadioButton* button : {m_oneHot, m_ordinal}) {
        encodingGroup->addButton(button);
        encodingLayout->addWidget(button);
    }
    encodingLayout->addStretch(1);
    auto* choices = new QVBoxLayout;
    choices->addWidget(scaling);
    choices->addWidget(encoding);
    choices->addWidget(makeNote(tr("Both are learned from the training rows only. Categories first seen in new "
                                   "data are encoded as all-zero (one-hot) or as unknown (ordinal)."),
                                this));
    choices->addSpacing(8);
    m_inputs->setObjectName(QStringLiteral("modelInputsSummary"));
    m_inputs->setWordWrap(true);
    m_inputs->setTextFormat(Qt::RichText);
    m_inputs->setFrameShape(QFrame::StyledPanel);
    m_inputs->setMargin(10);
    m_inputs->setToolTip(tr("What the model will see after scaling and encoding (counted on all rows; the "
                            "training part decides the exact categories)"));
    choices->addWidget(m_inputs);
    choices->addStretch(1);

    auto* columnsBox = new QGroupBox(tr("Input columns"), this);
    auto* columnsLayout = new QVBoxLayout(columnsBox);
    m_columns->setColumnCount(3);
    m_columns->setHorizontalHeaderLabels({tr("Use"), tr("Kind"), tr("Note")});
    m_columns->verticalHeader()->setVisible(false);
    m_columns->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_columns->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_columns->setWordWrap(false);
    m_columns->setAlternatingRowColors(true);
    m_columns->horizontalHeader()->setStretchLastSection(true);
    m_columns->verticalHeader()->setDefaultSectionSize(m_columns->fontMetrics().height() + 8);
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

    auto* row = new QHBoxLayout;
    row->addLayout(choices, 2);
    row->addWidget(columnsBox, 3);
    contentLayout()->addLayout(row, 1);

    setLearnText(tr("<p>Models see numbers only. <b>Scaling</b> puts numeric columns on a comparable footing, "
                    "so a column measured in thousands does not drown one measured in fractions.</p>"
                    "<p><b>Encoding</b> turns categories into numbers; one-hot is the safe default.</p>"
                    "<p>Every input must be known at prediction time. Leave out <b>leaks</b> (columns derived "
                    "from the answer) and <b>IDs</b> — they make test scores lie.</p>"));

    connect(scalingGroup, &QButtonGroup::buttonToggled, this, [this](QAbstractButton*, bool on) {
        if (on)
            writeScalingEncoding();
    });
    connect(encodingGroup, &QButtonGroup::buttonToggled, this, [this](QAbstractButton*, bool on) {
        if (on)
            writeScalingEncoding();
    });
    connect(m_columns, &QTableWidget::itemChanged, this, &FeaturesPage::onItemChanged);
    connect(all, &QPushButton::clicked, this, [this] {
        for (int row = 0; row < m_columns->rowCount(); ++row)
            m_columns->item(row, 0)->setCheckState(Qt::Checked);
    });
    connect(none, &QPushButton::clicked, this, [this] {
        for (int row = 0; row < m_columns->rowCount(); ++row)
            m_columns->item(row, 0)->setCheckState(Qt::Unchecked);
    });
    connect(session, &Session::recipeChanged, this, &FeaturesPage::refresh);
    connect(session, &Session::dataChanged, this, &FeaturesPage::rebuildColumns);
    connect(session, &Session::profileChanged, this, &FeaturesPage::rebuildColumns);
    rebuildColumns();
}

void FeaturesPage::initializePage() { rebuildColumns(); }

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

void FeaturesPage::writeScalingEncoding()
{
    workflow::FeatureSpec spec;
    spec.scaling = m_minMax->isChecked()      ? features::Scaling::MinMax
                   : m_noScaling->isChecked() ? features::Scaling::None
                                              : features::Scaling::Standard;
    spec.encoding = m_ordinal->isChecked() ? features::Encoding::Ordinal : features::Encoding::OneHot;
    session()->setFeatures(spec);
}

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
    const auto& features = session()->recipe().features;
    {
        // The button groups emit buttonToggled themselves, even when their buttons are blocked.
        const QSignalBlocker blocks[] = {QSignalBlocker(m_standard->group()), QSignalBlocker(m_oneHot->group()),
                                         QSignalBlocker(m_standard), QSignalBlocker(m_minMax),
                                         QSignalBlocker(m_noScaling), QSignalBlocker(m_oneHot),
                                         QSignalBlocker(m_ordinal)};
        m_standard->setChecked(features.scaling == features::Scaling::Standard);
        m_minMax->setChecked(features.scaling == features::Scaling::MinMax);
        m_noScaling->setChecked(features.scaling == features::Scaling::None);
        m_oneHot->setChecked(features.encoding == features::Encoding::OneHot);
        m_ordinal->setChecked(features.encoding == features::Encoding::Ordinal);
    }
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

    // What the model will see: one column per number, and per category when one-hot.
    int numeric = 0;
    int categorical = 0;
    std::size_t encoded = 0;
    if (const auto table = session()->table()) {
        for (const auto& column : table->columns()) {
            if (!session()->isFeatureUsed(column.name()))
                continue;
            if (column.isNumeric()) {
                ++numeric;
            } else {
                ++categorical;
                encoded += features.encoding == features::Encoding::OneHot ? column.levels().size() : 1;
            }
        }
    }
    const std::size_t total = std::size_t(numeric) + encoded;
    QString detail = tr("%1 numeric (%2)")
                         .arg(numeric)
                         .arg(features.scaling == features::Scaling::None ? tr("unscaled")
                              : features.scaling == features::Scaling::Standard ? tr("standardised")
                                                                                 : tr("scaled to 0–1"));
    if (categorical > 0)
        detail += features.encoding == features::Encoding::OneHot
                      ? tr(" + %1 categorical → %2 one-hot columns").arg(categorical).arg(encoded)
                      : tr(" + %1 categorical → %1 ordinal codes").arg(categorical);
    m_inputs->setText(tr("<b>The model will see about %1 inputs</b><br>%2").arg(total).arg(detail));
    updateCompleteness();
}

QString FeaturesPage::incompleteReason() const
{
    if (!session()->table())
        return tr("load data on the Data step first.");
    for (int row = 0; row < m_columns->rowCount(); ++row) {
        const QTableWidgetItem* item = m_columns->item(row, 0);
        if (item && item->checkState() == Qt::Checked)
            return {};
    }
    return tr("check at least one input column.");
}

} // namespace stepwise::ui
