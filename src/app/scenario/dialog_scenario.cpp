// Scenario management dialogs: rename.
#include "app/app.hpp"
#include "app/widgets.hpp"

#include <cstdio>

namespace terrane {

void drawScenarioDialogs(App& app) {
    UiState& ui = app.ui();
    const float pr = ui.pixelRatio;
    if (openModal("Rename scenario", ui.scenarioRename.show))
        std::snprintf(ui.scenarioRename.name, sizeof ui.scenarioRename.name, "%s", app.workspace().scenarios[ui.scenarioRename.scenario].name.c_str());
    if (!beginModal("Rename scenario")) return;
    if (ImGui::IsWindowAppearing()) ImGui::SetKeyboardFocusHere();
    ImGui::SetNextItemWidth(280 * pr);
    const bool enter = ImGui::InputText("Name", ui.scenarioRename.name, sizeof ui.scenarioRename.name, ImGuiInputTextFlags_EnterReturnsTrue);
    if (enter || ImGui::Button("Rename", ImVec2(120 * pr, 0))) {
        app.renameScenario(ui.scenarioRename.scenario, ui.scenarioRename.name);
        ImGui::CloseCurrentPopup();
    }
    ImGui::SameLine();
    if (ImGui::Button("Cancel", ImVec2(120 * pr, 0)) || ImGui::IsKeyPressed(ImGuiKey_Escape)) ImGui::CloseCurrentPopup();
    ImGui::EndPopup();
}

} // namespace terrane
