// Class balancing of the training rows as imbalanced-learn 0.10 does it with
// sampling_strategy="auto": RandomOverSampler, RandomUnderSampler and SMOTE. The
// sampler runs last, on the model's numeric matrix, as imbalanced-learn's Pipeline puts
// samplers just before the estimator; evaluation and prediction rows never pass it.

#include <algorithm>
#include <cmath>

#include <Eigen/Core>

#include "prep/fitted_columns.hpp"
#include "prep/nearest_neighbours.hpp"
#include "prep/step_kinds.hpp"
#include "stepwise/core/errors.hpp"
#include "stepwise/core/random.hpp"

namespace stepwise::prep {
namespace {

using core::ParamKind;

enum class ResampleMethod { Over, Under, Smote };

// Progress is reported every this many generated rows (or values copied).
constexpr std::size_t kRowsBetweenReports = 1 << 16;

std::string number(std::size_t value) { return std::to_string(value); }

// Samplers see class indices only: index c is the c-th class label in sorted order.
std::string className(std::size_t index)
{
    std::string text = "class ";
    text.append(number(index));
    text.append(" (counting the sorted class labels from 0)");
    return text;
}

// Training rows by class index, and which classes a strategy tops up or cuts.
struct ClassRows {
    std::vector<std::vector<std::size_t>> rows;  // per class index; empty for absent classes
    std::size_t present = 0;                     // classes with at least one row
    int majority = -1;                           // the lowest index among the largest classes
    int minority = -1;                           // the lowest index among the smallest present classes
};

ClassRows groupByClass(const TrainingTarget& target)
{
    if (target.task != core::TaskType::Classification)
        throw core::DataError("resampling balances the classes of a classification target, but this problem is "
                              "regression — remove the resample step (or use a classification target)");
    ClassRows groups;
    groups.rows.resize(static_cast<std::size_t>(std::max(target.classCount, 0)));
    for (std::size_t row = 0; row < target.values.size(); ++row) {
        const double value = target.values[row];
        if (!(value >= 0.0) || value >= static_cast<double>(target.classCount) || value != std::floor(value))
            throw core::DataError("training row " + number(row + 1) +
                                  " has no valid class for resampling — give every training row a class");
        groups.rows[static_cast<std::size_t>(value)].push_back(row);
    }
    for (std::size_t c = 0; c < groups.rows.size(); ++c) {
        const std::size_t size = groups.rows[c].size();
        if (size == 0)
            continue;
        ++groups.present;
        if (groups.majority < 0 || size > groups.rows[static_cast<std::size_t>(groups.majority)].size())
            groups.majority = static_cast<int>(c);
        if (groups.minority < 0 || size < groups.rows[static_cast<std::size_t>(groups.minority)].size())
            groups.minority = static_cast<int>(c);
    }
    if (groups.present == 0)
        throw core::DataError("there are no training rows to balance — check the earlier steps and the split");
    if (groups.present < 2)
        throw core::DataError("the training rows hold only one class — there is nothing to balance; remove the "
                              "resample step or check the target and the split");
    return groups;
}

// Rows drawn with replacement from each class but the majority, up to the majority's size.
LabelledRows oversample(LabelledRows rows, const ClassRows& groups, core::RandomSource& random,
                        core::TaskControl& control)
{
    const std::size_t target = groups.rows[static_cast<std::size_t>(groups.majority)].size();
    std::vector<std::size_t> picked(rows.table.rowCount());
    for (std::size_t row = 0; row < picked.size(); ++row)
        picked[row] = row;
    for (std::size_t c = 0; c < groups.rows.size(); ++c) {
        const std::vector<std::size_t>& members = groups.rows[c];
        if (members.empty() || static_cast<int>(c) == groups.majority)
            continue;
        for (std::size_t added = members.size(); added < target; ++added) {
            const std::size_t row = members[random.below(members.size())];
            picked.push_back(row);
            rows.target.values.push_back(static_cast<double>(c));
        }
    }
    control.progress(0.5);
    rows.table = rows.table.selectRows(picked);
    return rows;
}

// Each class but the minority cut to the minority's size, without replacement; the kept
// rows stay in their original order.
LabelledRows undersample(LabelledRows rows, const ClassRows& groups, core::RandomSource& random,
                         core::TaskControl& control)
{
    const std::size_t target = groups.rows[static_cast<std::size_t>(groups.minority)].size();
    std::vector<std::size_t> kept;
    kept.reserve(target * groups.present);
    for (std::size_t c = 0; c < groups.rows.size(); ++c) {
        std::vector<std::size_t> members = groups.rows[c];
        if (static_cast<int>(c) != groups.minority) {
            // A partial Fisher–Yates shuffle: the first `target` entries are a uniform
            // sample without replacement.
            for (std::size_t i = 0; i < std::min(target, members.size()); ++i)
                std::swap(members[i], members[i + random.below(members.size() - i)]);
            members.resize(std::min(target, members.size()));
        }
        kept.insert(kept.end(), members.begin(), members.end());
    }
    std::sort(kept.begin(), kept.end());
    control.progress(0.5);
    std::vector<double> targets;
    targets.reserve(kept.size());
    for (std::size_t row : kept)
        targets.push_back(rows.target.values[row]);
    rows.table = rows.table.selectRows(kept);
    rows.target.values = std::move(targets);
    return rows;
}

// SMOTE needs every column as finite numbers; says which step to add when not.
void requireSmoteInput(const data::Table& table)
{
    if (table.columnCount() == 0)
        throw core::DataError("no columns are left when SMOTE runs — it makes rows from the feature values; keep "
                              "at least one column, or use method=over or method=under");
    for (const data::Column& column : table.columns()) {
        if (!column.isNumeric())
            throw core::DataError("column '" + column.name() +
                                  "' is still categorical when SMOTE runs — SMOTE interpolates numbers; add an "
                                  "'Encode categories' step for it, or use method=over or method=under");
        for (std::size_t row = 0; row < column.size(); ++row) {
            const double value = column.values()[row];
            if (!std::isfinite(value))
                throw core::DataError("column '" + column.name() + "' has " +
                                      (std::isnan(value) ? std::string("a missing value") : std::string("an infinite value")) +
                                      " in training row " + number(row + 1) +
                                      " — SMOTE needs complete numbers; add a 'Fill missing values' step before it");
        }
    }
}

// scikit-learn's SMOTE._make_samples: for each new row, a random row x of the class, one
// of its k nearest same-class neighbours n at random, and x + u·(n − x) with u in [0, 1).
LabelledRows smote(LabelledRows rows, const ClassRows& groups, int k, core::RandomSource& random,
                   core::TaskControl& control)
{
    requireSmoteInput(rows.table);
    const std::size_t target = groups.rows[static_cast<std::size_t>(groups.majority)].size();
    const auto needed = static_cast<std::size_t>(k) + 1;
    for (std::size_t c = 0; c < groups.rows.size(); ++c) {
        const std::size_t size = groups.rows[c].size();
        if (size == 0 || size >= target || size >= needed)
            continue;
        if (size == 1)
            throw core::DataError(className(c) + " has only 1 training row — SMOTE needs a second row of the class "
                                  "to interpolate towards; use method=over");
        throw core::DataError(className(c) + " has only " + number(size) + " training rows, but SMOTE with "
                              "k_neighbors=" + number(static_cast<std::size_t>(k)) + " needs at least " +
                              number(needed) + " — lower k_neighbors to " + number(size - 1) +
                              " or less, or use method=over");
    }

    const std::size_t features = rows.table.columnCount();
    std::vector<std::vector<double>> columns(features);
    for (std::size_t j = 0; j < features; ++j)
        columns[j] = rows.table.column(j).values();
    std::size_t totalNew = 0;
    for (const auto& members : groups.rows)
        if (!members.empty())
            totalNew += target - members.size();
    for (auto& column : columns)
        column.reserve(column.size() + totalNew);
    rows.target.values.reserve(rows.target.values.size() + totalNew);

    // Neighbour searches take nearly all the time: share the progress by their cost.
    double totalCost = 0.0;
    for (const auto& members : groups.rows)
        if (members.size() < target)
            totalCost += static_cast<double>(members.size()) * static_cast<double>(members.size());
    double doneCost = 0.0;
    for (std::size_t c = 0; c < groups.rows.size(); ++c) {
        const std::vector<std::size_t>& members = groups.rows[c];
        if (members.empty() || members.size() >= target)
            continue;
        const double cost = static_cast<double>(members.size()) * static_cast<double>(members.size());
        core::TaskControl classControl = control.subRange(doneCost / totalCost, (doneCost + cost) / totalCost);
        doneCost += cost;
        classControl.progress(0.0, "SMOTE: neighbours in class " + number(c));

        const auto size = static_cast<Eigen::Index>(members.size());
        Eigen::MatrixXd x(size, static_cast<Eigen::Index>(features));
        for (std::size_t j = 0; j < features; ++j)
            for (Eigen::Index i = 0; i < size; ++i)
                x(i, static_cast<Eigen::Index>(j)) = columns[j][members[static_cast<std::size_t>(i)]];
        core::TaskControl searchControl = classControl.subRange(0.0, 0.9);
        const std::vector<std::uint32_t> neighbours = nearestNeighbours(x, k, searchControl);

        const std::size_t count = target - members.size();
        const std::size_t choices = members.size() * static_cast<std::size_t>(k);
        for (std::size_t s = 0; s < count; ++s) {
            if (s % kRowsBetweenReports == 0)
                classControl.progress(0.9 + 0.1 * static_cast<double>(s) / static_cast<double>(count));
            const std::size_t pick = random.below(choices);
            const auto base = static_cast<Eigen::Index>(pick / static_cast<std::size_t>(k));
            const auto other = static_cast<Eigen::Index>(neighbours[pick]);
            const double step = random.uniform();
            for (std::size_t j = 0; j < features; ++j) {
                const double from = x(base, static_cast<Eigen::Index>(j));
                columns[j].push_back(from + step * (x(other, static_cast<Eigen::Index>(j)) - from));
            }
            rows.target.values.push_back(static_cast<double>(c));
        }
    }

    data::Table table;
    for (std::size_t j = 0; j < features; ++j) {
        const data::Column& original = rows.table.column(j);
        // Interpolated counts and flags are no longer whole numbers; dates stay dates.
        const data::ColumnKind kind =
            original.kind() == data::ColumnKind::Datetime ? data::ColumnKind::Datetime : data::ColumnKind::Numeric;
        table.addColumn(data::Column::numeric(original.name(), std::move(columns[j]), kind));
    }
    rows.table = std::move(table);
    return rows;
}

class ClassResampler final : public Sampler {
public:
    ClassResampler(ResampleMethod method, int neighbours) : m_method(method), m_neighbours(neighbours) {}

    std::string describe() const override
    {
        switch (m_method) {
        case ResampleMethod::Over:
            return "random oversampling of the smaller classes to the size of the largest";
        case ResampleMethod::Under:
            return "random undersampling of the larger classes to the size of the smallest";
        case ResampleMethod::Smote:
            break;
        }
        return "SMOTE: synthetic rows for the smaller classes up to the size of the largest (" +
               countOf(static_cast<std::size_t>(m_neighbours), "nearest neighbour") + ")";
    }

    LabelledRows apply(LabelledRows rows, std::uint64_t seed, core::TaskControl& control) const override
    {
        if (rows.target.values.size() != rows.table.rowCount())
            throw core::DataError("the training rows and their target differ in length (" +
                                  number(rows.table.rowCount()) + " vs " + number(rows.target.values.size()) +
                                  ") — the steps before resampling must keep the target in step");
        control.progress(0.0, "balancing the classes");
        const ClassRows groups = groupByClass(rows.target);
        core::RandomSource random(seed);
        LabelledRows result;
        switch (m_method) {
        case ResampleMethod::Over:
            result = oversample(std::move(rows), groups, random, control);
            break;
        case ResampleMethod::Under:
            result = undersample(std::move(rows), groups, random, control);
            break;
        case ResampleMethod::Smote:
            result = smote(std::move(rows), groups, m_neighbours, random, control);
            break;
        }
        control.progress(1.0);
        return result;
    }

    bool runsLast() const override { return true; }

private:
    ResampleMethod m_method;
    int m_neighbours;
};

} // namespace

std::vector<StepInfo> samplingStepKinds()
{
    StepInfo resample;
    resample.kind = "resample";
    resample.displayName = "Balance the classes";
    resample.description =
        "Evens out the class counts of the training rows only, after every other step (imbalanced-learn): copies "
        "of rows of the smaller classes, fewer rows of the larger ones, or synthetic rows between neighbours "
        "(SMOTE). Test and validation rows keep their real class balance.";
    resample.stage = StepStage::Prep;
    resample.phase = StepPhase::TrainingOnly;
    resample.scope = ColumnScope::None;
    resample.params = {
        {"method", ParamKind::Choice, "over", 0, 0, false, {"over", "under", "smote"},
         "over repeats random rows of the smaller classes (RandomOverSampler), under drops random rows of the "
         "larger ones (RandomUnderSampler; loses data), smote adds new rows on the lines between a row and its "
         "nearest neighbours of the same class (needs numbers only)."},
        {"k_neighbors", ParamKind::Integer, "5", 1, 100, false, {},
         "SMOTE only: how many nearest same-class neighbours a synthetic row may be drawn towards; lower it for "
         "classes with very few rows."},
    };
    resample.makeSampler = [](const std::vector<std::string>&, const core::ParamValues& params) {
        const std::string& method = params.text("method");
        const ResampleMethod chosen = method == "under"   ? ResampleMethod::Under
                                      : method == "smote" ? ResampleMethod::Smote
                                                          : ResampleMethod::Over;
        return std::make_unique<ClassResampler>(chosen, static_cast<int>(params.integer("k_neighbors")));
    };
    return {resample};
}

} // namespace stepwise::prep
