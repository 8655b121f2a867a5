#include "stepwise/prep/split.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>

#include "stepwise/core/errors.hpp"
#include "stepwise/core/random.hpp"
#include "stepwise/data/column.hpp"

namespace stepwise::prep {
namespace {

/// Test rows per class: exact proportional shares, rounded by largest remainder so they
/// add up to `testTotal`, then nudged so every class keeps a row on each side.
std::vector<std::size_t> allocateTestRows(const std::vector<std::size_t>& classRows, std::size_t rows,
                                          std::size_t testTotal)
{
    const std::size_t classes = classRows.size();
    std::vector<double> exact(classes);
    std::vector<std::size_t> quota(classes);
    std::size_t assigned = 0;
    for (std::size_t c = 0; c < classes; ++c) {
        exact[c] = static_cast<double>(testTotal) * static_cast<double>(classRows[c]) / static_cast<double>(rows);
        quota[c] = static_cast<std::size_t>(std::floor(exact[c]));
        assigned += quota[c];
    }
    std::vector<std::size_t> order(classes);
    std::iota(order.begin(), order.end(), std::size_t{0});
    // Ties go to the bigger class, then to the lower class index, so the result does
    // not depend on anything but the counts.
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        const double ra = exact[a] - std::floor(exact[a]);
        const double rb = exact[b] - std::floor(exact[b]);
        if (ra != rb)
            return ra > rb;
        return classRows[a] > classRows[b];
    });
    for (std::size_t i = 0; assigned < testTotal && i < classes; ++i, ++assigned)
        ++quota[order[i]];

    // A class with at least 2 rows should be represented on both sides. Moving a row
    // between classes keeps the total; the donor is the class whose rounding gave it the
    // most surplus (or deficit), so every share stays as close to exact as it can.
    const auto surplus = [&](std::size_t c) { return static_cast<double>(quota[c]) - exact[c]; };
    for (std::size_t c = 0; c < classes; ++c) {
        if (quota[c] == 0) {
            std::size_t donor = classes;
            for (std::size_t d = 0; d < classes; ++d)
                if (d != c && quota[d] >= 2 && (donor == classes || surplus(d) > surplus(donor)))
                    donor = d;
            if (donor == classes)
                continue;
            --quota[donor];
            ++quota[c];
        } else if (quota[c] == classRows[c]) {
            std::size_t receiver = classes;
            for (std::size_t d = 0; d < classes; ++d)
                if (d != c && quota[d] + 2 <= classRows[d] &&
                    (receiver == classes || surplus(d) < surplus(receiver)))
                    receiver = d;
            if (receiver == classes)
                continue;
            ++quota[receiver];
            --quota[c];
        }
    }
    return quota;
}

std::string describeTestSize(double testSize)
{
    std::string text = "test_size = ";
    text.append(std::isnan(testSize) ? std::string("NaN") : data::formatNumber(testSize));
    return text;
}

} // namespace

namespace {

/// ceil(testSize·rows), after checking that both sides get rows.
std::size_t testRowCount(std::size_t rows, double testSize)
{
    if (!(testSize > 0.0 && testSize < 1.0)) {
        std::string message = describeTestSize(testSize);
        message.append(" is outside the allowed range (0, 1) — give the test share as a fraction, e.g. 0.2");
        throw core::InvalidParameter(message);
    }
    const auto testRows = static_cast<std::size_t>(std::ceil(testSize * static_cast<double>(rows)));
    if (testRows >= rows || rows == 0) {
        std::string message = describeTestSize(testSize);
        message.append(" with ");
        message.append(std::to_string(rows));
        message.append(" rows leaves the training side empty — lower test_size (allowed range (0, 1)) or use more rows");
        throw core::InvalidParameter(message);
    }
    return testRows;
}

} // namespace

SplitIndices timeOrderedSplit(const std::vector<double>& times, double testSize)
{
    const std::size_t rows = times.size();
    const std::size_t testRows = testRowCount(rows, testSize);
    for (std::size_t row = 0; row < rows; ++row)
        if (std::isnan(times[row])) {
            std::string message = "row ";
            message.append(std::to_string(row));
            message.append(" has no time; a time-ordered split needs a time in every row — fill or drop those rows, "
                           "or split at random");
            throw core::DataError(message);
        }
    std::vector<std::size_t> order(rows);
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return times[a] < times[b]; });
    SplitIndices result;
    result.train.assign(order.begin(), order.end() - static_cast<std::ptrdiff_t>(testRows));
    result.test.assign(order.end() - static_cast<std::ptrdiff_t>(testRows), order.end());
    std::sort(result.train.begin(), result.train.end());
    std::sort(result.test.begin(), result.test.end());
    return result;
}

SplitIndices trainTestSplit(std::size_t rows, double testSize, std::uint64_t seed, const std::vector<int>* strata)
{
    const std::size_t testRows = testRowCount(rows, testSize);
    if (strata && strata->size() != rows) {
        std::string message = "strata has ";
        message.append(std::to_string(strata->size()));
        message.append(" class labels for ");
        message.append(std::to_string(rows));
        message.append(" rows — give one class per row");
        throw core::InvalidParameter(message);
    }

    // One shuffle decides everything: without strata the first testRows rows of the
    // permutation are the test side; with strata each class takes its first rows.
    std::vector<std::size_t> permutation(rows);
    std::iota(permutation.begin(), permutation.end(), std::size_t{0});
    core::RandomSource random(seed);
    random.shuffle(permutation);

    SplitIndices result;
    result.test.reserve(testRows);
    result.train.reserve(rows - testRows);
    if (!strata) {
        result.test.assign(permutation.begin(), permutation.begin() + static_cast<std::ptrdiff_t>(testRows));
        result.train.assign(permutation.begin() + static_cast<std::ptrdiff_t>(testRows), permutation.end());
    } else {
        std::map<int, std::size_t> slotOf;
        for (int label : *strata)
            slotOf.emplace(label, 0);
        std::size_t slot = 0;
        for (auto& entry : slotOf)
            entry.second = slot++;
        std::vector<std::size_t> classRows(slotOf.size(), 0);
        for (int label : *strata)
            ++classRows[slotOf[label]];
        for (const auto& [label, index] : slotOf)
            if (classRows[index] < 2) {
                std::string message = "class ";
                message.append(std::to_string(label));
                message.append(" has only 1 row; a stratified split needs at least 2 rows per class — "
                               "turn stratification off or collect more rows");
                throw core::DataError(message);
            }
        std::vector<std::size_t> quota = allocateTestRows(classRows, rows, testRows);
        for (std::size_t row : permutation) {
            std::size_t& left = quota[slotOf[(*strata)[row]]];
            if (left > 0) {
                --left;
                result.test.push_back(row);
            } else {
                result.train.push_back(row);
            }
        }
    }
    std::sort(result.train.begin(), result.train.end());
    std::sort(result.test.begin(), result.test.end());
    return result;
}

} // namespace stepwise::prep
