#include "widgets/recipe_summary.hpp"

#include <QGridLayout>
#include <QLabel>

#include "stepwise/core/errors.hpp"
#include "stepwise/models/registry.hpp"
#include "widgets/engine_text.hpp"

namespace stepwise::ui {
namespace {

const char* const kRows[] = {QT_TRANSLATE_NOOP("RecipeSummary", "Problem"), QT_TRANSLATE_NOOP("RecipeSummary", "Data"),
                             QT_TRANSLATE_NOOP("RecipeSummary", "Prep"), QT_TRANSLATE_NOOP("RecipeSummary", "Features"),
                             QT_TRANSLATE_NOOP("RecipeSummary", "Model")};

/// The steps that are on, in order and in words: "1. Fill missing values: numeric=median
/// (all columns); 2. …", or "no steps".
QString stepsInWords(const std::vector<prep::StepSpec>& steps)
{
    QStringList words;
    for (const prep::StepSpec& step : steps) {
        if (!step.enabled)
            continue;
        QString text;
        try {
            text = engineText(prep::describeStep(step));
        } catch (const core::Error&) {
            text = QString::fromStdString(step.kind);
        }
        words << QStringLiteral("%1. %2").arg(words.size() + 1).arg(text);
    }
    return words.isEmpty() ? RecipeSummary::tr("no steps") : words.join(QStringLiteral("; "));
}

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
    if (problem.maxLatencyMs)
        problemText += tr(" · one row within %1 ms").arg(QString::number(*problem.maxLatencyMs, 'g', 6));
    m_values[0]->setText(problemText);

    m_values[1]->setText(dataLoaded ? QString::fromStdString(recipe.data.describe()) : tr("not loaded yet"));

    const auto& prep = recipe.prep;
    QString prepText = stepsInWords(prep.steps);
    if (!prep.timeColumn.empty())
        prepText += tr(" · split by time on “%1”").arg(QString::fromStdString(prep.timeColumn));
    prepText += tr(" · %1% test").arg(QString::number(prep.testSize * 100, 'f', 0));
    if (prep.validationSize > 0.0)
        prepText += tr(", %1% validation").arg(QString::number(prep.validationSize * 100, 'f', 0));
    if (prep.stratify && problem.task == core::TaskType::Classification && prep.timeColumn.empty())
        prepText += tr(", stratified");
    prepText += tr(" · seed %1").arg(recipe.seed);
    m_values[2]->setText(prepText);

    QString featureText = stepsInWords(recipe.features.steps);
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
