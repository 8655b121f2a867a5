#include "widgets/recipe_summary.hpp"

#include <QGridLayout>
#include <QLabel>

#include "stepwise/models/registry.hpp"

namespace stepwise::ui {
namespace {

const char* const kRows[] = {QT_TRANSLATE_NOOP("RecipeSummary", "Problem"), QT_TRANSLATE_NOOP("RecipeSummary", "Data"),
                             QT_TRANSLATE_NOOP("RecipeSummary", "Prep"), QT_TRANSLATE_NOOP("RecipeSummary", "Features"),
                             QT_TRANSLATE_NOOP("RecipeSummary", "Model")};

} // namespace

QString modelDisplayName(const std::string& name)
{
    for (const auto& info : models::modelRegistry()) {
        if (info.name == name)
            return QString::fromStdString(info.displayName);
    }
    return QString::fromStdString(name);
}

RecipeSummary::RecipeSummary(QWidget* parent) : QFrame(parent)
{
    setObjectName(QStringLiteral("recipeSummary"));
    setFrameShape(QFrame::StyledPanel);
    auto* layout = new QGridLayout(this);
    layout->setContentsMargins(14, 10, 14, 10);
    layout->setHorizontalSpacing(16);
    layout->setVerticalSpacing(5);
    auto* title = new QLabel(tr("The recipe so far"), this);
    QFont bold = title->font();
    bold.setBold(true);
    title->setFont(bold);
    layout->addWidget(title, 0, 0, 1, 2);
    int row = 1;
    for (const char* name : kRows) {
        auto* label = new QLabel(tr(name), this);
        label->setEnabled(false);
        label->setAlignment(Qt::AlignRight | Qt::AlignTop);
        auto* value = new QLabel(this);
        value->setWordWrap(true);
        value->setTextInteractionFlags(Qt::TextSelectableByMouse);
        layout->addWidget(label, row, 0);
        layout->addWidget(value, row, 1);
        m_values.append(value);
        ++row;
    }
    layout->setColumnStretch(1, 1);
    setToolTip(tr("Every step edits one section of this recipe. Saved with the model, it reproduces the run."));
}

void RecipeSummary::setRecipe(const workflow::Recipe& recipe, bool dataLoaded)
{
    const auto& problem = recipe.problem;
    QString problemText = QString::fromLatin1(core::toString(problem.task));
    problemText += problem.target.empty() ? tr(" · target not chosen yet")
                                          : tr(" of “%1”").arg(QString::fromStdString(problem.target));
    if (problem.success)
        problemText += tr(" · success when %1 %2 %3")
                           .arg(QString::fromStdString(problem.success->metric),
                                problem.success->atLeast ? QStringLiteral("≥") : QStringLiteral("≤"),
                                QString::number(problem.success->threshold, 'g', 6));
    m_values[0]->setText(problemText);

    m_values[1]->setText(dataLoaded ? QString::fromStdString(recipe.data.describe()) : tr("not loaded yet"));

    const auto& prep = recipe.prep;
    QString prepText = prep.dropMissingRows
                           ? tr("drop rows with missing values")
                           : tr("fill numbers with %1, categories with %2")
                                 .arg(prep.imputation.numeric == prep::NumericImputation::Mean     ? tr("the mean")
                                      : prep.imputation.numeric == prep::NumericImputation::Median ? tr("the median")
                                          : QString::number(prep.imputation.numericConstant),
                                      prep.imputation.categorical == prep::CategoricalImputation::MostFrequent
                                          ? tr("the most frequent value")
                                          : QStringLiteral("“%1”").arg(QString::fromStdString(
                                                prep.imputation.categoricalConstant)));
    prepText += tr(" · %1% test").arg(QString::number(prep.testSize * 100, 'f', 0));
    if (prep.stratify && problem.task == core::TaskType::Classification)
        prepText += tr(", stratified");
    prepText += tr(" · seed %1").arg(recipe.seed);
    m_values[2]->setText(prepText);

    const auto scaling = recipe.features.scaling;
    QString featureText = scaling == features::Scaling::Standard ? tr("standardised numbers")
                          : scaling == features::Scaling::MinMax ? tr("numbers scaled to 0–1")
                                                                 : tr("unscaled numbers");
    featureText += recipe.features.encoding == features::Encoding::OneHot ? tr(" · one-hot categories")
                                                                          : tr(" · ordinal categories");
    if (!prep.dropColumns.empty()) {
        QStringList dropped;
        for (const auto& column : prep.dropColumns)
            dropped << QString::fromStdString(column);
        featureText += tr(" · leaving out %1").arg(dropped.join(QStringLiteral(", ")));
    }
    m_values[3]->setText(featureText);

    QString modelText = modelDisplayName(recipe.model.name);
    if (recipe.model.params.empty()) {
        modelText += tr(" with default settings");
    } else {
        QStringList params;
        for (const auto& [name, value] : recipe.model.params)
            params << QString::fromStdString(name + "=" + value);
        modelText += QStringLiteral(" (%1)").arg(params.join(QStringLiteral(", ")));
    }
    m_values[4]->setText(modelText);
}

} // namespace stepwise::ui
