#include "models/lbfgs.hpp"

#include <algorithm>
#include <cmath>
#include <deque>
#include <limits>

namespace stepwise::models {
namespace {

// The line search's constants as L-BFGS-B passes them to dcsrch.
constexpr double kFtol = 1e-3;
constexpr double kGtol = 0.9;
constexpr double kXtol = 0.1;
constexpr double kStepMax = 1e10;

enum class SearchState { Evaluate, Converged, Warning, Error };

// One safeguarded step of the Moré–Thuente search (MINPACK-2 dcstep): picks the next
// trial step from the interval [stx, sty] and the new trial value, and updates the
// interval so it keeps bracketing a point satisfying the strong Wolfe conditions.
void stepInterval(double& stx, double& fx, double& dx, double& sty, double& fy, double& dy, double& stp,
                  double fp, double dp, bool& bracketed, double stpmin, double stpmax)
{
    const double sgnd = dp * (dx / std::abs(dx));
    double stpf = 0.0;
    if (fp > fx) {
        // Higher function value: the minimum is bracketed; cubic or half-way to quadratic.
        const double theta = 3.0 * (fx - fp) / (stp - stx) + dx + dp;
        const double s = std::max({std::abs(theta), std::abs(dx), std::abs(dp)});
        double gamma = s * std::sqrt((theta / s) * (theta / s) - (dx / s) * (dp / s));
        if (stp < stx)
            gamma = -gamma;
        const double p = (gamma - dx) + theta;
        const double q = ((gamma - dx) + gamma) + dp;
        const double stpc = stx + (p / q) * (stp - stx);
        const double stpq = stx + ((dx / ((fx - fp) / (stp - stx) + dx)) / 2.0) * (stp - stx);
        stpf = std::abs(stpc - stx) < std::abs(stpq - stx) ? stpc : stpc + (stpq - stpc) / 2.0;
        bracketed = true;
    } else if (sgnd < 0.0) {
        // Derivatives of opposite sign: bracketed; cubic or secant step.
        const double theta = 3.0 * (fx - fp) / (stp - stx) + dx + dp;
        const double s = std::max({std::abs(theta), std::abs(dx), std::abs(dp)});
        double gamma = s * std::sqrt((theta / s) * (theta / s) - (dx / s) * (dp / s));
        if (stp > stx)
            gamma = -gamma;
        const double p = (gamma - dp) + theta;
        const double q = ((gamma - dp) + gamma) + dx;
        const double stpc = stp + (p / q) * (stx - stp);
        const double stpq = stp + (dp / (dp - dx)) * (stx - stp);
        stpf = std::abs(stpc - stp) > std::abs(stpq - stp) ? stpc : stpq;
        bracketed = true;
    } else if (std::abs(dp) < std::abs(dx)) {
        // Same sign, derivative magnitude decreasing: cubic only if it heads the right way.
        const double theta = 3.0 * (fx - fp) / (stp - stx) + dx + dp;
        const double s = std::max({std::abs(theta), std::abs(dx), std::abs(dp)});
        double gamma = s * std::sqrt(std::max(0.0, (theta / s) * (theta / s) - (dx / s) * (dp / s)));
        if (stp > stx)
            gamma = -gamma;
        const double p = (gamma - dp) + theta;
        const double q = (gamma + (dx - dp)) + gamma;
        const double r = p / q;
        double stpc = 0.0;
        if (r < 0.0 && gamma != 0.0)
            stpc = stp + r * (stx - stp);
        else if (stp > stx)
            stpc = stpmax;
        else
            stpc = stpmin;
        const double stpq = stp + (dp / (dp - dx)) * (stx - stp);
        if (bracketed) {
            stpf = std::abs(stpc - stp) < std::abs(stpq - stp) ? stpc : stpq;
            stpf = stp > stx ? std::min(stp + 0.66 * (sty - stp), stpf) : std::max(stp + 0.66 * (sty - stp), stpf);
        } else {
            stpf = std::abs(stpc - stp) > std::abs(stpq - stp) ? stpc : stpq;
            stpf = std::max(stpmin, std::min(stpmax, stpf));
        }
    } else {
        // Same sign, derivative not decreasing: cubic towards sty, or to the limit.
        if (bracketed) {
            const double theta = 3.0 * (fp - fy) / (sty - stp) + dy + dp;
            const double s = std::max({std::abs(theta), std::abs(dy), std::abs(dp)});
            double gamma = s * std::sqrt((theta / s) * (theta / s) - (dy / s) * (dp / s));
            if (stp > sty)
                gamma = -gamma;
            const double p = (gamma - dp) + theta;
            const double q = ((gamma - dp) + gamma) + dy;
            stpf = stp + (p / q) * (sty - stp);
        } else {
            stpf = stp > stx ? stpmax : stpmin;
        }
    }
    if (fp > fx) {
        sty = stp;
        fy = fp;
        dy = dp;
    } else {
        if (sgnd < 0.0) {
            sty = stx;
            fy = fx;
            dy = dx;
        }
        stx = stp;
        fx = fp;
        dx = dp;
    }
    stp = stpf;
}

// MINPACK-2 dcsrch: finds a step satisfying the strong Wolfe conditions. Construct
// with the value and directional derivative at step 0; call `next` with the value and
// derivative at `step()` until it stops asking for evaluations.
class MoreThuenteSearch {
public:
    MoreThuenteSearch(double f0, double g0, double firstStep, double stpmin, double stpmax)
        : m_stp(firstStep), m_stpmin(stpmin), m_stpmax(stpmax), m_finit(f0), m_ginit(g0), m_gtest(kFtol * g0),
          m_width(stpmax - stpmin), m_width1(2.0 * (stpmax - stpmin)), m_fx(f0), m_gx(g0), m_fy(f0), m_gy(g0),
          m_stmax(firstStep + 4.0 * firstStep)
    {
        if (firstStep < stpmin || firstStep > stpmax || g0 >= 0.0)
            m_state = SearchState::Error;
    }

    double step() const { return m_stp; }
    SearchState state() const { return m_state; }

    SearchState next(double f, double g)
    {
        const double ftest = m_finit + m_stp * m_gtest;
        if (m_stage == 1 && f <= ftest && g >= 0.0)
            m_stage = 2;
        if (m_bracketed && (m_stp <= m_stmin || m_stp >= m_stmax))
            m_state = SearchState::Warning; // rounding errors prevent progress
        if (m_bracketed && m_stmax - m_stmin <= kXtol * m_stmax)
            m_state = SearchState::Warning; // interval too small
        if (m_stp == m_stpmax && f <= ftest && g <= m_gtest)
            m_state = SearchState::Warning;
        if (m_stp == m_stpmin && (f > ftest || g >= m_gtest))
            m_state = SearchState::Warning;
        if (f <= ftest && std::abs(g) <= kGtol * (-m_ginit))
            m_state = SearchState::Converged;
        if (m_state != SearchState::Evaluate)
            return m_state;

        if (m_stage == 1 && f <= m_fx && f > ftest) {
            // Use the modified function ψ(α) = f(α) − f(0) − ftol·α·f'(0) until a step
            // with a sufficient decrease and a non-negative derivative is found.
            double fm = f - m_stp * m_gtest;
            double fxm = m_fx - m_stx * m_gtest;
            double fym = m_fy - m_sty * m_gtest;
            const double gm = g - m_gtest;
            double gxm = m_gx - m_gtest;
            double gym = m_gy - m_gtest;
            stepInterval(m_stx, fxm, gxm, m_sty, fym, gym, m_stp, fm, gm, m_bracketed, m_stmin, m_stmax);
            m_fx = fxm + m_stx * m_gtest;
            m_fy = fym + m_sty * m_gtest;
            m_gx = gxm + m_gtest;
            m_gy = gym + m_gtest;
        } else {
            stepInterval(m_stx, m_fx, m_gx, m_sty, m_fy, m_gy, m_stp, f, g, m_bracketed, m_stmin, m_stmax);
        }
        if (m_bracketed) {
            // Force sufficient shrinking of the interval.
            if (std::abs(m_sty - m_stx) >= 0.66 * m_width1)
                m_stp = m_stx + 0.5 * (m_sty - m_stx);
            m_width1 = m_width;
            m_width = std::abs(m_sty - m_stx);
            m_stmin = std::min(m_stx, m_sty);
            m_stmax = std::max(m_stx, m_sty);
        } else {
            m_stmin = m_stp + 1.1 * (m_stp - m_stx);
            m_stmax = m_stp + 4.0 * (m_stp - m_stx);
        }
        m_stp = std::clamp(m_stp, m_stpmin, m_stpmax);
        if ((m_bracketed && (m_stp <= m_stmin || m_stp >= m_stmax)) ||
            (m_bracketed && m_stmax - m_stmin <= kXtol * m_stmax))
            m_stp = m_stx; // no further progress possible: fall back to the best step
        return m_state;
    }

private:
    SearchState m_state = SearchState::Evaluate;
    double m_stp;
    double m_stpmin;
    double m_stpmax;
    double m_finit;
    double m_ginit;
    double m_gtest;
    double m_width;
    double m_width1;
    bool m_bracketed = false;
    int m_stage = 1;
    double m_stx = 0.0;
    double m_fx;
    double m_gx;
    double m_sty = 0.0;
    double m_fy;
    double m_gy;
    double m_stmin = 0.0;
    double m_stmax;
};

struct CorrectionPair {
    Eigen::VectorXd s;
    Eigen::VectorXd y;
    double rho; // 1 / (yᵀs)
};

// Two-loop recursion: −H·g with H₀ = (sᵀy / yᵀy)·I from the newest pair, which is the
// direction L-BFGS-B's subspace minimisation gives when no bound is active.
Eigen::VectorXd searchDirection(const std::deque<CorrectionPair>& pairs, const Eigen::VectorXd& gradient)
{
    Eigen::VectorXd q = gradient;
    std::vector<double> alpha(pairs.size());
    for (std::size_t i = pairs.size(); i-- > 0;) {
        alpha[i] = pairs[i].rho * pairs[i].s.dot(q);
        q.noalias() -= alpha[i] * pairs[i].y;
    }
    const CorrectionPair& newest = pairs.back();
    q *= 1.0 / (newest.rho * newest.y.squaredNorm());
    for (std::size_t i = 0; i < pairs.size(); ++i) {
        const double beta = pairs[i].rho * pairs[i].y.dot(q);
        q.noalias() += (alpha[i] - beta) * pairs[i].s;
    }
    return -q;
}

// The minimum-norm subgradient of smooth + sum l1_i |x_i| (Andrew & Gao's
// pseudo-gradient): at x_i = 0 the one-sided derivative that descends, or 0 when
// neither side does.
void pseudoGradient(const Eigen::VectorXd& x, const Eigen::VectorXd& gradient, const Eigen::VectorXd& l1,
                    Eigen::VectorXd& result)
{
    for (Eigen::Index i = 0; i < x.size(); ++i) {
        const double g = gradient(i);
        const double weight = l1(i);
        if (x(i) > 0.0)
            result(i) = g + weight;
        else if (x(i) < 0.0)
            result(i) = g - weight;
        else if (g + weight < 0.0)
            result(i) = g + weight;
        else if (g - weight > 0.0)
            result(i) = g - weight;
        else
            result(i) = 0.0;
    }
}

double weightedL1(const Eigen::VectorXd& x, const Eigen::VectorXd& l1)
{
    return (l1.array() * x.array().abs()).sum();
}

} // namespace

LbfgsResult minimizeLbfgs(const LbfgsObjective& objective, Eigen::VectorXd start, const LbfgsSettings& settings,
                          const LbfgsObserver& observer)
{
    constexpr double kEpsilon = std::numeric_limits<double>::epsilon();
    LbfgsResult result;
    result.x = std::move(start);
    result.gradient.resize(result.x.size());
    result.value = objective(result.x, result.gradient);
    if (result.gradient.lpNorm<Eigen::Infinity>() <= settings.gradientTolerance) {
        result.stop = LbfgsStop::GradientSmall;
        return result;
    }

    std::deque<CorrectionPair> pairs;
    Eigen::VectorXd trialX(result.x.size());
    Eigen::VectorXd trialGradient(result.x.size());
    for (;;) {
        const Eigen::VectorXd direction =
            pairs.empty() ? Eigen::VectorXd(-result.gradient) : searchDirection(pairs, result.gradient);
        const double slope = result.gradient.dot(direction);
        // L-BFGS-B's first step has unit length; later ones try the full quasi-Newton step.
        const double firstStep = result.iterations == 0 ? std::min(1.0 / direction.norm(), kStepMax) : 1.0;
        MoreThuenteSearch search(result.value, slope, firstStep, 0.0, kStepMax);
        bool accepted = false;
        double trialValue = result.value;
        if (slope < 0.0 && search.state() == SearchState::Evaluate) {
            for (int evaluation = 1;; ++evaluation) {
                trialX = result.x + search.step() * direction;
                trialValue = objective(trialX, trialGradient);
                if (!std::isfinite(trialValue))
                    break;
                const SearchState state = search.next(trialValue, trialGradient.dot(direction));
                if (state == SearchState::Converged || state == SearchState::Warning) {
                    accepted = true;
                    break;
                }
                if (state == SearchState::Error || evaluation >= settings.maxLineSearchEvaluations)
                    break;
            }
        }
        if (!accepted) {
            // L-BFGS-B drops its memory and retries along the steepest descent once;
            // failing with an empty memory ends the run.
            if (pairs.empty()) {
                result.stop = LbfgsStop::LineSearchFailed;
                return result;
            }
            pairs.clear();
            continue;
        }

        const double previousValue = result.value;
        CorrectionPair pair;
        pair.s = trialX - result.x;
        pair.y = trialGradient - result.gradient;
        const double previousSlopeTimesStep = -result.gradient.dot(pair.s);
        std::swap(result.x, trialX);
        std::swap(result.gradient, trialGradient);
        result.value = trialValue;
        ++result.iterations;
        if (observer)
            observer(result.iterations, result.x, result.value);

        if (result.gradient.lpNorm<Eigen::Infinity>() <= settings.gradientTolerance) {
            result.stop = LbfgsStop::GradientSmall;
            return result;
        }
        const double scale = std::max({std::abs(previousValue), std::abs(result.value), 1.0});
        if (previousValue - result.value <= settings.relativeReduction * scale) {
            result.stop = LbfgsStop::ReductionSmall;
            return result;
        }
        if (result.iterations >= settings.maxIterations) {
            result.stop = LbfgsStop::IterationLimit;
            return result;
        }
        const double curvature = pair.s.dot(pair.y);
        // Skip pairs without enough positive curvature (L-BFGS-B's test).
        if (curvature > kEpsilon * previousSlopeTimesStep) {
            pair.rho = 1.0 / curvature;
            pairs.push_back(std::move(pair));
            if (static_cast<int>(pairs.size()) > settings.memory)
                pairs.pop_front();
        }
    }
}

LbfgsResult minimizeOwlqn(const LbfgsObjective& smooth, Eigen::VectorXd start, const Eigen::VectorXd& l1,
                          const LbfgsSettings& settings, const LbfgsObserver& observer)
{
    constexpr double kEpsilon = std::numeric_limits<double>::epsilon();
    // Armijo constant of the backtracking search (Andrew & Gao use 1e-4).
    constexpr double kSufficientDecrease = 1e-4;
    const Eigen::Index n = start.size();
    LbfgsResult result;
    result.x = std::move(start);
    Eigen::VectorXd gradient(n); // of the smooth part
    result.value = smooth(result.x, gradient) + weightedL1(result.x, l1);
    result.gradient.resize(n);
    pseudoGradient(result.x, gradient, l1, result.gradient);
    if (result.gradient.lpNorm<Eigen::Infinity>() <= settings.gradientTolerance) {
        result.stop = LbfgsStop::GradientSmall;
        return result;
    }

    std::deque<CorrectionPair> pairs;
    Eigen::VectorXd trialX(n);
    Eigen::VectorXd trialGradient(n);
    Eigen::VectorXd orthant(n);
    for (;;) {
        Eigen::VectorXd direction =
            pairs.empty() ? Eigen::VectorXd(-result.gradient) : searchDirection(pairs, result.gradient);
        // A penalised component may only move the way its pseudo-gradient descends;
        // unpenalised ones (intercepts) keep the quasi-Newton direction, which is still a
        // descent direction overall and keeps multinomial intercepts summing to zero.
        for (Eigen::Index i = 0; i < n; ++i) {
            if (l1(i) > 0.0 && direction(i) * result.gradient(i) >= 0.0)
                direction(i) = 0.0;
            orthant(i) = result.x(i) != 0.0 ? (result.x(i) > 0.0 ? 1.0 : -1.0)
                                            : (result.gradient(i) < 0.0 ? 1.0 : (result.gradient(i) > 0.0 ? -1.0 : 0.0));
        }
        const double slope = result.gradient.dot(direction);
        double step = result.iterations == 0 && pairs.empty() ? 1.0 / direction.norm() : 1.0;
        bool accepted = false;
        double trialValue = result.value;
        if (slope < 0.0) {
            for (int evaluation = 1; evaluation <= settings.maxLineSearchEvaluations; ++evaluation, step *= 0.5) {
                trialX = result.x + step * direction;
                for (Eigen::Index i = 0; i < n; ++i)
                    if (l1(i) > 0.0 && trialX(i) * orthant(i) <= 0.0)
                        trialX(i) = 0.0;
                trialValue = smooth(trialX, trialGradient) + weightedL1(trialX, l1);
                if (!std::isfinite(trialValue))
                    continue;
                if (trialValue <= result.value + kSufficientDecrease * result.gradient.dot(trialX - result.x)) {
                    accepted = true;
                    break;
                }
            }
        }
        if (!accepted) {
            // As in minimizeLbfgs: drop the memory and retry along the steepest descent
            // once; failing with an empty memory ends the run.
            if (pairs.empty()) {
                result.stop = LbfgsStop::LineSearchFailed;
                return result;
            }
            pairs.clear();
            continue;
        }

        const double previousValue = result.value;
        CorrectionPair pair;
        pair.s = trialX - result.x;
        pair.y = trialGradient - gradient;
        std::swap(result.x, trialX);
        std::swap(gradient, trialGradient);
        result.value = trialValue;
        pseudoGradient(result.x, gradient, l1, result.gradient);
        ++result.iterations;
        if (observer)
            observer(result.iterations, result.x, result.value);

        if (result.gradient.lpNorm<Eigen::Infinity>() <= settings.gradientTolerance) {
            result.stop = LbfgsStop::GradientSmall;
            return result;
        }
        const double scale = std::max({std::abs(previousValue), std::abs(result.value), 1.0});
        if (previousValue - result.value <= settings.relativeReduction * scale) {
            result.stop = LbfgsStop::ReductionSmall;
            return result;
        }
        if (pair.s.lpNorm<Eigen::Infinity>() <= settings.relativeStep * result.x.lpNorm<Eigen::Infinity>()) {
            result.stop = LbfgsStop::StepSmall;
            return result;
        }
        if (result.iterations >= settings.maxIterations) {
            result.stop = LbfgsStop::IterationLimit;
            return result;
        }
        const double curvature = pair.s.dot(pair.y);
        if (curvature > kEpsilon * pair.y.squaredNorm()) {
            pair.rho = 1.0 / curvature;
            pairs.push_back(std::move(pair));
            if (static_cast<int>(pairs.size()) > settings.memory)
                pairs.pop_front();
        }
    }
}

} // namespace stepwise::models
