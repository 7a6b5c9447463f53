// Index
//  [SECTION] helpers        centre index (grid k-nearest), formatting
//  [SECTION] state          the optimiser's phases and data
//  [SECTION] start          composite measure, targets, recursive bisection, first centres
//  [SECTION] allocate       candidate arcs, balanced assignment, split resolution, centres
//  [SECTION] budget         the stay-bonus price search for a disruption budget
//  [SECTION] polish         budget enforcement, contiguity repair, local search
//  [SECTION] finish         figures and blocking constraints
//  [SECTION] step           slicing, progress, snapshot
#include "core/base/format.hpp"
#include "core/territory/optimiser.hpp"

#include "core/base/rng.hpp"
#include "core/territory/centre_index.hpp"
#include "core/territory/plan_state.hpp"
#include "core/territory/search.hpp"
#include "core/territory/transport.hpp"
#include "core/base/text.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>

namespace terrane::territory {

// [SECTION] helpers
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr int kMortonBits = 24;                 // quadtree depth of the finest cells
constexpr std::size_t kExactAccounts = 200000; // last level on single accounts up to this many

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
    double totalLimitMs = 0; // the caller's time limit over every start and the improvement
    std::string detailText = "Preparing";

    // Composite balance measure.
    std::vector<double> s; // per account (0 outside the plan)
    std::vector<double> Tc, fixedLoad, demand;
    std::vector<std::uint32_t> sources;     // free placed accounts in the plan
    std::vector<std::uint32_t> fixedPlaced; // fixed accounts with a location and a territory
    // Multilevel: location-allocation first runs on grid cells of accounts (each cell a unit with the
    // exact total supply of its accounts at their weighted centroid; the squared-distance cost of a
    // cell is then exact up to a constant), at least four times as many cells per level, then on the
    // places (accounts at the same location form one unit). Centres and prices carry from level to
    // level, so the full-size solves only settle local boundaries. Levels are quadtree depths over
    // the free accounts' bounding square (accounts sorted once in Morton order, so a level's cells
    // are runs of equal key prefixes); -1 = each account alone.
    std::vector<int> levelDepth;
    std::vector<std::size_t> levelUnits; // units (occupied cells, places or accounts) per level
    std::vector<std::pair<std::uint64_t, std::uint32_t>> morton; // (key, account), ascending
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
    std::size_t buildNext = 0, bridgeNext = 0;
    CentreIndex index;
    CentreIndex unitIndex;       // the level's units by place (ensureReachable), built once a level
    bool unitIndexFresh = false; // cleared by setLevel
    std::size_t arcsPerAccount = 7;
    std::size_t splitCount = 0, flowPhases = 0, lastArcs = 0;
    std::vector<std::pair<double, std::uint32_t>> knn;
    std::vector<std::uint32_t> knnSinks; // per unit, its nearest centres (cached), from knnStart[u]
    std::vector<std::uint32_t> knnStart; // units + 1 offsets into knnSinks
    std::size_t knnArcs = 0;             // arcsPerAccount when the cache was built
    // Extra arcs for this level (unit, territory), ascending: bridges out of blocked regions.
    std::vector<std::pair<std::uint32_t, std::uint32_t>> bridges;
    std::size_t bridgeRounds = 0, reachRounds = 0;
    bool placeLevel = false; // the last level works on places (see chooseLevels)
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
    bool narrowing = true;    // false: an earlier start is already inside every band
    std::size_t narrowAt = 0; // narrowed-band rounds begun on this candidate
    std::vector<std::int32_t> narrowFrom; // its plan before the last one
    double narrowFromHard = 0;
    std::vector<std::uint8_t> fixedOver; // per territory: fixed accounts alone above a band
    bool fixedShort = false;             // and their excess leaves the others short of theirs
    PlanState* state = nullptr; // the candidate being polished, then the one kept
    ContiguityRepairReport contiguityReport;
    std::size_t reverted = 0;

    BalanceResult result;

    Impl(std::shared_ptr<const BalanceProblem> h, BalanceOptions o, std::shared_ptr<const SiteGraph> g)
        : holder(std::move(h)), p(*holder), opt(std::move(o)), graph(std::move(g)) {
        if (!graph && p.travel) graph = std::make_shared<const SiteGraph>(contiguityGraph(p));
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

        // Start from the current plan when most free accounts have a territory and most
        // territories have accounts there (1,000 new territories over a plan with 200 would
        // otherwise start 800 centres at outlying accounts).
        std::size_t withCurrent = 0, wanted = 0, held = 0;
        std::vector<std::uint8_t> holds(K, 0);
        for (std::uint32_t i : sources)
            if (p.current[i] >= 0) ++withCurrent, holds[static_cast<std::size_t>(p.current[i])] = 1;
        for (std::size_t k = 0; k < K; ++k)
            if (demand[k] > 0) ++wanted, held += holds[k];
        const bool fromCurrent = !sources.empty() && withCurrent * 2 >= sources.size() && held * 2 >= wanted;
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
        chooseLevels();
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

    // Territories with demand but no centre (no accounts yet) start at the account farthest from
    // every centre so far, one after another (each account's distance to its nearest centre is
    // kept up to date: linear in the accounts per seeded centre).
    void seedEmptyCentres() {
        const std::size_t K = p.K();
        std::vector<std::size_t> empty;
        for (std::size_t k = 0; k < K; ++k)
            if (std::isnan(cx[k]) && demand[k] > 0) empty.push_back(k);
        if (empty.empty() || sources.empty()) return;
        std::vector<double> dmin(sources.size(), 1e300);
        auto lower = [&](std::size_t k) {
            for (std::size_t j = 0; j < sources.size(); ++j) dmin[j] = std::min(dmin[j], d2(sources[j], k));
        };
        for (std::size_t k = 0; k < K; ++k)
            if (!std::isnan(cx[k])) lower(k);
        for (std::size_t k : empty) {
            std::size_t best = 0;
            for (std::size_t j = 1; j < sources.size(); ++j)
                if (dmin[j] > dmin[best]) best = j;
            cx[k] = p.geo.x()[sources[best]], cy[k] = p.geo.y()[sources[best]];
            lower(k);
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
    bool finalLevel() const { return level + 1 >= levelDepth.size(); }
    std::size_t coarsePhaseCap() const { return std::max<std::size_t>(200, 2 * p.K()); }
    // A coarse level only places centres and prices for the next one, so its solves may stop
    // early, unless the final level is less than four times its size (a million accounts on tens
    // of thousands of places): then the final level's solves cost nearly as much per phase, and
    // rough centres from this one would leave them thousands of phases to settle. Such a level is
    // solved exactly, its candidate lists checked every round, and runs its rounds to convergence.
    bool solvedFully() const {
        return finalLevel() ||
               (level + 2 == levelDepth.size() && levelUnits.back() < 4 * levelUnits[level]);
    }

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
        // Coarse levels may need long candidate lists to be feasible (few, heavy cells); finer
        // levels start short again, warm prices make them feasible with a few nearest centres.
        arcsPerAccount = std::min<std::size_t>(p.K(), 5);
        bridges.clear();
        bridgeRounds = 0;
        reachRounds = 0;
        prevObj = 0;
        unitIndexFresh = false;
        unitS.clear(), unitX.clear(), unitY.clear(), unitStart.assign(1, 0), unitMembers.clear();
        const auto& X = p.geo.x();
        const auto& Y = p.geo.y();
        if (levelDepth[l] < 0) {
            for (std::uint32_t i : sources) {
                unitS.push_back(s[i]), unitX.push_back(X[i]), unitY.push_back(Y[i]);
                unitMembers.push_back(i);
                unitStart.push_back(static_cast<std::uint32_t>(unitMembers.size()));
            }
            return;
        }
        const int shift = 2 * (kMortonBits - levelDepth[l]);
        for (std::size_t a = 0; a < morton.size();) {
            std::size_t b = a;
            const std::uint64_t cell = morton[a].first >> shift;
            double S = 0, sx = 0, sy = 0, ux = 0, uy = 0;
            for (; b < morton.size() && (morton[b].first >> shift) == cell; ++b) {
                const std::uint32_t i = morton[b].second;
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

    // The multilevel schedule: the first level has about 8 cells per territory (enough to balance
    // with a few candidate territories each), then each level has at least four times as many
    // occupied cells as the one before, until a level would hold more than a third of the
    // places; the places themselves come last.
    void chooseLevels() {
        levelDepth.assign(1, -1);
        morton.clear();
        const std::size_t nf = sources.size();
        levelUnits.assign(1, nf); // one level, unless the levels are chosen below
        if (nf == 0 || (opt.fixedCentres && nf <= kExactAccounts)) return; // one level, on the accounts
        const auto& X = p.geo.x();
        const auto& Y = p.geo.y();
        double x0 = 1e300, x1 = -1e300, y0 = 1e300, y1 = -1e300;
        for (std::uint32_t i : sources) {
            x0 = std::min(x0, X[i]), x1 = std::max(x1, X[i]);
            y0 = std::min(y0, Y[i]), y1 = std::max(y1, Y[i]);
        }
        const double side = std::max({x1 - x0, y1 - y0, 1e-12});
        const double scale = static_cast<double>((std::uint64_t{1} << kMortonBits) - 1) / side;
        auto spread = [](std::uint64_t v) { // bit i of v -> bit 2i
            v &= 0xffffffffu;
            v = (v | (v << 16)) & 0x0000ffff0000ffffull;
            v = (v | (v << 8)) & 0x00ff00ff00ff00ffull;
            v = (v | (v << 4)) & 0x0f0f0f0f0f0f0f0full;
            v = (v | (v << 2)) & 0x3333333333333333ull;
            v = (v | (v << 1)) & 0x5555555555555555ull;
            return v;
        };
        morton.reserve(nf);
        for (std::uint32_t i : sources) {
            const auto gx = static_cast<std::uint64_t>((X[i] - x0) * scale);
            const auto gy = static_cast<std::uint64_t>((Y[i] - y0) * scale);
            morton.push_back({spread(gx) | (spread(gy) << 1), i});
        }
        std::sort(morton.begin(), morton.end());
        auto cellsAt = [&](int d) {
            const int shift = 2 * (kMortonBits - d);
            std::size_t cells = 0;
            for (std::size_t a = 0; a < morton.size(); ++a)
                cells += a == 0 || (morton[a].first >> shift) != (morton[a - 1].first >> shift) ? 1 : 0;
            return cells;
        };
        // The last level: each account on its own up to kExactAccounts; beyond, accounts at the
        // same place (the finest cells, well under a metre across a continent; postcode centroids
        // in geocoded files) form one unit, split between territories like any other when it must
        // be, so a million accounts on tens of thousands of places solve at the size of the places.
        const bool byPlace = nf > kExactAccounts;
        placeLevel = byPlace;
        const std::size_t places = byPlace ? cellsAt(kMortonBits) : nf;
        std::vector<int> depths;
        levelUnits.clear();
        if (!opt.fixedCentres) {
            const double first = 8.0 * static_cast<double>(p.K()), limit = static_cast<double>(places) / 3.0;
            double last = 0;
            for (int d = 1; d < kMortonBits; ++d) {
                const auto c = static_cast<double>(cellsAt(d));
                if (c > limit) break;
                if (c >= first && c >= 4.0 * last)
                    depths.push_back(d), levelUnits.push_back(static_cast<std::size_t>(c)), last = c;
            }
        }
        depths.push_back(byPlace ? kMortonBits : -1);
        levelUnits.push_back(places);
        levelDepth = std::move(depths);
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
        knnFresh = knnCx.size() != cx.size() || knnStart.size() != units + 1 || knnArcs != arcsPerAccount || knnAge >= 3;
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
            // A unit heavier than a territory (many accounts at one place, a big city cell) needs
            // candidates enough to be shared among: two per territory-sized share on top.
            double meanDemand = 0, positive = 0;
            for (double d : demand)
                if (d > 0) meanDemand += d, positive += 1;
            meanDemand = positive > 0 ? meanDemand / positive : 0;
            knnStart.assign(units + 1, 0);
            for (std::size_t u = 0; u < units; ++u) {
                std::size_t want = arcsPerAccount;
                if (meanDemand > 0 && unitS[u] > 0.5 * meanDemand)
                    want += static_cast<std::size_t>(std::min(1e6, std::ceil(2.0 * unitS[u] / meanDemand)));
                knnStart[u + 1] = knnStart[u] + static_cast<std::uint32_t>(std::min(want, p.K()));
            }
            knnSinks.assign(knnStart[units], 0xffffffffu);
            knnArcs = arcsPerAccount;
            knnCx = cx, knnCy = cy;
            knnAge = 0;
        } else {
            ++knnAge;
        }
        buildNext = 0;
        bridgeNext = 0;
        sub = Sub::Build;
    }

    // Every unit whose supply is trapped gets arcs to its two nearest territories outside the
    // blocked region and to the two nearest territories still short of their demand, so the
    // surplus can flow out across the region's border (the solve uses the cheapest of them).
    void addBridges(const std::vector<std::uint8_t>& trapped, const std::vector<std::uint32_t>& blocked,
                    const std::vector<std::uint32_t>& shortSinks) {
        const std::size_t K = p.K(), units = unitS.size();
        std::vector<std::uint8_t> inBlock(K, 0);
        for (std::uint32_t k : blocked) inBlock[k] = 1;
        std::vector<double> ox, oy, sx, sy; // centres outside the region / short ones (NaN elsewhere)
        ox.assign(K, kNaN), oy.assign(K, kNaN), sx.assign(K, kNaN), sy.assign(K, kNaN);
        for (std::size_t k = 0; k < K; ++k)
            if (!inBlock[k] && demand[k] > 0) ox[k] = cx[k], oy[k] = cy[k];
        for (std::uint32_t k : shortSinks)
            if (demand[k] > 0) sx[k] = cx[k], sy[k] = cy[k];
        CentreIndex outside, shortOnes;
        outside.build(ox, oy);
        shortOnes.build(sx, sy);
        std::vector<std::pair<double, std::uint32_t>> near;
        for (std::size_t u = 0; u < units; ++u) {
            if (!trapped[u]) continue;
            for (CentreIndex* idx : {&outside, &shortOnes}) {
                idx->nearest(unitX[u], unitY[u], 2, near);
                for (const auto& [dd, k] : near) bridges.push_back({static_cast<std::uint32_t>(u), k});
            }
        }
        std::sort(bridges.begin(), bridges.end());
        bridges.erase(std::unique(bridges.begin(), bridges.end()), bridges.end());
    }

    // Arcs to each of `sinks` from its nearest units (distance, then index) until they carry
    // `factor` times its demand; kept for the rest of the level like bridges.
    void reachFurther(const std::vector<std::uint32_t>& sinks, double factor) {
        const std::size_t units = unitS.size();
        std::vector<std::pair<double, std::uint32_t>> near;
        for (std::uint32_t k : sinks) {
            if (!(demand[k] > 0) || std::isnan(cx[k])) continue;
            double got = 0;
            std::size_t want = 64;
            for (;;) {
                nearestUnits(k, std::min(want, units), near);
                got = 0;
                std::size_t j = 0;
                for (; j < near.size() && got < factor * demand[k]; ++j) got += unitS[near[j].second];
                if (got >= factor * demand[k] || near.size() < std::min(want, units) || want >= units) {
                    for (std::size_t q = 0; q < j; ++q) bridges.push_back({near[q].second, k});
                    break;
                }
                want *= 2;
            }
        }
        std::sort(bridges.begin(), bridges.end());
        bridges.erase(std::unique(bridges.begin(), bridges.end()), bridges.end());
    }

    // Too few arcs for exact balance: widens the candidate lists and starts the round again (false
    // when they cannot be widened any more).
    bool widen(const std::vector<std::uint8_t>& trapped, const std::vector<std::uint32_t>& blocked,
               const std::vector<std::uint32_t>& shortSinks) {
        std::size_t trappedUnits = 0;
        for (std::uint8_t t : trapped) trappedUnits += t;
        // Widen on the smaller side of the cut the flow could not cross:
        // - supply trapped in a small region (at most an eighth of the units): those units get
        //   arcs out of it (bridges). Bridges from most of the map (long arcs) make later solves
        //   slow, so with single accounts a large region is never bridged;
        // - a few territories left short (at most an eighth; neighbours competing for the same
        //   units): they reach further out, to their nearest units carrying 4, 8, 16, then 32
        //   times their demand. 100k accounts by rep: the final level solves on 441k arcs
        //   instead of 853k, the whole run ~2.2 s -> ~1.2 s natively;
        // - plans solved by place (heavy places) bridge first, a large region too, up to 8
        //   rounds (reaching first there: 1M by rep ~36 s -> ~46 s);
        // - otherwise every unit's candidate list doubles.
        const bool smallRegion = !blocked.empty() && trappedUnits * 8 <= unitS.size();
        const bool fewShort = !shortSinks.empty() && shortSinks.size() * 8 <= p.K();
        auto tryBridges = [&] {
            if (blocked.empty() || bridgeRounds >= 8 || !(placeLevel || smallRegion)) return false;
            ++bridgeRounds;
            addBridges(trapped, blocked, shortSinks);
            startIteration();
            return true;
        };
        auto tryReach = [&] {
            if (!fewShort || reachRounds >= 4) return false;
            ++reachRounds;
            reachFurther(shortSinks, std::ldexp(2.0, static_cast<int>(reachRounds)));
            startIteration();
            return true;
        };
        if (smallRegion || placeLevel ? (tryBridges() || tryReach()) : (tryReach() || tryBridges())) return true;
        if (arcsPerAccount < p.K()) {
            arcsPerAccount = std::min(p.K(), arcsPerAccount * 2);
            startIteration();
            return true;
        }
        return false;
    }

    void buildArcs(std::size_t count) {
        const std::size_t units = unitS.size();
        const std::size_t end = std::min(units, buildNext + count);
        for (; buildNext < end; ++buildNext) {
            const std::size_t u = buildNext;
            std::uint32_t* cached = knnSinks.data() + knnStart[u];
            const std::size_t want = knnStart[u + 1] - knnStart[u];
            if (knnFresh) {
                index.nearest(unitX[u], unitY[u], want, knn);
                for (std::size_t a = 0; a < want; ++a)
                    cached[a] = a < knn.size() ? knn[a].second : 0xffffffffu;
            } else {
                knn.clear();
                for (std::size_t a = 0; a < want && cached[a] != 0xffffffffu; ++a)
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
            for (; bridgeNext < bridges.size() && bridges[bridgeNext].first < u; ++bridgeNext) {
            }
            for (; bridgeNext < bridges.size() && bridges[bridgeNext].first == u; ++bridgeNext)
                if (!std::isnan(cx[bridges[bridgeNext].second])) add(bridges[bridgeNext].second, unitD2(u, bridges[bridgeNext].second));
            tp.arcStart.push_back(static_cast<std::uint32_t>(tp.arcSink.size()));
        }
        if (buildNext >= units) {
            ensureReachable();
            // Candidate lists that trap supply in a region are widened before the final level's
            // solve: a maximum flow finds that out far sooner than a min-cost solve running dry.
            // (Other coarse levels stop early anyway; a nearly balanced flow is all they need.)
            // Checked on the final level's first round (and after widening); later rounds keep
            // the widened lists, and a solve that still runs dry widens them the slow way. A
            // coarse level solved fully is small: every round is checked.
            const bool check = solvedFully() && (iter == 0 || !finalLevel());
            const TransportFeasibility f = check ? checkTransportFeasible(tp) : TransportFeasibility{};
            if (!f.feasible && widen(f.trapped, f.blocked, f.shortSinks)) return;
            solver.reset(tp, prices);
            sub = Sub::Solve;
        }
    }

    // The `want` units nearest territory k's centre (distance, then index), ascending.
    void nearestUnits(std::size_t k, std::size_t want, std::vector<std::pair<double, std::uint32_t>>& near) {
        if (want <= 4096) {
            if (!unitIndexFresh) unitIndex.build(unitX, unitY), unitIndexFresh = true;
            unitIndex.nearest(cx[k], cy[k], want, near);
            return;
        }
        // Long lists (a territory far from enough supply): sort the lot once.
        near.clear();
        for (std::size_t u = 0; u < unitS.size(); ++u)
            if (!std::isnan(unitX[u]) && !std::isnan(unitY[u])) near.push_back({unitD2(u, k), static_cast<std::uint32_t>(u)});
        const std::size_t keep = std::min(want, near.size());
        std::partial_sort(near.begin(), near.begin() + static_cast<std::ptrdiff_t>(keep), near.end());
        near.resize(keep);
    }

    // Every territory with demand needs arcs from units that can supply it: a territory whose
    // candidate units carry less than twice its demand (an outlying centre, a sparse patch) gets
    // arcs from its nearest units until they do (at least 16), rather than every unit getting
    // longer lists.
    void ensureReachable() {
        const std::size_t K = p.K(), units = unitS.size();
        std::vector<double> reach(K, 0.0);
        for (std::size_t u = 0; u < units; ++u)
            for (std::uint32_t a = tp.arcStart[u]; a < tp.arcStart[u + 1]; ++a) reach[tp.arcSink[a]] += unitS[u];
        std::vector<std::uint32_t> missing;
        for (std::size_t k = 0; k < K; ++k)
            if (demand[k] > 0 && !std::isnan(cx[k]) && reach[k] < 2.0 * demand[k])
                missing.push_back(static_cast<std::uint32_t>(k));
        if (missing.empty()) return;
        std::vector<std::pair<std::uint32_t, std::uint32_t>> extra; // (unit, territory)
        std::vector<std::pair<double, std::uint32_t>> near;
        for (std::uint32_t k : missing) {
            // Nearest first, in growing batches, until the added supply covers the shortfall.
            double got = reach[k];
            std::size_t taken = 0, batch = 16;
            bool exhausted = false;
            while (!exhausted && (taken < 16 || got < 2.0 * demand[k])) {
                const std::size_t want = std::min(units, taken + batch);
                nearestUnits(k, want, near);
                const std::size_t end = near.size();
                exhausted = end < taken + batch || end <= taken;
                for (std::size_t j = taken; j < end; ++j) {
                    const std::uint32_t u = near[j].second;
                    bool has = false;
                    for (std::uint32_t a = tp.arcStart[u]; a < tp.arcStart[u + 1] && !has; ++a) has = tp.arcSink[a] == k;
                    if (has) continue;
                    extra.push_back({u, k});
                    got += unitS[u];
                }
                taken = end;
                batch *= 2;
            }
        }
        if (extra.empty()) return;
        // The added arcs go after each unit's own; runs of units without any are copied whole.
        std::stable_sort(extra.begin(), extra.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
        std::vector<std::uint32_t> arcStart(units + 1), arcSink;
        std::vector<double> arcCost;
        arcSink.reserve(tp.arcSink.size() + extra.size());
        arcCost.reserve(tp.arcSink.size() + extra.size());
        std::size_t e = 0;
        std::uint32_t copied = 0; // arcs of tp copied so far
        for (std::size_t u = 0; u <= units; ++u) {
            arcStart[u] = tp.arcStart[u] + static_cast<std::uint32_t>(e);
            if (u == units) break;
            if (e < extra.size() && extra[e].first == u) {
                const std::uint32_t to = tp.arcStart[u + 1];
                arcSink.insert(arcSink.end(), tp.arcSink.begin() + copied, tp.arcSink.begin() + to);
                arcCost.insert(arcCost.end(), tp.arcCost.begin() + copied, tp.arcCost.begin() + to);
                copied = to;
                for (; e < extra.size() && extra[e].first == u; ++e) {
                    arcSink.push_back(extra[e].second);
                    arcCost.push_back(unitD2(u, extra[e].second));
                }
            }
        }
        arcSink.insert(arcSink.end(), tp.arcSink.begin() + copied, tp.arcSink.end());
        arcCost.insert(arcCost.end(), tp.arcCost.begin() + copied, tp.arcCost.end());
        tp.arcStart = std::move(arcStart);
        tp.arcSink = std::move(arcSink);
        tp.arcCost = std::move(arcCost);
    }

    void roundSolution() {
        TransportSolution sol = solver.take();
        flowPhases += sol.phases;
        lastArcs = tp.arcSink.size();
        if (!sol.feasible) {
            // Too few arcs for exact balance (seldom: the lists were checked before the solve).
            std::vector<std::uint8_t> inBlock(p.K(), 0), trapped(unitS.size(), 0);
            for (std::uint32_t k : sol.blocked) inBlock[k] = 1;
            for (std::size_t u = 0; u < unitS.size(); ++u) trapped[u] = sol.sink[u] != 0xffffffffu && inBlock[sol.sink[u]];
            if (widen(trapped, sol.blocked, sol.shortSinks)) return;
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
            // A unit is one account, or several at the same location: its members are placed one
            // by one, largest first, each where it unbalances least.
            std::vector<std::uint32_t> members;
            for (std::size_t o : order) {
                const std::uint32_t u = sol.splitSources[o];
                members.assign(unitMembers.begin() + unitStart[u], unitMembers.begin() + unitStart[u + 1]);
                std::sort(members.begin(), members.end(), [&](std::uint32_t a, std::uint32_t b) {
                    return s[a] != s[b] ? s[a] > s[b] : a < b;
                });
                for (const std::uint32_t i : members) {
                    std::uint32_t best = sol.sink[u];
                    double bestHarm = 1e300, bestShare = -1;
                    bool bestFits = false;
                    for (const SplitShare& sh : sol.splitShares[o]) {
                        // An account that alone overflows a territory's band goes there only if it fits nowhere.
                        bool fits = true;
                        for (std::size_t m = 0; m < p.M() && fits; ++m)
                            fits = p.balanceValue(i, m) <= p.targetOf(sh.sink, m) * (1.0 + p.tolerance[m]);
                        const double want = demand[sh.sink];
                        const double harm = std::fabs(load[sh.sink] + s[i] - want) - std::fabs(load[sh.sink] - want);
                        const bool better =
                            fits != bestFits ? fits : (harm < bestHarm || (harm == bestHarm && sh.amount > bestShare));
                        if (better) best = sh.sink, bestHarm = harm, bestShare = sh.amount, bestFits = fits;
                    }
                    assign[i] = static_cast<std::int32_t>(best);
                    load[best] += s[i];
                }
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
        // Converged when a round gains less than 0.2% (0.5% on the final level of a multilevel
        // run, whose rounds cost the most: 100k accounts by rep, 3 rounds -> 2, 16% less time for
        // 0.4% more distance before local search).
        const double gain = finalLevel() && levelDepth.size() > 1 ? 5e-3 : 2e-3;
        const bool converged = iter > 1 && obj > prevObj - gain * std::fabs(prevObj);
        prevObj = obj;
        const std::size_t cap = finalLevel() && levelDepth.size() > 1 ? 4 : maxIter;
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

    // A plan that local search leaves outside tolerance usually has most territories pressed
    // against the edges of their bands, with none left to pass a surplus on to the far side of
    // the map (with several metrics that pull against each other, whole regions sit at +5% on one
    // and -5% on another). A pass that aims at narrower bands moves that surplus through the
    // territories in between; a pass at the real bands then finishes. Called when a pass ends:
    // true when another pass is due (the bands are set for it). A narrowed round that leaves the
    // plan worse at the real bands is undone.
    static constexpr double kNarrowedBands[] = {0.8, 0.6};
    bool narrowBands(PlanState& st) {
        if (!narrowing) return false;
        if (st.bandScale() < 1) { // a narrowed pass ended: back to the real bands
            st.setBandScale(1);
            detailText = "Tightening balance";
            return true;
        }
        if (narrowAt > 0 && st.totalHard() > narrowFromHard + kHardEps) restoreNarrowed(st);
        if (narrowAt >= std::size(kNarrowedBands) || !narrowingCanHelp(st)) return false;
        narrowFrom = st.assignment();
        narrowFromHard = st.totalHard();
        st.setBandScale(kNarrowedBands[narrowAt++]);
        detailText = "Tightening balance (narrowed bands, pass " + std::to_string(narrowAt) + ")";
        return true;
    }
    // Whether some of the plan's penalty could still go: not when the disruption budget is spent,
    // not when what locked accounts and kept customers carry above their bands leaves the other
    // territories short of theirs, and not in a territory whose fixed accounts alone are above a band
    // (the blocking constraint then reported; such a plan would only pay for futile passes, e.g.
    // at every point of a trade-off sweep).
    bool narrowingCanHelp(const PlanState& st) {
        if (st.movedAccounts() >= maxCount - 0.5 || st.movedValue() >= maxValue * (1 - 1e-9)) return false;
        const std::size_t K = p.K(), M = p.M();
        if (fixedOver.empty()) {
            std::vector<double> fixedLoad(K * M, 0.0);
            for (std::size_t i = 0; i < p.accounts; ++i) {
                const std::int32_t k = st.territoryOf(static_cast<std::uint32_t>(i));
                if (k < 0 || p.fixed[i] == Fixed::Free || p.oversize[i]) continue;
                for (std::size_t m = 0; m < M; ++m)
                    fixedLoad[static_cast<std::size_t>(k) * M + m] += p.balanceValue(i, m);
            }
            fixedOver.assign(K, 0);
            std::vector<double> excess(M, 0.0), room(M, 0.0);
            for (std::size_t k = 0; k < K; ++k)
                for (std::size_t m = 0; m < M; ++m) {
                    const double T = p.targetOf(k, m);
                    if (T > 0 && fixedLoad[k * M + m] > T * (1 + p.tolerance[m])) fixedOver[k] = 1;
                    excess[m] += std::max(0.0, fixedLoad[k * M + m] - T * (1 + p.tolerance[m]));
                }
            // The fixed accounts' excess above those bands is missing from the others: when it is
            // more than the others could lack while at the bottom of their bands, they cannot all
            // be inside, whatever the search does.
            for (std::size_t k = 0; k < K; ++k)
                if (!fixedOver[k])
                    for (std::size_t m = 0; m < M; ++m) room[m] += p.targetOf(k, m) * p.tolerance[m];
            fixedShort = false;
            for (std::size_t m = 0; m < M; ++m) fixedShort = fixedShort || excess[m] > room[m];
        }
        if (fixedShort) return false;
        for (std::size_t k = 0; k < K; ++k)
            if (!fixedOver[k] && st.hard(k) > 0) return true;
        return false;
    }
    // Puts back the plan from before the last narrowed round, at the real bands.
    void restoreNarrowed(PlanState& st) {
        st.setBandScale(1);
        for (std::uint32_t i = 0; i < narrowFrom.size(); ++i)
            if (st.territoryOf(i) != narrowFrom[i] && narrowFrom[i] >= 0) st.move(i, narrowFrom[i]);
    }
    // When time runs out in a narrowed round: the better of its plan and the one before it.
    void settleNarrowed() {
        if (!state || narrowAt == 0) return;
        state->setBandScale(1);
        if (state->totalHard() > narrowFromHard + kHardEps) restoreNarrowed(*state);
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
        r.assignmentArcs = lastArcs;
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
        if (opt.contiguous && !r.figures.contiguous) r.lockedInEnclaves = lockedInDetachedPieces(p, *graph, r.assignment);
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
        std::size_t oversizeCount = 0;
        for (std::size_t i = 0; i < p.accounts; ++i) {
            if (!p.inPlan(i)) continue;
            oversizeCount += p.oversize[i] ? 1 : 0;
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
                const std::size_t oversizeOthers = oversizeCount - (p.oversize[globalAcc[m]] ? 1 : 0);
                b.detail = "account " + std::string(p.accountName(globalAcc[m])) + " alone has " + mn + " " +
                           fmt::compactNumber(globalMax[m]) +
                           ", more than any territory's band allows (largest upper bound " + fmt::compactNumber(maxHi) + "); " +
                           (oversizeOthers == 0 ? std::string("it keeps its territory and the other accounts are balanced around it")
                                                : "it and " + std::to_string(oversizeOthers) +
                                                      (oversizeOthers == 1 ? " other account" : " other accounts") +
                                                      " larger than any band keep their territories and the other accounts are "
                                                      "balanced around them");
                // The rest may still be out of balance for another reason: the fixed accounts.
                if (f.maxDeviationBalanceable[m] > tol + kToleranceSlack) {
                    double excess = 0, room = 0;
                    std::size_t over = 0;
                    for (std::size_t k = 0; k < K; ++k) {
                        const double Tk = p.targetOf(k, m), fixedK = fixedLoads[k * M + m];
                        if (Tk > 0 && fixedK > Tk * (1 + tol))
                            excess += fixedK - Tk * (1 + tol), ++over;
                        else
                            room += Tk * tol;
                    }
                    if (excess > room) {
                        BlockingConstraint lb;
                        lb.metric = mn;
                        lb.constraint = "locks";
                        lb.detail = "locked accounts and kept customers carry " + fmt::compactNumber(excess) + " " + mn +
                                    " above the bands of " + std::to_string(over) +
                                    " territories, more than the others can lack and stay inside theirs "
                                    "(balanced around oversize accounts: " +
                                    fmt::percent(f.maxDeviationBalanceable[m], 2) + ")";
                        r.blocking.push_back(std::move(b));
                        b = std::move(lb);
                    }
                }
            } else if (over && fixedLoads[worst * M + m] > hi) {
                b.constraint = "locks";
                b.territory = tid;
                b.detail = "locked accounts and kept customers in " + tid + " already carry " + mn + " " +
                           fmt::compactNumber(fixedLoads[worst * M + m]) + ", above its band (" + fmt::compactNumber(T) + " +" +
                           fmt::percent(tol, 2) + ")";
            } else if (over && largest[worst * M + m] > hi) {
                b.constraint = "account_size";
                b.territory = tid;
                b.detail = "account " + std::string(p.accountName(largestAcc[worst * M + m])) +
                           " alone has " + mn + " " + fmt::compactNumber(largest[worst * M + m]) +
                           ", above the band of " + tid + " (" + fmt::compactNumber(T) + " +" + fmt::percent(tol, 2) + ")";
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
                           fmt::percent(f.territories[worst].deviation[m], 2) + " on " + mn;
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
        // An oversize account named as the blocking constraint is not repeated as a note.
        const bool oversizeNamed = std::any_of(r.blocking.begin(), r.blocking.end(), [](const BlockingConstraint& b) {
            return b.constraint == "account_size" && b.territory.empty();
        });
        if (oversizeNamed && !p.oversizeNote.empty()) std::erase(r.warnings, p.oversizeNote);
        std::string best;
        for (std::size_t m = 0; m < M; ++m)
            best += (best.empty() ? "" : ", ") + p.metricName[m] + " " + fmt::percent(f.maxDeviation[m], 2) +
                    " (tolerance " + fmt::percent(p.tolerance[m], 2) + ")";
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
                } else if (phase == Phase::Polish) {
                    settleNarrowed();
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
                             std::to_string(levelDepth.size()) + ", round " + std::to_string(iter + 1);
                if (sub == Sub::Build)
                    buildArcs(20000);
                else if (sub == Sub::Solve) {
                    if (solver.step(4)) {
                        sub = Sub::Round;
                    } else if (!solvedFully() && solver.phases() >= coarsePhaseCap()) {
                        // A coarse level only places centres and prices for the next one: a
                        // nearly balanced flow will do (see solvedFully()).
                        solver.stopEarly();
                        sub = Sub::Round;
                    }
                } else
                    roundSolution();
                break;
            case Phase::Polish:
                if (repairs[candidate]->step(2)) { // two territories a call: a step at 1M stays well under a slice
                    // Without --contiguous, a plan still outside tolerance may split territories
                    // to get inside (one more pass); the compactness pass never splits.
                    // Before that, and again after it, passes at narrowed bands (see narrowBands).
                    PlanState& st = *states[candidate];
                    if (narrowBands(st)) {
                        earlierMoves += repairs[candidate]->moves();
                        repairs[candidate] = std::make_unique<BalanceRepair>(st);
                    } else if (!opt.contiguous && st.contiguous() && st.totalHard() > 0) {
                        st.setContiguous(false);
                        narrowAt = 0;
                        earlierMoves += repairs[candidate]->moves();
                        repairs[candidate] = std::make_unique<BalanceRepair>(st);
                    } else {
                        narrowAt = 0;
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
            const double levels = static_cast<double>(std::max<std::size_t>(1, levelDepth.size()));
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
    // A time limit runs one start; what it leaves goes to improving the plan (when asked).
    m->totalLimitMs = m->opt.timeLimitMs;
    m_runs = m->opt.timeLimitMs > 0 ? 1 : std::clamp<std::size_t>(20000 / std::max<std::size_t>(movable, 1), 1, 8);
}

Optimiser::~Optimiser() = default;

bool Optimiser::step(double budgetMs) {
    Stopwatch clock;
    while (!m_firstDone) {
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
            m_firstDone = true;
            startImprove();
            break;
        }
        BalanceOptions next = m->opt;
        next.seed += 0x9E3779B97F4A7C15ULL; // the next start (the reported seed stays the caller's)
        const double total = m->totalLimitMs;
        if (total > 0) next.timeLimitMs = std::max(1e-3, total - m_spentMs);
        // Narrowed-band passes only rescue a start outside tolerance: not needed once one is inside.
        const bool narrowing = bandExcess(p, m_best) > 0;
        m = std::make_unique<Impl>(m->holder, next, m->graph);
        m->totalLimitMs = total;
        m->phase = Impl::Phase::Start;
        m->narrowing = narrowing;
        if (clock.ms() >= budgetMs) break;
    }
    if (m_firstDone && !m_done && (!m_improver || m_improver->step(std::max(0.0, budgetMs - clock.ms()))))
        finishImprove();
    return m_done;
}

void disruptionLimits(const BalanceProblem& p, const BalanceOptions& o, double& maxCount, double& maxValue) {
    double inPlan = 0, value = 0;
    for (std::size_t i = 0; i < p.accounts; ++i)
        if (p.inPlan(i)) inPlan += 1, value += p.moveValue[i];
    maxCount = o.maxMovedAccounts < 1.0 ? std::floor(o.maxMovedAccounts * inPlan + 1e-9) : 1e300;
    maxValue = o.maxMovedValue < 1.0 ? o.maxMovedValue * value : 1e300;
}

void reportObjective(const BalanceProblem& p, Compactness c, BalanceResult& r) {
    r.compactness = c;
    r.objective = c == Compactness::Diameter ? r.figures.maxDiameter : r.figures.weightedMeanDistance;
    // The nearest-home bound costs accounts x territories distances: skipped on the largest plans.
    if (c != Compactness::Home || p.accounts * p.K() <= 50000000) r.lowerBound = objectiveLowerBound(p, c);
    else r.lowerBound.basis = "not computed for this many accounts x territories";
}

void Optimiser::startImprove() {
    const BalanceOptions& o = m->opt;
    m_best.firstObjective = o.compactness == Compactness::Diameter ? m_best.figures.maxDiameter : m_best.figures.weightedMeanDistance;
    // improveIterations: move attempts, or the largest value for "until the time limit".
    if (m_best.cancelled || m_best.timeLimited || !m->graph || o.improveIterations == 0) return;
    ImproveOptions io;
    io.objective = o.compactness;
    io.iterations = o.improveIterations;
    if (m->totalLimitMs > 0 && m->totalLimitMs - m_spentMs < 1) return; // no time left
    io.timeLimitMs = m->totalLimitMs > 0 ? m->totalLimitMs - m_spentMs : 0;
    io.seed = o.seed;
    disruptionLimits(m->p, o, io.maxMovedAccounts, io.maxMovedValue);
    m_improver = std::make_unique<Improver>(m->p, *m->graph, m_best.assignment, io);
}

void Optimiser::finishImprove() {
    const BalanceProblem& p = m->p;
    const BalanceOptions& o = m->opt;
    if (m_improver) {
        m_best.assignment = m_improver->best();
        m_best.figures = evaluatePlan(p, *m->graph, m_best.assignment, o.fixedCentres);
        m_best.history = m_improver->history();
        m_best.improveIterations = m_improver->iterations();
        m_best.improveMoves = m_improver->acceptedMoves();
        m_best.improveMs = m_improver->runtimeMs();
        m_best.runtimeMs += m_best.improveMs;
        m_best.timeLimited = m_improver->timeLimited();
        m_best.improveStopped = m->cancelled;
    }
    reportObjective(p, o.compactness, m_best);
    m_done = true;
}
bool Optimiser::done() const {
    return m_done;
}
void Optimiser::cancel() {
    m->cancelled = true;
    if (m_improver) m_improver->cancel();
}
double Optimiser::progress() const {
    if (m_done) return 1.0;
    if (m_improver) return m_improver->progress();
    return (static_cast<double>(m_run) + m->progress()) / static_cast<double>(m_runs);
}
std::string Optimiser::detail() const {
    if (m_improver)
        return std::string("Improving ") + compactnessName(m->opt.compactness) + ": " + std::to_string(m_improver->iterations()) + " moves tried";
    if (m_runs <= 1) return m->detailText;
    return "Start " + std::to_string(m_run + 1) + " of " + std::to_string(m_runs) + ": " + m->detailText;
}
std::vector<std::int32_t> Optimiser::snapshot() const {
    if (m_done) return m_best.assignment;
    if (m_improver) return m_improver->best();
    if (m_firstDone) return m_best.assignment;
    if (m->state) return m->state->assignment();
    if (!m->assign.empty()) return m->assign;
    if (m_haveBest) return m_best.assignment;
    return m->holder->current;
}
bool Optimiser::hasPlan() const {
    return m_done || m_haveBest || m->state || m->iterTotal > 0;
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
