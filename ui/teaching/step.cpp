#include "teaching/step.hpp"

#include <QCoreApplication>

namespace stepwise::ui::teaching {

QString stepName(Step step)
{
    switch (step) {
    case Step::Problem: return QCoreApplication::translate("Teaching", "Problem");
    case Step::Data: return QCoreApplication::translate("Teaching", "Data");
    case Step::Prep: return QCoreApplication::translate("Teaching", "Prep");
    case Step::Features: return QCoreApplication::translate("Teaching", "Features");
    case Step::Training: return QCoreApplication::translate("Teaching", "Training");
    case Step::Evaluation: return QCoreApplication::translate("Teaching", "Evaluation");
    case Step::Export: return QCoreApplication::translate("Teaching", "Export");
    }
    return {};
}

QString stepId(Step step)
{
    switch (step) {
    case Step::Problem: return QStringLiteral("problem");
    case Step::Data: return QStringLiteral("data");
    case Step::Prep: return QStringLiteral("prep");
    case Step::Features: return QStringLiteral("features");
    case Step::Training: return QStringLiteral("training");
    case Step::Evaluation: return QStringLiteral("evaluation");
    case Step::Export: return QStringLiteral("export");
    }
    return {};
}

std::optional<Step> stepFromId(const QString& id)
{
    for (const Step step : kAllSteps)
        if (stepId(step) == id)
            return step;
    return std::nullopt;
}

} // namespace stepwise::ui::teaching
