#pragma once
// What the Prep and Features page tests share: titanic loaded into a session, the recipe
// as comparable text, the kinds of a step list, and whether a page's preview is current.

#include <QSignalSpy>

#include <string>
#include <vector>

#include "pages/stage_pipeline.hpp"
#include "session/live_preview.hpp"
#include "session/session.hpp"
#include "stepwise/data/data_source.hpp"
#include "stepwise/workflow/recipe.hpp"

namespace pipeline_page_test {

using namespace stepwise;

/// Long enough for a preview on a busy machine; the waits end as soon as it arrives.
constexpr int kWaitMs = 20000;

inline bool loadTitanic(ui::Session& session)
{
    data::DataSource source;
    source.kind = data::DataSourceKind::Builtin;
    source.location = "titanic";
    QSignalSpy loaded(&session, &ui::Session::dataChanged);
    session.loadData(source);
    return loaded.wait(30000) && session.table() && session.table()->rowCount() == 891;
}

inline std::string json(const workflow::Recipe& recipe) { return workflow::recipeToJson(recipe); }

/// True once the page's preview is the check of the recipe as it is now.
inline bool previewIsCurrent(const ui::StagePipeline* pipeline) { return pipeline->livePreview()->isCurrent(); }

inline std::vector<std::string> kinds(const std::vector<prep::StepSpec>& steps)
{
    std::vector<std::string> names;
    for (const auto& step : steps)
        names.push_back(step.kind);
    return names;
}

} // namespace pipeline_page_test
