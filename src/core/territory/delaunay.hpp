// Delaunay triangulation of account locations and the contiguity graph built on it.
//
// Points are snapped to an integer grid (2^26 steps across the data's extent), so the orientation
// and in-circle predicates are exact (64- and 128-bit integers): collinear and cocircular inputs,
// lattices and duplicate points (many accounts share a ZIP centroid) are handled without
// tolerances, and the result is identical natively and in wasm. Accounts at the same snapped
// point share one site; the graph joins sites, and accounts at one site are adjacent.
//
// Index
//  [SECTION] predicates      exact orient2d / inCircle on integer coordinates
//  [SECTION] triangulation   incremental Bowyer-Watson with ghost triangles, Hilbert order
//  [SECTION] site graph      sites, accounts per site, neighbours in counter-clockwise order
#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace terrane::territory {

// [SECTION] predicates
// Sign of the signed area of (a, b, c): +1 counter-clockwise, -1 clockwise, 0 collinear.
// Exact for |coordinates| < 2^30.
int orient2d(std::int64_t ax, std::int64_t ay, std::int64_t bx, std::int64_t by, std::int64_t cx,
             std::int64_t cy);
// +1 if d lies strictly inside the circle through the counter-clockwise a, b, c; -1 outside;
// 0 on it. Exact for |coordinates| < 2^28.
int inCircle(std::int64_t ax, std::int64_t ay, std::int64_t bx, std::int64_t by, std::int64_t cx,
             std::int64_t cy, std::int64_t dx, std::int64_t dy);

// [SECTION] triangulation
struct Triangulation {
    std::vector<std::uint32_t> triangles; // three point indices per triangle, counter-clockwise
    bool collinear = false;               // every point lies on one line (no triangles)
};

// Delaunay triangulation of distinct integer points with |coordinates| < 2^28. Throws
// std::invalid_argument on duplicates or out-of-range coordinates.
Triangulation delaunay(std::span<const std::int64_t> x, std::span<const std::int64_t> y);

// [SECTION] site graph
inline constexpr std::uint32_t kNoSite = 0xffffffffu;

struct SiteGraph {
    std::vector<std::uint32_t> siteOf;        // account -> site (kNoSite when it has no location)
    std::vector<std::uint32_t> accountStart;  // site -> [accountStart[s], accountStart[s+1]) in `accounts`
    std::vector<std::uint32_t> accounts;      // accounts grouped by site, ascending within a site
    std::vector<std::uint32_t> adjStart, adj; // Delaunay neighbours of each site, counter-clockwise
    std::vector<std::uint8_t> ringClosed;     // 1 when the neighbours surround the site (not on the hull)
    bool ccwRings = true;                     // neighbours in planar order (false for a travel graph)

    std::size_t siteCount() const { return accountStart.empty() ? 0 : accountStart.size() - 1; }
    std::span<const std::uint32_t> accountsAt(std::uint32_t s) const {
        return {accounts.data() + accountStart[s], accounts.data() + accountStart[s + 1]};
    }
    std::span<const std::uint32_t> neighbours(std::uint32_t s) const {
        return {adj.data() + adjStart[s], adj.data() + adjStart[s + 1]};
    }
    std::size_t edgeCount() const { return adj.size() / 2; }
};

// Sites of the placed accounts (NaN coordinates are skipped) and their Delaunay graph.
SiteGraph buildSiteGraph(std::span<const double> x, std::span<const double> y);

// Incremental construction in slices, for jobs: call step() until it returns true.
class SiteGraphBuilder {
  public:
    SiteGraphBuilder(std::span<const double> x, std::span<const double> y);
    ~SiteGraphBuilder();
    SiteGraphBuilder(const SiteGraphBuilder&) = delete;
    SiteGraphBuilder& operator=(const SiteGraphBuilder&) = delete;
    // Inserts up to `maxPoints` more sites; true once the graph is complete.
    bool step(std::size_t maxPoints);
    double progress() const;
    SiteGraph take(); // the finished graph (call once, after step() returned true)

  private:
    struct Impl;
    Impl* m_impl;
};

} // namespace terrane::territory
