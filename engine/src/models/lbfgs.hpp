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
    /// Stop when max_i |x_i − x_i,previous| <= this · max_i |x_i| (saga's rule); 0 turns
    /// the test off. Used by `minimizeOwlqn` only.
    double relativeStep = 0.0;
    int memory = 10;
    /// Function evaluations one line search may use before it counts as failed.
    int maxLineSearchEvaluations = 20;
};

/// Why the minimisation stopped.
enum class LbfgsStop { GradientSmall, ReductionSmall, StepSmall, IterationLimit, LineSearchFailed };

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

/// Minimises `smooth(x) + sum_i l1[i]·|x_i|` from `start` with OWL-QN (Andrew & Gao,
/// 2007): L-BFGS on the pseudo-gradient, steps kept inside the orthant of the current
/// point, and a backtracking line search on the whole objective. Components with
/// l1[i] = 0 move freely. The stopping tests are those of `minimizeLbfgs`, with the
/// pseudo-gradient (the minimum-norm subgradient) in place of the gradient, plus
/// `relativeStep`; the result's `value` is the whole objective and its `gradient` the
/// pseudo-gradient.
LbfgsResult minimizeOwlqn(const LbfgsObjective& smooth, Eigen::VectorXd start, const Eigen::VectorXd& l1,
                          const LbfgsSettings& settings, const LbfgsObserver& observer);

} // namespace stepwise::models
