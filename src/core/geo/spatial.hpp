// A uniform grid over planar points for nearest-point and rectangle queries (hover, lasso).
#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace terrane {

class PointGrid {
  public:
    // Indexes points (x[i], y[i]); NaN coordinates are skipped. About `perCell` points a cell.
    void build(std::span<const double> x, std::span<const double> y, double perCell = 8.0);
    // The index of the nearest point within `maxDist`, or -1.
    std::int64_t nearest(double x, double y, double maxDist) const;
    // Indices of points inside the axis-aligned rectangle (inclusive).
    void inRect(double x0, double y0, double x1, double y1, std::vector<std::uint32_t>& out) const;
    bool empty() const { return m_count == 0; }
    double minX() const { return m_minX; }
    double minY() const { return m_minY; }
    double maxX() const { return m_maxX; }
    double maxY() const { return m_maxY; }

  private:
    std::uint32_t cellOf(double x, double y) const;
    std::span<const double> m_x, m_y;
    double m_minX = 0, m_minY = 0, m_maxX = 0, m_maxY = 0, m_cell = 1;
    std::uint32_t m_nx = 0, m_ny = 0;
    std::size_t m_count = 0;
    std::vector<std::uint32_t> m_start; // m_nx*m_ny+1 offsets into m_items
    std::vector<std::uint32_t> m_items;
};

} // namespace terrane
