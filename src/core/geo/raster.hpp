// Raster algorithms for the map's area layers, on a w x h grid of unit cells stored row by row
// (cell (x, y) spans [x, x + 1) x [y, y + 1) in grid coordinates).
#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace terrane {

// The nearest-seed transform behind the territory areas: seed cells, then give every cell the
// label of its nearest seed, found by two chamfer passes over 8 neighbours (an approximate
// Euclidean distance transform: exact near the seeds, off by little along the boundaries).
class NearestSeedRaster {
  public:
    static constexpr std::int32_t kNone = -2; // the label of a cell no seed reached; not a seed's label

    NearestSeedRaster(int w, int h);
    // Seeds the cell holding grid point (x, y); points off the grid are ignored. Of several seeds
    // in one cell the heaviest decides (the first of equal weights); a seeded cell has distance 0.
    void seed(double x, double y, float weight, std::int32_t label);
    // Gives every cell its nearest seed's label and the squared distance from the cell's centre
    // to that seed's point. Call once, after the last seed().
    void propagate();

    int width() const { return m_w; }
    int height() const { return m_h; }
    std::int32_t label(int x, int y) const { return m_label[index(x, y)]; }
    float distance2(int x, int y) const { return m_dist[index(x, y)]; }
    // The label where the nearest seed is at most sqrt(maxDistance2) cells away, else kNone.
    std::int32_t labelWithin(int x, int y, float maxDistance2) const {
        const std::size_t c = index(x, y);
        return m_dist[c] <= maxDistance2 ? m_label[c] : kNone;
    }

  private:
    std::size_t index(int x, int y) const { return static_cast<std::size_t>(y) * m_w + x; }
    void relax(int x, int y, int nx, int ny);

    int m_w, m_h;
    std::vector<std::int32_t> m_label;
    std::vector<float> m_sx, m_sy, m_dist, m_weight; // per cell: its seed's point, distance^2, seed weight
};

// Blurs `g` (w x h, row by row) in place with three passes of a (2r + 1)-wide box, each across
// then down (about a Gaussian of sigma r). Cells outside the grid count as 0, so mass within
// about 3r of a border leaks out; elsewhere the total is kept.
void boxBlur3(std::span<double> g, int w, int h, int r);

} // namespace terrane
