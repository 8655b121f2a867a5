#include "session/run_restore.hpp"

#include "session/session.hpp"
#include "stepwise/workflow/recipe.hpp"

namespace stepwise::ui {

namespace {

std::string dataKey(const data::DataSource& source)
{
    workflow::Recipe recipe;
    recipe.data = source;
    return workflow::recipeToJson(recipe);
}

} // namespace

RunRestorer::RunRestorer(Session* session, QObject* parent) : QObject(parent), m_session(session)
{
    connect(m_session, &Session::dataChanged, this, [this] {
        if (!m_pending || !m_session->table() || !sameData(m_pending->recipe.data, m_session->loadedSource()))
            return;
        const io::RunRecord run = *m_pending;
        m_pending.reset();
        apply(run, true);
    });
    connect(m_session, &Session::dataLoadFailed, this, [this](const QString& message) {
        if (!m_pending)
            return;
        const int id = m_pending->id;
        const QString source = QString::fromStdString(m_pending->recipe.data.describe());
        m_pending.reset();
        emit failed(id, tr("Run %1 was not restored: its data %2 could not be loaded. %3").arg(id).arg(source, message));
    });
}

bool RunRestorer::sameData(const data::DataSource& source, const data::DataSource& loaded)
{
    return dataKey(source) == dataKey(loaded);
}

void RunRestorer::restore(const io::RunRecord& run)
{
    if (m_session->isTraining()) {
        emit failed(run.id, tr("A model is training: wait for it to finish or cancel it, then restore run %1.")
                                .arg(run.id));
        return;
    }
    if (!m_session->table() || !sameData(run.recipe.data, m_session->loadedSource())) {
        m_pending = run;
        emit loadingData(run.id, tr("Run %1 was trained on %2, not on the loaded data: loading it, then restoring "
                                    "the recipe.")
                                     .arg(run.id)
                                     .arg(QString::fromStdString(run.recipe.data.describe())));
        m_session->loadData(run.recipe.data);
        return;
    }
    apply(run, false);
}

void RunRestorer::apply(const io::RunRecord& run, bool dataLoaded)
{
    const workflow::Recipe& recipe = run.recipe;
    if (workflow::problemToJson(recipe.problem) != workflow::problemToJson(m_session->recipe().problem))
        m_session->setProblem(recipe.problem);
    m_session->editRecipe(recipe, tr("Restore run %1").arg(run.id));
    const QString data = QString::fromStdString(recipe.data.describe());
    emit restored(run.id, dataLoaded ? tr("Loaded %1 and restored the recipe of run %2. Edit ▸ Undo puts the "
                                          "previous steps and model back (the previously loaded data stays "
                                          "unloaded).")
                                           .arg(data)
                                           .arg(run.id)
                                     : tr("Restored the recipe of run %1. Edit ▸ Undo (Ctrl+Z) puts the previous "
                                          "one back.")
                                           .arg(run.id));
}

} // namespace stepwise::ui
