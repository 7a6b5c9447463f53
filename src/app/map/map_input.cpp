// Map canvas: input. Pan (drag), zoom (wheel at the cursor), hover, click and Shift+click,
// box and lasso selection, the context menu and the map's keyboard shortcuts.
//
// Index
//  [SECTION] pointer   pan, zoom, box, lasso, hover, click, right click, shortcuts
//  [SECTION] menu      the context menu for the selection or the account under the cursor
#include "app/map/map_view.hpp"

#include "app/app.hpp"
#include "core/base/format.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace terrane {

namespace {
bool pointInPolygon(const std::vector<ImVec2>& poly, float x, float y) {
    bool inside = false;
    for (std::size_t i = 0, j = poly.size() - 1; i < poly.size(); j = i++) {
        const ImVec2 &a = poly[i], &b = poly[j];
        if ((a.y > y) != (b.y > y) && x < (b.x - a.x) * (y - a.y) / (b.y - a.y + 1e-12f) + a.x)
            inside = !inside;
    }
    return inside;
}
} // namespace

// [SECTION] pointer
void MapView::handleInput(App& app, const ImVec2& pos, const ImVec2& size) {
    UiState& ui = app.ui();
    ImGuiIO& io = ImGui::GetIO();
    MapCamera& cam = ui.camera;
    const double cx = pos.x + size.x * 0.5, cy = pos.y + size.y * 0.5;
    ImGui::SetCursorScreenPos(pos);
    // The toolbar, drawn over the canvas after it, takes the mouse where it is: without this the
    // canvas (submitted first) would keep the hover and its buttons would never see a click.
    ImGui::SetNextItemAllowOverlap();
    ImGui::InvisibleButton("##canvas", size,
                           ImGuiButtonFlags_MouseButtonLeft | ImGuiButtonFlags_MouseButtonRight |
                               ImGuiButtonFlags_MouseButtonMiddle);
    const bool hovered = ImGui::IsItemHovered();
    const bool active = ImGui::IsItemActive();
    auto toWorld = [&](ImVec2 s) {
        return std::pair{cam.centerX + (s.x - cx) / cam.scale, cam.centerY + (s.y - cy) / cam.scale};
    };

    // Pan: left drag with the pan tool, right or middle drag with any tool.
    const bool leftPan = ui.tool == MapTool::Pan && ImGui::IsMouseDragging(ImGuiMouseButton_Left, 3.0f);
    const bool otherPan = ImGui::IsMouseDragging(ImGuiMouseButton_Right, 3.0f) ||
                          ImGui::IsMouseDragging(ImGuiMouseButton_Middle, 3.0f);
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
        if (ui.tool == MapTool::Box)
            m_boxing = true;
        else {
            m_lassoing = true;
            const ImVec2 last = m_lasso.back();
            if (std::fabs(io.MousePos.x - last.x) + std::fabs(io.MousePos.y - last.y) > 2.0f)
                m_lasso.push_back(io.MousePos);
        }
    }
    const SelectMode mode = io.KeyAlt                     ? SelectMode::Remove
                            : (io.KeyShift || io.KeyCtrl) ? SelectMode::Add
                                                          : SelectMode::Replace;
    // A release that ends a box or lasso is not also a click.
    const bool endsShape = ImGui::IsMouseReleased(ImGuiMouseButton_Left) && (m_boxing || m_lassoing);
    if (endsShape) {
        std::vector<std::uint32_t> hits, picked;
        if (m_boxing) {
            const auto [ax, ay] = toWorld(m_dragStart);
            const auto [bx, by] = toWorld(io.MousePos);
            m_data.grid.inRect(ax, ay, bx, by, picked);
        } else if (m_lasso.size() >= 3) {
            float minx = 1e9f, miny = 1e9f, maxx = -1e9f, maxy = -1e9f;
            for (const ImVec2& p : m_lasso)
                minx = std::min(minx, p.x), miny = std::min(miny, p.y), maxx = std::max(maxx, p.x),
                maxy = std::max(maxy, p.y);
            const auto [ax, ay] = toWorld(ImVec2(minx, miny));
            const auto [bx, by] = toWorld(ImVec2(maxx, maxy));
            m_data.grid.inRect(ax, ay, bx, by, hits);
            for (std::uint32_t a : hits) {
                const ImVec2 s = worldToScreen(cam, m_data.x[a], m_data.y[a]);
                if (pointInPolygon(m_lasso, s.x, s.y)) picked.push_back(a);
            }
        }
        app.select(picked, mode);
        app.notify(fmt::count(picked.size()) + " accounts " +
                   (mode == SelectMode::Remove ? "removed from" : "in") + " the selection");
        m_boxing = m_lassoing = false;
        m_lasso.clear();
    }

    // Hover: the nearest account within its disc (at least 6 CSS pixels).
    std::int64_t hover = -1;
    if (hovered && !m_dragging && !m_boxing && !m_lassoing) {
        const auto [wx, wy] = toWorld(io.MousePos);
        const double radiusPx = std::max(6.0, 6.0 * ui.pointScale) * ui.pixelRatio;
        hover = m_data.grid.nearest(wx, wy, radiusPx / cam.scale);
    }
    ui.hoveredAccount = hover;
    // Click: select (Shift/Ctrl toggles); a click on empty map clears the selection.
    if (ImGui::IsItemDeactivated() && !m_dragging && !endsShape &&
        ImGui::IsMouseReleased(ImGuiMouseButton_Left)) {
        if (hover >= 0) {
            if (io.KeyShift || io.KeyCtrl)
                app.toggleAccount(hover);
            else
                app.select({static_cast<std::uint32_t>(hover)}, SelectMode::Replace);
        } else if (!(io.KeyShift || io.KeyCtrl)) {
            app.clearSelection();
        }
    }
    // Right click (no drag): context menu for the selection or the account under the cursor.
    if (hovered && ImGui::IsMouseReleased(ImGuiMouseButton_Right) && !m_dragging) {
        m_contextAccount = hover;
        if (hover >= 0 && !ui.selection.flags[static_cast<std::size_t>(hover)])
            app.select({static_cast<std::uint32_t>(hover)}, SelectMode::Replace);
        ImGui::OpenPopup("##mapcontext");
    }
    if (!ImGui::IsMouseDown(ImGuiMouseButton_Left) && !ImGui::IsMouseDown(ImGuiMouseButton_Right) &&
        !ImGui::IsMouseDown(ImGuiMouseButton_Middle))
        m_dragging = false;
    contextMenu(app);

    // Shortcuts while the map or nothing has keyboard focus.
    if (!io.WantTextInput && !ImGui::IsPopupOpen(nullptr, ImGuiPopupFlags_AnyPopupId)) {
        if (ImGui::IsKeyPressed(ImGuiKey_B, false) && !io.KeyCtrl) ui.tool = MapTool::Box;
        if (ImGui::IsKeyPressed(ImGuiKey_L, false) && !io.KeyCtrl) ui.tool = MapTool::Lasso;
        if (ImGui::IsKeyPressed(ImGuiKey_V, false) && !io.KeyCtrl) ui.tool = MapTool::Pan;
        if (ImGui::IsKeyPressed(ImGuiKey_M, false) && !io.KeyCtrl && ui.selection.count > 0)
            ui.move.show = true;
        if (ImGui::IsKeyPressed(ImGuiKey_K, false) && !io.KeyCtrl && ui.selection.count > 0)
            app.lockSelection(!io.KeyShift);
        if (ImGui::IsKeyPressed(ImGuiKey_A, false) && io.KeyCtrl) {
            std::vector<std::uint32_t> all(m_data.x.size());
            std::iota(all.begin(), all.end(), 0u);
            app.select(all, SelectMode::Replace);
        }
    }
}

// [SECTION] menu
void MapView::contextMenu(App& app) {
    UiState& ui = app.ui();
    if (!ImGui::BeginPopup("##mapcontext")) return;
    const std::size_t n = ui.selection.count;
    if (n == 0) {
        ImGui::TextDisabled("No accounts selected");
        ImGui::TextDisabled("Click, Shift+click, B (box) or L (lasso) to select");
    } else {
        ImGui::TextDisabled("%s selected", fmt::count(n).c_str());
        if (ImGui::MenuItem("Move to territory...", "M")) ui.move.show = true;
        if (ImGui::MenuItem("New territory from selection...")) {
            ui.newTerritory.show = true;
            ui.newTerritory.fromSelection = true;
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
    if (ImGui::MenuItem("Select by filter...")) ui.filter.show = true;
    ImGui::EndPopup();
}

} // namespace terrane
