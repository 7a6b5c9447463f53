// Exact minimum of the largest territory diameter for small instances (branch and bound, up to 40
// movable accounts): the reference the improver's gap is measured against.
//
// Accounts are taken farthest-first; each goes to a territory whose diameter stays below the best
// plan found (a territory's diameter only grows as accounts join), whose upper bands hold, and
// after which every account still to place has some territory that could take it and the
// territories' lower bands can still be met by what is left. Complete plans are checked for the
// lower bands and (when asked) contiguity on the contiguity graph. Identical territories (same
// targets, no fixed accounts) are tried in order only (symmetry).
#pragma once

#include "core/territory/delaunay.hpp"
#include "core/territory/problem.hpp"

#include <cstdint>
#include <vector>

namespace terrane::territory {

struct ExactDiameterResult {
    std::vector<std::int32_t> assignment; // empty when no plan keeps every band (and contiguity)
    double diameter = 0;
    bool optimal = false; // false when the node limit stopped the search
    std::uint64_t nodes = 0;
};

ExactDiameterResult exactMinDiameter(const BalanceProblem& p, const SiteGraph& g, bool contiguous,
                                     std::uint64_t nodeLimit = 500000000ULL,
                                     const std::vector<std::int32_t>* incumbent = nullptr);

} // namespace terrane::territory
