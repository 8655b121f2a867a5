#pragma once
/// \file
/// \brief A compact read-only view of the whole recipe, section by section.

#include <QFrame>

#include "stepwise/workflow/recipe.hpp"

class QLabel;

namespace stepwise::ui {

/// \brief Shows what each step has decided so far ("Data: builtin:titanic", "Split: 20%
/// test, stratified, seed 42", …), so the one value behind the wizard stays visible.
class RecipeSummary : public QFrame {
    Q_OBJECT
public:
    explicit RecipeSummary(QWidget* parent = nullptr);
    /// \brief Shows `recipe`; `dataLoaded` says whether its data source is loaded.
    void setRecipe(const workflow::Recipe& recipe, bool dataLoaded);

private:
    QList<QLabel*> m_values;
};

/// \brief Display name of a registered model ("Random forest"), or its name.
QString modelDisplayName(const std::string& name);

} // namespace stepwise::ui
