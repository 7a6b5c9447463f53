// Local search over a PlanState: boundary shifts and swaps that bring every territory inside its
// tolerance band, compactness passes, contiguity repair, and the fewest-moves rebalance.
// Every routine is deterministic and resumable in slices (for jobs), with the same result however
// the work is sliced.
#pragma once

#include "core/territory/plan_state.hpp"

#include <cstdint>
#include <span>
#include <vector>

namespace terrane::territory {

// Repeatedly takes the territories outside tolerance (worst first) and applies the best improving
// shift into or out of each, else the best swap with a neighbour, else an ejection (a large
// account leaves and neighbours' accounts refill the territory), until no move improves or two
// rounds running gain less than 0.1%.
class BalanceRepair {
  public:
    explicit BalanceRepair(PlanState& state, std::size_t maxRounds = 400);
    // Works on up to `maxAttempts` territories; true when finished.
    bool step(std::size_t maxAttempts);
    std::size_t moves() const { return m_moves; }

  private:
    bool attempt(std::int32_t k);
    bool tryShift(std::int32_t k);
    bool trySwap(std::int32_t k);
    bool tryEject(std::int32_t k);
    PlanState& m_s;
    std::size_t m_maxRounds, m_rounds = 0, m_next = 0, m_moves = 0, m_slowRounds = 0;
    double m_lastHard = 0; // totalHard() when the last round began
    bool m_improved = false, m_done = false;
    std::vector<std::int32_t> m_round;
    std::vector<std::uint32_t> m_stamp;
    std::uint32_t m_stampValue = 0;
    std::uint32_t nextStamp(); // a fresh mark for m_stamp
};

// Moves boundary accounts to a neighbouring territory whose centre is nearer when balance does
// not get worse. One pass per call of step() over up to `maxTerritories` territories.
class CompactnessPass {
  public:
    CompactnessPass(PlanState& state, std::size_t passes);
    bool step(std::size_t maxTerritories);
    std::size_t moves() const { return m_moves; }

  private:
    PlanState& m_s;
    std::size_t m_passes, m_pass = 0, m_next = 0, m_moves = 0;
};

struct ContiguityRepairReport {
    std::size_t piecesMoved = 0, accountsMoved = 0;
    std::size_t lockedEnclaves = 0; // pieces that keep fixed accounts (they stay)
    std::size_t budgetBlocked = 0;  // accounts left in a piece because the budget is spent
};

// Moves every piece of a territory other than its largest into the neighbouring territory that
// shares the most Delaunay edges with it. Fixed accounts stay (reported).
ContiguityRepairReport repairContiguity(PlanState& state);
// Locked accounts in a detached piece of their territory (a piece other than its largest) in
// `assignment`: the locks that keep a contiguous plan out of reach, ascending.
std::vector<std::uint32_t> lockedInDetachedPieces(const BalanceProblem& p, const SiteGraph& g,
                                                  std::span<const std::int32_t> assignment);

// Reverts moved accounts (cheapest compactness regret per unit of budget first) until the moved
// count and value are within the limits.
std::size_t enforceBudget(PlanState& state, double maxCount, double maxValue);

struct RebalanceMove {
    std::uint32_t account = 0;
    std::int32_t from = -1, to = -1; // territory indices
};

// The fewest moves (greedy by penalty reduction, then pruned so no single move can be dropped)
// that bring every territory inside tolerance from `state`'s assignment; applied to `state`.
// Returns the net moves (account, original territory, new territory).
std::vector<RebalanceMove> rebalanceMoves(PlanState& state, std::size_t maxMoves);

} // namespace terrane::territory
