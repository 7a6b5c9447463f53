// Branch and bound for the minimum largest territory diameter (see exact_diameter.hpp).
#include "core/territory/exact_diameter.hpp"

#include "core/territory/travel_graph.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace terrane::territory {

namespace {

struct Search {
    const BalanceProblem& p;
    const SiteGraph& g;
    bool contiguous;
    std::size_t n, K, M, nf = 0;
    std::vector<std::uint32_t> order;             // free accounts, farthest-first
    std::vector<std::vector<std::uint32_t>> nbr;  // account adjacency (units only)
    std::vector<double> d;                        // n x n
    std::vector<double> lo, hi, load, rest;       // K x M, K x M, K x M, M
    std::vector<double> maxd;                     // n x K: farthest member of k from u
    std::vector<double> D;                        // K
    std::vector<std::int32_t> assign, best;
    std::vector<std::uint8_t> unit;
    double bestD = std::numeric_limits<double>::infinity();
    std::uint64_t nodes = 0, limit;
    bool symmetric = false, stopped = false;

    Search(const BalanceProblem& pp, const SiteGraph& gg, bool c, std::uint64_t lim)
        : p(pp), g(gg), contiguous(c), n(pp.accounts), K(pp.K()), M(pp.M()), limit(lim) {}

    double v(std::uint32_t i, std::size_t m) const { return p.balanceValue(i, m); }

    bool fits(std::size_t k, std::uint32_t u) const {
        for (std::size_t m = 0; m < M; ++m)
            if (load[k * M + m] + v(u, m) > hi[k * M + m] + 1e-9) return false;
        return true;
    }

    bool connected() const {
        std::vector<std::uint8_t> seen(n, 0);
        std::vector<std::uint32_t> q;
        for (std::size_t k = 0; k < K; ++k) {
            std::uint32_t first = 0xffffffffu;
            std::size_t count = 0;
            for (std::uint32_t i = 0; i < n; ++i)
                if (unit[i] && assign[i] == static_cast<std::int32_t>(k)) {
                    ++count;
                    if (first == 0xffffffffu) first = i;
                }
            if (count == 0) continue;
            q.assign(1, first);
            seen[first] = 1;
            for (std::size_t h = 0; h < q.size(); ++h)
                for (std::uint32_t j : nbr[q[h]])
                    if (!seen[j] && assign[j] == static_cast<std::int32_t>(k)) seen[j] = 1, q.push_back(j);
            if (q.size() != count) return false;
        }
        return true;
    }

    void place(std::uint32_t u, std::size_t k, std::vector<double>& undo) {
        assign[u] = static_cast<std::int32_t>(k);
        for (std::size_t m = 0; m < M; ++m) load[k * M + m] += v(u, m), rest[m] -= v(u, m);
        D[k] = std::max(D[k], maxd[u * K + k]);
        undo.resize(n);
        for (std::size_t w = 0; w < n; ++w) {
            undo[w] = maxd[w * K + k];
            if (unit[w]) maxd[w * K + k] = std::max(maxd[w * K + k], d[w * n + u]);
        }
    }
    void unplace(std::uint32_t u, std::size_t k, const std::vector<double>& undo, double oldD) {
        assign[u] = -1;
        for (std::size_t m = 0; m < M; ++m) load[k * M + m] -= v(u, m), rest[m] += v(u, m);
        D[k] = oldD;
        for (std::size_t w = 0; w < n; ++w) maxd[w * K + k] = undo[w];
    }

    bool promising(std::size_t idx) const {
        for (std::size_t m = 0; m < M; ++m) {
            double need = 0;
            for (std::size_t k = 0; k < K; ++k) need += std::max(0.0, lo[k * M + m] - load[k * M + m]);
            if (need > rest[m] + 1e-9) return false;
        }
        for (std::size_t q = idx; q < nf; ++q) {
            const std::uint32_t w = order[q];
            bool any = false;
            for (std::size_t k = 0; k < K && !any; ++k)
                any = std::max(D[k], maxd[w * K + k]) < bestD - 1e-9 && fits(k, w);
            if (!any) return false;
        }
        return true;
    }

    void run(std::size_t idx, std::size_t used) {
        if (stopped) return;
        if (++nodes > limit) {
            stopped = true;
            return;
        }
        if (idx == nf) {
            for (std::size_t x = 0; x < K * M; ++x)
                if (load[x] < lo[x] - 1e-9) return;
            if (contiguous && !connected()) return;
            double mx = 0;
            for (double x : D) mx = std::max(mx, x);
            if (mx < bestD) bestD = mx, best = assign;
            return;
        }
        const std::uint32_t u = order[idx];
        std::vector<std::pair<double, std::size_t>> opts;
        const std::size_t kmax = symmetric ? std::min(K, used + 1) : K;
        for (std::size_t k = 0; k < kmax; ++k) {
            const double nd = std::max(D[k], maxd[u * K + k]);
            if (nd < bestD - 1e-9 && fits(k, u)) opts.push_back({nd, k});
        }
        std::sort(opts.begin(), opts.end());
        std::vector<double> undo;
        for (const auto& [nd, k] : opts) {
            if (nd >= bestD - 1e-9) break;
            const double oldD = D[k];
            place(u, k, undo);
            if (promising(idx + 1)) run(idx + 1, std::max(used, k + 1));
            unplace(u, k, undo, oldD);
            if (stopped) return;
        }
    }
};

} // namespace

ExactDiameterResult exactMinDiameter(const BalanceProblem& p, const SiteGraph& g, bool contiguous,
                                     std::uint64_t nodeLimit, const std::vector<std::int32_t>* incumbent) {
    Search s(p, g, contiguous, nodeLimit);
    const std::size_t n = p.accounts, K = p.K(), M = p.M();
    s.unit.assign(n, 0);
    s.assign.assign(n, -1);
    s.load.assign(K * M, 0);
    s.rest.assign(M, 0);
    s.D.assign(K, 0);
    s.maxd.assign(n * K, 0);
    s.lo.assign(K * M, 0);
    s.hi.assign(K * M, 0);
    for (std::size_t k = 0; k < K; ++k)
        for (std::size_t m = 0; m < M; ++m) {
            const double T = p.targetOf(k, m);
            s.lo[k * M + m] = T * (1 - p.tolerance[m]);
            s.hi[k * M + m] = T * (1 + p.tolerance[m]);
        }
    for (std::size_t i = 0; i < n; ++i) s.unit[i] = p.inPlan(i) && g.siteOf[i] != kNoSite ? 1 : 0;
    s.d.assign(n * n, 0);
    for (std::size_t i = 0; i < n; ++i)
        for (std::size_t j = 0; j < n; ++j)
            if (s.unit[i] && s.unit[j]) s.d[i * n + j] = accountDistance(p, i, j);
    s.nbr.assign(n, {});
    for (std::uint32_t i = 0; i < n; ++i) {
        if (!s.unit[i]) continue;
        const std::uint32_t site = g.siteOf[i];
        for (std::uint32_t j : g.accountsAt(site))
            if (j != i) s.nbr[i].push_back(j);
        for (std::uint32_t t : g.neighbours(site))
            for (std::uint32_t j : g.accountsAt(t)) s.nbr[i].push_back(j);
    }
    // Fixed accounts (and unplaced ones with a territory) start in their territory.
    bool anyFixed = false;
    std::vector<double> undo;
    for (std::uint32_t i = 0; i < n; ++i) {
        if (!p.inPlan(i)) continue;
        if (p.fixed[i] == Fixed::Free && s.unit[i]) {
            for (std::size_t m = 0; m < M; ++m) s.rest[m] += p.balanceValue(i, m);
            continue;
        }
        if (p.current[i] < 0) continue;
        anyFixed = true;
        const auto k = static_cast<std::size_t>(p.current[i]);
        if (s.unit[i]) {
            for (std::size_t m = 0; m < M; ++m) s.rest[m] += p.balanceValue(i, m);
            s.place(i, k, undo);
        } else {
            for (std::size_t m = 0; m < M; ++m) s.load[k * M + m] += p.balanceValue(i, m);
        }
    }
    s.symmetric = !anyFixed;
    for (std::size_t k = 1; k < K && s.symmetric; ++k)
        for (std::size_t m = 0; m < M; ++m) s.symmetric &= p.targetOf(k, m) == p.targetOf(0, m);
    // Farthest-first order of the free accounts.
    std::vector<std::uint32_t> freeU;
    for (std::uint32_t i = 0; i < n; ++i)
        if (s.unit[i] && p.fixed[i] == Fixed::Free) freeU.push_back(i);
    s.nf = freeU.size();
    if (!freeU.empty()) {
        std::vector<double> near(n, std::numeric_limits<double>::infinity());
        std::uint32_t cur = freeU[0];
        double far = -1;
        for (std::uint32_t i : freeU) {
            double e = 0;
            for (std::uint32_t j : freeU) e = std::max(e, s.d[i * n + j]);
            if (e > far) far = e, cur = i;
        }
        std::vector<std::uint8_t> taken(n, 0);
        for (std::size_t q = 0; q < freeU.size(); ++q) {
            s.order.push_back(cur);
            taken[cur] = 1;
            std::uint32_t next = cur;
            double bestNear = -1;
            for (std::uint32_t i : freeU) {
                if (taken[i]) continue;
                near[i] = std::min(near[i], s.d[i * n + cur]);
                if (near[i] > bestNear) bestNear = near[i], next = i;
            }
            cur = next;
        }
    }
    if (incumbent && incumbent->size() == n) {
        // A feasible incumbent gives the search its first bound.
        std::vector<std::vector<std::uint32_t>> mem(K);
        bool ok = true;
        std::vector<double> ld(K * M, 0);
        for (std::uint32_t i = 0; i < n; ++i) {
            if (!p.inPlan(i)) continue;
            const std::int32_t k = (*incumbent)[i];
            if (k < 0) {
                ok = false;
                break;
            }
            for (std::size_t m = 0; m < M; ++m) ld[static_cast<std::size_t>(k) * M + m] += p.balanceValue(i, m);
            if (s.unit[i]) mem[static_cast<std::size_t>(k)].push_back(i);
        }
        for (std::size_t x = 0; x < K * M && ok; ++x) ok = ld[x] >= s.lo[x] - 1e-9 && ld[x] <= s.hi[x] + 1e-9;
        if (ok) {
            const std::vector<std::int32_t> keep = s.assign;
            s.assign = *incumbent;
            ok = !contiguous || s.connected();
            s.assign = keep;
        }
        if (ok) {
            double mx = 0;
            for (const auto& m : mem)
                for (std::size_t a = 0; a < m.size(); ++a)
                    for (std::size_t b = a + 1; b < m.size(); ++b) mx = std::max(mx, s.d[m[a] * n + m[b]]);
            // Search strictly below it; keep it when nothing better exists.
            s.bestD = mx;
            s.best = *incumbent;
        }
    }
    if (s.promising(0)) s.run(0, 0);
    ExactDiameterResult r;
    r.nodes = s.nodes;
    r.optimal = !s.stopped;
    if (!s.best.empty()) {
        r.assignment = s.best;
        r.diameter = s.bestD;
    }
    return r;
}

} // namespace terrane::territory
