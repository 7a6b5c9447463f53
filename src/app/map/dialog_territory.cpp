// Territory actions from a territory's context menu: rename, recolour, change owner, merge,
// delete. Each becomes one core command.
#include "app/app.hpp"
#include "core/base/format.hpp"

#include <cstdio>

namespace terrane {

void territoryContextMenu(App& app, std::int32_t territory) {
    const Scenario& sc = app.workspace().active();
    ImGui::TextDisabled("%s", std::string(sc.territoryName(territory)).c_str());
    TerritoryAction& p = app.ui().territoryDialog.action;
    auto open = [&](TerritoryAction::Kind k) {
        p.kind = k;
        p.territory = territory;
        std::snprintf(app.ui().territoryDialog.rename, sizeof app.ui().territoryDialog.rename, "%s", std::string(sc.territoryName(territory)).c_str());
    };
    if (ImGui::MenuItem("Fly to")) app.flyToTerritory(territory);
    if (ImGui::MenuItem("Select its accounts")) {
        std::vector<std::uint32_t> rows;
        for (std::size_t a = 0; a < sc.assignment.size(); ++a)
            if (sc.assignment[a] == territory) rows.push_back(static_cast<std::uint32_t>(a));
        app.select(rows, SelectMode::Replace);
    }
    if (ImGui::MenuItem("Move selection here", nullptr, false, app.ui().selection.count > 0)) app.moveSelectionTo(territory);
    ImGui::Separator();
    if (ImGui::MenuItem("Rename...")) open(TerritoryAction::Rename);
    if (ImGui::MenuItem("Recolour...")) open(TerritoryAction::Recolour);
    if (ImGui::MenuItem("Change owner...")) open(TerritoryAction::Owner);
    if (ImGui::MenuItem("Merge into...")) open(TerritoryAction::Merge);
    if (ImGui::MenuItem("Delete...")) open(TerritoryAction::Delete);
}

void drawTerritoryDialogs(App& app) {
    UiState& ui = app.ui();
    const float pr = ui.pixelRatio;
    Workspace& ws = app.workspace();
    const Scenario& sc = ws.active();
    TerritoryAction& p = app.ui().territoryDialog.action;
    const ImVec2 centre = ImGui::GetMainViewport()->GetCenter();
    static constexpr const char* kTitles[] = {"", "Rename territory", "Recolour territory", "Change owner", "Merge territory", "Delete territory"};
    if (p.kind != TerritoryAction::None && !ImGui::IsPopupOpen(kTitles[p.kind])) ImGui::OpenPopup(kTitles[p.kind]);
    for (int k = 1; k <= 5; ++k) {
        ImGui::SetNextWindowPos(centre, ImGuiCond_Appearing, ImVec2(0.5f, 0.5f));
        if (!ImGui::BeginPopupModal(kTitles[k], nullptr, ImGuiWindowFlags_AlwaysAutoResize | ImGuiWindowFlags_NoSavedSettings)) continue;
        const std::int32_t t = p.territory;
        const std::string name(sc.territoryName(t));
        bool close = false;
        switch (k) {
        case TerritoryAction::Rename:
            ImGui::SetNextItemWidth(280 * pr);
            if (ImGui::IsWindowAppearing()) ImGui::SetKeyboardFocusHere();
            if (ImGui::InputText("Name", ui.territoryDialog.rename, sizeof ui.territoryDialog.rename, ImGuiInputTextFlags_EnterReturnsTrue) ||
                ImGui::Button("Rename", ImVec2(120 * pr, 0))) {
                close = app.runCommand(territory::RenameTerritory{t, ui.territoryDialog.rename, {}});
            }
            break;
        case TerritoryAction::Recolour: {
            const ImU32 cur = app.map().territoryColor(t);
            float col[3] = {((cur >> IM_COL32_R_SHIFT) & 0xFF) / 255.0f, ((cur >> IM_COL32_G_SHIFT) & 0xFF) / 255.0f,
                            ((cur >> IM_COL32_B_SHIFT) & 0xFF) / 255.0f};
            ImGui::Text("Colour of %s", name.c_str());
            ImGui::ColorPicker3("##pick", col, ImGuiColorEditFlags_NoSidePreview | ImGuiColorEditFlags_DisplayHex);
            if (ImGui::Button("Apply", ImVec2(120 * pr, 0))) {
                const auto c = (static_cast<std::int64_t>(col[0] * 255 + 0.5f) << 16) | (static_cast<std::int64_t>(col[1] * 255 + 0.5f) << 8) |
                               static_cast<std::int64_t>(col[2] * 255 + 0.5f);
                close = app.runCommand(territory::SetTerritoryColor{t, c, -1});
            }
            ImGui::SameLine();
            if (ImGui::Button("Automatic", ImVec2(120 * pr, 0))) close = app.runCommand(territory::SetTerritoryColor{t, -1, -1});
            break;
        }
        case TerritoryAction::Owner: {
            ImGui::Text("Owner of %s", name.c_str());
            const Table& reps = ws.reps();
            if (ImGui::BeginListBox("##reps", ImVec2(320 * pr, 260 * pr))) {
                if (ImGui::Selectable("(no owner)")) close = app.runCommand(territory::SetTerritoryOwner{t, "", {}});
                for (std::size_t r = 0; r < reps.rows() && !close; ++r) {
                    const std::string id(reps.str(reps.indexOf("rep_id"), r));
                    const std::string label = std::string(reps.str(reps.indexOf("name"), r)) + "  (" + id + ", " +
                                              std::string(reps.str(reps.indexOf("region"), r)) + ")";
                    if (ImGui::Selectable(label.c_str())) close = app.runCommand(territory::SetTerritoryOwner{t, id, {}});
                }
                ImGui::EndListBox();
            }
            break;
        }
        case TerritoryAction::Merge: {
            ImGui::Text("Move every account of %s into:", name.c_str());
            if (ImGui::BeginListBox("##into", ImVec2(320 * pr, 260 * pr))) {
                for (const TerritoryFigures& o : app.metrics().territories) {
                    if (o.territory == t) continue;
                    ImGui::PushID(o.territory);
                    if (ImGui::Selectable(o.name.c_str())) close = app.runCommand(territory::MergeTerritories{t, o.territory, {}});
                    ImGui::PopID();
                    if (close) break;
                }
                ImGui::EndListBox();
            }
            ImGui::TextDisabled("%s is then deleted. Undo restores it.", name.c_str());
            break;
        }
        case TerritoryAction::Delete:
            ImGui::Text("Delete %s? Its accounts become unassigned.", name.c_str());
            ImGui::TextDisabled("Undo (Ctrl+Z) restores it.");
            if (ImGui::Button("Delete", ImVec2(120 * pr, 0))) close = app.runCommand(territory::DeleteTerritory{t, {}});
            break;
        }
        ImGui::SameLine();
        if (ImGui::Button("Cancel", ImVec2(120 * pr, 0)) || ImGui::IsKeyPressed(ImGuiKey_Escape)) close = true;
        if (close) {
            p.kind = TerritoryAction::None;
            ImGui::CloseCurrentPopup();
        }
        ImGui::EndPopup();
    }
}

} // namespace terrane
