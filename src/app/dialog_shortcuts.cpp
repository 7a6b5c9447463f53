// Keyboard and mouse: every shortcut of the studio in one table.
#include "app/app.hpp"
#include "app/widgets.hpp"

namespace terrane {

void drawShortcutsDialog(App& app) {
    UiState& ui = app.ui();
    openModal("Keyboard and mouse", ui.dialogs.shortcuts);
    if (beginModal("Keyboard and mouse", ImGuiWindowFlags_AlwaysAutoResize)) {
        if (ImGui::BeginTable("keys", 2, ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerV)) {
            const char* rows[][2] = {{"Ctrl+O or drop files on the page", "Import CSV exports"},
                                     {"Ctrl+T", "Show or hide the data table"},
                                     {"Drop a .terrane file on the page", "Open a scenario file"},
                                     {"Drag on the map (Pan tool), right or middle drag", "Pan"},
                                     {"Mouse wheel", "Zoom at the cursor"},
                                     {"Click an account", "Select it; Shift or Ctrl+click adds or removes"},
                                     {"B / L / V", "Box select / lasso select / pan tool (Shift adds, Alt removes)"},
                                     {"Right click", "Actions for the selection"},
                                     {"M", "Move the selection to a territory"},
                                     {"Drag the selection bar onto a territory", "Move the selection there"},
                                     {"K / Shift+K", "Lock / unlock the selection"},
                                     {"Ctrl+A", "Select all accounts"},
                                     {"Ctrl+Z / Ctrl+Shift+Z or Ctrl+Y", "Undo / redo"},
                                     {"Click a territory in a list", "Highlight it and fly the map to it"},
                                     {"F", "Fit the map to all accounts"},
                                     {"Esc", "Clear the selection and return to the pan tool"}};
            for (auto& r : rows) {
                ImGui::TableNextRow();
                ImGui::TableNextColumn();
                ImGui::TextUnformatted(r[0]);
                ImGui::TableNextColumn();
                ImGui::TextUnformatted(r[1]);
            }
            ImGui::EndTable();
        }
        if (ImGui::Button("Close", ImVec2(120 * ui.pixelRatio, 0)) || ImGui::IsKeyPressed(ImGuiKey_Escape)) ImGui::CloseCurrentPopup();
        ImGui::EndPopup();
    }
}

} // namespace terrane
