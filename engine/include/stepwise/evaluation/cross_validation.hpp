#pragma once
/// \file
/// \brief Cross-validation folds, assigned exactly as scikit-learn's KFold,
/// StratifiedKFold (both without shuffling, scikit-learn's default), LeaveOneOut and
/// TimeSeriesSplit assign them, so a fold score can be checked against scikit-learn's.

#include <cstddef>
#include <string>
#include <vector>

namespace stepwise::evaluation {

/// \brief How rows are divided into folds.
enum class CvStrategy {
    KFold,            ///< consecutive blocks of rows
    StratifiedKFold,  ///< each fold keeps the class shares (classification)
    LeaveOneOut,      ///< every row is a fold of its own
    TimeSeries,       ///< expanding window: train on the past, test on the next block
};

/// \brief The cross-validation of a recipe.
struct CvSpec {
    CvStrategy strategy = CvStrategy::StratifiedKFold;
    int folds = 5;  ///< k (ignored by LeaveOneOut)
    int gap = 0;    ///< TimeSeries: rows left out between the training window and the test block
    bool operator==(const CvSpec&) const = default;
};

/// \brief Parses the CLI spelling: `kfold:K`, `stratified:K`, `loo`, `timeseries:K` or
/// `timeseries:K:GAP`; throws `InvalidParameter` naming what is allowed (K in [2, 1000]).
CvSpec parseCvSpec(const std::string& text);
/// \brief The CLI spelling of `spec`, e.g. "stratified:5".
std::string toString(const CvSpec& spec);

/// \brief One fold: positions (0..rows-1) of its training and test rows, ascending.
struct Fold {
    std::vector<std::size_t> train;
    std::vector<std::size_t> test;
};

/// \brief The folds of `rows` rows. `classes` (one label per row) is required for
/// StratifiedKFold. Throws `InvalidParameter` when there are fewer rows than folds, and
/// `DataError` when a class has fewer rows than folds for StratifiedKFold (scikit-learn
/// only warns; a fold without a class cannot be scored honestly).
std::vector<Fold> makeFolds(const CvSpec& spec, std::size_t rows, const std::vector<int>* classes = nullptr);

} // namespace stepwise::evaluation
