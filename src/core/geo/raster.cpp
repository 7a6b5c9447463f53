#include "core/geo/raster.hpp"

namespace terrane {

NearestSeedRaster::NearestSeedRaster(int w, int h)
    : m_w(w), m_h(h), m_label(static_cast<std::size_t>(w) * h, kNone), m_sx(m_label.size()),
      m_sy(m_label.size()), m_dist(m_label.size(), 1e30f), m_weight(m_label.size(), -1.0f) {}

void NearestSeedRaster::seed(double x, double y, float weight, std::int32_t label) {
    if (x < 0 || y < 0 || x >= m_w || y >= m_h) return;
    const std::size_t c = static_cast<std::size_t>(y) * m_w + static_cast<std::size_t>(x);
    if (weight > m_weight[c]) {
        m_weight[c] = weight;
        m_label[c] = label;
        m_sx[c] = static_cast<float>(x), m_sy[c] = static_cast<float>(y);
        m_dist[c] = 0;
    }
}

void NearestSeedRaster::relax(int x, int y, int nx, int ny) {
    if (nx < 0 || ny < 0 || nx >= m_w || ny >= m_h) return;
    const std::size_t c = index(x, y), o = index(nx, ny);
    if (m_label[o] == kNone) return;
    const float dx = static_cast<float>(x) + 0.5f - m_sx[o], dy = static_cast<float>(y) + 0.5f - m_sy[o];
    const float d = dx * dx + dy * dy;
    if (d < m_dist[c]) m_dist[c] = d, m_label[c] = m_label[o], m_sx[c] = m_sx[o], m_sy[c] = m_sy[o];
}

void NearestSeedRaster::propagate() {
    for (int y = 0; y < m_h; ++y)
        for (int x = 0; x < m_w; ++x)
            relax(x, y, x - 1, y), relax(x, y, x, y - 1), relax(x, y, x - 1, y - 1),
                relax(x, y, x + 1, y - 1);
    for (int y = m_h - 1; y >= 0; --y)
        for (int x = m_w - 1; x >= 0; --x)
            relax(x, y, x + 1, y), relax(x, y, x, y + 1), relax(x, y, x + 1, y + 1),
                relax(x, y, x - 1, y + 1);
}

void boxBlur3(std::span<double> g, int w, int h, int r) {
    std::vector<double> tmp(g.size());
    for (int pass = 0; pass < 3; ++pass) {
        for (int y = 0; y < h; ++y) {
            double acc = 0;
            for (int x = -r; x < w + r; ++x) {
                if (x + r < w && x + r >= 0) acc += g[static_cast<std::size_t>(y) * w + (x + r)];
                if (x - r - 1 >= 0 && x - r - 1 < w) acc -= g[static_cast<std::size_t>(y) * w + (x - r - 1)];
                if (x >= 0 && x < w) tmp[static_cast<std::size_t>(y) * w + x] = acc / (2 * r + 1);
            }
        }
        for (int x = 0; x < w; ++x) {
            double acc = 0;
            for (int y = -r; y < h + r; ++y) {
                if (y + r < h && y + r >= 0) acc += tmp[static_cast<std::size_t>(y + r) * w + x];
                if (y - r - 1 >= 0 && y - r - 1 < h) acc -= tmp[static_cast<std::size_t>(y - r - 1) * w + x];
                if (y >= 0 && y < h) g[static_cast<std::size_t>(y) * w + x] = acc / (2 * r + 1);
            }
        }
    }
}

} // namespace terrane
