// Grid index over territory centres: the L nearest centres of a point, exactly, with ties broken
// by territory index (deterministic). Internal to the optimiser and the k-means baseline.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <utility>
#include <vector>

namespace terrane::territory {

class CentreIndex {
  public:
    void build(const std::vector<double>& cx, const std::vector<double>& cy) {
        m_cx = &cx;
        m_cy = &cy;
        std::vector<std::uint32_t> valid;
        double x0 = 1e300, y0 = 1e300, x1 = -1e300, y1 = -1e300;
        for (std::size_t k = 0; k < cx.size(); ++k) {
            if (std::isnan(cx[k]) || std::isnan(cy[k])) continue;
            valid.push_back(static_cast<std::uint32_t>(k));
            x0 = std::min(x0, cx[k]), x1 = std::max(x1, cx[k]);
            y0 = std::min(y0, cy[k]), y1 = std::max(y1, cy[k]);
        }
        m_count = valid.size();
        if (valid.empty()) return;
        const double w = std::max(x1 - x0, 1e-9), h = std::max(y1 - y0, 1e-9);
        const double cells = std::max(1.0, static_cast<double>(valid.size()) / 2.0);
        m_cell = std::sqrt(w * h / cells);
        m_cell = std::max(m_cell, std::max(w, h) / 1024.0);
        m_nx = static_cast<int>(std::min(1024.0, std::floor(w / m_cell) + 1));
        m_ny = static_cast<int>(std::min(1024.0, std::floor(h / m_cell) + 1));
        m_minX = x0, m_minY = y0;
        m_start.assign(static_cast<std::size_t>(m_nx * m_ny) + 1, 0);
        std::vector<std::uint32_t> cellOf(valid.size());
        for (std::size_t j = 0; j < valid.size(); ++j) {
            const std::uint32_t k = valid[j];
            cellOf[j] = static_cast<std::uint32_t>(cellY(cy[k]) * m_nx + cellX(cx[k]));
            ++m_start[cellOf[j] + 1];
        }
        for (std::size_t c = 1; c < m_start.size(); ++c) m_start[c] += m_start[c - 1];
        m_items.assign(valid.size(), 0);
        std::vector<std::uint32_t> fill(m_start.begin(), m_start.end() - 1);
        for (std::size_t j = 0; j < valid.size(); ++j) m_items[fill[cellOf[j]]++] = valid[j];
    }

    // The up to L nearest centres by squared distance (ties: lower index), ascending.
    void nearest(double x, double y, std::size_t L,
                 std::vector<std::pair<double, std::uint32_t>>& best) const {
        best.clear();
        if (m_count == 0 || L == 0) return;
        const int c0x = cellX(x), c0y = cellY(y);
        for (int r = 0;; ++r) {
            const int xa = c0x - r, xb = c0x + r, ya = c0y - r, yb = c0y + r;
            for (int cy = std::max(ya, 0); cy <= std::min(yb, m_ny - 1); ++cy) {
                const bool edgeRow = cy == ya || cy == yb;
                for (int cx = std::max(xa, 0); cx <= std::min(xb, m_nx - 1); ++cx) {
                    if (!edgeRow && cx != xa && cx != xb) continue;
                    const std::size_t c = static_cast<std::size_t>(cy * m_nx + cx);
                    for (std::uint32_t j = m_start[c]; j < m_start[c + 1]; ++j) {
                        const std::uint32_t k = m_items[j];
                        const double dx = (*m_cx)[k] - x, dy = (*m_cy)[k] - y;
                        const std::pair<double, std::uint32_t> e{dx * dx + dy * dy, k};
                        if (best.size() < L) {
                            best.insert(std::upper_bound(best.begin(), best.end(), e), e);
                        } else if (e < best.back()) {
                            best.pop_back();
                            best.insert(std::upper_bound(best.begin(), best.end(), e), e);
                        }
                    }
                }
            }
            if (xa <= 0 && ya <= 0 && xb >= m_nx - 1 && yb >= m_ny - 1) break;
            double lb = 1e300;
            if (xa > 0) lb = std::min(lb, x - (m_minX + xa * m_cell));
            if (xb < m_nx - 1) lb = std::min(lb, (m_minX + (xb + 1) * m_cell) - x);
            if (ya > 0) lb = std::min(lb, y - (m_minY + ya * m_cell));
            if (yb < m_ny - 1) lb = std::min(lb, (m_minY + (yb + 1) * m_cell) - y);
            lb = std::max(lb, 0.0);
            if (best.size() == std::min(L, m_count) && best.back().first <= lb * lb) break;
        }
    }

  private:
    int cellX(double x) const {
        return std::clamp(static_cast<int>(std::floor((x - m_minX) / m_cell)), 0, m_nx - 1);
    }
    int cellY(double y) const {
        return std::clamp(static_cast<int>(std::floor((y - m_minY) / m_cell)), 0, m_ny - 1);
    }
    const std::vector<double>* m_cx = nullptr;
    const std::vector<double>* m_cy = nullptr;
    std::size_t m_count = 0;
    double m_minX = 0, m_minY = 0, m_cell = 1;
    int m_nx = 1, m_ny = 1;
    std::vector<std::uint32_t> m_start, m_items;
};

} // namespace terrane::territory
