// The two references the optimiser is measured against: a plain weighted k-means (compact, no
// balance) and an exact branch and bound for small instances.
//
// Index
//  [SECTION] weighted k-means
//  [SECTION] exact branch and bound
#include "core/base/rng.hpp"
#include "core/territory/centre_index.hpp"
#include "core/territory/optimiser.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>

namespace terrane::territory {

// [SECTION] weighted k-means
std::vector<std::int32_t> weightedKMeansBaseline(const BalanceProblem& p, std::uint64_t seed, int restarts,
                                                 int maxIterations) {
    const std::size_t n = p.accounts, K = p.K();
    std::vector<std::uint32_t> pts;
    for (std::size_t i = 0; i < n; ++i)
        if (p.inPlan(i) && p.geo.placed(i)) pts.push_back(static_cast<std::uint32_t>(i));
    std::vector<double> w(n, 0.0);
    double wsum = 0;
    for (std::uint32_t i : pts) wsum += w[i] = p.weight[i];
    if (!(wsum > 0))
        for (std::uint32_t i : pts) w[i] = 1.0;
    const auto& X = p.geo.x();
    const auto& Y = p.geo.y();
    std::vector<std::int32_t> best(n, -1), cur(n, -1);
    double bestSse = std::numeric_limits<double>::infinity();
    if (pts.empty() || K == 0) return best;
    for (int r = 0; r < std::max(1, restarts); ++r) {
        Rng rng(seed, 0x6b6d65616e73ULL + static_cast<std::uint64_t>(r));
        std::vector<double> cx(K, std::nan("")), cy(K, std::nan(""));
        std::vector<double> d2(pts.size(), std::numeric_limits<double>::infinity());
        // k-means++: the first centre by weight, the next in proportion to weight * distance^2.
        for (std::size_t c = 0; c < K; ++c) {
            double total = 0;
            for (std::size_t j = 0; j < pts.size(); ++j) total += c == 0 ? w[pts[j]] : w[pts[j]] * d2[j];
            std::size_t pick = 0;
            if (total > 0) {
                double u = rng.uniform() * total;
                for (std::size_t j = 0; j < pts.size(); ++j) {
                    const double q = c == 0 ? w[pts[j]] : w[pts[j]] * d2[j];
                    if (u < q || j + 1 == pts.size()) {
                        pick = j;
                        break;
                    }
                    u -= q;
                }
            } else {
                pick = rng.below(static_cast<std::uint32_t>(pts.size()));
            }
            cx[c] = X[pts[pick]], cy[c] = Y[pts[pick]];
            for (std::size_t j = 0; j < pts.size(); ++j) {
                const double dx = X[pts[j]] - cx[c], dy = Y[pts[j]] - cy[c];
                d2[j] = std::min(d2[j], dx * dx + dy * dy);
            }
        }
        CentreIndex index;
        std::vector<std::pair<double, std::uint32_t>> near;
        std::fill(cur.begin(), cur.end(), -1);
        for (int it = 0; it < maxIterations; ++it) {
            index.build(cx, cy);
            bool changed = false;
            for (std::uint32_t i : pts) {
                index.nearest(X[i], Y[i], 1, near);
                const auto k = static_cast<std::int32_t>(near.front().second);
                if (cur[i] != k) cur[i] = k, changed = true;
            }
            if (!changed) break;
            std::vector<double> sw(K, 0), sx(K, 0), sy(K, 0);
            for (std::uint32_t i : pts) {
                const auto k = static_cast<std::size_t>(cur[i]);
                sw[k] += w[i], sx[k] += w[i] * X[i], sy[k] += w[i] * Y[i];
            }
            for (std::size_t k = 0; k < K; ++k)
                if (sw[k] > 0) cx[k] = sx[k] / sw[k], cy[k] = sy[k] / sw[k];
        }
        double sse = 0;
        std::vector<double> sw(K, 0), sx(K, 0), sy(K, 0);
        for (std::uint32_t i : pts) {
            const auto k = static_cast<std::size_t>(cur[i]);
            sw[k] += w[i], sx[k] += w[i] * X[i], sy[k] += w[i] * Y[i];
        }
        for (std::uint32_t i : pts) {
            const auto k = static_cast<std::size_t>(cur[i]);
            if (!(sw[k] > 0)) continue;
            const double dx = X[i] - sx[k] / sw[k], dy = Y[i] - sy[k] / sw[k];
            sse += w[i] * (dx * dx + dy * dy);
        }
        if (sse < bestSse) bestSse = sse, best = cur;
    }
    return best;
}

// [SECTION] exact branch and bound
namespace {

struct Exact {
    const BalanceProblem& p;
    std::size_t K, M;
    std::vector<std::uint32_t> order; // free accounts, biggest first
    std::vector<double> lo, hi;       // K x M bands
    std::vector<double> load;         // K x M
    std::vector<double> W, Sx, Sy, Sq;
    std::vector<double> remaining; // (depth, metric): value still to place from depth on
    std::vector<std::int32_t> assign, bestAssign;
    double bestSse = std::numeric_limits<double>::infinity();
    std::uint64_t nodes = 0, limit = 0;
    bool aborted = false, symmetric = false;
    double wScale = 1;

    explicit Exact(const BalanceProblem& prob) : p(prob), K(prob.K()), M(prob.M()) {}

    double sse(std::size_t k) const {
        return W[k] > 0 ? Sq[k] - (Sx[k] * Sx[k] + Sy[k] * Sy[k]) / W[k] : 0.0;
    }

    void add(std::uint32_t i, std::size_t k, double sign) {
        const double w = p.weight[i] * wScale, x = p.geo.x()[i], y = p.geo.y()[i];
        W[k] += sign * w, Sx[k] += sign * w * x, Sy[k] += sign * w * y, Sq[k] += sign * w * (x * x + y * y);
        for (std::size_t m = 0; m < M; ++m) load[k * M + m] += sign * p.balanceValue(i, m);
    }

    void dfs(std::size_t depth, std::size_t used) {
        if (aborted) return;
        if (++nodes > limit) {
            aborted = true;
            return;
        }
        double bound = 0;
        for (std::size_t k = 0; k < K; ++k) bound += sse(k);
        if (bound >= bestSse) return;
        // Can the rest still lift every territory to its lower bound?
        for (std::size_t m = 0; m < M; ++m) {
            double need = 0;
            for (std::size_t k = 0; k < K; ++k) need += std::max(0.0, lo[k * M + m] - load[k * M + m]);
            if (need > remaining[depth * M + m] * (1 + 1e-12) + 1e-12) return;
        }
        if (depth == order.size()) {
            bestSse = bound;
            bestAssign = assign;
            return;
        }
        const std::uint32_t i = order[depth];
        const std::size_t kmax = symmetric ? std::min(K, used + 1) : K;
        for (std::size_t k = 0; k < kmax; ++k) {
            bool fits = true;
            for (std::size_t m = 0; m < M && fits; ++m)
                fits = load[k * M + m] + p.balanceValue(i, m) <= hi[k * M + m] * (1 + 1e-12) + 1e-12;
            if (!fits) continue;
            add(i, k, 1.0);
            assign[i] = static_cast<std::int32_t>(k);
            dfs(depth + 1, std::max(used, k + 1));
            assign[i] = -1;
            add(i, k, -1.0);
        }
    }
};

} // namespace

ExactResult exactBalancedPartition(const BalanceProblem& p, std::uint64_t nodeLimit,
                                   const std::vector<std::int32_t>* incumbent) {
    Exact e(p);
    const std::size_t K = e.K, M = e.M;
    e.lo.assign(K * M, 0), e.hi.assign(K * M, 0), e.load.assign(K * M, 0);
    e.W.assign(K, 0), e.Sx.assign(K, 0), e.Sy.assign(K, 0), e.Sq.assign(K, 0);
    e.assign.assign(p.accounts, -1);
    e.limit = nodeLimit;
    for (std::size_t k = 0; k < K; ++k)
        for (std::size_t m = 0; m < M; ++m) {
            e.lo[k * M + m] = p.targetOf(k, m) * (1 - p.tolerance[m]);
            e.hi[k * M + m] = p.targetOf(k, m) * (1 + p.tolerance[m]);
        }
    double wsum = 0;
    bool anyFixed = false;
    for (std::size_t i = 0; i < p.accounts; ++i) {
        if (!p.inPlan(i)) continue;
        wsum += p.weight[i];
        if (p.fixed[i] != Fixed::Free || !p.geo.placed(i)) {
            anyFixed = true;
            e.assign[i] = p.current[i];
        } else {
            e.order.push_back(static_cast<std::uint32_t>(i));
        }
    }
    if (e.order.size() > 40) throw std::invalid_argument("exact search is limited to 40 movable accounts");
    e.wScale = wsum > 0 ? 1.0 / wsum : 1.0;
    for (std::size_t i = 0; i < p.accounts; ++i)
        if (e.assign[i] >= 0)
            e.add(static_cast<std::uint32_t>(i), static_cast<std::size_t>(e.assign[i]), 1.0);
    bool equalCaps = true;
    for (std::size_t k = 1; k < K; ++k) equalCaps &= p.capacity[k] == p.capacity[0];
    e.symmetric = equalCaps && !anyFixed;
    // Biggest accounts first (relative to the target), then by index.
    std::vector<double> size(p.accounts, 0);
    for (std::uint32_t i : e.order)
        for (std::size_t m = 0; m < M; ++m)
            size[i] = std::max(size[i], p.balanceValue(i, m) / std::max(p.total[m], 1e-300));
    std::sort(e.order.begin(), e.order.end(), [&](std::uint32_t a, std::uint32_t b) {
        return size[a] != size[b] ? size[a] > size[b] : a < b;
    });
    e.remaining.assign((e.order.size() + 1) * M, 0);
    for (std::size_t d = e.order.size(); d-- > 0;)
        for (std::size_t m = 0; m < M; ++m)
            e.remaining[d * M + m] = e.remaining[(d + 1) * M + m] + p.balanceValue(e.order[d], m);
    if (incumbent && incumbent->size() == p.accounts) {
        // A feasible incumbent bounds the search from the start.
        Exact chk(p);
        chk.W.assign(K, 0), chk.Sx.assign(K, 0), chk.Sy.assign(K, 0), chk.Sq.assign(K, 0),
            chk.load.assign(K * M, 0);
        chk.wScale = e.wScale;
        bool ok = true;
        for (std::size_t i = 0; i < p.accounts && ok; ++i) {
            if (!p.inPlan(i)) continue;
            const std::int32_t k = (*incumbent)[i];
            if (k < 0 || (e.assign[i] >= 0 && e.assign[i] != k))
                ok = false;
            else
                chk.add(static_cast<std::uint32_t>(i), static_cast<std::size_t>(k), 1.0);
        }
        for (std::size_t j = 0; j < K * M && ok; ++j)
            ok = chk.load[j] >= e.lo[j] * (1 - 1e-12) - 1e-12 && chk.load[j] <= e.hi[j] * (1 + 1e-12) + 1e-12;
        if (ok) {
            double s = 0;
            for (std::size_t k = 0; k < K; ++k) s += chk.sse(k);
            e.bestSse = s * (1 + 1e-9) + 1e-15;
            e.bestAssign = *incumbent;
        }
    }
    e.dfs(0, 0);
    ExactResult r;
    r.nodes = e.nodes;
    r.optimal = !e.aborted;
    if (!e.bestAssign.empty()) {
        r.assignment = e.bestAssign;
        // Inertia recomputed from scratch in the figures' units.
        Exact chk(p);
        chk.W.assign(K, 0), chk.Sx.assign(K, 0), chk.Sy.assign(K, 0), chk.Sq.assign(K, 0),
            chk.load.assign(K * M, 0);
        chk.wScale = 1.0;
        for (std::size_t i = 0; i < p.accounts; ++i)
            if (p.inPlan(i) && r.assignment[i] >= 0)
                chk.add(static_cast<std::uint32_t>(i), static_cast<std::size_t>(r.assignment[i]), 1.0);
        double s = 0;
        for (std::size_t k = 0; k < K; ++k) s += chk.sse(k);
        r.inertia = wsum > 0 ? s / wsum : 0;
    }
    return r;
}

} // namespace terrane::territory
