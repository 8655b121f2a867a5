#pragma once
/// \file
/// \brief The seven steps as the teaching texts name them.

#include <QString>

#include <array>
#include <optional>

namespace stepwise::ui::teaching {

/// \brief A wizard step; the values are the wizard's page ids (Problem = 0 … Export = 6).
enum class Step { Problem, Data, Prep, Features, Training, Evaluation, Export };

/// \brief Every step, in wizard order.
inline constexpr std::array<Step, 7> kAllSteps = {Step::Problem,  Step::Data,       Step::Prep,  Step::Features,
                                                  Step::Training, Step::Evaluation, Step::Export};

/// \brief The step's name as the rail shows it ("Prep"), translated.
QString stepName(Step step);
/// \brief A stable spelling for links and ids ("prep").
QString stepId(Step step);
/// \brief The step of `id` as `stepId` spells it; nullopt for anything else.
std::optional<Step> stepFromId(const QString& id);

} // namespace stepwise::ui::teaching
