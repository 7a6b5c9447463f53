// Map canvas: MapData built in parts (positions, sizes, draw order, grid, shapes, home bases,
// palette and colours) and the points drawn from it (flags, patches after edits, aggregation).
//
// Index
//  [SECTION] build        positions, sizes, palette, colours and instances of a MapData (buildStep)
//  [SECTION] colours      territory shapes and colours after loads, edits and layer changes
//  [SECTION] points       draw order, flags, instances; patching the points of some accounts
//  [SECTION] aggregation  one disc per cell and colour for very large workspaces at low zoom
#include "app/map/map_view.hpp"

#include "app/app.hpp"
#include "app/map/map_internal.hpp"
#include "app/map/palette.hpp"
#include "core/geo/geo.hpp"
#include "core/geo/geocode.hpp"

#include <algorithm>
#include <cmath>
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
std::size_t aggregateAbove(const UiState& ui) {
    return ui.softwareRendering ? kAggregateAboveSoftware : kAggregateAbove;
}

Rgba8 rgb(std::uint32_t hex) {
    return Rgba8{static_cast<std::uint8_t>(hex >> 16), static_cast<std::uint8_t>(hex >> 8),
                 static_cast<std::uint8_t>(hex), 255};
}
} // namespace

// [SECTION] build
// What instancesOf() flags: selection, territory focus, table filter and highlight (empty: none).
struct PointFlags {
    const std::vector<std::uint8_t>* selected = nullptr;
    std::int32_t focusTerritory = -1;
    bool changes = false;
    const std::vector<std::uint8_t>* visible = nullptr;
    const std::vector<std::uint8_t>* highlighted = nullptr;
    const std::vector<std::uint8_t>* coarse = nullptr; // drawn hollow
};

namespace {
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
            if (auto it = remembered->find(std::string(sc.territoryId(leaves[i]))); it != remembered->end())
                fixed[i] = it->second;
    const std::vector<int> slots = territoryColorSlots(centres, fixed);
    if (remembered)
        for (std::size_t i = 0; i < leaves.size(); ++i)
            (*remembered)[std::string(sc.territoryId(leaves[i]))] = slots[i];
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
PointInstance instanceOf(std::uint32_t i, const std::vector<double>& x, const std::vector<double>& y,
                         const std::vector<float>& size, const std::vector<std::uint16_t>& color,
                         const Scenario& sc, const Scenario& base, const PointFlags& pf) {
    std::uint8_t f = 0;
    if (pf.selected && i < pf.selected->size() && (*pf.selected)[i]) f |= 1;
    const std::int32_t t = i < sc.assignment.size() ? sc.assignment[i] : -1;
    if (pf.focusTerritory >= 0 && t != pf.focusTerritory) f |= 2;
    if (pf.changes) {
        // Compared by territory id: the reference may be another scenario.
        const bool moved =
            i < base.assignment.size() && base.territoryId(base.assignment[i]) != sc.territoryId(t);
        f |= moved ? 4 : 2;
    }
    if (i < sc.locked.size() && sc.locked[i]) f |= 8;
    if (pf.visible && !(*pf.visible)[i]) f |= 2;
    if (pf.highlighted) f |= (*pf.highlighted)[i] ? 16 : 2;
    if (pf.coarse && i < pf.coarse->size() && (*pf.coarse)[i]) f |= 32;
    return PointInstance{static_cast<float>(x[i]), static_cast<float>(y[i]), size[i], color[i], f, 0};
}

void instancesOf(const std::vector<std::uint32_t>& order, const std::vector<double>& x,
                 const std::vector<double>& y, const std::vector<float>& size,
                 const std::vector<std::uint16_t>& color, const Scenario& sc, const Scenario& base,
                 const PointFlags& pf, std::vector<PointInstance>& out) {
    out.resize(order.size());
    for (std::size_t k = 0; k < order.size(); ++k)
        out[k] = instanceOf(order[k], x, y, size, color, sc, base, pf);
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
        // Accounts placed at a region or country centre are drawn hollow: big enough to show it.
        d.coarse.assign(n, 0);
        if (acc.find(kGeoPrecisionColumn))
            for (std::size_t i = 0; i < n; ++i) {
                const GeoPrecision p = accountPrecision(acc, i);
                d.coarse[i] = p == GeoPrecision::Region || p == GeoPrecision::Country;
                if (d.coarse[i]) d.size[i] = std::max(d.size[i], 7.0f);
            }
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
            for (std::size_t i = 0; i < n; ++i) ++d.precisionCounts[static_cast<std::size_t>(accountPrecision(acc, i))];
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
        pf.coarse = &d.coarse;
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

// [SECTION] colours
void MapView::computeShapes(const Scenario& sc) {
    shapesOf(sc, m_data.x, m_data.y, m_data.shapes);
}

void MapView::computePalette(App& app) {
    paletteOf(app.workspace().active(), m_data.shapes, app.ui(), m_data.territoryColors,
              m_data.slotOfTerritory, m_data.palette, &m_data.colorSlots);
    m_renderer.setPalette(m_data.palette);
}

void MapView::refreshColors(App& app, bool areas) {
    const UiState& ui = app.ui();
    PartTimer timer(app.ui(), "map.colors");
    computePalette(app);
    colorsOf(app.workspace(), app.workspace().active(), ui.layers.coloring, m_data.slotOfTerritory, m_preview,
             m_data.color);
    uploadInstances(app);
    if (!areas) return;
    m_rasterDirty = true;
    if (ui.layers.area == AreaLayer::StateChoropleth || ui.layers.area == AreaLayer::CountyChoropleth)
        updateChoropleth(app);
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
    const std::vector<Rgba8> palette = m_data.palette;
    const std::vector<std::int32_t> slots = m_data.slotOfTerritory;
    const Workspace& ws = app.workspace();
    const Scenario& sc = ws.active();
    if (!m_preview.empty() || !canPatch(app)) {
        refreshColors(app);
        return;
    }
    const std::size_t n = m_data.x.size();
    PartTimer timer(ui, "map.colors");
    computePalette(app);
    if (palette != m_data.palette || slots != m_data.slotOfTerritory) {
        colorsOf(ws, sc, ui.layers.coloring, m_data.slotOfTerritory, m_preview, m_data.color);
        uploadInstances(app);
    } else {
        PartTimer moved(ui, "map.moved");
        if (ui.layers.coloring == PointColoring::Territory)
            for (std::uint32_t a : accounts) {
                if (a >= n) continue;
                const std::int32_t t = sc.assignment[a];
                m_data.color[a] = static_cast<std::uint16_t>(
                    t >= 0 && static_cast<std::size_t>(t) < m_data.slotOfTerritory.size()
                        ? m_data.slotOfTerritory[static_cast<std::size_t>(t)]
                        : 0);
            }
        patchPoints(app, accounts);
    }
    m_rasterDirty = true;
    if (ui.layers.area == AreaLayer::StateChoropleth || ui.layers.area == AreaLayer::CountyChoropleth)
        updateChoropleth(app);
}

// [SECTION] points
// Big discs first so small ones stay visible on top; highlighted accounts last of all.
void MapView::orderInstances() {
    m_drawOrder = m_data.sizeOrder;
    if (!m_highlight.empty())
        std::stable_partition(m_drawOrder.begin(), m_drawOrder.end(),
                              [&](std::uint32_t a) { return !m_isHighlighted[a]; });
    m_instanceOf.assign(m_data.x.size(), kNoInstance);
    for (std::size_t k = 0; k < m_drawOrder.size(); ++k)
        m_instanceOf[m_drawOrder[k]] = static_cast<std::uint32_t>(k);
}

PointFlags MapView::pointFlags(const UiState& ui) const {
    PointFlags pf;
    pf.selected = &ui.selection.flags;
    pf.focusTerritory = ui.selectedTerritory;
    pf.changes = ui.layers.changesOnly;
    pf.visible = m_visible.empty() ? nullptr : &m_visible;
    pf.highlighted = m_highlight.empty() ? nullptr : &m_isHighlighted;
    pf.coarse = &m_data.coarse;
    return pf;
}

void MapView::uploadInstances(App& app) {
    PartTimer timer(app.ui(), "map.instances");
    const UiState& ui = app.ui();
    const Workspace& ws = app.workspace();
    const Scenario& base =
        ws.scenarios[ui.referenceScenario < ws.scenarios.size() ? ui.referenceScenario : 0];
    instancesOf(m_drawOrder, m_data.x, m_data.y, m_data.size, m_data.color, ws.active(), base, pointFlags(ui),
                m_data.instances);
    pointsChanged(app.ui());
}

void MapView::pointsChanged(UiState& ui) {
    m_aggregateLevel = -1;
    m_aggregated = false;
    // Above the aggregation threshold the groups for this zoom are made now: uploading and
    // drawing every account for one frame first costs seconds without a GPU (a million points),
    // at every recolouring (edits, selections, optimiser previews).
    if (m_data.instances.size() > aggregateAbove(ui)) updateAggregation(ui);
    if (!m_aggregated) m_renderer.setPoints(m_data.instances);
}

bool MapView::canPatch(const App& app) const {
    const std::size_t n = m_data.x.size();
    return m_data.color.size() == n && m_instanceOf.size() == n &&
           m_data.instances.size() == m_drawOrder.size() && app.workspace().active().assignment.size() == n;
}

void MapView::patchPoints(App& app, const std::vector<std::uint32_t>& accounts) {
    UiState& ui = app.ui();
    const Workspace& ws = app.workspace();
    const Scenario& sc = ws.active();
    const Scenario& base =
        ws.scenarios[ui.referenceScenario < ws.scenarios.size() ? ui.referenceScenario : 0];
    const PointFlags pf = pointFlags(ui);
    for (std::uint32_t a : accounts)
        if (a < m_instanceOf.size())
            if (const std::uint32_t k = m_instanceOf[a]; k != kNoInstance)
                m_data.instances[k] =
                    instanceOf(a, m_data.x, m_data.y, m_data.size, m_data.color, sc, base, pf);
    pointsChanged(ui);
}

void MapView::selectionChanged(App& app, const std::vector<std::uint32_t>& changed) {
    PartTimer timer(app.ui(), "map.selection");
    // Selection draws as flags on the points: colours and areas stay as they are.
    if (!canPatch(app) || changed.size() > m_data.x.size() / 4)
        uploadInstances(app);
    else
        patchPoints(app, changed);
}

// [SECTION] aggregation
void MapView::updateAggregation(UiState& ui) {
    if (m_data.instances.size() <= aggregateAbove(ui)) return;
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
    bins.reserve(m_data.instances.size() / 4);
    int bits = 4;
    while ((std::size_t{1} << bits) < m_data.instances.size() * 2) ++bits;
    const std::size_t mask = (std::size_t{1} << bits) - 1;
    std::vector<std::uint32_t> table(mask + 1, 0); // bin index + 1; 0 = empty
    for (const PointInstance& p : m_data.instances) {
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
    if (bins.size() > m_data.instances.size() * 6 / 10) {
        // Too little overlap at this zoom: draw every account.
        if (m_aggregated) m_renderer.setPoints(m_data.instances);
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

} // namespace terrane
