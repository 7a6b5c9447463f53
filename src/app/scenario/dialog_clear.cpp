// Clear local data: forget the workspace this browser keeps between visits.
#include "app/app.hpp"
#include "app/widgets.hpp"

namespace terrane {

void drawClearDialog(App& app) {
    UiState& ui = app.ui();
    const float pr = ui.pixelRatio;
    openModal("Clear local data", ui.dialogs.clear);
    if (!beginModal("Clear local data")) return;
    ImGui::TextUnformatted("This browser keeps your workspace between visits (datasets, scenarios, undo history, layout).");
    ImGui::TextUnformatted("Clearing it opens the sample workspace. Save a scenario file first to keep your work.");
    if (ImGui::Button("Clear local data", ImVec2(160 * pr, 0))) {
        app.clearLocalData();
        ImGui::CloseCurrentPopup();
    }
    ImGui::SameLine();
    if (ImGui::Button("Cancel", ImVec2(120 * pr, 0)) || ImGui::IsKeyPressed(ImGuiKey_Escape)) ImGui::CloseCurrentPopup();
    ImGui::EndPopup();
}

} // namespace terrane
