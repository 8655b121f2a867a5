#pragma once
/// \file
/// \brief The "Why?" glossary: one short entry per metric and per option of the wizard.

#include <QString>

#include <optional>
#include <string>
#include <vector>

namespace stepwise::ui::teaching {

/// \brief One glossary entry. Keys are `metric/<report name>` ("metric/f1_macro"),
/// `option/<name>` ("option/test_size"), `param/<name>` for a hyper-parameter shared by
/// models ("param/max_depth") and `param/<step kind>/<name>` for a prep or feature step
/// ("param/impute/numeric").
struct GlossaryEntry {
    QString key;
    QString term;  ///< what the control or metric is called on screen
    QString why;   ///< one sentence for the tooltip: why it matters
    QString more;  ///< two or three sentences for the Learn panel: when to use it, which way to turn it
};

/// \brief Every entry, translated, metrics first.
std::vector<GlossaryEntry> glossaryEntries();
/// \brief The entry of `key`; nullopt when there is none.
std::optional<GlossaryEntry> glossaryEntry(const QString& key);
/// \brief The anchor of an entry in a Learn panel ("why-metric-f1_macro").
QString glossaryAnchor(const QString& key);
/// \brief "metric/<name>" for a metric's report name.
QString metricGlossaryKey(const std::string& metricName);
/// \brief The key explaining parameter `name` of `owner` (a model or a step kind): the
/// owner's own entry when there is one, else the shared `param/<name>`; empty when the
/// glossary has neither.
QString paramGlossaryKey(const std::string& owner, const std::string& name);

} // namespace stepwise::ui::teaching
