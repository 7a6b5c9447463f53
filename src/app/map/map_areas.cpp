// Map canvas: the area layers. Territory areas (nearest-account regions) and the heat map are
// rasters over the view, laid out by the algorithms in core/geo/raster.hpp; the state and
// county choropleths colour basemap features.
//
// Index
//  [SECTION] raster       territory areas and heat map
//  [SECTION] choropleth   state and county totals of the area metric
#include "app/map/map_view.hpp"

#include "app/app.hpp"
#include "app/map/map_internal.hpp"
#include "core/geo/geocode.hpp"
#include "core/geo/raster.hpp"

#include <algorithm>
#include <cmath>
#include <unordered_map>

namespace terrane {

// [SECTION] raster
void MapView::updateRaster(App& app) {
    const UiState& ui = app.ui();
    const MapCamera& cam = ui.camera;
    const AreaLayer layer = ui.layers.area;
    if (layer != AreaLayer::Territories && layer != AreaLayer::HeatMap) return;
    // The raster covers the view plus a margin, so small pans need no recomputation.
    const double halfW = m_rect.w * 0.5 / cam.scale, halfH = m_rect.h * 0.5 / cam.scale;
    const bool covered = cam.centerX - halfW >= m_rasterRect[0] && cam.centerX + halfW <= m_rasterRect[2] &&
                         cam.centerY - halfH >= m_rasterRect[1] && cam.centerY + halfH <= m_rasterRect[3];
    const double zoomRatio = m_rasterScale > 0 ? cam.scale / m_rasterScale : 0;
    if (!m_rasterDirty && covered && zoomRatio > 0.7 && zoomRatio < 1.45 && m_rasterLayer == layer) return;
    PartTimer timer(app.ui(), "map.raster");
    m_rasterDirty = false;
    m_rasterLayer = layer;
    m_rasterScale = cam.scale;
    const double mx = halfW * 0.6, my = halfH * 0.6;
    const double x0 = cam.centerX - halfW - mx, x1 = cam.centerX + halfW + mx;
    const double y0 = cam.centerY - halfH - my, y1 = cam.centerY + halfH + my;
    // About 2 framebuffer pixels a cell, at most 900 cells a side.
    const double cellPx = 2.0 * std::max(1.0f, ui.pixelRatio * 0.75f);
    const int W = std::clamp(static_cast<int>((x1 - x0) * cam.scale / cellPx), 16, 900);
    const int H = std::clamp(static_cast<int>((y1 - y0) * cam.scale / cellPx), 16, 900);
    const double cw = (x1 - x0) / W, ch = (y1 - y0) / H;
    m_rasterRect[0] = x0, m_rasterRect[1] = y0, m_rasterRect[2] = x1, m_rasterRect[3] = y1;
    std::vector<std::uint8_t> rgba(static_cast<std::size_t>(W) * H * 4, 0);
    const Scenario& sc = app.workspace().active();
    if (layer == AreaLayer::Territories) {
        // Nearest-account regions on the grid: seed cells with accounts (the largest account in
        // a cell decides its territory), then propagate the nearest seed.
        NearestSeedRaster seeds(W, H);
        for (std::size_t a = 0; a < m_data.x.size() && a < sc.assignment.size(); ++a) {
            if (std::isnan(m_data.x[a])) continue;
            seeds.seed((m_data.x[a] - x0) / cw, (m_data.y[a] - y0) / ch, m_data.size[a], sc.assignment[a]);
        }
        seeds.propagate();
        // Cells farther than ~45 screen pixels from any account stay empty.
        const float maxCells = static_cast<float>(45.0 * ui.pixelRatio / cellPx);
        const float maxD2 = maxCells * maxCells;
        auto terrAt = [&](int x, int y) { return seeds.labelWithin(x, y, maxD2); };
        for (int y = 0; y < H; ++y)
            for (int x = 0; x < W; ++x) {
                const std::int32_t t = terrAt(x, y);
                if (t == NearestSeedRaster::kNone) continue;
                Rgba8 c = t >= 0 && static_cast<std::size_t>(t) < m_data.territoryColors.size()
                              ? m_data.territoryColors[static_cast<std::size_t>(t)]
                              : unassignedColor(ui.theme);
                // One cell of boundary where the next cell (right or below) belongs elsewhere.
                bool edge = false;
                if (x + 1 < W && terrAt(x + 1, y) != t) edge = true;
                if (y + 1 < H && terrAt(x, y + 1) != t) edge = true;
                std::uint8_t* p = &rgba[(static_cast<std::size_t>(y) * W + x) * 4];
                if (edge) {
                    const bool dark = ui.theme == Theme::Dark;
                    p[0] = dark ? 235 : 40, p[1] = dark ? 238 : 44, p[2] = dark ? 245 : 52, p[3] = 200;
                } else {
                    p[0] = c.r, p[1] = c.g, p[2] = c.b, p[3] = 150;
                }
            }
    } else {
        // Heat map: the metric binned on the grid and blurred (three box passes ~ Gaussian).
        const AccountValues& values = app.accountValues();
        std::vector<double> g(static_cast<std::size_t>(W) * H, 0.0);
        for (std::size_t a = 0; a < m_data.x.size() && a < values.values.size(); ++a) {
            if (std::isnan(m_data.x[a])) continue;
            const double gx = (m_data.x[a] - x0) / cw, gy = (m_data.y[a] - y0) / ch;
            if (gx < 0 || gy < 0 || gx >= W || gy >= H) continue;
            g[static_cast<std::size_t>(gy) * W + static_cast<std::size_t>(gx)] +=
                values.value(a, ui.layers.areaMetric);
        }
        const int r = std::max(1, static_cast<int>(12.0 * ui.pixelRatio / cellPx + 0.5));
        boxBlur3(g, W, H, r);
        std::vector<double> nz;
        for (double x : g)
            if (x > 0) nz.push_back(x);
        double hi = 1;
        if (!nz.empty()) {
            auto k = nz.begin() + static_cast<std::ptrdiff_t>(nz.size() * 90 / 100);
            std::nth_element(nz.begin(), k, nz.end());
            hi = std::max(1e-12, *k);
        }
        m_areaMax = hi;
        for (std::size_t c = 0; c < g.size(); ++c) {
            if (g[c] <= hi * 0.02) continue;
            const double t = std::sqrt(std::min(1.0, g[c] / hi));
            const Rgba8 col = ramp(t, static_cast<std::uint8_t>(110 + 145 * t));
            rgba[c * 4] = col.r, rgba[c * 4 + 1] = col.g, rgba[c * 4 + 2] = col.b, rgba[c * 4 + 3] = col.a;
        }
    }
    m_renderer.setRaster(rgba, W, H, x0, y0, x1, y1);
}

// [SECTION] choropleth
void MapView::updateChoropleth(App& app) {
    const Workspace& ws = app.workspace();
    const UiState& ui = app.ui();
    const Table& acc = ws.accounts();
    const AccountValues& values = app.accountValues();
    if (ui.layers.area == AreaLayer::CountyChoropleth) {
        if (!m_counties.ensureLoaded()) return;
        // County of each account from its ZIP code (US accounts with a postcode).
        const Gazetteer& gaz = Gazetteer::builtIn();
        const Column* post = acc.find("postcode");
        std::unordered_map<std::uint32_t, double> byCounty;
        for (std::size_t a = 0; a < acc.rows() && a < values.values.size(); ++a) {
            if (!post) break;
            const std::string_view pc = acc.pool().view(post->ids()[a]);
            if (pc.size() < 3 || pc.size() > 10) continue;
            std::uint32_t zip = 0;
            std::size_t digits = 0;
            for (char c : pc) {
                if (c < '0' || c > '9') break;
                zip = zip * 10 + static_cast<std::uint32_t>(c - '0');
                if (++digits == 5) break;
            }
            if (digits < 3) continue;
            if (const ZipInfo* z = gaz.zip(zip); z && z->countyFips)
                byCounty[z->countyFips] += values.value(a, ui.layers.areaMetric);
        }
        // Colour by rank: county totals span orders of magnitude.
        std::vector<std::pair<double, std::uint32_t>> ranked;
        for (auto [fips, v] : byCounty)
            if (v > 0) ranked.emplace_back(v, fips);
        std::sort(ranked.begin(), ranked.end());
        std::unordered_map<std::uint32_t, Rgba8> colors;
        for (std::size_t i = 0; i < ranked.size(); ++i)
            colors[ranked[i].second] = ramp(
                ranked.size() > 1 ? static_cast<double>(i) / static_cast<double>(ranked.size() - 1) : 1.0,
                230);
        m_areaMax = ranked.empty() ? 0 : ranked.back().first;
        m_counties.setColors(colors);
        m_countiesColored = true;
        return;
    }
    std::unordered_map<std::string_view, double> byState;
    const Column* state = acc.find("state");
    const StringPool& pool = acc.pool();
    for (std::size_t a = 0; a < acc.rows() && a < values.values.size(); ++a) {
        if (!state) break;
        const std::string_view s = pool.view(state->ids()[a]);
        if (!s.empty()) byState[s] += values.value(a, ui.layers.areaMetric);
    }
    const auto& ids = m_renderer.stateIds();
    m_stateValues.assign(ids.size(), 0.0);
    double hi = 0;
    for (std::size_t i = 0; i < ids.size(); ++i) {
        auto it = byState.find(ids[i]);
        m_stateValues[i] = it == byState.end() ? 0.0 : it->second;
        hi = std::max(hi, m_stateValues[i]);
    }
    m_areaMax = hi;
    std::vector<std::pair<std::string, Rgba8>> colors;
    for (std::size_t i = 0; i < ids.size(); ++i) {
        if (m_stateValues[i] <= 0 || hi <= 0) continue;
        colors.emplace_back(ids[i], ramp(std::sqrt(m_stateValues[i] / hi), 230));
    }
    m_renderer.setStateColors(colors);
}

} // namespace terrane
