// Map canvas.
//
// Index
//  [SECTION] data        positions, sizes, palette, colours, flags, aggregation
//  [SECTION] areas       territory areas (nearest-account regions), heat map, state choropleth
//  [SECTION] input       pan, zoom, click, Shift+click, box, lasso, context menu, shortcuts
//  [SECTION] overlays    toolbar, selection bar, labels, home bases, tooltip, legend
#include "app/map/map_view.hpp"

#include "app/app.hpp"
#include "core/base/format.hpp"
#include "app/map/palette.hpp"
#include "app/theme.hpp"
#include "core/geo/geo.hpp"
#include "core/geo/geocode.hpp"
#include "platform/platform.hpp"

#include <imgui_impl_opengl3.h>
#include <stb/stb_image_write.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <unordered_map>

namespace terrane {

namespace {
// Accounts; below this every point is drawn. Above it, accounts of one colour that share a cell of
// about 2.5 framebuffer pixels are drawn as one disc, while enough of them overlap at the zoom
// (see updateAggregation). Points are sprites, one vertex each: with a GPU they are cheap. Where
// WebGL is drawn in software (SwiftShader on a 2-core machine, 1440x900) each drawn point costs
// about 1 us a frame, so there groups start at 20k: a pan frame at 100k went 200 -> 100 ms.
constexpr std::size_t kAggregateAbove = 200000;
constexpr std::size_t kAggregateAboveSoftware = 20000;
std::size_t aggregateAbove(const UiState& ui) { return ui.softwareRendering ? kAggregateAboveSoftware : kAggregateAbove; }
// Without a GPU, or where a frame that draws the map takes longer than this, the map shows its
// last image moved while the camera moves, and draws in full when it rests.
constexpr double kSlowFullDrawMs = 50;

Rgba8 rgb(std::uint32_t hex) { return Rgba8{static_cast<std::uint8_t>(hex >> 16), static_cast<std::uint8_t>(hex >> 8), static_cast<std::uint8_t>(hex), 255}; }

// Sequential ramp for heat map and choropleth: pale yellow -> orange -> deep red.
Rgba8 ramp(double t, std::uint8_t alpha) {
    t = std::clamp(t, 0.0, 1.0);
    static constexpr double kStops[][3] = {{255, 237, 160}, {254, 178, 76}, {240, 59, 32}, {150, 0, 38}};
    const double s = t * 3.0;
    const int i = std::min(2, static_cast<int>(s));
    const double f = s - i;
    auto lerp = [&](int c) { return static_cast<std::uint8_t>(kStops[i][c] + (kStops[i + 1][c] - kStops[i][c]) * f); };
    return Rgba8{lerp(0), lerp(1), lerp(2), alpha};
}

bool pointInPolygon(const std::vector<ImVec2>& poly, float x, float y) {
    bool inside = false;
    for (std::size_t i = 0, j = poly.size() - 1; i < poly.size(); j = i++) {
        const ImVec2 &a = poly[i], &b = poly[j];
        if ((a.y > y) != (b.y > y) && x < (b.x - a.x) * (y - a.y) / (b.y - a.y + 1e-12f) + a.x) inside = !inside;
    }
    return inside;
}
} // namespace

bool MapView::init() { return m_renderer.init(); }

// [SECTION] data
// What instancesOf() flags: selection, territory focus, table filter and highlight (empty: none).
struct PointFlags {
    const std::vector<std::uint8_t>* selected = nullptr;
    std::int32_t focusTerritory = -1;
    bool changes = false;
    const std::vector<std::uint8_t>* visible = nullptr;
    const std::vector<std::uint8_t>* highlighted = nullptr;
};

namespace {
// The layer settings that colours and instances depend on (besides selection and highlight).
std::string layersKey(const UiState& ui, std::size_t reference) {
    return std::to_string(static_cast<int>(ui.layers.coloring)) + "," +
           std::to_string(static_cast<int>(ui.layers.sizeBy)) + "," + (ui.layers.changesOnly ? "c" : "-") +
           "," + std::to_string(static_cast<int>(ui.theme)) + "," + std::to_string(reference);
}

void shapesOf(const Scenario& sc, const std::vector<double>& x, const std::vector<double>& y,
              std::vector<MapData::TerritoryShape>& out) {
    out.assign(sc.territories.rows(), MapData::TerritoryShape{});
    for (std::size_t a = 0; a < sc.assignment.size() && a < x.size(); ++a) {
        const std::int32_t t = sc.assignment[a];
        if (t < 0 || std::isnan(x[a])) continue;
        MapData::TerritoryShape& s = out[static_cast<std::size_t>(t)];
        s.cx += x[a], s.cy += y[a], s.n += 1;
        s.x0 = std::min(s.x0, x[a]), s.x1 = std::max(s.x1, x[a]);
        s.y0 = std::min(s.y0, y[a]), s.y1 = std::max(s.y1, y[a]);
    }
    for (MapData::TerritoryShape& s : out)
        if (s.n > 0) s.cx /= s.n, s.cy /= s.n;
}

// Territory colours (explicit where set, otherwise neighbours differ) and the point palette.
// `remembered` (optional): palette entries by territory id, kept for the territories listed and
// extended by the others, so a territory keeps its colour through edits.
void paletteOf(const Scenario& sc, const std::vector<MapData::TerritoryShape>& shapes, const UiState& ui,
               std::vector<Rgba8>& colors, std::vector<std::int32_t>& slotOfTerritory,
               std::vector<Rgba8>& palette, std::unordered_map<std::string, int>* remembered = nullptr) {
    const auto leaves = sc.leaves();
    std::vector<std::array<double, 2>> centres;
    for (std::int32_t t : leaves)
        centres.push_back({shapes[static_cast<std::size_t>(t)].cx, shapes[static_cast<std::size_t>(t)].cy});
    std::vector<int> fixed(leaves.size(), -1);
    if (remembered)
        for (std::size_t i = 0; i < leaves.size(); ++i)
            if (auto it = remembered->find(std::string(sc.territoryId(leaves[i]))); it != remembered->end()) fixed[i] = it->second;
    const std::vector<int> slots = territoryColorSlots(centres, fixed);
    if (remembered)
        for (std::size_t i = 0; i < leaves.size(); ++i) (*remembered)[std::string(sc.territoryId(leaves[i]))] = slots[i];
    std::vector<Rgba8> auto_(slots.size());
    for (std::size_t i = 0; i < slots.size(); ++i) auto_[i] = territoryPaletteColor(slots[i], ui.theme);
    colors.assign(sc.territories.rows(), unassignedColor(ui.theme));
    const Column* color = sc.territories.find("color");
    for (std::size_t i = 0; i < leaves.size(); ++i) {
        const auto t = static_cast<std::size_t>(leaves[i]);
        const std::int64_t c = color ? color->i64()[t] : -1;
        colors[t] = (c >= 0 && c != kI64Null) ? rgb(static_cast<std::uint32_t>(c)) : auto_[i];
    }
    slotOfTerritory.assign(sc.territories.rows(), 0);
    palette.assign(1, unassignedColor(ui.theme));
    switch (ui.layers.coloring) {
    case PointColoring::Territory:
        for (std::int32_t t : leaves) {
            slotOfTerritory[static_cast<std::size_t>(t)] = static_cast<std::int32_t>(palette.size());
            palette.push_back(colors[static_cast<std::size_t>(t)]);
        }
        break;
    case PointColoring::Segment:
        palette.push_back(rgb(0x8B5CF6)), palette.push_back(rgb(0x0EA5E9)), palette.push_back(rgb(0x22C55E));
        break;
    case PointColoring::Tier:
        palette.push_back(rgb(0xDC2626)), palette.push_back(rgb(0xF59E0B)), palette.push_back(rgb(0x3B82F6)),
            palette.push_back(rgb(0x94A3B8));
        break;
    case PointColoring::Customer:
        palette.push_back(rgb(0x94A3B8)), palette.push_back(rgb(0x16A34A));
        break;
    }
}

// Palette slot of every account; `preview` (territory rows per account) instead of the scenario's when set.
void colorsOf(const Workspace& ws, const Scenario& sc, PointColoring coloring,
              const std::vector<std::int32_t>& slotOfTerritory, const std::vector<std::int32_t>& preview,
              std::vector<std::uint16_t>& out) {
    const Table& acc = ws.accounts();
    const std::size_t n = acc.rows();
    out.assign(n, 0);
    const Column* seg = acc.find("segment");
    const Column* tier = acc.find("tier");
    const Column* arr = acc.find("arr");
    const StringPool& pool = acc.pool();
    for (std::size_t i = 0; i < n; ++i) {
        switch (coloring) {
        case PointColoring::Territory: {
            const std::int32_t t = !preview.empty()           ? preview[i]
                                   : i < sc.assignment.size() ? sc.assignment[i]
                                                              : -1;
            out[i] = static_cast<std::uint16_t>(t >= 0 && static_cast<std::size_t>(t) < slotOfTerritory.size()
                                                    ? slotOfTerritory[static_cast<std::size_t>(t)]
                                                    : 0);
            break;
        }
        case PointColoring::Segment: {
            const std::string_view s = seg ? pool.view(seg->ids()[i]) : std::string_view{};
            out[i] = s == "Enterprise" ? 1 : s == "Mid-Market" ? 2 : s == "SMB" ? 3 : 0;
            break;
        }
        case PointColoring::Tier: {
            const std::string_view s = tier ? pool.view(tier->ids()[i]) : std::string_view{};
            out[i] = s == "A" ? 1 : s == "B" ? 2 : s == "C" ? 3 : s == "D" ? 4 : 0;
            break;
        }
        case PointColoring::Customer:
            out[i] = (arr && arr->i64()[i] != kI64Null && arr->i64()[i] > 0) ? 2 : 1;
            break;
        }
    }
}


// Account i's point: position, size, colour and flags.
PointInstance instanceOf(std::uint32_t i, const std::vector<double>& x, const std::vector<double>& y, const std::vector<float>& size,
                         const std::vector<std::uint16_t>& color, const Scenario& sc, const Scenario& base, const PointFlags& pf) {
    std::uint8_t f = 0;
    if (pf.selected && i < pf.selected->size() && (*pf.selected)[i]) f |= 1;
    const std::int32_t t = i < sc.assignment.size() ? sc.assignment[i] : -1;
    if (pf.focusTerritory >= 0 && t != pf.focusTerritory) f |= 2;
    if (pf.changes) {
        // Compared by territory id: the reference may be another scenario.
        const bool moved = i < base.assignment.size() && base.territoryId(base.assignment[i]) != sc.territoryId(t);
        f |= moved ? 4 : 2;
    }
    if (i < sc.locked.size() && sc.locked[i]) f |= 8;
    if (pf.visible && !(*pf.visible)[i]) f |= 2;
    if (pf.highlighted) f |= (*pf.highlighted)[i] ? 16 : 2;
    return PointInstance{static_cast<float>(x[i]), static_cast<float>(y[i]), size[i], color[i], f, 0};
}

void instancesOf(const std::vector<std::uint32_t>& order, const std::vector<double>& x,
                 const std::vector<double>& y, const std::vector<float>& size,
                 const std::vector<std::uint16_t>& color, const Scenario& sc, const Scenario& base,
                 const PointFlags& pf, std::vector<PointInstance>& out) {
    out.resize(order.size());
    for (std::size_t k = 0; k < order.size(); ++k) out[k] = instanceOf(order[k], x, y, size, color, sc, base, pf);
}
} // namespace

bool MapView::buildStep(MapData& d, const Workspace& ws, const AccountValues& values, const UiState& ui,
                        std::size_t reference) {
    const Table& acc = ws.accounts();
    const std::size_t n = acc.rows();
    const Scenario& sc = ws.active();
    switch (d.stage) {
    case 0: { // positions
        const Column* lat = acc.find("lat");
        const Column* lon = acc.find("lon");
        d.x.assign(n, std::nan(""));
        d.y.assign(n, std::nan(""));
        for (std::size_t i = 0; i < n; ++i) {
            const double la = lat ? lat->f64()[i] : std::nan(""), lo = lon ? lon->f64()[i] : std::nan("");
            if (std::isnan(la) || std::isnan(lo)) continue;
            d.x[i] = mercatorX(lo);
            d.y[i] = mercatorY(la);
        }
        break;
    }
    case 1: { // sizes: square root of the chosen metric relative to its 95th percentile, 3..12 CSS pixels
        const std::size_t m = std::min(n, values.values.size());
        std::vector<double> v(m);
        for (std::size_t i = 0; i < m; ++i) v[i] = values.value(i, ui.layers.sizeBy);
        double p95 = 1.0;
        if (!v.empty()) {
            std::vector<double> sorted = v;
            auto k = sorted.begin() + static_cast<std::ptrdiff_t>(sorted.size() * 95 / 100);
            std::nth_element(sorted.begin(), k, sorted.end());
            p95 = std::max(1e-9, *k);
        }
        d.size.assign(n, 3.0f);
        for (std::size_t i = 0; i < m; ++i)
            d.size[i] =
                static_cast<float>(std::clamp(3.0 + 7.0 * std::sqrt(std::max(0.0, v[i]) / p95), 3.0, 12.0));
        break;
    }
    case 2: // draw order: placed accounts, big first
        d.sizeOrder.clear();
        for (std::size_t i = 0; i < n; ++i)
            if (!std::isnan(d.x[i])) d.sizeOrder.push_back(static_cast<std::uint32_t>(i));
        std::stable_sort(d.sizeOrder.begin(), d.sizeOrder.end(),
                         [&](std::uint32_t a, std::uint32_t b) { return d.size[a] > d.size[b]; });
        break;
    case 3:
        d.grid.build(d.x, d.y);
        break;
    case 4: // geocoding precision counts for the legend; territory shapes
        d.hasPrecision = acc.find(kGeoPrecisionColumn) != nullptr;
        d.precisionCounts.fill(0);
        if (d.hasPrecision)
            for (std::size_t i = 0; i < n; ++i)
                ++d.precisionCounts[static_cast<std::size_t>(accountPrecision(acc, i))];
        shapesOf(sc, d.x, d.y, d.shapes);
        break;
    case 5: { // home bases of the reps; the box fit() frames
        d.homes.clear();
        const Table& reps = ws.reps();
        const int cOwner = sc.territories.indexOf("owner");
        std::unordered_map<std::string_view, std::int32_t> territoryOf; // owner -> last leaf it owns
        for (std::int32_t t : sc.leaves())
            territoryOf[sc.territories.str(cOwner, static_cast<std::size_t>(t))] = t;
        const int cLat = reps.indexOf("home_lat"), cLon = reps.indexOf("home_lon"),
                  cId = reps.indexOf("rep_id"), cName = reps.indexOf("name"),
                  cCity = reps.indexOf("home_city");
        for (std::size_t r = 0; r < reps.rows(); ++r) {
            const double la = reps.f64(cLat, r), lo = reps.f64(cLon, r);
            if (std::isnan(la) || std::isnan(lo)) continue;
            const auto it = territoryOf.find(reps.str(cId, r));
            std::string label = std::string(reps.str(cName, r)) + " - " + std::string(reps.str(cCity, r));
            d.homes.push_back(MapData::HomeBase{mercatorX(lo), mercatorY(la),
                                                it == territoryOf.end() ? -1 : it->second, std::move(label)});
        }
        d.fitBox = {0.17, 0.36, 0.36, 0.44}; // contiguous US
        std::vector<double> xs, ys;
        for (std::size_t i = 0; i < n; ++i)
            if (!std::isnan(d.x[i])) xs.push_back(d.x[i]), ys.push_back(d.y[i]);
        if (xs.size() > 50) {
            // Alaska and Hawaii stretch the box; fit the dense core (1st..99th percentile).
            auto q = [](std::vector<double>& v, double f) {
                auto k = v.begin() + static_cast<std::ptrdiff_t>(static_cast<double>(v.size() - 1) * f);
                std::nth_element(v.begin(), k, v.end());
                return *k;
            };
            d.fitBox = {q(xs, 0.01), q(ys, 0.01), q(xs, 0.99), q(ys, 0.99)};
        } else if (!xs.empty()) {
            d.fitBox = {*std::min_element(xs.begin(), xs.end()), *std::min_element(ys.begin(), ys.end()),
                        *std::max_element(xs.begin(), xs.end()), *std::max_element(ys.begin(), ys.end())};
        }
        break;
    }
    case 6: // colours with no preview
        d.colorSlots.clear();
        paletteOf(sc, d.shapes, ui, d.territoryColors, d.slotOfTerritory, d.palette, &d.colorSlots);
        colorsOf(ws, sc, ui.layers.coloring, d.slotOfTerritory, {}, d.color);
        break;
    case 7: { // instances with nothing selected, focused, filtered or highlighted
        const Scenario& base = ws.scenarios[reference < ws.scenarios.size() ? reference : 0];
        PointFlags pf;
        pf.changes = ui.layers.changesOnly;
        instancesOf(d.sizeOrder, d.x, d.y, d.size, d.color, sc, base, pf, d.instances);
        d.layers = layersKey(ui, reference);
        d.colored = true;
        break;
    }
    default:
        return true;
    }
    ++d.stage;
    return d.stage > 7;
}

void MapView::rebuild(App& app) {
    // Everything up to the colours, which refreshColors() makes for the current selection.
    MapData d;
    while (d.stage < 6)
        buildStep(d, app.workspace(), app.accountValues(), app.ui(), app.ui().referenceScenario);
    adopt(app, std::move(d));
}

void MapView::adopt(App& app, MapData&& d) {
    PartTimer timer(app.ui(), "map.adopt");
    const UiState& ui = app.ui();
    const std::size_t n = d.x.size();
    // The grid views the coordinate vectors, whose buffers move with them.
    m_x = std::move(d.x);
    m_y = std::move(d.y);
    m_grid = std::move(d.grid);
    m_size = std::move(d.size);
    m_sizeOrder = std::move(d.sizeOrder);
    m_precisionCounts = d.precisionCounts;
    m_hasPrecision = d.hasPrecision;
    m_homes = std::move(d.homes);
    m_shapes = std::move(d.shapes);
    m_fitBox = d.fitBox;
    // A highlight, a table filter or a preview refers to rows of the previous data: drop them.
    if (m_preview.size() != n) m_preview.clear();
    if (m_isHighlighted.size() != n || m_visible.size() != n) {
        m_highlight.clear();
        m_isHighlighted.assign(n, 0);
        m_visible.clear();
        m_filteredOut = 0;
    }
    orderInstances();
    const bool plain = m_highlight.empty() && m_visible.empty() && m_preview.empty() &&
                       ui.selection.count == 0 && ui.selectedTerritory < 0;
    // Territories the map has coloured before keep their colours (a rebuild after an edit).
    if (!d.colored || !plain || d.layers != layersKey(ui, ui.referenceScenario) || !m_colorSlots.empty()) {
        refreshColors(app);
        return;
    }
    m_territoryColors = std::move(d.territoryColors);
    m_slotOfTerritory = std::move(d.slotOfTerritory);
    m_palette = std::move(d.palette);
    m_renderer.setPalette(m_palette);
    m_colorSlots = std::move(d.colorSlots); // remembered from here on
    m_color = std::move(d.color);
    m_instances = std::move(d.instances);
    m_aggregateLevel = -1;
    m_aggregated = false;
    m_renderer.setPoints(m_instances);
    m_rasterDirty = true;
    if (ui.layers.area == AreaLayer::StateChoropleth || ui.layers.area == AreaLayer::CountyChoropleth)
        updateChoropleth(app);
}

void MapView::computeShapes(const Scenario& sc) {
    shapesOf(sc, m_x, m_y, m_shapes);
}

void MapView::computePalette(App& app) {
    paletteOf(app.workspace().active(), m_shapes, app.ui(), m_territoryColors, m_slotOfTerritory, m_palette, &m_colorSlots);
    m_renderer.setPalette(m_palette);
}

void MapView::refreshColors(App& app, bool areas) {
    const UiState& ui = app.ui();
    PartTimer timer(app.ui(), "map.colors");
    computePalette(app);
    colorsOf(app.workspace(), app.workspace().active(), ui.layers.coloring, m_slotOfTerritory, m_preview,
             m_color);
    uploadInstances(app);
    if (!areas) return;
    m_rasterDirty = true;
    if (ui.layers.area == AreaLayer::StateChoropleth || ui.layers.area == AreaLayer::CountyChoropleth) updateChoropleth(app);
}

// Big discs first so small ones stay visible on top; highlighted accounts last of all.
void MapView::orderInstances() {
    m_drawOrder = m_sizeOrder;
    if (!m_highlight.empty())
        std::stable_partition(m_drawOrder.begin(), m_drawOrder.end(), [&](std::uint32_t a) { return !m_isHighlighted[a]; });
    m_instanceOf.assign(m_x.size(), kNoInstance);
    for (std::size_t k = 0; k < m_drawOrder.size(); ++k) m_instanceOf[m_drawOrder[k]] = static_cast<std::uint32_t>(k);
}

void MapView::setHighlight(App& app, std::vector<std::uint32_t> accountRows) {
    m_isHighlighted.assign(m_x.size(), 0);
    std::erase_if(accountRows, [&](std::uint32_t r) { return r >= m_x.size(); });
    for (std::uint32_t r : accountRows) m_isHighlighted[r] = 1;
    m_highlight = std::move(accountRows);
    orderInstances();
    uploadInstances(app);
}

void MapView::fitHighlight(UiState& ui) const {
    double x0 = 1e9, y0 = 1e9, x1 = -1e9, y1 = -1e9;
    for (std::uint32_t r : m_highlight) {
        if (std::isnan(m_x[r])) continue;
        x0 = std::min(x0, m_x[r]), x1 = std::max(x1, m_x[r]), y0 = std::min(y0, m_y[r]), y1 = std::max(y1, m_y[r]);
    }
    if (x0 > x1) return;
    const double w = std::max(x1 - x0, 2e-3), h = std::max(y1 - y0, 2e-3); // at least a metro area
    ui.camera.centerX = (x0 + x1) / 2;
    ui.camera.centerY = (y0 + y1) / 2;
    ui.camera.scale = std::min(std::max(1.0f, m_rect.w) / (w * 1.4), std::max(1.0f, m_rect.h) / (h * 1.4));
}

void MapView::setPreview(App& app, std::vector<std::int32_t> rows) {
    const std::size_t territories = app.workspace().active().territories.rows();
    if (rows.size() != m_x.size() ||
        std::any_of(rows.begin(), rows.end(), [&](std::int32_t t) { return t >= static_cast<std::int32_t>(territories); }))
        rows.clear();
    if (rows.empty() && m_preview.empty()) return;
    // The areas follow the scenario, not a preview that changes a few times a second; when the
    // preview ends they are redrawn for whatever the scenario is then.
    const bool ending = rows.empty();
    m_preview = std::move(rows);
    refreshColors(app, ending);
}

void MapView::setFilterMask(App& app, std::vector<std::uint8_t> visible) {
    m_visible = visible.size() == m_x.size() ? std::move(visible) : std::vector<std::uint8_t>{};
    m_filteredOut = 0;
    for (std::uint8_t v : m_visible) m_filteredOut += v ? 0 : 1;
    uploadInstances(app);
}

PointFlags MapView::pointFlags(const UiState& ui) const {
    PointFlags pf;
    pf.selected = &ui.selection.flags;
    pf.focusTerritory = ui.selectedTerritory;
    pf.changes = ui.layers.changesOnly;
    pf.visible = m_visible.empty() ? nullptr : &m_visible;
    pf.highlighted = m_highlight.empty() ? nullptr : &m_isHighlighted;
    return pf;
}

void MapView::uploadInstances(App& app) {
    PartTimer timer(app.ui(), "map.instances");
    const UiState& ui = app.ui();
    const Workspace& ws = app.workspace();
    const Scenario& base = ws.scenarios[ui.referenceScenario < ws.scenarios.size() ? ui.referenceScenario : 0];
    instancesOf(m_drawOrder, m_x, m_y, m_size, m_color, ws.active(), base, pointFlags(ui), m_instances);
    pointsChanged(app.ui());
}

void MapView::pointsChanged(UiState& ui) {
    m_aggregateLevel = -1;
    m_aggregated = false;
    // Above the aggregation threshold the groups for this zoom are made now: uploading and
    // drawing every account for one frame first costs seconds without a GPU (a million points),
    // at every recolouring (edits, selections, optimiser previews).
    if (m_instances.size() > aggregateAbove(ui)) updateAggregation(ui);
    if (!m_aggregated) m_renderer.setPoints(m_instances);
}

void MapView::updateAggregation(UiState& ui) {
    if (m_instances.size() <= aggregateAbove(ui)) return;
    // Cells of about 2.5 framebuffer pixels, quantised to powers of two of the world.
    const int level = std::clamp(static_cast<int>(std::ceil(std::log2(ui.camera.scale / 2.5))), 0, 30);
    if (level == m_aggregateLevel) return;
    PartTimer timer(ui, "map.aggregate");
    m_aggregateLevel = level;
    const double cells = std::ldexp(1.0, level);
    struct Acc {
        std::uint64_t key = 0;
        double x = 0, y = 0, area = 0, n = 0;
        std::uint8_t flags = 0;
    };
    // Bins by (cell, colour) in an open-addressing table (linear probing, at most half full).
    std::vector<Acc> bins;
    bins.reserve(m_instances.size() / 4);
    int bits = 4;
    while ((std::size_t{1} << bits) < m_instances.size() * 2) ++bits;
    const std::size_t mask = (std::size_t{1} << bits) - 1;
    std::vector<std::uint32_t> table(mask + 1, 0); // bin index + 1; 0 = empty
    for (const PointInstance& p : m_instances) {
        const auto cx = static_cast<std::uint64_t>(p.x * cells), cy = static_cast<std::uint64_t>(p.y * cells);
        const std::uint64_t key = (cx << 36) ^ (cy << 12) ^ p.color;
        std::size_t h = static_cast<std::size_t>((key * 0x9E3779B97F4A7C15ull) >> (64 - bits));
        while (table[h] && bins[table[h] - 1].key != key) h = (h + 1) & mask;
        if (!table[h]) {
            bins.push_back(Acc{key, 0, 0, 0, 0, p.flags});
            table[h] = static_cast<std::uint32_t>(bins.size());
        }
        Acc& a = bins[table[h] - 1];
        a.x += p.x, a.y += p.y, a.n += 1, a.area += static_cast<double>(p.size) * p.size;
        a.flags |= p.flags;
    }
    if (bins.size() > m_instances.size() * 6 / 10) {
        // Too little overlap at this zoom: draw every account.
        if (m_aggregated) m_renderer.setPoints(m_instances);
        m_aggregated = false;
        return;
    }
    m_aggregate.clear();
    m_aggregate.reserve(bins.size());
    for (const Acc& a : bins) {
        PointInstance p;
        p.x = static_cast<float>(a.x / a.n), p.y = static_cast<float>(a.y / a.n);
        p.size = static_cast<float>(std::min(18.0, std::sqrt(a.area)));
        p.color = static_cast<std::uint16_t>(a.key & 0xFFFu);
        p.flags = a.flags, p.pad = 0;
        m_aggregate.push_back(p);
    }
    // Deterministic draw order: big first.
    std::sort(m_aggregate.begin(), m_aggregate.end(), [](const PointInstance& a, const PointInstance& b) {
        return a.size != b.size ? a.size > b.size : (a.x != b.x ? a.x < b.x : a.y < b.y);
    });
    m_renderer.setPoints(m_aggregate);
    m_aggregated = true;
}

bool MapView::canPatch(const App& app) const {
    const std::size_t n = m_x.size();
    return m_color.size() == n && m_instanceOf.size() == n && m_instances.size() == m_drawOrder.size() &&
           app.workspace().active().assignment.size() == n;
}

void MapView::patchPoints(App& app, const std::vector<std::uint32_t>& accounts) {
    UiState& ui = app.ui();
    const Workspace& ws = app.workspace();
    const Scenario& sc = ws.active();
    const Scenario& base = ws.scenarios[ui.referenceScenario < ws.scenarios.size() ? ui.referenceScenario : 0];
    const PointFlags pf = pointFlags(ui);
    for (std::uint32_t a : accounts)
        if (a < m_instanceOf.size())
            if (const std::uint32_t k = m_instanceOf[a]; k != kNoInstance) m_instances[k] = instanceOf(a, m_x, m_y, m_size, m_color, sc, base, pf);
    pointsChanged(ui);
}

void MapView::selectionChanged(App& app, const std::vector<std::uint32_t>& changed) {
    PartTimer timer(app.ui(), "map.selection");
    // Selection draws as flags on the points: colours and areas stay as they are.
    if (!canPatch(app) || changed.size() > m_x.size() / 4) uploadInstances(app);
    else patchPoints(app, changed);
}

void MapView::accountsMoved(App& app, const std::vector<std::uint32_t>& accounts) {
    {
        PartTimer timer(app.ui(), "map.shapes");
        computeShapes(app.workspace().active());
    }
    // Territories keep their colours (remembered by id), so the palette stays as it was unless the
    // territories changed: then only the moved accounts' points change (colour, and the flags that
    // depend on the territory).
    UiState& ui = app.ui();
    const std::vector<Rgba8> palette = m_palette;
    const std::vector<std::int32_t> slots = m_slotOfTerritory;
    const Workspace& ws = app.workspace();
    const Scenario& sc = ws.active();
    if (!m_preview.empty() || !canPatch(app)) {
        refreshColors(app);
        return;
    }
    const std::size_t n = m_x.size();
    PartTimer timer(ui, "map.colors");
    computePalette(app);
    if (palette != m_palette || slots != m_slotOfTerritory) {
        colorsOf(ws, sc, ui.layers.coloring, m_slotOfTerritory, m_preview, m_color);
        uploadInstances(app);
    } else {
        PartTimer moved(ui, "map.moved");
        if (ui.layers.coloring == PointColoring::Territory)
            for (std::uint32_t a : accounts) {
                if (a >= n) continue;
                const std::int32_t t = sc.assignment[a];
                m_color[a] = static_cast<std::uint16_t>(t >= 0 && static_cast<std::size_t>(t) < m_slotOfTerritory.size()
                                                            ? m_slotOfTerritory[static_cast<std::size_t>(t)]
                                                            : 0);
            }
        patchPoints(app, accounts);
    }
    m_rasterDirty = true;
    if (ui.layers.area == AreaLayer::StateChoropleth || ui.layers.area == AreaLayer::CountyChoropleth) updateChoropleth(app);
}

ImU32 MapView::territoryColor(std::int32_t territoryRow) const {
    Rgba8 c{128, 128, 128, 255};
    if (territoryRow >= 0 && static_cast<std::size_t>(territoryRow) < m_territoryColors.size())
        c = m_territoryColors[static_cast<std::size_t>(territoryRow)];
    return IM_COL32(c.r, c.g, c.b, c.a);
}

ImVec2 MapView::worldToScreen(const MapCamera& cam, double wx, double wy) const {
    return ImVec2(static_cast<float>(m_rect.x + m_rect.w * 0.5 + (wx - cam.centerX) * cam.scale),
                  static_cast<float>(m_rect.y + m_rect.h * 0.5 + (wy - cam.centerY) * cam.scale));
}

void MapView::fit(UiState& ui) const {
    const auto [x0, y0, x1, y1] = m_fitBox;
    const double w = std::max(x1 - x0, 1e-4), h = std::max(y1 - y0, 1e-4);
    const double rw = std::max(1.0f, m_rect.w), rh = std::max(1.0f, m_rect.h);
    ui.camera.centerX = (x0 + x1) / 2;
    ui.camera.centerY = (y0 + y1) / 2;
    ui.camera.scale = std::min(rw / (w * 1.12), rh / (h * 1.12));
}

// [SECTION] areas
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
        // Nearest-account regions on the grid: seed cells with accounts, then propagate the
        // nearest seed in two chamfer passes (an approximate Euclidean distance transform).
        const std::size_t cells = static_cast<std::size_t>(W) * H;
        std::vector<std::int32_t> seedTerr(cells, -2);
        std::vector<float> sx(cells), sy(cells), dist(cells, 1e30f);
        std::vector<float> seedWeight(cells, -1.0f);
        for (std::size_t a = 0; a < m_x.size() && a < sc.assignment.size(); ++a) {
            if (std::isnan(m_x[a])) continue;
            const double gx = (m_x[a] - x0) / cw, gy = (m_y[a] - y0) / ch;
            if (gx < 0 || gy < 0 || gx >= W || gy >= H) continue;
            const std::size_t c = static_cast<std::size_t>(gy) * W + static_cast<std::size_t>(gx);
            // Several accounts in one cell: the largest one decides the cell's territory.
            if (m_size[a] > seedWeight[c]) {
                seedWeight[c] = m_size[a];
                seedTerr[c] = sc.assignment[a];
                sx[c] = static_cast<float>(gx), sy[c] = static_cast<float>(gy);
                dist[c] = 0;
            }
        }
        auto relax = [&](int x, int y, int nx, int ny) {
            if (nx < 0 || ny < 0 || nx >= W || ny >= H) return;
            const std::size_t c = static_cast<std::size_t>(y) * W + x, o = static_cast<std::size_t>(ny) * W + nx;
            if (seedTerr[o] == -2) return;
            const float dx = static_cast<float>(x) + 0.5f - sx[o], dy = static_cast<float>(y) + 0.5f - sy[o];
            const float d = dx * dx + dy * dy;
            if (d < dist[c]) dist[c] = d, seedTerr[c] = seedTerr[o], sx[c] = sx[o], sy[c] = sy[o];
        };
        for (int y = 0; y < H; ++y)
            for (int x = 0; x < W; ++x) relax(x, y, x - 1, y), relax(x, y, x, y - 1), relax(x, y, x - 1, y - 1), relax(x, y, x + 1, y - 1);
        for (int y = H - 1; y >= 0; --y)
            for (int x = W - 1; x >= 0; --x) relax(x, y, x + 1, y), relax(x, y, x, y + 1), relax(x, y, x + 1, y + 1), relax(x, y, x - 1, y + 1);
        // Cells farther than ~45 screen pixels from any account stay empty.
        const float maxCells = static_cast<float>(45.0 * ui.pixelRatio / cellPx);
        const float maxD2 = maxCells * maxCells;
        auto terrAt = [&](int x, int y) -> std::int32_t {
            const std::size_t c = static_cast<std::size_t>(y) * W + x;
            return dist[c] <= maxD2 ? seedTerr[c] : -2;
        };
        for (int y = 0; y < H; ++y)
            for (int x = 0; x < W; ++x) {
                const std::int32_t t = terrAt(x, y);
                if (t == -2) continue;
                Rgba8 c = t >= 0 && static_cast<std::size_t>(t) < m_territoryColors.size() ? m_territoryColors[static_cast<std::size_t>(t)]
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
        std::vector<double> g(static_cast<std::size_t>(W) * H, 0.0), tmp(g.size());
        for (std::size_t a = 0; a < m_x.size() && a < values.values.size(); ++a) {
            if (std::isnan(m_x[a])) continue;
            const double gx = (m_x[a] - x0) / cw, gy = (m_y[a] - y0) / ch;
            if (gx < 0 || gy < 0 || gx >= W || gy >= H) continue;
            g[static_cast<std::size_t>(gy) * W + static_cast<std::size_t>(gx)] += values.value(a, ui.layers.areaMetric);
        }
        const int r = std::max(1, static_cast<int>(12.0 * ui.pixelRatio / cellPx + 0.5));
        for (int pass = 0; pass < 3; ++pass) {
            for (int y = 0; y < H; ++y) {
                double acc = 0;
                for (int x = -r; x < W + r; ++x) {
                    if (x + r < W && x + r >= 0) acc += g[static_cast<std::size_t>(y) * W + (x + r)];
                    if (x - r - 1 >= 0 && x - r - 1 < W) acc -= g[static_cast<std::size_t>(y) * W + (x - r - 1)];
                    if (x >= 0 && x < W) tmp[static_cast<std::size_t>(y) * W + x] = acc / (2 * r + 1);
                }
            }
            for (int x = 0; x < W; ++x) {
                double acc = 0;
                for (int y = -r; y < H + r; ++y) {
                    if (y + r < H && y + r >= 0) acc += tmp[static_cast<std::size_t>(y + r) * W + x];
                    if (y - r - 1 >= 0 && y - r - 1 < H) acc -= tmp[static_cast<std::size_t>(y - r - 1) * W + x];
                    if (y >= 0 && y < H) g[static_cast<std::size_t>(y) * W + x] = acc / (2 * r + 1);
                }
            }
        }
        std::vector<double> nz;
        for (double x : g)
            if (x > 0) nz.push_back(x);
        double hi = 1;
        if (!nz.empty()) {
            auto k = nz.begin() + static_cast<std::ptrdiff_t>(nz.size() * 90 / 100);
            std::nth_element(nz.begin(), k, nz.end());
            hi = std::max(1e-12, *k);
        }
        m_areaMax = hi * (cw * ch) > 0 ? hi : hi;
        for (std::size_t c = 0; c < g.size(); ++c) {
            if (g[c] <= hi * 0.02) continue;
            const double t = std::sqrt(std::min(1.0, g[c] / hi));
            const Rgba8 col = ramp(t, static_cast<std::uint8_t>(110 + 145 * t));
            rgba[c * 4] = col.r, rgba[c * 4 + 1] = col.g, rgba[c * 4 + 2] = col.b, rgba[c * 4 + 3] = col.a;
        }
    }
    m_renderer.setRaster(rgba, W, H, x0, y0, x1, y1);
}

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
            if (const ZipInfo* z = gaz.zip(zip); z && z->countyFips) byCounty[z->countyFips] += values.value(a, ui.layers.areaMetric);
        }
        // Colour by rank: county totals span orders of magnitude.
        std::vector<std::pair<double, std::uint32_t>> ranked;
        for (auto [fips, v] : byCounty)
            if (v > 0) ranked.emplace_back(v, fips);
        std::sort(ranked.begin(), ranked.end());
        std::unordered_map<std::uint32_t, Rgba8> colors;
        for (std::size_t i = 0; i < ranked.size(); ++i)
            colors[ranked[i].second] = ramp(ranked.size() > 1 ? static_cast<double>(i) / static_cast<double>(ranked.size() - 1) : 1.0, 230);
        m_areaMax = ranked.empty() ? 0 : ranked.back().first;
        m_counties.setColors(colors);
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

// [SECTION] input
void MapView::handleInput(App& app, const ImVec2& pos, const ImVec2& size) {
    UiState& ui = app.ui();
    ImGuiIO& io = ImGui::GetIO();
    MapCamera& cam = ui.camera;
    const double cx = pos.x + size.x * 0.5, cy = pos.y + size.y * 0.5;
    ImGui::SetCursorScreenPos(pos);
    ImGui::InvisibleButton("##canvas", size, ImGuiButtonFlags_MouseButtonLeft | ImGuiButtonFlags_MouseButtonRight | ImGuiButtonFlags_MouseButtonMiddle);
    const bool hovered = ImGui::IsItemHovered();
    const bool active = ImGui::IsItemActive();
    auto toWorld = [&](ImVec2 s) { return std::pair{cam.centerX + (s.x - cx) / cam.scale, cam.centerY + (s.y - cy) / cam.scale}; };

    // Pan: left drag with the pan tool, right or middle drag with any tool.
    const bool leftPan = ui.tool == MapTool::Pan && ImGui::IsMouseDragging(ImGuiMouseButton_Left, 3.0f);
    const bool otherPan = ImGui::IsMouseDragging(ImGuiMouseButton_Right, 3.0f) || ImGui::IsMouseDragging(ImGuiMouseButton_Middle, 3.0f);
    if (active && (leftPan || otherPan)) {
        cam.centerX -= io.MouseDelta.x / cam.scale;
        cam.centerY -= io.MouseDelta.y / cam.scale;
        m_dragging = true;
    }
    if (hovered && io.MouseWheel != 0.0f) {
        const auto [wx, wy] = toWorld(io.MousePos);
        const double factor = std::pow(1.18, static_cast<double>(io.MouseWheel));
        cam.scale = std::clamp(cam.scale * factor, static_cast<double>(size.x) * 0.5, 5.0e8);
        cam.centerX = wx - (io.MousePos.x - cx) / cam.scale;
        cam.centerY = wy - (io.MousePos.y - cy) / cam.scale;
    }
    cam.centerX = std::clamp(cam.centerX, 0.0, 1.0);
    cam.centerY = std::clamp(cam.centerY, 0.0, 1.0);

    // Box and lasso.
    if (active && ui.tool != MapTool::Pan && ImGui::IsMouseDragging(ImGuiMouseButton_Left, 3.0f)) {
        if (!m_boxing && !m_lassoing) {
            m_dragStart = io.MouseClickedPos[0];
            m_lasso.clear();
            m_lasso.push_back(m_dragStart);
        }
        if (ui.tool == MapTool::Box) m_boxing = true;
        else {
            m_lassoing = true;
            const ImVec2 last = m_lasso.back();
            if (std::fabs(io.MousePos.x - last.x) + std::fabs(io.MousePos.y - last.y) > 2.0f) m_lasso.push_back(io.MousePos);
        }
    }
    const SelectMode mode = io.KeyAlt ? SelectMode::Remove : (io.KeyShift || io.KeyCtrl) ? SelectMode::Add : SelectMode::Replace;
    // A release that ends a box or lasso is not also a click.
    const bool endsShape = ImGui::IsMouseReleased(ImGuiMouseButton_Left) && (m_boxing || m_lassoing);
    if (endsShape) {
        std::vector<std::uint32_t> hits, picked;
        if (m_boxing) {
            const auto [ax, ay] = toWorld(m_dragStart);
            const auto [bx, by] = toWorld(io.MousePos);
            m_grid.inRect(ax, ay, bx, by, picked);
        } else if (m_lasso.size() >= 3) {
            float minx = 1e9f, miny = 1e9f, maxx = -1e9f, maxy = -1e9f;
            for (const ImVec2& p : m_lasso) minx = std::min(minx, p.x), miny = std::min(miny, p.y), maxx = std::max(maxx, p.x), maxy = std::max(maxy, p.y);
            const auto [ax, ay] = toWorld(ImVec2(minx, miny));
            const auto [bx, by] = toWorld(ImVec2(maxx, maxy));
            m_grid.inRect(ax, ay, bx, by, hits);
            for (std::uint32_t a : hits) {
                const ImVec2 s = worldToScreen(cam, m_x[a], m_y[a]);
                if (pointInPolygon(m_lasso, s.x, s.y)) picked.push_back(a);
            }
        }
        app.select(picked, mode);
        app.notify(fmt::count(picked.size()) + " accounts " + (mode == SelectMode::Remove ? "removed from" : "in") + " the selection");
        m_boxing = m_lassoing = false;
        m_lasso.clear();
    }

    // Hover: the nearest account within its disc (at least 6 CSS pixels).
    std::int64_t hover = -1;
    if (hovered && !m_dragging && !m_boxing && !m_lassoing) {
        const auto [wx, wy] = toWorld(io.MousePos);
        const double radiusPx = std::max(6.0, 6.0 * ui.pointScale) * ui.pixelRatio;
        hover = m_grid.nearest(wx, wy, radiusPx / cam.scale);
    }
    ui.hoveredAccount = hover;
    // Click: select (Shift/Ctrl toggles); a click on empty map clears the selection.
    if (ImGui::IsItemDeactivated() && !m_dragging && !endsShape && ImGui::IsMouseReleased(ImGuiMouseButton_Left)) {
        if (hover >= 0) {
            if (io.KeyShift || io.KeyCtrl) app.toggleAccount(hover);
            else app.select({static_cast<std::uint32_t>(hover)}, SelectMode::Replace);
        } else if (!(io.KeyShift || io.KeyCtrl)) {
            app.clearSelection();
        }
    }
    // Right click (no drag): context menu for the selection or the account under the cursor.
    if (hovered && ImGui::IsMouseReleased(ImGuiMouseButton_Right) && !m_dragging) {
        m_contextAccount = hover;
        if (hover >= 0 && !ui.selection.flags[static_cast<std::size_t>(hover)]) app.select({static_cast<std::uint32_t>(hover)}, SelectMode::Replace);
        ImGui::OpenPopup("##mapcontext");
    }
    if (!ImGui::IsMouseDown(ImGuiMouseButton_Left) && !ImGui::IsMouseDown(ImGuiMouseButton_Right) && !ImGui::IsMouseDown(ImGuiMouseButton_Middle))
        m_dragging = false;
    contextMenu(app);

    // Shortcuts while the map or nothing has keyboard focus.
    if (!io.WantTextInput && !ImGui::IsPopupOpen(nullptr, ImGuiPopupFlags_AnyPopupId)) {
        if (ImGui::IsKeyPressed(ImGuiKey_B, false) && !io.KeyCtrl) ui.tool = MapTool::Box;
        if (ImGui::IsKeyPressed(ImGuiKey_L, false) && !io.KeyCtrl) ui.tool = MapTool::Lasso;
        if (ImGui::IsKeyPressed(ImGuiKey_V, false) && !io.KeyCtrl) ui.tool = MapTool::Pan;
        if (ImGui::IsKeyPressed(ImGuiKey_M, false) && !io.KeyCtrl && ui.selection.count > 0) ui.showMoveDialog = true;
        if (ImGui::IsKeyPressed(ImGuiKey_K, false) && !io.KeyCtrl && ui.selection.count > 0) app.lockSelection(!io.KeyShift);
        if (ImGui::IsKeyPressed(ImGuiKey_A, false) && io.KeyCtrl) {
            std::vector<std::uint32_t> all(m_x.size());
            std::iota(all.begin(), all.end(), 0u);
            app.select(all, SelectMode::Replace);
        }
    }
}

void MapView::contextMenu(App& app) {
    UiState& ui = app.ui();
    if (!ImGui::BeginPopup("##mapcontext")) return;
    const std::size_t n = ui.selection.count;
    if (n == 0) {
        ImGui::TextDisabled("No accounts selected");
        ImGui::TextDisabled("Click, Shift+click, B (box) or L (lasso) to select");
    } else {
        ImGui::TextDisabled("%s selected", fmt::count(n).c_str());
        if (ImGui::MenuItem("Move to territory...", "M")) ui.showMoveDialog = true;
        if (ImGui::MenuItem("New territory from selection...")) {
            ui.showNewTerritoryDialog = true;
            ui.newFromSelection = true;
        }
        if (ImGui::MenuItem("Lock (keep in their territory)", "K")) app.lockSelection(true);
        if (ImGui::MenuItem("Unlock", "Shift+K")) app.lockSelection(false);
        if (ImGui::MenuItem("Unassign")) app.moveSelectionTo(-1);
        ImGui::Separator();
        if (ImGui::MenuItem("Clear selection", "Esc")) app.clearSelection();
    }
    if (m_contextAccount >= 0) {
        const Scenario& sc = app.workspace().active();
        const std::int32_t t = sc.assignment[static_cast<std::size_t>(m_contextAccount)];
        if (t >= 0) {
            ImGui::Separator();
            const std::string label = "Select all of " + std::string(sc.territoryName(t));
            if (ImGui::MenuItem(label.c_str())) {
                std::vector<std::uint32_t> all;
                for (std::size_t a = 0; a < sc.assignment.size(); ++a)
                    if (sc.assignment[a] == t) all.push_back(static_cast<std::uint32_t>(a));
                app.select(all, SelectMode::Replace);
            }
        }
    }
    if (ImGui::MenuItem("Select by filter...")) ui.showFilterDialog = true;
    ImGui::EndPopup();
}

// [SECTION] overlays
void MapView::drawToolbar(App& app, const ImVec2& pos) {
    UiState& ui = app.ui();
    const float pr = ui.pixelRatio;
    ImGui::SetCursorScreenPos(ImVec2(pos.x + 10 * pr, pos.y + 10 * pr));
    ImGui::PushStyleVar(ImGuiStyleVar_ItemSpacing, ImVec2(4 * pr, 4 * pr));
    auto toolButton = [&](const char* label, MapTool t, const char* tip) {
        const bool on = ui.tool == t;
        if (on) ImGui::PushStyleColor(ImGuiCol_Button, ImGui::GetStyleColorVec4(ImGuiCol_ButtonActive));
        if (ImGui::Button(label)) ui.tool = t;
        if (on) ImGui::PopStyleColor();
        if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", tip);
        ImGui::SameLine();
    };
    toolButton("Pan", MapTool::Pan, "Drag to pan, click to select, Shift+click to add (V)");
    toolButton("Box", MapTool::Box, "Drag a rectangle to select; Shift adds, Alt removes (B)");
    toolButton("Lasso", MapTool::Lasso, "Draw around accounts to select; Shift adds, Alt removes (L)");
    if (ImGui::Button("Filter...")) ui.showFilterDialog = true;
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("Select accounts by segment, industry, state, tier, owner or any column");
    ImGui::SameLine();
    if (ImGui::Button("Layers")) ImGui::OpenPopup("##layers");
    ImGui::PopStyleVar();
    if (ImGui::BeginPopup("##layers")) {
        MapLayers& L = ui.layers;
        bool recolor = false, resize = false, area = false;
        ImGui::TextDisabled("POINTS");
        const char* colorings[] = {"Territory", "Segment", "Tier", "Customer / prospect"};
        int c = static_cast<int>(L.coloring);
        ImGui::SetNextItemWidth(180 * pr);
        if (ImGui::Combo("Colour by", &c, colorings, 4)) L.coloring = static_cast<PointColoring>(c), recolor = true;
        int s = static_cast<int>(L.sizeBy);
        ImGui::SetNextItemWidth(180 * pr);
        if (ImGui::BeginCombo("Size by", planMetricLabel(L.sizeBy))) {
            for (int k = 0; k < kPlanMetricCount; ++k)
                if (ImGui::Selectable(planMetricLabel(static_cast<PlanMetric>(k)), k == s)) L.sizeBy = static_cast<PlanMetric>(k), resize = true;
            ImGui::EndCombo();
        }
        ImGui::SetNextItemWidth(180 * pr);
        ImGui::SliderFloat("Point size", &ui.pointScale, 0.4f, 3.0f, "%.1fx");
        ImGui::Separator();
        ImGui::TextDisabled("AREAS");
        const char* areas[] = {"None", "Territory areas", "Heat map", "State choropleth", "County choropleth"};
        int a = static_cast<int>(L.area);
        ImGui::SetNextItemWidth(180 * pr);
        if (ImGui::Combo("Area layer", &a, areas, 5)) {
            L.area = static_cast<AreaLayer>(a), area = true;
            // Each layer starts at the opacity that reads best for it.
            L.areaOpacity = L.area == AreaLayer::Territories ? 0.35f : L.area == AreaLayer::HeatMap ? 0.75f : 0.9f;
        }
        if (L.area == AreaLayer::HeatMap || L.area == AreaLayer::StateChoropleth || L.area == AreaLayer::CountyChoropleth) {
            ImGui::SetNextItemWidth(180 * pr);
            if (ImGui::BeginCombo("Metric", planMetricLabel(L.areaMetric))) {
                for (int k = 0; k < kPlanMetricCount; ++k)
                    if (ImGui::Selectable(planMetricLabel(static_cast<PlanMetric>(k)), static_cast<int>(L.areaMetric) == k))
                        L.areaMetric = static_cast<PlanMetric>(k), area = true;
                ImGui::EndCombo();
            }
        }
        if (L.area != AreaLayer::None) {
            ImGui::SetNextItemWidth(180 * pr);
            ImGui::SliderFloat("Opacity", &L.areaOpacity, 0.1f, 1.0f, "%.2f");
        }
        ImGui::Separator();
        ImGui::Checkbox("Rep home bases", &L.homeBases);
        ImGui::Checkbox("Territory labels", &L.labels);
        if (ImGui::Checkbox("Highlight changes vs baseline", &L.changesOnly)) recolor = true;
        ImGui::EndPopup();
        if (resize) rebuild(app);
        else if (recolor) refreshColors(app);
        if (area) {
            m_rasterDirty = true;
            if (L.area == AreaLayer::StateChoropleth || L.area == AreaLayer::CountyChoropleth) updateChoropleth(app);
        }
    }
}

void MapView::drawSelectionBar(App& app, const ImVec2& pos, const ImVec2& size) {
    UiState& ui = app.ui();
    if (ui.selection.count == 0) return;
    const float pr = ui.pixelRatio;
    double pot = 0;
    std::size_t locked = 0;
    const Scenario& sc = app.workspace().active();
    for (std::size_t a = 0; a < ui.selection.flags.size(); ++a)
        if (ui.selection.flags[a]) pot += app.accountValues().value(a, PlanMetric::Potential), locked += sc.locked[a];
    char text[160];
    std::snprintf(text, sizeof text, "%s selected  |  %s potential%s", fmt::count(ui.selection.count).c_str(),
                  fmt::moneyCompact(static_cast<Money>(pot)).c_str(), locked ? ("  |  " + fmt::count(locked) + " locked").c_str() : "");
    const float w = ImGui::CalcTextSize(text).x + 330 * pr;
    ImGui::SetCursorScreenPos(ImVec2(pos.x + (size.x - w) * 0.5f, pos.y + size.y - 56 * pr));
    ImGui::PushStyleColor(ImGuiCol_ChildBg, ImGui::GetStyleColorVec4(ImGuiCol_PopupBg));
    ImGui::PushStyleVar(ImGuiStyleVar_ChildRounding, 8 * pr);
    ImGui::BeginChild("##selbar", ImVec2(w, 40 * pr), ImGuiChildFlags_Border, ImGuiWindowFlags_NoScrollbar);
    ImGui::SetCursorPosY((40 * pr - ImGui::GetFrameHeight()) * 0.5f);
    // Drag this handle onto a territory in the sidebar list to move the selection there.
    ImGui::Button("Drag to a territory");
    if (ImGui::BeginDragDropSource(ImGuiDragDropFlags_None)) {
        const std::size_t n = ui.selection.count;
        ImGui::SetDragDropPayload("TERRANE_SELECTION", &n, sizeof n);
        ImGui::Text("Move %s accounts", fmt::count(n).c_str());
        ImGui::EndDragDropSource();
    }
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("Drag onto a territory in the list to move the selected accounts there");
    ImGui::SameLine();
    ImGui::AlignTextToFramePadding();
    ImGui::TextUnformatted(text);
    ImGui::SameLine();
    if (ImGui::Button("Move to...")) ui.showMoveDialog = true;
    ImGui::SameLine();
    if (ImGui::Button(locked == ui.selection.count ? "Unlock" : "Lock")) app.lockSelection(locked != ui.selection.count);
    ImGui::SameLine();
    if (ImGui::Button("Clear")) app.clearSelection();
    ImGui::EndChild();
    ImGui::PopStyleVar();
    ImGui::PopStyleColor();
}

void MapView::drawLegend(App& app, ImDrawList* dl, const ImVec2& pos, const ImVec2& size, float k) {
    const UiState& ui = app.ui();
    const float pr = ui.pixelRatio * k;
    const MapColors& mc = mapColors(ui.theme);
    ImFont* font = app.fonts().regular;
    const float fs = font->FontSize * k;
    auto textSize = [&](const char* t) { return font->CalcTextSizeA(fs, FLT_MAX, 0.0f, t); };
    const float lineH = fs * 1.3f;
    std::vector<std::pair<ImU32, std::string>> rows;
    switch (ui.layers.coloring) {
    case PointColoring::Territory: rows.push_back({0, "Colour: territory (" + fmt::count(app.metrics().territories.size()) + ")"}); break;
    case PointColoring::Segment:
        rows.push_back({IM_COL32(139, 92, 246, 255), "Enterprise"}), rows.push_back({IM_COL32(14, 165, 233, 255), "Mid-Market"}),
            rows.push_back({IM_COL32(34, 197, 94, 255), "SMB"});
        break;
    case PointColoring::Tier:
        rows.push_back({IM_COL32(220, 38, 38, 255), "Tier A"}), rows.push_back({IM_COL32(245, 158, 11, 255), "Tier B"}),
            rows.push_back({IM_COL32(59, 130, 246, 255), "Tier C"}), rows.push_back({IM_COL32(148, 163, 184, 255), "Tier D"});
        break;
    case PointColoring::Customer:
        rows.push_back({IM_COL32(22, 163, 74, 255), "Customer (ARR > 0)"}), rows.push_back({IM_COL32(148, 163, 184, 255), "Prospect"});
        break;
    }
    rows.push_back({0, std::string("Size: ") + planMetricLabel(ui.layers.sizeBy)});
    if (ui.layers.area == AreaLayer::Territories) rows.push_back({0, "Shaded: nearest-account territory areas"});
    if (ui.layers.area == AreaLayer::HeatMap) rows.push_back({0, std::string("Heat: ") + planMetricLabel(ui.layers.areaMetric) + " density"});
    if (ui.layers.area == AreaLayer::StateChoropleth)
        rows.push_back({0, std::string("States: ") + planMetricLabel(ui.layers.areaMetric) + " (max " +
                               (isMoneyMetric(ui.layers.areaMetric) ? fmt::moneyCompact(static_cast<Money>(m_areaMax)) : fmt::fixed(m_areaMax, 0)) + ")"});
    if (ui.layers.area == AreaLayer::CountyChoropleth)
        rows.push_back({0, std::string("Counties: ") + planMetricLabel(ui.layers.areaMetric) + " rank (accounts by ZIP)"});
    if (ui.layers.homeBases && !m_homes.empty()) rows.push_back({0, "Diamond: rep home base"});
    if (ui.layers.changesOnly) rows.push_back({IM_COL32(250, 191, 36, 255), "Ring: moved against the baseline"});
    rows.push_back({0, "Dark centre: locked account"});
    char drawn[80];
    std::snprintf(drawn, sizeof drawn, "%s accounts on the map%s", fmt::count(m_drawOrder.size()).c_str(),
                  m_aggregated ? (ui.softwareRendering ? " (grouped at this zoom: no GPU)" : " (grouped at this zoom)") : "");
    rows.push_back({0, drawn});
    if (m_hasPrecision) {
        std::string p = "Placed by:";
        static constexpr GeoPrecision kOrder[] = {GeoPrecision::Exact, GeoPrecision::Postcode, GeoPrecision::City,
                                                  GeoPrecision::Region, GeoPrecision::Country, GeoPrecision::None};
        for (GeoPrecision g : kOrder) {
            const std::size_t c = m_precisionCounts[static_cast<std::size_t>(g)];
            if (c) p += " " + fmt::count(c) + " " + (g == GeoPrecision::None ? std::string("not placed") : geoPrecisionName(g));
        }
        rows.push_back({0, p});
    }
    if (!m_highlight.empty())
        rows.push_back({IM_COL32(255, 184, 31, 255), fmt::count(m_highlight.size()) + " highlighted: " + ui.highlightLabel});
    if (m_filteredOut > 0) rows.push_back({0, fmt::count(m_filteredOut) + " dimmed by the table filter"});
    float w = 0;
    for (auto& r : rows) w = std::max(w, textSize(r.second.c_str()).x + (r.first ? lineH : 0));
    const float boxW = w + 18 * pr, boxH = lineH * static_cast<float>(rows.size()) + 10 * pr;
    const ImVec2 p0(pos.x + 10 * pr, pos.y + size.y - 10 * pr - boxH);
    dl->AddRectFilled(p0, ImVec2(p0.x + boxW, p0.y + boxH), ImGui::GetColorU32(ImGuiCol_WindowBg, 0.9f), 6 * pr);
    float y = p0.y + 5 * pr;
    for (auto& r : rows) {
        float x = p0.x + 9 * pr;
        if (r.first) {
            dl->AddCircleFilled(ImVec2(x + lineH * 0.35f, y + lineH * 0.45f), lineH * 0.28f, r.first);
            x += lineH;
        }
        dl->AddText(font, fs, ImVec2(x, y), r.first || &r == &rows.front() ? mc.labelText : mutedTextColor(ui.theme), r.second.c_str());
        y += lineH;
    }
    if (ui.layers.area == AreaLayer::HeatMap || ui.layers.area == AreaLayer::StateChoropleth || ui.layers.area == AreaLayer::CountyChoropleth) {
        // Colour ramp strip under the legend title.
        const float rx = p0.x + boxW + 8 * pr, ry = p0.y + boxH - 14 * pr, rw = 120 * pr;
        for (int i = 0; i < 24; ++i) {
            const Rgba8 c = ramp(i / 23.0, 255);
            dl->AddRectFilled(ImVec2(rx + rw * i / 24, ry), ImVec2(rx + rw * (i + 1) / 24, ry + 10 * pr), IM_COL32(c.r, c.g, c.b, 255));
        }
        dl->AddText(font, fs, ImVec2(rx, ry - lineH), mutedTextColor(ui.theme), "low");
        dl->AddText(font, fs, ImVec2(rx + rw - textSize("high").x, ry - lineH), mutedTextColor(ui.theme), "high");
    }
}

std::int64_t MapView::drawAnnotations(App& app, ImDrawList* dl, const MapCamera& cam, const MapRect& rect, float k, bool interactive) {
    const UiState& ui = app.ui();
    const float pr = ui.pixelRatio * k;
    const MapColors& mc = mapColors(ui.theme);
    const ImVec2 pos(rect.x, rect.y), size(rect.w, rect.h);
    auto toScreen = [&](double wx, double wy) {
        return ImVec2(static_cast<float>(rect.x + rect.w * 0.5 + (wx - cam.centerX) * cam.scale),
                      static_cast<float>(rect.y + rect.h * 0.5 + (wy - cam.centerY) * cam.scale));
    };
    ImFont* regular = app.fonts().regular;
    ImFont* bold = app.fonts().bold;
    const float fs = regular->FontSize * k;
    // Home bases: diamonds in the territory's colour.
    std::int64_t homeHover = -1;
    if (ui.layers.homeBases) {
        const float r = 6.5f * pr;
        for (std::size_t i = 0; i < m_homes.size(); ++i) {
            const ImVec2 p = toScreen(m_homes[i].x, m_homes[i].y);
            if (p.x < pos.x - r || p.y < pos.y - r || p.x > pos.x + size.x + r || p.y > pos.y + size.y + r) continue;
            const ImVec2 q[4] = {{p.x, p.y - r}, {p.x + r, p.y}, {p.x, p.y + r}, {p.x - r, p.y}};
            dl->AddQuadFilled(q[0], q[1], q[2], q[3], territoryColor(m_homes[i].territory));
            dl->AddQuad(q[0], q[1], q[2], q[3], ui.theme == Theme::Dark ? IM_COL32(255, 255, 255, 230) : IM_COL32(20, 20, 30, 230), 1.5f * pr);
            if (interactive) {
                const ImVec2 m = ImGui::GetIO().MousePos;
                if (std::fabs(m.x - p.x) + std::fabs(m.y - p.y) < r && ImGui::IsWindowHovered()) homeHover = static_cast<std::int64_t>(i);
            }
        }
    }
    // Labels: territory name and its figure for the size metric, largest first, no overlaps.
    if (ui.layers.labels && ui.layers.coloring == PointColoring::Territory) {
        const PlanMetrics& pm = app.metrics();
        std::vector<std::size_t> order(pm.territories.size());
        std::iota(order.begin(), order.end(), 0u);
        const int metric = static_cast<int>(ui.layers.sizeBy);
        std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return pm.territories[a].f.sum[metric] > pm.territories[b].f.sum[metric]; });
        std::vector<ImVec4> placed;
        for (std::size_t i : order) {
            const TerritoryFigures& t = pm.territories[i];
            const TerritoryShape& s = m_shapes[static_cast<std::size_t>(t.territory)];
            if (s.n <= 0) continue;
            const float extent = static_cast<float>(std::max(s.x1 - s.x0, s.y1 - s.y0) * cam.scale);
            if (extent < 60 * pr && s.n > 1) continue;
            const ImVec2 c = toScreen(s.cx, s.cy);
            const std::string fig = isMoneyMetric(ui.layers.sizeBy) ? fmt::moneyCompact(static_cast<Money>(t.f.sum[metric]))
                                                                    : fmt::fixed(t.f.sum[metric], 0);
            const ImVec2 s1 = bold->CalcTextSizeA(fs, FLT_MAX, 0.0f, t.name.c_str()), s2 = regular->CalcTextSizeA(fs, FLT_MAX, 0.0f, fig.c_str());
            const float w = std::max(s1.x, s2.x) + 8 * pr, h = s1.y + s2.y + 4 * pr;
            const ImVec4 box(c.x - w / 2, c.y - h / 2, c.x + w / 2, c.y + h / 2);
            if (box.x < pos.x || box.y < pos.y || box.z > pos.x + size.x || box.w > pos.y + size.y) continue;
            bool overlap = false;
            for (const ImVec4& o : placed) overlap |= !(box.z < o.x || box.x > o.z || box.w < o.y || box.y > o.w);
            if (overlap) continue;
            placed.push_back(box);
            dl->AddRectFilled(ImVec2(box.x, box.y), ImVec2(box.z, box.w), ui.theme == Theme::Dark ? IM_COL32(10, 14, 20, 170) : IM_COL32(255, 255, 255, 190), 4 * pr);
            dl->AddText(bold, fs, ImVec2(c.x - s1.x / 2, box.y + 1 * pr), mc.labelText, t.name.c_str());
            dl->AddText(regular, fs, ImVec2(c.x - s2.x / 2, box.y + 2 * pr + s1.y), mutedTextColor(ui.theme), fig.c_str());
        }
    }
    return homeHover;
}

void MapView::drawOverlays(App& app, const ImVec2& pos, const ImVec2& size) {
    UiState& ui = app.ui();
    const float pr = ui.pixelRatio;
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const Workspace& ws = app.workspace();
    const Scenario& sc = ws.active();
    dl->PushClipRect(pos, ImVec2(pos.x + size.x, pos.y + size.y), true);
    const std::int64_t homeHover = drawAnnotations(app, dl, ui.camera, m_rect, 1.0f, true);
    // Box and lasso outlines.
    const ImU32 selCol = accentColor(ui.theme);
    if (m_boxing) {
        const ImVec2 m = ImGui::GetIO().MousePos;
        dl->AddRectFilled(m_dragStart, m, (selCol & 0x00FFFFFF) | 0x30000000);
        dl->AddRect(m_dragStart, m, selCol, 0, 0, 1.5f * pr);
    }
    if (m_lassoing && m_lasso.size() > 1) {
        dl->AddPolyline(m_lasso.data(), static_cast<int>(m_lasso.size()), selCol, ImDrawFlags_Closed, 1.5f * pr);
    }
    dl->PopClipRect();

    // Tooltip for the hovered account or home base.
    if (ui.hoveredAccount >= 0) {
        const Table& acc = ws.accounts();
        const auto r = static_cast<std::size_t>(ui.hoveredAccount);
        ImGui::BeginTooltip();
        ImGui::PushFont(app.fonts().bold);
        ImGui::TextUnformatted(std::string(acc.str(acc.indexOf("name"), r)).c_str());
        ImGui::PopFont();
        const std::int32_t t = sc.assignment[r];
        ImGui::TextDisabled("%s  %s, %s", std::string(acc.str(acc.indexOf("account_id"), r)).c_str(),
                            std::string(acc.str(acc.indexOf("city"), r)).c_str(), std::string(acc.str(acc.indexOf("state"), r)).c_str());
        ImGui::Text("Owner: %s", app.repName(t >= 0 ? sc.territories.str(sc.territories.indexOf("owner"), static_cast<std::size_t>(t)) : "").c_str());
        ImGui::Text("Territory: %s", std::string(sc.territoryName(t)).c_str());
        ImGui::Text("Potential: %s", fmt::money(acc.i64(acc.indexOf("potential"), r)).c_str());
        const auto arr = acc.i64(acc.indexOf("arr"), r);
        if (arr > 0) ImGui::Text("ARR: %s", fmt::money(arr).c_str());
        if (sc.locked[r]) ImGui::TextDisabled("Locked to its territory");
        ImGui::EndTooltip();
        platform::setCursor("pointer");
    } else if (homeHover >= 0) {
        ImGui::SetTooltip("Home base: %s", m_homes[static_cast<std::size_t>(homeHover)].label.c_str());
    } else {
        platform::setCursor(m_dragging ? "grabbing" : ui.tool == MapTool::Pan ? "default" : "crosshair");
    }
}

void MapView::drawUi(App& app, const ImVec2& pos, const ImVec2& size) {
    UiState& ui = app.ui();
    m_rect = MapRect{pos.x, pos.y, size.x, size.y};
    if (!ui.cameraFitted && size.x > 10 && size.y > 10) {
        fit(ui);
        ui.cameraFitted = true;
    }
    ImGui::SetNextWindowPos(pos);
    ImGui::SetNextWindowSize(size);
    ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(0, 0));
    ImGui::PushStyleVar(ImGuiStyleVar_WindowBorderSize, 0.0f);
    ImGui::Begin("##map", nullptr,
                 ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoBackground | ImGuiWindowFlags_NoMove |
                     ImGuiWindowFlags_NoBringToFrontOnFocus | ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoNav |
                     ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoScrollWithMouse);
    ImGui::PopStyleVar(2);
    handleInput(app, pos, size);
    // While the camera moves on a slow renderer the last image stands in (see render()); the
    // groups and areas for the new view are made once it rests. Not when that image is out of
    // date (a new workspace fitted, a recolouring): the map is drawn in full then anyway.
    const MapCamera& cam = ui.camera;
    m_cameraMoving = cam.centerX != m_lastCamera.centerX || cam.centerY != m_lastCamera.centerY || cam.scale != m_lastCamera.scale;
    m_lastCamera = cam;
    const bool deferView = m_cameraMoving && slowDraws(ui) && m_renderer.imageCurrent();
    if (!deferView) updateAggregation(ui);
    drawOverlays(app, pos, size);
    drawLegend(app, ImGui::GetWindowDrawList(), pos, size, 1.0f);
    drawToolbar(app, pos);
    drawSelectionBar(app, pos, size);
    ImGui::End();
    // Flags depend on selection, territory focus and the changes view: cheap to refresh per frame
    // only when they changed, which refreshColors() handles; here only the raster follows the camera.
    if ((ui.layers.area == AreaLayer::Territories || ui.layers.area == AreaLayer::HeatMap) && !deferView) updateRaster(app);
}

bool MapView::slowDraws(const UiState& ui) { return ui.softwareRendering || ui.fullDrawFrameMs > kSlowFullDrawMs; }

void MapView::render(const UiState& ui, int framebufferHeight) {
    // Flags for dimming (territory focus) and changes (moved vs baseline) are applied at upload.
    MapDrawOptions opt;
    opt.raster = ui.layers.area == AreaLayer::Territories || ui.layers.area == AreaLayer::HeatMap;
    opt.rasterOpacity = ui.layers.areaOpacity;
    opt.clipRasterToLand = true;
    opt.choropleth = ui.layers.area == AreaLayer::StateChoropleth;
    opt.counties = ui.layers.area == AreaLayer::CountyChoropleth && m_counties.loaded() ? &m_counties : nullptr;
    opt.pixelRatio = ui.pixelRatio;
    opt.pointScale = ui.pointScale;
    opt.cache = true;
    opt.interim = m_cameraMoving && slowDraws(ui);
    m_drawn = m_renderer.pointCount();
    m_renderer.draw(ui.camera, m_rect, framebufferHeight, mapColors(ui.theme), opt);
}

std::string MapView::exportPng(App& app, float k) {
    const UiState& ui = app.ui();
    const int W = static_cast<int>(m_rect.w * k), H = static_cast<int>(m_rect.h * k);
    if (W < 16 || H < 16) return {};
    GLint maxSize = 0;
    glGetIntegerv(GL_MAX_RENDERBUFFER_SIZE, &maxSize);
    if (W > maxSize || H > maxSize) return {};
    GLuint fbo = 0, color = 0, stencil = 0;
    glGenFramebuffers(1, &fbo);
    glBindFramebuffer(GL_FRAMEBUFFER, fbo);
    glGenRenderbuffers(1, &color);
    glBindRenderbuffer(GL_RENDERBUFFER, color);
    glRenderbufferStorage(GL_RENDERBUFFER, GL_RGBA8, W, H);
    glFramebufferRenderbuffer(GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_RENDERBUFFER, color);
    glGenRenderbuffers(1, &stencil);
    glBindRenderbuffer(GL_RENDERBUFFER, stencil);
    glRenderbufferStorage(GL_RENDERBUFFER, GL_DEPTH24_STENCIL8, W, H);
    glFramebufferRenderbuffer(GL_FRAMEBUFFER, GL_DEPTH_STENCIL_ATTACHMENT, GL_RENDERBUFFER, stencil);
    std::string png;
    if (glCheckFramebufferStatus(GL_FRAMEBUFFER) == GL_FRAMEBUFFER_COMPLETE) {
        MapCamera cam = ui.camera;
        cam.scale *= k;
        const MapRect r{0, 0, static_cast<float>(W), static_cast<float>(H)};
        MapDrawOptions opt;
        opt.raster = ui.layers.area == AreaLayer::Territories || ui.layers.area == AreaLayer::HeatMap;
        opt.rasterOpacity = ui.layers.areaOpacity;
        opt.choropleth = ui.layers.area == AreaLayer::StateChoropleth;
        opt.counties = ui.layers.area == AreaLayer::CountyChoropleth && m_counties.loaded() ? &m_counties : nullptr;
        opt.pixelRatio = ui.pixelRatio * k;
        opt.pointScale = ui.pointScale;
        // Every account is drawn in an export, not the low-zoom groups.
        if (m_aggregated) m_renderer.setPoints(m_instances);
        m_renderer.draw(cam, r, H, mapColors(ui.theme), opt);
        if (m_aggregated) m_renderer.setPoints(m_aggregate);
        // Labels, home bases, legend and a title, through the ImGui renderer into this buffer.
        ImDrawList list(ImGui::GetDrawListSharedData());
        list._ResetForNewFrame();
        list.PushTextureID(ImGui::GetIO().Fonts->TexID);
        list.PushClipRect(ImVec2(0, 0), ImVec2(static_cast<float>(W), static_cast<float>(H)));
        drawAnnotations(app, &list, cam, r, k, false);
        drawLegend(app, &list, ImVec2(0, 0), ImVec2(static_cast<float>(W), static_cast<float>(H)), k);
        const Workspace& ws = app.workspace();
        const std::string title = ws.name + "  |  " + ws.active().name;
        ImFont* bold = app.fonts().bold;
        const float fs = bold->FontSize * k;
        const ImVec2 ts = bold->CalcTextSizeA(fs, FLT_MAX, 0.0f, title.c_str());
        const float pad = 8 * ui.pixelRatio * k;
        list.AddRectFilled(ImVec2(pad, pad), ImVec2(pad * 3 + ts.x, pad * 3 + ts.y), ImGui::GetColorU32(ImGuiCol_WindowBg, 0.9f), pad);
        list.AddText(bold, fs, ImVec2(pad * 2, pad * 2), mapColors(ui.theme).labelText, title.c_str());
        ImDrawData dd;
        dd.Valid = true;
        dd.CmdLists.push_back(&list);
        dd.CmdListsCount = 1;
        dd.TotalVtxCount = list.VtxBuffer.Size;
        dd.TotalIdxCount = list.IdxBuffer.Size;
        dd.DisplayPos = ImVec2(0, 0);
        dd.DisplaySize = ImVec2(static_cast<float>(W), static_cast<float>(H));
        dd.FramebufferScale = ImVec2(1, 1);
        ImGui_ImplOpenGL3_RenderDrawData(&dd);
        std::vector<std::uint8_t> pixels(static_cast<std::size_t>(W) * H * 4);
        glPixelStorei(GL_PACK_ALIGNMENT, 1);
        glReadPixels(0, 0, W, H, GL_RGBA, GL_UNSIGNED_BYTE, pixels.data());
        // GL rows run bottom-up; PNG rows top-down. Opaque output.
        std::vector<std::uint8_t> flipped(pixels.size());
        const std::size_t stride = static_cast<std::size_t>(W) * 4;
        for (int y = 0; y < H; ++y)
            std::copy_n(&pixels[static_cast<std::size_t>(H - 1 - y) * stride], stride, &flipped[static_cast<std::size_t>(y) * stride]);
        for (std::size_t i = 3; i < flipped.size(); i += 4) flipped[i] = 255;
        stbi_write_png_to_func(
            [](void* ctx, void* data, int size) { static_cast<std::string*>(ctx)->append(static_cast<const char*>(data), static_cast<std::size_t>(size)); },
            &png, W, H, 4, flipped.data(), static_cast<int>(stride));
    }
    glBindFramebuffer(GL_FRAMEBUFFER, 0);
    glDeleteRenderbuffers(1, &color);
    glDeleteRenderbuffers(1, &stencil);
    glDeleteFramebuffers(1, &fbo);
    return png;
}

} // namespace terrane
