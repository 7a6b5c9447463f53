// The right data panel: import reports and data quality as two tabs, in the inspector's column
// so the map stays visible while findings are highlighted on it.
#include "app/app.hpp"
#include "app/widgets.hpp"
#include "core/base/format.hpp"

namespace terrane {

void drawDataPanel(App& app, const ImVec2& pos, const ImVec2& size) {
    UiState& ui = app.ui();
    beginPanel("##datapanel", pos, size);
    const float closeW = ImGui::CalcTextSize("Close").x + ImGui::GetStyle().FramePadding.x * 2;
    ImGui::SetCursorPosX(size.x - closeW - ImGui::GetStyle().WindowPadding.x);
    if (ImGui::SmallButton("Close")) {
        ui.data.showPanel = false;
        ui.data.findingsLarge = false;
        app.highlightFinding(-1);
    }
    markTarget(app, "data-panel-close");
    ImGui::SameLine(ImGui::GetStyle().WindowPadding.x);
    const ImportFlow& flow = app.imports();
    const std::string quality = flow.hygieneValid && flow.hygiene.problems() > 0
                                    ? "Data quality (" + std::to_string(flow.hygiene.problems()) + ")###quality"
                                    : std::string("Data quality###quality");
    const std::string reports = "Import report (" + std::to_string(flow.records.size()) + ")###reports";
    if (ImGui::BeginTabBar("datapanel")) {
        const bool forced = ui.data.panelTabForced;
        ui.data.panelTabForced = false;
        const bool reportsOpen = ImGui::BeginTabItem(reports.c_str(), nullptr, forced && ui.data.panelTab == 0 ? ImGuiTabItemFlags_SetSelected : 0);
        markTarget(app, "tab-reports");
        if (reportsOpen) {
            if (!forced) ui.data.panelTab = 0;
            ImGui::BeginChild("reports");
            drawImportReports(app);
            ImGui::EndChild();
            ImGui::EndTabItem();
        }
        const bool qualityOpen = ImGui::BeginTabItem(quality.c_str(), nullptr, forced && ui.data.panelTab == 1 ? ImGuiTabItemFlags_SetSelected : 0);
        markTarget(app, "tab-quality");
        if (qualityOpen) {
            if (!forced) ui.data.panelTab = 1;
            ImGui::BeginChild("quality");
            drawDataQuality(app);
            ImGui::EndChild();
            ImGui::EndTabItem();
        }
        ImGui::EndTabBar();
    }
    ImGui::End();
}

} // namespace terrane
