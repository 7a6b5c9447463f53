// The figures of a territory plan, computed one way for the CLI, the optimiser and the page:
// per-territory totals and deviations, compactness, diameter, contiguity and disruption.
//
// Definitions (also the JSON's):
//  deviation              (load - target) / target per territory and metric, target = capacity share
//                         x the total (as the metrics panel); max_deviation is the largest
//                         |deviation| over territories with a target > 0.
//  weighted_mean_distance sum(w * d(account, centre)) / sum(w), w = potential (1 without potential),
//                         centre = the territory's w-weighted centroid, or the owner's home base
//                         with fixed centres; d is great-circle km for lat/lon data.
//  inertia                sum(w * d^2) / sum(w) with planar distances (the optimiser's objective).
//  max_diameter           largest distance between two accounts of one territory.
//  contiguous             every territory is one connected piece of the accounts' Delaunay graph.
//  cut_edge_share         share of Delaunay edges whose two ends have no territory in common.
//  moved_*_share          accounts (and ARR, or potential without ARR) whose territory differs from
//                         the starting one, over the accounts (value) in the plan.
#pragma once

#include "core/territory/delaunay.hpp"
#include "core/territory/problem.hpp"

#include <cstdint>
#include <span>
#include <vector>

namespace terrane::territory {

struct TerritoryFigures {
    std::uint64_t accounts = 0;
    std::vector<double> totals;      // per metric
    std::vector<double> deviation;   // per metric, (load - target) / target (0 when target is 0)
    double centreX = 0, centreY = 0; // planar
    double diameter = 0;
    std::uint32_t pieces = 0; // connected pieces on the Delaunay graph (0 when empty)
};

struct PlanFigures {
    std::vector<TerritoryFigures> territories;
    std::vector<double> maxDeviation; // per metric
    // Per metric, the largest deviation of the loads without oversize accounts (problem.hpp) from
    // the targets the optimiser balances: how well the rest is balanced around accounts larger
    // than any band. Equal to maxDeviation when there are none.
    std::vector<double> maxDeviationBalanceable;
    double weightedMeanDistance = 0;
    double inertia = 0;
    double maxDiameter = 0;
    bool contiguous = true;
    std::uint64_t extraPieces = 0; // pieces beyond one per territory (enclaves)
    double cutEdgeShare = 0;
    std::uint64_t movedAccounts = 0;
    double movedAccountsShare = 0;
    double movedValueShare = 0;
    std::uint64_t unassigned = 0; // accounts in the plan without a territory
    bool withinTolerance = false; // every metric's max deviation within its tolerance
};

// Territory centres for `assign` (index per account, -1 none): weighted centroids, or home bases
// where `fixedCentres` and the home is known. Empty territories get their home base or NaN.
void territoryCentres(const BalanceProblem& p, std::span<const std::int32_t> assign, bool fixedCentres,
                      std::vector<double>& cx, std::vector<double>& cy);

PlanFigures evaluatePlan(const BalanceProblem& p, const SiteGraph& g, std::span<const std::int32_t> assign,
                         bool fixedCentres);

// The smallest deviation figure used for "within tolerance" comparisons (absorbs rounding).
inline constexpr double kToleranceSlack = 1e-9;

} // namespace terrane::territory
