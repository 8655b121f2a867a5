#pragma once
/// \file
/// \brief Train/test splitting, stratified by class when asked.

#include <cstddef>
#include <cstdint>
#include <vector>

namespace stepwise::prep {

/// \brief Row indices of each side, ascending.
struct SplitIndices {
    std::vector<std::size_t> train;
    std::vector<std::size_t> test;
};

/// \brief Splits `rows` rows at random: ceil(testSize·rows) rows go to test (as in
/// scikit-learn's `train_test_split`). With `strata` (one class index per row) each
/// class is split in proportion, so both sides keep the class balance. Same seed ⇒
/// same split. Throws `InvalidParameter` for testSize outside (0, 1) or a side that
/// would be empty, and `DataError` when stratifying a class with fewer than 2 rows.
SplitIndices trainTestSplit(std::size_t rows, double testSize, std::uint64_t seed,
                            const std::vector<int>* strata = nullptr);

/// \brief Splits rows by time: the ceil(testSize·rows) rows with the latest `times` go to
/// test, the earlier ones to train, so the model is tested on the future it would face
/// (ties keep row order). Throws like `trainTestSplit` for a bad testSize, and
/// `DataError` for a NaN time naming the row.
SplitIndices timeOrderedSplit(const std::vector<double>& times, double testSize);

} // namespace stepwise::prep
