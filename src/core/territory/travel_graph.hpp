// The travel graph: an adjacency dataset (postcode adjacency, a road network, drive-time pairs from
// a routing tool: columns a, b, distance) that replaces the Delaunay graph of the coordinates.
// Contiguity is judged on it, and distances inside a territory (diameters) are shortest paths on
// it. Accounts without coordinates but on the graph are placed at the mean of their located
// neighbours (repeated outwards), so location-allocation can start from them.
#pragma once

#include "core/territory/delaunay.hpp"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace terrane {
class Workspace;
}

namespace terrane::territory {

struct BalanceProblem;

// Shortest paths are kept for every pair of accounts up to this many accounts on the graph.
inline constexpr std::size_t kMaxPathAccounts = 2500;

struct TravelGraph {
    std::size_t accounts = 0;                 // rows of the accounts table
    std::vector<std::uint32_t> start, to;     // CSR adjacency over accounts (both directions)
    std::vector<double> length;               // per arc
    std::vector<std::uint8_t> onGraph;        // per account: has at least one edge
    std::size_t edges = 0;                    // distinct undirected edges
    // Row-major accounts x accounts shortest-path lengths (infinity when unreachable); empty when
    // the graph has more than kMaxPathAccounts accounts (straight-line diameters are used then).
    std::vector<float> paths;
    bool hasPaths() const { return !paths.empty(); }
    double path(std::size_t i, std::size_t j) const { return paths[i * accounts + j]; }
};

// The graph of the workspace's adjacency dataset (nullptr when it has no rows). `source` names the
// file in messages. Throws BalanceInputError naming the row and column of an unknown account, a
// self-loop or a distance that is negative or not a number. Blank distances count as 1.
std::shared_ptr<const TravelGraph> travelGraphOf(const Workspace& ws);

// Fills NaN coordinates of accounts on the graph from their located neighbours; returns how many.
std::size_t placeOnGraph(const TravelGraph& g, std::vector<double>& x, std::vector<double>& y);

// The contiguity graph of a problem: the travel graph (one site per located account; its rings are
// not in planar order) when the problem has one, else the Delaunay graph of the coordinates.
SiteGraph contiguityGraph(const BalanceProblem& p);

// Distance between two accounts the way diameters measure it: shortest path on the travel graph
// when its paths are kept, else the reported straight-line distance.
double accountDistance(const BalanceProblem& p, std::size_t i, std::size_t j);

} // namespace terrane::territory
