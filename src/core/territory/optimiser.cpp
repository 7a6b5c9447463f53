// Index
//  [SECTION] helpers        centre index (grid k-nearest), formatting
//  [SECTION] state          the optimiser's phases and data
//  [SECTION] start          composite measure, targets, recursive bisection, first centres
//  [SECTION] allocate       candidate arcs, balanced assignment, split resolution, centres
//  [SECTION] budget         the stay-bonus price search for a disruption budget
//  [SECTION] polish         budget enforcement, contiguity repair, local search
//  [SECTION] finish         figures and blocking constraints
//  [SECTION] step           slicing, progress, snapshot
#include "core/territory/optimiser.hpp"

#include "core/rng.hpp"
#include "core/territory/centre_index.hpp"
#include "core/territory/plan_state.hpp"
#include "core/territory/search.hpp"
#include "core/territory/transport.hpp"
#include "core/text.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>

namespace terrane::territory {

// [SECTION] helpers
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

std::string fmtValue(double v) {
    char buf[64];
    const double a = std::fabs(v);
    if (a >= 1e9)
        std::snprintf(buf, sizeof buf, "%.2fB", v / 1e9);
    else if (a >= 1e6)
        std::snprintf(buf, sizeof buf, "%.2fM", v / 1e6);
    else if (a >= 1e4)
        std::snprintf(buf, sizeof buf, "%.1fk", v / 1e3);
    else
        std::snprintf(buf, sizeof buf, "%.2f", v);
    return buf;
}

std::string fmtPct(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.2f%%", v * 100.0);
    return buf;
}

} // namespace

// [SECTION] state
struct Optimiser::Impl {
    enum class Phase { Graph, Start, Allocate, Polish, Compact, Finish, Done };
    enum class Sub { Build, Solve, Round };

    std::shared_ptr<const BalanceProblem> holder;
    const BalanceProblem& p;
    BalanceOptions opt;
    std::shared_ptr<const SiteGraph> graph;
    std::unique_ptr<SiteGraphBuilder> builder;
    Phase phase = Phase::Graph;
    double runtimeMs = 0;
    bool cancelled = false, timeLimited = false;
    std::string detailText = "Preparing";

    // Composite balance measure.
    std::vector<double> s; // per account (0 outside the plan)
    std::vector<double> Tc, fixedLoad, demand;
    std::vector<std::uint32_t> sources;     // free placed accounts in the plan
    std::vector<std::uint32_t> fixedPlaced; // fixed accounts with a location and a territory
    // Multilevel: location-allocation first runs on grid cells of accounts (each cell a unit with the
    // exact total supply of its accounts at their weighted centroid; the squared-distance cost of a
    // cell is then exact up to a constant), four times finer per level, then on the accounts. Centres
    // and prices carry from level to level, so the full-size solves only settle local boundaries.
    std::vector<double> levelCell; // cell size per level; 0 = the accounts themselves
    std::size_t level = 0;
    std::vector<double> unitS, unitX, unitY;
    std::vector<std::uint32_t> unitStart, unitMembers;
    std::vector<std::int32_t> assign;
    std::vector<double> cx, cy;
    double sFree = 0;

    // Location-allocation.
    std::size_t iter = 0, maxIter = 10, iterTotal = 0;
    double prevObj = 0;
    Sub sub = Sub::Build;
    TransportProblem tp;
    TransportSolver solver;
    std::vector<double> prices;
    std::size_t buildNext = 0;
    CentreIndex index;
    std::size_t arcsPerAccount = 7;
    std::size_t splitCount = 0, flowPhases = 0;
    std::vector<std::pair<double, std::uint32_t>> knn;
    std::vector<std::uint32_t> knnSinks; // per source, arcsPerAccount nearest centres (cached)
    std::vector<double> knnCx, knnCy;    // centres when the cache was built
    std::size_t knnAge = 0;
    bool knnFresh = false;

    // Disruption budget.
    bool budgetMode = false;
    double maxCount = 1e300, maxValue = 1e300;
    std::vector<std::int32_t> startAssign; // the plan before optimising (budget mode)

    // Polish.
    std::vector<std::unique_ptr<PlanState>> states; // polish candidates (two with a binding budget)
    std::vector<std::unique_ptr<BalanceRepair>> repairs;
    std::vector<std::unique_ptr<CompactnessPass>> compacts;
    std::size_t candidate = 0, earlierMoves = 0;
    PlanState* state = nullptr; // the candidate being polished, then the one kept
    ContiguityRepairReport contiguityReport;
    std::size_t reverted = 0;

    BalanceResult result;

    Impl(std::shared_ptr<const BalanceProblem> h, BalanceOptions o, std::shared_ptr<const SiteGraph> g)
        : holder(std::move(h)), p(*holder), opt(std::move(o)), graph(std::move(g)) {
        if (!graph) builder = std::make_unique<SiteGraphBuilder>(p.geo.x(), p.geo.y());
        result.seed = opt.seed;
        result.warnings = p.warnings;
    }

    bool timeUp(double sliceMs) const { return opt.timeLimitMs > 0 && runtimeMs + sliceMs > opt.timeLimitMs; }

    // [SECTION] start
    void start() {
        const std::size_t n = p.accounts, K = p.K(), M = p.M();
        double invTolSum = 0;
        for (double t : p.tolerance) invTolSum += 1.0 / t;
        s.assign(n, 0.0);
        for (std::size_t i = 0; i < n; ++i) {
            if (!p.inPlan(i)) continue;
            double v = 0;
            for (std::size_t m = 0; m < M; ++m) v += p.balanceValue(i, m) / p.total[m] / p.tolerance[m];
            s[i] = v / invTolSum;
        }
        double capTotal = 0;
        for (double c : p.capacity) capTotal += c;
        Tc.assign(K, 0.0);
        for (std::size_t k = 0; k < K; ++k) Tc[k] = p.capacity[k] / capTotal;
        fixedLoad.assign(K, 0.0);
        assign.assign(n, -1);
        for (std::size_t i = 0; i < n; ++i) {
            if (!p.inPlan(i)) continue;
            if (p.fixed[i] != Fixed::Free) {
                assign[i] = p.current[i];
                fixedLoad[static_cast<std::size_t>(p.current[i])] += s[i];
                if (p.geo.placed(i)) fixedPlaced.push_back(static_cast<std::uint32_t>(i));
            } else if (p.geo.placed(i)) {
                sources.push_back(static_cast<std::uint32_t>(i));
                sFree += s[i];
            }
        }
        demand.assign(K, 0.0);
        double dsum = 0;
        for (std::size_t k = 0; k < K; ++k) dsum += demand[k] = std::max(0.0, Tc[k] - fixedLoad[k]);
        if (dsum > 0)
            for (double& d : demand) d *= sFree / dsum;

        // Budget limits (absolute).
        double inPlan = 0, value = 0;
        for (std::size_t i = 0; i < n; ++i)
            if (p.inPlan(i)) inPlan += 1, value += p.moveValue[i];
        if (opt.maxMovedAccounts < 1.0) maxCount = std::floor(opt.maxMovedAccounts * inPlan + 1e-9);
        if (opt.maxMovedValue < 1.0) maxValue = opt.maxMovedValue * value;
        budgetMode = maxCount < 1e300 || maxValue < 1e300;

        // Start from the current plan when most free accounts have a territory.
        std::size_t withCurrent = 0;
        for (std::uint32_t i : sources) withCurrent += p.current[i] >= 0 ? 1 : 0;
        const bool fromCurrent = !sources.empty() && withCurrent * 2 >= sources.size();
        if (fromCurrent) {
            for (std::uint32_t i : sources) assign[i] = p.current[i];
            updateCentres(false);
            seedEmptyCentres();
            for (std::uint32_t i : sources)
                if (assign[i] < 0) assign[i] = nearestCentre(i);
        } else {
            bisect();
        }
        updateCentres(false);
        seedEmptyCentres();
        if (opt.fixedCentres) {
            std::size_t missing = 0;
            for (std::size_t k = 0; k < K; ++k) {
                if (!std::isnan(p.homeX[k]))
                    cx[k] = p.homeX[k], cy[k] = p.homeY[k];
                else
                    ++missing;
            }
            if (missing > 0)
                result.warnings.push_back(
                    std::to_string(missing) +
                    " territories have no home base (home_lat/home_lon); their centroid is used instead");
        }
        const std::size_t nf = sources.size();
        maxIter = opt.fixedCentres ? 1 : nf <= 20000 ? 40 : nf <= 200000 ? 20 : 12;
        levelCell.assign(1, 0.0);
        if (!opt.fixedCentres && nf > 0) {
            double x0 = 1e300, x1 = -1e300, y0 = 1e300, y1 = -1e300;
            for (std::uint32_t i : sources) {
                x0 = std::min(x0, p.geo.x()[i]), x1 = std::max(x1, p.geo.x()[i]);
                y0 = std::min(y0, p.geo.y()[i]), y1 = std::max(y1, p.geo.y()[i]);
            }
            const double area = std::max(x1 - x0, 1e-9) * std::max(y1 - y0, 1e-9);
            for (double cells = 16.0 * static_cast<double>(K); cells < static_cast<double>(nf) / 3.0;
                 cells *= 4.0)
                levelCell.push_back(std::sqrt(area / cells));
            std::rotate(levelCell.begin(), levelCell.begin() + 1,
                        levelCell.end()); // coarsest first, accounts last
        }
        arcsPerAccount = std::min<std::size_t>(K, 5);
        prices.assign(K, 0.0);
        if (budgetMode) startAssign = assign;
        beginAllocation();
    }

    double d2(std::uint32_t i, std::size_t k) const {
        const double dx = p.geo.x()[i] - cx[k], dy = p.geo.y()[i] - cy[k];
        return dx * dx + dy * dy;
    }

    std::int32_t nearestCentre(std::uint32_t i) const {
        std::int32_t best = -1;
        double bd = 0;
        for (std::size_t k = 0; k < p.K(); ++k) {
            if (std::isnan(cx[k]) || demand[k] <= 0) continue;
            const double d = d2(i, k);
            if (best < 0 || d < bd) best = static_cast<std::int32_t>(k), bd = d;
        }
        return best;
    }

    // Weighted centroids of the assignment.
    void updateCentres(bool keepOld) {
        const std::size_t K = p.K();
        std::vector<double> sw(K, 0), sx(K, 0), sy(K, 0), c(K, 0), ux(K, 0), uy(K, 0);
        const auto& X = p.geo.x();
        const auto& Y = p.geo.y();
        auto addAccount = [&](std::size_t i) {
            const std::int32_t k = assign[i];
            if (k < 0 || !p.geo.placed(i)) return;
            const auto ks = static_cast<std::size_t>(k);
            sw[ks] += s[i], sx[ks] += s[i] * X[i], sy[ks] += s[i] * Y[i];
            c[ks] += 1, ux[ks] += X[i], uy[ks] += Y[i];
        };
        for (std::size_t i = 0; i < p.accounts; ++i) addAccount(i);
        if (cx.size() != K) cx.assign(K, kNaN), cy.assign(K, kNaN);
        for (std::size_t k = 0; k < K; ++k) {
            if (opt.fixedCentres && !std::isnan(p.homeX[k])) {
                cx[k] = p.homeX[k], cy[k] = p.homeY[k];
            } else if (sw[k] > 0) {
                cx[k] = sx[k] / sw[k], cy[k] = sy[k] / sw[k];
            } else if (c[k] > 0) {
                cx[k] = ux[k] / c[k], cy[k] = uy[k] / c[k];
            } else if (!keepOld) {
                cx[k] = p.homeX[k], cy[k] = p.homeY[k];
            }
        }
    }

    // Territories without a centre get the free account farthest from every centre.
    void seedEmptyCentres() {
        for (std::size_t k = 0; k < p.K(); ++k) {
            if (!std::isnan(cx[k]) || demand[k] <= 0) continue;
            std::uint32_t best = 0xffffffffu;
            double bd = -1;
            for (std::uint32_t i : sources) {
                double dmin = 1e300;
                for (std::size_t j = 0; j < p.K(); ++j)
                    if (!std::isnan(cx[j])) dmin = std::min(dmin, d2(i, j));
                if (dmin > bd) bd = dmin, best = i;
            }
            if (best == 0xffffffffu) break;
            cx[k] = p.geo.x()[best], cy[k] = p.geo.y()[best];
        }
    }

    // Recursive bisection by capacity share along a seeded direction.
    void bisect() {
        Rng rng(opt.seed, 0x7e11);
        const double theta = rng.uniform() * 180.0;
        const double c = detCosDeg(theta), sn = detSinDeg(theta);
        std::vector<double> u(p.accounts, 0), v(p.accounts, 0);
        for (std::uint32_t i : sources) {
            u[i] = c * p.geo.x()[i] + sn * p.geo.y()[i];
            v[i] = -sn * p.geo.x()[i] + c * p.geo.y()[i];
        }
        std::vector<std::uint32_t> terr;
        for (std::size_t k = 0; k < p.K(); ++k)
            if (demand[k] > 0) terr.push_back(static_cast<std::uint32_t>(k));
        if (terr.empty()) return;
        std::vector<std::uint32_t> idx = sources;
        struct Task {
            std::size_t lo, hi, tlo, thi;
        };
        std::vector<Task> stack{{0, idx.size(), 0, terr.size()}};
        while (!stack.empty()) {
            const Task t = stack.back();
            stack.pop_back();
            if (t.thi - t.tlo == 1) {
                for (std::size_t j = t.lo; j < t.hi; ++j)
                    assign[idx[j]] = static_cast<std::int32_t>(terr[t.tlo]);
                continue;
            }
            double u0 = 1e300, u1 = -1e300, v0 = 1e300, v1 = -1e300;
            for (std::size_t j = t.lo; j < t.hi; ++j) {
                const std::uint32_t i = idx[j];
                u0 = std::min(u0, u[i]), u1 = std::max(u1, u[i]), v0 = std::min(v0, v[i]),
                v1 = std::max(v1, v[i]);
            }
            const std::vector<double>& key = (u1 - u0) >= (v1 - v0) ? u : v;
            std::sort(idx.begin() + static_cast<std::ptrdiff_t>(t.lo),
                      idx.begin() + static_cast<std::ptrdiff_t>(t.hi), [&](std::uint32_t a, std::uint32_t b) {
                          return key[a] != key[b] ? key[a] < key[b] : a < b;
                      });
            double W = 0;
            for (std::size_t j = t.lo; j < t.hi; ++j) W += s[idx[j]];
            const bool counts = !(W > 0);
            if (counts) W = static_cast<double>(t.hi - t.lo);
            const std::size_t nA = (t.thi - t.tlo) / 2;
            double dA = 0, dAll = 0;
            for (std::size_t j = t.tlo; j < t.thi; ++j) {
                dAll += demand[terr[j]];
                if (j < t.tlo + nA) dA += demand[terr[j]];
            }
            const double goal = W * dA / dAll;
            std::size_t split = t.lo;
            double prefix = 0;
            while (split < t.hi) {
                const double w = counts ? 1.0 : s[idx[split]];
                if (prefix + w > goal) {
                    if (goal - prefix > prefix + w - goal) prefix += w, ++split;
                    break;
                }
                prefix += w;
                ++split;
            }
            if (t.hi - t.lo >= 2) split = std::clamp(split, t.lo + 1, t.hi - 1);
            stack.push_back({split, t.hi, t.tlo + nA, t.thi});
            stack.push_back({t.lo, split, t.tlo, t.tlo + nA});
        }
    }

    // [SECTION] allocate
    bool finalLevel() const { return level + 1 >= levelCell.size(); }

    void beginAllocation() {
        iter = 0;
        prevObj = 0;
        sub = Sub::Build;
        buildNext = 0;
        if (sources.empty() || sFree <= 0) {
            finishAllocation();
            return;
        }
        setLevel(0);
        startIteration();
    }

    void setLevel(std::size_t l) {
        level = l;
        iter = 0;
        prevObj = 0;
        unitS.clear(), unitX.clear(), unitY.clear(), unitStart.assign(1, 0), unitMembers.clear();
        const auto& X = p.geo.x();
        const auto& Y = p.geo.y();
        const double h = levelCell[l];
        if (h <= 0) {
            for (std::uint32_t i : sources) {
                unitS.push_back(s[i]), unitX.push_back(X[i]), unitY.push_back(Y[i]);
                unitMembers.push_back(i);
                unitStart.push_back(static_cast<std::uint32_t>(unitMembers.size()));
            }
            return;
        }
        double x0 = 1e300, y0 = 1e300;
        for (std::uint32_t i : sources) x0 = std::min(x0, X[i]), y0 = std::min(y0, Y[i]);
        std::vector<std::pair<std::uint64_t, std::uint32_t>> keys;
        keys.reserve(sources.size());
        for (std::uint32_t i : sources) {
            const auto gx = static_cast<std::uint64_t>(std::floor((X[i] - x0) / h));
            const auto gy = static_cast<std::uint64_t>(std::floor((Y[i] - y0) / h));
            keys.push_back({(gy << 32) | gx, i});
        }
        std::sort(keys.begin(), keys.end());
        for (std::size_t a = 0; a < keys.size();) {
            std::size_t b = a;
            double S = 0, sx = 0, sy = 0, ux = 0, uy = 0;
            for (; b < keys.size() && keys[b].first == keys[a].first; ++b) {
                const std::uint32_t i = keys[b].second;
                S += s[i], sx += s[i] * X[i], sy += s[i] * Y[i], ux += X[i], uy += Y[i];
                unitMembers.push_back(i);
            }
            const double cnt = static_cast<double>(b - a);
            unitS.push_back(S);
            unitX.push_back(S > 0 ? sx / S : ux / cnt);
            unitY.push_back(S > 0 ? sy / S : uy / cnt);
            unitStart.push_back(static_cast<std::uint32_t>(unitMembers.size()));
            a = b;
        }
    }

    double unitD2(std::size_t u, std::size_t k) const {
        const double dx = unitX[u] - cx[k], dy = unitY[u] - cy[k];
        return dx * dx + dy * dy;
    }

    void startIteration() {
        const std::size_t units = unitS.size();
        tp.supply.assign(unitS.begin(), unitS.end());
        tp.demand = demand;
        tp.arcStart.assign(1, 0);
        tp.arcSink.clear();
        tp.arcCost.clear();
        tp.arcSink.reserve(units * (arcsPerAccount + 1));
        tp.arcCost.reserve(units * (arcsPerAccount + 1));
        // Nearest-centre lists are rebuilt when a centre has moved more than a quarter of the
        // typical spacing since they were made (or every fourth round); otherwise only costs change.
        knnFresh = knnCx.size() != cx.size() || knnSinks.size() != units * arcsPerAccount || knnAge >= 3;
        if (!knnFresh) {
            double x0 = 1e300, x1 = -1e300, y0 = 1e300, y1 = -1e300, moved = 0;
            std::size_t valid = 0;
            for (std::size_t k = 0; k < cx.size(); ++k) {
                if (std::isnan(cx[k])) continue;
                ++valid;
                x0 = std::min(x0, cx[k]), x1 = std::max(x1, cx[k]), y0 = std::min(y0, cy[k]),
                y1 = std::max(y1, cy[k]);
                if (std::isnan(knnCx[k])) {
                    moved = 1e300;
                    continue;
                }
                const double dx = cx[k] - knnCx[k], dy = cy[k] - knnCy[k];
                moved = std::max(moved, dx * dx + dy * dy);
            }
            const double spacing2 =
                valid > 0 ? (x1 - x0 + 1e-9) * (y1 - y0 + 1e-9) / static_cast<double>(valid) : 0.0;
            knnFresh = moved > spacing2 / 16.0;
        }
        if (knnFresh) {
            index.build(cx, cy);
            knnSinks.assign(units * arcsPerAccount, 0xffffffffu);
            knnCx = cx, knnCy = cy;
            knnAge = 0;
        } else {
            ++knnAge;
        }
        buildNext = 0;
        sub = Sub::Build;
    }

    void buildArcs(std::size_t count) {
        const std::size_t units = unitS.size();
        const std::size_t end = std::min(units, buildNext + count);
        for (; buildNext < end; ++buildNext) {
            const std::size_t u = buildNext;
            std::uint32_t* cached = knnSinks.data() + u * arcsPerAccount;
            if (knnFresh) {
                index.nearest(unitX[u], unitY[u], arcsPerAccount, knn);
                for (std::size_t a = 0; a < arcsPerAccount; ++a)
                    cached[a] = a < knn.size() ? knn[a].second : 0xffffffffu;
            } else {
                knn.clear();
                for (std::size_t a = 0; a < arcsPerAccount && cached[a] != 0xffffffffu; ++a)
                    if (!std::isnan(cx[cached[a]])) knn.push_back({unitD2(u, cached[a]), cached[a]});
            }
            const std::size_t first = tp.arcSink.size();
            const std::uint32_t i = unitMembers[unitStart[u]];
            auto add = [&](std::uint32_t k, double dd) {
                if (demand[k] <= 0) return;
                for (std::size_t a = first; a < tp.arcSink.size(); ++a)
                    if (tp.arcSink[a] == k) return;
                tp.arcSink.push_back(k);
                tp.arcCost.push_back(dd);
            };
            for (const auto& [dd, k] : knn) add(k, dd);
            // The previous round's territory stays available, so rounds never get worse.
            if (assign[i] >= 0 && !std::isnan(cx[static_cast<std::size_t>(assign[i])]))
                add(static_cast<std::uint32_t>(assign[i]), unitD2(u, static_cast<std::size_t>(assign[i])));
            tp.arcStart.push_back(static_cast<std::uint32_t>(tp.arcSink.size()));
        }
        if (buildNext >= units) {
            ensureReachable();
            solver.reset(tp, prices);
            sub = Sub::Solve;
        }
    }

    // Every territory with demand needs arcs from some units: add its 16 nearest otherwise.
    void ensureReachable() {
        const std::size_t K = p.K(), units = unitS.size();
        std::vector<std::uint8_t> seen(K, 0);
        for (std::uint32_t k : tp.arcSink) seen[k] = 1;
        std::vector<std::uint32_t> missing;
        for (std::size_t k = 0; k < K; ++k)
            if (!seen[k] && demand[k] > 0 && !std::isnan(cx[k]))
                missing.push_back(static_cast<std::uint32_t>(k));
        if (missing.empty()) return;
        std::vector<std::vector<std::uint32_t>> extra(units);
        for (std::uint32_t k : missing) {
            std::vector<std::pair<double, std::uint32_t>> near;
            for (std::size_t u = 0; u < units; ++u)
                near.push_back({unitD2(u, k), static_cast<std::uint32_t>(u)});
            const std::size_t take = std::min<std::size_t>(16, near.size());
            std::partial_sort(near.begin(), near.begin() + static_cast<std::ptrdiff_t>(take), near.end());
            for (std::size_t j = 0; j < take; ++j) extra[near[j].second].push_back(k);
        }
        TransportProblem q;
        q.supply = tp.supply;
        q.demand = tp.demand;
        q.arcStart.assign(1, 0);
        for (std::size_t u = 0; u < units; ++u) {
            for (std::uint32_t a = tp.arcStart[u]; a < tp.arcStart[u + 1]; ++a) {
                q.arcSink.push_back(tp.arcSink[a]);
                q.arcCost.push_back(tp.arcCost[a]);
            }
            for (std::uint32_t k : extra[u]) {
                q.arcSink.push_back(k);
                q.arcCost.push_back(unitD2(u, k));
            }
            q.arcStart.push_back(static_cast<std::uint32_t>(q.arcSink.size()));
        }
        tp = std::move(q);
    }

    void roundSolution() {
        TransportSolution sol = solver.take();
        flowPhases += sol.phases;
        if (!sol.feasible) {
            // Too few arcs for exact balance: widen the candidate lists and solve again.
            if (arcsPerAccount < p.K()) {
                arcsPerAccount = std::min(p.K(), arcsPerAccount * 2);
                startIteration();
                return;
            }
            result.warnings.push_back(
                "the balanced assignment could not meet every target exactly; local search continues");
        }
        prices = sol.price;
        const std::size_t K = p.K(), units = unitS.size();
        std::vector<std::uint8_t> isSplit(units, 0);
        for (std::uint32_t u : sol.splitSources) isSplit[u] = 1;
        std::vector<double> load(K, 0.0); // free accounts only, against their demand
        for (std::size_t u = 0; u < units; ++u) {
            if (sol.sink[u] == 0xffffffffu) continue;
            for (std::uint32_t j = unitStart[u]; j < unitStart[u + 1]; ++j)
                assign[unitMembers[j]] = static_cast<std::int32_t>(sol.sink[u]);
            if (!isSplit[u]) load[sol.sink[u]] += unitS[u];
        }
        if (finalLevel()) {
            // Split resolution: largest first, to the share territory it unbalances least.
            std::vector<std::size_t> order(sol.splitSources.size());
            for (std::size_t j = 0; j < order.size(); ++j) order[j] = j;
            std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
                const double sa = unitS[sol.splitSources[a]], sb = unitS[sol.splitSources[b]];
                return sa != sb ? sa > sb : sol.splitSources[a] < sol.splitSources[b];
            });
            for (std::size_t o : order) {
                const std::uint32_t u = sol.splitSources[o];
                const std::uint32_t i = unitMembers[unitStart[u]];
                std::uint32_t best = sol.sink[u];
                double bestHarm = 1e300, bestShare = -1;
                bool bestFits = false;
                for (const SplitShare& sh : sol.splitShares[o]) {
                    // An account that alone overflows a territory's band goes there only if it fits nowhere.
                    bool fits = true;
                    for (std::size_t m = 0; m < p.M() && fits; ++m)
                        fits = p.balanceValue(i, m) <= p.targetOf(sh.sink, m) * (1.0 + p.tolerance[m]);
                    const double want = demand[sh.sink];
                    const double harm =
                        std::fabs(load[sh.sink] + unitS[u] - want) - std::fabs(load[sh.sink] - want);
                    const bool better =
                        fits != bestFits ? fits
                                         : (harm < bestHarm || (harm == bestHarm && sh.amount > bestShare));
                    if (better) best = sh.sink, bestHarm = harm, bestShare = sh.amount, bestFits = fits;
                }
                assign[i] = static_cast<std::int32_t>(best);
                load[best] += unitS[u];
            }
            splitCount = sol.splitSources.size();
        }
        // Centres: weighted centroids of the flows (fixed accounts included).
        std::vector<double> sw(K, 0), sx(K, 0), sy(K, 0);
        for (std::uint32_t i : fixedPlaced) {
            const auto k = static_cast<std::size_t>(assign[i]);
            sw[k] += s[i], sx[k] += s[i] * p.geo.x()[i], sy[k] += s[i] * p.geo.y()[i];
        }
        std::size_t si = 0;
        for (std::size_t u = 0; u < units; ++u) {
            if (si < sol.splitSources.size() && sol.splitSources[si] == u) {
                for (const SplitShare& sh : sol.splitShares[si])
                    sw[sh.sink] += sh.amount, sx[sh.sink] += sh.amount * unitX[u],
                        sy[sh.sink] += sh.amount * unitY[u];
                ++si;
            } else if (sol.sink[u] != 0xffffffffu) {
                const std::uint32_t k = sol.sink[u];
                sw[k] += unitS[u], sx[k] += unitS[u] * unitX[u], sy[k] += unitS[u] * unitY[u];
            }
        }
        if (!opt.fixedCentres)
            for (std::size_t k = 0; k < K; ++k)
                if (sw[k] > 0) cx[k] = sx[k] / sw[k], cy[k] = sy[k] / sw[k];
        // Objective at the new centres.
        double obj = 0;
        for (std::uint32_t i : fixedPlaced) obj += s[i] * d2(i, static_cast<std::size_t>(assign[i]));
        si = 0;
        for (std::size_t u = 0; u < units; ++u) {
            if (si < sol.splitSources.size() && sol.splitSources[si] == u) {
                for (const SplitShare& sh : sol.splitShares[si]) obj += sh.amount * unitD2(u, sh.sink);
                ++si;
                continue;
            }
            if (sol.sink[u] == 0xffffffffu) continue;
            obj += unitS[u] * unitD2(u, sol.sink[u]);
        }
        ++iter;
        ++iterTotal;
        const bool converged = iter > 1 && obj > prevObj - 2e-3 * std::fabs(prevObj);
        prevObj = obj;
        const std::size_t cap = finalLevel() && levelCell.size() > 1 ? 4 : maxIter;
        if (converged || iter >= cap) {
            if (finalLevel()) {
                finishAllocation();
                return;
            }
            setLevel(level + 1);
        }
        startIteration();
    }

    // [SECTION] budget
    bool withinBudget(double& count, double& value) const {
        count = 0, value = 0;
        for (std::uint32_t i : sources)
            if (p.current[i] >= 0 && assign[i] != p.current[i]) count += 1, value += p.moveValue[i];
        return count <= maxCount + 1e-9 && value <= maxValue * (1 + 1e-12) + 1e-9;
    }

    void finishAllocation() {
        phase = Phase::Polish;
        beginPolish();
    }

    // [SECTION] polish
    // With a binding disruption budget two plans are polished under it and the better kept: the
    // optimised plan trimmed to the budget (cheapest moves undone first), and the current plan
    // repaired by the fewest, most useful moves.
    void beginPolish() {
        std::vector<std::vector<std::int32_t>> plans{assign};
        double count = 0, value = 0;
        if (budgetMode && !sources.empty() && !withinBudget(count, value)) {
            std::vector<std::int32_t> repairPlan = assign;
            for (std::uint32_t i : sources)
                if (p.current[i] >= 0) repairPlan[i] = p.current[i];
            plans.push_back(std::move(repairPlan));
        }
        states.clear(), repairs.clear(), compacts.clear();
        for (auto& plan : plans) {
            std::vector<double> pcx, pcy;
            territoryCentres(p, plan, opt.fixedCentres, pcx, pcy);
            auto st =
                std::make_unique<PlanState>(p, *graph, std::move(plan), true, maxCount, maxValue, pcx, pcy);
            if (budgetMode) reverted += enforceBudget(*st, maxCount, maxValue);
            if (opt.contiguous) {
                const ContiguityRepairReport rep = repairContiguity(*st);
                if (states.empty()) contiguityReport = rep;
            }
            repairs.push_back(std::make_unique<BalanceRepair>(*st));
            compacts.push_back(std::make_unique<CompactnessPass>(*st, 2));
            states.push_back(std::move(st));
        }
        candidate = 0;
        state = states.front().get();
        detailText = "Tightening balance";
    }

    // Keeps the candidate with the least balance penalty, then the least inertia.
    void chooseCandidate() {
        std::size_t best = 0;
        double bestHard = 0, bestInertia = 0;
        for (std::size_t c = 0; c < states.size(); ++c) {
            const double h = states[c]->totalHard();
            std::vector<double> pcx, pcy;
            territoryCentres(p, states[c]->assignment(), opt.fixedCentres, pcx, pcy);
            double in = 0;
            for (std::size_t i = 0; i < p.accounts; ++i) {
                const std::int32_t k = states[c]->assignment()[i];
                if (k < 0 || !p.geo.placed(i) || std::isnan(pcx[static_cast<std::size_t>(k)])) continue;
                const double dx = p.geo.x()[i] - pcx[static_cast<std::size_t>(k)],
                             dy = p.geo.y()[i] - pcy[static_cast<std::size_t>(k)];
                in += p.weight[i] * (dx * dx + dy * dy);
            }
            if (c == 0 || h < bestHard - kHardEps ||
                (std::fabs(h - bestHard) <= kHardEps && in < bestInertia))
                best = c, bestHard = h, bestInertia = in;
        }
        state = states[best].get();
        candidate = best;
    }

    // [SECTION] finish
    void finish() {
        BalanceResult& r = result;
        r.assignment = state ? state->assignment() : assign;
        r.figures = evaluatePlan(p, *graph, r.assignment, opt.fixedCentres);
        r.feasible = r.figures.withinTolerance && (!opt.contiguous || r.figures.contiguous);
        r.runtimeMs = runtimeMs;
        r.timeLimited = timeLimited;
        r.cancelled = cancelled;
        r.iterations = iterTotal;
        r.splitAccounts = splitCount;
        r.flowPhases = flowPhases;
        r.searchMoves = contiguityReport.accountsMoved + earlierMoves;
        if (candidate < repairs.size())
            r.searchMoves += repairs[candidate]->moves() + compacts[candidate]->moves();
        if (reverted > 0)
            r.warnings.push_back(std::to_string(reverted) +
                                 " moves were undone to keep within the disruption budget");
        if (contiguityReport.piecesMoved > 0)
            r.warnings.push_back(std::to_string(contiguityReport.piecesMoved) + " detached pieces (" +
                                 std::to_string(contiguityReport.accountsMoved) +
                                 " accounts) joined a neighbouring territory");
        if (!r.feasible) diagnose();
    }

    void diagnose() {
        BalanceResult& r = result;
        const std::size_t K = p.K(), M = p.M();
        const PlanFigures& f = r.figures;
        std::vector<double> fixedLoads(K * M, 0.0);
        std::vector<double> largest(K * M, 0.0);
        std::vector<std::uint32_t> largestAcc(K * M, 0);
        std::vector<double> globalMax(M, 0.0);
        std::vector<std::uint32_t> globalAcc(M, 0);
        for (std::size_t i = 0; i < p.accounts; ++i) {
            if (!p.inPlan(i)) continue;
            for (std::size_t m = 0; m < M; ++m)
                if (p.value(i, m) > globalMax[m])
                    globalMax[m] = p.value(i, m), globalAcc[m] = static_cast<std::uint32_t>(i);
            const std::int32_t k = r.assignment[i];
            if (k < 0) continue;
            const std::size_t base = static_cast<std::size_t>(k) * M;
            for (std::size_t m = 0; m < M; ++m) {
                if (p.fixed[i] != Fixed::Free && !p.oversize[i]) fixedLoads[base + m] += p.value(i, m);
                if (p.value(i, m) > largest[base + m])
                    largest[base + m] = p.value(i, m), largestAcc[base + m] = static_cast<std::uint32_t>(i);
            }
        }
        for (std::size_t m = 0; m < M; ++m) {
            const double tol = p.tolerance[m];
            if (f.maxDeviation[m] <= tol + kToleranceSlack) continue;
            std::size_t worst = 0;
            double wd = -1;
            for (std::size_t k = 0; k < K; ++k)
                if (p.targetOf(k, m) > 0 && std::fabs(f.territories[k].deviation[m]) > wd)
                    wd = std::fabs(f.territories[k].deviation[m]), worst = k;
            const double T = p.targetOf(worst, m), hi = T * (1 + tol);
            const bool over = f.territories[worst].deviation[m] > 0;
            const std::string& tid = p.territoryId[worst];
            const std::string& mn = p.metricName[m];
            double maxHi = 0;
            for (std::size_t k = 0; k < K; ++k) maxHi = std::max(maxHi, p.targetOf(k, m) * (1 + tol));
            BlockingConstraint b;
            b.metric = mn;
            if (globalMax[m] > maxHi) {
                b.constraint = "account_size";
                b.detail = "account " + std::string(p.accountName(globalAcc[m])) + " alone has " + mn + " " +
                           fmtValue(globalMax[m]) +
                           ", more than any territory's band allows (largest upper bound " + fmtValue(maxHi) +
                           "); it keeps its territory" + " and the other accounts are balanced around it";
            } else if (over && fixedLoads[worst * M + m] > hi) {
                b.constraint = "locks";
                b.territory = tid;
                b.detail = "locked accounts and kept customers in " + tid + " already carry " + mn + " " +
                           fmtValue(fixedLoads[worst * M + m]) + ", above its band (" + fmtValue(T) + " +" +
                           fmtPct(tol) + ")";
            } else if (over && largest[worst * M + m] > hi) {
                b.constraint = "account_size";
                b.territory = tid;
                b.detail = "account " + std::string(p.accountName(largestAcc[worst * M + m])) +
                           " alone has " + mn + " " + fmtValue(largest[worst * M + m]) +
                           ", above the band of " + tid + " (" + fmtValue(T) + " +" + fmtPct(tol) + ")";
            } else if (budgetMode && state && state->refusedBudget > 0) {
                b.constraint = "disruption";
                b.detail = "the disruption budget is spent (" +
                           std::to_string(static_cast<long long>(state->movedAccounts())) +
                           " accounts moved); moves that would balance " + mn + " further would exceed it";
            } else if (opt.contiguous && state && state->refusedContiguity > 0) {
                b.constraint = "contiguity";
                b.detail =
                    "keeping territories contiguous blocks the moves that would balance " + mn + " further";
            } else if (state && state->refusedFixed > 0 && fixedLoads[worst * M + m] > 0) {
                b.constraint = "locks";
                b.territory = tid;
                b.detail = "locked accounts and kept customers leave too few movable accounts around " + tid;
            } else {
                b.constraint = "search";
                b.territory = tid;
                b.detail = "local search stopped with " + tid + " at " +
                           fmtPct(f.territories[worst].deviation[m]) + " on " + mn;
            }
            r.blocking.push_back(std::move(b));
        }
        if (opt.contiguous && !f.contiguous) {
            BlockingConstraint b;
            b.constraint = "contiguity";
            b.detail =
                std::to_string(f.extraPieces) + " detached pieces remain" +
                (contiguityReport.lockedEnclaves > 0
                     ? " (" + std::to_string(contiguityReport.lockedEnclaves) + " hold locked accounts)"
                     : "") +
                (contiguityReport.budgetBlocked > 0 ? " (the disruption budget stops joining them)" : "");
            r.blocking.push_back(std::move(b));
        }
        if (f.unassigned > 0) {
            BlockingConstraint b;
            b.constraint = "search";
            b.detail = std::to_string(f.unassigned) + " accounts could not be assigned";
            r.blocking.push_back(std::move(b));
        }
        std::string best;
        for (std::size_t m = 0; m < M; ++m)
            best += (best.empty() ? "" : ", ") + p.metricName[m] + " " + fmtPct(f.maxDeviation[m]) +
                    " (tolerance " + fmtPct(p.tolerance[m]) + ")";
        r.reason = (r.blocking.empty() ? std::string("tolerance not met") : r.blocking.front().detail) +
                   ". Best achieved max deviation: " + best;
    }

    // [SECTION] step
    bool step(double budgetMs) {
        Stopwatch clock;
        while (phase != Phase::Done) {
            if (cancelled) {
                result.cancelled = true;
                result.assignment = state ? state->assignment() : !assign.empty() ? assign : p.current;
                phase = Phase::Done;
                break;
            }
            if (phase != Phase::Graph && phase != Phase::Finish && phase != Phase::Start &&
                timeUp(clock.ms()) && !timeLimited) {
                timeLimited = true;
                if (phase == Phase::Allocate) {
                    phase = Phase::Polish;
                    beginPolish();
                }
                phase = Phase::Finish;
            }
            const Phase before = phase;
            const double t0 = clock.ms();
            switch (phase) {
            case Phase::Graph:
                detailText = "Triangulating account locations";
                if (builder->step(20000)) {
                    graph = std::make_shared<const SiteGraph>(builder->take());
                    builder.reset();
                    phase = Phase::Start;
                }
                break;
            case Phase::Start:
                detailText = "Placing first territories";
                start();
                if (phase == Phase::Start) phase = Phase::Allocate;
                break;
            case Phase::Allocate:
                detailText = "Balanced assignment, level " + std::to_string(level + 1) + " of " +
                             std::to_string(levelCell.size()) + ", round " + std::to_string(iter + 1);
                if (sub == Sub::Build)
                    buildArcs(20000);
                else if (sub == Sub::Solve) {
                    if (solver.step(4)) sub = Sub::Round;
                } else
                    roundSolution();
                break;
            case Phase::Polish:
                if (repairs[candidate]->step(8)) {
                    // Without --contiguous, a plan still outside tolerance may split territories
                    // to get inside (one more pass); the compactness pass never splits.
                    PlanState& st = *states[candidate];
                    if (!opt.contiguous && st.contiguous() && st.totalHard() > 0) {
                        st.setContiguous(false);
                        earlierMoves += repairs[candidate]->moves();
                        repairs[candidate] = std::make_unique<BalanceRepair>(st);
                    } else {
                        st.setContiguous(true);
                        if (++candidate >= repairs.size()) {
                            candidate = 0;
                            phase = Phase::Compact;
                        }
                    }
                }
                if (candidate < states.size()) state = states[candidate].get();
                break;
            case Phase::Compact:
                detailText = "Improving compactness";
                if (compacts[candidate]->step(32) && ++candidate >= compacts.size()) {
                    chooseCandidate();
                    phase = Phase::Finish;
                } else {
                    state = states[candidate].get();
                }
                break;
            case Phase::Finish:
                detailText = "Measuring the plan";
                if (!state) beginPolish();
                finish();
                phase = Phase::Done;
                break;
            case Phase::Done:
                break;
            }
            const double spent = clock.ms() - t0;
            if (before == Phase::Graph)
                result.graphMs += spent;
            else if (before == Phase::Start || before == Phase::Allocate)
                result.allocateMs += spent;
            else
                result.polishMs += spent;
            if (clock.ms() >= budgetMs) break;
        }
        runtimeMs += clock.ms();
        if (phase == Phase::Done) result.runtimeMs = runtimeMs;
        return phase == Phase::Done;
    }

    double progress() const {
        switch (phase) {
        case Phase::Graph:
            return 0.15 * (builder ? builder->progress() : 1.0);
        case Phase::Start:
            return 0.15;
        case Phase::Allocate: {
            const double levels = static_cast<double>(std::max<std::size_t>(1, levelCell.size()));
            const double f =
                (static_cast<double>(level) + std::min(1.0, static_cast<double>(iter) / 4.0)) / levels;
            return 0.15 + 0.55 * std::min(1.0, f);
        }
        case Phase::Polish:
            return 0.75;
        case Phase::Compact:
            return 0.9;
        case Phase::Finish:
            return 0.98;
        case Phase::Done:
            return 1.0;
        }
        return 0;
    }
};

namespace {
// Excess over the tolerance bands, for comparing starts: 0 when every metric is inside.
double bandExcess(const BalanceProblem& p, const BalanceResult& r) {
    double e = 0;
    for (std::size_t m = 0; m < p.M(); ++m) e += std::max(0.0, r.figures.maxDeviationBalanceable[m] - p.tolerance[m]);
    return e + static_cast<double>(r.figures.unassigned);
}
} // namespace

Optimiser::Optimiser(std::shared_ptr<const BalanceProblem> problem, BalanceOptions options,
                     std::shared_ptr<const SiteGraph> graph)
    : m(std::make_unique<Impl>(std::move(problem), std::move(options), std::move(graph))) {
    if (m->graph) m->phase = Impl::Phase::Start;
    std::size_t movable = 0;
    for (std::size_t i = 0; i < m->p.accounts; ++i) movable += m->p.fixed[i] == Fixed::Free ? 1 : 0;
    m_runs = m->opt.timeLimitMs > 0 ? 1 : std::clamp<std::size_t>(20000 / std::max<std::size_t>(movable, 1), 1, 8);
}

Optimiser::~Optimiser() = default;

bool Optimiser::step(double budgetMs) {
    Stopwatch clock;
    while (!m_done) {
        const bool finished = m->step(std::max(0.0, budgetMs - clock.ms()));
        if (!finished) break;
        BalanceResult& r = m->result;
        const BalanceProblem& p = m->p;
        const bool better = !m_haveBest || (r.feasible && !m_best.feasible) ||
                            (r.feasible == m_best.feasible &&
                             (bandExcess(p, r) < bandExcess(p, m_best) - 1e-12 ||
                              (bandExcess(p, r) <= bandExcess(p, m_best) + 1e-12 && r.figures.inertia < m_best.figures.inertia)));
        m_spentMs += r.runtimeMs;
        if (better) {
            m_best = r;
            m_haveBest = true;
        }
        if (++m_run >= m_runs || r.cancelled || r.timeLimited) {
            m_best.runtimeMs = m_spentMs;
            m_best.seed = m->opt.seed - (m_run - 1) * 0x9E3779B97F4A7C15ULL;
            m_best.cancelled = r.cancelled;
            m_done = true;
            break;
        }
        BalanceOptions next = m->opt;
        next.seed += 0x9E3779B97F4A7C15ULL; // the next start (the reported seed stays the caller's)
        m = std::make_unique<Impl>(m->holder, next, m->graph);
        m->phase = Impl::Phase::Start;
        if (clock.ms() >= budgetMs) break;
    }
    return m_done;
}
bool Optimiser::done() const {
    return m_done;
}
void Optimiser::cancel() {
    m->cancelled = true;
}
double Optimiser::progress() const {
    if (m_done) return 1.0;
    return (static_cast<double>(m_run) + m->progress()) / static_cast<double>(m_runs);
}
std::string Optimiser::detail() const {
    if (m_runs <= 1) return m->detailText;
    return "Start " + std::to_string(m_run + 1) + " of " + std::to_string(m_runs) + ": " + m->detailText;
}
std::vector<std::int32_t> Optimiser::snapshot() const {
    if (m_done) return m_best.assignment;
    if (m->state) return m->state->assignment();
    if (!m->assign.empty()) return m->assign;
    if (m_haveBest) return m_best.assignment;
    return m->holder->current;
}
const BalanceResult& Optimiser::result() const {
    return m_done ? m_best : m->result;
}
std::shared_ptr<const SiteGraph> Optimiser::graph() const {
    return m->graph;
}
const BalanceProblem& Optimiser::problem() const {
    return m->p;
}

BalanceResult optimise(std::shared_ptr<const BalanceProblem> problem, const BalanceOptions& options,
                       std::shared_ptr<const SiteGraph> graph) {
    Optimiser o(std::move(problem), options, std::move(graph));
    while (!o.step(1e9)) {
    }
    return o.result();
}

} // namespace terrane::territory
