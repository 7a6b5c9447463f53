// Map canvas: what ImGui draws over the map. The toolbar (tools, layers), the selection bar,
// the legend, territory labels and home bases, box and lasso outlines and the tooltip.
//
// Index
//  [SECTION] toolbar      tools, filter and the layers popup
//  [SECTION] selection    the bar under a selection: drag handle, figures, move, lock, clear
//  [SECTION] legend       colours, sizes, areas, counts
//  [SECTION] labels       home bases and territory labels (also drawn into the PNG export)
//  [SECTION] overlays     box and lasso outlines, tooltip, cursor
#include "app/map/map_view.hpp"

#include "app/app.hpp"
#include "app/map/map_internal.hpp"
#include "app/widgets.hpp"
#include "core/base/format.hpp"
#include "core/geo/geo.hpp"
#include "core/geo/geocode.hpp"
#include "platform/platform.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace terrane {

// [SECTION] toolbar
void MapView::drawToolbar(App& app, const ImVec2& pos) {
    UiState& ui = app.ui();
    const float pr = ui.pixelRatio;
    ImGui::SetCursorScreenPos(ImVec2(pos.x + 10 * pr, pos.y + 10 * pr));
    ImGui::PushStyleVar(ImGuiStyleVar_ItemSpacing, ImVec2(4 * pr, 4 * pr));
    const ImVec2 start = ImGui::GetCursorScreenPos();
    auto toolButton = [&](const char* label, MapTool t, const char* target, const char* tip) {
        const bool on = ui.tool == t;
        if (on) ImGui::PushStyleColor(ImGuiCol_Button, ImGui::GetStyleColorVec4(ImGuiCol_ButtonActive));
        if (ImGui::Button(label)) ui.tool = t;
        if (on) ImGui::PopStyleColor();
        markTarget(app, target);
        if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", tip);
        ImGui::SameLine();
    };
    toolButton("Pan", MapTool::Pan, "map.pan", "Drag to pan, click to select, Shift+click to add (V)");
    toolButton("Box", MapTool::Box, "map.box", "Drag a rectangle to select; Shift adds, Alt removes (B)");
    toolButton("Lasso", MapTool::Lasso, "map.lasso", "Draw around accounts to select; Shift adds, Alt removes (L)");
    if (ImGui::Button("Filter...")) ui.filter.show = true;
    markTarget(app, "map.filter");
    if (ImGui::IsItemHovered())
        ImGui::SetTooltip("Select accounts by segment, industry, state, tier, owner or any column");
    ImGui::SameLine();
    if (ImGui::Button("Layers")) ImGui::OpenPopup("##layers");
    markTarget(app, "map.layers");
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("Point colours and sizes, area layers, labels and home bases");
    // Accounts with a suggested address change (a misspelt place, a postcode in another state).
    if (const std::size_t fixes = app.locationFixes().size()) {
        ImGui::SameLine();
        const std::string label = "Fix places (" + fmt::count(fixes) + ")";
        if (ImGui::Button(label.c_str())) ui.locations.show = true;
        markTarget(app, "map.places");
        if (ImGui::IsItemHovered())
            ImGui::SetTooltip("Accounts that could not be placed, or whose postcode disagrees with their state: suggested fixes");
    }
    // What the labels keep clear of (screen pixels).
    m_toolbarBox = ImVec4(start.x, start.y, ImGui::GetItemRectMax().x, ImGui::GetItemRectMax().y);
    ImGui::PopStyleVar();
    if (ImGui::BeginPopup("##layers")) {
        MapLayers& L = ui.layers;
        bool recolor = false, resize = false, area = false;
        ImGui::TextDisabled("POINTS");
        const char* colorings[] = {"Territory", "Segment", "Tier", "Customer / prospect"};
        int c = static_cast<int>(L.coloring);
        ImGui::SetNextItemWidth(180 * pr);
        if (ImGui::Combo("Colour by", &c, colorings, 4))
            L.coloring = static_cast<PointColoring>(c), recolor = true;
        markTarget(app, "layers.coloring");
        int s = static_cast<int>(L.sizeBy);
        ImGui::SetNextItemWidth(180 * pr);
        if (ImGui::BeginCombo("Size by", planMetricLabel(L.sizeBy))) {
            for (int k = 0; k < kPlanMetricCount; ++k)
                if (ImGui::Selectable(planMetricLabel(static_cast<PlanMetric>(k)), k == s))
                    L.sizeBy = static_cast<PlanMetric>(k), resize = true;
            ImGui::EndCombo();
        }
        ImGui::SetNextItemWidth(180 * pr);
        ImGui::SliderFloat("Point size", &ui.pointScale, 0.4f, 3.0f, "%.1fx");
        ImGui::Separator();
        ImGui::TextDisabled("AREAS");
        const char* areas[] = {"None", "Territory areas", "Heat map", "State choropleth",
                               "County choropleth"};
        int a = static_cast<int>(L.area);
        ImGui::SetNextItemWidth(180 * pr);
        if (ImGui::Combo("Area layer", &a, areas, 5)) {
            L.area = static_cast<AreaLayer>(a), area = true;
            // Each layer starts at the opacity that reads best for it.
            L.areaOpacity = L.area == AreaLayer::Territories ? 0.35f
                            : L.area == AreaLayer::HeatMap   ? 0.75f
                                                             : 0.9f;
        }
        if (L.area == AreaLayer::HeatMap || L.area == AreaLayer::StateChoropleth ||
            L.area == AreaLayer::CountyChoropleth) {
            ImGui::SetNextItemWidth(180 * pr);
            if (ImGui::BeginCombo("Metric", planMetricLabel(L.areaMetric))) {
                for (int k = 0; k < kPlanMetricCount; ++k)
                    if (ImGui::Selectable(planMetricLabel(static_cast<PlanMetric>(k)),
                                          static_cast<int>(L.areaMetric) == k))
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
        markTarget(app, "layers.labels");
        ImGui::Checkbox("Place names when zoomed in", &L.placeNames);
        markTarget(app, "layers.places");
        if (ImGui::Checkbox("Highlight changes vs baseline", &L.changesOnly)) recolor = true;
        ImGui::EndPopup();
        if (resize)
            rebuild(app);
        else if (recolor)
            refreshColors(app);
        if (area) {
            m_rasterDirty = true;
            if (L.area == AreaLayer::StateChoropleth || L.area == AreaLayer::CountyChoropleth)
                updateChoropleth(app);
        }
    }
}

// [SECTION] selection
void MapView::drawSelectionBar(App& app, const ImVec2& pos, const ImVec2& size) {
    UiState& ui = app.ui();
    if (ui.selection.count == 0) return;
    const float pr = ui.pixelRatio;
    double pot = 0;
    std::size_t locked = 0;
    const Scenario& sc = app.workspace().active();
    for (std::size_t a = 0; a < ui.selection.flags.size(); ++a)
        if (ui.selection.flags[a])
            pot += app.accountValues().value(a, PlanMetric::Potential), locked += sc.locked[a];
    char text[160];
    std::snprintf(text, sizeof text, "%s selected  |  %s potential%s", fmt::count(ui.selection.count).c_str(),
                  fmt::moneyCompact(static_cast<Money>(pot)).c_str(),
                  locked ? ("  |  " + fmt::count(locked) + " locked").c_str() : "");
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
    if (ImGui::IsItemHovered())
        ImGui::SetTooltip("Drag onto a territory in the list to move the selected accounts there");
    ImGui::SameLine();
    ImGui::AlignTextToFramePadding();
    ImGui::TextUnformatted(text);
    ImGui::SameLine();
    if (ImGui::Button("Move to...")) ui.move.show = true;
    ImGui::SameLine();
    if (ImGui::Button(locked == ui.selection.count ? "Unlock" : "Lock"))
        app.lockSelection(locked != ui.selection.count);
    ImGui::SameLine();
    if (ImGui::Button("Clear")) app.clearSelection();
    ImGui::EndChild();
    ImGui::PopStyleVar();
    ImGui::PopStyleColor();
}

// [SECTION] legend
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
    case PointColoring::Territory:
        rows.push_back({0, "Colour: territory (" + fmt::count(app.metrics().territories.size()) + ")"});
        break;
    case PointColoring::Segment:
        rows.push_back({IM_COL32(139, 92, 246, 255), "Enterprise"}),
            rows.push_back({IM_COL32(14, 165, 233, 255), "Mid-Market"}),
            rows.push_back({IM_COL32(34, 197, 94, 255), "SMB"});
        break;
    case PointColoring::Tier:
        rows.push_back({IM_COL32(220, 38, 38, 255), "Tier A"}),
            rows.push_back({IM_COL32(245, 158, 11, 255), "Tier B"}),
            rows.push_back({IM_COL32(59, 130, 246, 255), "Tier C"}),
            rows.push_back({IM_COL32(148, 163, 184, 255), "Tier D"});
        break;
    case PointColoring::Customer:
        rows.push_back({IM_COL32(22, 163, 74, 255), "Customer (ARR > 0)"}),
            rows.push_back({IM_COL32(148, 163, 184, 255), "Prospect"});
        break;
    }
    rows.push_back({0, std::string("Size: ") + planMetricLabel(ui.layers.sizeBy)});
    if (ui.layers.area == AreaLayer::Territories)
        rows.push_back({0, "Shaded: nearest-account territory areas"});
    if (ui.layers.area == AreaLayer::HeatMap)
        rows.push_back({0, std::string("Heat: ") + planMetricLabel(ui.layers.areaMetric) + " density"});
    if (ui.layers.area == AreaLayer::StateChoropleth)
        rows.push_back(
            {0, std::string("States: ") + planMetricLabel(ui.layers.areaMetric) + " (max " +
                    (isMoneyMetric(ui.layers.areaMetric) ? fmt::moneyCompact(static_cast<Money>(m_areaMax))
                                                         : fmt::fixed(m_areaMax, 0)) +
                    ")"});
    if (ui.layers.area == AreaLayer::CountyChoropleth)
        rows.push_back({0, std::string("Counties: ") + planMetricLabel(ui.layers.areaMetric) +
                               " rank (accounts by ZIP)"});
    if (ui.layers.homeBases && !m_data.homes.empty()) rows.push_back({0, "Diamond: rep home base"});
    if (ui.layers.changesOnly)
        rows.push_back({IM_COL32(250, 191, 36, 255), "Ring: moved against the baseline"});
    rows.push_back({0, "Dark centre: locked account"});
    char drawn[80];
    std::snprintf(drawn, sizeof drawn, "%s accounts on the map%s", fmt::count(m_drawOrder.size()).c_str(),
                  m_aggregated
                      ? (ui.softwareRendering ? " (grouped at this zoom: no GPU)" : " (grouped at this zoom)")
                      : "");
    rows.push_back({0, drawn});
    if (m_data.hasPrecision) {
        // "Placed by: 4,812 exact · 150 postcode · 38 country (hollow) · 2 not placed".
        std::string p;
        static constexpr GeoPrecision kOrder[] = {GeoPrecision::Exact,   GeoPrecision::Postcode,
                                                  GeoPrecision::City,    GeoPrecision::Region,
                                                  GeoPrecision::Country, GeoPrecision::None};
        for (GeoPrecision g : kOrder) {
            const std::size_t c = m_data.precisionCounts[static_cast<std::size_t>(g)];
            if (!c) continue;
            p += (p.empty() ? "Placed by: " : " \xC2\xB7 ") + fmt::count(c) + " " +
                 (g == GeoPrecision::None ? std::string("not placed") : geoPrecisionName(g));
            if (g == GeoPrecision::Region || g == GeoPrecision::Country) p += " (hollow)";
        }
        rows.push_back({0, p});
        const std::size_t spread = m_data.precisionCounts[static_cast<std::size_t>(GeoPrecision::Postcode)] +
                                   m_data.precisionCounts[static_cast<std::size_t>(GeoPrecision::City)] +
                                   m_data.precisionCounts[static_cast<std::size_t>(GeoPrecision::Region)] +
                                   m_data.precisionCounts[static_cast<std::size_t>(GeoPrecision::Country)];
        if (spread)
            rows.push_back({0, "Not exact: spread around the centre (approximate)"});
    }
    if (!m_highlight.empty())
        rows.push_back({IM_COL32(255, 184, 31, 255),
                        fmt::count(m_highlight.size()) + " highlighted: " + ui.data.highlightLabel});
    if (m_filteredOut > 0) rows.push_back({0, fmt::count(m_filteredOut) + " dimmed by the table filter"});
    float w = 0;
    for (auto& r : rows) w = std::max(w, textSize(r.second.c_str()).x + (r.first ? lineH : 0));
    const float boxW = w + 18 * pr, boxH = lineH * static_cast<float>(rows.size()) + 10 * pr;
    const ImVec2 p0(pos.x + 10 * pr, pos.y + size.y - 10 * pr - boxH);
    dl->AddRectFilled(p0, ImVec2(p0.x + boxW, p0.y + boxH), ImGui::GetColorU32(ImGuiCol_WindowBg, 0.9f),
                      6 * pr);
    float y = p0.y + 5 * pr;
    for (auto& r : rows) {
        float x = p0.x + 9 * pr;
        if (r.first) {
            dl->AddCircleFilled(ImVec2(x + lineH * 0.35f, y + lineH * 0.45f), lineH * 0.28f, r.first);
            x += lineH;
        }
        dl->AddText(font, fs, ImVec2(x, y),
                    r.first || &r == &rows.front() ? mc.labelText : mutedTextColor(ui.theme),
                    r.second.c_str());
        y += lineH;
    }
    const bool ramped = ui.layers.area == AreaLayer::HeatMap || ui.layers.area == AreaLayer::StateChoropleth ||
                        ui.layers.area == AreaLayer::CountyChoropleth;
    if (k == 1.0f) // the on-screen legend; an export scales it with the view
        m_legendBox = ImVec4(p0.x, p0.y, p0.x + boxW + (ramped ? 128 * pr : 0), p0.y + boxH);
    if (ramped) {
        // Colour ramp strip under the legend title.
        const float rx = p0.x + boxW + 8 * pr, ry = p0.y + boxH - 14 * pr, rw = 120 * pr;
        for (int i = 0; i < 24; ++i) {
            const Rgba8 c = ramp(i / 23.0, 255);
            dl->AddRectFilled(ImVec2(rx + rw * i / 24, ry), ImVec2(rx + rw * (i + 1) / 24, ry + 10 * pr),
                              IM_COL32(c.r, c.g, c.b, 255));
        }
        dl->AddText(font, fs, ImVec2(rx, ry - lineH), mutedTextColor(ui.theme), "low");
        dl->AddText(font, fs, ImVec2(rx + rw - textSize("high").x, ry - lineH), mutedTextColor(ui.theme),
                    "high");
    }
}

// [SECTION] labels
std::int64_t MapView::drawAnnotations(App& app, ImDrawList* dl, const MapCamera& cam, const MapRect& rect,
                                      float k, bool interactive) {
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
        for (std::size_t i = 0; i < m_data.homes.size(); ++i) {
            const ImVec2 p = toScreen(m_data.homes[i].x, m_data.homes[i].y);
            if (p.x < pos.x - r || p.y < pos.y - r || p.x > pos.x + size.x + r || p.y > pos.y + size.y + r)
                continue;
            const ImVec2 q[4] = {{p.x, p.y - r}, {p.x + r, p.y}, {p.x, p.y + r}, {p.x - r, p.y}};
            dl->AddQuadFilled(q[0], q[1], q[2], q[3], territoryColor(m_data.homes[i].territory));
            dl->AddQuad(q[0], q[1], q[2], q[3],
                        ui.theme == Theme::Dark ? IM_COL32(255, 255, 255, 230) : IM_COL32(20, 20, 30, 230),
                        1.5f * pr);
            if (interactive) {
                const ImVec2 m = ImGui::GetIO().MousePos;
                if (std::fabs(m.x - p.x) + std::fabs(m.y - p.y) < r && ImGui::IsWindowHovered())
                    homeHover = static_cast<std::int64_t>(i);
            }
        }
    }
    // Labels keep clear of the legend and the toolbar (as drawn on screen, scaled into this rect).
    std::vector<ImVec4> keepClear;
    for (const ImVec4& b : {m_legendBox, m_toolbarBox})
        if (b.z > b.x)
            keepClear.push_back(ImVec4(rect.x + (b.x - m_rect.x) * k, rect.y + (b.y - m_rect.y) * k,
                                       rect.x + (b.z - m_rect.x) * k, rect.y + (b.w - m_rect.y) * k));
    std::vector<ImVec4> placed = keepClear;
    // Labels: territory name and its figure for the size metric, largest first, no overlaps.
    if (ui.layers.labels && ui.layers.coloring == PointColoring::Territory) {
        const PlanMetrics& pm = app.metrics();
        std::vector<std::size_t> order(pm.territories.size());
        std::iota(order.begin(), order.end(), 0u);
        const int metric = static_cast<int>(ui.layers.sizeBy);
        std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
            return pm.territories[a].f.sum[metric] > pm.territories[b].f.sum[metric];
        });
        for (std::size_t i : order) {
            const TerritoryFigures& t = pm.territories[i];
            const TerritoryShape& s = m_data.shapes[static_cast<std::size_t>(t.territory)];
            if (s.n <= 0) continue;
            const float extent = static_cast<float>(std::max(s.x1 - s.x0, s.y1 - s.y0) * cam.scale);
            if (extent < 60 * pr && s.n > 1) continue;
            const ImVec2 c = toScreen(s.cx, s.cy);
            const std::string fig = isMoneyMetric(ui.layers.sizeBy)
                                        ? fmt::moneyCompact(static_cast<Money>(t.f.sum[metric]))
                                        : fmt::fixed(t.f.sum[metric], 0);
            const ImVec2 s1 = bold->CalcTextSizeA(fs, FLT_MAX, 0.0f, t.name.c_str()),
                         s2 = regular->CalcTextSizeA(fs, FLT_MAX, 0.0f, fig.c_str());
            const float w = std::max(s1.x, s2.x) + 8 * pr, h = s1.y + s2.y + 4 * pr;
            const ImVec4 box(c.x - w / 2, c.y - h / 2, c.x + w / 2, c.y + h / 2);
            if (box.x < pos.x || box.y < pos.y || box.z > pos.x + size.x || box.w > pos.y + size.y) continue;
            bool overlap = false;
            for (const ImVec4& o : placed)
                overlap |= !(box.z < o.x || box.x > o.z || box.w < o.y || box.y > o.w);
            if (overlap) continue;
            placed.push_back(box);
            dl->AddRectFilled(
                ImVec2(box.x, box.y), ImVec2(box.z, box.w),
                ui.theme == Theme::Dark ? IM_COL32(10, 14, 20, 170) : IM_COL32(255, 255, 255, 190), 4 * pr);
            dl->AddText(bold, fs, ImVec2(c.x - s1.x / 2, box.y + 1 * pr), mc.labelText, t.name.c_str());
            dl->AddText(regular, fs, ImVec2(c.x - s2.x / 2, box.y + 2 * pr + s1.y), mutedTextColor(ui.theme),
                        fig.c_str());
        }
    }
    drawPlaceNames(app, dl, cam, rect, k, placed, interactive);
    if (interactive) m_labelBoxes.assign(placed.begin() + static_cast<std::ptrdiff_t>(keepClear.size()), placed.end());
    return homeHover;
}

void MapView::drawPlaceNames(App& app, ImDrawList* dl, const MapCamera& cam, const MapRect& rect, float k,
                             std::vector<ImVec4>& placed, bool interactive) {
    // Zoomed in past a country (about 3x the contiguous-US view): the gazetteer's cities, the
    // largest first, each where it fits beside the labels already placed.
    constexpr std::size_t kMaxPlaces = 60;
    const UiState& ui = app.ui();
    if (interactive) m_placeLabels = 0;
    if (!ui.layers.placeNames || cam.scale < kDetailZoom * k * ui.pixelRatio) return;
    const Gazetteer& gaz = Gazetteer::builtIn();
    if (m_placeOrder.empty()) {
        const auto cities = gaz.cities();
        m_placeOrder.resize(cities.size());
        std::iota(m_placeOrder.begin(), m_placeOrder.end(), 0u);
        std::stable_sort(m_placeOrder.begin(), m_placeOrder.end(), [&](std::uint32_t a, std::uint32_t b) {
            return cities[a].population > cities[b].population;
        });
    }
    const float pr = ui.pixelRatio * k;
    ImFont* font = app.fonts().regular;
    const float fs = font->FontSize * k * 0.92f;
    const ImU32 text = mapColors(ui.theme).labelText, halo = mapColors(ui.theme).labelShadow;
    std::size_t shown = 0;
    for (std::uint32_t i : m_placeOrder) {
        if (shown >= kMaxPlaces) break;
        const CityInfo& c = gaz.cities()[i];
        const ImVec2 p(static_cast<float>(rect.x + rect.w * 0.5 + (mercatorX(c.lon) - cam.centerX) * cam.scale),
                       static_cast<float>(rect.y + rect.h * 0.5 + (mercatorY(c.lat) - cam.centerY) * cam.scale));
        if (p.x < rect.x || p.y < rect.y || p.x > rect.x + rect.w || p.y > rect.y + rect.h) continue;
        const ImVec2 ts = font->CalcTextSizeA(fs, FLT_MAX, 0.0f, c.name.c_str());
        const ImVec4 box(p.x - 3 * pr, p.y - ts.y * 0.5f - 1 * pr, p.x + 6 * pr + ts.x + 2 * pr, p.y + ts.y * 0.5f + 1 * pr);
        if (box.z > rect.x + rect.w || box.y < rect.y || box.w > rect.y + rect.h) continue;
        bool overlap = false;
        for (const ImVec4& o : placed)
            if (!(box.z < o.x || box.x > o.z || box.w < o.y || box.y > o.w)) {
                overlap = true;
                break;
            }
        if (overlap) continue;
        placed.push_back(box);
        ++shown;
        dl->AddCircleFilled(p, 2.2f * pr, halo);
        dl->AddCircleFilled(p, 1.4f * pr, text);
        const ImVec2 at(p.x + 6 * pr, p.y - ts.y * 0.5f);
        for (const ImVec2 d : {ImVec2(-1, 0), ImVec2(1, 0), ImVec2(0, -1), ImVec2(0, 1)})
            dl->AddText(font, fs, ImVec2(at.x + d.x * pr, at.y + d.y * pr), halo, c.name.c_str());
        dl->AddText(font, fs, at, text, c.name.c_str());
    }
    if (interactive) m_placeLabels = shown;
}

// [SECTION] overlays
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
        dl->AddPolyline(m_lasso.data(), static_cast<int>(m_lasso.size()), selCol, ImDrawFlags_Closed,
                        1.5f * pr);
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
                            std::string(acc.str(acc.indexOf("city"), r)).c_str(),
                            std::string(acc.str(acc.indexOf("state"), r)).c_str());
        const AccountOwners owners = accountOwners(app, r);
        ImGui::Text("Territory: %s", std::string(sc.territoryName(t)).c_str());
        ImGui::Text("%s: %s", AccountOwners::kPlanLabel, owners.plan.c_str());
        ImGui::Text("%s: %s", AccountOwners::kCrmLabel, owners.crm.c_str());
        ImGui::Text("Potential: %s", fmt::money(acc.i64(acc.indexOf("potential"), r)).c_str());
        const auto arr = acc.i64(acc.indexOf("arr"), r);
        if (arr > 0) ImGui::Text("ARR: %s", fmt::money(arr).c_str());
        if (sc.locked[r]) ImGui::TextDisabled("Locked to its territory");
        ImGui::EndTooltip();
        platform::setCursor("pointer");
    } else if (homeHover >= 0) {
        ImGui::SetTooltip("Home base: %s", m_data.homes[static_cast<std::size_t>(homeHover)].label.c_str());
    } else {
        platform::setCursor(m_dragging ? "grabbing" : ui.tool == MapTool::Pan ? "default" : "crosshair");
    }
}

} // namespace terrane
