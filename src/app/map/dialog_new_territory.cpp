// New territory, optionally made from the selected accounts (a split by lasso): one
// CreateTerritory command, then a move of the selection into it.
#include "app/app.hpp"
#include "app/widgets.hpp"
#include "core/base/format.hpp"

#include <cstdio>

namespace terrane {

void drawNewTerritoryDialog(App& app) {
    UiState& ui = app.ui();
    const float pr = ui.pixelRatio;
    const Workspace& ws = app.workspace();
    const Scenario& sc = ws.active();
    if (openModal("New territory", ui.newTerritory.show)) {
        std::snprintf(ui.newTerritory.name, sizeof ui.newTerritory.name, "New territory");
        ui.newTerritory.parent = -1;
        ui.newTerritory.owner = -1;
    }
    if (beginModal("New territory")) {
        const Table& ter = sc.territories;
        ImGui::SetNextItemWidth(280 * pr);
        ImGui::InputText("Name", ui.newTerritory.name, sizeof ui.newTerritory.name);
        std::vector<std::int32_t> parents;
        for (std::size_t r = 0; r < ter.rows(); ++r) {
            const std::string_view lv = ter.str(ter.indexOf("level"), r);
            if ((lv == "district" || lv == "region") && !sc.isDeleted(static_cast<std::int32_t>(r))) parents.push_back(static_cast<std::int32_t>(r));
        }
        const std::string parentLabel = ui.newTerritory.parent >= 0 ? std::string(sc.territoryName(ui.newTerritory.parent)) : "(top level)";
        ImGui::SetNextItemWidth(280 * pr);
        if (ImGui::BeginCombo("Parent", parentLabel.c_str())) {
            if (ImGui::Selectable("(top level)")) ui.newTerritory.parent = -1;
            for (std::int32_t r : parents) {
                const std::string l = std::string(sc.territoryName(r)) + "  (" + std::string(ter.str(ter.indexOf("level"), static_cast<std::size_t>(r))) + ")";
                ImGui::PushID(r);
                if (ImGui::Selectable(l.c_str(), r == ui.newTerritory.parent)) ui.newTerritory.parent = r;
                ImGui::PopID();
            }
            ImGui::EndCombo();
        }
        const Table& reps = ws.reps();
        const std::string ownerLabel = ui.newTerritory.owner >= 0 ? std::string(reps.str(reps.indexOf("name"), static_cast<std::size_t>(ui.newTerritory.owner))) : "(no owner)";
        ImGui::SetNextItemWidth(280 * pr);
        if (ImGui::BeginCombo("Owner", ownerLabel.c_str())) {
            if (ImGui::Selectable("(no owner)")) ui.newTerritory.owner = -1;
            for (std::size_t r = 0; r < reps.rows(); ++r) {
                ImGui::PushID(static_cast<int>(r));
                if (ImGui::Selectable(std::string(reps.str(reps.indexOf("name"), r)).c_str())) ui.newTerritory.owner = static_cast<int>(r);
                ImGui::PopID();
            }
            ImGui::EndCombo();
        }
        const bool withSel = ui.selection.count > 0;
        if (withSel) ImGui::Checkbox(("Move the " + fmt::count(ui.selection.count) + " selected accounts into it").c_str(), &ui.newTerritory.fromSelection);
        if (ImGui::Button("Create", ImVec2(120 * pr, 0))) {
            // A fresh id: T-NEW-1, T-NEW-2, ...
            std::string id;
            for (int i = 1;; ++i) {
                id = "T-NEW-" + std::to_string(i);
                if (!sc.territoryRow(id)) break;
            }
            const std::string parent = ui.newTerritory.parent >= 0 ? std::string(sc.territoryId(ui.newTerritory.parent)) : "";
            const std::string owner = ui.newTerritory.owner >= 0 ? std::string(reps.str(reps.indexOf("rep_id"), static_cast<std::size_t>(ui.newTerritory.owner))) : "";
            if (app.runCommand(territory::CreateTerritory{id, ui.newTerritory.name, parent, owner, "territory", -1})) {
                if (withSel && ui.newTerritory.fromSelection) {
                    if (auto row = app.workspace().active().territoryRow(id)) app.moveSelectionTo(*row, "split into a new territory");
                }
                ImGui::CloseCurrentPopup();
            }
        }
        ImGui::SameLine();
        if (ImGui::Button("Cancel", ImVec2(120 * pr, 0)) || ImGui::IsKeyPressed(ImGuiKey_Escape)) ImGui::CloseCurrentPopup();
        ImGui::EndPopup();
    }
}

} // namespace terrane
