#include "app/map_view.hpp"

#include "app/app.hpp"
#include "app/format.hpp"
#include "app/palette.hpp"
#include "app/theme.hpp"
#include "core/geo.hpp"
#include "core/geocode.hpp"
#include "platform/platform.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace terrane {

bool MapView::init() { return m_renderer.init(); }

void MapView::rebuild(const Workspace& ws, const Scenario& scenario, Theme theme) {
    const Table& acc = ws.accounts();
    const std::size_t n = acc.rows();
    const Column* lat = acc.find("lat");
    const Column* lon = acc.find("lon");
    const Column* pot = acc.find("potential");
    m_x.assign(n, std::nan(""));
    m_y.assign(n, std::nan(""));
    for (std::size_t i = 0; i < n; ++i) {
        const double la = lat ? lat->f64()[i] : std::nan(""), lo = lon ? lon->f64()[i] : std::nan("");
        if (std::isnan(la) || std::isnan(lo)) continue;
        m_x[i] = mercatorX(lo);
        m_y[i] = mercatorY(la);
    }
    // Palette: territory colours chosen so neighbouring patches differ.
    const auto leaves = scenario.leaves();
    std::vector<std::array<double, 2>> centres(leaves.size(), {0.0, 0.0});
    std::vector<double> counts(leaves.size(), 0.0);
    m_paletteOfTerritory.assign(scenario.territories.rows(), 0);
    for (std::size_t i = 0; i < leaves.size(); ++i) m_paletteOfTerritory[static_cast<std::size_t>(leaves[i])] = static_cast<std::int32_t>(i + 1);
    for (std::size_t i = 0; i < n && i < scenario.assignment.size(); ++i) {
        const std::int32_t t = scenario.assignment[i];
        if (t < 0 || std::isnan(m_x[i])) continue;
        const std::int32_t slot = m_paletteOfTerritory[static_cast<std::size_t>(t)] - 1;
        if (slot < 0) continue;
        centres[static_cast<std::size_t>(slot)][0] += m_x[i];
        centres[static_cast<std::size_t>(slot)][1] += m_y[i];
        counts[static_cast<std::size_t>(slot)] += 1;
    }
    for (std::size_t k = 0; k < centres.size(); ++k)
        if (counts[k] > 0) centres[k][0] /= counts[k], centres[k][1] /= counts[k];
    const auto colors = territoryColors(centres, theme);
    m_palette.assign(1, unassignedColor(theme));
    m_palette.insert(m_palette.end(), colors.begin(), colors.end());
    m_renderer.setPalette(m_palette);

    // Sizes: square root of potential relative to the 95th percentile, 3..12 CSS pixels.
    std::vector<double> pv;
    pv.reserve(n);
    for (std::size_t i = 0; i < n; ++i)
        if (pot && !pot->isNull(i)) pv.push_back(static_cast<double>(pot->i64()[i]));
    double p95 = 1.0;
    if (!pv.empty()) {
        auto k = pv.begin() + static_cast<std::ptrdiff_t>(pv.size() * 95 / 100);
        std::nth_element(pv.begin(), k, pv.end());
        p95 = std::max(1.0, *k);
    }
    m_size.assign(n, 3.0f);
    m_color.assign(n, 0);
    for (std::size_t i = 0; i < n; ++i) {
        const double p = pot && !pot->isNull(i) ? static_cast<double>(pot->i64()[i]) : 0.0;
        m_size[i] = static_cast<float>(std::clamp(3.0 + 7.0 * std::sqrt(std::max(0.0, p) / p95), 3.0, 12.0));
        const std::int32_t t = i < scenario.assignment.size() ? scenario.assignment[i] : -1;
        m_color[i] = static_cast<std::uint16_t>(t >= 0 ? m_paletteOfTerritory[static_cast<std::size_t>(t)] : 0);
    }
    // Geocoding precision counts for the legend.
    m_hasPrecision = acc.find(kGeoPrecisionColumn) != nullptr;
    m_precisionCounts.fill(0);
    if (m_hasPrecision)
        for (std::size_t i = 0; i < n; ++i) ++m_precisionCounts[static_cast<std::size_t>(accountPrecision(acc, i))];
    // Highlight and filter refer to rows of the previous data: drop them.
    m_highlight.clear();
    m_isHighlighted.assign(n, 0);
    m_visible.clear();
    m_filteredOut = 0;
    m_sizeOrder.clear();
    for (std::size_t i = 0; i < n; ++i)
        if (!std::isnan(m_x[i])) m_sizeOrder.push_back(static_cast<std::uint32_t>(i));
    std::stable_sort(m_sizeOrder.begin(), m_sizeOrder.end(), [&](std::uint32_t a, std::uint32_t b) { return m_size[a] > m_size[b]; });
    orderInstances();
    m_grid.build(m_x, m_y);
}

// Big discs first so small ones stay visible on top; highlighted accounts last of all.
void MapView::orderInstances() {
    m_drawOrder = m_sizeOrder;
    if (!m_highlight.empty())
        std::stable_partition(m_drawOrder.begin(), m_drawOrder.end(), [&](std::uint32_t a) { return !m_isHighlighted[a]; });
    m_instances.resize(m_drawOrder.size());
    for (std::size_t k = 0; k < m_drawOrder.size(); ++k) {
        const std::uint32_t i = m_drawOrder[k];
        m_instances[k] = PointInstance{static_cast<float>(m_x[i]), static_cast<float>(m_y[i]), m_size[i], m_color[i], 0, 0};
    }
    m_renderer.setPoints(m_instances);
}

void MapView::setHighlight(std::vector<std::uint32_t> accountRows, const UiState& ui) {
    m_isHighlighted.assign(m_x.size(), 0);
    std::erase_if(accountRows, [&](std::uint32_t r) { return r >= m_x.size(); });
    for (std::uint32_t r : accountRows) m_isHighlighted[r] = 1;
    m_highlight = std::move(accountRows);
    orderInstances();
    refreshFlags(ui);
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

void MapView::setFilterMask(std::vector<std::uint8_t> visible, const UiState& ui) {
    m_visible = visible.size() == m_x.size() ? std::move(visible) : std::vector<std::uint8_t>{};
    m_filteredOut = 0;
    for (std::uint8_t v : m_visible) m_filteredOut += v ? 0 : 1;
    refreshFlags(ui);
}

void MapView::refreshFlags(const UiState& ui) {
    const std::int32_t selT = ui.selectedTerritory;
    const std::uint16_t selSlot = selT >= 0 && static_cast<std::size_t>(selT) < m_paletteOfTerritory.size()
                                      ? static_cast<std::uint16_t>(m_paletteOfTerritory[static_cast<std::size_t>(selT)])
                                      : 0;
    for (std::size_t k = 0; k < m_drawOrder.size(); ++k) {
        const std::uint32_t i = m_drawOrder[k];
        std::uint8_t f = 0;
        if (static_cast<std::int64_t>(i) == ui.selectedAccount) f |= 1;
        if (selT >= 0 && m_color[i] != selSlot) f |= 2;
        if (!m_visible.empty() && !m_visible[i]) f |= 2;
        if (!m_highlight.empty()) f |= m_isHighlighted[i] ? 4 : 2;
        m_instances[k].flags = f;
    }
    m_renderer.setPoints(m_instances);
}

ImU32 MapView::territoryColor(std::int32_t territoryRow) const {
    std::size_t slot = 0;
    if (territoryRow >= 0 && static_cast<std::size_t>(territoryRow) < m_paletteOfTerritory.size())
        slot = static_cast<std::size_t>(m_paletteOfTerritory[static_cast<std::size_t>(territoryRow)]);
    const Rgba8 c = slot < m_palette.size() ? m_palette[slot] : Rgba8{128, 128, 128, 255};
    return IM_COL32(c.r, c.g, c.b, c.a);
}

ImVec2 MapView::worldToScreen(const MapCamera& cam, double wx, double wy) const {
    return ImVec2(static_cast<float>(m_rect.x + m_rect.w * 0.5 + (wx - cam.centerX) * cam.scale),
                  static_cast<float>(m_rect.y + m_rect.h * 0.5 + (wy - cam.centerY) * cam.scale));
}

void MapView::fit(UiState& ui) const {
    double x0 = 0.17, x1 = 0.36, y0 = 0.36, y1 = 0.44; // contiguous US
    if (!m_grid.empty()) x0 = m_grid.minX(), x1 = m_grid.maxX(), y0 = m_grid.minY(), y1 = m_grid.maxY();
    // Alaska and Hawaii stretch the box; fit the dense core (2nd..98th percentile of x).
    if (m_x.size() > 50) {
        std::vector<double> xs, ys;
        for (std::size_t i = 0; i < m_x.size(); ++i)
            if (!std::isnan(m_x[i])) xs.push_back(m_x[i]), ys.push_back(m_y[i]);
        if (xs.size() > 50) {
            auto q = [](std::vector<double>& v, double f) {
                auto k = v.begin() + static_cast<std::ptrdiff_t>(static_cast<double>(v.size() - 1) * f);
                std::nth_element(v.begin(), k, v.end());
                return *k;
            };
            x0 = q(xs, 0.01), x1 = q(xs, 0.99), y0 = q(ys, 0.01), y1 = q(ys, 0.99);
        }
    }
    const double w = std::max(x1 - x0, 1e-6), h = std::max(y1 - y0, 1e-6);
    const double rw = std::max(1.0f, m_rect.w), rh = std::max(1.0f, m_rect.h);
    ui.camera.centerX = (x0 + x1) / 2;
    ui.camera.centerY = (y0 + y1) / 2;
    ui.camera.scale = std::min(rw / (w * 1.12), rh / (h * 1.12));
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
                     ImGuiWindowFlags_NoBringToFrontOnFocus | ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoNav);
    ImGui::PopStyleVar(2);
    ImGui::SetCursorScreenPos(pos);
    ImGui::InvisibleButton("##canvas", size, ImGuiButtonFlags_MouseButtonLeft | ImGuiButtonFlags_MouseButtonRight);
    const bool hovered = ImGui::IsItemHovered();
    ImGuiIO& io = ImGui::GetIO();
    MapCamera& cam = ui.camera;
    const double cx = pos.x + size.x * 0.5, cy = pos.y + size.y * 0.5;

    // Pan with a left drag, zoom at the cursor with the wheel.
    if (ImGui::IsItemActive() && ImGui::IsMouseDragging(ImGuiMouseButton_Left, 2.0f)) {
        cam.centerX -= io.MouseDelta.x / cam.scale;
        cam.centerY -= io.MouseDelta.y / cam.scale;
        m_dragging = true;
    }
    if (hovered && io.MouseWheel != 0.0f) {
        const double wx = cam.centerX + (io.MousePos.x - cx) / cam.scale, wy = cam.centerY + (io.MousePos.y - cy) / cam.scale;
        const double factor = std::pow(1.18, static_cast<double>(io.MouseWheel));
        cam.scale = std::clamp(cam.scale * factor, static_cast<double>(size.x) * 0.5, 5.0e8);
        cam.centerX = wx - (io.MousePos.x - cx) / cam.scale;
        cam.centerY = wy - (io.MousePos.y - cy) / cam.scale;
    }
    cam.centerX = std::clamp(cam.centerX, 0.0, 1.0);
    cam.centerY = std::clamp(cam.centerY, 0.0, 1.0);

    // Hover: the nearest account within its disc (at least 6 CSS pixels).
    std::int64_t hover = -1;
    if (hovered && !m_dragging) {
        const double wx = cam.centerX + (io.MousePos.x - cx) / cam.scale, wy = cam.centerY + (io.MousePos.y - cy) / cam.scale;
        const double radiusPx = std::max(6.0, 6.0 * ui.pointScale) * ui.pixelRatio;
        hover = m_grid.nearest(wx, wy, radiusPx / cam.scale);
    }
    ui.hoveredAccount = hover;
    if (ImGui::IsItemDeactivated() || !ImGui::IsMouseDown(ImGuiMouseButton_Left)) {
        if (ImGui::IsItemDeactivated() && !m_dragging) app.selectAccount(hover);
        m_dragging = false;
    }

    const Workspace& ws = app.workspace();
    if (hover >= 0) {
        const Table& acc = ws.accounts();
        const auto r = static_cast<std::size_t>(hover);
        ImGui::BeginTooltip();
        ImGui::PushFont(app.fonts().bold);
        ImGui::TextUnformatted(std::string(acc.str(acc.indexOf("name"), r)).c_str());
        ImGui::PopFont();
        const std::int32_t t = ws.active().assignment[r];
        ImGui::TextDisabled("%s  %s, %s", std::string(acc.str(acc.indexOf("account_id"), r)).c_str(),
                            std::string(acc.str(acc.indexOf("city"), r)).c_str(), std::string(acc.str(acc.indexOf("state"), r)).c_str());
        ImGui::Text("Owner: %s", app.repName(acc.str(acc.indexOf("owner"), r)).c_str());
        ImGui::Text("Territory: %s", std::string(ws.active().territoryName(t)).c_str());
        ImGui::Text("Potential: %s", fmt::money(acc.i64(acc.indexOf("potential"), r)).c_str());
        const auto arr = acc.i64(acc.indexOf("arr"), r);
        if (arr > 0) ImGui::Text("ARR: %s", fmt::money(arr).c_str());
        ImGui::EndTooltip();
        platform::setCursor("pointer");
    } else {
        platform::setCursor(m_dragging ? "grabbing" : "default");
    }

    // Legend, bottom left: encoding, counts, precision of placement, highlight and filter.
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const float pr = ui.pixelRatio;
    const ImVec2 lp(pos.x + 12 * pr, pos.y + size.y - 12 * pr);
    std::vector<std::pair<std::string, ImU32>> lines;
    const MapColors& mc = mapColors(ui.theme);
    lines.emplace_back("Colour: territory   Size: potential", mc.labelText);
    lines.emplace_back(fmt::count(m_drawOrder.size()) + " accounts on the map", mutedTextColor(ui.theme));
    if (m_hasPrecision) {
        std::string p = "Placed by:";
        static constexpr GeoPrecision kOrder[] = {GeoPrecision::Exact, GeoPrecision::Postcode, GeoPrecision::City, GeoPrecision::Region,
                                                  GeoPrecision::Country, GeoPrecision::None};
        for (GeoPrecision g : kOrder) {
            const std::size_t c = m_precisionCounts[static_cast<std::size_t>(g)];
            if (c) p += " " + fmt::count(c) + " " + (g == GeoPrecision::None ? std::string("not placed") : geoPrecisionName(g));
        }
        lines.emplace_back(p, mutedTextColor(ui.theme));
    }
    if (!m_highlight.empty())
        lines.emplace_back(fmt::count(m_highlight.size()) + " highlighted: " + ui.highlightLabel, IM_COL32(255, 184, 31, 255));
    if (m_filteredOut > 0) lines.emplace_back(fmt::count(m_filteredOut) + " dimmed by the table filter", mutedTextColor(ui.theme));
    float boxW = 0, boxH = 10 * pr;
    for (const auto& l : lines) {
        const ImVec2 t = ImGui::CalcTextSize(l.first.c_str());
        boxW = std::max(boxW, t.x);
        boxH += t.y + 2 * pr;
    }
    boxW += 16 * pr;
    dl->AddRectFilled(ImVec2(lp.x, lp.y - boxH), ImVec2(lp.x + boxW, lp.y), ImGui::GetColorU32(ImGuiCol_WindowBg, 0.88f), 6 * pr);
    float y = lp.y - boxH + 5 * pr;
    for (const auto& l : lines) {
        dl->AddText(ImVec2(lp.x + 8 * pr, y), l.second, l.first.c_str());
        y += ImGui::GetTextLineHeight() + 2 * pr;
    }
    ImGui::End();
}

void MapView::render(const UiState& ui, int framebufferHeight) {
    m_renderer.draw(ui.camera, m_rect, framebufferHeight, mapColors(ui.theme), ui.pixelRatio, ui.pointScale);
}

} // namespace terrane
