// The territory optimiser: balanced (1-5 metrics, each with its own tolerance, targets in
// proportion to capacity), compact, optionally contiguous, within a disruption budget, honouring
// locks, and deterministic for a seed (bit-identical natively and in wasm).
//
// Method (Hess & Samuels location-allocation, then local search):
//  1. Start: the current plan (when most accounts have a territory) or a recursive bisection of
//     the accounts by capacity share along a seeded direction.
//  2. Allocate: repeat { nearest-centre candidates per account (grid index); an exactly balanced
//     assignment of the composite balance measure (transportation problem, min-cost flow on
//     squared distances, at most K-1 split accounts); resolve each split account to the territory
//     it unbalances least; move centres to the weighted centroids } until the cost stops falling.
//     (Location-allocation runs on grid-cell aggregates first, four times finer per level.)
//  3. Polish: budget enforcement, contiguity repair when asked (pieces join the neighbour sharing
//     the most Delaunay edges), then boundary shifts and swaps until every metric is inside its
//     band (moves never split a territory in two, contiguity asked for or not),
//     then compactness passes that never worsen balance. When the optimised plan moves more than
//     the disruption budget, it is trimmed to the budget (cheapest moves undone) and, separately,
//     the current plan is repaired within the budget; the better of the two is kept.
//     Instances under 20,000 movable accounts repeat 1-3 with up to 8 seeded starts and keep the
//     best plan (inside tolerance first, then the least inertia).
//  4. Finish: the figures (figures.hpp) and, when a band cannot be met, which constraint
//     blocks it (account size, locks, the budget, contiguity) with the best deviation reached.
#pragma once

#include "core/base/job.hpp"
#include "core/territory/delaunay.hpp"
#include "core/territory/figures.hpp"
#include "core/territory/improve.hpp"
#include "core/territory/problem.hpp"

#include <memory>
#include <string>
#include <vector>

namespace terrane::territory {

struct BlockingConstraint {
    std::string constraint; // "account_size", "locks", "disruption", "contiguity", "search"
    std::string territory;  // territory id, or "" for the whole plan
    std::string metric;
    std::string detail; // one sentence
};

struct BalanceResult {
    bool feasible = false;                // every metric inside its tolerance (and contiguous when asked)
    std::string reason;                   // "" when feasible; otherwise the first blocking constraint
    std::vector<std::int32_t> assignment; // per account: territory index, -1 unassigned
    PlanFigures figures;
    std::vector<BlockingConstraint> blocking;
    std::vector<std::string> warnings;
    // A contiguous plan asked for and not reached: locked accounts in detached pieces of their
    // territory (unlocking them lets the territory join up).
    std::vector<std::uint32_t> lockedInEnclaves;
    std::uint64_t seed = 1;
    double runtimeMs = 0;
    bool timeLimited = false;
    bool cancelled = false;
    std::size_t iterations = 0;    // location-allocation rounds
    std::size_t splitAccounts = 0; // split by the last balanced assignment, before resolution
    std::size_t flowPhases = 0;
    std::size_t assignmentArcs = 0; // candidate arcs (unit, territory) in the last balanced assignment
    std::size_t searchMoves = 0;
    double graphMs = 0, allocateMs = 0, polishMs = 0; // where the time went
    // Compactness: the objective (figures' weighted mean distance, or max diameter), its value for
    // the first plan, a lower bound, and the anytime improvement after the first plan.
    Compactness compactness = Compactness::Distance;
    double objective = 0, firstObjective = 0;
    LowerBound lowerBound;
    std::vector<ObjectivePoint> history; // best objective (improver's measure) over time
    std::uint64_t improveIterations = 0, improveMoves = 0;
    double improveMs = 0;
    bool improveStopped = false; // cancelled while improving: the best plan so far is kept
};

// The objective figure of a plan and its lower bound, filled into `r` (after r.figures is set).
void reportObjective(const BalanceProblem& p, Compactness c, BalanceResult& r);
// Absolute disruption limits (count, value) from the options' shares (1e300 when unlimited).
void disruptionLimits(const BalanceProblem& p, const BalanceOptions& o, double& maxCount, double& maxValue);

class Optimiser {
  public:
    // `graph` may be shared between runs on the same accounts (a sweep); built when null.
    Optimiser(std::shared_ptr<const BalanceProblem> problem, BalanceOptions options,
              std::shared_ptr<const SiteGraph> graph = nullptr);
    ~Optimiser();
    Optimiser(const Optimiser&) = delete;
    Optimiser& operator=(const Optimiser&) = delete;

    // Works for about `budgetMs`; true when finished (or cancelled).
    bool step(double budgetMs);
    bool done() const;
    void cancel();
    double progress() const;
    std::string detail() const; // "Balancing: round 3 of 12"
    // The plan as it stands (territory index per account) for live previews.
    std::vector<std::int32_t> snapshot() const;
    // Whether snapshot() holds a plan of the optimiser's own (not yet the starting assignment).
    bool hasPlan() const;
    const BalanceResult& result() const; // valid once done()
    std::shared_ptr<const SiteGraph> graph() const;
    const BalanceProblem& problem() const;

  private:
    struct Impl;
    std::unique_ptr<Impl> m; // the run in progress
    // Small instances run several starts (seeds derived from the seed) and keep the best plan.
    std::size_t m_runs = 1, m_run = 0;
    BalanceResult m_best;
    bool m_haveBest = false, m_done = false, m_firstDone = false;
    std::unique_ptr<Improver> m_improver; // after the first plan, while time or iterations remain
    void startImprove();
    void finishImprove();
    double m_spentMs = 0;
};

// Runs to completion.
BalanceResult optimise(std::shared_ptr<const BalanceProblem> problem, const BalanceOptions& options,
                       std::shared_ptr<const SiteGraph> graph = nullptr);

// Weighted k-means (Lloyd, k-means++ seeding, best of `restarts` by inertia), the baseline the
// benchmark compares against: compact but with no balance. Weights are problem.weight.
std::vector<std::int32_t> weightedKMeansBaseline(const BalanceProblem& p, std::uint64_t seed,
                                                 int restarts = 5, int maxIterations = 100);

// Exact optimum for small instances (branch and bound, up to 40 accounts): the assignment with the
// least inertia (weighted squared distance to weighted centroids) that keeps every metric inside
// its band and honours fixed accounts. `optimal` is false when the node limit stopped the search;
// an empty assignment means no feasible plan exists.
struct ExactResult {
    std::vector<std::int32_t> assignment;
    double inertia = 0; // sum(w d^2) / sum(w), as PlanFigures::inertia
    bool optimal = false;
    std::uint64_t nodes = 0;
};
ExactResult exactBalancedPartition(const BalanceProblem& p, std::uint64_t nodeLimit = 2000000000ULL,
                                   const std::vector<std::int32_t>* incumbent = nullptr);

} // namespace terrane::territory
