// A plan under local search: the assignment with incremental loads, territory members, which
// territories are present at each site, the disruption spent, and the move rules (locks, the
// budget, adjacency and contiguity on the Delaunay graph).
//
// Moves are scored lexicographically: first the balance penalty, the sum over territories and
// metrics of (excess beyond the tolerance band / band half-width)^2, then the compactness cost,
// the potential-weighted squared distance to fixed centres (normalised by its starting value).
#pragma once

#include "core/territory/delaunay.hpp"
#include "core/territory/problem.hpp"

#include <cstdint>
#include <span>
#include <vector>

namespace terrane::territory {

// Why a move is refused. TooBig: the account alone overflows the receiving territory's band (such
// a territory could never get back inside tolerance by moving smaller accounts).
enum class MoveBlock : std::uint8_t { None, Fixed, Budget, Contiguity, NotAdjacent, Emptying, TooBig };

struct MoveDelta {
    double hard = 0; // change of the balance penalty
    double soft = 0; // change of the normalised compactness cost
};

inline constexpr double kHardEps = 1e-12;
// true when `a` improves more than `b` (lexicographic with a small tolerance on the penalty).
// Inline: the candidate sorts of the local search call it millions of times.
inline bool betterDelta(const MoveDelta& a, const MoveDelta& b) {
    if (a.hard < b.hard - kHardEps) return true;
    if (a.hard > b.hard + kHardEps) return false;
    return a.soft < b.soft;
}

class PlanState {
  public:
    // `maxMovedAccounts` / `maxMovedValue` are absolute (a count and a value), not shares.
    PlanState(const BalanceProblem& p, const SiteGraph& g, std::vector<std::int32_t> assign, bool contiguous,
              double maxMovedAccounts, double maxMovedValue, std::vector<double> cx, std::vector<double> cy);

    const BalanceProblem& problem() const { return m_p; }
    const SiteGraph& graph() const { return m_g; }
    const std::vector<std::int32_t>& assignment() const { return m_assign; }
    std::int32_t territoryOf(std::uint32_t i) const { return m_assign[i]; }
    std::span<const std::uint32_t> members(std::size_t k) const { return m_members[k]; }
    double load(std::size_t k, std::size_t m) const { return m_load[k * m_M + m]; }
    // Balance penalty of territory k, and of the whole plan.
    double hard(std::size_t k) const;
    double totalHard() const;
    double softCost() const; // normalised compactness cost of the plan
    bool contiguous() const { return m_contiguous; }
    // Whether moves must keep every territory connected (on by default in the optimiser).
    void setContiguous(bool on) { m_contiguous = on; }
    double movedAccounts() const { return m_movedCount; }
    double movedValue() const { return m_movedValue; }
    bool counts(std::uint32_t i) const; // an account with a territory that the plan moves

    MoveDelta shiftDelta(std::uint32_t i, std::int32_t to) const;
    // i moves to j's territory and j to i's.
    MoveDelta swapDelta(std::uint32_t i, std::uint32_t j) const;
    MoveBlock check(std::uint32_t i, std::int32_t to) const;
    // Whether the disruption budget allows i to move to `to` (other rules not checked).
    bool withinBudget(std::uint32_t i, std::int32_t to) const;
    // Whether the moved-account limit alone refuses i moving to `to` (then check() says Budget). The
    // count is a whole number, so a move and its undo leave this answer as it was.
    bool countBlocks(std::uint32_t i, std::int32_t to) const;
    void move(std::uint32_t i, std::int32_t to);

    // Territories other than i's present at i's site or a neighbouring site (ascending).
    void adjacentTerritories(std::uint32_t i, std::vector<std::int32_t>& out) const;
    // Accounts of other territories at i's site or a neighbouring site (ascending unless `sorted`
    // is false: then in site order, still without repeats).
    void adjacentAccounts(std::uint32_t i, std::vector<std::uint32_t>& out, bool sorted = true) const;
    // Whether moving accounts out of (into) territory k can lower k's balance penalty: k is above
    // (below) its band on some metric whose values are positive, or the reverse for a metric with
    // negative values.
    bool outMovesCanHelp(std::size_t k) const { return movesCanHelp(k, true); }
    bool inMovesCanHelp(std::size_t k) const { return movesCanHelp(k, false); }
    int presence(std::uint32_t site, std::int32_t k) const;

    void setCentres(std::vector<double> cx, std::vector<double> cy);
    void recomputeCentres(bool fixedCentres);
    // Moves that would have improved balance but were refused, by reason (diagnostics).
    std::uint64_t refusedBudget = 0, refusedContiguity = 0, refusedFixed = 0;

    // Scales every tolerance band used by the penalty (1: the bands asked for).
    void setBandScale(double s) { m_bandScale = s; }
    double bandScale() const { return m_bandScale; }
    // Balance penalty of territory k on metric m if its load were w.
    double penalty(std::size_t k, std::size_t m, double w) const;

  private:
    double dist2(std::uint32_t i, std::int32_t k) const;
    bool movesCanHelp(std::size_t k, bool out) const;
    void addPresence(std::uint32_t site, std::int32_t k);
    void removePresence(std::uint32_t site, std::int32_t k);
    bool staysConnectedWithout(std::uint32_t site, std::int32_t k) const;
    bool adjacentTo(std::uint32_t site, std::int32_t k) const;

    struct Presence {
        std::int32_t t[2] = {-1, -1};
        std::int32_t c[2] = {0, 0};
        std::uint32_t more = 0xffffffffu;
    };

    const BalanceProblem& m_p;
    const SiteGraph& m_g;
    std::size_t m_K, m_M;
    std::vector<std::int32_t> m_assign;
    std::vector<double> m_load;
    std::vector<std::vector<std::uint32_t>> m_members;
    std::vector<std::uint32_t> m_pos; // index of an account in its territory's members
    std::vector<Presence> m_pres;
    std::vector<std::vector<std::pair<std::int32_t, std::int32_t>>> m_more;
    bool m_contiguous;
    double m_maxMovedCount, m_maxMovedValue;
    double m_movedCount = 0, m_movedValue = 0;
    std::vector<double> m_cx, m_cy;
    std::vector<std::uint8_t> m_negative; // per metric: some account has a negative value
    double m_softScale = 1;
    double m_bandScale = 1;
    double m_meanTarget = 1;
    mutable std::vector<std::uint32_t> m_seen;
    mutable std::uint32_t m_stamp = 0;
    mutable std::vector<std::uint32_t> m_queue;
};

} // namespace terrane::territory
