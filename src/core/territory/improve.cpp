// Anytime compactness improvement (simulated annealing over balanced, contiguous moves) and the
// lower bounds reported beside the objective.
//
//  [SECTION] names        compactness names
//  [SECTION] distances    the improver's distance between accounts
//  [SECTION] improver     state, moves, annealing cycles
//  [SECTION] objective    a plan's objective
//  [SECTION] bounds       lower bounds
#include "core/territory/improve.hpp"

#include "core/base/job.hpp"
#include "core/base/rng.hpp"
#include "core/territory/figures.hpp"
#include "core/territory/plan_state.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace terrane::territory {

// [SECTION] names
const char* compactnessName(Compactness c) {
    switch (c) {
    case Compactness::Distance: return "distance";
    case Compactness::Diameter: return "diameter";
    case Compactness::Home: return "home";
    }
    return "distance";
}

bool parseCompactness(std::string_view s, Compactness& out) {
    for (Compactness c : {Compactness::Distance, Compactness::Diameter, Compactness::Home})
        if (s == compactnessName(c)) return out = c, true;
    return false;
}

// [SECTION] distances
namespace {

constexpr double kBig = 1e18;

struct Dist {
    const float* paths = nullptr;
    std::size_t n = 0;
    const double *X = nullptr, *Y = nullptr;
    explicit Dist(const BalanceProblem& p)
        : paths(p.travel && p.travel->hasPaths() ? p.travel->paths.data() : nullptr), n(p.accounts),
          X(p.geo.x().data()), Y(p.geo.y().data()) {}
    double operator()(std::uint32_t i, std::uint32_t j) const {
        if (paths) {
            const double d = paths[static_cast<std::size_t>(i) * n + j];
            return d < kBig ? d : kBig;
        }
        const double dx = X[i] - X[j], dy = Y[i] - Y[j];
        return std::sqrt(dx * dx + dy * dy);
    }
};

struct Diam {
    double d = 0;
    std::uint32_t a = 0, b = 0;
};

Diam diameterOf(const BalanceProblem& p, const Dist& dist, std::span<const std::uint32_t> mem) {
    Diam r;
    if (mem.size() < 2) {
        if (!mem.empty()) r.a = r.b = mem[0];
        return r;
    }
    std::vector<std::uint32_t> hull;
    std::span<const std::uint32_t> pts = mem;
    if (!dist.paths) {
        hull = convexHull(p.geo.x(), p.geo.y(), mem);
        if (hull.size() >= 2) pts = hull;
    }
    r.a = r.b = pts[0];
    for (std::size_t x = 0; x < pts.size(); ++x)
        for (std::size_t y = x + 1; y < pts.size(); ++y) {
            const double d = dist(pts[x], pts[y]);
            if (d > r.d) r.d = d, r.a = pts[x], r.b = pts[y];
        }
    return r;
}

} // namespace

// [SECTION] improver
struct Improver::Impl {
    const BalanceProblem& p;
    const SiteGraph& g;
    ImproveOptions opt;
    Dist dist;
    Rng rng;
    std::unique_ptr<PlanState> st;
    std::size_t K, M;
    bool diameter;
    // Diameter below 20,000 movable accounts: a target Dt under the best diameter, and the search
    // minimises the excess of every pair of one territory beyond it (exc: per account, its pairs'
    // excess; Vk per territory, V in all). Reaching 0 is a better plan; the target then drops.
    bool target = false;
    double Dt = 0, V = 0, stepFrac = 0.01;
    static constexpr double ttau = 0.01; // start temperature, share of the target
    std::vector<double> exc, Vk;
    int fails = 0, stalls = 0;
    // Strategic oscillation (target mode, from a plan inside every band): moves may leave a band;
    // the cost adds mu x the relative band excess (Bk per territory, B in all), mu rising while the
    // plan is outside a band and falling while inside, so the search crosses narrow infeasible
    // valleys that single balanced moves cannot. Only plans inside every band are kept.
    bool osc = false;
    double muRel = 1, B = 0;
    std::vector<double> Bk;
    std::vector<Diam> D;
    // Distance objectives: weighted and plain sums per territory, centres, fixed homes.
    std::vector<double> sw, sx, sy, cn, cxs, cys, cx, cy;
    std::vector<std::uint8_t> home;
    double W = 1;
    double cur = 0, best = 0, startObj = 0, bestSecond = 0;
    std::vector<std::int32_t> bestAssign;
    std::vector<ObjectivePoint> hist;
    std::uint64_t iter = 0, accepted = 0, cycleLen = 20000;
    double runtime = 0;
    bool cancelled = false, timeLimited = false, finished = false;
    std::size_t movable = 0;
    std::vector<std::int32_t> adjT;
    std::vector<std::uint32_t> adjA;
    // Annealing: start temperature (share of the best diameter), weight of the mean diameter in the
    // cost, chance of targeting the worst territory and the ends of its diameter, cycle length per
    // movable account (chosen on generated 600-unit instances).
    static constexpr double tau = 0.01, lambda = 0.5, pcrit = 0.5, pend = 0.5, cyc = 50;

    Impl(const BalanceProblem& pp, const SiteGraph& gg, std::vector<std::int32_t> start, ImproveOptions o)
        : p(pp), g(gg), opt(o), dist(pp), rng(o.seed, 0x1f0a3b5c7d9e2461ULL), K(pp.K()), M(pp.M()),
          diameter(o.objective == Compactness::Diameter) {
        for (std::size_t i = 0; i < p.accounts; ++i)
            movable += p.fixed[i] == Fixed::Free && g.siteOf[i] != kNoSite ? 1 : 0;
        target = diameter && movable <= 20000;
        // Distance: the first plan is already near a local optimum: short, cool cycles.
        cycleLen = diameter ? std::clamp<std::uint64_t>(static_cast<std::uint64_t>(cyc * static_cast<double>(movable)), 20000, 1000000)
                            : std::clamp<std::uint64_t>(5 * static_cast<std::uint64_t>(movable), 20000, 200000);
        home.assign(K, 0);
        if (opt.objective == Compactness::Home)
            for (std::size_t k = 0; k < K; ++k) home[k] = std::isnan(p.homeX[k]) ? 0 : 1;
        W = 0;
        for (std::size_t i = 0; i < p.accounts; ++i)
            if (p.inPlan(i) && g.siteOf[i] != kNoSite) W += weightOf(static_cast<std::uint32_t>(i));
        if (!(W > 0)) W = 1;
        load(std::move(start));
        if (target) {
            measureBands();
            osc = B <= 0;
        }
        startObj = best = exactObjective();
        bestSecond = second();
        bestAssign = st->assignment();
        hist.push_back({0, 0, best});
        if (opt.iterations == 0 && !(opt.timeLimitMs > 0)) finished = true;
    }

    double weightOf(std::uint32_t i) const { return p.weight[i]; }

    void load(std::vector<std::int32_t> a) {
        std::vector<double> x, y;
        territoryCentres(p, a, opt.objective == Compactness::Home, x, y);
        st = std::make_unique<PlanState>(p, g, std::move(a), true, opt.maxMovedAccounts, opt.maxMovedValue, x, y);
        if (diameter) {
            D.assign(K, {});
            for (std::size_t k = 0; k < K; ++k) D[k] = diameterOf(p, dist, st->members(k));
            if (target) {
                if (Dt <= 0) Dt = maxDiam() * (1 - stepFrac);
                measureExcess();
                measureBands();
            }
        } else {
            sw.assign(K, 0), sx.assign(K, 0), sy.assign(K, 0), cn.assign(K, 0), cxs.assign(K, 0), cys.assign(K, 0);
            cx.assign(K, 0), cy.assign(K, 0);
            for (std::size_t k = 0; k < K; ++k) {
                for (std::uint32_t i : st->members(k)) addSums(i, k, 1.0);
                centre(k);
                if (home[k]) cx[k] = p.homeX[k], cy[k] = p.homeY[k];
            }
        }
        cur = target ? V + mu() * B : diameter ? diamCost(D) : exactObjective();
    }

    double mu() const { return osc ? muRel * Dt : 0.0; }
    // Relative excess beyond k's bands with `delta` (scaled by `sign`) added to its load.
    double bandExcess(std::size_t k, const double* delta, double sign) const {
        double t = 0;
        for (std::size_t m = 0; m < M; ++m) {
            const double w = st->load(k, m) + (delta ? sign * delta[m] : 0.0), T = p.targetOf(k, m);
            const double v = viol(k, m, w);
            if (v > 1e-10 * std::max(1.0, T)) t += T > 0 ? v / T : v;
        }
        return t;
    }
    void measureBands() {
        Bk.assign(K, 0), B = 0;
        for (std::size_t k = 0; k < K; ++k) B += Bk[k] = bandExcess(k, nullptr, 0);
    }

    double ex(std::uint32_t i, std::uint32_t j) const { return std::max(0.0, dist(i, j) - Dt); }
    void measureExcess() {
        exc.assign(p.accounts, 0), Vk.assign(K, 0), V = 0;
        for (std::size_t k = 0; k < K; ++k) {
            const auto mem = st->members(k);
            for (std::size_t x = 0; x < mem.size(); ++x)
                for (std::size_t y = x + 1; y < mem.size(); ++y) {
                    const double e = ex(mem[x], mem[y]);
                    exc[mem[x]] += e, exc[mem[y]] += e, Vk[k] += e;
                }
            V += Vk[k];
        }
    }
    // Excess of i against the other members of k.
    double excessIn(std::uint32_t i, std::size_t k) const {
        double t = 0;
        for (std::uint32_t x : st->members(k))
            if (x != i) t += ex(i, x);
        return t;
    }
    // After i moved from `from` to `to`: its pairs' excess moves with it.
    void shiftExcess(std::uint32_t i, std::size_t from, std::size_t to) {
        for (std::uint32_t x : st->members(from)) exc[x] -= ex(i, x);
        double t = 0;
        for (std::uint32_t x : st->members(to))
            if (x != i) {
                const double e = ex(i, x);
                exc[x] += e, t += e;
            }
        Vk[from] -= exc[i], Vk[to] += t, V += t - exc[i];
        exc[i] = t;
    }
    // The target is met: measure the plan, keep it if better, aim lower.
    void targetMet() {
        for (std::size_t k = 0; k < K; ++k) D[k] = diameterOf(p, dist, st->members(k));
        noteBest(maxDiam());
        fails = 0;
        Dt = best * (1 - stepFrac);
        measureExcess();
        cur = V + mu() * B;
    }

    // Diameter: the max, plus half the mean (it makes room for the widest territory to shrink).
    double diamCost(const std::vector<Diam>& d) const {
        double mx = 0, s = 0;
        for (const Diam& x : d) mx = std::max(mx, x.d), s += x.d;
        return mx + lambda * s / static_cast<double>(K);
    }
    double maxDiam() const {
        double mx = 0;
        for (const Diam& x : D) mx = std::max(mx, x.d);
        return mx;
    }
    double second() const {
        if (!diameter) return 0;
        double s = 0;
        for (const Diam& x : D) s += x.d;
        return s;
    }

    void addSums(std::uint32_t i, std::size_t k, double sign) {
        const double w = weightOf(i);
        sw[k] += sign * w, sx[k] += sign * w * p.geo.x()[i], sy[k] += sign * w * p.geo.y()[i];
        cn[k] += sign, cxs[k] += sign * p.geo.x()[i], cys[k] += sign * p.geo.y()[i];
    }
    void centre(std::size_t k) {
        if (home[k]) return;
        if (sw[k] > 0) cx[k] = sx[k] / sw[k], cy[k] = sy[k] / sw[k];
        else if (cn[k] > 0) cx[k] = cxs[k] / cn[k], cy[k] = cys[k] / cn[k];
    }
    double dc(std::uint32_t i, std::size_t k) const {
        const double dx = p.geo.x()[i] - cx[k], dy = p.geo.y()[i] - cy[k];
        return std::sqrt(dx * dx + dy * dy);
    }

    double exactObjective() const { return diameter ? maxDiam() : planObjective(p, st->assignment(), opt.objective); }

    double viol(std::size_t k, std::size_t m, double w) const {
        const double T = p.targetOf(k, m);
        if (!(T > 0)) return std::fabs(w);
        return std::max(0.0, std::fabs(w - T) - p.tolerance[m] * T);
    }
    // Whether adding `delta` (per metric, scaled by `sign`) to k's load worsens no metric's excess.
    bool balanceOk(std::size_t k, const double* delta, double sign) const {
        for (std::size_t m = 0; m < M; ++m) {
            const double d = sign * delta[m];
            if (d == 0) continue;
            const double w = st->load(k, m);
            if (viol(k, m, w + d) > viol(k, m, w) + 1e-9 * std::max(1.0, p.targetOf(k, m))) return false;
        }
        return true;
    }

    std::pair<double, std::uint32_t> ecc(std::uint32_t i, std::size_t k) const {
        double best = 0;
        std::uint32_t at = i;
        for (std::uint32_t j : st->members(k)) {
            const double d = dist(i, j);
            if (d > best) best = d, at = j;
        }
        return {best, at};
    }

    struct Cand {
        std::uint32_t i = 0, j = 0;
        std::int32_t t = -1;
        bool swap = false;
        double cost = 0;
        Diam dA, dB;
    };

    // Evaluates i -> t (and j -> i's territory when swapping); false when a rule refuses it.
    bool evaluate(std::uint32_t i, std::int32_t t, bool swap, std::uint32_t j, Cand& c) {
        const std::int32_t A = st->territoryOf(i);
        const auto a = static_cast<std::size_t>(A), b = static_cast<std::size_t>(t);
        double delta[8];
        for (std::size_t m = 0; m < M; ++m) delta[m] = p.balanceValue(i, m) - (swap ? p.balanceValue(j, m) : 0.0);
        double dB = 0;
        if (osc) dB = bandExcess(a, delta, -1.0) + bandExcess(b, delta, 1.0) - Bk[a] - Bk[b];
        else if (!balanceOk(a, delta, -1.0) || !balanceOk(b, delta, 1.0)) return false;
        if (st->check(i, t) != MoveBlock::None) return false;
        st->move(i, t);
        if (swap && st->check(j, A) != MoveBlock::None) {
            st->move(i, A);
            return false;
        }
        if (swap) st->move(j, A);
        c.i = i, c.j = j, c.t = t, c.swap = swap;
        if (target) {
            double d = excessIn(i, b) - exc[i];
            if (swap) d += excessIn(j, a) - exc[j];
            c.cost = V + d + mu() * (B + dB);
        } else if (diameter) {
            c.dA = D[a], c.dB = D[b];
            if (i == D[a].a || i == D[a].b) {
                c.dA = diameterOf(p, dist, st->members(a));
            } else if (swap) {
                const auto [e, at] = ecc(j, a);
                if (e > c.dA.d) c.dA = {e, j, at};
            }
            if (swap && (j == D[b].a || j == D[b].b)) {
                c.dB = diameterOf(p, dist, st->members(b));
            } else {
                const auto [e, at] = ecc(i, b);
                if (e > c.dB.d) c.dB = {e, i, at};
            }
            const Diam oa = D[a], ob = D[b];
            D[a] = c.dA, D[b] = c.dB;
            c.cost = diamCost(D);
            D[a] = oa, D[b] = ob;
        } else {
            double d = weightOf(i) * (dc(i, b) - dc(i, a));
            if (swap) d += weightOf(j) * (dc(j, a) - dc(j, b));
            c.cost = cur + d / W;
        }
        if (swap) st->move(j, t);
        st->move(i, A);
        return true;
    }

    void apply(const Cand& c) {
        const std::int32_t A = st->territoryOf(c.i);
        const auto a = static_cast<std::size_t>(A), b = static_cast<std::size_t>(c.t);
        st->move(c.i, c.t);
        if (target) shiftExcess(c.i, a, b);
        if (c.swap) st->move(c.j, A);
        if (target) {
            if (c.swap) shiftExcess(c.j, b, a);
            if (osc) {
                Bk[a] = bandExcess(a, nullptr, 0), Bk[b] = bandExcess(b, nullptr, 0);
                B = 0; // summed afresh: exactly 0 when every territory is inside its bands
                for (double x : Bk) B += x;
            }
            cur = V + mu() * B;
            ++accepted;
            if (V < 1e-9 * std::max(1.0, Dt) && B <= 0) targetMet();
            return;
        }
        if (diameter) {
            D[a] = c.dA, D[b] = c.dB;
        } else {
            addSums(c.i, a, -1), addSums(c.i, b, 1);
            if (c.swap) addSums(c.j, b, -1), addSums(c.j, a, 1);
            centre(a), centre(b);
        }
        cur = c.cost;
        ++accepted;
    }

    std::uint32_t pickUnit(std::size_t k) {
        const auto mem = st->members(k);
        if (target) { // the worst of three
            std::uint32_t u = mem[rng.below(static_cast<std::uint32_t>(mem.size()))];
            for (int q = 0; q < 2; ++q) {
                const std::uint32_t w = mem[rng.below(static_cast<std::uint32_t>(mem.size()))];
                if (exc[w] > exc[u]) u = w;
            }
            return u;
        }
        if (diameter && rng.chance(pend)) return rng.chance(0.5) ? D[k].a : D[k].b;
        return mem[rng.below(static_cast<std::uint32_t>(mem.size()))];
    }

    void attempt() {
        std::size_t k = rng.below(static_cast<std::uint32_t>(K));
        if (osc) { // the penalty follows the time spent outside the bands
            muRel = std::clamp(B > 0 ? muRel * 1.001 : muRel / 1.001, 0.01, 100.0);
            cur = V + mu() * B;
        }
        if (osc && B > 0 && rng.chance(0.5)) {
            double mx = -1;
            for (std::size_t q = 0; q < K; ++q)
                if (Bk[q] > mx) mx = Bk[q], k = q;
        } else if (target && rng.chance(pcrit)) {
            double mx = -1;
            for (std::size_t q = 0; q < K; ++q)
                if (Vk[q] > mx) mx = Vk[q], k = q;
        } else if (diameter && !target && rng.chance(pcrit)) {
            double mx = -1;
            for (std::size_t q = 0; q < K; ++q)
                if (D[q].d > mx) mx = D[q].d, k = q;
        }
        if (st->members(k).empty()) return;
        std::uint32_t i = 0;
        adjT.clear();
        for (int tries = 0; tries < 4 && adjT.empty(); ++tries) {
            i = pickUnit(k);
            if (p.fixed[i] != Fixed::Free) continue;
            st->adjacentTerritories(i, adjT);
        }
        if (adjT.empty()) return;
        Cand bestC, c;
        bool have = false;
        for (std::int32_t t : adjT)
            if (evaluate(i, t, false, 0, c) && (!have || c.cost < bestC.cost)) bestC = c, have = true;
        st->adjacentAccounts(i, adjA);
        const std::size_t lim = std::min<std::size_t>(adjA.size(), 16);
        const std::size_t off = adjA.size() > lim ? rng.below(static_cast<std::uint32_t>(adjA.size())) : 0;
        for (std::size_t q = 0; q < lim; ++q) {
            const std::uint32_t j = adjA[(off + q) % adjA.size()];
            if (p.fixed[j] != Fixed::Free) continue;
            if (evaluate(i, st->territoryOf(j), true, j, c) && (!have || c.cost < bestC.cost)) bestC = c, have = true;
        }
        if (!have) return;
        const double delta = bestC.cost - cur;
        if (delta > 1e-12) {
            const double frac = static_cast<double>(iter % cycleLen) / static_cast<double>(cycleLen);
            const double cool = (1 - frac) * (1 - frac);
            const double T = (target ? ttau * Dt : diameter ? tau * best : 0.02 * best / static_cast<double>(std::max<std::size_t>(movable, 1))) * cool;
            if (!(T > 0) || rng.uniform() >= detExp(-delta / T)) return;
        }
        apply(bestC);
        if (diameter && !target) noteBest(maxDiam());
    }

    void noteBest(double obj) {
        const double s = second();
        if (obj < best - 1e-9 * std::max(1.0, best) || (obj <= best + 1e-12 && s < bestSecond - 1e-9 * std::max(1.0, s))) {
            const bool fell = obj < best - 1e-12;
            best = obj, bestSecond = s;
            bestAssign = st->assignment();
            if (fell) hist.push_back({runtime, iter, best});
            if (hist.size() > 512) { // keep the chart light: every other point
                std::size_t w = 0;
                for (std::size_t r = 0; r < hist.size(); r += 2) hist[w++] = hist[r];
                hist.resize(w);
            }
        }
    }

    // Random contiguous moves of a twentieth of the movable accounts (balanced ones unless the
    // search oscillates, which then repairs the bands).
    void kick() {
        const auto n = static_cast<std::uint64_t>(0.05 * static_cast<double>(movable));
        double delta[8];
        std::uint64_t moved = 0;
        for (std::uint64_t q = 0; q < 4 * n && moved < n; ++q) {
            const auto i = static_cast<std::uint32_t>(rng.below(static_cast<std::uint32_t>(p.accounts)));
            const std::int32_t A = st->territoryOf(i);
            if (p.fixed[i] != Fixed::Free || A < 0 || g.siteOf[i] == kNoSite) continue;
            st->adjacentTerritories(i, adjT);
            if (adjT.empty()) continue;
            const std::int32_t t = adjT[rng.below(static_cast<std::uint32_t>(adjT.size()))];
            for (std::size_t m = 0; m < M; ++m) delta[m] = p.balanceValue(i, m);
            if ((!osc && (!balanceOk(static_cast<std::size_t>(A), delta, -1.0) || !balanceOk(static_cast<std::size_t>(t), delta, 1.0))) ||
                st->check(i, t) != MoveBlock::None)
                continue;
            st->move(i, t);
            ++moved;
        }
        for (std::size_t k = 0; k < K; ++k) D[k] = diameterOf(p, dist, st->members(k));
        measureExcess();
        measureBands();
        cur = V + mu() * B;
    }

    void endOfCycle() {
        if (target) { // a target out of reach for three cycles: back to the best plan, a smaller step
            if (++fails < 3) return;
            fails = 0;
            stalls += stepFrac <= 0.001 ? 1 : 0;
            stepFrac = std::max(0.001, stepFrac * 0.5);
            Dt = best * (1 - stepFrac);
            load(bestAssign);
            if (stalls >= 2) { // stuck at the smallest step: go on from a shaken copy of the best plan
                stalls = 0;
                kick();
            }
            return;
        }
        if (!diameter) {
            // Centres drifted with the moves: re-measure exactly.
            noteBest(exactObjective());
        }
        if (st->assignment() != bestAssign) load(bestAssign);
    }

    bool step(double budgetMs) {
        if (finished) return true;
        Stopwatch clock;
        const double before = runtime;
        while (true) {
            if (cancelled) break;
            std::uint64_t chunk = 256;
            if (opt.iterations > 0) chunk = std::min<std::uint64_t>(chunk, opt.iterations - iter);
            for (std::uint64_t c = 0; c < chunk; ++c) {
                attempt();
                ++iter;
                if (!diameter && iter % 4096 == 0) {
                    cur = exactObjective();
                    noteBest(cur);
                }
                if (iter % cycleLen == 0) endOfCycle();
            }
            runtime = before + clock.ms();
            if (opt.iterations > 0 && iter >= opt.iterations) break;
            if (opt.timeLimitMs > 0 && runtime >= opt.timeLimitMs) {
                timeLimited = opt.iterations > 0 && opt.iterations != std::numeric_limits<std::uint64_t>::max();
                break;
            }
            if (clock.ms() >= budgetMs) return false;
        }
        if (!diameter) noteBest(exactObjective());
        hist.push_back({runtime, iter, best});
        finished = true;
        return true;
    }
};

Improver::Improver(const BalanceProblem& p, const SiteGraph& g, std::vector<std::int32_t> start, ImproveOptions o)
    : m(std::make_unique<Impl>(p, g, std::move(start), o)) {}
Improver::~Improver() = default;
bool Improver::step(double budgetMs) {
    return m->step(budgetMs);
}
void Improver::cancel() {
    m->cancelled = true;
}
bool Improver::done() const {
    return m->finished;
}
double Improver::progress() const {
    if (m->finished) return 1;
    double f = 0;
    if (m->opt.iterations > 0 && m->opt.iterations != std::numeric_limits<std::uint64_t>::max())
        f = static_cast<double>(m->iter) / static_cast<double>(m->opt.iterations);
    if (m->opt.timeLimitMs > 0) f = std::max(f, m->runtime / m->opt.timeLimitMs);
    return std::min(1.0, f);
}
const std::vector<std::int32_t>& Improver::best() const {
    return m->bestAssign;
}
double Improver::startObjective() const {
    return m->startObj;
}
double Improver::bestObjective() const {
    return m->best;
}
const std::vector<ObjectivePoint>& Improver::history() const {
    return m->hist;
}
std::uint64_t Improver::iterations() const {
    return m->iter;
}
std::uint64_t Improver::acceptedMoves() const {
    return m->accepted;
}
bool Improver::timeLimited() const {
    return m->timeLimited;
}
double Improver::runtimeMs() const {
    return m->runtime;
}

// [SECTION] objective
double planObjective(const BalanceProblem& p, std::span<const std::int32_t> assign, Compactness c) {
    const Dist dist(p);
    if (c == Compactness::Diameter) {
        std::vector<std::vector<std::uint32_t>> mem(p.K());
        for (std::size_t i = 0; i < p.accounts; ++i)
            if (assign[i] >= 0 && p.inPlan(i) && p.geo.placed(i)) mem[static_cast<std::size_t>(assign[i])].push_back(static_cast<std::uint32_t>(i));
        double mx = 0;
        for (const auto& m : mem) mx = std::max(mx, diameterOf(p, dist, m).d);
        return mx;
    }
    std::vector<double> cx, cy;
    territoryCentres(p, assign, c == Compactness::Home, cx, cy);
    double s = 0, w = 0, sc = 0, n = 0;
    for (std::size_t i = 0; i < p.accounts; ++i) {
        if (assign[i] < 0 || !p.inPlan(i) || !p.geo.placed(i)) continue;
        const auto k = static_cast<std::size_t>(assign[i]);
        if (std::isnan(cx[k])) continue;
        const double dx = p.geo.x()[i] - cx[k], dy = p.geo.y()[i] - cy[k];
        const double d = std::sqrt(dx * dx + dy * dy);
        s += p.weight[i] * d, w += p.weight[i], sc += d, n += 1;
    }
    return w > 0 ? s / w : n > 0 ? sc / n : 0.0;
}

// [SECTION] bounds
LowerBound objectiveLowerBound(const BalanceProblem& p, Compactness c) {
    LowerBound lb;
    const std::size_t n = p.accounts, K = p.K(), M = p.M();
    if (c == Compactness::Distance) {
        lb.basis = "no cheap bound: the distance to a moving centroid has no simple relaxation";
        return lb;
    }
    if (c == Compactness::Home) {
        for (std::size_t k = 0; k < K; ++k)
            if (std::isnan(p.homeX[k])) {
                lb.basis = "no bound: some owners have no home base";
                return lb;
            }
        std::vector<PlanGeometry::Anchor> an;
        for (std::size_t k = 0; k < K; ++k) an.push_back(p.geo.anchor(p.homeX[k], p.homeY[k]));
        double s = 0, w = 0, sc = 0, cnt = 0;
        for (std::size_t i = 0; i < n; ++i) {
            if (!p.inPlan(i) || !p.geo.placed(i)) continue;
            double best = kBig;
            for (std::size_t k = 0; k < K; ++k) best = std::min(best, p.geo.distance(i, an[k]));
            s += p.weight[i] * best, w += p.weight[i], sc += best, cnt += 1;
        }
        lb.known = true;
        lb.value = w > 0 ? s / w : cnt > 0 ? sc / cnt : 0.0;
        lb.basis = "every account at least as far as its nearest home base";
        return lb;
    }
    // Diameter: balls that hold a territory's minimum share.
    std::vector<double> lo(M, kBig), freeLoad(M, 0);
    for (std::size_t k = 0; k < K; ++k)
        for (std::size_t m = 0; m < M; ++m)
            if (p.targetOf(k, m) > 0) lo[m] = std::min(lo[m], (1 - p.tolerance[m]) * p.targetOf(k, m));
    std::vector<std::uint32_t> placed;
    for (std::size_t i = 0; i < n; ++i) {
        if (!p.inPlan(i)) continue;
        if (p.geo.placed(i)) placed.push_back(static_cast<std::uint32_t>(i));
        else
            for (std::size_t m = 0; m < M; ++m) freeLoad[m] += p.balanceValue(i, m);
    }
    std::vector<std::uint32_t> centres;
    if (placed.size() <= kMaxPathAccounts) {
        centres = placed;
    } else {
        // Outlying accounts (the hull) need the widest balls; a stride of the rest completes the sample.
        const std::size_t want = placed.size() > 200000 ? 16 : 64;
        const std::vector<std::uint32_t> hull = convexHull(p.geo.x(), p.geo.y(), placed);
        const std::size_t hs = std::max<std::size_t>(1, hull.size() / (want / 2));
        for (std::size_t q = 0; q < hull.size() && centres.size() < want / 2; q += hs) centres.push_back(hull[q]);
        const std::size_t step = std::max<std::size_t>(1, placed.size() / (want - centres.size()));
        for (std::size_t q = 0; q < placed.size() && centres.size() < want; q += step) centres.push_back(placed[q]);
    }
    std::vector<std::pair<double, std::uint32_t>> order(placed.size());
    std::vector<double> cum(M);
    double best = 0;
    for (std::uint32_t u : centres) {
        for (std::size_t q = 0; q < placed.size(); ++q) order[q] = {accountDistance(p, u, placed[q]), placed[q]};
        std::sort(order.begin(), order.end());
        // The nearest accounts until every metric reaches its minimum: the farthest of them.
        double need = 0;
        cum = freeLoad;
        for (const auto& [d, v] : order) {
            bool enough = true;
            for (std::size_t m = 0; m < M; ++m) enough &= cum[m] >= lo[m] - 1e-9 * lo[m];
            if (enough) break;
            need = d;
            for (std::size_t m = 0; m < M; ++m) cum[m] += p.balanceValue(v, m);
        }
        best = std::max(best, need);
    }
    lb.known = true;
    lb.value = best;
    lb.basis = "each territory holds at least (1 - tolerance) x the smallest target of every metric, all within its "
               "diameter of any of its accounts: so its diameter is at least the radius of the smallest ball around "
               "each account that holds that much (largest over " +
               std::to_string(centres.size()) + " accounts)";
    // Accounts fixed to one territory span at least their widest pair.
    std::vector<std::vector<std::uint32_t>> fixedIn(K);
    for (std::size_t i = 0; i < n; ++i)
        if (p.inPlan(i) && p.geo.placed(i) && p.fixed[i] != Fixed::Free && p.current[i] >= 0)
            fixedIn[static_cast<std::size_t>(p.current[i])].push_back(static_cast<std::uint32_t>(i));
    double fixedSpan = 0;
    for (const auto& f : fixedIn)
        if (f.size() <= 2000)
            for (std::size_t x = 0; x < f.size(); ++x)
                for (std::size_t y = x + 1; y < f.size(); ++y) fixedSpan = std::max(fixedSpan, accountDistance(p, f[x], f[y]));
    if (fixedSpan > lb.value) {
        lb.value = fixedSpan;
        lb.basis = "the widest pair of accounts locked to one territory";
    }
    return lb;
}

} // namespace terrane::territory
