// Map canvas: the MapView entry points. The work is done in map_data.cpp (MapData and the
// points), map_areas.cpp (area layers), map_input.cpp, map_overlays.cpp and map_export.cpp.
//
// Index
//  [SECTION] data        init, rebuild, adopt
//  [SECTION] emphasis    highlight, table filter, preview
//  [SECTION] camera      fit, territory colours and screen positions for the panels
//  [SECTION] frame       drawUi and render
#include "app/map/map_view.hpp"

#include "app/app.hpp"
#include "app/map/map_internal.hpp"
#include "core/geo/geo.hpp"

#include <algorithm>
#include <cmath>

namespace terrane {

namespace {
// Without a GPU, or where a frame that draws the map takes longer than this, the map shows its
// last image moved while the camera moves, and draws in full when it rests.
constexpr double kSlowFullDrawMs = 50;
} // namespace

// [SECTION] data
bool MapView::init() {
    return m_renderer.init();
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
    // Territories the map has coloured before keep their colours (a rebuild after an edit).
    std::unordered_map<std::string, int> remembered = std::move(m_data.colorSlots);
    // The grid views the coordinate vectors, whose buffers move with them.
    m_data = std::move(d);
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
    if (!m_data.colored || !plain || m_data.layers != layersKey(ui, ui.referenceScenario) ||
        !remembered.empty()) {
        m_data.colorSlots = std::move(remembered);
        refreshColors(app);
        return;
    }
    // The prepared colours and instances are drawn as they are; their colour slots are
    // remembered from here on.
    m_renderer.setPalette(m_data.palette);
    m_aggregateLevel = -1;
    m_aggregated = false;
    m_renderer.setPoints(m_data.instances);
    m_rasterDirty = true;
    if (ui.layers.area == AreaLayer::StateChoropleth || ui.layers.area == AreaLayer::CountyChoropleth)
        updateChoropleth(app);
}

// [SECTION] emphasis
void MapView::setHighlight(App& app, std::vector<std::uint32_t> accountRows) {
    m_isHighlighted.assign(m_data.x.size(), 0);
    std::erase_if(accountRows, [&](std::uint32_t r) { return r >= m_data.x.size(); });
    for (std::uint32_t r : accountRows) m_isHighlighted[r] = 1;
    m_highlight = std::move(accountRows);
    orderInstances();
    uploadInstances(app);
}

void MapView::setPreview(App& app, std::vector<std::int32_t> rows) {
    const std::size_t territories = app.workspace().active().territories.rows();
    if (rows.size() != m_data.x.size() || std::any_of(rows.begin(), rows.end(), [&](std::int32_t t) {
            return t >= static_cast<std::int32_t>(territories);
        }))
        rows.clear();
    if (rows.empty() && m_preview.empty()) return;
    // The areas follow the scenario, not a preview that changes a few times a second; when the
    // preview ends they are redrawn for whatever the scenario is then.
    const bool ending = rows.empty();
    m_preview = std::move(rows);
    refreshColors(app, ending);
}

void MapView::setFilterMask(App& app, std::vector<std::uint8_t> visible) {
    m_visible = visible.size() == m_data.x.size() ? std::move(visible) : std::vector<std::uint8_t>{};
    m_filteredOut = 0;
    for (std::uint8_t v : m_visible) m_filteredOut += v ? 0 : 1;
    uploadInstances(app);
}

// [SECTION] camera
void MapView::fit(UiState& ui) const {
    const auto [x0, y0, x1, y1] = m_data.fitBox;
    const double w = std::max(x1 - x0, 1e-4), h = std::max(y1 - y0, 1e-4);
    const double rw = std::max(1.0f, m_rect.w), rh = std::max(1.0f, m_rect.h);
    ui.camera.centerX = (x0 + x1) / 2;
    ui.camera.centerY = (y0 + y1) / 2;
    ui.camera.scale = std::min(rw / (w * 1.12), rh / (h * 1.12));
}

void MapView::fitHighlight(UiState& ui) const {
    double x0 = 1e9, y0 = 1e9, x1 = -1e9, y1 = -1e9;
    for (std::uint32_t r : m_highlight) {
        if (std::isnan(m_data.x[r])) continue;
        x0 = std::min(x0, m_data.x[r]), x1 = std::max(x1, m_data.x[r]), y0 = std::min(y0, m_data.y[r]),
        y1 = std::max(y1, m_data.y[r]);
    }
    if (x0 > x1) return;
    const double w = std::max(x1 - x0, 2e-3), h = std::max(y1 - y0, 2e-3); // at least a metro area
    ui.camera.centerX = (x0 + x1) / 2;
    ui.camera.centerY = (y0 + y1) / 2;
    ui.camera.scale = std::min(std::max(1.0f, m_rect.w) / (w * 1.4), std::max(1.0f, m_rect.h) / (h * 1.4));
}

ImU32 MapView::territoryColor(std::int32_t territoryRow) const {
    Rgba8 c{128, 128, 128, 255};
    if (territoryRow >= 0 && static_cast<std::size_t>(territoryRow) < m_data.territoryColors.size())
        c = m_data.territoryColors[static_cast<std::size_t>(territoryRow)];
    return IM_COL32(c.r, c.g, c.b, c.a);
}

ImVec2 MapView::worldToScreen(const MapCamera& cam, double wx, double wy) const {
    return ImVec2(static_cast<float>(m_rect.x + m_rect.w * 0.5 + (wx - cam.centerX) * cam.scale),
                  static_cast<float>(m_rect.y + m_rect.h * 0.5 + (wy - cam.centerY) * cam.scale));
}

// [SECTION] frame
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
                     ImGuiWindowFlags_NoBringToFrontOnFocus | ImGuiWindowFlags_NoSavedSettings |
                     ImGuiWindowFlags_NoNav | ImGuiWindowFlags_NoScrollbar |
                     ImGuiWindowFlags_NoScrollWithMouse);
    ImGui::PopStyleVar(2);
    handleInput(app, pos, size);
    // The county shapes are a file of their own (not in the wasm), asked for once the first frame
    // is up; a county choropleth chosen before they arrive is coloured when they do.
    if (++m_framesShown == 2) m_counties.prefetch();
    if (ui.layers.area == AreaLayer::CountyChoropleth && !m_countiesColored && m_counties.ensureLoaded()) updateChoropleth(app);
    // While the camera moves on a slow renderer the last image stands in (see render()); the
    // groups and areas for the new view are made once it rests. Not when that image is out of
    // date (a new workspace fitted, a recolouring): the map is drawn in full then anyway.
    const MapCamera& cam = ui.camera;
    m_cameraMoving = cam.centerX != m_lastCamera.centerX || cam.centerY != m_lastCamera.centerY ||
                     cam.scale != m_lastCamera.scale;
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
    if ((ui.layers.area == AreaLayer::Territories || ui.layers.area == AreaLayer::HeatMap) && !deferView)
        updateRaster(app);
}

bool MapView::slowDraws(const UiState& ui) {
    return ui.softwareRendering || ui.fullDrawFrameMs > kSlowFullDrawMs;
}

void MapView::render(const UiState& ui, int framebufferHeight) {
    // Flags for dimming (territory focus) and changes (moved vs baseline) are applied at upload.
    MapDrawOptions opt;
    opt.raster = ui.layers.area == AreaLayer::Territories || ui.layers.area == AreaLayer::HeatMap;
    opt.rasterOpacity = ui.layers.areaOpacity;
    opt.clipRasterToLand = true;
    opt.choropleth = ui.layers.area == AreaLayer::StateChoropleth;
    opt.counties =
        ui.layers.area == AreaLayer::CountyChoropleth && m_counties.loaded() ? &m_counties : nullptr;
    // Zoomed in over the contiguous US: county borders (the county layer with no fills).
    const MapCamera& cam = ui.camera;
    const double halfW = m_rect.w * 0.5 / cam.scale, halfH = m_rect.h * 0.5 / cam.scale;
    const bool overUs = cam.centerX + halfW > mercatorX(-125) && cam.centerX - halfW < mercatorX(-66) &&
                        cam.centerY + halfH > mercatorY(50) && cam.centerY - halfH < mercatorY(24);
    if (!opt.counties && ui.layers.placeNames && overUs && cam.scale >= kDetailZoom * ui.pixelRatio &&
        m_counties.ensureLoaded()) {
        if (m_countiesColored) m_counties.setColors({});
        m_countiesColored = false;
        opt.counties = &m_counties;
    }
    opt.pixelRatio = ui.pixelRatio;
    opt.pointScale = ui.pointScale;
    opt.cache = true;
    opt.interim = m_cameraMoving && slowDraws(ui);
    m_drawn = m_renderer.pointCount();
    m_renderer.draw(ui.camera, m_rect, framebufferHeight, mapColors(ui.theme), opt);
}

} // namespace terrane
