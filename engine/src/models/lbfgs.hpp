#pragma once
// Limited-memory BFGS for smooth unconstrained problems, following SciPy's L-BFGS-B
// (Byrd, Lu, Nocedal & Zhu; version 3.0) without bounds: the same first step, the same
// Moré–Thuente line search (MINPACK-2 dcsrch with ftol 1e-3, gtol 0.9, xtol 0.1), the same
// update-skipping rule and the same stopping tests, so logistic regression stops where
// scikit-learn's lbfgs solver stops.

#include <functional>

#include <Eigen/Core>

namespace stepwise::models {

/// Stopping rules; the defaults are SciPy's.
struct LbfgsSettings {
    int maxIterations = 15000;
    /// Stop when max_i |gradient_i| <= this (SciPy's `gtol`, scikit-learn's `tol`).
    double gradientTolerance = 1e-5;
    /// Stop when (f_k - f_{k+1}) / max(|f_k|, |f_{k+1}|, 1) <= this (SciPy's `ftol`).
    double relativeReduction = 2.220446049250313e-09;
    int memory = 10;
    /// Function evaluations one line search may use before it counts as failed.
    int maxLineSearchEvaluations = 20;
};

/// Why the minimisation stopped.
enum class LbfgsStop { GradientSmall, ReductionSmall, IterationLimit, LineSearchFailed };

/// The last accepted point.
struct LbfgsResult {
    Eigen::VectorXd x;
    double value = 0.0;
    Eigen::VectorXd gradient;
    int iterations = 0;
    LbfgsStop stop = LbfgsStop::GradientSmall;
};

/// Returns f(x) and writes its gradient into the second argument (already sized).
using LbfgsObjective = std::function<double(const Eigen::VectorXd& x, Eigen::VectorXd& gradient)>;
/// Called after every accepted iteration (1-based); may throw to abort (e.g. `Cancelled`).
using LbfgsObserver = std::function<void(int iteration, const Eigen::VectorXd& x, double value)>;

/// Minimises `objective` from `start`.
LbfgsResult minimizeLbfgs(const LbfgsObjective& objective, Eigen::VectorXd start, const LbfgsSettings& settings,
                          const LbfgsObserver& observer);

} // namespace stepwise::models
