#pragma once
/// \file
/// \brief A hyper-parameter form generated from a model's `ParamSpec` table.

#include <QHash>
#include <QWidget>

#include <map>
#include <string>
#include <vector>

#include "stepwise/core/params.hpp"

class QFormLayout;

namespace stepwise::ui {

/// \brief One editor per parameter, chosen by its kind: a combo for choices, a check box
/// for booleans, an editable combo for numbers that also accept words ("none",
/// "sqrt"), a line edit for plain numbers and free text. Each row shows the default and carries the
/// help and the allowed range as tooltip. Values are kept as typed; a value the table
/// rejects is outlined red with the reason as tooltip.
class ParamForm : public QWidget {
    Q_OBJECT
public:
    explicit ParamForm(QWidget* parent = nullptr);

    /// \brief Rebuilds the form for `specs` showing `values` (missing names show the
    /// default). `owner` names the model in messages.
    void setSpecs(const std::vector<core::ParamSpec>& specs, const std::map<std::string, std::string>& values,
                  const std::string& owner);
    /// \brief Values that differ from the defaults, as typed.
    std::map<std::string, std::string> values() const { return m_values; }
    /// \brief The editor widget of a parameter (for keyboard focus and tests).
    QWidget* editor(const std::string& name) const;
    /// \brief Names of parameters whose value the table rejects.
    std::vector<std::string> invalidNames() const;
    /// \brief Whether rows show "default …" beside the editor (on by default); narrow
    /// forms leave it to the tooltip. Takes effect at the next `setSpecs`.
    void setShowsDefaults(bool shows) { m_showsDefaults = shows; }

signals:
    /// \brief The user changed a value.
    void valuesChanged();

private:
    void setValue(const core::ParamSpec& spec, const QString& text);
    void markValidity();

    std::vector<core::ParamSpec> m_specs;
    std::string m_owner;
    std::map<std::string, std::string> m_values;
    QHash<QString, QWidget*> m_editors;
    QFormLayout* m_layout;
    bool m_showsDefaults = true;
};

} // namespace stepwise::ui
