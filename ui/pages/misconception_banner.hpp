#pragma once
/// \file
/// \brief Misconception warnings on a page's status banner: what was seen, why it
/// misleads, what to do — one message per kind, set and cleared by the page that sees it.

#include <QString>
#include <QStringList>

#include <optional>
#include <vector>

#include "stepwise/workflow/misconceptions.hpp"

namespace stepwise::ui {

class StatusBanner;

/// \brief The banner key of a misconception kind ("misconception:tuning_on_test_set").
QString misconceptionKey(const std::string& kind);

/// \brief The banner text: "Common mistake — <seen> Why it misleads: <why> What to do: <fix>".
QString misconceptionText(const workflow::Misconception& item);

/// \brief Shows `found` on `banner` as warnings and clears the messages of the kinds in
/// `managed` that are not in `found`, leaving every other message alone.
void showMisconceptions(StatusBanner* banner, const std::vector<workflow::Misconception>& found,
                        const QStringList& managed);

/// \brief `showMisconceptions` for one kind: shows `item` or clears `kind`.
void showMisconception(StatusBanner* banner, const std::string& kind,
                       const std::optional<workflow::Misconception>& item);

} // namespace stepwise::ui
