#include "widgets/history/run_comparison.hpp"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonValue>
#include <QLocale>

#include <algorithm>
#include <cmath>

#include "stepwise/core/errors.hpp"
#include "stepwise/evaluation/success.hpp"
#include "stepwise/models/registry.hpp"
#include "stepwise/prep/step.hpp"
#include "widgets/score_text.hpp"

namespace stepwise::ui {

namespace {

QString tr(const char* text) { return QCoreApplication::translate("RunComparison", text); }

// "prep.steps[2].params.strategy" → {prep}, {steps, 2}, {params}, {strategy}. A bare
// number ("compare_with.1") is an index too, so either spelling of arrays reads.
struct PathPart {
    QString key;
    std::optional<int> index;
};

std::vector<PathPart> parsePath(const std::string& path)
{
    std::vector<PathPart> parts;
    for (const QString& token : QString::fromStdString(path).split(QLatin1Char('.'), Qt::SkipEmptyParts)) {
        PathPart part;
        QString rest = token;
        const qsizetype open = rest.indexOf(QLatin1Char('['));
        part.key = open < 0 ? rest : rest.left(open);
        if (open >= 0) {
            bool ok = false;
            const int index = rest.mid(open + 1, rest.indexOf(QLatin1Char(']'), open) - open - 1).toInt(&ok);
            if (ok)
                part.index = index;
        }
        bool numeric = false;
        const int bare = part.key.toInt(&numeric);
        if (numeric && !parts.empty() && !parts.back().index) {
            parts.back().index = bare;
            continue;
        }
        parts.push_back(part);
    }
    return parts;
}

QString modelName(const std::string& name)
{
    try {
        return QString::fromStdString(models::findModel(name).displayName);
    } catch (const core::Error&) {
        return QString::fromStdString(name);  // a model this build does not have: its own spelling
    }
}

QString stepName(const std::string& kind)
{
    try {
        return QString::fromStdString(prep::findStep(kind).displayName);
    } catch (const core::Error&) {
        return QString::fromStdString(kind);
    }
}

// What kind of value a field holds, so its JSON text reads as words.
enum class ValueKind { Plain, Model, Step, CrossValidation, Parameter };

QString valueText(const QJsonValue& value, ValueKind kind)
{
    switch (value.type()) {
    case QJsonValue::Null:
    case QJsonValue::Undefined:
        return tr("none");
    case QJsonValue::Bool:
        return value.toBool() ? tr("yes") : tr("no");
    case QJsonValue::Double:
        return QLocale::c().toString(value.toDouble(), 'g', 15);
    case QJsonValue::String: {
        const std::string text = value.toString().toStdString();
        if (text.empty())
            return tr("none");
        switch (kind) {
        case ValueKind::Model:
            return modelName(text);
        case ValueKind::Step:
            return stepName(text);
        case ValueKind::CrossValidation:
            return cvText(text);
        case ValueKind::Plain:
        case ValueKind::Parameter:
            break;
        }
        return value.toString();
    }
    case QJsonValue::Array: {
        const QJsonArray array = value.toArray();
        if (array.isEmpty())
            return tr("none");
        QStringList items;
        for (const QJsonValue& item : array)
            items << valueText(item, kind);
        return items.join(QStringLiteral(", "));
    }
    case QJsonValue::Object: {
        const QJsonObject object = value.toObject();
        if (object.contains(QStringLiteral("metric")) && object.contains(QStringLiteral("threshold")))
            return QStringLiteral("%1 %2 %3")
                .arg(object.value(QStringLiteral("metric")).toString(),
                     object.value(QStringLiteral("at_least")).toBool(true) ? QStringLiteral("≥") : QStringLiteral("≤"),
                     QLocale::c().toString(object.value(QStringLiteral("threshold")).toDouble(), 'g', 15));
        if (object.contains(QStringLiteral("kind")) && object.value(QStringLiteral("kind")).isString() &&
            object.contains(QStringLiteral("params")))
            return stepName(object.value(QStringLiteral("kind")).toString().toStdString());
        if (object.contains(QStringLiteral("name")) && object.contains(QStringLiteral("params")))
            return modelName(object.value(QStringLiteral("name")).toString().toStdString());
        return QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Compact));
    }
    }
    return {};
}

// The JSON text of one value ("5", "\"mean\"", "{…}"); empty means the field is absent.
std::optional<QJsonValue> parseValue(const std::string& text)
{
    if (text.empty())
        return std::nullopt;
    // Wrapped in an array so scalars parse too.
    const QJsonDocument document = QJsonDocument::fromJson(QByteArray("[").append(text.c_str()).append(']'));
    if (!document.isArray() || document.array().isEmpty())
        return QJsonValue(QString::fromStdString(text));
    return document.array().at(0);
}

const std::vector<prep::StepSpec>* stepList(const workflow::Recipe& recipe, const QString& section)
{
    if (section == QLatin1String("prep"))
        return &recipe.prep.steps;
    if (section == QLatin1String("features"))
        return &recipe.features.steps;
    return nullptr;
}

// A step's title, as the recipe the reader is looking at has it: the later recipe
// first, the earlier one for a step that was removed.
QString stepTitle(const QString& section, int index, const workflow::Recipe& before, const workflow::Recipe& after)
{
    for (const workflow::Recipe* recipe : {&after, &before}) {
        const auto* steps = stepList(*recipe, section);
        if (steps && index >= 0 && index < static_cast<int>(steps->size()))
            return stepName((*steps)[static_cast<std::size_t>(index)].kind);
    }
    return {};
}

QString comparedTitle(int index, const workflow::Recipe& before, const workflow::Recipe& after)
{
    for (const workflow::Recipe* recipe : {&after, &before}) {
        if (index >= 0 && index < static_cast<int>(recipe->compareWith.size()))
            return modelName(recipe->compareWith[static_cast<std::size_t>(index)].name);
    }
    return {};
}

QString words(const QString& key)
{
    static const std::vector<std::pair<const char*, const char*>> names = {
        {"task", QT_TRANSLATE_NOOP("RunComparison", "task")},
        {"objective", QT_TRANSLATE_NOOP("RunComparison", "objective")},
        {"target", QT_TRANSLATE_NOOP("RunComparison", "target")},
        {"success", QT_TRANSLATE_NOOP("RunComparison", "success criterion")},
        {"metric", QT_TRANSLATE_NOOP("RunComparison", "metric")},
        {"at_least", QT_TRANSLATE_NOOP("RunComparison", "at least")},
        {"threshold", QT_TRANSLATE_NOOP("RunComparison", "threshold")},
        {"max_latency_ms", QT_TRANSLATE_NOOP("RunComparison", "latency budget (ms)")},
        {"interpretability", QT_TRANSLATE_NOOP("RunComparison", "interpretability")},
        {"retraining", QT_TRANSLATE_NOOP("RunComparison", "retraining")},
        {"kind", QT_TRANSLATE_NOOP("RunComparison", "kind")},
        {"location", QT_TRANSLATE_NOOP("RunComparison", "source")},
        {"generator", QT_TRANSLATE_NOOP("RunComparison", "generator")},
        {"read", QT_TRANSLATE_NOOP("RunComparison", "read options")},
        {"drop_columns", QT_TRANSLATE_NOOP("RunComparison", "columns left out")},
        {"test_size", QT_TRANSLATE_NOOP("RunComparison", "test share")},
        {"validation_size", QT_TRANSLATE_NOOP("RunComparison", "validation share")},
        {"stratify", QT_TRANSLATE_NOOP("RunComparison", "stratified split")},
        {"time_column", QT_TRANSLATE_NOOP("RunComparison", "time column")},
        {"enabled", QT_TRANSLATE_NOOP("RunComparison", "enabled")},
        {"columns", QT_TRANSLATE_NOOP("RunComparison", "columns")},
        {"space", QT_TRANSLATE_NOOP("RunComparison", "values to try")},
        {"scoring", QT_TRANSLATE_NOOP("RunComparison", "scoring")},
    };
    for (const auto& [name, text] : names)
        if (key == QLatin1String(name))
            return tr(text);
    return key;
}

struct Labelled {
    QString label;
    ValueKind kind = ValueKind::Plain;
    bool whole = false;  // the field is a whole step or compared model: absent reads "added"/"removed"
};

// The rest of a step's or model's path after its index: "params.strategy" → "strategy".
void appendMemberLabel(Labelled& labelled, const std::vector<PathPart>& parts, std::size_t from)
{
    if (from >= parts.size()) {
        labelled.whole = true;
        return;
    }
    const QString& key = parts[from].key;
    if (key == QLatin1String("params") && from + 1 < parts.size()) {
        labelled.label += QStringLiteral(" · ") + parts[from + 1].key;
        labelled.kind = ValueKind::Parameter;
    } else if (key == QLatin1String("params")) {
        labelled.label += QStringLiteral(" · ") + tr("parameters");
        labelled.kind = ValueKind::Parameter;
    } else {
        labelled.label += QStringLiteral(" · ") + words(key);
        if (key == QLatin1String("kind"))
            labelled.kind = ValueKind::Step;
        else if (key == QLatin1String("name"))
            labelled.kind = ValueKind::Model;
    }
}

Labelled label(const std::vector<PathPart>& parts, const workflow::Recipe& before, const workflow::Recipe& after)
{
    Labelled labelled;
    if (parts.empty())
        return labelled;
    const QString& section = parts[0].key;
    auto joined = [](const QString& head, const QStringList& tail) {
        return (QStringList{head} + tail).join(QStringLiteral(" · "));
    };
    auto rest = [&](std::size_t from) {
        QStringList tail;
        for (std::size_t i = from; i < parts.size(); ++i)
            tail << words(parts[i].key);
        return tail;
    };
    if (section == QLatin1String("problem")) {
        labelled.label = joined(tr("Problem"), rest(1));
    } else if (section == QLatin1String("data")) {
        labelled.label = joined(tr("Data"), rest(1));
    } else if ((section == QLatin1String("prep") || section == QLatin1String("features")) && parts.size() > 1 &&
               parts[1].key == QLatin1String("steps")) {
        labelled.label = section == QLatin1String("prep") ? tr("Prep") : tr("Features");
        if (!parts[1].index) {
            labelled.label += QStringLiteral(" · ") + tr("steps");
            labelled.kind = ValueKind::Step;
            return labelled;
        }
        const int index = *parts[1].index;
        const QString title = stepTitle(section, index, before, after);
        labelled.label += QStringLiteral(" · ") + tr("step %1").arg(index + 1);
        if (!title.isEmpty())
            labelled.label += QStringLiteral(" ‘%1’").arg(title);
        labelled.kind = ValueKind::Step;
        appendMemberLabel(labelled, parts, 2);
    } else if (section == QLatin1String("prep")) {
        labelled.label = joined(tr("Prep"), rest(1));
    } else if (section == QLatin1String("features")) {
        labelled.label = joined(tr("Features"), rest(1));
    } else if (section == QLatin1String("model")) {
        labelled.label = tr("Model");
        labelled.kind = ValueKind::Model;
        if (parts.size() > 1 && parts[1].key != QLatin1String("name"))
            appendMemberLabel(labelled, parts, 1);
    } else if (section == QLatin1String("compare_with")) {
        labelled.kind = ValueKind::Model;
        if (!parts[0].index) {
            labelled.label = tr("Compared models");
            return labelled;
        }
        const int index = *parts[0].index;
        labelled.label = tr("Compared model %1").arg(index + 1);
        const QString title = comparedTitle(index, before, after);
        if (!title.isEmpty() && parts.size() > 1 && parts[1].key != QLatin1String("name"))
            labelled.label += QStringLiteral(" ‘%1’").arg(title);
        if (parts.size() > 1 && parts[1].key != QLatin1String("name"))
            appendMemberLabel(labelled, parts, 1);
        else if (parts.size() == 1)
            labelled.whole = true;
    } else if (section == QLatin1String("cross_validation")) {
        labelled.label = tr("Cross-validation");
        labelled.kind = ValueKind::CrossValidation;
    } else if (section == QLatin1String("search")) {
        labelled.label = joined(tr("Search"), rest(1));
    } else if (section == QLatin1String("seed")) {
        labelled.label = tr("Seed");
    } else {
        labelled.label = joined(section, rest(1));
    }
    return labelled;
}

int sectionRank(const std::string& field)
{
    static const std::vector<std::string> order = {"problem",      "data",           "prep",   "features", "model",
                                                   "compare_with", "cross_validation", "search", "seed"};
    const std::string section = field.substr(0, field.find_first_of(".["));
    const auto it = std::find(order.begin(), order.end(), section);
    return static_cast<int>(it - order.begin());
}

} // namespace

QString recipeChangeText(const io::FieldChange& change, const workflow::Recipe& before, const workflow::Recipe& after)
{
    const Labelled labelled = label(parsePath(change.field), before, after);
    const auto from = parseValue(change.before);
    const auto to = parseValue(change.after);
    if (labelled.whole && !from && to)
        return tr("%1: added (%2)").arg(labelled.label, valueText(*to, labelled.kind));
    if (labelled.whole && from && !to)
        return tr("%1: removed (%2)").arg(labelled.label, valueText(*from, labelled.kind));
    // An absent hyper-parameter or step option is the default, not "nothing".
    const QString absent = labelled.kind == ValueKind::Parameter ? tr("default") : tr("none");
    return tr("%1: %2 → %3")
        .arg(labelled.label, from ? valueText(*from, labelled.kind) : absent, to ? valueText(*to, labelled.kind) : absent);
}

QStringList recipeChangeLines(const workflow::Recipe& before, const workflow::Recipe& after)
{
    std::vector<io::FieldChange> changes = io::recipeDiff(before, after);
    std::stable_sort(changes.begin(), changes.end(), [](const io::FieldChange& a, const io::FieldChange& b) {
        return sectionRank(a.field) < sectionRank(b.field);
    });
    QStringList lines;
    for (const io::FieldChange& change : changes)
        lines << recipeChangeText(change, before, after);
    return lines;
}

std::string mainMetricName(const workflow::Recipe& recipe)
{
    if (recipe.problem.success && !recipe.problem.success->metric.empty())
        return recipe.problem.success->metric;
    return recipe.problem.task == core::TaskType::Regression ? "r2" : "accuracy";
}

std::optional<double> runMetric(const io::RunRecord& run, const std::string& metric)
{
    for (const workflow::NamedScore& score : run.metrics)
        if (score.metric == metric)
            return score.value;
    return std::nullopt;
}

MetricDirection metricDirection(const workflow::Recipe& recipe, const std::string& metric)
{
    if (metric == "cv_std")
        return MetricDirection::Neutral;
    const std::string name = metric == "cv_mean" || metric == "validation_score" ? mainMetricName(recipe) : metric;
    const core::TaskType other = recipe.problem.task == core::TaskType::Regression ? core::TaskType::Classification
                                                                                  : core::TaskType::Regression;
    for (core::TaskType task : {recipe.problem.task, other})
        for (const evaluation::MetricInfo& info : evaluation::metricsFor(task))
            if (info.name == name)
                return info.higherIsBetter ? MetricDirection::HigherIsBetter : MetricDirection::LowerIsBetter;
    return MetricDirection::Neutral;
}

QString metricLabel(const workflow::Recipe& recipe, const std::string& metric)
{
    const core::TaskType task = recipe.problem.task;
    if (metric == "cv_mean")
        return tr("Cross-validation mean (%1)").arg(metricDisplayName(task, mainMetricName(recipe)));
    if (metric == "cv_std")
        return tr("Cross-validation spread (std)");
    if (metric == "validation_score")
        return tr("Validation rows (%1)").arg(metricDisplayName(task, mainMetricName(recipe)));
    return metricDisplayName(task, metric);
}

MetricMove metricMove(std::optional<double> before, std::optional<double> after, MetricDirection direction)
{
    if (!before || !after || !std::isfinite(*before) || !std::isfinite(*after))
        return MetricMove::Unknown;
    if (*before == *after)
        return MetricMove::Same;
    if (direction == MetricDirection::Neutral)
        return MetricMove::Unknown;
    const bool up = *after > *before;
    return up == (direction == MetricDirection::HigherIsBetter) ? MetricMove::Better : MetricMove::Worse;
}

QColor metricMoveColor(MetricMove move)
{
    switch (move) {
    case MetricMove::Better:
        return QColor(0x2e, 0x7d, 0x32);
    case MetricMove::Worse:
        return QColor(0xc6, 0x28, 0x28);
    case MetricMove::Same:
    case MetricMove::Unknown:
        break;
    }
    return {};
}

} // namespace stepwise::ui
