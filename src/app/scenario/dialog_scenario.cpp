// Scenario management dialogs: rename.
#include "app/app.hpp"

#include <cstdio>

namespace terrane {

void drawScenarioDialogs(App& app) {
    UiState& ui = app.ui();
    const float pr = ui.pixelRatio;
    if (ui.showScenarioRename) {
        ImGui::OpenPopup("Rename scenario");
        ui.showScenarioRename = false;
        std::snprintf(ui.scenarioName, sizeof ui.scenarioName, "%s", app.workspace().scenarios[ui.scenarioToRename].name.c_str());
    }
    ImGui::SetNextWindowPos(ImGui::GetMainViewport()->GetCenter(), ImGuiCond_Appearing, ImVec2(0.5f, 0.5f));
    if (!ImGui::BeginPopupModal("Rename scenario", nullptr, ImGuiWindowFlags_AlwaysAutoResize | ImGuiWindowFlags_NoSavedSettings)) return;
    if (ImGui::IsWindowAppearing()) ImGui::SetKeyboardFocusHere();
    ImGui::SetNextItemWidth(280 * pr);
    const bool enter = ImGui::InputText("Name", ui.scenarioName, sizeof ui.scenarioName, ImGuiInputTextFlags_EnterReturnsTrue);
    if (enter || ImGui::Button("Rename", ImVec2(120 * pr, 0))) {
        app.renameScenario(ui.scenarioToRename, ui.scenarioName);
        ImGui::CloseCurrentPopup();
    }
    ImGui::SameLine();
    if (ImGui::Button("Cancel", ImVec2(120 * pr, 0)) || ImGui::IsKeyPressed(ImGuiKey_Escape)) ImGui::CloseCurrentPopup();
    ImGui::EndPopup();
}

} // namespace terrane
