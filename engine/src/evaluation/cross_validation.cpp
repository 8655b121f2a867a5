#include "stepwise/evaluation/cross_validation.hpp"

#include <algorithm>
#include <charconv>
#include <map>
#include <numeric>

#include "stepwise/core/errors.hpp"

namespace stepwise::evaluation {
namespace {

constexpr int kMaxFolds = 1000;

const char* kAllowed = "use kfold:K, stratified:K, loo, timeseries:K or timeseries:K:GAP with K in [2, 1000], "
                       "e.g. stratified:5";

int parseCount(const std::string& text, const std::string& whole, int low, int high)
{
    int value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc() || end != text.data() + text.size() || value < low || value > high)
        throw core::InvalidParameter("--cv '" + whole + "' is not allowed — " + kAllowed);
    return value;
}

Fold foldFromTestMask(const std::vector<char>& inTest)
{
    Fold fold;
    for (std::size_t row = 0; row < inTest.size(); ++row)
        (inTest[row] ? fold.test : fold.train).push_back(row);
    return fold;
}

// scikit-learn's StratifiedKFold(shuffle=False): classes are numbered by first
// appearance; the class-sorted labels are dealt round-robin to the folds to decide how
// many rows of each class a fold gets; each class's rows, in row order, fill the folds in
// fold order.
std::vector<int> stratifiedFoldOfRow(std::size_t k, const std::vector<int>& classes)
{
    std::map<int, int> encodedOf;
    std::vector<int> encoded(classes.size());
    for (std::size_t row = 0; row < classes.size(); ++row) {
        const auto [it, inserted] = encodedOf.try_emplace(classes[row], static_cast<int>(encodedOf.size()));
        encoded[row] = it->second;
    }
    const std::size_t classCount = encodedOf.size();
    std::vector<std::size_t> counts(classCount, 0);
    for (int c : encoded)
        ++counts[static_cast<std::size_t>(c)];
    for (const auto& [label, c] : encodedOf)
        if (counts[static_cast<std::size_t>(c)] < k)
            throw core::DataError("class " + std::to_string(label) + " has only " +
                                  std::to_string(counts[static_cast<std::size_t>(c)]) + " rows, fewer than the " +
                                  std::to_string(k) +
                                  " folds — some folds would not contain it; use fewer folds or kfold");
    std::vector<int> order = encoded;
    std::sort(order.begin(), order.end());
    std::vector<std::vector<std::size_t>> allocation(k, std::vector<std::size_t>(classCount, 0));
    for (std::size_t i = 0; i < order.size(); ++i)
        ++allocation[i % k][static_cast<std::size_t>(order[i])];
    std::vector<int> foldOfRow(classes.size(), 0);
    for (std::size_t c = 0; c < classCount; ++c) {
        std::size_t fold = 0, used = 0;
        for (std::size_t row = 0; row < classes.size(); ++row) {
            if (static_cast<std::size_t>(encoded[row]) != c)
                continue;
            while (used == allocation[fold][c]) {
                ++fold;
                used = 0;
            }
            foldOfRow[row] = static_cast<int>(fold);
            ++used;
        }
    }
    return foldOfRow;
}

} // namespace

CvSpec parseCvSpec(const std::string& text)
{
    CvSpec spec;
    const auto colon = text.find(':');
    const std::string name = text.substr(0, colon);
    const std::string rest = colon == std::string::npos ? std::string() : text.substr(colon + 1);
    if (name == "loo" && rest.empty()) {
        spec.strategy = CvStrategy::LeaveOneOut;
        spec.folds = 0;
        return spec;
    }
    if (name == "kfold")
        spec.strategy = CvStrategy::KFold;
    else if (name == "stratified")
        spec.strategy = CvStrategy::StratifiedKFold;
    else if (name == "timeseries")
        spec.strategy = CvStrategy::TimeSeries;
    else
        throw core::InvalidParameter("--cv '" + text + "' is not allowed — " + kAllowed);
    const auto second = rest.find(':');
    if (rest.empty())
        throw core::InvalidParameter("--cv '" + text + "' is not allowed — " + kAllowed);
    spec.folds = parseCount(rest.substr(0, second), text, 2, kMaxFolds);
    if (second != std::string::npos) {
        if (spec.strategy != CvStrategy::TimeSeries)
            throw core::InvalidParameter("--cv '" + text + "' is not allowed — " + kAllowed);
        spec.gap = parseCount(rest.substr(second + 1), text, 0, 1'000'000'000);
    }
    return spec;
}

std::string toString(const CvSpec& spec)
{
    switch (spec.strategy) {
    case CvStrategy::KFold:
        return "kfold:" + std::to_string(spec.folds);
    case CvStrategy::StratifiedKFold:
        return "stratified:" + std::to_string(spec.folds);
    case CvStrategy::LeaveOneOut:
        return "loo";
    case CvStrategy::TimeSeries: {
        std::string text = "timeseries:";
        text.append(std::to_string(spec.folds));
        if (spec.gap > 0)
            text.append(":").append(std::to_string(spec.gap));
        return text;
    }
    }
    return "kfold:5";
}

std::vector<Fold> makeFolds(const CvSpec& spec, std::size_t rows, const std::vector<int>* classes)
{
    const std::size_t k = spec.strategy == CvStrategy::LeaveOneOut ? rows : static_cast<std::size_t>(spec.folds);
    if (spec.strategy != CvStrategy::LeaveOneOut && (spec.folds < 2 || spec.folds > kMaxFolds))
        throw core::InvalidParameter("cross-validation with " + std::to_string(spec.folds) +
                                     " folds is not allowed — use between 2 and 1000");
    const std::size_t needed = spec.strategy == CvStrategy::TimeSeries ? k + 1 : std::max<std::size_t>(k, 2);
    if (rows < needed)
        throw core::InvalidParameter(toString(spec) + " needs at least " + std::to_string(needed) +
                                     " training rows, but there are " + std::to_string(rows) +
                                     " — use fewer folds or more data");
    std::vector<Fold> folds;
    switch (spec.strategy) {
    case CvStrategy::KFold:
    case CvStrategy::LeaveOneOut: {
        // The first rows % k folds get one row more, as numpy.array_split deals them.
        std::size_t start = 0;
        for (std::size_t fold = 0; fold < k; ++fold) {
            const std::size_t size = rows / k + (fold < rows % k ? 1 : 0);
            std::vector<char> inTest(rows, 0);
            std::fill(inTest.begin() + static_cast<std::ptrdiff_t>(start),
                      inTest.begin() + static_cast<std::ptrdiff_t>(start + size), 1);
            folds.push_back(foldFromTestMask(inTest));
            start += size;
        }
        break;
    }
    case CvStrategy::StratifiedKFold: {
        if (!classes || classes->size() != rows)
            throw core::InvalidParameter("stratified cross-validation needs one class per row — use kfold for "
                                         "regression");
        const std::vector<int> foldOfRow = stratifiedFoldOfRow(k, *classes);
        for (std::size_t fold = 0; fold < k; ++fold) {
            std::vector<char> inTest(rows, 0);
            for (std::size_t row = 0; row < rows; ++row)
                inTest[row] = foldOfRow[row] == static_cast<int>(fold);
            folds.push_back(foldFromTestMask(inTest));
        }
        break;
    }
    case CvStrategy::TimeSeries: {
        const std::size_t testSize = rows / (k + 1);
        const std::size_t gap = static_cast<std::size_t>(spec.gap);
        for (std::size_t fold = 0; fold < k; ++fold) {
            const std::size_t testStart = rows - k * testSize + fold * testSize;
            if (testStart <= gap)
                throw core::InvalidParameter(toString(spec) + ": the gap of " + std::to_string(gap) +
                                             " rows leaves no training rows for the first fold — lower the gap");
            Fold f;
            for (std::size_t row = 0; row < testStart - gap; ++row)
                f.train.push_back(row);
            for (std::size_t row = testStart; row < testStart + testSize; ++row)
                f.test.push_back(row);
            folds.push_back(std::move(f));
        }
        break;
    }
    }
    return folds;
}

} // namespace stepwise::evaluation
