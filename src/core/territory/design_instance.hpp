// Territory-design benchmark instances like the published planar ones: random basic units in a
// square, their Delaunay edges with Euclidean lengths, and three activities drawn uniformly on
// [4,20], [15,400] and [15,100]. Seeded: the same seed gives the same instance everywhere.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace terrane::territory {

struct DesignInstance {
    std::vector<double> x, y;              // in [0, 1000)
    std::vector<double> a1, a2, a3;         // activities
    std::vector<std::uint32_t> edgeA, edgeB; // Delaunay edges, edgeA < edgeB
    std::vector<double> length;             // Euclidean
};

DesignInstance generateDesignInstance(std::size_t units, std::uint64_t seed);
// account_id,x,y,a1,a2,a3 (ids U0001...) and a,b,distance.
std::string designAccountsCsv(const DesignInstance& d);
std::string designEdgesCsv(const DesignInstance& d);

} // namespace terrane::territory
