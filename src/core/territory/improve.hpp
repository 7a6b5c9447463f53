// Anytime improvement of a territory plan's compactness, and honest lower bounds.
//
// Objectives (chosen per run):
//  distance  potential-weighted mean distance to the territory's weighted centroid (default)
//  diameter  the largest territory diameter: the longest distance between two accounts of one
//            territory (shortest paths on the travel graph when there is one)
//  home      potential-weighted mean distance to the owner's home base (centroid when unknown)
//
// The improver is a simulated-annealing local search in cycles: each step picks a territory (half
// the time the one that sets the objective, e.g. the widest) and a unit of it (for diameter, half
// the time an end of its diameter), then takes the best of the shifts of that unit to adjacent
// territories and its swaps with adjacent accounts, accepted by the annealing rule. Every move
// keeps contiguity, locks and the disruption budget, and balance (no metric of either territory
// moves further outside its band) — except in the diameter target search below. Each cycle cools
// from a temperature proportional to the best objective and ends by returning to the best plan.
// Diameter below 20,000 movable accounts is a target search: it minimises the excess over a
// target just under the best diameter of every pair of one territory; reaching zero is a better
// plan and lowers the target. From a plan inside every band it oscillates: moves may leave a band
// at a cost (an adaptive weight times the relative band excess), so the search crosses the narrow
// infeasible valleys between balanced plans; only plans inside every band are kept. Work is counted in move attempts
// (iterations): the same seed and iteration budget give the same plan on every machine; a time
// limit only stops it sooner.
#pragma once

#include "core/territory/delaunay.hpp"
#include "core/territory/problem.hpp"

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace terrane::territory {

const char* compactnessName(Compactness c); // "distance", "diameter", "home"
bool parseCompactness(std::string_view s, Compactness& out);

struct ImproveOptions {
    Compactness objective = Compactness::Diameter;
    std::uint64_t iterations = 0; // move attempts; 0: until the time limit
    double timeLimitMs = 0;       // 0: none (then `iterations` must be given)
    std::uint64_t seed = 1;
    double maxMovedAccounts = 1e300, maxMovedValue = 1e300; // absolute disruption budget
};

struct ObjectivePoint {
    double ms = 0;
    std::uint64_t iteration = 0;
    double objective = 0; // best so far
};

class Improver {
  public:
    Improver(const BalanceProblem& p, const SiteGraph& g, std::vector<std::int32_t> start, ImproveOptions o);
    ~Improver();
    Improver(const Improver&) = delete;
    Improver& operator=(const Improver&) = delete;

    bool step(double budgetMs); // true when the budget is spent (or cancelled)
    void cancel();
    bool done() const;
    double progress() const;
    const std::vector<std::int32_t>& best() const;
    double startObjective() const;
    double bestObjective() const;
    const std::vector<ObjectivePoint>& history() const;
    std::uint64_t iterations() const;
    std::uint64_t acceptedMoves() const;
    bool timeLimited() const;
    double runtimeMs() const;

  private:
    struct Impl;
    std::unique_ptr<Impl> m;
};

// The objective of a plan as the improver measures it (planar distances for lat/lon data; shortest
// paths on the travel graph for diameters when kept).
double planObjective(const BalanceProblem& p, std::span<const std::int32_t> assign, Compactness c);

struct LowerBound {
    bool known = false;
    double value = 0;
    std::string basis; // one or two sentences: why no plan inside tolerance can do better
};

// A cheap bound on the objective of any plan that keeps every metric inside its band and honours
// the locks. Diameter: the territory of account u holds at least (1 - tolerance) x the smallest
// target of every metric, and all of it lies within the territory's diameter of u, so the
// diameter is at least the radius of the smallest ball around u that holds that much; the bound
// is the largest such radius over the accounts (a deterministic sample of at most 64 beyond
// kMaxPathAccounts accounts), or the widest pair of accounts locked together, if larger. Home:
// each account's distance to its nearest home base. Distance: none is cheap (known = false).
LowerBound objectiveLowerBound(const BalanceProblem& p, Compactness c);

} // namespace terrane::territory
