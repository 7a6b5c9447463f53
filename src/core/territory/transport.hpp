// The transportation problem: ship each source's supply (an account's balance weight) to sinks
// (territories) along allowed arcs so every sink receives exactly its demand, at least cost.
//
// Solved exactly (to rounding) by a primal-dual min-cost flow on the sink graph: sources sit at
// the sink that carries their flow; an arc k -> l of the residual graph is the cheapest account at
// k that may move to l, kept in a lazy heap per sink pair keyed by cost(i,l) - cost(i,k). Each
// phase runs Dijkstra on reduced costs from the overloaded sinks, updates the prices and pushes a
// blocking flow over tight arcs. Splits are then reduced to a forest, so at most (sinks - 1)
// sources end up divided between sinks. Prices are the dual: source i prefers the sink that
// minimises cost(i,k) - price(k) (a power diagram when costs are squared distances).
#pragma once

#include <cstdint>
#include <span>
#include <unordered_map>
#include <vector>

namespace terrane::territory {

struct TransportProblem {
    std::vector<double> supply;          // per source, >= 0
    std::vector<double> demand;          // per sink, >= 0; sums to the total supply
    std::vector<std::uint32_t> arcStart; // source i may ship to arcSink[arcStart[i] .. arcStart[i+1])
    std::vector<std::uint32_t> arcSink;
    std::vector<double> arcCost; // cost per unit of supply, parallel to arcSink
    std::size_t sources() const { return supply.size(); }
    std::size_t sinks() const { return demand.size(); }
};

struct SplitShare {
    std::uint32_t sink = 0;
    double amount = 0;
};

struct TransportSolution {
    bool feasible = false;                            // every demand met along the given arcs
    bool complete = true;                             // false when stopped early (demands met only roughly)
    // When infeasible for want of arcs: sinks that hold more supply than their demands and cannot
    // pass it on to any short sink along the given arcs (empty for other causes).
    std::vector<std::uint32_t> blocked;
    std::vector<std::uint32_t> shortSinks; // and the sinks still short of their demand then
    std::vector<std::uint32_t> sink;                  // per source: the sink with its largest share
    std::vector<std::uint32_t> splitSources;          // sources divided between sinks (ascending)
    std::vector<std::vector<SplitShare>> splitShares; // their shares, parallel to splitSources
    std::vector<double> price;                        // dual price per sink
    double cost = 0;                                  // sum of amount * arc cost
    std::size_t phases = 0, augmentations = 0;
};

// Whether every demand can be met along the given arcs, costs aside (a maximum flow, Dinic's
// algorithm from a greedy start). Far cheaper than a min-cost solve finding out the same, so
// candidate lists are checked, and widened where they trap supply, before the solve. When not
// feasible: `trapped` marks the sources whose supply cannot all get out of their region (those
// reachable from the supply in the residual network), `blocked` lists the sinks of that region and
// `shortSinks` those left short of their demand.
struct TransportFeasibility {
    bool feasible = true;
    std::vector<std::uint8_t> trapped; // per source
    std::vector<std::uint32_t> blocked, shortSinks;
};
TransportFeasibility checkTransportFeasible(const TransportProblem& problem);

// A resumable solve: step() runs up to `maxPhases` phases and returns true when finished.
class TransportSolver {
  public:
    // `problem` must outlive the solver. `warmPrice` (optional, one per sink) starts the duals
    // near a previous solution so few phases are needed.
    explicit TransportSolver(const TransportProblem& problem, std::span<const double> warmPrice = {});
    TransportSolver() = default;
    // Starts a new solve, keeping the buffers of the previous one (repeated solves allocate little).
    void reset(const TransportProblem& problem, std::span<const double> warmPrice = {});
    bool step(std::size_t maxPhases);
    bool finished() const { return m_finished; }
    // Ends the solve where it stands: the flows are consistent but some sinks may still be over
    // or under their demand (take() then reports complete = false). For coarse passes whose
    // result only seeds a finer, exact one.
    void stopEarly() { m_finished = true, m_stoppedEarly = true; }
    std::size_t phases() const { return m_phases; }
    // Starts without the grouped warm start (see warmByGroups), to compare with it; call before reset().
    void disableGrouping() { m_grouping = false; }
    // The solution; call once after step() returned true.
    TransportSolution take();
    // Current share of source i at its main sink, for live previews.
    std::uint32_t currentSink(std::size_t source) const { return m_sink0[source]; }
    bool active() const { return m_pp != nullptr && !m_taken; }

  private:
    struct Entry {
        double key;
        std::uint32_t src;
    };
    struct Link {
        std::uint32_t to;
        std::uint32_t heap;
    };
    double flowAt(std::uint32_t i, std::uint32_t k) const;
    void addFlow(std::uint32_t i, std::uint32_t k, double amount);
    void removeFlow(std::uint32_t i, std::uint32_t k, double amount);
    double arcCost(std::uint32_t i, std::uint32_t k) const;
    std::uint32_t heapOf(std::uint32_t k, std::uint32_t l);
    void pushEntries(std::uint32_t i, std::uint32_t k);
    const Entry* top(std::uint32_t heap, std::uint32_t from);
    bool phase();
    void cancelSplitCycles();
    void warmByGroups();
    void coordinateAscent(int maxSweeps, double goal);

    const TransportProblem* m_pp = nullptr;
    const TransportProblem& P() const { return *m_pp; }
    std::vector<double> m_price, m_excess;
    std::vector<std::uint32_t> m_sink0;
    std::vector<double> m_amt0;
    std::unordered_map<std::uint32_t, std::vector<SplitShare>> m_extra; // lookups only
    std::vector<std::vector<Link>> m_adj;
    std::vector<std::vector<Entry>> m_heaps;
    std::size_t m_heapCount = 0;
    std::vector<std::uint32_t> m_entryHeap, m_heapFill;
    // Dijkstra and blocking-flow scratch.
    std::vector<double> m_dist;
    std::vector<std::uint8_t> m_done, m_onPath, m_dead;
    std::vector<std::uint32_t> m_touched, m_cur, m_sources, m_predNode, m_predHeap, m_finalized, m_stack,
        m_viaHeap;
    std::vector<std::pair<double, std::uint32_t>> m_pq;
    // Coordinate-ascent scratch: best two (cost - price) per source, arcs by sink.
    std::vector<std::uint32_t> m_blocked, m_short;
    struct Best {
        double v1, v2;
        std::uint32_t k1, k2;
    };
    std::vector<Best> m_best;
    std::vector<double> m_theta, m_w, m_revCost, m_revSupply;
    std::vector<std::uint32_t> m_revStart, m_revSrc;
    double m_epsExcess = 0, m_epsReduced = 0, m_dust = 0;
    bool m_grouping = true; // false for the grouped problem warmByGroups() solves
    bool m_finished = false, m_feasible = true, m_taken = false, m_stoppedEarly = false;
    std::size_t m_phases = 0, m_augmentations = 0, m_phaseCap = 0;
};

// Solves to completion.
TransportSolution solveTransport(const TransportProblem& problem, std::span<const double> warmPrice = {});

} // namespace terrane::territory
