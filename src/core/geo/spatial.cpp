#include "core/geo/spatial.hpp"

#include <algorithm>
#include <cmath>

namespace terrane {

void PointGrid::build(std::span<const double> x, std::span<const double> y, double perCell) {
    m_x = x;
    m_y = y;
    m_count = 0;
    m_minX = m_minY = 1e300;
    m_maxX = m_maxY = -1e300;
    const std::size_t n = std::min(x.size(), y.size());
    for (std::size_t i = 0; i < n; ++i) {
        if (std::isnan(x[i]) || std::isnan(y[i])) continue;
        m_minX = std::min(m_minX, x[i]), m_maxX = std::max(m_maxX, x[i]);
        m_minY = std::min(m_minY, y[i]), m_maxY = std::max(m_maxY, y[i]);
        ++m_count;
    }
    m_start.clear();
    m_items.clear();
    if (m_count == 0) return;
    const double w = std::max(m_maxX - m_minX, 1e-12), h = std::max(m_maxY - m_minY, 1e-12);
    const double cells = std::max(1.0, static_cast<double>(m_count) / perCell);
    m_cell = std::sqrt(w * h / cells);
    if (!(m_cell > 0)) m_cell = std::max(w, h);
    m_nx = static_cast<std::uint32_t>(std::min(4096.0, std::floor(w / m_cell) + 1));
    m_ny = static_cast<std::uint32_t>(std::min(4096.0, std::floor(h / m_cell) + 1));
    m_cell = std::max(w / m_nx, h / m_ny) * (1.0 + 1e-9);
    m_start.assign(static_cast<std::size_t>(m_nx) * m_ny + 1, 0);
    std::vector<std::uint32_t> cellIdx(n, 0xffffffffu);
    for (std::size_t i = 0; i < n; ++i) {
        if (std::isnan(x[i]) || std::isnan(y[i])) continue;
        cellIdx[i] = cellOf(x[i], y[i]);
        ++m_start[cellIdx[i] + 1];
    }
    for (std::size_t c = 1; c < m_start.size(); ++c) m_start[c] += m_start[c - 1];
    m_items.resize(m_count);
    std::vector<std::uint32_t> fill(m_start.begin(), m_start.end() - 1);
    for (std::size_t i = 0; i < n; ++i)
        if (cellIdx[i] != 0xffffffffu) m_items[fill[cellIdx[i]]++] = static_cast<std::uint32_t>(i);
}

std::uint32_t PointGrid::cellOf(double x, double y) const {
    const auto cx = static_cast<std::uint32_t>(std::clamp((x - m_minX) / m_cell, 0.0, static_cast<double>(m_nx - 1)));
    const auto cy = static_cast<std::uint32_t>(std::clamp((y - m_minY) / m_cell, 0.0, static_cast<double>(m_ny - 1)));
    return cy * m_nx + cx;
}

std::int64_t PointGrid::nearest(double x, double y, double maxDist) const {
    if (m_count == 0) return -1;
    const auto clampCell = [](double v, std::uint32_t n) {
        return static_cast<std::int64_t>(std::clamp(std::floor(v), 0.0, static_cast<double>(n - 1)));
    };
    const std::int64_t x0 = clampCell((x - maxDist - m_minX) / m_cell, m_nx), x1 = clampCell((x + maxDist - m_minX) / m_cell, m_nx);
    const std::int64_t y0 = clampCell((y - maxDist - m_minY) / m_cell, m_ny), y1 = clampCell((y + maxDist - m_minY) / m_cell, m_ny);
    if (x + maxDist < m_minX || x - maxDist > m_maxX || y + maxDist < m_minY || y - maxDist > m_maxY) return -1;
    std::int64_t best = -1;
    double bestD = maxDist * maxDist;
    for (std::int64_t cy = y0; cy <= y1; ++cy) {
        for (std::int64_t cx = x0; cx <= x1; ++cx) {
            const std::size_t c = static_cast<std::size_t>(cy) * m_nx + static_cast<std::size_t>(cx);
            for (std::uint32_t k = m_start[c]; k < m_start[c + 1]; ++k) {
                const std::uint32_t i = m_items[k];
                const double dx = m_x[i] - x, dy = m_y[i] - y, d = dx * dx + dy * dy;
                if (d <= bestD) {
                    // Ties go to the higher index: it is drawn on top.
                    if (d < bestD || static_cast<std::int64_t>(i) > best) best = i;
                    bestD = d;
                }
            }
        }
    }
    return best;
}

void PointGrid::inRect(double x0, double y0, double x1, double y1, std::vector<std::uint32_t>& out) const {
    out.clear();
    if (m_count == 0) return;
    if (x0 > x1) std::swap(x0, x1);
    if (y0 > y1) std::swap(y0, y1);
    if (x1 < m_minX || x0 > m_maxX || y1 < m_minY || y0 > m_maxY) return;
    const std::uint32_t a = cellOf(x0, y0), b = cellOf(x1, y1);
    const std::uint32_t cx0 = a % m_nx, cy0 = a / m_nx, cx1 = b % m_nx, cy1 = b / m_nx;
    for (std::uint32_t cy = cy0; cy <= cy1; ++cy)
        for (std::uint32_t cx = cx0; cx <= cx1; ++cx) {
            const std::size_t c = static_cast<std::size_t>(cy) * m_nx + cx;
            for (std::uint32_t k = m_start[c]; k < m_start[c + 1]; ++k) {
                const std::uint32_t i = m_items[k];
                if (m_x[i] >= x0 && m_x[i] <= x1 && m_y[i] >= y0 && m_y[i] <= y1) out.push_back(i);
            }
        }
    std::sort(out.begin(), out.end());
}

} // namespace terrane
