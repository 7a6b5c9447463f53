// L2 logistic regression, shrunk group effects and isotonic calibration (see logistic.hpp).
//
// Index
//  [SECTION] regression
//  [SECTION] groups
//  [SECTION] isotonic
#include "core/forecast/logistic.hpp"

#include <Eigen/Dense>

#include <algorithm>
#include <cmath>
#include <numeric>

namespace terrane::forecast {

// [SECTION] regression
double sigmoid(double z) {
    if (z >= 0) return 1.0 / (1.0 + std::exp(-z));
    const double e = std::exp(z);
    return e / (1.0 + e);
}

LogisticFit fitLogistic(std::span<const float> X, int p, std::span<const std::uint8_t> y, std::span<const float> w,
                        std::span<const double> penalty, std::span<const double> offset, int maxIter) {
    const auto n = static_cast<Eigen::Index>(y.size());
    LogisticFit fit;
    fit.beta.assign(static_cast<std::size_t>(p), 0.0);
    if (n == 0 || p == 0) return fit;
    const Eigen::Map<const Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>> Xf(X.data(), n, p);
    const Eigen::MatrixXd Xd = Xf.cast<double>();
    Eigen::VectorXd beta = Eigen::VectorXd::Zero(p), lam(p);
    for (int j = 0; j < p; ++j) lam[j] = penalty[static_cast<std::size_t>(j)];
    Eigen::VectorXd wy(n), sw(n);
    for (Eigen::Index i = 0; i < n; ++i) {
        sw[i] = w[static_cast<std::size_t>(i)];
        wy[i] = y[static_cast<std::size_t>(i)] ? 1.0 : 0.0;
    }
    for (int it = 0; it < maxIter; ++it) {
        Eigen::VectorXd eta = Xd * beta;
        if (!offset.empty())
            for (Eigen::Index i = 0; i < n; ++i) eta[i] += offset[static_cast<std::size_t>(i)];
        Eigen::VectorXd g(n), h(n);
        for (Eigen::Index i = 0; i < n; ++i) {
            const double m = sigmoid(eta[i]);
            g[i] = sw[i] * (wy[i] - m);
            h[i] = sw[i] * std::max(m * (1 - m), 1e-9);
        }
        Eigen::VectorXd grad = Xd.transpose() * g - lam.cwiseProduct(beta);
        Eigen::MatrixXd H = Xd.transpose() * h.asDiagonal() * Xd;
        H.diagonal() += lam;
        H.diagonal().array() += 1e-9;
        const Eigen::VectorXd step = H.ldlt().solve(grad);
        // Damped: a step never moves a coefficient by more than 5 on the log-odds scale.
        const double big = step.cwiseAbs().maxCoeff();
        beta += big > 5 ? (step * (5 / big)).eval() : step;
        fit.iterations = it + 1;
        if (big < 1e-7) {
            fit.converged = true;
            break;
        }
    }
    for (int j = 0; j < p; ++j) fit.beta[static_cast<std::size_t>(j)] = beta[j];
    return fit;
}

// [SECTION] groups
std::vector<double> shrunkGroupEffects(std::span<const std::uint32_t> group, std::size_t groups,
                                       std::span<const std::uint8_t> y, std::span<const float> w,
                                       std::span<const double> eta, double tau) {
    std::vector<double> b(groups, 0.0), g(groups), h(groups);
    for (int it = 0; it < 8; ++it) {
        std::fill(g.begin(), g.end(), 0.0);
        std::fill(h.begin(), h.end(), 0.0);
        for (std::size_t i = 0; i < y.size(); ++i) {
            const std::uint32_t k = group[i];
            const double m = sigmoid(eta[i] + b[k]);
            g[k] += w[i] * ((y[i] ? 1.0 : 0.0) - m);
            h[k] += w[i] * m * (1 - m);
        }
        double big = 0;
        for (std::size_t k = 0; k < groups; ++k) {
            const double s = std::clamp((g[k] - tau * b[k]) / (h[k] + tau), -3.0, 3.0);
            b[k] += s;
            big = std::max(big, std::abs(s));
        }
        if (big < 1e-6) break;
    }
    return b;
}

// [SECTION] isotonic
double IsotonicMap::operator()(double s) const {
    if (x.empty()) return s;
    if (s <= x.front()) return y.front();
    if (s >= x.back()) return y.back();
    const auto it = std::upper_bound(x.begin(), x.end(), s);
    const std::size_t k = static_cast<std::size_t>(it - x.begin());
    const double t = (s - x[k - 1]) / (x[k] - x[k - 1]);
    return y[k - 1] + t * (y[k] - y[k - 1]);
}

IsotonicMap fitIsotonic(std::span<const double> score, std::span<const std::uint8_t> y, std::span<const float> w) {
    std::vector<std::size_t> order(score.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return score[a] < score[b]; });
    struct Block {
        double wsum, ysum, xsum;
    };
    std::vector<Block> blocks;
    for (std::size_t i : order) {
        const double wi = w[i];
        blocks.push_back({wi, wi * (y[i] ? 1.0 : 0.0), wi * score[i]});
        while (blocks.size() > 1) {
            const Block& b = blocks.back();
            const Block& a = blocks[blocks.size() - 2];
            if (a.ysum / a.wsum < b.ysum / b.wsum) break;
            const Block m{a.wsum + b.wsum, a.ysum + b.ysum, a.xsum + b.xsum};
            blocks.pop_back();
            blocks.back() = m;
        }
    }
    IsotonicMap map;
    for (const Block& b : blocks) {
        if (b.wsum <= 0) continue;
        const double cx = b.xsum / b.wsum;
        if (!map.x.empty() && cx <= map.x.back()) continue;
        // Each block's rate is pulled towards its own mean score by two pseudo-deals, so a small
        // block where every deal won (or none did) does not claim certainty.
        constexpr double kPseudo = 2;
        const double rate = (b.ysum + kPseudo * std::clamp(cx, 0.0, 1.0)) / (b.wsum + kPseudo);
        map.x.push_back(cx);
        map.y.push_back(map.y.empty() ? rate : std::max(map.y.back(), rate));
    }
    return map;
}

} // namespace terrane::forecast
