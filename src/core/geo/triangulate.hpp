// Polygon triangulation by ear clipping (simple polygons; used for county shapes at load time).
#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace terrane {

struct Point2 {
    double x, y;
};

// Appends triangles (indices into `ring`, offset by `base`) covering the simple polygon `ring`
// (either orientation; a repeated closing point is ignored). Degenerate or self-touching input
// falls back to a fan, so the call always terminates. Returns the number of triangles added.
std::size_t triangulateRing(std::span<const Point2> ring, std::uint32_t base, std::vector<std::uint32_t>& out);

} // namespace terrane
