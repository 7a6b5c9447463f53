// The panel under the map: metrics, changes against the baseline, and the audit log, as tabs.
#include "app/app.hpp"
#include "app/widgets.hpp"

namespace terrane {

void drawBottomPanel(App& app, const ImVec2& pos, const ImVec2& size) {
    UiState& ui = app.ui();
    beginPanel("##bottom", pos, size);
    // A thin handle along the top edge resizes the panel.
    const float pr = ui.pixelRatio;
    ImGui::SetCursorScreenPos(ImVec2(pos.x, pos.y));
    ImGui::InvisibleButton("##resize", ImVec2(size.x, 5 * pr));
    if (ImGui::IsItemHovered() || ImGui::IsItemActive()) ImGui::SetMouseCursor(ImGuiMouseCursor_ResizeNS);
    if (ImGui::IsItemActive()) {
        const float body = size.y / std::max(0.01f, ui.bottomShare);
        ui.bottomShare = std::clamp(ui.bottomShare - ImGui::GetIO().MouseDelta.y / body, 0.12f, 0.7f);
    }
    ImGui::SetCursorScreenPos(ImVec2(pos.x + ImGui::GetStyle().WindowPadding.x, pos.y + 6 * pr));
    if (ImGui::BeginTabBar("##bottomtabs")) {
        const char* tabs[] = {"Metrics", "Changes", "Audit log", "Compare scenarios"};
        for (int i = 0; i < 4; ++i) {
            ImGuiTabItemFlags f = 0;
            if (ui.bottomTabRequest == i) f |= ImGuiTabItemFlags_SetSelected;
            if (ImGui::BeginTabItem(tabs[i], nullptr, f)) {
                ui.bottomTab = i;
                if (i == 0) drawMetricsPanel(app);
                else if (i == 1) drawChangesPanel(app);
                else if (i == 2) drawAuditPanel(app);
                else drawComparePanel(app);
                ImGui::EndTabItem();
            }
        }
        ui.bottomTabRequest = -1;
        ImGui::EndTabBar();
    }
    ImGui::End();
}

} // namespace terrane
