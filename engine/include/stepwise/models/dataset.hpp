#pragma once
/// \file
/// \brief The numeric matrix a model trains on, after all transformers have run.

#include <cstdint>
#include <string>
#include <vector>

#include <Eigen/Core>

namespace stepwise::models {

/// \brief The most classes a classifier takes. Every classifier's output is a rows ×
/// classes probability table and the evaluation a classes × classes confusion matrix; at
/// 10,000 classes over 20,000 rows those are 1.6 GB and 0.8 GB, and the one-vs-rest and
/// per-class-tree models would fit 10,000 models. Above it fitting throws `DataError`.
inline constexpr int kMaxClassCount = 1000;

/// \brief Features and target of the training rows, fully numeric and without
/// missing values. For classification `y` holds class indices 0..classCount-1.
struct Dataset {
    Eigen::MatrixXd x;                      ///< rows × features (column-major)
    Eigen::VectorXd y;                      ///< class index, or the regression target
    std::vector<std::string> featureNames;  ///< one per column of `x`
    int classCount = 0;                     ///< number of classes; 0 for regression
    /// \brief Optional class labels by index, used only in error messages; empty means
    /// the messages show class indices.
    std::vector<std::string> classNames;
    /// \brief The recipe's seed, for models that draw random numbers (bootstrap samples,
    /// feature subsets). Same seed ⇒ same model, whatever the thread count.
    std::uint64_t seed = 0;
    /// \brief Rows the live snapshots are measured on while the model trains (the
    /// validation rows, transformed like `x`; `monitorY` as `y`). Never used to fit or to
    /// stop early. Empty: models measure on their own rows (out-of-bag or training rows).
    Eigen::MatrixXd monitorX;
    Eigen::VectorXd monitorY;  ///< targets of the monitor rows
};

} // namespace stepwise::models
