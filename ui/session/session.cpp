#include "session/session.hpp"

#include <QFileInfo>
#include <QLoggingCategory>
#include <QUndoCommand>
#include <QUndoStack>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <functional>

#include "stepwise/core/digest.hpp"
#include "stepwise/core/errors.hpp"
#include "stepwise/data/builtin_datasets.hpp"
#include "stepwise/data/data_source.hpp"
#include "stepwise/io/model_archive.hpp"
#include "stepwise/models/registry.hpp"

Q_LOGGING_CATEGORY(lcSession, "stepwise.session", QtWarningMsg)

namespace stepwise::ui {
namespace {

/// What a data load or a re-profile hands back to the GUI thread.
struct LoadedData {
    std::shared_ptr<const data::Table> table;
    std::shared_ptr<const data::DataProfile> profile;
    std::shared_ptr<const data::CorrelationMatrix> correlation;
    std::shared_ptr<const std::vector<data::ColumnDistribution>> distributions;
    std::vector<std::string> classLabels;
    std::vector<std::size_t> classCounts;
    std::string target;
    core::TaskType task = core::TaskType::Classification;
    double seconds = 0.0;
};

/// Profile flags whose columns are left out of the features unless the user opts in:
/// a leak makes the model look perfect and fail in use; an ID carries no signal.
bool excludedByDefault(const data::DataFlag& flag)
{
    return flag.kind == "target_leak" || flag.kind == "id_like";
}

void profileInto(LoadedData& loaded, core::TaskControl& control)
{
    const data::Table& table = *loaded.table;
    const bool hasTarget = !loaded.target.empty() && table.hasColumn(loaded.target);
    control.progress(0.0, "Profiling columns");
    loaded.profile = std::make_shared<const data::DataProfile>(
        data::profileTable(table, hasTarget ? std::optional<std::string>(loaded.target) : std::nullopt));
    control.progress(0.8, "Finding the classes of the target");
    if (hasTarget && loaded.task == core::TaskType::Classification) {
        const auto classes = workflow::encodeClasses(table.column(loaded.target));
        loaded.classLabels = classes.labels;
        loaded.classCounts.assign(classes.labels.size(), 0);
        for (int index : classes.rowClass) {
            if (index >= 0)
                ++loaded.classCounts[std::size_t(index)];
        }
    }
    control.progress(1.0);
}

/// Profile, distributions and correlations of a new table: everything the Data page
/// shows about it.
void describeInto(LoadedData& loaded, core::TaskControl& control)
{
    core::TaskControl profiling = control.subRange(0.0, 0.5);
    profileInto(loaded, profiling);
    const data::Table& table = *loaded.table;
    auto distributions = std::make_shared<std::vector<data::ColumnDistribution>>();
    distributions->reserve(table.columnCount());
    for (std::size_t i = 0; i < table.columnCount(); ++i) {
        std::string stage = "Counting the values of ";
        stage.append(table.column(i).name());
        control.progress(0.5 + 0.2 * double(i) / double(table.columnCount()), stage);
        distributions->push_back(data::columnDistribution(table.column(i)));
    }
    loaded.distributions = std::move(distributions);
    core::TaskControl correlating = control.subRange(0.7, 1.0);
    loaded.correlation = std::make_shared<const data::CorrelationMatrix>(data::correlationMatrix(table, &correlating));
}

/// Replaces the override of `column` in `kinds`, or appends it: the last choice wins and
/// the list stays one entry per column.
void recordColumnKind(std::vector<data::ColumnKindOverride>& kinds, const std::string& column, data::ColumnKind kind)
{
    auto it = std::find_if(kinds.begin(), kinds.end(), [&](const auto& entry) { return entry.column == column; });
    if (it != kinds.end())
        it->kind = kind;
    else
        kinds.push_back({column, kind});
}

/// The sections of a recipe the Prep and Features pages edit, alone in a recipe of
/// defaults, as JSON: equal text means equal sections, whatever fields they grow.
std::string editedSections(const workflow::Recipe& recipe)
{
    workflow::Recipe sections;
    sections.prep = recipe.prep;
    sections.features = recipe.features;
    sections.seed = recipe.seed;
    return workflow::recipeToJson(sections);
}

/// True when the sections the Training page edits are equal: the kept model, the models
/// compared with it, the search and the cross-validation.
bool sameTrainingSections(const workflow::Recipe& a, const workflow::Recipe& b)
{
    return a.model == b.model && a.compareWith == b.compareWith && a.search == b.search &&
           a.crossValidation == b.crossValidation;
}

/// True when every section the undo stack restores is equal.
bool sameEditedSections(const workflow::Recipe& a, const workflow::Recipe& b)
{
    return sameTrainingSections(a, b) && editedSections(a) == editedSections(b);
}

bool solvesTask(const std::string& model, core::TaskType task)
{
    const auto& registry = models::modelRegistry();
    const auto it = std::find_if(registry.begin(), registry.end(),
                                 [&](const models::ModelInfo& info) { return info.name == model; });
    return it != registry.end() && std::find(it->tasks.begin(), it->tasks.end(), task) != it->tasks.end();
}

QString modelDisplayName(const std::string& model)
{
    for (const auto& info : models::modelRegistry()) {
        if (info.name == model)
            return QString::fromStdString(info.displayName);
    }
    return QString::fromStdString(model);
}

/// One edit of the recipe: the recipe before and after, applied through `apply`.
class RecipeEdit final : public QUndoCommand {
public:
    using Apply = std::function<void(const workflow::Recipe&)>;

    RecipeEdit(workflow::Recipe before, workflow::Recipe after, const QString& text, QString mergeKey, Apply apply)
        : QUndoCommand(text),
          m_before(std::move(before)),
          m_after(std::move(after)),
          m_mergeKey(std::move(mergeKey)),
          m_apply(std::move(apply))
    {
    }

    int id() const override { return 4; }

    bool mergeWith(const QUndoCommand* other) override
    {
        const auto* next = static_cast<const RecipeEdit*>(other);
        if (m_mergeKey.isEmpty() || next->m_mergeKey != m_mergeKey)
            return false;
        m_after = next->m_after;
        // Typing a value and deleting it again leaves nothing to undo.
        setObsolete(sameEditedSections(m_before, m_after));
        return true;
    }

    void undo() override { m_apply(m_before); }
    void redo() override { m_apply(m_after); }

private:
    workflow::Recipe m_before;
    workflow::Recipe m_after;
    QString m_mergeKey;
    Apply m_apply;
};

} // namespace

Session::Session(QObject* parent)
    : QObject(parent),
      m_dataTask(new BackgroundTask(tr("Loading data"), this)),
      m_profileTask(new BackgroundTask(tr("Profiling data"), this)),
      m_conversionTask(new BackgroundTask(tr("Changing a column type"), this)),
      m_trainingTask(new BackgroundTask(tr("Training"), this)),
      m_exportTask(new BackgroundTask(tr("Saving the model"), this)),
      m_undo(new QUndoStack(this))
{
    connect(m_dataTask, &BackgroundTask::finished, this, [this] {
        if (m_dataTask->state() == BackgroundTask::State::Failed) {
            m_dataError = m_dataTask->errorMessage();
            m_failedSource = m_requestedSource;
            emit dataLoadFailed(m_dataError);
        }
    });
    connect(m_conversionTask, &BackgroundTask::finished, this, [this] {
        if (m_conversionTask->state() == BackgroundTask::State::Failed)
            emit columnKindFailed(m_conversionTask->errorMessage());
    });
    connect(m_trainingTask, &BackgroundTask::finished, this, [this] {
        if (m_trainingTask->state() == BackgroundTask::State::Failed)
            emit trainingFailed(m_trainingTask->errorMessage());
        else if (m_trainingTask->state() == BackgroundTask::State::Cancelled)
            emit trainingCancelled();
    });
    connect(m_exportTask, &BackgroundTask::finished, this, [this] {
        if (m_exportTask->state() == BackgroundTask::State::Failed)
            emit modelSaveFailed(m_exportTask->errorMessage());
    });
}

// Tasks are children and cancel-and-wait in their destructors, which run here before
// the data they read is released.
Session::~Session()
{
    for (BackgroundTask* task : tasks())
        delete task;
}

void Session::changed() { emit recipeChanged(); }

void Session::editRecipe(const workflow::Recipe& after, const QString& text, const QString& mergeKey)
{
    if (sameEditedSections(after, m_recipe))
        return;
    m_undo->push(new RecipeEdit(m_recipe, after, text, mergeKey,
                                [this](const workflow::Recipe& recipe) { applyEditedSections(recipe); }));
}

void Session::applyEditedSections(const workflow::Recipe& recipe)
{
    m_recipe.prep = recipe.prep;
    m_recipe.features = recipe.features;
    m_recipe.seed = recipe.seed;
    m_recipe.model = recipe.model;
    m_recipe.compareWith = recipe.compareWith;
    m_recipe.search = recipe.search;
    m_recipe.crossValidation = recipe.crossValidation;
    changed();
}

void Session::setProblem(const workflow::ProblemStatement& problem)
{
    const bool targetChanged = problem.target != m_recipe.problem.target;
    const bool taskChanged = problem.task != m_recipe.problem.task;
    m_recipe.problem = problem;
    if (targetChanged) {
        auto& drop = m_recipe.prep.dropColumns;
        drop.erase(std::remove(drop.begin(), drop.end(), problem.target), drop.end());
    }
    changed();
    if (targetChanged || taskChanged)
        reprofile();
}

void Session::setTask(core::TaskType task)
{
    if (task == m_recipe.problem.task)
        return;
    workflow::ProblemStatement problem = m_recipe.problem;
    problem.task = task;
    // A criterion names a metric of one task; it means nothing for the other.
    if (problem.success) {
        const auto& metrics = evaluation::metricsFor(task);
        const bool known = std::any_of(metrics.begin(), metrics.end(),
                                       [&](const auto& m) { return m.name == problem.success->metric; });
        if (!known)
            problem.success.reset();
    }
    // A model that cannot solve the new task would make every run fail.
    const auto& registry = models::modelRegistry();
    auto solves = [task](const models::ModelInfo& info) {
        return std::find(info.tasks.begin(), info.tasks.end(), task) != info.tasks.end();
    };
    auto& compared = m_recipe.compareWith;
    compared.erase(std::remove_if(compared.begin(), compared.end(),
                                  [task](const workflow::ModelChoice& m) { return !solvesTask(m.name, task); }),
                   compared.end());
    if (!solvesTask(m_recipe.model.name, task)) {
        // A compared model that solves the task is the natural successor; the search
        // named the old model's parameters and goes with it.
        auto replacement = std::find_if(registry.begin(), registry.end(), solves);
        if (!compared.empty()) {
            m_recipe.model = compared.front();
            compared.erase(compared.begin());
        } else if (replacement != registry.end()) {
            m_recipe.model = workflow::ModelChoice{replacement->name, {}};
        }
        m_recipe.search.reset();
    }
    // Stratified folds need classes.
    if (task == core::TaskType::Regression && m_recipe.crossValidation &&
        m_recipe.crossValidation->strategy == evaluation::CvStrategy::StratifiedKFold)
        m_recipe.crossValidation->strategy = evaluation::CvStrategy::KFold;
    if (task == core::TaskType::Regression)
        m_recipe.prep.stratify = false;
    setProblem(problem);
}

void Session::setObjective(const QString& objective)
{
    const std::string text = objective.toStdString();
    if (text == m_recipe.problem.objective)
        return;
    m_recipe.problem.objective = text;
    changed();
}

void Session::setTarget(const QString& target)
{
    const std::string name = target.trimmed().toStdString();
    if (name == m_recipe.problem.target)
        return;
    workflow::ProblemStatement problem = m_recipe.problem;
    problem.target = name;
    setProblem(problem);
}

void Session::setSuccess(const std::optional<evaluation::SuccessCriterion>& success)
{
    auto same = [](const std::optional<evaluation::SuccessCriterion>& a,
                   const std::optional<evaluation::SuccessCriterion>& b) {
        if (a.has_value() != b.has_value())
            return false;
        return !a || (a->metric == b->metric && a->atLeast == b->atLeast && a->threshold == b->threshold);
    };
    if (same(success, m_recipe.problem.success))
        return;
    m_recipe.problem.success = success;
    changed();
}

void Session::setMaxLatency(std::optional<double> milliseconds)
{
    if (milliseconds && !(*milliseconds > 0.0 && std::isfinite(*milliseconds))) {
        std::string message = "latency budget ";
        message.append(std::to_string(*milliseconds));
        message.append(" ms is not a positive number of milliseconds");
        throw core::InvalidParameter(message);
    }
    if (milliseconds == m_recipe.problem.maxLatencyMs)
        return;
    m_recipe.problem.maxLatencyMs = milliseconds;
    changed();
}

void Session::setInterpretability(workflow::Interpretability interpretability)
{
    if (interpretability == m_recipe.problem.interpretability)
        return;
    m_recipe.problem.interpretability = interpretability;
    changed();
}

void Session::setRetraining(workflow::RetrainingCadence cadence)
{
    if (cadence == m_recipe.problem.retraining)
        return;
    m_recipe.problem.retraining = cadence;
    changed();
}

void Session::setPrep(const workflow::PrepSpec& prep)
{
    workflow::Recipe after = m_recipe;
    after.prep = prep;
    editRecipe(after, tr("Change the prep settings"));
}

void Session::setFeatures(const workflow::FeatureSpec& features)
{
    workflow::Recipe after = m_recipe;
    after.features = features;
    editRecipe(after, tr("Change the feature steps"));
}

void Session::setModel(const workflow::ModelChoice& model)
{
    workflow::Recipe after = m_recipe;
    after.model = model;
    // A model is trained once: as the kept one, not also among the compared ones.
    auto& compared = after.compareWith;
    compared.erase(std::remove_if(compared.begin(), compared.end(),
                                  [&](const workflow::ModelChoice& m) { return m.name == model.name; }),
                   compared.end());
    editRecipe(after, model.name == m_recipe.model.name ? tr("Change the parameters of %1").arg(modelDisplayName(model.name))
                                                        : tr("Keep %1").arg(modelDisplayName(model.name)));
}

namespace {

// The recipe with `choice` kept and the model kept until now first among the compared.
workflow::Recipe withKeptModel(const workflow::Recipe& recipe, const workflow::ModelChoice& choice)
{
    workflow::Recipe after = recipe;
    auto& compared = after.compareWith;
    compared.erase(std::remove_if(compared.begin(), compared.end(),
                                  [&](const workflow::ModelChoice& c) { return c.name == choice.name; }),
                   compared.end());
    if (after.model.name != choice.name)
        compared.insert(compared.begin(), after.model);
    after.model = choice;
    // The search tunes the kept model: keep the values of parameters the new one has.
    if (after.search) {
        const auto& registry = models::modelRegistry();
        const auto info = std::find_if(registry.begin(), registry.end(),
                                       [&](const models::ModelInfo& m) { return m.name == choice.name; });
        for (auto it = after.search->space.begin(); it != after.search->space.end();) {
            const bool known = info != registry.end() &&
                               std::any_of(info->params.begin(), info->params.end(),
                                           [&](const core::ParamSpec& s) { return s.name == it->first; });
            it = known ? std::next(it) : after.search->space.erase(it);
        }
    }
    return after;
}

} // namespace

void Session::keepModel(const workflow::ModelChoice& choice)
{
    if (choice.name == m_recipe.model.name && choice.params == m_recipe.model.params)
        return;
    editRecipe(withKeptModel(m_recipe, choice), tr("Keep %1").arg(modelDisplayName(choice.name)));
}

bool Session::useLeaderboardEntry(std::size_t index)
{
    if (!m_result || !hasCurrentResult() || index >= m_result->leaderboard.size() || isTraining())
        return false;
    const workflow::LeaderboardEntry& entry = m_result->leaderboard[index];
    if (entry.kept)
        return false;
    workflow::Recipe after = withKeptModel(m_recipe, entry.model);
    after.search.reset();
    editRecipe(after, tr("Use %1 for export").arg(modelDisplayName(entry.model.name)));
    train();
    return true;
}

void Session::setSeed(std::uint64_t seed)
{
    if (seed == m_recipe.seed)
        return;
    workflow::Recipe after = m_recipe;
    after.seed = seed;
    editRecipe(after, tr("Set the seed to %1").arg(seed), QStringLiteral("seed"));
}

void Session::setFeatureUsed(const std::string& column, bool used) { setFeaturesUsed({column}, used); }

void Session::setFeaturesUsed(const std::vector<std::string>& columns, bool used)
{
    workflow::Recipe after = m_recipe;
    auto& drop = after.prep.dropColumns;
    for (const std::string& column : columns) {
        m_featureDecisions.insert(column);
        const auto it = std::find(drop.begin(), drop.end(), column);
        if (used && it != drop.end())
            drop.erase(it);
        else if (!used && it == drop.end())
            drop.push_back(column);
    }
    const QString what = columns.size() == 1
                             ? (used ? tr("Use “%1” as an input") : tr("Leave out “%1”"))
                                   .arg(QString::fromStdString(columns.front()))
                             : (used ? tr("Use %1 columns as inputs") : tr("Leave out %1 columns")).arg(columns.size());
    editRecipe(after, what);
}

bool Session::isFeatureUsed(const std::string& column) const
{
    if (column == m_recipe.problem.target)
        return false;
    const auto& drop = m_recipe.prep.dropColumns;
    return std::find(drop.begin(), drop.end(), column) == drop.end();
}

void Session::loadData(const data::DataSource& source)
{
    const std::string currentTarget = m_recipe.problem.target;
    const core::TaskType currentTask = m_recipe.problem.task;
    m_dataError.clear();
    m_requestedSource = source;
    m_failedSource.reset();
    m_dataTask->start(
        tr("Loading %1").arg(QString::fromStdString(source.describe())),
        [source, currentTarget, currentTask](core::TaskControl& control) -> std::any {
            const auto start = std::chrono::steady_clock::now();
            LoadedData loaded;
            core::TaskControl reading = control.subRange(0.0, 0.75);
            reading.progress(0.0, "Reading " + source.describe());
            loaded.table = std::make_shared<const data::Table>(data::loadTable(source, &reading));
            loaded.target = currentTarget;
            loaded.task = currentTask;
            const data::Table& table = *loaded.table;
            if (currentTarget.empty() || !table.hasColumn(currentTarget)) {
                if (source.kind == data::DataSourceKind::Builtin) {
                    for (const auto& builtin : data::builtinDatasets()) {
                        if (builtin.name == source.location && table.hasColumn(builtin.target)) {
                            loaded.target = builtin.target;
                            loaded.task = core::parseTaskType(builtin.task).value_or(currentTask);
                        }
                    }
                } else if (source.kind == data::DataSourceKind::Generated && table.hasColumn("target")) {
                    loaded.target = "target";
                    loaded.task = core::TaskType::Classification;
                }
            }
            core::TaskControl describing = control.subRange(0.75, 1.0);
            describeInto(loaded, describing);
            loaded.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
            return loaded;
        },
        [this, source](const std::any& value) {
            const auto& loaded = std::any_cast<const LoadedData&>(value);
            m_table = loaded.table;
            m_profile = loaded.profile;
            m_correlation = loaded.correlation;
            m_distributions = loaded.distributions;
            m_classLabels = loaded.classLabels;
            m_classCounts = loaded.classCounts;
            m_loadedSource = source;
            m_loadSeconds = loaded.seconds;
            m_recipe.data = source;
            m_recipe.problem.target = loaded.target;
            m_recipe.problem.task = loaded.task;
            if (loaded.task == core::TaskType::Regression)
                m_recipe.prep.stratify = false;
            // Column choices belong to the table they were made on.
            m_recipe.prep.dropColumns.clear();
            m_featureDecisions.clear();
            m_autoDropped.clear();
            m_undo->clear();
            applyProfileDefaults();
            qCDebug(lcSession) << "loaded" << QString::fromStdString(source.describe()) << m_table->rowCount() << "rows";
            emit dataChanged();
            emit profileChanged();
            changed();
        });
}

void Session::setColumnKind(const std::string& column, data::ColumnKind kind)
{
    if (!m_table || !m_table->hasColumn(column) || m_table->column(column).kind() == kind)
        return;
    LoadedData input;
    input.table = m_table;
    input.target = m_recipe.problem.target;
    input.task = m_recipe.problem.task;
    const QString name = QString::fromStdString(column);
    m_conversionTask->start(
        tr("Changing “%1” to %2").arg(name, QString::fromLatin1(data::toString(kind))),
        [input, column, kind](core::TaskControl& control) -> std::any {
            std::string stage = "Converting ";
            stage.append(column).append(" to ").append(data::toString(kind));
            control.progress(0.0, stage);
            data::Column converted = data::convertColumn(input.table->column(column), kind);
            control.progress(0.2, "Copying the table");
            data::Table table = *input.table;
            table.replaceColumn(std::move(converted));
            LoadedData loaded = input;
            loaded.table = std::make_shared<const data::Table>(std::move(table));
            core::TaskControl describing = control.subRange(0.3, 1.0);
            describeInto(loaded, describing);
            return loaded;
        },
        [this, input, column, kind](const std::any& value) {
            // A conversion of a table that was replaced meanwhile does not apply.
            if (input.table != m_table)
                return;
            const auto& loaded = std::any_cast<const LoadedData&>(value);
            m_table = loaded.table;
            m_profile = loaded.profile;
            m_correlation = loaded.correlation;
            m_distributions = loaded.distributions;
            if (loaded.target == m_recipe.problem.target) {
                m_classLabels = loaded.classLabels;
                m_classCounts = loaded.classCounts;
            }
            recordColumnKind(m_recipe.data.read.columnKinds, column, kind);
            recordColumnKind(m_loadedSource.read.columnKinds, column, kind);
            applyProfileDefaults();
            emit dataChanged();
            emit profileChanged();
            changed();
            if (loaded.target != m_recipe.problem.target)
                reprofile();
        });
}

void Session::reprofile()
{
    if (!m_table)
        return;
    LoadedData input;
    input.table = m_table;
    input.target = m_recipe.problem.target;
    input.task = m_recipe.problem.task;
    m_profileTask->start(
        tr("Profiling %1").arg(QString::fromStdString(m_loadedSource.describe())),
        [input](core::TaskControl& control) -> std::any {
            LoadedData loaded = input;
            profileInto(loaded, control);
            return loaded;
        },
        [this](const std::any& value) {
            const auto& loaded = std::any_cast<const LoadedData&>(value);
            // A profile of a table that was replaced meanwhile is of no use.
            if (loaded.table != m_table || loaded.target != m_recipe.problem.target)
                return;
            m_profile = loaded.profile;
            m_classLabels = loaded.classLabels;
            m_classCounts = loaded.classCounts;
            const auto before = m_recipe.prep.dropColumns;
            applyProfileDefaults();
            emit profileChanged();
            if (before != m_recipe.prep.dropColumns)
                changed();
        });
}

void Session::applyProfileDefaults()
{
    if (!m_profile)
        return;
    auto& drop = m_recipe.prep.dropColumns;
    std::set<std::string> flagged;
    for (const auto& flag : m_profile->flags) {
        if (excludedByDefault(flag) && flag.column != m_recipe.problem.target)
            flagged.insert(flag.column);
    }
    // Columns dropped only because of an earlier flag come back when the flag is gone.
    for (auto it = m_autoDropped.begin(); it != m_autoDropped.end();) {
        if (!flagged.count(*it) && !m_featureDecisions.count(*it)) {
            drop.erase(std::remove(drop.begin(), drop.end(), *it), drop.end());
            it = m_autoDropped.erase(it);
        } else {
            ++it;
        }
    }
    for (const auto& column : flagged) {
        if (m_featureDecisions.count(column) || std::find(drop.begin(), drop.end(), column) != drop.end())
            continue;
        drop.push_back(column);
        m_autoDropped.insert(column);
    }
}

std::size_t Session::rowsWithMissingFeatures() const
{
    if (!m_table)
        return 0;
    std::vector<char> missing(m_table->rowCount(), 0);
    for (const auto& column : m_table->columns()) {
        if (!isFeatureUsed(column.name()) || column.missingCount() == 0)
            continue;
        for (std::size_t row = 0; row < column.size(); ++row)
            missing[row] = missing[row] || column.isMissing(row);
    }
    return static_cast<std::size_t>(std::count(missing.begin(), missing.end(), 1));
}

std::string Session::resultKey(const workflow::Recipe& recipe) const
{
    workflow::Recipe trained = recipe;
    trained.problem.objective.clear();
    trained.problem.success.reset();
    trained.problem.maxLatencyMs.reset();
    trained.problem.interpretability = workflow::Interpretability::Unspecified;
    trained.problem.retraining = workflow::RetrainingCadence::Unspecified;
    return workflow::recipeToJson(trained);
}

bool Session::hasCurrentResult() const
{
    return m_result && resultKey(m_recipe) == m_resultKey && sameTrainingSections(m_recipe, m_resultRecipe);
}

std::optional<evaluation::SuccessVerdict> Session::verdict() const
{
    if (!m_result || !m_recipe.problem.success)
        return std::nullopt;
    const auto& criterion = *m_recipe.problem.success;
    // After a change of task the criterion names a metric the old result does not have.
    const auto resultTask = m_result->classification ? core::TaskType::Classification : core::TaskType::Regression;
    const auto& known = evaluation::metricsFor(resultTask);
    if (std::none_of(known.begin(), known.end(), [&](const auto& m) { return m.name == criterion.metric; }))
        return std::nullopt;
    if (m_result->classification)
        return evaluation::judge(criterion, evaluation::metricValue(*m_result->classification, criterion.metric));
    if (m_result->regression)
        return evaluation::judge(criterion, evaluation::metricValue(*m_result->regression, criterion.metric));
    return std::nullopt;
}

std::optional<evaluation::LatencyVerdict> Session::latencyVerdict() const
{
    const auto& budget = m_recipe.problem.maxLatencyMs;
    if (!m_result || !budget || m_result->latency.samples == 0)
        return std::nullopt;
    evaluation::LatencyVerdict verdict;
    verdict.budgetMs = *budget;
    verdict.measuredMs = m_result->latency.p99Ms;
    verdict.passed = verdict.measuredMs <= verdict.budgetMs;
    return verdict;
}

void Session::train()
{
    if (!m_table) {
        emit trainingFailed(tr("There is no data to train on — load a dataset on the Data step first."));
        return;
    }
    const workflow::Recipe recipe = m_recipe;
    const auto table = m_table;
    const double loadSeconds = m_loadSeconds;
    const QString title = recipe.compareWith.empty()
                              ? tr("Training %1").arg(modelDisplayName(recipe.model.name))
                              : tr("Training %n models", nullptr, int(recipe.compareWith.size() + 1));
    m_trainingTask->start(
        title,
        [recipe, table, loadSeconds](core::TaskControl& control) -> std::any {
            auto result = std::make_shared<workflow::RunResult>(workflow::runRecipe(recipe, *table, nullptr, control));
            result->timings.loadSeconds = loadSeconds;
            return std::shared_ptr<const workflow::RunResult>(std::move(result));
        },
        [this, recipe](const std::any& value) {
            m_result = std::any_cast<std::shared_ptr<const workflow::RunResult>>(value);
            m_resultRecipe = recipe;
            m_resultKey = resultKey(recipe);
            m_savedModelPath.clear();
            m_savedModelInfo = {};
            emit resultChanged();
            emit savedModelChanged();
        });
}

void Session::cancelTraining() { m_trainingTask->cancel(); }

void Session::saveModel(const QString& path, const std::optional<std::string>& passphrase)
{
    if (!m_result || !m_result->pipeline) {
        emit modelSaveFailed(tr("There is no trained model to save — train one on the Training step first."));
        return;
    }
    const auto result = m_result;
    io::ModelSaveOptions options;
    if (passphrase && !passphrase->empty())
        options.passphrase = passphrase;
    m_exportTask->start(
        tr("Saving %1").arg(path),
        [result, options, file = path.toStdString()](core::TaskControl& control) -> std::any {
            control.progress(0.0, "Writing " + file);
            io::saveModel(*result->pipeline, file, options);
            control.progress(0.8, "Checking " + file);
            // Read back what was written: the header proves the file is whole, and the
            // digest is what a deployer compares after copying it.
            const io::ModelFileInfo header = io::readModelFileInfo(file);
            SavedModelInfo info;
            info.fileBytes = QFileInfo(QString::fromStdString(file)).size();
            info.formatVersion = header.formatVersion;
            info.encrypted = header.encrypted;
            info.payloadSha256 = QString::fromStdString(header.payloadSha256);
            info.fileSha256 = QString::fromStdString(core::fileSha256Hex(file));
            control.progress(1.0);
            return info;
        },
        [this, result, path](const std::any& value) {
            if (result != m_result)
                return;
            m_savedModelPath = path;
            m_savedModelInfo = std::any_cast<SavedModelInfo>(value);
            emit savedModelChanged();
        });
}

} // namespace stepwise::ui
